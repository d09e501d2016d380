/*
 * certexam — the case's texts that a run recorded, in the language of an
 * act.  The checks that transcribe the case (documents: the Annex 3
 * record; parts: 22(1) and 22(3)) record the default text of each field
 * (untagged, else the first given); when the act is drawn up in another
 * language, cx_run_case_texts() points those strings of the run at the
 * field's text in the language the object was localized to, and
 * cx_run_case_texts_undo() gives the run its own strings back.  Raw
 * evidence and everything the target sent are never touched.
 */
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/object.h"
#include "certexam/run.h"
#include "certexam/util.h"

static int push(struct cx_case_texts *s, char **slot, char *now, int owned)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 32;
		void *nv = realloc(s->v, cap * sizeof(*s->v));

		if (nv == NULL)
			return CX_ENOMEM;
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n].slot = slot;
	s->v[s->n].orig = *slot;
	s->v[s->n].owned = owned;
	s->n++;
	*slot = now;
	return CX_OK;
}

/* The whole text, when it is a field's default text. */
static int one(struct cx_case_texts *s, const struct cx_object *obj,
               char **slot)
{
	const char *t;

	if (*slot == NULL)
		return CX_OK;
	t = cx_object_text(obj, *slot);
	if (t == *slot || strcmp(t, *slot) == 0)
		return CX_OK;
	return push(s, slot, (char *)t, 0);
}

/* A list of names in «», each a field's default text (the sections of a
 * document: «a», «b»): each name in the act's language. */
static int quoted(struct cx_case_texts *s, const struct cx_object *obj,
                  char **slot)
{
	struct cx_buf b = {0};
	const char *p, *open, *close;
	char *name;
	int changed = 0, rc = CX_OK;

	if (*slot == NULL || strstr(*slot, "«") == NULL)
		return one(s, obj, slot);
	for (p = *slot; rc == CX_OK && (open = strstr(p, "«")) != NULL;
	     p = close + strlen("»")) {
		const char *t;

		open += strlen("«");
		close = strstr(open, "»");
		if (close == NULL)
			break;
		name = cx_strndup(open, (size_t)(close - open));
		if (name == NULL) {
			rc = CX_ENOMEM;
			break;
		}
		t = cx_object_text(obj, name);
		changed |= strcmp(t, name) != 0;
		rc = cx_buf_append(&b, p, (size_t)(open - p));
		if (rc == CX_OK)
			rc = cx_buf_puts(&b, t);
		if (rc == CX_OK)
			rc = cx_buf_puts(&b, "»");
		free(name);
	}
	if (rc == CX_OK)
		rc = cx_buf_puts(&b, p);
	if (rc == CX_OK && changed) {
		rc = push(s, slot, b.data, 1);
		if (rc == CX_OK)
			b.data = NULL;
	}
	cx_buf_free(&b);
	return rc;
}

int cx_run_case_texts(struct cx_run *run, const struct cx_object *obj,
                      struct cx_case_texts *s)
{
	size_t i, j;
	int rc = CX_OK;

	if (run == NULL || obj == NULL || obj->ltexts == NULL)
		return CX_OK;
	for (i = 0; i < run->n_findings && rc == CX_OK; i++) {
		struct cx_finding *f = &run->findings[i];

		if (f->check == NULL || (strcmp(f->check, "documents") != 0 &&
		                         strcmp(f->check, "parts") != 0))
			continue;
		rc = one(s, obj, &f->asset);
		if (rc == CX_OK)
			rc = one(s, obj, &f->observed);
		if (rc == CX_OK)
			rc = one(s, obj, &f->title);
		if (rc == CX_OK)
			rc = one(s, obj, &f->req_text);
		for (j = 0; j < f->n_args && rc == CX_OK; j++)
			rc = quoted(s, obj, &f->args[j].value);
	}
	for (i = 0; i < run->n_obs && rc == CX_OK; i++) {
		struct cx_observation *o = &run->obs[i];

		if (strcmp(o->kind, "annex3-document") != 0)
			continue;
		for (j = 0; j < o->n_props && rc == CX_OK; j++)
			if (strcmp(o->props[j].name, "title") == 0)
				rc = one(s, obj, &o->props[j].value);
	}
	if (rc != CX_OK)
		cx_run_case_texts_undo(s);
	return rc;
}

void cx_run_case_texts_undo(struct cx_case_texts *s)
{
	size_t i;

	for (i = s->n; i-- > 0;) {
		if (s->v[i].owned)
			free(*s->v[i].slot);
		*s->v[i].slot = s->v[i].orig;
	}
	free(s->v);
	memset(s, 0, sizeof(*s));
}
