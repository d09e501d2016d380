/*
 * certexam — libFuzzer harness for profiles (scanner/case/profile.c through
 * scanner/case/xmlsafe.c): the bytes from a memfd are a profile that
 * extends a catalogue of the shipped profiles/ (rules-298), loaded first
 * without a schema (the reader alone must survive anything well-formed),
 * then, for well-formed input, validated against profiles/schema/
 * profile.xsd as the program loads profiles.  A loaded profile is queried
 * with every accessor.
 */
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/profile.h"
#include "fuzz_common.h"

static void query(const struct cx_profile *p)
{
	size_t i, it;
	const char *v;

	FUZZ_ASSERT(p->id != NULL && p->version != NULL);
	for (i = 0; i < p->n_reqs; i++) {
		FUZZ_ASSERT(p->reqs[i].id != NULL);
		FUZZ_ASSERT(p->reqs[i].severity >= CX_SEV_CRITICAL &&
		            p->reqs[i].severity < CX__SEV_COUNT);
		FUZZ_ASSERT(cx_profile_req(p, p->reqs[i].id) != NULL);
		fuzz_check_text(p->reqs[i].text);
		FUZZ_ASSERT(cx_requirement_str(&p->reqs[i], CX_REQ_SOURCE,
		                               CX_LANG_KK) != NULL);
	}
	for (i = 0; i < p->n_params; i++) {
		FUZZ_ASSERT(p->params[i].name != NULL &&
		            p->params[i].value != NULL);
		v = cx_profile_param(p, p->params[i].name, NULL);
		FUZZ_ASSERT(v != NULL);
		(void)cx_profile_param_long(p, p->params[i].name, -1);
		FUZZ_ASSERT(cx_profile_param_has(p, p->params[i].name,
		                                 p->params[i].value));
		it = 0;
		while ((v = cx_profile_param_next(p, p->params[i].name, &it)) !=
		       NULL)
			FUZZ_ASSERT(it <= p->n_params);
	}
	(void)cx_profile_req(p, "NET-01");
	(void)cx_profile_param_long(p, "tls.min_rsa_bits", 2048);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cx_profile *p = NULL;
	struct cx_diags d = {0};
	const char *path;
	int rc;

	path = fuzz_memfd_file(data, size);
	rc = cx_profile_load_from(path, CX_FUZZ_PROFILES, NULL, &p, &d);
	if (rc == CX_OK)
		query(p);
	else
		FUZZ_ASSERT(p == NULL && rc != CX_ENOMEM && d.n > 0);
	cx_profile_free(p);
	p = NULL;
	cx_diags_free(&d);
	if (rc == CX_EPARSE || rc == CX_ELIMIT)
		return 0;

	rc = cx_profile_load_from(path, CX_FUZZ_PROFILES,
	                          CX_FUZZ_PROFILES "/schema", &p, &d);
	if (rc == CX_OK)
		query(p);
	else
		FUZZ_ASSERT(p == NULL && rc != CX_ENOENT && rc != CX_ENOMEM &&
		            d.n > 0);
	cx_profile_free(p);
	cx_diags_free(&d);
	return 0;
}
