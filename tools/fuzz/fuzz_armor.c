// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for cbu_armor_decode(): the input is text tried under
 * each label cbuctl uses.  A refusal must come with a reason and a wiped
 * output buffer; an acceptance must survive encoding and decoding again
 * octet for octet, and at most one label may accept a given text.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lib/armor.h"
#include "lib/crypto.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const labels[] = {
	CBU_ARMOR_CERT, CBU_ARMOR_PRIVATE_KEY, CBU_ARMOR_PUBLIC_KEY,
};

/* Enough for most inputs; larger ones take the -EMSGSIZE path. */
#define OUT_MAX		4096

static uint8_t out[OUT_MAX], again[OUT_MAX];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (cbu_crypto_init() < 0)
		abort();
	return 0;
}

static void check_wiped(const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i])
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	size_t i, len, len2, out_size;
	unsigned int accepted = 0;
	const char *why;
	char *enc;
	int n, ret;

	/* A small buffer half the time, to reach the -EMSGSIZE path. */
	out_size = size && data[0] & 1 ? 32 : sizeof(out);
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		why = NULL;
		memset(out, 0xa5, out_size);
		ret = cbu_armor_decode(text, size, labels[i], out, out_size,
				       &len, &why);
		if (ret) {
			if (ret > 0 || !why)
				abort();
			check_wiped(out, out_size);
			continue;
		}
		accepted++;
		if (!len || len > out_size)
			abort();

		n = cbu_armor_encode(labels[i], out, len, NULL, 0);
		if (n != -EMSGSIZE)
			abort();
		enc = malloc(cbu_armor_encoded_len(labels[i], len) + 1);
		if (!enc)
			abort();
		n = cbu_armor_encode(labels[i], out, len, enc,
				     cbu_armor_encoded_len(labels[i], len) + 1);
		if (n <= 0 || (size_t)n != strlen(enc))
			abort();
		if (cbu_armor_decode(enc, (size_t)n, labels[i], again,
				     sizeof(again), &len2, &why) ||
		    len2 != len || memcmp(again, out, len))
			abort();
		free(enc);
	}
	if (accepted > 1)
		abort();
	return 0;
}
