/*
 * certexam — unit tests for profiles and the base catalogue of requirements
 * (scanner/case/profile.c, catalogue.c) as shipped, and the languages
 * (scanner/util/lang.c).  Also keeps docs/requirements.md in step with the
 * catalogue.  What the loaders and the safe XML layer refuse is tested in
 * check_profile_errors.c.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certexam/error.h"
#include "certexam/lang.h"
#include "certexam/profile.h"
#include "certexam/util.h"
#include "xmlsafe.h"
#include "profile_util.h"

#define DATA   CX_TEST_DATA "/profile"
#define SCHEMA CX_SOURCE_PROFILES "/schema"

static const char *const shipped[] = {"information-system", "egov-platform",
                                      "internet-resource", "critical-ici"};

/* The whole requirement catalogue every shipped profile carries. */
static const char *const catalogue[] = {
    "DOC-01", "DOC-02", "DOC-03", "DOC-04", "DOC-05", "DOC-06", "DOC-07",
    "DOC-08", "DOC-09", "DOC-10", "DOC-11", "DOC-12", "DOC-13", "DOC-14",
    "DOC-15", "DOC-16", "NET-01", "NET-02", "NET-03", "NET-04", "NET-05",
    "NET-06", "NET-07", "NET-08", "TLS-01", "TLS-02", "TLS-03", "TLS-04",
    "TLS-05", "TLS-06", "TLS-07", "TLS-08", "TLS-09", "TLS-10", "TLS-11",
    "TLS-12", "TLS-13", "TLS-14", "WEB-01", "WEB-02", "WEB-03", "WEB-04",
    "WEB-05", "WEB-06", "WEB-07", "WEB-08", "WEB-09", "WEB-10", "WEB-11",
    "WEB-12", "WEB-13", "WEB-14", "WEB-15", "INV-01", "INV-02", "INV-03",
};

/* Every string of r in every language, and its kind and clauses. */
static void check_requirement(const struct cx_profile *p,
                              const struct cx_requirement *r)
{
	size_t i, k;
	int lang;

	for (lang = 0; lang < CX_LANG_COUNT; lang++) {
		const char *code = cx_lang_code((enum cx_lang)lang);

		ck_assert_msg(r->texts[lang] != NULL && r->texts[lang][0],
		              "%s: %s lacks its %s text", p->id, r->id, code);
		ck_assert_msg(r->recommendations[lang] != NULL &&
		                  r->recommendations[lang][0],
		              "%s: %s lacks its %s recommendation", p->id,
		              r->id, code);
		ck_assert_msg(r->sources[lang] != NULL && r->sources[lang][0],
		              "%s: %s lacks its %s legal basis", p->id, r->id,
		              code);
		ck_assert(strchr(r->texts[lang], '\n') == NULL);
		ck_assert_ptr_eq(
		    cx_requirement_str(r, CX_REQ_TEXT, (enum cx_lang)lang),
		    r->texts[lang]);
	}
	/* The English strings are the members the findings copy. */
	ck_assert_ptr_eq(r->text, r->texts[CX_LANG_EN]);
	ck_assert_ptr_eq(r->source, r->sources[CX_LANG_EN]);
	ck_assert_ptr_eq(r->recommendation, r->recommendations[CX_LANG_EN]);
	ck_assert(strstr(r->source, "Rules No. 298") != NULL);
	/* Instrumental findings cite 22(4), never 22(3) (issue 9). */
	ck_assert_msg(strstr(r->source, "22(3)") == NULL, "%s cites 22(3)",
	              r->id);
	if (strcmp(r->block, "documents") != 0)
		ck_assert_msg(strstr(r->source, "22(4)") != NULL,
		              "%s does not cite 22(4)", r->id);
	ck_assert_ptr_nonnull(cx_req_kind_name(r->kind));
	if (r->kind == CX_REQ_NORMATIVE)
		ck_assert_msg(r->n_clauses > 0, "normative %s has no clause",
		              r->id);
	else
		ck_assert_uint_eq(r->n_clauses, 0);
	for (i = 0; i < r->n_clauses; i++) {
		int found = 0;

		ck_assert_ptr_nonnull(r->clauses[i].ref);
		ck_assert(r->clauses[i].ref[0] != '\0');
		for (k = 0; k < p->n_basis; k++)
			if (strcmp(p->basis[k].id, r->clauses[i].doc) == 0)
				found = 1;
		ck_assert_msg(found, "%s cites unknown document %s", r->id,
		              r->clauses[i].doc);
	}
}

START_TEST(test_shipped_profiles_load)
{
	struct cx_diags d = {0};
	struct cx_profile *p = NULL;
	size_t i;
	int rc, lang;

	rc = cx_profile_load_id(CX_SOURCE_PROFILES, shipped[_i], &p, &d);
	for (i = 0; i < d.n; i++)
		fprintf(stderr, "%s:%ld: %s\n", d.items[i].file,
		        d.items[i].line, d.items[i].message);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_str_eq(p->id, shipped[_i]);
	ck_assert_str_eq(p->version, "2026.1");
	ck_assert_str_eq(p->object_type, shipped[_i]);
	ck_assert_str_eq(p->regime, "rules-298");
	ck_assert_str_eq(p->regime_version, "2026.1");
	ck_assert_ptr_nonnull(p->title);
	ck_assert_ptr_eq(p->title, p->titles[CX_LANG_EN]);
	ck_assert(strstr(p->title, "Rules No. 298") != NULL);
	ck_assert(strstr(p->titles[CX_LANG_RU], "Правила № 298") != NULL);
	ck_assert(strstr(p->titles[CX_LANG_KK], "№ 298 Қағидалар") != NULL);
	/* Normative basis: the Rules, the Law, UR, ST RK ISO/IEC 27001. */
	ck_assert_uint_eq(p->n_basis, 4);
	ck_assert_str_eq(p->basis[0].id, "rules-298");
	ck_assert(strstr(p->basis[0].title, "No. 298 of 23 May 2016") != NULL);
	ck_assert(strstr(p->basis[1].title, "24 November 2015") != NULL);
	ck_assert_str_eq(p->basis[2].id, "ur");
	ck_assert(strstr(p->basis[2].titles[CX_LANG_RU],
	                 "от 20 декабря 2016 года № 832") != NULL);
	for (i = 0; i < p->n_basis; i++)
		for (lang = 0; lang < CX_LANG_COUNT; lang++)
			ck_assert(p->basis[i].titles[lang] != NULL &&
			          p->basis[i].titles[lang][0] != '\0');
	/* The whole catalogue, nothing more, each complete. */
	ck_assert_uint_eq(p->n_reqs, CX_ARRAY_LEN(catalogue));
	for (i = 0; i < CX_ARRAY_LEN(catalogue); i++) {
		const struct cx_requirement *r =
		    cx_profile_req(p, catalogue[i]);

		ck_assert_msg(r != NULL, "%s lacks %s", shipped[_i],
		              catalogue[i]);
		/* In the catalogue's order. */
		ck_assert_ptr_eq(r, &p->reqs[i]);
		check_requirement(p, r);
		if (strncmp(catalogue[i], "DOC-", 4) == 0)
			ck_assert_str_eq(r->block, "documents");
		else if (strncmp(catalogue[i], "NET-", 4) == 0)
			ck_assert_str_eq(r->block, "network");
		else if (strncmp(catalogue[i], "TLS-", 4) == 0)
			ck_assert_str_eq(r->block, "tls");
		else if (strncmp(catalogue[i], "WEB-", 4) == 0)
			ck_assert_str_eq(r->block, "web");
		else
			ck_assert_str_eq(r->block, "inventory");
		/* The package of documents and its lists rest on clauses. */
		if (strncmp(catalogue[i], "DOC-", 4) == 0 ||
		    strncmp(catalogue[i], "INV-", 4) == 0)
			ck_assert_int_eq(r->kind, CX_REQ_NORMATIVE);
	}
	ck_assert_str_eq(cx_profile_req(p, "DOC-01")->clauses[2].ref,
	                 "Annex 3 item 1");
	/* Good practice without a normative clause (issue 9). */
	ck_assert_int_eq(cx_profile_req(p, "WEB-14")->kind, CX_REQ_PRACTICE);
	ck_assert_int_eq(cx_profile_req(p, "WEB-15")->kind, CX_REQ_PRACTICE);
	ck_assert_int_eq(cx_profile_req(p, "TLS-13")->kind, CX_REQ_PRACTICE);
	ck_assert_int_eq(cx_profile_req(p, "NET-01")->severity,
	                 CX_SEV_CRITICAL);
	ck_assert_int_eq(cx_profile_req(p, "TLS-09")->severity,
	                 CX_SEV_CRITICAL);
	ck_assert(strstr(cx_profile_req(p, "DOC-07")->text, "cryptographic") !=
	          NULL);
	ck_assert(strstr(cx_profile_req(p, "DOC-07")->texts[CX_LANG_RU],
	                 "криптографической") != NULL);
	/* Parameters every check reads. */
	ck_assert_str_eq(cx_profile_param(p, "tls.min_version", "x"),
	                 "TLSv1.2");
	ck_assert(cx_profile_param(p, "scan.ports", NULL) != NULL);
	ck_assert_int_ge(
	    cx_profile_param_long(p, "tls.cert_expiry_warn_days", -1), 30);
	ck_assert_int_ge(cx_profile_param_long(p, "tls.min_rsa_bits", -1),
	                 2048);
	ck_assert_int_eq(cx_profile_param_long(p, "tls.min_ecc_bits", -1), 256);
	ck_assert_int_ge(cx_profile_param_long(p, "tls.min_dh_bits", -1), 2048);
	ck_assert_int_ge(cx_profile_param_long(p, "web.hsts_min_age", -1),
	                 15552000);
	ck_assert(cx_profile_param_has(p, "net.forbidden_cleartext", "telnet"));
	ck_assert(cx_profile_param_has(p, "net.forbidden_ftp", "ftp"));
	ck_assert(cx_profile_param_has(p, "net.forbidden_db", "redis"));
	ck_assert(cx_profile_param_has(p, "net.forbidden_legacy", "snmp"));
	ck_assert(cx_profile_param_has(p, "web.session_cookie", "PHPSESSID"));
	cx_profile_free(p);
	cx_diags_free(&d);
}
END_TEST

/*
 * Every profile file in profiles/ (a file whose root is <profile>)
 * resolves against its catalogue, and they are exactly the shipped four.
 */
START_TEST(test_every_profile_resolves)
{
	DIR *dir = opendir(CX_SOURCE_PROFILES);
	struct dirent *e;
	size_t n = 0, i;

	ck_assert_ptr_nonnull(dir);
	while ((e = readdir(dir)) != NULL) {
		size_t len = strlen(e->d_name);
		struct cx_diags d = {0};
		struct cx_profile *p = NULL;
		char *path, *data = NULL, *id;
		size_t dlen = 0;
		int rc, known = 0;

		if (len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0)
			continue;
		path = cx_path_join(CX_SOURCE_PROFILES, e->d_name);
		ck_assert_int_eq(cx_read_file(path, 1 << 22, &data, &dlen), 0);
		if (strstr(data, "<profile ") == NULL) {
			free(data);
			free(path);
			continue;
		}
		id = cx_strndup(e->d_name, len - 4);
		rc = cx_profile_load_id(CX_SOURCE_PROFILES, id, &p, &d);
		for (i = 0; i < d.n; i++)
			fprintf(stderr, "%s:%ld: %s\n", d.items[i].file,
			        d.items[i].line, d.items[i].message);
		ck_assert_msg(rc == 0, "%s does not resolve", e->d_name);
		for (i = 0; i < p->n_reqs; i++)
			check_requirement(p, &p->reqs[i]);
		for (i = 0; i < CX_ARRAY_LEN(shipped); i++)
			if (strcmp(shipped[i], id) == 0)
				known = 1;
		ck_assert_msg(known, "profile %s is not in the test's list",
		              id);
		n++;
		cx_profile_free(p);
		cx_diags_free(&d);
		free(id);
		free(data);
		free(path);
	}
	closedir(dir);
	ck_assert_uint_eq(n, CX_ARRAY_LEN(shipped));
	/* The same through the API that 'certexam validate --profiles' uses. */
	{
		struct cx_diags d = {0};
		size_t found = 0;

		ck_assert_int_eq(
		    cx_profile_check_dir(CX_SOURCE_PROFILES, &found, &d), 0);
		ck_assert_uint_eq(found, CX_ARRAY_LEN(shipped));
		ck_assert_uint_eq(d.n, 0);
		ck_assert_int_eq(
		    cx_profile_check_dir("/nonexistent", &found, &d),
		    CX_ENOENT);
		ck_assert_uint_eq(found, 0);
		cx_diags_free(&d);
	}
}
END_TEST

/*
 * cx_profile_check_dir: a folder with one good profile, one that names a
 * requirement its catalogue lacks, and an XML file that is no profile.
 */
START_TEST(test_check_dir)
{
	static const char *const files[][2] = {
	    {"/schema/profile.xsd", "/schema"},
	    {"/test-regime/requirements.xml", "/test-regime"},
	    {"/minimal.xml", ""},
	    {"/unknown-ref.xml", ""},
	    {"/other.xml", ""},
	};
	struct cx_diags d = {0};
	char tmpl[] = "/tmp/cxprofdirXXXXXX";
	char *dir = mkdtemp(tmpl);
	size_t found = 0, f;

	ck_assert_ptr_nonnull(dir);
	for (f = 0; f < CX_ARRAY_LEN(files); f++) {
		/* other.xml: the catalogue again, whose root is no profile. */
		char *from =
		    f == 0   ? cx_strdup(SCHEMA "/profile.xsd")
		    : f == 4 ? cx_strdup(DATA "/test-regime/requirements.xml")
		             : cx_asprintf("%s%s", DATA, files[f][0]);
		char *sub = cx_asprintf("%s%s", dir, files[f][1]);
		char *to = cx_asprintf("%s%s", dir, files[f][0]);
		char *data = NULL;
		size_t len = 0;

		ck_assert_int_eq(cx_mkdir_p(sub), 0);
		ck_assert_int_eq(cx_read_file(from, 1 << 20, &data, &len), 0);
		ck_assert_int_eq(cx_write_file_atomic(to, data, len), 0);
		free(data);
		free(from);
		free(sub);
		free(to);
	}
	ck_assert_int_eq(cx_profile_check_dir(dir, &found, &d), CX_ESCHEMA);
	ck_assert_uint_eq(found, 2);
	ck_assert(
	    has_diag(&d, "unknown-ref.xml", 7, "requirement@ref", "WEB-09"));
	ck_assert(!has_diag(&d, "minimal.xml", 0, NULL, NULL));
	ck_assert(!has_diag(&d, "other.xml", 0, NULL, NULL));
	cx_diags_free(&d);
	for (f = 0; f < CX_ARRAY_LEN(files); f++) {
		char *to = cx_asprintf("%s%s", dir, files[f][0]);

		ck_assert_int_eq(unlink(to), 0);
		free(to);
	}
	for (f = 0; f < 2; f++) {
		char *sub = cx_asprintf("%s%s", dir, files[f][1]);

		ck_assert_int_eq(rmdir(sub), 0);
		free(sub);
	}
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

/* Profiles differ sensibly: critical-ici is never laxer than the base. */
START_TEST(test_profiles_consistent)
{
	struct cx_profile *p[4] = {NULL, NULL, NULL, NULL};
	size_t i, k;

	for (k = 0; k < 4; k++)
		ck_assert_int_eq(cx_profile_load_id(CX_SOURCE_PROFILES,
		                                    shipped[k], &p[k], NULL),
		                 0);
	for (i = 0; i < CX_ARRAY_LEN(catalogue); i++) {
		const struct cx_requirement *base =
		    cx_profile_req(p[0], catalogue[i]);
		const struct cx_requirement *crit =
		    cx_profile_req(p[3], catalogue[i]);

		/* Lower enum value = more severe. */
		ck_assert_msg(crit->severity <= base->severity,
		              "critical-ici is laxer on %s", catalogue[i]);
		for (k = 1; k < 4; k++) {
			ck_assert_str_eq(
			    cx_profile_req(p[k], catalogue[i])->text,
			    base->text);
			ck_assert_int_eq(
			    cx_profile_req(p[k], catalogue[i])->kind,
			    base->kind);
		}
	}
	ck_assert_int_eq(cx_profile_param_long(p[3], "tls.min_rsa_bits", 0),
	                 3072);
	ck_assert_int_eq(
	    cx_profile_param_long(p[3], "tls.cert_expiry_warn_days", 0), 60);
	ck_assert_int_gt(cx_profile_param_long(p[2], "web.hsts_min_age", 0),
	                 cx_profile_param_long(p[0], "web.hsts_min_age", 0));
	ck_assert(cx_profile_req(p[2], "WEB-03")->severity <
	          cx_profile_req(p[0], "WEB-03")->severity);
	ck_assert(cx_profile_req(p[1], "WEB-02")->severity <
	          cx_profile_req(p[0], "WEB-02")->severity);
	/* A parameter the profile sets replaces the catalogue's values. */
	ck_assert_str_eq(cx_profile_param(p[1], "scan.ports", NULL), "all");
	{
		size_t it = 0, n = 0;

		while (cx_profile_param_next(p[1], "scan.ports", &it) != NULL)
			n++;
		ck_assert_uint_eq(n, 1);
	}
	for (k = 0; k < 4; k++)
		cx_profile_free(p[k]);
}
END_TEST

/*
 * docs/requirements.md is the table of the catalogue as the profiles
 * resolve it; this test writes it with CX_REGEN_DOCS=1 and otherwise
 * fails when it is stale.
 */
START_TEST(test_requirements_doc)
{
	const char *doc = CX_SOURCE_PROFILES "/../docs/requirements.md";
	struct cx_profile *p[4] = {NULL, NULL, NULL, NULL};
	struct cx_buf b = {0};
	char *data = NULL;
	size_t i, j, k, len = 0;

	for (k = 0; k < 4; k++)
		ck_assert_int_eq(cx_profile_load_id(CX_SOURCE_PROFILES,
		                                    shipped[k], &p[k], NULL),
		                 0);
	ck_assert_int_eq(
	    cx_buf_printf(
	        &b,
	        "# Requirements of the base catalogue `%s` (version %s)\n\n"
	        "Generated from `profiles/%s/requirements.xml` and the four "
	        "profiles by\n`tests/unit/check_profile.c` (run it with "
	        "`CX_REGEN_DOCS=1` to rewrite this\nfile; the test fails when "
	        "the file is stale).  *normative*: the requirement\nrests on "
	        "the clauses listed, each read in the text of the document "
	        "(a\nfailed one is a deficiency); *practice*: good practice "
	        "checked in the\ninstrumental examination (Rules No. 298, "
	        "para 22(4)) with no verified\nnormative clause (a failed one "
	        "is a recommendation).  The last four\ncolumns are the "
	        "severity in each profile.\n\n| Id | Block | Kind | Clauses "
	        "|",
	        p[0]->regime, p[0]->regime_version, p[0]->regime),
	    0);
	for (k = 0; k < 4; k++)
		ck_assert_int_eq(cx_buf_printf(&b, " %s |", shipped[k]), 0);
	ck_assert_int_eq(
	    cx_buf_puts(&b, "\n|---|---|---|---|---|---|---|---|\n"), 0);
	for (i = 0; i < p[0]->n_reqs; i++) {
		const struct cx_requirement *r = &p[0]->reqs[i];

		ck_assert_int_eq(cx_buf_printf(&b, "| %s | %s | %s | ", r->id,
		                               r->block,
		                               cx_req_kind_name(r->kind)),
		                 0);
		for (j = 0; j < r->n_clauses; j++)
			ck_assert_int_eq(
			    cx_buf_printf(&b, "%s%s %s", j > 0 ? "; " : "",
			                  r->clauses[j].doc, r->clauses[j].ref),
			    0);
		if (r->n_clauses == 0)
			ck_assert_int_eq(cx_buf_puts(&b, "—"), 0);
		ck_assert_int_eq(cx_buf_puts(&b, " |"), 0);
		for (k = 0; k < 4; k++)
			ck_assert_int_eq(
			    cx_buf_printf(
			        &b, " %s |",
			        cx_severity_name(
			            cx_profile_req(p[k], r->id)->severity)),
			    0);
		ck_assert_int_eq(cx_buf_puts(&b, "\n"), 0);
	}
	ck_assert_int_eq(cx_buf_puts(&b, "\nDocuments cited:\n\n"), 0);
	for (i = 0; i < p[0]->n_basis; i++)
		ck_assert_int_eq(cx_buf_printf(&b, "- `%s`: %s\n",
		                               p[0]->basis[i].id,
		                               p[0]->basis[i].title),
		                 0);
	if (getenv("CX_REGEN_DOCS") != NULL) {
		ck_assert_int_eq(cx_write_file_atomic(doc, b.data, b.len), 0);
	} else {
		ck_assert_int_eq(cx_read_file(doc, 1 << 20, &data, &len), 0);
		ck_assert_msg(len == b.len && memcmp(data, b.data, len) == 0,
		              "docs/requirements.md is stale: run "
		              "CX_REGEN_DOCS=1 tests/unit/check_profile");
	}
	free(data);
	cx_buf_free(&b);
	for (k = 0; k < 4; k++)
		cx_profile_free(p[k]);
}
END_TEST

START_TEST(test_lang)
{
	struct cx_requirement r = {.text = "t", .source = "s"};

	ck_assert_int_eq(cx_lang_parse("kk"), CX_LANG_KK);
	ck_assert_int_eq(cx_lang_parse("RU"), CX_LANG_RU);
	ck_assert_int_eq(cx_lang_parse("en"), CX_LANG_EN);
	ck_assert_int_eq(cx_lang_parse("de"), -1);
	ck_assert_int_eq(cx_lang_parse("e"), -1);
	ck_assert_int_eq(cx_lang_parse(""), -1);
	ck_assert_int_eq(cx_lang_parse(NULL), -1);
	ck_assert_str_eq(cx_lang_code(CX_LANG_KK), "kk");
	ck_assert_str_eq(cx_lang_code(CX_LANG_EN), "en");
	ck_assert_ptr_null(cx_lang_code(CX_LANG_COUNT));
	ck_assert_int_eq(cx_req_kind_parse("practice"), CX_REQ_PRACTICE);
	ck_assert_int_eq(cx_req_kind_parse("normative"), CX_REQ_NORMATIVE);
	ck_assert_int_eq(cx_req_kind_parse("Practice"), -1);
	ck_assert_int_eq(cx_req_kind_parse(NULL), -1);
	ck_assert_ptr_null(cx_req_kind_name(CX__REQ_KIND_COUNT));
	/* A requirement built by hand: every language falls back to English. */
	ck_assert_str_eq(cx_requirement_str(&r, CX_REQ_TEXT, CX_LANG_KK), "t");
	ck_assert_str_eq(cx_requirement_str(&r, CX_REQ_SOURCE, CX_LANG_RU),
	                 "s");
	ck_assert_ptr_null(
	    cx_requirement_str(&r, CX_REQ_RECOMMENDATION, CX_LANG_EN));
	ck_assert_ptr_null(cx_requirement_str(&r, CX_REQ_TEXT, CX_LANG_COUNT));
	ck_assert_ptr_null(cx_requirement_str(NULL, CX_REQ_TEXT, CX_LANG_EN));
	r.texts[CX_LANG_KK] = "к";
	ck_assert_str_eq(cx_requirement_str(&r, CX_REQ_TEXT, CX_LANG_KK), "к");
}
END_TEST

START_TEST(test_param_accessors)
{
	struct cx_diags d = {0};
	struct cx_profile *p = NULL;
	const char *v;
	size_t it = 0, n = 0;

	ck_assert_int_eq(cx_profile_load(DATA "/minimal.xml", SCHEMA, &p, &d),
	                 0);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_str_eq(p->title, "A minimal test profile");
	ck_assert_str_eq(p->regime, "test-regime");
	/* select="listed": only the two named, in the catalogue's order. */
	ck_assert_uint_eq(p->n_reqs, 2);
	ck_assert_str_eq(p->reqs[0].id, "NET-01");
	ck_assert_str_eq(p->reqs[1].id, "TLS-01");
	ck_assert_str_eq(cx_profile_req(p, "NET-01")->text,
	                 "Clear-text remote access is not exposed.");
	ck_assert_str_eq(cx_profile_req(p, "NET-01")->texts[CX_LANG_RU],
	                 "Удаленный доступ в открытом виде недоступен.");
	/* The severity the profile overrides, the one it does not. */
	ck_assert_int_eq(cx_profile_req(p, "NET-01")->severity,
	                 CX_SEV_CRITICAL);
	ck_assert_int_eq(cx_profile_req(p, "TLS-01")->severity, CX_SEV_HIGH);
	ck_assert_int_eq(cx_profile_req(p, "NET-01")->kind, CX_REQ_PRACTICE);
	ck_assert_int_eq(cx_profile_req(p, "TLS-01")->kind, CX_REQ_NORMATIVE);
	ck_assert_str_eq(cx_profile_req(p, "TLS-01")->clauses[0].ref, "22(4)");
	ck_assert_ptr_null(cx_profile_req(p, "NET-01")->recommendation);
	ck_assert_ptr_null(cx_requirement_str(
	    cx_profile_req(p, "NET-01"), CX_REQ_RECOMMENDATION, CX_LANG_KK));
	ck_assert_str_eq(cx_profile_req(p, "TLS-01")->recommendation,
	                 "Disable old protocols.");
	ck_assert_str_eq(cx_requirement_str(cx_profile_req(p, "TLS-01"),
	                                    CX_REQ_RECOMMENDATION, CX_LANG_KK),
	                 "Ескі хаттамаларды өшіру.");
	ck_assert_ptr_null(cx_profile_req(p, "WEB-01"));
	ck_assert_ptr_null(cx_profile_req(p, NULL));
	ck_assert_ptr_null(cx_profile_req(NULL, "NET-01"));
	/* The profile's value replaces the catalogue's; others remain. */
	ck_assert_str_eq(cx_profile_param(p, "tls.min_version", NULL),
	                 "TLSv1.2");
	ck_assert_int_eq(cx_profile_param_long(p, "web.hsts_min_age", 0), 100);
	ck_assert_str_eq(cx_profile_param(p, "no.such", "dflt"), "dflt");
	ck_assert_ptr_null(cx_profile_param(p, "no.such", NULL));
	ck_assert_int_eq(
	    cx_profile_param_long(p, "tls.cert_expiry_warn_days", 7), 30);
	/* Malformed or absent: the default. */
	ck_assert_int_eq(cx_profile_param_long(p, "tls.min_rsa_bits", 2048),
	                 2048);
	ck_assert_int_eq(cx_profile_param_long(p, "no.such", -5), -5);
	for (v = cx_profile_param_next(p, "net.forbidden_db", &it); v != NULL;
	     v = cx_profile_param_next(p, "net.forbidden_db", &it))
		n++;
	ck_assert_uint_eq(n, 3);
	/* Iteration past the end stays at the end. */
	ck_assert_ptr_null(cx_profile_param_next(p, "net.forbidden_db", &it));
	it = 0;
	ck_assert_str_eq(cx_profile_param_next(p, "net.forbidden_db", &it),
	                 "postgresql");
	ck_assert_str_eq(cx_profile_param_next(p, "net.forbidden_db", &it),
	                 "Redis");
	ck_assert(cx_profile_param_has(p, "net.forbidden_db", "redis"));
	ck_assert(cx_profile_param_has(p, "net.forbidden_db", "MYSQL"));
	ck_assert(!cx_profile_param_has(p, "net.forbidden_db", "mongodb"));
	ck_assert(!cx_profile_param_has(p, "net.forbidden_db", NULL));
	ck_assert(!cx_profile_param_has(NULL, "net.forbidden_db", "redis"));
	ck_assert_str_eq(cx_profile_param(NULL, "x", "d"), "d");
	cx_profile_free(p);
	cx_profile_free(NULL);
	cx_diags_free(&d);
}
END_TEST

static Suite *profile_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("profile");

	tcase_add_loop_test(tc, test_shipped_profiles_load, 0,
	                    (int)CX_ARRAY_LEN(shipped));
	tcase_add_test(tc, test_every_profile_resolves);
	tcase_add_test(tc, test_check_dir);
	tcase_add_test(tc, test_profiles_consistent);
	tcase_add_test(tc, test_requirements_doc);
	tcase_add_test(tc, test_lang);
	tcase_add_test(tc, test_param_accessors);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(profile_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
