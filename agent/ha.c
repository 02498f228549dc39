// SPDX-License-Identifier: GPL-2.0
/*
 * The home agent's role.
 *
 * Home registration: a mobile node binds its CoA with a REG sealed under
 * k_HA; the HA defends the HoA on the home link (proxy ND) and carries its
 * traffic in an ESP tunnel to the CoA keyed from k_HA.
 *
 * Route optimization (draft section 3), the public-key work done for the
 * MN: REQ (through the tunnel) -> COOKIE0 to the CN, as the HoA -> COOKIE1
 * (to the HoA, handed up by cbu.ko) -> EXCH0 (g^x, TS, SIG_HA, Cert_HA) ->
 * EXCH1 (handed up) -> Cert_CN and SIG_CN checked, keys derived -> REP
 * (through the tunnel) with the keys and k_HA-next.
 *
 * k_EN rekey (draft section 3): the HA keeps k_master and k_EN of every
 * route optimization it set up.  REQ_KEY (through the tunnel) -> EXCH0'
 * (N1', MAC under k_EN) to the CN, as the HoA -> EXCH1' (handed up) ->
 * k_EN-new = prf(k_master, N1' | N2' | 2) -> NEWKEY (through the tunnel),
 * kept a while for a resent REQ_KEY.  A REQ_KEY for keys we do not hold
 * (we restarted) or a CN that does not answer gets a REP_NAK: the MN then
 * runs a full exchange.
 *
 * Restart: the kernel keeps the home tunnels (xfrm) and the proxy ND
 * entries, so the home addresses stay reachable while no agent runs.  A
 * new agent takes those registrations back from xfrm for a while and asks
 * each mobile node for a new one with a Binding Refresh Request to its
 * CoA: k_HA went with the agent before, so the mobile node falls back to
 * z, and its route optimizations are set up anew when they next need us.
 *
 * k_HA, the ratchet (Documentation/wire-format.md §9.4): starts as the
 * pre-shared z.  The HA holds the key in use and at most one k_HA-next,
 * offered in every REP until the MN uses it: the first REP that finds none
 * derives it, prf(z, N0 | N1), from nonces that never made one before.
 * Messages open under either; a REG under k_HA-next with a new Seq#
 * makes it the key in use and the old one goes (draft section 3: kept
 * until the MN is known to use the new; the Seq# keeps an old message
 * from doing it).
 * Every answer is sealed when it is sent, under the key then in use, and
 * carries the k_HA-next then offered: a kept REP or NEWKEY sent again
 * never brings back a key of the past.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "agent.h"
#include "dp.h"
#include "ha.h"
#include "kernel/mh.h"
#include "lib/armor.h"
#include "lib/cert.h"
#include "lib/crypto.h"
#include "lib/json_print.h"
#include "limit.h"
#include "log.h"
#include "loop.h"

#define HA_MAX_EX		256
#define HA_MAX_RO		1024
#define HA_MAX_NO_CBU		256
#define HA_COOKIE_PERIOD	30
#define HA_RETRY_MS		1000
#define HA_TRIES		4
#define HA_REQID_BASE		0x20000
#define HA_RESUME_S		120	/* a resumed registration lives */
/* REP_Cert: a second per source (burst 2), and in all (wire-format 9.7) */
#define HA_REP_CERT_RATE	1
#define HA_REP_CERT_BURST	2
#define HA_REP_CERT_ALL		16

enum ex_state { EX_FREE, EX_COOKIE0, EX_EXCH0, EX_DONE };

struct ha_ex {
	enum ex_state state;
	struct ha_mn *mn;
	struct in6_addr cn;
	uint8_t n0[CBU_NONCE_LEN];
	uint8_t c0[CBU_COOKIE_LEN];
	uint8_t c1[CBU_COOKIE_LEN];
	uint8_t n1[CBU_NONCE_LEN];
	uint8_t x[CBU_KEY_LEN];
	struct cbu_msg out;			/* COOKIE0 or EXCH0, resent */
	uint8_t exch0[CBU_MH_MAX_LEN];		/* as sent, for SIG_CN */
	size_t exch0_len;
	struct cbu_rep_pt rep;			/* sealed anew for each send */
	bool offered;				/* N0 | N1 made a k_HA-next */
	uint8_t refused;			/* enum cbu_nak_reason, or 0 */
	int tries;
	struct timer retry;
};

/* A route optimization we set up: what its k_EN rekey needs. */
enum rk_state { RK_IDLE, RK_EXCH0, RK_DONE };

struct ha_ro {
	bool used;
	struct ha_mn *mn;
	struct in6_addr cn;
	uint8_t k_master[CBU_KEY_LEN];
	uint8_t k_en[CBU_KEY_LEN];		/* in force */
	uint64_t used_ms;			/* keyed or rekeyed last */
	enum rk_state rk;
	uint8_t n0[CBU_NONCE_LEN];		/* N0' of the REQ_KEY */
	struct cbu_msg out;			/* EXCH0', resent */
	struct cbu_newkey_pt newkey;		/* sealed anew for each send */
	int tries;
	struct timer retry;
};

static struct {
	struct creds cr;
	struct cbu_cookie_jar jar;
	struct timer jar_timer;
	struct ha_mn *mns;		/* CFG_MAX_MNS slots */
	unsigned int n_mns;		/* slots ever used, from the first */
	bool home_set;			/* our prefix is in cbu.ko */
	struct ha_ex ex[HA_MAX_EX];
	struct ha_ro ro[HA_MAX_RO];
	struct in6_addr no_cbu[HA_MAX_NO_CBU];	/* answered BE status 2 */
	unsigned int n_no_cbu;
	struct tb_limit rep_cert;		/* per source, in all */
	struct ha_counters {
		uint64_t reg, reg_dup, reg_stale, reg_bad, req, req_bad, rep,
			 nak, bad_cookie, bad_cert, expired_cert,
			 wrong_prefix, bad_sig, refused,
			 bad_dh, timeouts, no_cbu, req_key, newkey, rekey_bad,
			 rekey_unknown, rekey_timeouts, resumed, brr,
			 k_ha_switch, req_cert, rep_cert, req_cert_limited;
	} n;
} ha;

struct ha_mn *ha_mn_by_hoa(const struct in6_addr *hoa)
{
	unsigned int i;

	for (i = 0; i < ha.n_mns; i++)
		if (ha.mns[i].used &&
		    !memcmp(&ha.mns[i].hoa, hoa, sizeof(*hoa)))
			return &ha.mns[i];
	return NULL;
}

/*
 * Open a message of @mn sealed under its k_HA in use or the k_HA-next it
 * was offered (draft section 3: the current one first, then the other).
 * Which one opened it, or HA_KEY_NONE.  Answers go under the key in use
 * either way: the MN keeps it until it sees it answered under the new.
 */
enum ha_key ha_open(struct ha_mn *mn, const struct cbu_msg *m, void *pt,
		    size_t len)
{
	if (!cbu_msg_open(m, pt, len, mn->k_ha))
		return HA_KEY_CUR;
	if (mn->has_next && !cbu_msg_open(m, pt, len, mn->k_next))
		return HA_KEY_NEXT;
	return HA_KEY_NONE;
}

/*
 * A REG under k_HA-next with a new Seq#: the MN uses it, and has left the
 * old one.  Only a REG: its Seq# tells a new one from an old one that
 * arrives late, and a late message must not move the key.
 */
static void ha_switch(struct ha_mn *mn)
{
	memcpy(mn->k_ha, mn->k_next, CBU_KEY_LEN);
	sodium_memzero(mn->k_next, CBU_KEY_LEN);
	mn->has_next = false;
	ha.n.k_ha_switch++;
	log_info("%s now uses k_HA-next", addr_str(&mn->hoa));
}

/*
 * The k_HA-next a REP of @ex carries: the one on offer, the same in every
 * REP until the MN uses it.  None on offer: one from @ex's N0 | N1, unless
 * they made one before (that key is in use, or went with a restart of the
 * ratchet; the same nonces would bring it back); then the key in use
 * itself, which tells the MN there is nothing new.
 */
static const uint8_t *ha_offer(struct ha_mn *mn, struct ha_ex *ex)
{
	if (!mn->has_next && !ex->offered) {
		cbu_kdf_ha_next(mn->k_next, mn->z, ex->n0, ex->n1);
		mn->has_next = true;
		ex->offered = true;
	}
	return mn->has_next ? mn->k_next : mn->k_ha;
}

/*
 * A mobile node that restarted knows only z.  Only a REG may come under z
 * while k_HA has moved on, and it takes effect only once its Seq# proved
 * it fresh (reg_restart()): a replayed old REG must not throw k_HA back.
 */
static bool ha_open_z(struct ha_mn *mn, const struct cbu_msg *m, void *pt,
		      size_t len)
{
	return sodium_memcmp(mn->k_ha, mn->z, CBU_KEY_LEN) &&
	       !cbu_msg_open(m, pt, len, mn->z);
}

static void reg_restart(struct ha_mn *mn)
{
	log_info("%s is back to z (it restarted)", addr_str(&mn->hoa));
	memcpy(mn->k_ha, mn->z, CBU_KEY_LEN);
	sodium_memzero(mn->k_next, CBU_KEY_LEN);
	mn->has_next = false;
}

static void reg_expired(struct timer *t)
{
	struct ha_mn *mn = container_of(t, struct ha_mn, life);

	log_info("registration of %s ended", addr_str(&mn->hoa));
	mn->registered = false;
	mn->resumed = false;
	timer_cancel(&mn->brr);
	sodium_memzero(mn->tun_key, CBU_KEY_LEN);
	sodium_memzero(mn->tun_nonces, sizeof(mn->tun_nonces));
	dp_flush(mn->reqid);
	dp_proxy(agent.cfg.ha.home_link, &mn->hoa, false);
}

/*
 * The home tunnel to @coa keyed from @key.  The SAs in force are kept if
 * the REG names them (same CoA and k_HA, and their Ni: a refresh);
 * otherwise new ones, keyed from @key, the REG's @ni and an Nr of ours:
 * never the keys of an earlier tunnel, so that what a rogue captured
 * before a move, or before either end restarted, finds no SA to open it
 * (ESP's replay window starts anew with every SA; §9.5).  False if it
 * cannot be set up.
 */
static bool tunnel_up(struct ha_mn *mn, const struct in6_addr *coa,
		      const uint8_t *key, const uint8_t ni[CBU_NONCE_LEN])
{
	uint8_t nonces[2 * CBU_NONCE_LEN];

	if (mn->registered && !memcmp(&mn->coa, coa, 16) &&
	    !sodium_memcmp(mn->tun_key, key, CBU_KEY_LEN) &&
	    !memcmp(mn->tun_nonces, ni, CBU_NONCE_LEN))
		return true;
	memcpy(nonces, ni, CBU_NONCE_LEN);
	cbu_random(nonces + CBU_NONCE_LEN, CBU_NONCE_LEN);
	if (dp_home_set(true, &agent.cfg.ha.address, coa, &mn->hoa, key,
			nonces, mn->reqid))
		return false;
	memcpy(mn->tun_key, key, CBU_KEY_LEN);
	memcpy(mn->tun_nonces, nonces, sizeof(nonces));
	return true;
}

/* REG = {Src=CoA, Des=HA, e(k_HA, HoA, CoA, Seq#, lifetime)} */
static void ha_reg(struct rx *r)
{
	struct cbu_reg_ack_pt ack;
	uint8_t key[CBU_KEY_LEN];
	struct cbu_reg_pt pt;
	enum ha_key opened = HA_KEY_NONE;
	struct ha_mn *mn = NULL;
	struct in6_addr coa;
	bool under_z = false, moved;
	struct cbu_msg m;
	unsigned int i;
	uint16_t seq, lt;

	/* The REG names its HoA only inside: try each MN's keys. */
	for (i = 0; i < ha.n_mns && !opened; i++) {
		mn = &ha.mns[i];
		if (!mn->used)		/* its keys are zeroes */
			continue;
		opened = ha_open(mn, &r->msg, &pt, sizeof(pt));
		if (!opened && ha_open_z(mn, &r->msg, &pt, sizeof(pt))) {
			opened = HA_KEY_CUR;
			under_z = true;
		}
	}
	if (!opened || memcmp(pt.hoa, &mn->hoa, 16)) {
		ha.n.reg_bad++;
		log_info_rl("REG from %s opens under no key",
			    addr_str(&r->src));
		goto out;
	}
	memcpy(&coa, pt.coa, 16);
	seq = ntohs(pt.seq);
	lt = ntohs(pt.lifetime);
	if (mn->has_seq && seq == mn->seq && !under_z &&
	    !memcmp(&coa, &r->src, 16) && !memcmp(&coa, &mn->reg_coa, 16)) {
		/* A retransmission: the REG_ACK was lost or is late. */
		mn->seen_ms = loop_now_ms();
		ha.n.reg_dup++;
		ack = mn->ack;
		goto ack;
	}
	if (memcmp(&coa, &r->src, 16)) {
		ha.n.reg_bad++;
		log_info_rl("REG of %s: not from its CoA", addr_str(&mn->hoa));
		goto out;
	}
	if (mn->has_seq && (int16_t)(seq - mn->seq) <= 0) {
		/*
		 * Behind ours: a replay, or a mobile node that restarted.
		 * Status 135 with our Seq# lets the latter catch up (as a BA
		 * does, RFC 6275 9.5.1); a replay learns nothing new.
		 */
		ha.n.reg_stale++;
		log_info_rl("REG of %s: Seq# %u, ours is %u",
			    addr_str(&mn->hoa), seq, mn->seq);
		memset(&ack, 0, sizeof(ack));
		memcpy(ack.hoa, pt.hoa, 16);
		ack.seq = htons(mn->seq);
		ack.status = CBU_BA_SEQ_OUT_OF_WINDOW;
		goto ack;
	}
	if (under_z)
		reg_restart(mn);
	else if (opened == HA_KEY_NEXT)
		ha_switch(mn);
	mn->resumed = false;
	timer_cancel(&mn->brr);
	mn->seq = seq;
	mn->has_seq = true;
	mn->reg_coa = coa;
	ha.n.reg++;
	mn->reg_count++;
	mn->seen_ms = loop_now_ms();

	if (!lt) {
		timer_cancel(&mn->life);
		reg_expired(&mn->life);
	} else if (!tunnel_up(mn, &coa, mn->k_ha, pt.ni) ||
		   dp_proxy(agent.cfg.ha.home_link, &mn->hoa, true)) {
		log_err("cannot set up the home tunnel of %s",
			addr_str(&mn->hoa));
		lt = 0;
	} else {
		moved = mn->registered && memcmp(&mn->coa, &coa, 16);
		if (!mn->registered || moved)
			log_info("%s registered at %s", addr_str(&mn->hoa),
				 addr_str(&coa));
		mn->registered = true;
		mn->coa = coa;
		timer_arm(&mn->life, (uint64_t)lt * 4000);
		/* What went to where it was, for a mobile correspondent. */
		if (moved)
			mcn_ha_moved(mn);
	}

	memset(&ack, 0, sizeof(ack));
	memcpy(ack.hoa, pt.hoa, 16);
	ack.seq = pt.seq;
	ack.status = lt || !ntohs(pt.lifetime) ? CBU_BA_ACCEPTED :
						 CBU_BA_INSUFFICIENT_RESOURCES;
	ack.lifetime = htons(lt);
	if (lt) {
		/* The SAs in force, for the MN to key its side alike. */
		memcpy(ack.ni, mn->tun_nonces, CBU_NONCE_LEN);
		memcpy(ack.nr, mn->tun_nonces + CBU_NONCE_LEN, CBU_NONCE_LEN);
	}
	mn->ack = ack;
ack:
	/* Under z if the REG came under z, else under the key in use. */
	memcpy(key, under_z ? mn->z : mn->k_ha, CBU_KEY_LEN);
	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_REG_ACK);
	cbu_msg_seal(&m, &ack, sizeof(ack), key);
	io_send(&agent.cfg.ha.address, &r->src, &m);
out:
	sodium_memzero(key, sizeof(key));
	sodium_memzero(&pt, sizeof(pt));
}

static struct ha_ex *ex_find(const struct in6_addr *hoa,
			     const struct in6_addr *cn)
{
	unsigned int i;

	for (i = 0; i < HA_MAX_EX; i++)
		if (ha.ex[i].state != EX_FREE &&
		    !memcmp(&ha.ex[i].mn->hoa, hoa, 16) &&
		    !memcmp(&ha.ex[i].cn, cn, 16))
			return &ha.ex[i];
	return NULL;
}

static void ex_free(struct ha_ex *ex)
{
	timer_cancel(&ex->retry);
	sodium_memzero(ex, sizeof(*ex));
	ex->state = EX_FREE;
}

static void ex_retry(struct timer *t);

static struct ha_ex *ex_new(struct ha_mn *mn, const struct in6_addr *cn)
{
	struct ha_ex *ex = ex_find(&mn->hoa, cn);
	unsigned int i;

	if (ex)
		ex_free(ex);
	for (i = 0; i < HA_MAX_EX && !ex; i++)
		if (ha.ex[i].state == EX_FREE)
			ex = &ha.ex[i];
	if (!ex)
		return NULL;
	ex->mn = mn;
	ex->cn = *cn;
	ex->retry.cb = ex_retry;
	return ex;
}

/* Tell the MN there is no route optimization with @cn. */
static void ha_nak(struct ha_mn *mn, const uint8_t n0[CBU_NONCE_LEN],
		   const struct in6_addr *cn, uint8_t why)
{
	struct cbu_rep_nak_pt pt;
	struct cbu_msg m;

	memset(&pt, 0, sizeof(pt));
	memcpy(pt.n0, n0, CBU_NONCE_LEN);
	memcpy(pt.cn, cn, 16);
	pt.reason = why;
	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_REP_NAK);
	cbu_msg_seal(&m, &pt, sizeof(pt), mn->k_ha);
	ha.n.nak++;
	io_send(&agent.cfg.ha.address, &mn->hoa, &m);
}

static bool is_no_cbu(const struct in6_addr *cn)
{
	unsigned int i;

	for (i = 0; i < ha.n_no_cbu; i++)
		if (!memcmp(&ha.no_cbu[i], cn, 16))
			return true;
	return false;
}

static void ex_send(struct ha_ex *ex)
{
	if (ex->out.subtype == CBU_SUB_EXCH0)
		io_send_pkt(&ex->mn->hoa, &ex->cn, NULL, &ex->out, ex->exch0,
			    &ex->exch0_len);
	else
		io_send_pkt(&ex->mn->hoa, &ex->cn, NULL, &ex->out, NULL, NULL);
}

/*
 * REP = {Src=HA, Des=HoA, e(k_HA, N0, k_BU, k_BA, k_EN, k_HA-next)}, sealed
 * now under the k_HA in use, with the k_HA-next now on offer.
 */
static void rep_send(struct ha_ex *ex)
{
	struct ha_mn *mn = ex->mn;
	struct cbu_msg m;

	memcpy(ex->rep.k_ha_next, ha_offer(mn, ex), CBU_KEY_LEN);
	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_REP);
	cbu_msg_seal(&m, &ex->rep, sizeof(ex->rep), mn->k_ha);
	sodium_memzero(ex->rep.k_ha_next, CBU_KEY_LEN);
	io_send(&agent.cfg.ha.address, &mn->hoa, &m);
}

static void ex_retry(struct timer *t)
{
	struct ha_ex *ex = container_of(t, struct ha_ex, retry);

	if (ex->state == EX_DONE) {
		/* The REP was kept for a repeated REQ long enough. */
		ex_free(ex);
		return;
	}
	if (++ex->tries >= HA_TRIES) {
		if (ex->refused) {
			ha.n.refused++;
			log_info("exchange with %s for %s refused",
				 addr_str(&ex->cn), addr_str(&ex->mn->hoa));
		} else {
			ha.n.timeouts++;
			log_info("no answer from %s for %s", addr_str(&ex->cn),
				 addr_str(&ex->mn->hoa));
		}
		ha_nak(ex->mn, ex->n0, &ex->cn,
		       ex->refused ? ex->refused : CBU_NAK_FAILED);
		ex_free(ex);
		return;
	}
	ex_send(ex);
	timer_arm(t, HA_RETRY_MS << ex->tries);
}

/*
 * An answer to @ex that we refuse, from someone who saw our messages (it
 * carries our C0): as an IKEv2 initiator does with a bad IKE_SA_INIT
 * response (RFC 7296 2.4), keep waiting for a right one, so that whoever
 * can only add packets on the path cannot end the exchange.  But not for
 * all the retries: one interval more, and the MN gets a REP_NAK with
 * @why, the last refusal's (Documentation/wire-format.md §9.2).
 */
static void ex_refuse(struct ha_ex *ex, uint8_t why)
{
	/* The first refusal sets the time; later ones only the reason. */
	if (!ex->refused) {
		ex->tries = HA_TRIES - 1;
		timer_arm(&ex->retry, HA_RETRY_MS);
	}
	ex->refused = why;
}

/* --- k_EN rekey ----------------------------------------------------------- */

static struct ha_ro *ro_find(const struct in6_addr *hoa,
			     const struct in6_addr *cn)
{
	unsigned int i;

	for (i = 0; i < HA_MAX_RO; i++)
		if (ha.ro[i].used && !memcmp(&ha.ro[i].mn->hoa, hoa, 16) &&
		    !memcmp(&ha.ro[i].cn, cn, 16))
			return &ha.ro[i];
	return NULL;
}

static void ro_free(struct ha_ro *ro)
{
	timer_cancel(&ro->retry);
	sodium_memzero(ro, sizeof(*ro));
}

static void ro_retry(struct timer *t);

/*
 * Keep what a rekey of (@mn, @cn) needs; a new exchange replaces the old.
 * When full, the one keyed longest ago goes: its MN gets a REP_NAK on
 * REQ_KEY and runs a full exchange.
 */
static void ro_keep(struct ha_mn *mn, const struct in6_addr *cn,
		    const uint8_t k_master[CBU_KEY_LEN],
		    const uint8_t k_en[CBU_KEY_LEN])
{
	struct ha_ro *ro = ro_find(&mn->hoa, cn), *oldest = NULL;
	unsigned int i;

	for (i = 0; i < HA_MAX_RO && !ro; i++) {
		if (!ha.ro[i].used)
			ro = &ha.ro[i];
		else if (!oldest || ha.ro[i].used_ms < oldest->used_ms)
			oldest = &ha.ro[i];
	}
	if (!ro)
		ro = oldest;
	ro_free(ro);
	ro->used = true;
	ro->mn = mn;
	ro->cn = *cn;
	memcpy(ro->k_master, k_master, CBU_KEY_LEN);
	memcpy(ro->k_en, k_en, CBU_KEY_LEN);
	ro->used_ms = loop_now_ms();
	ro->retry.cb = ro_retry;
}

/* EXCH0' to the CN; or NEWKEY, sealed under the k_HA in use now. */
static void ro_send(struct ha_ro *ro)
{
	struct cbu_msg m;

	if (ro->rk == RK_EXCH0) {
		io_send_pkt(&ro->mn->hoa, &ro->cn, NULL, &ro->out, NULL, NULL);
		return;
	}
	/* NEWKEY = {Src=HA, Des=HoA, e(k_HA, N0', k_EN-new, LT_EN)} */
	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_NEWKEY);
	cbu_msg_seal(&m, &ro->newkey, sizeof(ro->newkey), ro->mn->k_ha);
	io_send(&agent.cfg.ha.address, &ro->mn->hoa, &m);
}

static void ro_retry(struct timer *t)
{
	struct ha_ro *ro = container_of(t, struct ha_ro, retry);

	if (ro->rk == RK_DONE) {
		/* The NEWKEY was kept long enough for a resent REQ_KEY. */
		sodium_memzero(&ro->newkey, sizeof(ro->newkey));
		ro->rk = RK_IDLE;
		return;
	}
	if (++ro->tries >= HA_TRIES) {
		ha.n.rekey_timeouts++;
		log_info("no EXCH1' from %s for %s", addr_str(&ro->cn),
			 addr_str(&ro->mn->hoa));
		ha_nak(ro->mn, ro->n0, &ro->cn, CBU_NAK_FAILED);
		ro->rk = RK_IDLE;
		return;
	}
	ro_send(ro);
	timer_arm(t, HA_RETRY_MS << ro->tries);
}

/* REQ_KEY = {Src=HoA, Des=HA, e(k_HA, HoA, CoA, CN, N0', REQKEN)} */
static void ha_req_key(struct rx *r)
{
	struct ha_mn *mn = ha_mn_by_hoa(&r->src);
	struct cbu_req_key_pt pt;
	struct cbu_exch0_rk *e;
	struct in6_addr cn;
	struct ha_ro *ro;

	if (!mn || !ha_open(mn, &r->msg, &pt, sizeof(pt)) ||
	    memcmp(pt.hoa, &mn->hoa, 16) || pt.reqken != CBU_REQKEN) {
		ha.n.req_bad++;
		log_info_rl("REQ_KEY from %s refused", addr_str(&r->src));
		goto out;
	}
	ha.n.req_key++;
	memcpy(&cn, pt.cn, 16);
	ro = ro_find(&mn->hoa, &cn);
	if (!ro) {
		ha.n.rekey_unknown++;
		log_info_rl("REQ_KEY: no keys of %s with %s",
			    addr_str(&mn->hoa), addr_str(&cn));
		ha_nak(mn, pt.n0, &cn, CBU_NAK_FAILED);
		goto out;
	}
	if (ro->rk != RK_IDLE && !memcmp(ro->n0, pt.n0, CBU_NONCE_LEN)) {
		/* A resent REQ_KEY: the NEWKEY, if any, once more. */
		if (ro->rk == RK_DONE)
			ro_send(ro);
		goto out;
	}
	memcpy(ro->n0, pt.n0, CBU_NONCE_LEN);
	sodium_memzero(&ro->newkey, sizeof(ro->newkey));
	ro->rk = RK_EXCH0;
	ro->tries = 0;
	/* EXCH0' = {Src=HoA, Des=CN, N1', MAC_EXCH0'} */
	cbu_msg_init(&ro->out, CBU_MH_EXP, CBU_SUB_EXCH0_RK);
	e = &ro->out.body.exch0_rk;
	cbu_random(e->n1, CBU_NONCE_LEN);
	cbu_mac_exch0_rk(e->mac, ro->k_en, mn->hoa.s6_addr, e->n1);
	log_info("REQ_KEY: %s rekeys with %s", addr_str(&mn->hoa),
		 addr_str(&cn));
	ro_send(ro);
	timer_arm(&ro->retry, HA_RETRY_MS);
out:
	sodium_memzero(&pt, sizeof(pt));
}

/* EXCH1' = {Src=CN, Des=HoA, N1', N2', LT_EN, MAC_EXCH1'}: k_EN-new. */
static void ha_exch1_rk(struct rx *r)
{
	const struct cbu_exch1_rk *e = &r->msg.body.exch1_rk;
	uint8_t mac[CBU_MAC_LEN];
	struct cbu_newkey_pt *pt;
	struct ha_ro *ro;

	ro = ro_find(&r->dst, &r->src);
	if (!ro || ro->rk != RK_EXCH0 ||
	    sodium_memcmp(e->n1, ro->out.body.exch0_rk.n1, CBU_NONCE_LEN)) {
		ha.n.rekey_bad++;
		log_info_rl("EXCH1' from %s: not ours", addr_str(&r->src));
		return;
	}
	cbu_mac_exch1_rk(mac, ro->k_en, ro->cn.s6_addr, e->n1, e->n2,
			 ntohs(e->lt_en));
	if (sodium_memcmp(mac, e->mac, CBU_MAC_LEN)) {
		ha.n.rekey_bad++;
		log_info_rl("EXCH1' from %s: bad MAC", addr_str(&r->src));
		return;
	}
	pt = &ro->newkey;
	memcpy(pt->n0, ro->n0, CBU_NONCE_LEN);
	cbu_kdf_en_new(pt->k_en, ro->k_master, e->n1, e->n2);
	pt->lt_en = e->lt_en;
	memcpy(ro->k_en, pt->k_en, CBU_KEY_LEN);
	ro->used_ms = loop_now_ms();
	ro->rk = RK_DONE;
	ha.n.newkey++;
	log_info("k_EN of %s and %s renewed, NEWKEY sent",
		 addr_str(&ro->mn->hoa), addr_str(&ro->cn));
	ro_send(ro);
	timer_arm(&ro->retry, 30000);
}

/* REQ = {Src=HoA, Des=HA, e(k_HA, HoA, CoA, CN, N0)}, through the tunnel. */
static void ha_req(struct rx *r)
{
	struct ha_mn *mn = ha_mn_by_hoa(&r->src);
	struct cbu_req_pt pt;
	struct in6_addr cn;
	struct ha_ex *ex;

	if (!mn || !ha_open(mn, &r->msg, &pt, sizeof(pt)) ||
	    memcmp(pt.hoa, &mn->hoa, 16)) {
		ha.n.req_bad++;
		log_info_rl("REQ from %s refused", addr_str(&r->src));
		goto out;
	}
	ha.n.req++;
	memcpy(&cn, pt.cn, 16);
	ex = ex_find(&mn->hoa, &cn);
	if (ex && !memcmp(ex->n0, pt.n0, CBU_NONCE_LEN)) {
		/* A resent REQ: the answer, if any, once more. */
		if (ex->state == EX_DONE)
			rep_send(ex);
		goto out;
	}
	if (is_no_cbu(&cn)) {
		ha_nak(mn, pt.n0, &cn, CBU_NAK_NO_CBU);
		goto out;
	}
	ex = ex_new(mn, &cn);
	if (!ex) {
		log_warn_rl("too many exchanges in progress");
		goto out;
	}
	memcpy(ex->n0, pt.n0, CBU_NONCE_LEN);
	ex->state = EX_COOKIE0;
	cbu_cookie_c0(ex->c0, ha.jar.cur, mn->hoa.s6_addr, cn.s6_addr);
	cbu_msg_init(&ex->out, CBU_MH_EXP, CBU_SUB_COOKIE0);
	memcpy(ex->out.body.cookie0.c0, ex->c0, CBU_COOKIE_LEN);
	log_info("REQ: %s asks for %s", addr_str(&mn->hoa), addr_str(&cn));
	ex_send(ex);
	timer_arm(&ex->retry, HA_RETRY_MS);
out:
	sodium_memzero(&pt, sizeof(pt));
}

/* COOKIE1 = {Src=CN, Des=HoA, C0, C1, N1}: sign and send EXCH0. */
static void ha_cookie1(struct rx *r)
{
	const struct cbu_cookie1 *c = &r->msg.body.cookie1;
	struct cbu_exch0 *e;
	struct ha_ex *ex;

	ex = ex_find(&r->dst, &r->src);
	if (!ex || ex->state != EX_COOKIE0 ||
	    !cbu_cookie_c0_ok(&ha.jar, c->c0, r->dst.s6_addr, r->src.s6_addr) ||
	    sodium_memcmp(c->c0, ex->c0, CBU_COOKIE_LEN)) {
		ha.n.bad_cookie++;
		log_info_rl("COOKIE1 from %s: not ours", addr_str(&r->src));
		return;
	}
	memcpy(ex->c1, c->c1, CBU_COOKIE_LEN);
	memcpy(ex->n1, c->n1, CBU_NONCE_LEN);

	cbu_msg_init(&ex->out, CBU_MH_EXP, CBU_SUB_EXCH0);
	e = &ex->out.body.exch0;
	memcpy(e->c0, ex->c0, CBU_COOKIE_LEN);
	memcpy(e->c1, ex->c1, CBU_COOKIE_LEN);
	memcpy(e->n1, ex->n1, CBU_NONCE_LEN);
	/* N2, TS, g^x, SIG_HA = Sig(SK_HA, HoA | CN | g^x | N1 | N2 | TS) */
	cbu_exch0_sign(e, ex->mn->hoa.s6_addr, ex->cn.s6_addr, ex->x,
		       &ha.cr.key);
	ex->out.cert_len = CBU_CERT_LEN;
	memcpy(ex->out.cert, ha.cr.cert_wire, CBU_CERT_LEN);
	ex->state = EX_EXCH0;
	ex->tries = 0;
	ex_send(ex);
	timer_arm(&ex->retry, HA_RETRY_MS);
}

/* EXCH1 = {Src=CN, Des=HoA, C0, C1, g^y, SIG_CN, Cert_CN}: the keys. */
static void ha_exch1(struct rx *r)
{
	const struct cbu_exch1 *e = &r->msg.body.exch1;
	uint8_t sig_in[CBU_MH_MAX_LEN + 64], k_dh[CBU_KEY_LEN];
	uint8_t k_master[CBU_KEY_LEN];
	struct cbu_session_keys keys;
	struct cbu_cert cert;
	const char *why = NULL;
	struct ha_ex *ex;
	struct ha_mn *mn;
	int ret, n;

	/* Without our C0 it is nobody's answer: it changes nothing. */
	ex = ex_find(&r->dst, &r->src);
	if (!ex || ex->state != EX_EXCH0 ||
	    sodium_memcmp(e->c0, ex->c0, CBU_COOKIE_LEN)) {
		ha.n.bad_cookie++;
		log_info_rl("EXCH1 from %s: not ours", addr_str(&r->src));
		return;
	}
	mn = ex->mn;
	if (sodium_memcmp(e->c1, ex->c1, CBU_COOKIE_LEN)) {
		ha.n.bad_cookie++;
		log_info_rl("EXCH1 from %s: not the C1 of its COOKIE1",
			    addr_str(&r->src));
		ex_refuse(ex, CBU_NAK_COOKIE);
		return;
	}
	ret = cbu_cert_decode(&cert, r->msg.cert, r->msg.cert_len, &why);
	if (!ret)
		ret = cbu_cert_verify_cn(&cert, ha.cr.ca_pub, ex->cn.s6_addr,
					 (uint64_t)time(NULL), &why);
	if (ret) {
		if (ret == -EKEYEXPIRED)
			ha.n.expired_cert++;
		else if (ret == -EADDRNOTAVAIL)
			ha.n.wrong_prefix++;
		else
			ha.n.bad_cert++;
		log_info_rl("EXCH1 from %s: Cert_CN: %s", addr_str(&ex->cn),
			    why);
		ex_refuse(ex, CBU_NAK_CERT);
		return;
	}
	n = cbu_sig_cn_input(sig_in, sizeof(sig_in), ex->cn.s6_addr,
			     mn->hoa.s6_addr, e->gy, ex->exch0, ex->exch0_len);
	if (n < 0 || !cbu_verify(e->sig, sig_in, (size_t)n, cert.public_key)) {
		ha.n.bad_sig++;
		log_info_rl("EXCH1 from %s: SIG_CN does not verify",
			    addr_str(&ex->cn));
		ex_refuse(ex, CBU_NAK_SIG);
		return;
	}
	if (cbu_dh_shared(k_dh, ex->x, e->gy)) {
		ha.n.bad_dh++;
		log_info_rl("EXCH1 from %s: g^y of low order",
			    addr_str(&ex->cn));
		ex_refuse(ex, CBU_NAK_SIG);
		return;
	}
	sodium_memzero(ex->x, sizeof(ex->x));
	cbu_kdf_master(k_master, k_dh, ex->n1, ex->out.body.exch0.n2);
	cbu_kdf_session(&keys, k_master, ex->n1, ex->out.body.exch0.n2);
	sodium_memzero(k_dh, sizeof(k_dh));
	ro_keep(mn, &ex->cn, k_master, keys.k_en);
	sodium_memzero(k_master, sizeof(k_master));

	memcpy(ex->rep.n0, ex->n0, CBU_NONCE_LEN);
	memcpy(ex->rep.k_bu, keys.k_bu, CBU_KEY_LEN);
	memcpy(ex->rep.k_ba, keys.k_ba, CBU_KEY_LEN);
	memcpy(ex->rep.k_en, keys.k_en, CBU_KEY_LEN);
	sodium_memzero(&keys, sizeof(keys));

	ha.n.rep++;
	log_info("keys for %s and %s derived, REP sent", addr_str(&mn->hoa),
		 addr_str(&ex->cn));
	rep_send(ex);
	/* Kept a while for a resent REQ, then freed. */
	ex->state = EX_DONE;
	timer_arm(&ex->retry, 30000);
}

/* A Binding Error to the HoA: status 2 means the CN does not speak CBU. */
static void ha_be(struct rx *r)
{
	struct ha_ex *ex;

	/*
	 * Unauthenticated, as in RFC 6275: believed only as the answer to
	 * an exchange of ours in progress with its sender.
	 */
	ex = ex_find(&r->dst, &r->src);
	if (r->msg.status != CBU_BE_UNKNOWN_MH_TYPE || !ex ||
	    ex->state == EX_DONE)
		return;
	if (!is_no_cbu(&r->src) && ha.n_no_cbu < HA_MAX_NO_CBU)
		ha.no_cbu[ha.n_no_cbu++] = r->src;
	ha.n.no_cbu++;
	log_info_rl("%s does not speak CBU", addr_str(&r->src));
	ha_nak(ex->mn, ex->n0, &ex->cn, CBU_NAK_NO_CBU);
	ex_free(ex);
}

/*
 * REQ_Cert (draft section 5): a MAP asks for Cert_HA, to check a Cert_MN
 * we issued.  Anyone may ask and Cert_HA is public, but the answer is 160
 * octets for 8: a reflector, unless rate-limited, per source first (one
 * source cannot use up the rest) and then in all.
 */
static void ha_req_cert(struct rx *r)
{
	struct cbu_msg m;

	ha.n.req_cert++;
	if (!tb_limit_take(&ha.rep_cert, &r->src, loop_now_ms())) {
		ha.n.req_cert_limited++;
		log_info_rl("REQ_Cert from %s: rate-limited",
			    addr_str(&r->src));
		return;
	}
	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_REP_CERT);
	memcpy(m.cert, ha.cr.cert_wire, CBU_CERT_LEN);
	m.cert_len = CBU_CERT_LEN;
	if (!io_send(&agent.cfg.ha.address, &r->src, &m))
		ha.n.rep_cert++;
}

static void ha_rx(struct rx *r)
{
	if (r->msg.subtype == CBU_SUB_REG)
		ha_reg(r);
	else if (r->msg.subtype == CBU_SUB_REQ)
		ha_req(r);
	else if (r->msg.subtype == CBU_SUB_REQ_KEY)
		ha_req_key(r);
	else if (r->msg.subtype == CBU_SUB_KEYS_ACK)
		mcn_ha_keys_ack(r);
	else if (r->msg.subtype == CBU_SUB_ALIVE)
		mcn_ha_alive(r);
	else if (r->msg.subtype == CBU_SUB_REQ_CERT)
		ha_req_cert(r);
}

/*
 * Handed up by cbu.ko: what reaches an address of the home prefix, ours
 * included when it lies inside (REG and REQ then come this way).
 */
static void ha_mh(struct rx *r)
{
	if (!memcmp(&r->dst, &agent.cfg.ha.address, 16)) {
		if (r->msg.type == CBU_MH_EXP)
			ha_rx(r);
		return;
	}
	if (!ha_mn_by_hoa(&r->dst) || mcn_ha_mh(r))
		return;
	if (r->msg.type == CBU_MH_BE)
		ha_be(r);
	else if (r->msg.subtype == CBU_SUB_COOKIE1)
		ha_cookie1(r);
	else if (r->msg.subtype == CBU_SUB_EXCH1)
		ha_exch1(r);
	else if (r->msg.subtype == CBU_SUB_EXCH1_RK)
		ha_exch1_rk(r);
}

static const struct counter ha_counters[] = {
	COUNTER(ha_counters, reg, "  reg %llu"),
	COUNTER(ha_counters, reg_dup, " reg-dup %llu"),
	COUNTER(ha_counters, reg_stale, " reg-stale %llu"),
	COUNTER(ha_counters, req, " req %llu"),
	COUNTER(ha_counters, rep, " rep %llu"),
	COUNTER(ha_counters, nak, " nak %llu"),
	COUNTER(ha_counters, req_key, " req-key %llu"),
	COUNTER(ha_counters, newkey, " newkey %llu"),
	COUNTER(ha_counters, resumed, " resumed %llu"),
	COUNTER(ha_counters, brr, " brr %llu"),
	COUNTER(ha_counters, req_cert, " req-cert %llu"),
	COUNTER(ha_counters, rep_cert, " rep-cert %llu"),
	COUNTER(ha_counters, k_ha_switch, " k-ha-switch %llu\n"),
	COUNTER(ha_counters, reg_bad, "  refused: reg %llu"),
	COUNTER(ha_counters, req_bad, " req %llu"),
	COUNTER(ha_counters, bad_cookie, " bad-cookie %llu"),
	COUNTER(ha_counters, bad_cert, " bad-cert %llu"),
	COUNTER(ha_counters, expired_cert, " expired-cert %llu"),
	COUNTER(ha_counters, wrong_prefix, " wrong-prefix %llu"),
	COUNTER(ha_counters, bad_sig, " bad-sig %llu"),
	COUNTER(ha_counters, bad_dh, " bad-dh %llu"),
	COUNTER(ha_counters, refused, " exchanges-refused %llu"),
	COUNTER(ha_counters, timeouts, " timeouts %llu"),
	COUNTER(ha_counters, no_cbu, " no-cbu %llu"),
	COUNTER(ha_counters, rekey_bad, " rekey-bad %llu"),
	COUNTER(ha_counters, rekey_unknown, " rekey-unknown %llu"),
	COUNTER(ha_counters, rekey_timeouts, " rekey-timeouts %llu"),
	COUNTER(ha_counters, req_cert_limited, " req-cert-limited %llu\n"),
};

static void ha_status(void)
{
	unsigned int i, n;

	open_json_object("home_agent");
	print_string(PRINT_ANY, "address", "home-agent %s",
		     addr_str(&agent.cfg.ha.address));
	print_string(PRINT_FP, NULL, "%s", " mobile-nodes");
	open_json_array(PRINT_JSON, "mobile_nodes");
	for (i = 0; i < ha.n_mns; i++) {
		const struct ha_mn *mn = &ha.mns[i];

		if (!mn->used)
			continue;
		open_json_object(NULL);
		print_string(PRINT_ANY, "hoa", " %s", addr_str(&mn->hoa));
		print_bool(PRINT_JSON, "registered", NULL, mn->registered);
		if (mn->registered)
			print_string(PRINT_ANY, "coa", "@%s",
				     addr_str(&mn->coa));
		close_json_object();
	}
	close_json_array(PRINT_JSON, NULL);
	for (i = 0, n = 0; i < HA_MAX_RO; i++)
		n += ha.ro[i].used;
	print_uint(PRINT_ANY, "route_optimizations",
		   " route-optimizations %u", n);
	print_nl();
	print_counters(&ha.n, ha_counters, ARRAY_SIZE(ha_counters));
	mcn_ha_status();
	close_json_object();
}

static void jar_tick(struct timer *t)
{
	cbu_cookie_jar_tick(&ha.jar, loop_now_ms() / 1000);
	timer_arm(t, HA_COOKIE_PERIOD * 1000);
}

static int load_credentials(struct creds *cr)
{
	const struct agent_config *c = &agent.cfg;

	if (creds_load(cr, c->ha.private_key, c->ha.certificate))
		return -1;
	if (cr->cert.kind != CBU_CERT_HA ||
	    !cbu_cert_covers(&cr->cert, c->ha.prefix.s6_addr)) {
		log_err("%s: not an HA certificate for the home prefix",
			c->ha.certificate);
		creds_wipe(cr);
		return -1;
	}
	return 0;
}

/* --- restart ------------------------------------------------------------- */

/* Binding Refresh Request to the CoA: register again (with backoff). */
static void brr_send(struct timer *t)
{
	struct ha_mn *mn = container_of(t, struct ha_mn, brr);
	struct cbu_msg m;

	if (!mn->resumed || mn->brr_tries >= HA_TRIES + 2)
		return;
	cbu_msg_init(&m, CBU_MH_BRR, 0);
	if (!io_send(&agent.cfg.ha.address, &mn->coa, &m))
		ha.n.brr++;
	timer_arm(t, HA_RETRY_MS << mn->brr_tries++);
}

/*
 * A home tunnel state an agent before us left: its outbound one (from us
 * to the CoA, carrying anything to the HoA) names the registration.  The
 * reqid says which mobile node, if the configuration still agrees.
 */
static void resume_one(const struct dp_state *st, void *arg)
{
	struct ha_mn *mn = &ha.mns[st->reqid - HA_REQID_BASE];

	(void)arg;
	if (!mn->used || memcmp(&st->src, &agent.cfg.ha.address, 16) ||
	    st->sel_dst_len != 128 || memcmp(&st->sel_dst, &mn->hoa, 16) ||
	    mn->resumed)
		return;
	mn->resumed = true;
	mn->registered = true;
	mn->coa = st->dst;
	mn->reg_coa = st->dst;
	timer_arm(&mn->life, HA_RESUME_S * 1000);
	log_info("%s: registered at %s when the agent before us stopped",
		 addr_str(&mn->hoa), addr_str(&mn->coa));
}

static void ha_resume(void)
{
	unsigned int i;

	if (!ha.n_mns)
		return;
	dp_states(HA_REQID_BASE, HA_REQID_BASE + ha.n_mns - 1, resume_one,
		  NULL);
	for (i = 0; i < ha.n_mns; i++) {
		struct ha_mn *mn = &ha.mns[i];

		if (!mn->resumed) {
			/* Not one we can name: not left half set up. */
			dp_flush(mn->reqid);
			continue;
		}
		ha.n.resumed++;
		brr_send(&mn->brr);
	}
}

/* Slot @i for the mobile node @hoa, its z already read. */
static void mn_slot_init(unsigned int i, const struct in6_addr *hoa)
{
	struct ha_mn *mn = &ha.mns[i];

	mn->used = true;
	mn->hoa = *hoa;
	memcpy(mn->k_ha, mn->z, CBU_KEY_LEN);
	mn->life.cb = reg_expired;
	mn->brr.cb = brr_send;
	mn->reqid = HA_REQID_BASE + i;
	if (i >= ha.n_mns)
		ha.n_mns = i + 1;
}

/*
 * The end of a mobile node, at exit or removed by a reload: what this
 * agent set up for it goes, its exchanges and keys too, and its slot is
 * free.
 */
static void mn_end(struct ha_mn *mn)
{
	unsigned int i;

	for (i = 0; i < HA_MAX_EX; i++)
		if (ha.ex[i].state != EX_FREE && ha.ex[i].mn == mn)
			ex_free(&ha.ex[i]);
	for (i = 0; i < HA_MAX_RO; i++)
		if (ha.ro[i].used && ha.ro[i].mn == mn)
			ro_free(&ha.ro[i]);
	mcn_ha_mn_end(mn);
	timer_cancel(&mn->life);
	timer_cancel(&mn->brr);
	if (mn->registered) {
		dp_flush(mn->reqid);
		dp_proxy(agent.cfg.ha.home_link, &mn->hoa, false);
	}
	sodium_memzero(mn, sizeof(*mn));
}

static bool config_has_mn(const struct agent_config *c,
			  const struct in6_addr *hoa)
{
	unsigned int i;

	for (i = 0; i < c->ha.n_mns; i++)
		if (!memcmp(&c->ha.mns[i].hoa, hoa, sizeof(*hoa)))
			return true;
	return false;
}

static int ha_check(void)
{
	uint8_t z[CBU_KEY_LEN];
	struct creds cr;
	unsigned int i;
	int ret;

	/* Not into ha.cr: a reload checks while the running ones serve. */
	ret = load_credentials(&cr);
	creds_wipe(&cr);
	for (i = 0; !ret && i < agent.cfg.ha.n_mns; i++)
		ret = read_secret(agent.cfg.ha.mns[i].secret, z);
	sodium_memzero(z, sizeof(z));
	if (!ret)
		ret = mcn_ha_check();
	return ret ? -1 : 0;
}

static int ha_init(void)
{
	const struct agent_config *c = &agent.cfg;
	struct cbu_genl_err err;
	struct cbu_home home;
	unsigned int i;
	int ret;

	if (load_credentials(&ha.cr) || dp_router_setup(c->ha.home_link))
		return -1;
	ha.mns = calloc(CFG_MAX_MNS, sizeof(*ha.mns));
	if (!ha.mns)
		return -1;
	for (i = 0; i < c->ha.n_mns; i++) {
		if (read_secret(c->ha.mns[i].secret, ha.mns[i].z))
			return -1;
		mn_slot_init(i, &c->ha.mns[i].hoa);
	}
	ha_resume();
	if (mcn_ha_init())
		return -1;

	/* cbu.ko hands the CBU messages for our home addresses up to us. */
	memset(&home, 0, sizeof(home));
	home.prefix = c->ha.prefix;
	home.len = c->ha.prefix_len;
	ret = cbu_home_add(&agent.genl, &home, &err);
	if (ret && ret != -EEXIST) {
		log_err("cbu.ko: home prefix: %s %s", strerror(-ret), err.msg);
		return -1;
	}
	ha.home_set = true;
	tb_limit_init(&ha.rep_cert, HA_REP_CERT_RATE, HA_REP_CERT_BURST,
		      HA_REP_CERT_ALL);
	cbu_cookie_jar_init(&ha.jar, loop_now_ms() / 1000, HA_COOKIE_PERIOD);
	ha.jar_timer.cb = jar_tick;
	timer_arm(&ha.jar_timer, HA_COOKIE_PERIOD * 1000);
	log_info("home agent %s for %s/%u ready, %u mobile nodes",
		 addr_str(&c->ha.address), addr_str(&c->ha.prefix),
		 c->ha.prefix_len, ha.n_mns);
	return 0;
}

static void ha_fini(void)
{
	unsigned int i;

	timer_cancel(&ha.jar_timer);
	mcn_ha_fini();
	for (i = 0; i < HA_MAX_EX; i++)
		if (ha.ex[i].state != EX_FREE)
			ex_free(&ha.ex[i]);
	for (i = 0; i < HA_MAX_RO; i++)
		ro_free(&ha.ro[i]);
	for (i = 0; i < ha.n_mns; i++)
		mn_end(&ha.mns[i]);
	if (ha.home_set) {
		struct cbu_genl_err err;
		struct cbu_home home = {
			.prefix = agent.cfg.ha.prefix,
			.len = agent.cfg.ha.prefix_len,
		};

		/* Nobody takes what cbu.ko would hand up for it now. */
		cbu_home_del(&agent.genl, &home, &err);
		ha.home_set = false;
	}
	cbu_cookie_jar_wipe(&ha.jar);
	creds_wipe(&ha.cr);
	free(ha.mns);
	ha.mns = NULL;
	ha.n_mns = 0;
}

/*
 * SIGHUP, `cbuctl agent reload`: agent.cfg is the new configuration,
 * which passed ha_check() and config_reloadable() against @old.  What can
 * fail (reading files) is done before anything changes.  Mobile nodes
 * kept keep everything (keys, registration, tunnel, route
 * optimizations); those removed end as at exit; those added start as at
 * start; the credentials are replaced.
 */
static int ha_reload(const struct agent_config *old)
{
	const struct agent_config *c = &agent.cfg;
	uint8_t (*z)[CBU_KEY_LEN];
	unsigned int i, slot, added = 0, removed = 0;
	struct creds cr, mcn_cr;
	int ret = -1;

	(void)old;
	memset(&mcn_cr, 0, sizeof(mcn_cr));
	z = calloc(CFG_MAX_MNS, sizeof(*z));
	if (!z || load_credentials(&cr))
		goto out;
	if (mcn_ha_reload_load(&mcn_cr))
		goto out_creds;
	for (i = 0; i < c->ha.n_mns; i++)
		if (!ha_mn_by_hoa(&c->ha.mns[i].hoa) &&
		    read_secret(c->ha.mns[i].secret, z[i]))
			goto out_creds;

	for (i = 0; i < ha.n_mns; i++) {
		struct ha_mn *mn = &ha.mns[i];

		if (!mn->used || config_has_mn(c, &mn->hoa))
			continue;
		log_info("reload: mobile node %s removed", addr_str(&mn->hoa));
		mn_end(mn);
		removed++;
	}
	for (i = 0, slot = 0; i < c->ha.n_mns; i++) {
		if (ha_mn_by_hoa(&c->ha.mns[i].hoa))
			continue;
		/* config.c allows CFG_MAX_MNS: a free slot is there. */
		while (ha.mns[slot].used)
			slot++;
		memcpy(ha.mns[slot].z, z[i], CBU_KEY_LEN);
		mn_slot_init(slot, &c->ha.mns[i].hoa);
		log_info("reload: mobile node %s added", addr_str(&c->ha.mns[i].hoa));
		added++;
	}
	creds_wipe(&ha.cr);
	ha.cr = cr;
	mcn_ha_reload_take(&mcn_cr);
	log_info("home agent reloaded: %u mobile nodes added, %u removed, certificate %s",
		 added, removed, c->ha.certificate);
	ret = 0;
out_creds:
	creds_wipe(&cr);
	creds_wipe(&mcn_cr);
out:
	if (z)
		sodium_memzero(z, CFG_MAX_MNS * sizeof(*z));
	free(z);
	return ret;
}

static const struct role_rx ha_rx_list[] = {
	{ CBU_MH_EXP, CBU_SUB_REQ, ha_rx },
	{ CBU_MH_EXP, CBU_SUB_REG, ha_rx },
	{ CBU_MH_EXP, CBU_SUB_REQ_KEY, ha_rx },
	{ CBU_MH_EXP, CBU_SUB_KEYS_ACK, ha_rx },
	{ CBU_MH_EXP, CBU_SUB_ALIVE, ha_rx },
	{ CBU_MH_EXP, CBU_SUB_REQ_CERT, ha_rx },
	{ 0 }
};

const struct role_ops ha_role = {
	.name = "home-agent",
	.enabled = &agent.cfg.ha.enabled,
	.check = ha_check,
	.init = ha_init,
	.fini = ha_fini,
	.reload = ha_reload,
	.status = ha_status,
	.rx = ha_rx_list,
	.kernel_mh = ha_mh,
};
