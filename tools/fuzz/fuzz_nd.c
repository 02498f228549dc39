// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the MAP options of a Router Advertisement
 * (tools/lib/nd.c), which a mobile node with `map = discover` reads from
 * anyone on its links.  The input is the ICMPv6 message.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/nd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cbu_nd_map maps[CBU_ND_MAX_MAPS], again[CBU_ND_MAX_MAPS];
	const struct cbu_nd_map *best;
	uint8_t opt[CBU_ND_OPT_MAP_LEN];
	const char *why = NULL;
	int i, n;

	memset(maps, 0, sizeof(maps));
	n = cbu_nd_ra_maps(data, size, maps, &why);
	if (n < 0) {
		if (!why)
			abort();
		return 0;
	}
	if (n > CBU_ND_MAX_MAPS)
		abort();
	best = cbu_nd_map_best(maps, n);
	if (best && (!best->pref || !best->valid))
		abort();
	/* Each option as read goes back to the same bytes, and reads so. */
	for (i = 0; i < n; i++) {
		uint8_t ra[CBU_ND_RA_LEN + CBU_ND_OPT_MAP_LEN] = { CBU_ND_RA };

		if (maps[i].dist > 15 || maps[i].pref > 15)
			abort();
		cbu_nd_map_put(opt, &maps[i]);
		memcpy(ra + CBU_ND_RA_LEN, opt, sizeof(opt));
		if (cbu_nd_ra_maps(ra, sizeof(ra), again, &why) != 1 ||
		    again[0].dist != maps[i].dist ||
		    again[0].pref != maps[i].pref || again[0].r != maps[i].r ||
		    again[0].valid != maps[i].valid ||
		    memcmp(again[0].addr, maps[i].addr, 16))
			abort();
	}
	return 0;
}
