/*
 * certexam — the event loop: epoll for fds, a binary min-heap for timers.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include "certexam/error.h"
#include "certexam/loop.h"
#include "certexam/util.h"

volatile sig_atomic_t cx_interrupted;

struct watch {
	cx_io_cb cb;
	void *arg;
	unsigned events;
	int active;
	uint32_t gen; /* registration generation, carried in the event */
};

struct cx_loop {
	int epfd;
	struct watch *watches; /* indexed by fd */
	size_t n_watches;      /* allocated entries */
	size_t nfds;           /* active */
	struct cx_timer **heap;
	size_t n_heap, cap_heap;
	uint64_t now;
	uint32_t gen;
	int stop;
};

int cx_loop_new(struct cx_loop **out)
{
	struct cx_loop *l;

	*out = NULL;
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return CX_ENOMEM;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		free(l);
		return CX_ESYS;
	}
	l->now = cx_now_ms();
	*out = l;
	return CX_OK;
}

void cx_loop_free(struct cx_loop *loop)
{
	size_t i;

	if (loop == NULL)
		return;
	for (i = 0; i < loop->n_heap; i++)
		loop->heap[i]->heap_idx = SIZE_MAX;
	close(loop->epfd);
	free(loop->watches);
	free(loop->heap);
	free(loop);
}

static uint32_t to_epoll(unsigned ev)
{
	uint32_t e = 0;

	if (ev & CX_EV_READ)
		e |= EPOLLIN | EPOLLRDHUP;
	if (ev & CX_EV_WRITE)
		e |= EPOLLOUT;
	return e;
}

int cx_loop_add(struct cx_loop *loop, int fd, unsigned events, cx_io_cb cb,
                void *arg)
{
	struct epoll_event ev;
	size_t need = (size_t)fd + 1, old = loop->n_watches;

	if (fd < 0 || cb == NULL)
		return CX_EINVAL;
	if (need > loop->n_watches) {
		if (cx_grow(&loop->watches, &loop->n_watches, need,
		            sizeof(*loop->watches)))
			return CX_ENOMEM;
		memset(loop->watches + old, 0,
		       (loop->n_watches - old) * sizeof(*loop->watches));
	}
	if (loop->watches[fd].active)
		return CX_EEXIST;
	/* The generation tells an event for this registration from a stale
	 * one for an earlier socket that had the same fd number and was
	 * closed by a callback earlier in the same batch. */
	if (++loop->gen == 0)
		loop->gen = 1;
	memset(&ev, 0, sizeof(ev));
	ev.events = to_epoll(events);
	ev.data.u64 = ((uint64_t)loop->gen << 32) | (uint32_t)fd;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) != 0)
		return CX_ESYS;
	loop->watches[fd].gen = loop->gen;
	loop->watches[fd].cb = cb;
	loop->watches[fd].arg = arg;
	loop->watches[fd].events = events;
	loop->watches[fd].active = 1;
	loop->nfds++;
	return CX_OK;
}

int cx_loop_mod(struct cx_loop *loop, int fd, unsigned events)
{
	struct epoll_event ev;

	if (fd < 0 || (size_t)fd >= loop->n_watches ||
	    !loop->watches[fd].active)
		return CX_EINVAL;
	if (loop->watches[fd].events == events)
		return CX_OK;
	memset(&ev, 0, sizeof(ev));
	ev.events = to_epoll(events);
	ev.data.u64 = ((uint64_t)loop->watches[fd].gen << 32) | (uint32_t)fd;
	if (epoll_ctl(loop->epfd, EPOLL_CTL_MOD, fd, &ev) != 0)
		return CX_ESYS;
	loop->watches[fd].events = events;
	return CX_OK;
}

void cx_loop_del(struct cx_loop *loop, int fd)
{
	if (fd < 0 || (size_t)fd >= loop->n_watches ||
	    !loop->watches[fd].active)
		return;
	epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
	loop->watches[fd].active = 0;
	loop->watches[fd].cb = NULL;
	loop->nfds--;
}

size_t cx_loop_nfds(const struct cx_loop *loop)
{
	return loop->nfds;
}

/* Timers: a binary min-heap ordered by due time. */

static void heap_swap(struct cx_loop *l, size_t a, size_t b)
{
	struct cx_timer *t = l->heap[a];

	l->heap[a] = l->heap[b];
	l->heap[b] = t;
	l->heap[a]->heap_idx = a;
	l->heap[b]->heap_idx = b;
}

static void heap_up(struct cx_loop *l, size_t i)
{
	while (i > 0 && l->heap[(i - 1) / 2]->due > l->heap[i]->due) {
		heap_swap(l, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(struct cx_loop *l, size_t i)
{
	size_t c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= l->n_heap)
			break;
		if (c + 1 < l->n_heap && l->heap[c + 1]->due < l->heap[c]->due)
			c++;
		if (l->heap[i]->due <= l->heap[c]->due)
			break;
		heap_swap(l, i, c);
		i = c;
	}
}

void cx_timer_init(struct cx_timer *t, cx_timer_cb cb, void *arg)
{
	memset(t, 0, sizeof(*t));
	t->heap_idx = SIZE_MAX;
	t->cb = cb;
	t->arg = arg;
}

int cx_timer_active(const struct cx_timer *t)
{
	return t->heap_idx != SIZE_MAX;
}

void cx_timer_stop(struct cx_loop *loop, struct cx_timer *t)
{
	size_t i = t->heap_idx;

	if (i == SIZE_MAX || i >= loop->n_heap || loop->heap[i] != t)
		return;
	loop->n_heap--;
	if (i != loop->n_heap) {
		loop->heap[i] = loop->heap[loop->n_heap];
		loop->heap[i]->heap_idx = i;
		heap_down(loop, i);
		heap_up(loop, i);
	}
	t->heap_idx = SIZE_MAX;
}

int cx_timer_start(struct cx_loop *loop, struct cx_timer *t, uint64_t ms)
{
	cx_timer_stop(loop, t);
	if (cx_grow(&loop->heap, &loop->cap_heap, loop->n_heap + 1,
	            sizeof(*loop->heap)))
		return CX_ENOMEM;
	t->due = loop->now + ms;
	t->heap_idx = loop->n_heap;
	loop->heap[loop->n_heap++] = t;
	heap_up(loop, t->heap_idx);
	return CX_OK;
}

uint64_t cx_loop_now(struct cx_loop *loop)
{
	return loop->now;
}

uint64_t cx_loop_update_time(struct cx_loop *loop)
{
	loop->now = cx_now_ms();
	return loop->now;
}

void cx_loop_stop(struct cx_loop *loop)
{
	loop->stop = 1;
}

static void run_timers(struct cx_loop *l)
{
	struct cx_timer *t;

	while (l->n_heap > 0 && l->heap[0]->due <= l->now) {
		t = l->heap[0];
		cx_timer_stop(l, t);
		t->cb(l, t);
		if (l->stop)
			return;
	}
}

int cx_loop_run(struct cx_loop *loop)
{
	struct epoll_event evs[256];
	int n, i, timeout, fd;
	unsigned got;
	struct watch *w;

	loop->stop = 0;
	cx_loop_update_time(loop);
	while (!loop->stop && (loop->nfds > 0 || loop->n_heap > 0)) {
		if (cx_interrupted)
			return CX_EINTR;
		timeout = -1;
		if (loop->n_heap > 0) {
			uint64_t due = loop->heap[0]->due;
			timeout = due <= loop->now
			              ? 0
			              : (due - loop->now > 1000
			                     ? 1000
			                     : (int)(due - loop->now));
		} else if (timeout < 0 || timeout > 250) {
			timeout = 250; /* to notice cx_interrupted */
		}
		n = epoll_wait(loop->epfd, evs, (int)CX_ARRAY_LEN(evs),
		               timeout);
		if (n < 0 && errno != EINTR)
			return CX_ESYS;
		cx_loop_update_time(loop);
		for (i = 0; i < n && !loop->stop; i++) {
			fd = (int)(uint32_t)(evs[i].data.u64 & 0xffffffffu);
			if ((size_t)fd >= loop->n_watches)
				continue;
			w = &loop->watches[fd];
			if (!w->active ||
			    w->gen != (uint32_t)(evs[i].data.u64 >> 32))
				continue;
			got = 0;
			if (evs[i].events & (EPOLLIN | EPOLLRDHUP))
				got |= CX_EV_READ;
			if (evs[i].events & EPOLLOUT)
				got |= CX_EV_WRITE;
			if (evs[i].events & (EPOLLERR | EPOLLHUP))
				got |= CX_EV_ERROR;
			w->cb(loop, fd, got, w->arg);
		}
		if (!loop->stop)
			run_timers(loop);
	}
	return cx_interrupted ? CX_EINTR : CX_OK;
}

long cx_raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 1024;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (rl.rlim_cur > 1048576)
			rl.rlim_cur = 1048576;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			getrlimit(RLIMIT_NOFILE, &rl);
	}
	return (long)rl.rlim_cur;
}
