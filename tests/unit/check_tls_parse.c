/*
 * Unit tests of the tls check's hostile-input parser (ServerHello, HRR,
 * Certificate, ServerKeyExchange, alerts, SSLv2).  The ClientHello and
 * ROBOT builders, the suite registry and the grading are tested in
 * check_tls_grade.c.
 */
#include <check.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/util.h"
#include "tls_int.h"

/* A tiny byte builder for test messages. */
struct bb {
	uint8_t d[8192];
	size_t n;
};

static void b8(struct bb *b, unsigned v)
{
	b->d[b->n++] = (uint8_t)v;
}

static void b16(struct bb *b, unsigned v)
{
	b8(b, v >> 8);
	b8(b, v);
}

static void b24(struct bb *b, size_t v)
{
	b8(b, (unsigned)(v >> 16));
	b8(b, (unsigned)(v >> 8));
	b8(b, (unsigned)v);
}

static void bmem(struct bb *b, const void *p, size_t n)
{
	memcpy(b->d + b->n, p, n);
	b->n += n;
}

static const uint8_t hrr_rand[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
    0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
    0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

/* ServerHello body: version, random, no session id, suite, comp, exts. */
static void sh_body(struct bb *b, unsigned ver, const uint8_t *random,
                    unsigned suite, unsigned comp, const struct bb *exts)
{
	uint8_t r[32];

	memset(r, 0x11, sizeof(r));
	b16(b, ver);
	bmem(b, random ? random : r, 32);
	b8(b, 0);
	b16(b, suite);
	b8(b, comp);
	if (exts != NULL) {
		b16(b, (unsigned)exts->n);
		bmem(b, exts->d, exts->n);
	}
}

static void hs_msg(struct bb *out, unsigned type, const struct bb *body)
{
	b8(out, type);
	b24(out, body->n);
	bmem(out, body->d, body->n);
}

static void record(struct bb *out, unsigned type, unsigned ver,
                   const struct bb *body)
{
	b8(out, type);
	b16(out, ver);
	b16(out, (unsigned)body->n);
	bmem(out, body->d, body->n);
}

/* A TLS 1.2 flight: SH (reneg_info, heartbeat, ALPN h2), Certificate
 * (one fake 5-byte cert), DHE ServerKeyExchange with a 1024-bit p,
 * ServerHelloDone, all in one record. */
static void tls12_flight_ex(struct bb *out, unsigned suite, const char *hint);

static void tls12_flight(struct bb *out)
{
	tls12_flight_ex(out, 0x009e, NULL);
}

/* The same flight for any suite; hint != NULL puts a PSK identity hint
 * before the DH parameters (DHE_PSK, RFC 4279). */
static void tls12_flight_ex(struct bb *out, unsigned suite, const char *hint)
{
	struct bb ext = {0}, sh = {0}, cert = {0}, ske = {0}, done = {0},
	          hs = {0};
	size_t i;

	b16(&ext, 0xff01);
	b16(&ext, 1);
	b8(&ext, 0);
	b16(&ext, 15);
	b16(&ext, 1);
	b8(&ext, 1);
	b16(&ext, 16);
	b16(&ext, 5);
	b16(&ext, 3);
	b8(&ext, 2);
	bmem(&ext, "h2", 2);
	sh_body(&sh, 0x0303, NULL, suite, 0, &ext);
	b24(&cert, 8);
	b24(&cert, 5);
	bmem(&cert, "\x30\x03\x02\x01\x00", 5);
	if (hint != NULL) {
		b16(&ske, (unsigned)strlen(hint));
		bmem(&ske, hint, strlen(hint));
	}
	b16(&ske, 128);
	b8(&ske, 0x80);
	for (i = 1; i < 128; i++)
		b8(&ske, 0xff);
	b16(&ske, 1);
	b8(&ske, 2);
	hs_msg(&hs, 2, &sh);
	hs_msg(&hs, 11, &cert);
	hs_msg(&hs, 12, &ske);
	hs_msg(&hs, 14, &done);
	record(out, 22, 0x0303, &hs);
}

START_TEST(test_parse_tls12_flight)
{
	struct bb f = {0};
	struct tls_resp r;

	memset(&r, 0, sizeof(r));
	tls12_flight(&f);
	ck_assert_int_eq(tls_parse(f.d, f.n, 0, &r), TLS_PARSE_DONE);
	ck_assert(r.server_hello);
	ck_assert(!r.hrr);
	ck_assert_uint_eq(r.version, 0x0303);
	ck_assert_uint_eq(r.suite, 0x009e);
	ck_assert(r.reneg_info);
	ck_assert(r.heartbeat);
	ck_assert_str_eq(r.alpn, "h2");
	ck_assert_uint_eq(r.n_certs, 1);
	ck_assert_uint_eq(r.cert_len[0], 5);
	ck_assert(r.ske);
	ck_assert_int_eq(r.dh_bits, 1024);
	ck_assert_uint_eq(r.dh_p_len, 128);
	ck_assert_uint_eq(r.hs[r.dh_p_off], 0x80);
	/* 0x80ff..ff is no published group */
	ck_assert_ptr_null(tls_dh_group_find(r.hs + r.dh_p_off, r.dh_p_len));
	ck_assert(r.done);
	tls_resp_clear(&r);
}
END_TEST

static size_t unhex(const char *h, uint8_t *out)
{
	size_t n = 0;

	for (; h[0] && h[1]; h += 2) {
		unsigned v = 0;
		ck_assert_int_eq(sscanf(h, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
	}
	return n;
}

/* The published DHE primes are named; a near miss is not. */
START_TEST(test_dh_groups)
{
	static const char oakley2[] =
	    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74"
	    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437"
	    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
	    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381FFFFFFFFFFFFFFFF";
	static const char socat[] =
	    "CC17F2DC96DF59A446C53E0EB826550CE388C1CEA7BCB3BF1694D8A945A2CEA9"
	    "5B22255F9259941C22BFCBC8C857CBBFBC0EE840F98703BF609B08C68E99C605"
	    "FC00D66D90A8F5F8D38D43C88F7ABDBB28AC04694A0B867337F06D4F04F6F5AF"
	    "BFAB8ECE75534D7F7D17780E12464AAF9599EFBCA6C54177437AB9EC8E073C6D";
	uint8_t p[128];
	const struct tls_dh_group *g;
	size_t n;

	n = unhex(oakley2, p);
	ck_assert_uint_eq(n, 128);
	g = tls_dh_group_find(p, n);
	ck_assert_ptr_nonnull(g);
	ck_assert_str_eq(g->name, "RFC 2409 Oakley group 2");
	ck_assert_int_eq(g->bits, 1024);
	ck_assert_int_eq(g->cls, TLS_DHG_COMMON);
	ck_assert_ptr_null(tls_dh_group_find(p, n - 1));
	p[64] ^= 1;
	ck_assert_ptr_null(tls_dh_group_find(p, n));
	n = unhex(socat, p);
	g = tls_dh_group_find(p, n);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(g->cls, TLS_DHG_NONPRIME);
	ck_assert_ptr_null(tls_dh_group_find(NULL, 0));
}
END_TEST

/* DHE_PSK: the identity hint before the DH parameters is skipped. */
START_TEST(test_parse_dhe_psk_ske)
{
	static struct bb f, g;
	struct tls_resp r;

	memset(&r, 0, sizeof(r));
	tls12_flight_ex(&f, 0x00aa, "hint");
	ck_assert_int_eq(tls_parse(f.d, f.n, 0, &r), TLS_PARSE_DONE);
	ck_assert(r.ske);
	ck_assert_int_eq(r.dh_bits, 1024);
	tls_resp_clear(&r);
	memset(&r, 0, sizeof(r));
	tls12_flight_ex(&g, 0x00aa, "");
	ck_assert_int_eq(tls_parse(g.d, g.n, 0, &r), TLS_PARSE_DONE);
	ck_assert_int_eq(r.dh_bits, 1024);
	tls_resp_clear(&r);
}
END_TEST

/* Every prefix of a valid flight: MORE (never DONE, never a crash). */
START_TEST(test_parse_truncated)
{
	struct bb f = {0};
	struct tls_resp r;
	size_t n;
	int rc;

	memset(&r, 0, sizeof(r));
	tls12_flight(&f);
	for (n = 0; n < f.n; n++) {
		rc = tls_parse(f.d, n, 0, &r);
		ck_assert_msg(rc == TLS_PARSE_MORE, "prefix %zu gave %d", n,
		              rc);
	}
	tls_resp_clear(&r);
}
END_TEST

START_TEST(test_parse_split_records)
{
	struct bb f = {0}, out = {0}, part = {0};
	struct tls_resp r;
	size_t off = 5, n;

	memset(&r, 0, sizeof(r));
	tls12_flight(&f);
	/* re-fragment the handshake bytes into 7-byte records */
	while (off < f.n) {
		n = f.n - off < 7 ? f.n - off : 7;
		part.n = 0;
		bmem(&part, f.d + off, n);
		record(&out, 22, 0x0303, &part);
		off += n;
	}
	ck_assert_int_eq(tls_parse(out.d, out.n, 0, &r), TLS_PARSE_DONE);
	ck_assert_uint_eq(r.suite, 0x009e);
	ck_assert_int_eq(r.dh_bits, 1024);
	ck_assert(r.done);
	tls_resp_clear(&r);
}
END_TEST

START_TEST(test_parse_record_too_long)
{
	uint8_t b[] = {22, 3, 3, 0x48, 0x01, 2, 0, 0};
	struct tls_resp r;

	memset(&r, 0, sizeof(r));
	/* 0x4801 = 18433 > 2^14 + 2048 */
	ck_assert_int_eq(tls_parse(b, sizeof(b), 0, &r), TLS_PARSE_BAD);
	tls_resp_clear(&r);
}
END_TEST

START_TEST(test_parse_record_beyond_data)
{
	uint8_t b[] = {22, 3, 3, 0x01, 0x00, 2, 0, 0, 70, 3, 3};
	struct tls_resp r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(tls_parse(b, sizeof(b), 0, &r), TLS_PARSE_MORE);
	ck_assert(!r.server_hello);
	tls_resp_clear(&r);
}
END_TEST

START_TEST(test_parse_handshake_beyond_record)
{
	/* record of 4 bytes holding a handshake header claiming 0x10000 */
	uint8_t b[] = {22, 3, 3, 0, 4, 2, 1, 0, 0};
	struct tls_resp r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(tls_parse(b, sizeof(b), 0, &r), TLS_PARSE_MORE);
	ck_assert(!r.server_hello);
	/* and a claimed length beyond our limit is malformed */
	b[6] = 0x7f;
	ck_assert_int_eq(tls_parse(b, sizeof(b), 0, &r), TLS_PARSE_BAD);
	tls_resp_clear(&r);
}
END_TEST

START_TEST(test_parse_extensions_overrun)
{
	struct bb ext = {0}, sh = {0}, hs = {0}, f = {0};
	struct tls_resp r;

	memset(&r, 0, sizeof(r));
	b16(&ext, 0xff01);
	b16(&ext, 9); /* claims 9 bytes, has 1 */
	b8(&ext, 0);
	sh_body(&sh, 0x0303, NULL, 0x002f, 0, &ext);
	hs_msg(&hs, 2, &sh);
	record(&f, 22, 0x0303, &hs);
	ck_assert_int_eq(tls_parse(f.d, f.n, 0, &r), TLS_PARSE_BAD);
	/* extensions block length disagreeing with the body */
	f.n = 0;
	hs.n = 0;
	sh.n = 0;
	sh_body(&sh, 0x0303, NULL, 0x002f, 0, &ext);
	sh.d[38] = 0; /* ext_len high byte */
	sh.d[39] = 2;
	hs_msg(&hs, 2, &sh);
	record(&f, 22, 0x0303, &hs);
	ck_assert_int_eq(tls_parse(f.d, f.n, 0, &r), TLS_PARSE_BAD);
	tls_resp_clear(&r);
}
END_TEST

START_TEST(test_parse_zero_length)
{
	uint8_t hs0[] = {22, 3, 3, 0, 0};
	uint8_t al0[] = {21, 3, 3, 0, 0};
	uint8_t sh0[] = {22, 3, 3, 0, 4, 2, 0, 0, 0};
	struct tls_resp r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(tls_parse(hs0, sizeof(hs0), 0, &r), TLS_PARSE_BAD);
	ck_assert_int_eq(tls_parse(al0, sizeof(al0), 0, &r), TLS_PARSE_BAD);
	ck_assert_int_eq(tls_parse(sh0, sizeof(sh0), 0, &r), TLS_PARSE_BAD);
	ck_assert_int_eq(tls_parse(NULL, 0, 0, &r), TLS_PARSE_MORE);
	tls_resp_clear(&r);
}
END_TEST

START_TEST(test_parse_alert)
{
	uint8_t b[] = {21, 3, 1, 0, 2, 2, 40};
	uint8_t fb[] = {21, 3, 3, 0, 2, 2, 86};
	struct tls_resp r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(tls_parse(b, sizeof(b), 0, &r), TLS_PARSE_DONE);
	ck_assert(r.alert);
	ck_assert_int_eq(r.alert_level, 2);
	ck_assert_int_eq(r.alert_desc, 40);
	ck_assert_str_eq(tls_alert_name(r.alert_desc), "handshake_failure");
	ck_assert_int_eq(tls_parse(fb, sizeof(fb), 0, &r), TLS_PARSE_DONE);
	ck_assert_str_eq(tls_alert_name(r.alert_desc),
	                 "inappropriate_fallback");
	/* half an alert */
	ck_assert_int_eq(tls_parse(b, 6, 0, &r), TLS_PARSE_MORE);
	tls_resp_clear(&r);
}
END_TEST

START_TEST(test_parse_hrr)
{
	struct bb ext = {0}, sh = {0}, hs = {0}, f = {0};
	struct tls_resp r;

	memset(&r, 0, sizeof(r));
	b16(&ext, 43);
	b16(&ext, 2);
	b16(&ext, 0x0304);
	b16(&ext, 51);
	b16(&ext, 2);
	b16(&ext, 24);
	sh_body(&sh, 0x0303, hrr_rand, 0x1302, 0, &ext);
	hs_msg(&hs, 2, &sh);
	record(&f, 22, 0x0303, &hs);
	ck_assert_int_eq(tls_parse(f.d, f.n, 0, &r), TLS_PARSE_DONE);
	ck_assert(r.hrr);
	ck_assert_uint_eq(r.version, 0x0304);
	ck_assert_uint_eq(r.group, 24);
	ck_assert_uint_eq(r.suite, 0x1302);
	/* a HRR key_share with a key is malformed */
	ext.n = 0;
	b16(&ext, 43);
	b16(&ext, 2);
	b16(&ext, 0x0304);
	b16(&ext, 51);
	b16(&ext, 4);
	b16(&ext, 29);
	b16(&ext, 0);
	sh.n = hs.n = f.n = 0;
	sh_body(&sh, 0x0303, hrr_rand, 0x1302, 0, &ext);
	hs_msg(&hs, 2, &sh);
	record(&f, 22, 0x0303, &hs);
	ck_assert_int_eq(tls_parse(f.d, f.n, 0, &r), TLS_PARSE_BAD);
	tls_resp_clear(&r);
}
END_TEST

START_TEST(test_parse_tls13_sh)
{
	struct bb ext = {0}, sh = {0}, hs = {0}, f = {0}, enc = {0};
	struct tls_resp r;
	size_t i;

	memset(&r, 0, sizeof(r));
	b16(&ext, 43);
	b16(&ext, 2);
	b16(&ext, 0x0304);
	b16(&ext, 51);
	b16(&ext, 36);
	b16(&ext, 29);
	b16(&ext, 32);
	for (i = 0; i < 32; i++)
		b8(&ext, 9);
	sh_body(&sh, 0x0303, NULL, 0x1301, 0, &ext);
	hs_msg(&hs, 2, &sh);
	record(&f, 22, 0x0303, &hs);
	for (i = 0; i < 40; i++)
		b8(&enc, 0xAA);
	record(&f, 23, 0x0303, &enc);
	ck_assert_int_eq(tls_parse(f.d, f.n, 0, &r), TLS_PARSE_DONE);
	ck_assert(!r.hrr);
	ck_assert_uint_eq(r.version, 0x0304);
	ck_assert_uint_eq(r.group, 29);
	tls_resp_clear(&r);
}
END_TEST

START_TEST(test_parse_not_tls)
{
	const char *http = "HTTP/1.1 400 Bad Request\r\n\r\n";
	const char *smtp = "220 mail ESMTP\r\n";
	uint8_t badver[] = {22, 2, 0, 0, 1, 0};
	struct tls_resp r;

	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(tls_parse((const uint8_t *)http, strlen(http), 0, &r),
	                 TLS_PARSE_BAD);
	ck_assert_int_eq(tls_parse((const uint8_t *)smtp, strlen(smtp), 0, &r),
	                 TLS_PARSE_BAD);
	ck_assert_int_eq(tls_parse(badver, sizeof(badver), 0, &r),
	                 TLS_PARSE_BAD);
	tls_resp_clear(&r);
}
END_TEST

START_TEST(test_parse_bad_certificate_msgs)
{
	struct bb sh = {0}, cert = {0}, hs = {0}, f = {0};
	struct tls_resp r;

	memset(&r, 0, sizeof(r));
	sh_body(&sh, 0x0303, NULL, 0x002f, 0, NULL);
	/* a zero-length certificate inside the list */
	b24(&cert, 3);
	b24(&cert, 0);
	hs_msg(&hs, 2, &sh);
	hs_msg(&hs, 11, &cert);
	record(&f, 22, 0x0303, &hs);
	ck_assert_int_eq(tls_parse(f.d, f.n, 0, &r), TLS_PARSE_BAD);
	/* list length disagreeing with the message */
	cert.n = hs.n = f.n = 0;
	b24(&cert, 50);
	b24(&cert, 1);
	b8(&cert, 0x30);
	hs_msg(&hs, 2, &sh);
	hs_msg(&hs, 11, &cert);
	record(&f, 22, 0x0303, &hs);
	ck_assert_int_eq(tls_parse(f.d, f.n, 0, &r), TLS_PARSE_BAD);
	/* a Certificate before any ServerHello */
	hs.n = f.n = 0;
	hs_msg(&hs, 11, &cert);
	record(&f, 22, 0x0303, &hs);
	ck_assert_int_eq(tls_parse(f.d, f.n, 0, &r), TLS_PARSE_BAD);
	/* two ServerHellos */
	hs.n = f.n = 0;
	hs_msg(&hs, 2, &sh);
	hs_msg(&hs, 2, &sh);
	record(&f, 22, 0x0303, &hs);
	ck_assert_int_eq(tls_parse(f.d, f.n, 0, &r), TLS_PARSE_BAD);
	tls_resp_clear(&r);
}
END_TEST

START_TEST(test_parse_sslv2)
{
	struct bb b = {0};
	struct tls_resp r;
	const uint8_t cert[] = {0x30, 0x03, 0x02, 0x01, 0x00};
	uint8_t garbage[] = {0x80, 0x20, 0x04, 0x00, 0x01};
	size_t len = 11 + sizeof(cert) + 6 + 16, i;

	memset(&r, 0, sizeof(r));
	b8(&b, 0x80 | (unsigned)(len >> 8));
	b8(&b, (unsigned)len);
	b8(&b, 4);
	b8(&b, 0);
	b8(&b, 1);
	b16(&b, 0x0002);
	b16(&b, sizeof(cert));
	b16(&b, 6);
	b16(&b, 16);
	bmem(&b, cert, sizeof(cert));
	b8(&b, 0x01);
	b16(&b, 0x0080);
	b8(&b, 0x07);
	b16(&b, 0x00c0);
	for (i = 0; i < 16; i++)
		b8(&b, 0x42);
	ck_assert_int_eq(tls_parse(b.d, b.n, 1, &r), TLS_PARSE_DONE);
	ck_assert(r.is_ssl2);
	ck_assert_uint_eq(r.n_ssl2_specs, 2);
	ck_assert_uint_eq(r.ssl2_specs[0], 0x010080);
	ck_assert_uint_eq(r.ssl2_specs[1], 0x0700c0);
	ck_assert_uint_eq(r.n_certs, 1);
	/* truncations */
	for (i = 0; i < b.n; i++)
		ck_assert_int_eq(tls_parse(b.d, i, 1, &r), TLS_PARSE_MORE);
	/* lengths that do not add up */
	b.d[10] = 0x7f;
	ck_assert_int_eq(tls_parse(b.d, b.n, 1, &r), TLS_PARSE_BAD);
	/* garbage with the SSLv2 high bit */
	ck_assert_int_eq(tls_parse(garbage, sizeof(garbage), 1, &r),
	                 TLS_PARSE_MORE);
	garbage[2] = 0x09;
	ck_assert_int_eq(tls_parse(garbage, sizeof(garbage), 1, &r),
	                 TLS_PARSE_BAD);
	tls_resp_clear(&r);
}
END_TEST

/* A flight beyond the parse limit: the ServerHello stands, the rest is
 * dropped; without a ServerHello it is refused. */
START_TEST(test_parse_oversized_flight)
{
	static uint8_t big[TLS_PARSE_LIMIT + 4096];
	struct bb sh = {0}, hs = {0};
	struct tls_resp r;
	size_t off = 0, chunk;

	memset(&r, 0, sizeof(r));
	sh_body(&sh, 0x0303, NULL, 0xc02f, 0, NULL);
	hs_msg(&hs, 2, &sh);
	memcpy(big, (uint8_t[]){22, 3, 3}, 3);
	big[3] = (uint8_t)(hs.n >> 8);
	big[4] = (uint8_t)hs.n;
	memcpy(big + 5, hs.d, hs.n);
	off = 5 + hs.n;
	/* then a Certificate message claiming 1 MiB, in full records */
	while (off + 5 + 16384 <= sizeof(big)) {
		chunk = 16384;
		big[off] = 22;
		big[off + 1] = 3;
		big[off + 2] = 3;
		big[off + 3] = (uint8_t)(chunk >> 8);
		big[off + 4] = (uint8_t)chunk;
		memset(big + off + 5, 0x0b, chunk);
		off += 5 + chunk;
	}
	ck_assert_int_eq(tls_parse(big, off, 0, &r), TLS_PARSE_DONE);
	ck_assert(r.server_hello);
	ck_assert(r.truncated);
	ck_assert_uint_eq(r.suite, 0xc02f);
	/* the same records without the ServerHello */
	ck_assert_int_eq(tls_parse(big + 5 + hs.n, off - 5 - hs.n, 0, &r),
	                 TLS_PARSE_BAD);
	tls_resp_clear(&r);
}
END_TEST

/* Random corruption of a valid flight never crashes or overreads. */
START_TEST(test_parse_fuzz)
{
	struct bb f = {0};
	uint8_t m[8192];
	struct tls_resp r;
	unsigned seed = 12345;
	int it, k;

	memset(&r, 0, sizeof(r));
	tls12_flight(&f);
	for (it = 0; it < 20000; it++) {
		memcpy(m, f.d, f.n);
		for (k = 0; k < 1 + it % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			m[(seed >> 8) % f.n] = (uint8_t)(seed >> 20);
		}
		seed = seed * 1103515245u + 12345u;
		(void)tls_parse(m, (seed >> 4) % (f.n + 1), it & 1, &r);
	}
	tls_resp_clear(&r);
}
END_TEST

static Suite *tls_suite(void)
{
	Suite *s = suite_create("tls_parse");
	TCase *tc = tcase_create("parser");

	tcase_add_test(tc, test_parse_tls12_flight);
	tcase_add_test(tc, test_parse_dhe_psk_ske);
	tcase_add_test(tc, test_dh_groups);
	tcase_add_test(tc, test_parse_truncated);
	tcase_add_test(tc, test_parse_split_records);
	tcase_add_test(tc, test_parse_record_too_long);
	tcase_add_test(tc, test_parse_record_beyond_data);
	tcase_add_test(tc, test_parse_handshake_beyond_record);
	tcase_add_test(tc, test_parse_extensions_overrun);
	tcase_add_test(tc, test_parse_zero_length);
	tcase_add_test(tc, test_parse_alert);
	tcase_add_test(tc, test_parse_hrr);
	tcase_add_test(tc, test_parse_tls13_sh);
	tcase_add_test(tc, test_parse_not_tls);
	tcase_add_test(tc, test_parse_bad_certificate_msgs);
	tcase_add_test(tc, test_parse_sslv2);
	tcase_add_test(tc, test_parse_oversized_flight);
	tcase_add_test(tc, test_parse_fuzz);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tls_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
