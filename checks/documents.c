/*
 * certexam — the documents check: the Annex 3 list of technical
 * documentation on information security, as the examiner records it in
 * object.xml, against the profile's DOC-NN requirements.
 *
 * An item the examiner has not recorded is not_checked (never a pass);
 * "not-applicable" is accepted only for item 7 (cryptography rules) when
 * the object declares that it uses no cryptographic protection.
 */
#include <stdio.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/util.h"

static const struct cx_document *find_doc(const struct cx_object *obj, int n)
{
	size_t i;

	for (i = 0; i < obj->n_documents; i++)
		if (obj->documents[i].number == n)
			return &obj->documents[i];
	return NULL;
}

static int documents_run(struct cx_check_ctx *ctx)
{
	const struct cx_document *d;
	const char *asset;
	char req[16], obs[512];
	enum cx_status st;
	int n, rc;

	if (ctx->obj == NULL)
		return CX_ENOTSUP; /* a --target run has no documents */
	asset = ctx->obj->short_name ? ctx->obj->short_name : "object";
	for (n = 1; n <= 16; n++) {
		snprintf(req, sizeof(req), "DOC-%02d", n);
		if (cx_profile_req(ctx->profile, req) == NULL)
			continue;
		d = find_doc(ctx->obj, n);
		if (d == NULL || d->status == NULL) {
			st = CX_NOT_CHECKED;
			snprintf(
			    obs, sizeof(obs),
			    "Annex 3 item %d is not recorded in object.xml", n);
		} else if (strcmp(d->status, "provided") == 0) {
			st = CX_PASS;
			snprintf(obs, sizeof(obs), "Provided%s%s",
			         d->approved ? ", approved " : "",
			         d->approved ? d->approved : "");
		} else if (strcmp(d->status, "not-applicable") == 0) {
			if (n == 7 && !ctx->obj->uses_crypto) {
				st = CX_NOT_APPLICABLE;
				snprintf(obs, sizeof(obs),
				         "The object declares no cryptographic "
				         "protection");
			} else {
				st = CX_FAIL;
				snprintf(obs, sizeof(obs),
				         "Marked not applicable, but Annex 3 "
				         "item %d is mandatory for this object",
				         n);
			}
		} else if (strcmp(d->status, "deficient") == 0) {
			st = CX_FAIL;
			snprintf(
			    obs, sizeof(obs),
			    "Provided, but does not meet the requirements");
		} else {
			st = CX_FAIL;
			snprintf(obs, sizeof(obs), "Not provided");
		}
		if (d != NULL && d->note != NULL && st != CX_NOT_CHECKED) {
			size_t l = strlen(obs);
			snprintf(obs + l, sizeof(obs) - l, ". %s", d->note);
		}
		rc = cx_emit(ctx,
		             &(struct cx_emit){
		                 .check = "documents",
		                 .req = req,
		                 .asset = asset,
		                 .status = st,
		                 .observed = obs,
		                 .method = "Examiner's review of the submitted "
		                           "TD on IS (object.xml, documents)",
		             });
		if (rc)
			return rc;
	}
	return CX_OK;
}

const struct cx_check cx_check_documents = {
    .id = "documents",
    .title = "Technical documentation on information security (Annex 3)",
    .block = "documents",
    .flags = 0,
    .run = documents_run,
};
