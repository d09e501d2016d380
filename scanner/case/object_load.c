/*
 * certexam — loading CASE/object.xml into struct cx_object: the object
 * types, the value checks of single fields (BIN/IIN, dates), the loader's
 * diagnostics and helpers, the single fields and the parties, the check
 * that an element is given once, cx_object_load() and cx_object_free().
 * The lists of object.xml (scope with its entries' checks, services,
 * integrations, documents, trust anchors) are read by
 * scanner/case/object_lists.c, with the state and the helpers of
 * object_load_int.h; the examination sections by object_exam.c.
 * The completeness of the package (paragraphs 13-14) is checked in
 * scanner/case/object_check.c, the templates of a new case are written by
 * scanner/case/object_template.c; hardware.csv and software.csv are loaded
 * by scanner/case/annex_lists.c.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/object.h"
#include "certexam/util.h"
#include "ltext.h"
#include "object_exam.h"
#include "object_load_int.h"
#include "xmlsafe.h"

static const char *const type_names[] = {
    NULL,           "information-system", "egov-platform", "internet-resource",
    "critical-ici",
};

const char *cx_object_type_name(enum cx_object_type t)
{
	if ((size_t)t >= CX_ARRAY_LEN(type_names))
		return NULL;
	return type_names[t];
}

enum cx_object_type cx_object_type_parse(const char *s)
{
	size_t i;

	if (s == NULL)
		return CX_OBJ_UNKNOWN;
	for (i = 1; i < CX_ARRAY_LEN(type_names); i++)
		if (strcmp(s, type_names[i]) == 0)
			return (enum cx_object_type)i;
	return CX_OBJ_UNKNOWN;
}

/* ------------------------------------------------------------------ */
/* Value checks                                                        */

int cx_ol_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int bin_check(const char *s)
{
	static const int w2[11] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};
	int a[12], i, sum;

	if (s == NULL || strlen(s) != 12)
		return CX_EINVAL;
	for (i = 0; i < 12; i++) {
		if (!cx_ol_is_digit(s[i]))
			return CX_EINVAL;
		a[i] = s[i] - '0';
	}
	sum = 0;
	for (i = 0; i < 11; i++)
		sum += a[i] * (i + 1);
	sum %= 11;
	if (sum == 10) {
		sum = 0;
		for (i = 0; i < 11; i++)
			sum += a[i] * w2[i];
		sum %= 11;
		if (sum == 10)
			return CX_ERANGE;
	}
	return sum == a[11] ? CX_OK : CX_ERANGE;
}

static int leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int cx_ol_date_valid(const char *s)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30,
	                              31, 31, 30, 31, 30, 31};
	long y, m, d;
	int i, max;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !cx_ol_is_digit(s[i]))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
		return 0;
	max = mdays[m - 1];
	if (m == 2 && leap(y))
		max = 29;
	return d <= max;
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */

/*
 * A problem: its message id (pkg.object.*) and parameters, so that the
 * terminal words it in its language, and its English words (the en
 * catalog's text of the id) for the diagnostic's message.
 */
static void ldiag(struct loader *l, int warning, xmlNodePtr n,
                  const char *field, const char *msg, const char *const *args,
                  const char *fmt, va_list ap)
{
	int rc;

	if (!warning)
		l->errors++;
	if (l->d == NULL)
		return;
	rc = cx_diag_vadd(l->d, warning, l->file, cx_xml_line(n), field, fmt,
	                  ap);
	if (rc == CX_OK)
		rc = cx_diag_set_msg(l->d, msg, args);
	if (rc)
		l->oom = 1;
}

void cx_ol_err(struct loader *l, xmlNodePtr n, const char *field,
               const char *msg, const char *const *args, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ldiag(l, 0, n, field, msg, args, fmt, ap);
	va_end(ap);
}

static void lwarn(struct loader *l, xmlNodePtr n, const char *field,
                  const char *msg, const char *const *args, const char *fmt,
                  ...) __attribute__((format(printf, 6, 7)));
static void lwarn(struct loader *l, xmlNodePtr n, const char *field,
                  const char *msg, const char *const *args, const char *fmt,
                  ...)
{
	va_list ap;

	va_start(ap, fmt);
	ldiag(l, 1, n, field, msg, args, fmt, ap);
	va_end(ap);
}

/*
 * The trimmed text of the child element name of parent, or NULL when the
 * element is absent or empty.  Sets l->oom on ENOMEM.
 */
static char *child_text(struct loader *l, xmlNodePtr parent, const char *name)
{
	xmlNodePtr c = cx_xml_child(parent, name);
	char *s;

	if (c == NULL)
		return NULL;
	s = cx_xml_text(c);
	if (s == NULL) {
		l->oom = 1;
		return NULL;
	}
	if (s[0] == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

/* An attribute, NULL when absent or empty. */
char *cx_ol_attr(xmlNodePtr n, const char *name)
{
	char *s = cx_xml_attr(n, name);

	if (s != NULL && s[0] == '\0') {
		free(s);
		s = NULL;
	}
	return s;
}

int cx_ol_bool(const char *s)
{
	return s != NULL && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0);
}

static void load_party(struct loader *l, xmlNodePtr root, const char *name,
                       struct cx_party *p)
{
	xmlNodePtr n = cx_xml_child(root, name);
	char field[64];
	int rc;

	if (n == NULL)
		return;
	snprintf(field, sizeof(field), "%s/name", name);
	cx_lt_field(&l->lt, n, "name", NULL, field, &p->name);
	p->bin = child_text(l, n, "bin");
	snprintf(field, sizeof(field), "%s/address", name);
	cx_lt_field(&l->lt, n, "address", NULL, field, &p->address);
	snprintf(field, sizeof(field), "%s/contact", name);
	cx_lt_field(&l->lt, n, "contact", NULL, field, &p->contact);
	if (p->bin == NULL)
		return;
	snprintf(field, sizeof(field), "%s/bin", name);
	rc = bin_check(p->bin);
	if (rc == CX_EINVAL) {
		if (l->xsd_ok)
			cx_ol_err(l, cx_xml_child(n, "bin"), field,
			          "pkg.object.bin-form", CX_ARGS("bin", p->bin),
			          "the BIN/IIN must be exactly 12 digits, not "
			          "\"%s\"",
			          p->bin);
	} else if (rc == CX_ERANGE) {
		lwarn(l, cx_xml_child(n, "bin"), field,
		      "pkg.object.bin-control", CX_ARGS("bin", p->bin),
		      "the control digit of BIN/IIN %s does not match; "
		      "check the number",
		      p->bin);
	}
}

static void load_docref(struct loader *l, xmlNodePtr root, const char *name,
                        struct cx_doc_ref *r)
{
	xmlNodePtr n = cx_xml_child(root, name);
	char field[64];

	if (n == NULL)
		return;
	r->number = cx_ol_attr(n, "number");
	r->date = cx_ol_attr(n, "date");
	if (r->date != NULL && !cx_ol_date_valid(r->date) && l->xsd_ok) {
		snprintf(field, sizeof(field), "%s@date", name);
		cx_ol_err(l, n, field, "pkg.object.date",
		          CX_ARGS("date", r->date),
		          "\"%s\" is not a real date (YYYY-MM-DD)", r->date);
	}
}

/*
 * The schema lets every element repeat (a text may be given once per
 * language, and XSD 1.0 allows no repeated element in an <xs:all>): an
 * element that is not such a text may appear only once, and the required
 * ones must be there.  multi and required are NULL-terminated.
 */
static void once(struct loader *l, xmlNodePtr parent, const char *where,
                 const char *const *multi, const char *const *required)
{
	const char *seen[32];
	long line[32];
	size_t n = 0, i, k;
	xmlNodePtr c;

	if (parent == NULL)
		return;
	for (c = cx_xml_child(parent, NULL); c != NULL;
	     c = cx_xml_next(c, NULL)) {
		const char *name = (const char *)c->name;

		for (k = 0; multi[k] != NULL; k++)
			if (strcmp(multi[k], name) == 0)
				break;
		if (multi[k] != NULL)
			continue;
		for (i = 0; i < n; i++)
			if (strcmp(seen[i], name) == 0)
				break;
		if (i < n) {
			char first[24];
			snprintf(first, sizeof(first), "%ld", line[i]);
			cx_ol_err(
			    l, c, name, "pkg.object.twice",
			    CX_ARGS("element", name, "parent", where, "line",
			            first),
			    "<%s> is given twice in <%s> (first on line %ld)",
			    name, where, line[i]);
		} else if (n < CX_ARRAY_LEN(seen)) {
			seen[n] = name;
			line[n++] = cx_xml_line(c);
		}
	}
	for (k = 0; required != NULL && required[k] != NULL; k++) {
		for (i = 0; i < n; i++)
			if (strcmp(seen[i], required[k]) == 0)
				break;
		if (i == n)
			cx_ol_err(
			    l, parent, required[k], "pkg.object.missing",
			    CX_ARGS("element", required[k], "parent", where),
			    "<%s> is missing in <%s>", required[k], where);
	}
}

static void check_once(struct loader *l, xmlNodePtr root)
{
	static const char *const root_multi[] = {"name",         "short-name",
	                                         "lifecycle",    "processing",
	                                         "prohibitions", NULL};
	static const char *const root_required[] = {"type", "distributed",
	                                            "uses-crypto", NULL};
	static const char *const party_multi[] = {"name", "address", "contact",
	                                          NULL};
	static const char *const doc_multi[] = {"title", "note", NULL};
	static const char *const parties[] = {"possessor", "developer",
	                                      "applicant"};
	xmlNodePtr c, list;
	size_t i;

	once(l, root, "object", root_multi, root_required);
	for (i = 0; i < CX_ARRAY_LEN(parties); i++)
		for (c = cx_xml_child(root, parties[i]); c != NULL;
		     c = cx_xml_next(c, parties[i]))
			once(l, c, parties[i], party_multi, NULL);
	list = cx_xml_child(root, "documents");
	for (c = cx_xml_child(list, "document"); list && c != NULL;
	     c = cx_xml_next(c, "document"))
		once(l, c, "document", doc_multi, NULL);
}

static int load_fields(struct loader *l, xmlNodePtr root, struct cx_object *o)
{
	char *s;
	int rc;

	if (l->xsd_ok)
		check_once(l, root);
	cx_lt_field(&l->lt, root, "name", NULL, "name", &o->name);
	cx_lt_field(&l->lt, root, "short-name", NULL, "short-name",
	            &o->short_name);
	cx_lt_field(&l->lt, root, "lifecycle", NULL, "lifecycle",
	            &o->lifecycle);
	o->created = child_text(l, root, "created");
	cx_lt_field(&l->lt, root, "processing", NULL, "processing",
	            &o->processing);
	/* Annex 7: the prohibitions of operation, one list per language. */
	cx_lt_list(&l->lt, root, "prohibitions", "prohibition", 32,
	           "prohibitions", &o->prohibitions, &o->n_prohibitions);
	o->profile = child_text(l, root, "profile");
	s = child_text(l, root, "type");
	o->type = cx_object_type_parse(s);
	if (o->type == CX_OBJ_UNKNOWN && l->xsd_ok)
		cx_ol_err(l, cx_xml_child(root, "type"), "type",
		          "pkg.object.type",
		          CX_ARGS("type", s != NULL ? s : ""),
		          "unknown object type \"%s\"", s != NULL ? s : "");
	free(s);
	s = child_text(l, root, "distributed");
	o->distributed = cx_ol_bool(s);
	free(s);
	s = child_text(l, root, "uses-crypto");
	o->uses_crypto = cx_ol_bool(s);
	free(s);
	load_party(l, root, "possessor", &o->possessor);
	load_party(l, root, "developer", &o->developer);
	load_party(l, root, "applicant", &o->applicant);
	load_docref(l, root, "application", &o->application);
	load_docref(l, root, "contract", &o->contract);
	if (o->application.date != NULL && o->contract.date != NULL &&
	    cx_ol_date_valid(o->application.date) &&
	    cx_ol_date_valid(o->contract.date) &&
	    strcmp(o->contract.date, o->application.date) < 0)
		lwarn(l, cx_xml_child(root, "contract"), "contract@date",
		      "pkg.object.contract-early",
		      CX_ARGS("date", o->contract.date),
		      "the contract (%s) is dated before the application; "
		      "check the dates",
		      o->contract.date);
	rc = cx_object_load_lists(l, root, o);
	if (rc == CX_OK)
		rc = cx_object_load_exam(root, o, &l->lt);
	if (rc == CX_OK)
		rc = cx_lt_check_langs(o->ltexts, o->languages, l->file, l->d);
	l->errors += l->lt.errors;
	if (rc == CX_OK && (l->oom || l->lt.oom))
		rc = CX_ENOMEM;
	return rc;
}

int cx_object_load(const char *path, const char *schema_dir,
                   struct cx_object **out, struct cx_diags *diags)
{
	struct loader l = {0};
	struct cx_object *o = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	int rc;

	if (out == NULL)
		return CX_EINVAL;
	*out = NULL;
	if (path == NULL)
		return CX_EINVAL;
	l.file = path;
	l.d = diags;
	l.lt.file = path;
	l.lt.d = diags;
	rc = cx_xml_parse_file(path, 0, &doc, diags);
	if (rc != CX_OK)
		goto out;
	root = xmlDocGetRootElement(doc);
	if (!cx_xml_is(root, "object")) {
		cx_ol_err(&l, root,
		          root != NULL ? (const char *)root->name : NULL,
		          "pkg.object.root", NULL,
		          "the root element must be <object>");
		rc = CX_ESCHEMA;
		goto out;
	}
	l.xsd_ok = 1;
	rc = cx_xml_validate_in(doc, schema_dir, "object.xsd", path, diags);
	if (rc == CX_ESCHEMA)
		l.xsd_ok = 0;
	else if (rc != CX_OK)
		goto out;
	o = calloc(1, sizeof(*o));
	if (o == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	l.lt.lt = &o->ltexts;
	o->path = cx_strdup(path);
	if (o->path == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	rc = load_fields(&l, root, o);
	if (rc != CX_OK)
		goto out;
	if (!l.xsd_ok || l.errors > 0) {
		rc = CX_ESCHEMA;
		goto out;
	}
	*out = o;
	o = NULL;
out:
	cx_object_free(o);
	xmlFreeDoc(doc);
	return rc;
}

void cx_object_localize(struct cx_object *obj, const char *lang)
{
	if (obj != NULL)
		cx_lt_localize(obj->ltexts, lang);
}

const char *cx_object_text(const struct cx_object *obj, const char *text)
{
	return obj != NULL ? cx_lt_text(obj->ltexts, text) : text;
}

static void party_clear(struct cx_party *p)
{
	free(p->name);
	free(p->bin);
	free(p->address);
	free(p->contact);
}

void cx_object_free(struct cx_object *obj)
{
	size_t i, j;

	if (obj == NULL)
		return;
	cx_lt_free(obj->ltexts); /* first: it owns some of the fields */
	cx_object_free_exam(obj);
	free(obj->path);
	free(obj->name);
	free(obj->short_name);
	free(obj->lifecycle);
	free(obj->created);
	free(obj->processing);
	for (i = 0; i < obj->n_prohibitions; i++)
		free(obj->prohibitions[i]);
	free(obj->prohibitions);
	party_clear(&obj->possessor);
	party_clear(&obj->developer);
	party_clear(&obj->applicant);
	free(obj->application.number);
	free(obj->application.date);
	free(obj->contract.number);
	free(obj->contract.date);
	free(obj->profile);
	for (i = 0; i < obj->n_scope; i++)
		free(obj->scope[i].value);
	free(obj->scope);
	for (i = 0; i < obj->n_exclude; i++)
		free(obj->exclude[i].value);
	free(obj->exclude);
	for (i = 0; i < obj->n_services; i++) {
		free(obj->services[i].host);
		free(obj->services[i].proto);
		free(obj->services[i].name);
	}
	free(obj->services);
	for (i = 0; i < obj->n_integrations; i++) {
		free(obj->integrations[i].name);
		free(obj->integrations[i].possessor);
		free(obj->integrations[i].interaction);
	}
	free(obj->integrations);
	for (i = 0; i < obj->n_documents; i++) {
		free(obj->documents[i].title);
		free(obj->documents[i].status);
		free(obj->documents[i].approved);
		free(obj->documents[i].order);
		for (j = 0; j < obj->documents[i].n_sections; j++)
			free(obj->documents[i].sections[j].name);
		free(obj->documents[i].sections);
		free(obj->documents[i].reference);
		free(obj->documents[i].note);
	}
	free(obj->documents);
	for (i = 0; i < obj->n_trust_anchors; i++)
		free(obj->trust_anchors[i]);
	free(obj->trust_anchors);
	cx_hw_rows_free(obj->hardware, obj->n_hardware);
	cx_sw_rows_free(obj->software, obj->n_software);
	cx_diags_free(&obj->list_diags);
	free(obj);
}
