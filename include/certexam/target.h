/*
 * certexam — targets and scope.
 *
 * A scope is what the case declares (or --target gives): IPv4 and IPv6
 * addresses, CIDR blocks, ranges ("a.b.c.d-e" or "a.b.c.d-a.b.c.e"), host
 * names and URLs.  Host names are resolved once, before scanning (all A
 * and AAAA records), and each resolved address is checked against the
 * scope.  Targets are expanded lazily: a /16 is an iterator, not a list.
 */
#ifndef CERTEXAM_TARGET_H
#define CERTEXAM_TARGET_H

#include <stddef.h>
#include <stdint.h>
#include "certexam/error.h"

struct cx_addr {
	int family;    /* AF_INET or AF_INET6 */
	uint8_t b[16]; /* network order; 4 bytes used for AF_INET */
};

/* Numeric text of a ("127.0.0.1", "::1") into out (>= 46 bytes). */
void cx_addr_str(const struct cx_addr *a, char *out, size_t outsz);
/* Parse a numeric address.  0 or CX_EINVAL. */
int cx_addr_parse(const char *s, struct cx_addr *out);
int cx_addr_cmp(const struct cx_addr *a, const struct cx_addr *b);
/* A hash of the address (FNV-1a over its bytes), for tables keyed by it. */
uint32_t cx_addr_hash(const struct cx_addr *a);
/* 1 when a and b are the same address (family and bytes), else 0. */
int cx_addr_eq(const struct cx_addr *a, const struct cx_addr *b);

/* One block of addresses: [first, last] inclusive, same family. */
struct cx_block {
	struct cx_addr first, last;
	char *origin;   /* the scope entry it came from */
	char *hostname; /* host name when resolved from one, else NULL */
	int name_port;  /* a URL entry's port (explicit, else 80/443): its
	                   host name is served only there; 0: every port */
};

struct cx_scope {
	struct cx_block *blocks; /* included */
	size_t n_blocks, cap_blocks;
	struct cx_block *excluded;
	size_t n_excluded, cap_excluded;
	char **hostnames; /* names declared (for TLS/HTTP host checks) */
	size_t n_hostnames, cap_hostnames;
	char **urls; /* URLs declared */
	size_t n_urls, cap_urls;
};

/*
 * Add one scope entry.  Host names and URL hosts are resolved here (once);
 * a name that does not resolve is CX_ERESOLVE with a message in diags.
 * exclude != 0 adds to the excluded set.  Entries are validated: a bad
 * address, prefix or range is CX_EINVAL naming the entry.
 */
int cx_scope_add(struct cx_scope *s, const char *entry, int exclude,
                 struct cx_diags *diags, const char *file, long line);
/* 1 if a is inside an included block and not inside an excluded one. */
int cx_scope_contains(const struct cx_scope *s, const struct cx_addr *a);
/* Total number of addresses (saturates at UINT64_MAX). */
uint64_t cx_scope_size(const struct cx_scope *s);
void cx_scope_free(struct cx_scope *s);

/* Lazy iteration over every in-scope address, excluded ones skipped. */
struct cx_target_iter {
	const struct cx_scope *scope;
	size_t block;
	struct cx_addr next;
	int started;
};
void cx_target_iter_init(struct cx_target_iter *it, const struct cx_scope *s);
/* 1 and *out set, or 0 at the end. */
int cx_target_next(struct cx_target_iter *it, struct cx_addr *out);

/*
 * Shards (shard.c): the in-scope addresses in address order, excluded ones
 * left out and overlaps counted once, numbered 0..N-1; shard i of n holds
 * floor(i*N/n) .. floor((i+1)*N/n)-1, so every address is in exactly one
 * shard.  cx_scope_shard narrows s to shard idx of n in place (its blocks
 * clipped to the shard's interval; URLs and declared names kept in the
 * shard of the address they are reached at, shard 0 for those outside the
 * scope) and sets *count (may be NULL) to the shard's number of addresses,
 * which may be 0.  CX_EINVAL for a bad idx/n, CX_ELIMIT for a scope of
 * 2^64 addresses or more, CX_ENOMEM.
 */
#define CX_SHARD_MAX 65536
int cx_scope_shard(struct cx_scope *s, unsigned idx, unsigned n,
                   uint64_t *count);
/* Parse "i/n" with 0 <= i < n <= CX_SHARD_MAX.  0 or CX_EINVAL. */
int cx_shard_parse(const char *s, unsigned *i, unsigned *n);

/* A set of TCP ports as a bitmap. */
struct cx_portset {
	uint8_t bits[65536 / 8];
	unsigned count;
};
/*
 * Parse "22,80,8000-8100", "all" (1-65535) or "top:N"/"--top N" via
 * cx_portset_top().  0 or CX_EINVAL (with the offending token in *bad).
 */
int cx_portset_parse(struct cx_portset *ps, const char *spec, const char **bad);
/*
 * The same, with "top:N" read from profiles_dir/top-ports.txt (NULL: the
 * source tree's profiles/, then the installed one).  *bad points into spec
 * at the offending token (it runs to the end of spec).  A missing or
 * malformed list is CX_ENOENT or CX_EPARSE (*bad at the "top:" token).
 */
int cx_portset_parse_in(struct cx_portset *ps, const char *spec,
                        const char *profiles_dir, const char **bad);
/*
 * The n most frequent ports from a frequency list (one port per line,
 * most frequent first, '#' comments) shipped under profiles/.
 */
int cx_portset_top(struct cx_portset *ps, const char *list_path, unsigned n);
void cx_portset_add(struct cx_portset *ps, unsigned port);
int cx_portset_has(const struct cx_portset *ps, unsigned port);

#endif
