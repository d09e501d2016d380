/*
 * Helpers shared by the connect-scan unit tests (portscan_util.c).
 */
#ifndef CX_TEST_PORTSCAN_UTIL_H
#define CX_TEST_PORTSCAN_UTIL_H

#include <sys/types.h>

#include "certexam/loop.h"
#include "certexam/observation.h"
#include "certexam/run.h"
#include "certexam/target.h"
#include "portscan.h"

/* Our loopback ports. */
#define PORT_LO 20000
#define PORT_HI 20999

/* The fixture: setup() before each test case, teardown() after it
 * (teardown also kills and reaps child when it is > 0). */
extern struct cx_scope scope;
extern struct cx_portset ports;
extern struct cx_scan_opts opts;
extern struct cx_loop *loop;
extern struct cx_run *run;
extern pid_t child;
void setup(void);
void teardown(void);

/* Add entry e to the scope; parse spec into the port set. */
void add_scope(const char *e);
void set_ports(const char *spec);

/* A listening socket on addr:port, or -1 when the port is taken. */
int listen_on(const char *addr, int port);
/* Bind (without listening) up to n free ports of addr from *next on;
 * their fds and ports in fds / got_ports.  Returns how many. */
int reserve_ports(const char *addr, int *next, int n, int *fds, int *got_ports);
void close_all(int *fds, int n);

/* The portscan observation of asset (NULL if none), and its numeric
 * property prop (asserted present); the host record of addr or NULL. */
const struct cx_observation *obs_for(const char *asset);
long obs_num(const char *asset, const char *prop);
const struct cx_host_obs *host_for(const char *addr);

/* Run the scan of scope x ports with opts into run (asserted to
 * succeed); returns the seconds it took. */
double scan(void);

#endif
