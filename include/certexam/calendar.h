/*
 * certexam — dates, the working-day calendar (profiles/calendar/KZ-YYYY.xml)
 * and the terms of the Rules counted in working days.
 *
 * A day is a number of days since 1970-01-01 (proleptic Gregorian).  The
 * calendar marks each day of the loaded years as working or not: Saturday
 * and Sunday, the holidays of the year's file, the working day after a
 * state or national holiday that falls on a Saturday or Sunday (as many as
 * there are such holidays, in order), then the moves of the year's file.
 * A term of n working days after an event ends on the n-th working day
 * after the event's day (the Civil Code's rule: a term starts the day after
 * the event).
 */
#ifndef CERTEXAM_CALENDAR_H
#define CERTEXAM_CALENDAR_H

#include <stddef.h>
#include "certexam/error.h"

/* "YYYY-MM-DD" (a real date, years 1900-2199) to a day; 0 or CX_EINVAL. */
int cx_date_parse(const char *s, long *day);
/* The day as "YYYY-MM-DD" into out (at least 11 bytes). */
void cx_date_str(long day, char *out, size_t outsz);
/* 0 Monday ... 6 Sunday. */
int cx_date_wday(long day);
/* The year of a day. */
int cx_date_year(long day);

struct cx_calendar {
	int first_year, last_year; /* years held; 0 when none */
	long base;                 /* the day of 1 January first_year */
	unsigned char *off;        /* per day from base: 1 when not working */
	size_t n_days;
	unsigned char *complete; /* per year: the file says complete="true" */
	char **notes; /* per year and language (enum cx_lang): the file's
	                 <note xml:lang>, or NULL; see cx_calendar_note() */
	char **names; /* per day: the holiday's name, or NULL */
};

/*
 * Load dir/KZ-YYYY.xml for every year from first to last that has a file,
 * each validated against schema_dir/calendar.xsd.  Years without a file
 * are not held (cx_calendar_working answers CX_ENOENT there).  Problems go
 * to d.  *out is freed with cx_calendar_free.
 */
int cx_calendar_load(const char *dir, const char *schema_dir, int first,
                     int last, struct cx_calendar **out, struct cx_diags *d);
void cx_calendar_free(struct cx_calendar *c);

/*
 * The note of year's file in lang ("kk", "ru", "en"), borrowed from c;
 * NULL when the file has none, the year is not held or lang is not one
 * of the three.  A file gives its note in all three languages or not at
 * all (cx_calendar_load refuses anything else).
 */
const char *cx_calendar_note(const struct cx_calendar *c, int year,
                             const char *lang);

/* 1 working, 0 not, CX_ENOENT when the year is not held. */
int cx_calendar_working(const struct cx_calendar *c, long day);

/*
 * The n-th working day after day into *due (n >= 1).  *incomplete (may be
 * NULL) is set to 1 when a year on the way is marked incomplete.  0, or
 * CX_ENOENT when the term runs out of the years held.
 */
int cx_calendar_add(const struct cx_calendar *c, long day, int n, long *due,
                    int *incomplete);

/* Working days after from up to and including to (0 when to <= from);
 * -1 when a day on the way is not held. */
long cx_calendar_between(const struct cx_calendar *c, long from, long to);

#endif
