/*
 * certexam — port sets: a bitmap of the 65,535 TCP/UDP ports, parsed
 * from a list ("22,80,8000-8100", "all", "top:N") or taken from the
 * profile's list of the most common ports (profiles/top-ports.txt).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/target.h"
#include "certexam/util.h"

#define TOP_LIST_MAX (1024 * 1024)

void cx_portset_add(struct cx_portset *ps, unsigned port)
{
	if (port == 0 || port > 65535)
		return;
	if (ps->bits[port / 8] & (1u << (port % 8)))
		return;
	ps->bits[port / 8] |= (uint8_t)(1u << (port % 8));
	ps->count++;
}

int cx_portset_has(const struct cx_portset *ps, unsigned port)
{
	if (port == 0 || port > 65535)
		return 0;
	return (ps->bits[port / 8] >> (port % 8)) & 1u;
}

/* Add the first n distinct ports of the list at path. */
static int add_top(struct cx_portset *ps, const char *path, unsigned n)
{
	char *data = NULL, *line, *next, *hash;
	size_t len = 0;
	unsigned added = 0;
	long port;
	int rc;

	rc = cx_read_file(path, TOP_LIST_MAX, &data, &len);
	if (rc != 0)
		return rc;
	for (line = data; line != NULL && added < n; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		hash = strchr(line, '#');
		if (hash != NULL)
			*hash = '\0';
		line[strcspn(line, " \t\r")] = '\0';
		if (line[0] == '\0')
			continue;
		if (cx_parse_long(line, 1, 65535, &port) != 0) {
			rc = CX_EPARSE;
			goto out;
		}
		if (!cx_portset_has(ps, (unsigned)port))
			added++;
		cx_portset_add(ps, (unsigned)port);
	}
out:
	free(data);
	return rc;
}

int cx_portset_top(struct cx_portset *ps, const char *list_path, unsigned n)
{
	if (ps == NULL || list_path == NULL)
		return CX_EINVAL;
	memset(ps, 0, sizeof(*ps));
	return add_top(ps, list_path, n);
}

/* The top-ports list in profiles_dir, or the built-in search path. */
static char *top_list_path(const char *profiles_dir)
{
	static const char *const dirs[] = {
#ifdef CX_SOURCE_PROFILES
	    CX_SOURCE_PROFILES,
#endif
#ifdef CX_INSTALL_PROFILES
	    CX_INSTALL_PROFILES,
#endif
	    "profiles",
	};
	size_t i;
	char *p;

	if (profiles_dir != NULL)
		return cx_path_join(profiles_dir, "top-ports.txt");
	for (i = 0; i < CX_ARRAY_LEN(dirs); i++) {
		p = cx_path_join(dirs[i], "top-ports.txt");
		if (p == NULL)
			return NULL;
		if (cx_path_exists(p))
			return p;
		free(p);
	}
	return cx_path_join(dirs[0], "top-ports.txt");
}

static int parse_token(struct cx_portset *ps, const char *tok, size_t len,
                       const char *profiles_dir)
{
	char buf[32], *dash, *path;
	long lo, hi;
	int rc;

	if (len == 0 || len >= sizeof(buf))
		return CX_EINVAL;
	memcpy(buf, tok, len);
	buf[len] = '\0';
	cx_trim(buf);
	if (buf[0] == '\0')
		return CX_EINVAL;
	if (cx_strcaseeq(buf, "all") || strcmp(buf, "-") == 0) {
		lo = 1;
		hi = 65535;
	} else if (cx_strncaseeq(buf, "top:", 4)) {
		if (cx_parse_long(buf + 4, 1, 65535, &lo) != 0)
			return CX_EINVAL;
		path = top_list_path(profiles_dir);
		if (path == NULL)
			return CX_ENOMEM;
		rc = add_top(ps, path, (unsigned)lo);
		free(path);
		return rc;
	} else {
		dash = strchr(buf, '-');
		if (dash == NULL) {
			if (cx_parse_long(buf, 1, 65535, &lo) != 0)
				return CX_EINVAL;
			hi = lo;
		} else {
			*dash = '\0';
			if (buf[0] == '\0')
				lo = 1;
			else if (cx_parse_long(buf, 1, 65535, &lo) != 0)
				return CX_EINVAL;
			if (dash[1] == '\0')
				hi = 65535;
			else if (cx_parse_long(dash + 1, 1, 65535, &hi) != 0)
				return CX_EINVAL;
			if (lo > hi)
				return CX_EINVAL;
		}
	}
	for (; lo <= hi; lo++)
		cx_portset_add(ps, (unsigned)lo);
	return CX_OK;
}

int cx_portset_parse_in(struct cx_portset *ps, const char *spec,
                        const char *profiles_dir, const char **bad_tok)
{
	const char *p, *end;
	int rc;

	if (bad_tok != NULL)
		*bad_tok = NULL;
	if (ps == NULL || spec == NULL)
		return CX_EINVAL;
	memset(ps, 0, sizeof(*ps));
	p = spec;
	for (;;) {
		end = strchr(p, ',');
		if (end == NULL)
			end = p + strlen(p);
		rc = parse_token(ps, p, (size_t)(end - p), profiles_dir);
		if (rc != 0) {
			if (bad_tok != NULL)
				*bad_tok = p;
			memset(ps, 0, sizeof(*ps));
			/* A missing or broken top list is not a bad token. */
			if (rc == CX_ENOMEM || rc == CX_ENOENT ||
			    rc == CX_EIO || rc == CX_EPARSE || rc == CX_ELIMIT)
				return rc;
			return CX_EINVAL;
		}
		if (*end == '\0')
			break;
		p = end + 1;
	}
	return CX_OK;
}

int cx_portset_parse(struct cx_portset *ps, const char *spec,
                     const char **bad_tok)
{
	return cx_portset_parse_in(ps, spec, NULL, bad_tok);
}
