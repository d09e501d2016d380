/*
 * certexam — internal to the tls check (tls.c, tls_findings.c,
 * tls_findings_cert.c): the profile's parameters, what one endpoint's
 * results add up to, and the functions that turn them into findings.
 */
#ifndef CX_TLS_CHECK_H
#define CX_TLS_CHECK_H

#include "certexam/check.h"
#include "tls_int.h"

struct tls_params {
	int min_proto; /* protocol index */
	long warn_days;
	long min_rsa, min_ecc, min_dh;
	long max_ticket; /* seconds (tls.max_ticket_lifetime) */
	/* The case's trust-anchor files that could not be loaded, as
	 * named in object.xml and "; "-joined, or NULL. */
	const char *bad_anchors;
};

/* What the endpoint's results add up to, for findings and the grade. */
struct tls_sum {
	int any_proto;
	int fs_any, fs_all, aead_any;
	int min_bits, max_bits;
	int rsa_kx; /* RSA key-exchange suites accepted */
	int export_rsa, export_dhe, export_any, anon, null, rc4, rc4_modern;
	int block64, poodle, beast;
	int cbc_tls; /* CBC suites with TLS 1.0-1.2 (Lucky13) */
	int only_tls13;
	int drown_shared;       /* key seen on an endpoint with SSLv2 */
	const char *drown_with; /* that endpoint's asset */
	struct tls_cert_info cert;
	int names_mismatch;
	const char *bad_anchors; /* tls_params' */
};

/* The method text of the protocol findings (TLS-01, TLS-12). */
extern const char tls_m_proto[];

/* The finding e describes, for the tls check and the endpoint ep's asset. */
int tls_emit(struct cx_check_ctx *ctx, const struct tls_ep *ep,
             const struct cx_emit *e);
/* Append the suites accepted with protocol i, space-separated, to b. */
void tls_suite_list(const struct tls_ep *ep, int i, struct cx_buf *b);
/* Append the protocols accepted, space-separated, to b. */
void tls_proto_list(const struct tls_ep *ep, struct cx_buf *b);

/*
 * The findings of one endpoint, by requirement; ev is the evidence id of
 * the ServerHello flight (the chain for tls_emit_cert), or NULL.  Each
 * returns 0 or CX_ENOMEM bits.
 */
int tls_emit_protocols(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                       const struct tls_params *tp, const char *ev);
int tls_emit_suites(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                    const struct tls_sum *sm, const char *ev);
int tls_emit_cert(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                  const struct tls_params *tp, struct tls_sum *sm,
                  const char *ev);
int tls_emit_vulns(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                   const struct tls_sum *sm, const char *ev);
int tls_emit_behaviour(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                       const struct tls_params *tp, const struct tls_sum *sm,
                       const char *ev);

#endif
