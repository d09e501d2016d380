/*
 * certexam — the draft certificate of compliance (Annex 7 to the Rules)
 * and the entry of the register of certificates (para 29), from an act
 * model whose proposed decision is to issue.
 *
 * The certificate carries the object's name, the processing of
 * information allowed and the prohibitions of operation (object.xml
 * <processing>, <prohibitions>), the act's number and date, the period
 * (para 40: one year for the "e-government" platform, otherwise the period
 * of commercial operation), the characteristics whose change must be
 * notified (para 43; the profile's cert.notify) and, in its annex,
 * Table 1 (Annex 5, columns 1-9) and Table 2 (Annex 6, columns 1-8) drawn
 * from the validated lists.  Its number and date are the authorized
 * body's and stay blank.  The words are the catalogs' (cert.*, in the
 * act's language: act->cat); the case's own text (names, processing,
 * prohibitions, the rows of the lists) is printed as recorded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/escape.h"
#include "certexam/i18n.h"
#include "certexam/object.h"
#include "certexam/version.h"
#include "certexam/cert.h"
#include "render.h"

#define W(expr)                                                                \
	do {                                                                   \
		if (rc == CX_OK)                                               \
			rc = (expr);                                           \
	} while (0)

static const char *nz(const char *s)
{
	return s != NULL ? s : "";
}

/* Why no certificate: the id's words in cat, appended to why (may be
 * NULL).  Returns 0 (not ready). */
static int not_ready(struct cx_buf *why, const struct cx_catalog *cat,
                     const char *id, const char *const *args)
{
	if (why != NULL)
		(void)cx_msg(why, cat, id, args);
	return 0;
}

int cx_cert_ready(const struct cx_act *act, const struct cx_catalog *cat,
                  struct cx_buf *why)
{
	const struct cx_object *o = act->obj;
	char item[32], line[24];
	size_t i;

	if (act->decision != CX_DECISION_ISSUE) {
		struct cx_buf dec = {0};
		int rc = cx_msg(&dec, cat, render_decision_msg(act->decision),
		                CX_ARGS("para", act->decision_para
		                                    ? act->decision_para
		                                    : "-"));
		if (rc == CX_OK && dec.data != NULL)
			not_ready(why, cat, "cert.ready.decision",
			          CX_ARGS("decision", dec.data));
		cx_buf_free(&dec);
		return 0;
	}
	if (o == NULL)
		return not_ready(why, cat, "cert.ready.no-case", NULL);
	if (o->hw_list != CX_LIST_READ || o->sw_list != CX_LIST_READ)
		return not_ready(why, cat, "cert.ready.lists", NULL);
	for (i = 0; i < o->n_hardware; i++)
		if (o->hardware[i].bad) {
			snprintf(item, sizeof(item), "%s",
			         nz(o->hardware[i].item));
			snprintf(line, sizeof(line), "%ld",
			         o->hardware[i].line);
			return not_ready(why, cat, "cert.ready.hw-row",
			                 CX_ARGS("item", item, "line", line));
		}
	for (i = 0; i < o->n_software; i++)
		if (o->software[i].bad) {
			snprintf(item, sizeof(item), "%s",
			         nz(o->software[i].item));
			snprintf(line, sizeof(line), "%ld",
			         o->software[i].line);
			return not_ready(why, cat, "cert.ready.sw-row",
			                 CX_ARGS("item", item, "line", line));
		}
	return 1;
}

/* The period of para 40, for the register entry (data, English). */
static const char *validity(const struct cx_act *act)
{
	if (act->obj != NULL && act->obj->type == CX_OBJ_EGOV_PLATFORM)
		return "one year (para 40: the certificate of the "
		       "\"e-government\" information and communication "
		       "platform)";
	return "the period of commercial operation of the object of "
	       "certification (para 40)";
}

static const char *CT(const struct cx_act *act, const char *id)
{
	return cx_act_text(act, id);
}

/* A paragraph: the catalog's sentence id with its parameters. */
static int para_msg(const struct cx_act *act, const struct render_ops *o,
                    struct cx_buf *b, const char *id, const char *const *args)
{
	struct cx_buf line = {0};
	int rc = cx_msg(&line, act->cat, id, args);

	W(o->para(b, line.data != NULL ? line.data : ""));
	cx_buf_free(&line);
	return rc;
}

/* "N) text;" as in the form's numbered lists (text as recorded). */
static int numbered(const struct render_ops *o, struct cx_buf *b, size_t n,
                    const char *text)
{
	struct cx_buf line = {0};
	int rc = cx_buf_printf(&line, "%zu) %s;", n, text);

	W(o->para(b, line.data));
	cx_buf_free(&line);
	return rc;
}

static int cert_doc(const struct cx_act *act, const char *const *notify,
                    size_t n_notify, const struct render_ops *o,
                    struct cx_buf *b)
{
	static const char *const t1_ids[] = {
	    "cert.t1.item",    "cert.t1.model",      "cert.t1.serial",
	    "cert.t1.cert-no", "cert.t1.location",   "cert.t1.type",
	    "cert.t1.purpose", "cert.t1.protection", "cert.t1.software"};
	static const char *const t2_ids[] = {
	    "cert.t2.item",    "cert.t2.developer", "cert.t2.name",
	    "cert.t2.version", "cert.t2.installed", "cert.t2.type",
	    "cert.t2.purpose", "cert.t2.protection"};
	const struct cx_object *obj = act->obj;
	const char *cells[9], *t1[9], *t2[8];
	size_t i;
	int rc = CX_OK;

	for (i = 0; i < 9; i++)
		t1[i] = CT(act, t1_ids[i]);
	for (i = 0; i < 8; i++)
		t2[i] = CT(act, t2_ids[i]);
	W(o->begin(b, act, CT(act, "cert.doc-title")));
	W(o->heading(b, 1, CT(act, "cert.heading")));
	W(o->para(b, CT(act, "cert.subtitle")));
	W(o->para(b, nz(obj->name)));
	W(para_msg(act, o, b, "cert.draft-note",
	           CX_ARGS("version", CX_VERSION)));
	W(para_msg(act, o, b, "cert.certify",
	           CX_ARGS("object", nz(obj->name))));
	W(para_msg(act, o, b, "cert.processing",
	           CX_ARGS("processing",
	                   obj->processing ? obj->processing
	                                   : CT(act, "cert.processing-none"))));
	W(o->para(b, CT(act, "cert.prohibited")));
	if (obj->n_prohibitions == 0)
		W(o->para(b, CT(act, "cert.prohibitions-none")));
	for (i = 0; i < obj->n_prohibitions; i++)
		W(numbered(o, b, i + 1, obj->prohibitions[i]));
	W(o->para(b, CT(act, "cert.control")));
	W(para_msg(act, o, b,
	           act->additional ? "cert.details.additional"
	                           : "cert.details.act",
	           CX_ARGS("number", act->number ? act->number : "____", "date",
	                   nz(act->date))));
	W(o->para(b, CT(act, act->obj->type == CX_OBJ_EGOV_PLATFORM
	                         ? "cert.validity.egov"
	                         : "cert.validity.commercial")));
	W(o->para(b, CT(act, "cert.notify-list")));
	for (i = 0; i < n_notify; i++)
		W(numbered(o, b, i + 1, notify[i]));
	W(o->heading(b, 2, CT(act, "cert.annex")));
	W(o->heading(b, 3, CT(act, "cert.table1")));
	W(o->table_begin(b, NULL, t1, 9));
	for (i = 0; i < obj->n_hardware; i++) {
		const struct cx_hw_row *r = &obj->hardware[i];

		cells[0] = nz(r->item);
		cells[1] = nz(r->model);
		cells[2] = nz(r->serial);
		cells[3] = nz(r->cert_no);
		cells[4] = nz(r->location);
		cells[5] = nz(r->type);
		cells[6] = nz(r->purpose);
		cells[7] = nz(r->protection);
		cells[8] = nz(r->software);
		W(o->row(b, cells, 9));
	}
	W(o->table_end(b));
	W(o->heading(b, 3, CT(act, "cert.table2")));
	W(o->table_begin(b, NULL, t2, 8));
	for (i = 0; i < obj->n_software; i++) {
		const struct cx_sw_row *r = &obj->software[i];

		cells[0] = nz(r->item);
		cells[1] = nz(r->developer);
		cells[2] = nz(r->name);
		cells[3] = nz(r->version);
		cells[4] = nz(r->installed_on);
		cells[5] = nz(r->type);
		cells[6] = nz(r->purpose);
		cells[7] = nz(r->protection);
		W(o->row(b, cells, 8));
	}
	W(o->table_end(b));
	W(o->end(b));
	return rc;
}

int cx_cert_render(const struct cx_act *act, const char *const *notify,
                   size_t n_notify, const char *format, struct cx_buf *out)
{
	const struct render_ops *o;

	if (act == NULL || act->obj == NULL || format == NULL)
		return CX_EINVAL;
	if (strcmp(format, "html") == 0)
		o = &render_html_ops;
	else if (strcmp(format, "md") == 0)
		o = &render_md_ops;
	else
		return CX_EINVAL;
	return cert_doc(act, notify, n_notify, o, out);
}

/* "name": "value" with JSON escaping; NULL as null. */
static int jfield(struct cx_buf *b, const char *name, const char *v, int comma)
{
	int rc = cx_buf_printf(b, "%s\"%s\": ", comma ? ", " : "", name);

	if (rc == CX_OK && v == NULL)
		return cx_buf_puts(b, "null");
	if (rc == CX_OK)
		rc = cx_buf_putc(b, '"');
	if (rc == CX_OK)
		rc = cx_esc_json(b, v);
	if (rc == CX_OK)
		rc = cx_buf_putc(b, '"');
	return rc;
}

static int jparty(struct cx_buf *b, const char *name, const struct cx_party *p)
{
	int rc = cx_buf_printf(b, ",\n  \"%s\": {", name);

	W(jfield(b, "name", p->name, 0));
	W(jfield(b, "bin", p->bin, 1));
	W(cx_buf_puts(b, "}"));
	return rc;
}

int cx_register_json(const struct cx_act *act, struct cx_buf *b)
{
	const struct cx_object *obj = act->obj;
	int rc = cx_buf_puts(b, "{\n  ");

	W(jfield(b, "register", "certificates (Rules, para 29)", 0));
	W(cx_buf_puts(b, ",\n  "));
	W(jfield(b, "object", obj ? obj->name : act->run->object_name, 0));
	if (obj != NULL) {
		W(jparty(b, "possessor", &obj->possessor));
		W(jparty(b, "developer", &obj->developer));
	}
	W(cx_buf_puts(b, ",\n  \"act\": {"));
	W(jfield(b, "kind",
	         act->additional ? "additional certification examination"
	                         : "certification examination",
	         0));
	W(jfield(b, "number", act->number, 1));
	W(jfield(b, "date", act->date, 1));
	W(cx_buf_puts(b, "},\n  \"certificate\": {"));
	W(jfield(b, "number", NULL, 0));
	W(jfield(b, "date", NULL, 1));
	W(jfield(b, "period", validity(act), 1));
	W(cx_buf_puts(b, "},\n  "));
	W(jfield(b, "recall", NULL, 0));
	W(cx_buf_puts(b, ",\n  "));
	W(jfield(b, "termination", NULL, 0));
	W(cx_buf_puts(b, "\n}\n"));
	return rc;
}

/* One CSV field: quoted, quotes doubled; a leading =, +, - or @ is
 * prefixed with ' so that a spreadsheet never runs it as a formula. */
static int csv_field(struct cx_buf *b, const char *v, int last)
{
	const char *p;
	int rc = cx_buf_putc(b, '"');

	if (v != NULL &&
	    (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@'))
		W(cx_buf_putc(b, '\''));
	for (p = v ? v : ""; *p != '\0' && rc == CX_OK; p++)
		rc = *p == '"' ? cx_buf_puts(b, "\"\"") : cx_buf_putc(b, *p);
	W(cx_buf_puts(b, last ? "\"\r\n" : "\";"));
	return rc;
}

int cx_register_csv(const struct cx_act *act, struct cx_buf *b)
{
	static const char *const head[] = {
	    "object",           "possessor",          "possessor_bin",
	    "developer",        "developer_bin",      "act_kind",
	    "act_number",       "act_date",           "certificate_number",
	    "certificate_date", "certificate_period", "recall",
	    "termination"};
	const struct cx_object *obj = act->obj;
	const char *row[13];
	size_t i;
	int rc = cx_buf_puts(b, "\xef\xbb\xbf"); /* Excel reads UTF-8 */

	for (i = 0; i < 13; i++)
		W(csv_field(b, head[i], i == 12));
	row[0] = obj ? obj->name : act->run->object_name;
	row[1] = obj ? obj->possessor.name : NULL;
	row[2] = obj ? obj->possessor.bin : NULL;
	row[3] = obj ? obj->developer.name : NULL;
	row[4] = obj ? obj->developer.bin : NULL;
	row[5] = act->additional ? "additional certification examination"
	                         : "certification examination";
	row[6] = act->number;
	row[7] = act->date;
	row[8] = row[9] = NULL;
	row[10] = validity(act);
	row[11] = row[12] = NULL;
	for (i = 0; i < 13; i++)
		W(csv_field(b, row[i], i == 12));
	return rc;
}

int cx_cert_files(const struct cx_act *act, const struct cx_profile *profile,
                  const char *outdir, int with_register, char *paths[4])
{
	static const char *const kinds[4][2] = {
	    {"certificate", "html"},
	    {"certificate", "md"},
	    {"certificate-register", "json"},
	    {"certificate-register", "csv"}};
	const char *notify[32];
	struct cx_buf b[4];
	size_t n = 0, iter = 0, i, nfiles = with_register ? 4 : 2;
	char name[96], lang[8] = "";
	const char *v;
	int rc = CX_OK;

	memset(b, 0, sizeof(b));
	if (paths != NULL)
		memset(paths, 0, 4 * sizeof(*paths));
	if (!cx_cert_ready(act, NULL, NULL))
		return CX_EINVAL;
	while (n < CX_ARRAY_LEN(notify) && profile != NULL &&
	       (v = cx_profile_param_next(profile, "cert.notify", &iter)) !=
	           NULL)
		notify[n++] = v;
	/* certificate-N.kk.html, as the acts; the register is data */
	if (act->lang != NULL && act->cat != NULL)
		snprintf(lang, sizeof(lang), ".%.3s", act->lang);
	W(cx_cert_render(act, notify, n, "html", &b[0]));
	W(cx_cert_render(act, notify, n, "md", &b[1]));
	if (with_register) {
		W(cx_register_json(act, &b[2]));
		W(cx_register_csv(act, &b[3]));
	}
	W(cx_mkdir_p(outdir));
	for (i = 0; i < nfiles && rc == CX_OK; i++) {
		const char *l = i < 2 ? lang : "";
		char *p;

		if (act->number != NULL)
			snprintf(name, sizeof(name), "%s-%s%s.%s", kinds[i][0],
			         act->number, l, kinds[i][1]);
		else
			snprintf(name, sizeof(name), "%s-%04d%s.%s",
			         kinds[i][0], act->run->number, l, kinds[i][1]);
		p = cx_path_join(outdir, name);
		rc = p ? cx_write_file_atomic(p, b[i].data ? b[i].data : "",
		                              b[i].len)
		       : CX_ENOMEM;
		if (paths != NULL)
			paths[i] = p;
		else
			free(p);
	}
	for (i = 0; i < 4; i++)
		cx_buf_free(&b[i]);
	return rc;
}
