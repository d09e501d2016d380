/*
 * certexam — what the files of the command line share (scanner/main.c and
 * scanner/cli/): exit codes, the helpers of cli_common.c (cli_ prefix) and one
 * function per command.  Only the command line prints or exits.
 */
#ifndef CX_COMMANDS_H
#define CX_COMMANDS_H

#include <stdint.h>
#include <stdio.h>

#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/util.h"

#define EXIT_CLEAN   0
#define EXIT_FOUND   1
#define EXIT_USAGE   2
#define EXIT_RUNTIME 3

extern const char *const cli_prog;

/* ---- progress: one line on stderr, refreshed ---- */

struct progress_state {
	uint64_t started, last;
	char phase[32];
	int shown;
};

const char *cli_tsafe(const char *s);

void cli_print_diags(const struct cx_diags *d);

const char *cli_find_profiles(const char *opt);

/*
 * A case as the commands on it read it: CASE/object.xml against the schema
 * of the profiles folder (*pdir: --profiles or NULL, replaced by the folder
 * found), and the terminal's language from the case's <languages> (unless
 * --lang or $CERTEXAM_LANG chose it).  CX_OK, the loader's error with its
 * diagnostics in d, or CX_ENOMEM.
 */
struct cx_object;
int cli_load_case(const char *case_dir, const char **pdir,
                  struct cx_object **obj, struct cx_diags *d);

void cli_install_signals(void);

void cli_progress_update(void *arg, const char *phase, uint64_t done,
                         uint64_t total, uint64_t found);

void cli_progress_end(struct progress_state *p);

int cli_add_str(const char ***arr, size_t *n, const char *s);

int cli_opt_int(const char *name, const char *v, long min, long max, int *out);

int cli_is_run_dir(const char *p);

char *cli_run_dir_of(const char *case_dir, int n);

int cmd_init(int argc, char **argv);

int cmd_validate(int argc, char **argv);

int cmd_deadlines(int argc, char **argv);

int cmd_scan(int argc, char **argv, int rescan);

int cmd_act(int argc, char **argv);

int cmd_merge(int argc, char **argv);

int cmd_show(int argc, char **argv);

int cli_examined_nothing(const struct cx_run *run);

/* ---- the terminal's language (cli_i18n.c) ---- */

struct cx_catalog;
struct cx_object;

/*
 * Choose the terminal's language ("kk", "ru", "en").  fixed: given by
 * --lang or $CERTEXAM_LANG, and then a case's <languages> no longer
 * changes it.  -1 for an unknown code.
 */
int cli_lang_set(const char *code, int fixed);
/* $CERTEXAM_LANG, when set and --lang was not given: 0 or -1 (unknown). */
int cli_lang_init(void);
/* The profiles folder a command was given (--profiles), for the catalogs. */
void cli_lang_profiles(const char *pdir);
/* The default from a case: the first of obj's <languages> (unless fixed). */
void cli_lang_object(const struct cx_object *obj);
/* The same from CASE/object.xml, read quietly; nothing when absent. */
void cli_lang_case(const char *case_dir, const char *pdir);
/* The terminal's language code. */
const char *cli_lang(void);
/* The terminal's catalog (loaded on first use), or NULL when unreadable. */
const struct cx_catalog *cli_cat(void);
/*
 * Message id of the terminal's catalog with its arguments (CX_ARGS),
 * terminal-safe as a whole; one of eight static buffers, reused in turn.
 * A missing id prints as "[id] name=value ...".
 */
const char *cli_m(const char *id, const char *const *args);
/*
 * The same for a text of several lines (help): every line terminal-safe,
 * the catalog's line feeds kept.  One static buffer, valid until the next
 * call.
 */
const char *cli_text(const char *id, const char *const *args);
/* "certexam: <message>" and a line feed on stderr. */
void cli_say(const char *id, const char *const *args);
/* cx_strerror() in the terminal's language (a static buffer, see cli_m). */
const char *cli_strerror(int err);
/* Free the catalog (at exit, for leak checkers). */
void cli_free_lang(void);

/* ---- help texts (cli_help.c) ---- */

/*
 * One part of a --help text: with opt, an option (or a command, a file) and
 * the id of its description, printed "  OPT  description" with the
 * description from column 20, wrapped; without opt, the id of a paragraph
 * printed wrapped at 79 columns.  The words are the terminal's language.
 */
struct cli_help {
	const char *opt;
	const char *id;
};

void cli_help(FILE *f, const struct cli_help *h, size_t n);

#endif
