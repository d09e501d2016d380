/*
 * Helpers shared by the service unit tests (service_util.c).
 */
#ifndef CX_TEST_SERVICE_UTIL_H
#define CX_TEST_SERVICE_UTIL_H

/* The test case's temporary folder, made by tmp_setup (a checked
 * fixture) and removed with its contents by tmp_teardown. */
extern char tmpdir[64];
void tmp_setup(void);
void tmp_teardown(void);

#endif
