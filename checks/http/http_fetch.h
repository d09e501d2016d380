/*
 * certexam — HTTP requests for the http check: libcurl's multi interface
 * driven from the cx_loop (CURLMOPT_SOCKETFUNCTION, CURLMOPT_TIMERFUNCTION,
 * curl_multi_socket_action).  Internal API.
 *
 * Safety rules the fetcher enforces for every request:
 *   - the caller gives the numeric address to connect to; a host name in
 *     the URL is pinned to it with CURLOPT_RESOLVE, so curl never asks DNS;
 *   - curl never follows redirects (the caller does, hop by hop, after a
 *     scope check); no proxy from the environment is used;
 *   - only http and https; TLS verification off (the tls check judges
 *     certificates); HTTP/1.1 so headers arrive as sent;
 *   - bodies beyond body_max are cut (truncated = 1), per-request timeouts,
 *     at most max_inflight transfers at a time (others wait in a queue).
 */
#ifndef CX_HTTP_FETCH_H
#define CX_HTTP_FETCH_H

#include <stddef.h>
#include "certexam/loop.h"
#include "certexam/target.h"
#include "certexam/util.h"

struct http_fetcher;
struct http_req;

typedef void (*http_done_cb)(struct http_req *req);

struct http_req {
	/* set by the caller (http_req_new) */
	char *url;
	char *method;   /* "GET", "OPTIONS", "TRACE", ... */
	char *extra[8]; /* extra request header lines, "Name: value" */
	size_t n_extra;
	struct cx_addr addr; /* where to connect */
	http_done_cb done;
	void *arg;       /* the caller's */
	int kind;        /* the caller's tag */
	char *tag;       /* the caller's text (a path, an origin) */
	size_t body_max; /* 0: the fetcher's limit; never above it */

	/* results */
	int curl_code;          /* CURLcode, 0 = ok */
	char errbuf[256];       /* what happened, in English (observations) */
	const char *fail_msg;   /* message id of what happened, or NULL */
	char liberr[256];       /* libcurl's own text, as it gave it */
	struct cx_buf req_head; /* request head as sent */
	struct cx_buf head;     /* response head bytes as received */
	struct cx_buf body;     /* at most body_max bytes */
	int truncated;
	int head_truncated; /* the head went over HEAD_MAX */
	double seconds;

	/* private */
	struct http_fetcher *f;
	void *easy;
	void *slist;
	void *resolve;
	struct http_req *next;
};

/*
 * A new fetcher on loop.  max_inflight >= 1, timeout_ms and
 * connect_timeout_ms per request, body_max bytes per body.
 */
int http_fetcher_new(struct cx_loop *loop, int max_inflight, long timeout_ms,
                     long connect_timeout_ms, size_t body_max,
                     struct http_fetcher **out);
/*
 * Free the fetcher: transfers still running are aborted (their done
 * callbacks are not called).  NULL accepted.
 */
void http_fetcher_free(struct http_fetcher *f);

/*
 * A new request (not yet started): url must be http:// or https:// with a
 * host that is either addr's numeric text or a name pinned to addr.
 * Caller owns it until http_fetch_start() succeeds; after done() it is the
 * caller's again (http_req_free).  NULL on ENOMEM.
 */
struct http_req *http_req_new(const char *url, const char *method,
                              const struct cx_addr *addr, http_done_cb done,
                              void *arg, int kind);
/* Add a request header line ("Origin: null").  0, CX_ELIMIT, CX_ENOMEM. */
int http_req_header(struct http_req *r, const char *line);
void http_req_free(struct http_req *r);

/*
 * Queue a request.  done(req) is called from the loop when it finished
 * (curl_code says how).  0, or an error when it could not be queued (then
 * the caller still owns req).
 */
int http_fetch_start(struct http_fetcher *f, struct http_req *r);
/* Requests queued or running. */
size_t http_fetcher_pending(const struct http_fetcher *f);

/*
 * Split an http(s) URL: scheme ("http"/"https"), host (without brackets),
 * port (default by scheme) and path+query ("/" when empty).  Returns 0 or
 * CX_EINVAL.  host and path are new strings the caller frees.
 */
int http_url_split(const char *url, int *https, char **host, int *port,
                   char **path);
/*
 * Resolve a Location value against base into an absolute URL (curl URL
 * API, no network).  Caller frees; NULL when it cannot be resolved or is
 * not http(s).
 */
char *http_url_resolve(const char *base, const char *location);

#endif
