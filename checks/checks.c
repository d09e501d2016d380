/*
 * certexam — the table of checks, in the order they run, and the helper
 * every check uses to record a finding against the profile.
 */
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/util.h"

extern const struct cx_check cx_check_documents;
extern const struct cx_check cx_check_ports;
extern const struct cx_check cx_check_tls;
extern const struct cx_check cx_check_http;
extern const struct cx_check cx_check_inventory;

const struct cx_check *const cx_checks[] = {
    &cx_check_documents, &cx_check_ports,     &cx_check_tls,
    &cx_check_http,      &cx_check_inventory, NULL,
};

const struct cx_check *cx_check_find(const char *id)
{
	size_t i;

	for (i = 0; cx_checks[i] != NULL; i++)
		if (strcmp(cx_checks[i]->id, id) == 0)
			return cx_checks[i];
	return NULL;
}

void cx_scan_opts_default(struct cx_scan_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->connect_timeout_ms = 1000;
	o->service_wait_ms = 300;
	o->probe_timeout_ms = 2000;
	o->service_probe_ms = 600;
	o->max_inflight = 4096;
	o->rate = 0;
	o->retries = 2;
	o->http_budget = 200;
}

int cx_check_emit(struct cx_check_ctx *ctx, const char *check,
                  const char *req_id, const char *asset, const char *item,
                  enum cx_status status, enum cx_certainty certainty,
                  const char *title, const char *observed, const char *method,
                  const char *recommendation, const char *evidence_id)
{
	const struct cx_requirement *req;
	struct cx_finding f;
	char *ev[1];
	int rc;

	req = cx_profile_req(ctx->profile, req_id);
	if (req == NULL)
		return CX_OK; /* the profile does not apply this requirement */
	memset(&f, 0, sizeof(f));
	f.check = (char *)check;
	f.req_id = req->id;
	f.req_text = req->text;
	f.req_source = req->source;
	f.block = req->block;
	f.asset = (char *)asset;
	f.item = (char *)item;
	f.status = status;
	f.severity = req->severity;
	f.certainty = certainty;
	f.title = (char *)(title ? title : req->text);
	f.observed = (char *)observed;
	f.method = (char *)method;
	f.recommendation =
	    (char *)(recommendation ? recommendation : req->recommendation);
	if (evidence_id != NULL) {
		ev[0] = (char *)evidence_id;
		f.evidence = ev;
		f.n_evidence = 1;
	}
	rc = cx_run_add_finding(ctx->run, &f);
	return rc;
}
