/* certexam — the inventory check (placeholder until its issue lands). */
#include "certexam/check.h"

static int inventory_run(struct cx_check_ctx *ctx)
{
	(void)ctx;
	return CX_ENOTSUP; /* recorded as "not performed", never as a pass */
}

const struct cx_check cx_check_inventory = {
	.id = "inventory",
	.title = "Declared hardware and software against what is there",
	.block = "inventory",
	.flags = 0,
	.run = inventory_run,
};
