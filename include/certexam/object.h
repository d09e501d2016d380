/*
 * certexam — the object of certification, as the applicant describes it
 * in a case folder: object.xml (Annexes 2-4 data and the scope),
 * hardware.csv (Annex 5) and software.csv (Annex 6).
 */
#ifndef CERTEXAM_OBJECT_H
#define CERTEXAM_OBJECT_H

#include <stddef.h>
#include "certexam/error.h"

enum cx_object_type {
	CX_OBJ_UNKNOWN = 0,
	CX_OBJ_INFORMATION_SYSTEM, /* "information-system" */
	CX_OBJ_EGOV_PLATFORM,      /* "egov-platform" */
	CX_OBJ_INTERNET_RESOURCE,  /* "internet-resource" */
	CX_OBJ_CRITICAL_ICI,       /* "critical-ici" */
};

/* "information-system" etc.; NULL for CX_OBJ_UNKNOWN. */
const char *cx_object_type_name(enum cx_object_type t);
/* The inverse; CX_OBJ_UNKNOWN when not recognised. */
enum cx_object_type cx_object_type_parse(const char *s);

struct cx_party {
	char *name;
	char *bin; /* business / individual identification number, 12 digits */
	char *address;
	char *contact;
};

struct cx_doc_ref { /* application or contract */
	char *number;
	char *date; /* YYYY-MM-DD */
};

/* Annex 4: one object of informatization integrated with the object. */
struct cx_integration {
	char *name;
	char *possessor;
	char *interaction; /* nature of interaction */
};

/*
 * Annex 3: one document of the TD on IS, as the examiner records it.
 * number is the Annex 3 item (1-16); status is "provided", "missing",
 * "not-applicable" (item 7 only when no cryptography is used) or
 * "deficient"; the examiner's note says why.
 */
struct cx_doc_section {
	char *name;
	int present; /* the examiner found it in the document */
};

struct cx_document {
	int number;
	char *title;
	char *status;
	char *approved;  /* approval date or reference, may be NULL */
	char *order;     /* number of the approving order, may be NULL */
	int acquainted;  /* staff acquainted: 1, 0, or -1 when not recorded */
	char *reference; /* file name or register number, may be NULL */
	char *note;      /* examiner's remark, may be NULL */
	struct cx_doc_section *sections; /* as the examiner ticked them */
	size_t n_sections;
	long line; /* line in object.xml */
};

/* A service the applicant declares (host, port, protocol, name). */
struct cx_declared_service {
	char *host;
	int port;
	char *proto; /* "tcp" or "udp" */
	char *name;  /* "https", "ssh", ... */
	long line;
};

/* One scope entry as written: an address, CIDR, range, host name or URL. */
struct cx_scope_entry {
	char *value;
	long line;
};

/* Annex 5, one row (columns 1-9 plus the network addresses). */
struct cx_hw_row {
	long line;        /* line in hardware.csv where the row starts */
	char *item;       /* 1 item no. */
	char *model;      /* 2 manufacturer, model */
	char *serial;     /* 3 serial / inventory number */
	char *cert_no;    /* 4 information security certificate no. */
	char *location;   /* 5 physical location */
	char *type;       /* 6 type */
	char *purpose;    /* 7 main functional purpose */
	char *protection; /* 8 utilized methods of protection */
	char *software;   /* 9 developer, name, version of integrated sw */
	char *addresses;  /* 10 network (IP) addresses, space/comma list */
	int bad;          /* the row has an error: not compared */
};

/* Annex 6, one row. */
struct cx_sw_row {
	long line;
	char *item;         /* 1 */
	char *developer;    /* 2 */
	char *name;         /* 3 */
	char *version;      /* 4 */
	char *installed_on; /* 5 place of installation (hardware item) */
	char *type;         /* 6 */
	char *purpose;      /* 7 */
	char *protection;   /* 8 */
	int bad;            /* the row has an error: not compared */
};

/* How an Annex 5/6 list was read (struct cx_object's hw_list, sw_list). */
enum cx_list_state {
	CX_LIST_ABSENT = 0, /* not submitted */
	CX_LIST_READ,       /* read; rows with problems are marked bad */
	CX_LIST_UNREADABLE, /* not a table in the form of the Annex */
};

/* A person the act names: an examiner or the head who approves it. */
struct cx_person {
	char *name;
	char *position;
};

/*
 * One item of a part of paragraph 22 that only the examiner can record:
 * 22(1) preliminary analysis of the original data, 22(3) examination of
 * the object on site.  id names a standard item (its title comes from the
 * catalogs: "part.1.item.<id>") or the examiner's own, with a title.
 * status is "pass", "fail" or "not-applicable"; NULL when not yet
 * recorded (then the item is not checked).
 */
struct cx_part_item {
	char *id;
	char *title;    /* the examiner's own title, or NULL */
	char *status;   /* NULL: not recorded */
	char *note;     /* the examiner's remark, raw */
	char *examiner; /* who recorded it */
	long line;
};

/* A part (22(1) or 22(3)) as recorded; recorded = 0 when absent. */
struct cx_part_record {
	int recorded;
	struct cx_part_item *items;
	size_t n_items;
};

/*
 * The standard items of part 22(1) (part = 1) or 22(3) (part = 3): ids
 * in order, NULL-terminated, and the catalog message of an item's title
 * ("part.1.item.application"), NULL for the examiner's own items.
 */
const char *const *cx_part_items(int part);
const char *cx_part_item_msg(int part, const char *id);
/*
 * The catalog message of the normative basis of part 22(part), part 1 or
 * 3 ("part.1.source": "Rules No. 298, para 22(1)" in en, in kk and ru
 * their wording); NULL for another part.  The check "parts" records it
 * as its findings' source, and the act words it in its language.
 */
const char *cx_part_source_msg(int part);

struct cx_ltexts; /* scanner/case/ltext.c */

struct cx_object {
	char *path; /* object.xml as loaded */
	char *name;
	char *short_name;
	enum cx_object_type type;
	char *lifecycle; /* "pilot", "commercial", ... */
	struct cx_party possessor;
	struct cx_party developer;
	struct cx_party applicant;
	struct cx_doc_ref application;
	struct cx_doc_ref contract;
	char *created;    /* YYYY-MM-DD the object was created, may be NULL */
	char *processing; /* Annex 7: processing allowed, may be NULL */
	char **prohibitions; /* Annex 7: what operation must not do */
	size_t n_prohibitions;
	int distributed; /* geographically distributed (para 19) */
	int uses_crypto; /* uses cryptographic protection (Annex 3 item 7) */
	char *profile;   /* profile id override, may be NULL */

	struct cx_scope_entry *scope;
	size_t n_scope;
	struct cx_scope_entry *exclude;
	size_t n_exclude;
	struct cx_declared_service *services;
	size_t n_services;
	struct cx_integration *integrations;
	size_t n_integrations;
	struct cx_document *documents;
	size_t n_documents;
	char **trust_anchors; /* PEM files, relative to the case folder */
	size_t n_trust_anchors;

	struct cx_hw_row *hardware;
	size_t n_hardware;
	struct cx_sw_row *software;
	size_t n_software;
	enum cx_list_state hw_list, sw_list;
	struct cx_diags list_diags; /* the lists' problems, file:line:column */
	/* The examination: who, in which languages, parts 22(1) and 22(3). */
	struct cx_person *examiners;
	size_t n_examiners;
	struct cx_person head; /* the head who approves the act */
	char *languages;       /* "kk ru": the acts to draft, or NULL */
	struct cx_part_record part1, part3;
	/* The free-text fields given in several languages (xml:lang): the
	 * fields above hold the texts of one language, see
	 * cx_object_localize().  NULL when every text is given once. */
	struct cx_ltexts *ltexts;
};

/*
 * Every free-text field of object.xml may be given several times, each
 * with xml:lang "kk", "ru" or "en" or without it.  After loading, each
 * field holds its default text: the untagged one, else the first given.
 * cx_object_localize() switches every such field to its text in lang:
 * the text with that xml:lang, else the untagged one, else the first given
 * (NULL or another lang: the default).  Pointers to the texts stay valid
 * until cx_object_free(); what was copied before still names the text of
 * the language it was copied in.
 */
void cx_object_localize(struct cx_object *obj, const char *lang);

/*
 * What a run recorded from the case (a document's note, a part's item)
 * is the field's default text: this gives that field's text in the
 * language of the last cx_object_localize(), or text itself when no
 * field given in several languages has text as its default.
 */
const char *cx_object_text(const struct cx_object *obj, const char *text);

/*
 * The strings of run that a case-transcribing check (documents, parts)
 * recorded from obj (asset, observed, title, requirement text, message
 * parameters, the Annex 3 table's titles), pointed at their text in obj's
 * current language (cx_object_localize()); s records what was changed.
 * cx_run_case_texts_undo() restores the run and must be called before
 * the run or obj is freed, or before localizing again.  0 or CX_ENOMEM
 * (then nothing is changed).
 */
struct cx_run;
struct cx_case_texts {
	struct {
		char **slot;
		char *orig;
		int owned; /* *slot is a string made here */
	} * v;
	size_t n, cap;
};
int cx_run_case_texts(struct cx_run *run, const struct cx_object *obj,
                      struct cx_case_texts *s);
void cx_run_case_texts_undo(struct cx_case_texts *s);

/*
 * Load CASE/object.xml, validating it against schema_dir/object.xsd.
 * libxml2 runs without network access and without entity expansion.
 * Every problem is appended to diags (file, line, element).  On success
 * *out is a new object the caller frees with cx_object_free(); on failure
 * *out is NULL and the return is CX_EPARSE, CX_ESCHEMA, CX_ENOENT...
 */
int cx_object_load(const char *path, const char *schema_dir,
                   struct cx_object **out, struct cx_diags *diags);

/*
 * Load hardware.csv / software.csv into obj (replacing what is there).
 * Column order follows Annexes 5 and 6; a header row is recognised and
 * skipped.  Problems go to diags with line and column name.
 */
int cx_object_load_hardware(struct cx_object *obj, const char *path,
                            struct cx_diags *diags);
int cx_object_load_software(struct cx_object *obj, const char *path,
                            struct cx_diags *diags);

/*
 * Completeness of the package in the sense of paragraphs 13-14: required
 * fields, Annex 3 documents, Annex 5/6 rows, scope.  Appends to diags.
 * Returns the number of errors found.
 */
size_t cx_object_check_complete(const struct cx_object *obj,
                                struct cx_diags *diags);

/*
 * Write the templates of a new case into dir (object.xml, hardware.csv,
 * software.csv, README.txt).  Refuses (CX_EEXIST) to overwrite anything.
 */
int cx_case_init(const char *dir);

/*
 * The English title of Annex 3 item number (1-16) of the List of
 * technical documentation on information security; static storage.
 * NULL when number is out of range.
 */
const char *cx_annex3_title(int number);

void cx_object_free(struct cx_object *obj);

/*
 * Free the members of n Annex 5 / Annex 6 rows and the array itself (as
 * cx_object_load_hardware/software allocate them).  NULL is accepted.
 * cx_object_free() calls these for obj->hardware and obj->software.
 */
void cx_hw_rows_free(struct cx_hw_row *rows, size_t n);
void cx_sw_rows_free(struct cx_sw_row *rows, size_t n);

#endif
