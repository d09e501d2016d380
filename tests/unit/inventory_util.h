/*
 * Helpers shared by the inventory unit tests (inventory_util.c).
 */
#ifndef CX_TEST_INVENTORY_UTIL_H
#define CX_TEST_INVENTORY_UTIL_H

#include "certexam/object.h"

/* A zeroed object (asserted allocated); obj_del frees what the Annex 5/6
 * loaders put into it, and the object. */
struct cx_object *obj_new(void);
void obj_del(struct cx_object *o);

#endif
