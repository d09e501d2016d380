/*
 * Unit tests: scope entries, lazy target expansion, scope checks.
 * Port sets are tested in check_target_ports.c.
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

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CX_ASAN 1
#endif
#endif

#ifndef CX_SOURCE_PROFILES
#define CX_SOURCE_PROFILES "profiles"
#endif

#include "target_util.h"

static struct cx_scope scope;
static struct cx_diags diags;

static void setup(void)
{
	memset(&scope, 0, sizeof(scope));
	memset(&diags, 0, sizeof(diags));
}

static void teardown(void)
{
	cx_scope_free(&scope);
	cx_diags_free(&diags);
}

/*
 * Name lookups beyond /etc/hosts would go to the configured DNS server.
 * Tests that resolve names run in a fresh network namespace (Check forks
 * each test), so no query can leave the machine.  0 when isolated.
 */
static int isolate_dns(void)
{
	/* As root; else as an unprivileged user in a user namespace. */
	if (unshare(CLONE_NEWNET) != 0 &&
	    unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0) {
		fprintf(stderr, "check_target: cannot unshare the network "
		                "namespace; name-resolution test skipped\n");
		return -1;
	}
	return 0;
}

static struct cx_addr A(const char *s) {
	struct cx_addr a;

	ck_assert_int_eq(cx_addr_parse(s, &a), 0);
	return a;
}

static int
in_scope(const char *s)
{
	struct cx_addr a = A(s);

	return cx_scope_contains(&scope, &a);
}

/* Add entry e to the scope (an exclusion when exclude): it must be
 * accepted. */
static void add_ok(const char *e, int exclude)
{
	ck_assert_msg(cx_scope_add(&scope, e, exclude, &diags, NULL, 0) == 0,
	              "scope entry \"%s\" refused", e);
}

/* Iterate the whole scope; return the count, first and last as text. */
static uint64_t iterate(char *first, char *last)
{
	struct cx_target_iter it;
	struct cx_addr a, prev;
	uint64_t n = 0;

	first[0] = last[0] = '\0';
	cx_target_iter_init(&it, &scope);
	while (cx_target_next(&it, &a)) {
		ck_assert(cx_scope_contains(&scope, &a));
		if (n == 0)
			cx_addr_str(&a, first, 64);
		else if (prev.family == a.family)
			ck_assert_int_lt(cx_addr_cmp(&prev, &a), 0);
		prev = a;
		n++;
	}
	if (n > 0)
		cx_addr_str(&prev, last, 64);
	return n;
}

/* The whole scope iterates over n addresses, from first to last. */
static void expect_iter(uint64_t n, const char *first, const char *last)
{
	char f[64], l[64];

	ck_assert_uint_eq(iterate(f, l), n);
	ck_assert_str_eq(f, first);
	ck_assert_str_eq(l, last);
}

START_TEST(test_addr_parse_str)
{
	struct cx_addr a;
	char s[64];

	ck_assert_int_eq(cx_addr_parse("192.0.2.7", &a), 0);
	ck_assert_int_eq(a.family, AF_INET);
	ck_assert_int_eq(a.b[3], 7);
	cx_addr_str(&a, s, sizeof(s));
	ck_assert_str_eq(s, "192.0.2.7");
	ck_assert_int_eq(cx_addr_parse("2001:db8::1", &a), 0);
	ck_assert_int_eq(a.family, AF_INET6);
	cx_addr_str(&a, s, sizeof(s));
	ck_assert_str_eq(s, "2001:db8::1");
	ck_assert_int_eq(cx_addr_parse("256.1.1.1", &a), CX_EINVAL);
	ck_assert_int_eq(cx_addr_parse("1.2.3", &a), CX_EINVAL);
	ck_assert_int_eq(cx_addr_parse("", &a), CX_EINVAL);
	ck_assert_int_eq(cx_addr_parse("::g", &a), CX_EINVAL);
	/* Ordering: by family, then numerically. */
	{
		struct cx_addr x = A("10.0.0.2"), y = A("10.0.0.10"),
		               z = A("::1");
		ck_assert_int_lt(cx_addr_cmp(&x, &y), 0);
		ck_assert_int_gt(cx_addr_cmp(&y, &x), 0);
		ck_assert_int_eq(cx_addr_cmp(&x, &x), 0);
		ck_assert_int_ne(cx_addr_cmp(&x, &z), 0);
	}
}
END_TEST

START_TEST(test_single_and_cidr_v4)
{
	add_ok("192.0.2.7", 0);
	add_ok(" 198.51.100.0/30 ", 0);
	ck_assert_uint_eq(cx_scope_size(&scope), 5);
	expect_iter(5, "192.0.2.7", "198.51.100.3");
	ck_assert(in_scope("198.51.100.2"));
	ck_assert(!in_scope("198.51.100.4"));
	ck_assert(!in_scope("192.0.2.8"));
	ck_assert_str_eq(scope.blocks[1].origin, "198.51.100.0/30");
	ck_assert_ptr_null(scope.blocks[1].hostname);
	ck_assert_uint_eq(diags.n, 0);
}
END_TEST

START_TEST(test_cidr_host_bits_masked)
{
	add_ok("10.1.2.3/24", 0);
	expect_iter(256, "10.1.2.0", "10.1.2.255");
	add_ok("10.9.9.9/32", 0);
	ck_assert_uint_eq(cx_scope_size(&scope), 257);
}
END_TEST

START_TEST(test_slash16_lazy)
{
	struct rusage before, after;
	char f[64], l[64];

	add_ok("10.20.0.0/16", 0);
	/* One block, not 65,536 of anything. */
	ck_assert_uint_eq(scope.n_blocks, 1);
	ck_assert_uint_eq(cx_scope_size(&scope), 65536);
	getrusage(RUSAGE_SELF, &before);
	ck_assert_uint_eq(iterate(f, l), 65536);
	getrusage(RUSAGE_SELF, &after);
	ck_assert_str_eq(f, "10.20.0.0");
	ck_assert_str_eq(l, "10.20.255.255");
	/*
	 * Iteration allocates nothing: the peak RSS grows by < 1 MB (not
	 * meaningful under AddressSanitizer, which has its own shadow).
	 */
#if !defined(__SANITIZE_ADDRESS__) && !defined(CX_ASAN)
	ck_assert_int_lt(after.ru_maxrss - before.ru_maxrss, 1024);
#endif
}
END_TEST

START_TEST(test_ranges_v4)
{
	char f[64], l[64];

	add_ok("192.0.2.10-20", 0);
	expect_iter(11, "192.0.2.10", "192.0.2.20");
	cx_scope_free(&scope);
	add_ok("192.0.2.250-192.0.3.4", 0);
	expect_iter(11, "192.0.2.250", "192.0.3.4");
	ck_assert(in_scope("192.0.2.255"));
	ck_assert(in_scope("192.0.3.0"));
	ck_assert(!in_scope("192.0.3.5"));
	cx_scope_free(&scope);
	/* A one-address range. */
	add_ok("192.0.2.5-5", 0);
	ck_assert_uint_eq(iterate(f, l), 1);
}
END_TEST

START_TEST(test_ipv6)
{
	char f[64], l[64];

	add_ok("2001:db8::1", 0);
	ck_assert_uint_eq(iterate(f, l), 1);
	ck_assert_str_eq(f, "2001:db8::1");
	cx_scope_free(&scope);
	add_ok("2001:db8:1::/120", 0);
	ck_assert_uint_eq(cx_scope_size(&scope), 256);
	expect_iter(256, "2001:db8:1::", "2001:db8:1::ff");
	ck_assert(in_scope("2001:db8:1::80"));
	ck_assert(!in_scope("2001:db8:1::100"));
	ck_assert(!in_scope("10.0.0.1"));
	cx_scope_free(&scope);
	/* A /112 is 65,536 addresses; iterated lazily. */
	add_ok("2001:db8:2::/112", 0);
	ck_assert_uint_eq(iterate(f, l), 65536);
	ck_assert_str_eq(l, "2001:db8:2::ffff");
	cx_scope_free(&scope);
	/* Huge blocks saturate the size instead of overflowing. */
	add_ok("2001:db8::/32", 0);
	ck_assert_uint_eq(cx_scope_size(&scope), UINT64_MAX);
	add_ok("::/0", 0);
	ck_assert_uint_eq(cx_scope_size(&scope), UINT64_MAX);
	cx_scope_free(&scope);
	add_ok("2001:db8::/64", 0);
	ck_assert_uint_eq(cx_scope_size(&scope), UINT64_MAX);
	cx_scope_free(&scope);
	add_ok("2001:db8::/65", 0);
	ck_assert_uint_eq(cx_scope_size(&scope), (uint64_t)1 << 63);
	cx_scope_free(&scope);
	/* A v6 range. */
	add_ok("2001:db8::fffe-2001:db8::1:1", 0);
	ck_assert_uint_eq(iterate(f, l), 4);
	ck_assert_str_eq(l, "2001:db8::1:1");
}
END_TEST

/*
 * Found by tests/fuzz/fuzz_target: a block too big to count (saturated
 * size) ignored its exclusions, so a scope excluded completely claimed
 * UINT64_MAX addresses.  Input: "1b8::21/6\n--8::/126\n--8::/6".
 */
START_TEST(test_excluded_huge_block_size)
{
	struct cx_target_iter it;
	struct cx_addr a;

	add_ok("1b8::21/6", 0);
	add_ok("8::/126", 1);
	ck_assert_uint_eq(cx_scope_size(&scope), UINT64_MAX);
	add_ok("8::/6", 1);
	ck_assert_uint_eq(cx_scope_size(&scope), 0);
	cx_target_iter_init(&it, &scope);
	ck_assert_int_eq(cx_target_next(&it, &a), 0);
	cx_scope_free(&scope);
	/* ::/0 minus all but a /120 at each end is 512 addresses. */
	add_ok("::/0", 0);
	add_ok("::100-ffff:ffff:ffff:ffff:ffff:ffff:ffff:feff", 1);
	ck_assert_uint_eq(cx_scope_size(&scope), 512);
	cx_scope_free(&scope);
	/* 2^64 + 1 addresses still saturate. */
	add_ok("2001:db8::-2001:db8:0:1::", 0);
	ck_assert_uint_eq(cx_scope_size(&scope), UINT64_MAX);
	add_ok("2001:db8::", 1);
	ck_assert_uint_eq(cx_scope_size(&scope), UINT64_MAX);
	add_ok("2001:db8::1-2001:db8::2", 1);
	ck_assert_uint_eq(cx_scope_size(&scope), UINT64_MAX - 1);
}
END_TEST

START_TEST(test_excludes)
{
	add_ok("10.0.0.0/24", 0);
	add_ok("10.0.0.0/25", 1);
	add_ok("10.0.0.200-210", 1);
	add_ok("10.0.0.255", 1);
	ck_assert_uint_eq(cx_scope_size(&scope), 128 - 11 - 1);
	expect_iter(116, "10.0.0.128", "10.0.0.254");
	ck_assert(!in_scope("10.0.0.5"));
	ck_assert(!in_scope("10.0.0.205"));
	ck_assert(in_scope("10.0.0.199"));
	ck_assert(in_scope("10.0.0.211"));
	ck_assert(!in_scope("10.0.0.255"));
	ck_assert(!in_scope("10.0.1.1"));
}
END_TEST

START_TEST(test_overlaps_counted_once)
{
	char f[64], l[64];

	add_ok("10.0.0.0/24", 0);
	add_ok("10.0.0.128/25", 0);
	add_ok("10.0.0.250-10.0.1.4", 0);
	add_ok("10.0.0.7", 0);
	ck_assert_uint_eq(cx_scope_size(&scope), 261);
	ck_assert_uint_eq(iterate(f, l), 261);
	ck_assert_str_eq(l, "10.0.1.4");
}
END_TEST

START_TEST(test_localhost)
{
	struct addrinfo hints, *res = NULL, *ai;
	int want_v6 = 0;
	size_t i;
	char s[64];
	int saw4 = 0, saw6 = 0;

	if (isolate_dns() != 0)
		return;
	add_ok("localhost", 0);
	ck_assert(in_scope("127.0.0.1"));
	/* ::1 is expected exactly when the system resolver returns it. */
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET6;
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo("localhost", NULL, &hints, &res) == 0) {
		for (ai = res; ai != NULL; ai = ai->ai_next)
			if (ai->ai_family == AF_INET6)
				want_v6 = 1;
		freeaddrinfo(res);
	}
	ck_assert_int_eq(in_scope("::1"), want_v6);
	for (i = 0; i < scope.n_blocks; i++) {
		ck_assert_str_eq(scope.blocks[i].hostname, "localhost");
		ck_assert_str_eq(scope.blocks[i].origin, "localhost");
		ck_assert_int_eq(
		    cx_addr_cmp(&scope.blocks[i].first, &scope.blocks[i].last),
		    0);
		cx_addr_str(&scope.blocks[i].first, s, sizeof(s));
		if (strcmp(s, "127.0.0.1") == 0)
			saw4++;
		if (strcmp(s, "::1") == 0)
			saw6++;
	}
	ck_assert_int_eq(saw4, 1);
	ck_assert_int_eq(saw6, want_v6);
	ck_assert_uint_eq(scope.n_hostnames, 1);
	ck_assert_str_eq(scope.hostnames[0], "localhost");
	if (!want_v6)
		fprintf(stderr, "check_target: this system does not resolve "
		                "localhost to ::1; checked 127.0.0.1 only\n");
}
END_TEST

START_TEST(test_urls)
{
	if (isolate_dns() != 0)
		return;
	add_ok("https://127.0.0.1:8443/login?x=1", 0);
	add_ok("http://[::1]:8080/", 0);
	add_ok("http://[::1]", 0);
	add_ok("https://localhost/a", 0);
	ck_assert(in_scope("127.0.0.1"));
	ck_assert(in_scope("::1"));
	ck_assert_uint_eq(scope.n_urls, 4);
	ck_assert_str_eq(scope.urls[0], "https://127.0.0.1:8443/login?x=1");
	ck_assert_str_eq(scope.urls[1], "http://[::1]:8080/");
	ck_assert_uint_eq(scope.n_hostnames, 1);
	ck_assert_str_eq(scope.hostnames[0], "localhost");
	ck_assert_uint_eq(diags.n, 0);
	/* A URL's name is served on the URL's port (443 by default). */
	for (size_t i = 0; i < scope.n_blocks; i++)
		if (scope.blocks[i].hostname != NULL)
			ck_assert_int_eq(scope.blocks[i].name_port, 443);
	/* The same name again (any case) is not resolved again. */
	{
		size_t nb = scope.n_blocks;
		add_ok("LocalHost", 0);
		ck_assert_uint_eq(scope.n_blocks, nb);
		ck_assert_uint_eq(scope.n_hostnames, 1);
		/* ... but as a host entry its name serves every port. */
		for (size_t i = 0; i < nb; i++)
			if (scope.blocks[i].hostname != NULL)
				ck_assert_int_eq(scope.blocks[i].name_port, 0);
		/* Excluding it takes the same addresses out. */
		add_ok("localhost", 1);
		ck_assert(!in_scope("127.0.0.1"));
		ck_assert(in_scope("::1"));
	}
}
END_TEST

/* Which port a URL's host name is served on (issue 13 item 8). */
START_TEST(test_url_name_port)
{
	size_t i;

	if (isolate_dns() != 0)
		return;
	add_ok("http://localhost:8080/x", 0);
	ck_assert_uint_gt(scope.n_blocks, 0);
	for (i = 0; i < scope.n_blocks; i++)
		ck_assert_int_eq(scope.blocks[i].name_port, 8080);
	/* The same name by URL on the same port keeps it; on another
	 * port the name is served on every port. */
	add_ok("http://localhost:8080/y", 0);
	for (i = 0; i < scope.n_blocks; i++)
		ck_assert_int_eq(scope.blocks[i].name_port, 8080);
	add_ok("http://localhost/", 0);
	for (i = 0; i < scope.n_blocks; i++)
		ck_assert_int_eq(scope.blocks[i].name_port, 0);
}
END_TEST

START_TEST(test_unresolvable)
{
	if (isolate_dns() != 0)
		return;
	/* .invalid never resolves (RFC 6761). */
	ck_assert_int_eq(cx_scope_add(&scope, "no-such-host.invalid", 0, &diags,
	                              "object.xml", 12),
	                 CX_ERESOLVE);
	ck_assert_uint_eq(diags.n, 1);
	ck_assert_str_eq(diags.items[0].file, "object.xml");
	ck_assert_int_eq(diags.items[0].line, 12);
	ck_assert_ptr_nonnull(
	    strstr(diags.items[0].message, "no-such-host.invalid"));
	ck_assert_uint_eq(scope.n_blocks, 0);
}
END_TEST

static const char *const bad_entries[] = {
    "",
    "   ",
    "10.0.0.256",
    "10.0.0",
    "10.0.0.1.2",
    "1.2.3.4/33",
    "1.2.3.4/-1",
    "1.2.3.4/",
    "1.2.3.4/abc",
    "::1/129",
    "10.0.0.5-3",
    "10.0.0.5-256",
    "10.0.0.5-10.0.0.4",
    "10.0.0.5-::1",
    "10.0.0.5-",
    "10.0.0.300-301",
    "2001:db8::5-2001:db8::1",
    "2001:db8:::1",
    "[::1]",
    "-host.example",
    "host..example",
    "bad_char$.example",
    "a b",
    "http://",
    "http:///path",
    "http://[::1/",
    "http://[10.0.0.1]/",
    "http://127.0.0.1:0/",
    "http://127.0.0.1:65536/",
    "http://127.0.0.1:x/",
    "ht tp://127.0.0.1/",
    "1://127.0.0.1/",
    "http://999.0.0.1/",
    "0x7f.0.0.1",
    "123",
    "\x01\x02",
    "10.0.0.1\n10.0.0.2",
    "fe80::1%eth0",
    "localhost:8080",
    "127.0.0.1:22",
    "http://[fe80::1%25eth0]/",
};

START_TEST(test_bad_entries)
{
	const char *e = bad_entries[_i];
	int rc;

	rc = cx_scope_add(&scope, e, 0, &diags, "case/object.xml", 7);
	ck_assert_msg(rc == CX_EINVAL, "entry '%s' gave %d", e, rc);
	ck_assert_uint_eq(scope.n_blocks, 0);
	ck_assert_uint_eq(scope.n_urls, 0);
	ck_assert_uint_eq(diags.n, 1);
	ck_assert_str_eq(diags.items[0].file, "case/object.xml");
	ck_assert_int_eq(diags.items[0].line, 7);
	ck_assert_ptr_nonnull(strstr(diags.items[0].message, "scope entry"));
	/* Excludes are validated the same way. */
	rc = cx_scope_add(&scope, e, 1, &diags, NULL, 0);
	ck_assert_int_eq(rc, CX_EINVAL);
	ck_assert_uint_eq(scope.n_excluded, 0);
}
END_TEST

START_TEST(test_bad_entry_names_it)
{
	ck_assert_int_eq(
	    cx_scope_add(&scope, "example.org:443", 0, &diags, NULL, 0),
	    CX_EINVAL);
	ck_assert_ptr_nonnull(strstr(diags.items[0].message, "use a URL"));
	cx_diags_free(&diags);
	memset(&diags, 0, sizeof(diags));

	ck_assert_int_eq(
	    cx_scope_add(&scope, "10.0.0.300", 0, &diags, "object.xml", 3),
	    CX_EINVAL);
	ck_assert_ptr_nonnull(strstr(diags.items[0].message, "10.0.0.300"));
	ck_assert_ptr_nonnull(strstr(diags.items[0].message, "255"));
	/* What came from a file is shown escaped, never raw. */
	ck_assert_int_eq(cx_scope_add(&scope, "a\x1b[31mb", 0, &diags, NULL, 0),
	                 CX_EINVAL);
	ck_assert_ptr_null(strchr(diags.items[diags.n - 1].message, 0x1b));
	ck_assert_ptr_nonnull(
	    strstr(diags.items[diags.n - 1].message, "\\x1B"));
	/* NULL diags is accepted. */
	ck_assert_int_eq(cx_scope_add(&scope, "1.2.3.4/40", 0, NULL, NULL, 0),
	                 CX_EINVAL);
	/* Overlong input is refused, not truncated. */
	{
		char big[5000];
		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		ck_assert_int_eq(cx_scope_add(&scope, big, 0, &diags, NULL, 0),
		                 CX_EINVAL);
	}
}
END_TEST

START_TEST(test_empty_scope)
{
	struct cx_target_iter it;
	struct cx_addr a = A("10.0.0.1");

	cx_target_iter_init(&it, &scope);
	ck_assert_int_eq(cx_target_next(&it, &a), 0);
	ck_assert_uint_eq(cx_scope_size(&scope), 0);
	ck_assert_int_eq(cx_scope_contains(&scope, &a), 0);
	/* Top of the address space: no wrap-around. */
	add_ok("255.255.255.254/31", 0);
	{
		char f[64], l[64];
		ck_assert_uint_eq(iterate(f, l), 2);
		ck_assert_str_eq(l, "255.255.255.255");
	}
	cx_scope_free(&scope);
	cx_scope_free(NULL);
}
END_TEST

/*
 * Random scopes inside 10.0.0.0/24 (blocks, ranges, CIDRs, excludes):
 * iteration, size and containment agree with a brute-force bitmap.
 */
START_TEST(test_iter_matches_bruteforce)
{
	int round;

	for (round = 0; round < 300; round++) {
		unsigned char in[256], ex[256];
		int n, k, i;
		uint64_t want = 0, got = 0;
		struct cx_target_iter it;
		struct cx_addr a;
		unsigned seen[256];
		char e[64];

		memset(in, 0, sizeof(in));
		memset(ex, 0, sizeof(ex));
		memset(seen, 0, sizeof(seen));
		cx_scope_free(&scope);
		n = 1 + (int)(rnd() % 6);
		for (k = 0; k < n; k++) {
			int excl = k > 0 && rnd() % 3 == 0;
			unsigned lo = rnd() % 256, hi, kind = rnd() % 3, pfx;
			unsigned char *m = excl ? ex : in;

			if (kind == 0) {
				hi = lo + rnd() % (256 - lo);
				snprintf(e, sizeof(e), "10.0.0.%u-%u", lo, hi);
			} else if (kind == 1) {
				hi = lo;
				snprintf(e, sizeof(e), "10.0.0.%u", lo);
			} else {
				pfx = 24 + rnd() % 9;
				lo &= ~((1u << (32 - pfx)) - 1u) & 0xffu;
				hi = lo + (1u << (32 - pfx)) - 1u;
				snprintf(e, sizeof(e), "10.0.0.%u/%u", lo, pfx);
			}
			ck_assert_int_eq(
			    cx_scope_add(&scope, e, excl, &diags, NULL, 0), 0);
			for (i = (int)lo; i <= (int)hi; i++)
				m[i] = 1;
		}
		for (i = 0; i < 256; i++)
			want += in[i] && !ex[i];
		cx_target_iter_init(&it, &scope);
		while (cx_target_next(&it, &a)) {
			ck_assert_int_eq(a.family, AF_INET);
			ck_assert(in[a.b[3]] && !ex[a.b[3]]);
			ck_assert_uint_eq(seen[a.b[3]], 0);
			seen[a.b[3]] = 1;
			got++;
		}
		ck_assert_uint_eq(got, want);
		ck_assert_uint_eq(cx_scope_size(&scope), want);
		for (i = 0; i < 256; i++) {
			struct cx_addr x = A("10.0.0.0");
			x.b[3] = (uint8_t)i;
			ck_assert_int_eq(cx_scope_contains(&scope, &x),
			                 in[i] && !ex[i]);
		}
	}
}
END_TEST

/* Random garbage never crashes the parsers and gives sane results. */
START_TEST(test_garbage_entries)
{
	static const char cs[] = "0123456789.:/-[]%@abcfx ";
	char e[48];
	int round, len, i, rc;

	if (isolate_dns() != 0)
		return;
	for (round = 0; round < 3000; round++) {
		size_t before = scope.n_blocks;
		len = (int)(rnd() % 40);
		for (i = 0; i < len; i++)
			e[i] = cs[rnd() % (sizeof(cs) - 1)];
		e[len] = '\0';
		rc = cx_scope_add(&scope, e, (int)(rnd() % 2), &diags, NULL, 0);
		ck_assert_msg(rc == 0 || rc == CX_EINVAL || rc == CX_ERESOLVE,
		              "'%s' gave %d", e, rc);
		if (rc != 0)
			ck_assert_uint_eq(scope.n_blocks, before);
	}
	cx_scope_size(&scope);
}
END_TEST

static Suite *target_suite(void)
{
	Suite *s = suite_create("target");
	TCase *tc = tcase_create("scope");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_addr_parse_str);
	tcase_add_test(tc, test_single_and_cidr_v4);
	tcase_add_test(tc, test_cidr_host_bits_masked);
	tcase_add_test(tc, test_slash16_lazy);
	tcase_add_test(tc, test_ranges_v4);
	tcase_add_test(tc, test_ipv6);
	tcase_add_test(tc, test_excludes);
	tcase_add_test(tc, test_excluded_huge_block_size);
	tcase_add_test(tc, test_overlaps_counted_once);
	tcase_add_test(tc, test_localhost);
	tcase_add_test(tc, test_urls);
	tcase_add_test(tc, test_url_name_port);
	tcase_add_test(tc, test_unresolvable);
	tcase_add_loop_test(tc, test_bad_entries, 0,
	                    (int)CX_ARRAY_LEN(bad_entries));
	tcase_add_test(tc, test_bad_entry_names_it);
	tcase_add_test(tc, test_empty_scope);
	tcase_add_test(tc, test_iter_matches_bruteforce);
	tcase_add_test(tc, test_garbage_entries);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(target_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
