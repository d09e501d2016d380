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

/*
 * The cookie names already judged, as an open-addressing hash set sized
 * for every Set-Cookie field of the resource: each cookie costs one
 * lookup, so 10,000 cookies stay linear.
 */
struct name_set {
	char **slot;
	size_t cap; /* a power of two, at least twice the fields */
};

static size_t name_hash(const char *s)
{
	size_t h = 1469598103u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* 1 when name was new (and is now in the set), 0 when seen, -1 on ENOMEM. */
static int name_set_add(struct name_set *ns, const char *name)
{
	size_t i;

	if (ns->slot == NULL)
		return -1;
	for (i = name_hash(name) & (ns->cap - 1); ns->slot[i] != NULL;
	     i = (i + 1) & (ns->cap - 1))
		if (strcmp(ns->slot[i], name) == 0)
			return 0;
	ns->slot[i] = cx_strdup(name);
	return ns->slot[i] != NULL ? 1 : -1;
}

static void name_set_free(struct name_set *ns)
{
	size_t i;

	for (i = 0; ns->slot != NULL && i < ns->cap; i++)
		free(ns->slot[i]);
	free(ns->slot);
}

void http_eval_cookies(struct eval *ev, struct score_result *sc, int hsts)
{
	struct res *r = ev->r;
	const struct cx_profile *pr = r->st->ctx->profile;
	struct http_cookie c;
	const char *v, *prob_text;
	char item[160];
	size_t i, pos, n_cookies = 0, n_before, n_fields = 0;
	struct name_set seen = {0};
	int https, any_insecure = 0, sess_insecure = 0, sess_nohttp = 0;
	int ss_invalid = 0, all_ss = 1, sess, guarded, cut = 0, isnew;

	for (i = 0; i < r->n_d; i++)
		if (r->d[i].ok)
			n_fields += r->d[i].head.n_h;
	for (seen.cap = 16; seen.cap < 2 * n_fields; seen.cap *= 2)
		;
	seen.slot = calloc(seen.cap, sizeof(*seen.slot));
	for (i = 0; i < r->n_d; i++) {
		const struct done *d = &r->d[i];

		if (!d->ok)
			continue;
		/* A head cut at a line or field limit may hide cookies. */
		if (d->head.truncated)
			cut = 1;
		https = strncmp(d->req->url, "https:", 6) == 0;
		pos = 0;
		while ((v = http_head_next(&d->head, "Set-Cookie", &pos)) !=
		       NULL) {
			if (http_cookie_parse(v, &c) != CX_OK) {
				http_cookie_clear(&c);
				continue;
			}
			if (http_cookie_is_deletion(&c)) {
				http_cookie_clear(&c);
				continue;
			}
			isnew = name_set_add(&seen, c.name);
			if (isnew <= 0) {
				if (isnew < 0)
					cut = 1; /* out of memory: not judged */
				http_cookie_clear(&c);
				continue;
			}
			n_cookies++;
			sess = session_like(pr, c.name);
			/* Other protection of a session cookie: it travels
			 * only over TLS and scripts cannot read it. */
			guarded = https && c.secure && c.httponly;
			if (!https) {
				snprintf(item, sizeof(item), "%.120s:http",
				         c.name);
				http_prob(ev, 7, item, CX_CONFIRMED, d,
				          "web.cookie.over-http",
				          CX_ARGS("cookie", c.name), NULL);
				any_insecure = 1;
				if (sess)
					sess_insecure = 1;
			} else if (!c.secure) {
				snprintf(item, sizeof(item), "%.120s:Secure",
				         c.name);
				http_prob(ev, 7, item, CX_CONFIRMED, d,
				          "web.cookie.no-secure",
				          CX_ARGS("cookie", c.name), NULL);
				any_insecure = 1;
				if (sess)
					sess_insecure = 1;
			}
			if (sess && !c.httponly) {
				snprintf(item, sizeof(item), "%.120s:HttpOnly",
				         c.name);
				http_prob(ev, 7, item, CX_CONFIRMED, d,
				          "web.cookie.no-httponly",
				          CX_ARGS("cookie", c.name), NULL);
				sess_nohttp = 1;
			}
			n_before = ev->n_p;
			snprintf(item, sizeof(item), "%.120s:SameSite", c.name);
			if (c.samesite == HTTP_SS_INVALID) {
				ss_invalid = 1;
				http_prob(ev, 7, item, CX_CONFIRMED, d,
				          "web.cookie.samesite-invalid",
				          CX_ARGS("cookie", c.name), NULL);
			} else if (c.samesite == HTTP_SS_NONE && !c.secure) {
				ss_invalid = 1;
				http_prob(ev, 7, item, CX_CONFIRMED, d,
				          "web.cookie.samesite-none-insecure",
				          CX_ARGS("cookie", c.name), NULL);
			} else if (c.samesite == HTTP_SS_NONE) {
				ss_invalid = 1;
				http_prob(ev, 7, item, CX_CONFIRMED, d,
				          "web.cookie.samesite-none",
				          CX_ARGS("cookie", c.name), NULL);
			} else if (sess && c.samesite == HTTP_SS_ABSENT) {
				http_prob(ev, 7, item, CX_CONFIRMED, d,
				          "web.cookie.no-samesite",
				          CX_ARGS("cookie", c.name), NULL);
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
				http_prob(ev, 7, item, CX_CONFIRMED, d,
				          prob_text, CX_ARGS("cookie", c.name),
				          NULL);
			}
			if (sess && !cache_private(&d->head)) {
				const char *cc =
				    http_head_get(&d->head, "Cache-Control");
				char *line =
				    cc ? cx_asprintf("Cache-Control: %.200s",
				                     cc)
				       : NULL;

				snprintf(item, sizeof(item),
				         "%.120s:Cache-Control", c.name);
				http_prob(ev, 7, item, CX_CONFIRMED, d,
				          "web.cookie.cacheable",
				          CX_ARGS("cookie", c.name), line);
				free(line);
				/* Shared caches do not see inside TLS, and a
				 * Secure cookie is never sent to plain http:
				 * what remains is a local or private cache. */
				if (https && c.secure)
					http_prob_at_most(ev, CX_SEV_LOW);
			}
			http_cookie_clear(&c);
		}
	}
	name_set_free(&seen);
	if (cut) {
		/* What was found stays; no pass on a head that was cut. */
		http_mark(ev, 7, 2, "web.nc.header-too-large", NULL, NULL);
		sc->result[ST_COOKIES] = NULL;
		return;
	}
	if (n_cookies == 0) {
		http_mark(ev, 7, 1, "web.cookie.pass-none", NULL, NULL);
		sc->result[ST_COOKIES] = "cookies-not-found";
		return;
	}
	http_mark(ev, 7, 1, "web.cookie.pass", NULL, NULL);
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
