/*
 * Shared by the unit tests that read diagnostics (check_object.c,
 * check_profile*.c): looking for one diagnostic, or for a text anywhere.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/case_msg.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/util.h"
#include "diag_util.h"

/*
 * 1 if a diagnostic names file (suffix), line (-1 = any), field (NULL =
 * any) and contains text (NULL = any); warning: -1 any, 0 error, 1 warning.
 */
int diag_match(const struct cx_diags *d, const char *file, long line,
               const char *field, const char *text, int warning)
{
	size_t i, fl = strlen(file);

	for (i = 0; i < d->n; i++) {
		const struct cx_diag *g = &d->items[i];
		size_t gl = g->file != NULL ? strlen(g->file) : 0;

		if (gl < fl || strcmp(g->file + gl - fl, file) != 0)
			continue;
		if (line >= 0 && g->line != line)
			continue;
		if (field != NULL &&
		    (g->field == NULL || strcmp(g->field, field) != 0))
			continue;
		if (text != NULL && strstr(g->message, text) == NULL)
			continue;
		if (warning >= 0 && g->is_warning != warning)
			continue;
		return 1;
	}
	return 0;
}

/* 1 if s occurs in any message or field. */
int diags_mention(const struct cx_diags *d, const char *s)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strstr(d->items[i].message, s) != NULL ||
		    (d->items[i].field != NULL &&
		     strstr(d->items[i].field, s) != NULL))
			return 1;
	return 0;
}

static int latin(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/*
 * The raw values in t blanked out ('#'), longest first (a value may be
 * part of another: the element's name in libxml2's text).
 */
static void blank_raw(char *t, const char *const *raw)
{
	const char *v[16];
	size_t n = 0, i, j;

	for (i = 0; raw != NULL && raw[i] != NULL && n < 16; i++)
		v[n++] = raw[i];
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strlen(v[j]) > strlen(v[j - 1]); j--) {
			const char *x = v[j];
			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	for (i = 0; i < n; i++) {
		size_t vl = strlen(v[i]);
		char *p = t;
		while (vl > 0 && (p = strstr(p, v[i])) != NULL) {
			memset(p, '#', vl);
			p += vl;
		}
	}
}

const char *english_in(const char *text, const char *const *raw)
{
	static char found[128];
	char *t = cx_strdup(text != NULL ? text : "");
	size_t i, n, prev_end = 0, prev_start = 0;
	int prev = 0;
	const char *res = NULL;

	if (t == NULL)
		return "(out of memory)";
	blank_raw(t, raw);
	n = strlen(t);
	for (i = 0; i < n && res == NULL;) {
		size_t start = i;
		if (!latin(t[i])) {
			i++;
			continue;
		}
		while (i < n && latin(t[i]))
			i++;
		if (i - start < 2 || (i < n && (unsigned char)t[i] >= 0x80) ||
		    (start > 0 && (unsigned char)t[start - 1] >= 0x80)) {
			prev = 0;
			continue;
		}
		if (prev && start == prev_end + 1 && t[prev_end] == ' ') {
			snprintf(found, sizeof(found), "%.*s",
			         (int)(i - prev_start), t + prev_start);
			res = found;
		}
		prev = 1;
		prev_start = start;
		prev_end = i;
	}
	free(t);
	return res;
}

const char *diags_not_worded(const struct cx_diags *d,
                             const struct cx_catalog *cat,
                             const struct cx_catalog *en)
{
	static char why[512];
	struct cx_buf b = {0};
	const char *raw[16], *e;
	char *blanked;
	size_t i, k, nr;

	for (i = 0; i < d->n; i++) {
		const struct cx_diag *g = &d->items[i];
		if (g->msg == NULL || cx_catalog_get(cat, g->msg) == NULL) {
			snprintf(why, sizeof(why), "%s:%ld: no message id: %s",
			         g->file ? g->file : "", g->line, g->message);
			return why;
		}
		nr = 0;
		for (k = 0; g->args != NULL && g->args[k] != NULL && nr < 15;
		     k += 2)
			raw[nr++] = g->args[k + 1];
		raw[nr] = NULL;
		b.len = 0;
		if (cx_case_msg_args(&b, cat, g->msg, g->args, NULL) != CX_OK ||
		    b.data == NULL) {
			snprintf(why, sizeof(why), "%s: not rendered", g->msg);
			cx_buf_free(&b);
			return why;
		}
		blanked = cx_strdup(b.data);
		if (blanked != NULL)
			blank_raw(blanked, raw);
		if (blanked == NULL || strchr(blanked, '{') != NULL) {
			free(blanked);
			snprintf(why, sizeof(why), "%s: unfilled: %s", g->msg,
			         b.data);
			cx_buf_free(&b);
			return why;
		}
		free(blanked);
		e = english_in(b.data, raw);
		if (e != NULL) {
			snprintf(why, sizeof(why), "%s: English \"%s\" in: %s",
			         g->msg, e, b.data);
			cx_buf_free(&b);
			return why;
		}
		b.len = 0;
		if (en != NULL &&
		    (cx_case_msg_args(&b, en, g->msg, g->args, NULL) != CX_OK ||
		     b.data == NULL || strcmp(b.data, g->message) != 0)) {
			snprintf(why, sizeof(why),
			         "%s: en \"%s\" is not the "
			         "message \"%s\"",
			         g->msg, b.data ? b.data : "", g->message);
			cx_buf_free(&b);
			return why;
		}
	}
	cx_buf_free(&b);
	return NULL;
}

const char *catalog_english(const struct cx_catalog *en,
                            const struct cx_catalog *const words[2],
                            const char *const *prefixes, size_t n_prefixes,
                            size_t *n_ids)
{
	static char why[640];
	struct cx_buf b = {0};
	size_t i, k;

	*n_ids = 0;
	for (i = 0; i < cx_catalog_count(en); i++) {
		const char *id = cx_catalog_id(en, i);

		for (k = 0; k < n_prefixes; k++)
			if (strncmp(id, prefixes[k], strlen(prefixes[k])) == 0)
				break;
		if (k == n_prefixes)
			continue;
		(*n_ids)++;
		for (k = 0; k < 2; k++) {
			const char *t = cx_catalog_get(words[k], id), *p, *e;

			if (t == NULL) {
				snprintf(why, sizeof(why), "%s: missing", id);
				cx_buf_free(&b);
				return why;
			}
			b.len = 0;
			for (p = t; *p != '\0'; p++) {
				if (*p == '{') { /* {name} -> # */
					while (*p != '\0' && *p != '}')
						p++;
					if (cx_buf_putc(&b, '#') != CX_OK ||
					    *p == '\0')
						break;
					continue;
				}
				if (cx_buf_putc(&b, *p) != CX_OK)
					break;
			}
			e = english_in(b.data ? b.data : "", NULL);
			if (e != NULL) {
				snprintf(why, sizeof(why),
				         "catalog %zu, %s: \"%s\" in %s", k, id,
				         e, t);
				cx_buf_free(&b);
				return why;
			}
		}
	}
	cx_buf_free(&b);
	return NULL;
}
