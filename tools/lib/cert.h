/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cbu certificates (struct cbu_cert_wire in uapi/linux/cbu_mh.h): a compact
 * binary certificate, not X.509.  The CA is offline and issues Cert_HA (a
 * home link prefix) and Cert_CN (an address or a mobile CN's home prefix);
 * an HA issues Cert_MN (one home address inside its own prefix); the CA
 * issues Cert_MAP (the prefix a MAP's regional care-of addresses come from).
 *
 * Who checks what:
 *   a CN checks Cert_HA against the CA key and the HoA against its prefix
 *	(cbu_cert_verify_ha_for_hoa());
 *   the HA checks Cert_CN against the CA key and the CN's address
 *	(cbu_cert_verify_cn());
 *   a MAP checks Cert_MN against Cert_HA (draft section 5,
 *	cbu_cert_verify_mn()), Cert_HA itself against the CA key;
 *   a mobile node checks Cert_MAP against the CA key, and that it covers
 *	the MAP's address and the RCoA (cbu_cert_verify_map()).
 *
 * Errors: -EBADMSG for a malformed certificate, -EPROTONOSUPPORT for an
 * unknown version or suite, -EKEYREJECTED for a bad signature, a wrong
 * issuer or a wrong kind, -EADDRNOTAVAIL for an authentic certificate that
 * does not cover the address, -EKEYEXPIRED outside the validity window.
 * Every failure sets *why to a short reason (a static string).
 */
#ifndef _CBU_CERT_H
#define _CBU_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/cbu_mh.h>

#include "crypto.h"
#include "msg.h"

/* struct cbu_cert_wire in host order; the reserved octets are always 0. */
struct cbu_cert {
	uint8_t version;		/* CBU_CERT_VERSION */
	uint8_t suite;			/* CBU_SUITE_1 */
	uint8_t kind;			/* enum cbu_cert_kind */
	uint8_t prefix_len;		/* 0..128; 128 for CBU_CERT_MN */
	uint64_t valid_from;		/* seconds since the epoch */
	uint64_t valid_until;		/* inclusive */
	/* bits beyond prefix_len are zero */
	uint8_t subject[CBU_ADDR_LEN];
	uint8_t public_key[CBU_PUBKEY_LEN];
	/* cbu_key_id() of the signer's public key */
	uint8_t issuer[CBU_KEYID_LEN];
	/* over the first CBU_CERT_SIGNED_LEN wire octets */
	uint8_t signature[CBU_SIG_LEN];
};

/* "ha", "cn", "mn", "map", or NULL for an unknown kind. */
const char *cbu_cert_kind_name(uint8_t kind);

/*
 * The structural rules the decoder enforces, on a host-order certificate:
 * version, suite, kind, prefix length, host bits, valid_from <= valid_until.
 * Run it before signing something built by hand.
 */
int cbu_cert_check(const struct cbu_cert *c, const char **why);

/* The 144 wire octets of @c (reserved octets zero).  @c is not checked. */
void cbu_cert_encode(uint8_t out[CBU_CERT_LEN], const struct cbu_cert *c);

/*
 * Decode exactly CBU_CERT_LEN octets at @in (@len is checked first) into
 * @c, with every rule of cbu_cert_check() and zero reserved octets.  Does
 * not verify the signature.  0, -EBADMSG or -EPROTONOSUPPORT.
 */
int cbu_cert_decode(struct cbu_cert *c, const uint8_t *in, size_t len,
		    const char **why);

/* Sign @c with @key: fills @c->issuer and @c->signature. */
void cbu_cert_sign(struct cbu_cert *c, const struct cbu_sign_key *key);

/*
 * @c is well formed, names @issuer_pub as its issuer, carries that key's
 * signature, and @now lies in [valid_from, valid_until].  The signature is
 * checked before the time, so that a reason about time is only ever given
 * for an authentic certificate.
 */
int cbu_cert_verify(const struct cbu_cert *c,
		    const uint8_t issuer_pub[CBU_PUBKEY_LEN], uint64_t now,
		    const char **why);

/* @addr lies inside @prefix/@prefix_len (lengths past 128 count as 128). */
bool cbu_prefix_covers(const uint8_t prefix[CBU_ADDR_LEN],
		       unsigned int prefix_len,
		       const uint8_t addr[CBU_ADDR_LEN]);

/* @addr lies inside @c's subject/prefix_len. */
bool cbu_cert_covers(const struct cbu_cert *c,
		     const uint8_t addr[CBU_ADDR_LEN]);

/*
 * Certificates whose signature verified under an issuer key, known by
 * SHA-256 of that key and their wire octets: a certificate seen again costs
 * a hash instead of an Ed25519 verification.  Its structure, issuer and
 * validity are still checked on every use.  The least recently used entry
 * makes room for a new one.
 */
struct cbu_cert_cache_entry {
	uint8_t hash[32];
	uint64_t used;			/* the cache's clock at the last hit */
};

struct cbu_cert_cache {
	struct cbu_cert_cache_entry *e;
	unsigned int n, cap;
	uint64_t clock;
	uint64_t hits, misses;		/* misses: signatures verified */
};

/* A cache of @cap entries (0: none, every verification is done): 0 or -ENOMEM. */
int cbu_cert_cache_init(struct cbu_cert_cache *cc, unsigned int cap);
void cbu_cert_cache_free(struct cbu_cert_cache *cc);

/* cbu_cert_verify() through @cc, which may be NULL (no cache). */
int cbu_cert_verify_cached(struct cbu_cert_cache *cc,
			   const struct cbu_cert *c,
			   const uint8_t issuer_pub[CBU_PUBKEY_LEN],
			   uint64_t now, const char **why);

/*
 * A CN's check of Cert_HA: kind HA, issued by the CA, @hoa in its prefix;
 * the signature through @cc (may be NULL).
 */
int cbu_cert_verify_ha_for_hoa(struct cbu_cert_cache *cc,
			       const struct cbu_cert *ha,
			       const uint8_t ca_pub[CBU_PUBKEY_LEN],
			       const uint8_t hoa[CBU_ADDR_LEN], uint64_t now,
			       const char **why);

/*
 * A MAP's check of Cert_MN against Cert_HA (draft section 5): @mn is of
 * kind MN and issued by @ha's key, its HoA lies in @ha's prefix, and both
 * are within their validity windows at @now.  It does not check @ha against
 * the CA: the caller must have done so (cbu_cert_verify()).
 */
int cbu_cert_verify_mn(const struct cbu_cert *mn, const struct cbu_cert *ha,
		       uint64_t now, const char **why);
/* The same, Cert_MN's signature through @cc (may be NULL): a MAP's. */
int cbu_cert_verify_mn_cached(struct cbu_cert_cache *cc,
			      const struct cbu_cert *mn,
			      const struct cbu_cert *ha, uint64_t now,
			      const char **why);

/*
 * A mobile node's check of Cert_MAP (wire-format.md 9.7): kind MAP, issued
 * by the CA, @map_addr and @rcoa both in its prefix; the signature through
 * @cc (may be NULL).
 */
int cbu_cert_verify_map(struct cbu_cert_cache *cc,
			const struct cbu_cert *map,
			const uint8_t ca_pub[CBU_PUBKEY_LEN],
			const uint8_t map_addr[CBU_ADDR_LEN],
			const uint8_t rcoa[CBU_ADDR_LEN], uint64_t now,
			const char **why);

/*
 * A mobile node's check of a MAP's BA @m, its fields @f (cbu_hmip_from_ba()
 * with the g^a of the BU it answers): MAC_LBA under @k_lba if MAC'd (NULL:
 * no key held, refused), else SIG_MAP under a Cert_MAP (the BA's) of the CA
 * key @ca_pub covering f->map and f->rcoa at @now.  0, or -errno with @why.
 */
int cbu_hmip_ba_verify(const struct cbu_msg *m, const struct cbu_hmip *f,
		       const uint8_t *k_lba,
		       const uint8_t ca_pub[CBU_PUBKEY_LEN], uint64_t now,
		       const char **why);

/* The HA's check of Cert_CN: kind CN, issued by the CA, @cn_addr covered. */
int cbu_cert_verify_cn(const struct cbu_cert *cn,
		       const uint8_t ca_pub[CBU_PUBKEY_LEN],
		       const uint8_t cn_addr[CBU_ADDR_LEN], uint64_t now,
		       const char **why);

#endif /* _CBU_CERT_H */
