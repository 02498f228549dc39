// SPDX-License-Identifier: GPL-2.0
/*
 * Per-source token buckets (see limit.h).
 *
 * Rates: a mobile node registers and asks its home agent for route
 * optimization with a few messages a second, more when it starts with many
 * correspondents at once; a correspondent answers a BU out of sequence so
 * that the mobile node can resynchronise, once is enough.  A source over
 * its rate is dropped and counted (mh_limited, ba_limited).
 */
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "limit.h"
#include "netns.h"

static const struct {
	u32 rate;	/* a second */
	u32 burst;
} cbu_limit_rates[__CBU_LIMIT_MAX] = {
	[CBU_LIMIT_MH] = { .rate = 32, .burst = 64 },
	[CBU_LIMIT_BA] = { .rate = 4, .burst = 8 },
};

static siphash_key_t cbu_limit_key __read_mostly;

void cbu_limit_module_init(void)
{
	get_random_bytes(&cbu_limit_key, sizeof(cbu_limit_key));
}

int cbu_limiter_make(struct cbu_net *cn, enum cbu_limit_kind kind)
{
	u32 full = cbu_limit_rates[kind].burst * HZ;
	struct cbu_limiter *l;
	unsigned int i, w;

	lockdep_assert_held(&cn->lock);
	if (rcu_access_pointer(cn->limiter[kind]))
		return 0;
	l = kzalloc(sizeof(*l), GFP_KERNEL_ACCOUNT);
	if (!l)
		return -ENOMEM;
	for (i = 0; i < CBU_LIMIT_SETS; i++) {
		spin_lock_init(&l->set[i].lock);
		for (w = 0; w < CBU_LIMIT_WAYS; w++) {
			l->set[i].way[w].tokens = full;
			l->set[i].way[w].stamp = jiffies;
		}
	}
	rcu_assign_pointer(cn->limiter[kind], l);
	return 0;
}

void cbu_limiters_free(struct cbu_net *cn)
{
	unsigned int k;

	for (k = 0; k < __CBU_LIMIT_MAX; k++) {
		kfree_rcu(rcu_dereference_protected(cn->limiter[k], true), rcu);
		RCU_INIT_POINTER(cn->limiter[k], NULL);
	}
}

bool cbu_limit_allow(struct cbu_net *cn, enum cbu_limit_kind kind,
		     const struct in6_addr *src)
{
	u32 rate = cbu_limit_rates[kind].rate;
	u32 full = cbu_limit_rates[kind].burst * HZ;
	unsigned long now = jiffies, elapsed;
	struct cbu_limit_way *way, *w;
	struct cbu_limiter *l;
	struct cbu_limit_set *set;
	u64 a[2];
	bool ok;

	l = rcu_dereference(cn->limiter[kind]);
	if (!l)
		return true;	/* never made: nothing of @kind is served */
	memcpy(a, src, sizeof(a));
	set = &l->set[siphash_3u64(a[0], a[1], kind, &cbu_limit_key) %
		      CBU_LIMIT_SETS];

	spin_lock(&set->lock);
	way = &set->way[0];
	for (w = set->way; w < set->way + CBU_LIMIT_WAYS; w++) {
		if (ipv6_addr_equal(&w->src, src)) {
			way = w;
			goto found;
		}
		if (time_before(w->stamp, way->stamp))
			way = w;
	}
	/* A new source: the least recently seen one's way, full. */
	way->src = *src;
	way->tokens = full;
	way->stamp = now;
found:
	/* Refill: @rate messages a second, each worth HZ tokens. */
	elapsed = min_t(unsigned long, now - way->stamp, full / rate + 1);
	way->stamp = now;
	way->tokens = min_t(u32, full, way->tokens + (u32)elapsed * rate);
	ok = way->tokens >= HZ;
	if (ok)
		way->tokens -= HZ;
	spin_unlock(&set->lock);
	return ok;
}
