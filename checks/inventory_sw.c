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

/* 1 if the Annex 6 row is installed on a hardware row that declares h. */
static int installed_at(const struct inv *v, const struct cx_sw_row *sw,
                        const struct host *h)
{
	const char *item;
	size_t i;

	for (i = 0; i < v->n_decls; i++) {
		if (!inv_decl_covers(&v->decls[i], h))
			continue;
		item = v->obj->hardware[v->decls[i].row].item;
		if (inv_item_listed(sw->installed_on, item))
			return 1;
	}
	return 0;
}

/* 1 if the row's place of installation resolves to any scanned host. */
static int row_has_hosts(const struct inv *v, const struct cx_sw_row *sw)
{
	size_t i;

	for (i = 0; i < v->n_hosts; i++)
		if (installed_at(v, sw, &v->hosts[i]))
			return 1;
	return 0;
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

static int open_product(const struct cx_port_obs *p)
{
	return p->state == CX_PORT_OPEN && p->addr != NULL &&
	       p->product != NULL && p->product[0] != '\0';
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
                     unsigned char *claimed)
{
	static const char method[] = "product and version from service "
	                             "detection compared with Annex 6";
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
	int rc = CX_OK, here = row_has_hosts(v, sw);

	snprintf(asset, sizeof(asset), "Annex 6 item %s", nz(sw->item));
	snprintf(line, sizeof(line), "%ld", sw->line);
	for (i = 0; i < run->n_ports; i++) {
		p = &run->ports[i];
		if (!open_product(p) || !name_matches(sw, p->product))
			continue;
		h = port_host(v, p);
		if (here && (h == NULL || !installed_at(v, sw, h)))
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

/* Products found that no row claimed: one finding per host and product. */
static int inv03_undeclared(struct inv *v, const unsigned char *claimed)
{
	static const char method[] = "product from service detection "
	                             "compared with Annex 6";
	const struct cx_run *run = v->ctx->run;
	const struct cx_port_obs *p, *q;
	struct cx_buf ports = {0};
	char item[128], *disc;
	size_t i, j;
	int rc = CX_OK, dup;

	for (i = 0; i < run->n_ports && rc == CX_OK; i++) {
		p = &run->ports[i];
		if (!open_product(p) || claimed[i])
			continue;
		/* The first port of this host and product speaks for all. */
		dup = 0;
		for (j = 0; j < i && !dup; j++) {
			q = &run->ports[j];
			dup = open_product(q) && !claimed[j] &&
			      strcmp(q->addr, p->addr) == 0 &&
			      cx_strcaseeq(q->product, p->product);
		}
		if (dup)
			continue;
		ports.len = 0;
		for (j = i; j < run->n_ports && rc == CX_OK; j++) {
			q = &run->ports[j];
			if (open_product(q) && !claimed[j] &&
			    strcmp(q->addr, p->addr) == 0 &&
			    cx_strcaseeq(q->product, p->product))
				rc = cx_buf_printf(&ports, "%s%d/%s",
				                   ports.len ? ", " : "",
				                   q->port, nz(q->proto));
		}
		if (rc)
			break;
		snprintf(item, sizeof(item), "%s", p->product);
		inv_lower(item);
		disc = cx_asprintf("%s%s%s", p->product,
		                   p->version && p->version[0] ? " " : "",
		                   nz(p->version));
		if (disc == NULL) {
			rc = CX_ENOMEM;
			break;
		}
		rc = inv_emit(v,
		              &(struct inv_finding){
		                  .req = "INV-03",
		                  .asset = p->addr,
		                  .item = item,
		                  .status = CX_FAIL,
		                  .certainty = CX_INFERRED,
		                  .msg = "inv.sw.undeclared",
		                  .args = CX_ARGS("product", p->product, "host",
		                                  p->addr, "ports", ports.data),
		                  .observed = disc,
		                  .method = method,
		                  .evidence = p->evidence,
		              });
		free(disc);
		disc = cx_asprintf("%s%s%s %s (%s)", p->product,
		                   p->version && p->version[0] ? " " : "",
		                   nz(p->version), p->addr, ports.data);
		if (rc == CX_OK)
			rc = disc ? inv_table_row(v, "-", "-", "-", disc,
			                          "found, not declared")
			          : CX_ENOMEM;
		free(disc);
	}
	cx_buf_free(&ports);
	return rc;
}

int inv03(struct inv *v)
{
	const struct cx_run *run = v->ctx->run;
	unsigned char *claimed;
	size_t i;
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
	if (claimed == NULL)
		return CX_ENOMEM;
	for (i = 0; i < v->obj->n_software && rc == CX_OK; i++)
		rc = inv03_row(v, &v->obj->software[i], claimed);
	if (rc == CX_OK)
		rc = inv03_undeclared(v, claimed);
	if (rc == CX_OK)
		rc = cx_inv_os(v->ctx, v->obj, run, "inventory");
	free(claimed);
	return rc;
}
