/*
 * certexam — the vulnerability probes of a TLS endpoint read back:
 * Heartbleed (an overlong heartbeat request), CCS injection (an early
 * ChangeCipherSpec), TLS_FALLBACK_SCSV (a hello one version below the
 * highest), and ROBOT (five ClientKeyExchange variants built by
 * tls_robot.c, queued here and compared when all have answered).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "tls_conn.h"

/* ROBOT: five variants on the highest TLS version with RSA key exchange. */
void tls_robot_start(struct tls_ep *ep)
{
	uint16_t rsa[TLS_MAX_SUITES];
	size_t n = 0, j;
	int i, v;
	struct tls_conn *c;

	for (i = 4; i >= 2 && n == 0; i--) {
		if (ep->proto[i] != TLS_YES)
			continue;
		for (j = 0; j < ep->n_suites[i]; j++) {
			const struct tls_suite *s =
			    tls_suite_find(ep->suites[i][j]);
			if (s != NULL && strcmp(s->kx, "RSA") == 0 &&
			    !(s->flags & TLS_SF_EXPORT))
				rsa[n++] = (uint16_t)s->code;
		}
		if (n == 0)
			continue;
		for (v = 0; v < TLS_ROBOT_VARIANTS; v++) {
			if (tls_raw_probe(ep, P_ROBOT, i, rsa, n, NULL, 0, 0) !=
			    0)
				return;
			c = ep->scan->queue_tail;
			c->variant = v;
		}
		return;
	}
	/* no RSA key exchange with TLS 1.0-1.2: the cause says it */
	ep->robot = ep->proto[1] == TLS_YES ? TLS_UNK : TLS_NO;
	if (ep->proto[1] == TLS_YES)
		tls_note_set(&ep->robot_why, "tls.why.robot-sslv3", "%s", "");
}
void tls_post_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	const struct tls_resp *p = &c->post;
	int hb = c->purpose == P_HEARTBLEED;
	int *res = hb ? &ep->heartbleed : &ep->ccs;
	struct tls_note *why = hb ? &ep->hb_why : &ep->ccs_why;

	if (c->state != S_DONE)
		return;
	if (c->end != E_DONE && c->end != E_CLOSED) {
		/* the probe failed before its test record */
		tls_conn_why(c, why);
		return;
	}
	if (!c->resp.server_hello || c->resp.alert) {
		/* no handshake to test on */
		tls_note_set(why, "tls.why.alert", "%s",
		             tls_alert_name(c->resp.alert_desc));
		return;
	}
	if (hb) {
		if (p->heartbeat_reply && p->heartbeat_len > 3) {
			*res = TLS_YES;
			tls_note_set(&ep->hb_nid, "tls.vuln.heartbleed-leak",
			             "%zu", p->heartbeat_len);
		} else {
			*res = TLS_NO;
			/* the answer as in ROBOT's: an alert, FIN, silence */
			tls_note_set(&ep->hb_nid, "tls.vuln.heartbleed-refused",
			             "%s",
			             p->alert ? tls_alert_name(p->alert_desc)
			             : c->end == E_CLOSED ? "FIN"
			                                  : "—");
		}
		return;
	}
	if (p->alert) {
		*res = TLS_NO;
		tls_note_set(&ep->ccs_nid, "tls.vuln.ccs-injection-alert", "%s",
		             tls_alert_name(p->alert_desc));
	} else if (c->end == E_CLOSED) {
		*res = TLS_NO;
		tls_note_set(&ep->ccs_nid, "tls.vuln.ccs-injection-closed",
		             "%s", "");
	} else {
		*res = TLS_POTENTIAL;
		tls_note_set(&ep->ccs_nid, "tls.vuln.ccs-injection-silent",
		             "%d", ep->scan->silence_ms);
	}
}
void tls_fallback_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	const struct tls_resp *r = &c->resp;

	if (c->end == E_DONE && r->alert && r->alert_desc == 86) {
		ep->fallback = TLS_YES;
		tls_note_set(&ep->fb_nid, "tls.fallback.honoured-alert", "%s",
		             tls_proto_name(c->proto));
	} else if (c->end == E_DONE && r->server_hello) {
		ep->fallback = TLS_NO;
		tls_note_set(&ep->fb_nid, "tls.fallback.ignored-version", "%s",
		             tls_proto_name(tls_proto_index(r->version)));
	} else {
		ep->fallback = TLS_UNK; /* inconclusive */
		tls_conn_why(c, &ep->fb_why);
	}
}

void tls_robot_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	int v = c->variant, i, same = 1, res;
	char buf[240];
	size_t l = 0;

	if (c->state == S_DONE && c->end == E_DONE && c->post_base > 0)
		res = c->post.alert ? c->post.alert_desc : 257;
	else if (c->end == E_CLOSED && c->post_base > 0)
		res = c->post.alert ? c->post.alert_desc : 256;
	else
		res = 258; /* the test itself failed */
	ep->robot_res[v] = res;
	if (res == 258 && c->err.id != NULL)
		ep->robot_why = c->err;
	if (++ep->robot_n < TLS_ROBOT_VARIANTS)
		return;
	for (i = 0; i < TLS_ROBOT_VARIANTS; i++) {
		if (ep->robot_res[i] == 258) {
			ep->robot = TLS_UNK;
			if (ep->robot_why.id == NULL)
				tls_note_set(&ep->robot_why,
				             "tls.why.robot-incomplete", "%s",
				             "");
			return;
		}
		if (ep->robot_res[i] != ep->robot_res[0])
			same = 0;
		l += (size_t)snprintf(buf + l, sizeof(buf) - l, "%s%s",
		                      i ? ", " : "",
		                      ep->robot_res[i] == 256 ? "FIN"
		                      : ep->robot_res[i] == 257
		                          ? "—"
		                          : tls_alert_name(ep->robot_res[i]));
		if (l >= sizeof(buf))
			l = sizeof(buf) - 1;
	}
	ep->robot = same ? TLS_NO : TLS_YES;
	tls_note_set(&ep->robot_nid,
	             same ? "tls.vuln.robot-absent-answers"
	                  : "tls.vuln.robot-answers",
	             "%s", buf);
}
