// SPDX-License-Identifier: GPL-2.0
/*
 * The mobile node's role: cheap work only.
 *
 * Home registration: REG sealed under k_HA from the care-of address to the
 * home agent, then the ESP home tunnel keyed from k_HA.
 *
 * Route optimization with a correspondent (draft section 3): REQ through
 * the tunnel, and the home agent does the rest; REP brings k_BU, k_BA,
 * k_EN and k_HA-next.  k_BA goes to cbu.ko, which verifies the CN's BA and
 * answers with the BC itself; the agent sends the BU (MAC_BU under k_BU)
 * and, once cbu.ko reports the binding confirmed, builds the ESP path to
 * the CN keyed from k_EN.
 *
 * k_HA, the ratchet (Documentation/wire-format.md §9.4): a REP that opens
 * under the k_HA in use offers k_HA-next, the same in every REP until we
 * use it; the next new request (REQ, REQ_KEY, REG: not a resent one) goes
 * under it.  The home agent opens both, and moves to the new key (and
 * the home tunnel with it) with our next REG: a move or a refresh.  The
 * old key stays, to open what the home agent sealed before it moved,
 * until something opens under the new one.  A REP opened under the old
 * key offers nothing new.
 *
 * Movement: a new care-of address is registered at home and sent to every
 * bound correspondent in one BU; its ESP path follows in the kernel.
 *
 * A mobile correspondent (draft section 4) is a correspondent like any
 * other: REQ, BU and REQ_KEY name its home address.  Its BA comes from its
 * care-of address, with a CN HoA option; cbu.ko checks it as the CN's and
 * reports where it came from, and the ESP path goes there, and follows
 * when it changes.  The correspondent asks for the BU that tells it with a
 * Binding Refresh Request when it moves.
 *
 * k_EN rekey (draft section 3): at three quarters of LT_EN (the CN's BA
 * says it; the ESP states die at LT_EN) a REQ_KEY through the tunnel; the
 * home agent runs EXCH0'/EXCH1' with the CN, and NEWKEY brings k_EN-new.
 * The CN listens on k_EN-new before it answers EXCH1', so the mobile node
 * sends under it at once; the CN sends under it once it has seen it used.
 * Meanwhile the old inbound state stays, until it expires.  No NEWKEY (the
 * home agent refused, or never answered): a full exchange gets new keys,
 * and the path stays meanwhile, while k_EN lives; at its end it goes, and
 * traffic falls back to the home tunnel.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>

#include <linux/if_addr.h>
#include <sodium.h>

#include "agent.h"
#include "control.h"
#include "dp.h"
#include "hm.h"
#include "kernel/mh.h"
#include "lib/crypto.h"
#include "lib/json_print.h"
#include "lib/rtnl.h"
#include "log.h"
#include "loop.h"
#include "mcn.h"

#define MN_MAX_CNS	CFG_MAX_CNS
#define MN_RETRY_MS	1000
#define MN_TRIES	5
#define MN_REG_Z_AFTER	(MN_TRIES * 2)	/* REGs unanswered: back to z */
#define MN_REG_Z_SOON	2	/* the same, when it may have restarted */
#define MN_HOME_REQID	0x30000
#define MN_RO_REQID	0x31000

enum ro_state {
	RO_IDLE,	/* nothing asked */
	RO_REQ,		/* REQ sent, waiting for REP */
	RO_BU,		/* keys in, BU sent, waiting for the kernel's BC */
	RO_BOUND,	/* confirmed: ESP to the CN */
	RO_NO_CBU,	/* the CN answered Binding Error 2 */
	RO_FAILED,	/* no answer, or refused */
};

static const char *const ro_names[] = {
	[RO_IDLE] = "idle", [RO_REQ] = "exchanging", [RO_BU] = "binding",
	[RO_BOUND] = "bound", [RO_NO_CBU] = "no-cbu", [RO_FAILED] = "failed",
};

/* A REP_NAK's reason, as `ro show` and the log say it. */
static const char *const nak_names[__CBU_NAK_MAX] = {
	[CBU_NAK_NO_CBU] = "no-cbu",
	[CBU_NAK_FAILED] = "failed", [CBU_NAK_CERT] = "certificate",
	[CBU_NAK_SIG] = "signature", [CBU_NAK_COOKIE] = "cookie",
};

static const char *const nak_says[__CBU_NAK_MAX] = {
	[CBU_NAK_NO_CBU] = "it does not speak CBU",
	[CBU_NAK_FAILED] = "no answer from it",
	[CBU_NAK_CERT] = "its certificate was refused",
	[CBU_NAK_SIG] = "its signature does not verify",
	[CBU_NAK_COOKIE] = "its answer was not to our cookies",
};

struct mn_cn {
	bool used;
	struct in6_addr cn;
	enum ro_state state;
	uint8_t nak;			/* the REP_NAK's reason, or 0 */
	uint8_t n0[CBU_NONCE_LEN];
	uint8_t k_bu[CBU_KEY_LEN];
	uint8_t k_ba[CBU_KEY_LEN];	/* for the BAs cbu.ko passes up */
	uint8_t k_en[CBU_KEY_LEN];
	bool path;			/* ESP path installed */
	struct in6_addr path_coa;	/* its CoA */
	/*
	 * Its far end: the CN, or a mobile CN's care-of address, which
	 * cbu.ko learns from the BA's source (draft section 4).
	 */
	struct in6_addr path_peer;
	uint16_t seq;
	uint32_t reqid;
	int tries;
	struct timer retry;
	uint64_t req_sent_ms;		/* the first REQ of this exchange */
	uint64_t setup_ms;		/* first REQ to REP, the last one */
	uint64_t bu_sent_ms;		/* the last BU */
	bool bu_unsent;			/* it found no route */
	uint64_t handover_ms;		/* BU to confirmed, the last one */
	/* The k_EN rekey. */
	uint32_t lt_en;			/* seconds k_EN lives; 0: for ever */
	uint64_t keyed_ms;		/* when this k_EN came */
	bool rekeying;			/* REQ_KEY sent, no NEWKEY yet */
	uint8_t n0_rk[CBU_NONCE_LEN];	/* its N0' */
	int rk_tries;
	uint64_t rk_sent_ms;		/* its first REQ_KEY */
	struct timer rekey;		/* the next rekey, or REQ_KEY again */
	uint8_t k_en_old[CBU_KEY_LEN];	/* of the inbound state left */
	bool old_in;
	uint64_t rekeys;
	uint64_t rekey_ms;		/* REQ_KEY to NEWKEY, the last one */
	bool brr_kicked;		/* a BRR sent the BU early this round */
};

static struct {
	uint8_t z[CBU_KEY_LEN];
	uint8_t k_ha[CBU_KEY_LEN];	/* in use: what we seal under */
	uint8_t k_prev[CBU_KEY_LEN];	/* until the home agent uses k_ha */
	uint8_t k_next[CBU_KEY_LEN];	/* offered, for our next request */
	bool has_prev, has_next;
	uint8_t tun_key[CBU_KEY_LEN];	/* the home tunnel's k_HA */
	uint8_t tun_nonces[2 * CBU_NONCE_LEN];	/* and its Ni | Nr */
	struct in6_addr coa;
	bool has_coa;
	/* Home registration. */
	bool registered;
	struct in6_addr reg_coa;	/* the CoA of the registration */
	uint16_t reg_seq;
	uint8_t reg_ni[CBU_NONCE_LEN];	/* the Ni of that REG */
	bool reg_waiting;		/* a REG sent, no REG_ACK yet */
	bool reg_unsent;		/* the last REG found no route */
	int reg_tries;
	int reg_z_after;		/* unanswered REGs before z */
	bool reg_resend;		/* its REG_ACK: ask again what waits */
	struct timer reg_timer;		/* retransmission, then refresh */
	struct cbu_rtnl addrs;		/* address notifications */
	struct loop_fd addrs_lfd;
	struct mn_cn cns[MN_MAX_CNS];
	struct mn_counters {
		uint64_t reg, reg_ack, rep, nak, bu, confirmed, moves,
			 seq_resync, brr, rekey, rekey_failed, k_ha_switch,
			 z_fallback, peer_moves;
		/* REP_NAKs for a new route optimization, by reason */
		uint64_t nak_no_cbu, nak_failed, nak_cert, nak_sig,
			 nak_cookie;
	} n;
} mn;

static struct mn_cn *cn_get(const struct in6_addr *cn, bool create)
{
	struct mn_cn *free_slot = NULL;
	unsigned int i;

	for (i = 0; i < MN_MAX_CNS; i++) {
		if (mn.cns[i].used && !memcmp(&mn.cns[i].cn, cn, 16))
			return &mn.cns[i];
		if (!mn.cns[i].used && !free_slot)
			free_slot = &mn.cns[i];
	}
	if (!create || !free_slot)
		return NULL;
	memset(free_slot, 0, sizeof(*free_slot));
	free_slot->used = true;
	free_slot->cn = *cn;
	free_slot->reqid = MN_RO_REQID + (uint32_t)(free_slot - mn.cns);
	return free_slot;
}

/* --- care-of address --------------------------------------------------- */

struct pick {
	int ifindex;
	struct in6_addr addr;
	bool found;
};

static int pick_addr(const struct cbu_rtnl_addr *a, void *arg)
{
	struct pick *p = arg;

	if (a->ifindex != p->ifindex || a->scope != 0 /* RT_SCOPE_UNIVERSE */ ||
	    (a->flags & (IFA_F_TENTATIVE | IFA_F_DEPRECATED | IFA_F_DADFAILED)) ||
	    !memcmp(&a->addr, &agent.cfg.mn.hoa, 16))
		return 0;
	p->addr = a->addr;
	p->found = true;
	return 1;
}

/*
 * The CoA: the first usable global address of the interfaces, in order,
 * and its interface's index.
 */
static bool coa_lookup(struct in6_addr *coa, int *ifindex)
{
	struct cbu_rtnl r;
	struct pick p;
	unsigned int i;
	int ret;

	if (cbu_rtnl_open(&r))
		return false;
	for (i = 0; i < agent.cfg.mn.n_interfaces; i++) {
		memset(&p, 0, sizeof(p));
		p.ifindex = (int)if_nametoindex(agent.cfg.mn.interfaces[i]);
		if (!p.ifindex)
			continue;
		do {
			ret = cbu_rtnl_addr_list(&r, p.ifindex, pick_addr, &p,
						 NULL);
		} while (ret == -EAGAIN);
		if (p.found) {
			*coa = p.addr;
			*ifindex = p.ifindex;
			break;
		}
	}
	cbu_rtnl_close(&r);
	return p.found;
}

/* --- k_HA ------------------------------------------------------------------ */

/*
 * Open a message of the home agent: under the k_HA in use (then the home
 * agent uses it too, and the one before it can go), or under the one
 * before it.  0 if it opened; *@cur tells which.
 */
static int mn_open(const struct cbu_msg *m, void *pt, size_t len, bool *cur)
{
	*cur = !cbu_msg_open(m, pt, len, mn.k_ha);
	if (*cur) {
		if (mn.has_prev)
			sodium_memzero(mn.k_prev, CBU_KEY_LEN);
		mn.has_prev = false;
		return 0;
	}
	return mn.has_prev ? cbu_msg_open(m, pt, len, mn.k_prev) : -1;
}

/*
 * A new request is about to go: under k_HA-next if one is offered (draft
 * section 3: "for next use when MN sends a new REQ").  No REG for it: the
 * home agent opens both keys, and a REG would rekey the home tunnel under
 * the answer already on its way.
 */
static void k_ha_advance(void)
{
	if (!mn.has_next)
		return;
	memcpy(mn.k_prev, mn.k_ha, CBU_KEY_LEN);
	mn.has_prev = true;
	memcpy(mn.k_ha, mn.k_next, CBU_KEY_LEN);
	sodium_memzero(mn.k_next, CBU_KEY_LEN);
	mn.has_next = false;
	mn.n.k_ha_switch++;
	log_info("k_HA-next in use");
}

int mn_ha_open(const struct cbu_msg *m, void *pt, size_t len)
{
	bool cur;

	return mn_open(m, pt, len, &cur);
}

void mn_ha_send(uint8_t subtype, const void *pt, size_t len)
{
	struct cbu_msg m;

	cbu_msg_init(&m, CBU_MH_EXP, subtype);
	cbu_msg_seal(&m, pt, len, mn.k_ha);
	io_send(&agent.cfg.mn.hoa, &agent.cfg.mn.ha, &m);
}

/* --- home registration -------------------------------------------------- */

/* REG under k_HA from the CoA; @lifetime in seconds, 0 deregisters. */
static void reg_send(unsigned int lifetime)
{
	struct cbu_reg_pt pt;
	struct cbu_msg m;

	memset(&pt, 0, sizeof(pt));
	memcpy(pt.hoa, &agent.cfg.mn.hoa, 16);
	memcpy(pt.coa, &mn.coa, 16);
	pt.seq = htons(mn.reg_seq);
	pt.lifetime = htons((uint16_t)(lifetime / 4));
	memcpy(pt.ni, mn.reg_ni, CBU_NONCE_LEN);
	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_REG);
	cbu_msg_seal(&m, &pt, sizeof(pt), mn.k_ha);
	mn.n.reg++;
	mn.reg_unsent = io_send(&mn.coa, &agent.cfg.mn.ha, &m) != 0;
}

static void reg_start(void)
{
	if (!mn.has_coa)
		return;
	if (!mn.reg_z_after)
		mn.reg_z_after = MN_REG_Z_AFTER;
	k_ha_advance();
	mn.reg_seq++;
	/*
	 * A refresh names the home tunnel's SAs by their Ni: the home agent
	 * keeps them.  Any other REG (a move, a new k_HA, a first one) asks
	 * for new SAs with a new Ni (wire-format.md §9.5).
	 */
	if (mn.registered && !memcmp(&mn.reg_coa, &mn.coa, 16) &&
	    !sodium_memcmp(mn.tun_key, mn.k_ha, CBU_KEY_LEN))
		memcpy(mn.reg_ni, mn.tun_nonces, CBU_NONCE_LEN);
	else
		cbu_random(mn.reg_ni, CBU_NONCE_LEN);
	mn.reg_tries = 0;
	mn.reg_waiting = true;
	reg_send(agent.cfg.mn.lifetime);
	timer_arm(&mn.reg_timer, MN_RETRY_MS);
}

static void ro_request(struct mn_cn *c);

/*
 * The home agent answers nothing under our k_HA: it restarted, most
 * likely, and knows only z.  The ratchet starts again from z; what we
 * asked under the old keys is asked again with new nonces, so that no
 * answer sealed under z before (and its k_HA-next) can be taken for one
 * of now.
 */
static void k_ha_reset(void)
{
	unsigned int i;

	log_info("back to z for the home agent");
	mn.n.z_fallback++;
	mn.reg_resend = true;
	memcpy(mn.k_ha, mn.z, CBU_KEY_LEN);
	sodium_memzero(mn.k_next, CBU_KEY_LEN);
	sodium_memzero(mn.k_prev, CBU_KEY_LEN);
	mn.has_next = mn.has_prev = false;
	for (i = 0; i < MN_MAX_CNS; i++) {
		struct mn_cn *c = &mn.cns[i];

		if (!c->used)
			continue;
		if (c->state == RO_REQ) {
			/* Asked again, with a new N0, once registered. */
			timer_cancel(&c->retry);
			c->state = RO_IDLE;
		}
		if (c->rekeying)
			cbu_random(c->n0_rk, CBU_NONCE_LEN);
	}
}

static void reg_timer_cb(struct timer *t)
{
	if (!mn.reg_waiting) {
		/* Refresh before the lifetime runs out. */
		reg_start();
		return;
	}
	if (++mn.reg_tries >= mn.reg_z_after) {
		log_warn("no answer from the home agent %s",
			 addr_str(&agent.cfg.mn.ha));
		mn.reg_tries = 0;
		mn.reg_z_after = MN_REG_Z_AFTER;
		/* A home agent that restarted knows only z. */
		if (sodium_memcmp(mn.k_ha, mn.z, CBU_KEY_LEN))
			k_ha_reset();
	}
	reg_send(agent.cfg.mn.lifetime);
	timer_arm(t, MN_RETRY_MS << (mn.reg_tries < 4 ? mn.reg_tries : 4));
}

/*
 * The home agent did not answer a REQ or REQ_KEY at all, or asked for a
 * new registration: it may have restarted, and lost our k_HA-next.  A REG
 * tells; two unanswered, and we go back to z.  A REG already waiting
 * goes again now, but its tries count on: a restarted home agent sends
 * BRR after BRR (1, 2, 4 s apart), and starting the REG over at each kept
 * us from z, and the home agent from us, for as long.
 */
static void ha_suspect(void)
{
	if (!sodium_memcmp(mn.k_ha, mn.z, CBU_KEY_LEN))
		mn.reg_z_after = MN_REG_Z_AFTER;
	else
		mn.reg_z_after = MN_REG_Z_SOON;
	mn.reg_resend = true;
	if (!mn.reg_waiting) {
		reg_start();
		return;
	}
	reg_send(agent.cfg.mn.lifetime);
	timer_arm(&mn.reg_timer, MN_RETRY_MS);
}

static void bu_send(struct mn_cn *c);
static void req_key_send(const struct mn_cn *c);

/*
 * A BU sent again takes a new Seq# (RFC 6275 11.8): the CN may have taken
 * the last one and lost its BA, and would refuse the same Seq# again.
 */
static void bu_resend(struct mn_cn *c)
{
	c->seq++;
	bu_send(c);
}

static void mn_reg_ack(struct rx *r)
{
	uint8_t nonces[2 * CBU_NONCE_LEN];
	struct cbu_reg_ack_pt pt;
	const uint8_t *key;
	unsigned int i;
	uint16_t seq;
	bool first, moved, cur, resend;

	if (mn_open(&r->msg, &pt, sizeof(pt), &cur) ||
	    memcmp(pt.hoa, &agent.cfg.mn.hoa, 16)) {
		log_info_rl("REG_ACK from %s: not for us", addr_str(&r->src));
		return;
	}
	if (pt.status == CBU_BA_SEQ_OUT_OF_WINDOW) {
		/* The home agent remembers a later Seq# (we restarted). */
		seq = ntohs(pt.seq);
		if ((int16_t)(seq - mn.reg_seq) < 0)
			return;
		log_info("the home agent has Seq# %u, ours was %u", seq,
			 mn.reg_seq);
		mn.n.seq_resync++;
		mn.reg_seq = seq;
		reg_start();
		return;
	}
	if (ntohs(pt.seq) != mn.reg_seq ||
	    (pt.status == CBU_BA_ACCEPTED &&
	     sodium_memcmp(pt.ni, mn.reg_ni, CBU_NONCE_LEN))) {
		/* Its SAs are keyed from our REG's Ni, or it is not ours. */
		log_info_rl("REG_ACK from %s: not for our REG",
			    addr_str(&r->src));
		return;
	}
	mn.n.reg_ack++;
	mn.reg_waiting = false;
	mn.reg_z_after = MN_REG_Z_AFTER;
	if (pt.status != CBU_BA_ACCEPTED) {
		log_warn("home registration refused (%u)", pt.status);
		timer_arm(&mn.reg_timer, MN_RETRY_MS << 4);
		return;
	}
	/*
	 * The home agent keyed its side from the key its REG_ACK came under
	 * and the nonces it names: those of the SAs we hold (a refresh), or
	 * our REG's Ni and its new Nr.
	 */
	key = cur ? mn.k_ha : mn.k_prev;
	memcpy(nonces, pt.ni, CBU_NONCE_LEN);
	memcpy(nonces + CBU_NONCE_LEN, pt.nr, CBU_NONCE_LEN);
	if (!mn.registered || memcmp(&mn.reg_coa, &mn.coa, 16) ||
	    sodium_memcmp(mn.tun_key, key, CBU_KEY_LEN) ||
	    memcmp(mn.tun_nonces, nonces, sizeof(nonces))) {
		if (dp_home_set(false, &mn.coa, &agent.cfg.mn.ha,
				&agent.cfg.mn.hoa, key, nonces,
				MN_HOME_REQID)) {
			log_err("cannot set up the home tunnel");
			return;
		}
		memcpy(mn.tun_key, key, CBU_KEY_LEN);
		memcpy(mn.tun_nonces, nonces, sizeof(nonces));
	}
	resend = mn.reg_resend;
	mn.reg_resend = false;
	first = !mn.registered;
	moved = !first && memcmp(&mn.reg_coa, &mn.coa, 16);
	if (first || moved)
		log_info("registered at %s from %s", addr_str(&agent.cfg.mn.ha),
			 addr_str(&mn.coa));
	mn.registered = true;
	mn.reg_coa = mn.coa;
	/* Our correspondents' mobile nodes, told of the new CoA. */
	mcn_mn_registered(moved);
	/* Refresh at three quarters of the lifetime granted. */
	timer_arm(&mn.reg_timer, (uint64_t)ntohs(pt.lifetime) * 3000);

	for (i = 0; i < MN_MAX_CNS; i++) {
		struct mn_cn *c = &mn.cns[i];

		if (!c->used)
			continue;
		/*
		 * A REQ or REQ_KEY waiting for its answer may have gone under
		 * a k_HA the home agent no longer knew (it restarted): again
		 * now, under the one it just acknowledged.  After any other
		 * REG (a move, a new k_HA: the home agent opens both keys)
		 * only what waited for the registration goes.
		 */
		if (c->state == RO_IDLE || (resend && c->state == RO_REQ))
			ro_request(c);
		else if (resend && c->rekeying)
			req_key_send(c);
	}
}

/* --- route optimization -------------------------------------------------- */

static void ro_retry(struct timer *t)
{
	struct mn_cn *c = container_of(t, struct mn_cn, retry);

	c->brr_kicked = false;
	if (++c->tries >= MN_TRIES) {
		log_warn("route optimization with %s: no answer",
			 addr_str(&c->cn));
		if (c->state == RO_REQ) {
			/* Asked again once the home agent answers a REG. */
			c->state = RO_IDLE;
			ha_suspect();
			return;
		}
		c->state = RO_FAILED;
		return;
	}
	if (c->state == RO_REQ) {
		ro_request(c);
		return;
	}
	/* A BU is outstanding: the first, or a move's or refresh's. */
	if (c->state == RO_BU || c->state == RO_BOUND)
		bu_resend(c);
	timer_arm(t, MN_RETRY_MS << c->tries);
}

static void bu_start(struct mn_cn *c);

/* The binding's lifetime is three quarters gone: BU again. */
static void bu_refresh(struct timer *t)
{
	bu_start(container_of(t, struct mn_cn, retry));
}

/* REQ = {Src=HoA, Des=HA, e(k_HA, HoA, CoA, CN, N0)} */
static void ro_request(struct mn_cn *c)
{
	struct cbu_req_pt pt;
	struct cbu_msg m;

	if (!mn.registered)
		return;		/* asked again once registered */
	if (c->state != RO_REQ) {
		k_ha_advance();
		c->state = RO_REQ;
		c->nak = 0;
		c->tries = 0;
		c->req_sent_ms = loop_now_ms();
		cbu_random(c->n0, CBU_NONCE_LEN);
	}
	memcpy(pt.hoa, &agent.cfg.mn.hoa, 16);
	memcpy(pt.coa, &mn.coa, 16);
	memcpy(pt.cn, &c->cn, 16);
	memcpy(pt.n0, c->n0, CBU_NONCE_LEN);
	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_REQ);
	cbu_msg_seal(&m, &pt, sizeof(pt), mn.k_ha);
	io_send(&agent.cfg.mn.hoa, &agent.cfg.mn.ha, &m);
	c->retry.cb = ro_retry;
	timer_arm(&c->retry, MN_RETRY_MS << c->tries);
}

/* BU = {Src=CoA, Des=CN, HoA, Seq#, LT_BU, MAC_BU}; the A flag asks a BA. */
static void bu_send(struct mn_cn *c)
{
	const struct in6_addr *hoa = &agent.cfg.mn.hoa;
	struct cbu_msg m;

	cbu_msg_init(&m, CBU_MH_BU, 0);
	m.seq = c->seq;
	m.flags = CBU_BU_F_A;
	m.lifetime = (uint16_t)(agent.cfg.mn.lifetime / 4);
	m.has_auth = true;
	cbu_mac_bu(m.auth, c->k_bu, hoa->s6_addr, mn.coa.s6_addr, m.seq,
		   m.lifetime);
	c->bu_sent_ms = loop_now_ms();
	mn.n.bu++;
	c->bu_unsent = io_send_pkt(&mn.coa, &c->cn, hoa, &m, NULL, NULL) != 0;
}

static void bu_start(struct mn_cn *c)
{
	c->seq++;
	c->state = c->state == RO_BOUND ? RO_BOUND : RO_BU;
	c->tries = 0;
	c->brr_kicked = false;
	bu_send(c);
	c->retry.cb = ro_retry;
	timer_arm(&c->retry, MN_RETRY_MS);
}

/* --- k_EN rekey ----------------------------------------------------------- */

/* Our side of the ESP path to @c's CN, where it is now. */
static void path_of(const struct mn_cn *c, struct dp_ro *ro)
{
	memset(ro, 0, sizeof(*ro));
	ro->local = c->path_coa;
	ro->remote = c->path_peer;
	ro->hoa = agent.cfg.mn.hoa;
	ro->cn = c->cn;
	ro->reqid = c->reqid;
}

/* The path goes with its keys: traffic falls back to the home tunnel. */
static void path_drop(struct mn_cn *c)
{
	if (c->path)
		dp_flush(c->reqid);
	c->path = false;
	c->old_in = false;
	sodium_memzero(c->k_en_old, CBU_KEY_LEN);
}

/*
 * The inbound state of the k_EN before the last rekey goes: before a move
 * (XFRM_MIGRATE moves one state of a reqid each way: the right one must be
 * alone), or for a new path.
 */
static void old_in_drop(struct mn_cn *c)
{
	struct dp_ro ro;

	if (!c->old_in)
		return;
	path_of(c, &ro);
	dp_ro_state_del(&ro, false, c->k_en_old);
	c->old_in = false;
	sodium_memzero(c->k_en_old, CBU_KEY_LEN);
}

static void rekey_cb(struct timer *t);

/* The next rekey at three quarters of LT_EN, if k_EN has a lifetime. */
static void rekey_schedule(struct mn_cn *c)
{
	uint64_t at, now = loop_now_ms();

	c->rekeying = false;
	c->rekey.cb = rekey_cb;
	if (!c->lt_en) {
		timer_cancel(&c->rekey);
		return;
	}
	at = c->keyed_ms + (uint64_t)c->lt_en * 750;
	timer_arm(&c->rekey, at > now ? at - now : 0);
}

/* REQ_KEY = {Src=HoA, Des=HA, e(k_HA, HoA, CoA, CN, N0', REQKEN)} */
static void req_key_send(const struct mn_cn *c)
{
	struct cbu_req_key_pt pt;
	struct cbu_msg m;

	memcpy(pt.hoa, &agent.cfg.mn.hoa, 16);
	memcpy(pt.coa, &mn.coa, 16);
	memcpy(pt.cn, &c->cn, 16);
	memcpy(pt.n0, c->n0_rk, CBU_NONCE_LEN);
	pt.reqken = CBU_REQKEN;
	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_REQ_KEY);
	cbu_msg_seal(&m, &pt, sizeof(pt), mn.k_ha);
	io_send(&agent.cfg.mn.hoa, &agent.cfg.mn.ha, &m);
}

static uint64_t k_en_end(const struct mn_cn *c)
{
	return c->keyed_ms + (uint64_t)c->lt_en * 1000;
}

/*
 * No k_EN-new: a full exchange brings new keys.  The path keeps carrying
 * the traffic while k_EN lives (make before break): its REP replaces it,
 * or rekey_cb() removes it when k_EN ends first.
 */
static void rekey_fail(struct mn_cn *c, const char *why, bool unanswered)
{
	uint64_t now = loop_now_ms(), end = k_en_end(c);

	log_warn("k_EN rekey with %s: %s; a new exchange", addr_str(&c->cn),
		 why);
	mn.n.rekey_failed++;
	timer_cancel(&c->rekey);
	timer_cancel(&c->retry);
	c->rekeying = false;
	if (c->path && now < end)
		timer_arm(&c->rekey, end - now);
	else
		path_drop(c);
	c->state = RO_IDLE;
	if (unanswered)
		ha_suspect();
	ro_request(c);
}

/* Time to rekey, or to send REQ_KEY again (with backoff, until k_EN dies). */
static void rekey_cb(struct timer *t)
{
	struct mn_cn *c = container_of(t, struct mn_cn, rekey);
	uint64_t now = loop_now_ms(), delay;
	uint64_t end = k_en_end(c);

	if (!c->rekeying) {
		if (c->state != RO_BOUND && c->path && now >= end) {
			/* The new exchange did not make it in time. */
			log_info("k_EN with %s ended: the home tunnel until new keys",
				 addr_str(&c->cn));
			path_drop(c);
		}
		if (c->state != RO_BOUND || !c->path)
			return;		/* a new exchange is under way */
		k_ha_advance();
		c->rekeying = true;
		c->rk_tries = 0;
		c->rk_sent_ms = now;
		cbu_random(c->n0_rk, CBU_NONCE_LEN);
		log_info("k_EN with %s: REQ_KEY", addr_str(&c->cn));
	} else if (++c->rk_tries >= MN_TRIES || now >= end) {
		rekey_fail(c, "no NEWKEY", true);
		return;
	}
	req_key_send(c);
	delay = MN_RETRY_MS << c->rk_tries;
	if (now < end && now + delay > end)
		delay = end - now;
	timer_arm(t, delay);
}

/* NEWKEY = {Src=HA, Des=HoA, e(k_HA, N0', k_EN-new, LT_EN)} */
static void mn_newkey(struct rx *r)
{
	struct cbu_newkey_pt pt;
	struct mn_cn *c = NULL;
	uint64_t now = loop_now_ms();
	struct dp_ro ro;
	unsigned int i;
	uint32_t lt;
	bool cur;

	if (mn_open(&r->msg, &pt, sizeof(pt), &cur)) {
		log_info_rl("NEWKEY from %s: does not open", addr_str(&r->src));
		return;
	}
	for (i = 0; i < MN_MAX_CNS && !c; i++)
		if (mn.cns[i].used && mn.cns[i].rekeying &&
		    !sodium_memcmp(mn.cns[i].n0_rk, pt.n0, CBU_NONCE_LEN))
			c = &mn.cns[i];
	if (!c) {
		log_debug("NEWKEY for no rekey of ours (a resent one?)");
		goto out;
	}
	lt = (uint32_t)ntohs(pt.lt_en) * 4;
	if (c->path) {
		/*
		 * The CN listens on k_EN-new already: in and out under it
		 * now, the old out goes; the old in stays for what the CN
		 * sends until it sees k_EN-new used (and dies with k_EN).
		 */
		old_in_drop(c);
		path_of(c, &ro);
		if (dp_ro_state_add(&ro, false, pt.k_en, lt) ||
		    dp_ro_state_add(&ro, true, pt.k_en, lt)) {
			rekey_fail(c, "cannot install k_EN-new", false);
			goto out;
		}
		dp_ro_state_del(&ro, true, c->k_en);
		memcpy(c->k_en_old, c->k_en, CBU_KEY_LEN);
		c->old_in = true;
		/*
		 * The CN sends under k_EN-new once it has seen it used: show
		 * it now, whatever the traffic, with an ESP dummy packet (as
		 * WireGuard confirms a new session with a keepalive).
		 */
		io_send_none(&agent.cfg.mn.hoa, &c->cn);
	}
	memcpy(c->k_en, pt.k_en, CBU_KEY_LEN);
	c->lt_en = lt;
	c->keyed_ms = now;
	c->rekey_ms = now - c->rk_sent_ms;
	c->rekeys++;
	mn.n.rekey++;
	log_info("NEWKEY: k_EN with %s renewed, REQ_KEY to NEWKEY in %llu ms",
		 addr_str(&c->cn), (unsigned long long)c->rekey_ms);
	rekey_schedule(c);
out:
	sodium_memzero(&pt, sizeof(pt));
}

/* --- route optimization, continued ---------------------------------------- */

static int key_to_kernel(struct mn_cn *c, const uint8_t k_ba[CBU_KEY_LEN])
{
	struct cbu_genl_err err;
	struct cbu_key_cfg kc;
	int ret;

	memset(&kc, 0, sizeof(kc));
	kc.hoa = agent.cfg.mn.hoa;
	kc.cn = c->cn;
	kc.role = CBU_ROLE_MN;
	memcpy(kc.k_ba, k_ba, CBU_KEY_LEN);
	ret = cbu_key_new(&agent.genl, &kc, &err);
	if (ret == -EEXIST)
		ret = cbu_key_set(&agent.genl, &kc, &err);
	sodium_memzero(&kc, sizeof(kc));
	if (ret)
		log_err("cbu.ko refused k_BA for %s: %s %s", addr_str(&c->cn),
			strerror(-ret), err.msg);
	return ret;
}

/* REP = {Src=HA, Des=HoA, e(k_HA, N0, k_BU, k_BA, k_EN, k_HA-next)} */
static void mn_rep(struct rx *r)
{
	struct cbu_rep_pt pt;
	struct mn_cn *c = NULL;
	unsigned int i;
	bool cur;

	if (mn_open(&r->msg, &pt, sizeof(pt), &cur)) {
		log_info_rl("REP from %s: does not open", addr_str(&r->src));
		return;
	}
	for (i = 0; i < MN_MAX_CNS && !c; i++)
		if (mn.cns[i].used && mn.cns[i].state == RO_REQ &&
		    !sodium_memcmp(mn.cns[i].n0, pt.n0, CBU_NONCE_LEN))
			c = &mn.cns[i];
	if (!c) {
		log_debug("REP for no request of ours (a resent one?)");
		goto out;
	}
	mn.n.rep++;
	timer_cancel(&c->retry);
	c->setup_ms = loop_now_ms() - c->req_sent_ms;
	if (key_to_kernel(c, pt.k_ba)) {
		c->state = RO_FAILED;
		goto out;
	}
	memcpy(c->k_bu, pt.k_bu, CBU_KEY_LEN);
	memcpy(c->k_ba, pt.k_ba, CBU_KEY_LEN);
	if (c->path && sodium_memcmp(c->k_en, pt.k_en, CBU_KEY_LEN))
		path_drop(c);		/* new keys, new path */
	memcpy(c->k_en, pt.k_en, CBU_KEY_LEN);
	c->keyed_ms = loop_now_ms();
	c->rekeying = false;
	timer_cancel(&c->rekey);
	/*
	 * Under the key in use, it offers the home agent's k_HA-next (the
	 * key itself: none).  Under the one before, the home agent had not
	 * yet seen ours used: what it offered then is the one we use now.
	 */
	if (cur && sodium_memcmp(pt.k_ha_next, mn.k_ha, CBU_KEY_LEN)) {
		memcpy(mn.k_next, pt.k_ha_next, CBU_KEY_LEN);
		mn.has_next = true;
	}
	log_info("REP: keys for %s", addr_str(&c->cn));
	c->state = RO_BU;
	bu_start(c);
out:
	sodium_memzero(&pt, sizeof(pt));
}

static void mn_nak(struct rx *r)
{
	struct cbu_rep_nak_pt pt;
	struct mn_cn *c;
	struct in6_addr cn;
	bool cur;

	if (mn_open(&r->msg, &pt, sizeof(pt), &cur))
		return;
	memcpy(&cn, pt.cn, 16);
	c = cn_get(&cn, false);
	if (c && c->rekeying &&
	    !sodium_memcmp(c->n0_rk, pt.n0, CBU_NONCE_LEN)) {
		mn.n.nak++;
		rekey_fail(c, "refused by the home agent", false);
		return;
	}
	if (!c || c->state != RO_REQ ||
	    sodium_memcmp(c->n0, pt.n0, CBU_NONCE_LEN))
		return;
	mn.n.nak++;
	timer_cancel(&c->retry);
	/* One we do not know (a newer home agent's) is a failure. */
	c->nak = pt.reason && pt.reason < __CBU_NAK_MAX ? pt.reason :
		 CBU_NAK_FAILED;
	switch (c->nak) {
	case CBU_NAK_NO_CBU:
		mn.n.nak_no_cbu++;
		break;
	case CBU_NAK_CERT:
		mn.n.nak_cert++;
		break;
	case CBU_NAK_SIG:
		mn.n.nak_sig++;
		break;
	case CBU_NAK_COOKIE:
		mn.n.nak_cookie++;
		break;
	default:
		mn.n.nak_failed++;
	}
	c->state = c->nak == CBU_NAK_NO_CBU ? RO_NO_CBU : RO_FAILED;
	log_info("no route optimization with %s: %s; traffic stays home",
		 addr_str(&cn), nak_says[c->nak]);
}

/*
 * cbu.ko takes a BA that accepts our BU, and passes up the others.  Status
 * 135 (RFC 6275 9.5.1) says the CN's binding is ahead of our Seq#: it
 * outlived our state for it (`ro stop` then start, a restart).  Authentic
 * under k_BA, it moves our Seq# past the CN's, and the BU goes again.
 */
static void mn_ba(struct rx *r)
{
	const struct cbu_msg *m = &r->msg;
	uint8_t mac[CBU_MAC_LEN];
	struct mn_cn *c;

	c = cn_get(&r->src, false);
	if (!c || (c->state != RO_BU && c->state != RO_BOUND) ||
	    m->status != CBU_BA_SEQ_OUT_OF_WINDOW || !m->has_auth ||
	    !m->has_lt_en || !m->has_hoa ||
	    memcmp(m->hoa, &agent.cfg.mn.hoa, 16) ||
	    memcmp(&r->dst, &mn.coa, 16))
		return;
	cbu_mac_ba(mac, c->k_ba, r->dst.s6_addr, r->src.s6_addr, m->seq,
		   m->lifetime, m->lt_en);
	if (sodium_memcmp(mac, m->auth, CBU_MAC_LEN)) {
		log_info_rl("BA from %s: bad MAC", addr_str(&r->src));
		return;
	}
	if ((int16_t)(m->seq - c->seq) < 0)
		return;		/* behind us: an old BA */
	log_info_rl("%s has Seq# %u, ours was %u: BU again", addr_str(&c->cn),
		    m->seq, c->seq);
	mn.n.seq_resync++;
	timer_cancel(&c->retry);
	c->seq = m->seq;
	bu_start(c);
}

/*
 * A correspondent asks for a BU: its binding stopped for want of our BC
 * (lost), or a mobile correspondent moved (draft section 4).
 * Unauthenticated, so it only starts a BU when none is under way: a forged
 * one costs a BU, a MAC and nothing else.  With one under way, it sends
 * that BU again at once, but once a retransmission interval: when both
 * nodes move, our BU went to where the correspondent was, and its BRR
 * says it is now reachable.  Our home agent
 * asks for a REG: a forged one costs a REG, and z only if the home agent
 * does not answer it either.
 */
static void mn_brr(struct rx *r)
{
	struct mn_cn *c = cn_get(&r->src, false);

	if (!memcmp(&r->src, &agent.cfg.mn.ha, 16) &&
	    !memcmp(&r->dst, &mn.coa, 16)) {
		/* Our home agent restarted, most likely. */
		log_info_rl("the home agent asks for a registration");
		mn.n.brr++;
		ha_suspect();
		return;
	}

	if (!c || c->state != RO_BOUND || memcmp(&r->dst, &mn.coa, 16))
		return;
	if (c->retry.armed && c->retry.cb == ro_retry) {
		if (c->brr_kicked)
			return;
		c->brr_kicked = true;
		log_info_rl("%s asks for a BU: the one under way again",
			    addr_str(&c->cn));
		mn.n.brr++;
		bu_resend(c);
		return;
	}
	log_info_rl("%s asks for a BU", addr_str(&c->cn));
	mn.n.brr++;
	bu_start(c);
}

static void mn_rx(struct rx *r)
{
	switch (r->msg.subtype) {
	case CBU_SUB_REG_ACK:
		mn_reg_ack(r);
		break;
	case CBU_SUB_REP:
		mn_rep(r);
		break;
	case CBU_SUB_REP_NAK:
		mn_nak(r);
		break;
	case CBU_SUB_NEWKEY:
		mn_newkey(r);
		break;
	case CBU_SUB_KEYS:
		mcn_mn_keys(r);
		break;
	case CBU_SUB_TEST:
		mcn_mn_test(r);
		break;
	}
}

/*
 * A mobile correspondent answered from another care-of address (draft
 * section 4): the far end of the path follows.  Only from a BA that
 * accepted our latest BU: its Seq# keeps an old BA, from an address the
 * correspondent has left, from pulling the path back.
 */
static void path_follow(struct mn_cn *c, const struct in6_addr *peer)
{
	struct dp_ro ro;

	if (!memcmp(&c->path_peer, peer, 16))
		return;
	/* XFRM_MIGRATE moves one state a way: the old inbound goes first. */
	old_in_drop(c);
	path_of(c, &ro);
	if (dp_ro_move(&ro, &c->path_coa, peer)) {
		log_err("cannot move the ESP path to %s", addr_str(&c->cn));
		return;
	}
	mn.n.peer_moves++;
	log_info("%s is now at %s", addr_str(&c->cn), addr_str(peer));
	c->path_peer = *peer;
}

/* cbu.ko verified the CN's BA and sent the BC: the binding holds. */
static void mn_event(const struct cbu_event_info *ev)
{
	const struct cbu_binding_info *b = &ev->b;
	const struct in6_addr *peer;
	struct mn_cn *c;

	mcn_mn_event(ev);
	if (b->role != CBU_ROLE_MN || ev->event != CBU_EVENT_CONFIRMED ||
	    memcmp(&b->hoa, &agent.cfg.mn.hoa, 16))
		return;
	c = cn_get(&b->cn, false);
	if (!c || b->seq != c->seq)
		return;
	timer_cancel(&c->retry);
	c->handover_ms = loop_now_ms() - c->bu_sent_ms;
	mn.n.confirmed++;
	if (b->has & CBU_HAS(CBU_A_BCE_LT_EN))
		c->lt_en = b->lt_en;
	/* A mobile CN's BA came from its care-of address. */
	peer = b->has & CBU_HAS(CBU_A_BCE_PEER_COA) ? &b->peer_coa : &b->cn;
	if (!c->path) {
		struct dp_ro ro;

		c->path_coa = b->coa;
		c->path_peer = *peer;
		path_of(c, &ro);
		/* The states die with k_EN: a rekey replaces them first. */
		if (dp_ro_add(&ro, c->k_en, c->lt_en)) {
			log_err("cannot set up the ESP path to %s",
				addr_str(&c->cn));
			c->state = RO_FAILED;
			return;
		}
		c->path = true;
		rekey_schedule(c);
	} else {
		path_follow(c, peer);
	}
	c->state = RO_BOUND;
	if (b->has & CBU_HAS(CBU_A_BCE_LIFETIME) && b->lifetime) {
		c->retry.cb = bu_refresh;
		timer_arm(&c->retry, (uint64_t)b->lifetime * 750);
	}
	log_info("bound with %s at %s, BU to BA/BC in %llu ms",
		 addr_str(&c->cn), addr_str(&b->coa),
		 (unsigned long long)c->handover_ms);
}

void mn_coa_set(const struct in6_addr *coa)
{
	unsigned int i;
	bool moved;

	if (mn.has_coa && !memcmp(coa, &mn.coa, 16))
		return;
	/* A move: a CoA before (even if lost since), and not this one. */
	moved = !IN6_IS_ADDR_UNSPECIFIED(&mn.coa) && memcmp(coa, &mn.coa, 16);
	mn.coa = *coa;
	mn.has_coa = true;
	log_info("care-of address %s", addr_str(coa));
	mcn_mn_coa(coa);
	reg_start();
	if (!moved)
		return;
	mn.n.moves++;
	/* One BU each; the ESP path of ours moves with the CoA. */
	for (i = 0; i < MN_MAX_CNS; i++) {
		struct mn_cn *c = &mn.cns[i];

		if (!c->used)
			continue;
		if (c->state != RO_BOUND && c->state != RO_BU) {
			/* A path kept for a new exchange: no BU moves it. */
			path_drop(c);
			continue;
		}
		old_in_drop(c);
		if (c->path) {
			struct dp_ro ro;

			path_of(c, &ro);
			if (!dp_ro_move(&ro, coa, &c->path_peer))
				c->path_coa = *coa;
		}
		bu_start(c);
	}
}

/*
 * The on-link care-of address may have changed.  Under a MAP (hm.c) the
 * CoA is its RCoA, which a local move leaves as it is.
 */
static void mn_addr_changed(void)
{
	struct in6_addr lcoa;
	int ifindex = 0;

	if (!coa_lookup(&lcoa, &ifindex)) {
		if (hm_lcoa(NULL, 0))
			return;
		if (mn.has_coa)
			log_info("no care-of address any more");
		mn.has_coa = false;
		return;
	}
	if (!hm_lcoa(&lcoa, ifindex))
		mn_coa_set(&lcoa);
}

/* What one read of the rtnetlink socket brought. */
struct rt_events {
	bool addr;			/* an address came or went */
	bool route;			/* a default route came */
};

static int addr_event(const struct cbu_rtnl_addr *a, void *arg)
{
	(void)a;
	((struct rt_events *)arg)->addr = true;
	return 0;
}

/*
 * A new default route: what went nowhere for want of one (a REG, BUs just
 * after a move: the address often comes before the route) goes now rather
 * than at its next retransmission.  Only what the kernel refused to send:
 * an address and its route in one read of the socket (`ip -batch`, SLAAC)
 * sent them already, by that route.
 */
static void mn_route_added(void)
{
	unsigned int i, n = 0;

	hm_route_added();
	if (!mn.has_coa)
		return;
	if (mn.reg_waiting && mn.reg_unsent) {
		reg_send(agent.cfg.mn.lifetime);
		n++;
	}
	for (i = 0; i < MN_MAX_CNS; i++) {
		struct mn_cn *c = &mn.cns[i];

		if (c->used && c->bu_unsent && c->retry.armed &&
		    c->retry.cb == ro_retry &&
		    (c->state == RO_BU || c->state == RO_BOUND)) {
			bu_resend(c);
			n++;
		}
	}
	if (n)
		log_info("a default route: %u message%s sent again", n,
			 n == 1 ? "" : "s");
}

static int route_event(const struct cbu_rtnl_route_ev *ev, void *arg)
{
	if (!ev->removed && !ev->dst_len && ev->type == RTN_UNICAST)
		((struct rt_events *)arg)->route = true;
	return 0;
}

static void addrs_cb(struct loop_fd *lfd, uint32_t events)
{
	struct rt_events e = { false, false };
	int ret;

	(void)lfd;
	(void)events;
	ret = cbu_rtnl_event_read(&mn.addrs, addr_event, route_event, &e);
	if (e.addr || ret == -ENOBUFS)
		mn_addr_changed();
	if (e.route)
		mn_route_added();
}

/* --- control ------------------------------------------------------------- */

static int ro_start(int argc, char **argv)
{
	struct in6_addr a;
	struct mn_cn *c;

	if (argc != 3 || inet_pton(AF_INET6, argv[2], &a) != 1) {
		control_error("usage: ro start CN-ADDRESS");
		return -1;
	}
	c = cn_get(&a, true);
	if (!c) {
		control_error("too many correspondents");
		return -1;
	}
	if (c->state == RO_REQ || c->state == RO_BU || c->state == RO_BOUND) {
		print_string(PRINT_ANY, "state", "%s\n", ro_names[c->state]);
		return 0;
	}
	c->state = RO_IDLE;
	ro_request(c);
	print_string(PRINT_ANY, "state", "%s\n", ro_names[c->state]);
	return 0;
}

/* End route optimization with @c: a BU of lifetime 0, then forget it. */
static void ro_end(struct mn_cn *c)
{
	struct cbu_genl_err err;
	struct cbu_msg m;

	timer_cancel(&c->retry);
	timer_cancel(&c->rekey);
	if (c->state == RO_BOUND || c->state == RO_BU) {
		/* Lifetime 0: the CN drops the binding and its path. */
		cbu_msg_init(&m, CBU_MH_BU, 0);
		m.seq = ++c->seq;
		m.has_auth = true;
		cbu_mac_bu(m.auth, c->k_bu, agent.cfg.mn.hoa.s6_addr,
			   mn.coa.s6_addr, m.seq, 0);
		io_send_pkt(&mn.coa, &c->cn, &agent.cfg.mn.hoa, &m, NULL, NULL);
	}
	if (c->path)
		dp_flush(c->reqid);
	cbu_key_del(&agent.genl, &agent.cfg.mn.hoa, &c->cn, &err);
	sodium_memzero(c, sizeof(*c));
}

static int ro_stop(int argc, char **argv)
{
	struct in6_addr a;
	struct mn_cn *c;

	if (argc != 3 || inet_pton(AF_INET6, argv[2], &a) != 1) {
		control_error("usage: ro stop CN-ADDRESS");
		return -1;
	}
	c = cn_get(&a, false);
	if (!c) {
		control_error("no route optimization with %s", argv[2]);
		return -1;
	}
	ro_end(c);
	print_string(PRINT_ANY, "state", "%s\n", "stopped");
	return 0;
}

static int ro_rekey(int argc, char **argv)
{
	struct in6_addr a;
	struct mn_cn *c;

	if (argc != 3 || inet_pton(AF_INET6, argv[2], &a) != 1) {
		control_error("usage: ro rekey CN-ADDRESS");
		return -1;
	}
	c = cn_get(&a, false);
	if (!c || c->state != RO_BOUND || !c->path) {
		control_error("ro rekey: no route optimization bound with %s",
			      argv[2]);
		return -1;
	}
	/* One under way goes on: its REQ_KEY is already on its way. */
	if (!c->rekeying) {
		timer_cancel(&c->rekey);
		rekey_cb(&c->rekey);
	}
	print_string(PRINT_ANY, "state", "%s\n", "rekeying");
	return 0;
}

static int ro_show(int argc, char **argv)
{
	unsigned int i;

	(void)argc;
	(void)argv;
	for (i = 0; i < MN_MAX_CNS; i++) {
		const struct mn_cn *c = &mn.cns[i];

		if (!c->used)
			continue;
		open_json_object(NULL);
		print_string(PRINT_ANY, "cn", "%s", addr_str(&c->cn));
		print_string(PRINT_ANY, "state", " %s", ro_names[c->state]);
		if (c->nak && (c->state == RO_FAILED || c->state == RO_NO_CBU))
			print_string(PRINT_ANY, "reason", " reason %s",
				     nak_names[c->nak]);
		if (c->state == RO_BOUND || c->state == RO_BU)
			print_uint(PRINT_ANY, "seq", " seq %u", c->seq);
		if (c->path)
			print_string(PRINT_ANY, "coa", " coa %s",
				     addr_str(&c->path_coa));
		if (c->path && memcmp(&c->path_peer, &c->cn, 16))
			print_string(PRINT_ANY, "peer_coa", " peer-coa %s",
				     addr_str(&c->path_peer));
		if (c->setup_ms)
			print_u64(PRINT_ANY, "req_to_rep_ms", " req-rep %llu ms",
				  c->setup_ms);
		if (c->handover_ms)
			print_u64(PRINT_ANY, "bu_to_ba_ms", " bu-ba %llu ms",
				  c->handover_ms);
		if (c->lt_en)
			print_uint(PRINT_ANY, "lt_en", " lt-en %u", c->lt_en);
		if (c->rekeys) {
			print_u64(PRINT_ANY, "rekeys", " rekeys %llu",
				  c->rekeys);
			print_u64(PRINT_ANY, "req_key_to_newkey_ms",
				  " req-key-newkey %llu ms", c->rekey_ms);
		}
		print_nl();
		close_json_object();
	}
	return 0;
}

static const struct counter mn_counters[] = {
	COUNTER(mn_counters, reg, "  reg %llu"),
	COUNTER(mn_counters, reg_ack, " reg-ack %llu"),
	COUNTER(mn_counters, rep, " rep %llu"),
	COUNTER(mn_counters, nak, " nak %llu"),
	COUNTER(mn_counters, bu, " bu %llu"),
	COUNTER(mn_counters, confirmed, " confirmed %llu"),
	COUNTER(mn_counters, moves, " moves %llu"),
	COUNTER(mn_counters, seq_resync, " seq-resync %llu"),
	COUNTER(mn_counters, brr, " brr %llu"),
	COUNTER(mn_counters, rekey, " rekey %llu"),
	COUNTER(mn_counters, rekey_failed, " rekey-failed %llu"),
	COUNTER(mn_counters, k_ha_switch, " k-ha-switch %llu"),
	COUNTER(mn_counters, z_fallback, " z-fallback %llu"),
	COUNTER(mn_counters, peer_moves, " peer-moves %llu\n"),
	COUNTER(mn_counters, nak_no_cbu, "  nak: no-cbu %llu"),
	COUNTER(mn_counters, nak_failed, " failed %llu"),
	COUNTER(mn_counters, nak_cert, " certificate %llu"),
	COUNTER(mn_counters, nak_sig, " signature %llu"),
	COUNTER(mn_counters, nak_cookie, " cookie %llu\n"),
};

static void mn_status(void)
{
	open_json_object("mobile_node");
	print_string(PRINT_ANY, "hoa", "mobile-node %s",
		     addr_str(&agent.cfg.mn.hoa));
	print_string(PRINT_ANY, "home_agent", " home-agent %s",
		     addr_str(&agent.cfg.mn.ha));
	if (mn.has_coa)
		print_string(PRINT_ANY, "coa", " coa %s", addr_str(&mn.coa));
	print_bool(PRINT_ANY, "registered", " registered %s", mn.registered);
	print_nl();
	print_counters(&mn.n, mn_counters, ARRAY_SIZE(mn_counters));
	hm_status();
	mcn_mn_status();
	close_json_object();
}

static int mn_show(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mn_status();
	return 0;
}

static int mn_check(void)
{
	uint8_t z[CBU_KEY_LEN];
	int ret;

	ret = read_secret(agent.cfg.mn.secret, z);
	sodium_memzero(z, sizeof(z));
	return ret || hm_check() ? -1 : 0;
}

static int mn_init(void)
{
	const struct agent_config *c = &agent.cfg;
	unsigned int i;
	int ret;

	if (read_secret(c->mn.secret, mn.z))
		return -1;
	memcpy(mn.k_ha, mn.z, CBU_KEY_LEN);
	/* Our reqids: what a killed instance left is ours to remove. */
	dp_flush_range(MN_HOME_REQID, MN_RO_REQID + MN_MAX_CNS - 1);
	/* The home address is ours wherever we are. */
	ret = dp_lo_addr(&c->mn.hoa, true);
	if (ret && ret != -EEXIST) {
		log_err("cannot add the home address: %s", strerror(-ret));
		return -1;
	}
	mn.reg_timer.cb = reg_timer_cb;
	if (mcn_mn_init() || hm_init())
		return -1;
	for (i = 0; i < c->mn.n_cns; i++)
		cn_get(&c->mn.cns[i], true);

	if (cbu_rtnl_monitor_open(&mn.addrs)) {
		log_err("address notifications: %m");
		return -1;
	}
	if (cbu_rtnl_monitor_routes(&mn.addrs))
		log_warn("route notifications: %m; resends wait for their timers");
	mn.addrs_lfd.fd = cbu_rtnl_fd(&mn.addrs);
	mn.addrs_lfd.cb = addrs_cb;
	if (loop_add(&mn.addrs_lfd, EPOLLIN))
		return -1;

	control_register("ro", "start", ro_start);
	control_register("ro", "stop", ro_stop);
	control_register("ro", "rekey", ro_rekey);
	control_register_list("ro", "show", ro_show);
	control_register("mn", "show", mn_show);
	log_info("mobile node %s, home agent %s", addr_str(&c->mn.hoa),
		 addr_str(&c->mn.ha));
	mn_addr_changed();
	return 0;
}

static void mn_fini(void)
{
	unsigned int i;

	timer_cancel(&mn.reg_timer);
	/*
	 * What this agent set up goes with it, and the others are told:
	 * each CN by a BU, the home agent by a REG, of lifetime 0.  Sent
	 * once, not waited for: a lost one leaves a binding that ends with
	 * its lifetime.
	 */
	for (i = 0; i < MN_MAX_CNS; i++)
		if (mn.cns[i].used)
			ro_end(&mn.cns[i]);
	mcn_mn_fini();
	if (mn.registered) {
		mn.reg_seq++;
		cbu_random(mn.reg_ni, CBU_NONCE_LEN);
		reg_send(0);
		dp_flush(MN_HOME_REQID);
	}
	/* After the REG and BUs that leave from the RCoA, through its tunnel. */
	hm_fini();
	dp_lo_addr(&agent.cfg.mn.hoa, false);
	if (mn.addrs_lfd.fd > 0) {
		loop_del(&mn.addrs_lfd);
		cbu_rtnl_close(&mn.addrs);
	}
	sodium_memzero(&mn, sizeof(mn));
}

static const struct role_rx mn_rx_list[] = {
	{ CBU_MH_BA, 0, mn_ba },		/* those cbu.ko passes up */
	{ CBU_MH_BA, 0, hm_ba },		/* the MAP's */
	{ CBU_MH_BRR, 0, mn_brr },
	{ CBU_MH_EXP, CBU_SUB_REP, mn_rx },
	{ CBU_MH_EXP, CBU_SUB_REP_NAK, mn_rx },
	{ CBU_MH_EXP, CBU_SUB_REG_ACK, mn_rx },
	{ CBU_MH_EXP, CBU_SUB_NEWKEY, mn_rx },
	{ CBU_MH_EXP, CBU_SUB_KEYS, mn_rx },
	{ CBU_MH_EXP, CBU_SUB_TEST, mn_rx },
	{ 0 }
};

const struct role_ops mn_role = {
	.name = "mobile-node",
	.enabled = &agent.cfg.mn.enabled,
	.check = mn_check,
	.init = mn_init,
	.fini = mn_fini,
	.status = mn_status,
	.io = ROLE_IO_DUMMY | ROLE_IO_THROUGH_IPSEC,
	.rx = mn_rx_list,
	.event = mn_event,
	.ra = hm_ra,
	.ra_wanted = &agent.cfg.mn.map_discover,
};
