/*
 * certexam — the http check's request state machine.
 *
 * Per resource, on the shared event loop (libcurl multi through
 * http_fetch.c), in three phases:
 *   1. the redirect chain, hop by hop, each hop's target checked against
 *      the scope before it is requested;
 *   2. probes against the final origin: two soft-404 baselines (also the
 *      error page), CORS with a random Origin and with "null" on GET and
 *      OPTIONS, OPTIONS, TRACE, TRACK, PROPFIND (PUT/DELETE only when
 *      intrusive), security.txt and robots.txt;
 *   3. well-known sensitive paths and robots.txt entries.
 * Owns the request budget, the table of sensitive paths, and the lookups
 * of finished requests (by kind, the chain's final response) that the
 * evaluators use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/escape.h"
#include "certexam/util.h"
#include "certexam/loop.h"
#include "http_int.h"

#define PROBE_BODY_MAX (64 * 1024)
#define MAX_ROBOTS     10

const struct sensitive http_sensitive_paths[] = {
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
const size_t http_n_sensitive =
    sizeof(http_sensitive_paths) / sizeof(http_sensitive_paths[0]);

char *http_origin_url(int https, const char *host, int port, const char *path)
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
int http_scope_addr(const struct cx_scope *s, const char *host,
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

static void on_done(struct http_req *req);

/* Start one request for r; CX_ELIMIT when the budget is spent. */
int http_issue(struct res *r, int kind, const char *method, const char *url,
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
		r->chain_msg = "web.nc.chain.too-many";
		return;
	}
	next = http_url_resolve(d->req->url, loc);
	if (next == NULL ||
	    http_url_split(next, &https, &host, &port, &path) != CX_OK) {
		r->chain_note =
		    cx_strdup("Location is not a valid http(s) URL");
		r->chain_msg = "web.nc.chain.bad-location";
		goto out;
	}
	if (!cx_strcaseeq(host, r->host) && r->offsite == NULL)
		r->offsite = cx_strdup(next);
	if (http_scope_addr(r->st->ctx->scope, host, &a) != CX_OK) {
		r->chain_note = cx_asprintf(
		    "redirect to a host outside the scope, not followed");
		r->chain_msg = "web.nc.chain.off-scope";
		goto out;
	}
	if (http_issue(r, K_CHAIN, "GET", next, &a, NULL, NULL, NULL) !=
	    CX_OK) {
		r->chain_note = cx_strdup("request budget exhausted");
		r->chain_msg = "web.nc.chain.budget";
	}
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
	/* Header lines past the fetcher's 64 KiB were dropped, not stored:
	 * the parsed head is incomplete (a 100 KB Set-Cookie is gone). */
	if (d->ok && req->head_truncated)
		d->head.truncated = 1;
	if (req->kind == K_EXPOSE && req->tag != NULL) {
		size_t i;

		for (i = 0; i < http_n_sensitive; i++)
			if (strcmp(http_sensitive_paths[i].path, req->tag) == 0)
				d->sens = &http_sensitive_paths[i];
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
		http_issue(r, K_DELETE, "DELETE", req->url, &req->addr,
		           req->tag, NULL, NULL);
		r->issuing--;
	}
out:
	if (r->pending == 0 && !r->issuing)
		http_advance(r);
}

const struct done *http_find_kind(const struct res *r, int kind)
{
	size_t i;

	for (i = 0; i < r->n_d; i++)
		if (r->d[i].req->kind == kind)
			return &r->d[i];
	return NULL;
}

const struct done *http_final_done(const struct res *r)
{
	if (r->n_chain == 0)
		return NULL;
	return &r->d[r->chain[r->n_chain - 1]];
}

static int set_final(struct res *r)
{
	const struct done *fd = http_final_done(r);
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
	u = p ? http_origin_url(https, host, port, p) : NULL;
	if (u != NULL)
		http_issue(r, K_BASE1, "GET", u, a, p, NULL, NULL);
	free(u);
	free(p);
	p = cx_asprintf("/.certexam-%.16s", r->rnd + 16);
	u = p ? http_origin_url(https, host, port, p) : NULL;
	if (u != NULL)
		http_issue(r, K_BASE2, "GET", u, a, p, NULL, NULL);
	free(u);
	free(p);
	http_issue(r, K_CORS_GET_RAND, "GET", r->final_url, a, origin + 8,
	           origin, NULL);
	http_issue(r, K_CORS_GET_NULL, "GET", r->final_url, a, "null",
	           "Origin: null", NULL);
	http_issue(r, K_CORS_OPT_RAND, "OPTIONS", r->final_url, a, origin + 8,
	           origin, "Access-Control-Request-Method: GET");
	http_issue(r, K_CORS_OPT_NULL, "OPTIONS", r->final_url, a, "null",
	           "Origin: null", "Access-Control-Request-Method: GET");
	http_issue(r, K_OPTIONS, "OPTIONS", r->final_url, a, NULL, NULL, NULL);
	h1 = cx_asprintf("X-Certexam-Trace: %.16s", r->rnd);
	if (h1 != NULL) {
		http_issue(r, K_TRACE, "TRACE", r->final_url, a, h1 + 18, h1,
		           NULL);
		http_issue(r, K_TRACK, "TRACK", r->final_url, a, h1 + 18, h1,
		           NULL);
	}
	free(h1);
	http_issue(r, K_PROPFIND, "PROPFIND", r->final_url, a, NULL, "Depth: 0",
	           NULL);
	u = http_origin_url(https, host, port, "/.well-known/security.txt");
	if (u != NULL)
		http_issue(r, K_SECTXT, "GET", u, a, NULL, NULL, NULL);
	free(u);
	if (https)
		/* BREACH needs a compressed answer: ask for it once. */
		http_issue(r, K_COMPRESS, "GET", r->final_url, a, NULL,
		           "Accept-Encoding: gzip, deflate, br", NULL);
	u = http_origin_url(https, host, port, "/robots.txt");
	if (u != NULL)
		http_issue(r, K_ROBOTS, "GET", u, a, NULL, NULL, NULL);
	free(u);
	if (o->intrusive) {
		p = cx_asprintf("/certexam-put-%.16s.txt", r->rnd);
		u = p ? http_origin_url(https, host, port, p) : NULL;
		if (u != NULL) {
			/* DELETE follows when PUT has answered (on_done),
			 * so that whatever PUT stored is removed again. */
			http_issue(r, K_PUT, "PUT", u, a, p, NULL, NULL);
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
				for (i = 0; i < http_n_sensitive; i++)
					if (strcmp(http_sensitive_paths[i].path,
					           path) == 0)
						dup = 1;
				u = dup ? NULL
				        : http_origin_url(r->final_https,
				                          r->final_host,
				                          r->final_port, path);
				if (u != NULL) {
					http_issue(r, K_ROBOTS_ENTRY, "GET", u,
					           &r->final_addr, path, NULL,
					           NULL);
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

	for (i = 0; i < http_n_sensitive; i++) {
		u = http_origin_url(r->final_https, r->final_host,
		                    r->final_port,
		                    http_sensitive_paths[i].path);
		if (u == NULL)
			continue;
		http_issue(r, K_EXPOSE, "GET", u, &r->final_addr,
		           http_sensitive_paths[i].path, NULL, NULL);
		free(u);
	}
	issue_robots(r, http_find_kind(r, K_ROBOTS));
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

void http_advance(struct res *r)
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
