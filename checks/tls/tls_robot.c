/*
 * certexam — the ROBOT test (Return Of Bleichenbacher's Oracle Threat):
 * five ClientKeyExchange messages with differently malformed PKCS #1 v1.5
 * padding, each followed by ChangeCipherSpec and a garbage Finished.  A
 * server without an oracle answers all five alike; different answers
 * (alerts, closes, silence) reveal a padding oracle.  This file only
 * builds the messages; tls_conn.c sends them and tls_probe_vuln.c compares the
 * answers.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include "certexam/error.h"
#include "tls_int.h"

static void nonzero_random(uint8_t *p, size_t n)
{
	size_t i;

	if (RAND_bytes(p, (int)n) != 1)
		memset(p, 0x5a, n);
	for (i = 0; i < n; i++)
		if (p[i] == 0)
			p[i] = 0x42;
}

int tls_robot_pms(uint8_t *m, size_t k, uint16_t version, int variant)
{
	size_t pad;

	if (k < 64 || variant < 0 || variant >= TLS_ROBOT_VARIANTS)
		return CX_EINVAL;
	pad = k - 3 - 48;
	m[0] = 0x00;
	m[1] = 0x02;
	nonzero_random(m + 2, pad);
	m[2 + pad] = 0x00;
	m[3 + pad] = (uint8_t)(version >> 8);
	m[4 + pad] = (uint8_t)version;
	if (RAND_bytes(m + 5 + pad, 46) != 1)
		memset(m + 5 + pad, 0x17, 46);
	switch (variant) {
	case 0: /* well formed */
		break;
	case 1: /* wrong first two bytes */
		m[0] = 0x41;
		m[1] = 0x17;
		break;
	case 2: /* a 0x00 inside the padding, none where it belongs */
		m[10] = 0x00;
		m[2 + pad] = 0x11;
		break;
	case 3: /* no 0x00 separator at all */
		m[2 + pad] = 0x11;
		break;
	case 4: /* wrong protocol version in the premaster secret */
		m[3 + pad] = 0x02;
		m[4 + pad] = 0x02;
		break;
	}
	return CX_OK;
}

static int put(struct cx_buf *b, const void *p, size_t n)
{
	return cx_buf_append(b, p, n) ? CX_ENOMEM : CX_OK;
}

int tls_robot_build(const uint8_t *cert, size_t cert_len, uint16_t version,
                    int variant, struct cx_buf *out)
{
	const unsigned char *p = cert;
	X509 *x = NULL;
	EVP_PKEY *pk;
	BIGNUM *n = NULL, *e = NULL, *bm = NULL, *bc = NULL;
	BN_CTX *bctx = NULL;
	uint8_t m[1024], c[1024], hdr[9], fin[40];
	size_t k;
	int rc = CX_EINVAL;

	if (version < TLS_V_TLS10 || version > TLS_V_TLS12)
		return CX_EINVAL;
	x = d2i_X509(NULL, &p, (long)cert_len);
	if (x == NULL)
		goto out;
	pk = X509_get0_pubkey(x);
	if (pk == NULL || EVP_PKEY_get_base_id(pk) != EVP_PKEY_RSA)
		goto out;
	if (EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
	    EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e) != 1)
		goto out;
	k = (size_t)BN_num_bytes(n);
	if (k < 64 || k > sizeof(m))
		goto out;
	rc = tls_robot_pms(m, k, version, variant);
	if (rc)
		goto out;
	rc = CX_ENOMEM;
	bctx = BN_CTX_new();
	bm = BN_bin2bn(m, (int)k, NULL);
	bc = BN_new();
	if (bctx == NULL || bm == NULL || bc == NULL)
		goto out;
	if (BN_mod_exp(bc, bm, e, n, bctx) != 1 ||
	    BN_bn2binpad(bc, c, (int)k) != (int)k)
		goto out;
	/* ClientKeyExchange record */
	hdr[0] = 22;
	hdr[1] = (uint8_t)(version >> 8);
	hdr[2] = (uint8_t)version;
	hdr[3] = (uint8_t)((k + 6) >> 8);
	hdr[4] = (uint8_t)(k + 6);
	hdr[5] = 16;
	hdr[6] = 0;
	hdr[7] = (uint8_t)((k + 2) >> 8);
	hdr[8] = (uint8_t)(k + 2);
	if (put(out, hdr, 9))
		goto out;
	hdr[0] = (uint8_t)(k >> 8);
	hdr[1] = (uint8_t)k;
	if (put(out, hdr, 2) || put(out, c, k))
		goto out;
	/* ChangeCipherSpec, then a Finished the server cannot decrypt */
	hdr[0] = 20;
	hdr[1] = (uint8_t)(version >> 8);
	hdr[2] = (uint8_t)version;
	hdr[3] = 0;
	hdr[4] = 1;
	hdr[5] = 1;
	if (put(out, hdr, 6))
		goto out;
	hdr[0] = 22;
	hdr[3] = 0;
	hdr[4] = sizeof(fin);
	if (RAND_bytes(fin, sizeof(fin)) != 1)
		memset(fin, 0x33, sizeof(fin));
	if (put(out, hdr, 5) || put(out, fin, sizeof(fin)))
		goto out;
	rc = CX_OK;
out:
	BN_free(n);
	BN_free(e);
	BN_free(bm);
	BN_free(bc);
	BN_CTX_free(bctx);
	X509_free(x);
	return rc;
}
