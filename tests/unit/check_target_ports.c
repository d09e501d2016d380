/*
 * Unit tests: port sets (scanner/net/target.c): specs, ranges, the top-N
 * list and its file, and random garbage.
 */
#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <check.h>
#include <sched.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "certexam/error.h"
#include "certexam/target.h"
#include "certexam/util.h"
#include "target_util.h"

#ifndef CX_SOURCE_PROFILES
#define CX_SOURCE_PROFILES "profiles"
#endif

START_TEST(test_portset_parse)
{
	struct cx_portset ps;
	const char *bad = NULL;

	ck_assert_int_eq(cx_portset_parse(&ps, "22,80,8000-8100", &bad), 0);
	ck_assert_uint_eq(ps.count, 103);
	ck_assert(cx_portset_has(&ps, 22));
	ck_assert(cx_portset_has(&ps, 8050));
	ck_assert(!cx_portset_has(&ps, 23));
	ck_assert(!cx_portset_has(&ps, 0));
	ck_assert(!cx_portset_has(&ps, 70000));
	ck_assert_int_eq(cx_portset_parse(&ps, "all", &bad), 0);
	ck_assert_uint_eq(ps.count, 65535);
	ck_assert(cx_portset_has(&ps, 1));
	ck_assert(cx_portset_has(&ps, 65535));
	ck_assert_int_eq(cx_portset_parse(&ps, "1-65535", &bad), 0);
	ck_assert_uint_eq(ps.count, 65535);
	ck_assert_int_eq(cx_portset_parse(&ps, "80,80, 443 ,79-81", &bad), 0);
	ck_assert_uint_eq(ps.count, 4);
	ck_assert_int_eq(cx_portset_parse(&ps, "-1024", &bad), 0);
	ck_assert_uint_eq(ps.count, 1024);
	ck_assert_int_eq(cx_portset_parse(&ps, "65000-", &bad), 0);
	ck_assert_uint_eq(ps.count, 536);
	cx_portset_add(&ps, 0);
	cx_portset_add(&ps, 65536);
	ck_assert_uint_eq(ps.count, 536);
}
END_TEST

static const char *const bad_specs[][2] = {
    {"", ""},           {"0", "0"},
    {"65536", "65536"}, {"22,,80", ",80"},
    {"22,", ""},        {"80-22", "80-22"},
    {"22,abc", "abc"},  {"1-2-3", "1-2-3"},
    {"top:0", "top:0"}, {"top:x", "top:x"},
    {"22,-5x", "-5x"},  {"99999999999999999999", "99999999999999999999"},
    {"22;80", "22;80"},
};

START_TEST(test_portset_bad)
{
	struct cx_portset ps;
	const char *bad = NULL, *spec = bad_specs[_i][0];

	ck_assert_int_eq(cx_portset_parse(&ps, spec, &bad), CX_EINVAL);
	ck_assert_ptr_nonnull(bad);
	ck_assert_str_eq(bad, bad_specs[_i][1]);
	ck_assert_uint_eq(ps.count, 0);
}
END_TEST

START_TEST(test_portset_top)
{
	struct cx_portset ps;
	const char *bad = NULL;
	char *path = cx_path_join(CX_SOURCE_PROFILES, "top-ports.txt");
	char tmp[] = "/tmp/cxeng-top-XXXXXX";
	int fd;
	FILE *f;

	ck_assert_int_eq(cx_portset_top(&ps, path, 10), 0);
	ck_assert_uint_eq(ps.count, 10);
	ck_assert(cx_portset_has(&ps, 80));
	ck_assert(cx_portset_has(&ps, 443));
	ck_assert(cx_portset_has(&ps, 22));
	ck_assert_int_eq(cx_portset_top(&ps, path, 1000), 0);
	ck_assert_uint_eq(ps.count, 1000);
	ck_assert(cx_portset_has(&ps, 3306));
	ck_assert(cx_portset_has(&ps, 5432));
	/* Asking for more than the list has gives the whole list. */
	ck_assert_int_eq(cx_portset_top(&ps, path, 5000), 0);
	ck_assert_uint_eq(ps.count, 1000);
	/* The port spec form, and a union with other tokens. */
	ck_assert_int_eq(
	    cx_portset_parse_in(&ps, "top:100,20000", CX_SOURCE_PROFILES, &bad),
	    0);
	ck_assert_uint_eq(ps.count, 101);
	ck_assert_int_eq(cx_portset_parse(&ps, "top:3", &bad), 0);
	ck_assert_uint_eq(ps.count, 3);
	ck_assert_int_eq(
	    cx_portset_parse_in(&ps, "top:3", "/nonexistent", &bad), CX_ENOENT);
	ck_assert_int_eq(cx_portset_top(&ps, "/nonexistent/top.txt", 3),
	                 CX_ENOENT);
	free(path);

	/* A malformed list: comments and blanks fine, garbage refused. */
	fd = mkstemp(tmp);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs("# comment\n\n 443 # https\n80\n443\n22\r\n", f);
	fclose(f);
	ck_assert_int_eq(cx_portset_top(&ps, tmp, 3), 0);
	ck_assert_uint_eq(ps.count, 3);
	ck_assert(cx_portset_has(&ps, 22));
	f = fopen(tmp, "w");
	fputs("443\n80x\n", f);
	fclose(f);
	ck_assert_int_eq(cx_portset_top(&ps, tmp, 3), CX_EPARSE);
	f = fopen(tmp, "w");
	fputs("443\n70000\n", f);
	fclose(f);
	ck_assert_int_eq(cx_portset_top(&ps, tmp, 3), CX_EPARSE);
	/* The list's own first 10 lines before garbage are still usable. */
	ck_assert_int_eq(cx_portset_top(&ps, tmp, 1), 0);
	ck_assert_uint_eq(ps.count, 1);
	unlink(tmp);
}
END_TEST

START_TEST(test_top_list_file)
{
	/* The shipped list has 1000 distinct valid ports. */
	struct cx_portset ps;
	char *path = cx_path_join(CX_SOURCE_PROFILES, "top-ports.txt");
	char *data = NULL, *line, *next;
	size_t len = 0;
	unsigned lines = 0;

	ck_assert_int_eq(cx_read_file(path, 1 << 20, &data, &len), 0);
	for (line = data; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		lines++;
	}
	ck_assert_uint_eq(lines, 1000);
	ck_assert_int_eq(cx_portset_top(&ps, path, 65535), 0);
	ck_assert_uint_eq(ps.count, 1000);
	free(data);
	free(path);
}
END_TEST

START_TEST(test_garbage_portspecs)
{
	static const char cs[] = "0123456789,-alltop: 6";
	struct cx_portset ps;
	const char *bad;
	char spec[40];
	int round, len, i, rc;
	unsigned p, n;

	for (round = 0; round < 5000; round++) {
		len = (int)(rnd() % 24);
		for (i = 0; i < len; i++)
			spec[i] = cs[rnd() % (sizeof(cs) - 1)];
		spec[len] = '\0';
		bad = NULL;
		rc = cx_portset_parse_in(&ps, spec, CX_SOURCE_PROFILES, &bad);
		ck_assert_msg(rc == 0 || rc == CX_EINVAL, "'%s' gave %d", spec,
		              rc);
		if (rc != 0) {
			ck_assert_ptr_nonnull(bad);
			ck_assert(bad >= spec && bad <= spec + len);
			ck_assert_uint_eq(ps.count, 0);
			continue;
		}
		for (n = 0, p = 0; p < 65536; p++)
			n += cx_portset_has(&ps, p) ? 1u : 0u;
		ck_assert_uint_eq(n, ps.count);
		ck_assert_uint_gt(n, 0);
	}
}
END_TEST

static Suite *target_ports_suite(void)
{
	Suite *s = suite_create("target_ports");
	TCase *tc = tcase_create("ports");

	tcase_add_test(tc, test_portset_parse);
	tcase_add_loop_test(tc, test_portset_bad, 0,
	                    (int)CX_ARRAY_LEN(bad_specs));
	tcase_add_test(tc, test_portset_top);
	tcase_add_test(tc, test_top_list_file);
	tcase_add_test(tc, test_garbage_portspecs);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(target_ports_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
