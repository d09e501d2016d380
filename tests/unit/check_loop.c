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
	tcase_add_test(tc, test_interrupt);
	tcase_add_test(tc, test_fd_limit);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
