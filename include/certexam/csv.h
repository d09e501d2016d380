/*
 * certexam — a CSV reader for what spreadsheet programs export: ';' or ','
 * separators (detected from the first record), RFC 4180 quoting with
 * embedded separators, doubled quotes and newlines, UTF-8 with or without
 * BOM, and Windows-1251 (converted to UTF-8).  Length-checked throughout.
 */
#ifndef CERTEXAM_CSV_H
#define CERTEXAM_CSV_H

#include <stddef.h>

enum cx_csv_encoding { CX_CSV_UTF8, CX_CSV_UTF8_BOM, CX_CSV_CP1251 };

struct cx_csv_record {
	long line;     /* line where the record starts, 1-based */
	char **fields; /* UTF-8, NUL-terminated */
	size_t n_fields;
};

struct cx_csv {
	char sep;                      /* ';' or ',' (or '\t') as detected */
	enum cx_csv_encoding encoding; /* as detected */
	struct cx_csv_record *records;
	size_t n_records;
	size_t cap_records;
};

/*
 * Parse a whole CSV document of len bytes.  On success *out is owned by
 * the caller (cx_csv_free).  On a syntax error (unterminated quote, text
 * after a closing quote) returns CX_EPARSE with *err_line and *err_msg
 * (static string) set.  A field longer than 1 MiB or more than 4096
 * fields in a record is CX_ELIMIT.
 */
int cx_csv_parse(const char *data, size_t len, struct cx_csv **out,
                 long *err_line, const char **err_msg);

/* The message id of a syntax error's words (err_msg of cx_csv_parse),
 * or NULL for another string. */
const char *cx_csv_error_id(const char *msg);

void cx_csv_free(struct cx_csv *csv);

/* Convert Windows-1251 bytes to UTF-8.  Caller frees; NULL on ENOMEM. */
char *cx_cp1251_to_utf8(const char *p, size_t n, size_t *outlen);

#endif
