/*
 * certexam — internals of the tls check: the cipher-suite registry, the
 * hand-built ClientHello, the length-checked ServerHello parser, the probe
 * engine on the event loop, the OpenSSL handshake and the grading
 * algorithm.  Not a public API: only the files of checks/tls/ and the unit
 * tests use it.
 */
#ifndef CX_TLS_INT_H
#define CX_TLS_INT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "certexam/check.h"
#include "certexam/loop.h"
#include "certexam/util.h"

/* Protocol versions as on the wire; SSLv2 gets its own pseudo value. */
#define TLS_V_SSL2  0x0002
#define TLS_V_SSL3  0x0300
#define TLS_V_TLS10 0x0301
#define TLS_V_TLS11 0x0302
#define TLS_V_TLS12 0x0303
#define TLS_V_TLS13 0x0304

/* Our protocol index 0..5: SSLv2, SSLv3, TLS 1.0, 1.1, 1.2, 1.3. */
#define TLS_NPROTO 6
int tls_proto_index(uint16_t v); /* -1 when unknown */
uint16_t tls_proto_version(int idx);
const char *tls_proto_name(int idx); /* "SSLv2" ... "TLSv1.3" */

/* Cipher-suite flags. */
#define TLS_SF_NULL       0x0001u
#define TLS_SF_ANON       0x0002u
#define TLS_SF_EXPORT     0x0004u
#define TLS_SF_RC4        0x0008u
#define TLS_SF_DES        0x0010u
#define TLS_SF_3DES       0x0020u
#define TLS_SF_BLOCK64    0x0040u /* 64-bit block cipher (SWEET32) */
#define TLS_SF_CBC        0x0080u
#define TLS_SF_AEAD       0x0100u
#define TLS_SF_GOST       0x0200u
#define TLS_SF_MD5        0x0400u
#define TLS_SF_FS         0x0800u /* ephemeral key exchange */
#define TLS_SF_OTHER_AUTH 0x1000u /* PSK, SRP, Kerberos */
#define TLS_SF_TLS13      0x2000u
#define TLS_SF_SSL2       0x4000u
#define TLS_SF_DRAFT      0x8000u /* pre-standard code points */

/*
 * One registry entry.  code is the 16-bit TLS code point, or for SSLv2
 * cipher specs 0x1000000 | the 24-bit spec.
 */
struct tls_suite {
	uint32_t code;
	const char *name; /* IANA name (OpenSSL name when IANA has none) */
	const char *ossl; /* OpenSSL name or "-" */
	const char *kx;   /* "RSA", "DH", "ECDH", "DH/RSA", "RSA(512)", ... */
	const char *au;   /* "RSA", "ECDSA", "DSS", "None", ... */
	const char *enc;  /* "AESGCM(128)", "3DES(168)", ... */
	int bits;         /* effective symmetric strength */
	const char *mac;
	unsigned flags;
};

size_t tls_suite_count(void);
const struct tls_suite *tls_suite_at(size_t i);
/* Binary search by code; NULL when not in the registry. */
const struct tls_suite *tls_suite_find(uint32_t code);
/* Linear search by IANA or OpenSSL name; NULL when not found. */
const struct tls_suite *tls_suite_by_name(const char *name);
/* The flags that make a suite forbidden under TLS-02. */
#define TLS_SF_FORBIDDEN                                                       \
	(TLS_SF_NULL | TLS_SF_ANON | TLS_SF_EXPORT | TLS_SF_RC4 | TLS_SF_DES | \
	 TLS_SF_3DES | TLS_SF_MD5)

/* Named groups. */
#define TLS_G_P256      23
#define TLS_G_P384      24
#define TLS_G_P521      25
#define TLS_G_X25519    29
#define TLS_G_X448      30
#define TLS_G_FFDHE2048 256
#define TLS_G_FFDHE3072 257
#define TLS_G_FFDHE4096 258
#define TLS_G_FFDHE6144 259
#define TLS_G_FFDHE8192 260
/* A published finite-field Diffie-Hellman prime (tls_dh_groups.c). */
enum tls_dh_class {
	TLS_DHG_OK,       /* a published group, nothing known against it */
	TLS_DHG_COMMON,   /* a widely shared prime of 1024 bits or less */
	TLS_DHG_NONPRIME, /* a published modulus that is not prime */
};
struct tls_dh_group {
	const char *name; /* "RFC 2409 Oakley group 2", "ffdhe2048", ... */
	int bits;
	enum tls_dh_class cls;
	const char *sha256; /* of the prime, big-endian, no leading zeros */
};
/* The published group whose prime is p (len bytes), or NULL. */
const struct tls_dh_group *tls_dh_group_find(const uint8_t *p, size_t len);
/* The RFC 7919 group of a named group code 256..260, or NULL. */
const struct tls_dh_group *tls_dh_group_ffdhe(uint16_t code);
const char *tls_group_name(uint16_t g); /* NULL when unknown */
int tls_group_bits(uint16_t g);         /* RSA-equivalent strength, 0 unknown */

/* What one simulated client got (tls_clients.c). */
#define TLS_MAX_SIM 16
struct tls_sim {
	int state;       /* TLS_YES connected, TLS_NO could not, TLS_UNK */
	char result[96]; /* "TLSv1.3 TLS_AES_128_GCM_SHA256 x25519" */
};
size_t tls_sim_count(void);
const char *tls_sim_name(size_t i); /* NULL past the end */

/* What a ClientHello carries. */
struct tls_hello_opts {
	uint16_t version; /* legacy_version: 0x0300..0x0303 */
	int tls13;        /* add supported_versions (0x0304 [+ version]) */
	const uint16_t *suites;
	size_t n_suites;
	const uint16_t *groups; /* supported_groups; NULL = our default list */
	size_t n_groups;
	int deflate;        /* offer compression method 1 before 0 */
	const char *sni;    /* NULL = none */
	int heartbeat;      /* heartbeat extension, peer_allowed_to_send */
	int status_request; /* OCSP status_request */
	const char *alpn;   /* "h2", "http/1.1" or "h2,http/1.1"; NULL none */
	int no_reneg_info;  /* omit the empty renegotiation_info */
	int no_extensions;  /* a bare SSLv3-style hello */
	const uint8_t *session_id; /* legacy_session_id, at most 32 bytes */
	size_t session_id_len;
	const uint8_t *ticket; /* session_ticket extension data (RFC 5077) */
	size_t ticket_len;
	uint16_t versions_min;   /* with tls13: supported_versions from 1.3
	                            down to this (0: as tls13 says) */
	const uint16_t *sigalgs; /* signature_algorithms; NULL = ours */
	size_t n_sigalgs;
};

/*
 * Append one TLS record holding a ClientHello built from o to out.  TLS
 * 1.3 hellos carry an empty key_share, so the server answers with a
 * HelloRetryRequest naming its group.  0, CX_EINVAL, CX_ENOMEM.
 */
int tls_build_hello(struct cx_buf *out, const struct tls_hello_opts *o);
/* Append an SSLv2 CLIENT-HELLO offering the given 24-bit cipher specs. */
int tls_build_sslv2_hello(struct cx_buf *out, const uint32_t *specs, size_t n);

#define TLS_MAX_EXT_SEEN   32
#define TLS_MAX_CERTS      10
#define TLS_MAX_SSL2_SPECS 64

/* What the parser learnt from the server's bytes. */
struct tls_resp {
	int is_ssl2;                 /* an SSLv2 SERVER-HELLO */
	uint16_t rec_version;        /* version of the first record */
	int alert;                   /* 1 when an alert record was seen */
	int alert_level, alert_desc; /* of the first alert */
	int server_hello;            /* a ServerHello was parsed */
	int hrr;                     /* it was a HelloRetryRequest */
	uint16_t version; /* negotiated (supported_versions if present) */
	uint16_t legacy_version;
	uint32_t suite;  /* chosen suite */
	int compression; /* chosen method */
	uint8_t random[32];
	uint8_t session_id[32]; /* the ServerHello's (legacy_)session_id */
	size_t session_id_len;
	uint16_t group;     /* key_share / HRR group, 0 none */
	int reneg_info;     /* renegotiation_info present */
	int reneg_info_len; /* length of its renegotiated_connection */
	int heartbeat;      /* heartbeat extension present */
	int heartbeat_mode;
	int status_request; /* status_request present */
	int sct;            /* signed_certificate_timestamp present */
	int ems;            /* extended_master_secret present */
	int etm;            /* encrypt_then_mac present */
	char alpn[32];      /* selected ALPN protocol, "" none */
	uint16_t ext_seen[TLS_MAX_EXT_SEEN];
	size_t n_ext_seen;
	int certificate; /* a Certificate message was seen */
	size_t n_certs;
	size_t cert_off[TLS_MAX_CERTS], cert_len[TLS_MAX_CERTS]; /* into hs */
	int ske;                   /* a ServerKeyExchange was seen */
	int dh_bits;               /* DHE prime size in bits */
	size_t dh_p_off, dh_p_len; /* the DHE prime (no leading zeros), in hs */
	uint16_t ske_group;        /* ECDHE named curve */
	int done;             /* ServerHelloDone seen (or the TLS 1.3 SH) */
	int heartbeat_reply;  /* a heartbeat record came back */
	size_t heartbeat_len; /* its length */
	int ccs;              /* a ChangeCipherSpec record came back */
	int app_data;         /* an application_data record came back */
	uint32_t ssl2_specs[TLS_MAX_SSL2_SPECS]; /* SSLv2 cipher specs */
	size_t n_ssl2_specs;
	size_t sh_end; /* bytes of input up to the end of the SH record */
	/* The handshake stream reassembled from the records (owned). */
	uint8_t *hs;
	size_t hs_len, hs_cap;
	size_t hs_off; /* handshake bytes already parsed */
	int truncated; /* flight beyond TLS_PARSE_LIMIT, rest ignored */
};

#define TLS_PARSE_MORE  0           /* incomplete: read more */
#define TLS_PARSE_DONE  1           /* enough seen for the probe */
#define TLS_PARSE_BAD   -1          /* not TLS, or malformed */
#define TLS_PARSE_LIMIT (64 * 1024) /* we never buffer more */

/*
 * Parse everything the server sent so far (buf, len; the whole stream
 * from its first byte, reparsed on every call).  r is reset first; free
 * it with tls_resp_clear().  Returns TLS_PARSE_MORE, TLS_PARSE_DONE or
 * TLS_PARSE_BAD.  DONE means: an alert, an SSLv2 SERVER-HELLO, a TLS 1.3
 * ServerHello or HRR, or ServerHelloDone.  When ssl2 is set the input is
 * parsed as an SSLv2 stream.
 */
int tls_parse(const uint8_t *buf, size_t len, int ssl2, struct tls_resp *r);
void tls_resp_clear(struct tls_resp *r);
/* Name of an alert description ("handshake_failure"), never NULL. */
const char *tls_alert_name(int desc);

/* ------------------------------------------------------------------ */
/* Grading. */

#define TLS_GRADE_ALGO "certexam-tls-grade/3"

struct tls_grade_in {
	int proto[TLS_NPROTO]; /* 1 when the protocol is accepted */
	int min_kx_bits;       /* weakest key exchange in RSA-equivalent bits:
	                          min(cert key, DH, ECDH); 0 = anonymous,
	                          -1 unknown */
	int min_cipher_bits;   /* weakest accepted cipher (0 for NULL) */
	int max_cipher_bits;   /* strongest */
	int export_suites;     /* export suites accepted */
	int anon_suites;
	int null_suites;
	int rc4;        /* RC4 accepted */
	int rc4_modern; /* RC4 with TLS 1.1 or newer */
	int block64;    /* 3DES etc. accepted */
	int fs_all;     /* every accepted suite has FS */
	int fs_any;     /* at least one FS suite */
	int aead_any;
	int poodle;        /* SSLv3 with CBC */
	int heartbleed;    /* confirmed */
	int ccs_injection; /* confirmed */
	int drown;
	int robot;       /* confirmed */
	int ticketbleed; /* confirmed (CVE-2016-9244) */
	int compression;
	int insecure_reneg; /* no RFC 5746 */
	int client_reneg;   /* client-initiated renegotiation accepted */
	int cert_key_bits;  /* RSA-equivalent bits of the certificate key */
	int dh_bits;        /* smallest DHE prime, 0 none */
	int chain_incomplete;
	int untrusted;    /* no path to a trusted root */
	int unverifiable; /* the chain cannot be verified by this build */
	int expired;      /* or not yet valid */
	int hostname_mismatch;
	int weak_sig; /* MD5 signature on a sent certificate */
	int sha1_sig; /* SHA-1 signature on a sent, non-root certificate */
};

struct tls_grade_out {
	int score; /* 0..100 */
	int proto_score, kx_score, cipher_score;
	char grade[4];  /* "A", "A-", "B", ..., "F" */
	char trust[4];  /* "" trusted, "T", "M", "TM", "?", "?M" */
	char caps[512]; /* why the grade was capped, "; "-joined */
};

/* Compute the grade; never fails. */
void tls_grade(const struct tls_grade_in *in, struct tls_grade_out *out);

/* ------------------------------------------------------------------ */
/* The scan: endpoints, probes on the loop, results. */

#include <openssl/ssl.h>
#include <openssl/x509.h>

enum tls_starttls {
	TLS_ST_NONE = 0,
	TLS_ST_SMTP,
	TLS_ST_IMAP,
	TLS_ST_POP3,
	TLS_ST_FTP
};

/* Tri-state results: not determined, no, yes, potential. */
#define TLS_UNK -1
/* The one session-ID byte of the Ticketbleed probe. */
#define TLS_TICKETBLEED_ID 0x5a
#define TLS_NO             0
#define TLS_YES            1
#define TLS_POTENTIAL      2

#define TLS_MAX_SUITES     400
#define TLS_EP_INFLIGHT    8 /* connections per endpoint at once */
#define TLS_CONN_TRIES     3 /* attempts of a probe whose connection is lost */
#define TLS_ROBOT_VARIANTS 5
#define TLS_MAX_GROUPS     32

struct tls_scan;

/*
 * What a probe found, as the message id of the finding's cause (a whole
 * sentence of the catalogs, tls.*) and one value as received (alert
 * names, a version, a byte count; never words of ours).  id NULL: none.
 */
struct tls_note {
	const char *id;
	char detail[128];
};
void tls_note_set(struct tls_note *n, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* *dst = *src when src is set, else dst gets id with no detail. */
void tls_note_copy(struct tls_note *dst, const struct tls_note *src,
                   const char *id);

struct tls_ep {
	struct tls_scan *scan;
	char addr[64];
	int port;
	char asset[96]; /* "addr:port/tcp" */
	enum tls_starttls starttls;
	char *sni;    /* host name sent as SNI, or NULL */
	char **names; /* host names in scope for this address */
	size_t n_names;
	X509 **name_leaf; /* leaf served for names[i] via SNI (i >= 1) */
	struct sockaddr_storage sa;
	socklen_t salen;
	int detect;         /* 1: first find out whether it is TLS */
	int is_tls;         /* 1 once a TLS/SSL answer was seen */
	int pending;        /* probes not finished */
	int inflight;       /* probes of this endpoint in flight */
	int stage;          /* 0 detect, 1 enumerate, 2 extras, 3 done */
	int connect_failed; /* probes that could not connect */
	int probes;         /* probes started */
	int inflight_cap;  /* TLS_EP_INFLIGHT, halved on each lost connection */
	int retries;       /* lost connections tried again */
	int starttls_fail; /* 1 command refused, 2 command never answered */

	/* protocols and suites */
	int proto[TLS_NPROTO]; /* TLS_UNK / TLS_NO / TLS_YES */
	/* why not determined (tls.why.*), or the suite that was not offered */
	struct tls_note proto_why[TLS_NPROTO];
	struct tls_note proto_nid[TLS_NPROTO]; /* refused: alert, version */
	uint32_t suites[TLS_NPROTO][TLS_MAX_SUITES]; /* in server order */
	size_t n_suites[TLS_NPROTO];
	int pref[TLS_NPROTO]; /* TLS_YES server, TLS_NO client */
	int suites_truncated[TLS_NPROTO];

	/* key exchange */
	uint16_t groups[TLS_MAX_GROUPS]; /* in server order */
	size_t n_groups;
	int groups_method;  /* 13: via HRR; 12: via ServerKeyExchange */
	int dh_min, dh_max; /* DHE prime bits, 0 = no DHE */
	/* The published DHE groups seen (tls_dh_group_find), at most 4 kept,
	 * and the number of DHE answers whose prime is none of them. */
	const struct tls_dh_group *dh_named[4];
	size_t n_dh_named;
	int dh_unnamed;
	/* Session resumption with TLS <= 1.2 (tls_probe_ossl.c): the first
	 * handshake's session, what it carried, whether a second handshake
	 * resumed it; Ticketbleed with that ticket (tls_probe_vuln.c). */
	SSL_SESSION *session;
	int sess_tested;            /* the first handshake completed */
	int sess_id_len;            /* session ID the server gave */
	int sess_ticket;            /* a NewSessionTicket came */
	long ticket_lifetime;       /* its lifetime hint, seconds; -1 none */
	int resumed;                /* TLS_YES / TLS_NO / TLS_UNK */
	struct tls_note resume_why; /* why not tested (tls.why.*) */
	/* The same with TLS 1.3 (tls_probe_ossl.c): the NewSessionTicket
	 * after the handshake and a second handshake offering it. */
	SSL_SESSION *session13;
	int t13_tested;          /* the TLS 1.3 handshake completed */
	int t13_ticket;          /* a NewSessionTicket came */
	long t13_lifetime;       /* its ticket_lifetime, seconds; -1 none */
	int t13_resumed;         /* TLS_YES / TLS_NO / TLS_UNK */
	struct tls_note t13_why; /* why not tested (tls.why.*) */
	int ticketbleed;         /* TLS_YES / TLS_NO / TLS_UNK */
	struct tls_note tb_why;
	struct tls_sim sim[TLS_MAX_SIM]; /* client simulation (tls_clients.c) */
	int ecdh_min;                    /* smallest ECDHE group strength */

	/* behaviours and vulnerabilities */
	int compression;  /* TLS_YES when DEFLATE was chosen */
	int reneg_secure; /* RFC 5746 extension in ServerHello */
	int heartbeat_ext;
	int heartbleed;
	struct tls_note hb_why;
	int ccs;
	struct tls_note ccs_why;
	int fallback;        /* TLS_YES protected */
	int fallback_single; /* one protocol version: no downgrade */
	struct tls_note fb_why;
	int client_reneg;          /* TLS_YES accepted */
	int reneg_due;             /* the renegotiation probe is still to run */
	struct tls_note reneg_why; /* why not tested, or OpenSSL's report */
	struct tls_note reneg_nid;
	int robot; /* TLS_YES oracle, TLS_NO none */
	struct tls_note robot_why;
	int robot_res[TLS_ROBOT_VARIANTS]; /* alert, 256 close, 257 silence */
	/* The results as message ids (struct tls_note); *_why: why a
	 * result was not determined (tls.why.*, detail as received). */
	struct tls_note ccs_nid, hb_nid, fb_nid, robot_nid, tb_nid;
	int robot_n;

	/* evidence */
	struct cx_buf sh_raw; /* bytes of the first ServerHello flight */
	int sh_raw_proto;

	/* certificate (from OpenSSL, or from a raw Certificate message) */
	STACK_OF(X509) * chain;
	int chain_src; /* 1 OpenSSL handshake, 2 raw probe */
	char ossl_proto[16];
	char ossl_cipher[64];
	struct tls_note ossl_why; /* why the OpenSSL handshake failed */
	char alpn[32];
	int ocsp_stapled;
	int ocsp_status; /* V_OCSP_CERTSTATUS_*, -1 none */
	int n_scts;
};

struct tls_conn;

/* The scan over many endpoints on one loop. */
struct tls_scan {
	struct cx_loop *loop;
	SSL_CTX *ssl_ctx;
	SSL_CTX *ssl_ctx12; /* max TLS 1.2, for renegotiation */
	int connect_timeout_ms;
	int probe_timeout_ms;
	int silence_ms; /* wait after a heartbeat or CCS probe */
	int max_inflight;
	int rate;              /* connection starts per second, 0 = no cap */
	uint64_t window_start; /* for rate */
	int window_count;
	struct cx_timer rate_timer;
	int inflight;
	struct tls_conn *queue_head, *queue_tail;
	struct tls_conn *live; /* connections in flight */
	struct tls_ep **eps;
	size_t n_eps, cap_eps;
	int err; /* first internal error (ENOMEM) */
	/* Called when an endpoint's inspection is complete; may be NULL. */
	void (*on_done)(void *arg, const struct tls_ep *ep);
	void *on_done_arg;
	size_t n_done;
};

/* Create a scan on loop; 0 or CX_ENOMEM / CX_ETLS. */
int tls_scan_init(struct tls_scan *s, struct cx_loop *loop, int connect_ms,
                  int probe_ms, int max_inflight);
/*
 * Add an endpoint (copies everything).  names may be NULL.  *out borrows
 * the endpoint, owned by the scan.
 */
int tls_scan_add(struct tls_scan *s, const char *addr, int port,
                 enum tls_starttls st, const char *sni, char *const *names,
                 size_t n_names, int detect, struct tls_ep **out);
/* Start every endpoint's probes; run the loop yourself afterwards. */
int tls_scan_start(struct tls_scan *s);
void tls_scan_free(struct tls_scan *s);

/* ------------------------------------------------------------------ */
/* Certificates. */

struct tls_cert_info {
	int present;
	char subject[512]; /* RFC 2253, sanitised */
	char issuer[512];
	char serial[80];                    /* hex */
	char not_before[32], not_after[32]; /* ISO 8601 */
	char san[1024];                     /* "DNS:a, DNS:b, IP:1.2.3.4" */
	char key_type[48]; /* "RSA", "EC", "ED25519", "DSA", "GOST2012-256" */
	int key_bits;
	int key_unknown;       /* an algorithm this build cannot size */
	int unverifiable;      /* a sent certificate's algorithm is unknown */
	char unknown_alg[160]; /* that algorithm, named and by OID */
	int key_equiv_bits;    /* RSA-equivalent strength */
	char curve[32];
	char sigalg[64]; /* of the leaf */
	int weak_sig;    /* 1 SHA-1, 2 MD5 on a sent, non-root cert */
	char weak_sig_note[256];
	long days_left; /* until notAfter (negative: expired) */
	int expired, not_yet_valid;
	int self_signed;
	int n_chain;
	int chain_order_ok;
	int verify_system; /* 1 ok, 0 failed */
	char verify_system_msg[160];
	int verify_system_err;
	int verify_anchors; /* 1 ok, 0 failed, -1 no anchors */
	char verify_anchors_msg[160];
	int verify_anchors_err;
	int chain_incomplete; /* an intermediate is missing (AIA names it) */
	int issuer_unknown;   /* issuer neither sent nor in a store, no AIA */
	char missing_issuer[512]; /* its subject (RFC 2253, sanitised) */
	char ca_issuers[256];     /* AIA caIssuers URI of the last sent cert */
	int must_staple;
	int sct_ext;  /* SCT list in the certificate */
	int ocsp_uri; /* AIA OCSP responder named */
	int crl_dp;   /* CRL distribution point named */
	char spki_sha256[65];
};

/* What loading one trust-anchor file gave (tls_cert_stores). */
#define TLS_ANCHOR_OK         0
#define TLS_ANCHOR_MISSING    1 /* no such file */
#define TLS_ANCHOR_UNREADABLE 2 /* it exists but cannot be read */
#define TLS_ANCHOR_UNPARSABLE 3 /* no certificate in it, PEM or DER */

/*
 * The verification stores: *sys from OpenSSL's default paths, *anch from
 * the PEM or DER files (absolute paths; NULL when n_anchors is 0).  When
 * status is not NULL, status[k] gets TLS_ANCHOR_* for anchors[k] and
 * err[k] (when err is not NULL) the errno of an unreadable one.  The
 * caller frees both stores with X509_STORE_free().  0 or CX_ENOMEM.
 */
int tls_cert_stores(char *const *anchors, size_t n_anchors, X509_STORE **sys,
                    X509_STORE **anch, int *status, int *err);
/*
 * Analyse a chain as sent (leaf first), verifying it against sys and
 * anchors (either may be NULL).  Fills out; returns 0 or CX_ENOMEM.
 */
int tls_cert_analyse(STACK_OF(X509) * chain, X509_STORE *sys,
                     X509_STORE *anchors, struct tls_cert_info *out);
/* SHA-256 of the certificate's SubjectPublicKeyInfo, hex; "" on error. */
void tls_spki_sha256(X509 *x, char hex[65]);
/* Subject (RFC 2253) and SAN list of x, sanitised; "" when absent. */
void tls_cert_names(X509 *x, char *subject, size_t ssz, char *san,
                    size_t sansz);
/* 1 when the certificate is valid for name (DNS name or IP literal). */
int tls_cert_match(X509 *leaf, const char *name);
/* Append the chain in PEM to b. */
int tls_chain_pem(STACK_OF(X509) * chain, struct cx_buf *b);

/* ------------------------------------------------------------------ */
/* ROBOT. */

/*
 * Fill m (k bytes, the RSA modulus size) with a premaster-secret block:
 * variant 0 well formed, 1 wrong leading bytes, 2 a zero byte inside the
 * padding and no separator, 3 no separator, 4 wrong version.
 */
int tls_robot_pms(uint8_t *m, size_t k, uint16_t version, int variant);
/*
 * Append ClientKeyExchange (the block of variant encrypted to the RSA key
 * of the DER certificate), ChangeCipherSpec and a garbage Finished, as
 * TLS records of version, to out.  CX_EINVAL when the key is not RSA.
 */
int tls_robot_build(const uint8_t *cert, size_t cert_len, uint16_t version,
                    int variant, struct cx_buf *out);

/*
 * snprintf into dst that tolerates truncation without -Wformat-truncation
 * noise (defined in tls_conn.c).
 */
void tls_setf(char *dst, size_t dsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
