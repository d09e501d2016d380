/*
 * certexam — libFuzzer harness for the base catalogue of requirements
 * (scanner/case/catalogue.c through scanner/case/xmlsafe.c): the bytes are
 * written to <scratch>/fz/requirements.xml and loaded as catalogue "fz",
 * first without a schema (the reader alone must refuse whatever it cannot
 * use: missing languages, normative requirements without clauses, clauses
 * naming no listed document, duplicate ids), then, for well-formed input,
 * against profiles/schema/profile.xsd.  A loaded catalogue must be
 * complete: every requirement in every language, each normative one with
 * a clause.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "certexam/error.h"
#include "certexam/lang.h"
#include "certexam/profile.h"
#include "fuzz_common.h"
#include "profile_xml.h"

static char fz_sub[4352];
static char fz_file[4400];

static void fz_remove(void)
{
	unlink(fz_file);
	rmdir(fz_sub);
}

static void check(const struct cx_catalogue *c)
{
	size_t i, k;
	int lang;

	FUZZ_ASSERT(c->id != NULL && strcmp(c->id, "fz") == 0);
	FUZZ_ASSERT(c->version != NULL);
	for (i = 0; i < c->n_reqs; i++) {
		const struct cx_requirement *r = &c->reqs[i];

		FUZZ_ASSERT(r->id != NULL && r->block != NULL);
		FUZZ_ASSERT(cx_req_kind_name(r->kind) != NULL);
		FUZZ_ASSERT(r->kind != CX_REQ_NORMATIVE || r->n_clauses > 0);
		for (lang = 0; lang < CX_LANG_COUNT; lang++) {
			FUZZ_ASSERT(cx_requirement_str(r, CX_REQ_TEXT,
			                               (enum cx_lang)lang) !=
			            NULL);
			FUZZ_ASSERT(cx_requirement_str(r, CX_REQ_SOURCE,
			                               (enum cx_lang)lang) !=
			            NULL);
			(void)cx_requirement_str(r, CX_REQ_RECOMMENDATION,
			                         (enum cx_lang)lang);
			fuzz_check_text(r->texts[lang]);
		}
		for (k = 0; k < r->n_clauses; k++)
			FUZZ_ASSERT(r->clauses[k].doc != NULL &&
			            r->clauses[k].ref != NULL);
	}
	for (i = 0; i < c->n_params; i++)
		FUZZ_ASSERT(c->params[i].name != NULL &&
		            c->params[i].value != NULL);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct cx_catalogue *c = NULL;
	struct cx_diags d = {0};
	int rc, fd;

	if (fz_sub[0] == '\0') {
		snprintf(fz_sub, sizeof(fz_sub), "%s/fz", fuzz_dir());
		FUZZ_ASSERT(mkdir(fz_sub, 0700) == 0);
		snprintf(fz_file, sizeof(fz_file), "%s/requirements.xml",
		         fz_sub);
		atexit(fz_remove);
	}
	fd = open(fz_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	FUZZ_ASSERT(fd >= 0);
	fuzz_fd_fill(fd, data, size);
	close(fd);

	rc = cx_catalogue_load(fuzz_dir(), "fz", NULL, &c, &d);
	if (rc == CX_OK)
		check(c);
	else
		FUZZ_ASSERT(c == NULL && rc != CX_ENOMEM && d.n > 0);
	cx_catalogue_free(c);
	c = NULL;
	cx_diags_free(&d);
	if (rc == CX_EPARSE || rc == CX_ELIMIT)
		return 0;

	rc = cx_catalogue_load(fuzz_dir(), "fz", CX_FUZZ_PROFILES "/schema", &c,
	                       &d);
	if (rc == CX_OK)
		check(c);
	else
		FUZZ_ASSERT(c == NULL && rc != CX_ENOENT && rc != CX_ENOMEM &&
		            d.n > 0);
	cx_catalogue_free(c);
	cx_diags_free(&d);
	return 0;
}
