/*
 * certexam — escaping for every output format.  One walker decodes UTF-8
 * and hands each code point or bad byte to a per-format emitter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/escape.h"
#include "certexam/util.h"

enum esc_fmt { ESC_HTML, ESC_XML, ESC_JSON, ESC_MD, ESC_TERM, ESC_TEXT };

static int put_hex(struct cx_buf *b, unsigned char c)
{
	return cx_buf_printf(b, "\\x%02X", c);
}

/* A C0 or C1 control, DEL, or a code point XML 1.0 cannot carry. */
static int is_control(unsigned cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) ||
	       cp == 0xfffe || cp == 0xffff;
}

/*
 * Code points that reorder or hide text on a terminal: the bidi embeddings,
 * overrides and isolates (U+202A..U+202E, U+2066..U+2069), the marks
 * (U+200E, U+200F, U+061C), and the line and paragraph separators.
 */
static int is_bidi(unsigned cp)
{
	return (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f ||
	       cp == 0x061c || cp == 0x2028 || cp == 0x2029;
}

static unsigned decode(const unsigned char *s, size_t len)
{
	unsigned cp;
	size_t i;

	if (len == 1)
		return s[0];
	cp = s[0] & (len == 2 ? 0x1f : len == 3 ? 0x0f : 0x07);
	for (i = 1; i < len; i++)
		cp = (cp << 6) | (s[i] & 0x3f);
	return cp;
}

static int emit_ascii(struct cx_buf *b, enum esc_fmt f, unsigned char c,
                      int first)
{
	switch (f) {
	case ESC_HTML:
	case ESC_XML:
		switch (c) {
		case '<':
			return cx_buf_puts(b, "&lt;");
		case '>':
			return cx_buf_puts(b, "&gt;");
		case '&':
			return cx_buf_puts(b, "&amp;");
		case '"':
			return cx_buf_puts(b, "&quot;");
		case '\'':
			return cx_buf_puts(b, "&#39;");
		}
		break;
	case ESC_JSON:
		if (c == '"' || c == '\\')
			return cx_buf_printf(b, "\\%c", c);
		/* Safe even when the JSON is embedded in an HTML page. */
		if (c == '<' || c == '>' || c == '&')
			return cx_buf_printf(b, "\\u%04X", c);
		break;
	case ESC_MD:
		/* Inline markup, table pipes and HTML-significant characters;
		 * a leading '-' or '+' would start a list. */
		if (strchr("\\`*_[]#!|~>", c) != NULL ||
		    (first && (c == '-' || c == '+')))
			return cx_buf_printf(b, "\\%c", c);
		if (c == '<')
			return cx_buf_puts(b, "&lt;");
		if (c == '&')
			return cx_buf_puts(b, "&amp;");
		break;
	case ESC_TEXT:
		if (c == '\\')
			return cx_buf_puts(b, "\\\\");
		break;
	case ESC_TERM:
		break;
	}
	return cx_buf_putc(b, (char)c);
}

static int emit_control(struct cx_buf *b, enum esc_fmt f, unsigned cp,
                        const unsigned char *raw, size_t rawlen)
{
	size_t i;
	int rc = 0;

	if ((cp == '\n' || cp == '\t') && f != ESC_TERM) {
		switch (f) {
		case ESC_JSON:
			return cx_buf_puts(b, cp == '\n' ? "\\n" : "\\t");
		case ESC_MD:
			return cx_buf_puts(b, cp == '\n' ? "<br>" : " ");
		case ESC_XML:
		case ESC_HTML:
			return cx_buf_printf(b, "&#%u;", cp);
		default:
			return cx_buf_putc(b, (char)cp);
		}
	}
	if (f == ESC_JSON) {
		/* JSON can carry controls exactly; show them as \xHH text so
		 * every format renders the same thing. */
		for (i = 0; i < rawlen && rc == 0; i++)
			rc = cx_buf_printf(b, "\\\\x%02X", raw[i]);
		return rc;
	}
	for (i = 0; i < rawlen && rc == 0; i++) {
		if (f == ESC_MD)
			rc = cx_buf_putc(b, '\\');
		if (rc == 0)
			rc = put_hex(b, raw[i]);
	}
	return rc;
}

/*
 * 1 when the printable ASCII byte c is copied as it is in format f (and
 * so may be copied with its neighbours in one append).  '-' and '+' are
 * left to emit_ascii in Markdown, where a leading one is escaped.
 */
static int plain(enum esc_fmt f, unsigned char c)
{
	switch (f) {
	case ESC_HTML:
	case ESC_XML:
		return c != '<' && c != '>' && c != '&' && c != '"' &&
		       c != '\'';
	case ESC_JSON:
		return c != '"' && c != '\\' && c != '<' && c != '>' &&
		       c != '&';
	case ESC_MD:
		return strchr("\\`*_[]#!|~><&-+", c) == NULL;
	case ESC_TEXT:
		return c != '\\';
	case ESC_TERM:
	default:
		return 1;
	}
}

static int escape(struct cx_buf *b, const char *str, size_t n, enum esc_fmt f)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k, j;
	unsigned cp;
	int rc = 0;

	if (str == NULL)
		return CX_OK;
	while (i < n && rc == 0) {
		/* a run of bytes that need nothing: one append */
		for (j = i;
		     j < n && s[j] >= 0x20 && s[j] < 0x7f && plain(f, s[j]);
		     j++)
			;
		if (j > i) {
			rc = cx_buf_append(b, s + i, j - i);
			i = j;
			continue;
		}
		k = cx_utf8_seq(s + i, n - i);
		if (k == 0) {
			/* An invalid byte: visible, never passed through. */
			if (f == ESC_JSON)
				rc = cx_buf_printf(b, "\\\\x%02X", s[i]);
			else if (f == ESC_MD)
				rc = cx_buf_printf(b, "\\\\x%02X", s[i]);
			else
				rc = put_hex(b, s[i]);
			i++;
			continue;
		}
		cp = decode(s + i, k);
		if (is_control(cp) &&
		    !(f == ESC_TEXT && (cp == '\n' || cp == '\t')))
			rc = emit_control(b, f, cp, s + i, k);
		else if (f == ESC_JSON && (cp == 0x2028 || cp == 0x2029))
			rc = cx_buf_printf(b, "\\u%04X", cp);
		else if (is_bidi(cp) && f != ESC_XML && f != ESC_TEXT)
			/* shown, not obeyed; the record (XML) keeps it exact */
			rc = emit_control(b, f, cp, s + i, k);
		else if (k == 1)
			rc = emit_ascii(b, f, s[i], i == 0);
		else
			for (j = 0; j < k && rc == 0; j++)
				rc = cx_buf_putc(b, (char)s[i + j]);
		i += k;
	}
	return rc; /* the buffer's error: ENOMEM, or its sink's */
}

int cx_esc_html(struct cx_buf *b, const char *s)
{
	return s ? escape(b, s, strlen(s), ESC_HTML) : CX_OK;
}

int cx_esc_xml(struct cx_buf *b, const char *s)
{
	return s ? escape(b, s, strlen(s), ESC_XML) : CX_OK;
}

int cx_esc_json(struct cx_buf *b, const char *s)
{
	return s ? escape(b, s, strlen(s), ESC_JSON) : CX_OK;
}

int cx_esc_md(struct cx_buf *b, const char *s)
{
	return s ? escape(b, s, strlen(s), ESC_MD) : CX_OK;
}

int cx_esc_term(struct cx_buf *b, const char *s)
{
	return s ? escape(b, s, strlen(s), ESC_TERM) : CX_OK;
}

char *cx_text_from_bytes(const void *p, size_t n)
{
	struct cx_buf b = {0};

	if (cx_buf_append(&b, "", 0) || escape(&b, p, n, ESC_TEXT)) {
		cx_buf_free(&b);
		return NULL;
	}
	return cx_buf_steal(&b);
}
