/*
 * certexam — libFuzzer harness for the Annex 5 / Annex 6 loaders
 * (scanner/case/annex_lists.c): the bytes are loaded as hardware.csv, then as
 * software.csv of the same object (so the "installed on" references are
 * checked against the hardware rows just read), from a memfd.  The
 * address-list helpers the inventory check shares (cx_inv_addr_*) run on
 * every column 10 that was read.  Loaded cells must be non-NULL UTF-8.
 */
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/object.h"
#include "fuzz_common.h"
#include "inventory.h"

static void walk_addresses(const char *list)
{
	const char *cur = list, *tok = NULL;
	size_t len = 0, n = 0;
	struct cx_addr a, prev;
	int prefix, have_prev = 0;

	while (cx_inv_addr_next(&cur, &tok, &len)) {
		FUZZ_ASSERT(len > 0);
		FUZZ_ASSERT(tok >= list && tok + len <= list + strlen(list));
		if (cx_inv_addr_parse(tok, len, &a, &prefix) == CX_OK) {
			FUZZ_ASSERT(prefix >= -1 && prefix <= 128);
			(void)cx_inv_addr_is_block(&a, prefix);
			FUZZ_ASSERT(cx_inv_addr_in_block(&a, &a, prefix));
			if (have_prev)
				(void)cx_inv_addr_in_block(&a, &prev, prefix);
			prev = a;
			have_prev = 1;
		}
		FUZZ_ASSERT(++n <= strlen(list));
	}
	/* The free-text reader over the same cell, and the version
	 * normaliser over it as if it were a version. */
	{
		struct cx_inv_tok t;
		struct cx_ver v;
		const char *c2 = NULL;

		n = 0;
		while (cx_inv_addr_scan(list, &c2, &t)) {
			FUZZ_ASSERT(t.text >= list &&
			            t.off + t.len <= strlen(list));
			FUZZ_ASSERT(t.a_text == NULL ||
			            t.a_text + t.a_len <= list + strlen(list));
			FUZZ_ASSERT(t.port == -1 ||
			            (t.port >= 1 && t.port <= 65535));
			FUZZ_ASSERT(++n <= strlen(list));
		}
		cx_ver_norm(list, &v);
		FUZZ_ASSERT(strlen(v.upstream) < sizeof(v.upstream));
		(void)cx_ver_compare(list, list, list);
		(void)cx_annex_is_title(list);
		(void)cx_annex_is_note(list);
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cx_object *obj;
	struct cx_diags d = {0};
	const char *path;
	size_t i;
	int rc;

	obj = calloc(1, sizeof(*obj));
	FUZZ_ASSERT(obj != NULL);
	path = fuzz_memfd_file(data, size);

	rc = cx_object_load_hardware(obj, path, &d);
	if (rc == CX_OK) {
		for (i = 0; i < obj->n_hardware; i++) {
			const struct cx_hw_row *r = &obj->hardware[i];

			FUZZ_ASSERT(r->line >= 1);
			FUZZ_ASSERT(r->item != NULL && r->model != NULL &&
			            r->addresses != NULL &&
			            r->software != NULL);
			fuzz_check_text(r->item);
			fuzz_check_text(r->model);
			fuzz_check_text(r->addresses);
			walk_addresses(r->addresses);
		}
	} else {
		FUZZ_ASSERT(obj->hardware == NULL);
		FUZZ_ASSERT(d.n > 0 && rc != CX_ENOMEM);
	}

	rc = cx_object_load_software(obj, path, &d);
	FUZZ_ASSERT(rc != CX_ENOMEM);
	if (rc == CX_OK) {
		for (i = 0; i < obj->n_software; i++) {
			const struct cx_sw_row *r = &obj->software[i];

			FUZZ_ASSERT(r->line >= 1);
			FUZZ_ASSERT(r->item != NULL && r->name != NULL &&
			            r->version != NULL &&
			            r->installed_on != NULL);
			fuzz_check_text(r->name);
			fuzz_check_text(r->installed_on);
		}
	}
	for (i = 0; i < d.n; i++) {
		FUZZ_ASSERT(d.items[i].message != NULL);
		FUZZ_ASSERT(d.items[i].line >= 0);
	}
	cx_diags_free(&d);
	cx_object_free(obj);
	return 0;
}
