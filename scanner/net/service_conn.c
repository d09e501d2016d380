/*
 * certexam — the connections of service detection (see service.c): one
 * banner connection and up to MAX_PARALLEL probe connections per port,
 * each non-blocking on the loop with its own deadline and a bounded
 * buffer; a reply that shows TLS continues as an OpenSSL handshake and
 * the protocol inside is read the same way.  What a connection learns is
 * handed to its job (svc_job_take, svc_job_done).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "certexam/error.h"
#include "certexam/escape.h"
#include "certexam/target.h"
#include "certexam/util.h"
#include "service.h"
#include "service_int.h"
#include "service_conn.h"

static void conn_io(struct cx_loop *loop, int fd, unsigned events, void *arg);
static void tls_step(struct conn *c);

/* ------------------------------------------------------- connections */

static void conn_timer_cb(struct cx_loop *loop, struct cx_timer *t);
static void conn_quiet_cb(struct cx_loop *loop, struct cx_timer *t);

struct conn *svc_conn_open(struct job *j, enum conn_kind kind, int probe)
{
	struct svc *s = j->svc;
	struct conn *c;
	int fd, slot;

	for (slot = 0; slot < (int)CX_ARRAY_LEN(j->conns); slot++)
		if (j->conns[slot] == NULL)
			break;
	if (slot == (int)CX_ARRAY_LEN(j->conns))
		return NULL;
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		s->err = CX_ENOMEM;
		return NULL;
	}
	c->job = j;
	c->kind = kind;
	c->probe = probe;
	c->fd = -1;
	cx_timer_init(&c->timer, conn_timer_cb, c);
	cx_timer_init(&c->quiet, conn_quiet_cb, c);
	fd = socket(j->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	            0);
	if (fd < 0) {
		free(c);
		return NULL;
	}
	c->fd = fd;
	if (connect(fd, (struct sockaddr *)&j->sa, j->salen) != 0 &&
	    errno != EINPROGRESS) {
		close(fd);
		free(c);
		return NULL;
	}
	if (cx_loop_add(s->loop, fd, CX_EV_WRITE, conn_io, c) != 0) {
		close(fd);
		free(c);
		return NULL;
	}
	c->state = C_CONNECTING;
	j->conns[slot] = c;
	j->nconn++;
	cx_timer_start(s->loop, &c->timer, (uint64_t)svc_connect_ms(s));
	return c;
}

/* Close c and free it; the job learns about it through j->nconn. */
void svc_conn_close(struct conn *c)
{
	struct job *j = c->job;
	struct svc *s = j->svc;
	int i;

	svc_job_keep_evidence(j, c);
	cx_timer_stop(s->loop, &c->timer);
	cx_timer_stop(s->loop, &c->quiet);
	if (c->ssl != NULL) {
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd >= 0) {
		cx_loop_del(s->loop, c->fd);
		close(c->fd);
		c->fd = -1;
	}
	for (i = 0; i < (int)CX_ARRAY_LEN(j->conns); i++)
		if (j->conns[i] == c)
			j->conns[i] = NULL;
	j->nconn--;
	j->closes++;
	free(c->buf);
	free(c);
}

/* Close every connection of j except keep (may be NULL) and keep-probes. */
void svc_job_cancel_others(struct job *j, struct conn *keep)
{
	int i;

	for (i = 0; i < (int)CX_ARRAY_LEN(j->conns); i++) {
		struct conn *c = j->conns[i];

		if (c == NULL || c == keep)
			continue;
		if (c->kind == K_PROBE && j->svc->db->probes[c->probe].keep)
			continue;
		svc_conn_close(c);
	}
}

/*
 * A soft match: send the probes meant for that service that were not sent
 * yet (a redis on a port of its own answers an HTTP GET with an error, its
 * own probe then gives the version).  Returns the connections opened.
 */
static int job_round2(struct job *j)
{
	const struct cx_sigdb *db = j->svc->db;
	int i, n = 0;

	j->round2 = 1;
	for (i = 1; i < (int)db->n_probes && n < MAX_PARALLEL; i++) {
		const struct cx_sig_probe *p = &db->probes[i];

		if (p->after != NULL || (j->sent & ((uint64_t)1 << i)) ||
		    !cx_sig_probe_elicits(p, j->best.service))
			continue;
		if (svc_conn_open(j, K_PROBE, i) != NULL)
			n++;
	}
	return n;
}

/* A connection finished: when it was the last one, the phase ends. */
static void conn_finish(struct conn *c)
{
	struct job *j = c->job;

	svc_conn_close(c);
	if (j->nconn > 0)
		return;
	switch (j->phase) {
	case P_BANNER:
		/* banner connection ended without identification */
		if (j->rank == 0 && j->got_data)
			svc_job_start_probes(j);
		else
			svc_job_done(j);
		break;
	case P_PROBES:
		if (j->rank == 1 && !j->round2 && job_round2(j) > 0)
			break;
		svc_job_done(j);
		break;
	case P_TLS:
		svc_job_done(j);
		break;
	case P_DONE:
		break;
	}
}

static int conn_write_pending(struct conn *c)
{
	ssize_t n;

	while (c->out_off < c->out_len) {
		n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
		         MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 1;
			if (errno == EINTR)
				continue;
			return -1;
		}
		c->out_off += (size_t)n;
	}
	c->out = NULL;
	c->out_len = c->out_off = 0;
	return 0;
}

/* Send probe p on c (plaintext) and wait for its reply. */
static void conn_send_probe(struct conn *c, int p)
{
	struct svc *s = c->job->svc;
	const struct cx_sig_probe *pr = &s->db->probes[p];
	int w;

	c->probe = p;
	c->mark = c->len;
	c->out = pr->payload;
	c->out_len = pr->len;
	c->out_off = 0;
	c->job->probes_sent++;
	c->job->sent |= (uint64_t)1 << p;
	cx_timer_stop(s->loop, &c->quiet);
	cx_timer_start(s->loop, &c->timer,
	               (uint64_t)(c->kind == K_PROBE
	                              ? svc_first_probe_ms(c->job, p)
	                              : svc_probe_ms(s, p)));
	w = conn_write_pending(c);
	if (w < 0) {
		conn_finish(c);
		return;
	}
	cx_loop_mod(s->loop, c->fd, CX_EV_READ | (w > 0 ? CX_EV_WRITE : 0));
}

/* The next follow-up probe for the identified service, or -1. */
static int next_followup(struct conn *c)
{
	const struct cx_sigdb *db = c->job->svc->db;
	const char *svc = c->job->best.service;
	int i;

	if (svc == NULL)
		return -1;
	for (i = c->followup; i < (int)db->n_probes; i++) {
		if (db->probes[i].after != NULL &&
		    strcmp(db->probes[i].after, svc) == 0) {
			c->followup = i + 1;
			return i;
		}
	}
	c->followup = (int)db->n_probes;
	return -1;
}

/* The current reply on c is complete (quiet, EOF, timeout, or full). */
static void conn_reply_done(struct conn *c)
{
	struct job *j = c->job;
	int f;

	if (j->phase == P_DONE)
		return;
	if (c->kind == K_TLS) {
		conn_finish(c);
		return;
	}
	if (c->kind == K_BANNER && !c->in_followup && c->matched == 0) {
		/* an unidentified banner: try the probes */
		conn_finish(c);
		return;
	}
	if (c->matched > 0 && c->state == C_READING && c->len < CONN_BUF) {
		f = next_followup(c);
		if (f >= 0) {
			c->in_followup = 1;
			conn_send_probe(c, f);
			return;
		}
	}
	conn_finish(c);
}

/* New bytes arrived on c (already appended to c->buf). */
static void conn_data(struct conn *c)
{
	struct job *j = c->job;
	struct svc *s = j->svc;
	struct cx_svc_result r;
	size_t nfacts_before = j->best.n_facts;
	int m;

	j->got_data = 1;
	memset(&r, 0, sizeof(r));
	m = cx_sig_match_idx(s->db, c->probe, c->buf + c->mark,
	                     c->len - c->mark, &r);
	if (m < 0) {
		s->err = m;
		cx_svc_result_clear(&r);
		conn_finish(c);
		return;
	}
	if (c->in_followup) {
		/* a follow-up reply only contributes facts */
		free(r.service);
		free(r.product);
		free(r.version);
		free(r.extra);
		r.service = r.product = r.version = r.extra = NULL;
		svc_job_take(j, c, &r);
		if (j->best.n_facts > nfacts_before) {
			conn_reply_done(c);
			return;
		}
	} else if (c->kind == K_TLS) {
		if (r.service != NULL && !r.tls) {
			int soft = r.soft;

			if (!soft || j->inner == NULL)
				svc_set_str(&j->inner, r.service);
			svc_job_take(j, c, &r);
			if (!soft) {
				conn_finish(c);
				return;
			}
		}
		cx_svc_result_clear(&r);
	} else if (r.service != NULL && r.tls) {
		c->matched = 2;
		cx_svc_result_clear(&r);
		svc_job_keep_evidence(j, c);
		svc_job_start_tls(j);
		return;
	} else if (r.service != NULL && !r.soft) {
		svc_job_take(j, c, &r);
		svc_job_cancel_others(j, c);
		conn_reply_done(c);
		return;
	} else {
		svc_job_take(j, c, &r);
	}
	if (c->len >= CONN_BUF) {
		conn_reply_done(c);
		return;
	}
	cx_timer_start(s->loop, &c->quiet, QUIET_MS);
}

/* Room for the next read, growing the buffer up to CONN_BUF; 0 if none. */
static size_t conn_room(struct conn *c)
{
	size_t ncap;
	unsigned char *nb;

	if (c->len < c->cap)
		return c->cap - c->len;
	if (c->cap >= CONN_BUF)
		return 0;
	ncap = c->cap ? c->cap * 2 : 2048;
	if (ncap > CONN_BUF)
		ncap = CONN_BUF;
	nb = realloc(c->buf, ncap);
	if (nb == NULL)
		return 0;
	c->buf = nb;
	c->cap = ncap;
	return c->cap - c->len;
}

/* Read what is there; returns 1 on EOF/error/full, 0 otherwise. */
static int conn_read(struct conn *c, int *got)
{
	ssize_t n;

	*got = 0;
	while (c->len < CONN_BUF) {
		size_t room = conn_room(c);

		if (room == 0)
			return 1;
		n = recv(c->fd, c->buf + c->len, room, 0);
		if (n > 0) {
			c->len += (size_t)n;
			*got = 1;
			continue;
		}
		if (n == 0)
			return 1;
		if (errno == EINTR)
			continue;
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		return 1;
	}
	return 0;
}

static void conn_connected(struct conn *c)
{
	struct job *j = c->job;
	struct svc *s = j->svc;
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		err = errno;
	if (err != 0) {
		if (c->kind == K_BANNER)
			j->note = err == ECONNREFUSED ? "connection refused"
			                              : "connect failed";
		conn_finish(c);
		return;
	}
	c->state = C_READING;
	switch (c->kind) {
	case K_BANNER:
		cx_loop_mod(s->loop, c->fd, CX_EV_READ);
		j->rtt = cx_loop_now(s->loop) - j->started;
		cx_timer_start(s->loop, &c->timer, (uint64_t)svc_banner_ms(j));
		break;
	case K_PROBE:
		conn_send_probe(c, c->probe);
		break;
	case K_TLS:
		c->ssl = SSL_new(s->ssl_ctx);
		if (c->ssl == NULL || SSL_set_fd(c->ssl, c->fd) != 1) {
			conn_finish(c);
			return;
		}
		SSL_set_connect_state(c->ssl);
		if (j->sni[0] != '\0')
			SSL_set_tlsext_host_name(c->ssl, j->sni);
		c->state = C_TLS_HS;
		cx_timer_start(s->loop, &c->timer,
		               (uint64_t)svc_probe_ms(s, 0));
		tls_step(c);
		break;
	}
}

static void conn_io(struct cx_loop *loop, int fd, unsigned events, void *arg)
{
	struct conn *c = arg;
	int eof, got, w;

	(void)loop;
	(void)fd;
	switch (c->state) {
	case C_CONNECTING:
		conn_connected(c);
		return;
	case C_TLS_HS:
	case C_TLS_IO:
		tls_step(c);
		return;
	case C_READING:
		break;
	case C_CLOSED:
		return;
	}
	if ((events & CX_EV_WRITE) && c->out != NULL) {
		w = conn_write_pending(c);
		if (w < 0) {
			conn_reply_done(c);
			return;
		}
		if (w == 0)
			cx_loop_mod(c->job->svc->loop, c->fd, CX_EV_READ);
	}
	if (!(events & (CX_EV_READ | CX_EV_ERROR)))
		return;
	eof = conn_read(c, &got);
	if (got) {
		struct job *j = c->job;
		unsigned closes = j->closes;

		conn_data(c);
		/* conn_data may have closed c, or finished the job */
		if (j->closes != closes || j->phase == P_DONE)
			return;
		if (!eof)
			return;
	}
	if (eof || c->len >= CONN_BUF) {
		if (c->kind == K_BANNER && c->len == 0 && !c->in_followup)
			c->job->note = "closed by the peer without data";
		conn_reply_done(c);
	}
}

static void conn_timer_cb(struct cx_loop *loop, struct cx_timer *t)
{
	struct conn *c = t->arg;
	struct job *j = c->job;

	switch (c->state) {
	case C_CONNECTING:
		if (c->kind == K_BANNER)
			j->note = "connect timed out";
		conn_finish(c);
		return;
	case C_TLS_HS:
		conn_finish(c);
		return;
	case C_TLS_IO:
		if (!c->tls_probe_sent && c->len == 0) {
			/* no greeting inside TLS: send a probe */
			tls_step(c);
			return;
		}
		conn_finish(c);
		return;
	case C_READING:
		break;
	case C_CLOSED:
		return;
	}
	if (c->kind == K_BANNER && c->len == 0 && !c->in_followup) {
		if (j->phase != P_BANNER) {
			conn_finish(c); /* silent to the end */
			return;
		}
		/*
		 * Silent: probe it.  The banner connection keeps listening as
		 * long as the probes wait, so a greeting that comes late (a
		 * loaded server) still identifies the port.
		 */
		j->note = "no banner";
		cx_timer_start(loop, &c->timer,
		               (uint64_t)svc_first_probe_ms(j, 0));
		svc_job_start_probes(j);
		return;
	}
	conn_reply_done(c);
}

static void conn_quiet_cb(struct cx_loop *loop, struct cx_timer *t)
{
	struct conn *c = t->arg;

	(void)loop;
	if (c->state == C_TLS_IO && c->kind == K_TLS) {
		conn_finish(c);
		return;
	}
	conn_reply_done(c);
}

/* ---------------------------------------------------------------- TLS */

static int tls_want(struct conn *c, int r)
{
	struct svc *s = c->job->svc;
	int e = SSL_get_error(c->ssl, r);

	if (e == SSL_ERROR_WANT_READ) {
		cx_loop_mod(s->loop, c->fd, CX_EV_READ);
		return 1;
	}
	if (e == SSL_ERROR_WANT_WRITE) {
		cx_loop_mod(s->loop, c->fd, CX_EV_READ | CX_EV_WRITE);
		return 1;
	}
	ERR_clear_error();
	return 0;
}

/* The probe to send inside TLS: one for this port, else one for any. */
static int tls_probe(const struct job *j)
{
	const struct cx_sigdb *db = j->svc->db;
	int i, any = -1;

	for (i = 1; i < (int)db->n_probes; i++) {
		if (!db->probes[i].tls || db->probes[i].after != NULL)
			continue;
		if (cx_sig_probe_has_port(&db->probes[i], j->port))
			return i;
		if (db->probes[i].any && any < 0)
			any = i;
	}
	return any;
}

static void tls_step(struct conn *c)
{
	struct job *j = c->job;
	struct svc *s = j->svc;
	int r, got = 0, p;

	if (c->state == C_TLS_HS) {
		ERR_clear_error();
		r = SSL_connect(c->ssl);
		if (r != 1) {
			if (!tls_want(c, r)) {
				j->note = "TLS handshake failed";
				conn_finish(c);
			}
			return;
		}
		j->tls_ok = 1;
		svc_set_str(&j->tls_version, SSL_get_version(c->ssl));
		svc_set_str(&j->tls_cipher, SSL_get_cipher_name(c->ssl));
		c->state = C_TLS_IO;
		c->probe = 0;
		c->mark = 0;
		cx_loop_mod(s->loop, c->fd, CX_EV_READ);
		/* A greeting inside TLS (smtps, imaps): the same wait. */
		cx_timer_start(s->loop, &c->timer, (uint64_t)svc_banner_ms(j));
	}
	/* C_TLS_IO: a pending probe write, then reads */
	if (!c->tls_probe_sent && c->len == 0 && !cx_timer_active(&c->timer)) {
		p = tls_probe(j);
		if (p < 0) {
			conn_finish(c);
			return;
		}
		c->tls_probe_sent = 1;
		c->probe = p;
		c->mark = 0;
		c->out = s->db->probes[p].payload;
		c->out_len = s->db->probes[p].len;
		c->out_off = 0;
		j->probes_sent++;
		cx_timer_start(s->loop, &c->timer,
		               (uint64_t)svc_probe_ms(s, p));
	}
	if (c->out != NULL) {
		ERR_clear_error();
		r = SSL_write(c->ssl, c->out, (int)c->out_len);
		if (r <= 0) {
			if (!tls_want(c, r))
				conn_finish(c);
			return;
		}
		c->out = NULL;
		c->out_len = 0;
		cx_loop_mod(s->loop, c->fd, CX_EV_READ);
	}
	for (;;) {
		size_t room = conn_room(c);

		if (room == 0) {
			conn_finish(c);
			return;
		}
		ERR_clear_error();
		r = SSL_read(c->ssl, c->buf + c->len, (int)room);
		if (r > 0) {
			c->len += (size_t)r;
			got = 1;
			continue;
		}
		if (SSL_get_error(c->ssl, r) == SSL_ERROR_WANT_READ ||
		    SSL_get_error(c->ssl, r) == SSL_ERROR_WANT_WRITE) {
			tls_want(c, r);
			break;
		}
		ERR_clear_error();
		/* closed or failed */
		if (got) {
			unsigned closes = j->closes;

			conn_data(c);
			if (j->closes != closes || j->phase == P_DONE)
				return;
		}
		conn_finish(c);
		return;
	}
	if (got)
		conn_data(c);
}
