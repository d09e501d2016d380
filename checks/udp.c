/*
 * certexam — check "udp": what the UDP scan's replies prove, against the
 * network requirements of the profiles.
 *
 * NET-04  SNMP v1/v2c answered a default community, "public" or
 *         "private" (net.udp.snmp-community, item snmp-COMMUNITY); the
 *         NetBIOS name service answered a
 *         node status query (net.udp.netbios-ns).
 * NET-03  memcached answered "stats" over UDP (net.udp.memcached).
 * NET-07  no open resolver or amplification-prone UDP service: a DNS
 *         server that resolved the root NS recursively for the examiner
 *         (net.udp.open-resolver); a service known for reflection and
 *         amplification that answered (chargen, SSDP, CLDAP, memcached,
 *         mDNS, NetBIOS-NS, SNMP), or any amplification-prone probe whose
 *         reply was at least twice its request (net.udp.amplifier, with
 *         both sizes).  An NTP server answering a client-mode request
 *         (48 bytes for 48) is not judged an amplifier; one answering the
 *         mode 7 monlist request (8 bytes) with at least twice that is.
 *         The reply to a second probe of a port (monlist, community
 *         private; observation property "second") is judged under the
 *         probe's name as item; a reply on a port another reply already
 *         recorded ("also") is not judged again for NET-05.
 * NET-05  a UDP service answered that the case does not declare (only
 *         when the case declares its services, as the ports check does;
 *         net.udp.undeclared).
 *
 * Each finding is confirmed by the reply itself (its bytes are the
 * evidence, the product string it named is the observed text).  Silence
 * proves nothing over UDP (open|filtered), so this check records failures
 * only; the network block's passes come from the ports check.  One pass
 * over the observations, a hashed port lookup each, the interrupt flag
 * polled per observation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/loop.h"
#include "certexam/observation.h"
#include "certexam/run.h"

#define CHECK_ID "udp"

/* Services known for reflection and amplification (answered at all). */
static const char *const amplifiers[] = {
    "chargen", "ssdp", "cldap", "memcached", "mdns", "netbios-ns", "snmp",
};

static int fail(struct cx_check_ctx *ctx, const char *req,
                const struct cx_observation *o, const char *item,
                const char *msg, const char *const *args)
{
	return cx_emit(ctx, &(struct cx_emit){
	                        .check = CHECK_ID,
	                        .req = req,
	                        .asset = o->asset,
	                        .item = item,
	                        .status = CX_FAIL,
	                        .msg = msg,
	                        .args = args,
	                        .observed = cx_obs_get(o, "product"),
	                        .method_msg = "method.udp.payload",
	                        .evidence = cx_obs_get(o, "evidence"),
	                    });
}

static int is(const char *a, const char *b)
{
	return a != NULL && strcmp(a, b) == 0;
}

static unsigned long num(const struct cx_observation *o, const char *name)
{
	const char *v = cx_obs_get(o, name);
	char *end;
	unsigned long n;

	if (v == NULL)
		return 0;
	n = strtoul(v, &end, 10);
	return end != v && *end == '\0' ? n : 0;
}

/* NET-07: an open resolver or an amplification-prone service. */
static int judge_amplifier(struct cx_check_ctx *ctx,
                           const struct cx_observation *o, const char *svc,
                           const char *port)
{
	unsigned long req = num(o, "request-bytes"),
	              rep = num(o, "reply-bytes");
	char sreq[24], srep[24];
	int listed = 0;
	size_t i;

	if (is(svc, "dns"))
		return is(cx_obs_get(o, "recursion"), "open")
		           ? fail(ctx, "NET-07", o, "dns-recursion",
		                  "net.udp.open-resolver",
		                  CX_ARGS("port", port))
		           : CX_OK;
	if (!is(cx_obs_get(o, "amplifier"), "yes"))
		return CX_OK;
	for (i = 0; i < CX_ARRAY_LEN(amplifiers); i++)
		listed |= is(svc, amplifiers[i]);
	if (!listed && !(req > 0 && rep >= 2 * req))
		return CX_OK;
	snprintf(sreq, sizeof(sreq), "%lu", req);
	snprintf(srep, sizeof(srep), "%lu", rep);
	return fail(ctx, "NET-07", o,
	            is(cx_obs_get(o, "second"), "yes")
	                ? cx_obs_get(o, "identified-by")
	                : svc,
	            "net.udp.amplifier",
	            CX_ARGS("service", svc, "port", port, "request", sreq,
	                    "reply", srep));
}

static int judge(struct cx_check_ctx *ctx, const struct cx_observation *o,
                 const struct cx_port_obs *p, int portnum)
{
	const char *svc = cx_obs_get(o, "service");
	const char *version = cx_obs_get(o, "snmp-version");
	const char *com = cx_obs_get(o, "snmp-community");
	char port[16];
	int rc = CX_OK;

	if (svc == NULL || is(svc, "unknown"))
		return CX_OK;
	snprintf(port, sizeof(port), "%d", portnum);
	if (is(svc, "snmp") && (is(com, "public") || is(com, "private")))
		rc = fail(ctx, "NET-04", o,
		          is(com, "public") ? "snmp-public" : "snmp-private",
		          "net.udp.snmp-community",
		          CX_ARGS("version", version ? version : "v1/v2c",
		                  "community", com, "port", port));
	else if (is(svc, "netbios-ns"))
		rc = fail(ctx, "NET-04", o, "netbios-ns", "net.udp.netbios-ns",
		          CX_ARGS("port", port));
	else if (is(svc, "memcached"))
		rc = fail(ctx, "NET-03", o, "memcached", "net.udp.memcached",
		          CX_ARGS("port", port));
	if (rc == CX_OK)
		rc = judge_amplifier(ctx, o, svc, port);
	if (rc == CX_OK && p != NULL && !p->declared && ctx->obj != NULL &&
	    ctx->obj->n_services > 0 && !is(cx_obs_get(o, "also"), "yes"))
		rc = fail(ctx, "NET-05", o, svc, "net.udp.undeclared",
		          CX_ARGS("port", port, "service", svc));
	return rc;
}

/*
 * The port number of a "udp-service" observation's asset ("a.b.c.d:N/udp"
 * or "[v6]:N/udp") through *port, and its UDP port observation (hashed
 * lookup) or NULL.
 */
static const struct cx_port_obs *
port_of(const struct cx_run *run, const struct cx_observation *o, int *port)
{
	char addr[64];
	const char *a = o->asset, *colon;
	size_t n;
	long v;

	*port = 0;
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
	v = strtol(colon + 1, NULL, 10);
	if (v <= 0 || v > 65535)
		return NULL;
	*port = (int)v;
	return cx_run_find_port(run, addr, (int)v, "udp");
}

static int udp_run(struct cx_check_ctx *ctx)
{
	const struct cx_run *run = ctx->run;
	const struct cx_port_obs *p;
	size_t i, n = run->n_obs;
	int rc = CX_OK, port;

	/* Findings append to run->findings, never to run->obs. */
	for (i = 0; i < n && rc == CX_OK; i++) {
		if (cx_interrupted) {
			rc = CX_EINTR;
			break;
		}
		if (strcmp(run->obs[i].kind, "udp-service") != 0)
			continue;
		p = port_of(run, &run->obs[i], &port);
		if (port > 0)
			rc = judge(ctx, &run->obs[i], p, port);
	}
	return rc;
}

const struct cx_check cx_check_udp = {
    .id = CHECK_ID,
    .title = "UDP services: default SNMP community, NetBIOS, memcached, "
             "open resolvers and amplifiers, undeclared services",
    .block = "network",
    .flags = CX_CHECK_NETWORK, /* reads the UDP scan it causes */
    .run = udp_run,
};
