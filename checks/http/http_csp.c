/*
 * certexam — Content-Security-Policy parsing and evaluation, and the
 * minimal HTML scan (scripts, forms, meta tags) of the http check.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/util.h"
#include "http_parse.h"

#define HTML_MAX_SCRIPTS  256
#define HTML_MAX_FORMS    64
#define HTML_MAX_META_CSP 16
#define HTML_MAX_TAG      8192

static int is_csp_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

void csp_policy_clear(struct csp_policy *p)
{
	size_t i, j;

	if (p == NULL)
		return;
	for (i = 0; i < p->n_d; i++) {
		for (j = 0; j < p->d[i].n_src; j++)
			free(p->d[i].src[j]);
		free(p->d[i].src);
		free(p->d[i].name);
	}
	free(p->d);
	for (i = 0; i < p->n_dups; i++)
		free(p->dups[i]);
	free(p->dups);
	memset(p, 0, sizeof(*p));
}

const struct csp_directive *csp_get(const struct csp_policy *p,
                                    const char *name)
{
	size_t i;

	for (i = 0; i < p->n_d; i++)
		if (strcmp(p->d[i].name, name) == 0)
			return &p->d[i];
	return NULL;
}

static int valid_name(const char *s)
{
	for (; *s; s++)
		if (!(islower((unsigned char)*s) ||
		      isdigit((unsigned char)*s) || *s == '-'))
			return 0;
	return 1;
}

/* Parse one directive text [s, e) into p. */
static int parse_directive(struct csp_policy *p, size_t *cap, const char *s,
                           const char *e)
{
	const char *t;
	char *name = NULL, *tok;
	struct csp_directive *d;
	size_t i, cap_src = 0, dcap;
	int rc = CX_OK;

	t = s;
	while (t < e && !is_csp_ws(*t))
		t++;
	name = cx_strndup(s, (size_t)(t - s));
	if (name == NULL)
		return CX_ENOMEM;
	for (i = 0; name[i]; i++)
		name[i] = (char)tolower((unsigned char)name[i]);
	if (!valid_name(name)) {
		p->invalid = 1;
		goto out;
	}
	if (csp_get(p, name) != NULL) {
		if (p->n_dups < HTTP_MAX_DIRECTIVES) {
			dcap = p->n_dups;
			if (cx_grow(&p->dups, &dcap, p->n_dups + 1,
			            sizeof(*p->dups))) {
				rc = CX_ENOMEM;
				goto out;
			}
			p->dups[p->n_dups++] = name;
			name = NULL;
		}
		goto out; /* the first occurrence wins */
	}
	if (p->n_d >= HTTP_MAX_DIRECTIVES) {
		p->truncated = 1;
		goto out;
	}
	if (cx_grow(&p->d, cap, p->n_d + 1, sizeof(*p->d))) {
		rc = CX_ENOMEM;
		goto out;
	}
	d = &p->d[p->n_d++];
	memset(d, 0, sizeof(*d));
	d->name = name;
	name = NULL;
	for (;;) {
		while (t < e && is_csp_ws(*t))
			t++;
		if (t >= e)
			break;
		s = t;
		while (t < e && !is_csp_ws(*t))
			t++;
		if (d->n_src >= HTTP_MAX_SOURCES) {
			p->truncated = 1;
			break;
		}
		if (cx_grow(&d->src, &cap_src, d->n_src + 1, sizeof(*d->src))) {
			rc = CX_ENOMEM;
			goto out;
		}
		tok = cx_strndup(s, (size_t)(t - s));
		if (tok == NULL) {
			rc = CX_ENOMEM;
			goto out;
		}
		d->src[d->n_src++] = tok;
	}
out:
	free(name);
	return rc;
}

int csp_parse(const char *value, struct csp_policy *p)
{
	const char *s, *e, *end, *semi;
	size_t cap = 0, count = 0;
	int rc;

	memset(p, 0, sizeof(*p));
	if (value == NULL)
		return CX_OK;
	end = value + strlen(value);
	for (s = value; s < end; s++)
		if ((unsigned char)*s >= 0x80 ||
		    ((unsigned char)*s < 0x20 && !is_csp_ws(*s)))
			p->invalid = 1;
	s = value;
	while (s < end) {
		semi = memchr(s, ';', (size_t)(end - s));
		e = semi ? semi : end;
		if (++count > 4 * HTTP_MAX_DIRECTIVES) {
			p->truncated = 1;
			break;
		}
		while (s < e && is_csp_ws(*s))
			s++;
		while (e > s && is_csp_ws(e[-1]))
			e--;
		if (s < e) {
			rc = parse_directive(p, &cap, s, e);
			if (rc != CX_OK)
				return rc;
		}
		s = semi ? semi + 1 : end;
	}
	return CX_OK;
}

size_t csp_split(const char *value,
                 void (*cb)(const char *policy, size_t len, void *arg),
                 void *arg)
{
	const char *s, *e, *end, *comma;
	size_t n = 0;

	if (value == NULL)
		return 0;
	s = value;
	end = value + strlen(value);
	while (s < end && n < HTTP_MAX_DIRECTIVES) {
		comma = memchr(s, ',', (size_t)(end - s));
		e = comma ? comma : end;
		while (s < e && is_csp_ws(*s))
			s++;
		while (e > s && is_csp_ws(e[-1]))
			e--;
		if (s < e) {
			cb(s, (size_t)(e - s), arg);
			n++;
		}
		s = comma ? comma + 1 : end;
	}
	return n;
}

static int has_src(const struct csp_directive *d, const char *tok)
{
	size_t i;

	if (d == NULL)
		return 0;
	for (i = 0; i < d->n_src; i++)
		if (cx_strcaseeq(d->src[i], tok))
			return 1;
	return 0;
}

static int is_nonce_or_hash(const char *s)
{
	size_t n = strlen(s);

	if (n < 3 || s[0] != '\'' || s[n - 1] != '\'')
		return 0;
	return cx_strncaseeq(s, "'nonce-", 7) ||
	       cx_strncaseeq(s, "'sha256-", 8) ||
	       cx_strncaseeq(s, "'sha384-", 8) ||
	       cx_strncaseeq(s, "'sha512-", 8);
}

/* "https:", "data:" ...: a scheme followed by ':' and nothing else. */
static int is_scheme_only(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 2 || s[n - 1] != ':' || !isalpha((unsigned char)s[0]))
		return 0;
	for (i = 1; i + 1 < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '+' &&
		    s[i] != '-' && s[i] != '.')
			return 0;
	return 1;
}

/* '*', a scheme-only source or a host source whose host is only '*'. */
static int is_broad(const char *s)
{
	const char *h;

	if (strcmp(s, "*") == 0 || is_scheme_only(s))
		return 1;
	h = strstr(s, "://");
	if (h != NULL &&
	    (strcmp(h + 3, "*") == 0 || strncmp(h + 3, "*:", 2) == 0 ||
	     strncmp(h + 3, "*/", 2) == 0))
		return 1;
	return 0;
}

static int is_insecure(const char *s)
{
	return cx_strcaseeq(s, "http:") || cx_strncaseeq(s, "http://", 7) ||
	       cx_strcaseeq(s, "ws:") || cx_strncaseeq(s, "ws://", 5) ||
	       cx_strcaseeq(s, "ftp:") || cx_strncaseeq(s, "ftp://", 6);
}

static int any_insecure(const struct csp_directive *d)
{
	size_t i;

	if (d == NULL)
		return 0;
	for (i = 0; i < d->n_src; i++)
		if (is_insecure(d->src[i]))
			return 1;
	return 0;
}

static int any_broad(const struct csp_directive *d)
{
	size_t i;

	if (d == NULL)
		return 0;
	for (i = 0; i < d->n_src; i++)
		if (is_broad(d->src[i]))
			return 1;
	return 0;
}

/* The directive a fetch directive falls back to. */
static const struct csp_directive *effective(const struct csp_policy *p,
                                             const char *name)
{
	const struct csp_directive *d = csp_get(p, name);

	return d != NULL ? d : csp_get(p, "default-src");
}

unsigned csp_evaluate(const struct csp_policy *p, int https)
{
	static const char *const active[] = {
	    "default-src",   "script-src",      "object-src",
	    "style-src",     "connect-src",     "frame-src",
	    "child-src",     "worker-src",      "font-src",
	    "manifest-src",  "script-src-elem", "script-src-attr",
	    "style-src-elem"};
	static const char *const passive[] = {"img-src", "media-src"};
	const struct csp_directive *sc, *ob, *st, *df, *fa;
	unsigned f = 0;
	size_t i;
	int nh = 0, sd;

	if (p->invalid)
		f |= CSP_INVALID;
	if (p->n_dups > 0)
		f |= CSP_DUPLICATE;
	df = csp_get(p, "default-src");
	if (df != NULL && df->n_src == 1 && has_src(df, "'none'"))
		f |= CSP_DEFAULT_NONE;

	sc = effective(p, "script-src");
	if (sc == NULL) {
		f |= CSP_SCRIPT_UNRESTRICTED;
	} else {
		for (i = 0; i < sc->n_src; i++)
			if (is_nonce_or_hash(sc->src[i]))
				nh = 1;
		sd = has_src(sc, "'strict-dynamic'");
		if (nh)
			f |= CSP_NONCE_OR_HASH;
		if (sd)
			f |= CSP_STRICT_DYNAMIC;
		/*
		 * 'unsafe-inline' is ignored when a nonce or hash is present;
		 * with 'strict-dynamic' (which needs a nonce or hash to allow
		 * anything) host and scheme sources are ignored too.
		 */
		if (has_src(sc, "'unsafe-inline'") && !nh)
			f |= CSP_SCRIPT_UNSAFE_INLINE;
		if (has_src(sc, "'unsafe-eval'"))
			f |= CSP_SCRIPT_UNSAFE_EVAL;
		if (!(sd && nh) && (any_broad(sc) || has_src(sc, "data:")))
			f |= CSP_SCRIPT_BROAD;
	}
	ob = effective(p, "object-src");
	if (ob == NULL)
		f |= CSP_OBJECT_UNRESTRICTED;
	else if (any_broad(ob))
		f |= CSP_OBJECT_BROAD;
	st = effective(p, "style-src");
	if (st != NULL && (has_src(st, "'unsafe-inline'") || any_broad(st)))
		f |= CSP_STYLE_UNSAFE;
	if (https) {
		for (i = 0; i < CX_ARRAY_LEN(active); i++)
			if (any_insecure(csp_get(p, active[i])))
				f |= CSP_INSECURE_SCHEME;
		for (i = 0; i < CX_ARRAY_LEN(passive); i++)
			if (any_insecure(effective(p, passive[i])))
				f |= CSP_INSECURE_PASSIVE;
	}
	fa = csp_get(p, "frame-ancestors");
	if (fa == NULL)
		f |= CSP_NO_FRAME_ANCESTORS;
	else if (any_broad(fa))
		f |= CSP_FRAME_ANCESTORS_BROAD;
	if (csp_get(p, "base-uri") == NULL)
		f |= CSP_NO_BASE_URI;
	if (csp_get(p, "form-action") == NULL)
		f |= CSP_NO_FORM_ACTION;
	return f;
}

/* HTML scan. */

void html_info_clear(struct html_info *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < h->n_scripts; i++)
		free(h->scripts[i].src);
	free(h->scripts);
	for (i = 0; i < h->n_forms; i++)
		free(h->forms[i].action);
	free(h->forms);
	for (i = 0; i < h->n_meta_csp; i++)
		free(h->meta_csp[i]);
	free(h->meta_csp);
	free(h->generator);
	free(h->title);
	memset(h, 0, sizeof(*h));
}

static const char *ci_find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	if (k == 0 || n < k)
		return NULL;
	for (i = 0; i + k <= n; i++)
		if (cx_strncaseeq(s + i, needle, k))
			return s + i;
	return NULL;
}

/*
 * The value of attribute name inside a tag text [s, s+n) (after the tag
 * name), or NULL when absent; "" for an attribute without a value.
 * Caller frees.
 */
static char *tag_attr(const char *s, size_t n, const char *name, int *absent)
{
	size_t i = 0, k = strlen(name), vs;
	char q;

	*absent = 1;
	while (i < n) {
		while (i < n && (isspace((unsigned char)s[i]) || s[i] == '/'))
			i++;
		vs = i;
		while (i < n && !isspace((unsigned char)s[i]) && s[i] != '=' &&
		       s[i] != '>' && s[i] != '/')
			i++;
		if (i == vs) {
			i++;
			continue;
		}
		if (i - vs == k && cx_strncaseeq(s + vs, name, k)) {
			*absent = 0;
			while (i < n && isspace((unsigned char)s[i]))
				i++;
			if (i >= n || s[i] != '=')
				return cx_strdup("");
			i++;
			while (i < n && isspace((unsigned char)s[i]))
				i++;
			if (i < n && (s[i] == '"' || s[i] == '\'')) {
				q = s[i++];
				vs = i;
				while (i < n && s[i] != q)
					i++;
				return cx_strndup(s + vs, i - vs);
			}
			vs = i;
			while (i < n && !isspace((unsigned char)s[i]) &&
			       s[i] != '>')
				i++;
			return cx_strndup(s + vs, i - vs);
		}
		/* skip this attribute's value */
		while (i < n && isspace((unsigned char)s[i]))
			i++;
		if (i < n && s[i] == '=') {
			i++;
			while (i < n && isspace((unsigned char)s[i]))
				i++;
			if (i < n && (s[i] == '"' || s[i] == '\'')) {
				q = s[i++];
				while (i < n && s[i] != q)
					i++;
				i++;
			} else {
				while (i < n && !isspace((unsigned char)s[i]) &&
				       s[i] != '>')
					i++;
			}
		}
	}
	return NULL;
}

static int tag_is(const char *p, size_t n, const char *name)
{
	size_t k = strlen(name);

	if (n < k + 1 || !cx_strncaseeq(p + 1, name, k))
		return 0;
	if (n == k + 1)
		return 1;
	return isspace((unsigned char)p[k + 1]) || p[k + 1] == '>' ||
	       p[k + 1] == '/';
}

static int html_tag(struct html_info *h, size_t *cs, size_t *cf, size_t *cm,
                    const char *t, size_t n, const char *body, size_t len,
                    int *in_form)
{
	char *v = NULL, *w = NULL;
	const char *a, *end;
	int absent, rc = CX_OK;

	if (tag_is(t, n, "script")) {
		if (h->n_scripts >= HTML_MAX_SCRIPTS) {
			h->truncated = 1;
			return CX_OK;
		}
		if (cx_grow(&h->scripts, cs, h->n_scripts + 1,
		            sizeof(*h->scripts)))
			return CX_ENOMEM;
		v = tag_attr(t + 7, n - 7, "src", &absent);
		if (v == NULL && !absent)
			return CX_ENOMEM;
		h->scripts[h->n_scripts].src = v;
		w = tag_attr(t + 7, n - 7, "integrity", &absent);
		h->scripts[h->n_scripts].has_integrity =
		    !absent && w != NULL && w[0] != '\0';
		free(w);
		h->n_scripts++;
	} else if (tag_is(t, n, "form")) {
		if (h->n_forms >= HTML_MAX_FORMS) {
			h->truncated = 1;
			return CX_OK;
		}
		if (cx_grow(&h->forms, cf, h->n_forms + 1, sizeof(*h->forms)))
			return CX_ENOMEM;
		v = tag_attr(t + 5, n - 5, "action", &absent);
		if (v == NULL && !absent)
			return CX_ENOMEM;
		h->forms[h->n_forms].action = v;
		h->forms[h->n_forms].has_password = 0;
		h->forms[h->n_forms].has_hidden = 0;
		h->n_forms++;
		*in_form = 1;
	} else if (tag_is(t, n, "/form")) {
		*in_form = 0;
	} else if (tag_is(t, n, "input")) {
		v = tag_attr(t + 6, n - 6, "type", &absent);
		if (v != NULL && cx_strcaseeq(v, "password") && *in_form &&
		    h->n_forms > 0)
			h->forms[h->n_forms - 1].has_password = 1;
		if (v != NULL && cx_strcaseeq(v, "hidden") && *in_form &&
		    h->n_forms > 0)
			h->forms[h->n_forms - 1].has_hidden = 1;
		free(v);
	} else if (tag_is(t, n, "meta")) {
		v = tag_attr(t + 5, n - 5, "name", &absent);
		w = tag_attr(t + 5, n - 5, "http-equiv", &absent);
		if (v != NULL && cx_strcaseeq(v, "generator") &&
		    h->generator == NULL) {
			h->generator =
			    tag_attr(t + 5, n - 5, "content", &absent);
		} else if (w != NULL &&
		           cx_strcaseeq(w, "content-security-policy")) {
			if (h->n_meta_csp < HTML_MAX_META_CSP &&
			    cx_grow(&h->meta_csp, cm, h->n_meta_csp + 1,
			            sizeof(*h->meta_csp)) == 0) {
				h->meta_csp[h->n_meta_csp] =
				    tag_attr(t + 5, n - 5, "content", &absent);
				if (h->meta_csp[h->n_meta_csp] != NULL)
					h->n_meta_csp++;
			}
		}
		free(v);
		free(w);
	} else if (tag_is(t, n, "title") && h->title == NULL) {
		a = t + n + 1;
		if (a < body + len) {
			end = ci_find(a, (size_t)(body + len - a), "</title");
			if (end != NULL && end - a < 1024)
				h->title = cx_strndup(a, (size_t)(end - a));
		}
	}
	return rc;
}

int html_scan(const char *body, size_t len, struct html_info *out)
{
	size_t i = 0, cs = 0, cf = 0, cm = 0, n;
	const char *lt, *gt;
	int in_form = 0, rc;

	memset(out, 0, sizeof(*out));
	if (body == NULL)
		return CX_OK;
	while (i < len) {
		lt = memchr(body + i, '<', len - i);
		if (lt == NULL)
			break;
		i = (size_t)(lt - body);
		if (len - i >= 4 && memcmp(lt, "<!--", 4) == 0) {
			gt = ci_find(lt + 4, len - i - 4, "-->");
			if (gt == NULL)
				break;
			i = (size_t)(gt - body) + 3;
			continue;
		}
		n = len - i < HTML_MAX_TAG ? len - i : HTML_MAX_TAG;
		gt = memchr(lt, '>', n);
		if (gt == NULL) {
			i++;
			continue;
		}
		n = (size_t)(gt - lt);
		rc = html_tag(out, &cs, &cf, &cm, lt, n, body, len, &in_form);
		if (rc != CX_OK)
			return rc;
		i = (size_t)(gt - body) + 1;
	}
	return CX_OK;
}
