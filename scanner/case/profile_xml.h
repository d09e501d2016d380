/*
 * certexam — what the two loaders of the legal regime share (internal):
 * the diagnostics and text helpers of scanner/case/profile.c, and the base
 * catalogue of requirements that scanner/case/catalogue.c reads and
 * profile.c resolves a profile against.
 */
#ifndef CERTEXAM_PROFILE_XML_H
#define CERTEXAM_PROFILE_XML_H

#include <stddef.h>
#include "certexam/error.h"
#include "certexam/profile.h"
#include "xmlsafe.h"

/* A profile or catalogue is trusted data, but still bounded. */
#define CX_PROFILE_MAX_SIZE ((size_t)4 * 1024 * 1024)

struct ploader {
	const char *file;
	struct cx_diags *d;
	int errors;
	int oom;
};

/*
 * One diagnostic against l->file at n's line; counts an error.  msg is its
 * message id (pkg.profile.* or pkg.catalogue.*, a string literal) and args
 * its parameters (CX_ARGS), so that the terminal words it in its language;
 * fmt gives the English words (the en catalog's text of msg) kept as the
 * diagnostic's message.
 */
void cx_perr(struct ploader *l, xmlNodePtr n, const char *field,
             const char *msg, const char *const *args, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/*
 * Text of n with every run of white space collapsed to one space; NULL
 * for an absent element (or ENOMEM: l->oom).  Caller frees.
 */
char *cx_pflat(struct ploader *l, xmlNodePtr n);
/* Attribute name of n, trimmed; NULL when absent (or ENOMEM: l->oom). */
char *cx_pattr(struct ploader *l, xmlNodePtr n, const char *name);
/* Number of child elements of parent called name. */
size_t cx_pcount(xmlNodePtr parent, const char *name);
/*
 * The children of parent called name, one per language (lang="kk|ru|en"),
 * into out[] (flattened, caller frees).  With required, all three must be
 * there; otherwise none or all three.  A repeated or unknown language, or
 * an empty text, is an error.
 */
void cx_plangs(struct ploader *l, xmlNodePtr parent, const char *name,
               int required, char *out[CX_LANG_COUNT]);

/* The base catalogue of one legal regime, as read. */
struct cx_catalogue {
	char *id;      /* "rules-298" */
	char *version; /* "2026.1" */
	char *titles[CX_LANG_COUNT];
	struct cx_basis *basis;
	size_t n_basis;
	struct cx_requirement *reqs;
	size_t n_reqs;
	struct cx_param *params;
	size_t n_params;
};

/*
 * Load dir/<regime>/requirements.xml, validated against
 * schema_dir/profile.xsd (its <catalogue> element) (schema_dir NULL: not
 * validated).  regime must be a profile-style id ([a-z0-9-]{1,64}).  Every
 * requirement is complete (three languages, a normative one with clauses naming
 * a basis document) and ids are unique, or the result is CX_ESCHEMA.  *out is
 * the caller's (cx_catalogue_free).
 */
int cx_catalogue_load(const char *dir, const char *regime,
                      const char *schema_dir, struct cx_catalogue **out,
                      struct cx_diags *diags);
void cx_catalogue_free(struct cx_catalogue *c);
/* Free what r owns (not r itself) and zero it. */
void cx_requirement_clear(struct cx_requirement *r);
/*
 * Parse l->file (bounded), check that its root is <root_name> and
 * validate it against schema_dir/profile.xsd (schema_dir NULL: not
 * validated).  *doc is the caller's (xmlFreeDoc) even on failure.
 */
int cx_pread(struct ploader *l, const char *root_name, const char *schema_dir,
             xmlDocPtr *doc, xmlNodePtr *root);
/*
 * Name and value of the <param> n into *q (caller frees); 0 (and a
 * diagnostic, q zeroed) when either is missing.
 */
int cx_pparam(struct ploader *l, xmlNodePtr n, struct cx_param *q);
/* Free the arrays (and what their entries own) of a catalogue or profile. */
void cx_pcontent_free(struct cx_basis *b, size_t nb, struct cx_requirement *r,
                      size_t nr, struct cx_param *q, size_t nq);
/*
 * The result of a load that read into l: rc when it failed already, else
 * CX_ENOMEM when an allocation failed (l->oom), CX_ESCHEMA when an error
 * was reported (l->errors), else CX_OK.
 */
int cx_pstatus(const struct ploader *l, int rc);
/* qsort/bsearch comparator of (const struct cx_requirement *) by id. */
int cx_preq_cmp(const void *a, const void *b);
/* 1 when id matches [a-z0-9-]{1,64}. */
int cx_profile_valid_id(const char *id);

#endif
