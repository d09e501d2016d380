/*
 * certexam — the examination sections of object.xml: the examiners and
 * the head who approves the act, the languages of the acts, and the parts
 * of paragraph 22 that only the examiner records, 22(1) and 22(3).  The
 * tool never fills a part itself: an absent section is a part not
 * performed, an item without a status is not checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/object.h"
#include "certexam/util.h"
#include "ltext.h"
#include "object_exam.h"
#include "xmlsafe.h"

static const char *const part1_ids[] = {
    "application", "composition", "diagrams", "scope", NULL,
};
static const char *const part1_msgs[] = {
    "part.1.item.application",
    "part.1.item.composition",
    "part.1.item.diagrams",
    "part.1.item.scope",
};
static const char *const part3_ids[] = {
    "org-docs", "ops-docs", "td-implementation", "premises", NULL,
};
static const char *const part3_msgs[] = {
    "part.3.item.org-docs",
    "part.3.item.ops-docs",
    "part.3.item.td-implementation",
    "part.3.item.premises",
};

const char *const *cx_part_items(int part)
{
	return part == 1 ? part1_ids : part == 3 ? part3_ids : NULL;
}

const char *cx_part_item_msg(int part, const char *id)
{
	const char *const *ids = cx_part_items(part);
	size_t i;

	for (i = 0; ids != NULL && id != NULL && ids[i] != NULL; i++)
		if (strcmp(ids[i], id) == 0)
			return part == 1 ? part1_msgs[i] : part3_msgs[i];
	return NULL;
}

const char *cx_part_source_msg(int part)
{
	return part == 1 ? "part.1.source" : part == 3 ? "part.3.source" : NULL;
}

/* An attribute or child text, NULL when absent or empty; *oom on ENOMEM. */
static char *nonempty(char *s, int had, int *oom)
{
	if (s == NULL && had)
		*oom = 1;
	if (s != NULL && s[0] == '\0') {
		free(s);
		s = NULL;
	}
	return s;
}

static char *attr(xmlNodePtr n, const char *name, int *oom)
{
	int had = n != NULL && xmlHasProp(n, (const xmlChar *)name) != NULL;

	return nonempty(had ? cx_xml_attr(n, name) : NULL, had, oom);
}

static char *child(xmlNodePtr n, const char *name, int *oom)
{
	xmlNodePtr c = cx_xml_child(n, name);

	return nonempty(c ? cx_xml_text(c) : NULL, c != NULL, oom);
}

/* name and position: attributes (untagged) or elements with xml:lang. */
static void person(struct cx_lt_reader *r, xmlNodePtr n, const char *what,
                   struct cx_person *p)
{
	char f[32];

	snprintf(f, sizeof(f), "%s@name", what);
	cx_lt_field(r, n, "name", "name", f, &p->name);
	snprintf(f, sizeof(f), "%s@position", what);
	cx_lt_field(r, n, "position", "position", f, &p->position);
}

static int load_part(struct cx_lt_reader *lr, xmlNodePtr root, const char *name,
                     struct cx_part_record *r, int *oom)
{
	const char *file = lr->file;
	struct cx_diags *d = lr->d;
	xmlNodePtr list = cx_xml_child(root, name), c;
	size_t n = 0, j;

	if (list == NULL)
		return CX_OK;
	r->recorded = 1;
	for (c = cx_xml_child(list, "item"); c != NULL;
	     c = cx_xml_next(c, "item"))
		n++;
	if (n == 0)
		return CX_OK;
	r->items = calloc(n, sizeof(*r->items));
	if (r->items == NULL)
		return CX_ENOMEM;
	for (c = cx_xml_child(list, "item"); c != NULL;
	     c = cx_xml_next(c, "item")) {
		struct cx_part_item *it = &r->items[r->n_items++];
		it->line = cx_xml_line(c);
		it->id = attr(c, "id", oom);
		it->status = attr(c, "status", oom);
		cx_lt_field(lr, c, "examiner", "examiner", "item@examiner",
		            &it->examiner);
		cx_lt_field(lr, c, "title", NULL, "item/title", &it->title);
		cx_lt_field(lr, c, "note", NULL, "item/note", &it->note);
		if (it->id == NULL) {
			if (cx_diag_add(d, file, it->line, "item@id",
			                "an item of <%s> without its id",
			                name) ||
			    cx_diag_set_msg(d, "pkg.object.item-no-id",
			                    CX_ARGS("list", name)))
				return CX_ENOMEM;
			continue;
		}
		/* Ids are unique within a part (a short list: at most 64). */
		for (j = 0; j + 1 < r->n_items; j++) {
			char first[24];
			if (r->items[j].id == NULL ||
			    strcmp(r->items[j].id, it->id) != 0)
				continue;
			snprintf(first, sizeof(first), "%ld", r->items[j].line);
			if (cx_diag_add(d, file, it->line, "item@id",
			                "item \"%s\" of <%s> is recorded twice "
			                "(first on line %ld)",
			                it->id, name, r->items[j].line) ||
			    cx_diag_set_msg(d, "pkg.object.item-twice",
			                    CX_ARGS("id", it->id, "list", name,
			                            "line", first)))
				return CX_ENOMEM;
		}
	}
	return CX_OK;
}

int cx_object_load_exam(xmlNodePtr root, struct cx_object *o,
                        struct cx_lt_reader *r)
{
	xmlNodePtr ex = cx_xml_child(root, "examiners"), c;
	size_t n = 0;
	int oom = 0, rc;

	if (ex != NULL) {
		for (c = cx_xml_child(ex, "examiner"); c != NULL;
		     c = cx_xml_next(c, "examiner"))
			n++;
		if (n > 0) {
			o->examiners = calloc(n, sizeof(*o->examiners));
			if (o->examiners == NULL)
				return CX_ENOMEM;
		}
		for (c = cx_xml_child(ex, "examiner"); c != NULL;
		     c = cx_xml_next(c, "examiner"))
			person(r, c, "examiner",
			       &o->examiners[o->n_examiners++]);
		c = cx_xml_child(ex, "head");
		if (c != NULL)
			person(r, c, "head", &o->head);
	}
	o->languages = child(root, "languages", &oom);
	rc = load_part(r, root, "preliminary-analysis", &o->part1, &oom);
	if (rc == CX_OK)
		rc = load_part(r, root, "site-examination", &o->part3, &oom);
	if (rc == CX_OK && oom)
		rc = CX_ENOMEM;
	return rc;
}

static void free_part(struct cx_part_record *r)
{
	size_t i;

	for (i = 0; i < r->n_items; i++) {
		free(r->items[i].id);
		free(r->items[i].title);
		free(r->items[i].status);
		free(r->items[i].note);
		free(r->items[i].examiner);
	}
	free(r->items);
	memset(r, 0, sizeof(*r));
}

void cx_object_free_exam(struct cx_object *o)
{
	size_t i;

	for (i = 0; i < o->n_examiners; i++) {
		free(o->examiners[i].name);
		free(o->examiners[i].position);
	}
	free(o->examiners);
	o->examiners = NULL;
	o->n_examiners = 0;
	free(o->head.name);
	free(o->head.position);
	free(o->languages);
	free_part(&o->part1);
	free_part(&o->part3);
}
