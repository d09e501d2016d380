/*
 * certexam — unit tests for object.xml (scanner/case/object_*.c): loading and
 * validation, hostile XML (XXE, billion laughs, external DTD over the
 * network), completeness in the sense of paragraphs 13-14, and the
 * templates of a new case.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "certexam/csv.h"
#include "certexam/error.h"
#include "certexam/object.h"
#include "certexam/target.h"
#include "certexam/util.h"
#include "diag_util.h"
#include "xmlsafe.h"

#define DATA   CX_TEST_DATA "/object"
#define SCHEMA CX_SOURCE_PROFILES "/schema"

/* Print the diagnostics when CX_TEST_VERBOSE is set (for debugging). */
static void dump(const struct cx_diags *d)
{
	size_t i;

	if (getenv("CX_TEST_VERBOSE") == NULL)
		return;
	for (i = 0; i < d->n; i++)
		fprintf(stderr, "  %s:%ld: [%s]%s %s\n", d->items[i].file,
		        d->items[i].line,
		        d->items[i].field ? d->items[i].field : "-",
		        d->items[i].is_warning ? " warning:" : "",
		        d->items[i].message);
}

static char *make_tmpdir(void)
{
	char tmpl[] = "/tmp/cxobjXXXXXX";
	char *d = mkdtemp(tmpl);

	ck_assert_ptr_nonnull(d);
	return cx_strdup(d);
}

static void rm_tree(const char *dir)
{
	static const char *const names[] = {"object.xml", "hardware.csv",
	                                    "software.csv", "README.txt",
	                                    "x.xml"};
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(names); i++) {
		char *p = cx_path_join(dir, names[i]);

		unlink(p);
		free(p);
	}
	rmdir(dir);
}

START_TEST(test_type_names)
{
	ck_assert_str_eq(cx_object_type_name(CX_OBJ_INFORMATION_SYSTEM),
	                 "information-system");
	ck_assert_str_eq(cx_object_type_name(CX_OBJ_EGOV_PLATFORM),
	                 "egov-platform");
	ck_assert_str_eq(cx_object_type_name(CX_OBJ_INTERNET_RESOURCE),
	                 "internet-resource");
	ck_assert_str_eq(cx_object_type_name(CX_OBJ_CRITICAL_ICI),
	                 "critical-ici");
	ck_assert_ptr_null(cx_object_type_name(CX_OBJ_UNKNOWN));
	ck_assert_ptr_null(cx_object_type_name((enum cx_object_type)99));
	ck_assert_int_eq(cx_object_type_parse("critical-ici"),
	                 CX_OBJ_CRITICAL_ICI);
	ck_assert_int_eq(cx_object_type_parse("egov-platform"),
	                 CX_OBJ_EGOV_PLATFORM);
	ck_assert_int_eq(cx_object_type_parse("Critical-ICI"), CX_OBJ_UNKNOWN);
	ck_assert_int_eq(cx_object_type_parse(""), CX_OBJ_UNKNOWN);
	ck_assert_int_eq(cx_object_type_parse(NULL), CX_OBJ_UNKNOWN);
	ck_assert_str_eq(cx_annex3_title(1), "Information Security Policy");
	ck_assert(strstr(cx_annex3_title(7), "cryptographic") != NULL);
	ck_assert(strstr(cx_annex3_title(16), "incidents") != NULL);
	ck_assert_ptr_null(cx_annex3_title(0));
	ck_assert_ptr_null(cx_annex3_title(17));
}
END_TEST

START_TEST(test_valid_object)
{
	struct cx_diags d = {0};
	struct cx_object *o = NULL;
	const struct cx_document *doc7 = NULL, *doc3 = NULL;
	size_t i;
	int rc;

	rc = cx_object_load(DATA "/valid/object.xml", SCHEMA, &o, &d);
	dump(&d);
	ck_assert_int_eq(rc, 0);
	ck_assert_ptr_nonnull(o);
	ck_assert_uint_eq(cx_diag_errors(&d), 0);
	ck_assert_str_eq(o->name, "Internet resource \"Open Data Portal\"");
	ck_assert_str_eq(o->short_name, "ODP");
	ck_assert_int_eq(o->type, CX_OBJ_INTERNET_RESOURCE);
	ck_assert_str_eq(o->lifecycle, "commercial");
	ck_assert_str_eq(o->possessor.name, "Ministry of Examples");
	ck_assert_str_eq(o->possessor.bin, "160240000127");
	ck_assert_str_eq(o->developer.bin, "050140001238");
	ck_assert_ptr_null(o->developer.address);
	ck_assert_str_eq(o->applicant.contact, "A. Examplov");
	ck_assert_str_eq(o->application.number, "APP-42");
	ck_assert_str_eq(o->application.date, "2026-10-01");
	ck_assert_str_eq(o->contract.number, "CTR-42");
	ck_assert_str_eq(o->contract.date, "2026-10-12");
	ck_assert_int_eq(o->distributed, 1);
	ck_assert_int_eq(o->uses_crypto, 0);
	ck_assert_str_eq(o->profile, "internet-resource");
	/* Scope entries as written (trimmed), each with its line. */
	ck_assert_uint_eq(o->n_scope, 4);
	ck_assert_str_eq(o->scope[0].value, "127.0.0.1");
	ck_assert_int_eq(o->scope[0].line, 29);
	ck_assert_str_eq(o->scope[1].value, "192.0.2.0/28");
	ck_assert_str_eq(o->scope[2].value, "2001:db8::1-2001:db8::ff");
	ck_assert_str_eq(o->scope[3].value, "https://portal.example.org/");
	ck_assert_int_eq(o->scope[3].line, 33);
	ck_assert_uint_eq(o->n_exclude, 1);
	ck_assert_str_eq(o->exclude[0].value, "192.0.2.1");
	ck_assert_int_eq(o->exclude[0].line, 32);
	/* Services; proto defaults to tcp. */
	ck_assert_uint_eq(o->n_services, 3);
	ck_assert_str_eq(o->services[0].host, "127.0.0.1");
	ck_assert_int_eq(o->services[0].port, 443);
	ck_assert_str_eq(o->services[0].proto, "tcp");
	ck_assert_str_eq(o->services[0].name, "https");
	ck_assert_int_eq(o->services[0].line, 36);
	ck_assert_str_eq(o->services[1].proto, "udp");
	ck_assert_int_eq(o->services[2].port, 22);
	ck_assert_str_eq(o->services[2].proto, "tcp");
	ck_assert_ptr_null(o->services[2].name);
	/* Annex 4. */
	ck_assert_uint_eq(o->n_integrations, 2);
	ck_assert_str_eq(o->integrations[1].name, "Payment gateway");
	ck_assert_str_eq(o->integrations[1].possessor, "Example Bank");
	ck_assert_str_eq(o->integrations[1].interaction, "REST, mutual TLS");
	/* Annex 3: all 16, titles filled in from the Annex. */
	ck_assert_uint_eq(o->n_documents, 16);
	for (i = 0; i < o->n_documents; i++) {
		ck_assert_int_eq(o->documents[i].number, (int)i + 1);
		ck_assert_str_eq(o->documents[i].title,
		                 cx_annex3_title((int)i + 1));
		ck_assert_int_eq(o->documents[i].line, 53 + (long)i);
		if (o->documents[i].number == 7)
			doc7 = &o->documents[i];
		if (o->documents[i].number == 3)
			doc3 = &o->documents[i];
	}
	ck_assert_str_eq(o->documents[0].status, "provided");
	ck_assert_str_eq(o->documents[0].approved, "2026-03-01");
	ck_assert_str_eq(o->documents[0].reference, "TD-01.pdf");
	ck_assert_ptr_null(o->documents[0].note);
	ck_assert_str_eq(doc7->status, "not-applicable");
	ck_assert_str_eq(doc7->note, "No cryptographic means are used.");
	ck_assert_str_eq(doc3->status, "deficient");
	ck_assert_uint_eq(o->n_trust_anchors, 1);
	ck_assert_str_eq(o->trust_anchors[0], "ca/root.pem");

	/* With Annexes 5 and 6 loaded, the package is complete. */
	ck_assert_int_eq(
	    cx_object_load_hardware(o, DATA "/valid/hardware.csv", &d), 0);
	ck_assert_int_eq(
	    cx_object_load_software(o, DATA "/valid/software.csv", &d), 0);
	ck_assert_uint_eq(o->n_hardware, 1);
	ck_assert_uint_eq(o->n_software, 1);
	ck_assert_uint_eq(cx_object_check_complete(o, &d), 0);
	dump(&d);
	ck_assert_uint_eq(cx_diag_errors(&d), 0);
	/* The deficient document is a warning, not an incompleteness. */
	ck_assert(diag_match(&d, "valid/object.xml", 55,
	                     "documents/document[3]", "deficient", 1));
	cx_object_free(o);
	cx_diags_free(&d);
}
END_TEST

/* Case files with errors: every diagnostic that must be there (file,
 * line, element, text; error or warning) and the number of errors. */
struct want_diag {
	long line;
	const char *field, *text;
	int warning;
};

static const struct bad_object {
	const char *file;
	struct want_diag want[8];
	size_t errors;
} bad_objects[] = {
    /* Every problem of the schema, each with file, line and element. */
    {"invalid-schema.xml",
     {{4, "type", "mainframe", 0},
      {7, "bin", "16024000012", 0},
      {9, "application", "2026-02-30", 0},
      {10, "distributed", "maybe", 0},
      {14, "host", "not expected", 0},
      {17, "service", "http", 0},
      {20, "document", "17", 0},
      {21, "document", "lost", 0}},
     8},
    /* A wrong control digit and odd dates are warnings. */
    {"semantic.xml",
     {{16, "document@number", "twice", 0},
      {16, "document@number", "line 14", 0},
      {14, "document@approved", "2026-13-01", 0},
      {19, "trust-anchors/file", "..", 0},
      {20, "trust-anchors/file", "/etc/ssl", 0},
      {7, "possessor/bin", "control digit", 1},
      {10, "contract@date", "before", 1}},
     4},
    /* Mistyped addresses, prefixes and ranges are found without
     * scanning. */
    {"bad-scope.xml",
     {{7, "entry", "192.168.1.300", 0},
      {8, "entry", "0 to 32", 0},
      {9, "entry", "0 to 128", 0},
      {10, "entry", "below its start", 0},
      {11, "entry", "mixes", 0},
      {12, "exclude", "octet", 0}},
     6},
};

START_TEST(test_bad_objects)
{
	const struct bad_object *b = &bad_objects[_i];
	struct cx_diags d = {0};
	struct cx_object *o = (struct cx_object *)&d; /* must be reset */
	char *path = cx_path_join(DATA, b->file);
	size_t i;

	ck_assert_ptr_nonnull(path);
	ck_assert_int_eq(cx_object_load(path, SCHEMA, &o, &d), CX_ESCHEMA);
	ck_assert_ptr_null(o);
	dump(&d);
	for (i = 0; i < CX_ARRAY_LEN(b->want) && b->want[i].field != NULL; i++)
		ck_assert_msg(
		    diag_match(&d, b->file, b->want[i].line, b->want[i].field,
		               b->want[i].text, b->want[i].warning),
		    "%s:%ld: no diagnostic [%s] %s", b->file, b->want[i].line,
		    b->want[i].field, b->want[i].text);
	ck_assert_uint_eq(cx_diag_errors(&d), b->errors);
	cx_diags_free(&d);
	free(path);
}
END_TEST

/* The engine, which scans, agrees on every numeric entry of
 * bad-scope.xml. */
START_TEST(test_bad_scope)
{
	struct cx_diags d = {0};
	const char *f = "bad-scope.xml";

	{
		static const char *const bad[] = {
		    "192.168.1.300", "10.0.0.0/33",          "2001:db8::/129",
		    "10.0.0.5-3",    "10.0.0.1-2001:db8::1", "10.0.0.1-256"};
		static const char *const good[] = {
		    "10.0.0.1-10.0.0.20", "10.0.0.1-20", "2001:db8::/48",
		    "127.0.0.1", "2001:db8::1-2001:db8::ff"};
		struct cx_scope sc;
		size_t i;

		memset(&sc, 0, sizeof(sc));
		for (i = 0; i < CX_ARRAY_LEN(bad); i++)
			ck_assert_int_ne(cx_scope_add(&sc, bad[i], 0, &d, f, 1),
			                 0);
		for (i = 0; i < CX_ARRAY_LEN(good); i++)
			ck_assert_int_eq(
			    cx_scope_add(&sc, good[i], 0, &d, f, 1), 0);
		cx_scope_free(&sc);
		cx_diags_free(&d);
	}
}
END_TEST

START_TEST(test_not_wellformed)
{
	struct cx_diags d = {0};
	struct cx_object *o = NULL;

	ck_assert_int_eq(
	    cx_object_load(DATA "/not-wellformed.xml", SCHEMA, &o, &d),
	    CX_EPARSE);
	ck_assert_ptr_null(o);
	ck_assert(diag_match(&d, "not-wellformed.xml", 7, NULL, "posessor", 0));
	cx_diags_free(&d);
	ck_assert_int_eq(cx_object_load(DATA "/truncated.xml", SCHEMA, &o, &d),
	                 CX_EPARSE);
	ck_assert(diag_match(&d, "truncated.xml", 3, NULL, NULL, 0));
	cx_diags_free(&d);
	ck_assert_int_eq(
	    cx_object_load(DATA "/undeclared-entity.xml", SCHEMA, &o, &d),
	    CX_EPARSE);
	ck_assert(
	    diag_match(&d, "undeclared-entity.xml", 3, NULL, "secret", 0));
	cx_diags_free(&d);
	ck_assert_int_eq(cx_object_load(DATA "/wrong-root.xml", SCHEMA, &o, &d),
	                 CX_ESCHEMA);
	ck_assert(
	    diag_match(&d, "wrong-root.xml", 2, "profile", "<object>", 0));
	cx_diags_free(&d);
	ck_assert_int_eq(cx_object_load(DATA "/no-such.xml", SCHEMA, &o, &d),
	                 CX_ENOENT);
	ck_assert(diag_match(&d, "no-such.xml", 0, NULL, "does not exist", 0));
	cx_diags_free(&d);
	ck_assert_int_eq(cx_object_load(NULL, SCHEMA, &o, &d), CX_EINVAL);
	ck_assert_int_eq(
	    cx_object_load(DATA "/valid/object.xml", SCHEMA, NULL, &d),
	    CX_EINVAL);
	/* A schema folder without the schema is an error, not a pass. */
	ck_assert_int_eq(cx_object_load(DATA "/valid/object.xml", DATA, &o, &d),
	                 CX_ENOENT);
	ck_assert_ptr_null(o);
	cx_diags_free(&d);
	cx_object_free(NULL);
}
END_TEST

static const char *const hostile[] = {"xxe-file.xml", "xxe-local.xml",
                                      "billion-laughs.xml"};

START_TEST(test_hostile_refused)
{
	struct cx_diags d = {0};
	struct cx_object *o = NULL;
	char *path = cx_asprintf("%s/%s", DATA, hostile[_i]);
	uint64_t t0 = cx_now_ms();

	ck_assert_int_eq(cx_object_load(path, SCHEMA, &o, &d), CX_EPARSE);
	ck_assert_ptr_null(o);
	dump(&d);
	ck_assert(diag_match(&d, hostile[_i], 2, "DOCTYPE", "not allowed", 0));
	/* Nothing of the files the entities name leaks anywhere. */
	ck_assert(!diags_mention(&d, "root:"));
	ck_assert(!diags_mention(&d, "CX-SECRET-MARKER"));
	ck_assert(!diags_mention(&d, "lollol"));
	ck_assert_uint_lt(cx_now_ms() - t0, 2000);
	cx_diags_free(&d);
	free(path);
}
END_TEST

/*
 * External DTDs and entities over http:// are never fetched: a listener
 * on a loopback port the kernel picks sees no connection.
 */
START_TEST(test_no_network)
{
	struct sockaddr_in sa;
	socklen_t sl = sizeof(sa);
	struct cx_diags d = {0};
	struct cx_object *o = NULL;
	xmlDocPtr doc = NULL;
	char *dir = make_tmpdir();
	char *path = cx_path_join(dir, "x.xml");
	char *xml[2];
	int ls, c, k;

	ls = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(ls, 0);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = 0;
	ck_assert_int_eq(bind(ls, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(ls, 4), 0);
	ck_assert_int_eq(getsockname(ls, (struct sockaddr *)&sa, &sl), 0);
	xml[0] = cx_asprintf(
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE object SYSTEM \"http://127.0.0.1:%d/evil.dtd\">\n"
	    "<object><type>information-system</type>"
	    "<distributed>false</distributed>"
	    "<uses-crypto>false</uses-crypto></object>\n",
	    ntohs(sa.sin_port));
	xml[1] = cx_asprintf(
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE object [<!ENTITY e SYSTEM "
	    "\"http://127.0.0.1:%d/e.txt\">\n<!ENTITY %% p SYSTEM "
	    "\"http://127.0.0.1:%d/p.dtd\"> %%p;]>\n"
	    "<object><name>&e;</name><type>information-system</type>"
	    "<distributed>false</distributed>"
	    "<uses-crypto>false</uses-crypto></object>\n",
	    ntohs(sa.sin_port), ntohs(sa.sin_port));
	for (k = 0; k < 2; k++) {
		ck_assert_int_eq(
		    cx_write_file_atomic(path, xml[k], strlen(xml[k])), 0);
		ck_assert_int_eq(cx_object_load(path, SCHEMA, &o, &d),
		                 CX_EPARSE);
		ck_assert_ptr_null(o);
		ck_assert(diag_match(&d, "x.xml", 2, "DOCTYPE", NULL, 0));
		ck_assert_int_eq(cx_xml_parse_memory(xml[k], strlen(xml[k]),
		                                     "m.xml", &doc, &d),
		                 CX_EPARSE);
		ck_assert_ptr_null(doc);
		cx_diags_free(&d);
		free(xml[k]);
	}
	c = accept(ls, NULL, NULL);
	ck_assert_int_lt(c, 0);
	ck_assert(errno == EAGAIN || errno == EWOULDBLOCK);
	close(ls);
	rm_tree(dir);
	free(path);
	free(dir);
}
END_TEST

/* Every truncation of a valid object.xml is refused cleanly. */
START_TEST(test_truncations)
{
	struct cx_diags d = {0};
	struct cx_object *o = NULL;
	char *data = NULL, *dir = make_tmpdir();
	char *path = cx_path_join(dir, "x.xml");
	size_t len = 0, cut;
	int rc;

	ck_assert_int_eq(
	    cx_read_file(DATA "/valid/object.xml", 1 << 20, &data, &len), 0);
	for (cut = 0; cut + 2 < len; cut += 41) {
		ck_assert_int_eq(cx_write_file_atomic(path, data, cut), 0);
		rc = cx_object_load(path, SCHEMA, &o, &d);
		ck_assert_int_eq(rc, CX_EPARSE);
		ck_assert_ptr_null(o);
		ck_assert_uint_ge(cx_diag_errors(&d), 1);
		cx_diags_free(&d);
	}
	/* Oversized: refused before parsing. */
	{
		size_t n = CX_XML_MAX_SIZE + 10;
		char *big = malloc(n);

		ck_assert_ptr_nonnull(big);
		memset(big, ' ', n);
		memcpy(big, data, len);
		ck_assert_int_eq(cx_write_file_atomic(path, big, n), 0);
		free(big);
		ck_assert_int_eq(cx_object_load(path, SCHEMA, &o, &d),
		                 CX_ELIMIT);
		ck_assert(diag_match(&d, "x.xml", 0, NULL, "larger", 0));
		cx_diags_free(&d);
	}
	free(data);
	rm_tree(dir);
	free(path);
	free(dir);
}
END_TEST

START_TEST(test_incomplete)
{
	struct cx_diags d = {0};
	struct cx_object *o = NULL;
	const char *f = "incomplete.xml";
	size_t n;

	ck_assert_int_eq(cx_object_load(DATA "/incomplete.xml", SCHEMA, &o, &d),
	                 0);
	ck_assert_uint_eq(cx_diag_errors(&d), 0);
	n = cx_object_check_complete(o, &d);
	dump(&d);
	ck_assert_uint_eq(n, 27);
	ck_assert_uint_eq(cx_diag_errors(&d), 27);
	/* Each problem named, at the place to fix it. */
	ck_assert(diag_match(&d, f, 3, "name", "missing", 0));
	ck_assert(diag_match(&d, f, 5, "possessor/bin", "BIN", 0));
	ck_assert(diag_match(&d, f, 5, "possessor/address", NULL, 0));
	ck_assert(diag_match(&d, f, 2, "developer/name", NULL, 0));
	ck_assert(diag_match(&d, f, 2, "applicant/name", NULL, 0));
	ck_assert(diag_match(&d, f, 2, "applicant/bin", NULL, 0));
	ck_assert(diag_match(&d, f, 8, "application@date", NULL, 0));
	ck_assert(!diag_match(&d, f, -1, "application@number", NULL, -1));
	ck_assert(diag_match(&d, f, 2, "contract@number", NULL, 0));
	ck_assert(diag_match(&d, f, 2, "contract@date", NULL, 0));
	ck_assert(diag_match(&d, f, 11, "scope", "empty", 0));
	ck_assert(diag_match(&d, f, 13, "integration/possessor", "Gateway", 1));
	ck_assert(
	    diag_match(&d, f, 16, "documents/document[1]", "approval", 1));
	ck_assert(
	    diag_match(&d, f, 15, "documents/document[2]", "not recorded", 0));
	ck_assert(
	    diag_match(&d, f, 17, "documents/document[7]", "uses-crypto", 0));
	ck_assert(
	    diag_match(&d, f, 18, "documents/document[9]", "mandatory", 0));
	ck_assert(diag_match(&d, f, 19, "documents/document[12]",
	                     "not been submitted", 0));
	ck_assert(
	    diag_match(&d, f, 15, "documents/document[16]", "incidents", 0));
	ck_assert(diag_match(&d, "hardware.csv", 0, NULL, "Annex 5", 0));
	ck_assert(diag_match(&d, "software.csv", 0, NULL, "Annex 6", 0));
	ck_assert(!diag_match(&d, f, -1, "type", NULL, -1));
	/* No <package>: a warning, at the root element. */
	ck_assert(diag_match(&d, f, 2, "package", "paragraph 13", 1));
	cx_object_free(o);
	cx_diags_free(&d);
	ck_assert_uint_eq(cx_object_check_complete(NULL, NULL), 1);
}
END_TEST

/* The attachments of paragraph 13 and the ICT services exception. */
START_TEST(test_package)
{
	struct cx_diags d = {0};
	struct cx_object *o = NULL;
	const char *f = "package.xml";

	ck_assert_int_eq(cx_object_load(DATA "/package.xml", SCHEMA, &o, &d),
	                 0);
	cx_diags_free(&d);
	cx_object_check_complete(o, &d);
	dump(&d);
	ck_assert(diag_match(&d, f, 8, "package/attachment[terms-of-reference]",
	                     "cannot be", 0));
	ck_assert(diag_match(&d, f, 9, "package/attachment[functional-diagram]",
	                     "deficient", 1));
	ck_assert(diag_match(&d, f, 7, "package/attachment[network-diagram]",
	                     "not recorded", 0));
	ck_assert(diag_match(&d, f, 11, "package/attachment", "twice", 0));
	ck_assert(!diag_match(
	    &d, f, -1, "package/attachment[identity-document]", NULL, -1));
	/* With a contract for ICT services, empty Annexes 5/6 are accepted. */
	ck_assert(diag_match(&d, "hardware.csv", 0, NULL, "accepted", 1));
	ck_assert(diag_match(&d, "software.csv", 0, NULL, "accepted", 1));
	ck_assert(!diag_match(&d, "hardware.csv", 0, NULL, NULL, 0));
	cx_object_free(o);
	cx_diags_free(&d);
}
END_TEST

START_TEST(test_case_init)
{
	struct cx_diags d = {0};
	struct cx_object *o = NULL;
	struct cx_csv *csv = NULL;
	char *dir = make_tmpdir();
	char *sub = cx_path_join(dir, "case");
	char *objp = cx_path_join(sub, "object.xml");
	char *hw = cx_path_join(sub, "hardware.csv");
	char *sw = cx_path_join(sub, "software.csv");
	char *readme = cx_path_join(sub, "README.txt");
	char *data = NULL, *again = NULL;
	size_t len = 0, len2 = 0, n;
	const char *msg = NULL;
	long line = 0;
	int k;

	/* A new folder (created) gets all four files. */
	ck_assert_int_eq(cx_case_init(sub), 0);
	ck_assert(cx_path_exists(objp) && cx_path_exists(hw) &&
	          cx_path_exists(sw) && cx_path_exists(readme));

	/* The template passes the XSD and loads. */
	ck_assert_int_eq(cx_object_load(objp, SCHEMA, &o, &d), 0);
	dump(&d);
	ck_assert_uint_eq(d.n, 0);
	ck_assert_int_eq(o->type, CX_OBJ_INFORMATION_SYSTEM);
	ck_assert_uint_eq(o->n_documents, 16);
	ck_assert_uint_ge(o->n_scope, 1);
	for (k = 0; k < 16; k++) {
		ck_assert_int_eq(o->documents[k].number, k + 1);
		ck_assert_str_eq(o->documents[k].status, "missing");
		ck_assert_str_eq(o->documents[k].title, cx_annex3_title(k + 1));
	}
	/* The CSV templates: header only, read without errors. */
	ck_assert_int_eq(cx_object_load_hardware(o, hw, &d), 0);
	ck_assert_int_eq(cx_object_load_software(o, sw, &d), 0);
	dump(&d);
	ck_assert_uint_eq(cx_diag_errors(&d), 0);
	ck_assert_uint_eq(o->n_hardware, 0);
	ck_assert_uint_eq(o->n_software, 0);
	/*
	 * Completeness: the 16 documents, the four mandatory attachments of
	 * paragraph 13 and the two empty lists.
	 */
	n = cx_object_check_complete(o, &d);
	ck_assert_uint_eq(n, 22);
	ck_assert(diag_match(&d, "case/object.xml", -1,
	                     "package/attachment[functional-diagram]",
	                     "not been submitted", 0));
	ck_assert(diag_match(&d, "case/hardware.csv", 0, NULL, "Annex 5", 0));
	for (k = 1; k <= 16; k++) {
		char field[40];

		snprintf(field, sizeof(field), "documents/document[%d]", k);
		ck_assert(diag_match(&d, "case/object.xml", -1, field,
		                     "not been submitted", 0));
	}
	cx_object_free(o);
	cx_diags_free(&d);

	/* Annex 5: BOM, ';', 10 columns; Annex 6: 8 columns. */
	ck_assert_int_eq(cx_read_file(hw, 1 << 16, &data, &len), 0);
	ck_assert(len > 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0);
	ck_assert_int_eq(cx_csv_parse(data, len, &csv, &line, &msg), 0);
	ck_assert_int_eq(csv->sep, ';');
	ck_assert_uint_eq(csv->n_records, 1);
	ck_assert_uint_eq(csv->records[0].n_fields, 10);
	ck_assert_str_eq(csv->records[0].fields[0], "Item no.");
	ck_assert_str_eq(csv->records[0].fields[9], "IP addresses");
	cx_csv_free(csv);
	free(data);
	ck_assert_int_eq(cx_read_file(sw, 1 << 16, &data, &len), 0);
	ck_assert_int_eq(cx_csv_parse(data, len, &csv, &line, &msg), 0);
	ck_assert_uint_eq(csv->records[0].n_fields, 8);
	ck_assert_str_eq(csv->records[0].fields[3], "Version");
	cx_csv_free(csv);
	free(data);

	/* Never overwrites: a second init fails and changes nothing. */
	ck_assert_int_eq(cx_read_file(objp, 1 << 20, &data, &len), 0);
	ck_assert_int_eq(cx_write_file_atomic(objp, "mine", 4), 0);
	ck_assert_int_eq(cx_case_init(sub), CX_EEXIST);
	ck_assert_int_eq(cx_read_file(objp, 1 << 20, &again, &len2), 0);
	ck_assert_uint_eq(len2, 4);
	ck_assert(memcmp(again, "mine", 4) == 0);
	free(again);
	free(data);

	/* One existing target is enough to refuse, and nothing is written. */
	unlink(objp);
	unlink(hw);
	unlink(sw);
	ck_assert_int_eq(cx_case_init(sub), CX_EEXIST);
	ck_assert(!cx_path_exists(objp));
	ck_assert(!cx_path_exists(hw));
	ck_assert(!cx_path_exists(sw));
	unlink(readme);
	ck_assert_int_eq(cx_case_init(sub), 0);
	ck_assert(cx_path_exists(objp));

	ck_assert_int_eq(cx_case_init(NULL), CX_EINVAL);
	ck_assert_int_eq(cx_case_init(""), CX_EINVAL);
	rm_tree(sub);
	rm_tree(dir);
	free(sub);
	free(objp);
	free(hw);
	free(sw);
	free(readme);
	free(dir);
}
END_TEST

static Suite *object_suite(void)
{
	Suite *s = suite_create("object");
	TCase *tc = tcase_create("object");

	tcase_add_test(tc, test_type_names);
	tcase_add_test(tc, test_valid_object);
	tcase_add_loop_test(tc, test_bad_objects, 0,
	                    (int)CX_ARRAY_LEN(bad_objects));
	tcase_add_test(tc, test_bad_scope);
	tcase_add_test(tc, test_not_wellformed);
	tcase_add_loop_test(tc, test_hostile_refused, 0,
	                    (int)CX_ARRAY_LEN(hostile));
	tcase_add_test(tc, test_no_network);
	tcase_add_test(tc, test_truncations);
	tcase_add_test(tc, test_incomplete);
	tcase_add_test(tc, test_package);
	tcase_add_test(tc, test_case_init);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(object_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
