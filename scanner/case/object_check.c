/*
 * certexam — the completeness of a loaded object of certification (Rules
 * No. 298, paragraphs 13-14): the parties, the application and the
 * contract, the scope, the Annex 3 documents, the other attachments of
 * paragraph 13 (<package>) and the Annex 5 and 6 lists.  Diagnostics carry
 * the line of object.xml where the field is or belongs.  Loading is
 * scanner/case/object_load.c.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/i18n.h"
#include "certexam/object.h"
#include "certexam/util.h"
#include "xmlsafe.h"

/* Annex 3 item 7 is mandatory only for objects that use cryptography. */
#define ANNEX3_CRYPTO_ITEM 7

/* ------------------------------------------------------------------ */
/* Completeness (paragraphs 13-14)                                     */

struct compl
{
	const char *file;
	struct cx_diags *d;
	size_t errors;
	xmlDocPtr doc; /* object.xml read again for line numbers, or NULL */
};

/*
 * The line of the element a field path names ("possessor/bin",
 * "application@date"), or of its deepest ancestor present, so that a
 * missing field points at the place to add it.  0 without a document.
 */
static long field_line(const struct compl *c, const char *field)
{
	xmlNodePtr cur, next;
	const char *p = field;
	char name[64];

	if (c->doc == NULL)
		return 0;
	cur = xmlDocGetRootElement(c->doc);
	while (cur != NULL && p != NULL && *p != '\0' && *p != '@') {
		size_t len = strcspn(p, "/@[");

		if (len == 0 || len >= sizeof(name))
			break;
		memcpy(name, p, len);
		name[len] = '\0';
		next = cx_xml_child(cur, name);
		if (next == NULL)
			break;
		cur = next;
		p += len;
		if (*p == '/')
			p++;
		else
			break;
	}
	return cx_xml_line(cur);
}

/* The line of the n-th element name under list (0-based), or 0. */
static long nth_line(const struct compl *c, const char *list, const char *name,
                     size_t n)
{
	xmlNodePtr e;

	if (c->doc == NULL)
		return 0;
	e = cx_xml_child(cx_xml_child(xmlDocGetRootElement(c->doc), list),
	                 name);
	while (e != NULL && n-- > 0)
		e = cx_xml_next(e, name);
	return cx_xml_line(e);
}

/*
 * A remark: its message id (pkg.*) and parameters for the act, and the
 * English text for the terminal (validate).
 */
static void cdiag(struct compl *c, int warning, long line, const char *field,
                  const char *msg, const char *const *args, const char *fmt,
                  va_list ap)
{
	if (!warning)
		c->errors++;
	if (c->d == NULL)
		return;
	if (cx_diag_vadd(c->d, warning, c->file, line, field, fmt, ap) == CX_OK)
		(void)cx_diag_set_msg(c->d, msg, args);
}

static void cerr(struct compl *c, long line, const char *field, const char *msg,
                 const char *const *args, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void cerr(struct compl *c, long line, const char *field, const char *msg,
                 const char *const *args, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cdiag(c, 0, line, field, msg, args, fmt, ap);
	va_end(ap);
}

static void cwarn(struct compl *c, long line, const char *field,
                  const char *msg, const char *const *args, const char *fmt,
                  ...) __attribute__((format(printf, 6, 7)));
static void cwarn(struct compl *c, long line, const char *field,
                  const char *msg, const char *const *args, const char *fmt,
                  ...)
{
	va_list ap;

	va_start(ap, fmt);
	cdiag(c, 1, line, field, msg, args, fmt, ap);
	va_end(ap);
}

static int blank(const char *s)
{
	return s == NULL || s[0] == '\0';
}

/*
 * A required (need) or expected (want) field; name is the message id of
 * the field's name in the catalogs (pkg.field.*), the act's parameter
 * {what}.
 */
static void need(struct compl *c, const char *v, const char *field,
                 const char *name, const char *what)
{
	if (blank(v))
		cerr(c, field_line(c, field), field, "pkg.field.missing",
		     CX_ARGS("what", name), "%s is missing", what);
}

static void want(struct compl *c, const char *v, const char *field,
                 const char *name, const char *what)
{
	if (blank(v))
		cwarn(c, field_line(c, field), field, "pkg.field.not-given",
		      CX_ARGS("what", name), "%s is not given", what);
}

static const struct cx_document *doc_find(const struct cx_object *o, int n)
{
	size_t i;

	for (i = 0; i < o->n_documents; i++)
		if (o->documents[i].number == n)
			return &o->documents[i];
	return NULL;
}

static void check_documents(struct compl *c, const struct cx_object *o)
{
	char field[48];
	int n;

	for (n = 1; n <= 16; n++) {
		const struct cx_document *doc = doc_find(o, n);
		const char *title = cx_annex3_title(n);
		char item[8];

		snprintf(field, sizeof(field), "documents/document[%d]", n);
		snprintf(item, sizeof(item), "%d", n);
		if (doc == NULL || doc->status == NULL) {
			cerr(c,
			     doc != NULL ? doc->line
			                 : field_line(c, "documents"),
			     field, "pkg.doc.not-recorded",
			     CX_ARGS("item", item),
			     "Annex 3 item %d (%s) is not recorded: add "
			     "<document number=\"%d\" status=\"...\">",
			     n, title, n);
			continue;
		}
		if (strcmp(doc->status, "missing") == 0) {
			cerr(c, doc->line, field, "pkg.doc.missing",
			     CX_ARGS("item", item),
			     "Annex 3 item %d (%s) has not been submitted "
			     "(paragraph 13, subparagraph 4)",
			     n, title);
		} else if (strcmp(doc->status, "not-applicable") == 0) {
			if (n != ANNEX3_CRYPTO_ITEM)
				cerr(c, doc->line, field,
				     "pkg.doc.na-mandatory",
				     CX_ARGS("item", item),
				     "Annex 3 item %d (%s) is mandatory and "
				     "cannot be \"not-applicable\"",
				     n, title);
			else if (o->uses_crypto)
				cerr(c, doc->line, field,
				     "pkg.doc.crypto-mandatory", NULL,
				     "Annex 3 item 7 is mandatory because the "
				     "object uses cryptographic protection "
				     "(uses-crypto is true)");
		} else if (strcmp(doc->status, "provided") == 0) {
			if (blank(doc->approved))
				cwarn(c, doc->line, field,
				      "pkg.doc.not-approved",
				      CX_ARGS("item", item),
				      "Annex 3 item %d is provided but its "
				      "approval by the possessor is not "
				      "recorded (approved=\"...\")",
				      n);
		} else if (strcmp(doc->status, "deficient") == 0) {
			cwarn(c, doc->line, field, "pkg.doc.deficient",
			      CX_ARGS("item", item),
			      "Annex 3 item %d is provided but marked "
			      "deficient%s%s",
			      n, doc->note != NULL ? ": " : "",
			      doc->note != NULL ? doc->note : "");
		}
	}
}

/* name in the folder of path (the case folder).  Caller frees. */
static char *sibling(const char *path, const char *name)
{
	const char *slash = path != NULL ? strrchr(path, '/') : NULL;
	char *dir, *r;

	if (slash == NULL)
		return cx_strdup(name);
	dir = cx_strndup(path, (size_t)(slash - path) + 1);
	if (dir == NULL)
		return NULL;
	r = cx_asprintf("%s%s", dir, name);
	free(dir);
	return r;
}

/* The other attachments of the application (paragraph 13). */
struct attach_rule {
	const char *id;
	const char *msg; /* its name in the catalogs */
	const char *what;
	int required; /* 0: only for individuals / when ICT services are used */
};

static const struct attach_rule attach_rules[] = {
    {"identity-document", "pkg.attachment.identity-document",
     "the copy of the applicant's identity document (paragraph 13, "
     "subparagraph 1; individuals only)",
     0},
    {"terms-of-reference", "pkg.attachment.terms-of-reference",
     "the terms of reference, or the technical specification of an "
     "Internet resource (paragraph 13, subparagraph 2)",
     1},
    {"functional-diagram", "pkg.attachment.functional-diagram",
     "the general functional diagram with the network addresses of the "
     "servers and the administrator's workstation (paragraph 13, "
     "subparagraph 3)",
     1},
    {"network-diagram", "pkg.attachment.network-diagram",
     "the local network diagram approved by the possessor (paragraph 13, "
     "subparagraph 3)",
     1},
    {"explanatory-note", "pkg.attachment.explanatory-note",
     "the explanatory note to the general functional diagram (paragraph "
     "13, subparagraph 3)",
     1},
    {"ict-services-contract", "pkg.attachment.ict-services-contract",
     "the contract for information and communication services with "
     "technical characteristics (paragraph 13, subparagraph 7)",
     0},
};

/*
 * The <package> section: the attachments of paragraph 13 other than the
 * Annexes.  Returns 1 when the object declares (provides) a contract for
 * information and communication services, 0 otherwise.
 */
static int check_package(struct compl *c)
{
	xmlNodePtr root, pkg, a, first;
	char field[64];
	size_t i;
	int ict = 0;

	if (c->doc == NULL)
		return 0;
	root = xmlDocGetRootElement(c->doc);
	pkg = cx_xml_child(root, "package");
	if (pkg == NULL) {
		cwarn(c, cx_xml_line(root), "package", "pkg.attach.no-package",
		      NULL,
		      "the attachments of paragraph 13 (terms of reference, "
		      "functional and network diagrams, explanatory note) "
		      "are not recorded; add a <package> section");
		return 0;
	}
	for (i = 0; i < CX_ARRAY_LEN(attach_rules); i++) {
		const struct attach_rule *r = &attach_rules[i];
		char *id, *st = NULL, first_s[24];

		first = NULL;
		for (a = cx_xml_child(pkg, "attachment"); a != NULL;
		     a = cx_xml_next(a, "attachment")) {
			int same;

			id = cx_xml_attr(a, "id");
			same = id != NULL && strcmp(id, r->id) == 0;
			free(id);
			if (!same)
				continue;
			if (first == NULL) {
				first = a;
				continue;
			}
			snprintf(first_s, sizeof(first_s), "%ld",
			         cx_xml_line(first));
			cerr(c, cx_xml_line(a), "package/attachment",
			     "pkg.attach.twice",
			     CX_ARGS("what", r->msg, "first", first_s),
			     "attachment \"%s\" is recorded twice "
			     "(first on line %ld)",
			     r->id, cx_xml_line(first));
		}
		snprintf(field, sizeof(field), "package/attachment[%s]", r->id);
		if (first == NULL) {
			if (r->required)
				cerr(c, cx_xml_line(pkg), field,
				     "pkg.attach.not-recorded",
				     CX_ARGS("what", r->msg),
				     "%s is not recorded", r->what);
			continue;
		}
		st = cx_xml_attr(first, "status");
		if (st == NULL) {
			cerr(c, cx_xml_line(first), field,
			     "pkg.attach.no-status", CX_ARGS("what", r->msg),
			     "the status of %s is missing", r->what);
		} else if (strcmp(st, "missing") == 0) {
			cerr(c, cx_xml_line(first), field, "pkg.attach.missing",
			     CX_ARGS("what", r->msg),
			     "%s has not been submitted", r->what);
		} else if (strcmp(st, "not-applicable") == 0) {
			if (r->required)
				cerr(c, cx_xml_line(first), field,
				     "pkg.attach.na-mandatory",
				     CX_ARGS("what", r->msg),
				     "%s is mandatory and cannot be "
				     "\"not-applicable\"",
				     r->what);
		} else if (strcmp(st, "deficient") == 0) {
			cwarn(c, cx_xml_line(first), field,
			      "pkg.attach.deficient", CX_ARGS("what", r->msg),
			      "%s is provided but marked deficient", r->what);
		}
		if (strcmp(r->id, "ict-services-contract") == 0 && st != NULL &&
		    (strcmp(st, "provided") == 0 ||
		     strcmp(st, "deficient") == 0))
			ict = 1;
		free(st);
	}
	return ict;
}

size_t cx_object_check_complete(const struct cx_object *obj,
                                struct cx_diags *diags)
{
	struct compl c = {0};
	size_t i;
	int ict;

	if (obj == NULL)
		return 1;
	c.file = obj->path != NULL ? obj->path : "object.xml";
	c.d = diags;
	/* Only for line numbers: failure just leaves them 0. */
	if (obj->path != NULL)
		(void)cx_xml_parse_file(obj->path, 0, &c.doc, NULL);

	/* Annex 1 and 2: the object and the parties. */
	need(&c, obj->name, "name", "pkg.field.name",
	     "the name of the object of certification");
	want(&c, obj->short_name, "short-name", "pkg.field.short-name",
	     "a short name");
	if (obj->type == CX_OBJ_UNKNOWN)
		cerr(&c, field_line(&c, "type"), "type", "pkg.type-missing",
		     NULL, "the object type is missing");
	want(&c, obj->lifecycle, "lifecycle", "pkg.field.lifecycle",
	     "the lifecycle state (Annex 1, e.g. pilot or commercial)");
	need(&c, obj->possessor.name, "possessor/name",
	     "pkg.field.possessor-name", "the possessor (owner)");
	need(&c, obj->possessor.bin, "possessor/bin", "pkg.field.possessor-bin",
	     "the possessor's BIN/IIN");
	need(&c, obj->possessor.address, "possessor/address",
	     "pkg.field.possessor-address", "the possessor's address");
	want(&c, obj->possessor.contact, "possessor/contact",
	     "pkg.field.possessor-contact", "the possessor's contact");
	need(&c, obj->developer.name, "developer/name",
	     "pkg.field.developer-name",
	     "the developer (paragraph 29, subparagraph 3)");
	want(&c, obj->developer.bin, "developer/bin", "pkg.field.developer-bin",
	     "the developer's BIN/IIN");
	need(&c, obj->applicant.name, "applicant/name",
	     "pkg.field.applicant-name", "the applicant (Annex 2)");
	need(&c, obj->applicant.bin, "applicant/bin", "pkg.field.applicant-bin",
	     "the applicant's BIN/IIN (Annex 2)");
	want(&c, obj->applicant.address, "applicant/address",
	     "pkg.field.applicant-address", "the applicant's address");
	want(&c, obj->applicant.contact, "applicant/contact",
	     "pkg.field.applicant-contact", "the applicant's contact");
	need(&c, obj->application.number, "application@number",
	     "pkg.field.application-number",
	     "the number of the application (Annex 2)");
	need(&c, obj->application.date, "application@date",
	     "pkg.field.application-date",
	     "the date of the application (Annex 2)");
	need(&c, obj->contract.number, "contract@number",
	     "pkg.field.contract-number",
	     "the number of the contract for the certification examination "
	     "(paragraph 17)");
	need(&c, obj->contract.date, "contract@date", "pkg.field.contract-date",
	     "the date of the contract (paragraph 19 counts from it)");

	/* The scope of the instrumental examination. */
	if (obj->n_scope == 0)
		cerr(&c, field_line(&c, "scope"), "scope", "pkg.scope-empty",
		     NULL,
		     "the scope is empty: declare the network addresses, host "
		     "names or URLs of the object (paragraph 13, "
		     "subparagraph 3)");
	for (i = 0; i < obj->n_services; i++)
		if (obj->services[i].port <= 0 || blank(obj->services[i].host))
			cerr(&c, obj->services[i].line, "service",
			     "pkg.service-incomplete", NULL,
			     "a declared service needs a host and a port");
	for (i = 0; i < obj->n_integrations; i++) {
		long line = nth_line(&c, "integrations", "integration", i);
		const char *gn = blank(obj->integrations[i].name)
		                     ? ""
		                     : obj->integrations[i].name;

		if (blank(obj->integrations[i].name))
			cerr(&c, line, "integration/name",
			     "pkg.integration.no-name", NULL,
			     "an integrated object without a name (Annex 4)");
		if (blank(obj->integrations[i].possessor))
			cwarn(&c, line, "integration/possessor",
			      "pkg.integration.no-possessor",
			      CX_ARGS("name", gn),
			      "the possessor of integrated object \"%s\" is "
			      "not given (Annex 4)",
			      gn);
		if (blank(obj->integrations[i].interaction))
			cwarn(&c, line, "integration/interaction",
			      "pkg.integration.no-interaction",
			      CX_ARGS("name", gn),
			      "the nature of interaction of integrated object "
			      "\"%s\" is not given (Annex 4)",
			      gn);
	}

	/* Annex 3. */
	check_documents(&c, obj);

	/* The other attachments of paragraph 13. */
	ict = check_package(&c);

	/*
	 * Annexes 5 and 6, diagnosed against the CSV files themselves.  They
	 * are required unless the object uses information and communication
	 * services (paragraph 13, subparagraphs 6 and 7).
	 */
	if (obj->n_hardware == 0) {
		char *f = sibling(obj->path, "hardware.csv");

		c.file = f != NULL ? f : "hardware.csv";
		if (ict)
			cwarn(&c, 0, NULL, "pkg.hw.empty-ict", NULL,
			      "the list of hardware (Annex 5) has no rows; "
			      "accepted because a contract for information "
			      "and communication services is provided "
			      "(paragraph 13, subparagraphs 6 and 7)");
		else
			cerr(&c, 0, NULL, "pkg.hw.empty", NULL,
			     "the list of hardware (Annex 5) has no rows "
			     "(paragraph 13, subparagraph 6)");
		free(f);
	}
	if (obj->n_software == 0) {
		char *f = sibling(obj->path, "software.csv");

		c.file = f != NULL ? f : "software.csv";
		if (ict)
			cwarn(&c, 0, NULL, "pkg.sw.empty-ict", NULL,
			      "the list of software (Annex 6) has no rows; "
			      "accepted because a contract for information "
			      "and communication services is provided "
			      "(paragraph 13, subparagraphs 6 and 7)");
		else
			cerr(&c, 0, NULL, "pkg.sw.empty", NULL,
			     "the list of software (Annex 6) has no rows "
			     "(paragraph 13, subparagraph 6)");
		free(f);
	}
	xmlFreeDoc(c.doc);
	return c.errors;
}
