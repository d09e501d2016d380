/*
 * certexam — the command line: the list of commands and main().  The
 * commands live in scanner/cli/ (one file per family, cli.h); only the
 * command line prints or exits, everything else is the library.
 *
 * Exit codes: 0 compliant / nothing found, 1 deficiencies found (or, for
 * validate, problems in the package), 2 usage or input error, 3 runtime
 * failure (including an interrupted scan, whose record is kept marked
 * incomplete, and a check that left every item not_checked or error).
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

static void usage_main(FILE *f)
{
	static const struct cli_help h[] = {
	    {NULL, "cli.help.main.usage"},
	    {"init CASE", "cli.help.main.init"},
	    {"validate CASE", "cli.help.main.validate"},
	    {"scan [CASE]", "cli.help.main.scan"},
	    {"rescan CASE", "cli.help.main.rescan"},
	    {"act CASE|RUN", "cli.help.main.act"},
	    {"merge CASE RUN..", "cli.help.main.merge"},
	    {"show RUN", "cli.help.main.show"},
	    {"deadlines CASE", "cli.help.main.deadlines"},
	    {"version", "cli.help.main.version"},
	    {NULL, "cli.help.main.more"},
	    {"--lang kk|ru|en", "cli.help.main.lang"},
	    {NULL, "cli.help.main.exit"},
	};

	cli_help(f, h, CX_ARRAY_LEN(h));
}

/*
 * 1 (and a message) if a network check that ran failed, or left every one of
 * its items not_checked or error: such a run is not "compliant or nothing
 * found" (exit 0) nor only "deficiencies" (1), but exit 3.  A check with
 * no items at all (nothing of its kind in scope) does not count.
 */
int cli_examined_nothing(const struct cx_run *run)
{
	const struct cx_check *c;
	size_t i, k, n, open;
	int any = 0;

	for (i = 0; i < run->n_checks; i++) {
		const char *id = run->checks[i].name,
		           *st = run->checks[i].value;

		if (id == NULL || st == NULL)
			continue;
		/* only what the target could defeat: the checks that probe
		 * it; documents, inventory and parts not_checked mean the case
		 * lacks data, which validate reports */
		c = cx_check_find(id);
		if (c == NULL || !(c->flags & CX_CHECK_NETWORK))
			continue;
		if (strncmp(st, "failed", 6) == 0) {
			cli_say("cli.check.failed",
			        CX_ARGS("check", id, "state", st));
			any = 1;
			continue;
		}
		n = open = 0;
		for (k = 0; k < run->n_findings; k++) {
			const struct cx_finding *f = &run->findings[k];

			if (f->check == NULL || strcmp(f->check, id) != 0)
				continue;
			n++;
			if (f->status != CX_NOT_CHECKED &&
			    f->status != CX_ERROR)
				open++;
		}
		if (n > 0 && open == 0) {
			char items[24];

			snprintf(items, sizeof(items), "%zu", n);
			cli_say("cli.check.examined-nothing",
			        CX_ARGS("check", id, "items", items));
			any = 1;
		}
	}
	return any;
}

static int dispatch(int argc, char **argv)
{
	const char *cmd = argv[1];

	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		usage_main(stdout);
		return EXIT_CLEAN;
	}
	if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
		printf("certexam %s\n", CX_VERSION);
		return EXIT_CLEAN;
	}
	if (strcmp(cmd, "init") == 0)
		return cmd_init(argc - 1, argv + 1);
	if (strcmp(cmd, "validate") == 0)
		return cmd_validate(argc - 1, argv + 1);
	if (strcmp(cmd, "scan") == 0)
		return cmd_scan(argc - 1, argv + 1, 0);
	if (strcmp(cmd, "rescan") == 0)
		return cmd_scan(argc - 1, argv + 1, 1);
	if (strcmp(cmd, "act") == 0)
		return cmd_act(argc - 1, argv + 1);
	if (strcmp(cmd, "merge") == 0)
		return cmd_merge(argc - 1, argv + 1);
	if (strcmp(cmd, "show") == 0)
		return cmd_show(argc - 1, argv + 1);
	if (strcmp(cmd, "deadlines") == 0)
		return cmd_deadlines(argc - 1, argv + 1);
	cli_say("cli.unknown-command", CX_ARGS("command", cmd));
	usage_main(stderr);
	return EXIT_USAGE;
}

int main(int argc, char **argv)
{
	const char *code;
	int ret, skip = 0;

	if (cli_lang_init() != 0) {
		cli_say("cli.main.bad-env-lang",
		        CX_ARGS("code", getenv("CERTEXAM_LANG")));
		return EXIT_USAGE;
	}
	/* The global options before the command: --lang CODE, --lang=CODE. */
	while (1 + skip < argc && strncmp(argv[1 + skip], "--lang", 6) == 0) {
		const char *a = argv[1 + skip];
		if (a[6] == '=') {
			code = a + 7;
			skip++;
		} else if (a[6] == '\0' && 2 + skip < argc) {
			code = argv[2 + skip];
			skip += 2;
		} else {
			break;
		}
		if (cli_lang_set(code, 1) != 0) {
			cli_say("cli.main.bad-lang", CX_ARGS("code", code));
			return EXIT_USAGE;
		}
	}
	argc -= skip;
	argv += skip;
	argv[0] = argv[-skip];
	if (argc < 2) {
		usage_main(stderr);
		return EXIT_USAGE;
	}
	ret = dispatch(argc, argv);
	cli_free_lang();
	return ret;
}
