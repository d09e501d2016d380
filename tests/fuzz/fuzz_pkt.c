/*
 * certexam — libFuzzer harness for the captured-frame parser
 * (scanner/net/pkt.c).  The first input byte picks the link type, the
 * rest is the frame, copied to a buffer of its exact size so any read
 * past the end is caught.  What the parser returns must point inside the
 * frame and be consistent with it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "fuzz_common.h"
#include "pkt.h"

static const int dlts[] = {CX_DLT_RAW,  CX_DLT_EN10MB, CX_DLT_LINUX_SLL,
                           CX_DLT_SLL2, CX_DLT_NULL,   CX_DLT_LOOP,
                           CX_DLT_IPV4, CX_DLT_IPV6,   CX_DLT_RAW_ALT};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int inside(const uint8_t *base, size_t len, const uint8_t *p, size_t n)
{
	return p >= base && n <= len && (size_t)(p - base) <= len - n;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cx_pkt p;
	uint8_t *frame;
	size_t len;
	int rc, dlt;

	if (size == 0)
		return 0;
	dlt = dlts[data[0] % (sizeof(dlts) / sizeof(dlts[0]))];
	len = size - 1;
	frame = malloc(len ? len : 1);
	FUZZ_ASSERT(frame != NULL);
	memcpy(frame, data + 1, len);
	rc = cx_pkt_parse(dlt, frame, len, &p);
	FUZZ_ASSERT(rc == 0 || rc == CX_EPARSE);
	if (rc == 0 && p.arp) {
		FUZZ_ASSERT(p.arp_spa.family == 2 && p.ip == NULL);
	} else if (rc == 0) {
		FUZZ_ASSERT(p.family == 2 || p.family == 10);
		FUZZ_ASSERT(inside(frame, len, p.ip, p.ip_len));
		if (p.payload != NULL)
			FUZZ_ASSERT(
			    inside(frame, len, p.payload, p.payload_len));
		if (p.has_inner)
			FUZZ_ASSERT(p.inner_src.family == 2 ||
			            p.inner_src.family == 10);
	}
	free(frame);
	return 0;
}
