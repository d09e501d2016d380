/*
 * certexam — loading CASE/object.xml into struct cx_object: the object
 * types, the value checks of single fields (BIN/IIN,
 * dates, scope entries), the reading of every section and cx_object_free().
 * The completeness of the package (paragraphs 13-14) is checked in
 * scanner/case/object_check.c, the templates of a new case are written by
 * scanner/case/object_template.c; hardware.csv and software.csv are loaded
 * by scanner/case/annex_lists.c.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/object.h"
#include "certexam/target.h"
#include "certexam/util.h"
#include "ltext.h"
#include "object_exam.h"
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

static int is_digit(char c)
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
		if (!is_digit(s[i]))
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

static int date_valid(const char *s)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30,
	                              31, 31, 30, 31, 30, 31};
	long y, m, d;
	int i, max;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !is_digit(s[i]))
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

struct loader {
	const char *file;
	struct cx_diags *d;
	int xsd_ok; /* the schema passed: values have their form */
	int errors; /* semantic errors found */
	int oom;
	struct cx_lt_reader lt; /* the fields given in several languages */
};

/*
 * A problem: its message id (pkg.object.*) and parameters, so that the
 * terminal words it in its language, and its English words (the en
 * catalog's text of the id) for the diagnostic's message.
 */
static void ldiag(struct loader *l, int warning, xmlNodePtr n,
                  const char *field, const char *msg, const char *const *args,
                  const char *fmt, va_list ap)
{
	struct cx_buf b = {0};
	int rc;

	if (!warning)
		l->errors++;
	if (l->d == NULL)
		return;
	if (cx_buf_vprintf(&b, fmt, ap) != 0) {
		l->oom = 1;
		return;
	}
	if (warning)
		rc = cx_diag_warn(l->d, l->file, cx_xml_line(n), field, "%s",
		                  b.data);
	else
		rc = cx_diag_add(l->d, l->file, cx_xml_line(n), field, "%s",
		                 b.data);
	if (rc == CX_OK)
		rc = cx_diag_set_msg(l->d, msg, args);
	if (rc)
		l->oom = 1;
	cx_buf_free(&b);
}

static void lerr(struct loader *l, xmlNodePtr n, const char *field,
                 const char *msg, const char *const *args, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void lerr(struct loader *l, xmlNodePtr n, const char *field,
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
static char *attr_text(xmlNodePtr n, const char *name)
{
	char *s = cx_xml_attr(n, name);

	if (s != NULL && s[0] == '\0') {
		free(s);
		s = NULL;
	}
	return s;
}

static int parse_bool(const char *s)
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
			lerr(l, cx_xml_child(n, "bin"), field,
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
	r->number = attr_text(n, "number");
	r->date = attr_text(n, "date");
	if (r->date != NULL && !date_valid(r->date) && l->xsd_ok) {
		snprintf(field, sizeof(field), "%s@date", name);
		lerr(l, n, field, "pkg.object.date", CX_ARGS("date", r->date),
		     "\"%s\" is not a real date (YYYY-MM-DD)", r->date);
	}
}

/* 1 if s is only digits and dots: an attempt at an IPv4 address. */
static int numeric_ipv4(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (*p != '.' && !is_digit(*p))
			return 0;
	return p != s && strchr(s, '.') != NULL;
}

/* Why a scope entry is not an address: its message id and English. */
struct scope_why {
	const char *id, *en;
};
enum {
	WHY_BEFORE_SLASH,
	WHY_PREFIX4,
	WHY_PREFIX6,
	WHY_BEFORE_DASH,
	WHY_OCTET,
	WHY_END,
	WHY_MIXED,
	WHY_REVERSED,
	WHY_IPV4
};
static const struct scope_why scope_why[] = {
    [WHY_BEFORE_SLASH] = {"pkg.object.scope.before-slash",
                          "not an address before '/'"},
    [WHY_PREFIX4] = {"pkg.object.scope.prefix-v4",
                     "the prefix must be a number from 0 to 32"},
    [WHY_PREFIX6] = {"pkg.object.scope.prefix-v6",
                     "the prefix must be a number from 0 to 128"},
    [WHY_BEFORE_DASH] = {"pkg.object.scope.before-dash",
                         "not an address before '-'"},
    [WHY_OCTET] =
        {"pkg.object.scope.range-octet",
         "the range end must be an octet from 0 to 255 or a full address"},
    [WHY_END] = {"pkg.object.scope.range-end",
                 "the range end is not an address"},
    [WHY_MIXED] = {"pkg.object.scope.range-mixed",
                   "the range mixes IPv4 and IPv6"},
    [WHY_REVERSED] = {"pkg.object.scope.range-reversed",
                      "the range end is below its start"},
    [WHY_IPV4] = {"pkg.object.scope.ipv4", "not a valid IPv4 address"},
};

/*
 * Offline check of the numeric forms of a scope entry (address, CIDR
 * block, range), the same rules the engine applies when it scans, so that
 * "certexam validate" finds a mistyped address before the scan does.  Host
 * names and URLs are left to the engine (it resolves them).  Returns NULL
 * when nothing is wrong, else why (a static entry of scope_why).
 */
static const struct scope_why *scope_problem(const char *v)
{
	struct cx_addr a, b;
	char buf[128];
	const char *slash, *dash;
	long n;

	if (strstr(v, "://") != NULL || strlen(v) >= sizeof(buf))
		return NULL;
	slash = strchr(v, '/');
	if (slash != NULL) {
		memcpy(buf, v, (size_t)(slash - v));
		buf[slash - v] = '\0';
		if (cx_addr_parse(buf, &a) != 0)
			return &scope_why[WHY_BEFORE_SLASH];
		if (cx_parse_long(slash + 1, 0, a.family == AF_INET ? 32 : 128,
		                  &n) != 0)
			return a.family == AF_INET ? &scope_why[WHY_PREFIX4]
			                           : &scope_why[WHY_PREFIX6];
		return NULL;
	}
	dash = strchr(v, '-');
	if (dash != NULL) {
		memcpy(buf, v, (size_t)(dash - v));
		buf[dash - v] = '\0';
		if (cx_addr_parse(buf, &a) != 0) {
			if (numeric_ipv4(buf))
				return &scope_why[WHY_BEFORE_DASH];
			return NULL; /* a host name with a dash */
		}
		b = a;
		if (a.family == AF_INET && strchr(dash + 1, '.') == NULL &&
		    strchr(dash + 1, ':') == NULL) {
			if (cx_parse_long(dash + 1, 0, 255, &n) != 0)
				return &scope_why[WHY_OCTET];
			b.b[3] = (uint8_t)n;
		} else if (cx_addr_parse(dash + 1, &b) != 0) {
			return &scope_why[WHY_END];
		}
		if (a.family != b.family)
			return &scope_why[WHY_MIXED];
		if (cx_addr_cmp(&a, &b) > 0)
			return &scope_why[WHY_REVERSED];
		return NULL;
	}
	if (numeric_ipv4(v) && cx_addr_parse(v, &a) != 0)
		return &scope_why[WHY_IPV4];
	return NULL;
}

static int load_scope(struct loader *l, xmlNodePtr root, struct cx_object *o)
{
	xmlNodePtr scope = cx_xml_child(root, "scope");
	xmlNodePtr c;
	size_t ni = 0, nx = 0;

	if (scope == NULL)
		return CX_OK;
	for (c = cx_xml_child(scope, NULL); c != NULL;
	     c = cx_xml_next(c, NULL)) {
		if (cx_xml_is(c, "entry"))
			ni++;
		else if (cx_xml_is(c, "exclude"))
			nx++;
	}
	if (ni > 0) {
		o->scope = calloc(ni, sizeof(*o->scope));
		if (o->scope == NULL)
			return CX_ENOMEM;
	}
	if (nx > 0) {
		o->exclude = calloc(nx, sizeof(*o->exclude));
		if (o->exclude == NULL)
			return CX_ENOMEM;
	}
	for (c = cx_xml_child(scope, NULL); c != NULL;
	     c = cx_xml_next(c, NULL)) {
		struct cx_scope_entry *e;
		const struct scope_why *why;
		char *v;

		if (cx_xml_is(c, "entry"))
			e = &o->scope[o->n_scope];
		else if (cx_xml_is(c, "exclude"))
			e = &o->exclude[o->n_exclude];
		else
			continue;
		v = cx_xml_text(c);
		if (v == NULL)
			return CX_ENOMEM;
		if (v[0] == '\0') {
			free(v);
			if (l->xsd_ok)
				lerr(l, c, (const char *)c->name,
				     "pkg.object.scope-empty", NULL,
				     "empty scope entry");
			continue;
		}
		e->value = v;
		e->line = cx_xml_line(c);
		why = scope_problem(v);
		if (why != NULL)
			lerr(l, c, (const char *)c->name,
			     "pkg.object.scope-entry",
			     CX_ARGS("entry", v, "why", why->id),
			     "scope entry \"%s\": %s", v, why->en);
		if (cx_xml_is(c, "entry"))
			o->n_scope++;
		else
			o->n_exclude++;
	}
	return CX_OK;
}

static int load_services(struct loader *l, xmlNodePtr root, struct cx_object *o)
{
	xmlNodePtr list = cx_xml_child(root, "services");
	xmlNodePtr c;
	size_t n = 0;

	if (list == NULL)
		return CX_OK;
	for (c = cx_xml_child(list, "service"); c != NULL;
	     c = cx_xml_next(c, "service"))
		n++;
	if (n == 0)
		return CX_OK;
	o->services = calloc(n, sizeof(*o->services));
	if (o->services == NULL)
		return CX_ENOMEM;
	for (c = cx_xml_child(list, "service"); c != NULL;
	     c = cx_xml_next(c, "service")) {
		struct cx_declared_service *s = &o->services[o->n_services];
		char *port = attr_text(c, "port");
		long pv = 0;

		s->host = attr_text(c, "host");
		s->proto = attr_text(c, "proto");
		s->name = attr_text(c, "name");
		s->line = cx_xml_line(c);
		if (s->proto == NULL) {
			s->proto = cx_strdup("tcp");
			if (s->proto == NULL) {
				free(port);
				free(s->host);
				free(s->name);
				return CX_ENOMEM;
			}
		}
		if (port == NULL || cx_parse_long(port, 1, 65535, &pv) != 0) {
			if (l->xsd_ok)
				lerr(l, c, "service@port", "pkg.object.port",
				     CX_ARGS("port", port != NULL ? port : ""),
				     "port \"%s\" is not a number in 1..65535",
				     port != NULL ? port : "");
			pv = 0;
		}
		free(port);
		s->port = (int)pv;
		if (s->host == NULL && l->xsd_ok)
			lerr(l, c, "service@host", "pkg.object.service-host",
			     NULL, "the host is missing");
		o->n_services++;
	}
	return CX_OK;
}

static int load_integrations(struct loader *l, xmlNodePtr root,
                             struct cx_object *o)
{
	xmlNodePtr list = cx_xml_child(root, "integrations");
	xmlNodePtr c;
	size_t n = 0;

	if (list == NULL)
		return CX_OK;
	for (c = cx_xml_child(list, "integration"); c != NULL;
	     c = cx_xml_next(c, "integration"))
		n++;
	if (n == 0)
		return CX_OK;
	o->integrations = calloc(n, sizeof(*o->integrations));
	if (o->integrations == NULL)
		return CX_ENOMEM;
	for (c = cx_xml_child(list, "integration"); c != NULL;
	     c = cx_xml_next(c, "integration")) {
		struct cx_integration *g = &o->integrations[o->n_integrations];

		cx_lt_field(&l->lt, c, "name", NULL, "integration/name",
		            &g->name);
		cx_lt_field(&l->lt, c, "possessor", NULL,
		            "integration/possessor", &g->possessor);
		cx_lt_field(&l->lt, c, "interaction", NULL,
		            "integration/interaction", &g->interaction);
		o->n_integrations++;
		if (g->name == NULL && l->xsd_ok)
			lerr(l, c, "integration/name",
			     "pkg.object.integration-name", NULL,
			     "the name of the integrated object is "
			     "empty");
	}
	return CX_OK;
}

/* The sections of a document the examiner ticked. */
static int load_sections(struct loader *l, xmlNodePtr doc_node,
                         struct cx_document *doc)
{
	xmlNodePtr list = cx_xml_child(doc_node, "sections"), c;
	size_t n = 0;
	char *pr;

	for (c = cx_xml_child(list, "section"); list && c != NULL;
	     c = cx_xml_next(c, "section"))
		n++;
	if (n == 0)
		return CX_OK;
	doc->sections = calloc(n, sizeof(*doc->sections));
	if (doc->sections == NULL)
		return CX_ENOMEM;
	for (c = cx_xml_child(list, "section"); c != NULL;
	     c = cx_xml_next(c, "section")) {
		struct cx_doc_section *sec = &doc->sections[doc->n_sections];

		cx_lt_field(&l->lt, c, "name", "name", "section@name",
		            &sec->name);
		pr = attr_text(c, "present");
		sec->present = parse_bool(pr);
		free(pr);
		if (sec->name == NULL) {
			lerr(l, c, "section@name", "pkg.object.section-name",
			     NULL, "a section without its name");
			continue;
		}
		doc->n_sections++;
	}
	return CX_OK;
}

static int load_documents(struct loader *l, xmlNodePtr root,
                          struct cx_object *o)
{
	xmlNodePtr list = cx_xml_child(root, "documents");
	xmlNodePtr c;
	long seen[17] = {0};
	size_t n = 0;

	if (list == NULL)
		return CX_OK;
	for (c = cx_xml_child(list, "document"); c != NULL;
	     c = cx_xml_next(c, "document"))
		n++;
	if (n == 0)
		return CX_OK;
	o->documents = calloc(n, sizeof(*o->documents));
	if (o->documents == NULL)
		return CX_ENOMEM;
	for (c = cx_xml_child(list, "document"); c != NULL;
	     c = cx_xml_next(c, "document")) {
		struct cx_document *doc = &o->documents[o->n_documents];
		char *num = attr_text(c, "number");
		long v = 0;

		doc->line = cx_xml_line(c);
		doc->status = attr_text(c, "status");
		doc->approved = attr_text(c, "approved");
		doc->order = attr_text(c, "order");
		doc->reference = attr_text(c, "reference");
		{
			char *aq = attr_text(c, "acquainted");

			doc->acquainted = aq == NULL ? -1 : parse_bool(aq);
			free(aq);
		}
		if (load_sections(l, c, doc) != CX_OK)
			return CX_ENOMEM;
		cx_lt_field(&l->lt, c, "title", NULL, "document/title",
		            &doc->title);
		cx_lt_field(&l->lt, c, "note", NULL, "document/note",
		            &doc->note);
		o->n_documents++;
		if (num == NULL || cx_parse_long(num, 1, 16, &v) != 0) {
			if (l->xsd_ok)
				lerr(l, c, "document@number",
				     "pkg.object.doc-number",
				     CX_ARGS("number", num != NULL ? num : ""),
				     "document number \"%s\" is not an Annex 3 "
				     "item (1..16)",
				     num != NULL ? num : "");
			free(num);
			continue;
		}
		free(num);
		doc->number = (int)v;
		if (seen[v] != 0) {
			char item[24], first[24];
			snprintf(item, sizeof(item), "%ld", v);
			snprintf(first, sizeof(first), "%ld", seen[v]);
			lerr(l, c, "document@number", "pkg.object.doc-twice",
			     CX_ARGS("item", item, "line", first),
			     "Annex 3 item %ld is recorded twice (first on "
			     "line %ld)",
			     v, seen[v]);
		} else {
			seen[v] = doc->line > 0 ? doc->line : -1;
		}
		if (doc->title == NULL) {
			const char *t[3] = {cx_annex3_title_in((int)v, "kk"),
			                    cx_annex3_title_in((int)v, "ru"),
			                    cx_annex3_title_in((int)v, "en")};

			cx_lt_given(&l->lt, t, "document/title", doc->line,
			            &doc->title);
			if (doc->title == NULL)
				return CX_ENOMEM;
		}
		if (doc->approved != NULL && is_digit(doc->approved[0]) &&
		    strlen(doc->approved) == 10 && doc->approved[4] == '-' &&
		    !date_valid(doc->approved))
			lerr(l, c, "document@approved", "pkg.object.date",
			     CX_ARGS("date", doc->approved),
			     "\"%s\" is not a real date (YYYY-MM-DD)",
			     doc->approved);
	}
	return CX_OK;
}

/* A trust anchor path must stay inside the case folder. */
static int safe_relative(const char *p)
{
	const char *s = p;

	if (p == NULL || p[0] == '\0' || p[0] == '/')
		return 0;
	while (*s != '\0') {
		size_t len = strcspn(s, "/");

		if (len == 2 && s[0] == '.' && s[1] == '.')
			return 0;
		s += len;
		if (*s == '/')
			s++;
	}
	return 1;
}

static int load_trust(struct loader *l, xmlNodePtr root, struct cx_object *o)
{
	xmlNodePtr list = cx_xml_child(root, "trust-anchors");
	xmlNodePtr c;
	size_t n = 0;

	if (list == NULL)
		return CX_OK;
	for (c = cx_xml_child(list, "file"); c != NULL;
	     c = cx_xml_next(c, "file"))
		n++;
	if (n == 0)
		return CX_OK;
	o->trust_anchors = calloc(n, sizeof(*o->trust_anchors));
	if (o->trust_anchors == NULL)
		return CX_ENOMEM;
	for (c = cx_xml_child(list, "file"); c != NULL;
	     c = cx_xml_next(c, "file")) {
		char *v = cx_xml_text(c);

		if (v == NULL)
			return CX_ENOMEM;
		if (!safe_relative(v)) {
			lerr(l, c, "trust-anchors/file",
			     "pkg.object.anchor-path", CX_ARGS("path", v),
			     "\"%s\" must be a path relative to the case "
			     "folder, without \"..\"",
			     v);
			free(v);
			continue;
		}
		o->trust_anchors[o->n_trust_anchors++] = v;
	}
	return CX_OK;
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
			lerr(l, c, name, "pkg.object.twice",
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
			lerr(l, parent, required[k], "pkg.object.missing",
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
		lerr(l, cx_xml_child(root, "type"), "type", "pkg.object.type",
		     CX_ARGS("type", s != NULL ? s : ""),
		     "unknown object type \"%s\"", s != NULL ? s : "");
	free(s);
	s = child_text(l, root, "distributed");
	o->distributed = parse_bool(s);
	free(s);
	s = child_text(l, root, "uses-crypto");
	o->uses_crypto = parse_bool(s);
	free(s);
	load_party(l, root, "possessor", &o->possessor);
	load_party(l, root, "developer", &o->developer);
	load_party(l, root, "applicant", &o->applicant);
	load_docref(l, root, "application", &o->application);
	load_docref(l, root, "contract", &o->contract);
	if (o->application.date != NULL && o->contract.date != NULL &&
	    date_valid(o->application.date) && date_valid(o->contract.date) &&
	    strcmp(o->contract.date, o->application.date) < 0)
		lwarn(l, cx_xml_child(root, "contract"), "contract@date",
		      "pkg.object.contract-early",
		      CX_ARGS("date", o->contract.date),
		      "the contract (%s) is dated before the application; "
		      "check the dates",
		      o->contract.date);
	rc = load_scope(l, root, o);
	if (rc == CX_OK)
		rc = load_services(l, root, o);
	if (rc == CX_OK)
		rc = load_integrations(l, root, o);
	if (rc == CX_OK)
		rc = load_documents(l, root, o);
	if (rc == CX_OK)
		rc = load_trust(l, root, o);
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
		lerr(&l, root, root != NULL ? (const char *)root->name : NULL,
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
