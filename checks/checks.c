/*
 * certexam — the table of checks, in the order they run, and the helper
 * every check uses to record a finding against the profile.
 */
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/util.h"

extern const struct cx_check cx_check_parts;
extern const struct cx_check cx_check_documents;
extern const struct cx_check cx_check_ports;
extern const struct cx_check cx_check_udp;
extern const struct cx_check cx_check_cleartext;
extern const struct cx_check cx_check_tls;
extern const struct cx_check cx_check_http;
extern const struct cx_check cx_check_inventory;

const struct cx_check *const cx_checks[] = {
    &cx_check_parts, &cx_check_documents, &cx_check_ports,
    &cx_check_udp,   &cx_check_cleartext, &cx_check_tls,
    &cx_check_http,  &cx_check_inventory, NULL,
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

int cx_emit(struct cx_check_ctx *ctx, const struct cx_emit *e)
{
	const struct cx_requirement *req;
	struct cx_finding f;
	struct cx_prop args[16], margs[8];
	char *ev[8];
	size_t n = 0, i;

	req = cx_profile_req(ctx->profile, e->req);
	if (req == NULL)
		return CX_OK; /* the profile does not apply this requirement */
	memset(&f, 0, sizeof(f));
	f.check = (char *)e->check;
	f.req_id = req->id;
	f.req_text = req->text;
	f.req_source = req->source;
	f.block = req->block;
	f.asset = (char *)e->asset;
	f.item = (char *)e->item;
	f.status = e->status;
	f.severity = e->severity > 0 ? (enum cx_severity)(e->severity - 1)
	                             : req->severity;
	f.certainty = e->certainty;
	f.title = (char *)(e->title ? e->title : req->text);
	f.observed = (char *)e->observed;
	f.recommendation = (char *)(e->recommendation ? e->recommendation
	                                              : req->recommendation);
	if (e->evidence != NULL)
		ev[n++] = (char *)e->evidence;
	for (i = 0; e->evidence_more != NULL && e->evidence_more[i] != NULL &&
	            n < CX_ARRAY_LEN(ev);
	     i++)
		ev[n++] = (char *)e->evidence_more[i];
	if (n > 0) {
		f.evidence = ev;
		f.n_evidence = n;
	}
	f.req_kind = (char *)cx_req_kind_name(req->kind);
	f.msg = (char *)e->msg;
	/* A parameter without a value is left out (it prints as a dash). */
	for (i = 0, n = 0;
	     e->args != NULL && e->args[i] != NULL && n < CX_ARRAY_LEN(args);
	     i += 2) {
		if (e->args[i + 1] == NULL)
			continue;
		args[n].name = (char *)e->args[i];
		args[n].value = (char *)e->args[i + 1];
		n++;
	}
	f.args = args;
	f.n_args = n;
	f.method_msg = (char *)e->method_msg;
	for (i = 0, n = 0; e->method_args != NULL &&
	                   e->method_args[i] != NULL && n < CX_ARRAY_LEN(margs);
	     i += 2) {
		if (e->method_args[i + 1] == NULL)
			continue;
		margs[n].name = (char *)e->method_args[i];
		margs[n].value = (char *)e->method_args[i + 1];
		n++;
	}
	f.method_args = margs;
	f.n_method_args = n;
	return cx_run_add_finding(ctx->run, &f);
}
