/*
 * certexam — unit tests for the http check's parsers (response head,
 * Set-Cookie, HSTS, X-Frame-Options, Referrer-Policy, CSP, HTML scan) and
 * for the scoring table.  Table-driven, with malformed, truncated and
 * oversized input.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/util.h"
#include "http_fetch.h"
#include "http_parse.h"

/* Response heads. */

START_TEST(test_head_basic)
{
	const char *raw = "HTTP/1.1 301 Moved Permanently\r\n"
	                  "Location: https://a.example/\r\n"
	                  "Set-Cookie: a=1\r\n"
	                  "set-cookie: b=2\r\n"
	                  "X-Empty:\r\n"
	                  "\r\n";
	struct http_head h;

	ck_assert_int_eq(http_head_parse(raw, strlen(raw), &h), CX_OK);
	ck_assert_int_eq(h.status, 301);
	ck_assert_int_eq(h.version, 11);
	ck_assert_str_eq(http_head_get(&h, "location"), "https://a.example/");
	ck_assert_uint_eq(http_head_count(&h, "Set-Cookie"), 2);
	ck_assert_str_eq(http_head_get_nth(&h, "SET-COOKIE", 1), "b=2");
	ck_assert_str_eq(http_head_get(&h, "X-Empty"), "");
	ck_assert_ptr_null(http_head_get(&h, "Server"));
	ck_assert_int_eq(h.malformed, 0);
	http_head_clear(&h);
}
END_TEST

START_TEST(test_head_interim_and_lf)
{
	const char *raw = "HTTP/1.1 100 Continue\n\nHTTP/1.0 404 Not Found\n"
	                  "Server: x\n\n";
	struct http_head h;

	ck_assert_int_eq(http_head_parse(raw, strlen(raw), &h), CX_OK);
	ck_assert_int_eq(h.status, 404);
	ck_assert_int_eq(h.version, 10);
	ck_assert_uint_eq(h.n_h, 1);
	http_head_clear(&h);
}
END_TEST

struct head_case {
	const char *raw;
	int rc;
	int status;
	int malformed;
};

static const struct head_case head_cases[] = {
    {"", CX_EPARSE, 0, 0},
    {"garbage\r\n\r\n", CX_EPARSE, 0, 1},
    {"HTTP/1.1 99 Low\r\n\r\n", CX_OK, 0, 0},
    {"HTTP/1.1 600 High\r\n\r\n", CX_OK, 0, 0},
    {"HTTP/1.1 2xx Bad\r\n\r\n", CX_OK, 0, 0},
    {"HTTP/1.1 200", CX_OK, 200, 0},
    {"HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", CX_OK, 200, 1},
    {"HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", CX_OK, 200, 1},
    {"HTTP/1.1 200 OK\r\nName : v\r\n\r\n", CX_OK, 200, 1},
    {"HTTP/1.1 200 OK\r\nA: 1\r\n folded\r\n\r\n", CX_OK, 200, 1},
    {"HTTP/1.1 200 OK\r\nA: 1\r\n", CX_OK, 200, 0},
    {"HTTP/", CX_OK, 0, 0},
};

START_TEST(test_head_table)
{
	const struct head_case *c = &head_cases[_i];
	struct http_head h;

	ck_assert_int_eq(http_head_parse(c->raw, strlen(c->raw), &h), c->rc);
	ck_assert_int_eq(h.status, c->status);
	ck_assert_int_eq(h.malformed, c->malformed);
	http_head_clear(&h);
}
END_TEST

START_TEST(test_head_oversized)
{
	struct cx_buf b = {0};
	struct http_head h;
	size_t i;

	cx_buf_puts(&b, "HTTP/1.1 200 OK\r\n");
	for (i = 0; i < HTTP_MAX_HEADERS + 50; i++)
		cx_buf_printf(&b, "X-H%zu: v\r\n", i);
	cx_buf_puts(&b, "X-Long: ");
	for (i = 0; i < HTTP_MAX_LINE + 100; i++)
		cx_buf_putc(&b, 'a');
	cx_buf_puts(&b, "\r\n\r\n");
	ck_assert_int_eq(http_head_parse(b.data, b.len, &h), CX_OK);
	ck_assert_uint_eq(h.n_h, HTTP_MAX_HEADERS);
	ck_assert_int_eq(h.truncated, 1);
	http_head_clear(&h);
	/* NUL bytes inside a value do not end the parse early */
	ck_assert_int_eq(http_head_parse("HTTP/1.1 200 OK\r\nA: x\0y\r\nB: z"
	                                 "\r\n\r\n",
	                                 31, &h),
	                 CX_OK);
	ck_assert_str_eq(http_head_get(&h, "B"), "z");
	http_head_clear(&h);
	cx_buf_free(&b);
}
END_TEST

/* Set-Cookie. */

struct cookie_case {
	const char *v;
	int rc;
	const char *name;
	int secure, httponly;
	enum http_samesite ss;
	const char *prefix_problem_https; /* substring or NULL */
};

static const struct cookie_case cookie_cases[] = {
    {"sid=1; Secure; HttpOnly; SameSite=Strict", CX_OK, "sid", 1, 1,
     HTTP_SS_STRICT, NULL},
    {"a=b", CX_OK, "a", 0, 0, HTTP_SS_ABSENT, NULL},
    {" spaced = v ;secure;HTTPONLY; samesite = lax ", CX_OK, "spaced", 1, 1,
     HTTP_SS_LAX, NULL},
    {"x=1; SameSite=None; Secure", CX_OK, "x", 1, 0, HTTP_SS_NONE, NULL},
    {"x=1; SameSite=Bogus", CX_OK, "x", 0, 0, HTTP_SS_INVALID, NULL},
    {"x=1; SameSite", CX_OK, "x", 0, 0, HTTP_SS_INVALID, NULL},
    {"novalue", CX_EPARSE, NULL, 0, 0, HTTP_SS_ABSENT, NULL},
    {"=v; Secure", CX_EPARSE, NULL, 0, 0, HTTP_SS_ABSENT, NULL},
    {"", CX_EPARSE, NULL, 0, 0, HTTP_SS_ABSENT, NULL},
    {";;;", CX_EPARSE, NULL, 0, 0, HTTP_SS_ABSENT, NULL},
    {"a=; ;; =; Secure", CX_OK, "a", 1, 0, HTTP_SS_ABSENT, NULL},
    {"__Host-s=1; Path=/; Secure", CX_OK, "__Host-s", 1, 0, HTTP_SS_ABSENT,
     NULL},
    {"__Host-s=1; Path=/app; Secure", CX_OK, "__Host-s", 1, 0, HTTP_SS_ABSENT,
     "prefix.path"},
    {"__Host-s=1; Path=/; Secure; Domain=a.example", CX_OK, "__Host-s", 1, 0,
     HTTP_SS_ABSENT, "prefix.domain"},
    {"__Host-s=1; Path=/", CX_OK, "__Host-s", 0, 0, HTTP_SS_ABSENT,
     "prefix.no-secure"},
    {"__Secure-s=1", CX_OK, "__Secure-s", 0, 0, HTTP_SS_ABSENT,
     "prefix.no-secure"},
    {"__Secure-s=1; Secure", CX_OK, "__Secure-s", 1, 0, HTTP_SS_ABSENT, NULL},
    {"__host-s=1", CX_OK, "__host-s", 0, 0, HTTP_SS_ABSENT, NULL},
};

START_TEST(test_cookie_table)
{
	const struct cookie_case *c = &cookie_cases[_i];
	struct http_cookie k;
	const char *p;

	ck_assert_int_eq(http_cookie_parse(c->v, &k), c->rc);
	if (c->rc == CX_OK) {
		ck_assert_str_eq(k.name, c->name);
		ck_assert_int_eq(k.secure, c->secure);
		ck_assert_int_eq(k.httponly, c->httponly);
		ck_assert_int_eq(k.samesite, c->ss);
		p = http_cookie_prefix_problem(&k, 1);
		if (c->prefix_problem_https == NULL)
			ck_assert_ptr_null(p);
		else
			ck_assert_ptr_nonnull(
			    strstr(p, c->prefix_problem_https));
	}
	http_cookie_clear(&k);
}
END_TEST

START_TEST(test_cookie_misc)
{
	struct http_cookie k;
	struct cx_buf b = {0};
	size_t i;

	ck_assert_int_eq(http_cookie_parse("d=1; Max-Age=0", &k), CX_OK);
	ck_assert_int_eq(http_cookie_is_deletion(&k), 1);
	http_cookie_clear(&k);
	ck_assert_int_eq(http_cookie_parse("d=1; Max-Age=-5", &k), CX_OK);
	ck_assert_int_eq(http_cookie_is_deletion(&k), 1);
	http_cookie_clear(&k);
	ck_assert_int_eq(
	    http_cookie_parse("d=1; Max-Age=99999999999999999999", &k), CX_OK);
	ck_assert_int_eq(http_cookie_is_deletion(&k), 0);
	http_cookie_clear(&k);
	ck_assert_int_eq(http_cookie_parse("d=1; Max-Age=abc", &k), CX_OK);
	ck_assert_int_eq(k.has_max_age, 0);
	http_cookie_clear(&k);
	/* Over http a __Secure- cookie is always a problem. */
	ck_assert_int_eq(http_cookie_parse("__Secure-a=1; Secure", &k), CX_OK);
	ck_assert_ptr_nonnull(http_cookie_prefix_problem(&k, 0));
	http_cookie_clear(&k);
	/* Oversized: thousands of attributes are cut. */
	cx_buf_puts(&b, "big=1");
	for (i = 0; i < 5000; i++)
		cx_buf_puts(&b, "; Path=/x");
	cx_buf_puts(&b, "; Secure");
	ck_assert_int_eq(http_cookie_parse(b.data, &k), CX_OK);
	ck_assert_int_eq(k.truncated, 1);
	ck_assert_int_eq(k.secure, 0); /* beyond the attribute limit */
	http_cookie_clear(&k);
	cx_buf_free(&b);
	ck_assert_int_eq(http_cookie_parse(NULL, &k), CX_EPARSE);
	http_cookie_clear(&k);
}
END_TEST

/* HSTS. */

struct hsts_case {
	const char *v;
	int valid;
	long long max_age;
	int sub, preload;
};

static const struct hsts_case hsts_cases[] = {
    {"max-age=31536000; includeSubDomains; preload", 1, 31536000, 1, 1},
    {"max-age=\"600\"", 1, 600, 0, 0},
    {"  MAX-AGE = 0 ", 1, 0, 0, 0},
    {"includeSubDomains", 0, -1, 1, 0},
    {"max-age=", 0, -1, 0, 0},
    {"max-age=-1", 0, -1, 0, 0},
    {"max-age=1e6", 0, -1, 0, 0},
    {"max-age=10; max-age=20", 0, -1, 0, 0},
    {"max-age=10; includeSubDomains; includeSubDomains", 0, -1, 1, 0},
    {"max-age=99999999999999999999", 1, 999999999999LL, 0, 0},
    {"max-age=5;;; unknown=1; foo", 1, 5, 0, 0},
    {"", 0, -1, 0, 0},
    {";", 0, -1, 0, 0},
    {"=5", 0, -1, 0, 0},
};

START_TEST(test_hsts_table)
{
	const struct hsts_case *c = &hsts_cases[_i];
	struct http_hsts h;

	http_hsts_parse(c->v, &h);
	ck_assert_int_eq(h.valid, c->valid);
	if (c->valid)
		ck_assert(h.max_age == c->max_age);
	ck_assert_int_eq(h.include_subdomains, c->sub);
	ck_assert_int_eq(h.preload, c->preload);
}
END_TEST

/* Single headers. */

START_TEST(test_single_headers)
{
	char tok[40];

	ck_assert_int_eq(http_xfo_parse(NULL), HTTP_XFO_ABSENT);
	ck_assert_int_eq(http_xfo_parse("DENY"), HTTP_XFO_DENY);
	ck_assert_int_eq(http_xfo_parse(" sameorigin "), HTTP_XFO_SAMEORIGIN);
	ck_assert_int_eq(http_xfo_parse("ALLOW-FROM https://a.example"),
	                 HTTP_XFO_ALLOW_FROM);
	ck_assert_int_eq(http_xfo_parse("DENY, SAMEORIGIN"), HTTP_XFO_INVALID);
	ck_assert_int_eq(http_xfo_parse(""), HTTP_XFO_INVALID);

	ck_assert_int_eq(http_referrer_parse(NULL, tok, sizeof(tok)),
	                 HTTP_RP_ABSENT);
	ck_assert_int_eq(http_referrer_parse("no-referrer", tok, sizeof(tok)),
	                 HTTP_RP_PRIVATE);
	ck_assert_int_eq(http_referrer_parse("unsafe-url", tok, sizeof(tok)),
	                 HTTP_RP_UNSAFE);
	ck_assert_str_eq(tok, "unsafe-url");
	/* the last recognised token wins, unknown ones are skipped */
	ck_assert_int_eq(http_referrer_parse("unsafe-url, strict-origin, bogus",
	                                     tok, sizeof(tok)),
	                 HTTP_RP_PRIVATE);
	ck_assert_str_eq(tok, "strict-origin");
	ck_assert_int_eq(
	    http_referrer_parse("no-referrer-when-downgrade", tok, sizeof(tok)),
	    HTTP_RP_NRWD);
	ck_assert_int_eq(http_referrer_parse("bogus", tok, sizeof(tok)),
	                 HTTP_RP_INVALID);
	ck_assert_int_eq(http_referrer_parse("", tok, sizeof(tok)),
	                 HTTP_RP_INVALID);

	ck_assert_int_eq(http_xcto_valid("nosniff"), 1);
	ck_assert_int_eq(http_xcto_valid(" NoSniff "), 1);
	ck_assert_int_eq(http_xcto_valid("nosniff, nosniff"), 0);
	ck_assert_int_eq(http_xcto_valid(NULL), 0);

	ck_assert_int_eq(http_corp_parse(NULL), 0);
	ck_assert_int_eq(http_corp_parse("same-origin"), 1);
	ck_assert_int_eq(http_corp_parse("same-site"), 2);
	ck_assert_int_eq(http_corp_parse("cross-origin"), 3);
	ck_assert_int_eq(http_corp_parse("whatever"), -1);
}
END_TEST

/* CSP. */

struct csp_case {
	const char *policy;
	int https;
	unsigned set;   /* flags that must be set */
	unsigned clear; /* flags that must be clear */
};

static const struct csp_case csp_cases[] = {
    /* strict: default-src 'none' and everything else set */
    {"default-src 'none'; script-src 'self'; base-uri 'none'; "
     "form-action 'self'; frame-ancestors 'none'",
     1, CSP_DEFAULT_NONE,
     CSP_SCRIPT_UNSAFE_INLINE | CSP_SCRIPT_BROAD | CSP_OBJECT_UNRESTRICTED |
         CSP_NO_FRAME_ANCESTORS | CSP_NO_BASE_URI | CSP_NO_FORM_ACTION |
         CSP_DUPLICATE | CSP_INVALID},
    /* fallback from script-src and object-src to default-src */
    {"default-src 'self' 'unsafe-inline'", 1,
     CSP_SCRIPT_UNSAFE_INLINE | CSP_STYLE_UNSAFE,
     CSP_OBJECT_UNRESTRICTED | CSP_SCRIPT_UNRESTRICTED},
    /* no default-src: scripts and objects unrestricted */
    {"img-src 'self'", 1, CSP_SCRIPT_UNRESTRICTED | CSP_OBJECT_UNRESTRICTED, 0},
    /* 'unsafe-inline' ignored with a nonce or a hash */
    {"script-src 'nonce-abc' 'unsafe-inline'; object-src 'none'", 1,
     CSP_NONCE_OR_HASH, CSP_SCRIPT_UNSAFE_INLINE},
    {"script-src 'sha256-AAAA' 'unsafe-inline'", 1, CSP_NONCE_OR_HASH,
     CSP_SCRIPT_UNSAFE_INLINE},
    /* strict-dynamic with a nonce: host and scheme sources ignored */
    {"script-src 'strict-dynamic' 'nonce-x' https: 'unsafe-inline'", 1,
     CSP_STRICT_DYNAMIC, CSP_SCRIPT_BROAD | CSP_SCRIPT_UNSAFE_INLINE},
    {"script-src 'unsafe-eval' 'self'", 1, CSP_SCRIPT_UNSAFE_EVAL, 0},
    {"script-src *", 1, CSP_SCRIPT_BROAD, 0},
    {"script-src https:", 1, CSP_SCRIPT_BROAD, 0},
    {"script-src data:", 1, CSP_SCRIPT_BROAD, 0},
    {"script-src https://*", 1, CSP_SCRIPT_BROAD, 0},
    {"script-src https://cdn.example", 1, 0, CSP_SCRIPT_BROAD},
    {"object-src *; script-src 'self'", 1, CSP_OBJECT_BROAD, 0},
    {"default-src 'self'; script-src http://cdn.example", 1,
     CSP_INSECURE_SCHEME, 0},
    {"default-src 'self'; script-src http://cdn.example", 0, 0,
     CSP_INSECURE_SCHEME},
    {"default-src 'self'; img-src http:", 1, CSP_INSECURE_PASSIVE,
     CSP_INSECURE_SCHEME},
    {"default-src 'self'; frame-ancestors *", 1, CSP_FRAME_ANCESTORS_BROAD,
     CSP_NO_FRAME_ANCESTORS},
    {"default-src 'self'; default-src *", 1, CSP_DUPLICATE, CSP_SCRIPT_BROAD},
    {"DEFAULT-SRC 'none'", 1, CSP_DEFAULT_NONE, CSP_SCRIPT_UNRESTRICTED},
    {"default-src 'self'; sc\xc3\xa9ipt-src *", 1, CSP_INVALID, 0},
    {"", 1, CSP_SCRIPT_UNRESTRICTED, 0},
    {";;;  ;", 1, CSP_SCRIPT_UNRESTRICTED, 0},
};

START_TEST(test_csp_table)
{
	const struct csp_case *c = &csp_cases[_i];
	struct csp_policy p;
	unsigned f;

	ck_assert_int_eq(csp_parse(c->policy, &p), CX_OK);
	f = csp_evaluate(&p, c->https);
	ck_assert_msg((f & c->set) == c->set, "case %d: flags %x lack %x", _i,
	              f, c->set);
	ck_assert_msg((f & c->clear) == 0, "case %d: flags %x have %x", _i, f,
	              f & c->clear);
	csp_policy_clear(&p);
}
END_TEST

static void count_cb(const char *policy, size_t len, void *arg)
{
	(void)policy;
	(void)len;
	(*(int *)arg)++;
}

START_TEST(test_csp_limits)
{
	struct cx_buf b = {0};
	struct csp_policy p;
	size_t i;
	int n = 0;

	for (i = 0; i < 500; i++)
		cx_buf_printf(&b, "d%zu-src 'self'; ", i);
	ck_assert_int_eq(csp_parse(b.data, &p), CX_OK);
	ck_assert_uint_eq(p.n_d, HTTP_MAX_DIRECTIVES);
	ck_assert_int_eq(p.truncated, 1);
	csp_policy_clear(&p);
	cx_buf_free(&b);

	cx_buf_puts(&b, "script-src");
	for (i = 0; i < 1000; i++)
		cx_buf_puts(&b, " https://a.example");
	ck_assert_int_eq(csp_parse(b.data, &p), CX_OK);
	ck_assert_uint_eq(p.d[0].n_src, HTTP_MAX_SOURCES);
	ck_assert_int_eq(p.truncated, 1);
	csp_policy_clear(&p);
	cx_buf_free(&b);

	ck_assert_uint_eq(csp_split("a 'self', b 'none',, ,c", count_cb, &n),
	                  3);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(csp_parse(NULL, &p), CX_OK);
	ck_assert_uint_eq(p.n_d, 0);
	csp_policy_clear(&p);
}
END_TEST

/* HTML scan. */

START_TEST(test_html_scan)
{
	const char *html =
	    "<html><head><TITLE>Welcome to nginx!</TITLE>"
	    "<meta name=\"generator\" content=\"CMS 1.2\">"
	    "<meta http-equiv='Content-Security-Policy' "
	    "content=\"script-src 'self'\">"
	    "<!-- <script src=\"http://hidden/x.js\"></script> -->"
	    "<script src=http://cdn.example/a.js integrity=\"sha384-x\">"
	    "</script><script>inline()</script>"
	    "<script src='/local.js'></script></head><body>"
	    "<form action=\"http://login.example/\"><input type=password>"
	    "</form><form><input type=text>"
	    "<input TYPE=\"Hidden\" name=csrf value=x></form>"
	    "<input type=hidden name=outside>"
	    "<script src=\"unterminated";
	struct html_info h;

	ck_assert_int_eq(html_scan(html, strlen(html), &h), CX_OK);
	ck_assert_str_eq(h.title, "Welcome to nginx!");
	ck_assert_str_eq(h.generator, "CMS 1.2");
	ck_assert_uint_eq(h.n_meta_csp, 1);
	ck_assert_str_eq(h.meta_csp[0], "script-src 'self'");
	ck_assert_uint_eq(h.n_scripts, 3);
	ck_assert_str_eq(h.scripts[0].src, "http://cdn.example/a.js");
	ck_assert_int_eq(h.scripts[0].has_integrity, 1);
	ck_assert_ptr_null(h.scripts[1].src);
	ck_assert_str_eq(h.scripts[2].src, "/local.js");
	ck_assert_int_eq(h.scripts[2].has_integrity, 0);
	ck_assert_uint_eq(h.n_forms, 2);
	ck_assert_str_eq(h.forms[0].action, "http://login.example/");
	ck_assert_int_eq(h.forms[0].has_password, 1);
	ck_assert_int_eq(h.forms[1].has_password, 0);
	ck_assert_int_eq(h.forms[0].has_hidden, 0);
	ck_assert_int_eq(h.forms[1].has_hidden, 1);
	html_info_clear(&h);
}
END_TEST

START_TEST(test_html_hostile)
{
	struct cx_buf b = {0};
	struct html_info h;
	size_t i;

	for (i = 0; i < 2000; i++)
		cx_buf_puts(&b, "<script src=a.js></script>");
	ck_assert_int_eq(html_scan(b.data, b.len, &h), CX_OK);
	ck_assert_int_eq(h.truncated, 1);
	ck_assert_uint_lt(h.n_scripts, 2000);
	html_info_clear(&h);
	cx_buf_free(&b);
	/* unterminated tags, attributes, comments; NUL bytes */
	ck_assert_int_eq(html_scan("<<<<<script src=\"", 17, &h), CX_OK);
	html_info_clear(&h);
	ck_assert_int_eq(html_scan("<!-- never closed <script src=x>", 32, &h),
	                 CX_OK);
	ck_assert_uint_eq(h.n_scripts, 0);
	html_info_clear(&h);
	ck_assert_int_eq(html_scan("<script\0src=x>", 14, &h), CX_OK);
	html_info_clear(&h);
	ck_assert_int_eq(html_scan(NULL, 0, &h), CX_OK);
	html_info_clear(&h);
}
END_TEST

/* Scoring. */

struct score_case {
	const char *results[ST__COUNT];
	int score;
	const char *grade;
};

static const struct score_case score_cases[] = {
    /* everything neutral */
    {{NULL}, 100, "A+"},
    /* bonuses count when penalties leave >= 90 */
    {{"csp-implemented-with-no-unsafe-default-src-none",
      "cookies-secure-with-httponly-sessions-and-samesite", NULL, NULL,
      "referrer-policy-private",
      "hsts-implemented-max-age-at-least-six-"
      "months",
      NULL, NULL, "x-frame-options-implemented-via-csp",
      "corp-implemented-with-same-origin"},
     135,
     "A+"},
    /* bonuses ignored below 90: 100-20 = 80 even with +10 */
    {{"csp-implemented-with-no-unsafe-default-src-none", NULL, NULL,
      "redirection-missing"},
     80,
     "B+"},
    /* exactly 90 gets the bonus */
    {{"csp-implemented-with-no-unsafe", NULL, NULL, NULL, NULL,
      "hsts-implemented-max-age-less-than-six-months"},
     95,
     "A"},
    /* floor at 0 */
    {{"csp-not-implemented", "cookies-session-without-secure-flag",
      "cross-origin-resource-sharing-implemented-with-universal-access",
      "redirection-missing", NULL, "hsts-not-implemented-no-https",
      "sri-not-implemented-and-external-scripts-not-loaded-securely",
      "x-content-type-options-not-implemented",
      "x-frame-options-not-implemented"},
     0,
     "F"},
    {{"csp-implemented-with-unsafe-inline", NULL, NULL, NULL,
      "referrer-policy-unsafe", "hsts-implemented-max-age-less-than-six-months",
      NULL, NULL, "x-frame-options-allow-from-origin"},
     45,
     "C-"},
};

START_TEST(test_score_table)
{
	const struct score_case *c = &score_cases[_i];
	struct score_result s;
	size_t i;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < ST__COUNT; i++)
		s.result[i] = c->results[i];
	ck_assert_int_eq(score_compute(&s), CX_OK);
	ck_assert_int_eq(s.score, c->score);
	ck_assert_str_eq(s.grade, c->grade);
}
END_TEST

START_TEST(test_score_misc)
{
	static const struct {
		int score;
		const char *grade;
	} g[] = {{135, "A+"}, {100, "A+"}, {99, "A"},  {90, "A"},  {89, "A-"},
	         {85, "A-"},  {84, "B+"},  {80, "B+"}, {79, "B"},  {70, "B"},
	         {69, "B-"},  {65, "B-"},  {64, "C+"}, {60, "C+"}, {59, "C"},
	         {50, "C"},   {49, "C-"},  {45, "C-"}, {44, "D+"}, {40, "D+"},
	         {39, "D"},   {30, "D"},   {29, "D-"}, {25, "D-"}, {24, "F"},
	         {0, "F"}};
	struct score_result s;
	size_t i;
	int m;

	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++)
		ck_assert_str_eq(score_grade(g[i].score), g[i].grade);
	ck_assert_int_eq(score_modifier("no-such-result", &m), CX_EINVAL);
	ck_assert_int_eq(score_modifier(NULL, &m), CX_EINVAL);
	ck_assert_int_eq(score_modifier("csp-not-implemented", &m), CX_OK);
	ck_assert_int_eq(m, -25);
	memset(&s, 0, sizeof(s));
	s.result[ST_CSP] = "bogus";
	ck_assert_int_eq(score_compute(&s), CX_EINVAL);
	ck_assert_int_eq(s.score, 100);
	for (i = 0; i < ST__COUNT; i++)
		ck_assert_str_ne(score_test_name((enum score_test)i),
		                 "unknown");
	ck_assert_str_eq(score_test_name(ST__COUNT), "unknown");
}
END_TEST

/* URLs (curl's URL API, no network). */

struct split_case {
	const char *url;
	int rc;
	int https;
	const char *host;
	int port;
	const char *path;
};

static const struct split_case split_cases[] = {
    {"http://127.0.0.1/", CX_OK, 0, "127.0.0.1", 80, "/"},
    {"https://127.0.0.1", CX_OK, 1, "127.0.0.1", 443, "/"},
    {"https://[::1]:8443/a?b=c", CX_OK, 1, "::1", 8443, "/a?b=c"},
    {"HTTP://Example.ORG:8080/x/y", CX_OK, 0, "Example.ORG", 8080, "/x/y"},
    {"ftp://127.0.0.1/", CX_EINVAL, 0, NULL, 0, NULL},
    {"http://", CX_EINVAL, 0, NULL, 0, NULL},
    {"not a url", CX_EINVAL, 0, NULL, 0, NULL},
    {"http://h:99999/", CX_EINVAL, 0, NULL, 0, NULL},
    {"", CX_EINVAL, 0, NULL, 0, NULL},
};

START_TEST(test_url_split)
{
	const struct split_case *c = &split_cases[_i];
	char *host = NULL, *path = NULL;
	int https = -1, port = -1;

	ck_assert_int_eq(http_url_split(c->url, &https, &host, &port, &path),
	                 c->rc);
	if (c->rc == CX_OK) {
		ck_assert_int_eq(https, c->https);
		ck_assert_str_eq(host, c->host);
		ck_assert_int_eq(port, c->port);
		ck_assert_str_eq(path, c->path);
	} else {
		ck_assert_ptr_null(host);
		ck_assert_ptr_null(path);
	}
	free(host);
	free(path);
}
END_TEST

struct resolve_case {
	const char *location;
	const char *want; /* NULL: refused */
};

static const struct resolve_case resolve_cases[] = {
    {"/x", "http://a.example/x"},
    {"../y", "http://a.example/y"},
    {"z?q=1", "http://a.example/b/z?q=1"},
    {"https://b.example:8443/", "https://b.example:8443/"},
    {"//c.example/d", "http://c.example/d"},
    {"javascript:alert(1)", NULL},
    {"ftp://a.example/", NULL},
    {"http://a b/", NULL},
    {"http://a.example/\r\nX-Injected: 1", NULL},
};

START_TEST(test_url_resolve)
{
	const struct resolve_case *c = &resolve_cases[_i];
	char *got = http_url_resolve("http://a.example/b/c", c->location);

	if (c->want == NULL)
		ck_assert_ptr_null(got);
	else
		ck_assert_str_eq(got, c->want);
	free(got);
}
END_TEST

/* Random bytes into every parser: must not crash (run under ASan in CI). */
START_TEST(test_random_input)
{
	static const char alphabet[] = "HTTP/1.1 200\r\n:;=,'\"<>/ -*a"
	                               "bcdefgnoscript-srcSecurehttpsnonce";
	unsigned long x = 88172645463325252UL;
	char buf[2048];
	size_t n, i;
	int round;

	for (round = 0; round < 3000; round++) {
		struct http_head h;
		struct http_cookie c;
		struct http_hsts hs;
		struct csp_policy p;
		struct html_info html;
		char tok[40];

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		n = (size_t)(x % (sizeof(buf) - 1));
		for (i = 0; i < n; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[i] = (round % 3 == 0)
			             ? (char)(x & 0xff)
			             : alphabet[x % (sizeof(alphabet) - 1)];
		}
		buf[n] = '\0';
		http_head_parse(buf, n, &h);
		http_head_clear(&h);
		http_cookie_parse(buf, &c);
		if (c.name != NULL)
			(void)http_cookie_prefix_problem(&c, round & 1);
		http_cookie_clear(&c);
		http_hsts_parse(buf, &hs);
		(void)http_xfo_parse(buf);
		(void)http_referrer_parse(buf, tok, sizeof(tok));
		(void)http_corp_parse(buf);
		ck_assert_int_eq(csp_parse(buf, &p), CX_OK);
		(void)csp_evaluate(&p, round & 1);
		csp_policy_clear(&p);
		ck_assert_int_eq(html_scan(buf, n, &html), CX_OK);
		html_info_clear(&html);
	}
}
END_TEST

static Suite *http_parse_suite(void)
{
	Suite *s = suite_create("http_parse");
	TCase *tc;

	tc = tcase_create("head");
	tcase_add_test(tc, test_head_basic);
	tcase_add_test(tc, test_head_interim_and_lf);
	tcase_add_loop_test(tc, test_head_table, 0,
	                    (int)(sizeof(head_cases) / sizeof(head_cases[0])));
	tcase_add_test(tc, test_head_oversized);
	suite_add_tcase(s, tc);

	tc = tcase_create("cookie");
	tcase_add_loop_test(
	    tc, test_cookie_table, 0,
	    (int)(sizeof(cookie_cases) / sizeof(cookie_cases[0])));
	tcase_add_test(tc, test_cookie_misc);
	suite_add_tcase(s, tc);

	tc = tcase_create("headers");
	tcase_add_loop_test(tc, test_hsts_table, 0,
	                    (int)(sizeof(hsts_cases) / sizeof(hsts_cases[0])));
	tcase_add_test(tc, test_single_headers);
	suite_add_tcase(s, tc);

	tc = tcase_create("csp");
	tcase_add_loop_test(tc, test_csp_table, 0,
	                    (int)(sizeof(csp_cases) / sizeof(csp_cases[0])));
	tcase_add_test(tc, test_csp_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("html");
	tcase_add_test(tc, test_html_scan);
	tcase_add_test(tc, test_html_hostile);
	suite_add_tcase(s, tc);

	tc = tcase_create("url");
	tcase_add_loop_test(
	    tc, test_url_split, 0,
	    (int)(sizeof(split_cases) / sizeof(split_cases[0])));
	tcase_add_loop_test(
	    tc, test_url_resolve, 0,
	    (int)(sizeof(resolve_cases) / sizeof(resolve_cases[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_add_test(tc, test_random_input);
	suite_add_tcase(s, tc);

	tc = tcase_create("score");
	tcase_add_loop_test(
	    tc, test_score_table, 0,
	    (int)(sizeof(score_cases) / sizeof(score_cases[0])));
	tcase_add_test(tc, test_score_misc);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(http_parse_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
