/*
 * certexam — what the files of the http check share (private to
 * checks/http/).
 *
 * A resource (struct res) is a start URL with its finished requests
 * (struct done) and the phase of its request state machine
 * (http_request.c); struct state is one run of the check over all
 * resources (http_collect.c).  The evaluators (http_eval*.c) fill a
 * struct eval with problems and per-requirement states that
 * http_emit.c turns into findings.  Everything not declared here is
 * static to its file.
 */
#ifndef CX_HTTP_INT_H
#define CX_HTTP_INT_H

#include <stddef.h>
#include <stdint.h>

#include "certexam/check.h"
#include "certexam/loop.h"
#include "http_fetch.h"
#include "http_parse.h"

#define MAX_HOPS 10

enum kind {
	K_CHAIN = 0,
	K_BASE1, /* soft-404 baseline and error page */
	K_BASE2, /* a second baseline: a dot file */
	K_CORS_GET_RAND,
	K_CORS_GET_NULL,
	K_CORS_OPT_RAND,
	K_CORS_OPT_NULL,
	K_OPTIONS,
	K_TRACE,
	K_TRACK,
	K_PROPFIND,
	K_PUT,
	K_DELETE,
	K_SECTXT,
	K_ROBOTS,
	K_EXPOSE,
	K_ROBOTS_ENTRY,
	K_COMPRESS, /* the final page asked for gzip, deflate, br (BREACH) */
};

enum phase { P_CHAIN = 0, P_PROBES, P_EXPOSE, P_DONE };

/* What a sensitive path must contain to count as exposed. */
enum validator {
	V_GIT_HEAD,
	V_GIT_CONFIG,
	V_ENV,
	V_APACHE_STATUS,
	V_NGINX_STATUS,
	V_PHPINFO,
	V_ARCHIVE,
	V_SQL,
	V_PHP_SOURCE,
	V_DS_STORE,
	V_SVN,
	V_HTACCESS,
	V_LISTING,
};

struct sensitive {
	const char *path;
	enum validator v;
	const char *what;
};

/* A finished request and its parsed response head. */
struct done {
	struct http_req *req;
	struct http_head head;
	int ok;                       /* a response head was received */
	char *evid;                   /* evidence id once stored */
	const struct sensitive *sens; /* K_EXPOSE */
};

struct state;

struct res {
	struct state *st;
	char *url;      /* the start URL: the asset */
	char *delegate; /* https resource that judges this one, or NULL */
	struct res *delegate_res;        /* that resource (borrowed), or NULL */
	const char *sibling_redirection; /* redirect result of the first
	                                    http resource delegating here */
	char *origin_owner;      /* resource judging origin-wide requirements */
	const char *redirection; /* score result of the redirect test */
	int evaluated;
	int https;
	char *host;
	char *path; /* path and query of the start URL */
	int port;
	struct cx_addr addr;
	struct done *d;
	size_t n_d, cap_d;
	size_t chain[MAX_HOPS + 1];
	size_t n_chain;
	char *chain_note;      /* why the chain stopped early, or NULL */
	const char *chain_msg; /* the same as a message id, or NULL */
	char *offsite;         /* first redirect target on another host */
	int final_https;
	char *final_url;
	char *final_host;
	int final_port;
	char *final_path;
	struct cx_addr final_addr;
	long used, budget;
	int budget_hit;
	int pending;
	int issuing;
	enum phase phase;
	char rnd[33];
	uint64_t t0, t1;
};

struct state {
	struct cx_check_ctx *ctx;
	struct http_fetcher *f;
	struct cx_loop *loop;
	struct res **res;
	size_t n_res, cap_res;
	size_t *res_slot; /* index of res by scheme, port, host and path:
	                     position + 1, 0 when empty (http_collect.c) */
	size_t cap_slot;  /* a power of two, at least 2 * n_res */
	size_t n_finished;
	struct cx_timer guard;
	int guard_fired;
};

/* Further exchanges one problem keeps (e.g. the CORS variants). */
#define HTTP_PROB_MORE 4

/* Name/value pairs a message of a finding carries at most. */
#define HTTP_MAX_ARGS 4

/*
 * The words of a finding: a message id of profiles/i18n/ (a literal, one
 * id per cause) and its parameters as owned copies, the values made text
 * (they may hold bytes from the target).  args is NULL-terminated.
 */
struct words {
	const char *msg;
	char *args[2 * HTTP_MAX_ARGS + 1];
};

/* Set w to msg with a CX_ARGS list (pairs with a NULL value are kept out;
 * more than HTTP_MAX_ARGS pairs are cut).  w's old words are freed. */
void http_words_set(struct words *w, const char *msg, const char *const *args);
void http_words_clear(struct words *w);

struct prob {
	int req; /* 1..15: WEB-NN */
	char *item;
	enum cx_certainty cert;
	struct words w; /* what it is: message id and parameters */
	char *observed; /* raw bytes as received (a header line), or NULL */
	const struct done *d; /* the exchange that shows it, or NULL */
	const struct done *more[HTTP_PROB_MORE]; /* other exchanges showing
	                                            the same problem */
	size_t n_more;
	int at_most; /* 0, or CX_SEVERITY(s): no more severe than s */
};

#define N_REQ 15

struct eval {
	struct res *r;
	struct prob *p;
	size_t n_p, cap_p;
	int state[N_REQ + 1];        /* 0 unset, 1 evaluated, 2 not checked,
	                                3 not applicable */
	struct words why[N_REQ + 1]; /* reason for 2 and 3, pass words for 1 */
	char *why_raw[N_REQ + 1];    /* raw header bytes behind why, or NULL */
	const struct done *pass_d[N_REQ + 1];
	/* BREACH on an https page: TLS-09 item "breach" (http_emit.c). */
	struct {
		int judged;            /* 0: not recorded (not https) */
		enum cx_status status; /* pass, fail (potential), not checked */
		struct words w;
		char *observed; /* the Content-Encoding header as received */
		const struct done *d;
	} breach;
};

/* http_request.c: the state machine. */

/* The well-known sensitive paths, requested in phase 3. */
extern const struct sensitive http_sensitive_paths[];
extern const size_t http_n_sensitive;

/* "scheme://host[:port]path" for an origin; path NULL means "/".  The
 * caller frees the result; NULL when out of memory. */
char *http_origin_url(int https, const char *host, int port, const char *path);
/* The in-scope address for a URL host into *out, or CX_ESCOPE. */
int http_scope_addr(const struct cx_scope *s, const char *host,
                    struct cx_addr *out);
/* Start one request for r (h1, h2: extra header lines or NULL; tag: kept
 * on the request); CX_ELIMIT when the budget is spent. */
int http_issue(struct res *r, int kind, const char *method, const char *url,
               const struct cx_addr *addr, const char *tag, const char *h1,
               const char *h2);
/* Move r to its next phase once nothing is pending. */
void http_advance(struct res *r);
/* The first finished request of that kind, or NULL.  Borrowed. */
const struct done *http_find_kind(const struct res *r, int kind);
/* The last response of the redirect chain, or NULL.  Borrowed. */
const struct done *http_final_done(const struct res *r);

/* http_eval.c: the driver and what the evaluators share. */

/* Evaluate a finished resource and record its findings. */
void http_evaluate(struct res *r);
/* Record a problem of requirement req (1..N_REQ) said by message msg
 * with args (a CX_ARGS list or NULL); item, the args' values and
 * observed (raw header bytes only) may hold bytes from the target (they
 * are made text); d is borrowed. */
void http_prob(struct eval *ev, int req, const char *item,
               enum cx_certainty cert, const struct done *d, const char *msg,
               const char *const *args, const char *observed);
/* Set requirement req's state (1 evaluated, 2 not checked, 3 not
 * applicable) with the message that gives the reason or says what
 * passed; a found problem stays. */
void http_mark(struct eval *ev, int req, int state, const char *msg,
               const char *const *args, const struct done *d);
/* The same with the raw header bytes the pass rests on (or NULL). */
void http_mark_raw(struct eval *ev, int req, int state, const char *msg,
                   const char *const *args, const char *raw,
                   const struct done *d);
/* The last recorded problem: no more severe than s (the profile's
 * severity when that is lower). */
void http_prob_at_most(struct eval *ev, enum cx_severity s);
/* The last recorded problem: d shows it too (kept up to HTTP_PROB_MORE). */
void http_prob_more(struct eval *ev, const struct done *d);
void http_eval_clear(struct eval *ev);
/* Case-insensitive search of needle in s[0..n); s may be NULL. */
int http_contains_ci(const char *s, size_t n, const char *needle);
int http_has_digit(const char *s);
/* "product/1.2" style version text in s[0..n). */
int http_has_version_token(const char *s, size_t n);
/* Whether probe answered like the soft-404 baseline base. */
int http_like_baseline(const struct done *probe, const struct done *base);
int http_body_is_html(const struct done *d);

/* The evaluator families, in the order http_evaluate() runs them. */
void http_eval_redirects(struct eval *ev, struct score_result *sc);
int http_eval_hsts(struct eval *ev, struct score_result *sc);
void http_eval_csp(struct eval *ev, struct score_result *sc,
                   const struct done *fd, const struct html_info *html,
                   unsigned *flags_out);
void http_eval_xfo(struct eval *ev, struct score_result *sc,
                   const struct done *fd, unsigned csp);
void http_eval_simple_headers(struct eval *ev, struct score_result *sc,
                              const struct done *fd);
void http_eval_error_page(struct eval *ev, const struct done *fd,
                          const struct done *nf);
void http_eval_cookies(struct eval *ev, struct score_result *sc, int hsts);
void http_eval_cors(struct eval *ev, struct score_result *sc);
void http_eval_disclosure(struct eval *ev, const struct done *fd,
                          const struct html_info *html);
void http_eval_methods(struct eval *ev);
void http_eval_exposure(struct eval *ev, const struct done *fd,
                        const struct html_info *html);
void http_eval_content(struct eval *ev, struct score_result *sc,
                       const struct done *fd, const struct html_info *html);
void http_eval_sectxt(struct eval *ev);
void http_eval_breach(struct eval *ev, const struct done *fd,
                      const struct html_info *html);

/* http_emit.c: the run record. */

/* The findings of an evaluated resource and its observation. */
void http_emit_resource(struct eval *ev, const struct score_result *sc);
/* Every requirement not checked: the resource could not be reviewed
 * (why_msg NULL: the reason is the first request's failure or the
 * chain's note), or its final response head was cut at a parser limit
 * (why_msg "web.nc.header-too-large"). */
void http_evaluate_unreachable(struct res *r, const char *why_msg);

#endif
