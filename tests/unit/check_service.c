/*
 * Unit tests: service signatures (profiles/signatures.xml) on recorded
 * banners (tests/data/banners/), hostile and malformed input, and the
 * signature loader's diagnostics.  The detection engine is tested in
 * check_service_engine.c, the ports check in check_ports.c.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certexam/check.h"
#include "certexam/error.h"
#include "certexam/loop.h"
#include "certexam/run.h"
#include "certexam/util.h"
#include "service.h"
#include "service_util.h"

#define SIGS CX_SOURCE_PROFILES "/signatures.xml"
#define XSD  CX_SOURCE_PROFILES "/schema/signatures.xsd"

static struct cx_sigdb *db;

static void db_setup(void)
{
	struct cx_diags d = {0};
	int rc = cx_sigdb_load(SIGS, XSD, &db, &d);

	if (rc != 0 && d.n > 0)
		fprintf(stderr, "%s:%ld: %s\n", d.items[0].file,
		        d.items[0].line, d.items[0].message);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(db);
	cx_diags_free(&d);
}

static void db_teardown(void)
{
	cx_sigdb_free(db);
	db = NULL;
}

static void read_banner(const char *name, char **data, size_t *len)
{
	char *path = cx_asprintf("%s/banners/%s", CX_TEST_DATA, name);

	ck_assert_ptr_nonnull(path);
	ck_assert_msg(cx_read_file(path, 1 << 20, data, len) == 0,
	              "cannot read %s", path);
	free(path);
}

/* "-" means the field must be absent, NULL means "not checked". */
struct banner_case {
	const char *file;
	const char *probe;
	const char *service;
	const char *product;
	const char *version;
	const char *extra;
	int tls;
	const char *fact; /* "name=value" or NULL */
};

static const struct banner_case cases[] = {
    {"openssh.bin", NULL, "ssh", "OpenSSH", "9.2p1", "Debian-2+deb12u3", 0,
     NULL},
    {"openssh-el.bin", NULL, "ssh", "OpenSSH", "8.0", "-", 0, NULL},
    {"dropbear.bin", NULL, "ssh", "Dropbear", "2022.83", NULL, 0, NULL},
    {"ssh-other.bin", NULL, "ssh", "-", "-", "Go", 0, NULL},
    {"nginx.bin", "http-get", "http", "nginx", "1.22.1", NULL, 0, NULL},
    {"nginx-notokens.bin", "http-get", "http", "nginx", "-", NULL, 0, NULL},
    {"nginx-https-port.bin", "http-get", "http", NULL, NULL, NULL, 1, NULL},
    {"apache.bin", "http-get", "http", "Apache", "2.4.62", "Debian", 0, NULL},
    {"iis.bin", "http-get", "http", "Microsoft IIS", "10.0", NULL, 0, NULL},
    {"lighttpd.bin", "http-get", "http", "lighttpd", "1.4.69", NULL, 0, NULL},
    {"http-noserver.bin", "http-get", "http", "-", "-", NULL, 0, NULL},
    {"elasticsearch.bin", "http-get", "elasticsearch", "Elasticsearch",
     "8.11.3", NULL, 0, NULL},
    {"vsftpd.bin", NULL, "ftp", "vsftpd", "3.0.3", "-", 0, NULL},
    {"proftpd.bin", NULL, "ftp", "ProFTPD", "1.3.8", NULL, 0, NULL},
    {"pure-ftpd.bin", NULL, "ftp", "Pure-FTPd", "-", NULL, 0, NULL},
    {"filezilla.bin", NULL, "ftp", "FileZilla Server", "1.7.3", NULL, 0, NULL},
    {"filezilla-old.bin", NULL, "ftp", "FileZilla Server", "0.9.60", NULL, 0,
     NULL},
    {"ftp-generic.bin", NULL, "ftp", "-", "-", NULL, 0, NULL},
    {"postfix.bin", NULL, "smtp", "Postfix", "-", "Debian/GNU", 0, NULL},
    {"exim.bin", NULL, "smtp", "Exim", "4.96", NULL, 0, NULL},
    {"sendmail.bin", NULL, "smtp", "Sendmail", "8.17.1.9", "8.17.1.9", 0, NULL},
    {"ms-esmtp.bin", NULL, "smtp", "Microsoft ESMTP", "-", NULL, 0, NULL},
    {"ms-esmtp-ver.bin", NULL, "smtp", "Microsoft ESMTP", "10.0.17763.1697",
     NULL, 0, NULL},
    {"dovecot-pop3.bin", NULL, "pop3", "Dovecot", "-", "Debian", 0, NULL},
    {"courier-pop3.bin", NULL, "pop3", "Courier", NULL, NULL, 0, NULL},
    {"dovecot-imap.bin", NULL, "imap", "Dovecot", "-", "Debian", 0,
     "starttls=offered"},
    {"courier-imap.bin", NULL, "imap", "Courier", NULL, NULL, 0,
     "starttls=offered"},
    {"telnet.bin", NULL, "telnet", "-", "-", NULL, 0, NULL},
    {"telnet-text.bin", NULL, "telnet", "-", "-", "Ubuntu 22.04.4 LTS", 0,
     NULL},
    {"vnc.bin", NULL, "vnc", "-", "-", "RFB protocol 003.008", 0, NULL},
    {"mysql.bin", NULL, "mysql", "MySQL", "8.0.36", "-0ubuntu0.22.04.1", 0,
     NULL},
    {"mariadb.bin", NULL, "mysql", "MariaDB", "10.11.6", "0+deb12u1", 0, NULL},
    {"mysql-denied.bin", NULL, "mysql", "-", "-", NULL, 0, NULL},
    {"postgres.bin", "pg-startup", "postgresql", "PostgreSQL", "-", NULL, 0,
     NULL},
    {"postgres-http.bin", "http-get", "postgresql", "PostgreSQL", "-", NULL, 0,
     NULL},
    {"postgres-md5.bin", "pg-startup", "postgresql", "PostgreSQL", NULL, NULL,
     0, NULL},
    {"redis.bin", "redis-info", "redis", "Redis", "7.0.15", NULL, 0, NULL},
    {"redis-noauth.bin", "redis-info", "redis", "Redis", "-", NULL, 0, NULL},
    {"memcached.bin", "memcached-version", "memcached", "memcached", "1.6.18",
     NULL, 0, NULL},
    {"rdp.bin", "rdp-x224", "rdp", NULL, "-", NULL, 0, NULL},
    {"smb2.bin", "smb2-negotiate", "microsoft-ds", NULL, NULL, "SMB2", 0, NULL},
    {"smb1.bin", "smb1-negotiate", "microsoft-ds", NULL, NULL, "SMB1", 0,
     "smb1=enabled"},
    {"smb2.bin", "smb1-negotiate", "microsoft-ds", NULL, NULL, "SMB2", 0,
     "smb1=disabled"},
    {"tls-serverhello.bin", "tls-hello", "tls", "-", "-", NULL, 1, NULL},
    {"tls-alert.bin", "tls-hello", "tls", NULL, NULL, NULL, 1, NULL},
    /* a banner arriving on a probe connection is still recognised */
    {"openssh.bin", "http-get", "ssh", "OpenSSH", "9.2p1", NULL, 0, NULL},
    /* hostile input: controls never reach the fields */
    {"ansi-ssh.bin", NULL, "ssh", "OpenSSH", "9.2p1", NULL, 0, NULL},
    /* the Server header lies beyond the 8 KiB examined: HTTP, no product */
    {"oversized-http.bin", "http-get", "http", "-", "-", NULL, 0, NULL},
};

static void expect_field(const char *what, const char *file, const char *got,
                         const char *want)
{
	if (want == NULL)
		return;
	if (strcmp(want, "-") == 0) {
		ck_assert_msg(got == NULL, "%s: %s should be absent, got '%s'",
		              file, what, got ? got : "");
		return;
	}
	ck_assert_msg(got != NULL && strcmp(got, want) == 0,
	              "%s: %s '%s', expected '%s'", file, what,
	              got ? got : "(null)", want);
}

static void expect_clean(const char *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; s[i] != '\0'; i++)
		ck_assert_msg((unsigned char)s[i] >= 0x20 &&
		                  (unsigned char)s[i] < 0x7f,
		              "control or non-ASCII byte in a field: '%s'", s);
	ck_assert_uint_le(i, 128);
}

START_TEST(test_banner_table)
{
	const struct banner_case *c = &cases[_i];
	struct cx_svc_result r;
	char *data = NULL;
	size_t len = 0, k;
	int rc;

	read_banner(c->file, &data, &len);
	memset(&r, 0, sizeof(r));
	rc = cx_sigdb_match(db, c->probe, data, len, &r);
	ck_assert_msg(rc == 1, "%s: no match (rc %d)", c->file, rc);
	expect_field("service", c->file, r.service, c->service);
	expect_field("product", c->file, r.product, c->product);
	expect_field("version", c->file, r.version, c->version);
	expect_field("extra", c->file, r.extra, c->extra);
	ck_assert_msg(r.tls == c->tls, "%s: tls %d", c->file, r.tls);
	expect_clean(r.product);
	expect_clean(r.version);
	expect_clean(r.extra);
	if (c->fact != NULL) {
		char want[64];
		int found = 0;

		for (k = 0; k < r.n_facts; k++) {
			snprintf(want, sizeof(want), "%s=%s", r.facts[k].name,
			         r.facts[k].value);
			if (strcmp(want, c->fact) == 0)
				found = 1;
		}
		ck_assert_msg(found, "%s: fact %s missing", c->file, c->fact);
	}
	cx_svc_result_clear(&r);
	free(data);
}
END_TEST

/* Malformed, truncated and hostile replies: no match, no crash. */
static const struct {
	const char *file;
	const char *probe;
} nomatch[] = {
    {"trunc-mysql.bin", NULL},
    {"trunc-ssh.bin", NULL},
    {"trunc-http.bin", "http-get"},
    {"nul-ssh.bin", NULL},
    {"ansi-ftp.bin", NULL},
    {"oversized.bin", NULL},
    {"binary-noise.bin", NULL},
    {"binary-noise.bin", "tls-hello"},
    {"empty.bin", NULL},
    {"empty.bin", "http-get"},
    {"nginx.bin", "tls-hello"},
};

START_TEST(test_no_match)
{
	struct cx_svc_result r;
	char *data = NULL;
	size_t len = 0;
	int rc;

	read_banner(nomatch[_i].file, &data, &len);
	memset(&r, 0, sizeof(r));
	rc = cx_sigdb_match(db, nomatch[_i].probe, data, len, &r);
	/* a NUL inside "OpenSSH" must not let the SSH entries see it */
	if (rc == 1 && (strcmp(nomatch[_i].file, "nul-ssh.bin") == 0 ||
	                strcmp(nomatch[_i].file, "trunc-ssh.bin") == 0)) {
		ck_assert_str_eq(r.service, "ssh");
		ck_assert_ptr_null(r.product);
		ck_assert_ptr_null(r.version);
	} else if (rc == 1 && strcmp(nomatch[_i].file, "ansi-ftp.bin") == 0) {
		/* generic FTP at best: the escape breaks the vsFTPd entry */
		ck_assert_str_eq(r.service, "ftp");
		ck_assert_ptr_null(r.version);
	} else {
		ck_assert_msg(rc == 0, "%s/%s matched %s", nomatch[_i].file,
		              nomatch[_i].probe ? nomatch[_i].probe : "null",
		              r.service ? r.service : "?");
	}
	cx_svc_result_clear(&r);
	free(data);
}
END_TEST

START_TEST(test_long_version_capped)
{
	struct cx_svc_result r;
	char *data = NULL;
	size_t len = 0;

	read_banner("long-version.bin", &data, &len);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(cx_sigdb_match(db, NULL, data, len, &r), 1);
	ck_assert_str_eq(r.service, "ssh");
	ck_assert_ptr_nonnull(r.version);
	ck_assert_uint_le(strlen(r.version), 128);
	cx_svc_result_clear(&r);
	free(data);
}
END_TEST

/* A reply cut in the middle is a soft match, never a wrong version. */
START_TEST(test_partial_reply_soft)
{
	static const char *const parts[] = {
	    "HTTP/1.1 200 OK\r\n",
	    "HTTP/1.1 200 OK\r\nServer: ngi",
	    "HTTP/1.1 200 OK\r\nServer: nginx/1.2",
	};
	struct cx_svc_result r;
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(parts); i++) {
		memset(&r, 0, sizeof(r));
		ck_assert_int_eq(cx_sigdb_match(db, "http-get", parts[i],
		                                strlen(parts[i]), &r),
		                 1);
		ck_assert_str_eq(r.service, "http");
		ck_assert_msg(r.soft, "'%s' should be a soft match", parts[i]);
		ck_assert_ptr_null(r.version);
		cx_svc_result_clear(&r);
	}
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(cx_sigdb_match(db, "redis-info", "+PONG\r\n", 7, &r),
	                 1);
	ck_assert(r.soft);
	cx_svc_result_clear(&r);
}
END_TEST

START_TEST(test_unknown_probe)
{
	struct cx_svc_result r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(cx_sigdb_match(db, "no-such-probe", "x", 1, &r),
	                 CX_EINVAL);
	ck_assert_int_eq(cx_sigdb_match(db, NULL, NULL, 3, &r), CX_EINVAL);
	ck_assert_int_eq(cx_sigdb_match(db, NULL, NULL, 0, &r), 0);
}
END_TEST

START_TEST(test_view_sanitises)
{
	static const char in[] = "a\\b\x00\x1b[31m\xff\r\n\tz";
	char *v = cx_svc_view(in, sizeof(in) - 1, 1000);

	ck_assert_ptr_nonnull(v);
	ck_assert_str_eq(v, "a\\\\b\\x00\\x1b[31m\\xff\r\n\tz");
	free(v);
	v = cx_svc_view(in, sizeof(in) - 1, 3);
	ck_assert_str_eq(v, "a\\\\b");
	free(v);
	v = cx_svc_view("", 0, 10);
	ck_assert_str_eq(v, "");
	free(v);
}
END_TEST

/* ------------------------------------------- signature file diagnostics */

static int load_text(const char *body, struct cx_diags *d)
{
	char *path = cx_path_join(tmpdir, "sig.xml");
	struct cx_buf b = {0};
	struct cx_sigdb *x = NULL;
	int rc;

	cx_buf_printf(&b,
	              "<?xml version=\"1.0\"?>\n"
	              "<signatures xmlns=\"urn:certexam:signatures:1\" "
	              "version=\"t\">\n%s\n</signatures>\n",
	              body);
	ck_assert_int_eq(cx_write_file_atomic(path, b.data, b.len), 0);
	rc = cx_sigdb_load(path, XSD, &x, d);
	cx_sigdb_free(x);
	cx_buf_free(&b);
	free(path);
	return rc;
}

static const struct {
	const char *body;
	int ok;
	const char *field; /* diagnostic field expected, NULL: any */
} bad_files[] = {
    {"<probe name=\"p\" ports=\"80\"><payload>GET\\r\\n</payload></probe>"
     "<match service=\"x\" probes=\"p\"><pattern>^HTTP</pattern></match>",
     1, NULL},
    /* an invalid regular expression */
    {"<match service=\"x\" probes=\"null\"><pattern>^(abc</pattern></match>", 0,
     "pattern"},
    /* a probe used before it is defined, or never */
    {"<match service=\"x\" probes=\"nope\"><pattern>^a</pattern></match>", 0,
     "probes"},
    /* a non-printable byte inside a bracket expression */
    {"<match service=\"x\" probes=\"null\"><pattern>[\\x00]</pattern></match>",
     0, "pattern"},
    /* an escape we do not know */
    {"<match service=\"x\" probes=\"null\"><pattern>\\q</pattern></match>", 0,
     "pattern"},
    /* a bad payload escape */
    {"<probe name=\"p\"><payload>\\xZZ</payload></probe>", 0, NULL},
    /* two probes with one name: the schema says so */
    {"<probe name=\"p\"><payload>a</payload></probe>"
     "<probe name=\"p\"><payload>b</payload></probe>",
     0, NULL},
    /* a port out of range (schema accepts 5 digits, the loader does not) */
    {"<probe name=\"p\" ports=\"99999\"><payload>a</payload></probe>", 0,
     "probe@ports"},
    /* unknown element: the schema refuses it */
    {"<frobnicate/>", 0, NULL},
};

START_TEST(test_bad_signature_files)
{
	struct cx_diags d = {0};
	int rc = load_text(bad_files[_i].body, &d);
	size_t k;
	int seen = 0;

	if (bad_files[_i].ok) {
		ck_assert_int_eq(rc, 0);
	} else {
		ck_assert_int_ne(rc, 0);
		ck_assert_uint_gt(d.n, 0);
		for (k = 0; k < d.n; k++) {
			ck_assert_ptr_nonnull(d.items[k].message);
			if (bad_files[_i].field == NULL ||
			    (d.items[k].field != NULL &&
			     strcmp(d.items[k].field, bad_files[_i].field) ==
			         0))
				seen = 1;
		}
		ck_assert_msg(seen, "case %d: no diagnostic on %s", _i,
		              bad_files[_i].field);
	}
	cx_diags_free(&d);
}
END_TEST

START_TEST(test_doctype_refused)
{
	char *path = cx_path_join(tmpdir, "xxe.xml");
	static const char xml[] =
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE s [<!ENTITY x SYSTEM "
	    "\"file:///etc/passwd\">]>\n<signatures "
	    "xmlns=\"urn:certexam:signatures:1\" version=\"t\"/>\n";
	struct cx_sigdb *x = NULL;
	struct cx_diags d = {0};

	ck_assert_int_eq(cx_write_file_atomic(path, xml, sizeof(xml) - 1), 0);
	ck_assert_int_ne(cx_sigdb_load(path, NULL, &x, &d), 0);
	ck_assert_ptr_null(x);
	cx_diags_free(&d);
	free(path);
}
END_TEST

static Suite *service_suite(void)
{
	Suite *s = suite_create("service");
	TCase *tc = tcase_create("signatures");

	tcase_add_checked_fixture(tc, db_setup, db_teardown);
	tcase_add_loop_test(tc, test_banner_table, 0, (int)CX_ARRAY_LEN(cases));
	tcase_add_loop_test(tc, test_no_match, 0, (int)CX_ARRAY_LEN(nomatch));
	tcase_add_test(tc, test_long_version_capped);
	tcase_add_test(tc, test_partial_reply_soft);
	tcase_add_test(tc, test_unknown_probe);
	tcase_add_test(tc, test_view_sanitises);
	suite_add_tcase(s, tc);

	tc = tcase_create("loader");
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_add_loop_test(tc, test_bad_signature_files, 0,
	                    (int)CX_ARRAY_LEN(bad_files));
	tcase_add_test(tc, test_doctype_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(service_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
