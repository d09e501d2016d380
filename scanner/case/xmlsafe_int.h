/*
 * certexam — what xmlsafe.c (parse, validate, the tree helpers) and
 * xmlstream.c (cx_xml_stream_file) share: the error state a parse or a
 * validation collects its diagnostics in, and the guard that routes
 * libxml2's global error handlers to it (internal header).
 */
#ifndef CX_XMLSAFE_INT_H
#define CX_XMLSAFE_INT_H

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "certexam/error.h"

/*
 * The options every document is parsed with.  Deliberately absent:
 * XML_PARSE_NOENT (entity substitution), XML_PARSE_DTDLOAD,
 * XML_PARSE_DTDATTR, XML_PARSE_DTDVALID, XML_PARSE_HUGE, XML_PARSE_XINCLUDE,
 * XML_PARSE_RECOVER.
 */
#define SAFE_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA)

#if LIBXML_VERSION >= 21200
#define CX_XML_ERROR const xmlError
#else
#define CX_XML_ERROR xmlError
#endif

struct err_state {
	struct cx_diags *d;
	const char *name; /* file name for diagnostics */
	size_t n;         /* diagnostics added */
	int refused;      /* a DOCTYPE or entity declaration was seen */
	int oom;
};

/* Saved global error handlers, restored after each call. */
struct err_guard {
	xmlStructuredErrorFunc serror;
	void *sctx;
	xmlGenericErrorFunc gerror;
	void *gctx;
};

/*
 * One problem: text is its English words, id its message id (pkg.xml.*)
 * and args the id's parameters (raw text already made printable).
 */
void cx_xs_put_diag(struct err_state *st, int warning, long line,
                    const char *field, const char *id, const char *const *args,
                    const char *text);
/* A problem of ours, without parameters. */
void cx_xs_add_diag(struct err_state *st, int warning, long line,
                    const char *field, const char *id, const char *text);
/* A file-level problem (line 0) with its message id; CX_ENOMEM or 0. */
int cx_xs_file_diag(struct cx_diags *d, const char *file, const char *id,
                    const char *const *args, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* libxml2's structured error handler: data is the err_state. */
void cx_xs_on_error(void *data, CX_XML_ERROR *err);
/* Route libxml2's global error handlers to st; restore them. */
void cx_xs_guard_enter(struct err_guard *g, struct err_state *st);
void cx_xs_guard_leave(const struct err_guard *g);

#endif
