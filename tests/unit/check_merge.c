/*
 * Unit tests: merging runs (scanner/record/merge.c): the same finding key
 * from two vantages keeps both and the worst status, ports and hosts keep
 * the vantage they were seen from, evidence is copied and renumbered,
 * the merged run reads back (schema) with its vantages; refusals: other
 * profile, other case, incomplete (unless allowed), altered evidence.
 */
#define _GNU_SOURCE 1
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certexam/error.h"
#include "certexam/merge.h"
#include "certexam/run.h"
#include "certexam/util.h"

#define SCHEMA CX_SOURCE_PROFILES "/schema"

static char tmpdir[] = "/tmp/cx-check-merge-XXXXXX";
static char runs[512];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/cx-check-merge-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	snprintf(runs, sizeof(runs), "%s/runs", tmpdir);
}

static void teardown(void)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static void finding(struct cx_run *r, const char *asset, enum cx_status st,
                    enum cx_severity sev, const char *ev)
{
	struct cx_finding f;
	char *evs[1];

	memset(&f, 0, sizeof(f));
	f.check = "ports";
	f.req_id = "NET-01";
	f.asset = (char *)asset;
	f.status = st;
	f.severity = sev;
	f.title = st == CX_FAIL ? "telnet open" : "no telnet";
	if (ev != NULL) {
		evs[0] = (char *)ev;
		f.evidence = evs;
		f.n_evidence = 1;
	}
	ck_assert_int_eq(cx_run_add_finding(r, &f), CX_OK);
}

/* A stored run seen from vantage v; telnet on 127.0.0.9:23 is open
 * (with evidence) when open, else filtered. */
static struct cx_run *stored(const char *v, const char *profile, int open,
                             int complete)
{
	struct cx_run *r = cx_run_new(), *back = NULL;
	struct cx_host_obs h = {"127.0.0.9", NULL, open, NULL};
	struct cx_port_obs p;
	struct cx_diags d = {0};
	const char *id = NULL;
	char *dir;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(cx_run_place(r, runs), CX_OK);
	r->profile_id = cx_strdup(profile);
	r->profile_version = cx_strdup("1");
	r->tool_version = cx_strdup("test");
	r->examiner_host = cx_strdup(v);
	r->vantage = cx_strdup(v);
	r->started = 1700000000;
	r->finished = 1700000100;
	r->complete = complete;
	ck_assert_int_eq(cx_run_check_state(r, "ports", "done"), CX_OK);
	ck_assert_int_eq(cx_run_add_host(r, &h), CX_OK);
	memset(&p, 0, sizeof(p));
	p.addr = "127.0.0.9";
	p.port = 23;
	p.proto = "tcp";
	p.state = open ? CX_PORT_OPEN : CX_PORT_FILTERED;
	p.reason = open ? "syn-ack" : "no-response";
	if (open) {
		ck_assert_int_eq(cx_run_add_evidence(r, "127.0.0.9:23/tcp",
		                                     "banner", "telnet banner",
		                                     v, strlen(v), &id),
		                 CX_OK);
		p.service = "telnet";
		p.evidence = (char *)id;
	}
	ck_assert_int_eq(cx_run_add_port(r, &p, NULL), CX_OK);
	finding(r, "127.0.0.9", open ? CX_FAIL : CX_PASS,
	        open ? CX_SEV_CRITICAL : CX_SEV_INFO, id);
	ck_assert_int_eq(cx_run_save(r), CX_OK);
	dir = cx_strdup(r->dir);
	cx_run_free(r);
	ck_assert_int_eq(cx_run_load(dir, SCHEMA, &back, &d), CX_OK);
	free(dir);
	cx_diags_free(&d);
	return back;
}

START_TEST(test_merge_vantages)
{
	struct cx_run *in[2], *m = NULL, *back = NULL;
	struct cx_diags d = {0};
	const struct cx_finding *f;
	size_t i, notes = 0;

	in[0] = stored("west", "p", 0, 1);
	in[1] = stored("east", "p", 1, 1);
	ck_assert_int_eq(cx_run_merge(in, 2, runs, 0, "merge", &m, &d), CX_OK);
	ck_assert_int_eq(m->complete, 1);
	ck_assert_uint_eq(m->n_findings, 1);
	f = &m->findings[0];
	ck_assert_int_eq(f->status, CX_FAIL); /* the worst */
	ck_assert_int_eq(f->severity, CX_SEV_CRITICAL);
	ck_assert_str_eq(f->vantage, "west east");
	ck_assert_str_eq(f->title, "telnet open");
	ck_assert_uint_eq(f->n_evidence, 1);
	ck_assert_str_eq(f->evidence[0], m->evidence[0].id);
	ck_assert_uint_eq(m->n_ports, 1);
	ck_assert_int_eq(m->ports[0].state, CX_PORT_OPEN);
	ck_assert_str_eq(m->ports[0].vantage, "east");
	ck_assert_str_eq(m->ports[0].evidence, m->evidence[0].id);
	ck_assert_uint_eq(m->n_hosts, 1);
	ck_assert_int_eq(m->hosts[0].up, 1);
	ck_assert_str_eq(m->hosts[0].vantage, "east");
	for (i = 0; i < m->n_obs; i++)
		if (strcmp(m->obs[i].kind, "vantage-port") == 0) {
			notes++;
			ck_assert_str_eq(m->obs[i].vantage, "west");
			ck_assert_str_eq(cx_obs_get(&m->obs[i], "state"),
			                 "filtered");
		}
	ck_assert_uint_eq(notes, 1);
	/* Reads back with its vantages and verifies. */
	ck_assert_int_eq(cx_run_load(m->dir, SCHEMA, &back, &d), CX_OK);
	ck_assert_int_eq(cx_run_verify(back, &d), CX_OK);
	ck_assert_str_eq(back->findings[0].vantage, "west east");
	ck_assert_str_eq(back->ports[0].vantage, "east");
	ck_assert_str_eq(back->hosts[0].vantage, "east");
	ck_assert_int_eq(back->number, 3);
	cx_run_free(back);
	cx_run_free(m);
	cx_run_free(in[0]);
	cx_run_free(in[1]);
	cx_diags_free(&d);
}
END_TEST

/* The same key, same status: the higher severity, both vantages once. */
START_TEST(test_merge_same_status)
{
	struct cx_run *in[3], *m = NULL;
	struct cx_diags d = {0};

	in[0] = stored("a", "p", 1, 1);
	in[1] = stored("b", "p", 1, 1);
	in[2] = stored("a", "p", 1, 1);
	ck_assert_int_eq(cx_run_merge(in, 3, runs, 0, NULL, &m, &d), CX_OK);
	ck_assert_uint_eq(m->n_findings, 1);
	ck_assert_str_eq(m->findings[0].vantage, "a b");
	/* "a" twice: one evidence file (same bytes), "b": another. */
	ck_assert_uint_eq(m->n_evidence, 2);
	ck_assert_uint_eq(m->findings[0].n_evidence, 2);
	ck_assert_str_eq(m->ports[0].vantage, "a b");
	cx_run_free(m);
	for (int i = 0; i < 3; i++)
		cx_run_free(in[i]);
	cx_diags_free(&d);
}
END_TEST

START_TEST(test_merge_refused)
{
	struct cx_run *in[2], *m = NULL;
	struct cx_diags d = {0};
	char path[700];
	FILE *fp;

	in[0] = stored("a", "p", 1, 1);
	in[1] = stored("b", "other", 1, 1);
	ck_assert_int_eq(cx_run_merge(in, 2, runs, 0, NULL, &m, &d), CX_EINVAL);
	ck_assert_ptr_null(m);
	ck_assert_uint_ge(d.n, 1);
	ck_assert_ptr_nonnull(strstr(d.items[0].message, "different profiles"));
	cx_run_free(in[1]);
	cx_diags_free(&d);
	memset(&d, 0, sizeof(d));

	in[1] = stored("b", "p", 1, 1);
	free(in[1]->case_dir);
	in[1]->case_dir = cx_strdup("/elsewhere");
	ck_assert_int_eq(cx_run_merge(in, 2, runs, 0, NULL, &m, &d), CX_EINVAL);
	cx_run_free(in[1]);
	cx_diags_free(&d);
	memset(&d, 0, sizeof(d));

	/* Incomplete: refused, or merged and marked incomplete. */
	in[1] = stored("b", "p", 1, 0);
	ck_assert_int_eq(cx_run_merge(in, 2, runs, 0, NULL, &m, &d), CX_EINVAL);
	ck_assert_ptr_nonnull(strstr(d.items[0].message, "--allow-incomplete"));
	ck_assert_int_eq(cx_run_merge(in, 2, runs, 1, NULL, &m, &d), CX_OK);
	ck_assert_int_eq(m->complete, 0);
	cx_run_free(m);
	m = NULL;

	/* Altered evidence: the verification refuses it. */
	snprintf(path, sizeof(path), "%s/%s", in[1]->dir,
	         in[1]->evidence[0].file);
	fp = fopen(path, "ab");
	ck_assert_ptr_nonnull(fp);
	fputc('X', fp);
	fclose(fp);
	ck_assert_int_eq(cx_run_merge(in, 2, runs, 1, NULL, &m, &d),
	                 CX_EINTEGRITY);
	ck_assert_ptr_null(m);
	ck_assert_int_eq(cx_run_merge(in, 0, runs, 1, NULL, &m, &d), CX_EINVAL);
	cx_run_free(in[0]);
	cx_run_free(in[1]);
	cx_diags_free(&d);
}
END_TEST

static Suite *merge_suite(void)
{
	Suite *s = suite_create("merge");
	TCase *tc = tcase_create("merge");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_merge_vantages);
	tcase_add_test(tc, test_merge_same_status);
	tcase_add_test(tc, test_merge_refused);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(merge_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
