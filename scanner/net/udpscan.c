/*
 * certexam — UDP scan on the event loop: for every host and UDP port, the
 * protocol payloads of udp_proto.c (an empty datagram for a port without
 * one) from a connected UDP socket, so the kernel reports an ICMP port
 * unreachable as ECONNREFUSED; no raw socket is needed.
 *
 * States as nmap -sU: a reply is open (identified by the probe's parser,
 * the reply bytes kept as evidence), port unreachable is closed, another
 * ICMP unreachable (host, network, administratively prohibited) filtered,
 * no answer after UDP_TRIES tries open|filtered.
 *
 * ICMP rate limiting.  Hosts limit the ICMP errors they send (Linux: a
 * burst of 6, then 1 a second per peer), so past the burst closed ports
 * look silent.  Once a host has answered one port unreachable and then
 * leaves a probe unanswered, its remaining probes (and retries) are paced
 * at UDP_ICMP_GAP_MS, so a silent port is a real silence, not a limit.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "certexam/error.h"
#include "certexam/loop.h"
#include "certexam/observation.h"
#include "certexam/run.h"
#include "certexam/util.h"
#include "raw.h"
#include "scan_int.h"
#include "udp_proto.h"
#include "udpscan.h"

#define WINDOW          64 /* hosts at once */
#define INFLIGHT_MAX    256
#define HOST_INFLIGHT   16
#define UDP_TRIES       2
#define UDP_ICMP_GAP_MS 1000
#define REPLY_MAX       4096

struct uhost;

struct job {
	struct uhost *h;
	uint16_t port;
	const struct cx_udp_probe *pr; /* NULL: an empty datagram */
	unsigned tries;
	int state;    /* -1 pending, else enum below */
	int answered; /* its own reply was recorded */
	int fd;
	struct cx_timer timer;
	uint64_t sent_us;
};

enum { J_OPEN, J_CLOSED, J_FILTERED, J_OPENFILT };

struct udp;

struct uhost {
	struct udp *u;
	struct cx_addr addr;
	char addr_s[INET6_ADDRSTRLEN];
	struct job *jobs;
	size_t n_jobs, next;
	unsigned inflight;
	int icmp_seen; /* answered a port unreachable */
	uint64_t gap;  /* ms between probes once rate limiting is likely */
	uint64_t next_ok;
	size_t left;
};

struct udp {
	struct cx_loop *loop;
	const struct cx_scope *scope;
	const struct cx_addrset *only;
	const struct cx_scan_opts *opts;
	const struct cx_progress *progress;
	struct cx_run *run;
	uint16_t *ports;
	size_t n_ports;
	const struct cx_udp_probe *probes;
	size_t n_probes;
	char *spec;
	struct cx_target_iter it;
	int iter_done;
	struct uhost *win[WINDOW];
	size_t n_win;
	unsigned inflight;
	struct cx_timer tick;
	int finished, err;
	uint64_t total, done, found, last_progress;
};

static void pump(struct udp *u);

static void report_progress(struct udp *u, int force)
{
	cx_scan_report(u->progress, "udp", &u->last_progress,
	               cx_loop_now(u->loop), force, u->done, u->total,
	               u->found);
}

static void job_close(struct udp *u, struct job *j)
{
	cx_timer_stop(u->loop, &j->timer);
	if (j->fd >= 0) {
		cx_loop_del(u->loop, j->fd);
		close(j->fd);
		j->fd = -1;
		j->h->inflight--;
		u->inflight--;
	}
}

/* 1 if another probe's reply already recorded j's port as open. */
static int port_recorded(const struct uhost *h, const struct job *j)
{
	size_t k;

	for (k = 0; k < h->n_jobs; k++)
		if (&h->jobs[k] != j && h->jobs[k].port == j->port &&
		    h->jobs[k].state == J_OPEN && h->jobs[k].answered)
			return 1;
	return 0;
}

/*
 * Record an open port: the port (once: a further reply on a port already
 * recorded adds its observation only, marked "also"; a second probe's is
 * marked "second"), its service observation, evidence.
 */
static int record_open(struct udp *u, struct job *j, const uint8_t *data,
                       size_t len)
{
	struct cx_udp_reply r;
	struct cx_port_obs po;
	struct cx_observation *o;
	const char *ev = NULL;
	char asset[80], desc[160];
	int known = 0, rc, also = port_recorded(j->h, j);

	if (j->pr != NULL)
		known = cx_udp_parse(j->pr, data, len, &r);
	if (!known)
		memset(&r, 0, sizeof(r));
	if (j->h->addr.family == AF_INET6)
		snprintf(asset, sizeof(asset), "[%s]:%u/udp", j->h->addr_s,
		         (unsigned)j->port);
	else
		snprintf(asset, sizeof(asset), "%s:%u/udp", j->h->addr_s,
		         (unsigned)j->port);
	snprintf(desc, sizeof(desc), "UDP reply to probe %s (%zu bytes)",
	         j->pr ? j->pr->name : "empty-datagram", len);
	rc = cx_run_add_evidence(u->run, asset, "udp-reply", desc, data, len,
	                         &ev);
	if (rc != CX_OK)
		return rc;
	memset(&po, 0, sizeof(po));
	po.addr = j->h->addr_s;
	po.port = j->port;
	po.proto = "udp";
	po.state = CX_PORT_OPEN;
	po.reason = "udp-response";
	po.service = (char *)(known ? r.service : NULL);
	po.product = r.product[0] ? r.product : NULL;
	po.extra = r.info[0] ? r.info : NULL;
	po.evidence = (char *)ev;
	rc = also ? CX_OK : cx_run_add_port(u->run, &po, NULL);
	if (rc != CX_OK)
		return rc;
	j->answered = 1;
	if (!also)
		u->found++;
	o = cx_run_add_obs(u->run, "udp-service", asset);
	if (o == NULL)
		return CX_ENOMEM;
	if (cx_obs_prop(o, "service", known ? r.service : "unknown") ||
	    cx_obs_prop(o, "certainty", known ? "confirmed" : "none") ||
	    cx_obs_prop(o, "identified-by",
	                j->pr ? j->pr->name : "empty-datagram") ||
	    cx_obs_propf(o, "request-bytes", "%zu", j->pr ? j->pr->len : 0) ||
	    cx_obs_propf(o, "reply-bytes", "%zu", len) ||
	    (r.info[0] && cx_obs_prop(o, "info", r.info)) ||
	    (r.product[0] && cx_obs_prop(o, "product", r.product)) ||
	    cx_obs_prop(o, "amplifier", r.amplifier ? "yes" : "no") ||
	    (r.snmp_version &&
	     cx_obs_propf(o, "snmp-version", "%s",
	                  r.snmp_version == 1 ? "v1" : "v2c")) ||
	    (r.snmp_version &&
	     cx_obs_prop(o, "snmp-community", r.snmp_community)) ||
	    (r.ntp_mode7 &&
	     cx_obs_propf(o, "ntp-mode7-entries", "%u", r.ntp_items)) ||
	    (j->pr != NULL && j->pr->second &&
	     cx_obs_prop(o, "second", "yes")) ||
	    (also && cx_obs_prop(o, "also", "yes")) ||
	    (known && j->port == 53 &&
	     cx_obs_prop(o, "recursion", r.dns_recursion ? "open" : "no")) ||
	    (ev != NULL && cx_obs_prop(o, "evidence", ev)))
		return CX_ENOMEM;
	return CX_OK;
}

/* The job ended in state st; other jobs of the same port may still run. */
static void conclude(struct udp *u, struct job *j, int st)
{
	struct uhost *h = j->h;
	size_t k;

	job_close(u, j);
	if (j->state >= 0)
		return;
	j->state = st;
	h->left--;
	if (st == J_CLOSED)
		h->icmp_seen = 1;
	if (st != J_OPENFILT && !(j->pr != NULL && j->pr->second)) {
		/* One answer decides the port: stop its other probes, but a
		 * second probe of an open port still waits for its reply. */
		for (k = 0; k < h->n_jobs; k++) {
			struct job *o = &h->jobs[k];
			if (o != j && o->port == j->port && o->state < 0 &&
			    !(st == J_OPEN && o->pr != NULL && o->pr->second)) {
				job_close(u, o);
				o->state = st;
				h->left--;
			}
		}
	}
}

static void on_io(struct cx_loop *loop, int fd, unsigned events, void *arg)
{
	struct job *j = arg;
	struct udp *u = j->h->u;
	uint8_t buf[REPLY_MAX];
	ssize_t n;
	int rc;

	(void)loop;
	(void)events;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		if (errno == ECONNREFUSED)
			conclude(u, j, J_CLOSED);
		else if (errno == EHOSTUNREACH || errno == ENETUNREACH ||
		         errno == EACCES || errno == EPERM)
			conclude(u, j, J_FILTERED);
		else
			return; /* wait for the timer */
		pump(u);
		return;
	}
	if (j->state < 0) {
		rc = record_open(u, j, buf, (size_t)n);
		if (rc != CX_OK && u->err == 0)
			u->err = rc;
	}
	conclude(u, j, J_OPEN);
	pump(u);
}

static void on_timeout(struct cx_loop *loop, struct cx_timer *t)
{
	struct job *j = t->arg;
	struct udp *u = j->h->u;
	struct uhost *h = j->h;

	(void)loop;
	job_close(u, j);
	if (h->icmp_seen && h->gap == 0)
		h->gap = UDP_ICMP_GAP_MS; /* rate limiting is likely */
	if (j->tries >= UDP_TRIES)
		conclude(u, j, J_OPENFILT);
	pump(u);
}

/* Start one probe: 0, 1 when out of descriptors (try later). */
static int job_start(struct udp *u, struct job *j)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd;

	cx_raw_sockaddr(&j->h->addr, j->port, &ss, &sl);
	fd = socket(j->h->addr.family,
	            SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return 1;
	if (connect(fd, (struct sockaddr *)&ss, sl) != 0) {
		close(fd);
		conclude(u, j, J_FILTERED);
		return 0;
	}
	if (cx_loop_add(u->loop, fd, CX_EV_READ, on_io, j) != 0) {
		close(fd);
		return 1;
	}
	j->fd = fd;
	j->h->inflight++;
	u->inflight++;
	j->tries++;
	j->sent_us = cx_now_us();
	if (send(fd, j->pr ? (const void *)j->pr->payload : "",
	         j->pr ? j->pr->len : 0, 0) < 0 &&
	    errno == ECONNREFUSED) {
		conclude(u, j, J_CLOSED);
		return 0;
	}
	cx_timer_start(u->loop, &j->timer,
	               u->opts->connect_timeout_ms > 0
	                   ? (uint64_t)u->opts->connect_timeout_ms
	                   : 1000);
	return 0;
}

/* Hosts */

static int host_flush(struct udp *u, struct uhost *h, int complete)
{
	struct cx_observation *o;
	uint64_t n[4] = {0, 0, 0, 0}, unscanned = 0;
	size_t k, first;
	int st;

	/* Per port: open if any probe was answered, else the first's. */
	for (k = 0; k < h->n_jobs; k = first) {
		st = -1;
		for (first = k; first < h->n_jobs &&
		                h->jobs[first].port == h->jobs[k].port;
		     first++)
			if (st != J_OPEN && h->jobs[first].state >= 0)
				st = h->jobs[first].state;
		if (st < 0)
			unscanned++;
		else
			n[st]++;
	}
	o = cx_run_add_obs(u->run, "udpscan", h->addr_s);
	if (o == NULL)
		return CX_ENOMEM;
	if (cx_obs_propf(o, "open", "%llu", (unsigned long long)n[J_OPEN]) ||
	    cx_obs_propf(o, "closed", "%llu",
	                 (unsigned long long)n[J_CLOSED]) ||
	    cx_obs_propf(o, "filtered", "%llu",
	                 (unsigned long long)n[J_FILTERED]) ||
	    cx_obs_propf(o, "open_filtered", "%llu",
	                 (unsigned long long)n[J_OPENFILT]) ||
	    cx_obs_prop(o, "ports", u->spec) ||
	    (h->gap > 0 &&
	     cx_obs_prop(o, "icmp_rate_limited",
	                 "likely: probes paced at 1 per second")) ||
	    (unscanned > 0 && cx_obs_propf(o, "not_scanned", "%llu",
	                                   (unsigned long long)unscanned)) ||
	    (!complete && cx_obs_prop(o, "complete", "false")))
		return CX_ENOMEM;
	return CX_OK;
}

static void host_free(struct udp *u, struct uhost *h)
{
	size_t k;

	for (k = 0; k < h->n_jobs; k++)
		job_close(u, &h->jobs[k]);
	free(h->jobs);
	free(h);
}

static int host_new(struct udp *u, const struct cx_addr *a)
{
	struct uhost *h = calloc(1, sizeof(*h));
	size_t k, p, n = 0;

	if (h == NULL)
		return CX_ENOMEM;
	h->u = u;
	h->addr = *a;
	cx_addr_str(a, h->addr_s, sizeof(h->addr_s));
	h->jobs = calloc(u->n_ports + u->n_probes, sizeof(*h->jobs));
	if (h->jobs == NULL) {
		free(h);
		return CX_ENOMEM;
	}
	for (p = 0; p < u->n_ports; p++) {
		size_t before = n;

		for (k = 0; k < u->n_probes; k++)
			if (u->probes[k].port == u->ports[p])
				h->jobs[n++].pr = &u->probes[k];
		if (n == before)
			h->jobs[n++].pr = NULL;
		for (k = before; k < n; k++)
			h->jobs[k].port = u->ports[p];
	}
	for (k = 0; k < n; k++) {
		h->jobs[k].h = h;
		h->jobs[k].state = -1;
		h->jobs[k].fd = -1;
		cx_timer_init(&h->jobs[k].timer, on_timeout, &h->jobs[k]);
	}
	h->n_jobs = h->left = n;
	u->win[u->n_win++] = h;
	return CX_OK;
}

static void window_refill(struct udp *u)
{
	struct cx_addr a;
	size_t i = 0;
	struct uhost *h;

	while (i < u->n_win) {
		h = u->win[i];
		if (h->left > 0 || h->inflight > 0) {
			i++;
			continue;
		}
		if (host_flush(u, h, 1) != CX_OK && u->err == 0)
			u->err = CX_ENOMEM;
		u->done++;
		host_free(u, h);
		u->win[i] = u->win[--u->n_win];
	}
	while (u->n_win < WINDOW && !u->iter_done && u->err == 0) {
		if (!cx_target_next(&u->it, &a)) {
			u->iter_done = 1;
			break;
		}
		if (!cx_scope_contains(u->scope, &a) ||
		    (u->only != NULL && !cx_addrset_has(u->only, &a)))
			continue;
		if (host_new(u, &a) != CX_OK)
			u->err = CX_ENOMEM;
	}
}

/* The next job of h to (re)send, or NULL. */
static struct job *next_job(struct uhost *h)
{
	size_t k, n;
	struct job *j;

	for (n = 0; n < h->n_jobs; n++) {
		k = (h->next + n) % h->n_jobs;
		j = &h->jobs[k];
		if (j->state < 0 && j->fd < 0 && j->tries < UDP_TRIES) {
			h->next = k + 1;
			return j;
		}
	}
	return NULL;
}

static void pump(struct udp *u)
{
	uint64_t now = cx_loop_update_time(u->loop), due = UINT64_MAX;
	struct uhost *h;
	struct job *j;
	size_t i;
	int stuck = 0;

	if (u->finished)
		return;
	window_refill(u);
	for (i = 0; i < u->n_win && !stuck && !cx_interrupted; i++) {
		h = u->win[i];
		while (u->inflight < INFLIGHT_MAX &&
		       h->inflight < HOST_INFLIGHT) {
			if (h->gap > 0 && now < h->next_ok) {
				if (h->next_ok < due)
					due = h->next_ok;
				break;
			}
			if (h->gap > 0 && h->inflight > 0)
				break; /* one at a time while paced */
			j = next_job(h);
			if (j == NULL)
				break;
			if (job_start(u, j) != 0) {
				stuck = 1;
				break;
			}
			if (h->gap > 0) {
				h->next_ok = now + h->gap;
				if (h->next_ok < due)
					due = h->next_ok;
				break;
			}
		}
	}
	window_refill(u);
	if (u->err != 0 || (u->n_win == 0 && u->iter_done)) {
		u->finished = 1;
		cx_timer_stop(u->loop, &u->tick);
		cx_loop_stop(u->loop);
		return;
	}
	report_progress(u, 0);
	if (stuck)
		due = now + 50;
	if (due != UINT64_MAX)
		cx_timer_start(u->loop, &u->tick, due > now ? due - now : 1);
}

static void on_tick(struct cx_loop *loop, struct cx_timer *t)
{
	(void)loop;
	pump(t->arg);
}

int cx_udpscan_run(struct cx_loop *loop, const struct cx_scope *scope,
                   const struct cx_addrset *only,
                   const struct cx_portset *ports,
                   const struct cx_scan_opts *opts,
                   const struct cx_progress *progress, struct cx_run *run)
{
	struct udp *u;
	unsigned port;
	size_t i;
	int rc, lrc;

	if (loop == NULL || scope == NULL || ports == NULL || opts == NULL ||
	    run == NULL)
		return CX_EINVAL;
	u = calloc(1, sizeof(*u));
	if (u == NULL)
		return CX_ENOMEM;
	u->loop = loop;
	u->scope = scope;
	u->only = only;
	u->opts = opts;
	u->progress = progress;
	u->run = run;
	u->probes = cx_udp_probes(&u->n_probes);
	rc = CX_ENOMEM;
	u->ports = malloc(65535 * sizeof(*u->ports));
	if (u->ports == NULL)
		goto out;
	for (port = 1; port <= 65535; port++)
		if (cx_portset_has(ports, port))
			u->ports[u->n_ports++] = (uint16_t)port;
	u->spec = cx_scan_spec(u->ports, u->n_ports);
	if (u->spec == NULL)
		goto out;
	rc = CX_OK;
	if (u->n_ports == 0)
		goto out;
	u->total = only ? only->n : cx_scope_size(scope);
	cx_timer_init(&u->tick, on_tick, u);
	cx_target_iter_init(&u->it, scope);
	report_progress(u, 1);
	pump(u);
	lrc = u->finished ? CX_OK : cx_loop_run(loop);
	cx_timer_stop(loop, &u->tick);
	if (!u->finished)
		for (i = 0; i < u->n_win; i++)
			if (host_flush(u, u->win[i], 0) != CX_OK && u->err == 0)
				u->err = CX_ENOMEM;
	report_progress(u, 1);
	rc = u->err;
	if (rc == CX_OK && !u->finished)
		rc = lrc != 0 ? lrc : CX_ESYS;
out:
	for (i = 0; i < u->n_win; i++)
		host_free(u, u->win[i]);
	free(u->ports);
	free(u->spec);
	free(u);
	return rc;
}
