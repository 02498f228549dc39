/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The correspondent's half of a k_EN rekey (draft section 3), for both
 * kinds of correspondent: a fixed one (cn.c, after its EXCH1') and a
 * mobile one (mcn_mn.c, after its KEYS_ACK).  The mobile node sends under
 * k_EN-new as soon as its home agent's NEWKEY comes, so the correspondent
 * listens on it first (rk_listen(), before it answers); it keeps sending
 * under the old key until it sees the new inbound state carry a packet
 * (polled every RK_POLL_MS), or rk_switch_ms() after its answer at the
 * latest.  Then the new outbound state goes in and both old ones go.
 */
#ifndef _AGENT_REKEY_H
#define _AGENT_REKEY_H

#include <stdbool.h>
#include <stdint.h>

#include "dp.h"
#include "lib/crypto.h"
#include "loop.h"

#define RK_POLL_MS	50	/* is k_EN-new in use yet? */
#define RK_SWITCH_MS	5000	/* send under k_EN-new at the latest */

struct rk {
	bool on;			/* listening on both keys */
	uint8_t k_old[CBU_KEY_LEN];	/* still sending under it */
	uint64_t since_ms;		/* the answer went (again) */
	struct timer poll;
	/* Set by the owner: the path now, and the key it has now (new). */
	void (*path)(const struct rk *rk, struct dp_ro *ro,
		     const uint8_t **k_en, uint32_t *lt_en);
	uint64_t *n_seen, *n_timeout;	/* its counters */
};

/*
 * k_EN-new is @k_new, @k_cur the key in force: the inbound state under
 * @k_new goes in (after the switch of a rekey still under way), and the
 * wait for it to be used begins.  The owner's key becomes @k_new when
 * this returns 0; -1: xfrm refused, logged, nothing changed.
 */
int rk_listen(struct rk *rk, const uint8_t k_cur[CBU_KEY_LEN],
	      const uint8_t k_new[CBU_KEY_LEN]);
/* The answer went again: the mobile node cannot have the key before it. */
void rk_again(struct rk *rk);
/* Send under k_EN-new now; the old states go. */
void rk_switch(struct rk *rk);
/* The path went, or new keys came: nothing left to switch. */
void rk_end(struct rk *rk);
/*
 * cbu.ko moved the path: it moves one state of a reqid each way, so the
 * two inbound ones are put where the path is now.
 */
void rk_moved(struct rk *rk);
/* How long to wait to see k_EN-new in use, for a k_EN of @lt_en seconds. */
uint64_t rk_switch_ms(uint32_t lt_en);

#endif /* _AGENT_REKEY_H */
