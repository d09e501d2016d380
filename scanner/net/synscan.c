/*
 * certexam — TCP SYN port scan: raw sockets send, libpcap receives, one
 * event loop (the capture's fd on epoll), no state per probe in flight.
 *
 * Probes.  Each SYN carries a cookie in its sequence number: SipHash-2-4
 * under a per-scan random key over (local address, target, source port,
 * target port).  An answer is ours only if it acknowledges cookie + 1 (a
 * SYN-ACK or RST-ACK) or, for an ICMP error, quotes a TCP header whose
 * sequence number is the cookie; so nothing is remembered per probe while
 * waiting.  The try number is in the source port (base + try), so an
 * answer tells which try it answers (Karn: RTT samples from first tries
 * only; a port answered on a later try proves loss on the path).
 *
 * Passes.  A host's ports are sent in passes; one bitmap entry per port
 * (2 bits) says answered or not.  After a pass the host waits one
 * timeout (smoothed RTT + 4 variances, clamped to [MIN_TIMEOUT_MS,
 * --timeout]) and the next pass resends only the ports still unanswered,
 * up to 1 + --retries tries, raised up to RETRANS_CAP + 1 on a host where
 * loss was proven (as nmap does).  Then what never answered is filtered.
 * States as nmap's -sS: SYN-ACK open, RST closed, ICMP unreachable (type
 * 3 code 0-3, 9, 10, 13; ICMPv6 type 1) filtered, nothing filtered.
 *
 * RTT.  A few probes per host are sampled (port, send time) in a small
 * ring; an answer to a sampled port on its first try gives a sample.
 *
 * Rate.  Probes per second start at RATE_START and adapt to the loss
 * measured on the path (syn_rate.c): every SYN_CANARY_EVERY-th probe to
 * a host is one more SYN to a port the host already answered closed,
 * whose RST must come back; never above --rate.
 *
 * The kernel's RST.  The kernel did not open these connections, so it
 * answers every SYN-ACK with a RST: the half-open connection on the
 * target is torn down at once, as with nmap -sS.  The source ports are
 * held by bound (not listening) TCP sockets during the scan, so no local
 * program can be given them and mistake our answers for its own.
 *
 * Sending.  A pump builds a batch of probes; syn_send.c sends it, with
 * a helper thread on a machine of more CPUs (the kernel carries a packet
 * inside the send call); what a full send buffer left goes first next.
 * Evidence: the answers that decided ports, as a pcap file (syn_pcap.c).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "certexam/error.h"
#include "certexam/loop.h"
#include "certexam/observation.h"
#include "certexam/run.h"
#include "certexam/target.h"
#include "certexam/util.h"
#include "pkt.h"
#include "portscan.h"
#include "raw.h"
#include "scan_int.h"
#include "syn_pcap.h"
#include "syn_rate.h"
#include "syn_send.h"

#define GROUP_MAX        1024
#define GROUP_PROBES     (1u << 22) /* hosts x ports kept at once */
#define HASH_SIZE        2048       /* buckets of the host index */
#define MIN_TIMEOUT_MS   100
#define RETRANS_CAP      6
#define N_SPORTS         (RETRANS_CAP + 1)
#define RATE_START       50000.0
#define SYN_CANARY_EVERY 32   /* probes to a host per canary probe */
#define SEND_BATCH       4096 /* probes before yielding to the loop */
#define DISPATCH_BATCH   4096
#define SAMPLES          8
#define SAMPLE_EVERY     32
/* Batch slots: a pump's probes, their canaries, one round of the group. */
#define TX_SLOTS (2 * SEND_BATCH + 2 * GROUP_MAX)
/*
 * The capture ring.  The kernel clears every page of it when the capture
 * opens (32 MB took 12 ms of a 270 ms scan, 15 % of its CPU time); the
 * loop drains it after every batch, so it holds the answers to a few
 * batches (an answer takes about 128 bytes of a TPACKET_V3 block, 8 MB
 * are 64 Ki answers, 8 batches); what it drops counts as local loss.
 */
#define SYN_RING_BYTES CX_RAW_RING_BYTES

/* Port states in the 2-bit map. */
#define ST_NONE     0u
#define ST_OPEN     1u
#define ST_CLOSED   2u
#define ST_FILTERED 3u

struct shost {
	struct cx_addr addr, local;
	char addr_s[INET6_ADDRSTRLEN];
	uint8_t *st; /* 2 bits per port index */
	unsigned try_no;
	unsigned max_tries;
	size_t next;       /* next port index of this pass */
	uint64_t wait_end; /* ms: end of the wait after a pass, or 0 */
	size_t left;       /* ports without an answer */
	uint64_t n_open, n_closed, n_filtered, answered, late, capped;
	uint64_t sent;
	uint16_t *open;
	size_t n_open_list, cap_open;
	int has_rtt;
	double srtt, rttvar; /* microseconds */
	struct {
		uint32_t idx; /* port index + 1, 0 = free */
		uint64_t sent_us;
	} samp[SAMPLES];
	unsigned samp_next;
	uint32_t canary;    /* port index + 1 of a closed port, 0 = none */
	unsigned to_canary; /* probes until the next canary */
	int unreachable;    /* sendto said the host cannot be reached */
	unsigned queued;    /* probes in the batch, not yet sent */
	int send_errno;
	struct cx_hnode hnode; /* in the host index */
};

struct syn {
	struct cx_loop *loop;
	const struct cx_scope *scope;
	const struct cx_addrset *only; /* hosts found up, or NULL: all */
	const struct cx_scan_opts *opts;
	const struct cx_progress *progress;
	struct cx_run *run;

	uint16_t *ports;
	size_t n_ports;
	uint32_t *pidx; /* port -> index + 1 */
	char *spec;

	uint8_t key[16];
	uint16_t sport;         /* first source port; try t uses sport + t */
	int hold[2 * N_SPORTS]; /* sockets holding the source ports */
	int raw4, raw6;

	pcap_t *pc;
	int pcap_fd, dlt;
	struct syn_pcap ev;
	unsigned ps_drop_seen;

	struct cx_target_iter it;
	int iter_done;
	struct shost *group[GROUP_MAX];
	size_t n_group, group_max, rr;
	struct cx_hnode *hash[HASH_SIZE];

	struct syn_rate r;
	struct syn_sender tx;
	struct cx_timer tick;

	int finished, err;
	int host_complete; /* a host got all its answers: refill the group */
	uint64_t total, done, found, sent, late, capped_ports, capped_hosts;
	uint64_t send_errors, unreach_hosts;
	uint64_t last_progress;
	/* Stages (ms on the loop's clock): start, last probe, last answer. */
	uint64_t t_start, t_last_sent, t_last_answer;
};

/* Small helpers */

static unsigned st_get(const struct shost *h, size_t i)
{
	return (h->st[i / 4] >> (2 * (i % 4))) & 3u;
}

static void st_set(struct shost *h, size_t i, unsigned v)
{
	h->st[i / 4] = (uint8_t)((h->st[i / 4] & ~(3u << (2 * (i % 4)))) |
	                         (v << (2 * (i % 4))));
}

static struct shost *host_find(struct syn *s, const struct cx_addr *a)
{
	struct cx_hnode *n = cx_hindex_find(s->hash, HASH_SIZE, a);

	return n == NULL
	           ? NULL
	           : (struct shost *)(void *)((char *)n -
	                                      offsetof(struct shost, hnode));
}

static void report_progress(struct syn *s, int force)
{
	cx_scan_report(s->progress, "ports", &s->last_progress,
	               cx_loop_now(s->loop), force, s->done, s->total,
	               s->found);
}

/* Timing and rate */

static uint64_t host_timeout_ms(const struct syn *s, const struct shost *h)
{
	return cx_scan_timeout_ms(s->opts, MIN_TIMEOUT_MS, h->has_rtt, h->srtt,
	                          h->rttvar);
}

/*
 * The largest smoothed RTT of the hosts being scanned, ms, rounded up
 * (SYN_RATE_NO_RTT: none has a sample yet).
 */
static uint64_t group_srtt_ms(const struct syn *s)
{
	double m = -1.0;
	size_t i;

	for (i = 0; i < s->n_group; i++)
		if (s->group[i]->has_rtt && s->group[i]->srtt > m)
			m = s->group[i]->srtt;
	return m < 0 ? SYN_RATE_NO_RTT : (uint64_t)((m + 999.0) / 1000.0);
}

static void pcap_drops(struct syn *s)
{
	struct pcap_stat st;

	if (pcap_stats(s->pc, &st) != 0)
		return;
	if (st.ps_drop > s->ps_drop_seen) {
		s->r.local_loss += st.ps_drop - s->ps_drop_seen;
		s->ps_drop_seen = st.ps_drop;
	}
}

/* Results */

static void conclude_port(struct syn *s, struct shost *h, size_t i, unsigned st)
{
	st_set(h, i, st);
	h->left--;
	s->done++;
	switch (st) {
	case ST_OPEN:
		h->n_open++;
		s->found++;
		if (cx_scan_add_open(&h->open, &h->n_open_list, &h->cap_open,
		                     h->addr_s, s->ports[i]) != 0 &&
		    s->err == 0)
			s->err = CX_ENOMEM;
		break;
	case ST_CLOSED:
		h->n_closed++;
		break;
	default:
		h->n_filtered++;
		break;
	}
}

static void rtt_from_answer(struct syn *s, struct shost *h, size_t i,
                            unsigned try_no)
{
	unsigned k;

	(void)s;
	if (try_no != 0)
		return;
	for (k = 0; k < SAMPLES; k++) {
		if (h->samp[k].idx != i + 1)
			continue;
		cx_rtt_sample(&h->srtt, &h->rttvar, &h->has_rtt,
		              (double)(cx_now_us() - h->samp[k].sent_us));
		h->samp[k].idx = 0;
		return;
	}
}

static void on_packet(u_char *arg, const struct pcap_pkthdr *hdr,
                      const u_char *bytes)
{
	struct syn *s = (struct syn *)arg;
	struct cx_pkt p;
	struct shost *h;
	const struct cx_addr *local, *remote;
	uint16_t lport, rport;
	uint32_t cookie, pi;
	unsigned try_no, st;

	if (cx_pkt_parse(s->dlt, bytes, hdr->caplen, &p) != CX_OK)
		return;
	if (p.proto == IPPROTO_TCP) {
		if (!(p.tcp_flags & CX_TCP_ACK))
			return; /* SYN-ACK or RST-ACK: both acknowledge */
		local = &p.dst;
		remote = &p.src;
		lport = p.dport;
		rport = p.sport;
	} else if (p.has_inner && p.inner_proto == IPPROTO_TCP) {
		local = &p.inner_src;
		remote = &p.inner_dst;
		lport = p.inner_sport;
		rport = p.inner_dport;
	} else {
		return;
	}
	if (lport < s->sport || lport >= s->sport + N_SPORTS)
		return;
	try_no = lport - s->sport;
	h = host_find(s, remote);
	if (h == NULL || !cx_addr_eq(local, &h->local))
		return;
	pi = s->pidx[rport];
	if (pi == 0)
		return;
	cookie = cx_pkt_cookie(s->key, local, remote, lport, rport);
	if (p.proto == IPPROTO_TCP) {
		if (p.ack != cookie + 1u)
			return;
		if ((p.tcp_flags & (CX_TCP_SYN | CX_TCP_ACK)) ==
		    (CX_TCP_SYN | CX_TCP_ACK))
			st = ST_OPEN;
		else if (p.tcp_flags & CX_TCP_RST)
			st = ST_CLOSED;
		else
			return;
	} else {
		if (p.inner_seq != cookie)
			return;
		if (p.proto == IPPROTO_ICMP) {
			if (p.icmp_type != 3 ||
			    !(p.icmp_code <= 3 || p.icmp_code == 9 ||
			      p.icmp_code == 10 || p.icmp_code == 13))
				return;
		} else if (p.icmp_type != 1) {
			return;
		}
		st = ST_FILTERED;
	}
	if (st_get(h, pi - 1) != ST_NONE) {
		if (pi == h->canary && st == ST_CLOSED)
			s->r.can_ans++;
		return; /* a duplicate or a late answer to a retry */
	}
	if (st == ST_CLOSED && h->canary == 0)
		h->canary = pi;
	if (st != ST_FILTERED) {
		h->answered++;
		s->r.answers++;
		rtt_from_answer(s, h, pi - 1, try_no);
	}
	if (try_no > 0) {
		/* It needed a retransmission: loss is real on this path. */
		h->late++;
		s->late++;
		s->r.late++;
		if (h->max_tries < try_no + 2u && try_no + 2u <= N_SPORTS)
			h->max_tries = try_no + 2u;
	}
	if (st != ST_CLOSED)
		syn_pcap_add(&s->ev, hdr, bytes);
	conclude_port(s, h, pi - 1, st);
	s->t_last_answer = cx_loop_now(s->loop);
	if (h->left == 0)
		s->host_complete = 1;
}

/* Hosts */

static void host_free(struct shost *h)
{
	if (h == NULL)
		return;
	free(h->st);
	free(h->open);
	free(h);
}

static int host_flush(struct syn *s, struct shost *h, int complete)
{
	struct cx_scan_host r;
	char why[128];

	memset(&r, 0, sizeof(r));
	r.addr = &h->addr;
	r.addr_s = h->addr_s;
	r.up = h->answered > 0;
	r.open = h->open;
	r.n_open = h->n_open_list;
	r.open_reason = "syn-ack";
	r.n_closed = h->n_closed;
	r.n_filtered = h->n_filtered;
	r.n_unscanned = complete ? 0 : h->left;
	r.capped = h->capped;
	r.scan = "syn";
	r.port_spec = s->spec;
	r.complete = complete;
	if (h->unreachable && h->answered == 0) {
		snprintf(why, sizeof(why),
		         "the kernel could not send to it: %s",
		         strerror(h->send_errno));
		r.down_why = why;
	}
	return cx_scan_flush_host(s->run, s->scope, &r);
}

/* The host got all its tries: what never answered is filtered. */
static void host_finish(struct syn *s, struct shost *h)
{
	size_t i;

	for (i = 0; i < s->n_ports && h->left > 0; i++)
		if (st_get(h, i) == ST_NONE) {
			if (h->late > 0)
				h->capped++;
			conclude_port(s, h, i, ST_FILTERED);
		}
	if (h->capped > 0) {
		s->capped_hosts++;
		s->capped_ports += h->capped;
	}
	if (h->unreachable && h->answered == 0)
		s->unreach_hosts++;
}

static int host_done(const struct syn *s, const struct shost *h, uint64_t now)
{
	if (h->queued > 0)
		return 0;
	if (h->left == 0)
		return 1;
	if (h->next < s->n_ports || h->wait_end == 0 || now < h->wait_end)
		return 0;
	return h->try_no + 1 >= h->max_tries;
}

static void group_refill(struct syn *s, uint64_t now)
{
	struct shost *h;
	struct cx_addr a;
	size_t i = 0;
	int e;

	while (i < s->n_group) {
		h = s->group[i];
		if (!host_done(s, h, now)) {
			i++;
			continue;
		}
		host_finish(s, h);
		if (host_flush(s, h, 1) != 0 && s->err == 0)
			s->err = CX_ENOMEM;
		cx_hindex_del(s->hash, HASH_SIZE, &h->hnode);
		host_free(h);
		s->group[i] = s->group[--s->n_group];
	}
	while (s->n_group < s->group_max && !s->iter_done && s->err == 0) {
		if (!cx_target_next(&s->it, &a)) {
			s->iter_done = 1;
			break;
		}
		if (!cx_scope_contains(s->scope, &a) ||
		    (s->only != NULL && !cx_addrset_has(s->only, &a)))
			continue;
		h = calloc(1, sizeof(*h));
		if (h != NULL)
			h->st = calloc((s->n_ports + 3) / 4, 1);
		if (h == NULL || h->st == NULL) {
			host_free(h);
			s->err = CX_ENOMEM;
			break;
		}
		h->addr = a;
		cx_addr_str(&a, h->addr_s, sizeof(h->addr_s));
		h->left = s->n_ports;
		h->max_tries =
		    (unsigned)(s->opts->retries >= 0 ? s->opts->retries + 1
		                                     : 1);
		if (h->max_tries > N_SPORTS)
			h->max_tries = N_SPORTS;
		e = cx_raw_local_for(&a, &h->local);
		if (e != 0) {
			/* No route: nothing can be sent to it. */
			h->unreachable = 1;
			h->send_errno = e;
			h->next = s->n_ports;
			h->wait_end = 1;
			h->try_no = h->max_tries;
		}
		h->hnode.addr = &h->addr;
		cx_hindex_add(s->hash, HASH_SIZE, &h->hnode);
		s->group[s->n_group++] = h;
	}
}

/* Sending */

/*
 * Build one SYN from lport to port index i of h into the batch.  0, or 1
 * when the batch is full.
 */
static int add_syn(struct syn *s, struct shost *h, uint16_t lport, size_t i,
                   int canary)
{
	struct syn_probe *p = syn_sender_slot(&s->tx);
	struct sockaddr_storage ss;
	uint16_t port = s->ports[i];
	uint32_t seq = cx_pkt_cookie(s->key, &h->local, &h->addr, lport, port);

	if (p == NULL)
		return 1;
	p->host = h;
	p->idx = (uint32_t)i;
	p->lport = lport;
	p->canary = (uint8_t)canary;
	p->fd = h->addr.family == AF_INET ? s->raw4 : s->raw6;
	p->len = (uint16_t)cx_pkt_build_tcp(p->pkt, sizeof(p->pkt), &h->local,
	                                    &h->addr, lport, port, seq, 0,
	                                    CX_TCP_SYN, (uint16_t)(seq >> 16));
	/* The kernel wants the port 0 for raw sockets. */
	cx_raw_sockaddr(&h->addr, 0, &ss, &p->sl);
	memcpy(&p->to, &ss, p->sl <= sizeof(p->to) ? p->sl : sizeof(p->to));
	p->sample =
	    !canary && lport == s->sport && h->sent++ % SAMPLE_EVERY == 0;
	h->queued++;
	return 0;
}

/* Every SYN_CANARY_EVERY-th probe: one more to the canary (syn_rate.c). */
static void add_canary(struct syn *s, struct shost *h)
{
	if (h->canary == 0 || ++h->to_canary < SYN_CANARY_EVERY)
		return;
	h->to_canary = 0;
	add_syn(s, h, s->sport, h->canary - 1, 1);
}

/* A probe was sent at now (ms; a sample records its time). */
static void probe_sent(struct syn *s, struct shost *h,
                       const struct syn_probe *p, uint64_t now)
{
	uint64_t end;

	if (p->canary) {
		s->r.can_sent++;
		return;
	}
	if (p->sample) {
		h->samp[h->samp_next].idx = p->idx + 1;
		h->samp[h->samp_next].sent_us = p->sent_us;
		h->samp_next = (h->samp_next + 1) % SAMPLES;
	}
	/* Built before its pass ended, sent after: it gets a whole wait. */
	if (h->wait_end > 1) {
		end = now + host_timeout_ms(s, h);
		if (h->wait_end < end)
			h->wait_end = end;
	}
	s->sent++;
	s->r.sent++;
	s->t_last_sent = now;
}

/* sendto failed with e: the host cannot be reached (its passes end). */
static void probe_failed(struct syn *s, struct shost *h, int e)
{
	if (!h->unreachable)
		s->send_errors++;
	h->unreachable = 1;
	h->send_errno = e;
	if (e == EHOSTUNREACH || e == ENETUNREACH || e == EACCES ||
	    e == EPERM || e == EADDRNOTAVAIL || e == EINVAL) {
		/* Nothing goes to this host: end its passes. */
		h->next = s->n_ports;
		h->try_no = h->max_tries;
		h->wait_end = 1;
	}
}

/*
 * Send the batch and read what became of each probe: sent, failed, or
 * (a full send buffer) kept to go first in the next batch.  1 when the
 * send buffer was full.
 */
static int flush_batch(struct syn *s)
{
	struct syn_probe *p;
	struct shost *h;
	size_t i, n_redo = 0;
	int full = 0;
	uint64_t now;

	syn_sender_flush(&s->tx);
	now = cx_loop_update_time(s->loop);
	for (i = 0; i < s->tx.n; i++) {
		p = &s->tx.p[i];
		h = p->host;
		h->queued--;
		if (p->err == 0) {
			probe_sent(s, h, p, now);
		} else if (p->err == SYN_NOT_TRIED || p->err == EAGAIN ||
		           p->err == ENOBUFS || p->err == EINTR) {
			full = 1;
			if (!p->canary && !h->unreachable) {
				h->queued++;
				s->tx.p[n_redo++] = *p; /* i >= n_redo */
			}
		} else if (!p->canary) {
			probe_failed(s, h, p->err);
		}
	}
	if (full)
		s->r.local_loss++;
	s->tx.n = n_redo;
	return full;
}

/* The next port of h's pass that needs a probe, or SIZE_MAX. */
static size_t next_port(struct syn *s, struct shost *h, uint64_t now)
{
	for (;;) {
		while (h->next < s->n_ports && st_get(h, h->next) != ST_NONE)
			h->next++;
		if (h->next < s->n_ports)
			return h->next++;
		if (h->left == 0)
			return SIZE_MAX;
		if (h->wait_end == 0) {
			h->wait_end = now + host_timeout_ms(s, h);
			return SIZE_MAX;
		}
		if (now < h->wait_end || h->try_no + 1 >= h->max_tries)
			return SIZE_MAX;
		/* A new pass over what is still unanswered. */
		h->try_no++;
		h->next = 0;
		h->wait_end = 0;
	}
}

static void tick_rearm(struct syn *s, uint64_t now, int busy)
{
	uint64_t due = UINT64_MAX;
	size_t i;

	if (busy) {
		cx_timer_start(s->loop, &s->tick, 1);
		return;
	}
	for (i = 0; i < s->n_group; i++)
		if (s->group[i]->wait_end > now && s->group[i]->wait_end < due)
			due = s->group[i]->wait_end;
	if (due == UINT64_MAX)
		due = now + 1;
	cx_timer_start(s->loop, &s->tick, due - now);
}

static void finish(struct syn *s)
{
	s->finished = 1;
	cx_timer_stop(s->loop, &s->tick);
	cx_loop_stop(s->loop);
}

static void pump(struct syn *s)
{
	uint64_t now = cx_loop_update_time(s->loop);
	unsigned sent = 0;
	size_t n, i;
	struct shost *h;
	int progress = 1, limited = 0;

	if (s->finished)
		return;
	syn_rate_epoch(&s->r, now, group_srtt_ms(s));
	group_refill(s, now);
	syn_rate_refill(&s->r, cx_now_us());
	/* Probes kept from the last batch (a full send buffer) go first. */
	if (s->tx.n > 0 && flush_batch(s))
		limited = 1;
	while (!limited && progress && sent < SEND_BATCH && s->err == 0 &&
	       !cx_interrupted) {
		progress = 0;
		for (n = 0; n < s->n_group && sent < SEND_BATCH; n++) {
			if (s->r.tokens < 1.0) {
				limited = 1;
				break;
			}
			h = s->group[s->rr++ % s->n_group];
			i = next_port(s, h, now);
			if (i == SIZE_MAX)
				continue;
			if (add_syn(s, h, (uint16_t)(s->sport + h->try_no), i,
			            0) != 0) {
				h->next = i; /* the batch is full: later */
				break;
			}
			s->r.tokens -= 1.0;
			add_canary(s, h);
			sent++;
			progress = 1;
		}
		if (s->tx.n + 2 * s->n_group > s->tx.cap || limited ||
		    !progress || sent >= SEND_BATCH) {
			if (flush_batch(s))
				limited = 1;
		}
	}
	if (s->tx.n > 0 && !limited && flush_batch(s))
		limited = 1;
	if (limited)
		s->r.limited = 1;
	pcap_drops(s);
	group_refill(s, now);
	if (s->err != 0 || (s->n_group == 0 && s->iter_done)) {
		finish(s);
		return;
	}
	report_progress(s, 0);
	tick_rearm(s, now, limited || sent > 0);
}

static void on_tick(struct cx_loop *loop, struct cx_timer *t)
{
	(void)loop;
	pump(t->arg);
}

static void on_pcap(struct cx_loop *loop, int fd, unsigned events, void *arg)
{
	struct syn *s = arg;
	int n;

	(void)loop;
	(void)fd;
	(void)events;
	n = pcap_dispatch(s->pc, DISPATCH_BATCH, on_packet, (u_char *)s);
	if (n < 0 && s->err == 0)
		s->err = CX_ESYS;
	if (s->host_complete || s->err != 0) {
		s->host_complete = 0;
		pump(s);
	}
}

/* Set-up */

static int open_capture(struct syn *s, char *why, size_t whysz)
{
	char filter[160];
	int rc;

	/* Answers to our source ports, and ICMP errors that quote probes. */
	snprintf(filter, sizeof(filter),
	         "(tcp and dst portrange %u-%u) or icmp[0] == 3 or "
	         "(icmp6 and ip6[40] == 1)",
	         (unsigned)s->sport, (unsigned)(s->sport + N_SPORTS - 1));
	rc = cx_raw_capture(filter, SYN_RING_BYTES, &s->pc, &s->dlt,
	                    &s->pcap_fd, why, whysz);
	if (rc != CX_OK)
		return rc;
	syn_pcap_open(&s->ev, s->pc);
	return CX_OK;
}

void cx_synscan_prepare(void)
{
	cx_raw_capture_ahead(SYN_RING_BYTES);
}

static int record_summary(struct syn *s)
{
	char msg[512];
	int rc = CX_OK;

	snprintf(msg, sizeof(msg), "%.0f", s->r.peak);
	rc = cx_run_option(s->run, "syn_peak_rate", msg);
	if (rc == CX_OK && s->r.loss >= 0) {
		snprintf(msg, sizeof(msg), "%.3f", s->r.loss);
		rc = cx_run_option(s->run, "syn_canary_loss", msg);
	}
	/* Where the time went: sending, answers, the wait after them. */
	if (rc == CX_OK && s->t_last_sent >= s->t_start) {
		snprintf(msg, sizeof(msg), "%llu",
		         (unsigned long long)(s->t_last_sent - s->t_start));
		rc = cx_run_option(s->run, "time_syn_last_probe_ms", msg);
	}
	if (rc == CX_OK && s->t_last_answer >= s->t_start) {
		snprintf(msg, sizeof(msg), "%llu",
		         (unsigned long long)(s->t_last_answer - s->t_start));
		rc = cx_run_option(s->run, "time_syn_last_answer_ms", msg);
	}
	if (rc == CX_OK)
		rc =
		    cx_scan_degraded_capped(s->run, "SYN scan", s->capped_ports,
		                            s->capped_hosts, N_SPORTS);
	return rc;
}

static void close_all(struct syn *s)
{
	if (s->pcap_fd >= 0)
		cx_loop_del(s->loop, s->pcap_fd);
	syn_pcap_free(&s->ev);
	syn_sender_free(&s->tx);
	cx_raw_close_later(s->pc, -1);
	if (s->raw4 >= 0)
		close(s->raw4);
	if (s->raw6 >= 0)
		close(s->raw6);
	cx_raw_release_ports(N_SPORTS, s->hold);
}

int cx_synscan_run(struct cx_loop *loop, const struct cx_scope *scope,
                   const struct cx_addrset *only,
                   const struct cx_portset *ports,
                   const struct cx_scan_opts *opts,
                   const struct cx_progress *progress, struct cx_run *run,
                   char *why, size_t whysz)
{
	struct syn *s;
	size_t i, first_host, first_port, first_obs;
	unsigned port;
	int rc, lrc, k;

	if (loop == NULL || scope == NULL || ports == NULL || opts == NULL ||
	    run == NULL)
		return CX_EINVAL;
	snprintf(why, whysz, "out of memory");
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return CX_ENOMEM;
	s->raw4 = s->raw6 = s->pcap_fd = -1;
	for (k = 0; k < 2 * N_SPORTS; k++)
		s->hold[k] = -1;
	first_host = run->n_hosts;
	first_port = run->n_ports;
	first_obs = run->n_obs;
	s->loop = loop;
	s->scope = scope;
	s->only = only;
	s->opts = opts;
	s->progress = progress;
	s->run = run;
	rc = CX_ENOMEM;
	s->ports = malloc(65535 * sizeof(*s->ports));
	s->pidx = calloc(65536, sizeof(*s->pidx));
	if (s->ports == NULL || s->pidx == NULL)
		goto out;
	for (port = 1; port <= 65535; port++)
		if (cx_portset_has(ports, port)) {
			s->pidx[port] = (uint32_t)s->n_ports + 1;
			s->ports[s->n_ports++] = (uint16_t)port;
		}
	s->spec = cx_scan_spec(s->ports, s->n_ports);
	if (s->spec == NULL)
		goto out;
	s->group_max = s->n_ports > 0 ? GROUP_PROBES / s->n_ports : GROUP_MAX;
	if (s->group_max > GROUP_MAX)
		s->group_max = GROUP_MAX;
	if (s->group_max < 1)
		s->group_max = 1;

	rc = CX_ESYS;
	if (cx_raw_random(s->key, sizeof(s->key)) != 0) {
		snprintf(why, whysz, "no random bytes for the probe cookies");
		goto out;
	}
	s->raw4 = cx_raw_socket(AF_INET, IPPROTO_RAW);
	if (s->raw4 < 0) {
		snprintf(why, whysz, "raw IPv4 socket: %s", strerror(errno));
		goto out;
	}
	s->raw6 = cx_raw_socket(AF_INET6, IPPROTO_TCP); /* may fail: no v6 */
	if (cx_raw_hold_ports(N_SPORTS, &s->sport, s->hold) != CX_OK) {
		snprintf(why, whysz, "no free source ports for the probes");
		goto out;
	}
	rc = syn_sender_init(&s->tx, TX_SLOTS);
	if (rc != CX_OK)
		goto out;
	rc = open_capture(s, why, whysz);
	if (rc != CX_OK)
		goto out;
	rc = cx_loop_add(loop, s->pcap_fd, CX_EV_READ, on_pcap, s);
	if (rc != CX_OK) {
		snprintf(why, whysz, "event loop: %s", cx_strerror(rc));
		s->pcap_fd = -1;
		goto out;
	}

	s->t_start = cx_loop_update_time(loop);
	syn_rate_init(&s->r, RATE_START,
	              opts->rate > 0 ? (double)opts->rate : 0, s->t_start);
	s->total =
	    cx_sat_mul(only ? only->n : cx_scope_size(scope), s->n_ports);
	cx_timer_init(&s->tick, on_tick, s);
	cx_target_iter_init(&s->it, scope);
	report_progress(s, 1);

	pump(s);
	lrc = s->finished ? CX_OK : cx_loop_run(loop);
	cx_timer_stop(loop, &s->tick);
	if (!s->finished) {
		for (i = 0; i < s->n_group; i++) {
			if (host_flush(s, s->group[i], 0) != 0 && s->err == 0)
				s->err = CX_ENOMEM;
			host_free(s->group[i]);
		}
		s->n_group = 0;
	}
	report_progress(s, 1);
	cx_scan_sort(run, first_host, first_port, first_obs);
	rc = syn_pcap_save(&s->ev, run);
	if (rc == CX_OK)
		rc = record_summary(s);
	if (s->err != 0)
		rc = s->err;
	else if (!s->finished && rc == CX_OK)
		rc = lrc != 0 ? lrc : CX_ESYS;
	if (rc == CX_ESYS)
		snprintf(why, whysz, "packet capture failed");
out:
	for (i = 0; i < s->n_group; i++)
		host_free(s->group[i]);
	close_all(s);
	free(s->ports);
	free(s->pidx);
	free(s->spec);
	free(s);
	return rc;
}
