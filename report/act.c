/*
 * certexam — the act model: the four parts of paragraph 22 and their
 * blocks with verdicts, the deficiencies grouped by requirement and cause,
 * the recommendations, the delta against a baseline run and the proposed
 * decision (paragraphs 27 and 37 of the Rules) with its reason.  No
 * writer decides anything; this file does.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/object.h"
#include "certexam/profile.h"
#include "certexam/util.h"

const char *const cx_act_block_ids[CX_ACT_NBLOCKS] = {
    "preliminary", "documents", "site", "network", "tls", "web", "inventory",
};

static const char *const block_titles[CX_ACT_NBLOCKS] = {
    "act.block.preliminary", "act.block.documents", "act.block.site",
    "act.block.network",     "act.block.tls",       "act.block.web",
    "act.block.inventory",
};

static const int block_part[CX_ACT_NBLOCKS] = {1, 2, 3, 4, 4, 4, 4};

static const char *const part_titles[CX_ACT_NPARTS] = {
    "act.part.1",
    "act.part.2",
    "act.part.3",
    "act.part.4",
};

static const char *const check_of_block[CX_ACT_NBLOCKS] = {
    "parts", "documents", "parts", "ports", "tls", "http", "inventory",
};

const char *cx_act_text(const struct cx_act *act, const char *id)
{
	const char *t = act ? cx_catalog_get(act->cat, id) : NULL;

	return t != NULL ? t : id;
}

const char *cx_act_part_source(const struct cx_finding *f)
{
	if (f == NULL || f->check == NULL || strcmp(f->check, "parts") != 0 ||
	    f->req_id == NULL || f->req_id[0] != 'P' || f->req_id[1] == '\0')
		return NULL;
	return cx_part_source_msg(f->req_id[1] - '0');
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
	case CX_RECT_CHANGED:
		return "changed";
	case CX_RECT_NOT_RECHECKED:
	default:
		return "not_rechecked";
	}
}

const char *cx_rectification_msg(enum cx_rectification r)
{
	switch (r) {
	case CX_RECT_RECTIFIED:
		return "act.rect.rectified";
	case CX_RECT_NOT_RECTIFIED:
		return "act.rect.not_rectified";
	case CX_RECT_CHANGED:
		return "act.rect.changed";
	case CX_RECT_NOT_RECHECKED:
	default:
		return "act.rect.not_rechecked";
	}
}

int cx_act_is_deficiency(const struct cx_finding *f)
{
	return f != NULL && f->status == CX_FAIL &&
	       !cx_finding_is_practice(f) && f->severity <= CX_SEV_LOW;
}

int cx_act_cause(const struct cx_act *act, const struct cx_finding *f,
                 struct cx_buf *b)
{
	return cx_finding_text(act->cat, f, b);
}

int cx_finding_text(const struct cx_catalog *cat, const struct cx_finding *f,
                    struct cx_buf *b)
{
	const char *names[16], *values[16];
	const char *t = f->msg && cat ? cx_catalog_get(cat, f->msg) : NULL;
	size_t i, n = 0;

	if (t == NULL)
		return cx_buf_puts(b, f->observed && !f->msg ? f->observed
		                      : f->title             ? f->title
		                                             : "");
	for (i = 0; i < f->n_args && n < CX_ARRAY_LEN(names); i++) {
		names[n] = f->args[i].name;
		values[n++] = f->args[i].value;
	}
	return cx_msg_format_props(b, t, names, values, n);
}

static int block_index(const char *id)
{
	int i;

	for (i = 0; id != NULL && i < CX_ACT_NBLOCKS; i++)
		if (strcmp(cx_act_block_ids[i], id) == 0)
			return i;
	return -1;
}

int cx_act_reason(const struct cx_act *act, struct cx_buf *b)
{
	const char *args[2 * CX_ACT_REASON_ARGS + 1];
	size_t i;
	int bi, sv;

	for (i = 0; i < 2 * CX_ACT_REASON_ARGS && act->reason_args[i] != NULL;
	     i += 2) {
		args[i] = act->reason_args[i];
		args[i + 1] = act->reason_args[i + 1];
		if (strcmp(args[i], "block") == 0 &&
		    (bi = block_index(args[i + 1])) >= 0)
			args[i + 1] = cx_act_text(act, block_titles[bi]);
		else if (strcmp(args[i], "severity") == 0 &&
		         (sv = cx_severity_parse(args[i + 1])) >= 0)
			args[i + 1] = cx_act_text(
			    act, cx_severity_msg((enum cx_severity)sv));
	}
	args[i] = NULL;
	return act->reason_msg ? cx_msg(b, act->cat, act->reason_msg, args)
	                       : CX_OK;
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
	if (applicable == 0 && s[CX_NOT_APPLICABLE] + s[CX_WAIVED] > 0)
		return CX_VERDICT_NOT_APPLICABLE;
	if (s[CX_PASS] == 0)
		return CX_VERDICT_NOT_PERFORMED;
	return CX_VERDICT_PASS;
}

/*
 * A part's verdict from its blocks: a failure fails it; a block not
 * performed or incomplete leaves it incomplete, unless no block of the
 * part was performed at all (then the part was not performed).
 */
static enum cx_verdict part_verdict(const struct cx_act *act, int part)
{
	int i, fail = 0, open = 0, performed = 0, pass = 0;

	for (i = 0; i < CX_ACT_NBLOCKS; i++) {
		enum cx_verdict v = act->blocks[i].verdict;
		if (act->blocks[i].part != part)
			continue;
		if (v == CX_VERDICT_FAIL)
			fail = 1;
		if (v == CX_VERDICT_INCOMPLETE || v == CX_VERDICT_NOT_PERFORMED)
			open = 1;
		if (v != CX_VERDICT_NOT_PERFORMED)
			performed = 1;
		if (v == CX_VERDICT_PASS)
			pass = 1;
	}
	if (!performed)
		return CX_VERDICT_NOT_PERFORMED;
	if (fail)
		return CX_VERDICT_FAIL;
	if (open)
		return CX_VERDICT_INCOMPLETE;
	return pass ? CX_VERDICT_PASS : CX_VERDICT_NOT_APPLICABLE;
}

/* The findings of a run by key: a sorted index for the delta. */
static int fp_key_cmp(const void *a, const void *b)
{
	const struct cx_finding *x = *(const struct cx_finding *const *)a;
	const struct cx_finding *y = *(const struct cx_finding *const *)b;

	return strcmp(x->key, y->key);
}

struct key_index {
	const struct cx_finding **v;
	size_t n;
};

static int index_build(struct key_index *ix, const struct cx_run *run)
{
	size_t i;

	ix->n = 0;
	ix->v = calloc(run ? run->n_findings + 1 : 1, sizeof(*ix->v));
	if (ix->v == NULL)
		return CX_ENOMEM;
	for (i = 0; run != NULL && i < run->n_findings; i++)
		ix->v[ix->n++] = &run->findings[i];
	qsort(ix->v, ix->n, sizeof(*ix->v), fp_key_cmp);
	return CX_OK;
}

static const struct cx_finding *index_find(const struct key_index *ix,
                                           const char *key)
{
	struct cx_finding probe;
	const struct cx_finding *pp = &probe, *const * hit;

	if (ix->n == 0)
		return NULL;
	probe.key = (char *)key;
	hit = bsearch(&pp, ix->v, ix->n, sizeof(*ix->v), fp_key_cmp);
	return hit ? *hit : NULL;
}

/*
 * What the delta needs to know, once per act, to tell whether a
 * baseline finding's service is gone: whether the run's port scan was
 * done, and the addresses it scanned (sorted, for bsearch).  The ports
 * are looked up in the run's own index (cx_run_find_port), so the delta
 * is linear in the findings, not findings x hosts.
 */
struct gone_index {
	int portscan_done;
	const char **hosts; /* borrowed from the run, sorted */
	size_t n_hosts;
};

static int str_ptr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int gone_index_build(struct gone_index *g, const struct cx_run *run)
{
	const char *ps = check_state(run, "portscan");
	size_t i;

	memset(g, 0, sizeof(*g));
	g->portscan_done = ps != NULL && strcmp(ps, "done") == 0;
	if (!g->portscan_done)
		return CX_OK;
	g->hosts = calloc(run->n_hosts + 1, sizeof(*g->hosts));
	if (g->hosts == NULL)
		return CX_ENOMEM;
	for (i = 0; i < run->n_hosts; i++)
		if (run->hosts[i].addr != NULL)
			g->hosts[g->n_hosts++] = run->hosts[i].addr;
	qsort(g->hosts, g->n_hosts, sizeof(*g->hosts), str_ptr_cmp);
	return CX_OK;
}

/*
 * 1 when the service of baseline finding f (asset "addr:port/proto") is
 * gone: the run's port scan was done, scanned f's host again and did not
 * find the port.
 */
static int service_gone(const struct cx_run *run, const struct gone_index *g,
                        const struct cx_finding *f)
{
	char addr[128];
	const char *colon, *slash, *key = addr;
	long port;

	if (f->asset == NULL || !g->portscan_done)
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
	if (g->n_hosts == 0 || bsearch(&key, g->hosts, g->n_hosts,
	                               sizeof(*g->hosts), str_ptr_cmp) == NULL)
		return 0; /* the host was not scanned again */
	return cx_run_find_port(run, addr, (int)port, slash + 1) == NULL;
}

/*
 * What makes two failed findings one deficiency: requirement and cause
 * (the message id).  A finding recorded without a message (a check not
 * yet converted, an old run) has only English text whose wording varies
 * per asset, so its requirement alone groups it.
 */
static const char *cause_key(const struct cx_finding *f)
{
	return f->msg ? f->msg : "";
}

static int member_cmp(const void *a, const void *b)
{
	const struct cx_finding *x = *(const struct cx_finding *const *)a;
	const struct cx_finding *y = *(const struct cx_finding *const *)b;
	int bx = block_index(x->block), by = block_index(y->block), c;

	if (bx != by)
		return bx < by ? -1 : 1;
	c = strcmp(x->req_id ? x->req_id : "", y->req_id ? y->req_id : "");
	if (c == 0)
		c = strcmp(cause_key(x), cause_key(y));
	if (c == 0)
		c = strcmp(x->key, y->key);
	return c;
}

/* Groups are ordered by block, then severity, then requirement. */
static int group_cmp(const void *a, const void *b)
{
	const struct cx_act_group *x = a, *y = b;
	int bx = block_index(x->first->block),
	    by = block_index(y->first->block);

	if (bx != by)
		return bx < by ? -1 : 1;
	if (x->severity != y->severity)
		return x->severity < y->severity ? -1 : 1;
	return member_cmp(&x->first, &y->first);
}

/*
 * Group the failed findings of one class: sort, cut where the
 * requirement changes and, for deficiencies, where the cause changes (one
 * numbered deficiency per requirement and cause; one recommendation per
 * requirement, listed compactly with all its assets).
 */
static int group(const struct cx_run *run, const struct key_index *base,
                 int want_def, struct cx_act_group **out, size_t *n_out,
                 size_t *n_members)
{
	const struct cx_finding **all;
	struct cx_act_group *g = NULL;
	size_t i, j, n = 0, ng = 0;

	*out = NULL;
	*n_out = 0;
	*n_members = 0;
	all = calloc(run->n_findings + 1, sizeof(*all));
	if (all == NULL)
		return CX_ENOMEM;
	for (i = 0; i < run->n_findings; i++) {
		const struct cx_finding *f = &run->findings[i];
		if (f->status == CX_FAIL && cx_act_is_deficiency(f) == want_def)
			all[n++] = f;
	}
	qsort(all, n, sizeof(*all), member_cmp);
	g = calloc(n + 1, sizeof(*g));
	if (g == NULL) {
		free(all);
		return CX_ENOMEM;
	}
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n; j++)
			if (strcmp(all[j]->req_id ? all[j]->req_id : "",
			           all[i]->req_id ? all[i]->req_id : "") ||
			    (want_def &&
			     strcmp(cause_key(all[j]), cause_key(all[i]))))
				break;
		g[ng].first = all[i];
		g[ng].members = all + i;
		g[ng].n_members = j - i;
		g[ng].severity = all[i]->severity;
		g[ng].is_new = base != NULL;
		for (size_t k = i; k < j; k++) {
			const struct cx_finding *prev;
			if (all[k]->severity < g[ng].severity)
				g[ng].severity = all[k]->severity;
			prev = base ? index_find(base, all[k]->key) : NULL;
			if (prev != NULL && prev->status == CX_FAIL)
				g[ng].is_new = 0;
		}
		ng++;
	}
	/*
	 * The groups point into all[]; keep all[] alive as the first
	 * group's members array (freed with it in cx_act_free).
	 */
	if (ng > 0) {
		const struct cx_finding **base_ptr = all;
		qsort(g, ng, sizeof(*g), group_cmp);
		for (i = 0; i < ng; i++)
			g[i].number = (int)i + 1;
		g[ng].members = base_ptr; /* sentinel: the storage */
	} else {
		g[0].members = all;
	}
	*out = g;
	*n_out = ng;
	*n_members = n;
	return CX_OK;
}

static int set_arg(struct cx_act *act, size_t *k, const char *name,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int set_arg(struct cx_act *act, size_t *k, const char *name,
                   const char *fmt, ...)
{
	struct cx_buf b = {0};
	va_list ap;
	int rc;

	if (*k >= CX_ACT_REASON_ARGS)
		return CX_ELIMIT;
	va_start(ap, fmt);
	rc = cx_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc != CX_OK || b.data == NULL) {
		cx_buf_free(&b);
		return CX_ENOMEM;
	}
	act->reason_store[*k] = cx_buf_steal(&b);
	act->reason_args[2 * *k] = name;
	act->reason_args[2 * *k + 1] = act->reason_store[*k];
	(*k)++;
	act->reason_args[2 * *k] = NULL;
	return CX_OK;
}

/* 1 when deficiency g meets the profile's ground gr. */
static int ground_met(const struct cx_act_group *g,
                      const struct cx_refusal_ground *gr)
{
	const struct cx_finding *f = g->first;

	if (gr->req != NULL &&
	    (f->req_id == NULL || strcmp(f->req_id, gr->req) != 0))
		return 0;
	if (gr->block != NULL &&
	    (f->block == NULL || strcmp(f->block, gr->block) != 0))
		return 0;
	return g->severity <= gr->min_severity; /* critical is 0 */
}

/*
 * The first deficiency that meets a refusal ground: a requirement id of
 * opts (grounds), then a ground of the profile (act->refusal is set to
 * it).  *req: the requirement of that deficiency.  0 when none is met.
 */
static int refusal_ground(struct cx_act *act, const char *const *grounds,
                          const char **req)
{
	const struct cx_profile *p = act->profile;
	size_t i, j;

	for (i = 0; grounds != NULL && i < act->n_defs; i++)
		for (j = 0; grounds[j] != NULL; j++)
			if (act->defs[i].first->req_id != NULL &&
			    strcmp(act->defs[i].first->req_id, grounds[j]) ==
			        0) {
				*req = grounds[j];
				return 1;
			}
	for (j = 0; p != NULL && j < p->n_grounds; j++)
		for (i = 0; i < act->n_defs; i++)
			if (ground_met(&act->defs[i], &p->grounds[j])) {
				act->refusal = &p->grounds[j];
				*req = act->defs[i].first->req_id
				           ? act->defs[i].first->req_id
				           : "-";
				return 1;
			}
	return 0;
}

/* Parts (by number) with verdict v, as "22(1), 22(3)". */
static int parts_with(const struct cx_act *act, enum cx_verdict v,
                      struct cx_buf *b)
{
	int i, rc = CX_OK;

	for (i = 0; i < CX_ACT_NPARTS && rc == CX_OK; i++)
		if (act->parts[i].verdict == v)
			rc = cx_buf_printf(b, "%s22(%d)", b->len ? ", " : "",
			                   act->parts[i].n);
	return rc;
}

static int decide_examination(struct cx_act *act, const char *const *grounds)
{
	struct cx_buf missing = {0}, open = {0};
	const char *req = NULL;
	size_t k = 0, i, gsev[CX__SEV_COUNT] = {0};
	int rc;

	rc = parts_with(act, CX_VERDICT_NOT_PERFORMED, &missing);
	if (rc == CX_OK)
		rc = parts_with(act, CX_VERDICT_INCOMPLETE, &open);
	if (rc != CX_OK)
		goto out;
	if (missing.len > 0 || open.len > 0) {
		act->decision = CX_DECISION_NONE;
		if (missing.len > 0 && open.len > 0) {
			act->reason_msg = "act.reason.parts-missing-incomplete";
			rc = set_arg(act, &k, "missing", "%s", missing.data);
			if (rc == CX_OK)
				rc = set_arg(act, &k, "incomplete", "%s",
				             open.data);
		} else if (missing.len > 0) {
			act->reason_msg = "act.reason.parts-missing";
			rc = set_arg(act, &k, "parts", "%s", missing.data);
		} else {
			act->reason_msg = "act.reason.parts-incomplete";
			rc = set_arg(act, &k, "parts", "%s", open.data);
		}
		goto out;
	}
	if (act->n_defs > 0 && refusal_ground(act, grounds, &req)) {
		act->decision = CX_DECISION_REFUSE;
		act->decision_para = cx_strdup("27(2)");
		act->reason_msg = "act.reason.refusal-ground";
		rc = set_arg(act, &k, "requirement", "%s", req);
		if (rc == CX_OK && act->refusal != NULL &&
		    act->refusal->block != NULL) {
			/* block and severity are rendered in the act's
			 * language by cx_act_reason() */
			act->reason_msg = "act.reason.refusal-ground-block";
			rc = set_arg(act, &k, "block", "%s",
			             act->refusal->block);
			if (rc == CX_OK)
				rc = set_arg(act, &k, "severity", "%s",
				             cx_severity_name(
				                 act->refusal->min_severity));
		}
	} else if (act->n_defs > 0) {
		act->decision = CX_DECISION_RECTIFY;
		act->decision_para = cx_strdup("27(3)");
		act->reason_msg = "act.reason.deficiencies";
	} else {
		act->decision = CX_DECISION_ISSUE;
		act->decision_para = cx_strdup("27(1)");
		act->reason_msg = "act.reason.no-deficiency";
	}
	if (act->decision_para == NULL)
		rc = CX_ENOMEM;
	/* The counts are of numbered deficiencies, as the act lists them. */
	for (i = 0; i < act->n_defs; i++)
		gsev[act->defs[i].severity]++;
	if (rc == CX_OK)
		rc = set_arg(act, &k, "count", "%zu", act->n_defs);
	if (rc == CX_OK)
		rc = set_arg(act, &k, "critical", "%zu", gsev[CX_SEV_CRITICAL]);
	if (rc == CX_OK)
		rc = set_arg(act, &k, "high", "%zu", gsev[CX_SEV_HIGH]);
	if (rc == CX_OK)
		rc = set_arg(act, &k, "medium", "%zu", gsev[CX_SEV_MEDIUM]);
	if (rc == CX_OK)
		rc = set_arg(act, &k, "low", "%zu", gsev[CX_SEV_LOW]);
	if (rc == CX_OK)
		rc = set_arg(act, &k, "recommendations", "%zu", act->n_recs);
out:
	cx_buf_free(&missing);
	cx_buf_free(&open);
	return rc;
}

/*
 * Paragraph 37: the additional examination decides from the normative
 * deficiencies of the baseline only (act->delta holds exactly those);
 * new deficiencies are listed but do not turn an issue into a refusal.
 */
static int decide_additional(struct cx_act *act)
{
	size_t i, k = 0, notrect = 0, unchecked = 0, n_new = 0;
	int rc = CX_OK;

	for (i = 0; i < act->n_delta; i++) {
		if (act->delta[i].result == CX_RECT_NOT_RECTIFIED ||
		    act->delta[i].result == CX_RECT_CHANGED)
			notrect++;
		else if (act->delta[i].result == CX_RECT_NOT_RECHECKED)
			unchecked++;
	}
	for (i = 0; i < act->n_defs; i++)
		if (act->defs[i].is_new)
			n_new++;
	if (notrect > 0) {
		act->decision = CX_DECISION_REFUSE;
		act->decision_para = cx_strdup("37(2)");
		act->reason_msg = "act.reason.add-not-rectified";
	} else if (unchecked > 0) {
		act->decision = CX_DECISION_NONE;
		act->reason_msg = "act.reason.add-not-rechecked";
	} else {
		act->decision = CX_DECISION_ISSUE;
		act->decision_para = cx_strdup("37(1)");
		act->reason_msg = "act.reason.add-rectified";
	}
	if (act->decision != CX_DECISION_NONE && act->decision_para == NULL)
		return CX_ENOMEM;
	rc = set_arg(act, &k, "total", "%zu", act->n_delta);
	if (rc == CX_OK)
		rc = set_arg(act, &k, "not_rectified", "%zu", notrect);
	if (rc == CX_OK)
		rc = set_arg(act, &k, "unchecked", "%zu", unchecked);
	if (rc == CX_OK)
		rc = set_arg(act, &k, "new", "%zu", n_new);
	return rc;
}

/* Same key, still failing: the same cause, or another one? */
static int same_cause(const struct cx_finding *a, const struct cx_finding *b)
{
	size_t i;

	if (a->msg == NULL || b->msg == NULL)
		return 1; /* an old run: nothing to compare */
	if (strcmp(a->msg, b->msg) != 0 || a->n_args != b->n_args)
		return 0;
	for (i = 0; i < a->n_args; i++)
		if (strcmp(a->args[i].name, b->args[i].name) ||
		    strcmp(a->args[i].value ? a->args[i].value : "",
		           b->args[i].value ? b->args[i].value : ""))
			return 0;
	return 1;
}

static int build_delta(struct cx_act *act, const struct key_index *now)
{
	const struct cx_run *baseline = act->baseline;
	const struct cx_finding *prev, *f;
	struct gone_index gone;
	size_t i, k;

	act->delta = calloc(baseline->n_findings + 1, sizeof(*act->delta));
	if (act->delta == NULL || gone_index_build(&gone, act->run) != CX_OK)
		return CX_ENOMEM;
	for (i = 0; i < baseline->n_findings; i++) {
		prev = &baseline->findings[i];
		if (!cx_act_is_deficiency(prev))
			continue;
		k = act->n_delta++;
		act->delta[k].before = prev;
		f = index_find(now, prev->key);
		act->delta[k].after = f;
		if (f == NULL && service_gone(act->run, &gone, prev))
			act->delta[k].result = CX_RECT_RECTIFIED;
		else if (f == NULL || f->status == CX_NOT_CHECKED ||
		         f->status == CX_ERROR)
			act->delta[k].result = CX_RECT_NOT_RECHECKED;
		else if (f->status == CX_FAIL)
			act->delta[k].result = same_cause(prev, f)
			                           ? CX_RECT_NOT_RECTIFIED
			                           : CX_RECT_CHANGED;
		else
			act->delta[k].result = CX_RECT_RECTIFIED;
	}
	free((void *)gone.hosts);
	return CX_OK;
}

void cx_act_people(struct cx_act *act, const struct cx_act_opts *o)
{
	const struct cx_object *obj = act->obj;
	size_t i;

	if (o != NULL && o->n_examiners > 0) {
		for (i = 0; i < o->n_examiners && i < CX_ACT_MAX_EXAMINERS; i++)
			act->examiners[i] = o->examiners[i];
		act->n_examiners = i;
	} else if (obj != NULL) {
		for (i = 0; i < obj->n_examiners && i < CX_ACT_MAX_EXAMINERS;
		     i++) {
			act->examiners[i].name = obj->examiners[i].name;
			act->examiners[i].position = obj->examiners[i].position;
		}
		act->n_examiners = i;
	}
	if (o != NULL && o->head != NULL) {
		act->head = *o->head;
	} else if (obj != NULL) {
		act->head.name = obj->head.name;
		act->head.position = obj->head.position;
	}
}

int cx_act_build_opts(const struct cx_run *run, const struct cx_run *baseline,
                      const struct cx_act_opts *opts, struct cx_act **out)
{
	struct cx_act *act;
	struct cx_act_block *b;
	struct key_index now = {0}, base = {0};
	const struct cx_finding *f;
	const char *date = opts ? opts->date : NULL;
	char today[32];
	size_t i;
	int bi, rc = CX_ENOMEM;

	*out = NULL;
	act = calloc(1, sizeof(*act));
	if (act == NULL)
		return CX_ENOMEM;
	act->run = run;
	act->baseline = baseline;
	act->obj = opts ? opts->obj : NULL;
	act->profile = opts ? opts->profile : NULL;
	act->altered = opts ? opts->altered : NULL;
	act->n_altered = opts && opts->altered ? opts->n_altered : 0;
	act->additional = baseline != NULL ||
	                  (run->kind && strcmp(run->kind, "additional") == 0);
	if (opts != NULL && opts->number != NULL) {
		act->number = cx_strdup(opts->number);
		if (act->number == NULL)
			goto fail;
	}
	if (opts != NULL) {
		act->ref_number = cx_strdup(opts->ref_number);
		act->ref_date = cx_strdup(opts->ref_date);
	}
	if (date == NULL) {
		cx_iso8601(time(NULL), today, sizeof(today));
		today[10] = '\0';
		date = today;
	}
	act->date = cx_strdup(date);
	if (act->date == NULL)
		goto fail;
	cx_act_people(act, opts);

	for (bi = 0; bi < CX_ACT_NBLOCKS; bi++) {
		b = &act->blocks[bi];
		b->id = cx_act_block_ids[bi];
		b->title = block_titles[bi];
		b->part = block_part[bi];
		b->check_state = check_state(run, check_of_block[bi]);
		b->items = calloc(run->n_findings + 1, sizeof(*b->items));
		if (b->items == NULL)
			goto fail;
	}
	for (i = 0; i < run->n_findings; i++) {
		f = &run->findings[i];
		bi = block_index(f->block);
		if ((unsigned)f->status < CX__STATUS_COUNT)
			act->by_status[f->status]++;
		if (bi >= 0 && (unsigned)f->status < CX__STATUS_COUNT) {
			b = &act->blocks[bi];
			b->items[b->n_items++] = f;
			b->by_status[f->status]++;
		}
		if (cx_act_is_deficiency(f))
			act->by_sev[f->severity]++;
	}
	for (bi = 0; bi < CX_ACT_NBLOCKS; bi++)
		act->blocks[bi].verdict = verdict_of(&act->blocks[bi]);
	for (i = 0; i < CX_ACT_NPARTS; i++) {
		act->parts[i].n = (int)i + 1;
		act->parts[i].title = part_titles[i];
		act->parts[i].verdict = part_verdict(act, (int)i + 1);
	}
	if (index_build(&now, run) || index_build(&base, baseline))
		goto fail;
	rc = group(run, baseline ? &base : NULL, 1, &act->defs, &act->n_defs,
	           &act->n_def_findings);
	if (rc == CX_OK)
		rc = group(run, baseline ? &base : NULL, 0, &act->recs,
		           &act->n_recs, &act->n_rec_findings);
	if (rc == CX_OK && baseline != NULL)
		rc = build_delta(act, &now);
	if (rc == CX_OK)
		rc = act->additional && baseline != NULL
		         ? decide_additional(act)
		         : decide_examination(act, opts ? opts->refusal_grounds
		                                        : NULL);
	if (rc != CX_OK)
		goto fail;
	free(now.v);
	free(base.v);
	*out = act;
	return CX_OK;
fail:
	free(now.v);
	free(base.v);
	cx_act_free(act);
	return rc == CX_OK ? CX_ENOMEM : rc;
}

int cx_act_build(const struct cx_run *run, const struct cx_run *baseline,
                 const struct cx_object *obj, const char *date,
                 struct cx_act **out)
{
	struct cx_act_opts o;

	memset(&o, 0, sizeof(o));
	o.obj = obj;
	o.date = date;
	return cx_act_build_opts(run, baseline, &o, out);
}

static void groups_free(struct cx_act_group *g, size_t n)
{
	if (g == NULL)
		return;
	free((void *)g[n].members); /* the sentinel holds the storage */
	free(g);
}

void cx_act_free(struct cx_act *act)
{
	int i;

	if (act == NULL)
		return;
	for (i = 0; i < CX_ACT_NBLOCKS; i++)
		free((void *)act->blocks[i].items);
	groups_free(act->defs, act->n_defs);
	groups_free(act->recs, act->n_recs);
	free(act->delta);
	free(act->number);
	free(act->date);
	free(act->ref_number);
	free(act->ref_date);
	free(act->decision_para);
	for (i = 0; i < CX_ACT_REASON_ARGS; i++)
		free(act->reason_store[i]);
	free(act);
}
