/*
 * certexam — the check module contract (zmap style).
 *
 * A check is a struct of an id, a title, the act block it fills, flags and
 * three functions, listed in one table in checks/checks.c.  Adding a check
 * is one new file and one line in that table.
 *
 * run() reads the run's observations (hosts, ports) and the profile, may
 * drive network probes on ctx->loop, and adds observations, evidence and
 * findings to ctx->run.  A non-compliant target is a finding, not an
 * error: run() returns an error only when the check itself could not work,
 * and then it records not_checked or error findings, never a silent pass.
 * A check never prints.
 */
#ifndef CERTEXAM_CHECK_H
#define CERTEXAM_CHECK_H

#include <stddef.h>
#include "certexam/error.h"
#include "certexam/finding.h"
#include "certexam/i18n.h"
#include "certexam/object.h"
#include "certexam/profile.h"
#include "certexam/run.h"
#include "certexam/target.h"

struct cx_loop;

/* Options that shape a scan; defaults from cx_scan_opts_default(). */
struct cx_scan_opts {
	const char *profiles_dir; /* profiles/ (profiles, schema, signatures) */
	const char *case_dir;     /* NULL for --target runs */
	int connect_timeout_ms;   /* initial per-probe timeout */
	int service_wait_ms;      /* wait for a banner before probing */
	int probe_timeout_ms;     /* per service/TLS/HTTP probe */
	int service_probe_ms;     /* a service-detection probe's reply wait */
	int max_inflight;         /* sockets in flight, upper bound */
	int rate;                 /* probes per second, 0 = unlimited */
	int retries;              /* retransmissions where loss was seen */
	int intrusive;            /* state-changing checks allowed */
	int progress;             /* print progress to stderr */
	int verbose;
	long http_budget;        /* requests per web resource */
	const char *only_checks; /* comma list of check ids, NULL = all */
	const char *scan_type;   /* "connect", "syn"; NULL: syn if possible */
	int no_discovery;        /* port-scan every address, up or not */
};
void cx_scan_opts_default(struct cx_scan_opts *o);

/*
 * A progress reporter the program may install; checks and the engine call
 * it at most a few times a second.  NULL means none.
 */
struct cx_progress {
	void (*update)(void *arg, const char *phase, uint64_t done,
	               uint64_t total, uint64_t found);
	void *arg;
};

struct cx_check_ctx {
	const struct cx_object *obj; /* NULL for --target runs */
	const struct cx_profile *profile;
	const struct cx_scope *scope;
	const struct cx_scan_opts *opts;
	const struct cx_progress *progress; /* may be NULL */
	struct cx_run *run;
	struct cx_loop *loop;
	void *priv; /* the check's own state */
};

#define CX_CHECK_NETWORK   0x1u /* sends traffic */
#define CX_CHECK_INTRUSIVE 0x2u /* may change state: only with --intrusive */

struct cx_check {
	const char *id;
	const char *title;
	const char
	    *block; /* "documents", "network", "tls", "web", "inventory" */
	unsigned flags;
	int (*init)(struct cx_check_ctx *ctx); /* may be NULL */
	int (*run)(struct cx_check_ctx *ctx);
	void (*cleanup)(struct cx_check_ctx *ctx); /* may be NULL */
};

/* The table, NULL-terminated, in the order checks run. */
extern const struct cx_check *const cx_checks[];
/* The check with this id, or NULL. */
const struct cx_check *cx_check_find(const char *id);

/*
 * One finding as a check describes it, filled with designated
 * initializers (zmap style):
 *
 *	cx_emit(ctx, &(struct cx_emit){
 *		.check = "tls", .req = "TLS-04", .asset = ep->asset,
 *		.status = CX_FAIL, .observed = obs, .evidence = ev_chain,
 *	});
 *
 * Members left out are NULL / 0: status CX_PASS, certainty CX_CONFIRMED,
 * severity the profile's, title the requirement's text, recommendation
 * the requirement's.  The strings are copied; the caller keeps them.
 */
struct cx_emit {
	const char *check;           /* check id: "ports", "tls", ... */
	const char *req;             /* requirement id of the profile */
	const char *asset;           /* host, host:port/proto or URL */
	const char *item;            /* optional qualifier of the key */
	enum cx_status status;       /* CX_PASS when left out */
	enum cx_certainty certainty; /* CX_CONFIRMED when left out */
	int severity;                /* 0: the profile's; CX_SEVERITY(s): s */
	const char *title;           /* NULL: the requirement's text */
	const char *observed;        /* what was observed */
	const char *recommendation;  /* NULL: the requirement's */
	const char *evidence;        /* one evidence id, or NULL */
	const char *const *evidence_more; /* further ids, NULL-terminated
	                                     (at most 7 are kept), or NULL */
	/*
	 * The words of the finding: a message id of the catalogs
	 * (profiles/i18n/) that says what was observed, as a whole sentence,
	 * and its named parameters as a CX_ARGS("name", value, ...) list
	 * (certexam/i18n.h). With .msg set, .observed carries only raw text as
	 * received (a banner, a header value, the examiner's note), printed
	 * verbatim.
	 */
	const char *msg;
	const char *const *args;
	/*
	 * How it was determined, likewise: a message id (method.*) and its
	 * parameters as a CX_ARGS list; NULL when not said.
	 */
	const char *method_msg;
	const char *const *method_args;
};

/* A severity that overrides the profile's in struct cx_emit. */
#define CX_SEVERITY(s) ((int)(s) + 1)

/*
 * Record the finding e describes for requirement e->req of the profile:
 * the requirement's text, legal source, block, severity and default
 * recommendation are copied from the profile.  If the profile does not
 * contain the requirement it does not apply to this object type and
 * nothing is recorded (returns 0).  0 or CX_ENOMEM.
 */
int cx_emit(struct cx_check_ctx *ctx, const struct cx_emit *e);

#endif
