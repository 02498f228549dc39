// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lib/crypto.c and the MAC inputs of kernel/mh.c against the
 * known-answer vectors of kernel/tests/kat_vectors.h.  The vectors come
 * from Python's hashlib/hmac and from the RFCs, not from libsodium, so a
 * wrong concatenation, byte order, key index or truncation shows here; the
 * kernel's KUnit suites check the same bytes.
 */
#include <errno.h>
#include <stdio.h>

#include <sodium.h>

#include "kernel/mh.h"
#include "lib/crypto.h"
#include "lib/msg.h"
#include "kernel/tests/kat_vectors.h"
#include "ktest.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The generator writes each count twice; a mismatch means a bad edit. */
_Static_assert(ARRAY_SIZE(cbu_kat_mac_bu) == CBU_KAT_MAC_BU_COUNT, "");
_Static_assert(ARRAY_SIZE(cbu_kat_mac_ba) == CBU_KAT_MAC_BA_COUNT, "");
_Static_assert(ARRAY_SIZE(cbu_kat_mac_bc) == CBU_KAT_MAC_BC_COUNT, "");
_Static_assert(ARRAY_SIZE(cbu_kat_mac_exch0_rk) ==
	       CBU_KAT_MAC_EXCH0_RK_COUNT, "");
_Static_assert(ARRAY_SIZE(cbu_kat_mac_exch1_rk) ==
	       CBU_KAT_MAC_EXCH1_RK_COUNT, "");
_Static_assert(ARRAY_SIZE(cbu_kat_kdf) == CBU_KAT_KDF_COUNT, "");
_Static_assert(ARRAY_SIZE(cbu_kat_cookie) == CBU_KAT_COOKIE_COUNT, "");
_Static_assert(sizeof(cbu_kat_sig_mn[0].input) == CBU_SIG_MN_IN_LEN, "");
_Static_assert(sizeof(cbu_kat_sig_map[0].input) == CBU_SIG_MAP_IN_LEN, "");
_Static_assert(sizeof(cbu_kat_mac_lba[0].input) == CBU_MAC_LBA_IN_LEN, "");
_Static_assert(CBU_SIG_MN_IN_LEN == 118 && CBU_SIG_MAP_IN_LEN == 150 &&
	       CBU_MAC_LBA_IN_LEN == 86, "wire-format.md 9.7");
_Static_assert(ARRAY_SIZE(cbu_kat_rfc4231) == CBU_KAT_RFC4231_COUNT, "");
_Static_assert(ARRAY_SIZE(cbu_kat_rfc7748_x25519) ==
	       CBU_KAT_RFC7748_X25519_COUNT, "");
_Static_assert(ARRAY_SIZE(cbu_kat_rfc8032) == CBU_KAT_RFC8032_COUNT, "");

/* The header spells its sizes out; they must be the wire's. */
_Static_assert(sizeof(cbu_kat_mac_bu[0].input) == CBU_MAC_BU_IN_LEN, "");
_Static_assert(sizeof(cbu_kat_mac_ba[0].input) == CBU_MAC_BA_IN_LEN, "");
_Static_assert(sizeof(cbu_kat_mac_bc[0].input) == CBU_MAC_BC_IN_LEN, "");
_Static_assert(sizeof(cbu_kat_mac_exch0_rk[0].input) ==
	       CBU_MAC_EXCH0_RK_IN_LEN, "");
_Static_assert(sizeof(cbu_kat_mac_exch1_rk[0].input) ==
	       CBU_MAC_EXCH1_RK_IN_LEN, "");
_Static_assert(sizeof(cbu_kat_mac_bu[0].mac) == CBU_MAC_LEN, "");
_Static_assert(sizeof(cbu_kat_kdf[0].k_master) == CBU_KEY_LEN, "");
_Static_assert(sizeof(cbu_kat_kdf[0].n1) == CBU_NONCE_LEN, "");
_Static_assert(sizeof(cbu_kat_cookie[0].c0) == CBU_COOKIE_LEN, "");
_Static_assert(sizeof(cbu_kat_xchacha.nonce) == CBU_AEAD_NONCE_LEN, "");
_Static_assert(sizeof(cbu_kat_xchacha.tag) == CBU_AEAD_TAG_LEN, "");
_Static_assert(sizeof(cbu_kat_rfc8032[0].key_id) == CBU_KEYID_LEN, "");

static void print_hex(const char *label, const uint8_t *p, size_t len)
{
	size_t i;

	printf("#   %s ", label);
	for (i = 0; i < len; i++)
		printf("%02x", p[i]);
	printf("\n");
}

/* EXPECT for byte strings: the diagnostic names the vector and both sides. */
#define EXPECT_BYTES(got, want, len, what, desc)			\
	do {								\
		if (memcmp((got), (want), (len))) {			\
			printf("# %s:%d: %s differs (%s)\n", __FILE__,	\
			       __LINE__, (what), (desc));		\
			print_hex("got ", (got), (len));		\
			print_hex("want", (want), (len));		\
			ktest_failed = true;				\
		}							\
	} while (0)

#define EXPECT_VEC(cond, desc)						\
	do {								\
		if (!(cond)) {						\
			printf("# %s:%d: expected %s (%s)\n", __FILE__,	\
			       __LINE__, #cond, (desc));		\
			ktest_failed = true;				\
		}							\
	} while (0)

static bool all_zero(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

/*
 * A MAC check that took any prefix, ignored the key or compared the wrong
 * length would still accept the right MAC: flip bits at both ends and in
 * the middle, and change the key and the message.
 */
static void check_mac_ok(const uint8_t mac[CBU_MAC_LEN],
			 const uint8_t key[CBU_KEY_LEN],
			 const uint8_t *in, size_t len, const char *desc)
{
	static const unsigned int bits[] = { 0, 7, 8 * 7 + 3, 8 * 8,
					     8 * CBU_MAC_LEN - 1 };
	uint8_t m[CBU_MAC_LEN], k[CBU_KEY_LEN], msg[128];
	size_t i;

	EXPECT_VEC(cbu_mac_ok(mac, key, in, len), desc);
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		memcpy(m, mac, sizeof(m));
		m[bits[i] / 8] ^= 1 << (bits[i] % 8);
		EXPECT_VEC(!cbu_mac_ok(m, key, in, len), desc);
	}
	memcpy(k, key, sizeof(k));
	k[CBU_KEY_LEN - 1] ^= 0x01;
	EXPECT_VEC(!cbu_mac_ok(mac, k, in, len), desc);
	memcpy(k, key, sizeof(k));
	k[0] ^= 0x80;
	EXPECT_VEC(!cbu_mac_ok(mac, k, in, len), desc);

	if (len > sizeof(msg)) {
		EXPECT_VEC(len <= sizeof(msg), desc);
		return;
	}
	memcpy(msg, in, len);
	msg[len - 1] ^= 0x01;
	EXPECT_VEC(!cbu_mac_ok(mac, key, msg, len), desc);
	EXPECT_VEC(!cbu_mac_ok(mac, key, in, len - 1), desc);
}

TEST(crypto_init)
{
	ASSERT(cbu_crypto_init() == 0);
	ASSERT(cbu_crypto_init() == 0);
}

TEST(mac_bu_kat)
{
	uint8_t in[CBU_MAC_BU_IN_LEN], mac[CBU_MAC_LEN];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cbu_kat_mac_bu); i++) {
		const struct cbu_kat_mac_bu *v = &cbu_kat_mac_bu[i];

		cbu_mac_bu_input(in, v->hoa, v->coa, v->seq, v->lt);
		EXPECT_BYTES(in, v->input, sizeof(in), "input", v->desc);
		cbu_mac_bu(mac, v->key, v->hoa, v->coa, v->seq, v->lt);
		EXPECT_BYTES(mac, v->mac, sizeof(mac), "MAC_BU", v->desc);
		cbu_mac(mac, v->key, v->input, sizeof(v->input));
		EXPECT_BYTES(mac, v->mac, sizeof(mac), "cbu_mac", v->desc);
		check_mac_ok(v->mac, v->key, v->input, sizeof(v->input),
			     v->desc);
	}
}

TEST(mac_ba_kat)
{
	uint8_t in[CBU_MAC_BA_IN_LEN], mac[CBU_MAC_LEN];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cbu_kat_mac_ba); i++) {
		const struct cbu_kat_mac_ba *v = &cbu_kat_mac_ba[i];

		cbu_mac_ba_input(in, v->coa, v->cn, v->seq, v->lt_ba,
				 v->lt_en);
		EXPECT_BYTES(in, v->input, sizeof(in), "input", v->desc);
		cbu_mac_ba(mac, v->key, v->coa, v->cn, v->seq, v->lt_ba,
			   v->lt_en);
		EXPECT_BYTES(mac, v->mac, sizeof(mac), "MAC_BA", v->desc);
		check_mac_ok(v->mac, v->key, v->input, sizeof(v->input),
			     v->desc);
	}
}

TEST(mac_bc_kat)
{
	uint8_t in[CBU_MAC_BC_IN_LEN], mac[CBU_MAC_LEN];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cbu_kat_mac_bc); i++) {
		const struct cbu_kat_mac_bc *v = &cbu_kat_mac_bc[i];

		cbu_mac_bc_input(in, v->hoa, v->coa, v->seq, v->flag);
		EXPECT_BYTES(in, v->input, sizeof(in), "input", v->desc);
		cbu_mac_bc(mac, v->key, v->hoa, v->coa, v->seq, v->flag);
		EXPECT_BYTES(mac, v->mac, sizeof(mac), "MAC_BC", v->desc);
		check_mac_ok(v->mac, v->key, v->input, sizeof(v->input),
			     v->desc);
	}
}

TEST(mac_exch0_rk_kat)
{
	uint8_t in[CBU_MAC_EXCH0_RK_IN_LEN], mac[CBU_MAC_LEN];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cbu_kat_mac_exch0_rk); i++) {
		const struct cbu_kat_mac_exch0_rk *v = &cbu_kat_mac_exch0_rk[i];

		cbu_mac_exch0_rk_input(in, v->hoa, v->n1);
		EXPECT_BYTES(in, v->input, sizeof(in), "input", v->desc);
		cbu_mac_exch0_rk(mac, v->key, v->hoa, v->n1);
		EXPECT_BYTES(mac, v->mac, sizeof(mac), "MAC_EXCH0'", v->desc);
		check_mac_ok(v->mac, v->key, v->input, sizeof(v->input),
			     v->desc);
	}
}

TEST(mac_exch1_rk_kat)
{
	uint8_t in[CBU_MAC_EXCH1_RK_IN_LEN], mac[CBU_MAC_LEN];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cbu_kat_mac_exch1_rk); i++) {
		const struct cbu_kat_mac_exch1_rk *v = &cbu_kat_mac_exch1_rk[i];

		cbu_mac_exch1_rk_input(in, v->cn, v->n1, v->n2, v->lt_en);
		EXPECT_BYTES(in, v->input, sizeof(in), "input", v->desc);
		cbu_mac_exch1_rk(mac, v->key, v->cn, v->n1, v->n2, v->lt_en);
		EXPECT_BYTES(mac, v->mac, sizeof(mac), "MAC_EXCH1'", v->desc);
		check_mac_ok(v->mac, v->key, v->input, sizeof(v->input),
			     v->desc);
	}
}

TEST(key_schedule_kat)
{
	struct cbu_session_keys keys;
	uint8_t k[CBU_KEY_LEN];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cbu_kat_kdf); i++) {
		const struct cbu_kat_kdf *v = &cbu_kat_kdf[i];

		cbu_kdf_master(k, v->k_dh, v->n1, v->n2);
		EXPECT_BYTES(k, v->k_master, sizeof(k), "k_master", v->desc);
		/* From the vector's k_master, so each step fails alone. */
		cbu_kdf_session(&keys, v->k_master, v->n1, v->n2);
		EXPECT_BYTES(keys.k_bu, v->k_bu, CBU_KEY_LEN, "k_BU", v->desc);
		EXPECT_BYTES(keys.k_ba, v->k_ba, CBU_KEY_LEN, "k_BA", v->desc);
		EXPECT_BYTES(keys.k_en, v->k_en, CBU_KEY_LEN, "k_EN", v->desc);
		cbu_kdf_ha_next(k, v->z, v->n0, v->n1);
		EXPECT_BYTES(k, v->k_ha_next, sizeof(k), "k_HA-next", v->desc);
		cbu_kdf_en_new(k, v->k_master, v->n1_rk, v->n2_rk);
		EXPECT_BYTES(k, v->k_en_new, sizeof(k), "k_EN-new", v->desc);
	}
	sodium_memzero(&keys, sizeof(keys));
	sodium_memzero(k, sizeof(k));
}

TEST(cookie_kat)
{
	uint8_t c0[CBU_COOKIE_LEN], c1[CBU_COOKIE_LEN];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cbu_kat_cookie); i++) {
		const struct cbu_kat_cookie *v = &cbu_kat_cookie[i];

		cbu_cookie_c0(c0, v->s, v->hoa, v->cn);
		EXPECT_BYTES(c0, v->c0, sizeof(c0), "C0", v->desc);
		cbu_cookie_c1(c1, v->s, v->cn, v->hoa, v->c0, v->n1);
		EXPECT_BYTES(c1, v->c1, sizeof(c1), "C1", v->desc);
	}
}

/* wire-format.md 9.7: the fields of the KAT vectors as a struct cbu_hmip. */
static void hmip_fields(struct cbu_hmip *f, const u8 *lcoa, const u8 *map,
			const u8 *hoa, const u8 *rcoa, u16 seq, u16 flags,
			u8 status, u16 lt, const u8 *n_map)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->lcoa, lcoa, CBU_ADDR_LEN);
	memcpy(f->map, map, CBU_ADDR_LEN);
	memcpy(f->hoa, hoa, CBU_ADDR_LEN);
	memcpy(f->rcoa, rcoa, CBU_ADDR_LEN);
	f->seq = seq;
	f->flags = flags;
	f->status = status;
	f->lifetime = lt;
	memcpy(f->n_map, n_map, CBU_NONCE_LEN);
}

TEST(sig_mn_input_kat)
{
	uint8_t in[CBU_SIG_MN_IN_LEN];
	struct cbu_hmip f;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cbu_kat_sig_mn); i++) {
		const struct cbu_kat_sig_mn *v = &cbu_kat_sig_mn[i];

		hmip_fields(&f, v->lcoa, v->map, v->hoa, v->rcoa, v->seq,
			    v->flags, 0, v->lt, v->n_map);
		memcpy(f.ga, v->ga, CBU_DH_LEN);
		/* Neither the status nor g^b is SIG_MN's. */
		f.status = 0xff;
		memset(f.gb, 0xee, CBU_DH_LEN);
		cbu_sig_mn_input(in, &f);
		EXPECT_BYTES(in, v->input, sizeof(in), "SIG_MN input", v->desc);
	}
}

TEST(sig_map_input_kat)
{
	uint8_t in[CBU_SIG_MAP_IN_LEN];
	struct cbu_hmip f;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cbu_kat_sig_map); i++) {
		const struct cbu_kat_sig_map *v = &cbu_kat_sig_map[i];

		hmip_fields(&f, v->lcoa, v->map, v->hoa, v->rcoa, v->seq,
			    v->flags, v->status, v->lt, v->n_map);
		memcpy(f.ga, v->ga, CBU_DH_LEN);
		memcpy(f.gb, v->gb, CBU_DH_LEN);
		cbu_sig_map_input(in, &f);
		EXPECT_BYTES(in, v->input, sizeof(in), "SIG_MAP input",
			     v->desc);
	}
}

TEST(mac_lba_kat)
{
	uint8_t in[CBU_MAC_LBA_IN_LEN], mac[CBU_MAC_LEN];
	struct cbu_hmip f;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cbu_kat_mac_lba); i++) {
		const struct cbu_kat_mac_lba *v = &cbu_kat_mac_lba[i];

		hmip_fields(&f, v->lcoa, v->map, v->hoa, v->rcoa, v->seq,
			    v->flags, v->status, v->lt, v->n_map);
		/* g^a and g^b are SIG_MAP's, not MAC_LBA's. */
		memset(f.ga, 0xaa, CBU_DH_LEN);
		memset(f.gb, 0xbb, CBU_DH_LEN);
		cbu_mac_lba_input(in, &f);
		EXPECT_BYTES(in, v->input, sizeof(in), "MAC_LBA input",
			     v->desc);
		cbu_mac_lba(mac, v->key, &f);
		EXPECT_BYTES(mac, v->mac, sizeof(mac), "MAC_LBA", v->desc);
		EXPECT_VEC(cbu_mac_lba_ok(v->mac, v->key, &f), v->desc);
		f.status ^= 1;
		EXPECT_VEC(!cbu_mac_lba_ok(v->mac, v->key, &f), v->desc);
		f.status ^= 1;
		f.flags ^= 0x80;
		EXPECT_VEC(!cbu_mac_lba_ok(v->mac, v->key, &f), v->desc);
		check_mac_ok(v->mac, v->key, v->input, sizeof(v->input),
			     v->desc);
	}
}

TEST(hmip_kdf_kat)
{
	uint8_t n[CBU_NONCE_LEN], k[CBU_KEY_LEN];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cbu_kat_hmip_kdf); i++) {
		const struct cbu_kat_hmip_kdf *v = &cbu_kat_hmip_kdf[i];

		cbu_n_map(n, v->s_map, v->hoa, v->rcoa);
		EXPECT_BYTES(n, v->n_map, sizeof(n), "N_MAP", v->desc);
		cbu_kdf_lba(k, v->k_dh, v->n_map, v->ga, v->gb);
		EXPECT_BYTES(k, v->k_lba, sizeof(k), "k_LBA", v->desc);
	}
}

/* N_MAP lives from one to two periods of s_MAP, as a cookie does. */
TEST(n_map_rotation)
{
	const struct cbu_kat_hmip_kdf *v = &cbu_kat_hmip_kdf[0];
	uint8_t n[CBU_NONCE_LEN], other[CBU_ADDR_LEN];
	struct cbu_cookie_jar jar;

	cbu_cookie_jar_init(&jar, 1000, 420);
	cbu_n_map(n, jar.cur, v->hoa, v->rcoa);
	EXPECT(cbu_n_map_ok(&jar, n, v->hoa, v->rcoa));
	/* Bound to the HoA and the RCoA. */
	EXPECT(!cbu_n_map_ok(&jar, n, v->rcoa, v->hoa));
	memcpy(other, v->rcoa, sizeof(other));
	other[15] ^= 1;
	EXPECT(!cbu_n_map_ok(&jar, n, v->hoa, other));
	cbu_cookie_jar_tick(&jar, 1000 + 420);
	EXPECT(cbu_n_map_ok(&jar, n, v->hoa, v->rcoa));
	cbu_cookie_jar_tick(&jar, 1000 + 2 * 420);
	EXPECT(!cbu_n_map_ok(&jar, n, v->hoa, v->rcoa));
	cbu_cookie_jar_wipe(&jar);
}

/*
 * A cookie lives from one to two rotation periods: accepted under the
 * previous secret after one rotation, refused after two.
 */
TEST(cookie_rotation)
{
	const struct cbu_kat_cookie *v = &cbu_kat_cookie[0];
	const uint64_t t0 = 1000000, period = 30;
	struct cbu_cookie_jar jar;
	uint8_t c0[CBU_COOKIE_LEN], c1[CBU_COOKIE_LEN], s0[CBU_KEY_LEN];

	cbu_cookie_jar_init(&jar, t0, period);
	memcpy(s0, jar.cur, sizeof(s0));
	cbu_cookie_c0(c0, jar.cur, v->hoa, v->cn);
	cbu_cookie_c1(c1, jar.cur, v->cn, v->hoa, c0, v->n1);
	EXPECT(cbu_cookie_c0_ok(&jar, c0, v->hoa, v->cn));
	EXPECT(cbu_cookie_c1_ok(&jar, c1, v->cn, v->hoa, c0, v->n1));

	/* Within the period nothing rotates. */
	cbu_cookie_jar_tick(&jar, t0 + period - 1);
	EXPECT(!memcmp(jar.cur, s0, sizeof(s0)));
	EXPECT(cbu_cookie_c0_ok(&jar, c0, v->hoa, v->cn));

	cbu_cookie_jar_tick(&jar, t0 + period);
	EXPECT(memcmp(jar.cur, s0, sizeof(s0)));
	EXPECT(cbu_cookie_c0_ok(&jar, c0, v->hoa, v->cn));
	EXPECT(cbu_cookie_c1_ok(&jar, c1, v->cn, v->hoa, c0, v->n1));

	cbu_cookie_jar_tick(&jar, t0 + 2 * period);
	EXPECT(!cbu_cookie_c0_ok(&jar, c0, v->hoa, v->cn));
	EXPECT(!cbu_cookie_c1_ok(&jar, c1, v->cn, v->hoa, c0, v->n1));

	/* A caller that ticks rarely: two idle periods drop both secrets. */
	cbu_cookie_jar_init(&jar, t0, period);
	cbu_cookie_c0(c0, jar.cur, v->hoa, v->cn);
	cbu_cookie_jar_tick(&jar, t0 + 2 * period);
	EXPECT(!jar.has_prev);
	EXPECT(!cbu_cookie_c0_ok(&jar, c0, v->hoa, v->cn));

	cbu_cookie_jar_wipe(&jar);
	EXPECT(all_zero((const uint8_t *)&jar, sizeof(jar)));
	sodium_memzero(s0, sizeof(s0));
}

/* A cookie is bound to its addresses, their roles, C0 and N1. */
TEST(cookie_other_addresses)
{
	const struct cbu_kat_cookie *v = &cbu_kat_cookie[0];
	struct cbu_cookie_jar jar;
	uint8_t c0[CBU_COOKIE_LEN], c1[CBU_COOKIE_LEN];
	uint8_t other[CBU_ADDR_LEN], n1[CBU_NONCE_LEN];

	cbu_cookie_jar_init(&jar, 0, 30);
	cbu_cookie_c0(c0, jar.cur, v->hoa, v->cn);
	cbu_cookie_c1(c1, jar.cur, v->cn, v->hoa, c0, v->n1);
	/* Also under the previous secret, the path with a second compare. */
	cbu_cookie_jar_tick(&jar, 30);

	memcpy(other, v->hoa, sizeof(other));
	other[CBU_ADDR_LEN - 1] ^= 0x01;
	EXPECT(cbu_cookie_c0_ok(&jar, c0, v->hoa, v->cn));
	EXPECT(!cbu_cookie_c0_ok(&jar, c0, other, v->cn));
	EXPECT(!cbu_cookie_c0_ok(&jar, c0, v->hoa, other));
	EXPECT(!cbu_cookie_c0_ok(&jar, c0, v->cn, v->hoa));

	memcpy(n1, v->n1, sizeof(n1));
	n1[0] ^= 0x80;
	EXPECT(cbu_cookie_c1_ok(&jar, c1, v->cn, v->hoa, c0, v->n1));
	EXPECT(!cbu_cookie_c1_ok(&jar, c1, other, v->hoa, c0, v->n1));
	EXPECT(!cbu_cookie_c1_ok(&jar, c1, v->cn, other, c0, v->n1));
	EXPECT(!cbu_cookie_c1_ok(&jar, c1, v->hoa, v->cn, c0, v->n1));
	EXPECT(!cbu_cookie_c1_ok(&jar, c1, v->cn, v->hoa, c0, n1));
	c0[3] ^= 0x10;
	EXPECT(!cbu_cookie_c1_ok(&jar, c1, v->cn, v->hoa, c0, v->n1));
	cbu_cookie_jar_wipe(&jar);
}

/* cbu_prf takes any key length: RFC 4231 uses 4, 20 and 25 octets. */
TEST(rfc4231_hmac_sha256)
{
	uint8_t out[CBU_KEY_LEN];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cbu_kat_rfc4231); i++) {
		const struct cbu_kat_rfc4231 *v = &cbu_kat_rfc4231[i];

		cbu_prf(out, v->key, v->key_len, v->data, v->data_len);
		EXPECT_BYTES(out, v->mac, sizeof(out), "HMAC", v->desc);
	}
}

TEST(rfc7748_x25519)
{
	uint8_t out[CBU_DH_LEN];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cbu_kat_rfc7748_x25519); i++) {
		const struct cbu_kat_rfc7748_x25519 *v =
			&cbu_kat_rfc7748_x25519[i];

		EXPECT_VEC(crypto_scalarmult(out, v->scalar, v->u) == 0,
			   v->desc);
		EXPECT_BYTES(out, v->out, sizeof(out), "X25519", v->desc);
	}
}

TEST(rfc7748_dh)
{
	const struct cbu_kat_rfc7748_dh *v = &cbu_kat_rfc7748_dh;
	uint8_t pub[CBU_DH_LEN], k[CBU_KEY_LEN];

	crypto_scalarmult_base(pub, v->alice_priv);
	EXPECT_BYTES(pub, v->alice_pub, sizeof(pub), "Alice's public", v->desc);
	crypto_scalarmult_base(pub, v->bob_priv);
	EXPECT_BYTES(pub, v->bob_pub, sizeof(pub), "Bob's public", v->desc);

	memset(k, 0xaa, sizeof(k));
	EXPECT(cbu_dh_shared(k, v->alice_priv, v->bob_pub) == 0);
	EXPECT_BYTES(k, v->shared, sizeof(k), "K (Alice)", v->desc);
	memset(k, 0xaa, sizeof(k));
	EXPECT(cbu_dh_shared(k, v->bob_priv, v->alice_pub) == 0);
	EXPECT_BYTES(k, v->shared, sizeof(k), "K (Bob)", v->desc);
}

/*
 * A peer that sends a low-order point forces k_DH to zero, a key an
 * attacker knows: cbu_dh_shared must refuse it and leave no result.
 */
TEST(dh_rejects_low_order)
{
	const struct cbu_kat_rfc7748_dh *v = &cbu_kat_rfc7748_dh;
	uint8_t peer[CBU_DH_LEN] = { 0 }, k[CBU_KEY_LEN];

	memset(k, 0xaa, sizeof(k));
	EXPECT(cbu_dh_shared(k, v->alice_priv, peer) == -EINVAL);
	EXPECT(all_zero(k, sizeof(k)));

	peer[0] = 1;	/* u = 1, a point of order 4 */
	memset(k, 0xaa, sizeof(k));
	EXPECT(cbu_dh_shared(k, v->alice_priv, peer) == -EINVAL);
	EXPECT(all_zero(k, sizeof(k)));
}

TEST(rfc8032_ed25519)
{
	uint8_t pub[CBU_PUBKEY_LEN], sig[CBU_SIG_LEN], id[CBU_KEYID_LEN];
	struct cbu_sign_key key;
	uint8_t msg[2];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cbu_kat_rfc8032); i++) {
		const struct cbu_kat_rfc8032 *v = &cbu_kat_rfc8032[i];

		cbu_sign_pubkey(pub, v->seed);
		EXPECT_BYTES(pub, v->pub, sizeof(pub), "public key", v->desc);
		cbu_sign_key_init(&key, v->seed);
		EXPECT_BYTES(cbu_sign_key_pub(&key), v->pub, CBU_PUBKEY_LEN,
			     "public key of the key made ready", v->desc);
		cbu_sign(sig, v->msg, v->msg_len, &key);
		EXPECT_BYTES(sig, v->sig, sizeof(sig), "signature", v->desc);
		EXPECT_VEC(cbu_verify(v->sig, v->msg, v->msg_len, v->pub),
			   v->desc);
		cbu_key_id(id, v->pub);
		EXPECT_BYTES(id, v->key_id, sizeof(id), "key id", v->desc);

		/* TEST 1's message is empty: a flipped bit there is a new
		 * octet instead. */
		memcpy(msg, v->msg, v->msg_len);
		if (v->msg_len)
			msg[0] ^= 0x01;
		else
			msg[0] = 0x01;
		EXPECT_VEC(!cbu_verify(v->sig, msg, v->msg_len ? v->msg_len : 1,
				       v->pub), v->desc);

		memcpy(sig, v->sig, sizeof(sig));
		sig[CBU_SIG_LEN - 1] ^= 0x02;
		EXPECT_VEC(!cbu_verify(sig, v->msg, v->msg_len, v->pub),
			   v->desc);
		memcpy(sig, v->sig, sizeof(sig));
		sig[0] ^= 0x01;
		EXPECT_VEC(!cbu_verify(sig, v->msg, v->msg_len, v->pub),
			   v->desc);
		memcpy(pub, v->pub, sizeof(pub));
		pub[5] ^= 0x20;
		EXPECT_VEC(!cbu_verify(v->sig, v->msg, v->msg_len, pub),
			   v->desc);
	}
}

/*
 * cbu_seal draws its nonce at random, so the draft's vector goes through
 * libsodium directly; cbu_open then reads it in cbu's layout (nonce,
 * ciphertext, tag), which pins that layout.
 */
TEST(xchacha20poly1305_draft)
{
	const struct cbu_kat_xchacha *v = &cbu_kat_xchacha;
	uint8_t ct[sizeof(v->pt) + CBU_AEAD_TAG_LEN];
	uint8_t sealed[CBU_SEALED_LEN(sizeof(v->pt))], pt[sizeof(v->pt)];
	unsigned long long ct_len = 0;

	EXPECT(crypto_aead_xchacha20poly1305_ietf_encrypt(ct, &ct_len,
			v->pt, sizeof(v->pt), v->aad, sizeof(v->aad), NULL,
			v->nonce, v->key) == 0);
	EXPECT(ct_len == sizeof(ct));
	EXPECT_BYTES(ct, v->ct, sizeof(v->ct), "ciphertext", v->desc);
	EXPECT_BYTES(ct + sizeof(v->ct), v->tag, CBU_AEAD_TAG_LEN, "tag",
		     v->desc);

	memcpy(sealed, v->nonce, CBU_AEAD_NONCE_LEN);
	memcpy(sealed + CBU_AEAD_NONCE_LEN, v->ct, sizeof(v->ct));
	memcpy(sealed + CBU_AEAD_NONCE_LEN + sizeof(v->ct), v->tag,
	       CBU_AEAD_TAG_LEN);
	EXPECT(cbu_open(pt, sealed, sizeof(sealed), v->aad, sizeof(v->aad),
			v->key) == 0);
	EXPECT_BYTES(pt, v->pt, sizeof(pt), "plaintext", v->desc);
}

/* What e(k, m) seals in practice: REP's plaintext under its MH header. */
static const uint8_t hdr[8] = { CBU_IPPROTO_NONE, 4, CBU_MH_EXP, 0, 0, 0,
				CBU_SUB_REP, CBU_WIRE_VERSION };
static const uint8_t rep[] = "N0, k_BU, k_BA, k_EN, k_HA-next";

#define REP_SEALED_LEN	CBU_SEALED_LEN(sizeof(rep))

TEST(seal_open_roundtrip)
{
	uint8_t key[CBU_KEY_LEN], pt[sizeof(rep)];
	uint8_t a[REP_SEALED_LEN], b[REP_SEALED_LEN];
	uint8_t e[CBU_SEALED_LEN(0)], none[1] = { 0 };

	cbu_random(key, sizeof(key));
	cbu_seal(a, rep, sizeof(rep), hdr, sizeof(hdr), key);
	cbu_seal(b, rep, sizeof(rep), hdr, sizeof(hdr), key);
	/* A repeated nonce would repeat the keystream. */
	EXPECT(memcmp(a, b, CBU_AEAD_NONCE_LEN));
	EXPECT(memcmp(a + CBU_AEAD_NONCE_LEN, rep, sizeof(rep)));

	memset(pt, 0, sizeof(pt));
	EXPECT(cbu_open(pt, a, sizeof(a), hdr, sizeof(hdr), key) == 0);
	EXPECT(!memcmp(pt, rep, sizeof(rep)));
	memset(pt, 0, sizeof(pt));
	EXPECT(cbu_open(pt, b, sizeof(b), hdr, sizeof(hdr), key) == 0);
	EXPECT(!memcmp(pt, rep, sizeof(rep)));

	/* An empty plaintext is still authenticated. */
	cbu_seal(e, none, 0, hdr, sizeof(hdr), key);
	EXPECT(cbu_open(none, e, sizeof(e), hdr, sizeof(hdr), key) == 0);
	e[CBU_AEAD_NONCE_LEN] ^= 0x01;
	EXPECT(cbu_open(none, e, sizeof(e), hdr, sizeof(hdr), key) ==
	       -EBADMSG);
	sodium_memzero(key, sizeof(key));
}

/*
 * Open a copy of @sealed with one bit flipped at @flip, in the sealed
 * octets or (@in_aad) in the associated data: refused, output zeroed.
 */
static void expect_open_refused(const uint8_t sealed[REP_SEALED_LEN],
				const uint8_t key[CBU_KEY_LEN], size_t flip,
				bool in_aad, const char *what)
{
	uint8_t in[REP_SEALED_LEN], h[sizeof(hdr)], pt[sizeof(rep)];

	memcpy(in, sealed, sizeof(in));
	memcpy(h, hdr, sizeof(h));
	if (in_aad)
		h[flip] ^= 0x04;
	else
		in[flip] ^= 0x04;
	memset(pt, 0xaa, sizeof(pt));
	EXPECT_VEC(cbu_open(pt, in, sizeof(in), h, sizeof(h), key) ==
		   -EBADMSG, what);
	EXPECT_VEC(all_zero(pt, sizeof(pt)), what);
}

TEST(open_rejects_tampering)
{
	uint8_t key[CBU_KEY_LEN], wrong[CBU_KEY_LEN], pt[sizeof(rep)];
	uint8_t s[REP_SEALED_LEN];
	const size_t tag = sizeof(s) - CBU_AEAD_TAG_LEN;

	cbu_random(key, sizeof(key));
	cbu_seal(s, rep, sizeof(rep), hdr, sizeof(hdr), key);

	expect_open_refused(s, key, 0, false, "nonce[0]");
	expect_open_refused(s, key, CBU_AEAD_NONCE_LEN - 1, false, "nonce[23]");
	expect_open_refused(s, key, CBU_AEAD_NONCE_LEN, false, "ciphertext[0]");
	expect_open_refused(s, key, tag - 1, false, "ciphertext[last]");
	expect_open_refused(s, key, tag, false, "tag[0]");
	expect_open_refused(s, key, sizeof(s) - 1, false, "tag[15]");
	expect_open_refused(s, key, 0, true, "aad[0]");
	expect_open_refused(s, key, sizeof(hdr) - 1, true, "aad[7]");

	memcpy(wrong, key, sizeof(wrong));
	wrong[0] ^= 0x01;
	memset(pt, 0xaa, sizeof(pt));
	EXPECT(cbu_open(pt, s, sizeof(s), hdr, sizeof(hdr), wrong) ==
	       -EBADMSG);
	EXPECT(all_zero(pt, sizeof(pt)));

	/* A truncated message loses its tag's end. */
	memset(pt, 0xaa, sizeof(pt));
	EXPECT(cbu_open(pt, s, sizeof(s) - 1, hdr, sizeof(hdr), key) ==
	       -EBADMSG);
	EXPECT(all_zero(pt, sizeof(pt) - 1));

	/*
	 * Shorter than nonce and tag: there is no plaintext to zero, and
	 * nothing may be written to the buffer at all.
	 */
	memset(pt, 0xaa, sizeof(pt));
	EXPECT(cbu_open(pt, s, CBU_SEALED_LEN(0) - 1, hdr, sizeof(hdr),
			key) == -EBADMSG);
	EXPECT(cbu_open(pt, s, 0, hdr, sizeof(hdr), key) == -EBADMSG);
	EXPECT(pt[0] == 0xaa && pt[sizeof(pt) - 1] == 0xaa);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(wrong, sizeof(wrong));
}

/*
 * The ESP key and SPI of a path (agent/dp.c): HMAC-SHA-256 under the key of
 * "cbu esp " | label | ctx.  The expected values were computed apart from
 * this code, with Python's hmac module.
 */
TEST(esp_derive_kat)
{
	static const uint8_t want_ro[CBU_ESP_KEY_LEN] = {
		0x80, 0x40, 0x07, 0x00, 0x13, 0x54, 0xc7, 0xc1, 0x69, 0x11,
		0x6f, 0x38, 0x85, 0xa1, 0x63, 0x28, 0x6b, 0x48, 0x5f, 0x79,
	};
	static const uint8_t want_home[CBU_ESP_KEY_LEN] = {
		0x29, 0xce, 0x9c, 0x81, 0x2d, 0xd4, 0xcf, 0xbb, 0x8b, 0x42,
		0xd5, 0x90, 0x99, 0x0a, 0xac, 0x27, 0x4d, 0x3f, 0x78, 0x43,
	};
	uint8_t key[CBU_KEY_LEN], ctx[32], aead[CBU_ESP_KEY_LEN];
	uint8_t other[CBU_ESP_KEY_LEN];
	uint32_t spi, spi2;
	unsigned int i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)i;
	for (i = 0; i < sizeof(ctx); i++)
		ctx[i] = (uint8_t)(0x40 + i);
	cbu_esp_derive(key, "mn>cn", NULL, 0, aead, &spi);
	EXPECT_BYTES(aead, want_ro, sizeof(want_ro), "key", "mn>cn");
	EXPECT(spi == 0x80769b95);
	cbu_esp_derive(key, "home ha>mn", ctx, sizeof(ctx), aead, &spi);
	EXPECT_BYTES(aead, want_home, sizeof(want_home), "key", "home ha>mn");
	EXPECT(spi == 0x8052018c);
	/* The other direction, or other nonces: other key, other SPI. */
	cbu_esp_derive(key, "cn>mn", NULL, 0, other, &spi2);
	EXPECT(memcmp(other, want_ro, sizeof(other)) && spi2 != 0x80769b95);
	ctx[31] ^= 1;
	cbu_esp_derive(key, "home ha>mn", ctx, sizeof(ctx), other, &spi2);
	EXPECT(memcmp(other, want_home, sizeof(other)) && spi2 != spi);
	EXPECT(spi2 & 0x80000000u);
}

KTEST_MAIN()
