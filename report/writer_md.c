/*
 * certexam — the act as Markdown (GitHub-flavoured tables).  Every cell is
 * escaped so that text from a target can neither break the table nor
 * inject markup.
 */
#include "certexam/act.h"
#include "certexam/escape.h"
#include "render.h"

static int m_begin(struct cx_buf *b, const struct cx_act *act,
                   const char *title)
{
	(void)b;
	(void)act;
	(void)title;
	return CX_OK;
}

static int m_end(struct cx_buf *b)
{
	(void)b;
	return CX_OK;
}

static int m_heading(struct cx_buf *b, int level, const char *text)
{
	int rc = cx_buf_printf(b, "\n%.*s ", level, "######");

	if (rc == CX_OK)
		rc = cx_esc_md(b, text);
	if (rc == CX_OK)
		rc = cx_buf_puts(b, "\n\n");
	return rc;
}

static int m_para(struct cx_buf *b, const char *text)
{
	int rc = cx_esc_md(b, text);

	if (rc == CX_OK)
		rc = cx_buf_puts(b, "\n\n");
	return rc;
}

static int m_verdict(struct cx_buf *b, const char *cls, const char *text)
{
	int rc;

	(void)cls;
	rc = cx_buf_puts(b, "**");
	if (rc == CX_OK)
		rc = cx_esc_md(b, text);
	if (rc == CX_OK)
		rc = cx_buf_puts(b, "**\n\n");
	return rc;
}

static int m_table_begin(struct cx_buf *b, const char *cls,
                         const char *const *cols, size_t ncols)
{
	size_t i;
	int rc = cx_buf_puts(b, "|");

	(void)cls;
	for (i = 0; i < ncols && rc == CX_OK; i++) {
		rc = cx_buf_putc(b, ' ');
		if (rc == CX_OK)
			rc = cx_esc_md(b, cols[i]);
		if (rc == CX_OK)
			rc = cx_buf_puts(b, " |");
	}
	if (rc == CX_OK)
		rc = cx_buf_puts(b, "\n|");
	for (i = 0; i < ncols && rc == CX_OK; i++)
		rc = cx_buf_puts(b, " --- |");
	if (rc == CX_OK)
		rc = cx_buf_putc(b, '\n');
	return rc;
}

static int m_row(struct cx_buf *b, const char *const *cells, size_t ncells)
{
	size_t i;
	int rc = cx_buf_puts(b, "|");

	for (i = 0; i < ncells && rc == CX_OK; i++) {
		rc = cx_buf_putc(b, ' ');
		if (rc == CX_OK)
			rc = cx_esc_md(b, cells[i]);
		if (rc == CX_OK)
			rc = cx_buf_puts(b, " |");
	}
	if (rc == CX_OK)
		rc = cx_buf_putc(b, '\n');
	return rc;
}

static int m_table_end(struct cx_buf *b)
{
	return cx_buf_putc(b, '\n');
}

static int m_div_begin(struct cx_buf *b, const char *cls)
{
	(void)b;
	(void)cls;
	return CX_OK;
}

static int m_div_end(struct cx_buf *b)
{
	(void)b;
	return CX_OK;
}

/* Markdown has no collapsing: the annexes print in full. */
static int m_details_begin(struct cx_buf *b, const char *summary)
{
	(void)b;
	(void)summary;
	return CX_OK;
}

const struct render_ops render_md_ops = {
    .begin = m_begin,
    .end = m_end,
    .heading = m_heading,
    .para = m_para,
    .verdict = m_verdict,
    .table_begin = m_table_begin,
    .row = m_row,
    .table_end = m_table_end,
    .div_begin = m_div_begin,
    .div_end = m_div_end,
    .details_begin = m_details_begin,
    .details_end = m_div_end,
};

static int md_write(const struct cx_act *act, struct cx_buf *out)
{
	return render_act(act, &render_md_ops, out);
}

const struct cx_act_writer cx_writer_md = {
    .name = "md",
    .ext = "md",
    .write = md_write,
};
