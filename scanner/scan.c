/*
 * certexam — the examination pipeline: discovery, port scan, service
 * detection, checks, record (what a run starts from is prepared in
 * scan_prepare.c).  The run record on disk is rewritten after every
 * stage, so an interrupted or crashed scan leaves a readable record
 * marked complete="false".
 */
#include <dirent.h>
#include <limits.h>
#include <stdint.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certexam/check.h"
#include "certexam/loop.h"
#include "certexam/object.h"
#include "certexam/profile.h"
#include "certexam/run.h"
#include "certexam/scan.h"
#include "certexam/target.h"
#include "certexam/util.h"
#include "certexam/waiver.h"
#include "discover.h"
#include "portscan.h"
#include "scan_int.h"
#include "service.h"
#include "udp_proto.h"
#include "udpscan.h"
#include "scan_state.h"

static int only_has(const char *list, const char *id)
{
	size_t n = strlen(id);
	const char *p = list;

	if (list == NULL)
		return 1;
	while (p != NULL && *p) {
		if (strncmp(p, id, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
		p = strchr(p, ',');
		if (p != NULL)
			p++;
	}
	return 0;
}

static int need_network(const struct scan_state *s)
{
	size_t i;

	for (i = 0; cx_checks[i] != NULL; i++)
		if ((cx_checks[i]->flags & CX_CHECK_NETWORK) &&
		    only_has(s->req->opts.only_checks, cx_checks[i]->id))
			return 1;
	return 0;
}

/* 1 when run records c as skipped because the run was a shard. */
static int shard_skipped(const struct cx_run *run, const struct cx_check *c)
{
	size_t i;

	if (c->flags & CX_CHECK_NETWORK)
		return 0;
	for (i = 0; i < run->n_checks; i++)
		if (strcmp(run->checks[i].name, c->id) == 0)
			return strcmp(run->checks[i].value,
			              CX_STATE_SKIPPED_SHARD) == 0 ||
			       strncmp(run->checks[i].value, SHARD_SKIPPED,
			               strlen(SHARD_SKIPPED)) == 0;
	return 0;
}

static int run_checks(struct scan_state *s)
{
	struct cx_check_ctx ctx;
	const struct cx_check *c;
	size_t i;
	int rc;

	for (i = 0; cx_checks[i] != NULL; i++) {
		c = cx_checks[i];
		if (s->recheck && !shard_skipped(s->run, c))
			continue;
		if (!only_has(s->req->opts.only_checks, c->id)) {
			cx_run_check_state(s->run, c->id,
			                   CX_STATE_SKIPPED_ONLY);
			continue;
		}
		if (!(c->flags & CX_CHECK_NETWORK) && s->req->shard_n > 1) {
			/* Judged on the whole scope: after the merge. */
			cx_run_check_state(s->run, c->id,
			                   CX_STATE_SKIPPED_SHARD);
			continue;
		}
		if ((c->flags & CX_CHECK_INTRUSIVE) &&
		    !s->req->opts.intrusive) {
			cx_run_check_state(s->run, c->id,
			                   CX_STATE_SKIPPED_INTRUSIVE);
			continue;
		}
		if (cx_interrupted) {
			cx_run_check_state(s->run, c->id, CX_STATE_INTERRUPTED);
			continue;
		}
		memset(&ctx, 0, sizeof(ctx));
		ctx.obj = s->obj;
		ctx.profile = s->profile;
		ctx.scope = &s->scope;
		ctx.opts = &s->req->opts;
		ctx.progress = s->req->progress;
		ctx.run = s->run;
		ctx.loop = s->loop;
		rc = c->init ? c->init(&ctx) : CX_OK;
		if (rc == CX_OK)
			rc = c->run(&ctx);
		if (c->cleanup)
			c->cleanup(&ctx);
		if (cx_run_check_rc(s->run, c->id, rc, 1))
			return CX_ENOMEM;
		cx_run_save(s->run);
		if (rc == CX_ENOMEM)
			return rc;
	}
	return cx_interrupted ? CX_EINTR : CX_OK;
}

/*
 * Choose the port scan: SYN when asked or, by default, when raw sockets
 * and capture work; connect otherwise.  Asking for SYN where it cannot
 * run is an input error, before anything is sent.
 */
static int choose_scan(struct scan_state *s)
{
	const char *want = s->req->opts.scan_type;
	char why[200];
	int can;

	s->scan_why[0] = '\0';
	if (want != NULL && strcmp(want, "connect") == 0) {
		s->syn = 0;
		s->scan_msg = "scan.reason.connect-asked";
		return CX_OK;
	}
	can = cx_synscan_available(why, sizeof(why));
	if (want != NULL && strcmp(want, "syn") == 0 && !can) {
		if (cx_diag_add(s->diags, "--scan", 0, NULL,
		                "the SYN scan cannot run here: %s; run as root "
		                "(or with CAP_NET_RAW) or use --scan connect",
		                why) ||
		    cx_diag_set_msg(s->diags, "scan.syn.refused",
		                    CX_ARGS("why", why)))
			return CX_ENOMEM;
		return CX_EINVAL;
	}
	s->syn = can;
	s->scan_msg = want != NULL ? "scan.reason.syn-asked"
	              : can        ? "scan.reason.syn-default"
	                           : "scan.reason.no-raw";
	if (!can)
		snprintf(s->scan_why, sizeof(s->scan_why), "%s", why);
	return CX_OK;
}

/* Record the milliseconds since *t0 as option name; *t0 = now. */
static void stage_time(struct cx_run *run, const char *name, uint64_t *t0)
{
	uint64_t t = cx_now_ms();
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)(t - *t0));
	cx_run_option(run, name, buf);
	*t0 = t;
}

/* Replace the value of a recorded option (or add it). */
static int set_option(struct cx_run *run, const char *name, const char *value)
{
	char *v;
	size_t i;

	for (i = 0; i < run->n_options; i++) {
		if (strcmp(run->options[i].name, name) != 0)
			continue;
		v = cx_strdup(value);
		if (v == NULL)
			return CX_ENOMEM;
		free(run->options[i].value);
		run->options[i].value = v;
		return CX_OK;
	}
	return cx_run_option(run, name, value);
}

/*
 * Host discovery (with raw sockets, unless --no-discovery): the port scan
 * then covers only the hosts found up.  Without raw sockets, or when it
 * cannot start, every address is port-scanned and the run says why.
 */
static int discovery(struct scan_state *s)
{
	const struct cx_scan_request *req = s->req;
	char why[256];
	int rc;

	if (req->opts.no_discovery)
		return cx_run_option(s->run, "discovery_msg",
		                     "scan.discovery.off");
	if (!s->syn)
		return cx_run_option(s->run, "discovery_msg",
		                     "scan.discovery.no-raw");
	rc = cx_discover_run(s->loop, &s->scope, &req->opts, req->progress,
	                     s->run, &s->up, why, sizeof(why));
	cx_run_check_rc(s->run, "discovery", rc, 0);
	if (rc == CX_OK) {
		s->only = &s->up;
		return cx_run_option(s->run, "discovery_msg",
		                     "scan.discovery.on");
	}
	if (rc != CX_ESYS)
		return rc;
	/* why is the engine's raw text (an OS error): a parameter */
	rc = cx_run_option(s->run, "discovery_msg", "scan.discovery.failed");
	if (rc == CX_OK)
		rc = cx_run_option(s->run, "discovery_why", why);
	return rc;
}

static int port_scan(struct scan_state *s)
{
	const struct cx_scan_request *req = s->req;
	char why[256];
	int rc;

	if (!s->syn)
		return cx_portscan_run(s->loop, &s->scope, s->only, &s->ports,
		                       &req->opts, req->progress, s->run);
	rc = cx_synscan_run(s->loop, &s->scope, s->only, &s->ports, &req->opts,
	                    req->progress, s->run, why, sizeof(why));
	if (rc != CX_ESYS || req->opts.scan_type != NULL)
		return rc;
	/* The SYN scan could not start: nothing was sent; connect scan. */
	s->scan_msg = "scan.reason.syn-failed";
	snprintf(s->scan_why, sizeof(s->scan_why), "%s", why);
	s->syn = 0;
	if (set_option(s->run, "scan", "connect") ||
	    set_option(s->run, "scan_reason_msg", s->scan_msg) ||
	    set_option(s->run, "scan_reason_why", s->scan_why))
		return CX_ENOMEM;
	return cx_portscan_run(s->loop, &s->scope, s->only, &s->ports,
	                       &req->opts, req->progress, s->run);
}

/* The port scan's open-port hook: each open TCP port goes to detection. */
struct feed {
	struct cx_svc_pipe *pipe;
	const struct scan_state *s;
	size_t connect_cap;
};

/*
 * Detection jobs at most while the connect scan runs: the descriptors the
 * connect scan never takes (it keeps at most min(--max-inflight, limit -
 * 128) sockets, portscan.c's FD_RESERVE) less half of that reserve, at
 * 8 per job (the banner, MAX_PARALLEL probe connections, one spare).  The
 * SYN scan uses a few descriptors only: detection has its usual budget.
 */
static size_t connect_feed_cap(const struct cx_scan_opts *o)
{
	long lim = cx_raise_fd_limit(), scan, spare;

	scan = o->max_inflight > 0 ? o->max_inflight : 4096;
	if (scan > lim - 128)
		scan = lim - 128;
	spare = lim - scan - 64;
	return spare >= 16 ? (size_t)spare / 8 : 1;
}

static void on_open_port(void *arg, const char *addr_s, unsigned port)
{
	const struct feed *f = arg;

	cx_svc_pipe_port(f->pipe, addr_s, port, f->s->syn ? 0 : f->connect_cap);
}

static int load_baseline(struct scan_state *s)
{
	char name[16], *dir;
	int n = s->req->baseline, rc;

	if (!s->req->additional)
		return CX_OK;
	if (n == 0) {
		rc = cx_runs_latest(s->runs_dir, "examination", &n, s->diags);
		if (rc)
			return rc;
	}
	if (n == 0) {
		cx_diag_add(s->diags, s->runs_dir, 0, NULL,
		            "no examination run to re-check: run "
		            "'certexam scan' first");
		return CX_ENOENT;
	}
	snprintf(name, sizeof(name), "%04d", n);
	dir = cx_path_join(s->runs_dir, name);
	if (dir == NULL)
		return CX_ENOMEM;
	rc = cx_run_load(dir, s->schema_dir, &s->baseline, s->diags);
	free(dir);
	/* the baseline's evidence must be what was recorded */
	if (rc == CX_OK)
		rc = cx_run_verify(s->baseline, s->diags);
	return rc;
}

int cx_scan(const struct cx_scan_request *req, struct cx_run **out,
            struct cx_diags *diags)
{
	struct scan_state s;
	char *sig = NULL, why[200];
	int rc;

	*out = NULL;
	memset(&s, 0, sizeof(s));
	s.req = req;
	s.diags = diags;
	s.schema_dir = cx_path_join(req->opts.profiles_dir, "schema");
	if (req->case_dir != NULL)
		s.runs_dir = cx_path_join(req->case_dir, "runs");
	else
		s.runs_dir = cx_strdup(req->out_dir ? req->out_dir : "runs");
	if (s.schema_dir == NULL || s.runs_dir == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	/*
	 * The capture of discovery and the SYN scan costs the kernel a grace
	 * period to open (~12-18 ms): it opens in a thread while the case
	 * and the profile load (closed at out: if never taken).
	 */
	if (need_network(&s) &&
	    (!req->opts.no_discovery || req->opts.scan_type == NULL ||
	     strcmp(req->opts.scan_type, "connect") != 0) &&
	    cx_synscan_available(why, sizeof(why)))
		cx_synscan_prepare();
	if (req->case_dir != NULL) {
		rc = scan_load_case(&s);
		if (rc)
			goto out;
	} else if (req->n_targets == 0) {
		cx_diag_add(diags, "(command line)", 0, NULL,
		            "nothing to examine: give a case folder or "
		            "--target");
		rc = CX_EINVAL;
		goto out;
	}
	rc = cx_profile_load_id(req->opts.profiles_dir, scan_profile_id(&s),
	                        &s.profile, diags);
	if (rc)
		goto out;
	rc = load_baseline(&s);
	if (rc == CX_OK)
		rc = scan_build_scope(&s);
	if (rc == CX_OK)
		rc = scan_narrow_shard(&s);
	if (rc == CX_OK)
		rc = scan_build_ports(&s);
	if (rc == CX_OK)
		rc = scan_build_udp_ports(&s);
	if (rc == CX_OK && need_network(&s))
		rc = choose_scan(&s);
	if (rc)
		goto out;

	s.run = cx_run_new();
	if (s.run == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	rc = cx_run_place(s.run, s.runs_dir);
	if (rc) {
		cx_diag_add(diags, s.runs_dir, 0, NULL,
		            "cannot create the run folder: %s",
		            cx_strerror(rc));
		goto out;
	}
	rc = scan_record_meta(&s);
	if (rc == CX_OK)
		rc = cx_run_save(s.run);
	if (rc)
		goto out;

	rc = cx_loop_new(&s.loop);
	if (rc)
		goto out;
	cx_raise_fd_limit();
	if (need_network(&s)) {
		size_t h0 = s.run->n_hosts, p0 = s.run->n_ports,
		       o0 = s.run->n_obs;
		struct feed feed = {NULL, &s, connect_feed_cap(&req->opts)};
		int prc;

		uint64_t t0 = cx_now_ms();

		if (s.syn)
			cx_synscan_prepare(); /* if not yet (above) */
		/* the signatures load while discovery runs */
		sig = cx_path_join(req->opts.profiles_dir, "signatures.xml");
		cx_svc_preload(sig);
		rc = discovery(&s);
		stage_time(s.run, "time_discovery_ms", &t0);
		if (!s.syn)
			cx_raw_capture_discard();
		/* service detection, fed by the port scan as it finds ports */
		prc = sig ? cx_svc_pipe_new(s.loop, s.run, &req->opts, sig,
		                            req->progress, &s.scope, &feed.pipe)
		          : CX_ENOMEM;
		if (prc == CX_OK)
			cx_scan_set_open_hook(on_open_port, &feed);
		if (rc == CX_OK)
			rc = port_scan(&s);
		cx_scan_set_open_hook(NULL, NULL);
		stage_time(s.run, "time_portscan_ms", &t0);
		cx_scan_sort(s.run, h0, p0, o0);
		cx_run_check_rc(s.run, "portscan", rc, 0);
		/* an all-open host: service detection probes a sample only */
		scan_mark_declared(&s);
		if (rc == CX_OK)
			rc = cx_run_mark_all_open(s.run, s.ports.count);
		cx_run_save(s.run);
		if (rc == CX_OK) {
			/* what the scan fed is attached, the rest detected;
			 * time_services_ms is what detection adds after the
			 * port scan */
			rc = prc == CX_OK ? cx_svc_pipe_finish(feed.pipe, 1)
			                  : prc;
			stage_time(s.run, "time_services_ms", &t0);
			cx_run_check_rc(s.run, "services", rc, 0);
		} else if (prc == CX_OK) {
			/* ports detected before the interrupt are kept */
			cx_svc_pipe_finish(feed.pipe, 0);
			if (rc == CX_EINTR)
				cx_run_check_state(s.run, "services",
				                   CX_STATE_INTERRUPTED);
		}
		cx_svc_pipe_free(feed.pipe);
		cx_run_save(s.run);
		if (rc == CX_OK && s.udp_ports.count > 0) {
			h0 = s.run->n_hosts;
			p0 = s.run->n_ports;
			o0 = s.run->n_obs;
			cx_run_save(s.run);
			rc = cx_udpscan_run(s.loop, &s.scope, s.only,
			                    &s.udp_ports, &req->opts,
			                    req->progress, s.run);
			stage_time(s.run, "time_udpscan_ms", &t0);
			cx_run_check_rc(s.run, "udpscan", rc, 0);
			cx_scan_sort(s.run, h0, p0, o0);
		}
		scan_mark_declared(&s);
		cx_run_save(s.run);
		if (rc == CX_EINTR)
			goto finish;
		rc = CX_OK; /* a failed phase is recorded; the checks go on */
	}
	rc = run_checks(&s);
	if (rc == CX_OK && s.waivers != NULL) {
		rc = cx_waivers_apply(s.waivers, s.run, s.profile,
		                      (long)(s.run->started / 86400));
		cx_run_check_rc(s.run, "waivers", rc, 0);
	}
finish:
	s.run->finished = time(NULL);
	s.run->complete = rc == CX_OK;
	if (cx_run_save(s.run) != CX_OK && rc == CX_OK)
		rc = CX_EIO;
	if (rc == CX_OK || rc == CX_EINTR) {
		*out = s.run;
		s.run = NULL;
	}
out:
	cx_raw_close_wait();
	free(sig);
	cx_loop_free(s.loop);
	cx_addrset_free(&s.up);
	cx_run_free(s.run);
	cx_run_free(s.baseline);
	cx_scope_free(&s.scope);
	cx_profile_free(s.profile);
	cx_object_free(s.obj);
	cx_waivers_free(s.waivers);
	free(s.schema_dir);
	free(s.runs_dir);
	return rc;
}

int cx_scan_recheck(struct cx_run *run, const char *profiles_dir,
                    struct cx_diags *diags)
{
	struct cx_scan_request req;
	struct scan_state s;
	char *schema = NULL;
	size_t i;
	int rc, any = 0;

	for (i = 0; cx_checks[i] != NULL; i++)
		any |= shard_skipped(run, cx_checks[i]);
	if (!any)
		return CX_OK;
	memset(&req, 0, sizeof(req));
	memset(&s, 0, sizeof(s));
	cx_scan_opts_default(&req.opts);
	req.opts.profiles_dir = profiles_dir;
	req.opts.case_dir = run->case_dir;
	/* A run without a case: its scope entries as --target. */
	req.targets = (const char *const *)run->scope;
	s.req = &req;
	s.diags = diags;
	s.run = run;
	s.recheck = 1;
	schema = cx_path_join(profiles_dir, "schema");
	rc =
	    schema ? cx_run_load_object(run, schema, &s.obj, diags) : CX_ENOMEM;
	if (rc == CX_OK && s.obj == NULL)
		req.n_targets = run->n_scope;
	if (rc == CX_OK)
		rc = cx_profile_load_id(profiles_dir, run->profile_id,
		                        &s.profile, diags);
	if (rc == CX_OK)
		rc = scan_build_scope(&s);
	if (rc == CX_OK)
		rc = run_checks(&s);
	if (cx_run_save(run) != CX_OK && rc == CX_OK)
		rc = CX_EIO;
	cx_scope_free(&s.scope);
	cx_profile_free(s.profile);
	cx_object_free(s.obj);
	free(schema);
	return rc;
}

static const struct cx_evidence *evidence_kind(const struct cx_run *run,
                                               const char *kind)
{
	size_t i;

	for (i = 0; i < run->n_evidence; i++)
		if (run->evidence[i].kind &&
		    strcmp(run->evidence[i].kind, kind) == 0)
			return &run->evidence[i];
	return NULL;
}

int cx_run_load_object(const struct cx_run *run, const char *schema_dir,
                       struct cx_object **out, struct cx_diags *diags)
{
	const struct cx_evidence *e;
	struct cx_object *obj = NULL;
	char *p;
	int rc;

	*out = NULL;
	e = evidence_kind(run, "case-object-xml");
	if (e == NULL)
		return CX_OK;
	p = cx_path_join(run->dir, e->file);
	if (p == NULL)
		return CX_ENOMEM;
	rc = cx_object_load(p, schema_dir, &obj, diags);
	free(p);
	if (rc)
		return rc;
	e = evidence_kind(run, "case-hardware-csv");
	if (e != NULL) {
		p = cx_path_join(run->dir, e->file);
		rc = p ? cx_object_load_hardware(obj, p, diags) : CX_ENOMEM;
		free(p);
	}
	e = evidence_kind(run, "case-software-csv");
	if (rc == CX_OK && e != NULL) {
		p = cx_path_join(run->dir, e->file);
		rc = p ? cx_object_load_software(obj, p, diags) : CX_ENOMEM;
		free(p);
	}
	/* The act describes what was submitted even if the lists have
	 * problems; those were reported by validate and by the scan. */
	*out = obj;
	return CX_OK;
}
