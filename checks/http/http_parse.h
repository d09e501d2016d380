/*
 * certexam — parsers and evaluators for the http check (internal API).
 *
 * Everything here reads bytes a target sent, so every function is bounded
 * and length-checked: header blocks beyond HTTP_MAX_HEADERS lines or
 * HTTP_MAX_LINE bytes per line are cut (and flagged), policies beyond
 * HTTP_MAX_DIRECTIVES directives or HTTP_MAX_SOURCES sources per directive
 * are cut (and flagged).  No function prints or exits.
 */
#ifndef CX_HTTP_PARSE_H
#define CX_HTTP_PARSE_H

#include <stddef.h>

#define HTTP_MAX_HEADERS      256
#define HTTP_MAX_LINE         16384
#define HTTP_MAX_DIRECTIVES   64
#define HTTP_MAX_SOURCES      128
#define HTTP_MAX_COOKIE_ATTRS 32

/* One header field as received (name and value trimmed, raw bytes). */
struct http_header {
	char *name;
	char *value;
};

/* A parsed response head: status line and header fields. */
struct http_head {
	char *status_line; /* "HTTP/1.1 200 OK" (bytes as received) */
	int version;       /* 10, 11, 20 ... or 0 when unknown */
	int status;        /* 100..599, or 0 when the status line is bad */
	struct http_header *h;
	size_t n_h;
	int truncated; /* header count or line length limit hit */
	int malformed; /* lines without a colon, obs-fold ... */
};

/*
 * Parse a response head (status line, CRLF or LF separated fields, ending
 * at the first empty line or at len).  When a block holds several heads
 * (1xx interim responses) only the last one is kept.  Returns 0, CX_EPARSE
 * (no status line) or CX_ENOMEM; on CX_EPARSE head is still initialised
 * and may be cleared.  head is the caller's (http_head_clear).
 */
int http_head_parse(const char *raw, size_t len, struct http_head *head);
void http_head_clear(struct http_head *head);
/* First value of a header (case-insensitive name), or NULL.  Borrowed. */
const char *http_head_get(const struct http_head *head, const char *name);
/* Number of fields with this name. */
size_t http_head_count(const struct http_head *head, const char *name);
/* The i-th (0-based) field with this name, or NULL.  Borrowed. */
const char *http_head_get_nth(const struct http_head *head, const char *name,
                              size_t i);
/* The next field with this name at or after index *pos (start at 0), or
 * NULL; *pos moves past it.  Walking every field of a name this way is
 * linear in the head (get_nth in a loop is not).  Borrowed. */
const char *http_head_next(const struct http_head *head, const char *name,
                           size_t *pos);

/* Set-Cookie. */
enum http_samesite {
	HTTP_SS_ABSENT = 0,
	HTTP_SS_STRICT,
	HTTP_SS_LAX,
	HTTP_SS_NONE,
	HTTP_SS_INVALID,
};

struct http_cookie {
	char *name;   /* never NULL after a successful parse */
	char *domain; /* NULL when absent */
	char *path;   /* NULL when absent */
	int secure;
	int httponly;
	enum http_samesite samesite;
	int has_expires;
	int has_max_age;
	long max_age;
	int truncated; /* attribute limit hit */
};

/*
 * Parse one Set-Cookie value (RFC 6265 section 5.2).  Returns 0, CX_EPARSE
 * (no '=' in the name-value pair or an empty name) or CX_ENOMEM.  c is the
 * caller's (http_cookie_clear) and is initialised in every case.
 */
int http_cookie_parse(const char *value, struct http_cookie *c);
void http_cookie_clear(struct http_cookie *c);
/*
 * Prefix rules: returns NULL when the name has no prefix or obeys its
 * rules, else the message id of the broken rule (web.cookie.prefix.*,
 * parameter {cookie}).  https says whether the cookie was set over https.
 */
const char *http_cookie_prefix_problem(const struct http_cookie *c, int https);
/* 1 if the cookie expires in the past (Max-Age <= 0): a deletion. */
int http_cookie_is_deletion(const struct http_cookie *c);

/* Strict-Transport-Security (RFC 6797 section 6.1). */
struct http_hsts {
	int valid;         /* 1 if the header parses with one max-age */
	long long max_age; /* -1 when absent or invalid */
	int include_subdomains;
	int preload;
};
/* Parse an HSTS value; never fails (invalid input gives valid = 0). */
void http_hsts_parse(const char *value, struct http_hsts *out);

/* X-Frame-Options. */
enum http_xfo {
	HTTP_XFO_ABSENT = 0,
	HTTP_XFO_DENY,
	HTTP_XFO_SAMEORIGIN,
	HTTP_XFO_ALLOW_FROM, /* obsolete: ignored by current browsers */
	HTTP_XFO_INVALID,
};
enum http_xfo http_xfo_parse(const char *value);

/* Referrer-Policy: the last recognised token wins (W3C spec). */
enum http_referrer {
	HTTP_RP_ABSENT = 0,
	HTTP_RP_PRIVATE, /* no-referrer, same-origin, strict-origin,
	                    strict-origin-when-cross-origin */
	HTTP_RP_NRWD,    /* no-referrer-when-downgrade */
	HTTP_RP_UNSAFE,  /* origin, origin-when-cross-origin,
	                    unsafe-url */
	HTTP_RP_INVALID,
};
/* token_out (may be NULL, >= 40 bytes) receives the effective token. */
enum http_referrer http_referrer_parse(const char *value, char *token_out,
                                       size_t token_sz);

/* 1 if X-Content-Type-Options is exactly "nosniff" (trimmed, any case). */
int http_xcto_valid(const char *value);

/* Cross-Origin-Resource-Policy: 0 absent, 1 same-origin, 2 same-site,
 * 3 cross-origin, -1 invalid. */
int http_corp_parse(const char *value);

/* Content-Security-Policy. */
struct csp_directive {
	char *name; /* lower case */
	char **src; /* source expressions, as written */
	size_t n_src;
};

struct csp_policy {
	struct csp_directive *d;
	size_t n_d;
	char **dups; /* names of directives that occurred twice */
	size_t n_dups;
	int truncated;
	int invalid; /* unknown characters, empty directive names */
};

/*
 * Parse one serialized policy (W3C CSP3 2.2.1): directives separated by
 * ';', names case-insensitive, later duplicates ignored and recorded in
 * dups.  A header value holding several policies separated by ',' must be
 * split by the caller (csp_split).  Returns 0 or CX_ENOMEM; p is the
 * caller's (csp_policy_clear).
 */
int csp_parse(const char *value, struct csp_policy *p);
void csp_policy_clear(struct csp_policy *p);
/* The directive, or NULL.  Borrowed. */
const struct csp_directive *csp_get(const struct csp_policy *p,
                                    const char *name);

/* Evaluation flags for one policy. */
#define CSP_DEFAULT_NONE          0x00001u /* default-src 'none' */
#define CSP_SCRIPT_UNSAFE_INLINE  0x00002u /* effective, after nonce/hash */
#define CSP_SCRIPT_UNSAFE_EVAL    0x00004u
#define CSP_SCRIPT_BROAD          0x00008u /* *, scheme-only or data: */
#define CSP_SCRIPT_UNRESTRICTED   0x00010u /* no script-src, no default-src */
#define CSP_OBJECT_BROAD          0x00020u
#define CSP_OBJECT_UNRESTRICTED   0x00040u
#define CSP_INSECURE_SCHEME       0x00080u /* http: sources for active content */
#define CSP_INSECURE_PASSIVE      0x00100u /* http: sources for img/media */
#define CSP_STRICT_DYNAMIC        0x00200u
#define CSP_NO_FRAME_ANCESTORS    0x00400u
#define CSP_FRAME_ANCESTORS_BROAD 0x00800u
#define CSP_NO_BASE_URI           0x01000u
#define CSP_NO_FORM_ACTION        0x02000u
#define CSP_DUPLICATE             0x04000u
#define CSP_STYLE_UNSAFE          0x08000u /* 'unsafe-inline', data: or broad */
#define CSP_NONCE_OR_HASH         0x10000u /* script-src has a nonce or hash */
#define CSP_INVALID               0x20000u

/*
 * Evaluate a policy.  https says whether the page was served over https
 * (http: sources are then insecure).  Returns an OR of CSP_* flags.
 */
unsigned csp_evaluate(const struct csp_policy *p, int https);

/*
 * Split a header value into policies at ',' (outside nothing: CSP has no
 * quoting that may hold a comma).  Calls cb for each non-empty policy
 * text; stops at HTTP_MAX_DIRECTIVES policies.  Returns the count.
 */
size_t csp_split(const char *value,
                 void (*cb)(const char *policy, size_t len, void *arg),
                 void *arg);

/* Minimal HTML scan (no DOM; bounded, tolerant of garbage). */
struct html_script {
	char *src; /* NULL for inline scripts */
	int has_integrity;
};

struct html_form {
	char *action; /* NULL when absent */
	int has_password;
	int has_hidden; /* an <input type=hidden> (e.g. a CSRF token) */
};

struct html_info {
	struct html_script *scripts;
	size_t n_scripts;
	struct html_form *forms;
	size_t n_forms;
	char *generator; /* <meta name="generator" content> */
	char **meta_csp; /* <meta http-equiv="Content-Security-Policy"> */
	size_t n_meta_csp;
	char *title;
	int truncated;
};

/* Scan at most len bytes of HTML.  0 or CX_ENOMEM. */
int html_scan(const char *body, size_t len, struct html_info *out);
void html_info_clear(struct html_info *h);

/* Scoring, modelled on Mozilla's HTTP Observatory (docs/http-scoring.md). */
#define HTTP_SCORE_ALGORITHM "certexam-http-score/1"

enum score_test {
	ST_CSP = 0,
	ST_COOKIES,
	ST_CORS,
	ST_REDIRECTION,
	ST_REFERRER,
	ST_HSTS,
	ST_SRI,
	ST_XCTO,
	ST_XFO,
	ST_CORP,
	ST__COUNT
};

/* Test names as the Observatory uses them ("content-security-policy"). */
const char *score_test_name(enum score_test t);

/*
 * One result per test: the Observatory's result name (e.g.
 * "csp-implemented-with-unsafe-inline") and its modifier.  Unknown names
 * give CX_EINVAL.
 */
int score_modifier(const char *result, int *modifier);

struct score_result {
	const char *result[ST__COUNT]; /* static strings */
	int modifier[ST__COUNT];
	int score;
	const char *grade;
};

/*
 * Compute score and grade from the results already set in s->result[]
 * (NULL entries count 0): 100 + penalties, floor 0, bonuses only when the
 * score after penalties is >= 90.  Returns 0 or CX_EINVAL (unknown
 * result name).
 */
int score_compute(struct score_result *s);
/* The grade for a score: "A+" .. "F".  Static. */
const char *score_grade(int score);

#endif
