/*
 * certexam — libFuzzer harness for object.xml (scanner/case/object_load.c,
 * object_check.c, xmlsafe.c): cx_object_load on the bytes, validated against
 * profiles/schema/object.xsd, then the completeness check of the package
 * on what was loaded, and every text in kk and ru (xml:lang, ltext.c).
 * The bytes are handed over as a memfd.  Loaded text
 * must be valid UTF-8; a failed load must say why.
 */
#include <stdlib.h>

#include "certexam/error.h"
#include "certexam/object.h"
#include "fuzz_common.h"

static void check_object(const struct cx_object *o)
{
	size_t i;

	fuzz_check_text(o->name);
	fuzz_check_text(o->short_name);
	fuzz_check_text(o->possessor.name);
	fuzz_check_text(o->applicant.bin);
	for (i = 0; i < o->n_scope; i++) {
		FUZZ_ASSERT(o->scope[i].value != NULL);
		fuzz_check_text(o->scope[i].value);
	}
	for (i = 0; i < o->n_exclude; i++)
		FUZZ_ASSERT(o->exclude[i].value != NULL);
	for (i = 0; i < o->n_services; i++) {
		FUZZ_ASSERT(o->services[i].port >= 0 &&
		            o->services[i].port <= 65535);
		fuzz_check_text(o->services[i].host);
	}
	for (i = 0; i < o->n_documents; i++)
		fuzz_check_text(o->documents[i].title);
	for (i = 0; i < o->n_trust_anchors; i++)
		FUZZ_ASSERT(o->trust_anchors[i] != NULL);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cx_object *o = NULL;
	struct cx_diags d = {0};
	const char *path;
	int rc;

	path = fuzz_memfd_file(data, size);
	rc = cx_object_load(path, CX_FUZZ_PROFILES "/schema", &o, &d);
	if (rc == CX_OK) {
		FUZZ_ASSERT(o != NULL);
		check_object(o);
		(void)cx_object_check_complete(o, &d);
		/* Texts given in several languages: each language's. */
		cx_object_localize(o, "kk");
		check_object(o);
		cx_object_localize(o, "ru");
		check_object(o);
		fuzz_check_text(cx_object_text(o, o->possessor.name));
		cx_object_localize(o, NULL);
		check_object(o);
	} else {
		FUZZ_ASSERT(o == NULL);
		/* Inputs are small: never "out of memory". */
		FUZZ_ASSERT(rc != CX_ENOMEM && d.n > 0);
		/* A schema failure must not come from our own schema. */
		FUZZ_ASSERT(rc != CX_ENOENT);
	}
	cx_diags_free(&d);
	cx_object_free(o);
	return 0;
}
