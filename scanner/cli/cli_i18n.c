/*
 * certexam — command line: the terminal's language.  Every sentence the
 * command line prints comes from the message catalogs (profiles/i18n/,
 * ids cli.*), in the language chosen by, first to last: the global option
 * --lang, $CERTEXAM_LANG, the first of the case's <languages>, English.
 * A broken catalog of that language is worded by another (cli_cat()).
 * Every message is made terminal-safe as a whole (controls, line feeds and
 * bidi overrides as \xHH), so an argument from a target, a case or a run
 * cannot forge a line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/escape.h"
#include "certexam/i18n.h"
#include "certexam/lang.h"
#include "certexam/object.h"
#include "certexam/util.h"
#include "commands.h"

static struct cx_catalog *term_cat; /* loaded on first use */
static char term_lang[3] = "en";
static int term_fixed;        /* --lang or $CERTEXAM_LANG decided */
static int term_tried;        /* a load was attempted for term_lang */
static const char *term_pdir; /* --profiles of the command, or NULL */

int cli_lang_set(const char *code, int fixed)
{
	if (cx_lang_parse(code) < 0 || strlen(code) != 2)
		return -1;
	if (term_fixed && !fixed)
		return 0;
	if (strcmp(term_lang, code) != 0) {
		cx_catalog_free(term_cat);
		term_cat = NULL;
		term_tried = 0;
		term_lang[0] = (char)(code[0] | 0x20);
		term_lang[1] = (char)(code[1] | 0x20);
		term_lang[2] = '\0';
	}
	if (fixed)
		term_fixed = 1;
	return 0;
}

int cli_lang_init(void)
{
	const char *env = getenv("CERTEXAM_LANG");

	if (env == NULL || *env == '\0' || term_fixed)
		return 0;
	return cli_lang_set(env, 1);
}

void cli_lang_profiles(const char *pdir)
{
	if (pdir != NULL && (term_pdir == NULL || strcmp(pdir, term_pdir))) {
		term_pdir = pdir;
		cx_catalog_free(term_cat);
		term_cat = NULL;
		term_tried = 0;
	}
}

void cli_lang_object(const struct cx_object *obj)
{
	char code[3];

	if (term_fixed || obj == NULL || obj->languages == NULL)
		return;
	/* the first word of "kk ru" */
	if (strlen(obj->languages) < 2 ||
	    (obj->languages[2] != '\0' && obj->languages[2] != ' '))
		return;
	memcpy(code, obj->languages, 2);
	code[2] = '\0';
	cli_lang_set(code, 0);
}

void cli_lang_case(const char *case_dir, const char *pdir)
{
	struct cx_diags d = {0};
	struct cx_object *obj = NULL;
	char *path;

	if (term_fixed || case_dir == NULL)
		return;
	path = cx_path_join(case_dir, "object.xml");
	/* Quietly: the command itself reports what is wrong with the case. */
	if (path != NULL && cx_path_exists(path))
		cli_load_case(case_dir, &pdir, &obj, &d);
	cx_object_free(obj);
	cx_diags_free(&d);
	free(path);
}

const char *cli_lang(void)
{
	return term_lang;
}

/*
 * When the catalog of the terminal's language is itself broken, its own
 * problems must still be worded, and not by that catalog.  The rule: the
 * next intact catalog in the order below words them and every message of
 * the command after them, with a first line saying so in its language
 * (pkg.i18n.fallback).  Kazakh falls back to Russian, which state bodies
 * use officially on a par with Kazakh, then to English; Russian and
 * English fall back to English, the catalog whose texts the program
 * keeps as the diagnostics' own words.  When no catalog is intact the
 * problems print in those built-in English words and every message as
 * [id] with its arguments (pkg.i18n.no-catalog): visible, never silent.
 */
static const struct {
	char lang[3];
	char fallback[2][3];
} fallbacks[] = {
    {"kk", {"ru", "en"}},
    {"ru", {"en", ""}},
    {"en", {"", ""}},
};

/* Printed without a catalog: the en catalog's text of its id. */
static const struct {
	const char *id, *en;
} no_catalog = {"pkg.i18n.no-catalog",
                "the {lang} message catalog cannot be read; messages are "
                "shown by id"};

static void catalog_broken(const char *dir, const struct cx_diags *d)
{
	struct cx_diags fd = {0};
	struct cx_buf b = {0};
	size_t i, k;

	for (i = 0; dir != NULL && i < CX_ARRAY_LEN(fallbacks); i++) {
		if (strcmp(fallbacks[i].lang, term_lang) != 0)
			continue;
		for (k = 0; k < 2 && fallbacks[i].fallback[k][0] != '\0'; k++) {
			if (cx_catalog_load_lang(dir, fallbacks[i].fallback[k],
			                         &term_cat, &fd) == CX_OK)
				break;
			cx_diags_free(&fd);
		}
	}
	cx_diags_free(&fd);
	if (term_cat != NULL) {
		cli_say("pkg.i18n.fallback", CX_ARGS("lang", term_lang));
	} else if (cx_msg_format(&b, no_catalog.en,
	                         CX_ARGS("lang", term_lang)) == CX_OK &&
	           b.data != NULL) {
		fprintf(stderr, "%s: %s\n", cli_prog, b.data);
	}
	cx_buf_free(&b);
	cli_print_diags(d);
}

const struct cx_catalog *cli_cat(void)
{
	struct cx_diags d = {0};
	char *dir;

	if (term_cat != NULL || term_tried)
		return term_cat;
	term_tried = 1;
	dir = cx_path_join(cli_find_profiles(term_pdir), "i18n");
	if (dir == NULL ||
	    cx_catalog_load_lang(dir, term_lang, &term_cat, &d) != CX_OK) {
		term_cat = NULL;
		catalog_broken(dir, &d);
	}
	free(dir);
	cx_diags_free(&d);
	return term_cat;
}

/* One message, formatted; the arguments are kept in the output when the
 * catalog lacks the id, so nothing said is lost. */
static int format(struct cx_buf *raw, const char *id, const char *const *args)
{
	const struct cx_catalog *cat = cli_cat();
	size_t i;
	int rc;

	if (cat != NULL && cx_catalog_get(cat, id) != NULL)
		return cx_msg(raw, cat, id, args);
	rc = cx_buf_printf(raw, "[%s]", id);
	for (i = 0; rc == CX_OK && args != NULL && args[i] != NULL; i += 2)
		rc = cx_buf_printf(raw, " %s=%s", args[i],
		                   args[i + 1] ? args[i + 1] : "-");
	return rc;
}

const char *cli_m(const char *id, const char *const *args)
{
	static struct cx_buf ring[8], raw;
	static size_t next;
	struct cx_buf *b;

	/* First the catalog: a broken one prints its problems (with
	 * cli_m) before this message takes a buffer. */
	(void)cli_cat();
	b = &ring[next++ % CX_ARRAY_LEN(ring)];
	raw.len = 0;
	b->len = 0;
	if (cx_buf_append(&raw, "", 0) || format(&raw, id, args) ||
	    cx_buf_append(b, "", 0) || cx_esc_term(b, raw.data) ||
	    b->data == NULL)
		return id;
	return b->data;
}

const char *cli_text(const char *id, const char *const *args)
{
	static struct cx_buf b, raw;
	const char *line, *nl;

	(void)cli_cat(); /* as cli_m: before the buffers are used */
	raw.len = 0;
	b.len = 0;
	if (cx_buf_append(&raw, "", 0) || format(&raw, id, args) ||
	    cx_buf_append(&b, "", 0) || raw.data == NULL)
		return id;
	/* Each line terminal-safe on its own: only the line feeds stay. */
	for (line = raw.data;; line = nl + 1) {
		char *one;
		int rc;

		nl = strchr(line, '\n');
		one = cx_strndup(line, nl ? (size_t)(nl - line) : strlen(line));
		rc = one == NULL || cx_esc_term(&b, one) ||
		     (nl != NULL && cx_buf_putc(&b, '\n'));
		free(one);
		if (rc)
			return id;
		if (nl == NULL)
			break;
	}
	return b.data;
}

void cli_say(const char *id, const char *const *args)
{
	fprintf(stderr, "%s: %s\n", cli_prog, cli_m(id, args));
}

void cli_free_lang(void)
{
	cx_catalog_free(term_cat);
	term_cat = NULL;
	term_tried = 0;
}

const char *cli_strerror(int err)
{
	switch (err) {
	case CX_ENOMEM:
		return cli_m("cli.err.nomem", NULL);
	case CX_EINVAL:
		return cli_m("cli.err.inval", NULL);
	case CX_EIO:
		return cli_m("cli.err.io", NULL);
	case CX_ENOENT:
		return cli_m("cli.err.noent", NULL);
	case CX_EEXIST:
		return cli_m("cli.err.exist", NULL);
	case CX_EPARSE:
		return cli_m("cli.err.parse", NULL);
	case CX_ESCHEMA:
		return cli_m("cli.err.schema", NULL);
	case CX_ESCOPE:
		return cli_m("cli.err.scope", NULL);
	case CX_ERESOLVE:
		return cli_m("cli.err.resolve", NULL);
	case CX_ETIMEDOUT:
		return cli_m("cli.err.timedout", NULL);
	case CX_EINTR:
		return cli_m("cli.err.intr", NULL);
	case CX_ERANGE:
		return cli_m("cli.err.range", NULL);
	case CX_ELIMIT:
		return cli_m("cli.err.limit", NULL);
	case CX_ESYS:
		return cli_m("cli.err.sys", NULL);
	case CX_ETLS:
		return cli_m("cli.err.tls", NULL);
	case CX_ENOTSUP:
		return cli_m("cli.err.notsup", NULL);
	case CX_EINTEGRITY:
		return cli_m("cli.err.integrity", NULL);
	default:
		return cx_strerror(err);
	}
}
