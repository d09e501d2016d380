/*
 * certexam — a profile: the legal regime as data.  One XML file per object
 * type under profiles/, validated against profiles/schema/profile.xsd.
 *
 * A requirement has an id ("NET-01"), the block it belongs to, its text,
 * the legal source and a severity.  Parameters are name/value pairs that
 * checks read ("tls.min_version" = "TLSv1.2"); a name may repeat
 * ("ports.forbidden" = "telnet", "ports.forbidden" = "ftp", ...).
 */
#ifndef CERTEXAM_PROFILE_H
#define CERTEXAM_PROFILE_H

#include <stddef.h>
#include "certexam/error.h"
#include "certexam/finding.h"

struct cx_requirement {
	char *id;
	char *block; /* "documents", "network", "tls", "web", "inventory" */
	char *text;
	char *source; /* legal source */
	enum cx_severity severity;
	char *recommendation; /* default recommendation, may be NULL */
};

struct cx_param {
	char *name;
	char *value;
};

/* A normative document the examination is based on. */
struct cx_basis {
	char *id;
	char *title;
};

struct cx_profile {
	char *path;
	char *id;      /* "internet-resource" */
	char *version; /* "2026.1" */
	char *title;
	char *object_type; /* cx_object_type_name() of the type it serves */
	char *language;    /* "en", "ru", "kk" */
	struct cx_basis *basis;
	size_t n_basis;
	struct cx_requirement *reqs;
	size_t n_reqs;
	struct cx_param *params;
	size_t n_params;
};

/*
 * Load and validate a profile file.  Problems go to diags.  *out is the
 * caller's (cx_profile_free).
 */
int cx_profile_load(const char *path, const char *schema_dir,
                    struct cx_profile **out, struct cx_diags *diags);
/*
 * Load profiles_dir/<id>.xml.  id must match [a-z0-9-]+.
 */
int cx_profile_load_id(const char *profiles_dir, const char *id,
                       struct cx_profile **out, struct cx_diags *diags);
void cx_profile_free(struct cx_profile *p);

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
