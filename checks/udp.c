/*
 * certexam — check "udp": what the UDP scan's replies prove, against the
 * network requirements the profiles already have.
 *
 * NET-04  SNMP v1/v2c answered the default community "public"; the
 *         NetBIOS name service answered a node status query.
 * NET-03  memcached answered "stats" over UDP (a cache reachable from the
 *         examiner's network, and an amplifier).
 * NET-05  a UDP service answered that the case does not declare (only
 *         when the case declares its services, as the ports check does).
 *
 * Each finding is confirmed by the reply itself (its bytes are the
 * evidence).  Silence proves nothing over UDP (open|filtered), so this
 * check records failures only; the network block's passes come from the
 * ports check.  Open recursive resolvers and amplification-prone services
 * are recorded in the "udp-service" observations (recursion, amplifier,
 * reply-bytes / request-bytes) until the profiles carry a requirement for
 * them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/observation.h"
#include "certexam/run.h"

#define CHECK_ID "udp"

static int fail(struct cx_check_ctx *ctx, const char *req, const char *asset,
                const char *item, const char *title,
                const struct cx_observation *o)
{
	char observed[400];
	const char *info = cx_obs_get(o, "info");

	snprintf(observed, sizeof(observed), "%s (reply of %s byte(s) to %s)",
	         info ? info : "the service answered",
	         cx_obs_get(o, "reply-bytes") ? cx_obs_get(o, "reply-bytes")
	                                      : "?",
	         cx_obs_get(o, "identified-by") ? cx_obs_get(o, "identified-by")
	                                        : "a probe");
	return cx_emit(ctx, &(struct cx_emit){
	                        .check = CHECK_ID,
	                        .req = req,
	                        .asset = asset,
	                        .item = item,
	                        .status = CX_FAIL,
	                        .title = title,
	                        .observed = observed,
	                        .method = "UDP scan: protocol payload, reply "
	                                  "parsed",
	                        .evidence = cx_obs_get(o, "evidence"),
	                    });
}

static int judge(struct cx_check_ctx *ctx, const struct cx_observation *o,
                 const struct cx_port_obs *p)
{
	const char *svc = cx_obs_get(o, "service");
	const char *community = cx_obs_get(o, "snmp-community");
	char title[200];
	int rc = CX_OK;

	if (svc == NULL)
		return CX_OK;
	if (strcmp(svc, "snmp") == 0 && community != NULL &&
	    strcmp(community, "public") == 0) {
		snprintf(title, sizeof(title),
		         "SNMP %s answers the default community 'public' on %s",
		         cx_obs_get(o, "snmp-version")
		             ? cx_obs_get(o, "snmp-version")
		             : "v1/v2c",
		         o->asset);
		rc = fail(ctx, "NET-04", o->asset, "snmp-public", title, o);
	} else if (strcmp(svc, "netbios-ns") == 0) {
		snprintf(title, sizeof(title),
		         "NetBIOS name service answers on %s", o->asset);
		rc = fail(ctx, "NET-04", o->asset, "netbios-ns", title, o);
	} else if (strcmp(svc, "memcached") == 0) {
		snprintf(title, sizeof(title),
		         "memcached answers over UDP on %s", o->asset);
		rc = fail(ctx, "NET-03", o->asset, "memcached", title, o);
	}
	if (rc == CX_OK && p != NULL && !p->declared && ctx->obj != NULL &&
	    ctx->obj->n_services > 0) {
		snprintf(title, sizeof(title),
		         "Port %d/udp (%s) answers but is not declared in the "
		         "case",
		         p->port, svc);
		rc = fail(ctx, "NET-05", o->asset, svc, title, o);
	}
	return rc;
}

/* The UDP port observation the "udp-service" observation o is about. */
static const struct cx_port_obs *port_of(const struct cx_run *run,
                                         const struct cx_observation *o)
{
	char addr[64];
	const char *a = o->asset, *colon;
	size_t n;
	long port;

	if (a[0] == '[') {
		colon = strstr(a, "]:");
		if (colon == NULL)
			return NULL;
		n = (size_t)(colon - a - 1);
		a++;
		colon++;
	} else {
		colon = strrchr(a, ':');
		if (colon == NULL)
			return NULL;
		n = (size_t)(colon - a);
	}
	if (n == 0 || n >= sizeof(addr))
		return NULL;
	memcpy(addr, a, n);
	addr[n] = '\0';
	port = strtol(colon + 1, NULL, 10);
	if (port <= 0 || port > 65535)
		return NULL;
	return cx_run_find_port(run, addr, (int)port, "udp");
}

static int udp_run(struct cx_check_ctx *ctx)
{
	const struct cx_run *run = ctx->run;
	size_t i, n = run->n_obs;
	int rc = CX_OK;

	/* Findings append to run->findings, never to run->obs. */
	for (i = 0; i < n && rc == CX_OK; i++)
		if (strcmp(run->obs[i].kind, "udp-service") == 0)
			rc = judge(ctx, &run->obs[i],
			           port_of(run, &run->obs[i]));
	return rc;
}

const struct cx_check cx_check_udp = {
    .id = CHECK_ID,
    .title = "UDP services: default SNMP community, NetBIOS, memcached, "
             "undeclared services",
    .block = "network",
    .flags = CX_CHECK_NETWORK, /* reads the UDP scan it causes */
    .run = udp_run,
};
