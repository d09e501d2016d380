/*
 * certexam — the SYN scan's sending: a batch of built probes handed to
 * sendto() by the scanning thread and, on a machine with more than one
 * CPU, one helper thread that takes half of the batch (engine-internal).
 *
 * Why a thread: on the way to a target the kernel carries each packet
 * inside the send call (on a veth or loopback path: the whole path, the
 * target's answer and its capture, in softirq on the sending CPU), so one
 * thread is bound by one CPU.  The helper only calls sendto() on slots
 * the scanning thread built and reads back the results after the batch;
 * every scan state stays with the scanning thread.
 */
#ifndef CX_SYN_SEND_H
#define CX_SYN_SEND_H

#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* A probe not tried because the send buffer was full before it. */
#define SYN_NOT_TRIED (-1)

struct syn_probe {
	void *host;     /* the caller's host */
	uint32_t idx;   /* the caller's port index */
	uint16_t lport; /* source port (try number) */
	uint8_t canary, sample;
	int fd;
	int err;          /* 0 sent, an errno, or SYN_NOT_TRIED */
	uint64_t sent_us; /* monotonic time after the send (sample only) */
	socklen_t sl;
	union {
		struct sockaddr sa;
		struct sockaddr_in in4;
		struct sockaddr_in6 in6;
	} to;
	uint16_t len;
	uint8_t pkt[64];
};

struct syn_sender {
	struct syn_probe *p;
	size_t n, cap;
	int threaded; /* a helper thread runs */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned gen;           /* batches handed out (under mu) */
	atomic_size_t n_shared; /* slots of the batch being sent */
	atomic_size_t next;     /* the next slot to claim */
	atomic_uchar *done;     /* per slot: tried (set by its sender) */
	atomic_int full;        /* a send found the buffer full */
	int quit;
	int own4, own6; /* the helper's raw sockets (-1: the slot's fd) */
};

/*
 * cap slots, and one helper thread when more than one CPU is online and
 * the environment has no CX_SYN_SEND_THREAD=0 (for measurements: every
 * probe sent by the caller).  0 or CX_ENOMEM (a helper that cannot be
 * started is no error: the caller sends everything).
 */
int syn_sender_init(struct syn_sender *q, size_t cap);

/* The next free slot, or NULL when the batch is full. */
struct syn_probe *syn_sender_slot(struct syn_sender *q);

/*
 * Send the batch (p[0..n)); every slot's err says what became of it.
 * Returns when all were tried.  The caller reads the results, then sets
 * n = 0.
 */
void syn_sender_flush(struct syn_sender *q);

void syn_sender_free(struct syn_sender *q);

#endif
