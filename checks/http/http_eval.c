/*
 * certexam — the http check's evaluation of one resource.
 *
 * Owns the driver that runs every evaluator family on a finished
 * resource (transport: http_eval_transport.c, headers and CSP:
 * http_eval_headers.c, cookies: http_eval_cookies.c, CORS:
 * http_eval_cors.c, disclosure, methods, exposure and security.txt:
 * http_eval_exposure.c, content: http_eval_content.c), the list of
 * problems and per-requirement states they fill (http_prob, http_mark),
 * and the small text helpers they share.  The results are recorded by
 * http_emit.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/escape.h"
#include "certexam/util.h"
#include "http_int.h"

void http_words_clear(struct words *w)
{
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(w->args); i++)
		free(w->args[i]);
	memset(w, 0, sizeof(*w));
}

void http_words_set(struct words *w, const char *msg, const char *const *args)
{
	size_t i, n = 0;

	http_words_clear(w);
	w->msg = msg;
	for (i = 0; args != NULL && args[i] != NULL && n < 2 * HTTP_MAX_ARGS;
	     i += 2) {
		if (args[i + 1] == NULL)
			continue;
		w->args[n] = cx_strdup(args[i]);
		w->args[n + 1] =
		    cx_text_from_bytes(args[i + 1], strlen(args[i + 1]));
		if (w->args[n] == NULL || w->args[n + 1] == NULL) {
			free(w->args[n]);
			free(w->args[n + 1]);
			w->args[n] = w->args[n + 1] = NULL;
			continue;
		}
		n += 2;
	}
}

void http_prob(struct eval *ev, int req, const char *item,
               enum cx_certainty cert, const struct done *d, const char *msg,
               const char *const *args, const char *observed)
{
	struct prob *p;

	if (cx_grow(&ev->p, &ev->cap_p, ev->n_p + 1, sizeof(*ev->p)) != CX_OK)
		return;
	p = &ev->p[ev->n_p];
	memset(p, 0, sizeof(*p));
	p->req = req;
	/* Items may hold names the target chose (cookies, script URLs). */
	p->item = item ? cx_text_from_bytes(item, strlen(item)) : NULL;
	http_words_set(&p->w, msg, args);
	p->observed =
	    observed ? cx_text_from_bytes(observed, strlen(observed)) : NULL;
	p->cert = cert;
	p->d = d;
	ev->n_p++;
	if (ev->state[req] == 0)
		ev->state[req] = 1;
}

void http_prob_at_most(struct eval *ev, enum cx_severity s)
{
	if (ev->n_p > 0)
		ev->p[ev->n_p - 1].at_most = CX_SEVERITY(s);
}

void http_prob_more(struct eval *ev, const struct done *d)
{
	struct prob *p;

	if (ev->n_p == 0 || d == NULL)
		return;
	p = &ev->p[ev->n_p - 1];
	if (p->n_more < HTTP_PROB_MORE)
		p->more[p->n_more++] = d;
}

void http_mark_raw(struct eval *ev, int req, int state, const char *msg,
                   const char *const *args, const char *raw,
                   const struct done *d)
{
	if (ev->state[req] == 1 && state != 1)
		return; /* a problem already found stays */
	ev->state[req] = state;
	if (msg != NULL) {
		http_words_set(&ev->why[req], msg, args);
		free(ev->why_raw[req]);
		ev->why_raw[req] =
		    raw ? cx_text_from_bytes(raw, strlen(raw)) : NULL;
	}
	if (d != NULL)
		ev->pass_d[req] = d;
}

void http_mark(struct eval *ev, int req, int state, const char *msg,
               const char *const *args, const struct done *d)
{
	http_mark_raw(ev, req, state, msg, args, NULL, d);
}

int http_contains_ci(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	if (s == NULL || n < k)
		return 0;
	for (i = 0; i + k <= n; i++)
		if (cx_strncaseeq(s + i, needle, k))
			return 1;
	return 0;
}

int http_has_digit(const char *s)
{
	for (; s && *s; s++)
		if (*s >= '0' && *s <= '9')
			return 1;
	return 0;
}

/* "product/1.2" style version text in s[0..n). */
int http_has_version_token(const char *s, size_t n)
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

int http_like_baseline(const struct done *probe, const struct done *base)
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

int http_body_is_html(const struct done *d)
{
	const char *ct = http_head_get(&d->head, "Content-Type");

	if (ct != NULL && http_contains_ci(ct, strlen(ct), "html"))
		return 1;
	return http_contains_ci(d->req->body.data,
	                        d->req->body.len < 512 ? d->req->body.len : 512,
	                        "<html");
}

void http_eval_clear(struct eval *ev)
{
	size_t i;

	for (i = 0; i < ev->n_p; i++) {
		free(ev->p[i].item);
		http_words_clear(&ev->p[i].w);
		free(ev->p[i].observed);
	}
	free(ev->p);
	for (i = 0; i <= N_REQ; i++) {
		http_words_clear(&ev->why[i]);
		free(ev->why_raw[i]);
	}
	http_words_clear(&ev->breach.w);
	free(ev->breach.observed);
}

void http_evaluate(struct res *r)
{
	struct eval ev;
	struct score_result sc;
	const struct done *fd = http_final_done(r);
	struct html_info html;
	int is_html = 0, hsts;
	unsigned csp = 0;
	size_t i;

	if (fd == NULL || !fd->ok || r->final_url == NULL) {
		http_evaluate_unreachable(r, NULL);
		return;
	}
	/* A final head cut at a line or field limit hides headers: nothing
	 * on it can be judged, and none of it is a pass. */
	if (fd->head.truncated) {
		http_evaluate_unreachable(r, "web.nc.header-too-large");
		return;
	}
	memset(&ev, 0, sizeof(ev));
	memset(&sc, 0, sizeof(sc));
	memset(&html, 0, sizeof(html));
	ev.r = r;
	if (http_body_is_html(fd) && fd->req->body.data != NULL) {
		if (html_scan(fd->req->body.data, fd->req->body.len, &html) ==
		    CX_OK)
			is_html = 1;
	}
	http_eval_redirects(&ev, &sc);
	hsts = http_eval_hsts(&ev, &sc);
	http_eval_csp(&ev, &sc, fd, is_html ? &html : NULL, &csp);
	http_eval_xfo(&ev, &sc, fd, csp);
	http_eval_simple_headers(&ev, &sc, fd);
	http_eval_error_page(&ev, fd, http_find_kind(r, K_BASE1));
	http_eval_cookies(&ev, &sc, hsts);
	http_eval_cors(&ev, &sc);
	http_eval_disclosure(&ev, fd, is_html ? &html : NULL);
	http_eval_methods(&ev);
	http_eval_exposure(&ev, fd, is_html ? &html : NULL);
	http_eval_content(&ev, &sc, fd, is_html ? &html : NULL);
	http_eval_sectxt(&ev);
	http_eval_breach(&ev, fd, is_html ? &html : NULL);
	if (r->budget_hit) {
		/* Whatever was not requested is not judged as a pass. */
		char budget[24];

		snprintf(budget, sizeof(budget), "%ld", r->budget);
		for (i = 1; i <= N_REQ; i++) {
			if (ev.state[i] == 0 || ev.state[i] == 2)
				http_mark(&ev, (int)i, 2, "web.nc.budget",
				          CX_ARGS("budget", budget), NULL);
		}
	}
	score_compute(&sc);
	http_emit_resource(&ev, &sc);
	html_info_clear(&html);
	http_eval_clear(&ev);
}
