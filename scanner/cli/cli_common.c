/*
 * certexam — command line: what every command shares: terminal-safe text,
 * diagnostics, the profiles folder, signals, the progress line, option parsing,
 * run folders.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certexam/act.h"
#include "certexam/calendar.h"
#include "certexam/case_msg.h"
#include "certexam/cert.h"
#include "certexam/check.h"
#include "certexam/deadlines.h"
#include "certexam/error.h"
#include "certexam/escape.h"
#include "certexam/i18n.h"
#include "certexam/loop.h"
#include "certexam/merge.h"
#include "certexam/object.h"
#include "certexam/profile.h"
#include "certexam/run.h"
#include "certexam/scan.h"
#include "certexam/target.h"
#include "certexam/util.h"
#include "certexam/version.h"
#include "commands.h"

/*
 * s made safe for the terminal (controls, line feeds and bidi overrides
 * as \xHH): for anything from the command line, a case or a run that
 * goes into a message.  The result lives in one of eight static buffers,
 * reused in turn, so up to eight may appear in one fprintf().
 */
const char *cli_tsafe(const char *s)
{
	static struct cx_buf ring[8];
	static size_t next;
	struct cx_buf *b = &ring[next++ % CX_ARRAY_LEN(ring)];

	if (s == NULL)
		return "(null)";
	b->len = 0;
	if (cx_buf_append(b, "", 0) || cx_esc_term(b, s) || b->data == NULL)
		return "(out of memory)";
	return b->data;
}

void cli_print_diags(const struct cx_diags *d)
{
	struct cx_buf b = {0}, words = {0};
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct cx_diag *g = &d->items[i];
		b.len = 0;
		if (b.data)
			b.data[0] = '\0';
		cx_esc_term(&b, g->file ? g->file : "(input)");
		if (g->line > 0)
			cx_buf_printf(&b, ":%ld", g->line);
		if (g->line > 0 && g->column > 0)
			cx_buf_printf(&b, ":%ld", g->column);
		cx_buf_printf(
		    &b, ": %s: ",
		    cli_m(g->is_warning ? "cli.diag.warning" : "cli.diag.error",
		          NULL));
		if (g->field) {
			cx_buf_putc(&b, '\'');
			cx_esc_term(&b, g->field);
			cx_buf_puts(&b, "': ");
		}
		/* the words in the terminal's language when the loader gave
		 * the problem a message id (scanner/case/case_msg.c) */
		words.len = 0;
		if (cx_case_msg_args(&words, g->msg ? cli_cat() : NULL, g->msg,
		                     g->args, g->message) == CX_OK &&
		    words.data != NULL)
			cx_esc_term(&b, words.data);
		else
			cx_esc_term(&b, g->message);
		fprintf(stderr, "%s\n", b.data ? b.data : "");
	}
	cx_buf_free(&words);
	cx_buf_free(&b);
}

int cli_load_case(const char *case_dir, const char **pdir,
                  struct cx_object **obj, struct cx_diags *d)
{
	char *path, *schema;
	int rc;

	cli_lang_profiles(*pdir);
	*pdir = cli_find_profiles(*pdir);
	schema = cx_path_join(*pdir, "schema");
	path = cx_path_join(case_dir, "object.xml");
	rc = schema != NULL && path != NULL
	         ? cx_object_load(path, schema, obj, d)
	         : CX_ENOMEM;
	if (rc == CX_OK)
		cli_lang_object(*obj);
	free(path);
	free(schema);
	return rc;
}

/* profiles/: --profiles, $CERTEXAM_PROFILES, the source tree, the install. */
const char *cli_find_profiles(const char *opt)
{
	static char buf[4096];
	const char *env = getenv("CERTEXAM_PROFILES");
	ssize_t n;
	char *slash;

	if (opt != NULL)
		return opt;
	if (env != NULL && *env)
		return env;
	n = readlink("/proc/self/exe", buf, sizeof(buf) - 64);
	if (n > 0) {
		buf[n] = '\0';
		slash = strrchr(buf, '/');
		if (slash != NULL) {
			snprintf(slash, sizeof(buf) - (size_t)(slash - buf),
			         "/../share/certexam/profiles");
			if (cx_path_exists(buf))
				return buf;
		}
	}
	if (cx_path_exists(CX_SOURCE_PROFILES))
		return CX_SOURCE_PROFILES;
	return CX_INSTALL_PROFILES;
}

static void on_signal(int sig)
{
	(void)sig;
	cx_interrupted = 1;
}

void cli_install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESETHAND; /* a second Ctrl-C ends at once */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* A stage of the scan in the terminal's language. */
static const char *phase_name(const char *phase)
{
	if (strcmp(phase, "hosts") == 0)
		return cli_m("cli.phase.hosts", NULL);
	if (strcmp(phase, "ports") == 0)
		return cli_m("cli.phase.ports", NULL);
	if (strcmp(phase, "services") == 0)
		return cli_m("cli.phase.services", NULL);
	if (strcmp(phase, "udp") == 0)
		return cli_m("cli.phase.udp", NULL);
	return cli_tsafe(phase);
}

void cli_progress_update(void *arg, const char *phase, uint64_t done,
                         uint64_t total, uint64_t found)
{
	struct progress_state *p = arg;
	uint64_t now = cx_now_ms(), el;
	double rate, eta;
	char n_done[24], n_total[24], n_found[24], n_rate[32], n_eta[32];

	if (strcmp(p->phase, phase) != 0) {
		snprintf(p->phase, sizeof(p->phase), "%s", phase);
		p->started = now;
		p->last = 0;
	}
	if (now - p->last < 200 && done < total)
		return;
	p->last = now;
	el = now - p->started;
	rate = el > 0 ? (double)done * 1000.0 / (double)el : 0.0;
	eta = rate > 0 && total > done ? (double)(total - done) / rate : 0.0;
	snprintf(n_done, sizeof(n_done), "%llu", (unsigned long long)done);
	snprintf(n_total, sizeof(n_total), "%llu", (unsigned long long)total);
	snprintf(n_found, sizeof(n_found), "%llu", (unsigned long long)found);
	snprintf(n_rate, sizeof(n_rate), "%.0f", rate);
	snprintf(n_eta, sizeof(n_eta), "%.0f", eta);
	fprintf(stderr, "\r\033[K%s",
	        cli_m("cli.progress",
	              CX_ARGS("phase", phase_name(phase), "done", n_done,
	                      "total", n_total, "found", n_found, "rate",
	                      n_rate, "eta", n_eta)));
	p->shown = 1;
}

void cli_progress_end(struct progress_state *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
}

int cli_add_str(const char ***arr, size_t *n, const char *s)
{
	const char **a = realloc((void *)*arr, (*n + 1) * sizeof(**arr));

	if (a == NULL)
		return CX_ENOMEM;
	a[(*n)++] = s;
	*arr = a;
	return CX_OK;
}

int cli_opt_int(const char *name, const char *v, long min, long max, int *out)
{
	long n;

	if (cx_parse_long(v, min, max, &n)) {
		char lo[24], hi[24], opt[48];

		snprintf(lo, sizeof(lo), "%ld", min);
		snprintf(hi, sizeof(hi), "%ld", max);
		snprintf(opt, sizeof(opt), "--%s", name);
		cli_say("cli.opt.not-number", CX_ARGS("option", opt, "value", v,
		                                      "min", lo, "max", hi));
		return -1;
	}
	*out = (int)n;
	return 0;
}

/* ---- act ---- */

int cli_is_run_dir(const char *p)
{
	char *x = cx_path_join(p, "run.xml");
	int r = x != NULL && cx_path_exists(x);

	free(x);
	return r;
}

char *cli_run_dir_of(const char *case_dir, int n)
{
	char name[16], *runs, *dir;

	snprintf(name, sizeof(name), "%04d", n);
	runs = cx_path_join(case_dir, "runs");
	if (runs == NULL)
		return NULL;
	dir = cx_path_join(runs, name);
	free(runs);
	return dir;
}

const char *const cli_prog = "certexam";
