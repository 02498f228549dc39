// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: mhcap_parse() (bench/mhcap.c), which walks a packet's
 * IPv6 extension headers to its Mobility Header for the benchmarks' packet
 * sockets.  Besides memory safety, an MH it finds must lie inside the
 * packet, end where the IPv6 payload ends and carry its claimed length.
 */
#include <stdlib.h>

#include "bench/mhcap.h"
#include "kernel/mh.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mhcap m;
	size_t plen;

	if (mhcap_parse(data, size, &m) != 1)
		return 0;
	plen = 40 + cbu_get_be16(data + 4);
	if (m.mh < data + 40 || m.mh + m.len != data + plen || plen > size)
		abort();
	if (m.len < 8 || CBU_MH_LEN(m.mh[1]) != m.len)
		abort();
	return 0;
}
