/*
 * Unit tests: UDP probes and reply parsers (scanner/net/udp_proto.c) —
 * every parser on a good reply, on every truncation of it and on
 * malformed variants (wrong ids, bad BER lengths, wrong modes), NTP mode
 * 7 monlist and SNMP community private included.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "udp_proto.h"

static const struct cx_udp_probe *probe(const char *name)
{
	const struct cx_udp_probe *t;
	size_t n, i;

	t = cx_udp_probes(&n);
	for (i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return &t[i];
	ck_abort_msg("no probe %s", name);
	return NULL;
}

/* Parse from an exact-size heap copy (ASan sees any overread). */
static int parse(const char *name, const void *d, size_t n,
                 struct cx_udp_reply *r)
{
	uint8_t *c = malloc(n ? n : 1);
	int rc;

	ck_assert(c != NULL);
	memcpy(c, d, n);
	rc = cx_udp_parse(probe(name), c, n, r);
	free(c);
	return rc;
}

/* The reply must be recognised whole and rejected at every length below
 * min_ok (a parser may accept a shorter prefix from min_ok on). */
static void truncations(const char *name, const void *d, size_t n,
                        size_t min_ok, struct cx_udp_reply *out)
{
	struct cx_udp_reply r;
	size_t len;

	for (len = 0; len < min_ok; len++)
		ck_assert_msg(parse(name, d, len, &r) == 0,
		              "%s accepted %zu of %zu bytes", name, len, n);
	ck_assert_int_eq(parse(name, d, n, out), 1);
}

static const uint8_t snmp_reply[] = {
    0x30, 0x38, 0x02, 0x01, 0x00, 0x04, 0x06, 'p',    'u',  'b',  'l',  'i',
    'c',  0xa2, 0x2b, 0x02, 0x01, 0x01, 0x02, 0x01,   0x00, 0x02, 0x01, 0x00,
    0x30, 0x20, 0x30, 0x1e, 0x06, 0x08, 0x2b, 0x06,   0x01, 0x02, 0x01, 0x01,
    0x01, 0x00, 0x04, 0x12, 'L',  'i',  'n',  'u',    'x',  ' ',  'c',  'x',
    'l',  'a',  'b',  ' ',  '6',  '.',  '1',  '\x01', 'x',  'y'};

START_TEST(test_snmp)
{
	struct cx_udp_reply r;
	uint8_t bad[sizeof(snmp_reply)];

	ck_assert_int_eq(
	    parse("snmp-v1-public", snmp_reply, sizeof(snmp_reply), &r), 1);
	ck_assert_str_eq(r.service, "snmp");
	ck_assert_int_eq(r.snmp_version, 1);
	ck_assert_int_eq(r.snmp_public, 1);
	ck_assert_int_eq(r.amplifier, 1);
	/* The control byte in sysDescr is not copied as is. */
	ck_assert_str_eq(r.product, "Linux cxlab 6.1.xy");
	/* The outer SEQUENCE must hold everything: shorter is malformed. */
	truncations("snmp-v1-public", snmp_reply, sizeof(snmp_reply), 24, &r);
	/* A v2c request's id (2) does not match the v1 probe. */
	memcpy(bad, snmp_reply, sizeof(bad));
	bad[17] = 2;
	ck_assert_int_eq(parse("snmp-v1-public", bad, sizeof(bad), &r), 0);
	ck_assert_int_eq(parse("snmp-v2c-public", bad, sizeof(bad), &r), 1);
	/* A length longer than the datagram. */
	memcpy(bad, snmp_reply, sizeof(bad));
	bad[1] = 0x7f;
	ck_assert_int_eq(parse("snmp-v1-public", bad, sizeof(bad), &r), 0);
	/* Long-form length of 5 bytes; indefinite length. */
	bad[1] = 0x85;
	ck_assert_int_eq(parse("snmp-v1-public", bad, sizeof(bad), &r), 0);
	bad[1] = 0x80;
	ck_assert_int_eq(parse("snmp-v1-public", bad, sizeof(bad), &r), 0);
	/* A GetRequest (a0), not a response. */
	memcpy(bad, snmp_reply, sizeof(bad));
	bad[13] = 0xa0;
	ck_assert_int_eq(parse("snmp-v1-public", bad, sizeof(bad), &r), 0);
	/* Version 3. */
	memcpy(bad, snmp_reply, sizeof(bad));
	bad[4] = 3;
	ck_assert_int_eq(parse("snmp-v1-public", bad, sizeof(bad), &r), 0);
}
END_TEST

START_TEST(test_dns)
{
	static const uint8_t open[] = {0x43, 0x58, 0x81, 0x80, 0, 1, 0, 1, 0,
	                               0,    0,    0,    0,    0, 2, 0, 1};
	static const uint8_t refused[] = {0x43, 0x58, 0x81, 0x05, 0, 1,
	                                  0,    0,    0,    0,    0, 0};
	static const uint8_t query[] = {0x43, 0x58, 0x01, 0x00, 0, 1,
	                                0,    0,    0,    0,    0, 0};
	static const uint8_t other[] = {0x12, 0x34, 0x81, 0x80, 0, 1,
	                                0,    1,    0,    0,    0, 0};
	struct cx_udp_reply r;

	truncations("dns-recursive-root-ns", open, sizeof(open), 12, &r);
	ck_assert_int_eq(parse("dns-recursive-root-ns", open, sizeof(open), &r),
	                 1);
	ck_assert_int_eq(r.dns_recursion, 1);
	ck_assert_int_eq(
	    parse("dns-recursive-root-ns", refused, sizeof(refused), &r), 1);
	ck_assert_int_eq(r.dns_recursion, 0);
	ck_assert_ptr_nonnull(strstr(r.info, "REFUSED"));
	ck_assert_int_eq(
	    parse("dns-recursive-root-ns", query, sizeof(query), &r), 0);
	ck_assert_int_eq(
	    parse("dns-recursive-root-ns", other, sizeof(other), &r), 0);
	/* mDNS shares the parser; recursion is never claimed there. */
	ck_assert_int_eq(parse("mdns-services", open, sizeof(open), &r), 1);
	ck_assert_int_eq(r.dns_recursion, 0);
}
END_TEST

START_TEST(test_ntp_tftp_ipmi)
{
	uint8_t ntp[48] = {0x24, 2};
	static const uint8_t tftp_err[] = {0, 5, 0, 1, 'N', 'o', 0};
	static const uint8_t tftp_noterm[] = {0, 5, 0, 1, 'N', '\n', 'o'};
	static const uint8_t ipmi[] = {
	    0x06, 0x00, 0xff, 0x07, 0,    0,    0,    0,    0, 0,    0,   0,
	    0,    16,   0x81, 0x1c, 0x63, 0x20, 0x00, 0x38, 0, 0x01, 0x97};
	struct cx_udp_reply r;

	truncations("ntp-client", ntp, sizeof(ntp), 48, &r);
	ck_assert_str_eq(r.info, "NTPv4 server, stratum 2");
	ntp[0] = 0x23; /* mode 3: a client's request */
	ck_assert_int_eq(parse("ntp-client", ntp, sizeof(ntp), &r), 0);
	truncations("tftp-rrq", tftp_err, sizeof(tftp_err), 4, &r);
	ck_assert_int_eq(
	    parse("tftp-rrq", tftp_noterm, sizeof(tftp_noterm), &r), 1);
	ck_assert_str_eq(r.info, "TFTP error 1: N.o");
	ck_assert_int_eq(parse("tftp-rrq", "\0\1\0\0", 4, &r), 0);
	truncations("ipmi-auth-caps", ipmi, sizeof(ipmi), 21, &r);
	ck_assert_ptr_nonnull(strstr(r.info, "IPMI 2.0"));
	ck_assert_int_eq(parse("ipmi-auth-caps", ipmi, 22, &r), 1);
	ck_assert_str_eq(r.info, "IPMI answered (completion code 0x00)");
}
END_TEST

/*
 * NTP mode 7 monlist: a reply of 3 entries of 72 bytes (more to follow)
 * is recognised whole and at no shorter length (the entries it announces
 * must be there); an error reply is mode 7 answered, no entries; a
 * request, another request code, another implementation, a client-mode
 * (mode 4) reply, entries announced beyond the datagram: not a reply.
 */
START_TEST(test_ntp_monlist)
{
	uint8_t m[8 + 3 * 72];
	uint8_t bad[sizeof(m)];
	static const uint8_t err[8] = {0x97, 0x00, 0x03, 0x2a,
	                               0x40, 0x00, 0x00, 0x00};
	struct cx_udp_reply r;

	memset(m, 0, sizeof(m));
	m[0] = 0x80 | 0x40 | (2 << 3) | 7; /* response, more, v2, mode 7 */
	m[2] = 3;
	m[3] = 42;
	m[5] = 3;  /* 3 items */
	m[7] = 72; /* of 72 bytes */
	truncations("ntp-monlist", m, sizeof(m), sizeof(m), &r);
	ck_assert_str_eq(r.service, "ntp");
	ck_assert_int_eq(r.ntp_mode7, 1);
	ck_assert_uint_eq(r.ntp_items, 3);
	ck_assert_int_eq(r.amplifier, 1);
	ck_assert_str_eq(r.info, "NTP mode 7 monlist: 3 entries of 72 bytes "
	                         "in 224 bytes, more datagrams follow");
	ck_assert_int_eq(parse("ntp-monlist", err, sizeof(err), &r), 1);
	ck_assert_uint_eq(r.ntp_items, 0);
	ck_assert_str_eq(r.info, "NTP mode 7 answered monlist with error 4");
	memcpy(bad, m, sizeof(m));
	bad[0] &= 0x7f; /* a request */
	ck_assert_int_eq(parse("ntp-monlist", bad, sizeof(bad), &r), 0);
	memcpy(bad, m, sizeof(m));
	bad[3] = 20; /* another request code */
	ck_assert_int_eq(parse("ntp-monlist", bad, sizeof(bad), &r), 0);
	memcpy(bad, m, sizeof(m));
	bad[2] = 2; /* another implementation */
	ck_assert_int_eq(parse("ntp-monlist", bad, sizeof(bad), &r), 0);
	memcpy(bad, m, sizeof(m));
	bad[0] = 0x24; /* NTPv4 server, mode 4 */
	ck_assert_int_eq(parse("ntp-monlist", bad, sizeof(bad), &r), 0);
	memcpy(bad, m, sizeof(m));
	bad[4] = 0x0f; /* 0xf03 items of 72 bytes */
	ck_assert_int_eq(parse("ntp-monlist", bad, sizeof(bad), &r), 0);
	memcpy(bad, m, sizeof(m));
	bad[6] = 0x0f;
	bad[7] = 0xff; /* items of 4095 bytes */
	ck_assert_int_eq(parse("ntp-monlist", bad, sizeof(bad), &r), 0);
	/* the client probe does not take a mode 7 reply, nor the reverse */
	ck_assert_int_eq(parse("ntp-client", m, sizeof(m), &r), 0);
}
END_TEST

/*
 * SNMP community private (v2c, request id 3): its reply is recognised,
 * with the community; the public probes do not take it (other id and
 * community), nor does the private probe take a reply to public.
 */
START_TEST(test_snmp_private)
{
	static const uint8_t rep[] = {
	    0x30, 0x2b, 0x02, 0x01, 0x01, 0x04, 0x07, 'p',  'r',
	    'i',  'v',  'a',  't',  'e',  0xa2, 0x1d, 0x02, 0x01,
	    0x03, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x12,
	    0x30, 0x10, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01,
	    0x01, 0x01, 0x00, 0x04, 0x04, 'h',  'o',  's',  't'};
	uint8_t bad[sizeof(rep)];
	struct cx_udp_reply r;

	truncations("snmp-v2c-private", rep, sizeof(rep), 24, &r);
	ck_assert_str_eq(r.service, "snmp");
	ck_assert_int_eq(r.snmp_version, 2);
	ck_assert_str_eq(r.snmp_community, "private");
	ck_assert_int_eq(r.snmp_public, 0);
	ck_assert_str_eq(r.product, "host");
	ck_assert_int_eq(parse("snmp-v2c-public", rep, sizeof(rep), &r), 0);
	ck_assert_int_eq(parse("snmp-v1-public", rep, sizeof(rep), &r), 0);
	ck_assert_int_eq(
	    parse("snmp-v2c-private", snmp_reply, sizeof(snmp_reply), &r), 0);
	/* right id, another community of the same length */
	memcpy(bad, rep, sizeof(rep));
	bad[7] = 'P';
	ck_assert_int_eq(parse("snmp-v2c-private", bad, sizeof(bad), &r), 0);
	/* a community length past the message */
	memcpy(bad, rep, sizeof(rep));
	bad[6] = 0x7f;
	ck_assert_int_eq(parse("snmp-v2c-private", bad, sizeof(bad), &r), 0);
}
END_TEST

START_TEST(test_text_services)
{
	static const char ssdp[] = "HTTP/1.1 200 OK\r\nST: x\r\n"
	                           "Server: Lin\x7fux UPnP\r\n\r\n";
	static const char ssdp_noserver[] = "HTTP/1.1 200 OK\r\nserver:";
	uint8_t mc[64];
	struct cx_udp_reply r;

	truncations("ssdp-msearch", ssdp, sizeof(ssdp) - 1, 12, &r);
	ck_assert_str_eq(r.product, "Lin.ux UPnP");
	ck_assert_int_eq(
	    parse("ssdp-msearch", ssdp_noserver, sizeof(ssdp_noserver) - 1, &r),
	    1);
	ck_assert_str_eq(r.product, "");
	memcpy(mc, "\x43\x58\0\0\0\1\0\0STAT version 1.6.9\r\nEND\r\n", 33);
	truncations("memcached-stats", mc, 33, 13, &r);
	ck_assert_str_eq(r.product, "memcached 1.6.9");
	/* The version line cut off at the end of the datagram. */
	ck_assert_int_eq(parse("memcached-stats", mc, 25, &r), 1);
	ck_assert_int_eq(parse("echo", "certexam-echo-probe", 19, &r), 1);
	ck_assert_int_eq(parse("echo", "certexam-echo-probX", 19, &r), 0);
	ck_assert_int_eq(parse("chargen", "!\"#$%\r\n", 7, &r), 1);
	ck_assert_int_eq(parse("chargen", "ab\0c", 4, &r), 0);
	ck_assert_int_eq(parse("chargen", "", 0, &r), 0);
}
END_TEST

START_TEST(test_netbios_cldap)
{
	uint8_t nb[128];
	size_t n = 0;
	static const uint8_t cldap[] = {0x30, 0x0c, 0x02, 0x01, 0x01,
	                                0x64, 0x07, 0x04, 0x00, 0x30,
	                                0x03, 0x04, 0x01, 'x'};
	struct cx_udp_reply r;

	memcpy(nb, "\x43\x58\x84\x00\0\0\0\1\0\0\0\0", 12);
	n = 12;
	nb[n++] = 0xc0;
	nb[n++] = 0x0c;
	memcpy(nb + n, "\0\x21\0\1\0\0\0\0\0\x13", 10);
	n += 10;
	nb[n++] = 1;
	memcpy(nb + n, "FILESRV        \x20\x04\x00", 18);
	n += 18;
	truncations("nbstat", nb, n, 12, &r);
	ck_assert_str_eq(r.product, "FILESRV");
	/* A label running past the end. */
	nb[12] = 0x3f;
	ck_assert_int_eq(parse("nbstat", nb, 20, &r), 1);
	ck_assert_str_eq(r.product, "");
	truncations("cldap-rootdse", cldap, sizeof(cldap), sizeof(cldap), &r);
	ck_assert_int_eq(parse("cldap-rootdse", "\x30\x03\x02\x01\x02", 5, &r),
	                 0);
}
END_TEST

START_TEST(test_table)
{
	const struct cx_udp_probe *t;
	size_t n, i;
	struct cx_udp_reply r;

	t = cx_udp_probes(&n);
	ck_assert_uint_gt(n, 10);
	for (i = 0; i < n; i++) {
		ck_assert(t[i].parse != NULL);
		ck_assert_uint_gt(t[i].len, 0);
		if (i > 0)
			ck_assert_uint_ge(t[i].port, t[i - 1].port);
		/* No probe is mistaken for its own answer, except echo. */
		if (strcmp(t[i].name, "echo") != 0 &&
		    strcmp(t[i].name, "chargen") != 0)
			ck_assert_int_eq(
			    cx_udp_parse(&t[i], t[i].payload, t[i].len, &r), 0);
	}
	ck_assert_int_eq(cx_udp_parse(NULL, NULL, 0, &r), 0);
	ck_assert_int_eq(cx_udp_parse(&t[0], NULL, 4, &r), 0);
}
END_TEST

static Suite *udp_suite(void)
{
	Suite *s = suite_create("udp_proto");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_snmp);
	tcase_add_test(tc, test_dns);
	tcase_add_test(tc, test_ntp_tftp_ipmi);
	tcase_add_test(tc, test_ntp_monlist);
	tcase_add_test(tc, test_snmp_private);
	tcase_add_test(tc, test_text_services);
	tcase_add_test(tc, test_netbios_cldap);
	tcase_add_test(tc, test_table);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(udp_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
