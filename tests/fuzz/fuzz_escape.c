/*
 * certexam — libFuzzer harness for the output escaping (scanner/util/escape.c):
 * every cx_esc_* and cx_text_from_bytes on the bytes.  Every output must
 * be valid UTF-8 and hold no ESC byte nor any other C0 control but the
 * newline and tab where a format keeps them; HTML and XML output must hold
 * no raw '<', '>' or '"'; JSON output no raw '"' (except escaped), '<' or
 * control; Markdown output no raw '<' (but its own <br>) or '|'.
 * cx_text_from_bytes must read exactly n bytes (embedded NULs included) and
 * give text that every escaper accepts.
 */
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/escape.h"
#include "fuzz_common.h"

enum fmt { F_HTML, F_XML, F_JSON, F_MD, F_TERM, F_TEXT };

static void check_out(const char *s, size_t n, enum fmt f)
{
	size_t i;
	unsigned char c;

	FUZZ_ASSERT(fuzz_utf8_ok(s, n));
	FUZZ_ASSERT(strlen(s) == n);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		FUZZ_ASSERT(c != 0x1b && c != 0x7f);
		if (c < 0x20)
			FUZZ_ASSERT((c == '\n' || c == '\t') &&
			            (f == F_TERM || f == F_TEXT));
		/* C1 controls encoded as UTF-8 (U+0080..U+009F) */
		if (c == 0xc2 && i + 1 < n)
			FUZZ_ASSERT((unsigned char)s[i + 1] > 0x9f);
		switch (f) {
		case F_HTML:
		case F_XML:
			FUZZ_ASSERT(c != '<' && c != '>' && c != '"' &&
			            c != '\'');
			break;
		case F_JSON:
			FUZZ_ASSERT(c != '<' && c != '>');
			if (c == '"') {
				size_t k = 0;

				while (k < i && s[i - 1 - k] == '\\')
					k++;
				FUZZ_ASSERT(k % 2 == 1);
			}
			break;
		case F_MD:
			/* a newline is rendered as "<br>" */
			if (c == '<')
				FUZZ_ASSERT(strncmp(s + i, "<br>", 4) == 0);
			if (c == '|')
				FUZZ_ASSERT(i > 0 && s[i - 1] == '\\');
			break;
		default:
			break;
		}
	}
}

typedef int (*esc_fn)(struct cx_buf *b, const char *s);

static void run_all(const char *s)
{
	static const esc_fn fns[] = {cx_esc_html, cx_esc_xml, cx_esc_json,
	                             cx_esc_md, cx_esc_term};
	static const enum fmt fmts[] = {F_HTML, F_XML, F_JSON, F_MD, F_TERM};
	struct cx_buf b = {0};
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(fns); i++) {
		FUZZ_ASSERT(fns[i](&b, s) == CX_OK);
		if (b.data != NULL)
			check_out(b.data, b.len, fmts[i]);
		else
			FUZZ_ASSERT(s[0] == '\0');
		cx_buf_free(&b);
	}
	/* Appending keeps what is there; NULL appends nothing. */
	FUZZ_ASSERT(cx_buf_puts(&b, "x") == CX_OK);
	FUZZ_ASSERT(cx_esc_md(&b, NULL) == CX_OK && b.len == 1);
	FUZZ_ASSERT(cx_esc_md(&b, s) == CX_OK && b.data[0] == 'x');
	cx_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *s, *t, *t2;

	/* The escapers take C strings: the input up to its first NUL. */
	s = fuzz_strndup(data, size);
	run_all(s);

	/* Raw bytes, NULs included. */
	t = cx_text_from_bytes(data, size);
	FUZZ_ASSERT(t != NULL);
	check_out(t, strlen(t), F_TEXT);
	FUZZ_ASSERT(strlen(t) >= size);
	/* Stored text is escaped again for every output format. */
	run_all(t);
	/* Already-safe text converts again without losing anything. */
	t2 = cx_text_from_bytes(t, strlen(t));
	FUZZ_ASSERT(t2 != NULL && strlen(t2) >= strlen(t));
	free(t2);
	free(t);
	free(s);
	return 0;
}
