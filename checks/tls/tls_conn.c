/*
 * certexam — the TLS probe connection engine: non-blocking connections on
 * the event loop, each with a deadline, an optional STARTTLS prelude
 * (SMTP, IMAP, POP3, FTP), then either a hand-built hello and the server's
 * answer parsed with tls_parse() (with a post record for Heartbleed, CCS
 * injection and ROBOT), or a full OpenSSL handshake (and a renegotiation).
 * A bounded number of connections is in flight, per scan and per
 * endpoint, optionally at a capped rate; the rest wait in a queue.  What a
 * finished connection means is decided by tls_ep_probe_done()
 * (tls_probe.c).
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>

#include "certexam/error.h"
#include "tls_conn.h"

static void conn_finish(struct tls_conn *c, enum conn_end end);
static void conn_again(struct tls_conn *c);

void tls_setf(char *dst, size_t dsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, dsz, fmt, ap);
	va_end(ap);
}

void tls_note_set(struct tls_note *n, const char *id, const char *fmt, ...)
{
	va_list ap;

	n->id = id;
	va_start(ap, fmt);
	vsnprintf(n->detail, sizeof(n->detail), fmt, ap);
	va_end(ap);
}

void tls_note_copy(struct tls_note *dst, const struct tls_note *src,
                   const char *id)
{
	if (src->id != NULL)
		*dst = *src;
	else
		tls_note_set(dst, id, "%s", "");
}

void tls_conn_why(const struct tls_conn *c, struct tls_note *out)
{
	if (c->err.id != NULL) {
		*out = c->err;
		return;
	}
	if (c->resp.alert && !c->resp.server_hello) {
		tls_note_set(out, "tls.why.alert", "%s",
		             tls_alert_name(c->resp.alert_desc));
		return;
	}
	tls_note_set(out,
	             c->end == E_TIMEOUT    ? "tls.why.timeout"
	             : c->end == E_CLOSED   ? "tls.why.closed"
	             : c->end == E_BAD      ? "tls.why.bad-answer"
	             : c->end == E_CONNFAIL ? "tls.why.connect"
	                                    : "tls.why.no-hello",
	             "%s", "");
}

/* c's error: the socket error e by its symbolic name (a technical token,
 * no words of ours). */
static void sock_err(struct tls_conn *c, int e)
{
	static const struct {
		int e;
		const char *name;
	} names[] = {{ECONNREFUSED, "ECONNREFUSED"},
	             {ECONNRESET, "ECONNRESET"},
	             {ETIMEDOUT, "ETIMEDOUT"},
	             {EHOSTUNREACH, "EHOSTUNREACH"},
	             {ENETUNREACH, "ENETUNREACH"},
	             {EADDRNOTAVAIL, "EADDRNOTAVAIL"},
	             {EMFILE, "EMFILE"},
	             {ENFILE, "ENFILE"},
	             {ENOBUFS, "ENOBUFS"},
	             {ENOMEM, "ENOMEM"},
	             {EACCES, "EACCES"},
	             {EPERM, "EPERM"},
	             {EPIPE, "EPIPE"}};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e) {
			tls_note_set(&c->err, "tls.why.connect", "%s",
			             names[i].name);
			return;
		}
	tls_note_set(&c->err, "tls.why.connect", "errno %d", e);
}

/* ------------------------------------------------------------------ */
/* Connections. */

struct tls_conn *tls_conn_new(struct tls_ep *ep, enum conn_kind kind,
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

void tls_conn_free(struct tls_conn *c)
{
	if (c == NULL)
		return;
	cx_buf_free(&c->out);
	cx_buf_free(&c->pre);
	cx_buf_free(&c->in);
	cx_buf_free(&c->hello);
	tls_resp_clear(&c->resp);
	tls_resp_clear(&c->post);
	free(c->offered);
	if (c->ssl != NULL)
		SSL_free(c->ssl);
	free(c);
}

void tls_conn_enqueue(struct tls_conn *c)
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
	if (c->state == S_BACKOFF) {
		conn_again(c);
		return;
	}
	if (c->state == S_POST || c->state == S_TICKET) {
		/* silence after the post record, or no ticket came */
		conn_finish(c, E_DONE);
		return;
	}
	if (c->state == S_PRELUDE && (c->prelude_step > 0 || c->got > 0)) {
		/* The service greeted, then left a command unanswered. */
		tls_note_set(&c->err, "tls.why.starttls-ignored", "%d",
		             c->ep->scan->probe_timeout_ms);
		if (c->ep->starttls_fail == 0)
			c->ep->starttls_fail = 2;
		conn_finish(c, E_BAD);
		return;
	}
	conn_finish(c, E_TIMEOUT);
}

/*
 * 1 when this attempt was lost rather than answered: the connection was
 * never established, or nothing came back and the server's kernel never
 * acknowledged what was sent (a full listen queue drops the handshake, and
 * the server never saw the probe); for ROBOT also any attempt that ended
 * before the test record could be sent.  Such an attempt says nothing
 * about the server and is tried again (TLS_CONN_TRIES in all).
 */
static int conn_lost(const struct tls_conn *c, enum conn_end end)
{
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);
	size_t got = c->got;

	if (c->tries + 1 >= TLS_CONN_TRIES ||
	    (c->kind == K_RAW && c->hello.len == 0))
		return 0;
	if (end == E_CONNFAIL || (end == E_TIMEOUT && c->state == S_CONNECT))
		return 1;
	if (end != E_TIMEOUT && end != E_CLOSED)
		return 0;
	if (c->purpose == P_ROBOT && c->post_base == 0)
		return 1;
	if (c->ssl != NULL)
		got += (size_t)BIO_number_read(SSL_get_rbio(c->ssl));
	if (got > 0 || c->fd < 0)
		return 0;
	memset(&ti, 0, sizeof(ti));
	if (getsockopt(c->fd, IPPROTO_TCP, TCP_INFO, &ti, &tl) != 0)
		return 0;
	return ti.tcpi_unacked > 0;
}

/* Close the socket of c and take it out of the counts in flight. */
static void conn_close(struct tls_conn *c)
{
	struct tls_scan *s = c->ep->scan;

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
}

/* Take c out of the list of live connections. */
static void conn_unlink(struct tls_conn *c)
{
	struct tls_scan *s = c->ep->scan;

	if (c->lprev != NULL)
		c->lprev->lnext = c->lnext;
	else if (s->live == c)
		s->live = c->lnext;
	if (c->lnext != NULL)
		c->lnext->lprev = c->lprev;
	c->lnext = c->lprev = NULL;
}

/*
 * The backoff of a lost attempt is over: the same probe again, from the
 * first byte, ahead of the queue.
 */
static void conn_again(struct tls_conn *c)
{
	struct tls_scan *s = c->ep->scan;

	conn_unlink(c);
	cx_buf_free(&c->in);
	c->out.len = 0;
	c->out_pos = 0;
	if (c->kind == K_RAW &&
	    cx_buf_append(&c->out, c->hello.data, c->hello.len) != 0) {
		s->err = CX_ENOMEM;
		c->ep->pending--;
		tls_conn_free(c);
		return;
	}
	c->pre.len = 0;
	c->pre_pos = 0;
	c->prelude_step = 0;
	c->post_base = 0;
	c->got = 0;
	tls_resp_clear(&c->resp);
	tls_resp_clear(&c->post);
	if (c->ssl != NULL) {
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	c->reneg_started = 0;
	c->err.id = NULL;
	c->err.detail[0] = '\0';
	c->end = E_NONE;
	c->state = S_QUEUED;
	c->next = s->queue_head;
	s->queue_head = c;
	if (s->queue_tail == NULL)
		s->queue_tail = c;
	tls_pump(s);
}

static void conn_finish(struct tls_conn *c, enum conn_end end)
{
	struct tls_scan *s = c->ep->scan;
	struct tls_ep *ep = c->ep;

	if (c->state == S_DONE || c->state == S_BACKOFF)
		return;
	if (conn_lost(c, end)) {
		/*
		 * Gentler on this server from now on, and again after
		 * 250 ms, then 1 s (the kernel retransmits a SYN after 1 s).
		 */
		conn_close(c);
		c->state = S_BACKOFF;
		c->tries++;
		ep->retries++;
		if (ep->inflight_cap > 2)
			ep->inflight_cap /= 2;
		cx_timer_start(s->loop, &c->timer,
		               c->tries == 1 ? 250u : 1000u);
		tls_pump(s);
		return;
	}
	c->state = S_DONE;
	c->end = end;
	conn_close(c);
	conn_unlink(c);
	tls_ep_probe_done(c);
	tls_conn_free(c);
	tls_pump(s);
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
	SSL_CTX *ctx = c->purpose == P_RENEG || c->purpose == P_RESUME1 ||
	                       c->purpose == P_RESUME2
	                   ? s->ssl_ctx12
	                   : s->ssl_ctx;
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
	if (c->purpose == P_RESUME2 && c->ep->session != NULL &&
	    SSL_set_session(c->ssl, c->ep->session) != 1)
		return CX_ETLS;
	if (c->purpose == P_RESUME13 || c->purpose == P_RESUME13B) {
		if (SSL_set_min_proto_version(c->ssl, TLS1_3_VERSION) != 1)
			return CX_ETLS;
		if (c->purpose == P_RESUME13B && c->ep->session13 != NULL &&
		    SSL_set_session(c->ssl, c->ep->session13) != 1)
			return CX_ETLS;
	}
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
			c->got += take;
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
		tls_note_set(&c->err, "tls.why.starttls-refused", "%s", "");
		c->ep->starttls_fail = 1;
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
			tls_note_set(&c->ep->robot_nid,
			             "tls.vuln.robot-no-rsa-cert", "%s", "");
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

static void ssl_err(struct tls_conn *c, const char *what_id)
{
	unsigned long e = ERR_peek_last_error();
	char buf[120];

	if (e != 0) {
		/* OpenSSL's own report, as the library wrote it (the cause
		 * sentence of the finding comes from the catalogs) */
		ERR_error_string_n(e, buf, sizeof(buf));
		tls_note_set(&c->err, "tls.why.tls-library", "%s", buf);
	} else {
		tls_note_set(&c->err, what_id, "%s", "");
	}
	ERR_clear_error();
}

/* 1 when OpenSSL's call that returned r waits for the socket (now asked). */
static int ssl_wait(struct tls_conn *c, int r)
{
	int e = SSL_get_error(c->ssl, r);

	if (e == SSL_ERROR_WANT_READ) {
		want(c, CX_EV_READ);
		return 1;
	}
	if (e == SSL_ERROR_WANT_WRITE) {
		want(c, CX_EV_WRITE | CX_EV_READ);
		return 1;
	}
	return 0;
}

/*
 * TLS 1.3 sends its NewSessionTicket after the handshake: read until a
 * ticket has come, the server closes, or the timer (silence_ms) runs out.
 * Our close_notify went first, so a server that issues no ticket answers
 * with its own at once and one serving a single connection at a time is
 * not held.
 */
static void do_ticket(struct tls_conn *c)
{
	char buf[4096];
	int r;

	for (;;) {
		ERR_clear_error();
		r = SSL_read(c->ssl, buf, sizeof(buf));
		if (SSL_SESSION_has_ticket(SSL_get0_session(c->ssl))) {
			conn_finish(c, E_DONE);
			return;
		}
		if (r > 0)
			continue; /* application data: not ours to read */
		if (ssl_wait(c, r))
			return;
		conn_finish(c, E_DONE); /* closed without a ticket */
		return;
	}
}

static void do_ssl(struct tls_conn *c)
{
	int r;

	ERR_clear_error();
	r = SSL_do_handshake(c->ssl);
	if (r == 1 && c->purpose == P_RESUME13) {
		c->state = S_TICKET;
		cx_timer_stop(c->ep->scan->loop, &c->timer);
		cx_timer_start(c->ep->scan->loop, &c->timer,
		               (uint64_t)c->ep->scan->silence_ms);
		(void)SSL_shutdown(c->ssl);
		do_ticket(c);
		return;
	}
	if (r == 1) {
		if (c->purpose == P_RENEG && !c->reneg_started) {
			if (SSL_version(c->ssl) > TLS1_2_VERSION ||
			    SSL_renegotiate(c->ssl) != 1) {
				tls_note_set(&c->err,
				             "tls.why.reneg-impossible", "%s",
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
	if (ssl_wait(c, r))
		return;
	ssl_err(c, c->reneg_started ? "tls.why.reneg-refused"
	                            : "tls.why.handshake-failed");
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
			sock_err(c, err ? err : errno);
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
	case S_TICKET:
		do_ticket(c);
		return;
	default:
		return;
	}
}

static void conn_start(struct tls_conn *c)
{
	struct tls_scan *s = c->ep->scan;
	int fd, one = 1;

	/* Kept for a new attempt; without it (ENOMEM) there is none. */
	if (c->kind == K_RAW && c->tries == 0 && c->hello.len == 0)
		(void)cx_buf_append(&c->hello, c->out.data, c->out.len);
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
		sock_err(c, errno);
		conn_finish(c, E_ERROR);
		return;
	}
	c->fd = fd;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&c->ep->sa, c->ep->salen) != 0 &&
	    errno != EINPROGRESS) {
		sock_err(c, errno);
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
	tls_pump(t->arg);
}

/*
 * Start queued connections while the bounds allow: at most max_inflight
 * in flight, at most the endpoint's inflight_cap (TLS_EP_INFLIGHT, less
 * after a lost connection: gentle on one server),
 * at most rate starts per second when rate > 0.
 */
void tls_pump(struct tls_scan *s)
{
	struct tls_conn *c, *prev = NULL, *next;
	uint64_t now;

	for (c = s->queue_head; c != NULL && s->inflight < s->max_inflight;
	     c = next) {
		next = c->next;
		if (c->ep->inflight >= c->ep->inflight_cap) {
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

void tls_conns_init(struct tls_scan *s)
{
	cx_timer_init(&s->rate_timer, on_rate_timer, s);
}

void tls_conns_free(struct tls_scan *s)
{
	struct tls_conn *c, *next;

	for (c = s->queue_head; c != NULL; c = next) {
		next = c->next;
		tls_conn_free(c);
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
		tls_conn_free(c);
	}
	s->live = NULL;
}
