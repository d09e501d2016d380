/*
 * Unit tests: the words of the case loaders' problems in the terminal's
 * language (issue 9 item 1).  Every problem of the object.xml loader
 * (scanner/case/object_load.c, object_exam.c; ltext.c's pkg.ltext.* too), of
 * the XML reader and of libxml2's schema and syntax errors (scanner/case/
 * xmlsafe.c: our sentence naming the element, libxml2's text as the raw
 * detail) and of the working-day calendar (scanner/case/calendar.c)
 * carries a message id with parameters: rendered in Russian and Kazakh
 * it holds no English sentence outside the raw values, and in English it
 * is exactly the diagnostic's message.  The catalogs' texts of those ids
 * hold no English either.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certexam/act.h"
#include "certexam/calendar.h"
#include "certexam/case_msg.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/merge.h"
#include "certexam/object.h"
#include "certexam/run.h"
#include "certexam/util.h"
#include "diag_util.h"

#define DATA   CX_TEST_DATA "/object"
#define SCHEMA CX_SOURCE_PROFILES "/schema"
#define I18N   CX_SOURCE_PROFILES "/i18n"

static struct cx_catalog *kk, *ru, *en;

static struct cx_catalog *load(const char *lang)
{
	struct cx_catalog *cat = NULL;
	struct cx_diags d = {0};

	ck_assert_int_eq(cx_catalog_load_lang(I18N, lang, &cat, &d), 0);
	cx_diags_free(&d);
	return cat;
}

static void setup(void)
{
	kk = load("kk");
	ru = load("ru");
	en = load("en");
}

static void teardown(void)
{
	cx_catalog_free(kk);
	cx_catalog_free(ru);
	cx_catalog_free(en);
}

/* Every diagnostic of d worded in kk and ru, en its message. */
static void assert_worded(const struct cx_diags *d, const char *what)
{
	const char *why;

	ck_assert_msg(d->n > 0, "%s: no diagnostic", what);
	why = diags_not_worded(d, ru, en);
	ck_assert_msg(why == NULL, "%s: ru: %s", what, why);
	why = diags_not_worded(d, kk, NULL);
	ck_assert_msg(why == NULL, "%s: kk: %s", what, why);
}

/* 1 if a diagnostic of d has message id msg. */
static int has_id(const struct cx_diags *d, const char *msg)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->items[i].msg != NULL &&
		    strcmp(d->items[i].msg, msg) == 0)
			return 1;
	return 0;
}

static void assert_ids(const struct cx_diags *d, const char *const *ids)
{
	size_t i;

	for (i = 0; ids[i] != NULL; i++)
		ck_assert_msg(has_id(d, ids[i]), "no diagnostic %s", ids[i]);
}

/* The loader's own checks, without the schema (which would refuse most
 * of them first): words.xml has one of each. */
START_TEST(object_loader)
{
	static const char *const ids[] = {"pkg.object.bin-form",
	                                  "pkg.object.bin-control",
	                                  "pkg.object.date",
	                                  "pkg.object.scope-empty",
	                                  "pkg.object.scope-entry",
	                                  "pkg.object.port",
	                                  "pkg.object.service-host",
	                                  "pkg.object.integration-name",
	                                  "pkg.object.section-name",
	                                  "pkg.object.doc-number",
	                                  "pkg.object.doc-twice",
	                                  "pkg.object.anchor-path",
	                                  "pkg.object.twice",
	                                  "pkg.object.missing",
	                                  "pkg.object.type",
	                                  "pkg.object.contract-early",
	                                  "pkg.object.item-no-id",
	                                  "pkg.object.item-twice",
	                                  "pkg.ltext.twice",
	                                  "pkg.ltext.bad-lang",
	                                  NULL};
	static const char *const whys[] = {
	    "pkg.object.scope.before-slash", "pkg.object.scope.prefix-v4",
	    "pkg.object.scope.prefix-v6",    "pkg.object.scope.before-dash",
	    "pkg.object.scope.range-octet",  "pkg.object.scope.range-end",
	    "pkg.object.scope.range-mixed",  "pkg.object.scope.range-reversed",
	    "pkg.object.scope.ipv4"};
	struct cx_diags d = {0};
	struct cx_object *o = NULL;
	size_t i, k, n;

	ck_assert_int_eq(cx_object_load(DATA "/words.xml", NULL, &o, &d),
	                 CX_ESCHEMA);
	ck_assert_ptr_null(o);
	assert_worded(&d, "words.xml");
	assert_ids(&d, ids);
	/* Every reason a scope entry is not an address, worded. */
	for (k = 0; k < CX_ARRAY_LEN(whys); k++) {
		for (i = n = 0; i < d.n; i++)
			for (size_t a = 0;
			     d.items[i].args != NULL && d.items[i].args[a];
			     a += 2)
				if (strcmp(d.items[i].args[a + 1], whys[k]) ==
				    0)
					n++;
		ck_assert_msg(n == 1, "%s: %zu times", whys[k], n);
	}
	/* The Russian words, with the values as given. */
	{
		struct cx_buf b = {0};
		for (i = 0; i < d.n; i++)
			if (strcmp(d.items[i].msg, "pkg.object.port") == 0)
				ck_assert_int_eq(
				    cx_case_msg_args(&b, ru, d.items[i].msg,
				                     d.items[i].args, NULL),
				    0);
		ck_assert_str_eq(
		    b.data, "порт «http» не является числом от 1 до 65535");
		cx_buf_free(&b);
	}
	cx_diags_free(&d);
}
END_TEST

/* With the schema: libxml2's errors wrapped in our sentence; the other
 * fixtures of check_object (schema, semantics, scope, languages). */
START_TEST(object_fixtures)
{
	static const char *const files[] = {
	    "invalid-schema.xml",    "semantic.xml",       "bad-scope.xml",
	    "multilang.xml",         "multilang-bad.xml",  "wrong-root.xml",
	    "not-wellformed.xml",    "xxe-file.xml",       "truncated.xml",
	    "undeclared-entity.xml", "billion-laughs.xml", "missing.xml"};
	struct cx_diags all = {0};
	size_t i, j;

	for (i = 0; i < CX_ARRAY_LEN(files); i++) {
		struct cx_diags d = {0};
		struct cx_object *o = NULL;
		char *path = cx_path_join(DATA, files[i]);

		ck_assert_ptr_nonnull(path);
		(void)cx_object_load(path, SCHEMA, &o, &d);
		cx_object_free(o);
		assert_worded(&d, files[i]);
		for (j = 0; j < d.n; j++) {
			ck_assert_int_eq(cx_diag_add(&all, "f", 0, NULL, "%s",
			                             d.items[j].message),
			                 0);
			ck_assert_int_eq(
			    cx_diag_set_msg(&all, d.items[j].msg, NULL), 0);
		}
		cx_diags_free(&d);
		free(path);
	}
	{
		static const char *const ids[] = {
		    "pkg.xml.schema-at",      "pkg.xml.syntax",
		    "pkg.object.root",        "pkg.xml.doctype",
		    "pkg.xml.no-file",        "pkg.ltext.missing-lang",
		    "pkg.object.bin-control", NULL};
		assert_ids(&all, ids);
	}
	cx_diags_free(&all);
}
END_TEST

/* The wrapped libxml2 error: our words name the element, libxml2's text
 * follows as the raw detail. */
START_TEST(schema_error_wrapped)
{
	struct cx_diags d = {0};
	struct cx_object *o = NULL;
	struct cx_buf b = {0};
	size_t i;
	int seen = 0;

	(void)cx_object_load(DATA "/invalid-schema.xml", SCHEMA, &o, &d);
	cx_object_free(o);
	for (i = 0; i < d.n; i++) {
		const struct cx_diag *g = &d.items[i];
		if (g->line != 10 || g->msg == NULL ||
		    strcmp(g->msg, "pkg.xml.schema-at") != 0)
			continue;
		b.len = 0;
		ck_assert_int_eq(
		    cx_case_msg_args(&b, ru, g->msg, g->args, NULL), 0);
		ck_assert_msg(
		    strncmp(b.data,
		            "элемент или атрибут «distributed» не "
		            "соответствует схеме документа (libxml2: ",
		            strlen("элемент или атрибут «distributed» "
		                   "не соответствует схеме документа "
		                   "(libxml2: ")) == 0,
		    "%s", b.data);
		ck_assert_ptr_nonnull(strstr(b.data, "maybe"));
		ck_assert_ptr_nonnull(strstr(g->message, "maybe"));
		seen = 1;
	}
	ck_assert(seen);
	cx_buf_free(&b);
	cx_diags_free(&d);
}
END_TEST

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fputs(text, f) >= 0, 1);
	ck_assert_int_eq(fclose(f), 0);
}

/* The calendar's problems, one file each. */
START_TEST(calendar)
{
	static const struct {
		const char *xml, *id;
	} cases[] = {
	    {"<calendar country=\"KZ\" year=\"2026\" complete=\"true\">"
	     "<source>t</source></calendar>",
	     "pkg.calendar.wrong-year"},
	    {"<calendar country=\"KZ\" year=\"2027\" complete=\"true\">"
	     "<source>t</source><holiday date=\"2026-05-01\" kind=\"state\" "
	     "name=\"x\"/></calendar>",
	     "pkg.calendar.holiday-year"},
	    {"<calendar country=\"KZ\" year=\"2027\" complete=\"true\">"
	     "<source>t</source><holiday date=\"2027-02-30\" kind=\"state\" "
	     "name=\"x\"/></calendar>",
	     "pkg.calendar.bad-date"},
	    {"<calendar country=\"KZ\" year=\"2027\" complete=\"true\">"
	     "<source>t</source><move from=\"2027-01-04\" to=\"2029-01-01\" "
	     "source=\"t\"/></calendar>",
	     "pkg.calendar.move-outside"},
	    {"<calendar country=\"KZ\" year=\"2027\" complete=\"maybe\">"
	     "<source>t</source></calendar>",
	     "pkg.xml.schema-at"},
	    {"<calendar country=\"KZ\" year=\"2027\"", "pkg.xml.syntax"},
	};
	char dir[] = "/tmp/cx-words-XXXXXX", *path;
	size_t i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	path = cx_path_join(dir, "KZ-2027.xml");
	ck_assert_ptr_nonnull(path);
	for (i = 0; i < CX_ARRAY_LEN(cases); i++) {
		struct cx_calendar *c = NULL;
		struct cx_diags d = {0};

		write_text(path, cases[i].xml);
		ck_assert_int_ne(
		    cx_calendar_load(dir, SCHEMA, 2027, 2027, &c, &d), 0);
		ck_assert_ptr_null(c);
		assert_worded(&d, cases[i].id);
		ck_assert_msg(has_id(&d, cases[i].id), "no %s", cases[i].id);
		cx_diags_free(&d);
	}
	remove(path);
	{
		struct cx_calendar *c = NULL;
		struct cx_diags d = {0};

		ck_assert_int_eq(
		    cx_calendar_load(dir, SCHEMA, 2027, 2028, &c, &d),
		    CX_ENOENT);
		assert_worded(&d, "no calendar");
		ck_assert(has_id(&d, "pkg.calendar.none"));
		cx_diags_free(&d);
	}
	free(path);
	rmdir(dir);
}
END_TEST

/* merge's refusals (scanner/record/merge.c), before any run is read. */
START_TEST(merge_refusals)
{
	static const char *const what[] = {
	    "pkg.merge.what.profiles", "pkg.merge.what.profile-versions",
	    "pkg.merge.what.objects", "pkg.merge.what.kinds"};
	struct cx_run *a = cx_run_new(), *b = cx_run_new(), *out = NULL;
	struct cx_run *in[2];
	size_t i;

	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	in[0] = a;
	in[1] = b;
	{
		struct cx_diags d = {0};
		ck_assert_int_eq(
		    cx_run_merge(in, 0, "/nonexistent", 0, NULL, &out, &d),
		    CX_EINVAL);
		assert_worded(&d, "nothing to merge");
		ck_assert(has_id(&d, "pkg.merge.nothing"));
		cx_diags_free(&d);
	}
	for (i = 0; i <= CX_ARRAY_LEN(what); i++) {
		struct cx_diags d = {0};
		free(a->profile_id);
		free(b->profile_id);
		free(a->profile_version);
		free(b->profile_version);
		free(a->object_name);
		free(b->object_name);
		free(a->kind);
		free(b->kind);
		a->profile_id = cx_strdup("information-system");
		b->profile_id = cx_strdup(i == 0 ? "internet-resource"
		                                 : "information-system");
		a->profile_version = cx_strdup("2026.1");
		b->profile_version = cx_strdup(i == 1 ? "2027.1" : "2026.1");
		a->object_name = cx_strdup("Registry");
		b->object_name = cx_strdup(i == 2 ? "Portal" : "Registry");
		a->kind = cx_strdup("examination");
		b->kind = cx_strdup(i == 3 ? "additional" : "examination");
		a->complete = 1;
		b->complete = i < CX_ARRAY_LEN(what);
		ck_assert_int_eq(
		    cx_run_merge(in, 2, "/nonexistent", 0, NULL, &out, &d),
		    CX_EINVAL);
		ck_assert_ptr_null(out);
		assert_worded(&d,
		              i < CX_ARRAY_LEN(what) ? what[i] : "incomplete");
		if (i < CX_ARRAY_LEN(what)) {
			ck_assert(has_id(&d, "pkg.merge.differ"));
			ck_assert_str_eq(d.items[0].args[1], what[i]);
		} else {
			ck_assert(has_id(&d, "pkg.merge.incomplete"));
		}
		cx_diags_free(&d);
	}
	cx_run_free(a);
	cx_run_free(b);
}
END_TEST

/* A malformed line of the case's register of acts. */
START_TEST(register_line)
{
	static const char bad[] = "STS/1\t2026-11-21\texamination\t1\n"
	                          "STS/2\tyesterday\tother\n";
	struct cx_act_register reg = {0};
	struct cx_diags d = {0};

	ck_assert_int_eq(cx_act_register_parse(bad, sizeof(bad) - 1,
	                                       "register.tsv", &reg, &d),
	                 CX_EPARSE);
	assert_worded(&d, "register.tsv");
	ck_assert(has_id(&d, "act.register.bad-line"));
	ck_assert_int_eq(d.items[0].line, 2);
	cx_act_register_free(&reg);
	cx_diags_free(&d);
}
END_TEST

/* The catalogs' own texts of these ids: no English sentence in kk and ru
 * (the placeholders taken out). */
START_TEST(catalog_texts)
{
	static const char *const prefixes[] = {"pkg.object.", "pkg.xml.",
	                                       "pkg.ltext.", "pkg.calendar.",
	                                       "cert.ready."};
	const struct cx_catalog *cats[] = {kk, ru};
	const char *e;
	size_t n = 0;

	e = catalog_english(en, cats, prefixes, CX_ARRAY_LEN(prefixes), &n);
	ck_assert_msg(e == NULL, "%s", e);
	ck_assert_uint_gt(n, 60);
}
END_TEST

/* The detector itself: it finds English and leaves raw values alone. */
START_TEST(detector)
{
	static const char *const raw[] = {"Element 'x': not valid", NULL};

	ck_assert_ptr_nonnull(english_in("порт is not a number", NULL));
	ck_assert_str_eq(english_in("the host", NULL), "the host");
	ck_assert_ptr_null(english_in("порт «http» не число", NULL));
	ck_assert_ptr_null(english_in("IPv4 и IPv6, kk, ru или en", NULL));
	ck_assert_ptr_null(english_in("(KZ-ГГГГ.xml) xml:lang <object>", NULL));
	ck_assert_ptr_null(english_in(
	    "не соответствует (libxml2: Element 'x': not valid)", raw));
	ck_assert_ptr_nonnull(english_in("Element 'x': not valid", NULL));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("case_words");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, detector);
	tcase_add_test(tc, object_loader);
	tcase_add_test(tc, object_fixtures);
	tcase_add_test(tc, schema_error_wrapped);
	tcase_add_test(tc, calendar);
	tcase_add_test(tc, merge_refusals);
	tcase_add_test(tc, register_line);
	tcase_add_test(tc, catalog_texts);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
