/*
 * certexam — UDP scan (engine-internal API), after the TCP port scan and
 * service detection.
 *
 * For every in-scope address (only those in `only` when not NULL) and
 * every port of ports: the protocol payloads of udp_proto.c.  Records one
 * cx_port_obs (proto "udp", state open, reason "udp-response", service,
 * product, extra = what the reply said, evidence = the reply bytes) per
 * port that answered; one observation of kind "udp-service" per open
 * port (asset "addr:port/udp": service, certainty, identified-by,
 * request-bytes, reply-bytes, info, product, amplifier, snmp-version,
 * snmp-community, recursion, evidence); and one of kind "udpscan" per
 * host (counts open, closed, filtered, open_filtered, the ports, and
 * icmp_rate_limited when the probes had to be paced).  Needs no
 * privileges.  Returns 0, CX_EINTR, or CX_ENOMEM.
 */
#ifndef CX_UDPSCAN_H
#define CX_UDPSCAN_H

#include "certexam/check.h"
#include "certexam/loop.h"
#include "certexam/run.h"
#include "certexam/target.h"
#include "scan_int.h"

int cx_udpscan_run(struct cx_loop *loop, const struct cx_scope *scope,
                   const struct cx_addrset *only,
                   const struct cx_portset *ports,
                   const struct cx_scan_opts *opts,
                   const struct cx_progress *progress, struct cx_run *run);

#endif
