/*
 * certexam — a finding: the result of testing one requirement on one asset.
 *
 * The key is check id, requirement id, asset and an optional item,
 * joined by '|': "tls|TLS-02|127.0.0.1:443/tcp|TLS_RSA_WITH_RC4_128_SHA".
 * It never contains observed text (banners, versions, header values), so
 * the same deficiency has the same key in the examination and in the
 * additional examination.  The item is a name from a fixed vocabulary
 * (a cipher suite, a header, a path the check probes) or one the applicant
 * controls and which identifies the deficiency (a cookie name).
 */
#ifndef CERTEXAM_FINDING_H
#define CERTEXAM_FINDING_H

#include <stddef.h>

struct cx_prop;

enum cx_status {
	CX_PASS = 0,
	CX_FAIL,
	CX_NOT_APPLICABLE,
	CX_NOT_CHECKED,
	CX_ERROR,
	CX_WAIVED,
	CX__STATUS_COUNT
};

enum cx_severity {
	CX_SEV_CRITICAL = 0,
	CX_SEV_HIGH,
	CX_SEV_MEDIUM,
	CX_SEV_LOW,
	CX_SEV_INFO,
	CX__SEV_COUNT
};

/* "pass", "fail", "not_applicable", "not_checked", "error", "waived". */
const char *cx_status_name(enum cx_status s);
/* -1 when not recognised. */
int cx_status_parse(const char *s);
/* "critical", "high", "medium", "low", "info". */
const char *cx_severity_name(enum cx_severity s);
int cx_severity_parse(const char *s);

/*
 * How a result was determined: a confirmed fact, an inference from what
 * the target said (e.g. a version), or a potential problem that could not
 * be confirmed without an intrusive test.
 */
enum cx_certainty { CX_CONFIRMED = 0, CX_INFERRED, CX_POTENTIAL };
const char *cx_certainty_name(enum cx_certainty c);
int cx_certainty_parse(const char *s);

struct cx_finding {
	char *key;        /* built by cx_finding_key() */
	char *check;      /* check id: "ports", "tls", "http", ... */
	char *req_id;     /* requirement id from the profile */
	char *req_text;   /* copied from the profile */
	char *req_source; /* legal source, copied from the profile */
	char *block;      /* act block */
	char *asset;      /* host, host:port/proto or URL */
	char *item;       /* optional qualifier, may be NULL */
	enum cx_status status;
	enum cx_severity severity;
	enum cx_certainty certainty;
	char *title;    /* one line: what the finding is */
	char *observed; /* what was observed (sanitised text) */
	char *recommendation;
	/*
	 * How it was determined: a message id of profiles/i18n/
	 * ("method.tls.suites") with named parameters, worded in the act's
	 * language.  method is the English text of a run recorded before
	 * method ids existed (then method_msg is NULL), printed as recorded.
	 */
	char *method;
	char *method_msg;
	struct cx_prop *method_args; /* name/value parameters of method_msg */
	size_t n_method_args;
	char **evidence; /* evidence ids */
	size_t n_evidence;
	/*
	 * The words: a message id of profiles/i18n/ ("doc.annex3.absent")
	 * with named parameters, rendered in the act's language.  NULL in
	 * runs recorded before messages existed: then title and observed
	 * (English) are printed as they are.
	 */
	char *msg;
	struct cx_prop *args; /* name/value parameters of msg */
	size_t n_args;
	char *req_kind; /* "normative" or "practice"; NULL: normative */
	char *vantage;  /* vantage point(s), space-separated, or NULL */
};

/* 1 when f's requirement is good practice (not a normative clause). */
int cx_finding_is_practice(const struct cx_finding *f);

/* Build the stable key.  Caller frees; NULL on ENOMEM. */
char *cx_finding_key(const char *check, const char *req_id, const char *asset,
                     const char *item);

/* Deep copy src into dst (dst is overwritten).  0 or CX_ENOMEM. */
int cx_finding_copy(struct cx_finding *dst, const struct cx_finding *src);
/* Free the members (not f itself).  NULL accepted. */
void cx_finding_clear(struct cx_finding *f);

#endif
