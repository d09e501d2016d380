/*
 * certexam — the words of the printed forms of Annexes 5 and 6 in Kazakh,
 * Russian and English, so that the loader (scanner/case/annex_lists.c)
 * recognises header rows by the form's column titles (however many rows
 * the header takes and however the cells were merged) and the notes and
 * signature lines written under the table.  Matching is on lower-cased
 * word stems, so "Серийный/инвентарный номер", "серийный № " and
 * "Serial/inventory number" all count.
 */
#include <stddef.h>
#include <string.h>

#include "certexam/util.h"
#include "inventory.h"

/* Stems of the column titles of Annexes 5 and 6 (lower case, UTF-8). */
static const char *const title_stems[] = {
    /* en */
    "item",
    "manufacturer",
    "model",
    "serial",
    "inventory",
    "certificate",
    "location",
    "type",
    "purpose",
    "protection",
    "developer",
    "version",
    "address",
    "installation",
    "software",
    /* ru: п/п, производитель, модель, серийный, инвентарный, сертификат,
     * местоположение, расположение, тип, назначение, защиты,
     * разработчик, наименование, версия, адрес, установки, программного */
    "\xd0\xbf/\xd0\xbf",
    "\xd0\xbf\xd1\x80\xd0\xbe\xd0\xb8\xd0\xb7\xd0\xb2",
    "\xd0\xbc\xd0\xbe\xd0\xb4\xd0\xb5\xd0\xbb",
    "\xd1\x81\xd0\xb5\xd1\x80\xd0\xb8\xd0\xb9\xd0\xbd",
    "\xd0\xb8\xd0\xbd\xd0\xb2\xd0\xb5\xd0\xbd\xd1\x82\xd0\xb0\xd1\x80",
    "\xd1\x81\xd0\xb5\xd1\x80\xd1\x82\xd0\xb8\xd1\x84",
    "\xd0\xbc\xd0\xb5\xd1\x81\xd1\x82\xd0\xbe\xd0\xbf\xd0\xbe\xd0\xbb",
    "\xd1\x80\xd0\xb0\xd1\x81\xd0\xbf\xd0\xbe\xd0\xbb\xd0\xbe\xd0\xb6",
    "\xd1\x82\xd0\xb8\xd0\xbf",
    "\xd0\xbd\xd0\xb0\xd0\xb7\xd0\xbd\xd0\xb0\xd1\x87",
    "\xd0\xb7\xd0\xb0\xd1\x89\xd0\xb8\xd1\x82",
    "\xd1\x80\xd0\xb0\xd0\xb7\xd1\x80\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82",
    "\xd0\xbd\xd0\xb0\xd0\xb8\xd0\xbc\xd0\xb5\xd0\xbd",
    "\xd0\xb2\xd0\xb5\xd1\x80\xd1\x81\xd0\xb8",
    "\xd0\xb0\xd0\xb4\xd1\x80\xd0\xb5\xd1\x81",
    "\xd1\x83\xd1\x81\xd1\x82\xd0\xb0\xd0\xbd\xd0\xbe\xd0\xb2",
    "\xd0\xbf\xd1\x80\xd0\xbe\xd0\xb3\xd1\x80\xd0\xb0\xd0\xbc\xd0\xbc",
    /* kk: р/с, өндіруші, сериялық, түгендеу, орналасқан, түрі, мақсаты,
     * қорғау, әзірлеуші, атауы, нұсқасы, мекенжай, орнату */
    "\xd1\x80/\xd1\x81",
    "\xd3\xa9\xd0\xbd\xd0\xb4\xd1\x96\xd1\x80",
    "\xd1\x81\xd0\xb5\xd1\x80\xd0\xb8\xd1\x8f\xd0\xbb",
    "\xd1\x82\xd2\xaf\xd0\xb3\xd0\xb5\xd0\xbd\xd0\xb4",
    "\xd0\xbe\xd1\x80\xd0\xbd\xd0\xb0\xd0\xbb\xd0\xb0\xd1\x81",
    "\xd1\x82\xd2\xaf\xd1\x80\xd1\x96",
    "\xd0\xbc\xd0\xb0\xd2\x9b\xd1\x81\xd0\xb0\xd1\x82",
    "\xd2\x9b\xd0\xbe\xd1\x80\xd2\x93\xd0\xb0",
    "\xd3\x99\xd0\xb7\xd1\x96\xd1\x80\xd0\xbb",
    "\xd0\xb0\xd1\x82\xd0\xb0\xd1\x83",
    "\xd0\xbd\xd2\xb1\xd1\x81\xd2\x9b",
    "\xd0\xbc\xd0\xb5\xd0\xba\xd0\xb5\xd0\xbd\xd0\xb6\xd0\xb0\xd0\xb9",
    "\xd0\xbe\xd1\x80\xd0\xbd\xd0\xb0\xd1\x82",
};

/* Stems that open a note or a signature line under the table. */
static const char *const note_stems[] = {
    "note",
    "*",
    "signature",
    "head of",
    "approved",
    "m.p.",
    /* ru: примечание, руководитель, подпись, м.п., утверждаю,
     * исполнитель, составил */
    "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x87",
    "\xd1\x80\xd1\x83\xd0\xba\xd0\xbe\xd0\xb2\xd0\xbe\xd0\xb4",
    "\xd0\xbf\xd0\xbe\xd0\xb4\xd0\xbf\xd0\xb8\xd1\x81",
    "\xd0\xbc.\xd0\xbf.",
    "\xd1\x83\xd1\x82\xd0\xb2\xd0\xb5\xd1\x80\xd0\xb6\xd0\xb4",
    "\xd0\xb8\xd1\x81\xd0\xbf\xd0\xbe\xd0\xbb\xd0\xbd",
    "\xd1\x81\xd0\xbe\xd1\x81\xd1\x82\xd0\xb0\xd0\xb2",
    /* kk: ескерту, басшы, қолы, мөр, бекітемін */
    "\xd0\xb5\xd1\x81\xd0\xba\xd0\xb5\xd1\x80\xd1\x82",
    "\xd0\xb1\xd0\xb0\xd1\x81\xd1\x88\xd1\x8b",
    "\xd2\x9b\xd0\xbe\xd0\xbb\xd1\x8b",
    "\xd0\xbc\xd3\xa9\xd1\x80",
    "\xd0\xb1\xd0\xb5\xd0\xba\xd1\x96\xd1\x82",
};

/* The lower-case code point of a Cyrillic capital (Russian and Kazakh). */
static unsigned fold_cp(unsigned cp)
{
	if (cp >= 0x410 && cp <= 0x42f)
		return cp + 0x20;
	if (cp >= 0x400 && cp <= 0x40f)
		return cp + 0x50;
	switch (cp) {
	case 0x4d8: /* Ә */
	case 0x492: /* Ғ */
	case 0x49a: /* Қ */
	case 0x4a2: /* Ң */
	case 0x4e8: /* Ө */
	case 0x4b0: /* Ұ */
	case 0x4ae: /* Ү */
	case 0x4ba: /* Һ */
		return cp + 1;
	}
	return cp;
}

size_t cx_annex_fold(const char *s, char *out, size_t outsz)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0;
	unsigned cp;

	if (outsz == 0)
		return 0;
	while (u[i] != '\0' && o + 3 < outsz) {
		if (u[i] >= 'A' && u[i] <= 'Z') {
			out[o++] = (char)(u[i++] + 32);
		} else if ((u[i] & 0xe0) == 0xc0 && (u[i + 1] & 0xc0) == 0x80) {
			cp =
			    fold_cp(((u[i] & 0x1fu) << 6) | (u[i + 1] & 0x3fu));
			out[o++] = (char)(0xc0 | (cp >> 6));
			out[o++] = (char)(0x80 | (cp & 0x3f));
			i += 2;
		} else {
			out[o++] = (char)u[i++];
		}
	}
	out[o] = '\0';
	return o;
}

static int has_stem(const char *cell, const char *const *stems, size_t n,
                    int at_start)
{
	char f[512];
	size_t i, len;

	len = cx_annex_fold(cell, f, sizeof(f));
	if (len == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (at_start) {
			if (strncmp(f, stems[i], strlen(stems[i])) == 0)
				return 1;
		} else if (strstr(f, stems[i]) != NULL) {
			return 1;
		}
	}
	return 0;
}

int cx_annex_is_title(const char *cell)
{
	if (strcmp(cell, "\xe2\x84\x96") == 0 || strcmp(cell, "N") == 0 ||
	    strcmp(cell, "No.") == 0)
		return 1; /* "№" alone */
	return has_stem(cell, title_stems, CX_ARRAY_LEN(title_stems), 0);
}

int cx_annex_is_note(const char *cell)
{
	return has_stem(cell, note_stems, CX_ARRAY_LEN(note_stems), 1);
}
