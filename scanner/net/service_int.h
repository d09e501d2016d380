/*
 * certexam — service detection internals shared by service.c and
 * service_sig.c (not part of any public API).
 */
#ifndef CX_SERVICE_INT_H
#define CX_SERVICE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "service.h"

#define CX_SIG_MAX_PROBES 64

struct cx_sig_probe {
	char *name; /* "null" for probe 0: nothing sent */
	unsigned char *payload;
	size_t len;
	uint8_t *ports; /* bitmap of ports it is sent to first, or NULL */
	int any;        /* sent to every silent port */
	char *after;    /* follow-up once this service is known */
	char *services; /* space-separated services it elicits */
	int keep;       /* not cancelled when another probe identified */
	int tls;        /* also sent inside TLS */
	int timeout_ms; /* 0 = the scan's probe timeout */
};

struct cx_sig_tlsname {
	char *inner;
	char *service;
};

struct sig_entry;

struct cx_sigdb {
	struct cx_sig_probe *probes;
	size_t n_probes, cap_probes;
	struct sig_entry *entries;
	size_t n_entries, cap_entries;
	struct cx_sig_tlsname *tls;
	size_t n_tls, cap_tls;
};

/* Index of the probe called name (NULL: 0, the banner), -1 if unknown. */
int cx_sig_probe_index(const struct cx_sigdb *db, const char *name);
/* 1 if port is in the probe's port list. */
int cx_sig_probe_has_port(const struct cx_sig_probe *p, unsigned port);
/* cx_sigdb_match by probe index. */
int cx_sig_match_idx(const struct cx_sigdb *db, int probe, const void *data,
                     size_t len, struct cx_svc_result *res);
/* 1 if the probe is meant to elicit service. */
int cx_sig_probe_elicits(const struct cx_sig_probe *p, const char *service);
/* Service name for a protocol inside TLS ("http" -> "https"); inner NULL:
 * "tls". */
const char *cx_sig_tls_service(const struct cx_sigdb *db, const char *inner);

#endif
