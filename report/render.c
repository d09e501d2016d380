/*
 * certexam — the act in reading order, for document formats.
 */
#include <stdio.h>
#include <string.h>

#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/util.h"
#include "certexam/version.h"
#include "act_proc.h"
#include "render.h"

#define W(expr)                                                                \
	do {                                                                   \
		if (rc == CX_OK)                                               \
			rc = (expr);                                           \
	} while (0)

static const char *nz(const char *s)
{
	return s && *s ? s : "—";
}

static const char *decision_msg(const struct cx_act *act)
{
	switch (act->decision) {
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

static int kv(const struct render_ops *o, struct cx_buf *b, const char *k,
              const char *v)
{
	const char *cells[2];

	cells[0] = k;
	cells[1] = nz(v);
	return o->row(b, cells, 2);
}

static int party(const struct render_ops *o, struct cx_buf *b, const char *k,
                 const struct cx_party *p)
{
	char line[1024];

	snprintf(line, sizeof(line), "%s%s%s%s%s", nz(p->name),
	         p->bin ? ", BIN " : "", p->bin ? p->bin : "",
	         p->address ? ", " : "", p->address ? p->address : "");
	return kv(o, b, k, line);
}

static int docref(const struct render_ops *o, struct cx_buf *b, const char *k,
                  const struct cx_doc_ref *d)
{
	char line[512];

	if (d->number == NULL && d->date == NULL)
		return kv(o, b, k, NULL);
	snprintf(line, sizeof(line), "No. %s dated %s", nz(d->number),
	         nz(d->date));
	return kv(o, b, k, line);
}

static int header(const struct cx_act *act, const struct render_ops *o,
                  struct cx_buf *b)
{
	static const char *const cols[] = {"", ""};
	const struct cx_object *obj = act->obj;
	const struct cx_run *run = act->run;
	char line[256];
	int rc = CX_OK;

	W(o->heading(b, 2, "1. Header"));
	W(o->table_begin(b, cols, 2));
	W(kv(o, b, "Act number", act->number));
	W(kv(o, b, "Date of the act", act->date));
	W(kv(o, b, "Kind",
	     act->additional ? "Additional certification examination "
	                       "(paras 33-35)"
	                     : "Certification examination (paras 20-24)"));
	W(kv(o, b, "Object of certification",
	     obj ? obj->name : run->object_name));
	if (obj != NULL) {
		W(party(o, b, "Applicant", &obj->applicant));
		W(docref(o, b, "Application", &obj->application));
		W(docref(o, b, "Contract for the examination", &obj->contract));
	}
	if (act->baseline != NULL) {
		snprintf(line, sizeof(line), "run %04d (act No. %04d)",
		         act->baseline->number, act->baseline->number);
		W(kv(o, b, "Re-checks the examination of", line));
	}
	W(o->table_end(b));
	return rc;
}

static int object_section(const struct cx_act *act, const struct render_ops *o,
                          struct cx_buf *b)
{
	static const char *const cols[] = {"", ""};
	static const char *const icols[] = {"No.", "Object of informatization",
	                                    "Possessor",
	                                    "Nature of interaction"};
	const struct cx_object *obj = act->obj;
	const struct cx_run *run = act->run;
	char n[32];
	size_t i;
	int rc = CX_OK;

	W(o->heading(b, 2, "2. Object of certification and scope"));
	W(o->table_begin(b, cols, 2));
	if (obj != NULL) {
		W(kv(o, b, "Name", obj->name));
		W(kv(o, b, "Type", cx_object_type_name(obj->type)));
		W(party(o, b, "Possessor (owner)", &obj->possessor));
		W(party(o, b, "Developer", &obj->developer));
		W(kv(o, b, "Lifecycle state", obj->lifecycle));
		W(kv(o, b, "Geographically distributed",
		     obj->distributed ? "yes (term of examination up to 40 "
		                        "working days, para 19)"
		                      : "no"));
		W(kv(o, b, "Uses cryptographic protection",
		     obj->uses_crypto ? "yes" : "no"));
		snprintf(n, sizeof(n), "%zu", obj->n_hardware);
		W(kv(o, b, "Hardware items declared (Annex 5)", n));
		snprintf(n, sizeof(n), "%zu", obj->n_software);
		W(kv(o, b, "Software items declared (Annex 6)", n));
	} else {
		W(kv(o, b, "Name", run->object_name));
		W(kv(o, b, "Description",
		     "Not described: the run was made without a case folder "
		     "(--target)"));
	}
	W(o->table_end(b));
	W(o->para(b, "Scope of the instrumental examination:"));
	{
		static const char *const scols[] = {"No.", "Scope entry"};
		const char *cells[2];
		W(o->table_begin(b, scols, 2));
		for (i = 0; i < run->n_scope; i++) {
			snprintf(n, sizeof(n), "%zu", i + 1);
			cells[0] = n;
			cells[1] = run->scope[i];
			W(o->row(b, cells, 2));
		}
		W(o->table_end(b));
	}
	if (obj != NULL && obj->n_integrations > 0) {
		const char *cells[4];
		W(o->para(b, "Objects of informatization integrated with the "
		             "object (Annex 4):"));
		W(o->table_begin(b, icols, 4));
		for (i = 0; i < obj->n_integrations; i++) {
			snprintf(n, sizeof(n), "%zu", i + 1);
			cells[0] = n;
			cells[1] = nz(obj->integrations[i].name);
			cells[2] = nz(obj->integrations[i].possessor);
			cells[3] = nz(obj->integrations[i].interaction);
			W(o->row(b, cells, 4));
		}
		W(o->table_end(b));
	}
	return rc;
}

static int basis_section(const struct cx_act *act, const struct render_ops *o,
                         struct cx_buf *b)
{
	static const char *const cols[] = {"No.", "Document"};
	const struct cx_run *run = act->run;
	const char *cells[2];
	char n[32];
	size_t i;
	int rc = CX_OK;

	W(o->heading(b, 2, "3. Normative basis"));
	if (run->n_basis == 0)
		return o->para(b, "The profile names no normative documents.");
	W(o->table_begin(b, cols, 2));
	for (i = 0; i < run->n_basis; i++) {
		snprintf(n, sizeof(n), "%zu", i + 1);
		cells[0] = n;
		cells[1] = run->basis[i].value;
		W(o->row(b, cells, 2));
	}
	W(o->table_end(b));
	return rc;
}

static int method_section(const struct cx_act *act, const struct render_ops *o,
                          struct cx_buf *b)
{
	static const char *const cols[] = {"", ""};
	const struct cx_run *run = act->run;
	char t1[32], t2[32], line[256];
	struct cx_buf opts = {0};
	size_t i;
	int rc = CX_OK;

	cx_iso8601(run->started, t1, sizeof(t1));
	cx_iso8601(run->finished, t2, sizeof(t2));
	W(o->heading(b, 2, "4. How the examination was done"));
	W(o->table_begin(b, cols, 2));
	snprintf(line, sizeof(line), "certexam %s", nz(run->tool_version));
	W(kv(o, b, "Tool", line));
	snprintf(line, sizeof(line), "%s, version %s", nz(run->profile_id),
	         nz(run->profile_version));
	W(kv(o, b, "Profile", line));
	snprintf(line, sizeof(line), "%04d (%s)", run->number, nz(run->kind));
	W(kv(o, b, "Run", line));
	W(kv(o, b, "Started (UTC)", t1));
	W(kv(o, b, "Finished (UTC)", run->finished ? t2 : NULL));
	W(kv(o, b, "Examiner host", run->examiner_host));
	for (i = 0; i < run->n_options && rc == CX_OK; i++)
		W(cx_buf_printf(&opts, "%s%s=%s", i ? ", " : "",
		                run->options[i].name, run->options[i].value));
	W(kv(o, b, "Options", opts.data));
	W(kv(o, b, "Record complete",
	     run->complete ? "yes"
	                   : "NO: the scan was interrupted; results are "
	                     "partial"));
	if (run->degraded)
		W(kv(o, b, "Degraded",
		     run->degraded_reason ? run->degraded_reason : "yes"));
	W(o->table_end(b));
	cx_buf_free(&opts);
	return rc;
}

static int obs_table(const struct cx_act *act, const struct render_ops *o,
                     struct cx_buf *b, const char *kind, const char *intro,
                     const char *const *cols, const char *const *props,
                     size_t ncols)
{
	const struct cx_run *run = act->run;
	const char *cells[8];
	size_t i, j, shown = 0;
	int rc = CX_OK;

	for (i = 0; i < run->n_obs && rc == CX_OK; i++) {
		const struct cx_observation *ob = &run->obs[i];
		if (strcmp(ob->kind, kind) != 0)
			continue;
		if (shown++ == 0) {
			W(o->para(b, intro));
			W(o->table_begin(b, cols, ncols));
		}
		cells[0] = ob->asset;
		for (j = 1; j < ncols; j++)
			cells[j] = nz(cx_obs_get(ob, props[j]));
		W(o->row(b, cells, ncols));
	}
	if (shown)
		W(o->table_end(b));
	return rc;
}

static int ports_table(const struct cx_act *act, const struct render_ops *o,
                       struct cx_buf *b)
{
	static const char *const cols[] = {"Address", "Port",    "State",
	                                   "Service", "Product", "Version",
	                                   "TLS",     "Evidence"};
	const struct cx_run *run = act->run;
	const char *cells[8];
	char port[16];
	size_t i;
	int rc = CX_OK;

	if (run->n_ports == 0)
		return o->para(b, "No open port was found.");
	W(o->para(b, "Open ports and the services identified on them:"));
	W(o->table_begin(b, cols, 8));
	for (i = 0; i < run->n_ports; i++) {
		const struct cx_port_obs *p = &run->ports[i];
		snprintf(port, sizeof(port), "%d/%s", p->port, p->proto);
		cells[0] = p->addr;
		cells[1] = port;
		cells[2] = cx_port_state_name(p->state);
		cells[3] = nz(p->service);
		cells[4] = nz(p->product);
		cells[5] = nz(p->version);
		cells[6] = p->tls ? "yes" : "no";
		cells[7] = nz(p->evidence);
		W(o->row(b, cells, 8));
	}
	W(o->table_end(b));
	return rc;
}

static int blocks_section(const struct cx_act *act, const struct render_ops *o,
                          struct cx_buf *b)
{
	static const char *const cols[] = {"Requirement", "Asset", "Status",
	                                   "Severity", "Observed"};
	static const char *const tls_cols[] = {
	    "Endpoint", "Grade", "Trust grade", "Protocols", "Algorithm"};
	static const char *const tls_props[] = {"", "grade", "trust_grade",
	                                        "protocols", "grade_algorithm"};
	static const char *const web_cols[] = {"Resource", "Score", "Grade",
	                                       "Final URL", "Algorithm"};
	static const char *const web_props[] = {"", "score", "grade",
	                                        "final-url", "score-algorithm"};
	const struct cx_act_block *bl;
	const char *cells[5];
	char title[256], counts[256];
	size_t i;
	int bi, rc = CX_OK;

	W(o->heading(b, 2, "5. Results per block"));
	for (bi = 0; bi < CX_ACT_NBLOCKS && rc == CX_OK; bi++) {
		bl = &act->blocks[bi];
		snprintf(title, sizeof(title), "5.%d. %s", bi + 1,
		         cx_act_text(act, bl->title));
		W(o->heading(b, 3, title));
		W(o->verdict(b, cx_verdict_name(bl->verdict),
		             cx_act_text(act, cx_verdict_msg(bl->verdict))));
		if (bl->check_state != NULL && strcmp(bl->check_state, "done"))
			W(o->para(b, bl->check_state));
		snprintf(counts, sizeof(counts),
		         "Items: %zu passed, %zu failed, %zu not applicable, "
		         "%zu not checked, %zu errors, %zu waived.",
		         bl->by_status[CX_PASS], bl->by_status[CX_FAIL],
		         bl->by_status[CX_NOT_APPLICABLE],
		         bl->by_status[CX_NOT_CHECKED], bl->by_status[CX_ERROR],
		         bl->by_status[CX_WAIVED]);
		W(o->para(b, counts));
		if (strcmp(bl->id, "network") == 0)
			W(ports_table(act, o, b));
		if (strcmp(bl->id, "tls") == 0)
			W(obs_table(act, o, b, "tls-endpoint",
			            "TLS endpoints and their grades:", tls_cols,
			            tls_props, 5));
		if (strcmp(bl->id, "web") == 0)
			W(obs_table(act, o, b, "http-resource",
			            "Web resources and their scores:", web_cols,
			            web_props, 5));
		W(render_proc_block(act, o, b, bl->id));
		if (bl->n_items == 0)
			continue;
		W(o->table_begin(b, cols, 5));
		for (i = 0; i < bl->n_items; i++) {
			const struct cx_finding *f = bl->items[i];
			cells[0] = f->req_id;
			cells[1] = nz(f->asset);
			cells[2] = cx_act_text(act, cx_status_msg(f->status));
			cells[3] =
			    cx_act_text(act, cx_severity_msg(f->severity));
			cells[4] = nz(f->observed);
			W(o->row(b, cells, 5));
		}
		W(o->table_end(b));
	}
	return rc;
}

static int deficiencies_section(const struct cx_act *act,
                                const struct render_ops *o, struct cx_buf *b)
{
	static const char *const cols[] = {"", ""};
	char title[160], ev[512];
	size_t i, j;
	int rc = CX_OK;

	W(o->heading(b, 2, "6. Deficiencies identified"));
	if (act->n_defs == 0)
		return o->para(b, "No deficiency was identified.");
	for (i = 0; i < act->n_defs && rc == CX_OK; i++) {
		const struct cx_finding *f = act->defs[i].f;
		snprintf(title, sizeof(title), "Deficiency %d%s",
		         act->defs[i].number,
		         act->defs[i].is_new ? " (new)" : "");
		W(o->heading(b, 3, title));
		W(o->table_begin(b, cols, 2));
		W(kv(o, b, "Requirement", f->req_id));
		W(kv(o, b, "Requirement text", f->req_text));
		W(kv(o, b, "Legal source", f->req_source));
		W(kv(o, b, "Severity",
		     cx_act_text(act, cx_severity_msg(f->severity))));
		W(kv(o, b, "Asset", f->asset));
		W(kv(o, b, "Finding", f->title));
		W(kv(o, b, "Observed", f->observed));
		W(kv(o, b, "How determined", f->method));
		W(kv(o, b, "Certainty", cx_certainty_name(f->certainty)));
		W(kv(o, b, "Recommendation", f->recommendation));
		ev[0] = '\0';
		for (j = 0; j < f->n_evidence; j++) {
			size_t l = strlen(ev);
			snprintf(ev + l, sizeof(ev) - l, "%s%s", j ? ", " : "",
			         f->evidence[j]);
		}
		W(kv(o, b, "Evidence", ev));
		W(kv(o, b, "Key", f->key));
		W(o->table_end(b));
	}
	return rc;
}

static int delta_section(const struct cx_act *act, const struct render_ops *o,
                         struct cx_buf *b)
{
	static const char *const cols[] = {"Requirement", "Asset", "Before",
	                                   "Now", "Result"};
	const char *cells[5];
	size_t i;
	int rc = CX_OK;

	W(o->heading(b, 2, "7. Rectification of the deficiencies identified"));
	if (act->n_delta == 0)
		return o->para(b, "The examination identified no deficiency.");
	W(o->table_begin(b, cols, 5));
	for (i = 0; i < act->n_delta; i++) {
		const struct cx_act_delta *d = &act->delta[i];
		cells[0] = d->before->req_id;
		cells[1] = nz(d->before->asset);
		cells[2] = nz(d->before->observed);
		cells[3] = d->after ? nz(d->after->observed) : "not re-checked";
		cells[4] = cx_rectification_name(d->result);
		W(o->row(b, cells, 5));
	}
	W(o->table_end(b));
	return rc;
}

static int summary_section(const struct cx_act *act, const struct render_ops *o,
                           struct cx_buf *b, int num)
{
	static const char *const cols[] = {"Count", "Value"};
	char title[64], v[32];
	const char *cells[2];
	int i, rc = CX_OK;

	snprintf(title, sizeof(title), "%d. Summary and proposed decision",
	         num);
	W(o->heading(b, 2, title));
	W(o->table_begin(b, cols, 2));
	for (i = 0; i < CX__STATUS_COUNT; i++) {
		snprintf(v, sizeof(v), "%zu", act->by_status[i]);
		cells[0] = cx_status_name((enum cx_status)i);
		cells[1] = v;
		W(o->row(b, cells, 2));
	}
	for (i = 0; i < CX__SEV_COUNT; i++) {
		snprintf(title, sizeof(title), "deficiencies: %s",
		         cx_severity_name((enum cx_severity)i));
		snprintf(v, sizeof(v), "%zu", act->by_sev[i]);
		cells[0] = title;
		cells[1] = v;
		W(o->row(b, cells, 2));
	}
	W(o->table_end(b));
	{
		struct cx_buf m = {0};
		W(cx_msg(&m, act->cat, decision_msg(act),
		         CX_ARGS("para", act->decision_para)));
		W(o->verdict(b, cx_decision_name(act->decision),
		             m.data ? m.data : ""));
		cx_buf_free(&m);
	}
	W(o->para(b, act->decision_reason));
	return rc;
}

static int evidence_section(const struct cx_act *act,
                            const struct render_ops *o, struct cx_buf *b)
{
	static const char *const cols[] = {"Id",   "File", "Asset",
	                                   "Kind", "Size", "SHA-256"};
	const struct cx_run *run = act->run;
	const char *cells[6];
	char size[32];
	size_t i;
	int rc = CX_OK;

	W(o->heading(b, 2, "Annex: evidence"));
	if (run->n_evidence == 0)
		return o->para(b, "No evidence was recorded.");
	W(o->para(b, "Raw bytes as received, stored in the run folder; the "
	             "SHA-256 of each file identifies it."));
	W(o->table_begin(b, cols, 6));
	for (i = 0; i < run->n_evidence; i++) {
		const struct cx_evidence *e = &run->evidence[i];
		snprintf(size, sizeof(size), "%zu", e->size);
		cells[0] = e->id;
		cells[1] = e->file;
		cells[2] = nz(e->asset);
		cells[3] = nz(e->kind);
		cells[4] = size;
		cells[5] = e->sha256;
		W(o->row(b, cells, 6));
	}
	W(o->table_end(b));
	return rc;
}

int render_act(const struct cx_act *act, const struct render_ops *o,
               struct cx_buf *b)
{
	char title[160];
	int rc = CX_OK, num = 7;

	snprintf(title, sizeof(title), "%s No. %s",
	         act->additional ? "ACT of additional certification examination"
	                         : "ACT on certification examination",
	         act->number);
	W(o->begin(b, act, title));
	W(o->heading(b, 1, title));
	W(o->para(b, "DRAFT prepared with certexam " CX_VERSION
	             ". Instrumental examination per para 22(4) of the Rules "
	             "for certification (Decree No. 298 of 23 May 2016)."));
	if (!act->run->complete)
		W(o->verdict(b, "fail",
		             "The run record is INCOMPLETE: the scan was "
		             "interrupted and its results are partial."));
	W(header(act, o, b));
	W(render_proc_act(act, o, b));
	W(object_section(act, o, b));
	W(basis_section(act, o, b));
	W(method_section(act, o, b));
	W(blocks_section(act, o, b));
	W(deficiencies_section(act, o, b));
	if (act->additional) {
		W(delta_section(act, o, b));
		num = 8;
	}
	W(summary_section(act, o, b, num));
	W(evidence_section(act, o, b));
	W(o->end(b));
	return rc;
}
