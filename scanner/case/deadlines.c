/*
 * certexam — the timeline of a case as text (`certexam deadlines CASE`):
 * the procedure's events (scanner/case/procedure.c), the calendar years
 * they need (scanner/case/calendar.c) and one line per term with its due
 * date and whether it was met, is pending or is overdue.  Nothing here
 * prints: the text goes to a buffer the command line writes out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/deadlines.h"
#include "certexam/util.h"

int cx_deadlines_load(const char *case_dir, const char *profiles_dir,
                      const struct cx_object *obj, long today,
                      struct cx_deadlines *out, struct cx_diags *d)
{
	char *schema = NULL, *caldir = NULL;
	int first = 9999, last = 0, i, rc;

	memset(out, 0, sizeof(*out));
	out->today = today;
	schema = cx_path_join(profiles_dir, "schema");
	caldir = cx_path_join(profiles_dir, "calendar");
	if (schema == NULL || caldir == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	rc = cx_procedure_load(case_dir, schema, obj, &out->proc, d);
	if (rc)
		goto out;
	for (i = 0; i < CX__EV_COUNT; i++) {
		if (out->proc.day[i] < 0)
			continue;
		if (cx_date_year(out->proc.day[i]) < first)
			first = cx_date_year(out->proc.day[i]);
		if (cx_date_year(out->proc.day[i]) > last)
			last = cx_date_year(out->proc.day[i]);
	}
	if (cx_date_year(today) < first)
		first = cx_date_year(today);
	if (cx_date_year(today) > last)
		last = cx_date_year(today);
	/* A term of 40 working days runs into the next year at most. */
	rc = cx_calendar_load(caldir, schema, first, last + 1, &out->cal, d);
	if (rc)
		goto out;
	rc = cx_procedure_terms(&out->proc, out->cal, today, out->terms,
	                        &out->n_terms);
out:
	free(schema);
	free(caldir);
	if (rc)
		cx_deadlines_free(out);
	return rc;
}

int cx_deadlines_for_act(const char *case_dir, const char *profiles_dir,
                         const struct cx_object *obj, const char *act_date,
                         int additional, struct cx_deadlines *out,
                         struct cx_diags *d)
{
	enum cx_event e = additional ? CX_EV_ADDITIONAL_ACT : CX_EV_ACT;
	long day;
	int rc;

	if (cx_date_parse(act_date, &day) != CX_OK)
		return CX_EINVAL;
	rc = cx_deadlines_load(case_dir, profiles_dir, obj, day, out, d);
	if (rc)
		return rc;
	out->act_day = day;
	out->act_event = e;
	if (out->proc.day[e] < 0) {
		/* The act being drafted closes its term on its date. */
		out->proc.day[e] = day;
		rc = cx_procedure_terms(&out->proc, out->cal, day, out->terms,
		                        &out->n_terms);
	}
	if (rc)
		cx_deadlines_free(out);
	return rc;
}

const struct cx_term *cx_deadlines_act_term(const struct cx_deadlines *dl)
{
	size_t i;

	if (dl == NULL)
		return NULL;
	for (i = 0; i < dl->n_terms; i++)
		if (dl->terms[i].until == dl->act_event)
			return &dl->terms[i];
	return NULL;
}

void cx_deadlines_free(struct cx_deadlines *dl)
{
	if (dl == NULL)
		return;
	cx_calendar_free(dl->cal);
	dl->cal = NULL;
	dl->n_terms = 0;
}

const struct cx_term *cx_deadlines_find(const struct cx_deadlines *dl,
                                        const char *para)
{
	size_t i;

	for (i = 0; i < dl->n_terms; i++)
		if (strcmp(dl->terms[i].para, para) == 0)
			return &dl->terms[i];
	return NULL;
}

int cx_term_state_msg(struct cx_buf *out, const struct cx_catalog *cat,
                      const struct cx_term *t, const char *event)
{
	char due[16] = "", done[16] = "", late[24], left[24];

	if (t->due >= 0)
		cx_date_str(t->due, due, sizeof(due));
	if (t->done >= 0)
		cx_date_str(t->done, done, sizeof(done));
	snprintf(late, sizeof(late), "%ld", t->late);
	snprintf(left, sizeof(left), "%ld", t->left);
	switch (t->state) {
	case CX_TERM_MET:
		return cx_msg(out, cat, "act.proc.term.state.met",
		              CX_ARGS("done", done, "due", due));
	case CX_TERM_OVERDUE:
		if (t->done >= 0)
			return cx_msg(
			    out, cat, "act.proc.term.state.overdue-done",
			    CX_ARGS("done", done, "due", due, "late", late));
		return cx_msg(out, cat, "act.proc.term.state.overdue",
		              CX_ARGS("due", due, "late", late));
	case CX_TERM_PENDING:
		return cx_msg(out, cat, "act.proc.term.state.pending",
		              CX_ARGS("due", due, "left", left));
	case CX_TERM_UNKNOWN:
		return cx_msg(out, cat, "act.proc.term.state.unknown",
		              CX_ARGS("event", event));
	case CX_TERM_NO_CALENDAR:
	default:
		return cx_msg(out, cat, "act.proc.term.state.no-calendar",
		              NULL);
	}
}

size_t cx_deadlines_overdue(const struct cx_deadlines *dl)
{
	size_t i, n = 0;

	for (i = 0; i < dl->n_terms; i++)
		n += dl->terms[i].state == CX_TERM_OVERDUE;
	return n;
}
