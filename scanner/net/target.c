/*
 * certexam — targets and scope: addresses, blocks, lazy iteration (the
 * port sets are in portset.c).
 *
 * A scope is a list of included blocks [first, last] and a list of
 * excluded ones.  Addresses are compared as 128-bit big-endian numbers
 * (IPv4 uses the first 4 bytes), so a block of any size costs two
 * addresses and iteration never materialises it.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "certexam/error.h"
#include "certexam/escape.h"
#include "certexam/target.h"
#include "certexam/util.h"
#include "target_int.h"

#define ENTRY_MAX 2048 /* longest scope entry accepted */

static size_t addr_len(const struct cx_addr *a)
{
	return a->family == AF_INET ? 4 : 16;
}

void cx_addr_str(const struct cx_addr *a, char *out, size_t outsz)
{
	char tmp[INET6_ADDRSTRLEN];

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (a == NULL || (a->family != AF_INET && a->family != AF_INET6))
		return;
	if (inet_ntop(a->family, a->b, tmp, sizeof(tmp)) == NULL)
		return;
	snprintf(out, outsz, "%s", tmp);
}

int cx_addr_parse(const char *s, struct cx_addr *out)
{
	struct cx_addr a;

	memset(&a, 0, sizeof(a));
	if (s == NULL || out == NULL)
		return CX_EINVAL;
	if (inet_pton(AF_INET, s, a.b) == 1) {
		a.family = AF_INET;
	} else if (inet_pton(AF_INET6, s, a.b) == 1) {
		a.family = AF_INET6;
	} else {
		return CX_EINVAL;
	}
	*out = a;
	return CX_OK;
}

int cx_addr_cmp(const struct cx_addr *a, const struct cx_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->b, b->b, addr_len(a));
}

uint32_t cx_addr_hash(const struct cx_addr *a)
{
	size_t n = addr_len(a), i;
	uint32_t h = 2166136261u; /* FNV-1a */

	for (i = 0; i < n; i++)
		h = (h ^ a->b[i]) * 16777619u;
	return h;
}

int cx_addr_eq(const struct cx_addr *a, const struct cx_addr *b)
{
	return cx_addr_cmp(a, b) == 0;
}

/* a += 1; returns 1 on wrap-around (a was the last address). */
static int addr_inc(struct cx_addr *a)
{
	size_t i = addr_len(a);

	while (i > 0) {
		i--;
		if (++a->b[i] != 0)
			return 0;
	}
	return 1;
}

/*
 * last - first + 1 as a 17-byte big-endian number (2^128 fits); first <=
 * last, same family.
 */
static void addr_span_wide(const struct cx_addr *first,
                           const struct cx_addr *last, uint8_t out[17])
{
	size_t n = addr_len(first), i;
	int borrow = 0, carry = 1, v;

	memset(out, 0, 17);
	for (i = n; i > 0; i--) {
		v = (int)last->b[i - 1] - (int)first->b[i - 1] - borrow;
		borrow = v < 0;
		out[17 - n + i - 1] = (uint8_t)(v < 0 ? v + 256 : v);
	}
	for (i = 17; i > 0 && carry; i--) {
		v = out[i - 1] + carry;
		carry = v > 255;
		out[i - 1] = (uint8_t)v;
	}
}

/* a -= b for 17-byte big-endian numbers, b <= a. */
static void wide_sub(uint8_t a[17], const uint8_t b[17])
{
	size_t i;
	int borrow = 0, v;

	for (i = 17; i > 0; i--) {
		v = (int)a[i - 1] - (int)b[i - 1] - borrow;
		borrow = v < 0;
		a[i - 1] = (uint8_t)(v < 0 ? v + 256 : v);
	}
}

/* The value, saturating at UINT64_MAX. */
static uint64_t wide_u64(const uint8_t a[17])
{
	uint64_t r = 0;
	size_t i;

	for (i = 0; i < 9; i++)
		if (a[i] != 0)
			return UINT64_MAX;
	for (i = 9; i < 17; i++)
		r = (r << 8) | a[i];
	return r;
}

static int block_has(const struct cx_block *blk, const struct cx_addr *a)
{
	return blk->first.family == a->family &&
	       cx_addr_cmp(&blk->first, a) <= 0 &&
	       cx_addr_cmp(a, &blk->last) <= 0;
}

/* Blocks */

static void block_clear(struct cx_block *b)
{
	free(b->origin);
	free(b->hostname);
	b->origin = NULL;
	b->hostname = NULL;
}

static int push_block(struct cx_scope *s, int exclude,
                      const struct cx_addr *first, const struct cx_addr *last,
                      const char *origin, const char *hostname)
{
	struct cx_block **arr = exclude ? &s->excluded : &s->blocks;
	size_t *n = exclude ? &s->n_excluded : &s->n_blocks;
	size_t *cap = exclude ? &s->cap_excluded : &s->cap_blocks;
	struct cx_block b;

	memset(&b, 0, sizeof(b));
	b.first = *first;
	b.last = *last;
	b.origin = cx_strdup(origin);
	b.hostname = cx_strdup(hostname);
	if (b.origin == NULL || (hostname != NULL && b.hostname == NULL))
		goto nomem;
	if (cx_grow(arr, cap, *n + 1, sizeof(**arr)))
		goto nomem;
	(*arr)[(*n)++] = b;
	return CX_OK;
nomem:
	block_clear(&b);
	return CX_ENOMEM;
}

static int push_str(char ***arr, size_t *n, size_t *cap, const char *str)
{
	size_t i;
	char *c;

	for (i = 0; i < *n; i++)
		if (strcmp((*arr)[i], str) == 0)
			return CX_OK;
	c = cx_strdup(str);
	if (c == NULL)
		return CX_ENOMEM;
	if (cx_grow(arr, cap, *n + 1, sizeof(**arr))) {
		free(c);
		return CX_ENOMEM;
	}
	(*arr)[(*n)++] = c;
	return CX_OK;
}

/* Entry parsing */

struct entry_ctx {
	struct cx_scope *s;
	int exclude;
	struct cx_diags *diags;
	const char *file;
	long line;
	const char *entry; /* the entry as given (trimmed) */
	int url_port;      /* a URL entry's port, 0 for any other entry */
};

/*
 * The entry as it may be shown: at most 200 bytes, control characters
 * and invalid UTF-8 made visible (a submitted file is hostile).  Caller
 * frees; NULL on ENOMEM.
 */
static char *shown(const char *entry)
{
	size_t n = strlen(entry);

	return cx_text_from_bytes(entry, n > 200 ? 200 : n);
}

static int bad(const struct entry_ctx *c, const char *why)
{
	char *e;

	if (c->diags == NULL)
		return CX_EINVAL;
	e = shown(c->entry);
	cx_diag_add(c->diags, c->file, c->line, "scope",
	            "bad scope entry '%s%s': %s", e ? e : "?",
	            strlen(c->entry) > 200 ? "..." : "", why);
	free(e);
	return CX_EINVAL;
}

/* Explain why a dotted-quad does not parse (bad octet, wrong count). */
static const char *ipv4_problem(const char *s)
{
	int parts = 0, digits = 0;
	long v = 0;

	for (;; s++) {
		if (*s >= '0' && *s <= '9') {
			if (++digits > 3)
				return "an octet has too many digits";
			v = v * 10 + (*s - '0');
			continue;
		}
		if (*s != '.' && *s != '\0')
			return "not an IPv4 address";
		if (digits == 0)
			return "empty octet";
		if (v > 255)
			return "octet greater than 255";
		parts++;
		digits = 0;
		v = 0;
		if (*s == '\0')
			break;
	}
	if (parts != 4)
		return "an IPv4 address needs four octets";
	return "not an IPv4 address";
}

/* 1 if s looks like an attempt at a numeric IPv4 address. */
static int looks_ipv4(const char *s)
{
	const char *p;
	int dots = 0;

	for (p = s; *p != '\0'; p++) {
		if (*p == '.')
			dots++;
		else if (!isdigit((unsigned char)*p))
			return 0;
	}
	return dots > 0 || p != s;
}

static void mask_prefix(struct cx_addr *first, struct cx_addr *last,
                        long prefix)
{
	size_t n = addr_len(first), i;
	long bits;

	for (i = 0; i < n; i++) {
		bits = prefix - (long)i * 8;
		if (bits >= 8)
			continue;
		if (bits <= 0) {
			first->b[i] = 0;
			last->b[i] = 0xff;
		} else {
			uint8_t m = (uint8_t)(0xff << (8 - bits));
			first->b[i] &= m;
			last->b[i] = (uint8_t)(first->b[i] | (uint8_t)~m);
		}
	}
}

static int add_cidr(const struct entry_ctx *c, char *text, char *slash)
{
	struct cx_addr first, last;
	long prefix;

	*slash = '\0';
	if (cx_addr_parse(text, &first) != 0) {
		if (looks_ipv4(text))
			return bad(c, ipv4_problem(text));
		return bad(c, "not an address before '/'");
	}
	if (cx_parse_long(slash + 1, 0, first.family == AF_INET ? 32 : 128,
	                  &prefix) != 0)
		return bad(c, first.family == AF_INET
		                  ? "prefix must be a number from 0 to 32"
		                  : "prefix must be a number from 0 to 128");
	last = first;
	mask_prefix(&first, &last, prefix);
	return push_block(c->s, c->exclude, &first, &last, c->entry, NULL);
}

static int add_range(const struct entry_ctx *c, char *text, char *dash)
{
	struct cx_addr first, last;
	long v;
	char *right = dash + 1;

	*dash = '\0';
	cx_trim(text);
	cx_trim(right);
	if (cx_addr_parse(text, &first) != 0) {
		if (looks_ipv4(text))
			return bad(c, ipv4_problem(text));
		return bad(c, "not an address before '-'");
	}
	last = first;
	if (first.family == AF_INET && strchr(right, '.') == NULL &&
	    strchr(right, ':') == NULL) {
		if (cx_parse_long(right, 0, 255, &v) != 0)
			return bad(c, "range end must be an octet from 0 to "
			              "255 or a full address");
		last.b[3] = (uint8_t)v;
	} else if (cx_addr_parse(right, &last) != 0) {
		if (looks_ipv4(right))
			return bad(c, ipv4_problem(right));
		return bad(c, "range end is not an address");
	}
	if (last.family != first.family)
		return bad(c, "range mixes IPv4 and IPv6");
	if (cx_addr_cmp(&first, &last) > 0)
		return bad(c, "range end is below its start");
	return push_block(c->s, c->exclude, &first, &last, c->entry, NULL);
}

/* Letters, digits, '-', '_' and dots; labels 1-63; at most 253 chars. */
static const char *hostname_problem(const char *h)
{
	size_t len = strlen(h), label = 0;
	const char *p, *last_label = h;

	if (len == 0)
		return "empty host name";
	if (h[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return "host name length must be 1 to 253 characters";
	for (p = h; p < h + len; p++) {
		if (*p == '.') {
			if (label == 0)
				return "empty label in host name";
			label = 0;
			last_label = p + 1;
			continue;
		}
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return "invalid character in host name";
		if (label == 0 && *p == '-')
			return "host name label starts with '-'";
		if (++label > 63)
			return "host name label longer than 63 characters";
	}
	if (label == 0)
		return "empty label in host name";
	/* A numeric last label means a mistyped address, not a name. */
	for (p = last_label; p < h + len; p++)
		if (!isdigit((unsigned char)*p))
			break;
	if (p == h + len)
		return looks_ipv4(h) ? ipv4_problem(h) : "not an address";
	if (len > 2 && last_label[0] == '0' &&
	    (last_label[1] == 'x' || last_label[1] == 'X'))
		return "not an address";
	return NULL;
}

static int add_name(const struct entry_ctx *c, const char *host)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct cx_addr a, prev[64];
	size_t n_prev = 0, i;
	const char *why;
	int rc, gai;

	why = hostname_problem(host);
	if (why != NULL)
		return bad(c, why);
	/* Resolved once: a name already in the scope keeps its addresses. */
	for (i = 0, gai = 0; i < c->s->n_blocks; i++) {
		struct cx_block *blk = &c->s->blocks[i];
		if (blk->hostname == NULL || strcmp(blk->hostname, host) != 0)
			continue;
		gai = 1;
		/* Declared again as a host entry or by a URL on another
		 * port: the name is served on every port. */
		if (!c->exclude && blk->name_port != c->url_port)
			blk->name_port = 0;
		if (!c->exclude)
			continue;
		rc = push_block(c->s, 1, &blk->first, &blk->last, c->entry,
		                host);
		if (rc != 0)
			return rc;
	}
	if (gai)
		return CX_OK;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	gai = getaddrinfo(host, NULL, &hints, &res);
	if (gai != 0 || res == NULL) {
		if (c->diags != NULL) {
			char *e = shown(c->entry);
			cx_diag_add(c->diags, c->file, c->line, "scope",
			            "scope entry '%s': host name '%.253s' "
			            "does not resolve (%s)",
			            e ? e : "?", host, gai_strerror(gai));
			free(e);
		}
		if (res != NULL)
			freeaddrinfo(res);
		return CX_ERESOLVE;
	}
	rc = CX_OK;
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		memset(&a, 0, sizeof(a));
		if (ai->ai_family == AF_INET &&
		    ai->ai_addrlen >= sizeof(struct sockaddr_in)) {
			const struct sockaddr_in *sin =
			    (const void *)ai->ai_addr;
			a.family = AF_INET;
			memcpy(a.b, &sin->sin_addr, 4);
		} else if (ai->ai_family == AF_INET6 &&
		           ai->ai_addrlen >= sizeof(struct sockaddr_in6)) {
			const struct sockaddr_in6 *sin6 =
			    (const void *)ai->ai_addr;
			a.family = AF_INET6;
			memcpy(a.b, &sin6->sin6_addr, 16);
		} else {
			continue;
		}
		for (i = 0; i < n_prev; i++)
			if (cx_addr_cmp(&prev[i], &a) == 0)
				break;
		if (i < n_prev)
			continue;
		if (n_prev < CX_ARRAY_LEN(prev))
			prev[n_prev++] = a;
		rc = push_block(c->s, c->exclude, &a, &a, c->entry, host);
		if (rc != 0)
			goto out;
	}
	if (!c->exclude)
		rc = push_str(&c->s->hostnames, &c->s->n_hostnames,
		              &c->s->cap_hostnames, host);
out:
	freeaddrinfo(res);
	return rc;
}

/* A host that is a numeric address or a name. */
static int add_host(const struct entry_ctx *c, char *host)
{
	struct cx_addr a;
	char *p;

	if (cx_addr_parse(host, &a) == 0)
		return push_block(c->s, c->exclude, &a, &a, c->entry, NULL);
	if (strchr(host, '%') != NULL)
		return bad(c, "IPv6 zone ids (link-local addresses) are not "
		              "supported");
	if (host[0] == '[')
		return bad(c, "brackets are only for IPv6 addresses in URLs");
	if (strchr(host, ':') != NULL &&
	    strchr(host, ':') == strrchr(host, ':'))
		return bad(c, "a port is not part of a scope entry (use a URL, "
		              "e.g. https://host:8443/)");
	if (strchr(host, ':') != NULL)
		return bad(c, "not an IPv6 address");
	/* Host names are case-insensitive: keep them in lower case. */
	for (p = host; *p != '\0'; p++)
		*p = (char)tolower((unsigned char)*p);
	return add_name(c, host);
}

static int add_url(const struct entry_ctx *c, char *text, char *sep)
{
	char *p, *auth = sep + 3, *end, *host, *colon, *at;
	long port = 0;
	struct entry_ctx uc;
	size_t first, i;
	int rc;

	for (p = text; p < sep; p++)
		if (!isalnum((unsigned char)*p) && *p != '+' && *p != '-' &&
		    *p != '.')
			return bad(c, "invalid URL scheme");
	if (p == text || !isalpha((unsigned char)text[0]))
		return bad(c, "invalid URL scheme");
	end = auth + strcspn(auth, "/?#");
	if (end == auth)
		return bad(c, "URL has no host");
	for (p = text; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return bad(c, "URL contains spaces or control "
			              "characters");
	*end = '\0';
	at = strrchr(auth, '@');
	host = at != NULL ? at + 1 : auth;
	if (*host == '[') {
		char *rb = strchr(host, ']');
		if (rb == NULL)
			return bad(c, "unterminated '[' in URL host");
		*rb = '\0';
		colon = rb[1] == ':' ? rb + 1 : NULL;
		if (rb[1] != '\0' && colon == NULL)
			return bad(c, "garbage after ']' in URL host");
		host++;
		if (cx_addr_parse(host, &(struct cx_addr){0}) != 0 ||
		    strchr(host, ':') == NULL)
			return bad(c, "bracketed URL host is not an IPv6 "
			              "address");
	} else {
		colon = strchr(host, ':');
		if (colon != NULL)
			*colon = '\0';
	}
	if (colon != NULL) {
		if (cx_parse_long(colon + 1, 1, 65535, &port) != 0)
			return bad(c, "URL port must be a number from 1 to "
			              "65535");
	}
	if (*host == '\0')
		return bad(c, "URL has no host");
	if (colon == NULL) {
		size_t k = (size_t)(sep - text);

		port = k == 5 && cx_strncaseeq(text, "https", 5)  ? 443
		       : k == 4 && cx_strncaseeq(text, "http", 4) ? 80
		                                                  : 0;
	}
	first = c->s->n_blocks;
	uc = *c;
	uc.url_port = (int)port;
	rc = add_host(&uc, host);
	if (rc != 0)
		return rc;
	/* The URL's name is served on the URL's port, not on every port
	 * of its address (a host entry's name is). */
	for (i = first; !c->exclude && i < c->s->n_blocks; i++)
		c->s->blocks[i].name_port = (int)port;
	if (!c->exclude)
		rc = push_str(&c->s->urls, &c->s->n_urls, &c->s->cap_urls,
		              c->entry);
	return rc;
}

int cx_scope_add(struct cx_scope *s, const char *entry, int exclude,
                 struct cx_diags *diags, const char *file, long line)
{
	struct entry_ctx c;
	char *copy = NULL, *work = NULL, *p;
	int rc;

	if (s == NULL || entry == NULL)
		return CX_EINVAL;
	copy = cx_strdup(entry);
	if (copy == NULL)
		return CX_ENOMEM;
	cx_trim(copy);
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.exclude = exclude;
	c.diags = diags;
	c.file = file;
	c.line = line;
	c.entry = copy;
	if (copy[0] == '\0') {
		rc = bad(&c, "empty entry");
		goto out;
	}
	if (strlen(copy) > ENTRY_MAX) {
		rc = bad(&c, "entry too long");
		goto out;
	}
	work = cx_strdup(copy);
	if (work == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	p = strstr(work, "://");
	if (p != NULL) {
		rc = add_url(&c, work, p);
		goto out;
	}
	for (p = work; *p != '\0'; p++) {
		if ((unsigned char)*p <= 0x20 || *p == 0x7f) {
			rc = bad(&c, "contains spaces or control characters");
			goto out;
		}
	}
	p = strchr(work, '/');
	if (p != NULL) {
		rc = add_cidr(&c, work, p);
		goto out;
	}
	p = strchr(work, '-');
	if (p != NULL) {
		struct cx_addr tmp;
		char save = *p;

		*p = '\0';
		if (cx_addr_parse(work, &tmp) == 0 || looks_ipv4(work)) {
			rc = add_range(&c, work, p);
			goto out;
		}
		*p = save;
	}
	rc = add_host(&c, work);
out:
	free(work);
	free(copy);
	return rc;
}

int cx_scope_contains(const struct cx_scope *s, const struct cx_addr *a)
{
	size_t i;
	int in = 0;

	if (s == NULL || a == NULL)
		return 0;
	for (i = 0; i < s->n_blocks && !in; i++)
		in = block_has(&s->blocks[i], a);
	if (!in)
		return 0;
	for (i = 0; i < s->n_excluded; i++)
		if (block_has(&s->excluded[i], a))
			return 0;
	return 1;
}

/* Size: merge the included intervals, subtract the excluded ones. */

static int block_order(const void *pa, const void *pb)
{
	const struct cx_block *a = pa, *b = pb;

	return cx_addr_cmp(&a->first, &b->first);
}

int cx_blocks_merge(const struct cx_block *in, size_t n, struct cx_block **out,
                    size_t *n_out)
{
	struct cx_block *v;
	size_t i, k = 0;
	struct cx_addr next;

	*out = NULL;
	*n_out = 0;
	if (n == 0)
		return CX_OK;
	v = malloc(n * sizeof(*v));
	if (v == NULL)
		return CX_ENOMEM;
	memcpy(v, in, n * sizeof(*v));
	qsort(v, n, sizeof(*v), block_order);
	for (i = 1; i < n; i++) {
		next = v[k].last;
		if (v[i].first.family == v[k].first.family &&
		    (addr_inc(&next) || cx_addr_cmp(&v[i].first, &next) <= 0)) {
			if (cx_addr_cmp(&v[i].last, &v[k].last) > 0)
				v[k].last = v[i].last;
			continue;
		}
		v[++k] = v[i];
	}
	*out = v;
	*n_out = k + 1;
	return CX_OK;
}

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

uint64_t cx_scope_size(const struct cx_scope *s)
{
	struct cx_block *inc = NULL, *exc = NULL;
	size_t ni = 0, ne = 0, i, j;
	uint64_t total = 0;
	uint8_t span[17], cut[17];

	if (s == NULL)
		return 0;
	if (cx_blocks_merge(s->blocks, s->n_blocks, &inc, &ni) != 0 ||
	    cx_blocks_merge(s->excluded, s->n_excluded, &exc, &ne) != 0) {
		free(inc);
		free(exc);
		return UINT64_MAX;
	}
	/* Exact (128-bit) arithmetic, so that a huge block minus an
	 * exclusion that covers most of it is counted right. */
	for (i = 0; i < ni; i++) {
		addr_span_wide(&inc[i].first, &inc[i].last, span);
		for (j = 0; j < ne; j++) {
			struct cx_addr lo, hi;

			if (exc[j].first.family != inc[i].first.family)
				continue;
			lo = cx_addr_cmp(&exc[j].first, &inc[i].first) > 0
			         ? exc[j].first
			         : inc[i].first;
			hi = cx_addr_cmp(&exc[j].last, &inc[i].last) < 0
			         ? exc[j].last
			         : inc[i].last;
			if (cx_addr_cmp(&lo, &hi) <= 0) {
				addr_span_wide(&lo, &hi, cut);
				wide_sub(span, cut);
			}
		}
		total = sat_add(total, wide_u64(span));
	}
	free(inc);
	free(exc);
	return total;
}

void cx_scope_free(struct cx_scope *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n_blocks; i++)
		block_clear(&s->blocks[i]);
	for (i = 0; i < s->n_excluded; i++)
		block_clear(&s->excluded[i]);
	for (i = 0; i < s->n_hostnames; i++)
		free(s->hostnames[i]);
	for (i = 0; i < s->n_urls; i++)
		free(s->urls[i]);
	free(s->blocks);
	free(s->excluded);
	free(s->hostnames);
	free(s->urls);
	memset(s, 0, sizeof(*s));
}

/* Iteration */

void cx_target_iter_init(struct cx_target_iter *it, const struct cx_scope *s)
{
	memset(it, 0, sizeof(*it));
	it->scope = s;
}

/*
 * If a is inside an excluded block or an earlier included block (already
 * iterated), move it past that block.  Returns 1 when a moved, 2 when it
 * ran off the end of the address space, 0 when a is fine.
 */
static int skip_seen(const struct cx_scope *s, size_t block, struct cx_addr *a)
{
	size_t i;

	for (i = 0; i < s->n_excluded; i++) {
		if (block_has(&s->excluded[i], a)) {
			*a = s->excluded[i].last;
			return addr_inc(a) ? 2 : 1;
		}
	}
	for (i = 0; i < block; i++) {
		if (block_has(&s->blocks[i], a)) {
			*a = s->blocks[i].last;
			return addr_inc(a) ? 2 : 1;
		}
	}
	return 0;
}

int cx_target_next(struct cx_target_iter *it, struct cx_addr *out)
{
	const struct cx_scope *s = it->scope;
	const struct cx_block *blk;
	int r;

	if (s == NULL)
		return 0;
	while (it->block < s->n_blocks) {
		blk = &s->blocks[it->block];
		if (!it->started) {
			it->next = blk->first;
			it->started = 1;
		}
		for (;;) {
			if (cx_addr_cmp(&it->next, &blk->last) > 0)
				break;
			r = skip_seen(s, it->block, &it->next);
			if (r == 2)
				break;
			if (r == 1)
				continue;
			*out = it->next;
			if (addr_inc(&it->next)) {
				/* The block ends at the top of the space. */
				it->block++;
				it->started = 0;
			}
			return 1;
		}
		it->block++;
		it->started = 0;
	}
	return 0;
}
