/*
 * certexam — command line: printing the --help texts.  The words come from
 * the message catalogs (cli.help.*) in the terminal's language; this file
 * only lays them out: paragraphs wrapped at 79 columns, option rows with
 * their descriptions aligned at column 20, whatever the language (widths
 * counted in UTF-8 code points, the catalogs' own line feeds kept).
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

#define HELP_WIDTH 79
#define HELP_COL   20

/* Code points in n bytes of UTF-8 (Kazakh, Russian: one column each). */
static size_t cols(const char *s, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			c++;
	return c;
}

static void pad(FILE *f, size_t n)
{
	while (n-- > 0)
		fputc(' ', f);
}

/*
 * One line of text (no line feed), printed from column col; when a word
 * would pass the width, the line breaks and goes on at column indent.  A
 * line that fits is printed exactly as written (its inner spaces kept).
 */
static void wrap_line(FILE *f, const char *s, size_t n, size_t col,
                      size_t indent)
{
	size_t i = 0, sp, w;

	if (col + cols(s, n) <= HELP_WIDTH) {
		fwrite(s, 1, n, f);
		fputc('\n', f);
		return;
	}
	while (i < n) {
		for (sp = i; sp < n && s[sp] == ' '; sp++)
			;
		for (w = sp; w < n && s[w] != ' '; w++)
			;
		if (w == sp)
			break;
		if (col > indent &&
		    col + cols(s + i, sp - i) + cols(s + sp, w - sp) >
		        HELP_WIDTH) {
			fputc('\n', f);
			pad(f, indent);
			col = indent;
		} else {
			fwrite(s + i, 1, sp - i, f);
			col += cols(s + i, sp - i);
		}
		fwrite(s + sp, 1, w - sp, f);
		col += cols(s + sp, w - sp);
		i = w;
	}
	fputc('\n', f);
}

/* Every line of text: the first from column col, the others (and their
 * continuations) from indent plus their own leading spaces. */
static void wrap_text(FILE *f, const char *text, size_t col, size_t indent)
{
	const char *line = text, *nl;
	size_t lead, n;

	for (;;) {
		nl = strchr(line, '\n');
		n = nl ? (size_t)(nl - line) : strlen(line);

		for (lead = 0; lead < n && line[lead] == ' '; lead++)
			;
		if (line != text)
			pad(f, indent);
		wrap_line(f, line, n, line == text ? col : indent,
		          indent + lead);
		if (nl == NULL)
			break;
		line = nl + 1;
	}
}

void cli_help(FILE *f, const struct cli_help *h, size_t n)
{
	size_t i, w;

	for (i = 0; i < n; i++) {
		const char *text = cli_text(h[i].id, NULL);

		if (h[i].opt == NULL) {
			wrap_text(f, text, 0, 0);
			continue;
		}
		w = 2 + strlen(h[i].opt);
		fprintf(f, "  %s", h[i].opt);
		/* a long option: its description on the next line */
		if (w + 1 > HELP_COL) {
			fputc('\n', f);
			w = 0;
		}
		pad(f, HELP_COL - w);
		wrap_text(f, text, HELP_COL, HELP_COL);
	}
}
