/*
 * certexam — the rows of the applicant's Annex 5/6 lists checked once
 * they are read (scanner/case/annex_lists.c reads the table): each row's
 * item number, unique in its list; the network addresses of Annex 5
 * (scanner/case/annex_addr.c); the hardware items Annex 6 installs on;
 * every required cell; and the columns of the row's diagnostics.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/object.h"
#include "certexam/util.h"
#include "annex_int.h"
#include "inventory.h"

struct item_ref {
	long item;
	long line;
	size_t row;
};

static int cmp_item_ref(const void *a, const void *b)
{
	const struct item_ref *x = a, *y = b;

	if (x->item != y->item)
		return x->item < y->item ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return 0;
}

/* Parse every row's item number and find the ones used twice. */
int annex_number_items(struct load *ld)
{
	struct item_ref *refs;
	size_t i, n = 0, first = 0;
	long v;

	if (ld->n_rows == 0)
		return CX_OK;
	ld->items = calloc(ld->n_rows, sizeof(*ld->items));
	ld->dup_of = calloc(ld->n_rows, sizeof(*ld->dup_of));
	refs = calloc(ld->n_rows, sizeof(*refs));
	if (ld->items == NULL || ld->dup_of == NULL || refs == NULL) {
		free(refs);
		return CX_ENOMEM;
	}
	for (i = 0; i < ld->n_rows; i++) {
		if (annex_item_number(*annex_cell(ld, i, 0), &v) != CX_OK)
			continue;
		ld->items[i] = v;
		refs[n].item = v;
		refs[n].line = annex_row_line(ld, i);
		refs[n].row = i;
		n++;
	}
	qsort(refs, n, sizeof(*refs), cmp_item_ref);
	for (i = 1; i < n; i++) {
		if (refs[i].item != refs[first].item) {
			first = i;
			continue;
		}
		ld->dup_of[refs[i].row] = refs[first].line;
	}
	free(refs);
	return CX_OK;
}

int annex_cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

static int check_addresses(struct load *ld, long line, const char *name,
                           const char *list)
{
	const char *cur = NULL;
	struct cx_inv_tok t;
	int rc = CX_OK;

	while (rc == CX_OK && cx_inv_addr_scan(list, &cur, &t)) {
		if (t.kind == CX_INV_BAD)
			rc = annex_diag_value(
			    ld, line, name, t.text, t.len,
			    " is not an IPv4 or IPv6 address or CIDR "
			    "block; expected e.g. 192.0.2.10, "
			    "2001:db8::10 or 192.0.2.0/24, separated "
			    "by spaces or commas",
			    "inv.annex.addr.bad");
		else if (t.kind == CX_INV_WORD) {
			char *ex = annex_excerpt(t.text, t.len);

			if (ex == NULL)
				return CX_ENOMEM;
			rc = annex_msg(
			    ld,
			    cx_diag_warn(ld->diags, ld->path, line, name,
			                 "'%s' is not an address or a host "
			                 "name; read as a comment",
			                 ex),
			    "inv.annex.addr.word", CX_ARGS("value", ex));
			free(ex);
		}
	}
	return rc;
}

static int check_hwref(struct load *ld, long line, const char *name,
                       const char *list)
{
	const char *p = list, *start;
	size_t n;
	long v;
	char buf[24], num[24];
	int rc;

	for (;;) {
		while (*p != '\0' && annex_is_list_sep(*p))
			p++;
		if (*p == '\0')
			return CX_OK;
		start = p;
		while (*p != '\0' && !annex_is_list_sep(*p))
			p++;
		n = (size_t)(p - start);
		v = 0;
		if (n < sizeof(buf)) {
			memcpy(buf, start, n);
			buf[n] = '\0';
			if (annex_item_number(buf, &v) != CX_OK)
				v = 0;
		}
		if (v == 0) {
			rc = annex_diag_value(ld, line, name, start, n,
			                      " is not a hardware item number; "
			                      "expected item numbers from the "
			                      "hardware list (e.g. 3 or 1, 2)",
			                      "inv.annex.hwref.bad");
			if (rc)
				return rc;
			continue;
		}
		if (ld->hw_items != NULL &&
		    bsearch(&v, ld->hw_items, ld->n_hw_items, sizeof(long),
		            annex_cmp_long) == NULL) {
			snprintf(num, sizeof(num), "%ld", v);
			rc = annex_msg(
			    ld,
			    cx_diag_add(ld->diags, ld->path, line, name,
			                "hardware item %s does not "
			                "exist; expected an item number "
			                "from the hardware list (Annex "
			                "5)",
			                num),
			    "inv.annex.hwref.unknown", CX_ARGS("item", num));
			if (rc)
				return rc;
		}
	}
}

/* "item number 3 is used again (first on line 5)". */
static int item_again(struct load *ld, size_t row, long line, const char *field)
{
	char item[24], first[24];

	snprintf(item, sizeof(item), "%ld", ld->items[row]);
	snprintf(first, sizeof(first), "%ld", ld->dup_of[row]);
	return annex_msg(ld,
	                 cx_diag_add(ld->diags, ld->path, line, field,
	                             "item number %s is used again (first "
	                             "on line %s); expected each row to "
	                             "have its own number",
	                             item, first),
	                 "inv.annex.item.again",
	                 CX_ARGS("item", item, "first", first));
}

/* Text in column col right of the header's width columns (sh: of the
 * Annex's, read by position; NULL: of the header, read by title). */
static int text_beyond(struct load *ld, long line, size_t col, size_t width,
                       const struct sheet *sh)
{
	char c[24], w[24];
	int rc;

	snprintf(c, sizeof(c), "%zu", col);
	snprintf(w, sizeof(w), "%zu", width);
	if (sh == NULL)
		rc =
		    cx_diag_add(ld->diags, ld->path, line, NULL,
		                "the row has text in column %s; the header has "
		                "%s columns (a separator inside a value must "
		                "be quoted)",
		                c, w);
	else
		rc = cx_diag_add(ld->diags, ld->path, line, NULL,
		                 "the row has text in column %s; %s has %s "
		                 "columns (a separator inside a value must be "
		                 "quoted)",
		                 c, sh->annex, w);
	return annex_msg(ld, rc,
	                 sh ? "inv.annex.row.too-long" : "inv.annex.row.beyond",
	                 CX_ARGS("column", c, "width", w, "annex",
	                         sh ? sh->annex_id : NULL));
}

/* Every diagnostic of one row, in column order. */
int annex_check_row(struct load *ld, size_t row)
{
	const struct sheet *sh = ld->sh;
	const struct col *c;
	long line = annex_row_line(ld, row);
	size_t nf = ld->n_fields[row], j;
	const char *v;
	char a[24], b[24];
	int rc = CX_OK;

	for (j = 0; j < sh->ncols && rc == CX_OK; j++) {
		c = &sh->cols[j];
		v = *annex_cell(ld, row, j);
		if (j == nf) {
			snprintf(a, sizeof(a), "%zu", nf);
			snprintf(b, sizeof(b), "%zu", sh->ncols);
			rc = annex_msg(
			    ld,
			    cx_diag_add(ld->diags, ld->path, line, c->name,
			                "missing: the row has %s of the "
			                "%s columns of %s",
			                a, b, sh->annex),
			    "inv.annex.row.short",
			    CX_ARGS("have", a, "total", b, "annex",
			            sh->annex_id));
			break;
		}
		if (v[0] == '\0') {
			if (c->required)
				rc = annex_msg(ld,
				               cx_diag_add(ld->diags, ld->path,
				                           line, c->name,
				                           "empty; expected %s",
				                           c->expect),
				               "inv.annex.cell.empty",
				               CX_ARGS("what", c->expect_id));
			continue;
		}
		switch (c->kind) {
		case COL_ITEM:
			if (ld->items[row] == 0)
				rc = annex_diag_value(ld, line, c->name, v,
				                      strlen(v),
				                      " is not an item number; "
				                      "expected a whole number "
				                      "(1, 2, 3, ...)",
				                      "inv.annex.item.bad");
			else if (ld->dup_of[row] != 0)
				rc = item_again(ld, row, line, c->name);
			break;
		case COL_ADDRESSES:
			rc = check_addresses(ld, line, c->name, v);
			break;
		case COL_HWREF:
			rc = check_hwref(ld, line, c->name, v);
			break;
		case COL_TEXT:
			break;
		}
	}
	if (rc == CX_OK && ld->phys != NULL && ld->untitled_at[row] != 0) {
		snprintf(a, sizeof(a), "%zu", ld->untitled_at[row]);
		rc = annex_msg(ld,
		               cx_diag_add(ld->diags, ld->path, line, NULL,
		                           "the row has text in column %s, "
		                           "which has no title in the header; "
		                           "it is not read",
		                           a),
		               "inv.annex.row.untitled", CX_ARGS("column", a));
		if (rc == CX_OK)
			ld->diags->items[ld->diags->n - 1].column =
			    (long)ld->untitled_at[row];
	}
	if (rc == CX_OK && ld->phys != NULL && ld->beyond[row] != 0)
		rc = text_beyond(ld, line, ld->beyond[row], ld->width, NULL);
	else if (rc == CX_OK && nf > sh->ncols)
		rc = text_beyond(ld, line, nf, sh->ncols, sh);
	return rc;
}

/*
 * The diagnostics from index n0 on are the row's: give each its column
 * number, and mark the row bad (not compared) if one is an error.
 */
void annex_mark_row(struct load *ld, size_t row, size_t n0)
{
	struct cx_diag *g;
	size_t i, j;
	int bad = 0;

	for (i = n0; i < ld->diags->n; i++) {
		g = &ld->diags->items[i];
		if (!g->is_warning)
			bad = 1;
		if (g->field == NULL || g->column != 0)
			continue;
		for (j = 0; j < ld->sh->ncols; j++)
			if (strcmp(ld->sh->cols[j].name, g->field) == 0)
				g->column = ld->phys == NULL ? (long)j + 1
				            : ld->phys[j] == ANNEX_NONE
				                ? 0
				                : (long)ld->phys[j] + 1;
	}
	if (bad)
		memcpy(ld->rows + row * ld->sh->rowsz + ld->sh->bad_off, &bad,
		       sizeof(bad));
}
