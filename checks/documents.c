/*
 * certexam — the documents check: the Annex 3 list of technical
 * documentation on information security, as the examiner records it in
 * object.xml, judged document by document on five criteria against the
 * profile's DOC-NN requirements:
 *
 *   provided     the document was submitted (status provided or deficient)
 *   approved     by an order with its number and its date (para 13(4):
 *                "approved by the possessor (owner)")
 *   sections     each section the examiner ticked is present; each section
 *                the profile lists for the document (annex3.NN.section) was
 *                assessed
 *   current      the approval date is not after the day of the examination,
 *                not before the object's creation (object.xml <created>),
 *                and not older than the profile's annex3.max_age_years
 *   acquainted   the staff have been acquainted with it
 *
 * A failed criterion fails the document; a criterion the examiner has not
 * recorded leaves it not_checked (never a pass).  Item 7 (cryptographic
 * means) is not applicable when the object declares no cryptographic
 * protection, whatever its status.  Each criterion is a finding of its
 * own (its item: provided, approved, current, sections, acquainted), with
 * one message id per cause.  Every document also becomes an
 * "annex3-document" observation (title, reference, approval, the criteria
 * that failed or were not assessed) for the act's table.
 */
#include <stdio.h>
#include <string.h>

#include "certexam/calendar.h"
#include "certexam/check.h"
#include "certexam/util.h"

static const char *nz(const char *s)
{
	return s != NULL ? s : "";
}

static const struct cx_document *find_doc(const struct cx_object *obj, int n)
{
	size_t i;

	for (i = 0; i < obj->n_documents; i++)
		if (obj->documents[i].number == n)
			return &obj->documents[i];
	return NULL;
}

/*
 * One document's findings: one per criterion, each under its own key
 * (the criterion is the finding's item), so that the additional
 * examination finds the same criterion again.  The words are a message id
 * (doc.annex3.*) per cause with named parameters; only the examiner's note
 * goes into .observed, verbatim.
 */
struct doc_ctx {
	struct cx_check_ctx *ctx;
	const char *req, *asset, *note;
	char item[8];
	size_t failed, unknown; /* criteria that failed / were not assessed */
	struct cx_buf codes;    /* the failed or unassessed criteria */
};

static int crit(struct doc_ctx *c, const char *code, enum cx_status st,
                const char *msg, const char *const *args)
{
	int rc;

	if (st == CX_FAIL)
		c->failed++;
	else if (st == CX_NOT_CHECKED)
		c->unknown++;
	if ((st == CX_FAIL || st == CX_NOT_CHECKED) &&
	    cx_buf_printf(&c->codes, "%s%s", c->codes.len ? " " : "",
	                  code != NULL ? code : "recorded"))
		return CX_ENOMEM;
	rc = cx_emit(c->ctx, &(struct cx_emit){
	                         .check = "documents",
	                         .req = c->req,
	                         .asset = c->asset,
	                         .item = code,
	                         .status = st,
	                         .msg = msg,
	                         .args = args,
	                         .observed = st == CX_PASS ? NULL : c->note,
	                         .method_msg = "method.documents.review",
	                     });
	return rc;
}

/* The sections: the examiner's ticks and the profile's list. */
static int sections(struct doc_ctx *c, const struct cx_document *d)
{
	struct cx_buf missing = {0}, unassessed = {0};
	char pname[32], present_s[24], total_s[24];
	const char *want;
	size_t i, present = 0, iter = 0;
	int found, rc = CX_OK;

	for (i = 0; i < d->n_sections && rc == CX_OK; i++) {
		if (d->sections[i].present)
			present++;
		else
			rc = cx_buf_printf(&missing, "%s«%s»",
			                   missing.len ? ", " : "",
			                   nz(d->sections[i].name));
	}
	snprintf(pname, sizeof(pname), "annex3.%02d.section", d->number);
	while (rc == CX_OK && (want = cx_profile_param_next(
	                           c->ctx->profile, pname, &iter)) != NULL) {
		found = 0;
		for (i = 0; i < d->n_sections && !found; i++)
			found = cx_strcaseeq(d->sections[i].name, want);
		if (!found)
			rc = cx_buf_printf(&unassessed, "%s«%s»",
			                   unassessed.len ? ", " : "", want);
	}
	snprintf(present_s, sizeof(present_s), "%zu", present);
	snprintf(total_s, sizeof(total_s), "%zu", d->n_sections);
	if (rc == CX_OK && missing.len)
		rc = crit(c, "sections", CX_FAIL, "doc.annex3.section-missing",
		          CX_ARGS("item", c->item, "sections", missing.data));
	else if (rc == CX_OK && unassessed.len)
		rc =
		    crit(c, "sections", CX_NOT_CHECKED,
		         "doc.annex3.section-unassessed",
		         CX_ARGS("item", c->item, "sections", unassessed.data));
	else if (rc == CX_OK && d->n_sections > 0)
		rc = crit(c, "sections", CX_PASS, "doc.annex3.sections-present",
		          CX_ARGS("item", c->item, "present", present_s,
		                  "total", total_s));
	cx_buf_free(&missing);
	cx_buf_free(&unassessed);
	return rc;
}

/* Currency of the approval date day (days since the epoch). */
static int current(struct doc_ctx *c, const struct cx_document *d, long day)
{
	const struct cx_check_ctx *ctx = c->ctx;
	long today = (long)(ctx->run->started / 86400), created, max_years;
	char years[24];

	if (ctx->run->started > 0 && day > today)
		return crit(c, "current", CX_FAIL, "doc.annex3.future",
		            CX_ARGS("item", c->item, "date", d->approved));
	if (ctx->obj->created != NULL &&
	    cx_date_parse(ctx->obj->created, &created) == CX_OK &&
	    day < created)
		return crit(c, "current", CX_FAIL, "doc.annex3.before-created",
		            CX_ARGS("item", c->item, "date", d->approved,
		                    "created", ctx->obj->created));
	max_years =
	    cx_profile_param_long(ctx->profile, "annex3.max_age_years", 0);
	snprintf(years, sizeof(years), "%ld", max_years);
	if (max_years > 0 && ctx->run->started > 0 &&
	    today - day > max_years * 366)
		return crit(c, "current", CX_FAIL, "doc.annex3.too-old",
		            CX_ARGS("item", c->item, "date", d->approved,
		                    "years", years));
	return crit(c, "current", CX_PASS, "doc.annex3.current",
	            CX_ARGS("item", c->item, "date", d->approved));
}

/* The approval (order number and date), then whether it is current. */
static int approval(struct doc_ctx *c, const struct cx_document *d)
{
	long day = 0;
	int rc;

	if (d->order == NULL && d->approved == NULL)
		rc = crit(c, "approved", CX_FAIL, "doc.annex3.not-approved",
		          CX_ARGS("item", c->item));
	else if (d->approved == NULL)
		rc = crit(c, "approved", CX_FAIL, "doc.annex3.no-date",
		          CX_ARGS("item", c->item, "order", d->order));
	else if (cx_date_parse(d->approved, &day) != CX_OK)
		return crit(c, "approved", CX_FAIL, "doc.annex3.bad-date",
		            CX_ARGS("item", c->item, "date", d->approved));
	else if (d->order == NULL)
		rc = crit(c, "approved", CX_FAIL, "doc.annex3.no-order",
		          CX_ARGS("item", c->item, "date", d->approved));
	else
		rc = crit(c, "approved", CX_PASS, "doc.annex3.approved",
		          CX_ARGS("item", c->item, "order", d->order, "date",
		                  d->approved));
	/* without a date there is nothing to judge the currency by */
	if (rc == CX_OK && d->approved != NULL)
		rc = current(c, d, day);
	return rc;
}

static int judge(struct doc_ctx *c, const struct cx_document *d)
{
	int rc;

	if (strcmp(d->status, "missing") == 0)
		return crit(c, "provided", CX_FAIL, "doc.annex3.absent",
		            CX_ARGS("item", c->item));
	if (strcmp(d->status, "deficient") == 0)
		rc = crit(c, "provided", CX_FAIL, "doc.annex3.deficient",
		          CX_ARGS("item", c->item));
	else
		rc = crit(c, "provided", CX_PASS, "doc.annex3.provided",
		          CX_ARGS("item", c->item));
	if (rc == CX_OK)
		rc = approval(c, d);
	if (rc == CX_OK)
		rc = sections(c, d);
	if (rc == CX_OK && d->acquainted == 1)
		rc = crit(c, "acquainted", CX_PASS, "doc.annex3.acquainted",
		          CX_ARGS("item", c->item));
	else if (rc == CX_OK && d->acquainted == 0)
		rc = crit(c, "acquainted", CX_FAIL, "doc.annex3.not-acquainted",
		          CX_ARGS("item", c->item));
	else if (rc == CX_OK)
		rc = crit(c, "acquainted", CX_NOT_CHECKED,
		          "doc.annex3.acquaintance-unknown",
		          CX_ARGS("item", c->item));
	return rc;
}

/*
 * The "annex3-document" observation for the act's table: the document's
 * title, reference and approval as recorded, its overall status and the
 * criteria (finding items) that failed or were not assessed; the act words
 * them from the findings.
 */
static int record(struct cx_check_ctx *ctx, int n, const struct cx_document *d,
                  enum cx_status st, const char *criteria)
{
	struct cx_observation *o;
	char num[8];

	snprintf(num, sizeof(num), "%d", n);
	o = cx_run_add_obs(ctx->run, "annex3-document", num);
	if (o == NULL || cx_obs_prop(o, "number", num) ||
	    cx_obs_prop(o, "title", d ? nz(d->title) : "") ||
	    cx_obs_prop(o, "reference", d ? nz(d->reference) : "") ||
	    cx_obs_prop(o, "order", d ? nz(d->order) : "") ||
	    cx_obs_prop(o, "approved", d ? nz(d->approved) : "") ||
	    cx_obs_prop(o, "status", cx_status_name(st)) ||
	    cx_obs_prop(o, "criteria", criteria))
		return CX_ENOMEM;
	return CX_OK;
}

static int one(struct cx_check_ctx *ctx, int n, const char *asset)
{
	const struct cx_document *d = find_doc(ctx->obj, n);
	struct doc_ctx c;
	enum cx_status st;
	char req[16];
	int rc;

	snprintf(req, sizeof(req), "DOC-%02d", n);
	if (cx_profile_req(ctx->profile, req) == NULL)
		return CX_OK;
	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	c.req = req;
	c.asset = asset;
	c.note = d != NULL ? d->note : NULL;
	snprintf(c.item, sizeof(c.item), "%d", n);
	if (n == 7 && !ctx->obj->uses_crypto) {
		st = CX_NOT_APPLICABLE;
		rc = crit(&c, NULL, st, "doc.annex3.no-crypto",
		          CX_ARGS("item", c.item));
	} else if (d == NULL || d->status == NULL) {
		st = CX_NOT_CHECKED;
		c.note = NULL;
		rc = crit(&c, NULL, st, "doc.annex3.not-recorded",
		          CX_ARGS("item", c.item));
	} else if (strcmp(d->status, "not-applicable") == 0) {
		rc = crit(&c, "provided", CX_FAIL, "doc.annex3.na-mandatory",
		          CX_ARGS("item", c.item));
		st = CX_FAIL;
	} else {
		rc = judge(&c, d);
		st = c.failed ? CX_FAIL : c.unknown ? CX_NOT_CHECKED : CX_PASS;
	}
	if (rc == CX_OK)
		rc = record(ctx, n, d, st, nz(c.codes.data));
	cx_buf_free(&c.codes);
	return rc;
}

static int documents_run(struct cx_check_ctx *ctx)
{
	const char *asset;
	int n, rc = CX_OK;

	if (ctx->obj == NULL)
		return CX_ENOTSUP; /* a --target run has no documents */
	asset = ctx->obj->short_name ? ctx->obj->short_name : "object";
	for (n = 1; n <= 16 && rc == CX_OK; n++)
		rc = one(ctx, n, asset);
	return rc;
}

const struct cx_check cx_check_documents = {
    .id = "documents",
    .title = "Technical documentation on information security (Annex 3)",
    .block = "documents",
    .flags = 0,
    .run = documents_run,
};
