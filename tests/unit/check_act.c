/*
 * Unit tests: the act model (block verdicts, numbering, decisions of
 * paragraphs 27 and 37, the delta against a baseline) and the register of
 * acts.  The writers are tested in check_act_render.c; the runs and
 * findings both build on are in act_util.c.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "act_util.h"
#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/run.h"
#include "certexam/util.h"

enum { B_PRE = 0, B_DOC, B_SITE, B_NET, B_TLS, B_WEB, B_INV };

START_TEST(test_not_performed_never_passes)
{
	struct cx_run *run = base_run(1, "examination");
	struct cx_act *act;

	finding(run, "ports", "NET-01", "network", "h", CX_PASS, CX_SEV_HIGH,
	        "ok");
	ck_assert_int_eq(cx_act_build(run, NULL, NULL, "2026-11-21", &act), 0);
	ck_assert_int_eq(act->blocks[B_DOC].verdict, CX_VERDICT_NOT_PERFORMED);
	ck_assert_int_eq(act->blocks[B_NET].verdict, CX_VERDICT_PASS);
	ck_assert_int_eq(act->blocks[B_TLS].verdict, CX_VERDICT_NOT_PERFORMED);
	/* 22(4) has blocks not performed: incomplete, not a pass. */
	ck_assert_int_eq(act->parts[3].verdict, CX_VERDICT_INCOMPLETE);
	ck_assert_int_eq(act->decision, CX_DECISION_NONE);
	ck_assert_ptr_null(act->decision_para);
	ck_assert_str_eq(act->reason_msg,
	                 "act.reason.parts-missing-incomplete");
	cx_act_free(act);
	cx_run_free(run);
}
END_TEST

START_TEST(test_decisions)
{
	struct cx_run *pass = base_run(1, "examination");
	struct cx_run *fail = base_run(2, "examination");
	struct cx_run *inc = base_run(3, "examination");
	struct cx_act *act;

	all_blocks(pass, CX_PASS);
	ck_assert_int_eq(cx_act_build(pass, NULL, NULL, NULL, &act), 0);
	ck_assert_int_eq(act->decision, CX_DECISION_ISSUE);
	ck_assert_str_eq(act->decision_para, "27(1)");
	ck_assert_str_eq(act->reason_msg, "act.reason.no-deficiency");
	cx_act_free(act);

	all_blocks(fail, CX_PASS);
	finding(fail, "tls", "TLS-02", "tls", "h:443/tcp", CX_FAIL, CX_SEV_HIGH,
	        "RC4");
	finding(fail, "ports", "NET-03", "network", "h:5432/tcp", CX_FAIL,
	        CX_SEV_CRITICAL, "pg");
	ck_assert_int_eq(cx_act_build(fail, NULL, NULL, NULL, &act), 0);
	ck_assert_int_eq(act->decision, CX_DECISION_RECTIFY);
	ck_assert_str_eq(act->decision_para, "27(3)");
	ck_assert_uint_eq(act->n_defs, 2);
	/* Numbered in block order: network before tls. */
	ck_assert_str_eq(act->defs[0].first->req_id, "NET-03");
	ck_assert_int_eq(act->defs[0].number, 1);
	ck_assert_str_eq(act->defs[1].first->req_id, "TLS-02");
	ck_assert_int_eq(act->blocks[B_TLS].verdict, CX_VERDICT_FAIL);
	ck_assert_int_eq(act->parts[3].verdict, CX_VERDICT_FAIL);
	ck_assert_uint_eq(act->by_sev[CX_SEV_CRITICAL], 1);
	cx_act_free(act);

	all_blocks(inc, CX_PASS);
	finding(inc, "tls", "TLS-09", "tls", "h:443/tcp", CX_NOT_CHECKED,
	        CX_SEV_CRITICAL, "could not test");
	ck_assert_int_eq(cx_act_build(inc, NULL, NULL, NULL, &act), 0);
	ck_assert_int_eq(act->blocks[B_TLS].verdict, CX_VERDICT_INCOMPLETE);
	ck_assert_int_eq(act->decision, CX_DECISION_NONE);
	ck_assert_str_eq(act->reason_msg, "act.reason.parts-incomplete");
	cx_act_free(act);
	cx_run_free(pass);
	cx_run_free(fail);
	cx_run_free(inc);
}
END_TEST

/* Info failures and practice failures are recommendations: 27(1). */
START_TEST(test_info_and_practice_never_drive)
{
	struct cx_run *run = base_run(1, "examination");
	struct cx_act *act;

	all_blocks(run, CX_PASS);
	finding_msg(run, "WEB-20", "web", "https://h/", CX_FAIL, CX_SEV_INFO,
	            "web.securitytxt.absent", NULL, NULL);
	finding_msg(run, "WEB-21", "web", "https://h/", CX_FAIL, CX_SEV_HIGH,
	            "web.coep.absent", NULL, "practice");
	ck_assert_int_eq(cx_act_build(run, NULL, NULL, NULL, &act), 0);
	ck_assert_uint_eq(act->n_defs, 0);
	ck_assert_uint_eq(act->n_recs, 2);
	ck_assert_int_eq(act->decision, CX_DECISION_ISSUE);
	ck_assert_str_eq(act->decision_para, "27(1)");
	/* The block still shows the failure. */
	ck_assert_int_eq(act->blocks[B_WEB].verdict, CX_VERDICT_FAIL);
	cx_act_free(act);
	cx_run_free(run);
}
END_TEST

/* A documents-only run: parts 22(1), 22(3), 22(4) not performed. */
START_TEST(test_documents_only_no_proposal)
{
	struct cx_run *run = base_run(1, "examination");
	struct cx_act *act;
	size_t i;

	finding(run, "documents", "DOC-07", "documents", "o", CX_FAIL,
	        CX_SEV_HIGH, "missing");
	ck_assert_int_eq(cx_act_build(run, NULL, NULL, NULL, &act), 0);
	ck_assert_int_eq(act->decision, CX_DECISION_NONE);
	ck_assert_ptr_null(act->decision_para);
	ck_assert_str_eq(act->reason_msg, "act.reason.parts-missing");
	for (i = 0; act->reason_args[i] != NULL; i += 2)
		if (strcmp(act->reason_args[i], "parts") == 0)
			ck_assert_str_eq(act->reason_args[i + 1],
			                 "22(1), 22(3), 22(4)");
	ck_assert_uint_eq(act->n_defs, 1);
	cx_act_free(act);
	cx_run_free(run);
}
END_TEST

/* 27(2) only where the profile names a refusal ground that was met. */
START_TEST(test_refusal_ground)
{
	static const char *const grounds[] = {"NET-03", NULL};
	static const char *const other[] = {"DOC-99", NULL};
	struct cx_run *run = base_run(1, "examination");
	struct cx_act_opts o;
	struct cx_act *act;

	all_blocks(run, CX_PASS);
	finding(run, "ports", "NET-03", "network", "h:5432/tcp", CX_FAIL,
	        CX_SEV_CRITICAL, "pg");
	memset(&o, 0, sizeof(o));
	o.refusal_grounds = grounds;
	ck_assert_int_eq(cx_act_build_opts(run, NULL, &o, &act), 0);
	ck_assert_int_eq(act->decision, CX_DECISION_REFUSE);
	ck_assert_str_eq(act->decision_para, "27(2)");
	ck_assert_str_eq(act->reason_msg, "act.reason.refusal-ground");
	cx_act_free(act);
	o.refusal_grounds = other;
	ck_assert_int_eq(cx_act_build_opts(run, NULL, &o, &act), 0);
	ck_assert_str_eq(act->decision_para, "27(3)");
	cx_act_free(act);
	cx_run_free(run);
}
END_TEST

/* One deficiency per requirement and cause, every asset inside. */
START_TEST(test_grouping)
{
	struct cx_run *run = base_run(1, "examination");
	struct cx_act *act;

	all_blocks(run, CX_PASS);
	finding_msg(run, "WEB-05", "web", "https://a/", CX_FAIL, CX_SEV_LOW,
	            "web.cookie.no-httponly", "sid", NULL);
	finding_msg(run, "WEB-05", "web", "https://b/", CX_FAIL, CX_SEV_MEDIUM,
	            "web.cookie.no-httponly", "sess", NULL);
	finding_msg(run, "WEB-05", "web", "https://c/", CX_FAIL, CX_SEV_LOW,
	            "web.cookie.no-httponly", "x", NULL);
	finding_msg(run, "WEB-05", "web", "https://a/", CX_FAIL, CX_SEV_LOW,
	            "web.cookie.no-secure", "sid", NULL);
	ck_assert_int_eq(cx_act_build(run, NULL, NULL, NULL, &act), 0);
	ck_assert_uint_eq(act->n_defs, 2);
	ck_assert_uint_eq(act->n_def_findings, 4);
	/* The group of three is medium (its highest) and comes first. */
	ck_assert_uint_eq(act->defs[0].n_members, 3);
	ck_assert_int_eq(act->defs[0].severity, CX_SEV_MEDIUM);
	ck_assert_str_eq(act->defs[0].first->msg, "web.cookie.no-httponly");
	ck_assert_uint_eq(act->defs[1].n_members, 1);
	ck_assert_int_eq(act->defs[1].number, 2);
	cx_act_free(act);
	cx_run_free(run);
}
END_TEST

START_TEST(test_additional)
{
	struct cx_run *base = base_run(1, "examination");
	struct cx_run *again = base_run(2, "additional");
	struct cx_run *fixed = base_run(3, "additional");
	struct cx_act *act;

	all_blocks(base, CX_PASS);
	finding(base, "tls", "TLS-02", "tls", "h:443/tcp", CX_FAIL, CX_SEV_HIGH,
	        "RC4");
	finding(base, "ports", "NET-01", "network", "h:21/tcp", CX_FAIL,
	        CX_SEV_CRITICAL, "ftp");
	/* A baseline recommendation is not a deficiency to re-check. */
	finding_msg(base, "WEB-20", "web", "https://h/", CX_FAIL, CX_SEV_INFO,
	            "web.securitytxt.absent", NULL, NULL);
	/* Run 2: TLS fixed, FTP still there, a new deficiency. */
	all_blocks(again, CX_PASS);
	finding(again, "tls", "TLS-02", "tls", "h:443/tcp", CX_PASS,
	        CX_SEV_HIGH, "no RC4");
	finding(again, "ports", "NET-01", "network", "h:21/tcp", CX_FAIL,
	        CX_SEV_CRITICAL, "ftp");
	finding(again, "http", "WEB-09", "web", "https://h/", CX_FAIL,
	        CX_SEV_LOW, "nginx/1.22");
	again->baseline = 1;
	ck_assert_int_eq(cx_act_build(again, base, NULL, NULL, &act), 0);
	ck_assert(act->additional);
	ck_assert_uint_eq(act->n_delta, 2);
	ck_assert_int_eq(act->delta[0].result, CX_RECT_RECTIFIED);
	ck_assert_int_eq(act->delta[1].result, CX_RECT_NOT_RECTIFIED);
	ck_assert_int_eq(act->decision, CX_DECISION_REFUSE);
	ck_assert_str_eq(act->decision_para, "37(2)");
	ck_assert_uint_eq(act->n_defs, 2);
	ck_assert(!act->defs[0].is_new); /* NET-01 was there before */
	ck_assert(act->defs[1].is_new);  /* WEB-09 is new */
	cx_act_free(act);
	/* Run 3: everything fixed; a new deficiency does not refuse. */
	all_blocks(fixed, CX_PASS);
	finding(fixed, "tls", "TLS-02", "tls", "h:443/tcp", CX_PASS,
	        CX_SEV_HIGH, "no RC4");
	finding(fixed, "ports", "NET-01", "network", "h:21/tcp", CX_PASS,
	        CX_SEV_CRITICAL, "closed");
	finding(fixed, "http", "WEB-09", "web", "https://h/", CX_FAIL,
	        CX_SEV_LOW, "nginx/1.22");
	ck_assert_int_eq(cx_act_build(fixed, base, NULL, NULL, &act), 0);
	ck_assert_int_eq(act->decision, CX_DECISION_ISSUE);
	ck_assert_str_eq(act->decision_para, "37(1)");
	ck_assert_str_eq(act->reason_msg, "act.reason.add-rectified");
	ck_assert(act->defs[0].is_new);
	cx_act_free(act);
	cx_run_free(base);
	cx_run_free(again);
	cx_run_free(fixed);
}
END_TEST

/* Additional: practice-only failures -> 37(1); a changed cause is not
 * rectified; a deficiency not re-checked leaves no proposal. */
START_TEST(test_additional_branches)
{
	struct cx_run *base = base_run(1, "examination");
	struct cx_run *prac = base_run(2, "additional");
	struct cx_run *chg = base_run(3, "additional");
	struct cx_run *gap = base_run(4, "additional");
	struct cx_act *act;

	finding_msg(base, "WEB-05", "web", "https://h/", CX_FAIL, CX_SEV_LOW,
	            "web.cookie.no-httponly", "sid", NULL);
	finding_msg(prac, "WEB-05", "web", "https://h/", CX_PASS, CX_SEV_LOW,
	            "web.cookie.ok", "sid", NULL);
	finding_msg(prac, "WEB-21", "web", "https://h/", CX_FAIL, CX_SEV_HIGH,
	            "web.coep.absent", NULL, "practice");
	ck_assert_int_eq(cx_act_build(prac, base, NULL, NULL, &act), 0);
	ck_assert_int_eq(act->decision, CX_DECISION_ISSUE);
	ck_assert_str_eq(act->decision_para, "37(1)");
	ck_assert_uint_eq(act->n_recs, 1);
	cx_act_free(act);

	finding_msg(chg, "WEB-05", "web", "https://h/", CX_FAIL, CX_SEV_LOW,
	            "web.cookie.no-httponly", "other", NULL);
	ck_assert_int_eq(cx_act_build(chg, base, NULL, NULL, &act), 0);
	ck_assert_int_eq(act->delta[0].result, CX_RECT_CHANGED);
	ck_assert_int_eq(act->decision, CX_DECISION_REFUSE);
	ck_assert_str_eq(act->decision_para, "37(2)");
	cx_act_free(act);

	finding_msg(gap, "WEB-05", "web", "https://h/", CX_NOT_CHECKED,
	            CX_SEV_LOW, "web.unreachable", NULL, NULL);
	ck_assert_int_eq(cx_act_build(gap, base, NULL, NULL, &act), 0);
	ck_assert_int_eq(act->delta[0].result, CX_RECT_NOT_RECHECKED);
	ck_assert_int_eq(act->decision, CX_DECISION_NONE);
	ck_assert_str_eq(act->reason_msg, "act.reason.add-not-rechecked");
	cx_act_free(act);
	cx_run_free(base);
	cx_run_free(prac);
	cx_run_free(chg);
	cx_run_free(gap);
}
END_TEST

START_TEST(test_register)
{
	struct cx_act_register reg = {0};
	struct cx_diags d = {0};
	static const char good[] = "# header\nSTS-1/2026\t2026-11-21\t"
	                           "examination\t1\r\n\nA.2\t2026-11-22\t"
	                           "additional\t2\n";
	static const char *const bad[] = {
	    "X\t2026-11-21\texamination\n",
	    "X\t2026-1-21\texamination\t1\n",
	    "X\t2026-11-21\tother\t1\n",
	    "X Y\t2026-11-21\texamination\t1\n",
	    "X\t2026-11-21\texamination\t1\textra\n",
	    "X\t2026-11-21\texamination\t0\n",
	};
	size_t i;

	ck_assert_int_eq(
	    cx_act_register_parse(good, sizeof(good) - 1, "r", &reg, &d), 0);
	ck_assert_uint_eq(reg.n, 2);
	ck_assert_str_eq(reg.e[0].number, "STS-1/2026");
	ck_assert_int_eq(reg.e[1].run, 2);
	ck_assert_str_eq(cx_act_register_of_run(&reg, 2)->date, "2026-11-22");
	/* A number never repeats for another run; the same run may redraft. */
	ck_assert_int_eq(cx_act_register_add(&reg, "STS-1/2026", "2026-11-23",
	                                     "examination", 5),
	                 CX_EEXIST);
	ck_assert_int_eq(cx_act_register_add(&reg, "STS-1/2026", "2026-11-23",
	                                     "examination", 1),
	                 0);
	ck_assert_uint_eq(reg.n, 2);
	ck_assert_int_eq(cx_act_register_add(&reg, "bad number", "2026-11-23",
	                                     "examination", 7),
	                 CX_EINVAL);
	cx_act_register_free(&reg);
	for (i = 0; i < CX_ARRAY_LEN(bad); i++) {
		ck_assert_int_eq(cx_act_register_parse(bad[i], strlen(bad[i]),
		                                       "r", &reg, &d),
		                 CX_EPARSE);
		ck_assert_int_eq(d.items[d.n - 1].line, 1);
		cx_act_register_free(&reg);
	}
	cx_diags_free(&d);
}
END_TEST

/* A port closed since the examination: its deficiency is rectified when
 * the port scan of the rescan completed and covered the host; without a
 * completed port scan it was not re-checked. */
START_TEST(test_additional_port_closed)
{
	struct cx_run *base = base_run(1, "examination");
	struct cx_run *re = base_run(2, "additional");
	struct cx_host_obs h = {"127.0.0.9", NULL, 1, NULL};
	struct cx_act *act;

	finding(base, "ports", "NET-01", "network", "127.0.0.9:23/tcp", CX_FAIL,
	        CX_SEV_CRITICAL, "telnet");
	cx_run_add_host(re, &h);
	ck_assert_int_eq(cx_act_build(re, base, NULL, NULL, &act), 0);
	ck_assert_int_eq(act->delta[0].result, CX_RECT_NOT_RECHECKED);
	cx_act_free(act);
	cx_run_check_state(re, "portscan", "done");
	ck_assert_int_eq(cx_act_build(re, base, NULL, NULL, &act), 0);
	ck_assert_int_eq(act->delta[0].result, CX_RECT_RECTIFIED);
	cx_act_free(act);
	cx_run_free(base);
	cx_run_free(re);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("act");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_not_performed_never_passes);
	tcase_add_test(tc, test_decisions);
	tcase_add_test(tc, test_info_and_practice_never_drive);
	tcase_add_test(tc, test_documents_only_no_proposal);
	tcase_add_test(tc, test_refusal_ground);
	tcase_add_test(tc, test_grouping);
	tcase_add_test(tc, test_additional);
	tcase_add_test(tc, test_additional_branches);
	tcase_add_test(tc, test_register);
	tcase_add_test(tc, test_additional_port_closed);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
