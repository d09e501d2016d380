/*
 * certexam — small helpers shared by every module: growable buffers,
 * string duplication, bounded number parsing, time and file helpers.
 */
#ifndef CERTEXAM_UTIL_H
#define CERTEXAM_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <stdarg.h>
#include <time.h>

/*
 * Where a buffer streams its bytes (see cx_buf.sink): write() takes n
 * bytes at p and returns 0 or an error code (which the append that
 * flushed returns).  chunk: the buffer is handed over each time it holds
 * at least this many bytes (0: CX_SINK_CHUNK).
 */
struct cx_sink {
	int (*write)(struct cx_sink *s, const void *p, size_t n);
	size_t chunk;
};
#define CX_SINK_CHUNK ((size_t)256 * 1024)

/*
 * A growable byte buffer, always NUL-terminated when data != NULL.  With
 * a sink, every append that fills it to sink->chunk bytes hands the
 * bytes to the sink and empties it, so memory stays bounded whatever is
 * written; what data holds is then only the tail not yet handed over
 * (cx_buf_flush hands it over).  A writer that streams must only append.
 */
struct cx_buf {
	char *data;
	size_t len;
	size_t cap;
	struct cx_sink *sink; /* NULL: everything stays in data */
};

int cx_buf_append(struct cx_buf *b, const void *p, size_t n);
int cx_buf_puts(struct cx_buf *b, const char *s);
int cx_buf_putc(struct cx_buf *b, char c);
int cx_buf_printf(struct cx_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int cx_buf_vprintf(struct cx_buf *b, const char *fmt, va_list ap);
/* Hand what b holds to its sink and empty b (no sink: nothing).  0 or
 * the sink's error. */
int cx_buf_flush(struct cx_buf *b);
/* Hand the data to the caller (who frees it) and reset b. */
char *cx_buf_steal(struct cx_buf *b);
void cx_buf_free(struct cx_buf *b);

/* strdup that accepts NULL (returns NULL).  Caller frees. */
char *cx_strdup(const char *s);
char *cx_strndup(const char *s, size_t n);
/* printf into a new string; NULL on failure.  Caller frees. */
char *cx_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Grow *arr (element size elsz) so that it holds at least need elements.
 * *cap is updated.  Returns 0 or CX_ENOMEM; *arr is unchanged on failure.
 */
int cx_grow(void *arr, size_t *cap, size_t need, size_t elsz);

/* Parse a whole decimal string into [min, max].  0 or CX_EINVAL/CX_ERANGE. */
int cx_parse_long(const char *s, long min, long max, long *out);

/* Case-insensitive ASCII compare helpers. */
int cx_strcaseeq(const char *a, const char *b);
int cx_strncaseeq(const char *a, const char *b, size_t n);
/* Trim ASCII white space in place; returns s. */
char *cx_trim(char *s);

/* Milliseconds of a monotonic clock. */
uint64_t cx_now_ms(void);
/* UTC time as ISO 8601 "2026-11-21T23:05:48Z" into out (>= 21 bytes). */
void cx_iso8601(time_t t, char *out, size_t outsz);
/* Parse that format back; 0 or CX_EPARSE. */
int cx_parse_iso8601(const char *s, time_t *out);

/* Read a whole file, at most max bytes (CX_ELIMIT beyond).  Caller frees. */
int cx_read_file(const char *path, size_t max, char **data, size_t *len);
/*
 * Write a file atomically: a temporary file beside it, fsync, rename.
 * The old file, if any, stays intact on any failure.
 */
int cx_write_file_atomic(const char *path, const void *data, size_t len);
/*
 * A file written atomically from a streaming buffer: cx_file_sink_open()
 * creates a temporary file beside path (".NAME.tmp.PID" in path's
 * folder) and a sink that writes to it; cx_file_sink_close() flushes the
 * buffer given, fsyncs and closes; cx_file_sink_commit() renames the
 * temporary file onto path; cx_file_sink_abort() closes and removes it
 * (nothing half-written is left; path, if it exists, is untouched).  stop
 * (may be NULL): when *stop becomes non-zero, the next write fails with
 * CX_EINTR (a Ctrl-C handler's flag).  Abort may follow any step (also
 * a failed open) and frees what fs holds; after a commit it only frees.
 */
struct cx_file_sink {
	struct cx_sink sink;
	int fd;
	char *path, *tmp;
	unsigned long long written;
	const volatile sig_atomic_t *stop;
};
int cx_file_sink_open(struct cx_file_sink *fs, const char *path);
int cx_file_sink_close(struct cx_file_sink *fs, struct cx_buf *b);
int cx_file_sink_commit(struct cx_file_sink *fs);
void cx_file_sink_abort(struct cx_file_sink *fs);

/* mkdir -p; mode 0755. */
int cx_mkdir_p(const char *path);
/* Join two path parts with one '/'.  Caller frees; NULL on ENOMEM. */
char *cx_path_join(const char *a, const char *b);
/* 1 if path exists (any type). */
int cx_path_exists(const char *path);

/* SHA-256 of data as 64 lowercase hex chars + NUL into hex[65]. */
void cx_sha256_hex(const void *data, size_t len, char hex[65]);

/* 1 if s is valid UTF-8 of length n. */
int cx_utf8_valid(const char *s, size_t n);
/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
size_t cx_utf8_seq(const unsigned char *s, size_t n);

#define CX_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
