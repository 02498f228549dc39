// SPDX-License-Identifier: GPL-2.0
/*
 * cbu_bench.ko - how long cbu.ko's MAC verification takes, from an
 * in-kernel loop, against a baseline measured in the same run: the
 * kernel's own crypto API computing the same HMAC-SHA256 with the key set
 * once (crypto_shash "hmac(sha256)"), which is what a module without a
 * prepared key state would call.
 *
 * Loading it runs the loops and prints one line per measurement; init then
 * fails with -EAGAIN so that nothing stays loaded:
 *   cbu_bench: mac_verify_ns=N shash_hmac_ns=N ratio=R iterations=I
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/hash.h>
#include <linux/ktime.h>
#include <linux/module.h>

#include "hmac.h"
#include "mh.h"

static unsigned int iterations = 200000;
module_param(iterations, uint, 0444);
MODULE_PARM_DESC(iterations, "MACs per measurement");

static u64 bench_cbu(const u8 *key, const u8 *in, unsigned int len,
		     u8 *mac)
{
	struct cbu_hmac_key k;
	unsigned int i, ok = 0;
	u64 t0, t1;

	cbu_hmac_setkey(&k, key, CBU_KEY_LEN);
	cbu_mac(mac, &k, in, len);
	t0 = ktime_get_ns();
	for (i = 0; i < iterations; i++)
		ok += cbu_mac_ok(mac, &k, in, len);
	t1 = ktime_get_ns();
	cbu_hmac_key_wipe(&k);
	if (ok != iterations)
		pr_warn("only %u of %u MACs verified\n", ok, iterations);
	return t1 - t0;
}

static s64 bench_shash(const u8 *key, const u8 *in, unsigned int len)
{
	struct crypto_shash *tfm;
	u8 out[SHA256_DIGEST_SIZE];
	unsigned int i;
	u64 t0, t1;
	int ret;

	tfm = crypto_alloc_shash("hmac(sha256)", 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	ret = crypto_shash_setkey(tfm, key, CBU_KEY_LEN);
	if (ret)
		goto out;
	{
		SHASH_DESC_ON_STACK(desc, tfm);

		desc->tfm = tfm;
		t0 = ktime_get_ns();
		for (i = 0; i < iterations; i++) {
			ret = crypto_shash_digest(desc, in, len, out);
			if (ret)
				break;
		}
		t1 = ktime_get_ns();
		shash_desc_zero(desc);
	}
	memzero_explicit(out, sizeof(out));
out:
	crypto_free_shash(tfm);
	return ret ? ret : (s64)(t1 - t0);
}

static int __init cbu_bench_init(void)
{
	u8 key[CBU_KEY_LEN], in[CBU_MAC_BU_IN_LEN], mac[CBU_MAC_LEN];
	u8 hoa[CBU_ADDR_LEN] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	u8 coa[CBU_ADDR_LEN] = { 0x20, 0x01, 0x0d, 0xb8, 3, [15] = 1 };
	u64 cbu_ns;
	s64 shash_ns;

	if (!iterations)
		return -EINVAL;
	get_random_bytes(key, sizeof(key));
	/* What a BU's MAC covers: HoA | CoA | Seq# | LT_BU, 36 octets. */
	cbu_mac_bu_input(in, hoa, coa, 0x1234, 16);

	cbu_ns = bench_cbu(key, in, sizeof(in), mac);
	shash_ns = bench_shash(key, in, sizeof(in));
	memzero_explicit(key, sizeof(key));
	if (shash_ns < 0) {
		pr_err("hmac(sha256) unavailable: %lld\n", shash_ns);
		return -EAGAIN;
	}
	pr_info("mac_verify_ns=%llu shash_hmac_ns=%llu ratio=%llu.%02llu iterations=%u\n",
		div_u64(cbu_ns, iterations), div_u64(shash_ns, iterations),
		div64_u64(shash_ns, cbu_ns),
		div64_u64(100 * (shash_ns % cbu_ns), cbu_ns), iterations);
	return -EAGAIN;
}

module_init(cbu_bench_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("cbu: MAC verification benchmark");
