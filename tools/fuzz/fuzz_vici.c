// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the VICI reader of cbu-ike-load (bench/vici.c).  The
 * input is a packet (after its length field); whatever value vici_get()
 * returns must be a string that fits the buffer it was given and occurs in
 * the message.
 */
#define _GNU_SOURCE		/* memmem() */
#include <stdlib.h>
#include <string.h>

#include "bench/vici.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const keys[] = { "success", "errmsg", "up", "" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *body;
	char val[16];
	size_t len, i, n;

	body = vici_body(data, size, &len);
	if (!body)
		return 0;
	if (body < data || body + len != data + size)
		abort();
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!vici_get(body, len, keys[i], val, sizeof(val)))
			continue;
		n = strnlen(val, sizeof(val));
		if (n == sizeof(val) || !memmem(body, len, val, n))
			abort();
	}
	return 0;
}
