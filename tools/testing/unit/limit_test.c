// SPDX-License-Identifier: GPL-2.0
/*
 * cbu-agent's token buckets (agent/limit.c): the burst, the refill rate,
 * its cap, and a table of per-source buckets that bounds each source and
 * makes room for new ones.
 */
#include <arpa/inet.h>
#include <string.h>

#include "agent/limit.h"
#include "ktest.h"

static unsigned int takes(struct tbucket *b, const struct tb_rate *r,
			  uint64_t now, unsigned int n)
{
	unsigned int ok = 0;

	while (n--)
		ok += tb_take(b, r, now);
	return ok;
}

TEST(burst_then_rate)
{
	const struct tb_rate r = { .rate = 1, .burst = 2 };
	struct tbucket b = { 0 };

	/* A full bucket at first sight: the burst, then nothing. */
	EXPECT(takes(&b, &r, 1000, 5) == 2);
	/* 999 ms later not yet a token; at 1000 ms one. */
	EXPECT(takes(&b, &r, 1999, 1) == 0);
	EXPECT(takes(&b, &r, 2000, 3) == 1);
	/* A long silence refills to the burst, not beyond. */
	EXPECT(takes(&b, &r, 100000, 5) == 2);
	/* A clock that goes back takes nothing it did not earn. */
	EXPECT(takes(&b, &r, 50000, 5) == 0);
}

TEST(rate_over_a_second)
{
	const struct tb_rate r = { .rate = 16, .burst = 16 };
	struct tbucket b = { 0 };
	unsigned int ok = 0, ms;

	/* Asked every ms for 10 s: the burst and 16 a second after it. */
	for (ms = 0; ms < 10000; ms++)
		ok += tb_take(&b, &r, 5000 + ms) ? 1 : 0;
	EXPECT(ok >= 16 + 159 && ok <= 16 + 160);
}

static struct in6_addr a6(unsigned int i)
{
	struct in6_addr a;

	inet_pton(AF_INET6, "2001:db8::", &a);
	a.s6_addr[14] = (uint8_t)(i >> 8);
	a.s6_addr[15] = (uint8_t)i;
	return a;
}

TEST(table_per_source)
{
	struct tb_table t;
	struct in6_addr a = a6(1), b = a6(2);
	unsigned int i, ok = 0;

	tb_table_init(&t, 1, 2);
	for (i = 0; i < 5; i++)
		ok += tb_table_take(&t, &a, 0);
	EXPECT(ok == 2);
	/* Another source has its own bucket. */
	EXPECT(tb_table_take(&t, &b, 0) && tb_table_take(&t, &b, 0));
	EXPECT(!tb_table_take(&t, &b, 0));
	EXPECT(!tb_table_take(&t, &a, 500));
	EXPECT(tb_table_take(&t, &a, 1000));
}

TEST(table_full_reuses_the_idlest)
{
	struct tb_table t;
	struct in6_addr a = a6(0);
	unsigned int i;

	tb_table_init(&t, 1, 1);
	/* Source 0 drained at 0 ms, then 63 others later. */
	EXPECT(tb_table_take(&t, &a, 0));
	for (i = 1; i < TB_TABLE_SIZE; i++) {
		struct in6_addr x = a6(i);

		EXPECT(tb_table_take(&t, &x, 10 + i));
	}
	/* Full: source 0 is still known and still empty. */
	EXPECT(!tb_table_take(&t, &a, 100));
	/* A new source takes the idlest slot: source 1 (last at 11 ms). */
	{
		struct in6_addr n = a6(1000), one = a6(1);

		EXPECT(tb_table_take(&t, &n, 200));
		EXPECT(!tb_table_take(&t, &n, 200));
		/* Source 1 was forgotten: it gets a full bucket again. */
		EXPECT(tb_table_take(&t, &one, 300));
	}
}

TEST(table_zero_rates_are_one)
{
	struct tb_table t;
	struct in6_addr a = a6(7);

	tb_table_init(&t, 0, 0);
	EXPECT(tb_table_take(&t, &a, 0));
	EXPECT(!tb_table_take(&t, &a, 999));
	EXPECT(tb_table_take(&t, &a, 1000));
}

/* Per source first, then in all. */
TEST(limit_per_source_then_all)
{
	struct tb_limit l;
	unsigned int i, ok = 0;
	struct in6_addr a = a6(1);

	tb_limit_init(&l, 1, 2, 5);
	/* One source: its burst of 2, the rest of the 5 left to others. */
	for (i = 0; i < 4; i++)
		ok += tb_limit_take(&l, &a, 0);
	EXPECT(ok == 2);
	/* Ten sources: 3 more in all, whatever their own buckets hold. */
	for (i = 2, ok = 0; i < 12; i++) {
		struct in6_addr x = a6(i);

		ok += tb_limit_take(&l, &x, 0);
	}
	EXPECT(ok == 3);
	/* A second later, 5 more in all. */
	for (i = 20, ok = 0; i < 40; i++) {
		struct in6_addr x = a6(i);

		ok += tb_limit_take(&l, &x, 1000);
	}
	EXPECT(ok == 5);
}

KTEST_MAIN()
