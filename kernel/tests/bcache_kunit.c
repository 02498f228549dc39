// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the binding cache:
 *   cbu_seq      RFC 6275 9.5.1 sequence comparison modulo 2^16
 *   cbu_binding  the binding's state machine (BU, BC, BA, the BC gate,
 *                expiry), driven with a clock of our own, across the wrap
 *                of the low 32 bits of jiffies
 *   cbu_bcache   entries in a namespace's cache: create, replace, refuse,
 *                capacity, delete, unbind, the tombs, lifetimes and the
 *                role's fields as netlink sees them; keys rewritten under
 *                readers; the xfrm mark and the rcu_head it shares
 */
#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "../bcache.h"
#include "../xfrm.h"
#include "../mh.h"

static void cbu_seq_after_window(struct kunit *test)
{
	/* The RFC's own example: after 5, 65533..65535 and 0..4 are old. */
	KUNIT_EXPECT_FALSE(test, cbu_seq_after(65533, 5));
	KUNIT_EXPECT_FALSE(test, cbu_seq_after(65535, 5));
	KUNIT_EXPECT_FALSE(test, cbu_seq_after(0, 5));
	KUNIT_EXPECT_FALSE(test, cbu_seq_after(4, 5));
	KUNIT_EXPECT_FALSE(test, cbu_seq_after(5, 5));
	KUNIT_EXPECT_TRUE(test, cbu_seq_after(6, 5));
	KUNIT_EXPECT_TRUE(test, cbu_seq_after(5 + 32767, 5));
	KUNIT_EXPECT_FALSE(test, cbu_seq_after(5 + 32768, 5));
	/* Wrapping forward is moving on. */
	KUNIT_EXPECT_TRUE(test, cbu_seq_after(0, 65535));
	KUNIT_EXPECT_TRUE(test, cbu_seq_after(10, 65530));
	KUNIT_EXPECT_FALSE(test, cbu_seq_after(65530, 10));
}

static struct kunit_case cbu_seq_cases[] = {
	KUNIT_CASE(cbu_seq_after_window),
	{}
};

static struct kunit_suite cbu_seq_suite = {
	.name = "cbu_seq",
	.test_cases = cbu_seq_cases,
};

static const struct in6_addr coa1 = { { { 0x20, 0x01, 0x0d, 0xb8, 0, 3,
					  [15] = 1 } } };
static const struct in6_addr coa2 = { { { 0x20, 0x01, 0x0d, 0xb8, 0, 4,
					  [15] = 1 } } };
/* A correspondent at home, and a mobile one at two care-of addresses. */
static const struct in6_addr cn1 = { { { 0x20, 0x01, 0x0d, 0xb8, 0, 2,
					 [15] = 0x20 } } };
static const struct in6_addr peer1 = { { { 0x20, 0x01, 0x0d, 0xb8, 0, 5,
					   [15] = 0x40 } } };
static const struct in6_addr peer2 = { { { 0x20, 0x01, 0x0d, 0xb8, 0, 6,
					   [15] = 0x40 } } };

static void cbu_binding_create_update_delete(struct kunit *test)
{
	struct cbu_binding b = { .state = CBU_BCE_KEYED };
	u32 t = 1000;

	KUNIT_EXPECT_EQ(test, cbu_binding_bu(&b, 10, 0, &coa1, t),
			CBU_BU_NOTHING);
	KUNIT_EXPECT_EQ(test, cbu_binding_bu(&b, 11, 15, &coa1, t),
			CBU_BU_CREATED);
	KUNIT_EXPECT_EQ(test, b.state, CBU_BCE_UNCONFIRMED);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&b.coa, &coa1));
	KUNIT_EXPECT_EQ(test, b.expires, t + 60 * HZ);

	/* Replayed and older Seq#: stale, nothing moves. */
	KUNIT_EXPECT_EQ(test, cbu_binding_bu(&b, 11, 15, &coa2, t),
			CBU_BU_STALE);
	KUNIT_EXPECT_EQ(test, cbu_binding_bu(&b, 3, 15, &coa2, t),
			CBU_BU_STALE);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&b.coa, &coa1));
	KUNIT_EXPECT_EQ(test, b.seq, 11);

	KUNIT_EXPECT_EQ(test, cbu_binding_bu(&b, 12, 15, &coa2, t),
			CBU_BU_MOVED);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&b.coa, &coa2));
	KUNIT_EXPECT_EQ(test, cbu_binding_bu(&b, 13, 0, &coa2, t),
			CBU_BU_DELETED);
	KUNIT_EXPECT_EQ(test, b.state, CBU_BCE_KEYED);

	/* The Seq# outlives the binding: an old BU cannot come back. */
	KUNIT_EXPECT_EQ(test, cbu_binding_bu(&b, 12, 15, &coa2, t),
			CBU_BU_STALE);
}

static void cbu_binding_confirm(struct kunit *test)
{
	struct cbu_binding b = { .state = CBU_BCE_KEYED };
	u32 t = 5000;

	cbu_binding_bu(&b, 1, 15, &coa1, t);
	/* Another Seq#, another CoA: not a confirmation. */
	KUNIT_EXPECT_FALSE(test, cbu_binding_bc(&b, 2, &coa1));
	KUNIT_EXPECT_FALSE(test, cbu_binding_bc(&b, 1, &coa2));
	KUNIT_EXPECT_EQ(test, b.state, CBU_BCE_UNCONFIRMED);
	KUNIT_EXPECT_TRUE(test, cbu_binding_bc(&b, 1, &coa1));
	KUNIT_EXPECT_EQ(test, b.state, CBU_BCE_CONFIRMED);
	KUNIT_EXPECT_FALSE(test, cbu_binding_bc(&b, 1, &coa1));

	/* A refresh to the same CoA stays confirmed; a move does not. */
	KUNIT_EXPECT_EQ(test, cbu_binding_bu(&b, 2, 15, &coa1, t),
			CBU_BU_REFRESHED);
	KUNIT_EXPECT_EQ(test, b.state, CBU_BCE_CONFIRMED);
	KUNIT_EXPECT_EQ(test, cbu_binding_bu(&b, 3, 15, &coa2, t),
			CBU_BU_MOVED);
	KUNIT_EXPECT_EQ(test, b.state, CBU_BCE_UNCONFIRMED);
}

static void cbu_binding_gate_packets(struct kunit *test)
{
	struct cbu_binding b = { .state = CBU_BCE_KEYED };
	u32 t = 100000, timeout = 10 * HZ;
	int i;

	KUNIT_EXPECT_EQ(test, cbu_binding_gate(&b, t, 1, 10, timeout),
			CBU_GATE_OTHER);
	cbu_binding_bu(&b, 1, 15, &coa1, t);
	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, cbu_binding_gate(&b, t, 1, 10, timeout),
				CBU_GATE_PASS);
	/* The eleventh packet stops the binding, and the ones after it. */
	KUNIT_EXPECT_EQ(test, cbu_binding_gate(&b, t, 1, 10, timeout),
			CBU_GATE_STOP);
	KUNIT_EXPECT_EQ(test, b.state, CBU_BCE_STOPPED);
	KUNIT_EXPECT_EQ(test, cbu_binding_gate(&b, t, 1, 10, timeout),
			CBU_GATE_DROP);

	/* A late BC brings it back. */
	KUNIT_EXPECT_TRUE(test, cbu_binding_bc(&b, 1, &coa1));
	KUNIT_EXPECT_EQ(test, cbu_binding_gate(&b, t, 1, 10, timeout),
			CBU_GATE_PASS);
}

/* A GSO packet counts as its segments; one that does not fit stops. */
static void cbu_binding_gate_gso(struct kunit *test)
{
	struct cbu_binding b = { .state = CBU_BCE_KEYED };
	u32 t = 100000, timeout = 10 * HZ;

	cbu_binding_bu(&b, 1, 15, &coa1, t);
	KUNIT_EXPECT_EQ(test, cbu_binding_gate(&b, t, 7, 10, timeout),
			CBU_GATE_PASS);
	KUNIT_EXPECT_EQ(test, b.unconfirmed, 7U);
	KUNIT_EXPECT_EQ(test, cbu_binding_gate(&b, t, 3, 10, timeout),
			CBU_GATE_PASS);
	KUNIT_EXPECT_EQ(test, cbu_binding_gate(&b, t, 1, 10, timeout),
			CBU_GATE_STOP);

	/* A first GSO packet larger than the whole allowance stops it too. */
	cbu_binding_bu(&b, 2, 15, &coa2, t);
	KUNIT_EXPECT_EQ(test, cbu_binding_gate(&b, t, 11, 10, timeout),
			CBU_GATE_STOP);
	KUNIT_EXPECT_EQ(test, b.unconfirmed, 0U);
}

static void cbu_binding_gate_time(struct kunit *test)
{
	struct cbu_binding b = { .state = CBU_BCE_KEYED };
	u32 t = 100000, timeout = 10 * HZ;

	cbu_binding_bu(&b, 1, 15, &coa1, t);
	KUNIT_EXPECT_EQ(test, cbu_binding_gate(&b, t + timeout - 1, 1, 10,
					       timeout), CBU_GATE_PASS);
	KUNIT_EXPECT_EQ(test, cbu_binding_gate(&b, t + timeout, 1, 10, timeout),
			CBU_GATE_STOP);
}

static void cbu_binding_expiry(struct kunit *test)
{
	struct cbu_binding b = { .state = CBU_BCE_KEYED };
	u32 t = 100000, timeout = 10 * HZ;

	KUNIT_EXPECT_EQ(test, cbu_binding_tick(&b, t, timeout, CBU_ROLE_CN), 0);
	cbu_binding_bu(&b, 1, 15, &coa1, t);	/* 60 s */
	KUNIT_EXPECT_EQ(test, cbu_binding_tick(&b, t + timeout - 1, timeout,
					       CBU_ROLE_CN), 0);
	/* No traffic, no BC: the timeout stops it all the same. */
	KUNIT_EXPECT_EQ(test, cbu_binding_tick(&b, t + timeout, timeout,
					       CBU_ROLE_CN),
			CBU_EVENT_BC_TIMEOUT);
	KUNIT_EXPECT_EQ(test, cbu_binding_tick(&b, t + 59 * HZ, timeout,
					       CBU_ROLE_CN), 0);
	KUNIT_EXPECT_EQ(test, cbu_binding_tick(&b, t + 60 * HZ, timeout,
					       CBU_ROLE_CN), CBU_EVENT_EXPIRED);
	KUNIT_EXPECT_EQ(test, b.state, CBU_BCE_KEYED);

	/* A mobile node's binding has no BC to wait for. */
	cbu_binding_ba(&b, 2, 15, &coa1, &cn1, t);
	KUNIT_EXPECT_EQ(test, cbu_binding_tick(&b, t + timeout, timeout,
					       CBU_ROLE_MN), 0);
}

static void cbu_binding_mn_ba(struct kunit *test)
{
	struct cbu_binding b = { .state = CBU_BCE_KEYED };

	KUNIT_EXPECT_TRUE(test, cbu_binding_ba(&b, 7, 15, &coa1, &cn1, 0));
	KUNIT_EXPECT_EQ(test, b.state, CBU_BCE_CONFIRMED);
	KUNIT_EXPECT_FALSE(test, cbu_binding_ba(&b, 7, 15, &coa2, &cn1, 0));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&b.coa, &coa1));
	KUNIT_EXPECT_TRUE(test, cbu_binding_ba(&b, 8, 15, &coa2, &cn1, 0));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&b.coa, &coa2));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&b.peer, &cn1));
}

/*
 * A mobile CN (draft section 4): the BA's source is where it is.  Only a
 * newer Seq# moves it, so a BA kept from where it was cannot take the
 * binding back there, nor can one from where it was before that.
 */
static void cbu_binding_mn_ba_peer(struct kunit *test)
{
	struct cbu_binding b = { .state = CBU_BCE_KEYED };

	KUNIT_EXPECT_TRUE(test, cbu_binding_ba(&b, 7, 15, &coa1, &peer1, 0));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&b.peer, &peer1));
	KUNIT_EXPECT_TRUE(test, cbu_binding_ba(&b, 8, 15, &coa1, &peer2, 0));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&b.peer, &peer2));
	KUNIT_EXPECT_FALSE(test, cbu_binding_ba(&b, 7, 15, &coa1, &peer1, 0));
	KUNIT_EXPECT_FALSE(test, cbu_binding_ba(&b, 8, 15, &coa1, &peer1, 0));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&b.peer, &peer2));
	/* Both moved: the MN's own CoA and the CN's at once. */
	KUNIT_EXPECT_TRUE(test, cbu_binding_ba(&b, 9, 15, &coa2, &peer1, 0));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&b.coa, &coa2));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&b.peer, &peer1));
}

/*
 * The clock is jiffies' low 32 bits: a binding made 5 s before they wrap
 * lives its 60 s and has its 10 s of BC timeout across the wrap.  Each
 * check before the wrap fails with a plain comparison of the times (the
 * expiry and the timeout, wrapped, are smaller numbers than the clock).
 */
static void cbu_binding_jiffies_wrap(struct kunit *test)
{
	struct cbu_binding b = { .state = CBU_BCE_KEYED };
	u32 t = 0U - 5 * HZ, timeout = 10 * HZ, end;

	KUNIT_EXPECT_EQ(test, cbu_binding_bu(&b, 1, 15, &coa1, t),
			CBU_BU_CREATED);
	KUNIT_EXPECT_EQ(test, b.expires, 55U * HZ);
	KUNIT_EXPECT_EQ(test, cbu_binding_tick(&b, t + HZ, timeout,
					       CBU_ROLE_CN), 0);
	KUNIT_EXPECT_EQ(test, cbu_binding_gate(&b, t + 2 * HZ, 1, 10,
					       timeout), CBU_GATE_PASS);
	KUNIT_EXPECT_EQ(test, b.state, CBU_BCE_UNCONFIRMED);
	/* Past the wrap: the timeout runs on from where it was. */
	KUNIT_EXPECT_EQ(test, cbu_binding_gate(&b, 0, 1, 10, timeout),
			CBU_GATE_PASS);
	KUNIT_EXPECT_EQ(test, cbu_binding_tick(&b, 5 * HZ - 1, timeout,
					       CBU_ROLE_CN), 0);
	KUNIT_EXPECT_EQ(test, cbu_binding_gate(&b, 5 * HZ, 1, 10, timeout),
			CBU_GATE_STOP);

	/* Confirmed, it lives to t + 60 s, not a jiffy less. */
	KUNIT_EXPECT_TRUE(test, cbu_binding_bc(&b, 1, &coa1));
	KUNIT_EXPECT_EQ(test, cbu_binding_tick(&b, 55 * HZ - 1, timeout,
					       CBU_ROLE_CN), 0);
	KUNIT_EXPECT_EQ(test, cbu_binding_tick(&b, 55 * HZ, timeout,
					       CBU_ROLE_CN), CBU_EVENT_EXPIRED);

	/* Bound a jiffy before the wrap for the longest lifetime, whole. */
	KUNIT_EXPECT_EQ(test, cbu_binding_bu(&b, 2, 0xffff, &coa1, 0U - 1),
			CBU_BU_CREATED);
	end = 0U - 1 + 0xffffU * 4 * HZ;
	KUNIT_EXPECT_EQ(test, cbu_binding_tick(&b, end - 1, timeout,
					       CBU_ROLE_CN),
			CBU_EVENT_BC_TIMEOUT);
	KUNIT_EXPECT_EQ(test, cbu_binding_tick(&b, end, timeout, CBU_ROLE_CN),
			CBU_EVENT_EXPIRED);

	/* A mobile node's binding: the same clock. */
	b = (struct cbu_binding){ .state = CBU_BCE_KEYED };
	KUNIT_EXPECT_TRUE(test, cbu_binding_ba(&b, 7, 15, &coa1, &cn1, t));
	KUNIT_EXPECT_EQ(test, cbu_binding_tick(&b, t + HZ, timeout,
					       CBU_ROLE_MN), 0);
	KUNIT_EXPECT_EQ(test, cbu_binding_tick(&b, 55 * HZ - 1, timeout,
					       CBU_ROLE_MN), 0);
	KUNIT_EXPECT_EQ(test, cbu_binding_tick(&b, 55 * HZ, timeout,
					       CBU_ROLE_MN), CBU_EVENT_EXPIRED);
}

static struct kunit_case cbu_binding_cases[] = {
	KUNIT_CASE(cbu_binding_create_update_delete),
	KUNIT_CASE(cbu_binding_confirm),
	KUNIT_CASE(cbu_binding_gate_packets),
	KUNIT_CASE(cbu_binding_gate_gso),
	KUNIT_CASE(cbu_binding_gate_time),
	KUNIT_CASE(cbu_binding_expiry),
	KUNIT_CASE(cbu_binding_mn_ba),
	KUNIT_CASE(cbu_binding_mn_ba_peer),
	KUNIT_CASE(cbu_binding_jiffies_wrap),
	{}
};

static struct kunit_suite cbu_binding_suite = {
	.name = "cbu_binding",
	.test_cases = cbu_binding_cases,
};

/* Before the module's init on 6.1: make the caches the entries come from. */
static int cbu_bcache_suite_init(struct kunit_suite *suite)
{
	return cbu_bcache_module_init();
}

/* A namespace's cache on its own: no hooks, no workers. */
static int cbu_bcache_test_init(struct kunit *test)
{
	struct cbu_net *cn;
	int cpu;

	cn = kunit_kzalloc(test, sizeof(*cn), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, cn);
	cn->net = &init_net;
	mutex_init(&cn->lock);
	cbu_xfrm_init(cn);
	cn->params.capacity = 3;
	cn->params.max_lifetime = CBU_DEFAULT_MAX_LIFETIME;
	cn->stats = alloc_percpu(struct cbu_pcpu_stats);
	KUNIT_ASSERT_NOT_NULL(test, cn->stats);
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(cn->stats, cpu)->syncp);
	KUNIT_ASSERT_EQ(test, cbu_bcache_init(cn), 0);
	test->priv = cn;
	return 0;
}

static void cbu_bcache_test_exit(struct kunit *test)
{
	struct cbu_net *cn = test->priv;

	cbu_bcache_destroy(cn);
	cbu_limiters_free(cn);
	rcu_barrier();
	free_percpu(cn->stats);
}

static void cfg_for(struct cbu_bce_cfg *cfg, u8 last, u8 role)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->key.hoa.s6_addr[0] = 0x20;
	cfg->key.hoa.s6_addr[15] = last;
	cfg->key.cn.s6_addr[0] = 0x20;
	cfg->key.cn.s6_addr[15] = 0xcc;
	cfg->role = role;
	memset(cfg->k_bu, last, sizeof(cfg->k_bu));
	memset(cfg->k_ba, last + 1, sizeof(cfg->k_ba));
	cfg->lt_en = 1024;
	cfg->has_lt_en = true;
}

static void cbu_bcache_create_lookup_delete(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	struct cbu_bce_cfg cfg;
	struct cbu_bce_info bi;
	struct cbu_bce *bce;

	cfg_for(&cfg, 1, CBU_ROLE_CN);
	/* Without NLM_F_CREATE a missing entry is an error. */
	KUNIT_EXPECT_EQ(test, cbu_bce_set(cn, &cfg, false, true, false, NULL),
			-ENOENT);
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &cfg, true, false, true, NULL), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->entries), 1);
	KUNIT_EXPECT_EQ(test, cbu_bce_set(cn, &cfg, true, false, true, NULL),
			-EEXIST);

	rcu_read_lock();
	bce = cbu_bce_lookup(cn, &cfg.key.hoa, &cfg.key.cn);
	KUNIT_EXPECT_NOT_NULL(test, bce);
	if (bce) {
		cbu_bce_snapshot(bce, &bi);
		KUNIT_EXPECT_EQ(test, bi.role, CBU_ROLE_CN);
		KUNIT_EXPECT_EQ(test, bi.b.state, CBU_BCE_KEYED);
		KUNIT_EXPECT_EQ(test, bi.lt_en, 1024U);
	}
	/* The key is the pair: the other way round is another entry. */
	KUNIT_EXPECT_NULL(test, cbu_bce_lookup(cn, &cfg.key.cn, &cfg.key.hoa));
	rcu_read_unlock();

	KUNIT_EXPECT_EQ(test, cbu_bce_del(cn, &cfg.key), 0);
	KUNIT_EXPECT_EQ(test, cbu_bce_del(cn, &cfg.key), -ENOENT);
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->entries), 0);
	rcu_read_lock();
	KUNIT_EXPECT_NULL(test, cbu_bce_lookup(cn, &cfg.key.hoa, &cfg.key.cn));
	rcu_read_unlock();
}

static void cbu_bcache_replace_keeps_binding(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	struct cbu_bce_keys keys;
	struct cbu_bce_cfg cfg;
	struct cbu_bce_info bi;
	struct cbu_bce *bce;
	u8 mac1[CBU_MAC_LEN], mac2[CBU_MAC_LEN], msg[4] = { 1, 2, 3, 4 };

	cfg_for(&cfg, 2, CBU_ROLE_CN);
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &cfg, true, false, true, NULL), 0);
	rcu_read_lock();
	bce = cbu_bce_lookup(cn, &cfg.key.hoa, &cfg.key.cn);
	KUNIT_ASSERT_NOT_NULL(test, bce);
	spin_lock_bh(&bce->lock);
	cbu_binding_bu(&bce->b, 9, 15, &coa1, jiffies);
	spin_unlock_bh(&bce->lock);
	cbu_bce_keys_get(bce, &keys);
	cbu_mac(mac1, &keys.k_bu, msg, sizeof(msg));
	rcu_read_unlock();

	/* Without NLM_F_REPLACE an existing entry is kept as it is. */
	KUNIT_EXPECT_EQ(test, cbu_bce_set(cn, &cfg, true, false, false, NULL),
			-EEXIST);
	memset(cfg.k_bu, 0x77, sizeof(cfg.k_bu));
	cfg.lt_en = 2048;
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &cfg, false, true, false, NULL),
			0);
	rcu_read_lock();
	bce = cbu_bce_lookup(cn, &cfg.key.hoa, &cfg.key.cn);
	KUNIT_ASSERT_NOT_NULL(test, bce);
	cbu_bce_keys_get(bce, &keys);
	cbu_mac(mac2, &keys.k_bu, msg, sizeof(msg));
	memzero_explicit(&keys, sizeof(keys));
	KUNIT_EXPECT_NE(test, memcmp(mac1, mac2, sizeof(mac1)), 0);
	cbu_bce_snapshot(bce, &bi);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, bi.b.state, CBU_BCE_UNCONFIRMED);
	KUNIT_EXPECT_EQ(test, bi.b.seq, 9);
	KUNIT_EXPECT_EQ(test, bi.lt_en, 2048U);

	/* A role is for life. */
	cfg.role = CBU_ROLE_MN;
	KUNIT_EXPECT_EQ(test, cbu_bce_set(cn, &cfg, false, true, false, NULL),
			-EINVAL);
}

static void cbu_bcache_capacity(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	struct cbu_bce_cfg cfg;
	int i;

	for (i = 0; i < 3; i++) {
		cfg_for(&cfg, 10 + i, CBU_ROLE_CN);
		KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &cfg, true, false, true,
						  NULL), 0);
	}
	cfg_for(&cfg, 20, CBU_ROLE_CN);
	KUNIT_EXPECT_EQ(test, cbu_bce_set(cn, &cfg, true, false, true, NULL),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->entries), 3);
	/* Freeing one makes room. */
	cfg_for(&cfg, 11, CBU_ROLE_CN);
	KUNIT_EXPECT_EQ(test, cbu_bce_del(cn, &cfg.key), 0);
	cfg_for(&cfg, 20, CBU_ROLE_CN);
	KUNIT_EXPECT_EQ(test, cbu_bce_set(cn, &cfg, true, false, true, NULL),
			0);
}

static void cbu_bcache_unbind(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	struct cbu_bce_cfg cfg;
	struct cbu_bce_info bi;
	struct cbu_bce *bce;

	cfg_for(&cfg, 3, CBU_ROLE_CN);
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &cfg, true, false, true, NULL), 0);
	rcu_read_lock();
	bce = cbu_bce_lookup(cn, &cfg.key.hoa, &cfg.key.cn);
	KUNIT_ASSERT_NOT_NULL(test, bce);
	spin_lock_bh(&bce->lock);
	cbu_binding_bu(&bce->b, 1, 15, &coa1, jiffies);
	spin_unlock_bh(&bce->lock);
	rcu_read_unlock();

	KUNIT_EXPECT_EQ(test, cbu_bce_unbind(cn, &cfg.key), 0);
	rcu_read_lock();
	bce = cbu_bce_lookup(cn, &cfg.key.hoa, &cfg.key.cn);
	KUNIT_ASSERT_NOT_NULL(test, bce);
	cbu_bce_snapshot(bce, &bi);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, bi.b.state, CBU_BCE_KEYED);
	KUNIT_EXPECT_EQ(test, bi.lifetime_left, 0U);
	KUNIT_EXPECT_EQ(test, atomic_read(&cn->entries), 1);
}

/* Bind @cfg's entry with Seq# @seq, as an accepted BU would. */
static void bind_seq(struct kunit *test, struct cbu_net *cn,
		     const struct cbu_bce_cfg *cfg, u16 seq)
{
	struct cbu_bce *bce;

	rcu_read_lock();
	bce = cbu_bce_lookup(cn, &cfg->key.hoa, &cfg->key.cn);
	KUNIT_ASSERT_NOT_NULL(test, bce);
	spin_lock_bh(&bce->lock);
	KUNIT_EXPECT_NE(test, cbu_binding_bu(&bce->b, seq, 15, &coa1, jiffies),
			CBU_BU_STALE);
	spin_unlock_bh(&bce->lock);
	rcu_read_unlock();
}

static void expect_seq(struct kunit *test, struct cbu_net *cn,
		       const struct cbu_bce_cfg *cfg, bool has, u16 seq)
{
	struct cbu_bce_info bi;
	struct cbu_bce *bce;

	rcu_read_lock();
	bce = cbu_bce_lookup(cn, &cfg->key.hoa, &cfg->key.cn);
	KUNIT_ASSERT_NOT_NULL(test, bce);
	cbu_bce_snapshot(bce, &bi);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, bi.b.has_seq, has);
	if (has)
		KUNIT_EXPECT_EQ(test, bi.b.seq, seq);
}

/* KEY_DEL and KEY_NEW with the same keys do not reopen replay. */
static void cbu_bcache_del_keeps_seq(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	struct cbu_bce_cfg cfg;
	int i;

	cfg_for(&cfg, 4, CBU_ROLE_CN);
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &cfg, true, false, true, NULL), 0);
	bind_seq(test, cn, &cfg, 9);
	KUNIT_ASSERT_EQ(test, cbu_bce_del(cn, &cfg.key), 0);
	KUNIT_EXPECT_EQ(test, cn->n_tombs, 1U);

	/* Same keys: Seq# 9 is still the last one accepted. */
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &cfg, true, false, true, NULL), 0);
	expect_seq(test, cn, &cfg, true, 9);
	KUNIT_EXPECT_EQ(test, cn->n_tombs, 0U);

	/* New keys: a clean slate. */
	KUNIT_ASSERT_EQ(test, cbu_bce_del(cn, &cfg.key), 0);
	memset(cfg.k_bu, 0x55, sizeof(cfg.k_bu));
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &cfg, true, false, true, NULL), 0);
	expect_seq(test, cn, &cfg, false, 0);
	KUNIT_ASSERT_EQ(test, cbu_bce_del(cn, &cfg.key), 0);

	/* An entry that never accepted a Seq# leaves nothing behind. */
	KUNIT_EXPECT_EQ(test, cn->n_tombs, 0U);

	/* The namespace keeps the last CBU_TOMBS_MAX, no more. */
	for (i = 0; i <= CBU_TOMBS_MAX; i++) {
		cfg_for(&cfg, 0, CBU_ROLE_CN);
		cfg.key.hoa.s6_addr[13] = i >> 8;
		cfg.key.hoa.s6_addr[14] = i & 0xff;
		KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &cfg, true, false, true,
						  NULL), 0);
		bind_seq(test, cn, &cfg, 100 + i);
		KUNIT_ASSERT_EQ(test, cbu_bce_del(cn, &cfg.key), 0);
	}
	KUNIT_EXPECT_EQ(test, cn->n_tombs, (unsigned int)CBU_TOMBS_MAX);
	/* The newest is remembered, the oldest is not. */
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &cfg, true, false, true, NULL), 0);
	expect_seq(test, cn, &cfg, true, 100 + CBU_TOMBS_MAX);
	cfg_for(&cfg, 0, CBU_ROLE_CN);
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &cfg, true, false, true, NULL), 0);
	expect_seq(test, cn, &cfg, false, 0);
}

/*
 * The tomb's fingerprint is of the keys the entry has when it goes: after a
 * KEY_SET, the new keys resume its Seq#, the ones it was made with do not.
 */
static void cbu_bcache_del_after_rekey(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	struct cbu_bce_cfg made, now;

	cfg_for(&made, 5, CBU_ROLE_CN);
	now = made;
	memset(now.k_ba, 0x66, sizeof(now.k_ba));

	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &made, true, false, true, NULL),
			0);
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &now, false, true, false, NULL),
			0);
	bind_seq(test, cn, &now, 40);
	KUNIT_ASSERT_EQ(test, cbu_bce_del(cn, &now.key), 0);
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &now, true, false, true, NULL), 0);
	expect_seq(test, cn, &now, true, 40);

	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &made, false, true, false, NULL),
			0);
	bind_seq(test, cn, &made, 41);
	KUNIT_ASSERT_EQ(test, cbu_bce_del(cn, &made.key), 0);
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &now, true, false, true, NULL), 0);
	expect_seq(test, cn, &now, false, 0);
}

/*
 * LT_EN and the maximum lifetime are kept in the BA's 4-second units, and
 * netlink gets back the seconds it set, multiples of 4 or not: a maximum
 * of 3 s is not 0, the namespace's.
 */
static void cbu_bcache_lifetimes_as_set(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	struct cbu_bce_cfg cfg;
	struct cbu_bce_info bi;
	struct cbu_bce *bce;
	u32 max;

	cfg_for(&cfg, 6, CBU_ROLE_CN);
	cfg.lt_en = 1025;
	cfg.max_lifetime = 3;
	cfg.has_max_lifetime = true;
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &cfg, true, false, true, NULL), 0);
	rcu_read_lock();
	bce = cbu_bce_lookup(cn, &cfg.key.hoa, &cfg.key.cn);
	KUNIT_ASSERT_NOT_NULL(test, bce);
	cbu_bce_snapshot(bce, &bi);
	spin_lock_bh(&bce->lock);
	KUNIT_EXPECT_EQ(test, bce->lt_en, 256);		/* the BA's LT_EN */
	max = cbu_bce_max_lifetime(bce);
	spin_unlock_bh(&bce->lock);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, bi.lt_en, 1025U);
	KUNIT_EXPECT_EQ(test, bi.max_lifetime, 3U);
	KUNIT_EXPECT_EQ(test, max, 3U);

	/* The largest netlink takes; what is not given stays. */
	cfg.lt_en = 0xffff * 4;
	cfg.max_lifetime = 0xffff * 4 - 1;
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &cfg, false, true, false, NULL),
			0);
	cfg.has_lt_en = false;
	cfg.has_max_lifetime = false;
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &cfg, false, true, false, NULL),
			0);
	rcu_read_lock();
	bce = cbu_bce_lookup(cn, &cfg.key.hoa, &cfg.key.cn);
	KUNIT_ASSERT_NOT_NULL(test, bce);
	cbu_bce_snapshot(bce, &bi);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, bi.lt_en, 0xffffU * 4);
	KUNIT_EXPECT_EQ(test, bi.max_lifetime, 0xffffU * 4 - 1);
}

/*
 * The role's fields share storage: the snapshot reads a correspondent's
 * gate and counters, a mobile node's peer, each from its own entry.
 */
static void cbu_bcache_snapshot_by_role(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	struct cbu_bce_cfg cfg_cn, cfg_mn;
	struct cbu_bce_info bi;
	struct cbu_bce *bce;

	cfg_for(&cfg_cn, 7, CBU_ROLE_CN);
	cfg_for(&cfg_mn, 8, CBU_ROLE_MN);
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &cfg_cn, true, false, true,
					  NULL), 0);
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &cfg_mn, true, false, true,
					  NULL), 0);

	rcu_read_lock();
	bce = cbu_bce_lookup(cn, &cfg_cn.key.hoa, &cfg_cn.key.cn);
	KUNIT_ASSERT_NOT_NULL(test, bce);
	spin_lock_bh(&bce->lock);
	cbu_binding_bu(&bce->b, 1, 15, &coa1, jiffies);
	KUNIT_EXPECT_EQ(test, cbu_binding_gate(&bce->b, jiffies, 3, 10, HZ),
			CBU_GATE_PASS);
	spin_unlock_bh(&bce->lock);
	atomic64_add(3, &bce->b.packets);
	atomic64_add(300, &bce->b.bytes);
	cbu_bce_snapshot(bce, &bi);
	rcu_read_unlock();
	KUNIT_EXPECT_EQ(test, bi.b.unconfirmed, 3U);
	KUNIT_EXPECT_EQ(test, bi.packets, 3ULL);
	KUNIT_EXPECT_EQ(test, bi.bytes, 300ULL);

	rcu_read_lock();
	bce = cbu_bce_lookup(cn, &cfg_mn.key.hoa, &cfg_mn.key.cn);
	KUNIT_ASSERT_NOT_NULL(test, bce);
	spin_lock_bh(&bce->lock);
	KUNIT_EXPECT_TRUE(test, cbu_binding_ba(&bce->b, 1, 15, &coa1, &peer1,
					       jiffies));
	spin_unlock_bh(&bce->lock);
	cbu_bce_snapshot(bce, &bi);
	rcu_read_unlock();
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&bi.b.peer, &peer1));
	KUNIT_EXPECT_EQ(test, bi.packets, 0ULL);
	KUNIT_EXPECT_EQ(test, bi.bytes, 0ULL);
	KUNIT_EXPECT_GE(test, bi.lifetime_left, 59U);
	KUNIT_EXPECT_LE(test, bi.lifetime_left, 60U);
}

struct cbu_rekey_ctx {
	struct cbu_net *cn;
	struct cbu_bce_cfg cfg[2];
	unsigned int sets;
	bool stop;
};

/* KEY_SET with NLM_F_REPLACE, the two key sets in turn, until told. */
static int cbu_rekey_thread(void *arg)
{
	struct cbu_rekey_ctx *c = arg;

	while (!READ_ONCE(c->stop)) {
		if (cbu_bce_set(c->cn, &c->cfg[c->sets & 1], false, true,
				false, NULL))
			break;
		WRITE_ONCE(c->sets, c->sets + 1);
		cond_resched();
	}
	while (!kthread_should_stop())
		schedule_timeout_interruptible(1);
	return 0;
}

/*
 * The keys rewritten in place while the packet path copies them: every
 * copy is one set or the other whole, never a mix (a MAC checked under
 * half of each).  The sets differ in every octet of their chaining values.
 */
static void cbu_bcache_rekey_under_readers(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	struct cbu_bce_keys want[2], got;
	unsigned int i, torn = 0, seen[2] = { 0, 0 };
	struct cbu_rekey_ctx *c;
	struct task_struct *t;
	struct cbu_bce *bce;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->cn = cn;
	for (i = 0; i < 2; i++) {
		cfg_for(&c->cfg[i], 3, CBU_ROLE_CN);
		memset(c->cfg[i].k_bu, 0x11 + i, CBU_KEY_LEN);
		memset(c->cfg[i].k_ba, 0x33 + i, CBU_KEY_LEN);
		cbu_hmac_setkey(&want[i].k_bu, c->cfg[i].k_bu, CBU_KEY_LEN);
		cbu_hmac_setkey(&want[i].k_ba, c->cfg[i].k_ba, CBU_KEY_LEN);
	}
	KUNIT_ASSERT_EQ(test, cbu_bce_set(cn, &c->cfg[0], true, false, true,
					  NULL), 0);
	t = kthread_run(cbu_rekey_thread, c, "cbu-rekey-test");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));

	for (i = 0; i < 200000 && (i < 2000 || READ_ONCE(c->sets) < 2000);
	     i++) {
		rcu_read_lock();
		bce = cbu_bce_lookup(cn, &c->cfg[0].key.hoa,
				     &c->cfg[0].key.cn);
		if (bce)
			cbu_bce_keys_get(bce, &got);
		rcu_read_unlock();
		if (!bce)
			break;
		if (!memcmp(&got, &want[0], sizeof(got)))
			seen[0]++;
		else if (!memcmp(&got, &want[1], sizeof(got)))
			seen[1]++;
		else
			torn++;
		if (!(i & 63))
			cond_resched();
	}
	WRITE_ONCE(c->stop, true);
	kthread_stop(t);
	memzero_explicit(&got, sizeof(got));
	memzero_explicit(want, sizeof(want));

	kunit_info(test, "%u copies, %u rekeys: %u of one set, %u of the other",
		   i, READ_ONCE(c->sets), seen[0], seen[1]);
	KUNIT_EXPECT_EQ(test, torn, 0U);
	KUNIT_EXPECT_GE(test, READ_ONCE(c->sets), 2000U);
	KUNIT_EXPECT_GT(test, seen[0], 0U);
	KUNIT_EXPECT_GT(test, seen[1], 0U);
}

/* The worker held still: what cbu_xfrm_sync() left on the list stays. */
static void cbu_xfrm_work_idle(struct work_struct *work)
{
}

static void cbu_rcu_noop(struct rcu_head *rcu)
{
}

/*
 * A reader under RCU may hold an entry that KEY_DEL has just unpublished
 * (cbu_xfrm_forget(), then call_rcu()): its cbu_xfrm_sync() must not put
 * the entry back on the pending list, where it would outlive its grace
 * period and the worker would read freed memory.
 */
static void cbu_bcache_sync_after_forget(struct kunit *test)
{
	struct cbu_net *cn = test->priv;
	struct cbu_bce *bce;

	INIT_WORK(&cn->xfrm_work, cbu_xfrm_work_idle);
	bce = kunit_kzalloc(test, sizeof(*bce), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, bce);
	INIT_LIST_HEAD(&bce->xfrm_node);
	bce->reqid = 7;

	/* Published: marked once, however often synced. */
	cbu_xfrm_sync(cn, bce);
	cbu_xfrm_sync(cn, bce);
	KUNIT_EXPECT_TRUE(test, list_is_singular(&cn->xfrm_pending));
	KUNIT_EXPECT_PTR_EQ(test, cn->xfrm_pending.next, &bce->xfrm_node);

	/* Unpublished: off the list, and a late sync adds nothing. */
	cbu_xfrm_forget(cn, bce);
	KUNIT_EXPECT_TRUE(test, list_empty(&cn->xfrm_pending));
	cbu_xfrm_sync(cn, bce);
	KUNIT_EXPECT_TRUE(test, list_empty(&cn->xfrm_pending));
	KUNIT_EXPECT_TRUE(test, list_empty(&bce->xfrm_node));

	/*
	 * Then freed after a grace period, its node the rcu_head's: a sync
	 * meanwhile neither adds it nor writes the node (KASAN and the RCU
	 * head's debug objects would tell).
	 */
	call_rcu(&bce->rcu, cbu_rcu_noop);
	cbu_xfrm_sync(cn, bce);
	KUNIT_EXPECT_TRUE(test, list_empty(&cn->xfrm_pending));
	rcu_barrier();
	flush_work(&cn->xfrm_work);
}

static struct kunit_case cbu_bcache_cases[] = {
	KUNIT_CASE(cbu_bcache_create_lookup_delete),
	KUNIT_CASE(cbu_bcache_replace_keeps_binding),
	KUNIT_CASE(cbu_bcache_capacity),
	KUNIT_CASE(cbu_bcache_unbind),
	KUNIT_CASE(cbu_bcache_del_keeps_seq),
	KUNIT_CASE(cbu_bcache_del_after_rekey),
	KUNIT_CASE(cbu_bcache_lifetimes_as_set),
	KUNIT_CASE(cbu_bcache_snapshot_by_role),
	KUNIT_CASE(cbu_bcache_sync_after_forget),
	KUNIT_CASE(cbu_bcache_rekey_under_readers),
	{}
};

static struct kunit_suite cbu_bcache_suite = {
	.name = "cbu_bcache",
	.suite_init = cbu_bcache_suite_init,
	.init = cbu_bcache_test_init,
	.exit = cbu_bcache_test_exit,
	.test_cases = cbu_bcache_cases,
};

kunit_test_suites(&cbu_seq_suite, &cbu_binding_suite, &cbu_bcache_suite);
