/*
 * certexam — what the cleartext-credentials check (checks/cleartext.c)
 * shares with its parser (checks/cleartext_parse.c), the unit tests and
 * the fuzz harness: the replies of IMAP, POP3 and SMTP servers before
 * TLS (greeting, CAPABILITY / CAPA / EHLO, STARTTLS / STLS), parsed with
 * every length checked, and the verdict they lead to.
 */
#ifndef CX_CLEARTEXT_H
#define CX_CLEARTEXT_H

#include <stddef.h>

#include "certexam/finding.h"

/* The largest reply kept; a longer one is CT_BAD ("reply too long"). */
#define CT_MAX_REPLY 16384

enum ct_proto { CT_IMAP = 0, CT_POP3, CT_SMTP };

/* The exchanges of one dialogue, in order. */
enum ct_stage {
	CT_GREETING = 0,
	CT_CAPS,
	CT_STARTTLS,
	CT_USER /* POP3 without CAPA: does USER get +OK before TLS? */
};

/* What a reply was. */
enum ct_reply {
	CT_MORE = 0, /* incomplete: read more */
	CT_OK,       /* complete, positive */
	CT_NO,       /* complete, negative (refused, error code) */
	CT_BAD,      /* not this protocol, or too long */
};

/* What the server offers on the clear connection. */
struct ct_caps {
	int starttls;      /* STARTTLS (IMAP, SMTP) or STLS (POP3) */
	int logindisabled; /* IMAP LOGINDISABLED */
	int user;          /* POP3 USER (USER/PASS) */
	int auth;          /* SMTP AUTH advertised (any mechanism) */
	int plain, login;  /* SASL PLAIN / LOGIN offered */
	char offers[160];  /* what offers a login, as advertised (text) */
};

/*
 * Parse the reply of proto at stage in buf[0..len) (bytes as received, no
 * NUL needed); capabilities found are added to caps (the IMAP greeting's
 * [CAPABILITY ...] too).  The IMAP tags are "c1" (CAPABILITY) and "c2"
 * (STARTTLS).  Never reads past len.
 */
enum ct_reply ct_parse(enum ct_proto proto, enum ct_stage stage,
                       const char *buf, size_t len, struct ct_caps *caps);

/*
 * The verdict on a dialogue: caps as parsed, starttls_res -1 (STARTTLS
 * not advertised or not tried), 0 (refused) or 1 (accepted).  Returns
 * the message id and sets *status (CX_FAIL: credentials may travel in
 * cleartext; CX_PASS).
 */
const char *ct_verdict(enum ct_proto proto, const struct ct_caps *caps,
                       int starttls_res, enum cx_status *status);

/* "IMAP", "POP3", "SMTP". */
const char *ct_proto_name(enum ct_proto proto);

#endif
