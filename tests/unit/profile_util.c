/*
 * Shared by the profile unit tests (check_profile.c,
 * check_profile_errors.c): looking for a diagnostic.
 */
#include <stddef.h>
#include <string.h>

#include "certexam/error.h"
#include "diag_util.h"
#include "profile_util.h"

int has_diag(const struct cx_diags *d, const char *file, long line,
             const char *field, const char *text)
{
	return diag_match(d, file, line != 0 ? line : -1, field, text, -1);
}
