/*
 * certexam — the event loop: epoll for sockets, a binary heap of timers.
 *
 * One loop drives every probe.  Callers own their struct cx_timer storage
 * (libuv style); the loop only links it into its heap.  Callbacks may add,
 * modify and delete fds and timers, including their own.
 */
#ifndef CERTEXAM_LOOP_H
#define CERTEXAM_LOOP_H

#include <stddef.h>
#include <stdint.h>
#include <signal.h>

#define CX_EV_READ  0x1u
#define CX_EV_WRITE 0x2u
#define CX_EV_ERROR 0x4u /* reported only: EPOLLERR / EPOLLHUP */

struct cx_loop;

typedef void (*cx_io_cb)(struct cx_loop *loop, int fd, unsigned events,
                         void *arg);
struct cx_timer;
typedef void (*cx_timer_cb)(struct cx_loop *loop, struct cx_timer *t);

struct cx_timer {
	uint64_t due;    /* absolute ms of cx_loop_now() */
	size_t heap_idx; /* position in the heap; SIZE_MAX when stopped */
	cx_timer_cb cb;
	void *arg; /* for the caller */
};

/*
 * Set by the SIGINT/SIGTERM handler that main.c installs; cx_loop_run()
 * returns CX_EINTR soon after it becomes non-zero.
 */
extern volatile sig_atomic_t cx_interrupted;

int cx_loop_new(struct cx_loop **out);
/* Free the loop.  Registered fds are not closed.  NULL accepted. */
void cx_loop_free(struct cx_loop *loop);

/* Watch fd for events (CX_EV_READ|CX_EV_WRITE).  One callback per fd. */
int cx_loop_add(struct cx_loop *loop, int fd, unsigned events, cx_io_cb cb,
                void *arg);
int cx_loop_mod(struct cx_loop *loop, int fd, unsigned events);
/* Stop watching fd (call before close()).  Unknown fds are ignored. */
void cx_loop_del(struct cx_loop *loop, int fd);

/* Initialise a timer (once, before first use). */
void cx_timer_init(struct cx_timer *t, cx_timer_cb cb, void *arg);
/* (Re)start a timer to fire once after ms milliseconds. */
int cx_timer_start(struct cx_loop *loop, struct cx_timer *t, uint64_t ms);
/* Stop a timer; stopping a stopped timer is a no-op. */
void cx_timer_stop(struct cx_loop *loop, struct cx_timer *t);
int cx_timer_active(const struct cx_timer *t);

/* Milliseconds of the monotonic clock, cached per iteration. */
uint64_t cx_loop_now(struct cx_loop *loop);
/* Refresh the cached clock and return it. */
uint64_t cx_loop_update_time(struct cx_loop *loop);

/*
 * Run until no fd is watched and no timer is active, or cx_loop_stop() is
 * called (returns 0), or cx_interrupted is set (returns CX_EINTR).
 */
int cx_loop_run(struct cx_loop *loop);
/* Make cx_loop_run() return after the current iteration. */
void cx_loop_stop(struct cx_loop *loop);
/* Number of fds watched. */
size_t cx_loop_nfds(const struct cx_loop *loop);

/*
 * Raise RLIMIT_NOFILE's soft limit as far as the hard limit allows; returns
 * the new soft limit.
 */
long cx_raise_fd_limit(void);

#endif
