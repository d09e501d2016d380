/*
 * certexam — observations: what the scanner saw, before any judgement.
 *
 * Hosts and ports are typed (the engine and several checks read them).
 * Everything else a check learns (a TLS endpoint's protocols, an HTTP
 * resource's headers) is a generic observation: a kind, an asset and an
 * ordered list of name/value properties, stored as is in the run record.
 */
#ifndef CERTEXAM_OBSERVATION_H
#define CERTEXAM_OBSERVATION_H

#include <stddef.h>

enum cx_port_state {
	CX_PORT_OPEN = 0,
	CX_PORT_CLOSED,
	CX_PORT_FILTERED,
	CX_PORT_UNKNOWN,
};
const char *cx_port_state_name(enum cx_port_state s);
int cx_port_state_parse(const char *s);

struct cx_host_obs {
	char *addr;    /* numeric address, "127.0.0.1" or "::1" */
	char *names;   /* host names it came from, space-separated */
	int up;        /* answered on at least one port */
	char *vantage; /* vantage point(s) it was seen from, or NULL */
};

struct cx_port_obs {
	char *addr;
	int port;
	char *proto; /* "tcp" */
	enum cx_port_state state;
	char *reason;   /* "syn-ack", "conn-refused", "no-response", ... */
	char *service;  /* "ssh", "http", "smtp", ... or NULL */
	char *product;  /* "OpenSSH" or NULL */
	char *version;  /* "9.2p1" or NULL */
	char *extra;    /* further info ("Debian-2+deb12u3") or NULL */
	int tls;        /* 1 when the port speaks TLS */
	char *inner;    /* protocol inside TLS ("http") or NULL */
	char *evidence; /* evidence id of the raw bytes, or NULL */
	int declared;   /* 1 when the case declares this port */
	char *vantage;  /* vantage point(s) it was seen from, or NULL */
};

struct cx_prop {
	char *name;
	char *value;
};

struct cx_observation {
	char *kind; /* "tls-endpoint", "http-resource", ... */
	char *asset;
	struct cx_prop *props;
	size_t n_props, cap_props;
	char *vantage; /* vantage point it was seen from, or NULL */
};

/*
 * Append a copy of name and value (NULL: "") to the list *arr of *n
 * properties (capacity *cap, grown as needed).  0, or CX_ENOMEM with the
 * list unchanged.
 */
int cx_props_add(struct cx_prop **arr, size_t *n, size_t *cap, const char *name,
                 const char *value);
/* Free the n properties of p (names and values) and p itself; NULL is
 * fine. */
void cx_props_free(struct cx_prop *p, size_t n);

/* Add a property (copies).  0 or CX_ENOMEM. */
int cx_obs_prop(struct cx_observation *o, const char *name, const char *value);
int cx_obs_propf(struct cx_observation *o, const char *name, const char *fmt,
                 ...) __attribute__((format(printf, 3, 4)));
/* First value of a property, or NULL.  Borrowed. */
const char *cx_obs_get(const struct cx_observation *o, const char *name);

void cx_host_obs_clear(struct cx_host_obs *h);
void cx_port_obs_clear(struct cx_port_obs *p);
void cx_observation_clear(struct cx_observation *o);

#endif
