// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: kernel/mh.c, the Mobility Header parser cbu.ko runs on
 * every MH it sees.  Besides memory safety (ASan/UBSan), what it reports
 * must lie inside the input and obey the rules it claims to check.
 */
#include <stdlib.h>

#include "kernel/mh.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t cert[CBU_MH_MAX_LEN];
	struct cbu_mh_info info;
	const char *why;

	if (cbu_mh_parse(data, size, &info, &why)) {
		if (!why)
			abort();	/* every refusal has a reason */
		return 0;
	}
	if (info.len != size || size % 8)
		abort();
	if (info.body < data || info.body + info.body_len > data + size)
		abort();
	if (info.auth) {
		if (info.auth_off % 8 != 2 ||
		    info.auth + CBU_MAC_LEN > data + size ||
		    info.auth != data + info.auth_off + 2)
			abort();
	}
	if (info.hoa && info.hoa + CBU_ADDR_LEN > data + size)
		abort();
	if (info.sig && info.sig + CBU_SIG_LEN > data + size)
		abort();
	if (cbu_mh_cert_copy(data, &info, cert, sizeof(cert)) != info.cert_len)
		abort();
	return 0;
}
