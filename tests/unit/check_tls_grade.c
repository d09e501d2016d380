/*
 * Unit tests of what the tls check computes rather than parses: the
 * ClientHello (TLS and SSLv2) and ROBOT premaster builders, the
 * cipher-suite registry and the grading algorithm.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/util.h"
#include "tls_int.h"

static int contains(const char *h, size_t hn, const char *n)
{
	size_t i, nl = strlen(n);

	for (i = 0; i + nl <= hn; i++)
		if (memcmp(h + i, n, nl) == 0)
			return 1;
	return 0;
}

START_TEST(test_build_hello)
{
	struct cx_buf b = {0};
	struct tls_hello_opts o;
	uint16_t suites[] = {0x1301, 0xc02f, 0x002f};
	uint32_t specs[] = {0x010080, 0x0700c0};
	const uint8_t *p;
	size_t rlen, hlen;

	memset(&o, 0, sizeof(o));
	o.version = TLS_V_TLS12;
	o.suites = suites;
	o.n_suites = 3;
	o.sni = "example.org";
	o.alpn = "h2,http/1.1";
	o.tls13 = 1;
	o.deflate = 1;
	ck_assert_int_eq(tls_build_hello(&b, &o), 0);
	p = (const uint8_t *)b.data;
	ck_assert_uint_eq(p[0], 22);
	rlen = ((size_t)p[3] << 8) | p[4];
	ck_assert_uint_eq(rlen + 5, b.len);
	ck_assert_uint_eq(p[5], 1);
	hlen = ((size_t)p[6] << 16) | ((size_t)p[7] << 8) | p[8];
	ck_assert_uint_eq(hlen + 4, rlen);
	ck_assert_uint_ge(hlen, 508); /* padded out of 256..511 */
	ck_assert_uint_eq(((unsigned)p[9] << 8) | p[10], 0x0303);
	ck_assert(contains(b.data, b.len, "example.org"));
	ck_assert(contains(b.data, b.len, "http/1.1"));
	cx_buf_free(&b);
	/* invalid options */
	o.n_suites = 0;
	ck_assert_int_eq(tls_build_hello(&b, &o), CX_EINVAL);
	o.n_suites = 3;
	o.version = TLS_V_TLS13;
	ck_assert_int_eq(tls_build_hello(&b, &o), CX_EINVAL);
	cx_buf_free(&b);
	ck_assert_int_eq(tls_build_sslv2_hello(&b, specs, 2), 0);
	p = (const uint8_t *)b.data;
	ck_assert_uint_eq(p[0] & 0x80, 0x80);
	ck_assert_uint_eq((((size_t)p[0] & 0x7f) << 8 | p[1]) + 2, b.len);
	ck_assert_uint_eq(p[2], 1);
	ck_assert_uint_eq(((unsigned)p[5] << 8) | p[6], 6);
	cx_buf_free(&b);
}
END_TEST

START_TEST(test_registry)
{
	const struct tls_suite *s;
	size_t i;

	ck_assert_uint_gt(tls_suite_count(), 300);
	for (i = 1; i < tls_suite_count(); i++)
		ck_assert_uint_lt(tls_suite_at(i - 1)->code,
		                  tls_suite_at(i)->code);
	s = tls_suite_find(0x002f);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->name, "TLS_RSA_WITH_AES_128_CBC_SHA");
	ck_assert(s->flags & TLS_SF_CBC);
	ck_assert(!(s->flags & (TLS_SF_FS | TLS_SF_FORBIDDEN)));
	ck_assert_int_eq(s->bits, 128);
	s = tls_suite_find(0x0005);
	ck_assert(s->flags & TLS_SF_RC4);
	s = tls_suite_find(0x000a);
	ck_assert(s->flags & TLS_SF_3DES);
	ck_assert(s->flags & TLS_SF_BLOCK64);
	ck_assert_int_eq(s->bits, 112);
	s = tls_suite_find(0x0003);
	ck_assert(s->flags & TLS_SF_EXPORT);
	ck_assert(s->flags & TLS_SF_MD5);
	s = tls_suite_find(0x0018);
	ck_assert(s->flags & TLS_SF_ANON);
	ck_assert(!(s->flags & TLS_SF_FS));
	s = tls_suite_find(0x0000);
	ck_assert(s->flags & TLS_SF_NULL);
	s = tls_suite_find(0x1301);
	ck_assert(s->flags & TLS_SF_TLS13);
	ck_assert(s->flags & TLS_SF_AEAD);
	ck_assert(s->flags & TLS_SF_FS);
	s = tls_suite_find(0xc02f);
	ck_assert_str_eq(s->name, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
	ck_assert((s->flags & (TLS_SF_FS | TLS_SF_AEAD)) ==
	          (TLS_SF_FS | TLS_SF_AEAD));
	s = tls_suite_find(0xc103);
	ck_assert_ptr_nonnull(s);
	ck_assert(s->flags & TLS_SF_GOST);
	ck_assert(s->flags & TLS_SF_TLS13);
	s = tls_suite_find(0xc101);
	ck_assert(s->flags & TLS_SF_BLOCK64);
	s = tls_suite_find(0x1000000u | 0x0700c0);
	ck_assert_ptr_nonnull(s);
	ck_assert(s->flags & TLS_SF_SSL2);
	ck_assert_ptr_null(tls_suite_find(0xabcd));
	ck_assert_ptr_eq(tls_suite_by_name("ECDHE-RSA-AES128-GCM-SHA256"),
	                 tls_suite_find(0xc02f));
	ck_assert_ptr_null(tls_suite_by_name("NO-SUCH-SUITE"));
	ck_assert_str_eq(tls_group_name(TLS_G_X25519), "x25519");
	ck_assert_int_eq(tls_group_bits(TLS_G_FFDHE3072), 3072);
	ck_assert_int_eq(tls_proto_index(0x0303), 4);
	ck_assert_str_eq(tls_proto_name(0), "SSLv2");
	ck_assert_int_eq(tls_proto_index(0x0305), -1);
}
END_TEST

/* The grading algorithm, table-driven. */
struct grade_case {
	const char *name;
	int protos; /* bit i = protocol index i */
	int kx, minb, maxb;
	int exp, anon, rc4, b64, fs_all, fs_any, aead, hb, sslv3cbc;
	int untrusted, mismatch;
	const char *grade;
	const char *trust;
};

static const struct grade_case grade_cases[] = {
    {"modern", 0x30, 3072, 128, 256, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, "A", ""},
    {"modern untrusted", 0x30, 3072, 128, 256, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0,
     "A", "T"},
    {"mismatch", 0x10, 3072, 128, 256, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1, "A",
     "M"},
    {"tls10", 0x1c, 2048, 128, 256, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, "B", ""},
    {"no fs", 0x10, 2048, 128, 256, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, "B", ""},
    {"some non-fs", 0x10, 2048, 128, 256, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, "A-",
     ""},
    {"3des", 0x10, 2048, 112, 256, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, "B", ""},
    {"only tls10", 0x04, 2048, 128, 256, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, "C",
     ""},
    {"sslv3 poodle", 0x16, 2048, 128, 256, 0, 0, 0, 0, 1, 1, 1, 0, 1, 0, 0, "C",
     ""},
    {"rc4", 0x10, 2048, 128, 256, 0, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, "C", ""},
    {"sslv2", 0x11, 2048, 128, 256, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, "F", ""},
    {"export", 0x10, 512, 40, 256, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, "F", ""},
    {"anon", 0x10, 0, 128, 256, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, "F", ""},
    {"heartbleed", 0x10, 2048, 128, 256, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, "F",
     ""},
};

START_TEST(test_grade_table)
{
	const struct grade_case *c = &grade_cases[_i];
	struct tls_grade_in in;
	struct tls_grade_out out;
	int i;

	memset(&in, 0, sizeof(in));
	for (i = 0; i < TLS_NPROTO; i++)
		in.proto[i] = (c->protos >> i) & 1;
	in.min_kx_bits = c->kx;
	in.cert_key_bits = c->kx > 0 ? c->kx : 2048;
	in.min_cipher_bits = c->minb;
	in.max_cipher_bits = c->maxb;
	in.export_suites = c->exp;
	in.anon_suites = c->anon;
	in.rc4 = c->rc4;
	in.rc4_modern = c->rc4;
	in.block64 = c->b64;
	in.fs_all = c->fs_all;
	in.fs_any = c->fs_any;
	in.aead_any = c->aead;
	in.heartbleed = c->hb;
	in.poodle = c->sslv3cbc;
	in.untrusted = c->untrusted;
	in.hostname_mismatch = c->mismatch;
	tls_grade(&in, &out);
	ck_assert_msg(strcmp(out.grade, c->grade) == 0,
	              "%s: grade %s, want %s (caps: %s)", c->name, out.grade,
	              c->grade, out.caps);
	ck_assert_str_eq(out.trust, c->trust);
	ck_assert_int_ge(out.score, 0);
	ck_assert_int_le(out.score, 100);
}
END_TEST

/* TLS 1.2 and 1.3, 3072-bit key exchange, a 2048-bit key, AEAD with FS:
 * grade A with no cap. */
static void good_config(struct tls_grade_in *in)
{
	memset(in, 0, sizeof(*in));
	in->proto[4] = in->proto[5] = 1;
	in->min_kx_bits = 3072;
	in->cert_key_bits = 2048;
	in->min_cipher_bits = 128;
	in->max_cipher_bits = 256;
	in->fs_all = in->fs_any = in->aead_any = 1;
}

START_TEST(test_grade_scores)
{
	struct tls_grade_in in;
	struct tls_grade_out out;

	memset(&in, 0, sizeof(in));
	tls_grade(&in, &out);
	ck_assert_str_eq(out.grade, "-");
	good_config(&in);
	tls_grade(&in, &out);
	ck_assert_int_eq(out.proto_score, 100);
	ck_assert_int_eq(out.kx_score, 90);
	ck_assert_int_eq(out.cipher_score, 90);
	ck_assert_int_eq(out.score, 93); /* 30 + 27 + 36 */
	in.proto[2] = 1;                 /* TLS 1.0: (100 + 90) / 2 = 95 */
	tls_grade(&in, &out);
	ck_assert_int_eq(out.proto_score, 95);
	ck_assert_str_eq(out.grade, "B");
	ck_assert(strstr(out.caps, "TLS 1.0") != NULL);
}
END_TEST

/*
 * certexam-tls-grade/3: Ticketbleed caps at F; the ticket lifetime does not
 * touch the grade (TLS-14 is a finding of its own).
 */
START_TEST(test_grade_ticketbleed)
{
	struct tls_grade_in in;
	struct tls_grade_out out;

	good_config(&in);
	tls_grade(&in, &out);
	ck_assert_str_eq(out.grade, "A");
	ck_assert_str_eq(out.caps, "");
	in.ticketbleed = 1;
	tls_grade(&in, &out);
	ck_assert_str_eq(out.grade, "F");
	ck_assert_str_eq(out.caps, "F: Ticketbleed");
}
END_TEST

/*
 * certexam-tls-grade/2: a SHA-1 signature caps at B, MD5 at F; a root that
 * is only unknown here is trust T without any cap, an incomplete chain B.
 */
START_TEST(test_grade_cert_caps)
{
	struct tls_grade_in in;
	struct tls_grade_out out;

	good_config(&in);
	in.untrusted = 1;
	tls_grade(&in, &out);
	ck_assert_str_eq(out.grade, "A");
	ck_assert_str_eq(out.trust, "T");
	ck_assert_str_eq(out.caps, "");
	in.chain_incomplete = 1;
	tls_grade(&in, &out);
	ck_assert_str_eq(out.grade, "B");
	ck_assert_str_eq(out.caps, "B: incomplete certificate chain");
	in.chain_incomplete = 0;
	in.sha1_sig = 1;
	tls_grade(&in, &out);
	ck_assert_str_eq(out.grade, "B");
	ck_assert_str_eq(out.caps, "B: SHA-1 certificate signature");
	in.weak_sig = 1;
	tls_grade(&in, &out);
	ck_assert_str_eq(out.grade, "F");
	ck_assert_str_eq(TLS_GRADE_ALGO, "certexam-tls-grade/3");
}
END_TEST

/* The five ROBOT premaster blocks differ exactly as intended. */
START_TEST(test_robot_pms)
{
	uint8_t m[256];
	size_t k = sizeof(m), pad = k - 51, i;
	int v, zeros;

	ck_assert_int_eq(tls_robot_pms(m, 32, 0x0303, 0), CX_EINVAL);
	ck_assert_int_eq(tls_robot_pms(m, k, 0x0303, 5), CX_EINVAL);
	for (v = 0; v < TLS_ROBOT_VARIANTS; v++) {
		ck_assert_int_eq(tls_robot_pms(m, k, 0x0303, v), 0);
		zeros = 0;
		for (i = 2; i < 2 + pad; i++)
			zeros += m[i] == 0;
		switch (v) {
		case 0:
			ck_assert(m[0] == 0 && m[1] == 2);
			ck_assert_int_eq(zeros, 0);
			ck_assert_uint_eq(m[2 + pad], 0);
			ck_assert(m[3 + pad] == 3 && m[4 + pad] == 3);
			break;
		case 1:
			ck_assert(m[0] == 0x41 && m[1] == 0x17);
			break;
		case 2:
			ck_assert_uint_eq(m[10], 0);
			ck_assert_uint_ne(m[2 + pad], 0);
			break;
		case 3:
			ck_assert_int_eq(zeros, 0);
			ck_assert_uint_ne(m[2 + pad], 0);
			break;
		case 4:
			ck_assert_uint_eq(m[2 + pad], 0);
			ck_assert(m[3 + pad] == 2 && m[4 + pad] == 2);
			break;
		}
	}
	/* a non-certificate is refused */
	{
		struct cx_buf b = {0};
		const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01, 0x00};
		ck_assert_int_eq(
		    tls_robot_build(junk, sizeof(junk), 0x0303, 0, &b),
		    CX_EINVAL);
		ck_assert_uint_eq(b.len, 0);
		cx_buf_free(&b);
	}
}
END_TEST

static Suite *tls_grade_suite(void)
{
	Suite *s = suite_create("tls_grade");
	TCase *tc = tcase_create("builder");

	tcase_add_test(tc, test_build_hello);
	tcase_add_test(tc, test_robot_pms);
	suite_add_tcase(s, tc);
	tc = tcase_create("registry");
	tcase_add_test(tc, test_registry);
	suite_add_tcase(s, tc);
	tc = tcase_create("grade");
	tcase_add_loop_test(tc, test_grade_table, 0,
	                    (int)CX_ARRAY_LEN(grade_cases));
	tcase_add_test(tc, test_grade_scores);
	tcase_add_test(tc, test_grade_cert_caps);
	tcase_add_test(tc, test_grade_ticketbleed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tls_grade_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
