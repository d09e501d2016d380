/* Unit tests: escaping for every output format and sanitising raw bytes. */
#include <check.h>
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
