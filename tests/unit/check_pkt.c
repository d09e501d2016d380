/*
 * Unit tests: raw packets (scanner/net/pkt.c) — the SYN probe builder and
 * its checksums, the probe cookie, and the captured-frame parser on good
 * frames of every link type and on truncated or malformed ones.
 */
#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "certexam/error.h"
#include "certexam/target.h"
#include "pkt.h"

static const uint8_t key[16] = {1, 2,  3,  4,  5,  6,  7,  8,
                                9, 10, 11, 12, 13, 14, 15, 16};

static struct cx_addr addr(const char *s)
{
	struct cx_addr a;

	ck_assert_int_eq(cx_addr_parse(s, &a), 0);
	return a;
}

/* A SYN-ACK from 10.0.0.2:80 to 10.0.0.1:40000 acknowledging cookie. */
static size_t synack4(uint8_t *buf, size_t cap, uint32_t cookie)
{
	struct cx_addr us = addr("10.0.0.1"), them = addr("10.0.0.2");

	return cx_pkt_build_tcp(buf, cap, &them, &us, 80, 40000, 777,
	                        cookie + 1, CX_TCP_SYN | CX_TCP_ACK, 1);
}

START_TEST(test_cksum_rfc1071)
{
	/* RFC 1071's example: the sum is ddf2, the checksum its inverse. */
	static const uint8_t d[] = {0x00, 0x01, 0xf2, 0x03,
	                            0xf4, 0xf5, 0xf6, 0xf7};

	ck_assert_uint_eq(cx_inet_cksum(d, sizeof(d), 0), 0x220d);
	ck_assert_uint_eq(cx_inet_cksum(d, 0, 0), 0xffff);
}
END_TEST

START_TEST(test_build_parse_v4)
{
	struct cx_addr us = addr("192.0.2.1"), them = addr("192.0.2.9");
	uint8_t buf[64];
	struct cx_pkt p;
	size_t n;
	uint32_t sum = 0;
	int i;

	n = cx_pkt_build_tcp(buf, sizeof(buf), &us, &them, 40001, 443,
	                     0xdeadbeef, 0, CX_TCP_SYN, 7);
	ck_assert_uint_eq(n, 44);
	ck_assert_uint_eq(cx_inet_cksum(buf, 20, 0), 0); /* IP header */
	/* TCP checksum over the pseudo-header verifies to 0. */
	for (i = 0; i < 4; i += 2)
		sum += (uint32_t)(buf[12 + i] << 8 | buf[13 + i]) +
		       (uint32_t)(buf[16 + i] << 8 | buf[17 + i]);
	sum += IPPROTO_TCP + 24;
	ck_assert_uint_eq(cx_inet_cksum(buf + 20, 24, sum), 0);
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, buf, n, &p), 0);
	ck_assert_int_eq(p.family, AF_INET);
	ck_assert_int_eq(cx_addr_cmp(&p.src, &us), 0);
	ck_assert_int_eq(cx_addr_cmp(&p.dst, &them), 0);
	ck_assert_uint_eq(p.proto, IPPROTO_TCP);
	ck_assert_uint_eq(p.sport, 40001);
	ck_assert_uint_eq(p.dport, 443);
	ck_assert_uint_eq(p.seq, 0xdeadbeef);
	ck_assert_uint_eq(p.tcp_flags, CX_TCP_SYN);
	ck_assert_uint_eq(p.ttl, 64);
	ck_assert_uint_eq(p.payload_len, 0);
	ck_assert_uint_eq(p.ip_len, n);
	/* Too small a buffer builds nothing. */
	ck_assert_uint_eq(
	    cx_pkt_build_tcp(buf, 40, &us, &them, 1, 2, 3, 4, CX_TCP_SYN, 0),
	    0);
}
END_TEST

START_TEST(test_build_v6_tcp_only)
{
	struct cx_addr us = addr("2001:db8::1"), them = addr("2001:db8::2");
	uint8_t buf[64], pkt[128];
	struct cx_pkt p;
	size_t n;

	n = cx_pkt_build_tcp(buf, sizeof(buf), &us, &them, 40000, 22, 5, 0,
	                     CX_TCP_SYN, 0);
	ck_assert_uint_eq(n, 24);
	/* Wrap it the way the kernel does, then parse it back. */
	memset(pkt, 0, 40);
	pkt[0] = 0x60;
	pkt[5] = (uint8_t)n;
	pkt[6] = IPPROTO_TCP;
	pkt[7] = 64;
	memcpy(pkt + 8, us.b, 16);
	memcpy(pkt + 24, them.b, 16);
	memcpy(pkt + 40, buf, n);
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_IPV6, pkt, 40 + n, &p), 0);
	ck_assert_int_eq(p.family, AF_INET6);
	ck_assert_uint_eq(p.dport, 22);
	ck_assert_int_eq(cx_addr_cmp(&p.src, &us), 0);
	/* Mixed families build nothing. */
	us = addr("10.0.0.1");
	ck_assert_uint_eq(cx_pkt_build_tcp(buf, sizeof(buf), &us, &them, 1, 2,
	                                   3, 4, CX_TCP_SYN, 0),
	                  0);
}
END_TEST

START_TEST(test_v6_extension_headers)
{
	uint8_t pkt[40 + 8 + 8 + 20];
	struct cx_pkt p;

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x60;
	pkt[5] = 8 + 8 + 20;
	pkt[6] = 0;   /* hop-by-hop */
	pkt[40] = 44; /* -> fragment */
	pkt[41] = 0;  /* 8 bytes */
	pkt[48] = 6;  /* -> TCP */
	pkt[56 + 12] = 5 << 4;
	pkt[56 + 13] = CX_TCP_RST | CX_TCP_ACK;
	pkt[56 + 1] = 80; /* source port 80 */
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, pkt, sizeof(pkt), &p), 0);
	ck_assert_uint_eq(p.proto, IPPROTO_TCP);
	ck_assert_uint_eq(p.sport, 80);
	ck_assert_uint_eq(p.tcp_flags, CX_TCP_RST | CX_TCP_ACK);
	/* A later fragment is not read. */
	pkt[48 + 3] = 0x08; /* offset 1 */
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, pkt, sizeof(pkt), &p),
	                 CX_EPARSE);
}
END_TEST

START_TEST(test_v6_header_chain_bounded)
{
	/* Nine hop-by-hop headers: more than the parser follows. */
	uint8_t pkt[40 + 9 * 8 + 20];
	struct cx_pkt p;
	int i;

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x60;
	pkt[4] = 0;
	pkt[5] = 9 * 8 + 20;
	pkt[6] = 0;
	for (i = 0; i < 9; i++)
		pkt[40 + 8 * i] = i < 8 ? 0 : 6;
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, pkt, sizeof(pkt), &p),
	                 CX_EPARSE);
}
END_TEST

START_TEST(test_link_layers)
{
	uint8_t ip[64], f[128];
	size_t n = synack4(ip, sizeof(ip), 41);
	struct cx_pkt p;
	uint32_t af = AF_INET;

	/* Ethernet with a VLAN tag. */
	memset(f, 0, sizeof(f));
	f[12] = 0x81;
	f[13] = 0x00;
	f[16] = 0x08;
	f[17] = 0x00;
	memcpy(f + 18, ip, n);
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_EN10MB, f, 18 + n, &p), 0);
	ck_assert_uint_eq(p.ack, 42);
	/* Linux cooked v1 and v2. */
	memset(f, 0, sizeof(f));
	f[14] = 0x08;
	memcpy(f + 16, ip, n);
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_LINUX_SLL, f, 16 + n, &p), 0);
	memset(f, 0, sizeof(f));
	f[0] = 0x08;
	memcpy(f + 20, ip, n);
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_SLL2, f, 20 + n, &p), 0);
	/* BSD loopback (host order). */
	memcpy(f, &af, 4);
	memcpy(f + 4, ip, n);
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_NULL, f, 4 + n, &p), 0);
	/* A malformed ARP (hardware type 0), an unknown link type. */
	memset(f, 0, sizeof(f));
	f[12] = 0x08;
	f[13] = 0x06;
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_EN10MB, f, 60, &p), CX_EPARSE);
	ck_assert_int_eq(cx_pkt_parse(9999, ip, n, &p), CX_EPARSE);
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, NULL, 0, &p), CX_EPARSE);
}
END_TEST

START_TEST(test_arp)
{
	static const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
	struct cx_addr spa = addr("10.0.0.1"), tpa = addr("10.0.0.7");
	uint8_t f[64];
	struct cx_pkt p;
	size_t n, len;

	memset(f, 0, sizeof(f));
	f[12] = 0x08;
	f[13] = 0x06;
	n = cx_pkt_build_arp(f + 14, sizeof(f) - 14, mac, &spa, &tpa);
	ck_assert_uint_eq(n, 28);
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_EN10MB, f, 14 + n, &p), 0);
	ck_assert_int_eq(p.arp, 1);
	ck_assert_uint_eq(p.arp_op, 1);
	ck_assert_int_eq(cx_addr_cmp(&p.arp_spa, &spa), 0);
	ck_assert_int_eq(cx_addr_cmp(&p.arp_tpa, &tpa), 0);
	ck_assert_mem_eq(p.arp_sha, mac, 6);
	for (len = 14; len < 14 + n; len++)
		ck_assert_int_eq(cx_pkt_parse(CX_DLT_EN10MB, f, len, &p),
		                 CX_EPARSE);
	/* IPv6 addresses in ARP (plen 16): not IPv4 over Ethernet. */
	f[14 + 5] = 16;
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_EN10MB, f, 14 + n, &p), CX_EPARSE);
	/* Another EtherType (IPX). */
	f[12] = 0x81;
	f[13] = 0x37;
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_EN10MB, f, 14 + n, &p), CX_EPARSE);
	ck_assert_uint_eq(cx_pkt_build_arp(f, 27, mac, &spa, &tpa), 0);
}
END_TEST

START_TEST(test_every_truncation_rejected)
{
	uint8_t ip[64];
	size_t n = synack4(ip, sizeof(ip), 1), len;
	struct cx_pkt p;
	uint8_t *copy;

	for (len = 0; len < n; len++) {
		/* An exact-size heap copy: ASan sees any overread. */
		copy = malloc(len ? len : 1);
		ck_assert(copy != NULL);
		memcpy(copy, ip, len);
		ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, copy, len, &p),
		                 CX_EPARSE);
		free(copy);
	}
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, ip, n, &p), 0);
}
END_TEST

START_TEST(test_malformed_headers)
{
	uint8_t ip[64], bad[64];
	size_t n = synack4(ip, sizeof(ip), 1);
	struct cx_pkt p;

	memcpy(bad, ip, n);
	bad[0] = 0x44; /* IHL 4 */
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, bad, n, &p), CX_EPARSE);
	memcpy(bad, ip, n);
	bad[2] = 0;
	bad[3] = 10; /* total length below the header */
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, bad, n, &p), CX_EPARSE);
	memcpy(bad, ip, n);
	bad[3] = (uint8_t)(n + 1); /* longer than captured */
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, bad, n, &p), CX_EPARSE);
	memcpy(bad, ip, n);
	bad[20 + 12] = 4 << 4; /* TCP data offset 4 */
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, bad, n, &p), CX_EPARSE);
	memcpy(bad, ip, n);
	bad[20 + 12] = 15 << 4; /* 60-byte TCP header in 24 bytes */
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, bad, n, &p), CX_EPARSE);
	memcpy(bad, ip, n);
	bad[7] = 1; /* a later fragment */
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, bad, n, &p), CX_EPARSE);
	memcpy(bad, ip, n);
	bad[0] = 0x75; /* version 7 */
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, bad, n, &p), CX_EPARSE);
	/* UDP whose length field exceeds the packet. */
	memcpy(bad, ip, n);
	bad[9] = IPPROTO_UDP;
	bad[20 + 4] = 0;
	bad[20 + 5] = 200;
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, bad, n, &p), CX_EPARSE);
	bad[20 + 5] = 7; /* below the UDP header */
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, bad, n, &p), CX_EPARSE);
	bad[20 + 5] = 12;
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, bad, n, &p), 0);
	ck_assert_uint_eq(p.payload_len, 4);
}
END_TEST

/* An ICMP port unreachable from a router quoting our SYN. */
START_TEST(test_icmp_quote)
{
	struct cx_addr us = addr("10.0.0.1"), them = addr("10.0.0.2");
	struct cx_addr rtr = addr("10.0.0.254");
	uint8_t probe[64], pkt[128];
	struct cx_pkt p;
	size_t n, m;
	uint32_t cookie = cx_pkt_cookie(key, &us, &them, 40002, 8080);

	n = cx_pkt_build_tcp(probe, sizeof(probe), &us, &them, 40002, 8080,
	                     cookie, 0, CX_TCP_SYN, 3);
	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 0x45;
	m = 20 + 8 + 28; /* RFC 792: the header and 8 bytes */
	pkt[3] = (uint8_t)m;
	pkt[8] = 60;
	pkt[9] = IPPROTO_ICMP;
	memcpy(pkt + 12, rtr.b, 4);
	memcpy(pkt + 16, us.b, 4);
	pkt[20] = 3;
	pkt[21] = 13;
	memcpy(pkt + 28, probe, 28);
	(void)n;
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, pkt, m, &p), 0);
	ck_assert_uint_eq(p.proto, IPPROTO_ICMP);
	ck_assert_uint_eq(p.icmp_type, 3);
	ck_assert_uint_eq(p.icmp_code, 13);
	ck_assert_int_eq(p.has_inner, 1);
	ck_assert_uint_eq(p.inner_proto, IPPROTO_TCP);
	ck_assert_int_eq(cx_addr_cmp(&p.inner_src, &us), 0);
	ck_assert_int_eq(cx_addr_cmp(&p.inner_dst, &them), 0);
	ck_assert_uint_eq(p.inner_sport, 40002);
	ck_assert_uint_eq(p.inner_dport, 8080);
	ck_assert_uint_eq(p.inner_seq, cookie);
	/* Quoting less than 8 bytes of TCP: rejected. */
	pkt[3] = (uint8_t)(m - 1);
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, pkt, m - 1, &p), CX_EPARSE);
	/* An echo reply has no quote. */
	pkt[3] = (uint8_t)m;
	pkt[20] = 0;
	pkt[21] = 0;
	ck_assert_int_eq(cx_pkt_parse(CX_DLT_RAW, pkt, m, &p), 0);
	ck_assert_int_eq(p.has_inner, 0);
}
END_TEST

START_TEST(test_cookie)
{
	struct cx_addr a = addr("10.0.0.1"), b = addr("10.0.0.2");
	struct cx_addr a6 = addr("2001:db8::1"), b6 = addr("2001:db8::2");
	uint8_t k2[16];
	uint32_t c = cx_pkt_cookie(key, &a, &b, 40000, 80);

	ck_assert_uint_eq(c, cx_pkt_cookie(key, &a, &b, 40000, 80));
	ck_assert_uint_ne(c, cx_pkt_cookie(key, &a, &b, 40000, 81));
	ck_assert_uint_ne(c, cx_pkt_cookie(key, &a, &b, 40001, 80));
	ck_assert_uint_ne(c, cx_pkt_cookie(key, &b, &a, 40000, 80));
	memcpy(k2, key, 16);
	k2[0] ^= 1;
	ck_assert_uint_ne(c, cx_pkt_cookie(k2, &a, &b, 40000, 80));
	ck_assert_uint_ne(cx_pkt_cookie(key, &a6, &b6, 40000, 80),
	                  cx_pkt_cookie(key, &a6, &b6, 40000, 81));
}
END_TEST

START_TEST(test_icmp_build)
{
	uint8_t b[32];

	ck_assert_uint_eq(cx_pkt_build_icmp(b, sizeof(b), AF_INET, 0, 7, 9), 8);
	ck_assert_uint_eq(b[0], 8);
	ck_assert_uint_eq(cx_inet_cksum(b, 8, 0), 0);
	ck_assert_uint_eq(cx_pkt_build_icmp(b, sizeof(b), AF_INET, 1, 7, 9),
	                  20);
	ck_assert_uint_eq(b[0], 13);
	ck_assert_uint_eq(cx_inet_cksum(b, 20, 0), 0);
	ck_assert_uint_eq(cx_pkt_build_icmp(b, sizeof(b), AF_INET6, 0, 7, 9),
	                  8);
	ck_assert_uint_eq(b[0], 128);
	ck_assert_uint_eq(cx_pkt_build_icmp(b, sizeof(b), AF_INET6, 1, 7, 9),
	                  0);
	ck_assert_uint_eq(cx_pkt_build_icmp(b, 4, AF_INET, 0, 7, 9), 0);
}
END_TEST

static Suite *pkt_suite(void)
{
	Suite *s = suite_create("pkt");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_cksum_rfc1071);
	tcase_add_test(tc, test_build_parse_v4);
	tcase_add_test(tc, test_build_v6_tcp_only);
	tcase_add_test(tc, test_v6_extension_headers);
	tcase_add_test(tc, test_v6_header_chain_bounded);
	tcase_add_test(tc, test_link_layers);
	tcase_add_test(tc, test_arp);
	tcase_add_test(tc, test_every_truncation_rejected);
	tcase_add_test(tc, test_malformed_headers);
	tcase_add_test(tc, test_icmp_quote);
	tcase_add_test(tc, test_cookie);
	tcase_add_test(tc, test_icmp_build);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pkt_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
