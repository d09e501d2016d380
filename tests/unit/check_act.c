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

enum { B_PRE = 0, B_DOC, B_SITE, B_NET, B_TLS, B_WEB, B_INV };

/* A failed finding with a message id, an argument and a kind. */
static void finding_msg(struct cx_run *run, const char *req, const char *block,
                        const char *asset, enum cx_status st,
                        enum cx_severity sev, const char *msg, const char *arg,
                        const char *kind)
{
	struct cx_finding f;
	struct cx_prop a = {"name", (char *)arg};

	memset(&f, 0, sizeof(f));
	f.check = "http";
	f.req_id = (char *)req;
	f.req_text = "Requirement text";
	f.req_source = "UR, para 1";
	f.block = (char *)block;
	f.asset = (char *)asset;
	f.status = st;
	f.severity = sev;
	f.msg = (char *)msg;
	f.args = arg ? &a : NULL;
	f.n_args = arg ? 1 : 0;
	f.req_kind = (char *)kind;
	ck_assert_int_eq(cx_run_add_finding(run, &f), 0);
}

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

static void all_blocks(struct cx_run *run, enum cx_status st)
{
	finding(run, "parts", "P1-application", "preliminary", "o", st,
	        CX_SEV_MEDIUM, "a");
	finding(run, "documents", "DOC-01", "documents", "o", st, CX_SEV_HIGH,
	        "d");
	finding(run, "parts", "P3-org-docs", "site", "o", st, CX_SEV_MEDIUM,
	        "s");
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

static char *render(const struct cx_act *act, const char *fmt);

/* A failed practice item on an asset, with its own recommendation. */
static void practice(struct cx_run *run, const char *req, const char *asset,
                     const char *msg, const char *rec)
{
	struct cx_finding f;

	memset(&f, 0, sizeof(f));
	f.check = "ports";
	f.req_id = (char *)req;
	f.req_text = "Only declared services are exposed.";
	f.req_source = "Good practice";
	f.block = "network";
	f.asset = (char *)asset;
	f.status = CX_FAIL;
	f.severity = CX_SEV_MEDIUM;
	f.msg = (char *)msg;
	f.recommendation = (char *)rec;
	f.req_kind = "practice";
	ck_assert_int_eq(cx_run_add_finding(run, &f), 0);
}

/*
 * Recommendations are one per requirement whatever the causes, listed as
 * one row: the assets of one host and protocol once with their ports in
 * order, duplicates once, other assets as they are (escaped); each
 * distinct recommendation once.
 */
START_TEST(test_recommendations_compact)
{
	static const char *const fmts[] = {"html", "md"};
	struct cx_run *run = base_run(1, "examination");
	struct cx_catalog *cat = catalog("en");
	struct cx_act *act;
	size_t i;

	all_blocks(run, CX_PASS);
	practice(run, "NET-05", "10.0.0.1:8443/tcp", "net.port.undeclared",
	         "Close it.");
	practice(run, "NET-05", "10.0.0.1:80/tcp", "net.port.unknown",
	         "Close it.");
	practice(run, "NET-05", "10.0.0.1:80/tcp", "net.port.undeclared",
	         "Declare it.");
	practice(run, "NET-05", "10.0.0.2:53/udp", "net.port.undeclared",
	         "Close it.");
	practice(run, "NET-05", "10.0.0.1:99999/tcp", "net.port.undeclared",
	         "Close it.");
	practice(run, "NET-05", hostile, "net.port.undeclared", "Close it.");
	finding_msg(run, "WEB-20", "web", "https://h/", CX_FAIL, CX_SEV_INFO,
	            "web.securitytxt.absent", NULL, NULL);
	ck_assert_int_eq(cx_act_build(run, NULL, NULL, "2026-11-21", &act), 0);
	ck_assert_uint_eq(act->n_defs, 0);
	ck_assert_uint_eq(act->n_recs, 2);
	ck_assert_uint_eq(act->n_rec_findings, 7);
	ck_assert_uint_eq(act->recs[0].n_members, 6);
	ck_assert_int_eq(act->recs[0].number, 1);
	ck_assert_str_eq(act->recs[1].first->req_id, "WEB-20");
	ck_assert_str_eq(act->decision_para, "27(1)");
	act->cat = cat;
	act->lang = "en";
	for (i = 0; i < CX_ARRAY_LEN(fmts); i++) {
		char *out = render(act, fmts[i]), *p, *sec;
		sec = strstr(out, "Recommendation: Close it. Declare it.");
		ck_assert_msg(sec != NULL, "%s: the recommendations", fmts[i]);
		/* One row for NET-05, with every asset. */
		ck_assert_ptr_null(strstr(sec + 1, "NET-05 ("));
		p = strstr(out, "NET-05 (medium). Only declared services");
		ck_assert_ptr_nonnull(p);
		ck_assert_ptr_null(strstr(p + 1, "NET-05 (medium)"));
		ck_assert_ptr_nonnull(strstr(out, "10.0.0.1, tcp: 80, 8443"));
		ck_assert_ptr_null(strstr(out, "80, 80"));
		/* Not HOST:PORT/PROTO: as recorded. */
		ck_assert_ptr_nonnull(strstr(out, "10.0.0.1:99999/tcp"));
		ck_assert_ptr_nonnull(strstr(out, "10.0.0.2:53/udp"));
		ck_assert_ptr_null(strstr(out, "<script"));
		ck_assert_ptr_null(strchr(out, '\x1b'));
		ck_assert_ptr_nonnull(
		    strstr(out, "WEB-20 (informational). Requirement text"));
		free(out);
	}
	cx_act_free(act);
	cx_catalog_free(cat);
	cx_run_free(run);
}
END_TEST

/*
 * The scanner's own sentences on the scan type and host discovery are not
 * in the parameters row; why a connect scan was used is in the scan row,
 * worded, with the recorded reason as raw text.
 */
START_TEST(test_scan_reason_worded)
{
	struct cx_run *run = base_run(1, "examination");
	struct cx_catalog *cat = catalog("ru");
	struct cx_act *act;
	char *out;

	all_blocks(run, CX_PASS);
	ck_assert_int_eq(cx_run_option(run, "ports", "top100"), 0);
	ck_assert_int_eq(cx_run_option(run, "scan", "connect"), 0);
	ck_assert_int_eq(
	    cx_run_option(run, "scan_reason", "raw sockets are not permitted"),
	    0);
	ck_assert_int_eq(
	    cx_run_option(run, "discovery",
	                  "not performed (no raw sockets): every address is "
	                  "port-scanned"),
	    0);
	ck_assert_int_eq(cx_act_build(run, NULL, NULL, "2026-11-21", &act), 0);
	act->cat = cat;
	act->lang = "ru";
	out = render(act, "md");
	ck_assert_ptr_nonnull(
	    strstr(out, "| Параметры | ports=top100, scan=connect |"));
	ck_assert_ptr_null(strstr(out, "scan_reason="));
	ck_assert_ptr_nonnull(
	    strstr(out, "сканирование TCP connect (полное соединение с каждым "
	                "портом; как записано: raw sockets are not "
	                "permitted)"));
	ck_assert_ptr_nonnull(strstr(out, "как записано: not performed"));
	free(out);
	cx_act_free(act);
	cx_catalog_free(cat);
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
	o->examiners = calloc(2, sizeof(*o->examiners));
	o->examiners[0].name = cx_strdup("A. Examiner <i>");
	o->examiners[0].position = cx_strdup("Lead expert");
	o->examiners[1].name = cx_strdup("B. Examiner");
	o->n_examiners = 2;
	o->head.name = cx_strdup("C. Head");
	o->head.position = cx_strdup("Director");
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
	free(o->examiners[0].name);
	free(o->examiners[0].position);
	free(o->examiners[1].name);
	free(o->examiners);
	free(o->head.name);
	free(o->head.position);
	free(o);
}

static struct cx_run *golden_run(void)
{
	struct cx_run *run = base_run(7, "examination");
	struct cx_port_obs p;
	struct cx_host_obs h;
	struct cx_observation *o;

	run->scope = calloc(1, sizeof(char *));
	run->scope[0] = cx_strdup("127.0.0.1");
	run->n_scope = 1;
	cx_run_option(run, "ports", "all");
	/* How the network was scanned (issue 11): SYN, UDP, discovery with
	 * one host up and two down, two vantage points of a merged run. */
	cx_run_option(run, "udp_ports", "53,123,161");
	cx_run_option(run, "scan", "syn");
	cx_run_option(run, "scan_reason",
	              "TCP SYN scan: the default where raw sockets work");
	cx_run_option(run, "discovery",
	              "ARP on connected segments, else ICMP echo, timestamp, "
	              "TCP SYN 443 and ACK 80");
	memset(&h, 0, sizeof(h));
	h.addr = "127.0.0.1";
	h.up = 1;
	h.vantage = "east west";
	cx_run_add_host(run, &h);
	h.addr = "127.0.0.2";
	h.up = 0;
	h.vantage = NULL;
	cx_run_add_host(run, &h);
	h.addr = "127.0.0.3";
	cx_run_add_host(run, &h);
	o = cx_run_add_obs(run, "discovery", "127.0.0.1");
	cx_obs_prop(o, "state", "up");
	cx_obs_prop(o, "up_by", "echo-reply");
	o = cx_run_add_obs(run, "discovery", "127.0.0.2");
	cx_obs_prop(o, "state", "down");
	cx_obs_prop(o, "down_why",
	            "no answer to 2 tries of ICMP echo, ICMP timestamp, TCP "
	            "SYN to 443 and ACK to 80");
	o = cx_run_add_obs(run, "discovery", "127.0.0.3");
	cx_obs_prop(o, "state", "down");
	cx_obs_prop(o, "down_why", hostile);
	o = cx_run_add_obs(run, "udpscan", "127.0.0.1");
	cx_obs_prop(o, "open", "1");
	cx_obs_prop(o, "ports", "53,123,161");
	cx_run_check_state(run, "documents", "done");
	cx_run_check_state(run, "ports", "done");
	memset(&p, 0, sizeof(p));
	p.addr = "127.0.0.1";
	p.port = 23;
	p.proto = "tcp";
	p.state = CX_PORT_OPEN;
	p.service = "telnet";
	p.product = (char *)hostile;
	p.vantage = "east";
	cx_run_add_port(run, &p, NULL);
	o = cx_run_add_obs(run, "tls-endpoint", "127.0.0.1:443/tcp");
	cx_obs_prop(o, "grade", "B");
	cx_obs_prop(o, "trust_grade", "T");
	cx_obs_prop(o, "protocols", "TLSv1.2 TLSv1.3");
	cx_obs_prop(o, "grade_algorithm", "certexam-tls-grade/1");
	/* Client simulation: every shape the TLS check records, and hostile
	 * text in a reason (escaped in every format). */
	cx_obs_prop(o, "client.Chrome 120+",
	            "TLSv1.3 TLS_AES_128_GCM_SHA256 X25519");
	cx_obs_prop(o, "client.Java 8u291+", "TLSv1.2 unknown suite secp256r1");
	cx_obs_prop(o, "client.IE 11, Windows 7",
	            "no connection (server chose TLSv1.3, outside "
	            "TLSv1.0-TLSv1.2)");
	cx_obs_prop(o, "client.OpenSSL 1.0.2",
	            "no connection (server chose suite 0x1301, not offered)");
	cx_obs_prop(o, "client.OpenSSL 3.x",
	            "no connection (DH prime of 1024 bits, the client "
	            "needs 2048)");
	cx_obs_prop(o, "client.Safari 17", "no connection (no ServerHello)");
	cx_obs_prop(o, "client.Firefox 120+", "no connection (<b>x</b>)");
	{
		char why[256];

		snprintf(why, sizeof(why), "no connection (%s)", hostile);
		cx_obs_prop(o, "client.Java 17", why);
	}
	finding(run, "parts", "P1-application", "preliminary", "registry",
	        CX_PASS, CX_SEV_MEDIUM, NULL);
	finding(run, "parts", "P3-org-docs", "site", "registry", CX_FAIL,
	        CX_SEV_MEDIUM, hostile);
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
				         "grep 'error' | grep -v 'Tag "
				         "\\(details\\|summary\\) invalid' | "
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

/* A sink that collects what it is handed, in small chunks. */
struct collect {
	struct cx_sink sink;
	struct cx_buf got;
	size_t calls;
	int final; /* the last flush may hand over less than a chunk */
};

static int collect_write(struct cx_sink *sk, const void *p, size_t n)
{
	struct collect *c = (struct collect *)sk;

	c->calls++;
	if (!c->final)
		ck_assert_uint_ge(n, c->sink.chunk);
	return cx_buf_append(&c->got, p, n);
}

/* Every writer streamed through a sink writes exactly what it writes in
 * memory, and the buffer never holds more than one chunk and one item. */
START_TEST(test_writers_stream)
{
	static const char *const fmts[] = {"html", "xml", "json", "md"};
	struct cx_run *run = golden_run();
	struct cx_object *obj = sample_object();
	struct cx_catalog *cat = catalog("ru");
	struct cx_act *act;
	size_t i;

	ck_assert_int_eq(cx_act_build(run, NULL, obj, "2026-11-21", &act), 0);
	act->cat = cat;
	act->lang = "ru";
	for (i = 0; i < CX_ARRAY_LEN(fmts); i++) {
		const struct cx_act_writer *w = cx_act_writer_find(fmts[i]);
		struct collect c;
		struct cx_buf b = {0};
		char *whole = render(act, fmts[i]);

		memset(&c, 0, sizeof(c));
		c.sink.write = collect_write;
		c.sink.chunk = 64;
		b.sink = &c.sink;
		ck_assert_int_eq(w->write(act, &b), 0);
		ck_assert_uint_lt(b.len, 64);
		c.final = 1;
		ck_assert_int_eq(cx_buf_flush(&b), 0);
		ck_assert_uint_eq(b.len, 0);
		ck_assert_uint_gt(c.calls, 10);
		ck_assert_uint_eq(c.got.len, strlen(whole));
		ck_assert_str_eq(c.got.data, whole);
		cx_buf_free(&b);
		cx_buf_free(&c.got);
		free(whole);
	}
	cx_act_free(act);
	cx_catalog_free(cat);
	cx_run_free(run);
	free_object(obj);
}
END_TEST

/* A failing sink's error is the writer's error. */
static int refuse_write(struct cx_sink *sk, const void *p, size_t n)
{
	(void)sk;
	(void)p;
	(void)n;
	return CX_EIO;
}

START_TEST(test_writer_sink_error)
{
	struct cx_run *run = golden_run();
	struct cx_object *obj = sample_object();
	struct cx_catalog *cat = catalog("kk");
	struct cx_sink sk = {refuse_write, 16};
	struct cx_act *act;
	size_t i;

	ck_assert_int_eq(cx_act_build(run, NULL, obj, "2026-11-21", &act), 0);
	act->cat = cat;
	act->lang = "kk";
	for (i = 0; cx_act_writers[i] != NULL; i++) {
		struct cx_buf b = {0};

		b.sink = &sk;
		ck_assert_int_eq(cx_act_writers[i]->write(act, &b), CX_EIO);
		cx_buf_free(&b);
	}
	cx_act_free(act);
	cx_catalog_free(cat);
	cx_run_free(run);
	free_object(obj);
}
END_TEST

/* The file sink: nothing but the finished file, renamed into place; an
 * abort or a stop flag leaves the folder as it was. */
START_TEST(test_file_sink)
{
	char dir[] = "/tmp/cx-act-sink.XXXXXX", path[128], *data = NULL;
	struct cx_file_sink fs;
	struct cx_buf b = {0};
	volatile sig_atomic_t stop = 0;
	size_t len, i;
	char cmd[256];

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/act-0001.kk.xml", dir);
	ck_assert_int_eq(cx_write_file_atomic(path, "old", 3), 0);
	/* aborted half-way: the old act stays, no temporary file */
	ck_assert_int_eq(cx_file_sink_open(&fs, path), 0);
	fs.sink.chunk = 8;
	b.sink = &fs.sink;
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(cx_buf_puts(&b, "0123456789"), 0);
	ck_assert_uint_lt(b.len, 8);
	cx_file_sink_abort(&fs);
	cx_buf_free(&b);
	ck_assert_int_eq(cx_read_file(path, 1 << 20, &data, &len), 0);
	ck_assert_str_eq(data, "old");
	free(data);
	snprintf(cmd, sizeof(cmd), "test \"$(ls -A '%s')\" = act-0001.kk.xml",
	         dir);
	ck_assert_int_eq(system(cmd), 0);
	/* a Ctrl-C: the next chunk fails with CX_EINTR */
	ck_assert_int_eq(cx_file_sink_open(&fs, path), 0);
	fs.sink.chunk = 8;
	fs.stop = &stop;
	b.sink = &fs.sink;
	ck_assert_int_eq(cx_buf_puts(&b, "0123456789"), 0);
	stop = 1;
	ck_assert_int_eq(cx_buf_puts(&b, "0123456789"), CX_EINTR);
	cx_file_sink_abort(&fs);
	cx_buf_free(&b);
	ck_assert_int_eq(system(cmd), 0);
	/* complete: committed */
	ck_assert_int_eq(cx_file_sink_open(&fs, path), 0);
	fs.sink.chunk = 8;
	b.sink = &fs.sink;
	for (i = 0; i < 100; i++)
		ck_assert_int_eq(cx_buf_puts(&b, "0123456789"), 0);
	ck_assert_int_eq(cx_file_sink_close(&fs, &b), 0);
	ck_assert_int_eq(cx_file_sink_commit(&fs), 0);
	cx_file_sink_abort(&fs);
	cx_buf_free(&b);
	ck_assert_int_eq(cx_read_file(path, 1 << 20, &data, &len), 0);
	ck_assert_uint_eq(len, 1000);
	ck_assert_int_eq(memcmp(data + 990, "0123456789", 10), 0);
	free(data);
	ck_assert_int_eq(system(cmd), 0);
	/* a folder that does not exist */
	snprintf(path, sizeof(path), "%s/none/act.xml", dir);
	ck_assert_int_eq(cx_file_sink_open(&fs, path), CX_ENOENT);
	cx_file_sink_abort(&fs);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
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
	tcase_add_test(tc, test_recommendations_compact);
	tcase_add_test(tc, test_scan_reason_worded);
	tcase_add_test(tc, test_additional);
	tcase_add_test(tc, test_additional_branches);
	tcase_add_test(tc, test_register);
	tcase_add_test(tc, test_additional_port_closed);
	tcase_add_loop_test(tc, test_golden_and_escaping, 0, 3);
	tcase_add_test(tc, test_html_self_contained);
	tcase_add_test(tc, test_writers_stream);
	tcase_add_test(tc, test_writer_sink_error);
	tcase_add_test(tc, test_file_sink);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
