/* certexam — the ports check (placeholder until its issue lands). */
#include "certexam/check.h"

static int ports_run(struct cx_check_ctx *ctx)
{
	(void)ctx;
	return CX_ENOTSUP; /* recorded as "not performed", never as a pass */
}

const struct cx_check cx_check_ports = {
	.id = "ports",
	.title = "Open ports and exposed services",
	.block = "network",
	.flags = CX_CHECK_NETWORK,
	.run = ports_run,
};
