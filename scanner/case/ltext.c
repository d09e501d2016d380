/*
 * certexam — free text of a case file in several languages: reading a
 * field given several times with xml:lang (kk, ru, en) or without, the
 * choice of the text for an act in one language (that language, else the
 * untagged text, else the first given), the warnings about a language a
 * field lacks, and the lookup of a field's text by its default text for
 * what a run recorded from the case.  See ltext.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>

#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/util.h"
#include "ltext.h"

enum { LT_KK, LT_RU, LT_EN, LT_NONE, LT_N };
static const char *const lt_names[3] = {"kk", "ru", "en"};

struct lt_rec {
	char **slot;     /* a string field, or */
	char ***lslot;   /* a list field and */
	size_t *lslot_n; /* its count */
	char *v[LT_N];   /* the texts of a string field */
	char **lv[LT_N]; /* the lists of a list field */
	size_t ln[LT_N];
	int given[LT_N];
	int first; /* the first given */
	long line;
	char *field;
};

struct cx_ltexts {
	struct lt_rec *r;
	size_t n, cap;
	size_t *index; /* string records by default text, for cx_lt_text */
	size_t n_index;
	int cur; /* the language the fields are in: LT_NONE is the default */
};

static int lang_index(const char *s)
{
	size_t i;

	for (i = 0; s != NULL && i < 3; i++)
		if (strcmp(s, lt_names[i]) == 0)
			return (int)i;
	return -1;
}

static int rec_default(const struct lt_rec *x)
{
	return x->given[LT_NONE] ? LT_NONE : x->first;
}

static int rec_pick(const struct lt_rec *x, int lang)
{
	return lang >= 0 && lang < LT_NONE && x->given[lang] ? lang
	                                                     : rec_default(x);
}

static void lt_error(struct cx_lt_reader *r, long line, const char *field,
                     const char *what, const char *lang, long first)
{
	char fl[24];
	int rc;

	r->errors++;
	if (r->d == NULL)
		return;
	snprintf(fl, sizeof(fl), "%ld", first);
	/* each with its message id and parameters (pkg.ltext.*), so the
	 * terminal words it in its language; en is the text below */
	if (first > 0)
		rc = cx_diag_add(r->d, r->file, line, field,
		                 "the text %s%s%s is given twice (first on "
		                 "line %ld)",
		                 what, lang ? lang : "", lang ? "\"" : "",
		                 first) ||
		     (lang != NULL
		          ? cx_diag_set_msg(r->d, "pkg.ltext.twice",
		                            CX_ARGS("lang", lang, "first", fl))
		          : cx_diag_set_msg(r->d, "pkg.ltext.twice-untagged",
		                            CX_ARGS("first", fl)));
	else
		rc = cx_diag_add(r->d, r->file, line, field,
		                 "xml:lang \"%s\" is not kk, ru or en (give "
		                 "the text in one of them, or without "
		                 "xml:lang)",
		                 lang) ||
		     cx_diag_set_msg(r->d, "pkg.ltext.bad-lang",
		                     CX_ARGS("lang", lang));
	if (rc)
		r->oom = 1;
}

/* The language of n: LT_KK.., LT_NONE without xml:lang, -1 (after an
 * error) for another one. */
static int node_lang(struct cx_lt_reader *r, xmlNodePtr n, const char *field)
{
	xmlChar *v =
	    xmlGetNsProp(n, (const xmlChar *)"lang", XML_XML_NAMESPACE);
	int li;

	if (v == NULL)
		return LT_NONE;
	li = lang_index((const char *)v);
	if (li < 0)
		lt_error(r, cx_xml_line(n), field, NULL, (const char *)v, 0);
	xmlFree(v);
	return li;
}

static struct lt_rec *rec_new(struct cx_lt_reader *r, const char *field,
                              long line)
{
	struct cx_ltexts *lt = *r->lt;
	struct lt_rec *x;

	if (lt == NULL) {
		lt = calloc(1, sizeof(*lt));
		if (lt == NULL)
			return NULL;
		lt->cur = LT_NONE;
		*r->lt = lt;
	}
	if (lt->n == lt->cap) {
		size_t cap = lt->cap ? lt->cap * 2 : 16;
		struct lt_rec *nr = realloc(lt->r, cap * sizeof(*nr));

		if (nr == NULL)
			return NULL;
		lt->r = nr;
		lt->cap = cap;
	}
	x = &lt->r[lt->n];
	memset(x, 0, sizeof(*x));
	x->field = cx_strdup(field);
	if (x->field == NULL)
		return NULL;
	x->line = line;
	lt->n++;
	return x;
}

/* What was read of one field before it is kept. */
struct lt_read {
	char *v[LT_N];
	long line[LT_N];
	int first, count;
};

static void read_one(struct cx_lt_reader *r, struct lt_read *rd, int li,
                     char *text, long line, const char *field)
{
	if (text == NULL) {
		r->oom = 1;
		return;
	}
	if (text[0] == '\0') {
		free(text);
		return;
	}
	if (rd->v[li] != NULL) {
		lt_error(r, line, field,
		         li == LT_NONE ? "without xml:lang" : "in xml:lang=\"",
		         li == LT_NONE ? NULL : lt_names[li],
		         rd->line[li] > 0 ? rd->line[li] : 1);
		free(text);
		return;
	}
	rd->v[li] = text;
	rd->line[li] = line;
	if (rd->count++ == 0)
		rd->first = li;
}

void cx_lt_field(struct cx_lt_reader *r, xmlNodePtr parent, const char *name,
                 const char *attr, const char *field, char **slot)
{
	struct lt_read rd;
	struct lt_rec *x;
	xmlNodePtr c;
	int li;

	*slot = NULL;
	if (parent == NULL)
		return;
	memset(&rd, 0, sizeof(rd));
	if (attr != NULL && xmlHasProp(parent, (const xmlChar *)attr) != NULL)
		read_one(r, &rd, LT_NONE, cx_xml_attr(parent, attr),
		         cx_xml_line(parent), field);
	for (c = cx_xml_child(parent, name); c != NULL;
	     c = cx_xml_next(c, name)) {
		li = node_lang(r, c, field);
		if (li >= 0)
			read_one(r, &rd, li, cx_xml_text(c), cx_xml_line(c),
			         field);
	}
	if (rd.count == 0)
		return;
	if (rd.count == 1 && rd.v[LT_NONE] != NULL) {
		*slot = rd.v[LT_NONE];
		return;
	}
	x = rec_new(r, field, rd.line[rd.first]);
	if (x == NULL) {
		r->oom = 1;
		for (li = 0; li < LT_N; li++)
			free(rd.v[li]);
		return;
	}
	x->slot = slot;
	x->first = rd.first;
	for (li = 0; li < LT_N; li++) {
		x->v[li] = rd.v[li];
		x->given[li] = rd.v[li] != NULL;
	}
	*slot = x->v[rec_default(x)];
}

void cx_lt_given(struct cx_lt_reader *r, const char *const texts[3],
                 const char *field, long line, char **slot)
{
	struct lt_rec *x = rec_new(r, field, line);
	int li;

	*slot = NULL;
	if (x == NULL) {
		r->oom = 1;
		return;
	}
	x->slot = slot;
	x->first = LT_EN;
	for (li = 0; li < LT_NONE; li++) {
		x->v[li] = cx_strdup(texts[li]);
		x->given[li] = 1;
		if (x->v[li] == NULL)
			r->oom = 1;
	}
	*slot = x->v[LT_EN];
}

static void list_free(char **l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

/* The items of one list element; NULL with *n = 0 when it has none. */
static char **read_items(struct cx_lt_reader *r, xmlNodePtr list,
                         const char *item, size_t max, size_t *n)
{
	xmlNodePtr c;
	char **out, *t;
	size_t cnt = 0;

	*n = 0;
	for (c = cx_xml_child(list, item); c != NULL; c = cx_xml_next(c, item))
		cnt++;
	if (cnt > max)
		cnt = max;
	if (cnt == 0)
		return NULL;
	out = calloc(cnt, sizeof(*out));
	if (out == NULL) {
		r->oom = 1;
		return NULL;
	}
	for (c = cx_xml_child(list, item); c != NULL && *n < cnt;
	     c = cx_xml_next(c, item)) {
		t = cx_xml_text(c);
		if (t == NULL) {
			r->oom = 1;
			break;
		}
		if (t[0] == '\0') {
			free(t);
			continue;
		}
		out[(*n)++] = t;
	}
	if (*n == 0) {
		free(out);
		return NULL;
	}
	return out;
}

void cx_lt_list(struct cx_lt_reader *r, xmlNodePtr parent, const char *name,
                const char *item, size_t max, const char *field, char ***slot,
                size_t *n)
{
	char **lv[LT_N] = {NULL};
	size_t ln[LT_N] = {0};
	long line[LT_N] = {0};
	int li, first = -1, count = 0;
	struct lt_rec *x;
	xmlNodePtr c;

	*slot = NULL;
	*n = 0;
	for (c = cx_xml_child(parent, name); parent && c != NULL;
	     c = cx_xml_next(c, name)) {
		size_t k;
		char **l;

		li = node_lang(r, c, field);
		if (li < 0)
			continue;
		l = read_items(r, c, item, max, &k);
		if (l == NULL)
			continue;
		if (lv[li] != NULL) {
			lt_error(r, cx_xml_line(c), field,
			         li == LT_NONE ? "without xml:lang"
			                       : "in xml:lang=\"",
			         li == LT_NONE ? NULL : lt_names[li], line[li]);
			list_free(l, k);
			continue;
		}
		lv[li] = l;
		ln[li] = k;
		line[li] = cx_xml_line(c) > 0 ? cx_xml_line(c) : 1;
		if (count++ == 0)
			first = li;
	}
	if (count == 0)
		return;
	if (count == 1 && lv[LT_NONE] != NULL) {
		*slot = lv[LT_NONE];
		*n = ln[LT_NONE];
		return;
	}
	x = rec_new(r, field, line[first]);
	if (x == NULL) {
		r->oom = 1;
		for (li = 0; li < LT_N; li++)
			list_free(lv[li], ln[li]);
		return;
	}
	x->lslot = slot;
	x->lslot_n = n;
	x->first = first;
	for (li = 0; li < LT_N; li++) {
		x->lv[li] = lv[li];
		x->ln[li] = ln[li];
		x->given[li] = lv[li] != NULL;
	}
	li = rec_default(x);
	*slot = x->lv[li];
	*n = x->ln[li];
}

int cx_lt_check_langs(const struct cx_ltexts *lt, const char *langs,
                      const char *file, struct cx_diags *d)
{
	static const char *const what[LT_N] = {"kk", "ru", "en", "untagged"};
	size_t i, k;
	int li, alt;

	if (lt == NULL)
		return CX_OK;
	if (langs == NULL)
		langs = "kk ru";
	for (k = 0; k < 3; k++) {
		const char *p = strstr(langs, lt_names[k]);

		if (p == NULL || (p != langs && p[-1] != ' ') ||
		    (p[2] != '\0' && p[2] != ' '))
			continue;
		for (i = 0; i < lt->n; i++) {
			const struct lt_rec *x = &lt->r[i];

			if (x->given[k])
				continue;
			alt = rec_pick(x, (int)k);
			li = (int)k;
			if (cx_diag_warn(d, file, x->line, x->field,
			                 "no text with xml:lang=\"%s\": the %s "
			                 "act prints the %s%s text",
			                 lt_names[li], lt_names[li], what[alt],
			                 alt == LT_NONE ? ""
			                                : " (first given)") ||
			    (alt == LT_NONE
			         ? cx_diag_set_msg(
			               d, "pkg.ltext.missing-lang-untagged",
			               CX_ARGS("lang", lt_names[li]))
			         : cx_diag_set_msg(d, "pkg.ltext.missing-lang",
			                           CX_ARGS("lang", lt_names[li],
			                                   "given",
			                                   what[alt]))))
				return CX_ENOMEM;
		}
	}
	return CX_OK;
}

static const struct lt_rec *rec_of(const struct cx_ltexts *lt,
                                   char *const *slot)
{
	size_t i;

	for (i = 0; lt != NULL && slot != NULL && i < lt->n; i++)
		if (lt->r[i].slot == slot)
			return &lt->r[i];
	return NULL;
}

const char *cx_lt_own(const struct cx_ltexts *lt, char *const *slot, int li)
{
	const struct lt_rec *x = rec_of(lt, slot);

	if (x == NULL || li < 0 || li >= LT_NONE || !x->given[li])
		return NULL;
	return x->v[li];
}

const char *cx_lt_default_lang(const struct cx_ltexts *lt, char *const *slot)
{
	const struct lt_rec *x = rec_of(lt, slot);
	int li;

	if (x == NULL)
		return NULL;
	li = rec_default(x);
	return li == LT_NONE ? NULL : lt_names[li];
}

static const struct cx_ltexts *sort_lt;

static int by_default(const void *a, const void *b)
{
	const struct lt_rec *x = &sort_lt->r[*(const size_t *)a];
	const struct lt_rec *y = &sort_lt->r[*(const size_t *)b];

	return strcmp(x->v[rec_default(x)], y->v[rec_default(y)]);
}

/* The string records sorted by default text (once). */
static void build_index(struct cx_ltexts *lt)
{
	size_t i;

	if (lt->index != NULL || lt->n == 0)
		return;
	lt->index = calloc(lt->n, sizeof(*lt->index));
	if (lt->index == NULL)
		return; /* no lookup: the recorded texts stay as they are */
	for (i = 0; i < lt->n; i++)
		if (lt->r[i].slot != NULL)
			lt->index[lt->n_index++] = i;
	sort_lt = lt;
	qsort(lt->index, lt->n_index, sizeof(*lt->index), by_default);
	sort_lt = NULL;
}

void cx_lt_localize(struct cx_ltexts *lt, const char *lang)
{
	int li = lang_index(lang);
	size_t i;

	if (lt == NULL)
		return;
	build_index(lt);
	lt->cur = li < 0 ? LT_NONE : li;
	for (i = 0; i < lt->n; i++) {
		struct lt_rec *x = &lt->r[i];
		int k = rec_pick(x, lt->cur);

		if (x->slot != NULL) {
			*x->slot = x->v[k];
		} else {
			*x->lslot = x->lv[k];
			*x->lslot_n = x->ln[k];
		}
	}
}

const char *cx_lt_text(const struct cx_ltexts *lt, const char *text)
{
	size_t lo = 0, hi, mid;
	int c;

	if (lt == NULL || text == NULL || lt->cur == LT_NONE)
		return text;
	hi = lt->n_index;
	while (lo < hi) {
		const struct lt_rec *x;

		mid = lo + (hi - lo) / 2;
		x = &lt->r[lt->index[mid]];
		c = strcmp(text, x->v[rec_default(x)]);
		if (c == 0)
			return x->v[rec_pick(x, lt->cur)];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return text;
}

void cx_lt_free(struct cx_ltexts *lt)
{
	size_t i;
	int li;

	if (lt == NULL)
		return;
	for (i = 0; i < lt->n; i++) {
		struct lt_rec *x = &lt->r[i];

		if (x->slot != NULL)
			*x->slot = NULL;
		if (x->lslot != NULL) {
			*x->lslot = NULL;
			*x->lslot_n = 0;
		}
		for (li = 0; li < LT_N; li++) {
			free(x->v[li]);
			list_free(x->lv[li], x->ln[li]);
		}
		free(x->field);
	}
	free(lt->r);
	free(lt->index);
	free(lt);
}
