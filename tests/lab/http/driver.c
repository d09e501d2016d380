/*
 * certexam — a stand-alone driver for the http check (tests and bench
 * only): builds a run with the given open HTTP/HTTPS ports, runs the check
 * on one event loop and prints the run as JSON on stdout.
 *
 *   driver PROFILES_DIR RUNS_DIR SCOPE [--intrusive] [--budget N]
 *          ADDR:PORT:http|https ...
 *
 * Used until `certexam scan --only ports,http` is available everywhere,
 * and by the benchmark to time the check alone.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/loop.h"
#include "certexam/profile.h"
#include "certexam/run.h"
#include "certexam/target.h"
#include "certexam/util.h"

int main(int argc, char **argv)
{
	struct cx_scan_opts opts;
	struct cx_scope scope;
	struct cx_diags diags;
	struct cx_profile *profile = NULL;
	struct cx_run *run = NULL;
	struct cx_loop *loop = NULL;
	struct cx_check_ctx ctx;
	struct cx_buf b = {0};
	const struct cx_check *c;
	uint64_t t0, t1;
	int i, rc, status = 1;
	long n;

	if (argc < 5) {
		fprintf(stderr, "usage: driver PROFILES RUNS SCOPE "
		                "ADDR:PORT:http|https ...\n");
		return 2;
	}
	memset(&scope, 0, sizeof(scope));
	memset(&diags, 0, sizeof(diags));
	cx_scan_opts_default(&opts);
	opts.profiles_dir = argv[1];
	if (cx_profile_load_id(argv[1], "internet-resource", &profile,
	                       &diags) != CX_OK) {
		fprintf(stderr, "driver: cannot load profile\n");
		goto out;
	}
	if (cx_scope_add(&scope, argv[3], 0, &diags, "argv", 0) != CX_OK) {
		fprintf(stderr, "driver: bad scope %s\n", argv[3]);
		goto out;
	}
	run = cx_run_new();
	if (run == NULL || cx_run_place(run, argv[2]) != CX_OK) {
		fprintf(stderr, "driver: cannot place run in %s\n", argv[2]);
		goto out;
	}
	for (i = 4; i < argc; i++) {
		struct cx_port_obs p;
		char addr[64], svc[16];
		int port;

		if (strcmp(argv[i], "--intrusive") == 0) {
			opts.intrusive = 1;
			continue;
		}
		if (strcmp(argv[i], "--budget") == 0 && i + 1 < argc) {
			if (cx_parse_long(argv[++i], 1, 100000, &n) == CX_OK)
				opts.http_budget = n;
			continue;
		}
		if (sscanf(argv[i], "%63[^:]:%d:%15s", addr, &port, svc) != 3) {
			fprintf(stderr, "driver: bad port %s\n", argv[i]);
			goto out;
		}
		memset(&p, 0, sizeof(p));
		p.addr = addr;
		p.port = port;
		p.proto = (char *)"tcp";
		p.state = CX_PORT_OPEN;
		p.reason = (char *)"syn-ack";
		p.service = (char *)"http";
		p.tls = strcmp(svc, "https") == 0;
		p.inner = p.tls ? (char *)"http" : NULL;
		if (cx_run_add_port(run, &p, NULL) != CX_OK)
			goto out;
	}
	if (cx_loop_new(&loop) != CX_OK)
		goto out;
	c = cx_check_find("http");
	if (c == NULL)
		goto out;
	memset(&ctx, 0, sizeof(ctx));
	ctx.profile = profile;
	ctx.scope = &scope;
	ctx.opts = &opts;
	ctx.run = run;
	ctx.loop = loop;
	t0 = cx_now_ms();
	rc = c->run(&ctx);
	t1 = cx_now_ms();
	fprintf(stderr, "driver: http check rc=%d (%s) in %.3f s\n", rc,
	        cx_strerror(rc), (double)(t1 - t0) / 1000.0);
	cx_run_check_state(run, "http", rc == CX_OK ? "done" : "failed");
	run->complete = 1;
	cx_run_save(run);
	if (cx_run_to_json(run, &b) == CX_OK && b.data != NULL)
		fputs(b.data, stdout);
	status = rc == CX_OK ? 0 : 1;
out:
	cx_buf_free(&b);
	cx_loop_free(loop);
	cx_run_free(run);
	cx_profile_free(profile);
	cx_scope_free(&scope);
	cx_diags_free(&diags);
	return status;
}
