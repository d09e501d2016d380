/* certexam — the http check (placeholder until its issue lands). */
#include "certexam/check.h"

static int http_run(struct cx_check_ctx *ctx)
{
	(void)ctx;
	return CX_ENOTSUP; /* recorded as "not performed", never as a pass */
}

const struct cx_check cx_check_http = {
	.id = "http",
	.title = "HTTP security of every web resource",
	.block = "web",
	.flags = CX_CHECK_NETWORK,
	.run = http_run,
};
