/*
 * certexam — service detection (engine-internal API), the second phase.
 *
 * For every OPEN port in run->ports: read what the service says first
 * (opts->service_wait_ms), then send protocol probes chosen by port number
 * and by what was read, from the signature file (profiles/signatures.xml,
 * our own format and entries).  All ports are probed concurrently on the
 * loop, each probe with a deadline.  Fills service, product, version,
 * extra, tls (and inner: the protocol spoken inside TLS), and stores the
 * raw bytes received as evidence (cx_run_add_evidence, kind "banner"),
 * setting port->evidence to its id.
 */
#ifndef CX_SERVICE_H
#define CX_SERVICE_H

#include "certexam/check.h"
#include "certexam/loop.h"
#include "certexam/run.h"

int cx_service_detect(struct cx_loop *loop, struct cx_run *run,
                      const struct cx_scan_opts *opts,
                      const char *signatures_path,
                      const struct cx_progress *progress);

/*
 * The same detection as a stage fed by the port scan (a pipeline):
 *  - cx_svc_pipe_new() before the scan (loads the signatures; host names
 *    for SNI come from scope, as the scan records them);
 *  - cx_svc_pipe_port() for each open TCP port the scan finds, from the
 *    scan's callbacks on the same loop: detection of that port starts at
 *    once (at most max_active jobs at a time while the scan runs, 0 = no
 *    limit but the fd budget; at most 64 ports per address before the scan
 *    is over, the rest wait for it);
 *  - cx_svc_pipe_finish() once the scan has recorded, sorted and marked
 *    its ports (all-open hosts): with go_on, detection runs for every open
 *    port not fed yet and returns when all are done, as cx_service_detect;
 *    without (the scan was interrupted or failed) the jobs that ended are
 *    recorded and the running ones are ended unrecorded.
 * Nothing is recorded before cx_svc_pipe_finish(), and the loop is never
 * stopped by detection while the scan runs.
 */
struct cx_svc_pipe;
struct cx_scope;

/*
 * Start loading the signatures of signatures_path (and the TLS context)
 * in a thread, for the next cx_svc_pipe_new() or cx_service_detect() of
 * that path to take (it waits for the thread); scan.c calls it before
 * host discovery, which then runs meanwhile.  Nothing happens if one is
 * already loading.  Main thread only; call it after a first validated
 * document (the profile) has initialised libxml2's schema types (its
 * error handlers are per thread).
 */
void cx_svc_preload(const char *signatures_path);
int cx_svc_pipe_new(struct cx_loop *loop, struct cx_run *run,
                    const struct cx_scan_opts *opts,
                    const char *signatures_path,
                    const struct cx_progress *progress,
                    const struct cx_scope *scope, struct cx_svc_pipe **out);
void cx_svc_pipe_port(struct cx_svc_pipe *p, const char *addr_s, unsigned port,
                      size_t max_active);
int cx_svc_pipe_finish(struct cx_svc_pipe *p, int go_on);
/* Free the pipe (its loop must still exist); NULL accepted. */
void cx_svc_pipe_free(struct cx_svc_pipe *p);

/*
 * What cx_service_detect() records, besides the port fields:
 *  - port->service: the signature's name ("ssh", "http", "postgresql",
 *    "microsoft-ds", ...); for a TLS port the name for the protocol inside
 *    ("https", "smtps", "imaps", ... from <tls-service>), or "tls" when the
 *    inside is unknown; NULL when nothing matched.
 *  - one observation of kind "service" per port, asset "addr:port/tcp"
 *    ("[v6]:port/tcp"), with properties service ("unknown" when NULL),
 *    product, version, extra, certainty ("confirmed" | "likely" | "none"),
 *    identified-by (the probe; "null" = the banner), tls ("yes"/"no"),
 *    tls-handshake, tls-version, tls-cipher, inner, the facts found
 *    (starttls = offered | not-offered, smb1 = enabled | disabled), banner
 *    (sanitised view of the first 512 bytes of the evidence), note ("no
 *    banner", "closed by the peer without data", "connection refused",
 *    "TLS handshake failed", ...), probes-sent and elapsed-ms.
 * Returns 0, CX_EINTR when interrupted (finished ports are recorded), or
 * the error that kept it from working (signature file, ENOMEM, TLS).
 */

/*
 * The signature database (profiles/signatures.xml, format described at the
 * top of that file and in profiles/schema/signatures.xsd).  Exported for
 * the ports check and the unit tests.
 */
struct cx_sigdb;

/*
 * Load and compile a signature file.  When schema_path is not NULL the
 * file is validated against it first.  Problems go to diags (may be NULL)
 * naming the line.  *out is the caller's (cx_sigdb_free).
 */
int cx_sigdb_load(const char *path, const char *schema_path,
                  struct cx_sigdb **out, struct cx_diags *diags);
/* Free a database; NULL accepted. */
void cx_sigdb_free(struct cx_sigdb *db);

#define CX_SVC_MAX_FACTS 8

/* What the signatures say about bytes received.  Strings are owned. */
struct cx_svc_result {
	char *service; /* NULL when nothing matched */
	char *product;
	char *version;
	char *extra;
	int soft; /* a soft (likely, not certain) match */
	int tls;  /* the reply shows the port speaks TLS */
	struct cx_prop facts[CX_SVC_MAX_FACTS]; /* e.g. starttls=offered */
	size_t n_facts;
};

/*
 * Match len bytes received in reply to probe (NULL or "null": the banner)
 * against db.  The match entries for that probe are tried first, then the
 * banner entries; the first match in file order fills res (which must be
 * zeroed or cleared before).  Facts for that probe are appended to
 * res->facts, a name already present is kept.  Returns 1 when a match
 * entry matched, 0 when none did (facts may still have been added),
 * CX_EINVAL for an unknown probe, CX_ENOMEM.  At most 8 KiB of data are
 * examined; data may contain any bytes including NUL.
 */
int cx_sigdb_match(const struct cx_sigdb *db, const char *probe,
                   const void *data, size_t len, struct cx_svc_result *res);
/* Free the members of res and zero it; NULL accepted. */
void cx_svc_result_clear(struct cx_svc_result *res);

/*
 * The sanitised view signatures are matched against: printable ASCII, CR,
 * LF and TAB kept, a backslash as "\\", any other byte as "\xHH".  At
 * most max input bytes are used.  Caller frees; NULL on ENOMEM.
 */
char *cx_svc_view(const void *data, size_t len, size_t max);

#endif
