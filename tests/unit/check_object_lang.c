/*
 * certexam — unit tests for the free texts of object.xml given in several
 * languages (xml:lang, scanner/case/ltext.c): every multilingual field in
 * its default text and after cx_object_localize() to kk, ru and en, the
 * lookup of recorded texts (cx_object_text), the warnings about a language
 * a field lacks, and the errors (a language twice, an unknown xml:lang, an
 * element given twice, a required one missing).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/case_msg.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/object.h"
#include "certexam/util.h"
#include "diag_util.h"

#define DATA   CX_TEST_DATA "/object"
#define SCHEMA CX_SOURCE_PROFILES "/schema"

static void dump(const struct cx_diags *d)
{
	size_t i;

	if (getenv("CX_TEST_VERBOSE") == NULL)
		return;
	for (i = 0; i < d->n; i++)
		fprintf(stderr, "  %s:%ld: [%s] %s: %s\n", d->items[i].file,
		        d->items[i].line, d->items[i].field,
		        d->items[i].is_warning ? "warning" : "error",
		        d->items[i].message);
}

static struct cx_object *load(struct cx_diags *d)
{
	struct cx_object *o = NULL;

	ck_assert_int_eq(cx_object_load(DATA "/multilang.xml", SCHEMA, &o, d),
	                 CX_OK);
	dump(d);
	ck_assert_ptr_nonnull(o);
	return o;
}

/* One field in each language: kk, ru, en, and the default (NULL). */
struct want {
	const char *kk, *ru, *en, *def;
};

static const char *pick(const struct want *w, const char *lang)
{
	if (lang == NULL)
		return w->def;
	return strcmp(lang, "kk") == 0   ? w->kk
	       : strcmp(lang, "ru") == 0 ? w->ru
	                                 : w->en;
}

/* Every multilingual field of multilang.xml, in the order of got[]. */
static const struct want wants[] = {
    /* name: kk, ru, en; no untagged: the default is the first (kk) */
    {"«Рұқсаттар тізілімі» ақпараттық жүйесі",
     "Информационная система «Реестр разрешений»",
     "Information system \"Register of Permits\"",
     "«Рұқсаттар тізілімі» ақпараттық жүйесі"},
    /* short-name: untagged only, the same in every act */
    {"RP", "RP", "RP", "RP"},
    /* lifecycle: ru first, kk; en falls back to the first (ru) */
    {"өнеркәсіптік пайдалану", "промышленная эксплуатация",
     "промышленная эксплуатация", "промышленная эксплуатация"},
    /* possessor/name: untagged, kk, ru: en and the default untagged */
    {"Мысалдар министрлігі", "Министерство примеров", "Ministry (untagged)",
     "Ministry (untagged)"},
    {"Астана қ., Мысал к-сі, 1", "г. Астана, ул. Примерная, 1",
     "Астана қ., Мысал к-сі, 1", "Астана қ., Мысал к-сі, 1"},
    {"security@example.org", "security@example.org", "security@example.org",
     "security@example.org"},
    /* developer/name: en only */
    {"Example Developer LLP", "Example Developer LLP", "Example Developer LLP",
     "Example Developer LLP"},
    {"шектеулі таратылатын", "ограниченного распространения",
     "limited distribution", "шектеулі таратылатын"},
    {"«Электрондық үкімет» шлюзі", "Шлюз «электронного правительства»",
     "«Электрондық үкімет» шлюзі", "«Электрондық үкімет» шлюзі"},
    {"Ұлттық оператор АҚ", "АО «Национальный оператор»", "Ұлттық оператор АҚ",
     "Ұлттық оператор АҚ"},
    {"TLS арқылы SOAP", "SOAP поверх TLS", "TLS арқылы SOAP",
     "TLS арқылы SOAP"},
    /* document 1: title; section 1 (attribute), section 2 (elements) */
    {"Ақпараттық қауіпсіздік саясаты", "Политика информационной безопасности",
     "Ақпараттық қауіпсіздік саясаты", "Ақпараттық қауіпсіздік саясаты"},
    {"scope", "scope", "scope", "scope"},
    {"рөлдер", "роли", "рөлдер", "рөлдер"},
    /* document 10: note */
    {"Құпиясөздің ұзындығы көрсетілмеген.", "Длина пароля не указана.",
     "Құпиясөздің ұзындығы көрсетілмеген.",
     "Құпиясөздің ұзындығы көрсетілмеген."},
    /* examiner: name attribute, position elements; head: elements */
    {"А. Ахметов", "А. Ахметов", "А. Ахметов", "А. Ахметов"},
    {"Бас сарапшы", "Главный эксперт", "Бас сарапшы", "Бас сарапшы"},
    {"С. Нурланов", "С. Нурланов", "С. Нурланов", "С. Нурланов"},
    {"Филиал директоры", "Директор филиала", "Филиал директоры",
     "Филиал директоры"},
    /* 22(3) items: examiner, note; the examiner's own item's title */
    {"Б. Серікова", "Б. Серикова", "Б. Серікова", "Б. Серікова"},
    {"Сақтық көшірме жасау тәртібі сипатталмаған.",
     "Порядок резервного копирования не описан.",
     "Сақтық көшірме жасау тәртібі сипатталмаған.",
     "Сақтық көшірме жасау тәртібі сипатталмаған."},
    {"Өз тармағы", "Собственный пункт", "Өз тармағы", "Өз тармағы"},
};

static void check_lang(const struct cx_object *o, const char *lang)
{
	const char *got[CX_ARRAY_LEN(wants)];
	size_t i, n = 0;

	got[n++] = o->name;
	got[n++] = o->short_name;
	got[n++] = o->lifecycle;
	got[n++] = o->possessor.name;
	got[n++] = o->possessor.address;
	got[n++] = o->possessor.contact;
	got[n++] = o->developer.name;
	got[n++] = o->processing;
	ck_assert_uint_eq(o->n_integrations, 1);
	got[n++] = o->integrations[0].name;
	got[n++] = o->integrations[0].possessor;
	got[n++] = o->integrations[0].interaction;
	ck_assert_uint_eq(o->n_documents, 2);
	got[n++] = o->documents[0].title;
	ck_assert_uint_eq(o->documents[0].n_sections, 2);
	got[n++] = o->documents[0].sections[0].name;
	got[n++] = o->documents[0].sections[1].name;
	got[n++] = o->documents[1].note;
	ck_assert_uint_eq(o->n_examiners, 1);
	got[n++] = o->examiners[0].name;
	got[n++] = o->examiners[0].position;
	got[n++] = o->head.name;
	got[n++] = o->head.position;
	ck_assert_uint_eq(o->part3.n_items, 2);
	got[n++] = o->part3.items[0].examiner;
	got[n++] = o->part3.items[0].note;
	got[n++] = o->part3.items[1].title;
	ck_assert_uint_eq(n, CX_ARRAY_LEN(wants));
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(got[i]);
		ck_assert_msg(strcmp(got[i], pick(&wants[i], lang)) == 0,
		              "field %zu in %s: \"%s\", not \"%s\"", i,
		              lang ? lang : "default", got[i],
		              pick(&wants[i], lang));
	}
	/* The prohibitions: one list per language (en: the first, kk). */
	if (lang != NULL && strcmp(lang, "ru") == 0) {
		ck_assert_uint_eq(o->n_prohibitions, 3);
		ck_assert_str_eq(o->prohibitions[2], "третий запрет");
	} else {
		ck_assert_uint_eq(o->n_prohibitions, 2);
		ck_assert_str_eq(o->prohibitions[0], "бірінші тыйым");
		ck_assert_str_eq(o->prohibitions[1], "екінші тыйым");
	}
	/* Not texts: as written, whatever the language. */
	ck_assert_str_eq(o->possessor.bin, "160240000127");
	ck_assert_str_eq(o->documents[1].status, "deficient");
	ck_assert_str_eq(o->languages, "kk ru");
}

START_TEST(test_every_field)
{
	static const char *const langs[] = {"kk", "ru", "en", NULL,
	                                    "ru", "de", "kk"};
	struct cx_diags d = {0};
	struct cx_object *o = load(&d);
	size_t i;

	ck_assert_uint_eq(cx_diag_errors(&d), 0);
	check_lang(o, NULL);
	for (i = 0; i < CX_ARRAY_LEN(langs); i++) {
		cx_object_localize(o, langs[i]);
		/* an unknown language is the default */
		check_lang(o, langs[i] && strcmp(langs[i], "de") == 0
		                  ? NULL
		                  : langs[i]);
	}
	cx_object_free(o);
	cx_object_localize(NULL, "kk");
	cx_diags_free(&d);
}
END_TEST

/* A run records the default text (the checks see the object as loaded);
 * the act asks for it in its language. */
START_TEST(test_recorded_text)
{
	struct cx_diags d = {0};
	struct cx_object *o = load(&d);
	const char *note = "Құпиясөздің ұзындығы көрсетілмеген.";
	const char *other = "Not a text of the case";

	ck_assert_str_eq(cx_object_text(o, note), note);
	cx_object_localize(o, "ru");
	ck_assert_str_eq(cx_object_text(o, note), "Длина пароля не указана.");
	ck_assert_str_eq(cx_object_text(o, "Ministry (untagged)"),
	                 "Министерство примеров");
	ck_assert_str_eq(cx_object_text(o, "Б. Серікова"), "Б. Серикова");
	ck_assert_ptr_eq(cx_object_text(o, other), other);
	/* A document without its own title: the Annex's, in three
	 * languages, English the default. */
	ck_assert_str_eq(o->documents[1].title,
	                 "Правила организации процедуры аутентификации");
	ck_assert_str_eq(cx_object_text(o, cx_annex3_title(10)),
	                 "Правила организации процедуры аутентификации");
	ck_assert_ptr_null(cx_object_text(o, NULL));
	ck_assert_ptr_eq(cx_object_text(NULL, other), other);
	cx_object_localize(o, "en");
	ck_assert_str_eq(cx_object_text(o, "Ministry (untagged)"),
	                 "Ministry (untagged)");
	ck_assert_str_eq(cx_object_text(o, note), note);
	cx_object_localize(o, NULL);
	ck_assert_str_eq(cx_object_text(o, note), note);
	cx_object_free(o);
	cx_diags_free(&d);
}
END_TEST

/* The acts of <languages> (kk ru): a field without one of them is
 * named, with what the act prints instead; no other warning. */
START_TEST(test_missing_language_warned)
{
	struct cx_diags d = {0};
	struct cx_object *o = load(&d);

	ck_assert(diag_match(&d, "multilang.xml", 20, "developer/name",
	                     "no text with xml:lang=\"kk\": the kk act prints "
	                     "the en (first given) text",
	                     1));
	ck_assert(diag_match(&d, "multilang.xml", 20, "developer/name",
	                     "xml:lang=\"ru\"", 1));
	ck_assert_uint_eq(d.n, 2);
	cx_object_free(o);
	cx_diags_free(&d);
}
END_TEST

START_TEST(test_errors)
{
	static const struct {
		long line;
		const char *field, *text;
	} want[] = {
	    {5, "name", "xml:lang=\"kk\" is given twice (first on line 4)"},
	    {6, "short-name", "xml:lang \"de\""},
	    {9, "possessor/address", "without xml:lang is given twice"},
	    {11, "bin", "<bin> is given twice in <possessor>"},
	    {13, "type", "<type> is given twice in <object> (first on line 3)"},
	    {2, "uses-crypto", "<uses-crypto> is missing"},
	    {16, "prohibitions", "xml:lang=\"ru\" is given twice"},
	    {20, "section@name", "without xml:lang is given twice"},
	    {21, "section@name", "without its name"},
	};
	struct cx_diags d = {0};
	struct cx_object *o = NULL;
	size_t i;

	ck_assert_int_eq(
	    cx_object_load(DATA "/multilang-bad.xml", SCHEMA, &o, &d),
	    CX_ESCHEMA);
	dump(&d);
	ck_assert_ptr_null(o);
	for (i = 0; i < CX_ARRAY_LEN(want); i++)
		ck_assert_msg(diag_match(&d, "multilang-bad.xml", want[i].line,
		                         want[i].field, want[i].text, 0),
		              "line %ld: no [%s] %s", want[i].line,
		              want[i].field, want[i].text);
	ck_assert_uint_eq(cx_diag_errors(&d), CX_ARRAY_LEN(want));
	cx_diags_free(&d);
}
END_TEST

/*
 * Every problem of the multilingual reader has a message id (pkg.ltext.*)
 * with its parameters: worded in en it is the reader's text, in kk and ru
 * other words with every placeholder filled.
 */
START_TEST(test_problems_worded)
{
	static const char *const langs[] = {"en", "kk", "ru"};
	struct cx_catalog *cat[3] = {NULL};
	struct cx_diags d = {0};
	struct cx_object *o = NULL;
	struct cx_buf b = {0};
	size_t i, k, ids = 0;

	for (k = 0; k < 3; k++)
		ck_assert_int_eq(cx_catalog_load_lang(CX_SOURCE_PROFILES
		                                      "/i18n",
		                                      langs[k], &cat[k], &d),
		                 0);
	(void)cx_object_load(DATA "/multilang-bad.xml", SCHEMA, &o, &d);
	cx_object_free(o);
	o = load(&d);
	cx_object_free(o);
	for (i = 0; i < d.n; i++) {
		const struct cx_diag *g = &d.items[i];

		if (g->msg == NULL || strncmp(g->msg, "pkg.ltext.", 10) != 0)
			continue;
		ids++;
		for (k = 0; k < 3; k++) {
			b.len = 0;
			ck_assert_int_eq(cx_case_msg_args(&b, cat[k], g->msg,
			                                  g->args, g->message),
			                 0);
			ck_assert_ptr_nonnull(b.data);
			ck_assert_ptr_null(strchr(b.data, '{'));
			if (k == 0)
				ck_assert_str_eq(b.data, g->message);
			else
				ck_assert_str_ne(b.data, g->message);
		}
	}
	/* multilang-bad.xml: five errors (lines 5, 6, 9, 16, 20) and two
	 * fields lacking a language; multilang.xml: one field lacking two */
	ck_assert_uint_eq(ids, 9);
	for (k = 0; k < 3; k++)
		cx_catalog_free(cat[k]);
	cx_buf_free(&b);
	cx_diags_free(&d);
}
END_TEST

static Suite *object_lang_suite(void)
{
	Suite *s = suite_create("object_lang");
	TCase *tc = tcase_create("object_lang");

	tcase_add_test(tc, test_every_field);
	tcase_add_test(tc, test_recorded_text);
	tcase_add_test(tc, test_missing_language_warned);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_problems_worded);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(object_lang_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
