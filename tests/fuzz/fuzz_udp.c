/*
 * certexam — libFuzzer harness for the UDP reply parsers
 * (scanner/net/udp_proto.c).  The first input byte picks the probe whose
 * parser reads the rest, copied to a buffer of its exact size.  What a
 * parser fills in must be NUL-terminated printable ASCII.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "udp_proto.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void printable(const char *s, size_t cap)
{
	size_t i;

	for (i = 0; i < cap && s[i] != '\0'; i++)
		FUZZ_ASSERT((unsigned char)s[i] >= 0x20 &&
		            (unsigned char)s[i] < 0x7f);
	FUZZ_ASSERT(i < cap);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const struct cx_udp_probe *t;
	struct cx_udp_reply r;
	uint8_t *buf;
	size_t n, len;
	int rc;

	if (size == 0)
		return 0;
	t = cx_udp_probes(&n);
	len = size - 1;
	buf = malloc(len ? len : 1);
	FUZZ_ASSERT(buf != NULL);
	memcpy(buf, data + 1, len);
	rc = cx_udp_parse(&t[data[0] % n], buf, len, &r);
	FUZZ_ASSERT(rc == 0 || rc == 1);
	if (rc == 1) {
		FUZZ_ASSERT(r.service != NULL);
		printable(r.product, sizeof(r.product));
		printable(r.info, sizeof(r.info));
		FUZZ_ASSERT(r.snmp_version == 0 || r.snmp_version == 1 ||
		            r.snmp_version == 2);
	} else {
		FUZZ_ASSERT(r.service == NULL);
	}
	free(buf);
	return 0;
}
