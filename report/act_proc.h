/*
 * certexam — the act's sections on the procedure around the scan
 * (report/act_proc.c), called by the shared walkers: render.c (HTML,
 * Markdown) once per block and tree.c (XML, JSON) once per act.
 */
#ifndef CX_ACT_PROC_H
#define CX_ACT_PROC_H

#include "certexam/act.h"
#include "render.h"
#include "tree.h"

/* What belongs under the block's results (block id "inventory", ...). */
int render_proc_block(const struct cx_act *act, const struct render_ops *o,
                      struct cx_buf *b, const char *block);

/* The same as data: lists inventory_table and list_problems. */
int tree_proc(struct tree_out *t, const struct tree_ops *o,
              const struct cx_act *act);

/* The act's term (para 19 or 34, act->terms) as a verdict line. */
int render_proc_act(const struct cx_act *act, const struct render_ops *o,
                    struct cx_buf *b);
/* After the blocks in the annex: the waivers of the case and what became
 * of them. */
int render_proc_annex(const struct cx_act *act, const struct render_ops *o,
                      struct cx_buf *b);
/* The same as data: object "term" (and the list "waivers"). */
int tree_proc_act(struct tree_out *t, const struct tree_ops *o,
                  const struct cx_act *act);

/*
 * The package remark at property i of the "package-check" observation pk
 * (an "error" or "warning"), appended to out in the act's language: its
 * place and its message (pkg.*) with the parameters stored after it; a
 * run without them gives the stored English text.  0 or CX_ENOMEM.
 */
int render_proc_remark(const struct cx_act *act,
                       const struct cx_observation *pk, size_t i,
                       struct cx_buf *out);

#endif
