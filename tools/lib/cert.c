// SPDX-License-Identifier: GPL-2.0
/*
 * cbu certificates: the wire codec and the checks of cert.h.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cert.h"
#include "kernel/mh.h"

_Static_assert(sizeof(struct cbu_cert_wire) == CBU_CERT_LEN,
	       "struct cbu_cert_wire is not CBU_CERT_LEN octets");
_Static_assert(sizeof(((struct cbu_cert_wire *)0)->reserved) == 4,
	       "cbu_cert_decode() checks four reserved octets");
_Static_assert(offsetof(struct cbu_cert_wire, signature) ==
	       CBU_CERT_SIGNED_LEN, "the signature must follow the signed part");

static int fail(int err, const char *reason, const char **why)
{
	if (why)
		*why = reason;
	return err;
}

const char *cbu_cert_kind_name(uint8_t kind)
{
	switch (kind) {
	case CBU_CERT_HA:
		return "ha";
	case CBU_CERT_CN:
		return "cn";
	case CBU_CERT_MN:
		return "mn";
	case CBU_CERT_MAP:
		return "map";
	default:
		return NULL;
	}
}

/* Are the bits of @a beyond the first @plen all zero? */
static bool host_bits_zero(const uint8_t a[CBU_ADDR_LEN], unsigned int plen)
{
	unsigned int i = plen / 8;

	if (plen % 8 && (a[i++] & (0xff >> (plen % 8))))
		return false;
	for (; i < CBU_ADDR_LEN; i++) {
		if (a[i])
			return false;
	}
	return true;
}

int cbu_cert_check(const struct cbu_cert *c, const char **why)
{
	if (c->version != CBU_CERT_VERSION)
		return fail(-EPROTONOSUPPORT, "unsupported certificate version",
			    why);
	if (c->suite != CBU_SUITE_1)
		return fail(-EPROTONOSUPPORT, "unsupported crypto suite", why);
	if (!cbu_cert_kind_name(c->kind))
		return fail(-EBADMSG, "unknown certificate kind", why);
	if (c->prefix_len > 128)
		return fail(-EBADMSG, "prefix length over 128", why);
	if (c->kind == CBU_CERT_MN && c->prefix_len != 128)
		return fail(-EBADMSG, "MN certificate with a prefix, not one address",
			    why);
	if (!host_bits_zero(c->subject, c->prefix_len))
		return fail(-EBADMSG, "subject has bits set beyond its prefix length",
			    why);
	if (c->valid_from > c->valid_until)
		return fail(-EBADMSG, "valid_from is after valid_until", why);
	return 0;
}

void cbu_cert_encode(uint8_t out[CBU_CERT_LEN], const struct cbu_cert *c)
{
	struct cbu_cert_wire w;

	memset(&w, 0, sizeof(w));
	w.version = c->version;
	w.suite = c->suite;
	w.kind = c->kind;
	w.prefix_len = c->prefix_len;
	cbu_put_be64(w.valid_from, c->valid_from);
	cbu_put_be64(w.valid_until, c->valid_until);
	memcpy(w.subject, c->subject, sizeof(w.subject));
	memcpy(w.public_key, c->public_key, sizeof(w.public_key));
	memcpy(w.issuer, c->issuer, sizeof(w.issuer));
	memcpy(w.signature, c->signature, sizeof(w.signature));
	memcpy(out, &w, CBU_CERT_LEN);
}

int cbu_cert_decode(struct cbu_cert *c, const uint8_t *in, size_t len,
		    const char **why)
{
	struct cbu_cert_wire w;

	if (len < CBU_CERT_LEN)
		return fail(-EBADMSG, "certificate truncated", why);
	if (len > CBU_CERT_LEN)
		return fail(-EBADMSG, "certificate longer than 144 octets", why);
	memcpy(&w, in, CBU_CERT_LEN);

	memset(c, 0, sizeof(*c));
	c->version = w.version;
	c->suite = w.suite;
	c->kind = w.kind;
	c->prefix_len = w.prefix_len;
	c->valid_from = cbu_get_be64(w.valid_from);
	c->valid_until = cbu_get_be64(w.valid_until);
	memcpy(c->subject, w.subject, sizeof(c->subject));
	memcpy(c->public_key, w.public_key, sizeof(c->public_key));
	memcpy(c->issuer, w.issuer, sizeof(c->issuer));
	memcpy(c->signature, w.signature, sizeof(c->signature));

	/* Version and suite first: a newer format may use reserved octets. */
	if (c->version != CBU_CERT_VERSION || c->suite != CBU_SUITE_1)
		return cbu_cert_check(c, why);
	if (w.reserved[0] | w.reserved[1] | w.reserved[2] | w.reserved[3])
		return fail(-EBADMSG, "reserved octets not zero", why);
	return cbu_cert_check(c, why);
}

void cbu_cert_sign(struct cbu_cert *c, const struct cbu_sign_key *key)
{
	uint8_t wire[CBU_CERT_LEN];

	cbu_key_id(c->issuer, cbu_sign_key_pub(key));
	cbu_cert_encode(wire, c);
	cbu_sign(c->signature, wire, CBU_CERT_SIGNED_LEN, key);
}

static int check_time(const struct cbu_cert *c, uint64_t now,
		      const char *early, const char *late, const char **why)
{
	if (now < c->valid_from)
		return fail(-EKEYEXPIRED, early, why);
	if (now > c->valid_until)
		return fail(-EKEYEXPIRED, late, why);
	return 0;
}

/* Well formed, and naming @issuer_pub as its issuer. */
static int check_issuer(const struct cbu_cert *c,
			const uint8_t issuer_pub[CBU_PUBKEY_LEN],
			const char **why)
{
	uint8_t id[CBU_KEYID_LEN];
	int err;

	err = cbu_cert_check(c, why);
	if (err)
		return err;
	cbu_key_id(id, issuer_pub);
	if (sodium_memcmp(id, c->issuer, CBU_KEYID_LEN))
		return fail(-EKEYREJECTED, "issued by another key", why);
	return 0;
}

int cbu_cert_verify(const struct cbu_cert *c,
		    const uint8_t issuer_pub[CBU_PUBKEY_LEN], uint64_t now,
		    const char **why)
{
	uint8_t wire[CBU_CERT_LEN];
	int err;

	err = check_issuer(c, issuer_pub, why);
	if (err)
		return err;
	cbu_cert_encode(wire, c);
	if (!cbu_verify(c->signature, wire, CBU_CERT_SIGNED_LEN, issuer_pub))
		return fail(-EKEYREJECTED, "bad signature", why);
	return check_time(c, now, "not yet valid", "expired", why);
}

bool cbu_prefix_covers(const uint8_t prefix[CBU_ADDR_LEN],
		       unsigned int prefix_len,
		       const uint8_t addr[CBU_ADDR_LEN])
{
	unsigned int plen = prefix_len > 128 ? 128 : prefix_len;
	unsigned int bytes = plen / 8, bits = plen % 8;
	uint8_t mask;

	if (memcmp(prefix, addr, bytes))
		return false;
	if (!bits)
		return true;
	mask = (uint8_t)(0xff << (8 - bits));
	return !((prefix[bytes] ^ addr[bytes]) & mask);
}

bool cbu_cert_covers(const struct cbu_cert *c,
		     const uint8_t addr[CBU_ADDR_LEN])
{
	return cbu_prefix_covers(c->subject, c->prefix_len, addr);
}

int cbu_cert_cache_init(struct cbu_cert_cache *cc, unsigned int cap)
{
	memset(cc, 0, sizeof(*cc));
	if (!cap)
		return 0;
	cc->e = calloc(cap, sizeof(*cc->e));
	if (!cc->e)
		return -ENOMEM;
	cc->cap = cap;
	return 0;
}

void cbu_cert_cache_free(struct cbu_cert_cache *cc)
{
	free(cc->e);
	memset(cc, 0, sizeof(*cc));
}

/* The entry of @hash, or NULL; @slot gets where a new one would go. */
static struct cbu_cert_cache_entry *
cache_find(struct cbu_cert_cache *cc, const uint8_t hash[32],
	   struct cbu_cert_cache_entry **slot)
{
	struct cbu_cert_cache_entry *lru = NULL;
	unsigned int i;

	for (i = 0; i < cc->n; i++) {
		if (!sodium_memcmp(cc->e[i].hash, hash, 32))
			return &cc->e[i];
		if (!lru || cc->e[i].used < lru->used)
			lru = &cc->e[i];
	}
	*slot = cc->n < cc->cap ? &cc->e[cc->n] : lru;
	return NULL;
}

int cbu_cert_verify_cached(struct cbu_cert_cache *cc,
			   const struct cbu_cert *c,
			   const uint8_t issuer_pub[CBU_PUBKEY_LEN],
			   uint64_t now, const char **why)
{
	struct cbu_cert_cache_entry *hit, *slot = NULL;
	uint8_t in[CBU_PUBKEY_LEN + CBU_CERT_LEN], hash[32];
	int err;

	if (!cc || !cc->cap)
		return cbu_cert_verify(c, issuer_pub, now, why);
	memcpy(in, issuer_pub, CBU_PUBKEY_LEN);
	cbu_cert_encode(in + CBU_PUBKEY_LEN, c);
	cbu_hash(hash, in, sizeof(in));
	hit = cache_find(cc, hash, &slot);
	if (!hit) {
		cc->misses++;
		err = cbu_cert_verify(c, issuer_pub, now, why);
		if (err != 0 && err != -EKEYEXPIRED)
			return err;
		/* Authentic (perhaps out of its time): worth keeping. */
		if (cc->n < cc->cap)
			cc->n++;
		memcpy(slot->hash, hash, sizeof(hash));
		slot->used = ++cc->clock;
		return err;
	}
	cc->hits++;
	hit->used = ++cc->clock;
	/* What cbu_cert_verify() checks, but the signature. */
	err = check_issuer(c, issuer_pub, why);
	if (err)
		return err;
	return check_time(c, now, "not yet valid", "expired", why);
}

int cbu_cert_verify_ha_for_hoa(struct cbu_cert_cache *cc,
			       const struct cbu_cert *ha,
			       const uint8_t ca_pub[CBU_PUBKEY_LEN],
			       const uint8_t hoa[CBU_ADDR_LEN], uint64_t now,
			       const char **why)
{
	int err;

	if (ha->kind != CBU_CERT_HA)
		return fail(-EKEYREJECTED, "not an HA certificate", why);
	err = cbu_cert_verify_cached(cc, ha, ca_pub, now, why);
	if (err)
		return err;
	if (!cbu_cert_covers(ha, hoa))
		return fail(-EADDRNOTAVAIL,
			    "home address outside the certificate's prefix", why);
	return 0;
}

int cbu_cert_verify_mn(const struct cbu_cert *mn, const struct cbu_cert *ha,
		       uint64_t now, const char **why)
{
	return cbu_cert_verify_mn_cached(NULL, mn, ha, now, why);
}

int cbu_cert_verify_mn_cached(struct cbu_cert_cache *cc,
			      const struct cbu_cert *mn,
			      const struct cbu_cert *ha, uint64_t now,
			      const char **why)
{
	int err;

	if (mn->kind != CBU_CERT_MN)
		return fail(-EKEYREJECTED, "not an MN certificate", why);
	if (ha->kind != CBU_CERT_HA)
		return fail(-EKEYREJECTED, "issuer certificate is not an HA certificate",
			    why);
	err = cbu_cert_check(ha, why);
	if (err)
		return err;
	err = cbu_cert_verify_cached(cc, mn, ha->public_key, now, why);
	if (err)
		return err;
	err = check_time(ha, now, "HA certificate not yet valid",
			 "HA certificate expired", why);
	if (err)
		return err;
	if (!cbu_cert_covers(ha, mn->subject))
		return fail(-EADDRNOTAVAIL,
			    "home address outside the HA certificate's prefix",
			    why);
	return 0;
}

int cbu_cert_verify_map(struct cbu_cert_cache *cc,
			const struct cbu_cert *map,
			const uint8_t ca_pub[CBU_PUBKEY_LEN],
			const uint8_t map_addr[CBU_ADDR_LEN],
			const uint8_t rcoa[CBU_ADDR_LEN], uint64_t now,
			const char **why)
{
	int err;

	if (map->kind != CBU_CERT_MAP)
		return fail(-EKEYREJECTED, "not a MAP certificate", why);
	err = cbu_cert_verify_cached(cc, map, ca_pub, now, why);
	if (err)
		return err;
	if (!cbu_cert_covers(map, map_addr))
		return fail(-EADDRNOTAVAIL,
			    "MAP address outside the certificate's prefix", why);
	if (!cbu_cert_covers(map, rcoa))
		return fail(-EADDRNOTAVAIL,
			    "RCoA outside the certificate's prefix", why);
	return 0;
}

int cbu_hmip_ba_verify(const struct cbu_msg *m, const struct cbu_hmip *f,
		       const uint8_t *k_lba,
		       const uint8_t ca_pub[CBU_PUBKEY_LEN], uint64_t now,
		       const char **why)
{
	uint8_t in[CBU_SIG_MAP_IN_LEN];
	struct cbu_cert map;
	int err;

	if (m->has_auth) {
		if (!k_lba)
			return fail(-ENOKEY, "MAC'd, and no k_LBA held", why);
		if (!cbu_mac_lba_ok(m->auth, k_lba, f))
			return fail(-EBADMSG, "MAC_LBA does not verify", why);
		return 0;
	}
	if (!m->has_sig)
		return fail(-EBADMSG, "neither MAC'd nor signed", why);
	err = cbu_cert_decode(&map, m->cert, m->cert_len, why);
	if (!err)
		err = cbu_cert_verify_map(NULL, &map, ca_pub, f->map, f->rcoa,
					  now, why);
	if (err)
		return err;
	cbu_sig_map_input(in, f);
	if (!cbu_verify(m->sig, in, sizeof(in), map.public_key))
		return fail(-EBADMSG, "SIG_MAP does not verify", why);
	return 0;
}

int cbu_cert_verify_cn(const struct cbu_cert *cn,
		       const uint8_t ca_pub[CBU_PUBKEY_LEN],
		       const uint8_t cn_addr[CBU_ADDR_LEN], uint64_t now,
		       const char **why)
{
	int err;

	if (cn->kind != CBU_CERT_CN)
		return fail(-EKEYREJECTED, "not a CN certificate", why);
	err = cbu_cert_verify(cn, ca_pub, now, why);
	if (err)
		return err;
	if (!cbu_cert_covers(cn, cn_addr))
		return fail(-EADDRNOTAVAIL,
			    "address not covered by the certificate", why);
	return 0;
}
