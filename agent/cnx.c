// SPDX-License-Identifier: GPL-2.0
/*
 * The correspondent's side of the exchange (cnx.h): cn.c's, and a home
 * agent's for the mobile correspondents it serves.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cnx.h"
#include "lib/cert.h"
#include "log.h"

static void jar_tick(struct timer *t)
{
	struct cnx *x = container_of(t, struct cnx, jar_timer);

	cbu_cookie_jar_tick(&x->jar, loop_now_ms() / 1000);
	timer_arm(t, CNX_COOKIE_PERIOD * 1000);
}

int cnx_init(struct cnx *x, uint32_t cert_cache)
{
	if (cbu_cert_cache_init(&x->certs, cert_cache)) {
		log_err("certificate cache: %m");
		return -1;
	}
	cbu_cookie_jar_init(&x->jar, loop_now_ms() / 1000, CNX_COOKIE_PERIOD);
	x->jar_timer.cb = jar_tick;
	timer_arm(&x->jar_timer, CNX_COOKIE_PERIOD * 1000);
	return 0;
}

void cnx_fini(struct cnx *x)
{
	timer_cancel(&x->jar_timer);
	cbu_cert_cache_free(&x->certs);
	cbu_cookie_jar_wipe(&x->jar);
	creds_wipe(&x->cr);
}

void cnx_cookie1(struct cnx *x, const struct rx *r, struct cbu_msg *m)
{
	x->n->cookie0++;
	cbu_msg_init(m, CBU_MH_EXP, CBU_SUB_COOKIE1);
	memcpy(m->body.cookie1.c0, r->msg.body.cookie0.c0, CBU_COOKIE_LEN);
	cbu_random(m->body.cookie1.n1, CBU_NONCE_LEN);
	/* C1 covers C0 and N1: EXCH0 brings them back, nothing to keep. */
	cbu_cookie_c1(m->body.cookie1.c1, x->jar.cur, r->dst.s6_addr,
		      r->src.s6_addr, m->body.cookie1.c0, m->body.cookie1.n1);
}

/* Map a certificate check's failure to its counter. */
static void count_cert_failure(struct cnx *x, int err)
{
	if (err == -EKEYEXPIRED)
		x->n->expired_cert++;
	else if (err == -EADDRNOTAVAIL)
		x->n->wrong_prefix++;
	else
		x->n->bad_cert++;
}

/*
 * The draft's TS "will be used to trace back the culprit should a
 * malicious mobile node flooding attack have occurred": each line about
 * an EXCH0 past its cookie says what it claims, TS (with its distance to
 * our clock) and the Cert_HA it came with, when that decodes.  Signed by
 * the home agent once SIG_HA verifies: then it binds that home agent.
 * The log is the record (rate-limited, as a flood comes from one home
 * link, its first lines name it); nothing else needs TS.
 */
static const char *exch0_trace(struct cnx *x, const struct cbu_exch0 *e,
			       const struct cbu_cert *ha)
{
	char *buf = x->trace;
	size_t size = sizeof(x->trace), n;
	uint8_t id[CBU_KEYID_LEN];
	char pfx[INET6_ADDRSTRLEN];
	uint64_t ts = 0;
	int64_t skew;
	int i;

	for (i = 0; i < 8; i++)
		ts = ts << 8 | e->ts[i];
	skew = (int64_t)ts - (int64_t)time(NULL);
	n = (size_t)snprintf(buf, size, "TS %llu (%+lld s)",
			     (unsigned long long)ts, (long long)skew);
	if (ha && n < size) {
		inet_ntop(AF_INET6, ha->subject, pfx, sizeof(pfx));
		cbu_key_id(id, ha->public_key);
		n += (size_t)snprintf(buf + n, size - n,
				      ", Cert_HA %s/%u key ", pfx,
				      ha->prefix_len);
		for (i = 0; i < CBU_KEYID_LEN && n + 2 < size; i++)
			n += (size_t)snprintf(buf + n, size - n, "%02x",
					      id[i]);
	}
	return buf;
}

bool cnx_cookie_ok(const struct cnx *x, const struct rx *r)
{
	const struct cbu_exch0 *e = &r->msg.body.exch0;

	return cbu_cookie_c1_ok(&x->jar, e->c1, r->dst.s6_addr, r->src.s6_addr,
				e->c0, e->n1);
}

int cnx_exch0(struct cnx *x, const struct rx *r, struct cbu_msg *m,
	      struct cbu_session_keys *keys, uint8_t k_master[CBU_KEY_LEN])
{
	const struct cbu_exch0 *e = &r->msg.body.exch0;
	const struct in6_addr *hoa = &r->src, *me = &r->dst;
	uint8_t in[CBU_SIG_HA_IN_LEN], y[CBU_KEY_LEN], k_dh[CBU_KEY_LEN];
	uint8_t sig_in[CBU_MH_MAX_LEN + 64];
	struct cbu_cert ha;
	const char *why = NULL;
	bool decoded;
	int ret, n;

	x->n->exch0++;
	if (!cnx_cookie_ok(x, r)) {
		x->n->bad_cookie++;
		log_info_rl("EXCH0 from %s: bad cookie", addr_str(hoa));
		return -1;
	}
	ret = cbu_cert_decode(&ha, r->msg.cert, r->msg.cert_len, &why);
	decoded = !ret;
	if (!ret) {
		uint64_t misses = x->certs.misses;

		ret = cbu_cert_verify_ha_for_hoa(&x->certs, &ha, x->cr.ca_pub,
						 hoa->s6_addr,
						 (uint64_t)time(NULL), &why);
		/* No cache, or not in it: an Ed25519 verification. */
		if (!x->certs.cap || x->certs.misses != misses)
			x->n->sig_checks++;
		else
			x->n->cert_cache_hits++;
	}
	if (ret) {
		count_cert_failure(x, ret);
		log_info_rl("EXCH0 from %s: Cert_HA: %s; %s", addr_str(hoa),
			    why, exch0_trace(x, e, decoded ? &ha : NULL));
		return -1;
	}
	cbu_sig_ha_input(in, hoa->s6_addr, me->s6_addr, e);
	x->n->sig_checks++;
	if (!cbu_verify(e->sig, in, sizeof(in), ha.public_key)) {
		x->n->bad_sig++;
		log_info_rl("EXCH0 from %s: SIG_HA does not verify; %s",
			    addr_str(hoa), exch0_trace(x, e, &ha));
		return -1;
	}

	cbu_msg_init(m, CBU_MH_EXP, CBU_SUB_EXCH1);
	cbu_dh_keypair(m->body.exch1.gy, y);
	ret = cbu_dh_shared(k_dh, y, e->gx);
	sodium_memzero(y, sizeof(y));
	if (ret) {
		x->n->bad_dh++;
		log_info_rl("EXCH0 from %s: g^x of low order; %s",
			    addr_str(hoa), exch0_trace(x, e, &ha));
		return -1;
	}
	m->body.exch1.suite = CBU_SUITE_1;
	memcpy(m->body.exch1.c0, e->c0, CBU_COOKIE_LEN);
	memcpy(m->body.exch1.c1, e->c1, CBU_COOKIE_LEN);
	/* SIG_CN = Sig(SK_CN, CN | HoA | g^y | EXCH0) */
	n = cbu_sig_cn_input(sig_in, sizeof(sig_in), me->s6_addr, hoa->s6_addr,
			     m->body.exch1.gy, r->mh, r->len);
	if (n < 0) {
		sodium_memzero(k_dh, sizeof(k_dh));
		log_info_rl("EXCH0 from %s: too long to sign", addr_str(hoa));
		return -1;
	}
	cbu_sign(m->body.exch1.sig, sig_in, (size_t)n, &x->cr.key);
	m->cert_len = CBU_CERT_LEN;
	memcpy(m->cert, x->cr.cert_wire, CBU_CERT_LEN);

	cbu_kdf_master(k_master, k_dh, e->n1, e->n2);
	cbu_kdf_session(keys, k_master, e->n1, e->n2);
	sodium_memzero(k_dh, sizeof(k_dh));
	exch0_trace(x, e, &ha);
	return 0;
}

int cnx_keys_install(const struct in6_addr *hoa, const struct in6_addr *cn,
		     const uint8_t k_bu[CBU_KEY_LEN],
		     const uint8_t k_ba[CBU_KEY_LEN], uint32_t lt_en,
		     uint32_t max_lifetime, uint32_t reqid)
{
	struct cbu_key_cfg kc;
	struct cbu_genl_err err;
	int ret;

	memset(&kc, 0, sizeof(kc));
	kc.hoa = *hoa;
	kc.cn = *cn;
	kc.role = CBU_ROLE_CN;
	kc.has_k_bu = true;
	memcpy(kc.k_bu, k_bu, CBU_KEY_LEN);
	memcpy(kc.k_ba, k_ba, CBU_KEY_LEN);
	kc.lt_en = lt_en;
	kc.max_lifetime = max_lifetime;
	kc.reqid = reqid;
	kc.has = CBU_HAS(CBU_A_BCE_LT_EN) | CBU_HAS(CBU_A_BCE_MAX_LIFETIME) |
		 CBU_HAS(CBU_A_BCE_REQID);
	ret = cbu_key_new(&agent.genl, &kc, &err);
	if (ret == -EEXIST)
		ret = cbu_key_set(&agent.genl, &kc, &err);
	sodium_memzero(&kc, sizeof(kc));
	if (ret)
		log_err("cbu.ko refused the keys of %s: %s%s%s", addr_str(hoa),
			strerror(-ret), err.msg[0] ? ": " : "", err.msg);
	return ret;
}
