/*
 * certexam — helpers shared by the Annex 5/6 loader
 * (scanner/case/annex_lists.c) and the inventory check (checks/inventory.c).
 * Engine-internal.
 */
#ifndef CX_INVENTORY_H
#define CX_INVENTORY_H

#include <stddef.h>
#include "certexam/target.h"

/*
 * The next token of an Annex 5 column 10 address list (separated by white
 * space, ',' or ';').  Tokens that only say "none" ("-", en and em dashes,
 * "none", "n/a", "нет") are skipped.  *cursor advances past the token.
 * Returns 1 with *tok and *toklen set (tok points into the list, not
 * NUL-terminated), or 0 at the end.  A NULL list has no tokens.
 */
int cx_inv_addr_next(const char **cursor, const char **tok, size_t *toklen);

/*
 * Parse one token: an IPv4 or IPv6 address, optionally followed by
 * "/prefix" (0-32 or 0-128).  *prefix is -1 when there is none.  0 or
 * CX_EINVAL.
 */
int cx_inv_addr_parse(const char *tok, size_t toklen, struct cx_addr *a,
                      int *prefix);

/*
 * 1 if the address token with prefix (as cx_inv_addr_parse returned)
 * names a network block rather than one host: a prefix shorter than the
 * address length with no host bits set ("192.0.2.0/24").  "192.0.2.5/24"
 * is interface notation for the host 192.0.2.5.
 */
int cx_inv_addr_is_block(const struct cx_addr *a, int prefix);

/* 1 if a lies in the block base/prefix (same family). */
int cx_inv_addr_in_block(const struct cx_addr *a, const struct cx_addr *base,
                         int prefix);

#endif
