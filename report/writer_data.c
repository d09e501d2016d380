/*
 * certexam — the act as XML and as JSON: two sets of tree primitives over
 * the one walker in tree.c.
 */
#include <string.h>

#include "certexam/act.h"
#include "certexam/escape.h"
#include "tree.h"

static int indent(struct tree_out *t)
{
	static const char sp[] = "\n                                "
	                         "                                ";
	size_t n = 1 + 2 * (size_t)t->depth;

	if (n > sizeof(sp) - 1)
		return cx_buf_printf(t->b, "\n%*s", 2 * t->depth, "");
	return cx_buf_append(t->b, sp, n);
}

/* "<name>" or "</name>" without printf (the act's hottest path). */
static int tag(struct cx_buf *b, const char *open, const char *name)
{
	int rc = cx_buf_puts(b, open);

	if (rc == CX_OK)
		rc = cx_buf_puts(b, name);
	if (rc == CX_OK)
		rc = cx_buf_putc(b, '>');
	return rc;
}

static int push(struct tree_out *t, int is_list, const char *item)
{
	if (t->depth + 1 >= TREE_DEPTH)
		return CX_ELIMIT;
	t->depth++;
	t->first[t->depth] = 1;
	t->is_list[t->depth] = is_list;
	t->item[t->depth] = item;
	return CX_OK;
}

/* ---- XML ---- */

static const char *x_name(struct tree_out *t, const char *name)
{
	if (name != NULL)
		return name;
	return t->item[t->depth] ? t->item[t->depth] : "item";
}

static int x_begin(struct tree_out *t)
{
	int rc =
	    cx_buf_puts(t->b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                      "<act xmlns=\"urn:certexam:act:1\">");

	t->depth = 0;
	return rc;
}

static int x_end(struct tree_out *t)
{
	return cx_buf_puts(t->b, "\n</act>\n");
}

static int x_open(struct tree_out *t, const char *name, int is_list,
                  const char *item)
{
	const char *n = x_name(t, name);
	int rc = indent(t);

	if (rc == CX_OK)
		rc = tag(t->b, "<", n);
	if (rc == CX_OK)
		rc = push(t, is_list, item);
	return rc;
}

static int x_close(struct tree_out *t, const char *name)
{
	int rc;

	t->depth--;
	rc = indent(t);
	if (rc == CX_OK)
		rc = tag(t->b, "</", x_name(t, name));
	return rc;
}

static int x_obj_open(struct tree_out *t, const char *name)
{
	return x_open(t, name, 0, NULL);
}

static int x_list_open(struct tree_out *t, const char *name, const char *item)
{
	return x_open(t, name, 1, item);
}

static int x_field(struct tree_out *t, const char *name, const char *value)
{
	const char *n = x_name(t, name);
	int rc;

	if (value == NULL)
		return CX_OK;
	rc = indent(t);
	if (rc == CX_OK)
		rc = tag(t->b, "<", n);
	if (rc == CX_OK)
		rc = cx_esc_xml(t->b, value);
	if (rc == CX_OK)
		rc = tag(t->b, "</", n);
	return rc;
}

static int x_num(struct tree_out *t, const char *name, long v)
{
	int rc = indent(t);

	if (rc == CX_OK)
		rc = cx_buf_printf(t->b, "<%s>%ld</%s>", name, v, name);
	return rc;
}

static const struct tree_ops xml_ops = {
    .begin = x_begin,
    .end = x_end,
    .obj_open = x_obj_open,
    .obj_close = x_close,
    .list_open = x_list_open,
    .list_close = x_close,
    .field = x_field,
    .num = x_num,
};

/* ---- JSON ---- */

static int j_sep(struct tree_out *t, const char *name)
{
	int rc = CX_OK;

	if (!t->first[t->depth])
		rc = cx_buf_putc(t->b, ',');
	t->first[t->depth] = 0;
	if (rc == CX_OK)
		rc = indent(t);
	if (rc == CX_OK && name != NULL && !t->is_list[t->depth]) {
		rc = cx_buf_putc(t->b, '"');
		if (rc == CX_OK)
			rc = cx_esc_json(t->b, name);
		if (rc == CX_OK)
			rc = cx_buf_puts(t->b, "\": ");
	}
	return rc;
}

static int j_begin(struct tree_out *t)
{
	t->depth = 0;
	t->first[0] = 1;
	t->is_list[0] = 0;
	return cx_buf_putc(t->b, '{');
}

static int j_end(struct tree_out *t)
{
	return cx_buf_puts(t->b, "\n}\n");
}

static int j_open(struct tree_out *t, const char *name, int is_list)
{
	int rc = j_sep(t, name);

	if (rc == CX_OK)
		rc = cx_buf_putc(t->b, is_list ? '[' : '{');
	if (rc == CX_OK)
		rc = push(t, is_list, NULL);
	return rc;
}

static int j_obj_open(struct tree_out *t, const char *name)
{
	return j_open(t, name, 0);
}

static int j_list_open(struct tree_out *t, const char *name, const char *item)
{
	(void)item;
	return j_open(t, name, 1);
}

static int j_close(struct tree_out *t, const char *name)
{
	int list = t->is_list[t->depth], empty = t->first[t->depth];
	int rc = CX_OK;

	(void)name;
	t->depth--;
	if (!empty)
		rc = indent(t);
	if (rc == CX_OK)
		rc = cx_buf_putc(t->b, list ? ']' : '}');
	return rc;
}

static int j_field(struct tree_out *t, const char *name, const char *value)
{
	int rc = j_sep(t, name);

	if (rc != CX_OK)
		return rc;
	if (value == NULL)
		return cx_buf_puts(t->b, "null");
	rc = cx_buf_putc(t->b, '"');
	if (rc == CX_OK)
		rc = cx_esc_json(t->b, value);
	if (rc == CX_OK)
		rc = cx_buf_putc(t->b, '"');
	return rc;
}

static int j_num(struct tree_out *t, const char *name, long v)
{
	int rc = j_sep(t, name);

	if (rc == CX_OK)
		rc = cx_buf_printf(t->b, "%ld", v);
	return rc;
}

static const struct tree_ops json_ops = {
    .begin = j_begin,
    .end = j_end,
    .obj_open = j_obj_open,
    .obj_close = j_close,
    .list_open = j_list_open,
    .list_close = j_close,
    .field = j_field,
    .num = j_num,
};

static int xml_write(const struct cx_act *act, struct cx_buf *out)
{
	return tree_act(act, &xml_ops, out);
}

static int json_write(const struct cx_act *act, struct cx_buf *out)
{
	return tree_act(act, &json_ops, out);
}

const struct cx_act_writer cx_writer_xml = {
    .name = "xml",
    .ext = "xml",
    .write = xml_write,
};

const struct cx_act_writer cx_writer_json = {
    .name = "json",
    .ext = "json",
    .write = json_write,
};
