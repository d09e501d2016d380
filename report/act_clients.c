/*
 * certexam — the client simulation of a TLS endpoint as the act shows it.
 * checks/tls/tls_clients.c records, per simulated client, one property
 * "client.NAME" of the endpoint's observation: "TLSv1.3 SUITE GROUP" when
 * the handshake is one the client accepts, else "no connection (WHY)" with
 * WHY one of a few shapes (the server's version outside the client's range,
 * a suite the client did not offer, a DH prime too small, no ServerHello,
 * an alert or error name).  This file splits that text, length-checked, so
 * the act can word the reason in kk, ru or en; a shape it does not know is
 * shown as recorded inside a catalog sentence.
 */
#include <stdio.h>
#include <string.h>

#include "act_clients.h"
#include "certexam/error.h"
#include "certexam/i18n.h"

#define PREFIX "client."

/* n bytes of s into out (size outn), cut to fit, NUL-terminated. */
static void copy(char *out, size_t outn, const char *s, size_t n)
{
	if (n >= outn)
		n = outn - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* s (n bytes) starts with the literal lit. */
#define STARTS(s, n, lit)                                                      \
	((n) >= sizeof(lit) - 1 && memcmp((s), (lit), sizeof(lit) - 1) == 0)

/* s (n bytes) is "<a><mid><b>" : a, b set as (pointer, length). */
static int split2(const char *s, size_t n, const char *mid, const char **b,
                  size_t *an, size_t *bn)
{
	size_t m = strlen(mid), i;

	for (i = 0; i + m <= n; i++)
		if (memcmp(s + i, mid, m) == 0) {
			*an = i;
			*b = s + i + m;
			*bn = n - i - m;
			return 1;
		}
	return 0;
}

/* The reason inside "no connection (...)": w (n bytes). */
static void parse_why(struct act_client *c, const char *w, size_t n)
{
	const char *b, *b2;
	size_t an, bn, an2, bn2;

	if (STARTS(w, n, "server chose suite ") &&
	    split2(w + 19, n - 19, ", not offered", &b, &an, &bn) && bn == 0) {
		c->why_id = "act.a.client.why.suite";
		copy(c->why[0], sizeof(c->why[0]), w + 19, an);
		return;
	}
	if (STARTS(w, n, "server chose ") &&
	    split2(w + 13, n - 13, ", outside ", &b, &an, &bn) &&
	    split2(b, bn, "-", &b2, &an2, &bn2)) {
		c->why_id = "act.a.client.why.outside";
		if (an == 18 && memcmp(w + 13, "an unknown version", 18) == 0)
			copy(c->why[0], sizeof(c->why[0]), "?", 1);
		else
			copy(c->why[0], sizeof(c->why[0]), w + 13, an);
		copy(c->why[1], sizeof(c->why[1]), b, an2);
		copy(c->why[2], sizeof(c->why[2]), b2, bn2);
		return;
	}
	if (STARTS(w, n, "DH prime of ") &&
	    split2(w + 12, n - 12, " bits, the client needs ", &b, &an, &bn)) {
		c->why_id = "act.a.client.why.dh";
		copy(c->why[0], sizeof(c->why[0]), w + 12, an);
		copy(c->why[1], sizeof(c->why[1]), b, bn);
		return;
	}
	if (n == 14 && memcmp(w, "no ServerHello", 14) == 0) {
		c->why_id = "act.a.client.why.no-hello";
		return;
	}
	c->why_id = "act.a.client.why.refused";
	copy(c->why[0], sizeof(c->why[0]), w, n);
}

int act_client_parse(const struct cx_prop *p, struct act_client *c)
{
	static const char nc[] = "no connection (";
	const char *v, *sp;
	size_t n;

	if (p->name == NULL || strncmp(p->name, PREFIX, 7) != 0 ||
	    p->name[7] == '\0')
		return 0;
	memset(c, 0, sizeof(*c));
	c->name = p->name + 7;
	c->result = v = p->value ? p->value : "";
	n = strlen(v);
	if (STARTS(v, n, nc) && v[n - 1] == ')') {
		parse_why(c, v + sizeof(nc) - 1, n - sizeof(nc));
		return 1;
	}
	if (n == 0) {
		c->why_id = "act.a.client.why.refused";
		return 1;
	}
	if (STARTS(v, n, "no connection")) {
		/* cut or altered: not connected, the rest as recorded */
		c->why_id = "act.a.client.why.refused";
		copy(c->why[0], sizeof(c->why[0]), v + 13, n - 13);
		return 1;
	}
	/* "PROTOCOL SUITE [GROUP]"; the suite may be "unknown suite". */
	c->connected = 1;
	sp = strchr(v, ' ');
	copy(c->proto, sizeof(c->proto), v, sp ? (size_t)(sp - v) : n);
	if (sp == NULL)
		return 1;
	v = sp + 1;
	if (strncmp(v, "unknown suite", 13) == 0 &&
	    (v[13] == '\0' || v[13] == ' ')) {
		sp = v[13] ? v + 13 : NULL;
	} else {
		sp = strchr(v, ' ');
		copy(c->suite, sizeof(c->suite), v,
		     sp ? (size_t)(sp - v) : strlen(v));
	}
	if (sp != NULL)
		copy(c->group, sizeof(c->group), sp + 1, strlen(sp + 1));
	return 1;
}

size_t act_client_count(const struct cx_observation *ob)
{
	size_t i, n = 0;

	for (i = 0; i < ob->n_props; i++)
		n += ob->props[i].name != NULL &&
		     strncmp(ob->props[i].name, PREFIX, 7) == 0 &&
		     ob->props[i].name[7] != '\0';
	return n;
}

int act_client_text(const struct cx_act *act, const struct act_client *c,
                    struct cx_buf *b)
{
	if (c->connected)
		return cx_buf_printf(
		    b, "%s %s%s%s", c->proto,
		    c->suite[0]
		        ? c->suite
		        : cx_act_text(act, "act.a.client.unknown-suite"),
		    c->group[0] ? " " : "", c->group);
	return cx_msg(b, act->cat, c->why_id,
	              CX_ARGS("why", c->why[0], "chosen", c->why[0], "suite",
	                      c->why[0], "bits", c->why[0], "min", c->why[1],
	                      "needs", c->why[1], "max", c->why[2]));
}
