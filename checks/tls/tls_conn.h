/*
 * certexam — internal to checks/tls/: one probe connection (struct
 * tls_conn) and the interfaces between the connection engine
 * (tls_conn.c), the scheduling of probes per endpoint (tls_probe.c) and
 * the probe families that read the answers (tls_probe_enum.c: protocols,
 * suites, preference, groups; tls_probe_vuln.c: Heartbleed, CCS
 * injection, TLS_FALLBACK_SCSV, ROBOT; tls_probe_ossl.c: the full OpenSSL
 * handshakes).
 */
#ifndef CX_TLS_CONN_H
#define CX_TLS_CONN_H

#include "tls_int.h"

enum conn_kind { K_RAW, K_OSSL };
enum conn_state {
	S_QUEUED,
	S_CONNECT,
	S_PRELUDE,
	S_HELLO,
	S_POST,
	S_SSL,
	S_RENEG,
	S_TICKET,  /* TLS 1.3: after the handshake, reading for a ticket */
	S_BACKOFF, /* lost: waiting to be tried again */
	S_DONE
};
enum conn_end {
	E_NONE,
	E_DONE,
	E_BAD,
	E_CLOSED,
	E_TIMEOUT,
	E_CONNFAIL,
	E_ERROR
};
/* What a raw probe is for. */
enum purpose {
	P_DETECT,
	P_CHAIN,
	P_PREF,
	P_GROUP13,
	P_GROUP12,
	P_COMP,
	P_HEARTBLEED,
	P_CCS,
	P_FALLBACK,
	P_OSSL,
	P_RENEG,
	P_ROBOT,
	P_SNI,
	P_RESUME1,     /* TLS <= 1.2 handshake keeping its session */
	P_RESUME2,     /* the same session offered again */
	P_TICKETBLEED, /* raw hello: the ticket with a 1-byte session ID */
	P_SIM,         /* a common client's hello (tls_clients.c) */
	P_RESUME13,    /* TLS 1.3 handshake, then its NewSessionTicket */
	P_RESUME13B    /* that ticket offered again (PSK resumption) */
};

struct tls_conn {
	struct tls_conn *next;          /* queue link */
	struct tls_conn *lnext, *lprev; /* in-flight list */
	struct tls_ep *ep;
	enum conn_kind kind;
	enum conn_state state;
	enum purpose purpose;
	int proto; /* protocol index for chains and prefs */
	int fd;
	struct cx_timer timer;
	struct cx_buf out;
	size_t out_pos;
	struct cx_buf pre; /* STARTTLS commands */
	size_t pre_pos;
	struct cx_buf in;
	size_t post_base; /* input offset when the post record went */
	int ssl2;
	enum conn_end end;
	struct tls_resp resp;
	struct tls_resp post; /* what came after the heartbeat/CCS */
	int prelude_step;
	uint16_t *offered; /* suites or groups offered (owned) */
	size_t n_offered;
	SSL *ssl;
	int reneg_started;
	int variant;         /* ROBOT variant */
	int tries;           /* attempts that were lost before this one */
	size_t got;          /* bytes received on this attempt (raw probes) */
	struct cx_buf hello; /* the first bytes sent, for a new attempt */
	struct tls_note err; /* what failed: tls.why.* and its detail */
};

/* The engine (tls_conn.c). */

/*
 * Why c gave no usable answer, as a tls.why.* note: its own error when
 * one was set, else an alert without ServerHello (tls.why.alert, the
 * alert's name), else by how it ended (timeout, closed, unreadable
 * answer, no ServerHello).
 */
void tls_conn_why(const struct tls_conn *c, struct tls_note *out);

/* A queued connection of ep, not yet started; NULL (scan->err set) on ENOMEM.
 */
struct tls_conn *tls_conn_new(struct tls_ep *ep, enum conn_kind kind,
                              enum purpose purpose, int proto);
/* Free c and what it owns; NULL is accepted.  Does not close c->fd. */
void tls_conn_free(struct tls_conn *c);
/* Append c to the scan's queue; the scan owns it from now on. */
void tls_conn_enqueue(struct tls_conn *c);
/* Start queued connections while the bounds of the scan allow. */
void tls_pump(struct tls_scan *s);
/* Prepare the engine's part of s (the rate timer). */
void tls_conns_init(struct tls_scan *s);
/* Free every queued and in-flight connection of s, without callbacks. */
void tls_conns_free(struct tls_scan *s);

/* Scheduling (tls_probe.c). */

/*
 * Queue a hand-built hello for proto (0 SSLv2 ... 5 TLS 1.3) offering
 * suites and groups (copied); 0 or CX_ENOMEM (also kept in scan->err).
 */
int tls_raw_probe(struct tls_ep *ep, enum purpose purpose, int proto,
                  const uint16_t *suites, size_t n_suites,
                  const uint16_t *groups, size_t n_groups, int deflate);
/* Every suite known for proto, into out (TLS_MAX_SUITES + 1 entries). */
void tls_full_suites(int proto, uint16_t *out, size_t *n);
/* The ECDHE suites accepted with TLS 1.2, into out (TLS_MAX_SUITES). */
size_t tls_ecdhe12_suites(const struct tls_ep *ep, uint16_t *out);
/* The engine finished c: record what it found, start the next stage. */
void tls_ep_probe_done(struct tls_conn *c);

/* Probe families: each reads a finished connection into c->ep. */
void tls_chain_done(struct tls_conn *c);       /* protocols and suites */
void tls_group_done(struct tls_conn *c);       /* key-exchange groups */
void tls_pref_done(struct tls_conn *c);        /* server suite preference */
void tls_post_done(struct tls_conn *c);        /* Heartbleed, CCS injection */
void tls_fallback_done(struct tls_conn *c);    /* TLS_FALLBACK_SCSV */
void tls_robot_start(struct tls_ep *ep);       /* queue the ROBOT variants */
void tls_robot_done(struct tls_conn *c);       /* ROBOT */
void tls_ossl_done(struct tls_conn *c);        /* full handshakes */
void tls_resume_done(struct tls_conn *c);      /* session resumption */
void tls_ticketbleed_done(struct tls_conn *c); /* Ticketbleed */
void tls_resume13_done(struct tls_conn *c);    /* TLS 1.3 tickets */
/* Queue one hello per simulated client; 0 or CX_ENOMEM. */
int tls_sim_start(struct tls_ep *ep);
void tls_sim_done(struct tls_conn *c); /* client simulation */

#endif
