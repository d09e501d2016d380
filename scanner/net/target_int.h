/*
 * certexam — what target.c shares with shard.c (private to the engine).
 */
#ifndef CERTEXAM_TARGET_INT_H
#define CERTEXAM_TARGET_INT_H

#include <stddef.h>
#include "certexam/target.h"

/*
 * The blocks in[0..n-1] as sorted, disjoint, non-adjacent blocks in *out
 * (malloc'd, n_out of them; origin and hostname are borrowed from in, so
 * only the array is freed).  0 or CX_ENOMEM.
 */
int cx_blocks_merge(const struct cx_block *in, size_t n, struct cx_block **out,
                    size_t *n_out);

#endif
