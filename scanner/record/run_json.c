/*
 * certexam — the run record as JSON (`certexam show RUN --format json`).
 * The shape is documented in README.md; every string is escaped.
 */
#include <stdio.h>
#include <string.h>

#include "certexam/escape.h"
#include "certexam/run.h"
#include "certexam/util.h"

#define W(expr)                                                                \
	do {                                                                   \
		if (rc == CX_OK)                                               \
			rc = (expr);                                           \
	} while (0)

static int jstr(struct cx_buf *b, const char *s)
{
	int rc;

	if (s == NULL)
		return cx_buf_puts(b, "null");
	rc = cx_buf_putc(b, '"');
	if (rc == CX_OK)
		rc = cx_esc_json(b, s);
	if (rc == CX_OK)
		rc = cx_buf_putc(b, '"');
	return rc;
}

/* "name": "value" with a leading comma unless first. */
static int jkv(struct cx_buf *b, int *first, const char *k, const char *v)
{
	int rc = cx_buf_printf(b, "%s\"%s\": ", *first ? "" : ", ", k);

	*first = 0;
	if (rc == CX_OK)
		rc = jstr(b, v);
	return rc;
}

static int jkn(struct cx_buf *b, int *first, const char *k, long v)
{
	int rc = cx_buf_printf(b, "%s\"%s\": %ld", *first ? "" : ", ", k, v);

	*first = 0;
	return rc;
}

static int jkb(struct cx_buf *b, int *first, const char *k, int v)
{
	int rc = cx_buf_printf(b, "%s\"%s\": %s", *first ? "" : ", ", k,
	                       v ? "true" : "false");

	*first = 0;
	return rc;
}

static int jprops(struct cx_buf *b, const struct cx_prop *p, size_t n)
{
	size_t i;
	int rc = cx_buf_putc(b, '{');

	for (i = 0; i < n && rc == CX_OK; i++) {
		if (i)
			W(cx_buf_puts(b, ", "));
		W(jstr(b, p[i].name));
		W(cx_buf_puts(b, ": "));
		W(jstr(b, p[i].value));
	}
	W(cx_buf_putc(b, '}'));
	return rc;
}

int cx_run_to_json(const struct cx_run *run, struct cx_buf *b)
{
	char t1[32], t2[32];
	size_t i, j;
	int rc = CX_OK, first;

	cx_iso8601(run->started, t1, sizeof(t1));
	cx_iso8601(run->finished, t2, sizeof(t2));
	W(cx_buf_puts(b, "{"));
	first = 1;
	W(jkn(b, &first, "number", run->number));
	W(jkv(b, &first, "kind", run->kind));
	W(jkn(b, &first, "baseline", run->baseline));
	W(jkb(b, &first, "complete", run->complete));
	W(jkb(b, &first, "degraded", run->degraded));
	W(jkv(b, &first, "degraded_reason", run->degraded_reason));
	W(jkv(b, &first, "tool_version", run->tool_version));
	W(jkv(b, &first, "profile_id", run->profile_id));
	W(jkv(b, &first, "profile_version", run->profile_version));
	W(jkv(b, &first, "object_name", run->object_name));
	W(jkv(b, &first, "object_type", run->object_type));
	W(jkv(b, &first, "case_dir", run->case_dir));
	W(jkv(b, &first, "examiner_host", run->examiner_host));
	W(jkv(b, &first, "examiner_user", run->examiner_user));
	if (run->vantage != NULL)
		W(jkv(b, &first, "vantage", run->vantage));
	W(jkv(b, &first, "started", t1));
	W(jkv(b, &first, "finished", run->finished ? t2 : NULL));
	W(cx_buf_puts(b, ",\n \"scope\": ["));
	for (i = 0; i < run->n_scope; i++) {
		if (i)
			W(cx_buf_puts(b, ", "));
		W(jstr(b, run->scope[i]));
	}
	W(cx_buf_puts(b, "],\n \"options\": "));
	W(jprops(b, run->options, run->n_options));
	W(cx_buf_puts(b, ",\n \"basis\": "));
	W(jprops(b, run->basis, run->n_basis));
	W(cx_buf_puts(b, ",\n \"checks\": "));
	W(jprops(b, run->checks, run->n_checks));
	W(cx_buf_puts(b, ",\n \"hosts\": ["));
	for (i = 0; i < run->n_hosts; i++) {
		W(cx_buf_puts(b, i ? ",\n  {" : "\n  {"));
		first = 1;
		W(jkv(b, &first, "addr", run->hosts[i].addr));
		W(jkv(b, &first, "names", run->hosts[i].names));
		W(jkb(b, &first, "up", run->hosts[i].up));
		if (run->hosts[i].vantage != NULL)
			W(jkv(b, &first, "vantage", run->hosts[i].vantage));
		W(cx_buf_putc(b, '}'));
	}
	W(cx_buf_puts(b, "],\n \"ports\": ["));
	for (i = 0; i < run->n_ports; i++) {
		const struct cx_port_obs *p = &run->ports[i];
		W(cx_buf_puts(b, i ? ",\n  {" : "\n  {"));
		first = 1;
		W(jkv(b, &first, "addr", p->addr));
		W(jkn(b, &first, "port", p->port));
		W(jkv(b, &first, "proto", p->proto));
		W(jkv(b, &first, "state", cx_port_state_name(p->state)));
		W(jkv(b, &first, "reason", p->reason));
		W(jkv(b, &first, "service", p->service));
		W(jkv(b, &first, "product", p->product));
		W(jkv(b, &first, "version", p->version));
		W(jkv(b, &first, "extra", p->extra));
		W(jkb(b, &first, "tls", p->tls));
		W(jkv(b, &first, "inner", p->inner));
		W(jkv(b, &first, "evidence", p->evidence));
		W(jkb(b, &first, "declared", p->declared));
		if (p->vantage != NULL)
			W(jkv(b, &first, "vantage", p->vantage));
		W(cx_buf_putc(b, '}'));
	}
	W(cx_buf_puts(b, "],\n \"observations\": ["));
	for (i = 0; i < run->n_obs; i++) {
		const struct cx_observation *o = &run->obs[i];
		W(cx_buf_puts(b, i ? ",\n  {" : "\n  {"));
		first = 1;
		W(jkv(b, &first, "kind", o->kind));
		W(jkv(b, &first, "asset", o->asset));
		if (o->vantage != NULL)
			W(jkv(b, &first, "vantage", o->vantage));
		W(cx_buf_puts(b, ", \"props\": ["));
		for (j = 0; j < o->n_props; j++) {
			W(cx_buf_puts(b, j ? ", [" : "["));
			W(jstr(b, o->props[j].name));
			W(cx_buf_puts(b, ", "));
			W(jstr(b, o->props[j].value));
			W(cx_buf_putc(b, ']'));
		}
		W(cx_buf_puts(b, "]}"));
	}
	W(cx_buf_puts(b, "],\n \"findings\": ["));
	for (i = 0; i < run->n_findings; i++) {
		const struct cx_finding *f = &run->findings[i];
		W(cx_buf_puts(b, i ? ",\n  {" : "\n  {"));
		first = 1;
		W(jkv(b, &first, "key", f->key));
		W(jkv(b, &first, "check", f->check));
		W(jkv(b, &first, "requirement", f->req_id));
		W(jkv(b, &first, "block", f->block));
		W(jkv(b, &first, "asset", f->asset));
		W(jkv(b, &first, "item", f->item));
		W(jkv(b, &first, "status", cx_status_name(f->status)));
		W(jkv(b, &first, "severity", cx_severity_name(f->severity)));
		W(jkv(b, &first, "certainty", cx_certainty_name(f->certainty)));
		W(jkv(b, &first, "requirement_text", f->req_text));
		W(jkv(b, &first, "source", f->req_source));
		W(jkv(b, &first, "title", f->title));
		W(jkv(b, &first, "observed", f->observed));
		W(jkv(b, &first, "recommendation", f->recommendation));
		W(jkv(b, &first, "method", f->method));
		if (f->method_msg != NULL) {
			W(jkv(b, &first, "method_msg", f->method_msg));
			W(cx_buf_puts(b, ", \"method_args\": {"));
			for (j = 0; j < f->n_method_args; j++) {
				if (j)
					W(cx_buf_puts(b, ", "));
				W(jstr(b, f->method_args[j].name));
				W(cx_buf_puts(b, ": "));
				W(jstr(b, f->method_args[j].value
				              ? f->method_args[j].value
				              : ""));
			}
			W(cx_buf_putc(b, '}'));
		}
		W(jkv(b, &first, "kind", f->req_kind));
		W(jkv(b, &first, "msg", f->msg));
		W(cx_buf_puts(b, ", \"args\": {"));
		for (j = 0; j < f->n_args; j++) {
			if (j)
				W(cx_buf_puts(b, ", "));
			W(jstr(b, f->args[j].name));
			W(cx_buf_puts(b, ": "));
			W(jstr(b, f->args[j].value ? f->args[j].value : ""));
		}
		W(cx_buf_putc(b, '}'));
		if (f->vantage != NULL)
			W(jkv(b, &first, "vantage", f->vantage));
		W(cx_buf_puts(b, ", \"evidence\": ["));
		for (j = 0; j < f->n_evidence; j++) {
			if (j)
				W(cx_buf_puts(b, ", "));
			W(jstr(b, f->evidence[j]));
		}
		W(cx_buf_puts(b, "]}"));
	}
	W(cx_buf_puts(b, "],\n \"evidence\": ["));
	for (i = 0; i < run->n_evidence; i++) {
		const struct cx_evidence *e = &run->evidence[i];
		W(cx_buf_puts(b, i ? ",\n  {" : "\n  {"));
		first = 1;
		W(jkv(b, &first, "id", e->id));
		W(jkv(b, &first, "path", e->file));
		W(jkv(b, &first, "sha256", e->sha256));
		W(jkn(b, &first, "size", (long)e->size));
		W(jkv(b, &first, "asset", e->asset));
		W(jkv(b, &first, "kind", e->kind));
		W(jkv(b, &first, "description", e->description));
		W(cx_buf_putc(b, '}'));
	}
	W(cx_buf_puts(b, "]\n}\n"));
	return rc;
}
