/*
 * certexam — the adaptive rate of the SYN scan (engine-internal): probes
 * per second that grow while the answers keep pace and shrink on the
 * loss measured on the path, never above a cap.  syn_rate.c says how.
 */
#ifndef CX_SYN_RATE_H
#define CX_SYN_RATE_H

#include <stdint.h>

#define SYN_RATE_RING 64 /* epochs of canary counts kept */
/* srtt_ms of syn_rate_epoch() when no host has an RTT sample yet */
#define SYN_RATE_NO_RTT UINT64_MAX

struct syn_rate {
	double rate, cap, peak; /* probes per second */
	double tokens;          /* probes that may go now */
	uint64_t tokens_at_us;
	double ssthresh;      /* rate at the last decrease, 0 = none yet */
	uint64_t epoch_start; /* ms */
	uint64_t epoch_ms;    /* length of the epoch running */
	uint64_t last_grow, last_shrink;
	/* counts of the epoch running; the scan increments them */
	uint64_t sent;       /* probes sent */
	uint64_t local_loss; /* send buffer full, capture drops */
	uint64_t late;       /* answers that needed a retransmission */
	uint64_t answers;    /* TCP answers */
	uint64_t can_sent;   /* canary probes sent */
	uint64_t can_ans;    /* canary answers */
	int limited;         /* the rate, not the work, held the sender */
	/* decayed late/answers, for hosts without a canary */
	double late_w, answers_w;
	/* per finished epoch: canaries sent and answered */
	uint32_t ring_sent[SYN_RATE_RING], ring_ans[SYN_RATE_RING];
	unsigned ring_pos;
	uint64_t can_total; /* canaries ever sent */
	double loss;        /* last measured canary loss, -1 = not yet */
};

/* Start at start probes/s (at most cap; cap 0 = no cap but a maximum). */
void syn_rate_init(struct syn_rate *r, double start, double cap,
                   uint64_t now_ms);

/*
 * Close the epoch if it is over and adjust the rate; srtt_ms is the
 * largest smoothed RTT of the hosts being scanned (SYN_RATE_NO_RTT when
 * none is known yet).  An epoch lasts the smoothed RTT, at least
 * SYN_RATE_EPOCH_MIN_MS and at most SYN_RATE_EPOCH_MS (the longest while
 * no RTT is known), so a short path ramps up in a few milliseconds.
 */
void syn_rate_epoch(struct syn_rate *r, uint64_t now_ms, uint64_t srtt_ms);

/* Add the tokens earned since the last call (burst: 10 ms worth). */
void syn_rate_refill(struct syn_rate *r, uint64_t now_us);

#endif
