/*
 * certexam — response head, Set-Cookie and single-header parsers for the
 * http check.  Every input is hostile: all loops are bounded by the input
 * length and by the limits in http_parse.h.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/util.h"
#include "http_parse.h"

static int is_ows(char c)
{
	return c == ' ' || c == '\t';
}

void http_head_clear(struct http_head *head)
{
	size_t i;

	if (head == NULL)
		return;
	for (i = 0; i < head->n_h; i++) {
		free(head->h[i].name);
		free(head->h[i].value);
	}
	free(head->h);
	free(head->status_line);
	memset(head, 0, sizeof(*head));
}

/* Parse "HTTP/x.y NNN reason" into version and status. */
static void parse_status_line(struct http_head *head, const char *s, size_t n)
{
	size_t i = 5;
	int st = 0, k;

	head->version = 0;
	head->status = 0;
	if (n < 12 || memcmp(s, "HTTP/", 5) != 0)
		return;
	if (!isdigit((unsigned char)s[i]))
		return;
	head->version = (s[i] - '0') * 10;
	i++;
	if (i < n && s[i] == '.') {
		i++;
		if (i < n && isdigit((unsigned char)s[i])) {
			head->version += s[i] - '0';
			i++;
		}
	}
	if (i >= n || s[i] != ' ')
		return;
	i++;
	for (k = 0; k < 3; k++, i++) {
		if (i >= n || !isdigit((unsigned char)s[i]))
			return;
		st = st * 10 + (s[i] - '0');
	}
	if (i < n && s[i] != ' ' && s[i] != '\r')
		return;
	if (st < 100 || st > 599)
		return;
	head->status = st;
}

static int add_field(struct http_head *head, size_t *cap, const char *line,
                     size_t n)
{
	const char *colon;
	size_t nl, vs, ve;
	char *name = NULL, *value = NULL;

	colon = memchr(line, ':', n);
	if (colon == NULL || colon == line) {
		head->malformed = 1;
		return CX_OK;
	}
	nl = (size_t)(colon - line);
	while (nl > 0 && is_ows(line[nl - 1])) {
		head->malformed = 1; /* whitespace before ':' is invalid */
		nl--;
	}
	if (nl == 0) {
		head->malformed = 1;
		return CX_OK;
	}
	vs = (size_t)(colon - line) + 1;
	ve = n;
	while (vs < ve && is_ows(line[vs]))
		vs++;
	while (ve > vs && is_ows(line[ve - 1]))
		ve--;
	if (head->n_h >= HTTP_MAX_HEADERS) {
		head->truncated = 1;
		return CX_OK;
	}
	if (cx_grow(&head->h, cap, head->n_h + 1, sizeof(*head->h)))
		return CX_ENOMEM;
	name = cx_strndup(line, nl);
	value = cx_strndup(line + vs, ve - vs);
	if (name == NULL || value == NULL) {
		free(name);
		free(value);
		return CX_ENOMEM;
	}
	head->h[head->n_h].name = name;
	head->h[head->n_h].value = value;
	head->n_h++;
	return CX_OK;
}

int http_head_parse(const char *raw, size_t len, struct http_head *head)
{
	size_t pos = 0, cap = 0, end, n;
	int in_head = 0, rc = CX_OK;
	const char *line, *nlp;

	memset(head, 0, sizeof(*head));
	if (raw == NULL)
		return CX_EPARSE;
	while (pos < len) {
		line = raw + pos;
		nlp = memchr(line, '\n', len - pos);
		end = nlp ? (size_t)(nlp - raw) : len;
		n = end - pos;
		pos = nlp ? end + 1 : len;
		if (n > 0 && line[n - 1] == '\r')
			n--;
		if (n > HTTP_MAX_LINE) {
			head->truncated = 1;
			n = HTTP_MAX_LINE;
		}
		if (!in_head) {
			if (n == 0)
				continue;
			if (n < 5 || memcmp(line, "HTTP/", 5) != 0) {
				head->malformed = 1;
				continue;
			}
			/* A new head: drop an earlier (interim) one. */
			http_head_clear(head);
			cap = 0;
			head->status_line = cx_strndup(line, n);
			if (head->status_line == NULL)
				return CX_ENOMEM;
			parse_status_line(head, line, n);
			in_head = 1;
			continue;
		}
		if (n == 0) {
			in_head = 0;
			continue;
		}
		if (is_ows(line[0])) {
			head->malformed = 1; /* obs-fold: not joined */
			continue;
		}
		rc = add_field(head, &cap, line, n);
		if (rc != CX_OK)
			return rc;
	}
	if (head->status_line == NULL)
		return CX_EPARSE;
	return CX_OK;
}

const char *http_head_get_nth(const struct http_head *head, const char *name,
                              size_t i)
{
	size_t k;

	if (head == NULL)
		return NULL;
	for (k = 0; k < head->n_h; k++) {
		if (cx_strcaseeq(head->h[k].name, name)) {
			if (i == 0)
				return head->h[k].value;
			i--;
		}
	}
	return NULL;
}

const char *http_head_next(const struct http_head *head, const char *name,
                           size_t *pos)
{
	size_t k;

	if (head == NULL)
		return NULL;
	for (k = *pos; k < head->n_h; k++) {
		if (cx_strcaseeq(head->h[k].name, name)) {
			*pos = k + 1;
			return head->h[k].value;
		}
	}
	*pos = head->n_h;
	return NULL;
}

const char *http_head_get(const struct http_head *head, const char *name)
{
	return http_head_get_nth(head, name, 0);
}

size_t http_head_count(const struct http_head *head, const char *name)
{
	size_t k, c = 0;

	if (head == NULL)
		return 0;
	for (k = 0; k < head->n_h; k++)
		if (cx_strcaseeq(head->h[k].name, name))
			c++;
	return c;
}

/* Cookies. */

void http_cookie_clear(struct http_cookie *c)
{
	if (c == NULL)
		return;
	free(c->name);
	free(c->domain);
	free(c->path);
	memset(c, 0, sizeof(*c));
}

/* Copy [s, e) trimmed of white space. */
static char *dup_trim(const char *s, const char *e)
{
	while (s < e && is_ows(*s))
		s++;
	while (e > s && is_ows(e[-1]))
		e--;
	return cx_strndup(s, (size_t)(e - s));
}

static int parse_max_age(const char *v, long *out)
{
	long x;
	int neg = 0;

	if (*v == '-') {
		neg = 1;
		v++;
	}
	if (*v == '\0')
		return CX_EINVAL;
	if (strspn(v, "0123456789") != strlen(v))
		return CX_EINVAL;
	if (strlen(v) > 12) {
		*out = neg ? -1 : 999999999999L;
		return CX_OK;
	}
	if (cx_parse_long(v, 0, 999999999999L, &x) != CX_OK)
		return CX_EINVAL;
	*out = neg ? -x : x;
	return CX_OK;
}

static int cookie_attr(struct http_cookie *c, char *name, char *value)
{
	long ma;

	if (cx_strcaseeq(name, "secure")) {
		c->secure = 1;
	} else if (cx_strcaseeq(name, "httponly")) {
		c->httponly = 1;
	} else if (cx_strcaseeq(name, "samesite")) {
		if (value != NULL && cx_strcaseeq(value, "strict"))
			c->samesite = HTTP_SS_STRICT;
		else if (value != NULL && cx_strcaseeq(value, "lax"))
			c->samesite = HTTP_SS_LAX;
		else if (value != NULL && cx_strcaseeq(value, "none"))
			c->samesite = HTTP_SS_NONE;
		else
			c->samesite = HTTP_SS_INVALID;
	} else if (cx_strcaseeq(name, "domain")) {
		if (value != NULL && value[0] != '\0') {
			free(c->domain);
			c->domain = cx_strdup(value);
			if (c->domain == NULL)
				return CX_ENOMEM;
		}
	} else if (cx_strcaseeq(name, "path")) {
		free(c->path);
		c->path = cx_strdup(value ? value : "");
		if (c->path == NULL)
			return CX_ENOMEM;
	} else if (cx_strcaseeq(name, "expires")) {
		c->has_expires = 1;
	} else if (cx_strcaseeq(name, "max-age")) {
		if (value != NULL && parse_max_age(value, &ma) == CX_OK) {
			c->has_max_age = 1;
			c->max_age = ma;
		}
	}
	return CX_OK;
}

int http_cookie_parse(const char *value, struct http_cookie *c)
{
	const char *p, *end, *semi, *eq, *stop;
	char *an = NULL, *av = NULL;
	size_t nattr = 0;
	int rc = CX_OK;

	memset(c, 0, sizeof(*c));
	if (value == NULL)
		return CX_EPARSE;
	end = value + strlen(value);
	semi = memchr(value, ';', (size_t)(end - value));
	stop = semi ? semi : end;
	eq = memchr(value, '=', (size_t)(stop - value));
	if (eq == NULL)
		return CX_EPARSE;
	c->name = dup_trim(value, eq);
	if (c->name == NULL)
		return CX_ENOMEM;
	if (c->name[0] == '\0') {
		rc = CX_EPARSE;
		goto out;
	}
	p = semi ? semi + 1 : end;
	while (p < end) {
		semi = memchr(p, ';', (size_t)(end - p));
		stop = semi ? semi : end;
		if (nattr >= HTTP_MAX_COOKIE_ATTRS) {
			c->truncated = 1;
			break;
		}
		nattr++;
		eq = memchr(p, '=', (size_t)(stop - p));
		an = dup_trim(p, eq ? eq : stop);
		av = eq ? dup_trim(eq + 1, stop) : NULL;
		if (an == NULL || (eq != NULL && av == NULL)) {
			rc = CX_ENOMEM;
			goto out;
		}
		rc = cookie_attr(c, an, av);
		free(an);
		free(av);
		an = NULL;
		av = NULL;
		if (rc != CX_OK)
			goto out;
		p = semi ? semi + 1 : end;
	}
out:
	free(an);
	free(av);
	return rc;
}

const char *http_cookie_prefix_problem(const struct http_cookie *c, int https)
{
	/* Browsers match the prefixes case-sensitively (RFC 6265bis). */
	if (strncmp(c->name, "__Secure-", 9) == 0) {
		if (!c->secure)
			return "web.cookie.prefix.no-secure";
		if (!https)
			return "web.cookie.prefix.over-http";
		return NULL;
	}
	if (strncmp(c->name, "__Host-", 7) == 0) {
		if (!c->secure)
			return "web.cookie.prefix.no-secure";
		if (!https)
			return "web.cookie.prefix.over-http";
		if (c->domain != NULL)
			return "web.cookie.prefix.domain";
		if (c->path == NULL || strcmp(c->path, "/") != 0)
			return "web.cookie.prefix.path";
		return NULL;
	}
	return NULL;
}

int http_cookie_is_deletion(const struct http_cookie *c)
{
	return c->has_max_age && c->max_age <= 0;
}

/* Strict-Transport-Security. */

void http_hsts_parse(const char *value, struct http_hsts *out)
{
	const char *p, *end, *semi, *stop, *eq;
	char *name = NULL, *val = NULL;
	size_t vl, n = 0;
	int seen_max_age = 0, bad = 0;
	long x;

	memset(out, 0, sizeof(*out));
	out->max_age = -1;
	if (value == NULL)
		return;
	p = value;
	end = value + strlen(value);
	while (p < end && n < HTTP_MAX_DIRECTIVES) {
		n++;
		semi = memchr(p, ';', (size_t)(end - p));
		stop = semi ? semi : end;
		eq = memchr(p, '=', (size_t)(stop - p));
		name = dup_trim(p, eq ? eq : stop);
		val = eq ? dup_trim(eq + 1, stop) : NULL;
		if (name == NULL || (eq != NULL && val == NULL)) {
			bad = 1;
			goto next;
		}
		if (val != NULL) {
			vl = strlen(val);
			if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
				memmove(val, val + 1, vl - 2);
				val[vl - 2] = '\0';
			}
		}
		if (name[0] == '\0') {
			if (eq != NULL)
				bad = 1; /* "=x" */
			goto next;
		}
		if (cx_strcaseeq(name, "max-age")) {
			if (seen_max_age)
				bad = 1; /* directives must not repeat */
			seen_max_age = 1;
			if (val == NULL || val[0] == '\0' ||
			    strspn(val, "0123456789") != strlen(val)) {
				bad = 1;
			} else if (strlen(val) > 12) {
				out->max_age = 999999999999LL;
			} else if (cx_parse_long(val, 0, 999999999999L, &x) ==
			           CX_OK) {
				out->max_age = x;
			} else {
				bad = 1;
			}
		} else if (cx_strcaseeq(name, "includesubdomains")) {
			if (out->include_subdomains)
				bad = 1;
			out->include_subdomains = 1;
		} else if (cx_strcaseeq(name, "preload")) {
			out->preload = 1;
		}
		/* Unknown directives are ignored (RFC 6797 6.1). */
	next:
		free(name);
		free(val);
		name = NULL;
		val = NULL;
		p = semi ? semi + 1 : end;
	}
	out->valid = seen_max_age && !bad && out->max_age >= 0;
	if (!out->valid)
		out->max_age = seen_max_age && !bad ? out->max_age : -1;
}

/* X-Frame-Options. */

enum http_xfo http_xfo_parse(const char *value)
{
	char buf[64];
	size_t n;
	const char *s, *e;

	if (value == NULL)
		return HTTP_XFO_ABSENT;
	s = value;
	e = value + strlen(value);
	while (s < e && is_ows(*s))
		s++;
	while (e > s && is_ows(e[-1]))
		e--;
	n = (size_t)(e - s);
	if (n >= 10 && cx_strncaseeq(s, "allow-from", 10))
		return HTTP_XFO_ALLOW_FROM;
	if (n >= sizeof(buf))
		return HTTP_XFO_INVALID;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (cx_strcaseeq(buf, "deny"))
		return HTTP_XFO_DENY;
	if (cx_strcaseeq(buf, "sameorigin"))
		return HTTP_XFO_SAMEORIGIN;
	return HTTP_XFO_INVALID;
}

/* Referrer-Policy. */

enum http_referrer http_referrer_parse(const char *value, char *token_out,
                                       size_t token_sz)
{
	static const char *const priv[] = {"no-referrer", "same-origin",
	                                   "strict-origin",
	                                   "strict-origin-when-cross-origin"};
	static const char *const unsafe[] = {
	    "origin", "origin-when-cross-origin", "unsafe-url"};
	enum http_referrer res = HTTP_RP_INVALID, t;
	const char *p, *end, *comma, *stop;
	char tok[40];
	size_t i, n, count = 0;
	const char *s, *e;

	if (token_out != NULL && token_sz > 0)
		token_out[0] = '\0';
	if (value == NULL)
		return HTTP_RP_ABSENT;
	p = value;
	end = value + strlen(value);
	while (p < end && count < HTTP_MAX_DIRECTIVES) {
		count++;
		comma = memchr(p, ',', (size_t)(end - p));
		stop = comma ? comma : end;
		s = p;
		e = stop;
		while (s < e && is_ows(*s))
			s++;
		while (e > s && is_ows(e[-1]))
			e--;
		n = (size_t)(e - s);
		p = comma ? comma + 1 : end;
		if (n == 0 || n >= sizeof(tok))
			continue;
		memcpy(tok, s, n);
		tok[n] = '\0';
		t = HTTP_RP_ABSENT;
		for (i = 0; i < CX_ARRAY_LEN(priv); i++)
			if (cx_strcaseeq(tok, priv[i]))
				t = HTTP_RP_PRIVATE;
		for (i = 0; i < CX_ARRAY_LEN(unsafe); i++)
			if (cx_strcaseeq(tok, unsafe[i]))
				t = HTTP_RP_UNSAFE;
		if (cx_strcaseeq(tok, "no-referrer-when-downgrade"))
			t = HTTP_RP_NRWD;
		if (t == HTTP_RP_ABSENT)
			continue; /* unknown tokens are skipped */
		res = t;
		if (token_out != NULL && token_sz > 0)
			snprintf(token_out, token_sz, "%s", tok);
	}
	return res;
}

int http_xcto_valid(const char *value)
{
	const char *s, *e;

	if (value == NULL)
		return 0;
	s = value;
	e = value + strlen(value);
	while (s < e && is_ows(*s))
		s++;
	while (e > s && is_ows(e[-1]))
		e--;
	return (size_t)(e - s) == 7 && cx_strncaseeq(s, "nosniff", 7);
}

int http_corp_parse(const char *value)
{
	char buf[32];
	const char *s, *e;
	size_t n;

	if (value == NULL)
		return 0;
	s = value;
	e = value + strlen(value);
	while (s < e && is_ows(*s))
		s++;
	while (e > s && is_ows(e[-1]))
		e--;
	n = (size_t)(e - s);
	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (cx_strcaseeq(buf, "same-origin"))
		return 1;
	if (cx_strcaseeq(buf, "same-site"))
		return 2;
	if (cx_strcaseeq(buf, "cross-origin"))
		return 3;
	return -1;
}
