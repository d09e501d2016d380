/*
 * certexam — the procedure around the examination: the dated events a
 * case records (CASE/procedure.xml, schema procedure.xsd) and the terms of
 * the Rules computed from them in working days (include/certexam/
 * calendar.h): paragraphs 17, 19, 27, 28/30/31, 31, 33 and 34.
 */
#ifndef CERTEXAM_PROCEDURE_H
#define CERTEXAM_PROCEDURE_H

#include <stddef.h>
#include "certexam/calendar.h"
#include "certexam/error.h"
#include "certexam/object.h"

enum cx_event {
	CX_EV_APPLICATION_RECEIVED = 0,
	CX_EV_CONTRACT_SENT,
	CX_EV_CONTRACT_RECEIVED,
	CX_EV_CONTRACT_RETURNED,
	CX_EV_CONTRACT_IN_FORCE,
	CX_EV_ACT,
	CX_EV_ACT_RECEIVED,
	CX_EV_DECISION,
	CX_EV_ACT_SENT,
	CX_EV_ACT_DELIVERED,
	CX_EV_RECTIFICATION_NOTIFIED,
	CX_EV_ADDITIONAL_REQUESTED,
	CX_EV_ADDITIONAL_ACT,
	CX__EV_COUNT
};
/* "application-received", ...; static storage. */
const char *cx_event_name(enum cx_event e);

struct cx_procedure {
	long day[CX__EV_COUNT]; /* the event's day, or -1 when not recorded */
	long line[CX__EV_COUNT];
	char decision[16]; /* "issue", "refuse", "rectify" or "" */
	int distributed;   /* geographically distributed (para 19: 40 days) */
	int from_object;   /* the contract date came from object.xml */
};

/*
 * Fill p from case_dir/procedure.xml when it exists (validated against
 * schema_dir/procedure.xsd) and from obj (may be NULL): the contract date
 * of object.xml stands for its entry into force when procedure.xml does not
 * record it (the application's date in object.xml is its submission to the
 * authorized body, not its receipt by the State Technical Service, and is
 * not used), and distributed comes from obj.  0, or an error with the problems
 * in d.
 */
int cx_procedure_load(const char *case_dir, const char *schema_dir,
                      const struct cx_object *obj, struct cx_procedure *p,
                      struct cx_diags *d);

/* Only the file path (p is reset first): for tests and the fuzzer. */
int cx_procedure_load_file(const char *path, const char *schema_dir,
                           struct cx_procedure *p, struct cx_diags *d);

enum cx_term_state {
	CX_TERM_MET = 0, /* done within the term */
	CX_TERM_OVERDUE, /* done after the due date, or not done and due passed
	                  */
	CX_TERM_PENDING, /* not done, the due date not passed */
	CX_TERM_UNKNOWN, /* the event it counts from is not recorded */
	CX_TERM_NO_CALENDAR, /* the calendar does not hold the years */
};
/* "met", "overdue", "pending", "unknown", "no calendar". */
const char *cx_term_state_name(enum cx_term_state s);

struct cx_term {
	const char *para; /* "17", "19", "27", "28", "30", "31", "33", "34" */
	const char *what; /* what must be done, in English */
	enum cx_event from, until;
	int days;             /* working days */
	long base, due, done; /* days, -1 when not known */
	long late;            /* working days past the due date (OVERDUE) */
	long left;      /* working days left until the due date (PENDING) */
	int incomplete; /* the calendar lacks data on the way */
	enum cx_term_state state;
};

#define CX_MAX_TERMS 10

/*
 * The terms of the procedure, in order, into out (CX_MAX_TERMS entries);
 * *n receives how many.  today decides what is overdue when the closing
 * event is not recorded.  The terms of paragraphs 28/30/31 (sending the
 * act) and 31 (rectification) follow the recorded decision.
 */
int cx_procedure_terms(const struct cx_procedure *p,
                       const struct cx_calendar *cal, long today,
                       struct cx_term *out, size_t *n);

#endif
