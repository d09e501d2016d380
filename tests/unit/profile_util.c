/*
 * Shared by the profile unit tests (check_profile.c,
 * check_profile_errors.c): looking for a diagnostic.
 */
#include <stddef.h>
#include <string.h>

#include "certexam/error.h"
#include "profile_util.h"

/* 1 if some diagnostic names file (suffix), line (0 = any) and field. */
int has_diag(const struct cx_diags *d, const char *file, long line,
             const char *field, const char *text)
{
	size_t i, fl = strlen(file);

	for (i = 0; i < d->n; i++) {
		const struct cx_diag *g = &d->items[i];
		size_t gl = g->file != NULL ? strlen(g->file) : 0;

		if (gl < fl || strcmp(g->file + gl - fl, file) != 0)
			continue;
		if (line != 0 && g->line != line)
			continue;
		if (field != NULL &&
		    (g->field == NULL || strcmp(g->field, field) != 0))
			continue;
		if (text != NULL && strstr(g->message, text) == NULL)
			continue;
		return 1;
	}
	return 0;
}
