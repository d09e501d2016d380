/*
 * certexam — reading run.xml back, streamed element by element through the
 * safe XML layer (cx_xml_stream_file) and validated against run.xsd in the
 * same pass, so a record of any size is read in memory bounded by what it
 * holds, not by its text.  Values are taken exactly as written: no trimming, so
 * that a run read back is identical to the run written.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/tree.h>

#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/run.h"
#include "certexam/util.h"
#include "xmlsafe.h"

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

/* One <option name value/>-like item appended to a property list. */
static int read_prop(xmlNodePtr c, const char *k, const char *v,
                     struct cx_prop **arr, size_t *n, size_t *cap)
{
	struct cx_prop *p;

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
	return CX_OK;
}

/*
 * A check's state: state="code" msg="scan.state.code" [error="..."] is
 * kept as "code" or "code:error" (cx_check_state_msg); a state recorded
 * before the codes is its text, printed as recorded.
 */
static int read_check(xmlNodePtr c, struct cx_run *run)
{
	char *msg = attr(c, "msg"), *err = attr(c, "error"), *v;
	struct cx_prop *p;
	int rc = read_prop(c, "id", "state", &run->checks, &run->n_checks,
	                   &run->cap_checks);

	if (rc == CX_OK && msg != NULL && err != NULL) {
		p = &run->checks[run->n_checks - 1];
		v = cx_asprintf("%s:%s", p->value, err);
		if (v == NULL) {
			rc = CX_ENOMEM;
		} else {
			free(p->value);
			p->value = v;
		}
	}
	free(msg);
	free(err);
	return rc;
}

/*
 * How a finding was determined: <method msg="method.x.y"> with its
 * <arg name="...">s, or in a run recorded before method ids the English
 * text, kept in f->method and printed as recorded.  0, CX_EPARSE (an
 * <arg> without its name) or CX_ENOMEM.
 */
static int read_method(struct cx_finding *f, xmlNodePtr m)
{
	xmlNodePtr e;
	size_t cap = 0;

	f->method_msg = attr(m, "msg");
	if (f->method_msg == NULL) {
		f->method = text(m);
		return CX_OK;
	}
	for (e = cx_xml_child(m, "arg"); e != NULL; e = cx_xml_next(e, "arg")) {
		struct cx_prop *a;

		if (cx_grow(&f->method_args, &cap, f->n_method_args + 1,
		            sizeof(*f->method_args)))
			return CX_ENOMEM;
		a = &f->method_args[f->n_method_args++];
		a->name = attr(e, "name");
		a->value = text(e);
		if (a->name == NULL)
			return CX_EPARSE; /* <arg> without its name */
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
	f.vantage = attr(c, "vantage");
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
	e = cx_xml_child(c, "method");
	if (e != NULL && (rc = read_method(&f, e)) != CX_OK)
		goto out;
	rc = CX_ENOMEM;
	f.msg = attr(c, "msg");
	f.req_kind = attr(c, "kind");
	cap = 0;
	for (e = cx_xml_child(c, "arg"); e != NULL; e = cx_xml_next(e, "arg")) {
		if (cx_grow(&f.args, &cap, f.n_args + 1, sizeof(*f.args)))
			goto out;
		f.args[f.n_args].name = attr(e, "name");
		f.args[f.n_args].value = text(e);
		f.n_args++;
		if (f.args[f.n_args - 1].name == NULL) {
			rc = CX_EPARSE; /* <arg> without its name */
			goto out;
		}
	}
	cap = 0;
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

/* The state of one streamed read. */
struct reader {
	struct cx_run *run;
	size_t cap_scope;
};

static int read_root(struct cx_run *run, xmlNodePtr root)
{
	run->number = (int)attr_long(root, "number", 0);
	free(run->kind);
	run->kind = attr(root, "kind");
	run->baseline = (int)attr_long(root, "baseline", 0);
	run->complete = attr_bool(root, "complete");
	run->degraded = attr_bool(root, "degraded");
	return CX_OK;
}

/* An element directly under <run> that is not a list. */
static int read_head(struct cx_run *run, xmlNodePtr n)
{
	if (cx_xml_is(n, "tool")) {
		free(run->tool_version);
		run->tool_version = attr(n, "version");
	} else if (cx_xml_is(n, "profile")) {
		free(run->profile_id);
		free(run->profile_version);
		run->profile_id = attr(n, "id");
		run->profile_version = attr(n, "version");
	} else if (cx_xml_is(n, "object")) {
		free(run->object_name);
		free(run->object_type);
		free(run->case_dir);
		run->object_name = attr(n, "name");
		run->object_type = attr(n, "type");
		run->case_dir = attr(n, "case");
	} else if (cx_xml_is(n, "examiner")) {
		free(run->examiner_host);
		free(run->examiner_user);
		run->examiner_host = attr(n, "host");
		run->examiner_user = attr(n, "user");
		free(run->vantage);
		run->vantage = attr(n, "vantage");
	} else if (cx_xml_is(n, "time")) {
		run->started = attr_time(n, "started");
		run->finished = attr_time(n, "finished");
	} else if (cx_xml_is(n, "degraded-reason")) {
		free(run->degraded_reason);
		run->degraded_reason = text(n);
		if (run->degraded_reason == NULL)
			return CX_ENOMEM;
	}
	return CX_OK;
}

static int read_port(struct cx_run *run, xmlNodePtr c)
{
	struct cx_port_obs p;
	char *st = attr(c, "state");
	int sv = cx_port_state_parse(st), rc;

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
	p.vantage = attr(c, "vantage");
	rc = p.addr ? cx_run_add_port(run, &p, NULL) : CX_EPARSE;
	cx_port_obs_clear(&p);
	return rc;
}

static int read_observation(struct cx_run *run, xmlNodePtr c)
{
	char *kind = attr(c, "kind"), *asset = attr(c, "asset");
	struct cx_observation *o = NULL;
	xmlNodePtr p;
	int rc = CX_OK;

	if (kind == NULL || asset == NULL) {
		free(kind);
		free(asset);
		return CX_EPARSE; /* an observation needs both */
	}
	o = cx_run_add_obs(run, kind, asset);
	free(kind);
	free(asset);
	if (o == NULL)
		return CX_ENOMEM;
	o->vantage = attr(c, "vantage");
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
	return rc;
}

static int read_evidence(struct cx_run *run, xmlNodePtr c)
{
	struct cx_evidence *e;

	if (cx_grow(&run->evidence, &run->cap_evidence, run->n_evidence + 1,
	            sizeof(*run->evidence)))
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
		return CX_ENOMEM;
	if (!e->id || !e->file || !e->sha256)
		return CX_EPARSE; /* an entry without id, path or hash */
	return CX_OK;
}

/* cx_xml_stream callback: one element of run.xml. */
static int on_element(void *arg, const char *parent, xmlNodePtr c)
{
	struct reader *rd = arg;
	struct cx_run *run = rd->run;

	if (parent == NULL)
		return read_root(run, c);
	if (strcmp(parent, "run") == 0)
		return read_head(run, c);
	if (strcmp(parent, "scope") == 0 && cx_xml_is(c, "entry")) {
		/* rd->cap_scope lives across calls: one growth per doubling */
		if (cx_grow(&run->scope, &rd->cap_scope, run->n_scope + 1,
		            sizeof(*run->scope)))
			return CX_ENOMEM;
		run->scope[run->n_scope] = text(c);
		if (run->scope[run->n_scope] == NULL)
			return CX_ENOMEM;
		run->n_scope++;
		return CX_OK;
	}
	if (strcmp(parent, "options") == 0 && cx_xml_is(c, "option"))
		return read_prop(c, "name", "value", &run->options,
		                 &run->n_options, &run->cap_options);
	if (strcmp(parent, "basis") == 0 && cx_xml_is(c, "document"))
		return read_prop(c, "id", "title", &run->basis, &run->n_basis,
		                 &run->cap_basis);
	if (strcmp(parent, "checks") == 0 && cx_xml_is(c, "check"))
		return read_check(c, run);
	if (strcmp(parent, "hosts") == 0 && cx_xml_is(c, "host")) {
		struct cx_host_obs h;
		int rc;
		h.addr = attr(c, "addr");
		h.names = attr(c, "names");
		h.up = attr_bool(c, "up");
		h.vantage = attr(c, "vantage");
		rc = h.addr ? cx_run_add_host(run, &h) : CX_EPARSE;
		cx_host_obs_clear(&h);
		return rc;
	}
	if (strcmp(parent, "ports") == 0 && cx_xml_is(c, "port"))
		return read_port(run, c);
	if (strcmp(parent, "observations") == 0 && cx_xml_is(c, "observation"))
		return read_observation(run, c);
	if (strcmp(parent, "findings") == 0 && cx_xml_is(c, "finding"))
		return read_finding(run, c);
	if (strcmp(parent, "evidence") == 0 && cx_xml_is(c, "file"))
		return read_evidence(run, c);
	return CX_OK;
}

static const char *const run_lists[] = {
    "scope", "options",      "basis",    "checks",   "hosts",
    "ports", "observations", "findings", "evidence", NULL,
};

int cx_run_load(const char *dir, const char *schema_dir, struct cx_run **out,
                struct cx_diags *diags)
{
	struct reader rd = {0};
	struct cx_xml_stream s = {0};
	char *path = NULL;
	int rc;

	*out = NULL;
	path = cx_path_join(dir, "run.xml");
	if (path == NULL)
		return CX_ENOMEM;
	rd.run = cx_run_new();
	if (rd.run == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	s.containers = run_lists;
	s.element = on_element;
	s.arg = &rd;
	s.max = CX_RUN_MAX_XML;
	rc = cx_xml_stream_file(path, schema_dir, "run.xsd", &s, diags);
	if (rc)
		goto out;
	rd.run->dir = cx_strdup(dir);
	if (rd.run->dir == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	*out = rd.run;
	rd.run = NULL;
out:
	cx_run_free(rd.run);
	free(path);
	return rc;
}

/* ---- The latest run, and the integrity of a stored run ---- */

/* Stops the stream after the root element: only its kind is wanted. */
#define PEEK_DONE 1000

static int on_root_kind(void *arg, const char *parent, xmlNodePtr c)
{
	char **kind = arg;

	if (parent != NULL)
		return PEEK_DONE;
	*kind = attr(c, "kind");
	if (*kind == NULL)
		*kind = cx_strdup("examination");
	return *kind == NULL ? CX_ENOMEM : PEEK_DONE;
}

static int by_number_desc(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

int cx_runs_latest(const char *runs_dir, const char *kind, int *out,
                   struct cx_diags *diags)
{
	struct cx_xml_stream s = {0};
	struct dirent *de;
	long *nums = NULL, n;
	size_t n_nums = 0, cap = 0, i;
	char name[16], num[8], *path, *got;
	DIR *d;
	int rc = CX_OK;

	*out = 0;
	d = opendir(runs_dir);
	if (d == NULL)
		return CX_OK; /* no runs folder: no run yet */
	while ((de = readdir(d)) != NULL) {
		if (strlen(de->d_name) != 4 ||
		    cx_parse_long(de->d_name, 1, 9999, &n))
			continue;
		if (cx_grow(&nums, &cap, n_nums + 1, sizeof(*nums))) {
			rc = CX_ENOMEM;
			break;
		}
		nums[n_nums++] = n;
	}
	closedir(d);
	if (rc == CX_OK && n_nums > 0)
		qsort(nums, n_nums, sizeof(*nums), by_number_desc);
	s.containers = run_lists;
	s.element = on_root_kind;
	s.max = CX_RUN_MAX_XML;
	/* Newest first; an unreadable run is an error, never skipped: it
	 * may be the very run the examiner means. */
	for (i = 0; rc == CX_OK && i < n_nums; i++) {
		snprintf(name, sizeof(name), "%04ld/run.xml", nums[i]);
		snprintf(num, sizeof(num), "%04ld", nums[i]);
		path = cx_path_join(runs_dir, name);
		if (path == NULL) {
			rc = CX_ENOMEM;
			break;
		}
		got = NULL;
		s.arg = &got;
		rc = cx_xml_stream_file(path, NULL, NULL, &s, diags);
		if (rc == PEEK_DONE && got != NULL) {
			rc = CX_OK;
			if (kind == NULL || strcmp(got, kind) == 0)
				*out = (int)nums[i];
		} else {
			if (rc == CX_OK || rc == PEEK_DONE)
				rc = CX_EPARSE; /* no root element */
			if (diags != NULL &&
			    (cx_diag_add(
			         diags, path, 0, NULL,
			         "run %04ld cannot be read (%s); it is "
			         "the newest run, so nothing older is "
			         "used in its place: repair or remove "
			         "it, or name a run with --run/--baseline",
			         nums[i], cx_err_name(rc)) ||
			     cx_diag_set_msg(diags, "pkg.run.newest-unreadable",
			                     CX_ARGS("run", num, "error",
			                             cx_err_name(rc)))))
				rc = CX_ENOMEM;
		}
		free(got);
		free(path);
		if (*out != 0)
			break;
	}
	free(nums);
	return rc;
}

/*
 * 1 if file (relative to the run folder) cannot leave it: not absolute,
 * no "..", no empty segment, no backslash.
 */
static int confined_name(const char *file)
{
	const char *p = file, *seg;

	if (file[0] == '\0' || file[0] == '/' || strchr(file, '\\') != NULL)
		return 0;
	while (*p != '\0') {
		seg = p;
		while (*p != '\0' && *p != '/')
			p++;
		if (p == seg ||
		    (p - seg == 2 && seg[0] == '.' && seg[1] == '.') ||
		    (p - seg == 1 && seg[0] == '.'))
			return 0;
		if (*p == '/')
			p++;
	}
	return 1;
}

/* Why an evidence file fails: its message id and English words. */
struct why {
	const char *msg, *en;
};

static const struct why why_outside = {"pkg.run.evidence-outside",
                                       "its path leaves the run folder"};
static const struct why why_missing = {"pkg.run.evidence-missing",
                                       "the file is missing"};
static const struct why why_special = {
    "pkg.run.evidence-special",
    "it is not a regular file (a link or a folder)"};
static const struct why why_size = {"pkg.run.evidence-size",
                                    "its size differs from the record"};
static const struct why why_short = {"pkg.run.evidence-unreadable",
                                     "it cannot be read in full"};
static const struct why why_altered = {
    "pkg.run.evidence-altered",
    "its SHA-256 differs from the record (altered)"};

static int verify_one(const struct cx_run *run, const char *root,
                      const struct cx_evidence *e, struct cx_diags *d)
{
	char hex[65], *path = NULL, *real = NULL, *data = NULL;
	const struct why *why = NULL;
	size_t len = 0, rl = strlen(root);
	struct stat sb;
	int rc = CX_OK;

	if (!confined_name(e->file)) {
		why = &why_outside;
		goto out;
	}
	path = cx_path_join(run->dir, e->file);
	if (path == NULL)
		return CX_ENOMEM;
	if (lstat(path, &sb) != 0) {
		why = &why_missing;
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		why = &why_special;
		goto out;
	}
	real = realpath(path, NULL);
	if (real == NULL || strncmp(real, root, rl) != 0 || real[rl] != '/') {
		why = &why_outside;
		goto out;
	}
	if ((unsigned long long)sb.st_size != (unsigned long long)e->size) {
		why = &why_size;
		goto out;
	}
	rc = cx_read_file(path, e->size + 1, &data, &len);
	if (rc == CX_ENOMEM)
		goto out;
	if (rc != CX_OK || len != e->size) {
		rc = CX_OK;
		why = &why_short;
		goto out;
	}
	cx_sha256_hex(data, len, hex);
	if (strcmp(hex, e->sha256) != 0)
		why = &why_altered;
out:
	if (why != NULL && rc == CX_OK) {
		rc = CX_EINTEGRITY;
		if (d != NULL && (cx_diag_add(d, path ? path : e->file, 0, NULL,
		                              "evidence %s (%s): %s", e->id,
		                              e->file, why->en) ||
		                  cx_diag_set_msg(d, why->msg,
		                                  CX_ARGS("evidence", e->id,
		                                          "file", e->file))))
			rc = CX_ENOMEM;
	}
	free(data);
	free(real);
	free(path);
	return rc;
}

int cx_run_verify(const struct cx_run *run, struct cx_diags *d)
{
	char *root;
	size_t i;
	int rc = CX_OK, r;

	if (run == NULL || run->dir == NULL)
		return CX_EINVAL;
	root = realpath(run->dir, NULL);
	if (root == NULL)
		return CX_ENOENT;
	for (i = 0; i < run->n_evidence; i++) {
		r = verify_one(run, root, &run->evidence[i], d);
		if (r == CX_ENOMEM) {
			rc = r;
			break;
		}
		if (r != CX_OK)
			rc = r;
	}
	free(root);
	return rc;
}
