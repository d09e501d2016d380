/*
 * Unit tests of the udp check (checks/udp.c) without a network: its
 * verdicts from recorded "udp-service" observations (message ids and
 * arguments, NET-07 for resolvers and amplifiers, none for an NTP
 * client-mode reply), linear on a host with a UDP service on every port,
 * and it stops on the interrupt flag (issue 12 item 3, for this check).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/error.h"
#include "certexam/loop.h"
#include "certexam/run.h"
#include "certexam/util.h"

static struct cx_requirement reqs[] = {
    {.id = "NET-03", .block = "network", .text = "t", .source = "s"},
    {.id = "NET-04", .block = "network", .text = "t", .source = "s"},
    {.id = "NET-05", .block = "network", .text = "t", .source = "s"},
    {.id = "NET-07", .block = "network", .text = "t", .source = "s"},
};

static struct cx_profile profile = {
    .id = "test",
    .reqs = reqs,
    .n_reqs = CX_ARRAY_LEN(reqs),
};

/* A UDP port of 10.7.7.7 that answered as svc ("name=value" facts). */
static void add_udp(struct cx_run *run, int port, const char *svc,
                    const char *const *facts)
{
	struct cx_port_obs p;
	struct cx_observation *o;
	char asset[64];
	size_t i;

	memset(&p, 0, sizeof(p));
	p.addr = "10.7.7.7";
	p.proto = "udp";
	p.port = port;
	p.state = CX_PORT_OPEN;
	p.service = (char *)svc;
	ck_assert_int_eq(cx_run_add_port(run, &p, NULL), 0);
	snprintf(asset, sizeof(asset), "10.7.7.7:%d/udp", port);
	o = cx_run_add_obs(run, "udp-service", asset);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(cx_obs_prop(o, "service", svc), 0);
	for (i = 0; facts != NULL && facts[i] != NULL; i += 2)
		ck_assert_int_eq(cx_obs_prop(o, facts[i], facts[i + 1]), 0);
}

static int run_udp(struct cx_run *run)
{
	const struct cx_check *c = cx_check_find("udp");
	struct cx_check_ctx ctx;
	struct cx_scan_opts opts;

	ck_assert_ptr_nonnull(c);
	ck_assert(c->run != NULL);
	cx_scan_opts_default(&opts);
	memset(&ctx, 0, sizeof(ctx));
	ctx.profile = &profile;
	ctx.opts = &opts;
	ctx.run = run;
	return c->run(&ctx);
}

static const struct cx_finding *find(const struct cx_run *run, const char *key)
{
	size_t i;

	for (i = 0; i < run->n_findings; i++)
		if (strcmp(run->findings[i].key, key) == 0)
			return &run->findings[i];
	return NULL;
}

static const char *arg(const struct cx_finding *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n_args; i++)
		if (strcmp(f->args[i].name, name) == 0)
			return f->args[i].value;
	return NULL;
}

START_TEST(test_udp_verdicts)
{
	struct cx_run *run = cx_run_new();
	const struct cx_finding *f;

	ck_assert_ptr_nonnull(run);
	add_udp(run, 53, "dns",
	        CX_ARGS("recursion", "open", "amplifier", "yes"));
	add_udp(run, 5300, "dns",
	        CX_ARGS("recursion", "no", "amplifier", "yes"));
	add_udp(run, 123, "ntp",
	        CX_ARGS("amplifier", "yes", "request-bytes", "48",
	                "reply-bytes", "48"));
	add_udp(run, 19, "chargen",
	        CX_ARGS("amplifier", "yes", "request-bytes", "1", "reply-bytes",
	                "444", "evidence", "E0001"));
	add_udp(run, 161, "snmp",
	        CX_ARGS("amplifier", "yes", "snmp-version", "v2c",
	                "snmp-community", "public", "product", "Linux lab"));
	add_udp(run, 7, "echo",
	        CX_ARGS("amplifier", "yes", "request-bytes", "20",
	                "reply-bytes", "20"));
	add_udp(run, 69, "tftp", CX_ARGS("amplifier", "no"));
	ck_assert_int_eq(run_udp(run), 0);

	f = find(run, "udp|NET-07|10.7.7.7:53/udp|dns-recursion");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->status, CX_FAIL);
	ck_assert_str_eq(f->msg, "net.udp.open-resolver");
	ck_assert_str_eq(arg(f, "port"), "53");
	f = find(run, "udp|NET-07|10.7.7.7:19/udp|chargen");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->msg, "net.udp.amplifier");
	ck_assert_str_eq(arg(f, "request"), "1");
	ck_assert_str_eq(arg(f, "reply"), "444");
	ck_assert_uint_eq(f->n_evidence, 1);
	f = find(run, "udp|NET-04|10.7.7.7:161/udp|snmp-public");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->msg, "net.udp.snmp-community");
	ck_assert_str_eq(arg(f, "version"), "v2c");
	ck_assert_str_eq(arg(f, "community"), "public");
	/* what the target named itself is the observed text, verbatim */
	ck_assert_str_eq(f->observed, "Linux lab");
	ck_assert_ptr_nonnull(find(run, "udp|NET-07|10.7.7.7:161/udp|snmp"));
	/* 4 findings: no NET-07 for a non-recursive DNS, NTP 48/48, echo,
	 * TFTP; no NET-05 without a case */
	ck_assert_uint_eq(run->n_findings, 4);
	cx_run_free(run);
}
END_TEST

/* A host with a UDP service on every port: one hashed lookup each. */
static struct cx_run *every_port_run(void)
{
	struct cx_run *run = cx_run_new();
	int port;

	ck_assert_ptr_nonnull(run);
	for (port = 1; port <= 65535; port++)
		add_udp(run, port, "chargen",
		        CX_ARGS("amplifier", "yes", "request-bytes", "1",
		                "reply-bytes", "74"));
	return run;
}

/* A further reply on 10.7.7.7:port/udp already recorded (a second probe). */
static void add_also(struct cx_run *run, int port, const char *svc,
                     const char *const *facts)
{
	struct cx_observation *o;
	char asset[64];
	size_t i;

	snprintf(asset, sizeof(asset), "10.7.7.7:%d/udp", port);
	o = cx_run_add_obs(run, "udp-service", asset);
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(cx_obs_prop(o, "service", svc), 0);
	ck_assert_int_eq(cx_obs_prop(o, "also", "yes"), 0);
	for (i = 0; facts != NULL && facts[i] != NULL; i += 2)
		ck_assert_int_eq(cx_obs_prop(o, facts[i], facts[i + 1]), 0);
}

/*
 * The second probes: NTP monlist beside the client request (8 bytes
 * answered with 440: NET-07 under item ntp-monlist; the client's 48/48
 * still not), SNMP community private beside public (NET-04 snmp-private,
 * NET-07 under the probe's name), and neither judged again for NET-05;
 * a monlist error reply (8 for 8) is no amplifier.
 */
START_TEST(test_udp_second_probes)
{
	struct cx_run *run = cx_run_new();
	const struct cx_finding *f;

	ck_assert_ptr_nonnull(run);
	add_udp(run, 123, "ntp",
	        CX_ARGS("amplifier", "yes", "identified-by", "ntp-client",
	                "request-bytes", "48", "reply-bytes", "48"));
	add_also(run, 123, "ntp",
	         CX_ARGS("second", "yes", "amplifier", "yes", "identified-by",
	                 "ntp-monlist", "request-bytes", "8", "reply-bytes",
	                 "440", "ntp-mode7-entries", "6"));
	add_udp(run, 1123, "ntp",
	        CX_ARGS("second", "yes", "amplifier", "yes", "identified-by",
	                "ntp-monlist", "request-bytes", "8", "reply-bytes",
	                "8"));
	add_udp(run, 161, "snmp",
	        CX_ARGS("amplifier", "yes", "identified-by", "snmp-v1-public",
	                "snmp-version", "v1", "snmp-community", "public"));
	add_also(run, 161, "snmp",
	         CX_ARGS("second", "yes", "amplifier", "yes", "identified-by",
	                 "snmp-v2c-private", "snmp-version", "v2c",
	                 "snmp-community", "private"));
	ck_assert_int_eq(run_udp(run), 0);

	f = find(run, "udp|NET-07|10.7.7.7:123/udp|ntp-monlist");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->msg, "net.udp.amplifier");
	ck_assert_str_eq(arg(f, "service"), "ntp");
	ck_assert_str_eq(arg(f, "request"), "8");
	ck_assert_str_eq(arg(f, "reply"), "440");
	ck_assert_ptr_null(find(run, "udp|NET-07|10.7.7.7:123/udp|ntp"));
	ck_assert_ptr_null(
	    find(run, "udp|NET-07|10.7.7.7:1123/udp|ntp-monlist"));
	f = find(run, "udp|NET-04|10.7.7.7:161/udp|snmp-private");
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(arg(f, "community"), "private");
	ck_assert_str_eq(arg(f, "version"), "v2c");
	ck_assert_ptr_nonnull(
	    find(run, "udp|NET-04|10.7.7.7:161/udp|snmp-public"));
	ck_assert_ptr_nonnull(find(run, "udp|NET-07|10.7.7.7:161/udp|snmp"));
	ck_assert_ptr_nonnull(
	    find(run, "udp|NET-07|10.7.7.7:161/udp|snmp-v2c-private"));
	ck_assert_uint_eq(run->n_findings, 5);
	cx_run_free(run);
}
END_TEST

START_TEST(test_udp_linear)
{
	struct cx_run *run = every_port_run();

	ck_assert_int_eq(run_udp(run), 0);
	ck_assert_uint_eq(run->n_findings, 65535);
	cx_run_free(run);
}
END_TEST

START_TEST(test_udp_interrupted)
{
	struct cx_run *run = every_port_run();

	cx_interrupted = 1;
	ck_assert_int_eq(run_udp(run), CX_EINTR);
	cx_interrupted = 0;
	ck_assert_uint_eq(run->n_findings, 0);
	cx_run_free(run);
}
END_TEST

static Suite *udp_check_suite(void)
{
	Suite *s = suite_create("udp_check");
	TCase *tc = tcase_create("verdicts");

	tcase_add_test(tc, test_udp_verdicts);
	tcase_add_test(tc, test_udp_second_probes);
	suite_add_tcase(s, tc);
	tc = tcase_create("scale");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_udp_linear);
	tcase_add_test(tc, test_udp_interrupted);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(udp_check_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
