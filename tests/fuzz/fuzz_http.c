/*
 * certexam — libFuzzer harness for the http check's parsers
 * (checks/http/http_headers.c, checks/http/http_csp.c,
 * checks/http/http_fetch.c): the bytes as a response head, every header value
 * parser (Set-Cookie, HSTS, X-Frame-Options, Referrer-Policy,
 * X-Content-Type-Options, CORP, CSP split, parsed and evaluated), the HTML
 * scanner, and the URL splitter and Location resolver (first line the base, the
 * rest the Location). Header values found in the head go through the value
 * parsers too.
 */
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "fuzz_common.h"
#include "http_fetch.h"
#include "http_parse.h"

static void one_csp(const char *policy, size_t len, void *arg)
{
	struct csp_policy p;
	char *s;
	size_t i;

	(void)arg;
	FUZZ_ASSERT(len > 0);
	s = cx_strndup(policy, len);
	FUZZ_ASSERT(s != NULL);
	memset(&p, 0, sizeof(p));
	if (csp_parse(s, &p) == CX_OK) {
		FUZZ_ASSERT(p.n_d <= HTTP_MAX_DIRECTIVES);
		for (i = 0; i < p.n_d; i++) {
			FUZZ_ASSERT(p.d[i].name != NULL);
			FUZZ_ASSERT(p.d[i].n_src <= HTTP_MAX_SOURCES);
			FUZZ_ASSERT(csp_get(&p, p.d[i].name) != NULL);
		}
		(void)csp_evaluate(&p, 0);
		(void)csp_evaluate(&p, 1);
	}
	csp_policy_clear(&p);
	free(s);
}

static void values(const char *v)
{
	struct http_cookie c;
	struct http_hsts h;
	char tok[64];
	size_t n;

	memset(&c, 0, sizeof(c));
	if (http_cookie_parse(v, &c) == CX_OK) {
		FUZZ_ASSERT(c.name != NULL && c.name[0] != '\0');
		(void)http_cookie_prefix_problem(&c, 0);
		(void)http_cookie_prefix_problem(&c, 1);
		(void)http_cookie_is_deletion(&c);
	}
	http_cookie_clear(&c);
	http_hsts_parse(v, &h);
	FUZZ_ASSERT(h.valid == 0 || h.max_age >= 0);
	(void)http_xfo_parse(v);
	memset(tok, 'x', sizeof(tok));
	(void)http_referrer_parse(v, tok, 40);
	FUZZ_ASSERT(memchr(tok, '\0', 40) != NULL);
	(void)http_xcto_valid(v);
	(void)http_corp_parse(v);
	n = csp_split(v, one_csp, NULL);
	FUZZ_ASSERT(n <= HTTP_MAX_DIRECTIVES);
}

static void head(const unsigned char *data, size_t size)
{
	struct http_head h;
	size_t i, k;

	memset(&h, 0, sizeof(h));
	if (http_head_parse((const char *)data, size, &h) == CX_OK) {
		FUZZ_ASSERT(h.n_h <= HTTP_MAX_HEADERS);
		FUZZ_ASSERT(h.status == 0 ||
		            (h.status >= 100 && h.status <= 599));
		for (i = 0; i < h.n_h; i++) {
			FUZZ_ASSERT(h.h[i].name != NULL &&
			            h.h[i].value != NULL);
			FUZZ_ASSERT(strlen(h.h[i].value) <= HTTP_MAX_LINE);
			k = http_head_count(&h, h.h[i].name);
			FUZZ_ASSERT(k >= 1);
			FUZZ_ASSERT(http_head_get(&h, h.h[i].name) != NULL);
			FUZZ_ASSERT(http_head_get_nth(&h, h.h[i].name, k - 1) !=
			            NULL);
			FUZZ_ASSERT(http_head_get_nth(&h, h.h[i].name, k) ==
			            NULL);
			{
				size_t pos = 0, walked = 0;

				while (http_head_next(&h, h.h[i].name, &pos))
					walked++;
				FUZZ_ASSERT(walked == k);
			}
			if (i < 16)
				values(h.h[i].value);
		}
	}
	http_head_clear(&h);
}

static void html(const unsigned char *data, size_t size)
{
	struct html_info hi;
	size_t i;

	memset(&hi, 0, sizeof(hi));
	if (html_scan((const char *)data, size, &hi) == CX_OK) {
		for (i = 0; i < hi.n_meta_csp; i++) {
			FUZZ_ASSERT(hi.meta_csp[i] != NULL);
			(void)csp_split(hi.meta_csp[i], one_csp, NULL);
		}
	}
	html_info_clear(&hi);
}

static void urls(const char *s)
{
	char *copy, *nl, *host = NULL, *path = NULL, *abs;
	int https = 0, port = 0;

	copy = cx_strdup(s);
	FUZZ_ASSERT(copy != NULL);
	if (http_url_split(copy, &https, &host, &port, &path) == CX_OK) {
		FUZZ_ASSERT(host != NULL && path != NULL);
		FUZZ_ASSERT(port >= 1 && port <= 65535);
	}
	free(host);
	free(path);
	host = path = NULL;
	nl = strchr(copy, '\n');
	if (nl != NULL) {
		*nl = '\0';
		abs = http_url_resolve(copy, nl + 1);
		if (abs != NULL) {
			FUZZ_ASSERT(strncmp(abs, "http://", 7) == 0 ||
			            strncmp(abs, "https://", 8) == 0);
			if (http_url_split(abs, &https, &host, &port, &path) ==
			    CX_OK)
				FUZZ_ASSERT(host != NULL && path != NULL);
			free(host);
			free(path);
			free(abs);
		}
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	char *s = fuzz_strndup(data, size);

	head(data, size);
	values(s);
	html(data, size);
	urls(s);
	free(s);
	return 0;
}
