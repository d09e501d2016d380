/*
 * certexam — UDP probes and reply parsers (engine-internal API).
 *
 * A table of protocol payloads that make UDP services answer (DNS, SNMP
 * v1/v2c with community "public" and v2c with "private", NTP client and
 * mode 7 monlist requests, IPMI/RMCP, SSDP, TFTP, NetBIOS-NS, mDNS,
 * CLDAP, memcached, chargen, echo), each with a parser that says
 * whether a reply is that protocol and what it tells.  Every parser is
 * length-checked: the reply is hostile bytes.  Text taken from a reply is
 * printable ASCII only (anything else becomes '.'), bounded and
 * NUL-terminated.
 */
#ifndef CX_UDP_PROTO_H
#define CX_UDP_PROTO_H

#include <stddef.h>
#include <stdint.h>

/* What one reply says. */
struct cx_udp_reply {
	const char *service;     /* "dns", "snmp", ... (static) */
	char product[64];        /* "" when unknown */
	char info[192];          /* what the reply told, readable */
	int snmp_version;        /* 1 or 2 (v2c) when SNMP answered */
	int snmp_public;         /* SNMP answered community "public" */
	char snmp_community[16]; /* the community SNMP answered, or "" */
	int ntp_mode7;           /* NTP answered a mode 7 (monlist) request */
	unsigned ntp_items;      /* monlist entries in that datagram */
	int dns_recursion;       /* a resolver answered a recursive query */
	int amplifier; /* a reflection / amplification-prone service */
};

struct cx_udp_probe {
	uint16_t port;
	const char *service;
	const char *name; /* probe name ("snmp-v1-public") */
	const uint8_t *payload;
	size_t len;
	int amplifier; /* the service is known for amplification */
	/* 1 if data is this protocol (fills out), 0 if not. */
	int (*parse)(const struct cx_udp_probe *pr, const uint8_t *data,
	             size_t len, struct cx_udp_reply *out);
	/*
	 * A second probe of its port: it is not stopped when another probe's
	 * reply has decided the port, and its own reply is recorded as an
	 * observation of its own (monlist beside the client request, the
	 * community "private" beside "public").
	 */
	int second;
};

/* The probes, in port order; n through *n. */
const struct cx_udp_probe *cx_udp_probes(size_t *n);

/*
 * Parse a reply to probe pr (never NULL).  Returns 1 and fills out when
 * the reply is the expected protocol, else 0 with out->service NULL.
 */
int cx_udp_parse(const struct cx_udp_probe *pr, const uint8_t *data, size_t len,
                 struct cx_udp_reply *out);

/* The default UDP ports: every port of the table, as a spec "7,19,...". */
const char *cx_udp_default_ports(void);

#endif
