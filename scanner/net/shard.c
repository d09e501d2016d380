/*
 * certexam — shards of a scope (--shard i/n): a deterministic split of
 * the in-scope addresses into n parts, so that a large scope runs as a
 * job array (a Slurm array, a Kubernetes Indexed Job) and the parts are
 * merged afterwards (certexam merge).
 *
 * The in-scope addresses, in address order (IPv4 before IPv6, excluded
 * addresses left out, overlapping entries counted once), are numbered
 * 0 .. N-1; shard i holds the numbers floor(i*N/n) .. floor((i+1)*N/n)-1.
 * So every address is in exactly one shard and the shards differ in size
 * by one address at most.  The shard is one address interval [lo, hi]:
 * the scope's blocks are clipped to it, which keeps the scope a list of
 * blocks (nothing is materialised; the cost is linear in the number of
 * scope entries, sorting aside).  URLs and declared host names go to the
 * shard of the address their host is reached at (the first in-scope
 * block of the name, as the HTTP check picks it); those outside the
 * scope go to shard 0, so that each is reported once.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "certexam/error.h"
#include "certexam/target.h"
#include "certexam/util.h"
#include "target_int.h"

static size_t alen(const struct cx_addr *a)
{
	return a->family == AF_INET ? 4 : 16;
}

/* a += 1; 1 on wrap-around. */
static int a_inc(struct cx_addr *a)
{
	size_t i = alen(a);

	while (i > 0)
		if (++a->b[--i] != 0)
			return 0;
	return 1;
}

/* a -= 1 (a is not the first address of its family). */
static void a_dec(struct cx_addr *a)
{
	size_t i = alen(a);

	while (i > 0)
		if (a->b[--i]-- != 0)
			return;
}

/* a += k; the caller knows the result stays inside a's family. */
static void a_add(struct cx_addr *a, uint64_t k)
{
	size_t i = alen(a);
	unsigned carry = 0;

	while (i > 0 && (k != 0 || carry != 0)) {
		unsigned v = a->b[--i] + (unsigned)(k & 0xff) + carry;
		a->b[i] = (uint8_t)v;
		carry = v >> 8;
		k >>= 8;
	}
}

/* last - first + 1, or 0 when it does not fit in 64 bits. */
static uint64_t span(const struct cx_addr *first, const struct cx_addr *last)
{
	size_t n = alen(first), i;
	uint8_t d[16];
	int borrow = 0, v;
	uint64_t r = 0;

	for (i = n; i > 0; i--) {
		v = (int)last->b[i - 1] - (int)first->b[i - 1] - borrow;
		borrow = v < 0;
		d[i - 1] = (uint8_t)(v < 0 ? v + 256 : v);
	}
	for (i = 0; i + 8 < n; i++)
		if (d[i] != 0)
			return 0;
	for (i = n > 8 ? n - 8 : 0; i < n; i++)
		r = (r << 8) | d[i];
	return r == UINT64_MAX ? 0 : r + 1;
}

/*
 * The in-scope addresses as sorted disjoint intervals: the included
 * ones minus the excluded ones, in one sweep over both sorted lists.
 */
static int in_scope_ivals(const struct cx_scope *s, struct cx_block **out,
                          size_t *n_out)
{
	struct cx_block *inc = NULL, *exc = NULL, *v = NULL, cur;
	size_t ni = 0, ne = 0, i, j = 0, n = 0;
	int rc;

	*out = NULL;
	*n_out = 0;
	rc = cx_blocks_merge(s->blocks, s->n_blocks, &inc, &ni);
	if (rc == CX_OK)
		rc = cx_blocks_merge(s->excluded, s->n_excluded, &exc, &ne);
	if (rc == CX_OK && ni > 0) {
		v = calloc(ni + ne, sizeof(*v));
		if (v == NULL)
			rc = CX_ENOMEM;
	}
	for (i = 0; rc == CX_OK && i < ni; i++) {
		int alive = 1;

		cur = inc[i];
		/* Exclusions wholly before cur are done with. */
		while (j < ne && cx_addr_cmp(&exc[j].last, &cur.first) < 0)
			j++;
		for (size_t k = j; k < ne && alive; k++) {
			const struct cx_block *x = &exc[k];
			if (cx_addr_cmp(&x->first, &cur.last) > 0)
				break;
			if (cx_addr_cmp(&x->first, &cur.first) > 0) {
				/* The part before the exclusion stays. */
				v[n].first = cur.first;
				v[n].last = x->first;
				a_dec(&v[n].last);
				n++;
			}
			if (cx_addr_cmp(&x->last, &cur.last) >= 0) {
				alive = 0;
			} else {
				cur.first = x->last;
				a_inc(&cur.first);
			}
		}
		if (alive)
			v[n++] = cur;
	}
	free(inc);
	free(exc);
	if (rc != CX_OK) {
		free(v);
		return rc;
	}
	*out = v;
	*n_out = n;
	return CX_OK;
}

int cx_shard_parse(const char *s, unsigned *i, unsigned *n)
{
	const char *slash;
	char num[16];
	long vi, vn;
	size_t len;

	if (s == NULL || (slash = strchr(s, '/')) == NULL)
		return CX_EINVAL;
	len = (size_t)(slash - s);
	if (len == 0 || len >= sizeof(num))
		return CX_EINVAL;
	memcpy(num, s, len);
	num[len] = '\0';
	if (cx_parse_long(num, 0, CX_SHARD_MAX - 1, &vi) ||
	    cx_parse_long(slash + 1, 1, CX_SHARD_MAX, &vn) || vi >= vn)
		return CX_EINVAL;
	*i = (unsigned)vi;
	*n = (unsigned)vn;
	return CX_OK;
}

/* The k-th in-scope address (k < the total). */
static struct cx_addr nth(const struct cx_block *v, size_t n, uint64_t k)
{
	struct cx_addr a = v[0].first;
	size_t i;

	for (i = 0; i < n; i++) {
		uint64_t sz = span(&v[i].first, &v[i].last);
		if (k < sz) {
			a = v[i].first;
			a_add(&a, k);
			return a;
		}
		k -= sz;
	}
	return a;
}

static int inside(const struct cx_addr *a, const struct cx_addr *lo,
                  const struct cx_addr *hi)
{
	return cx_addr_cmp(a, lo) >= 0 && cx_addr_cmp(a, hi) <= 0;
}

/*
 * The host of a URL ("https://user@[::1]:8443/x" -> "::1"), lower case,
 * into out; 0 when there is none.
 */
static int url_host(const char *url, char *out, size_t outsz)
{
	const char *p = strstr(url, "://"), *end, *at;
	size_t len, i;

	if (p == NULL)
		return 0;
	p += 3;
	end = p + strcspn(p, "/?#");
	for (at = p; at < end; at++)
		if (*at == '@')
			p = at + 1;
	if (*p == '[') {
		const char *rb = memchr(p, ']', (size_t)(end - p));
		if (rb == NULL)
			return 0;
		p++;
		end = rb;
	} else {
		const char *colon = memchr(p, ':', (size_t)(end - p));
		if (colon != NULL)
			end = colon;
	}
	len = (size_t)(end - p);
	if (len == 0 || len >= outsz)
		return 0;
	for (i = 0; i < len; i++)
		out[i] = (char)tolower((unsigned char)p[i]);
	out[len] = '\0';
	return 1;
}

/* The address a host (numeric or a name of the scope) is reached at. */
static int host_addr(const struct cx_scope *s, const char *host,
                     struct cx_addr *out)
{
	size_t i;

	if (cx_addr_parse(host, out) == CX_OK)
		return cx_scope_contains(s, out);
	for (i = 0; i < s->n_blocks; i++) {
		const struct cx_block *b = &s->blocks[i];
		if (b->hostname != NULL && cx_strcaseeq(b->hostname, host) &&
		    cx_scope_contains(s, &b->first)) {
			*out = b->first;
			return 1;
		}
	}
	return 0;
}

/* Keep the names (URLs when urls) that belong to this shard. */
static void keep_names(const struct cx_scope *s, char **v, size_t *n, int urls,
                       unsigned idx, int empty, const struct cx_addr *lo,
                       const struct cx_addr *hi)
{
	char host[256];
	struct cx_addr a;
	size_t i, k = 0;
	int mine;

	for (i = 0; i < *n; i++) {
		if (urls && !url_host(v[i], host, sizeof(host)))
			mine = idx == 0;
		else if (host_addr(s, urls ? host : v[i], &a))
			mine = !empty && inside(&a, lo, hi);
		else
			mine = idx == 0;
		if (mine)
			v[k++] = v[i];
		else
			free(v[i]);
	}
	*n = k;
}

int cx_scope_shard(struct cx_scope *s, unsigned idx, unsigned n,
                   uint64_t *count)
{
	struct cx_block *v = NULL;
	struct cx_addr lo, hi;
	size_t nv = 0, i, k = 0;
	uint64_t total = 0, sz, q, r, from, to;
	int rc, empty;

	if (count != NULL)
		*count = 0;
	if (s == NULL || n == 0 || idx >= n || n > CX_SHARD_MAX)
		return CX_EINVAL;
	rc = in_scope_ivals(s, &v, &nv);
	if (rc)
		return rc;
	for (i = 0; i < nv; i++) {
		sz = span(&v[i].first, &v[i].last);
		if (sz == 0 || total > UINT64_MAX - sz) {
			free(v);
			return CX_ELIMIT; /* more than 2^64 - 1 addresses */
		}
		total += sz;
	}
	/* floor(idx * total / n) without overflow (n <= CX_SHARD_MAX). */
	q = total / n;
	r = total % n;
	from = q * idx + r * idx / n;
	to = q * (idx + 1) + r * (idx + 1) / n;
	empty = from == to;
	memset(&lo, 0, sizeof(lo));
	memset(&hi, 0, sizeof(hi));
	if (!empty) {
		lo = nth(v, nv, from);
		hi = nth(v, nv, to - 1);
	}
	free(v);
	/* Names and URLs first: they are placed by the whole scope. */
	keep_names(s, s->urls, &s->n_urls, 1, idx, empty, &lo, &hi);
	keep_names(s, s->hostnames, &s->n_hostnames, 0, idx, empty, &lo, &hi);
	for (i = 0; i < s->n_blocks; i++) {
		struct cx_block *b = &s->blocks[i];
		if (empty || cx_addr_cmp(&b->last, &lo) < 0 ||
		    cx_addr_cmp(&b->first, &hi) > 0) {
			free(b->origin);
			free(b->hostname);
			continue;
		}
		if (cx_addr_cmp(&b->first, &lo) < 0)
			b->first = lo;
		if (cx_addr_cmp(&b->last, &hi) > 0)
			b->last = hi;
		s->blocks[k++] = *b;
	}
	s->n_blocks = k;
	if (count != NULL)
		*count = to - from;
	return CX_OK;
}
