/*
 * certexam — unit tests for waivers (scanner/case/waivers.c): the key
 * pattern matcher, the loader's refusals (key and pattern together, an
 * expiry before the approval, no justification), and the application to a
 * run: applied, expired (not applied), refused on a critical finding when
 * the profile forbids it, unused; passes are never touched.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/calendar.h"
#include "certexam/profile.h"
#include "certexam/run.h"
#include "certexam/util.h"
#include "certexam/waiver.h"

#define SCHEMA CX_SOURCE_PROFILES "/schema"
#define DATA   CX_TEST_DATA "/waivers/"

static const struct {
	const char *pattern, *key;
	int match;
} pats[] = {
    {"http|WEB-15|*", "http|WEB-15|https://x/|Permissions-Policy", 1},
    {"http|WEB-15|*", "http|WEB-1|https://x/", 0},
    {"*|NET-06|*", "ports|NET-06|127.0.0.1:22/tcp|ssh", 1},
    {"*", "", 1},
    {"a*b*c", "aXXbYYc", 1},
    {"a*b*c", "aXXbYY", 0},
    {"ports|NET-01|127.0.0.1:23/tcp|telnet",
     "ports|NET-01|127.0.0.1:23/tcp|telnet", 1},
    {"ports|NET-01|127.0.0.1:23/tcp", "ports|NET-01|127.0.0.1:23/tcp|telnet",
     0},
    {"**x", "abcx", 1},
};

START_TEST(patterns)
{
	ck_assert_int_eq(cx_waiver_match(pats[_i].pattern, pats[_i].key),
	                 pats[_i].match);
}
END_TEST

START_TEST(refused_files)
{
	static const char *const bad[] = {DATA "both.xml", DATA "backwards.xml",
	                                  DATA "nojust.xml"};
	/* the message id of each refusal (nojust.xml: the schema's) */
	static const char *const ids[] = {"pkg.waiver.key-or-pattern",
	                                  "pkg.waiver.expires-before", NULL};
	struct cx_waivers *w = NULL;
	struct cx_diags d = {0};
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(bad); i++) {
		ck_assert_int_ne(cx_waivers_load(bad[i], SCHEMA, &w, &d), 0);
		ck_assert_ptr_null(w);
		ck_assert_uint_gt(d.n, 0);
		ck_assert_int_gt(d.items[d.n - 1].line, 0);
		if (ids[i] != NULL)
			ck_assert_str_eq(d.items[d.n - 1].msg, ids[i]);
		cx_diags_free(&d);
	}
}
END_TEST

static void add_finding(struct cx_run *run, const char *key, enum cx_status st,
                        enum cx_severity sev)
{
	struct cx_finding f;

	memset(&f, 0, sizeof(f));
	f.key = (char *)key;
	f.check = "x";
	f.req_id = "R";
	f.status = st;
	f.severity = sev;
	ck_assert_int_eq(cx_run_add_finding(run, &f), 0);
}

static const char *state_of(const struct cx_run *run, const char *finding)
{
	size_t i;

	for (i = 0; i < run->n_obs; i++)
		if (strcmp(run->obs[i].kind, "waiver") == 0 &&
		    strcmp(cx_obs_get(&run->obs[i], "finding"), finding) == 0)
			return cx_obs_get(&run->obs[i], "state");
	return NULL;
}

START_TEST(apply)
{
	struct cx_waivers *w = NULL;
	struct cx_diags d = {0};
	struct cx_run *run = cx_run_new();
	struct cx_param forbid = {.name = "waiver.critical",
	                          .value = "forbidden"};
	struct cx_profile prof;
	long today;
	size_t i, waived = 0;

	memset(&prof, 0, sizeof(prof));
	prof.params = &forbid;
	prof.n_params = 1;
	ck_assert_int_eq(cx_waivers_load(CX_TEST_DATA "/../../examples/case/"
	                                              "waivers.xml",
	                                 SCHEMA, &w, &d),
	                 0);
	ck_assert_uint_eq(w->n, 3);
	ck_assert_str_eq(w->items[0].pattern, "http|WEB-15|*");
	ck_assert_ptr_nonnull(
	    strstr(w->items[0].justification, "cross-origin"));
	add_finding(run, "http|WEB-15|https://lab/|Permissions-Policy", CX_FAIL,
	            CX_SEV_LOW);
	add_finding(run, "http|WEB-15|https://lab/|Cross-Origin-Opener-Policy",
	            CX_FAIL, CX_SEV_LOW);
	add_finding(run, "http|WEB-15|https://other/|Permissions-Policy",
	            CX_PASS, CX_SEV_LOW);
	add_finding(run, "ports|NET-01|127.0.0.1:23/tcp|telnet", CX_FAIL,
	            CX_SEV_CRITICAL);
	add_finding(run,
	            "http|WEB-14|https://lab.certexam.test/|/.well-known/"
	            "security.txt",
	            CX_FAIL, CX_SEV_INFO);
	ck_assert_int_eq(cx_date_parse("2026-12-02", &today), 0);
	ck_assert_int_eq(cx_waivers_apply(w, run, &prof, today), 0);
	ck_assert_int_eq(run->findings[0].status, CX_WAIVED);
	ck_assert_int_eq(run->findings[1].status, CX_WAIVED);
	ck_assert_int_eq(run->findings[2].status, CX_PASS); /* untouched */
	ck_assert_int_eq(run->findings[3].status, CX_FAIL); /* critical */
	ck_assert_int_eq(run->findings[4].status, CX_FAIL); /* expired */
	ck_assert_str_eq(state_of(run, run->findings[0].key), "applied");
	ck_assert_str_eq(state_of(run, run->findings[3].key),
	                 "refused-critical");
	ck_assert_str_eq(state_of(run, run->findings[4].key), "expired");
	for (i = 0; i < run->n_findings; i++)
		waived += run->findings[i].status == CX_WAIVED;
	ck_assert_uint_eq(waived, 2);
	cx_run_free(run);

	/* Without the profile's rule the critical one is waived; nothing
	 * else matches the expired one's key, and a waiver that matches
	 * nothing says so. */
	run = cx_run_new();
	prof.n_params = 0;
	add_finding(run, "ports|NET-01|127.0.0.1:23/tcp|telnet", CX_FAIL,
	            CX_SEV_CRITICAL);
	ck_assert_int_eq(cx_waivers_apply(w, run, &prof, today), 0);
	ck_assert_int_eq(run->findings[0].status, CX_WAIVED);
	ck_assert_str_eq(state_of(run, "http|WEB-15|*"), "unused");
	/* On 1 January 2027 the telnet waiver has expired. */
	cx_run_free(run);
	run = cx_run_new();
	add_finding(run, "ports|NET-01|127.0.0.1:23/tcp|telnet", CX_FAIL,
	            CX_SEV_CRITICAL);
	ck_assert_int_eq(cx_date_parse("2027-01-01", &today), 0);
	ck_assert_int_eq(cx_waivers_apply(w, run, &prof, today), 0);
	ck_assert_int_eq(run->findings[0].status, CX_FAIL);
	ck_assert_str_eq(state_of(run, run->findings[0].key), "expired");
	cx_run_free(run);
	cx_waivers_free(w);
	cx_diags_free(&d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("waivers");
	TCase *tc = tcase_create("waivers");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, patterns, 0, (int)CX_ARRAY_LEN(pats));
	tcase_add_test(tc, refused_files);
	tcase_add_test(tc, apply);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
