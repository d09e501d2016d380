/*
 * certexam — host discovery: ARP on connected Ethernet segments, else
 * ICMP echo + timestamp + TCP SYN/443 + ACK/80; one event loop, probes
 * with cookies (ICMP id/sequence, TCP sequence/acknowledgement) so that
 * only answers to our probes count; a window of hosts in flight.
 *
 * Proof of life is the first valid answer: an ARP reply from the address,
 * an echo or timestamp reply carrying our cookie, a SYN-ACK or RST that
 * acknowledges the cookie, or a RST to our ACK whose sequence number is
 * the cookie (RFC 9293: a RST answering an ACK takes SEG.ACK).  Proof of
 * death is no answer to any probe within the tries, or an ICMP host (or
 * network) unreachable quoting our SYN from a router on the way.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certexam/error.h"
#include "certexam/observation.h"
#include "certexam/util.h"
#include "discover.h"
#include "pkt.h"
#include "raw.h"
#include "scan_int.h"

#define WINDOW       4096 /* hosts in flight */
#define HASH_SIZE    8192
#define TRIES        2
#define MIN_WAIT_MS  250
#define RATE_DEFAULT 50000.0
#define SEND_BATCH   2048
#define PORT_SYN     443
#define PORT_ACK     80

struct iface {
	int index;
	int loopback;
	struct cx_addr addr, mask;
	uint8_t mac[6];
	int has_mac;
};

struct dhost {
	struct cx_addr addr, local;
	char addr_s[INET6_ADDRSTRLEN];
	const struct iface *arp; /* on this connected segment: ARP */
	unsigned tries;
	uint64_t sent_us; /* last try */
	uint64_t due_ms;  /* next try or the verdict */
	const char *up_by;
	/* why it is down: a message id (scan.host.*) and its parameter */
	const char *down_msg, *down_arg;
	char down_val[INET6_ADDRSTRLEN + 64];
	int state;             /* 0 probing, 1 up, 2 down */
	struct cx_hnode hnode; /* in the host index */
};

struct disc {
	struct cx_loop *loop;
	const struct cx_scope *scope;
	const struct cx_scan_opts *opts;
	const struct cx_progress *progress;
	struct cx_run *run;
	struct cx_addrset *up;

	struct iface *ifs;
	size_t n_ifs;
	uint8_t key[16];
	uint16_t sport;
	int hold[2];
	int raw4, raw6, icmp4, icmp6, arp;
	pcap_t *pc;
	int pcap_fd, dlt;

	struct cx_target_iter it;
	int iter_done;
	struct dhost **win;
	size_t n_win;
	struct cx_hnode *hash[HASH_SIZE];
	size_t next_send; /* round-robin position in win */

	double rate, tokens;
	uint64_t tokens_at_us;
	int has_rtt;
	double srtt, rttvar;
	struct cx_timer tick;
	int finished, err;
	uint64_t total, done, n_up, last_progress;
};

static struct dhost *host_find(struct disc *d, const struct cx_addr *a)
{
	struct cx_hnode *n = cx_hindex_find(d->hash, HASH_SIZE, a);

	return n == NULL
	           ? NULL
	           : (struct dhost *)(void *)((char *)n -
	                                      offsetof(struct dhost, hnode));
}

/* Interfaces */

static int load_ifaces(struct disc *d)
{
	struct ifaddrs *ifa, *i;
	size_t cap = 0, k;
	struct iface *f;

	if (getifaddrs(&ifa) != 0)
		return CX_ESYS;
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL || !(i->ifa_flags & IFF_UP))
			continue;
		if (i->ifa_addr->sa_family != AF_INET &&
		    i->ifa_addr->sa_family != AF_INET6)
			continue;
		if (cx_grow(&d->ifs, &cap, d->n_ifs + 1, sizeof(*d->ifs))) {
			freeifaddrs(ifa);
			return CX_ENOMEM;
		}
		f = &d->ifs[d->n_ifs++];
		memset(f, 0, sizeof(*f));
		f->index = (int)if_nametoindex(i->ifa_name);
		f->loopback = (i->ifa_flags & IFF_LOOPBACK) != 0;
		f->addr.family = f->mask.family = i->ifa_addr->sa_family;
		if (f->addr.family == AF_INET) {
			memcpy(f->addr.b,
			       &((struct sockaddr_in *)(void *)i->ifa_addr)
			            ->sin_addr,
			       4);
			if (i->ifa_netmask != NULL)
				memcpy(f->mask.b,
				       &((struct sockaddr_in *)(void *)
				             i->ifa_netmask)
				            ->sin_addr,
				       4);
		} else {
			memcpy(f->addr.b,
			       &((struct sockaddr_in6 *)(void *)i->ifa_addr)
			            ->sin6_addr,
			       16);
		}
	}
	/* Hardware addresses of Ethernet interfaces. */
	for (i = ifa; i != NULL; i = i->ifa_next) {
		const struct sockaddr_ll *ll;
		int idx;

		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != AF_PACKET)
			continue;
		ll = (const struct sockaddr_ll *)(void *)i->ifa_addr;
		if (ll->sll_hatype != 1 || ll->sll_halen != 6)
			continue;
		idx = (int)if_nametoindex(i->ifa_name);
		for (k = 0; k < d->n_ifs; k++)
			if (d->ifs[k].index == idx) {
				memcpy(d->ifs[k].mac, ll->sll_addr, 6);
				d->ifs[k].has_mac = 1;
			}
	}
	freeifaddrs(ifa);
	return CX_OK;
}

/* 1 if a is one of our own addresses. */
static int is_local(const struct disc *d, const struct cx_addr *a)
{
	size_t k;

	for (k = 0; k < d->n_ifs; k++)
		if (cx_addr_eq(&d->ifs[k].addr, a))
			return 1;
	return 0;
}

/* The Ethernet segment a is directly on, or NULL. */
static const struct iface *segment_of(const struct disc *d,
                                      const struct cx_addr *a)
{
	const struct iface *f;
	size_t k, j;

	if (a->family != AF_INET || d->arp < 0)
		return NULL;
	for (k = 0; k < d->n_ifs; k++) {
		f = &d->ifs[k];
		if (f->addr.family != AF_INET || f->loopback || !f->has_mac)
			continue;
		for (j = 0; j < 4; j++)
			if ((a->b[j] & f->mask.b[j]) !=
			    (f->addr.b[j] & f->mask.b[j]))
				break;
		if (j == 4)
			return f;
	}
	return NULL;
}

/* Results */

static void report_progress(struct disc *d, int force)
{
	cx_scan_report(d->progress, "hosts", &d->last_progress,
	               cx_loop_now(d->loop), force, d->done, d->total, d->n_up);
}

static int host_record(struct disc *d, struct dhost *h)
{
	struct cx_observation *o;
	struct cx_host_obs ho;

	o = cx_run_add_obs(d->run, "discovery", h->addr_s);
	if (o == NULL)
		return CX_ENOMEM;
	if (h->state == 1) {
		if (cx_obs_prop(o, "state", "up") ||
		    cx_obs_prop(o, "up_by", h->up_by) ||
		    cx_addrset_add(d->up, &h->addr))
			return CX_ENOMEM;
		return CX_OK;
	}
	if (cx_obs_prop(o, "state", "down") ||
	    cx_obs_prop(o, "down_why", h->down_msg ? h->down_msg : "") ||
	    (h->down_arg != NULL && cx_obs_prop(o, h->down_arg, h->down_val)))
		return CX_ENOMEM;
	memset(&ho, 0, sizeof(ho));
	ho.addr = h->addr_s;
	ho.up = 0;
	return cx_run_add_host(d->run, &ho);
}

static void mark_up(struct disc *d, struct dhost *h, const char *by)
{
	if (h->state != 0)
		return;
	h->state = 1;
	h->up_by = by;
	d->n_up++;
	if (h->tries == 1) {
		cx_rtt_sample(&d->srtt, &d->rttvar, &d->has_rtt,
		              (double)(cx_now_us() - h->sent_us));
	}
	h->due_ms = 0; /* conclude at the next pass */
}

/* Why h is down: msg (scan.host.*) with its parameter arg = val. */
static void set_down(struct dhost *h, const char *msg, const char *arg,
                     const char *val)
{
	h->down_msg = msg;
	h->down_arg = arg;
	snprintf(h->down_val, sizeof(h->down_val), "%s", val ? val : "");
}

static void mark_down(struct dhost *h, const char *msg, const char *arg,
                      const char *val)
{
	if (h->state != 0)
		return;
	h->state = 2;
	set_down(h, msg, arg, val);
	h->due_ms = 0;
}

/* Answers */

static uint32_t cookie(const struct disc *d, const struct cx_addr *local,
                       const struct cx_addr *remote, uint16_t rport)
{
	return cx_pkt_cookie(d->key, local, remote, d->sport, rport);
}

static void on_packet(u_char *arg, const struct pcap_pkthdr *hdr,
                      const u_char *bytes)
{
	struct disc *d = (struct disc *)arg;
	struct cx_pkt p;
	struct dhost *h;
	char rs[INET6_ADDRSTRLEN];
	uint32_t c;

	if (cx_pkt_parse(d->dlt, bytes, hdr->caplen, &p) != CX_OK)
		return;
	if (p.arp) {
		h = host_find(d, &p.arp_spa);
		if (h != NULL && h->arp != NULL && p.arp_op == 2 &&
		    cx_addr_eq(&p.arp_tpa, &h->arp->addr))
			mark_up(d, h, "arp-reply");
		return;
	}
	if (p.proto == IPPROTO_TCP) {
		h = host_find(d, &p.src);
		if (h == NULL || p.dport != d->sport || p.sport == 0)
			return;
		if (p.sport == PORT_SYN && (p.tcp_flags & CX_TCP_ACK) &&
		    p.ack == cookie(d, &p.dst, &p.src, PORT_SYN) + 1u)
			mark_up(d, h,
			        (p.tcp_flags & CX_TCP_SYN) ? "syn-ack/443"
			                                   : "rst/443");
		else if (p.sport == PORT_ACK && (p.tcp_flags & CX_TCP_RST) &&
		         p.seq == cookie(d, &p.dst, &p.src, PORT_ACK))
			mark_up(d, h, "rst/80");
		return;
	}
	if (p.proto != IPPROTO_ICMP && p.proto != IPPROTO_ICMPV6)
		return;
	if (p.has_inner) {
		/* Host or network unreachable for our SYN, from a router. */
		if (p.inner_proto != IPPROTO_TCP || p.inner_sport != d->sport ||
		    p.inner_dport != PORT_SYN)
			return;
		h = host_find(d, &p.inner_dst);
		if (h == NULL ||
		    p.inner_seq !=
		        cookie(d, &p.inner_src, &p.inner_dst, PORT_SYN) ||
		    cx_addr_eq(&p.src, &h->addr))
			return;
		if ((p.proto == IPPROTO_ICMP && p.icmp_type == 3 &&
		     p.icmp_code <= 1) ||
		    (p.proto == IPPROTO_ICMPV6 && p.icmp_type == 1 &&
		     p.icmp_code == 3)) {
			cx_addr_str(&p.src, rs, sizeof(rs));
			mark_down(h, "scan.host.unreachable", "from", rs);
		}
		return;
	}
	h = host_find(d, &p.src);
	if (h == NULL)
		return;
	c = cookie(d, &p.dst, &p.src,
	           (p.proto == IPPROTO_ICMP && p.icmp_type == 14) ? 13 : 8);
	if (p.icmp_id != (uint16_t)(c >> 16) || p.icmp_seq != (uint16_t)c)
		return;
	if ((p.proto == IPPROTO_ICMP && p.icmp_type == 0) ||
	    (p.proto == IPPROTO_ICMPV6 && p.icmp_type == 129))
		mark_up(d, h, "echo-reply");
	else if (p.proto == IPPROTO_ICMP && p.icmp_type == 14)
		mark_up(d, h, "timestamp-reply");
}

/* Sending */

static void send_one(struct disc *d, int fd, const void *buf, size_t len,
                     const struct cx_addr *to)
{
	struct sockaddr_storage ss;
	socklen_t sl;

	if (fd < 0)
		return;
	cx_raw_sockaddr(to, 0, &ss, &sl);
	(void)d;
	(void)sendto(fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&ss, sl);
}

static void send_arp(struct disc *d, struct dhost *h)
{
	struct sockaddr_ll ll;
	uint8_t buf[28];
	size_t n;

	n = cx_pkt_build_arp(buf, sizeof(buf), h->arp->mac, &h->arp->addr,
	                     &h->addr);
	memset(&ll, 0, sizeof(ll));
	ll.sll_family = AF_PACKET;
	ll.sll_protocol = htons(ETHERTYPE_ARP);
	ll.sll_ifindex = h->arp->index;
	ll.sll_halen = 6;
	memset(ll.sll_addr, 0xff, 6);
	(void)sendto(d->arp, buf, n, MSG_DONTWAIT, (struct sockaddr *)&ll,
	             sizeof(ll));
}

/* One try at h: 1 packet (ARP) or 4 (echo, timestamp, SYN, ACK). */
static unsigned send_try(struct disc *d, struct dhost *h)
{
	uint8_t buf[64];
	size_t n;
	uint32_t c;
	int v4 = h->addr.family == AF_INET;

	h->tries++;
	h->sent_us = cx_now_us();
	if (h->arp != NULL) {
		send_arp(d, h);
		return 1;
	}
	c = cookie(d, &h->local, &h->addr, 8);
	n = cx_pkt_build_icmp(buf, sizeof(buf), h->addr.family, 0,
	                      (uint16_t)(c >> 16), (uint16_t)c);
	send_one(d, v4 ? d->icmp4 : d->icmp6, buf, n, &h->addr);
	if (v4) {
		c = cookie(d, &h->local, &h->addr, 13);
		n = cx_pkt_build_icmp(buf, sizeof(buf), AF_INET, 1,
		                      (uint16_t)(c >> 16), (uint16_t)c);
		send_one(d, d->icmp4, buf, n, &h->addr);
	}
	c = cookie(d, &h->local, &h->addr, PORT_SYN);
	n = cx_pkt_build_tcp(buf, sizeof(buf), &h->local, &h->addr, d->sport,
	                     PORT_SYN, c, 0, CX_TCP_SYN, (uint16_t)c);
	send_one(d, v4 ? d->raw4 : d->raw6, buf, n, &h->addr);
	c = cookie(d, &h->local, &h->addr, PORT_ACK);
	n = cx_pkt_build_tcp(buf, sizeof(buf), &h->local, &h->addr, d->sport,
	                     PORT_ACK, c ^ 0x5a5a5a5au, c, CX_TCP_ACK,
	                     (uint16_t)c);
	send_one(d, v4 ? d->raw4 : d->raw6, buf, n, &h->addr);
	return v4 ? 4 : 3;
}

static uint64_t wait_ms(const struct disc *d)
{
	return cx_scan_timeout_ms(d->opts, MIN_WAIT_MS, d->has_rtt, d->srtt,
	                          d->rttvar);
}

static void host_new(struct disc *d, const struct cx_addr *a)
{
	struct dhost *h = calloc(1, sizeof(*h));
	int e;

	if (h == NULL) {
		d->err = CX_ENOMEM;
		return;
	}
	h->addr = *a;
	cx_addr_str(a, h->addr_s, sizeof(h->addr_s));
	if (is_local(d, a)) {
		h->state = 1;
		h->up_by = "local-address";
		d->n_up++;
	} else {
		e = cx_raw_local_for(a, &h->local);
		if (e != 0) {
			h->state = 2;
			set_down(h, "scan.host.no-route", "error", strerror(e));
		}
		h->arp = segment_of(d, a);
	}
	h->hnode.addr = &h->addr;
	cx_hindex_add(d->hash, HASH_SIZE, &h->hnode);
	d->win[d->n_win++] = h;
}

/* Conclude finished hosts, pull in new ones. */
static void window_refill(struct disc *d, uint64_t now)
{
	struct dhost *h;
	struct cx_addr a;
	size_t i = 0;

	while (i < d->n_win) {
		h = d->win[i];
		if (h->state == 0 && h->tries >= TRIES && now >= h->due_ms) {
			char tries[16];

			snprintf(tries, sizeof(tries), "%u", h->tries);
			set_down(h,
			         h->arp != NULL ? "scan.host.down-arp"
			         : h->addr.family == AF_INET
			             ? "scan.host.down-silent"
			             : "scan.host.down-silent-v6",
			         "tries", tries);
			h->state = 2;
		}
		if (h->state == 0) {
			i++;
			continue;
		}
		if (host_record(d, h) != CX_OK && d->err == 0)
			d->err = CX_ENOMEM;
		d->done++;
		cx_hindex_del(d->hash, HASH_SIZE, &h->hnode);
		free(h);
		d->win[i] = d->win[--d->n_win];
	}
	while (d->n_win < WINDOW && !d->iter_done && d->err == 0) {
		if (!cx_target_next(&d->it, &a)) {
			d->iter_done = 1;
			break;
		}
		if (cx_scope_contains(d->scope, &a))
			host_new(d, &a);
	}
}

static void refill_tokens(struct disc *d)
{
	uint64_t now = cx_now_us();
	double burst = d->rate / 100.0 > 16.0 ? d->rate / 100.0 : 16.0;

	d->tokens += (double)(now - d->tokens_at_us) * d->rate / 1e6;
	d->tokens_at_us = now;
	if (d->tokens > burst)
		d->tokens = burst;
}

static void pump(struct disc *d)
{
	uint64_t now = cx_loop_update_time(d->loop), due = UINT64_MAX;
	unsigned sent = 0;
	size_t n, i;
	struct dhost *h;
	int limited = 0;

	if (d->finished)
		return;
	window_refill(d, now);
	refill_tokens(d);
	for (n = 0; n < d->n_win && sent < SEND_BATCH && !cx_interrupted; n++) {
		i = (d->next_send + n) % d->n_win;
		h = d->win[i];
		if (h->state != 0 || h->tries >= TRIES || now < h->due_ms)
			continue;
		if (d->tokens < 1.0) {
			limited = 1;
			break;
		}
		d->tokens -= send_try(d, h);
		h->due_ms = now + wait_ms(d);
		sent++;
	}
	d->next_send = d->n_win ? (d->next_send + n) % d->n_win : 0;
	window_refill(d, now);
	if (d->err != 0 || (d->n_win == 0 && d->iter_done)) {
		d->finished = 1;
		cx_timer_stop(d->loop, &d->tick);
		cx_loop_stop(d->loop);
		return;
	}
	report_progress(d, 0);
	if (limited || sent >= SEND_BATCH) {
		cx_timer_start(d->loop, &d->tick, 1);
		return;
	}
	for (i = 0; i < d->n_win; i++)
		if (d->win[i]->state == 0 && d->win[i]->due_ms < due)
			due = d->win[i]->due_ms;
	cx_timer_start(d->loop, &d->tick,
	               due == UINT64_MAX || due <= now ? 1 : due - now);
}

static void on_tick(struct cx_loop *loop, struct cx_timer *t)
{
	(void)loop;
	pump(t->arg);
}

static void on_pcap(struct cx_loop *loop, int fd, unsigned events, void *arg)
{
	struct disc *d = arg;
	uint64_t up = d->n_up;

	(void)loop;
	(void)fd;
	(void)events;
	if (pcap_dispatch(d->pc, 4096, on_packet, (u_char *)d) < 0 &&
	    d->err == 0)
		d->err = CX_ESYS;
	if (d->n_up != up || d->err != 0)
		pump(d);
}

/* Set-up */

static int open_all(struct disc *d, char *why, size_t whysz)
{
	char filter[200];

	d->raw4 = cx_raw_socket(AF_INET, IPPROTO_RAW);
	if (d->raw4 < 0) {
		snprintf(why, whysz, "raw IPv4 socket: %s", strerror(errno));
		return CX_ESYS;
	}
	d->icmp4 = cx_raw_socket(AF_INET, IPPROTO_ICMP);
	d->raw6 = cx_raw_socket(AF_INET6, IPPROTO_TCP);
	d->icmp6 = cx_raw_socket(AF_INET6, IPPROTO_ICMPV6);
	d->arp = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	                0); /* protocol 0: send only, receive nothing */
	if (cx_raw_random(d->key, sizeof(d->key)) != 0 ||
	    cx_raw_hold_ports(1, &d->sport, d->hold) != CX_OK) {
		snprintf(why, whysz, "no source port or random bytes");
		return CX_ESYS;
	}
	snprintf(filter, sizeof(filter),
	         "arp or (tcp and dst port %u) or icmp or icmp6",
	         (unsigned)d->sport);
	return cx_raw_capture(filter, CX_RAW_RING_BYTES, &d->pc, &d->dlt,
	                      &d->pcap_fd, why, whysz);
}

static void close_all(struct disc *d)
{
	if (d->pcap_fd >= 0)
		cx_loop_del(d->loop, d->pcap_fd);
	if (d->raw4 >= 0)
		close(d->raw4);
	if (d->raw6 >= 0)
		close(d->raw6);
	if (d->icmp4 >= 0)
		close(d->icmp4);
	if (d->icmp6 >= 0)
		close(d->icmp6);
	/* the SYN scan takes the capture (or cx_raw_capture_discard) */
	cx_raw_capture_keep(d->pc, CX_RAW_RING_BYTES);
	cx_raw_close_later(NULL, d->arp);
	cx_raw_release_ports(1, d->hold);
}

int cx_discover_run(struct cx_loop *loop, const struct cx_scope *scope,
                    const struct cx_scan_opts *opts,
                    const struct cx_progress *progress, struct cx_run *run,
                    struct cx_addrset *up, char *why, size_t whysz)
{
	struct disc *d;
	size_t i;
	int rc, lrc;

	snprintf(why, whysz, "out of memory");
	d = calloc(1, sizeof(*d));
	if (d == NULL)
		return CX_ENOMEM;
	d->raw4 = d->raw6 = d->icmp4 = d->icmp6 = d->arp = d->pcap_fd = -1;
	d->hold[0] = d->hold[1] = -1;
	d->loop = loop;
	d->scope = scope;
	d->opts = opts;
	d->progress = progress;
	d->run = run;
	d->up = up;
	rc = CX_ENOMEM;
	d->win = calloc(WINDOW, sizeof(*d->win));
	if (d->win == NULL || load_ifaces(d) != CX_OK)
		goto out;
	rc = open_all(d, why, whysz);
	if (rc != CX_OK)
		goto out;
	rc = cx_loop_add(loop, d->pcap_fd, CX_EV_READ, on_pcap, d);
	if (rc != CX_OK) {
		d->pcap_fd = -1;
		goto out;
	}
	d->rate = opts->rate > 0 ? (double)opts->rate : RATE_DEFAULT;
	d->tokens = 16.0;
	d->tokens_at_us = cx_now_us();
	d->total = cx_scope_size(scope);
	cx_timer_init(&d->tick, on_tick, d);
	cx_target_iter_init(&d->it, scope);
	report_progress(d, 1);
	pump(d);
	lrc = d->finished ? CX_OK : cx_loop_run(loop);
	cx_timer_stop(loop, &d->tick);
	report_progress(d, 1);
	rc = d->err;
	if (rc == CX_OK && !d->finished)
		rc = lrc != 0 ? lrc : CX_ESYS;
	cx_addrset_sort(up);
out:
	for (i = 0; d->win != NULL && i < d->n_win; i++)
		free(d->win[i]);
	free(d->win);
	free(d->ifs);
	close_all(d);
	free(d);
	return rc;
}
