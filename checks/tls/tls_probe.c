/*
 * certexam — the scheduling of TLS probes per endpoint: stage 0 finds out
 * whether a port speaks TLS at all, stage 1 enumerates the protocols and
 * the suites per protocol (one hello per suite accepted, in the server's
 * order) with one full handshake per host name, stage 2 asks for the
 * server's preference, the groups, compression, Heartbleed, CCS
 * injection, ROBOT, resumption, client simulation and TLS_FALLBACK_SCSV,
 * and when all of them are done, alone, client-initiated renegotiation.  Also
 * the scan's interface (tls_scan_init/add/start/free).  The connections are run
 * by tls_conn.c; the answers are read by tls_probe_enum.c, tls_probe_vuln.c and
 * tls_probe_ossl.c.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <openssl/err.h>

#include "certexam/error.h"
#include "certexam/target.h"
#include "tls_conn.h"

static int suites_for(int proto, uint16_t *out, size_t cap)
{
	size_t i, n = 0;
	const struct tls_suite *s;

	for (i = 0; i < tls_suite_count() && n < cap; i++) {
		s = tls_suite_at(i);
		if (s->code > 0xffff || (s->flags & TLS_SF_SSL2))
			continue;
		if (proto == 5 ? !(s->flags & TLS_SF_TLS13)
		               : (s->flags & TLS_SF_TLS13) != 0)
			continue;
		out[n++] = (uint16_t)s->code;
	}
	return (int)n;
}

static int ssl2_specs(uint32_t *out, size_t cap)
{
	size_t i, n = 0;
	const struct tls_suite *s;

	for (i = 0; i < tls_suite_count() && n < cap; i++) {
		s = tls_suite_at(i);
		if (s->flags & TLS_SF_SSL2)
			out[n++] = s->code & 0xffffff;
	}
	return (int)n;
}
int tls_raw_probe(struct tls_ep *ep, enum purpose purpose, int proto,
                  const uint16_t *suites, size_t n_suites,
                  const uint16_t *groups, size_t n_groups, int deflate)
{
	struct tls_hello_opts o;
	struct tls_conn *c;
	uint32_t specs[64];
	int rc, n;

	c = tls_conn_new(ep, K_RAW, purpose, proto);
	if (c == NULL)
		return CX_ENOMEM;
	if (proto == 0) {
		n = ssl2_specs(specs, CX_ARRAY_LEN(specs));
		c->ssl2 = 1;
		rc = tls_build_sslv2_hello(&c->out, specs, (size_t)n);
	} else {
		memset(&o, 0, sizeof(o));
		o.version = proto == 5 ? TLS_V_TLS12 : tls_proto_version(proto);
		o.tls13 = proto == 5;
		o.suites = suites;
		o.n_suites = n_suites;
		o.groups = groups;
		o.n_groups = n_groups;
		o.deflate = deflate;
		o.sni = ep->sni;
		o.heartbeat = purpose == P_HEARTBLEED || purpose == P_CHAIN ||
		              purpose == P_DETECT;
		o.status_request = 1;
		o.no_extensions = proto == 1 && purpose != P_HEARTBLEED;
		if (purpose == P_TICKETBLEED && ep->session != NULL) {
			/* CVE-2016-9244: our ticket with a 1-byte session ID */
			static const uint8_t one[1] = {TLS_TICKETBLEED_ID};
			const unsigned char *tick = NULL;
			size_t tlen = 0;
			SSL_SESSION_get0_ticket(ep->session, &tick, &tlen);
			o.session_id = one;
			o.session_id_len = 1;
			o.ticket = tick;
			o.ticket_len = tlen;
		}
		if (purpose == P_DETECT)
			o.tls13 = 2;
		rc = tls_build_hello(&c->out, &o);
		if (rc == 0 && n_suites > 0) {
			c->offered = malloc(n_suites * sizeof(*c->offered));
			if (c->offered == NULL)
				rc = CX_ENOMEM;
			else
				memcpy(c->offered, suites,
				       n_suites * sizeof(*suites));
			c->n_offered = n_suites;
		}
		if (rc == 0 && groups != NULL && purpose != P_CHAIN &&
		    purpose != P_PREF) {
			free(c->offered);
			c->offered = malloc((n_groups + 1) * sizeof(*groups));
			if (c->offered == NULL)
				rc = CX_ENOMEM;
			else
				memcpy(c->offered, groups,
				       n_groups * sizeof(*groups));
			c->n_offered = n_groups;
		}
	}
	if (rc != 0) {
		ep->scan->err = rc;
		tls_conn_free(c);
		return rc;
	}
	tls_conn_enqueue(c);
	return CX_OK;
}

static int ossl_probe(struct tls_ep *ep, enum purpose purpose)
{
	struct tls_conn *c = tls_conn_new(ep, K_OSSL, purpose, -1);

	if (c == NULL)
		return CX_ENOMEM;
	tls_conn_enqueue(c);
	return CX_OK;
}

void tls_full_suites(int proto, uint16_t *out, size_t *n)
{
	int k = suites_for(proto, out, TLS_MAX_SUITES);

	*n = k > 0 ? (size_t)k : 0;
	if (proto == 1 && *n < TLS_MAX_SUITES)
		out[(*n)++] = 0x00ff; /* renegotiation SCSV, no extensions */
}

size_t tls_ecdhe12_suites(const struct tls_ep *ep, uint16_t *out)
{
	size_t j, n = 0;

	for (j = 0; j < ep->n_suites[4]; j++) {
		const struct tls_suite *s = tls_suite_find(ep->suites[4][j]);

		if (s != NULL && strcmp(s->kx, "ECDH") == 0)
			out[n++] = (uint16_t)s->code;
	}
	return n;
}

static int highest(const struct tls_ep *ep, int max)
{
	int i;

	for (i = max; i >= 1; i--)
		if (ep->proto[i] == TLS_YES)
			return i;
	return -1;
}

static void start_stage1(struct tls_ep *ep)
{
	uint16_t suites[TLS_MAX_SUITES + 1];
	size_t n, k;
	int i;

	ep->stage = 1;
	for (i = 0; i < TLS_NPROTO; i++) {
		tls_full_suites(i, suites, &n);
		tls_raw_probe(ep, P_CHAIN, i, suites, n, NULL, 0, 0);
	}
	ossl_probe(ep, P_OSSL);
	/* Every further host name: its own handshake with that SNI. */
	for (k = 1; k < ep->n_names; k++)
		if (ossl_probe(ep, P_SNI) == 0)
			ep->scan->queue_tail->variant = (int)k;
}
static void start_stage2(struct tls_ep *ep)
{
	static const uint16_t all_groups[] = {
	    TLS_G_X25519,
	    TLS_G_P256,
	    TLS_G_P384,
	    TLS_G_P521,
	    TLS_G_X448,
	    TLS_G_FFDHE2048,
	    TLS_G_FFDHE3072,
	    TLS_G_FFDHE4096,
	    TLS_G_FFDHE6144,
	    TLS_G_FFDHE8192,
	    21,
	    22,
	    19,
	    26,
	    27,
	    28,
	    34,
	    35,
	    36,
	    37,
	    38,
	    39,
	    40,
	};
	uint16_t buf[TLS_MAX_SUITES];
	size_t n, j;
	int i, hi, second;

	ep->stage = 2;
	/* server preference */
	for (i = 1; i < TLS_NPROTO; i++) {
		if (ep->proto[i] != TLS_YES || ep->n_suites[i] < 2)
			continue;
		for (j = 0; j < ep->n_suites[i]; j++)
			buf[j] =
			    (uint16_t)ep->suites[i][ep->n_suites[i] - 1 - j];
		tls_raw_probe(ep, P_PREF, i, buf, ep->n_suites[i], NULL, 0, 0);
	}
	/* groups */
	if (ep->proto[5] == TLS_YES) {
		tls_full_suites(5, buf, &n);
		tls_raw_probe(ep, P_GROUP13, 5, buf, n, all_groups,
		              CX_ARRAY_LEN(all_groups), 0);
	} else if (ep->proto[4] == TLS_YES) {
		n = tls_ecdhe12_suites(ep, buf);
		if (n > 0)
			tls_raw_probe(ep, P_GROUP12, 4, buf, n, all_groups,
			              CX_ARRAY_LEN(all_groups), 0);
	}
	hi = highest(ep, 4);
	if (hi >= 1) {
		tls_full_suites(hi, buf, &n);
		tls_raw_probe(ep, P_COMP, hi, buf, n, NULL, 0, 1);
		tls_raw_probe(ep, P_CCS, hi, buf, n, NULL, 0, 0);
		if (ep->heartbeat_ext == TLS_YES)
			tls_raw_probe(ep, P_HEARTBLEED, hi, buf, n, NULL, 0, 0);
		else if (ep->heartbleed == TLS_UNK)
			ep->heartbleed = TLS_NO; /* the cause says why */
		/* Renegotiation last, alone (tls_ep_probe_done). */
		ep->reneg_due = 1;
		ossl_probe(ep, P_RESUME1);
		tls_robot_start(ep);
	} else {
		/* neither attack nor renegotiation exists without SSLv3 to
		 * TLS 1.2 */
		tls_note_set(&ep->ccs_nid, "tls.vuln.no-ssl3-tls12", "%s", "");
		tls_note_set(&ep->hb_nid, "tls.vuln.no-ssl3-tls12", "%s", "");
		tls_note_set(&ep->reneg_nid, "tls.reneg.no-ssl3-tls12", "%s",
		             "");
		ep->ccs = ep->heartbleed = ep->client_reneg = TLS_NO;
	}
	/* TLS 1.3 session tickets and resumption with them. */
	if (ep->proto[5] == TLS_YES)
		ossl_probe(ep, P_RESUME13);
	/* Client simulation, on every TLS endpoint. */
	if (highest(ep, 5) >= 1)
		tls_sim_start(ep);
	/* TLS_FALLBACK_SCSV: a hello one version below the highest. */
	hi = highest(ep, 5);
	second = -1;
	for (i = hi - 1; i >= 1; i--)
		if (ep->proto[i] == TLS_YES) {
			second = i;
			break;
		}
	if (second >= 1) {
		tls_full_suites(second, buf, &n);
		if (n < TLS_MAX_SUITES)
			buf[n++] = 0x5600;
		tls_raw_probe(ep, P_FALLBACK, second, buf, n, NULL, 0, 0);
	} else {
		ep->fallback = TLS_UNK;
		ep->fallback_single = 1; /* no downgrade possible */
	}
}
void tls_ep_probe_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;

	switch (c->purpose) {
	case P_DETECT:
		if (c->end == E_DONE && (c->resp.server_hello || c->resp.alert))
			ep->is_tls = 1;
		else if (c->end == E_CONNFAIL)
			ep->connect_failed++;
		break;
	case P_CHAIN:
		tls_chain_done(c);
		/* the session ID a fresh TLS 1.2 hello got */
		if (c->proto == 4 && c->resp.server_hello && !c->resp.alert &&
		    c->resp.version == TLS_V_TLS12)
			ep->sess_id_len = (int)c->resp.session_id_len;
		if (c->end == E_CONNFAIL)
			ep->connect_failed++;
		break;
	case P_PREF:
		tls_pref_done(c);
		break;
	case P_GROUP13:
	case P_GROUP12:
		tls_group_done(c);
		break;
	case P_COMP:
		if (c->end == E_DONE && c->resp.server_hello)
			ep->compression =
			    c->resp.compression == 1 ? TLS_YES : TLS_NO;
		break;
	case P_HEARTBLEED:
	case P_CCS:
		tls_post_done(c);
		break;
	case P_FALLBACK:
		tls_fallback_done(c);
		break;
	case P_OSSL:
	case P_RENEG:
	case P_SNI:
		tls_ossl_done(c);
		break;
	case P_RESUME1:
	case P_RESUME2:
		tls_resume_done(c);
		break;
	case P_TICKETBLEED:
		tls_ticketbleed_done(c);
		break;
	case P_RESUME13:
	case P_RESUME13B:
		tls_resume13_done(c);
		break;
	case P_SIM:
		tls_sim_done(c);
		break;
	case P_ROBOT:
		tls_robot_done(c);
		break;
	}
	ep->pending--;
	if (ep->pending > 0)
		return;
	if (ep->stage == 0) {
		if (ep->is_tls)
			start_stage1(ep);
		else
			ep->stage = 3;
	} else if (ep->stage == 1) {
		if (ep->is_tls || highest(ep, 5) >= 0 ||
		    ep->proto[0] == TLS_YES)
			start_stage2(ep);
		else
			ep->stage = 3;
	} else if (ep->reneg_due) {
		/*
		 * A server that serves one connection at a time (openssl
		 * s_server) pauses for a second after a renegotiation, with
		 * or without success, before it accepts the next
		 * connection: so the renegotiation probe runs after every
		 * other probe of the endpoint, and nothing waits behind it.
		 */
		ep->reneg_due = 0;
		ossl_probe(ep, P_RENEG);
	} else {
		ep->stage = 3;
	}
	if (ep->pending == 0)
		ep->stage = 3;
	if (ep->stage == 3) {
		ep->scan->n_done++;
		if (ep->scan->on_done != NULL)
			ep->scan->on_done(ep->scan->on_done_arg, ep);
	}
}

/* ------------------------------------------------------------------ */
/* The scan. */

static SSL_CTX *make_ctx(int max12)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL)
		return NULL;
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_min_proto_version(ctx, 0);
	if (max12)
		SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT |
	                             SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION);
	SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (!max12)
		SSL_CTX_enable_ct(ctx, SSL_CT_VALIDATION_PERMISSIVE);
	ERR_clear_error();
	return ctx;
}

int tls_scan_init(struct tls_scan *s, struct cx_loop *loop, int connect_ms,
                  int probe_ms, int max_inflight)
{
	memset(s, 0, sizeof(*s));
	s->loop = loop;
	s->connect_timeout_ms = connect_ms > 0 ? connect_ms : 1000;
	s->probe_timeout_ms = probe_ms > 0 ? probe_ms : 2000;
	s->silence_ms = s->probe_timeout_ms < 800 ? s->probe_timeout_ms : 800;
	s->max_inflight = max_inflight > 0 ? max_inflight : 48;
	tls_conns_init(s);
	s->ssl_ctx = make_ctx(0);
	s->ssl_ctx12 = make_ctx(1);
	if (s->ssl_ctx == NULL || s->ssl_ctx12 == NULL) {
		tls_scan_free(s);
		return CX_ETLS;
	}
	return CX_OK;
}

int tls_scan_add(struct tls_scan *s, const char *addr, int port,
                 enum tls_starttls st, const char *sni, char *const *names,
                 size_t n_names, int detect, struct tls_ep **out)
{
	struct tls_ep *ep;
	struct cx_addr a;
	size_t i;
	int j;

	if (out != NULL)
		*out = NULL;
	if (cx_addr_parse(addr, &a) != 0 || port <= 0 || port > 65535)
		return CX_EINVAL;
	if (cx_grow(&s->eps, &s->cap_eps, s->n_eps + 1, sizeof(*s->eps)))
		return CX_ENOMEM;
	ep = calloc(1, sizeof(*ep));
	if (ep == NULL)
		return CX_ENOMEM;
	s->eps[s->n_eps++] = ep;
	ep->scan = s;
	snprintf(ep->addr, sizeof(ep->addr), "%s", addr);
	ep->port = port;
	if (a.family == AF_INET6)
		snprintf(ep->asset, sizeof(ep->asset), "[%s]:%d/tcp", addr,
		         port);
	else
		snprintf(ep->asset, sizeof(ep->asset), "%s:%d/tcp", addr, port);
	ep->starttls = st;
	ep->detect = detect;
	ep->sni = cx_strdup(sni);
	if (sni != NULL && ep->sni == NULL)
		return CX_ENOMEM;
	if (n_names > 0) {
		ep->names = calloc(n_names, sizeof(*ep->names));
		ep->name_leaf = calloc(n_names, sizeof(*ep->name_leaf));
		if (ep->names == NULL || ep->name_leaf == NULL)
			return CX_ENOMEM;
		for (i = 0; i < n_names; i++) {
			ep->names[i] = cx_strdup(names[i]);
			if (ep->names[i] == NULL)
				return CX_ENOMEM;
			ep->n_names++;
		}
	}
	if (a.family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ep->sa;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		memcpy(&sin->sin_addr, a.b, 4);
		ep->salen = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ep->sa;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		memcpy(&sin6->sin6_addr, a.b, 16);
		ep->salen = sizeof(*sin6);
	}
	for (j = 0; j < TLS_NPROTO; j++) {
		ep->proto[j] = TLS_UNK;
		ep->pref[j] = TLS_UNK;
	}
	ep->compression = ep->reneg_secure = ep->heartbeat_ext = TLS_UNK;
	ep->heartbleed = ep->ccs = ep->fallback = ep->client_reneg = TLS_UNK;
	ep->robot = TLS_UNK;
	ep->resumed = ep->ticketbleed = TLS_UNK;
	ep->ticket_lifetime = -1;
	ep->t13_lifetime = -1;
	ep->t13_resumed = TLS_UNK;
	ep->inflight_cap = TLS_EP_INFLIGHT;
	ep->ocsp_status = -1;
	if (out != NULL)
		*out = ep;
	return CX_OK;
}

int tls_scan_start(struct tls_scan *s)
{
	size_t i;
	uint16_t suites[TLS_MAX_SUITES + 1];
	size_t n;

	for (i = 0; i < s->n_eps; i++) {
		struct tls_ep *ep = s->eps[i];
		if (ep->detect) {
			ep->stage = 0;
			tls_full_suites(4, suites, &n);
			tls_raw_probe(ep, P_DETECT, 4, suites, n, NULL, 0, 0);
		} else {
			start_stage1(ep);
		}
	}
	tls_pump(s);
	return s->err;
}

void tls_scan_free(struct tls_scan *s)
{
	size_t i, j;

	if (s == NULL)
		return;
	tls_conns_free(s);
	for (i = 0; i < s->n_eps; i++) {
		struct tls_ep *ep = s->eps[i];
		free(ep->sni);
		for (j = 0; j < ep->n_names; j++) {
			free(ep->names[j]);
			if (ep->name_leaf != NULL)
				X509_free(ep->name_leaf[j]);
		}
		free(ep->names);
		free(ep->name_leaf);
		cx_buf_free(&ep->sh_raw);
		if (ep->chain != NULL)
			sk_X509_pop_free(ep->chain, X509_free);
		SSL_SESSION_free(ep->session);
		SSL_SESSION_free(ep->session13);
		free(ep);
	}
	free(s->eps);
	s->eps = NULL;
	s->n_eps = 0;
	SSL_CTX_free(s->ssl_ctx);
	SSL_CTX_free(s->ssl_ctx12);
	s->ssl_ctx = s->ssl_ctx12 = NULL;
}
