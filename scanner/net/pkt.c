/*
 * certexam — raw packets: the SYN scan's probe builder, the checksum, the
 * probe cookie (SipHash-2-4) and the length-checked parser of captured
 * frames (link layer, IPv4/IPv6 with extension headers, TCP, UDP, ICMP
 * and ICMPv6 with the datagram an error quotes).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "certexam/error.h"
#include "pkt.h"

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void wr32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void set_addr(struct cx_addr *a, int family, const uint8_t *b)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	memcpy(a->b, b, family == AF_INET ? 4 : 16);
}

/* Parse */

/*
 * The transport header of the datagram an ICMP error quotes: its IP
 * header and at least the first 8 bytes after it (RFC 792 guarantees 8).
 */
static int parse_inner(const uint8_t *p, size_t len, struct cx_pkt *out)
{
	size_t hl;
	uint8_t proto;

	if (len < 1)
		return CX_EPARSE;
	if ((p[0] >> 4) == 4) {
		if (len < 20)
			return CX_EPARSE;
		hl = (size_t)(p[0] & 0x0f) * 4;
		if (hl < 20 || len < hl + 8)
			return CX_EPARSE;
		proto = p[9];
		set_addr(&out->inner_src, AF_INET, p + 12);
		set_addr(&out->inner_dst, AF_INET, p + 16);
	} else if ((p[0] >> 4) == 6) {
		/* Extension headers in a quoted probe: not ours. */
		hl = 40;
		if (len < hl + 8)
			return CX_EPARSE;
		proto = p[6];
		set_addr(&out->inner_src, AF_INET6, p + 8);
		set_addr(&out->inner_dst, AF_INET6, p + 24);
	} else {
		return CX_EPARSE;
	}
	out->inner_proto = proto;
	out->inner_sport = rd16(p + hl);
	out->inner_dport = rd16(p + hl + 2);
	out->inner_seq = proto == IPPROTO_TCP ? rd32(p + hl + 4) : 0;
	out->has_inner = 1;
	return CX_OK;
}

static int parse_transport(const uint8_t *p, size_t len, struct cx_pkt *out)
{
	size_t hl;

	switch (out->proto) {
	case IPPROTO_TCP:
		if (len < 20)
			return CX_EPARSE;
		hl = (size_t)(p[12] >> 4) * 4;
		if (hl < 20 || hl > len)
			return CX_EPARSE;
		out->sport = rd16(p);
		out->dport = rd16(p + 2);
		out->seq = rd32(p + 4);
		out->ack = rd32(p + 8);
		out->tcp_flags = p[13];
		out->payload = p + hl;
		out->payload_len = len - hl;
		return CX_OK;
	case IPPROTO_UDP:
		if (len < 8)
			return CX_EPARSE;
		hl = rd16(p + 4);
		if (hl < 8 || hl > len)
			return CX_EPARSE;
		out->sport = rd16(p);
		out->dport = rd16(p + 2);
		out->payload = p + 8;
		out->payload_len = hl - 8;
		return CX_OK;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (len < 8)
			return CX_EPARSE;
		out->icmp_type = p[0];
		out->icmp_code = p[1];
		out->icmp_id = rd16(p + 4);
		out->icmp_seq = rd16(p + 6);
		out->payload = p + 8;
		out->payload_len = len - 8;
		/* Errors: unreachable, time exceeded (and v6 too big). */
		if ((out->proto == IPPROTO_ICMP && (p[0] == 3 || p[0] == 11)) ||
		    (out->proto == IPPROTO_ICMPV6 &&
		     (p[0] == 1 || p[0] == 2 || p[0] == 3)))
			return parse_inner(p + 8, len - 8, out);
		return CX_OK;
	default:
		return CX_OK; /* another protocol: addresses only */
	}
}

static int parse_ipv4(const uint8_t *p, size_t len, struct cx_pkt *out)
{
	size_t hl, tot;

	if (len < 20 || (p[0] >> 4) != 4)
		return CX_EPARSE;
	hl = (size_t)(p[0] & 0x0f) * 4;
	tot = rd16(p + 2);
	if (hl < 20 || tot < hl || tot > len)
		return CX_EPARSE;
	if ((rd16(p + 6) & 0x1fff) != 0)
		return CX_EPARSE; /* not the first fragment */
	out->family = AF_INET;
	out->ttl = p[8];
	out->proto = p[9];
	set_addr(&out->src, AF_INET, p + 12);
	set_addr(&out->dst, AF_INET, p + 16);
	out->ip = p;
	out->ip_len = tot;
	return parse_transport(p + hl, tot - hl, out);
}

static int parse_ipv6(const uint8_t *p, size_t len, struct cx_pkt *out)
{
	size_t off = 40, end, ext;
	uint8_t nh;
	int n;

	if (len < 40 || (p[0] >> 4) != 6)
		return CX_EPARSE;
	end = 40 + (size_t)rd16(p + 4);
	if (end > len)
		return CX_EPARSE;
	out->family = AF_INET6;
	out->ttl = p[7];
	set_addr(&out->src, AF_INET6, p + 8);
	set_addr(&out->dst, AF_INET6, p + 24);
	out->ip = p;
	out->ip_len = end;
	nh = p[6];
	for (n = 0; n < 8; n++) {
		if (nh != 0 && nh != 43 && nh != 60 && nh != 44)
			break;
		if (off + 8 > end)
			return CX_EPARSE;
		if (nh == 44) {
			/* Fragment header: only a first fragment is read. */
			if ((rd16(p + off + 2) & 0xfff8) != 0)
				return CX_EPARSE;
			ext = 8;
		} else {
			ext = ((size_t)p[off + 1] + 1) * 8;
		}
		if (off + ext > end)
			return CX_EPARSE;
		nh = p[off];
		off += ext;
	}
	if (n == 8)
		return CX_EPARSE;
	out->proto = nh;
	return parse_transport(p + off, end - off, out);
}

int cx_pkt_parse_ip(const uint8_t *ip, size_t len, struct cx_pkt *out)
{
	memset(out, 0, sizeof(*out));
	if (ip == NULL || len < 1)
		return CX_EPARSE;
	if ((ip[0] >> 4) == 4)
		return parse_ipv4(ip, len, out);
	if ((ip[0] >> 4) == 6)
		return parse_ipv6(ip, len, out);
	return CX_EPARSE;
}

/*
 * The network-layer packet inside a frame: its offset and EtherType
 * (0x0800, 0x86dd, 0x0806; 0 where the link type names none), or -1.
 */
static long link_offset(int dlt, const uint8_t *f, size_t len, uint16_t *et)
{
	size_t off;
	uint32_t af;

	*et = 0;
	switch (dlt) {
	case CX_DLT_EN10MB:
		if (len < 14)
			return -1;
		*et = rd16(f + 12);
		off = 14;
		while ((*et == 0x8100 || *et == 0x88a8) && len >= off + 4) {
			*et = rd16(f + off + 2);
			off += 4;
		}
		return (long)off;
	case CX_DLT_LINUX_SLL:
		if (len < 16)
			return -1;
		*et = rd16(f + 14);
		return 16;
	case CX_DLT_SLL2:
		if (len < 20)
			return -1;
		*et = rd16(f);
		return 20;
	case CX_DLT_NULL:
	case CX_DLT_LOOP:
		if (len < 4)
			return -1;
		/* Host order for DLT_NULL, network order for DLT_LOOP. */
		memcpy(&af, f, 4);
		if (dlt == CX_DLT_LOOP)
			af = ntohl(af);
		return (af == 2 || af == 24 || af == 28 || af == 30 ||
		        af == 2u << 24 || af == 24u << 24 || af == 28u << 24 ||
		        af == 30u << 24)
		           ? 4
		           : -1;
	case CX_DLT_RAW:
	case CX_DLT_RAW_ALT:
	case CX_DLT_IPV4:
	case CX_DLT_IPV6:
		return 0;
	default:
		return -1;
	}
}

/* ARP for IPv4 over Ethernet: htype 1, ptype 0x0800, hlen 6, plen 4. */
static int parse_arp(const uint8_t *p, size_t len, struct cx_pkt *out)
{
	if (len < 28 || rd16(p) != 1 || rd16(p + 2) != 0x0800 || p[4] != 6 ||
	    p[5] != 4)
		return CX_EPARSE;
	out->arp = 1;
	out->arp_op = rd16(p + 6);
	memcpy(out->arp_sha, p + 8, 6);
	set_addr(&out->arp_spa, AF_INET, p + 14);
	set_addr(&out->arp_tpa, AF_INET, p + 24);
	return CX_OK;
}

int cx_pkt_parse(int dlt, const uint8_t *frame, size_t len, struct cx_pkt *out)
{
	long off;
	uint16_t et;

	memset(out, 0, sizeof(*out));
	if (frame == NULL)
		return CX_EPARSE;
	off = link_offset(dlt, frame, len, &et);
	if (off < 0 || (size_t)off >= len)
		return CX_EPARSE;
	if (et == 0x0806)
		return parse_arp(frame + off, len - (size_t)off, out);
	if (et != 0 && et != 0x0800 && et != 0x86dd)
		return CX_EPARSE;
	return cx_pkt_parse_ip(frame + off, len - (size_t)off, out);
}

size_t cx_pkt_build_arp(uint8_t *buf, size_t cap, const uint8_t sha[6],
                        const struct cx_addr *spa, const struct cx_addr *tpa)
{
	if (cap < 28 || spa->family != AF_INET || tpa->family != AF_INET)
		return 0;
	memset(buf, 0, 28);
	wr16(buf, 1);
	wr16(buf + 2, 0x0800);
	buf[4] = 6;
	buf[5] = 4;
	wr16(buf + 6, 1);
	memcpy(buf + 8, sha, 6);
	memcpy(buf + 14, spa->b, 4);
	memcpy(buf + 24, tpa->b, 4);
	return 28;
}

/* Build */

uint16_t cx_inet_cksum(const void *data, size_t len, uint32_t sum)
{
	const uint8_t *p = data;
	uint64_t s = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		s += (uint32_t)p[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static uint32_t pseudo_sum(const struct cx_addr *src, const struct cx_addr *dst,
                           uint8_t proto, size_t len)
{
	size_t n = src->family == AF_INET ? 4 : 16, i;
	uint32_t s = 0;

	for (i = 0; i < n; i += 2) {
		s += (uint32_t)src->b[i] << 8 | src->b[i + 1];
		s += (uint32_t)dst->b[i] << 8 | dst->b[i + 1];
	}
	s += proto;
	s += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
	return s;
}

size_t cx_pkt_build_tcp(uint8_t *buf, size_t cap, const struct cx_addr *src,
                        const struct cx_addr *dst, uint16_t sport,
                        uint16_t dport, uint32_t seq, uint32_t ack,
                        uint8_t flags, uint16_t ip_id)
{
	size_t ipl = src->family == AF_INET ? 20 : 0, tl = 24;
	uint8_t *t = buf + ipl;

	if (cap < ipl + tl || src->family != dst->family)
		return 0;
	memset(buf, 0, ipl + tl);
	if (ipl) {
		buf[0] = 0x45;
		wr16(buf + 2, (uint16_t)(ipl + tl));
		wr16(buf + 4, ip_id);
		buf[8] = 64;
		buf[9] = IPPROTO_TCP;
		memcpy(buf + 12, src->b, 4);
		memcpy(buf + 16, dst->b, 4);
		wr16(buf + 10, cx_inet_cksum(buf, 20, 0));
	}
	wr16(t, sport);
	wr16(t + 2, dport);
	wr32(t + 4, seq);
	wr32(t + 8, ack);
	t[12] = (uint8_t)((tl / 4) << 4);
	t[13] = flags;
	wr16(t + 14, 1024);
	/* MSS 1460: a SYN without options stands out. */
	t[20] = 2;
	t[21] = 4;
	wr16(t + 22, 1460);
	wr16(t + 16,
	     cx_inet_cksum(t, tl, pseudo_sum(src, dst, IPPROTO_TCP, tl)));
	return ipl + tl;
}

size_t cx_pkt_build_icmp(uint8_t *buf, size_t cap, int family, int timestamp,
                         uint16_t id, uint16_t seq)
{
	size_t len = timestamp ? 20 : 8;

	if (cap < len || (timestamp && family != AF_INET))
		return 0;
	memset(buf, 0, len);
	if (family == AF_INET)
		buf[0] = timestamp ? 13 : 8;
	else
		buf[0] = 128;
	wr16(buf + 4, id);
	wr16(buf + 6, seq);
	if (family == AF_INET)
		wr16(buf + 2, cx_inet_cksum(buf, len, 0));
	return len;
}

/* SipHash-2-4 (Aumasson and Bernstein), 64-bit output. */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))

static void sipround(uint64_t v[4])
{
	v[0] += v[1];
	v[1] = ROTL(v[1], 13);
	v[1] ^= v[0];
	v[0] = ROTL(v[0], 32);
	v[2] += v[3];
	v[3] = ROTL(v[3], 16);
	v[3] ^= v[2];
	v[0] += v[3];
	v[3] = ROTL(v[3], 21);
	v[3] ^= v[0];
	v[2] += v[1];
	v[1] = ROTL(v[1], 17);
	v[1] ^= v[2];
	v[2] = ROTL(v[2], 32);
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint64_t siphash24(const uint8_t key[16], const uint8_t *m, size_t len)
{
	uint64_t k0 = le64(key), k1 = le64(key + 8), b, mi;
	uint64_t v[4];
	size_t i, blocks = len / 8;
	int r;

	v[0] = k0 ^ 0x736f6d6570736575ull;
	v[1] = k1 ^ 0x646f72616e646f6dull;
	v[2] = k0 ^ 0x6c7967656e657261ull;
	v[3] = k1 ^ 0x7465646279746573ull;
	for (i = 0; i < blocks; i++) {
		mi = le64(m + 8 * i);
		v[3] ^= mi;
		sipround(v);
		sipround(v);
		v[0] ^= mi;
	}
	b = (uint64_t)len << 56;
	for (i = 0; i < (len & 7); i++)
		b |= (uint64_t)m[blocks * 8 + i] << (8 * i);
	v[3] ^= b;
	sipround(v);
	sipround(v);
	v[0] ^= b;
	v[2] ^= 0xff;
	for (r = 0; r < 4; r++)
		sipround(v);
	return v[0] ^ v[1] ^ v[2] ^ v[3];
}

uint32_t cx_pkt_cookie(const uint8_t key[16], const struct cx_addr *local,
                       const struct cx_addr *remote, uint16_t lport,
                       uint16_t rport)
{
	uint8_t m[36];
	size_t n = local->family == AF_INET ? 4 : 16;
	uint64_t h;

	memcpy(m, local->b, n);
	memcpy(m + n, remote->b, n);
	wr16(m + 2 * n, lport);
	wr16(m + 2 * n + 2, rport);
	h = siphash24(key, m, 2 * n + 4);
	return (uint32_t)(h ^ (h >> 32));
}
