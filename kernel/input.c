// SPDX-License-Identifier: GPL-2.0
/*
 * The receive path (draft section 3): BU and BC on a correspondent, BA on a
 * mobile node, CBU messages for a served home address on a home agent,
 * local BUs on a mobility anchor point (HMIPv6, draft section 5), and the
 * traffic gate of unconfirmed bindings.
 *
 * Context: softirq for the receive handlers (called from the PRE_ROUTING
 * hook, in an RCU read-side section); process or softirq for the gate
 * (LOCAL_OUT).  Entries are found under RCU and their binding changed under
 * their spinlock; nothing here sleeps or allocates but the messages sent.
 * Every outcome is counted; a message that fails its MAC is dropped
 * without an answer.
 *
 * Only what is provably CBU's is taken (cbu_mh_ours()): a BU or BA with
 * CBU's authenticator (a Binding Authorization Data option of CBU_MAC_LEN
 * octets), a BC (CBU's own type-11 subtype), a local BU with CBU's
 * signature option to the map's address.  Standard Mobile IPv6 (Return
 * Routability's 12-octet authenticator, home registrations, RFC 5380's
 * local BUs, their BAs without one) goes on to the stack and its daemon as
 * it came, counted in not_cbu.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/netfilter.h>
#include <net/addrconf.h>
#include <net/ip6_checksum.h>
#include <net/ipv6.h>

#include "bcache.h"
#include "input.h"
#include "limit.h"
#include "mh.h"
#include "netlink.h"
#include "output.h"
#include "xfrm.h"

static void cbu_consume(struct sk_buff *skb)
{
	consume_skb(skb);
}

static bool cbu_rx_csum_ok(const struct cbu_rx *rx, const u8 *mh,
			   unsigned int len)
{
	/* RFC 6275 6.1.1: with a HAO, the home address is the source. */
	return !csum_ipv6_magic(rx->hoa ?: rx->saddr, rx->daddr, len,
				IPPROTO_MH, csum_partial(mh, len, 0));
}

/* A BU or BA that is standard Mobile IPv6's: the stack's, as it came. */
static unsigned int cbu_not_ours(const struct cbu_rx *rx)
{
	cbu_stat_inc(rx->cn, CBU_STAT_NOT_CBU);
	return NF_ACCEPT;
}

/*
 * What makes a parsed MH provably CBU's: a type-11 message; a BU or BA
 * with CBU's authenticator; a MAP's BA, by its CBU nonce option; an
 * HMIPv6 local BU (M flag) only by CBU's signature option: without it, it
 * is RFC 5380's own, whatever else it carries.
 */
static bool cbu_mh_ours(const struct cbu_mh_info *info)
{
	if (info->type == CBU_MH_EXP)
		return true;
	if (info->type == CBU_MH_BU &&
	    (cbu_get_be16(info->body + 2) & CBU_BU_F_M))
		return info->sig;
	return info->auth || (info->type == CBU_MH_BA && info->nonce);
}

/*
 * The shared parser's structure.  Return: true for a CBU message; otherwise
 * false with the verdict in @verdict: NF_ACCEPT for one that is not CBU's
 * (counted in not_cbu), NF_DROP for a malformed one (counted).
 */
static bool cbu_rx_ours(const struct cbu_rx *rx, const u8 *mh,
			unsigned int len, struct cbu_mh_info *info,
			unsigned int *verdict)
{
	const char *why;
	int ret;

	/* Structure first: a truncated MH is malformed, whatever its sum. */
	ret = cbu_mh_parse(mh, len, info, &why);
	if (ret == -EPROTONOSUPPORT || (!ret && !cbu_mh_ours(info))) {
		*verdict = cbu_not_ours(rx);
		return false;
	}
	*verdict = NF_DROP;
	if (ret) {
		cbu_stat_inc(rx->cn, CBU_STAT_MALFORMED);
		return false;
	}
	return true;
}

/*
 * Then the rules the userspace decoder applies too (wire-format 3.5), and
 * the checksum.  Return: true if both hold; otherwise false, NF_DROP in
 * @verdict, counted.
 */
static bool cbu_rx_valid(const struct cbu_rx *rx, const u8 *mh,
			 unsigned int len, const struct cbu_mh_info *info,
			 unsigned int *verdict)
{
	const char *why;

	*verdict = NF_DROP;
	if (cbu_mh_check(info, &why)) {
		cbu_stat_inc(rx->cn, CBU_STAT_MALFORMED);
		return false;
	}
	if (!cbu_rx_csum_ok(rx, mh, len)) {
		cbu_stat_inc(rx->cn, CBU_STAT_BAD_CHECKSUM);
		return false;
	}
	return true;
}

/* Both: true for a CBU message that is well formed (see above). */
static bool cbu_rx_parse(const struct cbu_rx *rx, const u8 *mh,
			 unsigned int len, struct cbu_mh_info *info,
			 unsigned int *verdict)
{
	return cbu_rx_ours(rx, mh, len, info, verdict) &&
	       cbu_rx_valid(rx, mh, len, info, verdict);
}

static void cbu_mac_failure(struct cbu_net *cn, struct cbu_bce *bce,
			    enum cbu_stat stat)
{
	struct cbu_bce_info bi;

	cbu_stat_inc(cn, stat);
	if (READ_ONCE(cn->params.event_rate) && __ratelimit(&cn->event_rs)) {
		cbu_bce_snapshot(bce, &bi);
		cbu_event(cn, CBU_EVENT_MAC_FAILURE, &bi);
	}
}

/* Caller holds @bce->lock. */
static u16 cbu_granted_lifetime(struct cbu_net *cn, struct cbu_bce *bce,
				u16 lt_bu)
{
	u32 max = cbu_bce_max_lifetime(bce) ?:
		  READ_ONCE(cn->params.max_lifetime);

	/* Never 0 for a BU that asked for a binding: 0 would delete it. */
	return clamp_t(u32, max / 4, 1, lt_bu);
}

/*
 * What a BU, or a FWD carrying one, asks of its entry.  @ba_src is the
 * BA's source: the BU's destination for a fixed CN; for a mobile CN (a
 * FWD, draft section 4) its care-of address, and the BA names its home
 * address, the entry's CN, in a CN HoA option (@cn_hoa).
 */
struct cbu_bu_req {
	const struct in6_addr *hoa;
	const struct in6_addr *coa;	/* MAC_BU's, where the BA goes */
	const struct in6_addr *ba_src;
	const struct in6_addr *cn_hoa;	/* for the BA, or NULL */
	const u8 *mac;
	u16 seq, flags, lt_bu;
	bool home;			/* no HAO: from the home address */
};

/*
 * BU = {Src=CoA, Des=CN, HoA, Seq#, LT_BU, MAC_BU} (draft section 3).
 * Verified with k_BU; the sequence must move forward (RFC 6275 9.5.1); a
 * lifetime of 0 deletes the binding.  Answered with a BA signed with k_BA,
 * status 135 carrying the last Seq# accepted when it does not.
 */
static unsigned int cbu_bu_take_keyed(struct cbu_rx *rx,
				      const struct cbu_bu_req *u,
				      struct cbu_bce *bce,
				      const struct cbu_bce_keys *keys)
{
	struct cbu_net *cn = rx->cn;
	struct cbu_ba_args ba = {
		.cn = u->ba_src, .coa = u->coa, .hoa = u->hoa,
		.cn_hoa = u->cn_hoa,
	};
	u8 in[CBU_MAC_BU_IN_LEN];
	struct in6_addr old_coa;
	enum cbu_bu_result res;
	struct cbu_bce_info bi;

	cbu_mac_bu_input(in, u->hoa->s6_addr, u->coa->s6_addr, u->seq,
			 u->lt_bu);
	if (!cbu_mac_ok(u->mac, &keys->k_bu, in, sizeof(in))) {
		cbu_mac_failure(cn, bce, CBU_STAT_BU_BAD_MAC);
		return NF_DROP;
	}

	spin_lock(&bce->lock);
	ba.lt_en = bce->lt_en;
	ba.lifetime = u->lt_bu && !u->home ?
		      cbu_granted_lifetime(cn, bce, u->lt_bu) : 0;
	old_coa = bce->b.coa;
	res = cbu_binding_bu(&bce->b, u->seq, ba.lifetime, u->coa,
			     (u32)jiffies);
	ba.seq = bce->b.seq;	/* the last accepted one, if stale */
	if (res != CBU_BU_STALE)
		bce->updates++;
	spin_unlock(&bce->lock);

	switch (res) {
	case CBU_BU_STALE:
		ba.status = CBU_BA_SEQ_OUT_OF_WINDOW;
		ba.lifetime = 0;
		cbu_stat_inc(cn, CBU_STAT_BU_SEQ_WINDOW);
		/* A replay earns its answer only at the CoA's rate. */
		if (!cbu_limit_allow(cn, CBU_LIMIT_BA, u->coa)) {
			cbu_stat_inc(cn, CBU_STAT_BA_LIMITED);
			return NF_DROP;
		}
		goto send_ba;
	case CBU_BU_DELETED:
	case CBU_BU_NOTHING:
		cbu_stat_inc(cn, CBU_STAT_BU_DELETED);
		break;
	default:
		cbu_stat_inc(cn, CBU_STAT_BU_ACCEPTED);
		break;
	}

	/* The data path follows a move, and goes with the binding. */
	if (res == CBU_BU_MOVED || res == CBU_BU_DELETED)
		cbu_xfrm_sync(cn, bce);
	if (res != CBU_BU_NOTHING) {
		cbu_bce_snapshot(bce, &bi);
		if (res == CBU_BU_DELETED)
			bi.b.coa = old_coa;
		cbu_event(cn, res == CBU_BU_CREATED ? CBU_EVENT_CREATED :
			  res == CBU_BU_DELETED ? CBU_EVENT_DELETED :
			  CBU_EVENT_UPDATED, &bi);
	}
	if (!(u->flags & CBU_BU_F_A))
		return NF_STOLEN;

send_ba:
	if (cbu_send_ba(rx->net, &ba, &keys->k_ba))
		cbu_stat_inc(cn, CBU_STAT_TX_ERRORS);
	else
		cbu_stat_inc(cn, CBU_STAT_BA_SENT);
	return ba.status ? NF_DROP : NF_STOLEN;
}

/* The same, under a copy of the entry's keys (k_BU and the BA's k_BA). */
static unsigned int cbu_bu_take(struct cbu_rx *rx, const struct cbu_bu_req *u,
				struct cbu_bce *bce)
{
	struct cbu_bce_keys keys;
	unsigned int verdict;

	cbu_bce_keys_get(bce, &keys);
	verdict = cbu_bu_take_keyed(rx, u, bce, &keys);
	memzero_explicit(&keys, sizeof(keys));
	return verdict;
}

/*
 * Without a Home Address option the BU comes from the home address itself
 * (RFC 6275 9.5.1): the mobile node is home, the care-of address is its
 * home address, and the binding is deleted, whatever the lifetime.
 */
static unsigned int cbu_rx_bu(struct cbu_rx *rx, const u8 *mh,
			      unsigned int len)
{
	struct cbu_net *cn = rx->cn;
	const struct in6_addr *hoa = rx->hoa ?: rx->saddr;
	struct cbu_mh_info info;
	struct cbu_bu_req u;
	unsigned int verdict;
	struct cbu_bce *bce;

	if (!cbu_rx_parse(rx, mh, len, &info, &verdict))
		return verdict;
	u = (struct cbu_bu_req){
		.hoa = hoa, .coa = rx->saddr, .ba_src = rx->daddr,
		.mac = info.auth,
		.seq = cbu_get_be16(info.body),
		.flags = cbu_get_be16(info.body + 2),
		.lt_bu = cbu_get_be16(info.body + 4),
		.home = !rx->hoa,
	};
	if (u.home)
		cbu_stat_inc(cn, CBU_STAT_BU_NO_HAO);

	bce = cbu_bce_lookup(cn, hoa, rx->daddr);
	if (!bce || bce->role != CBU_ROLE_CN) {
		/* RFC 6275 9.3.3: no binding for this HoA, Binding Error 1. */
		cbu_stat_inc(cn, CBU_STAT_BU_NO_KEYS);
		if (__ratelimit(&cn->be_rs)) {
			if (cbu_send_be(rx->net, rx->daddr, rx->saddr, hoa,
					CBU_BE_UNKNOWN_BINDING))
				cbu_stat_inc(cn, CBU_STAT_TX_ERRORS);
			else
				cbu_stat_inc(cn, CBU_STAT_BE_SENT);
		}
		return NF_DROP;
	}
	return cbu_bu_take(rx, &u, bce);
}

static bool cbu_unicast(const struct in6_addr *a)
{
	return !ipv6_addr_any(a) &&
	       !(ipv6_addr_type(a) & (IPV6_ADDR_MULTICAST | IPV6_ADDR_LOOPBACK));
}

/*
 * FWD = {HoA, CoA, MAC_BU, Seq#, LT_BU}: a mobile node's BU to this node's
 * home address, forwarded by its home agent (draft section 4).  Checked
 * as that BU would be, MAC_BU over the HoA and CoA it carries, and
 * answered from the own care-of address: BA = {Src=CN_CoA, Des=CoA, HoA,
 * CN_HoA, Seq#, LT_BA, LT_EN, MAC_BA}.  Like a BU sent in the clear it
 * needs no tunnel: MAC_BU and the Seq# protect it.  It has no flags: it is
 * always answered.  A FWD with no entry gets no Binding Error (the home
 * agent checked the MAC before it sent it; the answer would go to it).
 */
static unsigned int cbu_rx_fwd(struct cbu_rx *rx, const u8 *mh,
			       unsigned int len)
{
	struct cbu_net *cn = rx->cn;
	struct in6_addr hoa, coa;
	const struct cbu_own *own;
	const struct cbu_fwd *f;
	struct cbu_mh_info info;
	struct cbu_bu_req u;
	unsigned int verdict;
	struct cbu_bce *bce;

	if (!cbu_rx_parse(rx, mh, len, &info, &verdict))
		return verdict;
	own = rcu_dereference(cn->own);
	if (!own || !ipv6_addr_equal(rx->daddr, &own->hoa)) {
		cbu_stat_inc(cn, CBU_STAT_FWD_NOT_OWN);
		return NF_DROP;
	}
	cbu_stat_inc(cn, CBU_STAT_FWD);
	f = (const struct cbu_fwd *)info.body;
	memcpy(&hoa, f->hoa, sizeof(hoa));
	memcpy(&coa, f->coa, sizeof(coa));
	/* Unlike a BU's source, nothing in the stack vouches for these. */
	if (!cbu_unicast(&hoa) || !cbu_unicast(&coa)) {
		cbu_stat_inc(cn, CBU_STAT_MALFORMED);
		return NF_DROP;
	}
	u = (struct cbu_bu_req){
		.hoa = &hoa, .coa = &coa,
		.ba_src = &own->coa, .cn_hoa = &own->hoa,
		.mac = f->mac,
		.seq = cbu_get_be16((const u8 *)&f->seq),
		.flags = CBU_BU_F_A,
		.lt_bu = cbu_get_be16((const u8 *)&f->lifetime),
	};
	bce = cbu_bce_lookup(cn, &hoa, &own->hoa);
	if (!bce || bce->role != CBU_ROLE_CN) {
		cbu_stat_inc(cn, CBU_STAT_BU_NO_KEYS);
		return NF_DROP;
	}
	return cbu_bu_take(rx, &u, bce);
}

/*
 * BC = {Src=CoA, Des=CN, HoA, Seq#, Flag, MAC_BC}: the mobile node proves
 * it receives at the CoA, which lifts the limit on unconfirmed traffic.
 */
static unsigned int cbu_rx_bc(struct cbu_rx *rx, const u8 *mh,
			      unsigned int len)
{
	struct cbu_net *cn = rx->cn;
	struct cbu_hmac_key k_ba;
	u8 in[CBU_MAC_BC_IN_LEN];
	const struct cbu_own *own;
	struct cbu_mh_info info;
	struct cbu_bce_info bi;
	bool confirmed = false, mac_ok;
	struct cbu_bce *bce;
	unsigned int verdict;
	u16 seq;
	u8 flag;

	if (!rx->hoa) {
		cbu_stat_inc(cn, CBU_STAT_MALFORMED);
		return NF_DROP;
	}
	if (!cbu_rx_parse(rx, mh, len, &info, &verdict))
		return verdict;
	seq = cbu_get_be16(info.body);
	flag = info.body[2];	/* CBU_BC_CONFIRM: cbu_mh_check() */

	/*
	 * A mobile CN's BC comes to its care-of address (draft section 4).
	 * MAC_BC names no CN: should that address also be a fixed CN's, a
	 * HoA with entries under both goes to the mobile CN's.
	 */
	bce = NULL;
	own = rcu_dereference(cn->own);
	if (own && ipv6_addr_equal(rx->daddr, &own->coa))
		bce = cbu_bce_lookup(cn, rx->hoa, &own->hoa);
	if (!bce)
		bce = cbu_bce_lookup(cn, rx->hoa, rx->daddr);
	if (!bce || bce->role != CBU_ROLE_CN) {
		cbu_stat_inc(cn, CBU_STAT_BC_STALE);
		return NF_DROP;
	}
	cbu_bce_k_ba_get(bce, &k_ba);
	cbu_mac_bc_input(in, rx->hoa->s6_addr, rx->saddr->s6_addr, seq, flag);
	mac_ok = cbu_mac_ok(info.auth, &k_ba, in, sizeof(in));
	memzero_explicit(&k_ba, sizeof(k_ba));
	if (!mac_ok) {
		cbu_mac_failure(cn, bce, CBU_STAT_BC_BAD_MAC);
		return NF_DROP;
	}

	spin_lock(&bce->lock);
	confirmed = cbu_binding_bc(&bce->b, seq, rx->saddr);
	spin_unlock(&bce->lock);

	if (!confirmed) {
		cbu_stat_inc(cn, CBU_STAT_BC_STALE);
		return NF_DROP;
	}
	cbu_stat_inc(cn, CBU_STAT_BC_ACCEPTED);
	cbu_bce_snapshot(bce, &bi);
	cbu_event(cn, CBU_EVENT_CONFIRMED, &bi);
	return NF_STOLEN;
}

/*
 * On a mobile node: BA = {Src=CN, Des=CoA, HoA, Seq#, LT_BA, LT_EN,
 * MAC_BA}, verified with k_BA and answered at once with the BC.  A BA
 * that is not CBU's (no HoA option) goes on to the agent.
 *
 * MAC_BA covers neither the Status nor the flags (the draft's formula):
 * anyone on the path can change them.  So the kernel acts only on what the
 * MAC makes safe to act on: an acceptance (status 0) of a binding with a
 * lifetime, whose Seq# is newer than the last, confirms it.  Any other BA
 * (a refusal, an acceptance of lifetime 0) changes nothing here and goes
 * to the agent, which takes its status as a hint, never as a fact
 * (Documentation/wire-format.md, "What MAC_BA does not cover").
 */
static unsigned int cbu_rx_ba(struct cbu_rx *rx, const u8 *mh,
			      unsigned int len)
{
	struct cbu_net *cn = rx->cn;
	struct cbu_hmac_key k_ba;
	u8 in[CBU_MAC_BA_IN_LEN];
	struct in6_addr hoa, peer_hoa;
	struct cbu_mh_info info;
	struct cbu_bce_info bi;
	struct cbu_bce *bce;
	unsigned int verdict;
	u16 seq, lt_ba;
	bool fresh;
	u8 status;

	if (!cbu_rx_parse(rx, mh, len, &info, &verdict))
		return verdict;
	/*
	 * A MAP's BA to a mobile node's LCoA (its CBU nonce option) is for
	 * the mobile node's agent, which verifies it (k_LBA or SIG_MAP), not
	 * for the binding cache: on to its socket.
	 */
	if (info.nonce) {
		cbu_stat_inc(cn, CBU_STAT_MH_TO_SOCKET);
		return NF_ACCEPT;
	}
	/* The HoA names the binding; a BA without it is the agent's. */
	if (!info.hoa)
		return cbu_not_ours(rx);
	memcpy(&hoa, info.hoa, sizeof(hoa));
	status = info.body[0];
	seq = cbu_get_be16(info.body + 2);
	lt_ba = cbu_get_be16(info.body + 4);

	/*
	 * A mobile CN answers from its care-of address and names its home
	 * address, the entry's CN, in a CN HoA option (draft section 4).
	 * MAC_BA covers the source, not the option: each k_BA belongs to
	 * one (HoA, CN) pair, so a BA naming another CN fails its MAC.
	 */
	if (info.cn_hoa)
		memcpy(&peer_hoa, info.cn_hoa, sizeof(peer_hoa));
	else
		peer_hoa = *rx->saddr;
	bce = cbu_bce_lookup(cn, &hoa, &peer_hoa);
	if (!bce || bce->role != CBU_ROLE_MN) {
		cbu_stat_inc(cn, CBU_STAT_BA_STALE);
		return NF_ACCEPT;
	}
	/* k_BA checks the BA and MACs the BC: copied out, wiped at "out". */
	cbu_bce_k_ba_get(bce, &k_ba);
	cbu_mac_ba_input(in, rx->daddr->s6_addr, rx->saddr->s6_addr, seq,
			 lt_ba, info.lt_en);
	if (!cbu_mac_ok(info.auth, &k_ba, in, sizeof(in))) {
		cbu_mac_failure(cn, bce, CBU_STAT_BA_BAD_MAC);
		verdict = NF_DROP;
		goto out;
	}
	verdict = NF_ACCEPT;
	if (status != CBU_BA_ACCEPTED || !lt_ba)
		goto out;

	spin_lock(&bce->lock);
	fresh = cbu_binding_ba(&bce->b, seq, lt_ba, rx->daddr, rx->saddr,
			       (u32)jiffies);
	/* What the CN grants k_EN, for the agent's rekey (draft section 3). */
	if (fresh) {
		cbu_bce_set_lt_en(bce, (u32)info.lt_en * 4);
		bce->updates++;
	}
	spin_unlock(&bce->lock);
	if (!fresh) {
		cbu_stat_inc(cn, CBU_STAT_BA_STALE);
		verdict = NF_DROP;
		goto out;
	}
	cbu_stat_inc(cn, CBU_STAT_BA_ACCEPTED);
	if (!ipv6_addr_equal(rx->saddr, &peer_hoa))
		cbu_stat_inc(cn, CBU_STAT_BA_PEER);

	if (cbu_send_bc(rx->net, rx->daddr, rx->saddr, &hoa, seq, &k_ba))
		cbu_stat_inc(cn, CBU_STAT_TX_ERRORS);
	else
		cbu_stat_inc(cn, CBU_STAT_BC_SENT);
	cbu_bce_snapshot(bce, &bi);
	cbu_event(cn, CBU_EVENT_CONFIRMED, &bi);
	verdict = NF_STOLEN;
out:
	memzero_explicit(&k_ba, sizeof(k_ba));
	return verdict;
}

static bool cbu_served_home(struct cbu_net *cn, const struct in6_addr *a)
{
	const struct cbu_homes *homes = rcu_dereference(cn->homes);
	unsigned int i;

	for (i = 0; homes && i < homes->n; i++)
		if (ipv6_prefix_equal(a, &homes->p[i].prefix, homes->p[i].len))
			return true;
	return false;
}

/*
 * Up to the agent on the mh group, if the source is within its rate
 * (limit.c), so that a flood can neither fill the agent's socket nor crowd
 * out the mobile nodes' own messages.  Without a listener the message goes
 * on as it came.
 */
static unsigned int cbu_rx_up(const struct cbu_rx *rx, unsigned int len,
			      enum cbu_stat stat)
{
	struct cbu_net *cn = rx->cn;

	if (!cbu_limit_allow(cn, CBU_LIMIT_MH, rx->saddr)) {
		cbu_stat_inc(cn, CBU_STAT_MH_LIMITED);
		return NF_DROP;
	}
	if (cbu_nl_mh_recv(cn, rx->saddr, rx->daddr, rx->hoa, rx->skb,
			   rx->off, len))
		return NF_ACCEPT;
	cbu_stat_inc(cn, stat);
	cbu_consume(rx->skb);
	return NF_STOLEN;
}

/* A type-11 or BE message for a served home address, its checksum right. */
static unsigned int cbu_rx_handoff(const struct cbu_rx *rx, unsigned int len)
{
	struct cbu_net *cn = rx->cn;

	if (len != rx->len) {
		cbu_stat_inc(cn, CBU_STAT_MALFORMED);
		return NF_DROP;
	}
	if (csum_ipv6_magic(rx->hoa ?: rx->saddr, rx->daddr, len, IPPROTO_MH,
			    skb_checksum(rx->skb, rx->off, len, 0))) {
		cbu_stat_inc(cn, CBU_STAT_BAD_CHECKSUM);
		return NF_DROP;
	}
	return cbu_rx_up(rx, len, CBU_STAT_MH_TO_AGENT);
}

/*
 * The MH of @len octets (its length field's), whole and linear, where it
 * lies; NULL if the packet holds another length.  Moves the headers.
 */
static const u8 *cbu_rx_whole(const struct cbu_rx *rx, unsigned int len)
{
	if (len != rx->len || !pskb_may_pull(rx->skb, rx->off + len))
		return NULL;
	return rx->skb->data + rx->off;
}

/*
 * A BU to a served home address: for a mobile correspondent, whose home
 * agent's agent checks it and forwards it through the tunnel as FWD
 * (draft section 4), if it is provably CBU's (its 16-octet authenticator)
 * and neither a home nor a MAP registration.  Standard Mobile IPv6's BUs
 * (Return Routability's, for a mobile node at home or away) go on as they
 * came, to be tunnelled to the node.
 */
static unsigned int cbu_rx_bu_handoff(const struct cbu_rx *rx,
				      unsigned int len)
{
	struct cbu_mh_info info;
	unsigned int verdict;
	const u8 *mh;

	mh = cbu_rx_whole(rx, len);
	if (!mh)
		return cbu_not_ours(rx);
	if (len >= sizeof(struct cbu_mh_bu) &&
	    (cbu_get_be16(mh + 8) & (CBU_BU_F_H | CBU_BU_F_M)))
		return cbu_not_ours(rx);
	if (!cbu_rx_parse(rx, mh, len, &info, &verdict))
		return verdict;
	return cbu_rx_up(rx, len, CBU_STAT_BU_TO_AGENT);
}

/*
 * A local BU (M flag) to the map's address, from a mobile node's LCoA with
 * a HAO naming its RCoA (draft section 5; design item 53, cheapest check
 * first).  Without CBU's signature option it is RFC 5380's own: on to the
 * stack.  With it, it must come in on a domain interface, its RCoA in the
 * prefix, or it is dropped (map_outside); then the parser's rules and the
 * checksum (over the RCoA as source); then up to the agent, which checks
 * the signature and the certificates, at its source's rate.
 */
static unsigned int cbu_rx_map_bu(const struct cbu_rx *rx,
				  const struct cbu_map *map, unsigned int len)
{
	struct cbu_mh_info info;
	unsigned int verdict;
	const u8 *mh;

	mh = cbu_rx_whole(rx, len);
	if (!mh)
		return cbu_not_ours(rx);
	if (!cbu_rx_ours(rx, mh, len, &info, &verdict))
		return verdict;
	if (!cbu_map_domain(map, rx->iif) || !rx->hoa ||
	    !ipv6_prefix_equal(rx->hoa, &map->rcoa, map->rcoa_len)) {
		cbu_stat_inc(rx->cn, CBU_STAT_MAP_OUTSIDE);
		return NF_DROP;
	}
	if (!cbu_rx_valid(rx, mh, len, &info, &verdict))
		return verdict;
	return cbu_rx_up(rx, len, CBU_STAT_MAP_BU);
}

/*
 * The map, if the MH is a local BU (M flag) to its address, one of this
 * node's own; NULL otherwise.  May pull the BU's fixed part, moving the
 * headers.  Context: the hook's RCU read-side section.
 */
static const struct cbu_map *cbu_map_bu(const struct cbu_rx *rx)
{
	const struct cbu_map *map = rcu_dereference(rx->cn->map);

	if (!map || !ipv6_addr_equal(rx->daddr, &map->addr) ||
	    rx->len < sizeof(struct cbu_mh_bu) ||
	    !pskb_may_pull(rx->skb, rx->off + sizeof(struct cbu_mh_bu)) ||
	    !(cbu_get_be16(rx->skb->data + rx->off + 8) & CBU_BU_F_M) ||
	    !ipv6_chk_addr(rx->net, rx->daddr, NULL, 0))
		return NULL;
	return map;
}

unsigned int cbu_input_mh(struct cbu_rx *rx)
{
	struct sk_buff *skb = rx->skb;
	const struct cbu_map *map;
	unsigned int verdict, len;
	const u8 *mh;

	/* The stack discards a runt MH. */
	if (rx->len < sizeof(struct cbu_mh_exp) ||
	    !pskb_may_pull(skb, rx->off + sizeof(struct cbu_mh_exp))) {
		cbu_stat_inc(rx->cn, CBU_STAT_HDR_DISCARD);
		return NF_ACCEPT;
	}
	mh = skb->data + rx->off;
	len = CBU_MH_LEN(mh[1]);

	/* Without a map, no pull, nothing changes: one pointer read. */
	if (mh[2] == CBU_MH_BU) {
		map = cbu_map_bu(rx);
		if (map)
			return cbu_rx_map_bu(rx, map, len);
		mh = skb->data + rx->off;
	}

	/* A home agent hands CBU's messages for its home addresses up. */
	if ((mh[2] == CBU_MH_EXP || mh[2] == CBU_MH_BE) &&
	    cbu_served_home(rx->cn, rx->daddr))
		return cbu_rx_handoff(rx, len);
	if (mh[2] == CBU_MH_BU && cbu_served_home(rx->cn, rx->daddr))
		return cbu_rx_bu_handoff(rx, len);

	if (!ipv6_chk_addr(rx->net, rx->daddr, NULL, 0)) {
		cbu_stat_inc(rx->cn, CBU_STAT_TRANSIT);
		return NF_ACCEPT;
	}
	switch (mh[2]) {
	case CBU_MH_BU:
	case CBU_MH_BA:
		break;
	case CBU_MH_EXP:
		if (mh[6] == CBU_SUB_BC || mh[6] == CBU_SUB_FWD)
			break;
		fallthrough;
	case CBU_MH_BE:
		/* The agent's, on its socket. */
		cbu_stat_inc(rx->cn, CBU_STAT_MH_TO_SOCKET);
		return NF_ACCEPT;
	default:
		return cbu_not_ours(rx);
	}

	/*
	 * One MH, whole (up to 2048 octets), parsed where it lies.  A BU or
	 * BA that is not one is not provably CBU's; a BC is CBU's own.
	 */
	if (len != rx->len || !pskb_may_pull(skb, rx->off + len)) {
		if (mh[2] != CBU_MH_EXP)
			return cbu_not_ours(rx);
		cbu_stat_inc(rx->cn, CBU_STAT_MALFORMED);
		return NF_DROP;
	}
	mh = skb->data + rx->off;
	/* Home registrations and MAP registrations are not ours. */
	if (mh[2] == CBU_MH_BU && len >= sizeof(struct cbu_mh_bu) &&
	    (cbu_get_be16(mh + 8) & (CBU_BU_F_H | CBU_BU_F_M)))
		return cbu_not_ours(rx);

	switch (mh[2]) {
	case CBU_MH_BU:
		verdict = cbu_rx_bu(rx, mh, len);
		break;
	case CBU_MH_BA:
		verdict = cbu_rx_ba(rx, mh, len);
		break;
	default:
		verdict = mh[6] == CBU_SUB_FWD ? cbu_rx_fwd(rx, mh, len) :
			  cbu_rx_bc(rx, mh, len);
		break;
	}
	if (verdict == NF_STOLEN)
		cbu_consume(skb);
	return verdict;
}

/*
 * A packet that claims a home address this node has keys for must come
 * from that address's bound care-of address.
 */
unsigned int cbu_input_hao(struct cbu_rx *rx)
{
	struct cbu_bce *bce;
	bool ok;

	bce = cbu_bce_lookup(rx->cn, rx->hoa, rx->daddr);
	if (!bce || bce->role != CBU_ROLE_CN)
		return NF_ACCEPT;
	spin_lock(&bce->lock);
	ok = (bce->b.state == CBU_BCE_UNCONFIRMED ||
	      bce->b.state == CBU_BCE_CONFIRMED) &&
	     ipv6_addr_equal(&bce->b.coa, rx->saddr);
	spin_unlock(&bce->lock);
	if (ok)
		return NF_ACCEPT;
	cbu_stat_inc(rx->cn, CBU_STAT_HAO_DROPPED);
	return NF_DROP;
}

/*
 * The gate of unconfirmed bindings (cbu_binding_gate()): past the BC
 * threshold the binding stops, and so does its traffic, until a BC or a new
 * BU comes.
 *
 * Context: LOCAL_OUT, process or softirq; in an RCU read-side section.
 */
unsigned int cbu_output_gate(struct cbu_net *cn, struct sk_buff *skb)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct cbu_bce_info bi;
	enum cbu_gate gate;
	struct cbu_bce *bce;
	u8 state;

	bce = cbu_bce_lookup(cn, &ip6h->daddr, &ip6h->saddr);
	if (!bce || bce->role != CBU_ROLE_CN)
		return NF_ACCEPT;

	/* Confirmed and unbound entries need no lock to tell. */
	state = READ_ONCE(bce->b.state);
	if (state == CBU_BCE_KEYED)
		return NF_ACCEPT;
	if (state == CBU_BCE_CONFIRMED) {
		gate = CBU_GATE_PASS;
	} else {
		u32 timeout =
			msecs_to_jiffies(READ_ONCE(cn->params.bc_timeout_ms));

		spin_lock_bh(&bce->lock);
		gate = cbu_binding_gate(&bce->b, (u32)jiffies,
					skb_is_gso(skb) ?
					skb_shinfo(skb)->gso_segs : 1,
					READ_ONCE(cn->params.bc_packets),
					timeout);
		spin_unlock_bh(&bce->lock);
	}

	switch (gate) {
	case CBU_GATE_STOP:
		cbu_stat_inc(cn, CBU_STAT_BC_TIMEOUT);
		cbu_bce_snapshot(bce, &bi);
		cbu_event(cn, CBU_EVENT_BC_TIMEOUT, &bi);
		fallthrough;
	case CBU_GATE_DROP:
		cbu_stat_inc(cn, CBU_STAT_TX_STOPPED);
		return NF_DROP;
	case CBU_GATE_PASS:
		/* A correspondent's entry: its half of @b's role fields. */
		atomic64_inc(&bce->b.packets);
		atomic64_add(skb->len, &bce->b.bytes);
		fallthrough;
	default:
		return NF_ACCEPT;
	}
}
