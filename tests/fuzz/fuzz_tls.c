/*
 * certexam — libFuzzer harness for the TLS response parser
 * (checks/tls/tls_hello.c): tls_parse on the bytes as a TLS stream and as an
 * SSLv2 stream (records, alerts, ServerHello, HelloRetryRequest,
 * Certificate, ServerKeyExchange, ServerHelloDone, SSLv2 SERVER-HELLO),
 * also on a prefix, as the probe engine reparses a growing buffer.  The
 * certificates a Certificate message carried are then decoded and
 * analysed as the raw probe does (checks/tls/tls_cert.c,
 * checks/tls/tls_robot.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "certexam/error.h"
#include "fuzz_common.h"
#include "tls_int.h"

static void check_resp(const struct tls_resp *r, size_t len, int rc)
{
	size_t i;

	FUZZ_ASSERT(rc == TLS_PARSE_MORE || rc == TLS_PARSE_DONE ||
	            rc == TLS_PARSE_BAD);
	FUZZ_ASSERT(r->n_ext_seen <= TLS_MAX_EXT_SEEN);
	FUZZ_ASSERT(r->n_certs <= TLS_MAX_CERTS);
	FUZZ_ASSERT(r->n_ssl2_specs <= TLS_MAX_SSL2_SPECS);
	FUZZ_ASSERT(r->sh_end <= len);
	FUZZ_ASSERT(r->hs_len <= r->hs_cap || r->hs == NULL);
	FUZZ_ASSERT(r->hs_len <= TLS_PARSE_LIMIT);
	FUZZ_ASSERT(memchr(r->alpn, '\0', sizeof(r->alpn)) != NULL);
	for (i = 0; i < r->n_certs; i++)
		FUZZ_ASSERT(r->cert_off[i] <= r->hs_len &&
		            r->cert_len[i] <= r->hs_len - r->cert_off[i]);
	FUZZ_ASSERT(tls_alert_name(r->alert_desc) != NULL);
	(void)tls_suite_find(r->suite);
	(void)tls_group_name(r->group);
	(void)tls_group_bits(r->ske_group);
	(void)tls_proto_index(r->version);
}

static void certs(const struct tls_resp *r)
{
	STACK_OF(X509) * chain;
	struct tls_cert_info *info;
	struct cx_buf b = {0};
	const unsigned char *p;
	X509 *x;
	size_t i;

	if (r->n_certs == 0)
		return;
	chain = sk_X509_new_null();
	FUZZ_ASSERT(chain != NULL);
	for (i = 0; i < r->n_certs && i < 3; i++) {
		p = r->hs + r->cert_off[i];
		x = d2i_X509(NULL, &p, (long)r->cert_len[i]);
		if (x == NULL)
			break;
		if (!sk_X509_push(chain, x)) {
			X509_free(x);
			break;
		}
	}
	if (sk_X509_num(chain) > 0) {
		info = calloc(1, sizeof(*info));
		FUZZ_ASSERT(info != NULL);
		FUZZ_ASSERT(tls_cert_analyse(chain, NULL, 0, info) == CX_OK);
		FUZZ_ASSERT(
		    memchr(info->subject, '\0', sizeof(info->subject)) != NULL);
		fuzz_check_text(info->subject);
		fuzz_check_text(info->issuer);
		fuzz_check_text(info->san);
		(void)tls_cert_match(sk_X509_value(chain, 0), "example.com");
		(void)tls_cert_match(sk_X509_value(chain, 0), "127.0.0.1");
		(void)tls_chain_pem(chain, &b);
		cx_buf_free(&b);
		free(info);
	}
	(void)tls_robot_build(r->hs + r->cert_off[0], r->cert_len[0],
	                      TLS_V_TLS12, 1, &b);
	cx_buf_free(&b);
	sk_X509_pop_free(chain, X509_free);
	ERR_clear_error();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct tls_resp r;
	int rc;

	memset(&r, 0, sizeof(r));
	rc = tls_parse(data, size, 0, &r);
	check_resp(&r, size, rc);
	if (rc != TLS_PARSE_BAD)
		certs(&r);

	rc = tls_parse(data, size / 2, 0, &r);
	check_resp(&r, size / 2, rc);

	rc = tls_parse(data, size, 1, &r);
	check_resp(&r, size, rc);
	tls_resp_clear(&r);
	return 0;
}
