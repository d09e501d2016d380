/* certexam — unit tests for the CSV reader (scanner/case/csv.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/csv.h"
#include "certexam/error.h"
#include "certexam/util.h"

static struct cx_csv *parse_ok(const char *s, size_t n)
{
	struct cx_csv *csv = NULL;
	const char *msg = NULL;
	long line = -1;
	int rc;

	rc = cx_csv_parse(s, n, &csv, &line, &msg);
	ck_assert_msg(rc == 0, "parse failed: %s at line %ld: %s",
	              cx_err_name(rc), line, msg ? msg : "(null)");
	ck_assert_ptr_nonnull(csv);
	return csv;
}

static struct cx_csv *parse_str(const char *s)
{
	return parse_ok(s, strlen(s));
}

static void assert_fields(const struct cx_csv_record *r, long line, size_t n,
                          const char *const *want)
{
	size_t i;

	ck_assert_int_eq(r->line, line);
	ck_assert_uint_eq(r->n_fields, n);
	for (i = 0; i < n; i++)
		ck_assert_str_eq(r->fields[i], want[i]);
}

START_TEST(sep_semicolon)
{
	struct cx_csv *csv = parse_str("a;b;c\n1;2;3\n");
	const char *r0[] = {"a", "b", "c"}, *r1[] = {"1", "2", "3"};

	ck_assert_int_eq(csv->sep, ';');
	ck_assert_int_eq(csv->encoding, CX_CSV_UTF8);
	ck_assert_uint_eq(csv->n_records, 2);
	assert_fields(&csv->records[0], 1, 3, r0);
	assert_fields(&csv->records[1], 2, 3, r1);
	cx_csv_free(csv);
}
END_TEST

START_TEST(sep_comma)
{
	/* Commas inside quotes do not count; the semicolon in a field does
	 * not win over the real separator. */
	struct cx_csv *csv = parse_str("\"x;y;z\",b,c\n1,\"2,5\",3");
	const char *r0[] = {"x;y;z", "b", "c"}, *r1[] = {"1", "2,5", "3"};

	ck_assert_int_eq(csv->sep, ',');
	ck_assert_uint_eq(csv->n_records, 2);
	assert_fields(&csv->records[0], 1, 3, r0);
	assert_fields(&csv->records[1], 2, 3, r1);
	cx_csv_free(csv);
}
END_TEST

START_TEST(sep_tab)
{
	struct cx_csv *csv = parse_str("a\tb, c\td;e\n1\t2\t3\n");
	const char *r0[] = {"a", "b, c", "d;e"}, *r1[] = {"1", "2", "3"};

	ck_assert_int_eq(csv->sep, '\t');
	assert_fields(&csv->records[0], 1, 3, r0);
	assert_fields(&csv->records[1], 2, 3, r1);
	cx_csv_free(csv);
}
END_TEST

START_TEST(sep_tie_and_header_commas)
{
	/* An Annex 5 header exported by Excel in a Russian locale: commas in
	 * the column names, ';' between them. */
	struct cx_csv *csv =
	    parse_str("item no.;manufacturer, model;developer, name, version\n"
	              "1;Cisco, ISR 4331;Cisco, IOS XE, 16.9\n");
	const char *r1[] = {"1", "Cisco, ISR 4331", "Cisco, IOS XE, 16.9"};

	ck_assert_int_eq(csv->sep, ';');
	assert_fields(&csv->records[1], 2, 3, r1);
	cx_csv_free(csv);
	csv = parse_str("a;b,c\n");
	ck_assert_int_eq(csv->sep, ';'); /* a tie goes to ';' */
	cx_csv_free(csv);
	csv = parse_str("List of hardware\n\na,b,c\n1,2;3,4\n");
	ck_assert_int_eq(csv->sep, ','); /* a title line does not count */
	ck_assert_uint_eq(csv->records[2].n_fields, 3);
	cx_csv_free(csv);
	csv = parse_str("one\ncolumn\n");
	ck_assert_int_eq(csv->sep, ';'); /* nothing splits */
	cx_csv_free(csv);
}
END_TEST

START_TEST(quoting)
{
	const char *in = "\"a;b\";\"say \"\"hi\"\"\";\"line1\nline2\n"
	                 "line3\";\"\"\n"
	                 "next;\"\"\"\";x\n"
	                 "last;\"  padded  \"  ;end\n";
	struct cx_csv *csv = parse_str(in);
	const char *r0[] = {"a;b", "say \"hi\"", "line1\nline2\nline3", ""};
	const char *r1[] = {"next", "\"", "x"};
	const char *r2[] = {"last", "  padded  ", "end"};

	ck_assert_uint_eq(csv->n_records, 3);
	assert_fields(&csv->records[0], 1, 4, r0);
	assert_fields(&csv->records[1], 4, 3, r1); /* after 2 embedded LFs */
	assert_fields(&csv->records[2], 5, 3, r2);
	cx_csv_free(csv);
}
END_TEST

START_TEST(line_ends)
{
	const char *in = "a;b\r\n\"x\r\ny\";z\r\n\r\nq;r\rlone;cr\r\nend";
	struct cx_csv *csv = parse_str(in);
	const char *r0[] = {"a", "b"}, *r1[] = {"x\r\ny", "z"};
	const char *r2[] = {"q", "r"}, *r3[] = {"lone", "cr"};
	const char *r4[] = {"end"};

	ck_assert_uint_eq(csv->n_records, 5);
	assert_fields(&csv->records[0], 1, 2, r0);
	assert_fields(&csv->records[1], 2, 2, r1);
	assert_fields(&csv->records[2], 5, 2, r2); /* line 4 was empty */
	assert_fields(&csv->records[3], 6, 2, r3);
	assert_fields(&csv->records[4], 7, 1, r4);
	cx_csv_free(csv);
}
END_TEST

START_TEST(empty_lines_and_trailing_sep)
{
	struct cx_csv *csv = parse_str("\n\na;b;\n\n\n;\n");
	const char *r0[] = {"a", "b", ""}, *r1[] = {"", ""};

	ck_assert_uint_eq(csv->n_records, 2);
	assert_fields(&csv->records[0], 3, 3, r0);
	assert_fields(&csv->records[1], 6, 2, r1);
	cx_csv_free(csv);
}
END_TEST

START_TEST(bom)
{
	struct cx_csv *csv = parse_str("\xef\xbb\xbf\xe2\x84\x96;"
	                               "\xd0\x98\xd0\xbc\xd1\x8f\n1;2\n");
	const char *r0[] = {"\xe2\x84\x96", "\xd0\x98\xd0\xbc\xd1\x8f"};

	ck_assert_int_eq(csv->encoding, CX_CSV_UTF8_BOM);
	ck_assert_uint_eq(csv->n_records, 2);
	assert_fields(&csv->records[0], 1, 2, r0);
	cx_csv_free(csv);
}
END_TEST

START_TEST(only_bom)
{
	struct cx_csv *csv = parse_str("\xef\xbb\xbf");

	ck_assert_int_eq(csv->encoding, CX_CSV_UTF8_BOM);
	ck_assert_uint_eq(csv->n_records, 0);
	cx_csv_free(csv);
}
END_TEST

START_TEST(empty_input)
{
	struct cx_csv *csv = parse_ok("", 0);

	ck_assert_uint_eq(csv->n_records, 0);
	ck_assert_int_eq(csv->encoding, CX_CSV_UTF8);
	cx_csv_free(csv);
	csv = parse_ok(NULL, 0);
	ck_assert_uint_eq(csv->n_records, 0);
	cx_csv_free(csv);
	csv = parse_str("\r\n\n\r\n");
	ck_assert_uint_eq(csv->n_records, 0);
	cx_csv_free(csv);
	cx_csv_free(NULL);
}
END_TEST

/* UTF-8 of one code point into out; returns the length. */
static size_t put_utf8(unsigned cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	out[0] = (char)(0xe0 | (cp >> 12));
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

START_TEST(cp1251_table)
{
	char in[64], want[256];
	size_t n = 0, w = 0, outlen = 0;
	unsigned c;
	char *out;

	/* А..я are 0xc0..0xff -> U+0410..U+044F. */
	for (c = 0xc0; c <= 0xff; c++) {
		in[n++] = (char)c;
		w += put_utf8(0x410 + (c - 0xc0), want + w);
	}
	out = cx_cp1251_to_utf8(in, n, &outlen);
	ck_assert_ptr_nonnull(out);
	ck_assert_uint_eq(outlen, w);
	ck_assert(memcmp(out, want, w) == 0);
	ck_assert_int_eq(out[outlen], '\0');
	free(out);

	/* Ё ё № « » – — “ ” „ € ™ NBSP, and ASCII passes through. */
	out = cx_cp1251_to_utf8("\xa8\xb8\xb9\xab\xbb\x96\x97\x93\x94\x84\x88"
	                        "\x99\xa0"
	                        "Ab",
	                        15, &outlen);
	ck_assert_ptr_nonnull(out);
	ck_assert_str_eq(out, "\xd0\x81\xd1\x91\xe2\x84\x96\xc2\xab\xc2\xbb"
	                      "\xe2\x80\x93\xe2\x80\x94\xe2\x80\x9c\xe2\x80\x9d"
	                      "\xe2\x80\x9e\xe2\x82\xac\xe2\x84\xa2\xc2\xa0"
	                      "Ab");
	free(out);
	/* 0x98 is unassigned: the replacement character. */
	out = cx_cp1251_to_utf8("\x98", 1, &outlen);
	ck_assert_str_eq(out, "\xef\xbf\xbd");
	free(out);
	out = cx_cp1251_to_utf8("", 0, &outlen);
	ck_assert_str_eq(out, "");
	ck_assert_uint_eq(outlen, 0);
	free(out);
}
END_TEST

START_TEST(cp1251_document)
{
	/* "№ п/п;Наименование;Версия" / "1;\"Сервер; «Ёлка»\";2.0" in cp1251.
	 */
	static const char in[] =
	    "\xb9 \xef/\xef;\xcd\xe0\xe8\xec\xe5\xed\xee\xe2\xe0\xed\xe8"
	    "\xe5;\xc2\xe5\xf0\xf1\xe8\xff\r\n"
	    "1;\"\xd1\xe5\xf0\xe2\xe5\xf0; \xab\xa8\xeb\xea\xe0\xbb\";2.0\r\n";
	struct cx_csv *csv = parse_ok(in, sizeof(in) - 1);
	const char *r0[] = {"№ п/п", "Наименование", "Версия"};
	const char *r1[] = {"1", "Сервер; «Ёлка»", "2.0"};

	ck_assert_int_eq(csv->encoding, CX_CSV_CP1251);
	ck_assert_int_eq(csv->sep, ';');
	ck_assert_uint_eq(csv->n_records, 2);
	assert_fields(&csv->records[0], 1, 3, r0);
	assert_fields(&csv->records[1], 2, 3, r1);
	cx_csv_free(csv);
}
END_TEST

START_TEST(ragged_rows)
{
	struct cx_csv *csv = parse_str("a;b;c\n1\n1;2;3;4;5\n;;\n");

	ck_assert_uint_eq(csv->n_records, 4);
	ck_assert_uint_eq(csv->records[0].n_fields, 3);
	ck_assert_uint_eq(csv->records[1].n_fields, 1);
	ck_assert_uint_eq(csv->records[2].n_fields, 5);
	ck_assert_str_eq(csv->records[2].fields[4], "5");
	ck_assert_uint_eq(csv->records[3].n_fields, 3);
	ck_assert_str_eq(csv->records[3].fields[2], "");
	cx_csv_free(csv);
}
END_TEST

static void parse_fails(const char *s, size_t n, int want_rc, long want_line)
{
	struct cx_csv *csv = (struct cx_csv *)1;
	const char *msg = NULL;
	long line = -1;
	int rc;

	rc = cx_csv_parse(s, n, &csv, &line, &msg);
	ck_assert_msg(rc == want_rc, "got %s, want %s", cx_err_name(rc),
	              cx_err_name(want_rc));
	ck_assert_ptr_null(csv);
	ck_assert_int_eq(line, want_line);
	ck_assert_ptr_nonnull(msg);
}

START_TEST(unterminated_quote)
{
	const char *in = "a;b\n\"c;d\n\nx;y\n";

	parse_fails(in, strlen(in), CX_EPARSE, 2); /* where the quote opened */
	in = "a;\"b\"\"";
	parse_fails(in, strlen(in), CX_EPARSE, 1);
}
END_TEST

START_TEST(quote_in_unquoted_field)
{
	struct cx_csv *csv = parse_str("ab\"c;d\"\"e;12\" monitor\n");
	const char *r0[] = {"ab\"c", "d\"\"e", "12\" monitor"};

	assert_fields(&csv->records[0], 1, 3, r0);
	cx_csv_free(csv);
}
END_TEST

START_TEST(text_after_closing_quote)
{
	const char *in = "a;b\nc;\"d\"e;f\n";

	parse_fails(in, strlen(in), CX_EPARSE, 2);
}
END_TEST

START_TEST(nul_byte)
{
	static const char in[] = "a;b\nc;d\0e\n";

	parse_fails(in, sizeof(in) - 1, CX_EPARSE, 2);
	/* A UTF-16 file is refused with its own message. */
	parse_fails("\xff\xfe"
	            "a\0;\0b\0",
	            8, CX_EPARSE, 1);
}
END_TEST

START_TEST(truncated_utf8)
{
	struct cx_csv *csv;
	const char *in;

	/* UTF-8 text cut off inside its last character: still UTF-8, the
	 * broken tail becomes U+FFFD. */
	in = "\xd0\x98\xd0\xbc\xd1\x8f;x\n1;\xd0\x98\xd0";
	csv = parse_str(in);
	ck_assert_int_eq(csv->encoding, CX_CSV_UTF8);
	ck_assert_uint_eq(csv->n_records, 2);
	ck_assert_str_eq(csv->records[0].fields[0], "Имя");
	ck_assert_str_eq(csv->records[1].fields[1], "И\xef\xbf\xbd");
	cx_csv_free(csv);
	in = "\xef\xbb\xbf"
	     "a;b\n1;\xe2\x84";
	csv = parse_str(in);
	ck_assert_int_eq(csv->encoding, CX_CSV_UTF8_BOM);
	ck_assert_str_eq(csv->records[1].fields[1], "\xef\xbf\xbd");
	cx_csv_free(csv);

	/* ASCII ending in one byte >= 0xc0 is a Windows-1251 letter. */
	in = "name;x\n1;\xd0";
	csv = parse_str(in);
	ck_assert_int_eq(csv->encoding, CX_CSV_CP1251);
	ck_assert_str_eq(csv->records[1].fields[1], "Р");
	cx_csv_free(csv);

	/* Invalid in the middle: Windows-1251 for all of it, even the part
	 * that looked like UTF-8 (d0 98 d0 bc -> Р, U+FFFD for the
	 * unassigned 0x98, Р, ј). */
	in = "\xd0\x98\xd0\xbc;\xc0\n";
	csv = parse_str(in);
	ck_assert_int_eq(csv->encoding, CX_CSV_CP1251);
	ck_assert_str_eq(csv->records[0].fields[0],
	                 "\xd0\xa0\xef\xbf\xbd\xd0\xa0\xd1\x98");
	ck_assert_str_eq(csv->records[0].fields[1], "А");
	cx_csv_free(csv);

	/* With a BOM the file claims UTF-8: a broken sequence before the end
	 * is an error naming its line. */
	in = "\xef\xbb\xbf"
	     "a;b\n1;\xd0;x\n";
	parse_fails(in, strlen(in), CX_EPARSE, 2);
}
END_TEST

START_TEST(field_limit)
{
	size_t big = 1024u * 1024u;
	char *buf = malloc(big + 16);
	struct cx_csv *csv;

	ck_assert_ptr_nonnull(buf);
	/* Exactly 1 MiB is accepted ... */
	memcpy(buf, "a;", 2);
	memset(buf + 2, 'x', big);
	csv = parse_ok(buf, big + 2);
	ck_assert_uint_eq(strlen(csv->records[0].fields[1]), big);
	cx_csv_free(csv);
	/* ... one byte more is not, quoted or not. */
	memset(buf + 2, 'x', big + 1);
	parse_fails(buf, big + 3, CX_ELIMIT, 1);
	memcpy(buf, "a\n\"", 3);
	memset(buf + 3, 'y', big + 1);
	buf[big + 4] = '"';
	parse_fails(buf, big + 5, CX_ELIMIT, 2);
	free(buf);
}
END_TEST

START_TEST(fields_limit)
{
	struct cx_buf b = {0};
	struct cx_csv *csv;
	size_t i;

	ck_assert_int_eq(cx_buf_puts(&b, "h\n"), 0);
	for (i = 0; i < 4095; i++)
		ck_assert_int_eq(cx_buf_puts(&b, "1;"), 0);
	ck_assert_int_eq(cx_buf_puts(&b, "1"), 0); /* 4096 fields */
	csv = parse_ok(b.data, b.len);
	ck_assert_uint_eq(csv->records[1].n_fields, 4096);
	cx_csv_free(csv);
	ck_assert_int_eq(cx_buf_puts(&b, ";1\n"), 0); /* 4097 */
	parse_fails(b.data, b.len, CX_ELIMIT, 2);
	cx_buf_free(&b);
}
END_TEST

START_TEST(big_file)
{
	struct cx_buf b = {0};
	struct cx_csv *csv;
	size_t rows = 0;
	uint64_t t0, t1;
	const struct cx_csv_record *r;

	ck_assert_int_eq(cx_buf_puts(&b, "\xef\xbb\xbfitem no.;model;serial;"
	                                 "note;addresses\r\n"),
	                 0);
	while (b.len < 50u * 1024u * 1024u) {
		rows++;
		ck_assert_int_eq(
		    cx_buf_printf(&b,
		                  "%zu;Server model %zu;SN-%08zu;\"a note; "
		                  "with \"\"quotes\"\"\r\nand a line\";"
		                  "10.%zu.%zu.%zu\r\n",
		                  rows, rows % 97, rows, (rows >> 16) & 255,
		                  (rows >> 8) & 255, rows & 255),
		    0);
	}
	t0 = cx_now_ms();
	csv = parse_ok(b.data, b.len);
	t1 = cx_now_ms();
	fprintf(stderr, "big_file: %zu bytes, %zu records parsed in %llu ms\n",
	        b.len, csv->n_records, (unsigned long long)(t1 - t0));
	ck_assert_uint_eq(csv->n_records, rows + 1);
	ck_assert_int_eq(csv->encoding, CX_CSV_UTF8_BOM);
	r = &csv->records[1];
	ck_assert_int_eq(r->line, 2);
	ck_assert_str_eq(r->fields[2], "SN-00000001");
	ck_assert_str_eq(r->fields[3], "a note; with \"quotes\"\r\nand a line");
	r = &csv->records[rows];
	ck_assert_int_eq(r->line, (long)(2 + 2 * (rows - 1)));
	ck_assert_uint_eq(r->n_fields, 5);
	{
		char want[64];

		snprintf(want, sizeof(want), "%zu", rows);
		ck_assert_str_eq(r->fields[0], want);
		snprintf(want, sizeof(want), "Server model %zu", rows % 97);
		ck_assert_str_eq(r->fields[1], want);
		snprintf(want, sizeof(want), "10.%zu.%zu.%zu",
		         (rows >> 16) & 255, (rows >> 8) & 255, rows & 255);
		ck_assert_str_eq(r->fields[4], want);
	}
	/* Linear time: generous bound that still catches quadratic growth. */
	ck_assert_msg(t1 - t0 < 20000, "50 MB took %llu ms",
	              (unsigned long long)(t1 - t0));
	cx_csv_free(csv);
	cx_buf_free(&b);
}
END_TEST

START_TEST(bad_args)
{
	struct cx_csv *csv = NULL;

	ck_assert_int_eq(cx_csv_parse(NULL, 3, &csv, NULL, NULL), CX_EINVAL);
	ck_assert_int_eq(cx_csv_parse("a", 1, NULL, NULL, NULL), CX_EINVAL);
	/* err_line and err_msg may be NULL. */
	ck_assert_int_eq(cx_csv_parse("\"a", 2, &csv, NULL, NULL), CX_EPARSE);
	ck_assert_ptr_null(csv);
}
END_TEST

static struct cx_csv *parse_file(const char *name)
{
	char path[512], *data = NULL;
	struct cx_csv *csv;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/csv/%s", CX_TEST_DATA, name);
	ck_assert_int_eq(cx_read_file(path, 1u << 20, &data, &len), 0);
	csv = parse_ok(data, len);
	free(data);
	return csv;
}

START_TEST(files)
{
	struct cx_csv *csv;
	const char *e0[] = {"Наименование", "Описание", "Цена, тг"};
	const char *e1[] = {"Кабель", "Витая пара \"UTP\" кат. 5e;\nпо ГОСТ",
	                    "1 200,50"};
	const char *e2[] = {"Коммутатор №2", "Ёмкость — 24 порта", ""};
	const char *l1[] = {"Қазақстан", "1,5", "ok"};
	const char *l2[] = {"empty", "", ""};
	const char *b1[] = {"1", "x\r\ny"};

	csv = parse_file("excel-ru-cp1251.csv");
	ck_assert_int_eq(csv->encoding, CX_CSV_CP1251);
	ck_assert_int_eq(csv->sep, ';');
	ck_assert_uint_eq(csv->n_records, 3);
	assert_fields(&csv->records[0], 1, 3, e0);
	assert_fields(&csv->records[1], 2, 3, e1);
	assert_fields(&csv->records[2], 4, 3, e2);
	cx_csv_free(csv);

	csv = parse_file("libreoffice-utf8.csv");
	ck_assert_int_eq(csv->encoding, CX_CSV_UTF8);
	ck_assert_int_eq(csv->sep, ',');
	ck_assert_uint_eq(csv->n_records, 3);
	assert_fields(&csv->records[1], 2, 3, l1);
	assert_fields(&csv->records[2], 3, 3, l2);
	cx_csv_free(csv);

	csv = parse_file("excel-utf8-bom.csv");
	ck_assert_int_eq(csv->encoding, CX_CSV_UTF8_BOM);
	ck_assert_uint_eq(csv->n_records, 2); /* trailing empty lines */
	assert_fields(&csv->records[1], 2, 2, b1);
	cx_csv_free(csv);
}
END_TEST

static uint64_t rng;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((rng >> 33) % n);
}

/* Write records with RFC 4180 quoting, parse them back, compare. */
static void round_trip(char sep)
{
	static const char *const piece[] = {
	    "a",  "Zz",   "\xd0\x91", "\xe2\x84\x96", ";", ",",   "\t",
	    "\"", "\"\"", "\n",       "\r\n",         " ", "x y", "1.5",
	};
	enum { NREC = 300, MAXF = 8, MAXP = 6 };
	struct cx_buf out = {0}, *want;
	size_t nf[NREC];
	long line[NREC], cur = 1;
	size_t r, f, k, np, i;
	struct cx_csv *csv;
	const char *t;
	int quote;

	want = calloc((size_t)NREC * MAXF, sizeof(*want));
	ck_assert_ptr_nonnull(want);
	for (r = 0; r < NREC; r++) {
		nf[r] = r == 0 ? 3 : 1 + rnd(MAXF);
		line[r] = cur;
		for (f = 0; f < nf[r]; f++) {
			struct cx_buf *w = &want[r * MAXF + f];

			np = r == 0 ? 1 : rnd(MAXP + 1);
			cx_buf_puts(w, "");
			for (k = 0; k < np; k++)
				cx_buf_puts(w, piece[rnd(CX_ARRAY_LEN(piece))]);
			quote = nf[r] == 1 && w->len == 0;
			for (t = w->data; *t; t++)
				if (strchr(";,\t\"\r\n", *t) != NULL)
					quote = 1;
			if (f > 0)
				cx_buf_putc(&out, sep);
			if (!quote) {
				cx_buf_puts(&out, w->data);
				continue;
			}
			cx_buf_putc(&out, '"');
			for (t = w->data; *t; t++) {
				if (*t == '"')
					cx_buf_putc(&out, '"');
				if (*t == '\n')
					cur++;
				cx_buf_putc(&out, *t);
			}
			cx_buf_putc(&out, '"');
		}
		cx_buf_puts(&out, rnd(2) ? "\r\n" : "\n");
		cur++;
	}
	csv = parse_ok(out.data, out.len);
	ck_assert_int_eq(csv->sep, sep);
	ck_assert_uint_eq(csv->n_records, NREC);
	for (r = 0; r < NREC; r++) {
		ck_assert_int_eq(csv->records[r].line, line[r]);
		ck_assert_uint_eq(csv->records[r].n_fields, nf[r]);
		for (f = 0; f < nf[r]; f++)
			ck_assert_str_eq(csv->records[r].fields[f],
			                 want[r * MAXF + f].data);
	}
	cx_csv_free(csv);
	for (i = 0; i < (size_t)NREC * MAXF; i++)
		cx_buf_free(&want[i]);
	free(want);
	cx_buf_free(&out);
}

START_TEST(round_trips)
{
	int i;

	rng = 42;
	for (i = 0; i < 20; i++) {
		round_trip(';');
		round_trip(',');
		round_trip('\t');
	}
}
END_TEST

/* Random hostile bytes: never a crash, and what parses is UTF-8. */
START_TEST(random_bytes)
{
	static const unsigned char alpha[] = {
	    '"',  ';',  ',',  '\t', '\n', '\r', 'a',  ' ',  0xd0,
	    0x98, 0xef, 0xbb, 0xbf, 0x00, 0xff, 0xfe, 0x80, 0xc2,
	};
	unsigned char in[96];
	struct cx_csv *csv;
	const char *msg;
	size_t n, i, r, f;
	long line, last;
	int rc, iter, ok = 0;

	rng = 7;
	for (iter = 0; iter < 20000; iter++) {
		n = rnd(sizeof(in) + 1);
		for (i = 0; i < n; i++)
			in[i] = alpha[rnd(sizeof(alpha))];
		csv = NULL;
		msg = NULL;
		line = 0;
		rc = cx_csv_parse((const char *)in, n, &csv, &line, &msg);
		if (rc != 0) {
			ck_assert_int_eq(rc, CX_EPARSE);
			ck_assert_ptr_null(csv);
			ck_assert_int_ge(line, 1);
			ck_assert_ptr_nonnull(msg);
			continue;
		}
		ok++;
		last = 1;
		for (r = 0; r < csv->n_records; r++) {
			ck_assert_int_ge(csv->records[r].line, last);
			last = csv->records[r].line;
			ck_assert_uint_ge(csv->records[r].n_fields, 1);
			for (f = 0; f < csv->records[r].n_fields; f++) {
				const char *s = csv->records[r].fields[f];

				ck_assert(cx_utf8_valid(s, strlen(s)));
			}
		}
		cx_csv_free(csv);
	}
	ck_assert_int_gt(ok, 1000); /* the generator does reach the parser */
}
END_TEST

static Suite *csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("parse");
	TCase *big = tcase_create("big");

	tcase_add_test(tc, sep_semicolon);
	tcase_add_test(tc, sep_comma);
	tcase_add_test(tc, sep_tab);
	tcase_add_test(tc, sep_tie_and_header_commas);
	tcase_add_test(tc, quoting);
	tcase_add_test(tc, line_ends);
	tcase_add_test(tc, empty_lines_and_trailing_sep);
	tcase_add_test(tc, bom);
	tcase_add_test(tc, only_bom);
	tcase_add_test(tc, empty_input);
	tcase_add_test(tc, cp1251_table);
	tcase_add_test(tc, cp1251_document);
	tcase_add_test(tc, ragged_rows);
	tcase_add_test(tc, unterminated_quote);
	tcase_add_test(tc, quote_in_unquoted_field);
	tcase_add_test(tc, text_after_closing_quote);
	tcase_add_test(tc, nul_byte);
	tcase_add_test(tc, truncated_utf8);
	tcase_add_test(tc, field_limit);
	tcase_add_test(tc, fields_limit);
	tcase_add_test(tc, bad_args);
	tcase_add_test(tc, files);
	tcase_add_test(tc, round_trips);
	tcase_add_test(tc, random_bytes);
	suite_add_tcase(s, tc);
	tcase_set_timeout(big, 120);
	tcase_add_test(big, big_file);
	suite_add_tcase(s, big);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(csv_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
