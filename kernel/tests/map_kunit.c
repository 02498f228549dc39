// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite cbu_map_bindings: the bindings of a mobility anchor point in
 * a namespace's table (map.c): the rules against the map, add, lookup,
 * move, delete, capacity, expiry with a clock of our own, the flush with
 * the map, the parser of MAP_BIND's nest and the nest of a reply.
 */
#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <net/ipv6.h>
#include <net/netlink.h>

#include "../map.h"
#include "../netlink.h"

/* The map: 2001:db8:9::1, RCoA prefix 2001:db8:9::/64. */
#define A(b5, last) { { { 0x20, 0x01, 0x0d, 0xb8, 0, (b5), [15] = (last) } } }

static const struct in6_addr map_addr = A(9, 1);
static const struct in6_addr rcoa1 = A(9, 0x10);
static const struct in6_addr rcoa2 = A(9, 0x20);
static const struct in6_addr lcoa1 = A(5, 0x10);
static const struct in6_addr lcoa2 = A(6, 0x10);
static const struct in6_addr hoa1 = A(1, 0x10);

/* A namespace's table on its own: no hooks, no worker; a map set. */
static int cbu_map_test_init(struct kunit *test)
{
	struct cbu_map *map;
	struct cbu_net *cn;
	int cpu;

	cn = kunit_kzalloc(test, sizeof(*cn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cn);
	map = kunit_kzalloc(test, sizeof(*map), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, map);
	cn->net = &init_net;
	mutex_init(&cn->lock);
	cn->params.capacity = 3;
	cn->stats = alloc_percpu(struct cbu_pcpu_stats);
	KUNIT_ASSERT_NOT_NULL(test, cn->stats);
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(cn->stats, cpu)->syncp);
	KUNIT_ASSERT_EQ(test, cbu_mb_init(cn), 0);
	map->addr = map_addr;
	ipv6_addr_prefix(&map->rcoa, &map_addr, 64);
	map->rcoa_len = 64;
	RCU_INIT_POINTER(cn->map, map);
	test->priv = cn;
	return 0;
}

static void cbu_map_test_exit(struct kunit *test)
{
	struct cbu_net *cn = test->priv;

	cbu_mb_destroy(cn);
	/* Bindings removed during the test are freed after a grace period. */
	rcu_barrier();
	free_percpu(cn->stats);
}

static struct cbu_mb_cfg cfg_of(const struct in6_addr *rcoa,
				const struct in6_addr *lcoa, u32 lifetime)
{
	return (struct cbu_mb_cfg){
		.rcoa = *rcoa, .lcoa = *lcoa, .hoa = hoa1, .lifetime = lifetime,
	};
}

/* The binding of @rcoa now, or false. */
static bool snap(struct cbu_net *cn, const struct in6_addr *rcoa,
		 struct cbu_mb_info *mi)
{
	struct cbu_mb *mb;

	rcu_read_lock();
	mb = cbu_mb_lookup(cn, rcoa);
	if (mb)
		cbu_mb_snapshot(mb, mi);
	rcu_read_unlock();
	return mb;
}

static void cbu_map_bind_rules(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	struct cbu_mb_cfg cfg;
	struct cbu_map *map;

	/* The RCoA outside the prefix, the MAP's own; the LCoA inside. */
	cfg = cfg_of(&lcoa1, &lcoa2, 60);
	KUNIT_EXPECT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), -EINVAL);
	cfg = cfg_of(&map_addr, &lcoa1, 60);
	KUNIT_EXPECT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), -EINVAL);
	cfg = cfg_of(&rcoa1, &rcoa2, 60);
	KUNIT_EXPECT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, cn->n_mb, 0U);

	/* No map, no binding. */
	map = rcu_dereference_protected(cn->map, true);
	RCU_INIT_POINTER(cn->map, NULL);
	cfg = cfg_of(&rcoa1, &lcoa1, 60);
	KUNIT_EXPECT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), -ENOENT);
	RCU_INIT_POINTER(cn->map, map);
	KUNIT_EXPECT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), 0);
	KUNIT_EXPECT_EQ(test, cn->n_mb, 1U);
}

static void cbu_map_bind_lookup_unbind(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	struct cbu_mb_cfg cfg = cfg_of(&rcoa1, &lcoa1, 60);
	struct cbu_mb_info mi;

	KUNIT_ASSERT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), 0);
	KUNIT_ASSERT_TRUE(test, snap(cn, &rcoa1, &mi));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&mi.rcoa, &rcoa1));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&mi.lcoa, &lcoa1));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&mi.hoa, &hoa1));
	KUNIT_EXPECT_GE(test, mi.lifetime_left, 59U);
	KUNIT_EXPECT_LE(test, mi.lifetime_left, 60U);
	KUNIT_EXPECT_EQ(test, mi.packets, 0ULL);
	/* Keyed by the RCoA: the LCoA finds nothing. */
	KUNIT_EXPECT_FALSE(test, snap(cn, &lcoa1, &mi));
	KUNIT_EXPECT_FALSE(test, snap(cn, &rcoa2, &mi));

	KUNIT_EXPECT_EQ(test, cbu_mb_unbind(cn, &rcoa1), 0);
	KUNIT_EXPECT_EQ(test, cbu_mb_unbind(cn, &rcoa1), -ENOENT);
	KUNIT_EXPECT_FALSE(test, snap(cn, &rcoa1, &mi));
	KUNIT_EXPECT_EQ(test, cn->n_mb, 0U);
	KUNIT_EXPECT_TRUE(test, list_empty(&cn->map_list));
}

/* A bind of a bound RCoA moves it: one binding, its counters kept. */
static void cbu_map_bind_moves(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	struct cbu_mb_cfg cfg = cfg_of(&rcoa1, &lcoa1, 60);
	unsigned int gen;
	struct cbu_mb_info mi;
	struct cbu_mb *mb;

	KUNIT_ASSERT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), 0);
	rcu_read_lock();
	mb = cbu_mb_lookup(cn, &rcoa1);
	KUNIT_ASSERT_NOT_NULL(test, mb);
	atomic64_set(&mb->packets, 7);
	rcu_read_unlock();
	gen = cn->mb_gen;

	cfg = cfg_of(&rcoa1, &lcoa2, 200);
	KUNIT_ASSERT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), 0);
	KUNIT_EXPECT_EQ(test, cn->n_mb, 1U);
	/* The set did not change: a dump under way stays consistent. */
	KUNIT_EXPECT_EQ(test, cn->mb_gen, gen);
	KUNIT_ASSERT_TRUE(test, snap(cn, &rcoa1, &mi));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&mi.lcoa, &lcoa2));
	KUNIT_EXPECT_GE(test, mi.lifetime_left, 199U);
	KUNIT_EXPECT_EQ(test, mi.packets, 7ULL);

	/* A refused move changes nothing. */
	cfg = cfg_of(&rcoa1, &rcoa2, 10);
	KUNIT_EXPECT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), -EINVAL);
	KUNIT_ASSERT_TRUE(test, snap(cn, &rcoa1, &mi));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&mi.lcoa, &lcoa2));
	KUNIT_EXPECT_GE(test, mi.lifetime_left, 199U);
}

static void cbu_map_capacity(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	struct cbu_mb_cfg cfg;
	struct in6_addr r = rcoa1;
	int i;

	for (i = 0; i < 3; i++) {
		r.s6_addr[14] = i + 1;
		cfg = cfg_of(&r, &lcoa1, 60);
		KUNIT_ASSERT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), 0);
	}
	r.s6_addr[14] = 9;
	cfg = cfg_of(&r, &lcoa1, 60);
	KUNIT_EXPECT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, cn->n_mb, 3U);
	/* Full, a move still goes through; an unbind makes room. */
	r.s6_addr[14] = 1;
	cfg = cfg_of(&r, &lcoa2, 60);
	KUNIT_EXPECT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), 0);
	KUNIT_EXPECT_EQ(test, cbu_mb_unbind(cn, &r), 0);
	r.s6_addr[14] = 9;
	cfg = cfg_of(&r, &lcoa1, 60);
	KUNIT_EXPECT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), 0);
	KUNIT_EXPECT_EQ(test, cn->n_mb, 3U);
}

static void cbu_map_expiry(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	unsigned long now = jiffies;
	struct cbu_mb_cfg cfg;
	u64 stats[__CBU_STAT_MAX];
	struct cbu_mb_info mi;

	cfg = cfg_of(&rcoa1, &lcoa1, 2);
	KUNIT_ASSERT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), 0);
	cfg = cfg_of(&rcoa2, &lcoa2, 100);
	KUNIT_ASSERT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), 0);

	KUNIT_EXPECT_EQ(test, cbu_mb_expire(cn, now), 0U);
	KUNIT_EXPECT_EQ(test, cbu_mb_expire(cn, now + 3 * HZ), 1U);
	KUNIT_EXPECT_FALSE(test, snap(cn, &rcoa1, &mi));
	KUNIT_EXPECT_TRUE(test, snap(cn, &rcoa2, &mi));
	KUNIT_EXPECT_EQ(test, cn->n_mb, 1U);
	/* Idempotent. */
	KUNIT_EXPECT_EQ(test, cbu_mb_expire(cn, now + 3 * HZ), 0U);
	cbu_stats_read(cn, stats);
	KUNIT_EXPECT_EQ(test, stats[CBU_STAT_MAP_EXPIRED], 1ULL);

	/* A refresh pushes the end further. */
	cfg = cfg_of(&rcoa2, &lcoa2, 1000);
	KUNIT_ASSERT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), 0);
	KUNIT_EXPECT_EQ(test, cbu_mb_expire(cn, now + 200 * HZ), 0U);
	KUNIT_EXPECT_EQ(test, cbu_mb_expire(cn, now + 1002 * HZ), 1U);
	KUNIT_EXPECT_EQ(test, cn->n_mb, 0U);
}

/* With the map, every binding goes. */
static void cbu_map_flush(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	struct cbu_mb_cfg cfg;
	struct cbu_mb_info mi;

	cfg = cfg_of(&rcoa1, &lcoa1, 60);
	KUNIT_ASSERT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), 0);
	cfg = cfg_of(&rcoa2, &lcoa2, 60);
	KUNIT_ASSERT_EQ(test, cbu_mb_bind(cn, &cfg, NULL), 0);
	mutex_lock(&cn->lock);
	cbu_mb_flush(cn);
	mutex_unlock(&cn->lock);
	KUNIT_EXPECT_EQ(test, cn->n_mb, 0U);
	KUNIT_EXPECT_FALSE(test, snap(cn, &rcoa1, &mi));
	KUNIT_EXPECT_FALSE(test, snap(cn, &rcoa2, &mi));
}

/* A CBU_A_MAP_BINDING nest of the attributes in @which (bits by type). */
static struct nlattr *mb_nest(struct kunit *test, struct sk_buff *skb,
			      unsigned int which, const struct in6_addr *rcoa,
			      u32 lifetime)
{
	const struct in6_addr *addrs[] = {
		[CBU_A_MAP_BINDING_RCOA] = rcoa,
		[CBU_A_MAP_BINDING_LCOA] = &lcoa1,
		[CBU_A_MAP_BINDING_HOA] = &hoa1,
	};
	struct nlattr *nest;
	int t;

	nest = nla_nest_start(skb, CBU_A_MAP_BINDING);
	KUNIT_ASSERT_NOT_NULL(test, nest);
	for (t = CBU_A_MAP_BINDING_RCOA; t <= CBU_A_MAP_BINDING_HOA; t++)
		if (which & BIT(t))
			KUNIT_ASSERT_EQ(test, nla_put_in6_addr(skb, t, addrs[t]),
					0);
	if (which & BIT(CBU_A_MAP_BINDING_LIFETIME))
		KUNIT_ASSERT_EQ(test, nla_put_u32(skb,
						  CBU_A_MAP_BINDING_LIFETIME,
						  lifetime), 0);
	if (which & BIT(CBU_A_MAP_BINDING_PACKETS))
		KUNIT_ASSERT_EQ(test, nla_put_u64_64bit(skb,
							CBU_A_MAP_BINDING_PACKETS,
							1, CBU_A_MAP_BINDING_PAD),
				0);
	nla_nest_end(skb, nest);
	return nest;
}

struct mb_parse_case {
	const char *name;
	unsigned int which;
	bool key_only;
	u32 lifetime;
	bool multicast_rcoa;
	int ret;
};

#define ALL	(BIT(CBU_A_MAP_BINDING_RCOA) | BIT(CBU_A_MAP_BINDING_LCOA) | \
		 BIT(CBU_A_MAP_BINDING_HOA) | BIT(CBU_A_MAP_BINDING_LIFETIME))

static const struct mb_parse_case mb_parse_cases[] = {
	{ "bind", ALL, false, 60, false, 0 },
	{ "bind, no RCoA", ALL & ~BIT(CBU_A_MAP_BINDING_RCOA), false, 60,
	  false, -EINVAL },
	{ "bind, no LCoA", ALL & ~BIT(CBU_A_MAP_BINDING_LCOA), false, 60,
	  false, -EINVAL },
	{ "bind, no HoA", ALL & ~BIT(CBU_A_MAP_BINDING_HOA), false, 60,
	  false, -EINVAL },
	{ "bind, no lifetime", ALL & ~BIT(CBU_A_MAP_BINDING_LIFETIME), false,
	  60, false, -EINVAL },
	{ "bind, lifetime 0", ALL, false, 0, false, -ERANGE },
	{ "bind, lifetime over 262140", ALL, false, 262141, false, -ERANGE },
	{ "bind, multicast RCoA", ALL, false, 60, true, -EINVAL },
	{ "bind, read-only packets", ALL | BIT(CBU_A_MAP_BINDING_PACKETS),
	  false, 60, false, -EINVAL },
	{ "unbind", BIT(CBU_A_MAP_BINDING_RCOA), true, 0, false, 0 },
	{ "unbind, a lifetime too", BIT(CBU_A_MAP_BINDING_RCOA) |
	  BIT(CBU_A_MAP_BINDING_LIFETIME), true, 60, false, -EINVAL },
	{ "unbind, no RCoA", 0, true, 0, false, -EINVAL },
};

static void mb_parse_desc(const struct mb_parse_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mb_parse, mb_parse_cases, mb_parse_desc);

static void cbu_map_parse(struct kunit *test)
{
	static const struct in6_addr mcast = { { { 0xff, 0x02, [15] = 1 } } };
	const struct mb_parse_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct cbu_mb_cfg cfg;
	struct nlattr *nest;
	struct sk_buff *skb;
	int ret;

	skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	nest = mb_nest(test, skb, c->which,
		       c->multicast_rcoa ? &mcast : &rcoa1, c->lifetime);
	ret = cbu_nl_mb_parse(nest, c->key_only, &cfg, &extack);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (ret)
		KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	else
		KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&cfg.rcoa, &rcoa1));
	if (!ret && !c->key_only) {
		KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&cfg.lcoa, &lcoa1));
		KUNIT_EXPECT_EQ(test, cfg.lifetime, c->lifetime);
	}
	kfree_skb(skb);
}

/* What MAP_BINDING_GET and the events say of a binding. */
static void cbu_map_fill(struct kunit *test)
{
	struct cbu_mb_info mi = {
		.rcoa = rcoa1, .lcoa = lcoa1, .hoa = hoa1,
		.lifetime_left = 42, .packets = 7, .bytes = 700,
	};
	struct nlattr *nest, *a;
	struct sk_buff *skb;

	skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, cbu_nl_fill_mb(skb, &mi), 0);
	nest = (struct nlattr *)skb->data;
	KUNIT_EXPECT_EQ(test, nla_type(nest), CBU_A_MAP_BINDING);
	a = nla_find_nested(nest, CBU_A_MAP_BINDING_LCOA);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(nla_data(a), &lcoa1));
	a = nla_find_nested(nest, CBU_A_MAP_BINDING_LIFETIME);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, nla_get_u32(a), 42U);
	a = nla_find_nested(nest, CBU_A_MAP_BINDING_BYTES);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_EXPECT_EQ(test, nla_get_u64(a), 700ULL);
	kfree_skb(skb);

	/* Room for the addresses but not the counters: nothing half-written. */
	skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	skb_put(skb, skb_tailroom(skb) - 72);
	KUNIT_EXPECT_EQ(test, cbu_nl_fill_mb(skb, &mi), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, skb_tailroom(skb), 72);
	kfree_skb(skb);
}

static struct kunit_case cbu_map_cases[] = {
	KUNIT_CASE(cbu_map_bind_rules),
	KUNIT_CASE(cbu_map_bind_lookup_unbind),
	KUNIT_CASE(cbu_map_bind_moves),
	KUNIT_CASE(cbu_map_capacity),
	KUNIT_CASE(cbu_map_expiry),
	KUNIT_CASE(cbu_map_flush),
	KUNIT_CASE_PARAM(cbu_map_parse, mb_parse_gen_params),
	KUNIT_CASE(cbu_map_fill),
	{}
};

static struct kunit_suite cbu_map_suite = {
	.name = "cbu_map_bindings",
	.init = cbu_map_test_init,
	.exit = cbu_map_test_exit,
	.test_cases = cbu_map_cases,
};

kunit_test_suite(cbu_map_suite);
