/*
 * certexam — message catalogs: every word the act and the terminal print.
 *
 * One gettext .po file per language (profiles/i18n/kk.po, ru.po, en.po),
 * read by our own length-checked loader, so nothing depends on the
 * machine's installed locales.  A message id reads like a path
 * ("act.decision.issue"), a message is a whole sentence, and its
 * parameters are named: "{count} deficiencies were found".  Code names a
 * message; the catalog says it.
 *
 * Accepted .po subset: comments (#...), msgctxt is rejected, msgid and
 * msgstr with continuation strings, the escapes \n \t \" \\; the header
 * entry (msgid "") is read for its "Language:" field.  Plural forms,
 * duplicate ids, NUL bytes, invalid UTF-8, unbalanced braces and
 * placeholder names outside [a-z0-9_] are errors that name the line.
 */
#ifndef CERTEXAM_I18N_H
#define CERTEXAM_I18N_H

#include <stddef.h>
#include "certexam/error.h"
#include "certexam/util.h"

/* Limits: a catalog file, one message, the number of messages. */
#define CX_PO_MAX_FILE  (4u << 20)
#define CX_PO_MAX_MSG   (16u << 10)
#define CX_PO_MAX_ITEMS 20000u

/*
 * Named parameters of a message, a flat list of name, value pairs ended
 * by a NULL name (a value may be NULL and then prints as a dash):
 *	.args = CX_ARGS("cookie", c->name, "path", p)
 */
#define CX_ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

struct cx_catalog;

/*
 * Parse a .po catalog of len bytes (no NUL needed); name is used in
 * diagnostics.  0, CX_EPARSE (problems in diags), CX_ELIMIT or
 * CX_ENOMEM.  *out is freed with cx_catalog_free().
 */
int cx_catalog_parse(const char *data, size_t len, const char *name,
                     struct cx_catalog **out, struct cx_diags *diags);
/* Read and parse a file (at most CX_PO_MAX_FILE bytes). */
int cx_catalog_load(const char *path, struct cx_catalog **out,
                    struct cx_diags *diags);
/*
 * Load dir/<lang>.po for a language code ("kk", "ru", "en"); the code
 * must be two lower-case letters (it becomes a file name).
 */
int cx_catalog_load_lang(const char *dir, const char *lang,
                         struct cx_catalog **out, struct cx_diags *diags);
void cx_catalog_free(struct cx_catalog *cat);

/* The message for id (borrowed), or NULL when absent.  O(log n). */
const char *cx_catalog_get(const struct cx_catalog *cat, const char *id);
/* "Language:" of the header ("kk"), or "" when none.  Borrowed. */
const char *cx_catalog_lang(const struct cx_catalog *cat);
/* Messages in id order: count and the i-th id.  Borrowed. */
size_t cx_catalog_count(const struct cx_catalog *cat);
const char *cx_catalog_id(const struct cx_catalog *cat, size_t i);

/*
 * Append tmpl to b with every {name} replaced by its value in args
 * (CX_ARGS list, may be NULL); "{{" and "}}" are literal braces.  An
 * unknown name is kept as "{name}" so a missing parameter is visible.
 * 0 or CX_ENOMEM.
 */
int cx_msg_format(struct cx_buf *b, const char *tmpl, const char *const *args);
/*
 * The same with the parameters as name/value properties (as a stored
 * finding keeps them).  names[i] pairs with values[i].
 */
int cx_msg_format_props(struct cx_buf *b, const char *tmpl,
                        const char *const *names, const char *const *values,
                        size_t n);
/*
 * Append the message id of cat, formatted with args.  A message missing
 * from the catalog appends the id itself in brackets ("[act.x.y]"), so a
 * gap is visible and never silent.  0 or CX_ENOMEM.
 */
int cx_msg(struct cx_buf *b, const struct cx_catalog *cat, const char *id,
           const char *const *args);

/*
 * The placeholder names of tmpl, sorted and space-separated, into b
 * (for comparing the messages of two languages).  0 or CX_ENOMEM.
 */
int cx_msg_placeholders(struct cx_buf *b, const char *tmpl);

#endif
