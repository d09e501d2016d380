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

/*
 * NULL if text holds no English sentence once the raw values (NULL-ended
 * list, may be NULL) are taken out; else the first two Latin words in a
 * row (each of two letters or more, one space between: "is not"), in a
 * static buffer.  For the words of a message rendered in kk or ru: raw
 * values (a file name, libxml2's text) may be English, the words not.
 */
const char *english_in(const char *text, const char *const *raw);
struct cx_catalog;
/*
 * NULL if every diagnostic of d has a message id that cat words, with no
 * placeholder left unfilled and no English sentence outside its
 * parameters' values, and en (may be NULL) words it exactly as its
 * English message; else what is wrong with the first that fails, in a
 * static buffer.
 */
const char *diags_not_worded(const struct cx_diags *d,
                             const struct cx_catalog *cat,
                             const struct cx_catalog *en);

/*
 * NULL if the texts in words[0] and words[1] (the kk and ru catalogs) of
 * every id of en that starts with one of prefixes hold no English
 * sentence once their {placeholders} are taken out; else the first that
 * does (or is missing), in a static buffer.  *n_ids: the ids checked.
 */
const char *catalog_english(const struct cx_catalog *en,
                            const struct cx_catalog *const words[2],
                            const char *const *prefixes, size_t n_prefixes,
                            size_t *n_ids);

#endif
