/*
 * certexam — the examination pipeline: inputs, scope, port scan, service
 * detection, checks, record.  The run record on disk is rewritten after
 * every stage, so an interrupted or crashed scan leaves a readable record
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

#define CASE_FILE_MAX ((size_t)256 * 1024 * 1024)

struct scan_state {
	const struct cx_scan_request *req;
	struct cx_diags *diags;
	struct cx_object *obj;
	struct cx_profile *profile;
	struct cx_scope scope;
	struct cx_portset ports;
	struct cx_portset udp_ports;
	const char *udp_spec; /* as asked, or the profile's */
	struct cx_run *run;
	struct cx_run *baseline;
	struct cx_loop *loop;
	char *schema_dir;
	char *runs_dir;
	int syn;                       /* the port scan is a SYN scan */
	char scan_why[512];            /* why that scan type (for the record) */
	int recheck;                   /* cx_scan_recheck: shard-skipped only */
	struct cx_addrset up;          /* hosts discovery found up */
	const struct cx_addrset *only; /* &up after discovery, else NULL */
	struct cx_waivers *waivers;    /* CASE/waivers.xml, or NULL */
};

static int load_case(struct scan_state *s)
{
	const char *dir = s->req->case_dir;
	char *p = NULL;
	int rc;

	p = cx_path_join(dir, "object.xml");
	if (p == NULL)
		return CX_ENOMEM;
	rc = cx_object_load(p, s->schema_dir, &s->obj, s->diags);
	free(p);
	if (rc)
		return rc;
	p = cx_path_join(dir, "hardware.csv");
	if (p == NULL)
		return CX_ENOMEM;
	if (cx_path_exists(p))
		rc = cx_object_load_hardware(s->obj, p, s->diags);
	free(p);
	/* An unreadable list is reported and leaves the inventory block
	 * incomplete; the rest of the examination goes on. */
	if (rc == CX_ENOMEM)
		return rc;
	p = cx_path_join(dir, "software.csv");
	if (p == NULL)
		return CX_ENOMEM;
	if (cx_path_exists(p))
		rc = cx_object_load_software(s->obj, p, s->diags);
	free(p);
	if (rc == CX_ENOMEM)
		return rc;
	/* Waivers: a file that cannot be read stops the scan (nothing is
	 * waived on a guess). */
	p = cx_path_join(dir, "waivers.xml");
	if (p == NULL)
		return CX_ENOMEM;
	rc = cx_path_exists(p)
	         ? cx_waivers_load(p, s->schema_dir, &s->waivers, s->diags)
	         : CX_OK;
	free(p);
	return rc;
}

static const char *profile_id(const struct scan_state *s)
{
	if (s->req->profile_id != NULL)
		return s->req->profile_id;
	if (s->obj != NULL && s->obj->profile != NULL)
		return s->obj->profile;
	if (s->obj != NULL && cx_object_type_name(s->obj->type) != NULL)
		return cx_object_type_name(s->obj->type);
	return "information-system";
}

/* 1 if every address of block b is inside scope (checked by sampling the
 * ends and, for blocks up to 65,536 addresses, every address). */
static int block_inside(const struct cx_scope *scope, const struct cx_block *b)
{
	struct cx_scope one;
	struct cx_target_iter it;
	struct cx_addr a;
	unsigned long n = 0;

	if (!cx_scope_contains(scope, &b->first) ||
	    !cx_scope_contains(scope, &b->last))
		return 0;
	memset(&one, 0, sizeof(one));
	one.blocks = (struct cx_block *)b;
	one.n_blocks = 1;
	cx_target_iter_init(&it, &one);
	while (cx_target_next(&it, &a) && n++ < 65536)
		if (!cx_scope_contains(scope, &a))
			return 0;
	return 1;
}

static int build_scope(struct scan_state *s)
{
	const struct cx_scan_request *r = s->req;
	struct cx_scope narrowed;
	char *objpath = NULL;
	size_t i;
	int rc = CX_OK;

	memset(&narrowed, 0, sizeof(narrowed));
	if (s->obj != NULL) {
		objpath = s->obj->path;
		for (i = 0; i < s->obj->n_scope && rc == CX_OK; i++)
			rc = cx_scope_add(&s->scope, s->obj->scope[i].value, 0,
			                  s->diags, objpath,
			                  s->obj->scope[i].line);
		for (i = 0; i < s->obj->n_exclude && rc == CX_OK; i++)
			rc = cx_scope_add(&s->scope, s->obj->exclude[i].value,
			                  1, s->diags, objpath,
			                  s->obj->exclude[i].line);
		if (rc)
			return rc;
	}
	if (r->n_targets > 0) {
		struct cx_scope *dst = s->obj != NULL ? &narrowed : &s->scope;
		for (i = 0; i < r->n_targets && rc == CX_OK; i++)
			rc = cx_scope_add(dst, r->targets[i], 0, s->diags,
			                  "--target", 0);
		if (rc == CX_OK && s->obj != NULL) {
			for (i = 0; i < narrowed.n_blocks; i++) {
				if (!block_inside(&s->scope,
				                  &narrowed.blocks[i])) {
					cx_diag_add(
					    s->diags, "--target", 0, NULL,
					    "%s is outside the scope "
					    "declared in %s; refused",
					    narrowed.blocks[i].origin, objpath);
					rc = CX_ESCOPE;
				}
			}
			if (rc == CX_OK) {
				/* Keep the case's excludes and names; scan
				 * only the narrowed blocks. */
				struct cx_block *tmp = s->scope.blocks;
				size_t tn = s->scope.n_blocks,
				       tc = s->scope.cap_blocks;
				s->scope.blocks = narrowed.blocks;
				s->scope.n_blocks = narrowed.n_blocks;
				s->scope.cap_blocks = narrowed.cap_blocks;
				narrowed.blocks = tmp;
				narrowed.n_blocks = tn;
				narrowed.cap_blocks = tc;
			}
		}
	}
	for (i = 0; i < r->n_excludes && rc == CX_OK; i++)
		rc = cx_scope_add(&s->scope, r->excludes[i], 1, s->diags,
		                  "--exclude", 0);
	cx_scope_free(&narrowed);
	if (rc == CX_OK && s->scope.n_blocks == 0) {
		cx_diag_add(s->diags, objpath ? objpath : "--target", 0,
		            "scope", "nothing to examine: the scope is empty");
		rc = CX_EINVAL;
	}
	return rc;
}

/* --shard i/n: only this shard's part of the scope (shard.c). */
static int narrow_shard(struct scan_state *s)
{
	uint64_t n = 0;
	int rc;

	if (s->req->shard_n <= 1)
		return CX_OK;
	rc = cx_scope_shard(&s->scope, s->req->shard_i, s->req->shard_n, &n);
	if (rc == CX_ELIMIT)
		cx_diag_add(s->diags, "--shard", 0, NULL,
		            "the scope has 2^64 addresses or more; it cannot "
		            "be split into shards");
	else if (rc == CX_EINVAL)
		cx_diag_add(s->diags, "--shard", 0, NULL,
		            "expected i/n with 0 <= i < n <= %d", CX_SHARD_MAX);
	return rc;
}

static int build_ports(struct scan_state *s)
{
	const char *spec = s->req->ports, *bad = NULL;
	char *top = NULL;
	long n;
	size_t i;
	int rc;

	if (spec == NULL)
		spec = cx_profile_param(s->profile, "scan.ports", "top:1000");
	memset(&s->ports, 0, sizeof(s->ports));
	if (strncmp(spec, "top:", 4) == 0) {
		if (cx_parse_long(spec + 4, 1, 65535, &n)) {
			cx_diag_add(s->diags, "--ports", 0, NULL,
			            "'%s': expected top:N with N in 1..65535",
			            spec);
			return CX_EINVAL;
		}
		top = cx_path_join(s->req->opts.profiles_dir, "top-ports.txt");
		if (top == NULL)
			return CX_ENOMEM;
		rc = cx_portset_top(&s->ports, top, (unsigned)n);
		if (rc)
			cx_diag_add(s->diags, top, 0, NULL,
			            "cannot read the port frequency list: %s",
			            cx_strerror(rc));
		free(top);
		if (rc)
			return rc;
	} else {
		rc = cx_portset_parse(&s->ports, spec, &bad);
		if (rc) {
			cx_diag_add(s->diags, "--ports", 0, NULL,
			            "'%s': bad port or range '%s'; expected "
			            "e.g. 22,80,8000-8100 or all",
			            spec, bad ? bad : spec);
			return rc;
		}
	}
	/* Declared services are always examined. */
	for (i = 0; s->obj != NULL && i < s->obj->n_services; i++)
		if (s->obj->services[i].port > 0 &&
		    s->obj->services[i].port < 65536)
			cx_portset_add(&s->ports,
			               (unsigned)s->obj->services[i].port);
	/* A rescan re-checks every port the examination found open. */
	for (i = 0; s->baseline != NULL && i < s->baseline->n_ports; i++)
		cx_portset_add(&s->ports, (unsigned)s->baseline->ports[i].port);
	return CX_OK;
}

static int build_udp_ports(struct scan_state *s)
{
	const char *spec = s->req->udp_ports, *bad = NULL;
	size_t i;
	int rc;

	if (spec == NULL)
		spec = cx_profile_param(s->profile, "scan.udp_ports",
		                        cx_udp_default_ports());
	s->udp_spec = spec;
	memset(&s->udp_ports, 0, sizeof(s->udp_ports));
	if (strcmp(spec, "none") != 0) {
		rc = cx_portset_parse(&s->udp_ports, spec, &bad);
		if (rc) {
			cx_diag_add(s->diags, "--udp-ports", 0, NULL,
			            "'%s': bad port or range '%s'; expected "
			            "e.g. 53,161,500-501, all or none",
			            spec, bad ? bad : spec);
			return rc;
		}
	}
	/* Declared UDP services are always examined. */
	for (i = 0; s->obj != NULL && i < s->obj->n_services; i++)
		if (s->obj->services[i].proto != NULL &&
		    strcmp(s->obj->services[i].proto, "udp") == 0 &&
		    s->obj->services[i].port > 0 &&
		    s->obj->services[i].port < 65536)
			cx_portset_add(&s->udp_ports,
			               (unsigned)s->obj->services[i].port);
	return CX_OK;
}

static int snapshot(struct scan_state *s, const char *file, const char *kind,
                    const char *desc)
{
	char *p, *data = NULL;
	size_t len = 0;
	int rc;

	p = cx_path_join(s->req->case_dir, file);
	if (p == NULL)
		return CX_ENOMEM;
	if (!cx_path_exists(p)) {
		free(p);
		return CX_OK;
	}
	rc = cx_read_file(p, CASE_FILE_MAX, &data, &len);
	if (rc == CX_OK)
		rc = cx_run_add_evidence(s->run, file, kind, desc, data, len,
		                         NULL);
	free(data);
	free(p);
	return rc;
}

/*
 * Paragraphs 13-14: the form and completeness of the package, as
 * `validate` checks it, stored in the run (an observation "package-check"
 * with the counts and every remark) so that the act can report it.
 */
static int record_package(struct scan_state *s)
{
	struct cx_diags d = {0};
	struct cx_observation *o;
	struct cx_buf line = {0};
	size_t i, nerr = 0, nwarn = 0;
	int rc = CX_OK;

	if (s->obj == NULL)
		return CX_OK;
	cx_object_check_complete(s->obj, &d);
	o = cx_run_add_obs(s->run, "package-check", "object.xml");
	if (o == NULL)
		rc = CX_ENOMEM;
	for (i = 0; i < d.n; i++)
		if (d.items[i].is_warning)
			nwarn++;
		else
			nerr++;
	if (rc == CX_OK)
		rc = cx_obs_propf(o, "errors", "%zu", nerr);
	if (rc == CX_OK)
		rc = cx_obs_propf(o, "warnings", "%zu", nwarn);
	for (i = 0; i < d.n && rc == CX_OK; i++) {
		const struct cx_diag *g = &d.items[i];
		const char *file = g->file ? strrchr(g->file, '/') : NULL;
		line.len = 0;
		file = file ? file + 1 : g->file ? g->file : "";
		rc = cx_buf_printf(&line, "%s", file);
		if (rc == CX_OK && g->line > 0)
			rc = cx_buf_printf(&line, ":%ld", g->line);
		if (rc == CX_OK && g->field != NULL)
			rc = cx_buf_printf(&line, " (%s)", g->field);
		if (rc == CX_OK)
			rc = cx_buf_printf(&line, ": %s", g->message);
		if (rc == CX_OK)
			rc = cx_obs_prop(o, g->is_warning ? "warning" : "error",
			                 line.data);
	}
	cx_buf_free(&line);
	cx_diags_free(&d);
	return rc;
}

static int record_meta(struct scan_state *s)
{
	const struct cx_scan_request *r = s->req;
	struct cx_run *run = s->run;
	struct cx_buf cmd = {0};
	char host[256], buf[64];
	struct passwd *pw;
	size_t i;
	int rc = CX_OK;

	run->tool_version = cx_strdup(r->tool_version ? r->tool_version : "");
	run->profile_id = cx_strdup(s->profile->id);
	run->profile_version = cx_strdup(s->profile->version);
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	run->examiner_host = cx_strdup(host);
	pw = getpwuid(getuid());
	run->examiner_user = cx_strdup(pw ? pw->pw_name : "unknown");
	run->started = time(NULL);
	free(run->kind);
	run->kind = cx_strdup(r->additional ? "additional" : "examination");
	run->baseline = s->baseline ? s->baseline->number : 0;
	if (s->obj != NULL) {
		char *abs = realpath(r->case_dir, NULL);
		run->object_name = cx_strdup(s->obj->name);
		run->object_type = cx_strdup(cx_object_type_name(s->obj->type));
		run->case_dir = abs ? abs : cx_strdup(r->case_dir);
		run->n_scope = 0;
		run->scope =
		    calloc(s->obj->n_scope + r->n_targets + 1, sizeof(char *));
		if (run->scope == NULL)
			return CX_ENOMEM;
		for (i = 0; i < s->obj->n_scope; i++)
			run->scope[run->n_scope++] =
			    cx_strdup(s->obj->scope[i].value);
	} else {
		run->scope = calloc(r->n_targets + 1, sizeof(char *));
		if (run->scope == NULL)
			return CX_ENOMEM;
	}
	if (s->obj == NULL)
		for (i = 0; i < r->n_targets; i++)
			run->scope[run->n_scope++] = cx_strdup(r->targets[i]);
	for (i = 0; i < run->n_scope; i++)
		if (run->scope[i] == NULL)
			return CX_ENOMEM;
	for (i = 0; i < (size_t)r->argc && rc == CX_OK; i++)
		rc = cx_buf_printf(&cmd, "%s%s", i ? " " : "", r->argv[i]);
	if (rc == CX_OK && r->argc > 0)
		rc = cx_run_option(run, "command", cmd.data);
	cx_buf_free(&cmd);
	if (rc == CX_OK && s->obj != NULL && r->n_targets > 0)
		for (i = 0; i < r->n_targets && rc == CX_OK; i++)
			rc = cx_run_option(run, "target", r->targets[i]);
	snprintf(buf, sizeof(buf), "%u", s->ports.count);
	if (rc == CX_OK)
		rc = cx_run_option(run, "ports",
		                   r->ports ? r->ports
		                            : cx_profile_param(s->profile,
		                                               "scan.ports",
		                                               "top:1000"));
	if (rc == CX_OK)
		rc = cx_run_option(run, "port_count", buf);
	if (rc == CX_OK)
		rc = cx_run_option(run, "udp_ports", s->udp_spec);
	snprintf(buf, sizeof(buf), "%d", r->opts.max_inflight);
	if (rc == CX_OK)
		rc = cx_run_option(run, "max_inflight", buf);
	snprintf(buf, sizeof(buf), "%d", r->opts.rate);
	if (rc == CX_OK)
		rc = cx_run_option(run, "rate", buf);
	if (rc == CX_OK && s->scan_why[0] != '\0')
		rc = cx_run_option(run, "scan", s->syn ? "syn" : "connect");
	if (rc == CX_OK && s->scan_why[0] != '\0')
		rc = cx_run_option(run, "scan_reason", s->scan_why);
	if (rc == CX_OK)
		rc = cx_run_option(run, "intrusive",
		                   r->opts.intrusive ? "yes" : "no");
	if (rc == CX_OK && r->opts.only_checks)
		rc = cx_run_option(run, "only", r->opts.only_checks);
	if (rc == CX_OK && r->vantage != NULL) {
		run->vantage = cx_strdup(r->vantage);
		rc = run->vantage ? cx_run_option(run, "vantage", r->vantage)
		                  : CX_ENOMEM;
	}
	snprintf(buf, sizeof(buf), "%u/%u", r->shard_i, r->shard_n);
	if (rc == CX_OK && r->shard_n > 1)
		rc = cx_run_option(run, "shard", buf);
	for (i = 0; i < s->profile->n_basis && rc == CX_OK; i++) {
		struct cx_prop *p;
		if (cx_grow(&run->basis, &run->cap_basis, run->n_basis + 1,
		            sizeof(*run->basis)))
			return CX_ENOMEM;
		p = &run->basis[run->n_basis];
		p->name = cx_strdup(s->profile->basis[i].id);
		p->value = cx_strdup(s->profile->basis[i].title);
		if (p->name == NULL || p->value == NULL)
			return CX_ENOMEM;
		run->n_basis++;
	}
	if (rc == CX_OK && s->obj != NULL) {
		rc = snapshot(s, "object.xml", "case-object-xml",
		              "object.xml as submitted, at the start of the "
		              "run");
		if (rc == CX_OK)
			rc = snapshot(s, "hardware.csv", "case-hardware-csv",
			              "Annex 5 list as submitted");
		if (rc == CX_OK)
			rc = snapshot(s, "software.csv", "case-software-csv",
			              "Annex 6 list as submitted");
		if (rc == CX_OK)
			rc = snapshot(s, "waivers.xml", "case-waivers-xml",
			              "the waivers of the case");
		if (rc == CX_OK)
			rc = snapshot(s, "procedure.xml", "case-procedure-xml",
			              "the dates of the procedure");
	}
	if (rc == CX_OK)
		rc = record_package(s);
	return rc;
}

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

/* Mark ports the case declares (by address, or by a host name that
 * resolved to the address). */
static void mark_declared(struct scan_state *s)
{
	struct cx_port_obs *p;
	const struct cx_declared_service *d;
	struct cx_addr a;
	size_t i, j, k;

	if (s->obj == NULL)
		return;
	for (i = 0; i < s->run->n_ports; i++) {
		p = &s->run->ports[i];
		if (cx_addr_parse(p->addr, &a))
			continue;
		for (j = 0; j < s->obj->n_services && !p->declared; j++) {
			d = &s->obj->services[j];
			if (d->port != p->port || d->host == NULL)
				continue;
			if (d->proto != NULL && p->proto != NULL &&
			    strcmp(d->proto, p->proto) != 0)
				continue;
			if (strcmp(d->host, p->addr) == 0) {
				p->declared = 1;
				break;
			}
			for (k = 0; k < s->scope.n_blocks; k++) {
				const struct cx_block *b = &s->scope.blocks[k];
				if (b->hostname != NULL &&
				    cx_strcaseeq(b->hostname, d->host) &&
				    cx_addr_cmp(&b->first, &a) == 0) {
					p->declared = 1;
					break;
				}
			}
		}
	}
}

#define SHARD_SKIPPED                                                          \
	"skipped: a shard of the scope (--shard); run after certexam merge"

/* 1 when run records c as skipped because the run was a shard. */
static int shard_skipped(const struct cx_run *run, const struct cx_check *c)
{
	size_t i;

	if (c->flags & CX_CHECK_NETWORK)
		return 0;
	for (i = 0; i < run->n_checks; i++)
		if (strcmp(run->checks[i].name, c->id) == 0)
			return strncmp(run->checks[i].value, SHARD_SKIPPED,
			               strlen(SHARD_SKIPPED)) == 0;
	return 0;
}

static int run_checks(struct scan_state *s)
{
	struct cx_check_ctx ctx;
	const struct cx_check *c;
	char state[256];
	size_t i;
	int rc;

	for (i = 0; cx_checks[i] != NULL; i++) {
		c = cx_checks[i];
		if (s->recheck && !shard_skipped(s->run, c))
			continue;
		if (!only_has(s->req->opts.only_checks, c->id)) {
			cx_run_check_state(s->run, c->id,
			                   "skipped: not selected (--only)");
			continue;
		}
		if (!(c->flags & CX_CHECK_NETWORK) && s->req->shard_n > 1) {
			/* Judged on the whole scope: after the merge. */
			cx_run_check_state(s->run, c->id, SHARD_SKIPPED);
			continue;
		}
		if ((c->flags & CX_CHECK_INTRUSIVE) &&
		    !s->req->opts.intrusive) {
			cx_run_check_state(s->run, c->id,
			                   "skipped: intrusive (--intrusive)");
			continue;
		}
		if (cx_interrupted) {
			cx_run_check_state(s->run, c->id, "interrupted");
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
		if (rc == CX_OK)
			snprintf(state, sizeof(state), "done");
		else if (rc == CX_ENOTSUP)
			snprintf(state, sizeof(state),
			         "not performed: the check does not apply to "
			         "this run or is not available");
		else if (rc == CX_EINTR)
			snprintf(state, sizeof(state), "interrupted");
		else
			snprintf(state, sizeof(state), "failed: %s",
			         cx_strerror(rc));
		if (cx_run_check_state(s->run, c->id, state))
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

	if (want != NULL && strcmp(want, "connect") == 0) {
		s->syn = 0;
		snprintf(s->scan_why, sizeof(s->scan_why),
		         "TCP connect scan: asked for (--scan connect)");
		return CX_OK;
	}
	can = cx_synscan_available(why, sizeof(why));
	if (want != NULL && strcmp(want, "syn") == 0 && !can) {
		cx_diag_add(s->diags, "--scan", 0, NULL,
		            "the SYN scan cannot run here: %s; run as root "
		            "(or with CAP_NET_RAW) or use --scan connect",
		            why);
		return CX_EINVAL;
	}
	s->syn = can;
	snprintf(s->scan_why, sizeof(s->scan_why), "%s: %s",
	         can ? "TCP SYN scan" : "TCP connect scan",
	         want != NULL ? "asked for (--scan syn)"
	         : can        ? "the default where raw sockets work"
	                      : why);
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
	char why[256], *note;
	int rc;

	if (req->opts.no_discovery)
		return cx_run_option(s->run, "discovery",
		                     "off (--no-discovery): every address "
		                     "is port-scanned");
	if (!s->syn)
		return cx_run_option(s->run, "discovery",
		                     "not performed (no raw sockets): every "
		                     "address is port-scanned");
	rc = cx_discover_run(s->loop, &s->scope, &req->opts, req->progress,
	                     s->run, &s->up, why, sizeof(why));
	cx_run_check_state(s->run, "discovery",
	                   rc == CX_OK      ? "done"
	                   : rc == CX_EINTR ? "interrupted"
	                                    : cx_strerror(rc));
	if (rc == CX_OK) {
		s->only = &s->up;
		return cx_run_option(s->run, "discovery",
		                     "ARP on connected segments, else ICMP "
		                     "echo, timestamp, TCP SYN 443 and ACK 80");
	}
	if (rc != CX_ESYS)
		return rc;
	note = cx_asprintf("not performed (%s): every address is "
	                   "port-scanned",
	                   why);
	if (note == NULL)
		return CX_ENOMEM;
	rc = cx_run_option(s->run, "discovery", note);
	free(note);
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
	snprintf(s->scan_why, sizeof(s->scan_why),
	         "TCP connect scan: the SYN scan could not start (%s)", why);
	s->syn = 0;
	if (set_option(s->run, "scan", "connect") ||
	    set_option(s->run, "scan_reason", s->scan_why))
		return CX_ENOMEM;
	return cx_portscan_run(s->loop, &s->scope, s->only, &s->ports,
	                       &req->opts, req->progress, s->run);
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
	char *sig = NULL;
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
	if (req->case_dir != NULL) {
		rc = load_case(&s);
		if (rc)
			goto out;
	} else if (req->n_targets == 0) {
		cx_diag_add(diags, "(command line)", 0, NULL,
		            "nothing to examine: give a case folder or "
		            "--target");
		rc = CX_EINVAL;
		goto out;
	}
	rc = cx_profile_load_id(req->opts.profiles_dir, profile_id(&s),
	                        &s.profile, diags);
	if (rc)
		goto out;
	rc = load_baseline(&s);
	if (rc == CX_OK)
		rc = build_scope(&s);
	if (rc == CX_OK)
		rc = narrow_shard(&s);
	if (rc == CX_OK)
		rc = build_ports(&s);
	if (rc == CX_OK)
		rc = build_udp_ports(&s);
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
	rc = record_meta(&s);
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

		uint64_t t0 = cx_now_ms();

		rc = discovery(&s);
		stage_time(s.run, "time_discovery_ms", &t0);
		if (rc == CX_OK)
			rc = port_scan(&s);
		stage_time(s.run, "time_portscan_ms", &t0);
		cx_scan_sort(s.run, h0, p0, o0);
		cx_run_check_state(s.run, "portscan",
		                   rc == CX_OK      ? "done"
		                   : rc == CX_EINTR ? "interrupted"
		                                    : cx_strerror(rc));
		cx_run_save(s.run);
		if (rc == CX_OK) {
			sig = cx_path_join(req->opts.profiles_dir,
			                   "signatures.xml");
			rc = sig ? cx_service_detect(s.loop, s.run, &req->opts,
			                             sig, req->progress)
			         : CX_ENOMEM;
			stage_time(s.run, "time_services_ms", &t0);
			cx_run_check_state(s.run, "services",
			                   rc == CX_OK      ? "done"
			                   : rc == CX_EINTR ? "interrupted"
			                                    : cx_strerror(rc));
		}
		if (rc == CX_OK && s.udp_ports.count > 0) {
			h0 = s.run->n_hosts;
			p0 = s.run->n_ports;
			o0 = s.run->n_obs;
			cx_run_save(s.run);
			rc = cx_udpscan_run(s.loop, &s.scope, s.only,
			                    &s.udp_ports, &req->opts,
			                    req->progress, s.run);
			stage_time(s.run, "time_udpscan_ms", &t0);
			cx_run_check_state(s.run, "udpscan",
			                   rc == CX_OK      ? "done"
			                   : rc == CX_EINTR ? "interrupted"
			                                    : cx_strerror(rc));
			cx_scan_sort(s.run, h0, p0, o0);
		}
		mark_declared(&s);
		cx_run_save(s.run);
		if (rc == CX_EINTR)
			goto finish;
		rc = CX_OK; /* a failed phase is recorded; the checks go on */
	}
	rc = run_checks(&s);
	if (rc == CX_OK && s.waivers != NULL) {
		rc = cx_waivers_apply(s.waivers, s.run, s.profile,
		                      (long)(s.run->started / 86400));
		cx_run_check_state(s.run, "waivers",
		                   rc == CX_OK ? "done" : cx_strerror(rc));
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
		rc = build_scope(&s);
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
