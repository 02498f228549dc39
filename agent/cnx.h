/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The correspondent's side of the exchange (draft section 3), for the two
 * roles that play it: the correspondent (cn.c), for its own address, and
 * a home agent for a mobile correspondent it serves (mcn_ha.c, draft
 * section 4), for that node's home address.  What differs is what they
 * do with the keys: the first installs them in cbu.ko, the second sends
 * them to its mobile node.
 *
 * COOKIE0 is answered at once and nothing is kept (C1 covers C0 and N1);
 * an EXCH0's cookie is checked before anything costly, then Cert_HA, the
 * home address's prefix and SIG_HA.  Counters, the cookie secrets and the
 * cache of verified Cert_HAs are the caller's struct cnx.
 */
#ifndef _AGENT_CNX_H
#define _AGENT_CNX_H

#include <stdint.h>

#include "agent.h"
#include "lib/crypto.h"
#include "loop.h"

#define CNX_COOKIE_PERIOD	30	/* seconds between secret rotations */

struct cnx_counters {
	uint64_t cookie0, exch0, bad_cookie, bad_cert, expired_cert,
		 wrong_prefix, bad_sig, bad_dh;
	uint64_t sig_checks;		/* Ed25519 verifications done */
	uint64_t cert_cache_hits;	/* Cert_HA known: none needed */
};

/* A counter of struct cnx_counters kept as member @x of struct @type. */
#define CNX_COUNTER(type, field, fmt) \
	{ #field, fmt, offsetof(struct type, x) + \
		       offsetof(struct cnx_counters, field) }

struct cnx {
	struct creds cr;		/* signs EXCH1, with Cert_CN */
	struct cbu_cert_cache certs;	/* Cert_HA already verified */
	struct cbu_cookie_jar jar;
	struct timer jar_timer;
	struct cnx_counters *n;
	char trace[160];		/* of the last EXCH0 taken */
};

/*
 * Start the cookie secrets and a cache of @cert_cache Cert_HAs (0: none);
 * @cr and @n are set by the caller.  0, or -1 having logged why.
 */
int cnx_init(struct cnx *x, uint32_t cert_cache);
/* Stop, and wipe the secrets and credentials. */
void cnx_fini(struct cnx *x);

/* COOKIE1 = {Src=CN, Des=HoA, C0, C1, N1}: the answer to COOKIE0 @r, in @m. */
void cnx_cookie1(struct cnx *x, const struct rx *r, struct cbu_msg *m);

/* Whether the cookie of EXCH0 @r is ours, at the cost of one HMAC. */
bool cnx_cookie_ok(const struct cnx *x, const struct rx *r);

/*
 * EXCH0 = {Src=HoA, Des=CN, C0, C1, N1, N2, g^x, TS, SIG_HA, Cert_HA},
 * addressed to @r->dst, checked.  0: EXCH1 = {Src=CN, Des=HoA, C0, C1,
 * g^y, SIG_CN, Cert_CN} is in @exch1, the keys in @keys and @k_master
 * (wiped by the caller), and @x->trace says what it claimed (TS, the
 * Cert_HA) for the caller's log line.  -1: refused, counted and logged;
 * nothing to wipe.
 */
int cnx_exch0(struct cnx *x, const struct rx *r, struct cbu_msg *exch1,
	      struct cbu_session_keys *keys, uint8_t k_master[CBU_KEY_LEN]);

/*
 * A correspondent's keys into cbu.ko: the entry (@hoa, @cn) of role cn,
 * with k_BU, k_BA, LT_EN and max-lifetime in seconds, and the reqid of its
 * ESP path.  A new exchange with the same pair replaces the keys it had.
 * 0, or the error, logged.
 */
int cnx_keys_install(const struct in6_addr *hoa, const struct in6_addr *cn,
		     const uint8_t k_bu[CBU_KEY_LEN],
		     const uint8_t k_ba[CBU_KEY_LEN], uint32_t lt_en,
		     uint32_t max_lifetime, uint32_t reqid);

#endif /* _AGENT_CNX_H */
