/*
 * Unit tests: the act's writers (golden files in kk, ru and en; hostile
 * text escaped in every format; XML and JSON well-formed by xmllint and
 * jq; HTML self-contained), the recommendations and the scan row as
 * rendered, streaming through a sink and the file sink.  Split from
 * check_act.c (the act model); the runs and findings both build on are in
 * act_util.c.
 *
 * CX_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing.
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

/*
 * How the golden run's findings were determined, as the checks record it:
 * a method id per check, with raw parameters (the probe is hostile text,
 * escaped in every format and language).  The first finding keeps the
 * English text of a run recorded before method ids, printed as recorded.
 */
static void method_ids(struct cx_run *run)
{
	static const struct {
		const char *check, *msg, *arg, *value;
	} m[] = {
	    {"documents", "method.documents.review", NULL, NULL},
	    {"ports", "method.ports.detect-probe", "probe", hostile},
	    {"tls", "method.tls.protocols", NULL, NULL},
	};
	size_t i, j;

	for (i = 1; i < run->n_findings; i++) {
		struct cx_finding *f = &run->findings[i];

		for (j = 0; j < CX_ARRAY_LEN(m); j++) {
			if (strcmp(f->check, m[j].check) != 0)
				continue;
			free(f->method);
			f->method = NULL;
			f->method_msg = cx_strdup(m[j].msg);
			ck_assert_ptr_nonnull(f->method_msg);
			if (m[j].arg == NULL)
				break;
			ck_assert_int_eq(
			    cx_props_add(&f->method_args, &f->n_method_args,
			                 &(size_t){0}, m[j].arg, m[j].value),
			    0);
			break;
		}
	}
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
	/* Why that scan and how discovery went: message ids, as the scanner
	 * records them (issue 9 item 1; the old English form: check_method). */
	cx_run_option(run, "scan_reason_msg", "scan.reason.syn-default");
	cx_run_option(run, "discovery_msg", "scan.discovery.on");
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
	method_ids(run);
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
	Suite *s = suite_create("act_render");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_recommendations_compact);
	tcase_add_test(tc, test_scan_reason_worded);
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
