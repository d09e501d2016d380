/*
 * certexam — merge of runs made from several vantage points, or as
 * shards of one scope, into one run (certexam merge CASE RUN...).
 *
 * Owns the merging rules (see merge.h): the refusals (different profile,
 * case or kind; incomplete without --allow-incomplete), the evidence copy
 * (verified before, hash checked again on the copied bytes), and the
 * combination of hosts, ports, findings and check states with the
 * vantage each was seen from.  Everything is looked up through hash
 * indices, so the cost is linear in the size of the inputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "certexam/error.h"
#include "certexam/i18n.h"
#include "certexam/merge.h"
#include "certexam/run.h"
#include "certexam/target.h"
#include "certexam/util.h"

#define EVIDENCE_MAX ((size_t)4 * 1024 * 1024 * 1024)

/* ---- a string -> index map (open addressing, FNV-1a) ---- */

struct smap {
	char **keys;
	size_t *vals;
	size_t cap, n;
};

static uint64_t fnv(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t *smap_slot(const struct smap *m, const char *key, size_t *at)
{
	size_t i = (size_t)fnv(key) & (m->cap - 1);

	while (m->keys[i] != NULL && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	*at = i;
	return m->keys[i] != NULL ? &m->vals[i] : NULL;
}

/* The value for key, or NULL. */
static size_t *smap_get(const struct smap *m, const char *key)
{
	size_t at;

	return m->cap == 0 ? NULL : smap_slot(m, key, &at);
}

static int smap_put(struct smap *m, const char *key, size_t val)
{
	size_t at, i;

	if ((m->n + 1) * 2 > m->cap) {
		struct smap g = {0};
		g.cap = m->cap ? m->cap * 2 : 64;
		g.keys = calloc(g.cap, sizeof(*g.keys));
		g.vals = calloc(g.cap, sizeof(*g.vals));
		if (g.keys == NULL || g.vals == NULL) {
			free(g.keys);
			free(g.vals);
			return CX_ENOMEM;
		}
		for (i = 0; i < m->cap; i++) {
			if (m->keys[i] == NULL)
				continue;
			smap_slot(&g, m->keys[i], &at);
			g.keys[at] = m->keys[i];
			g.vals[at] = m->vals[i];
		}
		g.n = m->n;
		free(m->keys);
		free(m->vals);
		*m = g;
	}
	if (smap_slot(m, key, &at) != NULL) {
		m->vals[at] = val;
		return CX_OK;
	}
	m->keys[at] = cx_strdup(key);
	if (m->keys[at] == NULL)
		return CX_ENOMEM;
	m->vals[at] = val;
	m->n++;
	return CX_OK;
}

static void smap_free(struct smap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

/* ---- space-separated word lists (vantages, host names) ---- */

static int has_word(const char *list, const char *w)
{
	size_t n = strlen(w);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, w, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
			return 1;
		p = strchr(p, ' ');
		if (p != NULL)
			p++;
	}
	return 0;
}

/* Add the words of add to *list (not twice).  0 or CX_ENOMEM. */
static int add_words(char **list, const char *add)
{
	const char *p = add;
	char w[256], *n;
	size_t len;

	while (p != NULL && *p != '\0') {
		len = strcspn(p, " ");
		if (len > 0 && len < sizeof(w)) {
			memcpy(w, p, len);
			w[len] = '\0';
			if (*list == NULL || !has_word(*list, w)) {
				n = *list ? cx_asprintf("%s %s", *list, w)
				          : cx_strdup(w);
				if (n == NULL)
					return CX_ENOMEM;
				free(*list);
				*list = n;
			}
		}
		p += len;
		while (*p == ' ')
			p++;
	}
	return CX_OK;
}

static int set_str(char **dst, const char *src)
{
	char *v = cx_strdup(src);

	if (src != NULL && v == NULL)
		return CX_ENOMEM;
	free(*dst);
	*dst = v;
	return CX_OK;
}

/* ---- the merge ---- */

struct merge {
	struct cx_run *out;
	struct cx_diags *d;
	struct cx_host_obs *hosts; /* merged hosts, sorted at the end */
	size_t n_hosts, cap_hosts;
	struct cx_port_obs *ports;
	size_t n_ports, cap_ports;
	struct cx_finding *finds;
	size_t n_finds, cap_finds;
	struct smap host_ix, port_ix, find_ix, ev_seen;
	struct smap ev_map; /* this input's evidence id -> index in out */
};

static const char *run_name(const struct cx_run *r)
{
	return r->dir ? r->dir : "(run)";
}

/*
 * Runs that differ in what (its English words and its message id,
 * pkg.merge.what.*, worded by the terminal) are refused; the values as
 * recorded.
 */
static int refuse(struct merge *m, const struct cx_run *a,
                  const struct cx_run *b, const char *what, const char *what_id,
                  const char *va, const char *vb)
{
	if (cx_diag_add(m->d, run_name(b), 0, NULL,
	                "runs of different %s cannot be merged: '%s' here, "
	                "'%s' in %s",
	                what, vb ? vb : "(none)", va ? va : "(none)",
	                run_name(a)) == CX_OK)
		(void)cx_diag_set_msg(
		    m->d, "pkg.merge.differ",
		    CX_ARGS("what", what_id, "here", vb ? vb : "(none)",
		            "there", va ? va : "(none)", "other", run_name(a)));
	return CX_EINVAL;
}

static int same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	       (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int check_inputs(struct merge *m, struct cx_run *const *in, size_t n,
                        int allow_incomplete)
{
	size_t i;
	int rc = CX_OK;

	if (n == 0) {
		if (cx_diag_add(m->d, "(command line)", 0, NULL,
		                "nothing to merge: give one run or more") ==
		    CX_OK)
			(void)cx_diag_set_msg(m->d, "pkg.merge.nothing", NULL);
		return CX_EINVAL;
	}
	for (i = 0; i < n; i++) {
		const struct cx_run *a = in[0], *b = in[i];
		if (!same(a->profile_id, b->profile_id))
			rc = refuse(m, a, b, "profiles",
			            "pkg.merge.what.profiles", a->profile_id,
			            b->profile_id);
		else if (!same(a->profile_version, b->profile_version))
			rc = refuse(m, a, b, "profile versions",
			            "pkg.merge.what.profile-versions",
			            a->profile_version, b->profile_version);
		else if (!same(a->object_name, b->object_name))
			rc = refuse(m, a, b, "cases (objects)",
			            "pkg.merge.what.objects", a->object_name,
			            b->object_name);
		else if (!same(a->case_dir, b->case_dir))
			rc = refuse(m, a, b, "cases", "pkg.merge.what.cases",
			            a->case_dir, b->case_dir);
		else if (!same(a->kind, b->kind))
			rc = refuse(m, a, b, "kinds", "pkg.merge.what.kinds",
			            a->kind, b->kind);
		else if (!b->complete && !allow_incomplete) {
			if (cx_diag_add(
			        m->d, run_name(b), 0, NULL,
			        "the run is incomplete (complete=\"false\"); "
			        "merge it only with --allow-incomplete, "
			        "which marks the merged run incomplete") ==
			    CX_OK)
				(void)cx_diag_set_msg(
				    m->d, "pkg.merge.incomplete", NULL);
			rc = CX_EINVAL;
		}
		if (rc)
			return rc;
	}
	return CX_OK;
}

/* Copy in's evidence into m->out (once per identical file), mapping ids. */
static int copy_evidence(struct merge *m, const struct cx_run *in)
{
	size_t i, *seen;
	char *p = NULL, *data = NULL, *key = NULL;
	const char *id;
	size_t len;
	int rc = CX_OK;

	smap_free(&m->ev_map);
	for (i = 0; i < in->n_evidence && rc == CX_OK; i++) {
		const struct cx_evidence *e = &in->evidence[i];
		key = cx_asprintf("%s|%s|%s", e->sha256, e->kind ? e->kind : "",
		                  e->asset ? e->asset : "");
		if (key == NULL)
			return CX_ENOMEM;
		seen = smap_get(&m->ev_seen, key);
		if (seen != NULL) {
			rc = smap_put(&m->ev_map, e->id, *seen);
			free(key);
			key = NULL;
			continue;
		}
		p = cx_path_join(in->dir, e->file);
		rc = p ? cx_read_file(p, EVIDENCE_MAX, &data, &len) : CX_ENOMEM;
		if (rc == CX_OK)
			rc =
			    cx_run_add_evidence(m->out, e->asset, e->kind,
			                        e->description, data, len, &id);
		/* The bytes copied are the bytes verified. */
		if (rc == CX_OK &&
		    (len != e->size ||
		     strcmp(m->out->evidence[m->out->n_evidence - 1].sha256,
		            e->sha256) != 0)) {
			if (cx_diag_add(
			        m->d, p, 0, NULL,
			        "evidence %s changed while it was copied",
			        e->id) == CX_OK)
				(void)cx_diag_set_msg(
				    m->d, "pkg.merge.evidence-changed",
				    CX_ARGS("id", e->id));
			rc = CX_EINTEGRITY;
		}
		if (rc == CX_OK)
			rc = smap_put(&m->ev_seen, key, m->out->n_evidence - 1);
		if (rc == CX_OK)
			rc =
			    smap_put(&m->ev_map, e->id, m->out->n_evidence - 1);
		free(p);
		free(data);
		free(key);
		p = data = key = NULL;
	}
	return rc;
}

/* The merged id for in's evidence id (borrowed), or NULL. */
static const char *ev_id(const struct merge *m, const char *old)
{
	size_t *ix = old ? smap_get(&m->ev_map, old) : NULL;

	return ix ? m->out->evidence[*ix].id : NULL;
}

static int merge_host(struct merge *m, const struct cx_host_obs *h,
                      const char *v)
{
	size_t *ix = smap_get(&m->host_ix, h->addr);
	struct cx_host_obs *t;
	int rc;

	if (ix == NULL) {
		if (cx_grow(&m->hosts, &m->cap_hosts, m->n_hosts + 1,
		            sizeof(*m->hosts)))
			return CX_ENOMEM;
		t = &m->hosts[m->n_hosts];
		memset(t, 0, sizeof(*t));
		t->addr = cx_strdup(h->addr);
		if (t->addr == NULL)
			return CX_ENOMEM;
		m->n_hosts++;
		t->up = h->up;
		rc = smap_put(&m->host_ix, h->addr, m->n_hosts - 1);
		if (rc == CX_OK)
			rc = add_words(&t->names, h->names);
		return rc == CX_OK ? add_words(&t->vantage, v) : rc;
	}
	t = &m->hosts[*ix];
	rc = add_words(&t->names, h->names);
	if (rc == CX_OK && h->up && !t->up) {
		/* Seen up from here first: the vantages that saw it up. */
		t->up = 1;
		free(t->vantage);
		t->vantage = NULL;
	}
	if (rc == CX_OK && h->up == t->up)
		rc = add_words(&t->vantage, v);
	return rc;
}

/* How much a state tells: open, closed, filtered, unknown. */
static int state_rank(enum cx_port_state s)
{
	return s == CX_PORT_OPEN       ? 0
	       : s == CX_PORT_CLOSED   ? 1
	       : s == CX_PORT_FILTERED ? 2
	                               : 3;
}

static int copy_port(struct merge *m, struct cx_port_obs *t,
                     const struct cx_port_obs *p, const char *v)
{
	memset(t, 0, sizeof(*t));
	t->port = p->port;
	t->state = p->state;
	t->tls = p->tls;
	t->declared = p->declared;
	if (set_str(&t->addr, p->addr) || set_str(&t->proto, p->proto) ||
	    set_str(&t->reason, p->reason) ||
	    set_str(&t->service, p->service) ||
	    set_str(&t->product, p->product) ||
	    set_str(&t->version, p->version) || set_str(&t->extra, p->extra) ||
	    set_str(&t->inner, p->inner) ||
	    set_str(&t->evidence, ev_id(m, p->evidence)) ||
	    add_words(&t->vantage, v))
		return CX_ENOMEM;
	return CX_OK;
}

/* Another vantage's different view of a port, kept as an observation. */
static int note_port(struct merge *m, const struct cx_port_obs *p,
                     const char *v)
{
	char asset[128];
	struct cx_observation *o;

	snprintf(asset, sizeof(asset), "%s:%d/%s", p->addr, p->port,
	         p->proto ? p->proto : "tcp");
	o = cx_run_add_obs(m->out, "vantage-port", asset);
	if (o == NULL || (v != NULL && set_str(&o->vantage, v)) ||
	    cx_obs_prop(o, "state", cx_port_state_name(p->state)) ||
	    (p->reason != NULL && cx_obs_prop(o, "reason", p->reason)))
		return CX_ENOMEM;
	return CX_OK;
}

static int merge_port(struct merge *m, const struct cx_port_obs *p,
                      const char *v)
{
	char *key = cx_asprintf("%s|%d|%s", p->addr, p->port,
	                        p->proto ? p->proto : "tcp");
	struct cx_port_obs *t, old;
	size_t *ix;
	int rc = CX_OK, r;

	if (key == NULL)
		return CX_ENOMEM;
	ix = smap_get(&m->port_ix, key);
	if (ix == NULL) {
		if (cx_grow(&m->ports, &m->cap_ports, m->n_ports + 1,
		            sizeof(*m->ports)))
			rc = CX_ENOMEM;
		if (rc == CX_OK)
			rc = copy_port(m, &m->ports[m->n_ports], p, v);
		if (rc == CX_OK)
			rc = smap_put(&m->port_ix, key, m->n_ports++);
		free(key);
		return rc;
	}
	free(key);
	t = &m->ports[*ix];
	t->declared |= p->declared;
	r = state_rank(p->state) - state_rank(t->state);
	if (r == 0)
		return add_words(&t->vantage, v);
	if (r > 0)
		return note_port(m, p, v);
	/* This vantage saw more: it becomes the port, the old one a note. */
	old = *t;
	rc = copy_port(m, t, p, v);
	if (rc == CX_OK) {
		t->declared |= old.declared;
		rc = note_port(m, &old, old.vantage);
	}
	cx_port_obs_clear(&old);
	return rc;
}

/* Worst first: fail, error, not_checked, waived, pass, not_applicable. */
static int status_rank(enum cx_status s)
{
	switch (s) {
	case CX_FAIL:
		return 0;
	case CX_ERROR:
		return 1;
	case CX_NOT_CHECKED:
		return 2;
	case CX_WAIVED:
		return 3;
	case CX_PASS:
		return 4;
	default:
		return 5;
	}
}

static int add_evidence_refs(struct merge *m, struct cx_finding *t,
                             const struct cx_finding *f)
{
	size_t i, j, cap = t->n_evidence;
	const char *id;

	for (i = 0; i < f->n_evidence; i++) {
		id = ev_id(m, f->evidence[i]);
		if (id == NULL)
			continue; /* not in the record's index: dropped */
		for (j = 0; j < t->n_evidence; j++)
			if (strcmp(t->evidence[j], id) == 0)
				break;
		if (j < t->n_evidence)
			continue; /* a finding has a handful of evidence */
		if (cx_grow(&t->evidence, &cap, t->n_evidence + 1,
		            sizeof(*t->evidence)))
			return CX_ENOMEM;
		t->evidence[t->n_evidence] = cx_strdup(id);
		if (t->evidence[t->n_evidence] == NULL)
			return CX_ENOMEM;
		t->n_evidence++;
	}
	return CX_OK;
}

static int merge_finding(struct merge *m, const struct cx_finding *f,
                         const char *v)
{
	struct cx_finding *t, copy;
	size_t *ix = smap_get(&m->find_ix, f->key);
	char **ev, *vant;
	size_t n_ev, i;
	int r, rc;

	if (ix == NULL) {
		if (cx_grow(&m->finds, &m->cap_finds, m->n_finds + 1,
		            sizeof(*m->finds)))
			return CX_ENOMEM;
		t = &m->finds[m->n_finds];
		rc = cx_finding_copy(t, f);
		if (rc)
			return rc;
		m->n_finds++;
		/* Evidence ids are renumbered in the merged run. */
		for (i = 0; i < t->n_evidence; i++)
			free(t->evidence[i]);
		t->n_evidence = 0;
		free(t->vantage);
		t->vantage = NULL;
		rc = add_evidence_refs(m, t, f);
		if (rc == CX_OK)
			rc = add_words(&t->vantage, v);
		return rc == CX_OK
		           ? smap_put(&m->find_ix, f->key, m->n_finds - 1)
		           : rc;
	}
	t = &m->finds[*ix];
	r = status_rank(f->status) - status_rank(t->status);
	if (r < 0 || (r == 0 && f->severity < t->severity)) {
		/* The worse result's words, the union of the rest. */
		ev = t->evidence;
		n_ev = t->n_evidence;
		vant = t->vantage;
		t->evidence = NULL;
		t->n_evidence = 0;
		t->vantage = NULL;
		rc = cx_finding_copy(&copy, f);
		if (rc) {
			t->evidence = ev;
			t->n_evidence = n_ev;
			t->vantage = vant;
			return rc;
		}
		cx_finding_clear(t);
		*t = copy;
		for (i = 0; i < t->n_evidence; i++)
			free(t->evidence[i]);
		free(t->evidence);
		free(t->vantage);
		t->evidence = ev;
		t->n_evidence = n_ev;
		t->vantage = vant;
	}
	rc = add_evidence_refs(m, t, f);
	return rc == CX_OK ? add_words(&t->vantage, v) : rc;
}

/* A check's state: kept when every run agrees, else the first that is
 * not "done", naming its run. */
static int merge_checks(struct merge *m, struct cx_run *const *in, size_t n)
{
	struct smap ix = {0};
	size_t i, j, *k;
	char *v;
	int rc = CX_OK;

	for (i = 0; i < n && rc == CX_OK; i++) {
		for (j = 0; j < in[i]->n_checks && rc == CX_OK; j++) {
			const struct cx_prop *c = &in[i]->checks[j];
			k = smap_get(&ix, c->name);
			if (k == NULL) {
				rc = cx_run_check_state(m->out, c->name,
				                        c->value);
				if (rc == CX_OK)
					rc = smap_put(&ix, c->name,
					              m->out->n_checks - 1);
				continue;
			}
			v = m->out->checks[*k].value;
			if (strcmp(v, c->value) == 0 ||
			    strcmp(c->value, "done") == 0 ||
			    strncmp(v, "done", 4) != 0)
				continue;
			v = cx_asprintf("%s (in %s)", c->value,
			                run_name(in[i]));
			if (v == NULL)
				rc = CX_ENOMEM;
			else {
				free(m->out->checks[*k].value);
				m->out->checks[*k].value = v;
			}
		}
	}
	smap_free(&ix);
	return rc;
}

static int meta(struct merge *m, struct cx_run *const *in, size_t n,
                const char *command)
{
	struct cx_run *o = m->out;
	const struct cx_run *a = in[0];
	struct smap opt = {0}, sc = {0};
	char host[256];
	size_t i, j;
	int rc = CX_OK;

	if (set_str(&o->kind, a->kind) ||
	    set_str(&o->tool_version, a->tool_version) ||
	    set_str(&o->profile_id, a->profile_id) ||
	    set_str(&o->profile_version, a->profile_version) ||
	    set_str(&o->object_name, a->object_name) ||
	    set_str(&o->object_type, a->object_type) ||
	    set_str(&o->case_dir, a->case_dir) ||
	    set_str(&o->examiner_user, a->examiner_user))
		return CX_ENOMEM;
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	if (set_str(&o->examiner_host, host))
		return CX_ENOMEM;
	o->baseline = a->baseline;
	o->started = a->started;
	o->complete = 1;
	if (command != NULL)
		rc = cx_run_option(o, "command", command);
	o->scope = calloc(1, sizeof(*o->scope));
	if (o->scope == NULL)
		return CX_ENOMEM;
	for (i = 0; i < n && rc == CX_OK; i++) {
		const struct cx_run *r = in[i];
		char *note;
		if (r->started < o->started)
			o->started = r->started;
		if (r->finished > o->finished)
			o->finished = r->finished;
		o->complete &= r->complete != 0;
		o->degraded |= r->degraded;
		if (r->degraded_reason != NULL && o->degraded_reason == NULL)
			rc = set_str(&o->degraded_reason, r->degraded_reason);
		note = cx_asprintf("%s (vantage %s, host %s, %s)", run_name(r),
		                   r->vantage ? r->vantage : "not named",
		                   r->examiner_host ? r->examiner_host : "?",
		                   r->complete ? "complete" : "incomplete");
		if (rc == CX_OK)
			rc =
			    note ? cx_run_option(o, "merged", note) : CX_ENOMEM;
		free(note);
		/* Each run's options once (the shard and command stay in the
		 * runs merged). */
		for (j = 0; j < r->n_options && rc == CX_OK; j++) {
			const struct cx_prop *p = &r->options[j];
			char *k;
			if (strcmp(p->name, "command") == 0 ||
			    strcmp(p->name, "shard") == 0 ||
			    strcmp(p->name, "vantage") == 0)
				continue;
			k = cx_asprintf("%s=%s", p->name, p->value);
			if (k == NULL)
				rc = CX_ENOMEM;
			else if (smap_get(&opt, k) == NULL) {
				rc = smap_put(&opt, k, 0);
				if (rc == CX_OK)
					rc =
					    cx_run_option(o, p->name, p->value);
			}
			free(k);
		}
		for (j = 0; j < r->n_scope && rc == CX_OK; j++) {
			char **g;
			if (smap_get(&sc, r->scope[j]) != NULL)
				continue;
			g = realloc(o->scope, (o->n_scope + 2) * sizeof(*g));
			if (g == NULL) {
				rc = CX_ENOMEM;
				break;
			}
			o->scope = g;
			o->scope[o->n_scope] = cx_strdup(r->scope[j]);
			if (o->scope[o->n_scope] == NULL)
				rc = CX_ENOMEM;
			else
				rc = smap_put(&sc, r->scope[j], o->n_scope++);
		}
	}
	for (i = 0; i < a->n_basis && rc == CX_OK; i++) {
		if (cx_grow(&o->basis, &o->cap_basis, o->n_basis + 1,
		            sizeof(*o->basis))) {
			rc = CX_ENOMEM;
			break;
		}
		memset(&o->basis[o->n_basis], 0, sizeof(*o->basis));
		if (set_str(&o->basis[o->n_basis].name, a->basis[i].name) ||
		    set_str(&o->basis[o->n_basis].value, a->basis[i].value))
			rc = CX_ENOMEM;
		else
			o->n_basis++;
	}
	smap_free(&opt);
	smap_free(&sc);
	return rc;
}

static int one_run(struct merge *m, const struct cx_run *r)
{
	size_t i, j;
	int rc = copy_evidence(m, r);

	for (i = 0; i < r->n_hosts && rc == CX_OK; i++)
		rc = merge_host(m, &r->hosts[i],
		                r->hosts[i].vantage ? r->hosts[i].vantage
		                                    : r->vantage);
	for (i = 0; i < r->n_ports && rc == CX_OK; i++)
		rc = merge_port(m, &r->ports[i],
		                r->ports[i].vantage ? r->ports[i].vantage
		                                    : r->vantage);
	for (i = 0; i < r->n_obs && rc == CX_OK; i++) {
		const struct cx_observation *s = &r->obs[i];
		struct cx_observation *o =
		    cx_run_add_obs(m->out, s->kind, s->asset);
		const char *v = s->vantage ? s->vantage : r->vantage;
		if (o == NULL || set_str(&o->vantage, v)) {
			rc = CX_ENOMEM;
			break;
		}
		for (j = 0; j < s->n_props && rc == CX_OK; j++) {
			const char *val = s->props[j].value, *id = NULL;
			if (strstr(s->props[j].name, "evidence") != NULL)
				id = ev_id(m, val);
			rc = cx_obs_prop(o, s->props[j].name, id ? id : val);
		}
	}
	for (i = 0; i < r->n_findings && rc == CX_OK; i++)
		rc = merge_finding(m, &r->findings[i],
		                   r->findings[i].vantage
		                       ? r->findings[i].vantage
		                       : r->vantage);
	return rc;
}

static int addr_order(const char *a, const char *b)
{
	struct cx_addr x, y;

	if (cx_addr_parse(a, &x) == 0 && cx_addr_parse(b, &y) == 0)
		return cx_addr_cmp(&x, &y);
	return strcmp(a, b);
}

static int host_order(const void *pa, const void *pb)
{
	const struct cx_host_obs *a = pa, *b = pb;

	return addr_order(a->addr, b->addr);
}

static int port_order(const void *pa, const void *pb)
{
	const struct cx_port_obs *a = pa, *b = pb;
	int c =
	    strcmp(a->proto ? a->proto : "tcp", b->proto ? b->proto : "tcp");

	if (c == 0)
		c = addr_order(a->addr, b->addr);
	return c != 0 ? c : (a->port > b->port) - (a->port < b->port);
}

/* Hand the merged hosts, ports and findings to the run, in order. */
static int flush(struct merge *m)
{
	size_t i;
	int rc = CX_OK;

	if (m->n_hosts > 1)
		qsort(m->hosts, m->n_hosts, sizeof(*m->hosts), host_order);
	if (m->n_ports > 1)
		qsort(m->ports, m->n_ports, sizeof(*m->ports), port_order);
	for (i = 0; i < m->n_hosts && rc == CX_OK; i++)
		rc = cx_run_add_host(m->out, &m->hosts[i]);
	for (i = 0; i < m->n_ports && rc == CX_OK; i++)
		rc = cx_run_add_port(m->out, &m->ports[i], NULL);
	for (i = 0; i < m->n_finds && rc == CX_OK; i++)
		rc = cx_run_add_finding(m->out, &m->finds[i]);
	return rc;
}

static void merge_free(struct merge *m)
{
	size_t i;

	for (i = 0; i < m->n_hosts; i++)
		cx_host_obs_clear(&m->hosts[i]);
	for (i = 0; i < m->n_ports; i++)
		cx_port_obs_clear(&m->ports[i]);
	for (i = 0; i < m->n_finds; i++)
		cx_finding_clear(&m->finds[i]);
	free(m->hosts);
	free(m->ports);
	free(m->finds);
	smap_free(&m->host_ix);
	smap_free(&m->port_ix);
	smap_free(&m->find_ix);
	smap_free(&m->ev_seen);
	smap_free(&m->ev_map);
}

int cx_run_merge(struct cx_run *const *in, size_t n, const char *runs_dir,
                 int allow_incomplete, const char *command, struct cx_run **out,
                 struct cx_diags *d)
{
	struct merge m;
	size_t i;
	int rc;

	*out = NULL;
	memset(&m, 0, sizeof(m));
	m.d = d;
	rc = check_inputs(&m, in, n, allow_incomplete);
	for (i = 0; i < n && rc == CX_OK; i++)
		rc = cx_run_verify(in[i], d);
	if (rc)
		return rc;
	m.out = cx_run_new();
	if (m.out == NULL)
		return CX_ENOMEM;
	rc = meta(&m, in, n, command);
	if (rc == CX_OK) {
		rc = cx_run_place(m.out, runs_dir);
		if (rc)
			if (cx_diag_add(d, runs_dir, 0, NULL,
			                "cannot create the run folder (%s)",
			                cx_err_name(rc)) == CX_OK)
				(void)cx_diag_set_msg(
				    d, "pkg.merge.no-folder",
				    CX_ARGS("error", cx_err_name(rc)));
	}
	if (rc == CX_OK) {
		/* Readable at once, marked incomplete until the end. */
		int complete = m.out->complete;
		m.out->complete = 0;
		rc = cx_run_save(m.out);
		m.out->complete = complete;
		if (rc)
			goto out;
	}
	for (i = 0; i < n && rc == CX_OK; i++)
		rc = one_run(&m, in[i]);
	if (rc == CX_OK)
		rc = merge_checks(&m, in, n);
	if (rc == CX_OK)
		rc = flush(&m);
	if (rc != CX_OK)
		m.out->complete = 0;
	if (cx_run_save(m.out) != CX_OK && rc == CX_OK)
		rc = CX_EIO;
	if (rc == CX_OK) {
		*out = m.out;
		m.out = NULL;
	}
out:
	merge_free(&m);
	cx_run_free(m.out);
	return rc;
}
