/*
 * certexam — service detection internals shared by its two halves:
 * service.c (the jobs: one per open port, what was learned, the API) and
 * service_conn.c (the connections of a job: connect, banner, probes,
 * follow-ups and the TLS handshake inside).  Not a public API.
 */
#ifndef CX_SERVICE_CONN_H
#define CX_SERVICE_CONN_H

#include <signal.h>
#include <stdint.h>
#include <sys/socket.h>

#include <openssl/ssl.h>

#include "certexam/check.h"
#include "certexam/loop.h"
#include "certexam/util.h"
#include "service.h"

#define CONN_BUF     16384 /* bytes kept per connection */
#define QUIET_MS     100   /* a reply is complete after this silence */
#define MAX_PARALLEL 6     /* probe connections per port */
#define BANNER_VIEW  512   /* bytes of the banner in the observation */

enum conn_kind { K_BANNER, K_PROBE, K_TLS };
enum conn_state { C_CONNECTING, C_READING, C_TLS_HS, C_TLS_IO, C_CLOSED };
enum job_phase { P_BANNER, P_PROBES, P_TLS, P_DONE };

struct svc;
struct job;

struct conn {
	struct job *job;
	int fd;
	enum conn_kind kind;
	enum conn_state state;
	int probe;       /* probe whose reply is being read (0 = banner) */
	int followup;    /* index of the next follow-up candidate */
	int in_followup; /* reading the reply to a follow-up */
	int tls_probe_sent;
	SSL *ssl;
	const unsigned char *out; /* pending write */
	size_t out_len, out_off;
	unsigned char *buf; /* grows to CONN_BUF at most */
	size_t cap;
	size_t len;
	size_t mark;           /* start of the current reply in buf */
	int matched;           /* rank of the match from this connection */
	struct cx_timer timer; /* deadline of the current step */
	struct cx_timer quiet; /* reply complete after silence */
};

struct job {
	struct svc *svc;
	size_t port_idx; /* valid once attached */
	int attached;    /* tied to run->ports[port_idx]: recorded when done */
	int begun;       /* job_start() ran */
	int drop;        /* not recorded (all-open sample, aborted scan) */
	char addr_s[46]; /* the address as the port scan writes it */
	struct sockaddr_storage sa;
	socklen_t salen;
	unsigned port;
	char asset[80];
	char sni[256]; /* a host name of the address, for TLS, or "" */
	enum job_phase phase;
	struct conn *conns[MAX_PARALLEL + 2];
	int nconn;
	unsigned closes; /* connections closed so far (use-after-close guard) */
	struct cx_svc_result best;
	int rank;       /* 0 nothing, 1 soft, 2 hard */
	const char *by; /* probe that identified it */
	int tls;
	int tls_ok; /* handshake completed */
	char *tls_version, *tls_cipher;
	char *inner;
	struct cx_buf ev; /* evidence: bytes of the identifying exchange */
	int ev_rank;
	int got_data;
	const char *note;
	int probes_sent;
	uint64_t sent; /* bit i: probe i was sent */
	int round2;    /* second round (probes for a soft match) done */
	uint64_t started, ended;
	uint64_t rtt; /* connect time of the banner connection, ms */
};

/* Host names by address text, for SNI (from the run or from the scope). */
struct svc_name {
	char addr[46];
	const char *names;
	size_t order;
};

struct svc {
	struct cx_loop *loop;
	struct cx_run *run;
	const struct cx_scan_opts *opts;
	const struct cx_progress *progress;
	struct cx_sigdb *db;
	SSL_CTX *ssl_ctx;
	struct job **jobs; /* in the order they were created */
	size_t n_jobs, cap_jobs, next, active, done, identified, max_active;
	uint64_t last_progress;
	int err; /* first fatal error (ENOMEM) */
	/* the stage fed by the port scan (cx_svc_pipe_*) */
	int feeding; /* the scan runs: record nothing, never stop the loop */
	int closing; /* start nothing more */
	size_t feed_cap;       /* jobs active at most while feeding */
	struct job **finished; /* done while feeding, in that order */
	size_t n_finished, cap_finished;
	unsigned char *per_host; /* jobs fed per address hash bucket */
	struct svc_name *names;
	size_t n_names;
	struct sigaction old_pipe;
	int pipe_saved;
};

/* ---- service.c: the job a connection belongs to ---- */
int svc_banner_ms(const struct job *j);
int svc_probe_ms(const struct svc *s, int probe);
/*
 * The reply wait of probe on a fresh probe connection of j: adapted to the
 * connect time of the port (SVC_FIRST_PROBE_MS + 8 x RTT), never above
 * svc_probe_ms().  This is what a silent port costs.
 */
int svc_first_probe_ms(const struct job *j, int probe);
int svc_connect_ms(const struct svc *s);
void svc_set_str(char **dst, const char *src);
void svc_job_take(struct job *j, struct conn *c, struct cx_svc_result *r);
void svc_job_keep_evidence(struct job *j, struct conn *c);
void svc_job_start_probes(struct job *j);
void svc_job_start_tls(struct job *j);
void svc_job_done(struct job *j);

/* ---- service_conn.c: the connections ---- */
struct conn *svc_conn_open(struct job *j, enum conn_kind kind, int probe);
void svc_conn_close(struct conn *c);
void svc_job_cancel_others(struct job *j, struct conn *keep);

#endif
