// SPDX-License-Identifier: GPL-2.0
/*
 * Router Advertisements' MAP options and Router Solicitations (nd.h).
 * The RA comes from anyone on the link: every length is checked before
 * it is read, and an RA with one bad option is refused whole.
 */
#include <errno.h>
#include <string.h>

#include "nd.h"

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Neither unspecified, loopback, multicast nor link-local. */
static bool global_unicast(const uint8_t a[16])
{
	static const uint8_t zero[15];

	if (!memcmp(a, zero, 15) && (a[15] == 0 || a[15] == 1))
		return false;
	return a[0] != 0xff && !(a[0] == 0xfe && (a[1] & 0xc0) == 0x80);
}

int cbu_nd_ra_maps(const uint8_t *ra, size_t len,
		   struct cbu_nd_map maps[CBU_ND_MAX_MAPS], const char **why)
{
	struct cbu_nd_map found[CBU_ND_MAX_MAPS];
	size_t off, opt_len;
	int n = 0;

	if (len < CBU_ND_RA_LEN || ra[0] != CBU_ND_RA || ra[1] != 0) {
		*why = "not a Router Advertisement";
		return -EPROTO;
	}
	for (off = CBU_ND_RA_LEN; off < len; off += opt_len) {
		const uint8_t *o = ra + off;

		if (len - off < 2) {
			*why = "an option cut short";
			return -EPROTO;
		}
		opt_len = (size_t)o[1] * 8;
		if (!opt_len) {
			*why = "an option of length 0";
			return -EPROTO;
		}
		if (opt_len > len - off) {
			*why = "an option past the end";
			return -EPROTO;
		}
		if (o[0] != CBU_ND_OPT_MAP)
			continue;
		if (o[1] != CBU_ND_OPT_MAP_UNITS) {
			*why = "a MAP option not of length 3";
			return -EPROTO;
		}
		if (!global_unicast(o + 8)) {
			*why = "a MAP option's address not global unicast";
			return -EPROTO;
		}
		if (n == CBU_ND_MAX_MAPS) {
			*why = "too many MAP options";
			return -E2BIG;
		}
		found[n].dist = o[2] >> 4;
		found[n].pref = o[2] & 0x0f;
		found[n].r = o[3] & CBU_ND_MAP_R;
		found[n].valid = get_be32(o + 4);
		memcpy(found[n].addr, o + 8, 16);
		n++;
	}
	memcpy(maps, found, (size_t)n * sizeof(found[0]));
	return n;
}

void cbu_nd_map_put(uint8_t buf[CBU_ND_OPT_MAP_LEN],
		    const struct cbu_nd_map *m)
{
	buf[0] = CBU_ND_OPT_MAP;
	buf[1] = CBU_ND_OPT_MAP_UNITS;
	buf[2] = (uint8_t)((m->dist & 0x0f) << 4 | (m->pref & 0x0f));
	buf[3] = m->r ? CBU_ND_MAP_R : 0;
	buf[4] = (uint8_t)(m->valid >> 24);
	buf[5] = (uint8_t)(m->valid >> 16);
	buf[6] = (uint8_t)(m->valid >> 8);
	buf[7] = (uint8_t)m->valid;
	memcpy(buf + 8, m->addr, 16);
}

const struct cbu_nd_map *cbu_nd_map_best(const struct cbu_nd_map *maps,
					 int n)
{
	const struct cbu_nd_map *best = NULL;
	int i;

	for (i = 0; i < n; i++)
		if (maps[i].pref && maps[i].valid &&
		    (!best || maps[i].pref > best->pref))
			best = &maps[i];
	return best;
}

int cbu_nd_rs_build(uint8_t *buf, size_t size)
{
	if (size < CBU_ND_RS_LEN)
		return -ENOSPC;
	memset(buf, 0, CBU_ND_RS_LEN);
	buf[0] = CBU_ND_RS;
	return CBU_ND_RS_LEN;
}
