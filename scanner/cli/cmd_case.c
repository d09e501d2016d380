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

	static const struct cli_help h[] = {
	    {NULL, "cli.help.init.usage"},
	    {"object.xml", "cli.help.init.object"},
	    {"hardware.csv", "cli.help.init.hardware"},
	    {"software.csv", "cli.help.init.software"},
	    {NULL, "cli.help.init.tail"},
	};
	int rc;

	if (argc != 2 || strcmp(argv[1], "--help") == 0) {
		cli_help(argc == 2 ? stdout : stderr, h, CX_ARRAY_LEN(h));
		return argc == 2 ? EXIT_CLEAN : EXIT_USAGE;
	}
	rc = cx_case_init(argv[1]);
	if (rc == CX_EEXIST) {
		cli_say("cli.init.exists", CX_ARGS("case", argv[1]));
		return EXIT_USAGE;
	}
	if (rc) {
		cli_say("cli.init.failed",
		        CX_ARGS("case", argv[1], "error", cli_strerror(rc)));
		return EXIT_RUNTIME;
	}
	printf("%s\n", cli_tsafe(argv[1]));
	cli_say("cli.init.created", CX_ARGS("case", argv[1]));
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
		cli_say("cli.validate.no-profile", CX_ARGS("folder", pdir));
		return EXIT_FOUND;
	}
	if (rc == CX_OK) {
		char count[24];

		snprintf(count, sizeof(count), "%zu", n);
		printf("%s\n", cli_m("cli.validate.profiles-resolve",
		                     CX_ARGS("folder", pdir, "count", count)));
	}
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
	static const struct cli_help h[] = {
	    {NULL, "cli.help.validate.usage"},
	    {"--profiles DIR", "cli.help.opt.profiles"},
	    {NULL, "cli.help.validate.tail"},
	};
	struct cx_diags d = {0};
	struct cx_object *obj = NULL;
	struct cx_profile *prof = NULL;
	const char *pdir = NULL, *pid;
	char *path = NULL;
	int c, rc, ret = EXIT_CLEAN;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
		if (c == 'P') {
			pdir = optarg;
		} else {
			cli_help(c == 'h' ? stdout : stderr, h,
			         CX_ARRAY_LEN(h));
			return c == 'h' ? EXIT_CLEAN : EXIT_USAGE;
		}
	}
	if (optind == argc && pdir != NULL)
		return validate_profiles(pdir);
	if (optind != argc - 1) {
		cli_say("cli.validate.one-case", NULL);
		return EXIT_USAGE;
	}
	rc = cli_load_case(argv[optind], &pdir, &obj, &d);
	if (rc == CX_ENOMEM) {
		ret = EXIT_RUNTIME;
		goto out;
	}
	if (rc == CX_OK) {
		path = cx_path_join(argv[optind], "hardware.csv");
		if (path && cx_path_exists(path))
			cx_object_load_hardware(obj, path, &d);
		else
			cx_diag_add(&d, path, 0, NULL, "%s",
			            cli_m("cli.validate.no-hardware", NULL));
		free(path);
		path = cx_path_join(argv[optind], "software.csv");
		if (path && cx_path_exists(path))
			cx_object_load_software(obj, path, &d);
		else
			cx_diag_add(&d, path, 0, NULL, "%s",
			            cli_m("cli.validate.no-software", NULL));
		cx_object_check_complete(obj, &d);
		pid = obj->profile ? obj->profile
		                   : cx_object_type_name(obj->type);
		if (pid != NULL && cx_profile_load_id(pdir, pid, &prof, &d))
			cx_diag_add(&d, obj->path, 0, "profile", "%s",
			            cli_m("cli.validate.profile-unloadable",
			                  CX_ARGS("profile", pid)));
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
		const char *note;

		snprintf(year, sizeof(year), "%d", y);
		note = cx_calendar_note(dl->cal, y, cli_lang());
		if (note != NULL && !dl->cal->complete[k])
			rc = cx_buf_printf(
			    b, "\n%s\n",
			    cli_m("cli.deadlines.calendar-note",
			          CX_ARGS("year", year, "note", note)));
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
	static const struct cli_help h[] = {
	    {NULL, "cli.help.deadlines.usage"},
	    {"--today DATE", "cli.help.deadlines.today"},
	    {"--profiles DIR", "cli.help.opt.profiles"},
	    {NULL, "cli.help.deadlines.tail"},
	};
	struct cx_diags d = {0};
	struct cx_object *obj = NULL;
	struct cx_deadlines dl;
	struct cx_buf b = {0};
	const char *pdir = NULL;
	char day[16];
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
			cli_help(c == 'h' ? stdout : stderr, h,
			         CX_ARRAY_LEN(h));
			return c == 'h' ? EXIT_CLEAN : EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		cli_say("cli.deadlines.one-case", NULL);
		return EXIT_USAGE;
	}
	rc = cli_load_case(argv[optind], &pdir, &obj, &d);
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
	return ret;
}
