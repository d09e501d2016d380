/*
 * certexam — host discovery before the port scan (engine-internal API).
 *
 * Every in-scope address is probed: by ARP where it is on a directly
 * connected Ethernet segment, otherwise (and for IPv6) by ICMP echo,
 * ICMP timestamp (IPv4), TCP SYN to 443 and TCP ACK to 80, as nmap does.
 * An address that is one of this machine's own is up without a probe.
 * Up to 2 tries per host; the wait adapts to the answers' RTT.
 *
 * For every address the run gets an observation of kind "discovery"
 * (asset: the address) with state = up | down and, when up, up_by (the
 * first answer: "arp-reply", "echo-reply", "timestamp-reply",
 * "syn-ack/443", "rst/443", "rst/80", "local-address"), when down,
 * down_why, a message id: scan.host.down-arp, scan.host.down-silent(-v6)
 * (nothing answered; parameter "tries"), scan.host.unreachable (an ICMP
 * host unreachable; "from"), scan.host.no-route ("error", the OS error).  Hosts
 * found down also get a cx_host_obs with up = 0; they are not port-scanned. The
 * addresses found up go to *up (sorted).  Needs raw sockets and packet capture:
 * CX_ESYS with why set when they cannot be opened (nothing was sent then).
 */
#ifndef CX_DISCOVER_H
#define CX_DISCOVER_H

#include <stddef.h>

#include "certexam/check.h"
#include "certexam/loop.h"
#include "certexam/run.h"
#include "certexam/target.h"
#include "scan_int.h"

int cx_discover_run(struct cx_loop *loop, const struct cx_scope *scope,
                    const struct cx_scan_opts *opts,
                    const struct cx_progress *progress, struct cx_run *run,
                    struct cx_addrset *up, char *why, size_t whysz);

#endif
