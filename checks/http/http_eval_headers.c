/*
 * certexam — http evaluators for the security headers of the final
 * response: Content-Security-Policy (headers and <meta>, every enforced
 * policy combined), X-Frame-Options and frame-ancestors, the simple
 * headers (X-Content-Type-Options, Referrer-Policy and the others), and
 * the headers the error page lacks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/escape.h"
#include "certexam/util.h"
#include "http_int.h"

/* CSP weaknesses, in the order their findings are recorded. */
static const struct {
	unsigned flag;
	const char *item;
	enum cx_certainty cert;
	const char *msg;
} csp_problems[] = {
    {CSP_INVALID, "Content-Security-Policy:invalid", CX_CONFIRMED,
     "web.csp.invalid"},
    {CSP_SCRIPT_UNSAFE_INLINE,
     "Content-Security-Policy:script-src:'unsafe-inline'", CX_CONFIRMED,
     "web.csp.unsafe-inline"},
    {CSP_SCRIPT_UNSAFE_EVAL, "Content-Security-Policy:script-src:'unsafe-eval'",
     CX_CONFIRMED, "web.csp.unsafe-eval"},
    {CSP_SCRIPT_BROAD, "Content-Security-Policy:script-src:broad", CX_CONFIRMED,
     "web.csp.script-broad"},
    {CSP_SCRIPT_UNRESTRICTED, "Content-Security-Policy:script-src:missing",
     CX_CONFIRMED, "web.csp.script-unrestricted"},
    {CSP_OBJECT_BROAD, "Content-Security-Policy:object-src:broad", CX_CONFIRMED,
     "web.csp.object-broad"},
    {CSP_OBJECT_UNRESTRICTED, "Content-Security-Policy:object-src:missing",
     CX_CONFIRMED, "web.csp.object-unrestricted"},
    {CSP_INSECURE_SCHEME, "Content-Security-Policy:insecure-scheme",
     CX_CONFIRMED, "web.csp.insecure-active"},
    {CSP_INSECURE_PASSIVE, "Content-Security-Policy:insecure-passive",
     CX_CONFIRMED, "web.csp.insecure-passive"},
    {CSP_NO_BASE_URI, "Content-Security-Policy:base-uri", CX_POTENTIAL,
     "web.csp.no-base-uri"},
    {CSP_NO_FORM_ACTION, "Content-Security-Policy:form-action", CX_POTENTIAL,
     "web.csp.no-form-action"},
};

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

void http_eval_csp(struct eval *ev, struct score_result *sc,
                   const struct done *fd, const struct html_info *html,
                   unsigned *flags_out)
{
	struct csp_acc acc;
	size_t k, n_hdr, pos = 0;
	const char *v;
	char obs[512];
	unsigned f;

	memset(&acc, 0, sizeof(acc));
	acc.https = ev->r->final_https;
	n_hdr = http_head_count(&fd->head, "Content-Security-Policy");
	for (k = 0; k < n_hdr; k++) {
		v = http_head_next(&fd->head, "Content-Security-Policy", &pos);
		csp_split(v, csp_acc_cb, &acc);
	}
	acc.meta = 1;
	for (k = 0; html != NULL && k < html->n_meta_csp; k++)
		csp_split(html->meta_csp[k], csp_acc_cb, &acc);
	*flags_out = CSP_NO_FRAME_ANCESTORS | CSP_SCRIPT_UNRESTRICTED;
	if (acc.n == 0) {
		if (http_head_get(&fd->head,
		                  "Content-Security-Policy-Report-Only")) {
			http_prob(ev, 3, "Content-Security-Policy-Report-Only",
			          CX_CONFIRMED, fd, "web.csp.report-only", NULL,
			          NULL);
		} else {
			http_prob(ev, 3, "Content-Security-Policy",
			          CX_CONFIRMED, fd, "web.csp.missing", NULL,
			          NULL);
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
			http_prob(ev, 3, csp_problems[k].item,
			          csp_problems[k].cert, fd, csp_problems[k].msg,
			          NULL, obs);
	if (acc.dup[0] != '\0') {
		char item[200];

		snprintf(item, sizeof(item),
		         "Content-Security-Policy:duplicate:%.100s", acc.dup);
		http_prob(ev, 3, item, CX_CONFIRMED, fd, "web.csp.duplicate",
		          CX_ARGS("directive", acc.dup), obs);
	}
	http_mark_raw(ev, 3, 1, "web.csp.pass", NULL, obs, fd);
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

void http_eval_xfo(struct eval *ev, struct score_result *sc,
                   const struct done *fd, unsigned csp)
{
	const char *v = http_head_get(&fd->head, "X-Frame-Options");
	enum http_xfo x = http_xfo_parse(v);
	int fa = !(csp & (CSP_NO_FRAME_ANCESTORS | CSP_FRAME_ANCESTORS_BROAD));
	char obs[256];

	snprintf(obs, sizeof(obs), "X-Frame-Options: %.200s", v ? v : "");
	if (x == HTTP_XFO_ALLOW_FROM)
		http_prob(ev, 4, "X-Frame-Options:ALLOW-FROM", CX_CONFIRMED, fd,
		          "web.xfo.allow-from", NULL, obs);
	else if (x == HTTP_XFO_INVALID)
		http_prob(ev, 4, "X-Frame-Options:invalid", CX_CONFIRMED, fd,
		          "web.xfo.invalid", NULL, obs);
	if (csp & CSP_FRAME_ANCESTORS_BROAD)
		http_prob(ev, 4, "Content-Security-Policy:frame-ancestors",
		          CX_CONFIRMED, fd, "web.xfo.frame-ancestors-broad",
		          NULL, NULL);
	if (fa) {
		sc->result[ST_XFO] = "x-frame-options-implemented-via-csp";
		http_mark(ev, 4, 1, "web.xfo.pass-csp", NULL, fd);
		return;
	}
	if (x == HTTP_XFO_DENY || x == HTTP_XFO_SAMEORIGIN) {
		sc->result[ST_XFO] = "x-frame-options-sameorigin-or-deny";
		http_mark_raw(ev, 4, 1, "web.xfo.pass", NULL, obs, fd);
		return;
	}
	if (x == HTTP_XFO_ABSENT)
		http_prob(ev, 4, "X-Frame-Options", CX_CONFIRMED, fd,
		          "web.xfo.missing", NULL, NULL);
	sc->result[ST_XFO] =
	    x == HTTP_XFO_ABSENT       ? "x-frame-options-not-implemented"
	    : x == HTTP_XFO_ALLOW_FROM ? "x-frame-options-allow-from-origin"
	                               : "x-frame-options-header-invalid";
}

void http_eval_simple_headers(struct eval *ev, struct score_result *sc,
                              const struct done *fd)
{
	const char *v;
	char obs[256], tok[40];
	enum http_referrer rp;
	int corp;
	size_t n_before, k;

	v = http_head_get(&fd->head, "X-Content-Type-Options");
	snprintf(obs, sizeof(obs), "X-Content-Type-Options: %.200s",
	         v ? v : "");
	if (v == NULL) {
		http_prob(ev, 5, "X-Content-Type-Options", CX_CONFIRMED, fd,
		          "web.xcto.missing", NULL, NULL);
		sc->result[ST_XCTO] = "x-content-type-options-not-implemented";
	} else if (!http_xcto_valid(v)) {
		http_prob(ev, 5, "X-Content-Type-Options:invalid", CX_CONFIRMED,
		          fd, "web.xcto.invalid", NULL, obs);
		sc->result[ST_XCTO] = "x-content-type-options-header-invalid";
	} else {
		http_mark_raw(ev, 5, 1, "web.xcto.pass", NULL, obs, fd);
		sc->result[ST_XCTO] = "x-content-type-options-nosniff";
	}

	v = http_head_get(&fd->head, "Referrer-Policy");
	rp = http_referrer_parse(v, tok, sizeof(tok));
	snprintf(obs, sizeof(obs), "Referrer-Policy: %.200s", v ? v : "");
	switch (rp) {
	case HTTP_RP_ABSENT:
		http_prob(ev, 6, "Referrer-Policy", CX_CONFIRMED, fd,
		          "web.referrer.missing", NULL, NULL);
		sc->result[ST_REFERRER] = "referrer-policy-not-implemented";
		break;
	case HTTP_RP_PRIVATE:
		http_mark_raw(ev, 6, 1, "web.referrer.pass", NULL, obs, fd);
		sc->result[ST_REFERRER] = "referrer-policy-private";
		break;
	case HTTP_RP_NRWD:
	case HTTP_RP_UNSAFE: {
		char item[80];

		snprintf(item, sizeof(item), "Referrer-Policy:%s", tok);
		http_prob(ev, 6, item, CX_CONFIRMED, fd, "web.referrer.unsafe",
		          CX_ARGS("policy", tok), obs);
		/* The Observatory counts no-referrer-when-downgrade as unsafe.
		 */
		sc->result[ST_REFERRER] = "referrer-policy-unsafe";
		break;
	}
	case HTTP_RP_INVALID:
		http_prob(ev, 6, "Referrer-Policy:invalid", CX_CONFIRMED, fd,
		          "web.referrer.invalid", NULL, obs);
		sc->result[ST_REFERRER] = "referrer-policy-header-invalid";
		break;
	}

	/* WEB-15: cross-origin isolation and Permissions-Policy are good
	 * practice (the Observatory does not take points for a missing
	 * CORP either): recommendations of severity info at most. */
	n_before = ev->n_p;
	if (http_head_get(&fd->head, "Permissions-Policy") == NULL)
		http_prob(ev, 15, "Permissions-Policy", CX_CONFIRMED, fd,
		          "web.permissions-policy.missing", NULL, NULL);
	if (http_head_get(&fd->head, "Cross-Origin-Opener-Policy") == NULL)
		http_prob(ev, 15, "Cross-Origin-Opener-Policy", CX_CONFIRMED,
		          fd, "web.coop.missing", NULL, NULL);
	if (http_head_get(&fd->head, "Cross-Origin-Embedder-Policy") == NULL)
		http_prob(ev, 15, "Cross-Origin-Embedder-Policy", CX_CONFIRMED,
		          fd, "web.coep.missing", NULL, NULL);
	v = http_head_get(&fd->head, "Cross-Origin-Resource-Policy");
	corp = http_corp_parse(v);
	if (corp < 0) {
		snprintf(obs, sizeof(obs),
		         "Cross-Origin-Resource-Policy: %.200s", v);
		http_prob(ev, 15, "Cross-Origin-Resource-Policy:invalid",
		          CX_CONFIRMED, fd, "web.corp.invalid", NULL, obs);
	} else if (corp == 0) {
		http_prob(ev, 15, "Cross-Origin-Resource-Policy", CX_CONFIRMED,
		          fd, "web.corp.missing", NULL, NULL);
	}
	for (k = n_before; k < ev->n_p; k++)
		ev->p[k].at_most = CX_SEVERITY(CX_SEV_INFO);
	sc->result[ST_CORP] = corp == 0   ? "corp-not-implemented"
	                      : corp == 1 ? "corp-implemented-with-same-origin"
	                      : corp == 2 ? "corp-implemented-with-same-site"
	                      : corp == 3 ? "corp-implemented-with-cross-origin"
	                                  : "corp-header-invalid";
	http_mark(ev, 15, 1, "web.isolation.pass", NULL, fd);

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
			http_prob(ev, 13, dep[i], CX_CONFIRMED, fd,
			          "web.deprecated-header",
			          CX_ARGS("header", dep[i]), obs);
		}
		http_mark(ev, 13, 1, "web.deprecated-header.pass", NULL, fd);
	}
}

/* Headers the final page sets but the error page lacks. */
void http_eval_error_page(struct eval *ev, const struct done *fd,
                          const struct done *nf)
{
	static const char *const hdrs[] = {
	    "Content-Security-Policy", "X-Content-Type-Options",
	    "X-Frame-Options", "Strict-Transport-Security", "Referrer-Policy"};
	static const int reqs[] = {3, 5, 4, 2, 6};
	char item[80], status[16];
	size_t i;

	if (nf == NULL || !nf->ok)
		return;
	for (i = 0; i < CX_ARRAY_LEN(hdrs); i++) {
		if (http_head_get(&fd->head, hdrs[i]) == NULL ||
		    http_head_get(&nf->head, hdrs[i]) != NULL)
			continue;
		snprintf(item, sizeof(item), "%s@error-page", hdrs[i]);
		snprintf(status, sizeof(status), "%d", nf->head.status);
		http_prob(ev, reqs[i], item, CX_CONFIRMED, nf,
		          "web.error-page.header-missing",
		          CX_ARGS("header", hdrs[i], "status", status), NULL);
	}
}
