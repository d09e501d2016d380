/*
 * certexam — the base catalogue of requirements of one legal regime
 * (profiles/<regime>/requirements.xml, validated against
 * profiles/schema/profile.xsd, <catalogue>), and the XML helpers it shares with
 * the profile loader (scanner/case/profile.c).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/lang.h"
#include "certexam/profile.h"
#include "certexam/util.h"
#include "profile_xml.h"

void cx_perr(struct ploader *l, xmlNodePtr n, const char *field,
             const char *msg, const char *const *args, const char *fmt, ...)
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
	    (cx_diag_add(l->d, l->file, cx_xml_line(n), field, "%s", b.data) ||
	     cx_diag_set_msg(l->d, msg, args)))
		l->oom = 1;
	cx_buf_free(&b);
}

char *cx_pflat(struct ploader *l, xmlNodePtr n)
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

char *cx_pattr(struct ploader *l, xmlNodePtr n, const char *name)
{
	char *s = cx_xml_attr(n, name);

	if (s == NULL && xmlHasProp(n, (const xmlChar *)name) != NULL)
		l->oom = 1;
	return s;
}

size_t cx_pcount(xmlNodePtr parent, const char *name)
{
	xmlNodePtr c;
	size_t n = 0;

	for (c = cx_xml_child(parent, name); c != NULL;
	     c = cx_xml_next(c, name))
		n++;
	return n;
}

void cx_plangs(struct ploader *l, xmlNodePtr parent, const char *name,
               int required, char *out[CX_LANG_COUNT])
{
	xmlNodePtr c;
	int i, have = 0;

	for (c = cx_xml_child(parent, name); c != NULL;
	     c = cx_xml_next(c, name)) {
		char *code = cx_pattr(l, c, "lang");
		int lang = cx_lang_parse(code);

		if (lang < 0) {
			cx_perr(l, c, name, "pkg.catalogue.lang-bad",
			        CX_ARGS("element", name, "lang",
			                code != NULL ? code : ""),
			        "<%s> needs lang=\"kk\", \"ru\" or "
			        "\"en\", not \"%s\"",
			        name, code != NULL ? code : "");
		} else if (out[lang] != NULL) {
			cx_perr(l, c, name, "pkg.catalogue.lang-twice",
			        CX_ARGS("element", name, "lang", code),
			        "<%s lang=\"%s\"> is given twice", name, code);
		} else {
			out[lang] = cx_pflat(l, c);
			if (out[lang] != NULL && out[lang][0] == '\0')
				cx_perr(l, c, name, "pkg.catalogue.lang-empty",
				        CX_ARGS("element", name, "lang", code),
				        "<%s lang=\"%s\"> is empty", name,
				        code);
			have++;
		}
		free(code);
	}
	if (l->oom || (have == 0 && !required) || have == CX_LANG_COUNT)
		return;
	for (i = 0; i < CX_LANG_COUNT; i++)
		if (out[i] == NULL)
			cx_perr(l, parent, name, "pkg.catalogue.lang-missing",
			        CX_ARGS("element", name, "lang",
			                cx_lang_code((enum cx_lang)i)),
			        "<%s lang=\"%s\"> is missing", name,
			        cx_lang_code((enum cx_lang)i));
}

int cx_pread(struct ploader *l, const char *root_name, const char *schema_dir,
             xmlDocPtr *doc, xmlNodePtr *root)
{
	int rc;

	rc = cx_xml_parse_file(l->file, CX_PROFILE_MAX_SIZE, doc, l->d);
	if (rc != CX_OK)
		return rc;
	*root = xmlDocGetRootElement(*doc);
	if (!cx_xml_is(*root, root_name)) {
		cx_perr(l, *root,
		        *root != NULL ? (const char *)(*root)->name : NULL,
		        "pkg.profile.root", CX_ARGS("element", root_name),
		        "the root element must be <%s>", root_name);
		return CX_ESCHEMA;
	}
	return cx_xml_validate_in(*doc, schema_dir, "profile.xsd", l->file,
	                          l->d);
}

int cx_pparam(struct ploader *l, xmlNodePtr n, struct cx_param *q)
{
	q->name = cx_pattr(l, n, "name");
	q->value = cx_pattr(l, n, "value");
	if (q->name != NULL && q->value != NULL)
		return 1;
	free(q->name);
	free(q->value);
	q->name = NULL;
	q->value = NULL;
	if (!l->oom)
		cx_perr(l, n, "param", "pkg.profile.param", NULL,
		        "a parameter needs a name and a value");
	return 0;
}

int cx_profile_valid_id(const char *id)
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

static int load_basis(struct ploader *l, xmlNodePtr root,
                      struct cx_catalogue *c)
{
	xmlNodePtr list = cx_xml_child(root, "basis");
	xmlNodePtr n;
	size_t count = cx_pcount(list, "document"), i;

	if (count == 0)
		return CX_OK;
	c->basis = calloc(count, sizeof(*c->basis));
	if (c->basis == NULL)
		return CX_ENOMEM;
	for (n = cx_xml_child(list, "document"); n != NULL;
	     n = cx_xml_next(n, "document")) {
		struct cx_basis *b = &c->basis[c->n_basis++];

		b->id = cx_pattr(l, n, "id");
		cx_plangs(l, n, "title", 1, b->titles);
		b->title = b->titles[CX_LANG_EN];
		if (b->id == NULL && !l->oom)
			cx_perr(l, n, "document", "pkg.catalogue.doc-id", NULL,
			        "a document needs an id");
		for (i = 0; b->id != NULL && i + 1 < c->n_basis; i++)
			if (c->basis[i].id != NULL &&
			    strcmp(c->basis[i].id, b->id) == 0)
				cx_perr(l, n, "document@id",
				        "pkg.catalogue.doc-twice",
				        CX_ARGS("document", b->id),
				        "document %s is defined twice", b->id);
	}
	return l->oom ? CX_ENOMEM : CX_OK;
}

/* 1 if the catalogue names a basis document with this id. */
static int has_basis(const struct cx_catalogue *c, const char *id)
{
	size_t i;

	for (i = 0; id != NULL && i < c->n_basis; i++)
		if (c->basis[i].id != NULL && strcmp(c->basis[i].id, id) == 0)
			return 1;
	return 0;
}

static void load_clauses(struct ploader *l, xmlNodePtr n,
                         const struct cx_catalogue *c, struct cx_requirement *r)
{
	size_t count = cx_pcount(n, "clause");
	xmlNodePtr k;

	if (r->kind == CX_REQ_NORMATIVE && count == 0) {
		cx_perr(l, n, "requirement@kind", "pkg.catalogue.no-clause",
		        CX_ARGS("requirement", r->id != NULL ? r->id : ""),
		        "normative requirement %s names no <clause>",
		        r->id != NULL ? r->id : "");
		return;
	}
	if (r->kind == CX_REQ_PRACTICE && count > 0) {
		cx_perr(l, n, "clause", "pkg.catalogue.practice-clause",
		        CX_ARGS("requirement", r->id != NULL ? r->id : ""),
		        "requirement %s is good practice: it cites no clause",
		        r->id != NULL ? r->id : "");
		return;
	}
	if (count == 0)
		return;
	r->clauses = calloc(count, sizeof(*r->clauses));
	if (r->clauses == NULL) {
		l->oom = 1;
		return;
	}
	for (k = cx_xml_child(n, "clause"); k != NULL;
	     k = cx_xml_next(k, "clause")) {
		struct cx_clause *q = &r->clauses[r->n_clauses++];

		q->doc = cx_pattr(l, k, "doc");
		q->ref = cx_pattr(l, k, "ref");
		if (l->oom)
			return;
		if (q->ref == NULL || q->ref[0] == '\0')
			cx_perr(l, k, "clause@ref", "pkg.catalogue.clause-ref",
			        NULL, "a clause needs a ref");
		if (!has_basis(c, q->doc))
			cx_perr(l, k, "clause@doc", "pkg.catalogue.clause-doc",
			        CX_ARGS("requirement",
			                r->id != NULL ? r->id : "", "document",
			                q->doc != NULL ? q->doc : ""),
			        "clause of %s names document \"%s\", which "
			        "<basis> does not list",
			        r->id != NULL ? r->id : "",
			        q->doc != NULL ? q->doc : "");
	}
}

static void load_req(struct ploader *l, xmlNodePtr n,
                     const struct cx_catalogue *c, struct cx_requirement *r)
{
	char *sev = cx_pattr(l, n, "severity");
	char *kind = cx_pattr(l, n, "kind");
	int v;

	r->id = cx_pattr(l, n, "id");
	r->block = cx_pattr(l, n, "block");
	v = cx_severity_parse(sev);
	if (v < 0)
		cx_perr(l, n, "requirement@severity", "pkg.catalogue.severity",
		        CX_ARGS("severity", sev != NULL ? sev : ""),
		        "unknown severity \"%s\"", sev != NULL ? sev : "");
	r->severity = v < 0 ? CX_SEV_HIGH : (enum cx_severity)v;
	v = cx_req_kind_parse(kind);
	if (v < 0)
		cx_perr(l, n, "requirement@kind", "pkg.catalogue.kind",
		        CX_ARGS("kind", kind != NULL ? kind : ""),
		        "kind must be \"normative\" or \"practice\", not "
		        "\"%s\"",
		        kind != NULL ? kind : "");
	r->kind = v < 0 ? CX_REQ_NORMATIVE : (enum cx_req_kind)v;
	free(sev);
	free(kind);
	if ((r->id == NULL || r->block == NULL) && !l->oom)
		cx_perr(l, n, "requirement", "pkg.catalogue.id-block", NULL,
		        "a requirement needs an id and "
		        "a block");
	cx_plangs(l, n, "text", 1, r->texts);
	cx_plangs(l, n, "recommendation", 0, r->recommendations);
	cx_plangs(l, n, "source", 1, r->sources);
	r->text = r->texts[CX_LANG_EN];
	r->recommendation = r->recommendations[CX_LANG_EN];
	r->source = r->sources[CX_LANG_EN];
	if (!l->oom)
		load_clauses(l, n, c, r);
}

/* Duplicate ids, through a sorted index (no pairwise scan). */
static int check_unique(struct ploader *l, xmlNodePtr list,
                        const struct cx_catalogue *c)
{
	const struct cx_requirement **ix;
	size_t i, n = 0;

	ix = calloc(c->n_reqs + 1, sizeof(*ix));
	if (ix == NULL)
		return CX_ENOMEM;
	for (i = 0; i < c->n_reqs; i++)
		if (c->reqs[i].id != NULL)
			ix[n++] = &c->reqs[i];
	qsort(ix, n, sizeof(*ix), cx_preq_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(ix[i - 1]->id, ix[i]->id) == 0)
			cx_perr(l, list, "requirement@id",
			        "pkg.catalogue.req-twice",
			        CX_ARGS("requirement", ix[i]->id),
			        "requirement %s is defined twice", ix[i]->id);
	free(ix);
	return CX_OK;
}

static int load_reqs(struct ploader *l, xmlNodePtr root, struct cx_catalogue *c)
{
	xmlNodePtr list = cx_xml_child(root, "requirements");
	xmlNodePtr n;
	size_t count = cx_pcount(list, "requirement");

	if (count == 0) {
		cx_perr(l, root, "requirements", "pkg.catalogue.empty", NULL,
		        "the catalogue defines no requirement");
		return CX_OK;
	}
	c->reqs = calloc(count, sizeof(*c->reqs));
	if (c->reqs == NULL)
		return CX_ENOMEM;
	for (n = cx_xml_child(list, "requirement"); n != NULL && !l->oom;
	     n = cx_xml_next(n, "requirement"))
		load_req(l, n, c, &c->reqs[c->n_reqs++]);
	if (l->oom)
		return CX_ENOMEM;
	return check_unique(l, list, c);
}

static int load_params(struct ploader *l, xmlNodePtr root,
                       struct cx_catalogue *c)
{
	xmlNodePtr list = cx_xml_child(root, "params");
	xmlNodePtr n;
	size_t count = cx_pcount(list, "param");

	if (count == 0)
		return CX_OK;
	c->params = calloc(count, sizeof(*c->params));
	if (c->params == NULL)
		return CX_ENOMEM;
	for (n = cx_xml_child(list, "param"); n != NULL;
	     n = cx_xml_next(n, "param"))
		if (cx_pparam(l, n, &c->params[c->n_params]))
			c->n_params++;
	return l->oom ? CX_ENOMEM : CX_OK;
}

int cx_catalogue_load(const char *dir, const char *regime,
                      const char *schema_dir, struct cx_catalogue **out,
                      struct cx_diags *diags)
{
	struct ploader l = {0};
	struct cx_catalogue *c = NULL;
	char *sub = NULL, *path = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	int rc;

	if (out == NULL)
		return CX_EINVAL;
	*out = NULL;
	if (dir == NULL || !cx_profile_valid_id(regime))
		return CX_EINVAL;
	sub = cx_path_join(dir, regime);
	path = sub != NULL ? cx_path_join(sub, "requirements.xml") : NULL;
	if (path == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	l.file = path;
	l.d = diags;
	rc = cx_pread(&l, "catalogue", schema_dir, &doc, &root);
	if (rc != CX_OK)
		goto out;
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	c->id = cx_pattr(&l, root, "id");
	c->version = cx_pattr(&l, root, "version");
	cx_plangs(&l, root, "title", 1, c->titles);
	if (c->id == NULL || strcmp(c->id, regime) != 0)
		cx_perr(&l, root, "catalogue@id", "pkg.catalogue.id-mismatch",
		        CX_ARGS("given", c->id != NULL ? c->id : "", "expected",
		                regime),
		        "the file declares catalogue id \"%s\", expected "
		        "\"%s\"",
		        c->id != NULL ? c->id : "", regime);
	if (c->version == NULL)
		cx_perr(&l, root, "catalogue", "pkg.catalogue.version", NULL,
		        "the catalogue needs a version");
	rc = load_basis(&l, root, c);
	if (rc == CX_OK)
		rc = load_reqs(&l, root, c);
	if (rc == CX_OK)
		rc = load_params(&l, root, c);
	rc = cx_pstatus(&l, rc);
	if (rc != CX_OK)
		goto out;
	*out = c;
	c = NULL;
out:
	cx_catalogue_free(c);
	xmlFreeDoc(doc);
	free(sub);
	free(path);
	return rc;
}

void cx_requirement_clear(struct cx_requirement *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->id);
	free(r->block);
	for (i = 0; i < CX_LANG_COUNT; i++) {
		free(r->texts[i]);
		free(r->recommendations[i]);
		free(r->sources[i]);
	}
	for (i = 0; i < r->n_clauses; i++) {
		free(r->clauses[i].doc);
		free(r->clauses[i].ref);
	}
	free(r->clauses);
	memset(r, 0, sizeof(*r));
}

void cx_pcontent_free(struct cx_basis *b, size_t nb, struct cx_requirement *r,
                      size_t nr, struct cx_param *q, size_t nq)
{
	size_t i;
	int k;

	for (i = 0; i < nb; i++) {
		free(b[i].id);
		for (k = 0; k < CX_LANG_COUNT; k++)
			free(b[i].titles[k]);
	}
	free(b);
	for (i = 0; i < nr; i++)
		cx_requirement_clear(&r[i]);
	free(r);
	for (i = 0; i < nq; i++) {
		free(q[i].name);
		free(q[i].value);
	}
	free(q);
}

void cx_catalogue_free(struct cx_catalogue *c)
{
	int k;

	if (c == NULL)
		return;
	free(c->id);
	free(c->version);
	for (k = 0; k < CX_LANG_COUNT; k++)
		free(c->titles[k]);
	cx_pcontent_free(c->basis, c->n_basis, c->reqs, c->n_reqs, c->params,
	                 c->n_params);
	free(c);
}
