/*
 * certexam — dates and the working-day calendar of the Republic of
 * Kazakhstan (profiles/calendar/KZ-YYYY.xml, schema calendar.xsd), and
 * terms counted in working days.  See include/certexam/calendar.h for the
 * rules applied; the data files cite the sources of every date.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/calendar.h"
#include "certexam/i18n.h"
#include "certexam/lang.h"
#include "certexam/util.h"
#include "xmlsafe.h"

/* Days from civil (Howard Hinnant's algorithm), 1970-01-01 = 0. */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int cx_date_parse(const char *s, long *day)
{
	unsigned m, d,
	    mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	long y;
	int i;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return CX_EINVAL;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return CX_EINVAL;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
	d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1)
		return CX_EINVAL;
	if ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)
		mdays[1] = 29;
	if (d > mdays[m - 1])
		return CX_EINVAL;
	*day = days_from_civil(y, m, d);
	return CX_OK;
}

void cx_date_str(long day, char *out, size_t outsz)
{
	long y;
	unsigned m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(out, outsz, "%04ld-%02u-%02u", y, m, d);
}

int cx_date_wday(long day)
{
	/* 1970-01-01 was a Thursday (3). */
	long w = (day + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

int cx_date_year(long day)
{
	long y;
	unsigned m, d;

	civil_from_days(day, &y, &m, &d);
	return (int)y;
}

void cx_calendar_free(struct cx_calendar *c)
{
	size_t i;
	int y;

	if (c == NULL)
		return;
	if (c->names != NULL)
		for (i = 0; i < c->n_days; i++)
			free(c->names[i]);
	if (c->notes != NULL)
		for (y = 0;
		     y < (c->last_year - c->first_year + 1) * CX_LANG_COUNT;
		     y++)
			free(c->notes[y]);
	free(c->names);
	free(c->notes);
	free(c->complete);
	free(c->off);
	free(c);
}

/* The index of a day inside the calendar, or -1. */
static long index_of(const struct cx_calendar *c, long day)
{
	if (c == NULL || day < c->base || day - c->base >= (long)c->n_days)
		return -1;
	return day - c->base;
}

/* Read one attribute date of n; problems to d. */
static int attr_day(xmlNodePtr n, const char *name, const char *path, long *day,
                    struct cx_diags *d)
{
	char *s = cx_xml_attr(n, name);
	int rc = cx_date_parse(s, day);

	if (rc)
		rc = cx_diag_add(d, path, cx_xml_line(n), name,
		                 "'%s' is not a real date (YYYY-MM-DD)",
		                 s ? s : "") ||
		             cx_diag_set_msg(d, "pkg.calendar.bad-date",
		                             CX_ARGS("value", s ? s : ""))
		         ? CX_ENOMEM
		         : CX_EINVAL;
	free(s);
	return rc;
}

/* One problem of a year file's <note>s, with its message id. */
static int note_diag(struct cx_diags *d, const char *path, xmlNodePtr n,
                     const char *msg, const char *const *args, const char *text)
{
	return cx_diag_add(d, path, cx_xml_line(n), "note", "%s", text) ||
	               cx_diag_set_msg(d, msg, args)
	           ? CX_ENOMEM
	           : CX_EPARSE;
}

/*
 * The <note>s of a year: none, or one in each of kk, ru and en
 * (xml:lang), so that the deadlines command prints the note in the
 * terminal's language.  Into c->notes[yi * CX_LANG_COUNT + lang].
 */
static int load_notes(struct cx_calendar *c, int yi, xmlNodePtr root,
                      const char *path, struct cx_diags *d)
{
	char **slot = &c->notes[(size_t)yi * CX_LANG_COUNT];
	long line[CX_LANG_COUNT] = {0};
	struct cx_buf b = {0};
	xmlNodePtr n, first = NULL;
	int rc = CX_OK, li;

	for (n = cx_xml_child(root, "note"); n != NULL && rc == CX_OK;
	     n = cx_xml_next(n, "note")) {
		xmlChar *v =
		    xmlGetNsProp(n, (const xmlChar *)"lang", XML_XML_NAMESPACE);
		const char *lang = v != NULL ? (const char *)v : "-";

		li = cx_lang_parse(lang);
		if (first == NULL)
			first = n;
		b.len = 0;
		if (v == NULL) {
			rc = note_diag(d, path, n, "pkg.calendar.note-no-lang",
			               NULL,
			               "a <note> needs xml:lang=\"kk\", \"ru\" "
			               "or \"en\"");
		} else if (li < 0 ||
		           strcmp(lang, cx_lang_code((enum cx_lang)li))) {
			rc = cx_buf_printf(
			         &b,
			         "a <note> needs xml:lang=\"kk\", \"ru\" "
			         "or \"en\", not \"%s\"",
			         lang) != CX_OK
			         ? CX_ENOMEM
			         : note_diag(d, path, n,
			                     "pkg.calendar.note-lang",
			                     CX_ARGS("lang", lang), b.data);
		} else if (slot[li] != NULL) {
			char fl[24];

			snprintf(fl, sizeof(fl), "%ld", line[li]);
			rc = cx_buf_printf(
			         &b,
			         "the note in xml:lang=\"%s\" is given "
			         "twice (first on line %s)",
			         lang, fl) != CX_OK
			         ? CX_ENOMEM
			         : note_diag(d, path, n,
			                     "pkg.calendar.note-twice",
			                     CX_ARGS("lang", lang, "first", fl),
			                     b.data);
		} else {
			slot[li] = cx_xml_text(n);
			line[li] = cx_xml_line(n);
			if (slot[li] == NULL)
				rc = CX_ENOMEM;
		}
		xmlFree(v);
	}
	for (li = 0; rc == CX_OK && first != NULL && li < CX_LANG_COUNT; li++)
		if (slot[li] == NULL) {
			const char *lang = cx_lang_code((enum cx_lang)li);

			b.len = 0;
			rc = cx_buf_printf(
			         &b,
			         "the note has no text in xml:lang=\"%s\": "
			         "give it in kk, ru and en",
			         lang) != CX_OK
			         ? CX_ENOMEM
			         : note_diag(d, path, first,
			                     "pkg.calendar.note-missing",
			                     CX_ARGS("lang", lang), b.data);
		}
	cx_buf_free(&b);
	return rc;
}

const char *cx_calendar_note(const struct cx_calendar *c, int year,
                             const char *lang)
{
	int li = cx_lang_parse(lang);

	if (c == NULL || c->notes == NULL || year < c->first_year ||
	    year > c->last_year || li < 0)
		return NULL;
	return c->notes[(size_t)(year - c->first_year) * CX_LANG_COUNT +
	                (size_t)li];
}

/* Weekends, holidays, the days off after holidays on weekends, moves. */
static int load_year(struct cx_calendar *c, int year, const char *path,
                     const char *schema_dir, struct cx_diags *d)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root, n;
	long day, to, i, shift[64];
	size_t n_shift = 0;
	char *s = NULL, *kind, ys[16];
	int rc, yi = year - c->first_year;

	rc = cx_xml_parse_file(path, CX_XML_MAX_SIZE, &doc, d);
	if (rc == CX_OK)
		rc = cx_xml_validate_in(doc, schema_dir, "calendar.xsd", path,
		                        d);
	if (rc)
		goto out;
	root = xmlDocGetRootElement(doc);
	s = cx_xml_attr(root, "year");
	if (s == NULL || cx_parse_long(s, 1900, 2199, &day) != CX_OK ||
	    day != year) {
		snprintf(ys, sizeof(ys), "%d", year);
		rc = cx_diag_add(d, path, cx_xml_line(root), "year",
		                 "the file is for the year %s, not %d",
		                 s ? s : "?", year) ||
		             cx_diag_set_msg(
		                 d, "pkg.calendar.wrong-year",
		                 CX_ARGS("given", s ? s : "?", "year", ys))
		         ? CX_ENOMEM
		         : CX_EPARSE;
		goto out;
	}
	free(s);
	s = cx_xml_attr(root, "complete");
	c->complete[yi] = s != NULL && strcmp(s, "true") == 0;
	rc = load_notes(c, yi, root, path, d);
	if (rc)
		goto out;
	/* Weekends of the year. */
	for (day = days_from_civil(year, 1, 1);
	     day < days_from_civil(year + 1, 1, 1); day++)
		if (cx_date_wday(day) >= 5)
			c->off[index_of(c, day)] = 1;
	for (n = cx_xml_child(root, "holiday"); n != NULL;
	     n = cx_xml_next(n, "holiday")) {
		rc = attr_day(n, "date", path, &day, d);
		if (rc)
			goto out;
		if (cx_date_year(day) != year) {
			snprintf(ys, sizeof(ys), "%d", year);
			rc = cx_diag_add(d, path, cx_xml_line(n), "date",
			                 "the holiday is not in %d", year) ||
			             cx_diag_set_msg(
			                 d, "pkg.calendar.holiday-year",
			                 CX_ARGS("year", ys))
			         ? CX_ENOMEM
			         : CX_EPARSE;
			goto out;
		}
		i = index_of(c, day);
		kind = cx_xml_attr(n, "kind");
		if (cx_date_wday(day) >= 5 && kind != NULL &&
		    strcmp(kind, "religious") != 0 && n_shift < 64)
			shift[n_shift++] = day;
		free(kind);
		c->off[i] = 1;
		free(c->names[i]);
		c->names[i] = cx_xml_attr(n, "name");
	}
	/* A holiday on a day off: the next working day is a day off, one
	 * for each such holiday, in order (Nauryz on Saturday and Sunday
	 * with Monday a holiday too: Tuesday and Wednesday). */
	for (i = 0; i < (long)n_shift; i++) {
		day = shift[i];
		while (index_of(c, day) >= 0 && c->off[index_of(c, day)])
			day++;
		if (index_of(c, day) >= 0)
			c->off[index_of(c, day)] = 1;
	}
	for (n = cx_xml_child(root, "move"); n != NULL;
	     n = cx_xml_next(n, "move")) {
		rc = attr_day(n, "from", path, &day, d);
		if (rc == CX_OK)
			rc = attr_day(n, "to", path, &to, d);
		if (rc)
			goto out;
		if (index_of(c, day) < 0 || index_of(c, to) < 0) {
			rc = cx_diag_add(d, path, cx_xml_line(n), "move",
			                 "the move leaves the years loaded") ||
			             cx_diag_set_msg(
			                 d, "pkg.calendar.move-outside", NULL)
			         ? CX_ENOMEM
			         : CX_EPARSE;
			goto out;
		}
		c->off[index_of(c, day)] = 0;
		c->off[index_of(c, to)] = 1;
	}
	rc = CX_OK;
out:
	free(s);
	if (doc != NULL)
		xmlFreeDoc(doc);
	return rc;
}

int cx_calendar_load(const char *dir, const char *schema_dir, int first,
                     int last, struct cx_calendar **out, struct cx_diags *d)
{
	struct cx_calendar *c;
	char name[32], *path;
	int y, found = 0, rc = CX_OK;

	*out = NULL;
	if (dir == NULL || first < 1900 || last > 2199 || last < first ||
	    last - first > 50)
		return CX_EINVAL;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return CX_ENOMEM;
	c->first_year = first;
	c->last_year = last;
	c->base = days_from_civil(first, 1, 1);
	c->n_days = (size_t)(days_from_civil(last + 1, 1, 1) - c->base);
	c->off = calloc(c->n_days, 1);
	c->names = calloc(c->n_days, sizeof(*c->names));
	c->complete = calloc((size_t)(last - first + 1), 1);
	c->notes = calloc((size_t)(last - first + 1) * CX_LANG_COUNT,
	                  sizeof(*c->notes));
	if (c->off == NULL || c->names == NULL || c->complete == NULL ||
	    c->notes == NULL) {
		cx_calendar_free(c);
		return CX_ENOMEM;
	}
	/* A year without a file is all "not held": marked 2. */
	memset(c->off, 2, c->n_days);
	for (y = first; y <= last && rc == CX_OK; y++) {
		snprintf(name, sizeof(name), "KZ-%d.xml", y);
		path = cx_path_join(dir, name);
		if (path == NULL) {
			rc = CX_ENOMEM;
			break;
		}
		if (cx_path_exists(path)) {
			long day, e = days_from_civil(y + 1, 1, 1);

			for (day = days_from_civil(y, 1, 1); day < e; day++)
				c->off[index_of(c, day)] = 0;
			rc = load_year(c, y, path, schema_dir, d);
			found++;
		}
		free(path);
	}
	if (rc == CX_OK && found == 0) {
		char fs[16], ls[16];

		snprintf(fs, sizeof(fs), "%d", first);
		snprintf(ls, sizeof(ls), "%d", last);
		rc = cx_diag_add(d, dir, 0, NULL,
		                 "no working-day calendar (KZ-YYYY.xml) for "
		                 "the years %d-%d",
		                 first, last) ||
		             cx_diag_set_msg(d, "pkg.calendar.none",
		                             CX_ARGS("first", fs, "last", ls))
		         ? CX_ENOMEM
		         : CX_ENOENT;
	}
	if (rc) {
		cx_calendar_free(c);
		return rc;
	}
	*out = c;
	return CX_OK;
}

int cx_calendar_working(const struct cx_calendar *c, long day)
{
	long i = index_of(c, day);

	if (i < 0 || c->off[i] == 2)
		return CX_ENOENT;
	return c->off[i] == 0;
}

int cx_calendar_add(const struct cx_calendar *c, long day, int n, long *due,
                    int *incomplete)
{
	int w;

	if (n < 1)
		return CX_EINVAL;
	while (n > 0) {
		day++;
		w = cx_calendar_working(c, day);
		if (w < 0)
			return w;
		if (incomplete != NULL &&
		    !c->complete[cx_date_year(day) - c->first_year])
			*incomplete = 1;
		n -= w;
	}
	*due = day;
	return CX_OK;
}

long cx_calendar_between(const struct cx_calendar *c, long from, long to)
{
	long n = 0;
	int w;

	for (; from < to; from++) {
		w = cx_calendar_working(c, from + 1);
		if (w < 0)
			return -1;
		n += w;
	}
	return n;
}
