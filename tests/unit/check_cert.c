/*
 * certexam — unit tests for the draft certificate (Annex 7) and the
 * register entry (para 29), report/writer_cert.c: golden files of the
 * certificate (HTML, Markdown) in Kazakh, Russian and English (the words
 * from profiles/i18n/) and of the register entry (JSON, CSV) from the
 * Annex 5/6 fixtures; no certificate unless the proposed decision is to
 * issue and every row of both lists is valid; hostile text escaped.
 * CX_UPDATE_GOLDEN=1 rewrites the golden files instead of comparing.
 */
#include <check.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "certexam/act.h"
#include "certexam/cert.h"
#include "certexam/i18n.h"
#include "certexam/object.h"
#include "certexam/run.h"
#include "certexam/util.h"
#include "diag_util.h"

#define INV    CX_TEST_DATA "/inventory/"
#define GOLDEN CX_TEST_DATA "/cert/"
#define I18N   CX_TEST_DATA "/../../profiles/i18n"

static const char *const langs[] = {"kk", "ru", "en"};

static struct cx_object obj;
static struct cx_run *run;
static struct cx_act *act;
static char *prohibitions[] = {
    "connecting the servers to networks not shown in the network diagram",
    "<script>alert(1)</script> | =cmd"};
static struct cx_param notify[] = {
    {.name = "cert.notify", .value = "the conditions of functioning"},
    {.name = "cert.notify", .value = "the hardware-software complex"},
};

static void setup(void)
{
	struct cx_diags d = {0};

	memset(&obj, 0, sizeof(obj));
	obj.name = "Information system \"Register of Lab Permits\"";
	obj.type = CX_OBJ_INFORMATION_SYSTEM;
	obj.possessor.name = "Ministry of Laboratory Affairs";
	obj.possessor.bin = "160240000127";
	obj.developer.name = "Lab Software LLP; \"=HYPERLINK\"";
	obj.developer.bin = "050140001238";
	obj.processing = "restricted";
	obj.prohibitions = prohibitions;
	obj.n_prohibitions = 2;
	ck_assert_int_eq(
	    cx_object_load_hardware(&obj, INV "hardware-good.csv", &d), 0);
	ck_assert_int_eq(
	    cx_object_load_software(&obj, INV "software-good.csv", &d), 0);
	ck_assert_uint_eq(cx_diag_errors(&d), 0);
	cx_diags_free(&d);
	run = cx_run_new();
	ck_assert_ptr_nonnull(run);
	run->number = 7;
	/* cx_run_new() makes an examination run. */
	run->object_name = cx_strdup(obj.name);
	ck_assert_int_eq(cx_act_build(run, NULL, &obj, "2026-12-02", &act), 0);
}

static void teardown(void)
{
	cx_act_free(act);
	cx_run_free(run);
	cx_hw_rows_free(obj.hardware, obj.n_hardware);
	cx_sw_rows_free(obj.software, obj.n_software);
	cx_diags_free(&obj.list_diags);
}

static void golden(const char *name, const struct cx_buf *b)
{
	char path[512], *data = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), GOLDEN "%s", name);
	if (getenv("CX_UPDATE_GOLDEN") != NULL) {
		ck_assert_int_eq(cx_write_file_atomic(path, b->data, b->len),
		                 0);
		return;
	}
	ck_assert_int_eq(cx_read_file(path, 1 << 20, &data, &len), 0);
	ck_assert_msg(len == b->len && memcmp(data, b->data, len) == 0,
	              "%s differs from the golden file", name);
	free(data);
}

START_TEST(goldens)
{
	static const char *const notes[] = {"the conditions of functioning",
	                                    "the hardware-software complex"};
	static const char *const title[] = {
	    "СӘЙКЕСТІК АТТЕСТАТЫ", "АТТЕСТАТ СООТВЕТСТВИЯ", "CERTIFICATE No."};
	struct cx_catalog *cat = NULL;
	struct cx_diags d = {0};
	/* the words of act.decision.none in each language */
	static const char *const decision[] = {"Шешім ұсынылмайды",
	                                       "Решение не предлагается",
	                                       "No decision is proposed"};
	struct cx_buf b[4], why = {0};
	char name[64];
	size_t i;

	memset(b, 0, sizeof(b));
	ck_assert_int_eq(cx_catalog_load_lang(I18N, langs[_i], &cat, &d), 0);
	/* The run has no findings: nothing proposes issue; the reason in
	 * the language, with the act's words for the decision. */
	ck_assert_int_eq(cx_cert_ready(act, cat, &why), 0);
	ck_assert_ptr_nonnull(why.data);
	ck_assert_ptr_nonnull(strstr(why.data, decision[_i]));
	if (_i < 2)
		ck_assert_msg(english_in(why.data, NULL) == NULL, "%s",
		              why.data);
	cx_buf_free(&why);
	/* The writer only reads the model: with the decision to issue. */
	act->decision = CX_DECISION_ISSUE;
	ck_assert_int_eq(cx_cert_ready(act, cat, &why), 1);
	ck_assert_ptr_null(why.data);
	act->cat = cat;
	act->lang = langs[_i];
	ck_assert_int_eq(cx_cert_render(act, notes, 2, "html", &b[0]), 0);
	ck_assert_int_eq(cx_cert_render(act, notes, 2, "md", &b[1]), 0);
	ck_assert_int_eq(cx_register_json(act, &b[2]), 0);
	ck_assert_int_eq(cx_register_csv(act, &b[3]), 0);
	/* The official title in the language; no id left unrendered. */
	ck_assert_ptr_nonnull(strstr(b[1].data, title[_i]));
	ck_assert_ptr_null(strstr(b[0].data, "cert."));
	/* Tables 1 and 2 hold every row of the lists. */
	ck_assert_ptr_nonnull(strstr(b[1].data, "Dell PowerEdge R740"));
	ck_assert_ptr_nonnull(strstr(b[1].data, "PostgreSQL Global"));
	/* Hostile text is escaped; a CSV cell never starts a formula. */
	ck_assert_ptr_null(strstr(b[0].data, "<script>"));
	ck_assert_ptr_nonnull(strstr(b[3].data, "\"Lab Software LLP; "
	                                        "\"\"=HYPERLINK\"\"\""));
	snprintf(name, sizeof(name), "certificate.%s.html", langs[_i]);
	golden(name, &b[0]);
	snprintf(name, sizeof(name), "certificate.%s.md", langs[_i]);
	golden(name, &b[1]);
	/* the register entry is data, the same in every language */
	golden("register.json", &b[2]);
	golden("register.csv", &b[3]);
	for (i = 0; i < 4; i++)
		cx_buf_free(&b[i]);
	act->cat = NULL;
	cx_catalog_free(cat);
	cx_diags_free(&d);
}
END_TEST

/* Every reason not to draft, in Russian, no English sentence; the
 * English words as before. */
START_TEST(not_from_bad_lists)
{
	struct cx_catalog *ru = NULL, *en = NULL;
	struct cx_diags d = {0};
	struct cx_buf why = {0};
	const struct cx_object *saved = act->obj;

	ck_assert_int_eq(cx_catalog_load_lang(I18N, "ru", &ru, &d), 0);
	ck_assert_int_eq(cx_catalog_load_lang(I18N, "en", &en, &d), 0);
	act->decision = CX_DECISION_ISSUE;
	obj.software[1].bad = 1;
	ck_assert_int_eq(cx_cert_ready(act, ru, &why), 0);
	ck_assert_str_eq(why.data, "в строке 2 приложения 6 (строка файла "
	                           "3) есть ошибка");
	why.len = 0;
	ck_assert_int_eq(cx_cert_ready(act, en, &why), 0);
	ck_assert_str_eq(why.data, "row 2 of Annex 6 (line 3) has an error");
	why.len = 0;
	obj.software[1].bad = 0;
	obj.hardware[0].bad = 1;
	ck_assert_int_eq(cx_cert_ready(act, ru, &why), 0);
	ck_assert_ptr_nonnull(strstr(why.data, "приложения 5"));
	ck_assert_ptr_null(english_in(why.data, NULL));
	why.len = 0;
	obj.hardware[0].bad = 0;
	obj.hw_list = CX_LIST_UNREADABLE;
	ck_assert_int_eq(cx_cert_ready(act, ru, &why), 0);
	ck_assert_ptr_nonnull(strstr(why.data, "приложений 5 и 6"));
	ck_assert_ptr_null(english_in(why.data, NULL));
	why.len = 0;
	obj.hw_list = CX_LIST_READ;
	act->obj = NULL;
	ck_assert_int_eq(cx_cert_ready(act, ru, &why), 0);
	ck_assert_ptr_nonnull(strstr(why.data, "object.xml"));
	ck_assert_ptr_null(english_in(why.data, NULL));
	why.len = 0;
	act->obj = saved;
	act->decision = CX_DECISION_RECTIFY;
	act->decision_para = "27(3)";
	ck_assert_int_eq(cx_cert_ready(act, ru, &why), 0);
	ck_assert_ptr_nonnull(strstr(why.data, "27(3)"));
	ck_assert_ptr_null(english_in(why.data, NULL));
	act->decision = CX_DECISION_ISSUE;
	act->decision_para = NULL;
	ck_assert_int_eq(cx_cert_ready(act, ru, NULL), 1);
	cx_buf_free(&why);
	cx_catalog_free(ru);
	cx_catalog_free(en);
	cx_diags_free(&d);
}
END_TEST

START_TEST(files)
{
	struct cx_profile prof;
	struct cx_catalog *cat = NULL;
	struct cx_diags d = {0};
	char dir[] = "/tmp/cx-cert-XXXXXX", *paths[4];
	size_t i;

	memset(&prof, 0, sizeof(prof));
	prof.params = notify;
	prof.n_params = 2;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(cx_cert_files(act, &prof, dir, 1, paths), CX_EINVAL);
	act->decision = CX_DECISION_ISSUE;
	ck_assert_int_eq(cx_cert_files(act, &prof, dir, 1, paths), 0);
	for (i = 0; i < 4; i++) {
		ck_assert(cx_path_exists(paths[i]));
		remove(paths[i]);
		free(paths[i]);
	}
	/* in a language: certificate-0007.ru.html, no register again */
	ck_assert_int_eq(cx_catalog_load_lang(I18N, "ru", &cat, &d), 0);
	act->cat = cat;
	act->lang = "ru";
	ck_assert_int_eq(cx_cert_files(act, &prof, dir, 0, paths), 0);
	ck_assert_ptr_nonnull(strstr(paths[0], "certificate-0007.ru.html"));
	ck_assert_ptr_nonnull(strstr(paths[1], "certificate-0007.ru.md"));
	ck_assert_ptr_null(paths[2]);
	ck_assert_ptr_null(paths[3]);
	for (i = 0; i < 2; i++) {
		ck_assert(cx_path_exists(paths[i]));
		remove(paths[i]);
		free(paths[i]);
	}
	act->cat = NULL;
	cx_catalog_free(cat);
	cx_diags_free(&d);
	ck_assert(strstr(dir, "cx-cert") != NULL);
	rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cert");
	TCase *tc = tcase_create("cert");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, goldens, 0, (int)CX_ARRAY_LEN(langs));
	tcase_add_test(tc, not_from_bad_lists);
	tcase_add_test(tc, files);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
