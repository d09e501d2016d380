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
 * nothing was wrong there).  A port whose service could not be identified
 * makes NET-01..04 not_checked on its host (never a silent pass), unless
 * its number is the usual port of a forbidden service: then it fails as
 * "potential".
 *
 * An all-open host (scanner/record/allopen.c: it answered on nearly every
 * probed port, a port-spoofing firewall) is judged on the sample of ports
 * service detection probed; the others give no finding each, but one
 * not_checked finding per requirement and host (item "all-open", message
 * net.host.all-open): its port states are not meaningful.
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
 * Lists of ports in an observed text stop after LIST_MAX entries ("and N
 * more"): the per-host findings of an all-open host stay readable.
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
		cx_buf_printf(b, " and %zu more", n - LIST_MAX);
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

/* "23/tcp open: telnet (Debian GNU/Linux 12); banner: ..." */
static char *describe(const struct cx_port_obs *p,
                      const struct cx_observation *o, const char *svc,
                      const char *more)
{
	struct cx_buf b = {0};
	const char *banner = o ? cx_obs_get(o, "banner") : NULL;
	size_t i, start;

	cx_buf_printf(&b, "%d/tcp open: %s", p->port, svc ? svc : "unknown");
	if (p->tls && p->inner)
		cx_buf_printf(&b, " (%s inside TLS)", p->inner);
	if (p->product)
		cx_buf_printf(&b, ", %s", p->product);
	if (p->version)
		cx_buf_printf(&b, " %s", p->version);
	if (p->extra)
		cx_buf_printf(&b, " (%s)", p->extra);
	if (more)
		cx_buf_printf(&b, "; %s", more);
	if (banner != NULL && *banner != '\0') {
		cx_buf_puts(&b, "; received: ");
		start = b.len;
		/* the first line, as the sanitised view shows it */
		for (i = 0; banner[i] != '\0' && banner[i] != '\n' &&
		            b.len - start < 120;
		     i++)
			if (banner[i] != '\r')
				cx_buf_putc(&b, banner[i]);
		if (banner[i] != '\0')
			cx_buf_puts(&b, " ...");
	}
	if (b.data != NULL && b.len > OBSERVED_MAX) {
		b.data[OBSERVED_MAX] = '\0';
		b.len = OBSERVED_MAX;
	}
	return cx_buf_steal(&b);
}

static enum cx_certainty certainty_of(const struct cx_observation *o)
{
	const char *c = o ? cx_obs_get(o, "certainty") : NULL;

	return c != NULL && strcmp(c, "confirmed") == 0 ? CX_CONFIRMED
	                                                : CX_INFERRED;
}

static const char *method_of(const struct cx_observation *o, char *buf,
                             size_t n)
{
	const char *by = o ? cx_obs_get(o, "identified-by") : NULL;

	snprintf(buf, n, "TCP connect scan, then service detection (%s)",
	         by == NULL                ? "no signature matched"
	         : strcmp(by, "null") == 0 ? "the banner the service sent"
	                                   : by);
	return buf;
}

static int emit(struct cx_check_ctx *ctx, int r, const char *asset,
                const char *item, enum cx_status st, enum cx_certainty cert,
                const char *title, const char *observed, const char *method,
                const char *evidence)
{
	return cx_emit(ctx, &(struct cx_emit){
	                        .check = CHECK_ID,
	                        .req = req_ids[r],
	                        .asset = asset,
	                        .item = item,
	                        .status = st,
	                        .certainty = cert,
	                        .title = title,
	                        .observed = observed,
	                        .method = method,
	                        .evidence = evidence,
	                    });
}

static int judge_port(struct cx_check_ctx *ctx, struct host_state *h,
                      const struct cx_port_obs *p)
{
	const struct cx_profile *prof = ctx->profile;
	const struct cx_observation *o;
	char asset[96], method[160], title[200];
	const char *svc, *starttls;
	char *obs = NULL;
	enum cx_certainty cert;
	int r, rc = CX_OK;
	size_t k;

	if (cx_port_not_probed(p)) {
		/* an all-open host: judged once per host (judge_host) */
		list_add(&h->open, &h->n_open, "%d/tcp%s", p->port, "");
		h->n_not_probed++;
		return CX_OK;
	}
	port_asset(p, asset, sizeof(asset));
	o = find_svc(h->index, asset);
	svc = effective_service(p, o);
	cert = certainty_of(o);
	method_of(o, method, sizeof(method));

	list_add(&h->open, &h->n_open, "%d/tcp %s", p->port,
	         svc ? svc : "unknown");

	if (svc == NULL) {
		/* not identified: the usual port of a forbidden service? */
		const char *usual = NULL;

		for (k = 0; k < CX_ARRAY_LEN(usual_ports); k++)
			if (usual_ports[k].port == p->port)
				usual = usual_ports[k].service;
		for (r = R_NET01; r <= R_NET04; r++) {
			if (usual != NULL && forbidden(prof, r, usual)) {
				snprintf(
				    title, sizeof(title),
				    "Port %d/tcp, the usual port of %s, is "
				    "open; the service did not identify "
				    "itself",
				    p->port, usual);
				obs = describe(p, o, NULL, NULL);
				rc = emit(ctx, r, asset, usual, CX_FAIL,
				          CX_POTENTIAL, title, obs,
				          "TCP connect scan; service detection "
				          "found no signature, judged by the "
				          "port number",
				          p->evidence);
				free(obs);
				obs = NULL;
				if (rc)
					return rc;
				h->fail[r]++;
			} else {
				h->nc[r]++;
			}
		}
		list_add(&h->unidentified, &h->n_unidentified, "%d/tcp%s",
		         p->port, "");
	} else {
		/* NET-01, NET-03, NET-04: forbidden outright */
		static const int outright[] = {R_NET01, R_NET03, R_NET04};

		for (k = 0; k < CX_ARRAY_LEN(outright); k++) {
			r = outright[k];
			if (!forbidden(prof, r, svc))
				continue;
			snprintf(title, sizeof(title), "%s is reachable on %s",
			         svc, asset);
			obs = describe(p, o, svc, NULL);
			rc = emit(ctx, r, asset, svc, CX_FAIL, cert, title, obs,
			          method, p->evidence);
			free(obs);
			obs = NULL;
			if (rc)
				return rc;
			h->fail[r]++;
		}
		/* a TLS port whose protocol inside is unknown: NET-03 open */
		if (p->tls && p->inner == NULL) {
			h->nc[R_NET03]++;
			list_add(&h->unidentified, &h->n_unidentified,
			         "%d/tcp%s", p->port, " (TLS)");
		}
		/* NET-02: FTP without TLS */
		if (!p->tls && forbidden(prof, R_NET02, svc)) {
			starttls = o ? cx_obs_get(o, "starttls") : NULL;
			if (starttls != NULL &&
			    strcmp(starttls, "offered") == 0) {
				obs = describe(p, o, svc,
				               "AUTH TLS accepted (explicit "
				               "FTPS offered)");
				rc = emit(ctx, R_NET02, asset, svc, CX_PASS,
				          CX_CONFIRMED,
				          "FTP offers TLS (AUTH TLS)", obs,
				          method, p->evidence);
			} else {
				int known = starttls != NULL;

				snprintf(title, sizeof(title),
				         "FTP without TLS on %s", asset);
				obs = describe(p, o, svc,
				               known ? "AUTH TLS refused"
				                     : "AUTH TLS could not be "
				                       "tested");
				rc = emit(ctx, R_NET02, asset, svc, CX_FAIL,
				          known ? CX_CONFIRMED : CX_INFERRED,
				          title, obs, method, p->evidence);
				h->fail[R_NET02]++;
			}
			free(obs);
			obs = NULL;
			if (rc)
				return rc;
		}
		/* NET-06: a version in the banner */
		if (p->version != NULL) {
			snprintf(title, sizeof(title),
			         "%s discloses its version on %s",
			         p->product ? p->product : svc, asset);
			obs = describe(p, o, svc, NULL);
			rc =
			    emit(ctx, R_NET06, asset, svc, CX_FAIL,
			         CX_CONFIRMED, title, obs, method, p->evidence);
			free(obs);
			obs = NULL;
			if (rc)
				return rc;
			h->fail[R_NET06]++;
		}
	}
	/* NET-05: undeclared open port (only with declared services) */
	if (ctx->obj != NULL && ctx->obj->n_services > 0 && !p->declared) {
		snprintf(
		    title, sizeof(title),
		    "Port %d/tcp (%s) is open but not declared in the case",
		    p->port, svc ? svc : "unidentified");
		obs = describe(p, o, svc,
		               "not among the case's declared services");
		rc = emit(ctx, R_NET05, asset, svc ? svc : "unknown", CX_FAIL,
		          CX_CONFIRMED, title, obs, method, p->evidence);
		free(obs);
		if (rc)
			return rc;
		h->fail[R_NET05]++;
	}
	return CX_OK;
}

static const char *const pass_titles[R_COUNT] = {
    "No cleartext remote access service is reachable",
    "No FTP service without TLS is reachable",
    "No database or cache service is reachable",
    "No SMBv1 or NetBIOS session service is reachable",
    "Only declared services are exposed",
    "No service banner discloses a software version",
};

/*
 * An all-open host: one not_checked finding per requirement, whatever the
 * sample of probed ports showed (their own findings stand beside it).
 */
static int judge_all_open(struct cx_check_ctx *ctx, struct host_state *h,
                          const struct cx_observation *ao)
{
	const char *open = cx_obs_get(ao, "open");
	const char *probed = cx_obs_get(ao, "probed");
	const char *sample = cx_obs_get(ao, "service-probed");
	char unprobed[24];
	int r, rc = CX_OK;

	snprintf(unprobed, sizeof(unprobed), "%zu", h->n_not_probed);
	for (r = 0; r < R_COUNT && rc == CX_OK; r++)
		rc = cx_emit(
		    ctx,
		    &(struct cx_emit){
		        .check = CHECK_ID,
		        .req = req_ids[r],
		        .asset = h->addr,
		        .item = "all-open",
		        .status = CX_NOT_CHECKED,
		        .msg = "net.host.all-open",
		        .args = CX_ARGS("open", open ? open : "?", "probed",
		                        probed ? probed : "?", "sampled",
		                        sample ? sample : "none", "unprobed",
		                        unprobed),
		        .method = "TCP port scan; service detection of "
		                  "a sample of ports only",
		    });
	return rc;
}

/* The per-host findings: pass, or not_checked for what was not seen. */
static int judge_host(struct cx_check_ctx *ctx, struct host_state *h,
                      const char *services_state)
{
	struct cx_buf b = {0};
	int r, rc = CX_OK;
	const char *open = h->n_open ? h->open.data : "none";
	const struct cx_observation *ao =
	    find_obs(h->index->all_open, h->index->n_all_open, h->addr);

	if (h->n_not_probed > 0)
		return judge_all_open(ctx, h, ao);
	for (r = 0; r < R_COUNT && rc == 0; r++) {
		b.len = 0;
		if (b.data)
			b.data[0] = '\0';
		if (r == R_NET05) {
			if (ctx->obj == NULL) {
				rc = emit(ctx, r, h->addr, NULL, CX_NOT_CHECKED,
				          CX_CONFIRMED,
				          "Declared services unknown (scan "
				          "without a case)",
				          "a --target run has no object.xml, "
				          "so no declared services to compare "
				          "the open ports with",
				          NULL, NULL);
				continue;
			}
			if (ctx->obj->n_services == 0) {
				cx_buf_printf(&b,
				              "the case declares no services "
				              "(object.xml <services>); open "
				              "ports: %s",
				              open);
				rc = emit(ctx, r, h->addr, NULL, CX_NOT_CHECKED,
				          CX_CONFIRMED,
				          "The case declares no services to "
				          "compare the open ports with",
				          b.data, NULL, NULL);
				continue;
			}
		}
		if (h->fail[r] > 0)
			continue;
		if (h->nc[r] > 0) {
			cx_buf_printf(
			    &b,
			    "service not identified on %s "
			    "(service detection: %s); open ports: %s",
			    h->unidentified.len ? h->unidentified.data
			                        : "a port",
			    services_state ? services_state : "not run", open);
			rc = emit(ctx, r, h->addr, "unidentified",
			          CX_NOT_CHECKED, CX_CONFIRMED,
			          "Open ports whose service could not be "
			          "identified",
			          b.data, NULL, NULL);
			continue;
		}
		cx_buf_printf(&b, "open ports: %s", open);
		if (r == R_NET04)
			cx_buf_puts(&b, "; SNMP (UDP) was not probed");
		rc = emit(ctx, r, h->addr, NULL, CX_PASS, CX_CONFIRMED,
		          pass_titles[r], b.data,
		          "TCP connect scan and service detection", NULL);
	}
	cx_buf_free(&b);
	return rc;
}

static int ports_run(struct cx_check_ctx *ctx)
{
	const struct cx_run *run = ctx->run;
	const char *scan_state = run_state(run, "portscan");
	const char *svc_state = run_state(run, "services");
	struct ports_index x;
	struct host_state h;
	size_t i, k;
	int r, rc = CX_OK;

	if (ctx->profile == NULL)
		return CX_EINVAL;
	if (scan_state == NULL || strcmp(scan_state, "done") != 0) {
		char obs[200];

		snprintf(obs, sizeof(obs),
		         "the port scan did not complete (%s)",
		         scan_state ? scan_state : "not run");
		for (r = 0; r < R_COUNT && rc == 0; r++)
			rc = emit(ctx, r, "scope", NULL, CX_NOT_CHECKED,
			          CX_CONFIRMED, "Open ports not examined", obs,
			          NULL, NULL);
		return rc;
	}
	rc = index_build(run, &x);
	for (i = 0; i < run->n_hosts && rc == 0; i++) {
		memset(&h, 0, sizeof(h));
		h.addr = run->hosts[i].addr;
		h.index = &x;
		if (h.addr == NULL)
			continue;
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
			rc = judge_host(ctx, &h, svc_state);
		cx_buf_free(&h.unidentified);
		cx_buf_free(&h.open);
		if (rc == 0 && cx_interrupted)
			rc = CX_EINTR;
	}
	index_free(&x);
	return rc;
}

const struct cx_check cx_check_ports = {
    .id = "ports",
    .title = "Open ports and exposed services",
    .block = "network",
    .flags = CX_CHECK_NETWORK,
    .run = ports_run,
};
