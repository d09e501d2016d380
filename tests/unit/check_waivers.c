/*
 * certexam — unit tests for waivers (scanner/case/waivers.c): the key
 * pattern matcher, the loader's refusals (key and pattern together, an
 * expiry before the approval, no justification), and the application to a
 * run: applied, expired (not applied), refused on a critical finding when
 * the profile forbids it, unused; passes are never touched.  The free
 * texts given per language (xml:lang, as in object.xml): the loader keeps
 * each, the run records each, the act in kk, ru and en prints its own,
 * else the default and says in which language it is; malformed language
 * tags are refused.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/act.h"
#include "certexam/calendar.h"
#include "certexam/i18n.h"
#include "certexam/profile.h"
#include "certexam/run.h"
#include "certexam/util.h"
#include "certexam/waiver.h"

#define SCHEMA CX_SOURCE_PROFILES "/schema"
#define DATA   CX_TEST_DATA "/waivers/"

static const struct {
	const char *pattern, *key;
	int match;
} pats[] = {
    {"http|WEB-15|*", "http|WEB-15|https://x/|Permissions-Policy", 1},
    {"http|WEB-15|*", "http|WEB-1|https://x/", 0},
    {"*|NET-06|*", "ports|NET-06|127.0.0.1:22/tcp|ssh", 1},
    {"*", "", 1},
    {"a*b*c", "aXXbYYc", 1},
    {"a*b*c", "aXXbYY", 0},
    {"ports|NET-01|127.0.0.1:23/tcp|telnet",
     "ports|NET-01|127.0.0.1:23/tcp|telnet", 1},
    {"ports|NET-01|127.0.0.1:23/tcp", "ports|NET-01|127.0.0.1:23/tcp|telnet",
     0},
    {"**x", "abcx", 1},
};

START_TEST(patterns)
{
	ck_assert_int_eq(cx_waiver_match(pats[_i].pattern, pats[_i].key),
	                 pats[_i].match);
}
END_TEST

START_TEST(refused_files)
{
	static const char *const bad[] = {
	    DATA "both.xml",           DATA "backwards.xml",
	    DATA "nojust.xml",         DATA "no-approver.xml",
	    DATA "lang-twice.xml",     DATA "lang-other.xml",
	    DATA "approver-twice.xml", DATA "empty-lang.xml"};
	/* the message id of each refusal (NULL: the schema's, or the
	 * multilingual reader's, which names the line and the field) */
	static const char *const ids[] = {"pkg.waiver.key-or-pattern",
	                                  "pkg.waiver.expires-before",
	                                  NULL,
	                                  "pkg.waiver.missing-text",
	                                  NULL,
	                                  NULL,
	                                  NULL,
	                                  NULL};
	/* what the reader says (NULL: not asserted) */
	static const char *const says[] = {NULL,          NULL,
	                                   NULL,          "approved-by",
	                                   "given twice", "not kk, ru or en",
	                                   "given twice", NULL};
	struct cx_waivers *w = NULL;
	struct cx_diags d = {0};
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(bad); i++) {
		ck_assert_int_ne(cx_waivers_load(bad[i], SCHEMA, &w, &d), 0);
		ck_assert_ptr_null(w);
		ck_assert_uint_gt(d.n, 0);
		ck_assert_int_gt(d.items[d.n - 1].line, 0);
		if (ids[i] != NULL)
			ck_assert_str_eq(d.items[d.n - 1].msg, ids[i]);
		if (says[i] != NULL)
			ck_assert_msg(strstr(d.items[d.n - 1].message, says[i]),
			              "%s: %s", bad[i],
			              d.items[d.n - 1].message);
		cx_diags_free(&d);
	}
}
END_TEST

static void add_finding(struct cx_run *run, const char *key, enum cx_status st,
                        enum cx_severity sev)
{
	struct cx_finding f;

	memset(&f, 0, sizeof(f));
	f.key = (char *)key;
	f.check = "x";
	f.req_id = "R";
	f.status = st;
	f.severity = sev;
	ck_assert_int_eq(cx_run_add_finding(run, &f), 0);
}

static const char *state_of(const struct cx_run *run, const char *finding)
{
	size_t i;

	for (i = 0; i < run->n_obs; i++)
		if (strcmp(run->obs[i].kind, "waiver") == 0 &&
		    strcmp(cx_obs_get(&run->obs[i], "finding"), finding) == 0)
			return cx_obs_get(&run->obs[i], "state");
	return NULL;
}

START_TEST(apply)
{
	struct cx_waivers *w = NULL;
	struct cx_diags d = {0};
	struct cx_run *run = cx_run_new();
	struct cx_param forbid = {.name = "waiver.critical",
	                          .value = "forbidden"};
	struct cx_profile prof;
	long today;
	size_t i, waived = 0;

	memset(&prof, 0, sizeof(prof));
	prof.params = &forbid;
	prof.n_params = 1;
	ck_assert_int_eq(cx_waivers_load(CX_TEST_DATA "/../../examples/case/"
	                                              "waivers.xml",
	                                 SCHEMA, &w, &d),
	                 0);
	ck_assert_uint_eq(w->n, 3);
	ck_assert_str_eq(w->items[0].pattern, "http|WEB-15|*");
	ck_assert_ptr_nonnull(
	    strstr(w->items[0].justification, "cross-origin"));
	add_finding(run, "http|WEB-15|https://lab/|Permissions-Policy", CX_FAIL,
	            CX_SEV_LOW);
	add_finding(run, "http|WEB-15|https://lab/|Cross-Origin-Opener-Policy",
	            CX_FAIL, CX_SEV_LOW);
	add_finding(run, "http|WEB-15|https://other/|Permissions-Policy",
	            CX_PASS, CX_SEV_LOW);
	add_finding(run, "ports|NET-01|127.0.0.1:23/tcp|telnet", CX_FAIL,
	            CX_SEV_CRITICAL);
	add_finding(run,
	            "http|WEB-14|https://lab.certexam.test/|/.well-known/"
	            "security.txt",
	            CX_FAIL, CX_SEV_INFO);
	ck_assert_int_eq(cx_date_parse("2026-12-02", &today), 0);
	ck_assert_int_eq(cx_waivers_apply(w, run, &prof, today), 0);
	ck_assert_int_eq(run->findings[0].status, CX_WAIVED);
	ck_assert_int_eq(run->findings[1].status, CX_WAIVED);
	ck_assert_int_eq(run->findings[2].status, CX_PASS); /* untouched */
	ck_assert_int_eq(run->findings[3].status, CX_FAIL); /* critical */
	ck_assert_int_eq(run->findings[4].status, CX_FAIL); /* expired */
	ck_assert_str_eq(state_of(run, run->findings[0].key), "applied");
	ck_assert_str_eq(state_of(run, run->findings[3].key),
	                 "refused-critical");
	ck_assert_str_eq(state_of(run, run->findings[4].key), "expired");
	for (i = 0; i < run->n_findings; i++)
		waived += run->findings[i].status == CX_WAIVED;
	ck_assert_uint_eq(waived, 2);
	cx_run_free(run);

	/* Without the profile's rule the critical one is waived; nothing
	 * else matches the expired one's key, and a waiver that matches
	 * nothing says so. */
	run = cx_run_new();
	prof.n_params = 0;
	add_finding(run, "ports|NET-01|127.0.0.1:23/tcp|telnet", CX_FAIL,
	            CX_SEV_CRITICAL);
	ck_assert_int_eq(cx_waivers_apply(w, run, &prof, today), 0);
	ck_assert_int_eq(run->findings[0].status, CX_WAIVED);
	ck_assert_str_eq(state_of(run, "http|WEB-15|*"), "unused");
	/* On 1 January 2027 the telnet waiver has expired. */
	cx_run_free(run);
	run = cx_run_new();
	add_finding(run, "ports|NET-01|127.0.0.1:23/tcp|telnet", CX_FAIL,
	            CX_SEV_CRITICAL);
	ck_assert_int_eq(cx_date_parse("2027-01-01", &today), 0);
	ck_assert_int_eq(cx_waivers_apply(w, run, &prof, today), 0);
	ck_assert_int_eq(run->findings[0].status, CX_FAIL);
	ck_assert_str_eq(state_of(run, run->findings[0].key), "expired");
	cx_run_free(run);
	cx_waivers_free(w);
	cx_diags_free(&d);
}
END_TEST

static struct cx_run *multilang_run(struct cx_waivers **w)
{
	struct cx_run *run = cx_run_new();
	struct cx_diags d = {0};
	struct cx_profile prof;
	long today;

	memset(&prof, 0, sizeof(prof));
	ck_assert_int_eq(cx_waivers_load(DATA "multilang.xml", SCHEMA, w, &d),
	                 0);
	ck_assert_uint_eq(d.n, 0);
	add_finding(run, "x|R|a", CX_FAIL, CX_SEV_LOW);
	add_finding(run, "x|R|b", CX_FAIL, CX_SEV_LOW);
	add_finding(run, "x|R|c", CX_FAIL, CX_SEV_LOW);
	ck_assert_int_eq(cx_date_parse("2026-12-02", &today), 0);
	ck_assert_int_eq(cx_waivers_apply(*w, run, &prof, today), 0);
	cx_diags_free(&d);
	return run;
}

static const char *prop_of(const struct cx_run *run, const char *finding,
                           const char *prop)
{
	size_t i;

	for (i = 0; i < run->n_obs; i++)
		if (strcmp(run->obs[i].kind, "waiver") == 0 &&
		    strcmp(cx_obs_get(&run->obs[i], "finding"), finding) == 0)
			return cx_obs_get(&run->obs[i], prop);
	return NULL;
}

START_TEST(multilingual_texts)
{
	struct cx_waivers *w = NULL;
	struct cx_run *run = multilang_run(&w);
	const struct cx_waiver *a = &w->items[0], *b = &w->items[1];

	/* kk given first: the default; each language kept */
	ck_assert_str_eq(a->justification, "Қазақ тіліндегі негіздеме.");
	ck_assert_str_eq(a->just.lang, "kk");
	ck_assert_str_eq(a->just.own[1], "Обоснование на русском языке.");
	ck_assert_ptr_null(a->just.own[2]);
	ck_assert_str_eq(a->approved_by, "А. Экзамплов, АҚ бөлімінің басшысы");
	ck_assert_str_eq(a->approver.own[1],
	                 "А. Экзамплов, начальник отдела ИБ");
	/* approved-by as the attribute: untagged, nothing else kept */
	ck_assert_str_eq(b->approved_by, "A. Examplov");
	ck_assert_ptr_null(b->approver.lang);
	ck_assert_ptr_null(b->approver.own[0]);
	ck_assert_str_eq(b->just.lang, "ru");
	ck_assert_ptr_null(w->items[2].just.lang);
	/* the run records every language and the default's */
	ck_assert_str_eq(prop_of(run, "x|R|a", "justification.lang"), "kk");
	ck_assert_str_eq(prop_of(run, "x|R|a", "justification.ru"),
	                 "Обоснование на русском языке.");
	ck_assert_str_eq(prop_of(run, "x|R|a", "approved_by.kk"),
	                 "А. Экзамплов, АҚ бөлімінің басшысы");
	ck_assert_ptr_null(prop_of(run, "x|R|a", "justification.en"));
	ck_assert_ptr_null(prop_of(run, "x|R|c", "justification.lang"));
	ck_assert_str_eq(prop_of(run, "x|R|c", "state"), "applied");
	cx_run_free(run);
	cx_waivers_free(w);
}
END_TEST

/* A text lacking one of the case's languages is named, with what the act
 * prints instead; an untagged text alone never is. */
START_TEST(missing_languages_warned)
{
	static const struct {
		const char *langs;
		size_t n;
		const char *first_msg, *first_text;
	} cases[] = {
	    {"kk ru", 2, "pkg.ltext.missing-lang",
	     "no text with xml:lang=\"kk\": the kk act prints the ru (first "
	     "given) text"},
	    {"en", 4, "pkg.ltext.missing-lang",
	     "no text with xml:lang=\"en\": the en act prints the kk (first "
	     "given) text"},
	    {"kk", 1, "pkg.ltext.missing-lang", NULL},
	    {"ru", 1, "pkg.ltext.missing-lang-untagged",
	     "no text with xml:lang=\"ru\": the ru act prints the untagged "
	     "text"},
	};
	struct cx_waivers *w = NULL;
	struct cx_diags d = {0};
	size_t k, i;

	ck_assert_int_eq(cx_waivers_load(DATA "multilang.xml", SCHEMA, &w, &d),
	                 0);
	ck_assert_uint_eq(d.n, 0);
	for (k = 0; k < CX_ARRAY_LEN(cases); k++) {
		ck_assert_int_eq(cx_waivers_check_langs(w, cases[k].langs,
		                                        "waivers.xml", &d),
		                 0);
		ck_assert_msg(d.n == cases[k].n, "%s: %zu warnings",
		              cases[k].langs, d.n);
		for (i = 0; i < d.n; i++) {
			ck_assert(d.items[i].is_warning);
			ck_assert_int_gt(d.items[i].line, 0);
			ck_assert_ptr_nonnull(d.items[i].msg);
		}
		ck_assert_str_eq(d.items[0].msg, cases[k].first_msg);
		if (cases[k].first_text != NULL)
			ck_assert_str_eq(d.items[0].message,
			                 cases[k].first_text);
		cx_diags_free(&d);
	}
	cx_waivers_free(w);
}
END_TEST

static char *render(const struct cx_act *act, const char *fmt)
{
	const struct cx_act_writer *wr = cx_act_writer_find(fmt);
	struct cx_buf buf = {0};

	ck_assert_ptr_nonnull(wr);
	ck_assert_int_eq(wr->write(act, &buf), 0);
	return cx_buf_steal(&buf);
}

/* Each act prints its own language's text, else the default with the
 * catalog's note of its language; untagged text has no note. */
START_TEST(act_per_language)
{
	static const char *const langs[] = {"kk", "ru", "en"};
	/* [lang][0]: waiver a's text, [1]: b's, [2]: a's approver */
	static const char *const want[3][3] = {
	    {"Қазақ тіліндегі негіздеме.",
	     "Только на русском языке. (мәтін орыс тілінде берілген: қазақ "
	     "тіліндегі мәтіні жоқ)",
	     "А. Экзамплов, АҚ бөлімінің басшысы"},
	    {"Обоснование на русском языке.", "Только на русском языке.",
	     "А. Экзамплов, начальник отдела ИБ"},
	    {"Қазақ тіліндегі негіздеме. (given in Kazakh: the waiver has no "
	     "English text)",
	     "Только на русском языке. (given in Russian: the waiver has no "
	     "English text)",
	     "А. Экзамплов, АҚ бөлімінің басшысы (given in Kazakh: the "
	     "waiver has no English text)"}};
	static const char *const lang_of_b[] = {"ru", "ru", "ru"};
	struct cx_waivers *w = NULL;
	struct cx_run *run = multilang_run(&w);
	struct cx_catalog *cat = NULL;
	struct cx_diags d = {0};
	struct cx_act *act = NULL;
	char *md, *html, *json, q[512];
	size_t k;

	ck_assert_int_eq(cx_catalog_load_lang(CX_SOURCE_PROFILES "/i18n",
	                                      langs[_i], &cat, &d),
	                 0);
	ck_assert_int_eq(cx_act_build(run, NULL, NULL, "2026-12-02", &act), 0);
	act->cat = cat;
	act->lang = langs[_i];
	md = render(act, "md");
	html = render(act, "html");
	json = render(act, "json");
	for (k = 0; k < 3; k++)
		ck_assert_msg(strstr(md, want[_i][k]) != NULL, "%s: no \"%s\"",
		              langs[_i], want[_i][k]);
	/* the other language's text is not printed where the act has its
	 * own */
	if (_i == 1)
		ck_assert_ptr_null(strstr(md, "Қазақ тіліндегі негіздеме"));
	if (_i == 0)
		ck_assert_ptr_null(strstr(md, "Обоснование на русском"));
	/* untagged: as given, no note, escaped */
	ck_assert_ptr_null(strstr(md, "</b>. ("));
	ck_assert_ptr_null(strstr(html, "<b>"));
	ck_assert_ptr_nonnull(strstr(html, "Untagged &lt;b&gt;text"));
	/* data: the bare text and the language it is in */
	ck_assert_ptr_nonnull(strstr(json, "\"justification_lang\""));
	snprintf(q, sizeof(q), "\"justification_lang\": \"%s\"", lang_of_b[_i]);
	ck_assert_msg(strstr(json, q) != NULL, "%s: %s", langs[_i], q);
	ck_assert_ptr_null(strstr(json, "(given in"));
	free(md);
	free(html);
	free(json);
	cx_act_free(act);
	cx_catalog_free(cat);
	cx_diags_free(&d);
	cx_run_free(run);
	cx_waivers_free(w);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("waivers");
	TCase *tc = tcase_create("waivers");
	SRunner *sr;
	int failed;

	tcase_add_loop_test(tc, patterns, 0, (int)CX_ARRAY_LEN(pats));
	tcase_add_test(tc, refused_files);
	tcase_add_test(tc, apply);
	tcase_add_test(tc, multilingual_texts);
	tcase_add_test(tc, missing_languages_warned);
	tcase_add_loop_test(tc, act_per_language, 0, 3);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
