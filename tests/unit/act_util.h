/*
 * Helpers shared by the act's unit tests (act_util.c): a run and the
 * findings check_act.c and check_act_render.c build their acts from.
 */
#ifndef CX_TEST_ACT_UTIL_H
#define CX_TEST_ACT_UTIL_H

#include "certexam/finding.h"
#include "certexam/run.h"

/* A finding of check on req in block, with the given status, severity
 * and observed text; the requirement's text and source, title and
 * recommendation fixed. */
void finding(struct cx_run *run, const char *check, const char *req,
             const char *block, const char *asset, enum cx_status st,
             enum cx_severity sev, const char *observed);
/* A complete run number of kind ("examination", "additional") of the
 * information-system profile, its times fixed; cx_run_free() it. */
struct cx_run *base_run(int number, const char *kind);
/* A failed finding with a message id, an argument and a kind. */
void finding_msg(struct cx_run *run, const char *req, const char *block,
                 const char *asset, enum cx_status st, enum cx_severity sev,
                 const char *msg, const char *arg, const char *kind);
/* One finding of status st in each of the seven blocks of the act. */
void all_blocks(struct cx_run *run, enum cx_status st);

#endif
