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
#include <string.h>

#include "act_proc.h"
#include "certexam/deadlines.h"
#include "certexam/error.h"

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

/* A table of the observations of kind: one column per property. */
static int kind_table(const struct cx_act *act, const struct render_ops *o,
                      struct cx_buf *b, const char *kind,
                      const char *const *cols, const char *const *props,
                      size_t ncols)
{
	const struct cx_run *run = act->run;
	const char *cells[8];
	size_t i, j;
	int rc = CX_OK;

	W(o->table_begin(b, NULL, cols, ncols));
	for (i = 0; i < run->n_obs && rc == CX_OK; i++) {
		if (strcmp(run->obs[i].kind, kind) != 0)
			continue;
		for (j = 0; j < ncols; j++)
			cells[j] = nz(cx_obs_get(&run->obs[i], props[j]));
		W(o->row(b, cells, ncols));
	}
	W(o->table_end(b));
	return rc;
}

static int problems_table(const struct cx_act *act, const struct render_ops *o,
                          struct cx_buf *b)
{
	static const char *const cols[] = {"Place", "Level", "Column",
	                                   "Problem"};
	const struct cx_run *run = act->run;
	const struct cx_observation *ob;
	const char *cells[4];
	char place[300];
	const char *col;
	size_t i;
	int rc = CX_OK;

	W(o->para(b, "Problems in the submitted lists (file:line:column); a "
	             "row with an error was not compared:"));
	W(o->table_begin(b, NULL, cols, 4));
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
		cells[1] = nz(cx_obs_get(ob, "level"));
		cells[2] = nz(cx_obs_get(ob, "field"));
		cells[3] = nz(cx_obs_get(ob, "message"));
		W(o->row(b, cells, 4));
	}
	W(o->table_end(b));
	return rc;
}

int render_proc_block(const struct cx_act *act, const struct render_ops *o,
                      struct cx_buf *b, const char *block)
{
	static const char *const inv_cols[] = {"Annex", "Item", "Declared",
	                                       "Discovered", "Comparison"};
	static const char *const inv_props[] = {"annex", "item", "declared",
	                                        "discovered", "state"};
	int rc = CX_OK;

	static const char *const doc_cols[] = {
	    "Item",  "Title",    "Reference",
	    "Order", "Approved", "Failed or not assessed"};
	static const char *const doc_props[] = {
	    "number", "title", "reference", "order", "approved", "failed"};

	if (strcmp(block, "documents") == 0 &&
	    count_kind(act->run, "annex3-document") > 0) {
		W(o->para(b,
		          "The documents of Annex 3 by criteria (provided; "
		          "approved by an order with number and date; "
		          "mandatory sections; current; staff acquainted):"));
		W(kind_table(act, o, b, "annex3-document", doc_cols, doc_props,
		             6));
		return rc;
	}
	if (strcmp(block, "inventory") != 0)
		return CX_OK;
	if (count_kind(act->run, "inventory-row") > 0) {
		W(o->para(b, "Declared (Annexes 5 and 6) against discovered by "
		             "the instrumental examination; Annex \"-\" is "
		             "what was found but not declared:"));
		W(kind_table(act, o, b, "inventory-row", inv_cols, inv_props,
		             5));
	}
	if (count_kind(act->run, "annex-problem") > 0)
		W(problems_table(act, o, b));
	return rc;
}

static int tree_kind(struct tree_out *t, const struct tree_ops *o,
                     const struct cx_run *run, const char *list,
                     const char *item, const char *kind,
                     const char *const *props, size_t nprops)
{
	size_t i, j;
	int rc = CX_OK;

	if (count_kind(run, kind) == 0)
		return CX_OK;
	W(o->list_open(t, list, item));
	for (i = 0; i < run->n_obs && rc == CX_OK; i++) {
		if (strcmp(run->obs[i].kind, kind) != 0)
			continue;
		W(o->obj_open(t, NULL));
		for (j = 0; j < nprops; j++)
			W(o->field(t, props[j],
			           cx_obs_get(&run->obs[i], props[j])));
		W(o->obj_close(t, NULL));
	}
	W(o->list_close(t, list));
	return rc;
}

int tree_proc(struct tree_out *t, const struct tree_ops *o,
              const struct cx_act *act)
{
	static const char *const inv_props[] = {"annex", "item", "declared",
	                                        "discovered", "state"};
	static const char *const prob_props[] = {"file",  "line",  "column",
	                                         "field", "level", "message"};
	static const char *const doc_props[] = {
	    "number",   "title",  "reference", "order",
	    "approved", "status", "failed"};
	int rc = CX_OK;

	W(tree_kind(t, o, act->run, "inventory_table", "row", "inventory-row",
	            inv_props, 5));
	W(tree_kind(t, o, act->run, "list_problems", "problem", "annex-problem",
	            prob_props, 6));
	W(tree_kind(t, o, act->run, "annex3_documents", "document",
	            "annex3-document", doc_props, 7));
	return rc;
}

/* "para 19: 30 working days from contract-in-force 2026-10-12, due ..." */
static int term_line(const struct cx_act *act, char *line, size_t linesz,
                     const char **cls)
{
	const struct cx_term *t = cx_deadlines_act_term(act->terms);
	char base[16], state[200];

	if (t == NULL)
		return 0;
	base[0] = '\0';
	if (t->base >= 0)
		cx_date_str(t->base, base, sizeof(base));
	cx_term_text(t, state, sizeof(state));
	snprintf(
	    line, linesz,
	    "Term of the %s (Rules, para %s): %d working days from %s%s%s; "
	    "%s%s.",
	    act->additional ? "additional certification examination"
	                    : "certification examination",
	    t->para, t->days, cx_event_name(t->from), base[0] ? " " : "", base,
	    state,
	    t->incomplete ? " (the calendar of a year on the way is "
	                    "incomplete)"
	                  : "");
	*cls = t->state == CX_TERM_MET       ? "pass"
	       : t->state == CX_TERM_OVERDUE ? "fail"
	                                     : "incomplete";
	return 1;
}

static const char *const waiver_cols[] = {
    "Finding",     "Waiver", "State",  "Justification",
    "Approved by", "Date",   "Expires"};
static const char *const waiver_props[] = {
    "finding",     "waiver", "state",  "justification",
    "approved_by", "date",   "expires"};

int render_proc_act(const struct cx_act *act, const struct render_ops *o,
                    struct cx_buf *b)
{
	char line[600];
	const char *cls = "incomplete";
	int rc = CX_OK;

	if (term_line(act, line, sizeof(line), &cls))
		W(o->verdict(b, cls, line));
	return rc;
}

int render_proc_annex(const struct cx_act *act, const struct render_ops *o,
                      struct cx_buf *b)
{
	int rc = CX_OK;

	if (count_kind(act->run, "waiver") > 0) {
		W(o->heading(b, 3, "Waivers"));
		W(o->para(b,
		          "Waivers of the case (waivers.xml): a waived "
		          "finding is counted apart and is not a deficiency; "
		          "an expired waiver, or one on a critical finding "
		          "the profile does not allow to waive, was not "
		          "applied:"));
		W(kind_table(act, o, b, "waiver", waiver_cols, waiver_props,
		             7));
	}
	return rc;
}

int tree_proc_act(struct tree_out *t, const struct tree_ops *o,
                  const struct cx_act *act)
{
	const struct cx_term *tm = cx_deadlines_act_term(act->terms);
	char base[16] = "", due[16] = "", done[16] = "";
	int rc = CX_OK;

	W(tree_kind(t, o, act->run, "waivers", "waiver", "waiver", waiver_props,
	            7));
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
