/*
 * certexam — http evaluators for the transport: the redirect chain
 * (http to https, on the same host first) and HSTS on the first https
 * response of the chain, and BREACH (HTTP compression of an https page
 * that carries secrets, recorded as TLS-09 item "breach").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/escape.h"
#include "certexam/util.h"
#include "http_int.h"

void http_eval_redirects(struct eval *ev, struct score_result *sc)
{
	struct res *r = ev->r;
	const struct done *first = &r->d[r->chain[0]];
	const struct done *second = r->n_chain > 1 ? &r->d[r->chain[1]] : NULL;
	char obs[512];
	int https2 = 0, port2 = 0;
	char *host2 = NULL, *path2 = NULL;

	if (r->https) {
		if (!r->final_https) {
			http_prob(ev, 1, "redirect-to-http", CX_CONFIRMED,
			          http_final_done(r), "web.redirect.to-http",
			          CX_ARGS("url", r->final_url), NULL);
			sc->result[ST_REDIRECTION] = "redirection-not-to-https";
		} else {
			http_mark(ev, 1, 1, "web.redirect.pass-https", NULL,
			          first);
			/* Set by the first http resource delegating here
			 * (http resources are evaluated first). */
			sc->result[ST_REDIRECTION] =
			    r->sibling_redirection
			        ? r->sibling_redirection
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

		http_prob(ev, 1,
		          off_https ? "redirect-off-host"
		                    : "redirect-not-to-https",
		          CX_CONFIRMED, first,
		          off_https ? "web.redirect.off-scope-https"
		                    : "web.redirect.off-scope-http",
		          CX_ARGS("url", r->offsite), NULL);
		sc->result[ST_REDIRECTION] =
		    off_https ? "redirection-off-host-from-http"
		              : "redirection-not-to-https";
	} else if (!r->final_https) {
		snprintf(obs, sizeof(obs), "%d",
		         http_final_done(r)->head.status);
		http_prob(ev, 1,
		          r->n_chain > 1 ? "redirect-not-to-https"
		                         : "redirect-missing",
		          CX_CONFIRMED, http_final_done(r),
		          r->n_chain > 1 ? "web.redirect.not-to-https"
		                         : "web.redirect.missing",
		          CX_ARGS("url", r->final_url, "status", obs), NULL);
		sc->result[ST_REDIRECTION] = r->n_chain > 1
		                                 ? "redirection-not-to-https"
		                                 : "redirection-missing";
	} else if (!https2) {
		http_prob(ev, 1, "initial-redirect-not-https", CX_CONFIRMED,
		          first, "web.redirect.first-not-https",
		          CX_ARGS("url", second ? second->req->url : "?"),
		          NULL);
		sc->result[ST_REDIRECTION] =
		    "redirection-not-to-https-on-initial-redirection";
	} else if (host2 == NULL || !cx_strcaseeq(host2, r->host)) {
		http_prob(ev, 1, "redirect-off-host", CX_CONFIRMED, first,
		          "web.redirect.off-host",
		          CX_ARGS("url", second->req->url), NULL);
		sc->result[ST_REDIRECTION] = "redirection-off-host-from-http";
	} else {
		http_mark(ev, 1, 1, "web.redirect.pass",
		          CX_ARGS("url", second->req->url), first);
		sc->result[ST_REDIRECTION] = "redirection-to-https";
	}
	r->redirection = sc->result[ST_REDIRECTION];
	if (r->delegate_res != NULL &&
	    r->delegate_res->sibling_redirection == NULL)
		r->delegate_res->sibling_redirection = r->redirection;
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

int http_eval_hsts(struct eval *ev, struct score_result *sc)
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
		http_prob(ev, 2, "Strict-Transport-Security", CX_CONFIRMED,
		          http_final_done(r), "web.hsts.no-https", NULL, NULL);
		sc->result[ST_HSTS] = "hsts-not-implemented-no-https";
		return 0;
	}
	v = http_head_get(&d->head, "Strict-Transport-Security");
	if (v == NULL) {
		http_prob(ev, 2, "Strict-Transport-Security", CX_CONFIRMED, d,
		          "web.hsts.missing", NULL, NULL);
		sc->result[ST_HSTS] = "hsts-not-implemented";
		return 0;
	}
	http_hsts_parse(v, &h);
	if (!h.valid) {
		snprintf(obs, sizeof(obs), "Strict-Transport-Security: %.200s",
		         v);
		http_prob(ev, 2, "Strict-Transport-Security:invalid",
		          CX_CONFIRMED, d, "web.hsts.invalid", NULL, obs);
		sc->result[ST_HSTS] = "hsts-header-invalid";
		return 0;
	}
	sc->result[ST_HSTS] = h.max_age >= 15768000
	                          ? "hsts-implemented-max-age-at-least-six-"
	                            "months"
	                          : "hsts-implemented-max-age-less-than-six-"
	                            "months";
	if (h.max_age < min_age) {
		char age[24], need[24];

		snprintf(age, sizeof(age), "%lld", h.max_age);
		snprintf(need, sizeof(need), "%ld", min_age);
		snprintf(obs, sizeof(obs), "Strict-Transport-Security: %.200s",
		         v);
		http_prob(ev, 2, "Strict-Transport-Security:max-age",
		          CX_CONFIRMED, d, "web.hsts.max-age-short",
		          CX_ARGS("age", age, "min", need), obs);
	}
	if (!h.include_subdomains &&
	    cx_addr_parse(r->final_host, &tmp) != CX_OK) {
		snprintf(obs, sizeof(obs), "Strict-Transport-Security: %.200s",
		         v);
		http_prob(ev, 2, "Strict-Transport-Security:includeSubDomains",
		          CX_CONFIRMED, d, "web.hsts.no-subdomains", NULL, obs);
	}
	snprintf(obs, sizeof(obs), "Strict-Transport-Security: %.200s", v);
	http_mark_raw(ev, 2, 1, "web.hsts.pass", NULL, obs, d);
	return h.max_age > 0;
}

/* The content coding of a response, when it is a compression, or NULL. */
static const char *compressed_by(const struct done *d)
{
	static const char *const codings[] = {"gzip", "x-gzip", "deflate",
	                                      "br",   "zstd",   "compress"};
	const char *ce = http_head_get(&d->head, "Content-Encoding");
	size_t i;

	if (ce == NULL)
		return NULL;
	for (i = 0; i < CX_ARRAY_LEN(codings); i++)
		if (http_contains_ci(ce, strlen(ce), codings[i]))
			return codings[i];
	return NULL;
}

/* The first cookie a response sets (not a deletion) into name, or 0. */
static int sets_cookie(const struct done *d, char *name, size_t cap)
{
	struct http_cookie c;
	const char *v;
	size_t pos = 0;
	int found = 0;

	while (!found &&
	       (v = http_head_next(&d->head, "Set-Cookie", &pos)) != NULL) {
		if (http_cookie_parse(v, &c) == CX_OK &&
		    !http_cookie_is_deletion(&c)) {
			snprintf(name, cap, "%.60s", c.name);
			found = 1;
		}
		http_cookie_clear(&c);
	}
	return found;
}

/*
 * BREACH: an https page sent compressed (when the client offers it) that
 * carries a secret an attacker could recover by length — a cookie it
 * sets, a password form, a form with hidden fields (CSRF tokens).
 * Whether the page also reflects attacker-chosen input is not tested
 * (that needs crafted requests per parameter), so a finding is
 * potential.  Only https pages: over plain http the secret is readable
 * anyway.
 */
void http_eval_breach(struct eval *ev, const struct done *fd,
                      const struct html_info *html)
{
	struct res *r = ev->r;
	const struct done *d = http_find_kind(r, K_COMPRESS);
	const char *by, *ce;
	char cookie[64];
	size_t i;
	int password = 0, hidden = 0;

	if (!r->final_https || r->delegate != NULL)
		return;
	ev->breach.judged = 1;
	if (d == NULL || !d->ok) {
		ev->breach.status = CX_NOT_CHECKED;
		http_words_set(&ev->breach.w,
		               r->budget_hit ? "web.breach.nc-budget"
		                             : "web.breach.nc-no-answer",
		               NULL);
		return;
	}
	ev->breach.d = d;
	by = compressed_by(d);
	if (by == NULL) {
		ev->breach.status = CX_PASS;
		http_words_set(&ev->breach.w, "web.breach.pass-uncompressed",
		               NULL);
		return;
	}
	ce = http_head_get(&d->head, "Content-Encoding");
	if (ce != NULL) {
		char *line = cx_asprintf("Content-Encoding: %.200s", ce);

		if (line != NULL)
			ev->breach.observed =
			    cx_text_from_bytes(line, strlen(line));
		free(line);
	}
	for (i = 0; html != NULL && i < html->n_forms; i++) {
		password |= html->forms[i].has_password;
		hidden |= html->forms[i].has_hidden;
	}
	ev->breach.status = CX_FAIL;
	if (sets_cookie(d, cookie, sizeof(cookie)) ||
	    sets_cookie(fd, cookie, sizeof(cookie)))
		http_words_set(&ev->breach.w, "web.breach.cookie",
		               CX_ARGS("encoding", by, "cookie", cookie));
	else if (password)
		http_words_set(&ev->breach.w, "web.breach.password-form",
		               CX_ARGS("encoding", by));
	else if (hidden)
		http_words_set(&ev->breach.w, "web.breach.hidden-field",
		               CX_ARGS("encoding", by));
	else {
		ev->breach.status = CX_PASS;
		http_words_set(&ev->breach.w, "web.breach.pass-no-secret",
		               CX_ARGS("encoding", by));
	}
}
