/*
 * certexam — the applicant's lists of hardware (Annex 5, hardware.csv)
 * and software (Annex 6, software.csv), as spreadsheet programs export
 * the official forms.
 *
 * A file is read whole (at most 256 MiB), parsed with cx_csv_parse()
 * (UTF-8 or Windows-1251, ';' or ',') and mapped column by column by
 * the titles of the header (scanner/case/annex_map.c: columns in another
 * order, columns the form lacks ignored with a remark, a missing
 * mandatory column an error), or in the order of the Annex, with a
 * remark, when no header of the form is recognised.  Above the first
 * data row, titles (one cell of
 * text over merged cells), the header however many rows it takes
 * (recognised by the form's column titles in Kazakh, Russian or English,
 * scanner/case/annex_form.c) and the row that numbers the columns
 * ("1;2;3;...") are skipped; rows with nothing in them are skipped
 * everywhere.  In the table, a row without an item number and with
 * required cells empty continues the row above (merged cells); an empty
 * required cell the form merges down (type, purpose, developer, place of
 * installation) takes the value above, with a warning; text under the
 * table is a note.  Every cell is trimmed and stored (an empty cell as "",
 * never NULL).  Each problem is one diagnostic naming the file, the line
 * where the row starts and the column (number and name), and saying what
 * was expected; a row with an error is marked bad (not compared), and the
 * object keeps a copy of the list's diagnostics for the run and the act.
 *
 * The loaders return 0 when the file was read and parsed, even if rows
 * have problems (the caller counts them with cx_diag_errors()); they
 * return an error, with a diagnostic, the list marked CX_LIST_UNREADABLE
 * and the rows unchanged, when the file cannot be read or is not CSV.
 * A header with another number of columns than the Annex's also makes
 * the list unreadable: it is not compared on garbage.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "certexam/csv.h"
#include "certexam/error.h"
#include "certexam/escape.h"
#include "certexam/i18n.h"
#include "certexam/object.h"
#include "certexam/util.h"
#include "annex_int.h"
#include "inventory.h"

#define INV_MAX_FILE (256u * 1024u * 1024u)

int annex_is_list_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' ||
	       c == ';';
}

/* ---- the column tables ---- */

#define HW(f) offsetof(struct cx_hw_row, f)
#define SW(f) offsetof(struct cx_sw_row, f)

static const struct col hw_cols[] = {
    {"item", "the item number (1, 2, 3, ...)", 1, COL_ITEM, HW(item),
     "Item no.", "inv.annex.col.5.item", "inv.annex.expect.5.item"},
    {"model", "the manufacturer and model", 1, COL_TEXT, HW(model),
     "Manufacturer, model", "inv.annex.col.5.model",
     "inv.annex.expect.5.model"},
    {"serial", "the serial or inventory number", 1, COL_TEXT, HW(serial),
     "Serial/inventory number", "inv.annex.col.5.serial",
     "inv.annex.expect.5.serial"},
    {"certificate", "the information security certificate number", 0, COL_TEXT,
     HW(cert_no), "Information security certificate number (if any)",
     "inv.annex.col.5.certificate", "inv.annex.expect.5.certificate"},
    {"location", "the physical location", 0, COL_TEXT, HW(location),
     "Physical location", "inv.annex.col.5.location",
     "inv.annex.expect.5.location"},
    {"type", "the type according to the technical documentation", 1, COL_TEXT,
     HW(type), "Type (according to technical documentation)",
     "inv.annex.col.5.type", "inv.annex.expect.5.type"},
    {"purpose",
     "the main functional purpose according to the technical "
     "documentation",
     1, COL_TEXT, HW(purpose),
     "Main functional purpose (according to technical documentation)",
     "inv.annex.col.5.purpose", "inv.annex.expect.5.purpose"},
    {"protection", "the methods of information protection used", 0, COL_TEXT,
     HW(protection), "Utilized methods of information protection",
     "inv.annex.col.5.protection", "inv.annex.expect.5.protection"},
    {"software", "developer, name and version of the integrated software", 0,
     COL_TEXT, HW(software),
     "Developer, name, version (of integrated software)",
     "inv.annex.col.5.software", "inv.annex.expect.5.software"},
    {"addresses", "the network (IP) addresses", 0, COL_ADDRESSES, HW(addresses),
     "IP addresses", "inv.annex.col.5.addresses",
     "inv.annex.expect.5.addresses"},
};

static const struct col sw_cols[] = {
    {"item", "the item number (1, 2, 3, ...)", 1, COL_ITEM, SW(item),
     "Item no.", "inv.annex.col.6.item", "inv.annex.expect.6.item"},
    {"developer", "the developer", 1, COL_TEXT, SW(developer), "Developer",
     "inv.annex.col.6.developer", "inv.annex.expect.6.developer"},
    {"name", "the name of the software", 1, COL_TEXT, SW(name), "Name",
     "inv.annex.col.6.name", "inv.annex.expect.6.name"},
    {"version", "the version", 1, COL_TEXT, SW(version), "Version",
     "inv.annex.col.6.version", "inv.annex.expect.6.version"},
    {"installed_on",
     "the place of installation: item numbers from the hardware list "
     "(e.g. 3 or 1, 2)",
     1, COL_HWREF, SW(installed_on),
     "Place of installation (from the list of hardware)",
     "inv.annex.col.6.installed_on", "inv.annex.expect.6.installed_on"},
    {"type", "the type according to the program documentation", 1, COL_TEXT,
     SW(type), "Type (according to program documentation)",
     "inv.annex.col.6.type", "inv.annex.expect.6.type"},
    {"purpose",
     "the main functional purpose according to the program "
     "documentation",
     1, COL_TEXT, SW(purpose),
     "Main functional purpose (according to program documentation)",
     "inv.annex.col.6.purpose", "inv.annex.expect.6.purpose"},
    {"protection", "the methods of information protection used", 0, COL_TEXT,
     SW(protection), "Utilized methods of information protection",
     "inv.annex.col.6.protection", "inv.annex.expect.6.protection"},
};

static const struct sheet hw_sheet = {
    "Annex 5 (list of hardware)",
    hw_cols,
    CX_ARRAY_LEN(hw_cols),
    sizeof(struct cx_hw_row),
    offsetof(struct cx_hw_row, line),
    offsetof(struct cx_hw_row, bad),
    5,
    "inv.annex.name.5",
};

static const struct sheet sw_sheet = {
    "Annex 6 (list of software)",
    sw_cols,
    CX_ARRAY_LEN(sw_cols),
    sizeof(struct cx_sw_row),
    offsetof(struct cx_sw_row, line),
    offsetof(struct cx_sw_row, bad),
    6,
    "inv.annex.name.6",
};

char **annex_cell(const struct load *ld, size_t row, size_t col)
{
	char *r = ld->rows + row * ld->sh->rowsz;

	return (char **)(void *)(r + ld->sh->cols[col].off);
}

long annex_row_line(const struct load *ld, size_t row)
{
	long l;

	memcpy(&l, ld->rows + row * ld->sh->rowsz + ld->sh->line_off,
	       sizeof(l));
	return l;
}

/*
 * User text quoted in a message: at most 60 bytes, cut on a character
 * boundary, control and invalid bytes made visible.  Caller frees.
 */
char *annex_excerpt(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t cut = 0, k;
	char *t, *out;

	while (cut < n && cut < 60) {
		k = cx_utf8_seq(u + cut, n - cut);
		if (k == 0)
			k = 1;
		if (cut + k > 60)
			break;
		cut += k;
	}
	t = cx_text_from_bytes(s, cut);
	if (t == NULL || cut == n)
		return t;
	out = cx_asprintf("%s...", t);
	free(t);
	return out;
}

int annex_msg(struct load *ld, int rc, const char *msg, const char *const *args)
{
	if (rc != CX_OK)
		return rc;
	return cx_diag_set_msg(ld->diags, msg, args);
}

/* "'<value>' <tail>" for the column field of the row at line. */
int annex_diag_value(struct load *ld, long line, const char *field,
                     const char *value, size_t n, const char *tail,
                     const char *msg)
{
	char *ex = annex_excerpt(value, n);
	int rc;

	if (ex == NULL)
		return CX_ENOMEM;
	rc = cx_diag_add(ld->diags, ld->path, line, field, "'%s'%s", ex, tail);
	rc = annex_msg(ld, rc, msg, CX_ARGS("value", ex));
	free(ex);
	return rc;
}

int annex_item_number(const char *s, long *out)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9')
			return CX_EINVAL;
	return cx_parse_long(s, 1, INV_MAX_ITEM, out);
}

/* Trim every field of r; 1 if nothing is left in any. */
static int trim_record(const struct cx_csv_record *r)
{
	size_t i;
	int blank = 1;

	for (i = 0; i < r->n_fields; i++)
		if (cx_trim(r->fields[i])[0] != '\0')
			blank = 0;
	return blank;
}

/* A row that only numbers the columns: "1;2;3;...", or the numbers of
 * the form's columns in another order when the columns were moved
 * ("1;3;2;..."): each a different number no greater than the columns. */
static int record_numbers_columns(const struct cx_csv_record *r)
{
	unsigned char seen[65] = {0};
	size_t i, numbered = 0;
	long v;

	for (i = 0; i < r->n_fields; i++) {
		if (r->fields[i][0] == '\0')
			continue;
		if (annex_item_number(r->fields[i], &v) || v > 64 ||
		    (size_t)v > r->n_fields || seen[v])
			return 0;
		seen[v] = 1;
		numbered++;
	}
	return numbered >= 3 && r->fields[0][0] != '\0';
}

/* The cell of the form's column j in record r ("" when the file does not
 * have it): by title when the header was mapped, else by position. */
static const char *field_of(const struct load *ld,
                            const struct cx_csv_record *r, size_t j)
{
	size_t p = ld->phys != NULL ? ld->phys[j] : j;

	return p < r->n_fields ? r->fields[p] : "";
}

size_t annex_used_fields(const struct cx_csv_record *r)
{
	size_t n = r->n_fields;

	while (n > 0 && r->fields[n - 1][0] == '\0')
		n--;
	return n;
}

/* Cells with text and cells that read like the form's column titles. */
static void count_cells(const struct cx_csv_record *r, size_t *filled,
                        size_t *titles)
{
	size_t i;

	*filled = *titles = 0;
	for (i = 0; i < r->n_fields; i++) {
		if (r->fields[i][0] == '\0')
			continue;
		(*filled)++;
		if (cx_annex_is_title(r->fields[i]))
			(*titles)++;
	}
}

/* A header row: two cells or more that read like column titles, and no
 * item number in the first cell. */
static int record_is_header(const struct load *ld,
                            const struct cx_csv_record *r)
{
	size_t filled, titles;
	long v;

	if (annex_item_number(r->fields[0], &v) == CX_OK ||
	    annex_item_number(field_of(ld, r, 0), &v) == CX_OK)
		return 0;
	count_cells(r, &filled, &titles);
	return titles >= 2;
}

/*
 * Rows above the first data row: titles (one cell of text over merged
 * cells: "List of hardware", "Перечень технических средств"), the header
 * however many rows it takes (recognised by the form's column titles in
 * Kazakh, Russian or English) and the row that numbers the columns.
 * Returns 1 to skip r, 0 when r is data.  *width is the widest header.
 */
#define LEAD_MAX_ROWS 8

struct lead {
	size_t width; /* the widest header row */
	long line;    /* where the header starts */
	int numbered; /* columns of the row that numbers them */
	/* the header's rows (the first LEAD_MAX_ROWS), for the titles */
	const struct cx_csv_record *rows[LEAD_MAX_ROWS];
	size_t n_rows;
};

static int skip_lead(const struct cx_csv_record *r, struct lead *h)
{
	size_t filled, titles, used = annex_used_fields(r);
	long v;

	if (record_numbers_columns(r)) {
		h->numbered = (int)used;
		return 1;
	}
	if (annex_item_number(r->fields[0], &v) == CX_OK)
		return 0;
	count_cells(r, &filled, &titles);
	/* A header in other words than the form's is still the first row
	 * of several cells above the data. */
	if (titles >= 2 || (h->width == 0 && filled > 1) ||
	    (h->line != 0 && titles == 1 && h->numbered == 0)) {
		if (h->line == 0)
			h->line = r->line;
		if (used > h->width)
			h->width = used;
		if (h->n_rows < LEAD_MAX_ROWS)
			h->rows[h->n_rows++] = r;
		return 1;
	}
	return filled == 1;
}

/* Required columns whose cells a form merges down over several items. */
static int col_fills(const struct col *c)
{
	static const char *const fills[] = {"type", "purpose", "developer",
	                                    "installed_on"};
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(fills); i++)
		if (strcmp(c->name, fills[i]) == 0)
			return 1;
	return 0;
}

/*
 * A row that continues the one above over merged cells: no item number
 * and no text in some required column ("" "" ... "10.0.0.2").  Its cells
 * are appended to the row above, one per line.
 */
static int continues_row(const struct load *ld, const struct cx_csv_record *r)
{
	size_t j;

	if (ld->n_rows == 0 || field_of(ld, r, 0)[0] != '\0')
		return 0;
	for (j = 1; j < ld->sh->ncols; j++)
		if (ld->sh->cols[j].required && field_of(ld, r, j)[0] == '\0')
			return 1;
	return 0;
}

static int append_row(struct load *ld, const struct cx_csv_record *r)
{
	size_t j;
	char **c, *t, up[24];

	for (j = 1; j < ld->sh->ncols; j++) {
		const char *f = field_of(ld, r, j);

		if (f[0] == '\0')
			continue;
		c = annex_cell(ld, ld->n_rows - 1, j);
		t = (*c)[0] ? cx_asprintf("%s\n%s", *c, f) : cx_strdup(f);
		if (t == NULL)
			return CX_ENOMEM;
		free(*c);
		*c = t;
	}
	snprintf(up, sizeof(up), "%ld", annex_row_line(ld, ld->n_rows - 1));
	return annex_msg(ld,
	                 cx_diag_warn(ld->diags, ld->path, r->line, NULL,
	                              "the row has no item number; read as "
	                              "the continuation of the row on line "
	                              "%s (merged cells)",
	                              up),
	                 "inv.annex.row.continued", CX_ARGS("line", up));
}

/* Under the table: "Примечание: ...", a signature line. */
static int is_note(const struct load *ld, const struct cx_csv_record *r)
{
	size_t filled, titles;
	long v;

	if (r->fields[0][0] == '\0' ||
	    annex_item_number(r->fields[0], &v) == CX_OK ||
	    annex_item_number(field_of(ld, r, 0), &v) == CX_OK)
		return 0;
	count_cells(r, &filled, &titles);
	return cx_annex_is_note(r->fields[0]) || filled <= 2;
}

static int add_row(struct load *ld, const struct cx_csv_record *r)
{
	const struct sheet *sh = ld->sh;
	size_t j, nf;
	char **c;

	memcpy(ld->rows + ld->n_rows * sh->rowsz + sh->line_off, &r->line,
	       sizeof(r->line));
	for (j = 0; j < sh->ncols; j++) {
		c = annex_cell(ld, ld->n_rows, j);
		*c = cx_strdup(field_of(ld, r, j));
		if (*c == NULL) {
			ld->n_rows++;
			return CX_ENOMEM;
		}
	}
	if (ld->phys != NULL) {
		/* By title: the row is short if it ends before a column the
		 * header has; text right of the header is reported. */
		nf = sh->ncols;
		for (j = 0; j < sh->ncols; j++)
			if (ld->phys[j] != ANNEX_NONE &&
			    ld->phys[j] >= r->n_fields) {
				nf = j;
				break;
			}
		if (annex_used_fields(r) > ld->width && ld->width == sh->ncols)
			nf = annex_used_fields(r); /* as by position */
		else if (annex_used_fields(r) > ld->width)
			ld->beyond[ld->n_rows] = annex_used_fields(r);
		for (j = 0; j < ld->width && j < r->n_fields; j++)
			if (ld->untitled[j] && r->fields[j][0] != '\0') {
				ld->untitled_at[ld->n_rows] = j + 1;
				break;
			}
		ld->n_fields[ld->n_rows] = nf;
		ld->n_rows++;
		return CX_OK;
	}
	/* Empty cells beyond the form (a stray formatted cell in the sheet)
	 * do not count; text there does. */
	nf = r->n_fields;
	if (nf > sh->ncols) {
		nf = annex_used_fields(r);
		if (nf < sh->ncols)
			nf = sh->ncols;
	}
	ld->n_fields[ld->n_rows] = nf;
	ld->n_rows++;
	return CX_OK;
}

/*
 * At the first data row r: map the columns by the header's titles, or
 * say that the list is read by position (no header, or not the form's
 * titles).
 */
static int start_table(struct load *ld, const struct lead *h,
                       const struct cx_csv_record *r)
{
	int rc;

	if (h->n_rows > 0) {
		rc = annex_map_header(ld, h->rows, h->n_rows, h->line);
		if (rc || ld->phys != NULL)
			return rc;
	}
	if (cx_diag_warn(ld->diags, ld->path, h->line ? h->line : r->line, NULL,
	                 "no header row with the column titles of %s was "
	                 "recognised; the columns are read in the order of "
	                 "the form",
	                 ld->sh->annex) ||
	    cx_diag_set_msg(ld->diags, "inv.annex.header.positional",
	                    CX_ARGS("annex", ld->sh->annex_id)))
		return CX_ENOMEM;
	return CX_OK;
}

/* Map the records onto rows (no diagnostics but the form's). */
static int map_rows(struct load *ld, struct cx_csv *csv)
{
	const struct sheet *sh = ld->sh;
	const struct cx_csv_record *r;
	struct lead h;
	size_t i;
	int rc, data_seen = 0, notes = 0;

	memset(&h, 0, sizeof(h));
	if (csv->n_records == 0)
		return CX_OK;
	ld->rows = calloc(csv->n_records, sh->rowsz);
	ld->n_fields = calloc(csv->n_records, sizeof(*ld->n_fields));
	ld->beyond = calloc(csv->n_records, sizeof(*ld->beyond));
	ld->untitled_at = calloc(csv->n_records, sizeof(*ld->untitled_at));
	if (ld->rows == NULL || ld->n_fields == NULL || ld->beyond == NULL ||
	    ld->untitled_at == NULL)
		return CX_ENOMEM;
	for (i = 0; i < csv->n_records; i++) {
		r = &csv->records[i];
		if (trim_record(r))
			continue;
		if (!data_seen) {
			if (skip_lead(r, &h) == 1)
				continue;
			data_seen = 1;
			rc = start_table(ld, &h, r);
			if (rc)
				return rc;
			if (ld->wrong_form && ld->phys != NULL)
				return CX_OK; /* a mandatory column missing */
			if (ld->phys == NULL && h.numbered > 0)
				h.width = (size_t)h.numbered;
			if (ld->phys == NULL && h.width != 0 &&
			    h.width != sh->ncols) {
				ld->wrong_form = 1;
				char w[24], t[24];

				snprintf(w, sizeof(w), "%zu", h.width);
				snprintf(t, sizeof(t), "%zu", sh->ncols);
				if (annex_msg(
				        ld,
				        cx_diag_warn(ld->diags, ld->path,
				                     h.line ? h.line : r->line,
				                     NULL,
				                     "the header row has %s "
				                     "columns; %s has %s (is "
				                     "this the right file?)",
				                     w, sh->annex, t),
				        "inv.annex.header.width",
				        CX_ARGS("width", w, "annex",
				                sh->annex_id, "total", t)))
					return CX_ENOMEM;
			}
		} else if (record_numbers_columns(r) ||
		           record_is_header(ld, r)) {
			continue; /* repeated on a new page */
		} else if (notes || is_note(ld, r)) {
			long v;

			if (annex_item_number(r->fields[0], &v) != CX_OK) {
				notes = 1;
				if (annex_msg(ld,
				              cx_diag_warn(
				                  ld->diags, ld->path, r->line,
				                  NULL,
				                  "text under the table read "
				                  "as a note, not as a row"),
				              "inv.annex.note", NULL))
					return CX_ENOMEM;
				continue;
			}
		} else if (continues_row(ld, r)) {
			rc = append_row(ld, r);
			if (rc)
				return rc;
			continue;
		}
		rc = add_row(ld, r);
		if (rc)
			return rc;
	}
	return CX_OK;
}

/*
 * Cells the form merges down (location, type, purpose...) come out of a
 * spreadsheet empty under their first row: take the value from the row
 * above and say so.
 */
static int fill_merged(struct load *ld)
{
	const struct sheet *sh = ld->sh;
	size_t i, j;
	char **c, **above, *t, up[24];

	for (i = 1; i < ld->n_rows; i++) {
		for (j = 1; j < sh->ncols; j++) {
			if (!col_fills(&sh->cols[j]) || j >= ld->n_fields[i] ||
			    j >= ld->n_fields[i - 1])
				continue;
			c = annex_cell(ld, i, j);
			above = annex_cell(ld, i - 1, j);
			if ((*c)[0] != '\0' || (*above)[0] == '\0')
				continue;
			t = cx_strdup(*above);
			if (t == NULL)
				return CX_ENOMEM;
			free(*c);
			*c = t;
			snprintf(up, sizeof(up), "%ld",
			         annex_row_line(ld, i - 1));
			if (annex_msg(
			        ld,
			        cx_diag_warn(ld->diags, ld->path,
			                     annex_row_line(ld, i),
			                     sh->cols[j].name,
			                     "empty; taken from the row on "
			                     "line %s above (a merged cell)",
			                     up),
			        "inv.annex.cell.merged", CX_ARGS("line", up)))
				return CX_ENOMEM;
			ld->diags->items[ld->diags->n - 1].column =
			    ld->phys == NULL ? (long)j + 1
			                     : (long)ld->phys[j] + 1;
		}
	}
	return CX_OK;
}

/* Every cell of n rows of the sheet, then the array (NULL is accepted). */
static void free_rows(const struct sheet *sh, char *rows, size_t n)
{
	size_t i, j;
	char *cellp;

	if (rows == NULL)
		return;
	for (i = 0; i < n; i++)
		for (j = 0; j < sh->ncols; j++) {
			memcpy(&cellp, rows + i * sh->rowsz + sh->cols[j].off,
			       sizeof(cellp));
			free(cellp);
		}
	free(rows);
}

/* ---- rows ---- */

void cx_hw_rows_free(struct cx_hw_row *rows, size_t n)
{
	free_rows(&hw_sheet, (char *)(void *)rows, n);
}

void cx_sw_rows_free(struct cx_sw_row *rows, size_t n)
{
	free_rows(&sw_sheet, (char *)(void *)rows, n);
}

static int load_sheet(const struct sheet *sh, const struct cx_object *obj,
                      const char *path, struct cx_diags *diags, char **rows_out,
                      size_t *n_out, int *wrong_form)
{
	struct load ld;
	struct cx_csv *csv = NULL;
	char *data = NULL;
	size_t len = 0, i;
	const char *msg = NULL;
	long line = 0, v;
	int rc;

	memset(&ld, 0, sizeof(ld));
	ld.sh = sh;
	ld.path = path;
	ld.diags = diags;
	rc = cx_read_file(path, INV_MAX_FILE, &data, &len);
	if (rc) {
		if (rc == CX_ELIMIT)
			annex_msg(
			    &ld,
			    cx_diag_add(diags, path, 0, NULL,
			                "the file is larger than 256 MiB"),
			    "inv.annex.file.too-large", NULL);
		else if (rc != CX_ENOMEM)
			annex_msg(&ld,
			          cx_diag_add(diags, path, 0, NULL,
			                      "cannot read the file: %s",
			                      cx_strerror(rc)),
			          "inv.annex.file.unreadable",
			          CX_ARGS("reason", cx_strerror(rc)));
		goto out;
	}
	rc = cx_csv_parse(data, len, &csv, &line, &msg);
	if (rc) {
		if (rc != CX_ENOMEM)
			annex_msg(&ld,
			          cx_diag_add(diags, path, line, NULL,
			                      "not a readable CSV table: %s",
			                      msg ? msg : cx_strerror(rc)),
			          cx_csv_error_id(msg)
			              ? cx_csv_error_id(msg)
			              : "inv.annex.file.not-csv",
			          cx_csv_error_id(msg)
			              ? NULL
			              : CX_ARGS("reason", cx_strerror(rc)));
		goto out;
	}
	free(data);
	data = NULL;
	rc = map_rows(&ld, csv);
	if (rc)
		goto out;
	rc = annex_number_items(&ld);
	if (rc)
		goto out;
	if (sh == &sw_sheet && obj->n_hardware > 0) {
		ld.hw_items = calloc(obj->n_hardware, sizeof(long));
		if (ld.hw_items == NULL) {
			rc = CX_ENOMEM;
			goto out;
		}
		for (i = 0; i < obj->n_hardware; i++)
			if (obj->hardware[i].item != NULL &&
			    annex_item_number(obj->hardware[i].item, &v) ==
			        CX_OK)
				ld.hw_items[ld.n_hw_items++] = v;
		qsort(ld.hw_items, ld.n_hw_items, sizeof(long), annex_cmp_long);
	}
	rc = fill_merged(&ld);
	if (rc)
		goto out;
	for (i = 0; i < ld.n_rows; i++) {
		size_t n0 = diags->n;

		rc = annex_check_row(&ld, i);
		if (rc)
			goto out;
		annex_mark_row(&ld, i, n0);
	}
	*wrong_form = ld.wrong_form;
	*rows_out = ld.rows;
	*n_out = ld.n_rows;
	ld.rows = NULL;
	ld.n_rows = 0;
out:
	free_rows(sh, ld.rows, ld.n_rows);
	free(ld.n_fields);
	free(ld.beyond);
	free(ld.untitled);
	free(ld.untitled_at);
	free(ld.phys);
	free(ld.items);
	free(ld.dup_of);
	free(ld.hw_items);
	cx_csv_free(csv);
	free(data);
	return rc;
}

/* Keep the list's problems in obj (from diags index n0 on) for the run
 * and the act. */
static int keep_diags(struct cx_object *obj, const struct cx_diags *diags,
                      size_t n0)
{
	const struct cx_diag *g;
	size_t i;
	int rc;

	for (i = n0; i < diags->n; i++) {
		g = &diags->items[i];
		rc = (g->is_warning ? cx_diag_warn : cx_diag_add)(
		    &obj->list_diags, g->file, g->line, g->field, "%s",
		    g->message);
		if (rc == CX_OK && g->msg != NULL)
			rc = cx_diag_set_msg(&obj->list_diags, g->msg,
			                     (const char *const *)g->args);
		if (rc)
			return rc;
		obj->list_diags.items[obj->list_diags.n - 1].column = g->column;
	}
	return CX_OK;
}

static int load_list(const struct sheet *sh, struct cx_object *obj,
                     const char *path, struct cx_diags *diags)
{
	char *rows = NULL;
	size_t n = 0, n0;
	int rc, wrong = 0;
	enum cx_list_state st;

	if (obj == NULL || path == NULL || diags == NULL)
		return CX_EINVAL;
	n0 = diags->n;
	rc = load_sheet(sh, obj, path, diags, &rows, &n, &wrong);
	if (rc == CX_ENOMEM)
		return rc;
	st = rc != CX_OK || wrong ? CX_LIST_UNREADABLE : CX_LIST_READ;
	if (sh == &hw_sheet)
		obj->hw_list = st;
	else
		obj->sw_list = st;
	if (keep_diags(obj, diags, n0) != CX_OK) {
		free_rows(sh, rows, n);
		return CX_ENOMEM;
	}
	if (rc)
		return rc;
	if (sh == &hw_sheet) {
		cx_hw_rows_free(obj->hardware, obj->n_hardware);
		obj->hardware = (struct cx_hw_row *)(void *)rows;
		obj->n_hardware = n;
	} else {
		cx_sw_rows_free(obj->software, obj->n_software);
		obj->software = (struct cx_sw_row *)(void *)rows;
		obj->n_software = n;
	}
	return CX_OK;
}

int cx_object_load_hardware(struct cx_object *obj, const char *path,
                            struct cx_diags *diags)
{
	return load_list(&hw_sheet, obj, path, diags);
}

int cx_object_load_software(struct cx_object *obj, const char *path,
                            struct cx_diags *diags)
{
	return load_list(&sw_sheet, obj, path, diags);
}
