/*
 * certexam — unit tests for the inventory check (checks/inventory.c):
 * declared Annex 5/6 lists against what the scan found.  The loaders of
 * the lists are tested in check_inventory_load.c.
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

#include "inventory_util.h"

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
	/* the words are a message id; .observed holds only raw text */
	ck_assert_ptr_nonnull(found->msg);
	ck_assert(strncmp(found->msg, "inv.", 4) == 0);
	free(key);
	return found;
}

/* The value of the finding's parameter name ("" when absent). */
static const char *arg(const struct cx_finding *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n_args; i++)
		if (strcmp(f->args[i].name, name) == 0)
			return f->args[i].value;
	return "";
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
	ck_assert_str_eq(f->msg, "inv.hw.silent");
	ck_assert_str_eq(arg(f, "silent"), "127.0.0.2");
	ck_assert_str_eq(arg(f, "unseen"), "::1");
	/* The UPS has no address: a note, not a deficiency. */
	want(&x, "INV-01", "Annex 5 item 3", NULL, CX_NOT_APPLICABLE);
	/* 10.9.0.5 is outside the scope; a host in 127.0.1.0/24 answered. */
	f = want(&x, "INV-01", "Annex 5 item 4", NULL, CX_PASS);
	ck_assert_str_eq(f->msg, "inv.hw.present");
	ck_assert(strstr(arg(f, "unseen"), "10.9.0.5") != NULL);

	/* One INV-02 per undeclared host; 127.0.1.1 is in item 4's block. */
	f = want(&x, "INV-02", "127.0.0.9", NULL, CX_FAIL);
	ck_assert_int_eq(f->severity, CX_SEV_HIGH); /* from the profile */
	ck_assert_str_eq(f->req_source, "Annex 5");

	/* One INV-03 per Annex 6 row, whatever the ports. */
	want(&x, "INV-03", "Annex 6 item 1", NULL, CX_PASS);
	/* nginx 1.22 declared; 1.22.1 on 80 is more than "1.22" says, 1.2.9
	 * on 8080 differs, 443 hides its version: one deficiency. */
	f = want(&x, "INV-03", "Annex 6 item 2", NULL, CX_FAIL);
	ck_assert_str_eq(f->msg, "inv.sw.differs");
	ck_assert_str_eq(arg(f, "differing"), "nginx 1.22.1 127.0.0.1:80/tcp; "
	                                      "nginx 1.2.9 127.0.0.1:8080/tcp");
	ck_assert(strstr(f->observed, "nginx 127.0.0.1:443/tcp") != NULL);
	want(&x, "INV-03", "Annex 6 item 3", NULL, CX_PASS);
	f = want(&x, "INV-03", "127.0.0.9", "redis", CX_FAIL);
	ck_assert_str_eq(f->msg, "inv.sw.undeclared");
	ck_assert_str_eq(arg(f, "ports"), "6379/tcp");
	ck_assert_str_eq(f->observed, "Redis 7.0.1");
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
	ck_assert_str_eq(f->msg, "inv.hw.row-bad");
	ck_assert_str_eq(arg(f, "places"), "hardware-official-cp1251.csv:9:10");
	want(&x, "INV-01", "Annex 5 item 3", NULL, CX_FAIL);
	want(&x, "INV-02", "127.0.0.9", NULL, CX_FAIL);
	f = want(&x, "INV-03", "Annex 6 item 1", NULL, CX_PASS);
	ck_assert_str_eq(f->observed, "nginx 1.22.1 127.0.0.1:80/tcp; "
	                              "nginx 1.22.1 127.0.0.1:443/tcp");
	want(&x, "INV-03", "Annex 6 item 2", NULL, CX_PASS);
	want(&x, "INV-03", "Annex 6 item 3", NULL, CX_PASS);
	f = want(&x, "INV-03", "Annex 6 item 4", NULL, CX_NOT_CHECKED);
	ck_assert_str_eq(f->msg, "inv.sw.row-bad");
	ck_assert_str_eq(arg(f, "places"), "software-official-cp1251.csv:7:5");
	f = want(&x, "INV-03", "127.0.0.1", "os", CX_PASS);
	ck_assert_str_eq(f->msg, "inv.os.matches");
	ck_assert_str_eq(arg(f, "os"), "Debian 12");
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
	ck_assert_str_eq(f->msg, "inv.os.release-differs");
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
	ck_assert_str_eq(f->msg, "inv.sw.undeclared");
	ck_assert_str_eq(arg(f, "host"), "127.0.0.1");
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
	TCase *chk = tcase_create("check");

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
