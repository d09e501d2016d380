/*
 * certexam — the procedure around the examination: CASE/procedure.xml
 * (the dated events) and the terms of the Rules in working days.
 *
 *   para 17  the contract's two copies sent within 3 working days of the
 *            application's receipt; the signed copy returned within 5
 *            working days of their receipt by the applicant
 *   para 19  the examination within 30 working days of the contract's
 *            entry into force, 40 when the object is geographically
 *            distributed
 *   para 27  the decision within 3 working days of the act's receipt
 *   para 28, 30, 31  the act (and for issue the certificate) sent within 3
 *            working days of the decision
 *   para 31  the notice of rectification within 20 working days of the
 *            applicant's receipt of the act (decision "rectify" only)
 *   para 33  the State Technical Service informed within 3 working days of
 *            the notice's receipt
 *   para 34  the additional examination within 15 working days of the
 *            receipt of that request
 *
 * A term counts from the day after its event (the Civil Code's rule), see
 * cx_calendar_add().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/i18n.h"
#include "certexam/procedure.h"
#include "certexam/util.h"
#include "xmlsafe.h"

static const char *const event_names[CX__EV_COUNT] = {
    "application-received",
    "contract-sent",
    "contract-received",
    "contract-returned",
    "contract-in-force",
    "act",
    "act-received",
    "decision",
    "act-sent",
    "act-delivered",
    "rectification-notified",
    "additional-requested",
    "additional-act",
};

const char *cx_event_name(enum cx_event e)
{
	return (unsigned)e < CX__EV_COUNT ? event_names[e] : "?";
}

const char *cx_term_state_name(enum cx_term_state s)
{
	switch (s) {
	case CX_TERM_MET:
		return "met";
	case CX_TERM_OVERDUE:
		return "overdue";
	case CX_TERM_PENDING:
		return "pending";
	case CX_TERM_UNKNOWN:
		return "unknown";
	case CX_TERM_NO_CALENDAR:
		return "no calendar";
	}
	return "?";
}

static int event_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < CX__EV_COUNT; i++)
		if (strcmp(s, event_names[i]) == 0)
			return i;
	return -1;
}

static int load_file(const char *path, const char *schema_dir,
                     struct cx_procedure *p, struct cx_diags *d)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr n;
	char *id = NULL, *date = NULL, *kind = NULL;
	long day;
	int rc, e;

	rc = cx_xml_parse_file(path, CX_XML_MAX_SIZE, &doc, d);
	if (rc == CX_OK)
		rc = cx_xml_validate_in(doc, schema_dir, "procedure.xsd", path,
		                        d);
	if (rc)
		goto out;
	for (n = cx_xml_child(xmlDocGetRootElement(doc), "event"); n != NULL;
	     n = cx_xml_next(n, "event")) {
		id = cx_xml_attr(n, "id");
		date = cx_xml_attr(n, "date");
		e = event_parse(id);
		/* A day before 1970-01-01 is refused too: day -1 is the
		 * "not recorded" sentinel of cx_procedure, and no examination
		 * predates the Rules anyway. */
		if (e < 0 || cx_date_parse(date, &day) != CX_OK || day < 0) {
			rc = cx_diag_add(d, path, cx_xml_line(n), "event",
			                 "'%s' on '%s': expected an event of "
			                 "procedure.xsd and a real date "
			                 "(YYYY-MM-DD)",
			                 id ? id : "", date ? date : "") ||
			             cx_diag_set_msg(
			                 d, "pkg.procedure.bad-event",
			                 CX_ARGS("event", id ? id : "", "date",
			                         date ? date : ""))
			         ? CX_ENOMEM
			         : CX_EPARSE;
			goto out;
		}
		if (p->line[e] > 0) {
			char first[24];

			snprintf(first, sizeof(first), "%ld", p->line[e]);
			rc =
			    cx_diag_add(d, path, cx_xml_line(n), "event",
			                "'%s' is recorded again (first on line "
			                "%s)",
			                id, first) ||
			            cx_diag_set_msg(
			                d, "pkg.procedure.again",
			                CX_ARGS("event", id, "first", first))
			        ? CX_ENOMEM
			        : CX_EPARSE;
			goto out;
		}
		p->day[e] = day;
		p->line[e] = cx_xml_line(n);
		if (e == CX_EV_DECISION) {
			kind = cx_xml_attr(n, "kind");
			snprintf(p->decision, sizeof(p->decision), "%s",
			         kind ? kind : "");
			free(kind);
			kind = NULL;
		}
		free(id);
		free(date);
		id = date = NULL;
	}
	rc = CX_OK;
out:
	free(id);
	free(date);
	if (doc != NULL)
		xmlFreeDoc(doc);
	return rc;
}

int cx_procedure_load_file(const char *path, const char *schema_dir,
                           struct cx_procedure *p, struct cx_diags *d)
{
	int i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < CX__EV_COUNT; i++)
		p->day[i] = -1;
	return load_file(path, schema_dir, p, d);
}

int cx_procedure_load(const char *case_dir, const char *schema_dir,
                      const struct cx_object *obj, struct cx_procedure *p,
                      struct cx_diags *d)
{
	char *path = NULL;
	long day;
	int i, rc = CX_OK;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < CX__EV_COUNT; i++)
		p->day[i] = -1;
	if (case_dir != NULL) {
		path = cx_path_join(case_dir, "procedure.xml");
		if (path == NULL)
			return CX_ENOMEM;
		if (cx_path_exists(path))
			rc = load_file(path, schema_dir, p, d);
		free(path);
		if (rc)
			return rc;
	}
	if (obj == NULL)
		return CX_OK;
	p->distributed = obj->distributed;
	if (p->day[CX_EV_CONTRACT_IN_FORCE] < 0 &&
	    cx_date_parse(obj->contract.date, &day) == CX_OK) {
		p->day[CX_EV_CONTRACT_IN_FORCE] = day;
		p->from_object = 1;
	}
	return CX_OK;
}

static void term(struct cx_term *t, const struct cx_procedure *p,
                 const struct cx_calendar *cal, long today)
{
	long d;

	t->base = p->day[t->from];
	t->done = p->day[t->until];
	t->due = -1;
	t->late = t->left = 0;
	t->incomplete = 0;
	if (t->base < 0) {
		t->state = CX_TERM_UNKNOWN;
		return;
	}
	if (cx_calendar_add(cal, t->base, t->days, &t->due, &t->incomplete)) {
		t->due = -1;
		t->state = CX_TERM_NO_CALENDAR;
		return;
	}
	if (t->done >= 0) {
		if (t->done <= t->due) {
			t->state = CX_TERM_MET;
			return;
		}
		t->state = CX_TERM_OVERDUE;
		d = cx_calendar_between(cal, t->due, t->done);
		t->late = d;
		return;
	}
	if (today > t->due) {
		t->state = CX_TERM_OVERDUE;
		t->late = cx_calendar_between(cal, t->due, today);
	} else {
		t->state = CX_TERM_PENDING;
		t->left = cx_calendar_between(cal, today, t->due);
	}
}

int cx_procedure_terms(const struct cx_procedure *p,
                       const struct cx_calendar *cal, long today,
                       struct cx_term *out, size_t *n)
{
	const char *send_para = "28, 30, 31";

	*n = 0;
	if (strcmp(p->decision, "issue") == 0)
		send_para = "28";
	else if (strcmp(p->decision, "refuse") == 0)
		send_para = "30";
	else if (strcmp(p->decision, "rectify") == 0)
		send_para = "31";
#define T(pa, wh, f, u, dd)                                                    \
	do {                                                                   \
		memset(&out[*n], 0, sizeof(out[*n]));                          \
		out[*n].para = (pa);                                           \
		out[*n].what = (wh);                                           \
		out[*n].from = (f);                                            \
		out[*n].until = (u);                                           \
		out[*n].days = (dd);                                           \
		term(&out[*n], p, cal, today);                                 \
		(*n)++;                                                        \
	} while (0)
	T("17", "the two copies of the contract sent to the applicant",
	  CX_EV_APPLICATION_RECEIVED, CX_EV_CONTRACT_SENT, 3);
	T("17", "the signed copy of the contract returned",
	  CX_EV_CONTRACT_RECEIVED, CX_EV_CONTRACT_RETURNED, 5);
	T("19",
	  p->distributed ? "the certification examination (geographically "
	                   "distributed: 40 working days)"
	                 : "the certification examination",
	  CX_EV_CONTRACT_IN_FORCE, CX_EV_ACT, p->distributed ? 40 : 30);
	T("27", "the decision of the authorized body", CX_EV_ACT_RECEIVED,
	  CX_EV_DECISION, 3);
	T(send_para, "the act sent to the applicant", CX_EV_DECISION,
	  CX_EV_ACT_SENT, 3);
	if (p->decision[0] == '\0' || strcmp(p->decision, "rectify") == 0) {
		T("31", "the notice of rectification to the authorized body",
		  CX_EV_ACT_DELIVERED, CX_EV_RECTIFICATION_NOTIFIED, 20);
		T("33",
		  "the State Technical Service informed of the "
		  "additional examination",
		  CX_EV_RECTIFICATION_NOTIFIED, CX_EV_ADDITIONAL_REQUESTED, 3);
		T("34", "the additional certification examination",
		  CX_EV_ADDITIONAL_REQUESTED, CX_EV_ADDITIONAL_ACT, 15);
	}
#undef T
	return CX_OK;
}
