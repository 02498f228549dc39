// SPDX-License-Identifier: GPL-2.0
/*
 * The home agent of a mobile correspondent (draft section 4; the design is
 * Documentation/design/mobile-cn.md, the wire Documentation/wire-format.md
 * §9.6): CN_HA.  A mobile node's home agent always finds a fixed peer to
 * negotiate with: we answer COOKIE0 and EXCH0 sent to the home address of
 * a mobile correspondent we serve (`mobile-cn`), as section 3's CN does,
 * under our `cn` certificate for the home prefix.  The keys go to that
 * node, CN_MN, not to cbu.ko:
 *
 *   EXCH0 (to CN_HoA) -> keys derived -> KEYS = e(k_CN, HoA, CN_HoA, N,
 *   k_BU, k_BA, k_EN, LT_EN), through CN_MN's home tunnel, sent at 0, 1,
 *   3 and 7 s -> KEYS_ACK = e(k_CN, HoA, CN_HoA, N, status) -> EXCH1 (from
 *   CN_HoA) to the mobile node's home agent.
 *
 * k_CN is CN_MN's k_HA: each KEYS is sealed under the key in use when it
 * goes, and a KEYS_ACK opens under it or the k_HA-next on offer; neither
 * moves a key (§9.6 item 31).  EXCH1 goes only once CN_MN has the keys,
 * so no BU can reach it before they do; a CN_MN that does not acknowledge
 * in 15 s gets no EXCH1, and the mobile node's home agent answers its
 * REQ with a REP_NAK.  One KEYS is outstanding per pair: a new EXCH0
 * waits, unanswered (its home agent sends it again), until the last is
 * acknowledged or given up (kha.pml, MUTANT_REPLACE).  A repeated EXCH0
 * gets the same EXCH1 again, not new keys.
 *
 * cbu.ko hands up the mobile node's BUs to CN_HoA.  One whose MAC_BU
 * verifies under the pair's acknowledged k_BU goes on to CN_MN as a FWD,
 * through the tunnel; others are dropped here, so that nothing forged
 * enters it.  CN_MN's cbu.ko checks the FWD as a BU and answers the BA
 * from its care-of address.
 *
 * The k_EN rekey goes the same way: EXCH0' for CN_HoA, checked under the
 * pair's k_EN, makes k_EN-new, which goes to CN_MN in KEYS (k_BU and k_BA
 * unchanged); EXCH1' follows its KEYS_ACK.
 *
 * TEST/ALIVE (design item 42): a REG, KEYS_ACK or ALIVE is a sign of life
 * from CN_MN.  After 10 s without one, a COOKIE0 for it makes us send a
 * TEST through the tunnel (one a second at most), and an EXCH0 whose
 * cookie is ours waits up to 1 s for the ALIVE before the public-key
 * work: a dead CN_MN costs no signature.  The draft makes the probe
 * optional; cbu always makes it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "agent.h"
#include "cnx.h"
#include "ha.h"
#include "lib/cert.h"
#include "lib/crypto.h"
#include "lib/json_print.h"
#include "log.h"
#include "loop.h"

#define MCN_MAX_PAIRS	1024
#define MCN_KEYS_MS	1000	/* KEYS at 0, 1, 3 and 7 s ... */
#define MCN_KEYS_TRIES	4
#define MCN_GIVEUP_MS	15000	/* ... and no EXCH1 past 15 s */
#define MCN_EXCH1_MS	30000	/* EXCH1 kept for a repeated EXCH0 */
#define MCN_CERT_CACHE	1024
#define MCN_SILENT_MS	10000	/* no sign of life this long: TEST first */
#define MCN_HOLD_MS	1000	/* an EXCH0 waits this long for ALIVE */
#define MCN_TEST_MS	1000	/* a TEST a second at most, per CN_MN */
#define MCN_MAX_HELD	64
#define MCN_FWD_AGAIN_MS 3000	/* a FWD this recent goes again after a move */

/* A mobile node with one of our mobile correspondents. */
struct mcn_pair {
	bool used;
	struct ha_mn *cnmn;		/* the correspondent we serve */
	struct in6_addr hoa;		/* the mobile node's */
	/*
	 * What CN_MN acknowledged: k_BU for FWD, the rest for a rekey
	 * (k_BA goes again in its KEYS, k_EN-new comes from k_master).
	 */
	bool acked;
	uint8_t k_bu[CBU_KEY_LEN];
	uint8_t k_ba[CBU_KEY_LEN];
	uint8_t k_en[CBU_KEY_LEN];
	uint8_t k_master[CBU_KEY_LEN];
	/*
	 * The exchange or rekey under way (pending: its KEYS unacknowledged)
	 * or just answered (its EXCH1 or EXCH1' kept for a repeat).
	 */
	bool pending, answered, rekey;
	uint8_t id[crypto_generichash_BYTES];	/* its EXCH0 or EXCH0' */
	struct cbu_keys_pt keys;	/* sealed anew for each send */
	uint8_t k_master_new[CBU_KEY_LEN];	/* an exchange's */
	struct cbu_msg reply;		/* EXCH1 or EXCH1', after the ACK */
	int tries;
	uint64_t keys_ms;		/* the first KEYS */
	struct timer retry;
	struct cbu_fwd fwd;		/* the last FWD, and when it went */
	uint64_t fwd_ms;
	bool fwd_again;			/* to go again at CN_MN's ALIVE */
};

/* An EXCH0 that waits for its CN_MN's ALIVE, copied. */
struct mcn_held {
	bool used;
	struct ha_mn *cnmn;
	struct rx r;
	uint8_t mh[CBU_MH_MAX_LEN];
	struct timer timer;
};

static struct {
	bool on;			/* `mobile-cn` in the configuration */
	struct cnx x;
	struct mcn_pair *pairs;		/* MCN_MAX_PAIRS */
	struct mcn_held *held;		/* MCN_MAX_HELD */
	struct mcn_counters {
		struct cnx_counters x;
		uint64_t exch0_repeated, exch0_waiting, exch1_sent, keys,
			 keys_resent, keys_acked, keys_refused, keys_timeouts,
			 keys_ack_bad, fwd, fwd_bad_mac, fwd_unknown,
			 mcn_unregistered, rekey, exch1_rk_sent, rekey_bad,
			 rekey_unknown, test, alive, alive_bad, not_alive,
			 fwd_again;
	} n;
} mcn;

static bool is_mcn(const struct in6_addr *hoa)
{
	unsigned int i;

	for (i = 0; i < agent.cfg.ha.n_mcns; i++)
		if (!memcmp(&agent.cfg.ha.mcns[i], hoa, 16))
			return true;
	return false;
}

static struct mcn_pair *pair_find(const struct in6_addr *hoa,
				  const struct ha_mn *cnmn)
{
	unsigned int i;

	for (i = 0; i < MCN_MAX_PAIRS; i++)
		if (mcn.pairs[i].used && mcn.pairs[i].cnmn == cnmn &&
		    !memcmp(&mcn.pairs[i].hoa, hoa, 16))
			return &mcn.pairs[i];
	return NULL;
}

static void pair_free(struct mcn_pair *p)
{
	timer_cancel(&p->retry);
	sodium_memzero(p, sizeof(*p));
}

/* The exchange's keys go; what FWD needs stays if CN_MN has it. */
static void pair_done(struct mcn_pair *p)
{
	timer_cancel(&p->retry);
	p->pending = false;
	p->answered = false;
	sodium_memzero(&p->keys, sizeof(p->keys));
	sodium_memzero(p->k_master_new, CBU_KEY_LEN);
	sodium_memzero(&p->reply, sizeof(p->reply));
	if (!p->acked)
		pair_free(p);
}

/* KEYS, sealed under CN_MN's k_HA in use now, through its tunnel. */
static void keys_send(struct mcn_pair *p)
{
	struct cbu_msg m;

	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_KEYS);
	cbu_msg_seal(&m, &p->keys, sizeof(p->keys), p->cnmn->k_ha);
	io_send(&agent.cfg.ha.address, &p->cnmn->hoa, &m);
}

static void pair_retry(struct timer *t)
{
	struct mcn_pair *p = container_of(t, struct mcn_pair, retry);

	if (!p->pending) {
		/* The EXCH1 was kept long enough for a repeated EXCH0. */
		pair_done(p);
		return;
	}
	if (++p->tries >= MCN_KEYS_TRIES ||
	    loop_now_ms() - p->keys_ms >= MCN_GIVEUP_MS) {
		mcn.n.keys_timeouts++;
		log_info("%s: no KEYS_ACK for %s: no EXCH1",
			 addr_str(&p->cnmn->hoa), addr_str(&p->hoa));
		pair_done(p);
		return;
	}
	mcn.n.keys_resent++;
	keys_send(p);
	/* The last wait runs to MCN_GIVEUP_MS. */
	timer_arm(t, p->tries + 1 < MCN_KEYS_TRIES ?
		     (uint64_t)MCN_KEYS_MS << p->tries :
		     MCN_GIVEUP_MS - (loop_now_ms() - p->keys_ms));
}

static void exch0_id(const struct cbu_exch0 *e,
		     uint8_t id[crypto_generichash_BYTES])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, NULL, 0, crypto_generichash_BYTES);
	crypto_generichash_update(&st, e->c0, sizeof(e->c0));
	crypto_generichash_update(&st, e->c1, sizeof(e->c1));
	crypto_generichash_update(&st, e->n1, sizeof(e->n1));
	crypto_generichash_update(&st, e->n2, sizeof(e->n2));
	crypto_generichash_update(&st, e->gx, sizeof(e->gx));
	crypto_generichash_final(&st, id, crypto_generichash_BYTES);
}

/* EXCH1 or EXCH1', from CN_HoA. */
static void reply_send(struct mcn_pair *p)
{
	io_send_pkt(&p->cnmn->hoa, &p->hoa, NULL, &p->reply, NULL, NULL);
}

/*
 * A message of the mobile node's home agent that asks for new keys, known
 * by @id: true if it was handled here, as a repeat of the exchange or
 * rekey under way or just answered (@what: its name), or because one is
 * still waiting for its KEYS_ACK.
 */
static bool pair_busy(struct mcn_pair *p, const uint8_t *id,
		      const char *what)
{
	if ((p->pending || p->answered) &&
	    !sodium_memcmp(p->id, id, crypto_generichash_BYTES)) {
		/* Its home agent sends it again: our answer was lost or waits. */
		mcn.n.exch0_repeated++;
		if (p->answered)
			reply_send(p);
		return true;
	}
	if (p->pending) {
		/* One KEYS outstanding a pair: this one waits for its end. */
		mcn.n.exch0_waiting++;
		log_info_rl("%s from %s for %s: the last KEYS is not acknowledged yet",
			    what, addr_str(&p->hoa), addr_str(&p->cnmn->hoa));
		return true;
	}
	return false;
}

/* `lt-en` as KEYS and EXCH1' carry it: 4-second units, as NEWKEY. */
static __be16 lt_en_wire(void)
{
	uint32_t lt = agent.cfg.ha.lt_en / 4;

	return htons(lt > 0xffff ? 0xffff : (uint16_t)lt);
}

/* KEYS for @p, whose keys, reply and id are set: sent, and resent. */
static void pair_keys(struct mcn_pair *p)
{

	memcpy(p->keys.hoa, &p->hoa, 16);
	memcpy(p->keys.cn_hoa, &p->cnmn->hoa, 16);
	cbu_random(p->keys.n, CBU_NONCE_LEN);
	/* In 4-second units, as in EXCH1' and NEWKEY. */
	p->keys.lt_en = lt_en_wire();
	p->pending = true;
	p->answered = false;
	p->tries = 0;
	p->keys_ms = loop_now_ms();
	mcn.n.keys++;
	keys_send(p);
	timer_arm(&p->retry, MCN_KEYS_MS);
}

/* COOKIE0 = {Src=HoA, Des=CN_HoA, C0}: COOKIE1 from CN_HoA, nothing kept. */
static void mcn_cookie0(struct rx *r)
{
	struct cbu_msg m;

	cnx_cookie1(&mcn.x, r, &m);
	io_send_pkt(&r->dst, &r->src, NULL, &m, NULL, NULL);
}

/*
 * EXCH0 = {Src=HoA, Des=CN_HoA, ...}: checked as a CN checks it; the keys
 * go to CN_MN in KEYS, the EXCH1 waits for its KEYS_ACK.
 */
static void mcn_exch0(struct rx *r, struct ha_mn *cnmn)
{
	uint8_t id[crypto_generichash_BYTES], k_master[CBU_KEY_LEN];
	struct mcn_pair *p, *free_slot = NULL;
	struct cbu_session_keys keys;
	struct cbu_msg exch1;
	unsigned int i;

	exch0_id(&r->msg.body.exch0, id);
	p = pair_find(&r->src, cnmn);
	if (p && pair_busy(p, id, "EXCH0"))
		return;
	if (!p) {
		for (i = 0; i < MCN_MAX_PAIRS && !free_slot; i++)
			if (!mcn.pairs[i].used)
				free_slot = &mcn.pairs[i];
		if (!free_slot) {
			log_warn_rl("EXCH0 from %s: too many mobile nodes with our mobile correspondents",
				    addr_str(&r->src));
			return;
		}
	}
	if (cnx_exch0(&mcn.x, r, &exch1, &keys, k_master))
		return;
	if (!p) {
		p = free_slot;
		p->used = true;
		p->cnmn = cnmn;
		p->hoa = r->src;
		p->retry.cb = pair_retry;
	}
	memcpy(p->id, id, sizeof(id));
	p->reply = exch1;
	p->rekey = false;
	memset(&p->keys, 0, sizeof(p->keys));
	memcpy(p->keys.k_bu, keys.k_bu, CBU_KEY_LEN);
	memcpy(p->keys.k_ba, keys.k_ba, CBU_KEY_LEN);
	memcpy(p->keys.k_en, keys.k_en, CBU_KEY_LEN);
	memcpy(p->k_master_new, k_master, CBU_KEY_LEN);
	sodium_memzero(&keys, sizeof(keys));
	sodium_memzero(k_master, sizeof(k_master));
	log_info("keys for %s and %s derived, KEYS sent; %s",
		 addr_str(&p->hoa), addr_str(&cnmn->hoa), mcn.x.trace);
	pair_keys(p);
}

/*
 * EXCH0' = {Src=HoA, Des=CN_HoA, N1', MAC_EXCH0'}, MAC under the pair's
 * k_EN: k_EN-new = prf(k_master, N1' | N2' | 2) goes to CN_MN in KEYS
 * (k_BU and k_BA unchanged: that is how it knows a rekey), and EXCH1'
 * = {N1', N2', LT_EN, MAC_EXCH1'} follows its KEYS_ACK, so that the mobile
 * node, which sends under k_EN-new once NEWKEY comes, never uses a key
 * CN_MN lacks (design item 38).
 */
static void mcn_exch0_rk(struct rx *r, struct ha_mn *cnmn)
{
	const struct cbu_exch0_rk *e = &r->msg.body.exch0_rk;
	uint8_t id[crypto_generichash_BYTES], mac[CBU_MAC_LEN];
	struct cbu_exch1_rk *x;
	struct mcn_pair *p;

	p = pair_find(&r->src, cnmn);
	if (!p || !p->acked) {
		mcn.n.rekey_unknown++;
		log_info_rl("EXCH0' from %s for %s: no k_EN",
			    addr_str(&r->src), addr_str(&cnmn->hoa));
		return;
	}
	crypto_generichash(id, sizeof(id), e->n1, sizeof(e->n1), NULL, 0);
	if (pair_busy(p, id, "EXCH0'"))
		return;
	cbu_mac_exch0_rk(mac, p->k_en, p->hoa.s6_addr, e->n1);
	if (sodium_memcmp(mac, e->mac, CBU_MAC_LEN)) {
		mcn.n.rekey_bad++;
		log_info_rl("EXCH0' from %s for %s: bad MAC", addr_str(&r->src),
			    addr_str(&cnmn->hoa));
		return;
	}
	memcpy(p->id, id, sizeof(id));
	p->rekey = true;
	cbu_msg_init(&p->reply, CBU_MH_EXP, CBU_SUB_EXCH1_RK);
	x = &p->reply.body.exch1_rk;
	memcpy(x->n1, e->n1, CBU_NONCE_LEN);
	cbu_random(x->n2, CBU_NONCE_LEN);
	x->lt_en = lt_en_wire();
	cbu_mac_exch1_rk(x->mac, p->k_en, cnmn->hoa.s6_addr, x->n1, x->n2,
			 ntohs(x->lt_en));
	memset(&p->keys, 0, sizeof(p->keys));
	memcpy(p->keys.k_bu, p->k_bu, CBU_KEY_LEN);
	memcpy(p->keys.k_ba, p->k_ba, CBU_KEY_LEN);
	cbu_kdf_en_new(p->keys.k_en, p->k_master, x->n1, x->n2);
	mcn.n.rekey++;
	log_info("k_EN of %s and %s renewed, KEYS sent", addr_str(&p->hoa),
		 addr_str(&cnmn->hoa));
	pair_keys(p);
}

/*
 * CN_MN registered from a new care-of address: a FWD sent in the last
 * MCN_FWD_AGAIN_MS went to where it was, most likely lost with its old
 * tunnel.  It goes again through the new one once CN_MN has set up its
 * side, which its ALIVE says (mcn_ha_alive()), rather than wait for the
 * mobile node's next BU (a second, when both move at once).  Its Seq# is
 * still the mobile node's newest, or CN_MN's window refuses it (a BA of
 * status 135, rate-limited): a copy costs nothing else.
 */
void mcn_ha_moved(struct ha_mn *mn)
{
	uint64_t now = loop_now_ms();
	unsigned int i;

	if (!mcn.on || !is_mcn(&mn->hoa))
		return;
	for (i = 0; i < MCN_MAX_PAIRS; i++) {
		struct mcn_pair *p = &mcn.pairs[i];

		if (p->used && p->cnmn == mn && p->fwd_ms &&
		    now - p->fwd_ms <= MCN_FWD_AGAIN_MS)
			p->fwd_again = true;
	}
}

static void fwd_again(struct ha_mn *cnmn)
{
	struct cbu_msg m;
	unsigned int i;

	for (i = 0; i < MCN_MAX_PAIRS; i++) {
		struct mcn_pair *p = &mcn.pairs[i];

		if (!p->used || p->cnmn != cnmn || !p->fwd_again)
			continue;
		p->fwd_again = false;
		cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_FWD);
		m.body.fwd = p->fwd;
		if (!io_send(&agent.cfg.ha.address, &cnmn->hoa, &m))
			mcn.n.fwd_again++;
	}
}

/* --- TEST and ALIVE (design item 42) ------------------------------------- */

static bool is_alive(const struct ha_mn *cnmn)
{
	return cnmn->seen_ms && loop_now_ms() - cnmn->seen_ms < MCN_SILENT_MS;
}

/* TEST = {Src=CN_HA, Des=CN_HoA, test_flag}, through the tunnel. */
static void test_send(struct ha_mn *cnmn)
{
	uint64_t now = loop_now_ms();
	struct cbu_msg m;

	if (cnmn->test_ms && now - cnmn->test_ms < MCN_TEST_MS)
		return;
	cnmn->test_ms = now;
	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_TEST);
	m.body.test.flag = CBU_TEST_FLAG;
	if (!io_send(&agent.cfg.ha.address, &cnmn->hoa, &m))
		mcn.n.test++;
}

static void held_free(struct mcn_held *h)
{
	timer_cancel(&h->timer);
	memset(h, 0, sizeof(*h));
}

static void held_expired(struct timer *t)
{
	struct mcn_held *h = container_of(t, struct mcn_held, timer);

	mcn.n.not_alive++;
	log_info_rl("EXCH0 from %s for %s: no ALIVE, dropped",
		    addr_str(&h->r.src), addr_str(&h->cnmn->hoa));
	held_free(h);
}

/*
 * An EXCH0 whose cookie is ours, for a CN_MN silent for a while: it waits
 * (one per pair, the newest) for an ALIVE, so that a dead CN_MN costs no
 * signature or DH.  Its home agent sends it again if it is dropped.
 */
static void exch0_hold(struct rx *r, struct ha_mn *cnmn)
{
	struct mcn_held *h = NULL, *free_slot = NULL;
	unsigned int i;

	for (i = 0; i < MCN_MAX_HELD && !h; i++) {
		if (mcn.held[i].used && mcn.held[i].cnmn == cnmn &&
		    !memcmp(&mcn.held[i].r.src, &r->src, 16))
			h = &mcn.held[i];
		else if (!mcn.held[i].used && !free_slot)
			free_slot = &mcn.held[i];
	}
	if (!h)
		h = free_slot;
	test_send(cnmn);
	if (!h || r->len > sizeof(h->mh)) {
		mcn.n.not_alive++;
		log_info_rl("EXCH0 from %s for %s: too many waiting, dropped",
			    addr_str(&r->src), addr_str(&cnmn->hoa));
		return;
	}
	if (!h->used) {
		h->used = true;
		h->cnmn = cnmn;
		h->timer.cb = held_expired;
		timer_arm(&h->timer, MCN_HOLD_MS);
	}
	h->r = *r;
	memcpy(h->mh, r->mh, r->len);
	h->r.mh = h->mh;
}

/* ALIVE = {Src=CN_HoA, Des=CN_HA, N3}, through the tunnel. */
void mcn_ha_alive(struct rx *r)
{
	struct ha_mn *cnmn = ha_mn_by_hoa(&r->src);
	unsigned int i;

	if (!mcn.on || !cnmn || !is_mcn(&cnmn->hoa) || !cnmn->registered) {
		mcn.n.alive_bad++;
		log_info_rl("ALIVE from %s refused", addr_str(&r->src));
		return;
	}
	mcn.n.alive++;
	cnmn->seen_ms = loop_now_ms();
	fwd_again(cnmn);
	for (i = 0; i < MCN_MAX_HELD; i++) {
		struct mcn_held *h = &mcn.held[i];

		if (!h->used || h->cnmn != cnmn)
			continue;
		timer_cancel(&h->timer);
		mcn_exch0(&h->r, cnmn);
		held_free(h);
	}
}

/* KEYS_ACK = {Src=CN_HoA, Des=CN_HA, e(k_CN, HoA, CN_HoA, N, status)} */
void mcn_ha_keys_ack(struct rx *r)
{
	struct ha_mn *cnmn = ha_mn_by_hoa(&r->src);
	struct cbu_keys_ack_pt pt;
	struct in6_addr hoa;
	struct mcn_pair *p;

	if (!mcn.on || !cnmn || !is_mcn(&cnmn->hoa) ||
	    !ha_open(cnmn, &r->msg, &pt, sizeof(pt)) ||
	    memcmp(pt.cn_hoa, &cnmn->hoa, 16)) {
		mcn.n.keys_ack_bad++;
		log_info_rl("KEYS_ACK from %s refused", addr_str(&r->src));
		goto out;
	}
	cnmn->seen_ms = loop_now_ms();
	memcpy(&hoa, pt.hoa, 16);
	p = pair_find(&hoa, cnmn);
	if (!p || !p->pending ||
	    sodium_memcmp(pt.n, p->keys.n, CBU_NONCE_LEN)) {
		/* For a KEYS sent twice, or given up: nothing to do. */
		log_debug("KEYS_ACK from %s for %s: not for a KEYS waiting",
			  addr_str(&r->src), addr_str(&hoa));
		goto out;
	}
	timer_cancel(&p->retry);
	p->pending = false;
	if (pt.status != CBU_BA_ACCEPTED) {
		mcn.n.keys_refused++;
		log_warn("%s refused the keys for %s (%u): no EXCH1",
			 addr_str(&cnmn->hoa), addr_str(&hoa), pt.status);
		pair_done(p);
		goto out;
	}
	mcn.n.keys_acked++;
	p->acked = true;
	memcpy(p->k_bu, p->keys.k_bu, CBU_KEY_LEN);
	memcpy(p->k_ba, p->keys.k_ba, CBU_KEY_LEN);
	memcpy(p->k_en, p->keys.k_en, CBU_KEY_LEN);
	if (!p->rekey)
		memcpy(p->k_master, p->k_master_new, CBU_KEY_LEN);
	sodium_memzero(p->k_master_new, CBU_KEY_LEN);
	sodium_memzero(&p->keys, sizeof(p->keys));
	p->answered = true;
	if (p->rekey)
		mcn.n.exch1_rk_sent++;
	else
		mcn.n.exch1_sent++;
	log_info("%s has the keys for %s: %s sent, in %llu ms",
		 addr_str(&cnmn->hoa), addr_str(&hoa),
		 p->rekey ? "EXCH1'" : "EXCH1",
		 (unsigned long long)(loop_now_ms() - p->keys_ms));
	reply_send(p);
	timer_arm(&p->retry, MCN_EXCH1_MS);
out:
	sodium_memzero(&pt, sizeof(pt));
}

/*
 * BU = {Src=CoA, Des=CN_HoA, HoA, Seq#, LT_BU, MAC_BU}, handed up by
 * cbu.ko: FWD = {HoA, CoA, MAC_BU, Seq#, LT_BU} to CN_MN through its
 * tunnel, if MAC_BU verifies under the k_BU it acknowledged.  The Seq#
 * window is CN_MN's.
 */
static void mcn_bu(struct rx *r, struct ha_mn *cnmn)
{
	const struct cbu_msg *bu = &r->msg;
	uint8_t mac[CBU_MAC_LEN];
	struct mcn_pair *p;
	struct cbu_fwd *f;
	struct cbu_msg m;

	p = r->has_hoa ? pair_find(&r->hoa, cnmn) : NULL;
	if (!p || !p->acked || !bu->has_auth) {
		mcn.n.fwd_unknown++;
		log_info_rl("BU from %s for %s: no keys of that pair",
			    addr_str(&r->src), addr_str(&r->dst));
		return;
	}
	cbu_mac_bu(mac, p->k_bu, r->hoa.s6_addr, r->src.s6_addr, bu->seq,
		   bu->lifetime);
	if (sodium_memcmp(mac, bu->auth, CBU_MAC_LEN)) {
		mcn.n.fwd_bad_mac++;
		log_info_rl("BU from %s for %s: bad MAC", addr_str(&r->src),
			    addr_str(&r->dst));
		return;
	}
	if (!cnmn->registered) {
		mcn.n.mcn_unregistered++;
		log_info_rl("BU for %s: not registered, not forwarded",
			    addr_str(&cnmn->hoa));
		return;
	}
	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_FWD);
	f = &m.body.fwd;
	memcpy(f->hoa, &r->hoa, 16);
	memcpy(f->coa, &r->src, 16);
	memcpy(f->mac, bu->auth, CBU_MAC_LEN);
	f->seq = htons(bu->seq);
	f->lifetime = htons(bu->lifetime);
	if (!io_send(&agent.cfg.ha.address, &cnmn->hoa, &m))
		mcn.n.fwd++;
	/* The mobile node ends the binding: the pair's keys go. */
	if (!bu->lifetime) {
		pair_free(p);
		return;
	}
	p->fwd = m.body.fwd;
	p->fwd_ms = loop_now_ms();
}

bool mcn_ha_mh(struct rx *r)
{
	struct ha_mn *cnmn;

	if (!mcn.on || !is_mcn(&r->dst))
		return false;
	cnmn = ha_mn_by_hoa(&r->dst);
	if (!cnmn)
		return false;
	if (r->msg.type == CBU_MH_BU) {
		mcn_bu(r, cnmn);
		return true;
	}
	if (r->msg.type != CBU_MH_EXP)
		return false;
	switch (r->msg.subtype) {
	case CBU_SUB_COOKIE0:
	case CBU_SUB_EXCH0:
		if (!cnmn->registered) {
			/* Nowhere to send the keys: not worth a signature. */
			mcn.n.mcn_unregistered++;
			log_info_rl("%s for %s: not registered",
				    cbu_msg_name(r->msg.type, r->msg.subtype, 0),
				    addr_str(&r->dst));
		} else if (r->msg.subtype == CBU_SUB_COOKIE0) {
			/* Silent a while: is it there?  COOKIE1 goes anyway. */
			if (!is_alive(cnmn))
				test_send(cnmn);
			mcn_cookie0(r);
		} else if (!is_alive(cnmn) && cnx_cookie_ok(&mcn.x, r)) {
			exch0_hold(r, cnmn);
		} else {
			mcn_exch0(r, cnmn);
		}
		return true;
	case CBU_SUB_EXCH0_RK:
		if (!cnmn->registered) {
			mcn.n.mcn_unregistered++;
			log_info_rl("EXCH0' for %s: not registered",
				    addr_str(&r->dst));
		} else {
			mcn_exch0_rk(r, cnmn);
		}
		return true;
	default:
		return false;
	}
}

void mcn_ha_mn_end(const struct ha_mn *mn)
{
	unsigned int i;

	if (!mcn.pairs)
		return;
	for (i = 0; i < MCN_MAX_PAIRS; i++)
		if (mcn.pairs[i].used && mcn.pairs[i].cnmn == mn)
			pair_free(&mcn.pairs[i]);
	for (i = 0; i < MCN_MAX_HELD; i++)
		if (mcn.held[i].used && mcn.held[i].cnmn == mn)
			held_free(&mcn.held[i]);
}

static const struct counter mcn_counters[] = {
	CNX_COUNTER(mcn_counters, cookie0, "  mobile-cn: cookie0 %llu"),
	CNX_COUNTER(mcn_counters, exch0, " exch0 %llu"),
	COUNTER(mcn_counters, exch0_repeated, " exch0-repeated %llu"),
	COUNTER(mcn_counters, exch0_waiting, " exch0-waiting %llu"),
	COUNTER(mcn_counters, keys, " keys %llu"),
	COUNTER(mcn_counters, keys_resent, " keys-resent %llu"),
	COUNTER(mcn_counters, keys_acked, " keys-acked %llu"),
	COUNTER(mcn_counters, exch1_sent, " exch1-sent %llu"),
	COUNTER(mcn_counters, fwd, " fwd %llu"),
	COUNTER(mcn_counters, fwd_again, " fwd-again %llu"),
	CNX_COUNTER(mcn_counters, sig_checks, " sig-checks %llu"),
	CNX_COUNTER(mcn_counters, cert_cache_hits, " cert-cache-hits %llu"),
	COUNTER(mcn_counters, rekey, " rekey %llu"),
	COUNTER(mcn_counters, exch1_rk_sent, " exch1-rk-sent %llu"),
	COUNTER(mcn_counters, test, " test %llu"),
	COUNTER(mcn_counters, alive, " alive %llu\n"),
	CNX_COUNTER(mcn_counters, bad_cookie, "  mobile-cn refused: bad-cookie %llu"),
	CNX_COUNTER(mcn_counters, bad_cert, " bad-cert %llu"),
	CNX_COUNTER(mcn_counters, expired_cert, " expired-cert %llu"),
	CNX_COUNTER(mcn_counters, wrong_prefix, " wrong-prefix %llu"),
	CNX_COUNTER(mcn_counters, bad_sig, " bad-sig %llu"),
	CNX_COUNTER(mcn_counters, bad_dh, " bad-dh %llu"),
	COUNTER(mcn_counters, keys_refused, " keys-refused %llu"),
	COUNTER(mcn_counters, keys_timeouts, " keys-timeouts %llu"),
	COUNTER(mcn_counters, keys_ack_bad, " keys-ack-bad %llu"),
	COUNTER(mcn_counters, fwd_bad_mac, " fwd-bad-mac %llu"),
	COUNTER(mcn_counters, fwd_unknown, " fwd-unknown %llu"),
	COUNTER(mcn_counters, mcn_unregistered, " unregistered %llu"),
	COUNTER(mcn_counters, rekey_bad, " rekey-bad %llu"),
	COUNTER(mcn_counters, rekey_unknown, " rekey-unknown %llu"),
	COUNTER(mcn_counters, alive_bad, " alive-bad %llu"),
	COUNTER(mcn_counters, not_alive, " not-alive %llu\n"),
};

void mcn_ha_status(void)
{
	unsigned int i, n = 0;

	if (!mcn.on)
		return;
	for (i = 0; i < MCN_MAX_PAIRS; i++)
		n += mcn.pairs[i].used && mcn.pairs[i].acked;
	open_json_object("mobile_cn");
	print_string(PRINT_FP, NULL, "%s", "  mobile-cn");
	open_json_array(PRINT_JSON, "nodes");
	for (i = 0; i < agent.cfg.ha.n_mcns; i++) {
		const struct ha_mn *cnmn = ha_mn_by_hoa(&agent.cfg.ha.mcns[i]);

		if (!cnmn)
			continue;
		open_json_object(NULL);
		print_string(PRINT_ANY, "hoa", " %s", addr_str(&cnmn->hoa));
		/* Since its last REG, KEYS_ACK or ALIVE. */
		if (cnmn->seen_ms)
			print_u64(PRINT_ANY, "silent_ms", " silent %llu ms",
				  loop_now_ms() - cnmn->seen_ms);
		close_json_object();
	}
	close_json_array(PRINT_JSON, NULL);
	print_uint(PRINT_ANY, "pairs", " pairs %u\n", n);
	print_counters(&mcn.n, mcn_counters, ARRAY_SIZE(mcn_counters));
	close_json_object();
}

/* The `cn` certificate, which must cover each mobile correspondent. */
static int mcn_load(struct creds *cr)
{
	const struct agent_config *c = &agent.cfg;
	const char *why = NULL;
	unsigned int i;

	if (creds_load(cr, c->ha.cn_private_key, c->ha.cn_certificate))
		return -1;
	for (i = 0; i < c->ha.n_mcns; i++) {
		if (!cbu_cert_verify_cn(&cr->cert, cr->ca_pub,
					c->ha.mcns[i].s6_addr,
					(uint64_t)time(NULL), &why))
			continue;
		log_err("%s: for mobile-cn %s: %s", c->ha.cn_certificate,
			addr_str(&c->ha.mcns[i]), why);
		creds_wipe(cr);
		return -1;
	}
	return 0;
}

int mcn_ha_check(void)
{
	struct creds cr;
	int ret;

	if (!agent.cfg.ha.n_mcns)
		return 0;
	ret = mcn_load(&cr);
	creds_wipe(&cr);
	return ret;
}

int mcn_ha_reload_load(struct creds *cr)
{
	return mcn.on ? mcn_load(cr) : 0;
}

void mcn_ha_reload_take(const struct creds *cr)
{
	if (!mcn.on)
		return;
	/* The Cert_HAs verified under the CA key stay cached by its hash. */
	creds_wipe(&mcn.x.cr);
	mcn.x.cr = *cr;
	log_info("mobile correspondents: cn certificate %s",
		 agent.cfg.ha.cn_certificate);
}

int mcn_ha_init(void)
{
	if (!agent.cfg.ha.n_mcns)
		return 0;
	mcn.x.n = &mcn.n.x;
	mcn.pairs = calloc(MCN_MAX_PAIRS, sizeof(*mcn.pairs));
	mcn.held = calloc(MCN_MAX_HELD, sizeof(*mcn.held));
	if (!mcn.pairs || !mcn.held || mcn_load(&mcn.x.cr) ||
	    cnx_init(&mcn.x, MCN_CERT_CACHE))
		return -1;
	mcn.on = true;
	log_info("home agent of %u mobile correspondent%s",
		 agent.cfg.ha.n_mcns, agent.cfg.ha.n_mcns == 1 ? "" : "s");
	return 0;
}

void mcn_ha_fini(void)
{
	unsigned int i;

	if (mcn.pairs) {
		for (i = 0; i < MCN_MAX_PAIRS; i++)
			pair_free(&mcn.pairs[i]);
		free(mcn.pairs);
	}
	if (mcn.held) {
		for (i = 0; i < MCN_MAX_HELD; i++)
			held_free(&mcn.held[i]);
		free(mcn.held);
	}
	cnx_fini(&mcn.x);
	sodium_memzero(&mcn, sizeof(mcn));
}
