/*
 * certexam — unit tests for the Annex 5/6 loaders
 * (scanner/case/annex_lists.c): good, Windows-1251, official forms, and
 * bad or unreadable lists with their diagnostics.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/case_msg.h"
#include "certexam/check.h"
#include "certexam/error.h"
#include "certexam/object.h"
#include "certexam/profile.h"
#include "certexam/run.h"
#include "certexam/target.h"
#include "certexam/util.h"

#define DATA CX_TEST_DATA "/inventory/"

extern const struct cx_check cx_check_inventory;

#include "inventory_util.h"

static void print_diags(const struct cx_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		fprintf(stderr, "  %s:%ld: [%s] %s%s\n", d->items[i].file,
		        d->items[i].line,
		        d->items[i].field ? d->items[i].field : "-",
		        d->items[i].is_warning ? "warning: " : "",
		        d->items[i].message);
}

static void assert_diag(const struct cx_diags *d, size_t i, const char *file,
                        long line, const char *field, const char *message)
{
	const struct cx_diag *g;

	ck_assert_msg(i < d->n, "diagnostic %zu missing (have %zu)", i, d->n);
	g = &d->items[i];
	ck_assert_str_eq(g->file, file);
	ck_assert_int_eq(g->line, line);
	if (field == NULL)
		ck_assert_ptr_null(g->field);
	else
		ck_assert_str_eq(g->field, field);
	ck_assert_str_eq(g->message, message);
	ck_assert_int_eq(g->is_warning, 0);
}

/* assert_diag, and the column the diagnostic names. */
static void assert_diag_at(const struct cx_diags *d, size_t i, const char *file,
                           long line, long column, int warning,
                           const char *message)
{
	const struct cx_diag *g = &d->items[i];

	ck_assert_uint_lt(i, d->n);
	ck_assert_str_eq(g->file, file);
	ck_assert_int_eq(g->line, line);
	ck_assert_int_eq(g->column, column);
	ck_assert_int_eq(g->is_warning, warning);
	ck_assert_str_eq(g->message, message);
}

START_TEST(hardware_good)
{
	struct cx_object *o = obj_new();
	struct cx_diags d = {0};
	const struct cx_hw_row *r;

	ck_assert_int_eq(
	    cx_object_load_hardware(o, DATA "hardware-good.csv", &d), 0);
	print_diags(&d);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_uint_eq(o->n_hardware, 4);
	r = &o->hardware[0];
	ck_assert_int_eq(r->line, 3); /* header and column numbers skipped */
	ck_assert_str_eq(r->item, "1");
	ck_assert_str_eq(r->model, "Dell PowerEdge R740");
	ck_assert_str_eq(r->serial, "SN-0001");
	ck_assert_str_eq(r->cert_no, ""); /* empty, never NULL */
	ck_assert_str_eq(r->location, "Server room 1; rack 4");
	ck_assert_str_eq(r->type, "server");
	ck_assert_str_eq(r->purpose, "web server");
	ck_assert_str_eq(r->protection, "antivirus; firewall");
	ck_assert_str_eq(r->software, "Canonical, Ubuntu, 22.04");
	ck_assert_str_eq(r->addresses, "127.0.0.1");
	r = &o->hardware[1];
	ck_assert_int_eq(r->line, 4);
	ck_assert_str_eq(r->purpose, "edge router\n(internet uplink)");
	ck_assert_str_eq(r->addresses, "127.0.0.2, ::1");
	r = &o->hardware[2];
	ck_assert_int_eq(r->line, 6); /* the row above spans two lines */
	ck_assert_str_eq(r->addresses, "-");
	r = &o->hardware[3];
	ck_assert_int_eq(r->line, 7);
	ck_assert_str_eq(r->cert_no, "KZ.123");
	ck_assert_str_eq(r->addresses, "10.9.0.5/24 127.0.1.0/24");

	/* Loading again replaces the rows. */
	ck_assert_int_eq(
	    cx_object_load_hardware(o, DATA "hardware-good.csv", &d), 0);
	ck_assert_uint_eq(o->n_hardware, 4);
	ck_assert_uint_eq(d.n, 0);
	cx_diags_free(&d);
	obj_del(o);
}
END_TEST

START_TEST(hardware_cp1251)
{
	struct cx_object *o = obj_new();
	struct cx_diags d = {0};
	const struct cx_hw_row *r;

	ck_assert_int_eq(
	    cx_object_load_hardware(o, DATA "hardware-cp1251.csv", &d), 0);
	print_diags(&d);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_uint_eq(o->n_hardware, 1);
	r = &o->hardware[0];
	ck_assert_int_eq(r->line, 2);
	ck_assert_str_eq(r->model, "Сервер «Ёлка-2»");
	ck_assert_str_eq(r->serial, "ИНВ-№ 0042");
	ck_assert_str_eq(r->cert_no, "—");
	ck_assert_str_eq(r->location, "Серверная; стойка 3");
	ck_assert_str_eq(r->type, "сервер");
	ck_assert_str_eq(r->purpose, "веб-сервер");
	ck_assert_str_eq(r->software, "ОС «Астра»");
	ck_assert_str_eq(r->addresses, "127.0.0.1");
	cx_diags_free(&d);
	obj_del(o);
}
END_TEST

START_TEST(hardware_bad)
{
	static const char f[] = DATA "hardware-bad.csv";
	struct cx_object *o = obj_new();
	struct cx_diags d = {0};
	const char *addr_tail =
	    " is not an IPv4 or IPv6 address or CIDR block; expected e.g. "
	    "192.0.2.10, 2001:db8::10 or 192.0.2.0/24, separated by spaces "
	    "or commas";
	char msg[256];

	ck_assert_int_eq(cx_object_load_hardware(o, f, &d), 0);
	print_diags(&d);
	ck_assert_uint_eq(d.n, 9);
	ck_assert_uint_eq(cx_diag_errors(&d), 9);
	assert_diag(&d, 0, f, 3, "serial",
	            "empty; expected the serial or inventory number");
	snprintf(msg, sizeof(msg), "'10.0.0.300'%s", addr_tail);
	assert_diag(&d, 1, f, 3, "addresses", msg);
	assert_diag(&d, 2, f, 4, "item",
	            "'x3' is not an item number; expected a whole number "
	            "(1, 2, 3, ...)");
	assert_diag(&d, 3, f, 5, "item",
	            "item number 2 is used again (first on line 3); expected "
	            "each row to have its own number");
	snprintf(msg, sizeof(msg), "'2001:db8::zz'%s", addr_tail);
	assert_diag(&d, 4, f, 5, "addresses", msg);
	snprintf(msg, sizeof(msg), "'192.0.2.0/33'%s", addr_tail);
	assert_diag(&d, 5, f, 5, "addresses", msg);
	assert_diag(&d, 6, f, 7, "type",
	            "missing: the row has 5 of the 10 columns of Annex 5 (list "
	            "of hardware)");
	assert_diag(&d, 7, f, 8, "purpose",
	            "empty; expected the main functional purpose according to "
	            "the technical documentation");
	assert_diag(&d, 8, f, 8, NULL,
	            "the row has text in column 13; Annex 5 (list of hardware) "
	            "has 10 columns (a separator inside a value must be "
	            "quoted)");
	/* Rows with problems are kept (the blank line 6 is not a row). */
	ck_assert_uint_eq(o->n_hardware, 7);
	ck_assert_int_eq(o->hardware[4].line, 7);
	ck_assert_str_eq(o->hardware[4].type, "");
	ck_assert_int_eq(o->hardware[6].line, 9);
	cx_diags_free(&d);
	obj_del(o);
}
END_TEST

START_TEST(title_and_wrong_file)
{
	static const char sw[] = DATA "software-good.csv";
	struct cx_object *o = obj_new();
	struct cx_diags d = {0};

	/* A title row, an empty row, a header with stray empty cells and the
	 * column numbers above the data: all skipped, nothing reported. */
	ck_assert_int_eq(
	    cx_object_load_hardware(o, DATA "hardware-title.csv", &d), 0);
	print_diags(&d);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_uint_eq(o->n_hardware, 1);
	ck_assert_int_eq(o->hardware[0].line, 5);
	ck_assert_str_eq(o->hardware[0].addresses, "127.0.0.1");

	/* The software list given as the hardware list: its titles are
	 * read ("Name" as the model's, "Developer" as the integrated
	 * software's), the columns the form lacks named, and without the
	 * serial number the list is not read (not compared). */
	ck_assert_int_eq(cx_object_load_hardware(o, sw, &d), 0);
	print_diags(&d);
	ck_assert_uint_eq(d.n, 7);
	ck_assert_str_eq(d.items[0].file, sw);
	ck_assert_int_eq(d.items[0].line, 1);
	ck_assert_ptr_null(d.items[0].field);
	ck_assert_int_eq(d.items[0].is_warning, 1);
	ck_assert_str_eq(d.items[0].message,
	                 "the columns are not in the order of Annex 5 (list of "
	                 "hardware); each is read by its title");
	assert_diag_at(&d, 1, sw, 1, 4, 1,
	               "the column 'Version' is not a column of Annex 5 (list "
	               "of hardware); its cells are not read");
	assert_diag_at(&d, 3, sw, 1, 3, 0,
	               "Annex 5 (list of hardware) column 3 'Serial/inventory "
	               "number' is not in the header; the list cannot be "
	               "compared");
	ck_assert_str_eq(d.items[3].field, "serial");
	ck_assert_str_eq(d.items[3].msg, "inv.annex.header.missing");
	assert_diag_at(&d, 6, sw, 1, 10, 1,
	               "Annex 5 (list of hardware) column 10 'IP addresses' is "
	               "not in the header; its cells are read as empty");
	ck_assert_uint_eq(cx_diag_errors(&d), 1);
	ck_assert_int_eq(o->hw_list, CX_LIST_UNREADABLE);
	ck_assert_uint_eq(o->n_hardware, 0);
	cx_diags_free(&d);
	obj_del(o);
}
END_TEST

/*
 * Annexes 5 and 6 as Excel in a Russian locale exports the official
 * forms (tests/data/inventory/generate.py): every problem exactly, with
 * its line and column, and the rows as the form means them.
 */
START_TEST(official_forms)
{
	static const char hw[] = DATA "hardware-official-cp1251.csv";
	static const char sw[] = DATA "software-official-cp1251.csv";
	struct cx_object *o = obj_new();
	struct cx_diags d = {0};

	ck_assert_int_eq(cx_object_load_hardware(o, hw, &d), 0);
	print_diags(&d);
	ck_assert_int_eq(o->hw_list, CX_LIST_READ);
	ck_assert_uint_eq(d.n, 6);
	assert_diag_at(&d, 0, hw, 8, 0, 1,
	               "the row has no item number; read as the continuation "
	               "of the row on line 7 (merged cells)");
	assert_diag_at(&d, 1, hw, 12, 0, 1,
	               "text under the table read as a note, not as a row");
	assert_diag_at(&d, 2, hw, 13, 0, 1,
	               "text under the table read as a note, not as a row");
	assert_diag_at(&d, 3, hw, 9, 7, 1,
	               "empty; taken from the row on line 7 above (a merged "
	               "cell)");
	assert_diag_at(&d, 4, hw, 9, 10, 0,
	               "'10.0.0.300' is not an IPv4 or IPv6 address or CIDR "
	               "block; expected e.g. 192.0.2.10, 2001:db8::10 or "
	               "192.0.2.0/24, separated by spaces or commas");
	assert_diag_at(&d, 5, hw, 11, 10, 1,
	               "'\xd0\xbe\xd1\x81\xd0\xbd\xd0\xbe\xd0\xb2\xd0\xbd"
	               "\xd0\xbe\xd0\xb9' is not an address or a host name; "
	               "read as a comment");
	ck_assert_uint_eq(o->n_hardware, 3);
	ck_assert_int_eq(o->hardware[0].line, 7);
	ck_assert_str_eq(o->hardware[0].item, "1");
	ck_assert_str_eq(o->hardware[0].location,
	                 "\xd0\xa1\xd0\xb5\xd1\x80\xd0\xb2\xd0\xb5\xd1\x80"
	                 "\xd0\xbd\xd0\xb0\xd1\x8f; \xd1\x81\xd1\x82\xd0"
	                 "\xbe\xd0\xb9\xd0\xba\xd0\xb0 2");
	ck_assert_str_eq(o->hardware[0].addresses,
	                 "IP: 127.0.0.1 (eth0)\n127.0.0.2:5432");
	ck_assert_int_eq(o->hardware[0].bad, 0);
	ck_assert_str_eq(o->hardware[1].purpose, o->hardware[0].purpose);
	ck_assert_int_eq(o->hardware[1].bad, 1);
	ck_assert_int_eq(o->hardware[2].line, 11);
	ck_assert_int_eq(o->hardware[2].bad, 0);
	/* The object keeps the list's problems for the run and the act. */
	ck_assert_uint_eq(o->list_diags.n, 6);
	ck_assert_int_eq(o->list_diags.items[4].column, 10);
	cx_diags_free(&d);

	ck_assert_int_eq(cx_object_load_software(o, sw, &d), 0);
	print_diags(&d);
	ck_assert_int_eq(o->sw_list, CX_LIST_READ);
	ck_assert_uint_eq(d.n, 2);
	assert_diag_at(&d, 0, sw, 6, 5, 1,
	               "empty; taken from the row on line 5 above (a merged "
	               "cell)");
	assert_diag_at(&d, 1, sw, 7, 5, 0,
	               "hardware item 5 does not exist; expected an item "
	               "number from the hardware list (Annex 5)");
	ck_assert_uint_eq(o->n_software, 4);
	ck_assert_str_eq(o->software[0].version, "nginx 1.22.1");
	ck_assert_str_eq(o->software[2].installed_on, "1");
	ck_assert_int_eq(o->software[3].bad, 1);
	cx_diags_free(&d);
	obj_del(o);
}
END_TEST

/* The argument name of diagnostic g, or NULL. */
static const char *diag_arg(const struct cx_diag *g, const char *name)
{
	size_t k;

	for (k = 0; g->args != NULL && g->args[k] != NULL; k += 2)
		if (strcmp(g->args[k], name) == 0)
			return g->args[k + 1];
	return NULL;
}

/* Diagnostic g worded in lang is want (exactly). */
static void words_are(const struct cx_diag *g, const char *lang,
                      const char *want)
{
	struct cx_catalog *cat = NULL;
	struct cx_diags cd = {0};
	struct cx_buf b = {0};

	ck_assert_int_eq(
	    cx_catalog_load_lang(CX_SOURCE_PROFILES "/i18n", lang, &cat, &cd),
	    0);
	ck_assert_int_eq(cx_case_msg_args(&b, cat, g->msg, g->args, "-"), 0);
	ck_assert_str_eq(b.data, want);
	cx_buf_free(&b);
	cx_catalog_free(cat);
	cx_diags_free(&cd);
}

/*
 * Columns mapped by their titles (scanner/case/annex_map.c): an Annex 5
 * exported with its columns moved and one column the form does not have,
 * an Annex 6 without its version column, an Annex 6 in Kazakh with two
 * columns swapped, and rows without a header (read by position).
 */
START_TEST(columns_by_title)
{
	static const char hw[] = DATA "hardware-reordered-cp1251.csv";
	static const char sw[] = DATA "software-missing-cp1251.csv";
	static const char kk[] = DATA "software-kk-reordered.csv";
	static const char nh[] = DATA "hardware-noheader.csv";
	struct cx_object *o = obj_new();
	struct cx_diags d = {0};
	const struct cx_hw_row *r;

	ck_assert_int_eq(cx_object_load_hardware(o, hw, &d), 0);
	print_diags(&d);
	ck_assert_int_eq(o->hw_list, CX_LIST_READ);
	ck_assert_uint_eq(d.n, 4);
	assert_diag_at(&d, 0, hw, 5, 0, 1,
	               "the columns are not in the order of Annex 5 (list of "
	               "hardware); each is read by its title");
	ck_assert_str_eq(d.items[0].msg, "inv.annex.header.reordered");
	/* "Ответственное лицо", column 5 of the file */
	assert_diag_at(&d, 1, hw, 5, 5, 1,
	               "the column '\xd0\x9e\xd1\x82\xd0\xb2\xd0\xb5\xd1"
	               "\x82\xd1\x81\xd1\x82\xd0\xb2\xd0\xb5\xd0\xbd\xd0"
	               "\xbd\xd0\xbe\xd0\xb5 \xd0\xbb\xd0\xb8\xd1\x86\xd0"
	               "\xbe' is not a column of Annex 5 (list of hardware); "
	               "its cells are not read");
	ck_assert_str_eq(d.items[1].msg, "inv.annex.header.extra");
	ck_assert_str_eq(diag_arg(&d.items[1], "column"), "5");
	ck_assert_str_eq(diag_arg(&d.items[1], "annex"), "inv.annex.name.5");
	assert_diag_at(&d, 2, hw, 12, 0, 1,
	               "text under the table read as a note, not as a row");
	/* the bad address, in column 4 of the file (the form's column 10) */
	assert_diag_at(&d, 3, hw, 9, 4, 0,
	               "'10.0.0.999' is not an IPv4 or IPv6 address or CIDR "
	               "block; expected e.g. 192.0.2.10, 2001:db8::10 or "
	               "192.0.2.0/24, separated by spaces or commas");
	ck_assert_str_eq(d.items[3].field, "addresses");
	ck_assert_uint_eq(o->n_hardware, 3);
	r = &o->hardware[0];
	ck_assert_int_eq(r->line, 8);
	ck_assert_str_eq(r->item, "1");
	ck_assert_str_eq(r->model, "Dell PowerEdge R650");
	ck_assert_str_eq(r->serial, "\xd0\x98\xd0\x9d\xd0\x92-0101");
	ck_assert_str_eq(r->cert_no, "KZ.02.123");
	ck_assert_str_eq(r->type, "\xd1\x81\xd0\xb5\xd1\x80\xd0\xb2\xd0"
	                          "\xb5\xd1\x80");
	ck_assert_str_eq(r->protection,
	                 "\xd0\xbc\xd0\xb5\xd0\xb6\xd1\x81\xd0\xb5\xd1"
	                 "\x82\xd0\xb5\xd0\xb2\xd0\xbe\xd0\xb9 \xd1\x8d"
	                 "\xd0\xba\xd1\x80\xd0\xb0\xd0\xbd");
	ck_assert_str_eq(r->software, "Debian GNU/Linux 12");
	ck_assert_str_eq(r->addresses, "127.0.0.1, 127.0.0.2");
	ck_assert_int_eq(r->bad, 0);
	ck_assert_int_eq(o->hardware[1].bad, 1);
	ck_assert_str_eq(o->hardware[1].cert_no, "");
	ck_assert_int_eq(o->hardware[2].line, 11);
	ck_assert_str_eq(o->hardware[2].model, "APC Smart-UPS 1500");
	ck_assert_str_eq(o->hardware[2].location, "");
	ck_assert_int_eq(o->hardware[2].bad, 0);
	ck_assert_uint_eq(o->list_diags.n, 4);
	ck_assert_int_eq(o->list_diags.items[3].column, 4);
	cx_diags_free(&d);

	/* No version column: an error naming it, the list not compared. */
	ck_assert_int_eq(cx_object_load_software(o, sw, &d), 0);
	print_diags(&d);
	ck_assert_uint_eq(d.n, 2);
	assert_diag_at(&d, 0, sw, 2, 0, 1,
	               "the columns are not in the order of Annex 6 (list of "
	               "software); each is read by its title");
	assert_diag_at(&d, 1, sw, 2, 4, 0,
	               "Annex 6 (list of software) column 4 'Version' is not "
	               "in the header; the list cannot be compared");
	ck_assert_str_eq(d.items[1].field, "version");
	ck_assert_str_eq(d.items[1].msg, "inv.annex.header.missing");
	ck_assert_str_eq(diag_arg(&d.items[1], "number"), "4");
	ck_assert_str_eq(diag_arg(&d.items[1], "title"),
	                 "inv.annex.col.6.version");
	ck_assert_int_eq(o->sw_list, CX_LIST_UNREADABLE);
	ck_assert_uint_eq(o->n_software, 0);
	words_are(&d.items[1], "ru",
	          "\xd0\x9f\xd1\x80\xd0\xb8\xd0\xbb\xd0\xbe\xd0\xb6\xd0"
	          "\xb5\xd0\xbd\xd0\xb8\xd0\xb5 6 (\xd0\xbf\xd0\xb5\xd1"
	          "\x80\xd0\xb5\xd1\x87\xd0\xb5\xd0\xbd\xd1\x8c \xd0\xbf"
	          "\xd1\x80\xd0\xbe\xd0\xb3\xd1\x80\xd0\xb0\xd0\xbc\xd0"
	          "\xbc\xd0\xbd\xd1\x8b\xd1\x85 \xd1\x81\xd1\x80\xd0\xb5"
	          "\xd0\xb4\xd1\x81\xd1\x82\xd0\xb2): \xd0\xb2 \xd0\xb7"
	          "\xd0\xb0\xd0\xb3\xd0\xbe\xd0\xbb\xd0\xbe\xd0\xb2\xd0"
	          "\xba\xd0\xb5 \xd0\xbe\xd1\x82\xd1\x81\xd1\x83\xd1\x82"
	          "\xd1\x81\xd1\x82\xd0\xb2\xd1\x83\xd0\xb5\xd1\x82 \xd0"
	          "\xb3\xd1\x80\xd0\xb0\xd1\x84\xd0\xb0 4 \xc2\xab\xd0\x92"
	          "\xd0\xb5\xd1\x80\xd1\x81\xd0\xb8\xd1\x8f\xc2\xbb; \xd0"
	          "\xbf\xd0\xb5\xd1\x80\xd0\xb5\xd1\x87\xd0\xb5\xd0\xbd"
	          "\xd1\x8c \xd0\xbd\xd0\xb5 \xd0\xbc\xd0\xbe\xd0\xb6\xd0"
	          "\xb5\xd1\x82 \xd0\xb1\xd1\x8b\xd1\x82\xd1\x8c \xd1\x81"
	          "\xd0\xbe\xd0\xbf\xd0\xbe\xd1\x81\xd1\x82\xd0\xb0\xd0"
	          "\xb2\xd0\xbb\xd0\xb5\xd0\xbd");
	words_are(&d.items[1], "en", d.items[1].message);
	cx_diags_free(&d);

	/* Kazakh titles, name and developer swapped. */
	ck_assert_int_eq(cx_object_load_software(o, kk, &d), 0);
	print_diags(&d);
	ck_assert_uint_eq(d.n, 1);
	assert_diag_at(&d, 0, kk, 2, 0, 1,
	               "the columns are not in the order of Annex 6 (list of "
	               "software); each is read by its title");
	ck_assert_int_eq(o->sw_list, CX_LIST_READ);
	ck_assert_uint_eq(o->n_software, 2);
	ck_assert_str_eq(o->software[0].name, "nginx");
	ck_assert_str_eq(o->software[0].developer, "F5 Inc.");
	ck_assert_str_eq(o->software[0].version, "1.22.1");
	ck_assert_str_eq(o->software[1].name, "OpenSSH");
	ck_assert_str_eq(o->software[1].developer, "OpenBSD Project");
	ck_assert_str_eq(o->software[1].protection,
	                 "\xd0\xba\xd1\x96\xd0\xbb\xd1\x82 \xd0\xb1\xd0"
	                 "\xbe\xd0\xb9\xd1\x8b\xd0\xbd\xd1\x88\xd0\xb0 "
	                 "\xd0\xb0\xd1\x83\xd1\x82\xd0\xb5\xd0\xbd\xd1"
	                 "\x82\xd0\xb8\xd1\x84\xd0\xb8\xd0\xba\xd0\xb0"
	                 "\xd1\x86\xd0\xb8\xd1\x8f");
	cx_diags_free(&d);

	/* A column without a title: text in it is an error of its row. */
	ck_assert_int_eq(
	    cx_object_load_hardware(o, DATA "hardware-untitled.csv", &d), 0);
	print_diags(&d);
	ck_assert_uint_eq(d.n, 5);
	assert_diag_at(&d, 1, DATA "hardware-untitled.csv", 1, 4, 1,
	               "Annex 5 (list of hardware) column 4 'Information "
	               "security certificate number (if any)' is not in the "
	               "header; its cells are read as empty");
	assert_diag_at(&d, 4, DATA "hardware-untitled.csv", 3, 4, 0,
	               "the row has text in column 4, which has no title in "
	               "the header; it is not read");
	ck_assert_str_eq(d.items[4].msg, "inv.annex.row.untitled");
	ck_assert_uint_eq(o->n_hardware, 2);
	ck_assert_int_eq(o->hardware[0].bad, 0);
	ck_assert_int_eq(o->hardware[1].bad, 1);
	ck_assert_str_eq(o->hardware[1].addresses, "127.0.0.2");
	cx_diags_free(&d);

	/* No header: read by position, and the list says so. */
	ck_assert_int_eq(cx_object_load_hardware(o, nh, &d), 0);
	print_diags(&d);
	ck_assert_uint_eq(d.n, 1);
	assert_diag_at(&d, 0, nh, 1, 0, 1,
	               "no header row with the column titles of Annex 5 (list "
	               "of hardware) was recognised; the columns are read in "
	               "the order of the form");
	ck_assert_str_eq(d.items[0].msg, "inv.annex.header.positional");
	ck_assert_int_eq(o->hw_list, CX_LIST_READ);
	ck_assert_uint_eq(o->n_hardware, 2);
	ck_assert_str_eq(o->hardware[1].model, "Cisco ISR");
	ck_assert_str_eq(o->hardware[1].addresses, "127.0.0.2");
	cx_diags_free(&d);
	obj_del(o);
}
END_TEST

START_TEST(software_good)
{
	struct cx_object *o = obj_new();
	struct cx_diags d = {0};
	const struct cx_sw_row *r;

	ck_assert_int_eq(
	    cx_object_load_hardware(o, DATA "hardware-good.csv", &d), 0);
	ck_assert_int_eq(
	    cx_object_load_software(o, DATA "software-good.csv", &d), 0);
	print_diags(&d);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_uint_eq(o->n_software, 3);
	r = &o->software[0];
	ck_assert_int_eq(r->line, 2);
	ck_assert_str_eq(r->item, "1");
	ck_assert_str_eq(r->developer, "OpenBSD Project");
	ck_assert_str_eq(r->name, "OpenSSH");
	ck_assert_str_eq(r->version, "9.2p1");
	ck_assert_str_eq(r->installed_on, "1, 2");
	ck_assert_str_eq(r->type, "remote administration");
	ck_assert_str_eq(r->purpose, "remote access");
	ck_assert_str_eq(r->protection, "public key authentication");
	ck_assert_str_eq(o->software[2].protection, "");
	cx_diags_free(&d);
	obj_del(o);
}
END_TEST

START_TEST(software_bad)
{
	static const char f[] = DATA "software-bad.csv";
	struct cx_object *o = obj_new();
	struct cx_diags d = {0};

	ck_assert_int_eq(
	    cx_object_load_hardware(o, DATA "hardware-good.csv", &d), 0);
	ck_assert_int_eq(cx_object_load_software(o, f, &d), 0);
	print_diags(&d);
	ck_assert_uint_eq(d.n, 4);
	assert_diag(&d, 0, f, 3, "version", "empty; expected the version");
	assert_diag(&d, 1, f, 3, "installed_on",
	            "hardware item 99 does not exist; expected an item number "
	            "from the hardware list (Annex 5)");
	assert_diag(&d, 2, f, 4, "installed_on",
	            "'server' is not a hardware item number; expected item "
	            "numbers from the hardware list (e.g. 3 or 1, 2)");
	assert_diag(&d, 3, f, 5, "item",
	            "item number 1 is used again (first on line 2); expected "
	            "each row to have its own number");
	ck_assert_uint_eq(o->n_software, 4);
	cx_diags_free(&d);
	obj_del(o);

	/* Without a hardware list, references are not resolved, only their
	 * form is checked. */
	o = obj_new();
	ck_assert_int_eq(cx_object_load_software(o, f, &d), 0);
	ck_assert_uint_eq(d.n, 3);
	assert_diag(&d, 0, f, 3, "version", "empty; expected the version");
	assert_diag(&d, 1, f, 4, "installed_on",
	            "'server' is not a hardware item number; expected item "
	            "numbers from the hardware list (e.g. 3 or 1, 2)");
	assert_diag(&d, 2, f, 5, "item",
	            "item number 1 is used again (first on line 2); expected "
	            "each row to have its own number");
	cx_diags_free(&d);
	obj_del(o);
}
END_TEST

START_TEST(unreadable_files)
{
	static const char f[] = DATA "hardware-unterminated.csv";
	static const char none[] = DATA "no-such-file.csv";
	struct cx_object *o = obj_new();
	struct cx_diags d = {0};

	ck_assert_int_eq(
	    cx_object_load_hardware(o, DATA "hardware-good.csv", &d), 0);
	/* A file that is not CSV leaves what was loaded alone. */
	ck_assert_int_eq(cx_object_load_hardware(o, f, &d), CX_EPARSE);
	ck_assert_uint_eq(d.n, 1);
	assert_diag(&d, 0, f, 3, NULL,
	            "not a readable CSV table: unterminated quoted field");
	ck_assert_uint_eq(o->n_hardware, 4);
	ck_assert_int_eq(o->hw_list, CX_LIST_UNREADABLE);
	cx_diags_free(&d);

	ck_assert_int_eq(cx_object_load_software(o, none, &d), CX_ENOENT);
	ck_assert_uint_eq(d.n, 1);
	assert_diag(&d, 0, none, 0, NULL,
	            "cannot read the file: no such file or directory");
	cx_diags_free(&d);

	/* A header alone is a list with no rows and no problem. */
	ck_assert_int_eq(
	    cx_object_load_software(o, DATA "software-header-only.csv", &d), 0);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_uint_eq(o->n_software, 0);
	ck_assert_int_eq(cx_object_load_software(NULL, f, &d), CX_EINVAL);
	cx_diags_free(&d);
	obj_del(o);
}
END_TEST

/*
 * Every problem the loader reports on the fixtures has a message id
 * (issue 10): in English the catalog gives exactly the loader's text, in
 * Kazakh and Russian other words with every parameter filled.
 */
START_TEST(every_problem_worded)
{
	static const char *const files[] = {"hardware-bad.csv",
	                                    "hardware-official-cp1251.csv",
	                                    "hardware-reordered-cp1251.csv",
	                                    "hardware-noheader.csv",
	                                    "hardware-untitled.csv",
	                                    "hardware-unterminated.csv",
	                                    "no-such-file.csv",
	                                    "software-bad.csv",
	                                    "software-official-cp1251.csv",
	                                    "software-missing-cp1251.csv",
	                                    "software-good.csv"};
	static const char *const langs[] = {"en", "ru", "kk"};
	struct cx_catalog *cat[3] = {NULL, NULL, NULL};
	struct cx_diags d = {0}, cd = {0};
	struct cx_object *o = obj_new();
	struct cx_buf b = {0};
	size_t f, i, l, seen = 0;
	char *path;

	for (l = 0; l < 3; l++)
		ck_assert_int_eq(cx_catalog_load_lang(CX_SOURCE_PROFILES
		                                      "/i18n",
		                                      langs[l], &cat[l], &cd),
		                 0);
	ck_assert_int_eq(
	    cx_object_load_hardware(o, DATA "hardware-good.csv", &d), 0);
	for (f = 0; f < CX_ARRAY_LEN(files); f++) {
		path = cx_asprintf("%s%s", DATA, files[f]);
		ck_assert_ptr_nonnull(path);
		/* hardware-*.csv as Annex 5, the rest as Annex 6; the
		 * software list as Annex 5 too (the wrong file) */
		if (files[f][0] == 'h' || f == CX_ARRAY_LEN(files) - 1)
			(void)cx_object_load_hardware(o, path, &d);
		else
			(void)cx_object_load_software(o, path, &d);
		free(path);
	}
	ck_assert_uint_gt(d.n, 30);
	for (i = 0; i < d.n; i++) {
		const struct cx_diag *g = &d.items[i];

		ck_assert_msg(g->msg != NULL, "no id: %s", g->message);
		for (l = 0; l < 3; l++) {
			b.len = 0;
			ck_assert_int_eq(
			    cx_case_msg_args(&b, cat[l], g->msg, g->args, NULL),
			    0);
			ck_assert_ptr_null(strchr(b.data, '{'));
			if (l == 0)
				ck_assert_str_eq(b.data, g->message);
			else
				ck_assert_str_ne(b.data, g->message);
		}
		seen++;
	}
	ck_assert_uint_eq(seen, d.n);
	cx_buf_free(&b);
	for (l = 0; l < 3; l++)
		cx_catalog_free(cat[l]);
	cx_diags_free(&cd);
	cx_diags_free(&d);
	obj_del(o);
}
END_TEST

static Suite *inventory_load_suite(void)
{
	Suite *s = suite_create("inventory_load");
	TCase *load = tcase_create("load");

	tcase_add_test(load, hardware_good);
	tcase_add_test(load, hardware_cp1251);
	tcase_add_test(load, hardware_bad);
	tcase_add_test(load, title_and_wrong_file);
	tcase_add_test(load, official_forms);
	tcase_add_test(load, columns_by_title);
	tcase_add_test(load, software_good);
	tcase_add_test(load, software_bad);
	tcase_add_test(load, unreadable_files);
	tcase_add_test(load, every_problem_worded);
	suite_add_tcase(s, load);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(inventory_load_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
