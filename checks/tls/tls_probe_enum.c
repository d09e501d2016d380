/*
 * certexam — the enumeration probes of a TLS endpoint read back: which
 * protocols are accepted and which suites per protocol in the server's
 * order (a chain of hellos, each without the suite chosen before), the
 * server's own preference, the key-exchange groups (TLS 1.3 via
 * HelloRetryRequest or TLS 1.2 via ServerKeyExchange) and the DHE prime
 * sizes, the certificate of a raw handshake, and the raw ServerHello kept
 * as evidence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "tls_conn.h"

/* Keep the raw bytes of the first ServerHello flight as evidence. */
static void add_dh_named(struct tls_ep *ep, const struct tls_dh_group *g);

/* Name the DHE prime of r if it is a published one (tls_dh_groups.c). */
static void note_dh_prime(struct tls_ep *ep, const struct tls_resp *r)
{
	const struct tls_dh_group *g;

	if (r->dh_p_len == 0 || r->hs == NULL)
		return;
	g = tls_dh_group_find(r->hs + r->dh_p_off, r->dh_p_len);
	if (g == NULL) {
		ep->dh_unnamed++;
		return;
	}
	add_dh_named(ep, g);
}

static void add_dh_named(struct tls_ep *ep, const struct tls_dh_group *g)
{
	size_t i;

	for (i = 0; i < ep->n_dh_named; i++)
		if (ep->dh_named[i] == g)
			return;
	if (ep->n_dh_named < CX_ARRAY_LEN(ep->dh_named))
		ep->dh_named[ep->n_dh_named++] = g;
}

static void keep_evidence(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	size_t n = c->resp.sh_end ? c->resp.sh_end : c->in.len;

	if (ep->sh_raw.len > 0 && ep->sh_raw_proto >= c->proto)
		return;
	if (c->ssl2)
		n = c->in.len;
	ep->sh_raw.len = 0;
	if (cx_buf_append(&ep->sh_raw, c->in.data, n) == 0)
		ep->sh_raw_proto = c->proto;
}

static int has_suite(const struct tls_ep *ep, int proto, uint32_t code)
{
	size_t i;

	for (i = 0; i < ep->n_suites[proto]; i++)
		if (ep->suites[proto][i] == code)
			return 1;
	return 0;
}

static void add_group(struct tls_ep *ep, uint16_t g)
{
	size_t i;
	int bits = tls_group_bits(g);

	for (i = 0; i < ep->n_groups; i++)
		if (ep->groups[i] == g)
			return;
	if (ep->n_groups < TLS_MAX_GROUPS)
		ep->groups[ep->n_groups++] = g;
	if (g >= 256 && g <= 260) {
		const struct tls_dh_group *dg = tls_dh_group_ffdhe(g);
		if (dg != NULL)
			add_dh_named(ep, dg);
		if (ep->dh_min == 0 || bits < ep->dh_min)
			ep->dh_min = bits;
		if (bits > ep->dh_max)
			ep->dh_max = bits;
	} else if (bits > 0 && (ep->ecdh_min == 0 || bits < ep->ecdh_min)) {
		ep->ecdh_min = bits;
	}
}

static void raw_chain_cert(struct tls_ep *ep, const struct tls_resp *r)
{
	size_t i;
	const unsigned char *p;
	X509 *x;

	if (ep->chain != NULL || r->n_certs == 0)
		return;
	ep->chain = sk_X509_new_null();
	if (ep->chain == NULL)
		return;
	for (i = 0; i < r->n_certs; i++) {
		p = r->hs + r->cert_off[i];
		x = d2i_X509(NULL, &p, (long)r->cert_len[i]);
		if (x == NULL)
			break;
		if (!sk_X509_push(ep->chain, x)) {
			X509_free(x);
			break;
		}
	}
	ep->chain_src = 2;
}

/* A chain step answered: record the suite, ask again without it. */
void tls_chain_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	const struct tls_resp *r = &c->resp;
	int i = c->proto, accepted = 0;
	uint16_t next[TLS_MAX_SUITES];
	size_t j, n = 0;
	size_t k;

	if (c->end == E_DONE && r->server_hello && !r->hrr && i == 0 &&
	    r->is_ssl2 && r->n_ssl2_specs > 0)
		accepted = 1;
	else if ((c->end == E_DONE || c->end == E_CLOSED ||
	          c->end == E_TIMEOUT) &&
	         r->server_hello && tls_proto_index(r->version) == i && i > 0)
		accepted = 1; /* a parsed ServerHello is enough, even when the
		                 rest of the flight was cut off or too large */
	if (c->end == E_DONE || c->end == E_BAD || c->end == E_CLOSED)
		ep->is_tls = ep->is_tls || c->end == E_DONE;
	if (!accepted) {
		if (ep->proto[i] == TLS_UNK) {
			ep->proto[i] = TLS_NO;
			if (c->end == E_DONE && r->alert)
				tls_note_set(&ep->proto_nid[i],
				             "tls.proto.refused-alert", "%s",
				             tls_alert_name(r->alert_desc));
			else if (c->end == E_DONE && r->server_hello)
				tls_note_set(&ep->proto_nid[i],
				             "tls.proto.refused-version",
				             "0x%04x", r->version);
			else if (c->end == E_CONNFAIL || c->end == E_ERROR) {
				/* not determined: the reason is kept */
				ep->proto[i] = TLS_UNK;
				tls_conn_why(c, &ep->proto_why[i]);
			} else
				tls_note_set(
				    &ep->proto_nid[i],
				    c->end == E_TIMEOUT
				        ? "tls.proto.refused-silent"
				    : c->end == E_BAD
				        ? "tls.proto.refused-unreadable"
				        : "tls.proto.refused-closed",
				    "%s", "");
		}
		return;
	}
	ep->proto[i] = TLS_YES;
	keep_evidence(c);
	if (i == 0) {
		for (k = 0; k < r->n_ssl2_specs && k < TLS_MAX_SUITES; k++)
			ep->suites[0][ep->n_suites[0]++] =
			    0x1000000u | r->ssl2_specs[k];
		raw_chain_cert(ep, r);
		return;
	}
	if (i < 5) {
		if (r->reneg_info && ep->reneg_secure != TLS_YES)
			ep->reneg_secure = TLS_YES;
		else if (ep->reneg_secure == TLS_UNK && i >= 2)
			ep->reneg_secure = TLS_NO;
		if (r->heartbeat)
			ep->heartbeat_ext = TLS_YES;
		raw_chain_cert(ep, r);
		if (r->dh_bits > 0) {
			if (ep->dh_min == 0 || r->dh_bits < ep->dh_min)
				ep->dh_min = r->dh_bits;
			if (r->dh_bits > ep->dh_max)
				ep->dh_max = r->dh_bits;
			note_dh_prime(ep, r);
		}
		if (r->ske_group != 0)
			add_group(ep, r->ske_group);
	}
	if (has_suite(ep, i, r->suite) || ep->n_suites[i] >= TLS_MAX_SUITES) {
		ep->suites_truncated[i] = 1;
		return;
	}
	/* The server must pick one of what we offered. */
	for (j = 0; j < c->n_offered; j++)
		if (c->offered[j] == r->suite)
			break;
	if (j == c->n_offered) {
		tls_note_set(&ep->proto_why[i], "tls.why.suite-not-offered",
		             "0x%04x", (unsigned)r->suite);
		ep->suites_truncated[i] = 1;
		return;
	}
	ep->suites[i][ep->n_suites[i]++] = r->suite;
	for (j = 0; j < c->n_offered; j++)
		if (c->offered[j] != r->suite && c->offered[j] != 0x00ff)
			next[n++] = c->offered[j];
	if (n == 0)
		return;
	if (i == 1)
		next[n++] = 0x00ff;
	tls_raw_probe(ep, P_CHAIN, i, next, n, NULL, 0, 0);
}

void tls_group_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	const struct tls_resp *r = &c->resp;
	uint16_t g = 0, next[TLS_MAX_GROUPS];
	uint16_t suites[TLS_MAX_SUITES];
	size_t j, n = 0, ns;

	if (c->end != E_DONE || !r->server_hello)
		return;
	if (c->purpose == P_GROUP13) {
		ep->groups_method = 13;
		g = r->group;
	} else {
		ep->groups_method = ep->groups_method ? ep->groups_method : 12;
		g = r->ske_group;
	}
	if (g == 0)
		return;
	for (j = 0; j < c->n_offered; j++)
		if (c->offered[j] == g)
			break;
	if (j == c->n_offered)
		return; /* not offered: do not loop */
	add_group(ep, g);
	for (j = 0; j < c->n_offered && n < TLS_MAX_GROUPS; j++)
		if (c->offered[j] != g)
			next[n++] = c->offered[j];
	if (n == 0)
		return;
	if (c->purpose == P_GROUP13) {
		tls_full_suites(5, suites, &ns);
	} else {
		ns = tls_ecdhe12_suites(ep, suites);
	}
	tls_raw_probe(ep, c->purpose, c->proto, suites, ns, next, n, 0);
}

void tls_pref_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	const struct tls_resp *r = &c->resp;
	int i = c->proto;

	if (c->end != E_DONE || !r->server_hello || r->alert)
		return;
	if (r->suite == ep->suites[i][0])
		ep->pref[i] = TLS_YES;
	else if (c->n_offered > 0 && r->suite == c->offered[0])
		ep->pref[i] = TLS_NO;
}
