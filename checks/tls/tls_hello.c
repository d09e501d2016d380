/*
 * certexam — hand-built ClientHellos (SSLv2 format, SSLv3, TLS 1.0-1.3)
 * and a length-checked parser for what a server answers: ServerHello,
 * HelloRetryRequest, Certificate, ServerKeyExchange, ServerHelloDone,
 * alerts, heartbeat replies and the SSLv2 SERVER-HELLO.  Nothing here
 * touches the network; everything a server sends is hostile input.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "certexam/error.h"
#include "tls_int.h"

static const uint8_t hrr_random[32] = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C,
    0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB,
    0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

static const uint16_t default_groups[] = {
    TLS_G_X25519,
    TLS_G_P256,
    TLS_G_P384,
    TLS_G_P521,
    TLS_G_X448,
    21,
    22,
    19,
    26,
    27,
    28,
    34,
    35,
    36,
    37,
    38,
    39,
    40,
    TLS_G_FFDHE2048,
    TLS_G_FFDHE3072,
    TLS_G_FFDHE4096,
    TLS_G_FFDHE6144,
    TLS_G_FFDHE8192,
};

/* ECDSA, RSA-PSS, RSA-PKCS1, EdDSA, DSA, GOST, SHA-1 and MD5 variants. */
static const uint16_t sigalgs[] = {
    0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809,
    0x080a, 0x080b, 0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402,
    0x0502, 0x0602, 0x0203, 0x0201, 0x0202, 0x0101, 0x0709, 0x070a, 0x070b,
    0x070c, 0x070d, 0x070e, 0x070f, 0x0840, 0x0841, 0xeeee, 0xefef, 0xeded,
};

static int put8(struct cx_buf *b, unsigned v)
{
	char c = (char)(v & 0xff);

	return cx_buf_append(b, &c, 1);
}

static int put16(struct cx_buf *b, unsigned v)
{
	uint8_t x[2] = {(uint8_t)(v >> 8), (uint8_t)v};

	return cx_buf_append(b, x, 2);
}

/* Patch a 16- or 24-bit length at off to the bytes that follow it. */
static void patch_len(struct cx_buf *b, size_t off, int width)
{
	size_t n = b->len - off - (size_t)width;
	uint8_t *p = (uint8_t *)b->data + off;

	if (width == 3) {
		p[0] = (uint8_t)(n >> 16);
		p[1] = (uint8_t)(n >> 8);
		p[2] = (uint8_t)n;
	} else {
		p[0] = (uint8_t)(n >> 8);
		p[1] = (uint8_t)n;
	}
}

static int is_ip_literal(const char *s)
{
	size_t i;
	int only = 1;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
			only = 0;
	return only || strchr(s, ':') != NULL;
}

static int ext_begin(struct cx_buf *b, unsigned type, size_t *off)
{
	int rc = put16(b, type);

	*off = b->len;
	if (rc == 0)
		rc = put16(b, 0);
	return rc;
}

static int put_extensions(struct cx_buf *b, const struct tls_hello_opts *o)
{
	const uint16_t *groups = o->groups ? o->groups : default_groups;
	size_t n_groups =
	    o->groups ? o->n_groups : CX_ARRAY_LEN(default_groups);
	size_t off, off2, i;
	int rc = 0;
	const char *p, *q;

	if (o->sni != NULL && *o->sni != '\0' && !is_ip_literal(o->sni) &&
	    strlen(o->sni) < 256) {
		rc |= ext_begin(b, 0, &off);
		off2 = b->len;
		rc |= put16(b, 0);
		rc |= put8(b, 0);
		rc |= put16(b, (unsigned)strlen(o->sni));
		rc |= cx_buf_puts(b, o->sni);
		if (rc)
			return CX_ENOMEM;
		patch_len(b, off2, 2);
		patch_len(b, off, 2);
	}
	rc |= ext_begin(b, 10, &off);
	rc |= put16(b, (unsigned)(n_groups * 2));
	for (i = 0; i < n_groups; i++)
		rc |= put16(b, groups[i]);
	if (rc)
		return CX_ENOMEM;
	patch_len(b, off, 2);
	rc |= ext_begin(b, 11, &off);
	rc |= put8(b, 1);
	rc |= put8(b, 0);
	if (rc)
		return CX_ENOMEM;
	patch_len(b, off, 2);
	if (o->version >= TLS_V_TLS12 || o->tls13) {
		const uint16_t *sa = o->sigalgs ? o->sigalgs : sigalgs;
		size_t n_sa = o->sigalgs ? o->n_sigalgs : CX_ARRAY_LEN(sigalgs);
		rc |= ext_begin(b, 13, &off);
		rc |= put16(b, (unsigned)(n_sa * 2));
		for (i = 0; i < n_sa; i++)
			rc |= put16(b, sa[i]);
		if (rc)
			return CX_ENOMEM;
		patch_len(b, off, 2);
	}
	if (o->status_request) {
		rc |= ext_begin(b, 5, &off);
		rc |= put8(b, 1);
		rc |= put16(b, 0);
		rc |= put16(b, 0);
		if (rc)
			return CX_ENOMEM;
		patch_len(b, off, 2);
	}
	if (o->heartbeat) {
		rc |= ext_begin(b, 15, &off);
		rc |= put8(b, 1);
		if (rc)
			return CX_ENOMEM;
		patch_len(b, off, 2);
	}
	if (o->alpn != NULL) {
		rc |= ext_begin(b, 16, &off);
		off2 = b->len;
		rc |= put16(b, 0);
		for (p = o->alpn; *p != '\0'; p = *q ? q + 1 : q) {
			q = strchr(p, ',');
			if (q == NULL)
				q = p + strlen(p);
			if (q - p > 0 && q - p < 256) {
				rc |= put8(b, (unsigned)(q - p));
				rc |= cx_buf_append(b, p, (size_t)(q - p));
			}
		}
		if (rc)
			return CX_ENOMEM;
		patch_len(b, off2, 2);
		patch_len(b, off, 2);
	}
	rc |= ext_begin(b, 18, &off); /* signed_certificate_timestamp */
	rc |= ext_begin(b, 23, &off); /* extended_master_secret */
	rc |= ext_begin(b, 35, &off); /* session_ticket */
	if (o->ticket_len > 0 && o->ticket_len < 0xff00) {
		rc |= cx_buf_append(b, o->ticket, o->ticket_len);
		if (rc)
			return CX_ENOMEM;
		patch_len(b, off, 2);
	}
	if (!o->no_reneg_info) {
		rc |= ext_begin(b, 0xff01, &off);
		rc |= put8(b, 0);
		if (rc)
			return CX_ENOMEM;
		patch_len(b, off, 2);
	}
	if (o->tls13) {
		rc |= ext_begin(b, 43, &off);
		off2 = b->len;
		rc |= put8(b, 0);
		rc |= put16(b, TLS_V_TLS13);
		if (o->versions_min >= TLS_V_TLS10) {
			unsigned v;
			for (v = TLS_V_TLS12; v >= o->versions_min; v--)
				rc |= put16(b, v);
		} else if (o->tls13 > 1) {
			rc |= put16(b, TLS_V_TLS12);
			rc |= put16(b, TLS_V_TLS11);
			rc |= put16(b, TLS_V_TLS10);
		}
		if (rc)
			return CX_ENOMEM;
		b->data[off2] = (char)(b->len - off2 - 1);
		patch_len(b, off, 2);
		rc |= ext_begin(b, 45, &off); /* psk_key_exchange_modes */
		rc |= put8(b, 1);
		rc |= put8(b, 1);
		if (rc)
			return CX_ENOMEM;
		patch_len(b, off, 2);
		rc |= ext_begin(b, 51, &off); /* key_share: no shares -> HRR */
		rc |= put16(b, 0);
		if (rc)
			return CX_ENOMEM;
		patch_len(b, off, 2);
	}
	return rc ? CX_ENOMEM : CX_OK;
}

int tls_build_hello(struct cx_buf *out, const struct tls_hello_opts *o)
{
	uint8_t random[32];
	size_t rec, hs, body, exts, i, hello_len;
	int rc = 0;

	if (o == NULL || o->n_suites == 0 || o->n_suites > 4000 ||
	    o->version < TLS_V_SSL3 || o->version > TLS_V_TLS12)
		return CX_EINVAL;
	if (RAND_bytes(random, sizeof(random)) != 1)
		memset(random, 0x5a, sizeof(random));
	rec = out->len;
	rc |= put8(out, 22);
	rc |= put16(out, o->version == TLS_V_SSL3 ? TLS_V_SSL3 : TLS_V_TLS10);
	rc |= put16(out, 0);
	hs = out->len;
	rc |= put8(out, 1);
	rc |= put8(out, 0);
	rc |= put16(out, 0);
	body = out->len;
	rc |= put16(out, o->version);
	rc |= cx_buf_append(out, random, sizeof(random));
	/* session id (Ticketbleed offers one byte with a ticket) */
	rc |= put8(out,
	           (unsigned)(o->session_id_len <= 32 ? o->session_id_len : 0));
	if (o->session_id_len > 0 && o->session_id_len <= 32)
		rc |= cx_buf_append(out, o->session_id, o->session_id_len);
	rc |= put16(out, (unsigned)(o->n_suites * 2));
	for (i = 0; i < o->n_suites; i++)
		rc |= put16(out, o->suites[i]);
	if (o->deflate) {
		rc |= put8(out, 2);
		rc |= put8(out, 1);
	} else {
		rc |= put8(out, 1);
	}
	rc |= put8(out, 0);
	if (rc)
		return CX_ENOMEM;
	if (!o->no_extensions) {
		exts = out->len;
		rc = put16(out, 0);
		if (rc == 0)
			rc = put_extensions(out, o);
		if (rc)
			return rc;
		/* Padding (RFC 7685) out of the 256..511 byte window that
		 * some servers mishandle. */
		hello_len = out->len - hs;
		if (hello_len >= 252 && hello_len < 512) {
			size_t off;
			size_t pad =
			    512 - hello_len >= 4 ? 512 - hello_len - 4 : 0;
			rc |= ext_begin(out, 21, &off);
			for (i = 0; i < pad; i++)
				rc |= put8(out, 0);
			if (rc)
				return CX_ENOMEM;
			patch_len(out, off, 2);
		}
		patch_len(out, exts, 2);
	}
	(void)body;
	if (out->len - hs - 4 > 0xffffff || out->len - rec - 5 > 16384)
		return CX_ELIMIT;
	((uint8_t *)out->data)[hs + 1] = (uint8_t)((out->len - hs - 4) >> 16);
	((uint8_t *)out->data)[hs + 2] = (uint8_t)((out->len - hs - 4) >> 8);
	((uint8_t *)out->data)[hs + 3] = (uint8_t)(out->len - hs - 4);
	patch_len(out, rec + 3, 2);
	return CX_OK;
}

int tls_build_sslv2_hello(struct cx_buf *out, const uint32_t *specs, size_t n)
{
	uint8_t challenge[16];
	size_t len, i;
	int rc = 0;

	if (n == 0 || n > 1000)
		return CX_EINVAL;
	if (RAND_bytes(challenge, sizeof(challenge)) != 1)
		memset(challenge, 0x33, sizeof(challenge));
	len = 9 + 3 * n + sizeof(challenge);
	rc |= put8(out, 0x80 | (unsigned)(len >> 8));
	rc |= put8(out, (unsigned)len & 0xff);
	rc |= put8(out, 1);
	rc |= put16(out, TLS_V_SSL2);
	rc |= put16(out, (unsigned)(3 * n));
	rc |= put16(out, 0);
	rc |= put16(out, sizeof(challenge));
	for (i = 0; i < n; i++) {
		rc |= put8(out, (specs[i] >> 16) & 0xff);
		rc |= put16(out, specs[i] & 0xffff);
	}
	rc |= cx_buf_append(out, challenge, sizeof(challenge));
	return rc ? CX_ENOMEM : CX_OK;
}

/* ------------------------------------------------------------------ */
/* Parsing. */

static unsigned rd16(const uint8_t *p)
{
	return ((unsigned)p[0] << 8) | p[1];
}

static size_t rd24(const uint8_t *p)
{
	return ((size_t)p[0] << 16) | ((size_t)p[1] << 8) | p[2];
}

void tls_resp_clear(struct tls_resp *r)
{
	if (r == NULL)
		return;
	free(r->hs);
	memset(r, 0, sizeof(*r));
}

static int hs_append(struct tls_resp *r, const uint8_t *p, size_t n)
{
	if (r->hs_len + n > TLS_PARSE_LIMIT)
		return CX_ELIMIT;
	if (cx_grow(&r->hs, &r->hs_cap, r->hs_len + n, 1))
		return CX_ENOMEM;
	memcpy(r->hs + r->hs_len, p, n);
	r->hs_len += n;
	return CX_OK;
}

static int parse_sh_ext(struct tls_resp *r, unsigned type, const uint8_t *p,
                        size_t n)
{
	size_t l;

	if (r->n_ext_seen < TLS_MAX_EXT_SEEN)
		r->ext_seen[r->n_ext_seen++] = (uint16_t)type;
	switch (type) {
	case 43: /* supported_versions */
		if (n != 2)
			return -1;
		r->version = (uint16_t)rd16(p);
		break;
	case 51: /* key_share */
		if (n < 2)
			return -1;
		r->group = (uint16_t)rd16(p);
		if (!r->hrr) {
			if (n < 4 || rd16(p + 2) != n - 4)
				return -1;
		} else if (n != 2) {
			return -1;
		}
		break;
	case 16: /* ALPN */
		if (n < 3 || rd16(p) != n - 2 || p[2] != n - 3 || p[2] == 0)
			return -1;
		l = p[2] < sizeof(r->alpn) - 1 ? p[2] : sizeof(r->alpn) - 1;
		memcpy(r->alpn, p + 3, l);
		r->alpn[l] = '\0';
		break;
	case 0xff01:
		if (n < 1 || p[0] != n - 1)
			return -1;
		r->reneg_info = 1;
		r->reneg_info_len = p[0];
		break;
	case 15:
		if (n != 1)
			return -1;
		r->heartbeat = 1;
		r->heartbeat_mode = p[0];
		break;
	case 5:
		r->status_request = 1;
		break;
	case 18:
		r->sct = 1;
		break;
	case 23:
		r->ems = 1;
		break;
	case 22:
		r->etm = 1;
		break;
	default:
		break;
	}
	return 0;
}

static int parse_server_hello(struct tls_resp *r, const uint8_t *p, size_t n)
{
	size_t sid, ext_len, off;
	unsigned type, len;

	if (n < 38)
		return -1;
	r->legacy_version = (uint16_t)rd16(p);
	r->version = r->legacy_version;
	memcpy(r->random, p + 2, 32);
	r->hrr = memcmp(p + 2, hrr_random, 32) == 0;
	sid = p[34];
	if (sid > 32 || n < 35 + sid + 3)
		return -1;
	memcpy(r->session_id, p + 35, sid);
	r->session_id_len = sid;
	off = 35 + sid;
	r->suite = rd16(p + off);
	r->compression = p[off + 2];
	off += 3;
	if (off == n)
		goto done;
	if (n - off < 2)
		return -1;
	ext_len = rd16(p + off);
	off += 2;
	if (ext_len != n - off)
		return -1;
	while (off < n) {
		if (n - off < 4)
			return -1;
		type = rd16(p + off);
		len = rd16(p + off + 2);
		off += 4;
		if (len > n - off)
			return -1;
		if (parse_sh_ext(r, type, p + off, len) != 0)
			return -1;
		off += len;
	}
done:
	r->server_hello = 1;
	if (r->version < TLS_V_SSL3 || r->version > TLS_V_TLS13)
		return -1;
	if (r->hrr || r->version == TLS_V_TLS13)
		r->done = 1;
	return 0;
}

static int parse_certificate(struct tls_resp *r, size_t base, size_t n)
{
	const uint8_t *p = r->hs + base;
	size_t total, off = 3, cl;

	if (n < 3)
		return -1;
	total = rd24(p);
	if (total != n - 3)
		return -1;
	r->certificate = 1;
	while (off < n) {
		if (n - off < 3)
			return -1;
		cl = rd24(p + off);
		off += 3;
		if (cl == 0 || cl > n - off)
			return -1;
		if (r->n_certs < TLS_MAX_CERTS) {
			r->cert_off[r->n_certs] = base + off;
			r->cert_len[r->n_certs] = cl;
			r->n_certs++;
		}
		off += cl;
	}
	return 0;
}

static int parse_ske(struct tls_resp *r, const uint8_t *p, size_t n)
{
	const struct tls_suite *s = tls_suite_find(r->suite);
	size_t plen, i;
	int bits;

	r->ske = 1;
	if (s == NULL)
		return 0;
	if (strstr(s->kx, "PSK") != NULL && (strncmp(s->kx, "DHE", 3) == 0 ||
	                                     strncmp(s->kx, "ECDHE", 5) == 0)) {
		/* RFC 4279/5489: the PSK identity hint comes first. */
		if (n < 2 || rd16(p) > n - 2)
			return -1;
		plen = rd16(p);
		p += 2 + plen;
		n -= 2 + plen;
	}
	if (strncmp(s->kx, "ECDH", 4) == 0) {
		if (n < 3)
			return -1;
		if (p[0] == 3)
			r->ske_group = (uint16_t)rd16(p + 1);
		return 0;
	}
	if (strncmp(s->kx, "DH", 2) == 0) {
		if (n < 2)
			return -1;
		plen = rd16(p);
		if (plen == 0 || plen > n - 2)
			return -1;
		for (i = 0; i < plen && p[2 + i] == 0; i++)
			;
		if (i == plen) {
			r->dh_bits = 0;
			return 0;
		}
		bits = (int)((plen - i) * 8);
		for (unsigned char c = p[2 + i]; (c & 0x80) == 0; c <<= 1)
			bits--;
		r->dh_bits = bits;
		if (r->hs != NULL && p + 2 + i >= r->hs) {
			r->dh_p_off = (size_t)(p + 2 + i - r->hs);
			r->dh_p_len = plen - i;
		}
	}
	return 0;
}

/* Walk the complete handshake messages in r->hs. */
static int parse_handshakes(struct tls_resp *r)
{
	size_t off = r->hs_off, len;
	unsigned type;

	while (r->hs_len - off >= 4) {
		type = r->hs[off];
		len = rd24(r->hs + off + 1);
		if (len > TLS_PARSE_LIMIT) {
			if (!r->server_hello)
				return -1;
			r->truncated = 1; /* too large to keep: stop here */
			return 0;
		}
		if (len > r->hs_len - off - 4)
			break; /* incomplete */
		switch (type) {
		case 2:
			if (r->server_hello)
				return -1;
			if (parse_server_hello(r, r->hs + off + 4, len) != 0)
				return -1;
			break;
		case 11:
			if (!r->server_hello)
				return -1;
			if (r->version < TLS_V_TLS13 &&
			    parse_certificate(r, off + 4, len) != 0)
				return -1;
			break;
		case 12:
			if (!r->server_hello)
				return -1;
			if (parse_ske(r, r->hs + off + 4, len) != 0)
				return -1;
			break;
		case 14:
			if (!r->server_hello || len != 0)
				return -1;
			r->done = 1;
			break;
		default:
			if (!r->server_hello)
				return -1;
			break;
		}
		off += 4 + len;
		r->hs_off = off;
		if (r->done)
			break;
	}
	return 0;
}

static int parse_ssl2(const uint8_t *buf, size_t len, struct tls_resp *r)
{
	size_t hdr, rlen, cert_len, specs_len, cid_len, i;
	const uint8_t *p;

	if (len < 2)
		return TLS_PARSE_MORE;
	if (buf[0] & 0x80) {
		hdr = 2;
		rlen = ((size_t)(buf[0] & 0x7f) << 8) | buf[1];
	} else {
		if (len < 3)
			return TLS_PARSE_MORE;
		hdr = 3;
		rlen = ((size_t)(buf[0] & 0x3f) << 8) | buf[1];
	}
	if (rlen == 0)
		return TLS_PARSE_BAD;
	if (len < hdr + 1)
		return TLS_PARSE_MORE;
	p = buf + hdr;
	if (p[0] == 0) { /* SSLv2 ERROR message */
		r->alert = 1;
		r->alert_level = 2;
		r->alert_desc = len >= hdr + 3 ? (int)rd16(p + 1) : 0;
		r->is_ssl2 = 1;
		return TLS_PARSE_DONE;
	}
	if (p[0] != 4 || rlen < 11)
		return TLS_PARSE_BAD;
	if (len < hdr + rlen)
		return TLS_PARSE_MORE;
	r->rec_version = (uint16_t)rd16(p + 3);
	cert_len = rd16(p + 5);
	specs_len = rd16(p + 7);
	cid_len = rd16(p + 9);
	if (11 + cert_len + specs_len + cid_len != rlen || specs_len % 3 != 0)
		return TLS_PARSE_BAD;
	if (r->rec_version != TLS_V_SSL2)
		return TLS_PARSE_BAD;
	r->is_ssl2 = 1;
	r->server_hello = 1;
	r->version = TLS_V_SSL2;
	if (cert_len > 0) {
		if (hs_append(r, p + 11, cert_len) != 0)
			return TLS_PARSE_BAD;
		r->certificate = 1;
		r->n_certs = 1;
		r->cert_off[0] = 0;
		r->cert_len[0] = cert_len;
	}
	for (i = 0; i < specs_len / 3 && i < TLS_MAX_SSL2_SPECS; i++) {
		const uint8_t *s = p + 11 + cert_len + 3 * i;
		r->ssl2_specs[r->n_ssl2_specs++] =
		    ((uint32_t)s[0] << 16) | (uint32_t)rd16(s + 1);
	}
	r->done = 1;
	return TLS_PARSE_DONE;
}

int tls_parse(const uint8_t *buf, size_t len, int ssl2, struct tls_resp *r)
{
	size_t off = 0, rlen;
	unsigned type, ver;

	tls_resp_clear(r);
	if (buf == NULL || len == 0)
		return TLS_PARSE_MORE;
	if (len > TLS_PARSE_LIMIT)
		len = TLS_PARSE_LIMIT;
	if (ssl2 && (buf[0] & 0x80))
		return parse_ssl2(buf, len, r);
	if (buf[0] < 20 || buf[0] > 24)
		return ssl2 ? parse_ssl2(buf, len, r) : TLS_PARSE_BAD;
	while (len - off >= 5) {
		type = buf[off];
		ver = rd16(buf + off + 1);
		rlen = rd16(buf + off + 3);
		if (type < 20 || type > 24 || (ver >> 8) != 3 || ver > 0x0304)
			return TLS_PARSE_BAD;
		if (rlen > 16384 + 2048)
			return TLS_PARSE_BAD;
		if (off == 0)
			r->rec_version = (uint16_t)ver;
		if (rlen > len - off - 5)
			break; /* incomplete record */
		switch (type) {
		case 21:
			if (rlen < 2)
				return TLS_PARSE_BAD;
			if (!r->alert) {
				r->alert = 1;
				r->alert_level = buf[off + 5];
				r->alert_desc = buf[off + 6];
			}
			break;
		case 22:
			if (rlen == 0)
				return TLS_PARSE_BAD;
			if (r->version == TLS_V_TLS13 && r->server_hello)
				break; /* encrypted from here on */
			if (r->ccs)
				break; /* a resumption: Finished is encrypted */
			if (hs_append(r, buf + off + 5, rlen) != 0) {
				/* More handshake data than we keep: what was
				 * parsed stands when a ServerHello was seen. */
				if (!r->server_hello)
					return TLS_PARSE_BAD;
				r->truncated = 1;
				return TLS_PARSE_DONE;
			}
			if (parse_handshakes(r) != 0)
				return TLS_PARSE_BAD;
			if (r->truncated)
				return TLS_PARSE_DONE;
			if (r->server_hello && r->sh_end == 0)
				r->sh_end = off + 5 + rlen;
			break;
		case 20:
			r->ccs = 1;
			break;
		case 23:
			r->app_data = 1;
			break;
		case 24:
			r->heartbeat_reply = 1;
			r->heartbeat_len += rlen;
			break;
		default:
			break;
		}
		off += 5 + rlen;
	}
	if (r->alert || r->done || r->heartbeat_reply ||
	    (r->server_hello && r->ccs))
		return TLS_PARSE_DONE;
	return TLS_PARSE_MORE;
}

const char *tls_alert_name(int desc)
{
	switch (desc) {
	case 0:
		return "close_notify";
	case 10:
		return "unexpected_message";
	case 20:
		return "bad_record_mac";
	case 21:
		return "decryption_failed";
	case 22:
		return "record_overflow";
	case 30:
		return "decompression_failure";
	case 40:
		return "handshake_failure";
	case 42:
		return "bad_certificate";
	case 47:
		return "illegal_parameter";
	case 50:
		return "decode_error";
	case 51:
		return "decrypt_error";
	case 70:
		return "protocol_version";
	case 71:
		return "insufficient_security";
	case 80:
		return "internal_error";
	case 86:
		return "inappropriate_fallback";
	case 90:
		return "user_canceled";
	case 100:
		return "no_renegotiation";
	case 109:
		return "missing_extension";
	case 110:
		return "unsupported_extension";
	case 112:
		return "unrecognized_name";
	case 120:
		return "no_application_protocol";
	default:
		return "alert";
	}
}
