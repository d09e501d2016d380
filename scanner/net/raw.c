/*
 * certexam — raw sockets, the packet capture, held source ports and the
 * local address toward a target, for the SYN scan and host discovery.
 */
#include <errno.h>
#include <linux/filter.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "certexam/error.h"
#include "portscan.h"
#include "raw.h"

int cx_raw_random(void *buf, size_t n)
{
	ssize_t got = getrandom(buf, n, 0);

	return got == (ssize_t)n ? 0 : -1;
}

void cx_raw_sockaddr(const struct cx_addr *a, uint16_t port,
                     struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (void *)ss;
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, a->b, 4);
		*len = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (void *)ss;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, a->b, 16);
		*len = sizeof(*sin6);
	}
}

int cx_raw_local_for(const struct cx_addr *a, struct cx_addr *out)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, rc = 0;

	cx_raw_sockaddr(a, 9, &ss, &len);
	fd = socket(a->family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	if (connect(fd, (struct sockaddr *)&ss, len) != 0) {
		rc = errno;
		close(fd);
		return rc ? rc : EINVAL;
	}
	len = sizeof(ss);
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		rc = errno;
	close(fd);
	if (rc)
		return rc;
	memset(out, 0, sizeof(*out));
	out->family = a->family;
	if (a->family == AF_INET)
		memcpy(out->b, &((struct sockaddr_in *)(void *)&ss)->sin_addr,
		       4);
	else
		memcpy(out->b, &((struct sockaddr_in6 *)(void *)&ss)->sin6_addr,
		       16);
	return 0;
}

int cx_raw_socket(int family, int proto)
{
	/* A classic BPF program of one instruction: keep nothing. */
	static struct sock_filter drop[] = {{0x06, 0, 0, 0}}; /* ret #0 */
	struct sock_fprog prog = {1, drop};
	int fd, sz = 4 * 1024 * 1024;

	fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (fd < 0)
		return -1;
	if (proto != IPPROTO_RAW)
		setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
		           sizeof(prog));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	return fd;
}

/*
 * Create and activate a capture on "any", inbound, non-blocking, whose
 * kernel filter keeps nothing until a filter is set: 0, or -1 with the
 * reason in err (PCAP_ERRBUF_SIZE); *pcp is set either way (or NULL).
 */
static int capture_open(int bufsize, pcap_t **pcp, char *err)
{
	/* A classic BPF program of one instruction: keep nothing. */
	static struct sock_filter drop[] = {{0x06, 0, 0, 0}}; /* ret #0 */
	struct sock_fprog prog = {1, drop};
	pcap_t *pc;
	int rc;

	err[0] = '\0';
	*pcp = pc = pcap_create("any", err);
	if (pc == NULL)
		return -1;
	pcap_set_snaplen(pc, 512);
	pcap_set_promisc(pc, 0);
	/*
	 * Not immediate mode: libpcap then uses a TPACKET_V3 ring (blocks
	 * handed over when full or after 1 ms), cheaper per packet in the
	 * kernel than immediate mode's TPACKET_V2 frames (measured: -5 % of
	 * a full-range SYN scan); an answer waits at most 1 ms.
	 */
	pcap_set_immediate_mode(pc, 0);
	pcap_set_timeout(pc, 1);
	pcap_set_buffer_size(pc, bufsize);
	rc = pcap_activate(pc);
	if (rc < 0 || pcap_setdirection(pc, PCAP_D_IN) != 0) {
		snprintf(err, PCAP_ERRBUF_SIZE, "%s", pcap_geterr(pc));
		return -1;
	}
	if (pcap_setnonblock(pc, 1, err) != 0)
		return -1;
	/* Until the caller's filter: no packet is copied into the ring. */
	if (setsockopt(pcap_fileno(pc), SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	               sizeof(prog)) != 0) {
		snprintf(err, PCAP_ERRBUF_SIZE, "filter: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * The capture opened ahead (cx_raw_capture_ahead) by a thread, or handed
 * back (cx_raw_capture_keep), taken by the next cx_raw_capture; main
 * thread only (the thread writes pc, rc and err before it ends, read
 * after the join).  kept: a capture handed back, of kept_size bytes.
 */
static struct {
	pthread_t th;
	int started, bufsize, rc, kept_size;
	pcap_t *pc, *kept;
	char err[PCAP_ERRBUF_SIZE];
} ahead;

static void *ahead_thread(void *arg)
{
	sigset_t all;

	(void)arg;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	ahead.rc = capture_open(ahead.bufsize, &ahead.pc, ahead.err);
	return NULL;
}

void cx_raw_capture_ahead(int bufsize)
{
	if (ahead.started || ahead.kept != NULL)
		return;
	ahead.bufsize = bufsize;
	ahead.pc = NULL;
	ahead.rc = -1;
	if (pthread_create(&ahead.th, NULL, ahead_thread, NULL) == 0)
		ahead.started = 1;
}

/*
 * The capture opened ahead if it was for bufsize bytes (0: any), or NULL
 * (one for another size stays for its own caller).
 */
static pcap_t *ahead_take(int bufsize)
{
	pcap_t *pc;

	if (ahead.kept != NULL &&
	    (bufsize == 0 || bufsize == ahead.kept_size)) {
		pc = ahead.kept;
		ahead.kept = NULL;
		return pc;
	}
	if (!ahead.started || (bufsize != 0 && bufsize != ahead.bufsize))
		return NULL;
	pthread_join(ahead.th, NULL);
	ahead.started = 0;
	pc = ahead.pc;
	ahead.pc = NULL;
	if (pc != NULL && ahead.rc != 0) {
		cx_raw_close_later(pc, -1);
		pc = NULL;
	}
	return pc;
}

void cx_raw_capture_keep(pcap_t *pc, int bufsize)
{
	static struct sock_filter drop[] = {{0x06, 0, 0, 0}}; /* ret #0 */
	struct sock_fprog prog = {1, drop};

	if (pc == NULL)
		return;
	/* one waiting is enough; from now on it copies nothing */
	if (ahead.started || ahead.kept != NULL ||
	    setsockopt(pcap_fileno(pc), SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	               sizeof(prog)) != 0) {
		cx_raw_close_later(pc, -1);
		return;
	}
	ahead.kept = pc;
	ahead.kept_size = bufsize;
}

void cx_raw_capture_discard(void)
{
	cx_raw_close_later(ahead_take(0), -1);
}

int cx_raw_capture(const char *filter, int bufsize, pcap_t **pcp, int *dlt,
                   int *fd, char *why, size_t whysz)
{
	char err[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	pcap_t *pc;
	int rc;

	*pcp = pc = ahead_take(bufsize);
	if (pc == NULL) {
		rc = capture_open(bufsize, pcp, err);
		pc = *pcp;
		if (rc != 0) {
			snprintf(why, whysz, "libpcap: %s", err);
			return CX_ESYS;
		}
	}
	if (pcap_compile(pc, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(why, whysz, "libpcap filter: %s", pcap_geterr(pc));
		return CX_ESYS;
	}
	rc = pcap_setfilter(pc, &prog);
	pcap_freecode(&prog);
	if (rc != 0) {
		snprintf(why, whysz, "libpcap filter: %s", pcap_geterr(pc));
		return CX_ESYS;
	}
	*dlt = pcap_datalink(pc);
	*fd = pcap_get_selectable_fd(pc);
	if (*fd < 0) {
		snprintf(why, whysz, "libpcap: no selectable descriptor");
		return CX_ESYS;
	}
	return CX_OK;
}

void cx_raw_release_ports(unsigned n, int *fds)
{
	unsigned k;

	for (k = 0; k < 2 * n; k++) {
		if (fds[k] >= 0)
			close(fds[k]);
		fds[k] = -1;
	}
}

int cx_raw_hold_ports(unsigned n, uint16_t *base, int *fds)
{
	struct sockaddr_storage ss;
	struct cx_addr any;
	socklen_t sl;
	uint8_t r[2];
	unsigned attempt, k;
	int fd, fam, ok, on = 1;

	if (n == 0 || n > 16)
		return CX_EINVAL;
	for (k = 0; k < 2 * n; k++)
		fds[k] = -1;
	for (attempt = 0; attempt < 32; attempt++) {
		if (cx_raw_random(r, sizeof(r)) != 0)
			return CX_ESYS;
		*base =
		    (uint16_t)(40000 + (((unsigned)r[0] << 8 | r[1]) % 20000));
		ok = 1;
		for (k = 0; k < 2 * n && ok; k++) {
			fam = k < n ? AF_INET : AF_INET6;
			memset(&any, 0, sizeof(any));
			any.family = fam;
			cx_raw_sockaddr(&any, (uint16_t)(*base + k % n), &ss,
			                &sl);
			fd = socket(fam, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (fd < 0) {
				ok = fam == AF_INET6; /* no IPv6 here */
				continue;
			}
			if (fam == AF_INET6)
				setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on,
				           sizeof(on));
			if (bind(fd, (struct sockaddr *)&ss, sl) != 0 &&
			    !(fam == AF_INET6 && errno == EADDRNOTAVAIL)) {
				close(fd);
				ok = 0;
				break;
			}
			fds[k] = fd;
		}
		if (ok)
			return CX_OK;
		cx_raw_release_ports(n, fds);
	}
	return CX_ESYS;
}

/*
 * Raw sockets work here (portscan.h).  The capture needs the same
 * capability (CAP_NET_RAW) and is not opened to find out: closing a
 * packet socket waits for an RCU grace period (tens of milliseconds).  If
 * it still fails, the SYN scan returns CX_ESYS before sending anything
 * and the connect scan runs.
 */
int cx_synscan_available(char *why, size_t whysz)
{
	int fd;

	fd = cx_raw_socket(AF_INET, IPPROTO_RAW);
	if (fd < 0) {
		snprintf(why, whysz, "socket(AF_INET, SOCK_RAW): %s",
		         strerror(errno));
		return 0;
	}
	close(fd);
	if (whysz > 0)
		why[0] = '\0';
	return 1;
}

/* What the closing thread closes. */
struct closing {
	pcap_t *pc;
	int fd;
};

static void *close_thread(void *arg)
{
	struct closing *c = arg;

	if (c->pc != NULL)
		pcap_close(c->pc);
	if (c->fd >= 0)
		close(c->fd);
	free(c);
	return NULL;
}

/* Threads still closing (joined by cx_raw_close_wait); main thread only. */
static pthread_t closing_threads[8];
static size_t n_closing;

void cx_raw_close_later(pcap_t *pc, int fd)
{
	struct closing *c;

	if (pc == NULL && fd < 0)
		return;
	c = malloc(sizeof(*c));
	if (c != NULL &&
	    n_closing < sizeof(closing_threads) / sizeof(closing_threads[0])) {
		c->pc = pc;
		c->fd = fd;
		if (pthread_create(&closing_threads[n_closing], NULL,
		                   close_thread, c) == 0) {
			n_closing++;
			return;
		}
	}
	free(c);
	if (pc != NULL)
		pcap_close(pc);
	if (fd >= 0)
		close(fd);
}

void cx_raw_close_wait(void)
{
	pcap_t *pc = ahead_take(0);

	if (pc != NULL)
		pcap_close(pc);
	while (n_closing > 0)
		pthread_join(closing_threads[--n_closing], NULL);
}
