/*
 * certexam — the object of certification: loading CASE/object.xml,
 * completeness of the package (Rules No. 298, paragraphs 13-14) and the
 * templates of a new case.  hardware.csv and software.csv are loaded by
 * scanner/case/annex_lists.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "certexam/error.h"
#include "certexam/object.h"
#include "certexam/target.h"
#include "certexam/util.h"
#include "xmlsafe.h"

/* Annex 3: List of technical documentation on information security. */
static const char *const annex3_titles[16] = {
    "Information Security Policy",
    "Information Security Risk Assessment Methodology",
    "Rules for the identification, classification and marking of assets "
    "related to the information processing facilities",
    "Rules for ensuring the continuous operation of assets related to "
    "information processing facilities",
    "Rules for inventory and passportization of computer equipment, "
    "telecommunications equipment and software",
    "Rules for internal audit of information security",
    "Rules for the use of cryptographic means of information protection "
    "in the object of certification",
    "Rules for differentiation of access rights to electronic resources "
    "of the object of certification",
    "Rules for using the Internet and e-mail",
    "Rules for organizing the authentication procedure",
    "Rules for organizing the antivirus control",
    "Rules for using mobile devices and storage media",
    "Rules for organizing physical protection of information processing "
    "facilities and a safe environment for the functioning of information "
    "resources of the object of certification",
    "Administrator manual on support of the object of certification",
    "Regulation on information backup and recovery of the object of "
    "certification",
    "Instructions on the procedure for users to respond to information "
    "security incidents and in emergency (crisis) situations",
};

/* Annex 3 item 7 is mandatory only for objects that use cryptography. */
#define ANNEX3_CRYPTO_ITEM 7

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

const char *cx_annex3_title(int number)
{
	if (number < 1 || number > 16)
		return NULL;
	return annex3_titles[number - 1];
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
};

static void ldiag(struct loader *l, int warning, xmlNodePtr n,
                  const char *field, const char *fmt, va_list ap)
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
	if (rc)
		l->oom = 1;
	cx_buf_free(&b);
}

static void lerr(struct loader *l, xmlNodePtr n, const char *field,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void lerr(struct loader *l, xmlNodePtr n, const char *field,
                 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ldiag(l, 0, n, field, fmt, ap);
	va_end(ap);
}

static void lwarn(struct loader *l, xmlNodePtr n, const char *field,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void lwarn(struct loader *l, xmlNodePtr n, const char *field,
                  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ldiag(l, 1, n, field, fmt, ap);
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
	p->name = child_text(l, n, "name");
	p->bin = child_text(l, n, "bin");
	p->address = child_text(l, n, "address");
	p->contact = child_text(l, n, "contact");
	if (p->bin == NULL)
		return;
	snprintf(field, sizeof(field), "%s/bin", name);
	rc = bin_check(p->bin);
	if (rc == CX_EINVAL) {
		if (l->xsd_ok)
			lerr(l, cx_xml_child(n, "bin"), field,
			     "the BIN/IIN must be exactly 12 digits, not "
			     "\"%s\"",
			     p->bin);
	} else if (rc == CX_ERANGE) {
		lwarn(l, cx_xml_child(n, "bin"), field,
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
		lerr(l, n, field, "\"%s\" is not a real date (YYYY-MM-DD)",
		     r->date);
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

/*
 * Offline check of the numeric forms of a scope entry (address, CIDR
 * block, range), the same rules the engine applies when it scans, so that
 * "certexam validate" finds a mistyped address before the scan does.  Host
 * names and URLs are left to the engine (it resolves them).  Returns NULL
 * when nothing is wrong, else what is wrong (static string).
 */
static const char *scope_problem(const char *v)
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
			return "not an address before '/'";
		if (cx_parse_long(slash + 1, 0, a.family == AF_INET ? 32 : 128,
		                  &n) != 0)
			return a.family == AF_INET
			           ? "the prefix must be a number from 0 "
			             "to 32"
			           : "the prefix must be a number from 0 "
			             "to 128";
		return NULL;
	}
	dash = strchr(v, '-');
	if (dash != NULL) {
		memcpy(buf, v, (size_t)(dash - v));
		buf[dash - v] = '\0';
		if (cx_addr_parse(buf, &a) != 0) {
			if (numeric_ipv4(buf))
				return "not an address before '-'";
			return NULL; /* a host name with a dash */
		}
		b = a;
		if (a.family == AF_INET && strchr(dash + 1, '.') == NULL &&
		    strchr(dash + 1, ':') == NULL) {
			if (cx_parse_long(dash + 1, 0, 255, &n) != 0)
				return "the range end must be an octet from 0 "
				       "to 255 or a full address";
			b.b[3] = (uint8_t)n;
		} else if (cx_addr_parse(dash + 1, &b) != 0) {
			return "the range end is not an address";
		}
		if (a.family != b.family)
			return "the range mixes IPv4 and IPv6";
		if (cx_addr_cmp(&a, &b) > 0)
			return "the range end is below its start";
		return NULL;
	}
	if (numeric_ipv4(v) && cx_addr_parse(v, &a) != 0)
		return "not a valid IPv4 address";
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
		const char *why;
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
				     "empty scope entry");
			continue;
		}
		e->value = v;
		e->line = cx_xml_line(c);
		why = scope_problem(v);
		if (why != NULL)
			lerr(l, c, (const char *)c->name,
			     "scope entry \"%s\": %s", v, why);
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
				lerr(l, c, "service@port",
				     "port \"%s\" is not a number in 1..65535",
				     port != NULL ? port : "");
			pv = 0;
		}
		free(port);
		s->port = (int)pv;
		if (s->host == NULL && l->xsd_ok)
			lerr(l, c, "service@host", "the host is missing");
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

		g->name = child_text(l, c, "name");
		g->possessor = child_text(l, c, "possessor");
		g->interaction = child_text(l, c, "interaction");
		o->n_integrations++;
		if (g->name == NULL && l->xsd_ok)
			lerr(l, c, "integration/name",
			     "the name of the integrated object is "
			     "empty");
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
		doc->reference = attr_text(c, "reference");
		doc->title = child_text(l, c, "title");
		doc->note = child_text(l, c, "note");
		o->n_documents++;
		if (num == NULL || cx_parse_long(num, 1, 16, &v) != 0) {
			if (l->xsd_ok)
				lerr(l, c, "document@number",
				     "document number \"%s\" is not an Annex 3 "
				     "item (1..16)",
				     num != NULL ? num : "");
			free(num);
			continue;
		}
		free(num);
		doc->number = (int)v;
		if (seen[v] != 0) {
			lerr(l, c, "document@number",
			     "Annex 3 item %ld is recorded twice (first on "
			     "line %ld)",
			     v, seen[v]);
		} else {
			seen[v] = doc->line > 0 ? doc->line : -1;
		}
		if (doc->title == NULL) {
			doc->title = cx_strdup(annex3_titles[v - 1]);
			if (doc->title == NULL)
				return CX_ENOMEM;
		}
		if (doc->approved != NULL && is_digit(doc->approved[0]) &&
		    strlen(doc->approved) == 10 && doc->approved[4] == '-' &&
		    !date_valid(doc->approved))
			lerr(l, c, "document@approved",
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

static int load_fields(struct loader *l, xmlNodePtr root, struct cx_object *o)
{
	char *s;
	int rc;

	o->name = child_text(l, root, "name");
	o->short_name = child_text(l, root, "short-name");
	o->lifecycle = child_text(l, root, "lifecycle");
	o->profile = child_text(l, root, "profile");
	s = child_text(l, root, "type");
	o->type = cx_object_type_parse(s);
	if (o->type == CX_OBJ_UNKNOWN && l->xsd_ok)
		lerr(l, cx_xml_child(root, "type"), "type",
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
	if (rc == CX_OK && l->oom)
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
	rc = cx_xml_parse_file(path, 0, &doc, diags);
	if (rc != CX_OK)
		goto out;
	root = xmlDocGetRootElement(doc);
	if (!cx_xml_is(root, "object")) {
		lerr(&l, root, root != NULL ? (const char *)root->name : NULL,
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

static void party_clear(struct cx_party *p)
{
	free(p->name);
	free(p->bin);
	free(p->address);
	free(p->contact);
}

void cx_object_free(struct cx_object *obj)
{
	size_t i;

	if (obj == NULL)
		return;
	free(obj->path);
	free(obj->name);
	free(obj->short_name);
	free(obj->lifecycle);
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
		free(obj->documents[i].reference);
		free(obj->documents[i].note);
	}
	free(obj->documents);
	for (i = 0; i < obj->n_trust_anchors; i++)
		free(obj->trust_anchors[i]);
	free(obj->trust_anchors);
	cx_hw_rows_free(obj->hardware, obj->n_hardware);
	cx_sw_rows_free(obj->software, obj->n_software);
	free(obj);
}

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

static void cdiag(struct compl *c, int warning, long line, const char *field,
                  const char *fmt, va_list ap)
{
	struct cx_buf b = {0};

	if (!warning)
		c->errors++;
	if (c->d == NULL)
		return;
	if (cx_buf_vprintf(&b, fmt, ap) != 0)
		return;
	if (warning)
		cx_diag_warn(c->d, c->file, line, field, "%s", b.data);
	else
		cx_diag_add(c->d, c->file, line, field, "%s", b.data);
	cx_buf_free(&b);
}

static void cerr(struct compl *c, long line, const char *field, const char *fmt,
                 ...) __attribute__((format(printf, 4, 5)));
static void cerr(struct compl *c, long line, const char *field, const char *fmt,
                 ...)
{
	va_list ap;

	va_start(ap, fmt);
	cdiag(c, 0, line, field, fmt, ap);
	va_end(ap);
}

static void cwarn(struct compl *c, long line, const char *field,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void cwarn(struct compl *c, long line, const char *field,
                  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cdiag(c, 1, line, field, fmt, ap);
	va_end(ap);
}

static int blank(const char *s)
{
	return s == NULL || s[0] == '\0';
}

static void need(struct compl *c, const char *v, const char *field,
                 const char *what)
{
	if (blank(v))
		cerr(c, field_line(c, field), field, "%s is missing", what);
}

static void want(struct compl *c, const char *v, const char *field,
                 const char *what)
{
	if (blank(v))
		cwarn(c, field_line(c, field), field, "%s is not given", what);
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
		const char *title = annex3_titles[n - 1];

		snprintf(field, sizeof(field), "documents/document[%d]", n);
		if (doc == NULL || doc->status == NULL) {
			cerr(c,
			     doc != NULL ? doc->line
			                 : field_line(c, "documents"),
			     field,
			     "Annex 3 item %d (%s) is not recorded: add "
			     "<document number=\"%d\" status=\"...\">",
			     n, title, n);
			continue;
		}
		if (strcmp(doc->status, "missing") == 0) {
			cerr(c, doc->line, field,
			     "Annex 3 item %d (%s) has not been submitted "
			     "(paragraph 13, subparagraph 4)",
			     n, title);
		} else if (strcmp(doc->status, "not-applicable") == 0) {
			if (n != ANNEX3_CRYPTO_ITEM)
				cerr(c, doc->line, field,
				     "Annex 3 item %d (%s) is mandatory and "
				     "cannot be \"not-applicable\"",
				     n, title);
			else if (o->uses_crypto)
				cerr(c, doc->line, field,
				     "Annex 3 item 7 is mandatory because the "
				     "object uses cryptographic protection "
				     "(uses-crypto is true)");
		} else if (strcmp(doc->status, "provided") == 0) {
			if (blank(doc->approved))
				cwarn(c, doc->line, field,
				      "Annex 3 item %d is provided but its "
				      "approval by the possessor is not "
				      "recorded (approved=\"...\")",
				      n);
		} else if (strcmp(doc->status, "deficient") == 0) {
			cwarn(c, doc->line, field,
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
	const char *what;
	int required; /* 0: only for individuals / when ICT services are used */
};

static const struct attach_rule attach_rules[] = {
    {"identity-document",
     "the copy of the applicant's identity document (paragraph 13, "
     "subparagraph 1; individuals only)",
     0},
    {"terms-of-reference",
     "the terms of reference, or the technical specification of an "
     "Internet resource (paragraph 13, subparagraph 2)",
     1},
    {"functional-diagram",
     "the general functional diagram with the network addresses of the "
     "servers and the administrator's workstation (paragraph 13, "
     "subparagraph 3)",
     1},
    {"network-diagram",
     "the local network diagram approved by the possessor (paragraph 13, "
     "subparagraph 3)",
     1},
    {"explanatory-note",
     "the explanatory note to the general functional diagram (paragraph "
     "13, subparagraph 3)",
     1},
    {"ict-services-contract",
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
		cwarn(c, cx_xml_line(root), "package",
		      "the attachments of paragraph 13 (terms of reference, "
		      "functional and network diagrams, explanatory note) "
		      "are not recorded; add a <package> section");
		return 0;
	}
	for (i = 0; i < CX_ARRAY_LEN(attach_rules); i++) {
		const struct attach_rule *r = &attach_rules[i];
		char *id, *st = NULL;

		first = NULL;
		for (a = cx_xml_child(pkg, "attachment"); a != NULL;
		     a = cx_xml_next(a, "attachment")) {
			int same;

			id = cx_xml_attr(a, "id");
			same = id != NULL && strcmp(id, r->id) == 0;
			free(id);
			if (!same)
				continue;
			if (first == NULL)
				first = a;
			else
				cerr(c, cx_xml_line(a), "package/attachment",
				     "attachment \"%s\" is recorded twice "
				     "(first on line %ld)",
				     r->id, cx_xml_line(first));
		}
		snprintf(field, sizeof(field), "package/attachment[%s]", r->id);
		if (first == NULL) {
			if (r->required)
				cerr(c, cx_xml_line(pkg), field,
				     "%s is not recorded", r->what);
			continue;
		}
		st = cx_xml_attr(first, "status");
		if (st == NULL) {
			cerr(c, cx_xml_line(first), field,
			     "the status of %s is missing", r->what);
		} else if (strcmp(st, "missing") == 0) {
			cerr(c, cx_xml_line(first), field,
			     "%s has not been submitted", r->what);
		} else if (strcmp(st, "not-applicable") == 0) {
			if (r->required)
				cerr(c, cx_xml_line(first), field,
				     "%s is mandatory and cannot be "
				     "\"not-applicable\"",
				     r->what);
		} else if (strcmp(st, "deficient") == 0) {
			cwarn(c, cx_xml_line(first), field,
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
	need(&c, obj->name, "name", "the name of the object of certification");
	want(&c, obj->short_name, "short-name", "a short name");
	if (obj->type == CX_OBJ_UNKNOWN)
		cerr(&c, field_line(&c, "type"), "type",
		     "the object type is missing");
	want(&c, obj->lifecycle, "lifecycle",
	     "the lifecycle state (Annex 1, e.g. pilot or commercial)");
	need(&c, obj->possessor.name, "possessor/name",
	     "the possessor (owner)");
	need(&c, obj->possessor.bin, "possessor/bin",
	     "the possessor's BIN/IIN");
	need(&c, obj->possessor.address, "possessor/address",
	     "the possessor's address");
	want(&c, obj->possessor.contact, "possessor/contact",
	     "the possessor's contact");
	need(&c, obj->developer.name, "developer/name",
	     "the developer (paragraph 29, subparagraph 3)");
	want(&c, obj->developer.bin, "developer/bin",
	     "the developer's BIN/IIN");
	need(&c, obj->applicant.name, "applicant/name",
	     "the applicant (Annex 2)");
	need(&c, obj->applicant.bin, "applicant/bin",
	     "the applicant's BIN/IIN (Annex 2)");
	want(&c, obj->applicant.address, "applicant/address",
	     "the applicant's address");
	want(&c, obj->applicant.contact, "applicant/contact",
	     "the applicant's contact");
	need(&c, obj->application.number, "application@number",
	     "the number of the application (Annex 2)");
	need(&c, obj->application.date, "application@date",
	     "the date of the application (Annex 2)");
	need(&c, obj->contract.number, "contract@number",
	     "the number of the contract for the certification examination "
	     "(paragraph 17)");
	need(&c, obj->contract.date, "contract@date",
	     "the date of the contract (paragraph 19 counts from it)");

	/* The scope of the instrumental examination. */
	if (obj->n_scope == 0)
		cerr(&c, field_line(&c, "scope"), "scope",
		     "the scope is empty: declare the network addresses, host "
		     "names or URLs of the object (paragraph 13, "
		     "subparagraph 3)");
	for (i = 0; i < obj->n_services; i++)
		if (obj->services[i].port <= 0 || blank(obj->services[i].host))
			cerr(&c, obj->services[i].line, "service",
			     "a declared service needs a host and a port");
	for (i = 0; i < obj->n_integrations; i++) {
		long line = nth_line(&c, "integrations", "integration", i);
		const char *gn = blank(obj->integrations[i].name)
		                     ? ""
		                     : obj->integrations[i].name;

		if (blank(obj->integrations[i].name))
			cerr(&c, line, "integration/name",
			     "an integrated object without a name (Annex 4)");
		if (blank(obj->integrations[i].possessor))
			cwarn(&c, line, "integration/possessor",
			      "the possessor of integrated object \"%s\" is "
			      "not given (Annex 4)",
			      gn);
		if (blank(obj->integrations[i].interaction))
			cwarn(&c, line, "integration/interaction",
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
			cwarn(&c, 0, NULL,
			      "the list of hardware (Annex 5) has no rows; "
			      "accepted because a contract for information "
			      "and communication services is provided "
			      "(paragraph 13, subparagraphs 6 and 7)");
		else
			cerr(&c, 0, NULL,
			     "the list of hardware (Annex 5) has no rows "
			     "(paragraph 13, subparagraph 6)");
		free(f);
	}
	if (obj->n_software == 0) {
		char *f = sibling(obj->path, "software.csv");

		c.file = f != NULL ? f : "software.csv";
		if (ict)
			cwarn(&c, 0, NULL,
			      "the list of software (Annex 6) has no rows; "
			      "accepted because a contract for information "
			      "and communication services is provided "
			      "(paragraph 13, subparagraphs 6 and 7)");
		else
			cerr(&c, 0, NULL,
			     "the list of software (Annex 6) has no rows "
			     "(paragraph 13, subparagraph 6)");
		free(f);
	}
	xmlFreeDoc(c.doc);
	return c.errors;
}

/* ------------------------------------------------------------------ */
/* Templates of a new case                                             */

static const char *const object_template[] = {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
    "<!--\n",
    "  certexam case: the object of certification.\n",
    "\n",
    "  Fill in every field from the application (Annex 2 of the Rules\n",
    "  approved by Decree No. 298) and the documents attached to it\n",
    "  (paragraph 13).  The values below are EXAMPLES: replace them.\n",
    "  Elements may appear in any order.  Check the case with\n",
    "      certexam validate CASE\n",
    "  which names every missing or malformed field with its line.\n",
    "-->\n",
    "<object version=\"1\">\n",
    "  <!-- Full name of the object of certification. -->\n",
    "  <name>Information system \"Example Registry\"</name>\n",
    "  <!-- Short name; used as the asset name of document findings. "
    "-->\n",
    "  <short-name>EXREG</short-name>\n",
    "  <!-- One of: information-system, egov-platform, "
    "internet-resource,\n",
    "       critical-ici.  It selects the default profile. -->\n",
    "  <type>information-system</type>\n",
    "  <!-- Lifecycle state (Annex 1): e.g. development, pilot, "
    "commercial. -->\n",
    "  <lifecycle>pilot</lifecycle>\n",
    "\n",
    "  <!-- Possessor (owner) of the object; BIN/IIN is 12 digits. -->\n",
    "  <possessor>\n",
    "    <name>Example State Body</name>\n",
    "    <bin>160240000127</bin>\n",
    "    <address>1 Example Street, Astana</address>\n",
    "    <contact>it-security@example.org, +7 700 000 00 00</contact>\n",
    "  </possessor>\n",
    "  <developer>\n",
    "    <name>Example Developer LLP</name>\n",
    "    <bin>050140001238</bin>\n",
    "    <address>2 Example Avenue, Almaty</address>\n",
    "    <contact>support@example.com</contact>\n",
    "  </developer>\n",
    "  <!-- The applicant (Annex 2): the possessor or its authorized "
    "person. -->\n",
    "  <applicant>\n",
    "    <name>Example State Body</name>\n",
    "    <bin>160240000127</bin>\n",
    "    <address>1 Example Street, Astana</address>\n",
    "    <contact>A. Examplov, head of IT security</contact>\n",
    "  </applicant>\n",
    "\n",
    "  <!-- The application (Annex 2) and the contract for the "
    "certification\n",
    "       examination services (paragraph 17); dates are YYYY-MM-DD. "
    "-->\n",
    "  <application number=\"APP-0001\" date=\"2026-10-01\"/>\n",
    "  <contract number=\"CTR-0001\" date=\"2026-10-12\"/>\n",
    "\n",
    "  <!-- Geographically distributed (paragraph 19: 40 working days "
    "instead\n",
    "       of 30): true or false. -->\n",
    "  <distributed>false</distributed>\n",
    "  <!-- Does the object use cryptographic means of information "
    "protection?\n",
    "       If false, Annex 3 item 7 may be \"not-applicable\". -->\n",
    "  <uses-crypto>true</uses-crypto>\n",
    "  <!-- Optional: a profile id under profiles/ other than the one "
    "the type\n",
    "       selects.\n",
    "  <profile>information-system</profile>\n",
    "  -->\n",
    "\n",
    "  <!-- What the instrumental examination may contact, and nothing "
    "else:\n",
    "       IPv4/IPv6 addresses, CIDR blocks (192.0.2.0/28), ranges\n",
    "       (192.0.2.10-20 or 192.0.2.10-192.0.2.20), host names and "
    "URLs.\n",
    "       <exclude> removes addresses from the scope.  The entries "
    "below are\n",
    "       reserved documentation addresses and names (RFC 5737, 3849,\n",
    "       2606): replace them with the object's own. -->\n",
    "  <scope>\n",
    "    <entry>192.0.2.0/28</entry>\n",
    "    <entry>2001:db8::10</entry>\n",
    "    <entry>portal.example</entry>\n",
    "    <entry>https://portal.example/</entry>\n",
    "    <exclude>192.0.2.1</exclude>\n",
    "  </scope>\n",
    "\n",
    "  <!-- Services the applicant declares (from the functional "
    "diagram);\n",
    "       open ports not declared here are reported. -->\n",
    "  <services>\n",
    "    <service host=\"192.0.2.5\" port=\"443\" proto=\"tcp\" "
    "name=\"https\"/>\n",
    "    <service host=\"192.0.2.5\" port=\"80\" proto=\"tcp\" "
    "name=\"http\"/>\n",
    "    <service host=\"192.0.2.6\" port=\"22\" proto=\"tcp\" "
    "name=\"ssh\"/>\n",
    "  </services>\n",
    "\n",
    "  <!-- Annex 4: objects of informatization integrated with the "
    "object\n",
    "       (leave the list empty if there are none). -->\n",
    "  <integrations>\n",
    "    <integration>\n",
    "      <name>Example e-government gateway</name>\n",
    "      <possessor>Example Operator JSC</possessor>\n",
    "      <interaction>SOAP web services, data exchange over "
    "TLS</interaction>\n",
    "    </integration>\n",
    "  </integrations>\n",
    "\n",
    "  <!-- Annex 3: the technical documentation on information "
    "security,\n",
    "       as the examiner records it.  status is one of:\n",
    "         provided        submitted (give approved=\"YYYY-MM-DD\" "
    "and a reference)\n",
    "         missing         not submitted\n",
    "         deficient       submitted, but does not meet the "
    "requirements\n",
    "         not-applicable  item 7 only, when uses-crypto is false\n",
    "       <note> holds the examiner's remark. -->\n",
    "  <documents>\n",
    "@DOCUMENTS@",
    "  </documents>\n",
    "\n",
    "  <!-- The other attachments of the application (paragraph 13), "
    "same\n"
    "       statuses as above.  identity-document (individuals only) and\n"
    "       ict-services-contract (only if the object uses information "
    "and\n"
    "       communication services; then Annexes 5 and 6 may be empty)\n"
    "       may be \"not-applicable\"; the other four are mandatory. "
    "-->\n",
    "  <package>\n",
    "    <attachment id=\"identity-document\" "
    "status=\"not-applicable\"/>\n",
    "    <attachment id=\"terms-of-reference\" status=\"missing\" "
    "reference=\"\">Terms of reference</attachment>\n",
    "    <attachment id=\"functional-diagram\" status=\"missing\" "
    "reference=\"\">General functional diagram</attachment>\n",
    "    <attachment id=\"network-diagram\" status=\"missing\" "
    "reference=\"\">Local network diagram</attachment>\n",
    "    <attachment id=\"explanatory-note\" status=\"missing\" "
    "reference=\"\">Explanatory note to the functional "
    "diagram</attachment>\n",
    "    <attachment id=\"ict-services-contract\" "
    "status=\"not-applicable\"/>\n",
    "  </package>\n",
    "\n",
    "  <!-- Optional: PEM files (relative to the case folder) with the "
    "CA\n",
    "       certificates the object's TLS certificates chain to, when "
    "they are\n",
    "       not in the system store.\n",
    "  <trust-anchors>\n",
    "    <file>ca/root-ca.pem</file>\n",
    "  </trust-anchors>\n",
    "  -->\n",
    "</object>\n",
};

/* The object.xml template with the 16 Annex 3 documents filled in. */
static int object_template_text(struct cx_buf *b)
{
	size_t i;
	int n, rc = 0;

	for (i = 0; i < CX_ARRAY_LEN(object_template) && rc == 0; i++) {
		if (strcmp(object_template[i], "@DOCUMENTS@") != 0) {
			rc = cx_buf_puts(b, object_template[i]);
			continue;
		}
		for (n = 1; n <= 16 && rc == 0; n++)
			rc = cx_buf_printf(b,
			                   "    <document number=\"%d\" "
			                   "status=\"missing\" approved=\"\" "
			                   "reference=\"\">\n"
			                   "      <title>%s</title>\n"
			                   "    </document>\n",
			                   n, annex3_titles[n - 1]);
	}
	return rc;
}

#define UTF8_BOM "\xEF\xBB\xBF"

static const char hardware_template[] =
    UTF8_BOM "Item no.;Manufacturer, model;Serial/inventory number;"
             "Information Security Certificate Number (if any);"
             "Physical location;"
             "Type (according to technical documentation);"
             "Main functional purpose (according to technical "
             "documentation);"
             "Utilized methods of information protection;"
             "Developer, name, version (of integrated software);"
             "IP addresses\r\n";

static const char software_template[] =
    UTF8_BOM "Item no.;Developer;Name;Version;"
             "Place of installation (from the list of hardware);"
             "Type (according to program documentation);"
             "Main functional purpose (according to program "
             "documentation);"
             "Utilized methods of information protection\r\n";

static const char readme_template[] =
    "certexam case folder\n"
    "====================\n"
    "\n"
    "This folder holds one certification examination of one object of\n"
    "certification (Rules approved by Decree No. 298 of 23 May 2016).\n"
    "\n"
    "object.xml    The object: name, type, possessor, developer, "
    "applicant,\n"
    "              application and contract, the scope of the "
    "instrumental\n"
    "              examination, declared services, the Annex 4 list of\n"
    "              integrated objects, the Annex 3 checklist of the\n"
    "              technical documentation on information security and\n"
    "              the other attachments of paragraph 13 (<package>).\n"
    "              The values in the template are examples: replace "
    "them.\n"
    "hardware.csv  Annex 5, the list of hardware, one row per device.\n"
    "              Columns: 1 item no.; 2 manufacturer, model; 3 serial/\n"
    "              inventory number; 4 information security "
    "certificate\n"
    "              number (if any); 5 physical location; 6 type; 7 main\n"
    "              functional purpose; 8 utilized methods of "
    "information\n"
    "              protection; 9 developer, name, version of integrated\n"
    "              software; 10 IP addresses (space or comma "
    "separated).\n"
    "software.csv  Annex 6, the list of software, one row per product.\n"
    "              Columns: 1 item no.; 2 developer; 3 name; 4 version;\n"
    "              5 place of installation (item no. from the list of\n"
    "              hardware); 6 type; 7 main functional purpose; 8 "
    "utilized\n"
    "              methods of information protection.\n"
    "\n"
    "The CSV files may be edited in Excel or LibreOffice and saved as "
    "CSV\n"
    "(';' or ',' separated, UTF-8 or Windows-1251).  Keep the header "
    "row.\n"
    "\n"
    "Then:\n"
    "    certexam validate CASE    form and completeness of the package\n"
    "    certexam scan CASE        the instrumental examination -> "
    "runs/NNNN/\n"
    "    certexam act CASE         the draft act -> acts/\n"
    "\n"
    "Only the addresses, names and URLs declared in <scope> are ever\n"
    "contacted.\n";

/* Create path with exactly these bytes; never overwrites (O_EXCL). */
static int write_new_file(const char *path, const void *data, size_t len)
{
	const char *p = data;
	int fd, rc = CX_OK;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno == EEXIST ? CX_EEXIST : CX_EIO;
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = CX_EIO;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (rc == CX_OK && fsync(fd) != 0)
		rc = CX_EIO;
	if (close(fd) != 0 && rc == CX_OK)
		rc = CX_EIO;
	if (rc != CX_OK)
		unlink(path);
	return rc;
}

int cx_case_init(const char *dir)
{
	static const char *const names[4] = {"object.xml", "hardware.csv",
	                                     "software.csv", "README.txt"};
	struct cx_buf obj = {0};
	char *paths[4] = {NULL, NULL, NULL, NULL};
	const void *data[4];
	size_t len[4];
	int written[4] = {0, 0, 0, 0};
	int i, rc;

	if (dir == NULL || dir[0] == '\0')
		return CX_EINVAL;
	for (i = 0; i < 4; i++) {
		paths[i] = cx_path_join(dir, names[i]);
		if (paths[i] == NULL) {
			rc = CX_ENOMEM;
			goto out;
		}
	}
	/* Refuse before creating anything. */
	for (i = 0; i < 4; i++) {
		if (cx_path_exists(paths[i])) {
			rc = CX_EEXIST;
			goto out;
		}
	}
	rc = object_template_text(&obj);
	if (rc != CX_OK)
		goto out;
	data[0] = obj.data;
	len[0] = obj.len;
	data[1] = hardware_template;
	len[1] = sizeof(hardware_template) - 1;
	data[2] = software_template;
	len[2] = sizeof(software_template) - 1;
	data[3] = readme_template;
	len[3] = sizeof(readme_template) - 1;
	rc = cx_mkdir_p(dir);
	if (rc != CX_OK)
		goto out;
	for (i = 0; i < 4; i++) {
		rc = write_new_file(paths[i], data[i], len[i]);
		if (rc != CX_OK)
			break;
		written[i] = 1;
	}
	if (rc != CX_OK) {
		/* Leave nothing half-made. */
		for (i = 0; i < 4; i++)
			if (written[i])
				unlink(paths[i]);
	}
out:
	for (i = 0; i < 4; i++)
		free(paths[i]);
	cx_buf_free(&obj);
	return rc;
}
