/*
 * certexam — the findings of the tls check on the certificate an endpoint
 * presented (TLS-04 .. TLS-08): trust (system store and the case's
 * anchors), validity dates, the host names in scope, the key and the
 * signature, and the chain.  The analysis itself is tls_cert.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "tls_check.h"

int tls_emit_cert(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                  const struct tls_params *tp, struct tls_sum *sm,
                  const char *ev)
{
	const struct tls_cert_info *c = &sm->cert;
	char obs[1024], title[256], issuer_note[900];
	const char *m_chain;
	size_t i;
	int rc = 0, trusted;
	X509 *leaf;

	m_chain = ep->chain_src == 1
	              ? "certificate chain as sent in a full handshake "
	                "(OpenSSL), analysed offline"
	              : "certificate chain from the Certificate message of "
	                "a hand-built handshake, analysed offline";
	if (!c->present) {
		const char *why = ep->ossl_err[0]
		                      ? ep->ossl_err
		                      : "no certificate was received";
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-04",
		                   .status = CX_NOT_CHECKED,
		                   .title = "Certificate not obtained",
		                   .observed = why,
		               });
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-05",
		                   .status = CX_NOT_CHECKED,
		                   .title = "Certificate not obtained",
		                   .observed = why,
		               });
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-06",
		                   .status = CX_NOT_CHECKED,
		                   .title = "Certificate not obtained",
		                   .observed = why,
		               });
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-07",
		                   .status = CX_NOT_CHECKED,
		                   .title = "Certificate not obtained",
		                   .observed = why,
		               });
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-08",
		                   .status = CX_NOT_CHECKED,
		                   .title = "Certificate not obtained",
		                   .observed = why,
		               });
		return rc;
	}
	/* TLS-04 validity */
	tls_setf(obs, sizeof(obs), "Valid from %s to %s (%ld days left).",
	         c->not_before, c->not_after, c->days_left);
	if (c->expired)
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-04",
		                   .status = CX_FAIL,
		                   .title = "Certificate expired",
		                   .observed = obs,
		                   .method = m_chain,
		                   .evidence = ev,
		               });
	else if (c->not_yet_valid)
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-04",
		                   .status = CX_FAIL,
		                   .title = "Certificate not yet valid",
		                   .observed = obs,
		                   .method = m_chain,
		                   .evidence = ev,
		               });
	else if (c->days_left < tp->warn_days) {
		tls_setf(title, sizeof(title),
		         "Certificate expires within %ld days", tp->warn_days);
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-04",
		                   .status = CX_FAIL,
		                   .title = title,
		                   .observed = obs,
		                   .method = m_chain,
		                   .evidence = ev,
		               });
	} else
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-04",
		        .status = CX_PASS,
		        .title = "Certificate within its validity period",
		        .observed = obs,
		        .method = m_chain,
		        .evidence = ev,
		    });
	/* TLS-05 trust and completeness */
	trusted = c->verify_system == 1 || c->verify_anchors == 1;
	if (c->chain_incomplete)
		tls_setf(issuer_note, sizeof(issuer_note),
		         "; chain incomplete: the intermediate %s was not "
		         "sent (AIA caIssuers %s)",
		         c->missing_issuer, c->ca_issuers);
	else if (c->issuer_unknown)
		tls_setf(issuer_note, sizeof(issuer_note),
		         "; the issuer %s was neither sent nor found in a "
		         "store, and the certificate names no caIssuers to "
		         "fetch it from: a root that is not trusted here",
		         c->missing_issuer);
	else
		issuer_note[0] = '\0';
	tls_setf(
	    obs, sizeof(obs),
	    "%d certificate(s) sent; issuer %s; system store: %s; case trust "
	    "anchors: %s%s%s%s.",
	    c->n_chain, c->issuer, c->verify_system_msg,
	    c->verify_anchors < 0 ? "none given" : c->verify_anchors_msg,
	    c->self_signed ? "; self-signed" : "", issuer_note,
	    c->chain_order_ok ? "" : "; certificates not in issuing order");
	if (c->unverifiable && !trusted) {
		tls_setf(obs, sizeof(obs),
		         "%d certificate(s) sent; issuer %s; %s is not "
		         "implemented by this build, so the chain can be "
		         "verified neither way (GOST R 34.10 needs the GOST "
		         "engine; the national certification centre's GOST "
		         "34.310 arc 1.2.398.3.10.1.1 is not in OpenSSL).",
		         c->n_chain, c->issuer, c->unknown_alg);
		rc |=
		    tls_emit(ctx, ep,
		             &(struct cx_emit){
		                 .req = "TLS-05",
		                 .status = CX_NOT_CHECKED,
		                 .title = "Chain not verifiable by this build",
		                 .observed = obs,
		                 .method = m_chain,
		                 .evidence = ev,
		             });
	} else if (trusted && !c->chain_incomplete && c->chain_order_ok)
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-05",
		                   .status = CX_PASS,
		                   .title = "Chain trusted and complete",
		                   .observed = obs,
		                   .method = m_chain,
		                   .evidence = ev,
		               });
	else
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-05",
		        .status = CX_FAIL,
		        .title = !trusted              ? (c->self_signed
		                                              ? "Self-signed certificate"
		                                          : c->chain_incomplete
		                                              ? "Chain incomplete: an "
		                                                "intermediate was not sent"
		                                          : c->issuer_unknown
		                                              ? "Issuer not trusted (root "
		                                                "unknown here)"
		                                              : "Chain not trusted")
		                 : c->chain_incomplete ? "Chain incomplete"
		                                       : "Chain misordered",
		        .observed = obs,
		        .method = m_chain,
		        .evidence = ev,
		    });
	/* TLS-06 host names */
	leaf = sk_X509_value(ep->chain, 0);
	if (ep->n_names == 0) {
		/* Reached by address only: the address is the name. */
		int ok = tls_cert_match(leaf, ep->addr);

		tls_setf(obs, sizeof(obs),
		         "No host name in scope resolves to %s, so the "
		         "address itself is matched against the IP addresses "
		         "of the certificate; subject %s, SAN %s.",
		         ep->addr, c->subject, c->san[0] ? c->san : "none");
		tls_setf(title, sizeof(title), "Certificate %s address %s",
		         ok ? "matches" : "does not match", ep->addr);
		if (!ok)
			sm->names_mismatch = 1;
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-06",
		        .item = ep->addr,
		        .status = ok ? CX_PASS : CX_FAIL,
		        .title = title,
		        .observed = obs,
		        .method = "the address against the certificate's IP "
		                  "subject alternative names (OpenSSL "
		                  "X509_check_ip_asc, as openssl s_client "
		                  "-verify_ip)",
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
		tls_setf(
		    obs, sizeof(obs),
		    "Name %s (sent as SNI); certificate subject %s, SAN %s.",
		    ep->names[i], subj, san[0] ? san : "none");
		tls_setf(title, sizeof(title), "Certificate %s %s",
		         ok ? "matches" : "does not match", ep->names[i]);
		if (!ok)
			sm->names_mismatch = 1;
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-06",
		        .item = ep->names[i],
		        .status = ok ? CX_PASS : CX_FAIL,
		        .title = title,
		        .observed = obs,
		        .method = "RFC 6125 matching (OpenSSL X509_check_host)",
		        .evidence = ev,
		    });
	}
	/* TLS-07 key size */
	{
		/*
		 * Per algorithm: RSA and DSA by the modulus (tls.min_rsa_bits),
		 * EC, EdDSA and GOST R 34.10 (elliptic curves) by the curve
		 * (tls.min_ecc_bits); any other algorithm is not judged.
		 */
		int weak = 0, known = 1;

		if (strcmp(c->key_type, "RSA") == 0 ||
		    strcmp(c->key_type, "DSA") == 0)
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
		tls_setf(
		    obs, sizeof(obs),
		    "%s key of %d bits%s%s (minimum RSA/DSA %ld, EC, EdDSA "
		    "and GOST R 34.10 %ld)%s.",
		    c->key_type, c->key_bits, c->curve[0] ? ", curve " : "",
		    c->curve, tp->min_rsa, tp->min_ecc,
		    known ? ""
		          : "; the algorithm is not known to this build, "
		            "its key length cannot be judged");
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-07",
		        .status = !known ? CX_NOT_CHECKED
		                  : weak ? CX_FAIL
		                         : CX_PASS,
		        .title = !known ? "Certificate key algorithm unknown"
		                 : weak ? "Certificate key too short"
		                        : "Certificate key long enough",
		        .observed = obs,
		        .method = m_chain,
		        .evidence = ev,
		    });
	}
	/* TLS-08 signature */
	if (!c->weak_sig && strcmp(c->sigalg, "unknown") == 0) {
		tls_setf(obs, sizeof(obs),
		         "The leaf's signature algorithm is not known to this "
		         "build (%s).",
		         c->unknown_alg[0] ? c->unknown_alg : "no name");
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-08",
		                   .status = CX_NOT_CHECKED,
		                   .title = "Signature algorithm unknown",
		                   .observed = obs,
		                   .method = m_chain,
		                   .evidence = ev,
		               });
	} else if (c->weak_sig) {
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-08",
		                   .status = CX_FAIL,
		                   .title = c->weak_sig == 2
		                                ? "MD5 certificate signature"
		                                : "SHA-1 certificate signature",
		                   .observed = c->weak_sig_note,
		                   .method = m_chain,
		                   .evidence = ev,
		               });
	} else {
		tls_setf(obs, sizeof(obs), "Leaf signed with %s.", c->sigalg);
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-08",
		        .status = CX_PASS,
		        .title = "No MD5 or SHA-1 signature on the chain",
		        .observed = obs,
		        .method = m_chain,
		        .evidence = ev,
		    });
	}
	return rc;
}
