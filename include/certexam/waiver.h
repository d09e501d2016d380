/*
 * certexam — waivers (CASE/waivers.xml, schema waivers.xsd): accepted
 * deficiencies with their justification, approver, date and expiry,
 * applied to a run's failed findings after the checks.
 */
#ifndef CERTEXAM_WAIVER_H
#define CERTEXAM_WAIVER_H

#include <stddef.h>
#include "certexam/error.h"
#include "certexam/profile.h"
#include "certexam/run.h"

/*
 * A free text of a waiver (the justification, who approved it), given once
 * or once per language (xml:lang kk, ru, en, or none), as object.xml's
 * texts are: text is the default (the untagged one, else the first
 * given), lang its language ("kk", "ru", "en"; NULL when untagged), and
 * own[0..2] the kk, ru and en texts as given (NULL where not given).
 */
struct cx_wtext {
	char *text;
	const char *lang; /* static */
	char *own[3];
};

struct cx_waiver {
	char *key;           /* an exact finding key, or NULL */
	char *pattern;       /* a key pattern with '*', or NULL */
	char *justification; /* = just.text */
	char *approved_by;   /* = approver.text */
	struct cx_wtext just, approver;
	char *date;    /* YYYY-MM-DD approved */
	char *expires; /* YYYY-MM-DD last day it holds */
	long line;     /* in waivers.xml */
};

struct cx_waivers {
	struct cx_waiver *items;
	size_t n;
};

/*
 * Load path (validated against schema_dir/waivers.xsd).  A waiver needs
 * exactly one of key and pattern, and expires not before its date.  On
 * success *out is freed with cx_waivers_free; problems go to d.
 */
int cx_waivers_load(const char *path, const char *schema_dir,
                    struct cx_waivers **out, struct cx_diags *d);
void cx_waivers_free(struct cx_waivers *w);

/*
 * Warn (in d, against path) about every free text given with some
 * xml:lang that lacks one of the languages in langs (the case's
 * <languages>, "kk ru"; NULL: "kk ru"): the act in that language prints
 * the untagged text, or the first given, and says so; the warning is
 * object.xml's (pkg.ltext.missing-lang, pkg.ltext.missing-lang-untagged).
 * A text given once without xml:lang is valid in every language.
 */
int cx_waivers_check_langs(const struct cx_waivers *w, const char *langs,
                           const char *path, struct cx_diags *d);

/* 1 if the key matches the pattern ('*' is any run of characters). */
int cx_waiver_match(const char *pattern, const char *key);

/*
 * Apply the waivers to run's failed findings as of the day today (days
 * since 1970-01-01): a matching waiver in force turns the finding to
 * CX_WAIVED.  An expired one does not apply, nor does one on a critical
 * finding when the profile's waiver.critical is "forbidden".  Every waiver
 * and what became of it is recorded as a "waiver" observation (asset: the
 * finding key, or the waiver's key or pattern when it matched nothing;
 * state: applied, expired, refused-critical, unused) for the act.  Its
 * free texts are recorded as "justification" and "approved_by" (the
 * default text), "justification.lang" (the default's language, when it
 * has one) and "justification.kk", ".ru", ".en" (each language given),
 * likewise for approved_by, so an act in any language picks its own.
 */
int cx_waivers_apply(const struct cx_waivers *w, struct cx_run *run,
                     const struct cx_profile *profile, long today);

#endif
