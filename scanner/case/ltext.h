/*
 * certexam — free text of a case file given in several languages
 * (internal header).  A text field of object.xml may be written several
 * times, each with its xml:lang ("kk", "ru", "en") or without one; the
 * act in language L prints the L text, else the untagged one, else the
 * first given (scanner/case/ltext.c).  The loaders read such a field with
 * cx_lt_field() / cx_lt_list(): the field of the struct receives the
 * default text (untagged, else first) and the other texts are kept in a
 * struct cx_ltexts that cx_object_localize() uses to switch the fields.
 */
#ifndef CX_LTEXT_H
#define CX_LTEXT_H

#include <stddef.h>
#include "certexam/error.h"
#include "xmlsafe.h"

struct cx_ltexts;

/* How a loader reads multilingual fields; problems go to d. */
struct cx_lt_reader {
	struct cx_ltexts **lt; /* created on the first multilingual field */
	const char *file;
	struct cx_diags *d;
	int errors; /* problems found (each also in d) */
	int oom;
};

/*
 * One text field: every child element `name` of parent (each with its
 * xml:lang or none) and, when attr is not NULL, the attribute attr of
 * parent as an untagged text.  *slot receives the default text (a new
 * string, NULL when none is given or all are empty); the field is named
 * `field` in diagnostics.  The same language (or no language) given twice
 * and an xml:lang other than kk, ru or en are errors.  When the field is
 * given in one form only, nothing is kept besides *slot.
 */
void cx_lt_field(struct cx_lt_reader *r, xmlNodePtr parent, const char *name,
                 const char *attr, const char *field, char **slot);

/*
 * A field the file does not give, with texts the program has in kk, ru
 * and en (texts[0..2], static or not: copied); English is the default.
 */
void cx_lt_given(struct cx_lt_reader *r, const char *const texts[3],
                 const char *field, long line, char **slot);

/*
 * A list given once per language: every child element `name` of parent
 * (e.g. <prohibitions xml:lang="kk">), each holding up to max elements
 * `item`.  *slot / *n receive the default list (untagged, else first).
 * Empty items are skipped.
 */
void cx_lt_list(struct cx_lt_reader *r, xmlNodePtr parent, const char *name,
                const char *item, size_t max, const char *field, char ***slot,
                size_t *n);

/*
 * Warn (in d, against file) about every multilingual field that lacks one
 * of the languages in langs ("kk ru"; NULL: "kk ru"): the act in that
 * language prints another text of the field, and says so here.
 */
int cx_lt_check_langs(const struct cx_ltexts *lt, const char *langs,
                      const char *file, struct cx_diags *d);

/*
 * The text of the field read into slot as it was given in language li
 * (0 kk, 1 ru, 2 en), borrowed; NULL when that language was not given
 * (a field given once without xml:lang keeps nothing here).  Linear in
 * the fields kept in lt: meant for a small lt (one waiver's fields).
 */
const char *cx_lt_own(const struct cx_ltexts *lt, char *const *slot, int li);

/*
 * The language of the default text of the field read into slot ("kk",
 * "ru", "en"), or NULL when that text has no xml:lang (it is printed in
 * every act that lacks its own) or the field was not kept.  Linear too.
 */
const char *cx_lt_default_lang(const struct cx_ltexts *lt, char *const *slot);

/* Set every kept field to its text in lang (NULL: the default). */
void cx_lt_localize(struct cx_ltexts *lt, const char *lang);

/* The current-language text of the field whose default text is text, or
 * text itself when no multilingual field has that default. */
const char *cx_lt_text(const struct cx_ltexts *lt, const char *text);

/*
 * Give the fields back their default texts and set them to NULL (they
 * are owned here), then free lt.  Called first by cx_object_free().
 */
void cx_lt_free(struct cx_ltexts *lt);

#endif
