/*
 * certexam — network addresses as applicants write them in Annex 5 (the
 * addresses column): several per cell, with ports ("127.0.0.1:5432",
 * "[::1]:443"), labels ("IP: 10.0.0.5", "IPv6:"), interface names
 * ("(eth0)", "ens192"), IPv6 with a zone, CIDR blocks, host names, and
 * words that say "none".  Shared by the loader (scanner/case/annex_lists.c)
 * and the inventory check (checks/inventory.c).  Every token is classified;
 * nothing that looks like an address is dropped: what cannot be read is a
 * CX_INV_BAD token the loader reports with its column.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "certexam/error.h"
#include "certexam/util.h"
#include "inventory.h"

static int is_list_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',' ||
	       c == ';' || c == '|' || c == '(' || c == ')';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_hex(char c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int token_says_none(const char *t, size_t n)
{
	static const char *const none[] = {
	    "-",
	    "\xe2\x80\x93",
	    "\xe2\x80\x94",
	    "none",
	    "n/a",
	    "\xd0\xbd\xd0\xb5\xd1\x82", /* нет */
	    "\xd0\x9d\xd0\xb5\xd1\x82", /* Нет */
	    "\xd0\xb6\xd0\xbe\xd2\x9b", /* жоқ */
	};
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(none); i++)
		if (strlen(none[i]) == n && cx_strncaseeq(t, none[i], n))
			return 1;
	return 0;
}

int cx_inv_addr_next(const char **cursor, const char **tok, size_t *toklen)
{
	const char *p = *cursor, *start;

	if (p == NULL)
		return 0;
	for (;;) {
		while (*p != '\0' && is_list_sep(*p))
			p++;
		if (*p == '\0') {
			*cursor = p;
			return 0;
		}
		start = p;
		while (*p != '\0' && !is_list_sep(*p))
			p++;
		if (!token_says_none(start, (size_t)(p - start)))
			break;
	}
	*cursor = p;
	*tok = start;
	*toklen = (size_t)(p - start);
	return 1;
}

int cx_inv_addr_parse(const char *tok, size_t toklen, struct cx_addr *a,
                      int *prefix)
{
	char buf[64];
	char *slash, *zone;
	long pfx = -1;

	if (toklen == 0 || toklen >= sizeof(buf))
		return CX_EINVAL;
	memcpy(buf, tok, toklen);
	buf[toklen] = '\0';
	slash = strchr(buf, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (slash[1] < '0' || slash[1] > '9' ||
		    cx_parse_long(slash + 1, 0, 128, &pfx))
			return CX_EINVAL;
	}
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, buf, a->b) == 1) {
		a->family = AF_INET;
		if (pfx > 32)
			return CX_EINVAL;
	} else {
		/* A link-local zone ("fe80::1%eth0") names the interface. */
		zone = strchr(buf, '%');
		if (zone != NULL && strchr(buf, ':') != NULL && zone[1] != '\0')
			*zone = '\0';
		if (inet_pton(AF_INET6, buf, a->b) != 1)
			return CX_EINVAL;
		a->family = AF_INET6;
	}
	*prefix = (int)pfx;
	return CX_OK;
}

int cx_inv_addr_in_block(const struct cx_addr *a, const struct cx_addr *base,
                         int prefix)
{
	int i, bits = a->family == AF_INET ? 32 : 128;
	unsigned mask;

	if (a->family != base->family)
		return 0;
	if (prefix < 0 || prefix > bits)
		prefix = bits;
	for (i = 0; i < prefix / 8; i++)
		if (a->b[i] != base->b[i])
			return 0;
	if (prefix % 8) {
		mask = (0xffu << (8 - prefix % 8)) & 0xffu;
		if ((a->b[i] & mask) != (base->b[i] & mask))
			return 0;
	}
	return 1;
}

int cx_inv_addr_is_block(const struct cx_addr *a, int prefix)
{
	int i, bits = a->family == AF_INET ? 32 : 128;
	unsigned mask;

	if (prefix < 0 || prefix >= bits)
		return 0;
	i = prefix / 8;
	if (prefix % 8) {
		mask = 0xffu >> (prefix % 8);
		if (a->b[i] & mask)
			return 0;
		i++;
	}
	for (; i < bits / 8; i++)
		if (a->b[i] != 0)
			return 0;
	return 1;
}

/* ---- free text ---- */

/* ":NNNNN" (1-65535) at s[0..n); the port or -1. */
static int port_at(const char *s, size_t n)
{
	long v = 0;
	size_t i;

	if (n < 2 || n > 6 || s[0] != ':')
		return -1;
	for (i = 1; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= 1 && v <= 65535 ? (int)v : -1;
}

/*
 * A label before ':' ("IP", "IPv4", "адрес", "mgmt"): letters only (ASCII
 * or any non-ASCII byte) with at least one that is not a hex digit, so
 * "fe80::1" is never read as a label.
 */
static size_t label_len(const char *s, size_t n)
{
	size_t i;
	int nonhex = 0;

	for (i = 0; i < n && s[i] != ':'; i++) {
		if ((unsigned char)s[i] >= 0x80 ||
		    (is_alpha(s[i]) && !is_hex(s[i])))
			nonhex = 1;
		else if (!is_alpha(s[i]) && s[i] != '-' && s[i] != '_' &&
		         !is_digit(s[i]))
			return 0;
	}
	if (i == n || i == 0 || !nonhex)
		return 0;
	/* "eth0:" and "IPv4:" are labels; "db.example.kz:5432" is not
	 * (it has a dot, rejected above). */
	return i + 1;
}

/* Letters then digits, with '/', '.', ':' or '-' between digits:
 * eth0, ens192, enp0s3, bond0.100, Gi0/1, vlan10, lo. */
static int is_interface(const char *s, size_t n)
{
	static const char *const names[] = {
	    "lo", "mgmt", "wan", "lan", "dmz", "oob", "ilo", "idrac", "ipmi"};
	size_t i = 0, k;

	for (k = 0; k < CX_ARRAY_LEN(names); k++)
		if (strlen(names[k]) == n && cx_strncaseeq(s, names[k], n))
			return 1;
	while (i < n && is_alpha(s[i]))
		i++;
	if (i == 0 || i > 8 || i == n || !is_digit(s[i]))
		return 0;
	for (; i < n; i++)
		if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '/' &&
		    s[i] != '.' && s[i] != ':' && s[i] != '-')
			return 0;
	/* A dotted name ending in letters is a host name, not an
	 * interface. */
	return memchr(s, '.', n) == NULL || is_digit(s[n - 1]);
}

/* A DNS host name: labels of letters, digits and '-', at least one dot
 * (or "localhost"), the last label not all digits. */
static int is_hostname(const char *s, size_t n)
{
	size_t i, lab = 0, dots = 0;
	int alpha_last = 0;

	if (n == 9 && cx_strncaseeq(s, "localhost", 9))
		return 1;
	if (n == 0 || n > 253)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.') {
			if (lab == 0)
				return 0;
			dots++;
			lab = 0;
			alpha_last = 0;
			continue;
		}
		if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '-')
			return 0;
		if (is_alpha(s[i]))
			alpha_last = 1;
		if (++lab > 63)
			return 0;
	}
	return dots > 0 && lab > 0 && alpha_last;
}

/* Only letters (any script), '-' and '.': a word of commentary. */
static int is_word(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!is_alpha(s[i]) && (unsigned char)s[i] < 0x80 &&
		    s[i] != '-' && s[i] != '.' && s[i] != '"' && s[i] != '\'')
			return 0;
	return 1;
}

static void classify(struct cx_inv_tok *t)
{
	const char *s = t->text;
	size_t n = t->len, l, k;
	const char *close;

	if (cx_inv_addr_parse(s, n, &t->a, &t->prefix) == CX_OK) {
		t->kind = CX_INV_ADDR; /* also "2001:db8::" and "::" */
		t->a_text = s;
		t->a_len = n;
		return;
	}
	while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ':'))
		n--; /* "10.0.0.5." at the end of a sentence; "IP:" */
	if (n < t->len && n > 0 && s[t->len - 1] == ':' &&
	    (label_len(s, t->len) == t->len || is_interface(s, n) ||
	     is_word(s, n))) {
		t->kind = CX_INV_SKIP; /* "IP:", "eth0:", "адрес:" */
		return;
	}
	l = label_len(s, n);
	if (l > 0 && l < n) { /* "IP:10.0.0.5" */
		s += l;
		n -= l;
	}
	t->a_text = s;
	t->a_len = n;
	if (n > 2 && s[0] == '[') { /* "[2001:db8::1]:443" */
		close = memchr(s, ']', n);
		if (close != NULL) {
			k = (size_t)(close - s);
			if (cx_inv_addr_parse(s + 1, k - 1, &t->a,
			                      &t->prefix) == CX_OK &&
			    t->a.family == AF_INET6 &&
			    (k + 1 == n ||
			     (t->port = port_at(close + 1, n - k - 1)) > 0)) {
				t->kind = CX_INV_ADDR;
				t->a_text = s + 1;
				t->a_len = k - 1;
				return;
			}
		}
		t->kind = CX_INV_BAD;
		return;
	}
	if (cx_inv_addr_parse(s, n, &t->a, &t->prefix) == CX_OK) {
		t->kind = CX_INV_ADDR;
		return;
	}
	/* "192.0.2.10:5432" or "db.example.kz:5432": one ':' then a port. */
	close = memchr(s, ':', n);
	if (close != NULL &&
	    memchr(close + 1, ':', n - (size_t)(close - s) - 1) == NULL) {
		k = (size_t)(close - s);
		t->port = port_at(close, n - k);
		if (t->port > 0 &&
		    cx_inv_addr_parse(s, k, &t->a, &t->prefix) == CX_OK &&
		    t->a.family == AF_INET) {
			t->kind = CX_INV_ADDR;
			t->a_len = k;
			return;
		}
		if (t->port > 0 && is_hostname(s, k)) {
			t->kind = CX_INV_HOSTNAME;
			t->a_len = k;
			return;
		}
		t->port = -1;
	}
	if (is_interface(s, n)) {
		t->kind = CX_INV_SKIP;
		return;
	}
	if (is_hostname(s, n)) {
		t->kind = CX_INV_HOSTNAME;
		return;
	}
	if (is_word(s, n)) {
		t->kind = CX_INV_WORD;
		return;
	}
	t->kind = CX_INV_BAD;
}

int cx_inv_addr_scan(const char *cell, const char **cursor,
                     struct cx_inv_tok *t)
{
	const char *tok;
	size_t n;

	if (*cursor == NULL)
		*cursor = cell;
	if (!cx_inv_addr_next(cursor, &tok, &n))
		return 0;
	memset(t, 0, sizeof(*t));
	t->text = tok;
	t->len = n;
	t->off = cell != NULL ? (size_t)(tok - cell) : 0;
	t->prefix = -1;
	t->port = -1;
	classify(t);
	if (t->kind != CX_INV_ADDR)
		t->prefix = -1;
	return 1;
}
