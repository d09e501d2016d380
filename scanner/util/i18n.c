/*
 * certexam — the message catalogs: a small, length-checked reader of the
 * gettext .po subset described in certexam/i18n.h, an index by id (sorted
 * array, binary search) and the {placeholder} formatter.  The reader never
 * relies on a terminating NUL in its input and never reads past len.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/util.h"

struct po_entry {
	char *id;
	char *str;
	long line; /* of the msgid */
};

struct cx_catalog {
	struct po_entry *e;
	size_t n, cap;
	char lang[16];
};

/* The parser's state between lines. */
struct po_parse {
	const char *name;
	struct cx_diags *diags;
	struct cx_catalog *cat;
	struct cx_buf id, str;
	int where; /* 0 none, 1 in msgid, 2 in msgstr */
	int have_id;
	long id_line, line;
	int bad;
};

/*
 * A problem of the catalog at the current line: its message id (pkg.i18n.*)
 * and parameters (CX_ARGS or NULL), so that it is worded in the language
 * of another, intact catalog (scanner/cli/cli_i18n.c), and its English
 * words, the en catalog's text of the id, as the diagnostic's message.
 */
#define PO_FAIL(p, id, args, ...)                                              \
	do {                                                                   \
		(p)->bad = 1;                                                  \
		if (cx_diag_add((p)->diags, (p)->name, (p)->line, NULL,        \
		                __VA_ARGS__) ||                                \
		    cx_diag_set_msg((p)->diags, (id), (args)))                 \
			return CX_ENOMEM;                                      \
		return CX_EPARSE;                                              \
	} while (0)

/* What is wrong with the braces of a message: id and English words. */
struct po_why {
	const char *id, *en;
};

static const struct po_why why_open = {
    "pkg.i18n.brace-open",
    "a '{' without a closing '}' after a name of [a-z0-9_]"};
static const struct po_why why_name = {
    "pkg.i18n.brace-name", "a placeholder name must have 1 to 64 characters"};
static const struct po_why why_close = {
    "pkg.i18n.brace-close",
    "a '}' without an opening '{' (write '}}' for a literal brace)"};

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/*
 * Check the braces of a message: "{name}" with name in [a-z0-9_]{1,64},
 * "{{" and "}}" literal.  Returns NULL when fine, else what is wrong.
 */
static const struct po_why *check_braces(const char *s, size_t n)
{
	size_t i = 0, k;

	while (i < n) {
		if (s[i] == '{') {
			if (i + 1 < n && s[i + 1] == '{') {
				i += 2;
				continue;
			}
			for (k = i + 1; k < n && name_char(s[k]); k++)
				;
			if (k >= n || s[k] != '}')
				return &why_open;
			if (k == i + 1 || k - i - 1 > 64)
				return &why_name;
			i = k + 1;
		} else if (s[i] == '}') {
			if (i + 1 < n && s[i + 1] == '}') {
				i += 2;
				continue;
			}
			return &why_close;
		} else {
			i++;
		}
	}
	return NULL;
}

/* Read the quoted string of one line (s, n bytes) into out. */
static int read_quoted(struct po_parse *p, const char *s, size_t n,
                       struct cx_buf *out)
{
	size_t i = 0;
	char c, esc[2] = {0};

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i >= n || s[i] != '"')
		PO_FAIL(p, "pkg.i18n.quoted", NULL,
		        "expected a string in double quotes");
	for (i++; i < n && s[i] != '"'; i++) {
		c = s[i];
		if (c == '\\') {
			if (++i >= n)
				PO_FAIL(p, "pkg.i18n.backslash-end", NULL,
				        "a backslash at the end of the line");
			switch (s[i]) {
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			case '"':
				c = '"';
				break;
			case '\\':
				c = '\\';
				break;
			default:
				esc[0] = (unsigned char)s[i] >= 0x20 &&
				                 (unsigned char)s[i] < 0x7f
				             ? s[i]
				             : '?';
				PO_FAIL(p, "pkg.i18n.escape",
				        CX_ARGS("char", esc),
				        "unknown escape '\\%s' (expected \\n, "
				        "\\t, \\\" or \\\\)",
				        esc);
			}
		}
		if (out->len >= CX_PO_MAX_MSG) {
			char max[16];

			snprintf(max, sizeof(max), "%u", CX_PO_MAX_MSG);
			PO_FAIL(p, "pkg.i18n.too-long", CX_ARGS("max", max),
			        "a message longer than %s bytes", max);
		}
		if (cx_buf_putc(out, c))
			return CX_ENOMEM;
	}
	if (i >= n)
		PO_FAIL(p, "pkg.i18n.unclosed", NULL,
		        "the string has no closing double quote");
	for (i++; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			PO_FAIL(p, "pkg.i18n.trailing", NULL,
			        "text after the closing double quote");
	return CX_OK;
}

static void header_lang(struct cx_catalog *cat, const char *h, size_t n)
{
	static const char key[] = "Language:";
	size_t i = 0, k, j;

	while (i < n) {
		for (k = i; k < n && h[k] != '\n'; k++)
			;
		if (k - i > sizeof(key) - 1 &&
		    memcmp(h + i, key, sizeof(key) - 1) == 0) {
			j = i + sizeof(key) - 1;
			while (j < k && h[j] == ' ')
				j++;
			if (k - j < sizeof(cat->lang)) {
				memcpy(cat->lang, h + j, k - j);
				cat->lang[k - j] = '\0';
				cx_trim(cat->lang);
			}
			return;
		}
		i = k + 1;
	}
}

/* Store the entry that ended (if it is complete). */
static int commit(struct po_parse *p)
{
	struct cx_catalog *cat = p->cat;
	struct po_entry *e;
	const struct po_why *why;
	char id[64];
	long line = p->line;

	if (!p->have_id)
		return CX_OK;
	p->line = p->id_line;
	if (p->where != 2)
		PO_FAIL(p, "pkg.i18n.no-msgstr", NULL,
		        "a msgid without a msgstr");
	p->have_id = 0;
	p->where = 0;
	if (!cx_utf8_valid(p->id.data ? p->id.data : "", p->id.len) ||
	    !cx_utf8_valid(p->str.data ? p->str.data : "", p->str.len))
		PO_FAIL(p, "pkg.i18n.utf8", NULL,
		        "the message is not valid UTF-8");
	if (p->id.len == 0) {
		if (p->str.data != NULL)
			header_lang(cat, p->str.data, p->str.len);
		goto out;
	}
	/* the id as the problems name it: its first 60 bytes */
	snprintf(id, sizeof(id), "%.60s", p->id.data);
	for (size_t i = 0; i < p->id.len; i++)
		if (!name_char(p->id.data[i]) && p->id.data[i] != '.' &&
		    p->id.data[i] != '-')
			PO_FAIL(p, "pkg.i18n.id-chars", CX_ARGS("id", id),
			        "a message id has only [a-z0-9_.-] (\"%s\")",
			        id);
	if (p->str.len == 0)
		PO_FAIL(p, "pkg.i18n.empty", CX_ARGS("id", id),
		        "message \"%s\" has no translation", id);
	why = check_braces(p->str.data, p->str.len);
	if (why != NULL)
		PO_FAIL(p, why->id, CX_ARGS("id", id), "message \"%s\": %s", id,
		        why->en);
	if (cat->n >= CX_PO_MAX_ITEMS)
		return CX_ELIMIT;
	if (cx_grow(&cat->e, &cat->cap, cat->n + 1, sizeof(*cat->e)))
		return CX_ENOMEM;
	e = &cat->e[cat->n];
	e->id = cx_buf_steal(&p->id);
	e->str = cx_buf_steal(&p->str);
	e->line = p->id_line;
	if (e->id == NULL || e->str == NULL) {
		free(e->id);
		free(e->str);
		return CX_ENOMEM;
	}
	cat->n++;
out:
	cx_buf_free(&p->id);
	cx_buf_free(&p->str);
	p->line = line;
	return CX_OK;
}

static int starts(const char *s, size_t n, const char *kw)
{
	size_t k = strlen(kw);

	return n >= k && memcmp(s, kw, k) == 0;
}

static int parse_line(struct po_parse *p, const char *s, size_t n)
{
	int rc;

	if (n > 0 && s[n - 1] == '\r')
		n--;
	if (memchr(s, '\0', n) != NULL)
		PO_FAIL(p, "pkg.i18n.nul", NULL, "a NUL byte");
	while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		n--;
	}
	if (n == 0)
		return commit(p);
	if (s[0] == '#')
		return CX_OK;
	if (starts(s, n, "msgctxt") || starts(s, n, "msgid_plural") ||
	    starts(s, n, "msgstr["))
		PO_FAIL(p, "pkg.i18n.ctxt", NULL,
		        "msgctxt and plural forms are not used by certexam "
		        "catalogs");
	if (starts(s, n, "msgid ") || starts(s, n, "msgid\t") ||
	    starts(s, n, "msgid\"")) {
		rc = commit(p);
		if (rc)
			return rc;
		p->have_id = 1;
		p->where = 1;
		p->id_line = p->line;
		return read_quoted(p, s + 5, n - 5, &p->id);
	}
	if (starts(s, n, "msgstr ") || starts(s, n, "msgstr\t") ||
	    starts(s, n, "msgstr\"")) {
		if (p->where != 1)
			PO_FAIL(p, "pkg.i18n.msgstr-alone", NULL,
			        "a msgstr without a msgid before it");
		p->where = 2;
		return read_quoted(p, s + 6, n - 6, &p->str);
	}
	if (s[0] == '"') {
		if (p->where == 0)
			PO_FAIL(p, "pkg.i18n.continuation", NULL,
			        "a continuation string outside an entry");
		return read_quoted(p, s, n, p->where == 1 ? &p->id : &p->str);
	}
	PO_FAIL(p, "pkg.i18n.expected", NULL,
	        "expected msgid, msgstr, a string or a comment");
}

static int entry_cmp(const void *a, const void *b)
{
	const struct po_entry *x = a, *y = b;

	return strcmp(x->id, y->id);
}

int cx_catalog_parse(const char *data, size_t len, const char *name,
                     struct cx_catalog **out, struct cx_diags *diags)
{
	struct po_parse p;
	struct cx_diags local = {0};
	size_t i = 0, k;
	int rc = CX_OK;

	*out = NULL;
	if (len > CX_PO_MAX_FILE)
		return CX_ELIMIT;
	memset(&p, 0, sizeof(p));
	p.name = name ? name : "catalog";
	p.diags = diags ? diags : &local;
	p.cat = calloc(1, sizeof(*p.cat));
	if (p.cat == NULL)
		return CX_ENOMEM;
	while (i < len && rc == CX_OK) {
		const char *nl = memchr(data + i, '\n', len - i);
		k = nl ? (size_t)(nl - data) : len;
		p.line++;
		rc = parse_line(&p, data + i, k - i);
		i = k + 1;
	}
	if (rc == CX_OK) {
		p.line++;
		rc = commit(&p);
	}
	if (rc == CX_OK && p.cat->n > 0) {
		qsort(p.cat->e, p.cat->n, sizeof(*p.cat->e), entry_cmp);
		for (i = 1; i < p.cat->n && rc == CX_OK; i++)
			if (strcmp(p.cat->e[i - 1].id, p.cat->e[i].id) == 0) {
				char id[64], also[24];

				snprintf(id, sizeof(id), "%.60s",
				         p.cat->e[i].id);
				snprintf(also, sizeof(also), "%ld",
				         p.cat->e[i - 1].line);
				rc =
				    cx_diag_add(p.diags, p.name,
				                p.cat->e[i].line, NULL,
				                "message \"%s\" is defined "
				                "twice (also on line %s)",
				                id, also) ||
				            cx_diag_set_msg(
				                p.diags, "pkg.i18n.twice",
				                CX_ARGS("id", id, "line", also))
				        ? CX_ENOMEM
				        : CX_EPARSE;
			}
	}
	cx_buf_free(&p.id);
	cx_buf_free(&p.str);
	cx_diags_free(&local);
	if (rc != CX_OK) {
		cx_catalog_free(p.cat);
		return rc;
	}
	*out = p.cat;
	return CX_OK;
}

int cx_catalog_load(const char *path, struct cx_catalog **out,
                    struct cx_diags *diags)
{
	char *data = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	rc = cx_read_file(path, CX_PO_MAX_FILE, &data, &len);
	if (rc) {
		if (cx_diag_add(diags, path, 0, NULL, "cannot read: %s",
		                cx_err_name(rc)) ||
		    cx_diag_set_msg(diags, "pkg.i18n.unreadable",
		                    CX_ARGS("error", cx_err_name(rc))))
			rc = CX_ENOMEM;
		return rc;
	}
	rc = cx_catalog_parse(data, len, path, out, diags);
	free(data);
	return rc;
}

int cx_catalog_load_lang(const char *dir, const char *lang,
                         struct cx_catalog **out, struct cx_diags *diags)
{
	char file[8];
	char *path;
	int rc;

	*out = NULL;
	if (lang == NULL || strlen(lang) != 2 || lang[0] < 'a' ||
	    lang[0] > 'z' || lang[1] < 'a' || lang[1] > 'z')
		return CX_EINVAL;
	memcpy(file, lang, 2);
	memcpy(file + 2, ".po", 4);
	path = cx_path_join(dir, file);
	if (path == NULL)
		return CX_ENOMEM;
	rc = cx_catalog_load(path, out, diags);
	free(path);
	return rc;
}

void cx_catalog_free(struct cx_catalog *cat)
{
	size_t i;

	if (cat == NULL)
		return;
	for (i = 0; i < cat->n; i++) {
		free(cat->e[i].id);
		free(cat->e[i].str);
	}
	free(cat->e);
	free(cat);
}

const char *cx_catalog_get(const struct cx_catalog *cat, const char *id)
{
	size_t lo = 0, hi, mid;
	int c;

	if (cat == NULL || id == NULL)
		return NULL;
	hi = cat->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(id, cat->e[mid].id);
		if (c == 0)
			return cat->e[mid].str;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *cx_catalog_lang(const struct cx_catalog *cat)
{
	return cat ? cat->lang : "";
}

size_t cx_catalog_count(const struct cx_catalog *cat)
{
	return cat ? cat->n : 0;
}

const char *cx_catalog_id(const struct cx_catalog *cat, size_t i)
{
	return cat && i < cat->n ? cat->e[i].id : NULL;
}

/*
 * The formatter: look is called with a placeholder name (not
 * NUL-terminated) and returns its value, or sets *found = 0.
 */
typedef const char *(*look_fn)(const void *ctx, const char *name, size_t n,
                               int *found);

static int format(struct cx_buf *b, const char *t, look_fn look,
                  const void *ctx)
{
	size_t i = 0, k, n;
	const char *v;
	int rc = CX_OK, found;

	if (t == NULL)
		return CX_OK;
	n = strlen(t);
	while (i < n && rc == CX_OK) {
		if ((t[i] == '{' || t[i] == '}') && i + 1 < n &&
		    t[i + 1] == t[i]) {
			rc = cx_buf_putc(b, t[i]);
			i += 2;
			continue;
		}
		if (t[i] != '{') {
			for (k = i; k < n && t[k] != '{' && t[k] != '}'; k++)
				;
			if (k == i)
				k = i + 1;
			rc = cx_buf_append(b, t + i, k - i);
			i = k;
			continue;
		}
		for (k = i + 1; k < n && name_char(t[k]); k++)
			;
		if (k >= n || t[k] != '}') {
			rc = cx_buf_putc(b, '{');
			i++;
			continue;
		}
		found = 1;
		v = look(ctx, t + i + 1, k - i - 1, &found);
		if (found)
			rc = cx_buf_puts(b, v != NULL && *v ? v : "—");
		else
			rc = cx_buf_append(b, t + i, k + 1 - i);
		i = k + 1;
	}
	return rc;
}

static const char *look_args(const void *ctx, const char *name, size_t n,
                             int *found)
{
	const char *const *a = ctx;
	size_t i;

	for (i = 0; a != NULL && a[i] != NULL; i += 2)
		if (strlen(a[i]) == n && memcmp(a[i], name, n) == 0)
			return a[i + 1];
	*found = 0;
	return NULL;
}

struct props {
	const char *const *names, *const *values;
	size_t n;
};

static const char *look_props(const void *ctx, const char *name, size_t n,
                              int *found)
{
	const struct props *p = ctx;
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strlen(p->names[i]) == n &&
		    memcmp(p->names[i], name, n) == 0)
			return p->values[i];
	*found = 0;
	return NULL;
}

int cx_msg_format(struct cx_buf *b, const char *tmpl, const char *const *args)
{
	return format(b, tmpl, look_args, args);
}

int cx_msg_format_props(struct cx_buf *b, const char *tmpl,
                        const char *const *names, const char *const *values,
                        size_t n)
{
	struct props p = {names, values, n};

	return format(b, tmpl, look_props, &p);
}

int cx_msg(struct cx_buf *b, const struct cx_catalog *cat, const char *id,
           const char *const *args)
{
	const char *t = cx_catalog_get(cat, id);

	if (t == NULL)
		return cx_buf_printf(b, "[%s]", id ? id : "");
	return cx_msg_format(b, t, args);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cx_msg_placeholders(struct cx_buf *b, const char *tmpl)
{
	char **names = NULL;
	size_t n = 0, cap = 0, i = 0, k, len;
	int rc = CX_OK;

	len = tmpl ? strlen(tmpl) : 0;
	while (i < len && rc == CX_OK) {
		if ((tmpl[i] == '{' || tmpl[i] == '}') && i + 1 < len &&
		    tmpl[i + 1] == tmpl[i]) {
			i += 2;
			continue;
		}
		if (tmpl[i] != '{') {
			i++;
			continue;
		}
		for (k = i + 1; k < len && name_char(tmpl[k]); k++)
			;
		if (k < len && tmpl[k] == '}' && k > i + 1) {
			if (cx_grow(&names, &cap, n + 1, sizeof(*names)) ||
			    (names[n] = cx_strndup(tmpl + i + 1, k - i - 1)) ==
			        NULL)
				rc = CX_ENOMEM;
			else
				n++;
		}
		i = k;
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), str_cmp);
	for (i = 0; i < n && rc == CX_OK; i++)
		if (i == 0 || strcmp(names[i], names[i - 1]) != 0)
			rc = cx_buf_printf(b, "%s%s", b->len ? " " : "",
			                   names[i]);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (rc == CX_OK && b->data == NULL)
		rc = cx_buf_puts(b, "");
	return rc;
}
