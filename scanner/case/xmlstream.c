/*
 * certexam — cx_xml_stream_file (see xmlsafe.h): a document of any size
 * read element by element with libxml2's xmlTextReader, behind a byte
 * filter that bounds the file and each text span and refuses any DTD,
 * validated against its schema in the same pass.  Split from xmlsafe.c,
 * whose error state and handler guard it shares (xmlsafe_int.h).
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

/* The byte filter between the file and the parser. */
struct stream_src {
	int fd;
	struct err_state *st;
	unsigned long long total, max;
	char tail[16]; /* the last bytes of the previous read */
	size_t n_tail;
	int limit; /* max exceeded */
	/* the span bound, on the bytes before the parser sees them */
	size_t max_span;
	int state;          /* SPAN_TEXT, SPAN_LT, SPAN_TAG, SPAN_VALUE,
	                       SPAN_DECL */
	char quote;         /* the quote of the attribute value */
	size_t run;         /* bytes of the span so far */
	unsigned long line; /* 1-based line of the byte being read */
	int span_over;      /* a span longer than max_span */
};

enum { SPAN_TEXT, SPAN_LT, SPAN_TAG, SPAN_VALUE, SPAN_DECL };

/*
 * Follow the markup of n bytes well enough to measure every span of
 * character data: the text between '>' and '<', a quoted attribute value,
 * the body of a comment, PI or CDATA section (from "<!" or "<?" to the
 * next '>').  Raw bytes are at least as long as what they decode to, so a
 * document refused here has a longer text node or value; one over max
 * sets span_over and stops.
 */
static void span_scan(struct stream_src *src, const char *buf, size_t n)
{
	size_t i;

	for (i = 0; i < n && !src->span_over; i++) {
		char c = buf[i];

		if (c == '\n')
			src->line++;
		switch (src->state) {
		case SPAN_TEXT:
			if (c == '<') {
				src->state = SPAN_LT;
				src->run = 0;
			} else if (++src->run > src->max_span) {
				src->span_over = 1;
			}
			break;
		case SPAN_LT:
			src->state = c == '!' || c == '?' ? SPAN_DECL
			             : c == '>'           ? SPAN_TEXT
			                                  : SPAN_TAG;
			break;
		case SPAN_TAG:
			if (c == '"' || c == '\'') {
				src->quote = c;
				src->state = SPAN_VALUE;
				src->run = 0;
			} else if (c == '>') {
				src->state = SPAN_TEXT;
				src->run = 0;
			}
			break;
		case SPAN_VALUE:
			if (c == src->quote)
				src->state = SPAN_TAG;
			else if (++src->run > src->max_span)
				src->span_over = 1;
			break;
		case SPAN_DECL:
		default:
			if (c == '>') {
				src->state = SPAN_TEXT;
				src->run = 0;
			} else if (++src->run > src->max_span) {
				src->span_over = 1;
			}
			break;
		}
	}
}

/* 1 if "<!DOCTYPE" or "<!ENTITY" starts in s[0..n). */
static int declares_dtd(const char *s, size_t n)
{
	static const char *const bad[] = {"<!DOCTYPE", "<!ENTITY"};
	size_t i, k, l;

	for (i = 0; i < n; i++) {
		if (s[i] != '<')
			continue;
		for (k = 0; k < CX_ARRAY_LEN(bad); k++) {
			l = strlen(bad[k]);
			if (n - i >= l && memcmp(s + i, bad[k], l) == 0)
				return 1;
		}
	}
	return 0;
}

static int stream_read(void *ctx, char *buf, int len)
{
	struct stream_src *src = ctx;
	char win[16 + 64];
	ssize_t n;
	size_t w, head;

	if (src->st->refused || src->limit || src->span_over)
		return -1;
	do
		n = read(src->fd, buf, (size_t)len);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n < 0 ? -1 : 0;
	src->total += (unsigned long long)n;
	if (src->max > 0 && src->total > src->max) {
		src->limit = 1;
		return -1;
	}
	/* a declaration split between two reads: look across the seam */
	head = (size_t)n < 48 ? (size_t)n : 48;
	memcpy(win, src->tail, src->n_tail);
	memcpy(win + src->n_tail, buf, head);
	w = src->n_tail + head;
	if (declares_dtd(win, w) || declares_dtd(buf, (size_t)n)) {
		src->st->refused = 1;
		cx_xs_add_diag(src->st, 0, 0, "DOCTYPE",
		               "pkg.xml.doctype-entity",
		               "a DOCTYPE or ENTITY declaration is not allowed "
		               "(document type definitions and entities are "
		               "refused for safety); remove it");
		return -1;
	}
	span_scan(src, buf, (size_t)n);
	if (src->span_over)
		return -1;
	/* keep the last 15 bytes seen (a declaration is at most 9) */
	if ((size_t)n >= 15) {
		memcpy(src->tail, buf + n - 15, 15);
		src->n_tail = 15;
	} else {
		src->n_tail = w < 15 ? w : 15;
		memmove(src->tail, win + w - src->n_tail, src->n_tail);
	}
	return (int)n;
}

static int stream_close(void *ctx)
{
	(void)ctx;
	return 0; /* the fd is closed by cx_xml_stream_file */
}

static int is_container(const struct cx_xml_stream *s, const char *name)
{
	size_t i;

	for (i = 0; s->containers != NULL && s->containers[i] != NULL; i++)
		if (strcmp(s->containers[i], name) == 0)
			return 1;
	return 0;
}

/* Bytes of the text children of n (adjacent text nodes are one span). */
static size_t text_len(xmlNodePtr n)
{
	xmlNodePtr c;
	size_t len = 0;

	for (c = n->children; c != NULL; c = c->next)
		if ((c->type == XML_TEXT_NODE ||
		     c->type == XML_CDATA_SECTION_NODE) &&
		    c->content != NULL)
			len += strlen((const char *)c->content);
	return len;
}

/*
 * The span check of one element (its attributes and its own text; with
 * deep, of its whole subtree, walked without recursion).  A span over
 * max is diagnosed against the element's line: CX_ELIMIT.
 */
static int span_check(struct err_state *st, xmlNodePtr top, int deep,
                      size_t max)
{
	xmlNodePtr n = top;
	xmlAttrPtr a;
	char msg[192], ls[24], ms[24];
	size_t len;

	snprintf(ms, sizeof(ms), "%zu", max);

	while (n != NULL) {
		if (n->type == XML_ELEMENT_NODE) {
			for (a = n->properties; a != NULL; a = a->next) {
				len = text_len((xmlNodePtr)a);
				if (len <= max)
					continue;
				snprintf(msg, sizeof(msg),
				         "the value of attribute '%s' is %zu "
				         "bytes long, more than the %zu bytes "
				         "one value may hold",
				         a->name ? (const char *)a->name : "",
				         len, max);
				snprintf(ls, sizeof(ls), "%zu", len);
				cx_xs_put_diag(
				    st, 0, cx_xml_line(n),
				    (const char *)n->name,
				    "pkg.xml.attr-too-long",
				    CX_ARGS("attribute",
				            a->name ? (const char *)a->name
				                    : "",
				            "size", ls, "max", ms),
				    msg);
				return CX_ELIMIT;
			}
			len = text_len(n);
			if (len > max) {
				snprintf(msg, sizeof(msg),
				         "a text of %zu bytes, more than the "
				         "%zu bytes one text may hold",
				         len, max);
				snprintf(ls, sizeof(ls), "%zu", len);
				cx_xs_put_diag(st, 0, cx_xml_line(n),
				               (const char *)n->name,
				               "pkg.xml.text-too-long",
				               CX_ARGS("size", ls, "max", ms),
				               msg);
				return CX_ELIMIT;
			}
		}
		if (!deep)
			break;
		/* next in document order, never above top */
		if (n->children != NULL && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			continue;
		}
		while (n != top && n->next == NULL)
			n = n->parent;
		n = n == top ? NULL : n->next;
	}
	return CX_OK;
}

/* The schema at schema_dir/xsd_file, compiled; sdoc keeps its document. */
static int stream_schema(const char *schema_dir, const char *xsd_file,
                         xmlDocPtr *sdoc, xmlSchemaPtr *out, struct cx_diags *d)
{
	struct err_state xsd_st = {0};
	struct err_guard g;
	xmlSchemaParserCtxtPtr pctxt;
	char *xsd;
	int rc;

	*out = NULL;
	xsd = cx_path_join(schema_dir, xsd_file);
	if (xsd == NULL)
		return CX_ENOMEM;
	rc = cx_xml_parse_file(xsd, 0, sdoc, d);
	if (rc != CX_OK) {
		free(xsd);
		return rc;
	}
	xsd_st.d = d;
	xsd_st.name = xsd;
	cx_xs_guard_enter(&g, &xsd_st);
	pctxt = xmlSchemaNewDocParserCtxt(*sdoc);
	if (pctxt == NULL) {
		rc = CX_ENOMEM;
	} else {
		xmlSchemaSetParserStructuredErrors(pctxt, cx_xs_on_error,
		                                   &xsd_st);
		*out = xmlSchemaParse(pctxt);
		if (*out == NULL) {
			if (xsd_st.n == 0)
				cx_xs_add_diag(
				    &xsd_st, 0, 0, NULL,
				    "pkg.xml.schema-broken",
				    "the schema could not be compiled");
			rc = xsd_st.oom ? CX_ENOMEM : CX_EPARSE;
		}
		xmlSchemaFreeParserCtxt(pctxt);
	}
	cx_xs_guard_leave(&g);
	free(xsd);
	return rc;
}

int cx_xml_stream_file(const char *path, const char *schema_dir,
                       const char *xsd_file, const struct cx_xml_stream *s,
                       struct cx_diags *d)
{
	struct err_state st = {0};
	struct stream_src src = {0};
	struct err_guard g;
	xmlTextReaderPtr reader = NULL;
	xmlDocPtr sdoc = NULL;
	xmlSchemaPtr schema = NULL;
	xmlNodePtr node;
	char root[64] = "", container[64] = "", maxs[24];
	const char *name, *parent;
	int rc = CX_OK, ret, depth, guarded = 0;
	size_t max_span;

	if (path == NULL || s == NULL || s->element == NULL)
		return CX_EINVAL;
	max_span = s->max_span ? s->max_span : CX_XML_MAX_SPAN;
	snprintf(maxs, sizeof(maxs), "%llu", (unsigned long long)s->max);
	st.d = d;
	st.name = path;
	src.st = &st;
	src.max = s->max;
	src.max_span = max_span;
	src.line = 1;
	src.fd = open(path, O_RDONLY | O_CLOEXEC);
	if (src.fd < 0) {
		rc = errno == ENOENT ? CX_ENOENT : CX_EIO;
		if (d != NULL &&
		    (rc == CX_ENOENT
		         ? cx_xs_file_diag(d, path, "pkg.xml.no-file", NULL,
		                           "file does not exist")
		         : cx_xs_file_diag(d, path, "pkg.xml.unreadable",
		                           CX_ARGS("error", cx_err_name(rc)),
		                           "cannot read the file (%s)",
		                           cx_err_name(rc))))
			rc = CX_ENOMEM;
		return rc;
	}
	if (schema_dir != NULL) {
		rc = stream_schema(schema_dir, xsd_file, &sdoc, &schema, d);
		if (rc != CX_OK)
			goto out;
	}
	cx_xs_guard_enter(&g, &st);
	guarded = 1;
	reader = xmlReaderForIO(stream_read, stream_close, &src, path, "UTF-8",
	                        SAFE_OPTIONS | XML_PARSE_IGNORE_ENC);
	if (reader == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	xmlTextReaderSetStructuredErrorHandler(reader, cx_xs_on_error, &st);
	if (schema != NULL && xmlTextReaderSetSchema(reader, schema) != 0) {
		rc = CX_ENOMEM;
		goto out;
	}
	ret = xmlTextReaderRead(reader);
	while (ret == 1 && rc == CX_OK) {
		int type = xmlTextReaderNodeType(reader);

		depth = xmlTextReaderDepth(reader);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			st.refused = 1;
			break;
		}
		if ((type == XML_READER_TYPE_TEXT ||
		     type == XML_READER_TYPE_CDATA ||
		     type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
		     type == XML_READER_TYPE_WHITESPACE) &&
		    depth <= 2) {
			/* text between the items: the same bound */
			const xmlChar *v = xmlTextReaderConstValue(reader);
			size_t len = v ? strlen((const char *)v) : 0;

			if (len > max_span) {
				char msg[128], ls[24], ms[24];

				snprintf(msg, sizeof(msg),
				         "a text of %zu bytes, more than the "
				         "%zu bytes one text may hold",
				         len, max_span);
				snprintf(ls, sizeof(ls), "%zu", len);
				snprintf(ms, sizeof(ms), "%zu", max_span);
				cx_xs_put_diag(
				    &st, 0,
				    xmlTextReaderGetParserLineNumber(reader),
				    NULL, "pkg.xml.text-too-long",
				    CX_ARGS("size", ls, "max", ms), msg);
				rc = CX_ELIMIT;
				break;
			}
		}
		if (type != XML_READER_TYPE_ELEMENT || depth > 2) {
			ret = xmlTextReaderRead(reader);
			continue;
		}
		name = (const char *)xmlTextReaderConstLocalName(reader);
		if (name == NULL) {
			rc = CX_ENOMEM;
			break;
		}
		if (depth == 0) {
			snprintf(root, sizeof(root), "%s", name);
			node = xmlTextReaderCurrentNode(reader);
			rc = span_check(&st, node, 0, max_span);
			if (rc == CX_OK)
				rc = s->element(s->arg, NULL, node);
			ret = xmlTextReaderRead(reader);
			continue;
		}
		if (depth == 1 && is_container(s, name)) {
			snprintf(container, sizeof(container), "%s", name);
			rc = span_check(&st, xmlTextReaderCurrentNode(reader),
			                0, max_span);
			ret = xmlTextReaderRead(reader);
			continue;
		}
		parent = depth == 1 ? root : container;
		node = xmlTextReaderExpand(reader);
		if (node == NULL) {
			ret = -1;
			break;
		}
		rc = span_check(&st, node, 1, max_span);
		if (rc == CX_OK)
			rc = s->element(s->arg, parent, node);
		if (rc == CX_EPARSE && st.n == 0)
			cx_xs_add_diag(&st, 0, cx_xml_line(node), name,
			               "pkg.xml.element-incomplete",
			               "the element lacks a required part");
		ret = xmlTextReaderNext(reader);
	}
	if (st.oom) {
		rc = CX_ENOMEM;
	} else if (src.span_over) {
		if (d != NULL &&
		    cx_diag_add(d, path, (long)src.line, NULL,
		                "a text or attribute value of more than %zu "
		                "bytes (the longest one span may be)",
		                max_span))
			rc = CX_ENOMEM;
		else
			rc = CX_ELIMIT;
	} else if (src.limit) {
		if (d != NULL &&
		    cx_xs_file_diag(d, path, "pkg.xml.file-too-large",
		                    CX_ARGS("max", maxs),
		                    "file is larger than %s bytes", maxs))
			rc = CX_ENOMEM;
		else
			rc = CX_ELIMIT;
	} else if (st.refused) {
		if (st.n == 0)
			cx_xs_add_diag(&st, 0, 0, "DOCTYPE",
			               "pkg.xml.doctype-short",
			               "a DOCTYPE declaration is not allowed");
		rc = CX_EPARSE;
	} else if (rc == CX_OK && ret < 0) {
		if (st.n == 0)
			cx_xs_add_diag(&st, 0, 0, NULL,
			               "pkg.xml.not-wellformed",
			               "document is not well-formed XML");
		rc = CX_EPARSE;
	} else if (rc == CX_OK && root[0] == '\0') {
		cx_xs_add_diag(&st, 0, 0, NULL, "pkg.xml.no-root",
		               "document has no root element");
		rc = CX_EPARSE;
	}
	if (rc == CX_OK && schema != NULL &&
	    xmlTextReaderIsValid(reader) != 1) {
		if (st.n == 0)
			cx_xs_add_diag(&st, 0, 0, NULL,
			               "pkg.xml.schema-mismatch",
			               "document does not match its schema");
		rc = st.oom ? CX_ENOMEM : CX_ESCHEMA;
	}
	if (rc == CX_EPARSE && st.n > 0 && schema != NULL &&
	    xmlTextReaderIsValid(reader) == 0)
		rc = CX_ESCHEMA; /* the callback saw what the schema refused */
out:
	if (reader != NULL)
		xmlFreeTextReader(reader);
	if (guarded)
		cx_xs_guard_leave(&g);
	if (schema != NULL)
		xmlSchemaFree(schema);
	xmlFreeDoc(sdoc);
	close(src.fd);
	return rc;
}
