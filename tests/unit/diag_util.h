/*
 * Helpers shared by the unit tests that read diagnostics (diag_util.c).
 */
#ifndef CX_TEST_DIAG_UTIL_H
#define CX_TEST_DIAG_UTIL_H

#include "certexam/error.h"

/*
 * 1 if a diagnostic of d names file (a suffix of its path), line (-1 =
 * any), field (NULL = any) and contains text (NULL = any); warning: -1
 * any, 0 an error, 1 a warning.
 */
int diag_match(const struct cx_diags *d, const char *file, long line,
               const char *field, const char *text, int warning);
/* 1 if s occurs in any message or field of d. */
int diags_mention(const struct cx_diags *d, const char *s);

#endif
