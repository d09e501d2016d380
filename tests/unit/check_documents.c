/*
 * certexam — unit tests for the documents check (checks/documents.c):
 * each Annex 3 criterion on its own (provided, approved with order number
 * and date, sections, current against the day of the examination, the
 * object's creation and the profile's limit, staff acquainted), item 7
 * without cryptography, and the act's "annex3-document" observations.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/calendar.h"
#include "certexam/check.h"
#include "certexam/object.h"
#include "certexam/profile.h"
#include "certexam/run.h"

extern const struct cx_check cx_check_documents;

#define D(n, st, appr, ord, aq)                                                \
	{                                                                      \
		.number = (n), .status = (st), .approved = (appr),             \
		.order = (ord), .acquainted = (aq), .title = "T"               \
	}

static struct cx_doc_section secs[] = {
    {.name = "purpose", .present = 1},
    {.name = "responsibilities", .present = 0},
};

static struct cx_document docs[] = {
    D(1, "provided", "2026-03-01", "12-OD", 1),
    D(2, "provided", "2026-03-01", NULL, 1),
    D(3, "provided", NULL, "5", 1),
    D(4, "provided", "2031-01-01", "1", 1),
    D(5, "provided", "2009-01-01", "1", 1),
    D(6, "provided", "2022-01-01", "1", 1),
    D(7, "missing", NULL, NULL, -1),
    D(8, "provided", "2026-03-01", "1", -1),
    D(9, "provided", "2026-03-01", "1", 0),
    D(10, "provided", "2026-03-01", "1", 1),
    D(11, "missing", NULL, NULL, -1),
    D(12, "not-applicable", NULL, NULL, -1),
    D(13, "deficient", "2026-03-01", "1", 1),
    D(15, "provided", "2026-03-01", "1", 1),
    D(16, "provided", "2026-03-01", "1", 1),
};

static const struct {
	int number;
	enum cx_status status;
	const char *says; /* in the observed text */
} want[] = {
    {1, CX_PASS, "approved by order No. 12-OD of 2026-03-01"},
    {2, CX_FAIL, "approved: no order number"},
    {3, CX_FAIL, "approved: no approval date"},
    {4, CX_FAIL, "2031-01-01 is after the day of the examination"},
    {5, CX_FAIL, "before the object was created (2020-01-01)"},
    {6, CX_FAIL, "more than 3 years before the examination"},
    {7, CX_NOT_APPLICABLE, "declares no cryptographic protection"},
    {8, CX_NOT_CHECKED, "staff acquaintance not recorded"},
    {9, CX_FAIL, "staff not acquainted"},
    {10, CX_FAIL, "section 'responsibilities' missing"},
    {11, CX_FAIL, "provided: not submitted"},
    {12, CX_FAIL, "mandatory for this object"},
    {13, CX_FAIL, "does not meet the requirements"},
    {14, CX_NOT_CHECKED, "not recorded in object.xml"},
    {15, CX_PASS, "staff acquainted"},
    {16, CX_PASS, "provided"},
};

START_TEST(criteria)
{
	struct cx_diags d = {0};
	struct cx_profile *prof = NULL;
	struct cx_object obj;
	struct cx_check_ctx ctx;
	struct cx_run *run = cx_run_new();
	long today;
	size_t i, k, obs = 0;

	ck_assert_ptr_nonnull(run);
	ck_assert_int_eq(cx_profile_load_id(CX_SOURCE_PROFILES,
	                                    "information-system", &prof, &d),
	                 0);
	memset(&obj, 0, sizeof(obj));
	obj.short_name = "OBJ";
	obj.created = "2020-01-01";
	obj.uses_crypto = 0;
	obj.documents = docs;
	obj.n_documents = sizeof(docs) / sizeof(docs[0]);
	docs[9].sections = secs;
	docs[9].n_sections = 2;
	ck_assert_int_eq(cx_date_parse("2026-07-01", &today), 0);
	run->started = (time_t)today * 86400 + 3600;
	memset(&ctx, 0, sizeof(ctx));
	ctx.obj = &obj;
	ctx.profile = prof;
	ctx.run = run;
	ck_assert_int_eq(cx_check_documents.run(&ctx), 0);
	ck_assert_uint_eq(run->n_findings, 16);
	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		char req[16];
		const struct cx_finding *f = NULL;

		snprintf(req, sizeof(req), "DOC-%02d", want[k].number);
		for (i = 0; i < run->n_findings; i++)
			if (strcmp(run->findings[i].req_id, req) == 0)
				f = &run->findings[i];
		ck_assert_msg(f != NULL, "%s missing", req);
		ck_assert_msg(f->status == want[k].status,
		              "%s: %s, want %s (%s)", req,
		              cx_status_name(f->status),
		              cx_status_name(want[k].status), f->observed);
		ck_assert_msg(strstr(f->observed, want[k].says) != NULL,
		              "%s: '%s' lacks '%s'", req, f->observed,
		              want[k].says);
	}
	for (i = 0; i < run->n_obs; i++)
		obs += strcmp(run->obs[i].kind, "annex3-document") == 0;
	ck_assert_uint_eq(obs, 16);
	/* With cryptography declared, item 7 "missing" is a deficiency. */
	cx_run_free(run);
	run = cx_run_new();
	ck_assert_ptr_nonnull(run);
	ctx.run = run;
	obj.uses_crypto = 1;
	ck_assert_int_eq(cx_check_documents.run(&ctx), 0);
	for (i = 0; i < run->n_findings; i++)
		if (strcmp(run->findings[i].req_id, "DOC-07") == 0)
			ck_assert_int_eq(run->findings[i].status, CX_FAIL);
	cx_run_free(run);
	cx_profile_free(prof);
	cx_diags_free(&d);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("documents");
	TCase *tc = tcase_create("documents");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, criteria);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
