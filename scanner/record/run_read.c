/*
 * certexam — reading run.xml back (validated against run.xsd, through the
 * safe XML reader).  Values are taken exactly as written: no trimming, so
 * that a run read back is identical to the run written.
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "certexam/error.h"
#include "certexam/run.h"
#include "certexam/util.h"
#include "xmlsafe.h"

#define RUN_MAX_XML ((size_t)1024 * 1024 * 1024)

/* Attribute exactly as written (entities decoded); NULL when absent. */
static char *attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (v == NULL)
		return NULL;
	s = cx_strdup((const char *)v);
	xmlFree(v);
	return s;
}

static char *text(xmlNodePtr n)
{
	xmlChar *v;
	char *s;

	if (n == NULL)
		return NULL;
	v = xmlNodeGetContent(n);
	if (v == NULL)
		return cx_strdup("");
	s = cx_strdup((const char *)v);
	xmlFree(v);
	return s;
}

static long attr_long(xmlNodePtr n, const char *name, long def)
{
	char *s = attr(n, name);
	long v = def;

	if (s != NULL && cx_parse_long(s, -2147483647L, 2147483647L, &v))
		v = def;
	free(s);
	return v;
}

static int attr_bool(xmlNodePtr n, const char *name)
{
	char *s = attr(n, name);
	int v = s != NULL && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0);

	free(s);
	return v;
}

static time_t attr_time(xmlNodePtr n, const char *name)
{
	char *s = attr(n, name);
	time_t t = 0;

	if (s != NULL && cx_parse_iso8601(s, &t))
		t = 0;
	free(s);
	return t;
}

static int read_props(xmlNodePtr parent, const char *item, const char *k,
                      const char *v, struct cx_prop **arr, size_t *n,
                      size_t *cap)
{
	xmlNodePtr c;
	struct cx_prop *p;

	for (c = cx_xml_child(parent, item); c != NULL;
	     c = cx_xml_next(c, item)) {
		if (cx_grow(arr, cap, *n + 1, sizeof(**arr)))
			return CX_ENOMEM;
		p = &(*arr)[*n];
		p->name = attr(c, k);
		p->value = attr(c, v);
		if (p->name == NULL)
			p->name = cx_strdup("");
		if (p->value == NULL)
			p->value = cx_strdup("");
		(*n)++;
		if (p->name == NULL || p->value == NULL)
			return CX_ENOMEM;
	}
	return CX_OK;
}

static int read_finding(struct cx_run *run, xmlNodePtr c)
{
	struct cx_finding f;
	xmlNodePtr e;
	char *s;
	int v, rc = CX_ENOMEM;
	size_t cap = 0;

	memset(&f, 0, sizeof(f));
	f.key = attr(c, "key");
	f.check = attr(c, "check");
	f.req_id = attr(c, "requirement");
	f.block = attr(c, "block");
	f.asset = attr(c, "asset");
	f.item = attr(c, "item");
	s = attr(c, "status");
	v = cx_status_parse(s);
	free(s);
	f.status = v < 0 ? CX_ERROR : (enum cx_status)v;
	s = attr(c, "severity");
	v = cx_severity_parse(s);
	free(s);
	f.severity = v < 0 ? CX_SEV_INFO : (enum cx_severity)v;
	s = attr(c, "certainty");
	v = cx_certainty_parse(s);
	free(s);
	f.certainty = v < 0 ? CX_CONFIRMED : (enum cx_certainty)v;
	f.req_text = text(cx_xml_child(c, "requirement-text"));
	f.req_source = text(cx_xml_child(c, "source"));
	f.title = text(cx_xml_child(c, "title"));
	f.observed = text(cx_xml_child(c, "observed"));
	f.recommendation = text(cx_xml_child(c, "recommendation"));
	f.method = text(cx_xml_child(c, "method"));
	for (e = cx_xml_child(c, "evidence"); e != NULL;
	     e = cx_xml_next(e, "evidence")) {
		if (cx_grow(&f.evidence, &cap, f.n_evidence + 1,
		            sizeof(*f.evidence)))
			goto out;
		f.evidence[f.n_evidence] = attr(e, "ref");
		if (f.evidence[f.n_evidence] == NULL) {
			rc = CX_EPARSE; /* <evidence> without ref */
			goto out;
		}
		f.n_evidence++;
	}
	if (f.key == NULL) {
		rc = CX_EPARSE; /* a finding without its key */
		goto out;
	}
	rc = cx_run_add_finding(run, &f);
out:
	cx_finding_clear(&f);
	return rc;
}

static int read_run(struct cx_run *run, xmlNodePtr root)
{
	xmlNodePtr n, c;
	int rc = CX_OK;

	run->number = (int)attr_long(root, "number", 0);
	free(run->kind);
	run->kind = attr(root, "kind");
	run->baseline = (int)attr_long(root, "baseline", 0);
	run->complete = attr_bool(root, "complete");
	run->degraded = attr_bool(root, "degraded");
	n = cx_xml_child(root, "tool");
	run->tool_version = attr(n, "version");
	n = cx_xml_child(root, "profile");
	run->profile_id = attr(n, "id");
	run->profile_version = attr(n, "version");
	n = cx_xml_child(root, "object");
	if (n != NULL) {
		run->object_name = attr(n, "name");
		run->object_type = attr(n, "type");
		run->case_dir = attr(n, "case");
	}
	n = cx_xml_child(root, "examiner");
	run->examiner_host = attr(n, "host");
	run->examiner_user = attr(n, "user");
	n = cx_xml_child(root, "time");
	run->started = attr_time(n, "started");
	run->finished = attr_time(n, "finished");
	n = cx_xml_child(root, "degraded-reason");
	if (n != NULL)
		run->degraded_reason = text(n);
	n = cx_xml_child(root, "scope");
	for (c = cx_xml_child(n, "entry"); c != NULL;
	     c = cx_xml_next(c, "entry")) {
		size_t cap = run->n_scope;
		if (cx_grow(&run->scope, &cap, run->n_scope + 1,
		            sizeof(*run->scope)))
			return CX_ENOMEM;
		run->scope[run->n_scope] = text(c);
		if (run->scope[run->n_scope] == NULL)
			return CX_ENOMEM;
		run->n_scope++;
	}
	rc =
	    read_props(cx_xml_child(root, "options"), "option", "name", "value",
	               &run->options, &run->n_options, &run->cap_options);
	if (rc == CX_OK)
		rc = read_props(cx_xml_child(root, "basis"), "document", "id",
		                "title", &run->basis, &run->n_basis,
		                &run->cap_basis);
	if (rc == CX_OK)
		rc = read_props(cx_xml_child(root, "checks"), "check", "id",
		                "state", &run->checks, &run->n_checks,
		                &run->cap_checks);
	n = cx_xml_child(root, "hosts");
	for (c = cx_xml_child(n, "host"); c != NULL && rc == CX_OK;
	     c = cx_xml_next(c, "host")) {
		struct cx_host_obs h;
		h.addr = attr(c, "addr");
		h.names = attr(c, "names");
		h.up = attr_bool(c, "up");
		rc = h.addr ? cx_run_add_host(run, &h) : CX_EPARSE;
		cx_host_obs_clear(&h);
	}
	n = cx_xml_child(root, "ports");
	for (c = cx_xml_child(n, "port"); c != NULL && rc == CX_OK;
	     c = cx_xml_next(c, "port")) {
		struct cx_port_obs p;
		char *st = attr(c, "state");
		int sv = cx_port_state_parse(st);
		free(st);
		memset(&p, 0, sizeof(p));
		p.addr = attr(c, "addr");
		p.port = (int)attr_long(c, "port", 0);
		p.proto = attr(c, "proto");
		p.state = sv < 0 ? CX_PORT_UNKNOWN : (enum cx_port_state)sv;
		p.reason = attr(c, "reason");
		p.service = attr(c, "service");
		p.product = attr(c, "product");
		p.version = attr(c, "version");
		p.extra = attr(c, "extra");
		p.tls = attr_bool(c, "tls");
		p.inner = attr(c, "inner");
		p.evidence = attr(c, "evidence");
		p.declared = attr_bool(c, "declared");
		rc = p.addr ? cx_run_add_port(run, &p, NULL) : CX_EPARSE;
		cx_port_obs_clear(&p);
	}
	n = cx_xml_child(root, "observations");
	for (c = cx_xml_child(n, "observation"); c != NULL && rc == CX_OK;
	     c = cx_xml_next(c, "observation")) {
		char *kind = attr(c, "kind"), *asset = attr(c, "asset");
		struct cx_observation *o = NULL;
		xmlNodePtr p;
		if (kind == NULL || asset == NULL) {
			free(kind);
			free(asset);
			rc = CX_EPARSE; /* an observation needs both */
			break;
		}
		o = cx_run_add_obs(run, kind, asset);
		free(kind);
		free(asset);
		if (o == NULL) {
			rc = CX_ENOMEM;
			break;
		}
		for (p = cx_xml_child(c, "prop"); p != NULL && rc == CX_OK;
		     p = cx_xml_next(p, "prop")) {
			char *pn = attr(p, "name"), *pv = text(p);
			if (pv == NULL)
				rc = CX_ENOMEM;
			else if (pn == NULL)
				rc = CX_EPARSE; /* <prop> without name */
			else
				rc = cx_obs_prop(o, pn, pv);
			free(pn);
			free(pv);
		}
	}
	n = cx_xml_child(root, "findings");
	for (c = cx_xml_child(n, "finding"); c != NULL && rc == CX_OK;
	     c = cx_xml_next(c, "finding"))
		rc = read_finding(run, c);
	n = cx_xml_child(root, "evidence");
	for (c = cx_xml_child(n, "file"); c != NULL && rc == CX_OK;
	     c = cx_xml_next(c, "file")) {
		struct cx_evidence *e;
		if (cx_grow(&run->evidence, &run->cap_evidence,
		            run->n_evidence + 1, sizeof(*run->evidence)))
			return CX_ENOMEM;
		e = &run->evidence[run->n_evidence++];
		memset(e, 0, sizeof(*e));
		e->id = attr(c, "id");
		e->file = attr(c, "path");
		e->sha256 = attr(c, "sha256");
		e->size = (size_t)attr_long(c, "size", 0);
		e->asset = attr(c, "asset");
		e->kind = attr(c, "kind");
		e->description = text(c);
		if (!e->description)
			rc = CX_ENOMEM;
		else if (!e->id || !e->file || !e->sha256)
			rc = CX_EPARSE; /* an entry without id, path or hash */
	}
	return rc;
}

int cx_run_load(const char *dir, const char *schema_dir, struct cx_run **out,
                struct cx_diags *diags)
{
	struct cx_run *run = NULL;
	xmlDocPtr doc = NULL;
	char *path = NULL;
	int rc;

	*out = NULL;
	path = cx_path_join(dir, "run.xml");
	if (path == NULL)
		return CX_ENOMEM;
	rc = cx_xml_parse_file(path, RUN_MAX_XML, &doc, diags);
	if (rc)
		goto out;
	rc = cx_xml_validate_in(doc, schema_dir, "run.xsd", path, diags);
	if (rc)
		goto out;
	run = cx_run_new();
	if (run == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	rc = read_run(run, xmlDocGetRootElement(doc));
	if (rc)
		goto out;
	run->dir = cx_strdup(dir);
	if (run->dir == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	*out = run;
	run = NULL;
out:
	cx_run_free(run);
	xmlFreeDoc(doc);
	free(path);
	return rc;
}
