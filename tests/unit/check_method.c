/*
 * Unit tests: how a finding was determined, and why the scanner chose its
 * scan type and how host discovery went, are recorded as message ids with
 * parameters (issue 9 item 1), never as English sentences; the acts word
 * them in the act's language.  A run recorded before those ids (English
 * text in <method>, options scan_reason and discovery) still reads and its
 * text is printed as recorded (fixture tests/data/run-old/).
 *
 * The scan is a real TCP connect scan of one port of 127.0.0.1 in this
 * helper's range (31200-31299), a listener this test opens itself and
 * closes; the scan's timeouts are short, and ctest bounds the test.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "certexam/act.h"
#include "certexam/check.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/run.h"
#include "certexam/scan.h"
#include "certexam/util.h"

#define PROFILES CX_SOURCE_PROFILES
#define SCHEMA   CX_SOURCE_PROFILES "/schema"
#define I18N     CX_SOURCE_PROFILES "/i18n"
#define OLD_RUN  CX_TEST_DATA "/run-old"
#define PORT     31201

static struct cx_catalog *catalog(const char *lang)
{
	struct cx_catalog *cat = NULL;
	struct cx_diags d = {0};

	ck_assert_int_eq(cx_catalog_load_lang(I18N, lang, &cat, &d), 0);
	cx_diags_free(&d);
	return cat;
}

/* A listening TCP socket on 127.0.0.1:port (the kernel completes the
 * handshakes; nothing is accepted or sent). */
static int listen_on(int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	ck_assert_int_ge(fd, 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(fd, 16), 0);
	return fd;
}

static char *read_text(const char *dir, const char *name)
{
	char *path = cx_path_join(dir, name), *data = NULL;
	size_t len = 0;

	ck_assert_int_eq(cx_read_file(path, 16u << 20, &data, &len), 0);
	free(path);
	return data;
}

static void rm_rf(const char *dir)
{
	char *cmd = cx_asprintf("rm -rf '%s'", dir);

	if (cmd != NULL && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
}

static char *render(const struct cx_act *act, const char *fmt)
{
	const struct cx_act_writer *w = cx_act_writer_find(fmt);
	struct cx_buf b = {0};

	ck_assert(w != NULL);
	ck_assert(w->write != NULL);
	ck_assert_int_eq(w->write(act, &b), 0);
	return b.data;
}

/* The act of run in lang as fmt; caller frees. */
static char *act_of(const struct cx_run *run, struct cx_catalog *cat,
                    const char *lang, const char *fmt)
{
	struct cx_act *act;
	char *out;

	ck_assert_int_eq(cx_act_build(run, NULL, NULL, "2026-12-02", &act), 0);
	act->cat = cat;
	act->lang = lang;
	out = render(act, fmt);
	cx_act_free(act);
	return out;
}

/* The scanner's English sentences of the code before message ids. */
static const char *const english[] = {
    "TCP connect scan: asked for",
    "TCP SYN scan: the default",
    "not performed (no raw sockets)",
    "every address is port-scanned",
    "TCP port scan and service detection",
    "TCP port scan, then service detection",
    "service detection found no signature",
};

START_TEST(test_scan_records_ids)
{
	struct cx_scan_request req;
	struct cx_run *run = NULL, *back = NULL;
	struct cx_diags d = {0};
	struct cx_catalog *cat[2];
	const char *const langs[2] = {"kk", "ru"};
	const char *const targets[] = {"127.0.0.1"};
	char tmpl[] = "/tmp/cxmethod-XXXXXX", *xml, *dir;
	size_t i, k, with_method = 0;
	int fd, l;

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	fd = listen_on(PORT);
	memset(&req, 0, sizeof(req));
	cx_scan_opts_default(&req.opts);
	req.opts.profiles_dir = PROFILES;
	req.opts.scan_type = "connect";
	req.opts.only_checks = "ports";
	req.opts.connect_timeout_ms = 300;
	req.opts.service_wait_ms = 100;
	req.opts.probe_timeout_ms = 300;
	req.opts.service_probe_ms = 100;
	req.opts.retries = 0;
	req.targets = targets;
	req.n_targets = 1;
	req.profile_id = "information-system";
	req.ports = "31201";
	req.udp_ports = "none";
	req.out_dir = tmpl;
	req.tool_version = "test";
	ck_assert_int_eq(cx_scan(&req, &run, &d), 0);
	close(fd);
	ck_assert_ptr_nonnull(run);
	dir = cx_strdup(run->dir);
	cx_run_free(run);

	/* The record: ids and parameters, no English sentence. */
	xml = read_text(dir, "run.xml");
	ck_assert_ptr_nonnull(strstr(xml,
	                             "name=\"scan_reason_msg\" "
	                             "value=\"scan.reason.connect-asked\""));
	ck_assert_ptr_nonnull(strstr(xml, "name=\"discovery_msg\" "
	                                  "value=\"scan.discovery.no-raw\""));
	ck_assert_ptr_null(strstr(xml, "name=\"scan_reason\""));
	ck_assert_ptr_null(strstr(xml, "name=\"discovery\""));
	ck_assert_ptr_nonnull(strstr(xml, "<method msg=\"method.ports."));
	ck_assert_ptr_null(strstr(xml, "<method>"));
	for (i = 0; i < CX_ARRAY_LEN(english); i++)
		ck_assert_msg(strstr(xml, english[i]) == NULL,
		              "run.xml holds \"%s\"", english[i]);
	free(xml);

	/* Read back: the ids with their parameters. */
	ck_assert_int_eq(cx_run_load(dir, SCHEMA, &back, &d), 0);
	for (i = 0; i < back->n_findings; i++) {
		const struct cx_finding *f = &back->findings[i];

		ck_assert_ptr_null(f->method);
		if (f->method_msg == NULL)
			continue;
		with_method++;
		ck_assert_int_eq(strncmp(f->method_msg, "method.", 7), 0);
		/* a port identified by a probe names it as a parameter */
		if (strcmp(f->method_msg, "method.ports.detect-probe") == 0) {
			ck_assert_uint_eq(f->n_method_args, 1);
			ck_assert_str_eq(f->method_args[0].name, "probe");
		}
	}
	ck_assert_uint_gt(with_method, 0);

	/* Worded in Kazakh and Russian: the catalogs' texts, no English. */
	cat[0] = catalog("kk");
	cat[1] = catalog("ru");
	for (l = 0; l < 2; l++) {
		char *out = act_of(back, cat[l], langs[l], "xml");
		char *md = act_of(back, cat[l], langs[l], "md");
		struct cx_buf reason = {0}, scan_row = {0};

		for (i = 0; i < back->n_findings; i++) {
			const struct cx_finding *f = &back->findings[i];
			struct cx_buf how = {0};

			if (f->method_msg == NULL)
				continue;
			ck_assert_int_eq(
			    cx_finding_method_text(cat[l], f, &how), 0);
			ck_assert_ptr_nonnull(how.data);
			ck_assert_msg(how.data[0] != '[', "%s: %s lacks %s",
			              langs[l], how.data, f->method_msg);
			ck_assert_msg(strstr(out, how.data) != NULL,
			              "%s: method \"%s\" not in the XML act",
			              langs[l], how.data);
			cx_buf_free(&how);
		}
		ck_assert_int_eq(
		    cx_msg(&reason, cat[l], "scan.reason.connect-asked", NULL),
		    0);
		ck_assert_msg(strstr(out, reason.data) != NULL,
		              "%s: the scan reason is not worded", langs[l]);
		ck_assert_int_eq(cx_msg(&scan_row, cat[l],
		                        "act.net.scan.connect-because",
		                        CX_ARGS("why", reason.data)),
		                 0);
		ck_assert_msg(strstr(md, scan_row.data) != NULL,
		              "%s: the scan row is not \"%s\"", langs[l],
		              scan_row.data);
		ck_assert_ptr_null(strstr(md, "as recorded"));
		for (k = 0; k < CX_ARRAY_LEN(english); k++) {
			ck_assert_msg(strstr(out, english[k]) == NULL,
			              "%s XML act holds \"%s\"", langs[l],
			              english[k]);
			ck_assert_msg(strstr(md, english[k]) == NULL,
			              "%s act holds \"%s\"", langs[l],
			              english[k]);
		}
		cx_buf_free(&reason);
		cx_buf_free(&scan_row);
		free(out);
		free(md);
	}
	cx_catalog_free(cat[0]);
	cx_catalog_free(cat[1]);
	cx_run_free(back);
	cx_diags_free(&d);
	rm_rf(tmpl);
	free(dir);
}
END_TEST

/*
 * A run recorded before method and reason ids (the fixture): it validates
 * and reads; its English texts are kept and printed as recorded.
 */
START_TEST(test_old_run_reads)
{
	struct cx_run *run = NULL;
	struct cx_diags d = {0};
	struct cx_catalog *ru = catalog("ru");
	char *out, *md;
	size_t i, n_old = 0;

	ck_assert_int_eq(cx_run_load(OLD_RUN, SCHEMA, &run, &d), 0);
	for (i = 0; i < run->n_findings; i++) {
		ck_assert_ptr_null(run->findings[i].method_msg);
		if (run->findings[i].method != NULL)
			n_old++;
	}
	ck_assert_uint_gt(n_old, 0);
	out = act_of(run, ru, "ru", "xml");
	md = act_of(run, ru, "ru", "md");
	ck_assert_ptr_nonnull(strstr(
	    out, "<method>TCP port scan and service detection</method>"));
	ck_assert_ptr_nonnull(strstr(out, "<scan_reason>TCP connect scan: "
	                                  "asked for (--scan connect)"
	                                  "</scan_reason>"));
	ck_assert_ptr_nonnull(
	    strstr(md, "как записано: TCP connect scan: asked for"));
	ck_assert_ptr_nonnull(
	    strstr(md, "как записано: not performed (no raw sockets)"));
	free(out);
	free(md);
	cx_run_free(run);
	cx_diags_free(&d);
	cx_catalog_free(ru);
}
END_TEST

static Suite *method_suite(void)
{
	Suite *s = suite_create("method");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_scan_records_ids);
	tcase_add_test(tc, test_old_run_reads);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(method_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
