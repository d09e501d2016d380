/*
 * certexam — the http check's entry point and its resources.
 *
 * Owns the list of web resources (the URLs the scope declares and every
 * HTTP/HTTPS service the engine found, each reviewed once, under a
 * declared host name only where that name is served: a URL's name on the
 * URL's own port, a host entry's name on every port), the links
 * between them once their chains are known (an http resource judged on
 * the https resource it redirects to, one resource answering for an
 * origin), and http_run(): it starts every resource's request state
 * machine (http_request.c) on the shared event loop, bounds the run with
 * a guard timer, and then evaluates every resource, http ones first
 * (http_eval.c).  The check table entry cx_check_http is defined here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "certexam/check.h"
#include "certexam/escape.h"
#include "certexam/util.h"
#include "certexam/loop.h"
#include "http_int.h"

#define BODY_MAX     (1024 * 1024)
#define MAX_INFLIGHT 32

/* Randomness for baseline paths and origins (not security-critical). */
static void random_hex(char *out, size_t n_hex)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	size_t i, got = 0;
	int fd;
	uint64_t x;

	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t r = read(fd, b, sizeof(b));

		got = r > 0 ? (size_t)r : 0;
		close(fd);
	}
	x = cx_now_ms() ^ ((uint64_t)getpid() << 32);
	for (i = got; i < sizeof(b); i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		b[i] = (unsigned char)(x >> 56);
	}
	for (i = 0; i < n_hex; i++)
		out[i] =
		    hex[(b[(i / 2) % sizeof(b)] >> ((i % 2) ? 0 : 4)) & 0xf];
	out[n_hex] = '\0';
}

static void res_free(struct res *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n_d; i++) {
		http_req_free(r->d[i].req);
		http_head_clear(&r->d[i].head);
		free(r->d[i].evid);
	}
	free(r->d);
	free(r->url);
	free(r->delegate);
	free(r->origin_owner);
	free(r->host);
	free(r->path);
	free(r->chain_note);
	free(r->offsite);
	free(r->final_url);
	free(r->final_host);
	free(r->final_path);
	free(r);
}

/* Resource list. */

/* FNV-1a over the scheme, port, lower-case host and (optionally) path:
 * the key of the resource indexes (no scan of every resource). */
static size_t res_hash(int https, int port, const char *host, const char *path)
{
	size_t h = 2166136261u;
	const char *s;

	h = (h ^ (size_t)(https ? 1 : 0)) * 16777619u;
	h = (h ^ (size_t)port) * 16777619u;
	for (s = host; s != NULL && *s; s++) {
		char c = *s >= 'A' && *s <= 'Z' ? (char)(*s + 32) : *s;
		h = (h ^ (unsigned char)c) * 16777619u;
	}
	for (s = path; s != NULL && *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* One open-addressing table of positions (+1) of st->res. */
struct res_table {
	size_t *slot;
	size_t cap; /* a power of two */
};

static int table_init(struct res_table *t, size_t n)
{
	for (t->cap = 16; t->cap < 2 * n + 2; t->cap *= 2)
		;
	t->slot = calloc(t->cap, sizeof(*t->slot));
	return t->slot != NULL ? CX_OK : CX_ENOMEM;
}

/* The resource already listed with the same scheme, port, host and path,
 * or NULL; the index grows with the list (amortised constant). */
static struct res *res_lookup(struct state *st, int https, int port,
                              const char *host, const char *path)
{
	size_t i;

	if (st->res_slot == NULL)
		return NULL;
	for (i = res_hash(https, port, host, path) & (st->cap_slot - 1);
	     st->res_slot[i] != 0; i = (i + 1) & (st->cap_slot - 1)) {
		struct res *o = st->res[st->res_slot[i] - 1];

		if (o->https == https && o->port == port &&
		    cx_strcaseeq(o->host, host) && strcmp(o->path, path) == 0)
			return o;
	}
	return NULL;
}

static void slot_put(size_t *slot, size_t cap, size_t h, size_t pos)
{
	size_t i;

	for (i = h & (cap - 1); slot[i] != 0; i = (i + 1) & (cap - 1))
		;
	slot[i] = pos + 1;
}

/* Index st->res[pos] (just appended). */
static int res_index_add(struct state *st, size_t pos)
{
	size_t i;

	if (2 * (st->n_res + 1) > st->cap_slot) {
		struct res_table t;

		if (table_init(&t, 2 * st->n_res + 16) != CX_OK)
			return CX_ENOMEM;
		for (i = 0; i < pos; i++)
			slot_put(t.slot, t.cap,
			         res_hash(st->res[i]->https, st->res[i]->port,
			                  st->res[i]->host, st->res[i]->path),
			         i);
		free(st->res_slot);
		st->res_slot = t.slot;
		st->cap_slot = t.cap;
	}
	slot_put(st->res_slot, st->cap_slot,
	         res_hash(st->res[pos]->https, st->res[pos]->port,
	                  st->res[pos]->host, st->res[pos]->path),
	         pos);
	return CX_OK;
}

static int add_res(struct state *st, const char *url)
{
	struct res *r;
	char *host = NULL, *path = NULL;
	int https, port, rc;

	rc = http_url_split(url, &https, &host, &port, &path);
	if (rc != CX_OK)
		return rc;
	/* The same resource written two ways ("https://a/" from the scope,
	 * "https://a:443/" from the port scan) is reviewed once. */
	if (res_lookup(st, https, port, host, path) != NULL) {
		free(host);
		free(path);
		return CX_OK;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		free(host);
		free(path);
		return CX_ENOMEM;
	}
	r->st = st;
	r->url = cx_strdup(url);
	r->path = path;
	r->host = host;
	r->https = https;
	r->port = port;
	r->budget =
	    st->ctx->opts->http_budget > 0 ? st->ctx->opts->http_budget : 200;
	random_hex(r->rnd, 32);
	if (r->url == NULL ||
	    cx_grow(&st->res, &st->cap_res, st->n_res + 1, sizeof(*st->res))) {
		res_free(r);
		return CX_ENOMEM;
	}
	st->res[st->n_res++] = r;
	return res_index_add(st, st->n_res - 1);
}

/* The first declared host name of addr served on port (a URL's name on
 * the URL's own port, a host entry's on every port), or NULL.  Borrowed. */
static const char *name_for(const struct cx_scope *s, const struct cx_addr *a,
                            int port)
{
	size_t i;

	for (i = 0; i < s->n_blocks; i++)
		if (s->blocks[i].hostname != NULL &&
		    (s->blocks[i].name_port == 0 ||
		     s->blocks[i].name_port == port) &&
		    cx_addr_cmp(&s->blocks[i].first, a) == 0 &&
		    cx_addr_cmp(&s->blocks[i].last, a) == 0)
			return s->blocks[i].hostname;
	return NULL;
}

static int collect(struct state *st)
{
	const struct cx_scope *s = st->ctx->scope;
	const struct cx_run *run = st->ctx->run;
	struct cx_addr a;
	const char *name;
	char *u;
	size_t i;
	int rc = CX_OK, https;

	for (i = 0; s != NULL && i < s->n_urls; i++) {
		rc = add_res(st, s->urls[i]);
		if (rc == CX_ENOMEM)
			goto out;
	}
	rc = CX_OK;
	for (i = 0; i < run->n_ports; i++) {
		const struct cx_port_obs *p = &run->ports[i];

		if (p->state != CX_PORT_OPEN || p->proto == NULL ||
		    strcmp(p->proto, "tcp") != 0)
			continue;
		if (p->service != NULL && cx_strcaseeq(p->service, "https"))
			https = 1;
		else if (p->tls && p->inner != NULL &&
		         cx_strcaseeq(p->inner, "http"))
			https = 1;
		else if (p->service != NULL && cx_strcaseeq(p->service, "http"))
			https = p->tls ? 1 : 0;
		else
			continue;
		if (cx_addr_parse(p->addr, &a) != CX_OK)
			continue;
		name = s != NULL ? name_for(s, &a, p->port) : NULL;
		u = http_origin_url(https, name ? name : p->addr, p->port, "/");
		if (u == NULL) {
			rc = CX_ENOMEM;
			goto out;
		}
		rc = add_res(st, u);
		free(u);
		if (rc == CX_ENOMEM)
			goto out;
		rc = CX_OK;
	}
out:
	return rc;
}

/* The first resource of t with this scheme, port and host (by final
 * address when final), or NULL. */
static struct res *origin_find(const struct state *st,
                               const struct res_table *t, int https, int port,
                               const char *host, int final)
{
	size_t i;

	for (i = res_hash(https, port, host, NULL) & (t->cap - 1);
	     t->slot[i] != 0; i = (i + 1) & (t->cap - 1)) {
		struct res *o = st->res[t->slot[i] - 1];

		if (final ? (o->final_https == https && o->final_port == port &&
		             cx_strcaseeq(o->final_host, host))
		          : (o->https == https && o->port == port &&
		             cx_strcaseeq(o->host, host)))
			return o;
	}
	return NULL;
}

/*
 * Mark http resources whose chain ends on another resource of the run,
 * and the resource answering for each origin.  Both by index (scheme,
 * port, host): linear in the resources, a /16 of web servers included.
 */
static int link_delegates(struct state *st)
{
	struct res_table by_addr, by_final;
	size_t i;

	if (table_init(&by_addr, st->n_res) != CX_OK)
		return CX_ENOMEM;
	if (table_init(&by_final, st->n_res) != CX_OK) {
		free(by_addr.slot);
		return CX_ENOMEM;
	}
	/* The first https resource per (port, host). */
	for (i = 0; i < st->n_res; i++) {
		struct res *o = st->res[i];

		if (o->https &&
		    origin_find(st, &by_addr, 1, o->port, o->host, 0) == NULL)
			slot_put(by_addr.slot, by_addr.cap,
			         res_hash(1, o->port, o->host, NULL), i);
	}
	for (i = 0; i < st->n_res; i++) {
		struct res *r = st->res[i], *o;

		if (r->https || r->final_url == NULL || !r->final_https)
			continue;
		o = origin_find(st, &by_addr, 1, r->final_port, r->final_host,
		                0);
		if (o != NULL) {
			r->delegate = cx_strdup(o->url);
			r->delegate_res = o;
		}
	}
	/* Methods, exposed paths and security.txt belong to an origin: the
	 * first resource on it answers for the others. */
	for (i = 0; i < st->n_res; i++) {
		struct res *r = st->res[i], *o;

		if (r->delegate != NULL || r->final_url == NULL)
			continue;
		o = origin_find(st, &by_final, r->final_https, r->final_port,
		                r->final_host, 1);
		if (o != NULL)
			r->origin_owner = cx_strdup(o->url);
		else
			slot_put(by_final.slot, by_final.cap,
			         res_hash(r->final_https, r->final_port,
			                  r->final_host, NULL),
			         i);
	}
	free(by_addr.slot);
	free(by_final.slot);
	return CX_OK;
}

static void guard_cb(struct cx_loop *loop, struct cx_timer *t)
{
	struct state *st = t->arg;

	st->guard_fired = 1;
	cx_loop_stop(loop);
}

static int http_run(struct cx_check_ctx *ctx)
{
	struct state st;
	struct cx_loop *own = NULL;
	size_t i, started = 0;
	int rc = CX_OK, max_inflight, pass;
	long timeout;

	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	if (ctx->scope == NULL || ctx->opts == NULL || ctx->run == NULL)
		return CX_EINVAL; /* nothing may be contacted without a scope */
	rc = collect(&st);
	if (rc != CX_OK)
		goto out;
	if (st.n_res == 0)
		goto out;
	st.loop = ctx->loop;
	if (st.loop == NULL) {
		rc = cx_loop_new(&own);
		if (rc != CX_OK)
			goto out;
		st.loop = own;
	}
	max_inflight = ctx->opts->max_inflight > 0 &&
	                       ctx->opts->max_inflight < MAX_INFLIGHT
	                   ? ctx->opts->max_inflight
	                   : MAX_INFLIGHT;
	timeout = ctx->opts->probe_timeout_ms > 0 ? ctx->opts->probe_timeout_ms
	                                          : 2000;
	rc = http_fetcher_new(st.loop, max_inflight, timeout,
	                      ctx->opts->connect_timeout_ms, BODY_MAX, &st.f);
	if (rc != CX_OK)
		goto out;
	for (i = 0; i < st.n_res; i++) {
		struct res *r = st.res[i];

		r->t0 = cx_now_ms();
		if (http_scope_addr(ctx->scope, r->host, &r->addr) != CX_OK) {
			/* A declared URL whose host is not in the scope. */
			r->chain_note = cx_strdup("host not inside the scope");
			r->chain_msg = "web.nc.out-of-scope";
			r->phase = P_DONE;
			r->t1 = r->t0;
			http_evaluate_unreachable(r, NULL);
			r->evaluated = 1;
			st.n_finished++;
			continue;
		}
		r->issuing++;
		if (http_issue(r, K_CHAIN, "GET", r->url, &r->addr, NULL, NULL,
		               NULL) == CX_OK)
			started++;
		r->issuing--;
		if (r->pending == 0 && r->phase != P_DONE)
			http_advance(r);
	}
	if (st.n_finished < st.n_res) {
		/* A global deadline: every request has its own timeout, this
		 * only guards against a bug keeping the loop alive. */
		cx_timer_init(&st.guard, guard_cb, &st);
		cx_timer_start(st.loop, &st.guard,
		               (uint64_t)timeout * 2 * (MAX_HOPS + 4) + 5000);
		rc = cx_loop_run(st.loop);
		cx_timer_stop(st.loop, &st.guard);
	}
	/* Resources not finished (interrupt, guard): not checked. */
	for (i = 0; i < st.n_res; i++) {
		struct res *r = st.res[i];

		if (r->phase == P_DONE)
			continue;
		r->phase = P_DONE;
		free(r->chain_note);
		r->chain_note = cx_strdup(rc == CX_EINTR ? "interrupted"
		                                         : "check deadline "
		                                           "reached");
		r->chain_msg =
		    rc == CX_EINTR ? "web.nc.interrupted" : "web.nc.deadline";
		http_evaluate_unreachable(r, NULL);
		r->evaluated = 1;
	}
	if (link_delegates(&st) != CX_OK) {
		rc = CX_ENOMEM;
		goto out;
	}
	/* http resources first: the https ones they lead to use their
	 * redirect result. */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < st.n_res; i++) {
			struct res *r = st.res[i];

			if (r->evaluated || r->https != pass)
				continue;
			http_evaluate(r);
			r->evaluated = 1;
		}
	}
	(void)started;
out:
	http_fetcher_free(st.f);
	for (i = 0; i < st.n_res; i++)
		res_free(st.res[i]);
	free(st.res);
	free(st.res_slot);
	cx_loop_free(own);
	return rc == CX_EINTR ? CX_EINTR : rc;
}

const struct cx_check cx_check_http = {
    .id = "http",
    .title = "HTTP security of every web resource",
    .block = "web",
    .flags = CX_CHECK_NETWORK,
    .run = http_run,
};
