/*
 * certexam — software versions as Annex 6 declares them and as services
 * disclose them, normalised and compared.
 *
 * A version is found in free text ("nginx 1.22.1", "OpenSSH_9.2p1",
 * "nginx/1.22.1", "v2.4.57", "версия 3.7", "Apache/2.4.57 (Debian)"):
 * the product and vendor words before it and a "v" or "ver." are dropped.
 * Then a Debian/RPM epoch ("1:") is set aside, a distribution revision
 * ("-2+deb12u10", or "Debian-2+deb12u3" in a banner's extra) is kept apart
 * from the upstream version, and a series wildcard ("1.22.x", "1.22.*")
 * becomes a prefix.  Upstream versions are compared component by
 * component, case-insensitively; "9.2" against "9.2p1" and "3" against
 * "3.0.3" are less precise than what runs, not a match.
 */
#include <stddef.h>
#include <string.h>

#include "inventory.h"

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alnum(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || (unsigned char)c >= 0x80;
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

static int is_vchar(char c)
{
	return is_alnum(c) || c == '.' || c == ':' || c == '+' || c == '~' ||
	       c == '*' || c == '-' || c == '_';
}

const char *cx_ver_state_name(enum cx_ver_state s)
{
	switch (s) {
	case CX_VER_MATCH:
		return "matches";
	case CX_VER_DIFFERS:
		return "differs";
	case CX_VER_LESS_PRECISE:
		return "declared less precisely than observed";
	case CX_VER_MORE_PRECISE:
		return "declared more precisely than observable";
	case CX_VER_HIDDEN:
		return "version not disclosed by the service";
	case CX_VER_NONE:
		return "no version declared";
	}
	return "?";
}

/* Where the version starts in s, or NULL. */
static const char *version_start(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++) {
		if (!is_digit(*p))
			continue;
		if (p == s || !is_alnum(p[-1]))
			return p;
		/* "v1.2", "V2" after a separator or at the start */
		if ((p[-1] == 'v' || p[-1] == 'V') &&
		    (p - 1 == s || !is_alnum(p[-2])))
			return p;
	}
	/* "php7.4", "OpenSSL1.1.1": the first digit anywhere. */
	for (p = s; *p != '\0'; p++)
		if (is_digit(*p))
			return p;
	return NULL;
}

static void copy_lower(char *dst, size_t dstsz, const char *s, size_t n)
{
	size_t i;

	if (n >= dstsz)
		n = dstsz - 1;
	for (i = 0; i < n; i++)
		dst[i] = lower(s[i]);
	dst[n] = '\0';
}

/* The revision in a banner's extra: "Debian-2+deb12u3" -> "2+deb12u3",
 * "Ubuntu-3ubuntu0.10" -> "3ubuntu0.10"; "" when there is none. */
static void extra_revision(const char *extra, char *out, size_t outsz)
{
	const char *p = extra, *dash;
	size_t n;

	out[0] = '\0';
	if (extra == NULL)
		return;
	while (*p == ' ')
		p++;
	dash = strchr(p, '-');
	if (dash == NULL || dash == p)
		return;
	for (; p < dash; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
			return;
	p = dash + 1;
	for (n = 0; p[n] != '\0' && is_vchar(p[n]); n++)
		;
	copy_lower(out, outsz, p, n);
}

void cx_ver_norm(const char *text, struct cx_ver *v)
{
	const char *p, *q, *e;
	char tok[128], *dash, *colon;
	size_t n;

	memset(v, 0, sizeof(*v));
	v->epoch = -1;
	if (text == NULL)
		return;
	p = version_start(text);
	if (p == NULL)
		return;
	for (n = 0; p[n] != '\0' && is_vchar(p[n]); n++)
		;
	copy_lower(tok, sizeof(tok), p, n);
	/* Trailing dots and dashes: "1.2." */
	n = strlen(tok);
	while (n > 0 && (tok[n - 1] == '.' || tok[n - 1] == '-'))
		tok[--n] = '\0';
	colon = strchr(tok, ':');
	if (colon != NULL && colon > tok) {
		for (q = tok; q < colon && is_digit(*q); q++)
			;
		if (q == colon) {
			v->epoch = 0;
			for (q = tok; q < colon; q++)
				v->epoch = v->epoch * 10 + (*q - '0');
			memmove(tok, colon + 1, strlen(colon + 1) + 1);
		}
	}
	dash = strchr(tok, '-');
	if (dash != NULL) {
		copy_lower(v->revision, sizeof(v->revision), dash + 1,
		           strlen(dash + 1));
		*dash = '\0';
	} else {
		/* "9.2p1 Debian-2+deb12u3" written in one cell */
		e = p + n;
		while (*e == ' ')
			e++;
		extra_revision(e, v->revision, sizeof(v->revision));
	}
	n = strlen(tok);
	/* "1.22.x", "1.22.*", "1.x.x", "1.22x" is not a wildcard */
	while (n >= 2 && tok[n - 2] == '.' &&
	       (tok[n - 1] == 'x' || tok[n - 1] == '*')) {
		v->wildcard = 1;
		n -= 2;
		tok[n] = '\0';
	}
	if (n == 1 && tok[0] == '*')
		n = 0;
	if (n == 0 || !is_digit(tok[0]))
		return;
	copy_lower(v->upstream, sizeof(v->upstream), tok, n);
	v->ok = 1;
}

/* The next '.'-component of s at *pos; its length, 0 at the end. */
static size_t next_comp(const char *s, size_t *pos, const char **c)
{
	size_t n = 0;

	if (s[*pos] == '\0')
		return 0;
	if (s[*pos] == '.' || s[*pos] == '_')
		(*pos)++;
	*c = s + *pos;
	while (s[*pos + n] != '\0' && s[*pos + n] != '.' && s[*pos + n] != '_')
		n++;
	*pos += n;
	return n;
}

enum cx_ver_state cx_ver_compare(const char *declared, const char *observed,
                                 const char *observed_extra)
{
	struct cx_ver d, o;
	size_t dp = 0, op = 0, dn, on;
	const char *dc = NULL, *oc = NULL;

	cx_ver_norm(declared, &d);
	cx_ver_norm(observed, &o);
	if (!d.ok)
		return CX_VER_NONE;
	if (!o.ok)
		return CX_VER_HIDDEN;
	if (o.revision[0] == '\0')
		extra_revision(observed_extra, o.revision, sizeof(o.revision));
	for (;;) {
		dn = next_comp(d.upstream, &dp, &dc);
		on = next_comp(o.upstream, &op, &oc);
		if (dn == 0 && on == 0)
			break;
		if (dn == 0) /* declared ended first: "3" for 3.0.3 */
			return d.wildcard ? CX_VER_MATCH : CX_VER_LESS_PRECISE;
		if (on == 0) /* observed ended first: "Apache/2.4" */
			return CX_VER_MORE_PRECISE;
		if (dn == on && memcmp(dc, oc, dn) == 0)
			continue;
		/* "2" against "2p1": the declared part stops at a digit where
		 * the observed goes on with letters. */
		if (dn < on && memcmp(dc, oc, dn) == 0 &&
		    is_digit(dc[dn - 1]) && !is_digit(oc[dn]) &&
		    d.upstream[dp] == '\0')
			return d.wildcard ? CX_VER_MATCH : CX_VER_LESS_PRECISE;
		if (on < dn && memcmp(dc, oc, on) == 0 &&
		    is_digit(oc[on - 1]) && !is_digit(dc[on]) &&
		    o.upstream[op] == '\0')
			return CX_VER_MORE_PRECISE;
		return CX_VER_DIFFERS;
	}
	if (d.revision[0] == '\0')
		return CX_VER_MATCH;
	if (o.revision[0] == '\0')
		return CX_VER_MORE_PRECISE;
	return strcmp(d.revision, o.revision) == 0 ? CX_VER_MATCH
	                                           : CX_VER_DIFFERS;
}
