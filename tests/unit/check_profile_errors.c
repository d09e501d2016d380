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

#include "certexam/error.h"
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
