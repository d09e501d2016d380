/*
 * certexam — unit tests for the message catalogs (scanner/util/i18n.c):
 * the .po reader on good and malformed input, the {placeholder}
 * formatter, and the completeness of profiles/i18n/: every catalog has
 * every key another has, with the same placeholders, and every key is
 * used by the code (a literal "id" in scanner/, checks/ or report/), and
 * every id literal the code uses in a catalog namespace exists.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certexam/case_msg.h"
#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/util.h"
#include "diag_util.h"

#define I18N_DIR CX_TEST_DATA "/../../profiles/i18n"
#define SRC_ROOT CX_TEST_DATA "/../.."

static const char *const langs[] = {"kk", "ru", "en"};

static struct cx_catalog *parse_ok(const char *s)
{
	struct cx_catalog *cat = NULL;
	struct cx_diags d = {0};
	int rc = cx_catalog_parse(s, strlen(s), "t.po", &cat, &d);

	ck_assert_msg(rc == CX_OK, "parse: %s: %s", cx_err_name(rc),
	              d.n ? d.items[0].message : "");
	cx_diags_free(&d);
	return cat;
}

START_TEST(test_parse_basic)
{
	struct cx_catalog *cat =
	    parse_ok("# translator comment\n"
	             "msgid \"\"\n"
	             "msgstr \"\"\n"
	             "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
	             "\"Language: kk\\n\"\n"
	             "\n"
	             "#. extracted\n"
	             "msgid \"act.b\"\n"
	             "msgstr \"Екі \"\n"
	             "\"жол\\tжәне \\\"тырнақша\\\" \\\\\"\n"
	             "\r\n"
	             "msgid \"act.a\"\n"
	             "msgstr \"{count} кемшілік {{literal}}\"\n");
	struct cx_buf b = {0};

	ck_assert_str_eq(cx_catalog_lang(cat), "kk");
	ck_assert_uint_eq(cx_catalog_count(cat), 2);
	ck_assert_str_eq(cx_catalog_id(cat, 0), "act.a");
	ck_assert_str_eq(cx_catalog_get(cat, "act.b"),
	                 "Екі жол\tжәне \"тырнақша\" \\");
	ck_assert_ptr_null(cx_catalog_get(cat, "act.c"));
	ck_assert_int_eq(cx_msg(&b, cat, "act.a", CX_ARGS("count", "3")),
	                 CX_OK);
	ck_assert_str_eq(b.data, "3 кемшілік {literal}");
	b.len = 0;
	ck_assert_int_eq(cx_msg(&b, cat, "act.zz", NULL), CX_OK);
	ck_assert_str_eq(b.data, "[act.zz]");
	cx_buf_free(&b);
	cx_catalog_free(cat);
}
END_TEST

START_TEST(test_format)
{
	struct cx_buf b = {0};
	const char *names[] = {"b", "a"}, *values[] = {"2", NULL};

	ck_assert_int_eq(
	    cx_msg_format(&b, "{a}+{b}={c} {", CX_ARGS("a", "1", "b", "x")),
	    CX_OK);
	ck_assert_str_eq(b.data, "1+x={c} {");
	b.len = 0;
	ck_assert_int_eq(
	    cx_msg_format_props(&b, "[{a}] [{b}] }}{{", names, values, 2),
	    CX_OK);
	ck_assert_str_eq(b.data, "[—] [2] }{");
	b.len = 0;
	ck_assert_int_eq(cx_msg_placeholders(&b, "{z} {a} {{q}} {z}"), CX_OK);
	ck_assert_str_eq(b.data, "a z");
	/* A value with braces is not formatted again. */
	b.len = 0;
	ck_assert_int_eq(cx_msg_format(&b, "{a}", CX_ARGS("a", "{b}")), CX_OK);
	ck_assert_str_eq(b.data, "{b}");
	cx_buf_free(&b);
}
END_TEST

/*
 * A broken catalog's problem g, worded by the intact catalogs: in ru and
 * kk no English sentence outside its parameters' values and not the
 * English words; in en exactly its message.
 */
static void assert_worded(const struct cx_diag *g)
{
	static const char *const wl[] = {"ru", "kk", "en"};
	const char *raw[8];
	struct cx_buf b = {0};
	size_t k, nr = 0;
	int i;

	for (k = 0; g->args != NULL && g->args[k] != NULL && nr < 7; k += 2)
		raw[nr++] = g->args[k + 1];
	raw[nr] = NULL;
	for (i = 0; i < 3; i++) {
		struct cx_catalog *cat = NULL;
		struct cx_diags d = {0};
		const char *t;

		ck_assert_int_eq(
		    cx_catalog_load_lang(I18N_DIR, wl[i], &cat, &d), 0);
		t = cx_catalog_get(cat, g->msg);
		ck_assert_msg(t != NULL, "%s.po lacks %s", wl[i], g->msg);
		b.len = 0;
		ck_assert_int_eq(
		    cx_case_msg_args(&b, cat, g->msg, g->args, NULL), 0);
		if (i == 2) {
			ck_assert_str_eq(b.data, g->message);
		} else {
			ck_assert_str_ne(b.data, g->message);
			ck_assert_msg(english_in(b.data, raw) == NULL,
			              "%s %s: English \"%s\" in: %s", wl[i],
			              g->msg, english_in(b.data, raw), b.data);
		}
		cx_catalog_free(cat);
		cx_diags_free(&d);
	}
	cx_buf_free(&b);
}

/* Malformed catalogs: each must be CX_EPARSE with a line number and a
 * message id (pkg.i18n.*) that the other catalogs word. */
static const struct {
	const char *text;
	long line;
	const char *msg; /* the problem's message id */
} bad[] = {
    {"msgid \"a.b\"\n", 1, "pkg.i18n.no-msgstr"},
    {"msgstr \"x\"\n", 1, "pkg.i18n.msgstr-alone"},
    {"msgid \"a.b\"\nmsgstr \"x\"\nmsgid \"a.b\"\nmsgstr \"y\"\n", 3,
     "pkg.i18n.twice"},
    {"msgid \"a.b\"\nmsgstr \"unterminated\n", 2, "pkg.i18n.unclosed"},
    {"msgid \"a.b\"\nmsgstr \"x\" trailing\n", 2, "pkg.i18n.trailing"},
    {"msgid \"a.b\"\nmsgstr \"bad \\q escape\"\n", 2, "pkg.i18n.escape"},
    {"msgid \"a.b\"\nmsgstr \"ends in \\", 2, "pkg.i18n.backslash-end"},
    {"msgid \"a.b\"\nmsgstr \"{open\"\n", 1, "pkg.i18n.brace-open"},
    {"msgid \"a.b\"\nmsgstr \"close}\"\n", 1, "pkg.i18n.brace-close"},
    {"msgid \"a.b\"\nmsgstr \"{Bad-Name}\"\n", 1, "pkg.i18n.brace-open"},
    {"msgid \"a.b\"\nmsgstr \"{}\"\n", 1, "pkg.i18n.brace-name"},
    {"msgid \"a.b\"\nmsgstr \"\"\n", 1, "pkg.i18n.empty"},
    {"msgid \"A B\"\nmsgstr \"x\"\n", 1, "pkg.i18n.id-chars"},
    {"msgctxt \"c\"\nmsgid \"a\"\nmsgstr \"x\"\n", 1, "pkg.i18n.ctxt"},
    {"msgid \"a\"\nmsgid_plural \"as\"\n", 2, "pkg.i18n.ctxt"},
    {"msgid \"a\"\nmsgstr[0] \"x\"\n", 2, "pkg.i18n.ctxt"},
    {"\"orphan\"\n", 1, "pkg.i18n.continuation"},
    {"garbage\n", 1, "pkg.i18n.expected"},
    {"msgid \"a\"\nmsgstr \"\xff\xfe\"\n", 1, "pkg.i18n.utf8"},
    {"msgid \"a\"\nmsgstr \"x\0y\"\n", 2, "pkg.i18n.nul"},
};

START_TEST(test_malformed)
{
	struct cx_catalog *cat = NULL;
	struct cx_diags d = {0};
	size_t len = strlen(bad[_i].text);
	int rc;

	if (_i == CX_ARRAY_LEN(bad) - 1)
		len = 23; /* the NUL case: count past the embedded NUL */
	rc = cx_catalog_parse(bad[_i].text, len, "bad.po", &cat, &d);
	ck_assert_msg(rc == CX_EPARSE, "case %d: %s", _i, cx_err_name(rc));
	ck_assert_ptr_null(cat);
	ck_assert_uint_ge(d.n, 1);
	ck_assert_int_eq(d.items[0].line, bad[_i].line);
	ck_assert_str_eq(d.items[0].file, "bad.po");
	ck_assert_ptr_nonnull(d.items[0].msg);
	ck_assert_str_eq(d.items[0].msg, bad[_i].msg);
	assert_worded(&d.items[0]);
	cx_diags_free(&d);
}
END_TEST

START_TEST(test_limits)
{
	struct cx_catalog *cat = NULL;
	struct cx_diags d = {0};
	size_t n = CX_PO_MAX_MSG + 64, i;
	char *s = malloc(n + 32);

	ck_assert_ptr_nonnull(s);
	memcpy(s, "msgid \"a\"\nmsgstr \"", 18);
	for (i = 18; i < n; i++)
		s[i] = 'x';
	memcpy(s + n, "\"\n", 2);
	ck_assert_int_eq(cx_catalog_parse(s, n + 2, "big.po", &cat, &d),
	                 CX_EPARSE);
	ck_assert_str_eq(d.items[0].msg, "pkg.i18n.too-long");
	assert_worded(&d.items[0]);
	cx_diags_free(&d);
	ck_assert_int_eq(
	    cx_catalog_parse(s, CX_PO_MAX_FILE + 1, "big.po", &cat, &d),
	    CX_ELIMIT);
	free(s);
	cx_diags_free(&d);
	ck_assert_int_eq(cx_catalog_load_lang(I18N_DIR, "../x", &cat, &d),
	                 CX_EINVAL);
	ck_assert_int_eq(cx_catalog_load_lang(I18N_DIR, "zz", &cat, &d),
	                 CX_ENOENT);
	ck_assert_str_eq(d.items[0].msg, "pkg.i18n.unreadable");
	assert_worded(&d.items[0]);
	cx_diags_free(&d);
}
END_TEST

static struct cx_catalog *load(const char *lang)
{
	struct cx_catalog *cat = NULL;
	struct cx_diags d = {0};
	int rc = cx_catalog_load_lang(I18N_DIR, lang, &cat, &d);

	ck_assert_msg(rc == CX_OK, "%s.po: %s line %ld: %s", lang,
	              cx_err_name(rc), d.n ? d.items[0].line : 0,
	              d.n ? d.items[0].message : "");
	ck_assert_str_eq(cx_catalog_lang(cat), lang);
	cx_diags_free(&d);
	return cat;
}

START_TEST(test_catalogs_complete)
{
	struct cx_catalog *cat[3];
	struct cx_buf p1 = {0}, p2 = {0};
	size_t i, j, k, missing = 0;

	for (i = 0; i < 3; i++)
		cat[i] = load(langs[i]);
	for (i = 0; i < 3; i++)
		for (k = 0; k < cx_catalog_count(cat[i]); k++) {
			const char *id = cx_catalog_id(cat[i], k);
			for (j = 0; j < 3; j++) {
				const char *m = cx_catalog_get(cat[j], id);
				if (m == NULL) {
					fprintf(stderr,
					        "%s.po lacks %s (in %s.po)\n",
					        langs[j], id, langs[i]);
					missing++;
					continue;
				}
				p1.len = p2.len = 0;
				cx_msg_placeholders(&p1,
				                    cx_catalog_get(cat[i], id));
				cx_msg_placeholders(&p2, m);
				if (strcmp(p1.data, p2.data) != 0) {
					fprintf(
					    stderr,
					    "%s: placeholders differ: %s.po "
					    "{%s}, %s.po {%s}\n",
					    id, langs[i], p1.data, langs[j],
					    p2.data);
					missing++;
				}
			}
		}
	ck_assert_msg(missing == 0, "%zu catalog gaps (see stderr)", missing);
	cx_buf_free(&p1);
	cx_buf_free(&p2);
	for (i = 0; i < 3; i++)
		cx_catalog_free(cat[i]);
}
END_TEST

/* The id-like string literals of the code: "a.b-c.d" with a dot. */
struct lits {
	char **v;
	size_t n, cap;
};

static int lit_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '.' || c == '-';
}

static void collect(struct lits *l, const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if (s[i] != '"') {
			i++;
			continue;
		}
		for (k = i + 1; k < n && lit_char(s[k]); k++)
			;
		if (k < n && s[k] == '"' && k > i + 1 &&
		    memchr(s + i + 1, '.', k - i - 1) != NULL) {
			ck_assert_int_eq(
			    cx_grow(&l->v, &l->cap, l->n + 1, sizeof(*l->v)),
			    0);
			l->v[l->n++] = cx_strndup(s + i + 1, k - i - 1);
			i = k + 1;
		} else {
			i = k;
		}
	}
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void collect_dir(struct lits *l, const char *rel)
{
	char *dir = cx_path_join(SRC_ROOT, rel);
	DIR *dh = opendir(dir);
	struct dirent *de;

	ck_assert_msg(dh != NULL, "%s", dir);
	while ((de = readdir(dh)) != NULL) {
		size_t nl = strlen(de->d_name);
		char *path, *data = NULL;
		size_t len = 0;
		if (nl < 3 || strcmp(de->d_name + nl - 2, ".c") != 0)
			continue;
		path = cx_path_join(dir, de->d_name);
		ck_assert_int_eq(cx_read_file(path, 8u << 20, &data, &len), 0);
		collect(l, data, len);
		free(data);
		free(path);
	}
	closedir(dh);
	free(dir);
}

START_TEST(test_catalog_keys_used)
{
	static const char *const dirs[] = {
	    "scanner",        "scanner/util", "scanner/case", "scanner/net",
	    "scanner/record", "checks",       "checks/tls",   "checks/http",
	    "report",         "scanner/cli"};
	struct cx_catalog *en = load("en");
	struct lits l = {0};
	size_t i, bad_n = 0;

	for (i = 0; i < CX_ARRAY_LEN(dirs); i++)
		collect_dir(&l, dirs[i]);
	qsort(l.v, l.n, sizeof(*l.v), str_cmp);
	for (i = 0; i < cx_catalog_count(en); i++) {
		const char *id = cx_catalog_id(en, i);
		if (bsearch(&id, l.v, l.n, sizeof(*l.v), str_cmp) == NULL) {
			fprintf(stderr, "catalog key %s is not used\n", id);
			bad_n++;
		}
	}
	/* Literals in a catalog namespace must exist in the catalog. */
	for (i = 0; i < l.n; i++) {
		static const char *const ns[] = {
		    "act.", "part.", "doc.", "cli.", "pkg.",
		    "tls.", "net.",  "inv.", "web.", "cleartext."};
		size_t j, n = strlen(l.v[i]);

		/* "cleartext.h" is a header name, not a message. */
		if (n > 2 && strcmp(l.v[i] + n - 2, ".h") == 0)
			continue;
		/* The tls, network and http checks' profile parameters
		 * ("tls.min_rsa_bits", "net.forbidden_db", "web.hsts_min_age")
		 * are not messages: their message ids use hyphens only. */
		if ((strncmp(l.v[i], "tls.", 4) == 0 ||
		     strncmp(l.v[i], "net.", 4) == 0 ||
		     strncmp(l.v[i], "web.", 4) == 0) &&
		    strchr(l.v[i], '_') != NULL)
			continue;
		for (j = 0; j < CX_ARRAY_LEN(ns); j++)
			if (strncmp(l.v[i], ns[j], strlen(ns[j])) == 0 &&
			    l.v[i][strlen(l.v[i]) - 1] != '.' &&
			    cx_catalog_get(en, l.v[i]) == NULL) {
				fprintf(stderr,
				        "message %s is not in the "
				        "catalogs\n",
				        l.v[i]);
				bad_n++;
			}
	}
	ck_assert_msg(bad_n == 0, "%zu unused or missing keys (see stderr)",
	              bad_n);
	for (i = 0; i < l.n; i++)
		free(l.v[i]);
	free(l.v);
	cx_catalog_free(en);
}
END_TEST

/* What `certexam --lang LANG show /nonexistent` prints on stderr with the
 * catalogs of dir, bounded in time. */
static char *run_cli(const char *dir, const char *lang)
{
	struct cx_buf cmd = {0}, out = {0};
	char buf[4096];
	size_t n;
	FILE *f;

	ck_assert_int_eq(cx_buf_printf(&cmd,
	                               "CERTEXAM_PROFILES='%s' timeout 20 '%s' "
	                               "--lang %s show /nonexistent/cx-run "
	                               "2>&1 >/dev/null",
	                               dir, CX_TEST_BIN, lang),
	                 0);
	f = popen(cmd.data, "r");
	ck_assert_ptr_nonnull(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		ck_assert_int_eq(cx_buf_append(&out, buf, n), 0);
	ck_assert_int_ne(pclose(f), -1);
	cx_buf_free(&cmd);
	ck_assert_int_eq(cx_buf_append(&out, "", 0), 0);
	return cx_buf_steal(&out);
}

static void put_po(const char *dir, const char *lang, const char *text)
{
	char name[8];
	char *path;
	char *data = NULL;
	size_t len = 0;

	snprintf(name, sizeof(name), "%s.po", lang);
	path = cx_path_join(dir, name);
	ck_assert_ptr_nonnull(path);
	if (text == NULL) {
		char *src = cx_path_join(I18N_DIR, name);

		ck_assert_int_eq(cx_read_file(src, CX_PO_MAX_FILE, &data, &len),
		                 0);
		free(src);
	} else {
		data = cx_strdup(text);
		len = strlen(text);
	}
	ck_assert_int_eq(cx_write_file_atomic(path, data, len), 0);
	free(data);
	free(path);
}

/*
 * The terminal's catalog broken: its problem is worded by the next intact
 * catalog (kk: ru, then en; ru: en), which words the rest too; with none
 * intact, the built-in English words and the ids.
 */
START_TEST(test_broken_catalog_cli)
{
	char tmpl[] = "/tmp/cxi18nXXXXXX";
	char *top = mkdtemp(tmpl), *dir, *out;
	size_t i;

	ck_assert_ptr_nonnull(top);
	dir = cx_path_join(top, "i18n");
	ck_assert_int_eq(cx_mkdir_p(dir), 0);
	for (i = 0; i < 3; i++)
		put_po(dir, langs[i], NULL);
	put_po(dir, "kk", "msgid \"a.b\"\nmsgstr \"{open\"\n");
	out = run_cli(top, "kk");
	ck_assert_msg(strstr(out,
	                     "certexam: каталог сообщений kk не может "
	                     "быть прочитан (ошибка приведена ниже); "
	                     "сообщения выводятся на русском языке\n") != NULL,
	              "%s", out);
	ck_assert_msg(strstr(out, "kk.po:1: ошибка: сообщение «a.b»: «{» без "
	                          "закрывающей «}» после имени из символов "
	                          "[a-z0-9_]\n") != NULL,
	              "%s", out);
	ck_assert_msg(strstr(out, "cx-run/run.xml: ошибка: файл не "
	                          "существует\n") != NULL,
	              "%s", out);
	free(out);

	put_po(dir, "kk", NULL);
	put_po(dir, "ru", "garbage\n");
	out = run_cli(top, "ru");
	ck_assert_msg(strstr(out, "certexam: the ru message catalog cannot be "
	                          "read (its problem is below); messages are "
	                          "shown in English\n") != NULL,
	              "%s", out);
	ck_assert_msg(strstr(out, "ru.po:1: error: expected msgid, msgstr, a "
	                          "string or a comment\n") != NULL,
	              "%s", out);
	free(out);

	put_po(dir, "kk", "\"orphan\"\n");
	put_po(dir, "en", "msgid \"x\"\n");
	out = run_cli(top, "kk");
	ck_assert_msg(strstr(out, "certexam: the kk message catalog cannot be "
	                          "read; messages are shown by id\n") != NULL,
	              "%s", out);
	ck_assert_msg(strstr(out, "kk.po:1: [cli.diag.error]: a continuation "
	                          "string outside an entry\n") != NULL,
	              "%s", out);
	free(out);

	for (i = 0; i < 3; i++) {
		char name[8], *path;

		snprintf(name, sizeof(name), "%s.po", langs[i]);
		path = cx_path_join(dir, name);
		remove(path);
		free(path);
	}
	rmdir(dir);
	rmdir(top);
	free(dir);
}
END_TEST

/*
 * The rule of check_case_words.c for the loaders' messages: the kk and ru
 * texts of pkg.profile.*, pkg.catalogue.*, pkg.run.*, pkg.i18n.* and
 * pkg.calendar.* hold no English sentence once the placeholders are
 * taken out (raw element and attribute names stay).
 */
START_TEST(test_loader_texts)
{
	static const char *const prefixes[] = {"pkg.profile.", "pkg.catalogue.",
	                                       "pkg.run.", "pkg.i18n.",
	                                       "pkg.calendar."};
	struct cx_catalog *cat[3];
	const char *e;
	size_t i, n = 0;

	for (i = 0; i < 3; i++)
		cat[i] = load(langs[i]);
	e = catalog_english(cat[2], (const struct cx_catalog *const *)cat,
	                    prefixes, CX_ARRAY_LEN(prefixes), &n);
	ck_assert_msg(e == NULL, "%s", e);
	/* 17 + 17 + 7 + 22 + 9 ids when this test was written */
	ck_assert_uint_ge(n, 72);
	for (i = 0; i < 3; i++)
		cx_catalog_free(cat[i]);
}
END_TEST

static Suite *i18n_suite(void)
{
	Suite *s = suite_create("i18n");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_parse_basic);
	tcase_add_test(tc, test_format);
	tcase_add_loop_test(tc, test_malformed, 0, (int)CX_ARRAY_LEN(bad));
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_catalogs_complete);
	tcase_add_test(tc, test_catalog_keys_used);
	tcase_add_test(tc, test_broken_catalog_cli);
	tcase_add_test(tc, test_loader_texts);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(i18n_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
