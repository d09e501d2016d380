/*
 * certexam — http evaluator for CORS: the answers to a random Origin and
 * to Origin: null, on GET and on a preflight OPTIONS.  A reflected origin
 * with credentials is one finding whatever number of variants show it;
 * each variant's exchange is evidence of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/escape.h"
#include "certexam/util.h"
#include "http_int.h"

void http_eval_cors(struct eval *ev, struct score_result *sc)
{
	static const int kinds[] = {K_CORS_GET_RAND, K_CORS_GET_NULL,
	                            K_CORS_OPT_RAND, K_CORS_OPT_NULL};
	const struct done *d, *shown[CX_ARRAY_LEN(kinds)];
	const char *acao, *acac;
	size_t i, n_shown = 0, len = 0;
	int any = 0, universal = 0, restricted = 0, public_ = 0, ok = 0;
	int rand_reflected = 0;
	char obs[600];

	obs[0] = '\0';
	for (i = 0; i < CX_ARRAY_LEN(kinds); i++) {
		d = http_find_kind(ev->r, kinds[i]);
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
				if (strcmp(d->req->tag, "null") != 0)
					rand_reflected = 1;
				shown[n_shown++] = d;
				if (len < sizeof(obs))
					len += (size_t)snprintf(
					    obs + len, sizeof(obs) - len,
					    "%s%s Origin: %.60s",
					    len > 0 ? "; " : "", d->req->method,
					    d->req->tag);
			}
		} else {
			restricted = 1;
		}
	}
	if (!ok) {
		http_mark(ev, 8, 2, "web.cors.nc-no-answer", NULL, NULL);
		return;
	}
	if (n_shown > 0) {
		/* One misconfiguration, one finding: every variant that
		 * shows it (random Origin, null; GET, OPTIONS) is inside. */
		http_prob(
		    ev, 8, rand_reflected ? "Origin:reflected" : "Origin:null",
		    CX_CONFIRMED, shown[0],
		    rand_reflected ? "web.cors.reflected" : "web.cors.null",
		    CX_ARGS("variants", obs), NULL);
		for (i = 1; i < n_shown; i++)
			http_prob_more(ev, shown[i]);
	}
	http_mark(ev, 8, 1, any ? "web.cors.pass" : "web.cors.pass-none", NULL,
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
