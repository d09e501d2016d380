/*
 * certexam — libFuzzer harness for the service signature matcher
 * (scanner/net/service_sig.c): profiles/signatures.xml is loaded once; the
 * first input byte picks the probe the rest is a reply to (0: the
 * banner), and cx_sig_match_idx / cx_sigdb_match run on it.  What a match
 * fills in must be printable text without control characters; the
 * sanitised view (cx_svc_view) must be printable ASCII plus CR, LF, TAB.
 */
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "fuzz_common.h"
#include "service_int.h"

static struct cx_sigdb *db;

static void free_db(void)
{
	cx_sigdb_free(db);
	db = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct cx_diags d = {0};

	(void)argc;
	(void)argv;
	if (cx_sigdb_load(CX_FUZZ_PROFILES "/signatures.xml", NULL, &db, &d) !=
	    CX_OK) {
		fprintf(stderr, "fuzz_banner: cannot load signatures.xml\n");
		abort();
	}
	cx_diags_free(&d);
	atexit(free_db);
	return 0;
}

static void check_field(const char *s)
{
	size_t i;

	if (s == NULL)
		return;
	FUZZ_ASSERT(s[0] != '\0');
	for (i = 0; s[i] != '\0'; i++)
		FUZZ_ASSERT((unsigned char)s[i] >= 0x20 &&
		            (unsigned char)s[i] < 0x7f);
	FUZZ_ASSERT(s[0] != ' ' && s[i - 1] != ' ');
}

static void check_result(const struct cx_svc_result *res, int rc)
{
	size_t i;

	FUZZ_ASSERT(rc == 0 || rc == 1 || rc == CX_ENOMEM);
	if (rc == 1)
		FUZZ_ASSERT(res->service != NULL);
	check_field(res->product);
	check_field(res->version);
	check_field(res->extra);
	FUZZ_ASSERT(res->n_facts <= CX_SVC_MAX_FACTS);
	for (i = 0; i < res->n_facts; i++)
		FUZZ_ASSERT(res->facts[i].name != NULL &&
		            res->facts[i].value != NULL);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cx_svc_result res;
	const unsigned char *body;
	size_t len, i, max;
	char *view;
	int probe, rc;

	if (size == 0)
		return 0;
	probe = (int)(data[0] % db->n_probes);
	body = data + 1;
	len = size - 1;

	memset(&res, 0, sizeof(res));
	rc = cx_sig_match_idx(db, probe, body, len, &res);
	check_result(&res, rc);
	if (res.service != NULL) {
		(void)cx_sig_tls_service(db, res.service);
		(void)cx_sig_probe_elicits(&db->probes[probe], res.service);
	}
	cx_svc_result_clear(&res);

	/* By name, as the ports check calls it; the banner entries too. */
	rc = cx_sigdb_match(db, db->probes[probe].name, body, len, &res);
	check_result(&res, rc);
	rc = cx_sigdb_match(db, NULL, body, len, &res);
	FUZZ_ASSERT(rc == 0 || rc == 1 || rc == CX_ENOMEM);
	cx_svc_result_clear(&res);
	(void)cx_sig_probe_has_port(&db->probes[probe], data[0] * 257u);

	max = len > 0 ? body[0] : 0;
	view = cx_svc_view(body, len, max);
	FUZZ_ASSERT(view != NULL);
	for (i = 0; view[i] != '\0'; i++) {
		unsigned char c = (unsigned char)view[i];

		FUZZ_ASSERT((c >= 0x20 && c < 0x7f) || c == '\r' || c == '\n' ||
		            c == '\t');
	}
	FUZZ_ASSERT(i <= 4 * (max < len ? max : len));
	free(view);
	return 0;
}
