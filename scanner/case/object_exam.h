/*
 * certexam — the examination sections of object.xml (examiners, head,
 * languages, parts 22(1) and 22(3)), read by scanner/case/object_exam.c
 * for scanner/case/object_load.c.
 */
#ifndef CX_OBJECT_EXAM_H
#define CX_OBJECT_EXAM_H

#include "certexam/error.h"
#include "certexam/object.h"
#include "xmlsafe.h"

/* Read the sections under root into o; problems go to d.  0 or ENOMEM. */
int cx_object_load_exam(xmlNodePtr root, struct cx_object *o, const char *file,
                        struct cx_diags *d);
/* Free what cx_object_load_exam put into o. */
void cx_object_free_exam(struct cx_object *o);

#endif
