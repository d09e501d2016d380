/* certexam — error names and diagnostics lists. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/util.h"

const char *cx_strerror(int err)
{
	switch (err) {
	case CX_OK:
		return "success";
#define XX(code, text)                                                         \
	case CX_E##code:                                                       \
		return text;
		CX_ERRNO_MAP(XX)
#undef XX
	default:
		return "unknown error";
	}
}

const char *cx_err_name(int err)
{
	switch (err) {
	case CX_OK:
		return "CX_OK";
#define XX(code, _)                                                            \
	case CX_E##code:                                                       \
		return "CX_E" #code;
		CX_ERRNO_MAP(XX)
#undef XX
	default:
		return "CX_EUNKNOWN";
	}
}

int cx_diag_vadd(struct cx_diags *d, int warning, const char *file, long line,
                 const char *field, const char *fmt, va_list ap)
{
	struct cx_diag *g;
	struct cx_buf msg = {0};

	if (cx_grow(&d->items, &d->cap, d->n + 1, sizeof(*d->items)))
		return CX_ENOMEM;
	if (cx_buf_vprintf(&msg, fmt, ap))
		return CX_ENOMEM;
	g = &d->items[d->n];
	memset(g, 0, sizeof(*g));
	g->file = cx_strdup(file);
	g->line = line;
	g->field = cx_strdup(field);
	g->message = cx_buf_steal(&msg);
	g->is_warning = warning;
	d->n++;
	return CX_OK;
}

int cx_diag_add(struct cx_diags *d, const char *file, long line,
                const char *field, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = cx_diag_vadd(d, 0, file, line, field, fmt, ap);
	va_end(ap);
	return rc;
}

int cx_diag_warn(struct cx_diags *d, const char *file, long line,
                 const char *field, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = cx_diag_vadd(d, 1, file, line, field, fmt, ap);
	va_end(ap);
	return rc;
}

int cx_diag_set_msg(struct cx_diags *d, const char *msg,
                    const char *const *args)
{
	struct cx_diag *g;
	size_t i, n = 0, k = 0;

	if (d == NULL || d->n == 0)
		return CX_OK;
	g = &d->items[d->n - 1];
	g->msg = msg;
	for (i = 0; args != NULL && args[i] != NULL; i += 2)
		n += 2;
	if (n == 0)
		return CX_OK;
	g->args = calloc(n + 1, sizeof(*g->args));
	if (g->args == NULL)
		return CX_ENOMEM;
	for (i = 0; args[i] != NULL; i += 2) {
		if (args[i + 1] == NULL)
			continue;
		g->args[k] = cx_strdup(args[i]);
		g->args[k + 1] = cx_strdup(args[i + 1]);
		if (g->args[k] == NULL || g->args[k + 1] == NULL) {
			free(g->args[k]);
			free(g->args[k + 1]);
			g->args[k] = g->args[k + 1] = NULL;
			return CX_ENOMEM;
		}
		k += 2;
	}
	return CX_OK;
}

size_t cx_diag_errors(const struct cx_diags *d)
{
	size_t i, n = 0;

	if (d == NULL)
		return 0;
	for (i = 0; i < d->n; i++)
		if (!d->items[i].is_warning)
			n++;
	return n;
}

void cx_diags_free(struct cx_diags *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->items[i].file);
		free(d->items[i].field);
		free(d->items[i].message);
		if (d->items[i].args != NULL) {
			size_t k;

			for (k = 0; d->items[i].args[k] != NULL; k++)
				free(d->items[i].args[k]);
			free(d->items[i].args);
		}
	}
	free(d->items);
	d->items = NULL;
	d->n = d->cap = 0;
}
