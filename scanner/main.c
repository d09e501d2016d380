/*
 * certexam — the command line.  Only this file prints or exits; everything
 * else is the library.
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

#define EXIT_CLEAN   0
#define EXIT_FOUND   1
#define EXIT_USAGE   2
#define EXIT_RUNTIME 3

static const char *prog = "certexam";

static void usage_main(FILE *f)
{
	fprintf(
	    f, "Usage: certexam <command> [options]\n"
	       "\n"
	       "The instrumental certification examination of an information "
	       "system,\nthe \"e-government\" platform or an Internet resource "
	       "of a state body.\n"
	       "\n"
	       "Commands:\n"
	       "  init CASE        create a case folder with templates to "
	       "fill in\n"
	       "  validate CASE    check the package for form and "
	       "completeness (paras 13-14)\n"
	       "  scan [CASE]      run the examination -> CASE/runs/NNNN/\n"
	       "  rescan CASE      re-check after rectification (additional "
	       "examination)\n"
	       "  act CASE|RUN     draft the act from a stored run -> "
	       "CASE/acts/\n"
	       "  merge CASE RUN.. one run from several vantage points or "
	       "shards\n"
	       "  show RUN         print a run record (text or JSON)\n"
	       "  deadlines CASE   the terms of the procedure in working "
	       "days\n"
	       "  version          print the version\n"
	       "\n"
	       "'certexam <command> --help' describes each command.\n"
	       "Exit codes: 0 compliant or nothing found, 1 deficiencies "
	       "found,\n2 usage or input error, 3 runtime failure, "
	       "interrupted, or a check\nthat examined nothing.\n");
}

/*
 * s made safe for the terminal (controls, line feeds and bidi overrides
 * as \xHH): for anything from the command line, a case or a run that
 * goes into a message.  The result lives in one of eight static buffers,
 * reused in turn, so up to eight may appear in one fprintf().
 */
static const char *tsafe(const char *s)
{
	static struct cx_buf ring[8];
	static size_t next;
	struct cx_buf *b = &ring[next++ % CX_ARRAY_LEN(ring)];

	if (s == NULL)
		return "(null)";
	b->len = 0;
	if (cx_buf_append(b, "", 0) || cx_esc_term(b, s) || b->data == NULL)
		return "(out of memory)";
	return b->data;
}

static void print_diags(const struct cx_diags *d)
{
	struct cx_buf b = {0};
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct cx_diag *g = &d->items[i];
		b.len = 0;
		if (b.data)
			b.data[0] = '\0';
		cx_esc_term(&b, g->file ? g->file : "(input)");
		if (g->line > 0)
			cx_buf_printf(&b, ":%ld", g->line);
		if (g->line > 0 && g->column > 0)
			cx_buf_printf(&b, ":%ld", g->column);
		cx_buf_puts(&b, g->is_warning ? ": warning: " : ": error: ");
		if (g->field) {
			cx_buf_putc(&b, '\'');
			cx_esc_term(&b, g->field);
			cx_buf_puts(&b, "': ");
		}
		cx_esc_term(&b, g->message);
		fprintf(stderr, "%s\n", b.data ? b.data : "");
	}
	cx_buf_free(&b);
}

/* profiles/: --profiles, $CERTEXAM_PROFILES, the source tree, the install. */
static const char *find_profiles(const char *opt)
{
	static char buf[4096];
	const char *env = getenv("CERTEXAM_PROFILES");
	ssize_t n;
	char *slash;

	if (opt != NULL)
		return opt;
	if (env != NULL && *env)
		return env;
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 64);
	if (n > 0) {
		buf[n] = '\0';
		slash = strrchr(buf, '/');
		if (slash != NULL) {
			snprintf(slash, sizeof(buf) - (size_t)(slash - buf),
			         "/../share/certexam/profiles");
			if (cx_path_exists(buf))
				return buf;
		}
	}
	if (cx_path_exists(CX_SOURCE_PROFILES))
		return CX_SOURCE_PROFILES;
	return CX_INSTALL_PROFILES;
}

static void on_signal(int sig)
{
	(void)sig;
	cx_interrupted = 1;
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C ends at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* ---- progress: one line on stderr, refreshed ---- */

struct progress_state {
	uint64_t started, last;
	char phase[32];
	int shown;
};

static void progress_update(void *arg, const char *phase, uint64_t done,
                            uint64_t total, uint64_t found)
{
	struct progress_state *p = arg;
	uint64_t now = cx_now_ms(), el;
	double rate, eta;

	if (strcmp(p->phase, phase) != 0) {
		snprintf(p->phase, sizeof(p->phase), "%s", phase);
		p->started = now;
		p->last = 0;
	}
	if (now - p->last < 200 && done < total)
		return;
	p->last = now;
	el = now - p->started;
	rate = el > 0 ? (double)done * 1000.0 / (double)el : 0.0;
	eta = rate > 0 && total > done ? (double)(total - done) / rate : 0.0;
	fprintf(stderr,
	        "\r\033[K%-9s %llu/%llu done, %llu found, %.0f/s, ETA %.0fs",
	        tsafe(phase), (unsigned long long)done,
	        (unsigned long long)total, (unsigned long long)found, rate,
	        eta);
	p->shown = 1;
}

static void progress_end(struct progress_state *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
}

/*
 * 1 (and a message) if a network check that ran failed, or left every one of
 * its items not_checked or error: such a run is not "compliant or nothing
 * found" (exit 0) nor only "deficiencies" (1), but exit 3.  A check with
 * no items at all (nothing of its kind in scope) does not count.
 */
static int examined_nothing(const struct cx_run *run)
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
			fprintf(stderr, "%s: the %s check failed (%s)\n", prog,
			        tsafe(id), tsafe(st));
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
			fprintf(
			    stderr,
			    "%s: the %s check examined nothing: all its %zu "
			    "item(s) are not checked or error (see the "
			    "findings for why); exit 3\n",
			    prog, tsafe(id), n);
			any = 1;
		}
	}
	return any;
}

/* ---- init ---- */

static int cmd_init(int argc, char **argv)
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
		        prog, tsafe(argv[1]));
		return EXIT_USAGE;
	}
	if (rc) {
		fprintf(stderr, "%s: %s: cannot create the case: %s\n", prog,
		        argv[1], cx_strerror(rc));
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

	print_diags(&d);
	cx_diags_free(&d);
	if (rc == CX_OK && n == 0) {
		fprintf(stderr, "%s: %s: no profile found\n", prog,
		        tsafe(pdir));
		return EXIT_FOUND;
	}
	if (rc == CX_OK)
		printf("%s: %zu profile(s) resolve\n", tsafe(pdir), n);
	return rc == CX_OK        ? EXIT_CLEAN
	       : rc == CX_ESCHEMA ? EXIT_FOUND
	                          : EXIT_USAGE;
}

static int cmd_validate(int argc, char **argv)
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
		        prog);
		return EXIT_USAGE;
	}
	pdir = find_profiles(pdir);
	schema = cx_path_join(pdir, "schema");
	path = cx_path_join(argv[optind], "object.xml");
	if (schema == NULL || path == NULL) {
		ret = EXIT_RUNTIME;
		goto out;
	}
	rc = cx_object_load(path, schema, &obj, &d);
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
		print_diags(&d);
		fprintf(stderr,
		        "%s: %s: no object.xml (is this a case folder? "
		        "see 'certexam init')\n",
		        prog, tsafe(argv[optind]));
		ret = EXIT_USAGE;
		goto out;
	}
	print_diags(&d);
	if (cx_diag_errors(&d) > 0) {
		fprintf(stderr, "%s: %zu problem(s) in the package\n", prog,
		        cx_diag_errors(&d));
		ret = EXIT_FOUND;
	} else {
		printf("%s: the package is complete\n", argv[optind]);
	}
out:
	cx_object_free(obj);
	cx_profile_free(prof);
	cx_diags_free(&d);
	free(path);
	free(schema);
	return ret;
}

/* ---- scan / rescan ---- */

static void usage_scan(FILE *f, int rescan)
{
	if (rescan)
		fprintf(f,
		        "Usage: certexam rescan CASE [--baseline N] "
		        "[options]\n\n"
		        "The additional certification examination (paras "
		        "33-35): re-checks the object after\nthe applicant "
		        "rectified the deficiencies, including every port "
		        "the examination\n(run N, default the latest "
		        "examination) found open. The new run's kind is\n"
		        "\"additional\"; 'certexam act CASE' then drafts the "
		        "act of additional examination.\n\n");
	else
		fprintf(f, "Usage: certexam scan CASE [options]\n"
		           "       certexam scan --target T [--target T ...] "
		           "[--out DIR] [options]\n\n"
		           "Run the instrumental examination and write the run "
		           "record to CASE/runs/NNNN/\n(or DIR/NNNN/ without a "
		           "case). The last line on stdout is the run folder.\n"
		           "Only the declared scope is contacted; --target "
		           "narrows a case's scope and is\nrefused outside "
		           "it.\n\n");
	fprintf(
	    f,
	    "Options:\n"
	    "  --target T        address, CIDR, a.b.c.d-e range, host name "
	    "or URL (repeatable)\n"
	    "  --exclude T       leave these addresses out (repeatable)\n"
	    "  --profile ID      profile to apply (default: from the "
	    "object's type)\n"
	    "  --ports SPEC      22,80,8000-8100 | all | top:N (default: "
	    "the profile's)\n"
	    "  --top N           the N most common ports (= --ports top:N)\n"
	    "  --udp-ports SPEC  UDP ports to probe with protocol payloads "
	    "(default: the\n"
	    "                    profile's, else DNS, SNMP, NTP, IPMI, SSDP, "
	    "TFTP, NetBIOS,\n"
	    "                    mDNS, CLDAP, memcached, chargen, echo); "
	    "none: no UDP\n"
	    "  --only LIST       run only these checks: documents,ports,"
	    "udp,tls,http,inventory\n"
	    "  --out DIR         runs folder for a scan without a case "
	    "(default ./runs)\n"
	    "  --scan TYPE       syn (raw packets; the default with "
	    "CAP_NET_RAW) or connect\n"
	    "  --no-discovery    port-scan every address (default with raw "
	    "sockets: only\n"
	    "                    the hosts that answer ARP, ICMP echo or "
	    "timestamp, TCP 443/80)\n"
	    "  --vantage NAME    where this scanner stands (recorded; "
	    "see certexam merge)\n"
	    "  --shard i/n       scan only part i (0-based) of n of the "
	    "scope's addresses\n"
	    "                    (a job array; then certexam merge)\n"
	    "  --rate N          at most N probes per second "
	    "(default: no cap)\n"
	    "  --max-inflight N  at most N sockets in flight (default "
	    "4096)\n"
	    "  --timeout MS      initial connect timeout (default 1000)\n"
	    "  --service-wait MS wait at most MS for a banner before probing "
	    "(default 300;\n"
	    "                    adaptive: 100 ms + 4 x connect time, 50 ms "
	    "on web ports)\n"
	    "  --probe-timeout MS deadline of each TLS/HTTP probe "
	    "(default 2000)\n"
	    "  --service-probe MS wait for a reply to a service-detection "
	    "probe (default 600);\n"
	    "                    a silent port costs --service-wait + "
	    "--service-probe\n"
	    "  --retries N       retransmissions where loss was seen "
	    "(default 2)\n"
	    "  --intrusive       allow checks that may change state "
	    "(PUT/DELETE probes)\n"
	    "  --progress        show progress even when not on a "
	    "terminal\n"
	    "  --no-progress     never show progress\n"
	    "  --profiles DIR    where profiles/ is (default: built in)\n"
	    "Ctrl-C stops cleanly and keeps the record, marked "
	    "complete=\"false\".\n"
	    "Exit: 0 nothing found, 1 deficiencies found, 2 input error, "
	    "3 runtime failure,\ninterrupted, or a check examined nothing "
	    "(all its items not checked or error).\n");
}

static int add_str(const char ***arr, size_t *n, const char *s)
{
	const char **a = realloc((void *)*arr, (*n + 1) * sizeof(**arr));

	if (a == NULL)
		return CX_ENOMEM;
	a[(*n)++] = s;
	*arr = a;
	return CX_OK;
}

static int opt_int(const char *name, const char *v, long min, long max,
                   int *out)
{
	long n;

	if (cx_parse_long(v, min, max, &n)) {
		fprintf(stderr, "%s: --%s: '%s' is not a number in %ld..%ld\n",
		        prog, name, tsafe(v), min, max);
		return -1;
	}
	*out = (int)n;
	return 0;
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
	fprintf(stderr,
	        "%s: --vantage: '%s': expected 1 to 64 letters, digits, "
	        "'.', '_' or '-'\n",
	        prog, tsafe(v));
	return 0;
}

static int cmd_scan(int argc, char **argv, int rescan)
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
			if (add_str((const char ***)&req.targets,
			            &req.n_targets, optarg))
				goto out;
			break;
		case O_EXCLUDE:
			if (add_str((const char ***)&req.excludes,
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
			if (opt_int("top", optarg, 1, 65535, &v))
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
			if (opt_int("rate", optarg, 0, 10000000,
			            &req.opts.rate))
				goto out;
			break;
		case O_INFLIGHT:
			if (opt_int("max-inflight", optarg, 1, 1000000,
			            &req.opts.max_inflight))
				goto out;
			break;
		case O_TIMEOUT:
			if (opt_int("timeout", optarg, 10, 600000,
			            &req.opts.connect_timeout_ms))
				goto out;
			break;
		case O_SWAIT:
			if (opt_int("service-wait", optarg, 0, 600000,
			            &req.opts.service_wait_ms))
				goto out;
			break;
		case O_PTIMEOUT:
			if (opt_int("probe-timeout", optarg, 10, 600000,
			            &req.opts.probe_timeout_ms))
				goto out;
			break;
		case O_SPROBE:
			if (opt_int("service-probe", optarg, 10, 600000,
			            &req.opts.service_probe_ms))
				goto out;
			break;
		case O_RETRIES:
			if (opt_int("retries", optarg, 0, 20,
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
				fprintf(stderr,
				        "%s scan: --baseline belongs to "
				        "rescan\n",
				        prog);
				goto out;
			}
			if (opt_int("baseline", optarg, 1, 9999, &req.baseline))
				goto out;
			break;
		case O_SCAN:
			if (strcmp(optarg, "connect") != 0 &&
			    strcmp(optarg, "syn") != 0) {
				fprintf(stderr,
				        "%s: --scan: '%s': expected connect or "
				        "syn\n",
				        prog, optarg);
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
				fprintf(stderr,
				        "%s: --shard: '%s': expected i/n with "
				        "0 <= i < n <= %d\n",
				        prog, tsafe(optarg), CX_SHARD_MAX);
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
	if (optind < argc - 1) {
		fprintf(stderr, "%s: one CASE folder at most (see --help)\n",
		        prog);
		goto out;
	}
	if (optind == argc - 1)
		req.case_dir = argv[optind];
	if (rescan && req.case_dir == NULL) {
		fprintf(stderr, "%s rescan: a CASE folder is required\n", prog);
		goto out;
	}
	if (req.case_dir == NULL && req.n_targets == 0) {
		fprintf(stderr,
		        "%s scan: give a CASE folder or --target (see "
		        "--help)\n",
		        prog);
		goto out;
	}
	if (req.case_dir != NULL && req.out_dir != NULL) {
		fprintf(stderr,
		        "%s scan: --out is for scans without a case; "
		        "a case's runs go to CASE/runs/\n",
		        prog);
		goto out;
	}
	req.opts.profiles_dir = find_profiles(profiles);
	req.opts.case_dir = req.case_dir;
	if (show < 0)
		show = isatty(STDERR_FILENO);
	req.opts.progress = show;
	if (show) {
		prog_cb.update = progress_update;
		prog_cb.arg = &ps;
		req.progress = &prog_cb;
	}
	install_signals();
	rc = cx_scan(&req, &run, &d);
	if (show)
		progress_end(&ps);
	print_diags(&d);
	if (rc != CX_OK && rc != CX_EINTR) {
		fprintf(stderr, "%s: %s\n", prog, cx_strerror(rc));
		ret = (rc == CX_ENOMEM || rc == CX_EIO || rc == CX_ESYS)
		          ? EXIT_RUNTIME
		          : EXIT_USAGE;
		goto out;
	}
	cx_run_counts(run, by_status, by_sev);
	fprintf(stderr,
	        "%s: %zu host(s), %zu open port(s); findings: %zu pass, %zu "
	        "fail, %zu not checked, %zu error%s\n",
	        prog, run->n_hosts, run->n_ports, by_status[CX_PASS],
	        by_status[CX_FAIL], by_status[CX_NOT_CHECKED],
	        by_status[CX_ERROR],
	        run->degraded ? "; the scan was DEGRADED" : "");
	if (rc == CX_EINTR) {
		fprintf(stderr,
		        "%s: interrupted; the record is kept, marked "
		        "incomplete\n",
		        prog);
		ret = EXIT_RUNTIME;
	} else if (examined_nothing(run)) {
		ret =
		    EXIT_RUNTIME; /* never "compliant" for what was not seen */
	} else {
		ret = by_status[CX_FAIL] > 0 ? EXIT_FOUND : EXIT_CLEAN;
	}
	printf("%s\n", tsafe(run->dir));
out:
	cx_run_free(run);
	cx_diags_free(&d);
	free((void *)req.targets);
	free((void *)req.excludes);
	return ret;
}

/* ---- act ---- */

static int is_run_dir(const char *p)
{
	char *x = cx_path_join(p, "run.xml");
	int r = x != NULL && cx_path_exists(x);

	free(x);
	return r;
}

static char *run_dir_of(const char *case_dir, int n)
{
	char name[16], *runs, *dir;

	snprintf(name, sizeof(name), "%04d", n);
	runs = cx_path_join(case_dir, "runs");
	if (runs == NULL)
		return NULL;
	dir = cx_path_join(runs, name);
	free(runs);
	return dir;
}

/* act --certificate: the draft certificate and the register entry, only
 * when the proposed decision is to issue. */
static int act_certificate(const struct cx_act *act, const char *pdir,
                           const char *profile_id, const char *outdir)
{
	struct cx_profile *prof = NULL;
	struct cx_diags d = {0};
	char why[256], *paths[4];
	size_t i;
	int rc;

	if (!cx_cert_ready(act, why, sizeof(why))) {
		fprintf(stderr, "%s act: no certificate drafted: %s\n", prog,
		        tsafe(why));
		return EXIT_CLEAN;
	}
	if (profile_id != NULL &&
	    cx_profile_load_id(pdir, profile_id, &prof, &d) != CX_OK)
		print_diags(&d);
	rc = cx_cert_files(act, prof, outdir, paths);
	for (i = 0; i < 4; i++) {
		if (rc == CX_OK && paths[i] != NULL)
			printf("%s\n", tsafe(paths[i]));
		free(paths[i]);
	}
	cx_profile_free(prof);
	cx_diags_free(&d);
	if (rc) {
		fprintf(stderr, "%s act: the certificate: %s\n", prog,
		        cx_strerror(rc));
		return EXIT_RUNTIME;
	}
	fprintf(stderr, "%s: draft certificate and register entry written\n",
	        prog);
	return EXIT_CLEAN;
}

static int cmd_act(int argc, char **argv)
{
	enum {
		O_RUN = 256,
		O_FORMAT,
		O_OUTDIR,
		O_ADDITIONAL,
		O_DATE,
		O_PROFILES,
		O_LANG,
		O_NUMBER,
		O_CERT,
		O_HELP
	};
	static const struct option lo[] = {
	    {"run", required_argument, NULL, O_RUN},
	    {"lang", required_argument, NULL, O_LANG},
	    {"number", required_argument, NULL, O_NUMBER},
	    {"format", required_argument, NULL, O_FORMAT},
	    {"output", required_argument, NULL, O_OUTDIR},
	    {"additional", no_argument, NULL, O_ADDITIONAL},
	    {"date", required_argument, NULL, O_DATE},
	    {"profiles", required_argument, NULL, O_PROFILES},
	    {"certificate", no_argument, NULL, O_CERT},
	    {"help", no_argument, NULL, O_HELP},
	    {NULL, 0, NULL, 0},
	};
	const char *formats = "html,xml,json,md", *outdir = NULL;
	const char *date = NULL, *pdir = NULL, *arg, *langs = NULL;
	const char *number = NULL;
	struct cx_act_register reg = {0};
	const struct cx_act_reg_entry *prev_entry, *ref_entry = NULL;
	struct cx_act_opts ao;
	struct cx_profile *prof = NULL;
	char *reg_path = NULL;
	const struct cx_act_writer *w[8];
	struct cx_buf bufs[8 * 3];
	struct cx_catalog *cats[3] = {NULL, NULL, NULL};
	char lang[3][3];
	size_t nl = 0, li;
	struct cx_diags d = {0};
	struct cx_run *run = NULL, *base = NULL;
	struct cx_deadlines terms;
	struct cx_object *obj = NULL;
	struct cx_act *act = NULL;
	char *rundir = NULL, *schema = NULL, *out_owned = NULL, *fl = NULL;
	char *tok, *save = NULL, *path;
	size_t nw = 0, i;
	int c, runno = 0, additional = 0, want_cert = 0, rc, ret = EXIT_USAGE;

	memset(bufs, 0, sizeof(bufs));
	memset(&terms, 0, sizeof(terms));
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", lo, NULL)) != -1) {
		switch (c) {
		case O_RUN:
			if (opt_int("run", optarg, 1, 9999, &runno))
				goto out;
			break;
		case O_FORMAT:
			formats = optarg;
			break;
		case 'o':
		case O_OUTDIR:
			outdir = optarg;
			break;
		case O_ADDITIONAL:
			additional = 1;
			break;
		case O_DATE:
			date = optarg;
			break;
		case O_PROFILES:
			pdir = optarg;
			break;
		case O_LANG:
			langs = optarg;
			break;
		case O_NUMBER:
			if (!cx_act_number_valid(optarg)) {
				fprintf(stderr,
				        "%s act: --number: '%s' is not an act "
				        "number (1-32 of A-Z a-z 0-9 / . _ "
				        "-)\n",
				        prog, optarg);
				goto out;
			}
			number = optarg;
			break;
		case O_CERT:
			want_cert = 1;
			break;
		case O_HELP:
		default:
			fprintf(
			    c == O_HELP ? stdout : stderr,
			    "Usage: certexam act CASE [--run N] "
			    "[--additional] [--format LIST] [-o DIR]\n"
			    "       certexam act RUN_DIR [--format LIST] "
			    "[-o DIR]\n\n"
			    "Draft the act from a stored run, offline: the "
			    "act on certification examination,\nor for a "
			    "rescan run the act of additional certification "
			    "examination (with\n--additional the latest "
			    "rescan run is taken).\n\n"
			    "  --run N         the run to use (default: "
			    "the latest)\n"
			    "  --format LIST   html,xml,json,md (default: "
			    "all four)\n"
			    "  -o, --output DIR where to write (default: "
			    "CASE/acts/)\n"
			    "  --date DATE     date of the act, YYYY-MM-DD "
			    "(default: today)\n"
			    "  --lang LIST     kk,ru,en: one act per language "
			    "(default: object.xml <languages>, else kk,ru)\n"
			    "  --number NO     the act number; the case's "
			    "register of acts\n"
			    "                  (acts/register.tsv) refuses a "
			    "number given twice\n"
			    "  --certificate   also the draft certificate "
			    "(Annex 7) and the register\n"
			    "                  entry (para 29), when the "
			    "proposed decision is to issue\n"
			    "Files are named act-NNNN.<lang>.<ext> after the "
			    "run number; the paths are printed.\n");
			ret = c == O_HELP ? EXIT_CLEAN : EXIT_USAGE;
			goto out;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr,
		        "%s act: expected one CASE or RUN folder (see "
		        "--help)\n",
		        prog);
		goto out;
	}
	arg = argv[optind];
	pdir = find_profiles(pdir);
	schema = cx_path_join(pdir, "schema");
	if (schema == NULL)
		goto out;
	/* Which formats. */
	fl = cx_strdup(formats);
	for (tok = fl ? strtok_r(fl, ",", &save) : NULL; tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		const struct cx_act_writer *wr = cx_act_writer_find(tok);
		if (wr == NULL || nw >= CX_ARRAY_LEN(w)) {
			fprintf(stderr,
			        "%s act: --format: unknown format '%s' "
			        "(html, xml, json, md)\n",
			        prog, tsafe(tok));
			goto out;
		}
		w[nw++] = wr;
	}
	if (nw == 0) {
		fprintf(stderr, "%s act: --format: no format given\n", prog);
		goto out;
	}
	/* Which run. */
	if (is_run_dir(arg)) {
		rundir = cx_strdup(arg);
	} else {
		char *runs = cx_path_join(arg, "runs");
		if (runs == NULL)
			goto out;
		rc = CX_OK;
		if (runno == 0)
			rc = cx_runs_latest(
			    runs, additional ? "additional" : NULL, &runno, &d);
		free(runs);
		if (rc != CX_OK) {
			print_diags(&d);
			fprintf(stderr,
			        "%s act: %s: the newest run cannot be read: "
			        "%s\n",
			        prog, tsafe(arg), cx_strerror(rc));
			goto out;
		}
		if (runno == 0) {
			fprintf(stderr,
			        "%s act: %s: no %srun found; run "
			        "'certexam %s' first\n",
			        prog, tsafe(arg), additional ? "rescan " : "",
			        additional ? "rescan" : "scan");
			goto out;
		}
		rundir = run_dir_of(arg, runno);
		if (outdir == NULL)
			outdir = out_owned = cx_path_join(arg, "acts");
	}
	if (rundir == NULL)
		goto out;
	if (outdir == NULL)
		outdir = out_owned = cx_path_join(rundir, "acts");
	rc = cx_run_load(rundir, schema, &run, &d);
	if (rc) {
		print_diags(&d);
		fprintf(stderr, "%s act: %s: cannot read the run: %s\n", prog,
		        tsafe(rundir), cx_strerror(rc));
		goto out;
	}
	rc = cx_run_verify(run, &d);
	if (rc) {
		print_diags(&d);
		fprintf(stderr,
		        "%s act: %s: the stored run does not match its record "
		        "(%s); no act is drafted from altered evidence\n",
		        prog, tsafe(rundir), cx_strerror(rc));
		ret = rc == CX_ENOMEM ? EXIT_RUNTIME : EXIT_USAGE;
		goto out;
	}
	if (additional && strcmp(run->kind, "additional") != 0) {
		fprintf(stderr,
		        "%s act: run %04d is an examination, not an "
		        "additional examination; run 'certexam "
		        "rescan' first\n",
		        prog, run->number);
		goto out;
	}
	if (strcmp(run->kind, "additional") == 0 && run->baseline > 0) {
		char *bdir, *parent = cx_strdup(rundir), *slash;
		char name[16];
		if (parent == NULL)
			goto out;
		slash = strrchr(parent, '/');
		if (slash != NULL)
			*slash = '\0';
		else
			snprintf(parent, strlen(parent) + 1, ".");
		snprintf(name, sizeof(name), "%04d", run->baseline);
		bdir = cx_path_join(parent, name);
		free(parent);
		rc = bdir ? cx_run_load(bdir, schema, &base, &d) : CX_ENOMEM;
		free(bdir);
		if (rc == CX_OK)
			rc = cx_run_verify(base, &d);
		if (rc) {
			print_diags(&d);
			fprintf(stderr,
			        "%s act: the baseline run %04d cannot "
			        "be read: %s\n",
			        prog, run->baseline, cx_strerror(rc));
			goto out;
		}
	}
	rc = cx_run_load_object(run, schema, &obj, &d);
	print_diags(&d);
	if (rc) {
		fprintf(stderr,
		        "%s act: the case snapshot of run %04d cannot "
		        "be read: %s\n",
		        prog, run->number, cx_strerror(rc));
		goto out;
	}
	/* Which languages: each loads its catalog before any act is drawn. */
	free(fl);
	save = NULL;
	if (langs == NULL && obj != NULL && obj->languages != NULL) {
		fl = cx_strdup(obj->languages);
		for (tok = fl; tok != NULL && *tok; tok++)
			if (*tok == ' ')
				*tok = ',';
	} else {
		fl = cx_strdup(langs ? langs : "kk,ru");
	}
	for (tok = fl ? strtok_r(fl, ",", &save) : NULL; tok != NULL;
	     tok = strtok_r(NULL, ",", &save)) {
		char *i18n;
		if ((strcmp(tok, "kk") && strcmp(tok, "ru") &&
		     strcmp(tok, "en")) ||
		    nl >= CX_ARRAY_LEN(cats)) {
			fprintf(stderr,
			        "%s act: --lang: unknown language '%s' "
			        "(kk, ru, en)\n",
			        prog, tsafe(tok));
			goto out;
		}
		for (li = 0; li < nl; li++)
			if (strcmp(lang[li], tok) == 0)
				break;
		if (li < nl)
			continue;
		snprintf(lang[nl], sizeof(lang[nl]), "%s", tok);
		i18n = cx_path_join(pdir, "i18n");
		rc = i18n ? cx_catalog_load_lang(i18n, tok, &cats[nl], &d)
		          : CX_ENOMEM;
		free(i18n);
		if (rc) {
			print_diags(&d);
			fprintf(stderr,
			        "%s act: the %s message catalog cannot be "
			        "read: %s\n",
			        prog, tsafe(tok), cx_strerror(rc));
			ret = EXIT_RUNTIME;
			goto out;
		}
		nl++;
	}
	if (nl == 0) {
		fprintf(stderr, "%s act: --lang: no language given\n", prog);
		goto out;
	}
	/* The register of acts: numbers never repeat within a case. */
	reg_path = cx_path_join(outdir, "register.tsv");
	if (reg_path == NULL)
		goto out;
	rc = cx_act_register_load(reg_path, &reg, &d);
	if (rc) {
		print_diags(&d);
		fprintf(stderr, "%s act: %s: %s\n", prog, reg_path,
		        cx_strerror(rc));
		ret = EXIT_RUNTIME;
		goto out;
	}
	prev_entry = cx_act_register_of_run(&reg, run->number);
	if (number == NULL && prev_entry != NULL)
		number = prev_entry->number;
	if (date == NULL && prev_entry != NULL && number != NULL &&
	    strcmp(prev_entry->number, number) == 0)
		date = prev_entry->date;
	for (i = 0; number != NULL && i < reg.n; i++)
		if (strcmp(reg.e[i].number, number) == 0 &&
		    reg.e[i].run != run->number) {
			fprintf(stderr,
			        "%s act: act No. %s is already registered "
			        "for run %04d (%s); numbers never repeat\n",
			        prog, number, reg.e[i].run, reg_path);
			goto out;
		}
	if (run->baseline > 0)
		ref_entry = cx_act_register_of_run(&reg, run->baseline);
	memset(&ao, 0, sizeof(ao));
	ao.obj = obj;
	ao.date = date;
	ao.number = number;
	ao.ref_number = ref_entry ? ref_entry->number : NULL;
	ao.ref_date = ref_entry ? ref_entry->date : NULL;
	/* The profile gives the requirements' texts in every language. */
	if (run->profile_id != NULL &&
	    cx_profile_load_id(pdir, run->profile_id, &prof, &d) != CX_OK) {
		print_diags(&d);
		fprintf(stderr,
		        "%s act: profile %s cannot be read: the requirements "
		        "are printed in English as the run recorded them\n",
		        prog, tsafe(run->profile_id));
		prof = NULL;
	}
	ao.profile = prof;
	rc = cx_act_build_opts(run, base, &ao, &act);
	if (rc) {
		fprintf(stderr, "%s act: %s\n", prog, cx_strerror(rc));
		ret = EXIT_RUNTIME;
		goto out;
	}
	/* The term the act closes (para 19 or 34), from the case's dates;
	 * without a calendar the act says nothing about it. */
	if (obj != NULL) {
		struct cx_diags td = {0};

		if (cx_deadlines_for_act(is_run_dir(arg) ? run->case_dir : arg,
		                         pdir, obj, act->date, act->additional,
		                         &terms, &td) == CX_OK)
			act->terms = &terms;
		print_diags(&td);
		cx_diags_free(&td);
	}
	/* Render everything first; write only when all acts rendered. */
	for (li = 0; li < nl; li++) {
		act->cat = cats[li];
		act->lang = lang[li];
		for (i = 0; i < nw; i++) {
			rc = w[i]->write(act, &bufs[li * nw + i]);
			if (rc) {
				fprintf(stderr, "%s act: %s writer: %s\n", prog,
				        w[i]->name, cx_strerror(rc));
				ret = EXIT_RUNTIME;
				goto out;
			}
		}
	}
	if (cx_mkdir_p(outdir)) {
		fprintf(stderr, "%s act: %s: cannot create the folder\n", prog,
		        tsafe(outdir));
		ret = EXIT_RUNTIME;
		goto out;
	}
	for (i = 0; i < nw * nl; i++) {
		char name[64];
		snprintf(name, sizeof(name), "act-%04d.%s.%s", run->number,
		         lang[i / nw], w[i % nw]->ext);
		path = cx_path_join(outdir, name);
		rc = path ? cx_write_file_atomic(
		                path, bufs[i].data ? bufs[i].data : "",
		                bufs[i].len)
		          : CX_ENOMEM;
		if (rc) {
			fprintf(stderr, "%s act: %s: %s\n", prog,
			        tsafe(path ? path : name), cx_strerror(rc));
			free(path);
			ret = EXIT_RUNTIME;
			goto out;
		}
		printf("%s\n", tsafe(path));
		free(path);
	}
	if (act->number != NULL) {
		rc = cx_act_register_add(&reg, act->number, act->date,
		                         act->additional ? "additional"
		                                         : "examination",
		                         run->number);
		if (rc == CX_OK)
			rc = cx_act_register_save(&reg, reg_path);
		if (rc) {
			fprintf(stderr, "%s act: %s: act No. %s: %s\n", prog,
			        reg_path, act->number,
			        rc == CX_EEXIST ? "the number is already "
			                          "used by another act"
			                        : cx_strerror(rc));
			ret = EXIT_RUNTIME;
			goto out;
		}
	}
	fprintf(stderr, "%s: act No. %s drafted; proposed decision: %s%s%s\n",
	        prog, act->number ? tsafe(act->number) : "(not numbered)",
	        cx_decision_name(act->decision),
	        act->decision_para ? ", para " : "",
	        act->decision_para ? act->decision_para : "");
	ret = EXIT_CLEAN;
	if (want_cert)
		ret = act_certificate(act, pdir, run->profile_id, outdir);
out:
	for (i = 0; i < CX_ARRAY_LEN(bufs); i++)
		cx_buf_free(&bufs[i]);
	for (i = 0; i < CX_ARRAY_LEN(cats); i++)
		cx_catalog_free(cats[i]);
	cx_act_register_free(&reg);
	free(reg_path);
	cx_profile_free(prof);
	cx_act_free(act);
	cx_deadlines_free(&terms);
	cx_object_free(obj);
	cx_run_free(run);
	cx_run_free(base);
	cx_diags_free(&d);
	free(rundir);
	free(schema);
	free(out_owned);
	free(fl);
	return ret;
}

/* ---- show ---- */

/* certexam deadlines CASE [--today DATE]: the timeline of the terms. */
static int cmd_deadlines(int argc, char **argv)
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
		        prog);
		return EXIT_USAGE;
	}
	pdir = find_profiles(pdir);
	schema = cx_path_join(pdir, "schema");
	path = cx_path_join(argv[optind], "object.xml");
	if (schema == NULL || path == NULL) {
		ret = EXIT_RUNTIME;
		goto out;
	}
	rc = cx_object_load(path, schema, &obj, &d);
	if (rc == CX_OK)
		rc = cx_deadlines_load(argv[optind], pdir, obj, today, &dl, &d);
	if (rc == CX_OK)
		rc = cx_deadlines_text(&dl, &b);
	print_diags(&d);
	if (rc) {
		fprintf(stderr, "%s deadlines: %s\n", prog, cx_strerror(rc));
		ret = rc == CX_ENOMEM ? EXIT_RUNTIME : EXIT_USAGE;
		goto out;
	}
	fputs(b.data ? b.data : "", stdout);
	if (cx_deadlines_overdue(&dl) > 0) {
		cx_date_str(today, day, sizeof(day));
		printf("\n%zu term(s) overdue as of %s.\n",
		       cx_deadlines_overdue(&dl), day);
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

/* ---- merge ---- */

/* A RUN argument: a folder with run.xml, else a number under CASE/runs. */
static char *merge_run_dir(const char *case_dir, const char *arg)
{
	long n;

	if (is_run_dir(arg) || cx_parse_long(arg, 1, 9999, &n) != 0)
		return cx_strdup(arg);
	return run_dir_of(case_dir, (int)n);
}

static int cmd_merge(int argc, char **argv)
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
		        prog);
		return EXIT_USAGE;
	}
	schema = cx_path_join(find_profiles(pdir), "schema");
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
		rc = cx_scan_recheck(out, find_profiles(pdir), &d);
out:
	print_diags(&d);
	if (rc != CX_OK) {
		fprintf(stderr, "%s merge: %s%s%s\n", prog, cx_strerror(rc),
		        out ? "; the merged run is kept: " : "",
		        out ? tsafe(out->dir) : "");
		ret =
		    rc == CX_ENOMEM || rc == CX_EIO ? EXIT_RUNTIME : EXIT_USAGE;
	} else {
		fprintf(stderr,
		        "%s merge: %zu run(s): %zu host(s), %zu port(s), "
		        "%zu finding(s)%s\n",
		        prog, n, out->n_hosts, out->n_ports, out->n_findings,
		        out->complete ? "" : "; INCOMPLETE");
		printf("%s\n", tsafe(out->dir));
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

static int cmd_show(int argc, char **argv)
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
		fprintf(stderr, "%s show: expected one RUN folder\n", prog);
		return EXIT_USAGE;
	}
	if (strcmp(fmt, "text") && strcmp(fmt, "json") && strcmp(fmt, "xml")) {
		fprintf(stderr,
		        "%s show: --format: '%s' is not text, json or "
		        "xml\n",
		        prog, tsafe(fmt));
		return EXIT_USAGE;
	}
	schema = cx_path_join(find_profiles(pdir), "schema");
	rc = schema ? cx_run_load(argv[optind], schema, &run, &d) : CX_ENOMEM;
	print_diags(&d);
	if (rc) {
		fprintf(stderr, "%s show: %s: %s\n", prog, tsafe(argv[optind]),
		        cx_strerror(rc));
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

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2) {
		usage_main(stderr);
		return EXIT_USAGE;
	}
	cmd = argv[1];
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
	fprintf(stderr, "%s: unknown command '%s'\n", prog, tsafe(cmd));
	usage_main(stderr);
	return EXIT_USAGE;
}
