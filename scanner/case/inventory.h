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

/* What a token of an address cell is. */
enum cx_inv_tok_kind {
	CX_INV_ADDR,     /* an address or block, perhaps with a port */
	CX_INV_HOSTNAME, /* a DNS name ("db.example.kz"), perhaps with a port */
	CX_INV_SKIP,     /* a label ("IP:") or interface name ("eth0") */
	CX_INV_WORD,     /* a word of commentary ("основной") */
	CX_INV_BAD,      /* looks like an address but is not one */
};

struct cx_inv_tok {
	enum cx_inv_tok_kind kind;
	const char *text;   /* the token as written (not NUL-terminated) */
	size_t len;         /* its length */
	size_t off;         /* its byte offset in the cell */
	const char *a_text; /* the address or name part, without label/port */
	size_t a_len;
	struct cx_addr a; /* CX_INV_ADDR */
	int prefix;       /* CX_INV_ADDR: "/nn", else -1 */
	int port;         /* 1-65535 when written, else -1 */
};

/*
 * The next token of the free-text address cell: set *cursor to NULL
 * before the first call.  Returns 1 with *t filled (pointers into cell),
 * 0 at the end.  Tokens that say "none" are skipped.
 */
int cx_inv_addr_scan(const char *cell, const char **cursor,
                     struct cx_inv_tok *t);

/* 1 if a lies in the block base/prefix (same family). */
int cx_inv_addr_in_block(const struct cx_addr *a, const struct cx_addr *base,
                         int prefix);

/* ---- the printed forms (scanner/case/annex_form.c) ---- */

/* Lower-case ASCII, Russian and Kazakh Cyrillic of s into out (always
 * NUL-terminated, cut to outsz); the length written. */
size_t cx_annex_fold(const char *s, char *out, size_t outsz);
/* 1 if the cell reads like a column title of Annex 5 or 6 (kk, ru, en). */
int cx_annex_is_title(const char *cell);
/* 1 if the cell opens a note or a signature line under the table. */
int cx_annex_is_note(const char *cell);

/* ---- versions (scanner/case/annex_version.c) ---- */

/* A declared version against an observed one. */
enum cx_ver_state {
	CX_VER_MATCH,        /* the same version, or within a declared 1.22.x */
	CX_VER_DIFFERS,      /* another version runs */
	CX_VER_LESS_PRECISE, /* "3" declared for 3.0.3: does not identify it */
	CX_VER_MORE_PRECISE, /* declared more precisely than observable */
	CX_VER_HIDDEN,       /* the service does not disclose its version */
	CX_VER_NONE,         /* no version declared */
};
/* "matches", "differs", ...; static storage. */
const char *cx_ver_state_name(enum cx_ver_state s);

struct cx_ver {
	char upstream[64]; /* "9.2p1": lower case, no product, 'v' or epoch */
	char revision[64]; /* distribution revision "2+deb12u10", or "" */
	int epoch;         /* Debian/RPM epoch, -1 when none */
	int wildcard;      /* "1.22.x": upstream "1.22", any further part */
	int ok;            /* a version was found in the text */
};

/* Normalise free text (NULL accepted: v->ok = 0). */
void cx_ver_norm(const char *text, struct cx_ver *v);

/*
 * Compare the declared version text with the observed version and the
 * banner's extra ("Debian-2+deb12u3", may be NULL), which supplies the
 * revision when the declared one has a revision.
 */
enum cx_ver_state cx_ver_compare(const char *declared, const char *observed,
                                 const char *observed_extra);

#endif
