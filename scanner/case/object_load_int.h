/*
 * certexam — what object_load.c (the loader, its diagnostics, the single
 * fields and the parties) and object_lists.c (the lists of object.xml:
 * scope, services, integrations, documents, trust anchors) share: the
 * loader's state, its error diagnostic and the value helpers they both
 * use (internal header).
 */
#ifndef CX_OBJECT_LOAD_INT_H
#define CX_OBJECT_LOAD_INT_H

#include "certexam/error.h"
#include "certexam/object.h"
#include "ltext.h"
#include "xmlsafe.h"

struct loader {
	const char *file;
	struct cx_diags *d;
	int xsd_ok; /* the schema passed: values have their form */
	int errors; /* semantic errors found */
	int oom;
	struct cx_lt_reader lt; /* the fields given in several languages */
};

/* 1 if c is an ASCII decimal digit. */
int cx_ol_is_digit(char c);
/* 1 if s is a real date YYYY-MM-DD (years 1900-2999), else 0. */
int cx_ol_date_valid(const char *s);
/*
 * An error at node n (its line; n may be NULL): its message id msg
 * (pkg.object.*) with args, and its English words fmt.  Counts in
 * l->errors; sets l->oom on ENOMEM.
 */
void cx_ol_err(struct loader *l, xmlNodePtr n, const char *field,
               const char *msg, const char *const *args, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* An attribute, NULL when absent or empty; the caller frees it. */
char *cx_ol_attr(xmlNodePtr n, const char *name);
/* 1 if s is "true" or "1". */
int cx_ol_bool(const char *s);

/*
 * Read the lists under root into o (scanner/case/object_lists.c): the
 * scope and its exclusions, the declared services, the integrations, the
 * Annex 3 documents with their sections and the trust anchors, in that
 * order; problems go to l.  CX_OK or CX_ENOMEM.
 */
int cx_object_load_lists(struct loader *l, xmlNodePtr root,
                         struct cx_object *o);

#endif
