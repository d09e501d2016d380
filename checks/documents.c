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
 * protection, whatever its status.  Every document also becomes an
 * "annex3-document" observation (title, reference, approval, failed
 * criteria) for the act's table.
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

/* What the criteria came to: text of what was seen, failed and unknown. */
struct judged {
	struct cx_buf seen, failed, unknown;
};

static int add(struct cx_buf *b, const char *fmt, const char *a, const char *c)
{
	if (b->len && cx_buf_puts(b, "; "))
		return CX_ENOMEM;
	return cx_buf_printf(b, fmt, a ? a : "", c ? c : "");
}

/* The sections: the examiner's ticks and the profile's list. */
static int sections(const struct cx_check_ctx *ctx, const struct cx_document *d,
                    struct judged *j)
{
	char pname[32];
	const char *want;
	size_t i, present = 0, iter = 0;
	int found, rc = CX_OK;

	for (i = 0; i < d->n_sections && rc == CX_OK; i++) {
		if (d->sections[i].present)
			present++;
		else
			rc = add(&j->failed, "section '%s' missing",
			         d->sections[i].name, NULL);
	}
	snprintf(pname, sizeof(pname), "annex3.%02d.section", d->number);
	while (rc == CX_OK && (want = cx_profile_param_next(ctx->profile, pname,
	                                                    &iter)) != NULL) {
		found = 0;
		for (i = 0; i < d->n_sections && !found; i++)
			found = cx_strcaseeq(d->sections[i].name, want);
		if (!found)
			rc = add(&j->unknown, "section '%s' not assessed", want,
			         NULL);
	}
	if (rc == CX_OK && d->n_sections > 0) {
		char t[64];

		snprintf(t, sizeof(t), "%zu of %zu", present, d->n_sections);
		rc = add(&j->seen, "sections present: %s%s", t, NULL);
	}
	return rc;
}

/* The approval: order and date, and whether it is current. */
static int approval(const struct cx_check_ctx *ctx, const struct cx_document *d,
                    struct judged *j)
{
	long day, today, created, max_years;
	char t[160];
	int rc = CX_OK;

	if (d->order == NULL)
		rc = add(&j->failed, "approved: no order number", NULL, NULL);
	if (rc == CX_OK && d->approved == NULL)
		return add(&j->failed, "approved: no approval date", NULL,
		           NULL);
	if (rc == CX_OK && cx_date_parse(d->approved, &day) != CX_OK)
		return add(&j->failed,
		           "approved: '%s' is not a date (YYYY-MM-DD)",
		           d->approved, NULL);
	if (rc)
		return rc;
	if (d->order != NULL)
		rc = add(&j->seen, "approved by order No. %s of %s", d->order,
		         d->approved);
	today = (long)(ctx->run->started / 86400);
	if (rc == CX_OK && ctx->run->started > 0 && day > today)
		rc = add(&j->failed,
		         "current: the approval date %s is after the day of "
		         "the examination",
		         d->approved, NULL);
	if (rc == CX_OK && ctx->obj->created != NULL &&
	    cx_date_parse(ctx->obj->created, &created) == CX_OK &&
	    day < created)
		rc = add(&j->failed,
		         "current: approved %s, before the object was created "
		         "(%s)",
		         d->approved, ctx->obj->created);
	max_years =
	    cx_profile_param_long(ctx->profile, "annex3.max_age_years", 0);
	if (rc == CX_OK && max_years > 0 && ctx->run->started > 0 &&
	    today - day > max_years * 366) {
		snprintf(t, sizeof(t), "%ld", max_years);
		rc = add(&j->failed,
		         "current: approved %s, more than %s years before the "
		         "examination (the profile's limit)",
		         d->approved, t);
	}
	return rc;
}

static int judge(const struct cx_check_ctx *ctx, const struct cx_document *d,
                 struct judged *j)
{
	int rc;

	if (strcmp(d->status, "missing") == 0)
		return add(&j->failed, "provided: not submitted", NULL, NULL);
	rc = add(&j->seen, "provided", NULL, NULL);
	if (rc == CX_OK && strcmp(d->status, "deficient") == 0)
		rc = add(&j->failed,
		         "content: does not meet the requirements (the "
		         "examiner's finding)",
		         NULL, NULL);
	if (rc == CX_OK)
		rc = approval(ctx, d, j);
	if (rc == CX_OK)
		rc = sections(ctx, d, j);
	if (rc == CX_OK) {
		if (d->acquainted == 1)
			rc = add(&j->seen, "staff acquainted", NULL, NULL);
		else if (d->acquainted == 0)
			rc =
			    add(&j->failed, "staff not acquainted", NULL, NULL);
		else
			rc = add(&j->unknown, "staff acquaintance not recorded",
			         NULL, NULL);
	}
	return rc;
}

static int record(struct cx_check_ctx *ctx, int n, const struct cx_document *d,
                  enum cx_status st, const char *failed)
{
	struct cx_observation *o;
	char num[8];

	snprintf(num, sizeof(num), "%d", n);
	o = cx_run_add_obs(ctx->run, "annex3-document", num);
	if (o == NULL || cx_obs_prop(o, "number", num) ||
	    cx_obs_prop(o, "title",
	                d ? nz(d->title) : nz(cx_annex3_title(n))) ||
	    cx_obs_prop(o, "reference", d ? nz(d->reference) : "") ||
	    cx_obs_prop(o, "order", d ? nz(d->order) : "") ||
	    cx_obs_prop(o, "approved", d ? nz(d->approved) : "") ||
	    cx_obs_prop(o, "status", cx_status_name(st)) ||
	    cx_obs_prop(o, "failed", failed))
		return CX_ENOMEM;
	return CX_OK;
}

/* The number of "; "-separated entries in b. */
static size_t entries(const struct cx_buf *b)
{
	size_t i, n = b->len ? 1 : 0;

	for (i = 0; i + 1 < b->len; i++)
		if (b->data[i] == ';' && b->data[i + 1] == ' ')
			n++;
	return n;
}

static int one(struct cx_check_ctx *ctx, int n, const char *asset)
{
	const struct cx_document *d = find_doc(ctx->obj, n);
	struct judged j = {{0}, {0}, {0}};
	struct cx_buf obs = {0};
	enum cx_status st;
	char req[16], item[8], count[24];
	int rc = CX_OK;

	snprintf(req, sizeof(req), "DOC-%02d", n);
	if (cx_profile_req(ctx->profile, req) == NULL)
		return CX_OK;
	if (n == 7 && !ctx->obj->uses_crypto) {
		st = CX_NOT_APPLICABLE;
		rc = cx_buf_puts(&obs, "Not applicable: the object declares no "
		                       "cryptographic protection (Annex 3 item "
		                       "7)");
	} else if (d == NULL || d->status == NULL) {
		st = CX_NOT_CHECKED;
		rc = cx_buf_printf(&obs,
		                   "Annex 3 item %d is not recorded in "
		                   "object.xml",
		                   n);
	} else if (strcmp(d->status, "not-applicable") == 0) {
		st = CX_FAIL;
		rc = add(&j.failed,
		         "marked not applicable, but the item is mandatory for "
		         "this object",
		         NULL, NULL);
	} else {
		rc = judge(ctx, d, &j);
		st = j.failed.len    ? CX_FAIL
		     : j.unknown.len ? CX_NOT_CHECKED
		                     : CX_PASS;
	}
	if (rc == CX_OK && obs.len == 0)
		rc = cx_buf_printf(
		    &obs, "%s \"%s\"%s%s%s: %s%s%s%s%s", req,
		    nz(d ? d->title : NULL), d && d->reference ? " (" : "",
		    d && d->reference ? d->reference : "",
		    d && d->reference ? ")" : "", nz(j.seen.data),
		    j.failed.len ? ". Failed: " : "", nz(j.failed.data),
		    j.unknown.len ? ". Not assessed: " : "",
		    nz(j.unknown.data));
	if (rc == CX_OK && d != NULL && d->note != NULL && st != CX_NOT_CHECKED)
		rc = cx_buf_printf(&obs, ". %s", d->note);
	/*
	 * The words: a message id of profiles/i18n/ with named parameters,
	 * rendered in the act's language.  The criteria's details stay in
	 * .observed as recorded (English) until each criterion has its own
	 * message.
	 */
	if (rc == CX_OK) {
		const char *msg;
		snprintf(item, sizeof(item), "%d", n);
		snprintf(count, sizeof(count), "%zu",
		         entries(st == CX_FAIL ? &j.failed : &j.unknown));
		if (st == CX_NOT_APPLICABLE)
			msg = "doc.annex3.no-crypto";
		else if (d == NULL || d->status == NULL)
			msg = "doc.annex3.not-recorded";
		else if (strcmp(d->status, "not-applicable") == 0)
			msg = "doc.annex3.na-mandatory";
		else if (strcmp(d->status, "missing") == 0)
			msg = "doc.annex3.absent";
		else if (st == CX_FAIL)
			msg = "doc.annex3.criteria-failed";
		else if (st == CX_NOT_CHECKED)
			msg = "doc.annex3.criteria-unknown";
		else
			msg = "doc.annex3.criteria-met";
		rc = cx_emit(ctx,
		             &(struct cx_emit){
		                 .check = "documents",
		                 .req = req,
		                 .asset = asset,
		                 .status = st,
		                 .msg = msg,
		                 .args = CX_ARGS("item", item, "count", count),
		                 .observed = obs.data,
		                 .method = "Examiner's review of the "
		                           "submitted TD on IS by criteria "
		                           "(object.xml, documents)",
		             });
	}
	if (rc == CX_OK)
		rc = record(ctx, n, d, st,
		            j.failed.len ? j.failed.data : nz(j.unknown.data));
	cx_buf_free(&obs);
	cx_buf_free(&j.seen);
	cx_buf_free(&j.failed);
	cx_buf_free(&j.unknown);
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
