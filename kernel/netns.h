/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state of cbu.ko.
 *
 * Locking: @lock (a mutex) serialises everything that changes the set of
 * entries or home prefixes: netlink commands, the expiry worker and
 * namespace exit.  The packet path takes no lock of its own beyond an
 * entry's binding spinlock: it reads the table and the prefixes under RCU,
 * the parameters with READ_ONCE() and counts in per-CPU counters.
 */
#ifndef _CBU_NETNS_H
#define _CBU_NETNS_H

#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/rhashtable.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "cbu.h"

struct cbu_params {
	u32 bc_packets;
	u32 bc_timeout_ms;
	u32 capacity;
	u32 max_lifetime;
	u32 event_rate;
};

#define CBU_DEFAULT_BC_PACKETS		10
#define CBU_DEFAULT_BC_TIMEOUT_MS	10000
#define CBU_DEFAULT_CAPACITY		65536
#define CBU_DEFAULT_MAX_LIFETIME	420
#define CBU_DEFAULT_EVENT_RATE		10

struct cbu_pcpu_stats {
	u64_stats_t counter[__CBU_STAT_MAX];
	struct u64_stats_sync syncp;
};

/* The home prefixes a home agent serves: replaced whole under RCU. */
struct cbu_homes {
	struct rcu_head rcu;
	unsigned int n;
	struct {
		struct in6_addr prefix;
		u8 len;
	} p[];
};

#define CBU_HOMES_MAX	64

struct cbu_net {
	struct net *net;
	struct mutex lock;		/* writers of entries and homes */
	struct rhashtable bcache;	/* struct cbu_bce by (HoA, CN) */
	struct list_head entries_list;	/* the same entries, for walks */
	unsigned int gen;		/* bumped at every change of the set */
	atomic_t entries;
	struct cbu_params params;
	struct cbu_pcpu_stats __percpu *stats;
	struct cbu_homes __rcu *homes;
	struct ratelimit_state event_rs;	/* MAC failure events */
	struct ratelimit_state be_rs;		/* Binding Errors sent */
	struct delayed_work expiry_work;
	struct work_struct migrate_work;
	spinlock_t migrate_lock;		/* protects migrate_list */
	struct list_head migrate_list;
	bool dying;				/* namespace exit has begun */
};

struct cbu_net *cbu_net(const struct net *net);

int cbu_netns_init(void);
void cbu_netns_uninit(void);

/* Counted from softirq and from workers alike, hence the irqsave. */
static inline void cbu_stat_inc(struct cbu_net *cn, enum cbu_stat s)
{
	struct cbu_pcpu_stats *st = get_cpu_ptr(cn->stats);
	unsigned long flags;

	flags = u64_stats_update_begin_irqsave(&st->syncp);
	u64_stats_inc(&st->counter[s]);
	u64_stats_update_end_irqrestore(&st->syncp, flags);
	put_cpu_ptr(cn->stats);
}

void cbu_stats_read(struct cbu_net *cn, u64 out[__CBU_STAT_MAX]);
void cbu_stats_reset(struct cbu_net *cn);

#endif /* _CBU_NETNS_H */
