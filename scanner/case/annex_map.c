/*
 * certexam — columns of an Annex 5/6 list mapped by their titles: each
 * column of the header (however many rows it takes) is read from its
 * lowest cell up and matched with the word stems of one column of the
 * form in Kazakh, Russian or English, so that the columns of a list may
 * come in another order than the form's; a column the form does not have
 * is ignored with a remark naming it, and a mandatory column the header
 * lacks is an error naming the file, the line, the form's column number
 * and its title.  When too few titles are recognised the list is read
 * by position, with a remark saying so (scanner/case/annex_lists.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/csv.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/util.h"
#include "annex_int.h"
#include "inventory.h"

/* A cell that is the item column's title by itself. */
static const char *const item_exact[] = {
    /* №, n, no, no., nr, #, № п/п, № р/с, р/с № */
    "\xe2\x84\x96",
    "n",
    "no",
    "no.",
    "nr",
    "#",
    "\xe2\x84\x96 \xd0\xbf/\xd0\xbf",
    "\xe2\x84\x96 \xd1\x80/\xd1\x81",
    "\xd1\x80/\xd1\x81 \xe2\x84\x96",
};

/* Annex 5 item: item, п/п, р/с */
static const char *const s5_item[] = {
    "item",
    "\xd0\xbf/\xd0\xbf",
    "\xd1\x80/\xd1\x81",
    NULL,
};
/* Annex 5 model: manufactur, model, name, производ, модел, наименован, өндіруш,
 * атау */
static const char *const s5_model[] = {
    "manufactur",
    "model",
    "name",
    "\xd0\xbf\xd1\x80\xd0\xbe\xd0\xb8\xd0\xb7\xd0\xb2\xd0\xbe\xd0\xb4",
    "\xd0\xbc\xd0\xbe\xd0\xb4\xd0\xb5\xd0\xbb",
    "\xd0\xbd\xd0\xb0\xd0\xb8\xd0\xbc\xd0\xb5\xd0\xbd\xd0\xbe\xd0\xb2\xd0\xb0"
    "\xd0\xbd",
    "\xd3\xa9\xd0\xbd\xd0\xb4\xd1\x96\xd1\x80\xd1\x83\xd1\x88",
    "\xd0\xb0\xd1\x82\xd0\xb0\xd1\x83",
    NULL,
};
/* Annex 5 serial: serial, inventory, серийн, заводск, инвентар, сериял,
 * зауыттық, түгенд */
static const char *const s5_serial[] = {
    "serial",
    "inventory",
    "\xd1\x81\xd0\xb5\xd1\x80\xd0\xb8\xd0\xb9\xd0\xbd",
    "\xd0\xb7\xd0\xb0\xd0\xb2\xd0\xbe\xd0\xb4\xd1\x81\xd0\xba",
    "\xd0\xb8\xd0\xbd\xd0\xb2\xd0\xb5\xd0\xbd\xd1\x82\xd0\xb0\xd1\x80",
    "\xd1\x81\xd0\xb5\xd1\x80\xd0\xb8\xd1\x8f\xd0\xbb",
    "\xd0\xb7\xd0\xb0\xd1\x83\xd1\x8b\xd1\x82\xd1\x82\xd1\x8b\xd2\x9b",
    "\xd1\x82\xd2\xaf\xd0\xb3\xd0\xb5\xd0\xbd\xd0\xb4",
    NULL,
};
/* Annex 5 certificate: certific, сертифик */
static const char *const s5_certificate[] = {
    "certific",
    "\xd1\x81\xd0\xb5\xd1\x80\xd1\x82\xd0\xb8\xd1\x84\xd0\xb8\xd0\xba",
    NULL,
};
/* Annex 5 location: location, местополож, располож, местонахожд, орналас */
static const char *const s5_location[] = {
    "location",
    "\xd0\xbc\xd0\xb5\xd1\x81\xd1\x82\xd0\xbe\xd0\xbf\xd0\xbe\xd0\xbb\xd0\xbe"
    "\xd0\xb6",
    "\xd1\x80\xd0\xb0\xd1\x81\xd0\xbf\xd0\xbe\xd0\xbb\xd0\xbe\xd0\xb6",
    "\xd0\xbc\xd0\xb5\xd1\x81\xd1\x82\xd0\xbe\xd0\xbd\xd0\xb0\xd1\x85\xd0\xbe"
    "\xd0\xb6\xd0\xb4",
    "\xd0\xbe\xd1\x80\xd0\xbd\xd0\xb0\xd0\xbb\xd0\xb0\xd1\x81",
    NULL,
};
/* Annex 5 type: type, тип, түрі */
static const char *const s5_type[] = {
    "type",
    "\xd1\x82\xd0\xb8\xd0\xbf",
    "\xd1\x82\xd2\xaf\xd1\x80\xd1\x96",
    NULL,
};
/* Annex 5 purpose: purpose, function, назначен, функцион, мақсат */
static const char *const s5_purpose[] = {
    "purpose",
    "function",
    "\xd0\xbd\xd0\xb0\xd0\xb7\xd0\xbd\xd0\xb0\xd1\x87\xd0\xb5\xd0\xbd",
    "\xd1\x84\xd1\x83\xd0\xbd\xd0\xba\xd1\x86\xd0\xb8\xd0\xbe\xd0\xbd",
    "\xd0\xbc\xd0\xb0\xd2\x9b\xd1\x81\xd0\xb0\xd1\x82",
    NULL,
};
/* Annex 5 protection: protection, защит, қорға */
static const char *const s5_protection[] = {
    "protection",
    "\xd0\xb7\xd0\xb0\xd1\x89\xd0\xb8\xd1\x82",
    "\xd2\x9b\xd0\xbe\xd1\x80\xd2\x93\xd0\xb0",
    NULL,
};
/* Annex 5 software: software, integrated, developer, программ, интегрир,
 * разработ, бағдарлам, кіріктір, әзірлеуш */
static const char *const s5_software[] = {
    "software",
    "integrated",
    "developer",
    "\xd0\xbf\xd1\x80\xd0\xbe\xd0\xb3\xd1\x80\xd0\xb0\xd0\xbc\xd0\xbc",
    "\xd0\xb8\xd0\xbd\xd1\x82\xd0\xb5\xd0\xb3\xd1\x80\xd0\xb8\xd1\x80",
    "\xd1\x80\xd0\xb0\xd0\xb7\xd1\x80\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82",
    "\xd0\xb1\xd0\xb0\xd2\x93\xd0\xb4\xd0\xb0\xd1\x80\xd0\xbb\xd0\xb0\xd0\xbc",
    "\xd0\xba\xd1\x96\xd1\x80\xd1\x96\xd0\xba\xd1\x82\xd1\x96\xd1\x80",
    "\xd3\x99\xd0\xb7\xd1\x96\xd1\x80\xd0\xbb\xd0\xb5\xd1\x83\xd1\x88",
    NULL,
};
/* Annex 5 addresses: address, адрес, мекенжай, ip-, ip  */
static const char *const s5_addresses[] = {
    "address",
    "\xd0\xb0\xd0\xb4\xd1\x80\xd0\xb5\xd1\x81",
    "\xd0\xbc\xd0\xb5\xd0\xba\xd0\xb5\xd0\xbd\xd0\xb6\xd0\xb0\xd0\xb9",
    "ip-",
    "ip ",
    NULL,
};
/* Annex 6 item: item, п/п, р/с */
static const char *const s6_item[] = {
    "item",
    "\xd0\xbf/\xd0\xbf",
    "\xd1\x80/\xd1\x81",
    NULL,
};
/* Annex 6 developer: developer, manufactur, vendor, разработ, производит,
 * әзірлеуш, өндіруш */
static const char *const s6_developer[] = {
    "developer",
    "manufactur",
    "vendor",
    "\xd1\x80\xd0\xb0\xd0\xb7\xd1\x80\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82",
    "\xd0\xbf\xd1\x80\xd0\xbe\xd0\xb8\xd0\xb7\xd0\xb2\xd0\xbe\xd0\xb4\xd0\xb8"
    "\xd1\x82",
    "\xd3\x99\xd0\xb7\xd1\x96\xd1\x80\xd0\xbb\xd0\xb5\xd1\x83\xd1\x88",
    "\xd3\xa9\xd0\xbd\xd0\xb4\xd1\x96\xd1\x80\xd1\x83\xd1\x88",
    NULL,
};
/* Annex 6 name: name, title, наименован, назван, атау */
static const char *const s6_name[] = {
    "name",
    "title",
    "\xd0\xbd\xd0\xb0\xd0\xb8\xd0\xbc\xd0\xb5\xd0\xbd\xd0\xbe\xd0\xb2\xd0\xb0"
    "\xd0\xbd",
    "\xd0\xbd\xd0\xb0\xd0\xb7\xd0\xb2\xd0\xb0\xd0\xbd",
    "\xd0\xb0\xd1\x82\xd0\xb0\xd1\x83",
    NULL,
};
/* Annex 6 version: version, верс, нұсқ */
static const char *const s6_version[] = {
    "version",
    "\xd0\xb2\xd0\xb5\xd1\x80\xd1\x81",
    "\xd0\xbd\xd2\xb1\xd1\x81\xd2\x9b",
    NULL,
};
/* Annex 6 installed_on: install, place, установ, размещ, место, орнат, орны */
static const char *const s6_installed_on[] = {
    "install",
    "place",
    "\xd1\x83\xd1\x81\xd1\x82\xd0\xb0\xd0\xbd\xd0\xbe\xd0\xb2",
    "\xd1\x80\xd0\xb0\xd0\xb7\xd0\xbc\xd0\xb5\xd1\x89",
    "\xd0\xbc\xd0\xb5\xd1\x81\xd1\x82\xd0\xbe",
    "\xd0\xbe\xd1\x80\xd0\xbd\xd0\xb0\xd1\x82",
    "\xd0\xbe\xd1\x80\xd0\xbd\xd1\x8b",
    NULL,
};
/* Annex 6 type: type, тип, түрі */
static const char *const s6_type[] = {
    "type",
    "\xd1\x82\xd0\xb8\xd0\xbf",
    "\xd1\x82\xd2\xaf\xd1\x80\xd1\x96",
    NULL,
};
/* Annex 6 purpose: purpose, function, назначен, функцион, мақсат */
static const char *const s6_purpose[] = {
    "purpose",
    "function",
    "\xd0\xbd\xd0\xb0\xd0\xb7\xd0\xbd\xd0\xb0\xd1\x87\xd0\xb5\xd0\xbd",
    "\xd1\x84\xd1\x83\xd0\xbd\xd0\xba\xd1\x86\xd0\xb8\xd0\xbe\xd0\xbd",
    "\xd0\xbc\xd0\xb0\xd2\x9b\xd1\x81\xd0\xb0\xd1\x82",
    NULL,
};
/* Annex 6 protection: protection, защит, қорға */
static const char *const s6_protection[] = {
    "protection",
    "\xd0\xb7\xd0\xb0\xd1\x89\xd0\xb8\xd1\x82",
    "\xd2\x9b\xd0\xbe\xd1\x80\xd2\x93\xd0\xb0",
    NULL,
};

static const struct stems {
	int annex;
	const char *col;
	const char *const *stems;
} stems[] = {
    {5, "item", s5_item},
    {5, "model", s5_model},
    {5, "serial", s5_serial},
    {5, "certificate", s5_certificate},
    {5, "location", s5_location},
    {5, "type", s5_type},
    {5, "purpose", s5_purpose},
    {5, "protection", s5_protection},
    {5, "software", s5_software},
    {5, "addresses", s5_addresses},
    {6, "item", s6_item},
    {6, "developer", s6_developer},
    {6, "name", s6_name},
    {6, "version", s6_version},
    {6, "installed_on", s6_installed_on},
    {6, "type", s6_type},
    {6, "purpose", s6_purpose},
    {6, "protection", s6_protection},
};

static const char *const *col_stems(const struct sheet *sh, size_t j)
{
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(stems); i++)
		if (stems[i].annex == sh->no &&
		    strcmp(stems[i].col, sh->cols[j].name) == 0)
			return stems[i].stems;
	return NULL;
}

int annex_match_title(const struct sheet *sh, const char *cell)
{
	char f[512];
	const char *const *st, *hit;
	size_t i, j, pos, best_pos = (size_t)-1, best_len = 0;
	int best = -1;

	if (cx_annex_fold(cell, f, sizeof(f)) == 0)
		return -1;
	for (i = 0; i < CX_ARRAY_LEN(item_exact); i++)
		if (strcmp(f, item_exact[i]) == 0)
			return 0; /* the item column is the first of both */
	/* The stem found first names the column: "Main functional purpose
	 * (according to technical documentation)" is the purpose. */
	for (j = 0; j < sh->ncols; j++) {
		st = col_stems(sh, j);
		for (i = 0; st != NULL && st[i] != NULL; i++) {
			hit = strstr(f, st[i]);
			if (hit == NULL)
				continue;
			pos = (size_t)(hit - f);
			if (pos < best_pos ||
			    (pos == best_pos && strlen(st[i]) > best_len)) {
				best = (int)j;
				best_pos = pos;
				best_len = strlen(st[i]);
			}
		}
	}
	return best;
}

/* The lowest cell with text of column p of the header, and the column
 * of the form it names (-1 when none). */
static const char *column_title(const struct sheet *sh,
                                const struct cx_csv_record *const *hdr,
                                size_t n_hdr, size_t p, int *col)
{
	const char *title = NULL;
	size_t k;

	*col = -1;
	for (k = n_hdr; k-- > 0;) {
		if (p >= hdr[k]->n_fields || hdr[k]->fields[p][0] == '\0')
			continue;
		if (title == NULL)
			title = hdr[k]->fields[p];
		*col = annex_match_title(sh, hdr[k]->fields[p]);
		if (*col >= 0)
			return hdr[k]->fields[p];
	}
	return title;
}

/* A remark on the header: message, its id and its parameters. */
static int header_diag(struct load *ld, int warning, long line, long column,
                       const char *field, const char *text, const char *msg,
                       const char *const *args)
{
	int rc = (warning ? cx_diag_warn : cx_diag_add)(
	    ld->diags, ld->path, line, field, "%s", text);

	if (rc == CX_OK) {
		ld->diags->items[ld->diags->n - 1].column = column;
		rc = cx_diag_set_msg(ld->diags, msg, args);
	}
	return rc;
}

/* A column of the file that the form does not have (or has already). */
static int extra_column(struct load *ld, long line, size_t p, const char *title,
                        int col)
{
	char *ex = annex_excerpt(title, strlen(title)), *text, num[24];
	int rc;

	if (ex == NULL)
		return CX_ENOMEM;
	snprintf(num, sizeof(num), "%zu", p + 1);
	if (col >= 0)
		text = cx_asprintf("the column '%s' repeats a column of %s; "
		                   "its cells are not read",
		                   ex, ld->sh->annex);
	else
		text = cx_asprintf("the column '%s' is not a column of %s; its "
		                   "cells are not read",
		                   ex, ld->sh->annex);
	rc = text == NULL ? CX_ENOMEM
	                  : header_diag(ld, 1, line, (long)p + 1, NULL, text,
	                                col >= 0 ? "inv.annex.header.repeated"
	                                         : "inv.annex.header.extra",
	                                CX_ARGS("title", ex, "column", num,
	                                        "annex", ld->sh->annex_id));
	free(text);
	free(ex);
	return rc;
}

/* A column of the form that the header lacks: an error when it is
 * mandatory (the list is not compared), else a remark. */
static int missing_column(struct load *ld, long line, size_t j)
{
	const struct col *c = &ld->sh->cols[j];
	char num[24], *text;
	int rc;

	snprintf(num, sizeof(num), "%zu", j + 1);
	text = cx_asprintf("%s column %zu '%s' is not in the header%s",
	                   ld->sh->annex, j + 1, c->title,
	                   c->required ? "; the list cannot be compared"
	                               : "; its cells are read as empty");
	rc = text == NULL
	         ? CX_ENOMEM
	         : header_diag(
	               ld, !c->required, line, (long)j + 1, c->name, text,
	               c->required ? "inv.annex.header.missing"
	                           : "inv.annex.header.missing-optional",
	               CX_ARGS("number", num, "title", c->title_id, "annex",
	                       ld->sh->annex_id));
	if (c->required)
		ld->wrong_form = 1;
	free(text);
	return rc;
}

int annex_map_header(struct load *ld, const struct cx_csv_record *const *hdr,
                     size_t n_hdr, long line)
{
	const struct sheet *sh = ld->sh;
	const char *title;
	size_t p, j, width = 0, mapped = 0, titled = 0;
	int col, reordered = 0, rc = CX_OK;
	int *of = NULL;

	for (p = 0; p < n_hdr; p++)
		if (annex_used_fields(hdr[p]) > width)
			width = annex_used_fields(hdr[p]);
	ld->phys = malloc(sh->ncols * sizeof(*ld->phys));
	of = calloc(width + 1, sizeof(*of));
	if (ld->phys == NULL || of == NULL) {
		free(of);
		return CX_ENOMEM;
	}
	for (j = 0; j < sh->ncols; j++)
		ld->phys[j] = ANNEX_NONE;
	for (p = 0; p < width; p++) {
		of[p] = -2; /* no title */
		title = column_title(sh, hdr, n_hdr, p, &col);
		if (title == NULL)
			continue;
		titled++;
		of[p] = col;
		if (col >= 0 && ld->phys[col] == ANNEX_NONE) {
			ld->phys[col] = p;
			mapped++;
			if ((size_t)col != p)
				reordered = 1;
		}
	}
	/* Too few titles of the form: read by position, as before. */
	if (mapped < 2 || mapped * 2 < titled) {
		free(ld->phys);
		ld->phys = NULL;
		free(of);
		return CX_OK;
	}
	ld->width = width;
	ld->untitled = calloc(width + 1, 1);
	if (ld->untitled == NULL) {
		free(of);
		return CX_ENOMEM;
	}
	for (p = 0; p < width; p++)
		ld->untitled[p] = of[p] == -2;
	if (reordered) {
		char *text = cx_asprintf("the columns are not in the order of "
		                         "%s; each is read by its title",
		                         sh->annex);

		rc = text == NULL ? CX_ENOMEM
		                  : header_diag(ld, 1, line, 0, NULL, text,
		                                "inv.annex.header.reordered",
		                                CX_ARGS("annex", sh->annex_id));
		free(text);
	}
	for (p = 0; p < width && rc == CX_OK; p++) {
		if (of[p] == -2 || (of[p] >= 0 && ld->phys[of[p]] == p))
			continue;
		title = column_title(sh, hdr, n_hdr, p, &col);
		rc = extra_column(ld, line, p, title, col);
	}
	for (j = 0; j < sh->ncols && rc == CX_OK; j++)
		if (ld->phys[j] == ANNEX_NONE)
			rc = missing_column(ld, line, j);
	free(of);
	return rc;
}
