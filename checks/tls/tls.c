/*
 * certexam — the tls check: every TLS endpoint the engine found (and
 * STARTTLS on SMTP, IMAP, POP3 and FTP) is enumerated with hand-built
 * hellos and one OpenSSL handshake (checks/tls/tls_probe.c), its certificate
 * analysed (tls_cert.c) and graded (tls_grade.c); the results become
 * findings TLS-01 .. TLS-13 (tls_findings.c, tls_findings_cert.c), one
 * "tls-endpoint" observation per endpoint and evidence (the raw
 * ServerHello flight, the PEM chain).  This file: the check's entry, the
 * profile's parameters, the summary of an endpoint, the grade and the
 * observation.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certexam/check.h"
#include "certexam/loop.h"
#include "certexam/target.h"
#include "tls_check.h"

#define CHECK_ID "tls"

/* How the protocol versions were determined (a method.* message id). */
const char tls_m_proto[] = "method.tls.protocols";

static int proto_from_param(const char *v)
{
	static const char *const names[][3] = {
	    {"SSLv2", "SSL2", "2.0"},     {"SSLv3", "SSL3", "3.0"},
	    {"TLSv1.0", "TLS1.0", "1.0"}, {"TLSv1.1", "TLS1.1", "1.1"},
	    {"TLSv1.2", "TLS1.2", "1.2"}, {"TLSv1.3", "TLS1.3", "1.3"},
	};
	int i, j;

	for (i = 0; i < TLS_NPROTO; i++)
		for (j = 0; j < 3; j++)
			if (v != NULL && cx_strcaseeq(v, names[i][j]))
				return i;
	if (v != NULL && cx_strcaseeq(v, "TLSv1"))
		return 2;
	return 4;
}

static void read_params(const struct cx_profile *p, struct tls_params *tp)
{
	tp->min_proto = proto_from_param(
	    p ? cx_profile_param(p, "tls.min_version", "TLSv1.2") : "TLSv1.2");
	tp->warn_days =
	    p ? cx_profile_param_long(p, "tls.cert_expiry_warn_days", 30) : 30;
	tp->min_rsa =
	    p ? cx_profile_param_long(p, "tls.min_rsa_bits", 2048) : 2048;
	tp->min_ecc =
	    p ? cx_profile_param_long(p, "tls.min_ecc_bits", 256) : 256;
	tp->min_dh =
	    p ? cx_profile_param_long(p, "tls.min_dh_bits", 2048) : 2048;
	tp->max_ticket =
	    p ? cx_profile_param_long(p, "tls.max_ticket_lifetime", 86400)
	      : 86400;
}

/*
 * The finding e describes, for this check and the endpoint ep's asset.  A
 * message parameter without a value (nothing of that kind was seen) is
 * recorded as a dash, so every placeholder of the message is filled.
 */
int tls_emit(struct cx_check_ctx *ctx, const struct tls_ep *ep,
             const struct cx_emit *e)
{
	struct cx_emit f = *e;
	const char *args[2 * 16 + 1];
	size_t i;

	f.check = CHECK_ID;
	f.asset = ep->asset;
	if (e->args != NULL) {
		for (i = 0; e->args[i] != NULL && i + 2 < CX_ARRAY_LEN(args);
		     i += 2) {
			args[i] = e->args[i];
			args[i + 1] = e->args[i + 1] ? e->args[i + 1] : "—";
		}
		args[i] = NULL;
		f.args = args;
	}
	return cx_emit(ctx, &f);
}

/* ------------------------------------------------------------------ */

static int is_rsa_kx(const struct tls_suite *s)
{
	return strncmp(s->kx, "RSA", 3) == 0 && strcmp(s->kx, "RSAPSK") != 0;
}

static void summarise(const struct tls_ep *ep, struct tls_sum *sm)
{
	const struct tls_suite *s;
	size_t j;
	int i, n13 = 0, nother = 0;

	sm->fs_all = 1;
	sm->min_bits = -1;
	for (i = 0; i < TLS_NPROTO; i++) {
		if (ep->proto[i] != TLS_YES)
			continue;
		sm->any_proto = 1;
		if (i == 5)
			n13++;
		else
			nother++;
		for (j = 0; j < ep->n_suites[i]; j++) {
			s = tls_suite_find(ep->suites[i][j]);
			if (s == NULL)
				continue;
			if (s->flags & TLS_SF_FS)
				sm->fs_any = 1;
			else
				sm->fs_all = 0;
			if (s->flags & TLS_SF_AEAD)
				sm->aead_any = 1;
			if (sm->min_bits < 0 || s->bits < sm->min_bits)
				sm->min_bits = s->bits;
			if (s->bits > sm->max_bits)
				sm->max_bits = s->bits;
			if (is_rsa_kx(s) && !(s->flags & TLS_SF_EXPORT))
				sm->rsa_kx = 1;
			if (s->flags & TLS_SF_EXPORT) {
				sm->export_any = 1;
				if (strncmp(s->kx, "RSA", 3) == 0)
					sm->export_rsa = 1;
				if (strncmp(s->kx, "DH", 2) == 0)
					sm->export_dhe = 1;
			}
			if (s->flags & TLS_SF_ANON)
				sm->anon = 1;
			if (s->flags & TLS_SF_NULL)
				sm->null = 1;
			if (s->flags & TLS_SF_RC4) {
				sm->rc4 = 1;
				if (i >= 3)
					sm->rc4_modern = 1;
			}
			/* GOST 28147 and Magma re-key (CryptoPro key
			 * meshing, RFC 9189 TLSTREE): no SWEET32. */
			if ((s->flags & TLS_SF_BLOCK64) &&
			    !(s->flags & TLS_SF_GOST))
				sm->block64 = 1;
			if (i == 1 && (s->flags & TLS_SF_CBC))
				sm->poodle = 1;
			if (i == 2 && (s->flags & TLS_SF_CBC))
				sm->beast = 1;
			if (i >= 2 && i <= 4 && (s->flags & TLS_SF_CBC))
				sm->cbc_tls = 1;
		}
	}
	if (sm->min_bits < 0)
		sm->min_bits = 0;
	sm->only_tls13 = n13 > 0 && nother == 0;
}

void tls_suite_list(const struct tls_ep *ep, int i, struct cx_buf *b)
{
	const struct tls_suite *s;
	size_t j;

	for (j = 0; j < ep->n_suites[i]; j++) {
		s = tls_suite_find(ep->suites[i][j]);
		if (s != NULL)
			cx_buf_printf(b, "%s%s", j ? " " : "", s->name);
		else
			cx_buf_printf(b, "%s0x%04x", j ? " " : "",
			              (unsigned)ep->suites[i][j]);
	}
}

void tls_proto_list(const struct tls_ep *ep, struct cx_buf *b)
{
	int i, n = 0;

	for (i = 0; i < TLS_NPROTO; i++)
		if (ep->proto[i] == TLS_YES)
			cx_buf_printf(b, "%s%s", n++ ? " " : "",
			              tls_proto_name(i));
}

static const char *tri(int v)
{
	switch (v) {
	case TLS_YES:
		return "yes";
	case TLS_NO:
		return "no";
	case TLS_POTENTIAL:
		return "potential";
	default:
		return "unknown";
	}
}

/* ------------------------------------------------------------------ */

static void fill_grade(const struct tls_ep *ep, const struct tls_sum *sm,
                       struct tls_grade_in *g)
{
	int i, kx;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < TLS_NPROTO; i++)
		g->proto[i] = ep->proto[i] == TLS_YES;
	kx = sm->cert.present ? sm->cert.key_equiv_bits : -1;
	if (ep->dh_min > 0 && (kx < 0 || ep->dh_min < kx))
		kx = ep->dh_min;
	if (ep->ecdh_min > 0 && (kx < 0 || ep->ecdh_min < kx))
		kx = ep->ecdh_min;
	if (sm->export_any && (kx < 0 || kx > 512))
		kx = 512;
	if (sm->anon)
		kx = 0;
	g->min_kx_bits = kx;
	g->min_cipher_bits = sm->min_bits;
	g->max_cipher_bits = sm->max_bits;
	g->export_suites = sm->export_any;
	g->anon_suites = sm->anon;
	g->null_suites = sm->null;
	g->rc4 = sm->rc4;
	g->rc4_modern = sm->rc4_modern;
	g->block64 = sm->block64;
	g->fs_all = sm->fs_all;
	g->fs_any = sm->fs_any;
	g->aead_any = sm->aead_any;
	g->poodle = sm->poodle;
	g->heartbleed = ep->heartbleed == TLS_YES;
	g->ccs_injection = ep->ccs == TLS_YES;
	g->drown = ep->proto[0] == TLS_YES || sm->drown_shared;
	g->compression = ep->compression == TLS_YES;
	g->robot = ep->robot == TLS_YES;
	g->ticketbleed = ep->ticketbleed == TLS_YES;
	g->insecure_reneg = ep->reneg_secure == TLS_NO && !sm->only_tls13;
	g->client_reneg = ep->client_reneg == TLS_YES;
	g->cert_key_bits = sm->cert.present ? sm->cert.key_equiv_bits : 0;
	g->dh_bits = ep->dh_min;
	g->chain_incomplete = sm->cert.chain_incomplete;
	g->unverifiable = sm->cert.present && sm->cert.unverifiable;
	g->untrusted = sm->cert.present && !sm->cert.unverifiable &&
	               sm->cert.verify_system != 1 &&
	               sm->cert.verify_anchors != 1;
	/* Not trusted, but a trust anchor of the case could not be loaded:
	 * not known, "?" rather than "T". */
	if (g->untrusted && sm->bad_anchors != NULL) {
		g->untrusted = 0;
		g->unverifiable = 1;
	}
	g->expired = sm->cert.expired || sm->cert.not_yet_valid;
	g->hostname_mismatch = sm->names_mismatch;
	g->weak_sig = sm->cert.weak_sig == 2;
	g->sha1_sig = sm->cert.weak_sig == 1;
}

static void observe(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                    const struct tls_sum *sm, const struct tls_grade_out *go)
{
	struct cx_observation *o;
	struct cx_buf b = {0};
	const struct tls_cert_info *c = &sm->cert;
	char name[32];
	size_t i;
	int p;

	o = cx_run_add_obs(ctx->run, "tls-endpoint", ep->asset);
	if (o == NULL)
		return;
	if (ep->starttls != TLS_ST_NONE)
		cx_obs_prop(o, "starttls",
		            ep->starttls == TLS_ST_SMTP   ? "smtp"
		            : ep->starttls == TLS_ST_IMAP ? "imap"
		            : ep->starttls == TLS_ST_POP3 ? "pop3"
		                                          : "ftp");
	if (ep->sni)
		cx_obs_prop(o, "sni", ep->sni);
	tls_proto_list(ep, &b);
	cx_obs_prop(o, "protocols", b.data ? b.data : "");
	cx_buf_free(&b);
	for (p = TLS_NPROTO - 1; p >= 0; p--) {
		if (ep->proto[p] != TLS_YES)
			continue;
		tls_setf(name, sizeof(name), "suites.%s", tls_proto_name(p));
		tls_suite_list(ep, p, &b);
		cx_obs_prop(o, name, b.data ? b.data : "");
		cx_buf_free(&b);
		tls_setf(name, sizeof(name), "order.%s", tls_proto_name(p));
		cx_obs_prop(o, name,
		            ep->pref[p] == TLS_YES ? "server"
		            : ep->pref[p] == TLS_NO
		                ? "client"
		                : (ep->n_suites[p] < 2 ? "single" : "unknown"));
	}
	for (i = 0; i < ep->n_groups; i++)
		cx_buf_printf(&b, "%s%s", i ? " " : "",
		              tls_group_name(ep->groups[i])
		                  ? tls_group_name(ep->groups[i])
		                  : "?");
	cx_obs_prop(o, "groups", b.data ? b.data : "");
	cx_buf_free(&b);
	cx_obs_propf(o, "dh_bits", "%d", ep->dh_min);
	if (ep->n_dh_named > 0) {
		struct cx_buf g = {0};
		size_t k;
		for (k = 0; k < ep->n_dh_named; k++)
			cx_buf_printf(&g, "%s%s", k ? "; " : "",
			              ep->dh_named[k]->name);
		cx_obs_prop(o, "dh_groups", g.data ? g.data : "");
		cx_buf_free(&g);
	}
	if (ep->sess_tested) {
		cx_obs_prop(o, "resumption.session_id",
		            ep->sess_id_len > 0 ? "yes" : "no");
		cx_obs_prop(o, "resumption.ticket",
		            ep->sess_ticket ? "yes" : "no");
		if (ep->sess_ticket)
			cx_obs_propf(o, "resumption.ticket_lifetime", "%ld",
			             ep->ticket_lifetime);
		cx_obs_prop(o, "resumption.resumed", tri(ep->resumed));
	}
	if (ep->t13_tested) {
		cx_obs_prop(o, "resumption13.ticket",
		            ep->t13_ticket ? "yes" : "no");
		if (ep->t13_ticket)
			cx_obs_propf(o, "resumption13.ticket_lifetime", "%ld",
			             ep->t13_lifetime);
		cx_obs_prop(o, "resumption13.resumed", tri(ep->t13_resumed));
	}
	cx_obs_prop(o, "ticketbleed", tri(ep->ticketbleed));
	for (i = 0; i < tls_sim_count() && i < TLS_MAX_SIM; i++) {
		char nm[64];
		if (ep->sim[i].result[0] == '\0')
			continue;
		tls_setf(nm, sizeof(nm), "client.%s", tls_sim_name(i));
		cx_obs_prop(o, nm, ep->sim[i].result);
	}
	if (c->present) {
		cx_obs_prop(o, "cert.subject", c->subject);
		cx_obs_prop(o, "cert.san", c->san);
		cx_obs_prop(o, "cert.issuer", c->issuer);
		cx_obs_prop(o, "cert.serial", c->serial);
		cx_obs_prop(o, "cert.not_before", c->not_before);
		cx_obs_prop(o, "cert.not_after", c->not_after);
		cx_obs_propf(o, "cert.key", "%s %d%s%s", c->key_type,
		             c->key_bits, c->curve[0] ? " " : "", c->curve);
		cx_obs_prop(o, "cert.sigalg", c->sigalg);
		cx_obs_propf(o, "cert.chain_length", "%d", c->n_chain);
		cx_obs_prop(o, "cert.trusted_system",
		            c->verify_system == 1 ? "yes"
		                                  : c->verify_system_msg);
		cx_obs_prop(o, "cert.trusted_anchors",
		            c->verify_anchors < 0    ? "no anchors"
		            : c->verify_anchors == 1 ? "yes"
		                                     : c->verify_anchors_msg);
		cx_obs_prop(o, "cert.must_staple",
		            c->must_staple ? "yes" : "no");
		cx_obs_prop(o, "cert.revocation",
		            c->ocsp_uri && c->crl_dp ? "OCSP, CRL"
		            : c->ocsp_uri            ? "OCSP"
		            : c->crl_dp              ? "CRL"
		                                     : "none");
		cx_obs_prop(o, "cert.sct_extension", c->sct_ext ? "yes" : "no");
		cx_obs_propf(o, "cert.spki_sha256", "%s", c->spki_sha256);
	}
	cx_obs_propf(o, "scts", "%d", ep->n_scts + (c->sct_ext ? 0 : 0));
	cx_obs_prop(o, "alpn", ep->alpn);
	cx_obs_prop(o, "ocsp_stapling", ep->ocsp_stapled ? "yes" : "no");
	cx_obs_prop(o, "compression", tri(ep->compression));
	cx_obs_prop(o, "secure_renegotiation", tri(ep->reneg_secure));
	cx_obs_prop(o, "client_renegotiation", tri(ep->client_reneg));
	cx_obs_prop(o, "fallback_scsv", tri(ep->fallback));
	cx_obs_prop(o, "heartbleed", tri(ep->heartbleed));
	cx_obs_prop(o, "ccs_injection", tri(ep->ccs));
	cx_obs_prop(o, "poodle", sm->poodle ? "yes" : "no");
	cx_obs_prop(o, "sweet32", sm->block64 ? "yes" : "no");
	cx_obs_prop(o, "freak", sm->export_rsa ? "yes" : "no");
	cx_obs_prop(o, "logjam",
	            sm->export_dhe || (ep->dh_min > 0 && ep->dh_min < 1024)
	                ? "yes"
	                : "no");
	cx_obs_prop(o, "drown",
	            ep->proto[0] == TLS_YES || sm->drown_shared ? "yes" : "no");
	cx_obs_prop(o, "beast", sm->beast ? "yes" : "no");
	cx_obs_prop(o, "lucky13", sm->cbc_tls ? "potential" : "no");
	cx_obs_prop(o, "robot", tri(ep->robot));
	if (!c->present) {
		/* No certificate, no trust verdict: the grade is "-". */
		cx_obs_prop(o, "grade", "-");
		/* no trust verdict either, "-" like the grade; why is said
		 * by the certificate findings (tls.cert.not-obtained, with
		 * OpenSSL's report as observed) */
		cx_obs_prop(o, "trust_grade", "-");
	} else {
		cx_obs_prop(o, "grade", go->grade);
		cx_obs_prop(o, "trust_grade",
		            go->trust[0] ? go->trust : "trusted");
	}
	cx_obs_propf(o, "grade_score",
	             "%d (protocol %d, key exchange %d, "
	             "cipher %d)",
	             go->score, go->proto_score, go->kx_score,
	             go->cipher_score);
	cx_obs_prop(o, "grade_caps", go->caps);
	cx_obs_prop(o, "grade_algorithm", TLS_GRADE_ALGO);
	cx_obs_propf(o, "probes", "%d", ep->probes);
	if (ep->retries > 0)
		cx_obs_propf(o, "retries",
		             "%d lost connection(s) tried again after a "
		             "backoff",
		             ep->retries);
}

static int report_endpoint(struct cx_check_ctx *ctx, const struct tls_ep *ep,
                           const struct tls_params *tp, X509_STORE *sys,
                           X509_STORE *anch, const char *drown_with)
{
	struct tls_sum sm;
	struct tls_grade_in gi;
	struct tls_grade_out go;
	const char *ev_sh = NULL, *ev_chain = NULL;
	struct cx_buf pem = {0};
	int rc = 0;

	memset(&sm, 0, sizeof(sm));
	summarise(ep, &sm);
	sm.drown_shared = drown_with != NULL;
	sm.drown_with = drown_with;
	sm.bad_anchors = tp->bad_anchors;
	rc = tls_cert_analyse(ep->chain, sys, anch, &sm.cert);
	if (rc)
		return rc;
	if (ctx->run->dir != NULL) {
		if (ep->sh_raw.len > 0)
			cx_run_add_evidence(
			    ctx->run, ep->asset, "tls-serverhello",
			    "first server flight (ServerHello "
			    "record) as received",
			    ep->sh_raw.data, ep->sh_raw.len, &ev_sh);
		if (ep->chain != NULL && tls_chain_pem(ep->chain, &pem) == 0 &&
		    pem.len > 0)
			cx_run_add_evidence(ctx->run, ep->asset, "tls-chain",
			                    "certificate chain as sent (PEM)",
			                    pem.data, pem.len, &ev_chain);
		cx_buf_free(&pem);
	}
	rc |= tls_emit_protocols(ctx, ep, tp, ev_sh);
	rc |= tls_emit_suites(ctx, ep, &sm, ev_sh);
	rc |= tls_emit_cert(ctx, ep, tp, &sm, ev_chain);
	rc |= tls_emit_vulns(ctx, ep, &sm, ev_sh);
	rc |= tls_emit_behaviour(ctx, ep, tp, &sm, ev_sh);
	fill_grade(ep, &sm, &gi);
	tls_grade(&gi, &go);
	observe(ctx, ep, &sm, &go);
	return rc ? CX_ENOMEM : CX_OK;
}

/* ------------------------------------------------------------------ */

/*
 * 1 when service detection recorded that the service does not offer
 * STARTTLS (its "service" observation, property "starttls").
 */
static int starttls_not_offered(const struct cx_run *run,
                                const struct cx_port_obs *p)
{
	char asset[96];
	const char *v;
	size_t i;

	if (strchr(p->addr, ':') != NULL)
		snprintf(asset, sizeof(asset), "[%s]:%d/tcp", p->addr, p->port);
	else
		snprintf(asset, sizeof(asset), "%s:%d/tcp", p->addr, p->port);
	for (i = 0; i < run->n_obs; i++) {
		if (strcmp(run->obs[i].kind, "service") != 0 ||
		    strcmp(run->obs[i].asset, asset) != 0)
			continue;
		v = cx_obs_get(&run->obs[i], "starttls");
		return v != NULL && strcmp(v, "not-offered") == 0;
	}
	return 0;
}

static enum tls_starttls starttls_of(const char *service)
{
	if (service == NULL)
		return TLS_ST_NONE;
	if (strcmp(service, "smtp") == 0 || strcmp(service, "submission") == 0)
		return TLS_ST_SMTP;
	if (strcmp(service, "imap") == 0)
		return TLS_ST_IMAP;
	if (strcmp(service, "pop3") == 0)
		return TLS_ST_POP3;
	if (strcmp(service, "ftp") == 0)
		return TLS_ST_FTP;
	return TLS_ST_NONE;
}

/* Host names of the scope that resolved to addr and are served on port:
 * a URL's name only on the URL's own port (borrowed pointers). */
static size_t names_for(const struct cx_scope *scope, const char *addr,
                        int port, char **names, size_t cap)
{
	struct cx_addr a;
	size_t i, j, n = 0;
	int dup;

	if (scope == NULL || cx_addr_parse(addr, &a) != 0)
		return 0;
	for (i = 0; i < scope->n_blocks && n < cap; i++) {
		const struct cx_block *b = &scope->blocks[i];
		if (b->hostname == NULL || b->first.family != a.family ||
		    (b->name_port != 0 && b->name_port != port) ||
		    cx_addr_cmp(&b->first, &a) > 0 ||
		    cx_addr_cmp(&a, &b->last) > 0)
			continue;
		dup = 0;
		for (j = 0; j < n; j++)
			if (cx_strcaseeq(names[j], b->hostname))
				dup = 1;
		if (!dup)
			names[n++] = b->hostname;
	}
	return n;
}

static void progress(void *arg, const struct tls_ep *ep)
{
	struct cx_check_ctx *ctx = arg;

	if (ctx->progress != NULL && ctx->progress->update != NULL)
		ctx->progress->update(ctx->progress->arg, "tls",
		                      ep->scan->n_done, ep->scan->n_eps,
		                      ep->scan->n_done);
}

/* An SSLv2 endpoint's public key, for the DROWN lookup. */
struct sslv2_key {
	char spki[65];
	const char *asset;
};

static int sslv2_key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sslv2_key *)a)->spki,
	              ((const struct sslv2_key *)b)->spki);
}

/*
 * The keys of the endpoints that accept SSLv2, sorted by their SPKI hash,
 * so each endpoint's key is looked up in O(log n).  *out is freed by the
 * caller.  0 or CX_ENOMEM.
 */
static int sslv2_keys(const struct tls_scan *scan, struct sslv2_key **out,
                      size_t *n_out)
{
	struct sslv2_key *k;
	size_t i, n = 0;

	*out = NULL;
	*n_out = 0;
	k = calloc(scan->n_eps + 1, sizeof(*k));
	if (k == NULL)
		return CX_ENOMEM;
	for (i = 0; i < scan->n_eps; i++) {
		const struct tls_ep *o = scan->eps[i];
		if (o->stage != 3 || o->proto[0] != TLS_YES ||
		    o->chain == NULL || sk_X509_num(o->chain) < 1)
			continue;
		tls_spki_sha256(sk_X509_value(o->chain, 0), k[n].spki);
		if (k[n].spki[0] == '\0')
			continue;
		k[n++].asset = o->asset;
	}
	qsort(k, n, sizeof(*k), sslv2_key_cmp);
	*out = k;
	*n_out = n;
	return CX_OK;
}

/* The errno of an unreadable file as its symbolic name (same in every
 * language). */
static const char *errno_name(int e)
{
	switch (e) {
	case EACCES:
		return "EACCES";
	case EISDIR:
		return "EISDIR";
	case EIO:
		return "EIO";
	case ELOOP:
		return "ELOOP";
	case ENAMETOOLONG:
		return "ENAMETOOLONG";
	case EPERM:
		return "EPERM";
	default:
		return "—";
	}
}

/*
 * A trust-anchor file of the case (object.xml <trust-anchors>) that is
 * missing, unreadable or holds no certificate is an error finding of its
 * own (asset: the file as named in the case; `scan` names it on the
 * terminal), and the chains it might have anchored are not judged
 * (emit_chain).  Appends the names of the bad files to *bad.
 */
static int report_anchors(struct cx_check_ctx *ctx, const int *st,
                          const int *err, size_t n, struct cx_buf *bad)
{
	size_t i;
	int rc = 0;
	const char *name, *msg;

	for (i = 0; i < n && ctx->obj != NULL && i < ctx->obj->n_trust_anchors;
	     i++) {
		if (st[i] == TLS_ANCHOR_OK)
			continue;
		name = ctx->obj->trust_anchors[i];
		msg = st[i] == TLS_ANCHOR_MISSING ? "tls.anchors.missing"
		      : st[i] == TLS_ANCHOR_UNREADABLE
		          ? "tls.anchors.unreadable"
		          : "tls.anchors.unparsable";
		rc |= cx_emit(ctx, &(struct cx_emit){
		                       .check = CHECK_ID,
		                       .req = "TLS-05",
		                       .asset = name,
		                       .item = "trust-anchor",
		                       .status = CX_ERROR,
		                       .msg = msg,
		                       .args = CX_ARGS("file", name, "error",
		                                       errno_name(err[i])),
		                       .method_msg = "method.tls.trust-anchors",
		                   });
		if (cx_buf_printf(bad, "%s%s", bad->len ? "; " : "", name) != 0)
			rc = CX_ENOMEM;
	}
	return rc ? CX_ENOMEM : CX_OK;
}

static int tls_run(struct cx_check_ctx *ctx)
{
	struct tls_scan scan;
	struct tls_params tp;
	char *names[16];
	char **anchors = NULL;
	int *a_st = NULL, *a_err = NULL;
	struct cx_buf bad = {0};
	X509_STORE *sys = NULL, *anch = NULL;
	size_t n_anchors = 0, i, n_names, n_v2 = 0;
	struct sslv2_key *v2 = NULL;
	int rc, lrc, probe_ms, any = 0;
	const struct cx_port_obs *p;
	struct tls_ep *ep;
	enum tls_starttls st;

	read_params(ctx->profile, &tp);
	probe_ms = ctx->opts ? ctx->opts->probe_timeout_ms : 2000;
	rc = tls_scan_init(&scan, ctx->loop,
	                   ctx->opts ? ctx->opts->connect_timeout_ms : 1000,
	                   probe_ms,
	                   ctx->opts && ctx->opts->max_inflight > 0 &&
	                           ctx->opts->max_inflight < 64
	                       ? ctx->opts->max_inflight
	                       : 64);
	if (rc)
		return rc;
	for (i = 0; i < ctx->run->n_ports; i++) {
		p = &ctx->run->ports[i];
		if (p->state != CX_PORT_OPEN || p->proto == NULL ||
		    strcmp(p->proto, "tcp") != 0 || cx_port_not_probed(p))
			continue;
		st = p->tls ? TLS_ST_NONE : starttls_of(p->service);
		if (!p->tls && st == TLS_ST_NONE && p->service != NULL)
			continue;
		if (st != TLS_ST_NONE && starttls_not_offered(ctx->run, p))
			continue; /* service detection saw no STARTTLS */
		n_names = names_for(ctx->scope, p->addr, p->port, names,
		                    CX_ARRAY_LEN(names));
		rc = tls_scan_add(&scan, p->addr, p->port, st,
		                  n_names ? names[0] : NULL, names, n_names,
		                  !p->tls && st == TLS_ST_NONE, &ep);
		if (rc == CX_EINVAL)
			continue;
		if (rc)
			goto out;
		any = 1;
	}
	if (ctx->obj != NULL && ctx->obj->n_trust_anchors > 0) {
		anchors = calloc(ctx->obj->n_trust_anchors, sizeof(*anchors));
		if (anchors == NULL) {
			rc = CX_ENOMEM;
			goto out;
		}
		for (i = 0; i < ctx->obj->n_trust_anchors; i++) {
			const char *a = ctx->obj->trust_anchors[i];
			anchors[n_anchors] =
			    a[0] == '/' || ctx->opts == NULL ||
			            ctx->opts->case_dir == NULL
			        ? cx_strdup(a)
			        : cx_path_join(ctx->opts->case_dir, a);
			if (anchors[n_anchors] == NULL) {
				rc = CX_ENOMEM;
				goto out;
			}
			n_anchors++;
		}
	}
	scan.on_done = progress;
	scan.on_done_arg = ctx;
	scan.rate = ctx->opts && ctx->opts->rate > 0 ? ctx->opts->rate : 0;
	if (n_anchors > 0) {
		a_st = calloc(n_anchors, sizeof(*a_st));
		a_err = calloc(n_anchors, sizeof(*a_err));
		if (a_st == NULL || a_err == NULL) {
			rc = CX_ENOMEM;
			goto out;
		}
	}
	rc = tls_cert_stores(anchors, n_anchors, &sys, &anch, a_st, a_err);
	if (rc == 0)
		rc = report_anchors(ctx, a_st, a_err, n_anchors, &bad);
	if (rc)
		goto out;
	tp.bad_anchors = bad.data;
	if (!any) {
		rc = CX_OK;
		goto out;
	}
	rc = tls_scan_start(&scan);
	if (rc)
		goto out;
	lrc = cx_loop_run(ctx->loop);
	rc = sslv2_keys(&scan, &v2, &n_v2);
	if (rc)
		goto out;
	for (i = 0; i < scan.n_eps; i++) {
		const struct tls_ep *e = scan.eps[i];
		const char *shared = NULL;
		const struct sslv2_key *hit;

		if (e->stage != 3) {
			tls_emit(ctx, e,
			         &(struct cx_emit){
			             .req = "TLS-01",
			             .status = CX_NOT_CHECKED,
			             .msg = "tls.scan.interrupted",
			         });
			continue;
		}
		if (!e->is_tls && e->detect)
			continue; /* not a TLS port */
		if (!e->is_tls && e->starttls != TLS_ST_NONE &&
		    e->starttls_fail != 0) {
			/* Refused or left unanswered: the service has no
			 * TLS to examine (its cleartext use is the ports
			 * check's business). */
			int ignored = e->starttls_fail == 2;

			tls_emit(ctx, e,
			         &(struct cx_emit){
			             .req = "TLS-01",
			             .status = CX_NOT_APPLICABLE,
			             .msg = ignored ? "tls.starttls.ignored"
			                            : "tls.starttls.refused",
			             .method_msg = tls_m_proto,
			         });
			continue;
		}
		if (!e->is_tls) {
			tls_emit(ctx, e,
			         &(struct cx_emit){
			             .req = "TLS-01",
			             .status = CX_ERROR,
			             .msg = "tls.handshake.none",
			             /* what was received, as received */
			             .observed = e->proto_why[4].detail[0]
			                             ? e->proto_why[4].detail
			                             : NULL,
			             .method_msg = tls_m_proto,
			         });
			continue;
		}
		/* DROWN: the same key on an SSLv2 endpoint of this run. */
		if (e->proto[0] != TLS_YES && e->chain != NULL &&
		    sk_X509_num(e->chain) > 0 && n_v2 > 0) {
			struct sslv2_key key = {{0}, NULL};
			tls_spki_sha256(sk_X509_value(e->chain, 0), key.spki);
			hit = key.spki[0] != '\0'
			          ? bsearch(&key, v2, n_v2, sizeof(*v2),
			                    sslv2_key_cmp)
			          : NULL;
			if (hit != NULL)
				shared = hit->asset;
		}
		rc = report_endpoint(ctx, e, &tp, sys, anch, shared);
		if (rc)
			goto out;
	}
	rc = lrc == CX_EINTR ? CX_EINTR : CX_OK;
out:
	free(v2);
	free(a_st);
	free(a_err);
	cx_buf_free(&bad);
	X509_STORE_free(sys);
	X509_STORE_free(anch);
	for (i = 0; i < n_anchors; i++)
		free(anchors[i]);
	free(anchors);
	tls_scan_free(&scan);
	return rc;
}

const struct cx_check cx_check_tls = {
    .id = "tls",
    .title = "TLS configuration of every TLS endpoint",
    .block = "tls",
    .flags = CX_CHECK_NETWORK,
    .run = tls_run,
};
