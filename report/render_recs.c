/*
 * certexam — the recommendations of good practice, compactly: one table
 * row per requirement (act.c groups failed practice and info items by
 * requirement only) with its id, severity, requirement text and
 * recommendation in one cell and every affected asset in the other.
 * Assets "HOST:PORT/PROTO" of one host and protocol are written once as
 * "HOST, PROTO: P1, P2, ..." (ports ascending); other assets (URLs, the
 * object's name) as they are; duplicates once.  Sorting only: O(n log n)
 * in the members of a group.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/util.h"
#include "render.h"

struct asset {
	const char *s;     /* the whole asset as recorded */
	size_t hlen;       /* the host part (the whole string if !port) */
	const char *proto; /* after '/' when port */
	unsigned long port;
	int is_port;
};

/* "HOST:PORT/PROTO" with PORT 1-5 digits <= 65535 and PROTO [a-z]{1,8}. */
static void asset_parse(struct asset *a, const char *s)
{
	const char *c = strrchr(s, ':'), *p;
	size_t nd = 0, np = 0;

	a->s = s;
	a->hlen = strlen(s);
	a->proto = "";
	a->port = 0;
	a->is_port = 0;
	if (c == NULL || c == s)
		return;
	for (p = c + 1; *p >= '0' && *p <= '9' && nd < 6; p++, nd++)
		a->port = a->port * 10 + (unsigned long)(*p - '0');
	if (nd == 0 || nd > 5 || a->port > 65535 || *p != '/')
		return;
	for (p++; p[np] >= 'a' && p[np] <= 'z' && np < 9; np++)
		;
	if (np == 0 || np > 8 || p[np] != '\0')
		return;
	a->hlen = (size_t)(c - s);
	a->proto = p;
	a->is_port = 1;
}

static int asset_cmp(const void *x, const void *y)
{
	const struct asset *a = x, *b = y;
	size_t n = a->hlen < b->hlen ? a->hlen : b->hlen;
	int c = memcmp(a->s, b->s, n);

	if (c != 0)
		return c;
	if (a->hlen != b->hlen)
		return a->hlen < b->hlen ? -1 : 1;
	if (a->is_port != b->is_port)
		return a->is_port - b->is_port;
	c = strcmp(a->proto, b->proto);
	if (c != 0)
		return c;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return strcmp(a->s, b->s);
}

static int same_host_proto(const struct asset *a, const struct asset *b)
{
	return a->is_port && b->is_port && a->hlen == b->hlen &&
	       memcmp(a->s, b->s, a->hlen) == 0 &&
	       strcmp(a->proto, b->proto) == 0;
}

/* The assets of g, compacted, into out (raw text: the writer escapes). */
static int assets_compact(const struct cx_act_group *g, struct cx_buf *out)
{
	struct asset *v;
	size_t i, j, n = 0;
	int rc = CX_OK;

	v = calloc(g->n_members + 1, sizeof(*v));
	if (v == NULL)
		return CX_ENOMEM;
	for (i = 0; i < g->n_members; i++)
		asset_parse(&v[n++], render_nz(g->members[i]->asset));
	qsort(v, n, sizeof(*v), asset_cmp);
	for (i = 0; i < n && rc == CX_OK; i = j) {
		size_t k, ports = 1;
		/* The run of one host and protocol (or one plain asset). */
		for (j = i + 1; j < n && (same_host_proto(&v[i], &v[j]) ||
		                          strcmp(v[i].s, v[j].s) == 0);
		     j++)
			if (v[j].port != v[j - 1].port)
				ports++;
		if (i > 0)
			rc = cx_buf_puts(out, "; ");
		if (rc != CX_OK)
			break;
		if (!v[i].is_port || ports == 1) {
			rc = cx_buf_puts(out, v[i].s);
			continue;
		}
		rc = cx_buf_printf(out, "%.*s, %s: %lu", (int)v[i].hlen, v[i].s,
		                   v[i].proto, v[i].port);
		for (k = i + 1; k < j && rc == CX_OK; k++)
			if (v[k].port != v[k - 1].port)
				rc = cx_buf_printf(out, ", %lu", v[k].port);
	}
	free(v);
	return rc;
}

static int str_cmp(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/*
 * The recommendations of g's members, each distinct one once: the
 * requirement's in the act's language, or a check's own where it gave
 * one.
 */
static int recs_distinct(struct render_ctx *r, const struct cx_act_group *g,
                         struct cx_buf *out)
{
	const char **v;
	size_t i, n = 0;
	int rc = CX_OK;

	v = calloc(g->n_members + 1, sizeof(*v));
	if (v == NULL)
		return CX_ENOMEM;
	for (i = 0; i < g->n_members; i++) {
		const char *t = render_req_rec(r, g->members[i]);
		if (t != NULL && *t != '\0')
			v[n++] = t;
	}
	qsort(v, n, sizeof(*v), str_cmp);
	for (i = 0; i < n && rc == CX_OK; i++)
		if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
			rc = cx_buf_printf(out, "%s%s", out->len ? " " : "",
			                   v[i]);
	free(v);
	return rc;
}

int render_recs_table(struct render_ctx *r)
{
	const struct cx_act *act = r->act;
	const char *cols[3], *cells[3];
	size_t i;
	int rc = CX_OK;

	cols[0] = cx_act_text(act, "act.col.no");
	cols[1] = cx_act_text(act, "act.rec.col.req-rec");
	cols[2] = cx_act_text(act, "act.rec.col.assets");
	W(r->o->table_begin(r->b, "recs", cols, 3));
	for (i = 0; i < act->n_recs && rc == CX_OK; i++) {
		const struct cx_act_group *g = &act->recs[i];
		struct cx_buf rec = {0}, as = {0}, text = {0};
		char no[24];
		/*
		 * render_req_rec() of the members uses the ring: the
		 * recommendations are copied to rec before the next ring
		 * calls.
		 */
		W(recs_distinct(r, g, &rec));
		W(assets_compact(g, &as));
		if (rc == CX_OK) {
			const char *id = render_nz(g->first->req_id);
			const char *sev =
			    cx_act_text(act, cx_severity_msg(g->severity));
			const char *req = render_req_text(r, g->first);
			rc = rec.len
			         ? cx_msg(&text, act->cat, "act.rec.row",
			                  CX_ARGS("id", id, "severity", sev,
			                          "requirement", req,
			                          "recommendation", rec.data))
			         : cx_msg(&text, act->cat, "act.rec.row-norec",
			                  CX_ARGS("id", id, "severity", sev,
			                          "requirement", req));
		}
		snprintf(no, sizeof(no), "%d", g->number);
		cells[0] = no;
		cells[1] = render_nz(text.data);
		cells[2] = render_nz(as.data);
		W(r->o->row(r->b, cells, 3));
		cx_buf_free(&text);
		cx_buf_free(&rec);
		cx_buf_free(&as);
	}
	W(r->o->table_end(r->b));
	return rc;
}
