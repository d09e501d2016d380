/*
 * certexam — the examination sections of object.xml (examiners, head,
 * languages, parts 22(1) and 22(3)), read by scanner/case/object_exam.c
 * for scanner/case/object_load.c, and the titles of the Annex 3
 * documents in three languages (scanner/case/object_annex3.c).
 */
#ifndef CX_OBJECT_EXAM_H
#define CX_OBJECT_EXAM_H

#include "certexam/error.h"
#include "certexam/object.h"
#include "ltext.h"
#include "xmlsafe.h"

/* Read the sections under root into o; the texts (names, positions,
 * titles, notes) through r, problems go to r->d.  0 or ENOMEM. */
int cx_object_load_exam(xmlNodePtr root, struct cx_object *o,
                        struct cx_lt_reader *r);
/* The title of Annex 3 item number (1-16) in lang ("kk", "ru"; any
 * other: English), static storage; NULL out of range
 * (scanner/case/object_annex3.c). */
const char *cx_annex3_title_in(int number, const char *lang);

/* Free what cx_object_load_exam put into o. */
void cx_object_free_exam(struct cx_object *o);

#endif
