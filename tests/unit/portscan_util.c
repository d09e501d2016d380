/*
 * Shared by the connect-scan unit tests (check_portscan.c,
 * check_portscan_loss.c): the fixture (scope, ports, options, loop, run,
 * a forked helper process), listeners and reserved ports on loopback,
 * and lookups in the run.
 */
#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "certexam/check.h"
#include "certexam/error.h"
#include "certexam/loop.h"
#include "certexam/observation.h"
#include "certexam/run.h"
#include "certexam/target.h"
#include "certexam/util.h"
#include "portscan.h"
#include "portscan_util.h"

struct cx_scope scope;
struct cx_portset ports;
struct cx_scan_opts opts;
struct cx_loop *loop;
struct cx_run *run;
pid_t child = -1;

void setup(void)
{
	memset(&scope, 0, sizeof(scope));
	memset(&ports, 0, sizeof(ports));
	cx_scan_opts_default(&opts);
	ck_assert_int_eq(cx_loop_new(&loop), 0);
	run = cx_run_new();
	ck_assert_ptr_nonnull(run);
	cx_interrupted = 0;
}

void teardown(void)
{
	if (child > 0) {
		kill(child, SIGKILL);
		waitpid(child, NULL, 0);
		child = -1;
	}
	cx_run_free(run);
	cx_loop_free(loop);
	cx_scope_free(&scope);
}

void add_scope(const char *e)
{
	ck_assert_int_eq(cx_scope_add(&scope, e, 0, NULL, NULL, 0), 0);
}

void set_ports(const char *spec)
{
	const char *bad = NULL;

	ck_assert_int_eq(cx_portset_parse(&ports, spec, &bad), 0);
}

/* A listening socket on addr:port, or -1 when the port is taken. */
int listen_on(const char *addr, int port)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, one = 1, fam = strchr(addr, ':') ? AF_INET6 : AF_INET;

	memset(&ss, 0, sizeof(ss));
	if (fam == AF_INET) {
		struct sockaddr_in *sin = (void *)&ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, addr, &sin->sin_addr);
		len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (void *)&ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, addr, &sin6->sin6_addr);
		len = sizeof(*sin6);
	}
	fd = socket(fam, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (fam == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) != 0 ||
	    listen(fd, 512) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Bind (without listening) up to n free ports of addr from *next on: no
 * one else can listen there while we hold them, so they are closed for
 * sure even with other tests running.  Returns how many.
 */
int reserve_ports(const char *addr, int *next, int n, int *fds, int *got_ports)
{
	int k = 0;

	while (k < n && *next <= PORT_HI) {
		int fam = strchr(addr, ':') ? AF_INET6 : AF_INET, one = 1;
		struct sockaddr_storage ss;
		socklen_t len;
		int fd;

		memset(&ss, 0, sizeof(ss));
		if (fam == AF_INET) {
			struct sockaddr_in *sin = (void *)&ss;
			sin->sin_family = AF_INET;
			sin->sin_port = htons((uint16_t)*next);
			inet_pton(AF_INET, addr, &sin->sin_addr);
			len = sizeof(*sin);
		} else {
			struct sockaddr_in6 *sin6 = (void *)&ss;
			sin6->sin6_family = AF_INET6;
			sin6->sin6_port = htons((uint16_t)*next);
			inet_pton(AF_INET6, addr, &sin6->sin6_addr);
			len = sizeof(*sin6);
		}
		fd = socket(fam, SOCK_STREAM | SOCK_CLOEXEC, 0);
		ck_assert_int_ge(fd, 0);
		if (fam == AF_INET6)
			setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			           sizeof(one));
		if (bind(fd, (struct sockaddr *)&ss, len) == 0) {
			fds[k] = fd;
			got_ports[k] = *next;
			k++;
		} else {
			close(fd);
		}
		(*next)++;
	}
	return k;
}

void close_all(int *fds, int n)
{
	int i;

	for (i = 0; i < n; i++)
		close(fds[i]);
}

const struct cx_observation *obs_for(const char *asset)
{
	size_t i;

	for (i = 0; i < run->n_obs; i++)
		if (strcmp(run->obs[i].kind, "portscan") == 0 &&
		    strcmp(run->obs[i].asset, asset) == 0)
			return &run->obs[i];
	return NULL;
}

long obs_num(const char *asset, const char *prop)
{
	const struct cx_observation *o = obs_for(asset);
	const char *v;
	long n = -1;

	ck_assert_msg(o != NULL, "no portscan observation for %s", asset);
	v = cx_obs_get(o, prop);
	ck_assert_msg(v != NULL, "no property %s for %s", prop, asset);
	ck_assert_int_eq(cx_parse_long(v, 0, 1000000, &n), 0);
	return n;
}

const struct cx_host_obs *host_for(const char *addr)
{
	size_t i;

	for (i = 0; i < run->n_hosts; i++)
		if (strcmp(run->hosts[i].addr, addr) == 0)
			return &run->hosts[i];
	return NULL;
}

double scan(void)
{
	uint64_t t0 = cx_now_ms();
	int rc;

	rc = cx_portscan_run(loop, &scope, NULL, &ports, &opts, NULL, run);
	ck_assert_msg(rc == 0, "cx_portscan_run: %s", cx_strerror(rc));
	return (double)(cx_now_ms() - t0) / 1000.0;
}
