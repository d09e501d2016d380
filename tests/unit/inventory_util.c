/*
 * Shared by the inventory unit tests (check_inventory.c,
 * check_inventory_load.c): an object for the Annex 5/6 loaders.
 */
#include <check.h>
#include <stdlib.h>

#include "certexam/object.h"
#include "certexam/util.h"
#include "inventory_util.h"

struct cx_object *obj_new(void)
{
	struct cx_object *o = calloc(1, sizeof(*o));

	ck_assert_ptr_nonnull(o);
	return o;
}

/* Frees what the loaders put into o (the rest of o is untouched here). */
void obj_del(struct cx_object *o)
{
	cx_hw_rows_free(o->hardware, o->n_hardware);
	cx_sw_rows_free(o->software, o->n_software);
	cx_diags_free(&o->list_diags);
	free(o);
}
