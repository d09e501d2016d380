/*
 * certexam — unit tests for the free-text readers of Annexes 5 and 6:
 * addresses (scanner/case/annex_addr.c), versions
 * (scanner/case/annex_version.c) and the form's words
 * (scanner/case/annex_form.c), each with a table of spellings seen in
 * applicants' lists.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "certexam/target.h"
#include "certexam/util.h"
#include "inventory.h"

/* A cell and what it reads as: tokens as "A:addr", "A:addr/pfx",
 * "A:addr:port", "H:name", "H:name:port", "W:word", "B:text", joined by
 * spaces; labels and interface names (CX_INV_SKIP) are left out. */
static const struct addr_case {
	const char *cell;
	const char *want;
} addr_cases[] = {
    {"127.0.0.1", "A:127.0.0.1"},
    {"127.0.0.1:5432", "A:127.0.0.1:5432"},
    {"IP: 127.0.0.1 (eth0)", "A:127.0.0.1"},
    {"IP:10.0.0.5", "A:10.0.0.5"},
    {"IPv4: 10.0.0.5; IPv6: 2001:db8::5", "A:10.0.0.5 A:2001:db8::5"},
    {"10.0.0.5, 10.0.0.6", "A:10.0.0.5 A:10.0.0.6"},
    {"10.0.0.5\n10.0.0.6", "A:10.0.0.5 A:10.0.0.6"},
    {"10.0.0.5/24", "A:10.0.0.5/24"},
    {"192.0.2.0/24", "A:192.0.2.0/24"},
    {"[2001:db8::1]:443", "A:2001:db8::1:443"},
    {"2001:db8::", "A:2001:db8::"},
    {"::1", "A:::1"},
    {"fe80::1%eth0", "A:fe80::1"},
    {"eth0: 10.1.1.1, eth1: 10.2.2.2", "A:10.1.1.1 A:10.2.2.2"},
    {"ens192 - 172.16.0.10", "A:172.16.0.10"},
    {"db.rlp.gov.kz", "H:db.rlp.gov.kz"},
    {"db.rlp.gov.kz:5432", "H:db.rlp.gov.kz:5432"},
    {"localhost", "H:localhost"},
    {"\xd0\xb0\xd0\xb4\xd1\x80\xd0\xb5\xd1\x81: 10.0.0.7", "A:10.0.0.7"},
    {"10.0.0.7 (\xd0\xbe\xd1\x81\xd0\xbd\xd0\xbe\xd0\xb2\xd0\xbd\xd0\xbe\xd0"
     "\xb9)",
     "A:10.0.0.7 W:\xd0\xbe\xd1\x81\xd0\xbd\xd0\xbe\xd0\xb2\xd0\xbd\xd0\xbe"
     "\xd0\xb9"},
    {"10.0.0.300", "B:10.0.0.300"},
    {"192.0.2.0/33", "B:192.0.2.0/33"},
    {"2001:db8::zz", "B:2001:db8::zz"},
    {"10.0.0.1-10.0.0.5", "B:10.0.0.1-10.0.0.5"},
    {"-", ""},
    {"\xd0\xbd\xd0\xb5\xd1\x82", ""},
    {"mgmt: 10.9.9.9 | 10.9.9.10", "A:10.9.9.9 A:10.9.9.10"},
    {"Gi0/1 10.0.0.1", "A:10.0.0.1"},
    {"10.0.0.8.", "A:10.0.0.8"},
};

START_TEST(addresses)
{
	const struct addr_case *c = &addr_cases[_i];
	const char *cur = NULL;
	struct cx_inv_tok t;
	struct cx_buf b = {0};
	char a[64];

	ck_assert_int_eq(cx_buf_puts(&b, ""), 0);
	while (cx_inv_addr_scan(c->cell, &cur, &t)) {
		if (t.kind == CX_INV_SKIP)
			continue;
		if (b.len)
			cx_buf_putc(&b, ' ');
		switch (t.kind) {
		case CX_INV_ADDR:
			cx_addr_str(&t.a, a, sizeof(a));
			cx_buf_printf(&b, "A:%s", a);
			if (t.prefix >= 0)
				cx_buf_printf(&b, "/%d", t.prefix);
			break;
		case CX_INV_HOSTNAME:
			cx_buf_printf(&b, "H:%.*s", (int)t.a_len, t.a_text);
			break;
		case CX_INV_WORD:
			cx_buf_printf(&b, "W:%.*s", (int)t.len, t.text);
			break;
		default:
			cx_buf_printf(&b, "B:%.*s", (int)t.len, t.text);
			break;
		}
		if (t.port > 0)
			cx_buf_printf(&b, ":%d", t.port);
		ck_assert_uint_le(t.off + t.len, strlen(c->cell));
	}
	ck_assert_msg(strcmp(b.data, c->want) == 0, "'%s': got '%s', want '%s'",
	              c->cell, b.data, c->want);
	cx_buf_free(&b);
}
END_TEST

static const struct ver_case {
	const char *declared;
	const char *observed;
	const char *extra;
	enum cx_ver_state want;
} ver_cases[] = {
    {"1.22.1", "1.22.1", NULL, CX_VER_MATCH},
    {"nginx 1.22.1", "1.22.1", NULL, CX_VER_MATCH},
    {"nginx/1.22.1", "1.22.1", NULL, CX_VER_MATCH},
    {"v1.22.1", "1.22.1", NULL, CX_VER_MATCH},
    {"V1.22.1", "1.22.1", NULL, CX_VER_MATCH},
    {"ver. 1.22.1", "1.22.1", NULL, CX_VER_MATCH},
    {"\xd0\xb2\xd0\xb5\xd1\x80\xd1\x81\xd0\xb8\xd1\x8f 1.22.1", "1.22.1", NULL,
     CX_VER_MATCH},
    {"1.22.x", "1.22.1", NULL, CX_VER_MATCH},
    {"1.22.*", "1.22.1", NULL, CX_VER_MATCH},
    {"1.22.X", "1.22.14", NULL, CX_VER_MATCH},
    {"1.22.x", "1.23.0", NULL, CX_VER_DIFFERS},
    {"1.22.x", "1.221", NULL, CX_VER_DIFFERS},
    {"1.22", "1.22.1", NULL, CX_VER_LESS_PRECISE},
    {"3", "3.0.3", NULL, CX_VER_LESS_PRECISE},
    {"9.2", "9.2p1", NULL, CX_VER_LESS_PRECISE},
    {"1.2", "1.22", NULL, CX_VER_DIFFERS},
    {"9.2p1", "9.2p1", NULL, CX_VER_MATCH},
    {"9.2P1", "9.2p1", NULL, CX_VER_MATCH},
    {"OpenSSH_9.2p1", "9.2p1", NULL, CX_VER_MATCH},
    {"OpenSSH 9.2p1 Debian-2+deb12u3", "9.2p1", "Debian-2+deb12u3",
     CX_VER_MATCH},
    {"1:9.2p1-2+deb12u10", "9.2p1", "Debian-2+deb12u10", CX_VER_MATCH},
    {"1:9.2p1-2+deb12u10", "9.2p1", "Debian-2+deb12u3", CX_VER_DIFFERS},
    {"1:9.2p1-2+deb12u10", "9.2p1", NULL, CX_VER_MORE_PRECISE},
    {"9.2p1", "9.2p1", "Debian-2+deb12u3", CX_VER_MATCH},
    {"8.9p1-3ubuntu0.10", "8.9p1", "Ubuntu-3ubuntu0.10", CX_VER_MATCH},
    {"1.22.1", "1.22", NULL, CX_VER_MORE_PRECISE},
    {"2.4.57", "2.4", NULL, CX_VER_MORE_PRECISE},
    {"1.22.1", NULL, NULL, CX_VER_HIDDEN},
    {"1.22.1", "", NULL, CX_VER_HIDDEN},
    {"Apache/2.4.57 (Debian)", "2.4.57", NULL, CX_VER_MATCH},
    {"2.4.57", "2.4.62", NULL, CX_VER_DIFFERS},
    {"15.4", "15.4", NULL, CX_VER_MATCH},
    {"PostgreSQL 15", "15.4", NULL, CX_VER_LESS_PRECISE},
    {"-", "1.0", NULL, CX_VER_NONE},
    {"latest", "1.0", NULL, CX_VER_NONE},
    {"", "1.0", NULL, CX_VER_NONE},
    {"8.0.35-0ubuntu0.22.04.1", "8.0.35", NULL, CX_VER_MORE_PRECISE},
    {"8.0.35", "8.0.35-0ubuntu0.22.04.1", NULL, CX_VER_MATCH},
    {"10.0.17763", "10.0.17763", NULL, CX_VER_MATCH},
    {"3.7.10", "3.7.11", NULL, CX_VER_DIFFERS},
    {"Postfix 3.7", "3.7", NULL, CX_VER_MATCH},
    {"2:1.18.0", "1.18.0", NULL, CX_VER_MATCH},
    {"1.18.0.", "1.18.0", NULL, CX_VER_MATCH},
    {"* ", "1.18.0", NULL, CX_VER_NONE},
};

START_TEST(versions)
{
	const struct ver_case *c = &ver_cases[_i];
	enum cx_ver_state got =
	    cx_ver_compare(c->declared, c->observed, c->extra);

	ck_assert_msg(got == c->want, "'%s' vs '%s' (%s): got %s, want %s",
	              c->declared, c->observed ? c->observed : "(null)",
	              c->extra ? c->extra : "-", cx_ver_state_name(got),
	              cx_ver_state_name(c->want));
}
END_TEST

START_TEST(version_parts)
{
	struct cx_ver v;

	cx_ver_norm("1:9.2p1-2+deb12u10", &v);
	ck_assert_int_eq(v.ok, 1);
	ck_assert_int_eq(v.epoch, 1);
	ck_assert_str_eq(v.upstream, "9.2p1");
	ck_assert_str_eq(v.revision, "2+deb12u10");
	cx_ver_norm("nginx 1.22.x", &v);
	ck_assert_str_eq(v.upstream, "1.22");
	ck_assert_int_eq(v.wildcard, 1);
	cx_ver_norm(NULL, &v);
	ck_assert_int_eq(v.ok, 0);
}
END_TEST

START_TEST(form_words)
{
	char f[64];

	/* "№ п/п", "Серийный/инвентарный номер", "Өндіруші, модель",
	 * "IP-адреса" read as column titles; an address does not. */
	ck_assert(cx_annex_is_title("\xe2\x84\x96 \xd0\xbf/\xd0\xbf"));
	ck_assert(cx_annex_is_title(
	    "\xd0\xa1\xd0\xb5\xd1\x80\xd0\xb8\xd0\xb9\xd0\xbd\xd1\x8b\xd0\xb9"
	    "/\xd0\xb8\xd0\xbd\xd0\xb2\xd0\xb5\xd0\xbd\xd1\x82\xd0\xb0\xd1\x80"
	    "\xd0\xbd\xd1\x8b\xd0\xb9"));
	ck_assert(cx_annex_is_title(
	    "\xd3\xa8\xd0\xbd\xd0\xb4\xd1\x96\xd1\x80\xd1\x83\xd1\x88\xd1\x96, "
	    "\xd0\xbc\xd0\xbe\xd0\xb4\xd0\xb5\xd0\xbb\xd1\x8c"));
	ck_assert(
	    cx_annex_is_title("IP-\xd0\xb0\xd0\xb4\xd1\x80\xd0\xb5\xd1\x81"
	                      "\xd0\xb0"));
	ck_assert(cx_annex_is_title("Serial/inventory number"));
	ck_assert(!cx_annex_is_title("127.0.0.1"));
	ck_assert(!cx_annex_is_title("Dell PowerEdge R750"));
	/* "Примечание:", "Руководитель" open notes; an item does not. */
	ck_assert(
	    cx_annex_is_note("\xd0\x9f\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5"
	                     "\xd1\x87\xd0\xb0\xd0\xbd\xd0\xb8\xd0\xb5:"));
	ck_assert(cx_annex_is_note("\xd0\xa0\xd1\x83\xd0\xba\xd0\xbe\xd0\xb2"
	                           "\xd0\xbe\xd0\xb4\xd0\xb8\xd1\x82\xd0\xb5"
	                           "\xd0\xbb\xd1\x8c"));
	ck_assert(!cx_annex_is_note("1"));
	ck_assert_uint_eq(
	    cx_annex_fold("\xd0\x81\xd0\x9b\xd0\x9a\xd0\x90 ABC", f, sizeof(f)),
	    12);
	ck_assert_str_eq(f, "\xd1\x91\xd0\xbb\xd0\xba\xd0\xb0 abc");
	ck_assert_uint_eq(cx_annex_fold("abcdef", f, 4), 1);
}
END_TEST

static Suite *annex_text_suite(void)
{
	Suite *s = suite_create("annex_text");
	TCase *tc = tcase_create("text");

	tcase_add_loop_test(tc, addresses, 0, (int)CX_ARRAY_LEN(addr_cases));
	tcase_add_loop_test(tc, versions, 0, (int)CX_ARRAY_LEN(ver_cases));
	tcase_add_test(tc, version_parts);
	tcase_add_test(tc, form_words);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(annex_text_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
