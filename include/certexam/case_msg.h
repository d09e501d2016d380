/*
 * certexam — the words of the case loaders' diagnostics in any language
 * (scanner/case/case_msg.c): a diagnostic's message id with its
 * parameters, for the terminal and the act.
 */
#ifndef CERTEXAM_CASE_MSG_H
#define CERTEXAM_CASE_MSG_H

#include <stddef.h>

#include "certexam/i18n.h"
#include "certexam/util.h"

/*
 * Append to out the message msg of cat formatted with the parameters
 * names[i] = values[i] (n of them); a value that is itself a message id
 * of the case's words (an Annex's name, a column's title, a package field:
 * "inv.annex.", "pkg.") is worded in cat's language too.  When msg is NULL or
 * cat lacks it, fallback (the English text kept with the diagnostic) is
 * appended. 0 or CX_ENOMEM.
 */
int cx_case_msg(struct cx_buf *out, const struct cx_catalog *cat,
                const char *msg, const char *const *names,
                const char *const *values, size_t n, const char *fallback);

/* The same for a diagnostic's args list (name, value, ..., NULL). */
int cx_case_msg_args(struct cx_buf *out, const struct cx_catalog *cat,
                     const char *msg, char *const *args, const char *fallback);

#endif
