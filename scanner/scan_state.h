/*
 * certexam — the state of one examination run, shared by scan.c (the
 * stages: discovery, port scan, service detection, checks, record) and
 * scan_prepare.c (what a run starts from: the case, the profile, scope,
 * ports and the record's metadata).  Not a public API.
 */
#ifndef CX_SCAN_STATE_H
#define CX_SCAN_STATE_H

#include <stddef.h>

#include "certexam/check.h"
#include "certexam/loop.h"
#include "certexam/object.h"
#include "certexam/profile.h"
#include "certexam/run.h"
#include "certexam/scan.h"
#include "certexam/target.h"
#include "certexam/waiver.h"
#include "scan_int.h"

#define CASE_FILE_MAX ((size_t)256 * 1024 * 1024)
#define SHARD_SKIPPED                                                          \
	"skipped: a shard of the scope (--shard); run after certexam merge"

struct scan_state {
	const struct cx_scan_request *req;
	struct cx_diags *diags;
	struct cx_object *obj;
	struct cx_profile *profile;
	struct cx_scope scope;
	struct cx_portset ports;
	struct cx_portset udp_ports;
	const char *udp_spec; /* as asked, or the profile's */
	struct cx_run *run;
	struct cx_run *baseline;
	struct cx_loop *loop;
	char *schema_dir;
	char *runs_dir;
	int syn;              /* the port scan is a SYN scan */
	const char *scan_msg; /* why that scan type: scan.reason.* */
	char scan_why[256];   /* its raw parameter (an OS error), or "" */
	int recheck;          /* cx_scan_recheck: shard-skipped only */
	struct cx_addrset up; /* hosts discovery found up */
	const struct cx_addrset *only; /* &up after discovery, else NULL */
	struct cx_waivers *waivers;    /* CASE/waivers.xml, or NULL */
};

int scan_load_case(struct scan_state *s);

const char *scan_profile_id(const struct scan_state *s);

int scan_build_scope(struct scan_state *s);

int scan_narrow_shard(struct scan_state *s);

int scan_build_ports(struct scan_state *s);

int scan_build_udp_ports(struct scan_state *s);

int scan_record_meta(struct scan_state *s);

void scan_mark_declared(struct scan_state *s);

#endif
