// SPDX-License-Identifier: GPL-2.0
/*
 * HMAC-SHA256 (RFC 2104) on the kernel's SHA-256 library, keyed once:
 * setkey hashes K^ipad and K^opad, a block each, and keeps the two
 * chaining values; every MAC resumes a state from them.  The library has
 * no call for that on 6.1 or 6.12, but struct sha256_state is public and
 * plain (state[8], count, buf[64]): a state after whole blocks is its
 * chaining value, count the octets hashed, and buf unread until written.
 * Everything derived from a key is wiped before it goes out of scope.
 */
#include <crypto/algapi.h>
#include <linux/build_bug.h>
#include <linux/string.h>

#include "hmac.h"

void cbu_hmac_setkey(struct cbu_hmac_key *k, const u8 *key, unsigned int len)
{
	u8 pad[SHA256_BLOCK_SIZE];
	u8 hashed[SHA256_DIGEST_SIZE];
	struct sha256_state st;
	unsigned int i;

	/* A key longer than a block is hashed first (RFC 2104). */
	if (len > SHA256_BLOCK_SIZE) {
		sha256(key, len, hashed);
		key = hashed;
		len = SHA256_DIGEST_SIZE;
	}

	memset(pad, 0, sizeof(pad));
	memcpy(pad, key, len);
	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36;
	sha256_init(&st);
	sha256_update(&st, pad, sizeof(pad));
	memcpy(k->inner, st.state, sizeof(k->inner));

	for (i = 0; i < sizeof(pad); i++)
		pad[i] ^= 0x36 ^ 0x5c;
	sha256_init(&st);
	sha256_update(&st, pad, sizeof(pad));
	memcpy(k->outer, st.state, sizeof(k->outer));

	memzero_explicit(&st, sizeof(st));
	memzero_explicit(pad, sizeof(pad));
	memzero_explicit(hashed, sizeof(hashed));
}

/* @st as it was after one block that left chaining value @cv. */
static void cbu_sha256_resume(struct sha256_state *st,
			      const u32 cv[SHA256_DIGEST_SIZE / 4])
{
	BUILD_BUG_ON(sizeof(st->state) != SHA256_DIGEST_SIZE);
	memcpy(st->state, cv, sizeof(st->state));
	st->count = SHA256_BLOCK_SIZE;
}

void cbu_hmac(u8 out[SHA256_DIGEST_SIZE], const struct cbu_hmac_key *k,
	      const u8 *msg, unsigned int len)
{
	u8 ihash[SHA256_DIGEST_SIZE];
	struct sha256_state st;

	cbu_sha256_resume(&st, k->inner);
	sha256_update(&st, msg, len);
	sha256_final(&st, ihash);
	cbu_sha256_resume(&st, k->outer);
	sha256_update(&st, ihash, sizeof(ihash));
	sha256_final(&st, out);

	memzero_explicit(ihash, sizeof(ihash));
	memzero_explicit(&st, sizeof(st));
}

void cbu_mac(u8 out[CBU_MAC_LEN], const struct cbu_hmac_key *k,
	     const u8 *msg, unsigned int len)
{
	u8 full[SHA256_DIGEST_SIZE];

	cbu_hmac(full, k, msg, len);
	memcpy(out, full, CBU_MAC_LEN);
	memzero_explicit(full, sizeof(full));
}

bool cbu_mac_ok(const u8 mac[CBU_MAC_LEN], const struct cbu_hmac_key *k,
		const u8 *msg, unsigned int len)
{
	u8 want[CBU_MAC_LEN];
	bool ok;

	cbu_mac(want, k, msg, len);
	ok = !crypto_memneq(want, mac, CBU_MAC_LEN);
	memzero_explicit(want, sizeof(want));
	return ok;
}

void cbu_hmac_key_wipe(struct cbu_hmac_key *k)
{
	memzero_explicit(k, sizeof(*k));
}
