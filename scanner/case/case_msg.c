/*
 * certexam — the words of the case loaders' diagnostics (the Annex 5/6
 * lists, their CSV, object.xml, procedure.xml, waivers.xml) in the
 * language of a catalog: the message id a loader gave the diagnostic
 * (cx_diag_set_msg) with its parameters, names of the forms' parts and
 * of the package's fields that are message ids themselves ("inv.annex.",
 * "pkg.") worded too.  A diagnostic without an id, or
 * an id the catalog lacks, keeps its English text.
 */
#include <string.h>

#include "certexam/case_msg.h"
#include "certexam/error.h"

#define CASE_MSG_MAX_ARGS 16

int cx_case_msg(struct cx_buf *out, const struct cx_catalog *cat,
                const char *msg, const char *const *names,
                const char *const *values, size_t n, const char *fallback)
{
	struct cx_buf words[CASE_MSG_MAX_ARGS];
	const char *v[CASE_MSG_MAX_ARGS];
	const char *t = msg != NULL ? cx_catalog_get(cat, msg) : NULL;
	size_t i;
	int rc = CX_OK;

	if (t == NULL)
		return cx_buf_puts(out, fallback != NULL ? fallback : "");
	if (n > CASE_MSG_MAX_ARGS)
		n = CASE_MSG_MAX_ARGS;
	memset(words, 0, sizeof(words));
	for (i = 0; i < n && rc == CX_OK; i++) {
		v[i] = values[i];
		if (values[i] == NULL ||
		    (strncmp(values[i], "inv.annex.", 10) != 0 &&
		     strncmp(values[i], "pkg.", 4) != 0) ||
		    cx_catalog_get(cat, values[i]) == NULL)
			continue;
		rc = cx_msg(&words[i], cat, values[i], NULL);
		v[i] = words[i].data;
	}
	if (rc == CX_OK)
		rc = cx_msg_format_props(out, t, names, v, n);
	for (i = 0; i < n; i++)
		cx_buf_free(&words[i]);
	return rc;
}

int cx_case_msg_args(struct cx_buf *out, const struct cx_catalog *cat,
                     const char *msg, char *const *args, const char *fallback)
{
	const char *names[CASE_MSG_MAX_ARGS], *values[CASE_MSG_MAX_ARGS];
	size_t n = 0, k;

	for (k = 0; args != NULL && args[k] != NULL && n < CASE_MSG_MAX_ARGS;
	     k += 2) {
		names[n] = args[k];
		values[n++] = args[k + 1];
	}
	return cx_case_msg(out, cat, msg, names, values, n, fallback);
}
