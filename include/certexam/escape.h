/*
 * certexam — escaping for every output format.
 *
 * Everything that came from a target or a submitted file passes through
 * one of these before it reaches a writer.  Invalid UTF-8 bytes and
 * control characters (except \n and \t where the format allows them) are
 * rendered visibly as "\xHH", so nothing is lost and nothing is executed
 * by a terminal, browser or Markdown renderer.  The bidi controls
 * (U+202A..U+202E, U+2066..U+2069, U+200E/F, U+061C) are shown the same
 * way in HTML, JSON, Markdown and on the terminal, so no text is reordered
 * for the reader; XML (the run record) keeps them exactly.  Each appends to b
 * and returns 0 or CX_ENOMEM.  s may be NULL (appends nothing).
 */
#ifndef CERTEXAM_ESCAPE_H
#define CERTEXAM_ESCAPE_H

#include <stddef.h>
#include "certexam/util.h"

int cx_esc_html(struct cx_buf *b, const char *s);
int cx_esc_xml(struct cx_buf *b, const char *s);  /* text and attributes */
int cx_esc_json(struct cx_buf *b, const char *s); /* without the quotes */
int cx_esc_md(struct cx_buf *b, const char *s);   /* inline text, table-safe */
/* Terminal: every C0/C1 control, \n and \t included (a line feed inside a
 * field would forge a line), and the bidi controls (U+202E ...) as \xHH. */
int cx_esc_term(struct cx_buf *b, const char *s);

/*
 * Make raw bytes safe to store as text: valid UTF-8 copied, every other
 * byte and every C0/C1 control except \n and \t as "\xHH", a backslash as
 * "\\".  At most max input bytes are read.  Caller frees; NULL on ENOMEM.
 */
char *cx_text_from_bytes(const void *p, size_t n);

#endif
