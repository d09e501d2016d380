/*
 * Unit tests: the TCP connect scan against real listeners started here.
 *
 * Only loopback (127.0.0.1, ::1; our ports 20000-20999) and addresses
 * inside network namespaces this test creates (10.254.x.x) are contacted.
 * Other engineers run servers on this machine at the same time, so the
 * full-range test compares against snapshots of the listening sockets
 * taken from /proc/net/tcp{,6} right before and right after the scan.
 *
 * Lost and filtered answers (dropped SYNs, retries, the retransmission
 * cap, network namespaces) are in check_portscan_loss.c.
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

/* Listen on n free ports of our range starting at *next. */
static int listen_some(const char *addr, int *next, int n, int *fds,
                       int *got_ports)
{
	int k = 0;

	while (k < n && *next <= PORT_HI) {
		int fd = listen_on(addr, *next);
		if (fd >= 0) {
			fds[k] = fd;
			got_ports[k] = *next;
			k++;
		}
		*next += 7;
	}
	return k;
}

/*
 * Listening TCP ports reachable on the loopback address of family fam
 * (AF_INET: bound to 0.0.0.0 or 127.0.0.1; AF_INET6: :: or ::1), from
 * /proc/net/tcp{,6}.  dual_out (may be NULL) gets the ports bound to ::
 * which may also accept IPv4.
 */
static void snapshot(int fam, struct cx_portset *out,
                     struct cx_portset *dual_out)
{
	static const char *const files[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	char line[512], local[64];
	unsigned port, st, i;
	FILE *f;

	memset(out, 0, sizeof(*out));
	if (dual_out != NULL)
		memset(dual_out, 0, sizeof(*dual_out));
	for (i = 0; i < 2; i++) {
		f = fopen(files[i], "r");
		if (f == NULL)
			continue;
		while (fgets(line, sizeof(line), f) != NULL) {
			if (sscanf(
			        line,
			        " %*u: %63[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x",
			        local, &port, &st) != 3)
				continue;
			if (st != 0x0A)
				continue;
			if (i == 0) {
				if (fam == AF_INET &&
				    (strcmp(local, "00000000") == 0 ||
				     strcmp(local, "0100007F") == 0))
					cx_portset_add(out, port);
			} else {
				int any = strcmp(local, "000000000000000000000"
				                        "00000000000") == 0;
				int lo = strcmp(local, "000000000000000000000"
				                       "00001000000") == 0;
				if (fam == AF_INET6 && (any || lo))
					cx_portset_add(out, port);
				if (fam == AF_INET && any && dual_out != NULL)
					cx_portset_add(dual_out, port);
			}
		}
		fclose(f);
	}
}

/* The set of open ports the run has for addr. */
static void found_ports(const char *addr, struct cx_portset *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < run->n_ports; i++) {
		if (strcmp(run->ports[i].addr, addr) != 0)
			continue;
		ck_assert_int_eq(run->ports[i].state, CX_PORT_OPEN);
		ck_assert_str_eq(run->ports[i].proto, "tcp");
		ck_assert(!cx_portset_has(out, (unsigned)run->ports[i].port));
		cx_portset_add(out, (unsigned)run->ports[i].port);
	}
}

/*
 * Scan every port of addr and check the exact set of open ports: ours,
 * plus whatever listened during the whole scan; nothing that never
 * listened.
 */
/*
 * Listening sockets watched during the scan by a thread that reads
 * /proc/net/tcp{,6} over and over: "always" = listening in every
 * snapshot, "ever" = listening in at least one (or bound to :: for IPv4).
 */
struct watcher {
	int fam;
	volatile int stop;
	volatile unsigned n;
	struct cx_portset always, ever;
};

static void *watch_listeners(void *arg)
{
	struct watcher *w = arg;
	struct cx_portset cur, dual;
	struct timespec ts = {0, 2 * 1000 * 1000};
	unsigned i;
	int last = 0;

	memset(&w->always, 0xff, sizeof(w->always.bits));
	for (;;) {
		snapshot(w->fam, &cur, &dual);
		for (i = 0; i < sizeof(cur.bits); i++) {
			w->always.bits[i] &= cur.bits[i];
			w->ever.bits[i] |= cur.bits[i] | dual.bits[i];
		}
		w->n++;
		if (last)
			break;
		if (w->stop)
			last = 1; /* one more, after the scan */
		else
			nanosleep(&ts, NULL);
	}
	return NULL;
}

/* Ports where this machine's tests start short-lived servers. */
static int transient_range(unsigned p)
{
	unsigned lo = 32768, hi = 60999;
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");

	if (f != NULL) {
		if (fscanf(f, "%u %u", &lo, &hi) != 2) {
			lo = 32768;
			hi = 60999;
		}
		fclose(f);
	}
	/* The helpers' ranges (COMMON.md), and servers bound to port 0. */
	return (p >= 20000 && p <= 24999) || (p >= lo && p <= hi);
}

static void full_range(const char *addr, int fam)
{
	struct cx_portset found, mine;
	struct watcher w;
	pthread_t tid;
	int fds[8], got[8], next = PORT_LO + (int)(getpid() % 97), n, i;
	unsigned p, transient = 0;
	double secs;

	memset(&mine, 0, sizeof(mine));
	n = listen_some(addr, &next, 5, fds, got);
	ck_assert_int_ge(n, 3);
	for (i = 0; i < n; i++)
		cx_portset_add(&mine, (unsigned)got[i]);
	add_scope(addr);
	set_ports("all");
	memset(&w, 0, sizeof(w));
	w.fam = fam;
	ck_assert_int_eq(pthread_create(&tid, NULL, watch_listeners, &w), 0);
	while (w.n == 0)
		sched_yield();
	secs = scan();
	w.stop = 1;
	pthread_join(tid, NULL);
	found_ports(addr, &found);
	for (p = 1; p <= 65535; p++) {
		if (cx_portset_has(&mine, p) || cx_portset_has(&w.always, p))
			ck_assert_msg(cx_portset_has(&found, p),
			              "%s:%u listened during the whole scan "
			              "but was not found open",
			              addr, p);
		if (!cx_portset_has(&found, p) || cx_portset_has(&mine, p) ||
		    cx_portset_has(&w.ever, p))
			continue;
		/*
		 * Other helpers' tests start and stop servers all the time
		 * (their port ranges, and port 0); one may have lived less
		 * than the 2 ms between two snapshots.  Anywhere else a port
		 * found open that never listened is an error.
		 */
		ck_assert_msg(transient_range(p),
		              "%s:%u found open but never listened", addr, p);
		fprintf(stderr,
		        "check_portscan: %s:%u open but not seen listening "
		        "(a short-lived test server?)\n",
		        addr, p);
		transient++;
	}
	ck_assert_uint_le(transient, 3);
	ck_assert_int_eq(obs_num(addr, "open"), (long)found.count);
	ck_assert_int_eq(obs_num(addr, "open") + obs_num(addr, "closed") +
	                     obs_num(addr, "filtered"),
	                 65535);
	ck_assert_ptr_nonnull(host_for(addr));
	ck_assert_int_eq(host_for(addr)->up, 1);
	ck_assert_str_eq(cx_obs_get(obs_for(addr), "ports"), "1-65535");
	fprintf(stderr,
	        "check_portscan: %s all 65535 ports in %.3f s, %u open, "
	        "%ld filtered, %s self-connects, degraded=%d, %u snapshots\n",
	        addr, secs, found.count, obs_num(addr, "filtered"),
	        cx_obs_get(obs_for(addr), "self_connects")
	            ? cx_obs_get(obs_for(addr), "self_connects")
	            : "0",
	        run->degraded, w.n);
	/* Loopback answers in microseconds: well under 2 s unloaded. */
	ck_assert_msg(secs < 10.0, "full-range loopback scan took %.1f s",
	              secs);
	for (i = 0; i < n; i++)
		close(fds[i]);
}

START_TEST(test_full_range_v4)
{
	full_range("127.0.0.1", AF_INET);
}
END_TEST

START_TEST(test_full_range_v6)
{
	int fd = socket(AF_INET6, SOCK_STREAM, 0);

	if (fd < 0) {
		fprintf(stderr, "check_portscan: no IPv6; skipped\n");
		return;
	}
	close(fd);
	full_range("::1", AF_INET6);
}
END_TEST

/* Two addresses, a port range: ours open, reserved ones closed, host up. */
START_TEST(test_closed_and_open)
{
	int a = -1, b = -1, port_a = 0, port_b = 0, p, i;
	int rfd4[12], rport4[12], rfd6[12], rport6[12], n4, n6, next;
	int base = PORT_HI - 60 - (int)(getpid() % 40);
	char spec[64];

	for (p = base; p <= base + 40 && (a < 0 || b < 0); p++) {
		int fd = listen_on(a < 0 ? "127.0.0.1" : "::1", p);
		if (fd < 0)
			continue;
		if (a < 0) {
			a = fd;
			port_a = p;
		} else {
			b = fd;
			port_b = p;
		}
	}
	ck_assert_int_ge(a, 0);
	ck_assert_int_ge(b, 0);
	next = base;
	n4 = reserve_ports("127.0.0.1", &next, 12, rfd4, rport4);
	next = base;
	n6 = reserve_ports("::1", &next, 12, rfd6, rport6);
	ck_assert_int_ge(n4, 5);
	ck_assert_int_ge(n6, 5);
	snprintf(spec, sizeof(spec), "%d-%d", base, base + 40);
	set_ports(spec);
	add_scope("127.0.0.1");
	add_scope("::1");
	scan();
	ck_assert_uint_eq(run->n_hosts, 2);
	ck_assert_int_eq(host_for("127.0.0.1")->up, 1);
	ck_assert_int_eq(host_for("::1")->up, 1);
	ck_assert_ptr_nonnull(
	    cx_run_find_port(run, "127.0.0.1", port_a, "tcp"));
	ck_assert_ptr_nonnull(cx_run_find_port(run, "::1", port_b, "tcp"));
	for (i = 0; i < n4; i++)
		ck_assert_ptr_null(
		    cx_run_find_port(run, "127.0.0.1", rport4[i], "tcp"));
	for (i = 0; i < n6; i++)
		ck_assert_ptr_null(
		    cx_run_find_port(run, "::1", rport6[i], "tcp"));
	ck_assert_int_eq(obs_num("127.0.0.1", "filtered"), 0);
	ck_assert_int_eq(obs_num("::1", "filtered"), 0);
	ck_assert_int_ge(obs_num("127.0.0.1", "closed"), n4);
	ck_assert_int_ge(obs_num("::1", "closed"), n6);
	ck_assert_int_eq(
	    obs_num("127.0.0.1", "open") + obs_num("127.0.0.1", "closed"), 41);
	ck_assert_str_eq(cx_obs_get(obs_for("::1"), "ports"), spec);
	ck_assert_str_eq(
	    cx_run_find_port(run, "127.0.0.1", port_a, "tcp")->reason,
	    "syn-ack");
	ck_assert_int_eq(run->degraded, 0);
	close(a);
	close(b);
	close_all(rfd4, n4);
	close_all(rfd6, n6);
}
END_TEST

/* A server that accepts and closes at once (FIN, and RST) is open. */
START_TEST(test_accept_and_close)
{
	int fin = -1, rst = -1, port_fin = 0, port_rst = 0, p, ready[2];
	char spec[64], c;

	for (p = PORT_LO + 500; p < PORT_LO + 600 && (fin < 0 || rst < 0);
	     p++) {
		int fd = listen_on("127.0.0.1", p);
		if (fd < 0)
			continue;
		if (fin < 0) {
			fin = fd;
			port_fin = p;
		} else {
			rst = fd;
			port_rst = p;
		}
	}
	ck_assert_int_ge(rst, 0);
	ck_assert_int_eq(pipe(ready), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		struct linger lg = {1, 0};
		int k;
		alarm(30);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (k = 0; k < 1000; k++) {
			int c1 = accept(fin, NULL, NULL), c2;
			if (c1 >= 0)
				close(c1);
			c2 = accept(rst, NULL, NULL);
			if (c2 >= 0) {
				setsockopt(c2, SOL_SOCKET, SO_LINGER, &lg,
				           sizeof(lg));
				close(c2);
			}
		}
		_exit(0);
	}
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	snprintf(spec, sizeof(spec), "%d,%d", port_fin, port_rst);
	set_ports(spec);
	add_scope("127.0.0.1");
	scan();
	ck_assert_ptr_nonnull(
	    cx_run_find_port(run, "127.0.0.1", port_fin, "tcp"));
	ck_assert_ptr_nonnull(
	    cx_run_find_port(run, "127.0.0.1", port_rst, "tcp"));
	ck_assert_int_eq(obs_num("127.0.0.1", "open"), 2);
	close(fin);
	close(rst);
	close(ready[0]);
	close(ready[1]);
}
END_TEST

static int progress_calls;
static uint64_t progress_last_done, progress_total, progress_found;
static long interrupt_after = -1;

static void on_progress(void *arg, const char *phase, uint64_t done,
                        uint64_t total, uint64_t found)
{
	(void)arg;
	ck_assert_str_eq(phase, "ports");
	ck_assert_uint_ge(done, progress_last_done);
	ck_assert_uint_le(done, total);
	progress_calls++;
	progress_last_done = done;
	progress_total = total;
	progress_found = found;
	if (interrupt_after >= 0 && done >= (uint64_t)interrupt_after)
		cx_interrupted = 1;
}

START_TEST(test_rate_and_progress)
{
	struct cx_progress prog = {on_progress, NULL};
	uint64_t t0, ms;
	int rc;

	progress_calls = 0;
	progress_last_done = 0;
	set_ports("20000-20299");
	add_scope("127.0.0.1");
	opts.rate = 1000;
	t0 = cx_now_ms();
	rc = cx_portscan_run(loop, &scope, NULL, &ports, &opts, &prog, run);
	ms = cx_now_ms() - t0;
	ck_assert_int_eq(rc, 0);
	/* 300 probes at 1000/s with a burst of 50: at least ~250 ms. */
	ck_assert_msg(ms >= 230, "rate cap not applied: %llu ms",
	              (unsigned long long)ms);
	ck_assert_msg(ms < 3000, "too slow: %llu ms", (unsigned long long)ms);
	ck_assert_uint_eq(progress_total, 300);
	ck_assert_uint_eq(progress_last_done, 300);
	/* At most ~5 calls a second, plus the first and the last. */
	ck_assert_int_le(progress_calls, (int)(ms / 200) + 3);
	ck_assert_int_ge(progress_calls, 2);
	ck_assert_int_eq(obs_num("127.0.0.1", "open") +
	                     obs_num("127.0.0.1", "closed") +
	                     obs_num("127.0.0.1", "filtered"),
	                 300);
	(void)progress_found;
}
END_TEST

START_TEST(test_interrupt)
{
	struct cx_progress prog = {on_progress, NULL};
	int rc;

	progress_calls = 0;
	progress_last_done = 0;
	interrupt_after = 1;
	set_ports("20000-20999");
	add_scope("127.0.0.1");
	opts.rate = 2000; /* ~0.5 s: the 200 ms progress tick comes first */
	rc = cx_portscan_run(loop, &scope, NULL, &ports, &opts, &prog, run);
	interrupt_after = -1;
	cx_interrupted = 0;
	ck_assert_int_eq(rc, CX_EINTR);
	ck_assert_uint_eq(run->n_hosts, 1);
	ck_assert_ptr_nonnull(obs_for("127.0.0.1"));
	ck_assert_str_eq(cx_obs_get(obs_for("127.0.0.1"), "complete"), "false");
	ck_assert_int_lt(obs_num("127.0.0.1", "open") +
	                     obs_num("127.0.0.1", "closed"),
	                 1000);
	/* Every socket was closed: the loop watches nothing. */
	ck_assert_uint_eq(cx_loop_nfds(loop), 0);
}
END_TEST

/* With few fds the scan adapts; with none it gives up, degraded. */
START_TEST(test_fd_exhaustion)
{
	struct rlimit rl;
	int fds[400], n = 0, i, l, lport;
	char spec[32];

	for (lport = PORT_LO + 900, l = -1; l < 0 && lport < PORT_LO + 999;
	     lport++)
		l = listen_on("127.0.0.1", lport);
	lport--;
	ck_assert_int_ge(l, 0);
	/* This test runs in its own process (Check forks). */
	rl.rlim_cur = rl.rlim_max = 200;
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	/* Leave about 10 fds free: most connects hit EMFILE at first. */
	for (;;) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd < 0)
			break;
		if (fd >= 190) {
			close(fd);
			break;
		}
		fds[n++] = fd;
	}
	snprintf(spec, sizeof(spec), "%d-%d", PORT_LO + 800, PORT_LO + 999);
	set_ports(spec);
	add_scope("127.0.0.1");
	scan();
	ck_assert_int_eq(
	    obs_num("127.0.0.1", "open") + obs_num("127.0.0.1", "closed"), 200);
	ck_assert_int_ge(obs_num("127.0.0.1", "open"), 1);
	ck_assert_ptr_nonnull(cx_run_find_port(run, "127.0.0.1", lport, "tcp"));
	ck_assert_int_eq(run->degraded, 0);

	/* Now no fd at all: the scan must say it gave up. */
	cx_run_free(run);
	run = cx_run_new();
	for (;;) {
		int fd = open("/dev/null", O_RDONLY);
		if (fd < 0)
			break;
		fds[n++] = fd;
		if (n == (int)CX_ARRAY_LEN(fds))
			break;
	}
	opts.connect_timeout_ms = 300;
	scan();
	ck_assert_int_eq(run->degraded, 1);
	ck_assert_ptr_nonnull(strstr(run->degraded_reason, "not scanned"));
	ck_assert_int_eq(obs_num("127.0.0.1", "not_scanned"), 200);
	for (i = 0; i < n; i++)
		close(fds[i]);
	close(l);
}
END_TEST

/* Nothing outside the scope, and an empty port set, are fine. */
START_TEST(test_empty)
{
	set_ports("20000");
	scan();
	ck_assert_uint_eq(run->n_hosts, 0);
	memset(&ports, 0, sizeof(ports));
	add_scope("127.0.0.1");
	scan();
	ck_assert_uint_eq(run->n_hosts, 1);
	ck_assert_int_eq(obs_num("127.0.0.1", "open"), 0);
	ck_assert_int_eq(
	    cx_portscan_run(NULL, &scope, NULL, &ports, &opts, NULL, run),
	    CX_EINVAL);
}
END_TEST

/* Excluded addresses are never probed. */
START_TEST(test_exclude)
{
	int fd = listen_on("127.0.0.1", PORT_LO + 950);

	if (fd < 0)
		fd = listen_on("127.0.0.1", PORT_LO + 951);
	ck_assert_int_ge(fd, 0);
	set_ports("20950-20951");
	add_scope("127.0.0.0/30");
	ck_assert_int_eq(cx_scope_add(&scope, "127.0.0.1", 1, NULL, NULL, 0),
	                 0);
	scan();
	ck_assert_uint_eq(run->n_hosts, 3);
	ck_assert_ptr_null(host_for("127.0.0.1"));
	ck_assert_ptr_nonnull(host_for("127.0.0.2"));
	/* Sorted by address whatever order the hosts finished in. */
	ck_assert_str_eq(run->hosts[0].addr, "127.0.0.0");
	ck_assert_str_eq(run->hosts[1].addr, "127.0.0.2");
	ck_assert_str_eq(run->hosts[2].addr, "127.0.0.3");
	ck_assert_str_eq(run->obs[2].asset, "127.0.0.3");
	close(fd);
}
END_TEST

static Suite *portscan_suite(void)
{
	Suite *s = suite_create("portscan");
	TCase *tc = tcase_create("loopback");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_full_range_v4);
	tcase_add_test(tc, test_full_range_v6);
	tcase_add_test(tc, test_closed_and_open);
	tcase_add_test(tc, test_accept_and_close);
	tcase_add_test(tc, test_rate_and_progress);
	tcase_add_test(tc, test_interrupt);
	tcase_add_test(tc, test_fd_exhaustion);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_exclude);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(portscan_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
