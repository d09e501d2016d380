/*
 * certexam — profiles: the legal regime as data (profiles/<id>.xml,
 * validated against profiles/schema/profile.xsd).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/profile.h"
#include "certexam/util.h"
#include "xmlsafe.h"

/* A profile is trusted data, but still bounded. */
#define PROFILE_MAX_SIZE ((size_t)4 * 1024 * 1024)

struct ploader {
	const char *file;
	struct cx_diags *d;
	int errors;
	int oom;
};

static void perr(struct ploader *l, xmlNodePtr n, const char *field,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void perr(struct ploader *l, xmlNodePtr n, const char *field,
                 const char *fmt, ...)
{
	struct cx_buf b = {0};
	va_list ap;

	l->errors++;
	if (l->d == NULL)
		return;
	va_start(ap, fmt);
	if (cx_buf_vprintf(&b, fmt, ap) != 0)
		l->oom = 1;
	va_end(ap);
	if (b.data != NULL &&
	    cx_diag_add(l->d, l->file, cx_xml_line(n), field, "%s", b.data))
		l->oom = 1;
	cx_buf_free(&b);
}

/*
 * Text with every run of white space (line breaks of the XML source)
 * collapsed to one space; NULL for an absent element.
 */
static char *flat(struct ploader *l, xmlNodePtr n)
{
	char *s, *r, *w;
	int space = 0;

	if (n == NULL)
		return NULL;
	s = cx_xml_text(n);
	if (s == NULL) {
		l->oom = 1;
		return NULL;
	}
	for (r = s, w = s; *r != '\0'; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\r' || *r == '\n') {
			space = 1;
			continue;
		}
		if (space && w != s)
			*w++ = ' ';
		space = 0;
		*w++ = *r;
	}
	*w = '\0';
	return s;
}

static char *attr(struct ploader *l, xmlNodePtr n, const char *name)
{
	char *s = cx_xml_attr(n, name);

	if (s == NULL && xmlHasProp(n, (const xmlChar *)name) != NULL)
		l->oom = 1;
	return s;
}

static size_t count(xmlNodePtr parent, const char *name)
{
	xmlNodePtr c;
	size_t n = 0;

	for (c = cx_xml_child(parent, name); c != NULL;
	     c = cx_xml_next(c, name))
		n++;
	return n;
}

/* The object types of object.h (kept here so profiles load on their own). */
static int known_type(const char *t)
{
	static const char *const types[] = {
	    "information-system", "egov-platform", "internet-resource",
	    "critical-ici"};
	size_t i;

	for (i = 0; t != NULL && i < CX_ARRAY_LEN(types); i++)
		if (strcmp(t, types[i]) == 0)
			return 1;
	return 0;
}

static int load_basis(struct ploader *l, xmlNodePtr root, struct cx_profile *p)
{
	xmlNodePtr list = cx_xml_child(root, "basis");
	xmlNodePtr c;
	size_t n = count(list, "document");

	if (n == 0)
		return CX_OK;
	p->basis = calloc(n, sizeof(*p->basis));
	if (p->basis == NULL)
		return CX_ENOMEM;
	for (c = cx_xml_child(list, "document"); c != NULL;
	     c = cx_xml_next(c, "document")) {
		struct cx_basis *b = &p->basis[p->n_basis++];

		b->id = attr(l, c, "id");
		b->title = flat(l, c);
	}
	return l->oom ? CX_ENOMEM : CX_OK;
}

static int load_reqs(struct ploader *l, xmlNodePtr root, struct cx_profile *p)
{
	xmlNodePtr list = cx_xml_child(root, "requirements");
	xmlNodePtr c;
	size_t n = count(list, "requirement"), i;

	if (n == 0)
		return CX_OK;
	p->reqs = calloc(n, sizeof(*p->reqs));
	if (p->reqs == NULL)
		return CX_ENOMEM;
	for (c = cx_xml_child(list, "requirement"); c != NULL;
	     c = cx_xml_next(c, "requirement")) {
		struct cx_requirement *r = &p->reqs[p->n_reqs++];
		char *sev = attr(l, c, "severity");
		int sv;

		r->id = attr(l, c, "id");
		r->block = attr(l, c, "block");
		r->text = flat(l, cx_xml_child(c, "text"));
		r->source = flat(l, cx_xml_child(c, "source"));
		r->recommendation = flat(l, cx_xml_child(c, "recommendation"));
		sv = cx_severity_parse(sev);
		if (sv < 0) {
			perr(l, c, "requirement@severity",
			     "unknown severity \"%s\"", sev != NULL ? sev : "");
			sv = CX_SEV_HIGH;
		}
		r->severity = (enum cx_severity)sv;
		free(sev);
		if (r->id == NULL || r->text == NULL || r->source == NULL ||
		    r->block == NULL) {
			if (!l->oom)
				perr(l, c, "requirement",
				     "a requirement needs id, block, text "
				     "and source");
			continue;
		}
		for (i = 0; i + 1 < p->n_reqs; i++)
			if (p->reqs[i].id != NULL &&
			    strcmp(p->reqs[i].id, r->id) == 0)
				perr(l, c, "requirement@id",
				     "requirement %s is defined twice", r->id);
	}
	return l->oom ? CX_ENOMEM : CX_OK;
}

static int load_params(struct ploader *l, xmlNodePtr root, struct cx_profile *p)
{
	xmlNodePtr list = cx_xml_child(root, "params");
	xmlNodePtr c;
	size_t n = count(list, "param");

	if (n == 0)
		return CX_OK;
	p->params = calloc(n, sizeof(*p->params));
	if (p->params == NULL)
		return CX_ENOMEM;
	for (c = cx_xml_child(list, "param"); c != NULL;
	     c = cx_xml_next(c, "param")) {
		struct cx_param *q = &p->params[p->n_params];

		q->name = attr(l, c, "name");
		q->value = attr(l, c, "value");
		if (q->name == NULL || q->value == NULL) {
			free(q->name);
			free(q->value);
			q->name = NULL;
			q->value = NULL;
			if (!l->oom)
				perr(l, c, "param",
				     "a parameter needs a name and a value");
			continue;
		}
		p->n_params++;
	}
	return l->oom ? CX_ENOMEM : CX_OK;
}

int cx_profile_load(const char *path, const char *schema_dir,
                    struct cx_profile **out, struct cx_diags *diags)
{
	struct ploader l = {0};
	struct cx_profile *p = NULL;
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
	rc = cx_xml_parse_file(path, PROFILE_MAX_SIZE, &doc, diags);
	if (rc != CX_OK)
		goto out;
	root = xmlDocGetRootElement(doc);
	if (!cx_xml_is(root, "profile")) {
		perr(&l, root, root != NULL ? (const char *)root->name : NULL,
		     "the root element must be <profile>");
		rc = CX_ESCHEMA;
		goto out;
	}
	rc = cx_xml_validate_in(doc, schema_dir, "profile.xsd", path, diags);
	if (rc != CX_OK)
		goto out;
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	p->path = cx_strdup(path);
	p->id = attr(&l, root, "id");
	p->version = attr(&l, root, "version");
	p->object_type = attr(&l, root, "object-type");
	p->language = attr(&l, root, "language");
	p->title = flat(&l, cx_xml_child(root, "title"));
	if (p->path == NULL || l.oom) {
		rc = CX_ENOMEM;
		goto out;
	}
	if (p->id == NULL || p->version == NULL)
		perr(&l, root, "profile",
		     "the profile needs an id and a version");
	if (!known_type(p->object_type))
		perr(&l, root, "profile@object-type",
		     "unknown object type \"%s\"",
		     p->object_type != NULL ? p->object_type : "");
	rc = load_basis(&l, root, p);
	if (rc == CX_OK)
		rc = load_reqs(&l, root, p);
	if (rc == CX_OK)
		rc = load_params(&l, root, p);
	if (rc != CX_OK)
		goto out;
	if (l.oom) {
		rc = CX_ENOMEM;
		goto out;
	}
	if (l.errors > 0) {
		rc = CX_ESCHEMA;
		goto out;
	}
	*out = p;
	p = NULL;
out:
	cx_profile_free(p);
	xmlFreeDoc(doc);
	return rc;
}

static int valid_id(const char *id)
{
	size_t i, n;

	if (id == NULL)
		return 0;
	n = strlen(id);
	if (n == 0 || n > 64)
		return 0;
	for (i = 0; i < n; i++) {
		char c = id[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return 0;
	}
	return 1;
}

int cx_profile_load_id(const char *profiles_dir, const char *id,
                       struct cx_profile **out, struct cx_diags *diags)
{
	char *file = NULL, *path = NULL, *schema = NULL;
	struct cx_profile *p = NULL;
	int rc;

	if (out == NULL)
		return CX_EINVAL;
	*out = NULL;
	if (profiles_dir == NULL || !valid_id(id)) {
		if (diags != NULL &&
		    cx_diag_add(diags, "(profile)", 0, "profile",
		                "\"%s\" is not a profile id (lower-case "
		                "letters, digits and '-')",
		                id != NULL ? id : ""))
			return CX_ENOMEM;
		return CX_EINVAL;
	}
	file = cx_asprintf("%s.xml", id);
	path = file != NULL ? cx_path_join(profiles_dir, file) : NULL;
	schema = cx_path_join(profiles_dir, "schema");
	if (path == NULL || schema == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	rc = cx_profile_load(path, schema, &p, diags);
	if (rc != CX_OK)
		goto out;
	if (p->id == NULL || strcmp(p->id, id) != 0) {
		if (diags != NULL)
			cx_diag_add(diags, path, 0, "profile@id",
			            "the file declares profile id \"%s\", "
			            "expected \"%s\"",
			            p->id != NULL ? p->id : "", id);
		rc = CX_ESCHEMA;
		goto out;
	}
	*out = p;
	p = NULL;
out:
	cx_profile_free(p);
	free(file);
	free(path);
	free(schema);
	return rc;
}

void cx_profile_free(struct cx_profile *p)
{
	size_t i;

	if (p == NULL)
		return;
	free(p->path);
	free(p->id);
	free(p->version);
	free(p->title);
	free(p->object_type);
	free(p->language);
	for (i = 0; i < p->n_basis; i++) {
		free(p->basis[i].id);
		free(p->basis[i].title);
	}
	free(p->basis);
	for (i = 0; i < p->n_reqs; i++) {
		free(p->reqs[i].id);
		free(p->reqs[i].block);
		free(p->reqs[i].text);
		free(p->reqs[i].source);
		free(p->reqs[i].recommendation);
	}
	free(p->reqs);
	for (i = 0; i < p->n_params; i++) {
		free(p->params[i].name);
		free(p->params[i].value);
	}
	free(p->params);
	free(p);
}

const struct cx_requirement *cx_profile_req(const struct cx_profile *p,
                                            const char *id)
{
	size_t i;

	if (p == NULL || id == NULL)
		return NULL;
	for (i = 0; i < p->n_reqs; i++)
		if (p->reqs[i].id != NULL && strcmp(p->reqs[i].id, id) == 0)
			return &p->reqs[i];
	return NULL;
}

const char *cx_profile_param(const struct cx_profile *p, const char *name,
                             const char *def)
{
	size_t it = 0;
	const char *v = cx_profile_param_next(p, name, &it);

	return v != NULL ? v : def;
}

long cx_profile_param_long(const struct cx_profile *p, const char *name,
                           long def)
{
	const char *v = cx_profile_param(p, name, NULL);
	long out;

	if (v == NULL || cx_parse_long(v, LONG_MIN, LONG_MAX, &out) != 0)
		return def;
	return out;
}

const char *cx_profile_param_next(const struct cx_profile *p, const char *name,
                                  size_t *iter)
{
	size_t i;

	if (p == NULL || name == NULL || iter == NULL)
		return NULL;
	for (i = *iter; i < p->n_params; i++) {
		if (strcmp(p->params[i].name, name) == 0) {
			*iter = i + 1;
			return p->params[i].value;
		}
	}
	*iter = p->n_params;
	return NULL;
}

int cx_profile_param_has(const struct cx_profile *p, const char *name,
                         const char *value)
{
	size_t it = 0;
	const char *v;

	if (value == NULL)
		return 0;
	for (v = cx_profile_param_next(p, name, &it); v != NULL;
	     v = cx_profile_param_next(p, name, &it))
		if (cx_strcaseeq(v, value))
			return 1;
	return 0;
}
