/*
 * certexam — the timeline of a case: its procedure, the calendar years it
 * needs and its terms (include/certexam/procedure.h), for the `deadlines`
 * command and the act.
 */
#ifndef CERTEXAM_DEADLINES_H
#define CERTEXAM_DEADLINES_H

#include <stddef.h>
#include "certexam/calendar.h"
#include "certexam/i18n.h"
#include "certexam/object.h"
#include "certexam/procedure.h"
#include "certexam/util.h"

struct cx_deadlines {
	long today;
	struct cx_procedure proc;
	struct cx_calendar *cal;
	struct cx_term terms[CX_MAX_TERMS];
	size_t n_terms;
	long act_day;            /* cx_deadlines_for_act: the act's day */
	enum cx_event act_event; /* CX_EV_ACT or CX_EV_ADDITIONAL_ACT */
};

/*
 * Load case_dir/procedure.xml (optional; case_dir may be NULL), the
 * dates of obj (may be NULL) and profiles_dir/calendar/ for the years
 * concerned, and compute the terms as of today.  Free with
 * cx_deadlines_free (the struct itself is the caller's).
 */
int cx_deadlines_load(const char *case_dir, const char *profiles_dir,
                      const struct cx_object *obj, long today,
                      struct cx_deadlines *out, struct cx_diags *d);
void cx_deadlines_free(struct cx_deadlines *dl);

/*
 * The same for an act dated act_date (YYYY-MM-DD): the act (additional:
 * the act of additional examination) is taken as drawn up that day unless
 * procedure.xml records it, so its term (para 19, or 34) says whether the
 * act is within it.
 */
int cx_deadlines_for_act(const char *case_dir, const char *profiles_dir,
                         const struct cx_object *obj, const char *act_date,
                         int additional, struct cx_deadlines *out,
                         struct cx_diags *d);
/* The term the act closes (para 19 or 34), or NULL. */
const struct cx_term *cx_deadlines_act_term(const struct cx_deadlines *dl);

/* The first term of paragraph para ("19", "34"), or NULL. */
const struct cx_term *cx_deadlines_find(const struct cx_deadlines *dl,
                                        const char *para);
/*
 * A term's state as a sentence of cat's language (act.proc.term.state.*),
 * appended to out: met, overdue (done late or not done), pending, the
 * event not recorded (event: that event's words, may be NULL) or no
 * calendar.  The act and the `deadlines` command both word it here.  cat
 * may be NULL: the id is appended in brackets (cx_msg).  0 or CX_ENOMEM.
 */
int cx_term_state_msg(struct cx_buf *out, const struct cx_catalog *cat,
                      const struct cx_term *t, const char *event);
/* How many terms are overdue. */
size_t cx_deadlines_overdue(const struct cx_deadlines *dl);

#endif
