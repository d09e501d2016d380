/*
 * Unit tests: the ports check (checks/ports.c) on run records built here:
 * forbidden, unidentified and undeclared services, the profile's lists,
 * and its scale on a host answering on all 65,535 ports (linear, and it
 * stops when interrupted).
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
	/* the words are a message id; observed holds only received bytes */
	ck_assert_ptr_nonnull(f->msg);
	ck_assert_int_eq(strncmp(f->msg, "net.", 4), 0);
	if (f->observed != NULL)
		ck_assert_ptr_null(strchr(f->observed, '\r'));
}

/* The value of f's message argument name ("" when absent). */
static const char *arg(const struct cx_finding *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n_args; i++)
		if (strcmp(f->args[i].name, name) == 0)
			return f->args[i].value ? f->args[i].value : "";
	return "";
}

/* f's message id is msg and its argument name is value. */
static void expect_msg(const struct cx_finding *f, const char *msg,
                       const char *name, const char *value)
{
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->msg, msg);
	if (name != NULL)
		ck_assert_str_eq(arg(f, name), value);
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
	expect_msg(f, "net.service.forbidden", "service", "telnet");
	expect_msg(f, "net.service.forbidden", "port", "23");
	expect_finding(run, "NET-02", "10.0.0.1:21/tcp", "ftp", CX_FAIL);
	expect_msg(finding(run, "NET-02", "10.0.0.1:21/tcp", "ftp"),
	           "net.ftp.tls-refused", "port", "21");
	expect_finding(run, "NET-02", "10.0.0.1:2121/tcp", "ftp", CX_PASS);
	expect_msg(finding(run, "NET-02", "10.0.0.1:2121/tcp", "ftp"),
	           "net.ftp.tls-offered", "port", "2121");
	expect_finding(run, "NET-02", "10.0.0.1:2122/tcp", "ftp", CX_FAIL);
	f = finding(run, "NET-02", "10.0.0.1:2122/tcp", "ftp");
	ck_assert_int_eq(f->certainty, CX_INFERRED);
	expect_msg(f, "net.ftp.tls-untested", "port", "2122");
	expect_msg(finding(run, "NET-06", "10.0.0.1:6379/tcp", "redis"),
	           "net.banner.version", "version", "7.0.15");
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
	expect_msg(f, "net.host.unidentified", NULL, NULL);
	ck_assert_ptr_nonnull(strstr(arg(f, "ports"), "9999/tcp"));
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
 * is the bound.  Per-host lists name at most 64 ports (then ", ..."),
 * with the count as an argument of its own.
 */
/* Silent hosts (answered nothing): one not_applicable finding per
 * requirement for all of them, none per address (a sparse /16). */
START_TEST(test_ports_silent_hosts)
{
	static const struct pcase pc[] = {
	    {"10.0.0.1", 22, "ssh", NULL, NULL, 0, NULL, NULL, NULL, 0},
	};
	struct cx_run *run = ports_run_new(pc, CX_ARRAY_LEN(pc), "done");
	struct cx_host_obs h;
	const struct cx_finding *f;
	char addr[32];
	int i;

	for (i = 0; i < 1000; i++) {
		memset(&h, 0, sizeof(h));
		snprintf(addr, sizeof(addr), "10.1.%d.%d", i / 250,
		         i % 250 + 1);
		h.addr = addr;
		h.up = 0;
		ck_assert_int_eq(cx_run_add_host(run, &h), 0);
	}
	/* a host marked down that still shows an open port is judged */
	memset(&h, 0, sizeof(h));
	h.addr = "10.0.0.9";
	ck_assert_int_eq(cx_run_add_host(run, &h), 0);
	{
		struct cx_port_obs p;

		memset(&p, 0, sizeof(p));
		p.addr = "10.0.0.9";
		p.port = 23;
		p.proto = "tcp";
		p.state = CX_PORT_OPEN;
		p.service = "telnet";
		ck_assert_int_eq(cx_run_add_port(run, &p, NULL), 0);
	}
	ck_assert_int_eq(run_ports_check(run, NULL, &net_profile), 0);
	expect_finding(run, "NET-01", "10.0.0.1", NULL, CX_PASS);
	expect_finding(run, "NET-01", "10.0.0.9:23/tcp", "telnet", CX_FAIL);
	ck_assert_ptr_null(finding(run, "NET-01", "10.1.0.1", NULL));
	ck_assert_ptr_null(finding(run, "NET-06", "10.1.3.250", NULL));
	for (i = 0; i < 6; i++) {
		char req[8];

		snprintf(req, sizeof(req), "NET-0%d", i + 1);
		expect_finding(run, req, "scope", "silent", CX_NOT_APPLICABLE);
		f = finding(run, req, "scope", "silent");
		expect_msg(f, "net.hosts.silent", "count", "1000");
	}
	/* the up host's six, the telnet port's, the silent hosts' six */
	ck_assert_uint_lt(run->n_findings, 20);
	cx_run_free(run);
}
END_TEST

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
	expect_msg(f, "net.host.pass-cleartext", "count", "65535");
	ck_assert_uint_lt(strlen(arg(f, "open")), 4096);
	ck_assert_ptr_nonnull(strstr(arg(f, "open"), "64/tcp http, ..."));
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

static Suite *ports_suite(void)
{
	Suite *s = suite_create("ports");
	TCase *tc = tcase_create("ports-check");

	tcase_add_test(tc, test_ports_forbidden);
	tcase_add_test(tc, test_ports_unidentified);
	tcase_add_test(tc, test_ports_declared);
	tcase_add_test(tc, test_ports_profile_lists_and_no_scan);
	tcase_add_test(tc, test_ports_silent_hosts);
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
	SRunner *sr = srunner_create(ports_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
