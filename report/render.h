/*
 * certexam — the document walker shared by the HTML and Markdown writers.
 *
 * render_act() walks the act model in reading order (conclusion first,
 * then the deficiencies, the recommendations, the signatures and the
 * annexes) and calls the format's primitives; every word comes from the
 * act's message catalog.  Cells and text are raw (unescaped) strings and
 * each primitive escapes them for its format.
 */
#ifndef CX_RENDER_H
#define CX_RENDER_H

#include "certexam/act.h"
#include "certexam/profile.h"
#include "certexam/util.h"

struct render_ops {
	int (*begin)(struct cx_buf *b, const struct cx_act *act,
	             const char *title);
	int (*end)(struct cx_buf *b);
	int (*heading)(struct cx_buf *b, int level, const char *text);
	int (*para)(struct cx_buf *b, const char *text);
	/* Emphasised verdict line: a class ("pass", "fail", ...) and text. */
	int (*verdict)(struct cx_buf *b, const char *cls, const char *text);
	/* cls: NULL, "kv" (label/value), "ev" (evidence: monospace hashes). */
	int (*table_begin)(struct cx_buf *b, const char *cls,
	                   const char *const *cols, size_t ncols);
	int (*row)(struct cx_buf *b, const char *const *cells, size_t ncells);
	int (*table_end)(struct cx_buf *b);
	/* A block of the layout ("approve", "annexes", "signatures"). */
	int (*div_begin)(struct cx_buf *b, const char *cls);
	int (*div_end)(struct cx_buf *b);
	/* Collapsed on screen, printed in full. */
	int (*details_begin)(struct cx_buf *b, const char *summary);
	int (*details_end)(struct cx_buf *b);
};

/* Keep the first error: W(expr) runs expr only while rc is CX_OK. */
#define W(expr)                                                                \
	do {                                                                   \
		if (rc == CX_OK)                                               \
			rc = (expr);                                           \
	} while (0)

/* The catalog text of a message id, inside a function with r. */
#define T(id) cx_act_text(r->act, (id))

/* Scratch formatting for one rendering: a ring of buffers. */
#define RENDER_RING 8
struct render_ctx {
	const struct cx_act *act;
	const struct render_ops *o;
	struct cx_buf *b;
	struct cx_buf ring[RENDER_RING];
	int next;
	int oom;
};

/* The message id formatted with args; valid for RENDER_RING more calls. */
const char *render_fmt(struct render_ctx *r, const char *id,
                       const char *const *args);
/* The cause of f (see cx_act_cause) in the ring. */
const char *render_cause(struct render_ctx *r, const struct cx_finding *f);
/*
 * The requirement text, legal basis or recommendation of f in the act's
 * language: for the items of 22(1) and 22(3) the catalog's words, else
 * the profile's string in that language; NULL when neither has one (the
 * caller then gives the run's recorded text).  Borrowed from the act.
 * Shared with the XML/JSON walker (tree.c).
 */
const char *render_req_lang(const struct cx_act *act,
                            const struct cx_finding *f,
                            enum cx_req_field field);
/* The same for the document writers, falling back to the run's text
 * (render_req_text and render_req_source: "—" when there is none). */
const char *render_req_text(struct render_ctx *r, const struct cx_finding *f);
const char *render_req_source(struct render_ctx *r, const struct cx_finding *f);
const char *render_req_rec(struct render_ctx *r, const struct cx_finding *f);
/* The title of the normative document b (a basis entry of the run: name
 * its id, value its recorded title) in the act's language from the
 * profile, else b->value.  Borrowed. */
const char *render_basis_title(const struct cx_act *act,
                               const struct cx_prop *b);
/* The id of the proposed decision's words (act.decision.*, {para}). */
const char *render_decision_msg(enum cx_decision d);
/* "—" for an empty value. */
const char *render_nz(const char *s);

int render_act(const struct cx_act *act, const struct render_ops *ops,
               struct cx_buf *b);
/* How the network was scanned (report/render_net.c): the rows of the
 * method section (through kv), the hosts annex, a host's "how found". */
int render_net_method(struct render_ctx *r,
                      int (*kv)(struct render_ctx *, const char *,
                                const char *));
int render_net_hosts(struct render_ctx *r);
const char *render_net_how(struct render_ctx *r,
                           const struct cx_observation *o);
/* The recommendations of good practice, one row per requirement
 * (report/render_recs.c). */
int render_recs_table(struct render_ctx *r);
/* The annexes after the signatures (report/render_annex.c). */
int render_annexes(struct render_ctx *r);

/* The primitives of the HTML and Markdown writers, for other documents
 * drawn from the act (the draft certificate, report/writer_cert.c). */
extern const struct render_ops render_html_ops;
extern const struct render_ops render_md_ops;

#endif
