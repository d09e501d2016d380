/*
 * certexam — service detection (engine-internal API), the second phase.
 *
 * For every OPEN port in run->ports: read what the service says first
 * (opts->service_wait_ms), then send protocol probes chosen by port number
 * and by what was read, from the signature file (profiles/signatures.xml,
 * our own format and entries).  All ports are probed concurrently on the
 * loop, each probe with a deadline.  Fills service, product, version,
 * extra, tls (and inner: the protocol spoken inside TLS), and stores the
 * raw bytes received as evidence (cx_run_add_evidence, kind "banner"),
 * setting port->evidence to its id.
 */
#ifndef CX_SERVICE_H
#define CX_SERVICE_H

#include "certexam/check.h"
#include "certexam/loop.h"
#include "certexam/run.h"

int cx_service_detect(struct cx_loop *loop, struct cx_run *run,
		      const struct cx_scan_opts *opts,
		      const char *signatures_path,
		      const struct cx_progress *progress);

#endif
