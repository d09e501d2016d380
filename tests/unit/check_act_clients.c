/*
 * Unit tests of report/act_clients.c: the client simulation's recorded
 * property ("client.NAME" = "PROTOCOL SUITE [GROUP]" or "no connection
 * (WHY)") split for the act, each reason worded in kk, ru and en, and
 * recorded values that are malformed, truncated or oversized (a run
 * record read from disk is input like any other).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act_clients.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/util.h"

#define I18N_DIR CX_TEST_DATA "/../../profiles/i18n"

static int parse(const char *name, const char *value, struct act_client *c)
{
	struct cx_prop p = {(char *)name, (char *)value};

	return act_client_parse(&p, c);
}

START_TEST(test_connected)
{
	struct act_client c;

	ck_assert_int_eq(parse("client.Chrome 120+",
	                       "TLSv1.3 TLS_AES_256_GCM_SHA384 x25519", &c),
	                 1);
	ck_assert_str_eq(c.name, "Chrome 120+");
	ck_assert_int_eq(c.connected, 1);
	ck_assert_str_eq(c.proto, "TLSv1.3");
	ck_assert_str_eq(c.suite, "TLS_AES_256_GCM_SHA384");
	ck_assert_str_eq(c.group, "x25519");
	/* no group (RSA key exchange) */
	ck_assert_int_eq(parse("client.Java 8u291+",
	                       "TLSv1.2 TLS_RSA_WITH_AES_128_GCM_SHA256", &c),
	                 1);
	ck_assert_str_eq(c.suite, "TLS_RSA_WITH_AES_128_GCM_SHA256");
	ck_assert_str_eq(c.group, "");
	/* a suite the registry does not name, with and without a group */
	ck_assert_int_eq(parse("client.X", "TLSv1.2 unknown suite", &c), 1);
	ck_assert_str_eq(c.suite, "");
	ck_assert_str_eq(c.group, "");
	ck_assert_int_eq(
	    parse("client.X", "TLSv1.2 unknown suite secp256r1", &c), 1);
	ck_assert_str_eq(c.suite, "");
	ck_assert_str_eq(c.group, "secp256r1");
	/* a protocol alone */
	ck_assert_int_eq(parse("client.X", "TLSv1.2", &c), 1);
	ck_assert_str_eq(c.proto, "TLSv1.2");
	ck_assert_str_eq(c.suite, "");
}
END_TEST

START_TEST(test_reasons)
{
	struct act_client c;

	ck_assert_int_eq(
	    parse(
	        "client.Chrome 120+",
	        "no connection (server chose TLSv1.0, outside TLSv1.2-TLSv1.3)",
	        &c),
	    1);
	ck_assert_int_eq(c.connected, 0);
	ck_assert_str_eq(c.why_id, "act.a.client.why.outside");
	ck_assert_str_eq(c.why[0], "TLSv1.0");
	ck_assert_str_eq(c.why[1], "TLSv1.2");
	ck_assert_str_eq(c.why[2], "TLSv1.3");
	ck_assert_int_eq(parse("client.X",
	                       "no connection (server chose an unknown "
	                       "version, outside TLSv1.0-TLSv1.2)",
	                       &c),
	                 1);
	ck_assert_str_eq(c.why[0], "?");
	ck_assert_int_eq(
	    parse("client.X",
	          "no connection (server chose suite 0xc030, not offered)", &c),
	    1);
	ck_assert_str_eq(c.why_id, "act.a.client.why.suite");
	ck_assert_str_eq(c.why[0], "0xc030");
	ck_assert_int_eq(parse("client.OpenSSL 3.x",
	                       "no connection (DH prime of 1024 bits, the "
	                       "client needs 2048)",
	                       &c),
	                 1);
	ck_assert_str_eq(c.why_id, "act.a.client.why.dh");
	ck_assert_str_eq(c.why[0], "1024");
	ck_assert_str_eq(c.why[1], "2048");
	ck_assert_int_eq(
	    parse("client.X", "no connection (no ServerHello)", &c), 1);
	ck_assert_str_eq(c.why_id, "act.a.client.why.no-hello");
	/* an alert name or an error as received: shown as recorded */
	ck_assert_int_eq(
	    parse("client.X", "no connection (handshake_failure)", &c), 1);
	ck_assert_str_eq(c.why_id, "act.a.client.why.refused");
	ck_assert_str_eq(c.why[0], "handshake_failure");
	ck_assert_int_eq(parse("client.X", "no connection (ECONNREFUSED)", &c),
	                 1);
	ck_assert_str_eq(c.why[0], "ECONNREFUSED");
}
END_TEST

START_TEST(test_malformed)
{
	struct act_client c;
	char big[1200];

	/* not a client's property */
	ck_assert_int_eq(parse("grade", "A", &c), 0);
	ck_assert_int_eq(parse("client.", "TLSv1.2", &c), 0);
	ck_assert_int_eq(parse("clien", "TLSv1.2", &c), 0);
	ck_assert_int_eq(parse(NULL, "TLSv1.2", &c), 0);
	/* no value, an empty one */
	ck_assert_int_eq(parse("client.X", NULL, &c), 1);
	ck_assert_int_eq(c.connected, 0);
	ck_assert_str_eq(c.why_id, "act.a.client.why.refused");
	ck_assert_int_eq(parse("client.X", "", &c), 1);
	ck_assert_int_eq(c.connected, 0);
	/* truncated reasons: no closing parenthesis, empty, cut shapes */
	ck_assert_int_eq(parse("client.X", "no connection (", &c), 1);
	ck_assert_int_eq(c.connected, 0);
	ck_assert_str_eq(c.why_id, "act.a.client.why.refused");
	ck_assert_str_eq(c.why[0], " (");
	ck_assert_int_eq(parse("client.X", "no connection", &c), 1);
	ck_assert_int_eq(c.connected, 0);
	ck_assert_str_eq(c.why[0], "");
	ck_assert_int_eq(parse("client.X", "no connection ()", &c), 1);
	ck_assert_str_eq(c.why_id, "act.a.client.why.refused");
	ck_assert_str_eq(c.why[0], "");
	ck_assert_int_eq(
	    parse("client.X", "no connection (server chose TLSv1.0)", &c), 1);
	ck_assert_str_eq(c.why_id, "act.a.client.why.refused");
	ck_assert_int_eq(
	    parse("client.X", "no connection (server chose suite 0x1)", &c), 1);
	ck_assert_str_eq(c.why_id, "act.a.client.why.refused");
	ck_assert_int_eq(parse("client.X", "no connection (DH prime of )", &c),
	                 1);
	ck_assert_str_eq(c.why_id, "act.a.client.why.refused");
	ck_assert_int_eq(
	    parse("client.X", "no connection (server chose , outside -)", &c),
	    1);
	ck_assert_str_eq(c.why_id, "act.a.client.why.outside");
	ck_assert_str_eq(c.why[0], "");
	ck_assert_str_eq(c.why[1], "");
	/* oversized parts are cut to their buffers, NUL-terminated */
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ck_assert_int_eq(parse("client.X", big, &c), 1);
	ck_assert_uint_eq(strlen(c.proto), sizeof(c.proto) - 1);
	memcpy(big, "TLSv1.2 ", 8);
	ck_assert_int_eq(parse("client.X", big, &c), 1);
	ck_assert_str_eq(c.proto, "TLSv1.2");
	ck_assert_uint_eq(strlen(c.suite), sizeof(c.suite) - 1);
	memcpy(big, "no connection (", 15);
	big[sizeof(big) - 2] = ')';
	ck_assert_int_eq(parse("client.X", big, &c), 1);
	ck_assert_str_eq(c.why_id, "act.a.client.why.refused");
	ck_assert_uint_eq(strlen(c.why[0]), sizeof(c.why[0]) - 1);
}
END_TEST

/* Every reason worded in each language, no placeholder left unfilled. */
START_TEST(test_words)
{
	static const char *const langs[] = {"kk", "ru", "en"};
	static const char *const vals[] = {
	    "no connection (server chose TLSv1.0, outside TLSv1.2-TLSv1.3)",
	    "no connection (server chose suite 0xc030, not offered)",
	    "no connection (DH prime of 1024 bits, the client needs 2048)",
	    "no connection (no ServerHello)",
	    "no connection (protocol_version)",
	    "TLSv1.2 unknown suite"};
	size_t i, k;

	for (i = 0; i < CX_ARRAY_LEN(langs); i++) {
		struct cx_catalog *cat = NULL;
		struct cx_diags d = {0};
		struct cx_act act;

		ck_assert_int_eq(
		    cx_catalog_load_lang(I18N_DIR, langs[i], &cat, &d), CX_OK);
		memset(&act, 0, sizeof(act));
		act.cat = cat;
		for (k = 0; k < CX_ARRAY_LEN(vals); k++) {
			struct act_client c;
			struct cx_buf b = {0};
			ck_assert_int_eq(parse("client.X", vals[k], &c), 1);
			ck_assert_int_eq(act_client_text(&act, &c, &b), CX_OK);
			ck_assert_msg(b.data != NULL && b.len > 0, "%s %s",
			              langs[i], vals[k]);
			ck_assert_msg(strchr(b.data, '{') == NULL &&
			                  strchr(b.data, '[') == NULL,
			              "%s: %s -> %s", langs[i], vals[k],
			              b.data);
			/* the act's words, not the recorded English */
			if (strcmp(langs[i], "en") != 0)
				ck_assert_msg(
				    strstr(b.data, "no connection") == NULL &&
				        strstr(b.data, "server chose") == NULL,
				    "%s: %s", langs[i], b.data);
			cx_buf_free(&b);
		}
		cx_catalog_free(cat);
		cx_diags_free(&d);
	}
}
END_TEST

static Suite *clients_suite(void)
{
	Suite *s = suite_create("act_clients");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_connected);
	tcase_add_test(tc, test_reasons);
	tcase_add_test(tc, test_malformed);
	tcase_add_test(tc, test_words);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(clients_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
