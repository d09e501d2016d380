/*
 * certexam — libFuzzer harness for the CSV reader (scanner/case/csv.c):
 * cx_csv_parse on the raw bytes and cx_cp1251_to_utf8.  Every field of a
 * parsed table must be valid UTF-8 and NUL-terminated, and the
 * Windows-1251 conversion must give valid UTF-8 of the length it reports.
 */
#include <stdlib.h>
#include <string.h>

#include "certexam/csv.h"
#include "certexam/error.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cx_csv *csv = NULL;
	const char *msg = NULL;
	long line = 0;
	size_t i, j, outlen = 0;
	char *u;
	int rc;

	rc = cx_csv_parse((const char *)data, size, &csv, &line, &msg);
	if (rc == CX_OK) {
		FUZZ_ASSERT(csv != NULL);
		FUZZ_ASSERT(csv->n_records <= csv->cap_records ||
		            csv->cap_records == 0);
		for (i = 0; i < csv->n_records; i++) {
			const struct cx_csv_record *r = &csv->records[i];

			FUZZ_ASSERT(r->line >= 1);
			FUZZ_ASSERT(r->n_fields >= 1 && r->n_fields <= 4096);
			for (j = 0; j < r->n_fields; j++) {
				FUZZ_ASSERT(r->fields[j] != NULL);
				fuzz_check_text(r->fields[j]);
			}
		}
	} else if (rc == CX_EPARSE) {
		FUZZ_ASSERT(msg != NULL);
		FUZZ_ASSERT(line >= 1);
	} else {
		/* Inputs are small: never "out of memory". */
		FUZZ_ASSERT(rc == CX_ELIMIT);
	}
	cx_csv_free(csv);

	u = cx_cp1251_to_utf8((const char *)data, size, &outlen);
	FUZZ_ASSERT(u != NULL);
	FUZZ_ASSERT(outlen >= size && strlen(u) <= outlen);
	FUZZ_ASSERT(fuzz_utf8_ok(u, outlen));
	free(u);
	return 0;
}
