/*
 * certexam — the parts of paragraph 22 that only the examiner performs:
 * 22(1) preliminary analysis of the original data and 22(3) examination
 * of the object on site, as recorded in object.xml.  This check only
 * transcribes the record into findings (blocks "preliminary" and "site")
 * so that the act shows each part with its verdict; it never judges.  A
 * part not recorded yields no finding (the part is "not performed"); an
 * item without a status is not_checked.
 */
#include <stdio.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/object.h"
#include "certexam/util.h"

static int part_run(struct cx_check_ctx *ctx, int part,
                    const struct cx_part_record *r)
{
	const char *block = part == 1 ? "preliminary" : "site";
	/* The normative basis as a message id: the act words it in its
	 * language from the catalogs (kk, ru, en). */
	const char *source = cx_part_source_msg(part);
	const char *asset =
	    ctx->obj->short_name ? ctx->obj->short_name : "object";
	struct cx_finding f;
	struct cx_prop args[1];
	char req[64];
	size_t i;
	int rc;

	for (i = 0; i < r->n_items; i++) {
		const struct cx_part_item *it = &r->items[i];
		if (it->id == NULL)
			continue;
		memset(&f, 0, sizeof(f));
		snprintf(req, sizeof(req), "P%d-%s", part, it->id);
		f.check = "parts";
		f.req_id = req;
		f.req_text = it->title;
		f.req_source = (char *)source;
		f.block = (char *)block;
		f.asset = (char *)asset;
		f.severity = CX_SEV_MEDIUM;
		f.observed = it->note;
		f.title = it->title;
		if (it->status == NULL) {
			f.status = CX_NOT_CHECKED;
			f.msg = "part.result.not-recorded";
		} else if (strcmp(it->status, "pass") == 0) {
			f.status = CX_PASS;
			f.msg = "part.result.pass";
		} else if (strcmp(it->status, "fail") == 0) {
			f.status = CX_FAIL;
			f.msg = "part.result.fail";
		} else {
			f.status = CX_NOT_APPLICABLE;
			f.msg = "part.result.not-applicable";
		}
		if (it->examiner != NULL) {
			args[0].name = "examiner";
			args[0].value = it->examiner;
			f.args = args;
			f.n_args = 1;
		}
		rc = cx_run_add_finding(ctx->run, &f);
		if (rc)
			return rc;
	}
	return CX_OK;
}

static int parts_run(struct cx_check_ctx *ctx)
{
	int rc;

	if (ctx->obj == NULL)
		return CX_ENOTSUP; /* a --target run has no case record */
	rc = part_run(ctx, 1, &ctx->obj->part1);
	if (rc == CX_OK)
		rc = part_run(ctx, 3, &ctx->obj->part3);
	return rc;
}

const struct cx_check cx_check_parts = {
    .id = "parts",
    .title = "Paragraph 22(1) and 22(3) as the examiner recorded them",
    .block = "preliminary",
    .flags = 0,
    .run = parts_run,
};
