/*
 * certexam — the SYN scan's batched sending, shared with one helper
 * thread on a machine with more than one CPU (see syn_send.h).
 *
 * Hand-off: the scanning thread fills the batch, wakes the helper (gen++
 * under the mutex), and both claim runs of SYN_SEND_CHUNK slots from an
 * atomic index until none is left (each run goes to the kernel in one
 * sendmmsg() per socket: one system call per 32 probes, not per probe), so a
 * helper that the machine's load keeps off its CPU costs nothing but the slot
 * it is sending (fixed halves made the scanning thread wait for it).  Then the
 * index is closed and the scanning thread waits only for a slot the helper is
 * still sending (a flag per slot, set after its send). The first full send
 * buffer (EAGAIN/ENOBUFS) stops both; the slots not claimed stay SYN_NOT_TRIED
 * and the caller sends them again later. Small batches are sent by the caller
 * alone.
 */
#define _GNU_SOURCE 1 /* sendmmsg */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "certexam/error.h"
#include "raw.h"
#include "scan_int.h"
#include "syn_send.h"

#define SYN_SHARE_MIN  256 /* probes below which the caller sends alone */
#define SYN_SEND_CHUNK 32  /* slots claimed, and sent by sendmmsg, at once */

#define CLOSED (SIZE_MAX / 2) /* no batch: a claim gets nothing */

/*
 * Send slots [i, end), all to fd, with as few sendmmsg() calls as the
 * errors allow: a message the kernel refuses ends a call (the ones before
 * it went), the next call reports its error.  0, or 1 when the send
 * buffer was full (that slot and the rest stay SYN_NOT_TRIED).
 */
static int send_run(struct syn_sender *q, int fd, size_t i, size_t end)
{
	struct mmsghdr mm[SYN_SEND_CHUNK];
	struct iovec iov[SYN_SEND_CHUNK];
	struct syn_probe *p;
	size_t k, n = end - i;
	uint64_t t;
	int r, e;

	for (k = 0; k < n; k++) {
		p = &q->p[i + k];
		iov[k].iov_base = p->pkt;
		iov[k].iov_len = p->len;
		memset(&mm[k], 0, sizeof(mm[k]));
		mm[k].msg_hdr.msg_name = &p->to.sa;
		mm[k].msg_hdr.msg_namelen = p->sl;
		mm[k].msg_hdr.msg_iov = &iov[k];
		mm[k].msg_hdr.msg_iovlen = 1;
	}
	k = 0;
	while (k < n) {
		r = sendmmsg(fd, &mm[k], (unsigned)(n - k), MSG_DONTWAIT);
		if (r > 0) {
			t = cx_now_us();
			for (; r > 0; r--, k++) {
				q->p[i + k].err = 0;
				if (q->p[i + k].sample)
					q->p[i + k].sent_us = t;
			}
			continue;
		}
		e = r < 0 ? errno : EAGAIN;
		q->p[i + k].err = e;
		if (e == EAGAIN || e == ENOBUFS)
			return 1; /* the rest waits */
		k++; /* this probe failed (e.g. no route): the next ones go */
	}
	return 0;
}

/*
 * Claim runs of up to SYN_SEND_CHUNK slots and send them until the batch
 * or the send buffer is used up.
 */
static void send_some(struct syn_sender *q, int fd4, int fd6)
{
	size_t i, end, n, j, k;
	int fd, fdk, full;

	while (!atomic_load(&q->full)) {
		/* The claim first: n_shared is the claimed batch's then. */
		i = atomic_fetch_add(&q->next, SYN_SEND_CHUNK);
		n = atomic_load(&q->n_shared);
		if (i >= n)
			return;
		end = i + SYN_SEND_CHUNK < n ? i + SYN_SEND_CHUNK : n;
		full = 0;
		/* Consecutive slots to the same socket go in one call. */
		for (j = i; j < end && !full; j = k) {
			fd = q->p[j].to.sa.sa_family == AF_INET ? fd4 : fd6;
			fd = fd >= 0 ? fd : q->p[j].fd;
			for (k = j + 1; k < end; k++) {
				fdk = q->p[k].to.sa.sa_family == AF_INET ? fd4
				                                         : fd6;
				if ((fdk >= 0 ? fdk : q->p[k].fd) != fd)
					break;
			}
			full = send_run(q, fd, j, k);
		}
		if (full)
			atomic_store(&q->full, 1);
		for (j = i; j < end; j++)
			atomic_store_explicit(&q->done[j], 1,
			                      memory_order_release);
	}
}

static void *helper(void *arg)
{
	struct syn_sender *q = arg;
	unsigned seen = 0;
	sigset_t all;

	/* Signals (an interrupt) are the scanning thread's. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	for (;;) {
		pthread_mutex_lock(&q->mu);
		while (q->gen == seen && !q->quit)
			pthread_cond_wait(&q->cv, &q->mu);
		seen = q->gen;
		if (q->quit) {
			pthread_mutex_unlock(&q->mu);
			return NULL;
		}
		pthread_mutex_unlock(&q->mu);
		send_some(q, q->own4, q->own6);
	}
}

int syn_sender_init(struct syn_sender *q, size_t cap)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	const char *v = getenv("CX_SYN_SEND_THREAD");
	int no_thread = v != NULL && strcmp(v, "0") == 0;

	memset(q, 0, sizeof(*q));
	q->own4 = q->own6 = -1;
	atomic_init(&q->next, CLOSED);
	atomic_init(&q->n_shared, 0);
	atomic_init(&q->full, 0);
	q->p = calloc(cap, sizeof(*q->p));
	q->done = calloc(cap, sizeof(*q->done));
	if (q->p == NULL || q->done == NULL) {
		free(q->p);
		free(q->done);
		q->p = NULL;
		q->done = NULL;
		return CX_ENOMEM;
	}
	q->cap = cap;
	if (no_thread || cpus < 2)
		return CX_OK;
	if (pthread_mutex_init(&q->mu, NULL) != 0)
		return CX_OK;
	if (pthread_cond_init(&q->cv, NULL) != 0) {
		pthread_mutex_destroy(&q->mu);
		return CX_OK;
	}
	/* Sockets of its own: no send buffer shared with the caller's. */
	q->own4 = cx_raw_socket(AF_INET, IPPROTO_RAW);
	q->own6 = cx_raw_socket(AF_INET6, IPPROTO_TCP);
	if (pthread_create(&q->th, NULL, helper, q) != 0) {
		pthread_cond_destroy(&q->cv);
		pthread_mutex_destroy(&q->mu);
		return CX_OK;
	}
	q->threaded = 1;
	return CX_OK;
}

struct syn_probe *syn_sender_slot(struct syn_sender *q)
{
	struct syn_probe *p;

	if (q->n >= q->cap)
		return NULL;
	p = &q->p[q->n++];
	p->canary = p->sample = 0;
	p->err = SYN_NOT_TRIED;
	p->sent_us = 0;
	return p;
}

void syn_sender_flush(struct syn_sender *q)
{
	size_t i, claimed;

	if (q->n == 0)
		return;
	for (i = 0; i < q->n; i++)
		atomic_store_explicit(&q->done[i], 0, memory_order_relaxed);
	atomic_store(&q->n_shared, q->n);
	atomic_store(&q->full, 0);
	atomic_store(&q->next, 0);
	if (q->threaded && q->n >= SYN_SHARE_MIN) {
		pthread_mutex_lock(&q->mu);
		q->gen++;
		pthread_cond_signal(&q->cv);
		pthread_mutex_unlock(&q->mu);
	}
	send_some(q, -1, -1);
	/*
	 * Close the batch: slots from the index on were never claimed (not
	 * tried); wait only for a claimed one the helper is still sending.
	 */
	claimed = atomic_exchange(&q->next, CLOSED);
	if (claimed > q->n)
		claimed = q->n;
	for (i = 0; i < claimed; i++)
		while (!atomic_load_explicit(&q->done[i], memory_order_acquire))
			sched_yield();
}

void syn_sender_free(struct syn_sender *q)
{
	if (q->threaded) {
		pthread_mutex_lock(&q->mu);
		q->quit = 1;
		pthread_cond_broadcast(&q->cv);
		pthread_mutex_unlock(&q->mu);
		pthread_join(q->th, NULL);
		pthread_cond_destroy(&q->cv);
		pthread_mutex_destroy(&q->mu);
		q->threaded = 0;
	}
	if (q->own4 >= 0)
		close(q->own4);
	if (q->own6 >= 0)
		close(q->own6);
	q->own4 = q->own6 = -1;
	free(q->p);
	free(q->done);
	q->p = NULL;
	q->done = NULL;
	q->n = q->cap = 0;
}
