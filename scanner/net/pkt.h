/*
 * certexam — raw packets (engine-internal API): building the probes the
 * SYN scan sends and parsing what comes back through libpcap.
 *
 * Parsing treats every byte as hostile: each header is length-checked
 * against what was captured and against its own length fields, and
 * anything truncated, fragmented (not the first fragment) or of an
 * unknown shape is rejected with CX_EPARSE.  Pointers in struct cx_pkt
 * point into the caller's buffer.
 */
#ifndef CX_PKT_H
#define CX_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "certexam/target.h"

#define CX_TCP_FIN 0x01u
#define CX_TCP_SYN 0x02u
#define CX_TCP_RST 0x04u
#define CX_TCP_PSH 0x08u
#define CX_TCP_ACK 0x10u

/* Link-layer types we read (values of libpcap's DLT_ constants). */
#define CX_DLT_NULL      0
#define CX_DLT_EN10MB    1
#define CX_DLT_RAW       12
#define CX_DLT_RAW_ALT   14 /* DLT_RAW on some BSDs */
#define CX_DLT_LOOP      108
#define CX_DLT_LINUX_SLL 113
#define CX_DLT_IPV4      228
#define CX_DLT_IPV6      229
#define CX_DLT_SLL2      276

struct cx_pkt {
	int family; /* AF_INET or AF_INET6: the outer IP header */
	struct cx_addr src, dst;
	uint8_t proto; /* 6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6 */
	uint8_t ttl;   /* TTL / hop limit */
	uint16_t sport, dport;
	uint8_t tcp_flags;
	uint32_t seq, ack;
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id, icmp_seq; /* echo / timestamp replies */
	const uint8_t *payload;     /* UDP payload or ICMP body after 8 bytes */
	size_t payload_len;
	/* ICMP errors: the datagram they quote (our probe). */
	int has_inner;
	uint8_t inner_proto;
	struct cx_addr inner_src, inner_dst;
	uint16_t inner_sport, inner_dport;
	uint32_t inner_seq; /* TCP sequence number of the quoted probe */
	const uint8_t *ip;  /* the outer IP packet (for evidence) */
	size_t ip_len;
	/* ARP (family AF_UNSPEC, proto 0): an IPv4-over-Ethernet ARP. */
	int arp;
	uint16_t arp_op;        /* 1 request, 2 reply */
	struct cx_addr arp_spa; /* sender's IPv4 address */
	struct cx_addr arp_tpa; /* target's IPv4 address */
	uint8_t arp_sha[6];     /* sender's hardware address */
};

/*
 * Parse one captured frame of link type dlt (CX_DLT_*).  0, or CX_EPARSE
 * for anything malformed, truncated or not IPv4/IPv6/ARP (ARP only from
 * the link types that carry an EtherType).
 */
int cx_pkt_parse(int dlt, const uint8_t *frame, size_t len, struct cx_pkt *out);
/* Parse an IP packet (version from the first nibble). */
int cx_pkt_parse_ip(const uint8_t *ip, size_t len, struct cx_pkt *out);

/*
 * Build a TCP segment with an MSS option from src to dst into buf (at
 * least 64 bytes).  For AF_INET the IPv4 header comes first (the raw
 * socket is IPPROTO_RAW); for AF_INET6 only the TCP header (the kernel
 * adds the IPv6 header); the checksum is computed over the pseudo-header
 * either way.  Returns the length, or 0 if cap is too small.
 */
size_t cx_pkt_build_tcp(uint8_t *buf, size_t cap, const struct cx_addr *src,
                        const struct cx_addr *dst, uint16_t sport,
                        uint16_t dport, uint32_t seq, uint32_t ack,
                        uint8_t flags, uint16_t ip_id);

/*
 * Build an ICMP (AF_INET) or ICMPv6 echo request, or with timestamp != 0
 * an ICMP timestamp request, without the IP header (the kernel adds it).
 * ICMPv6's checksum is left to the kernel.  Returns the length or 0.
 */
size_t cx_pkt_build_icmp(uint8_t *buf, size_t cap, int family, int timestamp,
                         uint16_t id, uint16_t seq);

/*
 * The 28-byte ARP request (Ethernet, IPv4) asking for tpa from sha/spa,
 * without the link header (an AF_PACKET SOCK_DGRAM socket adds it).
 */
size_t cx_pkt_build_arp(uint8_t *buf, size_t cap, const uint8_t sha[6],
                        const struct cx_addr *spa, const struct cx_addr *tpa);

/* The Internet checksum of len bytes starting from sum. */
uint16_t cx_inet_cksum(const void *data, size_t len, uint32_t sum);

/*
 * The 32-bit probe cookie: SipHash-2-4 under key over the two addresses
 * and ports, so an answer proves it answers our probe without any state
 * kept per probe.
 */
uint32_t cx_pkt_cookie(const uint8_t key[16], const struct cx_addr *local,
                       const struct cx_addr *remote, uint16_t lport,
                       uint16_t rport);

#endif
