/*
 * certexam — the TLS probe engine: non-blocking connections on the event
 * loop, each with a deadline, an optional STARTTLS prelude (SMTP, IMAP,
 * POP3, FTP), then either a hand-built hello and the server's answer
 * parsed with tls_parse(), or a full OpenSSL handshake.  A bounded number
 * of connections is in flight; the rest wait in a queue.  On top of it,
 * the per-endpoint enumeration: protocols, suites per protocol in the
 * server's order, preference, groups, DH size, compression, Heartbleed,
 * CCS injection, TLS_FALLBACK_SCSV, client-initiated renegotiation.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/ct.h>

#include "certexam/error.h"
#include "certexam/target.h"
#include "tls_int.h"

enum conn_kind { K_RAW, K_OSSL };
enum conn_state {
	S_QUEUED,
	S_CONNECT,
	S_PRELUDE,
	S_HELLO,
	S_POST,
	S_SSL,
	S_RENEG,
	S_DONE
};
enum conn_end {
	E_NONE,
	E_DONE,
	E_BAD,
	E_CLOSED,
	E_TIMEOUT,
	E_CONNFAIL,
	E_ERROR
};
/* What a raw probe is for. */
enum purpose {
	P_DETECT,
	P_CHAIN,
	P_PREF,
	P_GROUP13,
	P_GROUP12,
	P_COMP,
	P_HEARTBLEED,
	P_CCS,
	P_FALLBACK,
	P_OSSL,
	P_RENEG,
	P_ROBOT,
	P_SNI
};

struct tls_conn {
	struct tls_conn *next;          /* queue link */
	struct tls_conn *lnext, *lprev; /* in-flight list */
	struct tls_ep *ep;
	enum conn_kind kind;
	enum conn_state state;
	enum purpose purpose;
	int proto; /* protocol index for chains and prefs */
	int fd;
	struct cx_timer timer;
	struct cx_buf out;
	size_t out_pos;
	struct cx_buf pre; /* STARTTLS commands */
	size_t pre_pos;
	struct cx_buf in;
	size_t post_base; /* input offset when the post record went */
	int ssl2;
	enum conn_end end;
	struct tls_resp resp;
	struct tls_resp post; /* what came after the heartbeat/CCS */
	int prelude_step;
	uint16_t *offered; /* suites or groups offered (owned) */
	size_t n_offered;
	SSL *ssl;
	int reneg_started;
	int variant; /* ROBOT variant */
	char err[120];
};

static void conn_finish(struct tls_conn *c, enum conn_end end);

/* snprintf that tolerates truncation without -Wformat-truncation noise. */
static void setf(char *dst, size_t dsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void setf(char *dst, size_t dsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, dsz, fmt, ap);
	va_end(ap);
}
static void ep_probe_done(struct tls_conn *c);
static void pump(struct tls_scan *s);

/* ------------------------------------------------------------------ */
/* Suite lists. */

static int suites_for(int proto, uint16_t *out, size_t cap)
{
	size_t i, n = 0;
	const struct tls_suite *s;

	for (i = 0; i < tls_suite_count() && n < cap; i++) {
		s = tls_suite_at(i);
		if (s->code > 0xffff || (s->flags & TLS_SF_SSL2))
			continue;
		if (proto == 5 ? !(s->flags & TLS_SF_TLS13)
		               : (s->flags & TLS_SF_TLS13) != 0)
			continue;
		out[n++] = (uint16_t)s->code;
	}
	return (int)n;
}

static int ssl2_specs(uint32_t *out, size_t cap)
{
	size_t i, n = 0;
	const struct tls_suite *s;

	for (i = 0; i < tls_suite_count() && n < cap; i++) {
		s = tls_suite_at(i);
		if (s->flags & TLS_SF_SSL2)
			out[n++] = s->code & 0xffffff;
	}
	return (int)n;
}

/* ------------------------------------------------------------------ */
/* Connections. */

static struct tls_conn *conn_new(struct tls_ep *ep, enum conn_kind kind,
                                 enum purpose purpose, int proto)
{
	struct tls_conn *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		ep->scan->err = CX_ENOMEM;
		return NULL;
	}
	c->ep = ep;
	c->kind = kind;
	c->purpose = purpose;
	c->proto = proto;
	c->fd = -1;
	c->state = S_QUEUED;
	return c;
}

static void conn_free(struct tls_conn *c)
{
	if (c == NULL)
		return;
	cx_buf_free(&c->out);
	cx_buf_free(&c->pre);
	cx_buf_free(&c->in);
	tls_resp_clear(&c->resp);
	tls_resp_clear(&c->post);
	free(c->offered);
	if (c->ssl != NULL)
		SSL_free(c->ssl);
	free(c);
}

static void enqueue(struct tls_conn *c)
{
	struct tls_scan *s = c->ep->scan;

	c->ep->pending++;
	c->ep->probes++;
	if (s->queue_tail != NULL)
		s->queue_tail->next = c;
	else
		s->queue_head = c;
	s->queue_tail = c;
}

static void on_timer(struct cx_loop *loop, struct cx_timer *t)
{
	struct tls_conn *c = t->arg;

	(void)loop;
	if (c->state == S_POST) {
		conn_finish(c, E_DONE); /* silence after the post record */
		return;
	}
	conn_finish(c, E_TIMEOUT);
}

static void conn_finish(struct tls_conn *c, enum conn_end end)
{
	struct tls_scan *s = c->ep->scan;

	if (c->state == S_DONE)
		return;
	c->state = S_DONE;
	c->end = end;
	cx_timer_stop(s->loop, &c->timer);
	if (c->fd >= 0) {
		struct linger lg = {1, 0};
		cx_loop_del(s->loop, c->fd);
		setsockopt(c->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(c->fd);
		c->fd = -1;
	}
	s->inflight--;
	c->ep->inflight--;
	if (c->lprev != NULL)
		c->lprev->lnext = c->lnext;
	else if (s->live == c)
		s->live = c->lnext;
	if (c->lnext != NULL)
		c->lnext->lprev = c->lprev;
	c->lnext = c->lprev = NULL;
	ep_probe_done(c);
	conn_free(c);
	pump(s);
}

static int want(struct tls_conn *c, unsigned ev)
{
	return cx_loop_mod(c->ep->scan->loop, c->fd, ev);
}

/* STARTTLS preludes: what to expect, then what to send. */
struct step {
	const char *expect;
	const char *send;
};
static const struct step st_smtp[] = {
    {"220", "EHLO certexam.invalid\r\n"},
    {"250", "STARTTLS\r\n"},
    {"220", NULL},
};
static const struct step st_imap[] = {
    {"* OK", "a1 STARTTLS\r\n"},
    {"a1 OK", NULL},
};
static const struct step st_pop3[] = {
    {"+OK", "STLS\r\n"},
    {"+OK", NULL},
};
static const struct step st_ftp[] = {
    {"220", "AUTH TLS\r\n"},
    {"234", NULL},
};

static const struct step *prelude(enum tls_starttls st, size_t *n)
{
	switch (st) {
	case TLS_ST_SMTP:
		*n = CX_ARRAY_LEN(st_smtp);
		return st_smtp;
	case TLS_ST_IMAP:
		*n = CX_ARRAY_LEN(st_imap);
		return st_imap;
	case TLS_ST_POP3:
		*n = CX_ARRAY_LEN(st_pop3);
		return st_pop3;
	case TLS_ST_FTP:
		*n = CX_ARRAY_LEN(st_ftp);
		return st_ftp;
	default:
		*n = 0;
		return NULL;
	}
}

/*
 * Look at the complete lines read so far for step st: 1 matched, 0 need
 * more, -1 refused.
 */
static int prelude_match(const struct cx_buf *in, const struct step *st)
{
	size_t off = 0, el = strlen(st->expect);
	const char *line, *nl;
	int numeric = st->expect[0] >= '0' && st->expect[0] <= '9';

	while (off < in->len) {
		line = in->data + off;
		nl = memchr(line, '\n', in->len - off);
		if (nl == NULL)
			return 0;
		off = (size_t)(nl - in->data) + 1;
		if (numeric) {
			if (nl - line < 4 || line[3] != ' ')
				continue; /* continuation line */
			return strncmp(line, st->expect, el) == 0 ? 1 : -1;
		}
		if (strncmp(line, st->expect, el) == 0)
			return 1;
		if (line[0] == '*')
			continue; /* untagged IMAP line */
		return -1;
	}
	return 0;
}

static int start_tls_phase(struct tls_conn *c);

static void on_io(struct cx_loop *loop, int fd, unsigned ev, void *arg);

static int start_ssl(struct tls_conn *c)
{
	struct tls_scan *s = c->ep->scan;
	SSL_CTX *ctx = c->purpose == P_RENEG ? s->ssl_ctx12 : s->ssl_ctx;
	static const unsigned char alpn[] = "\x02h2\x08http/1.1";

	c->ssl = SSL_new(ctx);
	if (c->ssl == NULL)
		return CX_ETLS;
	if (SSL_set_fd(c->ssl, c->fd) != 1)
		return CX_ETLS;
	if (c->purpose == P_SNI)
		SSL_set_tlsext_host_name(c->ssl, c->ep->names[c->variant]);
	else if (c->ep->sni != NULL)
		SSL_set_tlsext_host_name(c->ssl, c->ep->sni);
	if (c->purpose == P_OSSL) {
		SSL_set_tlsext_status_type(c->ssl, TLSEXT_STATUSTYPE_ocsp);
		SSL_set_alpn_protos(c->ssl, alpn, sizeof(alpn) - 1);
	}
	SSL_set_connect_state(c->ssl);
	c->state = S_SSL;
	return CX_OK;
}

static int start_tls_phase(struct tls_conn *c)
{
	cx_buf_free(&c->in);
	if (c->kind == K_OSSL)
		return start_ssl(c);
	c->state = S_HELLO;
	c->out_pos = 0;
	return want(c, CX_EV_WRITE | CX_EV_READ);
}

static int flush_buf(int fd, const struct cx_buf *b, size_t *pos)
{
	ssize_t n;

	while (*pos < b->len) {
		n = send(fd, b->data + *pos, b->len - *pos, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -1;
		}
		*pos += (size_t)n;
	}
	return 1;
}

static int flush_out(struct tls_conn *c)
{
	return flush_buf(c->fd, &c->out, &c->out_pos);
}

/* Read what is there; 1 data read, 0 nothing (EAGAIN), -1 EOF/error. */
static int read_in(struct tls_conn *c, size_t limit)
{
	char tmp[16384];
	ssize_t n;
	int got = 0;

	for (;;) {
		if (c->in.len >= limit)
			return got ? 1 : -1;
		n = recv(c->fd, tmp, sizeof(tmp), 0);
		if (n > 0) {
			size_t take = (size_t)n;
			if (c->in.len + take > limit)
				take = limit - c->in.len;
			if (cx_buf_append(&c->in, tmp, take) != 0)
				return -1;
			got = 1;
			continue;
		}
		if (n == 0)
			return got ? 2 : -1;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return got;
		return -1;
	}
}

static void do_prelude(struct tls_conn *c, unsigned ev)
{
	size_t n;
	const struct step *steps = prelude(c->ep->starttls, &n);
	int r, m;

	if (c->pre_pos < c->pre.len) {
		r = flush_buf(c->fd, &c->pre, &c->pre_pos);
		if (r < 0) {
			conn_finish(c, E_CLOSED);
			return;
		}
		if (r == 0)
			return;
		want(c, CX_EV_READ);
	}
	if (!(ev & (CX_EV_READ | CX_EV_ERROR)))
		return;
	r = read_in(c, 8192);
	m = prelude_match(&c->in, &steps[c->prelude_step]);
	if (m < 0 || (m == 0 && (r < 0 || r == 2 || c->in.len >= 8192))) {
		snprintf(c->err, sizeof(c->err), "STARTTLS refused");
		conn_finish(c, E_BAD);
		return;
	}
	if (m == 0)
		return;
	if (steps[c->prelude_step].send != NULL) {
		cx_buf_free(&c->in);
		c->pre.len = 0;
		c->pre_pos = 0;
		if (cx_buf_puts(&c->pre, steps[c->prelude_step].send) != 0) {
			conn_finish(c, E_ERROR);
			return;
		}
		c->prelude_step++;
		want(c, CX_EV_WRITE | CX_EV_READ);
		return;
	}
	if (start_tls_phase(c) != 0) {
		conn_finish(c, E_ERROR);
		return;
	}
	if (c->kind == K_OSSL)
		on_io(c->ep->scan->loop, c->fd, CX_EV_WRITE, c);
}

static void do_hello(struct tls_conn *c, unsigned ev)
{
	int r, p;

	if (c->out_pos < c->out.len) {
		r = flush_out(c);
		if (r < 0) {
			conn_finish(c, E_CLOSED);
			return;
		}
		if (r == 0)
			return;
		want(c, CX_EV_READ);
	}
	if (!(ev & (CX_EV_READ | CX_EV_ERROR)))
		return;
	r = read_in(c, TLS_PARSE_LIMIT);
	if (c->state == S_POST) {
		if (c->in.len > c->post_base) {
			p = tls_parse((uint8_t *)c->in.data + c->post_base,
			              c->in.len - c->post_base, 0, &c->post);
			if (p != TLS_PARSE_MORE) {
				conn_finish(c, E_DONE);
				return;
			}
		}
		if (r < 0 || r == 2)
			conn_finish(c, E_CLOSED);
		return;
	}
	p = tls_parse((uint8_t *)c->in.data, c->in.len, c->ssl2, &c->resp);
	if (p == TLS_PARSE_BAD) {
		conn_finish(c, E_BAD);
		return;
	}
	if (p == TLS_PARSE_DONE && c->purpose == P_ROBOT &&
	    c->resp.server_hello && !c->resp.alert && c->resp.n_certs > 0 &&
	    c->resp.version >= TLS_V_TLS10 && c->resp.version <= TLS_V_TLS12) {
		cx_buf_free(&c->out);
		c->out_pos = 0;
		if (tls_robot_build(c->resp.hs + c->resp.cert_off[0],
		                    c->resp.cert_len[0], c->resp.version,
		                    c->variant, &c->out) != 0) {
			setf(c->err, sizeof(c->err),
			     "no RSA certificate to encrypt to");
			conn_finish(c, E_ERROR);
			return;
		}
		c->post_base = c->in.len;
		c->state = S_POST;
		cx_timer_start(c->ep->scan->loop, &c->timer,
		               (uint64_t)c->ep->scan->silence_ms);
		if (flush_out(c) < 0) {
			conn_finish(c, E_CLOSED);
			return;
		}
		want(c, c->out_pos < c->out.len ? CX_EV_READ | CX_EV_WRITE
		                                : CX_EV_READ);
		return;
	}
	if (p == TLS_PARSE_DONE) {
		if ((c->purpose == P_HEARTBLEED || c->purpose == P_CCS) &&
		    c->resp.server_hello && !c->resp.alert &&
		    c->resp.version < TLS_V_TLS13) {
			/* Send the post record after the server's flight. */
			static const uint8_t hb[] = {24, 3, 1,    0,
			                             3,  1, 0x40, 0x00};
			static const uint8_t ccs[] = {20, 3, 1, 0, 1, 1};
			uint8_t rec[8];
			size_t len;
			if (c->purpose == P_HEARTBLEED) {
				memcpy(rec, hb, sizeof(hb));
				len = sizeof(hb);
			} else {
				memcpy(rec, ccs, sizeof(ccs));
				len = sizeof(ccs);
			}
			rec[1] = (uint8_t)(c->resp.version >> 8);
			rec[2] = (uint8_t)c->resp.version;
			cx_buf_free(&c->out);
			c->out_pos = 0;
			cx_buf_append(&c->out, rec, len);
			c->post_base = c->in.len;
			c->state = S_POST;
			cx_timer_start(c->ep->scan->loop, &c->timer,
			               (uint64_t)c->ep->scan->silence_ms);
			if (flush_out(c) < 0) {
				conn_finish(c, E_CLOSED);
				return;
			}
			want(c, c->out_pos < c->out.len
			            ? CX_EV_READ | CX_EV_WRITE
			            : CX_EV_READ);
			return;
		}
		conn_finish(c, E_DONE);
		return;
	}
	if (r < 0 || r == 2)
		conn_finish(c, E_CLOSED);
}

static void ssl_err(struct tls_conn *c, const char *what)
{
	unsigned long e = ERR_peek_last_error();
	char buf[120];

	if (e != 0) {
		ERR_error_string_n(e, buf, sizeof(buf));
		setf(c->err, sizeof(c->err), "%s: %s", what, buf);
	} else {
		snprintf(c->err, sizeof(c->err), "%s", what);
	}
	ERR_clear_error();
}

static void do_ssl(struct tls_conn *c)
{
	int r, e;

	ERR_clear_error();
	r = SSL_do_handshake(c->ssl);
	if (r == 1) {
		if (c->purpose == P_RENEG && !c->reneg_started) {
			if (SSL_version(c->ssl) > TLS1_2_VERSION ||
			    SSL_renegotiate(c->ssl) != 1) {
				snprintf(c->err, sizeof(c->err),
				         "renegotiation not possible with %s",
				         SSL_get_version(c->ssl));
				conn_finish(c, E_ERROR);
				return;
			}
			c->reneg_started = 1;
			c->state = S_RENEG;
			do_ssl(c);
			return;
		}
		if (c->purpose == P_RENEG && SSL_renegotiate_pending(c->ssl)) {
			want(c, CX_EV_READ);
			return;
		}
		conn_finish(c, E_DONE);
		return;
	}
	e = SSL_get_error(c->ssl, r);
	if (e == SSL_ERROR_WANT_READ) {
		want(c, CX_EV_READ);
		return;
	}
	if (e == SSL_ERROR_WANT_WRITE) {
		want(c, CX_EV_WRITE | CX_EV_READ);
		return;
	}
	ssl_err(c, c->reneg_started ? "renegotiation refused"
	                            : "handshake failed");
	conn_finish(c, E_BAD);
}

static void on_io(struct cx_loop *loop, int fd, unsigned ev, void *arg)
{
	struct tls_conn *c = arg;
	int err = 0;
	socklen_t el = sizeof(err);

	(void)loop;
	switch (c->state) {
	case S_CONNECT:
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0 ||
		    err != 0) {
			snprintf(c->err, sizeof(c->err), "connect: %s",
			         strerror(err ? err : errno));
			conn_finish(c, E_CONNFAIL);
			return;
		}
		cx_timer_start(loop, &c->timer,
		               (uint64_t)c->ep->scan->probe_timeout_ms);
		if (c->ep->starttls != TLS_ST_NONE) {
			c->state = S_PRELUDE;
			want(c, CX_EV_READ);
			return;
		}
		if (start_tls_phase(c) != 0) {
			conn_finish(c, E_ERROR);
			return;
		}
		if (c->kind == K_OSSL)
			do_ssl(c);
		else
			do_hello(c, CX_EV_WRITE);
		return;
	case S_PRELUDE:
		do_prelude(c, ev);
		return;
	case S_HELLO:
	case S_POST:
		do_hello(c, ev);
		return;
	case S_SSL:
	case S_RENEG:
		do_ssl(c);
		return;
	default:
		return;
	}
}

static void conn_start(struct tls_conn *c)
{
	struct tls_scan *s = c->ep->scan;
	int fd, one = 1;

	s->inflight++;
	c->ep->inflight++;
	c->lnext = s->live;
	if (s->live != NULL)
		s->live->lprev = c;
	s->live = c;
	cx_timer_init(&c->timer, on_timer, c);
	c->state = S_CONNECT;
	fd = socket(c->ep->sa.ss_family,
	            SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(c->err, sizeof(c->err), "socket: %s", strerror(errno));
		conn_finish(c, E_ERROR);
		return;
	}
	c->fd = fd;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&c->ep->sa, c->ep->salen) != 0 &&
	    errno != EINPROGRESS) {
		snprintf(c->err, sizeof(c->err), "connect: %s",
		         strerror(errno));
		conn_finish(c, E_CONNFAIL);
		return;
	}
	if (cx_loop_add(s->loop, fd, CX_EV_WRITE, on_io, c) != 0) {
		conn_finish(c, E_ERROR);
		return;
	}
	cx_timer_start(s->loop, &c->timer, (uint64_t)s->connect_timeout_ms);
}

static void on_rate_timer(struct cx_loop *loop, struct cx_timer *t)
{
	(void)loop;
	pump(t->arg);
}

/*
 * Start queued connections while the bounds allow: at most max_inflight
 * in flight, at most TLS_EP_INFLIGHT per endpoint (gentle on one server),
 * at most rate starts per second when rate > 0.
 */
static void pump(struct tls_scan *s)
{
	struct tls_conn *c, *prev = NULL, *next;
	uint64_t now;

	for (c = s->queue_head; c != NULL && s->inflight < s->max_inflight;
	     c = next) {
		next = c->next;
		if (c->ep->inflight >= TLS_EP_INFLIGHT) {
			prev = c;
			continue;
		}
		if (s->rate > 0) {
			now = cx_loop_update_time(s->loop);
			if (now - s->window_start >= 1000) {
				s->window_start = now;
				s->window_count = 0;
			}
			if (s->window_count >= s->rate) {
				if (!cx_timer_active(&s->rate_timer))
					cx_timer_start(s->loop, &s->rate_timer,
					               s->window_start + 1000 -
					                   now);
				return;
			}
			s->window_count++;
		}
		if (prev != NULL)
			prev->next = next;
		else
			s->queue_head = next;
		if (s->queue_tail == c)
			s->queue_tail = prev;
		c->next = NULL;
		conn_start(c);
		/* conn_start may finish c and start others: rescan */
		prev = NULL;
		next = s->queue_head;
	}
}

/* ------------------------------------------------------------------ */
/* Probes of the enumeration. */

static int raw_probe(struct tls_ep *ep, enum purpose purpose, int proto,
                     const uint16_t *suites, size_t n_suites,
                     const uint16_t *groups, size_t n_groups, int deflate)
{
	struct tls_hello_opts o;
	struct tls_conn *c;
	uint32_t specs[64];
	int rc, n;

	c = conn_new(ep, K_RAW, purpose, proto);
	if (c == NULL)
		return CX_ENOMEM;
	if (proto == 0) {
		n = ssl2_specs(specs, CX_ARRAY_LEN(specs));
		c->ssl2 = 1;
		rc = tls_build_sslv2_hello(&c->out, specs, (size_t)n);
	} else {
		memset(&o, 0, sizeof(o));
		o.version = proto == 5 ? TLS_V_TLS12 : tls_proto_version(proto);
		o.tls13 = proto == 5;
		o.suites = suites;
		o.n_suites = n_suites;
		o.groups = groups;
		o.n_groups = n_groups;
		o.deflate = deflate;
		o.sni = ep->sni;
		o.heartbeat = purpose == P_HEARTBLEED || purpose == P_CHAIN ||
		              purpose == P_DETECT;
		o.status_request = 1;
		o.no_extensions = proto == 1 && purpose != P_HEARTBLEED;
		if (purpose == P_DETECT)
			o.tls13 = 2;
		rc = tls_build_hello(&c->out, &o);
		if (rc == 0 && n_suites > 0) {
			c->offered = malloc(n_suites * sizeof(*c->offered));
			if (c->offered == NULL)
				rc = CX_ENOMEM;
			else
				memcpy(c->offered, suites,
				       n_suites * sizeof(*suites));
			c->n_offered = n_suites;
		}
		if (rc == 0 && groups != NULL && purpose != P_CHAIN &&
		    purpose != P_PREF) {
			free(c->offered);
			c->offered = malloc((n_groups + 1) * sizeof(*groups));
			if (c->offered == NULL)
				rc = CX_ENOMEM;
			else
				memcpy(c->offered, groups,
				       n_groups * sizeof(*groups));
			c->n_offered = n_groups;
		}
	}
	if (rc != 0) {
		ep->scan->err = rc;
		conn_free(c);
		return rc;
	}
	enqueue(c);
	return CX_OK;
}

static int ossl_probe(struct tls_ep *ep, enum purpose purpose)
{
	struct tls_conn *c = conn_new(ep, K_OSSL, purpose, -1);

	if (c == NULL)
		return CX_ENOMEM;
	enqueue(c);
	return CX_OK;
}

static void full_suites(int proto, uint16_t *out, size_t *n)
{
	int k = suites_for(proto, out, TLS_MAX_SUITES);

	*n = k > 0 ? (size_t)k : 0;
	if (proto == 1 && *n < TLS_MAX_SUITES)
		out[(*n)++] = 0x00ff; /* renegotiation SCSV, no extensions */
}

static int highest(const struct tls_ep *ep, int max)
{
	int i;

	for (i = max; i >= 1; i--)
		if (ep->proto[i] == TLS_YES)
			return i;
	return -1;
}

static void start_stage1(struct tls_ep *ep)
{
	uint16_t suites[TLS_MAX_SUITES + 1];
	size_t n, k;
	int i;

	ep->stage = 1;
	for (i = 0; i < TLS_NPROTO; i++) {
		full_suites(i, suites, &n);
		raw_probe(ep, P_CHAIN, i, suites, n, NULL, 0, 0);
	}
	ossl_probe(ep, P_OSSL);
	/* Every further host name: its own handshake with that SNI. */
	for (k = 1; k < ep->n_names; k++)
		if (ossl_probe(ep, P_SNI) == 0)
			ep->scan->queue_tail->variant = (int)k;
}

/* ROBOT: five variants on the highest TLS version with RSA key exchange. */
static void start_robot(struct tls_ep *ep)
{
	uint16_t rsa[TLS_MAX_SUITES];
	size_t n = 0, j;
	int i, v;
	struct tls_conn *c;

	for (i = 4; i >= 2 && n == 0; i--) {
		if (ep->proto[i] != TLS_YES)
			continue;
		for (j = 0; j < ep->n_suites[i]; j++) {
			const struct tls_suite *s =
			    tls_suite_find(ep->suites[i][j]);
			if (s != NULL && strcmp(s->kx, "RSA") == 0 &&
			    !(s->flags & TLS_SF_EXPORT))
				rsa[n++] = (uint16_t)s->code;
		}
		if (n == 0)
			continue;
		for (v = 0; v < TLS_ROBOT_VARIANTS; v++) {
			if (raw_probe(ep, P_ROBOT, i, rsa, n, NULL, 0, 0) != 0)
				return;
			c = ep->scan->queue_tail;
			c->variant = v;
		}
		return;
	}
	ep->robot = ep->proto[1] == TLS_YES ? TLS_UNK : TLS_NO;
	setf(ep->robot_note, sizeof(ep->robot_note), "%s",
	     ep->proto[1] == TLS_YES
	         ? "RSA key exchange only with SSLv3, which this test "
	           "does not cover"
	         : "no RSA key-exchange suite accepted with TLS 1.0-1.2");
}

static void start_stage2(struct tls_ep *ep)
{
	static const uint16_t all_groups[] = {
	    TLS_G_X25519,
	    TLS_G_P256,
	    TLS_G_P384,
	    TLS_G_P521,
	    TLS_G_X448,
	    TLS_G_FFDHE2048,
	    TLS_G_FFDHE3072,
	    TLS_G_FFDHE4096,
	    TLS_G_FFDHE6144,
	    TLS_G_FFDHE8192,
	    21,
	    22,
	    19,
	    26,
	    27,
	    28,
	    34,
	    35,
	    36,
	    37,
	    38,
	    39,
	    40,
	};
	uint16_t buf[TLS_MAX_SUITES];
	size_t n, j;
	int i, hi, second;

	ep->stage = 2;
	/* server preference */
	for (i = 1; i < TLS_NPROTO; i++) {
		if (ep->proto[i] != TLS_YES || ep->n_suites[i] < 2)
			continue;
		for (j = 0; j < ep->n_suites[i]; j++)
			buf[j] =
			    (uint16_t)ep->suites[i][ep->n_suites[i] - 1 - j];
		raw_probe(ep, P_PREF, i, buf, ep->n_suites[i], NULL, 0, 0);
	}
	/* groups */
	if (ep->proto[5] == TLS_YES) {
		full_suites(5, buf, &n);
		raw_probe(ep, P_GROUP13, 5, buf, n, all_groups,
		          CX_ARRAY_LEN(all_groups), 0);
	} else if (ep->proto[4] == TLS_YES) {
		n = 0;
		for (j = 0; j < ep->n_suites[4]; j++) {
			const struct tls_suite *s =
			    tls_suite_find(ep->suites[4][j]);
			if (s != NULL && strcmp(s->kx, "ECDH") == 0)
				buf[n++] = (uint16_t)s->code;
		}
		if (n > 0)
			raw_probe(ep, P_GROUP12, 4, buf, n, all_groups,
			          CX_ARRAY_LEN(all_groups), 0);
	}
	hi = highest(ep, 4);
	if (hi >= 1) {
		full_suites(hi, buf, &n);
		raw_probe(ep, P_COMP, hi, buf, n, NULL, 0, 1);
		raw_probe(ep, P_CCS, hi, buf, n, NULL, 0, 0);
		if (ep->heartbeat_ext == TLS_YES)
			raw_probe(ep, P_HEARTBLEED, hi, buf, n, NULL, 0, 0);
		else if (ep->heartbleed == TLS_UNK) {
			ep->heartbleed = TLS_NO;
			snprintf(ep->heartbleed_note,
			         sizeof(ep->heartbleed_note),
			         "the server does not negotiate the heartbeat "
			         "extension (RFC 6520), so no heartbeat "
			         "request can be processed");
		}
		ossl_probe(ep, P_RENEG);
		start_robot(ep);
	} else {
		snprintf(ep->ccs_note, sizeof(ep->ccs_note),
		         "not applicable: no SSLv3-TLS 1.2 protocol accepted");
		snprintf(ep->heartbleed_note, sizeof(ep->heartbleed_note),
		         "not applicable: no SSLv3-TLS 1.2 protocol accepted");
		snprintf(ep->client_reneg_note, sizeof(ep->client_reneg_note),
		         "not applicable: renegotiation does not exist in "
		         "TLS 1.3");
		ep->ccs = ep->heartbleed = ep->client_reneg = TLS_NO;
	}
	/* TLS_FALLBACK_SCSV: a hello one version below the highest. */
	hi = highest(ep, 5);
	second = -1;
	for (i = hi - 1; i >= 1; i--)
		if (ep->proto[i] == TLS_YES) {
			second = i;
			break;
		}
	if (second >= 1) {
		full_suites(second, buf, &n);
		if (n < TLS_MAX_SUITES)
			buf[n++] = 0x5600;
		raw_probe(ep, P_FALLBACK, second, buf, n, NULL, 0, 0);
	} else {
		ep->fallback = TLS_UNK;
		snprintf(ep->fallback_note, sizeof(ep->fallback_note),
		         "only one protocol version accepted: no downgrade "
		         "possible");
	}
}

/* Keep the raw bytes of the first ServerHello flight as evidence. */
static void keep_evidence(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	size_t n = c->resp.sh_end ? c->resp.sh_end : c->in.len;

	if (ep->sh_raw.len > 0 && ep->sh_raw_proto >= c->proto)
		return;
	if (c->ssl2)
		n = c->in.len;
	ep->sh_raw.len = 0;
	if (cx_buf_append(&ep->sh_raw, c->in.data, n) == 0)
		ep->sh_raw_proto = c->proto;
}

static int has_suite(const struct tls_ep *ep, int proto, uint32_t code)
{
	size_t i;

	for (i = 0; i < ep->n_suites[proto]; i++)
		if (ep->suites[proto][i] == code)
			return 1;
	return 0;
}

static void add_group(struct tls_ep *ep, uint16_t g)
{
	size_t i;
	int bits = tls_group_bits(g);

	for (i = 0; i < ep->n_groups; i++)
		if (ep->groups[i] == g)
			return;
	if (ep->n_groups < TLS_MAX_GROUPS)
		ep->groups[ep->n_groups++] = g;
	if (g >= 256 && g <= 260) {
		if (ep->dh_min == 0 || bits < ep->dh_min)
			ep->dh_min = bits;
		if (bits > ep->dh_max)
			ep->dh_max = bits;
	} else if (bits > 0 && (ep->ecdh_min == 0 || bits < ep->ecdh_min)) {
		ep->ecdh_min = bits;
	}
}

static void raw_chain_cert(struct tls_ep *ep, const struct tls_resp *r)
{
	size_t i;
	const unsigned char *p;
	X509 *x;

	if (ep->chain != NULL || r->n_certs == 0)
		return;
	ep->chain = sk_X509_new_null();
	if (ep->chain == NULL)
		return;
	for (i = 0; i < r->n_certs; i++) {
		p = r->hs + r->cert_off[i];
		x = d2i_X509(NULL, &p, (long)r->cert_len[i]);
		if (x == NULL)
			break;
		if (!sk_X509_push(ep->chain, x)) {
			X509_free(x);
			break;
		}
	}
	ep->chain_src = 2;
}

/* A chain step answered: record the suite, ask again without it. */
static void chain_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	const struct tls_resp *r = &c->resp;
	int i = c->proto, accepted = 0;
	uint16_t next[TLS_MAX_SUITES];
	size_t j, n = 0;
	size_t k;

	if (c->end == E_DONE && r->server_hello && !r->hrr && i == 0 &&
	    r->is_ssl2 && r->n_ssl2_specs > 0)
		accepted = 1;
	else if ((c->end == E_DONE || c->end == E_CLOSED ||
	          c->end == E_TIMEOUT) &&
	         r->server_hello && tls_proto_index(r->version) == i && i > 0)
		accepted = 1; /* a parsed ServerHello is enough, even when the
		                 rest of the flight was cut off or too large */
	if (c->end == E_DONE || c->end == E_BAD || c->end == E_CLOSED)
		ep->is_tls = ep->is_tls || c->end == E_DONE;
	if (!accepted) {
		if (ep->proto[i] == TLS_UNK) {
			ep->proto[i] = TLS_NO;
			if (c->end == E_DONE && r->alert)
				snprintf(ep->proto_note[i],
				         sizeof(ep->proto_note[i]),
				         "refused with alert %s",
				         tls_alert_name(r->alert_desc));
			else if (c->end == E_DONE && r->server_hello)
				snprintf(ep->proto_note[i],
				         sizeof(ep->proto_note[i]),
				         "server answered with version 0x%04x",
				         r->version);
			else if (c->end == E_TIMEOUT)
				snprintf(ep->proto_note[i],
				         sizeof(ep->proto_note[i]),
				         "no answer before the deadline");
			else if (c->end == E_CONNFAIL || c->end == E_ERROR) {
				ep->proto[i] = TLS_UNK;
				setf(ep->proto_note[i],
				     sizeof(ep->proto_note[i]), "%s",
				     c->err[0] ? c->err : "connection failed");
			} else if (c->end == E_BAD && c->err[0])
				setf(ep->proto_note[i],
				     sizeof(ep->proto_note[i]), "%s", c->err);
			else
				snprintf(ep->proto_note[i],
				         sizeof(ep->proto_note[i]),
				         "connection closed without a "
				         "ServerHello");
		}
		return;
	}
	ep->proto[i] = TLS_YES;
	keep_evidence(c);
	if (i == 0) {
		for (k = 0; k < r->n_ssl2_specs && k < TLS_MAX_SUITES; k++)
			ep->suites[0][ep->n_suites[0]++] =
			    0x1000000u | r->ssl2_specs[k];
		raw_chain_cert(ep, r);
		return;
	}
	if (i < 5) {
		if (r->reneg_info && ep->reneg_secure != TLS_YES)
			ep->reneg_secure = TLS_YES;
		else if (ep->reneg_secure == TLS_UNK && i >= 2)
			ep->reneg_secure = TLS_NO;
		if (r->heartbeat)
			ep->heartbeat_ext = TLS_YES;
		raw_chain_cert(ep, r);
		if (r->dh_bits > 0) {
			if (ep->dh_min == 0 || r->dh_bits < ep->dh_min)
				ep->dh_min = r->dh_bits;
			if (r->dh_bits > ep->dh_max)
				ep->dh_max = r->dh_bits;
		}
		if (r->ske_group != 0)
			add_group(ep, r->ske_group);
	}
	if (has_suite(ep, i, r->suite) || ep->n_suites[i] >= TLS_MAX_SUITES) {
		ep->suites_truncated[i] = 1;
		return;
	}
	/* The server must pick one of what we offered. */
	for (j = 0; j < c->n_offered; j++)
		if (c->offered[j] == r->suite)
			break;
	if (j == c->n_offered) {
		snprintf(ep->proto_note[i], sizeof(ep->proto_note[i]),
		         "server chose suite 0x%04x that was not offered",
		         (unsigned)r->suite);
		ep->suites_truncated[i] = 1;
		return;
	}
	ep->suites[i][ep->n_suites[i]++] = r->suite;
	for (j = 0; j < c->n_offered; j++)
		if (c->offered[j] != r->suite && c->offered[j] != 0x00ff)
			next[n++] = c->offered[j];
	if (n == 0)
		return;
	if (i == 1)
		next[n++] = 0x00ff;
	raw_probe(ep, P_CHAIN, i, next, n, NULL, 0, 0);
}

static void group_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	const struct tls_resp *r = &c->resp;
	uint16_t g = 0, next[TLS_MAX_GROUPS];
	uint16_t suites[TLS_MAX_SUITES];
	size_t j, n = 0, ns;

	if (c->end != E_DONE || !r->server_hello)
		return;
	if (c->purpose == P_GROUP13) {
		ep->groups_method = 13;
		g = r->group;
	} else {
		ep->groups_method = ep->groups_method ? ep->groups_method : 12;
		g = r->ske_group;
	}
	if (g == 0)
		return;
	for (j = 0; j < c->n_offered; j++)
		if (c->offered[j] == g)
			break;
	if (j == c->n_offered)
		return; /* not offered: do not loop */
	add_group(ep, g);
	for (j = 0; j < c->n_offered && n < TLS_MAX_GROUPS; j++)
		if (c->offered[j] != g)
			next[n++] = c->offered[j];
	if (n == 0)
		return;
	if (c->purpose == P_GROUP13) {
		full_suites(5, suites, &ns);
	} else {
		ns = 0;
		for (j = 0; j < ep->n_suites[4]; j++) {
			const struct tls_suite *s =
			    tls_suite_find(ep->suites[4][j]);
			if (s != NULL && strcmp(s->kx, "ECDH") == 0)
				suites[ns++] = (uint16_t)s->code;
		}
	}
	raw_probe(ep, c->purpose, c->proto, suites, ns, next, n, 0);
}

static void pref_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	const struct tls_resp *r = &c->resp;
	int i = c->proto;

	if (c->end != E_DONE || !r->server_hello || r->alert)
		return;
	if (r->suite == ep->suites[i][0])
		ep->pref[i] = TLS_YES;
	else if (c->n_offered > 0 && r->suite == c->offered[0])
		ep->pref[i] = TLS_NO;
}

static void post_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	const struct tls_resp *p = &c->post;
	int hb = c->purpose == P_HEARTBLEED;
	int *res = hb ? &ep->heartbleed : &ep->ccs;
	char *note = hb ? ep->heartbleed_note : ep->ccs_note;
	size_t nsz = hb ? sizeof(ep->heartbleed_note) : sizeof(ep->ccs_note);

	if (c->state != S_DONE)
		return;
	if (c->end != E_DONE && c->end != E_CLOSED) {
		snprintf(note, nsz, "probe failed before the test record: %s",
		         c->err[0] ? c->err : "no ServerHello");
		return;
	}
	if (!c->resp.server_hello || c->resp.alert) {
		snprintf(note, nsz, "no handshake to test on (alert %s)",
		         tls_alert_name(c->resp.alert_desc));
		return;
	}
	if (hb) {
		if (p->heartbeat_reply && p->heartbeat_len > 3) {
			*res = TLS_YES;
			snprintf(note, nsz,
			         "heartbeat request with payload length 16384 "
			         "and no payload answered with %zu bytes: "
			         "memory disclosed",
			         p->heartbeat_len);
		} else {
			*res = TLS_NO;
			snprintf(note, nsz, "overlong heartbeat request %s",
			         p->alert             ? "answered with an alert"
			         : c->end == E_CLOSED ? "made the server close"
			                              : "was ignored");
		}
		return;
	}
	if (p->alert || c->end == E_CLOSED) {
		*res = TLS_NO;
		snprintf(note, nsz, "early ChangeCipherSpec rejected (%s)",
		         p->alert ? tls_alert_name(p->alert_desc)
		                  : "connection closed");
	} else {
		*res = TLS_POTENTIAL;
		snprintf(note, nsz,
		         "early ChangeCipherSpec accepted silently (no alert "
		         "within %d ms): potentially vulnerable",
		         ep->scan->silence_ms);
	}
}

static void ossl_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	STACK_OF(X509) * sk;
	const unsigned char *alpn = NULL, *ocsp = NULL;
	unsigned alen = 0;
	long olen;
	int i;

	if (c->purpose == P_SNI) {
		/* The leaf served for one more host name (SNI). */
		sk = c->end == E_DONE && c->ssl
		         ? SSL_get_peer_cert_chain(c->ssl)
		         : NULL;
		if (sk != NULL && sk_X509_num(sk) > 0 &&
		    (size_t)c->variant < ep->n_names &&
		    ep->name_leaf[c->variant] == NULL) {
			X509 *x = sk_X509_value(sk, 0);
			X509_up_ref(x);
			ep->name_leaf[c->variant] = x;
		}
		return;
	}
	if (c->purpose == P_RENEG) {
		if (c->end == E_DONE) {
			ep->client_reneg = TLS_YES;
			snprintf(ep->client_reneg_note,
			         sizeof(ep->client_reneg_note),
			         "client-initiated renegotiation completed "
			         "(%s)",
			         c->ssl ? SSL_get_version(c->ssl) : "?");
		} else if (c->reneg_started) {
			ep->client_reneg = TLS_NO;
			snprintf(ep->client_reneg_note,
			         sizeof(ep->client_reneg_note), "%s",
			         c->end == E_TIMEOUT
			             ? "renegotiation request ignored"
			             : c->err);
		} else {
			snprintf(ep->client_reneg_note,
			         sizeof(ep->client_reneg_note),
			         "not tested: %s",
			         c->err[0] ? c->err
			                   : "no TLS <= 1.2 handshake with the "
			                     "local TLS library");
		}
		return;
	}
	if (c->end != E_DONE || c->ssl == NULL) {
		snprintf(ep->ossl_err, sizeof(ep->ossl_err), "%s",
		         c->err[0] ? c->err : "handshake did not complete");
		return;
	}
	snprintf(ep->ossl_proto, sizeof(ep->ossl_proto), "%s",
	         SSL_get_version(c->ssl));
	snprintf(ep->ossl_cipher, sizeof(ep->ossl_cipher), "%s",
	         SSL_get_cipher_name(c->ssl));
	SSL_get0_alpn_selected(c->ssl, &alpn, &alen);
	if (alpn != NULL && alen < sizeof(ep->alpn)) {
		memcpy(ep->alpn, alpn, alen);
		ep->alpn[alen] = '\0';
	}
	olen = SSL_get_tlsext_status_ocsp_resp(c->ssl, &ocsp);
	ep->ocsp_status = -1;
	if (ocsp != NULL && olen > 0) {
		OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &ocsp, olen);
		ep->ocsp_stapled = 1;
		if (resp != NULL) {
			OCSP_BASICRESP *b = OCSP_response_get1_basic(resp);
			if (b != NULL && OCSP_resp_count(b) > 0) {
				OCSP_SINGLERESP *sr = OCSP_resp_get0(b, 0);
				ep->ocsp_status = OCSP_single_get0_status(
				    sr, NULL, NULL, NULL, NULL);
			}
			OCSP_BASICRESP_free(b);
			OCSP_RESPONSE_free(resp);
		}
	}
	{
		const STACK_OF(SCT) *scts = SSL_get0_peer_scts(c->ssl);
		ep->n_scts = scts ? sk_SCT_num(scts) : 0;
	}
	sk = SSL_get_peer_cert_chain(c->ssl);
	if (sk != NULL && sk_X509_num(sk) > 0) {
		if (ep->chain != NULL)
			sk_X509_pop_free(ep->chain, X509_free);
		ep->chain = sk_X509_new_null();
		for (i = 0; ep->chain != NULL && i < sk_X509_num(sk); i++) {
			X509 *x = sk_X509_value(sk, i);
			X509_up_ref(x);
			if (!sk_X509_push(ep->chain, x))
				X509_free(x);
		}
		ep->chain_src = 1;
	}
	ep->is_tls = 1;
}

static void fallback_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	const struct tls_resp *r = &c->resp;

	if (c->end == E_DONE && r->alert && r->alert_desc == 86) {
		ep->fallback = TLS_YES;
		snprintf(ep->fallback_note, sizeof(ep->fallback_note),
		         "%s hello with TLS_FALLBACK_SCSV refused with "
		         "inappropriate_fallback",
		         tls_proto_name(c->proto));
	} else if (c->end == E_DONE && r->server_hello) {
		ep->fallback = TLS_NO;
		snprintf(ep->fallback_note, sizeof(ep->fallback_note),
		         "%s hello with TLS_FALLBACK_SCSV accepted "
		         "(ServerHello %s)",
		         tls_proto_name(c->proto),
		         tls_proto_name(tls_proto_index(r->version)));
	} else {
		ep->fallback = TLS_UNK;
		snprintf(ep->fallback_note, sizeof(ep->fallback_note),
		         "inconclusive: %s",
		         r->alert ? tls_alert_name(r->alert_desc)
		                  : "no answer");
	}
}

static void robot_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	int v = c->variant, i, same = 1, res;
	char buf[240];
	size_t l = 0;

	if (c->state == S_DONE && c->end == E_DONE && c->post_base > 0)
		res = c->post.alert ? c->post.alert_desc : 257;
	else if (c->end == E_CLOSED && c->post_base > 0)
		res = c->post.alert ? c->post.alert_desc : 256;
	else
		res = 258; /* the test itself failed */
	ep->robot_res[v] = res;
	if (res == 258 && c->err[0])
		setf(ep->robot_note, sizeof(ep->robot_note), "%s", c->err);
	if (++ep->robot_n < TLS_ROBOT_VARIANTS)
		return;
	for (i = 0; i < TLS_ROBOT_VARIANTS; i++) {
		if (ep->robot_res[i] == 258) {
			ep->robot = TLS_UNK;
			if (ep->robot_note[0] == '\0')
				setf(ep->robot_note, sizeof(ep->robot_note),
				     "a test handshake did not reach "
				     "ServerHelloDone");
			return;
		}
		if (ep->robot_res[i] != ep->robot_res[0])
			same = 0;
		l += (size_t)snprintf(buf + l, sizeof(buf) - l, "%s%s",
		                      i ? ", " : "",
		                      ep->robot_res[i] == 256 ? "close"
		                      : ep->robot_res[i] == 257
		                          ? "silence"
		                          : tls_alert_name(ep->robot_res[i]));
		if (l >= sizeof(buf))
			l = sizeof(buf) - 1;
	}
	ep->robot = same ? TLS_NO : TLS_YES;
	setf(ep->robot_note, sizeof(ep->robot_note),
	     "answers to 5 ClientKeyExchange variants (valid, bad prefix, "
	     "misplaced zero, no separator, bad version): %s%s",
	     buf,
	     same ? " -- identical, no oracle"
	          : " -- they differ: padding oracle");
}

static void ep_probe_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;

	switch (c->purpose) {
	case P_DETECT:
		if (c->end == E_DONE && (c->resp.server_hello || c->resp.alert))
			ep->is_tls = 1;
		else if (c->end == E_CONNFAIL)
			ep->connect_failed++;
		break;
	case P_CHAIN:
		chain_done(c);
		if (c->end == E_CONNFAIL)
			ep->connect_failed++;
		break;
	case P_PREF:
		pref_done(c);
		break;
	case P_GROUP13:
	case P_GROUP12:
		group_done(c);
		break;
	case P_COMP:
		if (c->end == E_DONE && c->resp.server_hello)
			ep->compression =
			    c->resp.compression == 1 ? TLS_YES : TLS_NO;
		break;
	case P_HEARTBLEED:
	case P_CCS:
		post_done(c);
		break;
	case P_FALLBACK:
		fallback_done(c);
		break;
	case P_OSSL:
	case P_RENEG:
	case P_SNI:
		ossl_done(c);
		break;
	case P_ROBOT:
		robot_done(c);
		break;
	}
	ep->pending--;
	if (ep->pending > 0)
		return;
	if (ep->stage == 0) {
		if (ep->is_tls)
			start_stage1(ep);
		else
			ep->stage = 3;
	} else if (ep->stage == 1) {
		if (ep->is_tls || highest(ep, 5) >= 0 ||
		    ep->proto[0] == TLS_YES)
			start_stage2(ep);
		else
			ep->stage = 3;
	} else {
		ep->stage = 3;
	}
	if (ep->pending == 0)
		ep->stage = 3;
	if (ep->stage == 3) {
		ep->scan->n_done++;
		if (ep->scan->on_done != NULL)
			ep->scan->on_done(ep->scan->on_done_arg, ep);
	}
}

/* ------------------------------------------------------------------ */
/* The scan. */

static SSL_CTX *make_ctx(int max12)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL)
		return NULL;
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_min_proto_version(ctx, 0);
	if (max12)
		SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT |
	                             SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION);
	SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	if (!max12)
		SSL_CTX_enable_ct(ctx, SSL_CT_VALIDATION_PERMISSIVE);
	ERR_clear_error();
	return ctx;
}

int tls_scan_init(struct tls_scan *s, struct cx_loop *loop, int connect_ms,
                  int probe_ms, int max_inflight)
{
	memset(s, 0, sizeof(*s));
	s->loop = loop;
	s->connect_timeout_ms = connect_ms > 0 ? connect_ms : 1000;
	s->probe_timeout_ms = probe_ms > 0 ? probe_ms : 2000;
	s->silence_ms = s->probe_timeout_ms < 800 ? s->probe_timeout_ms : 800;
	s->max_inflight = max_inflight > 0 ? max_inflight : 48;
	cx_timer_init(&s->rate_timer, on_rate_timer, s);
	s->ssl_ctx = make_ctx(0);
	s->ssl_ctx12 = make_ctx(1);
	if (s->ssl_ctx == NULL || s->ssl_ctx12 == NULL) {
		tls_scan_free(s);
		return CX_ETLS;
	}
	return CX_OK;
}

int tls_scan_add(struct tls_scan *s, const char *addr, int port,
                 enum tls_starttls st, const char *sni, char *const *names,
                 size_t n_names, int detect, struct tls_ep **out)
{
	struct tls_ep *ep;
	struct cx_addr a;
	size_t i;
	int j;

	if (out != NULL)
		*out = NULL;
	if (cx_addr_parse(addr, &a) != 0 || port <= 0 || port > 65535)
		return CX_EINVAL;
	if (cx_grow(&s->eps, &s->cap_eps, s->n_eps + 1, sizeof(*s->eps)))
		return CX_ENOMEM;
	ep = calloc(1, sizeof(*ep));
	if (ep == NULL)
		return CX_ENOMEM;
	s->eps[s->n_eps++] = ep;
	ep->scan = s;
	snprintf(ep->addr, sizeof(ep->addr), "%s", addr);
	ep->port = port;
	if (a.family == AF_INET6)
		snprintf(ep->asset, sizeof(ep->asset), "[%s]:%d/tcp", addr,
		         port);
	else
		snprintf(ep->asset, sizeof(ep->asset), "%s:%d/tcp", addr, port);
	ep->starttls = st;
	ep->detect = detect;
	ep->sni = cx_strdup(sni);
	if (sni != NULL && ep->sni == NULL)
		return CX_ENOMEM;
	if (n_names > 0) {
		ep->names = calloc(n_names, sizeof(*ep->names));
		ep->name_leaf = calloc(n_names, sizeof(*ep->name_leaf));
		if (ep->names == NULL || ep->name_leaf == NULL)
			return CX_ENOMEM;
		for (i = 0; i < n_names; i++) {
			ep->names[i] = cx_strdup(names[i]);
			if (ep->names[i] == NULL)
				return CX_ENOMEM;
			ep->n_names++;
		}
	}
	if (a.family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ep->sa;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		memcpy(&sin->sin_addr, a.b, 4);
		ep->salen = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ep->sa;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		memcpy(&sin6->sin6_addr, a.b, 16);
		ep->salen = sizeof(*sin6);
	}
	for (j = 0; j < TLS_NPROTO; j++) {
		ep->proto[j] = TLS_UNK;
		ep->pref[j] = TLS_UNK;
	}
	ep->compression = ep->reneg_secure = ep->heartbeat_ext = TLS_UNK;
	ep->heartbleed = ep->ccs = ep->fallback = ep->client_reneg = TLS_UNK;
	ep->robot = TLS_UNK;
	ep->ocsp_status = -1;
	if (out != NULL)
		*out = ep;
	return CX_OK;
}

int tls_scan_start(struct tls_scan *s)
{
	size_t i;
	uint16_t suites[TLS_MAX_SUITES + 1];
	size_t n;

	for (i = 0; i < s->n_eps; i++) {
		struct tls_ep *ep = s->eps[i];
		if (ep->detect) {
			ep->stage = 0;
			full_suites(4, suites, &n);
			raw_probe(ep, P_DETECT, 4, suites, n, NULL, 0, 0);
		} else {
			start_stage1(ep);
		}
	}
	pump(s);
	return s->err;
}

void tls_scan_free(struct tls_scan *s)
{
	size_t i, j;
	struct tls_conn *c, *next;

	if (s == NULL)
		return;
	for (c = s->queue_head; c != NULL; c = next) {
		next = c->next;
		conn_free(c);
	}
	s->queue_head = s->queue_tail = NULL;
	if (s->loop != NULL)
		cx_timer_stop(s->loop, &s->rate_timer);
	for (c = s->live; c != NULL; c = next) {
		next = c->lnext;
		cx_timer_stop(s->loop, &c->timer);
		if (c->fd >= 0) {
			cx_loop_del(s->loop, c->fd);
			close(c->fd);
		}
		conn_free(c);
	}
	s->live = NULL;
	for (i = 0; i < s->n_eps; i++) {
		struct tls_ep *ep = s->eps[i];
		free(ep->sni);
		for (j = 0; j < ep->n_names; j++) {
			free(ep->names[j]);
			if (ep->name_leaf != NULL)
				X509_free(ep->name_leaf[j]);
		}
		free(ep->names);
		free(ep->name_leaf);
		cx_buf_free(&ep->sh_raw);
		if (ep->chain != NULL)
			sk_X509_pop_free(ep->chain, X509_free);
		free(ep);
	}
	free(s->eps);
	s->eps = NULL;
	s->n_eps = 0;
	SSL_CTX_free(s->ssl_ctx);
	SSL_CTX_free(s->ssl_ctx12);
	s->ssl_ctx = s->ssl_ctx12 = NULL;
}
