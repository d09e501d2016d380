/*
 * certexam — TEMPORARY: a weak cx_service_detect() so the library links
 * while scanner/service.c is being written.  It detects nothing and says
 * so (CX_ENOTSUP is recorded as the state of the "services" phase).  The
 * real definition overrides it; this file is removed when it lands.
 */
#include "service.h"

__attribute__((weak)) int cx_service_detect(struct cx_loop *loop,
                                            struct cx_run *run,
                                            const struct cx_scan_opts *opts,
                                            const char *signatures_path,
                                            const struct cx_progress *progress)
{
	(void)loop;
	(void)run;
	(void)opts;
	(void)signatures_path;
	(void)progress;
	return CX_ENOTSUP;
}
