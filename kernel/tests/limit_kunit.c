// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: the per-source limits (limit.c).
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "../limit.h"
#include "../netns.h"

static const struct in6_addr src_a = { { { 0x20, 0x01, 0x0d, 0xb8, 0, 6,
					   [15] = 0x66 } } };
static const struct in6_addr src_b = { { { 0x20, 0x01, 0x0d, 0xb8, 0, 3,
					   [15] = 0x10 } } };

static int cbu_limit_test_init(struct kunit *test)
{
	struct cbu_net *cn;

	cn = kunit_kzalloc(test, sizeof(*cn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cn);
	mutex_init(&cn->lock);
	test->priv = cn;
	return 0;
}

static void cbu_limit_test_exit(struct kunit *test)
{
	struct cbu_net *cn = test->priv;

	cbu_limiters_free(cn);
	rcu_barrier();
}

/* Allowed of @n messages from @src, all at once (no time to refill). */
static unsigned int allowed(struct cbu_net *cn, enum cbu_limit_kind kind,
			    const struct in6_addr *src, unsigned int n)
{
	unsigned int ok = 0;

	rcu_read_lock();
	while (n--)
		ok += cbu_limit_allow(cn, kind, src);
	rcu_read_unlock();
	return ok;
}

/* Without a limiter (nothing served), nothing is limited. */
static void cbu_limit_none(struct kunit *test)
{
	struct cbu_net *cn = test->priv;

	KUNIT_EXPECT_EQ(test, allowed(cn, CBU_LIMIT_MH, &src_a, 1000), 1000U);
}

/*
 * A burst, then nothing until time refills it; another source keeps its
 * own.  A refill of a whole message takes a second / rate: at most one
 * more can slip in while the test runs, on a slow machine.
 */
static void cbu_limit_burst_per_source(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	unsigned int a;

	mutex_lock(&cn->lock);
	KUNIT_ASSERT_EQ(test, cbu_limiter_make(cn, CBU_LIMIT_BA), 0);
	KUNIT_ASSERT_EQ(test, cbu_limiter_make(cn, CBU_LIMIT_MH), 0);
	mutex_unlock(&cn->lock);

	a = allowed(cn, CBU_LIMIT_BA, &src_a, 100);
	KUNIT_EXPECT_GE(test, a, 8U);
	KUNIT_EXPECT_LE(test, a, 9U);
	a = allowed(cn, CBU_LIMIT_BA, &src_b, 100);
	KUNIT_EXPECT_GE(test, a, 8U);
	KUNIT_EXPECT_LE(test, a, 9U);
	/* The kinds have buckets of their own. */
	a = allowed(cn, CBU_LIMIT_MH, &src_a, 1000);
	KUNIT_EXPECT_GE(test, a, 64U);
	KUNIT_EXPECT_LE(test, a, 80U);
}

static struct kunit_case cbu_limit_cases[] = {
	KUNIT_CASE(cbu_limit_none),
	KUNIT_CASE(cbu_limit_burst_per_source),
	{}
};

static struct kunit_suite cbu_limit_suite = {
	.name = "cbu_limit",
	.init = cbu_limit_test_init,
	.exit = cbu_limit_test_exit,
	.test_cases = cbu_limit_cases,
};

kunit_test_suite(cbu_limit_suite);
