// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: created with the namespace, torn down with
 * it (see netns.h for the locking rules).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <net/netns/generic.h>

#include "bcache.h"
#include "hook.h"
#include "map.h"
#include "netns.h"
#include "xfrm.h"

static unsigned int cbu_net_id __read_mostly;

struct cbu_net *cbu_net(const struct net *net)
{
	return net_generic(net, cbu_net_id);
}

/* The counters' sums since the namespace was made. */
static void cbu_stats_sum(struct cbu_net *cn, u64 out[__CBU_STAT_MAX])
{
	int cpu, i;

	memset(out, 0, sizeof(u64) * __CBU_STAT_MAX);
	for_each_possible_cpu(cpu) {
		const struct cbu_pcpu_stats *st = per_cpu_ptr(cn->stats, cpu);
		u64 v[__CBU_STAT_MAX];
		unsigned int start;

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			for (i = 0; i < __CBU_STAT_MAX; i++)
				v[i] = u64_stats_read(&st->counter[i]);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		for (i = 0; i < __CBU_STAT_MAX; i++)
			out[i] += v[i];
	}
}

/*
 * The counters since the last reset.  A reset writes no CPU's counters
 * (only their owner may: a 32-bit reader could spin on a foreign writer's
 * seqcount); it keeps their sums as a baseline, under cn->lock.
 */
void cbu_stats_read(struct cbu_net *cn, u64 out[__CBU_STAT_MAX])
{
	int i;

	mutex_lock(&cn->lock);
	cbu_stats_sum(cn, out);
	for (i = 0; i < __CBU_STAT_MAX; i++)
		out[i] -= cn->stats_base[i];
	mutex_unlock(&cn->lock);
}

void cbu_stats_reset(struct cbu_net *cn)
{
	mutex_lock(&cn->lock);
	cbu_stats_sum(cn, cn->stats_base);
	mutex_unlock(&cn->lock);
}

static int __net_init cbu_net_init(struct net *net)
{
	struct cbu_net *cn = cbu_net(net);
	int cpu, ret;

	cn->net = net;
	mutex_init(&cn->lock);
	cn->params = (struct cbu_params){
		.bc_packets = CBU_DEFAULT_BC_PACKETS,
		.bc_timeout_ms = CBU_DEFAULT_BC_TIMEOUT_MS,
		.capacity = min(CBU_DEFAULT_CAPACITY, cbu_capacity_limit(cn)),
		.max_lifetime = CBU_DEFAULT_MAX_LIFETIME,
		.event_rate = CBU_DEFAULT_EVENT_RATE,
	};
	ratelimit_state_init(&cn->event_rs, HZ, CBU_DEFAULT_EVENT_RATE);
	ratelimit_set_flags(&cn->event_rs, RATELIMIT_MSG_ON_RELEASE);
	/* RFC 6275 9.3.3: Binding Errors are rate limited. */
	ratelimit_state_init(&cn->be_rs, HZ, 10);
	ratelimit_set_flags(&cn->be_rs, RATELIMIT_MSG_ON_RELEASE);
	INIT_DELAYED_WORK(&cn->expiry_work, cbu_expiry_work);
	INIT_DELAYED_WORK(&cn->map_expiry_work, cbu_map_expiry_work);
	cbu_xfrm_init(cn);

	cn->stats = alloc_percpu(struct cbu_pcpu_stats);
	if (!cn->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(cn->stats, cpu)->syncp);

	ret = cbu_bcache_init(cn);
	if (ret)
		goto err_stats;
	ret = cbu_mb_init(cn);
	if (ret)
		goto err_bcache;
	/* No hook, no worker until the namespace holds something. */
	cn->hooks_managed = true;
	return 0;

err_bcache:
	cbu_bcache_destroy(cn);
err_stats:
	free_percpu(cn->stats);
	return ret;
}

/*
 * The hooks are registered in a namespace while it holds cbu state (an
 * entry, a home prefix or a map) and not otherwise: a namespace that does not use
 * cbu pays nothing for it per packet.  Every change of that state holds
 * cn->lock.  A hook still running after its unregistration finds the
 * state as it is now, read under RCU: nothing it can reach is freed.
 * (KUnit's namespaces of their own leave hooks_managed false.)
 */
int cbu_hooks_want(struct cbu_net *cn)
{
	int ret;

	lockdep_assert_held(&cn->lock);
	if (!cn->hooks_managed || cn->hooks_on)
		return 0;
	ret = cbu_hooks_register(cn->net);
	if (!ret)
		cn->hooks_on = true;
	return ret;
}

/*
 * The map's POST_ROUTING hook (hook.c): registered while a map with a
 * tunnel is set, in the namespaces that hold one only.  Under cn->lock.
 */
int cbu_map_hook_want(struct cbu_net *cn)
{
	int ret;

	lockdep_assert_held(&cn->lock);
	if (!cn->hooks_managed || cn->map_hook_on)
		return 0;
	ret = cbu_map_hooks_register(cn->net);
	if (!ret)
		cn->map_hook_on = true;
	return ret;
}

void cbu_map_hook_idle(struct cbu_net *cn)
{
	const struct cbu_map *map;

	lockdep_assert_held(&cn->lock);
	map = rcu_dereference_protected(cn->map, lockdep_is_held(&cn->lock));
	if (!cn->map_hook_on || (map && map->tunnel))
		return;
	cbu_map_hooks_unregister(cn->net);
	cn->map_hook_on = false;
}

/*
 * Expiry runs every second while the namespace holds entries: the worker
 * stops when it finds none, and the next entry queues it again.  (A no-op
 * while it is queued; it may be running, finding the new entry or queued
 * again.)  Under cn->lock, after the entry is counted.
 */
void cbu_expiry_kick(struct cbu_net *cn)
{
	lockdep_assert_held(&cn->lock);
	if (cn->hooks_managed)
		queue_delayed_work(system_power_efficient_wq,
				   &cn->expiry_work, HZ);
}

void cbu_hooks_idle(struct cbu_net *cn)
{
	const struct cbu_homes *homes;

	lockdep_assert_held(&cn->lock);
	homes = rcu_dereference_protected(cn->homes, lockdep_is_held(&cn->lock));
	if (!cn->hooks_on || atomic_read(&cn->entries) || (homes && homes->n) ||
	    rcu_access_pointer(cn->map))
		return;
	cbu_hooks_unregister(cn->net);
	cn->hooks_on = false;
}

/*
 * First half of teardown, for a dying namespace and for every namespace at
 * unload: the hooks go.  A CPU may still be inside one of them (softirq,
 * under RCU); the core's synchronize_rcu() between .pre_exit and .exit
 * waits for it, so .exit frees nothing a hook can still reach.
 */
static void __net_exit cbu_net_pre_exit(struct net *net)
{
	struct cbu_net *cn = cbu_net(net);

	mutex_lock(&cn->lock);
	if (cn->hooks_on)
		cbu_hooks_unregister(net);
	if (cn->map_hook_on)
		cbu_map_hooks_unregister(net);
	cn->hooks_on = false;
	cn->map_hook_on = false;
	cn->hooks_managed = false;
	mutex_unlock(&cn->lock);
}

/*
 * Second half, after the grace period: no hook runs and no netlink command
 * can (the namespace is dying, or the family is gone at unload), so only
 * the workers are left to stop before the entries they touch are freed.
 */
static void __net_exit cbu_net_exit(struct net *net)
{
	struct cbu_net *cn = cbu_net(net);
	struct cbu_homes *homes;
	struct cbu_own *own;
	struct cbu_map *map;

	/* Marks cn->dying: the expiry worker stops coming back. */
	cbu_xfrm_flush(cn);
	cancel_delayed_work_sync(&cn->expiry_work);
	cancel_delayed_work_sync(&cn->map_expiry_work);
	cbu_bcache_destroy(cn);
	cbu_mb_destroy(cn);

	homes = rcu_dereference_protected(cn->homes, true);
	RCU_INIT_POINTER(cn->homes, NULL);
	kfree_rcu(homes, rcu);
	own = rcu_dereference_protected(cn->own, true);
	RCU_INIT_POINTER(cn->own, NULL);
	kfree_rcu(own, rcu);
	map = rcu_dereference_protected(cn->map, true);
	RCU_INIT_POINTER(cn->map, NULL);
	kfree_rcu(map, rcu);
	cbu_limiters_free(cn);
	free_percpu(cn->stats);
}

static struct pernet_operations cbu_net_ops = {
	.init = cbu_net_init,
	.pre_exit = cbu_net_pre_exit,
	.exit = cbu_net_exit,
	.id = &cbu_net_id,
	.size = sizeof(struct cbu_net),
};

int __init cbu_netns_init(void)
{
	return register_pernet_subsys(&cbu_net_ops);
}

void cbu_netns_uninit(void)
{
	unregister_pernet_subsys(&cbu_net_ops);
}
