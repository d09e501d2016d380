/*
 * certexam — the TLS grade, algorithm "certexam-tls-grade/3", modelled on
 * the SSL Labs SSL Server Rating Guide (score from protocol support 30%,
 * key exchange 30% and cipher strength 40%, then caps).  The algorithm is
 * written down in docs/tls-grading.md; change both together and bump
 * TLS_GRADE_ALGO.
 */
#include <stdio.h>
#include <string.h>

#include "tls_int.h"

enum { G_A, G_AMINUS, G_B, G_C, G_D, G_E, G_F };
static const char *const grade_names[] = {"A", "A-", "B", "C", "D", "E", "F"};

static int proto_points(int idx)
{
	static const int pts[TLS_NPROTO] = {0, 80, 90, 95, 100, 100};

	return pts[idx];
}

static int kx_points(int bits)
{
	if (bits <= 0)
		return 0;
	if (bits < 512)
		return 20;
	if (bits < 1024)
		return 40;
	if (bits < 2048)
		return 80;
	if (bits < 4096)
		return 90;
	return 100;
}

static int cipher_points(int bits)
{
	if (bits <= 0)
		return 0;
	if (bits < 128)
		return 20;
	if (bits < 256)
		return 80;
	return 100;
}

static void cap(struct tls_grade_out *out, int *rank, int to, const char *why)
{
	size_t l = strlen(out->caps);

	if (to > *rank)
		*rank = to;
	snprintf(out->caps + l, sizeof(out->caps) - l, "%s%s: %s",
	         l ? "; " : "", grade_names[to], why);
}

void tls_grade(const struct tls_grade_in *in, struct tls_grade_out *out)
{
	int i, best = -1, worst = -1, rank, kx;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < TLS_NPROTO; i++) {
		if (!in->proto[i])
			continue;
		if (worst < 0 || proto_points(i) < worst)
			worst = proto_points(i);
		if (best < 0 || proto_points(i) > best)
			best = proto_points(i);
	}
	if (best < 0) {
		snprintf(out->grade, sizeof(out->grade), "-");
		snprintf(out->caps, sizeof(out->caps), "no protocol accepted");
		return;
	}
	out->proto_score = (best + worst) / 2;
	kx = in->min_kx_bits;
	if (kx < 0)
		kx = in->cert_key_bits;
	out->kx_score = kx_points(kx);
	if (in->anon_suites)
		out->kx_score = 0;
	out->cipher_score = (cipher_points(in->max_cipher_bits) +
	                     cipher_points(in->min_cipher_bits)) /
	                    2;
	out->score = (30 * out->proto_score + 30 * out->kx_score +
	              40 * out->cipher_score + 50) /
	             100;
	if (out->score >= 80)
		rank = G_A;
	else if (out->score >= 65)
		rank = G_B;
	else if (out->score >= 50)
		rank = G_C;
	else if (out->score >= 35)
		rank = G_D;
	else if (out->score >= 20)
		rank = G_E;
	else
		rank = G_F;

	/* F caps */
	if (in->proto[0])
		cap(out, &rank, G_F, "SSLv2 accepted");
	if (in->export_suites)
		cap(out, &rank, G_F, "export cipher suites");
	if (in->anon_suites)
		cap(out, &rank, G_F, "anonymous cipher suites");
	if (in->null_suites)
		cap(out, &rank, G_F, "NULL cipher suites");
	if (in->heartbleed)
		cap(out, &rank, G_F, "Heartbleed");
	if (in->ccs_injection)
		cap(out, &rank, G_F, "CCS injection");
	if (in->drown)
		cap(out, &rank, G_F, "DROWN");
	if (in->robot)
		cap(out, &rank, G_F, "ROBOT");
	if (in->ticketbleed)
		cap(out, &rank, G_F, "Ticketbleed");
	if (in->cert_key_bits > 0 && in->cert_key_bits < 1024)
		cap(out, &rank, G_F, "certificate key below 1024 bits");
	if (in->dh_bits > 0 && in->dh_bits < 1024)
		cap(out, &rank, G_F, "DH parameters below 1024 bits");
	if (in->insecure_reneg && in->client_reneg)
		cap(out, &rank, G_F, "insecure client-initiated renegotiation");
	if (in->weak_sig)
		cap(out, &rank, G_F, "MD5 certificate signature");
	/* C caps */
	if (!in->proto[4] && !in->proto[5])
		cap(out, &rank, G_C, "no TLS 1.2 or 1.3");
	if (in->proto[1])
		cap(out, &rank, G_C, "SSLv3 accepted");
	if (in->poodle)
		cap(out, &rank, G_C, "POODLE (SSLv3 with CBC)");
	if (in->rc4_modern)
		cap(out, &rank, G_C, "RC4 with TLS 1.1 or newer");
	if (in->compression)
		cap(out, &rank, G_C, "TLS compression (CRIME)");
	if (in->insecure_reneg)
		cap(out, &rank, G_C, "no secure renegotiation (RFC 5746)");
	/* B caps */
	if (in->proto[2] || in->proto[3])
		cap(out, &rank, G_B, "TLS 1.0 or 1.1 accepted");
	if (in->rc4)
		cap(out, &rank, G_B, "RC4 accepted");
	if (!in->fs_any)
		cap(out, &rank, G_B, "no forward secrecy");
	if (in->dh_bits > 0 && in->dh_bits < 2048)
		cap(out, &rank, G_B, "DH parameters below 2048 bits");
	if (in->cert_key_bits > 0 && in->cert_key_bits < 2048)
		cap(out, &rank, G_B, "certificate key below 2048 bits");
	if (in->block64)
		cap(out, &rank, G_B, "64-bit block ciphers (SWEET32)");
	if (in->chain_incomplete)
		cap(out, &rank, G_B, "incomplete certificate chain");
	if (in->sha1_sig)
		cap(out, &rank, G_B, "SHA-1 certificate signature");
	if (in->client_reneg)
		cap(out, &rank, G_B, "client-initiated renegotiation accepted");
	/* A- caps */
	if (!in->aead_any)
		cap(out, &rank, G_AMINUS, "no AEAD cipher suite");
	if (in->fs_any && !in->fs_all)
		cap(out, &rank, G_AMINUS,
		    "suites without forward secrecy accepted");
	snprintf(out->grade, sizeof(out->grade), "%s", grade_names[rank]);
	snprintf(out->trust, sizeof(out->trust), "%s%s",
	         in->untrusted || in->expired ? "T"
	         : in->unverifiable           ? "?"
	                                      : "",
	         in->hostname_mismatch ? "M" : "");
}
