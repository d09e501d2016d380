/*
 * certexam — the all-open host: a host that answers on (nearly) every
 * probed TCP port, as a port-spoofing firewall or a DNAT of every port
 * does.  Its port states say nothing about the services behind it, and
 * probing 65,535 "services" would cost an examination's time and memory
 * for no result.
 *
 * This file owns the decision and the marks, between the port scan and
 * service detection: a host with at least CX_ALL_OPEN_MIN_PROBED probed
 * ports of which at least CX_ALL_OPEN_PERCENT per cent answered gets one
 * "all-open-host" observation (open, probed, the ports service detection
 * still probes), and each of its open ports outside that sample keeps its
 * state (every port stays in the record) with the reason suffix
 * CX_REASON_NOT_PROBED, which service detection and the checks skip.  The
 * sample: the ports the case declares, then the usual ports of the
 * services the network requirements judge, at most CX_ALL_OPEN_SAMPLE in
 * all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/error.h"
#include "certexam/run.h"
#include "certexam/util.h"

/* The usual ports of what the network block judges, in this order. */
static const int usual[] = {
    21,   22,   23,   25,   53,   80,   110,  111,  135,  139,  143,   389,
    443,  445,  512,  513,  514,  873,  993,  995,  1433, 1521, 2049,  2375,
    3306, 3389, 5432, 5900, 5984, 6379, 8080, 8443, 9200, 9300, 11211, 27017,
};

int cx_port_not_probed(const struct cx_port_obs *p)
{
	size_t n, k = sizeof(CX_REASON_NOT_PROBED) - 1;

	if (p == NULL || p->reason == NULL)
		return 0;
	n = strlen(p->reason);
	return n >= k && strcmp(p->reason + n - k, CX_REASON_NOT_PROBED) == 0;
}

static int is_open_tcp(const struct cx_port_obs *p)
{
	return p->addr != NULL && p->state == CX_PORT_OPEN &&
	       (p->proto == NULL || strcmp(p->proto, "tcp") == 0);
}

/* Order of the index: by address, then port. */
static int by_addr_port(const void *a, const void *b)
{
	const struct cx_port_obs *x = *(struct cx_port_obs *const *)a;
	const struct cx_port_obs *y = *(struct cx_port_obs *const *)b;
	int c = strcmp(x->addr, y->addr);

	if (c != 0)
		return c;
	return (x->port > y->port) - (x->port < y->port);
}

static int usual_rank(int port)
{
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(usual); i++)
		if (usual[i] == port)
			return (int)i;
	return -1;
}

/*
 * Mark the ports idx[0..n) of one all-open host: choose the sample, give
 * every other port the reason suffix, record the observation.
 */
static int mark_host(struct cx_run *run, struct cx_port_obs *const *idx,
                     size_t n, size_t n_probed)
{
	unsigned char *keep = calloc(n, 1);
	int taken[CX_ARRAY_LEN(usual)] = {0};
	struct cx_observation *o;
	struct cx_buf list = {0};
	const char *addr = idx[0]->addr;
	size_t i, n_keep = 0;
	int rc = CX_OK, r;

	if (keep == NULL)
		return CX_ENOMEM;
	/* the declared ports first, then the usual ones in their order */
	for (i = 0; i < n && n_keep < CX_ALL_OPEN_SAMPLE; i++)
		if (idx[i]->declared) {
			keep[i] = 1;
			n_keep++;
		}
	for (i = 0; i < n; i++) {
		r = usual_rank(idx[i]->port);
		if (r >= 0)
			taken[r] = (int)i + 1;
	}
	for (r = 0; r < (int)CX_ARRAY_LEN(usual) && n_keep < CX_ALL_OPEN_SAMPLE;
	     r++)
		if (taken[r] && !keep[taken[r] - 1]) {
			keep[taken[r] - 1] = 1;
			n_keep++;
		}
	for (i = 0; i < n && rc == CX_OK; i++) {
		struct cx_port_obs *p = idx[i];
		char *reason;

		if (keep[i]) {
			rc = cx_buf_printf(&list, "%s%d", list.len ? ", " : "",
			                   p->port);
			continue;
		}
		if (cx_port_not_probed(p))
			continue;
		reason = cx_asprintf("%s%s", p->reason ? p->reason : "open",
		                     CX_REASON_NOT_PROBED);
		if (reason == NULL) {
			rc = CX_ENOMEM;
			break;
		}
		free(p->reason);
		p->reason = reason;
	}
	if (rc == CX_OK) {
		o = cx_run_add_obs(run, "all-open-host", addr);
		if (o == NULL || cx_obs_propf(o, "open", "%zu", n) != CX_OK ||
		    cx_obs_propf(o, "probed", "%zu", n_probed) != CX_OK ||
		    cx_obs_prop(o, "service-probed",
		                list.len ? list.data : "none") != CX_OK)
			rc = CX_ENOMEM;
	}
	cx_buf_free(&list);
	free(keep);
	return rc;
}

int cx_run_mark_all_open(struct cx_run *run, size_t n_probed)
{
	struct cx_port_obs **idx = NULL;
	size_t n = 0, i, j;
	int rc = CX_OK;

	if (run == NULL)
		return CX_EINVAL;
	if (n_probed < CX_ALL_OPEN_MIN_PROBED || run->n_ports == 0)
		return CX_OK;
	idx = calloc(run->n_ports, sizeof(*idx));
	if (idx == NULL)
		return CX_ENOMEM;
	for (i = 0; i < run->n_ports; i++)
		if (is_open_tcp(&run->ports[i]))
			idx[n++] = &run->ports[i];
	qsort(idx, n, sizeof(*idx), by_addr_port);
	for (i = 0; i < n && rc == CX_OK; i = j) {
		const char *addr = idx[i]->addr;

		for (j = i + 1; j < n && strcmp(idx[j]->addr, addr) == 0; j++)
			;
		/* integer form of (j - i) >= PERCENT % of n_probed */
		if ((j - i) * 100 >= n_probed * CX_ALL_OPEN_PERCENT)
			rc = mark_host(run, idx + i, j - i, n_probed);
	}
	free(idx);
	return rc;
}
