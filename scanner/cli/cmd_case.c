/*
 * certexam — command line: the commands on the case itself: init (templates),
 * validate (form and completeness of the package, paras 13-14; --profiles) and
 * deadlines (the working-day terms of the procedure).
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

/* ---- init ---- */

int cmd_init(int argc, char **argv)
{
	int rc;

	if (argc != 2 || strcmp(argv[1], "--help") == 0) {
		fprintf(
		    argc == 2 ? stdout : stderr,
		    "Usage: certexam init CASE\n\n"
		    "Create the case folder CASE with templates to fill in:\n"
		    "  object.xml    the object, its scope, Annexes 2-4 data\n"
		    "  hardware.csv  Annex 5 (list of hardware)\n"
		    "  software.csv  Annex 6 (list of software)\n"
		    "Nothing is overwritten: if any of these exists, nothing "
		    "is written.\n");
		return argc == 2 ? EXIT_CLEAN : EXIT_USAGE;
	}
	rc = cx_case_init(argv[1]);
	if (rc == CX_EEXIST) {
		fprintf(stderr,
		        "%s: %s: a case already exists there; nothing "
		        "was written\n",
		        cli_prog, cli_tsafe(argv[1]));
		return EXIT_USAGE;
	}
	if (rc) {
		fprintf(stderr, "%s: %s: cannot create the case: %s\n",
		        cli_prog, argv[1], cx_strerror(rc));
		return EXIT_RUNTIME;
	}
	printf("%s\n", argv[1]);
	fprintf(stderr,
	        "Case created. Fill in %s/object.xml, hardware.csv and "
	        "software.csv, then run 'certexam validate %s'.\n",
	        argv[1], argv[1]);
	return EXIT_CLEAN;
}

/* ---- validate ---- */

/* certexam validate --profiles DIR: every profile resolves. */
static int validate_profiles(const char *pdir)
{
	struct cx_diags d = {0};
	size_t n = 0;
	int rc = cx_profile_check_dir(pdir, &n, &d);

	cli_print_diags(&d);
	cx_diags_free(&d);
	if (rc == CX_OK && n == 0) {
		fprintf(stderr, "%s: %s: no profile found\n", cli_prog,
		        cli_tsafe(pdir));
		return EXIT_FOUND;
	}
	if (rc == CX_OK)
		printf("%s: %zu profile(s) resolve\n", cli_tsafe(pdir), n);
	return rc == CX_OK        ? EXIT_CLEAN
	       : rc == CX_ESCHEMA ? EXIT_FOUND
	                          : EXIT_USAGE;
}

int cmd_validate(int argc, char **argv)
{
	static const struct option lo[] = {
	    {"profiles", required_argument, NULL, 'P'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct cx_diags d = {0};
	struct cx_object *obj = NULL;
	struct cx_profile *prof = NULL;
	const char *pdir = NULL, *pid;
	char *path = NULL, *schema = NULL;
	int c, rc, ret = EXIT_CLEAN;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 'P') {
			pdir = optarg;
		} else {
			fprintf(
			    c == 'h' ? stdout : stderr,
			    "Usage: certexam validate CASE [--profiles DIR]"
			    "\n       certexam validate --profiles DIR"
			    "\n\nCheck the package of documents for form and "
			    "completeness (Rules, paras 13-14):\nobject.xml "
			    "against its schema, hardware.csv (Annex 5), "
			    "software.csv (Annex 6),\nthe Annex 3 documents "
			    "and the scope. Every problem is printed with "
			    "its\nfile, line and field. Exit 0 when complete, "
			    "1 when problems were found,\n2 when the case "
			    "cannot be read. Without CASE: check that every "
			    "profile in DIR\nresolves against its catalogue "
			    "of requirements.\n");
			return c == 'h' ? EXIT_CLEAN : EXIT_USAGE;
		}
	}
	if (optind == argc && pdir != NULL)
		return validate_profiles(pdir);
	if (optind != argc - 1) {
		fprintf(stderr,
		        "%s validate: expected one CASE folder (see "
		        "--help)\n",
		        cli_prog);
		return EXIT_USAGE;
	}
	cli_lang_profiles(pdir);
	pdir = cli_find_profiles(pdir);
	schema = cx_path_join(pdir, "schema");
	path = cx_path_join(argv[optind], "object.xml");
	if (schema == NULL || path == NULL) {
		ret = EXIT_RUNTIME;
		goto out;
	}
	rc = cx_object_load(path, schema, &obj, &d);
	if (rc == CX_OK)
		cli_lang_object(obj);
	if (rc == CX_OK) {
		free(path);
		path = cx_path_join(argv[optind], "hardware.csv");
		if (path && cx_path_exists(path))
			cx_object_load_hardware(obj, path, &d);
		else
			cx_diag_add(&d, path, 0, NULL,
			            "missing: the Annex 5 list of hardware is "
			            "required (para 13(6))");
		free(path);
		path = cx_path_join(argv[optind], "software.csv");
		if (path && cx_path_exists(path))
			cx_object_load_software(obj, path, &d);
		else
			cx_diag_add(&d, path, 0, NULL,
			            "missing: the Annex 6 list of software is "
			            "required (para 13(6))");
		cx_object_check_complete(obj, &d);
		pid = obj->profile ? obj->profile
		                   : cx_object_type_name(obj->type);
		if (pid != NULL && cx_profile_load_id(pdir, pid, &prof, &d))
			cx_diag_add(&d, obj->path, 0, "profile",
			            "profile '%s' cannot be loaded", pid);
	} else if (rc == CX_ENOENT) {
		cli_print_diags(&d);
		cli_say("cli.case.no-object", CX_ARGS("case", argv[optind]));
		ret = EXIT_USAGE;
		goto out;
	}
	cli_print_diags(&d);
	if (cx_diag_errors(&d) > 0) {
		char n[24];

		snprintf(n, sizeof(n), "%zu", cx_diag_errors(&d));
		cli_say("cli.validate.problems", CX_ARGS("count", n));
		ret = EXIT_FOUND;
	} else {
		printf("%s\n", cli_m("cli.validate.complete",
		                     CX_ARGS("case", argv[optind])));
	}
out:
	cx_object_free(obj);
	cx_profile_free(prof);
	cx_diags_free(&d);
	free(path);
	free(schema);
	return ret;
}

/* ---- deadlines ---- */

/* An event of the procedure in the terminal's language. */
static const char *event_text(enum cx_event e)
{
	static const char *const id[CX__EV_COUNT] = {
	    [CX_EV_APPLICATION_RECEIVED] = "cli.event.application-received",
	    [CX_EV_CONTRACT_SENT] = "cli.event.contract-sent",
	    [CX_EV_CONTRACT_RECEIVED] = "cli.event.contract-received",
	    [CX_EV_CONTRACT_RETURNED] = "cli.event.contract-returned",
	    [CX_EV_CONTRACT_IN_FORCE] = "cli.event.contract-in-force",
	    [CX_EV_ACT] = "cli.event.act",
	    [CX_EV_ACT_RECEIVED] = "cli.event.act-received",
	    [CX_EV_DECISION] = "cli.event.decision",
	    [CX_EV_ACT_SENT] = "cli.event.act-sent",
	    [CX_EV_ACT_DELIVERED] = "cli.event.act-delivered",
	    [CX_EV_RECTIFICATION_NOTIFIED] = "cli.event.rectification-notified",
	    [CX_EV_ADDITIONAL_REQUESTED] = "cli.event.additional-requested",
	    [CX_EV_ADDITIONAL_ACT] = "cli.event.additional-act",
	};

	return (unsigned)e < CX__EV_COUNT ? cli_m(id[e], NULL) : "?";
}

/* What a term requires, by the event that closes it (one term each). */
static const char *term_what(const struct cx_term *t)
{
	switch (t->until) {
	case CX_EV_CONTRACT_SENT:
		return cli_m("cli.term.contract-sent", NULL);
	case CX_EV_CONTRACT_RETURNED:
		return cli_m("cli.term.contract-returned", NULL);
	case CX_EV_ACT:
		return cli_m(t->days == 40 ? "cli.term.act-distributed"
		                           : "cli.term.act",
		             NULL);
	case CX_EV_DECISION:
		return cli_m("cli.term.decision", NULL);
	case CX_EV_ACT_SENT:
		return cli_m("cli.term.act-sent", NULL);
	case CX_EV_RECTIFICATION_NOTIFIED:
		return cli_m("cli.term.rectification-notified", NULL);
	case CX_EV_ADDITIONAL_REQUESTED:
		return cli_m("cli.term.additional-requested", NULL);
	case CX_EV_ADDITIONAL_ACT:
		return cli_m("cli.term.additional-act", NULL);
	default:
		return cli_tsafe(t->what);
	}
}

/* A term's state as the act words it (cx_term_state_msg), escaped for
 * the terminal; the buffer is reused on the next call. */
static const char *term_state(const struct cx_term *t)
{
	static struct cx_buf raw, out;

	raw.len = 0;
	out.len = 0;
	if (cx_buf_append(&raw, "", 0) ||
	    cx_term_state_msg(&raw, cli_cat(), t, event_text(t->from)) ||
	    cx_buf_append(&out, "", 0) || cx_esc_term(&out, raw.data) ||
	    out.data == NULL)
		return "";
	return out.data;
}

/* The timeline in the terminal's language (cx_deadlines_text in words
 * of the catalogs). */
static int deadlines_text(const struct cx_deadlines *dl, struct cx_buf *b)
{
	char today[16], base[16], days[16];
	size_t i;
	int y, rc;

	cx_date_str(dl->today, today, sizeof(today));
	rc = cx_buf_printf(
	    b, "%s\n%s\n\n", cli_m("cli.deadlines.intro", NULL),
	    cli_m("cli.deadlines.today", CX_ARGS("today", today)));
	for (i = 0; rc == CX_OK && i < dl->n_terms; i++) {
		const struct cx_term *t = &dl->terms[i];
		const char *from = event_text(t->from);

		base[0] = '\0';
		if (t->base >= 0)
			cx_date_str(t->base, base, sizeof(base));
		snprintf(days, sizeof(days), "%d", t->days);
		rc = cx_buf_printf(
		    b, "%s\n              %s\n",
		    cli_m(base[0] ? "cli.deadlines.term"
		                  : "cli.deadlines.term-no-date",
		          CX_ARGS("para", t->para, "what", term_what(t), "days",
		                  days, "event", from, "date", base)),
		    term_state(t));
		if (rc == CX_OK && t->incomplete)
			rc = cx_buf_printf(
			    b, "              %s\n",
			    cli_m("cli.deadlines.calendar-incomplete", NULL));
	}
	if (rc == CX_OK && dl->proc.from_object)
		rc = cx_buf_printf(
		    b, "\n%s\n",
		    cli_m("cli.deadlines.contract-from-object", NULL));
	for (i = 0; i < dl->n_terms && !dl->terms[i].incomplete; i++)
		;
	for (y = dl->cal->first_year;
	     rc == CX_OK && i < dl->n_terms && y <= dl->cal->last_year; y++) {
		int k = y - dl->cal->first_year;
		char year[8];

		snprintf(year, sizeof(year), "%d", y);
		if (dl->cal->notes[k] != NULL && !dl->cal->complete[k])
			rc = cx_buf_printf(b, "\n%s\n",
			                   cli_m("cli.deadlines.calendar-note",
			                         CX_ARGS("year", year, "note",
			                                 dl->cal->notes[k])));
	}
	return rc;
}

/* certexam deadlines CASE [--today DATE]: the timeline of the terms. */
int cmd_deadlines(int argc, char **argv)
{
	static const struct option lo[] = {
	    {"today", required_argument, NULL, 't'},
	    {"profiles", required_argument, NULL, 'P'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct cx_diags d = {0};
	struct cx_object *obj = NULL;
	struct cx_deadlines dl;
	struct cx_buf b = {0};
	const char *pdir = NULL;
	char *path = NULL, *schema = NULL, day[16];
	long today = (long)(time(NULL) / 86400);
	int c, rc, ret = EXIT_CLEAN;

	memset(&dl, 0, sizeof(dl));
	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 'P') {
			pdir = optarg;
		} else if (c == 't' && cx_date_parse(optarg, &today) == CX_OK) {
			continue;
		} else {
			fprintf(
			    c == 'h' ? stdout : stderr,
			    "Usage: certexam deadlines CASE [--today "
			    "YYYY-MM-DD] [--profiles DIR]\n\nThe terms of "
			    "the procedure (Rules, paras 17, 19, 27, 28, 30, "
			    "31, 33, 34)\nin working days of the calendar "
			    "(profiles/calendar/), from the dates of\n"
			    "CASE/procedure.xml and object.xml. Exit 0 when "
			    "nothing is overdue, 1 when\na term is overdue, "
			    "2 on a usage or input error.\n");
			return c == 'h' ? EXIT_CLEAN : EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s deadlines: expected one CASE folder\n",
		        cli_prog);
		return EXIT_USAGE;
	}
	cli_lang_profiles(pdir);
	pdir = cli_find_profiles(pdir);
	schema = cx_path_join(pdir, "schema");
	path = cx_path_join(argv[optind], "object.xml");
	if (schema == NULL || path == NULL) {
		ret = EXIT_RUNTIME;
		goto out;
	}
	rc = cx_object_load(path, schema, &obj, &d);
	if (rc == CX_OK)
		cli_lang_object(obj);
	if (rc == CX_OK)
		rc = cx_deadlines_load(argv[optind], pdir, obj, today, &dl, &d);
	if (rc == CX_OK)
		rc = deadlines_text(&dl, &b);
	cli_print_diags(&d);
	if (rc) {
		cli_say("cli.deadlines.failed",
		        CX_ARGS("error", cli_strerror(rc)));
		ret = rc == CX_ENOMEM ? EXIT_RUNTIME : EXIT_USAGE;
		goto out;
	}
	fputs(b.data ? b.data : "", stdout);
	if (cx_deadlines_overdue(&dl) > 0) {
		char n[24];

		cx_date_str(today, day, sizeof(day));
		snprintf(n, sizeof(n), "%zu", cx_deadlines_overdue(&dl));
		printf("\n%s\n", cli_m("cli.deadlines.overdue",
		                       CX_ARGS("count", n, "today", day)));
		ret = EXIT_FOUND;
	}
out:
	cx_buf_free(&b);
	cx_deadlines_free(&dl);
	cx_object_free(obj);
	cx_diags_free(&d);
	free(path);
	free(schema);
	return ret;
}
