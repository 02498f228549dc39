// SPDX-License-Identifier: GPL-2.0
/*
 * The correspondent's half of a k_EN rekey (rekey.h).
 */
#include <string.h>

#include <sodium.h>

#include "agent.h"
#include "log.h"
#include "rekey.h"

/*
 * RK_SWITCH_MS, but well before the old outbound state dies (the mobile
 * node rekeys a quarter of LT_EN before it does).
 */
uint64_t rk_switch_ms(uint32_t lt_en)
{
	uint64_t eighth = (uint64_t)lt_en * 1000 / 8;

	return eighth && eighth < RK_SWITCH_MS ? eighth : RK_SWITCH_MS;
}

void rk_end(struct rk *rk)
{
	timer_cancel(&rk->poll);
	rk->on = false;
	sodium_memzero(rk->k_old, CBU_KEY_LEN);
}

void rk_switch(struct rk *rk)
{
	const uint8_t *k_en;
	struct dp_ro ro;
	uint32_t lt_en;

	if (!rk->on)
		return;
	rk->path(rk, &ro, &k_en, &lt_en);
	if (dp_ro_state_add(&ro, true, k_en, lt_en)) {
		/* Keep the old one: better old keys than none. */
		log_err("%s: cannot send under k_EN-new", addr_str(&ro.hoa));
	} else {
		dp_ro_state_del(&ro, true, rk->k_old);
	}
	dp_ro_state_del(&ro, false, rk->k_old);
	rk_end(rk);
}

static void rk_poll(struct timer *t)
{
	struct rk *rk = container_of(t, struct rk, poll);
	const uint8_t *k_en;
	uint64_t packets = 0;
	struct dp_ro ro;
	uint32_t lt_en;

	rk->path(rk, &ro, &k_en, &lt_en);
	if (!dp_ro_state_packets(&ro, false, k_en, &packets) && packets) {
		(*rk->n_seen)++;
		rk_switch(rk);
		return;
	}
	if (loop_now_ms() - rk->since_ms >= rk_switch_ms(lt_en)) {
		(*rk->n_timeout)++;
		log_info("%s: k_EN-new not seen in use; sending under it",
			 addr_str(&ro.hoa));
		rk_switch(rk);
		return;
	}
	timer_arm(t, RK_POLL_MS);
}

int rk_listen(struct rk *rk, const uint8_t k_cur[CBU_KEY_LEN],
	      const uint8_t k_new[CBU_KEY_LEN])
{
	const uint8_t *k_en;
	struct dp_ro ro;
	uint32_t lt_en;

	/* A rekey before the last one was seen in use: that one first. */
	rk_switch(rk);
	rk->path(rk, &ro, &k_en, &lt_en);
	if (dp_ro_state_add(&ro, false, k_new, lt_en)) {
		log_err("%s: cannot install k_EN-new", addr_str(&ro.hoa));
		return -1;
	}
	memcpy(rk->k_old, k_cur, CBU_KEY_LEN);
	rk->on = true;
	rk->since_ms = loop_now_ms();
	rk->poll.cb = rk_poll;
	timer_arm(&rk->poll, RK_POLL_MS);
	return 0;
}

void rk_again(struct rk *rk)
{
	rk->since_ms = loop_now_ms();
}

void rk_moved(struct rk *rk)
{
	const uint8_t *k_en;
	struct dp_ro ro;
	uint32_t lt_en;

	if (!rk->on)
		return;
	rk->path(rk, &ro, &k_en, &lt_en);
	dp_ro_state_del(&ro, false, k_en);
	dp_ro_state_del(&ro, false, rk->k_old);
	if (dp_ro_state_add(&ro, false, k_en, lt_en) ||
	    dp_ro_state_add(&ro, false, rk->k_old, lt_en))
		log_err("%s: cannot move the rekey's inbound states",
			addr_str(&ro.hoa));
}
