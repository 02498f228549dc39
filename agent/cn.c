// SPDX-License-Identifier: GPL-2.0
/*
 * The correspondent's role (draft section 3): answer COOKIE0 with a
 * stateless COOKIE1; check an EXCH0's cookie before anything costly, then
 * Cert_HA, the HoA's prefix and SIG_HA; answer with EXCH1; install k_BU and
 * k_BA in cbu.ko; set up the ESP path to the CoA once the BU names it.
 *
 * k_EN rekey (draft section 3): EXCH0' (from the home agent, as the HoA)
 * verified under k_EN -> k_EN-new = prf(k_master, N1' | N2' | 2) -> a new
 * inbound state under it -> EXCH1'.  The mobile node gets k_EN-new by its
 * home agent's NEWKEY and sends under it at once (an ESP dummy packet if
 * nothing else); seeing that (the new state's packet count, polled) or
 * rk_switch_ms() later at most, we send under it too and the old states go
 * (rekey.c, shared with a mobile correspondent).
 * A resent EXCH0' (our EXCH1' lost) gets the same EXCH1' again.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "agent.h"
#include "cnx.h"
#include "dp.h"
#include "lib/armor.h"
#include "lib/cert.h"
#include "lib/crypto.h"
#include "lib/json_print.h"
#include "log.h"
#include "loop.h"
#include "rekey.h"

#define CN_MAX_PEERS		1024
#define CN_REQID_BASE		0x10000

struct cn_peer {
	bool used;
	struct in6_addr hoa;
	uint8_t k_en[CBU_KEY_LEN];
	uint8_t k_master[CBU_KEY_LEN];	/* kept for the k_EN rekey */
	uint32_t reqid;
	bool path;			/* ESP path installed */
	bool resumed;			/* from cbu.ko at start: no k_EN */
	struct in6_addr coa;
	/* The rekey under way: we listen on both keys, send under the old. */
	struct rk rk;
	struct cbu_exch1_rk exch1_rk;	/* our last EXCH1', for a resent EXCH0' */
};

static struct {
	struct cnx x;			/* the exchange, our credentials */
	struct cn_peer peers[CN_MAX_PEERS];
	struct cn_counters {
		struct cnx_counters x;
		uint64_t exch1_sent, kernel_failed, paths, brr, resumed,
			 rekey, rekey_bad, rekey_unknown, rekey_resent,
			 switch_seen, switch_timeout;
	} n;
} cn;

static void rk_path(const struct rk *rk, struct dp_ro *ro,
		    const uint8_t **k_en, uint32_t *lt_en);

/* Slot @p, zeroed, takes @hoa. */
static void peer_init(struct cn_peer *p, const struct in6_addr *hoa,
		      uint32_t reqid)
{
	p->used = true;
	p->hoa = *hoa;
	p->reqid = reqid;
	p->rk.path = rk_path;
	p->rk.n_seen = &cn.n.switch_seen;
	p->rk.n_timeout = &cn.n.switch_timeout;
}

static struct cn_peer *peer_get(const struct in6_addr *hoa, bool create)
{
	struct cn_peer *free_slot = NULL;
	unsigned int i;

	for (i = 0; i < CN_MAX_PEERS; i++) {
		if (cn.peers[i].used &&
		    !memcmp(&cn.peers[i].hoa, hoa, sizeof(*hoa)))
			return &cn.peers[i];
		if (!cn.peers[i].used && !free_slot)
			free_slot = &cn.peers[i];
	}
	if (!create || !free_slot)
		return NULL;
	memset(free_slot, 0, sizeof(*free_slot));
	peer_init(free_slot, hoa,
		  CN_REQID_BASE + (uint32_t)(free_slot - cn.peers));
	return free_slot;
}

/* COOKIE0 = {Src=HoA, Des=CN, C0}: answered at once, nothing kept. */
static void cn_cookie0(struct rx *r)
{
	struct cbu_msg m;

	cnx_cookie1(&cn.x, r, &m);
	io_send(&r->dst, &r->src, &m);
}

/* The keys in cbu.ko, the path and the slot of @p go. */
static void peer_release(struct cn_peer *p)
{
	struct cbu_genl_err err;
	int ret;

	rk_end(&p->rk);
	ret = cbu_key_del(&agent.genl, &p->hoa, &agent.cfg.cn.address, &err);
	if (ret && ret != -ENOENT)
		log_warn("cbu.ko: keys of %s: %s %s", addr_str(&p->hoa),
			 strerror(-ret), err.msg);
	dp_flush(p->reqid);
	log_info("%s: binding ended, keys removed", addr_str(&p->hoa));
	sodium_memzero(p, sizeof(*p));
}

/*
 * EXCH0 = {Src=HoA, Des=CN, C0, C1, N1, N2, g^x, TS, SIG_HA, Cert_HA},
 * checked by cnx_exch0(): the keys go to cbu.ko, EXCH1 to the HoA.
 */
static void cn_exch0(struct rx *r)
{
	const struct in6_addr *hoa = &r->src, *me = &agent.cfg.cn.address;
	uint8_t k_master[CBU_KEY_LEN];
	struct cbu_session_keys keys;
	struct cn_peer *p;
	struct cbu_msg m;

	if (cnx_exch0(&cn.x, r, &m, &keys, k_master))
		return;
	p = peer_get(hoa, true);
	if (!p) {
		log_rl(LOG_ERR,
		       "EXCH0 from %s: too many correspondents' peers; %s",
		       addr_str(hoa), cn.x.trace);
		goto out;
	}
	if (cnx_keys_install(hoa, me, keys.k_bu, keys.k_ba,
			     agent.cfg.cn.lt_en, agent.cfg.cn.max_lifetime,
			     p->reqid)) {
		cn.n.kernel_failed++;
		log_rl(LOG_ERR, "EXCH0 from %s: keys not installed; %s",
		       addr_str(hoa), cn.x.trace);
		goto out;
	}
	/* Keys changed: so does the path (whatever a predecessor left). */
	rk_end(&p->rk);
	dp_flush(p->reqid);
	p->path = false;
	p->resumed = false;
	memcpy(p->k_en, keys.k_en, CBU_KEY_LEN);
	memcpy(p->k_master, k_master, CBU_KEY_LEN);
	if (!io_send(me, hoa, &m)) {
		cn.n.exch1_sent++;
		log_info_rl("keys for %s installed, EXCH1 sent; %s",
			    addr_str(hoa), cn.x.trace);
	}
out:
	sodium_memzero(&keys, sizeof(keys));
	sodium_memzero(k_master, sizeof(k_master));
}

/* --- k_EN rekey ----------------------------------------------------------- */

static void path_of(const struct cn_peer *p, struct dp_ro *ro)
{
	memset(ro, 0, sizeof(*ro));
	ro->cn_side = true;
	ro->local = agent.cfg.cn.address;
	ro->remote = p->coa;
	ro->hoa = p->hoa;
	ro->cn = agent.cfg.cn.address;
	ro->reqid = p->reqid;
}

/* For rekey.c: the path of @rk's peer now, and its k_EN. */
static void rk_path(const struct rk *rk, struct dp_ro *ro,
		    const uint8_t **k_en, uint32_t *lt_en)
{
	const struct cn_peer *p = container_of(rk, struct cn_peer, rk);

	path_of(p, ro);
	*k_en = p->k_en;
	*lt_en = agent.cfg.cn.lt_en;
}

static void exch1_rk_send(const struct cn_peer *p)
{
	struct cbu_msg m;

	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_EXCH1_RK);
	m.body.exch1_rk = p->exch1_rk;
	io_send(&agent.cfg.cn.address, &p->hoa, &m);
}

/*
 * EXCH0' = {Src=HoA, Des=CN, N1', MAC_EXCH0'}, MAC under k_EN; answered
 * EXCH1' = {Src=CN, Des=HoA, N1', N2', LT_EN, MAC_EXCH1'}, MAC under the
 * same k_EN.
 */
static void cn_exch0_rk(struct rx *r)
{
	const struct cbu_exch0_rk *e = &r->msg.body.exch0_rk;
	const struct in6_addr *hoa = &r->src, *me = &agent.cfg.cn.address;
	uint8_t mac[CBU_MAC_LEN], k_new[CBU_KEY_LEN];
	struct cbu_exch1_rk x;
	struct cn_peer *p;

	p = peer_get(hoa, false);
	if (!p || p->resumed) {
		/* Keys we never had, or lost with the agent before us. */
		cn.n.rekey_unknown++;
		log_info_rl("EXCH0' from %s: no k_EN", addr_str(hoa));
		return;
	}
	if (p->rk.on &&
	    !sodium_memcmp(e->n1, p->exch1_rk.n1, CBU_NONCE_LEN)) {
		/*
		 * Our EXCH1' was lost: the same one again.  The mobile node
		 * cannot use k_EN-new before this one arrives: the wait to
		 * see it in use starts again.
		 */
		cbu_mac_exch0_rk(mac, p->rk.k_old, hoa->s6_addr, e->n1);
		if (!sodium_memcmp(mac, e->mac, CBU_MAC_LEN)) {
			cn.n.rekey_resent++;
			rk_again(&p->rk);
			exch1_rk_send(p);
		}
		return;
	}
	cbu_mac_exch0_rk(mac, p->k_en, hoa->s6_addr, e->n1);
	if (sodium_memcmp(mac, e->mac, CBU_MAC_LEN)) {
		cn.n.rekey_bad++;
		log_info_rl("EXCH0' from %s: bad MAC", addr_str(hoa));
		return;
	}
	memset(&x, 0, sizeof(x));
	memcpy(x.n1, e->n1, CBU_NONCE_LEN);
	cbu_random(x.n2, CBU_NONCE_LEN);
	x.lt_en = htons((uint16_t)(agent.cfg.cn.lt_en / 4));
	cbu_mac_exch1_rk(x.mac, p->k_en, me->s6_addr, x.n1, x.n2,
			 ntohs(x.lt_en));
	cbu_kdf_en_new(k_new, p->k_master, x.n1, x.n2);

	/* Listening on k_EN-new before the mobile node can have it. */
	if (p->path && rk_listen(&p->rk, p->k_en, k_new))
		goto out;
	memcpy(p->k_en, k_new, CBU_KEY_LEN);
	p->exch1_rk = x;
	cn.n.rekey++;
	log_info("k_EN of %s renewed, EXCH1' sent", addr_str(hoa));
	exch1_rk_send(p);
out:
	sodium_memzero(k_new, sizeof(k_new));
}

static void cn_rx(struct rx *r)
{
	if (memcmp(&r->dst, &agent.cfg.cn.address, sizeof(r->dst)))
		return;		/* not to the address our certificate names */
	if (r->msg.subtype == CBU_SUB_COOKIE0)
		cn_cookie0(r);
	else if (r->msg.subtype == CBU_SUB_EXCH0)
		cn_exch0(r);
	else if (r->msg.subtype == CBU_SUB_EXCH0_RK)
		cn_exch0_rk(r);
}

/* The BU named the CoA: the ESP path to it can be built. */
static void cn_event(const struct cbu_event_info *ev)
{
	const struct cbu_binding_info *b = &ev->b;
	struct cn_peer *p;
	struct dp_ro ro;

	if (b->role != CBU_ROLE_CN ||
	    memcmp(&b->cn, &agent.cfg.cn.address, sizeof(b->cn)))
		return;
	if (ev->event == CBU_EVENT_BC_TIMEOUT) {
		struct cbu_msg m;

		/*
		 * No BC came (lost, most likely): cbu.ko stopped the binding.
		 * A Binding Refresh Request asks the mobile node for a new BU
		 * (RFC 6275 9.5.5), whose BA brings a new BC.  To the CoA, as
		 * the BA went: the home tunnel would bring it to the mobile
		 * node from the CN without the ESP its path demands.
		 */
		if (!(b->has & CBU_HAS(CBU_A_BCE_COA)))
			return;
		cbu_msg_init(&m, CBU_MH_BRR, 0);
		if (!io_send(&b->cn, &b->coa, &m))
			cn.n.brr++;
		return;
	}
	p = peer_get(&b->hoa, false);
	if (!p)
		return;
	switch (ev->event) {
	case CBU_EVENT_CREATED:
	case CBU_EVENT_UPDATED:
		if (p->path) {
			/* cbu.ko moves it itself ... */
			if (memcmp(&p->coa, &b->coa, sizeof(p->coa))) {
				p->coa = b->coa;
				rk_moved(&p->rk);
			}
			break;
		}
		if (p->resumed) {
			log_warn("%s: bound, but its k_EN went with the agent before: no ESP path until a new exchange",
				 addr_str(&b->hoa));
			break;
		}
		p->coa = b->coa;
		path_of(p, &ro);
		/* The states die with k_EN: a rekey replaces them first. */
		if (!dp_ro_add(&ro, p->k_en, agent.cfg.cn.lt_en)) {
			p->path = true;
			cn.n.paths++;
			log_info("ESP path to %s at %s", addr_str(&b->hoa),
				 addr_str(&b->coa));
		}
		break;
	case CBU_EVENT_EXPIRED:
		/* cbu.ko removed the path with the binding. */
		p->path = false;
		rk_end(&p->rk);
		break;
	case CBU_EVENT_DELETED:
		/*
		 * The mobile node ended it (a BU of lifetime 0, under k_BU):
		 * its keys and slot go too; another route optimization takes
		 * a new exchange.
		 */
		peer_release(p);
		break;
	default:
		break;
	}
}

static const struct counter cn_counters[] = {
	CNX_COUNTER(cn_counters, cookie0, " cookie0 %llu"),
	CNX_COUNTER(cn_counters, exch0, " exch0 %llu"),
	COUNTER(cn_counters, exch1_sent, " exch1-sent %llu"),
	COUNTER(cn_counters, paths, " paths %llu"),
	COUNTER(cn_counters, brr, " brr %llu"),
	COUNTER(cn_counters, resumed, " resumed %llu"),
	COUNTER(cn_counters, rekey, " rekey %llu"),
	COUNTER(cn_counters, rekey_resent, " rekey-resent %llu"),
	COUNTER(cn_counters, switch_seen, " switch-seen %llu"),
	COUNTER(cn_counters, switch_timeout, " switch-timeout %llu"),
	CNX_COUNTER(cn_counters, sig_checks, " sig-checks %llu"),
	CNX_COUNTER(cn_counters, cert_cache_hits, " cert-cache-hits %llu\n"),
	CNX_COUNTER(cn_counters, bad_cookie, "  refused: bad-cookie %llu"),
	CNX_COUNTER(cn_counters, bad_cert, " bad-cert %llu"),
	CNX_COUNTER(cn_counters, expired_cert, " expired-cert %llu"),
	CNX_COUNTER(cn_counters, wrong_prefix, " wrong-prefix %llu"),
	CNX_COUNTER(cn_counters, bad_sig, " bad-sig %llu"),
	CNX_COUNTER(cn_counters, bad_dh, " bad-dh %llu"),
	COUNTER(cn_counters, kernel_failed, " kernel-failed %llu"),
	COUNTER(cn_counters, rekey_bad, " rekey-bad %llu"),
	COUNTER(cn_counters, rekey_unknown, " rekey-unknown %llu\n"),
};

static void cn_status(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < CN_MAX_PEERS; i++)
		n += cn.peers[i].used;
	open_json_object("correspondent");
	print_string(PRINT_ANY, "address", "correspondent %s\n",
		     addr_str(&agent.cfg.cn.address));
	print_uint(PRINT_ANY, "peers", "  peers %u", n);
	print_counters(&cn.n, cn_counters, ARRAY_SIZE(cn_counters));
	close_json_object();
}

/* Our key and certificate, which must be a CN's for our address. */
static int cn_load(struct creds *cr)
{
	const struct agent_config *c = &agent.cfg;
	const char *why = NULL;

	if (creds_load(cr, c->cn.private_key, c->cn.certificate))
		return -1;
	if (cbu_cert_verify_cn(&cr->cert, cr->ca_pub,
			       c->cn.address.s6_addr, (uint64_t)time(NULL),
			       &why)) {
		log_err("%s: %s", c->cn.certificate, why);
		creds_wipe(cr);
		return -1;
	}
	return 0;
}

static int cn_check(void)
{
	struct creds cr;
	/* Not into cn.x.cr: a reload checks while the running ones serve. */
	int ret = cn_load(&cr);

	creds_wipe(&cr);
	return ret;
}

/*
 * A reload (agent.cfg the new configuration, checked): a renewed key,
 * certificate or CA key.  The slots, keys in cbu.ko and ESP paths are
 * the peers', and stay; the Cert_HAs verified under the CA key stay
 * cached under its hash, which a new CA key does not match.
 */
static int cn_reload(const struct agent_config *old)
{
	struct creds cr;

	(void)old;
	if (cn_load(&cr))
		return -1;
	creds_wipe(&cn.x.cr);
	cn.x.cr = cr;
	creds_wipe(&cr);
	log_info("correspondent reloaded: certificate %s",
		 agent.cfg.cn.certificate);
	return 0;
}

/*
 * An agent before us (killed, restarted) left bindings in cbu.ko, which
 * kept serving them, and their ESP paths in xfrm.  Take their slots back
 * by their reqids, so that a new exchange with one of those home addresses
 * replaces its keys and path instead of taking another slot.  Their k_EN
 * is gone with that agent: cbu.ko never gives a key back.
 */
static int resume_one(const struct cbu_binding_info *b, void *arg)
{
	struct cn_peer *p;
	unsigned int *n = arg;
	uint32_t slot;

	if (b->role != CBU_ROLE_CN ||
	    memcmp(&b->cn, &agent.cfg.cn.address, sizeof(b->cn)) ||
	    !(b->has & CBU_HAS(CBU_A_BCE_REQID)) ||
	    b->reqid < CN_REQID_BASE ||
	    b->reqid >= CN_REQID_BASE + CN_MAX_PEERS)
		return 0;
	slot = b->reqid - CN_REQID_BASE;
	p = &cn.peers[slot];
	if (p->used) {
		log_warn("%s: reqid %#x already taken, not resumed",
			 addr_str(&b->hoa), b->reqid);
		return 0;
	}
	peer_init(p, &b->hoa, b->reqid);
	p->resumed = true;
	/* A bound entry got its path when it was bound; cbu.ko moved it. */
	p->path = b->state != CBU_BCE_KEYED;
	if (b->has & CBU_HAS(CBU_A_BCE_COA))
		p->coa = b->coa;
	(*n)++;
	return 0;
}

static void cn_resume(void)
{
	struct cbu_genl_err err;
	unsigned int n = 0;
	int ret;

	ret = cbu_binding_dump(&agent.genl, resume_one, &n, &err);
	if (ret)
		log_warn("cbu.ko bindings: %s %s", strerror(-ret), err.msg);
	else if (n)
		log_info("resumed %u binding%s from cbu.ko", n,
			 n == 1 ? "" : "s");
	cn.n.resumed = n;
}

static int cn_init(void)
{
	cn.x.n = &cn.n.x;
	if (cn_load(&cn.x.cr) || cnx_init(&cn.x, agent.cfg.cn.cert_cache))
		return -1;
	cn_resume();
	log_info("correspondent %s ready", addr_str(&agent.cfg.cn.address));
	return 0;
}

static void cn_fini(void)
{
	unsigned int i;

	for (i = 0; i < CN_MAX_PEERS; i++)
		rk_end(&cn.peers[i].rk);
	cnx_fini(&cn.x);
	sodium_memzero(cn.peers, sizeof(cn.peers));
}

static const struct role_rx cn_rx_list[] = {
	{ CBU_MH_EXP, CBU_SUB_COOKIE0, cn_rx },
	{ CBU_MH_EXP, CBU_SUB_EXCH0, cn_rx },
	{ CBU_MH_EXP, CBU_SUB_EXCH0_RK, cn_rx },
	{ 0 }
};

const struct role_ops cn_role = {
	.name = "correspondent",
	.enabled = &agent.cfg.cn.enabled,
	.check = cn_check,
	.init = cn_init,
	.fini = cn_fini,
	.reload = cn_reload,
	.status = cn_status,
	.io = ROLE_IO_BYPASS_IPSEC,
	.rx = cn_rx_list,
	.event = cn_event,
};
