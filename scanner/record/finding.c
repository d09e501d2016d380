/* certexam — findings and observations: names, keys, copies. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/finding.h"
#include "certexam/observation.h"
#include "certexam/util.h"

static const char *const status_names[] = {
    "pass", "fail", "not_applicable", "not_checked", "error", "waived",
};
static const char *const sev_names[] = {
    "critical", "high", "medium", "low", "info",
};
static const char *const cert_names[] = {"confirmed", "inferred", "potential"};
static const char *const state_names[] = {"open", "closed", "filtered",
                                          "unknown"};

static int lookup(const char *const *names, size_t n, const char *s)
{
	size_t i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

const char *cx_status_name(enum cx_status s)
{
	return (unsigned)s < CX_ARRAY_LEN(status_names) ? status_names[s]
	                                                : "error";
}

int cx_status_parse(const char *s)
{
	return lookup(status_names, CX_ARRAY_LEN(status_names), s);
}

const char *cx_severity_name(enum cx_severity s)
{
	return (unsigned)s < CX_ARRAY_LEN(sev_names) ? sev_names[s] : "info";
}

int cx_severity_parse(const char *s)
{
	return lookup(sev_names, CX_ARRAY_LEN(sev_names), s);
}

const char *cx_certainty_name(enum cx_certainty c)
{
	return (unsigned)c < CX_ARRAY_LEN(cert_names) ? cert_names[c]
	                                              : "confirmed";
}

int cx_certainty_parse(const char *s)
{
	return lookup(cert_names, CX_ARRAY_LEN(cert_names), s);
}

const char *cx_port_state_name(enum cx_port_state s)
{
	return (unsigned)s < CX_ARRAY_LEN(state_names) ? state_names[s]
	                                               : "unknown";
}

int cx_port_state_parse(const char *s)
{
	return lookup(state_names, CX_ARRAY_LEN(state_names), s);
}

char *cx_finding_key(const char *check, const char *req_id, const char *asset,
                     const char *item)
{
	if (item != NULL && *item != '\0')
		return cx_asprintf("%s|%s|%s|%s", check ? check : "",
		                   req_id ? req_id : "", asset ? asset : "",
		                   item);
	return cx_asprintf("%s|%s|%s", check ? check : "", req_id ? req_id : "",
	                   asset ? asset : "");
}

int cx_finding_is_practice(const struct cx_finding *f)
{
	return f != NULL && f->req_kind != NULL &&
	       strcmp(f->req_kind, "practice") == 0;
}

void cx_finding_clear(struct cx_finding *f)
{
	size_t i;

	if (f == NULL)
		return;
	free(f->key);
	free(f->check);
	free(f->req_id);
	free(f->req_text);
	free(f->req_source);
	free(f->block);
	free(f->asset);
	free(f->item);
	free(f->title);
	free(f->observed);
	free(f->recommendation);
	free(f->method);
	free(f->method_msg);
	cx_props_free(f->method_args, f->n_method_args);
	free(f->vantage);
	for (i = 0; i < f->n_evidence; i++)
		free(f->evidence[i]);
	free(f->evidence);
	free(f->msg);
	cx_props_free(f->args, f->n_args);
	free(f->req_kind);
	memset(f, 0, sizeof(*f));
}

#define DUP(field)                                                             \
	do {                                                                   \
		dst->field = cx_strdup(src->field);                            \
		if (src->field != NULL && dst->field == NULL)                  \
			goto fail;                                             \
	} while (0)

int cx_finding_copy(struct cx_finding *dst, const struct cx_finding *src)
{
	size_t i;

	memset(dst, 0, sizeof(*dst));
	DUP(key);
	DUP(check);
	DUP(req_id);
	DUP(req_text);
	DUP(req_source);
	DUP(block);
	DUP(asset);
	DUP(item);
	DUP(title);
	DUP(observed);
	DUP(recommendation);
	DUP(method);
	DUP(method_msg);
	DUP(msg);
	DUP(req_kind);
	if (src->n_args > 0) {
		dst->args = calloc(src->n_args, sizeof(*dst->args));
		if (dst->args == NULL)
			goto fail;
		for (i = 0; i < src->n_args; i++) {
			dst->args[i].name = cx_strdup(src->args[i].name);
			dst->args[i].value = cx_strdup(src->args[i].value);
			dst->n_args++;
			if (dst->args[i].name == NULL ||
			    (src->args[i].value != NULL &&
			     dst->args[i].value == NULL))
				goto fail;
		}
	}
	if (src->n_method_args > 0) {
		dst->method_args =
		    calloc(src->n_method_args, sizeof(*dst->method_args));
		if (dst->method_args == NULL)
			goto fail;
		for (i = 0; i < src->n_method_args; i++) {
			const struct cx_prop *a = &src->method_args[i];

			dst->method_args[i].name = cx_strdup(a->name);
			dst->method_args[i].value = cx_strdup(a->value);
			dst->n_method_args++;
			if (dst->method_args[i].name == NULL ||
			    (a->value != NULL &&
			     dst->method_args[i].value == NULL))
				goto fail;
		}
	}
	DUP(vantage);
	dst->status = src->status;
	dst->severity = src->severity;
	dst->certainty = src->certainty;
	if (src->n_evidence > 0) {
		dst->evidence = calloc(src->n_evidence, sizeof(char *));
		if (dst->evidence == NULL)
			goto fail;
		for (i = 0; i < src->n_evidence; i++) {
			dst->evidence[i] = cx_strdup(src->evidence[i]);
			if (dst->evidence[i] == NULL)
				goto fail;
			dst->n_evidence++;
		}
	}
	return CX_OK;
fail:
	cx_finding_clear(dst);
	return CX_ENOMEM;
}

int cx_props_add(struct cx_prop **arr, size_t *n, size_t *cap, const char *name,
                 const char *value)
{
	struct cx_prop *p;

	if (cx_grow(arr, cap, *n + 1, sizeof(**arr)))
		return CX_ENOMEM;
	p = &(*arr)[*n];
	p->name = cx_strdup(name);
	p->value = cx_strdup(value ? value : "");
	if (p->name == NULL || p->value == NULL) {
		free(p->name);
		free(p->value);
		return CX_ENOMEM;
	}
	(*n)++;
	return CX_OK;
}

void cx_props_free(struct cx_prop *p, size_t n)
{
	size_t i;

	for (i = 0; p != NULL && i < n; i++) {
		free(p[i].name);
		free(p[i].value);
	}
	free(p);
}

int cx_obs_prop(struct cx_observation *o, const char *name, const char *value)
{
	return cx_props_add(&o->props, &o->n_props, &o->cap_props, name, value);
}

int cx_obs_propf(struct cx_observation *o, const char *name, const char *fmt,
                 ...)
{
	struct cx_buf b = {0};
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = cx_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc == CX_OK)
		rc = cx_obs_prop(o, name, b.data ? b.data : "");
	cx_buf_free(&b);
	return rc;
}

const char *cx_obs_get(const struct cx_observation *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->n_props; i++)
		if (strcmp(o->props[i].name, name) == 0)
			return o->props[i].value;
	return NULL;
}

void cx_host_obs_clear(struct cx_host_obs *h)
{
	if (h == NULL)
		return;
	free(h->addr);
	free(h->names);
	free(h->vantage);
	memset(h, 0, sizeof(*h));
}

void cx_port_obs_clear(struct cx_port_obs *p)
{
	if (p == NULL)
		return;
	free(p->addr);
	free(p->proto);
	free(p->reason);
	free(p->service);
	free(p->product);
	free(p->version);
	free(p->extra);
	free(p->inner);
	free(p->evidence);
	free(p->vantage);
	memset(p, 0, sizeof(*p));
}

void cx_observation_clear(struct cx_observation *o)
{
	if (o == NULL)
		return;
	cx_props_free(o->props, o->n_props);
	free(o->kind);
	free(o->asset);
	free(o->vantage);
	memset(o, 0, sizeof(*o));
}
