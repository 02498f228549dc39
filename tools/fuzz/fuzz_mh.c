// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: kernel/mh.c, the Mobility Header parser and its rules
 * cbu.ko runs on every MH it sees, and the destination options parser it
 * runs on every such header.  Besides memory safety (ASan/UBSan), what
 * they report must lie inside the input and obey the rules they claim to
 * check.
 */
#include <stdlib.h>

#include "kernel/mh.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t cert[CBU_MH_MAX_LEN];
	struct cbu_mh_info info;
	const uint8_t *hao;
	const char *why;

	/* The same octets as a destination options header. */
	if (cbu_dstopts_parse(data, size, size ? (int8_t)data[0] : 8, &hao,
			      &why)) {
		if (!why || hao)
			abort();
	} else if (hao && (hao < data + 4 || hao + CBU_ADDR_LEN > data + size ||
			   hao[-2] != CBU_IPV6_TLV_HAO || hao[-1] != 16)) {
		abort();
	}

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
	if (cbu_mh_check(&info, &why) && !why)
		abort();
	return 0;
}
