/*
 * certexam — the ports check: exposed services against the profile.
 *
 * Every open port is already an observation (the engine records it, with
 * the service, product and version service detection found and the raw
 * bytes as evidence).  This check judges them:
 *
 * NET-01  cleartext remote access (net.forbidden_cleartext: telnet, rlogin,
 *         rsh, rexec) is not reachable;
 * NET-02  FTP (net.forbidden_ftp) is not reachable without TLS: a port
 *         that refused AUTH TLS fails, one that accepted it passes, one
 *         that could not be asked fails as inferred;
 * NET-03  database and cache services (net.forbidden_db) are not
 *         reachable from the examiner's network;
 * NET-04  legacy file sharing (net.forbidden_legacy: netbios-ssn,
 *         microsoft-ds-smb1 = SMB with SMBv1 enabled; SNMP is UDP and is
 *         not probed, so it is never judged here);
 * NET-05  only declared services are exposed (the case's <services>, as
 *         the engine marked them); not_checked without a case or without
 *         declared services;
 * NET-06  banners do not disclose software versions.
 *
 * Findings: asset "addr:port/tcp" with the service name as item for what
 * a port shows, and one finding per requirement and host ("pass" when
 * nothing was wrong there).  The words are message ids of the catalogs
 * (profiles/i18n/, net.*), one per cause, with the port, service,
 * product and version as arguments; the first line of the banner the
 * port sent is the only observed text.  A port whose service could not
 * be identified makes NET-01..04 not_checked on its host (never a silent
 * pass), unless its number is the usual port of a forbidden service: then
 * it fails as "potential".
 *
 * An all-open host (scanner/record/allopen.c: it answered on nearly every
 * probed port, a port-spoofing firewall) is judged on the sample of ports
 * service detection probed; the others give no finding each, but one
 * not_checked finding per requirement and host (item "all-open", message
 * net.host.all-open): its port states are not meaningful.
 *
 * A host that answered no probe at all (down, or every probe dropped) has
 * nothing to judge: it gives no finding of its own, and the silent hosts
 * of the run together give one not_applicable finding per requirement
 * (asset "scope", item "silent", message net.hosts.silent with their
 * count); the hosts annex of the act lists each of them and why it is
 * down.  A sparse /16 thus costs six findings, not six per address.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/loop.h"
#include "certexam/util.h"

#define CHECK_ID     "ports"
#define OBSERVED_MAX 300

enum { R_NET01, R_NET02, R_NET03, R_NET04, R_NET05, R_NET06, R_COUNT };

static const char *const req_ids[R_COUNT] = {
    "NET-01", "NET-02", "NET-03", "NET-04", "NET-05", "NET-06",
};

static const char *const param_names[R_COUNT] = {
    "net.forbidden_cleartext",
    "net.forbidden_ftp",
    "net.forbidden_db",
    "net.forbidden_legacy",
    NULL,
    NULL,
};

/* Used when a profile sets none of a list. */
static const char *const default_lists[4] = {
    "telnet rlogin rsh rexec",
    "ftp",
    "postgresql mysql redis mongodb memcached mssql elasticsearch",
    "netbios-ssn microsoft-ds-smb1",
};

/* The usual ports of forbidden services, for ports that did not speak. */
static const struct {
	int port;
	const char *service;
} usual_ports[] = {
    {21, "ftp"},        {23, "telnet"},          {139, "netbios-ssn"},
    {512, "rexec"},     {513, "rlogin"},         {514, "rsh"},
    {1433, "mssql"},    {3306, "mysql"},         {5432, "postgresql"},
    {6379, "redis"},    {9200, "elasticsearch"}, {11211, "memcached"},
    {27017, "mongodb"},
};

struct host_state {
	const char *addr;
	int fail[R_COUNT];
	int nc[R_COUNT];
	struct cx_buf unidentified; /* "9998/tcp, 9999/tcp" */
	struct cx_buf open;         /* "22/tcp ssh, 80/tcp http" */
	size_t n_open, n_unidentified;
	size_t n_not_probed; /* open ports of an all-open host left out */
	const struct ports_index *index;
};

/* 1 if service is in the forbidden list of requirement r. */
static int forbidden(const struct cx_profile *p, int r, const char *service)
{
	const char *v, *s;
	size_t it = 0, n;
	int any = 0;

	if (service == NULL || param_names[r] == NULL)
		return 0;
	while ((v = cx_profile_param_next(p, param_names[r], &it)) != NULL) {
		any = 1;
		if (cx_strcaseeq(v, service))
			return 1;
	}
	if (any)
		return 0;
	n = strlen(service);
	for (s = default_lists[r]; *s != '\0';) {
		if (strncmp(s, service, n) == 0 &&
		    (s[n] == ' ' || s[n] == '\0'))
			return 1;
		s = strchr(s, ' ');
		if (s == NULL)
			break;
		s++;
	}
	return 0;
}

static const char *run_state(const struct cx_run *run, const char *name)
{
	size_t i;

	for (i = 0; i < run->n_checks; i++)
		if (run->checks[i].name &&
		    strcmp(run->checks[i].name, name) == 0)
			return run->checks[i].value;
	return NULL;
}

/*
 * The indices the check reads through (one sort each, then bsearch):
 * "service" observations by asset, and the open TCP ports grouped by
 * address in the run's order.  A host answering on all 65,535 ports is a
 * normal input: nothing here walks the observations per port.
 */
struct ports_index {
	const struct cx_observation **svc; /* sorted by asset */
	size_t n_svc;
	const struct cx_port_obs **open; /* sorted by addr, then run order */
	size_t n_open;
	const struct cx_observation **all_open; /* "all-open-host", by asset */
	size_t n_all_open;
};

static int cmp_obs(const void *a, const void *b)
{
	const struct cx_observation *x =
	    *(const struct cx_observation *const *)a;
	const struct cx_observation *y =
	    *(const struct cx_observation *const *)b;
	int c = strcmp(x->asset, y->asset);

	/* equal assets: the first recorded wins, as the old walk did */
	return c != 0 ? c : (x < y ? -1 : x > y);
}

static int cmp_port(const void *a, const void *b)
{
	const struct cx_port_obs *x = *(const struct cx_port_obs *const *)a;
	const struct cx_port_obs *y = *(const struct cx_port_obs *const *)b;
	int c = strcmp(x->addr, y->addr);

	return c != 0 ? c : (x < y ? -1 : x > y);
}

static int index_build(const struct cx_run *run, struct ports_index *x)
{
	size_t i;

	memset(x, 0, sizeof(*x));
	x->svc = calloc(run->n_obs + 1, sizeof(*x->svc));
	x->open = calloc(run->n_ports + 1, sizeof(*x->open));
	x->all_open = calloc(run->n_obs + 1, sizeof(*x->all_open));
	if (x->svc == NULL || x->open == NULL || x->all_open == NULL)
		return CX_ENOMEM;
	for (i = 0; i < run->n_obs; i++)
		if (strcmp(run->obs[i].kind, "service") == 0)
			x->svc[x->n_svc++] = &run->obs[i];
		else if (strcmp(run->obs[i].kind, "all-open-host") == 0)
			x->all_open[x->n_all_open++] = &run->obs[i];
	for (i = 0; i < run->n_ports; i++) {
		const struct cx_port_obs *p = &run->ports[i];

		if (p->addr != NULL && p->state == CX_PORT_OPEN &&
		    (p->proto == NULL || strcmp(p->proto, "tcp") == 0))
			x->open[x->n_open++] = p;
	}
	qsort(x->svc, x->n_svc, sizeof(*x->svc), cmp_obs);
	qsort(x->all_open, x->n_all_open, sizeof(*x->all_open), cmp_obs);
	qsort(x->open, x->n_open, sizeof(*x->open), cmp_port);
	return CX_OK;
}

static void index_free(struct ports_index *x)
{
	free(x->svc);
	free(x->open);
	free(x->all_open);
}

/* The first observation of asset in the sorted array v[0..n), or NULL. */
static const struct cx_observation *
find_obs(const struct cx_observation *const *v, size_t n, const char *asset)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid]->asset, asset) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && strcmp(v[lo]->asset, asset) == 0)
		return v[lo];
	return NULL;
}

/* The first "service" observation of asset, or NULL. */
static const struct cx_observation *find_svc(const struct ports_index *x,
                                             const char *asset)
{
	return find_obs(x->svc, x->n_svc, asset);
}

/* The first open port of addr in x->open (x->n_open when none). */
static size_t first_open(const struct ports_index *x, const char *addr)
{
	size_t lo = 0, hi = x->n_open, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(x->open[mid]->addr, addr) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Lists of ports in a message argument stop after LIST_MAX entries and
 * end in ", ..." then; the count is an argument of its own, so the
 * per-host findings of a host with many open ports stay readable.
 */
#define LIST_MAX 64

static void list_add(struct cx_buf *b, size_t *n, const char *fmt, int port,
                     const char *what)
{
	if (*n < LIST_MAX) {
		if (*n > 0)
			cx_buf_puts(b, ", ");
		cx_buf_printf(b, fmt, port, what);
	}
	(*n)++;
}

static void list_end(struct cx_buf *b, size_t n)
{
	if (n > LIST_MAX)
		cx_buf_puts(b, ", ...");
}

static void port_asset(const struct cx_port_obs *p, char *out, size_t n)
{
	if (strchr(p->addr, ':') != NULL)
		snprintf(out, n, "[%s]:%d/tcp", p->addr, p->port);
	else
		snprintf(out, n, "%s:%d/tcp", p->addr, p->port);
}

/* The service name the profile lists are written in. */
static const char *effective_service(const struct cx_port_obs *p,
                                     const struct cx_observation *o)
{
	const char *smb1 = o ? cx_obs_get(o, "smb1") : NULL;

	if (p->service != NULL && strcmp(p->service, "microsoft-ds") == 0 &&
	    smb1 != NULL && strcmp(smb1, "enabled") == 0)
		return "microsoft-ds-smb1";
	return p->service;
}

/*
 * What the port sent, as observed: the first line of the banner (the
 * sanitised view service detection recorded), at most OBSERVED_MAX
 * bytes, "..." when cut.  NULL when it sent nothing.  Caller frees.
 */
static char *banner_line(const struct cx_observation *o)
{
	struct cx_buf b = {0};
	const char *banner = o ? cx_obs_get(o, "banner") : NULL;
	size_t i;

	if (banner == NULL || *banner == '\0')
		return NULL;
	for (i = 0;
	     banner[i] != '\0' && banner[i] != '\n' && b.len < OBSERVED_MAX;
	     i++)
		if (banner[i] != '\r')
			cx_buf_putc(&b, banner[i]);
	if (banner[i] != '\0' && banner[i + 1] != '\0')
		cx_buf_puts(&b, " ...");
	return cx_buf_steal(&b);
}

static enum cx_certainty certainty_of(const struct cx_observation *o)
{
	const char *c = o ? cx_obs_get(o, "certainty") : NULL;

	return c != NULL && strcmp(c, "confirmed") == 0 ? CX_CONFIRMED
	                                                : CX_INFERRED;
}

/* How the port's service was determined: a method.* message id; the
 * probe that identified it (raw, a signature name) goes into *probe. */
static const char *method_of(const struct cx_observation *o, const char **probe)
{
	const char *by = o ? cx_obs_get(o, "identified-by") : NULL;

	*probe = by;
	return by == NULL                ? "method.ports.detect-no-match"
	       : strcmp(by, "null") == 0 ? "method.ports.detect-banner"
	                                 : "method.ports.detect-probe";
}

/* One port's finding: .msg with .args, the banner as observed. */
struct port_finding {
	int r;
	const char *asset, *item;
	enum cx_status st;
	enum cx_certainty cert;
	const char *msg;
	const char *const *args;
	const char *observed, *evidence;
	const char *method_msg; /* how it was determined: method.* */
	const char *const *method_args;
};

static int emit(struct cx_check_ctx *ctx, const struct port_finding *f)
{
	return cx_emit(ctx, &(struct cx_emit){
	                        .check = CHECK_ID,
	                        .req = req_ids[f->r],
	                        .asset = f->asset,
	                        .item = f->item,
	                        .status = f->st,
	                        .certainty = f->cert,
	                        .msg = f->msg,
	                        .args = f->args,
	                        .observed = f->observed,
	                        .method_msg = f->method_msg,
	                        .method_args = f->method_args,
	                        .evidence = f->evidence,
	                    });
}

/* A port that did not identify itself: the usual port of a forbidden
 * service fails as potential, otherwise its host stays not_checked. */
static int judge_unidentified(struct cx_check_ctx *ctx, struct host_state *h,
                              const struct cx_port_obs *p, const char *asset,
                              const char *port, const char *banner)
{
	const char *usual = NULL;
	size_t k;
	int r, rc;

	for (k = 0; k < CX_ARRAY_LEN(usual_ports); k++)
		if (usual_ports[k].port == p->port)
			usual = usual_ports[k].service;
	for (r = R_NET01; r <= R_NET04; r++) {
		if (usual == NULL || !forbidden(ctx->profile, r, usual)) {
			h->nc[r]++;
			continue;
		}
		rc = emit(ctx,
		          &(struct port_finding){
		              .r = r,
		              .asset = asset,
		              .item = usual,
		              .st = CX_FAIL,
		              .cert = CX_POTENTIAL,
		              .msg = "net.port.usual-forbidden",
		              .args = CX_ARGS("port", port, "service", usual),
		              .observed = banner,
		              .method_msg = "method.ports.port-number",
		              .evidence = p->evidence,
		          });
		if (rc)
			return rc;
		h->fail[r]++;
	}
	list_add(&h->unidentified, &h->n_unidentified, "%d/tcp%s", p->port, "");
	return CX_OK;
}

/* NET-01..04 and NET-06 for a port whose service is known. */
static int judge_identified(struct cx_check_ctx *ctx, struct host_state *h,
                            const struct cx_port_obs *p,
                            const struct cx_observation *o,
                            struct port_finding *f, const char *svc,
                            const char *port)
{
	static const int outright[] = {R_NET01, R_NET03, R_NET04};
	const char *starttls;
	size_t k;
	int rc;

	f->item = svc;
	for (k = 0; k < CX_ARRAY_LEN(outright); k++) {
		if (!forbidden(ctx->profile, outright[k], svc))
			continue;
		f->r = outright[k];
		f->st = CX_FAIL;
		f->msg = "net.service.forbidden";
		f->args = CX_ARGS("service", svc, "port", port);
		rc = emit(ctx, f);
		if (rc)
			return rc;
		h->fail[f->r]++;
	}
	/* a TLS port whose protocol inside is unknown: NET-03 open */
	if (p->tls && p->inner == NULL) {
		h->nc[R_NET03]++;
		list_add(&h->unidentified, &h->n_unidentified, "%d/tcp%s",
		         p->port, " (TLS)");
	}
	/* NET-02: FTP without TLS */
	if (!p->tls && forbidden(ctx->profile, R_NET02, svc)) {
		starttls = o ? cx_obs_get(o, "starttls") : NULL;
		f->r = R_NET02;
		f->args = CX_ARGS("port", port);
		if (starttls != NULL && strcmp(starttls, "offered") == 0) {
			f->st = CX_PASS;
			f->cert = CX_CONFIRMED;
			f->msg = "net.ftp.tls-offered";
		} else {
			f->st = CX_FAIL;
			f->cert = starttls != NULL ? CX_CONFIRMED : CX_INFERRED;
			f->msg = starttls != NULL ? "net.ftp.tls-refused"
			                          : "net.ftp.tls-untested";
			h->fail[R_NET02]++;
		}
		rc = emit(ctx, f);
		if (rc)
			return rc;
	}
	/* NET-06: a version in the banner */
	if (p->version != NULL) {
		f->r = R_NET06;
		f->st = CX_FAIL;
		f->cert = CX_CONFIRMED;
		f->msg = "net.banner.version";
		f->args = CX_ARGS("product", p->product ? p->product : svc,
		                  "version", p->version, "port", port);
		rc = emit(ctx, f);
		if (rc)
			return rc;
		h->fail[R_NET06]++;
	}
	return CX_OK;
}

static int judge_port(struct cx_check_ctx *ctx, struct host_state *h,
                      const struct cx_port_obs *p)
{
	const struct cx_observation *o;
	char asset[96], port[16];
	const char *probe, *margs[3] = {"probe", NULL, NULL};
	struct port_finding f;
	const char *svc;
	char *banner;
	int rc;

	if (cx_port_not_probed(p)) {
		/* an all-open host: judged once per host (judge_host) */
		list_add(&h->open, &h->n_open, "%d/tcp%s", p->port, "");
		h->n_not_probed++;
		return CX_OK;
	}
	port_asset(p, asset, sizeof(asset));
	snprintf(port, sizeof(port), "%d", p->port);
	o = find_svc(h->index, asset);
	svc = effective_service(p, o);
	banner = banner_line(o);
	list_add(&h->open, &h->n_open, "%d/tcp %s", p->port, svc ? svc : "?");
	memset(&f, 0, sizeof(f));
	f.asset = asset;
	f.cert = certainty_of(o);
	f.observed = banner;
	f.method_msg = method_of(o, &probe);
	margs[1] = probe;
	f.method_args = margs;
	f.evidence = p->evidence;
	if (svc == NULL)
		rc = judge_unidentified(ctx, h, p, asset, port, banner);
	else
		rc = judge_identified(ctx, h, p, o, &f, svc, port);
	/* NET-05: undeclared open port (only with declared services) */
	if (rc == CX_OK && ctx->obj != NULL && ctx->obj->n_services > 0 &&
	    !p->declared) {
		f.r = R_NET05;
		f.item = svc ? svc : "unknown";
		f.st = CX_FAIL;
		f.cert = CX_CONFIRMED;
		f.msg = svc ? "net.port.undeclared"
		            : "net.port.undeclared-unidentified";
		f.args = CX_ARGS("port", port, "service", svc);
		rc = emit(ctx, &f);
		if (rc == CX_OK)
			h->fail[R_NET05]++;
	}
	free(banner);
	return rc;
}

/* The message of the per-host pass of each requirement. */
static const char *const pass_msgs[R_COUNT] = {
    "net.host.pass-cleartext", "net.host.pass-ftp",
    "net.host.pass-db",        "net.host.pass-legacy",
    "net.host.pass-declared",  "net.host.pass-version",
};

/*
 * An all-open host: one not_checked finding per requirement, whatever the
 * sample of probed ports showed (their own findings stand beside it).
 */
static int judge_all_open(struct cx_check_ctx *ctx, struct host_state *h,
                          const struct cx_observation *ao)
{
	const char *open = ao ? cx_obs_get(ao, "open") : NULL;
	const char *probed = ao ? cx_obs_get(ao, "probed") : NULL;
	const char *sample = ao ? cx_obs_get(ao, "service-probed") : NULL;
	char unprobed[24];
	int r, rc = CX_OK;

	snprintf(unprobed, sizeof(unprobed), "%zu", h->n_not_probed);
	for (r = 0; r < R_COUNT && rc == CX_OK; r++)
		rc = emit(ctx, &(struct port_finding){
		                   .r = r,
		                   .asset = h->addr,
		                   .item = "all-open",
		                   .st = CX_NOT_CHECKED,
		                   .msg = "net.host.all-open",
		                   .args = CX_ARGS(
		                       "open", open ? open : "?", "probed",
		                       probed ? probed : "?", "sampled",
		                       sample ? sample : "none", "unprobed",
		                       unprobed),
		                   .method_msg = "method.ports.sample",
		               });
	return rc;
}

/* The per-host findings: pass, or not_checked for what was not seen. */
static int judge_host(struct cx_check_ctx *ctx, struct host_state *h)
{
	const char *open = h->n_open ? h->open.data : "-";
	const char *ports = h->unidentified.len ? h->unidentified.data : "-";
	const struct cx_observation *ao =
	    find_obs(h->index->all_open, h->index->n_all_open, h->addr);
	char count[24];
	/* one array for every message: the ones without ports stop early */
	const char *const with_ports[] = {"ports", ports, "count", count,
	                                  "open",  open,  NULL};
	const char *const *with_open = with_ports + 2;
	struct port_finding f;
	int r, rc = CX_OK;

	if (h->n_not_probed > 0)
		return judge_all_open(ctx, h, ao);
	snprintf(count, sizeof(count), "%zu", h->n_open);
	for (r = 0; r < R_COUNT && rc == 0; r++) {
		memset(&f, 0, sizeof(f));
		f.r = r;
		f.asset = h->addr;
		f.st = CX_NOT_CHECKED;
		f.cert = CX_CONFIRMED;
		if (r == R_NET05 && ctx->obj == NULL) {
			/* a --target run: no declared services to compare */
			f.msg = "net.host.no-case";
		} else if (r == R_NET05 && ctx->obj->n_services == 0) {
			f.msg = "net.host.none-declared";
			f.args = with_open;
		} else if (h->fail[r] > 0) {
			continue;
		} else if (h->nc[r] > 0) {
			f.item = "unidentified";
			f.msg = "net.host.unidentified";
			f.args = with_ports;
		} else {
			f.st = CX_PASS;
			f.msg = pass_msgs[r];
			f.args = with_open;
			f.method_msg = "method.ports.scan";
		}
		rc = emit(ctx, &f);
	}
	return rc;
}

/* 1 if addr has an open TCP port in the index. */
static int host_has_open(const struct ports_index *x, const char *addr)
{
	size_t k = first_open(x, addr);

	return k < x->n_open && strcmp(x->open[k]->addr, addr) == 0;
}

/* One not_applicable finding per requirement for the silent hosts. */
static int judge_silent(struct cx_check_ctx *ctx, size_t n_silent)
{
	char count[24];
	int r, rc = CX_OK;

	snprintf(count, sizeof(count), "%zu", n_silent);
	for (r = 0; r < R_COUNT && rc == CX_OK; r++)
		rc = emit(ctx, &(struct port_finding){
		                   .r = r,
		                   .asset = "scope",
		                   .item = "silent",
		                   .st = CX_NOT_APPLICABLE,
		                   .cert = CX_CONFIRMED,
		                   .msg = "net.hosts.silent",
		                   .args = CX_ARGS("count", count),
		               });
	return rc;
}

static int ports_run(struct cx_check_ctx *ctx)
{
	const struct cx_run *run = ctx->run;
	const char *scan_state = run_state(run, "portscan");
	struct ports_index x;
	struct host_state h;
	size_t i, k, n_silent = 0;
	int r, rc = CX_OK;

	if (ctx->profile == NULL)
		return CX_EINVAL;
	if (scan_state == NULL || strcmp(scan_state, "done") != 0) {
		/* the engine's state ("interrupted", an error) as recorded */
		for (r = 0; r < R_COUNT && rc == 0; r++)
			rc = emit(ctx,
			          &(struct port_finding){
			              .r = r,
			              .asset = "scope",
			              .st = CX_NOT_CHECKED,
			              .msg = scan_state ? "net.scan.incomplete"
			                                : "net.scan.not-run",
			              .args = CX_ARGS("state", scan_state),
			          });
		return rc;
	}
	rc = index_build(run, &x);
	for (i = 0; i < run->n_hosts && rc == 0; i++) {
		memset(&h, 0, sizeof(h));
		h.addr = run->hosts[i].addr;
		h.index = &x;
		if (h.addr == NULL)
			continue;
		if (!run->hosts[i].up && !host_has_open(&x, h.addr)) {
			n_silent++;
			continue;
		}
		for (k = first_open(&x, h.addr);
		     k < x.n_open && strcmp(x.open[k]->addr, h.addr) == 0 &&
		     rc == 0;
		     k++) {
			/* Ctrl-C ends the check within a port, not a run */
			if (cx_interrupted)
				rc = CX_EINTR;
			else
				rc = judge_port(ctx, &h, x.open[k]);
		}
		list_end(&h.open, h.n_open);
		list_end(&h.unidentified, h.n_unidentified);
		if (rc == 0)
			rc = judge_host(ctx, &h);
		cx_buf_free(&h.unidentified);
		cx_buf_free(&h.open);
		if (rc == 0 && cx_interrupted)
			rc = CX_EINTR;
	}
	index_free(&x);
	if (rc == 0 && n_silent > 0)
		rc = judge_silent(ctx, n_silent);
	return rc;
}

const struct cx_check cx_check_ports = {
    .id = "ports",
    .title = "Open ports and exposed services",
    .block = "network",
    .flags = CX_CHECK_NETWORK,
    .run = ports_run,
};
