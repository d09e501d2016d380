/*
 * certexam — the findings of the tls check on what was negotiated: the
 * protocol versions (TLS-01), the cipher suites (TLS-02, TLS-03), the
 * vulnerabilities (TLS-09: Heartbleed, CCS injection, ROBOT, POODLE,
 * BEAST, SWEET32, DROWN, ...) and the behaviours (TLS-10 .. TLS-13:
 * renegotiation, compression, key exchange, preference, fallback).  The
 * certificate's findings are in tls_findings_cert.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "tls_check.h"

static const char *M_SUITES =
    "hand-built ClientHellos offering the full IANA registry, repeated "
    "without each accepted suite until the server refuses";

/*
 * TLS-01: one finding per protocol below the minimum, pass or fail, so the
 * same key exists in the examination and in the additional examination.
 */
int tls_emit_protocols(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                       const struct tls_params *tp, const char *ev)
{
	char obs[256], title[128];
	struct cx_buf b = {0};
	int i, rc = 0;

	tls_proto_list(ep, &b);
	for (i = 0; i < tp->min_proto && i < TLS_NPROTO; i++) {
		const char *name = tls_proto_name(i);
		if (ep->proto[i] == TLS_YES) {
			tls_setf(title, sizeof(title), "%s accepted", name);
			tls_setf(obs, sizeof(obs),
			         "The server completed a %s ServerHello; the "
			         "minimum allowed is %s.",
			         name, tls_proto_name(tp->min_proto));
			rc |= tls_emit(ctx, ep,
			               &(struct cx_emit){
			                   .req = "TLS-01",
			                   .item = name,
			                   .status = CX_FAIL,
			                   .title = title,
			                   .observed = obs,
			                   .method = tls_m_proto,
			                   .evidence = ev,
			               });
		} else if (ep->proto[i] == TLS_NO) {
			tls_setf(title, sizeof(title), "%s refused", name);
			tls_setf(obs, sizeof(obs), "%s: %s. Accepted: %s.",
			         name,
			         ep->proto_note[i][0] ? ep->proto_note[i]
			                              : "refused",
			         b.data ? b.data : "none");
			rc |= tls_emit(ctx, ep,
			               &(struct cx_emit){
			                   .req = "TLS-01",
			                   .item = name,
			                   .status = CX_PASS,
			                   .title = title,
			                   .observed = obs,
			                   .method = tls_m_proto,
			                   .evidence = ev,
			               });
		} else {
			tls_setf(title, sizeof(title), "%s could not be tested",
			         name);
			rc |= tls_emit(ctx, ep,
			               &(struct cx_emit){
			                   .req = "TLS-01",
			                   .item = name,
			                   .status = CX_NOT_CHECKED,
			                   .title = title,
			                   .observed = ep->proto_note[i],
			                   .method = tls_m_proto,
			               });
		}
	}
	cx_buf_free(&b);
	return rc;
}

int tls_emit_suites(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                    const struct tls_sum *sm, const char *ev)
{
	const struct tls_suite *s, *seen[TLS_NPROTO * 64];
	size_t n_seen = 0, j, k;
	int i, rc = 0, dup;
	char title[160], obs[512];
	struct cx_buf b = {0};

	for (i = 0; i < TLS_NPROTO; i++) {
		for (j = 0; j < ep->n_suites[i]; j++) {
			s = tls_suite_find(ep->suites[i][j]);
			if (s == NULL || !(s->flags & TLS_SF_FORBIDDEN))
				continue;
			dup = 0;
			for (k = 0; k < n_seen; k++)
				if (seen[k] == s)
					dup = 1;
			if (dup || n_seen >= CX_ARRAY_LEN(seen))
				continue;
			seen[n_seen++] = s;
			tls_setf(title, sizeof(title),
			         "Forbidden suite %s accepted", s->name);
			tls_setf(
			    obs, sizeof(obs),
			    "Accepted with %s (and possibly other versions): "
			    "%s, key exchange %s, authentication %s, cipher "
			    "%s, MAC %s%s%s%s%s%s%s%s.",
			    tls_proto_name(i), s->name, s->kx, s->au, s->enc,
			    s->mac, s->flags & TLS_SF_NULL ? "; NULL" : "",
			    s->flags & TLS_SF_ANON ? "; anonymous" : "",
			    s->flags & TLS_SF_EXPORT ? "; export" : "",
			    s->flags & TLS_SF_RC4 ? "; RC4" : "",
			    s->flags & TLS_SF_DES ? "; DES" : "",
			    s->flags & TLS_SF_3DES ? "; 3DES" : "",
			    s->flags & TLS_SF_MD5 ? "; MD5" : "");
			rc |= tls_emit(ctx, ep,
			               &(struct cx_emit){
			                   .req = "TLS-02",
			                   .item = s->name,
			                   .status = CX_FAIL,
			                   .title = title,
			                   .observed = obs,
			                   .method = M_SUITES,
			                   .evidence = ev,
			               });
		}
	}
	if (n_seen == 0) {
		for (i = TLS_NPROTO - 1; i >= 0; i--) {
			if (ep->proto[i] != TLS_YES)
				continue;
			cx_buf_printf(&b, "%s%s: ", b.len ? "; " : "",
			              tls_proto_name(i));
			tls_suite_list(ep, i, &b);
		}
		rc |=
		    tls_emit(ctx, ep,
		             &(struct cx_emit){
		                 .req = "TLS-02",
		                 .status = CX_PASS,
		                 .title = "No forbidden cipher suite accepted",
		                 .observed = b.data ? b.data : "",
		                 .method = M_SUITES,
		                 .evidence = ev,
		             });
	}
	cx_buf_free(&b);
	/* TLS-03 */
	cx_buf_free(&b);
	if (sm->fs_all && sm->fs_any) {
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-03",
		        .status = CX_PASS,
		        .title = "Every accepted suite has forward secrecy",
		        .observed =
		            "All accepted suites use ephemeral (EC)DHE or are "
		            "TLS 1.3 suites.",
		        .method = M_SUITES,
		        .evidence = ev,
		    });
	} else {
		for (i = 0; i < TLS_NPROTO; i++)
			for (j = 0; j < ep->n_suites[i]; j++) {
				s = tls_suite_find(ep->suites[i][j]);
				if (s != NULL && !(s->flags & TLS_SF_FS) &&
				    b.len < 600)
					cx_buf_printf(
					    &b, "%s%s (%s)", b.len ? ", " : "",
					    s->name, tls_proto_name(i));
			}
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-03",
		        .status = CX_FAIL,
		        .title = sm->fs_any
		                     ? "Suites without forward secrecy accepted"
		                     : "No forward secrecy",
		        .observed = b.data ? b.data : "",
		        .method = M_SUITES,
		        .evidence = ev,
		    });
	}
	cx_buf_free(&b);
	return rc;
}
static int emit_vuln(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                     const char *item, int result, const char *title_bad,
                     const char *title_ok, const char *note, const char *method,
                     const char *ev, int sev)
{
	enum cx_status st;
	enum cx_certainty ce = CX_CONFIRMED;
	char title[200];

	switch (result) {
	case TLS_YES:
		st = CX_FAIL;
		tls_setf(title, sizeof(title), "%s", title_bad);
		break;
	case TLS_POTENTIAL:
		st = CX_FAIL;
		ce = CX_POTENTIAL;
		tls_setf(title, sizeof(title), "%s (potential)", title_bad);
		break;
	case TLS_NO:
		st = CX_PASS;
		tls_setf(title, sizeof(title), "%s", title_ok);
		break;
	default:
		st = CX_NOT_CHECKED;
		tls_setf(title, sizeof(title), "%s: not determined", item);
		break;
	}
	return tls_emit(
	    ctx, ep,
	    &(struct cx_emit){
	        .req = "TLS-09",
	        .item = item,
	        .status = st,
	        .certainty = ce,
	        .severity = st == CX_FAIL && sev >= 0 ? CX_SEVERITY(sev) : 0,
	        .title = title,
	        .observed = note,
	        .method = method,
	        .evidence = ev,
	    });
}

int tls_emit_vulns(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                   const struct tls_sum *sm, const char *ev)
{
	char note[300];
	int rc = 0, r;

	rc |= emit_vuln(ctx, ep, "heartbleed", ep->heartbleed,
	                "Heartbleed (CVE-2014-0160)",
	                "Not vulnerable to Heartbleed", ep->heartbleed_note,
	                "heartbeat request with an overlong payload length "
	                "after a hand-built handshake (read-only)",
	                ev, -1);
	rc |= emit_vuln(ctx, ep, "ccs-injection", ep->ccs,
	                "CCS injection (CVE-2014-0224)",
	                "Not vulnerable to CCS injection", ep->ccs_note,
	                "ChangeCipherSpec sent right after the server's "
	                "ServerHelloDone",
	                ev, -1);
	/* POODLE */
	r = ep->proto[1] == TLS_UNK ? TLS_UNK : sm->poodle ? TLS_YES : TLS_NO;
	tls_setf(note, sizeof(note), "%s",
	         ep->proto[1] == TLS_YES
	             ? (sm->poodle ? "SSLv3 accepted with CBC suites"
	                           : "SSLv3 accepted, but only without CBC")
	         : ep->proto[1] == TLS_NO ? "SSLv3 refused"
	                                  : ep->proto_note[1]);
	rc |= emit_vuln(ctx, ep, "poodle", r, "POODLE (SSLv3 with CBC)",
	                "Not vulnerable to POODLE (SSLv3)", note, M_SUITES, ev,
	                -1);
	rc |= emit_vuln(ctx, ep, "sweet32", sm->block64 ? TLS_YES : TLS_NO,
	                "SWEET32 (64-bit block ciphers accepted)",
	                "No 64-bit block cipher accepted",
	                sm->block64 ? "3DES, DES, IDEA or RC2 suites accepted"
	                            : "no 64-bit block cipher suite accepted "
	                              "(GOST 28147 and Magma suites re-key: "
	                              "CryptoPro key meshing, RFC 9189 "
	                              "TLSTREE)",
	                M_SUITES, ev, -1);
	rc |= emit_vuln(ctx, ep, "freak", sm->export_rsa ? TLS_YES : TLS_NO,
	                "FREAK (export RSA suites accepted)",
	                "No export RSA suite accepted",
	                sm->export_rsa ? "RSA_EXPORT suites accepted"
	                               : "no RSA_EXPORT suite accepted",
	                M_SUITES, ev, -1);
	tls_setf(note, sizeof(note), "%s; smallest DHE prime: %d bits",
	         sm->export_dhe ? "DHE_EXPORT suites accepted"
	                        : "no DHE_EXPORT suite accepted",
	         ep->dh_min);
	rc |= emit_vuln(ctx, ep, "logjam",
	                sm->export_dhe || (ep->dh_min > 0 && ep->dh_min < 1024)
	                    ? TLS_YES
	                    : TLS_NO,
	                "LOGJAM (export DHE or DH below 1024 bits)",
	                "Not vulnerable to LOGJAM", note,
	                "export DHE suites and the DHE prime size from "
	                "ServerKeyExchange",
	                ev, -1);
	if (ep->proto[0] == TLS_YES)
		r = TLS_YES;
	else if (sm->drown_shared)
		r = TLS_YES;
	else
		r = ep->proto[0] == TLS_UNK ? TLS_UNK : TLS_NO;
	rc |= emit_vuln(ctx, ep, "drown", r,
	                sm->drown_shared && ep->proto[0] != TLS_YES
	                    ? "DROWN (key shared with an SSLv2 endpoint)"
	                    : "DROWN (SSLv2 accepted)",
	                "Not vulnerable to DROWN",
	                ep->proto[0] == TLS_YES ? "SSLv2 SERVER-HELLO received"
	                : sm->drown_shared
	                    ? "the same public key is used by an endpoint "
	                      "of this run that accepts SSLv2"
	                    : "SSLv2 refused; key not seen on an SSLv2 "
	                      "endpoint of this run (other servers are "
	                      "not known to the scan)",
	                "SSLv2 CLIENT-HELLO; public key compared across the "
	                "run's endpoints",
	                ev, -1);
	rc |= emit_vuln(ctx, ep, "beast", sm->beast ? TLS_POTENTIAL : TLS_NO,
	                "BEAST (TLS 1.0 with CBC, informational)",
	                "No TLS 1.0 CBC suite accepted",
	                sm->beast ? "TLS 1.0 accepted with CBC suites; "
	                            "mitigated in current clients by record "
	                            "splitting"
	                          : "TLS 1.0 with CBC not accepted",
	                M_SUITES, ev, CX_SEV_INFO);
	rc |= emit_vuln(
	    ctx, ep, "lucky13", sm->cbc_tls ? TLS_POTENTIAL : TLS_NO,
	    "Lucky Thirteen (CBC suites with TLS)", "No CBC suite with TLS",
	    sm->cbc_tls ? "CBC suites accepted with TLS 1.0-1.2: a "
	                  "timing side channel exists unless the "
	                  "implementation is constant-time, which "
	                  "cannot be observed remotely"
	                : "no CBC suite accepted with TLS",
	    M_SUITES, ev, CX_SEV_LOW);
	rc |= emit_vuln(ctx, ep, "crime", ep->compression,
	                "CRIME (TLS compression)", "No TLS compression",
	                ep->compression == TLS_YES ? "the server chose DEFLATE"
	                : ep->compression == TLS_NO
	                    ? "DEFLATE offered first, the server chose none"
	                    : "compression probe got no ServerHello",
	                "ClientHello offering DEFLATE and null compression", ev,
	                -1);
	rc |= emit_vuln(ctx, ep, "robot", ep->robot,
	                "ROBOT (Bleichenbacher padding oracle)",
	                "No Bleichenbacher padding oracle (ROBOT)",
	                ep->robot_note,
	                "five ClientKeyExchange messages with differently "
	                "malformed PKCS #1 v1.5 padding, each followed by "
	                "ChangeCipherSpec and a garbage Finished; the answers "
	                "compared",
	                ev, -1);
	return rc;
}

int tls_emit_behaviour(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                       const struct tls_params *tp, const struct tls_sum *sm,
                       const char *ev)
{
	char obs[300];
	struct cx_buf b = {0};
	size_t i;
	int rc = 0, weak = 0;
	enum cx_status st;

	/* TLS-10 */
	if (sm->only_tls13)
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-10",
		                   .item = "secure-renegotiation",
		                   .status = CX_PASS,
		                   .title = "Renegotiation does not exist",
		                   .observed = "only TLS 1.3 accepted",
		                   .method = tls_m_proto,
		                   .evidence = ev,
		               });
	else
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-10",
		        .item = "secure-renegotiation",
		        .status = ep->reneg_secure == TLS_YES  ? CX_PASS
		                  : ep->reneg_secure == TLS_NO ? CX_FAIL
		                                               : CX_NOT_CHECKED,
		        .title = ep->reneg_secure == TLS_YES
		                     ? "Secure renegotiation (RFC 5746)"
		                 : ep->reneg_secure == TLS_NO
		                     ? "No secure renegotiation (RFC 5746)"
		                     : "Secure renegotiation not determined",
		        .observed =
		            ep->reneg_secure == TLS_YES
		                ? "renegotiation_info extension in the "
		                  "ServerHello"
		                : "no renegotiation_info extension in the "
		                  "ServerHello",
		        .method =
		            "renegotiation_info offered in the ClientHello",
		        .evidence = ev,
		    });
	if (sm->only_tls13)
		st = CX_PASS;
	else
		st = ep->client_reneg == TLS_YES  ? CX_FAIL
		     : ep->client_reneg == TLS_NO ? CX_PASS
		                                  : CX_NOT_CHECKED;
	rc |= tls_emit(
	    ctx, ep,
	    &(struct cx_emit){
	        .req = "TLS-10",
	        .item = "client-renegotiation",
	        .status = st,
	        .title = st == CX_FAIL
	                     ? "Client-initiated renegotiation accepted"
	                 : st == CX_PASS
	                     ? "Client-initiated renegotiation refused"
	                     : "Client-initiated renegotiation not tested",
	        .observed = sm->only_tls13 ? "only TLS 1.3 accepted"
	                                   : ep->client_reneg_note,
	        .method =
	            "OpenSSL handshake (TLS <= 1.2), then SSL_renegotiate()",
	    });
	rc |= tls_emit(
	    ctx, ep,
	    &(struct cx_emit){
	        .req = "TLS-10",
	        .item = "compression",
	        .status = ep->compression == TLS_YES  ? CX_FAIL
	                  : ep->compression == TLS_NO ? CX_PASS
	                  : sm->only_tls13            ? CX_PASS
	                                              : CX_NOT_CHECKED,
	        .title = ep->compression == TLS_YES ? "TLS compression enabled"
	                                            : "No TLS compression",
	        .observed =
	            ep->compression == TLS_YES ? "the server chose DEFLATE"
	            : sm->only_tls13           ? "TLS 1.3 has no compression"
	                             : "the server chose null compression",
	        .method = "ClientHello offering DEFLATE and null compression",
	        .evidence = ev,
	    });
	/* TLS-11 */
	if (ep->dh_min > 0) {
		tls_setf(obs, sizeof(obs),
		         "DHE primes from %d to %d bits (minimum %ld).",
		         ep->dh_min, ep->dh_max, tp->min_dh);
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-11",
		        .item = "dh-params",
		        .status = ep->dh_min < tp->min_dh ? CX_FAIL : CX_PASS,
		        .title = ep->dh_min < tp->min_dh
		                     ? "DH parameters too small"
		                     : "DH parameters large enough",
		        .observed = obs,
		        .method =
		            "ServerKeyExchange of every accepted DHE suite",
		        .evidence = ev,
		    });
	} else {
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-11",
		                   .item = "dh-params",
		                   .status = CX_PASS,
		                   .title = "No finite-field DHE in use",
		                   .observed = "no DHE suite accepted",
		                   .method = M_SUITES,
		                   .evidence = ev,
		               });
	}
	for (i = 0; i < ep->n_groups; i++) {
		uint16_t g = ep->groups[i];
		int bits = tls_group_bits(g);
		const char *nm = tls_group_name(g);
		int w = 0;
		if (g >= 256 && g <= 260)
			w = bits < tp->min_dh;
		else if (g == 19 || g == 21)
			w = 1; /* 192/224-bit curves */
		if (w)
			weak = 1;
		cx_buf_printf(&b, "%s%s%s", i ? " " : "", nm ? nm : "unknown",
		              w ? "(weak)" : "");
	}
	if (ep->n_groups > 0)
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-11",
		        .item = "groups",
		        .status = weak ? CX_FAIL : CX_PASS,
		        .title = weak ? "Weak key-exchange group accepted"
		                      : "Key-exchange groups strong enough",
		        .observed = b.data,
		        .method =
		            ep->groups_method == 13
		                ? "TLS 1.3 ClientHellos without key shares; "
		                  "group named in each HelloRetryRequest"
		                : "TLS 1.2 ECDHE ClientHellos; curve from "
		                  "ServerKeyExchange",
		        .evidence = ev,
		    });
	else
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-11",
		        .item = "groups",
		        .status =
		            sm->fs_any ? CX_NOT_CHECKED : CX_NOT_APPLICABLE,
		        .title = sm->fs_any
		                     ? "Key-exchange groups not determined"
		                     : "No ephemeral key exchange",
		        .observed = sm->fs_any ? "no group could be enumerated"
		                               : "no (EC)DHE suite accepted",
		    });
	cx_buf_free(&b);
	/* TLS-12 */
	rc |= tls_emit(
	    ctx, ep,
	    &(struct cx_emit){
	        .req = "TLS-12",
	        .status = ep->fallback == TLS_YES  ? CX_PASS
	                  : ep->fallback == TLS_NO ? CX_FAIL
	                  : strstr(ep->fallback_note, "only one")
	                      ? CX_NOT_APPLICABLE
	                      : CX_NOT_CHECKED,
	        .title = ep->fallback == TLS_YES ? "TLS_FALLBACK_SCSV honoured"
	                 : ep->fallback == TLS_NO
	                     ? "TLS_FALLBACK_SCSV ignored"
	                     : "Downgrade protection not tested",
	        .observed = ep->fallback_note,
	        .method = "ClientHello one version below the highest, with "
	                  "TLS_FALLBACK_SCSV",
	        .evidence = ev,
	    });
	/* TLS-13 */
	if (ep->ossl_proto[0] == '\0')
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-13",
		                   .status = CX_NOT_CHECKED,
		                   .title = "OCSP stapling not tested",
		                   .observed = ep->ossl_err[0]
		                                   ? ep->ossl_err
		                                   : "no full handshake",
		               });
	else {
		tls_setf(obs, sizeof(obs),
		         "%s%s; certificate must-staple: %s; revocation "
		         "information in the certificate: OCSP %s, CRL %s",
		         ep->ocsp_stapled ? "OCSP response stapled"
		                          : "no OCSP response stapled",
		         ep->ocsp_stapled && ep->ocsp_status == 0 ? " (good)"
		         : ep->ocsp_stapled && ep->ocsp_status == 1
		             ? " (revoked)"
		             : "",
		         sm->cert.must_staple ? "yes" : "no",
		         sm->cert.ocsp_uri ? "yes" : "no",
		         sm->cert.crl_dp ? "yes" : "no");
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-13",
		        .status = ep->ocsp_stapled ? CX_PASS : CX_FAIL,
		        .title = ep->ocsp_stapled ? "OCSP stapling enabled"
		                                  : "No OCSP stapling",
		        .observed = obs,
		        .method = "status_request in an OpenSSL handshake",
		    });
	}
	return rc;
}
