/*
 * Unit tests: shards of a scope (--shard i/n): every in-scope address in
 * exactly one of n shards for n = 1..7, shards balanced, URLs in one
 * shard, a /8 split without expanding it, the i/n syntax.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certexam/error.h"
#include "certexam/target.h"
#include "certexam/util.h"

/* Scopes: included entries, then "!" and the excluded ones. */
static const char *const scopes[][8] = {
    {"127.0.0.1", NULL},
    {"10.0.0.0/24", NULL},
    {"10.0.0.0/22", "!", "10.0.1.0/25", "10.0.2.7", NULL},
    {"192.168.1.0/24", "192.168.1.100-192.168.1.200", "::1", "2001:db8::/120",
     "!", "192.168.1.0", NULL},
    {"172.16.0.250-172.16.1.5", "172.16.0.0/30", "https://172.16.1.1/",
     "http://[2001:db8::5]:8080/x", NULL},
};

static void build(struct cx_scope *s, const char *const *e)
{
	int excl = 0;
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; e[i] != NULL; i++) {
		if (strcmp(e[i], "!") == 0) {
			excl = 1;
			continue;
		}
		ck_assert_int_eq(cx_scope_add(s, e[i], excl, NULL, "t", 0),
		                 CX_OK);
	}
}

START_TEST(test_shard_cover)
{
	const char *const *e = scopes[_i];
	struct cx_scope full, part[7];
	struct cx_target_iter it;
	struct cx_addr a;
	uint64_t total, cnt, sum, mn, mx;
	unsigned n, k, hits;
	size_t u, urls;

	build(&full, e);
	total = cx_scope_size(&full);
	for (n = 1; n <= 7; n++) {
		sum = 0;
		mn = UINT64_MAX;
		mx = 0;
		urls = 0;
		for (k = 0; k < n; k++) {
			build(&part[k], e);
			ck_assert_int_eq(cx_scope_shard(&part[k], k, n, &cnt),
			                 CX_OK);
			ck_assert_uint_eq(cx_scope_size(&part[k]), cnt);
			sum += cnt;
			mn = cnt < mn ? cnt : mn;
			mx = cnt > mx ? cnt : mx;
			urls += part[k].n_urls;
		}
		ck_assert_uint_eq(sum, total);
		ck_assert_uint_le(mx - mn, 1);
		ck_assert_uint_eq(urls, full.n_urls);
		/* Every address of the whole scope in exactly one shard. */
		cx_target_iter_init(&it, &full);
		while (cx_target_next(&it, &a)) {
			if (!cx_scope_contains(&full, &a))
				continue;
			for (hits = 0, k = 0; k < n; k++)
				hits +=
				    (unsigned)cx_scope_contains(&part[k], &a);
			ck_assert_uint_eq(hits, 1);
		}
		/* And nothing outside it in any shard. */
		for (k = 0; k < n; k++) {
			cx_target_iter_init(&it, &part[k]);
			while (cx_target_next(&it, &a))
				if (cx_scope_contains(&part[k], &a))
					ck_assert(cx_scope_contains(&full, &a));
			for (u = 0; u < part[k].n_urls; u++)
				ck_assert_ptr_nonnull(part[k].urls[u]);
			cx_scope_free(&part[k]);
		}
	}
	cx_scope_free(&full);
}
END_TEST

/* A /8 is split by arithmetic: 16,777,216 addresses, no iteration. */
START_TEST(test_shard_big)
{
	struct cx_scope s;
	struct cx_addr a;
	uint64_t cnt, sum = 0;
	clock_t t0 = clock();
	unsigned k;

	for (k = 0; k < 7; k++) {
		memset(&s, 0, sizeof(s));
		ck_assert_int_eq(
		    cx_scope_add(&s, "10.0.0.0/8", 0, NULL, "t", 0), CX_OK);
		ck_assert_int_eq(cx_scope_shard(&s, k, 7, &cnt), CX_OK);
		sum += cnt;
		ck_assert_uint_eq(s.n_blocks, 1);
		if (k == 0) {
			ck_assert_int_eq(cx_addr_parse("10.0.0.0", &a), 0);
			ck_assert(cx_scope_contains(&s, &a));
			ck_assert_int_eq(cx_addr_parse("10.36.146.101", &a), 0);
			ck_assert(!cx_scope_contains(&s, &a));
		}
		cx_scope_free(&s);
	}
	ck_assert_uint_eq(sum, 16777216u);
	ck_assert((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
	/* IPv6 /32 is 2^96 addresses: refused, not looped over. */
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(cx_scope_add(&s, "2001:db8::/32", 0, NULL, "t", 0),
	                 CX_OK);
	ck_assert_int_eq(cx_scope_shard(&s, 0, 2, &cnt), CX_ELIMIT);
	cx_scope_free(&s);
}
END_TEST

/* More shards than addresses: the extra shards are empty. */
START_TEST(test_shard_empty)
{
	struct cx_scope s;
	uint64_t cnt;
	unsigned k, nonempty = 0;

	for (k = 0; k < 5; k++) {
		memset(&s, 0, sizeof(s));
		ck_assert_int_eq(
		    cx_scope_add(&s, "127.0.0.1-127.0.0.2", 0, NULL, "t", 0),
		    CX_OK);
		ck_assert_int_eq(cx_scope_shard(&s, k, 5, &cnt), CX_OK);
		nonempty += cnt > 0;
		ck_assert_uint_eq(s.n_blocks, cnt > 0 ? 1 : 0);
		cx_scope_free(&s);
	}
	ck_assert_uint_eq(nonempty, 2);
}
END_TEST

START_TEST(test_shard_parse)
{
	unsigned i = 99, n = 99;

	ck_assert_int_eq(cx_shard_parse("0/1", &i, &n), CX_OK);
	ck_assert_uint_eq(i, 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(cx_shard_parse("6/7", &i, &n), CX_OK);
	ck_assert_uint_eq(i, 6);
	ck_assert_uint_eq(n, 7);
	ck_assert_int_eq(cx_shard_parse("7/7", &i, &n), CX_EINVAL);
	ck_assert_int_eq(cx_shard_parse("1/0", &i, &n), CX_EINVAL);
	ck_assert_int_eq(cx_shard_parse("-1/3", &i, &n), CX_EINVAL);
	ck_assert_int_eq(cx_shard_parse("1", &i, &n), CX_EINVAL);
	ck_assert_int_eq(cx_shard_parse("/3", &i, &n), CX_EINVAL);
	ck_assert_int_eq(cx_shard_parse("1/3x", &i, &n), CX_EINVAL);
	ck_assert_int_eq(cx_shard_parse("0/65537", &i, &n), CX_EINVAL);
	ck_assert_int_eq(cx_shard_parse(NULL, &i, &n), CX_EINVAL);
}
END_TEST

static Suite *shard_suite(void)
{
	Suite *s = suite_create("shard");
	TCase *tc = tcase_create("shard");

	tcase_add_loop_test(tc, test_shard_cover, 0, CX_ARRAY_LEN(scopes));
	tcase_add_test(tc, test_shard_big);
	tcase_add_test(tc, test_shard_empty);
	tcase_add_test(tc, test_shard_parse);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(shard_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
