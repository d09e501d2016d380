/*
 * certexam — profiles: the legal regime as data.  A profile
 * (profiles/<id>.xml, validated against profiles/schema/profile.xsd)
 * extends the base catalogue of its regime (scanner/case/catalogue.c):
 * this file resolves the two into one struct cx_profile (selection,
 * severity overrides, parameters) and answers the accessors the checks
 * use.
 */
#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/lang.h"
#include "certexam/profile.h"
#include "certexam/util.h"
#include "profile_xml.h"

static const char *const kind_names[CX__REQ_KIND_COUNT] = {
    [CX_REQ_NORMATIVE] = "normative",
    [CX_REQ_PRACTICE] = "practice",
};

const char *cx_req_kind_name(enum cx_req_kind k)
{
	if ((int)k < 0 || k >= CX__REQ_KIND_COUNT)
		return NULL;
	return kind_names[k];
}

int cx_req_kind_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < CX__REQ_KIND_COUNT; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return i;
	return -1;
}

const char *cx_requirement_str(const struct cx_requirement *r,
                               enum cx_req_field f, enum cx_lang lang)
{
	if (r == NULL || (int)lang < 0 || lang >= CX_LANG_COUNT)
		return NULL;
	switch (f) {
	case CX_REQ_TEXT:
		return r->texts[lang] != NULL ? r->texts[lang] : r->text;
	case CX_REQ_RECOMMENDATION:
		return r->recommendations[lang] != NULL
		           ? r->recommendations[lang]
		           : r->recommendation;
	case CX_REQ_SOURCE:
		return r->sources[lang] != NULL ? r->sources[lang] : r->source;
	case CX__REQ_FIELD_COUNT:
		break;
	}
	return NULL;
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

/* A catalogue requirement found by id: a sorted index and bsearch. */
struct req_index {
	const struct cx_requirement *base;
	const struct cx_requirement **by_id;
	size_t n;
};

int cx_preq_cmp(const void *a, const void *b)
{
	const struct cx_requirement *const *x = a, *const *y = b;

	return strcmp((*x)->id, (*y)->id);
}

int cx_pstatus(const struct ploader *l, int rc)
{
	if (rc != CX_OK)
		return rc;
	if (l->oom)
		return CX_ENOMEM;
	return l->errors > 0 ? CX_ESCHEMA : CX_OK;
}

static int index_build(struct req_index *ix, const struct cx_catalogue *c)
{
	size_t i;

	ix->base = c->reqs;
	ix->n = c->n_reqs;
	ix->by_id = calloc(c->n_reqs + 1, sizeof(*ix->by_id));
	if (ix->by_id == NULL)
		return CX_ENOMEM;
	for (i = 0; i < c->n_reqs; i++)
		ix->by_id[i] = &c->reqs[i];
	qsort(ix->by_id, ix->n, sizeof(*ix->by_id), cx_preq_cmp);
	return CX_OK;
}

/* Position of id in the catalogue, or -1. */
static long index_find(const struct req_index *ix, const char *id)
{
	struct cx_requirement key = {.id = (char *)id};
	const struct cx_requirement *k = &key, **hit;

	if (id == NULL)
		return -1;
	hit = bsearch(&k, ix->by_id, ix->n, sizeof(*ix->by_id), cx_preq_cmp);
	return hit != NULL ? (long)(*hit - ix->base) : -1;
}

/* What the profile's <requirements> does to each catalogue entry. */
struct selection {
	unsigned char *take; /* 1: in the profile */
	unsigned char *seen; /* named by the profile already */
	int *sev;            /* overriding severity, or -1 */
};

static int select_reqs(struct ploader *l, xmlNodePtr root,
                       const struct cx_catalogue *c, struct selection *s)
{
	xmlNodePtr list = cx_xml_child(root, "requirements");
	struct req_index ix = {0};
	char *mode = list != NULL ? cx_pattr(l, list, "select") : NULL;
	int listed = mode != NULL && strcmp(mode, "listed") == 0;
	xmlNodePtr n;
	size_t i;
	int rc;

	if (mode != NULL && !listed && strcmp(mode, "all") != 0)
		cx_perr(l, list, "requirements@select", "pkg.profile.select",
		        CX_ARGS("select", mode),
		        "select must be \"all\" or \"listed\", not \"%s\"",
		        mode);
	free(mode);
	s->take = calloc(c->n_reqs + 1, 1);
	s->seen = calloc(c->n_reqs + 1, 1);
	s->sev = calloc(c->n_reqs + 1, sizeof(*s->sev));
	rc = index_build(&ix, c);
	if (s->take == NULL || s->seen == NULL || s->sev == NULL ||
	    rc != CX_OK) {
		free(ix.by_id);
		return CX_ENOMEM;
	}
	for (i = 0; i < c->n_reqs; i++) {
		s->take[i] = (unsigned char)!listed;
		s->sev[i] = -1;
	}
	for (n = cx_xml_child(list, NULL); n != NULL && !l->oom;
	     n = cx_xml_next(n, NULL)) {
		int omit = cx_xml_is(n, "omit");
		char *ref = cx_pattr(l, n, "ref");
		char *sev = omit ? NULL : cx_pattr(l, n, "severity");
		long at = index_find(&ix, ref);

		if (!omit && !cx_xml_is(n, "requirement")) {
			cx_perr(l, n, (const char *)n->name,
			        "pkg.profile.requirements-child", NULL,
			        "<requirements> holds only <requirement> "
			        "and <omit>");
		} else if (at < 0) {
			cx_perr(l, n, omit ? "omit@ref" : "requirement@ref",
			        "pkg.profile.ref-unknown",
			        CX_ARGS("requirement", ref != NULL ? ref : "",
			                "catalogue", c->id),
			        "requirement \"%s\" is not in catalogue %s",
			        ref != NULL ? ref : "", c->id);
		} else if (s->seen[at]) {
			cx_perr(l, n, omit ? "omit@ref" : "requirement@ref",
			        "pkg.profile.ref-twice",
			        CX_ARGS("requirement", ref),
			        "requirement %s is named twice", ref);
		} else if (omit && listed) {
			cx_perr(l, n, "omit", "pkg.profile.omit-listed", NULL,
			        "<omit> makes no sense with "
			        "select=\"listed\"");
		} else {
			s->seen[at] = 1;
			s->take[at] = (unsigned char)!omit;
			if (sev != NULL) {
				s->sev[at] = cx_severity_parse(sev);
				if (s->sev[at] < 0)
					cx_perr(l, n, "requirement@severity",
					        "pkg.profile.severity",
					        CX_ARGS("severity", sev),
					        "unknown severity \"%s\"", sev);
			}
		}
		free(ref);
		free(sev);
	}
	free(ix.by_id);
	return l->oom ? CX_ENOMEM : CX_OK;
}

/* Move the selected catalogue requirements into p, in catalogue order. */
static int take_reqs(struct cx_catalogue *c, const struct selection *s,
                     struct cx_profile *p)
{
	size_t i;

	p->reqs = calloc(c->n_reqs + 1, sizeof(*p->reqs));
	if (p->reqs == NULL)
		return CX_ENOMEM;
	for (i = 0; i < c->n_reqs; i++) {
		struct cx_requirement *r;

		if (!s->take[i])
			continue;
		r = &p->reqs[p->n_reqs++];
		*r = c->reqs[i];
		memset(&c->reqs[i], 0, sizeof(c->reqs[i]));
		if (s->sev[i] >= 0)
			r->severity = (enum cx_severity)s->sev[i];
	}
	return CX_OK;
}

static int cmp_str(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	return strcmp(*x, *y);
}

/*
 * Parameters: the catalogue's, except every name the profile sets, then
 * the profile's.  The profile's names are found through a sorted array.
 */
static int load_params(struct ploader *l, xmlNodePtr root,
                       struct cx_catalogue *c, struct cx_profile *p)
{
	xmlNodePtr list = cx_xml_child(root, "params");
	size_t count = cx_pcount(list, "param"), i, n_names = 0;
	const char **names = NULL;
	xmlNodePtr n;
	int rc = CX_OK;

	p->params = calloc(c->n_params + count + 1, sizeof(*p->params));
	names = calloc(count + 1, sizeof(*names));
	if (p->params == NULL || names == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	/* The profile's first, at the end of the array, then move down. */
	for (n = cx_xml_child(list, "param"); n != NULL;
	     n = cx_xml_next(n, "param")) {
		struct cx_param *q = &p->params[c->n_params + n_names];

		if (!cx_pparam(l, n, q))
			continue;
		names[n_names++] = q->name;
	}
	if (l->oom) {
		rc = CX_ENOMEM;
		goto out;
	}
	qsort(names, n_names, sizeof(*names), cmp_str);
	for (i = 0; i < c->n_params; i++) {
		const char *key = c->params[i].name;

		if (bsearch(&key, names, n_names, sizeof(*names), cmp_str))
			continue;
		p->params[p->n_params++] = c->params[i];
		memset(&c->params[i], 0, sizeof(c->params[i]));
	}
	memmove(&p->params[p->n_params], &p->params[c->n_params],
	        n_names * sizeof(*p->params));
	if (p->n_params != c->n_params)
		memset(&p->params[p->n_params + n_names], 0,
		       (c->n_params - p->n_params) * sizeof(*p->params));
	p->n_params += n_names;
out:
	free(names);
	return rc;
}

/* The catalogue's titles of the normative documents move to p. */
static void take_basis(struct cx_catalogue *c, struct cx_profile *p)
{
	p->basis = c->basis;
	p->n_basis = c->n_basis;
	c->basis = NULL;
	c->n_basis = 0;
}

/*
 * <refusal-grounds>: each ground names a requirement of the profile, a
 * block, or both, and a severity (default low).  A ground naming a
 * requirement the profile does not select is an error that names it.
 */
static int load_grounds(struct ploader *l, xmlNodePtr root,
                        struct cx_profile *p)
{
	xmlNodePtr list = cx_xml_child(root, "refusal-grounds"), n;
	size_t count = cx_pcount(list, "ground"), i;

	if (list == NULL || count == 0)
		return CX_OK;
	p->grounds = calloc(count, sizeof(*p->grounds));
	if (p->grounds == NULL)
		return CX_ENOMEM;
	for (n = cx_xml_child(list, "ground"); n != NULL && !l->oom;
	     n = cx_xml_next(n, "ground")) {
		struct cx_refusal_ground *g = &p->grounds[p->n_grounds++];
		char *sev = cx_xml_attr(n, "severity");
		int sv = sev != NULL ? cx_severity_parse(sev) : CX_SEV_LOW;

		g->req = cx_xml_attr(n, "requirement");
		g->block = cx_xml_attr(n, "block");
		if (sv < 0) {
			cx_perr(l, n, "ground@severity", "pkg.profile.severity",
			        CX_ARGS("severity", sev),
			        "unknown severity \"%s\"", sev);
			sv = CX_SEV_LOW;
		}
		free(sev);
		g->min_severity = (enum cx_severity)sv;
		if (g->req == NULL && g->block == NULL)
			cx_perr(l, n, "ground", "pkg.profile.ground-empty",
			        NULL,
			        "a refusal ground names a requirement, a block "
			        "or both");
		for (i = 0; g->req != NULL && i < p->n_reqs; i++)
			if (strcmp(p->reqs[i].id, g->req) == 0)
				break;
		if (g->req != NULL && i == p->n_reqs)
			cx_perr(l, n, "ground@requirement",
			        "pkg.profile.ground-ref",
			        CX_ARGS("requirement", g->req),
			        "requirement \"%s\" is not in the profile",
			        g->req);
	}
	return l->oom ? CX_ENOMEM : CX_OK;
}

static int resolve(struct ploader *l, xmlNodePtr root,
                   const char *catalogue_dir, const char *schema_dir,
                   struct cx_profile *p)
{
	struct cx_catalogue *c = NULL;
	struct selection s = {0};
	int rc;

	if (!cx_profile_valid_id(p->regime)) {
		cx_perr(l, root, "profile@extends", "pkg.profile.extends",
		        CX_ARGS("extends", p->regime != NULL ? p->regime : ""),
		        "extends must name a catalogue ([a-z0-9-]), not \"%s\"",
		        p->regime != NULL ? p->regime : "");
		return CX_ESCHEMA;
	}
	rc = cx_catalogue_load(catalogue_dir, p->regime, schema_dir, &c, l->d);
	if (rc != CX_OK) {
		/* A catalogue that is absent or broken: the profile is. */
		if (rc != CX_ENOMEM) {
			cx_perr(l, root, "profile@extends",
			        "pkg.profile.catalogue-unreadable",
			        CX_ARGS("catalogue", p->regime),
			        "catalogue \"%s\" cannot be loaded", p->regime);
			rc = CX_ESCHEMA;
		}
		goto out;
	}
	p->regime_version = cx_strdup(c->version);
	if (p->regime_version == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	rc = select_reqs(l, root, c, &s);
	if (rc == CX_OK)
		rc = take_reqs(c, &s, p);
	if (rc == CX_OK)
		rc = load_params(l, root, c, p);
	if (rc == CX_OK)
		rc = load_grounds(l, root, p);
	if (rc == CX_OK)
		take_basis(c, p);
out:
	free(s.take);
	free(s.seen);
	free(s.sev);
	cx_catalogue_free(c);
	return rc;
}

/* The folder of path ("." when it has none), as a new string. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return cx_strdup(".");
	if (slash == path)
		return cx_strdup("/");
	return cx_strndup(path, (size_t)(slash - path));
}

int cx_profile_load_from(const char *path, const char *catalogue_dir,
                         const char *schema_dir, struct cx_profile **out,
                         struct cx_diags *diags)
{
	struct ploader l = {0};
	struct cx_profile *p = NULL;
	char *own_dir = NULL;
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
	rc = cx_pread(&l, "profile", schema_dir, &doc, &root);
	if (rc != CX_OK)
		goto out;
	if (catalogue_dir == NULL) {
		own_dir = dir_of(path);
		if (own_dir == NULL) {
			rc = CX_ENOMEM;
			goto out;
		}
		catalogue_dir = own_dir;
	}
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	p->path = cx_strdup(path);
	p->id = cx_pattr(&l, root, "id");
	p->version = cx_pattr(&l, root, "version");
	p->object_type = cx_pattr(&l, root, "object-type");
	p->regime = cx_pattr(&l, root, "extends");
	cx_plangs(&l, root, "title", 1, p->titles);
	p->title = p->titles[CX_LANG_EN];
	if (p->path == NULL || l.oom) {
		rc = CX_ENOMEM;
		goto out;
	}
	if (p->id == NULL || p->version == NULL)
		cx_perr(&l, root, "profile", "pkg.profile.id-version", NULL,
		        "the profile needs an id and a version");
	if (!known_type(p->object_type))
		cx_perr(&l, root, "profile@object-type",
		        "pkg.profile.object-type",
		        CX_ARGS("type",
		                p->object_type != NULL ? p->object_type : ""),
		        "unknown object type \"%s\"",
		        p->object_type != NULL ? p->object_type : "");
	rc = cx_pstatus(&l, resolve(&l, root, catalogue_dir, schema_dir, p));
	if (rc != CX_OK)
		goto out;
	*out = p;
	p = NULL;
out:
	cx_profile_free(p);
	free(own_dir);
	xmlFreeDoc(doc);
	return rc;
}

int cx_profile_load(const char *path, const char *schema_dir,
                    struct cx_profile **out, struct cx_diags *diags)
{
	return cx_profile_load_from(path, NULL, schema_dir, out, diags);
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
	if (profiles_dir == NULL || !cx_profile_valid_id(id)) {
		if (diags != NULL &&
		    (cx_diag_add(diags, "(profile)", 0, "profile",
		                 "\"%s\" is not a profile id (lower-case "
		                 "letters, digits and '-')",
		                 id != NULL ? id : "") ||
		     cx_diag_set_msg(diags, "pkg.profile.bad-id",
		                     CX_ARGS("id", id != NULL ? id : ""))))
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
	rc = cx_profile_load_from(path, profiles_dir, schema, &p, diags);
	if (rc != CX_OK)
		goto out;
	if (p->id == NULL || strcmp(p->id, id) != 0) {
		rc = CX_ESCHEMA;
		if (diags != NULL &&
		    (cx_diag_add(diags, path, 0, "profile@id",
		                 "the file declares profile id \"%s\", "
		                 "expected \"%s\"",
		                 p->id != NULL ? p->id : "", id) ||
		     cx_diag_set_msg(diags, "pkg.profile.id-mismatch",
		                     CX_ARGS("given",
		                             p->id != NULL ? p->id : "",
		                             "expected", id))))
			rc = CX_ENOMEM;
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

/* 1 if the file at path is an XML document whose root is <profile>. */
static int is_profile_file(const char *path)
{
	xmlDocPtr doc = NULL;
	int yes;

	if (cx_xml_parse_file(path, CX_PROFILE_MAX_SIZE, &doc, NULL) != CX_OK)
		return 1; /* let the loader say what is wrong with it */
	yes = cx_xml_is(xmlDocGetRootElement(doc), "profile");
	xmlFreeDoc(doc);
	return yes;
}

static int cmp_name(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;

	return strcmp(*x, *y);
}

/* The names of the *.xml files in dir, sorted; *n of them. */
static int xml_names(const char *dir, char ***out, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t cap = 0;
	int rc = CX_OK;

	*out = NULL;
	*n = 0;
	if (d == NULL)
		return CX_ENOENT;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0)
			continue;
		if (*n == cap) {
			char **w = realloc(v, (cap ? cap * 2 : 8) * sizeof(*v));

			if (w == NULL) {
				rc = CX_ENOMEM;
				break;
			}
			v = w;
			cap = cap ? cap * 2 : 8;
		}
		v[*n] = cx_strndup(e->d_name, len - 4);
		if (v[*n] == NULL) {
			rc = CX_ENOMEM;
			break;
		}
		(*n)++;
	}
	closedir(d);
	if (v != NULL)
		qsort(v, *n, sizeof(*v), cmp_name);
	*out = v;
	return rc;
}

int cx_profile_check_dir(const char *profiles_dir, size_t *n_profiles,
                         struct cx_diags *diags)
{
	char **names = NULL;
	size_t n = 0, i, found = 0;
	int rc, bad = 0;

	if (n_profiles != NULL)
		*n_profiles = 0;
	if (profiles_dir == NULL)
		return CX_EINVAL;
	rc = xml_names(profiles_dir, &names, &n);
	if (rc == CX_ENOENT && diags != NULL &&
	    (cx_diag_add(diags, profiles_dir, 0, NULL,
	                 "the profiles folder cannot be read") ||
	     cx_diag_set_msg(diags, "pkg.profile.folder", NULL)))
		rc = CX_ENOMEM;
	for (i = 0; rc == CX_OK && i < n; i++) {
		struct cx_profile *p = NULL;
		char *file = cx_asprintf("%s.xml", names[i]);
		char *path =
		    file != NULL ? cx_path_join(profiles_dir, file) : NULL;
		int r;

		if (path == NULL) {
			rc = CX_ENOMEM;
		} else if (is_profile_file(path)) {
			found++;
			r = cx_profile_load_id(profiles_dir, names[i], &p,
			                       diags);
			if (r == CX_ENOMEM)
				rc = r;
			else if (r != CX_OK)
				bad = 1;
		}
		cx_profile_free(p);
		free(file);
		free(path);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (n_profiles != NULL)
		*n_profiles = found;
	if (rc == CX_OK && bad)
		rc = CX_ESCHEMA;
	return rc;
}

void cx_profile_free(struct cx_profile *p)
{
	int k;

	if (p == NULL)
		return;
	free(p->path);
	free(p->id);
	free(p->version);
	for (k = 0; k < CX_LANG_COUNT; k++)
		free(p->titles[k]);
	free(p->object_type);
	free(p->regime);
	free(p->regime_version);
	cx_pcontent_free(p->basis, p->n_basis, p->reqs, p->n_reqs, p->params,
	                 p->n_params);
	for (k = 0; k < (int)p->n_grounds; k++) {
		free(p->grounds[k].req);
		free(p->grounds[k].block);
	}
	free(p->grounds);
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
