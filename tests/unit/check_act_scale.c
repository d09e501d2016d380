/*
 * certexam — the additional act at scale (report/act.c): a baseline of
 * 60,000 deficiencies on 60,000 hosts against a re-examination that
 * scanned every host again, found half of the services gone and the
 * other half still failing.  The delta must give exactly 30,000
 * rectified (service gone) and 30,000 not rectified in bounded time.
 * Before the index, each finding whose service was not found again
 * walked every scanned host (findings x hosts).
 *
 * CX_SCALE_FINDINGS=N in the environment runs another size (to measure;
 * the counts asserted follow it).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/run.h"
#include "certexam/util.h"

static long N = 60000;
/* gcc -O2 builds the act in 0.07 s; the walk over every host per finding
 * took 4.6 s.  The margin is for sanitizer builds on a loaded machine. */
#define MAX_SECONDS 2.0

static void addr_of(long i, char *out, size_t n)
{
	snprintf(out, n, "10.%ld.%ld.%ld", (i >> 16) & 255, (i >> 8) & 255,
	         i & 255);
}

static struct cx_run *new_run(int number, const char *kind)
{
	struct cx_run *run = cx_run_new();

	ck_assert_ptr_nonnull(run);
	run->number = number;
	free(run->kind);
	run->kind = cx_strdup(kind);
	run->baseline = number > 1 ? 1 : 0;
	run->complete = 1;
	ck_assert_int_eq(cx_run_check_state(run, "portscan", "done"), 0);
	ck_assert_int_eq(cx_run_check_state(run, "ports", "done"), 0);
	return run;
}

static void add_fail(struct cx_run *run, const char *asset, const char *req,
                     enum cx_status st)
{
	struct cx_finding f;

	memset(&f, 0, sizeof(f));
	f.check = "ports";
	f.req_id = (char *)req;
	f.block = "network";
	f.asset = (char *)asset;
	f.status = st;
	f.severity = CX_SEV_HIGH;
	f.title = "Telnet is open";
	f.msg = "net.telnet.open";
	ck_assert_int_eq(cx_run_add_finding(run, &f), 0);
}

START_TEST(test_delta_linear)
{
	struct cx_run *base = new_run(1, "examination");
	struct cx_run *now = new_run(2, "additional");
	struct cx_act *act = NULL;
	char addr[32], asset[48];
	size_t i, rect = 0, notrect = 0, other = 0;
	const char *env = getenv("CX_SCALE_FINDINGS");
	struct timespec t0, t1;
	double s;
	long k, want;
	char *end = NULL;

	want = env != NULL ? strtol(env, &end, 10) : 0;
	if (env != NULL && end != env && *end == '\0' && want > 0)
		N = want;
	for (k = 0; k < N; k++) {
		struct cx_host_obs h = {0};
		struct cx_port_obs p = {0};

		addr_of(k, addr, sizeof(addr));
		snprintf(asset, sizeof(asset), "%s:23/tcp", addr);
		h.addr = addr;
		h.up = 1;
		ck_assert_int_eq(cx_run_add_host(base, &h), 0);
		ck_assert_int_eq(cx_run_add_host(now, &h), 0);
		add_fail(base, asset, "NET-01", CX_FAIL);
		if (k % 2 == 0) {
			/* still open, still failing */
			p.addr = addr;
			p.port = 23;
			p.proto = "tcp";
			p.state = CX_PORT_OPEN;
			ck_assert_int_eq(cx_run_add_port(now, &p, NULL), 0);
			add_fail(now, asset, "NET-01", CX_FAIL);
		} else {
			/* the port is gone; another item judged the host */
			add_fail(now, addr, "NET-03", CX_PASS);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(cx_act_build(now, base, NULL, "2026-11-21", &act), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr,
	        "check_act_scale: %ld x %ld findings: act built in "
	        "%.2f s\n",
	        N, N, s);
	ck_assert_uint_eq(act->n_delta, (size_t)N);
	for (i = 0; i < act->n_delta; i++) {
		if (act->delta[i].result == CX_RECT_RECTIFIED &&
		    act->delta[i].after == NULL)
			rect++;
		else if (act->delta[i].result == CX_RECT_NOT_RECTIFIED)
			notrect++;
		else
			other++;
	}
	ck_assert_uint_eq(rect, (size_t)(N / 2));
	ck_assert_uint_eq(notrect, (size_t)(N - N / 2));
	ck_assert_uint_eq(other, 0);
	ck_assert_int_eq(act->decision, CX_DECISION_REFUSE);
	ck_assert_msg(s < MAX_SECONDS, "the act took %.1f s (limit %.0f s)", s,
	              MAX_SECONDS);
	cx_act_free(act);
	cx_run_free(base);
	cx_run_free(now);
}
END_TEST

/* A host the run did not scan again: its service is not gone, only not
 * re-checked; a run whose port scan was not done proves nothing gone. */
START_TEST(test_gone_needs_scan)
{
	struct cx_run *base = new_run(1, "examination");
	struct cx_run *now = new_run(2, "additional");
	struct cx_run *half = new_run(2, "additional");
	struct cx_host_obs h = {0};
	struct cx_act *act = NULL;

	h.addr = "10.0.0.1";
	h.up = 1;
	ck_assert_int_eq(cx_run_add_host(base, &h), 0);
	ck_assert_int_eq(cx_run_add_host(half, &h), 0);
	add_fail(base, "10.0.0.1:23/tcp", "NET-01", CX_FAIL);
	/* now: another host only */
	h.addr = "10.0.0.2";
	ck_assert_int_eq(cx_run_add_host(now, &h), 0);
	ck_assert_int_eq(cx_act_build(now, base, NULL, "2026-11-21", &act), 0);
	ck_assert_uint_eq(act->n_delta, 1);
	ck_assert_int_eq(act->delta[0].result, CX_RECT_NOT_RECHECKED);
	cx_act_free(act);
	/* half: the host again, but the port scan was interrupted */
	ck_assert_int_eq(cx_run_check_state(half, "portscan", "interrupted"),
	                 0);
	ck_assert_int_eq(cx_act_build(half, base, NULL, "2026-11-21", &act), 0);
	ck_assert_int_eq(act->delta[0].result, CX_RECT_NOT_RECHECKED);
	cx_act_free(act);
	cx_run_free(base);
	cx_run_free(now);
	cx_run_free(half);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("act_scale");
	TCase *tc = tcase_create("delta");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_delta_linear);
	tcase_add_test(tc, test_gone_needs_scan);
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
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
