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

/* The decisive criterion of each document: its finding (item, message id
 * and status) and the document's overall status in its observation. */
static const struct {
	int number;
	const char *item; /* the criterion: the finding's item */
	enum cx_status status;
	const char *msg;
	enum cx_status overall;
} want[] = {
    {1, "approved", CX_PASS, "doc.annex3.approved", CX_PASS},
    {2, "approved", CX_FAIL, "doc.annex3.no-order", CX_FAIL},
    {3, "approved", CX_FAIL, "doc.annex3.no-date", CX_FAIL},
    {4, "current", CX_FAIL, "doc.annex3.future", CX_FAIL},
    {5, "current", CX_FAIL, "doc.annex3.before-created", CX_FAIL},
    {6, "current", CX_FAIL, "doc.annex3.too-old", CX_FAIL},
    {7, NULL, CX_NOT_APPLICABLE, "doc.annex3.no-crypto", CX_NOT_APPLICABLE},
    {8, "acquainted", CX_NOT_CHECKED, "doc.annex3.acquaintance-unknown",
     CX_NOT_CHECKED},
    {9, "acquainted", CX_FAIL, "doc.annex3.not-acquainted", CX_FAIL},
    {10, "sections", CX_FAIL, "doc.annex3.section-missing", CX_FAIL},
    {11, "provided", CX_FAIL, "doc.annex3.absent", CX_FAIL},
    {12, "provided", CX_FAIL, "doc.annex3.na-mandatory", CX_FAIL},
    {13, "provided", CX_FAIL, "doc.annex3.deficient", CX_FAIL},
    {14, NULL, CX_NOT_CHECKED, "doc.annex3.not-recorded", CX_NOT_CHECKED},
    {15, "acquainted", CX_PASS, "doc.annex3.acquainted", CX_PASS},
    {16, "provided", CX_PASS, "doc.annex3.provided", CX_PASS},
};

static const char *arg(const struct cx_finding *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n_args; i++)
		if (strcmp(f->args[i].name, name) == 0)
			return f->args[i].value;
	return NULL;
}

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
	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		char req[16], num[8];
		const struct cx_finding *f = NULL;
		const struct cx_observation *o = NULL;

		snprintf(req, sizeof(req), "DOC-%02d", want[k].number);
		snprintf(num, sizeof(num), "%d", want[k].number);
		for (i = 0; i < run->n_findings; i++)
			if (strcmp(run->findings[i].req_id, req) == 0 &&
			    (run->findings[i].item == NULL) ==
			        (want[k].item == NULL) &&
			    (want[k].item == NULL ||
			     strcmp(run->findings[i].item, want[k].item) == 0))
				f = &run->findings[i];
		ck_assert_msg(f != NULL, "%s %s missing", req,
		              want[k].item ? want[k].item : "-");
		ck_assert_msg(f->status == want[k].status, "%s: %s, want %s",
		              req, cx_status_name(f->status),
		              cx_status_name(want[k].status));
		ck_assert_str_eq(f->msg, want[k].msg);
		ck_assert_str_eq(arg(f, "item"), num);
		/* no English in .observed: only the examiner's note */
		ck_assert_ptr_null(f->observed);
		for (i = 0; i < run->n_obs; i++)
			if (strcmp(run->obs[i].kind, "annex3-document") == 0 &&
			    strcmp(cx_obs_get(&run->obs[i], "number"), num) ==
			        0)
				o = &run->obs[i];
		ck_assert_ptr_nonnull(o);
		ck_assert_str_eq(cx_obs_get(o, "status"),
		                 cx_status_name(want[k].overall));
	}
	/* the parameters of a cause */
	for (i = 0; i < run->n_findings; i++) {
		const struct cx_finding *f = &run->findings[i];
		if (strcmp(f->req_id, "DOC-05") == 0 && f->item &&
		    strcmp(f->item, "current") == 0) {
			ck_assert_str_eq(arg(f, "date"), "2009-01-01");
			ck_assert_str_eq(arg(f, "created"), "2020-01-01");
		}
		if (strcmp(f->req_id, "DOC-06") == 0 && f->item &&
		    strcmp(f->item, "current") == 0)
			ck_assert_str_eq(arg(f, "years"), "3");
		if (strcmp(f->req_id, "DOC-10") == 0 && f->item &&
		    strcmp(f->item, "sections") == 0)
			ck_assert_str_eq(arg(f, "sections"),
			                 "«responsibilities»");
	}
	/* one failing finding per failed criterion: DOC-02 fails only one */
	for (i = 0, k = 0; i < run->n_findings; i++)
		k += strcmp(run->findings[i].req_id, "DOC-02") == 0 &&
		     run->findings[i].status == CX_FAIL;
	ck_assert_uint_eq(k, 1);
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
