/*
 * certexam — libcurl multi driven from the cx_loop, for the http check.
 * See http_fetch.h for the safety rules every request obeys.
 */
#include <stdio.h>
#include <sys/socket.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "certexam/error.h"
#include "certexam/loop.h"
#include "certexam/util.h"
#include "certexam/version.h"
#include "http_fetch.h"

#define HEAD_MAX      (64 * 1024)
#define HEAD_MAX_TEXT "64 KiB" /* HEAD_MAX, in words */
#define REQ_HEAD_MAX  (16 * 1024)

struct http_fetcher {
	struct cx_loop *loop;
	CURLM *multi;
	struct cx_timer timer;
	int max_inflight;
	int inflight;
	long timeout_ms;
	long connect_timeout_ms;
	size_t body_max;
	struct http_req *queue_head, *queue_tail;
	struct http_req **running; /* inflight requests, to abort on free */
	size_t n_running, cap_running;
	int *fds; /* fds registered with the loop */
	size_t n_fds, cap_fds;
	int in_callback;
};

static int curl_ready;

static void track_fd(struct http_fetcher *f, int fd)
{
	if (cx_grow(&f->fds, &f->cap_fds, f->n_fds + 1, sizeof(*f->fds)) == 0)
		f->fds[f->n_fds++] = fd;
}

static void untrack_fd(struct http_fetcher *f, int fd)
{
	size_t i;

	for (i = 0; i < f->n_fds; i++) {
		if (f->fds[i] == fd) {
			f->fds[i] = f->fds[--f->n_fds];
			return;
		}
	}
}

static void process_done(struct http_fetcher *f);
static void pump(struct http_fetcher *f);

static void io_cb(struct cx_loop *loop, int fd, unsigned events, void *arg)
{
	struct http_fetcher *f = arg;
	int running = 0, flags = 0;

	(void)loop;
	if (events & CX_EV_READ)
		flags |= CURL_CSELECT_IN;
	if (events & CX_EV_WRITE)
		flags |= CURL_CSELECT_OUT;
	if (events & CX_EV_ERROR)
		flags |= CURL_CSELECT_ERR;
	curl_multi_socket_action(f->multi, fd, flags, &running);
	process_done(f);
}

static void timer_cb(struct cx_loop *loop, struct cx_timer *t)
{
	struct http_fetcher *f = t->arg;
	int running = 0;

	(void)loop;
	curl_multi_socket_action(f->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	process_done(f);
}

static int sock_cb(CURL *e, curl_socket_t s, int what, void *userp,
                   void *socketp)
{
	struct http_fetcher *f = userp;
	unsigned ev = 0;

	(void)e;
	if (what == CURL_POLL_REMOVE) {
		if (socketp != NULL) {
			cx_loop_del(f->loop, s);
			untrack_fd(f, s);
			curl_multi_assign(f->multi, s, NULL);
		}
		return 0;
	}
	if (what & CURL_POLL_IN)
		ev |= CX_EV_READ;
	if (what & CURL_POLL_OUT)
		ev |= CX_EV_WRITE;
	if (socketp == NULL) {
		if (cx_loop_add(f->loop, s, ev, io_cb, f) != CX_OK)
			return -1;
		track_fd(f, s);
		curl_multi_assign(f->multi, s, f);
	} else if (cx_loop_mod(f->loop, s, ev) != CX_OK) {
		return -1;
	}
	return 0;
}

static int timerfunc(CURLM *m, long timeout_ms, void *userp)
{
	struct http_fetcher *f = userp;

	(void)m;
	if (timeout_ms < 0) {
		cx_timer_stop(f->loop, &f->timer);
		return 0;
	}
	if (cx_timer_start(f->loop, &f->timer, (uint64_t)timeout_ms) != CX_OK)
		return -1;
	return 0;
}

int http_fetcher_new(struct cx_loop *loop, int max_inflight, long timeout_ms,
                     long connect_timeout_ms, size_t body_max,
                     struct http_fetcher **out)
{
	struct http_fetcher *f;

	*out = NULL;
	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return CX_ESYS;
		curl_ready = 1;
	}
	f = calloc(1, sizeof(*f));
	if (f == NULL)
		return CX_ENOMEM;
	f->loop = loop;
	f->max_inflight = max_inflight < 1 ? 1 : max_inflight;
	f->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
	f->connect_timeout_ms =
	    connect_timeout_ms > 0 ? connect_timeout_ms : f->timeout_ms;
	f->body_max = body_max;
	f->multi = curl_multi_init();
	if (f->multi == NULL) {
		free(f);
		return CX_ENOMEM;
	}
	cx_timer_init(&f->timer, timer_cb, f);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETFUNCTION, sock_cb);
	curl_multi_setopt(f->multi, CURLMOPT_SOCKETDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERFUNCTION, timerfunc);
	curl_multi_setopt(f->multi, CURLMOPT_TIMERDATA, f);
	curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
	                  (long)f->max_inflight);
	/* Few connections per origin: kept alive and reused, so a TLS site
	 * costs a handful of handshakes, not one per request. */
	curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 6L);
	*out = f;
	return CX_OK;
}

static void req_release_easy(struct http_req *r)
{
	if (r->easy != NULL) {
		curl_easy_cleanup(r->easy);
		r->easy = NULL;
	}
	curl_slist_free_all(r->slist);
	r->slist = NULL;
	curl_slist_free_all(r->resolve);
	r->resolve = NULL;
}

void http_fetcher_free(struct http_fetcher *f)
{
	struct http_req *r, *next;
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n_running; i++) {
		r = f->running[i];
		curl_multi_remove_handle(f->multi, r->easy);
		req_release_easy(r);
		http_req_free(r);
	}
	for (r = f->queue_head; r != NULL; r = next) {
		next = r->next;
		http_req_free(r);
	}
	curl_multi_cleanup(f->multi);
	for (i = 0; i < f->n_fds; i++)
		cx_loop_del(f->loop, f->fds[i]);
	cx_timer_stop(f->loop, &f->timer);
	free(f->fds);
	free(f->running);
	free(f);
}

size_t http_fetcher_pending(const struct http_fetcher *f)
{
	size_t n = f->n_running;
	const struct http_req *r;

	for (r = f->queue_head; r != NULL; r = r->next)
		n++;
	return n;
}

struct http_req *http_req_new(const char *url, const char *method,
                              const struct cx_addr *addr, http_done_cb done,
                              void *arg, int kind)
{
	struct http_req *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->url = cx_strdup(url);
	r->method = cx_strdup(method ? method : "GET");
	if (r->url == NULL || r->method == NULL) {
		http_req_free(r);
		return NULL;
	}
	r->addr = *addr;
	r->done = done;
	r->arg = arg;
	r->kind = kind;
	return r;
}

int http_req_header(struct http_req *r, const char *line)
{
	if (r->n_extra >= CX_ARRAY_LEN(r->extra))
		return CX_ELIMIT;
	r->extra[r->n_extra] = cx_strdup(line);
	if (r->extra[r->n_extra] == NULL)
		return CX_ENOMEM;
	r->n_extra++;
	return CX_OK;
}

void http_req_free(struct http_req *r)
{
	size_t i;

	if (r == NULL)
		return;
	req_release_easy(r);
	free(r->url);
	free(r->method);
	free(r->tag);
	for (i = 0; i < r->n_extra; i++)
		free(r->extra[i]);
	cx_buf_free(&r->req_head);
	cx_buf_free(&r->head);
	cx_buf_free(&r->body);
	free(r);
}

static size_t header_cb(char *p, size_t size, size_t n, void *ud)
{
	struct http_req *r = ud;
	size_t len = size * n;

	if (r->head.len + len > HEAD_MAX) {
		r->truncated = 1;
		r->head_truncated = 1;
		return len; /* keep going, stop storing */
	}
	if (cx_buf_append(&r->head, p, len) != CX_OK)
		return 0;
	return len;
}

static size_t write_cb(char *p, size_t size, size_t n, void *ud)
{
	struct http_req *r = ud;
	size_t len = size * n, room, max;

	max = r->body_max > 0 && r->body_max < r->f->body_max ? r->body_max
	                                                      : r->f->body_max;
	room = max > r->body.len ? max - r->body.len : 0;
	if (len > room) {
		if (room > 0 && cx_buf_append(&r->body, p, room) != CX_OK)
			return 0;
		r->truncated = 1;
		return 0; /* abort: CURLE_WRITE_ERROR, flagged truncated */
	}
	if (cx_buf_append(&r->body, p, len) != CX_OK)
		return 0;
	return len;
}

static int debug_cb(CURL *e, curl_infotype type, char *data, size_t size,
                    void *ud)
{
	struct http_req *r = ud;

	(void)e;
	if (type != CURLINFO_HEADER_OUT)
		return 0;
	if (r->req_head.len + size > REQ_HEAD_MAX)
		return 0;
	cx_buf_append(&r->req_head, data, size);
	return 0;
}

int http_url_split(const char *url, int *https, char **host, int *port,
                   char **path)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *h = NULL, *p = NULL, *q = NULL, *ps = NULL;
	long pn;
	size_t hl;
	int rc = CX_EINVAL;

	*host = NULL;
	*path = NULL;
	if (u == NULL)
		return CX_ENOMEM;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
		goto out;
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &h, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &ps, CURLU_DEFAULT_PORT) !=
	        CURLUE_OK)
		goto out;
	if (cx_strcaseeq(scheme, "https"))
		*https = 1;
	else if (cx_strcaseeq(scheme, "http"))
		*https = 0;
	else
		goto out;
	if (cx_parse_long(ps, 1, 65535, &pn) != CX_OK)
		goto out;
	*port = (int)pn;
	curl_url_get(u, CURLUPART_PATH, &p, 0);
	curl_url_get(u, CURLUPART_QUERY, &q, 0);
	hl = strlen(h);
	if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']')
		*host = cx_strndup(h + 1, hl - 2);
	else
		*host = cx_strdup(h);
	if (q != NULL)
		*path = cx_asprintf("%s?%s", p && *p ? p : "/", q);
	else
		*path = cx_strdup(p && *p ? p : "/");
	if (*host == NULL || *path == NULL) {
		free(*host);
		free(*path);
		*host = NULL;
		*path = NULL;
		rc = CX_ENOMEM;
		goto out;
	}
	rc = CX_OK;
out:
	curl_free(scheme);
	curl_free(h);
	curl_free(p);
	curl_free(q);
	curl_free(ps);
	curl_url_cleanup(u);
	return rc;
}

char *http_url_resolve(const char *base, const char *location)
{
	CURLU *u = curl_url();
	char *s = NULL, *res = NULL, *scheme = NULL;

	if (u == NULL)
		return NULL;
	if (curl_url_set(u, CURLUPART_URL, base, 0) != CURLUE_OK)
		goto out;
	if (curl_url_set(u, CURLUPART_URL, location, 0) != CURLUE_OK)
		goto out;
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		goto out;
	if (!cx_strcaseeq(scheme, "http") && !cx_strcaseeq(scheme, "https"))
		goto out;
	if (curl_url_get(u, CURLUPART_URL, &s, 0) != CURLUE_OK)
		goto out;
	res = cx_strdup(s);
out:
	curl_free(s);
	curl_free(scheme);
	curl_url_cleanup(u);
	return res;
}

/* Configure and add one queued request; CX_* on failure. */
static int launch(struct http_fetcher *f, struct http_req *r)
{
	char *host = NULL, *path = NULL, *line = NULL;
	char addr[64];
	struct cx_addr parsed;
	struct curl_slist *sl;
	CURL *e;
	int https, port, rc;
	size_t i;

	rc = http_url_split(r->url, &https, &host, &port, &path);
	if (rc != CX_OK)
		return rc;
	cx_addr_str(&r->addr, addr, sizeof(addr));
	e = curl_easy_init();
	if (e == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	r->easy = e;
	r->f = f;
	if (cx_addr_parse(host, &parsed) == CX_OK) {
		/* A numeric host must be the address we were given. */
		if (cx_addr_cmp(&parsed, &r->addr) != 0) {
			rc = CX_ESCOPE;
			goto out;
		}
	} else {
		line = cx_asprintf(r->addr.family == AF_INET6 ? "%s:%d:[%s]"
		                                              : "%s:%d:%s",
		                   host, port, addr);
		if (line == NULL) {
			rc = CX_ENOMEM;
			goto out;
		}
		sl = curl_slist_append(r->resolve, line);
		if (sl == NULL) {
			rc = CX_ENOMEM;
			goto out;
		}
		r->resolve = sl;
		curl_easy_setopt(e, CURLOPT_RESOLVE, r->resolve);
	}
	for (i = 0; i < r->n_extra; i++) {
		sl = curl_slist_append(r->slist, r->extra[i]);
		if (sl == NULL) {
			rc = CX_ENOMEM;
			goto out;
		}
		r->slist = sl;
	}
	sl = curl_slist_append(r->slist, "Expect:");
	if (sl == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	r->slist = sl;
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->slist);
	if (strcmp(r->method, "HEAD") == 0)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else if (strcmp(r->method, "GET") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_PROXY, "");
	curl_easy_setopt(e, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, f->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, f->connect_timeout_ms);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT,
	                 CX_TOOL_NAME "/" CX_VERSION
	                              " (certification examination)");
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, debug_cb);
	curl_easy_setopt(e, CURLOPT_DEBUGDATA, r);
	curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	if (cx_grow(&f->running, &f->cap_running, f->n_running + 1,
	            sizeof(*f->running))) {
		rc = CX_ENOMEM;
		goto out;
	}
	if (curl_multi_add_handle(f->multi, e) != CURLM_OK) {
		rc = CX_ESYS;
		goto out;
	}
	f->running[f->n_running++] = r;
	f->inflight++;
	rc = CX_OK;
out:
	if (rc != CX_OK)
		req_release_easy(r);
	free(host);
	free(path);
	free(line);
	return rc;
}

/*
 * What happened, in the examiner's words, with libcurl's own text kept in
 * parentheses: libcurl calls a header line over its 100 KiB limit "Out of
 * memory", a NUL in a header or a bad chunk a receive error.
 */
static void explain(const struct http_fetcher *f, struct http_req *r, int code)
{
	char lib[sizeof(r->errbuf)];
	const char *what, *msg;

	snprintf(lib, sizeof(lib), "%s",
	         r->errbuf[0] ? r->errbuf
	         : code > 0   ? curl_easy_strerror((CURLcode)code)
	                      : "internal error");
	if (r->head_truncated || r->head.len + 1024 >= HEAD_MAX) {
		what = "response head larger than " HEAD_MAX_TEXT
		       ": header too large";
		msg = "web.nc.unreachable.head-too-large";
	} else if (code == CURLE_OUT_OF_MEMORY) {
		what = "header too large: a response header line exceeds "
		       "libcurl's limit (100 KiB)";
		msg = "web.nc.unreachable.line-too-large";
	} else if (code == CURLE_OPERATION_TIMEDOUT) {
		what = "timed out: no complete response within the probe "
		       "timeout (a tarpit or a slow drip)";
		msg = "web.nc.unreachable.timeout";
	} else if (code == CURLE_WEIRD_SERVER_REPLY ||
	           code == CURLE_UNSUPPORTED_PROTOCOL || code == CURLE_HTTP2 ||
	           code == CURLE_HTTP2_STREAM) {
		what = "protocol error: the reply is not valid HTTP";
		msg = "web.nc.unreachable.not-http";
	} else if (code == CURLE_BAD_CONTENT_ENCODING) {
		what = "protocol error: the body's content encoding "
		       "(compression) is invalid";
		msg = "web.nc.unreachable.bad-encoding";
	} else if (code == CURLE_RECV_ERROR && (strstr(lib, "chunk") != NULL ||
	                                        strstr(lib, "Nul") != NULL)) {
		what = "protocol error: malformed chunked body or header";
		msg = "web.nc.unreachable.malformed";
	} else if (code == CURLE_PARTIAL_FILE) {
		what = "protocol error: the body ended before its announced "
		       "length";
		msg = "web.nc.unreachable.short-body";
	} else if (code == CURLE_GOT_NOTHING) {
		what = "protocol error: the server closed without a reply";
		msg = "web.nc.unreachable.no-reply";
	} else if (code == CURLE_FILESIZE_EXCEEDED ||
	           (code == CURLE_WRITE_ERROR && r->truncated)) {
		what = "body limit: the body exceeds the limit";
		msg = "web.nc.unreachable.body-limit";
	} else if (code == CURLE_SSL_CONNECT_ERROR) {
		what = "TLS handshake failed";
		msg = "web.nc.unreachable.tls";
	} else if (code == CURLE_COULDNT_CONNECT) {
		what = "connection refused or unreachable";
		msg = "web.nc.unreachable.refused";
	} else if (code == CURLE_RECV_ERROR || code == CURLE_SEND_ERROR) {
		what = "connection error";
		msg = "web.nc.unreachable.connection";
	} else {
		what = "request failed";
		msg = "web.nc.unreachable.failed";
	}
	(void)f;
	r->fail_msg = msg;
	snprintf(r->liberr, sizeof(r->liberr), "%s", lib);
	/* cut libcurl's text to what fits after ours */
	snprintf(r->errbuf, sizeof(r->errbuf), "%s (libcurl: %.*s)", what,
	         (int)(sizeof(r->errbuf) > strlen(what) + 13
	                   ? sizeof(r->errbuf) - strlen(what) - 13
	                   : 0),
	         lib);
}

static void finish(struct http_fetcher *f, struct http_req *r, int code)
{
	size_t i;

	for (i = 0; i < f->n_running; i++) {
		if (f->running[i] == r) {
			f->running[i] = f->running[--f->n_running];
			break;
		}
	}
	r->curl_code = code;
	if (code != 0)
		explain(f, r, code);
	req_release_easy(r);
	r->done(r);
}

static void pump(struct http_fetcher *f)
{
	struct http_req *r;
	int rc;

	while (f->inflight < f->max_inflight && f->queue_head != NULL) {
		r = f->queue_head;
		f->queue_head = r->next;
		if (f->queue_head == NULL)
			f->queue_tail = NULL;
		r->next = NULL;
		rc = launch(f, r);
		if (rc != CX_OK) {
			snprintf(r->errbuf, sizeof(r->errbuf), "%s",
			         cx_strerror(rc));
			snprintf(r->liberr, sizeof(r->liberr), "%s", r->errbuf);
			r->fail_msg = "web.nc.unreachable.failed";
			r->curl_code = -1;
			r->done(r);
		}
	}
}

static void process_done(struct http_fetcher *f)
{
	CURLMsg *msg;
	int left;
	struct http_req *r;
	char *priv;
	double t;

	for (;;) {
		msg = curl_multi_info_read(f->multi, &left);
		if (msg == NULL)
			break;
		if (msg->msg != CURLMSG_DONE)
			continue;
		priv = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &priv);
		r = (struct http_req *)(void *)priv;
		t = 0;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_TOTAL_TIME, &t);
		r->seconds = t;
		curl_multi_remove_handle(f->multi, msg->easy_handle);
		f->inflight--;
		finish(f, r,
		       (msg->data.result == CURLE_WRITE_ERROR && r->truncated)
		           ? 0
		           : (int)msg->data.result);
	}
	pump(f);
}

int http_fetch_start(struct http_fetcher *f, struct http_req *r)
{
	r->f = f;
	r->next = NULL;
	if (f->queue_tail != NULL)
		f->queue_tail->next = r;
	else
		f->queue_head = r;
	f->queue_tail = r;
	pump(f);
	return CX_OK;
}
