/*
 * certexam — http evaluator for cookies: the attributes of every cookie
 * set along the chain and the probes (Secure, HttpOnly, SameSite,
 * prefixes), session cookies recognised by the profile's
 * web.session_cookie names, and caching of responses that set them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/escape.h"
#include "certexam/util.h"
#include "http_int.h"

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
		if (v[0] != '\0' && http_contains_ci(name, n, v))
			return 1;
	}
	if (!any)
		for (i = 0; i < CX_ARRAY_LEN(defaults); i++)
			if (http_contains_ci(name, n, defaults[i]))
				return 1;
	return 0;
}

static int cache_private(const struct http_head *h)
{
	const char *cc = http_head_get(h, "Cache-Control");

	return cc != NULL && (http_contains_ci(cc, strlen(cc), "no-store") ||
	                      http_contains_ci(cc, strlen(cc), "private"));
}

void http_eval_cookies(struct eval *ev, struct score_result *sc, int hsts)
{
	struct res *r = ev->r;
	const struct cx_profile *pr = r->st->ctx->profile;
	struct http_cookie c;
	const char *v, *prob_text;
	char item[160], obs[320];
	size_t i, k, j, n_seen = 0, n_cookies = 0, n_before;
	char *seen[64];
	int https, any_insecure = 0, sess_insecure = 0, sess_nohttp = 0;
	int ss_invalid = 0, all_ss = 1, sess, dup, guarded;

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
			/* Other protection of a session cookie: it travels
			 * only over TLS and scripts cannot read it. */
			guarded = https && c.secure && c.httponly;
			if (!https) {
				snprintf(item, sizeof(item), "%.120s:http",
				         c.name);
				snprintf(obs, sizeof(obs),
				         "cookie %.120s set over plain http",
				         c.name);
				http_prob(ev, 7, item, CX_CONFIRMED, d,
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
				http_prob(ev, 7, item, CX_CONFIRMED, d,
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
				http_prob(ev, 7, item, CX_CONFIRMED, d,
				          "Session cookie without HttpOnly",
				          obs);
				sess_nohttp = 1;
			}
			n_before = ev->n_p;
			if (c.samesite == HTTP_SS_INVALID) {
				ss_invalid = 1;
				snprintf(item, sizeof(item), "%.120s:SameSite",
				         c.name);
				snprintf(obs, sizeof(obs),
				         "cookie %.120s has an invalid "
				         "SameSite value",
				         c.name);
				http_prob(
				    ev, 7, item, CX_CONFIRMED, d,
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
				http_prob(ev, 7, item, CX_CONFIRMED, d,
				          "SameSite=None cookie without Secure",
				          obs);
			} else if (c.samesite == HTTP_SS_NONE) {
				ss_invalid = 1;
				snprintf(item, sizeof(item), "%.120s:SameSite",
				         c.name);
				snprintf(obs, sizeof(obs),
				         "cookie %.120s with SameSite=None",
				         c.name);
				http_prob(ev, 7, item, CX_CONFIRMED, d,
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
				http_prob(ev, 7, item, CX_CONFIRMED, d,
				          "Session cookie without SameSite",
				          obs);
			}
			/* SameSite is defence in depth against CSRF: it
			 * keeps the profile's severity only on a session
			 * cookie without the other protection. */
			if (ev->n_p > n_before && (!sess || guarded))
				http_prob_at_most(ev, CX_SEV_MEDIUM);
			if (c.samesite != HTTP_SS_STRICT &&
			    c.samesite != HTTP_SS_LAX)
				all_ss = 0;
			prob_text = http_cookie_prefix_problem(&c, https);
			if (prob_text != NULL) {
				snprintf(item, sizeof(item), "%.120s:prefix",
				         c.name);
				snprintf(obs, sizeof(obs), "%.120s: %s", c.name,
				         prob_text);
				http_prob(
				    ev, 7, item, CX_CONFIRMED, d,
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
				http_prob(
				    ev, 7, item, CX_CONFIRMED, d,
				    "Response setting a session cookie may "
				    "be cached",
				    obs);
				/* Shared caches do not see inside TLS, and a
				 * Secure cookie is never sent to plain http:
				 * what remains is a local or private cache. */
				if (https && c.secure)
					http_prob_at_most(ev, CX_SEV_LOW);
			}
			http_cookie_clear(&c);
		}
	}
	for (j = 0; j < n_seen; j++)
		free(seen[j]);
	if (n_cookies == 0) {
		http_mark(ev, 7, 1, "no cookies set", NULL);
		sc->result[ST_COOKIES] = "cookies-not-found";
		return;
	}
	http_mark(ev, 7, 1,
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
