// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite cbu_hmac: the kernel's HMAC-SHA256 (keyed states prepared
 * once) against the known-answer vectors of kat_vectors.h, computed with
 * Python's hmac, and against RFC 4231.  The MAC a kernel verifies must be
 * byte for byte the MAC the agent computes with libsodium.
 */
#include <kunit/test.h>

#include "../hmac.h"
#include "../mh.h"
#include "kat_vectors.h"

static void expect_mac(struct kunit *test, const u8 *key, const u8 *in,
		       unsigned int len, const u8 *want)
{
	struct cbu_hmac_key k;
	u8 mac[CBU_MAC_LEN], bad[CBU_MAC_LEN];

	cbu_hmac_setkey(&k, key, CBU_KEY_LEN);
	cbu_mac(mac, &k, in, len);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(mac, want, CBU_MAC_LEN), 0,
			    "got %*phN, want %*phN", CBU_MAC_LEN, mac,
			    CBU_MAC_LEN, want);
	KUNIT_EXPECT_TRUE(test, cbu_mac_ok(want, &k, in, len));
	/* Any flipped bit is refused. */
	memcpy(bad, want, sizeof(bad));
	bad[CBU_MAC_LEN - 1] ^= 0x01;
	KUNIT_EXPECT_FALSE(test, cbu_mac_ok(bad, &k, in, len));
	bad[CBU_MAC_LEN - 1] ^= 0x01;
	bad[0] ^= 0x80;
	KUNIT_EXPECT_FALSE(test, cbu_mac_ok(bad, &k, in, len));
	cbu_hmac_key_wipe(&k);
}

static void mac_bu_desc(const struct cbu_kat_mac_bu *v, char *desc)
{
	strscpy(desc, v->desc, KUNIT_PARAM_DESC_SIZE);
}

static void mac_ba_desc(const struct cbu_kat_mac_ba *v, char *desc)
{
	strscpy(desc, v->desc, KUNIT_PARAM_DESC_SIZE);
}

static void mac_bc_desc(const struct cbu_kat_mac_bc *v, char *desc)
{
	strscpy(desc, v->desc, KUNIT_PARAM_DESC_SIZE);
}

static void mac_exch0_rk_desc(const struct cbu_kat_mac_exch0_rk *v, char *desc)
{
	strscpy(desc, v->desc, KUNIT_PARAM_DESC_SIZE);
}

static void mac_exch1_rk_desc(const struct cbu_kat_mac_exch1_rk *v, char *desc)
{
	strscpy(desc, v->desc, KUNIT_PARAM_DESC_SIZE);
}

static void rfc4231_desc(const struct cbu_kat_rfc4231 *v, char *desc)
{
	strscpy(desc, v->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mac_bu, cbu_kat_mac_bu, mac_bu_desc);
KUNIT_ARRAY_PARAM(mac_ba, cbu_kat_mac_ba, mac_ba_desc);
KUNIT_ARRAY_PARAM(mac_bc, cbu_kat_mac_bc, mac_bc_desc);
KUNIT_ARRAY_PARAM(mac_exch0_rk, cbu_kat_mac_exch0_rk, mac_exch0_rk_desc);
KUNIT_ARRAY_PARAM(mac_exch1_rk, cbu_kat_mac_exch1_rk, mac_exch1_rk_desc);
KUNIT_ARRAY_PARAM(rfc4231, cbu_kat_rfc4231, rfc4231_desc);

static void cbu_hmac_mac_bu(struct kunit *test)
{
	const struct cbu_kat_mac_bu *v = test->param_value;

	expect_mac(test, v->key, v->input, sizeof(v->input), v->mac);
}

static void cbu_hmac_mac_ba(struct kunit *test)
{
	const struct cbu_kat_mac_ba *v = test->param_value;

	expect_mac(test, v->key, v->input, sizeof(v->input), v->mac);
}

static void cbu_hmac_mac_bc(struct kunit *test)
{
	const struct cbu_kat_mac_bc *v = test->param_value;

	expect_mac(test, v->key, v->input, sizeof(v->input), v->mac);
}

static void cbu_hmac_mac_exch0_rk(struct kunit *test)
{
	const struct cbu_kat_mac_exch0_rk *v = test->param_value;

	expect_mac(test, v->key, v->input, sizeof(v->input), v->mac);
}

static void cbu_hmac_mac_exch1_rk(struct kunit *test)
{
	const struct cbu_kat_mac_exch1_rk *v = test->param_value;

	expect_mac(test, v->key, v->input, sizeof(v->input), v->mac);
}

/* The full 32-octet HMAC, keys of other lengths (RFC 4231). */
static void cbu_hmac_rfc4231(struct kunit *test)
{
	const struct cbu_kat_rfc4231 *v = test->param_value;
	struct cbu_hmac_key k;
	u8 out[SHA256_DIGEST_SIZE];

	cbu_hmac_setkey(&k, v->key, v->key_len);
	cbu_hmac(out, &k, v->data, v->data_len);
	KUNIT_EXPECT_EQ_MSG(test, memcmp(out, v->mac, sizeof(out)), 0,
			    "got %*phN", (int)sizeof(out), out);
	cbu_hmac_key_wipe(&k);
}

/* A key longer than a SHA-256 block is hashed first (RFC 2104). */
static void cbu_hmac_long_key(struct kunit *test)
{
	struct cbu_hmac_key a, b;
	u8 key[131], hashed[SHA256_DIGEST_SIZE];
	u8 msg[] = "cbu", outa[32], outb[32];

	memset(key, 0xaa, sizeof(key));
	sha256(key, sizeof(key), hashed);
	cbu_hmac_setkey(&a, key, sizeof(key));
	cbu_hmac_setkey(&b, hashed, sizeof(hashed));
	cbu_hmac(outa, &a, msg, sizeof(msg) - 1);
	cbu_hmac(outb, &b, msg, sizeof(msg) - 1);
	KUNIT_EXPECT_EQ(test, memcmp(outa, outb, sizeof(outa)), 0);
}

static void cbu_hmac_wipe(struct kunit *test)
{
	struct cbu_hmac_key k;
	u8 key[CBU_KEY_LEN] = { 1, 2, 3 };

	cbu_hmac_setkey(&k, key, sizeof(key));
	cbu_hmac_key_wipe(&k);
	KUNIT_EXPECT_TRUE(test, !memchr_inv(&k, 0, sizeof(k)));
}

static struct kunit_case cbu_hmac_cases[] = {
	KUNIT_CASE_PARAM(cbu_hmac_mac_bu, mac_bu_gen_params),
	KUNIT_CASE_PARAM(cbu_hmac_mac_ba, mac_ba_gen_params),
	KUNIT_CASE_PARAM(cbu_hmac_mac_bc, mac_bc_gen_params),
	KUNIT_CASE_PARAM(cbu_hmac_mac_exch0_rk, mac_exch0_rk_gen_params),
	KUNIT_CASE_PARAM(cbu_hmac_mac_exch1_rk, mac_exch1_rk_gen_params),
	KUNIT_CASE_PARAM(cbu_hmac_rfc4231, rfc4231_gen_params),
	KUNIT_CASE(cbu_hmac_long_key),
	KUNIT_CASE(cbu_hmac_wipe),
	{}
};

static struct kunit_suite cbu_hmac_suite = {
	.name = "cbu_hmac",
	.test_cases = cbu_hmac_cases,
};

kunit_test_suite(cbu_hmac_suite);
