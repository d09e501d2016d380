/*
 * certexam — the act as one self-contained HTML page (no external
 * resources, a strict CSP), laid out for printing on A4: "page X of Y"
 * in the page margin (CSS paged media, worded from the catalog), the
 * annexes collapsed on screen and printed in full, evidence hashes whole
 * in monospace, wrapped.
 */
#include <string.h>

#include "certexam/act.h"
#include "certexam/escape.h"
#include "certexam/i18n.h"
#include "render.h"

static const char css[] =
    "@page{size:A4;margin:16mm 14mm 18mm 20mm}"
    "body{font-family:'DejaVu Serif','Times New Roman',serif;"
    "font-size:9.5pt;line-height:1.25;color:#000;max-width:180mm;"
    "margin:0 auto}"
    "h1{font-size:13.5pt;text-align:center;margin:4pt 0 4pt}"
    "h2{font-size:11.5pt;margin:10pt 0 3pt;border-bottom:1px solid #000;"
    "break-after:avoid}"
    "h3{font-size:10.5pt;margin:7pt 0 2pt;break-after:avoid}"
    "p{margin:3pt 0}"
    "table{border-collapse:collapse;width:100%;margin:3pt 0 5pt;"
    "font-size:8.5pt}"
    "th,td{border:1px solid #555;padding:1.5pt 3pt;vertical-align:top;"
    "text-align:left;overflow-wrap:anywhere}"
    "table.kv td:first-child{width:28%;font-weight:bold}"
    "table.concl td:last-child{width:24%}"
    "th{background:#eee}tr{break-inside:avoid}"
    "thead{display:table-header-group}"
    "table.ev td:last-child{font-family:'DejaVu Sans Mono',monospace;"
    "font-size:7.5pt;word-break:break-all;width:34%}"
    "table.sig td{height:22pt}table.sig td:nth-child(2){width:35%}"
    "table.recs td:first-child{width:4%}table.recs td:last-child{width:28%}"
    ".approve{float:right;width:70mm;text-align:left;margin:0 0 6pt 6pt}"
    ".approve p{margin:1pt 0}h1{clear:both}"
    ".signatures{break-inside:avoid}"
    ".defs h3{font-size:9.5pt;margin:5pt 0 1pt}.defs p{margin:0 0 1pt}"
    ".annexes{break-before:page}"
    "details>summary{font-weight:bold;cursor:pointer}"
    ".v{font-weight:bold;padding:3pt 6pt;border:1px solid #000}"
    ".v.pass,.v.issue{background:#e6f4e6}"
    ".v.fail,.v.refuse,.v.rectify{background:#fbe3e3}"
    ".v.incomplete,.v.not_performed,.v.none{background:#fff4d6}"
    "@media print{a{color:#000;text-decoration:none}"
    "details>summary{display:none}"
    "details::details-content{content-visibility:visible;display:block}}";

/*
 * A catalog text as the body of a CSS string: everything but letters,
 * digits and spaces as a hex escape, so nothing can end the string or
 * the style element.  {page} and {pages} become the page counters.
 */
static int css_string(struct cx_buf *b, const char *t)
{
	const unsigned char *s = (const unsigned char *)t;
	int rc = cx_buf_putc(b, '"');

	while (*s != '\0' && rc == CX_OK) {
		if (strncmp((const char *)s, "{page}", 6) == 0) {
			rc = cx_buf_puts(b, "\" counter(page) \"");
			s += 6;
		} else if (strncmp((const char *)s, "{pages}", 7) == 0) {
			rc = cx_buf_puts(b, "\" counter(pages) \"");
			s += 7;
		} else if ((*s >= 'a' && *s <= 'z') ||
		           (*s >= 'A' && *s <= 'Z') ||
		           (*s >= '0' && *s <= '9') || *s == ' ') {
			rc = cx_buf_putc(b, (char)*s++);
		} else {
			/* One UTF-8 sequence as its code point. */
			size_t n = cx_utf8_seq(s, strlen((const char *)s));
			unsigned long cp = *s;
			if (n == 0) {
				s++;
				continue;
			}
			if (n > 1) {
				cp = *s & (0x7f >> n);
				for (size_t k = 1; k < n; k++)
					cp = (cp << 6) | (s[k] & 0x3f);
			}
			/* The space ends the escape and is consumed. */
			rc = cx_buf_printf(b, "\\%06lx ", cp);
			s += n;
		}
	}
	if (rc == CX_OK)
		rc = cx_buf_putc(b, '"');
	return rc;
}

static int h_begin(struct cx_buf *b, const struct cx_act *act,
                   const char *title)
{
	int rc;

	rc = cx_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"");
	if (rc == CX_OK)
		rc = cx_esc_html(b, act->lang ? act->lang : "en");
	if (rc == CX_OK)
		rc = cx_buf_puts(b,
		                 "\">\n<head>\n"
		                 "<meta charset=\"utf-8\">\n"
		                 "<meta http-equiv=\"Content-Security-Policy\" "
		                 "content=\"default-src 'none'; style-src "
		                 "'unsafe-inline'\">\n<title>");
	if (rc == CX_OK)
		rc = cx_esc_html(b, title);
	if (rc == CX_OK)
		rc = cx_buf_printf(b, "</title>\n<style>%s", css);
	if (rc == CX_OK)
		rc =
		    cx_buf_puts(b, "@page{@bottom-center{font-size:8pt;"
		                   "font-family:'DejaVu Serif',serif;content:");
	if (rc == CX_OK)
		rc = css_string(b, cx_act_text(act, "act.page"));
	if (rc == CX_OK)
		rc = cx_buf_puts(b, "}}</style>\n</head>\n<body>\n");
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

static int h_table_begin(struct cx_buf *b, const char *cls,
                         const char *const *cols, size_t ncols)
{
	size_t i, blank = 1;
	int rc;

	for (i = 0; i < ncols; i++)
		if (cols[i][0] != '\0')
			blank = 0;
	rc = cx_buf_puts(b, "<table");
	if (rc == CX_OK && cls != NULL) {
		rc = cx_buf_puts(b, " class=\"");
		if (rc == CX_OK)
			rc = cx_esc_html(b, cls);
		if (rc == CX_OK)
			rc = cx_buf_putc(b, '"');
	}
	if (rc == CX_OK)
		rc = cx_buf_puts(b, ">\n");
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

static int h_div_begin(struct cx_buf *b, const char *cls)
{
	int rc = cx_buf_puts(b, "<div class=\"");

	if (rc == CX_OK)
		rc = cx_esc_html(b, cls);
	if (rc == CX_OK)
		rc = cx_buf_puts(b, "\">\n");
	return rc;
}

static int h_div_end(struct cx_buf *b)
{
	return cx_buf_puts(b, "</div>\n");
}

static int h_details_begin(struct cx_buf *b, const char *summary)
{
	int rc = cx_buf_puts(b, "<details><summary>");

	if (rc == CX_OK)
		rc = cx_esc_html(b, summary);
	if (rc == CX_OK)
		rc = cx_buf_puts(b, "</summary>\n");
	return rc;
}

static int h_details_end(struct cx_buf *b)
{
	return cx_buf_puts(b, "</details>\n");
}

const struct render_ops render_html_ops = {
    .begin = h_begin,
    .end = h_end,
    .heading = h_heading,
    .para = h_para,
    .verdict = h_verdict,
    .table_begin = h_table_begin,
    .row = h_row,
    .table_end = h_table_end,
    .div_begin = h_div_begin,
    .div_end = h_div_end,
    .details_begin = h_details_begin,
    .details_end = h_details_end,
};

static int html_write(const struct cx_act *act, struct cx_buf *out)
{
	return render_act(act, &render_html_ops, out);
}

const struct cx_act_writer cx_writer_html = {
    .name = "html",
    .ext = "html",
    .write = html_write,
};
