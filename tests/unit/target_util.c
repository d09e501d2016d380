/*
 * Shared by the target unit tests (check_target.c, check_target_ports.c):
 * deterministic pseudo-random numbers for the property tests.
 */
#include <stdint.h>

#include "target_util.h"

static uint32_t rnd_state = 12345;

uint32_t rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return rnd_state >> 8;
}
