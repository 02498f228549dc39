// SPDX-License-Identifier: GPL-2.0
/*
 * The mobile node's HMIPv6 part (draft section 5; design/hmip.md items
 * 49, 51, 52; the wire: wire-format.md 4.21, 4.21a, 9.7), with
 * `[mobile-node] map = ADDRESS`: every on-link care-of address (LCoA) is
 * under that MAP; or `map = discover`: under the MAP its link's Router
 * Advertisements name.  mn.c hands it each new LCoA (hm_lcoa()); it hands
 * mn.c the care-of address to register (mn_coa_set()).
 *
 * Discovered: each interface keeps, for each router whose last RA on it
 * named a MAP (HM_ROUTERS at most, by link-local source; a new one takes
 * the place of the option that ends first), the best MAP option of that
 * RA (the highest Pref, never 0, until its valid lifetime ends).  The
 * link's MAP is the best of its routers', the one in use among equals:
 * a router that names none, beside one that does, changes nothing.  A new
 * LCoA on an interface that has none sends an RS and waits HM_RS_WAIT_MS
 * (or the RA that answers).  Then its link's MAP, ours: a local move;
 * another: a lifetime-0 BU to ours, once, and entering that one; none:
 * leaving, the same BU, a plain move (CoA = LCoA) and cbu-hm0 gone.  An
 * RA that changes the MAP of the LCoA's link, or the end of an option's
 * lifetime that does, is the same choice.  The option is unauthenticated:
 * the MAP is trusted once its BA verifies, as a configured one is.  A
 * host on the link that sends RAs from four sources, with options that
 * outlast the real router's, takes its place (it could make the node
 * leave before this table, with one RA).
 *
 * Entering (no binding at the MAP): a local BU {Src=LCoA, Des=MAP,
 * HAO=RCoA, HoA, N_MAP, HA, g^a, SIG_MN, Cert_MN}.  The first, without an
 * N_MAP, gets a 138 that brings one, and goes again with it.  The BA that
 * binds is signed (SIG_MAP, a Cert_MAP of the CA's key covering the MAP
 * and the RCoA) and brings g^b: k_LBA = kdf(g^ab, N_MAP, g^a, g^b).  Then
 * cbu-hm0 (dp_hm_up()) and a normal move with CoA = the RCoA: REG from it,
 * a BU to each correspondent, the ESP paths moved.  The home agent and the
 * correspondents see the RCoA only.
 *
 * A local move (bound, a new LCoA): the tunnel's local end follows
 * (dp_hm_move(), one RTM_NEWLINK), then the local BU (Seq# + 1, the last
 * N_MAP, no g^a), whose BA is MAC'd under k_LBA.  Nobody else hears of it.
 *
 * A BU round: BUs at 0, 1 and 3 s (each with a new Seq#, RFC 6275 11.8),
 * until a BA to the one in flight verifies; none 4 s after the third:
 * `map-failed`, a plain move with CoA = LCoA, and the MAP left 60 s.  The
 * answers: 138 (its new N_MAP: again at once; signed while we hold a key,
 * the MAP lost it, it restarted: again with g^a), 135 (the MAP's Seq#:
 * again after it), 134 (the RCoA is another's: a random one, entering
 * again); another refusal is map-failed.  The binding is refreshed at 3/4
 * of LT_BA; at exit a lifetime-0 BU goes, once.
 *
 * Nothing unauthenticated is taken: each BA of the MAP is signed or MAC'd
 * (wire-format.md 9.7, cbu_hmip_ba_verify()), and must answer the Seq# of
 * the BU in flight (a 135: name a later one), to the LCoA it left from;
 * a signed one covers that BU's g^a as well.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "agent.h"
#include "dp.h"
#include "hm.h"
#include "kernel/mh.h"
#include "lib/cert.h"
#include "lib/crypto.h"
#include "lib/json_print.h"
#include "log.h"
#include "loop.h"

#define HM_TRIES	3	/* BUs a round, at 0, 1 and 3 s */
#define HM_RETRY_MS	1000
#define HM_REST_MS	60000	/* a MAP that failed is left so long */
#define HM_ANSWERS	3	/* 138s and 135s acted on, a round */
#define HM_WARN_S	(7 * 86400)	/* Cert_MN's end, warned so long before */
#define HM_RS_WAIT_MS	500	/* a new LCoA's RS, answered or not */
#define HM_ROUTERS	4	/* routers remembered a link */

enum hm_state {
	HM_OFF,		/* no binding: not entered yet, or the MAP left */
	HM_ENTERING,	/* entry BUs: the CoA is still what it was */
	HM_BOUND,	/* the RCoA is the CoA */
};

static const char *const hm_states[] = {
	[HM_OFF] = "off", [HM_ENTERING] = "entering", [HM_BOUND] = "bound",
};

/* What a router's last RA on a link said (discovered MAPs). */
struct hm_router {
	struct in6_addr src;		/* its link-local address */
	bool has_map;
	struct in6_addr map;
	uint8_t pref;
	uint64_t until_ms;		/* its valid lifetime's end */
};

struct hm_link {
	struct hm_router r[HM_ROUTERS];
};

static struct {
	bool on;			/* a MAP, and a Cert_MN in force */
	struct creds cr;		/* Cert_MN, SK_MN, the CA's key */
	enum hm_state state;
	struct in6_addr map;		/* configured, or the last discovered */
	bool has_lcoa;
	struct in6_addr lcoa;		/* where the BUs leave from */
	int ifindex;			/* the LCoA's */
	struct in6_addr rcoa;
	bool random_rcoa;		/* drawn after a 134 */
	bool has_key;
	uint8_t k_lba[CBU_KEY_LEN];
	uint8_t n_map[CBU_NONCE_LEN];	/* the last the MAP handed out */
	uint16_t seq;			/* of the last BU */
	/* The BU round under way. */
	bool waiting;
	bool unsent;			/* its last BU found no route */
	bool dh;			/* its BUs carry g^a */
	uint8_t a[CBU_KEY_LEN];
	uint8_t ga[CBU_DH_LEN];
	uint8_t bu_n_map[CBU_NONCE_LEN];	/* its last BU's N_MAP */
	int tries;
	int answers;
	uint64_t round_ms;		/* its first BU */
	uint64_t rest_until_ms;
	struct in6_addr rest_map;	/* the MAP left so long */
	struct timer timer;		/* a round's resends, the refresh, the rest */
	int tun;			/* cbu-hm0's ifindex, 0 if none */
	uint64_t local_bu_ba_ms;	/* the last round: first BU to BA */
	/* Discovered MAPs: by [mobile-node] interface. */
	struct hm_link links[CFG_MAX_IFACES];
	struct timer links_timer;	/* the first valid lifetime's end */
	bool rs_wait;			/* a new LCoA's RS, waited for */
	struct timer rs_timer;
	struct hm_counters {
		uint64_t local_moves, entries, map_ba, map_ba_bad, map_138,
			 map_failed, ra, ra_bad, rs, leaves;
	} n;
} hm;

static const struct in6_addr *map_addr(void)
{
	return &hm.map;
}

static bool discover(void)
{
	return agent.cfg.mn.map_discover;
}

static bool same(const struct in6_addr *a, const struct in6_addr *b)
{
	return !memcmp(a, b, sizeof(*a));
}

static uint16_t bu_lifetime(void)
{
	return (uint16_t)(agent.cfg.mn.lifetime / 4);
}

/*
 * The RCoA: `rcoa`, or the MAP's /64 and the LCoA's interface identifier
 * (RFC 5380), or one drawn at random after a 134.  A discovered MAP may
 * not be on the `rcoa`'s /64 (config.c checked a configured one): then
 * the RCoA is made.
 */
static void rcoa_pick(void)
{
	const struct agent_config *c = &agent.cfg;

	if (hm.random_rcoa)
		return;
	if (c->mn.has_rcoa && !same(&c->mn.rcoa, map_addr()) &&
	    cbu_prefix_covers(map_addr()->s6_addr, 64, c->mn.rcoa.s6_addr)) {
		hm.rcoa = c->mn.rcoa;
		return;
	}
	memcpy(hm.rcoa.s6_addr, map_addr()->s6_addr, 8);
	memcpy(hm.rcoa.s6_addr + 8, hm.lcoa.s6_addr + 8, 8);
}

static void rcoa_random(void)
{
	memcpy(hm.rcoa.s6_addr, map_addr()->s6_addr, 8);
	do {
		cbu_random(hm.rcoa.s6_addr + 8, 8);
	} while (same(&hm.rcoa, map_addr()) ||
		 sodium_is_zero(hm.rcoa.s6_addr + 8, 8));
	hm.random_rcoa = true;
}

static void key_drop(void)
{
	sodium_memzero(hm.k_lba, sizeof(hm.k_lba));
	hm.has_key = false;
}

/* --- local BUs ---------------------------------------------------------- */

/* The local BU of the round, Seq# hm.seq, for @lifetime units of 4 s. */
static void bu_send(uint16_t lifetime)
{
	const struct agent_config *c = &agent.cfg;
	struct cbu_hmip f;
	struct cbu_msg m;

	memset(&f, 0, sizeof(f));
	memcpy(f.lcoa, &hm.lcoa, CBU_ADDR_LEN);
	memcpy(f.map, map_addr(), CBU_ADDR_LEN);
	memcpy(f.hoa, &c->mn.hoa, CBU_ADDR_LEN);
	memcpy(f.rcoa, &hm.rcoa, CBU_ADDR_LEN);
	f.seq = hm.seq;
	f.flags = CBU_BU_F_A;
	f.lifetime = lifetime;
	memcpy(f.n_map, hm.n_map, CBU_NONCE_LEN);
	memcpy(f.ga, hm.ga, CBU_DH_LEN);
	memcpy(hm.bu_n_map, hm.n_map, CBU_NONCE_LEN);
	cbu_hmip_bu_make(&m, &f, c->mn.ha.s6_addr, hm.dh, &hm.cr.key,
			 hm.cr.cert_wire);
	hm.unsent = io_send_pkt(&hm.lcoa, map_addr(), &hm.rcoa, &m, NULL,
				NULL) != 0;
}

/* The BU again at once, with a new Seq# (the MAP may have taken the last). */
static void bu_again(void)
{
	hm.seq++;
	bu_send(bu_lifetime());
}

static void round_cb(struct timer *t);

/* A BU round: an entry (@dh: g^a, a new key), a move or a refresh. */
static void round_start(bool dh)
{
	hm.dh = dh;
	if (dh)
		cbu_dh_keypair(hm.ga, hm.a);
	else
		memset(hm.ga, 0, sizeof(hm.ga));
	hm.waiting = true;
	hm.tries = 0;
	hm.answers = 0;
	hm.round_ms = loop_now_ms();
	hm.timer.cb = round_cb;
	bu_again();
	timer_arm(&hm.timer, HM_RETRY_MS);
}

static void rest_cb(struct timer *t);

/*
 * No binding at the MAP any more: no round, no key.  With @plain, a plain
 * move with CoA = LCoA.  The tunnel goes after the move: the REG and BUs
 * of the move leave from the LCoA, and the ESP paths move off the RCoA
 * first.
 */
static void unbound(bool plain)
{
	hm.waiting = false;
	hm.state = HM_OFF;
	hm.random_rcoa = false;
	key_drop();
	sodium_memzero(hm.a, sizeof(hm.a));
	if (plain && hm.has_lcoa)
		mn_coa_set(&hm.lcoa);
	if (hm.tun) {
		dp_hm_down(hm.tun, &hm.rcoa);
		hm.tun = 0;
	}
}

/* The MAP did not bind us: a plain move, and the MAP left HM_REST_MS. */
static void map_failed(const char *why)
{
	log_warn("MAP %s: %s; a plain move, the MAP left %d s",
		 addr_str(map_addr()), why, HM_REST_MS / 1000);
	hm.n.map_failed++;
	hm.rest_until_ms = loop_now_ms() + HM_REST_MS;
	hm.rest_map = *map_addr();
	hm.timer.cb = rest_cb;
	timer_arm(&hm.timer, HM_REST_MS);
	unbound(true);
}

static bool resting(const struct in6_addr *map)
{
	return loop_now_ms() < hm.rest_until_ms && same(map, &hm.rest_map);
}

/*
 * Bound, told once that we are gone, from the LCoA of the moment: a
 * lifetime-0 BU (its BA is not waited for).
 */
static void unbind_send(void)
{
	if (hm.state != HM_BOUND || !hm.has_lcoa)
		return;
	hm.dh = false;
	hm.seq++;
	bu_send(0);
}

/* A round's resends; once bound, the refresh. */
static void round_cb(struct timer *t)
{
	if (!hm.waiting) {
		round_start(!hm.has_key);
		return;
	}
	if (++hm.tries >= HM_TRIES) {
		map_failed("no BA");
		return;
	}
	bu_again();
	timer_arm(t, (uint64_t)HM_RETRY_MS << hm.tries);
}

static void enter(void)
{
	hm.state = HM_ENTERING;
	rcoa_pick();
	log_info("entering MAP %s from %s, RCoA %s", addr_str(map_addr()),
		 addr_str(&hm.lcoa), addr_str(&hm.rcoa));
	round_start(true);
}

static void decide(void);

/* The rest after a failure is over: the MAP again, from where we are. */
static void rest_cb(struct timer *t)
{
	(void)t;
	hm.rest_until_ms = 0;
	if (!hm.has_lcoa || hm.state != HM_OFF)
		return;
	if (discover())
		decide();
	else
		enter();
}

/* Bound to a new LCoA: the tunnel first, so that traffic leaves from it. */
static void local_move(void)
{
	if (hm.tun)
		dp_hm_move(hm.tun, &hm.lcoa, map_addr());
	hm.n.local_moves++;
	log_info("local move to %s", addr_str(&hm.lcoa));
	round_start(!hm.has_key);
}

/* --- discovered MAPs ------------------------------------------------------ */

/* The [mobile-node] interface that is @ifindex, or -1. */
static int link_of(int ifindex)
{
	unsigned int i;

	for (i = 0; i < agent.cfg.mn.n_interfaces; i++)
		if ((int)if_nametoindex(agent.cfg.mn.interfaces[i]) == ifindex)
			return (int)i;
	return -1;
}

/*
 * The MAP @ifindex's routers name now, or NULL: the highest Pref of their
 * options in force; among equals the one in use, else the first.
 */
static const struct in6_addr *link_map(int ifindex)
{
	const struct hm_router *best = NULL, *r;
	uint64_t now = loop_now_ms();
	int i = link_of(ifindex), j;

	if (i < 0)
		return NULL;
	for (j = 0; j < HM_ROUTERS; j++) {
		r = &hm.links[i].r[j];
		if (!r->has_map || r->until_ms <= now)
			continue;
		if (!best || r->pref > best->pref ||
		    (r->pref == best->pref && hm.state != HM_OFF &&
		     same(&r->map, map_addr()) && !same(&best->map, map_addr())))
			best = r;
	}
	return best ? &best->map : NULL;
}

/* Whether @a and @b, each a MAP or NULL, differ. */
static bool map_changed(const struct in6_addr *a, const struct in6_addr *b)
{
	return !a != !b || (a && !same(a, b));
}

/*
 * What the LCoA's link says now.  Its MAP, ours: a local move (entering,
 * the entry again from here).  Another: a lifetime-0 BU to ours and
 * entering it.  None, or one left after a failure: leaving, the same BU
 * and a plain move.
 */
static void decide(void)
{
	const struct in6_addr *to = link_map(hm.ifindex);

	timer_cancel(&hm.rs_timer);
	hm.rs_wait = false;
	if (to && resting(to))
		to = NULL;
	if (hm.state != HM_OFF && to && same(to, map_addr())) {
		if (hm.state == HM_BOUND)
			local_move();
		else
			enter();
		return;
	}
	if (hm.state != HM_OFF) {
		unbind_send();
		if (!to) {
			hm.n.leaves++;
			log_info("leaving MAP %s: no MAP option on %s's link",
				 addr_str(map_addr()), addr_str(&hm.lcoa));
		}
		timer_cancel(&hm.timer);
		unbound(!to);
	} else if (!to) {
		mn_coa_set(&hm.lcoa);
	}
	if (to) {
		hm.map = *to;
		enter();
	}
}

static void rs_cb(struct timer *t)
{
	(void)t;
	hm.rs_wait = false;
	if (hm.has_lcoa)
		decide();
}

/* A new LCoA on a link without a MAP known: ask its routers. */
static void solicit(void)
{
	hm.rs_wait = true;
	if (!io_send_rs(hm.ifindex))
		hm.n.rs++;
	hm.rs_timer.cb = rs_cb;
	timer_arm(&hm.rs_timer, HM_RS_WAIT_MS);
}

/* The links' timer at the first valid lifetime to end. */
static void links_arm(void)
{
	uint64_t first = UINT64_MAX, now = loop_now_ms();
	const struct hm_router *r;
	int i, j;

	for (i = 0; i < CFG_MAX_IFACES; i++)
		for (j = 0; j < HM_ROUTERS; j++) {
			r = &hm.links[i].r[j];
			if (r->has_map && r->until_ms < first)
				first = r->until_ms;
		}
	if (first == UINT64_MAX)
		timer_cancel(&hm.links_timer);
	else
		timer_arm(&hm.links_timer, first > now ? first - now : 0);
}

/*
 * Valid lifetimes ended: if the LCoA's link no longer names the MAP in
 * use (link_map() already leaves out what ended), another or none.
 */
static void links_cb(struct timer *t)
{
	uint64_t now = loop_now_ms();
	struct hm_router *r;
	int i, j;

	(void)t;
	for (i = 0; i < CFG_MAX_IFACES; i++)
		for (j = 0; j < HM_ROUTERS; j++) {
			r = &hm.links[i].r[j];
			if (!r->has_map || r->until_ms > now)
				continue;
			log_info("MAP %s from %s on %s: its valid lifetime ended",
				 addr_str(&r->map), addr_str(&r->src),
				 agent.cfg.mn.interfaces[i]);
			r->has_map = false;
		}
	links_arm();
	if (hm.has_lcoa && !hm.rs_wait && hm.state != HM_OFF &&
	    map_changed(map_addr(), link_map(hm.ifindex)))
		decide();
}

/*
 * @src's entry on link @l: its own, else a free one, else the one whose
 * option ends first; NULL with @add false and none its own.
 */
static struct hm_router *router_get(struct hm_link *l,
				    const struct in6_addr *src, bool add)
{
	struct hm_router *r, *pick = NULL;
	int j;

	for (j = 0; j < HM_ROUTERS; j++) {
		r = &l->r[j];
		if (r->has_map && same(&r->src, src))
			return r;
		if (!pick || (pick->has_map &&
			      (!r->has_map || r->until_ms < pick->until_ms)))
			pick = r;
	}
	if (!add)
		return NULL;
	memset(pick, 0, sizeof(*pick));
	pick->src = *src;
	return pick;
}

void hm_ra(const struct ra_rx *r)
{
	const struct in6_addr *was = NULL;
	const struct cbu_nd_map *best;
	struct in6_addr before;
	struct hm_router *rt;
	int i = link_of(r->ifindex);

	if (!hm.on || i < 0)
		return;
	if (r->why) {
		hm.n.ra_bad++;
		log_info_rl("RA from %s on %s refused: %s", addr_str(&r->src),
			    agent.cfg.mn.interfaces[i], r->why);
		return;
	}
	hm.n.ra++;
	if ((was = link_map(r->ifindex))) {
		before = *was;
		was = &before;
	}
	best = cbu_nd_map_best(r->maps, r->n_maps);
	rt = router_get(&hm.links[i], &r->src, best != NULL);
	if (rt && !best) {
		rt->has_map = false;	/* this router names no MAP now */
	} else if (best) {
		rt->has_map = true;
		memcpy(&rt->map, best->addr, sizeof(rt->map));
		rt->pref = best->pref;
		rt->until_ms = best->valid == UINT32_MAX ? UINT64_MAX :
			       loop_now_ms() + (uint64_t)best->valid * 1000;
	}
	links_arm();
	if (!hm.has_lcoa || r->ifindex != hm.ifindex)
		return;
	/* The answer to our RS, or news: the LCoA's MAP is another. */
	if (hm.rs_wait || map_changed(was, link_map(r->ifindex)))
		decide();
}

bool hm_lcoa(const struct in6_addr *lcoa, int ifindex)
{
	if (!hm.on)
		return false;
	if (!lcoa) {
		/* Bound, the RCoA stays the CoA until an LCoA comes. */
		hm.has_lcoa = false;
		timer_cancel(&hm.rs_timer);
		hm.rs_wait = false;
		return hm.state == HM_BOUND;
	}
	if (hm.has_lcoa && same(lcoa, &hm.lcoa))
		return hm.state != HM_OFF || hm.rs_wait;
	hm.lcoa = *lcoa;
	hm.has_lcoa = true;
	hm.ifindex = ifindex;
	if (discover()) {
		if (link_map(ifindex))
			decide();
		else
			solicit();
		return true;
	}
	if (hm.state == HM_BOUND) {
		local_move();
		return true;
	}
	if (resting(map_addr()))
		return false;
	enter();
	return true;
}

void hm_route_added(void)
{
	if (hm.on && hm.waiting && hm.unsent && hm.has_lcoa)
		bu_send(bu_lifetime());
}

/* --- the MAP's BAs -------------------------------------------------------- */

/* Our BU accepted: k_LBA from an entry's g^b; bound, the RCoA the CoA. */
static void accepted(const struct cbu_msg *m, bool mac)
{
	uint8_t k_dh[CBU_KEY_LEN];

	if (hm.dh) {
		/* A BU with g^a is answered signed, with g^b. */
		if (mac || !m->has_dh || cbu_dh_shared(k_dh, hm.a, m->dh)) {
			hm.n.map_ba_bad++;
			log_info_rl("MAP %s: its BA makes no key",
				    addr_str(map_addr()));
			return;
		}
		cbu_kdf_lba(hm.k_lba, k_dh, hm.bu_n_map, hm.ga, m->dh);
		sodium_memzero(k_dh, sizeof(k_dh));
		sodium_memzero(hm.a, sizeof(hm.a));
		hm.has_key = true;
		hm.n.entries++;
	}
	if (!m->lifetime) {
		map_failed("bound for 0 s");
		return;
	}
	hm.waiting = false;
	hm.local_bu_ba_ms = loop_now_ms() - hm.round_ms;
	hm.timer.cb = round_cb;
	timer_arm(&hm.timer, (uint64_t)m->lifetime * 3000);
	if (hm.state == HM_BOUND) {
		log_info("MAP %s: %s at %s, BU to BA in %llu ms",
			 addr_str(map_addr()), addr_str(&hm.rcoa),
			 addr_str(&hm.lcoa),
			 (unsigned long long)hm.local_bu_ba_ms);
		return;
	}
	hm.tun = dp_hm_up(&hm.lcoa, map_addr(), &hm.rcoa);
	if (hm.tun < 0) {
		hm.tun = 0;
		map_failed("no tunnel to it");
		return;
	}
	hm.state = HM_BOUND;
	log_info("entered MAP %s: RCoA %s at %s, in %llu ms",
		 addr_str(map_addr()), addr_str(&hm.rcoa), addr_str(&hm.lcoa),
		 (unsigned long long)hm.local_bu_ba_ms);
	mn_coa_set(&hm.rcoa);
}

void hm_ba(struct rx *r)
{
	static const uint8_t no_ga[CBU_DH_LEN];
	const struct cbu_msg *m = &r->msg;
	struct cbu_hmip f;
	const char *why;
	bool mac;

	if (!hm.on || !m->has_nonce || !same(&r->src, map_addr()))
		return;
	/* To the LCoA of a BU in flight, for our HoA. */
	if (!hm.waiting || !hm.has_lcoa || !same(&r->dst, &hm.lcoa) ||
	    !m->has_hoa || memcmp(m->hoa, &agent.cfg.mn.hoa, CBU_ADDR_LEN))
		return;
	cbu_hmip_from_ba(&f, m, map_addr()->s6_addr, hm.lcoa.s6_addr,
			 hm.rcoa.s6_addr, hm.dh ? hm.ga : no_ga);
	mac = m->has_auth;
	if (cbu_hmip_ba_verify(m, &f, hm.has_key ? hm.k_lba : NULL,
			       hm.cr.ca_pub, (uint64_t)time(NULL), &why)) {
		hm.n.map_ba_bad++;
		log_info_rl("BA from MAP %s refused: %s", addr_str(&r->src),
			    why);
		return;
	}
	/* A 135 names the MAP's Seq#, at or past ours; the rest ours. */
	if (m->status == CBU_BA_SEQ_OUT_OF_WINDOW ?
	    (int16_t)(m->seq - hm.seq) < 0 : m->seq != hm.seq)
		return;
	hm.n.map_ba++;
	memcpy(hm.n_map, m->nonce, CBU_NONCE_LEN);
	switch (m->status) {
	case CBU_BA_EXPIRED_NONCES:
		hm.n.map_138++;
		/* Signed though we hold a key: the MAP lost it. */
		if (!mac && hm.has_key && !hm.dh) {
			log_info("MAP %s lost our key: entering again",
				 addr_str(map_addr()));
			key_drop();
			hm.dh = true;
			cbu_dh_keypair(hm.ga, hm.a);
		}
		if (hm.answers++ < HM_ANSWERS)
			bu_again();
		return;
	case CBU_BA_SEQ_OUT_OF_WINDOW:
		log_info("MAP %s has Seq# %u, ours was %u", addr_str(map_addr()),
			 m->seq, hm.seq);
		hm.seq = m->seq;
		if (hm.answers++ < HM_ANSWERS)
			bu_again();
		return;
	case CBU_BA_DAD_FAILED:
		if (hm.state == HM_BOUND) {
			map_failed("our RCoA is taken");
			return;
		}
		rcoa_random();
		log_info("MAP %s: the RCoA is taken; %s now",
			 addr_str(map_addr()), addr_str(&hm.rcoa));
		if (hm.answers++ < HM_ANSWERS)
			bu_again();
		return;
	}
	if (m->status >= 128) {
		char why_s[32];

		snprintf(why_s, sizeof(why_s), "refused (%u)", m->status);
		map_failed(why_s);
		return;
	}
	accepted(m, mac);
}

/* --- lifecycle -------------------------------------------------------------- */

/*
 * Cert_MN and SK_MN.  Its issuer is the home agent's key, which only the
 * MAP checks (Cert_HA by REQ_Cert); here: of kind MN for our HoA, for our
 * key.  Expired (or not yet valid): plain moves, warned; warned too in its
 * last HM_WARN_S.  0 (*@usable says which), or -1 having logged why.
 */
static int load(struct creds *cr, bool *usable)
{
	const struct agent_config *c = &agent.cfg;
	uint64_t now = (uint64_t)time(NULL);

	*usable = false;
	if (creds_read(cr, c->mn.private_key, c->mn.certificate))
		return -1;
	if (cr->cert.kind != CBU_CERT_MN ||
	    memcmp(cr->cert.subject, &c->mn.hoa, CBU_ADDR_LEN)) {
		log_err("%s: not a mobile node certificate for %s",
			c->mn.certificate, addr_str(&c->mn.hoa));
		goto err;
	}
	if (memcmp(cr->cert.public_key, cbu_sign_key_pub(&cr->key),
		   CBU_PUBKEY_LEN)) {
		log_err("%s: not the certificate of the key %s",
			c->mn.certificate, c->mn.private_key);
		goto err;
	}
	if (now < cr->cert.valid_from || now > cr->cert.valid_until) {
		log_warn("%s: not valid now: no MAP, plain moves",
			 c->mn.certificate);
		return 0;
	}
	if (cr->cert.valid_until - now < HM_WARN_S)
		log_warn("%s: ends in %llu h: ask the home agent for a new one",
			 c->mn.certificate,
			 (unsigned long long)(cr->cert.valid_until - now) / 3600);
	*usable = true;
	return 0;
err:
	creds_wipe(cr);
	return -1;
}

int hm_check(void)
{
	struct creds cr;
	bool usable;
	int ret;

	if (!agent.cfg.mn.has_map)
		return 0;
	ret = load(&cr, &usable);
	creds_wipe(&cr);
	return ret;
}

int hm_init(void)
{
	bool usable;

	if (!agent.cfg.mn.has_map)
		return 0;
	if (load(&hm.cr, &usable))
		return -1;
	/* What a killed agent left: its tunnel and rules. */
	if (dp_hm_flush())
		return -1;
	hm.on = usable;
	hm.timer.cb = round_cb;
	hm.links_timer.cb = links_cb;
	hm.rs_timer.cb = rs_cb;
	if (!discover())
		hm.map = agent.cfg.mn.map;
	if (usable && discover())
		log_info("MAP: discovered, from each link's RAs");
	else if (usable)
		log_info("MAP %s", addr_str(map_addr()));
	return 0;
}

void hm_fini(void)
{
	timer_cancel(&hm.timer);
	timer_cancel(&hm.links_timer);
	timer_cancel(&hm.rs_timer);
	/* Unbound at the MAP, told once; its BA is not waited for. */
	unbind_send();
	if (hm.tun)
		dp_hm_down(hm.tun, &hm.rcoa);
	creds_wipe(&hm.cr);
	sodium_memzero(&hm, sizeof(hm));
}

static const struct counter hm_counters[] = {
	COUNTER(hm_counters, local_moves, "  local-moves %llu"),
	COUNTER(hm_counters, entries, " entries %llu"),
	COUNTER(hm_counters, map_ba, " map-ba %llu"),
	COUNTER(hm_counters, map_ba_bad, " map-ba-bad %llu"),
	COUNTER(hm_counters, map_138, " map-138 %llu"),
	COUNTER(hm_counters, map_failed, " map-failed %llu"),
};

static const struct counter hm_nd_counters[] = {
	COUNTER(hm_counters, ra, "  ra %llu"),
	COUNTER(hm_counters, ra_bad, " ra-bad %llu"),
	COUNTER(hm_counters, rs, " rs %llu"),
	COUNTER(hm_counters, leaves, " leaves %llu\n"),
};

void hm_status(void)
{
	if (!agent.cfg.mn.has_map)
		return;
	open_json_object("map");
	print_string(PRINT_ANY, "mode", "  map %s",
		     discover() ? "discover" : "address");
	/* The MAP in use; discovered, none while off. */
	if (!discover() || hm.state != HM_OFF) {
		print_string(PRINT_ANY, "map", " %s", addr_str(map_addr()));
		print_string(PRINT_ANY, "source", " (%s)",
			     discover() ? "discovered" : "configured");
	}
	print_string(PRINT_ANY, "state", " %s", hm.on ? hm_states[hm.state] :
		     "no-certificate");
	if (hm.state != HM_OFF)
		print_string(PRINT_ANY, "rcoa", " rcoa %s", addr_str(&hm.rcoa));
	if (hm.has_lcoa)
		print_string(PRINT_ANY, "lcoa", " lcoa %s", addr_str(&hm.lcoa));
	print_nl();
	print_counters(&hm.n, hm_counters, ARRAY_SIZE(hm_counters));
	print_u64(PRINT_ANY, "local_bu_ba_ms", " local-bu-ba %llu ms\n",
		  hm.local_bu_ba_ms);
	if (discover())
		print_counters(&hm.n, hm_nd_counters,
			       ARRAY_SIZE(hm_nd_counters));
	close_json_object();
}
