/*
 * certexam — the inventory check: the applicant's Annexes 5 and 6 against
 * what the scan discovered, in both directions, one finding per Annex row
 * or per undeclared item (never one per port).
 *
 * INV-01  each Annex 5 row: every address of its addresses column that
 *         lies in the scope answered (a declared block: a host in it
 *         answered; a host name: the scanned host of that name answered).
 *         A row without any address is not observable remotely: "not
 *         confirmed instrumentally", not_applicable, not a deficiency.
 * INV-02  each host that answered and that no Annex 5 row declares is a
 *         deficiency (one per host); one pass when there is none.
 * INV-03  each Annex 6 row: the product service detection identified on
 *         the hosts of its place of installation, and its version
 *         (scanner/case/annex_version.c): matches -> pass; differs or
 *         declared less precisely than what runs -> fail; the service
 *         hides its version, or the row declares more than is observable
 *         -> not_applicable ("version not confirmed instrumentally"); not
 *         seen at all -> not_applicable ("not confirmed instrumentally").
 *         Each product found on a host that no row installed there names
 *         is a deficiency (one per host and product, whatever the ports);
 *         the operating system, where banners reveal it (SSH, HTTP
 *         Server), is compared with what Annex 5 column 9 and the Annex 6
 *         rows installed on that hardware declare.
 *
 * A row with an error in the list is not compared (not_checked, naming
 * the file, line and column of its problems); a list that could not be
 * read leaves its requirements not_checked.  Every row also becomes an
 * "inventory-row" observation (declared, discovered, state) from which
 * the act draws its side-by-side table, and every problem of the lists an
 * "annex-problem" observation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/util.h"
#include "inventory.h"
#include "inventory_int.h"

#define CHECK_ID "inventory"

static const char *nz(const char *s)
{
	return s != NULL ? s : "";
}

int inv_addr_cmp(const struct cx_addr *x, const struct cx_addr *y)
{
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->b, y->b, sizeof(x->b));
}

int inv_host_cmp(const void *a, const void *b)
{
	const struct host *x = a, *y = b;

	return inv_addr_cmp(&x->a, &y->a);
}

static void addr_text(const struct cx_addr *a, int prefix, char *out,
                      size_t outsz)
{
	char s[64];

	cx_addr_str(a, s, sizeof(s));
	if (prefix >= 0)
		snprintf(out, outsz, "%s/%d", s, prefix);
	else
		snprintf(out, outsz, "%s", s);
}

void inv_lower(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s + 32);
}

int inv_emit(struct inv *v, const struct inv_finding *f)
{
	return cx_emit(v->ctx, &(struct cx_emit){
	                           .check = CHECK_ID,
	                           .req = f->req,
	                           .asset = f->asset,
	                           .item = f->item,
	                           .status = f->status,
	                           .certainty = f->certainty,
	                           .msg = f->msg,
	                           .args = f->args,
	                           .observed = f->observed,
	                           .method_msg = f->method,
	                           .evidence = f->evidence,
	                       });
}

void inv_arg(struct inv_args *a, const char *name, const char *value)
{
	if (a->n + 2 >= CX_ARRAY_LEN(a->v))
		return;
	a->v[a->n++] = name;
	a->v[a->n++] = value;
	a->v[a->n] = NULL;
}

int cx_inv_table_row(struct cx_run *run, const char *annex, const char *item,
                     const char *declared, const char *discovered,
                     const char *state)
{
	struct cx_observation *o = cx_run_add_obs(run, "inventory-row", annex);

	if (o == NULL || cx_obs_prop(o, "annex", annex) ||
	    cx_obs_prop(o, "item", item) ||
	    cx_obs_prop(o, "declared", declared) ||
	    cx_obs_prop(o, "discovered", discovered) ||
	    cx_obs_prop(o, "state", state))
		return CX_ENOMEM;
	return CX_OK;
}

int inv_table_row(struct inv *v, const char *annex, const char *item,
                  const char *declared, const char *discovered,
                  const char *state)
{
	return cx_inv_table_row(v->ctx->run, annex, item, declared, discovered,
	                        state);
}

/* The problem's message id and parameters ("msg", "arg.NAME"), so that
 * the act words it in its language (report/act_proc.c). */
static int problem_msg(struct cx_observation *o, const struct cx_diag *g)
{
	struct cx_buf name = {0};
	size_t k;
	int rc;

	if (g->msg == NULL)
		return CX_OK;
	rc = cx_obs_prop(o, "msg", g->msg);
	for (k = 0; rc == CX_OK && g->args != NULL && g->args[k] != NULL;
	     k += 2) {
		name.len = 0;
		rc = cx_buf_printf(&name, "arg.%s", g->args[k]);
		if (rc == CX_OK)
			rc = cx_obs_prop(o, name.data, g->args[k + 1]);
	}
	cx_buf_free(&name);
	return rc;
}

/* The lists' problems, for the act (file:line:column, message). */
static int record_problems(struct inv *v)
{
	const struct cx_diags *d = &v->obj->list_diags;
	struct cx_observation *o;
	const char *base;
	size_t i;

	for (i = 0; i < d->n; i++) {
		base = d->items[i].file ? strrchr(d->items[i].file, '/') : NULL;
		base = base ? base + 1 : nz(d->items[i].file);
		o = cx_run_add_obs(v->ctx->run, "annex-problem", base);
		if (o == NULL || cx_obs_prop(o, "file", base) ||
		    cx_obs_propf(o, "line", "%ld", d->items[i].line) ||
		    cx_obs_propf(o, "column", "%ld", d->items[i].column) ||
		    cx_obs_prop(o, "field", nz(d->items[i].field)) ||
		    cx_obs_prop(o, "level",
		                d->items[i].is_warning ? "warning" : "error") ||
		    cx_obs_prop(o, "message", nz(d->items[i].message)) ||
		    problem_msg(o, &d->items[i]))
			return CX_ENOMEM;
	}
	return CX_OK;
}

/* "hardware.csv:9:10; ..." for the errors of the row at line: the places
 * only (the act lists each problem with its words). */
int inv_row_problems(const struct inv *v, long line, struct cx_buf *b)
{
	const struct cx_diags *d = &v->obj->list_diags;
	const struct cx_diag *g;
	const char *base;
	size_t i;

	for (i = 0; i < d->n; i++) {
		g = &d->items[i];
		if (g->line != line || g->is_warning)
			continue;
		base = g->file ? strrchr(g->file, '/') : NULL;
		base = base ? base + 1 : nz(g->file);
		if (cx_buf_printf(b, "%s%s:%ld", b->len ? "; " : "", base,
		                  g->line) ||
		    (g->column > 0 && cx_buf_printf(b, ":%ld", g->column)))
			return CX_ENOMEM;
	}
	return CX_OK;
}

static int collect_decls(struct inv *v)
{
	const struct cx_hw_row *row;
	const char *cur;
	struct cx_inv_tok t;
	struct decl d;
	size_t i;

	for (i = 0; i < v->obj->n_hardware; i++) {
		row = &v->obj->hardware[i];
		if (row->bad)
			continue;
		cur = NULL;
		while (cx_inv_addr_scan(row->addresses, &cur, &t)) {
			memset(&d, 0, sizeof(d));
			d.row = i;
			d.prefix = -1;
			if (t.kind == CX_INV_HOSTNAME) {
				d.is_name = 1;
				snprintf(d.name, sizeof(d.name), "%.*s",
				         (int)t.a_len, t.a_text);
				inv_lower(d.name);
			} else if (t.kind == CX_INV_ADDR) {
				d.a = t.a;
				d.prefix = t.prefix;
				d.written_prefix = t.prefix >= 0;
				d.block = cx_inv_addr_is_block(&d.a, d.prefix);
				if (!d.block)
					d.prefix = -1; /* "192.0.2.5/24" */
			} else {
				continue;
			}
			if (cx_grow(&v->decls, &v->cap_decls, v->n_decls + 1,
			            sizeof(*v->decls)))
				return CX_ENOMEM;
			v->decls[v->n_decls++] = d;
		}
	}
	return CX_OK;
}

static int collect_hosts(struct inv *v)
{
	const struct cx_run *run = v->ctx->run;
	int prefix;
	size_t i;

	if (run->n_hosts == 0)
		return CX_OK;
	v->hosts = calloc(run->n_hosts, sizeof(*v->hosts));
	if (v->hosts == NULL)
		return CX_ENOMEM;
	for (i = 0; i < run->n_hosts; i++) {
		const char *a = run->hosts[i].addr;

		if (a == NULL ||
		    cx_inv_addr_parse(a, strlen(a), &v->hosts[v->n_hosts].a,
		                      &prefix) ||
		    prefix >= 0)
			continue;
		v->hosts[v->n_hosts++].obs = &run->hosts[i];
	}
	qsort(v->hosts, v->n_hosts, sizeof(*v->hosts), inv_host_cmp);
	return CX_OK;
}

/* The host observation for a, or NULL.  An "up" one wins a duplicate. */
static const struct cx_host_obs *find_host(const struct inv *v,
                                           const struct cx_addr *a)
{
	struct host key;
	const struct host *h;
	size_t i;

	if (v->n_hosts == 0)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.a = *a;
	h = bsearch(&key, v->hosts, v->n_hosts, sizeof(*v->hosts),
	            inv_host_cmp);
	if (h == NULL)
		return NULL;
	i = (size_t)(h - v->hosts);
	while (i > 0 && inv_addr_cmp(&v->hosts[i - 1].a, a) == 0)
		i--;
	for (; i < v->n_hosts && inv_addr_cmp(&v->hosts[i].a, a) == 0; i++)
		if (v->hosts[i].obs->up)
			return v->hosts[i].obs;
	return h->obs;
}

/* 1 if the space-separated list names holds name (case-insensitive). */
static int names_have(const char *names, const char *name)
{
	const char *p = names, *e;
	size_t n = strlen(name);

	while (p != NULL && *p != '\0') {
		while (*p == ' ')
			p++;
		e = strchr(p, ' ');
		if ((size_t)(e ? e - p : (long)strlen(p)) == n &&
		    cx_strncaseeq(p, name, n))
			return 1;
		p = e;
	}
	return 0;
}

/* 1 if the host h is what the declaration d names. */
int inv_decl_covers(const struct decl *d, const struct host *h)
{
	if (d->is_name)
		return names_have(h->obs->names, d->name);
	if (d->block)
		return cx_inv_addr_in_block(&h->a, &d->a, d->prefix);
	return inv_addr_cmp(&d->a, &h->a) == 0;
}

static int in_scope(const struct inv *v, const struct cx_addr *a)
{
	return v->ctx->scope != NULL && cx_scope_contains(v->ctx->scope, a);
}

/* The addresses of a row's declarations, by what they came to. */
struct tally {
	struct cx_buf up, down, unseen;
};

static int list_add(struct cx_buf *b, const char *txt)
{
	return cx_buf_printf(b, "%s%s", b->len ? ", " : "", txt);
}

/* What one declaration came to: its text appended to one list of t. */
static int decl_result(const struct inv *v, const struct decl *d,
                       struct tally *t)
{
	const struct cx_host_obs *h;
	char txt[300];
	size_t i, end, hup = 0, scanned = 0;

	if (d->is_name) { /* the hosts of that name (the index) */
		for (i = inv_idx_hosts_named(v, d->name, &end); i < end; i++) {
			scanned++;
			hup += v->hosts[v->idx.host_names[i].row].obs->up != 0;
		}
	} else if (d->block) { /* the hosts inside it, sorted by address */
		for (i = inv_idx_hosts_in(v, d, &end); i < end; i++) {
			scanned++;
			hup += v->hosts[i].obs->up != 0;
		}
	}
	if (d->is_name || d->block) {
		if (d->is_name)
			snprintf(txt, sizeof(txt), "%s", d->name);
		else
			addr_text(&d->a, d->prefix, txt, sizeof(txt));
		if (hup > 0)
			return list_add(&t->up, txt);
		return list_add(scanned > 0 ? &t->down : &t->unseen, txt);
	}
	addr_text(&d->a, -1, txt, sizeof(txt));
	/* outside the scope, or in it but not reached: not scanned */
	h = in_scope(v, &d->a) ? find_host(v, &d->a) : NULL;
	if (h == NULL)
		return list_add(&t->unseen, txt);
	return list_add(h->up ? &t->up : &t->down, txt);
}

static int inv01_row(struct inv *v, size_t r, size_t *k)
{
	static const char method[] = "method.inv.hw-hosts";
	const struct cx_hw_row *row = &v->obj->hardware[r];
	struct tally t = {{0}, {0}, {0}};
	struct cx_buf prob = {0};
	size_t n = 0;
	char asset[64], line[24];
	struct inv_finding f = {.req = "INV-01", .asset = asset};
	struct inv_args av = {{NULL}, 0};
	const char *state;
	int rc = CX_OK;

	snprintf(asset, sizeof(asset), "Annex 5 item %s", nz(row->item));
	snprintf(line, sizeof(line), "%ld", row->line);
	for (; *k < v->n_decls && v->decls[*k].row == r && rc == CX_OK;
	     (*k)++) {
		rc = decl_result(v, &v->decls[*k], &t);
		n++;
	}
	if (rc)
		goto out;
	f.method = method;
	if (row->bad) {
		rc = inv_row_problems(v, row->line, &prob);
		f.status = CX_NOT_CHECKED;
		f.msg = "inv.hw.row-bad";
		inv_arg(&av, "item", nz(row->item));
		inv_arg(&av, "line", line);
		inv_arg(&av, "places", nz(prob.data));
		state = "not compared (problems in the row)";
	} else if (n == 0) {
		f.status = CX_NOT_APPLICABLE;
		f.msg = "inv.hw.no-address";
		inv_arg(&av, "item", nz(row->item));
		inv_arg(&av, "model", nz(row->model));
		state = "not confirmed instrumentally";
	} else if (t.down.len > 0) {
		f.status = CX_FAIL;
		f.msg = "inv.hw.silent";
		inv_arg(&av, "item", nz(row->item));
		inv_arg(&av, "model", nz(row->model));
		inv_arg(&av, "silent", nz(t.down.data));
		inv_arg(&av, "answered", t.up.len ? t.up.data : "-");
		inv_arg(&av, "unseen", t.unseen.len ? t.unseen.data : "-");
		state = "differs";
	} else if (t.up.len > 0) {
		f.status = CX_PASS;
		f.msg = "inv.hw.present";
		inv_arg(&av, "item", nz(row->item));
		inv_arg(&av, "model", nz(row->model));
		inv_arg(&av, "answered", t.up.len ? t.up.data : "-");
		inv_arg(&av, "unseen", t.unseen.len ? t.unseen.data : "-");
		state = "matches";
	} else {
		f.status = CX_NOT_CHECKED;
		f.msg = "inv.hw.not-scanned";
		inv_arg(&av, "item", nz(row->item));
		inv_arg(&av, "model", nz(row->model));
		inv_arg(&av, "unseen", nz(t.unseen.data));
		state = "not scanned";
	}
	f.args = av.v;
	rc = inv_emit(v, &f);
	if (rc == CX_OK)
		rc = inv_table_row(v, "5", nz(row->item),
		                   nz(row->addresses)[0] ? row->addresses
		                                         : nz(row->model),
		                   t.up.len ? t.up.data : "-", state);
out:
	cx_buf_free(&t.up);
	cx_buf_free(&t.down);
	cx_buf_free(&t.unseen);
	cx_buf_free(&prob);
	return rc;
}

static int inv01(struct inv *v)
{
	size_t r, k = 0;
	int rc = CX_OK;

	if (!v->hw_ok || v->obj->n_hardware == 0)
		return inv_emit(v, &(struct inv_finding){
		                       .req = "INV-01",
		                       .asset = "Annex 5",
		                       .status = CX_NOT_CHECKED,
		                       .msg = !v->hw_ok ? "inv.hw.unreadable"
		                                        : "inv.hw.empty",
		                   });
	for (r = 0; r < v->obj->n_hardware && rc == CX_OK; r++)
		rc = inv01_row(v, r, &k);
	return rc;
}

static int decl_ptr_cmp(const void *a, const void *b)
{
	const struct decl *x = *(const struct decl *const *)a;
	const struct decl *y = *(const struct decl *const *)b;
	int c = inv_addr_cmp(&x->a, &y->a);

	if (c != 0)
		return c;
	return x < y ? -1 : x > y;
}

static int index_decls(struct inv *v)
{
	size_t i;

	if (v->n_decls == 0)
		return CX_OK;
	v->by_addr = calloc(v->n_decls, sizeof(*v->by_addr));
	v->others = calloc(v->n_decls, sizeof(*v->others));
	if (v->by_addr == NULL || v->others == NULL)
		return CX_ENOMEM;
	for (i = 0; i < v->n_decls; i++)
		if (!v->decls[i].block && !v->decls[i].is_name)
			v->by_addr[v->n_by_addr++] = &v->decls[i];
		else
			v->others[v->n_others++] = &v->decls[i];
	qsort(v->by_addr, v->n_by_addr, sizeof(*v->by_addr), decl_ptr_cmp);
	return CX_OK;
}

/*
 * The first declaration (in row order) of the host: its address, else a
 * block or a host name that covers it; NULL when none.  Blocks and names
 * are few; addresses are looked up in the sorted index.
 */
static const struct decl *declared(const struct inv *v, const struct host *h)
{
	size_t lo = 0, hi = v->n_by_addr, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (inv_addr_cmp(&v->by_addr[mid]->a, &h->a) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < v->n_by_addr && inv_addr_cmp(&v->by_addr[lo]->a, &h->a) == 0)
		return v->by_addr[lo];
	return inv_idx_first_other(v, h);
}

static int inv02(struct inv *v)
{
	static const char method[] = "method.inv.hosts-hw";
	size_t i, up = 0, undeclared = 0;
	char asset[80], nup[24], nscan[24];
	int rc;

	int no_list = !v->hw_ok || v->obj->n_hardware == 0;

	if (no_list || v->n_hosts == 0)
		return inv_emit(v, &(struct inv_finding){
		                       .req = "INV-02",
		                       .asset = no_list ? "Annex 5" : "scope",
		                       .status = CX_NOT_CHECKED,
		                       .msg = no_list ? "inv.host.no-list"
		                                      : "inv.host.no-hosts",
		                   });
	for (i = 0; i < v->n_hosts; i++) {
		if (!v->hosts[i].obs->up ||
		    (i > 0 &&
		     inv_addr_cmp(&v->hosts[i - 1].a, &v->hosts[i].a) == 0 &&
		     v->hosts[i - 1].obs->up))
			continue;
		up++;
		if (declared(v, &v->hosts[i]) != NULL)
			continue;
		undeclared++;
		addr_text(&v->hosts[i].a, -1, asset, sizeof(asset));
		rc = inv_emit(v, &(struct inv_finding){
		                     .req = "INV-02",
		                     .asset = asset,
		                     .status = CX_FAIL,
		                     .msg = "inv.host.undeclared",
		                     .args = CX_ARGS("host", asset),
		                     .method = method,
		                 });
		if (rc == CX_OK)
			rc = inv_table_row(v, "-", "-", "-", asset,
			                   "found, not declared");
		if (rc)
			return rc;
	}
	if (undeclared > 0)
		return CX_OK;
	snprintf(nup, sizeof(nup), "%zu", up);
	snprintf(nscan, sizeof(nscan), "%zu", v->n_hosts);
	return inv_emit(v, &(struct inv_finding){
	                       .req = "INV-02",
	                       .asset = "scope",
	                       .certainty = up ? CX_CONFIRMED : CX_INFERRED,
	                       .msg = "inv.host.all-declared",
	                       .args = CX_ARGS("up", nup, "scanned", nscan),
	                       .method = method,
	                   });
}

static int inventory_run(struct cx_check_ctx *ctx)
{
	struct inv v;
	int rc;

	if (ctx->obj == NULL)
		return CX_ENOTSUP; /* a --target run has no Annexes 5 and 6 */
	memset(&v, 0, sizeof(v));
	v.ctx = ctx;
	v.obj = ctx->obj;
	v.hw_ok = ctx->obj->hw_list != CX_LIST_UNREADABLE;
	v.sw_ok = ctx->obj->sw_list != CX_LIST_UNREADABLE;
	rc = record_problems(&v);
	if (rc == CX_OK)
		rc = collect_decls(&v);
	if (rc == CX_OK)
		rc = index_decls(&v);
	if (rc == CX_OK)
		rc = collect_hosts(&v);
	if (rc == CX_OK)
		rc = inv_idx_build(&v);
	if (rc == CX_OK)
		rc = inv01(&v);
	if (rc == CX_OK)
		rc = inv02(&v);
	if (rc == CX_OK)
		rc = inv03(&v);
	inv_idx_free(&v.idx);
	free(v.by_addr);
	free(v.others);
	free(v.decls);
	free(v.hosts);
	return rc;
}

const struct cx_check cx_check_inventory = {
    .id = "inventory",
    .title = "Declared hardware and software against what is there",
    .block = "inventory",
    .flags = 0,
    .run = inventory_run,
};
