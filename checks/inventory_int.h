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
	int is_name;    /* a host name: name holds it */
	char name[256]; /* lower case */
	size_t row;     /* index in obj->hardware */
};

/* A host observation with its parsed address, sorted for lookups. */
struct host {
	struct cx_addr a;
	const struct cx_host_obs *obs;
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
};

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
	const char *observed, *method, *evidence;
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
int cx_inv_os(struct cx_check_ctx *ctx, const struct cx_object *obj,
              const struct cx_run *run, const char *check_id);

#endif
