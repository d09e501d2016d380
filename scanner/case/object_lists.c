/*
 * certexam — the lists of CASE/object.xml read into struct cx_object: the
 * scope and its exclusions (with the offline check of each entry's
 * numeric form), the declared services, the integrations, the Annex 3
 * documents with their sections, the trust anchors.  Split from
 * object_load.c, whose loader state, diagnostics and value helpers it
 * shares (object_load_int.h).
 */

#include <stdint.h>
#include <stdio.h>
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
#include "object_load_int.h"
#include "xmlsafe.h"

/* 1 if s is only digits and dots: an attempt at an IPv4 address. */
static int numeric_ipv4(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		if (*p != '.' && !cx_ol_is_digit(*p))
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
				cx_ol_err(l, c, (const char *)c->name,
				          "pkg.object.scope-empty", NULL,
				          "empty scope entry");
			continue;
		}
		e->value = v;
		e->line = cx_xml_line(c);
		why = scope_problem(v);
		if (why != NULL)
			cx_ol_err(l, c, (const char *)c->name,
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
		char *port = cx_ol_attr(c, "port");
		long pv = 0;

		s->host = cx_ol_attr(c, "host");
		s->proto = cx_ol_attr(c, "proto");
		s->name = cx_ol_attr(c, "name");
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
				cx_ol_err(
				    l, c, "service@port", "pkg.object.port",
				    CX_ARGS("port", port != NULL ? port : ""),
				    "port \"%s\" is not a number in 1..65535",
				    port != NULL ? port : "");
			pv = 0;
		}
		free(port);
		s->port = (int)pv;
		if (s->host == NULL && l->xsd_ok)
			cx_ol_err(l, c, "service@host",
			          "pkg.object.service-host", NULL,
			          "the host is missing");
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
			cx_ol_err(l, c, "integration/name",
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
		pr = cx_ol_attr(c, "present");
		sec->present = cx_ol_bool(pr);
		free(pr);
		if (sec->name == NULL) {
			cx_ol_err(l, c, "section@name",
			          "pkg.object.section-name", NULL,
			          "a section without its name");
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
		char *num = cx_ol_attr(c, "number");
		long v = 0;

		doc->line = cx_xml_line(c);
		doc->status = cx_ol_attr(c, "status");
		doc->approved = cx_ol_attr(c, "approved");
		doc->order = cx_ol_attr(c, "order");
		doc->reference = cx_ol_attr(c, "reference");
		{
			char *aq = cx_ol_attr(c, "acquainted");

			doc->acquainted = aq == NULL ? -1 : cx_ol_bool(aq);
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
				cx_ol_err(
				    l, c, "document@number",
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
			cx_ol_err(
			    l, c, "document@number", "pkg.object.doc-twice",
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
		if (doc->approved != NULL && cx_ol_is_digit(doc->approved[0]) &&
		    strlen(doc->approved) == 10 && doc->approved[4] == '-' &&
		    !cx_ol_date_valid(doc->approved))
			cx_ol_err(l, c, "document@approved", "pkg.object.date",
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
			cx_ol_err(l, c, "trust-anchors/file",
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

int cx_object_load_lists(struct loader *l, xmlNodePtr root, struct cx_object *o)
{
	int rc = load_scope(l, root, o);

	if (rc == CX_OK)
		rc = load_services(l, root, o);
	if (rc == CX_OK)
		rc = load_integrations(l, root, o);
	if (rc == CX_OK)
		rc = load_documents(l, root, o);
	if (rc == CX_OK)
		rc = load_trust(l, root, o);
	return rc;
}
