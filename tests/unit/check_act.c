/*
 * Unit tests: the act model (block verdicts, numbering, decisions of
 * paragraphs 27 and 37, the delta against a baseline) and its writers
 * (golden files; hostile text escaped in every format; XML and JSON
 * well-formed by xmllint and jq).
 *
 * CX_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/run.h"
#include "certexam/util.h"

#define GOLDEN CX_TEST_DATA "/act"
#define I18N   CX_TEST_DATA "/../../profiles/i18n"

static struct cx_catalog *catalog(const char *lang)
{
	struct cx_catalog *cat = NULL;
	struct cx_diags d = {0};

	ck_assert_int_eq(cx_catalog_load_lang(I18N, lang, &cat, &d), 0);
	cx_diags_free(&d);
	return cat;
}

static const char hostile[] = "<script>alert(\"x\")</script> & \x1b[2J "
                              "\xff\xfe |pipe| *bold*";

static void finding(struct cx_run *run, const char *check, const char *req,
                    const char *block, const char *asset, enum cx_status st,
                    enum cx_severity sev, const char *observed)
{
	struct cx_finding f;

	memset(&f, 0, sizeof(f));
	f.check = (char *)check;
	f.req_id = (char *)req;
	f.req_text = "Requirement text";
	f.req_source = "Rules No. 298, para 22(4)";
	f.block = (char *)block;
	f.asset = (char *)asset;
	f.status = st;
	f.severity = sev;
	f.title = "Title";
	f.observed = (char *)observed;
	f.recommendation = "Fix it";
	f.method = "probe";
	ck_assert_int_eq(cx_run_add_finding(run, &f), 0);
}

static struct cx_run *base_run(int number, const char *kind)
{
	struct cx_run *run = cx_run_new();

	run->number = number;
	free(run->kind);
	run->kind = cx_strdup(kind);
	run->tool_version = cx_strdup("0.1.0");
	run->profile_id = cx_strdup("information-system");
	run->profile_version = cx_strdup("2026.1");
	run->object_name = cx_strdup("Registry");
	run->examiner_host = cx_strdup("examiner");
	run->started = 1795300000;
	run->finished = 1795300060;
	run->complete = 1;
	return run;
}

START_TEST(test_not_performed_never_passes)
{
	struct cx_run *run = base_run(1, "examination");
	struct cx_act *act;

	finding(run, "ports", "NET-01", "network", "h", CX_PASS, CX_SEV_HIGH,
	        "ok");
	ck_assert_int_eq(cx_act_build(run, NULL, NULL, "2026-11-21", &act), 0);
	ck_assert_int_eq(act->blocks[0].verdict, CX_VERDICT_NOT_PERFORMED);
	ck_assert_int_eq(act->blocks[1].verdict, CX_VERDICT_PASS);
	ck_assert_int_eq(act->blocks[2].verdict, CX_VERDICT_NOT_PERFORMED);
	ck_assert_int_eq(act->decision, CX_DECISION_NONE);
	ck_assert_ptr_null(act->decision_para);
	cx_act_free(act);
	cx_run_free(run);
}
END_TEST

static void all_blocks(struct cx_run *run, enum cx_status st)
{
	finding(run, "documents", "DOC-01", "documents", "o", st, CX_SEV_HIGH,
	        "d");
	finding(run, "ports", "NET-01", "network", "h:23/tcp", st,
	        CX_SEV_CRITICAL, "n");
	finding(run, "tls", "TLS-01", "tls", "h:443/tcp", st, CX_SEV_HIGH, "t");
	finding(run, "http", "WEB-02", "web", "https://h/", st, CX_SEV_MEDIUM,
	        "w");
	finding(run, "inventory", "INV-01", "inventory", "h", st, CX_SEV_LOW,
	        "i");
}

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
	ck_assert_str_eq(act->defs[0].f->req_id, "NET-03");
	ck_assert_int_eq(act->defs[0].number, 1);
	ck_assert_str_eq(act->defs[1].f->req_id, "TLS-02");
	ck_assert_int_eq(act->blocks[2].verdict, CX_VERDICT_FAIL);
	ck_assert_uint_eq(act->by_sev[CX_SEV_CRITICAL], 1);
	cx_act_free(act);

	all_blocks(inc, CX_PASS);
	finding(inc, "tls", "TLS-09", "tls", "h:443/tcp", CX_NOT_CHECKED,
	        CX_SEV_CRITICAL, "could not test");
	ck_assert_int_eq(cx_act_build(inc, NULL, NULL, NULL, &act), 0);
	ck_assert_int_eq(act->blocks[2].verdict, CX_VERDICT_INCOMPLETE);
	ck_assert_int_eq(act->decision, CX_DECISION_NONE);
	cx_act_free(act);
	cx_run_free(pass);
	cx_run_free(fail);
	cx_run_free(inc);
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
	/* Run 3: everything fixed. */
	all_blocks(fixed, CX_PASS);
	finding(fixed, "tls", "TLS-02", "tls", "h:443/tcp", CX_PASS,
	        CX_SEV_HIGH, "no RC4");
	finding(fixed, "ports", "NET-01", "network", "h:21/tcp", CX_PASS,
	        CX_SEV_CRITICAL, "closed");
	ck_assert_int_eq(cx_act_build(fixed, base, NULL, NULL, &act), 0);
	ck_assert_int_eq(act->decision, CX_DECISION_ISSUE);
	ck_assert_str_eq(act->decision_para, "37(1)");
	cx_act_free(act);
	cx_run_free(base);
	cx_run_free(again);
	cx_run_free(fixed);
}
END_TEST

/* A port closed since the examination: its deficiency is rectified when
 * the port scan of the rescan completed and covered the host; without a
 * completed port scan it was not re-checked. */
START_TEST(test_additional_port_closed)
{
	struct cx_run *base = base_run(1, "examination");
	struct cx_run *re = base_run(2, "additional");
	struct cx_host_obs h = {"127.0.0.9", NULL, 1};
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

static struct cx_object *sample_object(void)
{
	struct cx_object *o = calloc(1, sizeof(*o));

	o->name = cx_strdup("State registry <b>\"R\"</b> & co");
	o->short_name = cx_strdup("registry");
	o->type = CX_OBJ_INFORMATION_SYSTEM;
	o->possessor.name = cx_strdup("Ministry");
	o->possessor.bin = cx_strdup("123456789012");
	o->applicant.name = cx_strdup("Applicant LLP");
	o->applicant.bin = cx_strdup("210987654321");
	o->application.number = cx_strdup("A-17");
	o->application.date = cx_strdup("2026-10-01");
	o->contract.number = cx_strdup("C-42");
	o->contract.date = cx_strdup("2026-10-05");
	return o;
}

static void free_object(struct cx_object *o)
{
	free(o->name);
	free(o->short_name);
	free(o->possessor.name);
	free(o->possessor.bin);
	free(o->applicant.name);
	free(o->applicant.bin);
	free(o->application.number);
	free(o->application.date);
	free(o->contract.number);
	free(o->contract.date);
	free(o);
}

static struct cx_run *golden_run(void)
{
	struct cx_run *run = base_run(7, "examination");
	struct cx_port_obs p;
	struct cx_observation *o;

	run->scope = calloc(1, sizeof(char *));
	run->scope[0] = cx_strdup("127.0.0.1");
	run->n_scope = 1;
	cx_run_option(run, "ports", "all");
	cx_run_check_state(run, "documents", "done");
	cx_run_check_state(run, "ports", "done");
	memset(&p, 0, sizeof(p));
	p.addr = "127.0.0.1";
	p.port = 23;
	p.proto = "tcp";
	p.state = CX_PORT_OPEN;
	p.service = "telnet";
	p.product = (char *)hostile;
	cx_run_add_port(run, &p, NULL);
	o = cx_run_add_obs(run, "tls-endpoint", "127.0.0.1:443/tcp");
	cx_obs_prop(o, "grade", "B");
	cx_obs_prop(o, "trust_grade", "T");
	cx_obs_prop(o, "protocols", "TLSv1.2 TLSv1.3");
	cx_obs_prop(o, "grade_algorithm", "certexam-tls-grade/1");
	finding(run, "documents", "DOC-01", "documents", "registry", CX_PASS,
	        CX_SEV_HIGH, "Provided");
	finding(run, "ports", "NET-01", "network", "127.0.0.1:23/tcp", CX_FAIL,
	        CX_SEV_CRITICAL, hostile);
	finding(run, "tls", "TLS-01", "tls", "127.0.0.1:443/tcp",
	        CX_NOT_CHECKED, CX_SEV_HIGH, "timeout");
	return run;
}

static char *render(const struct cx_act *act, const char *fmt)
{
	const struct cx_act_writer *w = cx_act_writer_find(fmt);
	struct cx_buf b = {0};

	ck_assert(w != NULL);
	ck_assert(w->write != NULL);
	ck_assert_int_eq(w->write(act, &b), 0);
	return cx_buf_steal(&b);
}

START_TEST(test_golden_and_escaping)
{
	static const char *const fmts[] = {"html", "xml", "json", "md"};
	static const char *const langs[] = {"kk", "ru", "en"};
	struct cx_run *run = golden_run();
	struct cx_object *obj = sample_object();
	struct cx_catalog *cat = catalog(langs[_i]);
	struct cx_act *act;
	char path[256], cmd[512], *out, *want;
	size_t i, len;
	int update = getenv("CX_UPDATE_GOLDEN") != NULL;

	ck_assert_int_eq(cx_act_build(run, NULL, obj, "2026-11-21", &act), 0);
	act->cat = cat;
	act->lang = langs[_i];
	for (i = 0; i < CX_ARRAY_LEN(fmts); i++) {
		out = render(act, fmts[i]);
		/* Nothing from the target or the submitted file runs. */
		ck_assert_ptr_null(strchr(out, '\x1b'));
		ck_assert(cx_utf8_valid(out, strlen(out)));
		ck_assert_ptr_null(strstr(out, "<script"));
		ck_assert_ptr_null(strstr(out, "<b>"));
		/* No message id left unrendered. */
		ck_assert_msg(strstr(out, "act.") == NULL ||
		                  strcmp(fmts[i], "json") == 0 ||
		                  strcmp(fmts[i], "xml") == 0,
		              "%s: a message id in the text", fmts[i]);
		snprintf(path, sizeof(path), GOLDEN "/golden.%s.%s", langs[_i],
		         fmts[i]);
		if (update) {
			ck_assert_int_eq(
			    cx_write_file_atomic(path, out, strlen(out)), 0);
		} else {
			ck_assert_int_eq(
			    cx_read_file(path, 1 << 22, &want, &len), 0);
			ck_assert_str_eq(out, want);
			free(want);
		}
		if (strcmp(fmts[i], "xml") == 0 ||
		    strcmp(fmts[i], "json") == 0 ||
		    strcmp(fmts[i], "html") == 0) {
			if (strcmp(fmts[i], "json") == 0)
				snprintf(cmd, sizeof(cmd),
				         "jq -e .summary.decision.proposal "
				         "'%s' >/dev/null",
				         path);
			else if (strcmp(fmts[i], "xml") == 0)
				snprintf(cmd, sizeof(cmd),
				         "xmllint --noout '%s'", path);
			else
				snprintf(cmd, sizeof(cmd),
				         "xmllint --html --noout '%s' 2>&1 | "
				         "grep -q . && exit 1 || exit 0",
				         path);
			ck_assert_msg(system(cmd) == 0, "%s", cmd);
		}
		free(out);
	}
	cx_act_free(act);
	cx_catalog_free(cat);
	cx_run_free(run);
	free_object(obj);
}
END_TEST

START_TEST(test_html_self_contained)
{
	struct cx_run *run = golden_run();
	struct cx_catalog *cat = catalog("en");
	struct cx_act *act;
	char *out;

	ck_assert_int_eq(cx_act_build(run, NULL, NULL, "2026-11-21", &act), 0);
	act->cat = cat;
	act->lang = "en";
	out = render(act, "html");
	ck_assert_ptr_null(strstr(out, "src="));
	ck_assert_ptr_null(strstr(out, "href="));
	ck_assert_ptr_null(strstr(out, "@import"));
	ck_assert_ptr_nonnull(strstr(out, "size:A4"));
	ck_assert_ptr_nonnull(strstr(out, "NOT PERFORMED"));
	free(out);
	cx_act_free(act);
	cx_catalog_free(cat);
	cx_run_free(run);
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
	tcase_add_test(tc, test_additional);
	tcase_add_test(tc, test_additional_port_closed);
	tcase_add_loop_test(tc, test_golden_and_escaping, 0, 3);
	tcase_add_test(tc, test_html_self_contained);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
