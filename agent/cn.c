// SPDX-License-Identifier: GPL-2.0
/*
 * The correspondent's role (draft section 3): answer COOKIE0 with a
 * stateless COOKIE1; check an EXCH0's cookie before anything costly, then
 * Cert_HA, the HoA's prefix and SIG_HA; answer with EXCH1; install k_BU and
 * k_BA in cbu.ko; set up the ESP path to the CoA once the BU names it.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "agent.h"
#include "dp.h"
#include "lib/armor.h"
#include "lib/cert.h"
#include "lib/crypto.h"
#include "lib/json_print.h"
#include "log.h"
#include "loop.h"

#define CN_MAX_PEERS		1024
#define CN_COOKIE_PERIOD	30	/* seconds between secret rotations */
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
};

static struct {
	struct creds cr;
	struct cbu_cookie_jar jar;
	struct timer jar_timer;
	struct cn_peer peers[CN_MAX_PEERS];
	struct {
		uint64_t cookie0, exch0, exch1_sent, bad_cookie, bad_cert,
			 expired_cert, wrong_prefix, bad_sig, bad_dh,
			 kernel_failed, paths, brr, resumed;
		uint64_t sig_checks;	/* Ed25519 verifications done */
	} n;
} cn;

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
	free_slot->used = true;
	free_slot->hoa = *hoa;
	free_slot->reqid = CN_REQID_BASE + (uint32_t)(free_slot - cn.peers);
	return free_slot;
}

static void jar_tick(struct timer *t)
{
	cbu_cookie_jar_tick(&cn.jar, loop_now_ms() / 1000);
	timer_arm(t, CN_COOKIE_PERIOD * 1000);
}

/* COOKIE0 = {Src=HoA, Des=CN, C0}: answered at once, nothing kept. */
static void cn_cookie0(struct rx *r)
{
	struct cbu_msg m;

	cn.n.cookie0++;
	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_COOKIE1);
	memcpy(m.body.cookie1.c0, r->msg.body.cookie0.c0, CBU_COOKIE_LEN);
	cbu_random(m.body.cookie1.n1, CBU_NONCE_LEN);
	/* C1 covers C0 and N1: EXCH0 brings them back, nothing to keep. */
	cbu_cookie_c1(m.body.cookie1.c1, cn.jar.cur, r->dst.s6_addr,
		      r->src.s6_addr, m.body.cookie1.c0, m.body.cookie1.n1);
	io_send(&r->dst, &r->src, &m);
}

/* Map a certificate check's failure to its counter. */
static void count_cert_failure(int err)
{
	if (err == -EKEYEXPIRED)
		cn.n.expired_cert++;
	else if (err == -EADDRNOTAVAIL)
		cn.n.wrong_prefix++;
	else
		cn.n.bad_cert++;
}

static int cn_install_keys(const struct in6_addr *hoa,
			   const struct cbu_session_keys *keys,
			   uint32_t reqid)
{
	struct cbu_key_cfg kc;
	struct cbu_genl_err err;
	int ret;

	memset(&kc, 0, sizeof(kc));
	kc.hoa = *hoa;
	kc.cn = agent.cfg.cn.address;
	kc.role = CBU_ROLE_CN;
	kc.has_k_bu = true;
	memcpy(kc.k_bu, keys->k_bu, CBU_KEY_LEN);
	memcpy(kc.k_ba, keys->k_ba, CBU_KEY_LEN);
	kc.lt_en = agent.cfg.cn.lt_en;
	kc.max_lifetime = agent.cfg.cn.max_lifetime;
	kc.reqid = reqid;
	kc.has = CBU_HAS(CBU_A_BCE_LT_EN) | CBU_HAS(CBU_A_BCE_MAX_LIFETIME) |
		 CBU_HAS(CBU_A_BCE_REQID);
	/* A new exchange with the same HoA replaces the keys it had. */
	ret = cbu_key_new(&agent.genl, &kc, &err);
	if (ret == -EEXIST)
		ret = cbu_key_set(&agent.genl, &kc, &err);
	sodium_memzero(&kc, sizeof(kc));
	if (ret)
		log_err("cbu.ko refused the keys of %s: %s%s%s", addr_str(hoa),
			strerror(-ret), err.msg[0] ? ": " : "", err.msg);
	return ret;
}

/*
 * EXCH0 = {Src=HoA, Des=CN, C0, C1, N1, N2, g^x, TS, SIG_HA, Cert_HA}.
 * The cookie first: a flood of spoofed EXCH0s costs one HMAC each.
 */
static void cn_exch0(struct rx *r)
{
	const struct cbu_exch0 *e = &r->msg.body.exch0;
	const struct in6_addr *hoa = &r->src, *me = &agent.cfg.cn.address;
	uint8_t in[CBU_SIG_HA_IN_LEN], y[CBU_KEY_LEN], k_dh[CBU_KEY_LEN];
	uint8_t k_master[CBU_KEY_LEN], sig_in[CBU_MH_MAX_LEN + 64];
	struct cbu_session_keys keys;
	struct cbu_cert ha;
	struct cn_peer *p;
	struct cbu_msg m;
	const char *why = NULL;
	int ret, n;

	cn.n.exch0++;
	if (!cbu_cookie_c1_ok(&cn.jar, e->c1, me->s6_addr, hoa->s6_addr,
			      e->c0, e->n1)) {
		cn.n.bad_cookie++;
		log_info("EXCH0 from %s: bad cookie", addr_str(hoa));
		return;
	}
	ret = cbu_cert_decode(&ha, r->msg.cert, r->msg.cert_len, &why);
	if (!ret) {
		cn.n.sig_checks++;
		ret = cbu_cert_verify_ha_for_hoa(&ha, cn.cr.ca_pub, hoa->s6_addr,
						 (uint64_t)time(NULL), &why);
	}
	if (ret) {
		count_cert_failure(ret);
		log_info("EXCH0 from %s: Cert_HA: %s", addr_str(hoa), why);
		return;
	}
	cbu_sig_ha_input(in, hoa->s6_addr, me->s6_addr, e);
	cn.n.sig_checks++;
	if (!cbu_verify(e->sig, in, sizeof(in), ha.public_key)) {
		cn.n.bad_sig++;
		log_info("EXCH0 from %s: SIG_HA does not verify", addr_str(hoa));
		return;
	}

	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_EXCH1);
	cbu_dh_keypair(m.body.exch1.gy, y);
	ret = cbu_dh_shared(k_dh, y, e->gx);
	sodium_memzero(y, sizeof(y));
	if (ret) {
		cn.n.bad_dh++;
		log_info("EXCH0 from %s: g^x of low order", addr_str(hoa));
		return;
	}
	cbu_kdf_master(k_master, k_dh, e->n1, e->n2);
	cbu_kdf_session(&keys, k_master, e->n1, e->n2);
	sodium_memzero(k_dh, sizeof(k_dh));

	m.body.exch1.suite = CBU_SUITE_1;
	memcpy(m.body.exch1.c0, e->c0, CBU_COOKIE_LEN);
	memcpy(m.body.exch1.c1, e->c1, CBU_COOKIE_LEN);
	/* SIG_CN = Sig(SK_CN, CN | HoA | g^y | EXCH0) */
	n = cbu_sig_cn_input(sig_in, sizeof(sig_in), me->s6_addr, hoa->s6_addr,
			     m.body.exch1.gy, r->mh, r->len);
	if (n < 0)
		goto out;
	cbu_sign(m.body.exch1.sig, sig_in, (size_t)n, cn.cr.seed);
	m.cert_len = CBU_CERT_LEN;
	memcpy(m.cert, cn.cr.cert_wire, CBU_CERT_LEN);

	p = peer_get(hoa, true);
	if (!p) {
		log_err("EXCH0 from %s: too many correspondents' peers",
			addr_str(hoa));
		goto out;
	}
	if (cn_install_keys(hoa, &keys, p->reqid)) {
		cn.n.kernel_failed++;
		goto out;
	}
	/* Keys changed: so does the path (whatever a predecessor left). */
	dp_flush(p->reqid);
	p->path = false;
	p->resumed = false;
	memcpy(p->k_en, keys.k_en, CBU_KEY_LEN);
	memcpy(p->k_master, k_master, CBU_KEY_LEN);
	if (!io_send(me, hoa, &m)) {
		cn.n.exch1_sent++;
		log_info("keys for %s installed, EXCH1 sent", addr_str(hoa));
	}
out:
	sodium_memzero(&keys, sizeof(keys));
	sodium_memzero(k_master, sizeof(k_master));
}

void cn_rx(struct rx *r)
{
	if (memcmp(&r->dst, &agent.cfg.cn.address, sizeof(r->dst)))
		return;		/* not to the address our certificate names */
	if (r->msg.subtype == CBU_SUB_COOKIE0)
		cn_cookie0(r);
	else if (r->msg.subtype == CBU_SUB_EXCH0)
		cn_exch0(r);
}

/* The BU named the CoA: the ESP path to it can be built. */
void cn_event(const struct cbu_event_info *ev)
{
	const struct cbu_binding_info *b = &ev->b;
	struct cn_peer *p;

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
		if (p->path)
			break;		/* cbu.ko moves it itself */
		if (p->resumed) {
			log_warn("%s: bound, but its k_EN went with the agent before: no ESP path until a new exchange",
				 addr_str(&b->hoa));
			break;
		}
		if (!dp_ro_add(true, &b->cn, &b->coa, &b->hoa, &b->cn, p->k_en,
			       p->reqid)) {
			p->path = true;
			p->coa = b->coa;
			cn.n.paths++;
			log_info("ESP path to %s at %s", addr_str(&b->hoa),
				 addr_str(&b->coa));
		}
		break;
	case CBU_EVENT_EXPIRED:
	case CBU_EVENT_DELETED:
		/* cbu.ko removed the path with the binding. */
		p->path = false;
		break;
	default:
		break;
	}
}

void cn_status(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < CN_MAX_PEERS; i++)
		n += cn.peers[i].used;
	open_json_object("correspondent");
	print_string(PRINT_ANY, "address", "correspondent %s\n",
		     addr_str(&agent.cfg.cn.address));
	print_uint(PRINT_ANY, "peers", "  peers %u", n);
	print_u64(PRINT_ANY, "cookie0", " cookie0 %llu", cn.n.cookie0);
	print_u64(PRINT_ANY, "exch0", " exch0 %llu", cn.n.exch0);
	print_u64(PRINT_ANY, "exch1_sent", " exch1-sent %llu",
		  cn.n.exch1_sent);
	print_u64(PRINT_ANY, "paths", " paths %llu", cn.n.paths);
	print_u64(PRINT_ANY, "brr", " brr %llu", cn.n.brr);
	print_u64(PRINT_ANY, "resumed", " resumed %llu", cn.n.resumed);
	print_u64(PRINT_ANY, "sig_checks", " sig-checks %llu\n",
		  cn.n.sig_checks);
	print_u64(PRINT_ANY, "bad_cookie", "  refused: bad-cookie %llu",
		  cn.n.bad_cookie);
	print_u64(PRINT_ANY, "bad_cert", " bad-cert %llu", cn.n.bad_cert);
	print_u64(PRINT_ANY, "expired_cert", " expired-cert %llu",
		  cn.n.expired_cert);
	print_u64(PRINT_ANY, "wrong_prefix", " wrong-prefix %llu",
		  cn.n.wrong_prefix);
	print_u64(PRINT_ANY, "bad_sig", " bad-sig %llu", cn.n.bad_sig);
	print_u64(PRINT_ANY, "bad_dh", " bad-dh %llu", cn.n.bad_dh);
	print_u64(PRINT_ANY, "kernel_failed", " kernel-failed %llu\n",
		  cn.n.kernel_failed);
	close_json_object();
}

/* Our key and certificate, which must be a CN's for our address. */
static int cn_load(void)
{
	const struct agent_config *c = &agent.cfg;
	const char *why = NULL;

	if (creds_load(&cn.cr, c->cn.private_key, c->cn.certificate))
		return -1;
	if (cbu_cert_verify_cn(&cn.cr.cert, cn.cr.ca_pub,
			       c->cn.address.s6_addr, (uint64_t)time(NULL),
			       &why)) {
		log_err("%s: %s", c->cn.certificate, why);
		creds_wipe(&cn.cr);
		return -1;
	}
	return 0;
}

int cn_check(void)
{
	int ret = cn_load();

	creds_wipe(&cn.cr);
	return ret;
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
	p->used = true;
	p->resumed = true;
	p->hoa = b->hoa;
	p->reqid = b->reqid;
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

int cn_init(void)
{
	if (cn_load())
		return -1;
	cn_resume();
	cbu_cookie_jar_init(&cn.jar, loop_now_ms() / 1000, CN_COOKIE_PERIOD);
	cn.jar_timer.cb = jar_tick;
	timer_arm(&cn.jar_timer, CN_COOKIE_PERIOD * 1000);
	log_info("correspondent %s ready", addr_str(&agent.cfg.cn.address));
	return 0;
}

void cn_fini(void)
{
	timer_cancel(&cn.jar_timer);
	cbu_cookie_jar_wipe(&cn.jar);
	creds_wipe(&cn.cr);
	sodium_memzero(cn.peers, sizeof(cn.peers));
}
