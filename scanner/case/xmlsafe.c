/*
 * certexam — the one safe way to parse XML with libxml2 (see xmlsafe.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>

#include "certexam/error.h"
#include "certexam/escape.h"
#include "certexam/i18n.h"
#include "certexam/util.h"
#include "xmlsafe.h"
#include "xmlsafe_int.h"

/* No more diagnostics than this from one parse or one validation. */
#define MAX_DIAGS 100

static void silent_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/*
 * One problem: text is its English words, id its message id (pkg.xml.*)
 * and args the id's parameters, so that the terminal words it in its
 * language.  Raw text from libxml2 or the document is made printable by
 * the caller (cx_xs_on_error) before it becomes an argument.
 */
void cx_xs_put_diag(struct err_state *st, int warning, long line,
                    const char *field, const char *id, const char *const *args,
                    const char *text)
{
	int rc;

	if (st->d == NULL)
		return;
	if (st->n == MAX_DIAGS) {
		char max[16];
		st->n++;
		snprintf(max, sizeof(max), "%d", MAX_DIAGS);
		if (cx_diag_add(st->d, st->name, 0, NULL,
		                "more than %d problems; the rest are not "
		                "listed",
		                MAX_DIAGS) ||
		    cx_diag_set_msg(st->d, "pkg.xml.too-many",
		                    CX_ARGS("max", max)))
			st->oom = 1;
		return;
	}
	if (st->n > MAX_DIAGS)
		return;
	st->n++;
	if (warning)
		rc = cx_diag_warn(st->d, st->name, line, field, "%s", text);
	else
		rc = cx_diag_add(st->d, st->name, line, field, "%s", text);
	if (rc == CX_OK)
		rc = cx_diag_set_msg(st->d, id, args);
	if (rc)
		st->oom = 1;
}

/* A file-level problem (line 0) with its message id; CX_ENOMEM or 0. */
int cx_xs_file_diag(struct cx_diags *d, const char *file, const char *id,
                    const char *const *args, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int cx_xs_file_diag(struct cx_diags *d, const char *file, const char *id,
                    const char *const *args, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = cx_diag_vadd(d, 0, file, 0, NULL, fmt, ap);
	va_end(ap);
	if (rc == CX_OK)
		rc = cx_diag_set_msg(d, id, args);
	return rc;
}

/* A problem of ours, without parameters. */
void cx_xs_add_diag(struct err_state *st, int warning, long line,
                    const char *field, const char *id, const char *text)
{
	cx_xs_put_diag(st, warning, line, field, id, NULL, text);
}

/*
 * A problem libxml2 reported: our sentence (the schema, the syntax or the
 * reader; the element or attribute when known) with libxml2's English
 * text as the raw detail, made printable (it may quote document bytes).
 * The English templates are the en catalog's texts of the ids.
 */
static void add_lib_diag(struct err_state *st, int warning, long line,
                         const char *field, int domain, const char *msg)
{
	static const char schema_at[] =
	    "the element or attribute {field} does not match the schema of "
	    "the document (libxml2: {detail})";
	static const char schema[] = "the document does not match its schema "
	                             "(libxml2: {detail})";
	static const char syntax[] = "the document is not well-formed XML "
	                             "(libxml2: {detail})";
	static const char reader[] = "the XML reader reported a problem "
	                             "(libxml2: {detail})";
	const char *id, *tmpl;
	struct cx_buf text = {0};
	char *clean;
	size_t n;

	if (st->d == NULL)
		return;
	n = msg != NULL ? strlen(msg) : 0;
	while (n > 0 &&
	       (msg[n - 1] == '\n' || msg[n - 1] == ' ' || msg[n - 1] == '\r'))
		n--;
	clean = cx_text_from_bytes(msg != NULL ? msg : "", n);
	if (clean == NULL) {
		st->oom = 1;
		return;
	}
	if (domain == XML_FROM_SCHEMASV || domain == XML_FROM_VALID) {
		id = field != NULL ? "pkg.xml.schema-at" : "pkg.xml.schema";
		tmpl = field != NULL ? schema_at : schema;
	} else if (domain == XML_FROM_PARSER || domain == XML_FROM_NAMESPACE) {
		id = "pkg.xml.syntax";
		tmpl = syntax;
	} else {
		id = "pkg.xml.reader";
		tmpl = reader;
	}
	if (cx_msg_format(&text, tmpl,
	                  CX_ARGS("field", field ? field : "", "detail",
	                          clean)) != CX_OK ||
	    text.data == NULL)
		st->oom = 1;
	else
		cx_xs_put_diag(st, warning, line, field, id,
		               CX_ARGS("field", field, "detail", clean),
		               text.data);
	cx_buf_free(&text);
	free(clean);
}

/* The element (or "element@attribute") an error is about, or NULL. */
static char *node_field(xmlNodePtr node, long *line)
{
	if (node == NULL)
		return NULL;
	if (node->type == XML_ATTRIBUTE_NODE) {
		xmlNodePtr parent = node->parent;

		if (parent != NULL && *line <= 0)
			*line = xmlGetLineNo(parent);
		return cx_asprintf("%s@%s",
		                   parent != NULL && parent->name != NULL
		                       ? (const char *)parent->name
		                       : "",
		                   node->name != NULL ? (const char *)node->name
		                                      : "");
	}
	if (node->type != XML_ELEMENT_NODE)
		return NULL;
	if (*line <= 0)
		*line = xmlGetLineNo(node);
	return cx_strdup((const char *)node->name);
}

void cx_xs_on_error(void *data, CX_XML_ERROR *err)
{
	struct err_state *st = data;
	char *field = NULL;
	char *safe_field = NULL;
	long line;

	if (st == NULL || err == NULL)
		return;
	if (err->level == XML_ERR_NONE)
		return;
	/* libxml2 follows some facet errors with this internal remark. */
	if (err->message != NULL &&
	    strstr(err->message, "No precomputed value available") != NULL)
		return;
	line = err->line;
	if (err->node != NULL)
		field = node_field((xmlNodePtr)err->node, &line);
	if (field != NULL) {
		safe_field = cx_text_from_bytes(field, strlen(field));
		free(field);
	}
	add_lib_diag(st, err->level == XML_ERR_WARNING, line < 0 ? 0 : line,
	             safe_field, err->domain, err->message);
	free(safe_field);
}

void cx_xs_guard_enter(struct err_guard *g, struct err_state *st)
{
	xmlInitParser();
	g->serror = xmlStructuredError;
	g->sctx = xmlStructuredErrorContext;
	g->gerror = xmlGenericError;
	g->gctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(st, cx_xs_on_error);
	xmlSetGenericErrorFunc(NULL, silent_generic);
}

void cx_xs_guard_leave(const struct err_guard *g)
{
	xmlSetStructuredErrorFunc(g->sctx, g->serror);
	xmlSetGenericErrorFunc(g->gctx, g->gerror);
}

static long ctxt_line(xmlParserCtxtPtr ctxt)
{
	if (ctxt != NULL && ctxt->input != NULL)
		return ctxt->input->line;
	return 0;
}

/*
 * SAX hook: called when the parser has read <!DOCTYPE name ...> and before
 * it reads an internal subset.  Our formats have no DTD; stop here, so
 * that no entity is ever declared, loaded or expanded.
 */
static void refuse_doctype(void *ctx, const xmlChar *name,
                           const xmlChar *external_id, const xmlChar *system_id)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct err_state *st = ctxt->_private;

	(void)name;
	(void)external_id;
	(void)system_id;
	if (st != NULL && !st->refused) {
		st->refused = 1;
		cx_xs_add_diag(st, 0, ctxt_line(ctxt), "DOCTYPE",
		               "pkg.xml.doctype",
		               "a DOCTYPE declaration is not allowed (document "
		               "type definitions and entities are refused for "
		               "safety); remove it");
	}
	xmlStopParser(ctxt);
}

/* SAX hook: an entity declaration (never reached after refuse_doctype). */
static void refuse_entity(void *ctx, const xmlChar *name, int type,
                          const xmlChar *public_id, const xmlChar *system_id,
                          xmlChar *content)
{
	xmlParserCtxtPtr ctxt = ctx;
	struct err_state *st = ctxt->_private;

	(void)name;
	(void)type;
	(void)public_id;
	(void)system_id;
	(void)content;
	if (st != NULL && !st->refused) {
		st->refused = 1;
		cx_xs_add_diag(st, 0, ctxt_line(ctxt), "ENTITY",
		               "pkg.xml.entity",
		               "entity declarations are not allowed");
	}
	xmlStopParser(ctxt);
}

static void refuse_external_subset(void *ctx, const xmlChar *name,
                                   const xmlChar *external_id,
                                   const xmlChar *system_id)
{
	refuse_doctype(ctx, name, external_id, system_id);
}

/* References to undeclared entities: never resolve anything. */
static xmlEntityPtr no_entity(void *ctx, const xmlChar *name)
{
	(void)ctx;
	(void)name;
	return NULL;
}

int cx_xml_parse_memory(const char *buf, size_t len, const char *name,
                        xmlDocPtr *out, struct cx_diags *d)
{
	struct err_state st = {0};
	struct err_guard g;
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	int rc = CX_OK;
	int guarded = 0;

	if (out == NULL)
		return CX_EINVAL;
	*out = NULL;
	st.d = d;
	st.name = name != NULL ? name : "(memory)";
	if (buf == NULL || len == 0) {
		cx_xs_add_diag(&st, 0, 0, NULL, "pkg.xml.empty",
		               "empty document");
		return st.oom ? CX_ENOMEM : CX_EPARSE;
	}
	if (len > CX_XML_MAX_SIZE) {
		char max[24];
		snprintf(max, sizeof(max), "%zu", (size_t)CX_XML_MAX_SIZE);
		if (d != NULL &&
		    cx_xs_file_diag(d, st.name, "pkg.xml.doc-too-large",
		                    CX_ARGS("max", max),
		                    "document is larger than %s bytes", max))
			return CX_ENOMEM;
		return CX_ELIMIT;
	}

	cx_xs_guard_enter(&g, &st);
	guarded = 1;
	ctxt = xmlCreateMemoryParserCtxt(buf, (int)len);
	if (ctxt == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	ctxt->_private = &st;
	xmlCtxtUseOptions(ctxt, SAFE_OPTIONS);
	if (ctxt->sax != NULL) {
		ctxt->sax->internalSubset = refuse_doctype;
		ctxt->sax->externalSubset = refuse_external_subset;
		ctxt->sax->entityDecl = refuse_entity;
		ctxt->sax->unparsedEntityDecl = NULL;
		ctxt->sax->getEntity = no_entity;
		ctxt->sax->getParameterEntity = no_entity;
		ctxt->sax->resolveEntity = NULL;
	}
	ctxt->loadsubset = 0;
	ctxt->replaceEntities = 0;
	ctxt->validate = 0;
	xmlParseDocument(ctxt);
	doc = ctxt->myDoc;
	ctxt->myDoc = NULL;
	if (st.oom) {
		rc = CX_ENOMEM;
		goto out;
	}
	if (st.refused) {
		rc = CX_EPARSE;
		goto out;
	}
	if (!ctxt->wellFormed || doc == NULL) {
		if (st.n == 0)
			cx_xs_add_diag(&st, 0, ctxt_line(ctxt), NULL,
			               "pkg.xml.not-wellformed",
			               "document is not well-formed XML");
		rc = st.oom ? CX_ENOMEM : CX_EPARSE;
		goto out;
	}
	/* Defence in depth: no DTD may have survived. */
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		cx_xs_add_diag(&st, 0, 0, "DOCTYPE", "pkg.xml.doctype-short",
		               "a DOCTYPE declaration is not allowed");
		rc = CX_EPARSE;
		goto out;
	}
	if (xmlDocGetRootElement(doc) == NULL) {
		cx_xs_add_diag(&st, 0, 0, NULL, "pkg.xml.no-root",
		               "document has no root element");
		rc = CX_EPARSE;
		goto out;
	}
	*out = doc;
	doc = NULL;
out:
	if (doc != NULL)
		xmlFreeDoc(doc);
	if (ctxt != NULL) {
		ctxt->_private = NULL;
		xmlFreeParserCtxt(ctxt);
	}
	if (guarded)
		cx_xs_guard_leave(&g);
	if (rc == CX_ENOMEM && d != NULL)
		(void)cx_xs_file_diag(d, st.name, "pkg.xml.nomem", NULL,
		                      "out of memory");
	return rc;
}

int cx_xml_parse_file(const char *path, size_t max, xmlDocPtr *out,
                      struct cx_diags *d)
{
	char *data = NULL, maxs[24];
	size_t len = 0;
	int rc;

	if (out == NULL)
		return CX_EINVAL;
	*out = NULL;
	if (path == NULL)
		return CX_EINVAL;
	if (max == 0 || max > CX_XML_MAX_SIZE)
		max = CX_XML_MAX_SIZE;
	snprintf(maxs, sizeof(maxs), "%zu", max);
	rc = cx_read_file(path, max, &data, &len);
	if (rc == CX_ENOENT) {
		if (d != NULL && cx_xs_file_diag(d, path, "pkg.xml.no-file",
		                                 NULL, "file does not exist"))
			rc = CX_ENOMEM;
		goto out;
	}
	if (rc == CX_ELIMIT) {
		if (d != NULL &&
		    cx_xs_file_diag(d, path, "pkg.xml.file-too-large",
		                    CX_ARGS("max", maxs),
		                    "file is larger than %s bytes", maxs))
			rc = CX_ENOMEM;
		goto out;
	}
	if (rc != CX_OK) {
		if (d != NULL &&
		    cx_xs_file_diag(d, path, "pkg.xml.unreadable",
		                    CX_ARGS("error", cx_err_name(rc)),
		                    "cannot read the file (%s)",
		                    cx_err_name(rc)))
			rc = CX_ENOMEM;
		goto out;
	}
	rc = cx_xml_parse_memory(data, len, path, out, d);
out:
	free(data);
	return rc;
}

int cx_xml_validate(xmlDocPtr doc, const char *xsd_path, const char *name,
                    struct cx_diags *d)
{
	struct err_state xsd_st = {0};
	struct err_state doc_st = {0};
	struct err_guard g;
	xmlDocPtr sdoc = NULL;
	xmlSchemaParserCtxtPtr pctxt = NULL;
	xmlSchemaPtr schema = NULL;
	xmlSchemaValidCtxtPtr vctxt = NULL;
	int rc, ret, guarded = 0;

	if (doc == NULL || xsd_path == NULL)
		return CX_EINVAL;
	rc = cx_xml_parse_file(xsd_path, 0, &sdoc, d);
	if (rc != CX_OK)
		return rc;
	xsd_st.d = d;
	xsd_st.name = xsd_path;
	doc_st.d = d;
	doc_st.name = name != NULL       ? name
	              : doc->URL != NULL ? (const char *)doc->URL
	                                 : "(document)";
	cx_xs_guard_enter(&g, &xsd_st);
	guarded = 1;
	pctxt = xmlSchemaNewDocParserCtxt(sdoc);
	if (pctxt == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	xmlSchemaSetParserStructuredErrors(pctxt, cx_xs_on_error, &xsd_st);
	schema = xmlSchemaParse(pctxt);
	if (schema == NULL) {
		if (xsd_st.n == 0)
			cx_xs_add_diag(&xsd_st, 0, 0, NULL,
			               "pkg.xml.schema-broken",
			               "the schema could not be compiled");
		rc = xsd_st.oom ? CX_ENOMEM : CX_EPARSE;
		goto out;
	}
	vctxt = xmlSchemaNewValidCtxt(schema);
	if (vctxt == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	xmlSetStructuredErrorFunc(&doc_st, cx_xs_on_error);
	xmlSchemaSetValidStructuredErrors(vctxt, cx_xs_on_error, &doc_st);
	ret = xmlSchemaValidateDoc(vctxt, doc);
	if (doc_st.oom) {
		rc = CX_ENOMEM;
		goto out;
	}
	if (ret != 0) {
		if (doc_st.n == 0)
			cx_xs_add_diag(
			    &doc_st, 0, 0, NULL,
			    ret < 0 ? "pkg.xml.schema-internal"
			            : "pkg.xml.schema-mismatch",
			    ret < 0 ? "schema validation failed "
			              "(internal error)"
			            : "document does not match its schema");
		rc = CX_ESCHEMA;
		goto out;
	}
	rc = CX_OK;
out:
	if (vctxt != NULL)
		xmlSchemaFreeValidCtxt(vctxt);
	if (schema != NULL)
		xmlSchemaFree(schema);
	if (pctxt != NULL)
		xmlSchemaFreeParserCtxt(pctxt);
	if (guarded)
		cx_xs_guard_leave(&g);
	xmlFreeDoc(sdoc);
	return rc;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char *trimmed_copy(const char *s)
{
	size_t b = 0, e;

	if (s == NULL)
		return cx_strdup("");
	e = strlen(s);
	while (b < e && is_space(s[b]))
		b++;
	while (e > b && is_space(s[e - 1]))
		e--;
	return cx_strndup(s + b, e - b);
}

char *cx_xml_text(xmlNodePtr n)
{
	xmlChar *c;
	char *s;

	if (n == NULL)
		return NULL;
	c = xmlNodeGetContent(n);
	s = trimmed_copy((const char *)c);
	xmlFree(c);
	return s;
}

char *cx_xml_attr(xmlNodePtr n, const char *name)
{
	xmlChar *c;
	char *s;

	if (n == NULL || name == NULL || n->type != XML_ELEMENT_NODE)
		return NULL;
	c = xmlGetNoNsProp(n, (const xmlChar *)name);
	if (c == NULL)
		return NULL;
	s = trimmed_copy((const char *)c);
	xmlFree(c);
	return s;
}

int cx_xml_is(xmlNodePtr n, const char *name)
{
	if (n == NULL || n->type != XML_ELEMENT_NODE)
		return 0;
	if (name == NULL)
		return 1;
	return n->name != NULL && strcmp((const char *)n->name, name) == 0;
}

xmlNodePtr cx_xml_child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr c;

	if (parent == NULL)
		return NULL;
	for (c = parent->children; c != NULL; c = c->next)
		if (cx_xml_is(c, name))
			return c;
	return NULL;
}

xmlNodePtr cx_xml_next(xmlNodePtr cur, const char *name)
{
	xmlNodePtr c;

	if (cur == NULL)
		return NULL;
	for (c = cur->next; c != NULL; c = c->next)
		if (cx_xml_is(c, name))
			return c;
	return NULL;
}

long cx_xml_line(xmlNodePtr n)
{
	long l;

	if (n == NULL)
		return 0;
	l = xmlGetLineNo(n);
	return l < 0 ? 0 : l;
}

int cx_xml_validate_in(xmlDocPtr doc, const char *schema_dir,
                       const char *xsd_file, const char *name,
                       struct cx_diags *d)
{
	char *xsd;
	int rc;

	if (schema_dir == NULL)
		return CX_OK;
	xsd = cx_path_join(schema_dir, xsd_file);
	if (xsd == NULL)
		return CX_ENOMEM;
	rc = cx_xml_validate(doc, xsd, name, d);
	free(xsd);
	return rc;
}
