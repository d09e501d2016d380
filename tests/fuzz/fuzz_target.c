/*
 * certexam — libFuzzer harness for scope entries and port specifications
 * (scanner/net/target.c): cx_scope_add on each line of the input, then the
 * scope is queried (size, membership, a bounded walk of its addresses),
 * and cx_portset_parse on the whole input.
 *
 * No name may ever be looked up (that would send DNS queries off the
 * machine): lines that are not purely digits, dots, colons, hex letters,
 * '/' and '-' are skipped, and as a second guard this program's own
 * getaddrinfo() forces AI_NUMERICHOST, so a name that looks hexadecimal
 * ("cafe") fails without a query.  tests/fuzz/run.sh also runs it in a
 * network namespace of its own.
 */
#include <dlfcn.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "certexam/error.h"
#include "certexam/target.h"
#include "fuzz_common.h"

#define MAX_LINES 16
#define MAX_WALK  512

int getaddrinfo(const char *node, const char *service,
                const struct addrinfo *hints, struct addrinfo **res)
{
	static int (*real)(const char *, const char *, const struct addrinfo *,
	                   struct addrinfo **);
	struct addrinfo h;
	void *sym;

	if (real == NULL) {
		sym = dlsym(RTLD_NEXT, "getaddrinfo");
		FUZZ_ASSERT(sym != NULL);
		memcpy(&real, &sym, sizeof(real));
	}
	memset(&h, 0, sizeof(h));
	if (hints != NULL)
		h = *hints;
	h.ai_flags |= AI_NUMERICHOST | AI_NUMERICSERV;
	return real(node, service, &h, res);
}

static int numeric_only(const char *s)
{
	for (; *s != '\0'; s++)
		if (strchr("0123456789.:/-abcdefABCDEF", *s) == NULL)
			return 0;
	return 1;
}

static void query(const struct cx_scope *s)
{
	struct cx_target_iter it;
	struct cx_addr a, back;
	char txt[64];
	size_t i, n = 0;
	uint64_t size;

	size = cx_scope_size(s);
	for (i = 0; i < s->n_blocks; i++) {
		FUZZ_ASSERT(s->blocks[i].first.family ==
		            s->blocks[i].last.family);
		FUZZ_ASSERT(
		    cx_addr_cmp(&s->blocks[i].first, &s->blocks[i].last) <= 0);
		(void)cx_scope_contains(s, &s->blocks[i].first);
		(void)cx_scope_contains(s, &s->blocks[i].last);
	}
	cx_target_iter_init(&it, s);
	while (n < MAX_WALK && cx_target_next(&it, &a)) {
		n++;
		FUZZ_ASSERT(cx_scope_contains(s, &a));
		cx_addr_str(&a, txt, sizeof(txt));
		FUZZ_ASSERT(cx_addr_parse(txt, &back) == CX_OK);
		FUZZ_ASSERT(cx_addr_cmp(&a, &back) == 0);
	}
	FUZZ_ASSERT(n <= size);
	if (n < MAX_WALK)
		FUZZ_ASSERT(n == size);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cx_scope scope;
	struct cx_diags d = {0};
	struct cx_portset ps;
	const char *bad = NULL;
	char *text, *line, *nl;
	size_t n = 0;
	unsigned p, count;
	int rc, exclude;

	text = fuzz_strndup(data, size);

	memset(&scope, 0, sizeof(scope));
	for (line = text; line != NULL && n < MAX_LINES; line = nl) {
		nl = strchr(line, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		exclude = line[0] == '-' && line[1] == '-';
		if (exclude)
			line += 2;
		if (!numeric_only(line))
			continue;
		n++;
		rc = cx_scope_add(&scope, line, exclude, &d, "fuzz", (long)n);
		if (rc != CX_OK)
			FUZZ_ASSERT(rc == CX_EINVAL || rc == CX_ERESOLVE ||
			            rc == CX_ENOMEM || rc == CX_ERANGE ||
			            rc == CX_ELIMIT);
	}
	query(&scope);
	cx_scope_free(&scope);
	cx_diags_free(&d);
	free(text);

	text = fuzz_strndup(data, size);
	rc = cx_portset_parse(&ps, text, &bad);
	if (rc == CX_OK) {
		count = 0;
		for (p = 0; p <= 65536; p++)
			count += (unsigned)cx_portset_has(&ps, p);
		FUZZ_ASSERT(count == ps.count);
		FUZZ_ASSERT(!cx_portset_has(&ps, 0));
	} else if (rc == CX_EINVAL && bad != NULL) {
		FUZZ_ASSERT(bad >= text && bad <= text + strlen(text));
	}
	free(text);
	return 0;
}
