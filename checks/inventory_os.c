/*
 * certexam — the operating system part of the inventory check: where a
 * banner reveals the OS of a host (an SSH banner's "Debian-2+deb12u3", an
 * HTTP Server header's "(Debian)" or "(Win64)", a Microsoft product), it
 * is compared with what the applicant declares for the hardware with that
 * address: Annex 5 column 9 (the integrated software) and the Annex 6 rows
 * installed on it.  One finding (INV-03, item "os") per host whose OS the
 * scan reveals; hosts no Annex 5 row declares are left to INV-02.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/util.h"
#include "inventory.h"
#include "inventory_int.h"

struct os_hint {
	const char *needle; /* in a banner, lower case */
	const char *family; /* as the act names it */
	const char *alt;    /* another spelling in a declaration, or NULL */
};

static const struct os_hint hints[] = {
    {"debian", "Debian", NULL},
    {"ubuntu", "Ubuntu", NULL},
    {"centos", "CentOS", NULL},
    {"red hat", "Red Hat Enterprise Linux", "rhel"},
    {"rhel", "Red Hat Enterprise Linux", "red hat"},
    {"fedora", "Fedora", NULL},
    {"freebsd", "FreeBSD", NULL},
    {"alpine", "Alpine Linux", NULL},
    {"astra", "Astra Linux", NULL},
    {"suse", "SUSE Linux", NULL},
    {"win64", "Windows", NULL},
    {"win32", "Windows", NULL},
    {"windows", "Windows", NULL},
    {"microsoft", "Windows", NULL},
};

static const char *nz(const char *s)
{
	return s != NULL ? s : "";
}

static const char *ci_find(const char *hay, const char *needle)
{
	size_t i, n = strlen(needle), hn = strlen(hay);

	for (i = 0; n > 0 && i + n <= hn; i++)
		if (cx_strncaseeq(hay + i, needle, n))
			return hay + i;
	return NULL;
}

/* The release a banner reveals: "deb12" -> "12", "el9" -> "9". */
static void banner_release(const char *text, char *out, size_t outsz)
{
	static const char *const marks[] = {"+deb", "~deb", ".el", "_el"};
	const char *p;
	size_t i, n;

	out[0] = '\0';
	for (i = 0; i < CX_ARRAY_LEN(marks); i++) {
		p = ci_find(text, marks[i]);
		if (p == NULL)
			continue;
		p += strlen(marks[i]);
		for (n = 0; p[n] >= '0' && p[n] <= '9' && n + 1 < outsz; n++)
			out[n] = p[n];
		out[n] = '\0';
		if (n > 0)
			return;
	}
}

/* The release a declaration states after the family's name:
 * "Debian GNU/Linux 12" -> "12". */
static void declared_release(const char *at, char *out, size_t outsz)
{
	size_t i = 0, n = 0;

	while (at[i] != '\0' && i < 24 && (at[i] < '0' || at[i] > '9'))
		i++;
	while (at[i + n] >= '0' && at[i + n] <= '9' && n + 1 < outsz) {
		out[n] = at[i + n];
		n++;
	}
	out[n] = '\0';
}

/* What the banners of the host at addr reveal. */
struct reveal {
	const struct os_hint *os;
	char release[16];
	char from[160]; /* "OpenSSH 9.2p1 Debian-2+deb12u3 on 22/tcp" */
	const char *evidence;
};

static void host_reveal(const struct inv *v, const char *addr, struct reveal *r)
{
	const struct cx_run *run = v->ctx->run;
	const struct cx_port_obs *p;
	char text[400];
	size_t i, k, end;

	memset(r, 0, sizeof(*r));
	/* the host's ports only, in run order (the index by address) */
	for (i = inv_idx_ports_at(&v->idx, run, addr, &end); i < end; i++) {
		p = &run->ports[v->idx.by_addr[i]];
		if (p->state != CX_PORT_OPEN || p->product == NULL)
			continue;
		snprintf(text, sizeof(text), "%s %s %s", p->product,
		         nz(p->version), nz(p->extra));
		for (k = 0; k < CX_ARRAY_LEN(hints); k++) {
			if (ci_find(text, hints[k].needle) == NULL)
				continue;
			if (r->os != NULL && r->release[0] != '\0')
				break;
			r->os = &hints[k];
			banner_release(text, r->release, sizeof(r->release));
			snprintf(r->from, sizeof(r->from), "%.120s %d/%s", text,
			         p->port, nz(p->proto));
			r->evidence = p->evidence;
			break;
		}
	}
}

/* Annex 5 column 9 of the rows that declare addr, and the Annex 6 rows
 * installed on them (both looked up in the check's indexes). */
static int declared_text(const struct inv *v, const char *addr,
                         struct cx_buf *b, const struct cx_hw_row **first)
{
	const struct cx_object *obj = v->obj;
	const struct cx_hw_row *hw;
	const struct cx_sw_row *sw;
	const struct decl *d;
	struct cx_addr a;
	size_t i, j, end, hi, last = (size_t)-1;
	int prefix;

	*first = NULL;
	if (cx_inv_addr_parse(addr, strlen(addr), &a, &prefix) != CX_OK)
		return CX_OK;
	/* the rows that write the address without a prefix, in row order,
	 * each once (the declarations sorted by address, then row) */
	for (i = inv_idx_decls_at(v, &a, &hi); i < hi; i++) {
		d = v->by_addr[i];
		if (d->written_prefix || d->row == last)
			continue;
		last = d->row;
		hw = &obj->hardware[d->row];
		if (*first == NULL)
			*first = hw;
		if (cx_buf_printf(b, "%s%s", b->len ? "; " : "",
		                  nz(hw->software)))
			return CX_ENOMEM;
		for (j = inv_idx_sw_on(&v->idx, nz(hw->item), &end); j < end;
		     j++) {
			sw = &obj->software[v->idx.sw_items[j].row];
			if (cx_buf_printf(b, "; %s %s", nz(sw->name),
			                  nz(sw->version)))
				return CX_ENOMEM;
		}
	}
	return CX_OK;
}

int cx_inv_os(struct inv *v, const char *check_id)
{
	struct cx_check_ctx *ctx = v->ctx;
	const struct cx_run *run = ctx->run;
	static const char method[] = "method.inv.os";
	const struct cx_hw_row *hw;
	struct cx_buf decl = {0};
	struct reveal r;
	const char *at;
	char rel[16], seen[200];
	enum cx_status st;
	const char *msg, *state;
	size_t i;
	int rc = CX_OK;

	for (i = 0; i < run->n_hosts && rc == CX_OK; i++) {
		if (!run->hosts[i].up || run->hosts[i].addr == NULL)
			continue;
		host_reveal(v, run->hosts[i].addr, &r);
		if (r.os == NULL)
			continue;
		decl.len = 0;
		rc = declared_text(v, run->hosts[i].addr, &decl, &hw);
		if (rc || hw == NULL)
			continue; /* undeclared hosts are INV-02's */
		snprintf(seen, sizeof(seen), "%s%s%s", r.os->family,
		         r.release[0] ? " " : "", r.release);
		at = ci_find(nz(decl.data), r.os->needle);
		if (at == NULL && r.os->alt != NULL)
			at = ci_find(nz(decl.data), r.os->alt);
		if (at == NULL && strcmp(r.os->family, "Windows") == 0)
			at = ci_find(nz(decl.data), "windows");
		rel[0] = '\0';
		if (at != NULL)
			declared_release(at, rel, sizeof(rel));
		if (at == NULL) {
			st = CX_FAIL;
			msg = "inv.os.differs";
			state = "differs";
		} else if (r.release[0] && rel[0] &&
		           strcmp(r.release, rel) != 0) {
			st = CX_FAIL;
			msg = "inv.os.release-differs";
			state = "differs";
		} else if (r.release[0] || !rel[0]) {
			st = CX_PASS;
			msg = "inv.os.matches";
			state = "matches";
		} else {
			st = CX_PASS;
			msg = "inv.os.more-precise";
			state = "declared more precisely than observable";
		}
		rc = cx_emit(
		    ctx,
		    &(struct cx_emit){
		        .check = check_id,
		        .req = "INV-03",
		        .asset = run->hosts[i].addr,
		        .item = "os",
		        .status = st,
		        .certainty = CX_INFERRED,
		        .msg = msg,
		        .args = CX_ARGS("host", run->hosts[i].addr, "os", seen,
		                        "item", nz(hw->item), "declared",
		                        decl.len ? decl.data : "-"),
		        .observed = r.from,
		        .method_msg = method,
		        .evidence = r.evidence,
		    });
		if (rc == CX_OK)
			rc = cx_inv_table_row(ctx->run, "5", nz(hw->item),
			                      decl.len ? decl.data : "-", seen,
			                      state);
	}
	cx_buf_free(&decl);
	return rc;
}
