/*
 * certexam — the parser of the cleartext-credentials check: IMAP, POP3
 * and SMTP replies before TLS (RFC 9051 / 3501 CAPABILITY and
 * LOGINDISABLED, RFC 2595 STLS and RFC 2449 CAPA, RFC 5321 EHLO with
 * RFC 4954 AUTH and RFC 3207 STARTTLS), and the verdict on what they
 * offer.  Every function works on (pointer, length), never past it;
 * replies longer than CT_MAX_REPLY are refused.
 */
#include <stdio.h>
#include <string.h>

#include "certexam/util.h"
#include "cleartext.h"

const char *ct_proto_name(enum ct_proto proto)
{
	return proto == CT_IMAP ? "IMAP" : proto == CT_POP3 ? "POP3" : "SMTP";
}

/* Case-insensitive: s[0..n) equals the literal w. */
static int word_is(const char *s, size_t n, const char *w)
{
	return n == strlen(w) && cx_strncaseeq(s, w, n);
}

static int word_prefix(const char *s, size_t n, const char *w)
{
	return n >= strlen(w) && cx_strncaseeq(s, w, strlen(w));
}

/* Append a token as text (printable ASCII only) to caps->offers. */
static void offer(struct ct_caps *c, const char *s, size_t n)
{
	size_t len = strlen(c->offers), i, k;

	if (len + n + 2 >= sizeof(c->offers))
		return;
	/* Once per token (the IMAP greeting and CAPABILITY repeat them). */
	for (i = 0; i + n <= len; i = k + 1) {
		for (k = i; k < len && c->offers[k] != ' '; k++)
			;
		if (k - i == n && memcmp(c->offers + i, s, n) == 0)
			return;
	}
	if (len > 0)
		c->offers[len++] = ' ';
	for (i = 0; i < n; i++)
		c->offers[len++] = (s[i] > 0x20 && s[i] < 0x7f) ? s[i] : '?';
	c->offers[len] = '\0';
}

/* A SASL mechanism name: PLAIN and LOGIN send the password as is. */
static void mech(struct ct_caps *c, const char *s, size_t n)
{
	if (word_is(s, n, "PLAIN"))
		c->plain = 1;
	else if (word_is(s, n, "LOGIN"))
		c->login = 1;
}

/*
 * The capability tokens of one line s[0..n) (separated by spaces; ']'
 * ends an IMAP response code).
 */
static void tokens(enum ct_proto p, const char *s, size_t n, struct ct_caps *c)
{
	size_t i = 0, k, first = 1, sasl = 0, auth = 0;

	while (i < n) {
		while (i < n && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i < n && s[i] == ']')
			return;
		for (k = i; k < n && s[k] != ' ' && s[k] != '\t' && s[k] != ']';
		     k++)
			;
		if (k == i)
			break;
		if (p == CT_IMAP) {
			if (word_is(s + i, k - i, "STARTTLS"))
				c->starttls = 1;
			else if (word_is(s + i, k - i, "LOGINDISABLED"))
				c->logindisabled = 1;
			else if (word_prefix(s + i, k - i, "AUTH=")) {
				mech(c, s + i + 5, k - i - 5);
				if (word_is(s + i + 5, k - i - 5, "PLAIN") ||
				    word_is(s + i + 5, k - i - 5, "LOGIN"))
					offer(c, s + i, k - i);
			}
		} else if (p == CT_POP3) {
			if (first && word_is(s + i, k - i, "STLS"))
				c->starttls = 1;
			else if (first && word_is(s + i, k - i, "USER")) {
				c->user = 1;
				offer(c, s + i, k - i);
			} else if (first && word_is(s + i, k - i, "SASL"))
				sasl = 1;
			else if (sasl) {
				mech(c, s + i, k - i);
				if (word_is(s + i, k - i, "PLAIN") ||
				    word_is(s + i, k - i, "LOGIN")) {
					offer(c, "SASL", 4);
					offer(c, s + i, k - i);
				}
			}
		} else {
			/* SMTP: "AUTH PLAIN LOGIN" or the old "AUTH=PLAIN". */
			if (first && word_is(s + i, k - i, "STARTTLS"))
				c->starttls = 1;
			else if (first &&
			         (word_is(s + i, k - i, "AUTH") ||
			          word_prefix(s + i, k - i, "AUTH="))) {
				auth = 1;
				if (!c->auth)
					offer(c, "AUTH", 4);
				c->auth = 1;
				if (k - i > 5) {
					mech(c, s + i + 5, k - i - 5);
					offer(c, s + i + 5, k - i - 5);
				}
			} else if (auth) {
				mech(c, s + i, k - i);
				offer(c, s + i, k - i);
			}
		}
		first = 0;
		i = k;
	}
}

/* The next line of buf[*pos..len): its start and length without CRLF;
 * 0 when no complete line is left. */
static int next_line(const char *buf, size_t len, size_t *pos,
                     const char **line, size_t *n)
{
	const char *nl;

	if (*pos >= len)
		return 0;
	nl = memchr(buf + *pos, '\n', len - *pos);
	if (nl == NULL)
		return 0;
	*line = buf + *pos;
	*n = (size_t)(nl - *line);
	if (*n > 0 && (*line)[*n - 1] == '\r')
		(*n)--;
	*pos = (size_t)(nl - buf) + 1;
	return 1;
}

/* The IMAP greeting's "[CAPABILITY ...]" response code, if any. */
static void imap_code(const char *s, size_t n, struct ct_caps *c)
{
	size_t i;

	for (i = 0; i + 12 <= n; i++)
		if (s[i] == '[' &&
		    cx_strncaseeq(s + i + 1, "CAPABILITY ", 11)) {
			tokens(CT_IMAP, s + i + 12, n - i - 12, c);
			return;
		}
}

static enum ct_reply imap(enum ct_stage st, const char *buf, size_t len,
                          struct ct_caps *c)
{
	const char *line, *tag = st == CT_CAPS ? "c1 " : "c2 ";
	size_t pos = 0, n;

	while (next_line(buf, len, &pos, &line, &n)) {
		if (st == CT_GREETING) {
			if (word_prefix(line, n, "* OK")) {
				imap_code(line, n, c);
				return CT_OK;
			}
			return word_prefix(line, n, "* BYE") ||
			               word_prefix(line, n, "* PREAUTH")
			           ? CT_NO
			           : CT_BAD;
		}
		if (word_prefix(line, n, "* CAPABILITY ")) {
			if (st == CT_CAPS)
				tokens(CT_IMAP, line + 13, n - 13, c);
			continue;
		}
		if (word_prefix(line, n, "* "))
			continue; /* other untagged data */
		if (word_prefix(line, n, tag)) {
			if (word_prefix(line + 3, n - 3, "OK"))
				return CT_OK;
			if (word_prefix(line + 3, n - 3, "NO") ||
			    word_prefix(line + 3, n - 3, "BAD"))
				return CT_NO;
			return CT_BAD;
		}
		return CT_BAD;
	}
	return CT_MORE;
}

static enum ct_reply pop3(enum ct_stage st, const char *buf, size_t len,
                          struct ct_caps *c)
{
	const char *line;
	size_t pos = 0, n;

	if (!next_line(buf, len, &pos, &line, &n))
		return CT_MORE;
	if (word_prefix(line, n, "-ERR"))
		return CT_NO;
	if (!word_prefix(line, n, "+OK"))
		return CT_BAD;
	if (st != CT_CAPS)
		return CT_OK;
	/* CAPA: a multi-line reply ending in a line holding ".". */
	while (next_line(buf, len, &pos, &line, &n)) {
		if (n == 1 && line[0] == '.')
			return CT_OK;
		tokens(CT_POP3, line, n, c);
	}
	return CT_MORE;
}

static enum ct_reply smtp(enum ct_stage st, const char *buf, size_t len,
                          struct ct_caps *c)
{
	const char *line;
	size_t pos = 0, n, i;
	int first = 1, code;

	while (next_line(buf, len, &pos, &line, &n)) {
		if (n < 3)
			return CT_BAD;
		for (i = 0; i < 3; i++)
			if (line[i] < '0' || line[i] > '9')
				return CT_BAD;
		code = (line[0] - '0') * 100 + (line[1] - '0') * 10 +
		       (line[2] - '0');
		if (n > 3 && line[3] != ' ' && line[3] != '-')
			return CT_BAD;
		/* EHLO: the first line names the server, the rest are
		 * extensions. */
		if (st == CT_CAPS && !first && code == 250 && n > 4)
			tokens(CT_SMTP, line + 4, n - 4, c);
		first = 0;
		if (n > 3 && line[3] == '-')
			continue;
		if (st == CT_GREETING)
			return code == 220 ? CT_OK : CT_NO;
		if (st == CT_CAPS)
			return code == 250 ? CT_OK : CT_NO;
		return code == 220 ? CT_OK : CT_NO;
	}
	return CT_MORE;
}

enum ct_reply ct_parse(enum ct_proto proto, enum ct_stage stage,
                       const char *buf, size_t len, struct ct_caps *caps)
{
	enum ct_reply r;

	if (buf == NULL || caps == NULL)
		return CT_BAD;
	if (proto == CT_IMAP)
		r = imap(stage, buf, len, caps);
	else if (proto == CT_POP3)
		r = pop3(stage, buf, len, caps);
	else
		r = smtp(stage, buf, len, caps);
	if (r == CT_MORE && len >= CT_MAX_REPLY)
		return CT_BAD;
	return r;
}

const char *ct_verdict(enum ct_proto proto, const struct ct_caps *c,
                       int starttls_res, enum cx_status *status)
{
	int login;

	/* IMAP: LOGIN is a base command unless LOGINDISABLED says so. */
	if (proto == CT_IMAP)
		login = !c->logindisabled || c->plain || c->login;
	else if (proto == CT_POP3)
		login = c->user || c->plain || c->login;
	else
		login = c->auth;
	*status = login ? CX_FAIL : CX_PASS;
	if (!login)
		return c->starttls && starttls_res == 1
		           ? "cleartext.pass.after-starttls"
		           : "cleartext.pass.no-login";
	if (!c->starttls)
		return "cleartext.login.no-starttls";
	if (starttls_res == 0)
		return "cleartext.login.starttls-refused";
	return "cleartext.login.before-starttls";
}
