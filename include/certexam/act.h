/*
 * certexam — the act model and its writers.
 *
 * cx_act_build() turns a stored run (and, for an additional examination,
 * the baseline run it re-checks) into a read-only model: header, object,
 * normative basis, method, the five blocks with their verdicts, numbered
 * deficiencies, the delta against the baseline, counts and the proposed
 * decision.  Writers only render the model; they never decide anything.
 */
#ifndef CERTEXAM_ACT_H
#define CERTEXAM_ACT_H

#include <stddef.h>
#include "certexam/object.h"
#include "certexam/run.h"
#include "certexam/util.h"

struct cx_catalog;

struct cx_deadlines;

enum cx_verdict {
	CX_VERDICT_PASS = 0,       /* every applicable item passed */
	CX_VERDICT_FAIL,           /* at least one item failed */
	CX_VERDICT_INCOMPLETE,     /* no fail, but not_checked/error items */
	CX_VERDICT_NOT_PERFORMED,  /* no check filled this block */
	CX_VERDICT_NOT_APPLICABLE, /* every item was not applicable */
};
const char *cx_verdict_name(enum cx_verdict v);
/* The catalog message of a verdict ("act.verdict.pass"). */
const char *cx_verdict_msg(enum cx_verdict v);

enum cx_decision {
	CX_DECISION_ISSUE = 0, /* para 27(1) / 37(1) */
	CX_DECISION_RECTIFY,   /* para 27(3), examination only */
	CX_DECISION_REFUSE,    /* para 27(2) / 37(2) */
	CX_DECISION_NONE,      /* the examination is incomplete */
};
const char *cx_decision_name(enum cx_decision d);

#define CX_ACT_NBLOCKS 5
extern const char *const cx_act_block_ids[CX_ACT_NBLOCKS];

struct cx_act_block {
	const char *id;    /* "documents", "network", ... */
	const char *title; /* message id: "act.block.documents" */
	enum cx_verdict verdict;
	const char *check_state; /* "done", "failed: ...", NULL */
	size_t by_status[CX__STATUS_COUNT];
	const struct cx_finding **items; /* all findings of the block */
	size_t n_items;
};

struct cx_act_deficiency {
	int number; /* 1-based, across the act */
	const struct cx_finding *f;
	int is_new; /* additional: not a deficiency before */
};

/* For an additional examination: what became of each baseline deficiency. */
enum cx_rectification {
	CX_RECT_RECTIFIED = 0, /* same key, now pass */
	CX_RECT_NOT_RECTIFIED, /* same key, still fail */
	CX_RECT_NOT_RECHECKED, /* key absent, not_checked or error now */
};
const char *cx_rectification_name(enum cx_rectification r);

struct cx_act_delta {
	const struct cx_finding *before; /* the baseline deficiency */
	const struct cx_finding *after;  /* same key in this run, or NULL */
	enum cx_rectification result;
};

struct cx_act {
	int additional; /* act of additional examination */
	char *number;   /* "0003" */
	char *date;     /* YYYY-MM-DD, the day the act was drafted */
	const struct cx_run *run;
	const struct cx_run *baseline; /* NULL unless additional */
	const struct cx_object
	    *obj; /* snapshot taken by the scan; may be NULL */
	struct cx_act_block blocks[CX_ACT_NBLOCKS];
	struct cx_act_deficiency *defs;
	size_t n_defs;
	struct cx_act_delta *delta;
	size_t n_delta;
	size_t by_status[CX__STATUS_COUNT];
	size_t by_sev[CX__SEV_COUNT]; /* failed findings by severity */
	enum cx_decision decision;
	char *decision_para; /* "27(3)" */
	char *decision_reason;
	/* The language the writers render in: set by the caller. */
	const struct cx_catalog *cat; /* borrowed; NULL renders ids */
	const char *lang;             /* "kk", "ru", "en" */
	/* The procedure's terms (para 19 or 34) as of the act's date; set by
	 * the caller (report/act_proc.c renders them), may be NULL. */
	const struct cx_deadlines *terms;
};

/*
 * The catalog text of message id in the act's language (borrowed), or id
 * itself when the catalog lacks it, so a gap shows and is never silent.
 */
const char *cx_act_text(const struct cx_act *act, const char *id);
/* The message ids of a status and of a severity ("act.status.pass"). */
const char *cx_status_msg(enum cx_status s);
const char *cx_severity_msg(enum cx_severity s);

/*
 * Build the model.  run, baseline and obj are borrowed and must outlive
 * the act.  date may be NULL (today, UTC).  *out is freed with
 * cx_act_free().
 */
int cx_act_build(const struct cx_run *run, const struct cx_run *baseline,
                 const struct cx_object *obj, const char *date,
                 struct cx_act **out);
void cx_act_free(struct cx_act *act);

struct cx_act_writer {
	const char *name; /* "html" */
	const char *ext;  /* "html" */
	int (*write)(const struct cx_act *act, struct cx_buf *out);
};

/* The writers, NULL-terminated. */
extern const struct cx_act_writer *const cx_act_writers[];
const struct cx_act_writer *cx_act_writer_find(const char *name);

#endif
