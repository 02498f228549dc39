// SPDX-License-Identifier: GPL-2.0
/*
 * The MAP's role: an HMIPv6 mobility anchor point that trusts a mobile
 * node's local BU through the certificate its home agent issued (draft
 * section 5; Documentation/design/hmip.md; the wire: wire-format.md 9.7).
 *
 * A local BU {Src=LCoA, Des=MAP, HAO=RCoA, HoA, N_MAP, HA, [g^a], SIG_MN,
 * Cert_MN} comes handed up by cbu.ko.  It is checked cheapest first (item
 * 53): Cert_MN's kind, the HoA it names, the RCoA and LCoA, N_MAP, the
 * Seq# against the RCoA's record; then Cert_HA (cached by key id, else
 * asked for with REQ_Cert at the home agent the BU names, the BU held until
 * REP_Cert), Cert_MN under it, SIG_MN, g^a.  Only then does a record bind
 * the RCoA to the LCoA.  Every refusal is counted; nothing is bound.
 *
 * Replay (items 45, 46): SIG_MN covers Seq# and a nonce N_MAP the MAP
 * hands out in every BA, stateless under s_MAP (a cookie jar rotated every
 * max-lifetime).  While a record lives (2 periods past its last BU), the
 * Seq# stops a replayed BU; after, or at a restarted agent, its N_MAP does.
 * A record evicted to make room draws both halves of s_MAP anew.
 *
 * The BA (item 47): signed (SIG_MAP, Cert_MAP) when it answers a BU with
 * g^a, with g^b when it binds, the key k_LBA then kept in the record;
 * MAC'd under k_LBA after.  A 138 the MAP cannot MAC is signed too: the
 * wire has no unauthenticated BA.
 *
 * Forwarding (item 54): a binding is cbu.ko's first (MAP_BIND; its checks
 * let nothing through the tunnel without one), then a route "RCoA/128
 * encap ip6 src MAP dst LCoA dev TUNNEL" through the one collect_md
 * ip6ip6 device, then proxy ND for the RCoA on `link`.  cbu.ko expires
 * bindings on its own and says so (CBU_EVENT_MAP_EXPIRED): the route and
 * the proxy entry go then.  An agent killed leaves all of it, and the
 * traffic flows on; the next one takes the bindings back from cbu.ko,
 * with their routes and proxy entries, and deletes the routes no binding
 * holds (item 56).  Its records start without a Seq# or a key; s_MAP is
 * new, so every mobile node enters again (138, then a signed BU with
 * g^a), and no BU of before passes.  At exit the agent removes it all.
 *
 * Everything runs on the agent's one thread; the tick (1 s) ages what
 * waits: held BUs, REQ_Certs, bindings, records and s_MAP.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "agent.h"
#include "dp.h"
#include "kernel/mh.h"
#include "lib/cert.h"
#include "lib/crypto.h"
#include "lib/json_print.h"
#include "limit.h"
#include "log.h"
#include "loop.h"

#define MAP_TICK_MS		1000
#define MAP_HELD_MAX		64	/* BUs waiting for a Cert_HA */
#define MAP_HOLD_MS		3000
#define MAP_REQ_MAX		16	/* REQ_Certs outstanding */
#define MAP_REQ_TRIES		3	/* at 0, 1, 2 s */
#define MAP_REQ_REST_MS		10000	/* a home agent that did not answer */
#define MAP_SIGNED_RATE		8	/* signed BUs checked, a second per RCoA */
#define MAP_SIGNED_ALL		256	/* and in all */
#define MAP_MN_CACHE		256	/* Cert_MNs whose signature verified */
#define MAP_ANSWER_RATE		4	/* 138 and 135, a second per LCoA */
#define MAP_ANSWER_ALL		64	/* and in all */

/*
 * One RCoA's: who holds it, the last Seq#, the key of its BAs.  @has_seq
 * false: a binding taken back from cbu.ko at start, whose Seq# is lost.
 */
struct map_rec {
	bool used;
	bool bound;
	bool has_key;
	bool has_seq;
	struct in6_addr rcoa;
	struct in6_addr hoa;
	struct in6_addr lcoa;
	uint16_t seq;
	uint8_t k_lba[CBU_KEY_LEN];
	uint64_t last_ms;		/* its last BU taken, bound or not */
	uint64_t expires_ms;		/* the binding's end */
};

/* A Cert_HA verified against the CA, known by its key's id. */
struct map_ha {
	bool used;
	uint8_t id[CBU_KEYID_LEN];
	struct cbu_cert cert;
	uint64_t used_ms;
};

/* A local BU waiting for the Cert_HA of @id. */
struct map_held {
	bool used;
	struct rx r;
	uint8_t mh[CBU_MH_MAX_LEN];
	uint8_t id[CBU_KEYID_LEN];
	uint64_t until_ms;
};

/* REQ_Cert to one home agent: one at a time, then a rest if unanswered. */
struct map_req {
	bool used;
	struct in6_addr ha;
	int tries;
	uint64_t next_ms;		/* the next try, or the rest's end */
	bool resting;
};

static struct {
	struct creds cr;
	struct cbu_cookie_jar jar;	/* s_MAP */
	struct map_rec *recs;
	unsigned int n_recs;		/* slots, max-bindings */
	struct map_ha *has;
	unsigned int n_has;		/* slots, cert-cache */
	struct map_held held[MAP_HELD_MAX];
	struct map_req reqs[MAP_REQ_MAX];
	struct tb_limit signed_rl;	/* per RCoA, in all */
	struct cbu_cert_cache mn_cache;
	struct tb_limit answer_rl;	/* per LCoA, in all */
	struct timer tick;
	int tunnel;			/* its ifindex, once made */
	bool kernel_set;		/* our map object is in cbu.ko */
	struct map_counters {
		uint64_t bu, bound, moved, refreshed, unbound, expired, ba,
			 entries, sig_checks, cert_cache_hits, req_cert,
			 rep_cert, held, req_cert_timeouts,
			 rep_cert_unsolicited, nonce_flush, limited,
			 bad_cert, hoa_mismatch, bad_rcoa, bad_nonce, seq_stale,
			 bad_cert_ha, wrong_prefix, expired_cert, bad_sig,
			 bad_dh, rcoa_taken, taken_back, stale_routes,
			 fwd_errors;
	} n;
} map;

static const struct agent_config *cfg(void)
{
	return &agent.cfg;
}

static uint64_t now_s(void)
{
	return (uint64_t)time(NULL);
}

static bool same(const struct in6_addr *a, const struct in6_addr *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* --- records ------------------------------------------------------------ */

static struct map_rec *rec_find(const struct in6_addr *rcoa)
{
	unsigned int i;

	for (i = 0; i < map.n_recs; i++)
		if (map.recs[i].used && same(&map.recs[i].rcoa, rcoa))
			return &map.recs[i];
	return NULL;
}

static void rec_free(struct map_rec *r)
{
	sodium_memzero(r, sizeof(*r));
}

/*
 * A record for @rcoa.  When all are taken, the unbound one whose last BU
 * is the oldest goes (a binding in force is not taken from its mobile
 * node: NULL if all are bound), and with it every N_MAP handed out: its
 * mobile node could otherwise replay a BU signed under a nonce still
 * valid, which no Seq# would then stop (design item 46, hmip.pml's
 * NO_FLUSH mutant).
 */
static struct map_rec *rec_new(const struct in6_addr *rcoa)
{
	struct map_rec *r = NULL;
	unsigned int i;

	for (i = 0; i < map.n_recs; i++) {
		if (!map.recs[i].used) {
			r = &map.recs[i];
			break;
		}
		if (!map.recs[i].bound &&
		    (!r || map.recs[i].last_ms < r->last_ms))
			r = &map.recs[i];
	}
	if (!r)
		return NULL;
	if (r->used) {
		log_info_rl("map: records full, %s forgotten; s_MAP drawn anew",
			    addr_str(&r->rcoa));
		rec_free(r);
		cbu_cookie_jar_init(&map.jar, now_s(), cfg()->map.max_lifetime);
		map.n.nonce_flush++;
	}
	r->used = true;
	r->rcoa = *rcoa;
	return r;
}

/* --- Cert_HA cache -------------------------------------------------------- */

static struct map_ha *ha_find(const uint8_t id[CBU_KEYID_LEN])
{
	unsigned int i;

	for (i = 0; i < map.n_has; i++)
		if (map.has[i].used &&
		    !memcmp(map.has[i].id, id, CBU_KEYID_LEN))
			return &map.has[i];
	return NULL;
}

/* Into the cache: a free slot, or the least recently used one's. */
static void ha_add(const struct cbu_cert *c, const uint8_t id[CBU_KEYID_LEN])
{
	struct map_ha *h = ha_find(id);
	unsigned int i;

	for (i = 0; !h && i < map.n_has; i++)
		if (!map.has[i].used)
			h = &map.has[i];
	if (!h) {
		h = &map.has[0];
		for (i = 1; i < map.n_has; i++)
			if (map.has[i].used_ms < h->used_ms)
				h = &map.has[i];
	}
	h->used = true;
	memcpy(h->id, id, CBU_KEYID_LEN);
	h->cert = *c;
	h->used_ms = loop_now_ms();
}

/* --- answers ---------------------------------------------------------------- */

static void send_ba(const struct rx *r, const struct cbu_msg *m)
{
	if (!io_send(&r->dst, &r->src, m))
		map.n.ba++;
}

/*
 * A BA of @status to the BU @f came in, with the current N_MAP for its
 * HoA and RCoA: MAC'd under @rec's key when it has one and the BU no g^a
 * (item 47: an answer to g^a is signed over it), signed otherwise, with
 * @gb when it makes a key.
 */
static void answer(const struct rx *r, const struct cbu_hmip *bu,
		   uint8_t status, uint16_t seq, uint16_t lifetime,
		   const struct map_rec *rec, const uint8_t *gb)
{
	struct cbu_hmip f = *bu;
	struct cbu_msg m;
	bool has_ga = !sodium_is_zero(bu->ga, CBU_DH_LEN);

	f.status = status;
	f.flags = 0;
	f.seq = seq;
	f.lifetime = lifetime;
	cbu_n_map(f.n_map, map.jar.cur, bu->hoa, bu->rcoa);
	memset(f.gb, 0, sizeof(f.gb));
	if (gb)
		memcpy(f.gb, gb, CBU_DH_LEN);
	if (rec && rec->has_key && !has_ga && !gb)
		cbu_hmip_ba_mac(&m, &f, rec->k_lba);
	else
		cbu_hmip_ba_sign(&m, &f, gb != NULL, &map.cr.key,
				 map.cr.cert_wire);
	send_ba(r, &m);
}

/*
 * A refusal answered (138, 135, 134, 130) may cost a signature: at most
 * MAP_ANSWER_RATE a second per LCoA, and MAP_ANSWER_ALL in all.
 */
static bool may_answer(const struct rx *r)
{
	if (tb_limit_take(&map.answer_rl, &r->src, loop_now_ms()))
		return true;
	map.n.limited++;
	return false;
}

/*
 * The Ed25519 checks (Cert_MN unless cached, SIG_MN) of a BU that passed
 * the cheap ones: MAP_SIGNED_RATE a second per RCoA, MAP_SIGNED_ALL in all
 * (an N_MAP is had for the asking, so the nonce alone bounds nothing).
 */
static bool may_check(const struct rx *r)
{
	if (tb_limit_take(&map.signed_rl, &r->hoa, loop_now_ms()))
		return true;
	map.n.limited++;
	return false;
}

/* --- REQ_Cert --------------------------------------------------------------- */

static void req_send(struct map_req *q)
{
	struct cbu_msg m;

	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_REQ_CERT);
	if (!io_send(&cfg()->map.address, &q->ha, &m))
		map.n.req_cert++;
	q->tries++;
	q->next_ms = loop_now_ms() + 1000;
}

/* Ask @ha for its Cert_HA, unless already asking or resting. */
static bool req_cert(const struct in6_addr *ha)
{
	struct map_req *q = NULL, *free_q = NULL;
	unsigned int i;

	for (i = 0; i < MAP_REQ_MAX; i++) {
		if (map.reqs[i].used && same(&map.reqs[i].ha, ha))
			q = &map.reqs[i];
		else if (!map.reqs[i].used && !free_q)
			free_q = &map.reqs[i];
	}
	if (q)
		return !q->resting;
	if (!free_q)
		return false;
	free_q->used = true;
	free_q->ha = *ha;
	free_q->tries = 0;
	free_q->resting = false;
	req_send(free_q);
	return true;
}

static void req_done(const struct in6_addr *ha)
{
	unsigned int i;

	for (i = 0; i < MAP_REQ_MAX; i++)
		if (map.reqs[i].used && same(&map.reqs[i].ha, ha))
			memset(&map.reqs[i], 0, sizeof(map.reqs[i]));
}

static bool req_asked(const struct in6_addr *ha)
{
	unsigned int i;

	for (i = 0; i < MAP_REQ_MAX; i++)
		if (map.reqs[i].used && !map.reqs[i].resting &&
		    same(&map.reqs[i].ha, ha))
			return true;
	return false;
}

/* Keep the BU of @r until the Cert_HA of @id comes: one per RCoA. */
static void hold(const struct rx *r, const uint8_t id[CBU_KEYID_LEN])
{
	struct map_held *h = NULL;
	unsigned int i;

	for (i = 0; i < MAP_HELD_MAX; i++) {
		if (map.held[i].used && same(&map.held[i].r.hoa, &r->hoa)) {
			h = &map.held[i];
			break;
		}
		if (!map.held[i].used && !h)
			h = &map.held[i];
	}
	if (!h) {
		map.n.limited++;
		return;
	}
	h->used = true;
	h->r = *r;
	memcpy(h->mh, r->mh, r->len);
	h->r.mh = h->mh;
	memcpy(h->id, id, CBU_KEYID_LEN);
	h->until_ms = loop_now_ms() + MAP_HOLD_MS;
	map.n.held++;
}

/* --- forwarding ------------------------------------------------------------ */

/*
 * Stop forwarding @rcoa: its route, its proxy entry, cbu.ko's binding
 * (each may be gone already).
 */
static void fwd_clear(const struct in6_addr *rcoa)
{
	struct cbu_genl_err err;
	int ret;

	if (map.tunnel)
		dp_map_route_del(map.tunnel, rcoa);
	dp_proxy(cfg()->map.link, rcoa, false);
	ret = cbu_map_unbind(&agent.genl, rcoa, &err);
	if (ret && ret != -ENOENT)
		log_warn("cbu.ko: map unbind %s: %s %s", addr_str(rcoa),
			 strerror(-ret), err.msg);
}

/*
 * Forward @rcoa of @hoa to @lcoa for @lifetime seconds, in this order:
 * cbu.ko's binding, so that no packet takes a route before its check
 * would pass it; the route (replaced on a move); proxy ND on `link`, when
 * @proxy (a new binding).  All or nothing: 0, or -1 with none of it left.
 */
static int fwd_set(const struct in6_addr *rcoa, const struct in6_addr *hoa,
		   const struct in6_addr *lcoa, uint32_t lifetime, bool proxy)
{
	const struct agent_config *c = cfg();
	struct cbu_map_binding mb = {
		.rcoa = *rcoa, .lcoa = *lcoa, .hoa = *hoa,
		.lifetime = lifetime,
	};
	struct cbu_genl_err err;
	int ret;

	ret = cbu_map_bind(&agent.genl, &mb, &err);
	if (ret) {
		log_err("cbu.ko: map bind %s: %s %s", addr_str(rcoa),
			strerror(-ret), err.msg);
		map.n.fwd_errors++;
		/* On a move, the binding it was. */
		fwd_clear(rcoa);
		return -1;
	}
	if (dp_map_route(map.tunnel, rcoa, &c->map.address, lcoa) ||
	    (proxy && dp_proxy(c->map.link, rcoa, true))) {
		map.n.fwd_errors++;
		fwd_clear(rcoa);
		return -1;
	}
	return 0;
}

/* --- the local BU ------------------------------------------------------------ */

/*
 * The BU @f verified: bind @rec's RCoA to its source for @lt units of 4 s,
 * or unbind it (@lt 0).  -1 when the binding could not be made: then
 * @rec is left unbound, its Seq# as it was, and nothing forwards its RCoA.
 */
static int rec_bind(struct map_rec *rec, const struct rx *r,
		    const struct cbu_hmip *f, uint16_t lt)
{
	struct in6_addr hoa;

	memcpy(&hoa, f->hoa, sizeof(hoa));
	if (!lt) {
		if (rec->bound) {
			map.n.unbound++;
			fwd_clear(&rec->rcoa);
		}
		rec->bound = false;
	} else if (fwd_set(&rec->rcoa, &hoa, &r->src, (uint32_t)lt * 4,
			   !rec->bound)) {
		/* A move failed half way: the old binding is gone too. */
		rec->bound = false;
		return -1;
	} else if (!rec->bound) {
		map.n.bound++;
	} else if (!same(&rec->lcoa, &r->src)) {
		map.n.moved++;
	} else {
		map.n.refreshed++;
	}
	if (lt) {
		rec->bound = true;
		rec->lcoa = r->src;
		rec->expires_ms = loop_now_ms() + (uint64_t)lt * 4000;
	}
	rec->hoa = hoa;
	rec->seq = f->seq;
	rec->has_seq = true;
	rec->last_ms = loop_now_ms();
	log_info("map: %s of %s %s %s", addr_str(&rec->rcoa),
		 addr_str(&rec->hoa), lt ? "at" : "unbound from",
		 addr_str(&r->src));
	return 0;
}

static void map_bu(struct rx *r)
{
	const struct agent_config *c = cfg();
	const struct cbu_msg *m = &r->msg;
	struct in6_addr hoa_buf, ha_addr;
	const struct in6_addr *hoa = &hoa_buf;
	struct cbu_cert mn;
	struct map_rec *rec;
	struct map_ha *ha;
	struct cbu_hmip f;
	uint8_t in[CBU_SIG_MN_IN_LEN], b[CBU_KEY_LEN], gb[CBU_DH_LEN];
	uint8_t k_dh[CBU_KEY_LEN];
	const char *why;
	uint16_t lt;
	bool has_ga, mine, fresh;
	int err;

	/* struct cbu_msg's addresses are octets: no in6_addr alignment. */
	memcpy(&hoa_buf, m->hoa, sizeof(hoa_buf));
	memcpy(&ha_addr, m->ha, sizeof(ha_addr));
	cbu_hmip_from_bu(&f, m, r->src.s6_addr, r->dst.s6_addr,
			 r->hoa.s6_addr);
	has_ga = m->has_dh;

	if (cbu_cert_decode(&mn, m->cert, m->cert_len, &why) ||
	    mn.kind != CBU_CERT_MN) {
		map.n.bad_cert++;
		return;
	}
	if (memcmp(mn.subject, hoa, CBU_ADDR_LEN)) {
		map.n.hoa_mismatch++;
		return;
	}
	if (!cbu_prefix_covers(c->map.rcoa_prefix.s6_addr,
			       c->map.rcoa_prefix_len, r->hoa.s6_addr) ||
	    same(&r->hoa, &c->map.address) ||
	    cbu_prefix_covers(c->map.rcoa_prefix.s6_addr,
			      c->map.rcoa_prefix_len, r->src.s6_addr)) {
		map.n.bad_rcoa++;
		return;
	}
	rec = rec_find(&r->hoa);
	mine = rec && same(&rec->hoa, hoa);
	if (!cbu_n_map_ok(&map.jar, f.n_map, f.hoa, f.rcoa)) {
		map.n.bad_nonce++;
		if (may_answer(r))
			answer(r, &f, CBU_BA_EXPIRED_NONCES, f.seq, 0,
			       mine ? rec : NULL, NULL);
		return;
	}
	if (mine && rec->has_seq && !cbu_seq_after(f.seq, rec->seq)) {
		map.n.seq_stale++;
		/* MAC'd at once; signed only for a BU whose SIG_MN holds. */
		if (rec->has_key && !has_ga) {
			if (may_answer(r))
				answer(r, &f, CBU_BA_SEQ_OUT_OF_WINDOW,
				       rec->seq, 0, rec, NULL);
			return;
		}
	}

	ha = ha_find(mn.issuer);
	if (!ha) {
		if (req_cert(&ha_addr))
			hold(r, mn.issuer);
		else
			map.n.limited++;
		return;
	}
	map.n.cert_cache_hits++;
	ha->used_ms = loop_now_ms();
	if (!may_check(r))
		return;
	map.n.sig_checks++;
	err = cbu_cert_verify_mn_cached(&map.mn_cache, &mn, &ha->cert, now_s(),
					&why);
	if (err) {
		if (err == -EKEYEXPIRED)
			map.n.expired_cert++;
		else
			map.n.wrong_prefix++;
		log_info_rl("map: Cert_MN of %s refused: %s", addr_str(hoa),
			    why);
		return;
	}
	cbu_sig_mn_input(in, &f);
	if (!cbu_verify(m->sig, in, sizeof(in), mn.public_key)) {
		map.n.bad_sig++;
		return;
	}
	/* Authentic from here: a stale Seq# gets its signed 135. */
	if (mine && rec->has_seq && !cbu_seq_after(f.seq, rec->seq)) {
		if (may_answer(r))
			answer(r, &f, CBU_BA_SEQ_OUT_OF_WINDOW, rec->seq, 0,
			       NULL, NULL);
		return;
	}
	if (rec && !mine) {
		map.n.rcoa_taken++;
		if (may_answer(r))
			answer(r, &f, CBU_BA_DAD_FAILED, f.seq, 0, NULL, NULL);
		return;
	}
	if (!rec && !has_ga) {
		/* A valid nonce, no record, no key: a new one is needed. */
		map.n.bad_nonce++;
		if (may_answer(r))
			answer(r, &f, CBU_BA_EXPIRED_NONCES, f.seq, 0, NULL,
			       NULL);
		return;
	}
	if (has_ga) {
		cbu_dh_keypair(gb, b);
		err = cbu_dh_shared(k_dh, b, f.ga);
		sodium_memzero(b, sizeof(b));
		if (err) {
			map.n.bad_dh++;
			return;
		}
	}
	fresh = !rec;
	if (!rec)
		rec = rec_new(&r->hoa);
	lt = m->lifetime;
	if ((uint32_t)lt * 4 > c->map.max_lifetime)
		lt = (uint16_t)(c->map.max_lifetime / 4);
	if (!rec || rec_bind(rec, r, &f, lt)) {
		sodium_memzero(k_dh, sizeof(k_dh));
		/* A record made for this BU names nobody: it would hold the RCoA. */
		if (rec && fresh)
			rec_free(rec);
		if (may_answer(r))
			answer(r, &f, CBU_BA_INSUFFICIENT_RESOURCES, f.seq, 0,
			       NULL, NULL);
		return;
	}
	if (has_ga) {
		cbu_kdf_lba(rec->k_lba, k_dh, f.n_map, f.ga, gb);
		sodium_memzero(k_dh, sizeof(k_dh));
		rec->has_key = true;
		map.n.entries++;
	}
	answer(r, &f, CBU_BA_ACCEPTED, f.seq, lt, rec, has_ga ? gb : NULL);
}

/*
 * REP_Cert: from a home agent we asked, a Cert_HA some held BU waits for;
 * anything else costs no signature.
 */
static void map_rep_cert(struct rx *r)
{
	uint8_t id[CBU_KEYID_LEN];
	struct cbu_cert ha;
	const char *why;
	unsigned int i;
	bool waited = false;

	map.n.rep_cert++;
	if (cbu_cert_decode(&ha, r->msg.cert, r->msg.cert_len, &why) ||
	    ha.kind != CBU_CERT_HA) {
		map.n.bad_cert_ha++;
		return;
	}
	cbu_key_id(id, ha.public_key);
	for (i = 0; i < MAP_HELD_MAX; i++)
		if (map.held[i].used && !memcmp(map.held[i].id, id, sizeof(id)))
			waited = true;
	if (!waited || !req_asked(&r->src)) {
		map.n.rep_cert_unsolicited++;
		return;
	}
	if (cbu_cert_verify(&ha, map.cr.ca_pub, now_s(), &why)) {
		map.n.bad_cert_ha++;
		log_info_rl("map: Cert_HA from %s refused: %s",
			    addr_str(&r->src), why);
		return;
	}
	ha_add(&ha, id);
	req_done(&r->src);
	for (i = 0; i < MAP_HELD_MAX; i++) {
		struct map_held *h = &map.held[i];

		if (!h->used || memcmp(h->id, id, sizeof(id)))
			continue;
		h->used = false;
		map_bu(&h->r);
	}
}

/* cbu.ko hands the MAP its local BUs (its map object, item 54). */
static void map_mh(struct rx *r)
{
	if (r->msg.type != CBU_MH_BU || !(r->msg.flags & CBU_BU_F_M) ||
	    !r->has_hoa || !same(&r->dst, &cfg()->map.address))
		return;
	map.n.bu++;
	map_bu(r);
}

/* --- the tick --------------------------------------------------------------- */

static void map_tick(struct timer *t)
{
	const struct agent_config *c = cfg();
	uint64_t now = loop_now_ms(), keep = 2000ull * c->map.max_lifetime;
	unsigned int i;

	cbu_cookie_jar_tick(&map.jar, now_s());
	for (i = 0; i < MAP_HELD_MAX; i++) {
		if (map.held[i].used && now >= map.held[i].until_ms) {
			map.held[i].used = false;
			map.n.req_cert_timeouts++;
		}
	}
	for (i = 0; i < MAP_REQ_MAX; i++) {
		struct map_req *q = &map.reqs[i];

		if (!q->used || now < q->next_ms)
			continue;
		if (q->resting) {
			memset(q, 0, sizeof(*q));
		} else if (q->tries < MAP_REQ_TRIES) {
			req_send(q);
		} else {
			q->resting = true;
			q->next_ms = now + MAP_REQ_REST_MS;
			log_info_rl("map: no REP_Cert from %s", addr_str(&q->ha));
		}
	}
	for (i = 0; i < map.n_recs; i++) {
		struct map_rec *rec = &map.recs[i];

		if (!rec->used)
			continue;
		/* cbu.ko's expiry event comes first, unless it was lost. */
		if (rec->bound && now >= rec->expires_ms + MAP_TICK_MS) {
			rec->bound = false;
			map.n.expired++;
			fwd_clear(&rec->rcoa);
			log_info("map: %s of %s expired", addr_str(&rec->rcoa),
				 addr_str(&rec->hoa));
		}
		if (!rec->bound && now - rec->last_ms >= keep)
			rec_free(rec);
	}
	timer_arm(t, MAP_TICK_MS);
}

/*
 * cbu.ko expired a binding.  The event may be late: a BU may have bound
 * the RCoA again since (a new binding, had the old one been reaped), so
 * only a binding cbu.ko no longer has ends the record's.
 */
static void map_event(const struct cbu_event_info *ev)
{
	struct cbu_map_binding mb;
	struct cbu_genl_err err;
	struct map_rec *rec;

	if (!ev->is_map || ev->event != CBU_EVENT_MAP_EXPIRED)
		return;
	rec = rec_find(&ev->mb.rcoa);
	if (!rec || !rec->bound ||
	    cbu_map_binding_get(&agent.genl, &rec->rcoa, &mb, &err) != -ENOENT)
		return;
	rec->bound = false;
	map.n.expired++;
	fwd_clear(&rec->rcoa);
	log_info("map: %s of %s expired", addr_str(&rec->rcoa),
		 addr_str(&rec->hoa));
}

/* --- taking back what a killed agent left (item 56) ------------------------ */

struct takeback {
	struct in6_addr *gone;		/* RCoAs to stop forwarding */
	size_t n_gone, cap;
};

static int gone_add(struct takeback *tb, const struct in6_addr *rcoa)
{
	if (tb->n_gone == tb->cap) {
		size_t cap = tb->cap ? 2 * tb->cap : 16;
		struct in6_addr *g = realloc(tb->gone, cap * sizeof(*g));

		if (!g)
			return -ENOMEM;
		tb->gone = g;
		tb->cap = cap;
	}
	tb->gone[tb->n_gone++] = *rcoa;
	return 0;
}

/* A binding of cbu.ko's: a record for it, or (records full) it goes. */
static int on_binding(const struct cbu_map_binding *mb, void *arg)
{
	struct map_rec *rec = rec_find(&mb->rcoa);

	if (!rec)
		rec = rec_new(&mb->rcoa);
	if (!rec)
		return gone_add(arg, &mb->rcoa);
	rec->bound = true;
	rec->has_seq = false;
	rec->hoa = mb->hoa;
	rec->lcoa = mb->lcoa;
	rec->last_ms = loop_now_ms();
	rec->expires_ms = loop_now_ms() + (uint64_t)mb->lifetime * 1000;
	return 0;
}

/* A route through the tunnel: stale unless a record binds it there. */
static int on_route(const struct in6_addr *rcoa, const struct in6_addr *lcoa,
		    void *arg)
{
	const struct map_rec *rec = rec_find(rcoa);

	if (rec && rec->bound && same(&rec->lcoa, lcoa))
		return 0;
	return gone_add(arg, rcoa);
}

static void takeback(void)
{
	const struct agent_config *c = cfg();
	struct takeback tb = { 0 };
	struct cbu_genl_err err;
	unsigned int i, tries;
	size_t k;
	int ret;

	for (tries = 0; tries < 3; tries++) {
		memset(map.recs, 0, map.n_recs * sizeof(*map.recs));
		tb.n_gone = 0;
		ret = cbu_map_binding_dump(&agent.genl, on_binding, &tb, &err);
		if (ret != -EAGAIN)
			break;
	}
	if (ret)
		log_err("cbu.ko: map bindings: %s %s", strerror(-ret),
			err.msg);
	/* More than max-bindings (a smaller one configured since). */
	for (k = 0; k < tb.n_gone; k++)
		fwd_clear(&tb.gone[k]);
	for (i = 0; i < map.n_recs; i++) {
		struct map_rec *rec = &map.recs[i];

		if (!rec->used)
			continue;
		map.n.taken_back++;
		if (dp_map_route(map.tunnel, &rec->rcoa, &c->map.address,
				 &rec->lcoa) ||
		    dp_proxy(c->map.link, &rec->rcoa, true))
			map.n.fwd_errors++;
	}
	for (tries = 0; tries < 3; tries++) {
		tb.n_gone = 0;
		ret = dp_map_routes(map.tunnel, on_route, &tb);
		if (ret != -EAGAIN)
			break;
	}
	for (k = 0; !ret && k < tb.n_gone; k++) {
		dp_map_route_del(map.tunnel, &tb.gone[k]);
		map.n.stale_routes++;
	}
	free(tb.gone);
	if (map.n.taken_back || map.n.stale_routes)
		log_info("map: %llu bindings taken back, %llu stale routes removed",
			 (unsigned long long)map.n.taken_back,
			 (unsigned long long)map.n.stale_routes);
}

/* --- lifecycle ---------------------------------------------------------------- */

static int load_credentials(struct creds *cr)
{
	const struct agent_config *c = cfg();

	if (creds_load(cr, c->map.private_key, c->map.certificate))
		return -1;
	if (cr->cert.kind != CBU_CERT_MAP ||
	    !cbu_cert_covers(&cr->cert, c->map.address.s6_addr) ||
	    !cbu_cert_covers(&cr->cert, c->map.rcoa_prefix.s6_addr) ||
	    cr->cert.prefix_len > c->map.rcoa_prefix_len) {
		log_err("%s: not a MAP certificate covering %s/%u",
			c->map.certificate, addr_str(&c->map.rcoa_prefix),
			c->map.rcoa_prefix_len);
		creds_wipe(cr);
		return -1;
	}
	return 0;
}

static int map_check(void)
{
	struct creds cr;
	int ret = load_credentials(&cr);

	creds_wipe(&cr);
	return ret;
}

/*
 * cbu.ko's map object: it hands up the local BUs to our address that come
 * in on a domain interface, and keeps everything else from us.
 */
static int kernel_map_set(void)
{
	const struct agent_config *c = cfg();
	struct cbu_genl_err err;
	struct cbu_map km;
	unsigned int i;
	int ret;

	memset(&km, 0, sizeof(km));
	km.tunnel = (uint32_t)map.tunnel;
	km.address = c->map.address;
	km.rcoa_prefix = c->map.rcoa_prefix;
	km.rcoa_len = c->map.rcoa_prefix_len;
	for (i = 0; i < c->map.n_interfaces; i++) {
		km.ifindex[i] = if_nametoindex(c->map.interfaces[i]);
		if (!km.ifindex[i]) {
			log_err("map: interface %s: %s", c->map.interfaces[i],
				strerror(errno));
			return -1;
		}
	}
	km.n_ifs = c->map.n_interfaces;
	ret = cbu_map_set(&agent.genl, &km, &err);
	if (ret) {
		log_err("cbu.ko: map: %s %s", strerror(-ret), err.msg);
		return -1;
	}
	map.kernel_set = true;
	return 0;
}

static int map_init(void)
{
	const struct agent_config *c = cfg();

	if (load_credentials(&map.cr))
		return -1;
	map.recs = calloc(c->map.max_bindings, sizeof(*map.recs));
	map.has = calloc(c->map.cert_cache, sizeof(*map.has));
	if (!map.recs || !map.has) {
		log_err("map: out of memory");
		return -1;
	}
	map.n_recs = c->map.max_bindings;
	map.n_has = c->map.cert_cache;
	if (cbu_cert_cache_init(&map.mn_cache, MAP_MN_CACHE)) {
		log_err("map: out of memory");
		return -1;
	}
	cbu_cookie_jar_init(&map.jar, now_s(), c->map.max_lifetime);
	tb_limit_init(&map.signed_rl, MAP_SIGNED_RATE, MAP_SIGNED_RATE,
		      MAP_SIGNED_ALL);
	tb_limit_init(&map.answer_rl, MAP_ANSWER_RATE, MAP_ANSWER_RATE,
		      MAP_ANSWER_ALL);
	if (dp_router_setup(c->map.link))
		return -1;
	map.tunnel = dp_map_tunnel(c->map.tunnel);
	if (map.tunnel < 0) {
		map.tunnel = 0;
		return -1;
	}
	if (kernel_map_set())
		return -1;
	takeback();
	map.tick.cb = map_tick;
	timer_arm(&map.tick, MAP_TICK_MS);
	log_info("MAP %s for %s/%u ready", addr_str(&c->map.address),
		 addr_str(&c->map.rcoa_prefix), c->map.rcoa_prefix_len);
	return 0;
}

static void map_fini(void)
{
	struct cbu_genl_err err;
	unsigned int i;

	timer_cancel(&map.tick);
	/*
	 * The routes go with the tunnel, the bindings with the map object;
	 * the proxy entries one by one.
	 */
	if (map.tunnel)
		dp_map_tunnel_del(map.tunnel);
	for (i = 0; i < map.n_recs; i++)
		if (map.recs[i].bound)
			dp_proxy(cfg()->map.link, &map.recs[i].rcoa, false);
	if (map.kernel_set && cbu_map_del(&agent.genl, &err))
		log_warn("cbu.ko: map: %s", err.msg);
	if (map.recs)
		sodium_memzero(map.recs, map.n_recs * sizeof(*map.recs));
	free(map.recs);
	free(map.has);
	cbu_cert_cache_free(&map.mn_cache);
	cbu_cookie_jar_wipe(&map.jar);
	creds_wipe(&map.cr);
	memset(&map, 0, sizeof(map));
}

static int map_reload(const struct agent_config *old)
{
	struct creds cr;

	(void)old;
	if (load_credentials(&cr))
		return -1;
	creds_wipe(&map.cr);
	map.cr = cr;
	creds_wipe(&cr);
	/* Cert_HAs were verified under the CA key, which may have changed. */
	memset(map.has, 0, map.n_has * sizeof(*map.has));
	return 0;
}

static const struct counter map_counters[] = {
	COUNTER(map_counters, bu, "  bu %llu"),
	COUNTER(map_counters, bound, " bound %llu"),
	COUNTER(map_counters, moved, " moved %llu"),
	COUNTER(map_counters, refreshed, " refreshed %llu"),
	COUNTER(map_counters, unbound, " unbound %llu"),
	COUNTER(map_counters, expired, " expired %llu"),
	COUNTER(map_counters, ba, " ba %llu"),
	COUNTER(map_counters, entries, " entries %llu"),
	COUNTER(map_counters, sig_checks, " sig-checks %llu"),
	COUNTER(map_counters, cert_cache_hits, " cert-cache-hits %llu\n"),
	COUNTER(map_counters, req_cert, "  req-cert %llu"),
	COUNTER(map_counters, rep_cert, " rep-cert %llu"),
	COUNTER(map_counters, held, " held %llu"),
	COUNTER(map_counters, req_cert_timeouts, " req-cert-timeouts %llu"),
	COUNTER(map_counters, rep_cert_unsolicited,
		" rep-cert-unsolicited %llu"),
	COUNTER(map_counters, nonce_flush, " nonce-flush %llu"),
	COUNTER(map_counters, limited, " limited %llu\n"),
	COUNTER(map_counters, bad_cert, "  refused: bad-cert %llu"),
	COUNTER(map_counters, hoa_mismatch, " hoa-mismatch %llu"),
	COUNTER(map_counters, bad_rcoa, " bad-rcoa %llu"),
	COUNTER(map_counters, bad_nonce, " bad-nonce %llu"),
	COUNTER(map_counters, seq_stale, " seq-stale %llu"),
	COUNTER(map_counters, bad_cert_ha, " bad-cert-ha %llu"),
	COUNTER(map_counters, wrong_prefix, " wrong-prefix %llu"),
	COUNTER(map_counters, expired_cert, " expired-cert %llu"),
	COUNTER(map_counters, bad_sig, " bad-sig %llu"),
	COUNTER(map_counters, bad_dh, " bad-dh %llu"),
	COUNTER(map_counters, rcoa_taken, " rcoa-taken %llu\n"),
	COUNTER(map_counters, taken_back, "  taken-back %llu"),
	COUNTER(map_counters, stale_routes, " stale-routes %llu"),
	COUNTER(map_counters, fwd_errors, " fwd-errors %llu\n"),
};

static void map_status(void)
{
	const struct agent_config *c = cfg();
	unsigned int i, bindings = 0, records = 0;

	for (i = 0; i < map.n_recs; i++) {
		records += map.recs[i].used;
		bindings += map.recs[i].bound;
	}
	open_json_object("map");
	print_string(PRINT_ANY, "address", "map %s", addr_str(&c->map.address));
	print_string(PRINT_ANY, "rcoa_prefix", " rcoa-prefix %s",
		     addr_str(&c->map.rcoa_prefix));
	print_uint(PRINT_ANY, "rcoa_prefix_len", "/%u", c->map.rcoa_prefix_len);
	print_string(PRINT_ANY, "tunnel", " tunnel %s", c->map.tunnel);
	print_uint(PRINT_ANY, "bindings", " bindings %u", bindings);
	print_uint(PRINT_ANY, "records", " records %u", records);
	print_nl();
	print_counters(&map.n, map_counters, ARRAY_SIZE(map_counters));
	close_json_object();
}

static const struct role_rx map_rx_list[] = {
	{ CBU_MH_EXP, CBU_SUB_REP_CERT, map_rep_cert },
	{ 0 }
};

const struct role_ops map_role = {
	.name = "map",
	.enabled = &agent.cfg.map.enabled,
	.check = map_check,
	.init = map_init,
	.fini = map_fini,
	.reload = map_reload,
	.status = map_status,
	.rx = map_rx_list,
	.kernel_mh = map_mh,
	.event = map_event,
};
