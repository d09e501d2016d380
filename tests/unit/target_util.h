/*
 * Helpers shared by the target unit tests (target_util.c).
 */
#ifndef CX_TEST_TARGET_UTIL_H
#define CX_TEST_TARGET_UTIL_H

#include <stdint.h>

/* The next number of a fixed linear congruential sequence (the same in
 * every run; each test case, forked by Check, starts from the same seed). */
uint32_t rnd(void);

#endif
