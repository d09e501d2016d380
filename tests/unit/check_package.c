/*
 * certexam — unit tests for the words of the package remarks (paras
 * 13-14): every remark of cx_object_check_complete()
 * (scanner/case/object_check.c) carries a pkg.* message id with its
 * parameters, and the act words a stored remark in kk, ru and en from the
 * catalogs (render_proc_remark, report/act_proc.c), the field's or
 * attachment's own name included; a remark stored without an id (an older
 * run) keeps its text.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act_proc.h"
#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/object.h"
#include "certexam/run.h"

#define I18N_DIR CX_TEST_DATA "/../../profiles/i18n"

static const struct cx_diag *find(const struct cx_diags *d, const char *field)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->items[i].field != NULL &&
		    strcmp(d->items[i].field, field) == 0)
			return &d->items[i];
	return NULL;
}

static const char *arg(const struct cx_diag *g, const char *name)
{
	size_t k;

	for (k = 0; g->args != NULL && g->args[k] != NULL; k += 2)
		if (strcmp(g->args[k], name) == 0)
			return g->args[k + 1];
	return NULL;
}

START_TEST(remarks_have_ids)
{
	struct cx_object obj;
	struct cx_diags d = {0};
	const struct cx_diag *g;
	size_t i;

	memset(&obj, 0, sizeof(obj));
	obj.name = "Register";
	cx_object_check_complete(&obj, &d);
	ck_assert_uint_gt(d.n, 10);
	/* every remark has its words */
	for (i = 0; i < d.n; i++)
		ck_assert_msg(d.items[i].msg != NULL &&
		                  strncmp(d.items[i].msg, "pkg.", 4) == 0,
		              "remark without an id: %s", d.items[i].message);
	g = find(&d, "possessor/bin");
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(g->is_warning, 0);
	ck_assert_str_eq(g->msg, "pkg.field.missing");
	ck_assert_str_eq(arg(g, "what"), "pkg.field.possessor-bin");
	g = find(&d, "short-name");
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(g->is_warning, 1);
	ck_assert_str_eq(g->msg, "pkg.field.not-given");
	g = find(&d, "documents/document[3]");
	ck_assert_ptr_nonnull(g);
	ck_assert_str_eq(g->msg, "pkg.doc.not-recorded");
	ck_assert_str_eq(arg(g, "item"), "3");
	g = find(&d, "scope");
	ck_assert_ptr_nonnull(g);
	ck_assert_str_eq(g->msg, "pkg.scope-empty");
	ck_assert_ptr_null(find(&d, "name")); /* given */
	cx_diags_free(&d);
}
END_TEST

static const struct {
	const char *lang, *want;
} words[] = {
    {"ru", "object.xml:7 (possessor/bin): БИН/ИИН собственника (владельца): "
           "не указано."},
    {"kk", "object.xml:7 (possessor/bin): Меншік иесінің (иеленушінің) "
           "БСН/ЖСН: көрсетілмеген."},
    {"en", "object.xml:7 (possessor/bin): The possessor's BIN/IIN: "
           "missing."},
};

START_TEST(remark_words)
{
	struct cx_catalog *cat = NULL;
	struct cx_diags d = {0};
	struct cx_run *run = cx_run_new();
	struct cx_observation *o;
	struct cx_act act;
	struct cx_buf b = {0};

	ck_assert_ptr_nonnull(run);
	ck_assert_int_eq(
	    cx_catalog_load_lang(I18N_DIR, words[_i].lang, &cat, &d), 0);
	/* as scan stores a remark (scanner/scan_prepare.c) */
	o = cx_run_add_obs(run, "package-check", "object.xml");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(cx_obs_prop(o, "errors", "2"), 0);
	ck_assert_int_eq(cx_obs_prop(o, "warnings", "0"), 0);
	ck_assert_int_eq(cx_obs_prop(o, "error",
	                             "object.xml:7 (possessor/bin): the "
	                             "possessor's BIN/IIN is missing"),
	                 0);
	ck_assert_int_eq(
	    cx_obs_prop(o, "where", "object.xml:7 (possessor/bin)"), 0);
	ck_assert_int_eq(cx_obs_prop(o, "msg", "pkg.field.missing"), 0);
	ck_assert_int_eq(cx_obs_prop(o, "arg.what", "pkg.field.possessor-bin"),
	                 0);
	/* an older run: the text only */
	ck_assert_int_eq(cx_obs_prop(o, "error", "object.xml: old <words>"), 0);
	memset(&act, 0, sizeof(act));
	act.cat = cat;
	act.lang = words[_i].lang;
	act.run = run;
	ck_assert_int_eq(render_proc_remark(&act, o, 2, &b), 0);
	ck_assert_str_eq(b.data, words[_i].want);
	b.len = 0;
	ck_assert_int_eq(render_proc_remark(&act, o, 6, &b), 0);
	ck_assert_str_eq(b.data, "object.xml: old <words>");
	cx_buf_free(&b);
	cx_run_free(run);
	cx_catalog_free(cat);
	cx_diags_free(&d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("package");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, remarks_have_ids);
	tcase_add_loop_test(tc, remark_words, 0,
	                    (int)(sizeof(words) / sizeof(words[0])));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
