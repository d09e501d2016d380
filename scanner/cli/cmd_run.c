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
	static const struct cli_help h[] = {
	    {NULL, "cli.help.merge.usage"},
	    {"--allow-incomplete", "cli.help.merge.allow-incomplete"},
	    {"--profiles DIR", "cli.help.opt.profiles"},
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
			cli_help(c == 'h' ? stdout : stderr, h,
			         CX_ARRAY_LEN(h));
			return c == 'h' ? EXIT_CLEAN : EXIT_USAGE;
		}
	}
	cli_lang_profiles(pdir);
	if (argc - optind < 2) {
		cli_say("cli.merge.usage", NULL);
		return EXIT_USAGE;
	}
	cli_lang_case(argv[optind], pdir);
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
		if (out != NULL)
			cli_say("cli.merge.failed-kept",
			        CX_ARGS("error", cli_strerror(rc), "run",
			                out->dir));
		else
			cli_say("cli.merge.failed",
			        CX_ARGS("error", cli_strerror(rc)));
		ret =
		    rc == CX_ENOMEM || rc == CX_EIO ? EXIT_RUNTIME : EXIT_USAGE;
	} else {
		char num[4][24];

		snprintf(num[0], sizeof(num[0]), "%zu", n);
		snprintf(num[1], sizeof(num[1]), "%zu", out->n_hosts);
		snprintf(num[2], sizeof(num[2]), "%zu", out->n_ports);
		snprintf(num[3], sizeof(num[3]), "%zu", out->n_findings);
		cli_say(out->complete ? "cli.merge.done"
		                      : "cli.merge.done-incomplete",
		        CX_ARGS("runs", num[0], "hosts", num[1], "ports",
		                num[2], "findings", num[3]));
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

/* ---- show ---- */

static const char *port_state_msg(enum cx_port_state st)
{
	switch (st) {
	case CX_PORT_OPEN:
		return "cli.port.open";
	case CX_PORT_CLOSED:
		return "cli.port.closed";
	case CX_PORT_FILTERED:
		return "cli.port.filtered";
	default:
		return "cli.port.unknown";
	}
}

/*
 * The run on the terminal, in the terminal's language: what was run, the
 * ports, every finding that did not pass with its text rendered from its
 * message id and parameters (as the act renders it) and the raw observed
 * bytes, then the counts.  Every line is terminal-safe (cli_m).
 */
static int show_text(const struct cx_run *run, struct cx_buf *b)
{
	const struct cx_catalog *cat = cli_cat();
	size_t st[CX__STATUS_COUNT], sev[CX__SEV_COUNT], i;
	struct cx_buf t = {0};
	char num[16], base[16], n[6][24];
	int rc = CX_OK;

	cx_run_counts(run, st, sev);
	snprintf(num, sizeof(num), "%04d", run->number);
	snprintf(base, sizeof(base), "%04d", run->baseline);
	if (strcmp(run->kind, "additional") == 0)
		rc = cx_buf_printf(
		    b, "%s\n",
		    cli_m("cli.show.run-additional",
		          CX_ARGS("number", num, "baseline", base, "profile",
		                  run->profile_id, "version",
		                  run->profile_version)));
	else
		rc = cx_buf_printf(
		    b, "%s\n",
		    cli_m("cli.show.run",
		          CX_ARGS("number", num, "profile", run->profile_id,
		                  "version", run->profile_version)));
	if (rc == CX_OK && !run->complete)
		rc = cx_buf_printf(b, "%s\n",
		                   cli_m("cli.show.incomplete", NULL));
	for (i = 0; rc == CX_OK && i < run->n_ports; i++) {
		const struct cx_port_obs *p = &run->ports[i];
		char port[8];

		snprintf(port, sizeof(port), "%d", p->port);
		rc = cx_buf_printf(
		    b, "  %s\n",
		    cli_m("cli.show.port",
		          CX_ARGS("addr", p->addr, "port", port, "proto",
		                  p->proto, "state",
		                  cli_m(port_state_msg(p->state), NULL),
		                  "service", p->service ? p->service : "?",
		                  "product", p->product ? p->product : "",
		                  "version", p->version ? p->version : "")));
	}
	for (i = 0; rc == CX_OK && i < run->n_findings; i++) {
		const struct cx_finding *f = &run->findings[i];

		if (f->status == CX_PASS)
			continue;
		t.len = 0;
		rc = cx_buf_append(&t, "", 0);
		if (rc == CX_OK)
			rc = cx_finding_text(cat, f, &t);
		if (rc == CX_OK)
			rc = cx_buf_printf(
			    b, "  %s\n      %s\n",
			    cli_m("cli.show.finding",
			          CX_ARGS(
			              "status",
			              cli_m(cx_status_msg(f->status), NULL),
			              "severity",
			              cli_m(cx_severity_msg(f->severity), NULL),
			              "key", f->key)),
			    cli_m("cli.show.text", CX_ARGS("text", t.data)));
		/* the raw bytes as received, when the text is a message */
		if (rc == CX_OK && f->msg != NULL && f->observed != NULL &&
		    *f->observed)
			rc = cx_buf_printf(
			    b, "      %s\n",
			    cli_m("cli.show.observed",
			          CX_ARGS("observed", f->observed)));
	}
	for (i = 0; i < 6; i++)
		snprintf(n[i], sizeof(n[i]), "%zu", st[i]);
	if (rc == CX_OK)
		rc = cx_buf_printf(
		    b, "%s\n",
		    cli_m("cli.show.counts",
		          CX_ARGS("pass", n[CX_PASS], "fail", n[CX_FAIL], "na",
		                  n[CX_NOT_APPLICABLE], "nc", n[CX_NOT_CHECKED],
		                  "err", n[CX_ERROR], "waived", n[CX_WAIVED])));
	cx_buf_free(&t);
	return rc;
}

/*
 * show_text() in the terminal's language also for what the examiner wrote
 * in the case (22(1)/22(3) and Annex 3 notes, examiners' names): the
 * checks recorded each field's default text, so the case the run was made
 * from is read back and those strings are pointed at the terminal's
 * language, as the act does (cx_run_case_texts).  A run whose case cannot
 * be read is shown as recorded.
 */
static int show_case_text(struct cx_run *run, const char *schema,
                          struct cx_buf *b)
{
	struct cx_case_texts texts = {0};
	struct cx_object *obj = NULL;
	struct cx_diags d = {0};
	int rc;

	if (cx_run_load_object(run, schema, &obj, &d) == CX_OK && obj != NULL) {
		cx_object_localize(obj, cli_lang());
		/* on ENOMEM nothing is changed: shown as recorded */
		(void)cx_run_case_texts(run, obj, &texts);
	}
	rc = show_text(run, b);
	cx_run_case_texts_undo(&texts);
	cx_object_free(obj);
	cx_diags_free(&d);
	return rc;
}

int cmd_show(int argc, char **argv)
{
	static const struct option lo[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"profiles", required_argument, NULL, 'P'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	static const struct cli_help h[] = {
	    {NULL, "cli.help.show.usage"},
	    {"--format FORMAT", "cli.help.show.format"},
	    {"--profiles DIR", "cli.help.opt.profiles"},
	};
	const char *fmt = "text", *pdir = NULL;
	struct cx_diags d = {0};
	struct cx_run *run = NULL;
	struct cx_buf b = {0};
	char *schema = NULL;
	int c, rc, ret = EXIT_USAGE;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", lo, NULL)) != -1) {
		if (c == 'f') {
			fmt = optarg;
		} else if (c == 'P') {
			pdir = optarg;
		} else {
			cli_help(c == 'h' ? stdout : stderr, h,
			         CX_ARRAY_LEN(h));
			return c == 'h' ? EXIT_CLEAN : EXIT_USAGE;
		}
	}
	cli_lang_profiles(pdir);
	if (optind != argc - 1) {
		cli_say("cli.show.one-run", NULL);
		return EXIT_USAGE;
	}
	if (strcmp(fmt, "text") && strcmp(fmt, "json") && strcmp(fmt, "xml")) {
		cli_say("cli.show.bad-format", CX_ARGS("format", fmt));
		return EXIT_USAGE;
	}
	schema = cx_path_join(cli_find_profiles(pdir), "schema");
	rc = schema ? cx_run_load(argv[optind], schema, &run, &d) : CX_ENOMEM;
	if (rc == CX_OK && run->case_dir != NULL)
		cli_lang_case(run->case_dir, pdir);
	cli_print_diags(&d);
	if (rc) {
		cli_say(
		    "cli.run.unreadable",
		    CX_ARGS("run", argv[optind], "error", cli_strerror(rc)));
		goto out;
	}
	if (strcmp(fmt, "json") == 0) {
		rc = cx_run_to_json(run, &b);
	} else if (strcmp(fmt, "xml") == 0) {
		rc = cx_run_to_xml(run, &b);
	} else {
		rc = show_case_text(run, schema, &b);
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
