// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for cbu_cert_decode(): any input is either refused with
 * a reason or is exactly 144 octets that cbu_cert_encode() gives back
 * unchanged, so that no two wire forms decode to the same certificate.  A
 * decoded certificate then goes through every check, which must not crash
 * and must refuse a signature the fuzzer cannot have made.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/cert.h"
#include "lib/crypto.h"

static uint8_t ca_pub[CBU_PUBKEY_LEN];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	uint8_t seed[CBU_SEED_LEN];

	(void)argc;
	(void)argv;
	if (cbu_crypto_init() < 0)
		abort();
	memset(seed, 0xca, sizeof(seed));
	cbu_sign_pubkey(ca_pub, seed);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t out[CBU_CERT_LEN], addr[CBU_ADDR_LEN] = { 0 };
	const char *why = NULL;
	struct cbu_cert c;
	int ret;

	ret = cbu_cert_decode(&c, data, size, &why);
	if (ret) {
		if (!why || ret > 0)
			abort();
		return 0;
	}
	if (size != CBU_CERT_LEN)
		abort();
	cbu_cert_encode(out, &c);
	if (memcmp(out, data, CBU_CERT_LEN))
		abort();
	if (cbu_cert_check(&c, &why))
		abort();

	memcpy(addr, c.subject, sizeof(addr));
	if (!cbu_cert_covers(&c, addr))
		abort();
	/* Signed by nobody the fuzzer knows: every check must refuse. */
	if (!cbu_cert_verify(&c, ca_pub, c.valid_from, &why) ||
	    !cbu_cert_verify_ha_for_hoa(NULL, &c, ca_pub, addr, c.valid_until,
					&why) ||
	    !cbu_cert_verify_cn(&c, ca_pub, addr, c.valid_from, &why) ||
	    !cbu_cert_verify_map(NULL, &c, ca_pub, addr, addr, c.valid_from,
				 &why) ||
	    !cbu_cert_verify_mn(&c, &c, c.valid_from, &why))
		abort();
	if (!why)
		abort();
	return 0;
}
