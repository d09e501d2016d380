/*
 * Unit tests: the service detection engine (scanner/net/service.c) end
 * to end, against small servers this test runs on the same event loop
 * (banner, silent, accept-and-close, flood, HTTP-like, FTP-like, fake
 * TLS, a trickling server, IPv6), with broken signature files, and as
 * the stage fed by the port scan (cx_svc_pipe_*: fed, interrupted).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certexam/check.h"
#include "certexam/error.h"
#include "certexam/loop.h"
#include "certexam/run.h"
#include "certexam/util.h"
#include "service.h"
#include "service_util.h"

#define SIGS CX_SOURCE_PROFILES "/signatures.xml"

/* ---------------------------------------------- the engine, end to end */

enum srv_mode {
	M_BANNER,
	M_SILENT,
	M_CLOSE,
	M_FLOOD,
	M_HTTP,
	M_FTP,
	M_FAKETLS
};

struct srv {
	int lfd;
	int port;
	enum srv_mode mode;
	const char *banner;
};

#define MAX_SCONN 64
static int sconns[MAX_SCONN];
static size_t n_sconns;

static void sconn_io(struct cx_loop *loop, int fd, unsigned ev, void *arg)
{
	struct srv *s = arg;
	char buf[4096];
	ssize_t n;

	(void)ev;
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	if (n <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		cx_loop_del(loop, fd);
		close(fd);
		for (size_t i = 0; i < n_sconns; i++)
			if (sconns[i] == fd)
				sconns[i] = -1;
		return;
	}
	buf[n] = '\0';
	if (s->mode == M_HTTP && strstr(buf, "\r\n\r\n") != NULL) {
		static const char resp[] = "HTTP/1.1 200 OK\r\nServer: "
		                           "nginx/1.22.1\r\nContent-Length: "
		                           "0\r\n\r\n";
		if (send(fd, resp, sizeof(resp) - 1, MSG_NOSIGNAL) < 0)
			return; /* the client went away */
	}
	if (s->mode == M_FAKETLS) {
		/* a TLS record header, then nothing a handshake can use */
		static const char rec[] = "\x16\x03\x03\x00\x05garbage";
		if (send(fd, rec, sizeof(rec) - 1, MSG_NOSIGNAL) < 0)
			return; /* the client went away */
	}
	if (s->mode == M_FTP && strncmp(buf, "AUTH TLS", 8) == 0) {
		static const char resp[] = "500 Unknown command.\r\n";
		if (send(fd, resp, sizeof(resp) - 1, MSG_NOSIGNAL) < 0)
			return; /* the client went away */
	}
}

static void srv_accept(struct cx_loop *loop, int fd, unsigned ev, void *arg)
{
	struct srv *s = arg;
	char junk[8192];
	int c;

	(void)ev;
	c = accept(fd, NULL, NULL);
	if (c < 0)
		return;
	ck_assert_int_eq(fcntl(c, F_SETFL, O_NONBLOCK), 0);
	if (s->mode == M_CLOSE) {
		close(c);
		return;
	}
	if (s->banner != NULL)
		ck_assert_int_gt(
		    send(c, s->banner, strlen(s->banner), MSG_NOSIGNAL), 0);
	if (s->mode == M_FLOOD) {
		memset(junk, 'J', sizeof(junk));
		while (send(c, junk, sizeof(junk), MSG_NOSIGNAL) > 0)
			;
	}
	ck_assert_uint_lt(n_sconns, MAX_SCONN);
	sconns[n_sconns++] = c;
	ck_assert_int_eq(cx_loop_add(loop, c, CX_EV_READ, sconn_io, s), 0);
}

static void srv_open(struct cx_loop *loop, struct srv *s)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);

	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(s->lfd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	ck_assert_int_eq(bind(s->lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(s->lfd, 16), 0);
	ck_assert_int_eq(getsockname(s->lfd, (struct sockaddr *)&sin, &len), 0);
	s->port = ntohs(sin.sin_port);
	ck_assert_int_eq(cx_loop_add(loop, s->lfd, CX_EV_READ, srv_accept, s),
	                 0);
}

static void add_port(struct cx_run *run, int port)
{
	struct cx_port_obs p;

	memset(&p, 0, sizeof(p));
	p.addr = "127.0.0.1";
	p.port = port;
	p.proto = "tcp";
	p.state = CX_PORT_OPEN;
	p.reason = "syn-ack";
	ck_assert_int_eq(cx_run_add_port(run, &p, NULL), 0);
}

static const struct cx_port_obs *port_of(const struct cx_run *run, int port)
{
	const struct cx_port_obs *p =
	    cx_run_find_port(run, "127.0.0.1", port, "tcp");

	ck_assert_ptr_nonnull(p);
	return p;
}

static const struct cx_observation *svc_obs(const struct cx_run *run, int port)
{
	char asset[64];
	size_t i;

	snprintf(asset, sizeof(asset), "127.0.0.1:%d/tcp", port);
	for (i = 0; i < run->n_obs; i++)
		if (strcmp(run->obs[i].kind, "service") == 0 &&
		    strcmp(run->obs[i].asset, asset) == 0)
			return &run->obs[i];
	ck_abort_msg("no service observation for %s", asset);
	return NULL;
}

static size_t evidence_size(const struct cx_run *run, const char *id)
{
	char *path;
	struct stat st;
	size_t i;

	for (i = 0; i < run->n_evidence; i++) {
		if (strcmp(run->evidence[i].id, id) != 0)
			continue;
		path = cx_path_join(run->dir, run->evidence[i].file);
		ck_assert_int_eq(stat(path, &st), 0);
		free(path);
		ck_assert_uint_eq((size_t)st.st_size, run->evidence[i].size);
		return run->evidence[i].size;
	}
	ck_abort_msg("evidence %s not indexed", id);
	return 0;
}

static int progress_calls;

static void on_progress(void *arg, const char *phase, uint64_t done,
                        uint64_t total, uint64_t found)
{
	(void)arg;
	(void)found;
	ck_assert_str_eq(phase, "services");
	ck_assert_uint_le(done, total);
	progress_calls++;
}

START_TEST(test_engine_lab)
{
	struct srv srv[] = {
	    {-1, 0, M_BANNER, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"},
	    {-1, 0, M_SILENT, NULL},
	    {-1, 0, M_CLOSE, NULL},
	    {-1, 0, M_FLOOD, NULL},
	    {-1, 0, M_HTTP, NULL},
	    {-1, 0, M_FTP, "220 (vsFTPd 3.0.3)\r\n"},
	    {-1, 0, M_FAKETLS, NULL},
	};
	struct cx_progress prog = {on_progress, NULL};
	struct cx_scan_opts opts;
	struct cx_loop *loop;
	struct cx_run *run;
	const struct cx_port_obs *p;
	const struct cx_observation *o;
	int refused_port, fd;
	struct sockaddr_in sin;
	socklen_t slen = sizeof(sin);
	uint64_t t0, took;
	size_t i;

	ck_assert_int_eq(cx_loop_new(&loop), 0);
	run = cx_run_new();
	ck_assert_ptr_nonnull(run);
	ck_assert_int_eq(cx_run_place(run, tmpdir), 0);
	for (i = 0; i < CX_ARRAY_LEN(srv); i++) {
		srv_open(loop, &srv[i]);
		add_port(run, srv[i].port);
	}
	/* a port nobody listens on any more: bind, note the port, close */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &slen), 0);
	refused_port = ntohs(sin.sin_port);
	close(fd);
	add_port(run, refused_port);

	cx_scan_opts_default(&opts);
	opts.service_wait_ms = 150;
	opts.probe_timeout_ms = 400;
	progress_calls = 0;
	t0 = cx_now_ms();
	ck_assert_int_eq(cx_service_detect(loop, run, &opts, SIGS, &prog), 0);
	took = cx_now_ms() - t0;
	/* all concurrently: one banner wait plus one probe timeout, not a sum
	 */
	ck_assert_msg(took < 150 + 400 + 400, "took %llu ms",
	              (unsigned long long)took);
	ck_assert_int_gt(progress_calls, 0);

	p = port_of(run, srv[0].port);
	ck_assert_str_eq(p->service, "ssh");
	ck_assert_str_eq(p->product, "OpenSSH");
	ck_assert_str_eq(p->version, "9.2p1");
	ck_assert_str_eq(p->extra, "Debian-2+deb12u3");
	ck_assert_ptr_nonnull(p->evidence);
	ck_assert_uint_eq(evidence_size(run, p->evidence), 40);

	p = port_of(run, srv[1].port); /* silent */
	ck_assert_ptr_null(p->service);
	o = svc_obs(run, srv[1].port);
	ck_assert_str_eq(cx_obs_get(o, "note"), "no banner");
	ck_assert_str_eq(cx_obs_get(o, "service"), "unknown");

	p = port_of(run, srv[2].port); /* accept and close */
	ck_assert_ptr_null(p->service);
	o = svc_obs(run, srv[2].port);
	ck_assert_str_eq(cx_obs_get(o, "note"),
	                 "closed by the peer without data");
	{
		long ms;

		ck_assert_int_eq(
		    cx_parse_long(cx_obs_get(o, "elapsed-ms"), 0, 100000, &ms),
		    0);
		ck_assert_int_lt(ms, 150);
	}

	p = port_of(run, srv[3].port); /* flood: bounded */
	ck_assert_ptr_null(p->service);
	ck_assert_ptr_nonnull(p->evidence);
	ck_assert_uint_le(evidence_size(run, p->evidence), 16384);

	p = port_of(run, srv[4].port); /* HTTP after a silent wait */
	ck_assert_str_eq(p->service, "http");
	ck_assert_str_eq(p->product, "nginx");
	ck_assert_str_eq(p->version, "1.22.1");
	ck_assert_int_eq(p->tls, 0);
	o = svc_obs(run, srv[4].port);
	ck_assert_str_eq(cx_obs_get(o, "identified-by"), "http-get");

	p = port_of(run, srv[5].port); /* FTP: AUTH TLS refused */
	ck_assert_str_eq(p->service, "ftp");
	ck_assert_str_eq(p->product, "vsftpd");
	o = svc_obs(run, srv[5].port);
	ck_assert_str_eq(cx_obs_get(o, "starttls"), "not-offered");

	p = port_of(run, srv[6].port); /* TLS record, failed handshake */
	ck_assert_int_eq(p->tls, 1);
	ck_assert_str_eq(p->service, "tls");
	ck_assert_ptr_null(p->inner);
	o = svc_obs(run, srv[6].port);
	ck_assert_str_eq(cx_obs_get(o, "tls-handshake"), "failed");
	ck_assert_str_eq(cx_obs_get(o, "note"), "TLS handshake failed");

	p = port_of(run, refused_port);
	ck_assert_ptr_null(p->service);
	o = svc_obs(run, refused_port);
	ck_assert_str_eq(cx_obs_get(o, "note"), "connection refused");

	for (i = 0; i < n_sconns; i++)
		if (sconns[i] >= 0) {
			cx_loop_del(loop, sconns[i]);
			close(sconns[i]);
		}
	n_sconns = 0;
	for (i = 0; i < CX_ARRAY_LEN(srv); i++) {
		cx_loop_del(loop, srv[i].lfd);
		close(srv[i].lfd);
	}
	cx_run_free(run);
	cx_loop_free(loop);
}
END_TEST

/* A server that trickles one byte every 20 ms, forever. */
static int trickle_fds[8];
static size_t n_trickle;

static void trickle_tick(struct cx_loop *loop, struct cx_timer *t)
{
	size_t i;

	for (i = 0; i < n_trickle; i++)
		if (trickle_fds[i] >= 0 &&
		    send(trickle_fds[i], "2", 1, MSG_NOSIGNAL) < 0 &&
		    errno != EAGAIN)
			trickle_fds[i] = -1;
	cx_timer_start(loop, t, 20);
}

static void trickle_accept(struct cx_loop *loop, int fd, unsigned ev, void *arg)
{
	int c = accept(fd, NULL, NULL);

	(void)loop;
	(void)ev;
	(void)arg;
	if (c < 0)
		return;
	ck_assert_int_eq(fcntl(c, F_SETFL, O_NONBLOCK), 0);
	if (n_trickle < CX_ARRAY_LEN(trickle_fds))
		trickle_fds[n_trickle++] = c;
	else
		close(c);
}

START_TEST(test_engine_trickle_and_v6)
{
	struct cx_scan_opts opts;
	struct cx_loop *loop;
	struct cx_run *run;
	struct cx_timer tick;
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	socklen_t len = sizeof(sin);
	struct srv v6 = {-1, 0, M_BANNER, "SSH-2.0-dropbear_2022.83\r\n"};
	int lfd, tport, have_v6 = 0;
	const struct cx_port_obs *p;
	uint64_t t0, took;
	size_t i;

	ck_assert_int_eq(cx_loop_new(&loop), 0);
	run = cx_run_new();
	ck_assert_int_eq(cx_run_place(run, tmpdir), 0);
	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(lfd, 16), 0);
	ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&sin, &len), 0);
	tport = ntohs(sin.sin_port);
	ck_assert_int_eq(
	    cx_loop_add(loop, lfd, CX_EV_READ, trickle_accept, NULL), 0);
	add_port(run, tport);
	n_trickle = 0;
	cx_timer_init(&tick, trickle_tick, NULL);
	cx_timer_start(loop, &tick, 20);

	/* ::1 when the host has IPv6 loopback */
	v6.lfd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
	memset(&sin6, 0, sizeof(sin6));
	sin6.sin6_family = AF_INET6;
	sin6.sin6_addr = in6addr_loopback;
	len = sizeof(sin6);
	if (v6.lfd >= 0 &&
	    bind(v6.lfd, (struct sockaddr *)&sin6, sizeof(sin6)) == 0 &&
	    listen(v6.lfd, 16) == 0 &&
	    getsockname(v6.lfd, (struct sockaddr *)&sin6, &len) == 0) {
		struct cx_port_obs po;

		have_v6 = 1;
		v6.port = ntohs(sin6.sin6_port);
		ck_assert_int_eq(
		    cx_loop_add(loop, v6.lfd, CX_EV_READ, srv_accept, &v6), 0);
		memset(&po, 0, sizeof(po));
		po.addr = "::1";
		po.port = v6.port;
		po.proto = "tcp";
		po.state = CX_PORT_OPEN;
		ck_assert_int_eq(cx_run_add_port(run, &po, NULL), 0);
	}

	cx_scan_opts_default(&opts);
	opts.service_wait_ms = 100;
	opts.probe_timeout_ms = 300;
	t0 = cx_now_ms();
	ck_assert_int_eq(cx_service_detect(loop, run, &opts, SIGS, NULL), 0);
	took = cx_now_ms() - t0;
	/* a trickling server costs the banner wait plus one probe deadline */
	ck_assert_msg(took < 100 + 300 + 400, "took %llu ms",
	              (unsigned long long)took);
	p = port_of(run, tport);
	ck_assert_ptr_null(p->service);
	ck_assert_ptr_nonnull(p->evidence);
	if (have_v6) {
		p = cx_run_find_port(run, "::1", v6.port, "tcp");
		ck_assert_ptr_nonnull(p);
		ck_assert_str_eq(p->service, "ssh");
		ck_assert_str_eq(p->product, "Dropbear");
		ck_assert_str_eq(p->version, "2022.83");
	}

	cx_timer_stop(loop, &tick);
	for (i = 0; i < n_trickle; i++)
		close(trickle_fds[i] >= 0 ? trickle_fds[i] : -1);
	for (i = 0; i < n_sconns; i++)
		if (sconns[i] >= 0) {
			cx_loop_del(loop, sconns[i]);
			close(sconns[i]);
		}
	n_sconns = 0;
	cx_loop_del(loop, lfd);
	close(lfd);
	if (v6.lfd >= 0) {
		cx_loop_del(loop, v6.lfd);
		close(v6.lfd);
	}
	cx_run_free(run);
	cx_loop_free(loop);
}
END_TEST

START_TEST(test_engine_bad_signatures)
{
	struct cx_scan_opts opts;
	struct cx_loop *loop;
	struct cx_run *run = cx_run_new();
	char *path = cx_path_join(tmpdir, "broken.xml");

	ck_assert_int_eq(cx_write_file_atomic(path, "<not-closed", 11), 0);
	ck_assert_int_eq(cx_loop_new(&loop), 0);
	cx_scan_opts_default(&opts);
	ck_assert_int_ne(cx_service_detect(loop, run, &opts, path, NULL), 0);
	ck_assert_int_ne(
	    cx_service_detect(loop, run, &opts, "/nonexistent/sig.xml", NULL),
	    0);
	/* no open ports: nothing to do, and fine */
	ck_assert_int_eq(cx_service_detect(loop, run, &opts, SIGS, NULL), 0);
	cx_loop_free(loop);
	cx_run_free(run);
	free(path);
}
END_TEST

/* ------------------------------------------- the stage fed by the scan */

static void stop_scan(struct cx_loop *loop, struct cx_timer *t)
{
	(void)t;
	cx_loop_stop(loop);
}

/* Run the loop for ms, as a port scan would while it feeds detection. */
static void scan_for(struct cx_loop *loop, uint64_t ms)
{
	struct cx_timer t;

	cx_timer_init(&t, stop_scan, NULL);
	ck_assert_int_eq(cx_timer_start(loop, &t, ms), 0);
	ck_assert_int_eq(cx_loop_run(loop), 0);
	cx_timer_stop(loop, &t);
}

static size_t n_service_obs(const struct cx_run *run, int port)
{
	char asset[64];
	size_t i, n = 0;

	snprintf(asset, sizeof(asset), "127.0.0.1:%d/tcp", port);
	for (i = 0; i < run->n_obs; i++)
		if (strcmp(run->obs[i].kind, "service") == 0 &&
		    (port == 0 || strcmp(run->obs[i].asset, asset) == 0))
			n++;
	return n;
}

static void servers_close(struct cx_loop *loop, struct srv *srv, size_t n)
{
	size_t i;

	for (i = 0; i < n_sconns; i++)
		if (sconns[i] >= 0) {
			cx_loop_del(loop, sconns[i]);
			close(sconns[i]);
		}
	n_sconns = 0;
	for (i = 0; i < n; i++) {
		cx_loop_del(loop, srv[i].lfd);
		close(srv[i].lfd);
	}
}

/* A loop, a run in tmpdir, the n servers listening, an empty pipe. */
static struct cx_svc_pipe *pipe_setup(struct cx_loop **loop,
                                      struct cx_run **run, struct srv *srv,
                                      size_t n, struct cx_scan_opts *opts,
                                      const struct cx_progress *prog)
{
	struct cx_svc_pipe *pipe;
	size_t i;

	ck_assert_int_eq(cx_loop_new(loop), 0);
	*run = cx_run_new();
	ck_assert_ptr_nonnull(*run);
	ck_assert_int_eq(cx_run_place(*run, tmpdir), 0);
	for (i = 0; i < n; i++)
		srv_open(*loop, &srv[i]);
	cx_scan_opts_default(opts);
	opts->service_wait_ms = 150;
	opts->probe_timeout_ms = 400;
	ck_assert_int_eq(
	    cx_svc_pipe_new(*loop, *run, opts, SIGS, prog, NULL, &pipe), 0);
	return pipe;
}

/*
 * Ports fed while "the scan" runs are detected then, recorded only once
 * the scan has put its ports in the run (in any order), with the results
 * detection after the scan gives; a fed port the all-open sample leaves
 * out is not recorded; a port not fed is detected at the end.
 */
START_TEST(test_engine_pipe)
{
	struct srv srv[] = {
	    {-1, 0, M_BANNER, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"},
	    {-1, 0, M_SILENT, NULL},
	    {-1, 0, M_HTTP, NULL},
	    {-1, 0, M_FTP, "220 (vsFTPd 3.0.3)\r\n"},
	    {-1, 0, M_BANNER, "SSH-2.0-OpenSSH_8.4\r\n"}, /* not probed */
	    {-1, 0, M_BANNER, "220 (vsFTPd 3.0.5)\r\n"},  /* not fed */
	};
	struct cx_progress prog = {on_progress, NULL};
	struct cx_scan_opts opts;
	struct cx_svc_pipe *pipe;
	struct cx_loop *loop;
	struct cx_run *run;
	const struct cx_port_obs *p;
	const struct cx_observation *o;
	uint64_t t0, took;
	long ms;
	size_t i;

	progress_calls = 0;
	pipe = pipe_setup(&loop, &run, srv, CX_ARRAY_LEN(srv), &opts, &prog);
	for (i = 0; i < 5; i++)
		cx_svc_pipe_port(pipe, "127.0.0.1", (unsigned)srv[i].port, 0);
	scan_for(loop, 1500);
	/* the jobs ended during the scan; nothing recorded, no progress */
	ck_assert_uint_eq(run->n_obs, 0);
	ck_assert_int_eq(progress_calls, 0);
	/* the scan records its ports (sorted by port, not fed order) */
	for (i = CX_ARRAY_LEN(srv); i-- > 0;)
		add_port(run, srv[i].port);
	p = port_of(run, srv[4].port);
	free(run->ports[p - run->ports].reason);
	run->ports[p - run->ports].reason =
	    cx_strdup("syn-ack" CX_REASON_NOT_PROBED);
	t0 = cx_now_ms();
	ck_assert_int_eq(cx_svc_pipe_finish(pipe, 1), 0);
	took = cx_now_ms() - t0;
	/* only the port not fed was left: one banner, one follow-up */
	ck_assert_msg(took < 150 + 400 + 400, "took %llu ms",
	              (unsigned long long)took);
	ck_assert_int_gt(progress_calls, 0);
	cx_svc_pipe_free(pipe);

	p = port_of(run, srv[0].port);
	ck_assert_str_eq(p->service, "ssh");
	ck_assert_str_eq(p->version, "9.2p1");
	ck_assert_ptr_nonnull(p->evidence);
	ck_assert_uint_eq(evidence_size(run, p->evidence), 40);
	o = svc_obs(run, srv[0].port);
	/* the job's own time, not the time until the scan ended */
	ck_assert_int_eq(
	    cx_parse_long(cx_obs_get(o, "elapsed-ms"), 0, 100000, &ms), 0);
	ck_assert_int_lt(ms, 1000);
	o = svc_obs(run, srv[1].port);
	ck_assert_str_eq(cx_obs_get(o, "note"), "no banner");
	ck_assert_str_eq(port_of(run, srv[2].port)->service, "http");
	ck_assert_str_eq(port_of(run, srv[3].port)->service, "ftp");
	ck_assert_str_eq(cx_obs_get(svc_obs(run, srv[3].port), "starttls"),
	                 "not-offered");
	/* outside the all-open sample: fed, detected, not recorded */
	ck_assert_ptr_null(port_of(run, srv[4].port)->service);
	ck_assert_uint_eq(n_service_obs(run, srv[4].port), 0);
	/* not fed: detected after the scan */
	ck_assert_str_eq(port_of(run, srv[5].port)->service, "ftp");
	ck_assert_str_eq(port_of(run, srv[5].port)->version, "3.0.5");
	ck_assert_uint_eq(n_service_obs(run, 0), 5);

	servers_close(loop, srv, CX_ARRAY_LEN(srv));
	ck_assert_uint_eq(cx_loop_nfds(loop), 0);
	cx_run_free(run);
	cx_loop_free(loop);
}
END_TEST

/*
 * The scan is interrupted: what detection finished is recorded, a port
 * still being probed is ended and left out, nothing more starts.
 */
START_TEST(test_engine_pipe_abort)
{
	struct srv srv[] = {
	    {-1, 0, M_BANNER, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"},
	    {-1, 0, M_SILENT, NULL},
	    {-1, 0, M_BANNER, "SSH-2.0-OpenSSH_8.4\r\n"}, /* not fed */
	};
	struct cx_scan_opts opts;
	struct cx_svc_pipe *pipe;
	struct cx_loop *loop;
	struct cx_run *run;
	size_t i;

	pipe = pipe_setup(&loop, &run, srv, CX_ARRAY_LEN(srv), &opts, NULL);
	cx_svc_pipe_port(pipe, "127.0.0.1", (unsigned)srv[0].port, 0);
	cx_svc_pipe_port(pipe, "127.0.0.1", (unsigned)srv[1].port, 0);
	scan_for(loop, 120); /* the banner is read, the silent port waits */
	for (i = 0; i < CX_ARRAY_LEN(srv); i++)
		add_port(run, srv[i].port);
	ck_assert_int_eq(cx_svc_pipe_finish(pipe, 0), 0);
	ck_assert_str_eq(port_of(run, srv[0].port)->service, "ssh");
	ck_assert_uint_eq(n_service_obs(run, srv[1].port), 0);
	ck_assert_uint_eq(n_service_obs(run, srv[2].port), 0);
	ck_assert_uint_eq(n_service_obs(run, 0), 1);
	/* the silent port's connections are closed: only the servers' fds */
	cx_svc_pipe_free(pipe);
	servers_close(loop, srv, CX_ARRAY_LEN(srv));
	ck_assert_uint_eq(cx_loop_nfds(loop), 0);
	cx_run_free(run);
	cx_loop_free(loop);
}
END_TEST

static Suite *service_engine_suite(void)
{
	Suite *s = suite_create("service_engine");
	TCase *tc = tcase_create("engine");

	tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_engine_lab);
	tcase_add_test(tc, test_engine_trickle_and_v6);
	tcase_add_test(tc, test_engine_bad_signatures);
	tcase_add_test(tc, test_engine_pipe);
	tcase_add_test(tc, test_engine_pipe_abort);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(service_engine_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
