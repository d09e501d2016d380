/*
 * Tests of the refusal grounds a profile names (issue 9 item 6): the
 * loader (<refusal-grounds> in profiles/schema/profile.xsd, read by
 * scanner/case/profile.c) and every branch of the proposed decision that
 * depends on them (report/act.c): no ground -> 27(3); a ground by
 * requirement met -> 27(2); a ground by block and severity met, or not met
 * because the severity is lower, the block another, or the failed item
 * only good practice; an incomplete examination -> no proposal whatever
 * the grounds; the reason names the ground in each language; and the act
 * drafted from altered evidence says so in every format.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/profile.h"
#include "certexam/run.h"
#include "certexam/util.h"

#define PROFILES CX_TEST_DATA "/../../profiles"

static char tmpdir[64];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/cx-grounds.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A profile extending rules-298 with the given <refusal-grounds> body. */
static int load(const char *grounds, struct cx_profile **p, struct cx_diags *d)
{
	char *path = cx_path_join(tmpdir, "p.xml");
	struct cx_buf b = {0};
	int rc;

	ck_assert_int_eq(
	    cx_buf_printf(
	        &b,
	        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	        "<profile id=\"test\" version=\"1\" "
	        "object-type=\"information-system\" extends=\"rules-298\">\n"
	        "<title lang=\"kk\">t</title><title lang=\"ru\">t</title>"
	        "<title lang=\"en\">t</title>\n%s</profile>\n",
	        grounds),
	    0);
	ck_assert_int_eq(cx_write_file_atomic(path, b.data, b.len), 0);
	rc = cx_profile_load_from(path, PROFILES, PROFILES "/schema", p, d);
	free(path);
	cx_buf_free(&b);
	return rc;
}

static void finding(struct cx_run *run, const char *check, const char *req,
                    const char *block, enum cx_status st, enum cx_severity sev,
                    const char *kind)
{
	struct cx_finding f;

	memset(&f, 0, sizeof(f));
	f.check = (char *)check;
	f.req_id = (char *)req;
	f.block = (char *)block;
	f.asset = "h";
	f.status = st;
	f.severity = sev;
	f.title = "Title";
	f.req_kind = (char *)kind;
	ck_assert_int_eq(cx_run_add_finding(run, &f), 0);
}

/* Every block performed and passed; then the failures of each test. */
static struct cx_run *run_new(void)
{
	struct cx_run *run = cx_run_new();

	run->number = 1;
	free(run->kind);
	run->kind = cx_strdup("examination");
	run->profile_id = cx_strdup("test");
	run->complete = 1;
	finding(run, "parts", "P1-application", "preliminary", CX_PASS,
	        CX_SEV_MEDIUM, NULL);
	finding(run, "documents", "DOC-02", "documents", CX_PASS, CX_SEV_HIGH,
	        NULL);
	finding(run, "parts", "P3-org-docs", "site", CX_PASS, CX_SEV_MEDIUM,
	        NULL);
	finding(run, "ports", "NET-02", "network", CX_PASS, CX_SEV_LOW, NULL);
	finding(run, "tls", "TLS-02", "tls", CX_PASS, CX_SEV_LOW, NULL);
	finding(run, "http", "WEB-02", "web", CX_PASS, CX_SEV_LOW, NULL);
	finding(run, "inventory", "INV-02", "inventory", CX_PASS, CX_SEV_LOW,
	        NULL);
	return run;
}

static struct cx_act *build(const struct cx_run *run,
                            const struct cx_profile *p)
{
	struct cx_act_opts o;
	struct cx_act *act = NULL;

	memset(&o, 0, sizeof(o));
	o.profile = p;
	o.date = "2026-11-21";
	ck_assert_int_eq(cx_act_build_opts(run, NULL, &o, &act), 0);
	return act;
}

START_TEST(test_load_grounds)
{
	struct cx_profile *p = NULL;
	struct cx_diags d = {0};

	ck_assert_int_eq(load("", &p, &d), 0);
	ck_assert_uint_eq(p->n_grounds, 0);
	cx_profile_free(p);
	p = NULL;
	ck_assert_int_eq(
	    load("<refusal-grounds><ground requirement=\"INV-01\"/>"
	         "<ground block=\"network\" severity=\"critical\"/>"
	         "</refusal-grounds>",
	         &p, &d),
	    0);
	ck_assert_uint_eq(p->n_grounds, 2);
	ck_assert_str_eq(p->grounds[0].req, "INV-01");
	ck_assert_ptr_null(p->grounds[0].block);
	ck_assert_int_eq(p->grounds[0].min_severity, CX_SEV_LOW);
	ck_assert_ptr_null(p->grounds[1].req);
	ck_assert_str_eq(p->grounds[1].block, "network");
	ck_assert_int_eq(p->grounds[1].min_severity, CX_SEV_CRITICAL);
	cx_profile_free(p);
	cx_diags_free(&d);
}
END_TEST

/* Malformed grounds: refused with a diagnostic naming the field. */
static const char *const bad_grounds[] = {
    "<refusal-grounds><ground/></refusal-grounds>",
    "<refusal-grounds><ground requirement=\"XYZ-99\"/></refusal-grounds>",
    "<refusal-grounds><ground block=\"moon\"/></refusal-grounds>",
    "<refusal-grounds><ground severity=\"fatal\"/></refusal-grounds>",
    "<refusal-grounds></refusal-grounds>",
};

START_TEST(test_load_grounds_bad)
{
	struct cx_profile *p = NULL;
	struct cx_diags d = {0};

	ck_assert_int_ne(load(bad_grounds[_i], &p, &d), 0);
	ck_assert_ptr_null(p);
	ck_assert_uint_gt(d.n, 0);
	cx_diags_free(&d);
}
END_TEST

START_TEST(test_no_ground_rectify)
{
	struct cx_profile *p = NULL;
	struct cx_diags d = {0};
	struct cx_run *run = run_new();
	struct cx_act *act;

	ck_assert_int_eq(load("", &p, &d), 0);
	finding(run, "inventory", "INV-01", "inventory", CX_FAIL,
	        CX_SEV_CRITICAL, "normative");
	act = build(run, p);
	ck_assert_int_eq(act->decision, CX_DECISION_RECTIFY);
	ck_assert_str_eq(act->decision_para, "27(3)");
	ck_assert_ptr_null(act->refusal);
	cx_act_free(act);
	cx_run_free(run);
	cx_profile_free(p);
	cx_diags_free(&d);
}
END_TEST

START_TEST(test_ground_requirement_met)
{
	struct cx_profile *p = NULL;
	struct cx_diags d = {0};
	struct cx_run *run = run_new();
	struct cx_act *act;

	ck_assert_int_eq(
	    load("<refusal-grounds><ground requirement=\"INV-01\"/>"
	         "</refusal-grounds>",
	         &p, &d),
	    0);
	finding(run, "inventory", "INV-01", "inventory", CX_FAIL, CX_SEV_LOW,
	        "normative");
	act = build(run, p);
	ck_assert_int_eq(act->decision, CX_DECISION_REFUSE);
	ck_assert_str_eq(act->decision_para, "27(2)");
	ck_assert_str_eq(act->reason_msg, "act.reason.refusal-ground");
	ck_assert_ptr_eq(act->refusal, &p->grounds[0]);
	cx_act_free(act);
	cx_run_free(run);
	cx_profile_free(p);
	cx_diags_free(&d);
}
END_TEST

/* A ground by block and severity: met, lower severity, other block. */
START_TEST(test_ground_block)
{
	static const struct {
		const char *block;
		enum cx_severity sev;
		enum cx_decision want;
	} c[] = {
	    {"inventory", CX_SEV_CRITICAL, CX_DECISION_REFUSE},
	    {"inventory", CX_SEV_HIGH, CX_DECISION_REFUSE},
	    {"inventory", CX_SEV_MEDIUM, CX_DECISION_RECTIFY},
	    {"documents", CX_SEV_CRITICAL, CX_DECISION_RECTIFY},
	};
	struct cx_profile *p = NULL;
	struct cx_diags d = {0};
	struct cx_catalog *cat = NULL;
	struct cx_buf b = {0};
	size_t i;

	ck_assert_int_eq(load("<refusal-grounds><ground block=\"inventory\" "
	                      "severity=\"high\"/></refusal-grounds>",
	                      &p, &d),
	                 0);
	ck_assert_int_eq(cx_catalog_load_lang(PROFILES "/i18n", "ru", &cat, &d),
	                 0);
	for (i = 0; i < CX_ARRAY_LEN(c); i++) {
		struct cx_run *run = run_new();
		struct cx_act *act;

		finding(run, "x",
		        strcmp(c[i].block, "inventory") ? "DOC-03" : "INV-03",
		        c[i].block, CX_FAIL, c[i].sev, "normative");
		act = build(run, p);
		ck_assert_int_eq(act->decision, c[i].want);
		if (c[i].want == CX_DECISION_REFUSE) {
			ck_assert_str_eq(act->reason_msg,
			                 "act.reason.refusal-ground-block");
			act->cat = cat;
			act->lang = "ru";
			b.len = 0;
			ck_assert_int_eq(cx_act_reason(act, &b), 0);
			/* the block and severity in the act's words */
			ck_assert_ptr_nonnull(strstr(b.data, "«высокий»"));
			ck_assert_ptr_nonnull(strstr(b.data, "INV-03"));
			ck_assert_ptr_null(strstr(b.data, "«inventory»"));
		}
		cx_act_free(act);
		cx_run_free(run);
	}
	cx_buf_free(&b);
	cx_catalog_free(cat);
	cx_profile_free(p);
	cx_diags_free(&d);
}
END_TEST

/* Good practice never refuses: it is a recommendation, not a deficiency. */
START_TEST(test_ground_practice_not_met)
{
	struct cx_profile *p = NULL;
	struct cx_diags d = {0};
	struct cx_run *run = run_new();
	struct cx_act *act;

	ck_assert_int_eq(load("<refusal-grounds><ground block=\"network\"/>"
	                      "</refusal-grounds>",
	                      &p, &d),
	                 0);
	finding(run, "ports", "NET-03", "network", CX_FAIL, CX_SEV_CRITICAL,
	        "practice");
	act = build(run, p);
	ck_assert_int_eq(act->decision, CX_DECISION_ISSUE);
	ck_assert_str_eq(act->decision_para, "27(1)");
	cx_act_free(act);
	cx_run_free(run);
	cx_profile_free(p);
	cx_diags_free(&d);
}
END_TEST

/* An examination not complete proposes nothing, grounds or not. */
START_TEST(test_ground_incomplete_none)
{
	struct cx_profile *p = NULL;
	struct cx_diags d = {0};
	struct cx_run *run = run_new();
	struct cx_act *act;

	ck_assert_int_eq(
	    load("<refusal-grounds><ground requirement=\"INV-01\"/>"
	         "</refusal-grounds>",
	         &p, &d),
	    0);
	finding(run, "inventory", "INV-01", "inventory", CX_FAIL,
	        CX_SEV_CRITICAL, "normative");
	/* 22(3) not finished: one site item not checked */
	finding(run, "parts", "P3-site-visit", "site", CX_NOT_CHECKED,
	        CX_SEV_MEDIUM, NULL);
	act = build(run, p);
	ck_assert_int_eq(act->decision, CX_DECISION_NONE);
	ck_assert_ptr_null(act->decision_para);
	cx_act_free(act);
	cx_run_free(run);
	cx_profile_free(p);
	cx_diags_free(&d);
}
END_TEST

/* act --accept-altered-evidence: every writer names the files, page 1. */
START_TEST(test_altered_every_format)
{
	static const char *const files[] = {"E0001 (evidence/E0001-x.bin)",
	                                    "E0002 (<b>&\"'.bin)"};
	static const char *const mark[] = {"kk", "ДӘЛЕЛДЕМЕЛЕР ӨЗГЕРТІЛГЕН",
	                                   "ru", "ДОКАЗАТЕЛЬСТВА ИЗМЕНЕНЫ",
	                                   "en", "EVIDENCE ALTERED"};
	struct cx_run *run = run_new();
	struct cx_act_opts o;
	struct cx_act *act;
	struct cx_diags d = {0};
	size_t l, w;

	memset(&o, 0, sizeof(o));
	o.altered = files;
	o.n_altered = 2;
	o.date = "2026-11-21";
	ck_assert_int_eq(cx_act_build_opts(run, NULL, &o, &act), 0);
	for (l = 0; l < 3; l++) {
		struct cx_catalog *cat = NULL;

		ck_assert_int_eq(cx_catalog_load_lang(PROFILES "/i18n",
		                                      mark[2 * l], &cat, &d),
		                 0);
		act->cat = cat;
		act->lang = mark[2 * l];
		for (w = 0; cx_act_writers[w] != NULL; w++) {
			struct cx_buf b = {0};
			const char *at;

			ck_assert_int_eq(cx_act_writers[w]->write(act, &b), 0);
			at = strstr(b.data, mark[2 * l + 1]);
			ck_assert_msg(at != NULL, "%s %s: no mark", mark[2 * l],
			              cx_act_writers[w]->name);
			ck_assert_ptr_nonnull(strstr(b.data, "E0001-x.bin"));
			/* before the conclusion: on page 1 */
			if (strcmp(cx_act_writers[w]->name, "html") == 0 ||
			    strcmp(cx_act_writers[w]->name, "md") == 0)
				ck_assert(at < strstr(b.data, "27(") ||
				          strstr(b.data, "27(") == NULL);
			/* the hostile file name never raw in HTML/XML */
			if (strcmp(cx_act_writers[w]->name, "html") == 0 ||
			    strcmp(cx_act_writers[w]->name, "xml") == 0)
				ck_assert_ptr_null(strstr(b.data, "<b>&"));
			cx_buf_free(&b);
		}
		cx_catalog_free(cat);
	}
	cx_act_free(act);
	cx_run_free(run);
	cx_diags_free(&d);
}
END_TEST

static Suite *grounds_suite(void)
{
	Suite *s = suite_create("grounds");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_load_grounds);
	tcase_add_loop_test(tc, test_load_grounds_bad, 0,
	                    (int)CX_ARRAY_LEN(bad_grounds));
	tcase_add_test(tc, test_no_ground_rectify);
	tcase_add_test(tc, test_ground_requirement_met);
	tcase_add_test(tc, test_ground_block);
	tcase_add_test(tc, test_ground_practice_not_met);
	tcase_add_test(tc, test_ground_incomplete_none);
	tcase_add_test(tc, test_altered_every_format);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(grounds_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
