/*
 * certexam — the client simulation of a TLS endpoint as the act shows it
 * (report/act_clients.c): the run records one property per simulated
 * client, "client.NAME" = "PROTOCOL SUITE [GROUP]" or "no connection
 * (WHY)"; this splits it for the annex (HTML, Markdown) and the data act
 * (XML, JSON), with the reason in the act's language.
 */
#ifndef CX_ACT_CLIENTS_H
#define CX_ACT_CLIENTS_H

#include "certexam/act.h"
#include "certexam/observation.h"
#include "certexam/util.h"

struct act_client {
	const char *name;   /* after "client.", inside the property's name */
	const char *result; /* as recorded */
	int connected;      /* 1: a handshake the client accepts */
	char proto[32], suite[128], group[64]; /* when connected */
	/* when not: the reason's message id and its arguments */
	const char *why_id;
	char why[3][128];
};

/*
 * 1 and *c filled when the property p of a tls-endpoint observation is a
 * simulated client's; 0 for any other property.  Every part is copied
 * length-checked (a longer recorded value is cut, never overrun).
 */
int act_client_parse(const struct cx_prop *p, struct act_client *c);

/* The number of simulated clients recorded on ob. */
size_t act_client_count(const struct cx_observation *ob);

/*
 * Appends to b the reason c did not connect in the act's language, or
 * "PROTOCOL SUITE GROUP" when it did.  CX_OK or CX_ENOMEM.
 */
int act_client_text(const struct cx_act *act, const struct act_client *c,
                    struct cx_buf *b);

#endif
