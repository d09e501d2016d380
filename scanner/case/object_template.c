/*
 * certexam — `certexam init`: the templates of a new case (object.xml with
 * the 16 Annex 3 documents, hardware.csv, software.csv, README.txt) and
 * cx_case_init(), which writes them without overwriting anything.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certexam/error.h"
#include "certexam/object.h"
#include "certexam/util.h"

/* ------------------------------------------------------------------ */
/* Templates of a new case                                             */

static const char *const object_template[] = {
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
    "<!--\n",
    "  certexam case: the object of certification.\n",
    "\n",
    "  Fill in every field from the application (Annex 2 of the Rules\n",
    "  approved by Decree No. 298) and the documents attached to it\n",
    "  (paragraph 13).  The values below are EXAMPLES: replace them.\n",
    "  Elements may appear in any order.  Every free text (names,\n",
    "  addresses, positions, notes, ...) may be given once per language\n",
    "  of the acts, with xml:lang=\"kk\", \"ru\" or \"en\": the act in a\n",
    "  language prints the text in that language, else the text without\n",
    "  xml:lang, else the first given (validate warns about a language a\n",
    "  text lacks).  An attribute (name=, position=) holds one text only;\n",
    "  give its languages as elements instead (see <examiners>).\n",
    "  Check the case with\n",
    "      certexam validate CASE\n",
    "  which names every missing or malformed field with its line.\n",
    "-->\n",
    "<object version=\"1\">\n",
    "  <!-- Full name of the object of certification. -->\n",
    "  <name xml:lang=\"kk\">\"Мысал тізілімі\" ақпараттық жүйесі</name>\n",
    "  <name xml:lang=\"ru\">Информационная система \"Реестр примеров\""
    "</name>\n",
    "  <name xml:lang=\"en\">Information system \"Example Registry\""
    "</name>\n",
    "  <!-- Short name; used as the asset name of document findings. "
    "-->\n",
    "  <short-name>EXREG</short-name>\n",
    "  <!-- One of: information-system, egov-platform, "
    "internet-resource,\n",
    "       critical-ici.  It selects the default profile. -->\n",
    "  <type>information-system</type>\n",
    "  <!-- Lifecycle state (Annex 1): e.g. development, pilot, "
    "commercial. -->\n",
    "  <lifecycle>pilot</lifecycle>\n",
    "\n",
    "  <!-- Possessor (owner) of the object; BIN/IIN is 12 digits. -->\n",
    "  <possessor>\n",
    "    <name>Example State Body</name>\n",
    "    <bin>160240000127</bin>\n",
    "    <address>1 Example Street, Astana</address>\n",
    "    <contact>it-security@example.org, +7 700 000 00 00</contact>\n",
    "  </possessor>\n",
    "  <developer>\n",
    "    <name>Example Developer LLP</name>\n",
    "    <bin>050140001238</bin>\n",
    "    <address>2 Example Avenue, Almaty</address>\n",
    "    <contact>support@example.com</contact>\n",
    "  </developer>\n",
    "  <!-- The applicant (Annex 2): the possessor or its authorized "
    "person. -->\n",
    "  <applicant>\n",
    "    <name>Example State Body</name>\n",
    "    <bin>160240000127</bin>\n",
    "    <address>1 Example Street, Astana</address>\n",
    "    <contact>A. Examplov, head of IT security</contact>\n",
    "  </applicant>\n",
    "\n",
    "  <!-- The application (Annex 2) and the contract for the "
    "certification\n",
    "       examination services (paragraph 17); dates are YYYY-MM-DD. "
    "-->\n",
    "  <application number=\"APP-0001\" date=\"2026-10-01\"/>\n",
    "  <contract number=\"CTR-0001\" date=\"2026-10-12\"/>\n",
    "\n",
    "  <!-- Geographically distributed (paragraph 19: 40 working days "
    "instead\n",
    "       of 30): true or false. -->\n",
    "  <distributed>false</distributed>\n",
    "  <!-- Does the object use cryptographic means of information "
    "protection?\n",
    "       If false, Annex 3 item 7 may be \"not-applicable\". -->\n",
    "  <uses-crypto>true</uses-crypto>\n",
    "  <!-- Optional: a profile id under profiles/ other than the one "
    "the type\n",
    "       selects.\n",
    "  <profile>information-system</profile>\n",
    "  -->\n",
    "\n",
    "  <!-- What the instrumental examination may contact, and nothing "
    "else:\n",
    "       IPv4/IPv6 addresses, CIDR blocks (192.0.2.0/28), ranges\n",
    "       (192.0.2.10-20 or 192.0.2.10-192.0.2.20), host names and "
    "URLs.\n",
    "       <exclude> removes addresses from the scope.  The entries "
    "below are\n",
    "       reserved documentation addresses and names (RFC 5737, 3849,\n",
    "       2606): replace them with the object's own. -->\n",
    "  <scope>\n",
    "    <entry>192.0.2.0/28</entry>\n",
    "    <entry>2001:db8::10</entry>\n",
    "    <entry>portal.example</entry>\n",
    "    <entry>https://portal.example/</entry>\n",
    "    <exclude>192.0.2.1</exclude>\n",
    "  </scope>\n",
    "\n",
    "  <!-- Services the applicant declares (from the functional "
    "diagram);\n",
    "       open ports not declared here are reported. -->\n",
    "  <services>\n",
    "    <service host=\"192.0.2.5\" port=\"443\" proto=\"tcp\" "
    "name=\"https\"/>\n",
    "    <service host=\"192.0.2.5\" port=\"80\" proto=\"tcp\" "
    "name=\"http\"/>\n",
    "    <service host=\"192.0.2.6\" port=\"22\" proto=\"tcp\" "
    "name=\"ssh\"/>\n",
    "  </services>\n",
    "\n",
    "  <!-- Annex 4: objects of informatization integrated with the "
    "object\n",
    "       (leave the list empty if there are none). -->\n",
    "  <integrations>\n",
    "    <integration>\n",
    "      <name>Example e-government gateway</name>\n",
    "      <possessor>Example Operator JSC</possessor>\n",
    "      <interaction>SOAP web services, data exchange over "
    "TLS</interaction>\n",
    "    </integration>\n",
    "  </integrations>\n",
    "\n",
    "  <!-- Annex 3: the technical documentation on information "
    "security,\n",
    "       as the examiner records it.  status is one of:\n",
    "         provided        submitted (give approved=\"YYYY-MM-DD\" "
    "and a reference)\n",
    "         missing         not submitted\n",
    "         deficient       submitted, but does not meet the "
    "requirements\n",
    "         not-applicable  item 7 only, when uses-crypto is false\n",
    "       <note> holds the examiner's remark. -->\n",
    "  <documents>\n",
    "@DOCUMENTS@",
    "  </documents>\n",
    "\n",
    "  <!-- The other attachments of the application (paragraph 13), "
    "same\n"
    "       statuses as above.  identity-document (individuals only) and\n"
    "       ict-services-contract (only if the object uses information "
    "and\n"
    "       communication services; then Annexes 5 and 6 may be empty)\n"
    "       may be \"not-applicable\"; the other four are mandatory. "
    "-->\n",
    "  <package>\n",
    "    <attachment id=\"identity-document\" "
    "status=\"not-applicable\"/>\n",
    "    <attachment id=\"terms-of-reference\" status=\"missing\" "
    "reference=\"\">Terms of reference</attachment>\n",
    "    <attachment id=\"functional-diagram\" status=\"missing\" "
    "reference=\"\">General functional diagram</attachment>\n",
    "    <attachment id=\"network-diagram\" status=\"missing\" "
    "reference=\"\">Local network diagram</attachment>\n",
    "    <attachment id=\"explanatory-note\" status=\"missing\" "
    "reference=\"\">Explanatory note to the functional "
    "diagram</attachment>\n",
    "    <attachment id=\"ict-services-contract\" "
    "status=\"not-applicable\"/>\n",
    "  </package>\n",
    "\n",
    "  <!-- The examination.  The examiners of the State Technical "
    "Service who\n"
    "       sign the act and the head who approves it; the languages "
    "the acts\n"
    "       are drawn up in (default: kk ru). -->\n",
    "  <examiners>\n"
    "    <examiner>\n"
    "      <name></name>\n"
    "      <position xml:lang=\"kk\"></position>\n"
    "      <position xml:lang=\"ru\"></position>\n"
    "    </examiner>\n"
    "    <head>\n"
    "      <name></name>\n"
    "      <position xml:lang=\"kk\"></position>\n"
    "      <position xml:lang=\"ru\"></position>\n"
    "    </head>\n"
    "  </examiners>\n"
    "  <languages>kk ru</languages>\n",
    "\n",
    "  <!-- Paragraph 22(1): preliminary analysis of the original data, "
    "and\n"
    "       22(3): examination of the object on site.  Only the "
    "examiner\n"
    "       records them: status=\"pass\", \"fail\" or "
    "\"not-applicable\",\n"
    "       examiner=\"name\", and a <note>.  An item without a status "
    "is not\n"
    "       checked; a part left out is not performed, and then the act "
    "proposes\n"
    "       no decision.  Items of your own: <item id=\"x\"><title>..."
    "</title>. -->\n",
    "@PARTS@",
    "\n",
    "  <!-- Optional: PEM files (relative to the case folder) with the "
    "CA\n",
    "       certificates the object's TLS certificates chain to, when "
    "they are\n",
    "       not in the system store.\n",
    "  <trust-anchors>\n",
    "    <file>ca/root-ca.pem</file>\n",
    "  </trust-anchors>\n",
    "  -->\n",
    "</object>\n",
};

/* Parts 22(1) and 22(3) with their standard items, none recorded yet. */
static int parts_template(struct cx_buf *b)
{
	static const char *const names[] = {"preliminary-analysis",
	                                    "site-examination"};
	const char *const *ids;
	size_t k;
	int p, rc = 0;

	for (p = 0; p < 2 && rc == 0; p++) {
		ids = cx_part_items(p == 0 ? 1 : 3);
		rc = cx_buf_printf(b, "  <%s>\n", names[p]);
		for (k = 0; ids[k] != NULL && rc == 0; k++)
			rc =
			    cx_buf_printf(b, "    <item id=\"%s\"/>\n", ids[k]);
		if (rc == 0)
			rc = cx_buf_printf(b, "  </%s>\n", names[p]);
	}
	return rc;
}

/* The object.xml template with the 16 Annex 3 documents filled in. */
static int object_template_text(struct cx_buf *b)
{
	size_t i;
	int n, rc = 0;

	for (i = 0; i < CX_ARRAY_LEN(object_template) && rc == 0; i++) {
		if (strcmp(object_template[i], "@PARTS@") == 0) {
			rc = parts_template(b);
			continue;
		}
		if (strcmp(object_template[i], "@DOCUMENTS@") != 0) {
			rc = cx_buf_puts(b, object_template[i]);
			continue;
		}
		for (n = 1; n <= 16 && rc == 0; n++)
			rc = cx_buf_printf(b,
			                   "    <document number=\"%d\" "
			                   "status=\"missing\" approved=\"\" "
			                   "reference=\"\">\n"
			                   "      <title>%s</title>\n"
			                   "    </document>\n",
			                   n, cx_annex3_title(n));
	}
	return rc;
}

#define UTF8_BOM "\xEF\xBB\xBF"

static const char hardware_template[] =
    UTF8_BOM "Item no.;Manufacturer, model;Serial/inventory number;"
             "Information Security Certificate Number (if any);"
             "Physical location;"
             "Type (according to technical documentation);"
             "Main functional purpose (according to technical "
             "documentation);"
             "Utilized methods of information protection;"
             "Developer, name, version (of integrated software);"
             "IP addresses\r\n";

static const char software_template[] =
    UTF8_BOM "Item no.;Developer;Name;Version;"
             "Place of installation (from the list of hardware);"
             "Type (according to program documentation);"
             "Main functional purpose (according to program "
             "documentation);"
             "Utilized methods of information protection\r\n";

static const char readme_template[] =
    "certexam case folder\n"
    "====================\n"
    "\n"
    "This folder holds one certification examination of one object of\n"
    "certification (Rules approved by Decree No. 298 of 23 May 2016).\n"
    "\n"
    "object.xml    The object: name, type, possessor, developer, "
    "applicant,\n"
    "              application and contract, the scope of the "
    "instrumental\n"
    "              examination, declared services, the Annex 4 list of\n"
    "              integrated objects, the Annex 3 checklist of the\n"
    "              technical documentation on information security and\n"
    "              the other attachments of paragraph 13 (<package>).\n"
    "              The values in the template are examples: replace "
    "them.\n"
    "hardware.csv  Annex 5, the list of hardware, one row per device.\n"
    "              Columns: 1 item no.; 2 manufacturer, model; 3 serial/\n"
    "              inventory number; 4 information security "
    "certificate\n"
    "              number (if any); 5 physical location; 6 type; 7 main\n"
    "              functional purpose; 8 utilized methods of "
    "information\n"
    "              protection; 9 developer, name, version of integrated\n"
    "              software; 10 IP addresses (space or comma "
    "separated).\n"
    "software.csv  Annex 6, the list of software, one row per product.\n"
    "              Columns: 1 item no.; 2 developer; 3 name; 4 version;\n"
    "              5 place of installation (item no. from the list of\n"
    "              hardware); 6 type; 7 main functional purpose; 8 "
    "utilized\n"
    "              methods of information protection.\n"
    "\n"
    "The CSV files may be edited in Excel or LibreOffice and saved as "
    "CSV\n"
    "(';' or ',' separated, UTF-8 or Windows-1251).  Keep the header "
    "row.\n"
    "\n"
    "Then:\n"
    "    certexam validate CASE    form and completeness of the package\n"
    "    certexam scan CASE        the instrumental examination -> "
    "runs/NNNN/\n"
    "    certexam act CASE         the draft act -> acts/\n"
    "\n"
    "Only the addresses, names and URLs declared in <scope> are ever\n"
    "contacted.\n";

/* Create path with exactly these bytes; never overwrites (O_EXCL). */
static int write_new_file(const char *path, const void *data, size_t len)
{
	const char *p = data;
	int fd, rc = CX_OK;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return errno == EEXIST ? CX_EEXIST : CX_EIO;
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = CX_EIO;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
	if (rc == CX_OK && fsync(fd) != 0)
		rc = CX_EIO;
	if (close(fd) != 0 && rc == CX_OK)
		rc = CX_EIO;
	if (rc != CX_OK)
		unlink(path);
	return rc;
}

int cx_case_init(const char *dir)
{
	static const char *const names[4] = {"object.xml", "hardware.csv",
	                                     "software.csv", "README.txt"};
	struct cx_buf obj = {0};
	char *paths[4] = {NULL, NULL, NULL, NULL};
	const void *data[4];
	size_t len[4];
	int written[4] = {0, 0, 0, 0};
	int i, rc;

	if (dir == NULL || dir[0] == '\0')
		return CX_EINVAL;
	for (i = 0; i < 4; i++) {
		paths[i] = cx_path_join(dir, names[i]);
		if (paths[i] == NULL) {
			rc = CX_ENOMEM;
			goto out;
		}
	}
	/* Refuse before creating anything. */
	for (i = 0; i < 4; i++) {
		if (cx_path_exists(paths[i])) {
			rc = CX_EEXIST;
			goto out;
		}
	}
	rc = object_template_text(&obj);
	if (rc != CX_OK)
		goto out;
	data[0] = obj.data;
	len[0] = obj.len;
	data[1] = hardware_template;
	len[1] = sizeof(hardware_template) - 1;
	data[2] = software_template;
	len[2] = sizeof(software_template) - 1;
	data[3] = readme_template;
	len[3] = sizeof(readme_template) - 1;
	rc = cx_mkdir_p(dir);
	if (rc != CX_OK)
		goto out;
	for (i = 0; i < 4; i++) {
		rc = write_new_file(paths[i], data[i], len[i]);
		if (rc != CX_OK)
			break;
		written[i] = 1;
	}
	if (rc != CX_OK) {
		/* Leave nothing half-made. */
		for (i = 0; i < 4; i++)
			if (written[i])
				unlink(paths[i]);
	}
out:
	for (i = 0; i < 4; i++)
		free(paths[i]);
	cx_buf_free(&obj);
	return rc;
}
