/*
 * certexam — http evaluators for what a server gives away: version
 * disclosure (headers, error page, generator), the methods it accepts
 * (OPTIONS, TRACE, TRACK, PROPFIND, PUT/DELETE), well-known sensitive
 * paths and robots.txt entries (each compared with the soft-404
 * baselines and checked by a content validator), and security.txt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/escape.h"
#include "certexam/util.h"
#include "http_int.h"

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
		return http_contains_ci(s, n, "[core]");
	case V_ENV:
		if (http_body_is_html(d))
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
		return http_contains_ci(s, n, "Apache Server Status") ||
		       http_contains_ci(s, n, "Server Version:");
	case V_NGINX_STATUS:
		return n >= 19 && http_contains_ci(s, n < 64 ? n : 64,
		                                   "Active connections:");
	case V_PHPINFO:
		return http_contains_ci(s, n, "phpinfo()") ||
		       http_contains_ci(s, n, "<title>PHP ");
	case V_ARCHIVE:
		return (n >= 4 && memcmp(s, "PK\x03\x04", 4) == 0) ||
		       (n >= 2 && (unsigned char)s[0] == 0x1f &&
		        (unsigned char)s[1] == 0x8b);
	case V_SQL:
		return !http_body_is_html(d) &&
		       (http_contains_ci(s, n, "CREATE TABLE") ||
		        http_contains_ci(s, n, "INSERT INTO") ||
		        http_contains_ci(s, n, "database dump"));
	case V_PHP_SOURCE:
		return http_contains_ci(s, n < 4096 ? n : 4096, "<?php");
	case V_DS_STORE:
		return n >= 8 && memcmp(s + 4, "Bud1", 4) == 0;
	case V_SVN:
		return !http_body_is_html(d) && n >= 2 && s[0] >= '0' &&
		       s[0] <= '9';
	case V_HTACCESS:
		return !http_body_is_html(d) &&
		       (http_contains_ci(s, n, "RewriteEngine") ||
		        http_contains_ci(s, n, "Require ") ||
		        http_contains_ci(s, n, "Deny from") ||
		        http_contains_ci(s, n, "AuthType"));
	case V_LISTING:
		return http_contains_ci(s, n, "<title>Index of /") ||
		       http_contains_ci(s, n, "Directory listing for");
	}
	return 0;
}

void http_eval_disclosure(struct eval *ev, const struct done *fd,
                          const struct html_info *html)
{
	static const char *const hdrs[] = {
	    "X-Powered-By",    "X-AspNet-Version",  "X-AspNetMvc-Version",
	    "X-Generator",     "X-Runtime-Version", "X-Drupal-Cache",
	    "X-Backend-Server"};
	const struct done *nf = http_find_kind(ev->r, K_BASE1);
	const char *v;
	char obs[300];
	size_t i;

	v = http_head_get(&fd->head, "Server");
	if (v != NULL && http_has_digit(v)) {
		snprintf(obs, sizeof(obs), "Server: %.200s", v);
		http_prob(ev, 9, "Server", CX_CONFIRMED, fd,
		          "web.disclosure.server", NULL, obs);
	}
	for (i = 0; i < CX_ARRAY_LEN(hdrs); i++) {
		v = http_head_get(&fd->head, hdrs[i]);
		if (v == NULL)
			continue;
		snprintf(obs, sizeof(obs), "%s: %.200s", hdrs[i], v);
		http_prob(ev, 9, hdrs[i],
		          http_has_digit(v) ? CX_CONFIRMED : CX_INFERRED, fd,
		          "web.disclosure.header", CX_ARGS("header", hdrs[i]),
		          obs);
	}
	if (nf != NULL && nf->ok &&
	    http_has_version_token(nf->req->body.data, nf->req->body.len)) {
		char status[16];

		snprintf(status, sizeof(status), "%d", nf->head.status);
		http_prob(ev, 9, "error-page", CX_CONFIRMED, nf,
		          "web.disclosure.error-page",
		          CX_ARGS("status", status), NULL);
	}
	if (html != NULL && html->generator != NULL &&
	    http_has_digit(html->generator)) {
		snprintf(obs, sizeof(obs),
		         "<meta name=\"generator\" "
		         "content=\"%.200s\">",
		         html->generator);
		http_prob(ev, 9, "meta-generator", CX_CONFIRMED, fd,
		          "web.disclosure.generator", NULL, obs);
	}
	if (nf == NULL || !nf->ok)
		http_mark(ev, 9, 2, "web.disclosure.nc-error-page", NULL, NULL);
	else
		http_mark(ev, 9, 1, "web.disclosure.pass", NULL, fd);
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

void http_eval_methods(struct eval *ev)
{
	static const char *const risky[] = {
	    "TRACE",     "TRACK", "PUT",  "DELETE", "PROPFIND",
	    "PROPPATCH", "MKCOL", "COPY", "MOVE",   "LOCK"};
	const struct done *d;
	const char *allow;
	char item[64], obs[300];
	size_t i;
	int checked = 0;

	d = http_find_kind(ev->r, K_OPTIONS);
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
			http_prob(ev, 10, item, CX_POTENTIAL, d,
			          "web.methods.advertised",
			          CX_ARGS("method", risky[i]), obs);
		}
	}
	for (i = 0; i < 2; i++) {
		d = http_find_kind(ev->r, i == 0 ? K_TRACE : K_TRACK);
		if (d == NULL || !d->ok)
			continue;
		checked = 1;
		if (d->head.status == 200 && d->req->tag != NULL &&
		    http_contains_ci(d->req->body.data, d->req->body.len,
		                     d->req->tag)) {
			http_prob(ev, 10, d->req->method, CX_CONFIRMED, d,
			          "web.methods.trace-echo",
			          CX_ARGS("method", d->req->method), NULL);
		}
	}
	d = http_find_kind(ev->r, K_PROPFIND);
	if (d != NULL && d->ok) {
		checked = 1;
		if (d->head.status == 207) {
			http_prob(ev, 10, "PROPFIND", CX_CONFIRMED, d,
			          "web.methods.webdav", NULL, NULL);
		}
	}
	for (i = 0; i < 2; i++) {
		d = http_find_kind(ev->r, i == 0 ? K_PUT : K_DELETE);
		if (d == NULL || !d->ok)
			continue;
		if (d->head.status == 200 || d->head.status == 201 ||
		    d->head.status == 204) {
			char status[16];

			snprintf(status, sizeof(status), "%d", d->head.status);
			http_prob(ev, 10, d->req->method, CX_CONFIRMED, d,
			          "web.methods.accepted",
			          CX_ARGS("method", d->req->method, "path",
			                  d->req->tag, "status", status),
			          NULL);
		}
	}
	if (!checked)
		http_mark(ev, 10, 2, "web.methods.nc-no-answer", NULL, NULL);
	else
		http_mark(ev, 10, 1,
		          ev->r->st->ctx->opts->intrusive
		              ? "web.methods.pass-intrusive"
		              : "web.methods.pass",
		          NULL, NULL);
}

void http_eval_exposure(struct eval *ev, const struct done *fd,
                        const struct html_info *html)
{
	struct res *r = ev->r;
	const struct done *b1 = http_find_kind(r, K_BASE1);
	const struct done *b2 = http_find_kind(r, K_BASE2);
	char obs[300];
	size_t i, n_probed = 0;
	int base_ok = (b1 != NULL && b1->ok) || (b2 != NULL && b2->ok);

	if (fd->ok && validate(fd, V_LISTING)) {
		http_prob(ev, 11, "/", CX_CONFIRMED, fd,
		          "web.exposure.listing-start", NULL, NULL);
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
			if (!http_contains_ci(html->title, strlen(html->title),
			                      defaults[i]))
				continue;
			snprintf(obs, sizeof(obs), "<title>%.200s</title>",
			         html->title);
			http_prob(ev, 11, "default-page", CX_CONFIRMED, fd,
			          "web.exposure.default-page", NULL, obs);
			/* Unconfigured, but it exposes no file or secret. */
			http_prob_at_most(ev, CX_SEV_MEDIUM);
			break;
		}
	}
	if (!base_ok) {
		http_mark(ev, 11, 2, "web.exposure.nc-baseline", NULL, NULL);
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
		if (http_like_baseline(d, b1) || http_like_baseline(d, b2))
			continue;
		if (d->req->kind == K_EXPOSE) {
			hit = d->sens != NULL && validate(d, d->sens->v);
			if (!hit)
				continue;
			http_prob(ev, 11, d->req->tag, CX_CONFIRMED, d,
			          d->sens->v == V_LISTING
			              ? "web.exposure.listing"
			              : "web.exposure.sensitive",
			          CX_ARGS("path", d->req->tag), NULL);
		} else {
			http_prob(ev, 11, d->req->tag, CX_POTENTIAL, d,
			          validate(d, V_LISTING)
			              ? "web.exposure.robots-listing"
			              : "web.exposure.robots",
			          CX_ARGS("path", d->req->tag), NULL);
		}
	}
	if (n_probed == 0) {
		http_mark(ev, 11, 2, "web.exposure.nc-no-answer", NULL, NULL);
		return;
	}
	{
		char count[24], status[16];

		snprintf(count, sizeof(count), "%zu", n_probed);
		snprintf(status, sizeof(status), "%d",
		         b1 && b1->ok ? b1->head.status : b2->head.status);
		http_mark(ev, 11, 1, "web.exposure.pass",
		          CX_ARGS("count", count, "status", status), NULL);
	}
}

void http_eval_sectxt(struct eval *ev)
{
	const struct done *d = http_find_kind(ev->r, K_SECTXT);
	const struct done *b1 = http_find_kind(ev->r, K_BASE1);

	if (d == NULL || !d->ok) {
		http_mark(ev, 14, 2, "web.sectxt.nc-no-answer", NULL, NULL);
		return;
	}
	if (d->head.status == 200 && !http_like_baseline(d, b1) &&
	    http_contains_ci(d->req->body.data, d->req->body.len, "Contact:")) {
		http_mark(ev, 14, 1, "web.sectxt.pass", NULL, d);
		return;
	}
	http_prob(ev, 14, "/.well-known/security.txt", CX_CONFIRMED, d,
	          "web.sectxt.missing", NULL, NULL);
	/* RFC 9116 is good practice, not a clause: a recommendation. */
	http_prob_at_most(ev, CX_SEV_INFO);
}
