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

int cx_portscan_run(struct cx_loop *loop, const struct cx_scope *scope,
                    const struct cx_portset *ports,
                    const struct cx_scan_opts *opts,
                    const struct cx_progress *progress, struct cx_run *run);

#endif
