/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HMAC-SHA256 with the keyed state prepared once per key: the packet path
 * verifies a MAC with two SHA-256 finalisations and no key schedule.
 */
#ifndef _CBU_HMAC_H
#define _CBU_HMAC_H

#include <crypto/sha2.h>
#include <linux/types.h>

#include <linux/cbu_mh.h>

/*
 * A key, as the SHA-256 chaining values after its inner and outer pads
 * (one block each): 64 octets, where two whole struct sha256_state took
 * 208, of which only these carried anything (count is always one block,
 * the buffer empty).  Each MAC resumes a state on its stack from them.
 */
struct cbu_hmac_key {
	u32 inner[SHA256_DIGEST_SIZE / 4];
	u32 outer[SHA256_DIGEST_SIZE / 4];
};

void cbu_hmac_setkey(struct cbu_hmac_key *k, const u8 *key, unsigned int len);
void cbu_hmac(u8 out[SHA256_DIGEST_SIZE], const struct cbu_hmac_key *k,
	      const u8 *msg, unsigned int len);
/* MAC = HMAC-SHA256 truncated to CBU_MAC_LEN octets. */
void cbu_mac(u8 out[CBU_MAC_LEN], const struct cbu_hmac_key *k,
	     const u8 *msg, unsigned int len);
/* Recompute and compare in constant time. */
bool cbu_mac_ok(const u8 mac[CBU_MAC_LEN], const struct cbu_hmac_key *k,
		const u8 *msg, unsigned int len);
void cbu_hmac_key_wipe(struct cbu_hmac_key *k);

#endif /* _CBU_HMAC_H */
