/*
 * certexam — unit tests for dates, the working-day calendar
 * (scanner/case/calendar.c, profiles/calendar/KZ-*.xml) and the terms of
 * the procedure (scanner/case/procedure.c, deadlines.c): every term across
 * holidays, the day off after a holiday on a weekend (Nauryz 2026), the
 * moves of 2024 and 2025, Kurban Ait, and a year whose data is incomplete.
 * The expected dates were counted by hand on the calendar and cross-checked
 * with an independent script.  Malformed calendar files are refused with
 * the file, the line and a message id (pkg.calendar.*) worded in kk, ru
 * and en; the note of a year is given in kk, ru and en (xml:lang).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certexam/calendar.h"
#include "certexam/case_msg.h"
#include "certexam/deadlines.h"
#include "certexam/i18n.h"
#include "certexam/procedure.h"
#include "certexam/util.h"
#include "diag_util.h"

#define PROFILES CX_SOURCE_PROFILES
#define DATA     CX_TEST_DATA "/procedure/"

static struct cx_calendar *cal;

static void cal_setup(void)
{
	struct cx_diags d = {0};

	ck_assert_int_eq(cx_calendar_load(PROFILES "/calendar",
	                                  PROFILES "/schema", 2024, 2027, &cal,
	                                  &d),
	                 0);
	ck_assert_uint_eq(d.n, 0);
	cx_diags_free(&d);
}

static void cal_teardown(void)
{
	cx_calendar_free(cal);
	cal = NULL;
}

static long day_of(const char *s)
{
	long d;

	ck_assert_msg(cx_date_parse(s, &d) == 0, "date %s", s);
	return d;
}

START_TEST(dates)
{
	char s[16];
	long d;

	ck_assert_int_eq(cx_date_parse("1970-01-01", &d), 0);
	ck_assert_int_eq(d, 0);
	ck_assert_int_eq(cx_date_wday(d), 3);                    /* Thursday */
	ck_assert_int_eq(cx_date_wday(day_of("2026-03-23")), 0); /* Monday */
	ck_assert_int_eq(cx_date_parse("2024-02-29", &d), 0);
	ck_assert_int_eq(cx_date_parse("2026-02-29", &d), CX_EINVAL);
	ck_assert_int_eq(cx_date_parse("2026-13-01", &d), CX_EINVAL);
	ck_assert_int_eq(cx_date_parse("2026-1-01", &d), CX_EINVAL);
	ck_assert_int_eq(cx_date_parse("2026-01-01x", &d), CX_EINVAL);
	ck_assert_int_eq(cx_date_parse(NULL, &d), CX_EINVAL);
	cx_date_str(day_of("2027-12-31"), s, sizeof(s));
	ck_assert_str_eq(s, "2027-12-31");
	ck_assert_int_eq(cx_date_year(day_of("2027-12-31")), 2027);
}
END_TEST

START_TEST(march_2026)
{
	/* Weekends, 8 March on a Sunday (9 March off), Nauryz 21-23 with
	 * the 21st and 22nd on the weekend (24 and 25 March off). */
	static const int off[] = {1,  7,  8,  9,  14, 15, 21,
	                          22, 23, 24, 25, 28, 29};
	char s[16];
	int dd, k = 0, w;

	for (dd = 1; dd <= 31; dd++) {
		snprintf(s, sizeof(s), "2026-03-%02d", dd);
		w = cx_calendar_working(cal, day_of(s));
		if (k < (int)CX_ARRAY_LEN(off) && off[k] == dd) {
			ck_assert_msg(w == 0, "%s should be a day off", s);
			k++;
		} else {
			ck_assert_msg(w == 1, "%s should be a working day", s);
		}
	}
}
END_TEST

START_TEST(moves_and_religious)
{
	/* 2024: the day off moved from Saturday 4 May to Wednesday 8 May. */
	ck_assert_int_eq(cx_calendar_working(cal, day_of("2024-05-04")), 1);
	ck_assert_int_eq(cx_calendar_working(cal, day_of("2024-05-08")), 0);
	/* 2025: from Sunday 5 January to Friday 3 January. */
	ck_assert_int_eq(cx_calendar_working(cal, day_of("2025-01-05")), 1);
	ck_assert_int_eq(cx_calendar_working(cal, day_of("2025-01-03")), 0);
	/* Christmas on Sunday 7 January 2024 is not moved. */
	ck_assert_int_eq(cx_calendar_working(cal, day_of("2024-01-08")), 1);
	/* Kurban Ait 27 May 2026 (Wednesday). */
	ck_assert_int_eq(cx_calendar_working(cal, day_of("2026-05-27")), 0);
	/* Republic Day on Sunday 25 October 2026: Monday 26 off. */
	ck_assert_int_eq(cx_calendar_working(cal, day_of("2026-10-26")), 0);
	/* Outside the years held. */
	ck_assert_int_eq(cx_calendar_working(cal, day_of("2028-01-03")),
	                 CX_ENOENT);
	ck_assert_int_eq(cal->complete[2027 - 2024], 0);
	ck_assert_int_eq(cal->complete[2026 - 2024], 1);
}
END_TEST

/* A term: para, base, working days, expected due date, crosses an
 * incomplete year. */
static const struct term_case {
	const char *para;
	const char *base;
	int days;
	const char *due;
	int incomplete;
} terms[] = {
    /* para 17 (3): over Nauryz 2026 */
    {"17", "2026-03-19", 3, "2026-03-27", 0},
    /* para 17 (5): over Nauryz 2024 (23 March on Saturday) */
    {"17", "2024-03-20", 5, "2024-04-01", 0},
    /* para 17 (3): the 2024 move, Saturday 4 May a working day */
    {"17", "2024-05-02", 3, "2024-05-06", 0},
    {"17", "2024-05-02", 5, "2024-05-13", 0},
    /* para 19 (30) from the example's contract: 26 October off */
    {"19", "2026-10-12", 30, "2026-11-24", 0},
    /* para 19 (40, geographically distributed) */
    {"19", "2026-10-12", 40, "2026-12-08", 0},
    /* para 19 (30) over Nauryz and the days after */
    {"19", "2026-03-16", 30, "2026-04-30", 0},
    /* para 27 (3): 9 March 2026 off */
    {"27", "2026-03-06", 3, "2026-03-12", 0},
    /* para 28 (3): Independence Day */
    {"28", "2026-12-15", 3, "2026-12-21", 0},
    /* para 30 (3): Constitution Day 2025 on Saturday, 1 September off */
    {"30", "2025-08-28", 3, "2025-09-03", 0},
    /* para 31 (3): the 2025 move over the New Year */
    {"31", "2024-12-31", 3, "2025-01-08", 0},
    /* para 31 (20): Kurban Ait 2026 */
    {"31", "2026-05-20", 20, "2026-06-18", 0},
    /* para 33 (3): 7 May and 11 May 2026 off */
    {"33", "2026-05-06", 3, "2026-05-13", 0},
    /* para 34 (15): 31 August 2026 off */
    {"34", "2026-08-20", 15, "2026-09-11", 0},
    /* into 2027, whose data is incomplete */
    {"34", "2026-12-28", 5, "2027-01-06", 1},
};

START_TEST(term_table)
{
	const struct term_case *t = &terms[_i];
	char s[16];
	long due;
	int inc = 0;

	ck_assert_int_eq(
	    cx_calendar_add(cal, day_of(t->base), t->days, &due, &inc), 0);
	cx_date_str(due, s, sizeof(s));
	ck_assert_msg(strcmp(s, t->due) == 0,
	              "para %s: %s + %d: got %s, want %s", t->para, t->base,
	              t->days, s, t->due);
	ck_assert_int_eq(inc, t->incomplete);
	/* The due date is the days-th working day after the base. */
	ck_assert_int_eq(cx_calendar_between(cal, day_of(t->base), due),
	                 t->days);
}
END_TEST

START_TEST(term_limits)
{
	long due;

	ck_assert_int_eq(
	    cx_calendar_add(cal, day_of("2027-12-20"), 30, &due, NULL),
	    CX_ENOENT);
	ck_assert_int_eq(
	    cx_calendar_add(cal, day_of("2026-01-05"), 0, &due, NULL),
	    CX_EINVAL);
	ck_assert_int_eq(cx_calendar_between(cal, day_of("2026-01-05"),
	                                     day_of("2026-01-05")),
	                 0);
}
END_TEST

START_TEST(procedure_terms)
{
	struct cx_procedure p;
	struct cx_term t[CX_MAX_TERMS];
	struct cx_diags d = {0};
	size_t n;

	ck_assert_int_eq(
	    cx_procedure_load(DATA, PROFILES "/schema", NULL, &p, &d), 0);
	/* DATA holds no procedure.xml: nothing recorded. */
	ck_assert_int_eq(p.day[CX_EV_ACT], -1);
	ck_assert_int_eq(
	    cx_procedure_terms(&p, cal, day_of("2026-07-20"), t, &n), 0);
	ck_assert_uint_eq(n, 8);
	ck_assert_int_eq(t[2].state, CX_TERM_UNKNOWN);
	cx_diags_free(&d);
}
END_TEST

/* Copy a fixture to dir/procedure.xml. */
static void case_with(const char *dir, const char *fixture)
{
	char *data = NULL, *to;
	size_t len;
	FILE *f;

	ck_assert_int_eq(cx_read_file(fixture, 1 << 20, &data, &len), 0);
	to = cx_path_join(dir, "procedure.xml");
	f = fopen(to, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
	free(to);
	free(data);
}

START_TEST(late_case)
{
	struct cx_deadlines dl;
	struct cx_diags d = {0};
	struct cx_buf b = {0};
	char dir[] = "/tmp/cx-cal-XXXXXX", s[16], *pf;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	case_with(dir, DATA "late.xml");
	ck_assert_int_eq(cx_deadlines_load(dir, PROFILES, NULL,
	                                   day_of("2026-07-20"), &dl, &d),
	                 0);
	ck_assert_uint_eq(dl.n_terms, 8);
	/* para 17: sent on the due day; returned 2 working days late. */
	ck_assert_int_eq(dl.terms[0].state, CX_TERM_MET);
	ck_assert_int_eq(dl.terms[1].state, CX_TERM_OVERDUE);
	ck_assert_int_eq(dl.terms[1].late, 2);
	cx_date_str(dl.terms[1].due, s, sizeof(s));
	ck_assert_str_eq(s, "2026-04-06");
	/* para 19: due 25 May, the act of 26 May is one day late. */
	ck_assert_str_eq(dl.terms[2].para, "19");
	ck_assert_int_eq(dl.terms[2].state, CX_TERM_OVERDUE);
	ck_assert_int_eq(dl.terms[2].late, 1);
	cx_date_str(dl.terms[2].due, s, sizeof(s));
	ck_assert_str_eq(s, "2026-05-25");
	/* para 27 met (due 1 June); the act sent under para 31, met. */
	ck_assert_int_eq(dl.terms[3].state, CX_TERM_MET);
	ck_assert_str_eq(dl.terms[4].para, "31");
	ck_assert_int_eq(dl.terms[4].state, CX_TERM_MET);
	/* para 31 (20): due 2 July, notified 3 July. */
	ck_assert_int_eq(dl.terms[5].state, CX_TERM_OVERDUE);
	ck_assert_int_eq(dl.terms[5].late, 1);
	/* para 33: not done, due 9 July, 7 working days ago. */
	ck_assert_int_eq(dl.terms[6].state, CX_TERM_OVERDUE);
	ck_assert_int_eq(dl.terms[6].done, -1);
	ck_assert_int_eq(dl.terms[6].late, 7);
	ck_assert_int_eq(dl.terms[7].state, CX_TERM_UNKNOWN);
	ck_assert_uint_eq(cx_deadlines_overdue(&dl), 4);
	ck_assert_ptr_eq(cx_deadlines_find(&dl, "19"), &dl.terms[2]);
	/* The state in words of the catalogs (the act and the deadlines
	 * command both use them), in Russian. */
	{
		struct cx_catalog *ru = NULL;
		ck_assert_int_eq(
		    cx_catalog_load_lang(PROFILES "/i18n", "ru", &ru, &d), 0);
		ck_assert_int_eq(cx_term_state_msg(&b, ru, &dl.terms[2], NULL),
		                 0);
		ck_assert_str_eq(b.data, "СРОК НАРУШЕН: выполнено 2026-05-26, "
		                         "на 1 рабочих дн. позже срока "
		                         "2026-05-25");
		cx_catalog_free(ru);
	}
	cx_buf_free(&b);
	cx_deadlines_free(&dl);

	/* Malformed and repeated events are refused with their line. */
	case_with(dir, DATA "bad.xml");
	ck_assert_int_ne(cx_deadlines_load(dir, PROFILES, NULL,
	                                   day_of("2026-07-20"), &dl, &d),
	                 0);
	ck_assert_uint_gt(d.n, 0);
	ck_assert_int_eq(d.items[d.n - 1].line, 3);
	cx_diags_free(&d);
	case_with(dir, DATA "twice.xml");
	ck_assert_int_ne(cx_deadlines_load(dir, PROFILES, NULL,
	                                   day_of("2026-07-20"), &dl, &d),
	                 0);
	ck_assert_ptr_nonnull(strstr(d.items[d.n - 1].message,
	                             "recorded again (first on line 3)"));
	ck_assert_str_eq(d.items[d.n - 1].msg, "pkg.procedure.again");
	cx_diags_free(&d);
	/* Before 1970: day -1 would read as "not recorded" (fuzz_case_xml). */
	case_with(dir, DATA "before1970.xml");
	ck_assert_int_ne(cx_deadlines_load(dir, PROFILES, NULL,
	                                   day_of("2026-07-20"), &dl, &d),
	                 0);
	ck_assert_uint_gt(d.n, 0);
	ck_assert_str_eq(d.items[d.n - 1].msg, "pkg.procedure.bad-event");
	ck_assert_int_eq(d.items[d.n - 1].line, 3);
	cx_diags_free(&d);
	pf = cx_path_join(dir, "procedure.xml");
	remove(pf);
	free(pf);
	rmdir(dir);
}
END_TEST

/* The act and `deadlines` word a term's state with one function
 * (cx_term_state_msg, D12): exact sentences in ru, kk and en, and the id in
 * brackets without a catalog. */
START_TEST(term_state_words)
{
	static const struct {
		const char *lang, *met, *late, *unknown;
	} want[] = {
	    {"ru", "соблюдён (выполнено 2026-05-20, срок 2026-05-25)",
	     "СРОК НАРУШЕН: выполнено 2026-05-26, на 1 рабочих дн. позже "
	     "срока 2026-05-25",
	     "не может быть рассчитан: в деле не записано «договор»"},
	    {"kk", "сақталды (орындалды 2026-05-20, мерзімі 2026-05-25)",
	     "МЕРЗІМІ ӨТКЕН: 2026-05-26 орындалды, бұл 2026-05-25 мерзімінен "
	     "1 жұмыс күні кейін",
	     "есептеу мүмкін емес: іс қалтасында «договор» тіркелмеген"},
	    {"en", "met (done 2026-05-20, due 2026-05-25)",
	     "OVERDUE: done 2026-05-26, 1 working day(s) after the due date "
	     "2026-05-25",
	     "cannot be computed: the case does not record 'договор'"},
	};
	struct cx_term t = {0};
	struct cx_buf b = {0};
	struct cx_catalog *cat = NULL;
	struct cx_diags d = {0};
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(want); i++) {
		ck_assert_int_eq(cx_catalog_load_lang(PROFILES "/i18n",
		                                      want[i].lang, &cat, &d),
		                 0);
		t.due = day_of("2026-05-25");
		t.done = day_of("2026-05-20");
		t.state = CX_TERM_MET;
		b.len = 0;
		ck_assert_int_eq(cx_term_state_msg(&b, cat, &t, NULL), 0);
		ck_assert_str_eq(b.data, want[i].met);
		t.done = day_of("2026-05-26");
		t.late = 1;
		t.state = CX_TERM_OVERDUE;
		b.len = 0;
		ck_assert_int_eq(cx_term_state_msg(&b, cat, &t, NULL), 0);
		ck_assert_str_eq(b.data, want[i].late);
		t.state = CX_TERM_UNKNOWN;
		b.len = 0;
		ck_assert_int_eq(cx_term_state_msg(&b, cat, &t, "договор"), 0);
		ck_assert_str_eq(b.data, want[i].unknown);
		cx_catalog_free(cat);
		cat = NULL;
	}
	t.state = CX_TERM_NO_CALENDAR;
	b.len = 0;
	ck_assert_int_eq(cx_term_state_msg(&b, NULL, &t, NULL), 0);
	ck_assert_str_eq(b.data, "[act.proc.term.state.no-calendar]");
	cx_buf_free(&b);
	cx_diags_free(&d);
}
END_TEST

#define BAD CX_TEST_DATA "/calendar-bad"

static const struct {
	const char *dir, *msg, *text;
	long line;
	int rc;
} bad_cals[] = {
    {BAD "/wrong-year", "pkg.calendar.wrong-year",
     "the file is for the year 2031, not 2030", 3, CX_EPARSE},
    {BAD "/holiday-year", "pkg.calendar.holiday-year",
     "the holiday is not in 2030", 5, CX_EPARSE},
    {BAD "/bad-date", "pkg.calendar.bad-date",
     "'2030-02-30' is not a real date (YYYY-MM-DD)", 5, CX_EINVAL},
    {BAD "/move-outside", "pkg.calendar.move-outside",
     "the move leaves the years loaded", 5, CX_EPARSE},
    {BAD "/note-lang", "pkg.calendar.note-no-lang",
     "a <note> needs xml:lang=\"kk\", \"ru\" or \"en\"", 5, CX_EPARSE},
    {BAD "/note-bad-lang", "pkg.calendar.note-lang",
     "a <note> needs xml:lang=\"kk\", \"ru\" or \"en\", not \"de\"", 5,
     CX_EPARSE},
    {BAD "/note-twice", "pkg.calendar.note-twice",
     "the note in xml:lang=\"ru\" is given twice (first on line 5)", 6,
     CX_EPARSE},
    {BAD "/note-missing", "pkg.calendar.note-missing",
     "the note has no text in xml:lang=\"kk\": give it in kk, ru and en", 5,
     CX_EPARSE},
    {BAD, "pkg.calendar.none",
     "no working-day calendar (KZ-YYYY.xml) for the years 2030-2030", 0,
     CX_ENOENT},
    {BAD "/truncated", NULL, NULL, 3, 0},
};

START_TEST(malformed_calendars)
{
	static const char *const langs[] = {"en", "kk", "ru"};
	struct cx_calendar *c = NULL;
	struct cx_catalog *cat = NULL;
	struct cx_diags d = {0};
	struct cx_buf b = {0};
	const struct cx_diag *g;
	int rc, k;

	rc = cx_calendar_load(bad_cals[_i].dir, PROFILES "/schema", 2030, 2030,
	                      &c, &d);
	ck_assert_int_ne(rc, 0);
	if (bad_cals[_i].rc != 0)
		ck_assert_int_eq(rc, bad_cals[_i].rc);
	ck_assert_ptr_null(c);
	ck_assert_uint_gt(d.n, 0);
	g = &d.items[d.n - 1];
	if (bad_cals[_i].line > 0)
		ck_assert_int_ge(g->line, bad_cals[_i].line);
	if (bad_cals[_i].msg == NULL) {
		cx_diags_free(&d);
		return; /* the XML parser's own words */
	}
	ck_assert_int_eq(g->line, bad_cals[_i].line);
	ck_assert_str_eq(g->msg, bad_cals[_i].msg);
	ck_assert_str_eq(g->message, bad_cals[_i].text);
	for (k = 0; k < 3; k++) {
		ck_assert_int_eq(
		    cx_catalog_load_lang(PROFILES "/i18n", langs[k], &cat, &d),
		    0);
		b.len = 0;
		ck_assert_int_eq(
		    cx_case_msg_args(&b, cat, g->msg, g->args, g->message), 0);
		ck_assert_ptr_null(strchr(b.data, '{'));
		if (k == 0)
			ck_assert_str_eq(b.data, g->message);
		else
			ck_assert_str_ne(b.data, g->message);
		cx_catalog_free(cat);
		cat = NULL;
	}
	cx_buf_free(&b);
	cx_diags_free(&d);
}
END_TEST

/* The note of an incomplete year in the language asked for (the
 * deadlines command prints it in the terminal's language). */
START_TEST(notes_per_language)
{
	const char *kk = cx_calendar_note(cal, 2027, "kk");
	const char *ru = cx_calendar_note(cal, 2027, "ru");
	const char *en = cx_calendar_note(cal, 2027, "en");
	int y;

	ck_assert_ptr_nonnull(kk);
	ck_assert_ptr_nonnull(ru);
	ck_assert_ptr_nonnull(en);
	ck_assert_str_eq(cx_calendar_note(cal, 2027, "RU"), ru);
	ck_assert_int_eq(
	    strncmp(kk, "КҮНТІЗБЕ ТОЛЫҚ ЕМЕС: 2027 жылғы Құрбан айт",
	            strlen("КҮНТІЗБЕ ТОЛЫҚ ЕМЕС: 2027 жылғы Құрбан "
	                   "айт")),
	    0);
	ck_assert_int_eq(strncmp(ru,
	                         "КАЛЕНДАРЬ НЕПОЛОН: первый день Курбан "
	                         "айта в 2027 году",
	                         strlen("КАЛЕНДАРЬ НЕПОЛОН: первый день Курбан "
	                                "айта в 2027 году")),
	                 0);
	ck_assert_int_eq(strncmp(en, "NOT COMPLETE: ", 14), 0);
	/* every year's note: kk and ru hold no English sentence */
	for (y = 2024; y <= 2027; y++) {
		const char *t;

		t = cx_calendar_note(cal, y, "kk");
		ck_assert_ptr_nonnull(t);
		ck_assert_msg(english_in(t, NULL) == NULL, "kk %d: %s", y,
		              english_in(t, NULL));
		t = cx_calendar_note(cal, y, "ru");
		ck_assert_ptr_nonnull(t);
		ck_assert_msg(english_in(t, NULL) == NULL, "ru %d: %s", y,
		              english_in(t, NULL));
	}
	ck_assert_ptr_null(cx_calendar_note(cal, 2028, "ru"));
	ck_assert_ptr_null(cx_calendar_note(cal, 2027, "de"));
	ck_assert_ptr_null(cx_calendar_note(cal, 2027, NULL));
	ck_assert_ptr_null(cx_calendar_note(NULL, 2027, "ru"));
}
END_TEST

static Suite *calendar_suite(void)
{
	Suite *s = suite_create("calendar");
	TCase *tc = tcase_create("calendar");

	tcase_add_checked_fixture(tc, cal_setup, cal_teardown);
	tcase_add_test(tc, dates);
	tcase_add_test(tc, march_2026);
	tcase_add_test(tc, notes_per_language);
	tcase_add_test(tc, moves_and_religious);
	tcase_add_loop_test(tc, term_table, 0, (int)CX_ARRAY_LEN(terms));
	tcase_add_test(tc, term_limits);
	tcase_add_test(tc, procedure_terms);
	tcase_add_test(tc, late_case);
	tcase_add_test(tc, term_state_words);
	tcase_add_loop_test(tc, malformed_calendars, 0,
	                    (int)CX_ARRAY_LEN(bad_cals));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(calendar_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
