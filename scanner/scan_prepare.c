/*
 * certexam — what an examination run starts from: the case and its
 * profile, the scope (narrowed to a shard), the TCP and UDP ports, the
 * snapshots of the case files, the package check of paras 13-14 and the
 * record's metadata, and which services the case declares.
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

int scan_load_case(struct scan_state *s)
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
	/* a text lacking one of the case's languages is named (a warning) */
	if (rc == CX_OK)
		rc = cx_waivers_check_langs(
		    s->waivers, s->obj ? s->obj->languages : NULL, p, s->diags);
	free(p);
	return rc;
}

const char *scan_profile_id(const struct scan_state *s)
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

int scan_build_scope(struct scan_state *s)
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
int scan_narrow_shard(struct scan_state *s)
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

int scan_build_ports(struct scan_state *s)
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

int scan_build_udp_ports(struct scan_state *s)
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

/* Props "where", "msg" and "arg.NAME" of one package remark. */
static int record_remark(struct cx_observation *o, const struct cx_diag *g,
                         const char *file)
{
	struct cx_buf arg = {0};
	size_t k;
	int rc;

	if (g->msg == NULL)
		return CX_OK;
	if (g->line > 0)
		rc =
		    cx_obs_propf(o, "where", "%s:%ld%s%s%s", file, g->line,
		                 g->field ? " (" : "", g->field ? g->field : "",
		                 g->field ? ")" : "");
	else
		rc = cx_obs_propf(
		    o, "where", "%s%s%s%s", file, g->field ? " (" : "",
		    g->field ? g->field : "", g->field ? ")" : "");
	if (rc == CX_OK)
		rc = cx_obs_prop(o, "msg", g->msg);
	for (k = 0; rc == CX_OK && g->args != NULL && g->args[k] != NULL;
	     k += 2) {
		arg.len = 0;
		rc = cx_buf_printf(&arg, "arg.%s", g->args[k]);
		if (rc == CX_OK)
			rc = cx_obs_prop(o, arg.data, g->args[k + 1]);
	}
	cx_buf_free(&arg);
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
		/* the remark's words for the act: place, message id and its
		 * parameters, after the remark they belong to */
		rc = rc ? rc : record_remark(o, g, file);
	}
	cx_buf_free(&line);
	cx_diags_free(&d);
	return rc;
}

int scan_record_meta(struct scan_state *s)
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
	/* Why that scan: a message id (scan.reason.*) and its raw
	 * parameter (an OS error), worded by the act in its language. */
	if (rc == CX_OK && s->scan_msg != NULL)
		rc = cx_run_option(run, "scan", s->syn ? "syn" : "connect");
	if (rc == CX_OK && s->scan_msg != NULL)
		rc = cx_run_option(run, "scan_reason_msg", s->scan_msg);
	if (rc == CX_OK && s->scan_msg != NULL && s->scan_why[0] != '\0')
		rc = cx_run_option(run, "scan_reason_why", s->scan_why);
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

/* Mark ports the case declares (by address, or by a host name that
 * resolved to the address). */
void scan_mark_declared(struct scan_state *s)
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
