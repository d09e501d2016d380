/* Unit tests: the event loop (timers in order, cancel, fd readiness). */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certexam/error.h"
#include "certexam/loop.h"
#include "certexam/util.h"

static int order[8], n_order;

static void on_timer(struct cx_loop *loop, struct cx_timer *t)
{
	(void)loop;
	order[n_order++] = (int)(long)t->arg;
}

START_TEST(test_timers_order_and_stop)
{
	struct cx_loop *loop;
	struct cx_timer t[4];
	uint64_t start;

	ck_assert_int_eq(cx_loop_new(&loop), 0);
	n_order = 0;
	cx_timer_init(&t[0], on_timer, (void *)30L);
	cx_timer_init(&t[1], on_timer, (void *)10L);
	cx_timer_init(&t[2], on_timer, (void *)20L);
	cx_timer_init(&t[3], on_timer, (void *)99L);
	cx_timer_start(loop, &t[0], 30);
	cx_timer_start(loop, &t[1], 10);
	cx_timer_start(loop, &t[2], 20);
	cx_timer_start(loop, &t[3], 15);
	cx_timer_stop(loop, &t[3]);
	ck_assert(!cx_timer_active(&t[3]));
	start = cx_now_ms();
	ck_assert_int_eq(cx_loop_run(loop), 0);
	ck_assert_int_eq(n_order, 3);
	ck_assert_int_eq(order[0], 10);
	ck_assert_int_eq(order[1], 20);
	ck_assert_int_eq(order[2], 30);
	ck_assert_uint_ge(cx_now_ms() - start, 29);
	cx_loop_free(loop);
}
END_TEST

static int got_read;

static void on_read(struct cx_loop *loop, int fd, unsigned ev, void *arg)
{
	char c;

	(void)arg;
	if (ev & CX_EV_READ) {
		ck_assert_int_eq(read(fd, &c, 1), 1);
		got_read = c;
	}
	cx_loop_del(loop, fd);
}

START_TEST(test_fd_ready)
{
	struct cx_loop *loop;
	int p[2];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(cx_loop_new(&loop), 0);
	ck_assert_int_eq(cx_loop_add(loop, p[0], CX_EV_READ, on_read, NULL), 0);
	ck_assert_int_eq(cx_loop_add(loop, p[0], CX_EV_READ, on_read, NULL),
	                 CX_EEXIST);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	ck_assert_int_eq(cx_loop_run(loop), 0);
	ck_assert_int_eq(got_read, 'x');
	ck_assert_uint_eq(cx_loop_nfds(loop), 0);
	cx_loop_free(loop);
	close(p[0]);
	close(p[1]);
}
END_TEST

/* A callback closes another socket whose event is pending in the same
 * batch and a new one takes its fd number: the stale event must not reach
 * the new registration. */
static int rfd[2], newfd = -1, newwr = -1, new_called, first_done;

static void on_new(struct cx_loop *loop, int fd, unsigned ev, void *arg)
{
	(void)loop;
	(void)fd;
	(void)ev;
	(void)arg;
	new_called++;
}

static struct cx_timer unreg;

static void on_unreg(struct cx_loop *loop, struct cx_timer *t)
{
	(void)t;
	cx_loop_del(loop, newfd);
}

static void on_pair(struct cx_loop *loop, int fd, unsigned ev, void *arg)
{
	int other = rfd[0] == fd ? rfd[1] : rfd[0], p[2];

	(void)ev;
	(void)arg;
	cx_loop_del(loop, fd);
	if (first_done++)
		return;
	cx_loop_del(loop, other);
	close(other);
	ck_assert_int_eq(pipe(p), 0); /* reuses the lowest free fd: other */
	ck_assert_int_eq(p[0], other);
	newfd = p[0];
	newwr = p[1]; /* kept open: no EOF, no data, so no real event */
	/* Registered for nothing: only a stale event could call on_new. */
	ck_assert_int_eq(cx_loop_add(loop, newfd, 0, on_new, NULL), 0);
	cx_timer_init(&unreg, on_unreg, NULL);
	cx_timer_start(loop, &unreg, 20);
}

START_TEST(test_stale_event)
{
	struct cx_loop *loop;
	int a[2], b[2];

	ck_assert_int_eq(cx_loop_new(&loop), 0);
	ck_assert_int_eq(pipe(a), 0);
	ck_assert_int_eq(pipe(b), 0);
	rfd[0] = a[0];
	rfd[1] = b[0];
	ck_assert_int_eq(write(a[1], "x", 1), 1);
	ck_assert_int_eq(write(b[1], "y", 1), 1);
	ck_assert_int_eq(cx_loop_add(loop, a[0], CX_EV_READ, on_pair, NULL), 0);
	ck_assert_int_eq(cx_loop_add(loop, b[0], CX_EV_READ, on_pair, NULL), 0);
	ck_assert_int_eq(cx_loop_run(loop), 0);
	ck_assert_int_eq(new_called, 0);
	cx_loop_free(loop);
	close(a[0] == newfd ? b[0] : a[0]);
	close(newfd);
	close(newwr);
	close(a[1]);
	close(b[1]);
}
END_TEST

START_TEST(test_interrupt)
{
	struct cx_loop *loop;
	struct cx_timer t;

	ck_assert_int_eq(cx_loop_new(&loop), 0);
	cx_timer_init(&t, on_timer, (void *)1L);
	cx_timer_start(loop, &t, 10000);
	cx_interrupted = 1;
	ck_assert_int_eq(cx_loop_run(loop), CX_EINTR);
	cx_interrupted = 0;
	cx_timer_stop(loop, &t);
	cx_loop_free(loop);
}
END_TEST

START_TEST(test_fd_limit)
{
	ck_assert_int_ge(cx_raise_fd_limit(), 256);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("loop");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_timers_order_and_stop);
	tcase_add_test(tc, test_fd_ready);
	tcase_add_test(tc, test_stale_event);
	tcase_add_test(tc, test_interrupt);
	tcase_add_test(tc, test_fd_limit);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
