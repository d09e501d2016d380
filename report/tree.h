/*
 * certexam — the act as a data tree, shared by the XML and JSON writers.
 * tree_act() walks the model and calls the format's primitives; values are
 * raw strings that each primitive escapes.
 */
#ifndef CX_TREE_H
#define CX_TREE_H

#include "certexam/act.h"
#include "certexam/util.h"

#define TREE_DEPTH 16

struct tree_out {
	struct cx_buf *b;
	int depth;
	int first[TREE_DEPTH]; /* JSON: no comma needed yet at this depth */
	int is_list[TREE_DEPTH];
	const char *item[TREE_DEPTH]; /* XML: element name of list items */
};

struct tree_ops {
	int (*begin)(struct tree_out *t);
	int (*end)(struct tree_out *t);
	/* An object; name is its key (or NULL inside a list). */
	int (*obj_open)(struct tree_out *t, const char *name);
	int (*obj_close)(struct tree_out *t, const char *name);
	/* A list whose items are called item (for XML). */
	int (*list_open)(struct tree_out *t, const char *name,
	                 const char *item);
	int (*list_close)(struct tree_out *t, const char *name);
	/* A string field (value NULL -> null / omitted). */
	int (*field)(struct tree_out *t, const char *name, const char *value);
	int (*num)(struct tree_out *t, const char *name, long value);
};

int tree_act(const struct cx_act *act, const struct tree_ops *ops,
             struct cx_buf *b);

#endif
