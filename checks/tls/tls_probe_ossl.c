/*
 * certexam — the full OpenSSL handshakes of a TLS endpoint read back: the
 * negotiated protocol and cipher, ALPN, the stapled OCSP response, the
 * SCTs and the certificate chain; the leaf served for each further host
 * name (SNI); whether client-initiated renegotiation completed; the
 * session of a TLS <= 1.2 handshake (session ID, ticket and its lifetime
 * hint) and whether a second handshake resumed it; the same for the
 * NewSessionTicket of TLS 1.3; Ticketbleed.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/ct.h>
#include <openssl/ocsp.h>

#include "tls_conn.h"

void tls_ossl_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	STACK_OF(X509) * sk;
	const unsigned char *alpn = NULL, *ocsp = NULL;
	unsigned alen = 0;
	long olen;
	int i;

	if (c->purpose == P_SNI) {
		/* The leaf served for one more host name (SNI). */
		sk = c->end == E_DONE && c->ssl
		         ? SSL_get_peer_cert_chain(c->ssl)
		         : NULL;
		if (sk != NULL && sk_X509_num(sk) > 0 &&
		    (size_t)c->variant < ep->n_names &&
		    ep->name_leaf[c->variant] == NULL) {
			X509 *x = sk_X509_value(sk, 0);
			X509_up_ref(x);
			ep->name_leaf[c->variant] = x;
		}
		return;
	}
	if (c->purpose == P_RENEG) {
		if (c->end == E_DONE) {
			/* the cause says it all: no note */
			ep->client_reneg = TLS_YES;
		} else if (c->reneg_started) {
			ep->client_reneg = TLS_NO;
			if (c->end == E_TIMEOUT)
				tls_note_set(&ep->reneg_nid,
				             "tls.reneg.client-ignored", "%s",
				             "");
			else
				/* OpenSSL's report of the refusal, if any */
				ep->reneg_why = c->err;
		} else {
			tls_note_copy(&ep->reneg_why, &c->err,
			              "tls.why.no-tls12");
		}
		return;
	}
	if (c->end != E_DONE || c->ssl == NULL) {
		tls_conn_why(c, &ep->ossl_why);
		return;
	}
	snprintf(ep->ossl_proto, sizeof(ep->ossl_proto), "%s",
	         SSL_get_version(c->ssl));
	snprintf(ep->ossl_cipher, sizeof(ep->ossl_cipher), "%s",
	         SSL_get_cipher_name(c->ssl));
	SSL_get0_alpn_selected(c->ssl, &alpn, &alen);
	if (alpn != NULL && alen < sizeof(ep->alpn)) {
		memcpy(ep->alpn, alpn, alen);
		ep->alpn[alen] = '\0';
	}
	olen = SSL_get_tlsext_status_ocsp_resp(c->ssl, &ocsp);
	ep->ocsp_status = -1;
	if (ocsp != NULL && olen > 0) {
		OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &ocsp, olen);
		ep->ocsp_stapled = 1;
		if (resp != NULL) {
			OCSP_BASICRESP *b = OCSP_response_get1_basic(resp);
			if (b != NULL && OCSP_resp_count(b) > 0) {
				OCSP_SINGLERESP *sr = OCSP_resp_get0(b, 0);
				ep->ocsp_status = OCSP_single_get0_status(
				    sr, NULL, NULL, NULL, NULL);
			}
			OCSP_BASICRESP_free(b);
			OCSP_RESPONSE_free(resp);
		}
	}
	{
		const STACK_OF(SCT) *scts = SSL_get0_peer_scts(c->ssl);
		ep->n_scts = scts ? sk_SCT_num(scts) : 0;
	}
	sk = SSL_get_peer_cert_chain(c->ssl);
	if (sk != NULL && sk_X509_num(sk) > 0) {
		if (ep->chain != NULL)
			sk_X509_pop_free(ep->chain, X509_free);
		ep->chain = sk_X509_new_null();
		for (i = 0; ep->chain != NULL && i < sk_X509_num(sk); i++) {
			X509 *x = sk_X509_value(sk, i);
			X509_up_ref(x);
			if (!sk_X509_push(ep->chain, x))
				X509_free(x);
		}
		ep->chain_src = 1;
	}
	ep->is_tls = 1;
}

/*
 * P_RESUME1 keeps the session of a TLS <= 1.2 handshake and queues its
 * resumption (P_RESUME2) and, with a ticket, the Ticketbleed probe;
 * P_RESUME2 says whether the server resumed.
 */
void tls_resume_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	SSL_SESSION *s = NULL;
	int i, proto = 4;

	if (c->purpose == P_RESUME2) {
		if (c->end == E_DONE && c->ssl != NULL)
			ep->resumed =
			    SSL_session_reused(c->ssl) ? TLS_YES : TLS_NO;
		/* else resumed stays unknown ("resumption.resumed") */
		return;
	}
	/* A copy: freeing an SSL without close_notify marks its own
	 * session not resumable (ssl_clear_bad_session). */
	if (c->end == E_DONE && c->ssl != NULL &&
	    SSL_get0_session(c->ssl) != NULL)
		s = SSL_SESSION_dup(SSL_get0_session(c->ssl));
	if (s == NULL) {
		tls_note_copy(&ep->resume_why, &c->err, "tls.why.no-tls12");
		return;
	}
	SSL_SESSION_free(ep->session);
	ep->session = s;
	ep->sess_tested = 1;
	ep->sess_ticket = SSL_SESSION_has_ticket(s);
	ep->ticket_lifetime =
	    ep->sess_ticket ? (long)SSL_SESSION_get_ticket_lifetime_hint(s)
	                    : -1;
	if (!ep->sess_ticket && ep->sess_id_len == 0) {
		ep->resumed = TLS_NO; /* nothing to resume with */
		return;
	}
	{
		struct tls_conn *n = tls_conn_new(ep, K_OSSL, P_RESUME2, -1);
		if (n == NULL)
			return;
		tls_conn_enqueue(n);
	}
	if (!ep->sess_ticket)
		return;
	for (i = 1; i <= 4; i++)
		if (tls_proto_version(i) == SSL_SESSION_get_protocol_version(s))
			proto = i;
	{
		uint16_t suites[TLS_MAX_SUITES + 1];
		size_t n;
		tls_full_suites(proto, suites, &n);
		tls_raw_probe(ep, P_TICKETBLEED, proto, suites, n, NULL, 0, 0);
	}
}

/*
 * P_RESUME13 keeps the session of a TLS 1.3 handshake once its
 * NewSessionTicket has come (ticket_lifetime, RFC 8446 4.6.1) and queues
 * the resumption with it (P_RESUME13B), which says whether the server
 * accepted the ticket as a PSK.
 */
void tls_resume13_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	SSL_SESSION *s = NULL;
	struct tls_conn *n;

	if (c->purpose == P_RESUME13B) {
		if (c->end == E_DONE && c->ssl != NULL)
			ep->t13_resumed =
			    SSL_session_reused(c->ssl) ? TLS_YES : TLS_NO;
		return;
	}
	if (c->end != E_DONE || c->ssl == NULL ||
	    SSL_version(c->ssl) != TLS1_3_VERSION) {
		tls_note_copy(&ep->t13_why, &c->err, "tls.why.no-tls13");
		return;
	}
	ep->t13_tested = 1;
	if (SSL_get0_session(c->ssl) != NULL &&
	    SSL_SESSION_has_ticket(SSL_get0_session(c->ssl)))
		s = SSL_SESSION_dup(SSL_get0_session(c->ssl));
	if (s == NULL) {
		ep->t13_resumed = TLS_NO; /* nothing to resume with */
		return;
	}
	SSL_SESSION_free(ep->session13);
	ep->session13 = s;
	ep->t13_ticket = 1;
	ep->t13_lifetime = (long)SSL_SESSION_get_ticket_lifetime_hint(s);
	n = tls_conn_new(ep, K_OSSL, P_RESUME13B, -1);
	if (n != NULL)
		tls_conn_enqueue(n);
}

/*
 * CVE-2016-9244: offered our ticket with a 1-byte session ID, a server
 * that resumes must echo that one byte; F5's echoes 32 bytes, the rest
 * from its memory.
 */
void tls_ticketbleed_done(struct tls_conn *c)
{
	struct tls_ep *ep = c->ep;
	const struct tls_resp *r = &c->resp;
	int resumed = r->server_hello && r->ccs && !r->certificate;

	if (!r->server_hello) {
		ep->ticketbleed = TLS_UNK;
		tls_conn_why(c, &ep->tb_why);
		return;
	}
	if (resumed && r->session_id_len > 1 &&
	    r->session_id[0] == TLS_TICKETBLEED_ID) {
		ep->ticketbleed = TLS_YES;
		tls_note_set(&ep->tb_nid, "tls.vuln.ticketbleed-leak", "%zu",
		             r->session_id_len);
		return;
	}
	ep->ticketbleed = TLS_NO;
	tls_note_set(&ep->tb_nid,
	             resumed ? "tls.vuln.ticketbleed-echo"
	                     : "tls.vuln.ticketbleed-full",
	             "%zu", r->session_id_len);
}
