/*
 * certexam — command line: the commands on stored runs: merge (vantages and
 * shards into one run) and show (a run on the terminal or as JSON).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certexam/act.h"
#include "certexam/calendar.h"
#include "certexam/cert.h"
#include "certexam/check.h"
#include "certexam/deadlines.h"
#include "certexam/error.h"
#include "certexam/escape.h"
#include "certexam/i18n.h"
#include "certexam/loop.h"
#include "certexam/merge.h"
#include "certexam/object.h"
#include "certexam/profile.h"
#include "certexam/run.h"
#include "certexam/scan.h"
#include "certexam/target.h"
#include "certexam/util.h"
#include "certexam/version.h"
#include "commands.h"

/* ---- merge ---- */

/* A RUN argument: a folder with run.xml, else a number under CASE/runs. */
static char *merge_run_dir(const char *case_dir, const char *arg)
{
	long n;

	if (cli_is_run_dir(arg) || cx_parse_long(arg, 1, 9999, &n) != 0)
		return cx_strdup(arg);
	return cli_run_dir_of(case_dir, (int)n);
}

int cmd_merge(int argc, char **argv)
{
	static const struct option lo[] = {
	    {"allow-incomplete", no_argument, NULL, 'a'},
	    {"profiles", required_argument, NULL, 'P'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct cx_diags d = {0};
	struct cx_run **runs = NULL, *out = NULL;
	struct cx_buf cmd = {0};
	const char *pdir = NULL;
	char *schema = NULL, *runs_dir = NULL, *dir;
	size_t n = 0, i;
	int c, rc = CX_OK, ret = EXIT_USAGE, allow = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 'a') {
			allow = 1;
		} else if (c == 'P') {
			pdir = optarg;
		} else {
			fprintf(
			    c == 'h' ? stdout : stderr,
			    "Usage: certexam merge CASE RUN... "
			    "[--allow-incomplete]\n\n"
			    "Merge runs of one examination made from "
			    "several vantage points (scan --vantage)\n"
			    "or as shards of the scope (scan --shard i/n) "
			    "into a new run CASE/runs/NNNN/.\n"
			    "RUN is a run number under CASE/runs or a run "
			    "folder. Every run's evidence is\n"
			    "verified and copied; runs of other profiles or "
			    "cases are refused, and so is\n"
			    "an incomplete run unless --allow-incomplete "
			    "(the merged run is then incomplete).\n");
			return c == 'h' ? EXIT_CLEAN : EXIT_USAGE;
		}
	}
	if (argc - optind < 2) {
		fprintf(stderr, "%s merge: expected CASE and one RUN or more\n",
		        cli_prog);
		return EXIT_USAGE;
	}
	schema = cx_path_join(cli_find_profiles(pdir), "schema");
	runs_dir = cx_path_join(argv[optind], "runs");
	runs = calloc((size_t)(argc - optind), sizeof(*runs));
	if (schema == NULL || runs_dir == NULL || runs == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	for (i = (size_t)optind + 1; i < (size_t)argc && rc == CX_OK; i++) {
		dir = merge_run_dir(argv[optind], argv[i]);
		rc = dir ? cx_run_load(dir, schema, &runs[n], &d) : CX_ENOMEM;
		if (rc == CX_OK)
			n++;
		free(dir);
	}
	for (i = 0; i < (size_t)argc && rc == CX_OK; i++)
		rc = cx_buf_printf(&cmd, "%s%s", i ? " " : "", argv[i]);
	if (rc == CX_OK)
		rc = cx_run_merge(runs, n, runs_dir, allow, cmd.data, &out, &d);
	/* Shards skipped the checks judged on the whole scope: run now. */
	if (rc == CX_OK)
		rc = cx_scan_recheck(out, cli_find_profiles(pdir), &d);
out:
	cli_print_diags(&d);
	if (rc != CX_OK) {
		fprintf(stderr, "%s merge: %s%s%s\n", cli_prog, cx_strerror(rc),
		        out ? "; the merged run is kept: " : "",
		        out ? cli_tsafe(out->dir) : "");
		ret =
		    rc == CX_ENOMEM || rc == CX_EIO ? EXIT_RUNTIME : EXIT_USAGE;
	} else {
		fprintf(stderr,
		        "%s merge: %zu run(s): %zu host(s), %zu port(s), "
		        "%zu finding(s)%s\n",
		        cli_prog, n, out->n_hosts, out->n_ports,
		        out->n_findings, out->complete ? "" : "; INCOMPLETE");
		printf("%s\n", cli_tsafe(out->dir));
		ret = EXIT_CLEAN;
	}
	for (i = 0; i < n; i++)
		cx_run_free(runs[i]);
	free(runs);
	cx_run_free(out);
	cx_buf_free(&cmd);
	free(schema);
	free(runs_dir);
	cx_diags_free(&d);
	return ret;
}

int cmd_show(int argc, char **argv)
{
	static const struct option lo[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"profiles", required_argument, NULL, 'P'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *fmt = "text", *pdir = NULL;
	struct cx_diags d = {0};
	struct cx_run *run = NULL;
	struct cx_buf b = {0};
	char *schema = NULL;
	size_t i;
	int c, rc, ret = EXIT_USAGE;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", lo, NULL)) != -1) {
		if (c == 'f') {
			fmt = optarg;
		} else if (c == 'P') {
			pdir = optarg;
		} else {
			fprintf(
			    c == 'h' ? stdout : stderr,
			    "Usage: certexam show RUN_DIR [--format "
			    "text|json|xml]\n\nPrint a stored run record. "
			    "--format json prints it as one JSON document "
			    "(see README:\n\"The run record as JSON\"), for "
			    "jq.\n");
			return c == 'h' ? EXIT_CLEAN : EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s show: expected one RUN folder\n", cli_prog);
		return EXIT_USAGE;
	}
	if (strcmp(fmt, "text") && strcmp(fmt, "json") && strcmp(fmt, "xml")) {
		fprintf(stderr,
		        "%s show: --format: '%s' is not text, json or "
		        "xml\n",
		        cli_prog, cli_tsafe(fmt));
		return EXIT_USAGE;
	}
	schema = cx_path_join(cli_find_profiles(pdir), "schema");
	rc = schema ? cx_run_load(argv[optind], schema, &run, &d) : CX_ENOMEM;
	cli_print_diags(&d);
	if (rc) {
		fprintf(stderr, "%s show: %s: %s\n", cli_prog,
		        cli_tsafe(argv[optind]), cx_strerror(rc));
		goto out;
	}
	if (strcmp(fmt, "json") == 0) {
		rc = cx_run_to_json(run, &b);
	} else if (strcmp(fmt, "xml") == 0) {
		rc = cx_run_to_xml(run, &b);
	} else {
		size_t st[CX__STATUS_COUNT], sev[CX__SEV_COUNT];
		cx_run_counts(run, st, sev);
		cx_buf_printf(&b, "run %04d (%s)%s, profile ", run->number,
		              run->kind, run->complete ? "" : " INCOMPLETE");
		cx_esc_term(&b, run->profile_id);
		cx_buf_printf(&b, " %s\n", run->profile_version);
		for (i = 0; i < run->n_ports; i++) {
			const struct cx_port_obs *p = &run->ports[i];
			cx_buf_puts(&b, "  ");
			cx_esc_term(&b, p->addr);
			cx_buf_printf(&b, ":%d/%s %s ", p->port, p->proto,
			              cx_port_state_name(p->state));
			cx_esc_term(&b, p->service ? p->service : "?");
			cx_buf_putc(&b, ' ');
			cx_esc_term(&b, p->product ? p->product : "");
			cx_buf_putc(&b, ' ');
			cx_esc_term(&b, p->version ? p->version : "");
			cx_buf_putc(&b, '\n');
		}
		for (i = 0; i < run->n_findings; i++) {
			const struct cx_finding *f = &run->findings[i];
			if (f->status == CX_PASS)
				continue;
			cx_buf_printf(&b, "  %-14s %-8s ",
			              cx_status_name(f->status),
			              cx_severity_name(f->severity));
			cx_esc_term(&b, f->key);
			cx_buf_puts(&b, "\n      ");
			cx_esc_term(&b, f->observed ? f->observed : "");
			cx_buf_putc(&b, '\n');
		}
		cx_buf_printf(&b,
		              "findings: %zu pass, %zu fail, %zu n/a, %zu not "
		              "checked, %zu error, %zu waived\n",
		              st[0], st[1], st[2], st[3], st[4], st[5]);
		rc = CX_OK;
	}
	if (rc) {
		ret = EXIT_RUNTIME;
		goto out;
	}
	fwrite(b.data ? b.data : "", 1, b.len, stdout);
	ret = EXIT_CLEAN;
out:
	cx_buf_free(&b);
	cx_run_free(run);
	cx_diags_free(&d);
	free(schema);
	return ret;
}
