/*
 * certexam — UDP payloads and the length-checked parsers of the replies
 * (DNS and mDNS, SNMP v1/v2c, NTP and its mode 7, IPMI/RMCP, SSDP, TFTP,
 * NetBIOS-NS, CLDAP, memcached, chargen, echo).  The payloads are written
 * from the protocols' specifications (RFC 1035, 1157/3416, 5905, 1350,
 * 1002, 6762, 4511; DMTF ASF/IPMI 2.0; UPnP; memcached protocol.txt) and,
 * for NTP mode 7 (never standardised), from the request header of the
 * reference implementation's ntp_request.h (ntpd): only the request is
 * sent, the reply is judged by its size and the entries it announces.
 */
#include <stdio.h>
#include <string.h>

#include "udp_proto.h"

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

/* Printable copy of at most n bytes into out (size outsz). */
static void put_text(char *out, size_t outsz, const uint8_t *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 1 < outsz; i++)
		out[k++] = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '.';
	while (k > 0 && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
}

/* DNS (RFC 1035) and mDNS (RFC 6762) */

#define DNS_ID 0x4358 /* "CX" */

/* A recursive query for the root's NS records. */
static const uint8_t p_dns[] = {0x43, 0x58, 0x01, 0x00, 0x00, 0x01,
                                0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                                0x00, 0x00, 0x02, 0x00, 0x01};

/* _services._dns-sd._udp.local PTR (RFC 6763 section 9), unicast. */
static const uint8_t p_mdns[] = {
    0x43, 0x58, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x09, '_',  's',  'e',  'r',  'v',  'i',  'c',  'e',  's',  0x07, '_',
    'd',  'n',  's',  '-',  's',  'd',  0x04, '_',  'u',  'd',  'p',  0x05,
    'l',  'o',  'c',  'a',  'l',  0x00, 0x00, 0x0c, 0x00, 0x01};

static int parse_dns(const struct cx_udp_probe *pr, const uint8_t *d, size_t n,
                     struct cx_udp_reply *out)
{
	static const char *const rcodes[] = {"NOERROR",  "FORMERR", "SERVFAIL",
	                                     "NXDOMAIN", "NOTIMP",  "REFUSED",
	                                     "YXDOMAIN", "YXRRSET"};
	unsigned flags, rcode, an;

	if (n < 12 || rd16(d) != DNS_ID)
		return 0;
	flags = rd16(d + 2);
	if (!(flags & 0x8000))
		return 0; /* not a response */
	rcode = flags & 0x0f;
	an = rd16(d + 6);
	out->service = pr->service;
	if (pr->port == 53 && (flags & 0x0080) && rcode == 0 && an > 0)
		out->dns_recursion = 1;
	snprintf(out->info, sizeof(out->info), "%s, recursion %s, %u answer(s)",
	         rcode < 8 ? rcodes[rcode] : "rcode>7",
	         (flags & 0x0080) ? "available" : "not available", an);
	return 1;
}

/* A minimal BER reader (definite lengths only) for SNMP and LDAP. */

struct ber {
	const uint8_t *p;
	size_t n;
};

/* Read one TLV: its tag, its contents as *v.  0, or -1 if malformed. */
static int ber_next(struct ber *b, unsigned *tag, struct ber *v)
{
	size_t len = 0, k, nl;

	if (b->n < 2)
		return -1;
	*tag = b->p[0];
	if (b->p[1] < 0x80) {
		len = b->p[1];
		k = 2;
	} else {
		nl = b->p[1] & 0x7f;
		if (nl == 0 || nl > 4 || b->n < 2 + nl)
			return -1;
		for (k = 0; k < nl; k++)
			len = len << 8 | b->p[2 + k];
		k = 2 + nl;
	}
	if (len > b->n - k)
		return -1;
	v->p = b->p + k;
	v->n = len;
	b->p += k + len;
	b->n -= k + len;
	return 0;
}

static int ber_int(const struct ber *v, long *out)
{
	size_t i;
	long x;

	if (v->n == 0 || v->n > 4)
		return -1;
	x = (v->p[0] & 0x80) ? -1 : 0;
	for (i = 0; i < v->n; i++)
		x = (long)((unsigned long)x << 8 | v->p[i]);
	*out = x;
	return 0;
}

/*
 * SNMP (RFC 1157, RFC 3416): GetRequest sysDescr.0 with community public
 * (v1, request id 1; v2c, id 2) and with community private (v2c, id 3).
 */

static const uint8_t p_snmp1[] = {
    0x30, 0x26, 0x02, 0x01, 0x00, 0x04, 0x06, 'p',  'u',  'b',
    'l',  'i',  'c',  0xa0, 0x19, 0x02, 0x01, 0x01, 0x02, 0x01,
    0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08,
    0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00};
static const uint8_t p_snmp2[] = {
    0x30, 0x26, 0x02, 0x01, 0x01, 0x04, 0x06, 'p',  'u',  'b',
    'l',  'i',  'c',  0xa0, 0x19, 0x02, 0x01, 0x02, 0x02, 0x01,
    0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08,
    0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00};
static const uint8_t p_snmp2_private[] = {
    0x30, 0x27, 0x02, 0x01, 0x01, 0x04, 0x07, 'p',  'r',  'i',  'v',
    'a',  't',  'e',  0xa0, 0x19, 0x02, 0x01, 0x03, 0x02, 0x01, 0x00,
    0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06,
    0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00};

/*
 * The head of an SNMP v1/v2c message: version, community, the PDU (tag
 * pdu_tag) and its request id.  0, or -1 if malformed.
 */
static int snmp_head(const uint8_t *d, size_t n, unsigned pdu_tag, long *ver,
                     struct ber *community, struct ber *pdu, long *reqid)
{
	struct ber b = {d, n}, msg, v;
	unsigned tag;

	if (ber_next(&b, &tag, &msg) || tag != 0x30)
		return -1;
	if (ber_next(&msg, &tag, &v) || tag != 0x02 || ber_int(&v, ver) ||
	    (*ver != 0 && *ver != 1))
		return -1;
	if (ber_next(&msg, &tag, community) || tag != 0x04)
		return -1;
	if (ber_next(&msg, &tag, pdu) || tag != pdu_tag)
		return -1;
	if (ber_next(pdu, &tag, &v) || tag != 0x02 || ber_int(&v, reqid))
		return -1;
	return 0;
}

static int parse_snmp(const struct cx_udp_probe *pr, const uint8_t *d, size_t n,
                      struct cx_udp_reply *out)
{
	struct ber com, pdu, v, vbl, vb, qcom, qpdu;
	unsigned tag;
	long ver, reqid, err, qver, qid;

	/* the reply answers our request: same request id and community */
	if (snmp_head(pr->payload, pr->len, 0xa0, &qver, &qcom, &qpdu, &qid) ||
	    snmp_head(d, n, 0xa2, &ver, &com, &pdu, &reqid) || reqid != qid ||
	    com.n != qcom.n || memcmp(com.p, qcom.p, com.n) != 0 ||
	    com.n >= sizeof(out->snmp_community))
		return 0;
	if (ber_next(&pdu, &tag, &v) || tag != 0x02 || ber_int(&v, &err))
		return 0;
	out->service = pr->service;
	out->snmp_version = ver == 0 ? 1 : 2;
	put_text(out->snmp_community, sizeof(out->snmp_community), com.p,
	         com.n);
	out->snmp_public = strcmp(out->snmp_community, "public") == 0;
	snprintf(out->info, sizeof(out->info),
	         "SNMP%s answered community "
	         "'%s' (error-status %ld)",
	         ver == 0 ? "v1" : "v2c", out->snmp_community, err);
	/* error-index, then the first varbind's value if it is text. */
	if (ber_next(&pdu, &tag, &v) || ber_next(&pdu, &tag, &vbl) ||
	    tag != 0x30 || ber_next(&vbl, &tag, &vb) || tag != 0x30 ||
	    ber_next(&vb, &tag, &v) || tag != 0x06 || ber_next(&vb, &tag, &v) ||
	    tag != 0x04)
		return 1;
	put_text(out->product, sizeof(out->product), v.p, v.n);
	{
		size_t k = strlen(out->info);
		if (k + 14 < sizeof(out->info)) {
			memcpy(out->info + k, "; sysDescr: ", 13);
			put_text(out->info + k + 12, sizeof(out->info) - k - 12,
			         v.p, v.n);
		}
	}
	return 1;
}

/* NTP (RFC 5905): a version 4 client request. */

static const uint8_t p_ntp[48] = {0xe3};

static int parse_ntp(const struct cx_udp_probe *pr, const uint8_t *d, size_t n,
                     struct cx_udp_reply *out)
{
	unsigned mode, ver;

	if (n < 48)
		return 0;
	mode = d[0] & 7;
	ver = (d[0] >> 3) & 7;
	if (mode != 4 || ver < 1 || ver > 4)
		return 0;
	out->service = pr->service;
	snprintf(out->info, sizeof(out->info), "NTPv%u server, stratum %u", ver,
	         (unsigned)d[1]);
	return 1;
}

/*
 * NTP mode 7 (ntpd's private "implementation-specific" mode): the
 * MON_GETLIST_1 request (monlist), header only: version 2, mode 7,
 * implementation 3 (XNTPD), request code 42.  A reply has the response
 * bit, mode 7, the same implementation and request code; err (4 bits)
 * and the number of items (12 bits), then the item size; the "more" bit
 * says further datagrams follow.  The bytes announced must be in the
 * datagram.
 */

static const uint8_t p_ntp_monlist[8] = {0x17, 0x00, 0x03, 0x2a};

static int parse_ntp_mode7(const struct cx_udp_probe *pr, const uint8_t *d,
                           size_t n, struct cx_udp_reply *out)
{
	unsigned ver, err, items, size;

	if (n < 8 || !(d[0] & 0x80) || (d[0] & 7) != 7)
		return 0;
	ver = (d[0] >> 3) & 7;
	if (ver < 1 || ver > 4 || d[2] != pr->payload[2] ||
	    d[3] != pr->payload[3])
		return 0;
	err = d[4] >> 4;
	items = (unsigned)(d[4] & 0x0f) << 8 | d[5];
	size = (unsigned)(d[6] & 0x0f) << 8 | d[7];
	if (err == 0 && (size_t)items * size > n - 8)
		return 0; /* announces more than it carries */
	out->service = pr->service;
	out->ntp_mode7 = 1;
	if (err != 0) {
		snprintf(out->info, sizeof(out->info),
		         "NTP mode 7 answered monlist with error %u", err);
		return 1;
	}
	out->ntp_items = items;
	snprintf(out->info, sizeof(out->info),
	         "NTP mode 7 monlist: %u entr%s of %u bytes in %zu bytes%s",
	         items, items == 1 ? "y" : "ies", size, n,
	         (d[0] & 0x40) ? ", more datagrams follow" : "");
	return 1;
}

/* IPMI over RMCP: Get Channel Authentication Capabilities (IPMI 2.0). */

static const uint8_t p_ipmi[] = {0x06, 0x00, 0xff, 0x07, 0x00, 0x00, 0x00, 0x00,
                                 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x20, 0x18,
                                 0xc8, 0x81, 0x00, 0x38, 0x8e, 0x04, 0xb5};

static int parse_ipmi(const struct cx_udp_probe *pr, const uint8_t *d, size_t n,
                      struct cx_udp_reply *out)
{
	/* RMCP header (4), session header (10), message: rsAddr, netFn,
	 * checksum, rqAddr, seq, command, completion code, ...; a response
	 * has an odd network function (bit 2 of byte 15). */
	if (n < 21 || d[0] != 0x06 || d[2] != 0xff || (d[3] & 0x1f) != 0x07 ||
	    !(d[15] & 0x04))
		return 0;
	out->service = pr->service;
	if (n >= 23 && d[19] == 0x38 && d[20] == 0x00)
		snprintf(out->info, sizeof(out->info),
		         "IPMI channel authentication capabilities%s",
		         (d[22] & 0x80) ? " (IPMI 2.0)" : "");
	else
		snprintf(out->info, sizeof(out->info),
		         "IPMI answered (completion code 0x%02x)",
		         (unsigned)d[20]);
	return 1;
}

/* SSDP (UPnP device architecture): M-SEARCH. */

static const uint8_t p_ssdp[] = "M-SEARCH * HTTP/1.1\r\n"
                                "HOST: 239.255.255.250:1900\r\n"
                                "MAN: \"ssdp:discover\"\r\n"
                                "MX: 1\r\n"
                                "ST: ssdp:all\r\n\r\n";

static int parse_ssdp(const struct cx_udp_probe *pr, const uint8_t *d, size_t n,
                      struct cx_udp_reply *out)
{
	size_t i, j;

	if (n < 12 || memcmp(d, "HTTP/1.", 7) != 0)
		return 0;
	out->service = pr->service;
	snprintf(out->info, sizeof(out->info), "SSDP answered M-SEARCH");
	/* The SERVER header, if any: a line starting "server:". */
	for (i = 0; i + 8 < n; i++) {
		if ((i == 0 || d[i - 1] == '\n') && (d[i] | 0x20) == 's' &&
		    (d[i + 1] | 0x20) == 'e' && (d[i + 2] | 0x20) == 'r' &&
		    (d[i + 3] | 0x20) == 'v' && (d[i + 4] | 0x20) == 'e' &&
		    (d[i + 5] | 0x20) == 'r' && d[i + 6] == ':') {
			i += 7;
			while (i < n && d[i] == ' ')
				i++;
			for (j = i; j < n && d[j] != '\r' && d[j] != '\n'; j++)
				;
			put_text(out->product, sizeof(out->product), d + i,
			         j - i);
			break;
		}
	}
	return 1;
}

/* TFTP (RFC 1350): a read request for a file that should not exist. */

static const uint8_t p_tftp[] = {0x00, 0x01, 'c', 'e', 'r', 't', 'e', 'x',
                                 'a',  'm',  '-', 'p', 'r', 'o', 'b', 'e',
                                 0x00, 'o',  'c', 't', 'e', 't', 0x00};

static int parse_tftp(const struct cx_udp_probe *pr, const uint8_t *d, size_t n,
                      struct cx_udp_reply *out)
{
	unsigned op;

	if (n < 4)
		return 0;
	op = rd16(d);
	if (op != 3 && op != 5)
		return 0;
	out->service = pr->service;
	if (op == 3) {
		snprintf(out->info, sizeof(out->info),
		         "TFTP served a file that should not exist");
	} else {
		char msg[96];
		size_t k = 4;

		while (k < n && d[k] != 0)
			k++;
		put_text(msg, sizeof(msg), d + 4, k - 4);
		snprintf(out->info, sizeof(out->info), "TFTP error %u: %s",
		         rd16(d + 2), msg);
	}
	return 1;
}

/* NetBIOS name service (RFC 1002): NBSTAT query for "*". */

static const uint8_t p_nbns[] = {
    0x43, 0x58, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x20, 'C',  'K',  'A',  'A',  'A',  'A',  'A',
    'A',  'A',  'A',  'A',  'A',  'A',  'A',  'A',  'A',  'A',
    'A',  'A',  'A',  'A',  'A',  'A',  'A',  'A',  'A',  'A',
    'A',  'A',  'A',  'A',  'A',  0x00, 0x00, 0x21, 0x00, 0x01};

static int parse_nbns(const struct cx_udp_probe *pr, const uint8_t *d, size_t n,
                      struct cx_udp_reply *out)
{
	size_t off = 12;
	unsigned names;

	if (n < 12 || rd16(d) != DNS_ID || !(d[2] & 0x80))
		return 0;
	out->service = pr->service;
	snprintf(out->info, sizeof(out->info), "NetBIOS name service");
	if (rd16(d + 6) == 0)
		return 1;
	/* The answer's name: labels or a pointer. */
	while (off < n && d[off] != 0 && (d[off] & 0xc0) == 0)
		off += (size_t)d[off] + 1;
	if (off < n && (d[off] & 0xc0) == 0xc0)
		off += 2;
	else
		off += 1;
	/* type, class, ttl, rdlength, then the name count. */
	if (off + 11 > n || rd16(d + off) != 0x21)
		return 1;
	off += 10;
	names = d[off++];
	if (names > 0 && off + 18 <= n) {
		put_text(out->product, sizeof(out->product), d + off, 15);
		snprintf(out->info, sizeof(out->info),
		         "NetBIOS name service: %u name(s), first %s", names,
		         out->product);
	}
	return 1;
}

/* CLDAP (RFC 4511 over UDP): search the root DSE. */

static const uint8_t p_cldap[] = {
    0x30, 0x25, 0x02, 0x01, 0x01, 0x63, 0x20, 0x04, 0x00, 0x0a,
    0x01, 0x00, 0x0a, 0x01, 0x00, 0x02, 0x01, 0x00, 0x02, 0x01,
    0x00, 0x01, 0x01, 0x00, 0x87, 0x0b, 'o',  'b',  'j',  'e',
    'c',  't',  'c',  'l',  'a',  's',  's',  0x30, 0x00};

static int parse_cldap(const struct cx_udp_probe *pr, const uint8_t *d,
                       size_t n, struct cx_udp_reply *out)
{
	struct ber b = {d, n}, msg, v;
	unsigned tag;
	long id;

	if (ber_next(&b, &tag, &msg) || tag != 0x30)
		return 0;
	if (ber_next(&msg, &tag, &v) || tag != 0x02 || ber_int(&v, &id) ||
	    id != 1)
		return 0;
	if (ber_next(&msg, &tag, &v) || (tag != 0x64 && tag != 0x65))
		return 0;
	out->service = pr->service;
	snprintf(out->info, sizeof(out->info),
	         "LDAP over UDP answered a root DSE search (%s)",
	         tag == 0x64 ? "entry" : "done");
	return 1;
}

/* memcached (protocol.txt, UDP frame header + "stats"). */

static const uint8_t p_memcached[] = {0x43, 0x58, 0x00, 0x00, 0x00,
                                      0x01, 0x00, 0x00, 's',  't',
                                      'a',  't',  's',  '\r', '\n'};

static int parse_memcached(const struct cx_udp_probe *pr, const uint8_t *d,
                           size_t n, struct cx_udp_reply *out)
{
	size_t i, j;

	if (n < 13 || rd16(d) != 0x4358 || memcmp(d + 8, "STAT ", 5) != 0)
		return 0;
	out->service = pr->service;
	snprintf(out->info, sizeof(out->info), "memcached answered 'stats'");
	for (i = 8; i + 13 < n; i++) {
		if (memcmp(d + i, "STAT version ", 13) != 0)
			continue;
		i += 13;
		for (j = i; j < n && d[j] != '\r' && d[j] != '\n'; j++)
			;
		memcpy(out->product, "memcached ", 10);
		put_text(out->product + 10, sizeof(out->product) - 10, d + i,
		         j - i);
		break;
	}
	return 1;
}

/* chargen (RFC 864) and echo (RFC 862). */

static const uint8_t p_chargen[] = {'\r', '\n'};
static const uint8_t p_echo[] = "certexam-echo-probe";

static int parse_chargen(const struct cx_udp_probe *pr, const uint8_t *d,
                         size_t n, struct cx_udp_reply *out)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if ((d[i] < 0x20 || d[i] >= 0x7f) && d[i] != '\r' &&
		    d[i] != '\n')
			return 0;
	out->service = pr->service;
	snprintf(out->info, sizeof(out->info),
	         "chargen answered %zu byte(s) to %zu", n, pr->len);
	return 1;
}

static int parse_echo(const struct cx_udp_probe *pr, const uint8_t *d, size_t n,
                      struct cx_udp_reply *out)
{
	if (n != pr->len || memcmp(d, pr->payload, n) != 0)
		return 0;
	out->service = pr->service;
	snprintf(out->info, sizeof(out->info), "echo reflected the datagram");
	return 1;
}

#define P(port, svc, name, payload, len, amp, parse)                           \
	{                                                                      \
		port, svc, name, payload, len, amp, parse, 0                   \
	}
/* A second probe of its port (struct cx_udp_probe.second). */
#define P2(port, svc, name, payload, len, amp, parse)                          \
	{                                                                      \
		port, svc, name, payload, len, amp, parse, 1                   \
	}

static const struct cx_udp_probe probes[] = {
    P(7, "echo", "echo", p_echo, sizeof(p_echo) - 1, 1, parse_echo),
    P(19, "chargen", "chargen", p_chargen, sizeof(p_chargen), 1, parse_chargen),
    P(53, "dns", "dns-recursive-root-ns", p_dns, sizeof(p_dns), 1, parse_dns),
    P(69, "tftp", "tftp-rrq", p_tftp, sizeof(p_tftp), 0, parse_tftp),
    P(123, "ntp", "ntp-client", p_ntp, sizeof(p_ntp), 1, parse_ntp),
    P2(123, "ntp", "ntp-monlist", p_ntp_monlist, sizeof(p_ntp_monlist), 1,
       parse_ntp_mode7),
    P(137, "netbios-ns", "nbstat", p_nbns, sizeof(p_nbns), 1, parse_nbns),
    P(161, "snmp", "snmp-v1-public", p_snmp1, sizeof(p_snmp1), 1, parse_snmp),
    P(161, "snmp", "snmp-v2c-public", p_snmp2, sizeof(p_snmp2), 1, parse_snmp),
    P2(161, "snmp", "snmp-v2c-private", p_snmp2_private,
       sizeof(p_snmp2_private), 1, parse_snmp),
    P(389, "cldap", "cldap-rootdse", p_cldap, sizeof(p_cldap), 1, parse_cldap),
    P(623, "ipmi", "ipmi-auth-caps", p_ipmi, sizeof(p_ipmi), 0, parse_ipmi),
    P(1900, "ssdp", "ssdp-msearch", p_ssdp, sizeof(p_ssdp) - 1, 1, parse_ssdp),
    P(5353, "mdns", "mdns-services", p_mdns, sizeof(p_mdns), 1, parse_dns),
    P(11211, "memcached", "memcached-stats", p_memcached, sizeof(p_memcached),
      1, parse_memcached),
};

const struct cx_udp_probe *cx_udp_probes(size_t *n)
{
	*n = sizeof(probes) / sizeof(probes[0]);
	return probes;
}

int cx_udp_parse(const struct cx_udp_probe *pr, const uint8_t *data, size_t len,
                 struct cx_udp_reply *out)
{
	memset(out, 0, sizeof(*out));
	if (pr == NULL || pr->parse == NULL || (data == NULL && len > 0))
		return 0;
	if (!pr->parse(pr, data, len, out)) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	out->amplifier = pr->amplifier;
	return 1;
}

const char *cx_udp_default_ports(void)
{
	return "7,19,53,69,123,137,161,389,623,1900,5353,11211";
}
