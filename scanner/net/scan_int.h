/*
 * certexam — what the port scan engines share (engine-internal): writing
 * one host's results into the run, the port spec text, sorting what a
 * scan added, marking a run degraded, and RTT smoothing.
 */
#ifndef CX_SCAN_INT_H
#define CX_SCAN_INT_H

#include <stddef.h>
#include <stdint.h>

#include "certexam/check.h"
#include "certexam/run.h"
#include "certexam/target.h"

/* One host's port scan results, as cx_scan_flush_host() records them. */
struct cx_scan_host {
	const struct cx_addr *addr;
	const char *addr_s;
	int up;
	uint16_t *open; /* open ports (sorted in place) */
	size_t n_open;
	const char *open_reason; /* "syn-ack" */
	uint64_t n_closed, n_filtered, n_unscanned;
	uint64_t self_connects, capped;
	const char *scan;     /* "connect" or "syn" */
	const char *up_by;    /* how the host was found up, or NULL */
	const char *down_why; /* why it was found down, or NULL */
	const char *port_spec;
	int complete;
};

/*
 * Record h in run: a cx_host_obs (with the scope's host names for the
 * address), one cx_port_obs per open port and an observation of kind
 * "portscan" with the counts.  0 or CX_ENOMEM.
 */
int cx_scan_flush_host(struct cx_run *run, const struct cx_scope *scope,
                       struct cx_scan_host *h);

/* "1-1024,8080" from a sorted list; caller frees; NULL on ENOMEM. */
char *cx_scan_spec(const uint16_t *list, size_t n);

/* Sort what a scan appended after the given counts, by address and port. */
void cx_scan_sort(struct cx_run *run, size_t first_host, size_t first_port,
                  size_t first_obs);

/* Set run->degraded and append why to its reason.  0 or CX_ENOMEM. */
int cx_scan_degraded(struct cx_run *run, const char *why);

/* Jacobson/Karels smoothing of an RTT sample r (microseconds). */
void cx_rtt_sample(double *srtt, double *rttvar, int *has, double r);

/*
 * A set of addresses (the hosts discovery found up): appended, then
 * sorted once, then looked up by binary search.
 */
struct cx_addrset {
	struct cx_addr *a;
	size_t n, cap;
};
int cx_addrset_add(struct cx_addrset *set, const struct cx_addr *a);
void cx_addrset_sort(struct cx_addrset *set);
/* 1 if a is in the (sorted) set. */
int cx_addrset_has(const struct cx_addrset *set, const struct cx_addr *a);
void cx_addrset_free(struct cx_addrset *set);

/*
 * An index of in-flight hosts by address (discovery's window, the SYN
 * scan's group): a host embeds a cx_hnode whose addr points at its own
 * address; the caller owns the bucket array (nb buckets, zeroed).
 */
struct cx_hnode {
	const struct cx_addr *addr;
	struct cx_hnode *next;
};
void cx_hindex_add(struct cx_hnode **b, size_t nb, struct cx_hnode *n);
/* The node of a, or NULL. */
struct cx_hnode *cx_hindex_find(struct cx_hnode *const *b, size_t nb,
                                const struct cx_addr *a);
void cx_hindex_del(struct cx_hnode **b, size_t nb, struct cx_hnode *n);

/* Microseconds of the monotonic clock. */
uint64_t cx_now_us(void);

uint64_t cx_sat_mul(uint64_t a, uint64_t b);

/*
 * Call cb (may be NULL) with phase and the counts when force is set or
 * at least 200 ms (of now, ms) after *last, which it then updates.
 */
void cx_scan_report(const struct cx_progress *cb, const char *phase,
                    uint64_t *last, uint64_t now, int force, uint64_t done,
                    uint64_t total, uint64_t found);

/*
 * A probe's wait from an RTT estimate (microseconds): srtt + 4 rttvar,
 * clamped to [min_ms, --timeout]; --timeout (default 1000 ms) when there
 * is no estimate (has == 0).
 */
uint64_t cx_scan_timeout_ms(const struct cx_scan_opts *o, uint64_t min_ms,
                            int has, double srtt, double rttvar);

/*
 * 1 if the connected socket fd is bound to a:port itself (a TCP
 * simultaneous open of a local port onto itself), else 0.
 */
int cx_sock_self_connected(int fd, const struct cx_addr *a, unsigned port);

/*
 * 1 if the kernel retransmitted the SYN of the TCP socket fd on its own
 * (TCP_INFO).  Its initial RTO (1 s) can run out before a connect scan's
 * timeout (--timeout until an RTT is known): the answer then came to a
 * retransmission, proof of loss and no RTT sample (Karn).  Worth asking
 * only for answers slower than the kernel's smallest RTO (200 ms).
 */
int cx_sock_syn_retransmitted(int fd);

/* SO_LINGER 0: the next close(fd) resets instead of lingering. */
void cx_sock_close_hard(int fd);

/*
 * Append port (of the host a, addr_s its text) to an open-port list and
 * hand it to the open-port hook, if one is set.  0 or CX_ENOMEM.
 */
int cx_scan_add_open(uint16_t **list, size_t *n, size_t *cap,
                     const char *addr_s, uint16_t port);

/*
 * The open-port hook: called with every open TCP port as the connect or
 * SYN scan concludes it (from the scan's loop callbacks), so a later stage
 * can start on it at once (scan.c feeds service detection).  Set it for
 * the time of one scan; fn NULL removes it.
 */
typedef void (*cx_scan_open_fn)(void *arg, const char *addr_s, unsigned port);
void cx_scan_set_open_hook(cx_scan_open_fn fn, void *arg);

/*
 * Mark run degraded for ports left filtered at the retransmission cap
 * (tries) on hosts with proven loss; what names the scan.  0 or CX_ENOMEM.
 */
int cx_scan_degraded_capped(struct cx_run *run, const char *what,
                            uint64_t ports, uint64_t hosts, int tries);

#endif
