/*
 * certexam — the register of the acts a case has drafted
 * (CASE/acts/register.tsv), so that an act number is never given twice:
 * one line per act, "number TAB date TAB kind TAB run", a comment line
 * first.  The reader is length-checked and names the line of a problem.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/util.h"

#define REG_MAX_FILE (1u << 20)

int cx_act_number_valid(const char *s)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n == 0 || n > 32)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		      (c >= '0' && c <= '9') || c == '/' || c == '.' ||
		      c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static int date_ok(const char *s, size_t n)
{
	size_t i;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	return 1;
}

/* Split one line (s, n bytes) into four fields; 0 on success. */
static int parse_line(const char *s, size_t n, struct cx_act_reg_entry *e)
{
	const char *f[4];
	size_t len[4], k = 0, i, start = 0;
	char num[16];
	long run;

	for (i = 0; i <= n && k < 4; i++)
		if (i == n || s[i] == '\t') {
			f[k] = s + start;
			len[k++] = i - start;
			start = i + 1;
		}
	if (k != 4 || start <= n)
		return -1; /* not exactly four fields */
	if (len[0] == 0 || len[0] >= sizeof(e->number) ||
	    len[2] >= sizeof(e->kind) || len[3] == 0 || len[3] >= sizeof(num) ||
	    !date_ok(f[1], len[1]))
		return -1;
	memcpy(e->number, f[0], len[0]);
	e->number[len[0]] = '\0';
	memcpy(e->date, f[1], 10);
	e->date[10] = '\0';
	memcpy(e->kind, f[2], len[2]);
	e->kind[len[2]] = '\0';
	memcpy(num, f[3], len[3]);
	num[len[3]] = '\0';
	if (!cx_act_number_valid(e->number) ||
	    (strcmp(e->kind, "examination") && strcmp(e->kind, "additional")) ||
	    cx_parse_long(num, 1, 9999, &run))
		return -1;
	e->run = (int)run;
	return 0;
}

int cx_act_register_parse(const char *data, size_t len, const char *name,
                          struct cx_act_register *reg, struct cx_diags *diags)
{
	size_t i = 0, k;
	long line = 0;

	if (len > REG_MAX_FILE)
		return CX_ELIMIT;
	while (i < len) {
		const char *nl = memchr(data + i, '\n', len - i);
		struct cx_act_reg_entry e;
		k = nl ? (size_t)(nl - data) : len;
		line++;
		if (k > i && data[i] != '#') {
			size_t n = k - i;
			if (data[k - 1] == '\r')
				n--;
			memset(&e, 0, sizeof(e));
			if (memchr(data + i, '\0', n) != NULL ||
			    parse_line(data + i, n, &e) != 0) {
				if (cx_diag_add(
				        diags, name, line, NULL,
				        "expected: number, date "
				        "(YYYY-MM-DD), kind (examination "
				        "or additional), run (1-9999), "
				        "separated by tabs") ||
				    cx_diag_set_msg(
				        diags, "act.register.bad-line", NULL))
					return CX_ENOMEM;
				return CX_EPARSE;
			}
			if (cx_grow(&reg->e, &reg->cap, reg->n + 1,
			            sizeof(*reg->e)))
				return CX_ENOMEM;
			reg->e[reg->n++] = e;
		}
		i = k + 1;
	}
	return CX_OK;
}

int cx_act_register_load(const char *path, struct cx_act_register *reg,
                         struct cx_diags *diags)
{
	char *data = NULL;
	size_t len = 0;
	int rc;

	if (!cx_path_exists(path))
		return CX_OK;
	rc = cx_read_file(path, REG_MAX_FILE, &data, &len);
	if (rc == CX_OK)
		rc = cx_act_register_parse(data, len, path, reg, diags);
	free(data);
	return rc;
}

int cx_act_register_add(struct cx_act_register *reg, const char *number,
                        const char *date, const char *kind, int run)
{
	struct cx_act_reg_entry e;
	size_t i;

	if (!cx_act_number_valid(number) || date == NULL ||
	    !date_ok(date, strlen(date)) || kind == NULL ||
	    strlen(kind) >= sizeof(e.kind))
		return CX_EINVAL;
	for (i = 0; i < reg->n; i++)
		if (strcmp(reg->e[i].number, number) == 0 &&
		    reg->e[i].run != run)
			return CX_EEXIST;
	memset(&e, 0, sizeof(e));
	memcpy(e.number, number, strlen(number) + 1);
	memcpy(e.date, date, 11);
	memcpy(e.kind, kind, strlen(kind) + 1);
	e.run = run;
	for (i = 0; i < reg->n; i++)
		if (reg->e[i].run == run) {
			reg->e[i] = e; /* the same act drafted again */
			return CX_OK;
		}
	if (cx_grow(&reg->e, &reg->cap, reg->n + 1, sizeof(*reg->e)))
		return CX_ENOMEM;
	reg->e[reg->n++] = e;
	return CX_OK;
}

const struct cx_act_reg_entry *
cx_act_register_of_run(const struct cx_act_register *reg, int run)
{
	size_t i;

	for (i = reg->n; i > 0; i--)
		if (reg->e[i - 1].run == run)
			return &reg->e[i - 1];
	return NULL;
}

int cx_act_register_save(const struct cx_act_register *reg, const char *path)
{
	struct cx_buf b = {0};
	size_t i;
	int rc = cx_buf_puts(&b, "# certexam register of acts: number, date, "
	                         "kind, run (tab-separated)\n");

	for (i = 0; i < reg->n && rc == CX_OK; i++)
		rc = cx_buf_printf(&b, "%s\t%s\t%s\t%d\n", reg->e[i].number,
		                   reg->e[i].date, reg->e[i].kind,
		                   reg->e[i].run);
	if (rc == CX_OK)
		rc = cx_write_file_atomic(path, b.data, b.len);
	cx_buf_free(&b);
	return rc;
}

void cx_act_register_free(struct cx_act_register *reg)
{
	if (reg == NULL)
		return;
	free(reg->e);
	memset(reg, 0, sizeof(*reg));
}
