/*
 * certexam — the draft certificate (Annex 7) and the register entry
 * (para 29), report/writer_cert.c.
 */
#ifndef CERTEXAM_CERT_H
#define CERTEXAM_CERT_H

#include <stddef.h>
#include "certexam/act.h"
#include "certexam/i18n.h"
#include "certexam/profile.h"
#include "certexam/util.h"

/*
 * 1 if a certificate may be drafted from act: the proposed decision is to
 * issue and both lists were read without an error in any row; else 0 with
 * the reason appended to why (may be NULL) in the words of cat (cert.ready.*
 * ids; cat NULL: the id in brackets, see cx_msg).
 */
int cx_cert_ready(const struct cx_act *act, const struct cx_catalog *cat,
                  struct cx_buf *why);

/* The certificate in format "html" or "md"; notify: the para 43 list
 * (the profile's cert.notify values). */
int cx_cert_render(const struct cx_act *act, const char *const *notify,
                   size_t n_notify, const char *format, struct cx_buf *out);

/* The register entry of para 29 as JSON / as CSV (';', UTF-8 with BOM). */
int cx_register_json(const struct cx_act *act, struct cx_buf *out);
int cx_register_csv(const struct cx_act *act, struct cx_buf *out);

/*
 * Write the certificate in the act's language (certificate-NNNN.LANG.html,
 * .md; without a language act->lang/cat: certificate-NNNN.html, .md) and,
 * with with_register, the register entry (certificate-register-NNNN.json,
 * .csv) into outdir, atomically, with the para 43 list from profile's
 * cert.notify (profile may be NULL).  paths (4 entries, may be NULL)
 * receive the files written (NULL for those not written); the caller
 * frees them.  CX_EINVAL when cx_cert_ready() says no.
 */
int cx_cert_files(const struct cx_act *act, const struct cx_profile *profile,
                  const char *outdir, int with_register, char *paths[4]);

#endif
