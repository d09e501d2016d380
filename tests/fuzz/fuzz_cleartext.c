/*
 * certexam — libFuzzer harness for the cleartext-credentials parser
 * (checks/cleartext_parse.c): the first input byte picks the protocol
 * (IMAP, POP3, SMTP) and the stage (greeting, capabilities, STARTTLS, USER);
 * the rest is the server's reply, fed whole and then in two pieces as a
 * socket would deliver it.  The reply must be one of the four values,
 * the offers text bounded and printable, and the verdict one of the
 * known messages with status pass or fail.
 */
#include <stdlib.h>
#include <string.h>

#include "cleartext.h"
#include "fuzz_common.h"

static void check_caps(const struct ct_caps *c)
{
	size_t i, n = strnlen(c->offers, sizeof(c->offers));

	FUZZ_ASSERT(n < sizeof(c->offers));
	for (i = 0; i < n; i++)
		FUZZ_ASSERT(c->offers[i] >= 0x20 && c->offers[i] < 0x7f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum ct_proto proto;
	enum ct_stage stage;
	struct ct_caps caps;
	enum ct_reply r;
	enum cx_status st;
	const char *m, *s;
	char *copy;
	size_t n, cut;

	if (size < 1)
		return 0;
	proto = (enum ct_proto)(data[0] % 3);
	stage = (enum ct_stage)((data[0] / 3) % 4); /* CT_USER included */
	n = size - 1;
	/* An exact-size copy: a read past n is caught by ASan. */
	copy = malloc(n ? n : 1);
	if (copy == NULL)
		return 0;
	memcpy(copy, data + 1, n);
	s = copy;
	memset(&caps, 0, sizeof(caps));
	r = ct_parse(proto, stage, s, n, &caps);
	FUZZ_ASSERT(r == CT_MORE || r == CT_OK || r == CT_NO || r == CT_BAD);
	check_caps(&caps);
	cut = n / 2;
	memset(&caps, 0, sizeof(caps));
	(void)ct_parse(proto, stage, s, cut, &caps);
	(void)ct_parse(proto, stage, s, n, &caps);
	check_caps(&caps);
	m = ct_verdict(proto, &caps, (int)(data[0] % 3) - 1, &st);
	FUZZ_ASSERT(m != NULL && strncmp(m, "cleartext.", 10) == 0);
	FUZZ_ASSERT(st == CX_PASS || st == CX_FAIL);
	free(copy);
	return 0;
}
