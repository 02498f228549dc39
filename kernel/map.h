/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bindings of an HMIPv6 mobility anchor point (design hmip.md item
 * 54): RCoA -> LCoA, written by the agent after its checks, and the two
 * checks of the map's tunnel device that make this table the authority
 * over what the agent's routes carry.
 *
 * Lifetime: a binding is published in the namespace's rhashtable (by
 * RCoA) and on its list under cn->lock.  The packet path finds it under
 * RCU and uses it until the end of its RCU section; nothing else keeps a
 * pointer to it.  Removal (unbind, expiry, map deletion, namespace exit)
 * unpublishes it under cn->lock and frees it after a grace period.
 *
 * A move changes @lcoa and @hoa in place under @lock, a seqlock (writers
 * hold cn->lock as well, and disable BH; readers in softirq retry), so a
 * packet sees one LCoA or the other, never a mix; @expires is written
 * under cn->lock with WRITE_ONCE() and read without it.
 */
#ifndef _CBU_MAP_H
#define _CBU_MAP_H

#include <linux/in6.h>
#include <linux/netlink.h>
#include <linux/rhashtable.h>
#include <linux/seqlock.h>
#include <linux/skbuff.h>

#include "netns.h"

struct cbu_mb {
	struct rhash_head node;
	struct in6_addr rcoa;		/* key */
	struct list_head list;		/* on cn->map_list, under cn->lock */
	struct rcu_head rcu;
	seqlock_t lock;			/* @lcoa and @hoa */
	struct in6_addr lcoa;
	struct in6_addr hoa;
	unsigned long expires;		/* jiffies */
	atomic64_t packets;
	atomic64_t bytes;
};

/*
 * What MAP_BIND asks for; the request's attributes, to point at a refused
 * one (NULL outside netlink).
 */
struct cbu_mb_cfg {
	struct in6_addr rcoa;
	struct in6_addr lcoa;
	struct in6_addr hoa;
	u32 lifetime;			/* seconds, 1..CBU_LIFETIME_MAX */
	const struct nlattr *nla_rcoa;
	const struct nlattr *nla_lcoa;
};

/* A snapshot of a binding, for netlink and events. */
struct cbu_mb_info {
	struct in6_addr rcoa;
	struct in6_addr lcoa;
	struct in6_addr hoa;
	u32 lifetime_left;		/* seconds */
	u64 packets;
	u64 bytes;
};

/* The most the 16-bit wire lifetimes can say, in seconds. */
#define CBU_LIFETIME_MAX	(0xffff * 4)

int cbu_mb_init(struct cbu_net *cn);
void cbu_mb_destroy(struct cbu_net *cn);

int cbu_mb_check(const struct cbu_map *map, const struct cbu_mb_cfg *cfg,
		 struct netlink_ext_ack *extack);
int cbu_mb_bind(struct cbu_net *cn, const struct cbu_mb_cfg *cfg,
		struct netlink_ext_ack *extack);
int cbu_mb_unbind(struct cbu_net *cn, const struct in6_addr *rcoa);
void cbu_mb_flush(struct cbu_net *cn);
struct cbu_mb *cbu_mb_lookup(struct cbu_net *cn, const struct in6_addr *rcoa);
void cbu_mb_snapshot(struct cbu_mb *mb, struct cbu_mb_info *info);
unsigned int cbu_mb_expire(struct cbu_net *cn, unsigned long now);
void cbu_map_expiry_work(struct work_struct *work);

/* The checks of the map's tunnel (hook.c); return a netfilter verdict. */
unsigned int cbu_map_rx(struct cbu_net *cn, struct sk_buff *skb);
unsigned int cbu_map_tx(struct cbu_net *cn, struct sk_buff *skb);

#endif /* _CBU_MAP_H */
