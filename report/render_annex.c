/*
 * certexam — the annexes of the act, after the signatures: every item per
 * part and block (passed ones included), the per-endpoint tables (ports,
 * TLS endpoints with their client simulation, web resources) and the
 * evidence with its whole SHA-256.
 * On screen each annex is collapsed (<details>), in print it is printed
 * in full.  Every word comes from the act's message catalog.
 *
 * Hooks for sections other modules add (the Annex 5/6 comparison, the
 * Annex 3 criteria, waivers, deadlines, the draft certificate): the model
 * has a pointer for each (struct cx_act: annex56, criteria, ...); a
 * module renders its annex here, in render_annexes(), after "items".
 */
#include <stdio.h>
#include <string.h>

#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/run.h"
#include "certexam/util.h"
#include "act_clients.h"
#include "act_proc.h"
#include "render.h"

static const char *count(char *s, size_t n)
{
	snprintf(s, 24, "%zu", n);
	return s;
}

int cx_act_check_state(const struct cx_act *act, const char *state,
                       struct cx_buf *b)
{
	const char *err, *msg = cx_check_state_msg(state, &(size_t){0}, &err);

	if (msg == NULL)
		return state != NULL ? cx_buf_puts(b, state) : CX_OK;
	return cx_msg(b, act->cat, msg, CX_ARGS("error", render_nz(err)));
}

static int items_annex(struct render_ctx *r)
{
	const struct cx_act *act = r->act;
	const char *cols[5], *cells[5];
	char c[6][24];
	size_t i;
	int bi, rc = CX_OK;

	cols[0] = T("act.a.col.req");
	cols[1] = T("act.a.col.asset");
	cols[2] = T("act.a.col.status");
	cols[3] = T("act.a.col.severity");
	cols[4] = T("act.a.col.observed");
	W(r->o->details_begin(r->b, T("act.s.annex-items")));
	W(r->o->heading(r->b, 2, T("act.s.annex-items")));
	for (bi = 0; bi < CX_ACT_NBLOCKS && rc == CX_OK; bi++) {
		const struct cx_act_block *bl = &act->blocks[bi];
		W(r->o->heading(r->b, 3, T(bl->title)));
		W(r->o->verdict(r->b, cx_verdict_name(bl->verdict),
		                T(cx_verdict_msg(bl->verdict))));
		if (bl->check_state != NULL &&
		    strcmp(bl->check_state, CX_STATE_DONE)) {
			struct cx_buf st = {0};

			W(cx_act_check_state(act, bl->check_state, &st));
			W(r->o->para(r->b, st.data ? st.data : ""));
			cx_buf_free(&st);
		}
		W(r->o->para(
		    r->b,
		    render_fmt(
		        r, "act.a.counts",
		        CX_ARGS(
		            "pass", count(c[0], bl->by_status[CX_PASS]), "fail",
		            count(c[1], bl->by_status[CX_FAIL]), "na",
		            count(c[2], bl->by_status[CX_NOT_APPLICABLE]), "nc",
		            count(c[3], bl->by_status[CX_NOT_CHECKED]), "err",
		            count(c[4], bl->by_status[CX_ERROR]), "waived",
		            count(c[5], bl->by_status[CX_WAIVED])))));
		W(render_proc_block(act, r->o, r->b, bl->id));
		if (bl->n_items == 0)
			continue;
		W(r->o->table_begin(r->b, NULL, cols, 5));
		for (i = 0; i < bl->n_items && rc == CX_OK; i++) {
			const struct cx_finding *f = bl->items[i];
			struct cx_buf ob = {0};
			W(cx_buf_puts(&ob, render_cause(r, f)));
			if (f->msg != NULL && f->observed != NULL)
				W(cx_buf_printf(&ob, " — %s", f->observed));
			cells[0] = render_nz(f->req_id);
			cells[1] = render_nz(f->asset);
			cells[2] = T(cx_status_msg(f->status));
			cells[3] = T(cx_severity_msg(f->severity));
			cells[4] = render_nz(ob.data);
			W(r->o->row(r->b, cells, 5));
			cx_buf_free(&ob);
		}
		W(r->o->table_end(r->b));
	}
	W(render_proc_annex(act, r->o, r->b));
	W(r->o->details_end(r->b));
	return rc;
}

static int obs_table(struct render_ctx *r, const char *kind, const char *intro,
                     const char *const *col_ids, const char *const *props,
                     size_t ncols)
{
	const struct cx_run *run = r->act->run;
	const char *cols[8], *cells[8];
	size_t i, j, shown = 0;
	int rc = CX_OK;

	for (j = 0; j < ncols; j++)
		cols[j] = T(col_ids[j]);
	for (i = 0; i < run->n_obs && rc == CX_OK; i++) {
		const struct cx_observation *ob = &run->obs[i];
		if (strcmp(ob->kind, kind) != 0)
			continue;
		if (shown++ == 0) {
			W(r->o->para(r->b, T(intro)));
			W(r->o->table_begin(r->b, NULL, cols, ncols));
		}
		cells[0] = ob->asset;
		for (j = 1; j < ncols; j++)
			cells[j] = render_nz(cx_obs_get(ob, props[j]));
		W(r->o->row(r->b, cells, ncols));
	}
	if (shown)
		W(r->o->table_end(r->b));
	return rc;
}

/*
 * Client simulation, per TLS endpoint: which common clients could connect
 * and with what protocol, cipher suite and group, or why not
 * (report/act_clients.c).
 */
static int clients_annex(struct render_ctx *r)
{
	static const char *const ccols[] = {
	    "act.a.client.col.client", "act.a.client.col.connects",
	    "act.a.client.col.result", "act.a.client.col.why"};
	const struct cx_run *run = r->act->run;
	const char *cols[4], *cells[4];
	struct act_client c;
	struct cx_buf t = {0};
	size_t i, j, shown = 0;
	int rc = CX_OK;

	for (j = 0; j < 4; j++)
		cols[j] = T(ccols[j]);
	for (i = 0; i < run->n_obs && rc == CX_OK; i++) {
		const struct cx_observation *ob = &run->obs[i];

		if (strcmp(ob->kind, "tls-endpoint") != 0 ||
		    act_client_count(ob) == 0)
			continue;
		if (shown++ == 0)
			W(r->o->para(r->b, T("act.a.clients-intro")));
		W(r->o->heading(r->b, 3,
		                render_fmt(r, "act.a.clients",
		                           CX_ARGS("endpoint", ob->asset))));
		W(r->o->table_begin(r->b, NULL, cols, 4));
		for (j = 0; j < ob->n_props && rc == CX_OK; j++) {
			if (!act_client_parse(&ob->props[j], &c))
				continue;
			t.len = 0;
			W(cx_buf_append(&t, "", 0));
			W(act_client_text(r->act, &c, &t));
			cells[0] = c.name;
			cells[1] = T(c.connected ? "act.yes" : "act.no");
			cells[2] = c.connected ? t.data : "—";
			cells[3] = c.connected ? "—" : t.data;
			W(r->o->row(r->b, cells, 4));
		}
		W(r->o->table_end(r->b));
	}
	cx_buf_free(&t);
	return rc;
}

static int endpoints_annex(struct render_ctx *r)
{
	static const char *const pcols[] = {
	    "act.a.port.addr",    "act.a.port.port",    "act.a.port.state",
	    "act.a.port.service", "act.a.port.product", "act.a.port.version",
	    "act.a.port.tls",     "act.a.port.evidence"};
	static const char *const tcols[] = {
	    "act.a.tls.endpoint", "act.a.tls.grade", "act.a.tls.trust",
	    "act.a.tls.protocols", "act.a.algorithm"};
	static const char *const tprops[] = {"", "grade", "trust_grade",
	                                     "protocols", "grade_algorithm"};
	static const char *const wcols[] = {
	    "act.a.web.resource", "act.a.web.score", "act.a.tls.grade",
	    "act.a.web.final", "act.a.algorithm"};
	static const char *const wprops[] = {"", "score", "grade", "final-url",
	                                     "score-algorithm"};
	const struct cx_run *run = r->act->run;
	const char *cols[8], *cells[8];
	char port[24];
	size_t i;
	int rc = CX_OK;

	W(r->o->details_begin(r->b, T("act.s.annex-endpoints")));
	W(r->o->heading(r->b, 2, T("act.s.annex-endpoints")));
	W(render_net_hosts(r));
	if (run->n_ports == 0) {
		W(r->o->para(r->b, T("act.a.ports-none")));
	} else {
		for (i = 0; i < 8; i++)
			cols[i] = T(pcols[i]);
		W(r->o->para(r->b, T("act.a.ports-intro")));
		W(r->o->table_begin(r->b, NULL, cols, 8));
		for (i = 0; i < run->n_ports && rc == CX_OK; i++) {
			const struct cx_port_obs *p = &run->ports[i];
			snprintf(port, sizeof(port), "%d/%s", p->port,
			         p->proto);
			cells[0] =
			    p->vantage == NULL
			        ? p->addr
			        : render_fmt(r, "act.a.port.addr-vantage",
			                     CX_ARGS("addr", p->addr, "vantage",
			                             p->vantage));
			cells[1] = port;
			cells[2] = cx_port_state_name(p->state);
			cells[3] = render_nz(p->service);
			cells[4] = render_nz(p->product);
			cells[5] = render_nz(p->version);
			cells[6] = T(p->tls ? "act.yes" : "act.no");
			cells[7] = render_nz(p->evidence);
			W(r->o->row(r->b, cells, 8));
		}
		W(r->o->table_end(r->b));
	}
	W(obs_table(r, "tls-endpoint", "act.a.tls-intro", tcols, tprops, 5));
	W(clients_annex(r));
	W(obs_table(r, "http-resource", "act.a.web-intro", wcols, wprops, 5));
	W(r->o->details_end(r->b));
	return rc;
}

static int evidence_annex(struct render_ctx *r)
{
	const struct cx_run *run = r->act->run;
	const char *cols[6], *cells[6];
	char size[32];
	size_t i;
	int rc = CX_OK;

	W(r->o->details_begin(r->b, T("act.s.annex-evidence")));
	W(r->o->heading(r->b, 2, T("act.s.annex-evidence")));
	if (run->n_evidence == 0) {
		W(r->o->para(r->b, T("act.e.none")));
		W(r->o->details_end(r->b));
		return rc;
	}
	W(r->o->para(r->b, T("act.e.intro")));
	cols[0] = T("act.e.col.id");
	cols[1] = T("act.e.col.file");
	cols[2] = T("act.e.col.asset");
	cols[3] = T("act.e.col.kind");
	cols[4] = T("act.e.col.size");
	cols[5] = T("act.e.col.sha");
	W(r->o->table_begin(r->b, "ev", cols, 6));
	for (i = 0; i < run->n_evidence && rc == CX_OK; i++) {
		const struct cx_evidence *e = &run->evidence[i];
		snprintf(size, sizeof(size), "%zu", e->size);
		cells[0] = e->id;
		cells[1] = e->file;
		cells[2] = render_nz(e->asset);
		cells[3] = render_nz(e->kind);
		cells[4] = size;
		cells[5] = e->sha256;
		W(r->o->row(r->b, cells, 6));
	}
	W(r->o->table_end(r->b));
	W(r->o->details_end(r->b));
	return rc;
}

int render_annexes(struct render_ctx *r)
{
	int rc = CX_OK;

	W(r->o->div_begin(r->b, "annexes"));
	W(r->o->para(r->b, T("act.annex.note")));
	W(items_annex(r));
	/* Hooks: further annexes (annex56, criteria, waivers, ...) here. */
	W(endpoints_annex(r));
	W(evidence_annex(r));
	W(r->o->div_end(r->b));
	return rc;
}
