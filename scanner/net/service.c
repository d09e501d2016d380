/*
 * certexam — service detection, the second phase after the port scan.
 *
 * For every open port, concurrently on the loop:
 *   1. connect and wait up to service_wait_ms for a banner; a banner that
 *      matches a signature identifies the port (then the service's
 *      follow-up probes run on the same connection: AUTH TLS, EHLO, ...);
 *   2. otherwise send, in parallel on separate connections, the probes
 *      meant for that port plus the "any port" ones (TLS ClientHello,
 *      HTTP GET), each with a deadline of service_probe_ms;
 *   3. a reply that shows TLS starts an OpenSSL handshake (security level
 *      0, no verification) and the protocol inside is identified the same
 *      way (greeting first, then the probes marked tls="yes").
 * Every read is bounded (CONN_BUF per connection), every step has a
 * deadline, and a port that accepts and closes or stays silent costs at
 * most service_wait_ms + service_probe_ms.
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

#define CONN_BUF     16384 /* bytes kept per connection */
#define QUIET_MS     100   /* a reply is complete after this silence */
#define MAX_PARALLEL 6     /* probe connections per port */
#define BANNER_VIEW  512   /* bytes of the banner in the observation */

enum conn_kind { K_BANNER, K_PROBE, K_TLS };
enum conn_state { C_CONNECTING, C_READING, C_TLS_HS, C_TLS_IO, C_CLOSED };
enum job_phase { P_BANNER, P_PROBES, P_TLS, P_DONE };

struct svc;
struct job;

struct conn {
	struct job *job;
	int fd;
	enum conn_kind kind;
	enum conn_state state;
	int probe;       /* probe whose reply is being read (0 = banner) */
	int followup;    /* index of the next follow-up candidate */
	int in_followup; /* reading the reply to a follow-up */
	int tls_probe_sent;
	SSL *ssl;
	const unsigned char *out; /* pending write */
	size_t out_len, out_off;
	unsigned char *buf; /* grows to CONN_BUF at most */
	size_t cap;
	size_t len;
	size_t mark;           /* start of the current reply in buf */
	int matched;           /* rank of the match from this connection */
	struct cx_timer timer; /* deadline of the current step */
	struct cx_timer quiet; /* reply complete after silence */
};

struct job {
	struct svc *svc;
	size_t port_idx;
	struct sockaddr_storage sa;
	socklen_t salen;
	unsigned port;
	char asset[80];
	char sni[256]; /* a host name of the address, for TLS, or "" */
	enum job_phase phase;
	struct conn *conns[MAX_PARALLEL + 2];
	int nconn;
	unsigned closes; /* connections closed so far (use-after-close guard) */
	struct cx_svc_result best;
	int rank;       /* 0 nothing, 1 soft, 2 hard */
	const char *by; /* probe that identified it */
	int tls;
	int tls_ok; /* handshake completed */
	char *tls_version, *tls_cipher;
	char *inner;
	struct cx_buf ev; /* evidence: bytes of the identifying exchange */
	int ev_rank;
	int got_data;
	const char *note;
	int probes_sent;
	uint64_t sent; /* bit i: probe i was sent */
	int round2;    /* second round (probes for a soft match) done */
	uint64_t started;
	uint64_t rtt; /* connect time of the banner connection, ms */
};

struct svc {
	struct cx_loop *loop;
	struct cx_run *run;
	const struct cx_scan_opts *opts;
	const struct cx_progress *progress;
	struct cx_sigdb *db;
	SSL_CTX *ssl_ctx;
	struct job *jobs;
	size_t n_jobs, next, active, done, identified, max_active;
	uint64_t last_progress;
	int err; /* first fatal error (ENOMEM) */
};

static void conn_close(struct conn *c);
static void job_done(struct job *j);
static void job_start_probes(struct job *j);
static void job_start_tls(struct job *j);
static void conn_io(struct cx_loop *loop, int fd, unsigned events, void *arg);
static void tls_step(struct conn *c);

/* ------------------------------------------------------------ helpers */

static int wait_ms(const struct svc *s)
{
	return s->opts->service_wait_ms > 0 ? s->opts->service_wait_ms : 300;
}

/* Ports whose usual protocol has the client speak first (HTTP and HTTPS). */
static const unsigned client_first_ports[] = {
    80, 443, 591, 3000, 5000, 8000, 8008, 8080, 8081, 8088, 8443, 8888, 9443};

/*
 * The banner wait of a job: service_wait_ms, but at most CLIENT_FIRST_MS on
 * a port whose usual protocol waits for the client (one a port-specific
 * probe exists for, or a web port): there the probes go out at once, and a
 * greeting that still comes is read with their replies.
 */
#define CLIENT_FIRST_MS 50
#define BANNER_BASE_MS  100
static int banner_ms(const struct job *j)
{
	const struct cx_sigdb *db = j->svc->db;
	int w = wait_ms(j->svc);
	size_t i;

	uint64_t rtt, adaptive;

	if (w <= CLIENT_FIRST_MS)
		return w;
	for (i = 0; i < CX_ARRAY_LEN(client_first_ports); i++)
		if (client_first_ports[i] == j->port)
			return CLIENT_FIRST_MS;
	for (i = 1; i < db->n_probes; i++)
		if (!db->probes[i].any && db->probes[i].after == NULL &&
		    cx_sig_probe_has_port(&db->probes[i], j->port))
			return CLIENT_FIRST_MS;
	/*
	 * A server that speaks first does so about one round trip after the
	 * connection is up: wait BANNER_BASE_MS + 4 x the connect time, at most
	 * service_wait_ms.  A slower greeting is not lost: it arrives on the
	 * probe connections too and is read with their replies.
	 */
	rtt = j->rtt;
	adaptive = BANNER_BASE_MS + 4 * rtt;
	return adaptive < (uint64_t)w ? (int)adaptive : w;
}

/*
 * How long a probe's reply is awaited.  Service detection has its own,
 * shorter deadline (service_probe_ms, default 600 ms): a silent port then
 * costs service_wait_ms + service_probe_ms, well under a second, while the
 * TLS and HTTP checks keep probe_timeout_ms for their own exchanges.
 */
static int probe_ms(const struct svc *s, int probe)
{
	int t = s->opts->service_probe_ms > 0   ? s->opts->service_probe_ms
	        : s->opts->probe_timeout_ms > 0 ? s->opts->probe_timeout_ms
	                                        : 2000;
	int pt = s->db->probes[probe].timeout_ms;

	return pt > 0 && pt < t ? pt : t;
}

static int connect_ms(const struct svc *s)
{
	return s->opts->connect_timeout_ms > 0 ? s->opts->connect_timeout_ms
	                                       : 1000;
}

static void progress(struct svc *s, int force)
{
	uint64_t now = cx_loop_now(s->loop);

	if (s->progress == NULL || s->progress->update == NULL)
		return;
	if (!force && now - s->last_progress < 250)
		return;
	s->last_progress = now;
	s->progress->update(s->progress->arg, "services", s->done, s->n_jobs,
	                    s->identified);
}

static void set_str(char **dst, const char *src)
{
	char *n = cx_strdup(src);

	if (src != NULL && n == NULL)
		return; /* keep the old value on ENOMEM */
	free(*dst);
	*dst = n;
}

/* Move the result of a match into the job if it ranks higher. */
static void job_take(struct job *j, struct conn *c, struct cx_svc_result *r)
{
	int rank = r->service == NULL ? 0 : (r->soft ? 1 : 2);
	size_t i, k;

	/* facts accumulate across probes */
	for (i = 0; i < r->n_facts; i++) {
		for (k = 0; k < j->best.n_facts; k++)
			if (strcmp(j->best.facts[k].name, r->facts[i].name) ==
			    0)
				break;
		if (k < j->best.n_facts || j->best.n_facts >= CX_SVC_MAX_FACTS)
			continue;
		j->best.facts[j->best.n_facts++] = r->facts[i];
		r->facts[i].name = r->facts[i].value = NULL;
	}
	if (rank > j->rank) {
		struct cx_svc_result keep = j->best;

		free(keep.service);
		free(keep.product);
		free(keep.version);
		free(keep.extra);
		j->best.service = r->service;
		j->best.product = r->product;
		j->best.version = r->version;
		j->best.extra = r->extra;
		j->best.soft = r->soft;
		j->best.tls = r->tls;
		r->service = r->product = r->version = r->extra = NULL;
		j->rank = rank;
		j->by = j->svc->db->probes[c->probe].name;
	}
	if (rank > c->matched)
		c->matched = rank;
	cx_svc_result_clear(r);
}

/* Keep the bytes of c as evidence if they are the best we have. */
static void job_keep_evidence(struct job *j, struct conn *c)
{
	int rank;

	if (c->len == 0)
		return;
	rank = c->matched * 2 + 1;
	if (c->kind == K_TLS && c->matched > 0)
		rank += 10; /* the plaintext inside TLS beats the ServerHello */
	if (rank <= j->ev_rank)
		return;
	j->ev.len = 0;
	if (cx_buf_append(&j->ev, c->buf, c->len) == 0)
		j->ev_rank = rank;
}

/* ------------------------------------------------------- connections */

static void conn_timer_cb(struct cx_loop *loop, struct cx_timer *t);
static void conn_quiet_cb(struct cx_loop *loop, struct cx_timer *t);

static struct conn *conn_open(struct job *j, enum conn_kind kind, int probe)
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
	cx_timer_start(s->loop, &c->timer, (uint64_t)connect_ms(s));
	return c;
}

/* Close c and free it; the job learns about it through j->nconn. */
static void conn_close(struct conn *c)
{
	struct job *j = c->job;
	struct svc *s = j->svc;
	int i;

	job_keep_evidence(j, c);
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
static void job_cancel_others(struct job *j, struct conn *keep)
{
	int i;

	for (i = 0; i < (int)CX_ARRAY_LEN(j->conns); i++) {
		struct conn *c = j->conns[i];

		if (c == NULL || c == keep)
			continue;
		if (c->kind == K_PROBE && j->svc->db->probes[c->probe].keep)
			continue;
		conn_close(c);
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
		if (conn_open(j, K_PROBE, i) != NULL)
			n++;
	}
	return n;
}

/* A connection finished: when it was the last one, the phase ends. */
static void conn_finish(struct conn *c)
{
	struct job *j = c->job;

	conn_close(c);
	if (j->nconn > 0)
		return;
	switch (j->phase) {
	case P_BANNER:
		/* banner connection ended without identification */
		if (j->rank == 0 && j->got_data)
			job_start_probes(j);
		else
			job_done(j);
		break;
	case P_PROBES:
		if (j->rank == 1 && !j->round2 && job_round2(j) > 0)
			break;
		job_done(j);
		break;
	case P_TLS:
		job_done(j);
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
	cx_timer_start(s->loop, &c->timer, (uint64_t)probe_ms(s, p));
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
		job_take(j, c, &r);
		if (j->best.n_facts > nfacts_before) {
			conn_reply_done(c);
			return;
		}
	} else if (c->kind == K_TLS) {
		if (r.service != NULL && !r.tls) {
			int soft = r.soft;

			if (!soft || j->inner == NULL)
				set_str(&j->inner, r.service);
			job_take(j, c, &r);
			if (!soft) {
				conn_finish(c);
				return;
			}
		}
		cx_svc_result_clear(&r);
	} else if (r.service != NULL && r.tls) {
		c->matched = 2;
		cx_svc_result_clear(&r);
		job_keep_evidence(j, c);
		job_start_tls(j);
		return;
	} else if (r.service != NULL && !r.soft) {
		job_take(j, c, &r);
		job_cancel_others(j, c);
		conn_reply_done(c);
		return;
	} else {
		job_take(j, c, &r);
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
		cx_timer_start(s->loop, &c->timer, (uint64_t)banner_ms(j));
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
		cx_timer_start(s->loop, &c->timer, (uint64_t)probe_ms(s, 0));
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

	(void)loop;
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
		/* silent: probe it (the banner connection is not reused) */
		j->note = "no banner";
		conn_close(c);
		job_start_probes(j);
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
		set_str(&j->tls_version, SSL_get_version(c->ssl));
		set_str(&j->tls_cipher, SSL_get_cipher_name(c->ssl));
		c->state = C_TLS_IO;
		c->probe = 0;
		c->mark = 0;
		cx_loop_mod(s->loop, c->fd, CX_EV_READ);
		/* A greeting inside TLS (smtps, imaps): the same wait. */
		cx_timer_start(s->loop, &c->timer, (uint64_t)banner_ms(j));
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
		cx_timer_start(s->loop, &c->timer, (uint64_t)probe_ms(s, p));
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

/* ---------------------------------------------------------------- jobs */

static void job_start_probes(struct job *j)
{
	const struct cx_sigdb *db = j->svc->db;
	int order[MAX_PARALLEL], n = 0, i, pass;

	j->phase = P_PROBES;
	for (pass = 0; pass < 2; pass++) {
		for (i = 1; i < (int)db->n_probes && n < MAX_PARALLEL; i++) {
			const struct cx_sig_probe *p = &db->probes[i];

			if (p->after != NULL)
				continue;
			if (pass == 0 ? !cx_sig_probe_has_port(p, j->port)
			              : !p->any)
				continue;
			order[n++] = i;
		}
	}
	for (i = 0; i < n; i++)
		conn_open(j, K_PROBE, order[i]);
	if (j->nconn == 0)
		job_done(j);
}

static void job_start_tls(struct job *j)
{
	if (j->phase == P_TLS || j->phase == P_DONE)
		return;
	j->phase = P_TLS;
	j->tls = 1;
	if (j->rank < 2) {
		struct cx_svc_result r;

		memset(&r, 0, sizeof(r));
		r.service = cx_strdup("tls");
		j->by = "tls-hello";
		free(j->best.service);
		j->best.service = r.service;
	}
	job_cancel_others(j, NULL);
	if (conn_open(j, K_TLS, 0) == NULL && j->nconn == 0)
		job_done(j);
}

static void job_start(struct job *j)
{
	struct svc *s = j->svc;

	j->started = cx_loop_now(s->loop);
	j->phase = P_BANNER;
	s->active++;
	if (conn_open(j, K_BANNER, 0) == NULL) {
		j->note = "could not open a socket";
		job_done(j);
	}
}

static void start_more(struct svc *s)
{
	while (s->active < s->max_active && s->next < s->n_jobs &&
	       !cx_interrupted && s->err == 0)
		job_start(&s->jobs[s->next++]);
}

/* Record the job's result in the run. */
static void job_record(struct job *j)
{
	struct svc *s = j->svc;
	struct cx_run *run = s->run;
	struct cx_port_obs *p = &run->ports[j->port_idx];
	struct cx_observation *o;
	const char *evid = NULL;
	const char *service = j->best.service;
	char *view = NULL, desc[160];
	size_t i;

	if (j->tls) {
		service = cx_sig_tls_service(s->db, j->inner);
		p->tls = 1;
		set_str(&p->inner, j->inner);
	}
	set_str(&p->service, service);
	set_str(&p->product, j->best.product);
	set_str(&p->version, j->best.version);
	set_str(&p->extra, j->best.extra);
	if (service != NULL)
		s->identified++;
	if (j->ev.len > 0 && run->dir != NULL) {
		if (j->by == NULL || strcmp(j->by, "null") == 0)
			snprintf(desc, sizeof(desc),
			         "bytes received from %s (banner%s)", j->asset,
			         j->best.n_facts ? " and follow-up replies"
			                         : "");
		else
			snprintf(desc, sizeof(desc),
			         "bytes received from %s (reply to %s%s)",
			         j->asset, j->by,
			         j->inner ? ", inside TLS" : "");
		if (cx_run_add_evidence(run, j->asset, "banner", desc,
		                        j->ev.data, j->ev.len, &evid) == 0)
			set_str(&p->evidence, evid);
	}
	o = cx_run_add_obs(run, "service", j->asset);
	if (o == NULL) {
		s->err = CX_ENOMEM;
		return;
	}
	cx_obs_prop(o, "service", service ? service : "unknown");
	if (j->best.product)
		cx_obs_prop(o, "product", j->best.product);
	if (j->best.version)
		cx_obs_prop(o, "version", j->best.version);
	if (j->best.extra)
		cx_obs_prop(o, "extra", j->best.extra);
	cx_obs_prop(o, "certainty",
	            j->rank == 2
	                ? "confirmed"
	                : (j->rank == 1 || j->tls ? "likely" : "none"));
	if (j->by)
		cx_obs_prop(o, "identified-by", j->by);
	cx_obs_prop(o, "tls", j->tls ? "yes" : "no");
	if (j->tls) {
		cx_obs_prop(o, "tls-handshake", j->tls_ok ? "ok" : "failed");
		if (j->tls_version)
			cx_obs_prop(o, "tls-version", j->tls_version);
		if (j->tls_cipher)
			cx_obs_prop(o, "tls-cipher", j->tls_cipher);
		if (j->inner)
			cx_obs_prop(o, "inner", j->inner);
	}
	for (i = 0; i < j->best.n_facts; i++)
		cx_obs_prop(o, j->best.facts[i].name, j->best.facts[i].value);
	if (j->ev.len > 0) {
		view = cx_svc_view(j->ev.data, j->ev.len, BANNER_VIEW);
		if (view != NULL)
			cx_obs_prop(o, "banner", view);
		free(view);
	}
	if (j->note)
		cx_obs_prop(o, "note", j->note);
	cx_obs_propf(o, "probes-sent", "%d", j->probes_sent);
	cx_obs_propf(o, "elapsed-ms", "%llu",
	             (unsigned long long)(cx_loop_now(s->loop) - j->started));
}

static void job_done(struct job *j)
{
	struct svc *s = j->svc;

	if (j->phase == P_DONE)
		return;
	j->phase = P_DONE;
	job_cancel_others(j, NULL);
	/* keep-probes too */
	while (j->nconn > 0) {
		int i;

		for (i = 0; i < (int)CX_ARRAY_LEN(j->conns); i++)
			if (j->conns[i] != NULL)
				conn_close(j->conns[i]);
	}
	job_record(j);
	s->active--;
	s->done++;
	progress(s, 0);
	start_more(s);
	/* other fds may be watched on the loop: return once all are done */
	if (s->done >= s->n_jobs)
		cx_loop_stop(s->loop);
}

static void job_free(struct job *j)
{
	int i;

	for (i = 0; i < (int)CX_ARRAY_LEN(j->conns); i++)
		if (j->conns[i] != NULL)
			conn_close(j->conns[i]);
	cx_svc_result_clear(&j->best);
	free(j->tls_version);
	free(j->tls_cipher);
	free(j->inner);
	cx_buf_free(&j->ev);
}

static int job_init(struct svc *s, struct job *j, size_t idx)
{
	const struct cx_port_obs *p = &s->run->ports[idx];
	struct cx_addr a;

	memset(j, 0, sizeof(*j));
	j->svc = s;
	j->port_idx = idx;
	j->port = (unsigned)p->port;
	/* the first host name the address came from, for SNI */
	for (size_t h = 0; p->addr != NULL && h < s->run->n_hosts; h++) {
		const struct cx_host_obs *ho = &s->run->hosts[h];
		size_t n;

		if (ho->addr == NULL || ho->names == NULL ||
		    strcmp(ho->addr, p->addr) != 0)
			continue;
		n = strcspn(ho->names, " ,");
		if (n > 0 && n < sizeof(j->sni))
			snprintf(j->sni, sizeof(j->sni), "%.*s", (int)n,
			         ho->names);
		break;
	}
	if (p->addr == NULL || cx_addr_parse(p->addr, &a) != 0)
		return CX_EINVAL;
	if (a.family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&j->sa;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)p->port);
		memcpy(&sin->sin_addr, a.b, 4);
		j->salen = sizeof(*sin);
		snprintf(j->asset, sizeof(j->asset), "%s:%d/tcp", p->addr,
		         p->port);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&j->sa;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)p->port);
		memcpy(&sin6->sin6_addr, a.b, 16);
		j->salen = sizeof(*sin6);
		snprintf(j->asset, sizeof(j->asset), "[%s]:%d/tcp", p->addr,
		         p->port);
	}
	return CX_OK;
}

static SSL_CTX *make_ssl_ctx(void)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL)
		return NULL;
	SSL_CTX_set_security_level(ctx, 0);
	SSL_CTX_set_min_proto_version(ctx, 0);
	SSL_CTX_set_max_proto_version(ctx, 0);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	SSL_CTX_set_options(ctx, SSL_OP_LEGACY_SERVER_CONNECT |
	                             SSL_OP_ALLOW_UNSAFE_LEGACY_RENEGOTIATION);
	SSL_CTX_set_cipher_list(ctx, "ALL:COMPLEMENTOFALL:@SECLEVEL=0");
	return ctx;
}

int cx_service_detect(struct cx_loop *loop, struct cx_run *run,
                      const struct cx_scan_opts *opts,
                      const char *signatures_path,
                      const struct cx_progress *progress_cb)
{
	struct svc s;
	struct cx_diags diags = {0};
	struct sigaction ign, old;
	char *schema = NULL, *dir = NULL, *slash;
	size_t i, n_open = 0;
	long fdlim;
	int rc, sig_saved = 0;

	if (loop == NULL || run == NULL || opts == NULL ||
	    signatures_path == NULL)
		return CX_EINVAL;
	memset(&s, 0, sizeof(s));
	s.loop = loop;
	s.run = run;
	s.opts = opts;
	s.progress = progress_cb;

	/* the schema lives in schema/ beside the signature file */
	dir = cx_strdup(signatures_path);
	if (dir == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	slash = strrchr(dir, '/');
	if (slash != NULL)
		*slash = '\0';
	schema =
	    cx_path_join(slash != NULL ? dir : ".", "schema/signatures.xsd");
	if (schema == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	rc = cx_sigdb_load(signatures_path,
	                   cx_path_exists(schema) ? schema : NULL, &s.db,
	                   &diags);
	if (rc)
		goto out;
	s.ssl_ctx = make_ssl_ctx();
	if (s.ssl_ctx == NULL) {
		rc = CX_ETLS;
		goto out;
	}
	for (i = 0; i < run->n_ports; i++)
		if (run->ports[i].state == CX_PORT_OPEN &&
		    (run->ports[i].proto == NULL ||
		     strcmp(run->ports[i].proto, "tcp") == 0))
			n_open++;
	s.jobs = calloc(n_open ? n_open : 1, sizeof(*s.jobs));
	if (s.jobs == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	for (i = 0; i < run->n_ports; i++) {
		if (run->ports[i].state != CX_PORT_OPEN ||
		    (run->ports[i].proto != NULL &&
		     strcmp(run->ports[i].proto, "tcp") != 0))
			continue;
		if (job_init(&s, &s.jobs[s.n_jobs], i) == 0)
			s.n_jobs++;
	}
	fdlim = cx_raise_fd_limit();
	s.max_active =
	    (size_t)(opts->max_inflight > 0 ? opts->max_inflight : 4096) /
	    (MAX_PARALLEL + 2);
	if (fdlim > 64 &&
	    s.max_active > (size_t)(fdlim - 32) / (MAX_PARALLEL + 2))
		s.max_active = (size_t)(fdlim - 32) / (MAX_PARALLEL + 2);
	if (s.max_active < 1)
		s.max_active = 1;

	/* OpenSSL writes with write(2): never die of SIGPIPE */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	if (sigaction(SIGPIPE, &ign, &old) == 0)
		sig_saved = 1;

	cx_loop_update_time(loop);
	progress(&s, 1);
	start_more(&s);
	rc = CX_OK;
	while (s.done < s.n_jobs && s.err == 0) {
		rc = cx_loop_run(loop);
		if (rc)
			break;
		if (s.active == 0 && s.next >= s.n_jobs)
			break;
	}
	if (rc == 0 && s.err)
		rc = s.err;
	progress(&s, 1);
out:
	if (sig_saved)
		sigaction(SIGPIPE, &old, NULL);
	for (i = 0; i < s.n_jobs; i++)
		job_free(&s.jobs[i]);
	free(s.jobs);
	if (s.ssl_ctx)
		SSL_CTX_free(s.ssl_ctx);
	cx_sigdb_free(s.db);
	cx_diags_free(&diags);
	free(schema);
	free(dir);
	return rc;
}
