/*
 * certexam — the http check: a security review of every web resource.
 *
 * Resources are the URLs the scope declares and every HTTP/HTTPS service
 * the engine found.  Per resource, on the shared event loop (libcurl multi
 * through http_fetch.c), in three phases:
 *   1. the redirect chain, hop by hop, each hop's target checked against
 *      the scope before it is requested;
 *   2. probes against the final origin: two soft-404 baselines (also the
 *      error page), CORS with a random Origin and with "null" on GET and
 *      OPTIONS, OPTIONS, TRACE, TRACK, PROPFIND (PUT/DELETE only when
 *      intrusive), security.txt and robots.txt;
 *   3. well-known sensitive paths and robots.txt entries, each compared
 *      with the soft-404 baselines and with a content validator.
 * Then every problem becomes its own finding with the exchange as
 * evidence, and the resource gets one "http-resource" observation with
 * the chain, the headers, the score and the grade (http_score.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/socket.h>

#include "certexam/check.h"
#include "certexam/escape.h"
#include "certexam/loop.h"
#include "certexam/util.h"
#include "http_fetch.h"
#include "http_parse.h"

#define CHECK_ID       "http"
#define BODY_MAX       (1024 * 1024)
#define PROBE_BODY_MAX (64 * 1024)
#define MAX_HOPS       10
#define MAX_ROBOTS     10
#define MAX_INFLIGHT   32

enum kind {
	K_CHAIN = 0,
	K_BASE1, /* soft-404 baseline and error page */
	K_BASE2, /* a second baseline: a dot file */
	K_CORS_GET_RAND,
	K_CORS_GET_NULL,
	K_CORS_OPT_RAND,
	K_CORS_OPT_NULL,
	K_OPTIONS,
	K_TRACE,
	K_TRACK,
	K_PROPFIND,
	K_PUT,
	K_DELETE,
	K_SECTXT,
	K_ROBOTS,
	K_EXPOSE,
	K_ROBOTS_ENTRY,
};

enum phase { P_CHAIN = 0, P_PROBES, P_EXPOSE, P_DONE };

/* What a sensitive path must contain to count as exposed. */
enum validator {
	V_GIT_HEAD,
	V_GIT_CONFIG,
	V_ENV,
	V_APACHE_STATUS,
	V_NGINX_STATUS,
	V_PHPINFO,
	V_ARCHIVE,
	V_SQL,
	V_PHP_SOURCE,
	V_DS_STORE,
	V_SVN,
	V_HTACCESS,
	V_LISTING,
};

struct sensitive {
	const char *path;
	enum validator v;
	const char *what;
};

static const struct sensitive sensitive_paths[] = {
    {"/.git/HEAD", V_GIT_HEAD, "Git repository metadata"},
    {"/.git/config", V_GIT_CONFIG, "Git repository configuration"},
    {"/.env", V_ENV, "environment file with configuration secrets"},
    {"/server-status", V_APACHE_STATUS, "Apache server-status page"},
    {"/nginx_status", V_NGINX_STATUS, "nginx stub_status page"},
    {"/status", V_NGINX_STATUS, "nginx stub_status page"},
    {"/phpinfo.php", V_PHPINFO, "phpinfo() output"},
    {"/info.php", V_PHPINFO, "phpinfo() output"},
    {"/backup.zip", V_ARCHIVE, "backup archive"},
    {"/backup.tar.gz", V_ARCHIVE, "backup archive"},
    {"/site.tar.gz", V_ARCHIVE, "backup archive"},
    {"/backup.sql", V_SQL, "database dump"},
    {"/dump.sql", V_SQL, "database dump"},
    {"/index.php.bak", V_PHP_SOURCE, "backup of PHP source"},
    {"/config.php.bak", V_PHP_SOURCE, "backup of PHP source"},
    {"/wp-config.php.bak", V_PHP_SOURCE, "backup of PHP source"},
    {"/.DS_Store", V_DS_STORE, "macOS folder metadata"},
    {"/.svn/entries", V_SVN, "Subversion metadata"},
    {"/.htaccess", V_HTACCESS, "web server access configuration"},
    {"/files/", V_LISTING, "directory listing"},
    {"/uploads/", V_LISTING, "directory listing"},
    {"/backup/", V_LISTING, "directory listing"},
    {"/static/", V_LISTING, "directory listing"},
    {"/images/", V_LISTING, "directory listing"},
};

/* A finished request and its parsed response head. */
struct done {
	struct http_req *req;
	struct http_head head;
	int ok;                       /* a response head was received */
	char *evid;                   /* evidence id once stored */
	const struct sensitive *sens; /* K_EXPOSE */
};

struct state;

struct res {
	struct state *st;
	char *url;          /* the start URL: the asset */
	char *delegate;     /* https resource that judges this one, or NULL */
	char *origin_owner; /* resource judging origin-wide requirements */
	const char *redirection; /* score result of the redirect test */
	int evaluated;
	int https;
	char *host;
	char *path; /* path and query of the start URL */
	int port;
	struct cx_addr addr;
	struct done *d;
	size_t n_d, cap_d;
	size_t chain[MAX_HOPS + 1];
	size_t n_chain;
	char *chain_note; /* why the chain stopped early, or NULL */
	char *offsite;    /* first redirect target on another host */
	int final_https;
	char *final_url;
	char *final_host;
	int final_port;
	char *final_path;
	struct cx_addr final_addr;
	long used, budget;
	int budget_hit;
	int pending;
	int issuing;
	enum phase phase;
	char rnd[33];
	uint64_t t0, t1;
};

struct state {
	struct cx_check_ctx *ctx;
	struct http_fetcher *f;
	struct cx_loop *loop;
	struct res **res;
	size_t n_res, cap_res;
	size_t n_finished;
	struct cx_timer guard;
	int guard_fired;
};

/* Randomness for baseline paths and origins (not security-critical). */
static void random_hex(char *out, size_t n_hex)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	size_t i, got = 0;
	int fd;
	uint64_t x;

	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t r = read(fd, b, sizeof(b));

		got = r > 0 ? (size_t)r : 0;
		close(fd);
	}
	x = cx_now_ms() ^ ((uint64_t)getpid() << 32);
	for (i = got; i < sizeof(b); i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		b[i] = (unsigned char)(x >> 56);
	}
	for (i = 0; i < n_hex; i++)
		out[i] =
		    hex[(b[(i / 2) % sizeof(b)] >> ((i % 2) ? 0 : 4)) & 0xf];
	out[n_hex] = '\0';
}

static char *origin_url(int https, const char *host, int port, const char *path)
{
	int v6 = strchr(host, ':') != NULL;
	char ps[8] = "";

	if (port != (https ? 443 : 80))
		snprintf(ps, sizeof(ps), ":%d", port);
	return cx_asprintf("%s://%s%s%s%s%s", https ? "https" : "http",
	                   v6 ? "[" : "", host, v6 ? "]" : "", ps,
	                   path ? path : "/");
}

/* The in-scope address for a URL host, or CX_ESCOPE. */
static int scope_addr(const struct cx_scope *s, const char *host,
                      struct cx_addr *out)
{
	size_t i;

	if (cx_addr_parse(host, out) == CX_OK)
		return cx_scope_contains(s, out) ? CX_OK : CX_ESCOPE;
	for (i = 0; i < s->n_blocks; i++) {
		const struct cx_block *b = &s->blocks[i];

		if (b->hostname != NULL && cx_strcaseeq(b->hostname, host) &&
		    cx_scope_contains(s, &b->first)) {
			*out = b->first;
			return CX_OK;
		}
	}
	return CX_ESCOPE;
}

static void res_free(struct res *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n_d; i++) {
		http_req_free(r->d[i].req);
		http_head_clear(&r->d[i].head);
		free(r->d[i].evid);
	}
	free(r->d);
	free(r->url);
	free(r->delegate);
	free(r->origin_owner);
	free(r->host);
	free(r->path);
	free(r->chain_note);
	free(r->offsite);
	free(r->final_url);
	free(r->final_host);
	free(r->final_path);
	free(r);
}

static void advance(struct res *r);
static void evaluate(struct res *r);

static void on_done(struct http_req *req);

/* Start one request for r; CX_ELIMIT when the budget is spent. */
static int issue(struct res *r, int kind, const char *method, const char *url,
                 const struct cx_addr *addr, const char *tag, const char *h1,
                 const char *h2)
{
	struct http_req *q;
	int rc;

	if (r->used >= r->budget) {
		r->budget_hit = 1;
		return CX_ELIMIT;
	}
	q = http_req_new(url, method, addr, on_done, r, kind);
	if (q == NULL)
		return CX_ENOMEM;
	/* Pages are read up to 1 MiB; probes need only their start (content
	 * validators, soft-404 comparison), which bounds the memory a
	 * resource holds until the evaluation. */
	if (kind != K_CHAIN)
		q->body_max = PROBE_BODY_MAX;
	if (tag != NULL) {
		q->tag = cx_strdup(tag);
		if (q->tag == NULL) {
			http_req_free(q);
			return CX_ENOMEM;
		}
	}
	rc = CX_OK;
	if (h1 != NULL)
		rc = http_req_header(q, h1);
	if (rc == CX_OK && h2 != NULL)
		rc = http_req_header(q, h2);
	if (rc == CX_OK)
		rc = http_req_header(q,
		                     "Accept: text/html,application/xhtml+xml,"
		                     "application/xml;q=0.9,*/*;q=0.8");
	if (rc != CX_OK) {
		http_req_free(q);
		return rc;
	}
	r->used++;
	r->pending++;
	rc = http_fetch_start(r->st->f, q);
	if (rc != CX_OK) {
		r->pending--;
		http_req_free(q);
	}
	return rc;
}

/* Follow one redirect hop, or end the chain. */
static void chain_step(struct res *r, struct done *d)
{
	const char *loc;
	char *next = NULL, *host = NULL, *path = NULL;
	struct cx_addr a;
	int https, port;

	r->chain[r->n_chain++] = (size_t)(d - r->d);
	if (!d->ok)
		return;
	if (d->head.status < 300 || d->head.status > 399 ||
	    d->head.status == 304)
		return;
	loc = http_head_get(&d->head, "Location");
	if (loc == NULL)
		return;
	if (r->n_chain > MAX_HOPS) {
		r->chain_note = cx_strdup("more than 10 redirects: stopped");
		return;
	}
	next = http_url_resolve(d->req->url, loc);
	if (next == NULL ||
	    http_url_split(next, &https, &host, &port, &path) != CX_OK) {
		r->chain_note =
		    cx_strdup("Location is not a valid http(s) URL");
		goto out;
	}
	if (!cx_strcaseeq(host, r->host) && r->offsite == NULL)
		r->offsite = cx_strdup(next);
	if (scope_addr(r->st->ctx->scope, host, &a) != CX_OK) {
		r->chain_note = cx_asprintf(
		    "redirect to a host outside the scope, not followed");
		goto out;
	}
	if (issue(r, K_CHAIN, "GET", next, &a, NULL, NULL, NULL) != CX_OK)
		r->chain_note = cx_strdup("request budget exhausted");
out:
	free(next);
	free(host);
	free(path);
}

static void on_done(struct http_req *req)
{
	struct res *r = req->arg;
	struct done *d;

	if (cx_grow(&r->d, &r->cap_d, r->n_d + 1, sizeof(*r->d)) != CX_OK) {
		http_req_free(req);
		r->pending--;
		goto out;
	}
	d = &r->d[r->n_d++];
	memset(d, 0, sizeof(*d));
	d->req = req;
	if (req->curl_code == 0 && req->head.len > 0 &&
	    http_head_parse(req->head.data, req->head.len, &d->head) == CX_OK &&
	    d->head.status > 0)
		d->ok = 1;
	if (req->kind == K_EXPOSE && req->tag != NULL) {
		size_t i;

		for (i = 0; i < CX_ARRAY_LEN(sensitive_paths); i++)
			if (strcmp(sensitive_paths[i].path, req->tag) == 0)
				d->sens = &sensitive_paths[i];
	}
	r->pending--;
	if (req->kind == K_CHAIN) {
		/* A request that fails at once calls on_done() again from
		 * inside chain_step(): only the outermost call advances. */
		r->issuing++;
		chain_step(r, d);
		r->issuing--;
	}
	if (req->kind == K_PUT) {
		r->issuing++;
		issue(r, K_DELETE, "DELETE", req->url, &req->addr, req->tag,
		      NULL, NULL);
		r->issuing--;
	}
out:
	if (r->pending == 0 && !r->issuing)
		advance(r);
}

static const struct done *find_kind(const struct res *r, int kind)
{
	size_t i;

	for (i = 0; i < r->n_d; i++)
		if (r->d[i].req->kind == kind)
			return &r->d[i];
	return NULL;
}

static const struct done *final_done(const struct res *r)
{
	if (r->n_chain == 0)
		return NULL;
	return &r->d[r->chain[r->n_chain - 1]];
}

static int set_final(struct res *r)
{
	const struct done *fd = final_done(r);
	int https, port;
	char *host = NULL, *path = NULL;

	if (fd == NULL || !fd->ok)
		return CX_EIO;
	if (http_url_split(fd->req->url, &https, &host, &port, &path) != CX_OK)
		return CX_EINVAL;
	r->final_url = cx_strdup(fd->req->url);
	r->final_https = https;
	r->final_host = host;
	r->final_port = port;
	r->final_path = path;
	r->final_addr = fd->req->addr;
	return r->final_url ? CX_OK : CX_ENOMEM;
}

static void issue_probes(struct res *r)
{
	const struct cx_scan_opts *o = r->st->ctx->opts;
	char *u = NULL, *p = NULL, *h1 = NULL;
	char origin[80];
	int https = r->final_https;
	const char *host = r->final_host;
	int port = r->final_port;
	const struct cx_addr *a = &r->final_addr;

	snprintf(origin, sizeof(origin), "Origin: https://%.16s.example",
	         r->rnd);
	p = cx_asprintf("/certexam-%.16s", r->rnd);
	u = p ? origin_url(https, host, port, p) : NULL;
	if (u != NULL)
		issue(r, K_BASE1, "GET", u, a, p, NULL, NULL);
	free(u);
	free(p);
	p = cx_asprintf("/.certexam-%.16s", r->rnd + 16);
	u = p ? origin_url(https, host, port, p) : NULL;
	if (u != NULL)
		issue(r, K_BASE2, "GET", u, a, p, NULL, NULL);
	free(u);
	free(p);
	issue(r, K_CORS_GET_RAND, "GET", r->final_url, a, origin + 8, origin,
	      NULL);
	issue(r, K_CORS_GET_NULL, "GET", r->final_url, a, "null",
	      "Origin: null", NULL);
	issue(r, K_CORS_OPT_RAND, "OPTIONS", r->final_url, a, origin + 8,
	      origin, "Access-Control-Request-Method: GET");
	issue(r, K_CORS_OPT_NULL, "OPTIONS", r->final_url, a, "null",
	      "Origin: null", "Access-Control-Request-Method: GET");
	issue(r, K_OPTIONS, "OPTIONS", r->final_url, a, NULL, NULL, NULL);
	h1 = cx_asprintf("X-Certexam-Trace: %.16s", r->rnd);
	if (h1 != NULL) {
		issue(r, K_TRACE, "TRACE", r->final_url, a, h1 + 18, h1, NULL);
		issue(r, K_TRACK, "TRACK", r->final_url, a, h1 + 18, h1, NULL);
	}
	free(h1);
	issue(r, K_PROPFIND, "PROPFIND", r->final_url, a, NULL, "Depth: 0",
	      NULL);
	u = origin_url(https, host, port, "/.well-known/security.txt");
	if (u != NULL)
		issue(r, K_SECTXT, "GET", u, a, NULL, NULL, NULL);
	free(u);
	u = origin_url(https, host, port, "/robots.txt");
	if (u != NULL)
		issue(r, K_ROBOTS, "GET", u, a, NULL, NULL, NULL);
	free(u);
	if (o->intrusive) {
		p = cx_asprintf("/certexam-put-%.16s.txt", r->rnd);
		u = p ? origin_url(https, host, port, p) : NULL;
		if (u != NULL) {
			/* DELETE follows when PUT has answered (on_done),
			 * so that whatever PUT stored is removed again. */
			issue(r, K_PUT, "PUT", u, a, p, NULL, NULL);
		}
		free(u);
		free(p);
	}
}

/* Disallow entries of robots.txt that are plain paths (no wildcards). */
static void issue_robots(struct res *r, const struct done *rb)
{
	const char *s, *e, *end, *v;
	char path[256];
	size_t n, count = 0, i;
	char *u;
	int dup;

	if (rb == NULL || !rb->ok || rb->head.status != 200 ||
	    rb->req->body.data == NULL)
		return;
	s = rb->req->body.data;
	end = s + rb->req->body.len;
	while (s < end && count < MAX_ROBOTS) {
		e = memchr(s, '\n', (size_t)(end - s));
		if (e == NULL)
			e = end;
		n = (size_t)(e - s);
		if (n > 9 && cx_strncaseeq(s, "disallow:", 9)) {
			v = s + 9;
			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			n = (size_t)(e - v);
			while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == ' ' ||
			                 v[n - 1] == '\t'))
				n--;
			if (n > 1 && n < sizeof(path) && v[0] == '/' &&
			    memchr(v, '*', n) == NULL &&
			    memchr(v, '$', n) == NULL &&
			    memchr(v, '#', n) == NULL &&
			    memchr(v, ' ', n) == NULL) {
				memcpy(path, v, n);
				path[n] = '\0';
				dup = 0;
				for (i = 0; i < CX_ARRAY_LEN(sensitive_paths);
				     i++)
					if (strcmp(sensitive_paths[i].path,
					           path) == 0)
						dup = 1;
				u = dup ? NULL
				        : origin_url(r->final_https,
				                     r->final_host,
				                     r->final_port, path);
				if (u != NULL) {
					issue(r, K_ROBOTS_ENTRY, "GET", u,
					      &r->final_addr, path, NULL, NULL);
					count++;
				}
				free(u);
			}
		}
		s = e + 1;
	}
}

static void issue_exposure(struct res *r)
{
	size_t i;
	char *u;

	for (i = 0; i < CX_ARRAY_LEN(sensitive_paths); i++) {
		u = origin_url(r->final_https, r->final_host, r->final_port,
		               sensitive_paths[i].path);
		if (u == NULL)
			continue;
		issue(r, K_EXPOSE, "GET", u, &r->final_addr,
		      sensitive_paths[i].path, NULL, NULL);
		free(u);
	}
	issue_robots(r, find_kind(r, K_ROBOTS));
}

static void finished(struct res *r)
{
	struct state *st = r->st;
	const struct cx_progress *pg = st->ctx->progress;

	r->t1 = cx_now_ms();
	r->phase = P_DONE;
	st->n_finished++;
	if (pg != NULL && pg->update != NULL)
		pg->update(pg->arg, "http", st->n_finished, st->n_res, 0);
	if (st->n_finished == st->n_res)
		cx_loop_stop(st->loop);
}

static void advance(struct res *r)
{
	for (;;) {
		if (r->phase == P_DONE)
			return;
		if (r->phase == P_CHAIN) {
			if (set_final(r) != CX_OK) {
				finished(r);
				return;
			}
			r->phase = P_PROBES;
			r->issuing++;
			issue_probes(r);
			r->issuing--;
		} else if (r->phase == P_PROBES) {
			r->phase = P_EXPOSE;
			r->issuing++;
			issue_exposure(r);
			r->issuing--;
		} else {
			finished(r);
			return;
		}
		if (r->pending > 0 || r->issuing > 0)
			return;
	}
}

/* Evaluation. */

struct prob {
	int req; /* 1..15: WEB-NN */
	char *item;
	enum cx_certainty cert;
	char *title;
	char *observed;
	const struct done *d; /* the exchange that shows it, or NULL */
};

#define N_REQ 15

struct eval {
	struct res *r;
	struct prob *p;
	size_t n_p, cap_p;
	int state[N_REQ + 1]; /* 0 unset, 1 evaluated, 2 not checked,
	                         3 not applicable */
	char *why[N_REQ + 1]; /* reason for 2 and 3, or pass text for 1 */
	const struct done *pass_d[N_REQ + 1];
};

/* CSP weaknesses, in the order their findings are recorded. */
static const struct {
	unsigned flag;
	const char *item;
	enum cx_certainty cert;
	const char *title;
} csp_problems[] = {
    {CSP_INVALID, "Content-Security-Policy:invalid", CX_CONFIRMED,
     "Content-Security-Policy contains invalid directives"},
    {CSP_SCRIPT_UNSAFE_INLINE,
     "Content-Security-Policy:script-src:'unsafe-inline'", CX_CONFIRMED,
     "CSP allows inline scripts ('unsafe-inline' without nonce or hash)"},
    {CSP_SCRIPT_UNSAFE_EVAL, "Content-Security-Policy:script-src:'unsafe-eval'",
     CX_CONFIRMED, "CSP allows eval ('unsafe-eval')"},
    {CSP_SCRIPT_BROAD, "Content-Security-Policy:script-src:broad", CX_CONFIRMED,
     "CSP allows scripts from any host (*, scheme-only or data: source)"},
    {CSP_SCRIPT_UNRESTRICTED, "Content-Security-Policy:script-src:missing",
     CX_CONFIRMED,
     "CSP does not restrict scripts (no script-src, no default-src)"},
    {CSP_OBJECT_BROAD, "Content-Security-Policy:object-src:broad", CX_CONFIRMED,
     "CSP allows plugins from any host"},
    {CSP_OBJECT_UNRESTRICTED, "Content-Security-Policy:object-src:missing",
     CX_CONFIRMED,
     "CSP does not restrict plugins (no object-src, no default-src)"},
    {CSP_INSECURE_SCHEME, "Content-Security-Policy:insecure-scheme",
     CX_CONFIRMED, "CSP on an https page allows active content over http"},
    {CSP_INSECURE_PASSIVE, "Content-Security-Policy:insecure-passive",
     CX_CONFIRMED, "CSP on an https page allows images or media over http"},
    {CSP_NO_BASE_URI, "Content-Security-Policy:base-uri", CX_POTENTIAL,
     "CSP without base-uri (base tag injection)"},
    {CSP_NO_FORM_ACTION, "Content-Security-Policy:form-action", CX_POTENTIAL,
     "CSP without form-action (form targets unrestricted)"},
};

static void prob(struct eval *ev, int req, const char *item,
                 enum cx_certainty cert, const struct done *d,
                 const char *title, const char *observed)
{
	struct prob *p;

	if (cx_grow(&ev->p, &ev->cap_p, ev->n_p + 1, sizeof(*ev->p)) != CX_OK)
		return;
	p = &ev->p[ev->n_p];
	memset(p, 0, sizeof(*p));
	p->req = req;
	/* Items may hold names the target chose (cookies, script URLs). */
	p->item = item ? cx_text_from_bytes(item, strlen(item)) : NULL;
	p->title = cx_strdup(title);
	p->observed =
	    observed ? cx_text_from_bytes(observed, strlen(observed)) : NULL;
	p->cert = cert;
	p->d = d;
	ev->n_p++;
	if (ev->state[req] == 0)
		ev->state[req] = 1;
}

static void mark(struct eval *ev, int req, int state, const char *why,
                 const struct done *d)
{
	if (ev->state[req] == 1 && state != 1)
		return; /* a problem already found stays */
	ev->state[req] = state;
	if (why != NULL) {
		free(ev->why[req]);
		ev->why[req] = cx_text_from_bytes(why, strlen(why));
	}
	if (d != NULL)
		ev->pass_d[req] = d;
}

/* Store the exchange of d as evidence once; the id or NULL. */
static const char *evidence(struct res *r, const struct done *cd)
{
	struct done *d = (struct done *)cd;
	struct cx_buf b = {0};
	const char *id = NULL;
	char *desc;

	if (d == NULL)
		return NULL;
	if (d->evid != NULL)
		return d->evid;
	if (r->st->ctx->run->dir == NULL)
		return NULL;
	if (d->req->req_head.len > 0)
		cx_buf_append(&b, d->req->req_head.data, d->req->req_head.len);
	else
		cx_buf_printf(&b, "%s %s\r\n\r\n", d->req->method, d->req->url);
	if (d->req->head.len > 0)
		cx_buf_append(&b, d->req->head.data, d->req->head.len);
	else
		cx_buf_printf(&b, "(no response: %s)\r\n", d->req->errbuf);
	desc = cx_asprintf("%s %.300s: request head as sent, response head as "
	                   "received",
	                   d->req->method, d->req->url);
	if (desc != NULL) {
		/* The URL may come from a Location header. */
		char *clean = cx_text_from_bytes(desc, strlen(desc));

		free(desc);
		desc = clean;
	}
	if (b.data != NULL &&
	    cx_run_add_evidence(r->st->ctx->run, r->url, "http-exchange",
	                        desc ? desc : "http exchange", b.data, b.len,
	                        &id) == CX_OK &&
	    id != NULL)
		d->evid = cx_strdup(id);
	free(desc);
	cx_buf_free(&b);
	return d->evid;
}

static int contains_ci(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	if (s == NULL || n < k)
		return 0;
	for (i = 0; i + k <= n; i++)
		if (cx_strncaseeq(s + i, needle, k))
			return 1;
	return 0;
}

static int has_digit(const char *s)
{
	for (; s && *s; s++)
		if (*s >= '0' && *s <= '9')
			return 1;
	return 0;
}

/* "product/1.2" style version text in s[0..n). */
static int has_version_token(const char *s, size_t n)
{
	static const char *const products[] = {
	    "nginx/",     "apache/",  "microsoft-iis/", "php/",
	    "openssl/",   "tomcat/",  "jetty(",         "lighttpd/",
	    "openresty/", "express/", "python/",        "werkzeug/",
	    "gunicorn/",  "jboss",    "weblogic",       "litespeed/"};
	size_t i, k, j, len;

	if (s == NULL)
		return 0;
	for (i = 0; i < CX_ARRAY_LEN(products); i++) {
		len = strlen(products[i]);
		for (j = 0; j + len < n; j++) {
			if (!cx_strncaseeq(s + j, products[i], len))
				continue;
			k = j + len;
			while (k < n && s[k] == ' ')
				k++;
			if (k < n && s[k] >= '0' && s[k] <= '9')
				return 1;
		}
	}
	return 0;
}

static int like_baseline(const struct done *probe, const struct done *base)
{
	size_t a, b, tol;
	char ha[65], hb[65];

	if (base == NULL || !base->ok || !probe->ok)
		return 0;
	if (probe->head.status != base->head.status)
		return 0;
	if (probe->head.status < 200 || probe->head.status > 299)
		return 1; /* same error status as a path that does not exist */
	a = probe->req->body.len;
	b = base->req->body.len;
	cx_sha256_hex(probe->req->body.data ? probe->req->body.data : "", a,
	              ha);
	cx_sha256_hex(base->req->body.data ? base->req->body.data : "", b, hb);
	if (strcmp(ha, hb) == 0)
		return 1;
	/* A soft-404 page that echoes the path differs by the path only. */
	tol = 2 * (probe->req->tag ? strlen(probe->req->tag) : 0) + 2 * 40;
	if ((a > b ? a - b : b - a) <= tol)
		return 1;
	return 0;
}

static int body_is_html(const struct done *d)
{
	const char *ct = http_head_get(&d->head, "Content-Type");

	if (ct != NULL && contains_ci(ct, strlen(ct), "html"))
		return 1;
	return contains_ci(d->req->body.data,
	                   d->req->body.len < 512 ? d->req->body.len : 512,
	                   "<html");
}

static int validate(const struct done *d, enum validator v)
{
	const char *s = d->req->body.data;
	size_t n = d->req->body.len, i, k;
	int lines = 0;

	if (s == NULL || n == 0)
		return 0;
	switch (v) {
	case V_GIT_HEAD:
		if (n >= 10 && memcmp(s, "ref: refs/", 10) == 0)
			return 1;
		for (i = 0; i < n && i < 40; i++)
			if (!strchr("0123456789abcdef", s[i]) || s[i] == 0)
				return 0;
		return i == 40;
	case V_GIT_CONFIG:
		return contains_ci(s, n, "[core]");
	case V_ENV:
		if (body_is_html(d))
			return 0;
		for (i = 0; i < n && lines < 1000;) {
			k = i;
			while (k < n &&
			       ((s[k] >= 'A' && s[k] <= 'Z') ||
			        (s[k] >= '0' && s[k] <= '9') || s[k] == '_'))
				k++;
			if (k > i && k < n && s[k] == '=')
				return 1;
			while (i < n && s[i] != '\n')
				i++;
			i++;
			lines++;
		}
		return 0;
	case V_APACHE_STATUS:
		return contains_ci(s, n, "Apache Server Status") ||
		       contains_ci(s, n, "Server Version:");
	case V_NGINX_STATUS:
		return n >= 19 &&
		       contains_ci(s, n < 64 ? n : 64, "Active connections:");
	case V_PHPINFO:
		return contains_ci(s, n, "phpinfo()") ||
		       contains_ci(s, n, "<title>PHP ");
	case V_ARCHIVE:
		return (n >= 4 && memcmp(s, "PK\x03\x04", 4) == 0) ||
		       (n >= 2 && (unsigned char)s[0] == 0x1f &&
		        (unsigned char)s[1] == 0x8b);
	case V_SQL:
		return !body_is_html(d) && (contains_ci(s, n, "CREATE TABLE") ||
		                            contains_ci(s, n, "INSERT INTO") ||
		                            contains_ci(s, n, "database dump"));
	case V_PHP_SOURCE:
		return contains_ci(s, n < 4096 ? n : 4096, "<?php");
	case V_DS_STORE:
		return n >= 8 && memcmp(s + 4, "Bud1", 4) == 0;
	case V_SVN:
		return !body_is_html(d) && n >= 2 && s[0] >= '0' && s[0] <= '9';
	case V_HTACCESS:
		return !body_is_html(d) &&
		       (contains_ci(s, n, "RewriteEngine") ||
		        contains_ci(s, n, "Require ") ||
		        contains_ci(s, n, "Deny from") ||
		        contains_ci(s, n, "AuthType"));
	case V_LISTING:
		return contains_ci(s, n, "<title>Index of /") ||
		       contains_ci(s, n, "Directory listing for");
	}
	return 0;
}

static const char *req_id(int n)
{
	static const char *const ids[N_REQ + 1] = {
	    "",       "WEB-01", "WEB-02", "WEB-03", "WEB-04", "WEB-05",
	    "WEB-06", "WEB-07", "WEB-08", "WEB-09", "WEB-10", "WEB-11",
	    "WEB-12", "WEB-13", "WEB-14", "WEB-15"};

	return (n >= 1 && n <= N_REQ) ? ids[n] : "WEB-00";
}

/* Policies enforced on the final response: headers and meta tags. */
struct csp_acc {
	unsigned and_flags; /* problem flags every policy has */
	unsigned or_flags;  /* flags any policy has */
	size_t n;
	int https;
	int meta;
	char dup[128];
};

#define CSP_OR_MASK                                                            \
	(CSP_DUPLICATE | CSP_INVALID | CSP_DEFAULT_NONE | CSP_STRICT_DYNAMIC | \
	 CSP_NONCE_OR_HASH)

static void csp_acc_cb(const char *text, size_t len, void *arg)
{
	struct csp_acc *acc = arg;
	struct csp_policy p;
	char *s = cx_strndup(text, len);
	unsigned f;

	if (s == NULL)
		return;
	if (csp_parse(s, &p) == CX_OK) {
		f = csp_evaluate(&p, acc->https);
		if (acc->meta) /* frame-ancestors is ignored in <meta> */
			f |= CSP_NO_FRAME_ANCESTORS;
		acc->and_flags =
		    acc->n == 0 ? (f & ~CSP_OR_MASK) : (acc->and_flags & f);
		acc->or_flags |= f & CSP_OR_MASK;
		if (p.n_dups > 0 && acc->dup[0] == '\0')
			snprintf(acc->dup, sizeof(acc->dup), "%s", p.dups[0]);
		acc->n++;
	}
	csp_policy_clear(&p);
	free(s);
}

struct cookie_seen {
	char *name;
};

static int session_like(const struct cx_profile *pr, const char *name)
{
	static const char *const defaults[] = {"sess", "sid",      "token",
	                                       "auth", "jsession", "phpsessid"};
	size_t it = 0, i, n = strlen(name);
	const char *v;
	int any = 0;

	for (;;) {
		v = cx_profile_param_next(pr, "web.session_cookie", &it);
		if (v == NULL)
			break;
		any = 1;
		if (v[0] != '\0' && contains_ci(name, n, v))
			return 1;
	}
	if (!any)
		for (i = 0; i < CX_ARRAY_LEN(defaults); i++)
			if (contains_ci(name, n, defaults[i]))
				return 1;
	return 0;
}

static int cache_private(const struct http_head *h)
{
	const char *cc = http_head_get(h, "Cache-Control");

	return cc != NULL && (contains_ci(cc, strlen(cc), "no-store") ||
	                      contains_ci(cc, strlen(cc), "private"));
}

static void eval_cookies(struct eval *ev, struct score_result *sc, int hsts)
{
	struct res *r = ev->r;
	const struct cx_profile *pr = r->st->ctx->profile;
	struct http_cookie c;
	const char *v, *prob_text;
	char item[160], obs[320];
	size_t i, k, j, n_seen = 0, n_cookies = 0;
	char *seen[64];
	int https, any_insecure = 0, sess_insecure = 0, sess_nohttp = 0;
	int ss_invalid = 0, all_ss = 1, sess, dup;

	for (i = 0; i < r->n_d; i++) {
		const struct done *d = &r->d[i];

		if (!d->ok)
			continue;
		https = strncmp(d->req->url, "https:", 6) == 0;
		for (k = 0; k < HTTP_MAX_HEADERS; k++) {
			v = http_head_get_nth(&d->head, "Set-Cookie", k);
			if (v == NULL)
				break;
			if (http_cookie_parse(v, &c) != CX_OK) {
				http_cookie_clear(&c);
				continue;
			}
			if (http_cookie_is_deletion(&c)) {
				http_cookie_clear(&c);
				continue;
			}
			dup = 0;
			for (j = 0; j < n_seen; j++)
				if (strcmp(seen[j], c.name) == 0)
					dup = 1;
			if (dup || n_seen >= CX_ARRAY_LEN(seen)) {
				http_cookie_clear(&c);
				continue;
			}
			seen[n_seen] = cx_strdup(c.name);
			if (seen[n_seen] != NULL)
				n_seen++;
			n_cookies++;
			sess = session_like(pr, c.name);
			if (!https) {
				snprintf(item, sizeof(item), "%.120s:http",
				         c.name);
				snprintf(obs, sizeof(obs),
				         "cookie %.120s set over plain http",
				         c.name);
				prob(ev, 7, item, CX_CONFIRMED, d,
				     "Cookie set over plain HTTP", obs);
				any_insecure = 1;
				if (sess)
					sess_insecure = 1;
			} else if (!c.secure) {
				snprintf(item, sizeof(item), "%.120s:Secure",
				         c.name);
				snprintf(obs, sizeof(obs),
				         "cookie %.120s without Secure",
				         c.name);
				prob(ev, 7, item, CX_CONFIRMED, d,
				     "Cookie without the Secure attribute",
				     obs);
				any_insecure = 1;
				if (sess)
					sess_insecure = 1;
			}
			if (sess && !c.httponly) {
				snprintf(item, sizeof(item), "%.120s:HttpOnly",
				         c.name);
				snprintf(obs, sizeof(obs),
				         "session cookie %.120s without "
				         "HttpOnly",
				         c.name);
				prob(ev, 7, item, CX_CONFIRMED, d,
				     "Session cookie without HttpOnly", obs);
				sess_nohttp = 1;
			}
			if (c.samesite == HTTP_SS_INVALID) {
				ss_invalid = 1;
				snprintf(item, sizeof(item), "%.120s:SameSite",
				         c.name);
				snprintf(obs, sizeof(obs),
				         "cookie %.120s has an invalid "
				         "SameSite value",
				         c.name);
				prob(ev, 7, item, CX_CONFIRMED, d,
				     "Cookie with an invalid SameSite value",
				     obs);
			} else if (c.samesite == HTTP_SS_NONE && !c.secure) {
				ss_invalid = 1;
				snprintf(item, sizeof(item), "%.120s:SameSite",
				         c.name);
				snprintf(obs, sizeof(obs),
				         "cookie %.120s: SameSite=None "
				         "without Secure is rejected",
				         c.name);
				prob(ev, 7, item, CX_CONFIRMED, d,
				     "SameSite=None cookie without Secure",
				     obs);
			} else if (c.samesite == HTTP_SS_NONE) {
				ss_invalid = 1;
				snprintf(item, sizeof(item), "%.120s:SameSite",
				         c.name);
				snprintf(obs, sizeof(obs),
				         "cookie %.120s with SameSite=None",
				         c.name);
				prob(ev, 7, item, CX_CONFIRMED, d,
				     "Cookie sent on cross-site requests "
				     "(SameSite=None)",
				     obs);
			} else if (sess && c.samesite == HTTP_SS_ABSENT) {
				snprintf(item, sizeof(item), "%.120s:SameSite",
				         c.name);
				snprintf(
				    obs, sizeof(obs),
				    "session cookie %.120s without SameSite",
				    c.name);
				prob(ev, 7, item, CX_CONFIRMED, d,
				     "Session cookie without SameSite", obs);
			}
			if (c.samesite != HTTP_SS_STRICT &&
			    c.samesite != HTTP_SS_LAX)
				all_ss = 0;
			prob_text = http_cookie_prefix_problem(&c, https);
			if (prob_text != NULL) {
				snprintf(item, sizeof(item), "%.120s:prefix",
				         c.name);
				snprintf(obs, sizeof(obs), "%.120s: %s", c.name,
				         prob_text);
				prob(ev, 7, item, CX_CONFIRMED, d,
				     "Cookie prefix rules broken (browsers "
				     "reject the cookie)",
				     obs);
			}
			if (sess && !cache_private(&d->head)) {
				snprintf(item, sizeof(item),
				         "%.120s:Cache-Control", c.name);
				snprintf(obs, sizeof(obs),
				         "response setting session cookie "
				         "%.120s lacks Cache-Control: "
				         "no-store/private",
				         c.name);
				prob(ev, 7, item, CX_CONFIRMED, d,
				     "Response setting a session cookie may "
				     "be cached",
				     obs);
			}
			http_cookie_clear(&c);
		}
	}
	for (j = 0; j < n_seen; j++)
		free(seen[j]);
	if (n_cookies == 0) {
		mark(ev, 7, 1, "no cookies set", NULL);
		sc->result[ST_COOKIES] = "cookies-not-found";
		return;
	}
	mark(ev, 7, 1,
	     "every cookie has Secure, session cookies HttpOnly and "
	     "SameSite, prefixes valid",
	     NULL);
	if (sess_insecure)
		sc->result[ST_COOKIES] =
		    hsts ? "cookies-session-without-secure-flag-but-"
		           "protected-by-hsts"
		         : "cookies-session-without-secure-flag";
	else if (sess_nohttp)
		sc->result[ST_COOKIES] =
		    "cookies-session-without-httponly-flag";
	else if (ss_invalid)
		sc->result[ST_COOKIES] = "cookies-samesite-flag-invalid";
	else if (any_insecure)
		sc->result[ST_COOKIES] =
		    hsts ? "cookies-without-secure-flag-but-protected-by-"
		           "hsts"
		         : "cookies-without-secure-flag";
	else if (all_ss)
		sc->result[ST_COOKIES] =
		    "cookies-secure-with-httponly-sessions-and-samesite";
	else
		sc->result[ST_COOKIES] =
		    "cookies-secure-with-httponly-sessions";
}

/* The redirect result of an http resource that leads to r, or NULL. */
static const char *sibling_redirection(const struct res *r)
{
	size_t i;

	for (i = 0; i < r->st->n_res; i++) {
		const struct res *o = r->st->res[i];

		if (o != r && o->delegate != NULL &&
		    strcmp(o->delegate, r->url) == 0 && o->redirection != NULL)
			return o->redirection;
	}
	return NULL;
}

static void eval_redirects(struct eval *ev, struct score_result *sc)
{
	struct res *r = ev->r;
	const struct done *first = &r->d[r->chain[0]];
	const struct done *second = r->n_chain > 1 ? &r->d[r->chain[1]] : NULL;
	char obs[512];
	int https2 = 0, port2 = 0;
	char *host2 = NULL, *path2 = NULL;

	if (r->https) {
		if (!r->final_https) {
			snprintf(obs, sizeof(obs),
			         "https resource redirects to %.300s",
			         r->final_url);
			prob(ev, 1, "redirect-to-http", CX_CONFIRMED,
			     final_done(r), "HTTPS resource redirects to HTTP",
			     obs);
			sc->result[ST_REDIRECTION] = "redirection-not-to-https";
		} else {
			mark(ev, 1, 1, "resource served over https", first);
			sc->result[ST_REDIRECTION] =
			    sibling_redirection(r)
			        ? sibling_redirection(r)
			        : "redirection-not-needed-no-http";
		}
		return;
	}
	if (second != NULL)
		http_url_split(second->req->url, &https2, &host2, &port2,
		               &path2);
	if (second == NULL && r->offsite != NULL) {
		/* The first redirect leaves the scope: not followed. */
		int off_https = strncmp(r->offsite, "https:", 6) == 0;

		snprintf(
		    obs, sizeof(obs),
		    "redirects to %.300s, outside the scope (not followed)",
		    r->offsite);
		prob(ev, 1,
		     off_https ? "redirect-off-host" : "redirect-not-to-https",
		     CX_CONFIRMED, first,
		     off_https ? "HTTP redirects to HTTPS on another host"
		               : "HTTP is not redirected to HTTPS",
		     obs);
		sc->result[ST_REDIRECTION] =
		    off_https ? "redirection-off-host-from-http"
		              : "redirection-not-to-https";
	} else if (!r->final_https) {
		snprintf(obs, sizeof(obs),
		         "http://%.200s serves content over plain http "
		         "(final URL %.200s, status %d)",
		         r->host, r->final_url, final_done(r)->head.status);
		prob(ev, 1,
		     r->n_chain > 1 ? "redirect-not-to-https"
		                    : "redirect-missing",
		     CX_CONFIRMED, final_done(r),
		     "HTTP is not redirected to HTTPS", obs);
		sc->result[ST_REDIRECTION] = r->n_chain > 1
		                                 ? "redirection-not-to-https"
		                                 : "redirection-missing";
	} else if (!https2) {
		snprintf(obs, sizeof(obs),
		         "first redirect goes to %.300s (not https)",
		         second ? second->req->url : "?");
		prob(ev, 1, "initial-redirect-not-https", CX_CONFIRMED, first,
		     "First redirect is not to HTTPS", obs);
		sc->result[ST_REDIRECTION] =
		    "redirection-not-to-https-on-initial-redirection";
	} else if (host2 == NULL || !cx_strcaseeq(host2, r->host)) {
		snprintf(obs, sizeof(obs),
		         "http redirects to https on another host: %.300s",
		         second->req->url);
		prob(ev, 1, "redirect-off-host", CX_CONFIRMED, first,
		     "HTTP redirects to HTTPS on another host (HSTS for this "
		     "host can never be set)",
		     obs);
		sc->result[ST_REDIRECTION] = "redirection-off-host-from-http";
	} else {
		snprintf(obs, sizeof(obs), "http redirects to %.300s",
		         second->req->url);
		mark(ev, 1, 1, obs, first);
		sc->result[ST_REDIRECTION] = "redirection-to-https";
	}
	r->redirection = sc->result[ST_REDIRECTION];
	free(host2);
	free(path2);
}

/* The first https response of the chain (HSTS is judged there). */
static const struct done *first_https(const struct res *r)
{
	size_t i;

	for (i = 0; i < r->n_chain; i++) {
		const struct done *d = &r->d[r->chain[i]];

		if (d->ok && strncmp(d->req->url, "https:", 6) == 0)
			return d;
	}
	return NULL;
}

static int eval_hsts(struct eval *ev, struct score_result *sc)
{
	struct res *r = ev->r;
	const struct done *d = first_https(r);
	const char *v;
	struct http_hsts h;
	long min_age = cx_profile_param_long(r->st->ctx->profile,
	                                     "web.hsts_min_age", 15552000);
	char obs[256];
	struct cx_addr tmp;

	if (d == NULL) {
		prob(ev, 2, "Strict-Transport-Security", CX_CONFIRMED,
		     final_done(r), "Site not available over HTTPS, so no HSTS",
		     "no https response in the redirect chain");
		sc->result[ST_HSTS] = "hsts-not-implemented-no-https";
		return 0;
	}
	v = http_head_get(&d->head, "Strict-Transport-Security");
	if (v == NULL) {
		prob(ev, 2, "Strict-Transport-Security", CX_CONFIRMED, d,
		     "Strict-Transport-Security header missing",
		     "first https response has no Strict-Transport-Security");
		sc->result[ST_HSTS] = "hsts-not-implemented";
		return 0;
	}
	http_hsts_parse(v, &h);
	if (!h.valid) {
		snprintf(obs, sizeof(obs), "Strict-Transport-Security: %.200s",
		         v);
		prob(ev, 2, "Strict-Transport-Security:invalid", CX_CONFIRMED,
		     d, "Strict-Transport-Security header cannot be parsed",
		     obs);
		sc->result[ST_HSTS] = "hsts-header-invalid";
		return 0;
	}
	sc->result[ST_HSTS] = h.max_age >= 15768000
	                          ? "hsts-implemented-max-age-at-least-six-"
	                            "months"
	                          : "hsts-implemented-max-age-less-than-six-"
	                            "months";
	if (h.max_age < min_age) {
		snprintf(obs, sizeof(obs),
		         "max-age=%lld, required at least %ld", h.max_age,
		         min_age);
		prob(ev, 2, "Strict-Transport-Security:max-age", CX_CONFIRMED,
		     d, "HSTS max-age shorter than required", obs);
	}
	if (!h.include_subdomains &&
	    cx_addr_parse(r->final_host, &tmp) != CX_OK) {
		prob(ev, 2, "Strict-Transport-Security:includeSubDomains",
		     CX_CONFIRMED, d, "HSTS without includeSubDomains",
		     "includeSubDomains is missing");
	}
	snprintf(obs, sizeof(obs), "Strict-Transport-Security: %.200s", v);
	mark(ev, 2, 1, obs, d);
	return h.max_age > 0;
}

static void eval_csp(struct eval *ev, struct score_result *sc,
                     const struct done *fd, const struct html_info *html,
                     unsigned *flags_out)
{
	struct csp_acc acc;
	size_t k, n_hdr;
	const char *v;
	char obs[512];
	unsigned f;

	memset(&acc, 0, sizeof(acc));
	acc.https = ev->r->final_https;
	n_hdr = http_head_count(&fd->head, "Content-Security-Policy");
	for (k = 0; k < n_hdr; k++) {
		v = http_head_get_nth(&fd->head, "Content-Security-Policy", k);
		csp_split(v, csp_acc_cb, &acc);
	}
	acc.meta = 1;
	for (k = 0; html != NULL && k < html->n_meta_csp; k++)
		csp_split(html->meta_csp[k], csp_acc_cb, &acc);
	*flags_out = CSP_NO_FRAME_ANCESTORS | CSP_SCRIPT_UNRESTRICTED;
	if (acc.n == 0) {
		if (http_head_get(&fd->head,
		                  "Content-Security-Policy-Report-Only")) {
			prob(ev, 3, "Content-Security-Policy-Report-Only",
			     CX_CONFIRMED, fd,
			     "Content-Security-Policy only in Report-Only mode",
			     "a Report-Only policy is not enforced; no "
			     "enforced policy");
		} else {
			prob(ev, 3, "Content-Security-Policy", CX_CONFIRMED, fd,
			     "Content-Security-Policy missing",
			     "no Content-Security-Policy header or meta tag");
		}
		sc->result[ST_CSP] =
		    http_head_get(&fd->head,
		                  "Content-Security-Policy-Report-Only")
		        ? "csp-not-implemented-but-reporting-enabled"
		        : "csp-not-implemented";
		return;
	}
	f = acc.and_flags | acc.or_flags;
	*flags_out = f;
	v = http_head_get(&fd->head, "Content-Security-Policy");
	snprintf(obs, sizeof(obs), "Content-Security-Policy: %.400s",
	         v ? v : (html && html->n_meta_csp ? html->meta_csp[0] : ""));
	for (k = 0; k < CX_ARRAY_LEN(csp_problems); k++)
		if (f & csp_problems[k].flag)
			prob(ev, 3, csp_problems[k].item, csp_problems[k].cert,
			     fd, csp_problems[k].title, obs);
	if (acc.dup[0] != '\0') {
		char item[200];

		snprintf(item, sizeof(item),
		         "Content-Security-Policy:duplicate:%.100s", acc.dup);
		prob(ev, 3, item, CX_CONFIRMED, fd,
		     "CSP repeats a directive (the repetition is ignored)",
		     obs);
	}
	mark(ev, 3, 1, obs, fd);
	if (f & CSP_INVALID)
		sc->result[ST_CSP] = "csp-header-invalid";
	else if (f & (CSP_SCRIPT_UNSAFE_INLINE | CSP_SCRIPT_BROAD |
	              CSP_SCRIPT_UNRESTRICTED | CSP_OBJECT_BROAD |
	              CSP_OBJECT_UNRESTRICTED))
		sc->result[ST_CSP] = "csp-implemented-with-unsafe-inline";
	else if (f & CSP_INSECURE_SCHEME)
		sc->result[ST_CSP] = "csp-implemented-with-insecure-scheme";
	else if (f & CSP_SCRIPT_UNSAFE_EVAL)
		sc->result[ST_CSP] = "csp-implemented-with-unsafe-eval";
	else if (f & CSP_INSECURE_PASSIVE)
		sc->result[ST_CSP] = "csp-implemented-with-insecure-scheme-in-"
		                     "passive-content-only";
	else if (f & CSP_STYLE_UNSAFE)
		sc->result[ST_CSP] =
		    "csp-implemented-with-unsafe-inline-in-style-src-only";
	else if (f & CSP_DEFAULT_NONE)
		sc->result[ST_CSP] =
		    "csp-implemented-with-no-unsafe-default-src-none";
	else
		sc->result[ST_CSP] = "csp-implemented-with-no-unsafe";
	/* As the Observatory: a passing policy with a repeated directive. */
	if ((f & CSP_DUPLICATE) &&
	    (strcmp(sc->result[ST_CSP], "csp-implemented-with-no-unsafe") ==
	         0 ||
	     strcmp(sc->result[ST_CSP],
	            "csp-implemented-with-no-unsafe-default-src-none") == 0 ||
	     strcmp(sc->result[ST_CSP], "csp-implemented-with-unsafe-inline-"
	                                "in-style-src-only") == 0 ||
	     strcmp(sc->result[ST_CSP],
	            "csp-implemented-with-insecure-scheme-in-passive-content-"
	            "only") == 0))
		sc->result[ST_CSP] = "csp-implemented-but-duplicate-directives";
}

static void eval_xfo(struct eval *ev, struct score_result *sc,
                     const struct done *fd, unsigned csp)
{
	const char *v = http_head_get(&fd->head, "X-Frame-Options");
	enum http_xfo x = http_xfo_parse(v);
	int fa = !(csp & (CSP_NO_FRAME_ANCESTORS | CSP_FRAME_ANCESTORS_BROAD));
	char obs[256];

	snprintf(obs, sizeof(obs), "X-Frame-Options: %.200s", v ? v : "");
	if (x == HTTP_XFO_ALLOW_FROM)
		prob(ev, 4, "X-Frame-Options:ALLOW-FROM", CX_CONFIRMED, fd,
		     "X-Frame-Options ALLOW-FROM is obsolete and ignored by "
		     "browsers",
		     obs);
	else if (x == HTTP_XFO_INVALID)
		prob(ev, 4, "X-Frame-Options:invalid", CX_CONFIRMED, fd,
		     "X-Frame-Options value not recognised", obs);
	if (csp & CSP_FRAME_ANCESTORS_BROAD)
		prob(ev, 4, "Content-Security-Policy:frame-ancestors",
		     CX_CONFIRMED, fd,
		     "CSP frame-ancestors allows framing by any site", NULL);
	if (fa) {
		sc->result[ST_XFO] = "x-frame-options-implemented-via-csp";
		mark(ev, 4, 1, "CSP frame-ancestors restricts framing", fd);
		return;
	}
	if (x == HTTP_XFO_DENY || x == HTTP_XFO_SAMEORIGIN) {
		sc->result[ST_XFO] = "x-frame-options-sameorigin-or-deny";
		mark(ev, 4, 1, obs, fd);
		return;
	}
	if (x == HTTP_XFO_ABSENT)
		prob(ev, 4, "X-Frame-Options", CX_CONFIRMED, fd,
		     "No clickjacking protection (no X-Frame-Options, no CSP "
		     "frame-ancestors)",
		     NULL);
	sc->result[ST_XFO] =
	    x == HTTP_XFO_ABSENT       ? "x-frame-options-not-implemented"
	    : x == HTTP_XFO_ALLOW_FROM ? "x-frame-options-allow-from-origin"
	                               : "x-frame-options-header-invalid";
}

static void eval_simple_headers(struct eval *ev, struct score_result *sc,
                                const struct done *fd)
{
	const char *v;
	char obs[256], tok[40];
	enum http_referrer rp;
	int corp;

	v = http_head_get(&fd->head, "X-Content-Type-Options");
	snprintf(obs, sizeof(obs), "X-Content-Type-Options: %.200s",
	         v ? v : "");
	if (v == NULL) {
		prob(ev, 5, "X-Content-Type-Options", CX_CONFIRMED, fd,
		     "X-Content-Type-Options header missing", NULL);
		sc->result[ST_XCTO] = "x-content-type-options-not-implemented";
	} else if (!http_xcto_valid(v)) {
		prob(ev, 5, "X-Content-Type-Options:invalid", CX_CONFIRMED, fd,
		     "X-Content-Type-Options is not \"nosniff\"", obs);
		sc->result[ST_XCTO] = "x-content-type-options-header-invalid";
	} else {
		mark(ev, 5, 1, obs, fd);
		sc->result[ST_XCTO] = "x-content-type-options-nosniff";
	}

	v = http_head_get(&fd->head, "Referrer-Policy");
	rp = http_referrer_parse(v, tok, sizeof(tok));
	snprintf(obs, sizeof(obs), "Referrer-Policy: %.200s", v ? v : "");
	switch (rp) {
	case HTTP_RP_ABSENT:
		prob(ev, 6, "Referrer-Policy", CX_CONFIRMED, fd,
		     "Referrer-Policy header missing", NULL);
		sc->result[ST_REFERRER] = "referrer-policy-not-implemented";
		break;
	case HTTP_RP_PRIVATE:
		mark(ev, 6, 1, obs, fd);
		sc->result[ST_REFERRER] = "referrer-policy-private";
		break;
	case HTTP_RP_NRWD:
	case HTTP_RP_UNSAFE: {
		char item[80];

		snprintf(item, sizeof(item), "Referrer-Policy:%s", tok);
		prob(ev, 6, item, CX_CONFIRMED, fd,
		     "Referrer-Policy leaks full URLs to other sites", obs);
		/* The Observatory counts no-referrer-when-downgrade as unsafe.
		 */
		sc->result[ST_REFERRER] = "referrer-policy-unsafe";
		break;
	}
	case HTTP_RP_INVALID:
		prob(ev, 6, "Referrer-Policy:invalid", CX_CONFIRMED, fd,
		     "Referrer-Policy value not recognised", obs);
		sc->result[ST_REFERRER] = "referrer-policy-header-invalid";
		break;
	}

	/* WEB-15: cross-origin isolation and Permissions-Policy. */
	if (http_head_get(&fd->head, "Permissions-Policy") == NULL)
		prob(ev, 15, "Permissions-Policy", CX_CONFIRMED, fd,
		     "Permissions-Policy header missing", NULL);
	if (http_head_get(&fd->head, "Cross-Origin-Opener-Policy") == NULL)
		prob(ev, 15, "Cross-Origin-Opener-Policy", CX_CONFIRMED, fd,
		     "Cross-Origin-Opener-Policy header missing", NULL);
	if (http_head_get(&fd->head, "Cross-Origin-Embedder-Policy") == NULL)
		prob(ev, 15, "Cross-Origin-Embedder-Policy", CX_CONFIRMED, fd,
		     "Cross-Origin-Embedder-Policy header missing", NULL);
	v = http_head_get(&fd->head, "Cross-Origin-Resource-Policy");
	corp = http_corp_parse(v);
	if (corp < 0) {
		snprintf(obs, sizeof(obs),
		         "Cross-Origin-Resource-Policy: %.200s", v);
		prob(ev, 15, "Cross-Origin-Resource-Policy:invalid",
		     CX_CONFIRMED, fd,
		     "Cross-Origin-Resource-Policy value not recognised", obs);
	} else if (corp == 0) {
		prob(ev, 15, "Cross-Origin-Resource-Policy", CX_CONFIRMED, fd,
		     "Cross-Origin-Resource-Policy header missing", NULL);
	}
	sc->result[ST_CORP] = corp == 0   ? "corp-not-implemented"
	                      : corp == 1 ? "corp-implemented-with-same-origin"
	                      : corp == 2 ? "corp-implemented-with-same-site"
	                      : corp == 3 ? "corp-implemented-with-cross-origin"
	                                  : "corp-header-invalid";
	mark(ev, 15, 1, "Permissions-Policy, COOP, COEP and CORP set", fd);

	/* WEB-13: deprecated headers. */
	{
		static const char *const dep[] = {
		    "X-XSS-Protection", "Expect-CT", "Public-Key-Pins",
		    "Public-Key-Pins-Report-Only"};
		size_t i;

		for (i = 0; i < CX_ARRAY_LEN(dep); i++) {
			v = http_head_get(&fd->head, dep[i]);
			if (v == NULL)
				continue;
			snprintf(obs, sizeof(obs), "%s: %.200s", dep[i], v);
			prob(ev, 13, dep[i], CX_CONFIRMED, fd,
			     "Deprecated security header present", obs);
		}
		mark(ev, 13, 1, "no deprecated security headers", fd);
	}
}

/* Headers the final page sets but the error page lacks. */
static void eval_error_page(struct eval *ev, const struct done *fd,
                            const struct done *nf)
{
	static const char *const hdrs[] = {
	    "Content-Security-Policy", "X-Content-Type-Options",
	    "X-Frame-Options", "Strict-Transport-Security", "Referrer-Policy"};
	static const int reqs[] = {3, 5, 4, 2, 6};
	char item[80], obs[200];
	size_t i;

	if (nf == NULL || !nf->ok)
		return;
	for (i = 0; i < CX_ARRAY_LEN(hdrs); i++) {
		if (http_head_get(&fd->head, hdrs[i]) == NULL ||
		    http_head_get(&nf->head, hdrs[i]) != NULL)
			continue;
		snprintf(item, sizeof(item), "%s@error-page", hdrs[i]);
		snprintf(obs, sizeof(obs),
		         "%s is set on the page but not on the error page "
		         "(status %d)",
		         hdrs[i], nf->head.status);
		prob(ev, reqs[i], item, CX_CONFIRMED, nf,
		     "Security header missing on the error page", obs);
	}
}

static void eval_cors(struct eval *ev, struct score_result *sc)
{
	static const int kinds[] = {K_CORS_GET_RAND, K_CORS_GET_NULL,
	                            K_CORS_OPT_RAND, K_CORS_OPT_NULL};
	const struct done *d;
	const char *acao, *acac;
	size_t i;
	int any = 0, universal = 0, restricted = 0, public_ = 0, ok = 0;
	char item[80], obs[300];

	for (i = 0; i < CX_ARRAY_LEN(kinds); i++) {
		d = find_kind(ev->r, kinds[i]);
		if (d == NULL || !d->ok)
			continue;
		ok = 1;
		acao = http_head_get(&d->head, "Access-Control-Allow-Origin");
		acac =
		    http_head_get(&d->head, "Access-Control-Allow-Credentials");
		if (acao == NULL)
			continue;
		any = 1;
		if (strcmp(acao, "*") == 0) {
			public_ = 1;
			continue;
		}
		if (d->req->tag != NULL && cx_strcaseeq(acao, d->req->tag)) {
			/* A reflected origin counts as universal access (as in
			 * the Observatory) only with credentials. */
			if (acac == NULL || !cx_strcaseeq(acac, "true")) {
				restricted = 1;
			} else {
				universal = 1;
				snprintf(item, sizeof(item), "Origin:%s:%s",
				         strcmp(d->req->tag, "null") == 0
				             ? "null"
				             : "reflected",
				         d->req->method);
				snprintf(obs, sizeof(obs),
				         "%s with Origin: %.60s answered "
				         "Access-Control-Allow-Origin: %.60s "
				         "and Allow-Credentials: true",
				         d->req->method, d->req->tag, acao);
				prob(ev, 8, item, CX_CONFIRMED, d,
				     "CORS reflects any origin with "
				     "credentials",
				     obs);
			}
		} else {
			restricted = 1;
		}
	}
	if (!ok) {
		mark(ev, 8, 2, "CORS probes not sent or not answered", NULL);
		return;
	}
	mark(ev, 8, 1,
	     any ? "CORS does not reflect arbitrary origins with "
	           "credentials"
	         : "no CORS headers for foreign origins",
	     NULL);
	sc->result[ST_CORS] =
	    universal    ? "cross-origin-resource-sharing-implemented-with-"
	                   "universal-access"
	    : restricted ? "cross-origin-resource-sharing-implemented-"
	                   "with-restricted-access"
	    : public_    ? "cross-origin-resource-sharing-implemented-with-"
	                   "public-access"
	                 : "cross-origin-resource-sharing-not-implemented";
}

static void eval_disclosure(struct eval *ev, const struct done *fd,
                            const struct html_info *html)
{
	static const char *const hdrs[] = {
	    "X-Powered-By",    "X-AspNet-Version",  "X-AspNetMvc-Version",
	    "X-Generator",     "X-Runtime-Version", "X-Drupal-Cache",
	    "X-Backend-Server"};
	const struct done *nf = find_kind(ev->r, K_BASE1);
	const char *v;
	char obs[300];
	size_t i;

	v = http_head_get(&fd->head, "Server");
	if (v != NULL && has_digit(v)) {
		snprintf(obs, sizeof(obs), "Server: %.200s", v);
		prob(ev, 9, "Server", CX_CONFIRMED, fd,
		     "Server header discloses the software version", obs);
	}
	for (i = 0; i < CX_ARRAY_LEN(hdrs); i++) {
		v = http_head_get(&fd->head, hdrs[i]);
		if (v == NULL)
			continue;
		snprintf(obs, sizeof(obs), "%s: %.200s", hdrs[i], v);
		prob(ev, 9, hdrs[i], has_digit(v) ? CX_CONFIRMED : CX_INFERRED,
		     fd, "Header discloses the software stack", obs);
	}
	if (nf != NULL && nf->ok &&
	    has_version_token(nf->req->body.data, nf->req->body.len)) {
		snprintf(obs, sizeof(obs),
		         "error page (status %d) names a product version",
		         nf->head.status);
		prob(ev, 9, "error-page", CX_CONFIRMED, nf,
		     "Error page discloses the software version", obs);
	}
	if (html != NULL && html->generator != NULL &&
	    has_digit(html->generator)) {
		snprintf(obs, sizeof(obs),
		         "<meta name=\"generator\" "
		         "content=\"%.200s\">",
		         html->generator);
		prob(ev, 9, "meta-generator", CX_CONFIRMED, fd,
		     "Generator meta tag discloses the software version", obs);
	}
	if (nf == NULL || !nf->ok)
		mark(ev, 9, 2,
		     "the error page could not be fetched: versions in error "
		     "pages not checked",
		     NULL);
	else
		mark(ev, 9, 1,
		     "no version in Server, X-Powered-By, error page or "
		     "generator meta",
		     fd);
}

static int allow_has(const char *allow, const char *m)
{
	size_t k = strlen(m);
	const char *p = allow;

	while (p != NULL && *p) {
		while (*p == ' ' || *p == ',')
			p++;
		if (cx_strncaseeq(p, m, k) &&
		    (p[k] == '\0' || p[k] == ',' || p[k] == ' '))
			return 1;
		p = strchr(p, ',');
	}
	return 0;
}

static void eval_methods(struct eval *ev)
{
	static const char *const risky[] = {
	    "TRACE",     "TRACK", "PUT",  "DELETE", "PROPFIND",
	    "PROPPATCH", "MKCOL", "COPY", "MOVE",   "LOCK"};
	const struct done *d;
	const char *allow;
	char item[64], obs[300];
	size_t i;
	int checked = 0;

	d = find_kind(ev->r, K_OPTIONS);
	if (d != NULL && d->ok) {
		checked = 1;
		allow = http_head_get(&d->head, "Allow");
		if (allow == NULL)
			allow = http_head_get(&d->head, "Public");
		for (i = 0; allow != NULL && i < CX_ARRAY_LEN(risky); i++) {
			if (!allow_has(allow, risky[i]))
				continue;
			snprintf(item, sizeof(item), "Allow:%s", risky[i]);
			snprintf(obs, sizeof(obs), "OPTIONS Allow: %.200s",
			         allow);
			prob(ev, 10, item, CX_POTENTIAL, d,
			     "Server advertises a dangerous method", obs);
		}
	}
	for (i = 0; i < 2; i++) {
		d = find_kind(ev->r, i == 0 ? K_TRACE : K_TRACK);
		if (d == NULL || !d->ok)
			continue;
		checked = 1;
		if (d->head.status == 200 && d->req->tag != NULL &&
		    contains_ci(d->req->body.data, d->req->body.len,
		                d->req->tag)) {
			snprintf(obs, sizeof(obs),
			         "%s answered 200 and echoed the request",
			         d->req->method);
			prob(ev, 10, d->req->method, CX_CONFIRMED, d,
			     "TRACE/TRACK echoes requests (cross-site tracing)",
			     obs);
		}
	}
	d = find_kind(ev->r, K_PROPFIND);
	if (d != NULL && d->ok) {
		checked = 1;
		if (d->head.status == 207) {
			prob(ev, 10, "PROPFIND", CX_CONFIRMED, d,
			     "WebDAV enabled (PROPFIND answered 207)",
			     "PROPFIND answered 207 Multi-Status");
		}
	}
	for (i = 0; i < 2; i++) {
		d = find_kind(ev->r, i == 0 ? K_PUT : K_DELETE);
		if (d == NULL || !d->ok)
			continue;
		if (d->head.status == 200 || d->head.status == 201 ||
		    d->head.status == 204) {
			snprintf(obs, sizeof(obs), "%s %s answered %d",
			         d->req->method, d->req->tag ? d->req->tag : "",
			         d->head.status);
			prob(ev, 10, d->req->method, CX_CONFIRMED, d,
			     "Server accepts a state-changing method", obs);
		}
	}
	if (!checked)
		mark(ev, 10, 2, "method probes not sent or not answered", NULL);
	else
		mark(ev, 10, 1,
		     ev->r->st->ctx->opts->intrusive
		         ? "no TRACE/TRACK echo, no WebDAV, PUT/DELETE "
		           "refused"
		         : "no TRACE/TRACK echo, no WebDAV (PUT/DELETE not "
		           "probed without --intrusive)",
		     NULL);
}

static void eval_exposure(struct eval *ev, const struct done *fd,
                          const struct html_info *html)
{
	struct res *r = ev->r;
	const struct done *b1 = find_kind(r, K_BASE1);
	const struct done *b2 = find_kind(r, K_BASE2);
	char obs[300];
	size_t i, n_probed = 0;
	int base_ok = (b1 != NULL && b1->ok) || (b2 != NULL && b2->ok);

	if (fd->ok && validate(fd, V_LISTING)) {
		prob(ev, 11, "/", CX_CONFIRMED, fd,
		     "Directory listing on the start page",
		     "the start page is a directory listing");
	}
	if (html != NULL && html->title != NULL) {
		static const char *const defaults[] = {
		    "Welcome to nginx",
		    "Apache2 Debian Default Page",
		    "Apache2 Ubuntu Default Page",
		    "IIS Windows Server",
		    "Test Page for the Apache",
		    "It works!"};

		for (i = 0; i < CX_ARRAY_LEN(defaults); i++) {
			if (!contains_ci(html->title, strlen(html->title),
			                 defaults[i]))
				continue;
			snprintf(obs, sizeof(obs), "page title: %.200s",
			         html->title);
			prob(ev, 11, "default-page", CX_CONFIRMED, fd,
			     "Default web server page", obs);
			break;
		}
	}
	if (!base_ok) {
		mark(ev, 11, 2,
		     "soft-404 baseline could not be fetched, sensitive "
		     "paths not judged",
		     NULL);
		return;
	}
	for (i = 0; i < r->n_d; i++) {
		const struct done *d = &r->d[i];
		int hit;

		if (d->req->kind != K_EXPOSE && d->req->kind != K_ROBOTS_ENTRY)
			continue;
		if (!d->ok)
			continue;
		n_probed++;
		if (d->head.status != 200)
			continue;
		if (like_baseline(d, b1) || like_baseline(d, b2))
			continue;
		if (d->req->kind == K_EXPOSE) {
			hit = d->sens != NULL && validate(d, d->sens->v);
			if (!hit)
				continue;
			snprintf(obs, sizeof(obs), "%s answered 200: %s",
			         d->req->tag, d->sens->what);
			prob(ev, 11, d->req->tag, CX_CONFIRMED, d,
			     d->sens->v == V_LISTING
			         ? "Directory listing enabled"
			         : "Sensitive file or status page exposed",
			     obs);
		} else {
			snprintf(obs, sizeof(obs),
			         "%.200s (from robots.txt Disallow) answered "
			         "200%s",
			         d->req->tag,
			         validate(d, V_LISTING)
			             ? " with a directory listing"
			             : "");
			prob(ev, 11, d->req->tag, CX_POTENTIAL, d,
			     "Path hidden in robots.txt is reachable", obs);
		}
	}
	if (n_probed == 0) {
		mark(ev, 11, 2,
		     "sensitive path probes not sent or not answered", NULL);
		return;
	}
	snprintf(obs, sizeof(obs),
	         "%zu paths probed against a soft-404 baseline (status %d): "
	         "none exposed",
	         n_probed, b1 && b1->ok ? b1->head.status : b2->head.status);
	mark(ev, 11, 1, obs, NULL);
}

static int same_host_url(const char *url, const char *host)
{
	int https, port;
	char *h = NULL, *p = NULL;
	int same = 0;

	if (http_url_split(url, &https, &h, &port, &p) == CX_OK)
		same = cx_strcaseeq(h, host);
	free(h);
	free(p);
	return same;
}

static void eval_content(struct eval *ev, struct score_result *sc,
                         const struct done *fd, const struct html_info *html)
{
	struct res *r = ev->r;
	char item[240], obs[400];
	char *abs;
	size_t i;
	int n_ext = 0, ext_insecure = 0, ext_sri = 0, ext_nosri = 0;

	if (html == NULL) {
		mark(ev, 12, 3, "the final response is not HTML", fd);
		sc->result[ST_SRI] = "sri-not-implemented-response-not-html";
		return;
	}
	for (i = 0; i < html->n_scripts; i++) {
		const struct html_script *s = &html->scripts[i];

		if (s->src == NULL)
			continue;
		abs = http_url_resolve(r->final_url, s->src);
		if (abs == NULL)
			continue;
		if (r->final_https && strncmp(abs, "http:", 5) == 0) {
			snprintf(item, sizeof(item), "script:%.200s", s->src);
			snprintf(obs, sizeof(obs),
			         "https page loads script %.300s over http",
			         abs);
			prob(ev, 12, item, CX_CONFIRMED, fd,
			     "Mixed content: script loaded over HTTP", obs);
		}
		if (!same_host_url(abs, r->final_host)) {
			n_ext++;
			if (strncmp(abs, "http:", 5) == 0)
				ext_insecure = 1;
			if (s->has_integrity) {
				ext_sri++;
			} else {
				ext_nosri++;
				snprintf(item, sizeof(item), "sri:%.200s",
				         s->src);
				snprintf(obs, sizeof(obs),
				         "external script %.300s without "
				         "integrity attribute",
				         abs);
				prob(ev, 12, item, CX_CONFIRMED, fd,
				     "External script without Subresource "
				     "Integrity",
				     obs);
			}
			if (!r->final_https && strncmp(abs, "http:", 5) == 0) {
				snprintf(item, sizeof(item), "script:%.200s",
				         s->src);
				snprintf(obs, sizeof(obs),
				         "external script %.300s loaded over "
				         "http",
				         abs);
				prob(ev, 12, item, CX_CONFIRMED, fd,
				     "External script loaded over HTTP", obs);
			}
		}
		free(abs);
	}
	for (i = 0; i < html->n_forms; i++) {
		const struct html_form *f = &html->forms[i];
		int insecure;

		if (!f->has_password)
			continue;
		abs = f->action && f->action[0]
		          ? http_url_resolve(r->final_url, f->action)
		          : cx_strdup(r->final_url);
		insecure = abs == NULL ? !r->final_https
		                       : strncmp(abs, "http:", 5) == 0;
		if (insecure) {
			snprintf(obs, sizeof(obs),
			         "password form posts to %.300s",
			         abs ? abs : "(unparsable action)");
			prob(ev, 12, "password-form", CX_CONFIRMED, fd,
			     "Password form submitted over HTTP", obs);
		}
		free(abs);
	}
	mark(ev, 12, 1,
	     "no mixed content, external scripts with SRI, no "
	     "password forms over http",
	     fd);
	if (html->n_scripts == 0)
		sc->result[ST_SRI] =
		    "sri-not-implemented-but-no-scripts-loaded";
	else if (n_ext == 0)
		sc->result[ST_SRI] = ext_sri
		                         ? "sri-implemented-and-all-scripts-"
		                           "loaded-securely"
		                         : "sri-not-implemented-but-all-"
		                           "scripts-loaded-from-secure-"
		                           "origin";
	else if (ext_nosri)
		sc->result[ST_SRI] = ext_insecure
		                         ? "sri-not-implemented-and-external-"
		                           "scripts-not-loaded-securely"
		                         : "sri-not-implemented-but-external-"
		                           "scripts-loaded-securely";
	else
		sc->result[ST_SRI] = ext_insecure
		                         ? "sri-implemented-but-external-"
		                           "scripts-not-loaded-securely"
		                         : "sri-implemented-and-external-"
		                           "scripts-loaded-securely";
}

static void eval_sectxt(struct eval *ev)
{
	const struct done *d = find_kind(ev->r, K_SECTXT);
	const struct done *b1 = find_kind(ev->r, K_BASE1);

	if (d == NULL || !d->ok) {
		mark(ev, 14, 2, "security.txt request not sent or not answered",
		     NULL);
		return;
	}
	if (d->head.status == 200 && !like_baseline(d, b1) &&
	    contains_ci(d->req->body.data, d->req->body.len, "Contact:")) {
		mark(ev, 14, 1, "/.well-known/security.txt with Contact:", d);
		return;
	}
	prob(ev, 14, "/.well-known/security.txt", CX_CONFIRMED, d,
	     "No security.txt published",
	     "no /.well-known/security.txt with "
	     "a Contact: field");
}

/* A property whose value may hold bytes from the target. */
static void prop_text(struct cx_observation *o, const char *name,
                      const char *value)
{
	char *t = cx_text_from_bytes(value, strlen(value));

	if (t != NULL)
		cx_obs_prop(o, name, t);
	free(t);
}

static void props_head(struct cx_observation *o, const char *prefix,
                       const struct done *d)
{
	char *t, *clean;
	char name[64];
	size_t i, k;

	if (d == NULL)
		return;
	snprintf(name, sizeof(name), "%s.request", prefix);
	t = cx_asprintf("%s %s", d->req->method, d->req->url);
	if (t != NULL)
		prop_text(o, name, t);
	free(t);
	if (!d->ok) {
		t = cx_text_from_bytes(d->req->errbuf, strlen(d->req->errbuf));
		snprintf(name, sizeof(name), "%s.error", prefix);
		cx_obs_prop(o, name, t ? t : "");
		free(t);
		return;
	}
	/* The raw bytes are in the evidence; here CRs are dropped. */
	clean = malloc(d->req->head.len + 1);
	if (clean == NULL)
		return;
	for (i = 0, k = 0; i < d->req->head.len; i++)
		if (d->req->head.data[i] != '\r')
			clean[k++] = d->req->head.data[i];
	t = cx_text_from_bytes(clean, k);
	free(clean);
	if (t != NULL) {
		snprintf(name, sizeof(name), "%s.head", prefix);
		cx_obs_prop(o, name, t);
	}
	free(t);
}

/* Requirements judged once per origin: methods, exposure, security.txt. */
static int origin_wide(int req)
{
	return req == 10 || req == 11 || req == 14;
}

/*
 * An http resource that redirects to an https resource of the run is
 * judged there: it keeps only its own findings (the redirect, cookies set
 * over plain http); the rest is not applicable to it.  A resource whose
 * origin another resource already answers for drops the origin-wide ones.
 */
static int delegated_keeps(const struct res *r, const struct prob *p)
{
	size_t n;

	if (r->origin_owner != NULL && origin_wide(p->req))
		return 0;
	if (r->delegate == NULL || p->req == 1)
		return 1;
	n = p->item ? strlen(p->item) : 0;
	return p->req == 7 && n > 5 && strcmp(p->item + n - 5, ":http") == 0;
}

static void emit_all(struct eval *ev)
{
	struct res *r = ev->r;
	struct cx_check_ctx *ctx = r->st->ctx;
	size_t i;
	int req, has_fail;
	char method[512], *why;

	snprintf(method, sizeof(method),
	         "%ld HTTP requests (libcurl, HTTP/1.1, redirects followed "
	         "hop by hop inside the scope); soft-404 baseline; score %s",
	         r->used, HTTP_SCORE_ALGORITHM);
	for (i = 0; i < ev->n_p; i++) {
		struct prob *p = &ev->p[i];

		if (!delegated_keeps(r, p))
			continue;
		cx_emit(ctx, &(struct cx_emit){
		                 .check = CHECK_ID,
		                 .req = req_id(p->req),
		                 .asset = r->url,
		                 .item = p->item,
		                 .status = CX_FAIL,
		                 .certainty = p->cert,
		                 .title = p->title,
		                 .observed = p->observed,
		                 .method = method,
		                 .evidence = evidence(r, p->d),
		             });
	}
	for (req = 1; req <= N_REQ; req++) {
		has_fail = 0;
		for (i = 0; i < ev->n_p; i++)
			if (ev->p[i].req == req &&
			    delegated_keeps(r, &ev->p[i]))
				has_fail = 1;
		if (has_fail)
			continue;
		if (r->origin_owner != NULL && origin_wide(req)) {
			why = cx_asprintf("judged on %s (the same origin)",
			                  r->origin_owner);
			cx_emit(ctx, &(struct cx_emit){
			                 .check = CHECK_ID,
			                 .req = req_id(req),
			                 .asset = r->url,
			                 .status = CX_NOT_APPLICABLE,
			                 .observed = why,
			                 .method = method,
			             });
			free(why);
			continue;
		}
		if (r->delegate != NULL && req != 1 && req != 7) {
			why = cx_asprintf("judged on %s, where this resource "
			                  "redirects",
			                  r->delegate);
			cx_emit(ctx, &(struct cx_emit){
			                 .check = CHECK_ID,
			                 .req = req_id(req),
			                 .asset = r->url,
			                 .status = CX_NOT_APPLICABLE,
			                 .observed = why,
			                 .method = method,
			             });
			free(why);
			continue;
		}
		switch (ev->state[req]) {
		case 1:
			cx_emit(ctx,
			        &(struct cx_emit){
			            .check = CHECK_ID,
			            .req = req_id(req),
			            .asset = r->url,
			            .status = CX_PASS,
			            .observed =
			                r->delegate != NULL && req == 7
			                    ? "no cookies set over plain http"
			                    : ev->why[req],
			            .method = method,
			            .evidence = evidence(r, ev->pass_d[req]),
			        });
			break;
		case 3:
			cx_emit(ctx, &(struct cx_emit){
			                 .check = CHECK_ID,
			                 .req = req_id(req),
			                 .asset = r->url,
			                 .status = CX_NOT_APPLICABLE,
			                 .observed = ev->why[req],
			                 .method = method,
			             });
			break;
		default:
			cx_emit(ctx,
			        &(struct cx_emit){
			            .check = CHECK_ID,
			            .req = req_id(req),
			            .asset = r->url,
			            .status = CX_NOT_CHECKED,
			            .observed = ev->why[req] ? ev->why[req]
			                                     : "not evaluated",
			            .method = method,
			        });
			break;
		}
	}
}

static void eval_clear(struct eval *ev)
{
	size_t i;

	for (i = 0; i < ev->n_p; i++) {
		free(ev->p[i].item);
		free(ev->p[i].title);
		free(ev->p[i].observed);
	}
	free(ev->p);
	for (i = 0; i <= N_REQ; i++)
		free(ev->why[i]);
}

static void evaluate_unreachable(struct res *r)
{
	struct cx_check_ctx *ctx = r->st->ctx;
	const struct done *d = r->n_d > 0 ? &r->d[0] : NULL;
	struct cx_observation *o;
	char why[400];
	char *err = NULL;
	int req;

	if (d != NULL)
		err =
		    cx_text_from_bytes(d->req->errbuf, strlen(d->req->errbuf));
	snprintf(why, sizeof(why), "the resource could not be reviewed: %.300s",
	         err ? err : (r->chain_note ? r->chain_note : "no response"));
	free(err);
	for (req = 1; req <= N_REQ; req++)
		cx_emit(ctx, &(struct cx_emit){
		                 .check = CHECK_ID,
		                 .req = req_id(req),
		                 .asset = r->url,
		                 .status = CX_NOT_CHECKED,
		                 .observed = why,
		                 .method = "HTTP request to the resource",
		                 .evidence = evidence(r, d),
		             });
	o = cx_run_add_obs(ctx->run, "http-resource", r->url);
	if (o != NULL) {
		cx_obs_prop(o, "reachable", "false");
		cx_obs_prop(o, "error", why);
	}
}

static void evaluate(struct res *r)
{
	struct eval ev;
	struct score_result sc;
	const struct done *fd = final_done(r);
	struct html_info html;
	int is_html = 0, hsts;
	unsigned csp = 0;
	struct cx_observation *o;
	size_t i;
	char name[64], *line;

	if (fd == NULL || !fd->ok || r->final_url == NULL) {
		evaluate_unreachable(r);
		return;
	}
	memset(&ev, 0, sizeof(ev));
	memset(&sc, 0, sizeof(sc));
	memset(&html, 0, sizeof(html));
	ev.r = r;
	if (body_is_html(fd) && fd->req->body.data != NULL) {
		if (html_scan(fd->req->body.data, fd->req->body.len, &html) ==
		    CX_OK)
			is_html = 1;
	}
	eval_redirects(&ev, &sc);
	hsts = eval_hsts(&ev, &sc);
	eval_csp(&ev, &sc, fd, is_html ? &html : NULL, &csp);
	eval_xfo(&ev, &sc, fd, csp);
	eval_simple_headers(&ev, &sc, fd);
	eval_error_page(&ev, fd, find_kind(r, K_BASE1));
	eval_cookies(&ev, &sc, hsts);
	eval_cors(&ev, &sc);
	eval_disclosure(&ev, fd, is_html ? &html : NULL);
	eval_methods(&ev);
	eval_exposure(&ev, fd, is_html ? &html : NULL);
	eval_content(&ev, &sc, fd, is_html ? &html : NULL);
	eval_sectxt(&ev);
	if (r->budget_hit) {
		/* Whatever was not requested is not judged as a pass. */
		for (i = 1; i <= N_REQ; i++) {
			char *why;

			if (ev.state[i] == 0)
				mark(&ev, (int)i, 2, "not evaluated", NULL);
			if (ev.state[i] != 2)
				continue;
			why = cx_asprintf(
			    "%s: the request budget of %ld "
			    "requests per resource was exhausted",
			    ev.why[i] ? ev.why[i] : "not evaluated", r->budget);
			if (why != NULL) {
				free(ev.why[i]);
				ev.why[i] = why;
			}
		}
	}
	score_compute(&sc);
	emit_all(&ev);

	o = cx_run_add_obs(r->st->ctx->run, "http-resource", r->url);
	if (o != NULL) {
		cx_obs_prop(o, "reachable", "true");
		prop_text(o, "final-url", r->final_url);
		cx_obs_propf(o, "hops", "%zu", r->n_chain);
		for (i = 0; i < r->n_chain; i++) {
			const struct done *d = &r->d[r->chain[i]];
			const char *loc = http_head_get(&d->head, "Location");
			char *t =
			    loc ? cx_text_from_bytes(loc, strlen(loc)) : NULL;

			snprintf(name, sizeof(name), "hop.%zu", i + 1);
			line = cx_asprintf("%d %s%s%s", d->head.status,
			                   d->req->url, t ? " -> " : "",
			                   t ? t : "");
			if (line != NULL)
				prop_text(o, name, line);
			free(line);
			free(t);
			snprintf(name, sizeof(name), "hop.%zu", i + 1);
			props_head(o, name, d);
		}
		if (r->chain_note != NULL)
			cx_obs_prop(o, "chain-note", r->chain_note);
		if (r->offsite != NULL)
			prop_text(o, "redirect-other-host", r->offsite);
		props_head(o, "error-page", find_kind(r, K_BASE1));
		cx_obs_prop(o, "score-algorithm", HTTP_SCORE_ALGORITHM);
		cx_obs_propf(o, "score", "%d", sc.score);
		cx_obs_prop(o, "grade", sc.grade);
		for (i = 0; i < ST__COUNT; i++) {
			snprintf(name, sizeof(name), "test.%s",
			         score_test_name((enum score_test)i));
			cx_obs_propf(o, name, "%s (%+d)",
			             sc.result[i] ? sc.result[i] : "not-run",
			             sc.modifier[i]);
		}
		cx_obs_propf(o, "requests", "%ld", r->used);
		cx_obs_propf(o, "budget", "%ld", r->budget);
		cx_obs_propf(o, "seconds", "%.3f",
		             (double)(r->t1 - r->t0) / 1000.0);
	}
	html_info_clear(&html);
	eval_clear(&ev);
}

/* Resource list. */

static int add_res(struct state *st, const char *url)
{
	struct res *r;
	size_t i;
	char *host = NULL, *path = NULL;
	int https, port, rc;

	rc = http_url_split(url, &https, &host, &port, &path);
	if (rc != CX_OK)
		return rc;
	/* The same resource written two ways ("https://a/" from the scope,
	 * "https://a:443/" from the port scan) is reviewed once. */
	for (i = 0; i < st->n_res; i++) {
		const struct res *o = st->res[i];

		if (o->https == https && o->port == port &&
		    cx_strcaseeq(o->host, host) && strcmp(o->path, path) == 0) {
			free(host);
			free(path);
			return CX_OK;
		}
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		free(host);
		free(path);
		return CX_ENOMEM;
	}
	r->st = st;
	r->url = cx_strdup(url);
	r->path = path;
	r->host = host;
	r->https = https;
	r->port = port;
	r->budget =
	    st->ctx->opts->http_budget > 0 ? st->ctx->opts->http_budget : 200;
	random_hex(r->rnd, 32);
	if (r->url == NULL ||
	    cx_grow(&st->res, &st->cap_res, st->n_res + 1, sizeof(*st->res))) {
		res_free(r);
		return CX_ENOMEM;
	}
	st->res[st->n_res++] = r;
	return CX_OK;
}

/* The first declared host name resolving to addr, or NULL.  Borrowed. */
static const char *name_for(const struct cx_scope *s, const struct cx_addr *a)
{
	size_t i;

	for (i = 0; i < s->n_blocks; i++)
		if (s->blocks[i].hostname != NULL &&
		    cx_addr_cmp(&s->blocks[i].first, a) == 0 &&
		    cx_addr_cmp(&s->blocks[i].last, a) == 0)
			return s->blocks[i].hostname;
	return NULL;
}

static int collect(struct state *st)
{
	const struct cx_scope *s = st->ctx->scope;
	const struct cx_run *run = st->ctx->run;
	struct cx_addr a;
	const char *name;
	char *u;
	size_t i;
	int rc, https;

	for (i = 0; s != NULL && i < s->n_urls; i++) {
		rc = add_res(st, s->urls[i]);
		if (rc == CX_ENOMEM)
			return rc;
	}
	for (i = 0; i < run->n_ports; i++) {
		const struct cx_port_obs *p = &run->ports[i];

		if (p->state != CX_PORT_OPEN || p->proto == NULL ||
		    strcmp(p->proto, "tcp") != 0)
			continue;
		if (p->service != NULL && cx_strcaseeq(p->service, "https"))
			https = 1;
		else if (p->tls && p->inner != NULL &&
		         cx_strcaseeq(p->inner, "http"))
			https = 1;
		else if (p->service != NULL && cx_strcaseeq(p->service, "http"))
			https = p->tls ? 1 : 0;
		else
			continue;
		if (cx_addr_parse(p->addr, &a) != CX_OK)
			continue;
		name = s ? name_for(s, &a) : NULL;
		u = origin_url(https, name ? name : p->addr, p->port, "/");
		if (u == NULL)
			return CX_ENOMEM;
		rc = add_res(st, u);
		free(u);
		if (rc == CX_ENOMEM)
			return rc;
	}
	return CX_OK;
}

/* Mark http resources whose chain ends on another resource of the run. */
static void link_delegates(struct state *st)
{
	size_t i, j;

	for (i = 0; i < st->n_res; i++) {
		struct res *r = st->res[i];

		if (r->https || r->final_url == NULL || !r->final_https)
			continue;
		for (j = 0; j < st->n_res; j++) {
			const struct res *o = st->res[j];

			if (o == r || !o->https || o->port != r->final_port ||
			    !cx_strcaseeq(o->host, r->final_host))
				continue;
			r->delegate = cx_strdup(o->url);
			break;
		}
	}
	/* Methods, exposed paths and security.txt belong to an origin: the
	 * first resource on it answers for the others. */
	for (i = 0; i < st->n_res; i++) {
		struct res *r = st->res[i];

		if (r->delegate != NULL || r->final_url == NULL)
			continue;
		for (j = 0; j < i; j++) {
			const struct res *o = st->res[j];

			if (o->delegate != NULL || o->origin_owner != NULL ||
			    o->final_url == NULL ||
			    o->final_https != r->final_https ||
			    o->final_port != r->final_port ||
			    !cx_strcaseeq(o->final_host, r->final_host))
				continue;
			r->origin_owner = cx_strdup(o->url);
			break;
		}
	}
}

static void guard_cb(struct cx_loop *loop, struct cx_timer *t)
{
	struct state *st = t->arg;

	st->guard_fired = 1;
	cx_loop_stop(loop);
}

static int http_run(struct cx_check_ctx *ctx)
{
	struct state st;
	struct cx_loop *own = NULL;
	size_t i, started = 0;
	int rc = CX_OK, max_inflight, pass;
	long timeout;

	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	if (ctx->scope == NULL || ctx->opts == NULL || ctx->run == NULL)
		return CX_EINVAL; /* nothing may be contacted without a scope */
	rc = collect(&st);
	if (rc != CX_OK)
		goto out;
	if (st.n_res == 0)
		goto out;
	st.loop = ctx->loop;
	if (st.loop == NULL) {
		rc = cx_loop_new(&own);
		if (rc != CX_OK)
			goto out;
		st.loop = own;
	}
	max_inflight = ctx->opts->max_inflight > 0 &&
	                       ctx->opts->max_inflight < MAX_INFLIGHT
	                   ? ctx->opts->max_inflight
	                   : MAX_INFLIGHT;
	timeout = ctx->opts->probe_timeout_ms > 0 ? ctx->opts->probe_timeout_ms
	                                          : 2000;
	rc = http_fetcher_new(st.loop, max_inflight, timeout,
	                      ctx->opts->connect_timeout_ms, BODY_MAX, &st.f);
	if (rc != CX_OK)
		goto out;
	for (i = 0; i < st.n_res; i++) {
		struct res *r = st.res[i];

		r->t0 = cx_now_ms();
		if (scope_addr(ctx->scope, r->host, &r->addr) != CX_OK) {
			/* A declared URL whose host is not in the scope. */
			r->chain_note = cx_strdup("host not inside the scope");
			r->phase = P_DONE;
			r->t1 = r->t0;
			evaluate_unreachable(r);
			r->evaluated = 1;
			st.n_finished++;
			continue;
		}
		r->issuing++;
		if (issue(r, K_CHAIN, "GET", r->url, &r->addr, NULL, NULL,
		          NULL) == CX_OK)
			started++;
		r->issuing--;
		if (r->pending == 0 && r->phase != P_DONE)
			advance(r);
	}
	if (st.n_finished < st.n_res) {
		/* A global deadline: every request has its own timeout, this
		 * only guards against a bug keeping the loop alive. */
		cx_timer_init(&st.guard, guard_cb, &st);
		cx_timer_start(st.loop, &st.guard,
		               (uint64_t)timeout * 2 * (MAX_HOPS + 4) + 5000);
		rc = cx_loop_run(st.loop);
		cx_timer_stop(st.loop, &st.guard);
	}
	/* Resources not finished (interrupt, guard): not checked. */
	for (i = 0; i < st.n_res; i++) {
		struct res *r = st.res[i];

		if (r->phase == P_DONE)
			continue;
		r->phase = P_DONE;
		free(r->chain_note);
		r->chain_note = cx_strdup(rc == CX_EINTR ? "interrupted"
		                                         : "check deadline "
		                                           "reached");
		evaluate_unreachable(r);
		r->evaluated = 1;
	}
	link_delegates(&st);
	/* http resources first: the https ones they lead to use their
	 * redirect result. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < st.n_res; i++) {
			struct res *r = st.res[i];

			if (r->evaluated || r->https != pass)
				continue;
			evaluate(r);
			r->evaluated = 1;
		}
	}
	(void)started;
out:
	http_fetcher_free(st.f);
	for (i = 0; i < st.n_res; i++)
		res_free(st.res[i]);
	free(st.res);
	cx_loop_free(own);
	return rc == CX_EINTR ? CX_EINTR : rc;
}

const struct cx_check cx_check_http = {
    .id = "http",
    .title = "HTTP security of every web resource",
    .block = "web",
    .flags = CX_CHECK_NETWORK,
    .run = http_run,
};
