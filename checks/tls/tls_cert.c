/*
 * certexam — certificate analysis for the tls check, with OpenSSL: names,
 * validity, key, signature algorithm, chain order, verification against
 * the system store and against the case's trust anchors, host names,
 * must-staple and SCTs.  Everything in a certificate came from the target
 * and is sanitised with cx_text_from_bytes() before it is stored.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "certexam/error.h"
#include "certexam/escape.h"
#include "certexam/target.h"
#include "tls_int.h"

static void put_text(char *dst, size_t dsz, const char *src, size_t n)
{
	char *t = cx_text_from_bytes(src, n);

	snprintf(dst, dsz, "%s", t ? t : "");
	free(t);
}

static void name_text(const X509_NAME *nm, char *dst, size_t dsz)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL;
	long n;

	dst[0] = '\0';
	if (b == NULL)
		return;
	if (X509_NAME_print_ex(b, nm, 0,
	                       XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		n = BIO_get_mem_data(b, &p);
		if (n > 0 && p != NULL)
			put_text(dst, dsz, p, (size_t)n);
	}
	BIO_free(b);
}

static void time_text(const ASN1_TIME *t, char *dst, size_t dsz)
{
	struct tm tm;

	dst[0] = '\0';
	if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
		return;
	strftime(dst, dsz, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void san_text(X509 *x, char *dst, size_t dsz)
{
	GENERAL_NAMES *gens =
	    X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	struct cx_buf b = {0};
	int i;
	char ip[64];

	dst[0] = '\0';
	if (gens == NULL)
		return;
	for (i = 0; i < sk_GENERAL_NAME_num(gens) && i < 100; i++) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		if (g->type == GEN_DNS) {
			cx_buf_printf(&b, "%sDNS:", b.len ? ", " : "");
			cx_buf_append(&b, ASN1_STRING_get0_data(g->d.dNSName),
			              (size_t)ASN1_STRING_length(g->d.dNSName));
		} else if (g->type == GEN_IPADD) {
			const unsigned char *a =
			    ASN1_STRING_get0_data(g->d.iPAddress);
			int l = ASN1_STRING_length(g->d.iPAddress);
			if (l == 4)
				snprintf(ip, sizeof(ip), "%u.%u.%u.%u", a[0],
				         a[1], a[2], a[3]);
			else
				snprintf(ip, sizeof(ip), "(IPv6)");
			cx_buf_printf(&b, "%sIP:%s", b.len ? ", " : "", ip);
		}
	}
	GENERAL_NAMES_free(gens);
	if (b.data != NULL)
		put_text(dst, dsz, b.data, b.len);
	cx_buf_free(&b);
}

/* The first caIssuers URI of x's Authority Information Access, or "". */
static void ca_issuers_uri(X509 *x, char *dst, size_t dsz)
{
	AUTHORITY_INFO_ACCESS *aia =
	    X509_get_ext_d2i(x, NID_info_access, NULL, NULL);
	int i;

	dst[0] = '\0';
	if (aia == NULL)
		return;
	for (i = 0; i < sk_ACCESS_DESCRIPTION_num(aia); i++) {
		ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);

		if (OBJ_obj2nid(ad->method) != NID_ad_ca_issuers ||
		    ad->location->type != GEN_URI)
			continue;
		put_text(dst, dsz,
		         (const char *)ASN1_STRING_get0_data(
		             ad->location->d.uniformResourceIdentifier),
		         (size_t)ASN1_STRING_length(
		             ad->location->d.uniformResourceIdentifier));
		break;
	}
	AUTHORITY_INFO_ACCESS_free(aia);
}

/*
 * The public-key algorithm of x: its NID (NID_undef when OpenSSL does not
 * know the OID) and "long name (OID)" in dst.
 */
static int key_alg(X509 *x, char *dst, size_t dsz)
{
	ASN1_OBJECT *alg = NULL;
	char oid[80] = "";
	int nid;

	dst[0] = '\0';
	if (X509_PUBKEY_get0_param(&alg, NULL, NULL, NULL,
	                           X509_get_X509_PUBKEY(x)) != 1 ||
	    alg == NULL)
		return NID_undef;
	OBJ_obj2txt(oid, sizeof(oid), alg, 1);
	nid = OBJ_obj2nid(alg);
	snprintf(dst, dsz, "%s (%s)",
	         nid != NID_undef ? OBJ_nid2ln(nid) : "unknown algorithm", oid);
	return nid;
}

/* The signature algorithm of x, "long name (OID)"; NID_undef if unknown. */
static int sig_alg(X509 *x, char *dst, size_t dsz)
{
	const X509_ALGOR *a = NULL;
	const ASN1_OBJECT *obj = NULL;
	char oid[80] = "";
	int nid;

	X509_get0_signature(NULL, &a, x);
	if (a != NULL)
		X509_ALGOR_get0(&obj, NULL, NULL, a);
	if (obj != NULL)
		OBJ_obj2txt(oid, sizeof(oid), obj, 1);
	nid = obj != NULL ? OBJ_obj2nid(obj) : NID_undef;
	snprintf(dst, dsz, "%s (%s)",
	         nid != NID_undef ? OBJ_nid2ln(nid) : "unknown algorithm", oid);
	return nid;
}

/*
 * GOST R 34.10 keys by their OID, known to OpenSSL with or without the
 * GOST engine: elliptic curves of 256 or 512 bits.  0 when not GOST.
 */
static int gost_bits(int nid, const char **name)
{
	switch (nid) {
	case NID_id_GostR3410_2012_256:
		*name = "GOST2012-256";
		return 256;
	case NID_id_GostR3410_2012_512:
		*name = "GOST2012-512";
		return 512;
	case NID_id_GostR3410_2001:
		*name = "GOST2001";
		return 256;
	default:
		return 0;
	}
}

/* RSA-equivalent strength of an elliptic-curve key of bits. */
static int ec_equiv(int bits)
{
	return bits >= 512   ? 15360
	       : bits >= 384 ? 7680
	       : bits >= 256 ? 3072
	       : bits >= 224 ? 2048
	                     : 1024;
}

static int self_issued(X509 *x)
{
	return (X509_get_extension_flags(x) & EXFLAG_SS) != 0 ||
	       X509_check_issued(x, x) == X509_V_OK;
}

static int verify_with(X509_STORE *store, STACK_OF(X509) * chain, int *err,
                       char *msg, size_t msz)
{
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	int i, ok = 0;

	if (ctx == NULL || untrusted == NULL)
		goto out;
	for (i = 1; i < sk_X509_num(chain); i++)
		sk_X509_push(untrusted, sk_X509_value(chain, i));
	if (X509_STORE_CTX_init(ctx, store, sk_X509_value(chain, 0),
	                        untrusted) != 1)
		goto out;
	X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
	ok = X509_verify_cert(ctx) == 1;
	*err = X509_STORE_CTX_get_error(ctx);
	snprintf(msg, msz, "%s",
	         ok ? "ok" : X509_verify_cert_error_string(*err));
out:
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	ERR_clear_error();
	return ok;
}

int tls_cert_analyse(STACK_OF(X509) * chain, X509_STORE *sys,
                     X509_STORE *anchors, struct tls_cert_info *out)
{
	X509 *leaf, *x;
	EVP_PKEY *pk;
	ASN1_INTEGER *ser;
	BIGNUM *bn;
	char *hex;
	int i, mdnid = 0, pknid = 0, secbits = 0, day = 0, sec = 0;
	uint32_t flags = 0;
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0;
	size_t k;

	memset(out, 0, sizeof(*out));
	out->verify_anchors = -1;
	if (chain == NULL || sk_X509_num(chain) < 1)
		return CX_OK;
	leaf = sk_X509_value(chain, 0);
	out->present = 1;
	out->n_chain = sk_X509_num(chain);
	name_text(X509_get_subject_name(leaf), out->subject,
	          sizeof(out->subject));
	name_text(X509_get_issuer_name(leaf), out->issuer, sizeof(out->issuer));
	ser = X509_get_serialNumber(leaf);
	bn = ASN1_INTEGER_to_BN(ser, NULL);
	if (bn != NULL) {
		hex = BN_bn2hex(bn);
		if (hex != NULL)
			snprintf(out->serial, sizeof(out->serial), "%s", hex);
		OPENSSL_free(hex);
		BN_free(bn);
	}
	time_text(X509_get0_notBefore(leaf), out->not_before,
	          sizeof(out->not_before));
	time_text(X509_get0_notAfter(leaf), out->not_after,
	          sizeof(out->not_after));
	if (ASN1_TIME_diff(&day, &sec, NULL, X509_get0_notAfter(leaf)) == 1)
		out->days_left = day;
	out->expired = X509_cmp_current_time(X509_get0_notAfter(leaf)) < 0;
	out->not_yet_valid =
	    X509_cmp_current_time(X509_get0_notBefore(leaf)) > 0;
	san_text(leaf, out->san, sizeof(out->san));
	out->self_signed = self_issued(leaf);

	pk = X509_get0_pubkey(leaf);
	{
		char alg[160];
		const char *gname = NULL;
		int knid = key_alg(leaf, alg, sizeof(alg));
		int gb = gost_bits(pk != NULL ? EVP_PKEY_get_base_id(pk) : knid,
		                   &gname);

		if (gb == 0 && pk == NULL)
			gb = gost_bits(knid, &gname);
		if (gb > 0) {
			/* GOST R 34.10: sized by its OID, decoded or not. */
			snprintf(out->key_type, sizeof(out->key_type), "%s",
			         gname);
			out->key_bits = gb;
			out->key_equiv_bits = ec_equiv(gb);
			pk = NULL;
		} else if (pk == NULL) {
			out->key_unknown = 1;
			tls_setf(out->key_type, sizeof(out->key_type), "%s",
			         alg[0] ? alg : "unknown");
			tls_setf(out->unknown_alg, sizeof(out->unknown_alg),
			         "public key %s", alg[0] ? alg : "unreadable");
		}
	}
	if (pk != NULL) {
		int id = EVP_PKEY_get_base_id(pk);
		out->key_bits = EVP_PKEY_get_bits(pk);
		out->key_equiv_bits = out->key_bits;
		switch (id) {
		case EVP_PKEY_RSA:
		case EVP_PKEY_RSA_PSS:
			snprintf(out->key_type, sizeof(out->key_type), "RSA");
			break;
		case EVP_PKEY_EC: {
			char cn[32] = "";
			size_t cl = 0;
			snprintf(out->key_type, sizeof(out->key_type), "EC");
			if (EVP_PKEY_get_utf8_string_param(
			        pk, "group", cn, sizeof(cn), &cl) == 1)
				snprintf(out->curve, sizeof(out->curve), "%s",
				         cn);
			out->key_equiv_bits = ec_equiv(out->key_bits);
			break;
		}
		case EVP_PKEY_ED25519:
			snprintf(out->key_type, sizeof(out->key_type),
			         "ED25519");
			out->key_equiv_bits = 3072;
			break;
		case EVP_PKEY_ED448:
			snprintf(out->key_type, sizeof(out->key_type), "ED448");
			out->key_equiv_bits = 7680;
			break;
		case EVP_PKEY_DSA:
			snprintf(out->key_type, sizeof(out->key_type), "DSA");
			break;
		default:
			snprintf(out->key_type, sizeof(out->key_type), "%s",
			         OBJ_nid2sn(id) ? OBJ_nid2sn(id) : "unknown");
			out->key_unknown = 1;
			break;
		}
	}
	snprintf(out->sigalg, sizeof(out->sigalg), "%s",
	         OBJ_nid2ln(X509_get_signature_nid(leaf))
	             ? OBJ_nid2ln(X509_get_signature_nid(leaf))
	             : "unknown");
	/* Weak signatures on every sent certificate that is not a root. */
	for (i = 0; i < out->n_chain; i++) {
		x = sk_X509_value(chain, i);
		if (i > 0 && self_issued(x))
			continue;
		if (X509_get_signature_info(x, &mdnid, &pknid, &secbits,
		                            &flags) != 1)
			continue;
		if (mdnid == NID_md5 || mdnid == NID_md2 || mdnid == NID_md4 ||
		    mdnid == NID_sha1) {
			int w = mdnid == NID_sha1 ? 1 : 2;
			size_t l = strlen(out->weak_sig_note);
			if (w > out->weak_sig)
				out->weak_sig = w;
			snprintf(out->weak_sig_note + l,
			         sizeof(out->weak_sig_note) - l, "%s#%d %s",
			         l ? "; " : "", i,
			         OBJ_nid2ln(X509_get_signature_nid(x)));
		}
	}
	/*
	 * A certificate whose key or signature algorithm this build does
	 * not implement (GOST without the GOST engine, the Kazakh national
	 * certification centre's GOST 34.310 arc 1.2.398.3.10.1.1) cannot
	 * be verified either way.
	 */
	for (i = 0; i < out->n_chain && !out->unverifiable; i++) {
		char alg[160];

		x = sk_X509_value(chain, i);
		if (X509_get0_pubkey(x) == NULL) {
			(void)key_alg(x, alg, sizeof(alg));
			tls_setf(out->unknown_alg, sizeof(out->unknown_alg),
			         "certificate %d: public key %s", i,
			         alg[0] ? alg : "unreadable");
			out->unverifiable = 1;
		} else if (sig_alg(x, alg, sizeof(alg)) == NID_undef) {
			tls_setf(out->unknown_alg, sizeof(out->unknown_alg),
			         "certificate %d: signature %s", i, alg);
			out->unverifiable = 1;
		}
	}
	/* Order: each certificate is issued by the next one. */
	out->chain_order_ok = 1;
	for (i = 0; i + 1 < out->n_chain; i++)
		if (X509_check_issued(sk_X509_value(chain, i + 1),
		                      sk_X509_value(chain, i)) != X509_V_OK)
			out->chain_order_ok = 0;
	/*
	 * A chain whose last certificate is neither self-issued nor a CA
	 * lacks at least one intermediate.  When the last one is a CA, its
	 * issuer is normally a root, which need not be sent; without that
	 * root in a store, "complete but untrusted" is what we can say.
	 */
	x = sk_X509_value(chain, out->n_chain - 1);
	if (!self_issued(x) && X509_check_ca(x) == 0)
		out->chain_incomplete = 1; /* refined below */

	if (sys != NULL)
		out->verify_system = verify_with(
		    sys, chain, &out->verify_system_err, out->verify_system_msg,
		    sizeof(out->verify_system_msg));
	else
		snprintf(out->verify_system_msg, sizeof(out->verify_system_msg),
		         "no system store");
	if (anchors != NULL)
		out->verify_anchors = verify_with(
		    anchors, chain, &out->verify_anchors_err,
		    out->verify_anchors_msg, sizeof(out->verify_anchors_msg));
	/*
	 * Incomplete: the last certificate sent is not a root and no store
	 * could supply its issuer.  When a verification succeeded the
	 * missing issuer was a trusted root, which need not be sent.
	 */
	if (out->verify_system == 1 || out->verify_anchors == 1)
		out->chain_incomplete = 0;
	else if (out->chain_incomplete &&
	         out->verify_system_err !=
	             X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY &&
	         out->verify_system_err != X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT)
		out->chain_incomplete = 0;
	/*
	 * The missing issuer is an intermediate when the last certificate
	 * sent names where to fetch it (AIA caIssuers, as every public CA
	 * does); without that, nothing sent tells a missing intermediate
	 * from a root that is simply not trusted here, and the chain is
	 * reported as untrusted, not incomplete.
	 */
	if (out->chain_incomplete) {
		name_text(X509_get_issuer_name(x), out->missing_issuer,
		          sizeof(out->missing_issuer));
		ca_issuers_uri(x, out->ca_issuers, sizeof(out->ca_issuers));
		if (out->ca_issuers[0] == '\0') {
			out->chain_incomplete = 0;
			out->issuer_unknown = 1;
		}
	}
	if (X509_get_ext_by_NID(leaf, NID_ct_precert_scts, -1) >= 0)
		out->sct_ext = 1;
	{
		STACK_OF(OPENSSL_STRING) *ocsp = X509_get1_ocsp(leaf);
		out->ocsp_uri = ocsp != NULL && sk_OPENSSL_STRING_num(ocsp) > 0;
		X509_email_free(ocsp);
	}
	out->crl_dp =
	    X509_get_ext_by_NID(leaf, NID_crl_distribution_points, -1) >= 0;
	{
		TLS_FEATURE *tf =
		    X509_get_ext_d2i(leaf, NID_tlsfeature, NULL, NULL);
		if (tf != NULL) {
			for (i = 0; i < sk_ASN1_INTEGER_num(tf); i++)
				if (ASN1_INTEGER_get(
				        sk_ASN1_INTEGER_value(tf, i)) == 5)
					out->must_staple = 1;
			sk_ASN1_INTEGER_pop_free(tf, ASN1_INTEGER_free);
		}
	}
	if (X509_pubkey_digest(leaf, EVP_sha256(), md, &mdlen) == 1) {
		for (k = 0; k < mdlen && k < 32; k++)
			snprintf(out->spki_sha256 + 2 * k, 3, "%02x", md[k]);
	}
	ERR_clear_error();
	return CX_OK;
}

/* TLS_ANCHOR_MISSING / UNREADABLE (errno in *err) or OK: can path be read? */
static int anchor_readable(const char *path, int *err)
{
	FILE *f = fopen(path, "rb");

	if (f == NULL) {
		*err = errno;
		return errno == ENOENT || errno == ENOTDIR
		           ? TLS_ANCHOR_MISSING
		           : TLS_ANCHOR_UNREADABLE;
	}
	/* A directory opens but does not read. */
	if (fgetc(f) == EOF && ferror(f)) {
		*err = errno;
		fclose(f);
		return TLS_ANCHOR_UNREADABLE;
	}
	fclose(f);
	return TLS_ANCHOR_OK;
}

int tls_cert_stores(char *const *anchors, size_t n_anchors, X509_STORE **sys,
                    X509_STORE **anch, int *status, int *err)
{
	size_t k;
	int st, e;

	*sys = X509_STORE_new();
	*anch = NULL;
	if (*sys == NULL)
		return CX_ENOMEM;
	if (X509_STORE_set_default_paths(*sys) != 1)
		ERR_clear_error();
	if (n_anchors == 0)
		return CX_OK;
	*anch = X509_STORE_new();
	if (*anch == NULL) {
		X509_STORE_free(*sys);
		*sys = NULL;
		return CX_ENOMEM;
	}
	for (k = 0; k < n_anchors; k++) {
		X509_LOOKUP *lu;

		e = 0;
		st = anchor_readable(anchors[k], &e);
		/* PEM (one or more certificates), else one DER certificate
		 * (a ".cer" as certification authorities publish them). */
		if (st == TLS_ANCHOR_OK &&
		    X509_STORE_load_file(*anch, anchors[k]) != 1) {
			ERR_clear_error();
			lu = X509_STORE_add_lookup(*anch, X509_LOOKUP_file());
			if (lu == NULL ||
			    X509_load_cert_file(lu, anchors[k],
			                        X509_FILETYPE_ASN1) != 1)
				st = TLS_ANCHOR_UNPARSABLE;
			ERR_clear_error();
		}
		if (status != NULL)
			status[k] = st;
		if (err != NULL)
			err[k] = e;
	}
	return CX_OK;
}

void tls_spki_sha256(X509 *x, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned mdlen = 0, k;

	hex[0] = '\0';
	if (x == NULL || X509_pubkey_digest(x, EVP_sha256(), md, &mdlen) != 1)
		return;
	for (k = 0; k < mdlen && k < 32; k++)
		snprintf(hex + 2 * k, 3, "%02x", md[k]);
}

void tls_cert_names(X509 *x, char *subject, size_t ssz, char *san, size_t sansz)
{
	subject[0] = san[0] = '\0';
	if (x == NULL)
		return;
	name_text(X509_get_subject_name(x), subject, ssz);
	san_text(x, san, sansz);
}

int tls_cert_match(X509 *leaf, const char *name)
{
	struct cx_addr a;

	if (leaf == NULL || name == NULL)
		return 0;
	if (cx_addr_parse(name, &a) == 0)
		return X509_check_ip_asc(leaf, name, 0) == 1;
	return X509_check_host(leaf, name, 0, 0, NULL) == 1;
}

int tls_chain_pem(STACK_OF(X509) * chain, struct cx_buf *b)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p = NULL;
	long n;
	int i, rc = CX_OK;

	if (bio == NULL)
		return CX_ENOMEM;
	for (i = 0; chain != NULL && i < sk_X509_num(chain); i++)
		if (PEM_write_bio_X509(bio, sk_X509_value(chain, i)) != 1)
			rc = CX_ETLS;
	n = BIO_get_mem_data(bio, &p);
	if (rc == CX_OK && n > 0 && cx_buf_append(b, p, (size_t)n) != 0)
		rc = CX_ENOMEM;
	BIO_free(bio);
	return rc;
}
