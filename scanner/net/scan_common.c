/*
 * certexam — helpers the connect and SYN scans (and discovery and the UDP
 * scan) share: the record of one host, the port spec, sorting, degraded
 * marks, RTT smoothing and probe timeouts, progress reports, the list of
 * open ports (and the hook that hands each one on as it is found), and
 * the connect scan's socket checks.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "certexam/error.h"
#include "certexam/observation.h"
#include "certexam/util.h"
#include "scan_int.h"

uint64_t cx_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

uint64_t cx_sat_mul(uint64_t a, uint64_t b)
{
	if (a != 0 && b > UINT64_MAX / a)
		return UINT64_MAX;
	return a * b;
}

void cx_rtt_sample(double *srtt, double *rttvar, int *has, double r)
{
	double d;

	if (!*has) {
		*srtt = r;
		*rttvar = r / 2;
		*has = 1;
		return;
	}
	d = *srtt - r;
	if (d < 0)
		d = -d;
	*rttvar = 0.75 * *rttvar + 0.25 * d;
	*srtt = 0.875 * *srtt + 0.125 * r;
}

static int port_order(const void *a, const void *b)
{
	uint16_t x = *(const uint16_t *)a, y = *(const uint16_t *)b;

	return x < y ? -1 : x > y;
}

/* Host names the scope resolved to this address, space-separated. */
static char *host_names(const struct cx_scope *scope, const struct cx_addr *a)
{
	struct cx_buf b = {0};
	size_t i, j;
	const struct cx_block *blk;

	for (i = 0; i < scope->n_blocks; i++) {
		blk = &scope->blocks[i];
		if (blk->hostname == NULL || cx_addr_cmp(&blk->first, a) != 0)
			continue;
		for (j = 0; j < i; j++)
			if (scope->blocks[j].hostname != NULL &&
			    cx_addr_cmp(&scope->blocks[j].first, a) == 0 &&
			    strcmp(scope->blocks[j].hostname, blk->hostname) ==
			        0)
				break;
		if (j < i)
			continue;
		if ((b.len > 0 && cx_buf_putc(&b, ' ')) ||
		    cx_buf_puts(&b, blk->hostname)) {
			cx_buf_free(&b);
			return NULL;
		}
	}
	return cx_buf_steal(&b);
}

static int count_prop(struct cx_observation *o, const char *name, uint64_t v)
{
	return cx_obs_propf(o, name, "%llu", (unsigned long long)v);
}

int cx_scan_flush_host(struct cx_run *run, const struct cx_scope *scope,
                       struct cx_scan_host *h)
{
	struct cx_host_obs ho;
	struct cx_port_obs po;
	struct cx_observation *o;
	char *names = NULL;
	size_t i;
	int rc;

	names = host_names(scope, h->addr);
	memset(&ho, 0, sizeof(ho));
	ho.addr = (char *)h->addr_s;
	ho.names = names != NULL && names[0] != '\0' ? names : NULL;
	ho.up = h->up;
	rc = cx_run_add_host(run, &ho);
	if (rc != 0)
		goto out;
	if (h->n_open > 1)
		qsort(h->open, h->n_open, sizeof(*h->open), port_order);
	for (i = 0; i < h->n_open; i++) {
		memset(&po, 0, sizeof(po));
		po.addr = (char *)h->addr_s;
		po.port = h->open[i];
		po.proto = "tcp";
		po.state = CX_PORT_OPEN;
		po.reason = (char *)h->open_reason;
		rc = cx_run_add_port(run, &po, NULL);
		if (rc != 0)
			goto out;
	}
	rc = CX_ENOMEM;
	o = cx_run_add_obs(run, "portscan", h->addr_s);
	if (o == NULL)
		goto out;
	if (count_prop(o, "open", h->n_open) ||
	    count_prop(o, "closed", h->n_closed) ||
	    count_prop(o, "filtered", h->n_filtered) ||
	    cx_obs_prop(o, "ports", h->port_spec))
		goto out;
	if (h->scan != NULL && cx_obs_prop(o, "scan", h->scan))
		goto out;
	if (h->up_by != NULL && cx_obs_prop(o, "up_by", h->up_by))
		goto out;
	if (h->down_why != NULL && cx_obs_prop(o, "down_why", h->down_why))
		goto out;
	if (h->n_unscanned > 0 && count_prop(o, "not_scanned", h->n_unscanned))
		goto out;
	if (h->self_connects > 0 &&
	    count_prop(o, "self_connects", h->self_connects))
		goto out;
	if (h->capped > 0 && count_prop(o, "retransmission_cap_hit", h->capped))
		goto out;
	if (!h->complete && cx_obs_prop(o, "complete", "false"))
		goto out;
	rc = CX_OK;
out:
	free(names);
	return rc;
}

char *cx_scan_spec(const uint16_t *list, size_t n)
{
	struct cx_buf b = {0};
	size_t i = 0, j;

	if (n == 0)
		return cx_strdup("");
	while (i < n) {
		j = i;
		while (j + 1 < n && list[j + 1] == list[j] + 1)
			j++;
		if ((b.len > 0 && cx_buf_putc(&b, ',')) ||
		    (j == i ? cx_buf_printf(&b, "%u", list[i])
		            : cx_buf_printf(&b, "%u-%u", list[i], list[j]))) {
			cx_buf_free(&b);
			return NULL;
		}
		i = j + 1;
	}
	return cx_buf_steal(&b);
}

int cx_scan_degraded(struct cx_run *run, const char *why)
{
	char *r;

	run->degraded = 1;
	if (run->degraded_reason != NULL && run->degraded_reason[0] != '\0')
		r = cx_asprintf("%s; %s", run->degraded_reason, why);
	else
		r = cx_strdup(why);
	if (r == NULL)
		return CX_ENOMEM;
	free(run->degraded_reason);
	run->degraded_reason = r;
	return CX_OK;
}

/* Order by numeric address (IPv4 first), then port. */
static int addr_text_cmp(const char *x, const char *y)
{
	struct cx_addr a, b;

	if (cx_addr_parse(x, &a) != 0 || cx_addr_parse(y, &b) != 0)
		return strcmp(x, y);
	return cx_addr_cmp(&a, &b);
}

static int host_order(const void *pa, const void *pb)
{
	const struct cx_host_obs *a = pa, *b = pb;

	return addr_text_cmp(a->addr, b->addr);
}

static int portobs_order(const void *pa, const void *pb)
{
	const struct cx_port_obs *a = pa, *b = pb;
	int c = addr_text_cmp(a->addr, b->addr);

	if (c != 0)
		return c;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	return strcmp(a->proto ? a->proto : "", b->proto ? b->proto : "");
}

static int obs_order(const void *pa, const void *pb)
{
	const struct cx_observation *a = pa, *b = pb;
	int c = addr_text_cmp(a->asset, b->asset);

	return c != 0 ? c : strcmp(a->kind, b->kind);
}

void cx_scan_sort(struct cx_run *run, size_t first_host, size_t first_port,
                  size_t first_obs)
{
	if (run->n_hosts - first_host > 1)
		qsort(run->hosts + first_host, run->n_hosts - first_host,
		      sizeof(*run->hosts), host_order);
	if (run->n_ports - first_port > 1)
		qsort(run->ports + first_port, run->n_ports - first_port,
		      sizeof(*run->ports), portobs_order);
	if (run->n_obs - first_obs > 1)
		qsort(run->obs + first_obs, run->n_obs - first_obs,
		      sizeof(*run->obs), obs_order);
}

int cx_addrset_add(struct cx_addrset *set, const struct cx_addr *a)
{
	if (cx_grow(&set->a, &set->cap, set->n + 1, sizeof(*set->a)))
		return CX_ENOMEM;
	set->a[set->n++] = *a;
	return CX_OK;
}

static int addr_order(const void *pa, const void *pb)
{
	return cx_addr_cmp(pa, pb);
}

void cx_addrset_sort(struct cx_addrset *set)
{
	if (set->n > 1)
		qsort(set->a, set->n, sizeof(*set->a), addr_order);
}

int cx_addrset_has(const struct cx_addrset *set, const struct cx_addr *a)
{
	return set->n > 0 &&
	       bsearch(a, set->a, set->n, sizeof(*set->a), addr_order) != NULL;
}

void cx_addrset_free(struct cx_addrset *set)
{
	if (set == NULL)
		return;
	free(set->a);
	memset(set, 0, sizeof(*set));
}

void cx_scan_report(const struct cx_progress *cb, const char *phase,
                    uint64_t *last, uint64_t now, int force, uint64_t done,
                    uint64_t total, uint64_t found)
{
	if (cb == NULL || cb->update == NULL)
		return;
	if (!force && now - *last < 200)
		return;
	*last = now;
	cb->update(cb->arg, phase, done, total, found);
}

uint64_t cx_scan_timeout_ms(const struct cx_scan_opts *o, uint64_t min_ms,
                            int has, double srtt, double rttvar)
{
	uint64_t hi =
	    o->connect_timeout_ms > 0 ? (uint64_t)o->connect_timeout_ms : 1000;
	uint64_t lo = hi < min_ms ? hi : min_ms, ms;

	if (!has)
		return hi;
	ms = (uint64_t)((srtt + 4 * rttvar) / 1000.0) + 1;
	return ms < lo ? lo : ms > hi ? hi : ms;
}

static cx_scan_open_fn open_hook;
static void *open_hook_arg;

void cx_scan_set_open_hook(cx_scan_open_fn fn, void *arg)
{
	open_hook = fn;
	open_hook_arg = arg;
}

int cx_scan_add_open(uint16_t **list, size_t *n, size_t *cap,
                     const char *addr_s, uint16_t port)
{
	if (cx_grow(list, cap, *n + 1, sizeof(**list)))
		return CX_ENOMEM;
	(*list)[(*n)++] = port;
	if (open_hook != NULL)
		open_hook(open_hook_arg, addr_s, port);
	return CX_OK;
}

int cx_scan_degraded_capped(struct cx_run *run, const char *what,
                            uint64_t ports, uint64_t hosts, int tries)
{
	char msg[512];

	if (ports == 0)
		return CX_OK;
	snprintf(msg, sizeof(msg),
	         "%s: %llu port(s) on %llu host(s) got no answer within the "
	         "retransmission cap (%d tries) although packet loss was seen "
	         "on those hosts; they are reported filtered but may be open",
	         what, (unsigned long long)ports, (unsigned long long)hosts,
	         tries);
	return cx_scan_degraded(run, msg);
}

int cx_sock_self_connected(int fd, const struct cx_addr *a, unsigned port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		return 0;
	if (ss.ss_family == AF_INET && a->family == AF_INET) {
		const struct sockaddr_in *sin = (const void *)&ss;
		return ntohs(sin->sin_port) == port &&
		       memcmp(&sin->sin_addr, a->b, 4) == 0;
	}
	if (ss.ss_family == AF_INET6 && a->family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const void *)&ss;
		return ntohs(sin6->sin6_port) == port &&
		       memcmp(&sin6->sin6_addr, a->b, 16) == 0;
	}
	return 0;
}

int cx_sock_syn_retransmitted(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0)
		return 0;
	return ti.tcpi_total_retrans > 0 || ti.tcpi_retransmits > 0;
}

void cx_sock_close_hard(int fd)
{
	struct linger lg;

	lg.l_onoff = 1;
	lg.l_linger = 0;
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
}

/* The host index */

void cx_hindex_add(struct cx_hnode **b, size_t nb, struct cx_hnode *n)
{
	size_t i = cx_addr_hash(n->addr) % nb;

	n->next = b[i];
	b[i] = n;
}

struct cx_hnode *cx_hindex_find(struct cx_hnode *const *b, size_t nb,
                                const struct cx_addr *a)
{
	struct cx_hnode *n;

	for (n = b[cx_addr_hash(a) % nb]; n != NULL; n = n->next)
		if (cx_addr_eq(n->addr, a))
			return n;
	return NULL;
}

void cx_hindex_del(struct cx_hnode **b, size_t nb, struct cx_hnode *n)
{
	struct cx_hnode **pp = &b[cx_addr_hash(n->addr) % nb];

	while (*pp != NULL && *pp != n)
		pp = &(*pp)->next;
	if (*pp == n)
		*pp = n->next;
}
