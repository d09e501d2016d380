/*
 * certexam — the inventory check: the applicant's Annexes 5 and 6 against
 * what the scan observed.
 *
 * INV-01  every address of Annex 5 column 10 that lies in the scan scope
 *         answered the port scan (one finding per address and hardware
 *         item; an address outside the scope is not_checked; a declared
 *         network block passes when a host in it answered).
 * INV-02  every host that answered is declared in Annex 5 (its address,
 *         or a declared block that contains it).
 * INV-03  every product service detection identified is declared in
 *         Annex 6: the detected product name is contained in the declared
 *         name (or in "developer name"), case-insensitively, and a
 *         declared version equals the detected one or is a prefix of it
 *         that ends on a component boundary ("9.2" matches "9.2p1", "1.2"
 *         does not match "1.22").  Rows installed on the hardware item
 *         that carries the address are preferred when there are any.
 *
 * Nothing is passed silently: without Annex 5 rows (or addresses) INV-01
 * and INV-02 are not_checked, without host observations INV-02 is
 * not_checked, and without any identified product INV-03 is not_checked.
 * A product that does not disclose its version passes with certainty
 * "inferred" and says so, since hiding versions is what NET-06 asks for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/util.h"
#include "inventory.h"

#define CHECK_ID "inventory"

/* One address or block written in Annex 5 column 10. */
struct decl {
	struct cx_addr a;
	int prefix; /* the block's prefix when block, else -1 */
	int block;
	const struct cx_hw_row *row;
};

/* A host observation with its parsed address, sorted for lookups. */
struct host {
	struct cx_addr a;
	const struct cx_host_obs *obs;
};

struct inv {
	struct cx_check_ctx *ctx;
	const struct cx_object *obj;
	struct decl *decls;
	size_t n_decls, cap_decls;
	size_t n_bad;                /* tokens that are not addresses */
	const struct decl **by_addr; /* single addresses, sorted */
	size_t n_by_addr;
	struct host *hosts;
	size_t n_hosts;
};

/* Rows built by hand may carry NULL cells; the loader never does. */
static const char *nz(const char *s)
{
	return s != NULL ? s : "";
}

static int addr_cmp(const struct cx_addr *x, const struct cx_addr *y)
{
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->b, y->b, sizeof(x->b));
}

static int host_cmp(const void *a, const void *b)
{
	const struct host *x = a, *y = b;

	return addr_cmp(&x->a, &y->a);
}

static void addr_text(const struct cx_addr *a, int prefix, char *out,
                      size_t outsz)
{
	char s[64];
	size_t n;

	cx_addr_str(a, s, sizeof(s));
	if (prefix >= 0) {
		n = strlen(s);
		snprintf(s + n, sizeof(s) - n, "/%d", prefix);
	}
	snprintf(out, outsz, "%s", s);
}

static int emit(struct inv *v, const char *req, const char *asset,
                const char *item, enum cx_status st, enum cx_certainty cert,
                const char *title, const char *observed, const char *method,
                const char *evidence)
{
	return cx_emit(v->ctx, &(struct cx_emit){
	                           .check = CHECK_ID,
	                           .req = req,
	                           .asset = asset,
	                           .item = item,
	                           .status = st,
	                           .certainty = cert,
	                           .title = title,
	                           .observed = observed,
	                           .method = method,
	                           .evidence = evidence,
	                       });
}

/* Collect every address of every hardware row. */
static int collect_decls(struct inv *v)
{
	const struct cx_hw_row *row;
	const char *cur;
	struct cx_inv_tok t;
	struct decl d;
	size_t i;

	for (i = 0; i < v->obj->n_hardware; i++) {
		row = &v->obj->hardware[i];
		cur = NULL;
		while (cx_inv_addr_scan(row->addresses, &cur, &t)) {
			memset(&d, 0, sizeof(d));
			if (t.kind == CX_INV_BAD)
				v->n_bad++; /* reported by the loader */
			if (t.kind != CX_INV_ADDR)
				continue;
			d.a = t.a;
			d.prefix = t.prefix;
			d.block = cx_inv_addr_is_block(&d.a, d.prefix);
			if (!d.block)
				d.prefix = -1; /* "192.0.2.5/24" is the host */
			d.row = row;
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
	qsort(v->hosts, v->n_hosts, sizeof(*v->hosts), host_cmp);
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
	h = bsearch(&key, v->hosts, v->n_hosts, sizeof(*v->hosts), host_cmp);
	if (h == NULL)
		return NULL;
	i = (size_t)(h - v->hosts);
	while (i > 0 && addr_cmp(&v->hosts[i - 1].a, a) == 0)
		i--;
	for (; i < v->n_hosts && addr_cmp(&v->hosts[i].a, a) == 0; i++)
		if (v->hosts[i].obs->up)
			return v->hosts[i].obs;
	return h->obs;
}

static int in_scope(const struct inv *v, const struct cx_addr *a)
{
	return v->ctx->scope != NULL && cx_scope_contains(v->ctx->scope, a);
}

/* 1 if an earlier declaration of the same row names the same thing. */
static int decl_repeated(const struct inv *v, size_t k)
{
	size_t i;

	/* The declarations of one row are consecutive. */
	for (i = k; i > 0 && v->decls[i - 1].row == v->decls[k].row; i--)
		if (v->decls[i - 1].prefix == v->decls[k].prefix &&
		    addr_cmp(&v->decls[i - 1].a, &v->decls[k].a) == 0)
			return 1;
	return 0;
}

static int inv01_block(struct inv *v, const struct decl *d, const char *asset)
{
	size_t i, up = 0, scanned = 0;
	char *obs;
	int rc;

	for (i = 0; i < v->n_hosts; i++) {
		if (!cx_inv_addr_in_block(&v->hosts[i].a, &d->a, d->prefix))
			continue;
		scanned++;
		if (v->hosts[i].obs->up)
			up++;
	}
	if (up > 0) {
		obs = cx_asprintf("Annex 5 item %s declares the network %s; "
		                  "%zu of %zu scanned addresses in it "
		                  "answered",
		                  nz(d->row->item), asset, up, scanned);
		if (obs == NULL)
			return CX_ENOMEM;
		rc =
		    emit(v, "INV-01", asset, nz(d->row->item), CX_PASS,
		         CX_CONFIRMED, "Declared network has hosts that answer",
		         obs, "port scan of the declared scope", NULL);
	} else if (scanned > 0) {
		obs = cx_asprintf("Annex 5 item %s declares the network %s; "
		                  "none of the %zu scanned addresses in it "
		                  "answered",
		                  nz(d->row->item), asset, scanned);
		if (obs == NULL)
			return CX_ENOMEM;
		rc = emit(v, "INV-01", asset, nz(d->row->item), CX_FAIL,
		          CX_CONFIRMED, "Declared network: no host answers",
		          obs, "port scan of the declared scope", NULL);
	} else {
		obs = cx_asprintf("Annex 5 item %s declares the network %s; "
		                  "no address in it was scanned (outside the "
		                  "scope of the examination)",
		                  nz(d->row->item), asset);
		if (obs == NULL)
			return CX_ENOMEM;
		rc = emit(v, "INV-01", asset, nz(d->row->item), CX_NOT_CHECKED,
		          CX_CONFIRMED, "Declared network not scanned", obs,
		          "port scan of the declared scope", NULL);
	}
	free(obs);
	return rc;
}

static int inv01_host(struct inv *v, const struct decl *d, const char *asset)
{
	static const char method[] = "Annex 5 column 10 compared with the "
	                             "hosts that answered the port scan";
	const struct cx_host_obs *h;
	char *obs;
	int rc;

	if (!in_scope(v, &d->a)) {
		obs = cx_asprintf("Annex 5 item %s declares %s, which is "
		                  "outside the scope of the examination; it "
		                  "was not scanned",
		                  nz(d->row->item), asset);
		if (obs == NULL)
			return CX_ENOMEM;
		rc = emit(v, "INV-01", asset, nz(d->row->item), CX_NOT_CHECKED,
		          CX_CONFIRMED, "Declared address outside the scope",
		          obs, method, NULL);
		free(obs);
		return rc;
	}
	h = find_host(v, &d->a);
	if (h == NULL) {
		obs = cx_asprintf("Annex 5 item %s declares %s; it is in the "
		                  "scope but the scan did not reach it "
		                  "(interrupted or limited)",
		                  nz(d->row->item), asset);
		if (obs == NULL)
			return CX_ENOMEM;
		rc = emit(v, "INV-01", asset, nz(d->row->item), CX_NOT_CHECKED,
		          CX_CONFIRMED, "Declared address not scanned", obs,
		          method, NULL);
	} else if (h->up) {
		obs = cx_asprintf("Annex 5 item %s declares %s; the host "
		                  "answered the port scan",
		                  nz(d->row->item), asset);
		if (obs == NULL)
			return CX_ENOMEM;
		rc = emit(v, "INV-01", asset, nz(d->row->item), CX_PASS,
		          CX_CONFIRMED, "Declared address is present", obs,
		          method, NULL);
	} else {
		obs = cx_asprintf("Annex 5 item %s declares %s; the host did "
		                  "not answer on any scanned port",
		                  nz(d->row->item), asset);
		if (obs == NULL)
			return CX_ENOMEM;
		rc = emit(v, "INV-01", asset, nz(d->row->item), CX_FAIL,
		          CX_CONFIRMED, "Declared address does not answer", obs,
		          method, NULL);
	}
	free(obs);
	return rc;
}

static int inv01(struct inv *v)
{
	char asset[80];
	size_t i;
	int rc;

	if (v->obj->n_hardware == 0)
		return emit(v, "INV-01", "Annex 5", NULL, CX_NOT_CHECKED,
		            CX_CONFIRMED, "No list of hardware to compare",
		            "Annex 5 (hardware.csv) was not submitted or has "
		            "no rows, so no declared address could be checked",
		            NULL, NULL);
	if (v->n_decls == 0)
		return emit(v, "INV-01", "Annex 5", NULL, CX_NOT_CHECKED,
		            CX_CONFIRMED, "No network addresses declared",
		            v->n_bad
		                ? "Annex 5 column 10 holds no valid network "
		                  "address (see the validation messages)"
		                : "Annex 5 declares no network addresses "
		                  "(column 10 is empty in every row)",
		            NULL, NULL);
	for (i = 0; i < v->n_decls; i++) {
		if (decl_repeated(v, i))
			continue;
		addr_text(&v->decls[i].a, v->decls[i].prefix, asset,
		          sizeof(asset));
		if (v->decls[i].block)
			rc = inv01_block(v, &v->decls[i], asset);
		else
			rc = inv01_host(v, &v->decls[i], asset);
		if (rc)
			return rc;
	}
	return CX_OK;
}

/* Order of by_addr: address, then the order of the rows. */
static int decl_ptr_cmp(const void *a, const void *b)
{
	const struct decl *x = *(const struct decl *const *)a;
	const struct decl *y = *(const struct decl *const *)b;
	int c = addr_cmp(&x->a, &y->a);

	if (c != 0)
		return c;
	return x < y ? -1 : x > y;
}

/* Index the single-address declarations for declared(). */
static int index_decls(struct inv *v)
{
	size_t i;

	if (v->n_decls == 0)
		return CX_OK;
	v->by_addr = calloc(v->n_decls, sizeof(*v->by_addr));
	if (v->by_addr == NULL)
		return CX_ENOMEM;
	for (i = 0; i < v->n_decls; i++)
		if (!v->decls[i].block)
			v->by_addr[v->n_by_addr++] = &v->decls[i];
	qsort(v->by_addr, v->n_by_addr, sizeof(*v->by_addr), decl_ptr_cmp);
	return CX_OK;
}

/*
 * The first declaration (in row order) of the address a, else the first
 * declared block that contains a, else NULL.
 */
static const struct decl *declared(const struct inv *v, const struct cx_addr *a)
{
	size_t lo = 0, hi = v->n_by_addr, mid, i;

	while (lo < hi) { /* the first entry >= a */
		mid = lo + (hi - lo) / 2;
		if (addr_cmp(&v->by_addr[mid]->a, a) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < v->n_by_addr && addr_cmp(&v->by_addr[lo]->a, a) == 0)
		return v->by_addr[lo];
	for (i = 0; i < v->n_decls; i++)
		if (v->decls[i].block &&
		    cx_inv_addr_in_block(a, &v->decls[i].a, v->decls[i].prefix))
			return &v->decls[i];
	return NULL;
}

static int inv02(struct inv *v)
{
	static const char method[] = "hosts that answered the port scan "
	                             "compared with Annex 5 column 10";
	const struct decl *d;
	const struct cx_host_obs *h;
	size_t i, up = 0;
	char asset[80], *obs;
	int rc;

	if (v->obj->n_hardware == 0)
		return emit(v, "INV-02", "Annex 5", NULL, CX_NOT_CHECKED,
		            CX_CONFIRMED, "No list of hardware to compare",
		            "Annex 5 (hardware.csv) was not submitted or has "
		            "no rows, so hosts found cannot be matched to it",
		            NULL, NULL);
	if (v->n_decls == 0)
		return emit(v, "INV-02", "Annex 5", NULL, CX_NOT_CHECKED,
		            CX_CONFIRMED, "No network addresses declared",
		            "Annex 5 declares no valid network addresses, so "
		            "hosts found cannot be matched to it",
		            NULL, NULL);
	if (v->n_hosts == 0)
		return emit(v, "INV-02", "scope", NULL, CX_NOT_CHECKED,
		            CX_CONFIRMED, "No hosts were scanned",
		            "the run has no host observations (the port scan "
		            "did not run or was interrupted)",
		            NULL, NULL);
	for (i = 0; i < v->n_hosts; i++) {
		h = v->hosts[i].obs;
		if (!h->up)
			continue;
		if (i > 0 &&
		    addr_cmp(&v->hosts[i - 1].a, &v->hosts[i].a) == 0 &&
		    v->hosts[i - 1].obs->up)
			continue; /* the same address observed twice */
		up++;
		addr_text(&v->hosts[i].a, -1, asset, sizeof(asset));
		d = declared(v, &v->hosts[i].a);
		if (d != NULL) {
			obs = cx_asprintf("the host %s answered; Annex 5 item "
			                  "%s declares it",
			                  asset, nz(d->row->item));
			if (obs == NULL)
				return CX_ENOMEM;
			rc = emit(v, "INV-02", asset, NULL, CX_PASS,
			          CX_CONFIRMED, "Host is declared in Annex 5",
			          obs, method, NULL);
		} else {
			obs = cx_asprintf("the host %s answered the port scan "
			                  "but no row of Annex 5 declares its "
			                  "address",
			                  asset);
			if (obs == NULL)
				return CX_ENOMEM;
			rc = emit(v, "INV-02", asset, NULL, CX_FAIL,
			          CX_CONFIRMED,
			          "Host found that Annex 5 does not declare",
			          obs, method, NULL);
		}
		free(obs);
		if (rc)
			return rc;
	}
	if (up == 0) {
		obs = cx_asprintf("%zu addresses were scanned and none "
		                  "answered, so no undeclared host was found",
		                  v->n_hosts);
		if (obs == NULL)
			return CX_ENOMEM;
		rc = emit(v, "INV-02", "scope", NULL, CX_PASS, CX_INFERRED,
		          "No undeclared host found", obs, method, NULL);
		free(obs);
		return rc;
	}
	return CX_OK;
}

static int lower_ascii(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* Case-insensitive (ASCII) substring test; an empty needle never matches. */
static int ci_contains(const char *hay, const char *needle)
{
	size_t i, j, hn, nn;

	if (hay == NULL || needle == NULL)
		return 0;
	hn = strlen(hay);
	nn = strlen(needle);
	if (nn == 0 || nn > hn)
		return 0;
	for (i = 0; i + nn <= hn; i++) {
		for (j = 0; j < nn; j++)
			if (lower_ascii((unsigned char)hay[i + j]) !=
			    lower_ascii((unsigned char)needle[j]))
				break;
		if (j == nn)
			return 1;
	}
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *skip_v(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	if ((*s == 'v' || *s == 'V') && is_digit(s[1]))
		s++;
	return s;
}

/*
 * 1 if the declared version equals the detected one or is a prefix of it
 * ending on a component boundary.
 */
static int version_matches(const char *declared_v, const char *detected)
{
	const char *d = skip_v(declared_v), *o = skip_v(detected);
	size_t n = strlen(d);

	while (n > 0 && (d[n - 1] == ' ' || d[n - 1] == '\t'))
		n--;
	if (n == 0 || strlen(o) < n || !cx_strncaseeq(o, d, n))
		return 0;
	if (o[n] == '\0')
		return 1;
	return !(is_digit(o[n]) && is_digit(d[n - 1]));
}

static int name_matches(const struct cx_sw_row *sw, const char *product)
{
	char *both;
	int m;

	if (ci_contains(sw->name, product))
		return 1;
	both = cx_asprintf("%s %s", sw->developer ? sw->developer : "",
	                   sw->name ? sw->name : "");
	if (both == NULL)
		return -1;
	m = ci_contains(both, product);
	free(both);
	return m;
}

/* 1 if the software row is installed on a hardware item that declares a. */
static int installed_at(const struct inv *v, const struct cx_sw_row *sw,
                        const struct cx_addr *a)
{
	const char *p, *start;
	size_t i, n;

	if (sw->installed_on == NULL)
		return 0;
	for (i = 0; i < v->n_decls; i++) {
		if (v->decls[i].block
		        ? !cx_inv_addr_in_block(a, &v->decls[i].a,
		                                v->decls[i].prefix)
		        : addr_cmp(&v->decls[i].a, a) != 0)
			continue;
		/* Is decls[i].row->item among sw->installed_on's numbers? */
		n = strlen(nz(v->decls[i].row->item));
		for (p = sw->installed_on; *p != '\0';) {
			while (*p != '\0' && !is_digit(*p))
				p++;
			start = p;
			while (is_digit(*p))
				p++;
			if (n > 0 && (size_t)(p - start) == n &&
			    memcmp(start, v->decls[i].row->item, n) == 0)
				return 1;
		}
	}
	return 0;
}

/* The declared versions of the matching rows, for the observed text. */
static int list_versions(const struct inv *v, const char *product,
                         const struct cx_addr *a, int only_here,
                         struct cx_buf *b)
{
	const struct cx_sw_row *sw;
	size_t i;
	int m;

	for (i = 0; i < v->obj->n_software; i++) {
		sw = &v->obj->software[i];
		m = name_matches(sw, product);
		if (m < 0)
			return CX_ENOMEM;
		if (!m || (only_here && a != NULL && !installed_at(v, sw, a)))
			continue;
		if (cx_buf_printf(b, "%s%s %s (item %s)", b->len ? ", " : "",
		                  nz(sw->name), nz(sw->version), nz(sw->item)))
			return CX_ENOMEM;
	}
	return CX_OK;
}

static int inv03_port(struct inv *v, const struct cx_port_obs *p)
{
	static const char method[] = "product and version from service "
	                             "detection compared with Annex 6";
	const struct cx_sw_row *sw;
	struct cx_addr a, *ap = NULL;
	struct cx_buf vers = {0};
	char asset[128], *item = NULL, *obs = NULL;
	size_t i, named = 0, here = 0, vmatch = 0, vmatch_here = 0;
	int prefix, m, rc = CX_OK, only_here;
	enum cx_status st;
	enum cx_certainty cert = CX_INFERRED;
	const char *title;

	snprintf(asset, sizeof(asset), "%s:%d/%s", p->addr, p->port,
	         p->proto ? p->proto : "tcp");
	item = cx_strdup(p->product);
	if (item == NULL)
		return CX_ENOMEM;
	for (i = 0; item[i] != '\0'; i++)
		item[i] = (char)lower_ascii((unsigned char)item[i]);
	if (cx_inv_addr_parse(p->addr, strlen(p->addr), &a, &prefix) == 0 &&
	    prefix < 0)
		ap = &a;
	for (i = 0; i < v->obj->n_software; i++) {
		sw = &v->obj->software[i];
		m = name_matches(sw, p->product);
		if (m < 0) {
			rc = CX_ENOMEM;
			goto out;
		}
		if (!m)
			continue;
		named++;
		if (p->version != NULL && p->version[0] != '\0' &&
		    version_matches(nz(sw->version), p->version))
			vmatch++;
		if (ap != NULL && installed_at(v, sw, ap)) {
			here++;
			if (p->version != NULL && p->version[0] != '\0' &&
			    version_matches(nz(sw->version), p->version))
				vmatch_here++;
		}
	}
	only_here = here > 0;
	rc = list_versions(v, p->product, ap, only_here, &vers);
	if (rc)
		goto out;
	if (named == 0) {
		st = CX_FAIL;
		title = "Software product not declared in Annex 6";
		obs = cx_asprintf("service detection identified %s%s%s on %s; "
		                  "%s",
		                  p->product, p->version ? " " : "",
		                  p->version ? p->version : "", asset,
		                  v->obj->n_software == 0
		                      ? "Annex 6 (software.csv) has no rows"
		                      : "no row of Annex 6 names it");
	} else if (p->version == NULL || p->version[0] == '\0') {
		st = CX_PASS;
		title = "Software product declared in Annex 6 (version not "
		        "disclosed)";
		obs = cx_asprintf("service detection identified %s on %s "
		                  "without a version; Annex 6 declares %s",
		                  p->product, asset, nz(vers.data));
	} else if ((only_here ? vmatch_here : vmatch) > 0) {
		st = CX_PASS;
		title = "Software product and version declared in Annex 6";
		obs = cx_asprintf("service detection identified %s %s on %s; "
		                  "Annex 6 declares %s",
		                  p->product, p->version, asset, nz(vers.data));
	} else {
		st = CX_FAIL;
		title = "Software version differs from Annex 6";
		obs = cx_asprintf("service detection identified %s %s on %s; "
		                  "Annex 6 declares %s",
		                  p->product, p->version, asset, nz(vers.data));
	}
	if (obs == NULL) {
		rc = CX_ENOMEM;
		goto out;
	}
	rc = emit(v, "INV-03", asset, item, st, cert, title, obs, method,
	          p->evidence);
out:
	cx_buf_free(&vers);
	free(obs);
	free(item);
	return rc;
}

static int inv03(struct inv *v)
{
	const struct cx_run *run = v->ctx->run;
	const struct cx_port_obs *p;
	size_t i, products = 0, open = 0;
	int rc;

	for (i = 0; i < run->n_ports; i++) {
		p = &run->ports[i];
		if (p->state != CX_PORT_OPEN || p->addr == NULL)
			continue;
		open++;
		if (p->product == NULL || p->product[0] == '\0')
			continue;
		products++;
		rc = inv03_port(v, p);
		if (rc)
			return rc;
	}
	if (products > 0)
		return CX_OK;
	return emit(v, "INV-03", "scope", NULL, CX_NOT_CHECKED, CX_CONFIRMED,
	            "No software product identified",
	            open ? "service detection identified no software product "
	                   "on the open ports, so Annex 6 could not be compared"
	                 : "no open port was found, so Annex 6 could not be "
	                   "compared with running software",
	            NULL, NULL);
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
	rc = collect_decls(&v);
	if (rc == CX_OK)
		rc = index_decls(&v);
	if (rc == CX_OK)
		rc = collect_hosts(&v);
	if (rc == CX_OK)
		rc = inv01(&v);
	if (rc == CX_OK)
		rc = inv02(&v);
	if (rc == CX_OK)
		rc = inv03(&v);
	free(v.by_addr);
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
