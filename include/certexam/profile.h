/*
 * certexam — a profile: the legal regime as data.
 *
 * One base catalogue of requirements per legal regime
 * (profiles/<regime>/requirements.xml, <catalogue> in schema/profile.xsd)
 * defines every requirement once: its id ("NET-01"), the block it belongs
 * to, its kind (normative, with the clauses it rests on, or good
 * practice), the default severity and, in Kazakh, Russian and English, its
 * text, its recommendation and its legal basis.  The catalogue also names the
 * normative documents and the default parameters.
 *
 * A profile (profiles/<id>.xml, schema/profile.xsd) serves one object type:
 * <profile extends="rules-298"> selects requirements from the catalogue
 * (all of them unless it says otherwise) and overrides only severities and
 * parameters.  Parameters are name/value pairs that checks read
 * ("tls.min_version" = "TLSv1.2"); a name may repeat ("net.forbidden_db" =
 * "redis", ...), and a name the profile sets replaces every value the
 * catalogue gives it.  cx_profile_load() resolves the two into one
 * struct cx_profile.
 */
#ifndef CERTEXAM_PROFILE_H
#define CERTEXAM_PROFILE_H

#include <stddef.h>
#include "certexam/error.h"
#include "certexam/finding.h"
#include "certexam/lang.h"

/*
 * What a requirement rests on.  Only a failed normative requirement is a
 * deficiency; a failed practice requirement is a recommendation.  The
 * zero value is normative, as every requirement was before kinds existed.
 */
enum cx_req_kind {
	CX_REQ_NORMATIVE = 0, /* a clause of the Rules, the UR or a standard */
	CX_REQ_PRACTICE,      /* good practice, no verified normative clause */
	CX__REQ_KIND_COUNT
};

/* "normative", "practice"; NULL outside the enum. */
const char *cx_req_kind_name(enum cx_req_kind k);
/* The kind with this name, -1 when not recognised (or NULL). */
int cx_req_kind_parse(const char *s);

/* One clause a normative requirement rests on. */
struct cx_clause {
	char *doc; /* id of a struct cx_basis document: "rules-298" */
	char *ref; /* the clause in it: "22(4)", "Annex 3 item 1" */
};

/* The per-language strings of a requirement. */
enum cx_req_field {
	CX_REQ_TEXT = 0,       /* what is required */
	CX_REQ_RECOMMENDATION, /* what to do when it fails; may be absent */
	CX_REQ_SOURCE,         /* the legal basis, as the act prints it */
	CX__REQ_FIELD_COUNT
};

struct cx_requirement {
	char *id;
	char *block;  /* "documents", "network", "tls", "web", "inventory" */
	char *text;   /* = texts[CX_LANG_EN] (borrowed from it) */
	char *source; /* legal basis, = sources[CX_LANG_EN] (borrowed) */
	enum cx_severity severity; /* the profile's (or the catalogue's) */
	char *recommendation; /* = recommendations[CX_LANG_EN], may be NULL */
	enum cx_req_kind kind;
	char *texts[CX_LANG_COUNT];           /* owned */
	char *recommendations[CX_LANG_COUNT]; /* owned, may be NULL */
	char *sources[CX_LANG_COUNT];         /* owned */
	struct cx_clause *clauses; /* normative: at least one; owned */
	size_t n_clauses;
};

/*
 * The string f of r in lang; when that language has none (a requirement
 * built by hand), the English member (text, recommendation, source).
 * NULL when r is NULL, f or lang is out of range, or there is none at all.
 * Borrowed from r.
 */
const char *cx_requirement_str(const struct cx_requirement *r,
                               enum cx_req_field f, enum cx_lang lang);

struct cx_param {
	char *name;
	char *value;
};

/* A normative document the examination is based on. */
struct cx_basis {
	char *id;
	char *title;                 /* = titles[CX_LANG_EN] (borrowed) */
	char *titles[CX_LANG_COUNT]; /* owned */
};

/*
 * A ground of refusal (para 27(2)) the profile names: it is met by a
 * deficiency of requirement req (when set), in block (when set), of
 * severity min_severity or higher.  At least one of req and block is set.
 */
struct cx_refusal_ground {
	char *req;                     /* requirement id, or NULL */
	char *block;                   /* act block id, or NULL */
	enum cx_severity min_severity; /* default CX_SEV_LOW */
};

struct cx_profile {
	char *path;
	char *id;                    /* "internet-resource" */
	char *version;               /* "2026.1" */
	char *title;                 /* = titles[CX_LANG_EN] (borrowed) */
	char *titles[CX_LANG_COUNT]; /* owned */
	char *object_type;    /* cx_object_type_name() of the type it serves */
	char *regime;         /* the catalogue it extends: "rules-298" */
	char *regime_version; /* the catalogue's version */
	struct cx_basis *basis; /* the catalogue's documents */
	size_t n_basis;
	struct cx_requirement *reqs; /* in the catalogue's order */
	size_t n_reqs;
	struct cx_param *params; /* the catalogue's, then the profile's */
	size_t n_params;
	struct cx_refusal_ground *grounds; /* <refusal-grounds>; none: NULL */
	size_t n_grounds;
};

/*
 * Load and validate the profile at path and the catalogue it extends,
 * catalogue_dir/<extends>/requirements.xml (catalogue_dir NULL: the
 * profile's own folder).  schema_dir holds profile.xsd, the schema of both
 * (NULL: no schema validation; the loader still refuses what it cannot
 * use).  Problems go to diags.  *out is the caller's (cx_profile_free).
 */
int cx_profile_load_from(const char *path, const char *catalogue_dir,
                         const char *schema_dir, struct cx_profile **out,
                         struct cx_diags *diags);
/* cx_profile_load_from(path, NULL, schema_dir, out, diags). */
int cx_profile_load(const char *path, const char *schema_dir,
                    struct cx_profile **out, struct cx_diags *diags);
/*
 * Load profiles_dir/<id>.xml (schemas in profiles_dir/schema).  id must
 * match [a-z0-9-]+.
 */
int cx_profile_load_id(const char *profiles_dir, const char *id,
                       struct cx_profile **out, struct cx_diags *diags);
void cx_profile_free(struct cx_profile *p);
/*
 * Resolve every profile in profiles_dir (each <id>.xml whose root element
 * is <profile>, in name order) against its catalogue and the schemas in
 * profiles_dir/schema.  Problems go to diags; *n_profiles (may be NULL)
 * is how many profiles were found.  CX_OK when every one resolves,
 * CX_ESCHEMA when one does not, CX_ENOENT when the folder cannot be read.
 */
int cx_profile_check_dir(const char *profiles_dir, size_t *n_profiles,
                         struct cx_diags *diags);

/* The requirement with this id, or NULL.  Borrowed pointer. */
const struct cx_requirement *cx_profile_req(const struct cx_profile *p,
                                            const char *id);
/* First value of parameter name, or def.  Borrowed pointer. */
const char *cx_profile_param(const struct cx_profile *p, const char *name,
                             const char *def);
/* Integer parameter, def if absent or malformed. */
long cx_profile_param_long(const struct cx_profile *p, const char *name,
                           long def);
/*
 * Iterate all values of a repeated parameter: start with *iter = 0; returns
 * the next value or NULL at the end.
 */
const char *cx_profile_param_next(const struct cx_profile *p, const char *name,
                                  size_t *iter);
/* 1 if a parameter name has the value (case-insensitive). */
int cx_profile_param_has(const struct cx_profile *p, const char *name,
                         const char *value);

#endif
