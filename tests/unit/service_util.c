/*
 * Shared by the service unit tests (check_service.c,
 * check_service_engine.c): a temporary folder per test case.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "certexam/util.h"
#include "service_util.h"

char tmpdir[64];

void tmp_setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/cxsvc-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_rf(const char *dir)
{
	char *cmd = cx_asprintf("rm -rf '%s'", dir);

	if (cmd != NULL && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(cmd);
}

void tmp_teardown(void)
{
	rm_rf(tmpdir);
}
