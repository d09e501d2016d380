/*
 * certexam — merging runs of one examination made from several vantage
 * points or as shards of the scope (certexam merge CASE RUN...).
 */
#ifndef CERTEXAM_MERGE_H
#define CERTEXAM_MERGE_H

#include <stddef.h>
#include "certexam/error.h"
#include "certexam/run.h"

/*
 * Merge the loaded runs in[0..n-1] into a new run placed under runs_dir
 * (the next free NNNN, saved at once as complete="false", then atomically
 * rewritten when done).  Every input's evidence is verified first
 * (cx_run_verify: paths confined, SHA-256 and size) and copied with its
 * hash checked again on the bytes copied.
 *
 * Refused with CX_EINVAL and a diagnostic naming the run: fewer than one
 * run, runs of different profiles (id or version), cases (object, case
 * folder) or kinds, and an incomplete run (complete="false") unless
 * allow_incomplete, which marks the merged run incomplete.  CX_EINTEGRITY
 * when evidence does not verify.
 *
 * Merging: hosts, ports, observations and findings keep the vantage they
 * were seen from (the element's own, else its run's).  A host is up if
 * any vantage saw it up; a port takes the most telling state (open,
 * closed, filtered, unknown) with the vantages that saw it so, and every
 * other vantage's state is kept as a "vantage-port" observation.  The same
 * finding key from several runs is one finding with every vantage and
 * evidence, its status the worst (fail, error, not_checked, waived, pass,
 * not_applicable) and, at that status, the highest severity.  A check's
 * state is kept when every run agrees, else the first that is not "done"
 * names its run.  command (may be NULL) is recorded as the merged
 * run's "command" option.  *out receives the run (caller frees).
 */
int cx_run_merge(struct cx_run *const *in, size_t n, const char *runs_dir,
                 int allow_incomplete, const char *command, struct cx_run **out,
                 struct cx_diags *d);

#endif
