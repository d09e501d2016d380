/*
 * certexam — the run record: runs/NNNN/run.xml plus runs/NNNN/evidence/.
 *
 * A run is everything one examination produced: metadata, scope, options,
 * observations, findings and the evidence index.  run.xml is written
 * atomically (temporary file, fsync, rename) and validated against
 * profiles/schema/run.xsd on reading.  An interrupted scan writes a
 * readable record with complete = 0.
 */
#ifndef CERTEXAM_RUN_H
#define CERTEXAM_RUN_H

#include <stddef.h>
#include <time.h>
#include "certexam/error.h"
#include "certexam/finding.h"
#include "certexam/observation.h"
#include "certexam/util.h"

struct cx_evidence {
	char *id; /* "E0001" */
	char
	    *file; /* relative to the run folder: "evidence/E0001-banner.bin" */
	char *sha256; /* 64 hex chars */
	size_t size;
	char *asset;
	char *kind; /* "banner", "tls-chain", "http-headers", ... */
	char *description;
};

struct cx_run {
	/* Where it lives.  dir is NULL for a run not yet placed on disk. */
	char *dir;
	int number;   /* NNNN */
	char *kind;   /* "examination" or "additional" */
	int baseline; /* for "additional": the run it re-checks, else 0 */

	char *tool_version;
	char *profile_id;
	char *profile_version;
	char *object_name; /* from object.xml, or NULL for --target runs */
	char *object_type;
	char *case_dir; /* absolute path of the case, or NULL */
	char *examiner_host;
	char *examiner_user;
	char *vantage; /* --vantage NAME: where the scanner stood, or NULL */
	time_t started, finished;
	int complete; /* 0 if interrupted */
	int degraded; /* 1 if the scan gave up on something */
	char *degraded_reason;

	char **scope; /* as written in the case or --target */
	size_t n_scope;
	struct cx_prop *options; /* command-line options that shaped the run */
	size_t n_options, cap_options;
	struct cx_prop
	    *basis; /* normative basis (id, title) from the profile */
	size_t n_basis, cap_basis;
	struct cx_prop *checks; /* check id -> "done" | "failed" | "skipped" |
	                           "interrupted" */
	size_t n_checks, cap_checks;

	struct cx_host_obs *hosts;
	size_t n_hosts, cap_hosts;
	struct cx_port_obs *ports;
	size_t n_ports, cap_ports;
	struct cx_observation *obs;
	size_t n_obs, cap_obs;
	struct cx_finding *findings;
	size_t n_findings, cap_findings;
	struct cx_evidence *evidence;
	size_t n_evidence, cap_evidence;

	struct cx_run_index *index; /* private to run.c: finding keys, ports */
};

/* A new empty run (complete = 0).  NULL on ENOMEM. */
struct cx_run *cx_run_new(void);
void cx_run_free(struct cx_run *run);

/*
 * Create the next free runs/NNNN folder under runs_dir (and its evidence/
 * folder), set run->dir and run->number.  Safe against two scans racing
 * (mkdir is the lock).
 */
int cx_run_place(struct cx_run *run, const char *runs_dir);

/* Appenders; all copy what they are given.  0 or CX_ENOMEM. */
int cx_run_option(struct cx_run *run, const char *name, const char *value);
int cx_run_check_state(struct cx_run *run, const char *check,
                       const char *state);

/*
 * A check's recorded state is a code (CX_STATE_*); a failed check's code
 * is followed by ':' and the error's name (cx_err_name, a raw parameter),
 * e.g. "failed:CX_EIO".  run.xml writes it as state="failed"
 * msg="scan.state.failed" error="CX_EIO".  A run recorded before the codes
 * holds the scanner's English text ("skipped: not selected (--only)"),
 * printed as recorded.
 */
#define CX_STATE_DONE              "done"
#define CX_STATE_INTERRUPTED       "interrupted"
#define CX_STATE_SKIPPED_ONLY      "skipped-only"
#define CX_STATE_SKIPPED_INTRUSIVE "skipped-intrusive"
#define CX_STATE_SKIPPED_SHARD     "skipped-shard"
#define CX_STATE_NOT_APPLICABLE    "not-applicable"
#define CX_STATE_FAILED            "failed"

/*
 * The message id of recorded state (a code, optionally ":error"), with
 * the length of its code in *code_len and its error parameter (or NULL)
 * in *error; NULL when state is not a code (an old run's text).
 */
const char *cx_check_state_msg(const char *state, size_t *code_len,
                               const char **error);
/*
 * Records the state of check after a phase or check returned rc: done,
 * interrupted, not-applicable (CX_ENOTSUP, when enotsup_na), else
 * failed:<error name>.  0 or CX_ENOMEM.
 */
int cx_run_check_rc(struct cx_run *run, const char *check, int rc,
                    int enotsup_na);
int cx_run_add_host(struct cx_run *run, const struct cx_host_obs *h);
/* Returns the index of the new port through *idx when idx != NULL. */
int cx_run_add_port(struct cx_run *run, const struct cx_port_obs *p,
                    size_t *idx);
/* A new observation owned by the run; NULL on ENOMEM. */
struct cx_observation *cx_run_add_obs(struct cx_run *run, const char *kind,
                                      const char *asset);
/*
 * Add a finding (deep copy).  If f->key is NULL it is built.  A second
 * finding with the same key replaces nothing: it gets a suffix "#2", "#3".
 */
int cx_run_add_finding(struct cx_run *run, const struct cx_finding *f);

/*
 * Store raw evidence bytes: writes evidence/<id>-<kind>.bin under run->dir,
 * computes SHA-256 and indexes it.  *id_out (may be NULL) receives a
 * borrowed pointer to the new id.  Requires run->dir.
 */
int cx_run_add_evidence(struct cx_run *run, const char *asset, const char *kind,
                        const char *description, const void *data, size_t len,
                        const char **id_out);

/*
 * The largest run.xml the reader accepts and the writer produces: 64 GiB,
 * far above any examination (65,535 open ports with their findings take
 * about 60 MB); both are streamed, so memory does not grow with the file.
 */
#define CX_RUN_MAX_XML (64ULL * 1024 * 1024 * 1024)

/*
 * The longest text the record stores in one field (an attribute, a
 * finding's text, an observation's property, an argument): 64 KiB.  A
 * longer value (a banner, a header, a certificate subject as received)
 * is cut at a UTF-8 character boundary at or below CX_RUN_MAX_FIELD bytes
 * and marked with CX_RUN_CUT_MARK, which says how many bytes were kept of
 * how many; the raw bytes stay whole in the evidence files.  The reader
 * refuses any single text over CX_XML_MAX_SPAN (1 MiB), so every record
 * the writer produces reads back.
 */
#define CX_RUN_MAX_FIELD ((size_t)64 * 1024)
#define CX_RUN_CUT_MARK  " [certexam: cut, %zu of %zu bytes kept]"

/* Write run->dir/run.xml atomically, streamed; CX_ELIMIT above
 * CX_RUN_MAX_XML. */
int cx_run_save(const struct cx_run *run);
/*
 * Read a run folder (dir/run.xml).  schema_dir may be NULL to skip
 * validation.  Problems go to diags.
 */
int cx_run_load(const char *dir, const char *schema_dir, struct cx_run **out,
                struct cx_diags *diags);
/*
 * The number of the newest run under runs_dir whose kind is kind (NULL:
 * any) through *out, 0 when there is none.  Runs are looked at newest
 * first and only their root element is read.  A run folder whose run.xml
 * cannot be read is never skipped: the return is its error (CX_ENOENT,
 * CX_EPARSE, ...) with a diagnostic naming it, and *out stays 0.
 */
int cx_runs_latest(const char *runs_dir, const char *kind, int *out,
                   struct cx_diags *diags);

/*
 * Before a stored run is used (act, rescan): every evidence file's path
 * stays inside run->dir (relative, no "..", a regular file, no link out)
 * and its size and SHA-256 are those of the record.  0, or
 * CX_EINTEGRITY with one diagnostic per file that fails (naming it), or
 * CX_ENOMEM / CX_ENOENT (run->dir missing).
 */
int cx_run_verify(const struct cx_run *run, struct cx_diags *d);

/* Serialise as run.xml text / as JSON (cx_run_json) into b. */
int cx_run_to_xml(const struct cx_run *run, struct cx_buf *b);
int cx_run_to_json(const struct cx_run *run, struct cx_buf *b);

/* Counts of findings per status and per severity (fail only). */
void cx_run_counts(const struct cx_run *run, size_t by_status[CX__STATUS_COUNT],
                   size_t by_sev[CX__SEV_COUNT]);

/*
 * The all-open host (scanner/record/allopen.c): a host answering on at
 * least CX_ALL_OPEN_PERCENT % of n_probed (>= CX_ALL_OPEN_MIN_PROBED)
 * probed TCP ports gets an "all-open-host" observation (props open,
 * probed, service-probed), and its open ports outside a sample of at most
 * CX_ALL_OPEN_SAMPLE (the declared ports, then the usual ports of the
 * services the network block judges) get the reason suffix
 * CX_REASON_NOT_PROBED: service detection and the checks leave them out,
 * the record keeps them.  Call after the port scan (and the marking of
 * declared ports), before service detection.  0 or CX_ENOMEM.
 */
#define CX_ALL_OPEN_MIN_PROBED 256
#define CX_ALL_OPEN_PERCENT    90
#define CX_ALL_OPEN_SAMPLE     48
#define CX_REASON_NOT_PROBED   " (all-open host: service not probed)"
int cx_run_mark_all_open(struct cx_run *run, size_t n_probed);
/* 1 when p is an open port of an all-open host outside the sample. */
int cx_port_not_probed(const struct cx_port_obs *p);

/* The port observation for addr:port/proto, or NULL.  Borrowed. */
struct cx_port_obs *cx_run_find_port(const struct cx_run *run, const char *addr,
                                     int port, const char *proto);

#endif
