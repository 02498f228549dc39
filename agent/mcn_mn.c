// SPDX-License-Identifier: GPL-2.0
/*
 * A mobile node that accepts correspondents (draft section 4, CN_MN;
 * `accept-correspondents = yes`; the design is
 * Documentation/design/mobile-cn.md).  Our home agent, CN_HA, runs the
 * exchange with a mobile node's home agent for our home address, and
 * hands us the keys:
 *
 *   KEYS = e(k_CN, HoA, CN_HoA, N, k_BU, k_BA, k_EN, LT_EN), through our
 *   home tunnel, k_CN our k_HA -> keys into cbu.ko (the mobile node's HoA,
 *   our HoA, role cn) -> KEYS_ACK = e(k_CN, HoA, CN_HoA, N, status).
 *
 * cbu.ko does the rest at line rate: it holds our (HoA, CoA) pair, takes
 * the FWD that CN_HA makes of the mobile node's BU, checks MAC_BU and the
 * Seq#, binds, and answers the BA from our care-of address.  Once bound,
 * we build the ESP path from our CoA to the mobile node's, keyed from
 * k_EN; cbu.ko moves its far end when the mobile node moves, and its near
 * end when we do (the own pair).
 *
 * KEYS: the last 4 N per mobile node are kept.  The last one again is a
 * resend (our KEYS_ACK was lost): acknowledged again, sealed anew, nothing
 * installed.  An older one is CN_HA's late copy: ignored (kha.pml).
 *
 * A TEST from our home agent is answered with an ALIVE (one a second).
 *
 * When we move, each mobile node bound with us learns our new CoA from a
 * Binding Refresh Request from our home address (through our tunnel and
 * CN_HA), sent once our new registration holds: its BU comes back as a
 * FWD, whose BA goes from the new CoA.  Sent at 0, 1, 2 and 4 s until
 * that mobile node's binding is updated.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "agent.h"
#include "cnx.h"
#include "dp.h"
#include "lib/crypto.h"
#include "lib/json_print.h"
#include "log.h"
#include "loop.h"
#include "mcn.h"
#include "rekey.h"

#define MCN_MAX_PEERS	256
#define MCN_REQID	0x32000
#define MCN_NS		4	/* KEYS nonces kept per mobile node */
#define MCN_BRR_MS	1000
#define MCN_BRR_TRIES	4

struct mcn_peer {
	bool used;
	struct in6_addr hoa;		/* the mobile node's */
	bool keyed;
	uint8_t k_bu[CBU_KEY_LEN];	/* the same again: a rekey */
	uint8_t k_ba[CBU_KEY_LEN];
	uint8_t k_en[CBU_KEY_LEN];
	uint32_t lt_en;			/* seconds */
	uint32_t reqid;
	uint8_t ns[MCN_NS][CBU_NONCE_LEN];	/* [0] the last */
	unsigned int n_ns;
	bool bound, path;
	struct in6_addr coa;		/* its CoA, once bound */
	bool tell;			/* we moved: a BRR once registered */
	int brr_tries;
	struct timer brr;
	struct rk rk;			/* a k_EN rekey under way */
};

static struct {
	bool on;
	struct in6_addr coa;		/* ours, in cbu.ko's own pair */
	bool has_coa;
	struct mcn_peer peers[MCN_MAX_PEERS];
	struct mcn_mn_counters {
		uint64_t keys, keys_dup, keys_stale, keys_bad,
			 keys_kernel_failed, paths, brr_sent, bc_timeouts,
			 rekey, switch_seen, switch_timeout, alive;
	} n;
	uint64_t alive_ms;		/* our last ALIVE */
} mcn;

static const struct in6_addr *own_hoa(void)
{
	return &agent.cfg.mn.hoa;
}

static void brr_cb(struct timer *t);

/* Our side of the ESP path to @p, where it is now. */
static void path_of(const struct mcn_peer *p, struct dp_ro *ro)
{
	memset(ro, 0, sizeof(*ro));
	ro->cn_side = true;
	ro->local = mcn.coa;
	ro->remote = p->coa;
	ro->hoa = p->hoa;
	ro->cn = *own_hoa();
	ro->reqid = p->reqid;
}

/* For rekey.c: the path of @rk's mobile node now, and its k_EN. */
static void rk_path(const struct rk *rk, struct dp_ro *ro,
		    const uint8_t **k_en, uint32_t *lt_en)
{
	const struct mcn_peer *p = container_of(rk, struct mcn_peer, rk);

	path_of(p, ro);
	*k_en = p->k_en;
	*lt_en = p->lt_en;
}

static struct mcn_peer *peer_get(const struct in6_addr *hoa, bool create)
{
	struct mcn_peer *free_slot = NULL;
	unsigned int i;

	for (i = 0; i < MCN_MAX_PEERS; i++) {
		if (mcn.peers[i].used && !memcmp(&mcn.peers[i].hoa, hoa, 16))
			return &mcn.peers[i];
		if (!mcn.peers[i].used && !free_slot)
			free_slot = &mcn.peers[i];
	}
	if (!create || !free_slot)
		return NULL;
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->used = true;
	free_slot->brr.cb = brr_cb;
	free_slot->rk.path = rk_path;
	free_slot->rk.n_seen = &mcn.n.switch_seen;
	free_slot->rk.n_timeout = &mcn.n.switch_timeout;
	free_slot->hoa = *hoa;
	free_slot->reqid = MCN_REQID + (uint32_t)(free_slot - mcn.peers);
	return free_slot;
}

/* The keys in cbu.ko, the path and the slot of @p go. */
static void peer_release(struct mcn_peer *p)
{
	struct cbu_genl_err err;
	int ret;

	timer_cancel(&p->brr);
	rk_end(&p->rk);
	ret = cbu_key_del(&agent.genl, &p->hoa, own_hoa(), &err);
	if (ret && ret != -ENOENT)
		log_warn("cbu.ko: keys of %s: %s %s", addr_str(&p->hoa),
			 strerror(-ret), err.msg);
	dp_flush(p->reqid);
	sodium_memzero(p, sizeof(*p));
}

/* A KEYS' LT_EN, in seconds (4-second units on the wire). */
static uint32_t keys_lt_en(const struct cbu_keys_pt *pt)
{
	return (uint32_t)ntohs(pt->lt_en) * 4;
}

/* KEYS_ACK = {Src=CN_HoA, Des=CN_HA, e(k_CN, HoA, CN_HoA, N, status)} */
static void keys_ack(const struct cbu_keys_pt *keys, uint8_t status)
{
	struct cbu_keys_ack_pt pt;

	memset(&pt, 0, sizeof(pt));
	memcpy(pt.hoa, keys->hoa, 16);
	memcpy(pt.cn_hoa, keys->cn_hoa, 16);
	memcpy(pt.n, keys->n, CBU_NONCE_LEN);
	pt.status = status;
	mn_ha_send(CBU_SUB_KEYS_ACK, &pt, sizeof(pt));
}

/*
 * A KEYS with the k_BU and k_BA we hold: a k_EN rekey (design item 38).
 * We listen on k_EN-new before we acknowledge, as a fixed correspondent
 * does before its EXCH1': the mobile node gets it after our KEYS_ACK, and
 * sends under it at once.
 */
static void keys_rekey(struct mcn_peer *p, const struct cbu_keys_pt *pt)
{
	if (p->path && rk_listen(&p->rk, p->k_en, pt->k_en)) {
		mcn.n.keys_kernel_failed++;
		keys_ack(pt, CBU_BA_INSUFFICIENT_RESOURCES);
		return;
	}
	memcpy(p->k_en, pt->k_en, CBU_KEY_LEN);
	p->lt_en = keys_lt_en(pt);
	mcn.n.rekey++;
	log_info("KEYS: k_EN of %s renewed, KEYS_ACK sent", addr_str(&p->hoa));
	keys_ack(pt, CBU_BA_ACCEPTED);
}

/* KEYS = {Src=CN_HA, Des=CN_HoA, e(k_CN, HoA, CN_HoA, N, keys, LT_EN)} */
void mcn_mn_keys(struct rx *r)
{
	struct cbu_keys_pt pt;
	struct mcn_peer *p;
	struct in6_addr hoa;
	bool created = false;
	unsigned int i;

	if (!mcn.on)
		return;
	if (memcmp(&r->dst, own_hoa(), 16) ||
	    memcmp(&r->src, &agent.cfg.mn.ha, 16) ||
	    mn_ha_open(&r->msg, &pt, sizeof(pt)) ||
	    memcmp(pt.cn_hoa, own_hoa(), 16)) {
		mcn.n.keys_bad++;
		log_info_rl("KEYS from %s refused", addr_str(&r->src));
		goto out;
	}
	memcpy(&hoa, pt.hoa, 16);
	p = peer_get(&hoa, false);
	if (p && p->n_ns && !sodium_memcmp(p->ns[0], pt.n, CBU_NONCE_LEN)) {
		/*
		 * Our KEYS_ACK was lost: again, sealed under today's k_HA.
		 * Of a rekey: the mobile node cannot have k_EN-new before it.
		 */
		mcn.n.keys_dup++;
		if (p->rk.on)
			rk_again(&p->rk);
		keys_ack(&pt, CBU_BA_ACCEPTED);
		goto out;
	}
	for (i = 1; p && i < p->n_ns; i++) {
		if (sodium_memcmp(p->ns[i], pt.n, CBU_NONCE_LEN))
			continue;
		/* A late copy of a KEYS before the last: its keys are old. */
		mcn.n.keys_stale++;
		log_info_rl("KEYS for %s: an old one", addr_str(&hoa));
		goto out;
	}
	if (!p) {
		p = peer_get(&hoa, true);
		created = p;
	}
	if (!p) {
		log_warn_rl("KEYS for %s: too many correspondents' peers",
			    addr_str(&hoa));
		keys_ack(&pt, CBU_BA_INSUFFICIENT_RESOURCES);
		goto out;
	}
	memmove(p->ns[1], p->ns[0], (MCN_NS - 1) * CBU_NONCE_LEN);
	memcpy(p->ns[0], pt.n, CBU_NONCE_LEN);
	if (p->n_ns < MCN_NS)
		p->n_ns++;
	if (p->keyed && !sodium_memcmp(p->k_bu, pt.k_bu, CBU_KEY_LEN) &&
	    !sodium_memcmp(p->k_ba, pt.k_ba, CBU_KEY_LEN)) {
		keys_rekey(p, &pt);
		goto out;
	}
	if (cnx_keys_install(&p->hoa, own_hoa(), pt.k_bu, pt.k_ba,
			     keys_lt_en(&pt),
			     agent.cfg.mn.max_lifetime, p->reqid)) {
		mcn.n.keys_kernel_failed++;
		keys_ack(&pt, CBU_BA_INSUFFICIENT_RESOURCES);
		/* Nothing of it stays: a slot made for it goes. */
		if (created)
			sodium_memzero(p, sizeof(*p));
		goto out;
	}
	/* New keys, new path: the BU they bring builds it. */
	timer_cancel(&p->brr);
	rk_end(&p->rk);
	dp_flush(p->reqid);
	p->path = false;
	p->bound = false;
	p->keyed = true;
	memcpy(p->k_bu, pt.k_bu, CBU_KEY_LEN);
	memcpy(p->k_ba, pt.k_ba, CBU_KEY_LEN);
	memcpy(p->k_en, pt.k_en, CBU_KEY_LEN);
	p->lt_en = keys_lt_en(&pt);
	mcn.n.keys++;
	log_info("KEYS: keys for %s installed, KEYS_ACK sent",
		 addr_str(&hoa));
	keys_ack(&pt, CBU_BA_ACCEPTED);
out:
	sodium_memzero(&pt, sizeof(pt));
}

/*
 * ALIVE = {Src=CN_HoA, Des=CN_HA, N3}, through our tunnel, one a second at
 * most (@force: whatever the last).  N3 is random: the draft gives it no
 * use, and CN_HA ignores it.
 */
static void alive_send(bool force)
{
	uint64_t now = loop_now_ms();
	struct cbu_msg m;

	if (!force && mcn.alive_ms && now - mcn.alive_ms < 1000)
		return;
	mcn.alive_ms = now;
	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_ALIVE);
	cbu_random(m.body.alive.n3, CBU_NONCE_LEN);
	if (!io_send(own_hoa(), &agent.cfg.mn.ha, &m))
		mcn.n.alive++;
}

/* TEST = {Src=CN_HA, Des=CN_HoA, test_flag}, through our tunnel. */
void mcn_mn_test(struct rx *r)
{
	if (!mcn.on || memcmp(&r->dst, own_hoa(), 16) ||
	    memcmp(&r->src, &agent.cfg.mn.ha, 16) ||
	    r->msg.body.test.flag != CBU_TEST_FLAG)
		return;
	alive_send(false);
}

/* BRR = {Src=CN_HoA, Des=CoA}: come and bind with our new CoA. */
static void brr_cb(struct timer *t)
{
	struct mcn_peer *p = container_of(t, struct mcn_peer, brr);
	struct cbu_msg m;

	if (!p->bound || p->brr_tries >= MCN_BRR_TRIES)
		return;
	cbu_msg_init(&m, CBU_MH_BRR, 0);
	if (!io_send(own_hoa(), &p->coa, &m))
		mcn.n.brr_sent++;
	timer_arm(t, (uint64_t)MCN_BRR_MS << p->brr_tries++);
}

void mcn_mn_registered(bool moved)
{
	unsigned int i;

	if (!mcn.on)
		return;
	/*
	 * After a move, an ALIVE tells CN_HA that our side of the new
	 * tunnel is up: it sends again through it the FWD it sent to where
	 * we were (mcn_ha.c).
	 */
	if (moved)
		alive_send(true);
	for (i = 0; i < MCN_MAX_PEERS; i++) {
		struct mcn_peer *p = &mcn.peers[i];

		/* Those whose BA came from where we were. */
		if (!p->used || !p->bound || !p->tell)
			continue;
		p->tell = false;
		p->brr_tries = 0;
		brr_cb(&p->brr);
	}
}

void mcn_mn_coa(const struct in6_addr *coa)
{
	struct cbu_genl_err err;
	struct cbu_own own;
	unsigned int i;
	bool moved;
	int ret;

	if (!mcn.on)
		return;
	moved = mcn.has_coa && memcmp(&mcn.coa, coa, 16);
	/*
	 * cbu.ko moves one state of a path each way: a rekey under way
	 * ends now, its old states gone before it moves them.
	 */
	for (i = 0; moved && i < MCN_MAX_PEERS; i++)
		if (mcn.peers[i].used)
			rk_switch(&mcn.peers[i].rk);
	memset(&own, 0, sizeof(own));
	own.hoa = *own_hoa();
	own.coa = *coa;
	own.has_coa = true;
	/* cbu.ko moves the near end of every path, and answers from it. */
	ret = cbu_own_set(&agent.genl, &own, &err);
	if (ret) {
		log_err("cbu.ko: own addresses: %s %s", strerror(-ret),
			err.msg);
		return;
	}
	mcn.coa = *coa;
	mcn.has_coa = true;
	if (!moved)
		return;
	/*
	 * Each bound mobile node is told once the home tunnel from here
	 * holds (mcn_mn_registered()): a BRR sent before would leave by the
	 * old one.
	 */
	for (i = 0; i < MCN_MAX_PEERS; i++) {
		struct mcn_peer *p = &mcn.peers[i];

		if (p->used && p->bound) {
			timer_cancel(&p->brr);
			p->tell = true;
		}
	}
}

void mcn_mn_event(const struct cbu_event_info *ev)
{
	const struct cbu_binding_info *b = &ev->b;
	struct mcn_peer *p;
	struct dp_ro ro;

	if (!mcn.on || b->role != CBU_ROLE_CN || memcmp(&b->cn, own_hoa(), 16))
		return;
	p = peer_get(&b->hoa, false);
	if (!p)
		return;
	switch (ev->event) {
	case CBU_EVENT_BC_TIMEOUT:
		/* No BC came: a BRR asks for a new BU (cn.c does the same). */
		if (b->has & CBU_HAS(CBU_A_BCE_COA)) {
			struct cbu_msg m;

			cbu_msg_init(&m, CBU_MH_BRR, 0);
			if (!io_send(own_hoa(), &b->coa, &m))
				mcn.n.bc_timeouts++;
		}
		break;
	case CBU_EVENT_CREATED:
	case CBU_EVENT_UPDATED:
		/* A FWD after we moved: that one knows our new CoA. */
		timer_cancel(&p->brr);
		p->tell = false;
		p->bound = true;
		if (p->path) {
			/* cbu.ko moves it itself, one state a way. */
			if (memcmp(&p->coa, &b->coa, 16)) {
				p->coa = b->coa;
				rk_moved(&p->rk);
			}
			break;
		}
		p->coa = b->coa;
		if (!mcn.has_coa)
			break;
		path_of(p, &ro);
		if (!dp_ro_add(&ro, p->k_en, p->lt_en)) {
			p->path = true;
			mcn.n.paths++;
			log_info("ESP path from %s to %s at %s",
				 addr_str(&mcn.coa), addr_str(&b->hoa),
				 addr_str(&b->coa));
		}
		break;
	case CBU_EVENT_EXPIRED:
		/* cbu.ko removed the path with the binding. */
		rk_end(&p->rk);
		p->path = false;
		p->bound = false;
		timer_cancel(&p->brr);
		break;
	case CBU_EVENT_DELETED:
		log_info("%s: binding ended, keys removed", addr_str(&p->hoa));
		peer_release(p);
		break;
	default:
		break;
	}
}

static const struct counter mcn_counters[] = {
	COUNTER(mcn_mn_counters, keys, "  correspondents: keys %llu"),
	COUNTER(mcn_mn_counters, keys_dup, " keys-dup %llu"),
	COUNTER(mcn_mn_counters, keys_stale, " keys-stale %llu"),
	COUNTER(mcn_mn_counters, paths, " paths %llu"),
	COUNTER(mcn_mn_counters, brr_sent, " brr-sent %llu"),
	COUNTER(mcn_mn_counters, bc_timeouts, " bc-timeouts %llu"),
	COUNTER(mcn_mn_counters, rekey, " rekey %llu"),
	COUNTER(mcn_mn_counters, alive, " alive %llu"),
	COUNTER(mcn_mn_counters, switch_seen, " switch-seen %llu"),
	COUNTER(mcn_mn_counters, switch_timeout, " switch-timeout %llu"),
	COUNTER(mcn_mn_counters, keys_bad, " refused: keys %llu"),
	COUNTER(mcn_mn_counters, keys_kernel_failed,
		" keys-kernel-failed %llu\n"),
};

void mcn_mn_status(void)
{
	unsigned int i, n = 0;

	if (!mcn.on)
		return;
	for (i = 0; i < MCN_MAX_PEERS; i++)
		n += mcn.peers[i].used;
	open_json_object("as_correspondent");
	print_uint(PRINT_ANY, "peers", "  correspondent of %u\n", n);
	print_counters(&mcn.n, mcn_counters, ARRAY_SIZE(mcn_counters));
	close_json_object();
}

int mcn_mn_init(void)
{
	if (!agent.cfg.mn.accept_cns)
		return 0;
	/* What a killed instance left is ours to remove. */
	dp_flush_range(MCN_REQID, MCN_REQID + MCN_MAX_PEERS - 1);
	mcn.on = true;
	return 0;
}

void mcn_mn_fini(void)
{
	struct cbu_genl_err err;
	struct cbu_own own;
	unsigned int i;

	if (!mcn.on)
		return;
	for (i = 0; i < MCN_MAX_PEERS; i++)
		if (mcn.peers[i].used)
			peer_release(&mcn.peers[i]);
	if (mcn.has_coa) {
		memset(&own, 0, sizeof(own));
		own.hoa = *own_hoa();
		cbu_own_set(&agent.genl, &own, &err);
	}
	sodium_memzero(&mcn, sizeof(mcn));
}
