/*
 * certexam — the document walker shared by the HTML and Markdown writers.
 *
 * render_act() walks the act model in reading order and calls the
 * format's primitives; cells and text are raw (unescaped) strings, and
 * each primitive escapes them for its format.
 */
#ifndef CX_RENDER_H
#define CX_RENDER_H

#include "certexam/act.h"
#include "certexam/util.h"

struct render_ops {
	int (*begin)(struct cx_buf *b, const struct cx_act *act,
	             const char *title);
	int (*end)(struct cx_buf *b);
	int (*heading)(struct cx_buf *b, int level, const char *text);
	int (*para)(struct cx_buf *b, const char *text);
	/* Emphasised verdict line: a class ("pass", "fail", ...) and text. */
	int (*verdict)(struct cx_buf *b, const char *cls, const char *text);
	int (*table_begin)(struct cx_buf *b, const char *const *cols,
	                   size_t ncols);
	int (*row)(struct cx_buf *b, const char *const *cells, size_t ncells);
	int (*table_end)(struct cx_buf *b);
};

int render_act(const struct cx_act *act, const struct render_ops *ops,
               struct cx_buf *b);

#endif
