// SPDX-License-Identifier: GPL-2.0
/*
 * The bindings of an HMIPv6 mobility anchor point and the checks of its
 * tunnel (see map.h for lifetime and locking rules).
 *
 * The agent forwards: per binding a route "RCoA/128 encap ip6 dst LCoA dev
 * <tunnel>" through one ip6ip6 device in collect_md ("external") mode.
 * cbu.ko checks every packet of that device against its own table, so
 * that a route left behind (an agent killed between the binding and the
 * route) carries nothing, and a mobile node cannot send from an RCoA that
 * is not bound to where it is:
 *
 * - PRE_ROUTING, decapsulated by the tunnel: the outer source (the tunnel
 *   metadata the device attached) must be the LCoA bound for the inner
 *   source, else the packet is dropped (map_spoofed);
 * - POST_ROUTING (a hook registered only while a map with a tunnel is
 *   set), routed into the tunnel: the inner destination must be a
 *   bound RCoA and the encapsulation's destination (the route's
 *   lightweight tunnel state, or metadata set by another) its LCoA, else
 *   dropped (map_unbound).
 *
 * A binding past its lifetime matches nothing, even before the expiry
 * worker has removed it.
 *
 * Link-scope traffic is not checked: ND, MLD and router solicitations of
 * the tunnel's own link (from the unspecified or a link-local address, to
 * a link-local or multicast one; the MAP's own to a multicast or
 * link-local destination).  The stack forwards none of it, the device
 * sends none of the MAP's without tunnel metadata, and both ends send it
 * as soon as their device is up.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ipv6.h>
#include <linux/jiffies.h>
#include <linux/netfilter.h>
#include <linux/slab.h>
#include <net/dst_metadata.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>

#include "map.h"
#include "netlink.h"

static const struct rhashtable_params cbu_mb_params = {
	.key_len = sizeof(struct in6_addr),
	.key_offset = offsetof(struct cbu_mb, rcoa),
	.head_offset = offsetof(struct cbu_mb, node),
	.automatic_shrinking = true,
};

int cbu_mb_init(struct cbu_net *cn)
{
	INIT_LIST_HEAD(&cn->map_list);
	cn->n_mb = 0;
	return rhashtable_init(&cn->map_bindings, &cbu_mb_params);
}

/**
 * cbu_mb_lookup - the binding of @rcoa
 * @cn: the namespace
 * @rcoa: the regional care-of address
 *
 * Context: RCU read-side critical section; the binding may be used until
 * it ends.
 */
struct cbu_mb *cbu_mb_lookup(struct cbu_net *cn, const struct in6_addr *rcoa)
{
	return rhashtable_lookup(&cn->map_bindings, rcoa, cbu_mb_params);
}

/**
 * cbu_mb_check - the rules of a binding against the map
 * @map: the map, or NULL when none is set
 * @cfg: the binding asked for
 * @extack: why not
 *
 * The addresses unicast; the RCoA inside the RCoA prefix and not the
 * MAP's own address; the LCoA outside the prefix (a mobile node there is
 * at home in the MAP's link, not away from it).
 *
 * Return: 0, or a negative errno with @extack set.
 */
int cbu_mb_check(const struct cbu_map *map, const struct cbu_mb_cfg *cfg,
		 struct netlink_ext_ack *extack)
{
	if (!map) {
		NL_SET_ERR_MSG_MOD(extack, "no map set");
		return -ENOENT;
	}
	if (!ipv6_prefix_equal(&cfg->rcoa, &map->rcoa, map->rcoa_len)) {
		NL_SET_ERR_MSG_MOD(extack, "RCoA outside the map's RCoA prefix");
		NL_SET_BAD_ATTR(extack, cfg->nla_rcoa);
		return -EINVAL;
	}
	if (ipv6_addr_equal(&cfg->rcoa, &map->addr)) {
		NL_SET_ERR_MSG_MOD(extack, "RCoA is the map's own address");
		NL_SET_BAD_ATTR(extack, cfg->nla_rcoa);
		return -EINVAL;
	}
	if (ipv6_prefix_equal(&cfg->lcoa, &map->rcoa, map->rcoa_len)) {
		NL_SET_ERR_MSG_MOD(extack, "LCoA inside the map's RCoA prefix");
		NL_SET_BAD_ATTR(extack, cfg->nla_lcoa);
		return -EINVAL;
	}
	return 0;
}

/* Unpublish, free after a grace period.  Caller holds cn->lock. */
static void cbu_mb_remove_locked(struct cbu_net *cn, struct cbu_mb *mb)
{
	lockdep_assert_held(&cn->lock);
	rhashtable_remove_fast(&cn->map_bindings, &mb->node, cbu_mb_params);
	list_del(&mb->list);
	cn->n_mb--;
	WRITE_ONCE(cn->mb_gen, cn->mb_gen + 1);
	/* A packet may still be checking it: after a grace period. */
	kfree_rcu(mb, rcu);
}

static struct cbu_mb *cbu_mb_find_locked(struct cbu_net *cn,
					 const struct in6_addr *rcoa)
{
	lockdep_assert_held(&cn->lock);
	return rhashtable_lookup_fast(&cn->map_bindings, rcoa, cbu_mb_params);
}

static void cbu_mb_set_path(struct cbu_mb *mb, const struct cbu_mb_cfg *cfg)
{
	write_seqlock_bh(&mb->lock);
	mb->lcoa = cfg->lcoa;
	mb->hoa = cfg->hoa;
	write_sequnlock_bh(&mb->lock);
}

/**
 * cbu_mb_bind - bind an RCoA, or move or refresh its binding
 * @cn: the namespace
 * @cfg: the binding
 * @extack: why not
 *
 * An RCoA bound already takes the new LCoA, HoA and lifetime (a move or a
 * refresh; its counters stay).  A new one needs room: a namespace holds at
 * most its capacity (CBU_A_PARAM_CAPACITY) of bindings, besides its binding
 * cache entries.  On error nothing has changed.
 *
 * Context: process; takes cn->lock.
 */
int cbu_mb_bind(struct cbu_net *cn, const struct cbu_mb_cfg *cfg,
		struct netlink_ext_ack *extack)
{
	unsigned long expires = jiffies + (unsigned long)cfg->lifetime * HZ;
	struct cbu_mb *mb, *new;
	int ret;

	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;

	mutex_lock(&cn->lock);
	ret = cbu_mb_check(rcu_dereference_protected(cn->map,
						     lockdep_is_held(&cn->lock)),
			   cfg, extack);
	if (ret)
		goto err_unlock;
	mb = cbu_mb_find_locked(cn, &cfg->rcoa);
	if (mb) {
		cbu_mb_set_path(mb, cfg);
		WRITE_ONCE(mb->expires, expires);
		mutex_unlock(&cn->lock);
		kfree(new);
		return 0;
	}
	if (cn->n_mb >= READ_ONCE(cn->params.capacity)) {
		NL_SET_ERR_MSG_MOD(extack, "map bindings full: raise the capacity");
		ret = -ENOSPC;
		goto err_unlock;
	}
	new->rcoa = cfg->rcoa;
	new->lcoa = cfg->lcoa;
	new->hoa = cfg->hoa;
	new->expires = expires;
	seqlock_init(&new->lock);
	ret = rhashtable_insert_fast(&cn->map_bindings, &new->node,
				     cbu_mb_params);
	if (ret)
		goto err_unlock;
	list_add_tail(&new->list, &cn->map_list);
	cn->n_mb++;
	WRITE_ONCE(cn->mb_gen, cn->mb_gen + 1);
	/* The first binding starts the expiry worker. */
	if (cn->hooks_managed && cn->n_mb == 1)
		queue_delayed_work(system_power_efficient_wq,
				   &cn->map_expiry_work, HZ);
	mutex_unlock(&cn->lock);
	return 0;

err_unlock:
	mutex_unlock(&cn->lock);
	kfree(new);
	return ret;
}

/* Remove the binding of @rcoa.  Context: process; takes cn->lock. */
int cbu_mb_unbind(struct cbu_net *cn, const struct in6_addr *rcoa)
{
	struct cbu_mb *mb;

	mutex_lock(&cn->lock);
	mb = cbu_mb_find_locked(cn, rcoa);
	if (mb)
		cbu_mb_remove_locked(cn, mb);
	mutex_unlock(&cn->lock);
	return mb ? 0 : -ENOENT;
}

/* Every binding goes, with the map.  Caller holds cn->lock. */
void cbu_mb_flush(struct cbu_net *cn)
{
	struct cbu_mb *mb, *tmp;

	lockdep_assert_held(&cn->lock);
	list_for_each_entry_safe(mb, tmp, &cn->map_list, list)
		cbu_mb_remove_locked(cn, mb);
}

void cbu_mb_snapshot(struct cbu_mb *mb, struct cbu_mb_info *info)
{
	unsigned long now = jiffies, expires = READ_ONCE(mb->expires);
	unsigned int seq;

	memset(info, 0, sizeof(*info));
	info->rcoa = mb->rcoa;
	do {
		seq = read_seqbegin(&mb->lock);
		info->lcoa = mb->lcoa;
		info->hoa = mb->hoa;
	} while (read_seqretry(&mb->lock, seq));
	if (time_before(now, expires))
		info->lifetime_left = DIV_ROUND_UP(jiffies_to_msecs(expires - now),
						   MSEC_PER_SEC);
	info->packets = atomic64_read(&mb->packets);
	info->bytes = atomic64_read(&mb->bytes);
}

/**
 * cbu_mb_expire - remove the bindings whose lifetime ran out by @now
 * @cn: the namespace
 * @now: jiffies
 *
 * Each is counted (map_expired) and told to the events group
 * (CBU_EVENT_MAP_EXPIRED), so that the agent takes its route and proxy
 * entry away.  The walk holds cn->lock (bindings are few against the
 * cache's entries, and a mutex lets it reschedule).
 *
 * Context: process.  Return: how many expired.
 */
unsigned int cbu_mb_expire(struct cbu_net *cn, unsigned long now)
{
	struct cbu_mb *mb, *tmp;
	struct cbu_mb_info info;
	unsigned int n = 0, walked = 0;

	mutex_lock(&cn->lock);
	list_for_each_entry_safe(mb, tmp, &cn->map_list, list) {
		if (++walked % 256 == 0)
			cond_resched();
		if (time_before(now, READ_ONCE(mb->expires)))
			continue;
		cbu_mb_snapshot(mb, &info);
		cbu_mb_remove_locked(cn, mb);
		cbu_stat_inc(cn, CBU_STAT_MAP_EXPIRED);
		cbu_event_map(cn, CBU_EVENT_MAP_EXPIRED, &info);
		n++;
	}
	mutex_unlock(&cn->lock);
	return n;
}

/*
 * Expiry of the map's bindings, every second while there are any: the
 * worker stops when it finds none, and the first new binding queues it
 * again (cbu_mb_bind(), under cn->lock).
 */
void cbu_map_expiry_work(struct work_struct *work)
{
	struct cbu_net *cn = container_of(to_delayed_work(work),
					  struct cbu_net, map_expiry_work);
	bool more;

	cbu_mb_expire(cn, jiffies);
	mutex_lock(&cn->lock);
	more = cn->n_mb && !READ_ONCE(cn->dying);
	if (more)
		queue_delayed_work(system_power_efficient_wq,
				   &cn->map_expiry_work, HZ);
	mutex_unlock(&cn->lock);
}

/*
 * Namespace exit: the hooks are gone and a grace period has passed since,
 * no netlink command can run and the worker has stopped.
 */
static void cbu_mb_free_now(void *ptr, void *arg)
{
	kfree(ptr);
}

void cbu_mb_destroy(struct cbu_net *cn)
{
	INIT_LIST_HEAD(&cn->map_list);
	cn->n_mb = 0;
	rhashtable_free_and_destroy(&cn->map_bindings, cbu_mb_free_now, NULL);
}

/*
 * The LCoA @mb binds now, in @lcoa; false once it is past its lifetime.
 * Context: the hook's RCU read-side section.
 */
static bool cbu_mb_lcoa(struct cbu_mb *mb, struct in6_addr *lcoa)
{
	unsigned int seq;

	if (time_after_eq(jiffies, READ_ONCE(mb->expires)))
		return false;
	do {
		seq = read_seqbegin(&mb->lock);
		*lcoa = mb->lcoa;
	} while (read_seqretry(&mb->lock, seq));
	return true;
}

static void cbu_mb_count(struct cbu_mb *mb, const struct sk_buff *skb)
{
	atomic64_add(skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1,
		     &mb->packets);
	atomic64_add(skb->len, &mb->bytes);
}

/*
 * The tunnel's outer IPv6 address of @skb's metadata in @dir (IP tunnel
 * info of TX mode for what is sent, of RX mode for what was received),
 * or NULL.
 */
static const struct in6_addr *cbu_map_outer(struct sk_buff *skb, bool tx)
{
	const struct ip_tunnel_info *info = skb_tunnel_info(skb);

	if (!info || ip_tunnel_info_af(info) != AF_INET6 ||
	    !!(info->mode & IP_TUNNEL_INFO_TX) != tx)
		return NULL;
	return tx ? &info->key.u.ipv6.dst : &info->key.u.ipv6.src;
}

/* Link-local or multicast: a destination on the tunnel's link only. */
static bool cbu_map_link_dst(const struct in6_addr *a)
{
	return ipv6_addr_type(a) & (IPV6_ADDR_LINKLOCAL | IPV6_ADDR_MULTICAST);
}

/**
 * cbu_map_rx - PRE_ROUTING: a packet the map's tunnel decapsulated
 * @cn: the namespace
 * @skb: the inner IPv6 packet; its dst is the tunnel's metadata
 *
 * Context: softirq, in the hook's RCU read-side section.
 * Return: NF_ACCEPT if it came from the LCoA bound for its source.
 */
unsigned int cbu_map_rx(struct cbu_net *cn, struct sk_buff *skb)
{
	const struct in6_addr *outer = cbu_map_outer(skb, false);
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	int stype = ipv6_addr_type(&ip6->saddr);
	struct in6_addr lcoa;
	struct cbu_mb *mb;

	if ((stype == IPV6_ADDR_ANY || stype & IPV6_ADDR_LINKLOCAL) &&
	    cbu_map_link_dst(&ip6->daddr))
		return NF_ACCEPT;
	mb = cbu_mb_lookup(cn, &ip6->saddr);
	if (!outer || !mb || !cbu_mb_lcoa(mb, &lcoa) ||
	    !ipv6_addr_equal(outer, &lcoa)) {
		cbu_stat_inc(cn, CBU_STAT_MAP_SPOOFED);
		return NF_DROP;
	}
	cbu_mb_count(mb, skb);
	return NF_ACCEPT;
}

/**
 * cbu_map_tx - POST_ROUTING: a packet routed into the map's tunnel
 * @cn: the namespace
 * @skb: the IPv6 packet; its route says where the tunnel sends it
 *
 * Context: softirq or process with BH off, in the hook's RCU read-side
 * section.  Return: NF_ACCEPT if it goes to a bound RCoA at its LCoA.
 */
unsigned int cbu_map_tx(struct cbu_net *cn, struct sk_buff *skb)
{
	const struct in6_addr *outer = cbu_map_outer(skb, true);
	struct in6_addr lcoa;
	struct cbu_mb *mb;

	if (cbu_map_link_dst(&ipv6_hdr(skb)->daddr))
		return NF_ACCEPT;
	mb = cbu_mb_lookup(cn, &ipv6_hdr(skb)->daddr);
	if (!outer || !mb || !cbu_mb_lcoa(mb, &lcoa) ||
	    !ipv6_addr_equal(outer, &lcoa)) {
		cbu_stat_inc(cn, CBU_STAT_MAP_UNBOUND);
		return NF_DROP;
	}
	cbu_mb_count(mb, skb);
	return NF_ACCEPT;
}
