/* certexam — buffers, strings, files, time and hashing helpers. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "certexam/error.h"
#include "certexam/util.h"

int cx_grow(void *arr, size_t *cap, size_t need, size_t elsz)
{
	void **p = arr;
	size_t ncap;
	void *n;

	if (need <= *cap)
		return CX_OK;
	ncap = *cap ? *cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2)
			return CX_ENOMEM;
		ncap *= 2;
	}
	if (ncap > SIZE_MAX / elsz)
		return CX_ENOMEM;
	n = realloc(*p, ncap * elsz);
	if (n == NULL)
		return CX_ENOMEM;
	*p = n;
	*cap = ncap;
	return CX_OK;
}

static int buf_reserve(struct cx_buf *b, size_t extra)
{
	size_t need;

	if (extra > SIZE_MAX - b->len - 1)
		return CX_ENOMEM;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return CX_OK;
	return cx_grow(&b->data, &b->cap, need, 1);
}

int cx_buf_flush(struct cx_buf *b)
{
	int rc;

	if (b == NULL || b->sink == NULL || b->len == 0)
		return CX_OK;
	rc = b->sink->write(b->sink, b->data, b->len);
	b->len = 0;
	b->data[0] = '\0';
	return rc;
}

/* After an append: a streaming buffer that is full goes to its sink. */
static int buf_spill(struct cx_buf *b)
{
	size_t chunk;

	if (b->sink == NULL)
		return CX_OK;
	chunk = b->sink->chunk ? b->sink->chunk : CX_SINK_CHUNK;
	return b->len >= chunk ? cx_buf_flush(b) : CX_OK;
}

int cx_buf_append(struct cx_buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n))
		return CX_ENOMEM;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return buf_spill(b);
}

int cx_buf_puts(struct cx_buf *b, const char *s)
{
	if (s == NULL)
		return CX_OK;
	return cx_buf_append(b, s, strlen(s));
}

int cx_buf_putc(struct cx_buf *b, char c)
{
	return cx_buf_append(b, &c, 1);
}

int cx_buf_vprintf(struct cx_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	/* one pass when the text fits in the room left, else measure */
	if (b->data != NULL && b->cap > b->len) {
		va_copy(ap2, ap);
		n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2);
		va_end(ap2);
		if (n < 0) {
			b->data[b->len] = '\0';
			return CX_EINVAL;
		}
		if ((size_t)n < b->cap - b->len) {
			b->len += (size_t)n;
			return buf_spill(b);
		}
		b->data[b->len] = '\0';
	} else {
		va_copy(ap2, ap);
		n = vsnprintf(NULL, 0, fmt, ap2);
		va_end(ap2);
		if (n < 0)
			return CX_EINVAL;
	}
	if (buf_reserve(b, (size_t)n))
		return CX_ENOMEM;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return buf_spill(b);
}

int cx_buf_printf(struct cx_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = cx_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *cx_buf_steal(struct cx_buf *b)
{
	char *d = b->data;

	if (d == NULL)
		d = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return d;
}

void cx_buf_free(struct cx_buf *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *cx_strdup(const char *s)
{
	return s ? cx_strndup(s, strlen(s)) : NULL;
}

char *cx_strndup(const char *s, size_t n)
{
	char *d;

	if (s == NULL)
		return NULL;
	d = malloc(n + 1);
	if (d == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *cx_asprintf(const char *fmt, ...)
{
	struct cx_buf b = {0};
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = cx_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc) {
		cx_buf_free(&b);
		return NULL;
	}
	return cx_buf_steal(&b);
}

int cx_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return CX_EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0' || end == s)
		return CX_EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return CX_ERANGE;
	*out = v;
	return CX_OK;
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int cx_strcaseeq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	while (*a && *b &&
	       lower((unsigned char)*a) == lower((unsigned char)*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

int cx_strncaseeq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return 0;
		if (a[i] == '\0')
			return 1;
	}
	return 1;
}

char *cx_trim(char *s)
{
	size_t n;
	char *p = s;

	if (s == NULL)
		return s;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	if (p != s)
		memmove(s, p, strlen(p) + 1);
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	                 s[n - 1] == '\r' || s[n - 1] == '\n'))
		s[--n] = '\0';
	return s;
}

uint64_t cx_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void cx_iso8601(time_t t, char *out, size_t outsz)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, outsz, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		if (outsz)
			out[0] = '\0';
	}
}

int cx_parse_iso8601(const char *s, time_t *out)
{
	struct tm tm;
	int y, mo, d, h, mi, se;
	char z;

	if (s == NULL ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &se,
	           &z) != 7 ||
	    z != 'Z' || strlen(s) != 20)
		return CX_EPARSE;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60 || y < 1970)
		return CX_EPARSE;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*out = timegm(&tm);
	return CX_OK;
}

int cx_read_file(const char *path, size_t max, char **data, size_t *len)
{
	struct cx_buf b = {0};
	char chunk[65536];
	int fd, rc = CX_OK;
	ssize_t n;

	*data = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? CX_ENOENT : CX_EIO;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = CX_EIO;
			goto out;
		}
		if (n == 0)
			break;
		if (b.len + (size_t)n > max) {
			rc = CX_ELIMIT;
			goto out;
		}
		if (cx_buf_append(&b, chunk, (size_t)n)) {
			rc = CX_ENOMEM;
			goto out;
		}
	}
	*len = b.len;
	*data = cx_buf_steal(&b);
out:
	close(fd);
	cx_buf_free(&b);
	return rc;
}

int cx_write_file_atomic(const char *path, const void *data, size_t len)
{
	char *tmp = NULL;
	const char *p = data;
	int fd = -1, rc = CX_OK;
	ssize_t n;

	tmp = cx_asprintf("%s.tmp.%ld", path, (long)getpid());
	if (tmp == NULL)
		return CX_ENOMEM;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = errno == ENOENT ? CX_ENOENT : CX_EIO;
		goto out;
	}
	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = CX_EIO;
			goto out;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd) != 0) {
		rc = CX_EIO;
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		rc = CX_EIO;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		rc = CX_EIO;
		goto out;
	}
out:
	if (fd >= 0)
		close(fd);
	if (rc != CX_OK)
		unlink(tmp);
	free(tmp);
	return rc;
}

static int file_sink_write(struct cx_sink *s, const void *data, size_t len)
{
	struct cx_file_sink *fs = (struct cx_file_sink *)s;
	const char *p = data;
	ssize_t n;

	if (fs->stop != NULL && *fs->stop)
		return CX_EINTR;
	if (fs->fd < 0)
		return CX_EINVAL;
	while (len > 0) {
		n = write(fs->fd, p, len);
		if (n < 0 && errno == EINTR) {
			if (fs->stop != NULL && *fs->stop)
				return CX_EINTR;
			continue;
		}
		if (n < 0)
			return CX_EIO;
		p += n;
		len -= (size_t)n;
		fs->written += (unsigned long long)n;
	}
	return CX_OK;
}

int cx_file_sink_open(struct cx_file_sink *fs, const char *path)
{
	const char *slash = strrchr(path, '/');

	memset(fs, 0, sizeof(*fs));
	fs->fd = -1;
	fs->sink.write = file_sink_write;
	fs->path = cx_strdup(path);
	if (slash != NULL)
		fs->tmp = cx_asprintf("%.*s/.%s.tmp.%ld", (int)(slash - path),
		                      path, slash + 1, (long)getpid());
	else
		fs->tmp = cx_asprintf(".%s.tmp.%ld", path, (long)getpid());
	if (fs->path == NULL || fs->tmp == NULL) {
		cx_file_sink_abort(fs);
		return CX_ENOMEM;
	}
	fs->fd = open(fs->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fs->fd < 0) {
		int rc = errno == ENOENT ? CX_ENOENT : CX_EIO;

		free(fs->tmp); /* not created: nothing to remove */
		fs->tmp = NULL;
		cx_file_sink_abort(fs);
		return rc;
	}
	return CX_OK;
}

int cx_file_sink_close(struct cx_file_sink *fs, struct cx_buf *b)
{
	int rc = b != NULL ? cx_buf_flush(b) : CX_OK;

	if (fs->fd < 0)
		return rc == CX_OK ? CX_EINVAL : rc;
	if (rc == CX_OK && fsync(fs->fd) != 0)
		rc = CX_EIO;
	if (close(fs->fd) != 0 && rc == CX_OK)
		rc = CX_EIO;
	fs->fd = -1;
	return rc;
}

int cx_file_sink_commit(struct cx_file_sink *fs)
{
	if (fs->fd >= 0 || fs->tmp == NULL)
		return CX_EINVAL;
	if (rename(fs->tmp, fs->path) != 0)
		return CX_EIO;
	free(fs->tmp);
	fs->tmp = NULL; /* renamed: nothing left to remove */
	return CX_OK;
}

void cx_file_sink_abort(struct cx_file_sink *fs)
{
	if (fs == NULL)
		return;
	if (fs->fd >= 0)
		close(fs->fd);
	fs->fd = -1;
	if (fs->tmp != NULL)
		unlink(fs->tmp);
	free(fs->tmp);
	free(fs->path);
	fs->tmp = fs->path = NULL;
}

int cx_mkdir_p(const char *path)
{
	char *p, *s;
	int rc = CX_OK;

	s = cx_strdup(path);
	if (s == NULL)
		return CX_ENOMEM;
	for (p = s + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(s, 0755) != 0 && errno != EEXIST) {
			rc = CX_EIO;
			goto out;
		}
		*p = '/';
	}
	if (mkdir(s, 0755) != 0 && errno != EEXIST)
		rc = CX_EIO;
out:
	free(s);
	return rc;
}

char *cx_path_join(const char *a, const char *b)
{
	size_t la = strlen(a);

	if (la > 0 && a[la - 1] == '/')
		return cx_asprintf("%s%s", a, b);
	return cx_asprintf("%s/%s", a, b);
}

int cx_path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

void cx_sha256_hex(const void *data, size_t len, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL))
		mdlen = 0;
	for (i = 0; i < mdlen && i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * i] = '\0';
}

size_t cx_utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len, i;
	unsigned cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

int cx_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;

	while (i < n) {
		k = cx_utf8_seq(p + i, n - i);
		if (k == 0)
			return 0;
		i += k;
	}
	return 1;
}
