/*
 * certexam — what the port scan engines share (engine-internal): writing
 * one host's results into the run, the port spec text, sorting what a
 * scan added, marking a run degraded, and RTT smoothing.
 */
#ifndef CX_SCAN_INT_H
#define CX_SCAN_INT_H

#include <stddef.h>
#include <stdint.h>

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

/* Microseconds of the monotonic clock. */
uint64_t cx_now_us(void);

uint64_t cx_sat_mul(uint64_t a, uint64_t b);

#endif
