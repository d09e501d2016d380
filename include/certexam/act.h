/*
 * certexam — the act model and its writers.
 *
 * cx_act_build() turns a stored run (and, for an additional examination,
 * the baseline run it re-checks) into a read-only model: the four parts
 * of paragraph 22 and the blocks inside them with their verdicts, the
 * deficiencies grouped by requirement and cause (every affected asset
 * inside), the recommendations of good practice, the delta against the
 * baseline, counts and the proposed decision with its reason.  Writers
 * only render the model in the catalog language they are given; they
 * never decide anything.
 */
#ifndef CERTEXAM_ACT_H
#define CERTEXAM_ACT_H

#include <stddef.h>
#include "certexam/object.h"
#include "certexam/run.h"
#include "certexam/util.h"

struct cx_catalog;
struct cx_profile;
struct cx_refusal_ground;

struct cx_deadlines;

enum cx_verdict {
	CX_VERDICT_PASS = 0,       /* every applicable item passed */
	CX_VERDICT_FAIL,           /* at least one item failed */
	CX_VERDICT_INCOMPLETE,     /* no fail, but not_checked/error items */
	CX_VERDICT_NOT_PERFORMED,  /* nothing was recorded for this block */
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

/*
 * The blocks, in the order of paragraph 22: 22(1) preliminary analysis
 * of the original data, 22(2) the TD on IS (Annex 3), 22(3) the
 * examination of the object on site, 22(4) the instrumental examination
 * in four blocks.
 */
#define CX_ACT_NBLOCKS 7
extern const char *const cx_act_block_ids[CX_ACT_NBLOCKS];
#define CX_ACT_NPARTS 4

struct cx_act_block {
	const char *id;    /* "preliminary", "documents", "network", ... */
	const char *title; /* message id: "act.block.documents" */
	int part;          /* 1-4: the subparagraph of paragraph 22 */
	enum cx_verdict verdict;
	const char *check_state; /* "done", "failed: ...", NULL */
	size_t by_status[CX__STATUS_COUNT];
	const struct cx_finding **items; /* all findings of the block */
	size_t n_items;
};

/* A part of paragraph 22 and its verdict (from its blocks). */
struct cx_act_part {
	int n;             /* 1-4 */
	const char *title; /* message id: "act.part.1" */
	enum cx_verdict verdict;
};

/*
 * A failed finding is a deficiency when its requirement is normative and
 * its severity is low or above; a failed practice requirement or an info
 * finding is a recommendation.  Only deficiencies drive the decision.
 */
int cx_act_is_deficiency(const struct cx_finding *f);

/* One numbered deficiency (or recommendation): a requirement and a cause. */
struct cx_act_group {
	int number;                        /* 1-based within its list */
	const struct cx_finding *first;    /* requirement, cause */
	const struct cx_finding **members; /* every affected asset */
	size_t n_members;
	enum cx_severity severity; /* the highest of the members */
	int is_new;                /* additional: not failing before */
};

/* For an additional examination: what became of each baseline deficiency. */
enum cx_rectification {
	CX_RECT_RECTIFIED = 0, /* same key, now pass (or the service gone) */
	CX_RECT_NOT_RECTIFIED, /* same key, still fail, same cause */
	CX_RECT_NOT_RECHECKED, /* key absent, not_checked or error now */
	CX_RECT_CHANGED,       /* same key, still fail, another cause */
};
const char *cx_rectification_name(enum cx_rectification r);
const char *cx_rectification_msg(enum cx_rectification r);

struct cx_act_delta {
	const struct cx_finding *before; /* the baseline deficiency */
	const struct cx_finding *after;  /* same key in this run, or NULL */
	enum cx_rectification result;
};

/* A person named in the act: an examiner or the head who approves. */
struct cx_act_person {
	const char *name;
	const char *position;
};

#define CX_ACT_MAX_EXAMINERS 8
#define CX_ACT_REASON_ARGS   16

/* What the caller gives besides the runs; all borrowed, all may be NULL. */
struct cx_act_opts {
	const struct cx_object *obj; /* the case snapshot of the run */
	const char *date;            /* YYYY-MM-DD; NULL: today (UTC) */
	const char *number;          /* the act number the examiner gives */
	/* The act of examination an additional act refers to. */
	const char *ref_number, *ref_date;
	/* Examiners and head given as options, overriding object.xml. */
	const struct cx_act_person *examiners;
	size_t n_examiners;
	const struct cx_act_person *head;
	/*
	 * Requirement ids the profile names as grounds for refusal (para
	 * 27(2)); NULL-terminated.  None by default: then deficiencies
	 * propose 27(3), never 27(2).
	 */
	const char *const *refusal_grounds;
	/*
	 * The profile the run was made with, for the requirement texts,
	 * legal bases and recommendations in the act's language; NULL: the
	 * English texts stored in the run.
	 */
	const struct cx_profile *profile;
	/*
	 * Drafted anyway (act --accept-altered-evidence) although these
	 * evidence files ("E0001 (evidence/E0001-x.bin)") fail their
	 * SHA-256 or path check: the act says so on page 1, in every format.
	 */
	const char *const *altered;
	size_t n_altered;
};

struct cx_act {
	int additional; /* act of additional examination */
	char *number;   /* as given; NULL: not numbered yet (a blank) */
	char *date;     /* YYYY-MM-DD, the day the act was drafted */
	char *ref_number, *ref_date; /* additional: the act it refers to */
	const struct cx_run *run;
	const struct cx_run *baseline; /* NULL unless additional */
	const struct cx_object *obj;   /* snapshot taken by the scan; or NULL */
	const struct cx_profile *profile; /* for texts per language; or NULL */
	struct cx_act_block blocks[CX_ACT_NBLOCKS];
	struct cx_act_part parts[CX_ACT_NPARTS];
	struct cx_act_group *defs; /* the deficiencies */
	size_t n_defs;
	struct cx_act_group *recs; /* the recommendations */
	size_t n_recs;
	struct cx_act_delta *delta;
	size_t n_delta;
	size_t by_status[CX__STATUS_COUNT];
	size_t by_sev[CX__SEV_COUNT]; /* deficient findings by severity */
	size_t n_def_findings;        /* findings inside the deficiencies */
	size_t n_rec_findings;        /* findings inside the recommendations */
	struct cx_act_person examiners[CX_ACT_MAX_EXAMINERS];
	size_t n_examiners;
	struct cx_act_person head;
	enum cx_decision decision;
	char *decision_para; /* "27(3)", NULL when none is proposed */
	/* The reason: a message id and its parameters (name, value, ...). */
	const char *reason_msg;
	const char *reason_args[2 * CX_ACT_REASON_ARGS + 1];
	char *reason_store[CX_ACT_REASON_ARGS]; /* owned values */
	/* The profile's refusal ground that was met (27(2)), or NULL. */
	const struct cx_refusal_ground *refusal;
	/* Evidence files that failed verification (see cx_act_opts). */
	const char *const *altered;
	size_t n_altered;
	/*
	 * Sections other modules fill (NULL / 0 until they do): the Annex 5/6
	 * comparison table, the Annex 3 criteria, waivers, deadlines and the
	 * draft certificate are rendered by report/render.c where these
	 * hooks stand (see render_hooks in render.c).
	 */
	const void *annex56, *criteria, *waivers, *deadlines, *certificate;
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
/*
 * The message id of the normative basis of a finding of the check
 * "parts" (part 22(1) or 22(3), from its requirement id "P1-..." or
 * "P3-...": cx_part_source_msg()), for the act to word in its language;
 * NULL for any other finding (its basis is the catalogue's).
 */
const char *cx_act_part_source(const struct cx_finding *f);
/* The message ids of a status and of a severity ("act.status.pass"). */
const char *cx_status_msg(enum cx_status s);
const char *cx_severity_msg(enum cx_severity s);
/*
 * What finding f observed, in the act's language: its message with its
 * parameters, or for an old run its English title.  Appended to b.
 */
int cx_act_cause(const struct cx_act *act, const struct cx_finding *f,
                 struct cx_buf *b);
/*
 * The same with any catalog (the terminal's, for `certexam show`): f's
 * message in cat's language with its stored parameters; a message cat
 * lacks (or cat NULL) gives the stored English title, an old run's
 * observed text.  Appended to b, not escaped.  0 or CX_ENOMEM.
 */
int cx_finding_text(const struct cx_catalog *cat, const struct cx_finding *f,
                    struct cx_buf *b);

/*
 * How finding f was determined, in the language of cat (may be NULL):
 * its method message with its stored parameters (a message cat lacks
 * appends "[id]"), or for an old run its English text as recorded;
 * nothing when none was recorded.  Appended to b, not escaped.  0 or
 * CX_ENOMEM.
 */
int cx_finding_method_text(const struct cx_catalog *cat,
                           const struct cx_finding *f, struct cx_buf *b);
/* The same in the act's language. */
int cx_act_method(const struct cx_act *act, const struct cx_finding *f,
                  struct cx_buf *b);

/*
 * A check's recorded state (struct cx_act_block check_state) in the act's
 * language: a state code with its error parameter (scan.state.*), or the
 * text of a run recorded before the codes as recorded.  Appended to b, not
 * escaped.  0 or CX_ENOMEM.
 */
int cx_act_check_state(const struct cx_act *act, const char *state,
                       struct cx_buf *b);

/*
 * The reason of the proposed decision in the act's language, appended to
 * b: reason_msg with reason_args, where an argument "block" (a block id)
 * and "severity" (a severity name) are given in the act's words.
 */
int cx_act_reason(const struct cx_act *act, struct cx_buf *b);

/*
 * How the network was scanned (from the run's options and observations;
 * borrowed strings): scan "syn" / "connect" / NULL (not recorded), UDP,
 * host discovery "on" / "off" / "not-performed" / "unknown" with the
 * engine's note, and the counts of hosts found up and down.
 */
struct cx_act_net {
	const char *scan;
	/* Why that scan, in the act's words (a run records a scan.reason.*
	 * id with its raw parameter), or for an old run its English text as
	 * recorded (scan_reason_recorded 1); NULL when not recorded. */
	const char *scan_reason;
	int scan_reason_recorded;
	const char *udp_ports; /* the UDP port list, or NULL */
	int udp_scanned;       /* a udpscan observation exists */
	size_t udp_open;       /* open UDP ports, summed over hosts */
	/* Discovery's note likewise: worded from its scan.discovery.* id,
	 * or an old run's text (discovery_recorded 1), or NULL. */
	const char *discovery, *discovery_note;
	int discovery_recorded;
	size_t hosts_up, hosts_down;           /* by discovery */
	char reason_text[512], note_text[512]; /* the worded texts */
};
/*
 * Fill n; vantages (may be NULL) receives the vantage points, space-
 * separated, of the run or else of its hosts and ports.  0 or CX_ENOMEM.
 */
int cx_act_net(const struct cx_act *act, struct cx_act_net *n,
               struct cx_buf *vantages);
/* The "discovery" observations sorted by address (*out is the caller's,
 * free()), and the one of addr in it, or NULL.  O(log n) per look-up. */
int cx_act_disc_index(const struct cx_act *act,
                      const struct cx_observation ***out, size_t *n);
const struct cx_observation *
cx_act_disc_find(const struct cx_observation *const *ix, size_t n,
                 const char *addr);

/*
 * Build the model.  run, baseline and everything in opts are borrowed
 * and must outlive the act.  opts may be NULL.  *out is freed with
 * cx_act_free().
 */
int cx_act_build_opts(const struct cx_run *run, const struct cx_run *baseline,
                      const struct cx_act_opts *opts, struct cx_act **out);
/* cx_act_build_opts with only the case snapshot and the date. */
int cx_act_build(const struct cx_run *run, const struct cx_run *baseline,
                 const struct cx_object *obj, const char *date,
                 struct cx_act **out);
void cx_act_free(struct cx_act *act);
/*
 * The examiners and the head the act names: from opts (may be NULL), else
 * from the case (act->obj).  The build does this; call it again after
 * cx_object_localize() to name the case's people in another language.
 */
void cx_act_people(struct cx_act *act, const struct cx_act_opts *opts);

struct cx_act_writer {
	const char *name; /* "html" */
	const char *ext;  /* "html" */
	int (*write)(const struct cx_act *act, struct cx_buf *out);
};

/* The writers, NULL-terminated. */
extern const struct cx_act_writer *const cx_act_writers[];
const struct cx_act_writer *cx_act_writer_find(const char *name);

/*
 * The register of acts a case has drafted (CASE/acts/register.tsv), so
 * that numbers never repeat: one line per act, "number TAB date TAB kind
 * TAB run".  A number may contain only [A-Za-z0-9/._-] (1-32 characters).
 */
struct cx_act_reg_entry {
	char number[33];
	char date[11];
	char kind[16]; /* "examination" or "additional" */
	int run;
};
struct cx_act_register {
	struct cx_act_reg_entry *e;
	size_t n, cap;
};
/* 1 when s is a valid act number. */
int cx_act_number_valid(const char *s);
/* Read path (a missing file is an empty register).  0 or CX_EPARSE... */
int cx_act_register_load(const char *path, struct cx_act_register *reg,
                         struct cx_diags *diags);
int cx_act_register_parse(const char *data, size_t len, const char *name,
                          struct cx_act_register *reg, struct cx_diags *diags);
/*
 * Record an act: a number already used by another run is CX_EEXIST; the
 * same run drafted again under its number replaces its line.
 */
int cx_act_register_add(struct cx_act_register *reg, const char *number,
                        const char *date, const char *kind, int run);
/* The entry of this run (the latest), or NULL.  Borrowed. */
const struct cx_act_reg_entry *
cx_act_register_of_run(const struct cx_act_register *reg, int run);
int cx_act_register_save(const struct cx_act_register *reg, const char *path);
void cx_act_register_free(struct cx_act_register *reg);

#endif
