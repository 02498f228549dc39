/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Neighbor Discovery for a mobile node under HMIPv6 (design/hmip.md item
 * 51): the MAP options of a Router Advertisement (RFC 5380's option 23;
 * its layout as Wireshark's dissector has it: Dist in the high and Pref in
 * the low 4 bits of the third octet, the R flag 0x80 of the fourth, a
 * 32-bit valid lifetime, the MAP's global address) and a Router
 * Solicitation (RFC 4861 4.1).  The messages start at the ICMPv6 header,
 * as a raw ICMPv6 socket gives and takes them; the kernel sums them.
 */
#ifndef _CBU_ND_H
#define _CBU_ND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CBU_ND_RS		133
#define CBU_ND_RA		134
#define CBU_ND_RS_LEN		8	/* type, code, sum, reserved */
#define CBU_ND_RA_LEN		16	/* up to the options */
#define CBU_ND_OPT_MAP		23
#define CBU_ND_OPT_MAP_UNITS	3	/* its length, in units of 8 octets */
#define CBU_ND_OPT_MAP_LEN	(CBU_ND_OPT_MAP_UNITS * 8)
#define CBU_ND_MAP_R		0x80
/* MAP options of one RA a parser keeps; more is refused. */
#define CBU_ND_MAX_MAPS		8

struct cbu_nd_map {
	uint8_t dist;		/* 4 bits */
	uint8_t pref;		/* 4 bits; 0: not to be used */
	bool r;
	uint32_t valid;		/* seconds */
	uint8_t addr[16];
};

/*
 * The MAP options of the Router Advertisement @ra of @len octets, in
 * order, to @maps (room for CBU_ND_MAX_MAPS).  Every option is checked:
 * a length above 0 and within @len, the MAP option's exactly
 * CBU_ND_OPT_MAP_UNITS, its address a global unicast one.  Returns how
 * many, or -EPROTO (-E2BIG: more than CBU_ND_MAX_MAPS) with *@why, and
 * then @maps is untouched.
 */
int cbu_nd_ra_maps(const uint8_t *ra, size_t len,
		   struct cbu_nd_map maps[CBU_ND_MAX_MAPS], const char **why);

/*
 * The option of @m in @buf (CBU_ND_OPT_MAP_LEN octets); Dist and Pref are
 * cut to 4 bits.
 */
void cbu_nd_map_put(uint8_t buf[CBU_ND_OPT_MAP_LEN],
		    const struct cbu_nd_map *m);

/*
 * The MAP of @maps to use (RFC 5380: the highest Pref; Pref 0 and a valid
 * lifetime of 0 never), the first of equals; NULL if none.
 */
const struct cbu_nd_map *cbu_nd_map_best(const struct cbu_nd_map *maps,
					 int n);

/* A Router Solicitation in @buf: its length, or -ENOSPC. */
int cbu_nd_rs_build(uint8_t *buf, size_t size);

#endif /* _CBU_ND_H */
