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

#endif
