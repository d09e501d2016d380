/*
 * certexam — the indexes of the inventory check (INV-03 and the operating
 * system), so that comparing Annex 6 rows with observed services reads
 * each once instead of every row against every port, host and hardware
 * row: hardware rows by item number, the hardware rows that declare a
 * scanned host, the open ports grouped by product with the products
 * indexed by their 4-byte substrings (every way checks/inventory_sw.c
 * matches a row's name with a product shares one, or involves a name or
 * product shorter than that, which are kept apart), the ports by address,
 * and the hardware rows by declared address.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/util.h"
#include "inventory.h"
#include "inventory_int.h"

#define GRAM 4

static int lc(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* ASCII case-insensitive order (cx_strcaseeq's equality). */
static int ci_cmp(const char *a, const char *b)
{
	const unsigned char *x = (const unsigned char *)a;
	const unsigned char *y = (const unsigned char *)b;

	while (*x != '\0' && lc(*x) == lc(*y)) {
		x++;
		y++;
	}
	return lc(*x) - lc(*y);
}

static uint32_t gram_at(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	return (uint32_t)lc(u[0]) << 24 | (uint32_t)lc(u[1]) << 16 |
	       (uint32_t)lc(u[2]) << 8 | (uint32_t)lc(u[3]);
}

struct gram {
	uint32_t g;
	size_t prod;
};

static int gram_cmp(const void *a, const void *b)
{
	const struct gram *x = a, *y = b;

	if (x->g != y->g)
		return x->g < y->g ? -1 : 1;
	return x->prod < y->prod ? -1 : x->prod > y->prod;
}

static int size_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

/* The run whose ports are sorted (qsort has no context). */
static const struct cx_port_obs *sort_ports;

static int open_product(const struct cx_port_obs *p)
{
	return p->state == CX_PORT_OPEN && p->addr != NULL &&
	       p->product != NULL && p->product[0] != '\0';
}

/* By product (ASCII case-insensitive), then run order. */
static int port_prod_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = ci_cmp(sort_ports[x].product, sort_ports[y].product);

	return c != 0 ? c : (x < y ? -1 : x > y);
}

/* By address (as written), then run order. */
static int port_addr_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(sort_ports[x].addr, sort_ports[y].addr);

	return c != 0 ? c : (x < y ? -1 : x > y);
}

static int item_cmp(const void *a, const void *b)
{
	const struct item_ref *x = a, *y = b;
	int c;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	c = memcmp(x->item, y->item, x->len);
	return c != 0 ? c : (x->row < y->row ? -1 : x->row > y->row);
}

/* The entries of r (n, sorted) for the item item[0..len), as a range. */
static size_t ref_range(const struct item_ref *r, size_t n, const char *item,
                        size_t len, size_t *end)
{
	size_t lo = 0, hi = n, mid;
	struct item_ref key = {item, len, 0};

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (item_cmp(&r[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (*end = lo; *end < n && r[*end].len == len &&
	                memcmp(r[*end].item, item, len) == 0;
	     (*end)++)
		;
	return lo;
}

size_t inv_idx_decls_at(const struct inv *v, const struct cx_addr *a,
                        size_t *end)
{
	size_t lo = 0, hi = v->n_by_addr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (inv_addr_cmp(&v->by_addr[mid]->a, a) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (*end = lo;
	     *end < v->n_by_addr && inv_addr_cmp(&v->by_addr[*end]->a, a) == 0;
	     (*end)++)
		;
	return lo;
}

/* Names compared as names_have does: ASCII case-insensitive, whole. */
static int name_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	size_t i;

	for (i = 0; i < an && i < bn; i++)
		if (lc((unsigned char)a[i]) != lc((unsigned char)b[i]))
			return lc((unsigned char)a[i]) -
			       lc((unsigned char)b[i]);
	return an < bn ? -1 : an > bn;
}

static int host_name_cmp(const void *a, const void *b)
{
	const struct item_ref *x = a, *y = b;
	int c = name_cmp(x->item, x->len, y->item, y->len);

	return c != 0 ? c : (x->row < y->row ? -1 : x->row > y->row);
}

static int decl_name_cmp(const void *a, const void *b)
{
	const struct decl *x = *(const struct decl *const *)a;
	const struct decl *y = *(const struct decl *const *)b;
	int c = name_cmp(x->name, strlen(x->name), y->name, strlen(y->name));

	return c != 0 ? c : (x < y ? -1 : x > y);
}

/* The declarations named name[0..len): x->names[lo..*end), row order. */
static size_t decls_named(const struct inv_idx *x, const char *name, size_t len,
                          size_t *end)
{
	size_t lo = 0, hi = x->n_names, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (name_cmp(x->names[mid]->name, strlen(x->names[mid]->name),
		             name, len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (*end = lo; *end < x->n_names &&
	                name_cmp(x->names[*end]->name,
	                         strlen(x->names[*end]->name), name, len) == 0;
	     (*end)++)
		;
	return lo;
}

/* The next name of a space-separated list (*p advances); 0 at the end. */
static int next_name(const char **p, const char **s, size_t *n)
{
	while (*p != NULL && **p == ' ')
		(*p)++;
	if (*p == NULL || **p == '\0')
		return 0;
	*s = *p;
	*n = strcspn(*p, " ");
	*p += *n;
	return 1;
}

/* Host names and the declarations' names and blocks. */
static int index_names(struct inv *v)
{
	struct inv_idx *x = &v->idx;
	const char *p, *s;
	size_t i, n = 0, len;

	for (i = 0; i < v->n_hosts; i++)
		for (p = v->hosts[i].obs->names; next_name(&p, &s, &len);)
			n++;
	x->host_names = malloc((n ? n : 1) * sizeof(*x->host_names));
	x->names = malloc((v->n_others + 1) * sizeof(*x->names));
	x->blocks = malloc((v->n_others + 1) * sizeof(*x->blocks));
	if (x->host_names == NULL || x->names == NULL || x->blocks == NULL)
		return CX_ENOMEM;
	for (i = 0; i < v->n_hosts; i++)
		for (p = v->hosts[i].obs->names; next_name(&p, &s, &len);) {
			x->host_names[x->n_host_names].item = s;
			x->host_names[x->n_host_names].len = len;
			x->host_names[x->n_host_names++].row = i;
		}
	qsort(x->host_names, x->n_host_names, sizeof(*x->host_names),
	      host_name_cmp);
	for (i = 0; i < v->n_others; i++)
		if (v->others[i]->is_name)
			x->names[x->n_names++] = v->others[i];
		else
			x->blocks[x->n_blocks++] = v->others[i];
	qsort(x->names, x->n_names, sizeof(*x->names), decl_name_cmp);
	return CX_OK;
}

size_t inv_idx_hosts_named(const struct inv *v, const char *name, size_t *end)
{
	const struct inv_idx *x = &v->idx;
	size_t lo = 0, hi = x->n_host_names, mid, n = strlen(name);

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (name_cmp(x->host_names[mid].item, x->host_names[mid].len,
		             name, n) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (*end = lo; *end < x->n_host_names &&
	                name_cmp(x->host_names[*end].item,
	                         x->host_names[*end].len, name, n) == 0;
	     (*end)++)
		;
	return lo;
}

size_t inv_idx_hosts_in(const struct inv *v, const struct decl *d, size_t *end)
{
	size_t lo = 0, hi = v->n_hosts, mid;

	/* d->a is the block's first address: the hosts in it follow */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (inv_addr_cmp(&v->hosts[mid].a, &d->a) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (*end = lo;
	     *end < v->n_hosts &&
	     cx_inv_addr_in_block(&v->hosts[*end].a, &d->a, d->prefix);
	     (*end)++)
		;
	return lo;
}

const struct decl *inv_idx_first_other(const struct inv *v,
                                       const struct host *h)
{
	const struct inv_idx *x = &v->idx;
	const struct decl *best = NULL;
	const char *p = h->obs->names, *s;
	size_t i, lo, end, len;

	for (i = 0; i < x->n_blocks; i++)
		if (inv_decl_covers(x->blocks[i], h)) {
			best = x->blocks[i];
			break;
		}
	while (next_name(&p, &s, &len)) {
		lo = decls_named(x, s, len, &end);
		if (lo < end && (best == NULL || x->names[lo] < best))
			best = x->names[lo];
	}
	return best;
}

/* Every declaration of v that covers h, by fn; stops when fn returns 1. */
static int each_decl(const struct inv *v, const struct host *h,
                     int (*fn)(const struct inv *, const struct decl *,
                               const void *),
                     const void *arg)
{
	const char *p, *s;
	size_t i, end, len;

	for (i = inv_idx_decls_at(v, &h->a, &end); i < end; i++)
		if (fn(v, v->by_addr[i], arg))
			return 1;
	for (i = 0; i < v->idx.n_blocks; i++)
		if (inv_decl_covers(v->idx.blocks[i], h) &&
		    fn(v, v->idx.blocks[i], arg))
			return 1;
	for (p = h->obs->names; next_name(&p, &s, &len);)
		for (i = decls_named(&v->idx, s, len, &end); i < end; i++)
			if (fn(v, v->idx.names[i], arg))
				return 1;
	return 0;
}

static int mark_row(const struct inv *v, const struct decl *d, const void *arg)
{
	unsigned char *seen = (unsigned char *)(uintptr_t)arg;

	(void)v;
	seen[d->row] = 1;
	return 0;
}

static int lists_row(const struct inv *v, const struct decl *d, const void *arg)
{
	const struct cx_sw_row *sw = arg;

	return inv_item_listed(sw->installed_on, v->obj->hardware[d->row].item);
}

int inv_installed_at(const struct inv *v, const struct cx_sw_row *sw,
                     const struct host *h)
{
	return each_decl(v, h, lists_row, sw);
}

int inv_row_has_hosts(const struct inv *v, const struct cx_sw_row *sw)
{
	const struct inv_idx *x = &v->idx;
	const char *p = sw->installed_on, *start;
	size_t i, end;

	if (p == NULL)
		return 0;
	while (*p != '\0') {
		while (*p != '\0' && (*p < '0' || *p > '9'))
			p++;
		start = p;
		while (*p >= '0' && *p <= '9')
			p++;
		if (p == start)
			continue;
		for (i = ref_range(x->items, x->n_items, start,
		                   (size_t)(p - start), &end);
		     i < end; i++)
			if (x->hw_seen[x->items[i].row])
				return 1;
	}
	return 0;
}

/* The posting range of gram g in the sorted array r (n). */
static size_t gram_range(const struct gram *r, size_t n, uint32_t g,
                         size_t *end)
{
	size_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r[mid].g < g)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (*end = lo; *end < n && r[*end].g == g; (*end)++)
		;
	return lo;
}

/* The rarest gram (fewest products) of s[0..len), len >= GRAM. */
static uint32_t rarest(const struct inv_idx *x, const char *s, size_t len)
{
	size_t i, lo, end, best = (size_t)-1;
	uint32_t g, bg = 0;

	for (i = 0; i + GRAM <= len; i++) {
		g = gram_at(s + i);
		lo = gram_range(x->grams, x->n_grams, g, &end);
		if (end - lo < best) {
			best = end - lo;
			bg = g;
		}
	}
	return bg;
}

/*
 * The products: distinct (case-insensitive) products of the open ports,
 * each a range of x->by_prod; every 4-byte substring of each (grams), and
 * for each product the rarest substring of the whole product and of its
 * first word (keys).  A row's name is inside a product only if the
 * product holds the name's rarest substring; a product (or its first
 * word) is inside a name only if the name holds the product's key.
 */
static int index_products(struct inv_idx *x, const struct cx_run *run)
{
	size_t i, k, n = 0, g = 0, len, w;
	const char *s;

	for (i = 0; i < run->n_ports; i++)
		if (open_product(&run->ports[i]))
			x->by_prod[n++] = i;
	sort_ports = run->ports;
	qsort(x->by_prod, n, sizeof(*x->by_prod), port_prod_cmp);
	x->n_by_prod = n;
	for (i = 0; i < n; i++)
		if (i == 0 || ci_cmp(run->ports[x->by_prod[i - 1]].product,
		                     run->ports[x->by_prod[i]].product))
			x->prod_start[x->n_prods++] = i;
	x->prod_start[x->n_prods] = n;
	for (k = 0; k < x->n_prods; k++) {
		s = run->ports[x->by_prod[x->prod_start[k]]].product;
		len = strlen(s);
		g += len >= GRAM ? len - GRAM + 1 : 0;
	}
	x->grams = malloc((g ? g : 1) * sizeof(*x->grams));
	x->keys = malloc((2 * x->n_prods + 1) * sizeof(*x->keys));
	x->stamp = calloc(x->n_prods + 1, sizeof(*x->stamp));
	x->cand = malloc((x->n_prods + 1) * sizeof(*x->cand));
	x->shorts = malloc((x->n_prods + 1) * sizeof(*x->shorts));
	if (x->grams == NULL || x->keys == NULL || x->stamp == NULL ||
	    x->cand == NULL || x->shorts == NULL)
		return CX_ENOMEM;
	for (k = 0; k < x->n_prods; k++) {
		s = run->ports[x->by_prod[x->prod_start[k]]].product;
		len = strlen(s);
		if (len < GRAM)
			x->shorts[x->n_shorts++] = k;
		for (i = 0; i + GRAM <= len; i++) {
			x->grams[x->n_grams].g = gram_at(s + i);
			x->grams[x->n_grams++].prod = k;
		}
	}
	qsort(x->grams, x->n_grams, sizeof(*x->grams), gram_cmp);
	for (k = 0; k < x->n_prods; k++) {
		s = run->ports[x->by_prod[x->prod_start[k]]].product;
		len = strlen(s);
		if (len < GRAM)
			continue;
		x->keys[x->n_keys].g = rarest(x, s, len);
		x->keys[x->n_keys++].prod = k;
		w = strcspn(s,
		            " /"); /* the first word (checks/inventory_sw.c) */
		if (w >= GRAM && w < len) {
			x->keys[x->n_keys].g = rarest(x, s, w);
			x->keys[x->n_keys++].prod = k;
		}
	}
	qsort(x->keys, x->n_keys, sizeof(*x->keys), gram_cmp);
	return CX_OK;
}

/* The Annex 6 rows by each hardware item of their place of installation
 * (each row once per item, as inv_item_listed reads the list). */
static int index_software(struct inv_idx *x, const struct cx_object *obj)
{
	const char *p, *start;
	size_t i, n = 0, k, out;

	for (i = 0; i < obj->n_software; i++)
		for (p = obj->software[i].installed_on; p != NULL && *p;)
			if (*p >= '0' && *p <= '9') {
				n++;
				while (*p >= '0' && *p <= '9')
					p++;
			} else {
				p++;
			}
	x->sw_items = malloc((n ? n : 1) * sizeof(*x->sw_items));
	if (x->sw_items == NULL)
		return CX_ENOMEM;
	for (i = 0; i < obj->n_software; i++)
		for (p = obj->software[i].installed_on; p != NULL && *p;) {
			if (*p < '0' || *p > '9') {
				p++;
				continue;
			}
			start = p;
			while (*p >= '0' && *p <= '9')
				p++;
			x->sw_items[x->n_sw_items].item = start;
			x->sw_items[x->n_sw_items].len = (size_t)(p - start);
			x->sw_items[x->n_sw_items++].row = i;
		}
	qsort(x->sw_items, x->n_sw_items, sizeof(*x->sw_items), item_cmp);
	/* "1, 1" names the item once */
	for (k = 0, out = 0; k < x->n_sw_items; k++)
		if (out == 0 ||
		    item_cmp(&x->sw_items[out - 1], &x->sw_items[k]) != 0 ||
		    x->sw_items[out - 1].row != x->sw_items[k].row)
			x->sw_items[out++] = x->sw_items[k];
	x->n_sw_items = out;
	return CX_OK;
}

size_t inv_idx_sw_on(const struct inv_idx *x, const char *item, size_t *end)
{
	return ref_range(x->sw_items, x->n_sw_items, item, strlen(item), end);
}

int inv_idx_build(struct inv *v)
{
	struct inv_idx *x = &v->idx;
	const struct cx_run *run = v->ctx->run;
	size_t i, n = 0;

	memset(x, 0, sizeof(*x));
	x->items = malloc((v->obj->n_hardware + 1) * sizeof(*x->items));
	x->hw_seen = calloc(v->obj->n_hardware + 1, 1);
	x->by_prod = malloc((run->n_ports + 1) * sizeof(*x->by_prod));
	x->prod_start = malloc((run->n_ports + 2) * sizeof(*x->prod_start));
	x->by_addr = malloc((run->n_ports + 1) * sizeof(*x->by_addr));
	if (x->items == NULL || x->hw_seen == NULL || x->by_prod == NULL ||
	    x->prod_start == NULL || x->by_addr == NULL ||
	    index_names(v) != CX_OK)
		return CX_ENOMEM;
	for (i = 0; i < v->obj->n_hardware; i++) {
		const char *it = v->obj->hardware[i].item;

		if (it != NULL && it[0] != '\0') {
			x->items[x->n_items].item = it;
			x->items[x->n_items].len = strlen(it);
			x->items[x->n_items++].row = i;
		}
	}
	qsort(x->items, x->n_items, sizeof(*x->items), item_cmp);
	if (index_software(x, v->obj) != CX_OK)
		return CX_ENOMEM;
	for (i = 0; i < v->n_hosts; i++)
		each_decl(v, &v->hosts[i], mark_row,
		          (const void *)(uintptr_t)x->hw_seen);
	for (i = 0; i < run->n_ports; i++)
		if (run->ports[i].addr != NULL)
			x->by_addr[n++] = i;
	sort_ports = run->ports;
	qsort(x->by_addr, n, sizeof(*x->by_addr), port_addr_cmp);
	x->n_by_addr = n;
	return index_products(x, run);
}

void inv_idx_free(struct inv_idx *x)
{
	free(x->items);
	free(x->hw_seen);
	free(x->by_prod);
	free(x->prod_start);
	free(x->by_addr);
	free(x->grams);
	free(x->keys);
	free(x->stamp);
	free(x->cand);
	free(x->shorts);
	free(x->sw_items);
	free(x->host_names);
	free(x->names);
	free(x->blocks);
	memset(x, 0, sizeof(*x));
}

/* Add product k to the candidates once. */
static void candidate(struct inv_idx *x, size_t k)
{
	if (x->stamp[k] == x->gen)
		return;
	x->stamp[k] = x->gen;
	x->cand[x->n_cand++] = k;
}

/* Every product of the posting range [lo, end) of r. */
static void candidates_of(struct inv_idx *x, const struct gram *r, size_t lo,
                          size_t end)
{
	for (; lo < end; lo++)
		candidate(x, r[lo].prod);
}

static int has_http(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i + GRAM <= len; i++)
		if (gram_at(s + i) == gram_at("http"))
			return 1;
	return 0;
}

size_t inv_idx_candidates(struct inv_idx *x, const char *name)
{
	size_t i, k, len = name != NULL ? strlen(name) : 0, lo, end;

	x->n_cand = 0;
	x->gen++;
	if (len == 0)
		return 0;
	if (len < GRAM) { /* a short name may be inside any product */
		for (k = 0; k < x->n_prods; k++)
			candidate(x, k);
		return x->n_cand;
	}
	for (k = 0; k < x->n_shorts; k++)
		candidate(x, x->shorts[k]);
	/* the name inside a product: the products with its rarest gram */
	lo = gram_range(x->grams, x->n_grams, rarest(x, name, len), &end);
	candidates_of(x, x->grams, lo, end);
	/* a product or its first word inside the name: their keys */
	for (i = 0; i + GRAM <= len; i++) {
		lo = gram_range(x->keys, x->n_keys, gram_at(name + i), &end);
		candidates_of(x, x->keys, lo, end);
	}
	/* "Apache httpd" by the developer: both say "http" */
	if (has_http(name, len)) {
		lo = gram_range(x->grams, x->n_grams, gram_at("http"), &end);
		candidates_of(x, x->grams, lo, end);
	}
	qsort(x->cand, x->n_cand, sizeof(*x->cand), size_cmp);
	return x->n_cand;
}

size_t inv_idx_ports_at(const struct inv_idx *x, const struct cx_run *run,
                        const char *addr, size_t *end)
{
	size_t lo = 0, hi = x->n_by_addr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(run->ports[x->by_addr[mid]].addr, addr) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (*end = lo; *end < x->n_by_addr &&
	                strcmp(run->ports[x->by_addr[*end]].addr, addr) == 0;
	     (*end)++)
		;
	return lo;
}

int inv_size_cmp(const void *a, const void *b)
{
	return size_cmp(a, b);
}

/* By address, product (ASCII case-insensitive), then run order. */
static int host_prod_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcmp(sort_ports[x].addr, sort_ports[y].addr);

	if (c == 0)
		c = ci_cmp(sort_ports[x].product, sort_ports[y].product);
	return c != 0 ? c : (x < y ? -1 : x > y);
}

void inv_sort_by_host_product(const struct cx_run *run, size_t *idx, size_t n)
{
	sort_ports = run->ports;
	qsort(idx, n, sizeof(*idx), host_prod_cmp);
}
