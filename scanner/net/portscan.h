/*
 * certexam — TCP connect port scan (engine-internal API).
 *
 * Scans every in-scope address (lazily iterated from the scope) on every
 * port of the set, on the given loop, with an adaptive congestion window,
 * RTT-based timeouts, retries only where loss was seen, an optional rate
 * cap, self-connect detection and SO_LINGER 0 closes.
 *
 * Results go into run: one cx_host_obs per target address (up = 1 when it
 * answered on any port, open or closed), one cx_port_obs per OPEN port
 * (state, reason), and one observation of kind "portscan" per host with
 * properties "closed", "filtered", "open" (counts) and "ports" (the spec).
 * If the scan had to give up on anything (retransmission cap, fd
 * exhaustion), run->degraded = 1 and run->degraded_reason says what.
 * Returns CX_EINTR when interrupted (what was found so far is in run).
 */
#ifndef CX_PORTSCAN_H
#define CX_PORTSCAN_H

#include "certexam/check.h"
#include "certexam/loop.h"
#include "certexam/run.h"
#include "certexam/target.h"

struct cx_addrset;

/* only: when not NULL, scan only the scope's addresses in this set. */
int cx_portscan_run(struct cx_loop *loop, const struct cx_scope *scope,
                    const struct cx_addrset *only,
                    const struct cx_portset *ports,
                    const struct cx_scan_opts *opts,
                    const struct cx_progress *progress, struct cx_run *run);

/*
 * 1 if this process can run the SYN scan (raw sockets and packet capture
 * work), else 0; why is then the failed call and the OS error as the
 * system gave it ("socket(AF_INET, SOCK_RAW): Operation not permitted"),
 * a raw parameter of the run's scan.reason.no-raw.
 */
int cx_synscan_available(char *why, size_t whysz);

/*
 * The TCP SYN scan (synscan.c): the same results as cx_portscan_run()
 * (hosts, open ports with reason "syn-ack", "portscan" observations with
 * property scan = "syn"), plus the answering packets as a pcap evidence
 * file (run option "scan_pcap" names it).  On a set-up failure
 * (CX_ESYS: no raw socket, no capture) nothing was sent and why says
 * what failed.
 */
int cx_synscan_run(struct cx_loop *loop, const struct cx_scope *scope,
                   const struct cx_addrset *only,
                   const struct cx_portset *ports,
                   const struct cx_scan_opts *opts,
                   const struct cx_progress *progress, struct cx_run *run,
                   char *why, size_t whysz);

/*
 * A SYN scan or host discovery will follow: the capture they share starts
 * opening now, in a thread (raw.c's cx_raw_capture_ahead).
 */
void cx_synscan_prepare(void);

/*
 * No SYN scan follows: close, in the background, the capture opened ahead
 * or handed back by discovery, if any (raw.c).  Main thread only.
 */
void cx_raw_capture_discard(void);

/*
 * Wait until the captures the SYN scan and discovery closed in the
 * background (raw.c) are closed, and close one opened ahead and never
 * taken; call once the engine is done.
 */
void cx_raw_close_wait(void);

#endif
