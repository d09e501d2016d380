/*
 * Helpers shared by the profile unit tests (profile_util.c).
 */
#ifndef CX_TEST_PROFILE_UTIL_H
#define CX_TEST_PROFILE_UTIL_H

#include "certexam/error.h"

/* 1 if some diagnostic of d names file (a suffix of its path), line (0 =
 * any), field (NULL = any) and has text (NULL = any) in its message. */
int has_diag(const struct cx_diags *d, const char *file, long line,
             const char *field, const char *text);

#endif
