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
#include "netns.h"
#include "xfrm.h"

static unsigned int cbu_net_id __read_mostly;

struct cbu_net *cbu_net(const struct net *net)
{
	return net_generic(net, cbu_net_id);
}

void cbu_stats_read(struct cbu_net *cn, u64 out[__CBU_STAT_MAX])
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
 * Zeroing races with increments on other CPUs; an increment that lands
 * mid-reset is lost or kept, which is all a reset can promise.
 */
void cbu_stats_reset(struct cbu_net *cn)
{
	int cpu, i;

	for_each_possible_cpu(cpu) {
		struct cbu_pcpu_stats *st = per_cpu_ptr(cn->stats, cpu);
		unsigned long flags;

		flags = u64_stats_update_begin_irqsave(&st->syncp);
		for (i = 0; i < __CBU_STAT_MAX; i++)
			u64_stats_set(&st->counter[i], 0);
		u64_stats_update_end_irqrestore(&st->syncp, flags);
	}
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
		.capacity = CBU_DEFAULT_CAPACITY,
		.max_lifetime = CBU_DEFAULT_MAX_LIFETIME,
		.event_rate = CBU_DEFAULT_EVENT_RATE,
	};
	ratelimit_state_init(&cn->event_rs, HZ, CBU_DEFAULT_EVENT_RATE);
	ratelimit_set_flags(&cn->event_rs, RATELIMIT_MSG_ON_RELEASE);
	/* RFC 6275 9.3.3: Binding Errors are rate limited. */
	ratelimit_state_init(&cn->be_rs, HZ, 10);
	ratelimit_set_flags(&cn->be_rs, RATELIMIT_MSG_ON_RELEASE);
	INIT_DELAYED_WORK(&cn->expiry_work, cbu_expiry_work);
	cbu_xfrm_init(cn);

	cn->stats = alloc_percpu(struct cbu_pcpu_stats);
	if (!cn->stats)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(cn->stats, cpu)->syncp);

	ret = cbu_bcache_init(cn);
	if (ret)
		goto err_free_stats;

	ret = cbu_hooks_register(net);
	if (ret)
		goto err_bcache;

	queue_delayed_work(system_power_efficient_wq, &cn->expiry_work, HZ);
	return 0;

err_bcache:
	cbu_bcache_destroy(cn);
err_free_stats:
	free_percpu(cn->stats);
	return ret;
}

static void __net_exit cbu_net_exit(struct net *net)
{
	struct cbu_net *cn = cbu_net(net);
	struct cbu_homes *homes;

	/*
	 * Unregistering the hooks waits for packets in flight
	 * (synchronize_net()), so nothing on the packet path can see the
	 * entries once they go.  The workers are stopped before the entries
	 * they might touch.
	 */
	cbu_hooks_unregister(net);
	WRITE_ONCE(cn->dying, true);
	cancel_delayed_work_sync(&cn->expiry_work);
	cbu_xfrm_flush(cn);
	cbu_bcache_destroy(cn);

	homes = rcu_dereference_protected(cn->homes, true);
	RCU_INIT_POINTER(cn->homes, NULL);
	kfree_rcu(homes, rcu);
	free_percpu(cn->stats);
}

static struct pernet_operations cbu_net_ops = {
	.init = cbu_net_init,
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
