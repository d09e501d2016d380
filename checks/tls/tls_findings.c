/*
 * certexam — the findings of the tls check on what was negotiated: the
 * protocol versions (TLS-01), the cipher suites (TLS-02, TLS-03), the
 * vulnerabilities (TLS-09: Heartbleed, CCS injection, ROBOT, POODLE,
 * BEAST, SWEET32, DROWN, ...) and the behaviours (TLS-10 .. TLS-13:
 * renegotiation, compression, key exchange, preference, fallback).  The
 * certificate's findings are in tls_findings_cert.c.  Every finding names
 * its cause by a message id of profiles/i18n (tls.proto.*, tls.suite.*,
 * tls.fs.*, tls.vuln.*, tls.reneg.*, tls.compression.*, tls.dh.*,
 * tls.groups.*, tls.fallback.*, tls.ocsp.*), its values as arguments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/i18n.h"
#include "tls_check.h"

/* How the accepted suites were determined (a method.* message id). */
static const char *M_SUITES = "method.tls.suites";

/*
 * The words of a result that was not determined for the reason w (a
 * tls.why.* note): its message id, with "what" the thing not determined
 * by its technical name (a protocol, a vulnerability, a requirement and
 * item) and "detail" as received.  args must hold 5 pointers.
 */
static const char *why_msg(const struct tls_note *w, const char *what,
                           const char **args)
{
	args[0] = "what";
	args[1] = what;
	args[2] = "detail";
	args[3] = w->detail;
	args[4] = NULL;
	return w->id;
}

/*
 * TLS-01: one finding per protocol below the minimum, pass or fail, so the
 * same key exists in the examination and in the additional examination.
 */
int tls_emit_protocols(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                       const struct tls_params *tp, const char *ev)
{
	struct cx_buf b = {0};
	int i, rc = 0;

	tls_proto_list(ep, &b);
	for (i = 0; i < tp->min_proto && i < TLS_NPROTO; i++) {
		const char *name = tls_proto_name(i);
		int yes = ep->proto[i] == TLS_YES, no = ep->proto[i] == TLS_NO;
		int nid = no && ep->proto_nid[i].id != NULL;
		int why = !yes && !no && ep->proto_why[i].id != NULL;

		rc |=
		    tls_emit(ctx, ep,
		             &(struct cx_emit){
		                 .req = "TLS-01",
		                 .item = name,
		                 .status = yes  ? CX_FAIL
		                           : no ? CX_PASS
		                                : CX_NOT_CHECKED,
		                 .msg = yes   ? "tls.proto.accepted"
		                        : nid ? ep->proto_nid[i].id
		                        : no  ? "tls.proto.refused"
		                        : why ? ep->proto_why[i].id
		                              : "tls.proto.not-tested",
		                 /* the alert, version or error as received */
		                 .args = CX_ARGS("protocol", name, "minimum",
		                                 tls_proto_name(tp->min_proto),
		                                 "accepted", b.data, "what",
		                                 name, "detail",
		                                 why ? ep->proto_why[i].detail
		                                     : ep->proto_nid[i].detail),
		                 .method_msg = tls_m_proto,
		                 .evidence = yes || no ? ev : NULL,
		             });
	}
	cx_buf_free(&b);
	return rc;
}

/* The weaknesses of suite s, as technical names ("NULL, anon, RC4"). */
static void suite_weak(const struct tls_suite *s, char *out, size_t n)
{
	static const struct {
		unsigned flag;
		const char *name;
	} w[] = {{TLS_SF_NULL, "NULL"},     {TLS_SF_ANON, "anon"},
	         {TLS_SF_EXPORT, "EXPORT"}, {TLS_SF_RC4, "RC4"},
	         {TLS_SF_DES, "DES"},       {TLS_SF_3DES, "3DES"},
	         {TLS_SF_MD5, "MD5"}};
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < CX_ARRAY_LEN(w); i++)
		if ((s->flags & w[i].flag) && len < n) {
			int k = snprintf(out + len, n - len, "%s%s",
			                 len ? ", " : "", w[i].name);
			if (k > 0)
				len += (size_t)k;
		}
}

int tls_emit_suites(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                    const struct tls_sum *sm, const char *ev)
{
	const struct tls_suite *s, *seen[TLS_NPROTO * 64];
	size_t n_seen = 0, j, k;
	int i, rc = 0, dup;
	char weak[64];
	struct cx_buf b = {0};

	for (i = 0; i < TLS_NPROTO; i++) {
		for (j = 0; j < ep->n_suites[i]; j++) {
			s = tls_suite_find(ep->suites[i][j]);
			if (s == NULL || !(s->flags & TLS_SF_FORBIDDEN))
				continue;
			dup = 0;
			for (k = 0; k < n_seen; k++)
				if (seen[k] == s)
					dup = 1;
			if (dup || n_seen >= CX_ARRAY_LEN(seen))
				continue;
			seen[n_seen++] = s;
			suite_weak(s, weak, sizeof(weak));
			rc |= tls_emit(
			    ctx, ep,
			    &(struct cx_emit){
			        .req = "TLS-02",
			        .item = s->name,
			        .status = CX_FAIL,
			        .msg = "tls.suite.forbidden",
			        .args = CX_ARGS("suite", s->name, "protocol",
			                        tls_proto_name(i), "kx", s->kx,
			                        "au", s->au, "enc", s->enc,
			                        "mac", s->mac, "weak",
			                        weak[0] ? weak : NULL),
			        .method_msg = M_SUITES,
			        .evidence = ev,
			    });
		}
	}
	if (n_seen == 0) {
		for (i = TLS_NPROTO - 1; i >= 0; i--) {
			if (ep->proto[i] != TLS_YES)
				continue;
			cx_buf_printf(&b, "%s%s: ", b.len ? "; " : "",
			              tls_proto_name(i));
			tls_suite_list(ep, i, &b);
		}
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-02",
		                   .status = CX_PASS,
		                   .msg = "tls.suite.none-forbidden",
		                   .args = CX_ARGS("suites", b.data),
		                   .method_msg = M_SUITES,
		                   .evidence = ev,
		               });
	}
	cx_buf_free(&b);
	/* TLS-03 */
	if (sm->fs_all && sm->fs_any) {
		rc |= tls_emit(ctx, ep,
		               &(struct cx_emit){
		                   .req = "TLS-03",
		                   .status = CX_PASS,
		                   .msg = "tls.fs.all",
		                   .method_msg = M_SUITES,
		                   .evidence = ev,
		               });
	} else {
		for (i = 0; i < TLS_NPROTO; i++)
			for (j = 0; j < ep->n_suites[i]; j++) {
				s = tls_suite_find(ep->suites[i][j]);
				if (s != NULL && !(s->flags & TLS_SF_FS) &&
				    b.len < 600)
					cx_buf_printf(
					    &b, "%s%s (%s)", b.len ? ", " : "",
					    s->name, tls_proto_name(i));
			}
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-03",
		        .status = CX_FAIL,
		        .msg = sm->fs_any ? "tls.fs.partial" : "tls.fs.none",
		        .args = CX_ARGS("suites", b.data),
		        .method_msg = M_SUITES,
		        .evidence = ev,
		    });
	}
	cx_buf_free(&b);
	return rc;
}

/*
 * One TLS-09 item.  msg_bad names the vulnerability found (also when only
 * potentially), msg_ok its absence; a result not determined is
 * tls.vuln.not-determined with the item's name.  nid, when the probe set
 * it, is the more precise cause of a determined result (its detail the
 * value as received, argument "detail"); else note is the probe's own
 * technical note, kept as observed.
 */
struct vuln {
	const char *item;
	int result; /* TLS_YES, TLS_POTENTIAL, TLS_NO, TLS_UNK */
	const char *msg_bad, *msg_ok;
	const char *const *args;
	const struct tls_note *why; /* why not determined, or NULL */
	const char *method;         /* how it was determined: a method.* id */
	int sev;                    /* CX_SEV_* when failed, or -1 */
	const struct tls_note *nid; /* NULL: none */
};

static int emit_vuln(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                     const struct vuln *v, const char *ev)
{
	enum cx_status st;
	enum cx_certainty ce = CX_CONFIRMED;
	const char *msg;
	const char *const *args = v->args;
	const char *const nd[] = {"vulnerability", v->item, NULL};
	const char *withd[2 * 8 + 1], *wargs[5], *what = v->item;
	const char *observed = NULL;
	size_t k = 0;

	switch (v->result) {
	case TLS_YES:
		st = CX_FAIL;
		msg = v->msg_bad;
		break;
	case TLS_POTENTIAL:
		st = CX_FAIL;
		ce = CX_POTENTIAL;
		msg = v->msg_bad;
		break;
	case TLS_NO:
		st = CX_PASS;
		msg = v->msg_ok;
		break;
	default:
		st = CX_NOT_CHECKED;
		msg = "tls.vuln.not-determined";
		args = nd;
		for (k = 0; v->args != NULL && v->args[k] != NULL; k += 2)
			if (strcmp(v->args[k], "vulnerability") == 0 &&
			    v->args[k + 1] != NULL)
				what = v->args[k + 1];
		k = 0;
		if (v->why != NULL && v->why->id != NULL &&
		    (v->nid == NULL || v->nid->id == NULL))
			msg = why_msg(v->why, what, wargs), args = wargs;
		break;
	}
	if (st != CX_NOT_CHECKED && v->why != NULL && v->why->id != NULL &&
	    strcmp(v->why->id, "tls.why.tls-library") == 0)
		observed = v->why->detail; /* OpenSSL's report, as given */
	if (v->nid != NULL && v->nid->id != NULL) {
		msg = v->nid->id;
		for (k = 0; args != NULL && args[k] != NULL && k + 4 < 2 * 8;
		     k += 2) {
			withd[k] = args[k];
			withd[k + 1] = args[k + 1];
		}
		withd[k] = "detail";
		withd[k + 1] = v->nid->detail;
		withd[k + 2] = NULL;
		args = withd;
	}
	return tls_emit(ctx, ep,
	                &(struct cx_emit){
	                    .req = "TLS-09",
	                    .item = v->item,
	                    .status = st,
	                    .certainty = ce,
	                    .severity = st == CX_FAIL && v->sev >= 0
	                                    ? CX_SEVERITY(v->sev)
	                                    : 0,
	                    .msg = msg,
	                    .args = args,
	                    .observed = observed,
	                    .method_msg = v->method,
	                    .evidence = ev,
	                });
}

int tls_emit_vulns(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                   const struct tls_sum *sm, const char *ev)
{
	char dh_min[16];
	int rc = 0, r, no12;

	tls_setf(dh_min, sizeof(dh_min), "%d", ep->dh_min);
	/* Only TLS 1.3: Heartbleed and CCS injection concern SSLv3 to
	 * TLS 1.2; without the heartbeat extension nothing is asked. */
	no12 = sm->only_tls13 && ep->heartbleed == TLS_NO;
	rc |= emit_vuln(ctx, ep,
	                &(struct vuln){"heartbleed", ep->heartbleed,
	                               "tls.vuln.heartbleed",
	                               no12 ? "tls.vuln.tls13-only"
	                               : ep->heartbeat_ext != TLS_YES
	                                   ? "tls.vuln.heartbleed-no-extension"
	                                   : "tls.vuln.heartbleed-absent",
	                               CX_ARGS("vulnerability", "Heartbleed"),
	                               &ep->hb_why, "method.tls.heartbleed", -1,
	                               no12 ? NULL : &ep->hb_nid},
	                ev);
	no12 = sm->only_tls13 && ep->ccs == TLS_NO;
	rc |= emit_vuln(
	    ctx, ep,
	    &(struct vuln){
	        "ccs-injection", ep->ccs, "tls.vuln.ccs-injection",
	        no12 ? "tls.vuln.tls13-only" : "tls.vuln.ccs-injection-absent",
	        CX_ARGS("vulnerability", "CCS injection"), &ep->ccs_why,
	        "method.tls.ccs-injection", -1, no12 ? NULL : &ep->ccs_nid},
	    ev);
	/* POODLE */
	r = ep->proto[1] == TLS_UNK ? TLS_UNK : sm->poodle ? TLS_YES : TLS_NO;
	rc |= emit_vuln(ctx, ep,
	                &(struct vuln){"poodle", r, "tls.vuln.poodle",
	                               ep->proto[1] == TLS_YES
	                                   ? "tls.vuln.poodle-no-cbc"
	                                   : "tls.vuln.poodle-absent",
	                               CX_ARGS("vulnerability", "POODLE"),
	                               &ep->proto_why[1], M_SUITES, -1, NULL},
	                ev);
	rc |= emit_vuln(
	    ctx, ep,
	    &(struct vuln){"sweet32", sm->block64 ? TLS_YES : TLS_NO,
	                   "tls.vuln.sweet32", "tls.vuln.sweet32-absent", NULL,
	                   NULL, M_SUITES, -1, NULL},
	    ev);
	rc |=
	    emit_vuln(ctx, ep,
	              &(struct vuln){"freak", sm->export_rsa ? TLS_YES : TLS_NO,
	                             "tls.vuln.freak", "tls.vuln.freak-absent",
	                             NULL, NULL, M_SUITES, -1, NULL},
	              ev);
	rc |= emit_vuln(
	    ctx, ep,
	    &(struct vuln){"logjam",
	                   sm->export_dhe ||
	                           (ep->dh_min > 0 && ep->dh_min < 1024)
	                       ? TLS_YES
	                       : TLS_NO,
	                   sm->export_dhe ? "tls.vuln.logjam-export"
	                                  : "tls.vuln.logjam-small-prime",
	                   "tls.vuln.logjam-absent",
	                   CX_ARGS("bits", ep->dh_min > 0 ? dh_min : NULL),
	                   NULL, "method.tls.logjam", -1, NULL},
	    ev);
	if (ep->proto[0] == TLS_YES || sm->drown_shared)
		r = TLS_YES;
	else
		r = ep->proto[0] == TLS_UNK ? TLS_UNK : TLS_NO;
	rc |= emit_vuln(
	    ctx, ep,
	    &(struct vuln){
	        "drown", r,
	        ep->proto[0] == TLS_YES ? "tls.vuln.drown-sslv2"
	                                : "tls.vuln.drown-shared-key",
	        "tls.vuln.drown-absent",
	        CX_ARGS("endpoint", sm->drown_with, "vulnerability", "DROWN"),
	        &ep->proto_why[0], "method.tls.drown", -1, NULL},
	    ev);
	rc |= emit_vuln(
	    ctx, ep,
	    &(struct vuln){"beast", sm->beast ? TLS_POTENTIAL : TLS_NO,
	                   "tls.vuln.beast", "tls.vuln.beast-absent", NULL,
	                   NULL, M_SUITES, CX_SEV_INFO, NULL},
	    ev);
	rc |= emit_vuln(
	    ctx, ep,
	    &(struct vuln){"lucky13", sm->cbc_tls ? TLS_POTENTIAL : TLS_NO,
	                   "tls.vuln.lucky13", "tls.vuln.lucky13-absent", NULL,
	                   NULL, M_SUITES, CX_SEV_LOW, NULL},
	    ev);
	rc |= emit_vuln(
	    ctx, ep,
	    /* TLS 1.3 has no compression: not asked, not vulnerable */
	    &(struct vuln){"crime", sm->only_tls13 ? TLS_NO : ep->compression,
	                   "tls.vuln.crime",
	                   sm->only_tls13 ? "tls.vuln.tls13-only"
	                                  : "tls.vuln.crime-absent",
	                   CX_ARGS("vulnerability", "CRIME"), NULL,
	                   "method.tls.compression", -1, NULL},
	    ev);
	/* Ticketbleed: only with a TLS <= 1.2 ticket to offer */
	rc |= emit_vuln(
	    ctx, ep,
	    &(struct vuln){
	        "ticketbleed",
	        sm->only_tls13 || (ep->sess_tested && !ep->sess_ticket)
	            ? TLS_NO
	            : ep->ticketbleed,
	        "tls.vuln.ticketbleed",
	        sm->only_tls13 ? "tls.vuln.tls13-only"
	        : ep->sess_tested && !ep->sess_ticket
	            ? "tls.vuln.ticketbleed-no-ticket"
	            : "tls.vuln.ticketbleed-absent",
	        CX_ARGS("vulnerability", "Ticketbleed"),
	        ep->tb_why.id ? &ep->tb_why : &ep->resume_why,
	        "method.tls.ticketbleed", -1,
	        sm->only_tls13 || (ep->sess_tested && !ep->sess_ticket)
	            ? NULL
	            : &ep->tb_nid},
	    ev);
	rc |= emit_vuln(
	    ctx, ep,
	    &(struct vuln){
	        /* TLS 1.3 has no RSA key exchange: not vulnerable */
	        "robot", sm->only_tls13 ? TLS_NO : ep->robot, "tls.vuln.robot",
	        sm->only_tls13 ? "tls.vuln.tls13-only"
	        : sm->rsa_kx   ? "tls.vuln.robot-absent"
	                       : "tls.vuln.robot-no-rsa",
	        CX_ARGS("vulnerability", "ROBOT"), &ep->robot_why,
	        "method.tls.robot", -1,
	        sm->rsa_kx && !sm->only_tls13 ? &ep->robot_nid : NULL},
	    ev);
	return rc;
}

/* TLS-10: renegotiation (secure, client-initiated) and compression. */
static int emit_reneg(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                      const struct tls_sum *sm, const char *ev)
{
	enum cx_status st;
	const char *msg, *wargs[5], *const *args = NULL, *observed = NULL;
	int rc = 0;

	if (sm->only_tls13) {
		st = CX_PASS;
		msg = "tls.reneg.tls13-only";
	} else {
		st = ep->reneg_secure == TLS_YES  ? CX_PASS
		     : ep->reneg_secure == TLS_NO ? CX_FAIL
		                                  : CX_NOT_CHECKED;
		msg = ep->reneg_secure == TLS_YES  ? "tls.reneg.secure"
		      : ep->reneg_secure == TLS_NO ? "tls.reneg.insecure"
		                                   : "tls.reneg.secure-unknown";
	}
	rc |=
	    tls_emit(ctx, ep,
	             &(struct cx_emit){
	                 .req = "TLS-10",
	                 .item = "secure-renegotiation",
	                 .status = st,
	                 .msg = msg,
	                 .method_msg = sm->only_tls13 ? tls_m_proto
	                                              : "method.tls.reneg-info",
	                 .evidence = ev,
	             });
	if (sm->only_tls13) {
		st = CX_PASS;
		msg = "tls.reneg.tls13-only";
	} else {
		st = ep->client_reneg == TLS_YES  ? CX_FAIL
		     : ep->client_reneg == TLS_NO ? CX_PASS
		                                  : CX_NOT_CHECKED;
		msg = ep->client_reneg == TLS_YES ? "tls.reneg.client-accepted"
		      : ep->client_reneg == TLS_NO
		          ? "tls.reneg.client-refused"
		          : "tls.reneg.client-not-tested";
		if (ep->client_reneg == TLS_NO && ep->reneg_nid.id != NULL)
			msg = ep->reneg_nid.id;
		else if (st == CX_NOT_CHECKED && ep->reneg_why.id != NULL) {
			msg = why_msg(&ep->reneg_why,
			              "TLS-10 client-renegotiation", wargs);
			args = wargs;
		} else if (ep->reneg_why.id != NULL &&
		           ep->reneg_why.detail[0] != '\0')
			observed = ep->reneg_why.detail; /* OpenSSL's report */
	}
	rc |= tls_emit(ctx, ep,
	               &(struct cx_emit){
	                   .req = "TLS-10",
	                   .item = "client-renegotiation",
	                   .status = st,
	                   .msg = msg,
	                   .args = args,
	                   .observed = observed,
	                   .method_msg = "method.tls.reneg-client",
	               });
	rc |= tls_emit(
	    ctx, ep,
	    &(struct cx_emit){
	        .req = "TLS-10",
	        .item = "compression",
	        .status = ep->compression == TLS_YES  ? CX_FAIL
	                  : ep->compression == TLS_NO ? CX_PASS
	                  : sm->only_tls13            ? CX_PASS
	                                              : CX_NOT_CHECKED,
	        .msg = ep->compression == TLS_YES  ? "tls.compression.deflate"
	               : ep->compression == TLS_NO ? "tls.compression.none"
	               : sm->only_tls13            ? "tls.compression.tls13"
	                                           : "tls.compression.unknown",
	        .method_msg = "method.tls.compression",
	        .evidence = ev,
	    });
	return rc;
}

/*
 * TLS-11 "dh-group": the DHE primes against the published groups.  A
 * widely shared prime of 1024 bits or less, or socat's non-prime modulus,
 * fails; a published group of more, or a prime of the server's own,
 * passes (its size is judged by "dh-params").
 */
static int emit_dh_group(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                         const char *ev)
{
	const struct tls_dh_group *worst = NULL;
	struct cx_buf b = {0};
	char bits[16];
	const char *msg;
	enum cx_status st = CX_PASS;
	size_t i;
	int rc;

	for (i = 0; i < ep->n_dh_named; i++) {
		const struct tls_dh_group *g = ep->dh_named[i];
		cx_buf_printf(&b, "%s%s", i ? "; " : "", g->name);
		if (worst == NULL || g->cls > worst->cls)
			worst = g;
	}
	if (ep->dh_min <= 0) {
		msg = "tls.dh.none";
		st = CX_NOT_APPLICABLE;
	} else if (worst != NULL && worst->cls == TLS_DHG_NONPRIME) {
		msg = "tls.dh.group-nonprime";
		st = CX_FAIL;
	} else if (worst != NULL && worst->cls == TLS_DHG_COMMON) {
		msg = "tls.dh.group-common";
		st = CX_FAIL;
	} else if (worst != NULL) {
		msg = "tls.dh.group-named";
	} else {
		msg = "tls.dh.group-custom";
	}
	tls_setf(bits, sizeof(bits), "%d", worst ? worst->bits : ep->dh_min);
	rc = tls_emit(ctx, ep,
	              &(struct cx_emit){
	                  .req = "TLS-11",
	                  .item = "dh-group",
	                  .status = st,
	                  .msg = msg,
	                  .args = CX_ARGS("group", worst ? worst->name : NULL,
	                                  "groups", b.data, "bits", bits),
	                  .method_msg = "method.tls.dh-group",
	                  .evidence = ev,
	              });
	cx_buf_free(&b);
	return rc;
}

/* TLS-11: the DHE primes and the key-exchange groups. */
static int emit_kx(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                   const struct tls_params *tp, const struct tls_sum *sm,
                   const char *ev)
{
	char lo[16], hi[16], min[24];
	struct cx_buf b = {0}, wb = {0};
	size_t i;
	int rc = 0;

	tls_setf(lo, sizeof(lo), "%d", ep->dh_min);
	tls_setf(hi, sizeof(hi), "%d", ep->dh_max);
	tls_setf(min, sizeof(min), "%ld", tp->min_dh);
	rc |= tls_emit(
	    ctx, ep,
	    &(struct cx_emit){
	        .req = "TLS-11",
	        .item = "dh-params",
	        .status = ep->dh_min > 0 && ep->dh_min < tp->min_dh ? CX_FAIL
	                                                            : CX_PASS,
	        .msg = ep->dh_min <= 0           ? "tls.dh.none"
	               : ep->dh_min < tp->min_dh ? "tls.dh.small"
	                                         : "tls.dh.ok",
	        .args = CX_ARGS("min", lo, "max", hi, "minimum", min),
	        .method_msg = ep->dh_min > 0 ? "method.tls.dh-ske" : M_SUITES,
	        .evidence = ev,
	    });
	rc |= emit_dh_group(ctx, ep, ev);
	for (i = 0; i < ep->n_groups; i++) {
		uint16_t g = ep->groups[i];
		int bits = tls_group_bits(g);
		const char *nm = tls_group_name(g);
		int w = 0;
		if (g >= 256 && g <= 260)
			w = bits < tp->min_dh;
		else if (g == 19 || g == 21)
			w = 1; /* 192/224-bit curves */
		cx_buf_printf(&b, "%s%s", i ? " " : "", nm ? nm : "unknown");
		if (w)
			cx_buf_printf(&wb, "%s%s", wb.len ? " " : "",
			              nm ? nm : "unknown");
	}
	if (ep->n_groups > 0)
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-11",
		        .item = "groups",
		        .status = wb.len ? CX_FAIL : CX_PASS,
		        .msg = wb.len ? "tls.groups.weak" : "tls.groups.ok",
		        .args = CX_ARGS("groups", b.data, "weak", wb.data),
		        .method_msg = ep->groups_method == 13
		                          ? "method.tls.groups-13"
		                          : "method.tls.groups-12",
		        .evidence = ev,
		    });
	else {
		/* Only DHE with the server's own prime (TLS <= 1.2, no ECDHE):
		 * no named group is negotiated; the prime is judged by
		 * dh-params and dh-group. */
		int ecdhe = 0, j2;
		size_t j;
		for (j2 = 0; j2 < TLS_NPROTO && !ecdhe; j2++)
			for (j = 0; ep->proto[j2] == TLS_YES &&
			            j < ep->n_suites[j2] && !ecdhe;
			     j++) {
				const struct tls_suite *s =
				    tls_suite_find(ep->suites[j2][j]);
				ecdhe =
				    s != NULL && (s->flags & TLS_SF_FS) &&
				    (strncmp(s->kx, "ECDH", 4) == 0 || j2 == 5);
			}
		int dhe_only = sm->fs_any && !ecdhe && ep->dh_min > 0;
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-11",
		        .item = "groups",
		        .status = sm->fs_any && !dhe_only ? CX_NOT_CHECKED
		                                          : CX_NOT_APPLICABLE,
		        .msg = dhe_only     ? "tls.groups.dhe-only"
		               : sm->fs_any ? "tls.groups.unknown"
		                            : "tls.groups.no-ephemeral",
		        .method_msg = dhe_only ? M_SUITES : NULL,
		    });
	}
	cx_buf_free(&b);
	cx_buf_free(&wb);
	return rc;
}

/*
 * TLS-14: the lifetime hint of a TLS <= 1.2 session ticket (item
 * ticket-lifetime) and the ticket_lifetime of a TLS 1.3 NewSessionTicket
 * (item ticket-lifetime-tls13) against tls.max_ticket_lifetime.
 * Resumption itself is no defect: whether the server resumed is recorded
 * in the observation.
 */
static int emit_resume(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                       const struct tls_params *tp, const struct tls_sum *sm)
{
	char life[24], max[24];
	enum cx_status st;
	const char *msg, *wargs[5], *const *args;
	int rc;

	tls_setf(life, sizeof(life), "%ld", ep->ticket_lifetime);
	tls_setf(max, sizeof(max), "%ld", tp->max_ticket);
	if (sm->only_tls13) {
		st = CX_NOT_APPLICABLE;
		msg = "tls.resume.tls13-only";
	} else if (!ep->sess_tested) {
		st = CX_NOT_CHECKED;
		msg = "tls.resume.not-tested";
	} else if (!ep->sess_ticket) {
		st = CX_NOT_APPLICABLE;
		msg = "tls.resume.no-ticket";
	} else if (ep->ticket_lifetime > tp->max_ticket) {
		st = CX_FAIL;
		msg = "tls.resume.ticket-long";
	} else {
		st = CX_PASS;
		msg = "tls.resume.ticket-ok";
	}
	args = CX_ARGS("lifetime", life, "max", max);
	if (st == CX_NOT_CHECKED && ep->resume_why.id != NULL) {
		msg = why_msg(&ep->resume_why, "TLS-14 ticket-lifetime", wargs);
		args = wargs;
	}
	rc = tls_emit(ctx, ep,
	              &(struct cx_emit){
	                  .req = "TLS-14",
	                  .item = "ticket-lifetime",
	                  .status = st,
	                  .msg = msg,
	                  .args = args,
	                  .method_msg = "method.tls.resume-12",
	              });
	tls_setf(life, sizeof(life), "%ld", ep->t13_lifetime);
	if (ep->proto[5] != TLS_YES) {
		st = CX_NOT_APPLICABLE;
		msg = "tls.resume13.no-tls13";
	} else if (!ep->t13_tested) {
		st = CX_NOT_CHECKED;
		msg = "tls.resume13.not-tested";
	} else if (!ep->t13_ticket) {
		st = CX_NOT_APPLICABLE;
		msg = "tls.resume13.no-ticket";
	} else if (ep->t13_lifetime > tp->max_ticket) {
		st = CX_FAIL;
		msg = "tls.resume13.ticket-long";
	} else {
		st = CX_PASS;
		msg = "tls.resume13.ticket-ok";
	}
	args = CX_ARGS("lifetime", life, "max", max);
	if (st == CX_NOT_CHECKED && ep->t13_why.id != NULL) {
		msg = why_msg(&ep->t13_why, "TLS-14 ticket-lifetime-tls13",
		              wargs);
		args = wargs;
	}
	rc |= tls_emit(ctx, ep,
	               &(struct cx_emit){
	                   .req = "TLS-14",
	                   .item = "ticket-lifetime-tls13",
	                   .status = st,
	                   .msg = msg,
	                   .args = args,
	                   .method_msg = "method.tls.resume-13",
	               });
	return rc;
}

int tls_emit_behaviour(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                       const struct tls_params *tp, const struct tls_sum *sm,
                       const char *ev)
{
	char obs[300];
	const char *fmsg, *wargs[5], *const *fargs;
	int rc = 0, single;

	rc |= emit_reneg(ctx, ep, sm, ev);
	rc |= emit_kx(ctx, ep, tp, sm, ev);
	rc |= emit_resume(ctx, ep, tp, sm);
	/* TLS-12 */
	single = ep->fallback != TLS_YES && ep->fallback != TLS_NO &&
	         ep->fallback_single;
	fmsg = ep->fallback != TLS_UNK && ep->fb_nid.id != NULL ? ep->fb_nid.id
	       : ep->fallback == TLS_YES ? "tls.fallback.honoured"
	       : ep->fallback == TLS_NO  ? "tls.fallback.ignored"
	       : single                  ? "tls.fallback.one-version"
	                                 : "tls.fallback.not-tested";
	fargs = CX_ARGS("detail", ep->fb_nid.detail);
	if (ep->fallback == TLS_UNK && !single && ep->fb_why.id != NULL) {
		fmsg = why_msg(&ep->fb_why, "TLS_FALLBACK_SCSV", wargs);
		fargs = wargs;
	}
	rc |= tls_emit(ctx, ep,
	               &(struct cx_emit){
	                   .req = "TLS-12",
	                   .status = ep->fallback == TLS_YES  ? CX_PASS
	                             : ep->fallback == TLS_NO ? CX_FAIL
	                             : single ? CX_NOT_APPLICABLE
	                                      : CX_NOT_CHECKED,
	                   .msg = fmsg,
	                   .args = fargs,
	                   .method_msg = "method.tls.fallback-scsv",
	                   .evidence = ev,
	               });
	/* TLS-13 */
	if (ep->ossl_proto[0] == '\0') {
		rc |= tls_emit(
		    ctx, ep,
		    &(struct cx_emit){
		        .req = "TLS-13",
		        .status = CX_NOT_CHECKED,
		        .msg = "tls.ocsp.not-tested",
		        /* OpenSSL's report or an errno name, as given */
		        .observed =
		            ep->ossl_why.detail[0] ? ep->ossl_why.detail : NULL,
		    });
		return rc;
	}
	/* What the certificate says about revocation, as technical
	 * key=value facts. */
	tls_setf(obs, sizeof(obs), "must-staple=%s; AIA OCSP=%s; CRL DP=%s",
	         sm->cert.must_staple ? "yes" : "no",
	         sm->cert.ocsp_uri ? "yes" : "no",
	         sm->cert.crl_dp ? "yes" : "no");
	rc |= tls_emit(
	    ctx, ep,
	    &(struct cx_emit){
	        .req = "TLS-13",
	        .status = ep->ocsp_stapled ? CX_PASS : CX_FAIL,
	        .msg = !ep->ocsp_stapled      ? "tls.ocsp.none"
	               : ep->ocsp_status == 0 ? "tls.ocsp.stapled-good"
	               : ep->ocsp_status == 1 ? "tls.ocsp.stapled-revoked"
	                                      : "tls.ocsp.stapled",
	        .observed = obs,
	        .method_msg = "method.tls.ocsp-stapling",
	    });
	return rc;
}
