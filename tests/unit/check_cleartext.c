/*
 * certexam — unit tests for the cleartext-credentials parser and verdict
 * (checks/cleartext_parse.c): IMAP, POP3 and SMTP replies as servers send
 * them, split anywhere, malformed, oversize and with NUL bytes; and the
 * verdict for every combination of login offered and STARTTLS.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/util.h"
#include "cleartext.h"

struct pcase {
	enum ct_proto proto;
	enum ct_stage stage;
	const char *in;
	enum ct_reply want;
	int starttls, logindisabled, user, auth, plain, login;
	const char *offers;
};

static const struct pcase cases[] = {
    /* IMAP */
    {CT_IMAP, CT_GREETING,
     "* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] ready\r\n", CT_OK, 1, 0,
     0, 0, 1, 0, "AUTH=PLAIN"},
    {CT_IMAP, CT_GREETING, "* OK ready\r\n", CT_OK, 0, 0, 0, 0, 0, 0, ""},
    {CT_IMAP, CT_GREETING, "* OK ready", CT_MORE, 0, 0, 0, 0, 0, 0, ""},
    {CT_IMAP, CT_GREETING, "* BYE go away\r\n", CT_NO, 0, 0, 0, 0, 0, 0, ""},
    {CT_IMAP, CT_GREETING, "+OK pop3\r\n", CT_BAD, 0, 0, 0, 0, 0, 0, ""},
    {CT_IMAP, CT_GREETING, "* OK [CAPABILITY", CT_MORE, 0, 0, 0, 0, 0, 0, ""},
    {CT_IMAP, CT_GREETING, "* OK [CAPABILITY AUTH=LOGIN\r\n", CT_OK, 0, 0, 0, 0,
     0, 1, "AUTH=LOGIN"},
    {CT_IMAP, CT_CAPS,
     "* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\nc1 OK done\r\n", CT_OK,
     1, 1, 0, 0, 0, 0, ""},
    {CT_IMAP, CT_CAPS, "* CAPABILITY IMAP4rev1 auth=plain starttls\r\n",
     CT_MORE, 1, 0, 0, 0, 1, 0, "auth=plain"},
    {CT_IMAP, CT_CAPS, "c1 BAD what\r\n", CT_NO, 0, 0, 0, 0, 0, 0, ""},
    {CT_IMAP, CT_CAPS, "c1 maybe\r\n", CT_BAD, 0, 0, 0, 0, 0, 0, ""},
    {CT_IMAP, CT_CAPS, "garbage\r\n", CT_BAD, 0, 0, 0, 0, 0, 0, ""},
    {CT_IMAP, CT_CAPS, "* CAPABILITY AUTH=\r\nc1 OK\r\n", CT_OK, 0, 0, 0, 0, 0,
     0, ""},
    {CT_IMAP, CT_STARTTLS, "* OK still here\r\nc2 OK begin\r\n", CT_OK, 0, 0, 0,
     0, 0, 0, ""},
    {CT_IMAP, CT_STARTTLS, "c2 NO no tls\r\n", CT_NO, 0, 0, 0, 0, 0, 0, ""},
    /* POP3 */
    {CT_POP3, CT_GREETING, "+OK ready\r\n", CT_OK, 0, 0, 0, 0, 0, 0, ""},
    {CT_POP3, CT_GREETING, "-ERR busy\r\n", CT_NO, 0, 0, 0, 0, 0, 0, ""},
    {CT_POP3, CT_GREETING, "220 smtp\r\n", CT_BAD, 0, 0, 0, 0, 0, 0, ""},
    {CT_POP3, CT_CAPS,
     "+OK\r\nTOP\r\nUSER\r\nSTLS\r\nSASL PLAIN LOGIN\r\n.\r\n", CT_OK, 1, 0, 1,
     0, 1, 1, "USER SASL PLAIN LOGIN"},
    {CT_POP3, CT_CAPS, "+OK\r\nUSER\r\n", CT_MORE, 0, 0, 1, 0, 0, 0, "USER"},
    {CT_POP3, CT_CAPS, "-ERR no CAPA\r\n", CT_NO, 0, 0, 0, 0, 0, 0, ""},
    {CT_POP3, CT_CAPS, "+OK\n\n.\n", CT_OK, 0, 0, 0, 0, 0, 0, ""},
    {CT_POP3, CT_CAPS, "+OK\r\nX-USER\r\nTOP USER\r\n.\r\n", CT_OK, 0, 0, 0, 0,
     0, 0, ""},
    {CT_POP3, CT_STARTTLS, "+OK Begin TLS\r\n", CT_OK, 0, 0, 0, 0, 0, 0, ""},
    /* POP3 without CAPA: the USER probe's one-line answer */
    {CT_POP3, CT_USER, "+OK send PASS\r\n", CT_OK, 0, 0, 0, 0, 0, 0, ""},
    {CT_POP3, CT_USER, "-ERR [AUTH] Plaintext authentication disallowed\r\n",
     CT_NO, 0, 0, 0, 0, 0, 0, ""},
    {CT_POP3, CT_USER, "+OK", CT_MORE, 0, 0, 0, 0, 0, 0, ""},
    {CT_POP3, CT_USER, "* OK imap\r\n", CT_BAD, 0, 0, 0, 0, 0, 0, ""},
    /* SMTP */
    {CT_SMTP, CT_GREETING, "220-first\r\n220 mail ESMTP\r\n", CT_OK, 0, 0, 0, 0,
     0, 0, ""},
    {CT_SMTP, CT_GREETING, "220-first\r\n", CT_MORE, 0, 0, 0, 0, 0, 0, ""},
    {CT_SMTP, CT_GREETING, "554 no service\r\n", CT_NO, 0, 0, 0, 0, 0, 0, ""},
    {CT_SMTP, CT_GREETING, "22\r\n", CT_BAD, 0, 0, 0, 0, 0, 0, ""},
    {CT_SMTP, CT_GREETING, "2x0 hi\r\n", CT_BAD, 0, 0, 0, 0, 0, 0, ""},
    {CT_SMTP, CT_GREETING, "220xhi\r\n", CT_BAD, 0, 0, 0, 0, 0, 0, ""},
    {CT_SMTP, CT_CAPS,
     "250-mail\r\n250-STARTTLS\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n",
     CT_OK, 1, 0, 0, 1, 1, 1, "AUTH PLAIN LOGIN"},
    {CT_SMTP, CT_CAPS, "250-mail\r\n250 AUTH=LOGIN\r\n", CT_OK, 0, 0, 0, 1, 0,
     1, "AUTH LOGIN"},
    {CT_SMTP, CT_CAPS, "250-AUTH PLAIN\r\n250 mail\r\n", CT_OK, 0, 0, 0, 0, 0,
     0, ""},
    {CT_SMTP, CT_CAPS, "250-mail\r\n250-AUTH CRAM-MD5\r\n250 OK\r\n", CT_OK, 0,
     0, 0, 1, 0, 0, "AUTH CRAM-MD5"},
    {CT_SMTP, CT_CAPS, "502 no EHLO\r\n", CT_NO, 0, 0, 0, 0, 0, 0, ""},
    {CT_SMTP, CT_STARTTLS, "220 go ahead\r\n", CT_OK, 0, 0, 0, 0, 0, 0, ""},
    {CT_SMTP, CT_STARTTLS, "454 TLS not available\r\n", CT_NO, 0, 0, 0, 0, 0, 0,
     ""},
};

START_TEST(test_parse_table)
{
	const struct pcase *c = &cases[_i];
	struct ct_caps caps;
	size_t n = strlen(c->in), cut;
	enum ct_reply r;

	memset(&caps, 0, sizeof(caps));
	r = ct_parse(c->proto, c->stage, c->in, n, &caps);
	ck_assert_msg(r == c->want, "case %d: reply %d, want %d", _i, r,
	              c->want);
	ck_assert_int_eq(caps.starttls, c->starttls);
	ck_assert_int_eq(caps.logindisabled, c->logindisabled);
	ck_assert_int_eq(caps.user, c->user);
	ck_assert_int_eq(caps.auth, c->auth);
	ck_assert_int_eq(caps.plain, c->plain);
	ck_assert_int_eq(caps.login, c->login);
	ck_assert_str_eq(caps.offers, c->offers);
	/* Every strict prefix of a complete reply that ends in a line feed
	 * is incomplete or already decided the same way, never past len. */
	for (cut = 0; cut < n; cut++) {
		char *copy = malloc(cut ? cut : 1);

		ck_assert_ptr_nonnull(copy);
		memcpy(copy, c->in, cut);
		memset(&caps, 0, sizeof(caps));
		r = ct_parse(c->proto, c->stage, copy, cut, &caps);
		ck_assert(r == CT_MORE || r == c->want || r == CT_BAD ||
		          r == CT_NO || r == CT_OK);
		free(copy);
	}
}
END_TEST

START_TEST(test_oversize_and_nul)
{
	char *big = malloc(CT_MAX_REPLY + 16);
	struct ct_caps caps;
	static const char nul[] = "* OK [CAPABILITY AUTH=PL\0AIN] x\r\n";

	ck_assert_ptr_nonnull(big);
	memset(big, 'A', CT_MAX_REPLY + 16);
	memset(&caps, 0, sizeof(caps));
	/* No line feed in 16 KiB: too long, not "read more" for ever. */
	ck_assert_int_eq(ct_parse(CT_SMTP, CT_CAPS, big, CT_MAX_REPLY, &caps),
	                 CT_BAD);
	memcpy(big, "+OK\r\n", 5);
	ck_assert_int_eq(ct_parse(CT_POP3, CT_CAPS, big, CT_MAX_REPLY, &caps),
	                 CT_BAD);
	ck_assert_int_eq(ct_parse(CT_POP3, CT_CAPS, big, 100, &caps), CT_MORE);
	free(big);
	memset(&caps, 0, sizeof(caps));
	ck_assert_int_eq(
	    ct_parse(CT_IMAP, CT_GREETING, nul, sizeof(nul) - 1, &caps), CT_OK);
	ck_assert_int_eq(caps.plain, 0);
	ck_assert_str_eq(caps.offers, "");
	ck_assert_int_eq(ct_parse(CT_IMAP, CT_CAPS, NULL, 0, &caps), CT_BAD);
	ck_assert_int_eq(ct_parse(CT_IMAP, CT_CAPS, "", 0, NULL), CT_BAD);
}
END_TEST

START_TEST(test_offers_bounded_and_text)
{
	struct ct_caps caps;
	struct cx_buf b = {0};
	size_t i;

	memset(&caps, 0, sizeof(caps));
	cx_buf_puts(&b, "250-mail\r\n250 AUTH");
	for (i = 0; i < 400; i++)
		cx_buf_printf(&b, " M%zu\x1b[31m", i);
	cx_buf_puts(&b, "\r\n");
	ck_assert_int_eq(ct_parse(CT_SMTP, CT_CAPS, b.data, b.len, &caps),
	                 CT_OK);
	ck_assert_uint_lt(strlen(caps.offers), sizeof(caps.offers));
	for (i = 0; caps.offers[i]; i++)
		ck_assert(caps.offers[i] >= 0x20 && caps.offers[i] < 0x7f);
	cx_buf_free(&b);
}
END_TEST

static const struct {
	enum ct_proto proto;
	struct ct_caps caps;
	int starttls_res;
	const char *msg;
	enum cx_status st;
} verdicts[] = {
    {CT_IMAP,
     {.starttls = 1, .plain = 1},
     1,
     "cleartext.login.before-starttls",
     CX_FAIL},
    {CT_IMAP, {.starttls = 1}, 1, "cleartext.login.before-starttls", CX_FAIL},
    {CT_IMAP,
     {.starttls = 1, .logindisabled = 1},
     1,
     "cleartext.pass.after-starttls",
     CX_PASS},
    {CT_IMAP,
     {.starttls = 1, .logindisabled = 1, .plain = 1},
     1,
     "cleartext.login.before-starttls",
     CX_FAIL},
    {CT_IMAP, {.logindisabled = 1}, -1, "cleartext.pass.no-login", CX_PASS},
    {CT_IMAP, {0}, -1, "cleartext.login.no-starttls", CX_FAIL},
    {CT_IMAP,
     {.starttls = 1, .plain = 1},
     0,
     "cleartext.login.starttls-refused",
     CX_FAIL},
    {CT_POP3, {.user = 1}, -1, "cleartext.login.no-starttls", CX_FAIL},
    {CT_POP3,
     {.starttls = 1, .user = 1},
     0,
     "cleartext.login.starttls-refused",
     CX_FAIL},
    {CT_POP3, {.starttls = 1}, 1, "cleartext.pass.after-starttls", CX_PASS},
    {CT_POP3, {.starttls = 1}, 0, "cleartext.pass.no-login", CX_PASS},
    {CT_SMTP,
     {.starttls = 1, .auth = 1},
     1,
     "cleartext.login.before-starttls",
     CX_FAIL},
    {CT_SMTP, {0}, -1, "cleartext.pass.no-login", CX_PASS},
    {CT_SMTP, {.starttls = 1}, 0, "cleartext.pass.no-login", CX_PASS},
};

START_TEST(test_verdict_table)
{
	enum cx_status st = CX_ERROR;
	const char *m = ct_verdict(verdicts[_i].proto, &verdicts[_i].caps,
	                           verdicts[_i].starttls_res, &st);

	ck_assert_str_eq(m, verdicts[_i].msg);
	ck_assert_int_eq(st, verdicts[_i].st);
}
END_TEST

static Suite *cleartext_suite(void)
{
	Suite *s = suite_create("cleartext");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_parse_table, 0, (int)CX_ARRAY_LEN(cases));
	tcase_add_test(tc, test_oversize_and_nul);
	tcase_add_test(tc, test_offers_bounded_and_text);
	tcase_add_loop_test(tc, test_verdict_table, 0,
	                    (int)CX_ARRAY_LEN(verdicts));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cleartext_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
