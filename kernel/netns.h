/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per network namespace state of cbu.ko.
 *
 * Locking: @lock (a mutex) serialises everything that changes the set of
 * entries, home prefixes, own addresses, the map or its bindings: netlink
 * commands, the expiry workers and namespace exit.  The packet path takes no lock of its
 * own beyond an entry's binding spinlock: it reads the table, the
 * prefixes, the own addresses and the map under RCU,
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
#include "limit.h"

struct cbu_params {
	u32 bc_packets;
	u32 bc_timeout_ms;
	u32 capacity;
	u32 max_lifetime;
	u32 event_rate;
};

#define CBU_DEFAULT_BC_PACKETS		10
#define CBU_DEFAULT_BC_TIMEOUT_MS	10000
#define CBU_BC_TIMEOUT_MAX_MS		3600000
#define CBU_DEFAULT_CAPACITY		65536
#define CBU_CAPACITY_MAX		BIT(24)
/*
 * Any user can own a network namespace (unshare -Urn) and has
 * CAP_NET_ADMIN in it: one owned by a user namespace other than the initial
 * one holds at most this many entries (about 4 MiB), whatever its
 * capacity.  Its memory is also charged to the user's memory cgroup.
 */
#define CBU_USERNS_CAPACITY_MAX		4096
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

/*
 * A mobile correspondent's own addresses (draft section 4): replaced
 * whole under RCU, written under cn->lock.
 */
struct cbu_own {
	struct rcu_head rcu;
	struct in6_addr hoa;
	struct in6_addr coa;
};

/*
 * An HMIPv6 mobility anchor point (CBU_CMD_MAP_SET): replaced whole under
 * RCU, written under cn->lock; the packet path reads it in the hook's RCU
 * read-side section.  The ifindexes are numbers, not references (no
 * device is held): a domain interface that goes away matches no packet
 * until a device takes its index again (the core hands out new indexes
 * in increasing order, but one moved in keeps its own), which is the
 * agent's to watch: it sets the map again.
 */
struct cbu_map {
	struct rcu_head rcu;
	struct in6_addr addr;
	struct in6_addr rcoa;		/* host bits clear */
	u8 rcoa_len;
	u8 n_ifs;
	int tunnel;			/* 0: none: nothing is checked */
	int ifindex[CBU_MAP_INTERFACES_MAX];
};

/* Is @ifindex one of @map's domain interfaces? */
static inline bool cbu_map_domain(const struct cbu_map *map, int ifindex)
{
	unsigned int i;

	for (i = 0; i < map->n_ifs; i++)
		if (map->ifindex[i] == ifindex)
			return true;
	return false;
}

struct cbu_net {
	struct net *net;
	struct mutex lock;		/* writers of entries and homes */
	struct rhashtable bcache;	/* struct cbu_bce by (HoA, CN) */
	struct list_head tombs;		/* struct cbu_tomb, newest first */
	unsigned int n_tombs;
	unsigned int gen;		/* bumped at every change of the set */
	atomic_t entries;
	struct cbu_params params;
	struct cbu_pcpu_stats __percpu *stats;
	u64 stats_base[__CBU_STAT_MAX];	/* at the last reset; under @lock */
	struct cbu_homes __rcu *homes;
	struct cbu_own __rcu *own;
	struct cbu_map __rcu *map;
	/* The map's bindings (map.c): struct cbu_mb by RCoA, and a list. */
	struct rhashtable map_bindings;
	struct list_head map_list;	/* under @lock */
	unsigned int n_mb;		/* under @lock */
	unsigned int mb_gen;		/* bumped at every change of the set */
	struct delayed_work map_expiry_work;
	struct ratelimit_state event_rs;	/* MAC failure events */
	struct ratelimit_state be_rs;		/* Binding Errors sent */
	/* Per source (limit.h), made on first need: under @lock, RCU. */
	struct cbu_limiter __rcu *limiter[__CBU_LIMIT_MAX];
	struct delayed_work expiry_work;
	struct work_struct xfrm_work;
	/* Protects xfrm_pending, every entry's xfrm_node and xfrm_gone. */
	spinlock_t xfrm_lock;
	/* Entries whose data path must follow their binding (xfrm.c). */
	struct list_head xfrm_pending;
	bool dying;		/* exit has begun: set under xfrm_lock */
	bool hooks_on;		/* the hooks are registered; under @lock */
	bool hooks_managed;	/* they follow the state (netns.c); @lock */
	bool map_hook_on;	/* the map's POST_ROUTING hook; under @lock */
};

struct cbu_net *cbu_net(const struct net *net);

/* Hooks while the namespace holds state; under cn->lock (netns.c). */
int cbu_hooks_want(struct cbu_net *cn);
void cbu_hooks_idle(struct cbu_net *cn);
int cbu_map_hook_want(struct cbu_net *cn);
void cbu_map_hook_idle(struct cbu_net *cn);
void cbu_expiry_kick(struct cbu_net *cn);

/* The most @cn's capacity may be set to (see CBU_USERNS_CAPACITY_MAX). */
static inline u32 cbu_capacity_limit(const struct cbu_net *cn)
{
	return cn->net->user_ns == &init_user_ns ? CBU_CAPACITY_MAX :
	       CBU_USERNS_CAPACITY_MAX;
}

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

/* Since the last reset.  Context: process; take cn->lock. */
void cbu_stats_read(struct cbu_net *cn, u64 out[__CBU_STAT_MAX]);
void cbu_stats_reset(struct cbu_net *cn);

#endif /* _CBU_NETNS_H */
