/* Unit tests: escaping for every output format and sanitising raw bytes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/escape.h"
#include "certexam/util.h"

/* A hostile banner: markup, quotes, ampersand, an ANSI escape, a bell,
 * invalid UTF-8 (0xff, a truncated 3-byte sequence) and a NUL-free tail. */
static const char hostile[] = "<script>alert(\"x\")</script> & 'q' "
                              "\x1b[31mred\x1b[0m\a \xff\xe2\x82 |*_`# end";

typedef int (*esc_fn)(struct cx_buf *, const char *);

static char *run_esc(esc_fn f, const char *s)
{
	struct cx_buf b = {0};

	ck_assert_int_eq(f(&b, s), 0);
	return cx_buf_steal(&b);
}

START_TEST(test_html)
{
	char *o = run_esc(cx_esc_html, hostile);

	ck_assert_ptr_null(strstr(o, "<script"));
	ck_assert_ptr_nonnull(strstr(o, "&lt;script&gt;"));
	ck_assert_ptr_nonnull(strstr(o, "&quot;x&quot;"));
	ck_assert_ptr_nonnull(strstr(o, " &amp; "));
	ck_assert_ptr_nonnull(strstr(o, "&#39;q&#39;"));
	ck_assert_ptr_null(strchr(o, '\x1b'));
	ck_assert_ptr_nonnull(strstr(o, "\\x1B[31mred"));
	ck_assert_ptr_nonnull(strstr(o, "\\x07"));
	ck_assert_ptr_nonnull(strstr(o, "\\xFF\\xE2\\x82"));
	ck_assert(cx_utf8_valid(o, strlen(o)));
	free(o);
}
END_TEST

START_TEST(test_xml)
{
	char *o = run_esc(cx_esc_xml, "a\nb\tc<d>\x01");

	ck_assert_str_eq(o, "a&#10;b&#9;c&lt;d&gt;\\x01");
	free(o);
}
END_TEST

START_TEST(test_json)
{
	char *o = run_esc(cx_esc_json, hostile);

	ck_assert_ptr_nonnull(strstr(o, "\\\"x\\\""));
	ck_assert_ptr_null(strchr(o, '\x1b'));
	ck_assert_ptr_nonnull(strstr(o, "\\\\x1B"));
	ck_assert_ptr_nonnull(strstr(o, "\\\\xFF"));
	ck_assert(cx_utf8_valid(o, strlen(o)));
	free(o);
	o = run_esc(cx_esc_json, "line1\nline2\\");
	ck_assert_str_eq(o, "line1\\nline2\\\\");
	free(o);
}
END_TEST

START_TEST(test_md)
{
	char *o = run_esc(cx_esc_md, hostile);

	ck_assert_ptr_null(strstr(o, "<script"));
	ck_assert_ptr_nonnull(strstr(o, "\\|\\*\\_\\`\\#"));
	ck_assert_ptr_null(strchr(o, '\x1b'));
	ck_assert_ptr_null(strchr(o, '\n'));
	free(o);
	o = run_esc(cx_esc_md, "a|b\nc");
	ck_assert_str_eq(o, "a\\|b<br>c");
	free(o);
}
END_TEST

START_TEST(test_term)
{
	char *o = run_esc(cx_esc_term, hostile);

	ck_assert_ptr_null(strchr(o, '\x1b'));
	ck_assert_ptr_null(strchr(o, '\a'));
	ck_assert_ptr_nonnull(strstr(o, "<script>"));
	free(o);
}
END_TEST

/*
 * Issue 12 (4): every code point a terminal acts on, fed one by one with
 * text around it: every C0 control (line feed and tab included: a line
 * feed inside a field forged a "findings: 0 pass ..." line), DEL, every
 * C1 control, and the bidi embeddings, overrides, isolates and marks.
 * Each comes out as \xHH of its bytes; nothing of it passes through.
 */
static unsigned term_cp(int i)
{
	static const unsigned bidi[] = {0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
	                                0x2066, 0x2067, 0x2068, 0x2069, 0x200e,
	                                0x200f, 0x061c, 0x2028, 0x2029};

	if (i < 0x1f)
		return (unsigned)i + 1; /* U+0001..U+001F */
	if (i == 0x1f)
		return 0x7f;
	if (i < 0x20 + 0x20)
		return 0x80 + (unsigned)(i - 0x20); /* U+0080..U+009F */
	return bidi[i - 0x40];
}

#define TERM_CASES (0x40 + 14)

START_TEST(test_term_every_control)
{
	unsigned cp = term_cp(_i);
	char in[16], want[32], *o;
	unsigned char u[4];
	size_t n = 0, k, w = 0;

	if (cp < 0x80) {
		u[n++] = (unsigned char)cp;
	} else if (cp < 0x800) {
		u[n++] = (unsigned char)(0xc0 | (cp >> 6));
		u[n++] = (unsigned char)(0x80 | (cp & 0x3f));
	} else {
		u[n++] = (unsigned char)(0xe0 | (cp >> 12));
		u[n++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[n++] = (unsigned char)(0x80 | (cp & 0x3f));
	}
	memcpy(in, "a", 1);
	memcpy(in + 1, u, n);
	memcpy(in + 1 + n, "b", 2);
	for (k = 0; k < n; k++)
		w += (size_t)snprintf(want + w, sizeof(want) - w, "\\x%02X",
		                      u[k]);
	o = run_esc(cx_esc_term, in);
	ck_assert_msg(strncmp(o + 1, want, w) == 0 && o[0] == 'a' &&
	                  strcmp(o + 1 + w, "b") == 0,
	              "U+%04X: got '%s', want 'a%sb'", cp, o, want);
	for (k = 0; o[k] != '\0'; k++)
		ck_assert_msg((unsigned char)o[k] >= 0x20 &&
		                  (unsigned char)o[k] < 0x7f,
		              "U+%04X: byte 0x%02X passed through", cp,
		              (unsigned char)o[k]);
	free(o);
}
END_TEST

/* The forged line of the issue: one field, one line. */
START_TEST(test_term_no_forged_line)
{
	char *o = run_esc(cx_esc_term, "CN=x\nfindings: 0 pass, 0 fail\r\n"
	                               "\xe2\x80\xae"
	                               "evil");

	ck_assert_ptr_null(strchr(o, '\n'));
	ck_assert_ptr_null(strchr(o, '\r'));
	ck_assert_str_eq(o, "CN=x\\x0Afindings: 0 pass, 0 fail\\x0D\\x0A"
	                    "\\xE2\\x80\\xAEevil");
	free(o);
}
END_TEST

/* The bidi override is shown, not obeyed, in every format a person reads;
 * the record (XML) keeps it exactly. */
START_TEST(test_bidi_every_reader_format)
{
	static const esc_fn shown[] = {cx_esc_html, cx_esc_json, cx_esc_md,
	                               cx_esc_term};
	static const char in[] = "a\xe2\x80\xae"
	                         "b";
	size_t i;
	char *o;

	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		o = run_esc(shown[i], in);
		ck_assert_ptr_null(strstr(o, "\xe2\x80\xae"));
		ck_assert_ptr_nonnull(strstr(o, "xE2"));
		free(o);
	}
	o = run_esc(cx_esc_xml, in);
	ck_assert_str_eq(o, in);
	free(o);
}
END_TEST

START_TEST(test_text_from_bytes)
{
	static const char raw[] = {'S',        'S',       'H',  '\0',
	                           '\r',       '\n',      '\\', (char)0xc3,
	                           (char)0xa9, (char)0xc3};
	char *t = cx_text_from_bytes(raw, sizeof(raw));

	ck_assert_str_eq(t, "SSH\\x00\\x0D\n\\\\\xc3\xa9\\xC3");
	free(t);
	t = cx_text_from_bytes("", 0);
	ck_assert_str_eq(t, "");
	free(t);
}
END_TEST

START_TEST(test_null_input)
{
	struct cx_buf b = {0};

	ck_assert_int_eq(cx_esc_html(&b, NULL), 0);
	ck_assert_int_eq(cx_esc_json(&b, NULL), 0);
	ck_assert_uint_eq(b.len, 0);
	cx_buf_free(&b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_html);
	tcase_add_test(tc, test_xml);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_md);
	tcase_add_test(tc, test_term);
	tcase_add_loop_test(tc, test_term_every_control, 0, TERM_CASES);
	tcase_add_test(tc, test_term_no_forged_line);
	tcase_add_test(tc, test_bidi_every_reader_format);
	tcase_add_test(tc, test_text_from_bytes);
	tcase_add_test(tc, test_null_input);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
