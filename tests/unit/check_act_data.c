/*
 * Unit tests: the XML and JSON acts in the act's language (issue 9 item
 * 1).  A small run recorded as the checks record it (the requirement's
 * text, legal basis and recommendation copied in English from the
 * profile, the normative basis with its English title, an item of 22(1),
 * a row of the Annex 5/6 comparison and a problem of the submitted list)
 * is drafted in kk, ru and en: every text field of report/tree.c carries
 * the words of the act's language, from the same sources as the HTML act
 * (the profile's kk/ru/en strings, the catalogs), and the English is
 * gone; codes, ids and raw values stay as recorded and escaped.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/escape.h"
#include "certexam/i18n.h"
#include "certexam/lang.h"
#include "certexam/object.h"
#include "certexam/profile.h"
#include "certexam/run.h"
#include "certexam/util.h"
#include "diag_util.h"

#define I18N CX_SOURCE_PROFILES "/i18n"

/* A file name from the applicant: escaped in every format. */
static const char hostile_file[] = "<script>x</script>&\".csv";

static const char *const langs[] = {"kk", "ru", "en"};
static const char *const reqs[] = {"NET-01", "DOC-01"};

static struct cx_profile *prof;

static void setup(void)
{
	struct cx_diags d = {0};

	ck_assert_int_eq(cx_profile_load_id(CX_SOURCE_PROFILES,
	                                    "information-system", &prof, &d),
	                 0);
	cx_diags_free(&d);
}

static void teardown(void)
{
	cx_profile_free(prof);
	prof = NULL;
}

static const struct cx_requirement *req(const char *id)
{
	const struct cx_requirement *r = cx_profile_req(prof, id);

	ck_assert_msg(r != NULL, "the profile has no %s", id);
	return r;
}

static const char *en(const struct cx_requirement *r, enum cx_req_field f)
{
	const char *s = cx_requirement_str(r, f, CX_LANG_EN);

	ck_assert_ptr_nonnull(s);
	return s;
}

/* A finding as checks/checks.c records it: the profile's English. */
static void add_finding(struct cx_run *run, const char *check, const char *id,
                        const char *asset, enum cx_status st,
                        enum cx_severity sev)
{
	const struct cx_requirement *r = req(id);
	struct cx_finding f;

	memset(&f, 0, sizeof(f));
	f.check = (char *)check;
	f.req_id = (char *)id;
	f.req_text = (char *)en(r, CX_REQ_TEXT);
	f.req_source = (char *)en(r, CX_REQ_SOURCE);
	f.block = r->block;
	f.asset = (char *)asset;
	f.status = st;
	f.severity = sev;
	f.title = f.req_text;
	f.recommendation = (char *)en(r, CX_REQ_RECOMMENDATION);
	f.method = "probe";
	f.observed = "telnetd banner";
	f.req_kind = "normative";
	ck_assert_int_eq(cx_run_add_finding(run, &f), 0);
}

static struct cx_run *make_run(void)
{
	struct cx_run *run = cx_run_new();
	struct cx_observation *o;
	struct cx_finding f;

	ck_assert_ptr_nonnull(run);
	run->number = 3;
	run->tool_version = cx_strdup("0.1.0");
	run->profile_id = cx_strdup("information-system");
	run->profile_version = cx_strdup("2026.1");
	run->object_name = cx_strdup("Registry");
	run->started = 1795300000;
	run->finished = 1795300060;
	run->complete = 1;
	/* The normative basis as scan_prepare.c records it: id and the
	 * English title. */
	ck_assert_uint_gt(prof->n_basis, 0);
	ck_assert_int_eq(
	    cx_grow(&run->basis, &run->cap_basis, 1, sizeof(*run->basis)), 0);
	run->basis[0].name = cx_strdup(prof->basis[0].id);
	run->basis[0].value = cx_strdup(prof->basis[0].titles[CX_LANG_EN]);
	run->n_basis = 1;
	cx_run_check_state(run, "ports", "done");
	cx_run_check_state(run, "documents", "done");
	add_finding(run, "ports", "NET-01", "127.0.0.1:23/tcp", CX_FAIL,
	            CX_SEV_CRITICAL);
	add_finding(run, "documents", "DOC-01", "Registry", CX_PASS,
	            CX_SEV_HIGH);
	/* An item of 22(1) as checks/parts.c records it (no title of the
	 * examiner's own: the catalog words it). */
	memset(&f, 0, sizeof(f));
	f.check = "parts";
	f.req_id = "P1-application";
	f.block = "preliminary";
	f.asset = "Registry";
	f.status = CX_PASS;
	f.severity = CX_SEV_MEDIUM;
	f.msg = "part.result.pass";
	ck_assert_int_eq(cx_run_add_finding(run, &f), 0);
	/* checks/inventory.c: a row found, not declared, and a problem of
	 * the submitted list with its id, parameter and English message. */
	o = cx_run_add_obs(run, "inventory-row", "127.0.0.1");
	ck_assert_ptr_nonnull(o);
	cx_obs_prop(o, "annex", "6");
	cx_obs_prop(o, "item", "");
	cx_obs_prop(o, "declared", "");
	cx_obs_prop(o, "discovered", "OpenSSH 9.2p1 127.0.0.1:22/tcp");
	cx_obs_prop(o, "state", "found, not declared");
	o = cx_run_add_obs(run, "annex-problem", hostile_file);
	ck_assert_ptr_nonnull(o);
	cx_obs_prop(o, "file", hostile_file);
	cx_obs_prop(o, "line", "8");
	cx_obs_prop(o, "column", "5");
	cx_obs_prop(o, "field", "installed_on");
	cx_obs_prop(o, "level", "warning");
	cx_obs_prop(
	    o, "message",
	    "empty; taken from the row on line 7 above (a merged cell)");
	cx_obs_prop(o, "msg", "inv.annex.cell.merged");
	cx_obs_prop(o, "arg.line", "7");
	return run;
}

static char *render(const struct cx_act *act, const char *fmt)
{
	const struct cx_act_writer *w = cx_act_writer_find(fmt);
	struct cx_buf b = {0};

	ck_assert(w != NULL);
	ck_assert(w->write != NULL);
	ck_assert_int_eq(w->write(act, &b), 0);
	return cx_buf_steal(&b);
}

/* The field as the writer prints it: "name": "value" or <name>value</name>,
 * the value escaped for the format. */
static char *field(int json, const char *name, const char *value)
{
	struct cx_buf b = {0};

	if (json) {
		ck_assert_int_eq(cx_buf_printf(&b, "\"%s\": \"", name), 0);
		ck_assert_int_eq(cx_esc_json(&b, value), 0);
		ck_assert_int_eq(cx_buf_putc(&b, '"'), 0);
	} else {
		ck_assert_int_eq(cx_buf_printf(&b, "<%s>", name), 0);
		ck_assert_int_eq(cx_esc_xml(&b, value), 0);
		ck_assert_int_eq(cx_buf_printf(&b, "</%s>", name), 0);
	}
	return cx_buf_steal(&b);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	const char *p = hay;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* The field occurs at least min times in out. */
static void has(const char *out, int json, const char *name, const char *value,
                size_t min)
{
	char *f = field(json, name, value);

	ck_assert_msg(count(out, f) >= min, "%s: %s not %zu times in the act",
	              json ? "json" : "xml", f, min);
	free(f);
}

/* No field name carries value. */
static void lacks(const char *out, int json, const char *name,
                  const char *value)
{
	char *f = field(json, name, value);

	ck_assert_msg(strstr(out, f) == NULL, "%s: %s still in the act",
	              json ? "json" : "xml", f);
	free(f);
}

START_TEST(text_fields_in_the_act_language)
{
	static const char *const fmts[] = {"json", "xml"};
	const char *lang = langs[_i];
	enum cx_lang li = (enum cx_lang)cx_lang_parse(lang);
	struct cx_catalog *cat = NULL;
	struct cx_diags d = {0};
	struct cx_run *run = make_run();
	struct cx_act *act = NULL;
	struct cx_buf want = {0};
	size_t i, k;

	ck_assert_int_eq(cx_catalog_load_lang(I18N, lang, &cat, &d), 0);
	cx_diags_free(&d);
	ck_assert_int_eq(cx_act_build(run, NULL, NULL, "2026-11-21", &act), 0);
	act->cat = cat;
	act->lang = lang;
	act->profile = prof;
	ck_assert_int_eq(
	    cx_msg(&want, cat, "inv.annex.cell.merged", CX_ARGS("line", "7")),
	    0);
	for (k = 0; k < CX_ARRAY_LEN(fmts); k++) {
		int json = strcmp(fmts[k], "json") == 0;
		char *out = render(act, fmts[k]);

		for (i = 0; i < CX_ARRAY_LEN(reqs); i++) {
			const struct cx_requirement *r = req(reqs[i]);
			const char *text =
			    cx_requirement_str(r, CX_REQ_TEXT, li);
			const char *src =
			    cx_requirement_str(r, CX_REQ_SOURCE, li);
			const char *rec =
			    cx_requirement_str(r, CX_REQ_RECOMMENDATION, li);

			has(out, json, "requirement_text", text, 1);
			has(out, json, "title", text, 1);
			has(out, json, "recommendation", rec, 1);
			/* NET-01 fails: its deficiency names the basis too. */
			has(out, json, "source", src, i == 0 ? 2 : 1);
			if (li == CX_LANG_EN)
				continue;
			ck_assert_str_ne(text, en(r, CX_REQ_TEXT));
			lacks(out, json, "requirement_text",
			      en(r, CX_REQ_TEXT));
			lacks(out, json, "title", en(r, CX_REQ_TEXT));
			lacks(out, json, "source", en(r, CX_REQ_SOURCE));
			lacks(out, json, "recommendation",
			      en(r, CX_REQ_RECOMMENDATION));
		}
		/* The item of 22(1) in the catalog's words. */
		has(out, json, "requirement_text",
		    cx_act_text(act, cx_part_item_msg(1, "application")), 1);
		/* The basis in the act's language; its id as recorded. */
		has(out, json, "title", prof->basis[0].titles[li], 1);
		has(out, json, "id", prof->basis[0].id, 1);
		/* The comparison's state in words; its code as recorded. */
		has(out, json, "state",
		    cx_act_text(act, "act.proc.inventory.state.undeclared"), 1);
		has(out, json, "state_code", "found, not declared", 1);
		/* The list problem in words, with its id and parameter. */
		has(out, json, "message", want.data, 1);
		has(out, json, "msg", "inv.annex.cell.merged", 1);
		has(out, json, "value", "7", 1);
		has(out, json, "file", hostile_file, 1);
		ck_assert_ptr_null(strstr(out, "<script"));
		if (li != CX_LANG_EN) {
			lacks(out, json, "title",
			      prof->basis[0].titles[CX_LANG_EN]);
			lacks(out, json, "state", "found, not declared");
			lacks(out, json, "message",
			      "empty; taken from the row on line 7 above (a "
			      "merged cell)");
			ck_assert_ptr_null(english_in(want.data, NULL));
		}
		free(out);
	}
	cx_buf_free(&want);
	cx_act_free(act);
	cx_catalog_free(cat);
	cx_run_free(run);
}
END_TEST

/*
 * A run of an older version: a requirement the profile no longer has and
 * a list problem recorded without an id keep their recorded (English)
 * words; nothing is left empty.
 */
START_TEST(recorded_words_without_a_source)
{
	struct cx_catalog *cat = NULL;
	struct cx_diags d = {0};
	struct cx_run *run = make_run();
	struct cx_observation *o;
	struct cx_act *act = NULL;
	struct cx_finding f;
	char *out;

	memset(&f, 0, sizeof(f));
	f.check = "ports";
	f.req_id = "NET-99";
	f.req_text = "Old requirement text";
	f.req_source = "Old basis";
	f.block = "network";
	f.asset = "127.0.0.1:9/tcp";
	f.status = CX_PASS;
	f.severity = CX_SEV_LOW;
	f.title = f.req_text;
	f.recommendation = "Old recommendation";
	ck_assert_int_eq(cx_run_add_finding(run, &f), 0);
	o = cx_run_add_obs(run, "annex-problem", "software.csv");
	ck_assert_ptr_nonnull(o);
	cx_obs_prop(o, "file", "software.csv");
	cx_obs_prop(o, "line", "2");
	cx_obs_prop(o, "level", "warning");
	cx_obs_prop(o, "message", "an old problem");
	ck_assert_int_eq(cx_catalog_load_lang(I18N, "ru", &cat, &d), 0);
	cx_diags_free(&d);
	ck_assert_int_eq(cx_act_build(run, NULL, NULL, "2026-11-21", &act), 0);
	act->cat = cat;
	act->lang = "ru";
	act->profile = prof;
	out = render(act, "json");
	has(out, 1, "requirement_text", "Old requirement text", 1);
	has(out, 1, "title", "Old requirement text", 1);
	has(out, 1, "source", "Old basis", 1);
	has(out, 1, "recommendation", "Old recommendation", 1);
	has(out, 1, "message", "an old problem", 1);
	free(out);
	cx_act_free(act);
	cx_catalog_free(cat);
	cx_run_free(run);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("act_data");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, text_fields_in_the_act_language, 0,
	                    (int)CX_ARRAY_LEN(langs));
	tcase_add_test(tc, recorded_words_without_a_source);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
