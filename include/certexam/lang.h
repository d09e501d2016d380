/*
 * certexam — the languages an act and the base catalogue of requirements
 * are written in: Kazakh, Russian and English.  The enum indexes the
 * per-language arrays of struct cx_requirement (certexam/profile.h) and
 * of the message catalogs.
 */
#ifndef CERTEXAM_LANG_H
#define CERTEXAM_LANG_H

enum cx_lang {
	CX_LANG_KK = 0, /* "kk": Kazakh, the state language */
	CX_LANG_RU,     /* "ru": Russian */
	CX_LANG_EN,     /* "en": English */
	CX_LANG_COUNT
};

/*
 * The language with this ISO 639-1 code ("kk", "ru", "en"; ASCII case is
 * ignored), or -1 for anything else, NULL included.
 */
int cx_lang_parse(const char *code);
/* "kk", "ru" or "en"; NULL for a value outside the enum.  Static string. */
const char *cx_lang_code(enum cx_lang lang);

#endif
