/*
 * certexam — the published finite-field Diffie-Hellman primes the tls
 * check names in a ServerKeyExchange: RFC 2409 Oakley groups 1 and 2,
 * RFC 3526 MODP groups 5 and 14-18, RFC 5114 MODP groups, RFC 7919
 * ffdhe2048-8192, and socat's 1024-bit modulus of CVE-2016-2217 (not
 * prime).  Each prime is kept as the SHA-256 of its big-endian bytes
 * without leading zeros (computed from OpenSSL's built-in copies of the RFC
 * groups, BN_get_rfc2409_prime_*, BN_get_rfc3526_prime_*, DH_get_*_*, its
 * ffdhe parameters, and from socat 1.7.3.0's xio-openssl.c dh1024_p),
 * sorted by that hash for bsearch.  Classes: a widely shared prime of
 * 1024 bits or less is open to one precomputation for all who use it
 * (Adrian et al., "Imperfect Forward Secrecy", 2015).
 */
#include <openssl/sha.h>
#include <stdlib.h>
#include <string.h>

#include "tls_int.h"

static const struct tls_dh_group groups[] = {
    {"RFC 5114 2048-bit MODP group (256-bit subgroup)", 2048, TLS_DHG_OK,
     "0b7835722cb619827610c2549fdda5587421686c4409a13865e76225522ddcc9"},
    {"RFC 7919 ffdhe3072", 3072, TLS_DHG_OK,
     "0eaf67db3a839156d5013494a5318a772b5697d270d721f37f092efc69ea5a17"},
    {"RFC 7919 ffdhe6144", 6144, TLS_DHG_OK,
     "227ac9066b3ddd9e193670cda2388fa884f65ba0cf98b742d1fe77a6687c79c7"},
    {"RFC 3526 MODP group 18 (8192)", 8192, TLS_DHG_OK,
     "39ab4feab950a3128fb71accb9fc3965d857012e081998a85996e3ea8b3c3bcf"},
    {"RFC 2409 Oakley group 2", 1024, TLS_DHG_COMMON,
     "3f35a3f5f6c4376a744acad409bb22f8d897f949d2311d885adaa890981b67a0"},
    {"RFC 5114 1024-bit MODP group (160-bit subgroup)", 1024, TLS_DHG_COMMON,
     "44c55cfee5c075927cf682da5b681bdecbd5c3eb0784c14f5dce7610f0ef133d"},
    {"RFC 7919 ffdhe4096", 4096, TLS_DHG_OK,
     "4648414224ac881b3d0dc59b466f96d06a558278776807797ecf1f66ff397b3e"},
    {"RFC 3526 MODP group 15 (3072)", 3072, TLS_DHG_OK,
     "48cf8b092fbce4359d9871abf74f98e25b6163379eaa15cd9087e800c6d1c55c"},
    {"RFC 3526 MODP group 16 (4096)", 4096, TLS_DHG_OK,
     "4ee95187682bcb230ad26a95205f6920e84708f6251b3894329b09ec23919e33"},
    {"RFC 3526 MODP group 5 (1536)", 1536, TLS_DHG_OK,
     "64fcc83ec403930bf18393dbc883ccaa1fbb08ac876f77f7aa99748ca945019b"},
    {"RFC 7919 ffdhe8192", 8192, TLS_DHG_OK,
     "770b14efaf6f049929c523113b3fa99a8d11dab1b18af3609590122075d19833"},
    {"RFC 7919 ffdhe2048", 2048, TLS_DHG_OK,
     "9cd3b7f336872f46c09428d1bbc19877a4d440512cda8d1c1cf0cd6e33698966"},
    {"socat 1.7.3.0 1024-bit DH modulus (CVE-2016-2217)", 1024,
     TLS_DHG_NONPRIME,
     "ac10fa3c5965ca361c07b3511140eb0a5cc89d92417708b1c13d07dc24770e22"},
    {"RFC 2409 Oakley group 1", 768, TLS_DHG_COMMON,
     "b52ba6a3026520a6c49d37e4587601801bee500123b3259b6bf03e7cecc3e63d"},
    {"RFC 5114 2048-bit MODP group (224-bit subgroup)", 2048, TLS_DHG_OK,
     "bfe545862ca102ad1eeddb5fbfa5bf855ac4995c56a8b408ce3fe099dce93a9d"},
    {"RFC 3526 MODP group 17 (6144)", 6144, TLS_DHG_OK,
     "d1bfe6d0925ce7e4da262b62861514a7755e35831e429f343e7b864848657efd"},
    {"RFC 3526 MODP group 14 (2048)", 2048, TLS_DHG_OK,
     "d66436f79bbd6b2e38c0ffbd079be904d2641415e2e67140e09448be9a60890e"},
};

static int cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct tls_dh_group *)elem)->sha256);
}

const struct tls_dh_group *tls_dh_group_find(const uint8_t *p, size_t len)
{
	static const char hx[] = "0123456789abcdef";
	unsigned char md[SHA256_DIGEST_LENGTH];
	char hex[2 * SHA256_DIGEST_LENGTH + 1];
	size_t i;

	if (p == NULL || len == 0)
		return NULL;
	SHA256(p, len, md);
	for (i = 0; i < sizeof(md); i++) {
		hex[2 * i] = hx[md[i] >> 4];
		hex[2 * i + 1] = hx[md[i] & 15];
	}
	hex[2 * sizeof(md)] = '\0';
	return bsearch(hex, groups, sizeof(groups) / sizeof(groups[0]),
	               sizeof(groups[0]), cmp);
}

const struct tls_dh_group *tls_dh_group_ffdhe(uint16_t code)
{
	static const int bits[] = {2048, 3072, 4096, 6144, 8192};
	size_t i;

	if (code < 256 || code > 260)
		return NULL;
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (groups[i].bits == bits[code - 256] &&
		    strncmp(groups[i].name, "RFC 7919", 8) == 0)
			return &groups[i];
	return NULL;
}
