/*
 * certexam — the adaptive rate of the SYN scan: probes per second, not a
 * window, so a long round trip does not bound the scan.
 *
 * Loss is measured, not guessed.  A host whose first answers include a
 * closed port gets that port as its canary: every SYN_CANARY_EVERY-th
 * probe to the host (synscan.c) is one more SYN to the canary, which
 * must answer with a RST.  Canaries sent in an epoch are compared with
 * the canary answers of the epochs one smoothed RTT later, over a window
 * of WINDOW epochs: that is the loss of the path at the rate the probes
 * went out, whatever share of the host's ports is filtered (a firewall
 * that drops most ports is not loss; a queue that overflows is).
 *
 * An epoch lasts the smoothed RTT within [SYN_RATE_EPOCH_MIN_MS,
 * SYN_RATE_EPOCH_MS], the longest until an RTT is known: on a path of a
 * millisecond the rate reaches what the machine can send within a few
 * ms instead of a hundred (measured on the lab: 80 ms of the 270 ms of
 * a full-range scan were the ramp; with 2 ms epochs instead of 5 the
 * ramp to 16 x the start takes ~8 ms, not ~20), while a long path (or
 * one whose RTT is not known yet) ramps as before.
 *
 * The rate starts at the given start, doubles (by 10 % once above the rate
 * of the last decrease) at most once per max(epoch, 2 RTT), only while it
 * was the limit, the sender used at least half of it, and the measured
 * loss is at most LOSS_OK (random loss of a few per cent does not slow
 * the scan).  Above LOSS_OK it is multiplied by (1 - loss), by at least
 * 1/4 and at most once per window + RTT, so the answers to the probes
 * sent at the new rate are measured before the next decision.  Local
 * loss (a full send buffer, packets the capture dropped) multiplies it by
 * 0.7.  Where no host has a canary (every port filtered or open), answers
 * that needed a retransmission above a tenth of the recent answers count
 * as loss, as before.
 */
#include <string.h>

#include "syn_rate.h"

#define SYN_RATE_EPOCH_MS     25
#define SYN_RATE_EPOCH_MIN_MS 2
#define RATE_MIN              100.0
#define RATE_MAX              1000000.0
#define LOSS_OK               0.10
#define WINDOW                4  /* epochs of canaries judged at once */
#define JUDGE_MIN             16 /* canaries in the window to judge */
#define SHRINK_MS             100

void syn_rate_init(struct syn_rate *r, double start, double cap,
                   uint64_t now_ms)
{
	memset(r, 0, sizeof(*r));
	r->cap = cap > 0 ? cap : RATE_MAX;
	r->rate = start < r->cap ? start : r->cap;
	r->peak = r->rate;
	r->tokens = 1.0;
	r->epoch_start = now_ms;
	r->epoch_ms = SYN_RATE_EPOCH_MS;
	r->loss = -1.0;
}

/* Canary loss over the window, one RTT of lag; -1 when too few. */
static double canary_loss(const struct syn_rate *r, unsigned lag)
{
	uint64_t sent = 0, ans = 0;
	unsigned k;

	if (lag + WINDOW > SYN_RATE_RING)
		lag = SYN_RATE_RING - WINDOW;
	for (k = 0; k < WINDOW; k++) {
		sent += r->ring_sent[(r->ring_pos + 2 * SYN_RATE_RING - 1 -
		                      lag - k) %
		                     SYN_RATE_RING];
		ans += r->ring_ans[(r->ring_pos + SYN_RATE_RING - 1 - k) %
		                   SYN_RATE_RING];
	}
	if (sent < JUDGE_MIN)
		return -1.0;
	return ans >= sent ? 0.0 : 1.0 - (double)ans / (double)sent;
}

/* The length of an epoch on a path of srtt_ms. */
static uint64_t epoch_len(uint64_t srtt_ms)
{
	if (srtt_ms == SYN_RATE_NO_RTT || srtt_ms >= SYN_RATE_EPOCH_MS)
		return SYN_RATE_EPOCH_MS;
	return srtt_ms > SYN_RATE_EPOCH_MIN_MS ? srtt_ms
	                                       : SYN_RATE_EPOCH_MIN_MS;
}

void syn_rate_epoch(struct syn_rate *r, uint64_t now, uint64_t srtt_ms)
{
	uint64_t dt = now - r->epoch_start, gap, ep;
	unsigned lag;
	double used, loss = -1.0, f;
	int lossy;

	ep = epoch_len(srtt_ms);
	if (srtt_ms == SYN_RATE_NO_RTT)
		srtt_ms = 0;
	if (dt < ep)
		return;
	/* The epoch just closed had its own length: lag in epochs of it. */
	lag = (unsigned)((srtt_ms + r->epoch_ms - 1) / r->epoch_ms);
	used = (double)r->sent * 1000.0 / (double)dt;
	r->ring_sent[r->ring_pos] = (uint32_t)r->can_sent;
	r->ring_ans[r->ring_pos] = (uint32_t)r->can_ans;
	r->ring_pos = (r->ring_pos + 1) % SYN_RATE_RING;
	r->can_total += r->can_sent;
	r->late_w = r->late_w * 0.8 + (double)r->late;
	r->answers_w = r->answers_w * 0.8 + (double)r->answers;
	if (r->can_total > 0) {
		loss = canary_loss(r, lag);
		if (loss >= 0)
			r->loss = loss;
		lossy = loss > LOSS_OK;
	} else {
		lossy = r->late > 0 && r->late_w * 10.0 > r->answers_w + 20.0;
	}
	gap = (uint64_t)(WINDOW + lag) * r->epoch_ms;
	if (r->local_loss > 0 && now - r->last_shrink >= SHRINK_MS) {
		r->rate *= 0.7;
		r->ssthresh = r->rate;
		r->last_shrink = now;
	} else if (lossy && now - r->last_shrink >=
	                        (gap > SHRINK_MS ? gap : SHRINK_MS)) {
		f = loss >= 0 ? 1.0 - loss : 0.7;
		r->rate *= f < 0.25 ? 0.25 : f;
		r->ssthresh = r->rate;
		r->last_shrink = now;
	} else if (!lossy && r->local_loss == 0 && r->limited &&
	           used >= r->rate * 0.5 && now - r->last_grow >= 2 * srtt_ms &&
	           now - r->last_shrink >= gap) {
		r->rate *=
		    r->ssthresh > 0 && r->rate >= r->ssthresh ? 1.1 : 2.0;
		r->last_grow = now;
	}
	if (r->rate < RATE_MIN)
		r->rate = RATE_MIN;
	if (r->rate > r->cap)
		r->rate = r->cap;
	if (r->rate > r->peak)
		r->peak = r->rate;
	r->epoch_start = now;
	r->epoch_ms = ep;
	r->sent = r->local_loss = r->late = r->answers = 0;
	r->can_sent = r->can_ans = 0;
	r->limited = 0;
}

void syn_rate_refill(struct syn_rate *r, uint64_t now_us)
{
	double burst = r->rate / 100.0 > 16.0 ? r->rate / 100.0 : 16.0;

	if (r->tokens_at_us != 0)
		r->tokens += (double)(now_us - r->tokens_at_us) * r->rate / 1e6;
	r->tokens_at_us = now_us;
	if (r->tokens > burst)
		r->tokens = burst;
}
