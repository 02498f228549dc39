/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cbu's crypto suite 1 on libsodium (Documentation/wire-format.md):
 *   prf(k, m)   HMAC-SHA256, 32 octets
 *   MAC         HMAC-SHA256 truncated to its first 16 octets
 *   e(k, m)     XChaCha20-Poly1305-IETF, random 24-octet nonce, AAD
 *   Sig         Ed25519;  DH  X25519;  h()  SHA-256
 *
 * Every function that takes a secret leaves no copy of it behind on its
 * own stack; callers wipe what they hold (sodium_memzero).
 */
#ifndef _CBU_CRYPTO_H
#define _CBU_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/cbu_mh.h>

/* Initialise libsodium; 0 or -1.  Safe to call more than once. */
int cbu_crypto_init(void);

/* prf(k, m) = HMAC-SHA256(k, m); any key length. */
void cbu_prf(uint8_t out[CBU_KEY_LEN], const uint8_t *key, size_t key_len,
	     const uint8_t *msg, size_t len);

/* HMAC-SHA256(k, m) truncated to CBU_MAC_LEN octets; k is CBU_KEY_LEN. */
void cbu_mac(uint8_t out[CBU_MAC_LEN], const uint8_t key[CBU_KEY_LEN],
	     const uint8_t *msg, size_t len);
/* Recompute and compare in constant time. */
bool cbu_mac_ok(const uint8_t mac[CBU_MAC_LEN],
		const uint8_t key[CBU_KEY_LEN], const uint8_t *msg, size_t len);

/* The protocol's MACs over the draft's concatenations (kernel/mh.h). */
void cbu_mac_bu(uint8_t out[CBU_MAC_LEN], const uint8_t k_bu[CBU_KEY_LEN],
		const uint8_t *hoa, const uint8_t *coa, uint16_t seq,
		uint16_t lt_bu);
void cbu_mac_ba(uint8_t out[CBU_MAC_LEN], const uint8_t k_ba[CBU_KEY_LEN],
		const uint8_t *coa, const uint8_t *cn, uint16_t seq,
		uint16_t lt_ba, uint16_t lt_en);
void cbu_mac_bc(uint8_t out[CBU_MAC_LEN], const uint8_t k_ba[CBU_KEY_LEN],
		const uint8_t *hoa, const uint8_t *coa, uint16_t seq,
		uint8_t flag);
void cbu_mac_exch0_rk(uint8_t out[CBU_MAC_LEN],
		      const uint8_t k_en[CBU_KEY_LEN], const uint8_t *hoa,
		      const uint8_t *n1);
void cbu_mac_exch1_rk(uint8_t out[CBU_MAC_LEN],
		      const uint8_t k_en[CBU_KEY_LEN], const uint8_t *cn,
		      const uint8_t *n1, const uint8_t *n2, uint16_t lt_en);

/* The session keys of one route optimization. */
struct cbu_session_keys {
	uint8_t k_bu[CBU_KEY_LEN];
	uint8_t k_ba[CBU_KEY_LEN];
	uint8_t k_en[CBU_KEY_LEN];
};

/* k_master = prf(k_DH, N1 | N2) */
void cbu_kdf_master(uint8_t k_master[CBU_KEY_LEN],
		    const uint8_t k_dh[CBU_KEY_LEN],
		    const uint8_t n1[CBU_NONCE_LEN],
		    const uint8_t n2[CBU_NONCE_LEN]);
/* k_BU, k_BA, k_EN = prf(k_master, N1 | N2 | i), i = 0, 1, 2 (one octet) */
void cbu_kdf_session(struct cbu_session_keys *keys,
		     const uint8_t k_master[CBU_KEY_LEN],
		     const uint8_t n1[CBU_NONCE_LEN],
		     const uint8_t n2[CBU_NONCE_LEN]);
/* k_EN-new = prf(k_master, N1' | N2' | 2) */
void cbu_kdf_en_new(uint8_t k_en[CBU_KEY_LEN],
		    const uint8_t k_master[CBU_KEY_LEN],
		    const uint8_t n1[CBU_NONCE_LEN],
		    const uint8_t n2[CBU_NONCE_LEN]);
/* k_HA-next = prf(z, N0 | N1) */
void cbu_kdf_ha_next(uint8_t k_ha_next[CBU_KEY_LEN],
		     const uint8_t z[CBU_KEY_LEN],
		     const uint8_t n0[CBU_NONCE_LEN],
		     const uint8_t n1[CBU_NONCE_LEN]);

/*
 * e(k, m): seal @len octets of @pt into @out, which receives
 * CBU_SEALED_LEN(len) octets (nonce, ciphertext, tag).
 */
void cbu_seal(uint8_t *out, const uint8_t *pt, size_t len,
	      const uint8_t *aad, size_t aad_len,
	      const uint8_t key[CBU_KEY_LEN]);
/*
 * Open @in_len octets sealed by cbu_seal() into @pt, which receives
 * in_len - CBU_SEALED_LEN(0) octets.  0, or -EBADMSG if the key is wrong
 * or anything was altered (@pt is then zeroed).
 */
int cbu_open(uint8_t *pt, const uint8_t *in, size_t in_len,
	     const uint8_t *aad, size_t aad_len,
	     const uint8_t key[CBU_KEY_LEN]);

/* X25519 */
void cbu_dh_keypair(uint8_t pub[CBU_DH_LEN], uint8_t secret[CBU_KEY_LEN]);
/* k_DH from our secret and the peer's public value; -EINVAL if the peer's
 * value is of low order (the shared secret would be all zero). */
int cbu_dh_shared(uint8_t k_dh[CBU_KEY_LEN], const uint8_t secret[CBU_KEY_LEN],
		  const uint8_t peer[CBU_DH_LEN]);

/*
 * Ed25519: a private key is its 32-octet seed.  Made ready to sign, it is
 * the seed and its public key, libsodium's secret key: the public key costs
 * a scalar multiplication, as much as the signature's own, so it is made
 * once per key (cbu_sign_key_init()), not per signature.  Wipe a struct
 * cbu_sign_key with sodium_memzero() when done.
 */
#define CBU_SEED_LEN		32
struct cbu_sign_key {
	uint8_t sk[CBU_SEED_LEN + CBU_PUBKEY_LEN];
};

void cbu_sign_keypair(uint8_t pub[CBU_PUBKEY_LEN], uint8_t seed[CBU_SEED_LEN]);
void cbu_sign_pubkey(uint8_t pub[CBU_PUBKEY_LEN],
		     const uint8_t seed[CBU_SEED_LEN]);
void cbu_sign_key_init(struct cbu_sign_key *k,
		       const uint8_t seed[CBU_SEED_LEN]);
/* @k's public key (CBU_PUBKEY_LEN octets, inside @k). */
static inline const uint8_t *cbu_sign_key_pub(const struct cbu_sign_key *k)
{
	return k->sk + CBU_SEED_LEN;
}
void cbu_sign(uint8_t sig[CBU_SIG_LEN], const uint8_t *msg, size_t len,
	      const struct cbu_sign_key *k);
bool cbu_verify(const uint8_t sig[CBU_SIG_LEN], const uint8_t *msg,
		size_t len, const uint8_t pub[CBU_PUBKEY_LEN]);
/*
 * The ESP key (AEAD key and salt, CBU_ESP_KEY_LEN octets) and SPI both ends
 * of a path derive from @key, the label of its direction and @ctx (@ctx_len
 * octets: the home tunnel's Ni | Nr; none for route optimization, whose
 * k_EN is new for every path):
 * prf(key, "cbu esp " | label | ctx), its first 20 octets the key, the
 * next 3 the SPI's low 24 bits under a set top bit.
 */
#define CBU_ESP_KEY_LEN		20
void cbu_esp_derive(const uint8_t key[CBU_KEY_LEN], const char *label,
		    const uint8_t *ctx, size_t ctx_len,
		    uint8_t aead[CBU_ESP_KEY_LEN], uint32_t *spi);
/* The key id certificates name their issuer by: SHA-256(pub)[0..8). */
void cbu_key_id(uint8_t id[CBU_KEYID_LEN], const uint8_t pub[CBU_PUBKEY_LEN]);

/* h() = SHA-256 */
void cbu_hash(uint8_t out[32], const uint8_t *msg, size_t len);

void cbu_random(uint8_t *buf, size_t len);

/*
 * Stateless cookies: a MAC of the peer's addresses (and what must come
 * back with the cookie) under a secret that rotates; the previous secret is
 * still accepted, so a cookie lives between one and two rotation periods.
 *   C0 = prf(s, "cbu C0" | HoA | CN)[0..8)            (made by the HA)
 *   C1 = prf(s, "cbu C1" | CN | HoA | C0 | N1)[0..8)  (made by the CN)
 */
struct cbu_cookie_jar {
	uint8_t cur[CBU_KEY_LEN];
	uint8_t prev[CBU_KEY_LEN];
	bool has_prev;
	uint64_t rotated_at;	/* seconds, on the caller's clock */
	uint64_t period;	/* seconds between rotations */
};

void cbu_cookie_jar_init(struct cbu_cookie_jar *jar, uint64_t now,
			 uint64_t period);
/*
 * Rotate if a period has passed since the last rotation; after two or more
 * periods without a tick the previous secret is dropped too, so no cookie
 * outlives two periods however rarely the caller ticks.
 */
void cbu_cookie_jar_tick(struct cbu_cookie_jar *jar, uint64_t now);
void cbu_cookie_jar_wipe(struct cbu_cookie_jar *jar);

void cbu_cookie_c0(uint8_t c0[CBU_COOKIE_LEN], const uint8_t s[CBU_KEY_LEN],
		   const uint8_t *hoa, const uint8_t *cn);
void cbu_cookie_c1(uint8_t c1[CBU_COOKIE_LEN], const uint8_t s[CBU_KEY_LEN],
		   const uint8_t *cn, const uint8_t *hoa,
		   const uint8_t c0[CBU_COOKIE_LEN],
		   const uint8_t n1[CBU_NONCE_LEN]);
/* Check against the current secret, then the previous one. */
bool cbu_cookie_c0_ok(const struct cbu_cookie_jar *jar,
		      const uint8_t c0[CBU_COOKIE_LEN], const uint8_t *hoa,
		      const uint8_t *cn);
bool cbu_cookie_c1_ok(const struct cbu_cookie_jar *jar,
		      const uint8_t c1[CBU_COOKIE_LEN], const uint8_t *cn,
		      const uint8_t *hoa, const uint8_t c0[CBU_COOKIE_LEN],
		      const uint8_t n1[CBU_NONCE_LEN]);

/*
 * HMIPv6 (wire-format.md 9.7).  A MAP hands each mobile node a stateless
 * nonce under its s_MAP, a cookie jar's secret (rotated every max-lifetime,
 * the previous one still accepted), and keys its later BAs from the DH of
 * the BU that entered:
 *   N_MAP = prf(s_MAP, "cbu N_MAP" | HoA | RCoA)[0..16)
 *   k_LBA = prf(k_DH, N_MAP | g^a | g^b), N_MAP the one the BU was signed
 *   with
 */
void cbu_n_map(uint8_t n_map[CBU_NONCE_LEN], const uint8_t s[CBU_KEY_LEN],
	       const uint8_t *hoa, const uint8_t *rcoa);
/* Against the current secret, then the previous one. */
bool cbu_n_map_ok(const struct cbu_cookie_jar *jar,
		  const uint8_t n_map[CBU_NONCE_LEN], const uint8_t *hoa,
		  const uint8_t *rcoa);
void cbu_kdf_lba(uint8_t k_lba[CBU_KEY_LEN], const uint8_t k_dh[CBU_KEY_LEN],
		 const uint8_t n_map[CBU_NONCE_LEN],
		 const uint8_t ga[CBU_DH_LEN], const uint8_t gb[CBU_DH_LEN]);

#endif /* _CBU_CRYPTO_H */
