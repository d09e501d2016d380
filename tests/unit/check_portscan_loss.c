/*
 * Unit tests: the TCP connect scan when answers are lost: a port whose
 * SYNs are dropped (a full accept queue), one that answers only a retry,
 * the retransmission cap and the degraded run, and the filtered states
 * (silent, unreachable) in network namespaces this test creates.
 *
 * Only loopback (127.0.0.1; our ports 20000-20999) and addresses inside
 * network namespaces this test creates (10.254.x.x) are contacted.
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

/*
 * A listener whose accept queue is full drops SYNs silently: the port
 * answers nothing, as behind a DROP rule, while the host answers on its
 * other ports.  Returns the listening fd; *filler is the connection that
 * fills the queue.
 */
static int full_listener(int port, int *filler)
{
	struct sockaddr_in sin;
	int l, c, one = 1;

	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(l, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(l, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		close(l);
		return -1;
	}
	ck_assert_int_eq(listen(l, 0), 0);
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&sin, sizeof(sin)), 0);
	*filler = c;
	return l;
}

/* "port,r1,r2,..." */
static void spec_with(char *spec, size_t sz, int port, const int *r, int n)
{
	size_t len;
	int i;

	snprintf(spec, sz, "%d", port);
	for (i = 0; i < n; i++) {
		len = strlen(spec);
		snprintf(spec + len, sz - len, ",%d", r[i]);
	}
}

/* A port whose SYNs are dropped is filtered; no loss, so not degraded. */
START_TEST(test_dropped_port)
{
	int l = -1, filler = -1, port, rfd[6], rport[6], nr, next;
	char spec[128];
	uint64_t t0;

	for (port = PORT_LO + 700 + (int)(getpid() % 10);
	     port < PORT_LO + 760 && l < 0; port++)
		l = full_listener(port, &filler);
	port--;
	ck_assert_int_ge(l, 0);
	next = port + 1;
	nr = reserve_ports("127.0.0.1", &next, 6, rfd, rport);
	ck_assert_int_ge(nr, 3);
	spec_with(spec, sizeof(spec), port, rport, nr);
	set_ports(spec);
	add_scope("127.0.0.1");
	opts.retries = 2;
	t0 = cx_now_ms();
	scan();
	ck_assert_ptr_null(cx_run_find_port(run, "127.0.0.1", port, "tcp"));
	ck_assert_int_eq(obs_num("127.0.0.1", "filtered"), 1);
	ck_assert_int_eq(obs_num("127.0.0.1", "closed"), nr);
	ck_assert_int_eq(host_for("127.0.0.1")->up, 1);
	ck_assert_int_eq(run->degraded, 0);
	/* RTT-based timeouts: 3 tries of ~100 ms, not 3 x 1000 ms. */
	ck_assert_uint_lt(cx_now_ms() - t0, 2500);
	close(filler);
	close(l);
	close_all(rfd, nr);
}
END_TEST

/*
 * A port that drops the first SYNs and answers a retry is open (loss was
 * seen and retried), and nothing is given up.
 */
START_TEST(test_late_answer)
{
	int l = -1, filler = -1, port, ready[2], rfd[4], rport[4], nr, next;
	char spec[128], c;

	for (port = PORT_LO + 770 + (int)(getpid() % 10);
	     port < PORT_LO + 830 && l < 0; port++)
		l = full_listener(port, &filler);
	port--;
	ck_assert_int_ge(l, 0);
	next = port + 1;
	nr = reserve_ports("127.0.0.1", &next, 4, rfd, rport);
	ck_assert_int_ge(nr, 2);
	ck_assert_int_eq(pipe(ready), 0);
	child = fork();
	ck_assert_int_ge(child, 0);
	if (child == 0) {
		struct timespec ts = {0, 250 * 1000 * 1000};
		alarm(30);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		nanosleep(&ts, NULL);
		for (;;) {
			int a = accept(l, NULL, NULL);
			if (a >= 0)
				close(a);
		}
	}
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	spec_with(spec, sizeof(spec), port, rport, nr);
	set_ports(spec);
	add_scope("127.0.0.1");
	opts.retries = 6;
	scan();
	ck_assert_ptr_nonnull(cx_run_find_port(run, "127.0.0.1", port, "tcp"));
	ck_assert_int_eq(obs_num("127.0.0.1", "filtered"), 0);
	ck_assert_int_eq(obs_num("127.0.0.1", "closed"), nr);
	ck_assert_int_eq(run->degraded, 0);
	close(filler);
	close(l);
	close(ready[0]);
	close(ready[1]);
	close_all(rfd, nr);
}
END_TEST

/* TcpExt ListenOverflows of this network namespace (SYNs dropped on a
 * full accept queue), or -1. */
static long listen_overflows(void)
{
	char names[4096], values[4096], *ns, *vs, *n, *v;
	long r = -1;
	FILE *f = fopen("/proc/net/netstat", "r");

	if (f == NULL)
		return -1;
	while (fgets(names, sizeof(names), f) != NULL &&
	       fgets(values, sizeof(values), f) != NULL) {
		if (strncmp(names, "TcpExt:", 7) != 0)
			continue;
		n = strtok_r(names, " \n", &ns);
		v = strtok_r(values, " \n", &vs);
		while (n != NULL && v != NULL) {
			if (strcmp(n, "ListenOverflows") == 0)
				r = strtol(v, NULL, 10);
			n = strtok_r(NULL, " \n", &ns);
			v = strtok_r(NULL, " \n", &vs);
		}
	}
	fclose(f);
	return r;
}

/*
 * A network namespace of the test's own (a fresh loopback), so that the
 * kernel's counters see only this test's packets.  0 when entered.
 */
static int private_loopback(void)
{
	const char *fork_mode = getenv("CK_FORK");

	if (fork_mode != NULL && strcmp(fork_mode, "no") == 0)
		return -1; /* the test runs in the runner: leave it alone */
	if (unshare(CLONE_NEWNET) != 0)
		return -1;
	return system("ip link set lo up") == 0 ? 0 : -1;
}

/*
 * Drop exactly the first SYN to port (iptables "recent": the first SYN
 * from an address is recorded and dropped, every later one passes).  Only
 * in a network namespace of the test's own.  0 when the rules are in.
 */
static int drop_first_syn(int port)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd),
	         "iptables -A INPUT -p tcp --dport %d --syn -m recent "
	         "--name cxnet-late --rcheck -j ACCEPT 2>/dev/null && "
	         "iptables -A INPUT -p tcp --dport %d --syn -m recent "
	         "--name cxnet-late --set -j DROP 2>/dev/null",
	         port, port);
	return system(cmd) == 0 ? 0 : -1;
}

/*
 * Loss proven on a host (a retry answered) and a port there that never
 * answers: it is given up at the retransmission cap, reported filtered,
 * and the run says it is degraded instead of under-reporting silently.
 *
 * Issue 11 item 3, the race (1 failure in 15 runs under load): the late
 * port is probed first, before the scan has an RTT, so its try waits
 * --timeout (1 s); the kernel retransmits the SYN on the same socket
 * after its initial RTO (also 1 s).  When the kernel's retransmission was
 * answered first, the engine took it for a first-try answer, proved no
 * loss and capped nothing.  The engine now asks the socket (TCP_INFO)
 * and counts such an answer as late.  The test is deterministic too: in
 * its own namespace a firewall rule drops the late port's first SYN and
 * passes every later one (the old way, a child that starts accepting
 * after the kernel counted two drops, is kept only where no namespace or
 * iptables can be had), and the never port (a full accept queue) drops
 * all of its tries.
 */
START_TEST(test_retrans_cap_degraded)
{
	long base;
	int own_ns = private_loopback() == 0, by_rule = 0;
	int late_l = -1, late_f = -1, late_port, never_l = -1, never_f = -1;
	int never_port, ready[2], rfd[3], rport[3], nr, next;
	char spec[128], c;

	for (late_port = PORT_LO + 840 + (int)(getpid() % 10);
	     late_port < PORT_LO + 880 && late_l < 0; late_port++)
		late_l = full_listener(late_port, &late_f);
	late_port--;
	ck_assert_int_ge(late_l, 0);
	for (never_port = late_port + 1;
	     never_port < PORT_LO + 890 && never_l < 0; never_port++)
		never_l = full_listener(never_port, &never_f);
	never_port--;
	ck_assert_int_ge(never_l, 0);
	next = never_port + 1;
	nr = reserve_ports("127.0.0.1", &next, 3, rfd, rport);
	ck_assert_int_ge(nr, 2);
	ck_assert_int_eq(pipe(ready), 0);
	if (own_ns && drop_first_syn(late_port) == 0) {
		/* Empty the late port's queue: the first retry is answered. */
		int a = accept(late_l, NULL, NULL);

		ck_assert_int_ge(a, 0);
		close(a);
		by_rule = 1;
	}
	base = own_ns ? listen_overflows() : -1;
	if (!by_rule) {
		child = fork();
		ck_assert_int_ge(child, 0);
	}
	if (!by_rule && child == 0) {
		struct timespec ts = {0, 250 * 1000 * 1000};
		struct timespec tick = {0, 2 * 1000 * 1000};
		int waited;
		alarm(30);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		if (base < 0)
			nanosleep(&ts, NULL); /* no counters: the old timing */
		for (waited = 0; base >= 0 && waited < 5000 &&
		                 listen_overflows() < base + 2;
		     waited++)
			nanosleep(&tick, NULL);
		for (;;) {
			int a = accept(late_l, NULL, NULL);
			if (a >= 0)
				close(a);
		}
	}
	if (!by_rule)
		ck_assert_int_eq(read(ready[0], &c, 1), 1);
	spec_with(spec, sizeof(spec), late_port, rport, nr);
	{
		size_t len = strlen(spec);
		snprintf(spec + len, sizeof(spec) - len, ",%d", never_port);
	}
	set_ports(spec);
	add_scope("127.0.0.1");
	opts.retries = 3;
	scan();
	ck_assert_ptr_nonnull(
	    cx_run_find_port(run, "127.0.0.1", late_port, "tcp"));
	ck_assert_ptr_null(
	    cx_run_find_port(run, "127.0.0.1", never_port, "tcp"));
	ck_assert_int_eq(obs_num("127.0.0.1", "filtered"), 1);
	ck_assert_int_eq(obs_num("127.0.0.1", "closed"), nr);
	ck_assert_int_eq(obs_num("127.0.0.1", "retransmission_cap_hit"), 1);
	ck_assert_int_eq(run->degraded, 1);
	ck_assert_ptr_nonnull(
	    strstr(run->degraded_reason, "retransmission cap"));
	if (by_rule) /* the never port dropped every one of its 4 tries */
		ck_assert_int_ge(listen_overflows() - base, 4);
	close(late_f);
	close(late_l);
	close(never_f);
	close(never_l);
	close(ready[0]);
	close(ready[1]);
	close_all(rfd, nr);
}
END_TEST

/* Network namespaces for the filtered states. */

static char ns_a[64], ns_b[64];
static int ns_ok;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void ns_setup(void)
{
	snprintf(ns_a, sizeof(ns_a), "cxeng-test-%ld-a", (long)getpid());
	snprintf(ns_b, sizeof(ns_b), "cxeng-test-%ld-b", (long)getpid());
	ns_ok = 0;
	if (sh("ip netns add %s 2>/dev/null", ns_a) != 0)
		return;
	if (sh("ip netns add %s 2>/dev/null", ns_b) != 0)
		return;
	/*
	 * A: 10.254.7.1 (the examiner); B: 10.254.7.2 (the target), over a
	 * veth pair.  10.254.7.3 has a neighbour entry with a MAC nobody
	 * owns: its frames are dropped silently (no answer at all).
	 * 10.254.99.0/24 is unreachable: connects fail with EHOSTUNREACH
	 * at once, as with an ICMP unreachable.
	 */
	if (sh("ip -n %s link add va type veth peer name vb netns %s && "
	       "ip -n %s addr add 10.254.7.1/24 dev va && "
	       "ip -n %s addr add 10.254.7.2/24 dev vb && "
	       "ip -n %s link set lo up && ip -n %s link set lo up && "
	       "ip -n %s link set va up && ip -n %s link set vb up && "
	       "ip -n %s neigh add 10.254.7.3 lladdr 02:00:00:00:00:99 "
	       "dev va nud permanent && "
	       "ip -n %s route add unreachable 10.254.99.0/24",
	       ns_a, ns_b, ns_a, ns_b, ns_a, ns_b, ns_a, ns_b, ns_a, ns_a) != 0)
		return;
	/*
	 * Issue 12 (8): warm the neighbour.  A fresh veth peer still needs
	 * ARP, which ate into the 300 ms connect timeout (host_for(
	 * "10.254.7.2")->up == 0 once in seven runs).  Its MAC as a
	 * permanent entry: the test measures the engine, not ARP.
	 */
	if (sh("mac=$(ip -n %s -o link show vb | "
	       "sed -n 's/.*link\\/ether \\([0-9a-f:]*\\).*/\\1/p') && "
	       "[ -n \"$mac\" ] && "
	       "ip -n %s neigh replace 10.254.7.2 lladdr \"$mac\" dev va "
	       "nud permanent",
	       ns_b, ns_a) != 0)
		return;
	ns_ok = 1;
}

static void ns_teardown(void)
{
	sh("ip netns del %s 2>/dev/null", ns_a);
	sh("ip netns del %s 2>/dev/null", ns_b);
}

static int enter_ns(const char *name)
{
	char path[128];
	int fd, rc;

	snprintf(path, sizeof(path), "/var/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = setns(fd, CLONE_NEWNET);
	close(fd);
	return rc;
}

START_TEST(test_filtered_netns)
{
	int l;

	if (!ns_ok) {
		fprintf(stderr, "check_portscan: network namespaces "
		                "unavailable; filtered test skipped\n");
		return;
	}
	/* The listener lives in B; the scan runs in A (this process). */
	ck_assert_int_eq(enter_ns(ns_b), 0);
	l = listen_on("10.254.7.2", 80);
	ck_assert_int_ge(l, 0);
	ck_assert_int_eq(enter_ns(ns_a), 0);
	add_scope("10.254.7.2-3");
	add_scope("10.254.99.1");
	set_ports("22,80,443");
	opts.connect_timeout_ms = 300;
	opts.retries = 1;
	scan();
	ck_assert_uint_eq(run->n_hosts, 3);
	ck_assert_int_eq(host_for("10.254.7.2")->up, 1);
	ck_assert_ptr_nonnull(cx_run_find_port(run, "10.254.7.2", 80, "tcp"));
	ck_assert_int_eq(obs_num("10.254.7.2", "open"), 1);
	ck_assert_int_eq(obs_num("10.254.7.2", "closed"), 2);
	/* Silent: no answer after the retries. */
	ck_assert_int_eq(host_for("10.254.7.3")->up, 0);
	ck_assert_int_eq(obs_num("10.254.7.3", "filtered"), 3);
	ck_assert_int_eq(obs_num("10.254.7.3", "open"), 0);
	/* Unreachable. */
	ck_assert_int_eq(host_for("10.254.99.1")->up, 0);
	ck_assert_int_eq(obs_num("10.254.99.1", "filtered"), 3);
	ck_assert_uint_eq(run->n_ports, 1);
	/* A silent host is not loss: nothing was given up. */
	ck_assert_int_eq(run->degraded, 0);
	close(l);
}
END_TEST

static Suite *portscan_loss_suite(void)
{
	Suite *s = suite_create("portscan_loss");
	TCase *tc = tcase_create("loopback");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_dropped_port);
	tcase_add_test(tc, test_late_answer);
	tcase_add_test(tc, test_retrans_cap_degraded);
	suite_add_tcase(s, tc);

	tc = tcase_create("netns");
	tcase_add_unchecked_fixture(tc, ns_setup, ns_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_filtered_netns);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(portscan_loss_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
