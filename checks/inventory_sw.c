/*
 * certexam — the Annex 6 part of the inventory check (INV-03): each row's
 * product and version against what service detection identified on the
 * hardware of its place of installation, and the products found that no
 * row declares there (one finding per host and product).  See
 * checks/inventory.c for the whole check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/util.h"
#include "inventory.h"
#include "inventory_int.h"

static const char *nz(const char *s)
{
	return s != NULL ? s : "";
}

int inv_item_listed(const char *list, const char *item)
{
	const char *p, *start;
	size_t n = item != NULL ? strlen(item) : 0;

	if (list == NULL || n == 0)
		return 0;
	for (p = list; *p != '\0';) {
		while (*p != '\0' && (*p < '0' || *p > '9'))
			p++;
		start = p;
		while (*p >= '0' && *p <= '9')
			p++;
		if ((size_t)(p - start) == n && memcmp(start, item, n) == 0)
			return 1;
	}
	return 0;
}

/* Case-insensitive (ASCII) substring test; an empty needle never matches. */
static int ci_contains(const char *hay, const char *needle)
{
	size_t i, hn, nn;

	if (hay == NULL || needle == NULL)
		return 0;
	hn = strlen(hay);
	nn = strlen(needle);
	if (nn == 0 || nn > hn)
		return 0;
	for (i = 0; i + nn <= hn; i++)
		if (cx_strncaseeq(hay + i, needle, nn))
			return 1;
	return 0;
}

/* The product service detection names, against a row of Annex 6. */
static int name_matches(const struct cx_sw_row *sw, const char *product)
{
	char first[64];
	size_t n;

	if (ci_contains(sw->name, product) || ci_contains(product, sw->name))
		return sw->name != NULL && sw->name[0] != '\0';
	/* "Apache httpd" against "Apache HTTP Server": the first word. */
	n = strcspn(product, " /");
	if (n < 4 || n >= sizeof(first))
		return 0;
	memcpy(first, product, n);
	first[n] = '\0';
	return ci_contains(sw->name, first) ||
	       (ci_contains(sw->developer, first) &&
	        ci_contains(product, "http") && ci_contains(sw->name, "http"));
}

static const struct host *port_host(const struct inv *v,
                                    const struct cx_port_obs *p)
{
	struct host key;
	int prefix;

	memset(&key, 0, sizeof(key));
	if (p->addr == NULL ||
	    cx_inv_addr_parse(p->addr, strlen(p->addr), &key.a, &prefix))
		return NULL;
	return bsearch(&key, v->hosts, v->n_hosts, sizeof(*v->hosts),
	               inv_host_cmp);
}

/* The ports whose product matches the row's name, in run order, into
 * out (run->n_ports entries): the candidate products of the index only.
 * Their count. */
static size_t matching_ports(struct inv *v, const struct cx_sw_row *sw,
                             size_t *out)
{
	struct inv_idx *x = &v->idx;
	const struct cx_run *run = v->ctx->run;
	size_t c, k, j, n = 0;

	inv_idx_candidates(x, sw->name);
	for (c = 0; c < x->n_cand; c++) {
		k = x->cand[c];
		if (!name_matches(
		        sw, run->ports[x->by_prod[x->prod_start[k]]].product))
			continue;
		for (j = x->prod_start[k]; j < x->prod_start[k + 1]; j++)
			out[n++] = x->by_prod[j];
	}
	qsort(out, n, sizeof(*out), inv_size_cmp);
	return n;
}

/* "nginx 1.22.1" in the version column says the name once. */
static char *declared_text(const struct cx_sw_row *sw)
{
	int named = sw->name != NULL && sw->name[0] &&
	            cx_strncaseeq(nz(sw->version), sw->name, strlen(sw->name));

	return named ? cx_strdup(nz(sw->version))
	             : cx_asprintf("%s %s", nz(sw->name), nz(sw->version));
}

/* "nginx 1.22.1 127.0.0.1:80/tcp" appended to b ("; " between). */
static int port_text(struct cx_buf *b, const struct cx_port_obs *p)
{
	return cx_buf_printf(b, "%s%s%s%s %s:%d/%s", b->len ? "; " : "",
	                     p->product, p->version && p->version[0] ? " " : "",
	                     nz(p->version), p->addr, p->port, nz(p->proto));
}

static int inv03_row(struct inv *v, const struct cx_sw_row *sw,
                     unsigned char *claimed, size_t *match_buf)
{
	static const char method[] = "method.inv.sw-version";
	const struct cx_run *run = v->ctx->run;
	const struct cx_port_obs *p;
	const struct host *h;
	struct cx_buf seen = {0}, prob = {0}, odd = {0};
	size_t i, n = 0, match = 0, bad = 0, hidden = 0;
	enum cx_ver_state vs;
	const char *state;
	char asset[64], line[24], *decl = NULL;
	struct inv_finding f = {.req = "INV-03", .asset = asset};
	struct inv_args av = {{NULL}, 0};
	int rc = CX_OK, here = inv_row_has_hosts(v, sw);
	size_t m, n_match = matching_ports(v, sw, match_buf);

	snprintf(asset, sizeof(asset), "Annex 6 item %s", nz(sw->item));
	snprintf(line, sizeof(line), "%ld", sw->line);
	for (m = 0; m < n_match; m++) {
		i = match_buf[m];
		p = &run->ports[i];
		h = port_host(v, p);
		if (here && (h == NULL || !inv_installed_at(v, sw, h)))
			continue;
		/* A row with problems still names the product: what it names
		 * is not compared, and not undeclared either. */
		claimed[i] = 1;
		if (sw->bad)
			continue;
		vs = cx_ver_compare(sw->version, p->version, p->extra);
		n++;
		if (vs == CX_VER_MATCH)
			match++;
		else if (vs == CX_VER_HIDDEN || vs == CX_VER_MORE_PRECISE)
			hidden++;
		else
			bad++;
		if (f.evidence == NULL)
			f.evidence = p->evidence;
		/* what service detection gave, verbatim; the ports whose
		 * version differs also apart, for the message */
		if (port_text(&seen, p) ||
		    (vs != CX_VER_MATCH && vs != CX_VER_HIDDEN &&
		     vs != CX_VER_MORE_PRECISE && port_text(&odd, p)))
			rc = CX_ENOMEM;
	}
	decl = declared_text(sw);
	if (rc || decl == NULL) {
		rc = rc ? rc : CX_ENOMEM;
		goto out;
	}
	f.method = method;
	f.observed = seen.data;
	f.certainty = CX_INFERRED;
	inv_arg(&av, "item", nz(sw->item));
	inv_arg(&av, "declared", decl);
	if (sw->bad) {
		rc = inv_row_problems(v, sw->line, &prob);
		f.status = CX_NOT_CHECKED;
		f.certainty = CX_CONFIRMED;
		f.msg = "inv.sw.row-bad";
		av.n = 0;
		inv_arg(&av, "item", nz(sw->item));
		inv_arg(&av, "line", line);
		inv_arg(&av, "places", nz(prob.data));
		state = "not compared (problems in the row)";
	} else if (n == 0) {
		f.status = CX_NOT_APPLICABLE;
		f.certainty = CX_CONFIRMED;
		f.msg = here ? "inv.sw.not-seen-here" : "inv.sw.not-seen";
		state = "not confirmed instrumentally";
	} else if (bad > 0) {
		f.status = CX_FAIL;
		f.msg = "inv.sw.differs";
		inv_arg(&av, "differing", nz(odd.data));
		state = "differs";
	} else if (match > 0) {
		f.status = CX_PASS;
		f.msg = "inv.sw.matches";
		state = "matches";
	} else {
		f.status = CX_NOT_APPLICABLE;
		f.certainty = CX_CONFIRMED;
		f.msg = "inv.sw.version-hidden";
		state = "declared more precisely than observable";
	}
	f.args = av.v;
	if (rc == CX_OK)
		rc = inv_emit(v, &f);
	if (rc == CX_OK)
		rc = inv_table_row(v, "6", nz(sw->item), decl,
		                   seen.len ? seen.data : "-", state);
out:
	free(decl);
	cx_buf_free(&seen);
	cx_buf_free(&odd);
	cx_buf_free(&prob);
	return rc;
}

/* Products found that no row claimed: one finding per host and product,
 * in the order of each one's first port; its ports in run order. */
struct group {
	size_t first, start, n; /* first port; its range in the sorted list */
};

static int group_cmp(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	return x->first < y->first ? -1 : x->first > y->first;
}

static int undeclared_one(struct inv *v, const size_t *idx, size_t n,
                          struct cx_buf *ports)
{
	static const char method[] = "method.inv.sw-product";
	const struct cx_port_obs *p = &v->ctx->run->ports[idx[0]], *q;
	char item[128], *disc;
	size_t j;
	int rc = CX_OK;

	ports->len = 0;
	for (j = 0; j < n && rc == CX_OK; j++) {
		q = &v->ctx->run->ports[idx[j]];
		rc = cx_buf_printf(ports, "%s%d/%s", ports->len ? ", " : "",
		                   q->port, nz(q->proto));
	}
	if (rc)
		return rc;
	snprintf(item, sizeof(item), "%s", p->product);
	inv_lower(item);
	disc =
	    cx_asprintf("%s%s%s", p->product,
	                p->version && p->version[0] ? " " : "", nz(p->version));
	if (disc == NULL)
		return CX_ENOMEM;
	rc = inv_emit(v, &(struct inv_finding){
	                     .req = "INV-03",
	                     .asset = p->addr,
	                     .item = item,
	                     .status = CX_FAIL,
	                     .certainty = CX_INFERRED,
	                     .msg = "inv.sw.undeclared",
	                     .args = CX_ARGS("product", p->product, "host",
	                                     p->addr, "ports", ports->data),
	                     .observed = disc,
	                     .method = method,
	                     .evidence = p->evidence,
	                 });
	free(disc);
	disc = cx_asprintf("%s%s%s %s (%s)", p->product,
	                   p->version && p->version[0] ? " " : "",
	                   nz(p->version), p->addr, ports->data);
	if (rc == CX_OK)
		rc = disc ? inv_table_row(v, "-", "-", "-", disc,
		                          "found, not declared")
		          : CX_ENOMEM;
	free(disc);
	return rc;
}

static int inv03_undeclared(struct inv *v, const unsigned char *claimed,
                            size_t *buf)
{
	const struct cx_run *run = v->ctx->run;
	const struct cx_port_obs *p, *q;
	struct cx_buf ports = {0};
	struct group *g;
	size_t i, n = 0, ng = 0;
	int rc = CX_OK;

	for (i = 0; i < v->idx.n_by_prod; i++)
		if (!claimed[v->idx.by_prod[i]])
			buf[n++] = v->idx.by_prod[i];
	inv_sort_by_host_product(run, buf, n);
	g = malloc((n ? n : 1) * sizeof(*g));
	if (g == NULL)
		return CX_ENOMEM;
	for (i = 0; i < n; i++) {
		p = &run->ports[buf[i]];
		q = i > 0 ? &run->ports[buf[i - 1]] : NULL;
		if (q == NULL || strcmp(q->addr, p->addr) != 0 ||
		    !cx_strcaseeq(q->product, p->product)) {
			g[ng].first = buf[i];
			g[ng].start = i;
			g[ng++].n = 0;
		}
		g[ng - 1].n++;
	}
	qsort(g, ng, sizeof(*g), group_cmp);
	for (i = 0; i < ng && rc == CX_OK; i++)
		rc = undeclared_one(v, buf + g[i].start, g[i].n, &ports);
	cx_buf_free(&ports);
	free(g);
	return rc;
}

int inv03(struct inv *v)
{
	const struct cx_run *run = v->ctx->run;
	unsigned char *claimed;
	size_t i, *buf;
	int rc = CX_OK;

	if (!v->sw_ok || v->obj->n_software == 0) {
		rc = inv_emit(v, &(struct inv_finding){
		                     .req = "INV-03",
		                     .asset = "Annex 6",
		                     .status = CX_NOT_CHECKED,
		                     .msg = !v->sw_ok ? "inv.sw.unreadable"
		                                      : "inv.sw.empty",
		                 });
		if (rc || !v->sw_ok)
			return rc;
	}
	claimed = calloc(run->n_ports ? run->n_ports : 1, 1);
	buf = malloc((run->n_ports ? run->n_ports : 1) * sizeof(*buf));
	if (claimed == NULL || buf == NULL) {
		free(claimed);
		free(buf);
		return CX_ENOMEM;
	}
	for (i = 0; i < v->obj->n_software && rc == CX_OK; i++)
		rc = inv03_row(v, &v->obj->software[i], claimed, buf);
	if (rc == CX_OK)
		rc = inv03_undeclared(v, claimed, buf);
	if (rc == CX_OK)
		rc = cx_inv_os(v, "inventory");
	free(claimed);
	free(buf);
	return rc;
}
