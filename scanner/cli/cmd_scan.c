/*
 * certexam — command line: scan and rescan: options, scope, the examination,
 * the run folder.
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

/* ---- scan / rescan ---- */

static void usage_scan(FILE *f, int rescan)
{
	static const struct cli_help usage[] = {
	    {NULL, "cli.help.scan.usage"},
	    {NULL, "cli.help.rescan.usage"},
	};
	static const struct cli_help h[] = {
	    {"--baseline N", "cli.help.scan.baseline"},
	    {"--target T", "cli.help.scan.target"},
	    {"--exclude T", "cli.help.scan.exclude"},
	    {"--profile ID", "cli.help.scan.profile"},
	    {"--ports SPEC", "cli.help.scan.ports"},
	    {"--top N", "cli.help.scan.top"},
	    {"--udp-ports SPEC", "cli.help.scan.udp-ports"},
	    {"--only LIST", "cli.help.scan.only"},
	    {"--out DIR", "cli.help.scan.out"},
	    {"--scan TYPE", "cli.help.scan.scan"},
	    {"--no-discovery", "cli.help.scan.no-discovery"},
	    {"--vantage NAME", "cli.help.scan.vantage"},
	    {"--shard i/n", "cli.help.scan.shard"},
	    {"--rate N", "cli.help.scan.rate"},
	    {"--max-inflight N", "cli.help.scan.max-inflight"},
	    {"--timeout MS", "cli.help.scan.timeout"},
	    {"--service-wait MS", "cli.help.scan.service-wait"},
	    {"--probe-timeout MS", "cli.help.scan.probe-timeout"},
	    {"--service-probe MS", "cli.help.scan.service-probe"},
	    {"--retries N", "cli.help.scan.retries"},
	    {"--intrusive", "cli.help.scan.intrusive"},
	    {"--progress", "cli.help.scan.progress"},
	    {"--no-progress", "cli.help.scan.no-progress"},
	    {"--profiles DIR", "cli.help.scan.profiles"},
	    {NULL, "cli.help.scan.tail"},
	};

	/* --baseline (the first row) is rescan's only */
	cli_help(f, &usage[rescan ? 1 : 0], 1);
	cli_help(f, rescan ? h : h + 1, CX_ARRAY_LEN(h) - (rescan ? 0 : 1));
}

/* A vantage name: 1..64 of [A-Za-z0-9._-] (it goes into lists). */
static int vantage_ok(const char *v)
{
	size_t i, n = strlen(v);

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)v[i]) && v[i] != '.' &&
		    v[i] != '_' && v[i] != '-')
			break;
	if (n > 0 && n <= 64 && i == n)
		return 1;
	cli_say("cli.scan.bad-vantage", CX_ARGS("value", v));
	return 0;
}

/*
 * A case file a check could not use (a trust-anchor file of object.xml
 * missing, unreadable or without a certificate: an `error` finding of the
 * tls check) is named on the terminal as well as in the run and the act.
 */
static void input_errors(const struct cx_run *run)
{
	struct cx_buf t = {0};
	size_t i;

	for (i = 0; i < run->n_findings; i++) {
		const struct cx_finding *f = &run->findings[i];

		if (f->status != CX_ERROR || f->msg == NULL ||
		    strncmp(f->msg, "tls.anchors.", 12) != 0)
			continue;
		t.len = 0;
		if (cx_buf_append(&t, "", 0) == 0 &&
		    cx_finding_text(cli_cat(), f, &t) == 0)
			cli_say("cli.scan.input-error",
			        CX_ARGS("text", t.data));
	}
	cx_buf_free(&t);
}

/* The final lines of a scan: what was found, and a degraded scan. */
static void scan_summary(const struct cx_run *run, const size_t *st)
{
	char n[6][24];

	snprintf(n[0], sizeof(n[0]), "%zu", run->n_hosts);
	snprintf(n[1], sizeof(n[1]), "%zu", run->n_ports);
	snprintf(n[2], sizeof(n[2]), "%zu", st[CX_PASS]);
	snprintf(n[3], sizeof(n[3]), "%zu", st[CX_FAIL]);
	snprintf(n[4], sizeof(n[4]), "%zu", st[CX_NOT_CHECKED]);
	snprintf(n[5], sizeof(n[5]), "%zu", st[CX_ERROR]);
	cli_say("cli.scan.summary",
	        CX_ARGS("hosts", n[0], "ports", n[1], "pass", n[2], "fail",
	                n[3], "nc", n[4], "err", n[5]));
	if (run->degraded)
		cli_say("cli.scan.degraded", NULL);
	input_errors(run);
}

int cmd_scan(int argc, char **argv, int rescan)
{
	enum {
		O_TARGET = 256,
		O_EXCLUDE,
		O_PROFILE,
		O_PORTS,
		O_TOP,
		O_ONLY,
		O_OUT,
		O_RATE,
		O_INFLIGHT,
		O_TIMEOUT,
		O_SWAIT,
		O_PTIMEOUT,
		O_RETRIES,
		O_SPROBE,
		O_INTRUSIVE,
		O_PROGRESS,
		O_NOPROGRESS,
		O_PROFILES,
		O_BASELINE,
		O_SCAN,
		O_NODISC,
		O_UDPPORTS,
		O_VANTAGE,
		O_SHARD,
		O_HELP
	};
	static const struct option lo[] = {
	    {"target", required_argument, NULL, O_TARGET},
	    {"exclude", required_argument, NULL, O_EXCLUDE},
	    {"profile", required_argument, NULL, O_PROFILE},
	    {"ports", required_argument, NULL, O_PORTS},
	    {"top", required_argument, NULL, O_TOP},
	    {"only", required_argument, NULL, O_ONLY},
	    {"out", required_argument, NULL, O_OUT},
	    {"rate", required_argument, NULL, O_RATE},
	    {"max-inflight", required_argument, NULL, O_INFLIGHT},
	    {"timeout", required_argument, NULL, O_TIMEOUT},
	    {"service-wait", required_argument, NULL, O_SWAIT},
	    {"probe-timeout", required_argument, NULL, O_PTIMEOUT},
	    {"retries", required_argument, NULL, O_RETRIES},
	    {"service-probe", required_argument, NULL, O_SPROBE},
	    {"intrusive", no_argument, NULL, O_INTRUSIVE},
	    {"progress", no_argument, NULL, O_PROGRESS},
	    {"no-progress", no_argument, NULL, O_NOPROGRESS},
	    {"profiles", required_argument, NULL, O_PROFILES},
	    {"baseline", required_argument, NULL, O_BASELINE},
	    {"scan", required_argument, NULL, O_SCAN},
	    {"no-discovery", no_argument, NULL, O_NODISC},
	    {"udp-ports", required_argument, NULL, O_UDPPORTS},
	    {"vantage", required_argument, NULL, O_VANTAGE},
	    {"shard", required_argument, NULL, O_SHARD},
	    {"help", no_argument, NULL, O_HELP},
	    {NULL, 0, NULL, 0},
	};
	struct cx_scan_request req;
	struct cx_diags d = {0};
	struct cx_run *run = NULL;
	struct progress_state ps;
	struct cx_progress prog_cb;
	size_t by_status[CX__STATUS_COUNT], by_sev[CX__SEV_COUNT];
	const char *profiles = NULL;
	char topbuf[32];
	int c, rc, ret = EXIT_USAGE, show = -1, v;

	memset(&req, 0, sizeof(req));
	memset(&ps, 0, sizeof(ps));
	cx_scan_opts_default(&req.opts);
	req.additional = rescan;
	req.tool_version = CX_VERSION;
	req.argv = (const char *const *)argv;
	req.argc = argc;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case O_TARGET:
			if (cli_add_str((const char ***)&req.targets,
			                &req.n_targets, optarg))
				goto out;
			break;
		case O_EXCLUDE:
			if (cli_add_str((const char ***)&req.excludes,
			                &req.n_excludes, optarg))
				goto out;
			break;
		case O_PROFILE:
			req.profile_id = optarg;
			break;
		case O_PORTS:
			req.ports = optarg;
			break;
		case O_TOP:
			if (cli_opt_int("top", optarg, 1, 65535, &v))
				goto out;
			snprintf(topbuf, sizeof(topbuf), "top:%d", v);
			req.ports = topbuf;
			break;
		case O_ONLY:
			req.opts.only_checks = optarg;
			break;
		case O_OUT:
			req.out_dir = optarg;
			break;
		case O_RATE:
			if (cli_opt_int("rate", optarg, 0, 10000000,
			                &req.opts.rate))
				goto out;
			break;
		case O_INFLIGHT:
			if (cli_opt_int("max-inflight", optarg, 1, 1000000,
			                &req.opts.max_inflight))
				goto out;
			break;
		case O_TIMEOUT:
			if (cli_opt_int("timeout", optarg, 10, 600000,
			                &req.opts.connect_timeout_ms))
				goto out;
			break;
		case O_SWAIT:
			if (cli_opt_int("service-wait", optarg, 0, 600000,
			                &req.opts.service_wait_ms))
				goto out;
			break;
		case O_PTIMEOUT:
			if (cli_opt_int("probe-timeout", optarg, 10, 600000,
			                &req.opts.probe_timeout_ms))
				goto out;
			break;
		case O_SPROBE:
			if (cli_opt_int("service-probe", optarg, 10, 600000,
			                &req.opts.service_probe_ms))
				goto out;
			break;
		case O_RETRIES:
			if (cli_opt_int("retries", optarg, 0, 20,
			                &req.opts.retries))
				goto out;
			break;
		case O_INTRUSIVE:
			req.opts.intrusive = 1;
			break;
		case O_PROGRESS:
			show = 1;
			break;
		case O_NOPROGRESS:
			show = 0;
			break;
		case O_PROFILES:
			profiles = optarg;
			break;
		case O_BASELINE:
			if (!rescan) {
				cli_say("cli.scan.baseline-rescan", NULL);
				goto out;
			}
			if (cli_opt_int("baseline", optarg, 1, 9999,
			                &req.baseline))
				goto out;
			break;
		case O_SCAN:
			if (strcmp(optarg, "connect") != 0 &&
			    strcmp(optarg, "syn") != 0) {
				cli_say("cli.scan.bad-type",
				        CX_ARGS("value", optarg));
				goto out;
			}
			req.opts.scan_type = optarg;
			break;
		case O_NODISC:
			req.opts.no_discovery = 1;
			break;
		case O_UDPPORTS:
			req.udp_ports = optarg;
			break;
		case O_VANTAGE:
			if (!vantage_ok(optarg))
				goto out;
			req.vantage = optarg;
			break;
		case O_SHARD:
			if (cx_shard_parse(optarg, &req.shard_i,
			                   &req.shard_n) != CX_OK) {
				char max[16];

				snprintf(max, sizeof(max), "%d", CX_SHARD_MAX);
				cli_say("cli.scan.bad-shard",
				        CX_ARGS("value", optarg, "max", max));
				goto out;
			}
			break;
		case O_HELP:
			usage_scan(stdout, rescan);
			ret = EXIT_CLEAN;
			goto out;
		default:
			usage_scan(stderr, rescan);
			goto out;
		}
	}
	if (optind == argc - 1)
		req.case_dir = argv[optind];
	cli_lang_profiles(profiles);
	cli_lang_case(req.case_dir, profiles);
	if (optind < argc - 1) {
		cli_say("cli.scan.one-case", NULL);
		goto out;
	}
	if (rescan && req.case_dir == NULL) {
		cli_say("cli.scan.rescan-case", NULL);
		goto out;
	}
	if (req.case_dir == NULL && req.n_targets == 0) {
		cli_say("cli.scan.case-or-target", NULL);
		goto out;
	}
	if (req.case_dir != NULL && req.out_dir != NULL) {
		cli_say("cli.scan.out-with-case", NULL);
		goto out;
	}
	req.opts.profiles_dir = cli_find_profiles(profiles);
	req.opts.case_dir = req.case_dir;
	if (show < 0)
		show = isatty(STDERR_FILENO);
	req.opts.progress = show;
	if (show) {
		prog_cb.update = cli_progress_update;
		prog_cb.arg = &ps;
		req.progress = &prog_cb;
	}
	cli_install_signals();
	rc = cx_scan(&req, &run, &d);
	if (show)
		cli_progress_end(&ps);
	cli_print_diags(&d);
	if (rc != CX_OK && rc != CX_EINTR) {
		cli_say("cli.scan.failed", CX_ARGS("error", cli_strerror(rc)));
		ret = (rc == CX_ENOMEM || rc == CX_EIO || rc == CX_ESYS)
		          ? EXIT_RUNTIME
		          : EXIT_USAGE;
		goto out;
	}
	cx_run_counts(run, by_status, by_sev);
	scan_summary(run, by_status);
	if (rc == CX_EINTR) {
		cli_say("cli.scan.interrupted", NULL);
		ret = EXIT_RUNTIME;
	} else if (cli_examined_nothing(run)) {
		ret =
		    EXIT_RUNTIME; /* never "compliant" for what was not seen */
	} else {
		ret = by_status[CX_FAIL] > 0 ? EXIT_FOUND : EXIT_CLEAN;
	}
	printf("%s\n", cli_tsafe(run->dir));
out:
	cx_run_free(run);
	cx_diags_free(&d);
	free((void *)req.targets);
	free((void *)req.excludes);
	return ret;
}
