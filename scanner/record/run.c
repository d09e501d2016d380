/*
 * certexam — the run record: building it in memory, storing evidence,
 * writing run.xml atomically, reading it back, and rendering it as JSON.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "certexam/error.h"
#include "certexam/escape.h"
#include "certexam/run.h"
#include "certexam/util.h"

#define RUN_NS "urn:certexam:run:1"

static void index_free(struct cx_run_index *x);

struct cx_run *cx_run_new(void)
{
	struct cx_run *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return NULL;
	r->kind = cx_strdup("examination");
	if (r->kind == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

void cx_run_free(struct cx_run *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->dir);
	free(r->kind);
	free(r->tool_version);
	free(r->profile_id);
	free(r->profile_version);
	free(r->object_name);
	free(r->object_type);
	free(r->case_dir);
	free(r->examiner_host);
	free(r->examiner_user);
	free(r->vantage);
	free(r->degraded_reason);
	for (i = 0; i < r->n_scope; i++)
		free(r->scope[i]);
	free(r->scope);
	cx_props_free(r->options, r->n_options);
	cx_props_free(r->basis, r->n_basis);
	cx_props_free(r->checks, r->n_checks);
	for (i = 0; i < r->n_hosts; i++)
		cx_host_obs_clear(&r->hosts[i]);
	free(r->hosts);
	for (i = 0; i < r->n_ports; i++)
		cx_port_obs_clear(&r->ports[i]);
	free(r->ports);
	for (i = 0; i < r->n_obs; i++)
		cx_observation_clear(&r->obs[i]);
	free(r->obs);
	for (i = 0; i < r->n_findings; i++)
		cx_finding_clear(&r->findings[i]);
	free(r->findings);
	for (i = 0; i < r->n_evidence; i++) {
		free(r->evidence[i].id);
		free(r->evidence[i].file);
		free(r->evidence[i].sha256);
		free(r->evidence[i].asset);
		free(r->evidence[i].kind);
		free(r->evidence[i].description);
	}
	free(r->evidence);
	index_free(r->index);
	free(r);
}

int cx_run_place(struct cx_run *run, const char *runs_dir)
{
	char name[16], *dir = NULL, *ev = NULL;
	int n, rc;

	rc = cx_mkdir_p(runs_dir);
	if (rc)
		return rc;
	for (n = 1; n <= 9999; n++) {
		snprintf(name, sizeof(name), "%04d", n);
		free(dir);
		dir = cx_path_join(runs_dir, name);
		if (dir == NULL)
			return CX_ENOMEM;
		if (mkdir(dir, 0755) == 0)
			break;
		if (errno != EEXIST) {
			free(dir);
			return CX_EIO;
		}
	}
	if (n > 9999) {
		free(dir);
		return CX_ELIMIT;
	}
	ev = cx_path_join(dir, "evidence");
	if (ev == NULL || mkdir(ev, 0755) != 0) {
		rc = ev == NULL ? CX_ENOMEM : CX_EIO;
		free(ev);
		rmdir(dir);
		free(dir);
		return rc;
	}
	free(ev);
	free(run->dir);
	run->dir = dir;
	run->number = n;
	return CX_OK;
}

int cx_run_option(struct cx_run *run, const char *name, const char *value)
{
	return cx_props_add(&run->options, &run->n_options, &run->cap_options,
	                    name, value);
}

/* The state codes and their messages (scan.state.*). */
static const struct {
	const char *code, *msg;
} state_msgs[] = {
    {CX_STATE_DONE, "scan.state.done"},
    {CX_STATE_INTERRUPTED, "scan.state.interrupted"},
    {CX_STATE_SKIPPED_ONLY, "scan.state.skipped-only"},
    {CX_STATE_SKIPPED_INTRUSIVE, "scan.state.skipped-intrusive"},
    {CX_STATE_SKIPPED_SHARD, "scan.state.skipped-shard"},
    {CX_STATE_NOT_APPLICABLE, "scan.state.not-applicable"},
    {CX_STATE_FAILED, "scan.state.failed"},
};

const char *cx_check_state_msg(const char *state, size_t *code_len,
                               const char **error)
{
	size_t i, n;

	*error = NULL;
	*code_len = 0;
	if (state == NULL)
		return NULL;
	n = strcspn(state, ":");
	for (i = 0; i < CX_ARRAY_LEN(state_msgs); i++)
		if (strlen(state_msgs[i].code) == n &&
		    strncmp(state, state_msgs[i].code, n) == 0) {
			*code_len = n;
			if (state[n] == ':')
				*error = state + n + 1;
			return state_msgs[i].msg;
		}
	return NULL;
}

int cx_run_check_rc(struct cx_run *run, const char *check, int rc,
                    int enotsup_na)
{
	char state[64];

	if (rc == CX_OK)
		return cx_run_check_state(run, check, CX_STATE_DONE);
	if (rc == CX_EINTR)
		return cx_run_check_state(run, check, CX_STATE_INTERRUPTED);
	if (rc == CX_ENOTSUP && enotsup_na)
		return cx_run_check_state(run, check, CX_STATE_NOT_APPLICABLE);
	snprintf(state, sizeof(state), "%s:%s", CX_STATE_FAILED,
	         cx_err_name(rc));
	return cx_run_check_state(run, check, state);
}

int cx_run_check_state(struct cx_run *run, const char *check, const char *state)
{
	size_t i;
	char *v;

	for (i = 0; i < run->n_checks; i++) {
		if (strcmp(run->checks[i].name, check) == 0) {
			v = cx_strdup(state);
			if (v == NULL)
				return CX_ENOMEM;
			free(run->checks[i].value);
			run->checks[i].value = v;
			return CX_OK;
		}
	}
	return cx_props_add(&run->checks, &run->n_checks, &run->cap_checks,
	                    check, state);
}

int cx_run_add_host(struct cx_run *run, const struct cx_host_obs *h)
{
	struct cx_host_obs *d;

	if (cx_grow(&run->hosts, &run->cap_hosts, run->n_hosts + 1,
	            sizeof(*run->hosts)))
		return CX_ENOMEM;
	d = &run->hosts[run->n_hosts];
	memset(d, 0, sizeof(*d));
	d->addr = cx_strdup(h->addr);
	d->names = cx_strdup(h->names);
	d->up = h->up;
	d->vantage = cx_strdup(h->vantage);
	if (d->addr == NULL || (h->names != NULL && d->names == NULL) ||
	    (h->vantage != NULL && d->vantage == NULL)) {
		cx_host_obs_clear(d);
		return CX_ENOMEM;
	}
	run->n_hosts++;
	return CX_OK;
}

int cx_run_add_port(struct cx_run *run, const struct cx_port_obs *p,
                    size_t *idx)
{
	struct cx_port_obs *d;

	if (cx_grow(&run->ports, &run->cap_ports, run->n_ports + 1,
	            sizeof(*run->ports)))
		return CX_ENOMEM;
	d = &run->ports[run->n_ports];
	memset(d, 0, sizeof(*d));
	d->addr = cx_strdup(p->addr);
	d->port = p->port;
	d->proto = cx_strdup(p->proto ? p->proto : "tcp");
	d->state = p->state;
	d->reason = cx_strdup(p->reason);
	d->service = cx_strdup(p->service);
	d->product = cx_strdup(p->product);
	d->version = cx_strdup(p->version);
	d->extra = cx_strdup(p->extra);
	d->tls = p->tls;
	d->inner = cx_strdup(p->inner);
	d->evidence = cx_strdup(p->evidence);
	d->declared = p->declared;
	d->vantage = cx_strdup(p->vantage);
	if (d->addr == NULL || d->proto == NULL ||
	    (p->vantage != NULL && d->vantage == NULL)) {
		cx_port_obs_clear(d);
		return CX_ENOMEM;
	}
	if (idx != NULL)
		*idx = run->n_ports;
	run->n_ports++;
	return CX_OK;
}

struct cx_observation *cx_run_add_obs(struct cx_run *run, const char *kind,
                                      const char *asset)
{
	struct cx_observation *o;

	if (cx_grow(&run->obs, &run->cap_obs, run->n_obs + 1,
	            sizeof(*run->obs)))
		return NULL;
	o = &run->obs[run->n_obs];
	memset(o, 0, sizeof(*o));
	o->kind = cx_strdup(kind);
	o->asset = cx_strdup(asset ? asset : "");
	if (o->kind == NULL || o->asset == NULL) {
		cx_observation_clear(o);
		return NULL;
	}
	run->n_obs++;
	return o;
}

/*
 * The run's index (redis-dict style open addressing): finding keys and
 * ports by addr:port/proto, so that adding 65,535 findings or looking up
 * a port is constant time.  Slots hold index + 1 (0 = empty).  Entries
 * appended since the last lookup are indexed on the next one.
 */
struct table {
	size_t *slot;
	size_t cap;   /* a power of two, or 0 */
	size_t count; /* entries indexed: 0 .. count-1 */
};

struct cx_run_index {
	struct table keys;  /* run->findings by key */
	struct table ports; /* run->ports by addr, port, proto */
};

static uint64_t hash_str(uint64_t h, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

#define HASH_SEED 14695981039346656037ULL

static uint64_t key_hash(const char *key)
{
	return hash_str(HASH_SEED, key);
}

static uint64_t port_hash(const char *addr, int port, const char *proto)
{
	uint64_t h = hash_str(HASH_SEED, addr);

	h = (h ^ (uint64_t)(unsigned)port) * 1099511628211ULL;
	return hash_str(h, proto ? proto : "tcp");
}

static void table_put(struct table *t, uint64_t h, size_t idx)
{
	size_t m = t->cap - 1, i = (size_t)h & m;

	while (t->slot[i] != 0)
		i = (i + 1) & m;
	t->slot[i] = idx + 1;
}

static uint64_t finding_hash(const struct cx_run *run, size_t i)
{
	return key_hash(run->findings[i].key);
}

static uint64_t port_obs_hash(const struct cx_run *run, size_t i)
{
	const struct cx_port_obs *p = &run->ports[i];

	return port_hash(p->addr, p->port, p->proto);
}

/* Bring t up to n entries (rebuilding when it must grow). */
static int table_sync(const struct cx_run *run, struct table *t, size_t n,
                      uint64_t (*hash)(const struct cx_run *, size_t))
{
	size_t i, ncap;
	size_t *ns;

	if (t->count == n && t->cap > 0)
		return CX_OK;
	if (n * 2 >= t->cap) {
		for (ncap = t->cap ? t->cap : 64; ncap <= n * 2; ncap *= 2)
			;
		ns = calloc(ncap, sizeof(*ns));
		if (ns == NULL)
			return CX_ENOMEM;
		free(t->slot);
		t->slot = ns;
		t->cap = ncap;
		t->count = 0;
	}
	for (i = t->count; i < n; i++)
		table_put(t, hash(run, i), i);
	t->count = n;
	return CX_OK;
}

static struct cx_run_index *run_index(const struct cx_run *run)
{
	struct cx_run *r = (struct cx_run *)run; /* the index is a cache */

	if (r->index == NULL)
		r->index = calloc(1, sizeof(*r->index));
	return r->index;
}

static void index_free(struct cx_run_index *x)
{
	if (x == NULL)
		return;
	free(x->keys.slot);
	free(x->ports.slot);
	free(x);
}

/* 1 if a finding has this key, 0 if not, -1 on ENOMEM. */
static int key_taken(const struct cx_run *run, const char *key)
{
	struct cx_run_index *x = run_index(run);
	size_t m, i, k;

	if (x == NULL ||
	    table_sync(run, &x->keys, run->n_findings, finding_hash) != CX_OK)
		return -1;
	m = x->keys.cap - 1;
	for (i = (size_t)key_hash(key) & m; (k = x->keys.slot[i]) != 0;
	     i = (i + 1) & m)
		if (strcmp(run->findings[k - 1].key, key) == 0)
			return 1;
	return 0;
}

int cx_run_add_finding(struct cx_run *run, const struct cx_finding *f)
{
	struct cx_finding *d;
	char *key, *alt;
	int k, taken;

	if (cx_grow(&run->findings, &run->cap_findings, run->n_findings + 1,
	            sizeof(*run->findings)))
		return CX_ENOMEM;
	key = f->key ? cx_strdup(f->key)
	             : cx_finding_key(f->check, f->req_id, f->asset, f->item);
	if (key == NULL)
		return CX_ENOMEM;
	for (k = 2; (taken = key_taken(run, key)) == 1; k++) {
		alt = cx_asprintf("%s#%d", key, k);
		if (alt == NULL) {
			free(key);
			return CX_ENOMEM;
		}
		taken = key_taken(run, alt);
		if (taken == 0) {
			free(key);
			key = alt;
			break;
		}
		free(alt);
		if (taken < 0)
			break;
	}
	if (taken < 0) {
		free(key);
		return CX_ENOMEM;
	}
	d = &run->findings[run->n_findings];
	if (cx_finding_copy(d, f)) {
		free(key);
		return CX_ENOMEM;
	}
	free(d->key);
	d->key = key;
	run->n_findings++;
	return CX_OK;
}

/* A file-name-safe copy of kind: [a-z0-9-] only, at most 32 chars. */
static void safe_kind(const char *kind, char *out, size_t outsz)
{
	size_t i, j = 0;
	char c;

	for (i = 0; kind && kind[i] && j + 1 < outsz && j < 32; i++) {
		c = kind[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-')
			out[j++] = c;
		else if (c >= 'A' && c <= 'Z')
			out[j++] = (char)(c + 32);
		else
			out[j++] = '-';
	}
	if (j == 0 && outsz > 4) {
		memcpy(out, "data", 4);
		j = 4;
	}
	out[j] = '\0';
}

int cx_run_add_evidence(struct cx_run *run, const char *asset, const char *kind,
                        const char *description, const void *data, size_t len,
                        const char **id_out)
{
	struct cx_evidence *e;
	char id[16], k[40], hex[65], *rel = NULL, *path = NULL;
	int rc;

	if (run->dir == NULL)
		return CX_EINVAL;
	if (cx_grow(&run->evidence, &run->cap_evidence, run->n_evidence + 1,
	            sizeof(*run->evidence)))
		return CX_ENOMEM;
	snprintf(id, sizeof(id), "E%04zu", run->n_evidence + 1);
	safe_kind(kind, k, sizeof(k));
	rel = cx_asprintf("evidence/%s-%s.bin", id, k);
	path = rel ? cx_path_join(run->dir, rel) : NULL;
	if (path == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	rc = cx_write_file_atomic(path, data, len);
	if (rc)
		goto out;
	cx_sha256_hex(data, len, hex);
	e = &run->evidence[run->n_evidence];
	memset(e, 0, sizeof(*e));
	e->id = cx_strdup(id);
	e->file = rel;
	rel = NULL;
	e->sha256 = cx_strdup(hex);
	e->size = len;
	e->asset = cx_strdup(asset ? asset : "");
	e->kind = cx_strdup(kind ? kind : "data");
	e->description = cx_strdup(description ? description : "");
	if (e->id == NULL || e->sha256 == NULL || e->asset == NULL ||
	    e->kind == NULL || e->description == NULL) {
		free(e->id);
		free(e->file);
		free(e->sha256);
		free(e->asset);
		free(e->kind);
		free(e->description);
		rc = CX_ENOMEM;
		goto out;
	}
	run->n_evidence++;
	if (id_out != NULL)
		*id_out = e->id;
out:
	free(rel);
	free(path);
	return rc;
}

void cx_run_counts(const struct cx_run *run, size_t by_status[CX__STATUS_COUNT],
                   size_t by_sev[CX__SEV_COUNT])
{
	size_t i;
	const struct cx_finding *f;

	memset(by_status, 0, sizeof(size_t) * CX__STATUS_COUNT);
	memset(by_sev, 0, sizeof(size_t) * CX__SEV_COUNT);
	for (i = 0; i < run->n_findings; i++) {
		f = &run->findings[i];
		if ((unsigned)f->status < CX__STATUS_COUNT)
			by_status[f->status]++;
		if (f->status == CX_FAIL &&
		    (unsigned)f->severity < CX__SEV_COUNT)
			by_sev[f->severity]++;
	}
}

struct cx_port_obs *cx_run_find_port(const struct cx_run *run, const char *addr,
                                     int port, const char *proto)
{
	struct cx_run_index *x = run_index(run);
	const struct cx_port_obs *p;
	size_t m, i, k;

	if (addr == NULL)
		return NULL;
	if (x == NULL ||
	    table_sync(run, &x->ports, run->n_ports, port_obs_hash) != CX_OK) {
		/* no memory for the index: the plain walk */
		for (i = 0; i < run->n_ports; i++)
			if (run->ports[i].port == port &&
			    strcmp(run->ports[i].addr, addr) == 0 &&
			    strcmp(run->ports[i].proto,
			           proto ? proto : "tcp") == 0)
				return &run->ports[i];
		return NULL;
	}
	m = x->ports.cap - 1;
	for (i = (size_t)port_hash(addr, port, proto) & m;
	     (k = x->ports.slot[i]) != 0; i = (i + 1) & m) {
		p = &run->ports[k - 1];
		if (p->port == port && strcmp(p->addr, addr) == 0 &&
		    strcmp(p->proto ? p->proto : "tcp",
		           proto ? proto : "tcp") == 0)
			return &run->ports[k - 1];
	}
	return NULL;
}

/* ---- Writing run.xml ---- */

/*
 * value, escaped for XML, cut at CX_RUN_MAX_FIELD bytes (a character
 * boundary) and then marked (CX_RUN_CUT_MARK).
 */
static int xtext(struct cx_buf *b, const char *value)
{
	size_t len, cut;
	char *head;
	int rc;

	if (value == NULL)
		return CX_OK;
	len = strlen(value);
	if (len <= CX_RUN_MAX_FIELD)
		return cx_esc_xml(b, value);
	cut = CX_RUN_MAX_FIELD;
	while (cut > 0 && ((unsigned char)value[cut] & 0xC0) == 0x80)
		cut--; /* value[cut] starts a character: cut before it */
	head = cx_strndup(value, cut);
	if (head == NULL)
		return CX_ENOMEM;
	rc = cx_esc_xml(b, head);
	free(head);
	if (rc == CX_OK)
		rc = cx_buf_printf(b, CX_RUN_CUT_MARK, cut, len);
	return rc;
}

static int xattr(struct cx_buf *b, const char *name, const char *value)
{
	int rc;

	if (value == NULL)
		return CX_OK;
	rc = cx_buf_printf(b, " %s=\"", name);
	if (rc == CX_OK)
		rc = xtext(b, value);
	if (rc == CX_OK)
		rc = cx_buf_putc(b, '"');
	return rc;
}

static int xattri(struct cx_buf *b, const char *name, long v)
{
	return cx_buf_printf(b, " %s=\"%ld\"", name, v);
}

static int xattrb(struct cx_buf *b, const char *name, int v)
{
	return cx_buf_printf(b, " %s=\"%s\"", name, v ? "true" : "false");
}

static int xelem(struct cx_buf *b, const char *indent, const char *name,
                 const char *text)
{
	int rc;

	if (text == NULL)
		return CX_OK;
	rc = cx_buf_printf(b, "%s<%s>", indent, name);
	if (rc == CX_OK)
		rc = xtext(b, text);
	if (rc == CX_OK)
		rc = cx_buf_printf(b, "</%s>\n", name);
	return rc;
}

static int xprops(struct cx_buf *b, const char *outer, const char *inner,
                  const char *kname, const char *vname, const struct cx_prop *p,
                  size_t n)
{
	size_t i;
	int rc = cx_buf_printf(b, "  <%s>\n", outer);

	for (i = 0; i < n && rc == CX_OK; i++) {
		rc = cx_buf_printf(b, "    <%s", inner);
		if (rc == CX_OK)
			rc = xattr(b, kname, p[i].name);
		if (rc == CX_OK)
			rc = xattr(b, vname, p[i].value);
		if (rc == CX_OK)
			rc = cx_buf_puts(b, "/>\n");
	}
	if (rc == CX_OK)
		rc = cx_buf_printf(b, "  </%s>\n", outer);
	return rc;
}

/*
 * <checks>: a state code as state="code" msg="scan.state.code" with its
 * error="..." parameter; any other text (a state merged or set by a
 * caller) as recorded.
 */
static int xchecks(struct cx_buf *b, const struct cx_prop *p, size_t n)
{
	const char *msg, *err;
	size_t i, len;
	int rc = cx_buf_puts(b, "  <checks>\n");
	char code[32];

	for (i = 0; i < n && rc == CX_OK; i++) {
		msg = cx_check_state_msg(p[i].value, &len, &err);
		rc = cx_buf_puts(b, "    <check");
		if (rc == CX_OK)
			rc = xattr(b, "id", p[i].name);
		if (msg == NULL || len >= sizeof(code)) {
			if (rc == CX_OK)
				rc = xattr(b, "state", p[i].value);
		} else {
			memcpy(code, p[i].value, len);
			code[len] = '\0';
			if (rc == CX_OK)
				rc = xattr(b, "state", code);
			if (rc == CX_OK)
				rc = xattr(b, "msg", msg);
			if (rc == CX_OK && err != NULL)
				rc = xattr(b, "error", err);
		}
		if (rc == CX_OK)
			rc = cx_buf_puts(b, "/>\n");
	}
	if (rc == CX_OK)
		rc = cx_buf_puts(b, "  </checks>\n");
	return rc;
}

/* All writes go to one buffer; an allocation failure sticks in rc. */
#define W(expr)                                                                \
	do {                                                                   \
		if (rc == CX_OK)                                               \
			rc = (expr);                                           \
	} while (0)

/*
 * Where cx_run_save streams the record: the buffer is written out each
 * time it holds more than SINK_CHUNK bytes, so memory stays bounded.
 */
#define SINK_CHUNK ((size_t)256 * 1024)

struct sink {
	int fd;
	unsigned long long written;
};

static int sink_flush(struct sink *s, struct cx_buf *b)
{
	const char *p = b->data;
	size_t len = b->len;
	ssize_t n;

	s->written += len;
	if (s->written > CX_RUN_MAX_XML)
		return CX_ELIMIT;
	while (len > 0) {
		n = write(s->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return CX_EIO;
		p += n;
		len -= (size_t)n;
	}
	b->len = 0;
	return CX_OK;
}

/* After each item: hand a full buffer to the sink (if any). */
#define FLUSH()                                                                \
	do {                                                                   \
		if (rc == CX_OK && sink != NULL && b->len >= SINK_CHUNK)       \
			rc = sink_flush(sink, b);                              \
	} while (0)

static int run_write(const struct cx_run *run, struct cx_buf *b,
                     struct sink *sink)
{
	char t1[32], t2[32];
	size_t i, j;
	int rc = CX_OK;

	cx_iso8601(run->started, t1, sizeof(t1));
	cx_iso8601(run->finished, t2, sizeof(t2));
	W(cx_buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
	W(cx_buf_puts(b, "<run xmlns=\"" RUN_NS "\""));
	W(xattri(b, "number", run->number));
	W(xattr(b, "kind", run->kind ? run->kind : "examination"));
	W(xattri(b, "baseline", run->baseline));
	W(xattrb(b, "complete", run->complete));
	W(xattrb(b, "degraded", run->degraded));
	W(cx_buf_puts(b, ">\n"));
	W(cx_buf_puts(b, "  <tool name=\"certexam\""));
	W(xattr(b, "version", run->tool_version ? run->tool_version : ""));
	W(cx_buf_puts(b, "/>\n  <profile"));
	W(xattr(b, "id", run->profile_id ? run->profile_id : ""));
	W(xattr(b, "version",
	        run->profile_version ? run->profile_version : ""));
	W(cx_buf_puts(b, "/>\n"));
	if (run->object_name || run->object_type || run->case_dir) {
		W(cx_buf_puts(b, "  <object"));
		W(xattr(b, "name", run->object_name));
		W(xattr(b, "type", run->object_type));
		W(xattr(b, "case", run->case_dir));
		W(cx_buf_puts(b, "/>\n"));
	}
	W(cx_buf_puts(b, "  <examiner"));
	W(xattr(b, "host", run->examiner_host ? run->examiner_host : ""));
	W(xattr(b, "user", run->examiner_user));
	W(xattr(b, "vantage", run->vantage));
	W(cx_buf_puts(b, "/>\n  <time"));
	W(xattr(b, "started", t1));
	if (run->finished)
		W(xattr(b, "finished", t2));
	W(cx_buf_puts(b, "/>\n"));
	if (run->degraded_reason)
		W(xelem(b, "  ", "degraded-reason", run->degraded_reason));
	W(cx_buf_puts(b, "  <scope>\n"));
	for (i = 0; i < run->n_scope; i++) {
		W(xelem(b, "    ", "entry", run->scope[i]));
		FLUSH();
	}
	W(cx_buf_puts(b, "  </scope>\n"));
	W(xprops(b, "options", "option", "name", "value", run->options,
	         run->n_options));
	W(xprops(b, "basis", "document", "id", "title", run->basis,
	         run->n_basis));
	W(xchecks(b, run->checks, run->n_checks));
	W(cx_buf_puts(b, "  <hosts>\n"));
	for (i = 0; i < run->n_hosts; i++) {
		W(cx_buf_puts(b, "    <host"));
		W(xattr(b, "addr", run->hosts[i].addr));
		W(xattr(b, "names", run->hosts[i].names));
		W(xattrb(b, "up", run->hosts[i].up));
		W(xattr(b, "vantage", run->hosts[i].vantage));
		W(cx_buf_puts(b, "/>\n"));
		FLUSH();
	}
	W(cx_buf_puts(b, "  </hosts>\n  <ports>\n"));
	for (i = 0; i < run->n_ports; i++) {
		const struct cx_port_obs *p = &run->ports[i];
		W(cx_buf_puts(b, "    <port"));
		W(xattr(b, "addr", p->addr));
		W(xattri(b, "port", p->port));
		W(xattr(b, "proto", p->proto));
		W(xattr(b, "state", cx_port_state_name(p->state)));
		W(xattr(b, "reason", p->reason));
		W(xattr(b, "service", p->service));
		W(xattr(b, "product", p->product));
		W(xattr(b, "version", p->version));
		W(xattr(b, "extra", p->extra));
		W(xattrb(b, "tls", p->tls));
		W(xattr(b, "inner", p->inner));
		W(xattr(b, "evidence", p->evidence));
		W(xattrb(b, "declared", p->declared));
		W(xattr(b, "vantage", p->vantage));
		W(cx_buf_puts(b, "/>\n"));
		FLUSH();
	}
	W(cx_buf_puts(b, "  </ports>\n  <observations>\n"));
	for (i = 0; i < run->n_obs; i++) {
		const struct cx_observation *o = &run->obs[i];
		W(cx_buf_puts(b, "    <observation"));
		W(xattr(b, "kind", o->kind));
		W(xattr(b, "asset", o->asset));
		W(xattr(b, "vantage", o->vantage));
		W(cx_buf_puts(b, ">\n"));
		for (j = 0; j < o->n_props; j++) {
			W(cx_buf_puts(b, "      <prop"));
			W(xattr(b, "name", o->props[j].name));
			W(cx_buf_putc(b, '>'));
			W(xtext(b, o->props[j].value));
			W(cx_buf_puts(b, "</prop>\n"));
		}
		W(cx_buf_puts(b, "    </observation>\n"));
		FLUSH();
	}
	W(cx_buf_puts(b, "  </observations>\n  <findings>\n"));
	for (i = 0; i < run->n_findings; i++) {
		const struct cx_finding *f = &run->findings[i];
		W(cx_buf_puts(b, "    <finding"));
		W(xattr(b, "key", f->key));
		W(xattr(b, "check", f->check));
		W(xattr(b, "requirement", f->req_id));
		W(xattr(b, "block", f->block));
		W(xattr(b, "asset", f->asset));
		W(xattr(b, "item", f->item));
		W(xattr(b, "status", cx_status_name(f->status)));
		W(xattr(b, "severity", cx_severity_name(f->severity)));
		W(xattr(b, "certainty", cx_certainty_name(f->certainty)));
		W(xattr(b, "kind", f->req_kind));
		W(xattr(b, "msg", f->msg));
		W(xattr(b, "vantage", f->vantage));
		W(cx_buf_puts(b, ">\n"));
		W(xelem(b, "      ", "requirement-text", f->req_text));
		W(xelem(b, "      ", "source", f->req_source));
		W(xelem(b, "      ", "title", f->title));
		W(xelem(b, "      ", "observed", f->observed));
		W(xelem(b, "      ", "recommendation", f->recommendation));
		/* How it was determined: the message id with its
		 * parameters; an old run's English text as it was. */
		if (f->method_msg != NULL) {
			W(cx_buf_puts(b, "      <method"));
			W(xattr(b, "msg", f->method_msg));
			W(cx_buf_puts(b, f->n_method_args ? ">\n" : "/>\n"));
			for (j = 0; j < f->n_method_args; j++) {
				const struct cx_prop *a = &f->method_args[j];

				W(cx_buf_puts(b, "        <arg"));
				W(xattr(b, "name", a->name));
				W(cx_buf_putc(b, '>'));
				W(xtext(b, a->value ? a->value : ""));
				W(cx_buf_puts(b, "</arg>\n"));
			}
			if (f->n_method_args)
				W(cx_buf_puts(b, "      </method>\n"));
		} else {
			W(xelem(b, "      ", "method", f->method));
		}
		for (j = 0; j < f->n_args; j++) {
			W(cx_buf_puts(b, "      <arg"));
			W(xattr(b, "name", f->args[j].name));
			W(cx_buf_putc(b, '>'));
			W(xtext(b, f->args[j].value ? f->args[j].value : ""));
			W(cx_buf_puts(b, "</arg>\n"));
		}
		for (j = 0; j < f->n_evidence; j++) {
			W(cx_buf_puts(b, "      <evidence"));
			W(xattr(b, "ref", f->evidence[j]));
			W(cx_buf_puts(b, "/>\n"));
		}
		W(cx_buf_puts(b, "    </finding>\n"));
		FLUSH();
	}
	W(cx_buf_puts(b, "  </findings>\n  <evidence>\n"));
	for (i = 0; i < run->n_evidence; i++) {
		const struct cx_evidence *e = &run->evidence[i];
		W(cx_buf_puts(b, "    <file"));
		W(xattr(b, "id", e->id));
		W(xattr(b, "path", e->file));
		W(xattr(b, "sha256", e->sha256));
		W(xattri(b, "size", (long)e->size));
		W(xattr(b, "asset", e->asset));
		W(xattr(b, "kind", e->kind));
		W(cx_buf_putc(b, '>'));
		W(xtext(b, e->description));
		W(cx_buf_puts(b, "</file>\n"));
		FLUSH();
	}
	W(cx_buf_puts(b, "  </evidence>\n</run>\n"));
	return rc;
}

int cx_run_to_xml(const struct cx_run *run, struct cx_buf *b)
{
	return run_write(run, b, NULL);
}

int cx_run_save(const struct cx_run *run)
{
	struct cx_buf b = {0};
	struct sink sink = {-1, 0};
	char *path = NULL, *tmp = NULL;
	int rc;

	if (run->dir == NULL)
		return CX_EINVAL;
	path = cx_path_join(run->dir, "run.xml");
	tmp = path ? cx_asprintf("%s.tmp.%ld", path, (long)getpid()) : NULL;
	if (tmp == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	sink.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (sink.fd < 0) {
		rc = errno == ENOENT ? CX_ENOENT : CX_EIO;
		goto out;
	}
	rc = run_write(run, &b, &sink);
	if (rc == CX_OK)
		rc = sink_flush(&sink, &b);
	if (rc == CX_OK && fsync(sink.fd) != 0)
		rc = CX_EIO;
	if (close(sink.fd) != 0 && rc == CX_OK)
		rc = CX_EIO;
	sink.fd = -1;
	if (rc == CX_OK && rename(tmp, path) != 0)
		rc = CX_EIO;
	if (rc != CX_OK)
		unlink(tmp);
out:
	cx_buf_free(&b);
	free(tmp);
	free(path);
	return rc;
}
