/*
 * certexam — the act in reading order, for document formats: page 1 is
 * the header and the conclusion (a verdict per part and block, counts by
 * severity, the proposed decision and its reason); then the object, the
 * basis, the method, the package, the deficiencies grouped by requirement
 * and cause, the rectification (additional act), the recommendations of
 * good practice and the signatures.  The annexes follow in
 * render_annex.c.  Every word comes from the act's message catalog.
 */
#include <stdio.h>
#include <string.h>

#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/lang.h"
#include "certexam/profile.h"
#include "certexam/util.h"
#include "certexam/version.h"
#include "act_proc.h"
#include "render.h"

const char *render_nz(const char *s)
{
	return s && *s ? s : "—";
}

static struct cx_buf *ring(struct render_ctx *r)
{
	struct cx_buf *b = &r->ring[r->next];

	r->next = (r->next + 1) % RENDER_RING;
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
	return b;
}

static const char *ring_str(struct render_ctx *r, struct cx_buf *b, int rc)
{
	if (rc != CX_OK)
		r->oom = 1;
	return b->data ? b->data : "";
}

const char *render_fmt(struct render_ctx *r, const char *id,
                       const char *const *args)
{
	struct cx_buf *b = ring(r);

	return ring_str(r, b, cx_msg(b, r->act->cat, id, args));
}

const char *render_cause(struct render_ctx *r, const struct cx_finding *f)
{
	struct cx_buf *b = ring(r);

	return ring_str(r, b, cx_act_cause(r->act, f, b));
}

/*
 * A string of f's requirement in the act's language, from the profile
 * (the catalogue's kk/ru/en texts); NULL when there is none.
 */
static const char *req_str(const struct cx_act *act, const struct cx_finding *f,
                           enum cx_req_field field)
{
	const struct cx_requirement *req;
	int lang = cx_lang_parse(act->lang);

	if (act->profile == NULL || f->req_id == NULL || lang < 0)
		return NULL;
	req = cx_profile_req(act->profile, f->req_id);
	if (req == NULL)
		return NULL;
	/* A check's own recommendation overrides the requirement's. */
	if (field == CX_REQ_RECOMMENDATION && f->recommendation != NULL &&
	    (req->recommendation == NULL ||
	     strcmp(f->recommendation, req->recommendation) != 0))
		return NULL;
	return cx_requirement_str(req, field, (enum cx_lang)lang);
}

const char *render_req_lang(const struct cx_act *act,
                            const struct cx_finding *f, enum cx_req_field field)
{
	const char *msg = NULL;

	if (field == CX_REQ_TEXT && f->check != NULL &&
	    strcmp(f->check, "parts") == 0 && f->req_id != NULL &&
	    strlen(f->req_id) > 3)
		msg = cx_part_item_msg(f->req_id[1] - '0', f->req_id + 3);
	else if (field == CX_REQ_SOURCE)
		msg = cx_act_part_source(f);
	if (msg != NULL)
		return cx_act_text(act, msg);
	return req_str(act, f, field);
}

const char *render_req_text(struct render_ctx *r, const struct cx_finding *f)
{
	const char *t = render_req_lang(r->act, f, CX_REQ_TEXT);

	if (t != NULL)
		return t;
	return render_nz(f->req_text ? f->req_text : f->req_id);
}

const char *render_req_source(struct render_ctx *r, const struct cx_finding *f)
{
	const char *t = render_req_lang(r->act, f, CX_REQ_SOURCE);

	return t != NULL ? t : render_nz(f->req_source);
}

const char *render_req_rec(struct render_ctx *r, const struct cx_finding *f)
{
	const char *t = render_req_lang(r->act, f, CX_REQ_RECOMMENDATION);

	return t != NULL ? t : f->recommendation;
}

static const char *num(struct render_ctx *r, size_t n)
{
	struct cx_buf *b = ring(r);

	return ring_str(r, b, cx_buf_printf(b, "%zu", n));
}

static int kv(struct render_ctx *r, const char *k, const char *v)
{
	const char *cells[2];

	cells[0] = k;
	cells[1] = render_nz(v);
	return r->o->row(r->b, cells, 2);
}

static const char *heading_num(struct render_ctx *r, const char *id, int n)
{
	char s[16];

	snprintf(s, sizeof(s), "%d", n);
	return render_fmt(r, id, CX_ARGS("n", s));
}

static const char *party(struct render_ctx *r, const struct cx_party *p)
{
	if (p->name == NULL)
		return "—";
	const char *id = p->bin && p->address ? "act.h.party-bin"
	                 : p->bin             ? "act.h.party-bin-only"
	                 : p->address         ? "act.h.party"
	                                      : "act.h.party-name";

	return render_fmt(
	    r, id,
	    CX_ARGS("name", p->name, "bin", p->bin, "address", p->address));
}

static const char *docref(struct render_ctx *r, const struct cx_doc_ref *d)
{
	if (d->number == NULL && d->date == NULL)
		return "—";
	return render_fmt(r, "act.h.docref",
	                  CX_ARGS("number", d->number, "date", d->date));
}

static const char *type_msg(enum cx_object_type t)
{
	switch (t) {
	case CX_OBJ_INFORMATION_SYSTEM:
		return "act.type.information-system";
	case CX_OBJ_EGOV_PLATFORM:
		return "act.type.egov-platform";
	case CX_OBJ_INTERNET_RESOURCE:
		return "act.type.internet-resource";
	case CX_OBJ_CRITICAL_ICI:
		return "act.type.critical-ici";
	case CX_OBJ_UNKNOWN:
	default:
		return "act.type.unknown";
	}
}

static const char *short_verdict(enum cx_verdict v)
{
	switch (v) {
	case CX_VERDICT_PASS:
		return "act.vshort.pass";
	case CX_VERDICT_FAIL:
		return "act.vshort.fail";
	case CX_VERDICT_INCOMPLETE:
		return "act.vshort.incomplete";
	case CX_VERDICT_NOT_APPLICABLE:
		return "act.vshort.not_applicable";
	case CX_VERDICT_NOT_PERFORMED:
	default:
		return "act.vshort.not_performed";
	}
}

const char *render_decision_msg(enum cx_decision d)
{
	switch (d) {
	case CX_DECISION_ISSUE:
		return "act.decision.issue";
	case CX_DECISION_RECTIFY:
		return "act.decision.rectify";
	case CX_DECISION_REFUSE:
		return "act.decision.refuse";
	case CX_DECISION_NONE:
	default:
		return "act.decision.none";
	}
}

/* The head's approval, top right, when the case names the head. */
static int approval(struct render_ctx *r)
{
	const struct cx_act *act = r->act;
	int rc = CX_OK;

	W(r->o->div_begin(r->b, "approve"));
	W(r->o->para(r->b, T("act.approve.title")));
	W(r->o->para(r->b, render_nz(act->head.position)));
	W(r->o->para(r->b,
	             render_fmt(r, "act.approve.signature",
	                        CX_ARGS("name", render_nz(act->head.name)))));
	W(r->o->para(r->b, T("act.approve.date")));
	W(r->o->div_end(r->b));
	return rc;
}

static int header(struct render_ctx *r)
{
	static const char *const cols[] = {"", ""};
	const struct cx_act *act = r->act;
	const struct cx_object *obj = act->obj;
	const struct cx_run *run = act->run;
	char rn[16];
	int rc = CX_OK;

	W(r->o->table_begin(r->b, "kv", cols, 2));
	W(kv(r, T("act.h.date"), act->date));
	W(kv(r, T("act.h.object"), obj ? obj->name : run->object_name));
	if (obj != NULL) {
		W(kv(r, T("act.h.applicant"), party(r, &obj->applicant)));
		W(kv(r, T("act.h.application"), docref(r, &obj->application)));
		W(kv(r, T("act.h.contract"), docref(r, &obj->contract)));
	}
	if (act->additional) {
		snprintf(rn, sizeof(rn), "%04d", run->baseline);
		if (act->ref_number != NULL)
			W(kv(r, T("act.h.refers"),
			     render_fmt(r, "act.h.refers-act",
			                CX_ARGS("number", act->ref_number,
			                        "date", act->ref_date))));
		else
			W(kv(r, T("act.h.refers"),
			     render_fmt(r, "act.h.refers-run",
			                CX_ARGS("run", rn))));
	}
	W(r->o->table_end(r->b));
	return rc;
}

/* Page 1: the verdict per part and block, counts, the decision. */
static int conclusion(struct render_ctx *r)
{
	const char *sev_cols[5];
	const struct cx_act *act = r->act;
	const char *cols[2], *cells[5];
	size_t by_sev[CX__SEV_COUNT] = {0}, i;
	int p, bi, rc = CX_OK;

	W(r->o->heading(r->b, 2, heading_num(r, "act.s.conclusion", 1)));
	cols[0] = T("act.c.col.part");
	cols[1] = T("act.c.col.verdict");
	W(r->o->table_begin(r->b, "concl", cols, 2));
	for (p = 0; p < CX_ACT_NPARTS && rc == CX_OK; p++) {
		cells[0] = T(act->parts[p].title);
		cells[1] = T(short_verdict(act->parts[p].verdict));
		W(r->o->row(r->b, cells, 2));
		if (act->parts[p].n != 4)
			continue;
		for (bi = 0; bi < CX_ACT_NBLOCKS; bi++) {
			if (act->blocks[bi].part != 4)
				continue;
			cells[0] = render_fmt(
			    r, "act.c.subblock",
			    CX_ARGS("block", T(act->blocks[bi].title)));
			cells[1] = T(short_verdict(act->blocks[bi].verdict));
			W(r->o->row(r->b, cells, 2));
		}
	}
	W(r->o->table_end(r->b));
	for (i = 0; i < act->n_defs; i++)
		by_sev[act->defs[i].severity]++;
	sev_cols[0] = T("act.severity.critical");
	sev_cols[1] = T("act.severity.high");
	sev_cols[2] = T("act.severity.medium");
	sev_cols[3] = T("act.severity.low");
	sev_cols[4] = T("act.c.col.recommendations");
	W(r->o->para(r->b, T("act.c.counts")));
	W(r->o->table_begin(r->b, NULL, sev_cols, 5));
	for (i = 0; i < 4; i++)
		cells[i] = num(r, by_sev[i]);
	cells[4] = num(r, act->n_recs);
	W(r->o->row(r->b, cells, 5));
	W(r->o->table_end(r->b));
	W(r->o->verdict(r->b, cx_decision_name(act->decision),
	                render_fmt(r, render_decision_msg(act->decision),
	                           CX_ARGS("para", act->decision_para))));
	{
		struct cx_buf *rb = ring(r);
		W(r->o->para(r->b, ring_str(r, rb, cx_act_reason(act, rb))));
	}
	W(r->o->para(r->b, T("act.c.authority")));
	return rc;
}

static int object_section(struct render_ctx *r, int n)
{
	static const char *const cols[] = {"", ""};
	const struct cx_act *act = r->act;
	const struct cx_object *obj = act->obj;
	const struct cx_run *run = act->run;
	struct cx_buf scope = {0};
	const char *icols[4], *cells[4];
	size_t i;
	int rc = CX_OK;

	W(r->o->heading(r->b, 2, heading_num(r, "act.s.object", n)));
	for (i = 0; i < run->n_scope && rc == CX_OK; i++)
		W(cx_buf_printf(&scope, "%s%s", i ? ", " : "", run->scope[i]));
	W(r->o->table_begin(r->b, "kv", cols, 2));
	if (obj != NULL) {
		W(kv(r, T("act.o.name"), obj->name));
		W(kv(r, T("act.o.type"), T(type_msg(obj->type))));
		W(kv(r, T("act.h.possessor"), party(r, &obj->possessor)));
		W(kv(r, T("act.h.developer"), party(r, &obj->developer)));
		W(kv(r, T("act.o.lifecycle"), obj->lifecycle));
		W(kv(r, T("act.o.distributed"),
		     T(obj->distributed ? "act.yes" : "act.no")));
		W(kv(r, T("act.o.crypto"),
		     T(obj->uses_crypto ? "act.yes" : "act.no")));
		W(kv(r, T("act.o.hardware"), num(r, obj->n_hardware)));
		W(kv(r, T("act.o.software"), num(r, obj->n_software)));
	} else {
		W(kv(r, T("act.o.name"), run->object_name));
		W(kv(r, T("act.o.type"), T("act.o.no-case")));
	}
	W(kv(r, T("act.o.scope"), scope.data));
	W(r->o->table_end(r->b));
	cx_buf_free(&scope);
	if (obj != NULL && obj->n_integrations > 0) {
		icols[0] = T("act.col.no");
		icols[1] = T("act.o.col.name");
		icols[2] = T("act.o.col.possessor");
		icols[3] = T("act.o.col.interaction");
		W(r->o->para(r->b, T("act.o.integrations")));
		W(r->o->table_begin(r->b, NULL, icols, 4));
		for (i = 0; i < obj->n_integrations; i++) {
			cells[0] = num(r, i + 1);
			cells[1] = render_nz(obj->integrations[i].name);
			cells[2] = render_nz(obj->integrations[i].possessor);
			cells[3] = render_nz(obj->integrations[i].interaction);
			W(r->o->row(r->b, cells, 4));
		}
		W(r->o->table_end(r->b));
	}
	return rc;
}

const char *render_basis_title(const struct cx_act *act,
                               const struct cx_prop *b)
{
	const struct cx_profile *p = act->profile;
	int lang = cx_lang_parse(act->lang);
	size_t i;

	for (i = 0; p != NULL && lang >= 0 && i < p->n_basis; i++)
		if (strcmp(p->basis[i].id, b->name) == 0 &&
		    p->basis[i].titles[lang] != NULL)
			return p->basis[i].titles[lang];
	return b->value;
}

static int basis_method(struct render_ctx *r, int n)
{
	static const char *const cols[] = {"", ""};
	const struct cx_run *run = r->act->run;
	char t1[32], t2[32], rn[16];
	struct cx_buf opts_b = {0}, basis_b = {0};
	struct cx_buf *opts = &opts_b, *basis = &basis_b;
	size_t i;
	int rc = CX_OK;

	cx_iso8601(run->started, t1, sizeof(t1));
	cx_iso8601(run->finished, t2, sizeof(t2));
	snprintf(rn, sizeof(rn), "%04d", run->number);
	for (i = 0; i < run->n_basis && rc == CX_OK; i++)
		W(cx_buf_printf(basis, "%s%zu) %s", i ? "; " : "", i + 1,
		                render_basis_title(r->act, &run->basis[i])));
	/* The recorded options as given; the scanner's sentences on the
	 * scan type and host discovery are worded in the rows of the
	 * network scan (render_net.c) instead. */
	for (i = 0; i < run->n_options && rc == CX_OK; i++) {
		if (strcmp(run->options[i].name, "scan_reason") == 0 ||
		    strcmp(run->options[i].name, "scan_reason_msg") == 0 ||
		    strcmp(run->options[i].name, "scan_reason_why") == 0 ||
		    strcmp(run->options[i].name, "discovery") == 0 ||
		    strcmp(run->options[i].name, "discovery_msg") == 0 ||
		    strcmp(run->options[i].name, "discovery_why") == 0)
			continue;
		W(cx_buf_printf(opts, "%s%s=%s", opts->len ? ", " : "",
		                run->options[i].name, run->options[i].value));
	}
	W(r->o->heading(r->b, 2, heading_num(r, "act.s.method", n)));
	W(r->o->table_begin(r->b, "kv", cols, 2));
	W(kv(r, T("act.m.basis"),
	     run->n_basis ? basis->data : T("act.b.none")));
	W(kv(r, T("act.m.tool"),
	     render_fmt(r, "act.m.tool-line",
	                CX_ARGS("version", render_nz(run->tool_version)))));
	W(kv(r, T("act.m.profile"),
	     render_fmt(r, "act.m.profile-line",
	                CX_ARGS("id", run->profile_id, "version",
	                        run->profile_version))));
	W(kv(r, T("act.m.run"),
	     render_fmt(r,
	                r->act->additional ? "act.m.run-additional"
	                                   : "act.m.run-examination",
	                CX_ARGS("run", rn))));
	W(kv(r, T("act.m.period"),
	     render_fmt(
	         r, "act.m.period-line",
	         CX_ARGS("start", t1, "end", run->finished ? t2 : NULL))));
	W(kv(r, T("act.m.host"), run->examiner_host));
	W(render_net_method(r, kv));
	W(kv(r, T("act.m.options"), opts->data));
	W(kv(r, T("act.m.complete"),
	     T(run->complete ? "act.yes" : "act.m.incomplete")));
	if (run->degraded)
		W(kv(r, T("act.m.degraded"),
		     run->degraded_reason ? run->degraded_reason
		                          : T("act.yes")));
	W(r->o->table_end(r->b));
	cx_buf_free(&opts_b);
	cx_buf_free(&basis_b);
	return rc;
}

/* Paragraphs 13-14: what `scan` recorded of the package check. */
static int package_section(struct render_ctx *r, int n)
{
	const struct cx_run *run = r->act->run;
	const struct cx_observation *pk = NULL;
	const char *cols[2], *cells[2];
	struct cx_buf remark = {0};
	size_t i;
	int rc = CX_OK;

	W(r->o->heading(r->b, 2, heading_num(r, "act.s.package", n)));
	for (i = 0; i < run->n_obs; i++)
		if (strcmp(run->obs[i].kind, "package-check") == 0)
			pk = &run->obs[i];
	if (pk == NULL)
		return rc == CX_OK ? r->o->para(r->b, T("act.p.not-run")) : rc;
	if (cx_obs_get(pk, "errors") != NULL &&
	    strcmp(cx_obs_get(pk, "errors"), "0") == 0 &&
	    strcmp(render_nz(cx_obs_get(pk, "warnings")), "0") == 0)
		return rc == CX_OK ? r->o->para(r->b, T("act.p.none")) : rc;
	W(r->o->para(
	    r->b, render_fmt(r, "act.p.remarks",
	                     CX_ARGS("errors", cx_obs_get(pk, "errors"),
	                             "warnings", cx_obs_get(pk, "warnings")))));
	cols[0] = T("act.p.col.kind");
	cols[1] = T("act.p.col.remark");
	W(r->o->table_begin(r->b, NULL, cols, 2));
	for (i = 0; i < pk->n_props && rc == CX_OK; i++) {
		if (strcmp(pk->props[i].name, "error") &&
		    strcmp(pk->props[i].name, "warning"))
			continue;
		cells[0] = T(strcmp(pk->props[i].name, "error") == 0
		                 ? "act.p.error"
		                 : "act.p.warning");
		remark.len = 0;
		if (remark.data != NULL)
			remark.data[0] = '\0';
		W(render_proc_remark(r->act, pk, i, &remark));
		cells[1] = render_nz(remark.data);
		W(r->o->row(r->b, cells, 2));
	}
	W(r->o->table_end(r->b));
	cx_buf_free(&remark);
	return rc;
}

static const char *evidence_list(struct render_ctx *r,
                                 const struct cx_finding *f)
{
	struct cx_buf *b = ring(r);
	size_t j;
	int rc = CX_OK;

	for (j = 0; j < f->n_evidence && rc == CX_OK; j++)
		rc = cx_buf_printf(b, "%s%s", j ? ", " : "", f->evidence[j]);
	return ring_str(r, b, rc);
}

/*
 * One numbered deficiency, compact: the requirement as its heading; its
 * id, severity, legal basis and finding; the recommendation; every
 * affected asset with what it showed (where it differs) and its evidence.
 */
static int deficiency(struct render_ctx *r, const struct cx_act_group *g)
{
	const struct cx_finding *f = g->first;
	struct cx_buf as = {0};
	const char *cause = NULL;
	char n[16], cnt[24];
	size_t i;
	int rc = CX_OK;

	snprintf(n, sizeof(n), "%d", g->number);
	snprintf(cnt, sizeof(cnt), "%zu", g->n_members);
	W(r->o->heading(
	    r->b, 3,
	    render_fmt(r, g->is_new ? "act.d.title-new" : "act.d.title",
	               CX_ARGS("n", n, "requirement", render_req_text(r, f)))));
	if (f->msg != NULL) {
		cause = render_cause(r, f);
		W(r->o->para(
		    r->b, render_fmt(r, "act.d.summary",
		                     CX_ARGS("id", f->req_id, "severity",
		                             T(cx_severity_msg(g->severity)),
		                             "basis", render_req_source(r, f),
		                             "finding", cause))));
	} else {
		W(r->o->para(
		    r->b,
		    render_fmt(r, "act.d.summary-assets",
		               CX_ARGS("id", f->req_id, "severity",
		                       T(cx_severity_msg(g->severity)), "basis",
		                       render_req_source(r, f)))));
	}
	if (render_req_rec(r, f) != NULL)
		W(r->o->para(r->b, render_fmt(r, "act.d.line-rec",
		                              CX_ARGS("recommendation",
		                                      render_req_rec(r, f)))));
	for (i = 0; i < g->n_members && rc == CX_OK; i++) {
		const struct cx_finding *m = g->members[i];
		const char *mc = render_cause(r, m);
		W(cx_buf_printf(&as, "%s%s", i ? "; " : "",
		                render_nz(m->asset)));
		/* The member's own words only where they differ. */
		if (cause == NULL || strcmp(mc, cause) != 0)
			W(cx_buf_printf(&as, " — %s", mc));
		else if (m->item != NULL)
			W(cx_buf_printf(&as, " — %s", m->item));
		if (m->msg != NULL && m->observed != NULL)
			W(cx_buf_printf(&as, " — %s", m->observed));
		if (m->n_evidence > 0)
			W(cx_buf_printf(&as, " [%s]", evidence_list(r, m)));
	}
	W(r->o->para(r->b, render_fmt(r, "act.d.line-assets",
	                              CX_ARGS("count", cnt, "assets",
	                                      render_nz(as.data)))));
	cx_buf_free(&as);
	return rc;
}

static int deficiencies_section(struct render_ctx *r, int n)
{
	const struct cx_act *act = r->act;
	size_t i;
	int rc = CX_OK;

	W(r->o->heading(r->b, 2, heading_num(r, "act.s.deficiencies", n)));
	if (act->n_defs == 0)
		return rc == CX_OK ? r->o->para(r->b, T("act.d.none")) : rc;
	W(r->o->para(r->b, T("act.d.intro")));
	W(r->o->div_begin(r->b, "defs"));
	for (i = 0; i < act->n_defs && rc == CX_OK; i++)
		W(deficiency(r, &act->defs[i]));
	W(r->o->div_end(r->b));
	return rc;
}

static int delta_section(struct render_ctx *r, int n)
{
	const struct cx_act *act = r->act;
	const char *cols[5], *cells[5];
	size_t i;
	int rc = CX_OK;

	W(r->o->heading(r->b, 2, heading_num(r, "act.s.rectification", n)));
	if (act->n_delta == 0)
		return rc == CX_OK ? r->o->para(r->b, T("act.r.none")) : rc;
	cols[0] = T("act.r.col.req");
	cols[1] = T("act.r.col.asset");
	cols[2] = T("act.r.col.before");
	cols[3] = T("act.r.col.now");
	cols[4] = T("act.r.col.result");
	W(r->o->table_begin(r->b, NULL, cols, 5));
	for (i = 0; i < act->n_delta && rc == CX_OK; i++) {
		const struct cx_act_delta *d = &act->delta[i];
		cells[0] = d->before->req_id;
		cells[1] = render_nz(d->before->asset);
		cells[2] = render_cause(r, d->before);
		cells[3] = d->after ? render_cause(r, d->after)
		                    : T("act.rect.not_rechecked");
		cells[4] = T(cx_rectification_msg(d->result));
		W(r->o->row(r->b, cells, 5));
	}
	W(r->o->table_end(r->b));
	return rc;
}

static int recommendations_section(struct render_ctx *r, int n)
{
	int rc = CX_OK;

	W(r->o->heading(r->b, 2, heading_num(r, "act.s.recommendations", n)));
	if (r->act->n_recs == 0)
		return rc == CX_OK ? r->o->para(r->b, T("act.rec.none")) : rc;
	W(r->o->para(r->b, T("act.rec.intro")));
	W(render_recs_table(r));
	return rc;
}

static int signatures(struct render_ctx *r, int n)
{
	const struct cx_act *act = r->act;
	const char *cols[3], *cells[3];
	size_t i;
	int rc = CX_OK;

	W(r->o->div_begin(r->b, "signatures"));
	W(r->o->heading(r->b, 2, heading_num(r, "act.s.signatures", n)));
	W(r->o->para(r->b, T(act->additional ? "act.sig.copies-additional"
	                                     : "act.sig.copies")));
	W(r->o->para(r->b, T("act.sig.examiners")));
	cols[0] = T("act.sig.col.position");
	cols[1] = T("act.sig.col.signature");
	cols[2] = T("act.sig.col.name");
	W(r->o->table_begin(r->b, "sig", cols, 3));
	for (i = 0; i < act->n_examiners && rc == CX_OK; i++) {
		cells[0] = render_nz(act->examiners[i].position);
		cells[1] = " ";
		cells[2] = render_nz(act->examiners[i].name);
		W(r->o->row(r->b, cells, 3));
	}
	if (act->n_examiners == 0) {
		cells[0] = T("act.sig.none");
		cells[1] = " ";
		cells[2] = " ";
		W(r->o->row(r->b, cells, 3));
	}
	W(r->o->table_end(r->b));
	W(r->o->div_end(r->b));
	return rc;
}

/* Page 1: the act was drafted from a run whose evidence fails its check. */
static const char *altered_text(struct render_ctx *r)
{
	struct cx_buf files = {0};
	const char *t;
	size_t i;
	int rc = CX_OK;

	for (i = 0; i < r->act->n_altered && rc == CX_OK; i++)
		rc = cx_buf_printf(&files, "%s%s", i ? ", " : "",
		                   r->act->altered[i]);
	if (rc != CX_OK)
		r->oom = 1;
	t = render_fmt(r, "act.altered-evidence",
	               CX_ARGS("files", files.data ? files.data : ""));
	cx_buf_free(&files);
	return t;
}

int render_act(const struct cx_act *act, const struct render_ops *o,
               struct cx_buf *b)
{
	struct render_ctx r;
	const char *title;
	int i, n = 1, rc = CX_OK;

	memset(&r, 0, sizeof(r));
	r.act = act;
	r.o = o;
	r.b = b;
	title = render_fmt(
	    &r,
	    act->additional ? "act.title.additional" : "act.title.examination",
	    CX_ARGS("number", act->number ? act->number : "________"));
	W(o->begin(b, act, title));
	if (act->head.name != NULL || act->head.position != NULL)
		W(approval(&r));
	W(o->heading(b, 1, title));
	W(o->para(b, render_fmt(&r, "act.draft-note",
	                        CX_ARGS("version", CX_VERSION))));
	if (!act->run->complete)
		W(o->verdict(b, "fail",
		             cx_act_text(act, "act.run-incomplete")));
	if (act->n_altered > 0)
		W(o->verdict(b, "fail", altered_text(&r)));
	W(header(&r));
	W(conclusion(&r));
	/* The procedure's term and waivers: after the conclusion (page 1). */
	W(render_proc_act(act, o, b));
	W(object_section(&r, ++n));
	W(basis_method(&r, ++n));
	W(package_section(&r, ++n));
	W(deficiencies_section(&r, ++n));
	if (act->additional)
		W(delta_section(&r, ++n));
	W(recommendations_section(&r, ++n));
	W(signatures(&r, ++n));
	W(render_annexes(&r));
	W(o->end(b));
	for (i = 0; i < RENDER_RING; i++)
		cx_buf_free(&r.ring[i]);
	if (rc == CX_OK && r.oom)
		rc = CX_ENOMEM;
	return rc;
}
