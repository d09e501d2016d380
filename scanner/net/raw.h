/*
 * certexam — what the raw-packet engines (SYN scan, host discovery)
 * share: send-only raw sockets, the packet capture on the event loop, the
 * local address toward a target, source ports held while probing, and
 * random bytes for the probe cookies (engine-internal).
 */
#ifndef CX_RAW_H
#define CX_RAW_H

#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "certexam/target.h"

/* 0 and n random bytes in buf, or -1. */
int cx_raw_random(void *buf, size_t n);

void cx_raw_sockaddr(const struct cx_addr *a, uint16_t port,
                     struct sockaddr_storage *ss, socklen_t *len);

/* The local address the kernel would send from to reach a: 0 or errno. */
int cx_raw_local_for(const struct cx_addr *a, struct cx_addr *out);

/*
 * A non-blocking raw socket of this family and protocol (IPPROTO_RAW:
 * we write the IPv4 header) that never queues what it receives (answers
 * are read from the capture): a descriptor, or -1 with errno.
 */
int cx_raw_socket(int family, int proto);

/*
 * Open the capture on every interface ("any"), inbound only, with the
 * BPF filter given and a kernel buffer of bufsize bytes (the ring is
 * allocated at once: its size is time and memory), non-blocking: 0, or
 * CX_ESYS with why set.
 */
int cx_raw_capture(const char *filter, int bufsize, pcap_t **pc, int *dlt,
                   int *fd, char *why, size_t whysz);

/*
 * Start opening a capture of bufsize bytes in a thread, for the next
 * cx_raw_capture() of exactly that size to take (it waits for the thread,
 * then sets its filter; until then the capture keeps nothing; a capture
 * of another size is opened as usual).  Opening a capture costs the
 * kernel an RCU grace period (~12-18 ms here) whatever its size: scan.c
 * starts it before it loads the profile, discovery takes it and hands it
 * on (cx_raw_capture_keep) to the SYN scan.  Nothing happens if one is
 * already being opened or waits; one not taken is closed by
 * cx_raw_close_wait().  Main thread only.
 */
void cx_raw_capture_ahead(int bufsize);

/*
 * The capture's ring: one size for discovery and the SYN scan, so that
 * discovery hands its capture on to the SYN scan (one grace period for
 * both, see cx_raw_capture_ahead).
 */
#define CX_RAW_RING_BYTES (8 * 1024 * 1024)

/*
 * Hand back a capture of bufsize bytes from cx_raw_capture() that is no
 * longer read: its kernel filter now keeps nothing, and the next
 * cx_raw_capture() of that size takes it and sets its own filter
 * (libpcap filters the packets already in the ring again, and every
 * packet is checked for its cookie anyway); closed in the background if
 * one is already waiting.  Main thread only.
 */
void cx_raw_capture_keep(pcap_t *pc, int bufsize);

/*
 * Hold n (<= 16) consecutive TCP source ports from *base on IPv4 and
 * IPv6 with bound, not listening sockets (2 * n descriptors into fds,
 * -1 where none): no local program can be given them, and the kernel
 * still resets the SYN-ACKs they receive.  0 or CX_ESYS.
 */
int cx_raw_hold_ports(unsigned n, uint16_t *base, int *fds);
void cx_raw_release_ports(unsigned n, int *fds);

/*
 * Close a capture (pc, may be NULL) and a packet socket (fd, may be -1)
 * without waiting: the kernel's release of a packet socket waits for an
 * RCU grace period (~25 ms each), so a thread does it while the scan
 * goes on (synchronously if no thread can be started).  Nothing of pc or
 * fd may be used afterwards.  Call from the loop's thread only;
 * cx_raw_close_wait() (portscan.h) waits for them.
 */
void cx_raw_close_later(pcap_t *pc, int fd);

#endif
