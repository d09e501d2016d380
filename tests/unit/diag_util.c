/*
 * Shared by the unit tests that read diagnostics (check_object.c,
 * check_profile*.c): looking for one diagnostic, or for a text anywhere.
 */
#include <stddef.h>
#include <string.h>

#include "certexam/error.h"
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
