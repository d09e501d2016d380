/*
 * certexam — libFuzzer harness for the run reader (scanner/record/run_read.c):
 * the bytes are written as run.xml in a per-process scratch folder and
 * read with cx_run_load, first without a schema (as the scan reads older
 * runs), then, for well-formed input, against profiles/schema/run.xsd (as
 * "certexam act" reads them).  Whatever loads is then used the way a
 * stored run is used: counted, serialised to XML and JSON, the XML read
 * back (it must keep every host, port, observation, finding and evidence
 * entry), and an act built from it (also as an additional examination
 * against itself) and rendered by every writer.
 */
#include <stdlib.h>
#include <string.h>

#include "certexam/act.h"
#include "certexam/error.h"
#include "certexam/run.h"
#include "fuzz_common.h"

static void render(const struct cx_run *run, const struct cx_run *base)
{
	struct cx_act *act = NULL;
	struct cx_buf b = {0};
	size_t i;
	int rc;

	rc = cx_act_build(run, base, NULL, "2026-11-21", &act);
	if (rc != CX_OK) {
		FUZZ_ASSERT(rc == CX_ENOMEM || rc == CX_EINVAL);
		return;
	}
	for (i = 0; cx_act_writers[i] != NULL; i++) {
		rc = cx_act_writers[i]->write(act, &b);
		FUZZ_ASSERT(rc == CX_OK || rc == CX_ENOMEM);
		if (b.data != NULL)
			FUZZ_ASSERT(fuzz_utf8_ok(b.data, b.len));
		cx_buf_free(&b);
	}
	cx_act_free(act);
}

static void use(const struct cx_run *run)
{
	size_t by_status[CX__STATUS_COUNT], by_sev[CX__SEV_COUNT];
	struct cx_buf b = {0};
	struct cx_run *again = NULL;
	struct cx_diags d = {0};
	int rc;

	cx_run_counts(run, by_status, by_sev);
	FUZZ_ASSERT(cx_run_to_json(run, &b) == CX_OK);
	if (b.data != NULL)
		FUZZ_ASSERT(fuzz_utf8_ok(b.data, b.len));
	cx_buf_free(&b);

	FUZZ_ASSERT(cx_run_to_xml(run, &b) == CX_OK);
	FUZZ_ASSERT(b.data != NULL);
	fuzz_write("run.xml", (const unsigned char *)b.data, b.len);
	cx_buf_free(&b);
	rc = cx_run_load(fuzz_dir(), NULL, &again, &d);
	FUZZ_ASSERT(rc == CX_OK);
	FUZZ_ASSERT(again->n_hosts == run->n_hosts);
	FUZZ_ASSERT(again->n_ports == run->n_ports);
	FUZZ_ASSERT(again->n_obs == run->n_obs);
	FUZZ_ASSERT(again->n_findings == run->n_findings);
	FUZZ_ASSERT(again->n_evidence == run->n_evidence);
	FUZZ_ASSERT(again->n_scope == run->n_scope);
	cx_diags_free(&d);

	render(run, NULL);
	if (strcmp(run->kind != NULL ? run->kind : "", "additional") == 0)
		render(run, again);
	cx_run_free(again);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cx_run *run = NULL;
	struct cx_diags d = {0};
	int rc;

	fuzz_write("run.xml", data, size);
	rc = cx_run_load(fuzz_dir(), NULL, &run, &d);
	cx_diags_free(&d);
	if (rc == CX_OK) {
		FUZZ_ASSERT(run != NULL);
		use(run);
	} else {
		FUZZ_ASSERT(run == NULL);
		/* A malformed record is not "out of memory" (inputs are
		 * small; the allocator does not fail here). */
		FUZZ_ASSERT(rc != CX_ENOMEM);
	}
	cx_run_free(run);
	run = NULL;
	if (rc == CX_EPARSE || rc == CX_ELIMIT)
		return 0;

	fuzz_write("run.xml", data, size);
	rc = cx_run_load(fuzz_dir(), CX_FUZZ_PROFILES "/schema", &run, &d);
	if (rc == CX_OK)
		use(run);
	else
		FUZZ_ASSERT(run == NULL && rc != CX_ENOENT);
	cx_diags_free(&d);
	cx_run_free(run);
	return 0;
}
