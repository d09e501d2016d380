/*
 * certexam — the tls check: every TLS endpoint the engine found (and
 * STARTTLS on SMTP, IMAP, POP3 and FTP) is enumerated with hand-built
 * hellos and one OpenSSL handshake (checks/tls/tls_probe.c), its certificate
 * analysed (tls_cert.c) and graded (tls_grade.c); the results become
 * findings TLS-01 .. TLS-13, one "tls-endpoint" observation per endpoint
 * and evidence (the raw ServerHello flight, the PEM chain).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/loop.h"
#include "certexam/target.h"
#include "tls_int.h"

#define CHECK_ID "tls"

struct tls_params {
	int min_proto; /* protocol index */
	long warn_days;
	long min_rsa, min_ecc, min_dh;
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
	int drown_shared; /* key seen on an endpoint with SSLv2 */
	struct tls_cert_info cert;
	int names_mismatch;
};

static void setf(char *dst, size_t dsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void setf(char *dst, size_t dsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dst, dsz, fmt, ap);
	va_end(ap);
}

static int proto_from_param(const char *v)
{
	static const char *const names[][3] = {
	    {"SSLv2", "SSL2", "2.0"},     {"SSLv3", "SSL3", "3.0"},
	    {"TLSv1.0", "TLS1.0", "1.0"}, {"TLSv1.1", "TLS1.1", "1.1"},
	    {"TLSv1.2", "TLS1.2", "1.2"}, {"TLSv1.3", "TLS1.3", "1.3"},
	};
	int i, j;

	for (i = 0; i < TLS_NPROTO; i++)
		for (j = 0; j < 3; j++)
			if (v != NULL && cx_strcaseeq(v, names[i][j]))
				return i;
	if (v != NULL && cx_strcaseeq(v, "TLSv1"))
		return 2;
	return 4;
}

static void read_params(const struct cx_profile *p, struct tls_params *tp)
{
	tp->min_proto = proto_from_param(
	    p ? cx_profile_param(p, "tls.min_version", "TLSv1.2") : "TLSv1.2");
	tp->warn_days =
	    p ? cx_profile_param_long(p, "tls.cert_expiry_warn_days", 30) : 30;
	tp->min_rsa =
	    p ? cx_profile_param_long(p, "tls.min_rsa_bits", 2048) : 2048;
	tp->min_ecc =
	    p ? cx_profile_param_long(p, "tls.min_ecc_bits", 256) : 256;
	tp->min_dh =
	    p ? cx_profile_param_long(p, "tls.min_dh_bits", 2048) : 2048;
}

/* The finding e describes, for this check and the endpoint ep's asset. */
static int emit(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                const struct cx_emit *e)
{
	struct cx_emit f = *e;

	f.check = CHECK_ID;
	f.asset = ep->asset;
	return cx_emit(ctx, &f);
}

/* ------------------------------------------------------------------ */

static int is_rsa_kx(const struct tls_suite *s)
{
	return strncmp(s->kx, "RSA", 3) == 0 && strcmp(s->kx, "RSAPSK") != 0;
}

static void summarise(const struct tls_ep *ep, struct tls_sum *sm)
{
	const struct tls_suite *s;
	size_t j;
	int i, n13 = 0, nother = 0;

	sm->fs_all = 1;
	sm->min_bits = -1;
	for (i = 0; i < TLS_NPROTO; i++) {
		if (ep->proto[i] != TLS_YES)
			continue;
		sm->any_proto = 1;
		if (i == 5)
			n13++;
		else
			nother++;
		for (j = 0; j < ep->n_suites[i]; j++) {
			s = tls_suite_find(ep->suites[i][j]);
			if (s == NULL)
				continue;
			if (s->flags & TLS_SF_FS)
				sm->fs_any = 1;
			else
				sm->fs_all = 0;
			if (s->flags & TLS_SF_AEAD)
				sm->aead_any = 1;
			if (sm->min_bits < 0 || s->bits < sm->min_bits)
				sm->min_bits = s->bits;
			if (s->bits > sm->max_bits)
				sm->max_bits = s->bits;
			if (is_rsa_kx(s) && !(s->flags & TLS_SF_EXPORT))
				sm->rsa_kx = 1;
			if (s->flags & TLS_SF_EXPORT) {
				sm->export_any = 1;
				if (strncmp(s->kx, "RSA", 3) == 0)
					sm->export_rsa = 1;
				if (strncmp(s->kx, "DH", 2) == 0)
					sm->export_dhe = 1;
			}
			if (s->flags & TLS_SF_ANON)
				sm->anon = 1;
			if (s->flags & TLS_SF_NULL)
				sm->null = 1;
			if (s->flags & TLS_SF_RC4) {
				sm->rc4 = 1;
				if (i >= 3)
					sm->rc4_modern = 1;
			}
			if (s->flags & TLS_SF_BLOCK64)
				sm->block64 = 1;
			if (i == 1 && (s->flags & TLS_SF_CBC))
				sm->poodle = 1;
			if (i == 2 && (s->flags & TLS_SF_CBC))
				sm->beast = 1;
			if (i >= 2 && i <= 4 && (s->flags & TLS_SF_CBC))
				sm->cbc_tls = 1;
		}
	}
	if (sm->min_bits < 0)
		sm->min_bits = 0;
	sm->only_tls13 = n13 > 0 && nother == 0;
}

static void suite_list(const struct tls_ep *ep, int i, struct cx_buf *b)
{
	const struct tls_suite *s;
	size_t j;

	for (j = 0; j < ep->n_suites[i]; j++) {
		s = tls_suite_find(ep->suites[i][j]);
		if (s != NULL)
			cx_buf_printf(b, "%s%s", j ? " " : "", s->name);
		else
			cx_buf_printf(b, "%s0x%04x", j ? " " : "",
			              (unsigned)ep->suites[i][j]);
	}
}

static void proto_list(const struct tls_ep *ep, struct cx_buf *b)
{
	int i, n = 0;

	for (i = 0; i < TLS_NPROTO; i++)
		if (ep->proto[i] == TLS_YES)
			cx_buf_printf(b, "%s%s", n++ ? " " : "",
			              tls_proto_name(i));
}

static const char *tri(int v)
{
	switch (v) {
	case TLS_YES:
		return "yes";
	case TLS_NO:
		return "no";
	case TLS_POTENTIAL:
		return "potential";
	default:
		return "unknown";
	}
}

/* ------------------------------------------------------------------ */
/* Findings. */

static const char *M_PROTO =
    "hand-built ClientHello per protocol version (SSLv2 format, SSLv3, "
    "TLS 1.0-1.2, TLS 1.3 with supported_versions); accepted when the "
    "ServerHello carries that version";
static const char *M_SUITES =
    "hand-built ClientHellos offering the full IANA registry, repeated "
    "without each accepted suite until the server refuses";

/*
 * TLS-01: one finding per protocol below the minimum, pass or fail, so the
 * same key exists in the examination and in the additional examination.
 */
static int emit_protocols(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                          const struct tls_params *tp, const char *ev)
{
	char obs[256], title[128];
	struct cx_buf b = {0};
	int i, rc = 0;

	proto_list(ep, &b);
	for (i = 0; i < tp->min_proto && i < TLS_NPROTO; i++) {
		const char *name = tls_proto_name(i);
		if (ep->proto[i] == TLS_YES) {
			setf(title, sizeof(title), "%s accepted", name);
			setf(obs, sizeof(obs),
			     "The server completed a %s ServerHello; the "
			     "minimum allowed is %s.",
			     name, tls_proto_name(tp->min_proto));
			rc |= emit(ctx, ep,
			           &(struct cx_emit){
			               .req = "TLS-01",
			               .item = name,
			               .status = CX_FAIL,
			               .title = title,
			               .observed = obs,
			               .method = M_PROTO,
			               .evidence = ev,
			           });
		} else if (ep->proto[i] == TLS_NO) {
			setf(title, sizeof(title), "%s refused", name);
			setf(obs, sizeof(obs), "%s: %s. Accepted: %s.", name,
			     ep->proto_note[i][0] ? ep->proto_note[i]
			                          : "refused",
			     b.data ? b.data : "none");
			rc |= emit(ctx, ep,
			           &(struct cx_emit){
			               .req = "TLS-01",
			               .item = name,
			               .status = CX_PASS,
			               .title = title,
			               .observed = obs,
			               .method = M_PROTO,
			               .evidence = ev,
			           });
		} else {
			setf(title, sizeof(title), "%s could not be tested",
			     name);
			rc |= emit(ctx, ep,
			           &(struct cx_emit){
			               .req = "TLS-01",
			               .item = name,
			               .status = CX_NOT_CHECKED,
			               .title = title,
			               .observed = ep->proto_note[i],
			               .method = M_PROTO,
			           });
		}
	}
	cx_buf_free(&b);
	return rc;
}

static int emit_suites(struct cx_check_ctx *ctx, const struct tls_ep *ep,
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
			setf(title, sizeof(title),
			     "Forbidden suite %s accepted", s->name);
			setf(obs, sizeof(obs),
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
			rc |= emit(ctx, ep,
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
			suite_list(ep, i, &b);
		}
		rc |= emit(ctx, ep,
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
		rc |= emit(
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
		rc |= emit(
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

static int emit_cert(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                     const struct tls_params *tp, struct tls_sum *sm,
                     const char *ev)
{
	const struct tls_cert_info *c = &sm->cert;
	char obs[1024], title[256];
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
		rc |= emit(ctx, ep,
		           &(struct cx_emit){
		               .req = "TLS-04",
		               .status = CX_NOT_CHECKED,
		               .title = "Certificate not obtained",
		               .observed = why,
		           });
		rc |= emit(ctx, ep,
		           &(struct cx_emit){
		               .req = "TLS-05",
		               .status = CX_NOT_CHECKED,
		               .title = "Certificate not obtained",
		               .observed = why,
		           });
		rc |= emit(ctx, ep,
		           &(struct cx_emit){
		               .req = "TLS-06",
		               .status = CX_NOT_CHECKED,
		               .title = "Certificate not obtained",
		               .observed = why,
		           });
		rc |= emit(ctx, ep,
		           &(struct cx_emit){
		               .req = "TLS-07",
		               .status = CX_NOT_CHECKED,
		               .title = "Certificate not obtained",
		               .observed = why,
		           });
		rc |= emit(ctx, ep,
		           &(struct cx_emit){
		               .req = "TLS-08",
		               .status = CX_NOT_CHECKED,
		               .title = "Certificate not obtained",
		               .observed = why,
		           });
		return rc;
	}
	/* TLS-04 validity */
	setf(obs, sizeof(obs), "Valid from %s to %s (%ld days left).",
	     c->not_before, c->not_after, c->days_left);
	if (c->expired)
		rc |= emit(ctx, ep,
		           &(struct cx_emit){
		               .req = "TLS-04",
		               .status = CX_FAIL,
		               .title = "Certificate expired",
		               .observed = obs,
		               .method = m_chain,
		               .evidence = ev,
		           });
	else if (c->not_yet_valid)
		rc |= emit(ctx, ep,
		           &(struct cx_emit){
		               .req = "TLS-04",
		               .status = CX_FAIL,
		               .title = "Certificate not yet valid",
		               .observed = obs,
		               .method = m_chain,
		               .evidence = ev,
		           });
	else if (c->days_left < tp->warn_days) {
		setf(title, sizeof(title),
		     "Certificate expires within %ld days", tp->warn_days);
		rc |= emit(ctx, ep,
		           &(struct cx_emit){
		               .req = "TLS-04",
		               .status = CX_FAIL,
		               .title = title,
		               .observed = obs,
		               .method = m_chain,
		               .evidence = ev,
		           });
	} else
		rc |=
		    emit(ctx, ep,
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
	setf(obs, sizeof(obs),
	     "%d certificate(s) sent; issuer %s; system store: %s; case trust "
	     "anchors: %s%s%s%s.",
	     c->n_chain, c->issuer, c->verify_system_msg,
	     c->verify_anchors < 0 ? "none given" : c->verify_anchors_msg,
	     c->self_signed ? "; self-signed" : "",
	     c->chain_incomplete ? "; the issuer of the last certificate sent "
	                           "was neither sent nor found in a store "
	                           "(chain incomplete or issuer unknown)"
	                         : "",
	     c->chain_order_ok ? "" : "; certificates not in issuing order");
	if (trusted && !c->chain_incomplete && c->chain_order_ok)
		rc |= emit(ctx, ep,
		           &(struct cx_emit){
		               .req = "TLS-05",
		               .status = CX_PASS,
		               .title = "Chain trusted and complete",
		               .observed = obs,
		               .method = m_chain,
		               .evidence = ev,
		           });
	else
		rc |= emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-05",
		        .status = CX_FAIL,
		        .title = !trusted              ? (c->self_signed
		                                              ? "Self-signed certificate"
		                                          : c->chain_incomplete
		                                              ? "Chain incomplete or "
		                                                "issuer not trusted"
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
		setf(obs, sizeof(obs),
		     "No host name in scope resolves to %s; certificate "
		     "subject %s, SAN %s.",
		     ep->addr, c->subject, c->san[0] ? c->san : "none");
		rc |= emit(ctx, ep,
		           &(struct cx_emit){
		               .req = "TLS-06",
		               .status = CX_NOT_APPLICABLE,
		               .title = "No host name to match",
		               .observed = obs,
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
		setf(obs, sizeof(obs),
		     "Name %s (sent as SNI); certificate subject %s, SAN %s.",
		     ep->names[i], subj, san[0] ? san : "none");
		setf(title, sizeof(title), "Certificate %s %s",
		     ok ? "matches" : "does not match", ep->names[i]);
		if (!ok)
			sm->names_mismatch = 1;
		rc |= emit(
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
		int weak = 0;
		if (strcmp(c->key_type, "RSA") == 0 ||
		    strcmp(c->key_type, "DSA") == 0)
			weak = c->key_bits < tp->min_rsa;
		else if (strcmp(c->key_type, "EC") == 0)
			weak = c->key_bits < tp->min_ecc;
		setf(obs, sizeof(obs),
		     "%s key of %d bits%s%s (minimum RSA %ld, ECC %ld).",
		     c->key_type, c->key_bits, c->curve[0] ? ", curve " : "",
		     c->curve, tp->min_rsa, tp->min_ecc);
		rc |= emit(ctx, ep,
		           &(struct cx_emit){
		               .req = "TLS-07",
		               .status = weak ? CX_FAIL : CX_PASS,
		               .title = weak ? "Certificate key too short"
		                             : "Certificate key long enough",
		               .observed = obs,
		               .method = m_chain,
		               .evidence = ev,
		           });
	}
	/* TLS-08 signature */
	if (c->weak_sig) {
		rc |= emit(ctx, ep,
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
		setf(obs, sizeof(obs), "Leaf signed with %s.", c->sigalg);
		rc |=
		    emit(ctx, ep,
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
		setf(title, sizeof(title), "%s", title_bad);
		break;
	case TLS_POTENTIAL:
		st = CX_FAIL;
		ce = CX_POTENTIAL;
		setf(title, sizeof(title), "%s (potential)", title_bad);
		break;
	case TLS_NO:
		st = CX_PASS;
		setf(title, sizeof(title), "%s", title_ok);
		break;
	default:
		st = CX_NOT_CHECKED;
		setf(title, sizeof(title), "%s: not determined", item);
		break;
	}
	return emit(
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

static int emit_vulns(struct cx_check_ctx *ctx, const struct tls_ep *ep,
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
	setf(note, sizeof(note), "%s",
	     ep->proto[1] == TLS_YES
	         ? (sm->poodle ? "SSLv3 accepted with CBC suites"
	                       : "SSLv3 accepted, but only without CBC")
	     : ep->proto[1] == TLS_NO ? "SSLv3 refused"
	                              : ep->proto_note[1]);
	rc |= emit_vuln(ctx, ep, "poodle", r, "POODLE (SSLv3 with CBC)",
	                "Not vulnerable to POODLE (SSLv3)", note, M_SUITES, ev,
	                -1);
	rc |=
	    emit_vuln(ctx, ep, "sweet32", sm->block64 ? TLS_YES : TLS_NO,
	              "SWEET32 (64-bit block ciphers accepted)",
	              "No 64-bit block cipher accepted",
	              sm->block64 ? "3DES, DES, IDEA, RC2 or GOST 28147/Magma "
	                            "suites accepted"
	                          : "no 64-bit block cipher suite accepted",
	              M_SUITES, ev, -1);
	rc |= emit_vuln(ctx, ep, "freak", sm->export_rsa ? TLS_YES : TLS_NO,
	                "FREAK (export RSA suites accepted)",
	                "No export RSA suite accepted",
	                sm->export_rsa ? "RSA_EXPORT suites accepted"
	                               : "no RSA_EXPORT suite accepted",
	                M_SUITES, ev, -1);
	setf(note, sizeof(note), "%s; smallest DHE prime: %d bits",
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

static int emit_behaviour(struct cx_check_ctx *ctx, const struct tls_ep *ep,
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
		rc |= emit(ctx, ep,
		           &(struct cx_emit){
		               .req = "TLS-10",
		               .item = "secure-renegotiation",
		               .status = CX_PASS,
		               .title = "Renegotiation does not exist",
		               .observed = "only TLS 1.3 accepted",
		               .method = M_PROTO,
		               .evidence = ev,
		           });
	else
		rc |= emit(
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
	rc |= emit(
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
	rc |= emit(
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
		setf(obs, sizeof(obs),
		     "DHE primes from %d to %d bits (minimum %ld).", ep->dh_min,
		     ep->dh_max, tp->min_dh);
		rc |= emit(
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
		rc |= emit(ctx, ep,
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
		rc |= emit(
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
		rc |= emit(
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
	rc |= emit(
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
		rc |=
		    emit(ctx, ep,
		         &(struct cx_emit){
		             .req = "TLS-13",
		             .status = CX_NOT_CHECKED,
		             .title = "OCSP stapling not tested",
		             .observed = ep->ossl_err[0] ? ep->ossl_err
		                                         : "no full handshake",
		         });
	else {
		setf(obs, sizeof(obs),
		     "%s%s; certificate must-staple: %s; revocation "
		     "information in the certificate: OCSP %s, CRL %s",
		     ep->ocsp_stapled ? "OCSP response stapled"
		                      : "no OCSP response stapled",
		     ep->ocsp_stapled && ep->ocsp_status == 0   ? " (good)"
		     : ep->ocsp_stapled && ep->ocsp_status == 1 ? " (revoked)"
		                                                : "",
		     sm->cert.must_staple ? "yes" : "no",
		     sm->cert.ocsp_uri ? "yes" : "no",
		     sm->cert.crl_dp ? "yes" : "no");
		rc |=
		    emit(ctx, ep,
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

/* ------------------------------------------------------------------ */

static void fill_grade(const struct tls_ep *ep, const struct tls_sum *sm,
                       struct tls_grade_in *g)
{
	int i, kx;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < TLS_NPROTO; i++)
		g->proto[i] = ep->proto[i] == TLS_YES;
	kx = sm->cert.present ? sm->cert.key_equiv_bits : -1;
	if (ep->dh_min > 0 && (kx < 0 || ep->dh_min < kx))
		kx = ep->dh_min;
	if (ep->ecdh_min > 0 && (kx < 0 || ep->ecdh_min < kx))
		kx = ep->ecdh_min;
	if (sm->export_any && (kx < 0 || kx > 512))
		kx = 512;
	if (sm->anon)
		kx = 0;
	g->min_kx_bits = kx;
	g->min_cipher_bits = sm->min_bits;
	g->max_cipher_bits = sm->max_bits;
	g->export_suites = sm->export_any;
	g->anon_suites = sm->anon;
	g->null_suites = sm->null;
	g->rc4 = sm->rc4;
	g->rc4_modern = sm->rc4_modern;
	g->block64 = sm->block64;
	g->fs_all = sm->fs_all;
	g->fs_any = sm->fs_any;
	g->aead_any = sm->aead_any;
	g->poodle = sm->poodle;
	g->heartbleed = ep->heartbleed == TLS_YES;
	g->ccs_injection = ep->ccs == TLS_YES;
	g->drown = ep->proto[0] == TLS_YES || sm->drown_shared;
	g->compression = ep->compression == TLS_YES;
	g->robot = ep->robot == TLS_YES;
	g->insecure_reneg = ep->reneg_secure == TLS_NO && !sm->only_tls13;
	g->client_reneg = ep->client_reneg == TLS_YES;
	g->cert_key_bits = sm->cert.present ? sm->cert.key_equiv_bits : 0;
	g->dh_bits = ep->dh_min;
	g->chain_incomplete = sm->cert.chain_incomplete;
	g->untrusted = sm->cert.present && sm->cert.verify_system != 1 &&
	               sm->cert.verify_anchors != 1;
	g->expired = sm->cert.expired || sm->cert.not_yet_valid;
	g->hostname_mismatch = sm->names_mismatch;
	g->weak_sig = sm->cert.weak_sig == 2;
}

static void observe(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                    const struct tls_sum *sm, const struct tls_grade_out *go)
{
	struct cx_observation *o;
	struct cx_buf b = {0};
	const struct tls_cert_info *c = &sm->cert;
	char name[32];
	size_t i;
	int p;

	o = cx_run_add_obs(ctx->run, "tls-endpoint", ep->asset);
	if (o == NULL)
		return;
	if (ep->starttls != TLS_ST_NONE)
		cx_obs_prop(o, "starttls",
		            ep->starttls == TLS_ST_SMTP   ? "smtp"
		            : ep->starttls == TLS_ST_IMAP ? "imap"
		            : ep->starttls == TLS_ST_POP3 ? "pop3"
		                                          : "ftp");
	if (ep->sni)
		cx_obs_prop(o, "sni", ep->sni);
	proto_list(ep, &b);
	cx_obs_prop(o, "protocols", b.data ? b.data : "");
	cx_buf_free(&b);
	for (p = TLS_NPROTO - 1; p >= 0; p--) {
		if (ep->proto[p] != TLS_YES)
			continue;
		setf(name, sizeof(name), "suites.%s", tls_proto_name(p));
		suite_list(ep, p, &b);
		cx_obs_prop(o, name, b.data ? b.data : "");
		cx_buf_free(&b);
		setf(name, sizeof(name), "order.%s", tls_proto_name(p));
		cx_obs_prop(o, name,
		            ep->pref[p] == TLS_YES ? "server"
		            : ep->pref[p] == TLS_NO
		                ? "client"
		                : (ep->n_suites[p] < 2 ? "single" : "unknown"));
	}
	for (i = 0; i < ep->n_groups; i++)
		cx_buf_printf(&b, "%s%s", i ? " " : "",
		              tls_group_name(ep->groups[i])
		                  ? tls_group_name(ep->groups[i])
		                  : "?");
	cx_obs_prop(o, "groups", b.data ? b.data : "");
	cx_buf_free(&b);
	cx_obs_propf(o, "dh_bits", "%d", ep->dh_min);
	if (c->present) {
		cx_obs_prop(o, "cert.subject", c->subject);
		cx_obs_prop(o, "cert.san", c->san);
		cx_obs_prop(o, "cert.issuer", c->issuer);
		cx_obs_prop(o, "cert.serial", c->serial);
		cx_obs_prop(o, "cert.not_before", c->not_before);
		cx_obs_prop(o, "cert.not_after", c->not_after);
		cx_obs_propf(o, "cert.key", "%s %d%s%s", c->key_type,
		             c->key_bits, c->curve[0] ? " " : "", c->curve);
		cx_obs_prop(o, "cert.sigalg", c->sigalg);
		cx_obs_propf(o, "cert.chain_length", "%d", c->n_chain);
		cx_obs_prop(o, "cert.trusted_system",
		            c->verify_system == 1 ? "yes"
		                                  : c->verify_system_msg);
		cx_obs_prop(o, "cert.trusted_anchors",
		            c->verify_anchors < 0    ? "no anchors"
		            : c->verify_anchors == 1 ? "yes"
		                                     : c->verify_anchors_msg);
		cx_obs_prop(o, "cert.must_staple",
		            c->must_staple ? "yes" : "no");
		cx_obs_prop(o, "cert.revocation",
		            c->ocsp_uri && c->crl_dp ? "OCSP, CRL"
		            : c->ocsp_uri            ? "OCSP"
		            : c->crl_dp              ? "CRL"
		                                     : "none");
		cx_obs_prop(o, "cert.sct_extension", c->sct_ext ? "yes" : "no");
		cx_obs_propf(o, "cert.spki_sha256", "%s", c->spki_sha256);
	}
	cx_obs_propf(o, "scts", "%d", ep->n_scts + (c->sct_ext ? 0 : 0));
	cx_obs_prop(o, "alpn", ep->alpn);
	cx_obs_prop(o, "ocsp_stapling", ep->ocsp_stapled ? "yes" : "no");
	cx_obs_prop(o, "compression", tri(ep->compression));
	cx_obs_prop(o, "secure_renegotiation", tri(ep->reneg_secure));
	cx_obs_prop(o, "client_renegotiation", tri(ep->client_reneg));
	cx_obs_prop(o, "fallback_scsv", tri(ep->fallback));
	cx_obs_prop(o, "heartbleed", tri(ep->heartbleed));
	cx_obs_prop(o, "ccs_injection", tri(ep->ccs));
	cx_obs_prop(o, "poodle", sm->poodle ? "yes" : "no");
	cx_obs_prop(o, "sweet32", sm->block64 ? "yes" : "no");
	cx_obs_prop(o, "freak", sm->export_rsa ? "yes" : "no");
	cx_obs_prop(o, "logjam",
	            sm->export_dhe || (ep->dh_min > 0 && ep->dh_min < 1024)
	                ? "yes"
	                : "no");
	cx_obs_prop(o, "drown",
	            ep->proto[0] == TLS_YES || sm->drown_shared ? "yes" : "no");
	cx_obs_prop(o, "beast", sm->beast ? "yes" : "no");
	cx_obs_prop(o, "lucky13", sm->cbc_tls ? "potential" : "no");
	cx_obs_prop(o, "robot", tri(ep->robot));
	cx_obs_prop(o, "grade", go->grade);
	cx_obs_prop(o, "trust_grade", go->trust[0] ? go->trust : "trusted");
	cx_obs_propf(o, "grade_score",
	             "%d (protocol %d, key exchange %d, "
	             "cipher %d)",
	             go->score, go->proto_score, go->kx_score,
	             go->cipher_score);
	cx_obs_prop(o, "grade_caps", go->caps);
	cx_obs_prop(o, "grade_algorithm", TLS_GRADE_ALGO);
	cx_obs_propf(o, "probes", "%d", ep->probes);
}

static int report_endpoint(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                           const struct tls_params *tp, X509_STORE *sys,
                           X509_STORE *anch, int drown_shared)
{
	struct tls_sum sm;
	struct tls_grade_in gi;
	struct tls_grade_out go;
	const char *ev_sh = NULL, *ev_chain = NULL;
	struct cx_buf pem = {0};
	int rc = 0;

	memset(&sm, 0, sizeof(sm));
	summarise(ep, &sm);
	sm.drown_shared = drown_shared;
	rc = tls_cert_analyse(ep->chain, sys, anch, &sm.cert);
	if (rc)
		return rc;
	if (ctx->run->dir != NULL) {
		if (ep->sh_raw.len > 0)
			cx_run_add_evidence(
			    ctx->run, ep->asset, "tls-serverhello",
			    "first server flight (ServerHello "
			    "record) as received",
			    ep->sh_raw.data, ep->sh_raw.len, &ev_sh);
		if (ep->chain != NULL && tls_chain_pem(ep->chain, &pem) == 0 &&
		    pem.len > 0)
			cx_run_add_evidence(ctx->run, ep->asset, "tls-chain",
			                    "certificate chain as sent (PEM)",
			                    pem.data, pem.len, &ev_chain);
		cx_buf_free(&pem);
	}
	rc |= emit_protocols(ctx, ep, tp, ev_sh);
	rc |= emit_suites(ctx, ep, &sm, ev_sh);
	rc |= emit_cert(ctx, ep, tp, &sm, ev_chain);
	rc |= emit_vulns(ctx, ep, &sm, ev_sh);
	rc |= emit_behaviour(ctx, ep, tp, &sm, ev_sh);
	fill_grade(ep, &sm, &gi);
	tls_grade(&gi, &go);
	observe(ctx, ep, &sm, &go);
	return rc ? CX_ENOMEM : CX_OK;
}

/* ------------------------------------------------------------------ */

/*
 * 1 when service detection recorded that the service does not offer
 * STARTTLS (its "service" observation, property "starttls").
 */
static int starttls_not_offered(const struct cx_run *run,
                                const struct cx_port_obs *p)
{
	char asset[96];
	const char *v;
	size_t i;

	if (strchr(p->addr, ':') != NULL)
		snprintf(asset, sizeof(asset), "[%s]:%d/tcp", p->addr, p->port);
	else
		snprintf(asset, sizeof(asset), "%s:%d/tcp", p->addr, p->port);
	for (i = 0; i < run->n_obs; i++) {
		if (strcmp(run->obs[i].kind, "service") != 0 ||
		    strcmp(run->obs[i].asset, asset) != 0)
			continue;
		v = cx_obs_get(&run->obs[i], "starttls");
		return v != NULL && strcmp(v, "not-offered") == 0;
	}
	return 0;
}

static enum tls_starttls starttls_of(const char *service)
{
	if (service == NULL)
		return TLS_ST_NONE;
	if (strcmp(service, "smtp") == 0 || strcmp(service, "submission") == 0)
		return TLS_ST_SMTP;
	if (strcmp(service, "imap") == 0)
		return TLS_ST_IMAP;
	if (strcmp(service, "pop3") == 0)
		return TLS_ST_POP3;
	if (strcmp(service, "ftp") == 0)
		return TLS_ST_FTP;
	return TLS_ST_NONE;
}

/* Host names of the scope that resolved to addr (borrowed pointers). */
static size_t names_for(const struct cx_scope *scope, const char *addr,
                        char **names, size_t cap)
{
	struct cx_addr a;
	size_t i, j, n = 0;
	int dup;

	if (scope == NULL || cx_addr_parse(addr, &a) != 0)
		return 0;
	for (i = 0; i < scope->n_blocks && n < cap; i++) {
		const struct cx_block *b = &scope->blocks[i];
		if (b->hostname == NULL || b->first.family != a.family ||
		    cx_addr_cmp(&b->first, &a) > 0 ||
		    cx_addr_cmp(&a, &b->last) > 0)
			continue;
		dup = 0;
		for (j = 0; j < n; j++)
			if (cx_strcaseeq(names[j], b->hostname))
				dup = 1;
		if (!dup)
			names[n++] = b->hostname;
	}
	return n;
}

static void progress(void *arg, const struct tls_ep *ep)
{
	struct cx_check_ctx *ctx = arg;

	if (ctx->progress != NULL && ctx->progress->update != NULL)
		ctx->progress->update(ctx->progress->arg, "tls",
		                      ep->scan->n_done, ep->scan->n_eps,
		                      ep->scan->n_done);
}

static int tls_run(struct cx_check_ctx *ctx)
{
	struct tls_scan scan;
	struct tls_params tp;
	char *names[16];
	char **anchors = NULL;
	X509_STORE *sys = NULL, *anch = NULL;
	size_t n_anchors = 0, i, j, n_names;
	int rc, lrc, probe_ms, any = 0;
	const struct cx_port_obs *p;
	struct tls_ep *ep;
	enum tls_starttls st;

	read_params(ctx->profile, &tp);
	probe_ms = ctx->opts ? ctx->opts->probe_timeout_ms : 2000;
	rc = tls_scan_init(&scan, ctx->loop,
	                   ctx->opts ? ctx->opts->connect_timeout_ms : 1000,
	                   probe_ms,
	                   ctx->opts && ctx->opts->max_inflight > 0 &&
	                           ctx->opts->max_inflight < 64
	                       ? ctx->opts->max_inflight
	                       : 64);
	if (rc)
		return rc;
	for (i = 0; i < ctx->run->n_ports; i++) {
		p = &ctx->run->ports[i];
		if (p->state != CX_PORT_OPEN || p->proto == NULL ||
		    strcmp(p->proto, "tcp") != 0)
			continue;
		st = p->tls ? TLS_ST_NONE : starttls_of(p->service);
		if (!p->tls && st == TLS_ST_NONE && p->service != NULL)
			continue;
		if (st != TLS_ST_NONE && starttls_not_offered(ctx->run, p))
			continue; /* service detection saw no STARTTLS */
		n_names =
		    names_for(ctx->scope, p->addr, names, CX_ARRAY_LEN(names));
		rc = tls_scan_add(&scan, p->addr, p->port, st,
		                  n_names ? names[0] : NULL, names, n_names,
		                  !p->tls && st == TLS_ST_NONE, &ep);
		if (rc == CX_EINVAL)
			continue;
		if (rc)
			goto out;
		any = 1;
	}
	if (!any) {
		rc = CX_OK;
		goto out;
	}
	if (ctx->obj != NULL && ctx->obj->n_trust_anchors > 0) {
		anchors = calloc(ctx->obj->n_trust_anchors, sizeof(*anchors));
		if (anchors == NULL) {
			rc = CX_ENOMEM;
			goto out;
		}
		for (i = 0; i < ctx->obj->n_trust_anchors; i++) {
			const char *a = ctx->obj->trust_anchors[i];
			anchors[n_anchors] =
			    a[0] == '/' || ctx->opts == NULL ||
			            ctx->opts->case_dir == NULL
			        ? cx_strdup(a)
			        : cx_path_join(ctx->opts->case_dir, a);
			if (anchors[n_anchors] == NULL) {
				rc = CX_ENOMEM;
				goto out;
			}
			n_anchors++;
		}
	}
	scan.on_done = progress;
	scan.on_done_arg = ctx;
	scan.rate = ctx->opts && ctx->opts->rate > 0 ? ctx->opts->rate : 0;
	rc = tls_cert_stores(anchors, n_anchors, &sys, &anch);
	if (rc)
		goto out;
	rc = tls_scan_start(&scan);
	if (rc)
		goto out;
	lrc = cx_loop_run(ctx->loop);
	for (i = 0; i < scan.n_eps; i++) {
		const struct tls_ep *e = scan.eps[i];
		int shared = 0;
		char spki[65], spki2[65];

		if (e->stage != 3) {
			emit(ctx, e,
			     &(struct cx_emit){
			         .req = "TLS-01",
			         .status = CX_NOT_CHECKED,
			         .title = "TLS inspection interrupted",
			         .observed = "the scan was interrupted before "
			                     "this endpoint "
			                     "was fully inspected",
			     });
			continue;
		}
		if (!e->is_tls && e->detect)
			continue; /* not a TLS port */
		if (!e->is_tls && e->starttls != TLS_ST_NONE &&
		    strstr(e->proto_note[4], "STARTTLS refused") != NULL) {
			/* Advertised, then refused: the service has no TLS
			 * to examine (its cleartext use is the ports
			 * check's business). */
			emit(ctx, e,
			     &(struct cx_emit){
			         .req = "TLS-01",
			         .status = CX_NOT_APPLICABLE,
			         .title = "STARTTLS refused by the server",
			         .observed = "the server refused the STARTTLS "
			                     "command: no TLS "
			                     "is offered on this service",
			         .method = M_PROTO,
			     });
			continue;
		}
		if (!e->is_tls) {
			emit(ctx, e,
			     &(struct cx_emit){
			         .req = "TLS-01",
			         .status = CX_ERROR,
			         .title = "No TLS handshake possible",
			         .observed = e->proto_note[4][0]
			                         ? e->proto_note[4]
			                         : "no TLS answer",
			         .method = M_PROTO,
			     });
			continue;
		}
		/* DROWN: the same key on an SSLv2 endpoint of this run. */
		if (e->proto[0] != TLS_YES && e->chain != NULL &&
		    sk_X509_num(e->chain) > 0) {
			tls_spki_sha256(sk_X509_value(e->chain, 0), spki);
			for (j = 0; j < scan.n_eps; j++) {
				const struct tls_ep *o = scan.eps[j];
				if (j == i || o->proto[0] != TLS_YES ||
				    o->chain == NULL ||
				    sk_X509_num(o->chain) < 1)
					continue;
				tls_spki_sha256(sk_X509_value(o->chain, 0),
				                spki2);
				if (spki[0] != '\0' && strcmp(spki, spki2) == 0)
					shared = 1;
			}
		}
		rc = report_endpoint(ctx, e, &tp, sys, anch, shared);
		if (rc)
			goto out;
	}
	rc = lrc == CX_EINTR ? CX_EINTR : CX_OK;
out:
	X509_STORE_free(sys);
	X509_STORE_free(anch);
	for (i = 0; i < n_anchors; i++)
		free(anchors[i]);
	free(anchors);
	tls_scan_free(&scan);
	return rc;
}

const struct cx_check cx_check_tls = {
    .id = "tls",
    .title = "TLS configuration of every TLS endpoint",
    .block = "tls",
    .flags = CX_CHECK_NETWORK,
    .run = tls_run,
};
