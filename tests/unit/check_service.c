/*
 * Unit tests: service signatures (profiles/signatures.xml) on recorded
 * banners (tests/data/banners/), hostile and malformed input, the
 * signature loader's diagnostics, and the detection engine against small
 * servers this test runs on the same event loop (banner, silent,
 * accept-and-close, flood, HTTP-like, FTP-like, refused).
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

static char tmpdir[64];

static void tmp_setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/cxsvc-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_rf(const char *dir)
{
	char *cmd = cx_asprintf("rm -rf '%s'", dir);

	if (cmd != NULL && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
}

static void tmp_teardown(void)
{
	rm_rf(tmpdir);
}

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

/* ---------------------------------------------- the engine, end to end */

enum srv_mode {
	M_BANNER,
	M_SILENT,
	M_CLOSE,
	M_FLOOD,
	M_HTTP,
	M_FTP,
	M_FAKETLS
};

struct srv {
	int lfd;
	int port;
	enum srv_mode mode;
	const char *banner;
};

#define MAX_SCONN 64
static int sconns[MAX_SCONN];
static size_t n_sconns;

static void sconn_io(struct cx_loop *loop, int fd, unsigned ev, void *arg)
{
	struct srv *s = arg;
	char buf[4096];
	ssize_t n;

	(void)ev;
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		cx_loop_del(loop, fd);
		close(fd);
		for (size_t i = 0; i < n_sconns; i++)
			if (sconns[i] == fd)
				sconns[i] = -1;
		return;
	}
	buf[n] = '\0';
	if (s->mode == M_HTTP && strstr(buf, "\r\n\r\n") != NULL) {
		static const char resp[] = "HTTP/1.1 200 OK\r\nServer: "
		                           "nginx/1.22.1\r\nContent-Length: "
		                           "0\r\n\r\n";
		if (send(fd, resp, sizeof(resp) - 1, MSG_NOSIGNAL) < 0)
			return; /* the client went away */
	}
	if (s->mode == M_FAKETLS) {
		/* a TLS record header, then nothing a handshake can use */
		static const char rec[] = "\x16\x03\x03\x00\x05garbage";
		if (send(fd, rec, sizeof(rec) - 1, MSG_NOSIGNAL) < 0)
			return; /* the client went away */
	}
	if (s->mode == M_FTP && strncmp(buf, "AUTH TLS", 8) == 0) {
		static const char resp[] = "500 Unknown command.\r\n";
		if (send(fd, resp, sizeof(resp) - 1, MSG_NOSIGNAL) < 0)
			return; /* the client went away */
	}
}

static void srv_accept(struct cx_loop *loop, int fd, unsigned ev, void *arg)
{
	struct srv *s = arg;
	char junk[8192];
	int c;

	(void)ev;
	c = accept(fd, NULL, NULL);
	if (c < 0)
		return;
	ck_assert_int_eq(fcntl(c, F_SETFL, O_NONBLOCK), 0);
	if (s->mode == M_CLOSE) {
		close(c);
		return;
	}
	if (s->banner != NULL)
		ck_assert_int_gt(
		    send(c, s->banner, strlen(s->banner), MSG_NOSIGNAL), 0);
	if (s->mode == M_FLOOD) {
		memset(junk, 'J', sizeof(junk));
		while (send(c, junk, sizeof(junk), MSG_NOSIGNAL) > 0)
			;
	}
	ck_assert_uint_lt(n_sconns, MAX_SCONN);
	sconns[n_sconns++] = c;
	ck_assert_int_eq(cx_loop_add(loop, c, CX_EV_READ, sconn_io, s), 0);
}

static void srv_open(struct cx_loop *loop, struct srv *s)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(s->lfd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	ck_assert_int_eq(bind(s->lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(s->lfd, 16), 0);
	ck_assert_int_eq(getsockname(s->lfd, (struct sockaddr *)&sin, &len), 0);
	s->port = ntohs(sin.sin_port);
	ck_assert_int_eq(cx_loop_add(loop, s->lfd, CX_EV_READ, srv_accept, s),
	                 0);
}

static void add_port(struct cx_run *run, int port)
{
	struct cx_port_obs p;

	memset(&p, 0, sizeof(p));
	p.addr = "127.0.0.1";
	p.port = port;
	p.proto = "tcp";
	p.state = CX_PORT_OPEN;
	p.reason = "syn-ack";
	ck_assert_int_eq(cx_run_add_port(run, &p, NULL), 0);
}

static const struct cx_port_obs *port_of(const struct cx_run *run, int port)
{
	const struct cx_port_obs *p =
	    cx_run_find_port(run, "127.0.0.1", port, "tcp");

	ck_assert_ptr_nonnull(p);
	return p;
}

static const struct cx_observation *svc_obs(const struct cx_run *run, int port)
{
	char asset[64];
	size_t i;

	snprintf(asset, sizeof(asset), "127.0.0.1:%d/tcp", port);
	for (i = 0; i < run->n_obs; i++)
		if (strcmp(run->obs[i].kind, "service") == 0 &&
		    strcmp(run->obs[i].asset, asset) == 0)
			return &run->obs[i];
	ck_abort_msg("no service observation for %s", asset);
	return NULL;
}

static size_t evidence_size(const struct cx_run *run, const char *id)
{
	char *path;
	struct stat st;
	size_t i;

	for (i = 0; i < run->n_evidence; i++) {
		if (strcmp(run->evidence[i].id, id) != 0)
			continue;
		path = cx_path_join(run->dir, run->evidence[i].file);
		ck_assert_int_eq(stat(path, &st), 0);
		free(path);
		ck_assert_uint_eq((size_t)st.st_size, run->evidence[i].size);
		return run->evidence[i].size;
	}
	ck_abort_msg("evidence %s not indexed", id);
	return 0;
}

static int progress_calls;

static void on_progress(void *arg, const char *phase, uint64_t done,
                        uint64_t total, uint64_t found)
{
	(void)arg;
	(void)found;
	ck_assert_str_eq(phase, "services");
	ck_assert_uint_le(done, total);
	progress_calls++;
}

START_TEST(test_engine_lab)
{
	struct srv srv[] = {
	    {-1, 0, M_BANNER, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"},
	    {-1, 0, M_SILENT, NULL},
	    {-1, 0, M_CLOSE, NULL},
	    {-1, 0, M_FLOOD, NULL},
	    {-1, 0, M_HTTP, NULL},
	    {-1, 0, M_FTP, "220 (vsFTPd 3.0.3)\r\n"},
	    {-1, 0, M_FAKETLS, NULL},
	};
	struct cx_progress prog = {on_progress, NULL};
	struct cx_scan_opts opts;
	struct cx_loop *loop;
	struct cx_run *run;
	const struct cx_port_obs *p;
	const struct cx_observation *o;
	int refused_port, fd;
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	uint64_t t0, took;
	size_t i;

	ck_assert_int_eq(cx_loop_new(&loop), 0);
	run = cx_run_new();
	ck_assert_ptr_nonnull(run);
	ck_assert_int_eq(cx_run_place(run, tmpdir), 0);
	for (i = 0; i < CX_ARRAY_LEN(srv); i++) {
		srv_open(loop, &srv[i]);
		add_port(run, srv[i].port);
	}
	/* a port nobody listens on any more: bind, note the port, close */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &slen), 0);
	refused_port = ntohs(sin.sin_port);
	close(fd);
	add_port(run, refused_port);

	cx_scan_opts_default(&opts);
	opts.service_wait_ms = 150;
	opts.probe_timeout_ms = 400;
	progress_calls = 0;
	t0 = cx_now_ms();
	ck_assert_int_eq(cx_service_detect(loop, run, &opts, SIGS, &prog), 0);
	took = cx_now_ms() - t0;
	/* all concurrently: one banner wait plus one probe timeout, not a sum
	 */
	ck_assert_msg(took < 150 + 400 + 400, "took %llu ms",
	              (unsigned long long)took);
	ck_assert_int_gt(progress_calls, 0);

	p = port_of(run, srv[0].port);
	ck_assert_str_eq(p->service, "ssh");
	ck_assert_str_eq(p->product, "OpenSSH");
	ck_assert_str_eq(p->version, "9.2p1");
	ck_assert_str_eq(p->extra, "Debian-2+deb12u3");
	ck_assert_ptr_nonnull(p->evidence);
	ck_assert_uint_eq(evidence_size(run, p->evidence), 40);

	p = port_of(run, srv[1].port); /* silent */
	ck_assert_ptr_null(p->service);
	o = svc_obs(run, srv[1].port);
	ck_assert_str_eq(cx_obs_get(o, "note"), "no banner");
	ck_assert_str_eq(cx_obs_get(o, "service"), "unknown");

	p = port_of(run, srv[2].port); /* accept and close */
	ck_assert_ptr_null(p->service);
	o = svc_obs(run, srv[2].port);
	ck_assert_str_eq(cx_obs_get(o, "note"),
	                 "closed by the peer without data");
	{
		long ms;

		ck_assert_int_eq(
		    cx_parse_long(cx_obs_get(o, "elapsed-ms"), 0, 100000, &ms),
		    0);
		ck_assert_int_lt(ms, 150);
	}

	p = port_of(run, srv[3].port); /* flood: bounded */
	ck_assert_ptr_null(p->service);
	ck_assert_ptr_nonnull(p->evidence);
	ck_assert_uint_le(evidence_size(run, p->evidence), 16384);

	p = port_of(run, srv[4].port); /* HTTP after a silent wait */
	ck_assert_str_eq(p->service, "http");
	ck_assert_str_eq(p->product, "nginx");
	ck_assert_str_eq(p->version, "1.22.1");
	ck_assert_int_eq(p->tls, 0);
	o = svc_obs(run, srv[4].port);
	ck_assert_str_eq(cx_obs_get(o, "identified-by"), "http-get");

	p = port_of(run, srv[5].port); /* FTP: AUTH TLS refused */
	ck_assert_str_eq(p->service, "ftp");
	ck_assert_str_eq(p->product, "vsftpd");
	o = svc_obs(run, srv[5].port);
	ck_assert_str_eq(cx_obs_get(o, "starttls"), "not-offered");

	p = port_of(run, srv[6].port); /* TLS record, failed handshake */
	ck_assert_int_eq(p->tls, 1);
	ck_assert_str_eq(p->service, "tls");
	ck_assert_ptr_null(p->inner);
	o = svc_obs(run, srv[6].port);
	ck_assert_str_eq(cx_obs_get(o, "tls-handshake"), "failed");
	ck_assert_str_eq(cx_obs_get(o, "note"), "TLS handshake failed");

	p = port_of(run, refused_port);
	ck_assert_ptr_null(p->service);
	o = svc_obs(run, refused_port);
	ck_assert_str_eq(cx_obs_get(o, "note"), "connection refused");

	for (i = 0; i < n_sconns; i++)
		if (sconns[i] >= 0) {
			cx_loop_del(loop, sconns[i]);
			close(sconns[i]);
		}
	n_sconns = 0;
	for (i = 0; i < CX_ARRAY_LEN(srv); i++) {
		cx_loop_del(loop, srv[i].lfd);
		close(srv[i].lfd);
	}
	cx_run_free(run);
	cx_loop_free(loop);
}
END_TEST

/* A server that trickles one byte every 20 ms, forever. */
static int trickle_fds[8];
static size_t n_trickle;

static void trickle_tick(struct cx_loop *loop, struct cx_timer *t)
{
	size_t i;

	for (i = 0; i < n_trickle; i++)
		if (trickle_fds[i] >= 0 &&
		    send(trickle_fds[i], "2", 1, MSG_NOSIGNAL) < 0 &&
		    errno != EAGAIN)
			trickle_fds[i] = -1;
	cx_timer_start(loop, t, 20);
}

static void trickle_accept(struct cx_loop *loop, int fd, unsigned ev, void *arg)
{
	int c = accept(fd, NULL, NULL);

	(void)loop;
	(void)ev;
	(void)arg;
	if (c < 0)
		return;
	ck_assert_int_eq(fcntl(c, F_SETFL, O_NONBLOCK), 0);
	if (n_trickle < CX_ARRAY_LEN(trickle_fds))
		trickle_fds[n_trickle++] = c;
	else
		close(c);
}

START_TEST(test_engine_trickle_and_v6)
{
	struct cx_scan_opts opts;
	struct cx_loop *loop;
	struct cx_run *run;
	struct cx_timer tick;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	socklen_t len = sizeof(sin);
	struct srv v6 = {-1, 0, M_BANNER, "SSH-2.0-dropbear_2022.83\r\n"};
	int lfd, tport, have_v6 = 0;
	const struct cx_port_obs *p;
	uint64_t t0, took;
	size_t i;

	ck_assert_int_eq(cx_loop_new(&loop), 0);
	run = cx_run_new();
	ck_assert_int_eq(cx_run_place(run, tmpdir), 0);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(lfd, 16), 0);
	ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&sin, &len), 0);
	tport = ntohs(sin.sin_port);
	ck_assert_int_eq(
	    cx_loop_add(loop, lfd, CX_EV_READ, trickle_accept, NULL), 0);
	add_port(run, tport);
	n_trickle = 0;
	cx_timer_init(&tick, trickle_tick, NULL);
	cx_timer_start(loop, &tick, 20);

	/* ::1 when the host has IPv6 loopback */
	v6.lfd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	len = sizeof(sin6);
	if (v6.lfd >= 0 &&
	    bind(v6.lfd, (struct sockaddr *)&sin6, sizeof(sin6)) == 0 &&
	    listen(v6.lfd, 16) == 0 &&
	    getsockname(v6.lfd, (struct sockaddr *)&sin6, &len) == 0) {
		struct cx_port_obs po;

		have_v6 = 1;
		v6.port = ntohs(sin6.sin6_port);
		ck_assert_int_eq(
		    cx_loop_add(loop, v6.lfd, CX_EV_READ, srv_accept, &v6), 0);
		memset(&po, 0, sizeof(po));
		po.addr = "::1";
		po.port = v6.port;
		po.proto = "tcp";
		po.state = CX_PORT_OPEN;
		ck_assert_int_eq(cx_run_add_port(run, &po, NULL), 0);
	}

	cx_scan_opts_default(&opts);
	opts.service_wait_ms = 100;
	opts.probe_timeout_ms = 300;
	t0 = cx_now_ms();
	ck_assert_int_eq(cx_service_detect(loop, run, &opts, SIGS, NULL), 0);
	took = cx_now_ms() - t0;
	/* a trickling server costs the banner wait plus one probe deadline */
	ck_assert_msg(took < 100 + 300 + 400, "took %llu ms",
	              (unsigned long long)took);
	p = port_of(run, tport);
	ck_assert_ptr_null(p->service);
	ck_assert_ptr_nonnull(p->evidence);
	if (have_v6) {
		p = cx_run_find_port(run, "::1", v6.port, "tcp");
		ck_assert_ptr_nonnull(p);
		ck_assert_str_eq(p->service, "ssh");
		ck_assert_str_eq(p->product, "Dropbear");
		ck_assert_str_eq(p->version, "2022.83");
	}

	cx_timer_stop(loop, &tick);
	for (i = 0; i < n_trickle; i++)
		close(trickle_fds[i] >= 0 ? trickle_fds[i] : -1);
	for (i = 0; i < n_sconns; i++)
		if (sconns[i] >= 0) {
			cx_loop_del(loop, sconns[i]);
			close(sconns[i]);
		}
	n_sconns = 0;
	cx_loop_del(loop, lfd);
	close(lfd);
	if (v6.lfd >= 0) {
		cx_loop_del(loop, v6.lfd);
		close(v6.lfd);
	}
	cx_run_free(run);
	cx_loop_free(loop);
}
END_TEST

START_TEST(test_engine_bad_signatures)
{
	struct cx_scan_opts opts;
	struct cx_loop *loop;
	struct cx_run *run = cx_run_new();
	char *path = cx_path_join(tmpdir, "broken.xml");

	ck_assert_int_eq(cx_write_file_atomic(path, "<not-closed", 11), 0);
	ck_assert_int_eq(cx_loop_new(&loop), 0);
	cx_scan_opts_default(&opts);
	ck_assert_int_ne(cx_service_detect(loop, run, &opts, path, NULL), 0);
	ck_assert_int_ne(
	    cx_service_detect(loop, run, &opts, "/nonexistent/sig.xml", NULL),
	    0);
	/* no open ports: nothing to do, and fine */
	ck_assert_int_eq(cx_service_detect(loop, run, &opts, SIGS, NULL), 0);
	cx_loop_free(loop);
	cx_run_free(run);
	free(path);
}
END_TEST

/* ------------------------------------------------------ the ports check */

static struct cx_requirement net_reqs[] = {
    {.id = "NET-01",
     .block = "network",
     .text = "cleartext",
     .source = "src",
     .severity = CX_SEV_CRITICAL},
    {.id = "NET-02",
     .block = "network",
     .text = "ftp",
     .source = "src",
     .severity = CX_SEV_HIGH},
    {.id = "NET-03",
     .block = "network",
     .text = "db",
     .source = "src",
     .severity = CX_SEV_HIGH},
    {.id = "NET-04",
     .block = "network",
     .text = "legacy",
     .source = "src",
     .severity = CX_SEV_HIGH},
    {.id = "NET-05",
     .block = "network",
     .text = "declared",
     .source = "src",
     .severity = CX_SEV_MEDIUM},
    {.id = "NET-06",
     .block = "network",
     .text = "versions",
     .source = "src",
     .severity = CX_SEV_LOW},
};

static struct cx_profile net_profile = {
    .id = "test",
    .reqs = net_reqs,
    .n_reqs = CX_ARRAY_LEN(net_reqs),
};

struct pcase {
	const char *addr;
	int port;
	const char *service, *product, *version;
	int tls;
	const char *inner;
	const char *fact; /* "name=value" into the service observation */
	const char *certainty;
	int declared;
};

static struct cx_run *ports_run_new(const struct pcase *pc, size_t n,
                                    const char *scan_state)
{
	struct cx_run *run = cx_run_new();
	struct cx_host_obs h;
	struct cx_port_obs p;
	struct cx_observation *o;
	char asset[64], name[32];
	size_t i, k;

	ck_assert_ptr_nonnull(run);
	cx_run_check_state(run, "portscan", scan_state);
	cx_run_check_state(run, "services", "done");
	for (i = 0; i < n; i++) {
		for (k = 0; k < i; k++)
			if (strcmp(pc[k].addr, pc[i].addr) == 0)
				break;
		if (k == i) {
			memset(&h, 0, sizeof(h));
			h.addr = (char *)pc[i].addr;
			h.up = 1;
			ck_assert_int_eq(cx_run_add_host(run, &h), 0);
		}
		if (pc[i].port == 0)
			continue; /* a host without open ports */
		memset(&p, 0, sizeof(p));
		p.addr = (char *)pc[i].addr;
		p.port = pc[i].port;
		p.proto = "tcp";
		p.state = CX_PORT_OPEN;
		p.service = (char *)pc[i].service;
		p.product = (char *)pc[i].product;
		p.version = (char *)pc[i].version;
		p.tls = pc[i].tls;
		p.inner = (char *)pc[i].inner;
		p.declared = pc[i].declared;
		ck_assert_int_eq(cx_run_add_port(run, &p, NULL), 0);
		snprintf(asset, sizeof(asset), "%s:%d/tcp", pc[i].addr,
		         pc[i].port);
		o = cx_run_add_obs(run, "service", asset);
		ck_assert_ptr_nonnull(o);
		cx_obs_prop(o, "service",
		            pc[i].service ? pc[i].service : "unknown");
		cx_obs_prop(o, "certainty",
		            pc[i].certainty ? pc[i].certainty : "confirmed");
		cx_obs_prop(o, "banner", "220 banner\r\nsecond line");
		if (pc[i].fact != NULL) {
			const char *eq = strchr(pc[i].fact, '=');

			snprintf(name, sizeof(name), "%.*s",
			         (int)(eq - pc[i].fact), pc[i].fact);
			cx_obs_prop(o, name, eq + 1);
		}
	}
	return run;
}

static int run_ports_check(struct cx_run *run, const struct cx_object *obj,
                           struct cx_profile *prof)
{
	const struct cx_check *c = cx_check_find("ports");
	struct cx_check_ctx ctx;
	struct cx_scan_opts opts;

	ck_assert_ptr_nonnull(c);
	ck_assert(c->run != NULL);
	cx_scan_opts_default(&opts);
	memset(&ctx, 0, sizeof(ctx));
	ctx.obj = obj;
	ctx.profile = prof;
	ctx.opts = &opts;
	ctx.run = run;
	return c->run(&ctx);
}

static const struct cx_finding *finding(const struct cx_run *run,
                                        const char *req, const char *asset,
                                        const char *item)
{
	char *key = cx_finding_key("ports", req, asset, item);
	size_t i;

	ck_assert_ptr_nonnull(key);
	for (i = 0; i < run->n_findings; i++)
		if (strcmp(run->findings[i].key, key) == 0) {
			free(key);
			return &run->findings[i];
		}
	free(key);
	return NULL;
}

static void expect_finding(const struct cx_run *run, const char *req,
                           const char *asset, const char *item,
                           enum cx_status st)
{
	const struct cx_finding *f = finding(run, req, asset, item);

	ck_assert_msg(f != NULL, "no finding %s %s %s", req, asset,
	              item ? item : "");
	ck_assert_msg(f->status == st, "%s %s %s: %s, expected %s", req, asset,
	              item ? item : "", cx_status_name(f->status),
	              cx_status_name(st));
	ck_assert_str_eq(f->check, "ports");
	ck_assert_ptr_nonnull(f->observed);
	ck_assert_ptr_null(strchr(f->observed, '\r'));
}

START_TEST(test_ports_forbidden)
{
	static const struct pcase pc[] = {
	    {"10.0.0.1", 23, "telnet", NULL, NULL, 0, NULL, NULL, NULL, 0},
	    {"10.0.0.1", 21, "ftp", "vsftpd", "3.0.3", 0, NULL,
	     "starttls=not-offered", NULL, 0},
	    {"10.0.0.1", 2121, "ftp", NULL, NULL, 0, NULL, "starttls=offered",
	     NULL, 0},
	    {"10.0.0.1", 2122, "ftp", NULL, NULL, 0, NULL, NULL, NULL, 0},
	    {"10.0.0.1", 5432, "postgresql", "PostgreSQL", NULL, 0, NULL, NULL,
	     NULL, 0},
	    {"10.0.0.1", 6379, "redis", "Redis", "7.0.15", 0, NULL, NULL,
	     "likely", 0},
	    {"10.0.0.1", 445, "microsoft-ds", NULL, NULL, 0, NULL,
	     "smb1=enabled", NULL, 0},
	    {"10.0.0.1", 990, "ftps", NULL, NULL, 1, "ftp", NULL, NULL, 0},
	    {"10.0.0.2", 22, "ssh", "OpenSSH", NULL, 0, NULL, NULL, NULL, 0},
	    {"10.0.0.2", 443, "https", "nginx", NULL, 1, "http", NULL, NULL, 0},
	    {"10.0.0.2", 446, "microsoft-ds", NULL, NULL, 0, NULL,
	     "smb1=disabled", NULL, 0},
	    {"10.0.0.3", 0, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0},
	};
	struct cx_run *run = ports_run_new(pc, CX_ARRAY_LEN(pc), "done");
	const struct cx_finding *f;

	ck_assert_int_eq(run_ports_check(run, NULL, &net_profile), 0);
	expect_finding(run, "NET-01", "10.0.0.1:23/tcp", "telnet", CX_FAIL);
	f = finding(run, "NET-01", "10.0.0.1:23/tcp", "telnet");
	ck_assert_int_eq(f->severity, CX_SEV_CRITICAL);
	ck_assert_int_eq(f->certainty, CX_CONFIRMED);
	expect_finding(run, "NET-02", "10.0.0.1:21/tcp", "ftp", CX_FAIL);
	expect_finding(run, "NET-02", "10.0.0.1:2121/tcp", "ftp", CX_PASS);
	expect_finding(run, "NET-02", "10.0.0.1:2122/tcp", "ftp", CX_FAIL);
	f = finding(run, "NET-02", "10.0.0.1:2122/tcp", "ftp");
	ck_assert_int_eq(f->certainty, CX_INFERRED);
	ck_assert_ptr_null(finding(run, "NET-02", "10.0.0.1:990/tcp", "ftps"));
	expect_finding(run, "NET-03", "10.0.0.1:5432/tcp", "postgresql",
	               CX_FAIL);
	expect_finding(run, "NET-03", "10.0.0.1:6379/tcp", "redis", CX_FAIL);
	f = finding(run, "NET-03", "10.0.0.1:6379/tcp", "redis");
	ck_assert_int_eq(f->certainty, CX_INFERRED);
	expect_finding(run, "NET-04", "10.0.0.1:445/tcp", "microsoft-ds-smb1",
	               CX_FAIL);
	expect_finding(run, "NET-06", "10.0.0.1:21/tcp", "ftp", CX_FAIL);
	expect_finding(run, "NET-06", "10.0.0.1:6379/tcp", "redis", CX_FAIL);
	/* the failing host gets no pass for what failed */
	ck_assert_ptr_null(finding(run, "NET-01", "10.0.0.1", NULL));
	ck_assert_ptr_null(finding(run, "NET-03", "10.0.0.1", NULL));
	/* the clean host passes everything it can; NET-05 needs a case */
	expect_finding(run, "NET-01", "10.0.0.2", NULL, CX_PASS);
	expect_finding(run, "NET-02", "10.0.0.2", NULL, CX_PASS);
	expect_finding(run, "NET-03", "10.0.0.2", NULL, CX_PASS);
	expect_finding(run, "NET-04", "10.0.0.2", NULL, CX_PASS);
	expect_finding(run, "NET-06", "10.0.0.2", NULL, CX_PASS);
	expect_finding(run, "NET-05", "10.0.0.2", NULL, CX_NOT_CHECKED);
	/* a host with no open port passes too */
	expect_finding(run, "NET-01", "10.0.0.3", NULL, CX_PASS);
	cx_run_free(run);
}
END_TEST

START_TEST(test_ports_unidentified)
{
	static const struct pcase pc[] = {
	    {"10.0.0.1", 9999, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0},
	    {"10.0.0.1", 23, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0},
	    {"10.0.0.2", 8443, "tls", NULL, NULL, 1, NULL, NULL, NULL, 0},
	};
	struct cx_run *run = ports_run_new(pc, CX_ARRAY_LEN(pc), "done");
	const struct cx_finding *f;

	ck_assert_int_eq(run_ports_check(run, NULL, &net_profile), 0);
	/* port 23 did not speak: telnet's port, a potential deficiency */
	expect_finding(run, "NET-01", "10.0.0.1:23/tcp", "telnet", CX_FAIL);
	f = finding(run, "NET-01", "10.0.0.1:23/tcp", "telnet");
	ck_assert_int_eq(f->certainty, CX_POTENTIAL);
	/* 9999 could be anything: nothing passes on that host */
	expect_finding(run, "NET-02", "10.0.0.1", "unidentified",
	               CX_NOT_CHECKED);
	expect_finding(run, "NET-03", "10.0.0.1", "unidentified",
	               CX_NOT_CHECKED);
	expect_finding(run, "NET-04", "10.0.0.1", "unidentified",
	               CX_NOT_CHECKED);
	ck_assert_ptr_null(finding(run, "NET-02", "10.0.0.1", NULL));
	f = finding(run, "NET-03", "10.0.0.1", "unidentified");
	ck_assert_ptr_nonnull(strstr(f->observed, "9999/tcp"));
	/* TLS whose inside is unknown: NET-03 open, cleartext ones pass */
	expect_finding(run, "NET-03", "10.0.0.2", "unidentified",
	               CX_NOT_CHECKED);
	expect_finding(run, "NET-01", "10.0.0.2", NULL, CX_PASS);
	cx_run_free(run);
}
END_TEST

START_TEST(test_ports_declared)
{
	static const struct pcase pc[] = {
	    {"10.0.0.1", 22, "ssh", NULL, NULL, 0, NULL, NULL, NULL, 1},
	    {"10.0.0.1", 8080, "http", NULL, NULL, 0, NULL, NULL, NULL, 0},
	    {"10.0.0.2", 443, "https", NULL, NULL, 1, "http", NULL, NULL, 1},
	};
	struct cx_declared_service svcs[] = {
	    {"10.0.0.1", 22, "tcp", "ssh", 1},
	    {"10.0.0.2", 443, "tcp", "https", 2},
	};
	struct cx_object obj;
	struct cx_run *run = ports_run_new(pc, CX_ARRAY_LEN(pc), "done");

	memset(&obj, 0, sizeof(obj));
	obj.services = svcs;
	obj.n_services = CX_ARRAY_LEN(svcs);
	ck_assert_int_eq(run_ports_check(run, &obj, &net_profile), 0);
	expect_finding(run, "NET-05", "10.0.0.1:8080/tcp", "http", CX_FAIL);
	ck_assert_ptr_null(finding(run, "NET-05", "10.0.0.1:22/tcp", "ssh"));
	ck_assert_ptr_null(finding(run, "NET-05", "10.0.0.1", NULL));
	expect_finding(run, "NET-05", "10.0.0.2", NULL, CX_PASS);
	cx_run_free(run);

	/* a case that declares no services: NET-05 cannot be judged */
	run = ports_run_new(pc, CX_ARRAY_LEN(pc), "done");
	obj.n_services = 0;
	ck_assert_int_eq(run_ports_check(run, &obj, &net_profile), 0);
	expect_finding(run, "NET-05", "10.0.0.1", NULL, CX_NOT_CHECKED);
	cx_run_free(run);
}
END_TEST

START_TEST(test_ports_profile_lists_and_no_scan)
{
	static const struct pcase pc[] = {
	    {"10.0.0.1", 5432, "postgresql", NULL, NULL, 0, NULL, NULL, NULL,
	     0},
	    {"10.0.0.1", 6379, "redis", NULL, NULL, 0, NULL, NULL, NULL, 0},
	};
	struct cx_param params[] = {{"net.forbidden_db", "redis"}};
	struct cx_profile prof = net_profile;
	struct cx_run *run = ports_run_new(pc, CX_ARRAY_LEN(pc), "done");
	size_t i;

	prof.params = params;
	prof.n_params = 1;
	ck_assert_int_eq(run_ports_check(run, NULL, &prof), 0);
	expect_finding(run, "NET-03", "10.0.0.1:6379/tcp", "redis", CX_FAIL);
	ck_assert_ptr_null(
	    finding(run, "NET-03", "10.0.0.1:5432/tcp", "postgresql"));
	cx_run_free(run);

	/* the port scan did not finish: everything not_checked, no pass */
	run = ports_run_new(pc, CX_ARRAY_LEN(pc), "interrupted");
	ck_assert_int_eq(run_ports_check(run, NULL, &net_profile), 0);
	for (i = 0; i < run->n_findings; i++)
		ck_assert_int_eq(run->findings[i].status, CX_NOT_CHECKED);
	expect_finding(run, "NET-01", "scope", NULL, CX_NOT_CHECKED);
	ck_assert_uint_eq(run->n_findings, 6);
	cx_run_free(run);

	/* a profile without the NET requirements records nothing */
	run = ports_run_new(pc, CX_ARRAY_LEN(pc), "done");
	prof.n_reqs = 0;
	ck_assert_int_eq(run_ports_check(run, NULL, &prof), 0);
	ck_assert_uint_eq(run->n_findings, 0);
	cx_run_free(run);
}
END_TEST

/* A host answering on every port: 65,535 open ports, each with its
 * service observation; a version in every banner. */
static struct cx_run *all_open_run(void)
{
	struct cx_run *run = cx_run_new();
	struct cx_host_obs h = {"10.9.9.9", NULL, 1, NULL};
	struct cx_port_obs p;
	struct cx_observation *o;
	char asset[64];
	int port;

	ck_assert_ptr_nonnull(run);
	cx_run_check_state(run, "portscan", "done");
	cx_run_check_state(run, "services", "done");
	ck_assert_int_eq(cx_run_add_host(run, &h), 0);
	memset(&p, 0, sizeof(p));
	p.addr = "10.9.9.9";
	p.proto = "tcp";
	p.state = CX_PORT_OPEN;
	p.service = "http";
	p.product = "spoof";
	p.version = "1.0";
	for (port = 1; port <= 65535; port++) {
		p.port = port;
		ck_assert_int_eq(cx_run_add_port(run, &p, NULL), 0);
		snprintf(asset, sizeof(asset), "10.9.9.9:%d/tcp", port);
		o = cx_run_add_obs(run, "service", asset);
		ck_assert_ptr_nonnull(o);
		cx_obs_prop(o, "service", "http");
	}
	return run;
}

/*
 * Issue 12 (3): the ports check on the all-open host is linear.  It used
 * to walk every observation for each port (65,535 x 65,535 string
 * comparisons, minutes); the test case's timeout (30 s, also under ASan)
 * is the bound.  Per-host texts list at most 64 ports ("and N more").
 */
START_TEST(test_ports_all_open_linear)
{
	struct cx_run *run = all_open_run();
	const struct cx_finding *f;

	ck_assert_int_eq(run_ports_check(run, NULL, &net_profile), 0);
	f = finding(run, "NET-06", "10.9.9.9:65535/tcp", "http");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->status, CX_FAIL);
	ck_assert_uint_ge(run->n_findings, 65535);
	f = finding(run, "NET-01", "10.9.9.9", NULL);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->status, CX_PASS);
	ck_assert_uint_lt(strlen(f->observed), 4096);
	ck_assert_ptr_nonnull(strstr(f->observed, "and 65471 more"));
	cx_run_free(run);
}
END_TEST

/* Issue 12 (3): the check polls the interrupt flag and stops. */
START_TEST(test_ports_interrupted)
{
	struct cx_run *run = all_open_run();

	cx_interrupted = 1;
	ck_assert_int_eq(run_ports_check(run, NULL, &net_profile), CX_EINTR);
	cx_interrupted = 0;
	ck_assert_uint_lt(run->n_findings, 16);
	cx_run_free(run);
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

	tc = tcase_create("engine");
	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_engine_lab);
	tcase_add_test(tc, test_engine_trickle_and_v6);
	tcase_add_test(tc, test_engine_bad_signatures);
	suite_add_tcase(s, tc);

	tc = tcase_create("ports-check");
	tcase_add_test(tc, test_ports_forbidden);
	tcase_add_test(tc, test_ports_unidentified);
	tcase_add_test(tc, test_ports_declared);
	tcase_add_test(tc, test_ports_profile_lists_and_no_scan);
	suite_add_tcase(s, tc);

	tc = tcase_create("ports-scale");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_ports_all_open_linear);
	tcase_add_test(tc, test_ports_interrupted);
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
