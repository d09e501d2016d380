/*
 * certexam — a small driver for the port scan engine alone (no service
 * detection, no run record), which tests/bench/portscan.sh times next to
 * `certexam scan`.
 *
 * Usage: bench_portscan [-r rate] [-t timeout_ms] [-R retries] [-p ports]
 *                       [-P] target...
 * Prints the open ports ("open ADDR PORT"), counts and the wall time.
 * Build by hand:
 *   cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
 *      -Iinclude -Iscanner tests/bench/bench_portscan.c \
 *      build/libcxengine.a $(pkg-config --libs libxml-2.0 libcurl
 *      openssl) -lm -o bench_portscan
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certexam/check.h"
#include "certexam/loop.h"
#include "certexam/run.h"
#include "certexam/target.h"
#include "certexam/util.h"
#include "portscan.h"

static void progress(void *arg, const char *phase, uint64_t done,
                     uint64_t total, uint64_t found)
{
	(void)arg;
	fprintf(stderr, "\r%s %llu/%llu found %llu   ", phase,
	        (unsigned long long)done, (unsigned long long)total,
	        (unsigned long long)found);
}

int main(int argc, char **argv)
{
	struct cx_scope scope;
	struct cx_portset ports;
	struct cx_scan_opts opts;
	struct cx_diags diags;
	struct cx_loop *loop = NULL;
	struct cx_run *run = NULL;
	struct cx_progress prog = {progress, NULL};
	const char *spec = "all", *bad = NULL;
	uint64_t t0, t1;
	long v;
	size_t i;
	int c, rc, show_progress = 0;

	memset(&scope, 0, sizeof(scope));
	memset(&diags, 0, sizeof(diags));
	cx_scan_opts_default(&opts);
	while ((c = getopt(argc, argv, "r:t:p:R:P")) != -1) {
		switch (c) {
		case 'r':
			if (cx_parse_long(optarg, 0, 10000000, &v) != 0)
				return 2;
			opts.rate = (int)v;
			break;
		case 't':
			if (cx_parse_long(optarg, 1, 600000, &v) != 0)
				return 2;
			opts.connect_timeout_ms = (int)v;
			break;
		case 'R':
			if (cx_parse_long(optarg, 0, 20, &v) != 0)
				return 2;
			opts.retries = (int)v;
			break;
		case 'p':
			spec = optarg;
			break;
		case 'P':
			show_progress = 1;
			break;
		default:
			fprintf(stderr,
			        "usage: %s [-r rate] [-t ms] [-R retries] "
			        "[-p ports] [-P] target...\n",
			        argv[0]);
			return 2;
		}
	}
	for (; optind < argc; optind++) {
		rc = cx_scope_add(&scope, argv[optind], 0, &diags, "argv", 0);
		if (rc != 0) {
			for (i = 0; i < diags.n; i++)
				fprintf(stderr, "%s\n", diags.items[i].message);
			return 2;
		}
	}
	if (cx_portset_parse(&ports, spec, &bad) != 0) {
		fprintf(stderr, "bad port spec at '%s'\n", bad ? bad : "");
		return 2;
	}
	if (cx_loop_new(&loop) != 0 || (run = cx_run_new()) == NULL)
		return 1;
	t0 = cx_now_ms();
	rc = cx_portscan_run(loop, &scope, NULL, &ports, &opts,
	                     show_progress ? &prog : NULL, run);
	t1 = cx_now_ms();
	if (show_progress)
		fprintf(stderr, "\n");
	for (i = 0; i < run->n_ports; i++)
		printf("open %s %d\n", run->ports[i].addr, run->ports[i].port);
	for (i = 0; i < run->n_obs; i++)
		printf("host %s open=%s closed=%s filtered=%s\n",
		       run->obs[i].asset, cx_obs_get(&run->obs[i], "open"),
		       cx_obs_get(&run->obs[i], "closed"),
		       cx_obs_get(&run->obs[i], "filtered"));
	printf("rc=%d hosts=%zu open=%zu degraded=%d%s%s seconds=%.3f\n", rc,
	       run->n_hosts, run->n_ports, run->degraded,
	       run->degraded ? " reason=" : "",
	       run->degraded ? run->degraded_reason : "",
	       (double)(t1 - t0) / 1000.0);
	cx_run_free(run);
	cx_loop_free(loop);
	cx_scope_free(&scope);
	cx_diags_free(&diags);
	return rc == 0 ? 0 : 1;
}
