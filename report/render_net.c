/*
 * certexam — how the network was scanned, as the act shows it (issue 11):
 * the TCP scan type (connect or SYN, run option "scan"), the UDP scan and
 * its ports ("udp_ports", the "udpscan" observations), host discovery
 * (option "discovery", and per host its "discovery" observation: how it
 * was found up or why it is down) and the vantage point(s) of the run.
 * The summary goes into the method section (render.c), the hosts into an
 * annex table (render_annex.c); XML and JSON take the same facts from
 * cx_act_net() (tree.c).  Words come from the act's catalog: the run
 * records why that scan type and how discovery went as message ids
 * (options scan_reason_msg, discovery_msg: scan.reason.*, scan.discovery.*)
 * with the engine's raw text (an OS error) as parameter {why}; a run
 * recorded before them has English sentences, printed as recorded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/util.h"
#include "render.h"

static const char *opt(const struct cx_run *run, const char *name)
{
	size_t i;

	for (i = 0; i < run->n_options; i++)
		if (strcmp(run->options[i].name, name) == 0)
			return run->options[i].value;
	return NULL;
}

/* 1 when the space-separated list has word w. */
static int has_word(const char *list, const char *w, size_t n)
{
	const char *p = list;

	while (p != NULL && *p) {
		const char *e = strchr(p, ' ');
		size_t k = e ? (size_t)(e - p) : strlen(p);
		if (k == n && strncmp(p, w, n) == 0)
			return 1;
		p = e ? e + 1 : NULL;
	}
	return 0;
}

/* Add the words of list to b (a set, in first-seen order). */
static int add_words(struct cx_buf *b, const char *list)
{
	const char *p = list;
	int rc = CX_OK;

	while (p != NULL && *p && rc == CX_OK) {
		const char *e = strchr(p, ' ');
		size_t k = e ? (size_t)(e - p) : strlen(p);
		if (k > 0 && !has_word(b->data, p, k))
			rc = cx_buf_printf(b, "%s%.*s", b->len ? " " : "",
			                   (int)k, p);
		p = e ? e + 1 : NULL;
	}
	return rc;
}

/*
 * The recorded message id of option name (with its raw parameter, option
 * name_why, as {why}) worded in the act's language into out.  0 or
 * CX_ENOMEM; *done is 1 when the option exists.
 */
static int word_opt(const struct cx_act *act, const char *name,
                    const char *why_name, char *out, size_t outsz, int *done)
{
	const char *id = opt(act->run, name), *why = opt(act->run, why_name);
	struct cx_buf b = {0};
	int rc;

	*done = 0;
	if (id == NULL)
		return CX_OK;
	rc = cx_msg(&b, act->cat, id, CX_ARGS("why", render_nz(why)));
	if (rc == CX_OK)
		snprintf(out, outsz, "%s", b.data ? b.data : "");
	cx_buf_free(&b);
	*done = rc == CX_OK;
	return rc;
}

int cx_act_net(const struct cx_act *act, struct cx_act_net *n,
               struct cx_buf *vantages)
{
	const struct cx_run *run = act->run;
	const char *d;
	size_t i;
	int rc = CX_OK, done;

	memset(n, 0, sizeof(*n));
	n->scan = opt(run, "scan");
	n->udp_ports = opt(run, "udp_ports");
	/* A run records ids (scan_reason_msg, discovery_msg); one recorded
	 * before them has the scanner's English text, printed as recorded. */
	rc = word_opt(act, "scan_reason_msg", "scan_reason_why", n->reason_text,
	              sizeof(n->reason_text), &done);
	if (rc != CX_OK)
		return rc;
	if (done) {
		n->scan_reason = n->reason_text;
	} else {
		n->scan_reason = opt(run, "scan_reason");
		n->scan_reason_recorded = n->scan_reason != NULL;
	}
	rc = word_opt(act, "discovery_msg", "discovery_why", n->note_text,
	              sizeof(n->note_text), &done);
	if (rc != CX_OK)
		return rc;
	d = opt(run, "discovery_msg");
	if (done) {
		n->discovery_note = n->note_text;
		n->discovery = strcmp(d, "scan.discovery.on") == 0 ? "on"
		               : strcmp(d, "scan.discovery.off") == 0
		                   ? "off"
		                   : "not-performed";
	} else {
		d = opt(run, "discovery");
		n->discovery_note = d;
		n->discovery_recorded = d != NULL;
		if (d == NULL)
			n->discovery = "unknown";
		else if (strncmp(d, "off", 3) == 0)
			n->discovery = "off";
		else if (strncmp(d, "not performed", 13) == 0)
			n->discovery = "not-performed";
		else
			n->discovery = "on";
	}
	for (i = 0; i < run->n_obs; i++) {
		const struct cx_observation *o = &run->obs[i];
		long v;

		if (strcmp(o->kind, "udpscan") == 0) {
			n->udp_scanned = 1;
			if (cx_parse_long(cx_obs_get(o, "open"), 0, 1 << 30,
			                  &v) == CX_OK)
				n->udp_open += (size_t)v;
		} else if (strcmp(o->kind, "discovery") == 0) {
			const char *st = cx_obs_get(o, "state");
			if (st != NULL && strcmp(st, "up") == 0)
				n->hosts_up++;
			else if (st != NULL)
				n->hosts_down++;
		}
	}
	/* The vantages: the run's own, else those its hosts were seen from. */
	if (vantages != NULL) {
		rc = cx_buf_append(vantages, "", 0);
		if (rc == CX_OK && run->vantage != NULL)
			rc = add_words(vantages, run->vantage);
		for (i = 0; rc == CX_OK && i < run->n_hosts; i++)
			rc = add_words(vantages, run->hosts[i].vantage);
		for (i = 0; rc == CX_OK && i < run->n_ports; i++)
			rc = add_words(vantages, run->ports[i].vantage);
	}
	return rc;
}

static int obs_cmp(const void *a, const void *b)
{
	const struct cx_observation *x = *(
	                                const struct cx_observation *const *)a,
	                            *y = *(
	                                const struct cx_observation *const *)b;

	return strcmp(x->asset ? x->asset : "", y->asset ? y->asset : "");
}

int cx_act_disc_index(const struct cx_act *act,
                      const struct cx_observation ***out, size_t *n)
{
	const struct cx_run *run = act->run;
	size_t i;

	*n = 0;
	*out = calloc(run->n_obs + 1, sizeof(**out));
	if (*out == NULL)
		return CX_ENOMEM;
	for (i = 0; i < run->n_obs; i++)
		if (strcmp(run->obs[i].kind, "discovery") == 0)
			(*out)[(*n)++] = &run->obs[i];
	qsort((void *)*out, *n, sizeof(**out), obs_cmp);
	return CX_OK;
}

const struct cx_observation *
cx_act_disc_find(const struct cx_observation *const *ix, size_t n,
                 const char *addr)
{
	struct cx_observation key;
	const struct cx_observation *kp = &key, *const * hit;

	memset(&key, 0, sizeof(key));
	key.asset = (char *)addr;
	hit = bsearch(&kp, ix, n, sizeof(*ix), obs_cmp);
	return hit ? *hit : NULL;
}

static const char *up_msg(const char *by)
{
	static const char *const m[][2] = {
	    {"arp-reply", "act.net.up.arp-reply"},
	    {"echo-reply", "act.net.up.echo-reply"},
	    {"timestamp-reply", "act.net.up.timestamp-reply"},
	    {"syn-ack/443", "act.net.up.syn-ack-443"},
	    {"rst/443", "act.net.up.rst-443"},
	    {"rst/80", "act.net.up.rst-80"},
	    {"local-address", "act.net.up.local-address"},
	};
	size_t i;

	for (i = 0; by != NULL && i < CX_ARRAY_LEN(m); i++)
		if (strcmp(by, m[i][0]) == 0)
			return m[i][1];
	return NULL;
}

/* How a host was found up, or why it is down, in the act's words. */
const char *render_net_how(struct render_ctx *r, const struct cx_observation *o)
{
	static const char *const down_ids[] = {
	    "scan.host.down-arp",       "scan.host.down-silent",
	    "scan.host.down-silent-v6", "scan.host.no-route",
	    "scan.host.unreachable",
	};
	const char *st, *by, *why, *m;
	size_t i;

	if (o == NULL)
		return T("act.net.how.no-discovery");
	st = cx_obs_get(o, "state");
	by = cx_obs_get(o, "up_by");
	why = cx_obs_get(o, "down_why");
	if (st != NULL && strcmp(st, "up") == 0) {
		m = up_msg(by);
		return m ? T(m)
		         : render_fmt(r, "act.net.up.other",
		                      CX_ARGS("how", render_nz(by)));
	}
	/* A run records a message id with its parameter; one recorded
	 * before the ids has the scanner's English, parsed below. */
	for (i = 0; why != NULL && i < CX_ARRAY_LEN(down_ids); i++)
		if (strcmp(why, down_ids[i]) == 0)
			return render_fmt(
			    r, why,
			    CX_ARGS("tries", render_nz(cx_obs_get(o, "tries")),
			            "from", render_nz(cx_obs_get(o, "from")),
			            "error",
			            render_nz(cx_obs_get(o, "error"))));
	if (why != NULL && (strncmp(why, "no ARP reply to ", 16) == 0 ||
	                    strncmp(why, "no answer to ", 13) == 0)) {
		const char *num = why[3] == 'A' ? why + 16 : why + 13;
		char *end, tb[24];
		unsigned long t = strtoul(num, &end, 10);

		if (end != num) {
			snprintf(tb, sizeof(tb), "%lu", t);
			return render_fmt(r,
			                  why[3] == 'A' ? "act.net.down.arp"
			                                : "act.net.down.silent",
			                  CX_ARGS("tries", tb));
		}
	}
	if (why != NULL && strncmp(why, "no route to it from here: ", 26) == 0)
		return render_fmt(r, "act.net.down.no-route",
		                  CX_ARGS("why", why + 26));
	return render_fmt(r, "act.net.down.other",
	                  CX_ARGS("why", render_nz(why)));
}

/* Down hosts listed one by one up to this many; the rest are counted. */
#define NET_DOWN_LISTED 50

/* Annex: every host with how it was found up or why it is down. */
int render_net_hosts(struct render_ctx *r)
{
	const struct cx_run *run = r->act->run;
	const struct cx_observation **ix = NULL;
	const char *cols[4], *cells[4];
	size_t n = 0, i, down = 0;
	char more[24];
	int rc;

	if (run->n_hosts == 0)
		return CX_OK;
	rc = cx_act_disc_index(r->act, &ix, &n);
	cols[0] = T("act.net.hosts.col.addr");
	cols[1] = T("act.net.hosts.col.state");
	cols[2] = T("act.net.hosts.col.how");
	cols[3] = T("act.net.hosts.col.vantage");
	W(r->o->heading(r->b, 3, T("act.net.hosts.title")));
	W(r->o->table_begin(r->b, NULL, cols, 4));
	for (i = 0; i < run->n_hosts && rc == CX_OK; i++) {
		const struct cx_host_obs *h = &run->hosts[i];

		if (!h->up && ++down > NET_DOWN_LISTED)
			continue;
		cells[0] = h->addr;
		cells[1] = T(h->up ? "act.net.host.up" : "act.net.host.down");
		cells[2] = render_net_how(r, cx_act_disc_find(ix, n, h->addr));
		cells[3] = render_nz(h->vantage);
		W(r->o->row(r->b, cells, 4));
	}
	W(r->o->table_end(r->b));
	if (down > NET_DOWN_LISTED) {
		snprintf(more, sizeof(more), "%zu", down - NET_DOWN_LISTED);
		W(r->o->para(r->b, render_fmt(r, "act.net.hosts.more-down",
		                              CX_ARGS("count", more))));
	}
	free((void *)ix);
	return rc;
}

/* The rows of the method section: scan type, UDP, discovery, vantages. */
int render_net_method(struct render_ctx *r,
                      int (*kv)(struct render_ctx *, const char *,
                                const char *))
{
	struct cx_act_net n;
	struct cx_buf v = {0};
	char up[24], down[24], uo[24];
	const char *scan;
	int rc = cx_act_net(r->act, &n, &v);

	if (rc != CX_OK) {
		cx_buf_free(&v);
		return rc;
	}
	snprintf(up, sizeof(up), "%zu", n.hosts_up);
	snprintf(down, sizeof(down), "%zu", n.hosts_down);
	snprintf(uo, sizeof(uo), "%zu", n.udp_open);
	/* Why a connect scan: worded from the recorded id, or an old run's
	 * English text as recorded.  The parameters row does not list it
	 * (render.c). */
	scan = n.scan == NULL               ? T("act.net.scan.unknown")
	       : strcmp(n.scan, "syn") == 0 ? T("act.net.scan.syn")
	       : strcmp(n.scan, "connect") == 0 && n.scan_reason != NULL
	           ? render_fmt(r,
	                        n.scan_reason_recorded
	                            ? "act.net.scan.connect-why"
	                            : "act.net.scan.connect-because",
	                        CX_ARGS("why", n.scan_reason))
	       : strcmp(n.scan, "connect") == 0 ? T("act.net.scan.connect")
	                                        : n.scan;
	W(kv(r, T("act.net.scan"), scan));
	if (n.udp_scanned)
		W(kv(r, T("act.net.udp"),
		     render_fmt(r, "act.net.udp.ports",
		                CX_ARGS("ports", render_nz(n.udp_ports), "open",
		                        uo))));
	else
		W(kv(r, T("act.net.udp"), T("act.net.udp.none")));
	if (strcmp(n.discovery, "on") == 0)
		W(kv(r, T("act.net.discovery"),
		     render_fmt(r, "act.net.discovery.on",
		                CX_ARGS("up", up, "down", down))));
	else if (strcmp(n.discovery, "off") == 0)
		W(kv(r, T("act.net.discovery"), T("act.net.discovery.off")));
	else if (strcmp(n.discovery, "not-performed") == 0)
		W(kv(r, T("act.net.discovery"),
		     render_fmt(r,
		                n.discovery_recorded
		                    ? "act.net.discovery.not-performed"
		                    : "act.net.discovery.not-performed-because",
		                CX_ARGS("why", n.discovery_note))));
	else
		W(kv(r, T("act.net.discovery"),
		     T("act.net.discovery.unknown")));
	W(kv(r, T("act.net.vantage"),
	     v.len > 0 ? v.data : T("act.net.vantage.none")));
	cx_buf_free(&v);
	return rc;
}
