/* certexam — the tls check (placeholder until its issue lands). */
#include "certexam/check.h"

static int tls_run(struct cx_check_ctx *ctx)
{
	(void)ctx;
	return CX_ENOTSUP; /* recorded as "not performed", never as a pass */
}

const struct cx_check cx_check_tls = {
	.id = "tls",
	.title = "TLS configuration of every TLS endpoint",
	.block = "tls",
	.flags = CX_CHECK_NETWORK,
	.run = tls_run,
};
