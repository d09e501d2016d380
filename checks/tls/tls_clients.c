/*
 * certexam — client simulation: which common clients could connect to an
 * endpoint and with what.  Each client is described by what its
 * ClientHello offers in its default configuration: the protocol versions,
 * the cipher suites in its order, the groups and the signature algorithms.
 * The descriptions are this project's, written from the vendors' public
 * documentation of their defaults (not captured handshakes): they are
 * close to the real hellos, not byte-identical.  One hand-built hello per
 * client (tls_hello.c) is sent in parallel with the other probes; the
 * ServerHello (or HelloRetryRequest: TLS 1.3 hellos carry no key share)
 * says the protocol, suite and group the client would get, an alert, a
 * version outside the client's range or a DHE prime below the client's
 * minimum that it could not connect.  Other client-side limits (RSA key
 * size, certificate checks) are not simulated.  The
 * result is an observation, never a finding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tls_conn.h"

#define V13 TLS_V_TLS13
#define V12 TLS_V_TLS12
#define V11 TLS_V_TLS11
#define V10 TLS_V_TLS10

struct sim_client {
	const char *name;
	uint16_t min, max; /* protocol versions it accepts */
	const uint16_t *suites;
	size_t n_suites;
	const uint16_t *groups;
	size_t n_groups;
	const uint16_t *sigalgs;
	size_t n_sigalgs;
	int min_dh; /* smallest DHE prime it accepts, bits */
};

#define L(a) a, CX_ARRAY_LEN(a)

/* Browsers (current versions, 2024-2026 defaults). */
static const uint16_t chrome_s[] = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f,
                                    0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013,
                                    0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
static const uint16_t chrome_g[] = {29, 23, 24};
static const uint16_t chrome_a[] = {0x0403, 0x0804, 0x0401, 0x0503,
                                    0x0805, 0x0501, 0x0806, 0x0601};
static const uint16_t firefox_s[] = {
    0x1301, 0x1303, 0x1302, 0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc02c, 0xc030,
    0xc00a, 0xc009, 0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
static const uint16_t firefox_g[] = {29, 23, 24, 25, 256, 257};
static const uint16_t firefox_a[] = {0x0403, 0x0503, 0x0603, 0x0804,
                                     0x0805, 0x0806, 0x0401, 0x0501,
                                     0x0601, 0x0203, 0x0201};
static const uint16_t safari_s[] = {0x1301, 0x1302, 0x1303, 0xc02c, 0xc02b,
                                    0xcca9, 0xc030, 0xc02f, 0xcca8, 0xc00a,
                                    0xc009, 0xc014, 0xc013, 0x009d, 0x009c,
                                    0x0035, 0x002f, 0xc008, 0xc012, 0x000a};
static const uint16_t safari_g[] = {29, 23, 24, 25};
static const uint16_t safari_a[] = {0x0403, 0x0804, 0x0401, 0x0503, 0x0203,
                                    0x0805, 0x0501, 0x0806, 0x0601, 0x0201};
/* Java (SunJSSE defaults of the JDK release). */
static const uint16_t java8_s[] = {
    0xc02c, 0xc02b, 0xc030, 0x009d, 0xc02e, 0xc032, 0x009f, 0x00a3, 0xc02f,
    0x009c, 0xc02d, 0xc031, 0x009e, 0x00a2, 0xc024, 0xc028, 0x003d, 0xc026,
    0xc02a, 0x006b, 0x006a, 0xc00a, 0xc014, 0x0035, 0xc005, 0xc00f, 0x0039,
    0x0038, 0xc023, 0xc027, 0x003c, 0xc025, 0xc029, 0x0067, 0x0040, 0xc009,
    0xc013, 0x002f, 0xc004, 0xc00e, 0x0033, 0x0032, 0x00ff};
static const uint16_t java8_g[] = {23, 24, 25, 256, 257, 258, 259, 260};
static const uint16_t java8_a[] = {0x0603, 0x0601, 0x0503, 0x0501,
                                   0x0403, 0x0401, 0x0303, 0x0301,
                                   0x0203, 0x0201, 0x0402, 0x0202};
static const uint16_t java11_s[] = {
    0x1302, 0x1301, 0xc02c, 0xc02b, 0xc030, 0x009f, 0xc02f, 0x009e, 0xc024,
    0xc028, 0x006b, 0xc023, 0xc027, 0x0067, 0xc00a, 0xc014, 0x0039, 0xc009,
    0xc013, 0x0033, 0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x00ff};
static const uint16_t java17_s[] = {
    0x1302, 0x1301, 0x1303, 0xc02c, 0xc02b, 0xcca9, 0xc030, 0xcca8,
    0xc02f, 0x009f, 0xccaa, 0x009e, 0xc024, 0xc028, 0xc023, 0xc027,
    0x006b, 0x0067, 0xc00a, 0xc014, 0xc009, 0xc013, 0x009d, 0x009c,
    0x003d, 0x003c, 0x0035, 0x002f, 0x00ff};
static const uint16_t java11_g[] = {29,  30,  23,  24,  25,
                                    256, 257, 258, 259, 260};
static const uint16_t java11_a[] = {0x0403, 0x0503, 0x0603, 0x0804, 0x0805,
                                    0x0806, 0x0809, 0x080a, 0x080b, 0x0401,
                                    0x0501, 0x0601, 0x0203, 0x0201};
/* OpenSSL clients (curl, wget, Python ...) with the library's DEFAULT. */
static const uint16_t ossl102_s[] = {
    0xc030, 0xc02c, 0xc028, 0xc024, 0xc014, 0xc00a, 0x00a3, 0x009f, 0x006b,
    0x006a, 0x0039, 0x0038, 0x0088, 0x0087, 0xc032, 0xc02e, 0xc02a, 0xc026,
    0xc00f, 0xc005, 0x009d, 0x003d, 0x0035, 0x0084, 0xc02f, 0xc02b, 0xc027,
    0xc023, 0xc013, 0xc009, 0x00a2, 0x009e, 0x0067, 0x0040, 0x0033, 0x0032,
    0x009a, 0x0099, 0x0045, 0x0044, 0xc031, 0xc02d, 0xc029, 0xc025, 0xc00e,
    0xc004, 0x009c, 0x003c, 0x002f, 0x0096, 0x0041, 0xc012, 0xc008, 0x0016,
    0x0013, 0xc00d, 0xc003, 0x000a, 0x0007, 0xc011, 0xc007, 0xc00c, 0xc002,
    0x0005, 0x0004, 0x00ff};
static const uint16_t ossl102_g[] = {23, 25, 28, 27, 24, 26, 22,
                                     14, 13, 11, 12, 9,  10};
static const uint16_t ossl102_a[] = {
    0x0601, 0x0602, 0x0603, 0x0501, 0x0502, 0x0503, 0x0401, 0x0402,
    0x0403, 0x0301, 0x0302, 0x0303, 0x0201, 0x0202, 0x0203, 0x0101};
static const uint16_t ossl111_s[] = {
    0x1302, 0x1303, 0x1301, 0xc02c, 0xc030, 0x009f, 0xcca9, 0xcca8,
    0xccaa, 0xc02b, 0xc02f, 0x009e, 0xc024, 0xc028, 0x006b, 0xc023,
    0xc027, 0x0067, 0xc00a, 0xc014, 0x0039, 0xc009, 0xc013, 0x0033,
    0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x00ff};
static const uint16_t ossl111_g[] = {29, 23, 30, 25, 24};
static const uint16_t ossl3_g[] = {29, 23, 30, 25, 24, 256, 257, 258, 259, 260};
static const uint16_t ossl111_a[] = {
    0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a,
    0x080b, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601,
    0x0303, 0x0203, 0x0301, 0x0201, 0x0402, 0x0502, 0x0602};
/* Windows Schannel (curl, .NET, Edge legacy ...). */
static const uint16_t schannel10_s[] = {
    0xc02c, 0xc02b, 0xc030, 0xc02f, 0x009f, 0x009e, 0xc024,
    0xc023, 0xc028, 0xc027, 0xc00a, 0xc009, 0xc014, 0xc013,
    0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x000a};
static const uint16_t schannel11_s[] = {0x1302, 0x1301, 0xc02c, 0xc02b, 0xc030,
                                        0xc02f, 0xc024, 0xc023, 0xc028, 0xc027,
                                        0xc00a, 0xc009, 0xc014, 0xc013, 0x009d,
                                        0x009c, 0x003d, 0x003c, 0x0035, 0x002f};
static const uint16_t schannel_g[] = {29, 23, 24};
static const uint16_t schannel_a[] = {0x0804, 0x0805, 0x0806, 0x0401,
                                      0x0501, 0x0201, 0x0403, 0x0503,
                                      0x0203, 0x0202, 0x0601, 0x0603};
static const uint16_t ie11w7_s[] = {
    0xc028, 0xc027, 0xc014, 0xc013, 0x009f, 0x009e, 0x0039, 0x0033, 0x009d,
    0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0xc02c, 0xc02b, 0xc024, 0xc023,
    0xc00a, 0xc009, 0x006a, 0x0040, 0x0038, 0x0032, 0x000a, 0x0013};
static const uint16_t ie11w7_g[] = {23, 24};
static const uint16_t ie11w7_a[] = {0x0401, 0x0501, 0x0201, 0x0403,
                                    0x0503, 0x0203, 0x0402, 0x0202};

static const struct sim_client clients[] = {
    {"Chrome 120+", V12, V13, L(chrome_s), L(chrome_g), L(chrome_a), 1024},
    {"Firefox 120+", V12, V13, L(firefox_s), L(firefox_g), L(firefox_a), 1024},
    {"Safari 17", V12, V13, L(safari_s), L(safari_g), L(safari_a), 1024},
    {"Java 8u291+", V12, V12, L(java8_s), L(java8_g), L(java8_a), 1024},
    {"Java 11", V12, V13, L(java11_s), L(java11_g), L(java11_a), 1024},
    {"Java 17", V12, V13, L(java17_s), L(java11_g), L(java11_a), 1024},
    {"OpenSSL 1.0.2", V10, V12, L(ossl102_s), L(ossl102_g), L(ossl102_a), 768},
    {"OpenSSL 1.1.1", V10, V13, L(ossl111_s), L(ossl111_g), L(ossl111_a), 1024},
    {"OpenSSL 3.x", V12, V13, L(ossl111_s), L(ossl3_g), L(ossl111_a), 2048},
    {"curl, Windows 10 Schannel", V10, V12, L(schannel10_s), L(schannel_g),
     L(schannel_a), 1024},
    {"curl, Windows 11 Schannel", V12, V13, L(schannel11_s), L(schannel_g),
     L(schannel_a), 1024},
    {"IE 11, Windows 7", V10, V12, L(ie11w7_s), L(ie11w7_g), L(ie11w7_a), 1024},
};

size_t tls_sim_count(void)
{
	return CX_ARRAY_LEN(clients);
}

const char *tls_sim_name(size_t i)
{
	return i < CX_ARRAY_LEN(clients) ? clients[i].name : NULL;
}

int tls_sim_start(struct tls_ep *ep)
{
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(clients) && i < TLS_MAX_SIM; i++) {
		const struct sim_client *k = &clients[i];
		struct tls_hello_opts o;
		struct tls_conn *c = tls_conn_new(ep, K_RAW, P_SIM, -1);
		int rc;

		if (c == NULL)
			return CX_ENOMEM;
		memset(&o, 0, sizeof(o));
		o.version = k->max >= V12 ? V12 : k->max;
		o.tls13 = k->max >= V13;
		o.versions_min = k->min;
		o.suites = k->suites;
		o.n_suites = k->n_suites;
		o.groups = k->groups;
		o.n_groups = k->n_groups;
		o.sigalgs = k->sigalgs;
		o.n_sigalgs = k->n_sigalgs;
		o.sni = ep->sni;
		o.status_request = 1;
		rc = tls_build_hello(&c->out, &o);
		if (rc == CX_OK) {
			c->offered = malloc(k->n_suites * sizeof(*c->offered));
			if (c->offered == NULL)
				rc = CX_ENOMEM;
			else
				memcpy(c->offered, k->suites,
				       k->n_suites * sizeof(*k->suites));
			c->n_offered = k->n_suites;
		}
		if (rc != CX_OK) {
			ep->scan->err = rc;
			tls_conn_free(c);
			return rc;
		}
		c->variant = (int)i;
		tls_conn_enqueue(c);
	}
	return CX_OK;
}

void tls_sim_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	const struct tls_resp *r = &c->resp;
	const struct sim_client *k;
	struct tls_sim *out;
	const struct tls_suite *s;
	size_t j;
	int pi;

	if (c->variant < 0 || (size_t)c->variant >= CX_ARRAY_LEN(clients) ||
	    (size_t)c->variant >= TLS_MAX_SIM)
		return;
	k = &clients[c->variant];
	out = &ep->sim[c->variant];
	if (!r->server_hello) {
		out->state = TLS_NO;
		/* an alert's name, or the error as received (an errno
		 * name, OpenSSL's report), never words of ours */
		tls_setf(out->result, sizeof(out->result), "no connection (%s)",
		         r->alert           ? tls_alert_name(r->alert_desc)
		         : c->err.detail[0] ? c->err.detail
		                            : "no ServerHello");
		if (!r->alert && c->end != E_DONE && c->end != E_BAD &&
		    c->end != E_CLOSED)
			out->state = TLS_UNK; /* timeout or lost */
		return;
	}
	for (j = 0; j < c->n_offered; j++)
		if (c->offered[j] == r->suite)
			break;
	pi = tls_proto_index(r->version);
	if (r->version < k->min || r->version > k->max || pi < 0) {
		out->state = TLS_NO;
		tls_setf(out->result, sizeof(out->result),
		         "no connection (server chose %s, outside %s-%s)",
		         pi >= 0 ? tls_proto_name(pi) : "an unknown version",
		         tls_proto_name(tls_proto_index(k->min)),
		         tls_proto_name(tls_proto_index(k->max)));
		return;
	}
	if (j == c->n_offered) {
		out->state = TLS_NO;
		tls_setf(out->result, sizeof(out->result),
		         "no connection (server chose suite 0x%04x, not "
		         "offered)",
		         (unsigned)r->suite);
		return;
	}
	if (r->dh_bits > 0 && r->dh_bits < k->min_dh) {
		out->state = TLS_NO;
		tls_setf(out->result, sizeof(out->result),
		         "no connection (DH prime of %d bits, the client "
		         "needs %d)",
		         r->dh_bits, k->min_dh);
		return;
	}
	s = tls_suite_find(r->suite);
	out->state = TLS_YES;
	{
		uint16_t g =
		    r->hrr || r->version == V13 ? r->group : r->ske_group;
		const char *gn = g ? tls_group_name(g) : NULL;
		tls_setf(out->result, sizeof(out->result), "%s %s%s%s",
		         tls_proto_name(pi), s ? s->name : "unknown suite",
		         gn ? " " : "", gn ? gn : "");
	}
}
