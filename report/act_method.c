/*
 * certexam — how a finding was determined, in the act's language.
 *
 * A check records a message id (method.*) with named parameters in the
 * finding (struct cx_finding method_msg, method_args); a run recorded
 * before method ids has an English sentence (method), which is printed as
 * it was recorded.
 */
#include <stddef.h>

#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/util.h"

int cx_finding_method_text(const struct cx_catalog *cat,
                           const struct cx_finding *f, struct cx_buf *b)
{
	const char *names[8], *values[8], *t;
	size_t i, n = 0;

	if (f->method_msg == NULL)
		return f->method != NULL ? cx_buf_puts(b, f->method) : CX_OK;
	t = cat != NULL ? cx_catalog_get(cat, f->method_msg) : NULL;
	if (t == NULL)
		return cx_buf_printf(b, "[%s]", f->method_msg);
	for (i = 0; i < f->n_method_args && n < CX_ARRAY_LEN(names); i++) {
		names[n] = f->method_args[i].name;
		values[n++] = f->method_args[i].value;
	}
	return cx_msg_format_props(b, t, names, values, n);
}

int cx_act_method(const struct cx_act *act, const struct cx_finding *f,
                  struct cx_buf *b)
{
	return cx_finding_method_text(act->cat, f, b);
}
