/*
 * certexam — the act as one self-contained HTML page (no external
 * resources), laid out for printing on A4.
 */
#include <string.h>

#include "certexam/act.h"
#include "certexam/escape.h"
#include "render.h"

static const char css[] =
    "@page{size:A4;margin:20mm 18mm 20mm 22mm}"
    "body{font-family:'DejaVu Serif','Times New Roman',serif;"
    "font-size:11pt;line-height:1.35;color:#000;max-width:180mm;"
    "margin:0 auto}"
    "h1{font-size:15pt;text-align:center;margin:0 0 6pt}"
    "h2{font-size:12.5pt;margin:14pt 0 4pt;border-bottom:1px solid #000;"
    "page-break-after:avoid}"
    "h3{font-size:11.5pt;margin:10pt 0 3pt;page-break-after:avoid}"
    "table{border-collapse:collapse;width:100%;margin:4pt 0 8pt;"
    "font-size:9.5pt}"
    "th,td{border:1px solid #555;padding:2pt 4pt;vertical-align:top;"
    "text-align:left;overflow-wrap:break-word}"
    "table.kv td:first-child{width:30%;font-weight:bold}"
    "th{background:#eee}tr{page-break-inside:avoid}"
    "thead{display:table-header-group}"
    ".v{font-weight:bold;padding:3pt 6pt;border:1px solid #000}"
    ".v.pass,.v.issue{background:#e6f4e6}"
    ".v.fail,.v.refuse,.v.rectify{background:#fbe3e3}"
    ".v.incomplete,.v.not_performed,.v.none{background:#fff4d6}"
    ".note{font-size:9pt;color:#333}"
    "@media print{a{color:#000;text-decoration:none}}";

static int h_begin(struct cx_buf *b, const struct cx_act *act,
                   const char *title)
{
	int rc;

	(void)act;
	rc = cx_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	                    "<meta charset=\"utf-8\">\n"
	                    "<meta http-equiv=\"Content-Security-Policy\" "
	                    "content=\"default-src 'none'; style-src "
	                    "'unsafe-inline'\">\n<title>");
	if (rc == CX_OK)
		rc = cx_esc_html(b, title);
	if (rc == CX_OK)
		rc = cx_buf_printf(b,
		                   "</title>\n<style>%s</style>\n</head>\n"
		                   "<body>\n",
		                   css);
	return rc;
}

static int h_end(struct cx_buf *b)
{
	return cx_buf_puts(b, "</body>\n</html>\n");
}

static int h_heading(struct cx_buf *b, int level, const char *text)
{
	int rc = cx_buf_printf(b, "<h%d>", level);

	if (rc == CX_OK)
		rc = cx_esc_html(b, text);
	if (rc == CX_OK)
		rc = cx_buf_printf(b, "</h%d>\n", level);
	return rc;
}

static int h_para(struct cx_buf *b, const char *text)
{
	int rc = cx_buf_puts(b, "<p>");

	if (rc == CX_OK)
		rc = cx_esc_html(b, text);
	if (rc == CX_OK)
		rc = cx_buf_puts(b, "</p>\n");
	return rc;
}

static int h_verdict(struct cx_buf *b, const char *cls, const char *text)
{
	int rc = cx_buf_puts(b, "<p class=\"v ");

	if (rc == CX_OK)
		rc = cx_esc_html(b, cls);
	if (rc == CX_OK)
		rc = cx_buf_puts(b, "\">");
	if (rc == CX_OK)
		rc = cx_esc_html(b, text);
	if (rc == CX_OK)
		rc = cx_buf_puts(b, "</p>\n");
	return rc;
}

static int h_table_begin(struct cx_buf *b, const char *const *cols,
                         size_t ncols)
{
	size_t i, blank = 1;
	int rc;

	for (i = 0; i < ncols; i++)
		if (cols[i][0] != '\0')
			blank = 0;
	rc = cx_buf_puts(b, blank ? "<table class=\"kv\">\n" : "<table>\n");
	if (blank)
		return rc;
	if (rc == CX_OK)
		rc = cx_buf_puts(b, "<thead><tr>");
	for (i = 0; i < ncols && rc == CX_OK; i++) {
		rc = cx_buf_puts(b, "<th>");
		if (rc == CX_OK)
			rc = cx_esc_html(b, cols[i]);
		if (rc == CX_OK)
			rc = cx_buf_puts(b, "</th>");
	}
	if (rc == CX_OK)
		rc = cx_buf_puts(b, "</tr></thead>\n");
	return rc;
}

static int h_row(struct cx_buf *b, const char *const *cells, size_t ncells)
{
	size_t i;
	int rc = cx_buf_puts(b, "<tr>");

	for (i = 0; i < ncells && rc == CX_OK; i++) {
		rc = cx_buf_puts(b, "<td>");
		if (rc == CX_OK)
			rc = cx_esc_html(b, cells[i]);
		if (rc == CX_OK)
			rc = cx_buf_puts(b, "</td>");
	}
	if (rc == CX_OK)
		rc = cx_buf_puts(b, "</tr>\n");
	return rc;
}

static int h_table_end(struct cx_buf *b)
{
	return cx_buf_puts(b, "</table>\n");
}

static const struct render_ops html_ops = {
    .begin = h_begin,
    .end = h_end,
    .heading = h_heading,
    .para = h_para,
    .verdict = h_verdict,
    .table_begin = h_table_begin,
    .row = h_row,
    .table_end = h_table_end,
};

static int html_write(const struct cx_act *act, struct cx_buf *out)
{
	return render_act(act, &html_ops, out);
}

const struct cx_act_writer cx_writer_html = {
    .name = "html",
    .ext = "html",
    .write = html_write,
};
