/*
 * certexam — the act as a data tree (XML and JSON writers).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/profile.h"
#include "certexam/run.h"
#include "certexam/version.h"
#include "act_clients.h"
#include "act_proc.h"
#include "render.h"
#include "tree.h"

#define W(expr)                                                                \
	do {                                                                   \
		if (rc == CX_OK)                                               \
			rc = (expr);                                           \
	} while (0)

static int party(struct tree_out *t, const struct tree_ops *o, const char *name,
                 const struct cx_party *p)
{
	int rc = o->obj_open(t, name);

	W(o->field(t, "name", p->name));
	W(o->field(t, "bin", p->bin));
	W(o->field(t, "address", p->address));
	W(o->field(t, "contact", p->contact));
	W(o->obj_close(t, name));
	return rc;
}

static int docref(struct tree_out *t, const struct tree_ops *o,
                  const char *name, const struct cx_doc_ref *d)
{
	int rc = o->obj_open(t, name);

	W(o->field(t, "number", d->number));
	W(o->field(t, "date", d->date));
	W(o->obj_close(t, name));
	return rc;
}

/*
 * The words of f's requirement in the act's language, from the same
 * sources as the HTML act (render_req_lang: the catalog for the items of
 * 22(1) and 22(3), the profile's kk/ru/en strings); else the run's
 * recorded text (English, or NULL), as before.
 */
static const char *req_lang(const struct cx_act *act,
                            const struct cx_finding *f, enum cx_req_field field,
                            const char *recorded)
{
	const char *t = render_req_lang(act, f, field);

	return t != NULL ? t : recorded;
}

/* The finding's title: the checks record the requirement's text there
 * (checks.c, parts.c), which is given in the act's language; a title of
 * its own that a check recorded is kept as recorded. */
static const char *finding_title(const struct cx_act *act,
                                 const struct cx_finding *f)
{
	int same = f->title == NULL ? f->req_text == NULL
	                            : f->req_text != NULL &&
	                                  strcmp(f->title, f->req_text) == 0;

	return same ? req_lang(act, f, CX_REQ_TEXT, f->title) : f->title;
}

/* How f was determined, in the act's language (an old run's text as
 * recorded); no field when nothing was recorded. */
static int method_field(struct tree_out *t, const struct tree_ops *o,
                        const struct cx_act *act, const struct cx_finding *f)
{
	struct cx_buf how = {0};
	int rc = cx_act_method(act, f, &how);

	W(o->field(t, "method", how.len > 0 ? how.data : NULL));
	cx_buf_free(&how);
	return rc;
}

/* A block's check state in the act's language, when not done. */
static int state_field(struct tree_out *t, const struct tree_ops *o,
                       const struct cx_act *act, const char *state)
{
	struct cx_buf st = {0};
	int rc = CX_OK;

	if (state == NULL || strcmp(state, CX_STATE_DONE) == 0)
		return CX_OK;
	W(cx_act_check_state(act, state, &st));
	W(o->field(t, "check_state_text", st.data ? st.data : ""));
	cx_buf_free(&st);
	return rc;
}

static int finding(struct tree_out *t, const struct tree_ops *o,
                   const struct cx_act *act, const struct cx_finding *f)
{
	struct cx_buf cause = {0};
	size_t j;
	int rc = o->obj_open(t, NULL);

	W(o->field(t, "key", f->key));
	W(o->field(t, "check", f->check));
	W(o->field(t, "requirement", f->req_id));
	W(o->field(t, "requirement_text",
	           req_lang(act, f, CX_REQ_TEXT, f->req_text)));
	W(o->field(t, "source",
	           req_lang(act, f, CX_REQ_SOURCE, f->req_source)));
	W(o->field(t, "block", f->block));
	W(o->field(t, "asset", f->asset));
	W(o->field(t, "item", f->item));
	W(o->field(t, "status", cx_status_name(f->status)));
	W(o->field(t, "severity", cx_severity_name(f->severity)));
	W(o->field(t, "certainty", cx_certainty_name(f->certainty)));
	W(o->field(t, "title", finding_title(act, f)));
	W(o->field(t, "observed", f->observed));
	W(method_field(t, o, act, f));
	W(o->field(t, "recommendation",
	           req_lang(act, f, CX_REQ_RECOMMENDATION, f->recommendation)));
	W(o->field(t, "kind", f->req_kind ? f->req_kind : "normative"));
	W(o->field(t, "msg", f->msg));
	W(o->list_open(t, "args", "arg"));
	for (j = 0; j < f->n_args; j++) {
		W(o->obj_open(t, NULL));
		W(o->field(t, "name", f->args[j].name));
		W(o->field(t, "value", f->args[j].value));
		W(o->obj_close(t, NULL));
	}
	W(o->list_close(t, "args"));
	W(cx_act_cause(act, f, &cause));
	W(o->field(t, "text", cause.data ? cause.data : ""));
	cx_buf_free(&cause);
	W(o->list_open(t, "evidence", "ref"));
	for (j = 0; j < f->n_evidence; j++)
		W(o->field(t, NULL, f->evidence[j]));
	W(o->list_close(t, "evidence"));
	W(o->obj_close(t, NULL));
	return rc;
}

/*
 * A numbered deficiency or recommendation with its members.  A member is
 * named by its key and asset: the finding itself is given once, in the
 * items of its block (a run of 65,535 failed ports would otherwise carry
 * every failed finding twice).
 */
static int groups(struct tree_out *t, const struct tree_ops *o,
                  const struct cx_act *act, const char *name,
                  const struct cx_act_group *g, size_t n)
{
	size_t i, j;
	int rc = o->list_open(t, name, "group");

	for (i = 0; i < n; i++) {
		W(o->obj_open(t, NULL));
		W(o->num(t, "number", g[i].number));
		W(o->field(t, "requirement", g[i].first->req_id));
		W(o->field(t, "severity", cx_severity_name(g[i].severity)));
		W(o->field(t, "new", g[i].is_new ? "true" : "false"));
		W(o->field(t, "source",
		           req_lang(act, g[i].first, CX_REQ_SOURCE,
		                    g[i].first->req_source)));
		W(o->list_open(t, "findings", "finding"));
		for (j = 0; j < g[i].n_members && rc == CX_OK; j++) {
			W(o->obj_open(t, NULL));
			W(o->field(t, "key", g[i].members[j]->key));
			W(o->field(t, "asset", g[i].members[j]->asset));
			W(o->obj_close(t, NULL));
		}
		W(o->list_close(t, "findings"));
		W(o->obj_close(t, NULL));
	}
	W(o->list_close(t, name));
	return rc;
}

static int person(struct tree_out *t, const struct tree_ops *o,
                  const char *name, const struct cx_act_person *p)
{
	int rc = o->obj_open(t, name);

	W(o->field(t, "name", p->name));
	W(o->field(t, "position", p->position));
	W(o->obj_close(t, name));
	return rc;
}

static int object(struct tree_out *t, const struct tree_ops *o,
                  const struct cx_act *act)
{
	const struct cx_object *obj = act->obj;
	size_t i;
	int rc = o->obj_open(t, "object");

	if (obj == NULL) {
		W(o->field(t, "name", act->run->object_name));
		W(o->obj_close(t, "object"));
		return rc;
	}
	W(o->field(t, "name", obj->name));
	W(o->field(t, "short_name", obj->short_name));
	W(o->field(t, "type", cx_object_type_name(obj->type)));
	W(o->field(t, "lifecycle", obj->lifecycle));
	W(party(t, o, "possessor", &obj->possessor));
	W(party(t, o, "developer", &obj->developer));
	W(party(t, o, "applicant", &obj->applicant));
	W(docref(t, o, "application", &obj->application));
	W(docref(t, o, "contract", &obj->contract));
	W(o->field(t, "distributed", obj->distributed ? "yes" : "no"));
	W(o->list_open(t, "integrations", "integration"));
	for (i = 0; i < obj->n_integrations; i++) {
		W(o->obj_open(t, NULL));
		W(o->field(t, "name", obj->integrations[i].name));
		W(o->field(t, "possessor", obj->integrations[i].possessor));
		W(o->field(t, "interaction", obj->integrations[i].interaction));
		W(o->obj_close(t, NULL));
	}
	W(o->list_close(t, "integrations"));
	W(o->num(t, "hardware_items", (long)obj->n_hardware));
	W(o->num(t, "software_items", (long)obj->n_software));
	W(o->obj_close(t, "object"));
	return rc;
}

/* How the network was scanned: scan type, UDP, discovery per host,
 * vantage points (see report/render_net.c). */
static int tree_net(struct tree_out *t, const struct tree_ops *o,
                    const struct cx_act *act)
{
	const struct cx_run *run = act->run;
	const struct cx_observation **ix = NULL;
	struct cx_act_net n;
	struct cx_buf v = {0};
	size_t nix = 0, i;
	int rc = cx_act_net(act, &n, &v);

	W(cx_act_disc_index(act, &ix, &nix));
	W(o->obj_open(t, "network_scan"));
	W(o->field(t, "scan", n.scan));
	W(o->field(t, "scan_reason", n.scan_reason));
	W(o->obj_open(t, "udp"));
	W(o->field(t, "scanned", n.udp_scanned ? "true" : "false"));
	W(o->field(t, "ports", n.udp_scanned ? n.udp_ports : NULL));
	W(o->num(t, "open", (long)n.udp_open));
	W(o->obj_close(t, "udp"));
	W(o->obj_open(t, "discovery"));
	W(o->field(t, "state", n.discovery));
	W(o->field(t, "note", n.discovery_note));
	W(o->num(t, "up", (long)n.hosts_up));
	W(o->num(t, "down", (long)n.hosts_down));
	W(o->obj_close(t, "discovery"));
	W(o->list_open(t, "vantages", "vantage"));
	{
		const char *p = v.data;
		while (p != NULL && *p && rc == CX_OK) {
			const char *e = strchr(p, ' ');
			char *w =
			    cx_strndup(p, e ? (size_t)(e - p) : strlen(p));
			W(w ? o->field(t, NULL, w) : CX_ENOMEM);
			free(w);
			p = e ? e + 1 : NULL;
		}
	}
	W(o->list_close(t, "vantages"));
	W(o->list_open(t, "hosts", "host"));
	for (i = 0; i < run->n_hosts && rc == CX_OK; i++) {
		const struct cx_host_obs *h = &run->hosts[i];
		const struct cx_observation *d =
		    cx_act_disc_find(ix, nix, h->addr);
		W(o->obj_open(t, NULL));
		W(o->field(t, "addr", h->addr));
		W(o->field(t, "up", h->up ? "true" : "false"));
		W(o->field(t, "up_by", d ? cx_obs_get(d, "up_by") : NULL));
		W(o->field(t, "down_why",
		           d ? cx_obs_get(d, "down_why") : NULL));
		W(o->field(t, "vantage", h->vantage));
		W(o->obj_close(t, NULL));
	}
	W(o->list_close(t, "hosts"));
	W(o->obj_close(t, "network_scan"));
	free((void *)ix);
	cx_buf_free(&v);
	return rc;
}

/* The TLS endpoints with their client simulation (report/act_clients.c). */
static int tree_tls(struct tree_out *t, const struct tree_ops *o,
                    const struct cx_act *act)
{
	const struct cx_run *run = act->run;
	struct act_client c;
	struct cx_buf why = {0};
	size_t i, j;
	int rc = o->list_open(t, "tls_endpoints", "endpoint");

	for (i = 0; i < run->n_obs && rc == CX_OK; i++) {
		const struct cx_observation *ob = &run->obs[i];

		if (strcmp(ob->kind, "tls-endpoint") != 0)
			continue;
		W(o->obj_open(t, NULL));
		W(o->field(t, "endpoint", ob->asset));
		W(o->field(t, "grade", cx_obs_get(ob, "grade")));
		W(o->field(t, "trust_grade", cx_obs_get(ob, "trust_grade")));
		W(o->field(t, "protocols", cx_obs_get(ob, "protocols")));
		W(o->list_open(t, "clients", "client"));
		for (j = 0; j < ob->n_props && rc == CX_OK; j++) {
			if (!act_client_parse(&ob->props[j], &c))
				continue;
			W(o->obj_open(t, NULL));
			W(o->field(t, "name", c.name));
			W(o->field(t, "connected",
			           c.connected ? "true" : "false"));
			if (c.connected) {
				W(o->field(t, "protocol", c.proto));
				W(o->field(t, "suite",
				           c.suite[0] ? c.suite : NULL));
				W(o->field(t, "group",
				           c.group[0] ? c.group : NULL));
			} else {
				why.len = 0;
				W(cx_buf_append(&why, "", 0));
				W(act_client_text(act, &c, &why));
				W(o->field(t, "reason", why.data));
			}
			W(o->field(t, "result", c.result));
			W(o->obj_close(t, NULL));
		}
		W(o->list_close(t, "clients"));
		W(o->obj_close(t, NULL));
	}
	W(o->list_close(t, "tls_endpoints"));
	cx_buf_free(&why);
	return rc;
}

int tree_act(const struct cx_act *act, const struct tree_ops *o,
             struct cx_buf *b)
{
	const struct cx_run *run = act->run;
	struct tree_out t;
	char t1[32], t2[32];
	size_t i, j;
	int bi, rc;

	memset(&t, 0, sizeof(t));
	t.b = b;
	cx_iso8601(run->started, t1, sizeof(t1));
	cx_iso8601(run->finished, t2, sizeof(t2));
	rc = o->begin(&t);
	W(o->field(&t, "kind", act->additional ? "additional" : "examination"));
	W(o->field(&t, "lang", act->lang));
	W(o->field(&t, "number", act->number));
	W(o->field(&t, "date", act->date));
	if (act->additional) {
		W(o->obj_open(&t, "refers_to"));
		W(o->field(&t, "number", act->ref_number));
		W(o->field(&t, "date", act->ref_date));
		W(o->obj_close(&t, "refers_to"));
	}
	W(o->list_open(&t, "examiners", "examiner"));
	for (i = 0; i < act->n_examiners; i++)
		W(person(&t, o, NULL, &act->examiners[i]));
	W(o->list_close(&t, "examiners"));
	W(person(&t, o, "head", &act->head));
	W(o->field(&t, "draft_by", "certexam " CX_VERSION));
	if (act->n_altered > 0) {
		struct cx_buf files = {0}, warn = {0};
		for (i = 0; i < act->n_altered; i++)
			W(cx_buf_printf(&files, "%s%s", i ? ", " : "",
			                act->altered[i]));
		W(cx_msg(&warn, act->cat, "act.altered-evidence",
		         CX_ARGS("files", files.data ? files.data : "")));
		W(o->obj_open(&t, "evidence_integrity"));
		W(o->field(&t, "state", "altered"));
		W(o->field(&t, "warning", warn.data ? warn.data : ""));
		W(o->list_open(&t, "altered", "file"));
		for (i = 0; i < act->n_altered; i++)
			W(o->field(&t, NULL, act->altered[i]));
		W(o->list_close(&t, "altered"));
		W(o->obj_close(&t, "evidence_integrity"));
		cx_buf_free(&files);
		cx_buf_free(&warn);
	}
	W(object(&t, o, act));
	W(o->list_open(&t, "scope", "entry"));
	for (i = 0; i < run->n_scope; i++)
		W(o->field(&t, NULL, run->scope[i]));
	W(o->list_close(&t, "scope"));
	W(o->list_open(&t, "basis", "document"));
	for (i = 0; i < run->n_basis; i++) {
		W(o->obj_open(&t, NULL));
		W(o->field(&t, "id", run->basis[i].name));
		W(o->field(&t, "title",
		           render_basis_title(act, &run->basis[i])));
		W(o->obj_close(&t, NULL));
	}
	W(o->list_close(&t, "basis"));
	W(o->obj_open(&t, "method"));
	W(o->field(&t, "tool_version", run->tool_version));
	W(o->field(&t, "profile_id", run->profile_id));
	W(o->field(&t, "profile_version", run->profile_version));
	W(o->num(&t, "run", run->number));
	if (act->baseline != NULL)
		W(o->num(&t, "baseline_run", act->baseline->number));
	W(o->field(&t, "started", t1));
	W(o->field(&t, "finished", run->finished ? t2 : NULL));
	W(o->field(&t, "examiner_host", run->examiner_host));
	W(o->field(&t, "complete", run->complete ? "true" : "false"));
	W(o->field(&t, "degraded", run->degraded ? "true" : "false"));
	W(o->field(&t, "degraded_reason", run->degraded_reason));
	W(o->list_open(&t, "options", "option"));
	for (i = 0; i < run->n_options; i++) {
		W(o->obj_open(&t, NULL));
		W(o->field(&t, "name", run->options[i].name));
		W(o->field(&t, "value", run->options[i].value));
		W(o->obj_close(&t, NULL));
	}
	W(o->list_close(&t, "options"));
	W(tree_net(&t, o, act));
	W(o->obj_close(&t, "method"));
	W(o->list_open(&t, "parts", "part"));
	for (bi = 0; bi < CX_ACT_NPARTS; bi++) {
		W(o->obj_open(&t, NULL));
		W(o->num(&t, "paragraph_22", act->parts[bi].n));
		W(o->field(&t, "title",
		           cx_act_text(act, act->parts[bi].title)));
		W(o->field(&t, "verdict",
		           cx_verdict_name(act->parts[bi].verdict)));
		W(o->obj_close(&t, NULL));
	}
	W(o->list_close(&t, "parts"));
	W(o->list_open(&t, "blocks", "block"));
	for (bi = 0; bi < CX_ACT_NBLOCKS; bi++) {
		const struct cx_act_block *bl = &act->blocks[bi];
		W(o->obj_open(&t, NULL));
		W(o->field(&t, "id", bl->id));
		W(o->num(&t, "part", bl->part));
		W(o->field(&t, "title", cx_act_text(act, bl->title)));
		W(o->field(&t, "verdict", cx_verdict_name(bl->verdict)));
		W(o->field(&t, "check_state", bl->check_state));
		W(state_field(&t, o, act, bl->check_state));
		for (j = 0; j < CX__STATUS_COUNT; j++)
			W(o->num(&t, cx_status_name((enum cx_status)j),
			         (long)bl->by_status[j]));
		W(o->list_open(&t, "items", "finding"));
		for (j = 0; j < bl->n_items; j++)
			W(finding(&t, o, act, bl->items[j]));
		W(o->list_close(&t, "items"));
		W(o->obj_close(&t, NULL));
	}
	W(o->list_close(&t, "blocks"));
	W(groups(&t, o, act, "deficiencies", act->defs, act->n_defs));
	W(groups(&t, o, act, "recommendations", act->recs, act->n_recs));
	if (act->additional) {
		W(o->list_open(&t, "rectification", "deficiency"));
		for (i = 0; i < act->n_delta; i++) {
			const struct cx_act_delta *d = &act->delta[i];
			W(o->obj_open(&t, NULL));
			W(o->field(&t, "key", d->before->key));
			W(o->field(&t, "requirement", d->before->req_id));
			W(o->field(&t, "asset", d->before->asset));
			W(o->field(&t, "result",
			           cx_rectification_name(d->result)));
			W(o->field(&t, "status_now",
			           d->after ? cx_status_name(d->after->status)
			                    : NULL));
			W(o->obj_close(&t, NULL));
		}
		W(o->list_close(&t, "rectification"));
	}
	W(o->obj_open(&t, "summary"));
	for (j = 0; j < CX__STATUS_COUNT; j++)
		W(o->num(&t, cx_status_name((enum cx_status)j),
		         (long)act->by_status[j]));
	W(o->obj_open(&t, "deficiencies_by_severity"));
	for (j = 0; j < CX__SEV_COUNT; j++)
		W(o->num(&t, cx_severity_name((enum cx_severity)j),
		         (long)act->by_sev[j]));
	W(o->obj_close(&t, "deficiencies_by_severity"));
	W(o->obj_open(&t, "decision"));
	W(o->field(&t, "proposal", cx_decision_name(act->decision)));
	W(o->field(&t, "paragraph", act->decision_para));
	{
		struct cx_buf rs = {0};
		W(cx_act_reason(act, &rs));
		W(o->field(&t, "reason", rs.data ? rs.data : ""));
		W(o->field(&t, "reason_msg", act->reason_msg));
		cx_buf_free(&rs);
		if (act->refusal != NULL) {
			W(o->obj_open(&t, "refusal_ground"));
			W(o->field(&t, "requirement", act->refusal->req));
			W(o->field(&t, "block", act->refusal->block));
			W(o->field(
			    &t, "severity",
			    cx_severity_name(act->refusal->min_severity)));
			W(o->obj_close(&t, "refusal_ground"));
		}
	}
	W(o->obj_close(&t, "decision"));
	W(o->obj_close(&t, "summary"));
	W(tree_proc(&t, o, act));
	W(tree_proc_act(&t, o, act));
	W(tree_tls(&t, o, act));
	W(o->list_open(&t, "evidence", "file"));
	for (i = 0; i < run->n_evidence; i++) {
		const struct cx_evidence *e = &run->evidence[i];
		W(o->obj_open(&t, NULL));
		W(o->field(&t, "id", e->id));
		W(o->field(&t, "path", e->file));
		W(o->field(&t, "sha256", e->sha256));
		W(o->num(&t, "size", (long)e->size));
		W(o->field(&t, "asset", e->asset));
		W(o->field(&t, "kind", e->kind));
		W(o->obj_close(&t, NULL));
	}
	W(o->list_close(&t, "evidence"));
	W(o->end(&t));
	return rc;
}
