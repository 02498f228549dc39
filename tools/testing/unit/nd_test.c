// SPDX-License-Identifier: GPL-2.0
/*
 * Router Advertisements' MAP options and Router Solicitations
 * (tools/lib/nd.c, design/hmip.md item 51): RAs as a raw ICMPv6 socket
 * gives them, well formed and each way of being malformed, which must
 * leave the caller's MAPs as they were.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "ktest.h"
#include "lib/nd.h"

struct ra {
	uint8_t b[256];
	size_t len;
};

/* An RA header (router lifetime 0), no options yet. */
static void ra_init(struct ra *ra)
{
	memset(ra, 0, sizeof(*ra));
	ra->b[0] = CBU_ND_RA;
	ra->b[4] = 64;		/* cur hop limit */
	ra->len = CBU_ND_RA_LEN;
}

static void ra_map(struct ra *ra, const char *addr, uint8_t dist,
		   uint8_t pref, bool r, uint32_t valid)
{
	struct cbu_nd_map m = { .dist = dist, .pref = pref, .r = r,
				.valid = valid };

	inet_pton(AF_INET6, addr, m.addr);
	cbu_nd_map_put(ra->b + ra->len, &m);
	ra->len += CBU_ND_OPT_MAP_LEN;
}

/* Another option: @type, @units of 8 octets, zeros. */
static void ra_opt(struct ra *ra, uint8_t type, uint8_t units)
{
	ra->b[ra->len] = type;
	ra->b[ra->len + 1] = units;
	ra->len += (size_t)units * 8;
}

static bool addr_is(const uint8_t a[16], const char *s)
{
	uint8_t b[16];

	inet_pton(AF_INET6, s, b);
	return !memcmp(a, b, 16);
}

TEST(map_options)
{
	struct cbu_nd_map maps[CBU_ND_MAX_MAPS];
	const char *why = NULL;
	struct ra ra;

	ra_init(&ra);
	ra_opt(&ra, 1, 1);	/* source link-layer address */
	ra_map(&ra, "2001:db8:f0::1", 1, 7, true, 600);
	ra_opt(&ra, 3, 4);	/* prefix information */
	ra_map(&ra, "2001:db8:f1::1", 2, 9, false, 0xfffffffe);
	ASSERT(cbu_nd_ra_maps(ra.b, ra.len, maps, &why) == 2);
	EXPECT(maps[0].dist == 1 && maps[0].pref == 7 && maps[0].r &&
	       maps[0].valid == 600 && addr_is(maps[0].addr, "2001:db8:f0::1"));
	EXPECT(maps[1].dist == 2 && maps[1].pref == 9 && !maps[1].r &&
	       maps[1].valid == 0xfffffffe &&
	       addr_is(maps[1].addr, "2001:db8:f1::1"));
	/* The wire: Dist high, Pref low of octet 3; R 0x80 of octet 4. */
	EXPECT(ra.b[16 + 8] == 23 && ra.b[16 + 8 + 1] == 3 &&
	       ra.b[16 + 8 + 2] == 0x17 && ra.b[16 + 8 + 3] == 0x80 &&
	       ra.b[16 + 8 + 7] == 0x58);
	/* No option at all, or none a MAP's: 0. */
	ra_init(&ra);
	EXPECT(cbu_nd_ra_maps(ra.b, ra.len, maps, &why) == 0);
	ra_opt(&ra, 5, 1);
	EXPECT(cbu_nd_ra_maps(ra.b, ra.len, maps, &why) == 0);
}

TEST(best_map)
{
	struct cbu_nd_map maps[CBU_ND_MAX_MAPS];
	const char *why = NULL;
	struct ra ra;

	ra_init(&ra);
	ra_map(&ra, "2001:db8:f0::1", 1, 0, false, 600);	/* Pref 0 */
	ra_map(&ra, "2001:db8:f1::1", 1, 3, false, 600);
	ra_map(&ra, "2001:db8:f2::1", 1, 15, false, 0);		/* ended */
	ra_map(&ra, "2001:db8:f3::1", 1, 5, false, 600);
	ra_map(&ra, "2001:db8:f4::1", 1, 5, false, 600);
	ASSERT(cbu_nd_ra_maps(ra.b, ra.len, maps, &why) == 5);
	EXPECT(cbu_nd_map_best(maps, 5) == &maps[3]);
	EXPECT(cbu_nd_map_best(maps, 1) == NULL);
	EXPECT(cbu_nd_map_best(maps, 0) == NULL);
}

/* Each malformed RA: refused with why, the caller's MAPs untouched. */
static void expect_bad(const struct ra *ra, int err, const char *want)
{
	struct cbu_nd_map maps[CBU_ND_MAX_MAPS];
	const char *why = NULL;

	memset(maps, 0xa5, sizeof(maps));
	EXPECT(cbu_nd_ra_maps(ra->b, ra->len, maps, &why) == err);
	EXPECT(why && !strcmp(why, want));
	EXPECT(maps[0].pref == 0xa5 && maps[0].addr[0] == 0xa5);
}

TEST(malformed)
{
	struct ra ra;
	int i;

	/* A good MAP option first: nothing of it is kept either. */
	ra_init(&ra);
	ra_map(&ra, "2001:db8:f0::1", 1, 7, false, 600);
	ra_opt(&ra, 1, 0);
	ra.len += 8;
	expect_bad(&ra, -EPROTO, "an option of length 0");

	ra_init(&ra);
	ra_map(&ra, "2001:db8:f0::1", 1, 7, false, 600);
	ra.len--;
	expect_bad(&ra, -EPROTO, "an option past the end");

	ra_init(&ra);
	ra_map(&ra, "2001:db8:f0::1", 1, 7, false, 600);
	ra.b[CBU_ND_RA_LEN + 1] = 4;
	ra.len += 8;
	expect_bad(&ra, -EPROTO, "a MAP option not of length 3");
	ra.b[CBU_ND_RA_LEN + 1] = 2;
	expect_bad(&ra, -EPROTO, "a MAP option not of length 3");

	ra_init(&ra);
	ra_map(&ra, "2001:db8:f0::1", 1, 7, false, 600);
	ra.len++;		/* one octet after the last option */
	expect_bad(&ra, -EPROTO, "an option cut short");

	ra_init(&ra);
	ra.len--;
	expect_bad(&ra, -EPROTO, "not a Router Advertisement");
	ra_init(&ra);
	ra.b[0] = CBU_ND_RS;
	expect_bad(&ra, -EPROTO, "not a Router Advertisement");
	ra_init(&ra);
	ra.b[1] = 1;		/* code */
	expect_bad(&ra, -EPROTO, "not a Router Advertisement");

	static const char *const not_global[] = {
		"::", "::1", "ff02::1", "fe80::1",
	};
	for (i = 0; i < 4; i++) {
		ra_init(&ra);
		ra_map(&ra, not_global[i], 1, 7, false, 600);
		expect_bad(&ra, -EPROTO,
			   "a MAP option's address not global unicast");
	}

	ra_init(&ra);
	for (i = 0; i <= CBU_ND_MAX_MAPS; i++)
		ra_map(&ra, "2001:db8:f0::1", 1, 7, false, 600);
	expect_bad(&ra, -E2BIG, "too many MAP options");
}

TEST(router_solicitation)
{
	static const uint8_t want[CBU_ND_RS_LEN] = { 133 };
	uint8_t b[16];

	memset(b, 0xff, sizeof(b));
	ASSERT(cbu_nd_rs_build(b, sizeof(b)) == CBU_ND_RS_LEN);
	EXPECT(!memcmp(b, want, sizeof(want)) && b[CBU_ND_RS_LEN] == 0xff);
	EXPECT(cbu_nd_rs_build(b, CBU_ND_RS_LEN - 1) == -ENOSPC);
}

KTEST_MAIN()
