/*
 * certexam — one error type for the whole code (libuv style).
 *
 * 0 is success; every other value is negative.  cx_strerror() and
 * cx_err_name() never return NULL.
 */
#ifndef CERTEXAM_ERROR_H
#define CERTEXAM_ERROR_H

#include <stdarg.h>

#define CX_ERRNO_MAP(XX)                                                       \
	XX(NOMEM, "out of memory")                                             \
	XX(INVAL, "invalid argument")                                          \
	XX(IO, "input/output error")                                           \
	XX(NOENT, "no such file or directory")                                 \
	XX(EXIST, "already exists")                                            \
	XX(PARSE, "malformed input")                                           \
	XX(SCHEMA, "input does not match its schema")                          \
	XX(SCOPE, "target outside the declared scope")                         \
	XX(RESOLVE, "host name could not be resolved")                         \
	XX(TIMEDOUT, "operation timed out")                                    \
	XX(INTR, "interrupted")                                                \
	XX(RANGE, "value out of range")                                        \
	XX(LIMIT, "a size or count limit was exceeded")                        \
	XX(SYS, "system call failed")                                          \
	XX(TLS, "TLS library failure")                                         \
	XX(NOTSUP, "not supported")                                            \
	XX(INTEGRITY, "stored evidence does not match its record")

enum cx_err {
	CX_OK = 0,
#define XX(code, _) CX_E##code,
	CX__ERR_FIRST = -100,
	CX_ERRNO_MAP(XX)
#undef XX
};

/* A short English description of err; static storage, never NULL. */
const char *cx_strerror(int err);
/* The symbolic name of err ("CX_EPARSE"); static storage, never NULL. */
const char *cx_err_name(int err);

/*
 * Diagnostics: problems found in submitted files, each naming the file,
 * the line (0 if unknown) and the field or element.  Loaders append to a
 * list; the command line prints it.  Strings are owned by the list.
 */
struct cx_diag {
	char *file;      /* path as given */
	long line;       /* 1-based; 0 when not known */
	long column;     /* 1-based column of a table; 0 when not known */
	char *field;     /* element, attribute or column; may be NULL */
	char *message;   /* what is wrong and what was expected */
	int is_warning;  /* 1 for a warning that does not fail validation */
	const char *msg; /* message id of the catalogs (a static string), or
	                    NULL: the words of the act for this problem */
	char **args;     /* its parameters: name, value, ..., NULL; owned */
};

struct cx_diags {
	struct cx_diag *items;
	size_t n, cap;
};

/* Append a diagnostic; printf-style message.  Returns 0 or CX_ENOMEM. */
int cx_diag_add(struct cx_diags *d, const char *file, long line,
                const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
int cx_diag_warn(struct cx_diags *d, const char *file, long line,
                 const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/*
 * cx_diag_add (warning 0) or cx_diag_warn (warning 1) with a va_list, for
 * the loaders' own printf-style helpers: the message is formatted once,
 * into the diagnostic.  0 or CX_ENOMEM (then d is unchanged).
 */
int cx_diag_vadd(struct cx_diags *d, int warning, const char *file, long line,
                 const char *field, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));
/*
 * Give the last diagnostic of d a message id (kept as a pointer: a string
 * literal) and a copy of its parameters (CX_ARGS list of name, value
 * pairs; NULL values are dropped), so that it can be worded in any
 * language.  0 or CX_ENOMEM; nothing when d is empty.
 */
int cx_diag_set_msg(struct cx_diags *d, const char *msg,
                    const char *const *args);
/* Number of entries that are errors (not warnings). */
size_t cx_diag_errors(const struct cx_diags *d);
/* Free all entries; d itself is not freed.  NULL is accepted. */
void cx_diags_free(struct cx_diags *d);

#endif
