/*
 * certexam — the act's sections on the procedure around the scan, drawn
 * from the run record: the declared-against-discovered table of the
 * inventory block and the problems of the submitted Annex 5/6 lists
 * ("inventory-row" and "annex-problem" observations of checks/inventory.c).
 * One walker for the HTML/Markdown writers (render_ops) and one for the
 * XML/JSON writers (tree_ops); each writes nothing when the run holds no
 * such observation, so acts of runs without them are unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act_proc.h"
#include "certexam/case_msg.h"
#include "certexam/deadlines.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/lang.h"
#include "certexam/profile.h"
#include "certexam/util.h"

#define W(expr)                                                                \
	do {                                                                   \
		if (rc == CX_OK)                                               \
			rc = (expr);                                           \
	} while (0)

static const char *nz(const char *s)
{
	return s != NULL ? s : "";
}

static size_t count_kind(const struct cx_run *run, const char *kind)
{
	size_t i, n = 0;

	for (i = 0; i < run->n_obs; i++)
		n += strcmp(run->obs[i].kind, kind) == 0;
	return n;
}

/* A stored state code as words of the act's language (the code itself
 * when it is not one of these: a run of another version). */
struct code_msg {
	const char *code, *msg;
};

static const struct code_msg inv_states[] = {
    {"matches", "act.proc.inventory.state.matches"},
    {"differs", "act.proc.inventory.state.differs"},
    {"not confirmed instrumentally", "act.proc.inventory.state.not-confirmed"},
    {"not compared (problems in the row)",
     "act.proc.inventory.state.not-compared"},
    {"not scanned", "act.proc.inventory.state.not-scanned"},
    {"found, not declared", "act.proc.inventory.state.undeclared"},
    {"declared more precisely than observable",
     "act.proc.inventory.state.more-precise"},
};

static const struct code_msg waiver_states[] = {
    {"applied", "act.waiver.state.applied"},
    {"expired", "act.waiver.state.expired"},
    {"refused-critical", "act.waiver.state.refused-critical"},
    {"unused", "act.waiver.state.unused"},
};

static const char *code_text(const struct cx_act *act, const struct code_msg *t,
                             size_t n, const char *code)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].code, code) == 0)
			return cx_act_text(act, t[i].msg);
	return code;
}

/* The cell of a property: state codes in the act's language. */
static const char *cell_text(const struct cx_act *act, const char *kind,
                             const char *prop, const char *value)
{
	if (strcmp(prop, "state") != 0)
		return value;
	if (strcmp(kind, "waiver") == 0)
		return code_text(act, waiver_states,
		                 CX_ARRAY_LEN(waiver_states), value);
	return code_text(act, inv_states, CX_ARRAY_LEN(inv_states), value);
}

/*
 * The failed or unassessed criteria of an Annex 3 document, worded in the
 * act's language from the findings of its DOC-NN requirement ("; "
 * between them) into b, which is emptied first; a run recorded before
 * the criteria had messages keeps its stored text (prop "failed").
 */
static int doc_criteria(const struct cx_act *act,
                        const struct cx_observation *o, struct cx_buf *b)
{
	const struct cx_run *run = act->run;
	const struct cx_finding *f;
	char req[16];
	size_t i;
	int rc = CX_OK;

	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
	if (cx_obs_get(o, "criteria") == NULL)
		return cx_buf_puts(b, nz(cx_obs_get(o, "failed")));
	snprintf(req, sizeof(req), "DOC-%02d",
	         (int)strtol(nz(cx_obs_get(o, "number")), NULL, 10));
	for (i = 0; i < run->n_findings && rc == CX_OK; i++) {
		f = &run->findings[i];
		if (f->req_id == NULL || strcmp(f->req_id, req) != 0 ||
		    f->msg == NULL ||
		    (f->status != CX_FAIL && f->status != CX_NOT_CHECKED))
			continue;
		if (b->len)
			rc = cx_buf_puts(b, "; ");
		if (rc == CX_OK)
			rc = cx_act_cause(act, f, b);
	}
	return rc;
}

/* The document's title as recorded, else the Annex 3 item's name in the
 * act's language (the DOC-NN requirement's text). */
static const char *doc_title(const struct cx_act *act,
                             const struct cx_observation *o)
{
	const struct cx_requirement *req;
	const char *t = nz(cx_obs_get(o, "title"));
	char id[16];
	int lang = cx_lang_parse(act->lang);

	if (t[0] != '\0' || act->profile == NULL || lang < 0)
		return t;
	snprintf(id, sizeof(id), "DOC-%02d",
	         (int)strtol(nz(cx_obs_get(o, "number")), NULL, 10));
	req = cx_profile_req(act->profile, id);
	t = req != NULL
	        ? cx_requirement_str(req, CX_REQ_TEXT, (enum cx_lang)lang)
	        : NULL;
	return nz(t);
}

static int doc_table(const struct cx_act *act, const struct render_ops *o,
                     struct cx_buf *b)
{
	static const char *const cols[] = {
	    "act.proc.annex3.col.item",      "act.proc.annex3.col.title",
	    "act.proc.annex3.col.reference", "act.proc.annex3.col.order",
	    "act.proc.annex3.col.approved",  "act.proc.annex3.col.failed"};
	const struct cx_run *run = act->run;
	const struct cx_observation *ob;
	const char *cells[6], *heads[6];
	struct cx_buf crit = {0};
	size_t i;
	int rc = CX_OK;

	for (i = 0; i < 6; i++)
		heads[i] = cx_act_text(act, cols[i]);
	W(o->para(b, cx_act_text(act, "act.proc.annex3.intro")));
	W(o->table_begin(b, NULL, heads, 6));
	for (i = 0; i < run->n_obs && rc == CX_OK; i++) {
		ob = &run->obs[i];
		if (strcmp(ob->kind, "annex3-document") != 0)
			continue;
		W(doc_criteria(act, ob, &crit));
		cells[0] = nz(cx_obs_get(ob, "number"));
		cells[1] = doc_title(act, ob);
		cells[2] = nz(cx_obs_get(ob, "reference"));
		cells[3] = nz(cx_obs_get(ob, "order"));
		cells[4] = nz(cx_obs_get(ob, "approved"));
		cells[5] = nz(crit.data);
		W(o->row(b, cells, 6));
	}
	W(o->table_end(b));
	cx_buf_free(&crit);
	return rc;
}

/*
 * A free text of a waiver in the act's language (waivers.c records prop
 * as the default text, prop.lang its language, prop.kk/.ru/.en as
 * given): the act's own text, else the default; a default in another
 * language is followed by a note saying which (act.waiver.fallback.*).
 * *lang receives the language of the text returned ("" when untagged).
 * The text returned is borrowed from ob, or is b's.
 */
static const char *waiver_text(const struct cx_act *act,
                               const struct cx_observation *ob,
                               const char *prop, struct cx_buf *b,
                               const char **lang)
{
	static const char *const fb[] = {"act.waiver.fallback.kk",
	                                 "act.waiver.fallback.ru",
	                                 "act.waiver.fallback.en"};
	int li = cx_lang_parse(act->lang), gi;
	const char *v, *given;
	char pn[32];

	snprintf(pn, sizeof(pn), "%s.%s", prop,
	         li >= 0 ? cx_lang_code((enum cx_lang)li) : "-");
	v = cx_obs_get(ob, pn);
	if (v != NULL) {
		*lang = cx_lang_code((enum cx_lang)li);
		return v;
	}
	v = nz(cx_obs_get(ob, prop));
	snprintf(pn, sizeof(pn), "%s.lang", prop);
	given = cx_obs_get(ob, pn);
	gi = cx_lang_parse(given);
	*lang = gi >= 0 ? given : "";
	if (gi < 0 || gi >= (int)CX_ARRAY_LEN(fb))
		return v; /* untagged: printed in every act */
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
	if (cx_buf_puts(b, v) || cx_buf_puts(b, " ") ||
	    cx_buf_puts(b, cx_act_text(act, fb[gi])))
		return v;
	return b->data;
}

/* A table of the observations of kind: one column per property. */
static int kind_table(const struct cx_act *act, const struct render_ops *o,
                      struct cx_buf *b, const char *kind,
                      const char *const *cols, const char *const *props,
                      size_t ncols)
{
	const struct cx_run *run = act->run;
	const char *cells[8], *heads[8], *lang;
	struct cx_buf txt[8] = {{0}};
	int waiver = strcmp(kind, "waiver") == 0;
	size_t i, j;
	int rc = CX_OK;

	for (j = 0; j < ncols; j++)
		heads[j] = cx_act_text(act, cols[j]);
	W(o->table_begin(b, NULL, heads, ncols));
	for (i = 0; i < run->n_obs && rc == CX_OK; i++) {
		if (strcmp(run->obs[i].kind, kind) != 0)
			continue;
		for (j = 0; j < ncols; j++)
			cells[j] =
			    waiver && (strcmp(props[j], "justification") == 0 ||
			               strcmp(props[j], "approved_by") == 0)
			        ? waiver_text(act, &run->obs[i], props[j],
			                      &txt[j], &lang)
			        : cell_text(
			              act, kind, props[j],
			              nz(cx_obs_get(&run->obs[i], props[j])));
		W(o->row(b, cells, ncols));
	}
	W(o->table_end(b));
	for (j = 0; j < ncols; j++)
		cx_buf_free(&txt[j]);
	return rc;
}

/* The level of a list problem ("error", "warning") in the act's language. */
static const char *level_text(const struct cx_act *act, const char *level)
{
	if (strcmp(level, "error") == 0)
		return cx_act_text(act, "act.proc.problems.level.error");
	if (strcmp(level, "warning") == 0)
		return cx_act_text(act, "act.proc.problems.level.warning");
	return level;
}

/* The words of a list problem in the act's language from its "msg" and
 * "arg.NAME" props; a run recorded before the problems had ids keeps its
 * English "message". */
static int problem_words(const struct cx_act *act,
                         const struct cx_observation *ob, struct cx_buf *out)
{
	const char *names[16], *values[16];
	size_t j, n = 0;

	for (j = 0; j < ob->n_props && n < CX_ARRAY_LEN(names); j++)
		if (strncmp(ob->props[j].name, "arg.", 4) == 0) {
			names[n] = ob->props[j].name + 4;
			values[n++] = ob->props[j].value;
		}
	out->len = 0;
	return cx_case_msg(out, act->cat, cx_obs_get(ob, "msg"), names, values,
	                   n, nz(cx_obs_get(ob, "message")));
}

static int problems_table(const struct cx_act *act, const struct render_ops *o,
                          struct cx_buf *b)
{
	static const char *const cols[] = {
	    "act.proc.problems.col.place", "act.proc.problems.col.level",
	    "act.proc.problems.col.column", "act.proc.problems.col.problem"};
	const struct cx_run *run = act->run;
	const struct cx_observation *ob;
	const char *cells[4], *heads[4];
	struct cx_buf words = {0};
	char place[300];
	const char *col;
	size_t i;
	int rc = CX_OK;

	for (i = 0; i < 4; i++)
		heads[i] = cx_act_text(act, cols[i]);
	W(o->para(b, cx_act_text(act, "act.proc.problems.intro")));
	W(o->table_begin(b, NULL, heads, 4));
	for (i = 0; i < run->n_obs && rc == CX_OK; i++) {
		ob = &run->obs[i];
		if (strcmp(ob->kind, "annex-problem") != 0)
			continue;
		col = nz(cx_obs_get(ob, "column"));
		snprintf(place, sizeof(place), "%s:%s%s%s",
		         nz(cx_obs_get(ob, "file")), nz(cx_obs_get(ob, "line")),
		         strcmp(col, "0") && col[0] ? ":" : "",
		         strcmp(col, "0") ? col : "");
		cells[0] = place;
		cells[1] = level_text(act, nz(cx_obs_get(ob, "level")));
		cells[2] = nz(cx_obs_get(ob, "field"));
		W(problem_words(act, ob, &words));
		cells[3] = words.data != NULL ? words.data : "";
		W(o->row(b, cells, 4));
	}
	W(o->table_end(b));
	cx_buf_free(&words);
	return rc;
}

int render_proc_block(const struct cx_act *act, const struct render_ops *o,
                      struct cx_buf *b, const char *block)
{
	static const char *const inv_cols[] = {
	    "act.proc.inventory.col.annex", "act.proc.inventory.col.item",
	    "act.proc.inventory.col.declared",
	    "act.proc.inventory.col.discovered",
	    "act.proc.inventory.col.comparison"};
	static const char *const inv_props[] = {"annex", "item", "declared",
	                                        "discovered", "state"};
	int rc = CX_OK;

	if (strcmp(block, "documents") == 0 &&
	    count_kind(act->run, "annex3-document") > 0)
		return doc_table(act, o, b);
	if (strcmp(block, "inventory") != 0)
		return CX_OK;
	if (count_kind(act->run, "inventory-row") > 0) {
		W(o->para(b, cx_act_text(act, "act.proc.inventory.intro")));
		W(kind_table(act, o, b, "inventory-row", inv_cols, inv_props,
		             5));
	}
	if (count_kind(act->run, "annex-problem") > 0)
		W(problems_table(act, o, b));
	return rc;
}

/*
 * The declared-against-discovered rows as data: "state" in the act's
 * language (as in the HTML table), "state_code" the code as recorded.
 */
static int tree_inventory(struct tree_out *t, const struct tree_ops *o,
                          const struct cx_act *act)
{
	static const char *const props[] = {"annex", "item", "declared",
	                                    "discovered"};
	const struct cx_run *run = act->run;
	size_t i, j;
	int rc = CX_OK;

	if (count_kind(run, "inventory-row") == 0)
		return CX_OK;
	W(o->list_open(t, "inventory_table", "row"));
	for (i = 0; i < run->n_obs && rc == CX_OK; i++) {
		const struct cx_observation *ob = &run->obs[i];
		const char *st = cx_obs_get(ob, "state");

		if (strcmp(ob->kind, "inventory-row") != 0)
			continue;
		W(o->obj_open(t, NULL));
		for (j = 0; j < CX_ARRAY_LEN(props); j++)
			W(o->field(t, props[j], cx_obs_get(ob, props[j])));
		W(o->field(t, "state",
		           st ? cell_text(act, ob->kind, "state", st) : NULL));
		W(o->field(t, "state_code", st));
		W(o->obj_close(t, NULL));
	}
	W(o->list_close(t, "inventory_table"));
	return rc;
}

/*
 * The problems of the Annex 5/6 lists as data: "message" in the act's
 * language (as in the HTML table), with its "msg" id and "args" as
 * recorded (a run recorded before the problems had ids: its English
 * message, no msg).
 */
static int tree_problems(struct tree_out *t, const struct tree_ops *o,
                         const struct cx_act *act)
{
	static const char *const props[] = {"file", "line", "column", "field",
	                                    "level"};
	const struct cx_run *run = act->run;
	struct cx_buf words = {0};
	size_t i, j;
	int rc = CX_OK;

	if (count_kind(run, "annex-problem") == 0)
		return CX_OK;
	W(o->list_open(t, "list_problems", "problem"));
	for (i = 0; i < run->n_obs && rc == CX_OK; i++) {
		const struct cx_observation *ob = &run->obs[i];

		if (strcmp(ob->kind, "annex-problem") != 0)
			continue;
		W(o->obj_open(t, NULL));
		for (j = 0; j < CX_ARRAY_LEN(props); j++)
			W(o->field(t, props[j], cx_obs_get(ob, props[j])));
		words.len = 0;
		if (words.data != NULL)
			words.data[0] = '\0';
		W(problem_words(act, ob, &words));
		W(o->field(t, "message", words.data ? words.data : ""));
		W(o->field(t, "msg", cx_obs_get(ob, "msg")));
		W(o->list_open(t, "args", "arg"));
		for (j = 0; j < ob->n_props && rc == CX_OK; j++) {
			if (strncmp(ob->props[j].name, "arg.", 4) != 0)
				continue;
			W(o->obj_open(t, NULL));
			W(o->field(t, "name", ob->props[j].name + 4));
			W(o->field(t, "value", ob->props[j].value));
			W(o->obj_close(t, NULL));
		}
		W(o->list_close(t, "args"));
		W(o->obj_close(t, NULL));
	}
	W(o->list_close(t, "list_problems"));
	cx_buf_free(&words);
	return rc;
}

/* The Annex 3 documents as data; "failed" worded in the act's language. */
static int tree_docs(struct tree_out *t, const struct tree_ops *o,
                     const struct cx_act *act, const char *const *props,
                     size_t nprops)
{
	const struct cx_run *run = act->run;
	struct cx_buf crit = {0};
	size_t i, j;
	int rc = CX_OK;

	if (count_kind(run, "annex3-document") == 0)
		return CX_OK;
	W(o->list_open(t, "annex3_documents", "document"));
	for (i = 0; i < run->n_obs && rc == CX_OK; i++) {
		const struct cx_observation *ob = &run->obs[i];

		if (strcmp(ob->kind, "annex3-document") != 0)
			continue;
		W(doc_criteria(act, ob, &crit));
		W(o->obj_open(t, NULL));
		for (j = 0; j < nprops; j++)
			W(o->field(t, props[j],
			           j == 1 ? doc_title(act, ob)
			                  : cx_obs_get(ob, props[j])));
		W(o->field(t, "failed", nz(crit.data)));
		W(o->obj_close(t, NULL));
	}
	W(o->list_close(t, "annex3_documents"));
	cx_buf_free(&crit);
	return rc;
}

int tree_proc(struct tree_out *t, const struct tree_ops *o,
              const struct cx_act *act)
{
	static const char *const doc_props[] = {
	    "number",   "title",  "reference", "order",
	    "approved", "status", "criteria"};
	int rc = CX_OK;

	W(tree_inventory(t, o, act));
	W(tree_problems(t, o, act));
	W(tree_docs(t, o, act, doc_props, CX_ARRAY_LEN(doc_props)));
	return rc;
}

/* The event a term counts from, as "from <event>, <date>" in the act's
 * language (the two events of the act's terms, paras 19 and 34). */
static const char *term_from_msg(enum cx_event e)
{
	switch (e) {
	case CX_EV_CONTRACT_IN_FORCE:
		return "act.proc.term.from.contract-in-force";
	case CX_EV_ADDITIONAL_REQUESTED:
		return "act.proc.term.from.additional-requested";
	default:
		return "act.proc.term.from.event";
	}
}

/* "Term of the certification examination (Rules, para 19): 30 working
 * days from the contract's entry into force, 2026-10-12; met (...)." */
static int term_line(const struct cx_act *act, struct cx_buf *line,
                     const char **cls)
{
	const struct cx_term *t = cx_deadlines_act_term(act->terms);
	struct cx_buf from = {0}, state = {0};
	char base[16] = "", days[16];
	int rc = CX_OK;

	if (t == NULL)
		return 0;
	if (t->base >= 0)
		cx_date_str(t->base, base, sizeof(base));
	snprintf(days, sizeof(days), "%d", t->days);
	W(cx_msg(&from, act->cat, term_from_msg(t->from),
	         CX_ARGS("event", cx_event_name(t->from), "date",
	                 base[0] ? base : NULL)));
	W(cx_term_state_msg(&state, act->cat, t, cx_event_name(t->from)));
	W(cx_msg(line, act->cat,
	         act->additional ? "act.proc.term.additional"
	                         : "act.proc.term.act",
	         CX_ARGS("para", t->para, "days", days, "from",
	                 from.data ? from.data : "", "state",
	                 state.data ? state.data : "")));
	if (t->incomplete && rc == CX_OK)
		rc = cx_buf_puts(line, " ") != CX_OK
		         ? CX_ENOMEM
		         : cx_msg(line, act->cat,
		                  "act.proc.term.calendar-incomplete", NULL);
	cx_buf_free(&from);
	cx_buf_free(&state);
	*cls = t->state == CX_TERM_MET       ? "pass"
	       : t->state == CX_TERM_OVERDUE ? "fail"
	                                     : "incomplete";
	return rc == CX_OK ? 1 : -1;
}

static const char *const waiver_cols[] = {
    "act.waiver.col.finding",     "act.waiver.col.waiver",
    "act.waiver.col.state",       "act.waiver.col.justification",
    "act.waiver.col.approved-by", "act.waiver.col.date",
    "act.waiver.col.expires"};
static const char *const waiver_props[] = {
    "finding",     "waiver", "state",  "justification",
    "approved_by", "date",   "expires"};

int render_proc_act(const struct cx_act *act, const struct render_ops *o,
                    struct cx_buf *b)
{
	struct cx_buf line = {0};
	const char *cls = "incomplete";
	int rc = CX_OK, got = term_line(act, &line, &cls);

	if (got < 0)
		rc = CX_ENOMEM;
	else if (got > 0)
		W(o->verdict(b, cls, line.data ? line.data : ""));
	cx_buf_free(&line);
	return rc;
}

int render_proc_annex(const struct cx_act *act, const struct render_ops *o,
                      struct cx_buf *b)
{
	int rc = CX_OK;

	if (count_kind(act->run, "waiver") > 0) {
		W(o->heading(b, 3, cx_act_text(act, "act.waiver.title")));
		W(o->para(b, cx_act_text(act, "act.waiver.intro")));
		W(kind_table(act, o, b, "waiver", waiver_cols, waiver_props,
		             7));
	}
	return rc;
}

/* The waivers as data: the free texts in the act's language, each with
 * the language it is in (justification_lang, approved_by_lang: "" when
 * untagged), the default text where the act's language has none. */
static int tree_waivers(struct tree_out *t, const struct tree_ops *o,
                        const struct cx_act *act)
{
	const struct cx_run *run = act->run;
	const struct cx_observation *ob;
	const char *lang, *v;
	int li = cx_lang_parse(act->lang);
	size_t i, j;
	int rc = CX_OK;

	if (count_kind(run, "waiver") == 0)
		return CX_OK;
	W(o->list_open(t, "waivers", "waiver"));
	for (i = 0; i < run->n_obs && rc == CX_OK; i++) {
		ob = &run->obs[i];
		if (strcmp(ob->kind, "waiver") != 0)
			continue;
		W(o->obj_open(t, NULL));
		for (j = 0; j < CX_ARRAY_LEN(waiver_props); j++) {
			const char *p = waiver_props[j];
			char pn[32];

			if (strcmp(p, "justification") != 0 &&
			    strcmp(p, "approved_by") != 0) {
				W(o->field(t, p, cx_obs_get(ob, p)));
				continue;
			}
			/* the bare text: the note of a fallback is the
			 * renderers' */
			snprintf(pn, sizeof(pn), "%s.%s", p,
			         li >= 0 ? cx_lang_code((enum cx_lang)li)
			                 : "-");
			v = cx_obs_get(ob, pn);
			if (v != NULL) {
				lang = cx_lang_code((enum cx_lang)li);
			} else {
				v = cx_obs_get(ob, p);
				snprintf(pn, sizeof(pn), "%s.lang", p);
				lang = nz(cx_obs_get(ob, pn));
			}
			W(o->field(t, p, v));
			snprintf(pn, sizeof(pn), "%s_lang", p);
			W(o->field(t, pn, lang));
		}
		W(o->obj_close(t, NULL));
	}
	W(o->list_close(t, "waivers"));
	return rc;
}

int tree_proc_act(struct tree_out *t, const struct tree_ops *o,
                  const struct cx_act *act)
{
	const struct cx_term *tm = cx_deadlines_act_term(act->terms);
	char base[16] = "", due[16] = "", done[16] = "";
	int rc = CX_OK;

	W(tree_waivers(t, o, act));
	if (tm == NULL)
		return rc;
	if (tm->base >= 0)
		cx_date_str(tm->base, base, sizeof(base));
	if (tm->due >= 0)
		cx_date_str(tm->due, due, sizeof(due));
	if (tm->done >= 0)
		cx_date_str(tm->done, done, sizeof(done));
	W(o->obj_open(t, "term"));
	W(o->field(t, "paragraph", tm->para));
	W(o->num(t, "working_days", tm->days));
	W(o->field(t, "from_event", cx_event_name(tm->from)));
	W(o->field(t, "from", base[0] ? base : NULL));
	W(o->field(t, "due", due[0] ? due : NULL));
	W(o->field(t, "act_date", done[0] ? done : NULL));
	W(o->field(t, "state", cx_term_state_name(tm->state)));
	W(o->num(t, "late_working_days", tm->late));
	W(o->field(t, "calendar_incomplete", tm->incomplete ? "yes" : "no"));
	W(o->obj_close(t, "term"));
	return rc;
}

int render_proc_remark(const struct cx_act *act,
                       const struct cx_observation *pk, size_t i,
                       struct cx_buf *out)
{
	const char *names[8], *values[8], *msg = NULL, *where = NULL, *t;
	struct cx_buf what = {0};
	size_t j, n = 0;
	int rc;

	for (j = i + 1; j < pk->n_props; j++) {
		const struct cx_prop *p = &pk->props[j];

		if (strcmp(p->name, "error") == 0 ||
		    strcmp(p->name, "warning") == 0)
			break;
		if (strcmp(p->name, "msg") == 0)
			msg = p->value;
		else if (strcmp(p->name, "where") == 0)
			where = p->value;
		else if (strncmp(p->name, "arg.", 4) == 0 &&
		         n < CX_ARRAY_LEN(names)) {
			names[n] = p->name + 4;
			values[n++] = p->value;
		}
	}
	t = msg != NULL ? cx_catalog_get(act->cat, msg) : NULL;
	/* a run recorded before the remarks had messages: its text */
	if (t == NULL)
		return cx_buf_puts(out, nz(pk->props[i].value));
	/* {what} names a field or an attachment: a message id itself */
	for (j = 0; j < n; j++)
		if (strcmp(names[j], "what") == 0 &&
		    strncmp(nz(values[j]), "pkg.", 4) == 0) {
			rc = cx_msg(&what, act->cat, values[j], NULL);
			if (rc) {
				cx_buf_free(&what);
				return rc;
			}
			values[j] = what.data;
		}
	rc = where != NULL ? cx_buf_printf(out, "%s: ", where) : CX_OK;
	if (rc == CX_OK)
		rc = cx_msg_format_props(out, t, names, values, n);
	cx_buf_free(&what);
	return rc;
}
