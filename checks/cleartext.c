/*
 * certexam — the cleartext-credentials check (requirement NET-08).
 *
 * Owns the dialogue with every open IMAP, POP3 and SMTP port that service
 * detection found on a clear (non-TLS) connection: the greeting, the
 * capabilities (CAPABILITY, CAPA, EHLO), and STARTTLS / STLS when it is
 * advertised (the TLS handshake itself is the tls check's; a positive
 * answer is enough here), then the goodbye.  A login offered before TLS
 * (IMAP without LOGINDISABLED or with AUTH=PLAIN/LOGIN, POP3 USER or SASL
 * PLAIN/LOGIN, SMTP AUTH), alone, before STARTTLS, or with a STARTTLS
 * that is refused, is a failed finding; every exchange is evidence.  A
 * POP3 server without CAPA (RFC 2449 is optional) is asked USER with a
 * name that is no account (no password is ever sent): +OK means it takes
 * USER/PASS before TLS (fail); -ERR, then STLS: accepted is a pass,
 * refused leaves no way to tell how it logs in (not_checked).  All
 * I/O runs on the run's event loop with a deadline per probe; a silent or
 * hostile server costs a timeout and its finding is not_checked with the
 * reason.  Replies are parsed by cleartext_parse.c, length-checked.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "certexam/check.h"
#include "certexam/escape.h"
#include "certexam/loop.h"
#include "certexam/util.h"
#include "cleartext.h"

#define CHECK_ID     "cleartext"
#define REQ_ID       "NET-08"
#define MAX_PARALLEL 32

struct probe {
	struct ctstate *st;
	const struct cx_port_obs *port;
	char asset[80];
	enum ct_proto proto;
	enum ct_stage stage;
	int fd;
	int connected;
	int quitting;
	char buf[CT_MAX_REPLY];
	size_t len;
	struct ct_caps caps;
	int starttls_res;   /* -1 not tried, 0 refused, 1 accepted */
	int nocapa;         /* POP3 answered CAPA with -ERR */
	int user_accepted;  /* ... and USER with +OK before TLS */
	const char *nc_msg; /* why it could not be judged, or NULL */
	int finished;
	struct cx_timer timer;
	struct cx_buf log; /* the dialogue as sent and received */
};

struct ctstate {
	struct cx_check_ctx *ctx;
	struct probe *p;
	size_t n, next, running;
	int timeout_ms;
};

static int proto_of(const struct cx_port_obs *p, enum ct_proto *out)
{
	if (p->state != CX_PORT_OPEN || p->tls || p->service == NULL ||
	    p->proto == NULL || strcmp(p->proto, "tcp") != 0)
		return 0;
	if (strcmp(p->service, "imap") == 0)
		*out = CT_IMAP;
	else if (strcmp(p->service, "pop3") == 0)
		*out = CT_POP3;
	else if (strcmp(p->service, "smtp") == 0 ||
	         strcmp(p->service, "submission") == 0)
		*out = CT_SMTP;
	else
		return 0;
	return 1;
}

static void log_bytes(struct probe *p, const char *dir, const char *s, size_t n)
{
	cx_buf_printf(&p->log, "%s ", dir);
	cx_buf_append(&p->log, s, n);
	if (n == 0 || s[n - 1] != '\n')
		cx_buf_puts(&p->log, "\n");
}

static void finish(struct probe *p, const char *nc_msg)
{
	struct ctstate *st = p->st;

	if (p->finished)
		return;
	p->finished = 1;
	if (nc_msg != NULL && p->nc_msg == NULL)
		p->nc_msg = nc_msg;
	cx_timer_stop(st->ctx->loop, &p->timer);
	if (p->fd >= 0) {
		cx_loop_del(st->ctx->loop, p->fd);
		close(p->fd);
		p->fd = -1;
	}
	st->running--;
}

static void start_next(struct ctstate *st);

static void send_cmd(struct probe *p, const char *cmd)
{
	size_t n = strlen(cmd);
	ssize_t w = send(p->fd, cmd, n, MSG_NOSIGNAL);

	log_bytes(p, ">", cmd, n);
	if (w < 0 || (size_t)w != n) {
		finish(p, "cleartext.nc.closed");
		return;
	}
	p->len = 0;
	cx_timer_start(p->st->ctx->loop, &p->timer,
	               (uint64_t)p->st->timeout_ms);
}

static const char *caps_cmd(enum ct_proto proto)
{
	return proto == CT_IMAP   ? "c1 CAPABILITY\r\n"
	       : proto == CT_POP3 ? "CAPA\r\n"
	                          : "EHLO certexam.invalid\r\n";
}

static const char *tls_cmd(enum ct_proto proto)
{
	return proto == CT_IMAP   ? "c2 STARTTLS\r\n"
	       : proto == CT_POP3 ? "STLS\r\n"
	                          : "STARTTLS\r\n";
}

/* POP3 without CAPA: a user name that is no account; no password follows. */
#define POP3_USER_PROBE "USER certexam-probe.invalid\r\n"

static const char *quit_cmd(enum ct_proto proto)
{
	return proto == CT_IMAP ? "c3 LOGOUT\r\n" : "QUIT\r\n";
}

/* A complete reply for the current stage: the next step. */
static void step(struct probe *p, enum ct_reply r)
{
	if (r == CT_BAD) {
		finish(p, "cleartext.nc.garbled");
		return;
	}
	switch (p->stage) {
	case CT_GREETING:
		if (r != CT_OK) {
			finish(p, "cleartext.nc.greeting");
			return;
		}
		p->stage = CT_CAPS;
		send_cmd(p, caps_cmd(p->proto));
		return;
	case CT_CAPS:
		if (r == CT_NO && p->proto == CT_POP3) {
			p->nocapa = 1;
			p->stage = CT_USER;
			send_cmd(p, POP3_USER_PROBE);
			return;
		}
		if (r != CT_OK) {
			finish(p, "cleartext.nc.no-caps");
			return;
		}
		if (p->caps.starttls) {
			p->stage = CT_STARTTLS;
			send_cmd(p, tls_cmd(p->proto));
			return;
		}
		break;
	case CT_USER:
		if (r == CT_OK) {
			p->user_accepted = 1;
			p->caps.user = 1;
			break; /* fails whether or not STLS would work */
		}
		/* USER refused before TLS: is there TLS at all? */
		p->caps.starttls = 1;
		p->stage = CT_STARTTLS;
		send_cmd(p, tls_cmd(p->proto));
		return;
	case CT_STARTTLS:
		p->starttls_res = r == CT_OK;
		if (r == CT_OK) {
			/* The server now waits for a TLS handshake: the
			 * dialogue ends here (the tls check does TLS). */
			finish(p, NULL);
			return;
		}
		break;
	}
	p->quitting = 1;
	send_cmd(p, quit_cmd(p->proto));
	finish(p, NULL);
}

static void io_cb(struct cx_loop *loop, int fd, unsigned events, void *arg)
{
	struct probe *p = arg;
	ssize_t n;
	int err = 0;
	socklen_t el = sizeof(err);
	enum ct_reply r;

	(void)fd;
	if (!p->connected) {
		if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &el) != 0 ||
		    err != 0) {
			finish(p, "cleartext.nc.connect");
			start_next(p->st);
			return;
		}
		p->connected = 1;
		cx_loop_mod(loop, p->fd, CX_EV_READ);
		return;
	}
	if (!(events & (CX_EV_READ | CX_EV_ERROR)))
		return;
	n = recv(p->fd, p->buf + p->len, sizeof(p->buf) - p->len, 0);
	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		finish(p, "cleartext.nc.closed");
		start_next(p->st);
		return;
	}
	log_bytes(p, "<", p->buf + p->len, (size_t)n);
	p->len += (size_t)n;
	r = ct_parse(p->proto, p->stage, p->buf, p->len, &p->caps);
	if (r != CT_MORE)
		step(p, r);
	if (p->finished)
		start_next(p->st);
}

static void timer_cb(struct cx_loop *loop, struct cx_timer *t)
{
	struct probe *p = t->arg;

	(void)loop;
	finish(p, "cleartext.nc.timeout");
	start_next(p->st);
}

static int open_socket(struct probe *p)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	struct cx_addr a;
	int fd;

	memset(&ss, 0, sizeof(ss));
	if (cx_addr_parse(p->port->addr, &a) != CX_OK)
		return -1;
	if (a.family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)p->port->port);
		memcpy(&s4->sin_addr, a.b, 4);
		sl = sizeof(*s4);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)p->port->port);
		memcpy(&s6->sin6_addr, a.b, 16);
		sl = sizeof(*s6);
	}
	fd = socket(a.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, sl) != 0 &&
	    errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

static void start_next(struct ctstate *st)
{
	while (st->running < MAX_PARALLEL && st->next < st->n &&
	       !cx_interrupted) {
		struct probe *p = &st->p[st->next++];

		st->running++;
		p->fd = open_socket(p);
		if (p->fd < 0 || cx_loop_add(st->ctx->loop, p->fd, CX_EV_WRITE,
		                             io_cb, p) != CX_OK) {
			finish(p, "cleartext.nc.connect");
			continue;
		}
		cx_timer_start(st->ctx->loop, &p->timer,
		               (uint64_t)st->timeout_ms);
	}
}

static void record(struct ctstate *st, struct probe *p)
{
	struct cx_check_ctx *ctx = st->ctx;
	const char *ev = NULL, *msg;
	enum cx_status status = CX_NOT_CHECKED;
	char offers[200], *desc;

	if (p->log.len > 0 && ctx->run->dir != NULL) {
		desc = cx_asprintf("%s dialogue with %s before TLS (sent and "
		                   "received)",
		                   ct_proto_name(p->proto), p->asset);
		cx_run_add_evidence(ctx->run, p->asset, "cleartext-dialogue",
		                    desc ? desc : "dialogue", p->log.data,
		                    p->log.len, &ev);
		free(desc);
	}
	if (p->nc_msg == NULL && !p->finished)
		p->nc_msg = cx_interrupted ? "cleartext.nc.interrupted"
		                           : "cleartext.nc.timeout";
	if (p->nc_msg != NULL && p->stage != CT_STARTTLS)
		msg = p->nc_msg;
	else if (p->user_accepted) {
		status = CX_FAIL;
		msg = "cleartext.login.pop3-user-accepted";
	} else if (p->nocapa && p->starttls_res != 1)
		msg = p->nc_msg != NULL ? p->nc_msg
		                        : "cleartext.nc.pop3-no-login";
	else
		msg = ct_verdict(p->proto, &p->caps,
		                 p->nc_msg != NULL ? -1 : p->starttls_res,
		                 &status);
	snprintf(offers, sizeof(offers), "%s%s%s",
	         p->proto == CT_IMAP && !p->caps.logindisabled ? "LOGIN" : "",
	         p->proto == CT_IMAP && !p->caps.logindisabled &&
	                 p->caps.offers[0]
	             ? " "
	             : "",
	         p->caps.offers);
	cx_emit(ctx, &(struct cx_emit){
	                 .check = CHECK_ID,
	                 .req = REQ_ID,
	                 .asset = p->asset,
	                 .status = status,
	                 .msg = msg,
	                 .args = CX_ARGS("service", ct_proto_name(p->proto),
	                                 "offers", offers[0] ? offers : NULL),
	                 .method_msg = "method.cleartext.starttls",
	                 .evidence = ev,
	             });
}

static int cleartext_run(struct cx_check_ctx *ctx)
{
	struct ctstate st;
	struct cx_run *run = ctx->run;
	size_t i;
	enum ct_proto proto;
	int rc = CX_OK;

	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	st.timeout_ms = ctx->opts && ctx->opts->probe_timeout_ms > 0
	                    ? ctx->opts->probe_timeout_ms
	                    : 3000;
	for (i = 0; i < run->n_ports; i++)
		if (proto_of(&run->ports[i], &proto))
			st.n++;
	if (st.n == 0)
		return CX_OK;
	st.p = calloc(st.n, sizeof(*st.p));
	if (st.p == NULL)
		return CX_ENOMEM;
	st.n = 0;
	for (i = 0; i < run->n_ports; i++) {
		struct probe *p;

		if (!proto_of(&run->ports[i], &proto))
			continue;
		p = &st.p[st.n++];
		p->st = &st;
		p->port = &run->ports[i];
		p->proto = proto;
		p->fd = -1;
		p->starttls_res = -1;
		snprintf(p->asset, sizeof(p->asset), "%s:%d/tcp",
		         run->ports[i].addr, run->ports[i].port);
		cx_timer_init(&p->timer, timer_cb, p);
	}
	start_next(&st);
	if (st.running > 0)
		rc = cx_loop_run(ctx->loop);
	for (i = 0; i < st.n; i++) {
		struct probe *p = &st.p[i];

		if (!p->finished && p->fd >= 0) {
			cx_timer_stop(ctx->loop, &p->timer);
			cx_loop_del(ctx->loop, p->fd);
			close(p->fd);
			p->fd = -1;
		}
		record(&st, p);
		cx_buf_free(&p->log);
	}
	free(st.p);
	return rc == CX_EINTR ? CX_EINTR : CX_OK;
}

const struct cx_check cx_check_cleartext = {
    .id = CHECK_ID,
    .title = "Cleartext credentials on mail services",
    .block = "network",
    .flags = CX_CHECK_NETWORK,
    .run = cleartext_run,
};
