/*
 * certexam — the inventory check at scale (checks/inventory_idx.c): 5,000
 * Annex 5 rows and 5,000 Annex 6 rows, loaded from CSV, against 5,000
 * hosts with 6,000 identified services (1,000 of them undeclared) must
 * give exactly the expected findings in bounded time.  Before the
 * indexes, each Annex 6 row walked every port and, for each, every
 * host and declaration (rows x hosts x declarations).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certexam/check.h"
#include "certexam/error.h"
#include "certexam/object.h"
#include "certexam/profile.h"
#include "certexam/run.h"
#include "certexam/target.h"
#include "certexam/util.h"

#include "inventory_util.h"

/* CX_SCALE_ROWS=N in the environment runs another size (to measure; the
 * counts asserted follow it). */
static int N_ROWS = 5000, N_EXTRA = 1000;
/* generous for sanitizer builds on a loaded machine; gcc -O2 takes well
 * under a second */
#define MAX_SECONDS 20.0

extern const struct cx_check cx_check_inventory;

static struct cx_requirement reqs[] = {
    {.id = "INV-01", .block = "inventory", .severity = CX_SEV_MEDIUM},
    {.id = "INV-02", .block = "inventory", .severity = CX_SEV_HIGH},
    {.id = "INV-03", .block = "inventory", .severity = CX_SEV_MEDIUM},
};

static void host_addr(int i, char *out, size_t n)
{
	snprintf(out, n, "10.1.%d.%d", i / 250, i % 250 + 1);
}

static char *write_lists(char *dir, char **sw_path)
{
	char *hw_path = cx_asprintf("%s/hardware.csv", dir), a[32];
	FILE *h, *s;
	int i;

	*sw_path = cx_asprintf("%s/software.csv", dir);
	ck_assert_ptr_nonnull(hw_path);
	ck_assert_ptr_nonnull(*sw_path);
	h = fopen(hw_path, "w");
	s = fopen(*sw_path, "w");
	ck_assert_ptr_nonnull(h);
	ck_assert_ptr_nonnull(s);
	fputs("item no.;manufacturer, model;serial/inventory no.;IS "
	      "certificate no.;physical location;type;main functional "
	      "purpose;utilized protection methods;developer, name, version "
	      "of integrated software;network addresses\n",
	      h);
	fputs("item;developer;name;version;installed_on;type;purpose;"
	      "protection\n",
	      s);
	for (i = 1; i <= N_ROWS; i++) {
		/* odd rows by address, even rows by host name */
		if (i % 2)
			host_addr(i, a, sizeof(a));
		else
			snprintf(a, sizeof(a), "host%d.test", i);
		fprintf(h, "%d;Model %d;SN-%d;;room;server;web;;;%s\n", i, i, i,
		        a);
		fprintf(s, "%d;Vendor %d;svc%04dz;1.%d;%d;service;work;\n", i,
		        i, i, i, i);
	}
	ck_assert_int_eq(fclose(h), 0);
	ck_assert_int_eq(fclose(s), 0);
	return hw_path;
}

static size_t count(const struct cx_run *run, const char *req,
                    enum cx_status st)
{
	size_t i, n = 0;

	for (i = 0; i < run->n_findings; i++)
		n += strcmp(run->findings[i].req_id, req) == 0 &&
		     run->findings[i].status == st;
	return n;
}

START_TEST(rows_against_services)
{
	char dir[] = "/tmp/cx-proc-scale-XXXXXX", a[32], prod[32], ver[32];
	char name[32];
	struct cx_object *o = obj_new();
	struct cx_run *run = cx_run_new();
	struct cx_diags d = {0};
	struct cx_scope scope = {0};
	struct cx_profile prof = {0};
	struct cx_scan_opts opts;
	struct cx_check_ctx ctx;
	struct cx_host_obs ho;
	struct cx_port_obs po;
	struct timespec t0, t1;
	char *hw, *sw;
	double secs;
	int i;

	if (getenv("CX_SCALE_ROWS") != NULL) {
		long v;

		ck_assert_int_eq(
		    cx_parse_long(getenv("CX_SCALE_ROWS"), 1, 60000, &v), 0);
		N_ROWS = (int)v;
		N_EXTRA = N_ROWS / 5;
	}
	ck_assert_int_gt(N_ROWS, 0);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	hw = write_lists(dir, &sw);
	ck_assert_ptr_nonnull(run);
	ck_assert_int_eq(cx_scope_add(&scope, "10.1.0.0/16", 0, &d, NULL, 0),
	                 0);
	for (i = 1; i <= N_ROWS; i++) {
		host_addr(i, a, sizeof(a));
		memset(&ho, 0, sizeof(ho));
		snprintf(name, sizeof(name), "host%d.test", i);
		ho.addr = a;
		ho.names = name;
		ho.up = 1;
		ck_assert_int_eq(cx_run_add_host(run, &ho), 0);
		memset(&po, 0, sizeof(po));
		po.addr = a;
		po.proto = "tcp";
		po.state = CX_PORT_OPEN;
		po.port = 8080;
		snprintf(prod, sizeof(prod), "svc%04dz", i);
		snprintf(ver, sizeof(ver), "1.%d", i);
		po.product = prod;
		po.version = ver;
		ck_assert_int_eq(cx_run_add_port(run, &po, NULL), 0);
		if (i > N_EXTRA)
			continue;
		po.port = 9000;
		snprintf(prod, sizeof(prod), "extra%04dq", i);
		po.product = prod;
		po.version = "2";
		ck_assert_int_eq(cx_run_add_port(run, &po, NULL), 0);
	}
	prof.id = "scale";
	prof.reqs = reqs;
	prof.n_reqs = CX_ARRAY_LEN(reqs);
	cx_scan_opts_default(&opts);
	memset(&ctx, 0, sizeof(ctx));
	ctx.obj = o;
	ctx.profile = &prof;
	ctx.scope = &scope;
	ctx.opts = &opts;
	ctx.run = run;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(cx_object_load_hardware(o, hw, &d), 0);
	ck_assert_int_eq(cx_object_load_software(o, sw, &d), 0);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_int_eq(cx_check_inventory.run(&ctx), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	fprintf(stderr,
	        "inventory scale: %d + %d rows, %d hosts, %d services: "
	        "%.3f s, %zu findings\n",
	        N_ROWS, N_ROWS, N_ROWS, N_ROWS + N_EXTRA, secs,
	        run->n_findings);
	/* every Annex 6 row matches its own service, every extra service is
	 * undeclared on its host, every Annex 5 address answered */
	ck_assert_uint_eq(count(run, "INV-03", CX_PASS), (size_t)N_ROWS);
	ck_assert_uint_eq(count(run, "INV-03", CX_FAIL), (size_t)N_EXTRA);
	ck_assert_uint_eq(count(run, "INV-01", CX_PASS), (size_t)N_ROWS);
	ck_assert_uint_eq(count(run, "INV-02", CX_FAIL), 0);
	ck_assert_msg(secs < MAX_SECONDS, "took %.1f s", secs);

	unlink(hw);
	unlink(sw);
	rmdir(dir);
	free(hw);
	free(sw);
	cx_diags_free(&d);
	cx_scope_free(&scope);
	cx_run_free(run);
	obj_del(o);
}
END_TEST

static Suite *scale_suite(void)
{
	Suite *s = suite_create("inventory_scale");
	TCase *tc = tcase_create("scale");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, rows_against_services);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(scale_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
