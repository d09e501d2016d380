/*
 * certexam — libFuzzer harness for the procedure files a case submits:
 * CASE/waivers.xml (scanner/case/waivers.c, schema waivers.xsd) and
 * CASE/procedure.xml (scanner/case/procedure.c, schema procedure.xsd).
 * The first byte picks the loader; the rest is the file, as a memfd.  A
 * loaded waiver has one of key and pattern, real dates and text; the
 * pattern matcher runs on what was loaded; a failed load says why.
 */
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/procedure.h"
#include "certexam/waiver.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cx_diags d = {0};
	struct cx_waivers *w = NULL;
	struct cx_procedure p;
	const char *path;
	size_t i;
	int rc, which;

	if (size < 1)
		return 0;
	which = data[0] & 1;
	path = fuzz_memfd_file(data + 1, size - 1);
	if (which == 0) {
		rc = cx_waivers_load(path, CX_FUZZ_PROFILES "/schema", &w, &d);
		if (rc == CX_OK) {
			FUZZ_ASSERT(w != NULL);
			for (i = 0; i < w->n; i++) {
				const struct cx_waiver *x = &w->items[i];

				FUZZ_ASSERT((x->key == NULL) !=
				            (x->pattern == NULL));
				fuzz_check_text(x->justification);
				fuzz_check_text(x->approved_by);
				(void)cx_waiver_match(x->pattern ? x->pattern
				                                 : x->key,
				                      x->justification);
			}
		} else {
			FUZZ_ASSERT(w == NULL);
			FUZZ_ASSERT(rc == CX_ENOMEM || d.n > 0);
		}
		cx_waivers_free(w);
	} else {
		rc = cx_procedure_load_file(path, CX_FUZZ_PROFILES "/schema",
		                            &p, &d);
		if (rc == CX_OK)
			for (i = 0; i < CX__EV_COUNT; i++)
				FUZZ_ASSERT(p.day[i] >= -1);
		else
			FUZZ_ASSERT(rc == CX_ENOMEM || d.n > 0);
	}
	cx_diags_free(&d);
	return 0;
}
