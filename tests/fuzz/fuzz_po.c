/*
 * certexam — libFuzzer harness for the message catalog reader
 * (scanner/util/i18n.c): cx_catalog_parse on the raw bytes.  A parsed
 * catalog's ids are sorted and unique, every message is valid UTF-8 and
 * formats without reading past its end; a malformed input is CX_EPARSE
 * with a diagnostic that names a line, never CX_ENOMEM.
 */
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/util.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const char *const args[] = {"a", "x", "name", NULL, NULL};
	struct cx_catalog *cat = NULL;
	struct cx_diags d = {0};
	struct cx_buf b = {0};
	const char *id, *prev = NULL, *msg;
	size_t i;
	int rc;

	rc = cx_catalog_parse((const char *)data, size, "fuzz", &cat, &d);
	if (rc == CX_OK) {
		FUZZ_ASSERT(cat != NULL);
		fuzz_check_text(cx_catalog_lang(cat));
		for (i = 0; i < cx_catalog_count(cat); i++) {
			id = cx_catalog_id(cat, i);
			FUZZ_ASSERT(id != NULL && *id != '\0');
			FUZZ_ASSERT(prev == NULL || strcmp(prev, id) < 0);
			msg = cx_catalog_get(cat, id);
			FUZZ_ASSERT(msg != NULL);
			fuzz_check_text(msg);
			b.len = 0;
			FUZZ_ASSERT(cx_msg(&b, cat, id, args) == CX_OK);
			FUZZ_ASSERT(cx_msg_placeholders(&b, msg) == CX_OK);
			fuzz_check_text(b.data);
			prev = id;
		}
	} else if (rc == CX_EPARSE) {
		FUZZ_ASSERT(cat == NULL);
		FUZZ_ASSERT(d.n >= 1 && d.items[0].line >= 1);
	} else {
		FUZZ_ASSERT(rc == CX_ELIMIT);
	}
	cx_buf_free(&b);
	cx_diags_free(&d);
	cx_catalog_free(cat);
	return 0;
}
