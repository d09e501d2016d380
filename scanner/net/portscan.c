/*
 * certexam — TCP connect port scan on the event loop.
 *
 * Work is organised as a group of active hosts (lazily pulled from the
 * scope iterator) and a pool of probes (one non-blocking socket each).
 * The pump starts probes round-robin over the group while the number in
 * flight is below the congestion window and the rate cap allows.  A probe
 * ends on an answer (connect succeeded: open; refused: closed; ICMP
 * unreachable: filtered) or on its timer (no answer: retried up to the
 * host's try limit, then filtered).
 *
 * Congestion control follows TCP: slow start then additive increase on
 * every answer.  Loss is proven when a retransmitted probe is answered
 * (nmap's rule); from then on that host's timeouts count as loss and
 * halve the window (at most once per timeout interval), and its ports get
 * more tries, up to RETRANS_CAP retransmissions.  Without that proof a
 * timeout is a firewall dropping the port (filtered), or a silent host,
 * neither of which is congestion.  A port that runs out of tries on a
 * host with proven loss is reported filtered and the run is marked
 * degraded, since it may be open.  Timeouts come from the host's smoothed
 * RTT (Karn's rule: only first tries are sampled), clamped to
 * [MIN_TIMEOUT_MS, opts->connect_timeout_ms].
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "certexam/error.h"
#include "certexam/loop.h"
#include "certexam/observation.h"
#include "certexam/run.h"
#include "certexam/target.h"
#include "certexam/util.h"
#include "portscan.h"
#include "raw.h"
#include "scan_int.h"

#define GROUP_MAX             256 /* hosts scanned at the same time */
#define CWND_MIN              8.0
#define CWND_START            256.0
#define MIN_TIMEOUT_MS        100
#define FD_RESERVE            128 /* fds left for the rest of the program */
#define RETRANS_CAP           6   /* most retries on a host with loss seen */
#define SELFCONN_MAX          3 /* self-connects before a port counts closed */
#define EXHAUST_BACKOFF_MS    50
#define EXHAUST_GIVEUP_MIN_MS 2000 /* at least 2 x connect timeout */
#define PUMP_BATCH            2048 /* probes started before yielding to the loop */

/* A retry queue entry: port | tries << 16 | self-connects << 24. */
#define Q_PORT(e)  ((unsigned)((e)&0xffffu))
#define Q_TRIES(e) ((unsigned)(((e) >> 16) & 0xffu))
#define Q_SELF(e)  ((unsigned)(((e) >> 24) & 0xffu))
#define Q_MAKE(p, t, s)                                                        \
	((uint32_t)(p) | ((uint32_t)(t) << 16) | ((uint32_t)(s) << 24))

struct pscan;

struct host {
	struct cx_addr addr;
	char addr_s[INET6_ADDRSTRLEN];
	size_t next_port; /* index into ps->port_list */
	uint32_t *queue;  /* ports to retry */
	size_t q_head, q_len, q_cap;
	unsigned inflight;
	unsigned max_tries; /* retries + 1, raised when loss is seen */
	uint64_t n_open, n_closed, n_filtered, n_unscanned;
	uint64_t answered; /* TCP answers (open or closed) */
	uint64_t late;     /* answers that needed a retry */
	uint64_t capped;   /* ports given up at the retransmission cap */
	uint64_t self_connects;
	int fatal; /* errno that makes the host unscannable */
	int has_rtt;
	double srtt, rttvar; /* microseconds */
	uint16_t *open;      /* open ports found */
	size_t n_open_list, cap_open;
};

struct probe {
	struct pscan *ps;
	struct host *h;
	int fd;
	uint16_t port;
	uint8_t tries; /* attempts before this one */
	uint8_t self;  /* self-connects seen for this port */
	uint64_t sent_us;
	struct cx_timer timer;
	struct probe *next_free;
};

struct pscan {
	struct cx_loop *loop;
	const struct cx_scope *scope;
	const struct cx_addrset *only; /* hosts found up, or NULL: all */
	const struct cx_scan_opts *opts;
	const struct cx_progress *progress;
	struct cx_run *run;

	uint16_t *port_list;
	size_t n_ports;
	char *port_spec;

	struct cx_target_iter it;
	int iter_done;
	struct host *group[GROUP_MAX];
	size_t n_group, rr;

	struct probe *pool, *free_list;
	size_t pool_size;
	unsigned inflight;
	double cwnd, ssthresh, cwnd_max;
	uint64_t last_shrink;

	int has_rtt; /* over all hosts, for hosts without samples */
	double srtt, rttvar;

	double tokens; /* rate cap */
	uint64_t tokens_at;
	struct cx_timer rate_timer;

	uint64_t exhaust_since; /* 0 when sockets can be opened */
	struct cx_timer backoff_timer;
	struct cx_timer yield_timer; /* continues the pump from the loop */
	int gave_up_fds;
	int exhaust_errno;

	int in_pump, pump_again, finished;
	int err; /* first internal error (ENOMEM) */

	uint64_t total, done, found, retrans;
	uint64_t capped_ports, capped_hosts, unscanned, fatal_hosts;
	int fatal_errno;
	uint64_t last_progress;
};

static void pump(struct pscan *ps);

/* Progress */

static void report_progress(struct pscan *ps, int force)
{
	cx_scan_report(ps->progress, "ports", &ps->last_progress,
	               cx_loop_now(ps->loop), force, ps->done, ps->total,
	               ps->found);
}

/* Timing */

/* The host's RTT, else the scan's, else --timeout. */
static uint64_t probe_timeout_ms(const struct pscan *ps, const struct host *h)
{
	if (h->has_rtt)
		return cx_scan_timeout_ms(ps->opts, MIN_TIMEOUT_MS, 1, h->srtt,
		                          h->rttvar);
	return cx_scan_timeout_ms(ps->opts, MIN_TIMEOUT_MS, ps->has_rtt,
	                          ps->srtt, ps->rttvar);
}

static void window_grow(struct pscan *ps)
{
	if (ps->cwnd < ps->ssthresh)
		ps->cwnd += 1.0;
	else
		ps->cwnd += 1.0 / ps->cwnd;
	if (ps->cwnd > ps->cwnd_max)
		ps->cwnd = ps->cwnd_max;
}

static void window_shrink(struct pscan *ps, const struct host *h)
{
	uint64_t now = cx_loop_now(ps->loop);

	if (now - ps->last_shrink < probe_timeout_ms(ps, h))
		return;
	ps->last_shrink = now;
	ps->ssthresh = ps->cwnd / 2 > CWND_MIN ? ps->cwnd / 2 : CWND_MIN;
	ps->cwnd = ps->ssthresh;
}

/* Hosts */

static int host_has_work(const struct pscan *ps, const struct host *h)
{
	if (h->fatal)
		return 0;
	return h->q_len > 0 || h->next_port < ps->n_ports;
}

static int queue_push(struct host *h, uint32_t e, int front)
{
	if (h->q_len == 0)
		h->q_head = 0;
	if (front && h->q_head > 0) {
		h->queue[--h->q_head] = e;
		h->q_len++;
		return CX_OK;
	}
	if (h->q_head + h->q_len + 1 > h->q_cap &&
	    cx_grow(&h->queue, &h->q_cap, h->q_head + h->q_len + 1,
	            sizeof(*h->queue)))
		return CX_ENOMEM;
	if (front && h->q_len > 0) {
		memmove(h->queue + h->q_head + 1, h->queue + h->q_head,
		        h->q_len * sizeof(*h->queue));
		h->queue[h->q_head] = e;
	} else {
		h->queue[h->q_head + h->q_len] = e;
	}
	h->q_len++;
	return CX_OK;
}

/* Write the host's results into the run. */
static int host_flush(struct pscan *ps, struct host *h, int complete)
{
	struct cx_scan_host r;

	memset(&r, 0, sizeof(r));
	r.addr = &h->addr;
	r.addr_s = h->addr_s;
	r.up = h->answered > 0;
	r.open = h->open;
	r.n_open = h->n_open_list;
	r.open_reason = "syn-ack";
	r.n_closed = h->n_closed;
	r.n_filtered = h->n_filtered;
	r.n_unscanned = h->n_unscanned;
	r.self_connects = h->self_connects;
	r.capped = h->capped;
	r.scan = "connect";
	r.port_spec = ps->port_spec;
	r.complete = complete;
	return cx_scan_flush_host(ps->run, ps->scope, &r);
}

static void host_free(struct host *h)
{
	if (h == NULL)
		return;
	free(h->queue);
	free(h->open);
	free(h);
}

/* Count the host's remaining ports as not scanned. */
static void host_abandon(struct pscan *ps, struct host *h)
{
	uint64_t left = h->q_len + (ps->n_ports - h->next_port);

	h->n_unscanned += left;
	ps->unscanned += left;
	ps->done += left;
	h->q_len = 0;
	h->next_port = ps->n_ports;
}

/* Finish hosts without work or probes; pull new ones from the scope. */
static void group_refill(struct pscan *ps)
{
	size_t i = 0;
	struct host *h;
	struct cx_addr a;

	while (i < ps->n_group) {
		h = ps->group[i];
		if (h->inflight > 0 || host_has_work(ps, h)) {
			i++;
			continue;
		}
		if (h->fatal) {
			ps->fatal_hosts++;
			ps->fatal_errno = h->fatal;
			host_abandon(ps, h);
		}
		if (h->capped > 0) {
			ps->capped_hosts++;
			ps->capped_ports += h->capped;
		}
		if (host_flush(ps, h, 1) != 0 && ps->err == 0)
			ps->err = CX_ENOMEM;
		host_free(h);
		ps->group[i] = ps->group[--ps->n_group];
	}
	while (ps->n_group < GROUP_MAX && !ps->iter_done && ps->err == 0) {
		if (!cx_target_next(&ps->it, &a)) {
			ps->iter_done = 1;
			break;
		}
		/* Belt and braces: never contact anything outside scope. */
		if (!cx_scope_contains(ps->scope, &a) ||
		    (ps->only != NULL && !cx_addrset_has(ps->only, &a)))
			continue;
		h = calloc(1, sizeof(*h));
		if (h == NULL) {
			ps->err = CX_ENOMEM;
			break;
		}
		h->addr = a;
		cx_addr_str(&a, h->addr_s, sizeof(h->addr_s));
		h->max_tries =
		    (unsigned)(ps->opts->retries > 0 ? ps->opts->retries + 1
		                                     : 1);
		ps->group[ps->n_group++] = h;
	}
}

/* Probes */

static void probe_release(struct pscan *ps, struct probe *p)
{
	cx_timer_stop(ps->loop, &p->timer);
	if (p->fd >= 0) {
		cx_loop_del(ps->loop, p->fd);
		close(p->fd);
		p->fd = -1;
	}
	p->h->inflight--;
	ps->inflight--;
	p->next_free = ps->free_list;
	ps->free_list = p;
}

static void record(struct pscan *ps, struct host *h, unsigned port,
                   enum cx_port_state st)
{
	ps->done++;
	switch (st) {
	case CX_PORT_OPEN:
		h->n_open++;
		ps->found++;
		if (cx_scan_add_open(&h->open, &h->n_open_list, &h->cap_open,
		                     h->addr_s, (uint16_t)port) != 0 &&
		    ps->err == 0)
			ps->err = CX_ENOMEM;
		break;
	case CX_PORT_CLOSED:
		h->n_closed++;
		break;
	default:
		h->n_filtered++;
		break;
	}
}

/* A TCP answer (open or closed) arrived for p. */
static void answered(struct pscan *ps, struct probe *p)
{
	struct host *h = p->h;
	double r;

	h->answered++;
	/* An answer to the kernel's own SYN retransmission is a late one. */
	if (p->tries == 0 && (cx_now_us() - p->sent_us < 200000 ||
	                      !cx_sock_syn_retransmitted(p->fd))) {
		r = (double)(cx_now_us() - p->sent_us);
		cx_rtt_sample(&h->srtt, &h->rttvar, &h->has_rtt, r);
		cx_rtt_sample(&ps->srtt, &ps->rttvar, &ps->has_rtt, r);
	} else {
		/* It needed a retransmission: loss is real on this path. */
		h->late++;
		if (h->max_tries < (unsigned)p->tries + 2u &&
		    p->tries + 2u <= RETRANS_CAP + 1u)
			h->max_tries = (unsigned)p->tries + 2u;
		window_shrink(ps, h);
		return;
	}
	window_grow(ps);
}

/* Timed out or ETIMEDOUT: retry or give up as filtered. */
static void no_answer(struct pscan *ps, struct probe *p)
{
	struct host *h = p->h;
	unsigned tries = (unsigned)p->tries + 1u;

	/*
	 * Only where loss has been proven (a retry was answered) is a
	 * timeout congestion; otherwise it is a firewall dropping the port.
	 */
	if (h->late > 0)
		window_shrink(ps, h);
	if (tries < h->max_tries) {
		ps->retrans++;
		if (queue_push(h, Q_MAKE(p->port, tries, p->self), 0) != 0) {
			if (ps->err == 0)
				ps->err = CX_ENOMEM;
			record(ps, h, p->port, CX_PORT_FILTERED);
		}
		return;
	}
	if (h->late > 0)
		h->capped++;
	record(ps, h, p->port, CX_PORT_FILTERED);
}

/* 1 if the connected socket is connected to itself. */
/* The connect finished with err (0 = connected).  Releases p. */
static void conclude(struct pscan *ps, struct probe *p, int err)
{
	struct host *h = p->h;
	unsigned port = p->port;

	switch (err) {
	case 0:
	case ECONNRESET: /* established, then reset: it answered */
	case EPIPE:
		if (err == 0 &&
		    cx_sock_self_connected(p->fd, &p->h->addr, p->port)) {
			h->self_connects++;
			cx_sock_close_hard(p->fd);
			if ((unsigned)p->self + 1u < SELFCONN_MAX) {
				/* Try again: the kernel picks another port. */
				if (queue_push(
				        h, Q_MAKE(port, p->tries, p->self + 1u),
				        1) == 0)
					break;
			}
			record(ps, h, port, CX_PORT_CLOSED);
			break;
		}
		if (err == 0)
			cx_sock_close_hard(p->fd);
		answered(ps, p);
		record(ps, h, port, CX_PORT_OPEN);
		break;
	case ECONNREFUSED:
		answered(ps, p);
		record(ps, h, port, CX_PORT_CLOSED);
		break;
	case ETIMEDOUT:
		no_answer(ps, p);
		break;
	default:
		/* ICMP unreachable, administratively prohibited, ... */
		record(ps, h, port, CX_PORT_FILTERED);
		break;
	}
	probe_release(ps, p);
	pump(ps);
}

static void on_io(struct cx_loop *loop, int fd, unsigned events, void *arg)
{
	struct probe *p = arg;
	int err = 0;
	socklen_t len = sizeof(err);

	(void)loop;
	(void)fd;
	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		err = errno;
	if (err == 0 && !(events & CX_EV_WRITE))
		return;
	conclude(p->ps, p, err);
}

static void on_timeout(struct cx_loop *loop, struct cx_timer *t)
{
	struct probe *p = t->arg;
	struct pscan *ps = p->ps;
	struct pollfd pfd;
	int err = 0;
	socklen_t len = sizeof(err);

	(void)loop;
	/*
	 * The answer may be waiting unread (the loop was busy): look before
	 * calling it a timeout.
	 */
	pfd.fd = p->fd;
	pfd.events = POLLOUT;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) == 1 &&
	    getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 &&
	    (err != 0 || (pfd.revents & POLLOUT))) {
		conclude(ps, p, err);
		return;
	}
	no_answer(ps, p);
	probe_release(ps, p);
	report_progress(ps, 0);
	pump(ps);
}

static int resource_errno(int e)
{
	return e == EMFILE || e == ENFILE || e == ENOBUFS || e == ENOMEM ||
	       e == EAGAIN || e == EADDRNOTAVAIL;
}

static void on_backoff(struct cx_loop *loop, struct cx_timer *t)
{
	(void)loop;
	pump(t->arg);
}

static uint64_t exhaust_giveup_ms(const struct pscan *ps)
{
	uint64_t t = ps->opts->connect_timeout_ms > 0
	                 ? 2 * (uint64_t)ps->opts->connect_timeout_ms
	                 : 0;

	return t > EXHAUST_GIVEUP_MIN_MS ? t : EXHAUST_GIVEUP_MIN_MS;
}

/*
 * Sockets could not be opened (fd limit, ephemeral ports, buffers): put
 * the work back, shrink the window and wait a little; give up (degraded)
 * if it lasts.
 */
static void exhausted(struct pscan *ps, struct host *h, uint32_t e, int err)
{
	uint64_t now = cx_loop_now(ps->loop);

	if (queue_push(h, e, 1) != 0) {
		if (ps->err == 0)
			ps->err = CX_ENOMEM;
		ps->done++;
		h->n_unscanned++;
		ps->unscanned++;
	}
	ps->exhaust_errno = err;
	if (ps->exhaust_since == 0)
		ps->exhaust_since = now ? now : 1;
	ps->cwnd =
	    ps->inflight * 0.75 > CWND_MIN ? ps->inflight * 0.75 : CWND_MIN;
	if (ps->ssthresh > ps->cwnd)
		ps->ssthresh = ps->cwnd;
	if (now - ps->exhaust_since >= exhaust_giveup_ms(ps)) {
		ps->gave_up_fds = 1;
		return;
	}
	if (ps->inflight == 0)
		cx_timer_start(ps->loop, &ps->backoff_timer,
		               EXHAUST_BACKOFF_MS);
}

/* Start one connect.  Returns 0, or 1 when sockets are exhausted. */
static int launch(struct pscan *ps, struct host *h, uint32_t e)
{
	struct sockaddr_storage ss;
	socklen_t sslen;
	struct probe *p;
	int fd, rc, err;
	unsigned port = Q_PORT(e);

	cx_raw_sockaddr(&h->addr, (uint16_t)port, &ss, &sslen);
	fd = socket(h->addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	            0);
	if (fd < 0) {
		err = errno;
		if (resource_errno(err)) {
			exhausted(ps, h, e, err);
			return 1;
		}
		h->fatal = err;
		queue_push(h, e, 1);
		return 0;
	}
	p = ps->free_list;
	ps->free_list = p->next_free;
	p->h = h;
	p->fd = fd;
	p->port = (uint16_t)port;
	p->tries = (uint8_t)Q_TRIES(e);
	p->self = (uint8_t)Q_SELF(e);
	h->inflight++;
	ps->inflight++;
	ps->exhaust_since = 0;
	p->sent_us = cx_now_us();
	rc = connect(fd, (struct sockaddr *)&ss, sslen);
	err = rc == 0 ? 0 : errno;
	if (rc != 0 && err == EINPROGRESS) {
		int se = 0;
		socklen_t sl = sizeof(se);

		/*
		 * On loopback (and other fast paths) the answer is often in
		 * already: a refused connect needs no trip through epoll.
		 */
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &se, &sl) == 0 &&
		    se != 0) {
			conclude(ps, p, se);
			return 0;
		}
		if (cx_loop_add(ps->loop, fd, CX_EV_WRITE, on_io, p) != 0) {
			p->fd = -1;
			close(fd);
			probe_release(ps, p);
			exhausted(ps, h, e, ENOMEM);
			return 1;
		}
		cx_timer_start(ps->loop, &p->timer, probe_timeout_ms(ps, h));
		return 0;
	}
	if (rc != 0 && resource_errno(err)) {
		p->fd = -1;
		close(fd);
		probe_release(ps, p);
		exhausted(ps, h, e, err);
		return 1;
	}
	if (rc != 0 && (err == EINVAL || err == EAFNOSUPPORT ||
	                err == EPROTONOSUPPORT || err == EBADF)) {
		/* The host cannot be reached this way at all. */
		h->fatal = err;
		p->fd = -1;
		close(fd);
		probe_release(ps, p);
		queue_push(h, e, 1);
		return 0;
	}
	conclude(ps, p, err);
	return 0;
}

/* The next (host, work item) round-robin over the group. */
static struct host *next_work(struct pscan *ps, uint32_t *e)
{
	size_t n;
	struct host *h;

	for (n = 0; n < ps->n_group; n++) {
		h = ps->group[ps->rr % ps->n_group];
		ps->rr++;
		if (h->fatal)
			continue;
		if (h->q_len > 0) {
			*e = h->queue[h->q_head++];
			h->q_len--;
			return h;
		}
		if (h->next_port < ps->n_ports) {
			*e = Q_MAKE(ps->port_list[h->next_port++], 0, 0);
			return h;
		}
	}
	return NULL;
}

static void on_yield(struct cx_loop *loop, struct cx_timer *t)
{
	(void)loop;
	pump(t->arg);
}

static void on_rate(struct cx_loop *loop, struct cx_timer *t)
{
	(void)loop;
	pump(t->arg);
}

/* 1 if the rate cap allows one more probe now (and takes a token). */
static int rate_ok(struct pscan *ps)
{
	uint64_t now = cx_loop_now(ps->loop), wait;
	double burst;
	int rate = ps->opts->rate;

	if (rate <= 0)
		return 1;
	burst = rate / 20.0 > 1.0 ? rate / 20.0 : 1.0;
	ps->tokens += (double)(now - ps->tokens_at) * rate / 1000.0;
	ps->tokens_at = now;
	if (ps->tokens > burst)
		ps->tokens = burst;
	if (ps->tokens >= 1.0) {
		ps->tokens -= 1.0;
		return 1;
	}
	wait = (uint64_t)((1.0 - ps->tokens) * 1000.0 / rate) + 1;
	if (!cx_timer_active(&ps->rate_timer))
		cx_timer_start(ps->loop, &ps->rate_timer, wait);
	return 0;
}

static void check_done(struct pscan *ps)
{
	size_t i;

	if (ps->finished)
		return;
	if (ps->gave_up_fds || ps->err != 0) {
		/* Stop starting probes; let those in flight finish. */
		for (i = 0; i < ps->n_group; i++)
			if (!ps->group[i]->fatal)
				host_abandon(ps, ps->group[i]);
		ps->iter_done = 1;
	}
	group_refill(ps);
	if (ps->n_group == 0 && ps->iter_done && ps->inflight == 0) {
		ps->finished = 1;
		cx_timer_stop(ps->loop, &ps->rate_timer);
		cx_timer_stop(ps->loop, &ps->backoff_timer);
		cx_timer_stop(ps->loop, &ps->yield_timer);
		cx_loop_stop(ps->loop);
	}
}

static void pump(struct pscan *ps)
{
	struct host *h;
	uint32_t e;
	unsigned started = 0;

	if (ps->in_pump) {
		ps->pump_again = 1;
		return;
	}
	ps->in_pump = 1;
	/* Probe timers are relative to the loop's clock: keep it fresh. */
	cx_loop_update_time(ps->loop);
	do {
		ps->pump_again = 0;
		group_refill(ps);
		while (!ps->gave_up_fds && ps->err == 0 &&
		       ps->inflight < (unsigned)ps->cwnd &&
		       ps->inflight < ps->pool_size &&
		       !cx_timer_active(&ps->backoff_timer)) {
			if (ps->n_group == 0 || cx_interrupted)
				break;
			/*
			 * Answers that come back at once (loopback) keep us
			 * here; let the loop run (signals, timers) now and
			 * then.
			 */
			if (++started > PUMP_BATCH) {
				/* 1 ms, so that the loop polls fds first. */
				if (!cx_timer_active(&ps->yield_timer))
					cx_timer_start(ps->loop,
					               &ps->yield_timer, 1);
				break;
			}
			if (ps->opts->rate > 0 && !rate_ok(ps))
				break;
			h = next_work(ps, &e);
			if (h == NULL) {
				group_refill(ps);
				h = next_work(ps, &e);
				if (h == NULL) {
					/* Give back the token we took. */
					if (ps->opts->rate > 0)
						ps->tokens += 1.0;
					break;
				}
			}
			if (launch(ps, h, e) != 0)
				break;
		}
		check_done(ps);
	} while (ps->pump_again && !ps->finished);
	ps->in_pump = 0;
	report_progress(ps, 0);
}

static int record_degraded(struct pscan *ps)
{
	char msg[512];
	int rc = cx_scan_degraded_capped(ps->run, "port scan", ps->capped_ports,
	                                 ps->capped_hosts, RETRANS_CAP + 1);

	if (rc == 0 && ps->gave_up_fds) {
		snprintf(msg, sizeof(msg),
		         "port scan: no sockets could be opened for %.1f s "
		         "(%s); gave up with %llu port(s) not scanned",
		         (double)exhaust_giveup_ms(ps) / 1000.0,
		         strerror(ps->exhaust_errno),
		         (unsigned long long)ps->unscanned);
		rc = cx_scan_degraded(ps->run, msg);
	} else if (rc == 0 && ps->fatal_hosts > 0) {
		snprintf(msg, sizeof(msg),
		         "port scan: %llu host(s) could not be scanned (%s); "
		         "%llu port(s) not scanned",
		         (unsigned long long)ps->fatal_hosts,
		         strerror(ps->fatal_errno),
		         (unsigned long long)ps->unscanned);
		rc = cx_scan_degraded(ps->run, msg);
	}
	return rc;
}

int cx_portscan_run(struct cx_loop *loop, const struct cx_scope *scope,
                    const struct cx_addrset *only,
                    const struct cx_portset *ports,
                    const struct cx_scan_opts *opts,
                    const struct cx_progress *progress, struct cx_run *run)
{
	struct pscan *ps;
	long fdlim;
	size_t i, first_host, first_port, first_obs;
	unsigned port;
	int rc, lrc;

	if (loop == NULL || scope == NULL || ports == NULL || opts == NULL ||
	    run == NULL)
		return CX_EINVAL;
	ps = calloc(1, sizeof(*ps));
	if (ps == NULL)
		return CX_ENOMEM;
	first_host = run->n_hosts;
	first_port = run->n_ports;
	first_obs = run->n_obs;
	ps->loop = loop;
	ps->scope = scope;
	ps->only = only;
	ps->opts = opts;
	ps->progress = progress;
	ps->run = run;
	rc = CX_ENOMEM;
	/* Sized by the bitmap, not by ports->count, which may be stale. */
	ps->port_list = malloc(65535 * sizeof(*ps->port_list));
	if (ps->port_list == NULL)
		goto out;
	for (port = 1; port <= 65535; port++)
		if (cx_portset_has(ports, port))
			ps->port_list[ps->n_ports++] = (uint16_t)port;
	ps->port_spec = cx_scan_spec(ps->port_list, ps->n_ports);
	if (ps->port_spec == NULL)
		goto out;

	fdlim = cx_raise_fd_limit();
	ps->cwnd_max = opts->max_inflight > 0 ? opts->max_inflight : 4096;
	if (fdlim - FD_RESERVE < ps->cwnd_max)
		ps->cwnd_max = fdlim - FD_RESERVE > CWND_MIN
		                   ? (double)(fdlim - FD_RESERVE)
		                   : CWND_MIN;
	ps->pool_size = (size_t)ps->cwnd_max;
	ps->pool = calloc(ps->pool_size, sizeof(*ps->pool));
	if (ps->pool == NULL)
		goto out;
	for (i = 0; i < ps->pool_size; i++) {
		ps->pool[i].ps = ps;
		ps->pool[i].fd = -1;
		cx_timer_init(&ps->pool[i].timer, on_timeout, &ps->pool[i]);
		ps->pool[i].next_free = ps->free_list;
		ps->free_list = &ps->pool[i];
	}
	ps->cwnd = CWND_START < ps->cwnd_max ? CWND_START : ps->cwnd_max;
	ps->ssthresh = ps->cwnd_max;
	cx_timer_init(&ps->rate_timer, on_rate, ps);
	cx_timer_init(&ps->backoff_timer, on_backoff, ps);
	cx_timer_init(&ps->yield_timer, on_yield, ps);
	ps->tokens_at = cx_loop_update_time(loop);
	ps->tokens = 1.0;
	ps->total =
	    cx_sat_mul(only ? only->n : cx_scope_size(scope), ps->n_ports);
	cx_target_iter_init(&ps->it, scope);

	report_progress(ps, 1);
	pump(ps);
	lrc = ps->finished ? CX_OK : cx_loop_run(loop);
	if (!ps->finished) {
		/* Interrupted (or the loop failed): stop what is in flight. */
		for (i = 0; i < ps->pool_size; i++) {
			struct probe *p = &ps->pool[i];
			if (p->fd < 0 && !cx_timer_active(&p->timer))
				continue;
			cx_timer_stop(loop, &p->timer);
			if (p->fd >= 0) {
				cx_loop_del(loop, p->fd);
				cx_sock_close_hard(p->fd);
				close(p->fd);
				p->fd = -1;
			}
		}
		cx_timer_stop(loop, &ps->rate_timer);
		cx_timer_stop(loop, &ps->backoff_timer);
		cx_timer_stop(loop, &ps->yield_timer);
		for (i = 0; i < ps->n_group; i++) {
			if (host_flush(ps, ps->group[i], 0) != 0 &&
			    ps->err == 0)
				ps->err = CX_ENOMEM;
			host_free(ps->group[i]);
		}
		ps->n_group = 0;
	}
	report_progress(ps, 1);
	cx_scan_sort(run, first_host, first_port, first_obs);
	rc = record_degraded(ps);
	if (ps->err != 0)
		rc = ps->err;
	else if (!ps->finished)
		rc = lrc != 0 ? lrc : CX_ESYS;
out:
	if (ps->n_group > 0) {
		for (i = 0; i < ps->n_group; i++)
			host_free(ps->group[i]);
	}
	free(ps->pool);
	free(ps->port_list);
	free(ps->port_spec);
	free(ps);
	return rc;
}
