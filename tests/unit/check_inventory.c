/*
 * certexam — unit tests for the Annex 5/6 loaders (scanner/case/annex_lists.c)
 * and the inventory check (checks/inventory.c).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/error.h"
#include "certexam/object.h"
#include "certexam/profile.h"
#include "certexam/run.h"
#include "certexam/target.h"
#include "certexam/util.h"

#define DATA CX_TEST_DATA "/inventory/"

extern const struct cx_check cx_check_inventory;

static struct cx_object *obj_new(void)
{
	struct cx_object *o = calloc(1, sizeof(*o));

	ck_assert_ptr_nonnull(o);
	return o;
}

/* Frees what the loaders put into o (the rest of o is untouched here). */
static void obj_del(struct cx_object *o)
{
	cx_hw_rows_free(o->hardware, o->n_hardware);
	cx_sw_rows_free(o->software, o->n_software);
	cx_diags_free(&o->list_diags);
	free(o);
}

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
	size_t i;

	/* A title row, an empty row, a header with stray empty cells and the
	 * column numbers above the data: all skipped, nothing reported. */
	ck_assert_int_eq(
	    cx_object_load_hardware(o, DATA "hardware-title.csv", &d), 0);
	print_diags(&d);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_uint_eq(o->n_hardware, 1);
	ck_assert_int_eq(o->hardware[0].line, 5);
	ck_assert_str_eq(o->hardware[0].addresses, "127.0.0.1");

	/* The software list given as the hardware list: a warning on the
	 * header, and each row is two columns short. */
	ck_assert_int_eq(cx_object_load_hardware(o, sw, &d), 0);
	print_diags(&d);
	ck_assert_uint_eq(d.n, 4);
	ck_assert_str_eq(d.items[0].file, sw);
	ck_assert_int_eq(d.items[0].line, 1);
	ck_assert_ptr_null(d.items[0].field);
	ck_assert_int_eq(d.items[0].is_warning, 1);
	ck_assert_str_eq(d.items[0].message,
	                 "the header row has 8 columns; Annex 5 (list of "
	                 "hardware) has 10 (is this the right file?)");
	for (i = 1; i < 4; i++)
		assert_diag(&d, i, sw, (long)i + 1, "software",
		            "missing: the row has 8 of the 10 columns of "
		            "Annex 5 (list of hardware)");
	ck_assert_uint_eq(cx_diag_errors(&d), 3);
	cx_diags_free(&d);
	obj_del(o);
}
END_TEST

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

/* ---- the check ---- */

static struct cx_requirement reqs[] = {
    {.id = "INV-01",
     .block = "inventory",
     .text = "every declared address is present",
     .source = "Annex 5",
     .severity = CX_SEV_MEDIUM},
    {.id = "INV-02",
     .block = "inventory",
     .text = "every host found is declared",
     .source = "Annex 5",
     .severity = CX_SEV_HIGH},
    {.id = "INV-03",
     .block = "inventory",
     .text = "every product found is declared",
     .source = "Annex 6",
     .severity = CX_SEV_MEDIUM},
};

struct fx {
	struct cx_object *obj;
	struct cx_run *run;
	struct cx_scope scope;
	struct cx_profile prof;
	struct cx_scan_opts opts;
	struct cx_check_ctx ctx;
};

static void fx_init(struct fx *x, const char *const *scope, size_t n_scope)
{
	struct cx_diags d = {0};
	size_t i;

	memset(x, 0, sizeof(*x));
	x->obj = obj_new();
	x->run = cx_run_new();
	ck_assert_ptr_nonnull(x->run);
	for (i = 0; i < n_scope; i++)
		ck_assert_int_eq(
		    cx_scope_add(&x->scope, scope[i], 0, &d, NULL, 0), 0);
	cx_diags_free(&d);
	x->prof.id = "test";
	x->prof.reqs = reqs;
	x->prof.n_reqs = CX_ARRAY_LEN(reqs);
	cx_scan_opts_default(&x->opts);
	x->ctx.obj = x->obj;
	x->ctx.profile = &x->prof;
	x->ctx.scope = &x->scope;
	x->ctx.opts = &x->opts;
	x->ctx.run = x->run;
}

static void fx_free(struct fx *x)
{
	obj_del(x->obj);
	cx_run_free(x->run);
	cx_scope_free(&x->scope);
}

static void add_host(struct fx *x, const char *addr, int up)
{
	struct cx_host_obs h;

	memset(&h, 0, sizeof(h));
	h.addr = (char *)addr;
	h.up = up;
	ck_assert_int_eq(cx_run_add_host(x->run, &h), 0);
}

static void add_port_x(struct fx *x, const char *addr, int port,
                       enum cx_port_state st, const char *product,
                       const char *version, const char *extra)
{
	struct cx_port_obs p;

	memset(&p, 0, sizeof(p));
	p.addr = (char *)addr;
	p.port = port;
	p.proto = "tcp";
	p.state = st;
	p.product = (char *)product;
	p.version = (char *)version;
	p.extra = (char *)extra;
	ck_assert_int_eq(cx_run_add_port(x->run, &p, NULL), 0);
}

static void add_port(struct fx *x, const char *addr, int port,
                     enum cx_port_state st, const char *product,
                     const char *version)
{
	add_port_x(x, addr, port, st, product, version, NULL);
}

/* The finding with this key must exist, once, with this status. */
static const struct cx_finding *want(const struct fx *x, const char *req,
                                     const char *asset, const char *item,
                                     enum cx_status st)
{
	const struct cx_finding *found = NULL;
	char *key = cx_finding_key("inventory", req, asset, item);
	size_t i, hits = 0;

	ck_assert_ptr_nonnull(key);
	for (i = 0; i < x->run->n_findings; i++) {
		if (strcmp(x->run->findings[i].key, key) == 0) {
			found = &x->run->findings[i];
			hits++;
		}
	}
	ck_assert_msg(hits == 1, "finding %s: %zu times", key, hits);
	ck_assert_msg(found->status == st, "finding %s: %s, want %s", key,
	              cx_status_name(found->status), cx_status_name(st));
	ck_assert_str_eq(found->check, "inventory");
	ck_assert_ptr_nonnull(found->observed);
	free(key);
	return found;
}

static size_t count_obs(const struct fx *x, const char *kind)
{
	size_t i, n = 0;

	for (i = 0; i < x->run->n_obs; i++)
		n += strcmp(x->run->obs[i].kind, kind) == 0;
	return n;
}

static void dump_findings(const struct fx *x)
{
	size_t i;

	for (i = 0; i < x->run->n_findings; i++)
		fprintf(stderr, "  %-14s %s\n     %s\n",
		        cx_status_name(x->run->findings[i].status),
		        x->run->findings[i].key,
		        x->run->findings[i].observed
		            ? x->run->findings[i].observed
		            : "");
}

START_TEST(check_full)
{
	static const char *const scope[] = {"127.0.0.0/24", "127.0.1.0/30",
	                                    "::1"};
	struct cx_diags d = {0};
	const struct cx_finding *f;
	struct fx x;

	fx_init(&x, scope, CX_ARRAY_LEN(scope));
	ck_assert_int_eq(
	    cx_object_load_hardware(x.obj, DATA "hardware-good.csv", &d), 0);
	ck_assert_int_eq(
	    cx_object_load_software(x.obj, DATA "software-good.csv", &d), 0);
	ck_assert_uint_eq(d.n, 0);
	/* What the scan saw: ::1 is in scope but was not reached. */
	add_host(&x, "127.0.0.1", 1);
	add_host(&x, "127.0.0.2", 0);
	add_host(&x, "127.0.0.9", 1);
	add_host(&x, "127.0.1.1", 1);
	add_host(&x, "127.0.1.2", 0);
	add_port(&x, "127.0.0.1", 22, CX_PORT_OPEN, "OpenSSH", "9.2p1");
	add_port(&x, "127.0.0.1", 80, CX_PORT_OPEN, "nginx", "1.22.1");
	add_port(&x, "127.0.0.1", 8080, CX_PORT_OPEN, "nginx", "1.2.9");
	add_port(&x, "127.0.0.1", 443, CX_PORT_OPEN, "nginx", NULL);
	add_port(&x, "127.0.0.1", 25, CX_PORT_OPEN, NULL, NULL);
	add_port(&x, "127.0.0.1", 21, CX_PORT_CLOSED, "vsftpd", "3.0.3");
	add_port(&x, "127.0.1.1", 5432, CX_PORT_OPEN, "PostgreSQL", "15.4");
	add_port(&x, "127.0.0.9", 6379, CX_PORT_OPEN, "Redis", "7.0.1");

	ck_assert_int_eq(cx_check_inventory.run(&x.ctx), 0);
	dump_findings(&x);

	/* One INV-01 per Annex 5 row. */
	f = want(&x, "INV-01", "Annex 5 item 1", NULL, CX_PASS);
	/* 127.0.0.2 does not answer; ::1 was not reached. */
	f = want(&x, "INV-01", "Annex 5 item 2", NULL, CX_FAIL);
	ck_assert(strstr(f->observed, "127.0.0.2: did not answer") != NULL);
	ck_assert(strstr(f->observed, "::1: in the scope, not reached") !=
	          NULL);
	/* The UPS has no address: a note, not a deficiency. */
	want(&x, "INV-01", "Annex 5 item 3", NULL, CX_NOT_APPLICABLE);
	/* 10.9.0.5 is outside the scope; a host in 127.0.1.0/24 answered. */
	f = want(&x, "INV-01", "Annex 5 item 4", NULL, CX_PASS);
	ck_assert(strstr(f->observed, "10.9.0.5: outside the scope") != NULL);

	/* One INV-02 per undeclared host; 127.0.1.1 is in item 4's block. */
	f = want(&x, "INV-02", "127.0.0.9", NULL, CX_FAIL);
	ck_assert_int_eq(f->severity, CX_SEV_HIGH); /* from the profile */
	ck_assert_str_eq(f->req_source, "Annex 5");

	/* One INV-03 per Annex 6 row, whatever the ports. */
	want(&x, "INV-03", "Annex 6 item 1", NULL, CX_PASS);
	/* nginx 1.22 declared; 1.22.1 on 80 is more than "1.22" says, 1.2.9
	 * on 8080 differs, 443 hides its version: one deficiency. */
	f = want(&x, "INV-03", "Annex 6 item 2", NULL, CX_FAIL);
	ck_assert(strstr(f->observed, "nginx 1.22.1 on 127.0.0.1:80/tcp "
	                              "(declared less precisely than "
	                              "observed)") != NULL);
	ck_assert(strstr(f->observed, "nginx 1.2.9 on 127.0.0.1:8080/tcp "
	                              "(differs)") != NULL);
	ck_assert(strstr(f->observed, "443/tcp (version not disclosed") !=
	          NULL);
	want(&x, "INV-03", "Annex 6 item 3", NULL, CX_PASS);
	f = want(&x, "INV-03", "127.0.0.9", "redis", CX_FAIL);
	ck_assert(strstr(f->observed, "ports 6379/tcp") != NULL);
	ck_assert_uint_eq(x.run->n_findings, 9);
	/* The side-by-side table: a line per row and per undeclared item. */
	ck_assert_uint_eq(count_obs(&x, "inventory-row"), 9);
	cx_diags_free(&d);
	fx_free(&x);
}
END_TEST

/*
 * The messy official-form exports (cp1251, two-row header, merged cells,
 * a bad address, a bad hardware reference) against a scan: one finding
 * per Annex row, rows with errors not compared (and their products not
 * called undeclared), nginx on 80 and 443 one finding, Debian's epoch and
 * revision matched, the OS compared.
 */
START_TEST(check_official)
{
	static const char *const scope[] = {"127.0.0.0/24"};
	struct cx_diags d = {0};
	const struct cx_finding *f;
	struct fx x;

	fx_init(&x, scope, 1);
	ck_assert_int_eq(cx_object_load_hardware(
	                     x.obj, DATA "hardware-official-cp1251.csv", &d),
	                 0);
	ck_assert_int_eq(cx_object_load_software(
	                     x.obj, DATA "software-official-cp1251.csv", &d),
	                 0);
	add_host(&x, "127.0.0.1", 1);
	add_host(&x, "127.0.0.2", 1);
	add_host(&x, "127.0.0.3", 0);
	add_host(&x, "127.0.0.9", 1);
	add_port_x(&x, "127.0.0.1", 22, CX_PORT_OPEN, "OpenSSH", "9.2p1",
	           "Debian-2+deb12u3");
	add_port_x(&x, "127.0.0.1", 80, CX_PORT_OPEN, "nginx", "1.22.1", NULL);
	add_port_x(&x, "127.0.0.1", 443, CX_PORT_OPEN, "nginx", "1.22.1", NULL);
	add_port_x(&x, "127.0.0.1", 25, CX_PORT_OPEN, "Postfix", NULL, NULL);
	add_port_x(&x, "127.0.0.2", 5432, CX_PORT_OPEN, "PostgreSQL", "15.4",
	           NULL);
	ck_assert_int_eq(cx_check_inventory.run(&x.ctx), 0);
	dump_findings(&x);

	want(&x, "INV-01", "Annex 5 item 1", NULL, CX_PASS);
	f = want(&x, "INV-01", "Annex 5 item 2", NULL, CX_NOT_CHECKED);
	ck_assert(strstr(f->observed,
	                 "hardware-official-cp1251.csv:9:10: '10.0.0.300' is "
	                 "not an IPv4") != NULL);
	want(&x, "INV-01", "Annex 5 item 3", NULL, CX_FAIL);
	want(&x, "INV-02", "127.0.0.9", NULL, CX_FAIL);
	f = want(&x, "INV-03", "Annex 6 item 1", NULL, CX_PASS);
	ck_assert(strstr(f->observed, "80/tcp (matches); nginx 1.22.1 on "
	                              "127.0.0.1:443/tcp (matches)") != NULL);
	want(&x, "INV-03", "Annex 6 item 2", NULL, CX_PASS);
	want(&x, "INV-03", "Annex 6 item 3", NULL, CX_PASS);
	f = want(&x, "INV-03", "Annex 6 item 4", NULL, CX_NOT_CHECKED);
	ck_assert(strstr(f->observed,
	                 "software-official-cp1251.csv:7:5: "
	                 "hardware item 5 does not exist") != NULL);
	f = want(&x, "INV-03", "127.0.0.1", "os", CX_PASS);
	ck_assert(strstr(f->observed, "reveal Debian 12") != NULL);
	ck_assert_uint_eq(x.run->n_findings, 9);
	ck_assert_uint_eq(count_obs(&x, "annex-problem"), 8);
	ck_assert_uint_eq(count_obs(&x, "inventory-row"), 9);
	cx_diags_free(&d);
	fx_free(&x);

	/* An unreadable list is not compared at all. */
	fx_init(&x, scope, 1);
	ck_assert_int_eq(cx_object_load_hardware(
	                     x.obj, DATA "hardware-unterminated.csv", &d),
	                 CX_EPARSE);
	ck_assert_int_eq(cx_object_load_software(
	                     x.obj, DATA "software-official-cp1251.csv", &d),
	                 0);
	add_host(&x, "127.0.0.1", 1);
	add_port_x(&x, "127.0.0.1", 80, CX_PORT_OPEN, "nginx", "1.0", NULL);
	ck_assert_int_eq(cx_check_inventory.run(&x.ctx), 0);
	dump_findings(&x);
	want(&x, "INV-01", "Annex 5", NULL, CX_NOT_CHECKED);
	want(&x, "INV-02", "Annex 5", NULL, CX_NOT_CHECKED);
	cx_diags_free(&d);
	fx_free(&x);
}
END_TEST

START_TEST(check_os)
{
	static const char *const scope[] = {"127.0.0.0/24"};
	static struct cx_hw_row hw[] = {
	    {.line = 2,
	     .item = "1",
	     .software = "Debian GNU/Linux 11",
	     .addresses = "127.0.0.1"},
	    {.line = 3,
	     .item = "2",
	     .software = "Astra Linux 1.7",
	     .addresses = "127.0.0.2"},
	    {.line = 4, .item = "3", .software = "-", .addresses = "127.0.0.3"},
	};
	static struct cx_sw_row sw[] = {
	    {.line = 2,
	     .item = "1",
	     .name = "Ubuntu Server",
	     .version = "22.04",
	     .installed_on = "3"},
	};
	struct fx x;
	struct cx_hw_row *keep_hw;
	struct cx_sw_row *keep_sw;
	const struct cx_finding *f;

	fx_init(&x, scope, 1);
	keep_hw = x.obj->hardware;
	keep_sw = x.obj->software;
	x.obj->hardware = hw;
	x.obj->n_hardware = CX_ARRAY_LEN(hw);
	x.obj->software = sw;
	x.obj->n_software = CX_ARRAY_LEN(sw);
	add_host(&x, "127.0.0.1", 1);
	add_host(&x, "127.0.0.2", 1);
	add_host(&x, "127.0.0.3", 1);
	/* Debian 12 runs where Debian 11 is declared. */
	add_port_x(&x, "127.0.0.1", 22, CX_PORT_OPEN, "OpenSSH", "9.2p1",
	           "Debian-2+deb12u3");
	/* Debian where Astra Linux is declared. */
	add_port_x(&x, "127.0.0.2", 80, CX_PORT_OPEN, "Apache httpd", "2.4.57",
	           "(Debian)");
	/* Ubuntu, declared in Annex 6 on item 3. */
	add_port_x(&x, "127.0.0.3", 22, CX_PORT_OPEN, "OpenSSH", "8.9p1",
	           "Ubuntu-3ubuntu0.10");
	ck_assert_int_eq(cx_check_inventory.run(&x.ctx), 0);
	dump_findings(&x);
	f = want(&x, "INV-03", "127.0.0.1", "os", CX_FAIL);
	ck_assert_str_eq(f->title,
	                 "Operating system release differs from the lists");
	want(&x, "INV-03", "127.0.0.2", "os", CX_FAIL);
	want(&x, "INV-03", "127.0.0.3", "os", CX_PASS);
	x.obj->hardware = keep_hw;
	x.obj->n_hardware = 0;
	x.obj->software = keep_sw;
	x.obj->n_software = 0;
	fx_free(&x);
}
END_TEST

START_TEST(check_no_object)
{
	struct fx x;

	fx_init(&x, NULL, 0);
	x.ctx.obj = NULL;
	ck_assert_int_eq(cx_check_inventory.run(&x.ctx), CX_ENOTSUP);
	ck_assert_uint_eq(x.run->n_findings, 0);
	fx_free(&x);
}
END_TEST

START_TEST(check_empty_lists)
{
	static const char *const scope[] = {"127.0.0.0/24"};
	struct fx x;
	const struct cx_finding *f;

	/* No Annex 5 or 6 rows: INV-01/02 cannot be judged; a product on
	 * the network is undeclared. */
	fx_init(&x, scope, 1);
	add_host(&x, "127.0.0.1", 1);
	add_port(&x, "127.0.0.1", 22, CX_PORT_OPEN, "OpenSSH", "9.2p1");
	ck_assert_int_eq(cx_check_inventory.run(&x.ctx), 0);
	dump_findings(&x);
	want(&x, "INV-01", "Annex 5", NULL, CX_NOT_CHECKED);
	want(&x, "INV-02", "Annex 5", NULL, CX_NOT_CHECKED);
	want(&x, "INV-03", "Annex 6", NULL, CX_NOT_CHECKED);
	f = want(&x, "INV-03", "127.0.0.1", "openssh", CX_FAIL);
	ck_assert(strstr(f->observed, "has no rows") != NULL);
	ck_assert_uint_eq(x.run->n_findings, 4);
	fx_free(&x);
}
END_TEST

START_TEST(check_nothing_observed)
{
	static const char *const scope[] = {"127.0.0.0/24"};
	struct cx_diags d = {0};
	struct fx x;

	/* Hardware without any address, and a scan that saw nothing. */
	fx_init(&x, scope, 1);
	ck_assert_int_eq(
	    cx_object_load_hardware(x.obj, DATA "hardware-good.csv", &d), 0);
	free(x.obj->hardware[0].addresses);
	x.obj->hardware[0].addresses = cx_strdup("");
	free(x.obj->hardware[1].addresses);
	x.obj->hardware[1].addresses = cx_strdup("none");
	free(x.obj->hardware[3].addresses);
	x.obj->hardware[3].addresses = cx_strdup(" - ");
	ck_assert_int_eq(cx_check_inventory.run(&x.ctx), 0);
	dump_findings(&x);
	/* Rows without addresses are not observable: notes. */
	want(&x, "INV-01", "Annex 5 item 1", NULL, CX_NOT_APPLICABLE);
	want(&x, "INV-01", "Annex 5 item 4", NULL, CX_NOT_APPLICABLE);
	want(&x, "INV-02", "scope", NULL, CX_NOT_CHECKED);
	want(&x, "INV-03", "Annex 6", NULL, CX_NOT_CHECKED);
	ck_assert_uint_eq(x.run->n_findings, 6);
	fx_free(&x);

	/* Addresses declared, but no host observation at all. */
	fx_init(&x, scope, 1);
	ck_assert_int_eq(
	    cx_object_load_hardware(x.obj, DATA "hardware-good.csv", &d), 0);
	ck_assert_int_eq(cx_check_inventory.run(&x.ctx), 0);
	dump_findings(&x);
	want(&x, "INV-01", "Annex 5 item 1", NULL, CX_NOT_CHECKED);
	want(&x, "INV-02", "scope", NULL, CX_NOT_CHECKED);
	fx_free(&x);

	/* Hosts scanned, none answered: declared ones fail INV-01, and no
	 * undeclared host was found. */
	fx_init(&x, scope, 1);
	ck_assert_int_eq(
	    cx_object_load_hardware(x.obj, DATA "hardware-good.csv", &d), 0);
	add_host(&x, "127.0.0.1", 0);
	add_host(&x, "127.0.0.2", 0);
	ck_assert_int_eq(cx_check_inventory.run(&x.ctx), 0);
	dump_findings(&x);
	want(&x, "INV-01", "Annex 5 item 1", NULL, CX_FAIL);
	want(&x, "INV-01", "Annex 5 item 2", NULL, CX_FAIL);
	want(&x, "INV-02", "scope", NULL, CX_PASS);
	fx_free(&x);
	cx_diags_free(&d);
}
END_TEST

START_TEST(check_versions)
{
	static const char *const scope[] = {"127.0.0.0/24"};
	static struct cx_hw_row hw[] = {
	    {.line = 2, .item = "1", .addresses = "127.0.0.1"},
	    {.line = 3, .item = "2", .addresses = "127.0.0.2"},
	};
	static struct cx_sw_row sw[] = {
	    {.line = 2,
	     .item = "1",
	     .developer = "F5",
	     .name = "nginx web server",
	     .version = "1.24",
	     .installed_on = "2"},
	    {.line = 3,
	     .item = "2",
	     .developer = "F5",
	     .name = "nginx web server",
	     .version = "1.22",
	     .installed_on = "1"},
	    {.line = 4,
	     .item = "3",
	     .developer = "OpenBSD",
	     .name = "OpenSSH",
	     .version = "v9.2P1",
	     .installed_on = "1"},
	    {.line = 5,
	     .item = "4",
	     .developer = "Apache Software Foundation",
	     .name = "Tomcat",
	     .version = "1.2",
	     .installed_on = "2"},
	};
	struct fx x;
	struct cx_hw_row *keep_hw;
	struct cx_sw_row *keep_sw;

	fx_init(&x, scope, 1);
	keep_hw = x.obj->hardware;
	keep_sw = x.obj->software;
	x.obj->hardware = hw;
	x.obj->n_hardware = CX_ARRAY_LEN(hw);
	x.obj->software = sw;
	x.obj->n_software = CX_ARRAY_LEN(sw);
	add_host(&x, "127.0.0.1", 1);
	add_host(&x, "127.0.0.2", 1);
	add_host(&x, "127.0.0.5", 1);
	/* 1.24 is declared, but on item 2: on item 1 only 1.22 is. */
	add_port(&x, "127.0.0.1", 80, CX_PORT_OPEN, "nginx", "1.24.0");
	/* No row is installed on .5's hardware: any row may match. */
	add_port(&x, "127.0.0.5", 80, CX_PORT_OPEN, "nginx", "1.24.0");
	/* "v9.2P1" matches 9.2p1 (case and a leading v do not matter). */
	add_port(&x, "127.0.0.1", 22, CX_PORT_OPEN, "OpenSSH", "9.2p1");
	/* "1.2" is not a prefix of "1.22" on a component boundary. */
	add_port(&x, "127.0.0.2", 8080, CX_PORT_OPEN, "Apache Tomcat", "1.22");
	add_port(&x, "127.0.0.2", 8443, CX_PORT_OPEN, "Tomcat", "1.22");
	add_port(&x, "127.0.0.2", 8009, CX_PORT_OPEN, "Tomcat", "1.2-beta");
	ck_assert_int_eq(cx_check_inventory.run(&x.ctx), 0);
	dump_findings(&x);
	/* 1.24 is declared on item 2, where no nginx runs: not confirmed. */
	want(&x, "INV-03", "Annex 6 item 1", NULL, CX_NOT_APPLICABLE);
	/* On item 1 only 1.22 is declared, and 1.24.0 runs. */
	want(&x, "INV-03", "Annex 6 item 2", NULL, CX_FAIL);
	/* "v9.2P1" matches 9.2p1 (case and a leading v do not matter). */
	want(&x, "INV-03", "Annex 6 item 3", NULL, CX_PASS);
	/* Tomcat 1.2: "Apache Tomcat 1.22" and "Tomcat 1.22" differ (1.2 is
	 * not 1.22), 1.2-beta is 1.2 with a revision: one finding. */
	want(&x, "INV-03", "Annex 6 item 4", NULL, CX_FAIL);
	/* No row is installed on .5's hardware: undeclared there. */
	want(&x, "INV-03", "127.0.0.5", "nginx", CX_FAIL);
	want(&x, "INV-02", "127.0.0.5", NULL, CX_FAIL);
	x.obj->hardware = keep_hw;
	x.obj->n_hardware = 0;
	x.obj->software = keep_sw;
	x.obj->n_software = 0;
	fx_free(&x);
}
END_TEST

START_TEST(check_profile_subset)
{
	static const char *const scope[] = {"127.0.0.0/24"};
	struct cx_diags d = {0};
	struct fx x;
	size_t i;

	/* A profile without INV-02: those findings are not recorded. */
	fx_init(&x, scope, 1);
	x.prof.n_reqs = 1; /* INV-01 only */
	ck_assert_int_eq(
	    cx_object_load_hardware(x.obj, DATA "hardware-good.csv", &d), 0);
	add_host(&x, "127.0.0.1", 1);
	add_host(&x, "127.0.0.9", 1);
	add_port(&x, "127.0.0.9", 6379, CX_PORT_OPEN, "Redis", "7.0.1");
	ck_assert_int_eq(cx_check_inventory.run(&x.ctx), 0);
	ck_assert_uint_gt(x.run->n_findings, 0);
	for (i = 0; i < x.run->n_findings; i++)
		ck_assert_str_eq(x.run->findings[i].req_id, "INV-01");
	cx_diags_free(&d);
	fx_free(&x);
}
END_TEST

static Suite *inventory_suite(void)
{
	Suite *s = suite_create("inventory");
	TCase *load = tcase_create("load");
	TCase *chk = tcase_create("check");

	tcase_add_test(load, hardware_good);
	tcase_add_test(load, hardware_cp1251);
	tcase_add_test(load, hardware_bad);
	tcase_add_test(load, title_and_wrong_file);
	tcase_add_test(load, official_forms);
	tcase_add_test(load, software_good);
	tcase_add_test(load, software_bad);
	tcase_add_test(load, unreadable_files);
	suite_add_tcase(s, load);
	tcase_add_test(chk, check_full);
	tcase_add_test(chk, check_official);
	tcase_add_test(chk, check_os);
	tcase_add_test(chk, check_no_object);
	tcase_add_test(chk, check_empty_lists);
	tcase_add_test(chk, check_nothing_observed);
	tcase_add_test(chk, check_versions);
	tcase_add_test(chk, check_profile_subset);
	suite_add_tcase(s, chk);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(inventory_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
