/*
 * certexam — unit tests for what the profile and catalogue loaders
 * (scanner/case/profile.c, catalogue.c) and the safe XML layer they read
 * through (scanner/case/xmlsafe.c) refuse: schema violations, references
 * outside the catalogue, malformed XML, XXE, unreadable files, the size
 * cap; each with the diagnostic naming file, line and field.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certexam/case_msg.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/lang.h"
#include "certexam/profile.h"
#include "certexam/util.h"
#include "xmlsafe.h"
#include "diag_util.h"
#include "profile_util.h"

#define DATA   CX_TEST_DATA "/profile"
#define SCHEMA CX_SOURCE_PROFILES "/schema"

START_TEST(test_invalid_against_schema)
{
	struct cx_diags d = {0};
	struct cx_profile *p = NULL;

	ck_assert_int_eq(
	    cx_profile_load(DATA "/bad-severity.xml", SCHEMA, &p, &d),
	    CX_ESCHEMA);
	ck_assert_ptr_null(p);
	ck_assert(
	    has_diag(&d, "bad-severity.xml", 8, "requirement", "catastrophic"));
	cx_diags_free(&d);

	ck_assert_int_eq(cx_profile_load(DATA "/dup-req.xml", SCHEMA, &p, &d),
	                 CX_ESCHEMA);
	ck_assert_ptr_null(p);
	ck_assert(has_diag(&d, "dup-req.xml", 12, "omit", "NET-01"));
	cx_diags_free(&d);
	/* Without the schema the loader refuses both on its own. */
	ck_assert_int_eq(cx_profile_load(DATA "/dup-req.xml", NULL, &p, &d),
	                 CX_ESCHEMA);
	ck_assert(has_diag(&d, "dup-req.xml", 12, "omit@ref", "twice"));
	cx_diags_free(&d);
	ck_assert_int_eq(
	    cx_profile_load(DATA "/bad-severity.xml", NULL, &p, &d),
	    CX_ESCHEMA);
	ck_assert(has_diag(&d, "bad-severity.xml", 8, "requirement@severity",
	                   "catastrophic"));
	cx_diags_free(&d);
}
END_TEST

/* What the catalogue and the selection refuse beyond the schema. */
START_TEST(test_catalogue_refusals)
{
	struct cx_diags d = {0};
	struct cx_profile *p = NULL;

	ck_assert_int_eq(
	    cx_profile_load(DATA "/unknown-ref.xml", SCHEMA, &p, &d),
	    CX_ESCHEMA);
	ck_assert_ptr_null(p);
	ck_assert(has_diag(&d, "unknown-ref.xml", 7, "requirement@ref",
	                   "not in catalogue test-regime"));
	cx_diags_free(&d);

	ck_assert_int_eq(cx_profile_load(DATA "/no-clause.xml", SCHEMA, &p, &d),
	                 CX_ESCHEMA);
	ck_assert(has_diag(&d, "no-clause/requirements.xml", 14,
	                   "requirement@kind", "names no <clause>"));
	ck_assert(has_diag(&d, "no-clause.xml", 2, "profile@extends",
	                   "cannot be loaded"));
	cx_diags_free(&d);

	/* Kazakh missing, English twice: the schema says so... */
	ck_assert_int_eq(
	    cx_profile_load(DATA "/missing-lang.xml", SCHEMA, &p, &d),
	    CX_ESCHEMA);
	ck_assert(has_diag(&d, "missing-lang/requirements.xml", 0, NULL, NULL));
	cx_diags_free(&d);
	/* ...and so does the loader without it. */
	ck_assert_int_eq(
	    cx_profile_load(DATA "/missing-lang.xml", NULL, &p, &d),
	    CX_ESCHEMA);
	ck_assert(has_diag(&d, "missing-lang/requirements.xml", 17, "text",
	                   "<text lang=\"en\"> is given twice"));
	ck_assert(has_diag(&d, "missing-lang/requirements.xml", 14, "text",
	                   "<text lang=\"kk\"> is missing"));
	ck_assert_ptr_null(p);
	cx_diags_free(&d);

	/* A catalogue that is not there. */
	ck_assert_int_eq(cx_profile_load_from(DATA "/minimal.xml",
	                                      "/nonexistent", SCHEMA, &p, &d),
	                 CX_ESCHEMA);
	ck_assert(
	    has_diag(&d, "minimal.xml", 2, "profile@extends", "test-regime"));
	ck_assert_ptr_null(p);
	cx_diags_free(&d);
}
END_TEST

START_TEST(test_not_wellformed)
{
	struct cx_diags d = {0};
	struct cx_profile *p = NULL;

	ck_assert_int_eq(
	    cx_profile_load(DATA "/not-wellformed.xml", SCHEMA, &p, &d),
	    CX_EPARSE);
	ck_assert_ptr_null(p);
	ck_assert_uint_ge(d.n, 1);
	ck_assert(has_diag(&d, "not-wellformed.xml", 5, NULL, "mismatch"));
	cx_diags_free(&d);
}
END_TEST

START_TEST(test_xxe_refused)
{
	struct cx_diags d = {0};
	struct cx_profile *p = NULL;

	ck_assert_int_eq(cx_profile_load(DATA "/xxe.xml", SCHEMA, &p, &d),
	                 CX_EPARSE);
	ck_assert_ptr_null(p);
	ck_assert(has_diag(&d, "xxe.xml", 2, "DOCTYPE", "not allowed"));
	ck_assert(!diags_mention(&d, "root:"));
	cx_diags_free(&d);
}
END_TEST

START_TEST(test_load_errors)
{
	struct cx_diags d = {0};
	struct cx_profile *p = NULL;
	char tmpl[] = "/tmp/cxprofXXXXXX";
	char *dir, *sdir, *xsd, *dst, *cdir, *cat, *data = NULL;
	size_t len = 0;

	ck_assert_int_eq(
	    cx_profile_load(DATA "/nonexistent.xml", SCHEMA, &p, &d),
	    CX_ENOENT);
	ck_assert(has_diag(&d, "nonexistent.xml", 0, NULL, NULL));
	cx_diags_free(&d);
	ck_assert_int_eq(
	    cx_profile_load_id(CX_SOURCE_PROFILES, "../etc/x", &p, &d),
	    CX_EINVAL);
	ck_assert_int_eq(cx_profile_load_id(CX_SOURCE_PROFILES, "", &p, &d),
	                 CX_EINVAL);
	ck_assert_int_eq(
	    cx_profile_load_id(CX_SOURCE_PROFILES, "Upper", &p, &d), CX_EINVAL);
	ck_assert_int_eq(
	    cx_profile_load_id(CX_SOURCE_PROFILES, "no-such", &p, &d),
	    CX_ENOENT);
	ck_assert_ptr_null(p);
	cx_diags_free(&d);

	/* A file whose id differs from its name is refused. */
	dir = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(dir);
	sdir = cx_path_join(dir, "schema");
	ck_assert_int_eq(cx_mkdir_p(sdir), 0);
	ck_assert_int_eq(
	    cx_read_file(SCHEMA "/profile.xsd", 1 << 20, &data, &len), 0);
	xsd = cx_path_join(sdir, "profile.xsd");
	ck_assert_int_eq(cx_write_file_atomic(xsd, data, len), 0);
	free(data);
	ck_assert_int_eq(
	    cx_read_file(DATA "/mismatch.xml", 1 << 20, &data, &len), 0);
	dst = cx_path_join(dir, "mismatch.xml");
	ck_assert_int_eq(cx_write_file_atomic(dst, data, len), 0);
	free(data);
	ck_assert_int_eq(cx_read_file(DATA "/test-regime/requirements.xml",
	                              1 << 20, &data, &len),
	                 0);
	cdir = cx_path_join(dir, "test-regime");
	ck_assert_int_eq(cx_mkdir_p(cdir), 0);
	cat = cx_path_join(cdir, "requirements.xml");
	ck_assert_int_eq(cx_write_file_atomic(cat, data, len), 0);
	free(data);
	ck_assert_int_eq(cx_profile_load_id(dir, "mismatch", &p, &d),
	                 CX_ESCHEMA);
	ck_assert_ptr_null(p);
	ck_assert(has_diag(&d, "mismatch.xml", 0, "profile@id", "other"));
	ck_assert_str_eq(d.items[d.n - 1].msg, "pkg.profile.id-mismatch");
	cx_diags_free(&d);
	unlink(dst);
	unlink(xsd);
	unlink(cat);
	rmdir(cdir);
	rmdir(sdir);
	rmdir(dir);
	free(cat);
	free(cdir);
	free(dst);
	free(xsd);
	free(sdir);
}
END_TEST

/* The XML layer on its own: helpers and the size cap. */
START_TEST(test_xmlsafe_helpers)
{
	static const char doc_text[] =
	    "<?xml version=\"1.0\"?>\n<a>\n  <b x=\"  v  \">  t&amp;u "
	    "</b>\n  <c/>\n  <b>second</b>\n</a>\n";
	struct cx_diags d = {0};
	xmlDocPtr doc = NULL;
	xmlNodePtr root, b, c;
	char *s, *big;
	size_t n;

	ck_assert_int_eq(cx_xml_parse_memory(doc_text, strlen(doc_text),
	                                     "mem.xml", &doc, &d),
	                 0);
	root = xmlDocGetRootElement(doc);
	ck_assert(cx_xml_is(root, "a"));
	b = cx_xml_child(root, "b");
	ck_assert_int_eq(cx_xml_line(b), 3);
	s = cx_xml_text(b);
	ck_assert_str_eq(s, "t&u");
	free(s);
	s = cx_xml_attr(b, "x");
	ck_assert_str_eq(s, "v");
	free(s);
	ck_assert_ptr_null(cx_xml_attr(b, "y"));
	c = cx_xml_next(b, NULL);
	ck_assert(cx_xml_is(c, "c"));
	b = cx_xml_next(b, "b");
	ck_assert_int_eq(cx_xml_line(b), 5);
	ck_assert_ptr_null(cx_xml_next(b, "b"));
	ck_assert_ptr_null(cx_xml_child(NULL, "b"));
	ck_assert_ptr_null(cx_xml_text(NULL));
	ck_assert_int_eq(cx_xml_line(NULL), 0);
	xmlFreeDoc(doc);

	/* Empty, truncated, and oversized input. */
	ck_assert_int_eq(cx_xml_parse_memory("", 0, "e.xml", &doc, &d),
	                 CX_EPARSE);
	ck_assert_int_eq(cx_xml_parse_memory(doc_text, 30, "t.xml", &doc, &d),
	                 CX_EPARSE);
	ck_assert_ptr_null(doc);
	n = CX_XML_MAX_SIZE + 1;
	big = malloc(n);
	ck_assert_ptr_nonnull(big);
	memset(big, ' ', n);
	ck_assert_int_eq(cx_xml_parse_memory(big, n, "big.xml", &doc, &d),
	                 CX_ELIMIT);
	free(big);
	ck_assert(has_diag(&d, "big.xml", 0, NULL, "larger"));
	cx_diags_free(&d);

	/* Any DOCTYPE is refused, even one without a subset. */
	s = cx_strdup("<?xml version=\"1.0\"?>\n<!DOCTYPE a>\n<a/>\n");
	ck_assert_int_eq(cx_xml_parse_memory(s, strlen(s), "dt.xml", &doc, &d),
	                 CX_EPARSE);
	ck_assert(has_diag(&d, "dt.xml", 2, "DOCTYPE", NULL));
	free(s);
	cx_diags_free(&d);

	/* Deep nesting is refused by the parser's depth limit. */
	{
		struct cx_buf deep = {0};
		int k;

		for (k = 0; k < 5000; k++)
			ck_assert_int_eq(cx_buf_puts(&deep, "<a>"), 0);
		ck_assert_int_eq(cx_xml_parse_memory(deep.data, deep.len,
		                                     "deep.xml", &doc, &d),
		                 CX_EPARSE);
		ck_assert_ptr_null(doc);
		ck_assert_uint_ge(d.n, 1);
		cx_buf_free(&deep);
		cx_diags_free(&d);
	}

	/* A schema that is not a schema: diagnosed against the schema. */
	ck_assert_int_eq(cx_xml_parse_memory(doc_text, strlen(doc_text),
	                                     "mem.xml", &doc, &d),
	                 0);
	ck_assert_int_eq(
	    cx_xml_validate(doc, DATA "/minimal.xml", "mem.xml", &d),
	    CX_EPARSE);
	ck_assert(has_diag(&d, "minimal.xml", 0, NULL, NULL));
	cx_diags_free(&d);
	/* Valid against the real schema? No: diagnosed against the doc. */
	ck_assert_int_eq(
	    cx_xml_validate(doc, SCHEMA "/profile.xsd", "mem.xml", &d),
	    CX_ESCHEMA);
	ck_assert(has_diag(&d, "mem.xml", 2, "a", NULL));
	ck_assert_int_eq(cx_xml_validate(NULL, SCHEMA "/profile.xsd", "m", &d),
	                 CX_EINVAL);
	xmlFreeDoc(doc);
	cx_diags_free(&d);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The loaders' problems in the terminal's language (issue 9 item 1)   */

static void write_text(const char *dir, const char *name, const char *text)
{
	char *path = cx_path_join(dir, name);
	FILE *f;

	ck_assert_ptr_nonnull(path);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_ge(fputs(text, f), 0);
	ck_assert_int_eq(fclose(f), 0);
	free(path);
}

static void remove_in(const char *dir, const char *name)
{
	char *path = cx_path_join(dir, name);

	ck_assert_ptr_nonnull(path);
	remove(path);
	free(path);
}

#define TITLES3                                                                \
	"<title lang=\"kk\">А</title><title lang=\"ru\">А</title>"           \
	"<title lang=\"en\">A</title>"
#define TEXTS3                                                                 \
	"<text lang=\"kk\">А</text><text lang=\"ru\">А</text>"               \
	"<text lang=\"en\">A</text>"

/* A catalogue with one of each of the catalogue loader's problems. */
static const char bad_catalogue[] =
    "<catalogue id=\"other-regime\">\n"
    "<title lang=\"kk\">К</title><title lang=\"xx\">T</title>\n"
    "<title lang=\"ru\">К</title><title lang=\"ru\">К</title>\n"
    "<basis>\n"
    "<document>" TITLES3 "</document>\n"
    "<document id=\"d1\">" TITLES3 "</document>\n"
    "<document id=\"d1\">" TITLES3 "</document>\n"
    "</basis>\n<requirements>\n"
    "<requirement id=\"A-01\" block=\"web\" kind=\"normative\" "
    "severity=\"huge\">" TEXTS3 "</requirement>\n"
    "<requirement id=\"A-02\" block=\"web\" kind=\"practice\" "
    "severity=\"low\">" TEXTS3 "<clause doc=\"d1\" ref=\"1\"/>"
    "</requirement>\n"
    "<requirement id=\"A-03\" block=\"web\" kind=\"normative\" "
    "severity=\"low\">" TEXTS3 "<clause doc=\"zz\"/></requirement>\n"
    "<requirement id=\"A-03\" kind=\"odd\" severity=\"low\">"
    "<text lang=\"kk\">А</text><text lang=\"ru\">А</text>"
    "<text lang=\"en\"> </text></requirement>\n"
    "</requirements>\n<params><param name=\"x\"/></params>\n"
    "</catalogue>\n";

static const char bad_catalogue_ids[][40] = {
    "pkg.catalogue.id-mismatch",  "pkg.catalogue.version",
    "pkg.catalogue.lang-bad",     "pkg.catalogue.lang-twice",
    "pkg.catalogue.lang-missing", "pkg.catalogue.doc-id",
    "pkg.catalogue.doc-twice",    "pkg.catalogue.severity",
    "pkg.catalogue.no-clause",    "pkg.catalogue.practice-clause",
    "pkg.catalogue.clause-ref",   "pkg.catalogue.clause-doc",
    "pkg.catalogue.kind",         "pkg.catalogue.id-block",
    "pkg.catalogue.lang-empty",   "pkg.catalogue.req-twice",
    "pkg.profile.param",          "pkg.profile.catalogue-unreadable",
};

/* Profiles over tests/data/profile/test-regime, each with problems. */
static const struct {
	const char *xml;
	const char *ids[8];
} bad_profiles[] = {
    {"<profile version=\"1\" object-type=\"spaceship\" "
     "extends=\"test-regime\">" TITLES3 "\n"
     "<requirements select=\"some\">\n<requirement ref=\"NOPE-01\"/>\n"
     "<requirement ref=\"TLS-01\" severity=\"huge\"/>\n"
     "<requirement ref=\"TLS-01\"/>\n<other/>\n</requirements>\n"
     "<refusal-grounds><ground severity=\"huge\" block=\"web\"/>"
     "<ground/><ground requirement=\"ZZ-01\"/></refusal-grounds>\n"
     "</profile>\n",
     {"pkg.profile.id-version", "pkg.profile.object-type", "pkg.profile.select",
      "pkg.profile.ref-unknown", "pkg.profile.severity",
      "pkg.profile.ref-twice", "pkg.profile.requirements-child",
      "pkg.profile.ground-empty"}},
    {"<profile id=\"p\" version=\"1\" object-type=\"internet-resource\" "
     "extends=\"test-regime\">" TITLES3 "\n"
     "<requirements select=\"listed\"><requirement ref=\"TLS-01\"/>"
     "<omit ref=\"NET-01\"/></requirements>\n"
     "<refusal-grounds><ground requirement=\"WEB-01\"/>"
     "</refusal-grounds>\n</profile>\n",
     {"pkg.profile.omit-listed", "pkg.profile.ground-ref"}},
    {"<profile id=\"p\" version=\"1\" object-type=\"internet-resource\" "
     "extends=\"Test_Regime\">" TITLES3 "</profile>\n",
     {"pkg.profile.extends"}},
    {"<catalogue id=\"p\"/>\n", {"pkg.profile.root"}},
};

static struct cx_catalog *words_cat[3]; /* kk, ru, en */

static void words_setup(void)
{
	static const char *const langs[] = {"kk", "ru", "en"};
	struct cx_diags d = {0};
	int i;

	for (i = 0; i < 3; i++)
		ck_assert_int_eq(
		    cx_catalog_load_lang(CX_SOURCE_PROFILES "/i18n", langs[i],
		                         &words_cat[i], &d),
		    0);
	cx_diags_free(&d);
}

static void words_teardown(void)
{
	int i;

	for (i = 0; i < 3; i++) {
		cx_catalog_free(words_cat[i]);
		words_cat[i] = NULL;
	}
}

static int has_msg(const struct cx_diags *d, const char *msg)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->items[i].msg != NULL &&
		    strcmp(d->items[i].msg, msg) == 0)
			return 1;
	return 0;
}

/* Every problem of d worded in kk and ru (no English sentence outside
 * the raw values) and in en exactly as its message. */
static void assert_worded(const struct cx_diags *d, const char *what)
{
	const char *why;

	ck_assert_msg(d->n > 0, "%s: no diagnostic", what);
	why = diags_not_worded(d, words_cat[1], words_cat[2]);
	ck_assert_msg(why == NULL, "%s: ru: %s", what, why);
	why = diags_not_worded(d, words_cat[0], NULL);
	ck_assert_msg(why == NULL, "%s: kk: %s", what, why);
}

/* The first problem with id msg, worded in language li (0 kk, 1 ru). */
static const char *worded(const struct cx_diags *d, const char *msg, int li,
                          struct cx_buf *b)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->items[i].msg != NULL &&
		    strcmp(d->items[i].msg, msg) == 0)
			break;
	ck_assert_msg(i < d->n, "no %s", msg);
	b->len = 0;
	ck_assert_int_eq(
	    cx_case_msg_args(b, words_cat[li], msg, d->items[i].args, NULL), 0);
	return b->data;
}

START_TEST(test_catalogue_words)
{
	char tmpl[] = "/tmp/cxpwordsXXXXXX";
	char *dir = mkdtemp(tmpl), *sub;
	struct cx_diags d = {0};
	struct cx_profile *p = NULL;
	struct cx_buf b = {0};
	size_t i;

	ck_assert_ptr_nonnull(dir);
	sub = cx_path_join(dir, "words-regime");
	ck_assert_int_eq(cx_mkdir_p(sub), 0);
	write_text(sub, "requirements.xml", bad_catalogue);
	write_text(dir, "words.xml",
	           "<profile id=\"words\" version=\"1\" "
	           "object-type=\"internet-resource\" "
	           "extends=\"words-regime\">" TITLES3 "</profile>\n");
	write_text(dir, "empty.xml",
	           "<profile id=\"empty\" version=\"1\" "
	           "object-type=\"internet-resource\" "
	           "extends=\"empty-regime\">" TITLES3 "</profile>\n");
	/* without the schema, which would refuse most of them first */
	{
		char *path = cx_path_join(dir, "words.xml");

		ck_assert_int_eq(cx_profile_load_from(path, dir, NULL, &p, &d),
		                 CX_ESCHEMA);
		free(path);
	}
	ck_assert_ptr_null(p);
	for (i = 0; i < CX_ARRAY_LEN(bad_catalogue_ids); i++)
		ck_assert_msg(has_msg(&d, bad_catalogue_ids[i]), "no %s",
		              bad_catalogue_ids[i]);
	assert_worded(&d, "catalogue");
	ck_assert_str_eq(worded(&d, "pkg.catalogue.clause-doc", 1, &b),
	                 "элемент <clause> требования A-03 называет документ "
	                 "«zz», которого нет в перечне <basis>");
	ck_assert_str_eq(worded(&d, "pkg.catalogue.severity", 0, &b),
	                 "белгісіз маңыздылық дәрежесі «huge»");
	ck_assert_str_eq(worded(&d, "pkg.profile.catalogue-unreadable", 1, &b),
	                 "каталог требований «words-regime» не может быть "
	                 "загружен");
	cx_diags_free(&d);

	/* a catalogue without requirements */
	remove_in(sub, "requirements.xml");
	rmdir(sub);
	free(sub);
	sub = cx_path_join(dir, "empty-regime");
	ck_assert_int_eq(cx_mkdir_p(sub), 0);
	write_text(sub, "requirements.xml",
	           "<catalogue id=\"empty-regime\" version=\"1\">" TITLES3
	           "<requirements/></catalogue>\n");
	{
		char *path = cx_path_join(dir, "empty.xml");

		ck_assert_int_eq(cx_profile_load_from(path, dir, NULL, &p, &d),
		                 CX_ESCHEMA);
		free(path);
	}
	assert_worded(&d, "empty catalogue");
	ck_assert(has_msg(&d, "pkg.catalogue.empty"));
	ck_assert_str_eq(worded(&d, "pkg.catalogue.empty", 1, &b),
	                 "каталог требований не содержит ни одного требования");
	cx_diags_free(&d);
	remove_in(sub, "requirements.xml");
	rmdir(sub);
	free(sub);
	remove_in(dir, "words.xml");
	remove_in(dir, "empty.xml");
	rmdir(dir);
	cx_buf_free(&b);
}
END_TEST

START_TEST(test_profile_words)
{
	char tmpl[] = "/tmp/cxpwordsXXXXXX";
	char *dir = mkdtemp(tmpl), *path;
	struct cx_diags d = {0};
	struct cx_profile *p = NULL;
	size_t k;

	ck_assert_ptr_nonnull(dir);
	write_text(dir, "bad.xml", bad_profiles[_i].xml);
	path = cx_path_join(dir, "bad.xml");
	ck_assert_ptr_nonnull(path);
	ck_assert_int_eq(cx_profile_load_from(path, DATA, NULL, &p, &d),
	                 CX_ESCHEMA);
	ck_assert_ptr_null(p);
	for (k = 0; k < CX_ARRAY_LEN(bad_profiles[_i].ids) &&
	            bad_profiles[_i].ids[k] != NULL;
	     k++)
		ck_assert_msg(has_msg(&d, bad_profiles[_i].ids[k]), "no %s",
		              bad_profiles[_i].ids[k]);
	assert_worded(&d, bad_profiles[_i].ids[0]);
	cx_diags_free(&d);
	remove(path);
	rmdir(dir);
	free(path);
}
END_TEST

/* The problems of the loaders' entry points, worded too. */
START_TEST(test_entry_words)
{
	struct cx_diags d = {0};
	struct cx_profile *p = NULL;
	struct cx_buf b = {0};
	size_t n = 0;

	ck_assert_int_eq(cx_profile_load_id(DATA, "Upper", &p, &d), CX_EINVAL);
	assert_worded(&d, "bad id");
	ck_assert_str_eq(worded(&d, "pkg.profile.bad-id", 1, &b),
	                 "«Upper» не является идентификатором профиля "
	                 "(строчные латинские буквы, цифры и «-»)");
	cx_diags_free(&d);
	ck_assert_int_ne(cx_profile_check_dir("/nonexistent/cx", &n, &d), 0);
	assert_worded(&d, "folder");
	ck_assert_str_eq(worded(&d, "pkg.profile.folder", 0, &b),
	                 "профильдер қалтасын оқу мүмкін емес");
	cx_diags_free(&d);
	cx_buf_free(&b);
}
END_TEST

static Suite *profile_errors_suite(void)
{
	Suite *s = suite_create("profile_errors");
	TCase *tc = tcase_create("profile");

	tcase_add_test(tc, test_invalid_against_schema);
	tcase_add_test(tc, test_catalogue_refusals);
	tcase_add_test(tc, test_not_wellformed);
	tcase_add_test(tc, test_xxe_refused);
	tcase_add_test(tc, test_load_errors);
	tcase_add_test(tc, test_xmlsafe_helpers);
	suite_add_tcase(s, tc);
	tc = tcase_create("words");
	tcase_add_checked_fixture(tc, words_setup, words_teardown);
	tcase_add_test(tc, test_catalogue_words);
	tcase_add_loop_test(tc, test_profile_words, 0,
	                    (int)CX_ARRAY_LEN(bad_profiles));
	tcase_add_test(tc, test_entry_words);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(profile_errors_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
