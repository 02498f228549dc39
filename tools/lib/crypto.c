// SPDX-License-Identifier: GPL-2.0
/*
 * cbu's crypto suite 1 on libsodium (see crypto.h).
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "crypto.h"
#include "kernel/mh.h"

int cbu_crypto_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

void cbu_prf(uint8_t out[CBU_KEY_LEN], const uint8_t *key, size_t key_len,
	     const uint8_t *msg, size_t len)
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, key_len);
	crypto_auth_hmacsha256_update(&st, msg, len);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}

void cbu_mac(uint8_t out[CBU_MAC_LEN], const uint8_t key[CBU_KEY_LEN],
	     const uint8_t *msg, size_t len)
{
	uint8_t full[CBU_KEY_LEN];

	cbu_prf(full, key, CBU_KEY_LEN, msg, len);
	memcpy(out, full, CBU_MAC_LEN);
	sodium_memzero(full, sizeof(full));
}

bool cbu_mac_ok(const uint8_t mac[CBU_MAC_LEN],
		const uint8_t key[CBU_KEY_LEN], const uint8_t *msg, size_t len)
{
	uint8_t want[CBU_MAC_LEN];
	bool ok;

	cbu_mac(want, key, msg, len);
	ok = sodium_memcmp(want, mac, CBU_MAC_LEN) == 0;
	sodium_memzero(want, sizeof(want));
	return ok;
}

void cbu_mac_bu(uint8_t out[CBU_MAC_LEN], const uint8_t k_bu[CBU_KEY_LEN],
		const uint8_t *hoa, const uint8_t *coa, uint16_t seq,
		uint16_t lt_bu)
{
	uint8_t in[CBU_MAC_BU_IN_LEN];

	cbu_mac_bu_input(in, hoa, coa, seq, lt_bu);
	cbu_mac(out, k_bu, in, sizeof(in));
}

void cbu_mac_ba(uint8_t out[CBU_MAC_LEN], const uint8_t k_ba[CBU_KEY_LEN],
		const uint8_t *coa, const uint8_t *cn, uint16_t seq,
		uint16_t lt_ba, uint16_t lt_en)
{
	uint8_t in[CBU_MAC_BA_IN_LEN];

	cbu_mac_ba_input(in, coa, cn, seq, lt_ba, lt_en);
	cbu_mac(out, k_ba, in, sizeof(in));
}

void cbu_mac_bc(uint8_t out[CBU_MAC_LEN], const uint8_t k_ba[CBU_KEY_LEN],
		const uint8_t *hoa, const uint8_t *coa, uint16_t seq,
		uint8_t flag)
{
	uint8_t in[CBU_MAC_BC_IN_LEN];

	cbu_mac_bc_input(in, hoa, coa, seq, flag);
	cbu_mac(out, k_ba, in, sizeof(in));
}

void cbu_mac_exch0_rk(uint8_t out[CBU_MAC_LEN],
		      const uint8_t k_en[CBU_KEY_LEN], const uint8_t *hoa,
		      const uint8_t *n1)
{
	uint8_t in[CBU_MAC_EXCH0_RK_IN_LEN];

	cbu_mac_exch0_rk_input(in, hoa, n1);
	cbu_mac(out, k_en, in, sizeof(in));
}

void cbu_mac_exch1_rk(uint8_t out[CBU_MAC_LEN],
		      const uint8_t k_en[CBU_KEY_LEN], const uint8_t *cn,
		      const uint8_t *n1, const uint8_t *n2, uint16_t lt_en)
{
	uint8_t in[CBU_MAC_EXCH1_RK_IN_LEN];

	cbu_mac_exch1_rk_input(in, cn, n1, n2, lt_en);
	cbu_mac(out, k_en, in, sizeof(in));
}

/* prf(key, a | b) for two nonces */
static void prf_nonces(uint8_t out[CBU_KEY_LEN], const uint8_t key[CBU_KEY_LEN],
		       const uint8_t a[CBU_NONCE_LEN],
		       const uint8_t b[CBU_NONCE_LEN])
{
	uint8_t in[2 * CBU_NONCE_LEN];

	memcpy(in, a, CBU_NONCE_LEN);
	memcpy(in + CBU_NONCE_LEN, b, CBU_NONCE_LEN);
	cbu_prf(out, key, CBU_KEY_LEN, in, sizeof(in));
}

void cbu_kdf_master(uint8_t k_master[CBU_KEY_LEN],
		    const uint8_t k_dh[CBU_KEY_LEN],
		    const uint8_t n1[CBU_NONCE_LEN],
		    const uint8_t n2[CBU_NONCE_LEN])
{
	prf_nonces(k_master, k_dh, n1, n2);
}

/* prf(k_master, N1 | N2 | i) */
static void kdf_index(uint8_t out[CBU_KEY_LEN],
		      const uint8_t k_master[CBU_KEY_LEN],
		      const uint8_t n1[CBU_NONCE_LEN],
		      const uint8_t n2[CBU_NONCE_LEN], uint8_t i)
{
	uint8_t in[2 * CBU_NONCE_LEN + 1];

	memcpy(in, n1, CBU_NONCE_LEN);
	memcpy(in + CBU_NONCE_LEN, n2, CBU_NONCE_LEN);
	in[2 * CBU_NONCE_LEN] = i;
	cbu_prf(out, k_master, CBU_KEY_LEN, in, sizeof(in));
}

void cbu_kdf_session(struct cbu_session_keys *keys,
		     const uint8_t k_master[CBU_KEY_LEN],
		     const uint8_t n1[CBU_NONCE_LEN],
		     const uint8_t n2[CBU_NONCE_LEN])
{
	kdf_index(keys->k_bu, k_master, n1, n2, 0);
	kdf_index(keys->k_ba, k_master, n1, n2, 1);
	kdf_index(keys->k_en, k_master, n1, n2, 2);
}

void cbu_kdf_en_new(uint8_t k_en[CBU_KEY_LEN],
		    const uint8_t k_master[CBU_KEY_LEN],
		    const uint8_t n1[CBU_NONCE_LEN],
		    const uint8_t n2[CBU_NONCE_LEN])
{
	kdf_index(k_en, k_master, n1, n2, 2);
}

void cbu_kdf_ha_next(uint8_t k_ha_next[CBU_KEY_LEN],
		     const uint8_t z[CBU_KEY_LEN],
		     const uint8_t n0[CBU_NONCE_LEN],
		     const uint8_t n1[CBU_NONCE_LEN])
{
	prf_nonces(k_ha_next, z, n0, n1);
}

void cbu_seal(uint8_t *out, const uint8_t *pt, size_t len,
	      const uint8_t *aad, size_t aad_len,
	      const uint8_t key[CBU_KEY_LEN])
{
	randombytes_buf(out, CBU_AEAD_NONCE_LEN);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + CBU_AEAD_NONCE_LEN,
						   NULL, pt, len, aad, aad_len,
						   NULL, out, key);
}

int cbu_open(uint8_t *pt, const uint8_t *in, size_t in_len,
	     const uint8_t *aad, size_t aad_len,
	     const uint8_t key[CBU_KEY_LEN])
{
	if (in_len < CBU_SEALED_LEN(0))
		return -EBADMSG;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(pt, NULL, NULL,
			in + CBU_AEAD_NONCE_LEN, in_len - CBU_AEAD_NONCE_LEN,
			aad, aad_len, in, key) != 0) {
		sodium_memzero(pt, in_len - CBU_SEALED_LEN(0));
		return -EBADMSG;
	}
	return 0;
}

void cbu_dh_keypair(uint8_t pub[CBU_DH_LEN], uint8_t secret[CBU_KEY_LEN])
{
	randombytes_buf(secret, CBU_KEY_LEN);
	crypto_scalarmult_base(pub, secret);
}

int cbu_dh_shared(uint8_t k_dh[CBU_KEY_LEN], const uint8_t secret[CBU_KEY_LEN],
		  const uint8_t peer[CBU_DH_LEN])
{
	/* libsodium refuses a result of all zeros (a low-order point). */
	if (crypto_scalarmult(k_dh, secret, peer) != 0) {
		sodium_memzero(k_dh, CBU_KEY_LEN);
		return -EINVAL;
	}
	return 0;
}

void cbu_sign_keypair(uint8_t pub[CBU_PUBKEY_LEN], uint8_t seed[CBU_SEED_LEN])
{
	randombytes_buf(seed, CBU_SEED_LEN);
	cbu_sign_pubkey(pub, seed);
}

void cbu_sign_pubkey(uint8_t pub[CBU_PUBKEY_LEN],
		     const uint8_t seed[CBU_SEED_LEN])
{
	uint8_t sk[crypto_sign_SECRETKEYBYTES];

	crypto_sign_seed_keypair(pub, sk, seed);
	sodium_memzero(sk, sizeof(sk));
}

_Static_assert(sizeof(((struct cbu_sign_key *)0)->sk) ==
	       crypto_sign_SECRETKEYBYTES, "libsodium's Ed25519 secret key");

void cbu_sign_key_init(struct cbu_sign_key *k, const uint8_t seed[CBU_SEED_LEN])
{
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];

	crypto_sign_seed_keypair(pk, k->sk, seed);
}

void cbu_sign(uint8_t sig[CBU_SIG_LEN], const uint8_t *msg, size_t len,
	      const struct cbu_sign_key *k)
{
	crypto_sign_detached(sig, NULL, msg, len, k->sk);
}

bool cbu_verify(const uint8_t sig[CBU_SIG_LEN], const uint8_t *msg,
		size_t len, const uint8_t pub[CBU_PUBKEY_LEN])
{
	return crypto_sign_verify_detached(sig, msg, len, pub) == 0;
}

void cbu_hash(uint8_t out[32], const uint8_t *msg, size_t len)
{
	crypto_hash_sha256(out, msg, len);
}

void cbu_key_id(uint8_t id[CBU_KEYID_LEN], const uint8_t pub[CBU_PUBKEY_LEN])
{
	uint8_t h[32];

	cbu_hash(h, pub, CBU_PUBKEY_LEN);
	memcpy(id, h, CBU_KEYID_LEN);
}

void cbu_random(uint8_t *buf, size_t len)
{
	randombytes_buf(buf, len);
}

void cbu_cookie_jar_init(struct cbu_cookie_jar *jar, uint64_t now,
			 uint64_t period)
{
	memset(jar, 0, sizeof(*jar));
	randombytes_buf(jar->cur, sizeof(jar->cur));
	jar->rotated_at = now;
	jar->period = period;
}

void cbu_cookie_jar_tick(struct cbu_cookie_jar *jar, uint64_t now)
{
	uint64_t idle = now - jar->rotated_at;

	if (idle < jar->period)
		return;
	/*
	 * After two periods without a tick the current secret is as stale as
	 * a previous one would be: neither is accepted any more.
	 */
	if (idle >= 2 * jar->period) {
		jar->has_prev = false;
		sodium_memzero(jar->prev, sizeof(jar->prev));
	} else {
		memcpy(jar->prev, jar->cur, sizeof(jar->prev));
		jar->has_prev = true;
	}
	randombytes_buf(jar->cur, sizeof(jar->cur));
	jar->rotated_at = now;
}

void cbu_cookie_jar_wipe(struct cbu_cookie_jar *jar)
{
	sodium_memzero(jar, sizeof(*jar));
}

static const char c0_label[] = "cbu C0";
static const char c1_label[] = "cbu C1";

void cbu_cookie_c0(uint8_t c0[CBU_COOKIE_LEN], const uint8_t s[CBU_KEY_LEN],
		   const uint8_t *hoa, const uint8_t *cn)
{
	uint8_t in[sizeof(c0_label) - 1 + 2 * CBU_ADDR_LEN], out[CBU_KEY_LEN];
	uint8_t *p = in;

	memcpy(p, c0_label, sizeof(c0_label) - 1);
	p += sizeof(c0_label) - 1;
	memcpy(p, hoa, CBU_ADDR_LEN);
	memcpy(p + CBU_ADDR_LEN, cn, CBU_ADDR_LEN);
	cbu_prf(out, s, CBU_KEY_LEN, in, sizeof(in));
	memcpy(c0, out, CBU_COOKIE_LEN);
}

void cbu_cookie_c1(uint8_t c1[CBU_COOKIE_LEN], const uint8_t s[CBU_KEY_LEN],
		   const uint8_t *cn, const uint8_t *hoa,
		   const uint8_t c0[CBU_COOKIE_LEN],
		   const uint8_t n1[CBU_NONCE_LEN])
{
	uint8_t in[sizeof(c1_label) - 1 + 2 * CBU_ADDR_LEN + CBU_COOKIE_LEN +
		   CBU_NONCE_LEN];
	uint8_t out[CBU_KEY_LEN];
	uint8_t *p = in;

	memcpy(p, c1_label, sizeof(c1_label) - 1);
	p += sizeof(c1_label) - 1;
	memcpy(p, cn, CBU_ADDR_LEN);
	p += CBU_ADDR_LEN;
	memcpy(p, hoa, CBU_ADDR_LEN);
	p += CBU_ADDR_LEN;
	memcpy(p, c0, CBU_COOKIE_LEN);
	p += CBU_COOKIE_LEN;
	memcpy(p, n1, CBU_NONCE_LEN);
	cbu_prf(out, s, CBU_KEY_LEN, in, sizeof(in));
	memcpy(c1, out, CBU_COOKIE_LEN);
}

bool cbu_cookie_c0_ok(const struct cbu_cookie_jar *jar,
		      const uint8_t c0[CBU_COOKIE_LEN], const uint8_t *hoa,
		      const uint8_t *cn)
{
	uint8_t want[CBU_COOKIE_LEN];

	cbu_cookie_c0(want, jar->cur, hoa, cn);
	if (sodium_memcmp(want, c0, CBU_COOKIE_LEN) == 0)
		return true;
	if (!jar->has_prev)
		return false;
	cbu_cookie_c0(want, jar->prev, hoa, cn);
	return sodium_memcmp(want, c0, CBU_COOKIE_LEN) == 0;
}

bool cbu_cookie_c1_ok(const struct cbu_cookie_jar *jar,
		      const uint8_t c1[CBU_COOKIE_LEN], const uint8_t *cn,
		      const uint8_t *hoa, const uint8_t c0[CBU_COOKIE_LEN],
		      const uint8_t n1[CBU_NONCE_LEN])
{
	uint8_t want[CBU_COOKIE_LEN];

	cbu_cookie_c1(want, jar->cur, cn, hoa, c0, n1);
	if (sodium_memcmp(want, c1, CBU_COOKIE_LEN) == 0)
		return true;
	if (!jar->has_prev)
		return false;
	cbu_cookie_c1(want, jar->prev, cn, hoa, c0, n1);
	return sodium_memcmp(want, c1, CBU_COOKIE_LEN) == 0;
}

static const char n_map_label[] = "cbu N_MAP";

void cbu_n_map(uint8_t n_map[CBU_NONCE_LEN], const uint8_t s[CBU_KEY_LEN],
	       const uint8_t *hoa, const uint8_t *rcoa)
{
	uint8_t in[sizeof(n_map_label) - 1 + 2 * CBU_ADDR_LEN];
	uint8_t out[CBU_KEY_LEN];
	uint8_t *p = in;

	memcpy(p, n_map_label, sizeof(n_map_label) - 1);
	p += sizeof(n_map_label) - 1;
	memcpy(p, hoa, CBU_ADDR_LEN);
	memcpy(p + CBU_ADDR_LEN, rcoa, CBU_ADDR_LEN);
	cbu_prf(out, s, CBU_KEY_LEN, in, sizeof(in));
	memcpy(n_map, out, CBU_NONCE_LEN);
	sodium_memzero(out, sizeof(out));
}

bool cbu_n_map_ok(const struct cbu_cookie_jar *jar,
		  const uint8_t n_map[CBU_NONCE_LEN], const uint8_t *hoa,
		  const uint8_t *rcoa)
{
	uint8_t want[CBU_NONCE_LEN];

	cbu_n_map(want, jar->cur, hoa, rcoa);
	if (sodium_memcmp(want, n_map, CBU_NONCE_LEN) == 0)
		return true;
	if (!jar->has_prev)
		return false;
	cbu_n_map(want, jar->prev, hoa, rcoa);
	return sodium_memcmp(want, n_map, CBU_NONCE_LEN) == 0;
}

void cbu_kdf_lba(uint8_t k_lba[CBU_KEY_LEN], const uint8_t k_dh[CBU_KEY_LEN],
		 const uint8_t n_map[CBU_NONCE_LEN],
		 const uint8_t ga[CBU_DH_LEN], const uint8_t gb[CBU_DH_LEN])
{
	uint8_t in[CBU_NONCE_LEN + 2 * CBU_DH_LEN];

	memcpy(in, n_map, CBU_NONCE_LEN);
	memcpy(in + CBU_NONCE_LEN, ga, CBU_DH_LEN);
	memcpy(in + CBU_NONCE_LEN + CBU_DH_LEN, gb, CBU_DH_LEN);
	cbu_prf(k_lba, k_dh, CBU_KEY_LEN, in, sizeof(in));
}

void cbu_esp_derive(const uint8_t key[CBU_KEY_LEN], const char *label,
		    const uint8_t *ctx, size_t ctx_len,
		    uint8_t aead[CBU_ESP_KEY_LEN], uint32_t *spi)
{
	static const char prefix[] = "cbu esp ";
	crypto_auth_hmacsha256_state st;
	uint8_t out[CBU_KEY_LEN];

	crypto_auth_hmacsha256_init(&st, key, CBU_KEY_LEN);
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)prefix,
				      sizeof(prefix) - 1);
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)label,
				      strlen(label));
	if (ctx_len)
		crypto_auth_hmacsha256_update(&st, ctx, ctx_len);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
	memcpy(aead, out, CBU_ESP_KEY_LEN);
	/* SPIs below 256 are reserved (RFC 4303); keep the top bit set. */
	*spi = 0x80000000u | ((uint32_t)out[20] << 16 | (uint32_t)out[21] << 8 |
			      out[22]);
	sodium_memzero(out, sizeof(out));
}
