// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the decoder of every CBU message (tools/lib/msg.c),
 * with and without the checksum.  A message that decodes must encode again,
 * and decode from that to the same message (the encoder's layout may differ
 * from the input's, the content may not); a sealed body must open or fail
 * cleanly.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/crypto.h"
#include "lib/msg.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return cbu_crypto_init();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t key[CBU_KEY_LEN] = { 1, 2, 3 };
	static struct cbu_msg m, again;
	static uint8_t buf[CBU_MH_MAX_LEN], pt[CBU_SEALED_MAX];
	struct cbu_pseudo ph = { .src = { 0x20, 0x01 }, .dst = { 0xfe, 0x80 } };
	const char *why;
	size_t ptl;
	int len;

	/* Once with the checksum, which a random input rarely gets right. */
	if (cbu_msg_decode(&m, data, size, &ph, &why) == 0 &&
	    !cbu_mh_checksum_ok(data, size, &ph))
		abort();
	if (cbu_msg_decode(&m, data, size, NULL, &why)) {
		if (!why || m.type)
			abort();
		return 0;
	}

	ptl = cbu_msg_sealed_pt_len(m.subtype);
	if (m.type == CBU_MH_EXP && ptl && cbu_msg_open(&m, pt, ptl, key) == 0)
		abort();	/* nobody sealed this under our key */

	len = cbu_msg_encode(&m, buf, sizeof(buf), &why);
	if (len < 0)
		abort();	/* what decodes is a valid message */
	if (cbu_msg_decode(&again, buf, (size_t)len, NULL, &why))
		abort();
	again.wire_len = m.wire_len;
	if (memcmp(&m, &again, sizeof(m)))
		abort();
	return 0;
}
