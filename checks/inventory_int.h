/*
 * certexam — what checks/inventory.c and checks/inventory_os.c share.
 * Check-internal.
 */
#ifndef CX_INVENTORY_INT_H
#define CX_INVENTORY_INT_H

#include "certexam/check.h"
#include "certexam/util.h"

/* One address, block or host name written in the Annex 5 addresses. */
struct decl {
	struct cx_addr a;
	int prefix; /* the block's prefix when block, else -1 */
	int block;
	int is_name;        /* a host name: name holds it */
	char name[256];     /* lower case */
	size_t row;         /* index in obj->hardware */
	int written_prefix; /* "192.0.2.5/24": a prefix was written */
};

/* A host observation with its parsed address, sorted for lookups. */
struct host {
	struct cx_addr a;
	const struct cx_host_obs *obs;
};

/* A row by an item number written in it (item[0..len)). */
struct item_ref {
	const char *item;
	size_t len, row;
};

/* The indexes of checks/inventory_idx.c (built by inv_idx_build). */
struct inv_idx {
	struct item_ref *items; /* hardware rows by item number */
	size_t n_items;
	unsigned char *hw_seen; /* per hardware row: declares a scanned host */
	size_t *by_prod;        /* open ports with a product, by product */
	size_t n_by_prod;
	size_t *prod_start; /* product k: by_prod[prod_start[k]..[k+1]) */
	size_t n_prods;
	struct gram *grams; /* the products' 4-byte substrings, sorted */
	size_t n_grams;
	struct gram *keys; /* each product's rarest substrings, sorted */
	size_t n_keys;
	size_t *shorts; /* products shorter than 4 bytes */
	size_t n_shorts;
	size_t *stamp, gen, *cand, n_cand; /* inv_idx_candidates */
	size_t *by_addr;                   /* ports by address */
	size_t n_by_addr;
	struct item_ref *sw_items; /* Annex 6 rows by installed item */
	size_t n_sw_items;
	struct item_ref *host_names; /* the hosts' names (row: host index) */
	size_t n_host_names;
	const struct decl **names; /* host-name declarations, by name */
	size_t n_names;
	const struct decl **blocks; /* block declarations, in row order */
	size_t n_blocks;
};

struct inv {
	struct cx_check_ctx *ctx;
	const struct cx_object *obj;
	struct decl *decls;
	size_t n_decls, cap_decls;
	const struct decl **by_addr; /* single addresses, sorted */
	size_t n_by_addr;
	const struct decl **others; /* blocks and host names, in row order */
	size_t n_others;
	struct host *hosts;
	size_t n_hosts;
	int hw_ok, sw_ok; /* the list was read */
	struct inv_idx idx;
};

/* Build and free v->idx (after the hosts and declarations): 0 or
 * CX_ENOMEM. */
int inv_idx_build(struct inv *v);
void inv_idx_free(struct inv_idx *x);
/* The products (k: by_prod[prod_start[k]..]) that may match name, in x->cand
 * (ascending); their count.  A product not among them does not match. */
size_t inv_idx_candidates(struct inv_idx *x, const char *name);
/* The ports (x->by_addr[lo..*end), run order) whose address is addr. */
size_t inv_idx_ports_at(const struct inv_idx *x, const struct cx_run *run,
                        const char *addr, size_t *end);
/* The Annex 6 rows (x->sw_items[lo..*end).row, ascending) installed on the
 * hardware item item. */
size_t inv_idx_sw_on(const struct inv_idx *x, const char *item, size_t *end);
/* The declarations of the single address a: v->by_addr[lo..*end), in
 * row order. */
size_t inv_idx_decls_at(const struct inv *v, const struct cx_addr *a,
                        size_t *end);
/* qsort order of size_t; idx (ports of run) by address, product
 * (case-insensitive) and run order. */
int inv_size_cmp(const void *a, const void *b);
void inv_sort_by_host_product(const struct cx_run *run, size_t *idx, size_t n);
/* The hosts named name: v->hosts[x->host_names[lo..*end).row]. */
size_t inv_idx_hosts_named(const struct inv *v, const char *name, size_t *end);
/* The hosts inside the block d: v->hosts[lo..*end). */
size_t inv_idx_hosts_in(const struct inv *v, const struct decl *d, size_t *end);
/* The first block or host-name declaration (in row order) covering h,
 * or NULL. */
const struct decl *inv_idx_first_other(const struct inv *v,
                                       const struct host *h);
/* 1 if the Annex 6 row is installed on a hardware row declaring h. */
int inv_installed_at(const struct inv *v, const struct cx_sw_row *sw,
                     const struct host *h);
/* 1 if the row's place of installation declares any scanned host. */
int inv_row_has_hosts(const struct inv *v, const struct cx_sw_row *sw);

/* The shared helpers of checks/inventory.c. */
int inv_addr_cmp(const struct cx_addr *x, const struct cx_addr *y);
int inv_host_cmp(const void *a, const void *b);
void inv_lower(char *s);
/*
 * One finding of the inventory check: the words are a message id of
 * profiles/i18n/ (inv.*, one per cause) with named parameters; .observed
 * holds only what the scan or the lists gave, verbatim.
 */
struct inv_finding {
	const char *req, *asset, *item;
	enum cx_status status;
	enum cx_certainty certainty;
	const char *msg;
	const char *const *args;
	const char *observed, *evidence;
	const char *method; /* how it was determined: a method.* id */
};
int inv_emit(struct inv *v, const struct inv_finding *f);

/* A message's parameters built up in branches (a CX_ARGS compound literal
 * would end with the branch's block). */
struct inv_args {
	const char *v[13]; /* name, value, ..., NULL */
	size_t n;
};
void inv_arg(struct inv_args *a, const char *name, const char *value);
int inv_table_row(struct inv *v, const char *annex, const char *item,
                  const char *declared, const char *discovered,
                  const char *state);
/* "hardware.csv:9:10: message; ..." for the errors of the row at line. */
int inv_row_problems(const struct inv *v, long line, struct cx_buf *b);
/* 1 if the host h is what the declaration d names. */
int inv_decl_covers(const struct decl *d, const struct host *h);
/* 1 if the item numbers in list ("1, 2") include item. */
int inv_item_listed(const char *list, const char *item);
/* INV-03: the Annex 6 rows and the undeclared products
 * (checks/inventory_sw.c). */
int inv03(struct inv *v);

/*
 * One line of the act's declared-against-discovered table: an
 * "inventory-row" observation (annex "5", "6" or "-" for what was found
 * but not declared; item; declared; discovered; state).  0 or CX_ENOMEM.
 */
int cx_inv_table_row(struct cx_run *run, const char *annex, const char *item,
                     const char *declared, const char *discovered,
                     const char *state);

/*
 * The operating system of each host whose banners reveal it, against
 * Annex 5 column 9 and the Annex 6 rows installed on its hardware: one
 * INV-03 finding (item "os") and one table line per such host.
 */
int cx_inv_os(struct inv *v, const char *check_id);

#endif
