/*
 * certexam — helpers shared by the libFuzzer harnesses (tests/fuzz/).
 *
 * A harness that must hand a parser a path gets one per-process scratch
 * folder (under $TMPDIR, removed at exit) or a memfd reachable as
 * /proc/self/fd/N; both are reused across iterations, so nothing piles up.
 */
#ifndef CX_FUZZ_COMMON_H
#define CX_FUZZ_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "certexam/util.h"

#ifndef CX_FUZZ_PROFILES
#define CX_FUZZ_PROFILES "profiles"
#endif

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Abort (a crash libFuzzer records) when cond is false. */
#define FUZZ_ASSERT(cond)                                                      \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: assertion failed: %s\n",       \
			        __FILE__, __LINE__, #cond);                    \
			abort();                                               \
		}                                                              \
	} while (0)

/* A NUL-terminated copy of size bytes; aborts on ENOMEM. */
static inline char *fuzz_strndup(const unsigned char *data, size_t size)
{
	char *s = malloc(size + 1);

	FUZZ_ASSERT(s != NULL);
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static char fuzz_dir_path[4096];

static void fuzz_dir_remove(void)
{
	DIR *d;
	struct dirent *e;
	char p[4352];

	if (fuzz_dir_path[0] == '\0')
		return;
	d = opendir(fuzz_dir_path);
	if (d != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(p, sizeof(p), "%s/%s", fuzz_dir_path,
			         e->d_name);
			unlink(p);
		}
		closedir(d);
	}
	rmdir(fuzz_dir_path);
	fuzz_dir_path[0] = '\0';
}

/* The per-process scratch folder (created on first use). */
static inline const char *fuzz_dir(void)
{
	const char *t;

	if (fuzz_dir_path[0] != '\0')
		return fuzz_dir_path;
	t = getenv("TMPDIR");
	if (t == NULL || t[0] == '\0')
		t = "/tmp";
	snprintf(fuzz_dir_path, sizeof(fuzz_dir_path), "%s/cxfuzz.XXXXXX", t);
	FUZZ_ASSERT(mkdtemp(fuzz_dir_path) != NULL);
	atexit(fuzz_dir_remove);
	return fuzz_dir_path;
}

/* Replace the contents of fd with size bytes. */
static inline void fuzz_fd_fill(int fd, const unsigned char *data, size_t size)
{
	size_t off = 0;
	ssize_t n;

	FUZZ_ASSERT(ftruncate(fd, 0) == 0);
	while (off < size) {
		n = pwrite(fd, data + off, size - off, (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		FUZZ_ASSERT(n > 0);
		off += (size_t)n;
	}
}

/* Write size bytes to dir/name (truncating), aborting on failure. */
static inline void fuzz_write(const char *name, const unsigned char *data,
                              size_t size)
{
	char p[4352];
	int fd;

	snprintf(p, sizeof(p), "%s/%s", fuzz_dir(), name);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FUZZ_ASSERT(fd >= 0);
	fuzz_fd_fill(fd, data, size);
	close(fd);
}

/*
 * A memfd holding exactly size bytes; *path receives "/proc/self/fd/N"
 * (static storage).  The fd is created once and reused.
 */
static int fuzz_memfd = -1;
static char fuzz_memfd_path[64];

static inline const char *fuzz_memfd_file(const unsigned char *data,
                                          size_t size)
{
	if (fuzz_memfd < 0) {
		fuzz_memfd = (int)syscall(SYS_memfd_create, "cxfuzz", 0u);
		FUZZ_ASSERT(fuzz_memfd >= 0);
		snprintf(fuzz_memfd_path, sizeof(fuzz_memfd_path),
		         "/proc/self/fd/%d", fuzz_memfd);
	}
	fuzz_fd_fill(fuzz_memfd, data, size);
	return fuzz_memfd_path;
}

/*
 * A strict, independent UTF-8 validator (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), so the harnesses do not trust the
 * library's own cx_utf8_seq.
 */
static inline int fuzz_utf8_ok(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, k, j;
	unsigned cp, min;

	while (i < n) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			k = 2;
			cp = s[i] & 0x1fu;
			min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			k = 3;
			cp = s[i] & 0x0fu;
			min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			k = 4;
			cp = s[i] & 0x07u;
			min = 0x10000;
		} else {
			return 0;
		}
		if (n - i < k)
			return 0;
		for (j = 1; j < k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3fu);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k;
	}
	return 1;
}

/* A string the library returned: NULL, or valid UTF-8. */
static inline void fuzz_check_text(const char *s)
{
	if (s != NULL)
		FUZZ_ASSERT(fuzz_utf8_ok(s, strlen(s)));
}

#endif
