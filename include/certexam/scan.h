/*
 * certexam — one examination from start to record: load the case and the
 * profile, build the scope, scan ports, detect services, run the checks,
 * and write runs/NNNN/run.xml (checkpointed after every stage, complete
 * only at the end).
 */
#ifndef CERTEXAM_SCAN_H
#define CERTEXAM_SCAN_H

#include <stddef.h>
#include "certexam/check.h"
#include "certexam/error.h"
#include "certexam/run.h"

struct cx_scan_request {
	const char *case_dir;       /* NULL for a run without a case */
	const char *const *targets; /* --target values */
	size_t n_targets;
	const char *const *excludes; /* --exclude values */
	size_t n_excludes;
	const char *profile_id; /* --profile, or NULL */
	const char *ports;      /* --ports / "top:N", or NULL */
	const char *udp_ports;  /* --udp-ports, "none", or NULL */
	const char *out_dir;    /* runs folder for case-less runs */
	int additional;         /* a rescan: additional examination */
	int baseline;           /* run it re-checks (0: the latest) */
	const char *tool_version;
	struct cx_scan_opts opts; /* opts.profiles_dir must be set */
	const struct cx_progress *progress;
	const char *const *argv; /* recorded as the "command" option */
	int argc;
	const char *vantage; /* --vantage NAME, or NULL */
	unsigned shard_i;    /* --shard i/n: this shard, 0-based */
	unsigned shard_n;    /* the number of shards; 0 or 1: no sharding */
};

/*
 * Run the examination.  Problems with the inputs (object.xml, CSV, scope,
 * ports, profile) go to diags and return CX_EINVAL / CX_EPARSE /
 * CX_ESCHEMA / CX_ENOENT / CX_ESCOPE before anything is sent.  On success
 * or CX_EINTR, *out is the run (saved on disk; complete only on success).
 */
int cx_scan(const struct cx_scan_request *req, struct cx_run **out,
            struct cx_diags *diags);

/*
 * After shards were merged: run the checks judged on the whole scope
 * (documents, inventory: those that send nothing) that the shards
 * skipped, over the merged run, with the case as the run recorded it
 * (its object.xml and Annex 5/6 snapshots) and its whole scope; the run
 * is saved again.  Nothing is sent.  0 when there was nothing to do.
 */
int cx_scan_recheck(struct cx_run *run, const char *profiles_dir,
                    struct cx_diags *diags);

/*
 * Load the case a stored run was made from: the snapshot of object.xml,
 * hardware.csv and software.csv kept as the run's evidence.  *out is NULL
 * (and 0 returned) for a run without a case.
 */
int cx_run_load_object(const struct cx_run *run, const char *schema_dir,
                       struct cx_object **out, struct cx_diags *diags);

#endif
