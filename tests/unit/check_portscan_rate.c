/*
 * Unit tests: the SYN scan's adaptive rate (scanner/net/syn_rate.c): the
 * length of an epoch follows the path's RTT, a short path ramps up in a
 * few milliseconds, a long one (or one whose RTT is not known yet) as
 * slowly as before, canary loss shrinks the rate and random loss of a
 * few per cent does not.  No network: the clock is the test's.
 */
#include <check.h>
#include <stdint.h>

#include "syn_rate.h"

#define START 50000.0

/*
 * One epoch of probes at the full rate, the sender held by the rate:
 * sent = rate * ms / 1000, canaries = one in 32 of them, answered
 * answered_pct per cent; then the epoch is closed at *now + ms.
 */
static void epoch_at_rate(struct syn_rate *r, uint64_t *now, uint64_t ms,
                          uint64_t srtt_ms, unsigned answered_pct)
{
	r->sent = (uint64_t)(r->rate * (double)ms / 1000.0);
	r->can_sent = r->sent / 32;
	r->can_ans = r->can_sent * answered_pct / 100;
	r->answers = r->sent;
	r->limited = 1;
	*now += ms;
	syn_rate_epoch(r, *now, srtt_ms);
}

START_TEST(test_epoch_follows_rtt)
{
	struct syn_rate r;
	uint64_t now = 1000;

	syn_rate_init(&r, START, 0, now);
	/* No RTT yet: an epoch lasts 25 ms, nothing changes before. */
	r.sent = 1000;
	r.limited = 1;
	syn_rate_epoch(&r, now + 5, SYN_RATE_NO_RTT);
	ck_assert_uint_eq(r.epoch_start, now);
	ck_assert_double_eq(r.rate, START);
	syn_rate_epoch(&r, now + 24, SYN_RATE_NO_RTT);
	ck_assert_uint_eq(r.epoch_start, now);
	syn_rate_epoch(&r, now + 25, SYN_RATE_NO_RTT);
	ck_assert_uint_eq(r.epoch_start, now + 25);
	ck_assert_uint_eq(r.epoch_ms, 25);
	ck_assert_double_eq(r.rate, 2 * START);

	/* A path of 1 ms: 2 ms epochs (the shortest). */
	now += 25;
	syn_rate_epoch(&r, now + 1, 1);
	ck_assert_uint_eq(r.epoch_start, now);
	syn_rate_epoch(&r, now + 2, 1);
	ck_assert_uint_eq(r.epoch_start, now + 2);
	ck_assert_uint_eq(r.epoch_ms, 2);
	/* 4 ms: 4 ms epochs. */
	now += 2;
	syn_rate_epoch(&r, now + 3, 4);
	ck_assert_uint_eq(r.epoch_start, now);
	syn_rate_epoch(&r, now + 4, 4);
	ck_assert_uint_eq(r.epoch_ms, 4);

	/* 12 ms: 12 ms epochs; 80 ms: 25 ms. */
	now += 4;
	syn_rate_epoch(&r, now + 11, 12);
	ck_assert_uint_eq(r.epoch_start, now);
	syn_rate_epoch(&r, now + 12, 12);
	ck_assert_uint_eq(r.epoch_ms, 12);
	now += 12;
	syn_rate_epoch(&r, now + 24, 80);
	ck_assert_uint_eq(r.epoch_start, now);
	syn_rate_epoch(&r, now + 25, 80);
	ck_assert_uint_eq(r.epoch_ms, 25);
}
END_TEST

START_TEST(test_short_path_ramps_fast)
{
	struct syn_rate r;
	uint64_t now = 1000;
	int k;

	syn_rate_init(&r, START, 0, now);
	/* The first epoch: no RTT known (25 ms), then a 1 ms path. */
	epoch_at_rate(&r, &now, 25, SYN_RATE_NO_RTT, 100);
	ck_assert_double_eq(r.rate, 2 * START);
	for (k = 0; k < 3; k++)
		epoch_at_rate(&r, &now, 5, 1, 100);
	/* 16 x the start 40 ms after it (it took 100 ms with 25 ms epochs). */
	ck_assert_double_eq(r.rate, 16 * START);
	ck_assert_uint_eq(now, 1040);
	ck_assert_double_eq(r.peak, r.rate);
}
END_TEST

START_TEST(test_long_path_ramps_as_before)
{
	struct syn_rate r;
	uint64_t now = 1000;
	int k;

	syn_rate_init(&r, START, 0, now);
	/* 50 ms RTT: one doubling per 2 RTT = 100 ms, whatever the epochs. */
	epoch_at_rate(&r, &now, 25, 50, 100);
	ck_assert_double_eq(r.rate, 2 * START);
	for (k = 0; k < 3; k++)
		epoch_at_rate(&r, &now, 25, 50, 100);
	ck_assert_double_eq(r.rate, 2 * START);
	epoch_at_rate(&r, &now, 25, 50, 100);
	ck_assert_double_eq(r.rate, 4 * START);
	/* No RTT known: one doubling per 25 ms epoch, not per 5 ms. */
	syn_rate_init(&r, START, 0, now);
	epoch_at_rate(&r, &now, 5, SYN_RATE_NO_RTT, 100);
	ck_assert_double_eq(r.rate, START);
	ck_assert_uint_eq(r.epoch_start, now - 5);
}
END_TEST

START_TEST(test_loss_on_short_epochs)
{
	struct syn_rate r;
	uint64_t now = 1000;
	double before;
	int k;

	syn_rate_init(&r, 400000.0, 0, now);
	/* 5 % canary loss on a 1 ms path: the rate keeps growing. */
	for (k = 0; k < 12; k++)
		epoch_at_rate(&r, &now, 5, 1, 95);
	ck_assert_double_gt(r.rate, 400000.0);
	ck_assert(r.loss >= 0 && r.loss <= 0.10);
	/* Half the canaries lost: the rate shrinks, by at most 4 x. */
	before = r.rate;
	for (k = 0; k < 8; k++)
		epoch_at_rate(&r, &now, 5, 1, 50);
	ck_assert_double_lt(r.rate, before);
	ck_assert_double_ge(r.rate, before / 16);
	ck_assert_double_gt(r.loss, 0.4);
	/* The cap holds. */
	syn_rate_init(&r, START, 60000.0, now);
	for (k = 0; k < 10; k++)
		epoch_at_rate(&r, &now, 5, 1, 100);
	ck_assert_double_eq(r.rate, 60000.0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("portscan_rate");
	TCase *tc = tcase_create("rate");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_epoch_follows_rtt);
	tcase_add_test(tc, test_short_path_ramps_fast);
	tcase_add_test(tc, test_long_path_ramps_as_before);
	tcase_add_test(tc, test_loss_on_short_epochs);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}
