/*
 * certexam — a CSV reader for what spreadsheet programs export.
 *
 * The whole document is first brought to UTF-8: a UTF-8 BOM is dropped;
 * bytes that are not valid UTF-8 are taken as Windows-1251 and converted,
 * except UTF-8 text cut off inside its last character, whose broken tail
 * becomes U+FFFD (a BOM, or other non-ASCII text that is valid UTF-8,
 * tells it apart from a Windows-1251 file ending in a letter).  Then the
 * separator is detected from the first records (detect_sep), and one pass
 * over the text splits records and fields.  Field text is gathered in a
 * scratch buffer that is reused from record to record, and each record is
 * stored as one allocation (the field pointers followed by the
 * NUL-terminated texts), so the work is linear in the size of the input.
 *
 * Lines that are completely empty (no character between two line ends)
 * are not records.  A quote in the middle of an unquoted field is kept as
 * text; after a closing quote only blanks may come before the separator or
 * the line end.  A NUL byte anywhere is refused: spreadsheets never write
 * one, and it is the mark of a UTF-16 file.
 */
#include <stdlib.h>
#include <string.h>

#include "certexam/csv.h"
#include "certexam/error.h"
#include "certexam/util.h"

#define CSV_MAX_FIELD  (1024u * 1024u)
#define CSV_MAX_FIELDS 4096u

/* Windows-1251 0x80-0xff as Unicode; 0x98 is unassigned (U+FFFD). */
static const unsigned short cp1251_hi[128] = {
    0x0402, 0x0403, 0x201a, 0x0453, 0x201e, 0x2026, 0x2020, 0x2021, 0x20ac,
    0x2030, 0x0409, 0x2039, 0x040a, 0x040c, 0x040b, 0x040f, 0x0452, 0x2018,
    0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0xfffd, 0x2122, 0x0459,
    0x203a, 0x045a, 0x045c, 0x045b, 0x045f, 0x00a0, 0x040e, 0x045e, 0x0408,
    0x00a4, 0x0490, 0x00a6, 0x00a7, 0x0401, 0x00a9, 0x0404, 0x00ab, 0x00ac,
    0x00ad, 0x00ae, 0x0407, 0x00b0, 0x00b1, 0x0406, 0x0456, 0x0491, 0x00b5,
    0x00b6, 0x00b7, 0x0451, 0x2116, 0x0454, 0x00bb, 0x0458, 0x0405, 0x0455,
    0x0457, 0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
    0x0418, 0x0419, 0x041a, 0x041b, 0x041c, 0x041d, 0x041e, 0x041f, 0x0420,
    0x0421, 0x0422, 0x0423, 0x0424, 0x0425, 0x0426, 0x0427, 0x0428, 0x0429,
    0x042a, 0x042b, 0x042c, 0x042d, 0x042e, 0x042f, 0x0430, 0x0431, 0x0432,
    0x0433, 0x0434, 0x0435, 0x0436, 0x0437, 0x0438, 0x0439, 0x043a, 0x043b,
    0x043c, 0x043d, 0x043e, 0x043f, 0x0440, 0x0441, 0x0442, 0x0443, 0x0444,
    0x0445, 0x0446, 0x0447, 0x0448, 0x0449, 0x044a, 0x044b, 0x044c, 0x044d,
    0x044e, 0x044f,
};

char *cx_cp1251_to_utf8(const char *p, size_t n, size_t *outlen)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t need = 0, i, o = 0;
	unsigned cp;
	char *out;

	if (n > (SIZE_MAX - 1) / 3)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] < 0x80)
			need += 1;
		else if (cp1251_hi[s[i] - 0x80] < 0x800)
			need += 2;
		else
			need += 3;
	}
	out = malloc(need + 1);
	if (out == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] < 0x80) {
			out[o++] = (char)s[i];
			continue;
		}
		cp = cp1251_hi[s[i] - 0x80];
		if (cp < 0x800) {
			out[o++] = (char)(0xc0 | (cp >> 6));
			out[o++] = (char)(0x80 | (cp & 0x3f));
		} else {
			out[o++] = (char)(0xe0 | (cp >> 12));
			out[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (cp & 0x3f));
		}
	}
	out[o] = '\0';
	if (outlen != NULL)
		*outlen = o;
	return out;
}

void cx_csv_free(struct cx_csv *csv)
{
	size_t i;

	if (csv == NULL)
		return;
	for (i = 0; i < csv->n_records; i++)
		free(csv->records[i].fields); /* one block per record */
	free(csv->records);
	free(csv);
}

/* 1-based line of byte offset off in s (LF, CRLF and lone CR end lines). */
static long line_of(const char *s, size_t off)
{
	long line = 1;
	size_t i;

	for (i = 0; i < off; i++) {
		if (s[i] == '\n')
			line++;
		else if (s[i] == '\r' && (i + 1 >= off || s[i + 1] != '\n'))
			line++;
	}
	return line;
}

/* Offset of the first invalid UTF-8 sequence, or n when all is valid. */
static size_t utf8_bad_offset(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		k = cx_utf8_seq(p + i, n - i);
		if (k == 0)
			return i;
		i += k;
	}
	return n;
}

/*
 * 1 if the n bytes at s are the beginning of one UTF-8 sequence that the
 * end of the input cut off.
 */
static int utf8_cut_tail(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t need, i;

	if (n == 0)
		return 0;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		need = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		need = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		need = 4;
	else
		return 0;
	if (n >= need)
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return 1;
}

/* 1 if any byte of s is not ASCII. */
static int has_high_bytes(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

#define SEP_SAMPLE_RECORDS 20
#define SEP_SAMPLE_BYTES   (4u * 1024u * 1024u)

/*
 * Field counts of the first records when sep is the separator (quotes
 * respected, empty lines skipped).  Returns the number of records seen.
 */
static size_t sep_sample(const char *s, size_t n, char sep, size_t *counts)
{
	size_t nrec = 0, fields = 1, i;
	int inq = 0, started = 0;
	char c;

	if (n > SEP_SAMPLE_BYTES)
		n = SEP_SAMPLE_BYTES;
	for (i = 0; i < n && nrec < SEP_SAMPLE_RECORDS; i++) {
		c = s[i];
		if (c == '"') {
			inq = !inq; /* a doubled quote toggles twice */
			started = 1;
			continue;
		}
		if (inq)
			continue;
		if (c == '\n' || c == '\r') {
			if (started)
				counts[nrec++] = fields;
			fields = 1;
			started = 0;
			continue;
		}
		started = 1;
		if (c == sep)
			fields++;
	}
	if (started && nrec < SEP_SAMPLE_RECORDS)
		counts[nrec++] = fields;
	return nrec;
}

/*
 * The separator: of ';', tab and ',', the one that gives the most of the
 * first 20 records the same number of fields as the first record it
 * splits (so a title line above the table does not matter); ';' (what
 * Excel writes in a Russian locale) wins a tie, then tab.  ';' when
 * nothing splits.
 */
static char detect_sep(const char *s, size_t n)
{
	static const char cand[] = {';', '\t', ','};
	size_t counts[SEP_SAMPLE_RECORDS], nrec, ref, score, best_score = 0;
	size_t i, k;
	char best = ';';

	for (k = 0; k < sizeof(cand); k++) {
		nrec = sep_sample(s, n, cand[k], counts);
		for (ref = 0; ref < nrec && counts[ref] < 2; ref++)
			;
		if (ref == nrec)
			continue;
		score = 0;
		for (i = ref; i < nrec; i++)
			if (counts[i] == counts[ref])
				score++;
		if (score > best_score) {
			best_score = score;
			best = cand[k];
		}
	}
	return best;
}

struct parser {
	const char *s;
	size_t n, pos;
	long line;
	char sep;
	/* The field texts of the current record, each NUL-terminated, and
	 * where each starts; both are reused from record to record. */
	struct cx_buf text;
	size_t *offs;
	size_t n_offs, cap_offs;
	struct cx_csv *csv;
	long err_line;
	const char *err_msg;
};

/* The syntax errors, each with the message id of its words (the loaders
 * give the diagnostic the id, cx_csv_error_id). */
enum csv_err {
	E_FIELD,
	E_UNTERMINATED,
	E_AFTER_QUOTE,
	E_FIELDS,
	E_UTF16,
	E_NUL,
	E_BOM_UTF8,
};

static const struct {
	const char *id, *text;
} csv_errors[] = {
    {"inv.annex.csv.field-too-long", "a field is longer than 1 MiB"},
    {"inv.annex.csv.unterminated", "unterminated quoted field"},
    {"inv.annex.csv.after-quote", "text after a closing quote"},
    {"inv.annex.csv.too-many-fields", "more than 4096 fields in a record"},
    {"inv.annex.csv.utf16",
     "UTF-16 text; save the table as CSV in UTF-8 or Windows-1251"},
    {"inv.annex.csv.nul", "NUL byte in the file (UTF-16 or binary data?)"},
    {"inv.annex.csv.bad-utf8", "invalid UTF-8 after a UTF-8 byte order mark"},
};

const char *cx_csv_error_id(const char *msg)
{
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(csv_errors); i++)
		if (msg == csv_errors[i].text)
			return csv_errors[i].id;
	return NULL;
}

static int fail_at(struct parser *ps, int rc, long line, enum csv_err e)
{
	ps->err_line = line;
	ps->err_msg = csv_errors[e].text;
	return rc;
}

/* Count the line ends inside a quoted chunk. */
static void count_lines(struct parser *ps, const char *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (c[i] == '\n')
			ps->line++;
		else if (c[i] == '\r' && (i + 1 >= n || c[i + 1] != '\n'))
			ps->line++;
	}
}

static int append_field_text(struct parser *ps, size_t field_start,
                             const char *p, size_t len)
{
	if (ps->text.len - field_start + len > CSV_MAX_FIELD)
		return fail_at(ps, CX_ELIMIT, ps->line, E_FIELD);
	if (cx_buf_append(&ps->text, p, len))
		return CX_ENOMEM;
	return CX_OK;
}

/* A quoted field; ps->pos is on the opening quote. */
static int parse_quoted(struct parser *ps, size_t field_start)
{
	long qline = ps->line;
	const char *q;
	size_t chunk;
	int rc;

	ps->pos++;
	for (;;) {
		q = memchr(ps->s + ps->pos, '"', ps->n - ps->pos);
		if (q == NULL)
			return fail_at(ps, CX_EPARSE, qline, E_UNTERMINATED);
		chunk = (size_t)(q - (ps->s + ps->pos));
		count_lines(ps, ps->s + ps->pos, chunk);
		rc = append_field_text(ps, field_start, ps->s + ps->pos, chunk);
		if (rc)
			return rc;
		ps->pos += chunk + 1;
		if (ps->pos < ps->n && ps->s[ps->pos] == '"') {
			rc = append_field_text(ps, field_start, "\"", 1);
			if (rc)
				return rc;
			ps->pos++;
			continue;
		}
		break;
	}
	/* Blanks may follow the closing quote; nothing else. */
	while (ps->pos < ps->n && ps->s[ps->pos] != ps->sep &&
	       (ps->s[ps->pos] == ' ' || ps->s[ps->pos] == '\t'))
		ps->pos++;
	if (ps->pos < ps->n && ps->s[ps->pos] != ps->sep &&
	    ps->s[ps->pos] != '\n' && ps->s[ps->pos] != '\r')
		return fail_at(ps, CX_EPARSE, ps->line, E_AFTER_QUOTE);
	return CX_OK;
}

/* An unquoted field: everything up to the separator or the line end. */
static int parse_plain(struct parser *ps, size_t field_start)
{
	size_t start = ps->pos;
	char c;

	while (ps->pos < ps->n) {
		c = ps->s[ps->pos];
		if (c == ps->sep || c == '\n' || c == '\r')
			break;
		ps->pos++;
	}
	return append_field_text(ps, field_start, ps->s + start,
	                         ps->pos - start);
}

/* Move the gathered fields into a new record (one allocation). */
static int emit_record(struct parser *ps, long line)
{
	struct cx_csv *csv = ps->csv;
	struct cx_csv_record *r;
	size_t head, i;
	char **fields;
	char *text;

	if (cx_grow(&csv->records, &csv->cap_records, csv->n_records + 1,
	            sizeof(*csv->records)))
		return CX_ENOMEM;
	head = ps->n_offs * sizeof(char *);
	fields = malloc(head + ps->text.len);
	if (fields == NULL)
		return CX_ENOMEM;
	text = (char *)fields + head;
	memcpy(text, ps->text.data, ps->text.len);
	for (i = 0; i < ps->n_offs; i++)
		fields[i] = text + ps->offs[i];
	r = &csv->records[csv->n_records++];
	r->line = line;
	r->fields = fields;
	r->n_fields = ps->n_offs;
	return CX_OK;
}

static int parse_records(struct parser *ps)
{
	size_t field_start;
	long rec_line;
	int rc;
	char c;

	while (ps->pos < ps->n) {
		c = ps->s[ps->pos];
		if (c == '\n' || c == '\r') { /* an empty line: no record */
			ps->pos += (c == '\r' && ps->pos + 1 < ps->n &&
			            ps->s[ps->pos + 1] == '\n')
			               ? 2
			               : 1;
			ps->line++;
			continue;
		}
		rec_line = ps->line;
		ps->text.len = 0;
		ps->n_offs = 0;
		for (;;) {
			if (ps->n_offs >= CSV_MAX_FIELDS)
				return fail_at(ps, CX_ELIMIT, rec_line,
				               E_FIELDS);
			if (cx_grow(&ps->offs, &ps->cap_offs, ps->n_offs + 1,
			            sizeof(*ps->offs)))
				return CX_ENOMEM;
			field_start = ps->text.len;
			ps->offs[ps->n_offs++] = field_start;
			if (ps->pos < ps->n && ps->s[ps->pos] == '"')
				rc = parse_quoted(ps, field_start);
			else
				rc = parse_plain(ps, field_start);
			if (rc)
				return rc;
			if (cx_buf_putc(&ps->text, '\0'))
				return CX_ENOMEM;
			if (ps->pos < ps->n && ps->s[ps->pos] == ps->sep) {
				ps->pos++;
				continue;
			}
			break;
		}
		/* At a line end or at the end of the input. */
		if (ps->pos < ps->n) {
			c = ps->s[ps->pos];
			ps->pos += (c == '\r' && ps->pos + 1 < ps->n &&
			            ps->s[ps->pos + 1] == '\n')
			               ? 2
			               : 1;
			ps->line++;
		}
		rc = emit_record(ps, rec_line);
		if (rc)
			return rc;
	}
	return CX_OK;
}

int cx_csv_parse(const char *data, size_t len, struct cx_csv **out,
                 long *err_line, const char **err_msg)
{
	struct parser ps;
	struct cx_csv *csv = NULL;
	char *conv = NULL;
	const char *s = data;
	const unsigned char *u = (const unsigned char *)data;
	const char *nul;
	size_t n = len, bad;
	int rc = CX_OK;

	memset(&ps, 0, sizeof(ps));
	ps.line = 1;
	if (out == NULL || (data == NULL && len > 0))
		return CX_EINVAL;
	*out = NULL;
	if (err_line != NULL)
		*err_line = 0;
	if (err_msg != NULL)
		*err_msg = NULL;
	if (data == NULL)
		s = "";
	csv = calloc(1, sizeof(*csv));
	if (csv == NULL)
		return CX_ENOMEM;
	csv->encoding = CX_CSV_UTF8;

	if (n >= 2 && ((u[0] == 0xff && u[1] == 0xfe) ||
	               (u[0] == 0xfe && u[1] == 0xff))) {
		rc = fail_at(&ps, CX_EPARSE, 1, E_UTF16);
		goto out;
	}
	nul = n ? memchr(s, '\0', n) : NULL;
	if (nul != NULL) {
		rc = fail_at(&ps, CX_EPARSE, line_of(s, (size_t)(nul - s)),
		             E_NUL);
		goto out;
	}
	if (n >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf) {
		csv->encoding = CX_CSV_UTF8_BOM;
		s += 3;
		n -= 3;
	}
	bad = utf8_bad_offset(s, n);
	if (bad < n && utf8_cut_tail(s + bad, n - bad) &&
	    (csv->encoding == CX_CSV_UTF8_BOM || has_high_bytes(s, bad))) {
		/* UTF-8 cut off in the middle of its last character: keep the
		 * text, the broken character becomes U+FFFD. */
		conv = malloc(bad + 4);
		if (conv == NULL) {
			rc = CX_ENOMEM;
			goto out;
		}
		memcpy(conv, s, bad);
		memcpy(conv + bad, "\xef\xbf\xbd", 4);
		s = conv;
		n = bad + 3;
	} else if (bad < n && csv->encoding == CX_CSV_UTF8_BOM) {
		rc = fail_at(&ps, CX_EPARSE, line_of(s, bad), E_BOM_UTF8);
		goto out;
	} else if (bad < n) {
		csv->encoding = CX_CSV_CP1251;
		conv = cx_cp1251_to_utf8(s, n, &n);
		if (conv == NULL) {
			rc = CX_ENOMEM;
			goto out;
		}
		s = conv;
	}

	csv->sep = detect_sep(s, n);
	ps.s = s;
	ps.n = n;
	ps.sep = csv->sep;
	ps.csv = csv;
	rc = parse_records(&ps);
	if (rc)
		goto out;
	*out = csv;
	csv = NULL;
out:
	if (rc != CX_OK && rc != CX_ENOMEM) {
		if (err_line != NULL)
			*err_line = ps.err_line;
		if (err_msg != NULL)
			*err_msg = ps.err_msg;
	}
	cx_csv_free(csv);
	cx_buf_free(&ps.text);
	free(ps.offs);
	free(conv);
	return rc;
}
