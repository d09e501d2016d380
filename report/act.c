/*
 * certexam — the act model: block verdicts, numbered deficiencies, the
 * delta against a baseline run and the proposed decision (paragraphs 27
 * and 37 of the Rules).  No writer decides anything; this file does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/util.h"

const char *const cx_act_block_ids[CX_ACT_NBLOCKS] = {
    "documents", "network", "tls", "web", "inventory",
};

static const char *const block_titles[CX_ACT_NBLOCKS] = {
    "act.block.documents", "act.block.network",   "act.block.tls",
    "act.block.web",       "act.block.inventory",
};

const char *cx_act_text(const struct cx_act *act, const char *id)
{
	const char *t = act ? cx_catalog_get(act->cat, id) : NULL;

	return t != NULL ? t : id;
}

const char *cx_verdict_msg(enum cx_verdict v)
{
	switch (v) {
	case CX_VERDICT_PASS:
		return "act.verdict.pass";
	case CX_VERDICT_FAIL:
		return "act.verdict.fail";
	case CX_VERDICT_INCOMPLETE:
		return "act.verdict.incomplete";
	case CX_VERDICT_NOT_APPLICABLE:
		return "act.verdict.not_applicable";
	case CX_VERDICT_NOT_PERFORMED:
	default:
		return "act.verdict.not_performed";
	}
}

const char *cx_status_msg(enum cx_status s)
{
	static const char *const m[CX__STATUS_COUNT] = {
	    "act.status.pass",           "act.status.fail",
	    "act.status.not_applicable", "act.status.not_checked",
	    "act.status.error",          "act.status.waived",
	};

	return (unsigned)s < CX__STATUS_COUNT ? m[s] : "act.status.error";
}

const char *cx_severity_msg(enum cx_severity s)
{
	static const char *const m[CX__SEV_COUNT] = {
	    "act.severity.critical", "act.severity.high", "act.severity.medium",
	    "act.severity.low",      "act.severity.info",
	};

	return (unsigned)s < CX__SEV_COUNT ? m[s] : "act.severity.info";
}

static const char *const check_of_block[CX_ACT_NBLOCKS] = {
    "documents", "ports", "tls", "http", "inventory",
};

const char *cx_verdict_name(enum cx_verdict v)
{
	switch (v) {
	case CX_VERDICT_PASS:
		return "pass";
	case CX_VERDICT_FAIL:
		return "fail";
	case CX_VERDICT_INCOMPLETE:
		return "incomplete";
	case CX_VERDICT_NOT_APPLICABLE:
		return "not_applicable";
	case CX_VERDICT_NOT_PERFORMED:
	default:
		return "not_performed";
	}
}

const char *cx_decision_name(enum cx_decision d)
{
	switch (d) {
	case CX_DECISION_ISSUE:
		return "issue";
	case CX_DECISION_RECTIFY:
		return "rectify";
	case CX_DECISION_REFUSE:
		return "refuse";
	case CX_DECISION_NONE:
	default:
		return "none";
	}
}

const char *cx_rectification_name(enum cx_rectification r)
{
	switch (r) {
	case CX_RECT_RECTIFIED:
		return "rectified";
	case CX_RECT_NOT_RECTIFIED:
		return "not_rectified";
	case CX_RECT_NOT_RECHECKED:
	default:
		return "not_rechecked";
	}
}

static int block_index(const char *id)
{
	int i;

	for (i = 0; id != NULL && i < CX_ACT_NBLOCKS; i++)
		if (strcmp(cx_act_block_ids[i], id) == 0)
			return i;
	return -1;
}

static const char *check_state(const struct cx_run *run, const char *check)
{
	size_t i;

	for (i = 0; i < run->n_checks; i++)
		if (strcmp(run->checks[i].name, check) == 0)
			return run->checks[i].value;
	return NULL;
}

static enum cx_verdict verdict_of(const struct cx_act_block *b)
{
	const size_t *s = b->by_status;
	size_t applicable =
	    s[CX_PASS] + s[CX_FAIL] + s[CX_NOT_CHECKED] + s[CX_ERROR];

	if (s[CX_FAIL] > 0)
		return CX_VERDICT_FAIL;
	if (s[CX_NOT_CHECKED] > 0 || s[CX_ERROR] > 0)
		return CX_VERDICT_INCOMPLETE;
	if (applicable == 0 && s[CX_NOT_APPLICABLE] > 0)
		return CX_VERDICT_NOT_APPLICABLE;
	if (s[CX_PASS] == 0)
		return CX_VERDICT_NOT_PERFORMED;
	return CX_VERDICT_PASS;
}

static const struct cx_finding *find_key(const struct cx_run *run,
                                         const char *key)
{
	size_t i;

	for (i = 0; run != NULL && i < run->n_findings; i++)
		if (strcmp(run->findings[i].key, key) == 0)
			return &run->findings[i];
	return NULL;
}

/*
 * A deficiency whose asset is a port ("addr:port/proto") is rectified when
 * the additional examination scanned that port again and found it no longer
 * open: the service is gone.  A rescan always scans every port the
 * examination found open (scan.c), so absence from the open ports is a
 * result, not an omission.  The port scan must have completed.
 */
static int service_gone(const struct cx_run *run, const struct cx_finding *f)
{
	char addr[128];
	const char *colon, *slash;
	const char *ps = NULL;
	long port;
	size_t i;

	if (f->asset == NULL)
		return 0;
	for (i = 0; i < run->n_checks; i++)
		if (strcmp(run->checks[i].name, "portscan") == 0)
			ps = run->checks[i].value;
	if (ps == NULL || strcmp(ps, "done") != 0)
		return 0;
	colon = strrchr(f->asset, ':');
	slash = strrchr(f->asset, '/');
	if (colon == NULL || slash == NULL || slash < colon ||
	    strchr(f->asset, '[') != NULL ||
	    (size_t)(colon - f->asset) >= sizeof(addr))
		return 0;
	memcpy(addr, f->asset, (size_t)(colon - f->asset));
	addr[colon - f->asset] = '\0';
	{
		char num[8];
		size_t n = (size_t)(slash - colon - 1);
		if (n == 0 || n >= sizeof(num))
			return 0;
		memcpy(num, colon + 1, n);
		num[n] = '\0';
		if (cx_parse_long(num, 1, 65535, &port))
			return 0;
	}
	for (i = 0; i < run->n_hosts; i++)
		if (strcmp(run->hosts[i].addr, addr) == 0)
			break;
	if (i == run->n_hosts)
		return 0; /* the host was not scanned again */
	return cx_run_find_port(run, addr, (int)port, slash + 1) == NULL;
}

/* Deficiencies are ordered by block, then severity, then key. */
static int def_cmp(const void *a, const void *b)
{
	const struct cx_act_deficiency *x = a, *y = b;
	int bx = block_index(x->f->block), by = block_index(y->f->block);

	if (bx != by)
		return bx < by ? -1 : 1;
	if (x->f->severity != y->f->severity)
		return x->f->severity < y->f->severity ? -1 : 1;
	return strcmp(x->f->key, y->f->key);
}

static void decide(struct cx_act *act)
{
	struct cx_buf r = {0};
	size_t fails = act->by_status[CX_FAIL];
	size_t i, open_blocks = 0, rect = 0, notrect = 0, unchecked = 0;

	for (i = 0; i < CX_ACT_NBLOCKS; i++) {
		enum cx_verdict v = act->blocks[i].verdict;
		if (v == CX_VERDICT_NOT_PERFORMED ||
		    v == CX_VERDICT_INCOMPLETE) {
			cx_buf_printf(&r, "%sblock \"%s\" %s",
			              open_blocks ? "; " : "",
			              act->blocks[i].id,
			              v == CX_VERDICT_NOT_PERFORMED
			                  ? "was not performed"
			                  : "has items not checked");
			open_blocks++;
		}
	}
	for (i = 0; i < act->n_delta; i++) {
		if (act->delta[i].result == CX_RECT_RECTIFIED)
			rect++;
		else if (act->delta[i].result == CX_RECT_NOT_RECTIFIED)
			notrect++;
		else
			unchecked++;
	}
	if (act->additional) {
		if (fails > 0 || notrect > 0) {
			act->decision = CX_DECISION_REFUSE;
			act->decision_para = cx_strdup("37(2)");
			act->decision_reason = cx_asprintf(
			    "%zu of %zu deficiencies of the examination were "
			    "not rectified and %zu deficiencies are found in "
			    "all; the additional examination allows only "
			    "issue or refusal (para 37)",
			    notrect, act->n_delta, fails);
		} else if (open_blocks > 0 || unchecked > 0) {
			act->decision = CX_DECISION_NONE;
			act->decision_reason = cx_asprintf(
			    "The additional examination is incomplete: %s%s"
			    "%zu deficiencies were not re-checked",
			    r.data ? r.data : "", r.data ? "; " : "",
			    unchecked);
		} else {
			act->decision = CX_DECISION_ISSUE;
			act->decision_para = cx_strdup("37(1)");
			act->decision_reason = cx_asprintf(
			    "All %zu deficiencies of the examination were "
			    "rectified and no new deficiency was found",
			    rect);
		}
	} else if (fails > 0) {
		act->decision = CX_DECISION_RECTIFY;
		act->decision_para = cx_strdup("27(3)");
		act->decision_reason = cx_asprintf(
		    "%zu deficiencies were found (%zu critical, %zu high, "
		    "%zu medium, %zu low, %zu info); the applicant may "
		    "rectify them within twenty working days (para 31)%s%s",
		    fails, act->by_sev[CX_SEV_CRITICAL],
		    act->by_sev[CX_SEV_HIGH], act->by_sev[CX_SEV_MEDIUM],
		    act->by_sev[CX_SEV_LOW], act->by_sev[CX_SEV_INFO],
		    open_blocks ? "; moreover " : "",
		    open_blocks ? r.data : "");
	} else if (open_blocks > 0) {
		act->decision = CX_DECISION_NONE;
		act->decision_reason = cx_asprintf(
		    "No decision can be proposed: the examination is "
		    "incomplete (%s)",
		    r.data);
	} else {
		act->decision = CX_DECISION_ISSUE;
		act->decision_para = cx_strdup("27(1)");
		act->decision_reason =
		    cx_strdup("Every applicable requirement of every block was "
		              "checked and passed");
	}
	cx_buf_free(&r);
}

int cx_act_build(const struct cx_run *run, const struct cx_run *baseline,
                 const struct cx_object *obj, const char *date,
                 struct cx_act **out)
{
	struct cx_act *act;
	struct cx_act_block *b;
	const struct cx_finding *f, *prev;
	char today[32];
	size_t i, k;
	int bi, rc = CX_ENOMEM;

	*out = NULL;
	act = calloc(1, sizeof(*act));
	if (act == NULL)
		return CX_ENOMEM;
	act->run = run;
	act->baseline = baseline;
	act->obj = obj;
	act->additional = baseline != NULL ||
	                  (run->kind && strcmp(run->kind, "additional") == 0);
	act->number = cx_asprintf("%04d", run->number);
	if (date == NULL) {
		cx_iso8601(time(NULL), today, sizeof(today));
		today[10] = '\0';
		date = today;
	}
	act->date = cx_strdup(date);
	if (act->number == NULL || act->date == NULL)
		goto fail;

	for (bi = 0; bi < CX_ACT_NBLOCKS; bi++) {
		b = &act->blocks[bi];
		b->id = cx_act_block_ids[bi];
		b->title = block_titles[bi];
		b->check_state = check_state(run, check_of_block[bi]);
		b->items = calloc(run->n_findings + 1, sizeof(*b->items));
		if (b->items == NULL)
			goto fail;
	}
	act->defs = calloc(run->n_findings + 1, sizeof(*act->defs));
	if (act->defs == NULL)
		goto fail;
	for (i = 0; i < run->n_findings; i++) {
		f = &run->findings[i];
		bi = block_index(f->block);
		if ((unsigned)f->status < CX__STATUS_COUNT)
			act->by_status[f->status]++;
		if (bi >= 0) {
			b = &act->blocks[bi];
			b->items[b->n_items++] = f;
			b->by_status[f->status]++;
		}
		if (f->status == CX_FAIL) {
			act->by_sev[f->severity]++;
			act->defs[act->n_defs].f = f;
			prev = find_key(baseline, f->key);
			act->defs[act->n_defs].is_new =
			    baseline != NULL &&
			    (prev == NULL || prev->status != CX_FAIL);
			act->n_defs++;
		}
	}
	qsort(act->defs, act->n_defs, sizeof(*act->defs), def_cmp);
	for (i = 0; i < act->n_defs; i++)
		act->defs[i].number = (int)i + 1;
	for (bi = 0; bi < CX_ACT_NBLOCKS; bi++)
		act->blocks[bi].verdict = verdict_of(&act->blocks[bi]);

	if (baseline != NULL) {
		act->delta =
		    calloc(baseline->n_findings + 1, sizeof(*act->delta));
		if (act->delta == NULL)
			goto fail;
		for (i = 0; i < baseline->n_findings; i++) {
			prev = &baseline->findings[i];
			if (prev->status != CX_FAIL)
				continue;
			k = act->n_delta++;
			act->delta[k].before = prev;
			f = find_key(run, prev->key);
			act->delta[k].after = f;
			if (f == NULL && service_gone(run, prev))
				act->delta[k].result = CX_RECT_RECTIFIED;
			else if (f == NULL || f->status == CX_NOT_CHECKED ||
			         f->status == CX_ERROR)
				act->delta[k].result = CX_RECT_NOT_RECHECKED;
			else if (f->status == CX_FAIL)
				act->delta[k].result = CX_RECT_NOT_RECTIFIED;
			else
				act->delta[k].result = CX_RECT_RECTIFIED;
		}
	}
	decide(act);
	if (act->decision_reason == NULL)
		goto fail;
	*out = act;
	return CX_OK;
fail:
	cx_act_free(act);
	return rc;
}

void cx_act_free(struct cx_act *act)
{
	int i;

	if (act == NULL)
		return;
	for (i = 0; i < CX_ACT_NBLOCKS; i++)
		free((void *)act->blocks[i].items);
	free(act->defs);
	free(act->delta);
	free(act->number);
	free(act->date);
	free(act->decision_para);
	free(act->decision_reason);
	free(act);
}
