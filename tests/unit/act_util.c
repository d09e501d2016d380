/*
 * Helpers shared by the act's unit tests (check_act.c, check_act_render.c):
 * a run with its header filled in and the findings they add to it.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "act_util.h"
#include "certexam/util.h"

void finding(struct cx_run *run, const char *check, const char *req,
             const char *block, const char *asset, enum cx_status st,
             enum cx_severity sev, const char *observed)
{
	struct cx_finding f;

	memset(&f, 0, sizeof(f));
	f.check = (char *)check;
	f.req_id = (char *)req;
	f.req_text = "Requirement text";
	f.req_source = "Rules No. 298, para 22(4)";
	f.block = (char *)block;
	f.asset = (char *)asset;
	f.status = st;
	f.severity = sev;
	f.title = "Title";
	f.observed = (char *)observed;
	f.recommendation = "Fix it";
	f.method = "probe";
	ck_assert_int_eq(cx_run_add_finding(run, &f), 0);
}

struct cx_run *base_run(int number, const char *kind)
{
	struct cx_run *run = cx_run_new();

	run->number = number;
	free(run->kind);
	run->kind = cx_strdup(kind);
	run->tool_version = cx_strdup("0.1.0");
	run->profile_id = cx_strdup("information-system");
	run->profile_version = cx_strdup("2026.1");
	run->object_name = cx_strdup("Registry");
	run->examiner_host = cx_strdup("examiner");
	run->started = 1795300000;
	run->finished = 1795300060;
	run->complete = 1;
	return run;
}

/* A failed finding with a message id, an argument and a kind. */
void finding_msg(struct cx_run *run, const char *req, const char *block,
                 const char *asset, enum cx_status st, enum cx_severity sev,
                 const char *msg, const char *arg, const char *kind)
{
	struct cx_finding f;
	struct cx_prop a = {"name", (char *)arg};

	memset(&f, 0, sizeof(f));
	f.check = "http";
	f.req_id = (char *)req;
	f.req_text = "Requirement text";
	f.req_source = "UR, para 1";
	f.block = (char *)block;
	f.asset = (char *)asset;
	f.status = st;
	f.severity = sev;
	f.msg = (char *)msg;
	f.args = arg ? &a : NULL;
	f.n_args = arg ? 1 : 0;
	f.req_kind = (char *)kind;
	ck_assert_int_eq(cx_run_add_finding(run, &f), 0);
}

void all_blocks(struct cx_run *run, enum cx_status st)
{
	finding(run, "parts", "P1-application", "preliminary", "o", st,
	        CX_SEV_MEDIUM, "a");
	finding(run, "documents", "DOC-01", "documents", "o", st, CX_SEV_HIGH,
	        "d");
	finding(run, "parts", "P3-org-docs", "site", "o", st, CX_SEV_MEDIUM,
	        "s");
	finding(run, "ports", "NET-01", "network", "h:23/tcp", st,
	        CX_SEV_CRITICAL, "n");
	finding(run, "tls", "TLS-01", "tls", "h:443/tcp", st, CX_SEV_HIGH, "t");
	finding(run, "http", "WEB-02", "web", "https://h/", st, CX_SEV_MEDIUM,
	        "w");
	finding(run, "inventory", "INV-01", "inventory", "h", st, CX_SEV_LOW,
	        "i");
}
