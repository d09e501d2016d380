/*
 * certexam — what the two halves of the Annex 5/6 loader share
 * (scanner/case/annex_lists.c reads the table: records, header, rows,
 * merged cells; scanner/case/annex_check.c checks the rows read: item
 * numbers, addresses, hardware references, required cells).  Internal to
 * scanner/case/.
 */
#ifndef CX_ANNEX_INT_H
#define CX_ANNEX_INT_H

#include <stddef.h>

#include "certexam/csv.h"
#include "certexam/error.h"

#define INV_MAX_ITEM 1000000000L
#define ANNEX_NONE   ((size_t)-1) /* a column of the form not in the file */

enum col_kind {
	COL_TEXT,
	COL_ITEM,      /* the row's own item number */
	COL_ADDRESSES, /* network addresses (Annex 5 column 10) */
	COL_HWREF,     /* hardware item numbers (Annex 6 column 5) */
};

struct col {
	const char *name;   /* column name in diagnostics */
	const char *expect; /* what the column holds */
	int required;
	enum col_kind kind;
	size_t off;            /* offset of the char * in the row */
	const char *title;     /* the form's title of the column (English) */
	const char *title_id;  /* its message id (inv.annex.col.N.name) */
	const char *expect_id; /* the id of expect (inv.annex.expect.N.name) */
};

struct sheet {
	const char *annex; /* "Annex 5 (list of hardware)" */
	const struct col *cols;
	size_t ncols;
	size_t rowsz;
	size_t line_off;
	size_t bad_off;
	int no;               /* 5 or 6 */
	const char *annex_id; /* the message id of annex's words */
};

/* What a load works with; rows is an array of struct cx_hw_row or _sw_row. */
struct load {
	const struct sheet *sh;
	const char *path;
	struct cx_diags *diags;
	char *rows;
	size_t n_rows;
	size_t *n_fields; /* per row: fields in the CSV record */
	long *items;      /* per row: item number, 0 when not one */
	long *dup_of;     /* per row: line of the first use, or 0 */
	long *hw_items;   /* sorted hardware item numbers (software) */
	size_t n_hw_items;
	int wrong_form; /* the header does not have the Annex's columns */
	/* Columns mapped by title (annex_map.c): per column of the form, its
	 * column in the file (ANNEX_NONE when absent); NULL when the list is
	 * read by position. */
	size_t *phys;
	size_t width; /* the header's columns (mapped by title) */
	size_t
	    *beyond; /* per row: a column with text beyond the header, or 0 */
	unsigned char *untitled; /* per header column: no title, not mapped */
	size_t *untitled_at;     /* per row: such a column with text, or 0 */
};

/* The cell (char *) of column col of row row. */
char **annex_cell(const struct load *ld, size_t row, size_t col);
/* The line where row row starts. */
long annex_row_line(const struct load *ld, size_t row);
/* User text quoted in a message (at most 60 bytes, made visible).  Caller
 * frees; NULL without memory. */
char *annex_excerpt(const char *s, size_t n);
/* A diagnostic "'<value>'<tail>" for field of the row at line, with the
 * message id msg and the parameter {value}. */
int annex_diag_value(struct load *ld, long line, const char *field,
                     const char *value, size_t n, const char *tail,
                     const char *msg);
/* The last diagnostic's message id and parameters (cx_diag_set_msg);
 * rc is passed through when it is not 0. */
int annex_msg(struct load *ld, int rc, const char *msg,
              const char *const *args);
/* A whole number 1..INV_MAX_ITEM, digits only: 0 or CX_EINVAL. */
int annex_item_number(const char *s, long *out);
/* A separator of a list in a cell (space, tab, newline, ',' or ';'). */
int annex_is_list_sep(char c);
/* qsort/bsearch comparison of longs. */
int annex_cmp_long(const void *a, const void *b);

/* Columns up to the last one with text. */
size_t annex_used_fields(const struct cx_csv_record *r);
/* The column of sh (0-based) whose title cell is, or -1. */
int annex_match_title(const struct sheet *sh, const char *cell);
/*
 * Map the columns of ld's sheet onto the header rows hdr (n_hdr, the
 * header's first line is line) by their titles: sets ld->phys and
 * ld->width, with a remark on reordered, extra and missing columns (a
 * missing mandatory column sets ld->wrong_form); leaves ld->phys NULL
 * when too few titles are the form's.  0 or CX_ENOMEM.
 */
int annex_map_header(struct load *ld, const struct cx_csv_record *const *hdr,
                     size_t n_hdr, long line);

/* Item numbers: each row's parsed, and the rows that reuse one. */
int annex_number_items(struct load *ld);
/* Every cell of row row against its column: 0 or CX_ENOMEM. */
int annex_check_row(struct load *ld, size_t row);
/* The row's diagnostics from index n0 on get their column; an error
 * marks the row bad. */
void annex_mark_row(struct load *ld, size_t row, size_t n0);

#endif
