/*
 * certexam — the http check's emission of findings.
 *
 * Owns what a resource leaves in the run record: every problem as its
 * own finding with the exchange that shows it as evidence (stored once
 * per exchange), one pass / not applicable / not checked finding for
 * each requirement without a problem, the delegation of requirements to
 * the https resource or the origin that answers for them, the findings
 * of a resource that could not be reviewed, and the "http-resource"
 * observation with the chain, the headers, the score and the grade.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/escape.h"
#include "certexam/util.h"
#include "http_int.h"

#define CHECK_ID "http"

/* Store the exchange of d as evidence once; the id or NULL. */
static const char *evidence(struct res *r, const struct done *cd)
{
	struct done *d = (struct done *)cd;
	struct cx_buf b = {0};
	const char *id = NULL;
	char *desc;

	if (d == NULL)
		return NULL;
	if (d->evid != NULL)
		return d->evid;
	if (r->st->ctx->run->dir == NULL)
		return NULL;
	if (d->req->req_head.len > 0)
		cx_buf_append(&b, d->req->req_head.data, d->req->req_head.len);
	else
		cx_buf_printf(&b, "%s %s\r\n\r\n", d->req->method, d->req->url);
	if (d->req->head.len > 0)
		cx_buf_append(&b, d->req->head.data, d->req->head.len);
	else
		cx_buf_printf(&b, "(no response: %s)\r\n", d->req->errbuf);
	desc = cx_asprintf("%s %.300s: request head as sent, response head as "
	                   "received",
	                   d->req->method, d->req->url);
	if (desc != NULL) {
		/* The URL may come from a Location header. */
		char *clean = cx_text_from_bytes(desc, strlen(desc));

		free(desc);
		desc = clean;
	}
	if (b.data != NULL &&
	    cx_run_add_evidence(r->st->ctx->run, r->url, "http-exchange",
	                        desc ? desc : "http exchange", b.data, b.len,
	                        &id) == CX_OK &&
	    id != NULL)
		d->evid = cx_strdup(id);
	free(desc);
	cx_buf_free(&b);
	return d->evid;
}

static const char *req_id(int n)
{
	static const char *const ids[N_REQ + 1] = {
	    "",       "WEB-01", "WEB-02", "WEB-03", "WEB-04", "WEB-05",
	    "WEB-06", "WEB-07", "WEB-08", "WEB-09", "WEB-10", "WEB-11",
	    "WEB-12", "WEB-13", "WEB-14", "WEB-15"};

	return (n >= 1 && n <= N_REQ) ? ids[n] : "WEB-00";
}

/* A property whose value may hold bytes from the target. */
static void prop_text(struct cx_observation *o, const char *name,
                      const char *value)
{
	char *t = cx_text_from_bytes(value, strlen(value));

	if (t != NULL)
		cx_obs_prop(o, name, t);
	free(t);
}

static void props_head(struct cx_observation *o, const char *prefix,
                       const struct done *d)
{
	char *t, *clean;
	char name[64];
	size_t i, k;

	if (d == NULL)
		return;
	snprintf(name, sizeof(name), "%s.request", prefix);
	t = cx_asprintf("%s %s", d->req->method, d->req->url);
	if (t != NULL)
		prop_text(o, name, t);
	free(t);
	if (!d->ok) {
		t = cx_text_from_bytes(d->req->errbuf, strlen(d->req->errbuf));
		snprintf(name, sizeof(name), "%s.error", prefix);
		cx_obs_prop(o, name, t ? t : "");
		free(t);
		return;
	}
	/* The raw bytes are in the evidence; here CRs are dropped. */
	clean = malloc(d->req->head.len + 1);
	if (clean == NULL)
		return;
	for (i = 0, k = 0; i < d->req->head.len; i++)
		if (d->req->head.data[i] != '\r')
			clean[k++] = d->req->head.data[i];
	t = cx_text_from_bytes(clean, k);
	free(clean);
	if (t != NULL) {
		snprintf(name, sizeof(name), "%s.head", prefix);
		cx_obs_prop(o, name, t);
	}
	free(t);
}

/* Requirements judged once per origin: methods, exposure, security.txt. */
static int origin_wide(int req)
{
	return req == 10 || req == 11 || req == 14;
}

/*
 * An http resource that redirects to an https resource of the run is
 * judged there: it keeps only its own findings (the redirect, cookies set
 * over plain http); the rest is not applicable to it.  A resource whose
 * origin another resource already answers for drops the origin-wide ones.
 */
static int delegated_keeps(const struct res *r, const struct prob *p)
{
	size_t n;

	if (r->origin_owner != NULL && origin_wide(p->req))
		return 0;
	if (r->delegate == NULL || p->req == 1)
		return 1;
	n = p->item ? strlen(p->item) : 0;
	return p->req == 7 && n > 5 && strcmp(p->item + n - 5, ":http") == 0;
}

/* The severity override of struct cx_emit for a problem capped at
 * at_most: 0 (the profile's) when the profile's is not more severe. */
static int capped(struct cx_check_ctx *ctx, const char *req, int at_most)
{
	const struct cx_requirement *q = cx_profile_req(ctx->profile, req);

	if (at_most == 0 || q == NULL || (int)q->severity >= at_most - 1)
		return 0;
	return at_most;
}

static void emit_all(struct eval *ev)
{
	struct res *r = ev->r;
	struct cx_check_ctx *ctx = r->st->ctx;
	size_t i, k;
	const char *more[HTTP_PROB_MORE + 1];
	int req, has_fail;
	char used[24];
	/* How the resource was reviewed: a method.* id, raw parameters. */
	const char *const margs[] = {"requests", used, "score",
	                             HTTP_SCORE_ALGORITHM, NULL};
	enum cx_status st;
	const char *msg, *raw;
	const char *const *args;
	/* The judging resource's URL; a compound literal would not outlive
	 * the branch that sets it. */
	const char *na_args[3] = {"url", NULL, NULL};

	snprintf(used, sizeof(used), "%ld", r->used);
	for (i = 0; i < ev->n_p; i++) {
		struct prob *p = &ev->p[i];

		if (!delegated_keeps(r, p))
			continue;
		for (k = 0; k < p->n_more; k++)
			more[k] = evidence(r, p->more[k]);
		more[k] = NULL;
		cx_emit(ctx,
		        &(struct cx_emit){
		            .check = CHECK_ID,
		            .req = req_id(p->req),
		            .asset = r->url,
		            .item = p->item,
		            .status = CX_FAIL,
		            .certainty = p->cert,
		            .msg = p->w.msg,
		            .args = (const char *const *)p->w.args,
		            .observed = p->observed,
		            .method_msg = "method.web.requests",
		            .method_args = margs,
		            .severity = capped(ctx, req_id(p->req), p->at_most),
		            .evidence = evidence(r, p->d),
		            .evidence_more = more,
		        });
	}
	for (req = 1; req <= N_REQ; req++) {
		has_fail = 0;
		for (i = 0; i < ev->n_p; i++)
			if (ev->p[i].req == req &&
			    delegated_keeps(r, &ev->p[i]))
				has_fail = 1;
		if (has_fail)
			continue;
		st = ev->state[req] == 1   ? CX_PASS
		     : ev->state[req] == 3 ? CX_NOT_APPLICABLE
		                           : CX_NOT_CHECKED;
		msg = ev->why[req].msg;
		args = (const char *const *)ev->why[req].args;
		raw = ev->why_raw[req];
		if (r->origin_owner != NULL && origin_wide(req)) {
			st = CX_NOT_APPLICABLE;
			msg = "web.na.same-origin";
			na_args[1] = r->origin_owner;
			args = na_args;
			raw = NULL;
		} else if (r->delegate != NULL && req != 1 && req != 7) {
			st = CX_NOT_APPLICABLE;
			msg = "web.na.redirected";
			na_args[1] = r->delegate;
			args = na_args;
			raw = NULL;
		} else if (st == CX_PASS && r->delegate != NULL && req == 7) {
			msg = "web.cookie.pass-none-over-http";
			args = NULL;
			raw = NULL;
		} else if (st == CX_NOT_CHECKED && msg == NULL) {
			msg = "web.nc.not-evaluated";
		}
		cx_emit(ctx, &(struct cx_emit){
		                 .check = CHECK_ID,
		                 .req = req_id(req),
		                 .asset = r->url,
		                 .status = st,
		                 .msg = msg,
		                 .args = args,
		                 .observed = st == CX_NOT_CHECKED ? NULL : raw,
		                 .method_msg = "method.web.requests",
		                 .method_args = margs,
		                 .evidence = st == CX_PASS
		                                 ? evidence(r, ev->pass_d[req])
		                                 : NULL,
		             });
	}
}

void http_evaluate_unreachable(struct res *r, const char *why_msg)
{
	struct cx_check_ctx *ctx = r->st->ctx;
	const struct done *d = r->n_d > 0 ? &r->d[0] : NULL;
	struct cx_observation *o;
	char why[400];
	char *err = NULL, *lib = NULL;
	const char *msg = "web.nc.unreachable.no-response";
	int req;

	if (why_msg != NULL) {
		msg = why_msg;
		if (d != NULL)
			err =
			    cx_strdup("response head cut at a limit (over "
			              "64 KiB, a line over 16 KiB or more than "
			              "256 fields): header too large");
	} else if (d != NULL) {
		err =
		    cx_text_from_bytes(d->req->errbuf, strlen(d->req->errbuf));
		lib =
		    cx_text_from_bytes(d->req->liberr, strlen(d->req->liberr));
		if (d->req->fail_msg != NULL)
			msg = d->req->fail_msg;
		else if (r->chain_msg != NULL)
			msg = r->chain_msg;
	} else if (r->chain_msg != NULL) {
		msg = r->chain_msg;
	}
	snprintf(why, sizeof(why), "the resource could not be reviewed: %.300s",
	         err && err[0]
	             ? err
	             : (r->chain_note ? r->chain_note : "no response"));
	free(err);
	for (req = 1; req <= N_REQ; req++)
		cx_emit(ctx,
		        &(struct cx_emit){
		            .check = CHECK_ID,
		            .req = req_id(req),
		            .asset = r->url,
		            .status = CX_NOT_CHECKED,
		            .msg = msg,
		            .observed =
		                lib && lib[0] && why_msg == NULL ? lib : NULL,
		            .method_msg = "method.web.request",
		            .evidence = evidence(r, d),
		        });
	free(lib);
	o = cx_run_add_obs(ctx->run, "http-resource", r->url);
	if (o != NULL) {
		cx_obs_prop(o, "reachable", "false");
		cx_obs_prop(o, "error", why);
	}
}

/* The findings of an evaluated resource, then its observation. */
void http_emit_resource(struct eval *ev, const struct score_result *sc)
{
	struct res *r = ev->r;
	struct cx_observation *o;
	size_t i;
	char name[64], *line;

	emit_all(ev);
	if (ev->breach.judged) {
		enum cx_status st = ev->breach.status;

		cx_emit(r->st->ctx,
		        &(struct cx_emit){
		            .check = CHECK_ID,
		            .req = "TLS-09",
		            .asset = r->url,
		            .item = "breach",
		            .status = st,
		            .certainty =
		                st == CX_FAIL ? CX_POTENTIAL : CX_CONFIRMED,
		            .severity = st == CX_FAIL
		                            ? capped(r->st->ctx, "TLS-09",
		                                     CX_SEVERITY(CX_SEV_MEDIUM))
		                            : 0,
		            .msg = ev->breach.w.msg,
		            .args = (const char *const *)ev->breach.w.args,
		            .observed = ev->breach.observed,
		            .method_msg = "method.web.breach",
		            .evidence = evidence(r, ev->breach.d),
		        });
	}

	o = cx_run_add_obs(r->st->ctx->run, "http-resource", r->url);
	if (o != NULL) {
		cx_obs_prop(o, "reachable", "true");
		prop_text(o, "final-url", r->final_url);
		cx_obs_propf(o, "hops", "%zu", r->n_chain);
		for (i = 0; i < r->n_chain; i++) {
			const struct done *d = &r->d[r->chain[i]];
			const char *loc = http_head_get(&d->head, "Location");
			char *t =
			    loc ? cx_text_from_bytes(loc, strlen(loc)) : NULL;

			snprintf(name, sizeof(name), "hop.%zu", i + 1);
			line = cx_asprintf("%d %s%s%s", d->head.status,
			                   d->req->url, t ? " -> " : "",
			                   t ? t : "");
			if (line != NULL)
				prop_text(o, name, line);
			free(line);
			free(t);
			snprintf(name, sizeof(name), "hop.%zu", i + 1);
			props_head(o, name, d);
		}
		if (r->chain_note != NULL)
			cx_obs_prop(o, "chain-note", r->chain_note);
		if (r->offsite != NULL)
			prop_text(o, "redirect-other-host", r->offsite);
		props_head(o, "error-page", http_find_kind(r, K_BASE1));
		cx_obs_prop(o, "score-algorithm", HTTP_SCORE_ALGORITHM);
		cx_obs_propf(o, "score", "%d", sc->score);
		cx_obs_prop(o, "grade", sc->grade);
		for (i = 0; i < ST__COUNT; i++) {
			snprintf(name, sizeof(name), "test.%s",
			         score_test_name((enum score_test)i));
			cx_obs_propf(o, name, "%s (%+d)",
			             sc->result[i] ? sc->result[i] : "not-run",
			             sc->modifier[i]);
		}
		cx_obs_propf(o, "requests", "%ld", r->used);
		cx_obs_propf(o, "budget", "%ld", r->budget);
		cx_obs_propf(o, "seconds", "%.3f",
		             (double)(r->t1 - r->t0) / 1000.0);
	}
}
