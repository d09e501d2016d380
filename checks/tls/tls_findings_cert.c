/*
 * certexam — the findings of the tls check on the certificate an endpoint
 * presented (TLS-04 .. TLS-08): trust (system store and the case's
 * anchors), validity dates, the host names in scope, the key and the
 * signature, and the chain.  The analysis itself is tls_cert.c.  Every
 * finding names its cause by a message id of profiles/i18n (tls.cert.*,
 * tls.chain.*, tls.name.*, tls.key.*, tls.sig.*).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/i18n.h"
#include "tls_check.h"

/* The five certificate requirements, for "certificate not obtained". */
static const char *const cert_reqs[] = {"TLS-04", "TLS-05", "TLS-06", "TLS-07",
                                        "TLS-08"};

/* TLS-05: trust and completeness of the chain. */
static int emit_chain(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                      const struct tls_sum *sm, const char *m_chain,
                      const char *ev)
{
	const struct tls_cert_info *c = &sm->cert;
	char count[16];
	const char *msg, *anchors;
	int trusted = c->verify_system == 1 || c->verify_anchors == 1;
	enum cx_status st = CX_FAIL;

	tls_setf(count, sizeof(count), "%d", c->n_chain);
	anchors = c->verify_anchors < 0 ? NULL : c->verify_anchors_msg;
	if (c->unverifiable && !trusted) {
		msg = "tls.chain.unverifiable";
		st = CX_NOT_CHECKED;
	} else if (trusted && !c->chain_incomplete && c->chain_order_ok) {
		msg = "tls.chain.trusted";
		st = CX_PASS;
	} else if (!trusted && sm->bad_anchors != NULL) {
		/* The anchor that was not loaded might have been its root. */
		msg = "tls.chain.anchors-failed";
		st = CX_NOT_CHECKED;
	} else if (!trusted && c->self_signed) {
		msg = "tls.chain.self-signed";
	} else if (c->chain_incomplete) {
		msg = "tls.chain.incomplete";
	} else if (trusted) {
		msg = "tls.chain.misordered";
	} else if (c->issuer_unknown) {
		msg = "tls.chain.root-unknown";
	} else {
		msg = "tls.chain.untrusted";
	}
	return tls_emit(
	    ctx, ep,
	    &(struct cx_emit){
	        .req = "TLS-05",
	        .status = st,
	        .msg = msg,
	        .args = CX_ARGS(
	            "count", count, "issuer", c->issuer, "system",
	            c->verify_system_msg, "anchors", anchors, "missing",
	            c->missing_issuer[0] ? c->missing_issuer : NULL,
	            "ca_issuers", c->ca_issuers[0] ? c->ca_issuers : NULL,
	            "algorithm", c->unknown_alg[0] ? c->unknown_alg : NULL,
	            "files", sm->bad_anchors),
	        .method_msg = m_chain,
	        .evidence = ev,
	    });
}

/* TLS-06: the address (no name in scope) or every name in scope. */
static int emit_names(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                      struct tls_sum *sm, const char *ev)
{
	const struct tls_cert_info *c = &sm->cert;
	X509 *leaf = sk_X509_value(ep->chain, 0);
	size_t i;
	int rc = 0;

	if (ep->n_names == 0) {
		/* Reached by address only: the address is the name. */
		int ok = tls_cert_match(leaf, ep->addr);

		if (!ok)
			sm->names_mismatch = 1;
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-06",
		                   .item = ep->addr,
		                   .status = ok ? CX_PASS : CX_FAIL,
		                   .msg = ok ? "tls.name.address-match"
		                             : "tls.name.address-mismatch",
		                   .args = CX_ARGS("address", ep->addr,
		                                   "subject", c->subject, "san",
		                                   c->san[0] ? c->san : NULL),
		                   .method_msg = "method.tls.name-ip",
		                   .evidence = ev,
		               });
	}
	for (i = 0; i < ep->n_names; i++) {
		/* names[0] is the SNI of the main handshake; every other
		 * name was asked for in a handshake of its own. */
		X509 *nl =
		    i > 0 && ep->name_leaf[i] != NULL ? ep->name_leaf[i] : leaf;
		int ok = tls_cert_match(nl, ep->names[i]);
		char subj[512], san[1024];

		tls_cert_names(nl, subj, sizeof(subj), san, sizeof(san));
		if (!ok)
			sm->names_mismatch = 1;
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-06",
		        .item = ep->names[i],
		        .status = ok ? CX_PASS : CX_FAIL,
		        .msg = ok ? "tls.name.match" : "tls.name.mismatch",
		        .args = CX_ARGS("name", ep->names[i], "subject", subj,
		                        "san", san[0] ? san : NULL),
		        .method_msg = "method.tls.name-host",
		        .evidence = ev,
		    });
	}
	return rc;
}

/*
 * TLS-07, per algorithm: RSA and DSA by the modulus (tls.min_rsa_bits),
 * EC, EdDSA and GOST R 34.10 (elliptic curves) by the curve
 * (tls.min_ecc_bits); any other algorithm is not judged.
 */
static int emit_key(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                    const struct tls_params *tp, const struct tls_cert_info *c,
                    const char *m_chain, const char *ev)
{
	char bits[16], min_rsa[24], min_ecc[24];
	int weak = 0, known = 1;

	if (strcmp(c->key_type, "RSA") == 0 || strcmp(c->key_type, "DSA") == 0)
		weak = c->key_bits < tp->min_rsa;
	else if (strcmp(c->key_type, "EC") == 0 ||
	         strncmp(c->key_type, "GOST", 4) == 0)
		weak = c->key_bits < tp->min_ecc;
	else if (strcmp(c->key_type, "ED25519") == 0 ||
	         strcmp(c->key_type, "ED448") == 0)
		weak = (strcmp(c->key_type, "ED448") == 0 ? 448 : 256) <
		       tp->min_ecc;
	else
		known = 0;
	tls_setf(bits, sizeof(bits), "%d", c->key_bits);
	tls_setf(min_rsa, sizeof(min_rsa), "%ld", tp->min_rsa);
	tls_setf(min_ecc, sizeof(min_ecc), "%ld", tp->min_ecc);
	return tls_emit(
	    ctx, ep,
	    &(struct cx_emit){
	        .req = "TLS-07",
	        .status = !known ? CX_NOT_CHECKED
	                  : weak ? CX_FAIL
	                         : CX_PASS,
	        .msg = !known ? "tls.key.unknown"
	               : weak ? "tls.key.short"
	                      : "tls.key.ok",
	        .args = CX_ARGS("algorithm", c->key_type, "bits", bits, "curve",
	                        c->curve[0] ? c->curve : NULL, "min_rsa",
	                        min_rsa, "min_ecc", min_ecc),
	        .method_msg = m_chain,
	        .evidence = ev,
	    });
}

/* TLS-08: MD5 or SHA-1 on a sent certificate, or an unknown algorithm. */
static int emit_sig(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                    const struct tls_cert_info *c, const char *m_chain,
                    const char *ev)
{
	const char *msg;
	enum cx_status st = CX_FAIL;

	if (!c->weak_sig && strcmp(c->sigalg, "unknown") == 0) {
		msg = "tls.sig.unknown";
		st = CX_NOT_CHECKED;
	} else if (c->weak_sig) {
		msg = c->weak_sig == 2 ? "tls.sig.md5-certs"
		                       : "tls.sig.sha1-certs";
	} else {
		msg = "tls.sig.ok";
		st = CX_PASS;
	}
	return tls_emit(
	    ctx, ep,
	    &(struct cx_emit){
	        .req = "TLS-08",
	        .status = st,
	        .msg = msg,
	        .args =
	            CX_ARGS("algorithm",
	                    st == CX_NOT_CHECKED
	                        ? (c->unknown_alg[0] ? c->unknown_alg : NULL)
	                        : c->sigalg,
	                    "certs", c->weak_sig ? c->weak_sig_note : NULL),
	        .method_msg = m_chain,
	        .evidence = ev,
	    });
}

int tls_emit_cert(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                  const struct tls_params *tp, struct tls_sum *sm,
                  const char *ev)
{
	const struct tls_cert_info *c = &sm->cert;
	char days[24], warn[24];
	const char *m_chain, *msg;
	size_t i;
	int rc = 0;

	m_chain = ep->chain_src == 1 ? "method.tls.chain-full"
	                             : "method.tls.chain-hello";
	if (!c->present) {
		/* OpenSSL's own error text (or an errno name), as given */
		const char *why =
		    ep->ossl_why.detail[0] ? ep->ossl_why.detail : NULL;
		for (i = 0; i < CX_ARRAY_LEN(cert_reqs); i++)
			rc |= tls_emit(ctx, ep,
			               &(struct cx_emit){
			                   .req = cert_reqs[i],
			                   .status = CX_NOT_CHECKED,
			                   .msg = "tls.cert.not-obtained",
			                   .observed = why,
			               });
		return rc;
	}
	/* TLS-04 validity */
	tls_setf(days, sizeof(days), "%ld", c->days_left);
	tls_setf(warn, sizeof(warn), "%ld", tp->warn_days);
	msg = c->expired                     ? "tls.cert.expired"
	      : c->not_yet_valid             ? "tls.cert.not-yet-valid"
	      : c->days_left < tp->warn_days ? "tls.cert.expires-soon"
	                                     : "tls.cert.valid";
	rc |= tls_emit(
	    ctx, ep,
	    &(struct cx_emit){
	        .req = "TLS-04",
	        .status =
	            strcmp(msg, "tls.cert.valid") == 0 ? CX_PASS : CX_FAIL,
	        .msg = msg,
	        .args = CX_ARGS("not_before", c->not_before, "not_after",
	                        c->not_after, "days", days, "warn_days", warn),
	        .method_msg = m_chain,
	        .evidence = ev,
	    });
	rc |= emit_chain(ctx, ep, sm, m_chain, ev);
	rc |= emit_names(ctx, ep, sm, ev);
	rc |= emit_key(ctx, ep, tp, c, m_chain, ev);
	rc |= emit_sig(ctx, ep, c, m_chain, ev);
	return rc;
}
