/*
 * Unit tests: finding keys, the run record round trip (write, read back
 * validated against run.xsd, identical), evidence hashing, atomicity;
 * the words of a stored run's problems (pkg.run.*) in ru and kk.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certexam/case_msg.h"
#include "certexam/error.h"
#include "certexam/escape.h"
#include "certexam/finding.h"
#include "certexam/i18n.h"
#include "certexam/run.h"
#include "certexam/util.h"
#include "diag_util.h"
#include "xmlsafe.h"

#define SCHEMA CX_SOURCE_PROFILES "/schema"

static char tmpdir[64];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/cx-run-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_keys)
{
	char *k = cx_finding_key("tls", "TLS-02", "127.0.0.1:443/tcp",
	                         "TLS_RSA_WITH_RC4_128_SHA");

	ck_assert_str_eq(
	    k, "tls|TLS-02|127.0.0.1:443/tcp|TLS_RSA_WITH_RC4_128_SHA");
	free(k);
	k = cx_finding_key("ports", "NET-01", "10.0.0.1:23/tcp", NULL);
	ck_assert_str_eq(k, "ports|NET-01|10.0.0.1:23/tcp");
	free(k);
	k = cx_finding_key("ports", "NET-01", "10.0.0.1:23/tcp", "");
	ck_assert_str_eq(k, "ports|NET-01|10.0.0.1:23/tcp");
	free(k);
}
END_TEST

static void add_finding(struct cx_run *run, const char *asset,
                        const char *observed, enum cx_status st)
{
	struct cx_finding f;
	char *ev[1] = {"E0001"};

	memset(&f, 0, sizeof(f));
	f.check = "ports";
	f.req_id = "NET-01";
	f.req_text = "Cleartext remote access services are not exposed";
	f.req_source = "Rules No. 298, para 22(4)";
	f.block = "network";
	f.asset = (char *)asset;
	f.item = "telnet";
	f.status = st;
	f.severity = CX_SEV_CRITICAL;
	f.certainty = CX_CONFIRMED;
	f.title = "Telnet is exposed";
	f.observed = (char *)observed;
	f.recommendation = "Disable telnet; use SSH";
	f.method = "banner";
	f.evidence = ev;
	f.n_evidence = 1;
	ck_assert_int_eq(cx_run_add_finding(run, &f), 0);
}

static struct cx_run *sample_run(const char *dir)
{
	static const char banner[] = "\xff\xfb\x01<script>\"&'\x1b[31m\xc3";
	struct cx_run *run = cx_run_new();
	struct cx_host_obs h = {"127.0.0.1", "lab.example", 1, NULL};
	struct cx_port_obs p;
	struct cx_observation *o;
	const char *id = NULL;
	char *text;

	ck_assert_ptr_nonnull(run);
	ck_assert_int_eq(cx_run_place(run, dir), 0);
	ck_assert_int_eq(run->number, 1);
	run->tool_version = cx_strdup("0.1.0");
	run->profile_id = cx_strdup("information-system");
	run->profile_version = cx_strdup("2026.1");
	run->object_name = cx_strdup("Object <&> \"name\"");
	run->object_type = cx_strdup("information-system");
	run->examiner_host = cx_strdup("examiner");
	run->started = 1795300000;
	run->finished = 1795300042;
	run->complete = 1;
	run->degraded = 1;
	run->degraded_reason = cx_strdup("fd limit reached twice");
	run->scope = calloc(2, sizeof(char *));
	run->scope[0] = cx_strdup("127.0.0.0/30");
	run->scope[1] = cx_strdup("https://lab.example/");
	run->n_scope = 2;
	ck_assert_int_eq(cx_run_option(run, "ports", "1-1024"), 0);
	ck_assert_int_eq(cx_run_check_state(run, "ports", "running"), 0);
	ck_assert_int_eq(cx_run_check_state(run, "ports", "done"), 0);
	ck_assert_uint_eq(run->n_checks, 1);
	ck_assert_int_eq(cx_run_add_host(run, &h), 0);
	ck_assert_int_eq(cx_run_add_evidence(run, "127.0.0.1:23/tcp", "banner",
	                                     "telnet greeting", banner,
	                                     sizeof(banner) - 1, &id),
	                 0);
	ck_assert_str_eq(id, "E0001");
	memset(&p, 0, sizeof(p));
	p.addr = "127.0.0.1";
	p.port = 23;
	p.proto = "tcp";
	p.state = CX_PORT_OPEN;
	p.reason = "syn-ack";
	p.service = "telnet";
	p.evidence = "E0001";
	ck_assert_int_eq(cx_run_add_port(run, &p, NULL), 0);
	o = cx_run_add_obs(run, "tls-endpoint", "127.0.0.1:443/tcp");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(cx_obs_prop(o, "grade", "B"), 0);
	ck_assert_int_eq(
	    cx_obs_propf(o, "protocols", "%s %s", "TLSv1.2", "TLSv1.3"), 0);
	text = cx_text_from_bytes(banner, sizeof(banner) - 1);
	add_finding(run, "127.0.0.1:23/tcp", text, CX_FAIL);
	add_finding(run, "127.0.0.1:23/tcp", "second\nline", CX_FAIL);
	free(text);
	return run;
}

START_TEST(test_round_trip)
{
	struct cx_diags d = {0};
	struct cx_run *run = sample_run(tmpdir), *back = NULL;
	struct cx_buf a = {0}, b = {0};
	char *dir;

	/* The second finding with the same key gets a suffix. */
	ck_assert_str_eq(run->findings[0].key,
	                 "ports|NET-01|127.0.0.1:23/tcp|telnet");
	ck_assert_str_eq(run->findings[1].key,
	                 "ports|NET-01|127.0.0.1:23/tcp|telnet#2");
	ck_assert_int_eq(cx_run_save(run), 0);
	dir = cx_path_join(tmpdir, "0001");
	ck_assert_int_eq(cx_run_load(dir, SCHEMA, &back, &d), 0);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_int_eq(cx_run_to_xml(run, &a), 0);
	ck_assert_int_eq(cx_run_to_xml(back, &b), 0);
	ck_assert_str_eq(a.data, b.data);
	ck_assert_str_eq(back->findings[1].observed, "second\nline");
	ck_assert_str_eq(back->object_name, "Object <&> \"name\"");
	ck_assert_int_eq(back->started, 1795300000);
	ck_assert_int_eq(back->degraded, 1);
	ck_assert_str_eq(back->evidence[0].sha256, run->evidence[0].sha256);
	cx_buf_free(&a);
	cx_buf_free(&b);
	/* JSON parses as one document with the findings (checked by shape). */
	ck_assert_int_eq(cx_run_to_json(back, &a), 0);
	ck_assert_ptr_nonnull(strstr(a.data, "\"key\": \"ports|NET-01|"
	                                     "127.0.0.1:23/tcp|telnet#2\""));
	ck_assert_ptr_null(strchr(a.data, '\x1b'));
	cx_buf_free(&a);
	cx_run_free(run);
	cx_run_free(back);
	free(dir);
	cx_diags_free(&d);
}
END_TEST

START_TEST(test_evidence_hash)
{
	struct cx_run *run = cx_run_new();
	char *path, *data;
	size_t len;

	ck_assert_int_eq(cx_run_place(run, tmpdir), 0);
	ck_assert_int_eq(
	    cx_run_add_evidence(run, "a", "../../etc/x", "d", "abc", 3, NULL),
	    0);
	/* The kind cannot escape the evidence folder. */
	ck_assert_str_eq(run->evidence[0].file,
	                 "evidence/E0001-------etc-x.bin");
	ck_assert_str_eq(
	    run->evidence[0].sha256,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	path = cx_path_join(run->dir, run->evidence[0].file);
	ck_assert_int_eq(cx_read_file(path, 100, &data, &len), 0);
	ck_assert_uint_eq(len, 3);
	free(data);
	free(path);
	cx_run_free(run);
}
END_TEST

START_TEST(test_place_numbers)
{
	struct cx_run *a = cx_run_new(), *b = cx_run_new();

	ck_assert_int_eq(cx_run_place(a, tmpdir), 0);
	ck_assert_int_eq(cx_run_place(b, tmpdir), 0);
	ck_assert_int_eq(a->number, 1);
	ck_assert_int_eq(b->number, 2);
	cx_run_free(a);
	cx_run_free(b);
}
END_TEST

START_TEST(test_load_rejects)
{
	struct cx_diags d = {0};
	struct cx_run *r = NULL;
	char *dir = cx_path_join(tmpdir, "bad"), *f;
	static const char invalid[] =
	    "<?xml version=\"1.0\"?><run xmlns=\"urn:certexam:run:1\" "
	    "number=\"x\"/>";
	static const char xxe[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE run [<!ENTITY e SYSTEM "
	    "\"file:///etc/passwd\">]><run>&e;</run>";

	ck_assert_int_eq(cx_mkdir_p(dir), 0);
	f = cx_path_join(dir, "run.xml");
	ck_assert_int_eq(cx_write_file_atomic(f, invalid, strlen(invalid)), 0);
	ck_assert_int_eq(cx_run_load(dir, SCHEMA, &r, &d), CX_ESCHEMA);
	ck_assert_ptr_null(r);
	ck_assert_uint_gt(d.n, 0);
	cx_diags_free(&d);
	ck_assert_int_eq(cx_write_file_atomic(f, xxe, strlen(xxe)), 0);
	ck_assert_int_eq(cx_run_load(dir, SCHEMA, &r, &d), CX_EPARSE);
	ck_assert_ptr_null(r);
	cx_diags_free(&d);
	ck_assert_int_eq(cx_write_file_atomic(f, "<run", 4), 0);
	ck_assert_int_eq(cx_run_load(dir, SCHEMA, &r, &d), CX_EPARSE);
	ck_assert_uint_gt(d.n, 0);
	ck_assert_int_ge(d.items[0].line, 1);
	cx_diags_free(&d);
	free(f);
	free(dir);
}
END_TEST

/*
 * Found by tests/fuzz/fuzz_run_xml: read without a schema (as the scan
 * reads earlier runs), a record missing a required attribute was reported
 * as CX_ENOMEM ("out of memory").  It is malformed input: CX_EPARSE.
 */
START_TEST(test_load_missing_attrs_not_enomem)
{
	static const char *const docs[] = {
	    /* a finding without its key */
	    "<run xmlns=\"urn:certexam:run:1\"><findings><finding "
	    "check=\"ports\" status=\"pass\"/></findings></run>",
	    /* an evidence reference without ref */
	    "<run xmlns=\"urn:certexam:run:1\"><findings><finding "
	    "key=\"k\"><evidence/></finding></findings></run>",
	    /* an observation without kind */
	    "<run xmlns=\"urn:certexam:run:1\"><observations><observation "
	    "asset=\"a\"/></observations></run>",
	    /* an observation property without name */
	    "<run xmlns=\"urn:certexam:run:1\"><observations><observation "
	    "kind=\"k\" asset=\"a\"><prop>v</prop></observation>"
	    "</observations></run>",
	    /* an evidence file without id, path or hash */
	    "<run xmlns=\"urn:certexam:run:1\"><evidence><file "
	    "path=\"evidence/x\">d</file></evidence></run>",
	};
	struct cx_diags d = {0};
	struct cx_run *r = NULL;
	char *dir = cx_path_join(tmpdir, "attrs"), *f;
	size_t i;

	ck_assert_int_eq(cx_mkdir_p(dir), 0);
	f = cx_path_join(dir, "run.xml");
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		ck_assert_int_eq(
		    cx_write_file_atomic(f, docs[i], strlen(docs[i])), 0);
		ck_assert_int_eq(cx_run_load(dir, NULL, &r, &d), CX_EPARSE);
		ck_assert_ptr_null(r);
		cx_diags_free(&d);
	}
	free(f);
	free(dir);
}
END_TEST

START_TEST(test_atomic_keeps_old)
{
	char *f = cx_path_join(tmpdir, "file"), *data;
	char *bad = cx_path_join(tmpdir, "missing/dir/file");
	size_t len;

	ck_assert_int_eq(cx_write_file_atomic(f, "old", 3), 0);
	ck_assert_int_ne(cx_write_file_atomic(bad, "new", 3), 0);
	ck_assert_int_eq(cx_read_file(f, 10, &data, &len), 0);
	ck_assert_str_eq(data, "old");
	free(data);
	/* The size cap is enforced. */
	ck_assert_int_eq(cx_read_file(f, 2, &data, &len), CX_ELIMIT);
	free(f);
	free(bad);
}
END_TEST

/*
 * Issue 12 (1, 8): a host answering on every port.  65,535 open ports,
 * one finding each and a 65,535-entry scope make a run.xml far above the
 * old 16 MiB reader cap; it is written streamed and read back streamed,
 * identical.  (On the old reader: "file is larger than 16777216 bytes".)
 */
START_TEST(test_all_open_round_trip)
{
	enum { N = 65535 };
	struct cx_diags d = {0};
	struct cx_run *run = cx_run_new(), *back = NULL;
	struct cx_buf a = {0}, b = {0};
	struct cx_port_obs p;
	struct stat sb;
	char asset[64], obs[400], *dir, *f;
	size_t i;

	ck_assert_ptr_nonnull(run);
	ck_assert_int_eq(cx_run_place(run, tmpdir), 0);
	run->tool_version = cx_strdup("0.1.0");
	run->profile_id = cx_strdup("internet-resource");
	run->profile_version = cx_strdup("2026.1");
	run->examiner_host = cx_strdup("examiner");
	run->started = 1795300000;
	run->complete = 1;
	run->scope = calloc(N, sizeof(char *));
	ck_assert_ptr_nonnull(run->scope);
	for (i = 0; i < N; i++) {
		run->scope[i] = cx_asprintf("10.%zu.%zu.1", i / 256, i % 256);
		ck_assert_ptr_nonnull(run->scope[i]);
	}
	run->n_scope = N;
	memset(&p, 0, sizeof(p));
	p.addr = "127.0.0.1";
	p.proto = "tcp";
	p.state = CX_PORT_OPEN;
	p.reason = "syn-ack";
	p.service = "http";
	memset(obs, 'x', sizeof(obs) - 1);
	obs[sizeof(obs) - 1] = '\0';
	for (i = 1; i <= N; i++) {
		p.port = (int)i;
		ck_assert_int_eq(cx_run_add_port(run, &p, NULL), 0);
		snprintf(asset, sizeof(asset), "127.0.0.1:%zu/tcp", i);
		add_finding(run, asset, obs, CX_FAIL);
	}
	ck_assert_ptr_nonnull(cx_run_find_port(run, "127.0.0.1", 4242, "tcp"));
	ck_assert_ptr_null(cx_run_find_port(run, "127.0.0.2", 4242, "tcp"));
	ck_assert_int_eq(cx_run_save(run), 0);
	dir = cx_path_join(tmpdir, "0001");
	f = cx_path_join(dir, "run.xml");
	ck_assert_int_eq(stat(f, &sb), 0);
	ck_assert_int_gt(sb.st_size, 16 * 1024 * 1024);
	ck_assert_int_eq(cx_run_load(dir, SCHEMA, &back, &d), 0);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_uint_eq(back->n_ports, N);
	ck_assert_uint_eq(back->n_findings, N);
	ck_assert_uint_eq(back->n_scope, N);
	ck_assert_ptr_nonnull(cx_run_find_port(back, "127.0.0.1", N, "tcp"));
	ck_assert_int_eq(cx_run_to_xml(run, &a), 0);
	ck_assert_int_eq(cx_run_to_xml(back, &b), 0);
	ck_assert_uint_eq(a.len, (size_t)sb.st_size);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_int_eq(memcmp(a.data, b.data, a.len), 0);
	cx_buf_free(&a);
	cx_buf_free(&b);
	cx_run_free(run);
	cx_run_free(back);
	free(f);
	free(dir);
}
END_TEST

/*
 * The streamed reader filters the bytes before the parser sees them: a
 * DOCTYPE is refused wherever it falls, also across the parser's reads
 * (libxml2 reads in chunks of a few KiB), and no entity is resolved.
 */
START_TEST(test_stream_refuses_doctype)
{
	struct cx_diags d = {0};
	struct cx_run *r = NULL;
	struct cx_buf doc = {0};
	char *dir = cx_path_join(tmpdir, "dt"), *f;
	size_t pad;

	ck_assert_int_eq(cx_mkdir_p(dir), 0);
	f = cx_path_join(dir, "run.xml");
	for (pad = 4000; pad < 4200; pad += 7) {
		doc.len = 0;
		ck_assert_int_eq(cx_buf_puts(&doc, "<?xml version=\"1.0\"?>"),
		                 0);
		while (doc.len < pad)
			ck_assert_int_eq(cx_buf_putc(&doc, ' '), 0);
		ck_assert_int_eq(
		    cx_buf_puts(&doc, "<!DOCTYPE run [<!ENTITY e SYSTEM "
		                      "\"file:///etc/passwd\">]>"
		                      "<run xmlns=\"urn:certexam:run:1\">&e;"
		                      "</run>"),
		    0);
		ck_assert_int_eq(cx_write_file_atomic(f, doc.data, doc.len), 0);
		ck_assert_int_eq(cx_run_load(dir, NULL, &r, &d), CX_EPARSE);
		ck_assert_ptr_null(r);
		ck_assert_uint_gt(d.n, 0);
		cx_diags_free(&d);
	}
	cx_buf_free(&doc);
	free(f);
	free(dir);
}
END_TEST

/* n bytes of pattern pat repeated, NUL-terminated.  Caller frees. */
static char *repeat(const char *pat, size_t n)
{
	size_t k = strlen(pat), i;
	char *s = malloc(n + 1);

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		s[i] = pat[i % k];
	s[n] = '\0';
	return s;
}

/*
 * The writer cuts every stored field at CX_RUN_MAX_FIELD bytes, on a
 * character boundary, marked; the record reads back (before, a field
 * over the reader's bound made the record unreadable).
 */
START_TEST(test_field_cut)
{
	struct cx_diags d = {0};
	struct cx_run *run = sample_run(tmpdir), *back = NULL;
	struct cx_observation *o = cx_run_add_obs(run, "banner", "x:1/tcp");
	char *big = repeat("A", 2 * 1024 * 1024 + 5);
	char *cyr = repeat("\xd0\xb6", 100001); /* 'zh', 2 bytes each */
	char *dir, mark[96];
	const char *v;
	size_t i, kept;

	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(cx_obs_prop(o, "banner", big), 0);
	ck_assert_int_eq(cx_obs_prop(o, "short", "short"), 0);
	free(run->findings[0].observed);
	run->findings[0].observed = cx_strdup(cyr);
	ck_assert_int_eq(cx_run_save(run), 0);
	dir = cx_path_join(tmpdir, "0001");
	ck_assert_int_eq(cx_run_load(dir, SCHEMA, &back, &d), 0);
	ck_assert_uint_eq(d.n, 0);
	/* ASCII: cut at the limit exactly */
	v = cx_obs_get(&back->obs[back->n_obs - 1], "banner");
	ck_assert_ptr_nonnull(v);
	snprintf(mark, sizeof(mark), CX_RUN_CUT_MARK, CX_RUN_MAX_FIELD,
	         strlen(big));
	ck_assert_uint_eq(strlen(v), CX_RUN_MAX_FIELD + strlen(mark));
	ck_assert_int_eq(memcmp(v, big, CX_RUN_MAX_FIELD), 0);
	ck_assert_str_eq(v + CX_RUN_MAX_FIELD, mark);
	ck_assert_str_eq(cx_obs_get(&back->obs[back->n_obs - 1], "short"),
	                 "short");
	/* two-byte characters: never half a character */
	v = back->findings[0].observed;
	kept = CX_RUN_MAX_FIELD - CX_RUN_MAX_FIELD % 2;
	snprintf(mark, sizeof(mark), CX_RUN_CUT_MARK, kept, strlen(cyr));
	ck_assert_uint_eq(strlen(v), kept + strlen(mark));
	ck_assert(cx_utf8_valid(v, strlen(v)));
	ck_assert_int_eq(memcmp(v, cyr, kept), 0);
	ck_assert_str_eq(v + kept, mark);
	/* the rest of the record is whole */
	for (i = 1; i < back->n_findings; i++)
		ck_assert_str_eq(back->findings[i].observed,
		                 run->findings[i].observed);
	cx_run_free(back);
	cx_run_free(run);
	cx_diags_free(&d);
	free(dir);
	free(big);
	free(cyr);
}
END_TEST

/* A record whose text (written by another hand) is over the reader's
 * bound: refused, naming the file and the line. */
START_TEST(test_span_limit)
{
	static const char *const where[] = {
	    "<observed>", /* a text inside an item */
	    "<observed",  /* an attribute of an item (below) */
	    "<run ",      /* an attribute of the root */
	    "<findings>", /* text between the items */
	};
	struct cx_run *run = sample_run(tmpdir), *r = NULL;
	char *dir = cx_path_join(tmpdir, "0001"), *f, *data, *pad;
	size_t len, i, at;

	ck_assert_int_eq(cx_run_save(run), 0);
	f = cx_path_join(dir, "run.xml");
	ck_assert_int_eq(cx_read_file(f, 1 << 24, &data, &len), 0);
	pad = repeat("x", CX_XML_MAX_SPAN + 1);
	for (i = 0; i < CX_ARRAY_LEN(where); i++) {
		struct cx_buf doc = {0};
		struct cx_diags d = {0};
		const char *p = strstr(data, where[i]);

		ck_assert_ptr_nonnull(p);
		at = (size_t)(p - data) + strlen(where[i]);
		ck_assert_int_eq(cx_buf_append(&doc, data, at), 0);
		if (i == 1 || i == 2) {
			ck_assert_int_eq(
			    cx_buf_puts(&doc, i == 1 ? " x=\"" : "x=\""), 0);
			ck_assert_int_eq(cx_buf_puts(&doc, pad), 0);
			ck_assert_int_eq(
			    cx_buf_puts(&doc, i == 1 ? "\"" : "\" "), 0);
		} else if (i == 3) {
			/* white space only: the bound holds for any text */
			size_t k;
			for (k = 0; k <= CX_XML_MAX_SPAN; k++)
				ck_assert_int_eq(cx_buf_putc(&doc, ' '), 0);
		} else {
			ck_assert_int_eq(cx_buf_puts(&doc, pad), 0);
		}
		ck_assert_int_eq(cx_buf_puts(&doc, data + at), 0);
		ck_assert_int_eq(cx_write_file_atomic(f, doc.data, doc.len), 0);
		ck_assert_int_eq(cx_run_load(dir, NULL, &r, &d), CX_ELIMIT);
		ck_assert_ptr_null(r);
		ck_assert_uint_ge(d.n, 1);
		ck_assert_str_eq(d.items[0].file, f);
		ck_assert_int_gt(d.items[0].line, 0);
		ck_assert_ptr_nonnull(strstr(d.items[0].message, "1048576"));
		cx_diags_free(&d);
		cx_buf_free(&doc);
	}
	/* markup the byte filter must follow: a comment with a quote and
	 * '>', a PI, a CDATA section, '>' in an attribute value */
	{
		struct cx_buf doc = {0};
		struct cx_diags d = {0};
		const char *p = strstr(data, "<findings>");

		at = (size_t)(p - data);
		ck_assert_int_eq(cx_buf_append(&doc, data, at), 0);
		ck_assert_int_eq(
		    cx_buf_puts(&doc, "<!-- it's a \"comment\" > with > -->"
		                      "<?certexam x='1'?>"),
		    0);
		ck_assert_int_eq(cx_buf_puts(&doc, data + at), 0);
		p = strstr(doc.data, "<observed>");
		ck_assert_ptr_nonnull(p);
		at = (size_t)(p - doc.data) + strlen("<observed>");
		{
			struct cx_buf d2 = {0};
			ck_assert_int_eq(cx_buf_append(&d2, doc.data, at), 0);
			ck_assert_int_eq(
			    cx_buf_puts(&d2, "<![CDATA[a > b ' \" ]]>"), 0);
			ck_assert_int_eq(cx_buf_puts(&d2, doc.data + at), 0);
			cx_buf_free(&doc);
			doc = d2;
		}
		ck_assert_int_eq(cx_write_file_atomic(f, doc.data, doc.len), 0);
		ck_assert_int_eq(cx_run_load(dir, NULL, &r, &d), 0);
		ck_assert_ptr_nonnull(strstr(r->findings[0].observed, "a > b"));
		cx_run_free(r);
		cx_diags_free(&d);
		cx_buf_free(&doc);
	}
	/* under the bound (and far over the writer's field limit): read */
	{
		struct cx_buf doc = {0};
		struct cx_diags d = {0};
		const char *p = strstr(data, "<observed>");

		at = (size_t)(p - data) + strlen("<observed>");
		pad[CX_XML_MAX_SPAN - 4096] = '\0';
		ck_assert_int_eq(cx_buf_append(&doc, data, at), 0);
		ck_assert_int_eq(cx_buf_puts(&doc, pad), 0);
		ck_assert_int_eq(cx_buf_puts(&doc, data + at), 0);
		ck_assert_int_eq(cx_write_file_atomic(f, doc.data, doc.len), 0);
		ck_assert_int_eq(cx_run_load(dir, NULL, &r, &d), 0);
		cx_run_free(r);
		cx_diags_free(&d);
		cx_buf_free(&doc);
	}
	free(pad);
	free(data);
	free(f);
	free(dir);
	cx_run_free(run);
}
END_TEST

/*
 * The problems of a stored run (cx_run_verify, cx_runs_latest) carry a
 * message id (pkg.run.*): worded in ru and kk without an English
 * sentence outside the raw values, in en exactly their message.
 */
static void assert_run_words(const struct cx_diags *d, const char *msg,
                             const char *ru_text)
{
	static const char *const langs[] = {"kk", "ru", "en"};
	struct cx_catalog *cat[3];
	struct cx_diags cd = {0};
	struct cx_buf b = {0};
	const char *why;
	size_t i;
	int k;

	for (k = 0; k < 3; k++)
		ck_assert_int_eq(cx_catalog_load_lang(CX_SOURCE_PROFILES
		                                      "/i18n",
		                                      langs[k], &cat[k], &cd),
		                 0);
	for (i = 0; i < d->n; i++)
		if (d->items[i].msg != NULL &&
		    strcmp(d->items[i].msg, msg) == 0)
			break;
	ck_assert_msg(i < d->n, "no %s", msg);
	why = diags_not_worded(d, cat[1], cat[2]);
	ck_assert_msg(why == NULL, "ru: %s", why);
	why = diags_not_worded(d, cat[0], NULL);
	ck_assert_msg(why == NULL, "kk: %s", why);
	ck_assert_int_eq(
	    cx_case_msg_args(&b, cat[1], msg, d->items[i].args, NULL), 0);
	ck_assert_str_eq(b.data, ru_text);
	cx_buf_free(&b);
	for (k = 0; k < 3; k++)
		cx_catalog_free(cat[k]);
	cx_diags_free(&cd);
}

START_TEST(test_verify_words)
{
	static const struct {
		int how; /* 0 altered, 1 size, 2 missing, 3 folder, 4 outside */
		const char *msg, *ru;
	} cases[] = {
	    {0, "pkg.run.evidence-altered",
	     "доказательство E0001 (evidence/E0001-banner.bin): его SHA-256 "
	     "отличается от указанного в записи прогона (файл изменён)"},
	    {1, "pkg.run.evidence-size",
	     "доказательство E0001 (evidence/E0001-banner.bin): его размер "
	     "отличается от указанного в записи прогона"},
	    {2, "pkg.run.evidence-missing",
	     "доказательство E0001 (evidence/E0001-banner.bin): файл "
	     "отсутствует"},
	    {3, "pkg.run.evidence-special",
	     "доказательство E0001 (evidence/E0001-banner.bin): это не "
	     "обычный файл (ссылка или папка)"},
	    {4, "pkg.run.evidence-outside",
	     "доказательство E0001 (../E0001-banner.bin): его путь выходит за "
	     "пределы папки прогона"},
	};
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(cases); i++) {
		struct cx_run *run = cx_run_new();
		struct cx_diags d = {0};
		char *path;

		ck_assert_int_eq(cx_run_place(run, tmpdir), 0);
		ck_assert_int_eq(cx_run_add_evidence(run, "a", "banner", "d",
		                                     "abc", 3, NULL),
		                 0);
		ck_assert_str_eq(run->evidence[0].file,
		                 "evidence/E0001-banner.bin");
		ck_assert_int_eq(cx_run_verify(run, &d), CX_OK);
		path = cx_path_join(run->dir, run->evidence[0].file);
		switch (cases[i].how) {
		case 0:
			ck_assert_int_eq(cx_write_file_atomic(path, "abd", 3),
			                 0);
			break;
		case 1:
			ck_assert_int_eq(cx_write_file_atomic(path, "ab", 2),
			                 0);
			break;
		case 2:
			ck_assert_int_eq(unlink(path), 0);
			break;
		case 3:
			ck_assert_int_eq(unlink(path), 0);
			ck_assert_int_eq(mkdir(path, 0700), 0);
			break;
		default:
			free(run->evidence[0].file);
			run->evidence[0].file =
			    cx_strdup("../E0001-banner.bin");
			break;
		}
		ck_assert_int_eq(cx_run_verify(run, &d), CX_EINTEGRITY);
		ck_assert_uint_eq(d.n, 1);
		assert_run_words(&d, cases[i].msg, cases[i].ru);
		cx_diags_free(&d);
		free(path);
		cx_run_free(run);
	}
}
END_TEST

START_TEST(test_latest_words)
{
	struct cx_diags d = {0};
	char *dir = cx_path_join(tmpdir, "0007"), *f;
	int n = 0;

	ck_assert_int_eq(cx_mkdir_p(dir), 0);
	f = cx_path_join(dir, "run.xml");
	ck_assert_int_eq(cx_write_file_atomic(f, "<run", 4), 0);
	ck_assert_int_ne(cx_runs_latest(tmpdir, NULL, &n, &d), CX_OK);
	ck_assert_int_eq(n, 0);
	assert_run_words(
	    &d, "pkg.run.newest-unreadable",
	    "прогон 0007 не удаётся прочитать (CX_EPARSE); это последний "
	    "прогон, поэтому более ранний вместо него не используется: "
	    "исправьте или удалите его либо укажите прогон параметром "
	    "--run/--baseline");
	cx_diags_free(&d);
	free(f);
	free(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("run");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_keys);
	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_evidence_hash);
	tcase_add_test(tc, test_place_numbers);
	tcase_add_test(tc, test_load_rejects);
	tcase_add_test(tc, test_load_missing_attrs_not_enomem);
	tcase_add_test(tc, test_atomic_keeps_old);
	tcase_add_test(tc, test_all_open_round_trip);
	tcase_add_test(tc, test_stream_refuses_doctype);
	tcase_add_test(tc, test_field_cut);
	tcase_add_test(tc, test_span_limit);
	tcase_add_test(tc, test_verify_words);
	tcase_add_test(tc, test_latest_words);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
