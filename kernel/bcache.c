// SPDX-License-Identifier: GPL-2.0
/*
 * The binding cache (see bcache.h for lifetime and locking rules).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "bcache.h"
#include "mh.h"
#include "netlink.h"
#include "xfrm.h"

/*
 * Entries and their keys have caches of their own: /proc/slabinfo shows
 * them (with slab_nomerge), and kmem_cache_destroy() at unload complains
 * of any that leaked.
 */
static struct kmem_cache *cbu_bce_cache __read_mostly;
static struct kmem_cache *cbu_keys_cache __read_mostly;

/*
 * Idempotent: on 6.1 KUnit runs a module's suites before its init, so the
 * cache suite makes the caches itself (tests/bcache_kunit.c).
 */
int cbu_bcache_module_init(void)
{
	if (cbu_bce_cache)
		return 0;
	cbu_bce_cache = KMEM_CACHE(cbu_bce, 0);
	if (!cbu_bce_cache)
		return -ENOMEM;
	cbu_keys_cache = KMEM_CACHE(cbu_bce_keys, 0);
	if (!cbu_keys_cache) {
		kmem_cache_destroy(cbu_bce_cache);
		return -ENOMEM;
	}
	return 0;
}

/* After rcu_barrier(): no entry is left in flight. */
void cbu_bcache_module_exit(void)
{
	kmem_cache_destroy(cbu_keys_cache);
	kmem_cache_destroy(cbu_bce_cache);
}

static void cbu_bce_keys_free(struct cbu_bce_keys *keys)
{
	if (!keys)
		return;
	memzero_explicit(keys, sizeof(*keys));
	kmem_cache_free(cbu_keys_cache, keys);
}

static const struct rhashtable_params cbu_bce_params = {
	.key_len = sizeof(struct cbu_bce_key),
	.key_offset = offsetof(struct cbu_bce, key),
	.head_offset = offsetof(struct cbu_bce, node),
	.automatic_shrinking = true,
};

int cbu_bcache_init(struct cbu_net *cn)
{
	INIT_LIST_HEAD(&cn->entries_list);
	atomic_set(&cn->entries, 0);
	return rhashtable_init(&cn->bcache, &cbu_bce_params);
}

static void cbu_bce_keys_free_rcu(struct rcu_head *rcu)
{
	cbu_bce_keys_free(container_of(rcu, struct cbu_bce_keys, rcu));
}

static void cbu_bce_free_rcu(struct rcu_head *rcu)
{
	struct cbu_bce *bce = container_of(rcu, struct cbu_bce, rcu);

	/* No reader is left: the keys go with the entry, wiped. */
	cbu_bce_keys_free(rcu_dereference_protected(bce->keys, true));
	kmem_cache_free(cbu_bce_cache, bce);
}

/**
 * cbu_bce_lookup - find the entry of (@hoa, @cnaddr)
 * @cn: the namespace
 * @hoa: the home address
 * @cnaddr: the correspondent's address
 *
 * Context: RCU read-side critical section (the packet path, or any caller
 * holding rcu_read_lock()); the entry may be used until it ends.
 */
struct cbu_bce *cbu_bce_lookup(struct cbu_net *cn, const struct in6_addr *hoa,
			       const struct in6_addr *cnaddr)
{
	struct cbu_bce_key key = { .hoa = *hoa, .cn = *cnaddr };

	return rhashtable_lookup(&cn->bcache, &key, cbu_bce_params);
}

static struct cbu_bce_keys *cbu_bce_keys_new(const struct cbu_bce_cfg *cfg)
{
	struct cbu_bce_keys *keys;

	keys = kmem_cache_zalloc(cbu_keys_cache, GFP_KERNEL);
	if (!keys)
		return NULL;
	cbu_hmac_setkey(&keys->k_bu, cfg->k_bu, CBU_KEY_LEN);
	cbu_hmac_setkey(&keys->k_ba, cfg->k_ba, CBU_KEY_LEN);
	return keys;
}

static struct cbu_bce *cbu_bce_find_locked(struct cbu_net *cn,
					   const struct cbu_bce_key *key)
{
	lockdep_assert_held(&cn->lock);
	return rhashtable_lookup_fast(&cn->bcache, key, cbu_bce_params);
}

/* Unpublish, free after a grace period.  Caller holds cn->lock. */
static void cbu_bce_remove_locked(struct cbu_net *cn, struct cbu_bce *bce)
{
	lockdep_assert_held(&cn->lock);
	rhashtable_remove_fast(&cn->bcache, &bce->node, cbu_bce_params);
	list_del(&bce->list);
	bce->dead = true;
	atomic_dec(&cn->entries);
	cn->gen++;
	call_rcu(&bce->rcu, cbu_bce_free_rcu);
}

/**
 * cbu_bce_set - install an entry's keys, or replace them
 * @cn: the namespace
 * @cfg: the keys and settings
 * @create: a new entry may be made (KEY_NEW)
 * @replace: an existing entry may be changed (KEY_SET)
 * @excl: an existing entry is an error (KEY_NEW)
 * @extack: for the reason of a refusal
 *
 * Replacing keeps the binding: the agent re-installs keys after a restart
 * without disturbing traffic.  On error nothing has changed.
 *
 * Context: process; takes cn->lock.
 */
int cbu_bce_set(struct cbu_net *cn, const struct cbu_bce_cfg *cfg,
		bool create, bool replace, bool excl,
		struct netlink_ext_ack *extack)
{
	struct cbu_bce_keys *keys, *old;
	struct cbu_bce *bce;
	int ret;

	keys = cbu_bce_keys_new(cfg);
	if (!keys)
		return -ENOMEM;

	mutex_lock(&cn->lock);
	bce = cbu_bce_find_locked(cn, &cfg->key);
	if (bce) {
		if (excl || !replace) {
			NL_SET_ERR_MSG_MOD(extack, "binding cache entry exists");
			ret = -EEXIST;
			goto err_unlock;
		}
		if (bce->role != cfg->role) {
			NL_SET_ERR_MSG_MOD(extack,
					   "cannot change the role of an entry");
			ret = -EINVAL;
			goto err_unlock;
		}
		old = rcu_replace_pointer(bce->keys, keys,
					  lockdep_is_held(&cn->lock));
		call_rcu(&old->rcu, cbu_bce_keys_free_rcu);
		spin_lock_bh(&bce->lock);
		if (cfg->has_lt_en)
			WRITE_ONCE(bce->lt_en, cfg->lt_en);
		if (cfg->has_max_lifetime)
			WRITE_ONCE(bce->max_lifetime, cfg->max_lifetime);
		if (cfg->has_reqid)
			WRITE_ONCE(bce->reqid, cfg->reqid);
		spin_unlock_bh(&bce->lock);
		mutex_unlock(&cn->lock);
		return 0;
	}

	if (!create) {
		NL_SET_ERR_MSG_MOD(extack, "no such binding cache entry");
		ret = -ENOENT;
		goto err_unlock;
	}
	if (atomic_read(&cn->entries) >= READ_ONCE(cn->params.capacity)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "binding cache full: raise its capacity");
		ret = -ENOSPC;
		goto err_unlock;
	}

	bce = kmem_cache_zalloc(cbu_bce_cache, GFP_KERNEL);
	if (!bce) {
		ret = -ENOMEM;
		goto err_unlock;
	}
	bce->key = cfg->key;
	bce->cn = cn;
	bce->role = cfg->role;
	bce->lt_en = cfg->lt_en;
	bce->max_lifetime = cfg->max_lifetime;
	bce->reqid = cfg->reqid;
	spin_lock_init(&bce->lock);
	bce->b.state = CBU_BCE_KEYED;
	RCU_INIT_POINTER(bce->keys, keys);

	ret = rhashtable_insert_fast(&cn->bcache, &bce->node, cbu_bce_params);
	if (ret) {
		kmem_cache_free(cbu_bce_cache, bce);
		goto err_unlock;
	}
	list_add_tail(&bce->list, &cn->entries_list);
	atomic_inc(&cn->entries);
	cn->gen++;
	mutex_unlock(&cn->lock);
	return 0;

err_unlock:
	mutex_unlock(&cn->lock);
	cbu_bce_keys_free(keys);
	return ret;
}

/* Delete an entry, its keys and its binding.  Context: process. */
int cbu_bce_del(struct cbu_net *cn, const struct cbu_bce_key *key)
{
	struct cbu_bce_info info;
	struct cbu_bce *bce;

	mutex_lock(&cn->lock);
	bce = cbu_bce_find_locked(cn, key);
	if (!bce) {
		mutex_unlock(&cn->lock);
		return -ENOENT;
	}
	cbu_bce_snapshot(bce, &info);
	cbu_bce_remove_locked(cn, bce);
	mutex_unlock(&cn->lock);
	if (info.b.state != CBU_BCE_KEYED)
		cbu_event(cn, CBU_EVENT_DELETED, &info);
	return 0;
}

/* Drop an entry's binding; its keys stay.  Context: process. */
int cbu_bce_unbind(struct cbu_net *cn, const struct cbu_bce_key *key)
{
	struct cbu_bce_info info;
	struct cbu_bce *bce;
	bool was_bound;

	mutex_lock(&cn->lock);
	bce = cbu_bce_find_locked(cn, key);
	if (!bce) {
		mutex_unlock(&cn->lock);
		return -ENOENT;
	}
	spin_lock_bh(&bce->lock);
	was_bound = bce->b.state != CBU_BCE_KEYED;
	bce->b.state = CBU_BCE_KEYED;
	spin_unlock_bh(&bce->lock);
	cbu_bce_snapshot(bce, &info);
	mutex_unlock(&cn->lock);
	if (was_bound)
		cbu_event(cn, CBU_EVENT_DELETED, &info);
	return 0;
}

void cbu_bce_snapshot(struct cbu_bce *bce, struct cbu_bce_info *info)
{
	unsigned long now = jiffies;

	memset(info, 0, sizeof(*info));
	info->key = bce->key;
	info->role = bce->role;
	spin_lock_bh(&bce->lock);
	info->lt_en = bce->lt_en;
	info->max_lifetime = bce->max_lifetime;
	info->reqid = bce->reqid;
	info->b = bce->b;
	spin_unlock_bh(&bce->lock);
	if (info->b.state != CBU_BCE_KEYED && time_before(now, info->b.expires))
		info->lifetime_left = jiffies_to_msecs(info->b.expires - now) /
				      MSEC_PER_SEC;
	info->packets = atomic64_read(&bce->packets);
	info->bytes = atomic64_read(&bce->bytes);
	info->updates = atomic64_read(&bce->updates);
}

/**
 * cbu_binding_bu - apply an authenticated BU (correspondent)
 * @b: the binding
 * @seq: its Seq#
 * @lt_ba: the lifetime granted, 4-second units; 0 deletes
 * @coa: its source, the care-of address
 * @now: jiffies
 *
 * The Seq# must come after the last one accepted, modulo 2^16 (RFC 6275
 * 9.5.1), which is kept across bindings while the keys live.  A new or
 * moved CoA must be confirmed by a BC again; a refresh of a confirmed CoA
 * stays confirmed.
 */
enum cbu_bu_result cbu_binding_bu(struct cbu_binding *b, u16 seq, u16 lt_ba,
				  const struct in6_addr *coa,
				  unsigned long now)
{
	bool bound = b->state != CBU_BCE_KEYED;
	bool same = bound && ipv6_addr_equal(&b->coa, coa);

	if (b->has_seq && !cbu_seq_after(seq, b->seq))
		return CBU_BU_STALE;
	b->seq = seq;
	b->has_seq = true;

	if (!lt_ba) {
		b->state = CBU_BCE_KEYED;
		return bound ? CBU_BU_DELETED : CBU_BU_NOTHING;
	}
	b->expires = now + (unsigned long)lt_ba * 4 * HZ;
	if (same && b->state == CBU_BCE_CONFIRMED)
		return CBU_BU_REFRESHED;
	b->coa = *coa;
	b->state = CBU_BCE_UNCONFIRMED;
	b->bound_at = now;
	b->unconfirmed = 0;
	if (!bound)
		return CBU_BU_CREATED;
	return same ? CBU_BU_REFRESHED : CBU_BU_MOVED;
}

/*
 * A BC confirms the binding of the BU it answers: same Seq#, same CoA.  A
 * binding stopped for want of one is confirmed as well.
 */
bool cbu_binding_bc(struct cbu_binding *b, u16 seq,
		    const struct in6_addr *coa)
{
	if ((b->state != CBU_BCE_UNCONFIRMED && b->state != CBU_BCE_STOPPED) ||
	    !b->has_seq || b->seq != seq || !ipv6_addr_equal(&b->coa, coa))
		return false;
	b->state = CBU_BCE_CONFIRMED;
	return true;
}

/* Mobile node: an accepting BA binds @coa, newest Seq# only. */
bool cbu_binding_ba(struct cbu_binding *b, u16 seq, u16 lt_ba,
		    const struct in6_addr *coa, unsigned long now)
{
	if (b->has_seq && !cbu_seq_after(seq, b->seq))
		return false;
	b->seq = seq;
	b->has_seq = true;
	b->coa = *coa;
	b->state = lt_ba ? CBU_BCE_CONFIRMED : CBU_BCE_KEYED;
	b->expires = now + (unsigned long)lt_ba * 4 * HZ;
	return true;
}

/*
 * Draft section 3: "If the CN can not receive the proper BC after a certain
 * amount of traffics, e.g 10 packets or 10 seconds, the traffic between CN
 * and the new CoA will be stopped."  @bc_packets packets pass, the next
 * one stops the binding; so does any packet after @bc_timeout.
 */
enum cbu_gate cbu_binding_gate(struct cbu_binding *b, unsigned long now,
			       u32 bc_packets, unsigned long bc_timeout)
{
	switch (b->state) {
	case CBU_BCE_CONFIRMED:
		return CBU_GATE_PASS;
	case CBU_BCE_STOPPED:
		return CBU_GATE_DROP;
	case CBU_BCE_UNCONFIRMED:
		if (b->unconfirmed >= bc_packets ||
		    time_after_eq(now, b->bound_at + bc_timeout)) {
			b->state = CBU_BCE_STOPPED;
			return CBU_GATE_STOP;
		}
		b->unconfirmed++;
		return CBU_GATE_PASS;
	default:
		return CBU_GATE_OTHER;
	}
}

/*
 * Time passing: a binding whose lifetime ran out goes back to KEYED; an
 * unconfirmed one past the BC timeout stops, traffic or not.
 */
enum cbu_event cbu_binding_tick(struct cbu_binding *b, unsigned long now,
				unsigned long bc_timeout, u8 role)
{
	if (b->state == CBU_BCE_KEYED)
		return 0;
	if (time_after_eq(now, b->expires)) {
		b->state = CBU_BCE_KEYED;
		return CBU_EVENT_EXPIRED;
	}
	if (b->state == CBU_BCE_UNCONFIRMED && role == CBU_ROLE_CN &&
	    time_after_eq(now, b->bound_at + bc_timeout)) {
		b->state = CBU_BCE_STOPPED;
		return CBU_EVENT_BC_TIMEOUT;
	}
	return 0;
}

/* Expiry and BC timeouts, every second while the namespace lives. */
void cbu_expiry_work(struct work_struct *work)
{
	struct cbu_net *cn = container_of(to_delayed_work(work),
					  struct cbu_net, expiry_work);
	unsigned long timeout;
	struct cbu_bce_info info;
	struct cbu_bce *bce;
	enum cbu_event ev;

	timeout = msecs_to_jiffies(READ_ONCE(cn->params.bc_timeout_ms));
	mutex_lock(&cn->lock);
	list_for_each_entry(bce, &cn->entries_list, list) {
		spin_lock_bh(&bce->lock);
		ev = cbu_binding_tick(&bce->b, jiffies, timeout, bce->role);
		spin_unlock_bh(&bce->lock);
		if (!ev)
			continue;
		cbu_bce_snapshot(bce, &info);
		if (ev == CBU_EVENT_EXPIRED) {
			cbu_stat_inc(cn, CBU_STAT_EXPIRED);
			cbu_xfrm_remove(cn, &info);
		} else {
			cbu_stat_inc(cn, CBU_STAT_BC_TIMEOUT);
		}
		cbu_event(cn, ev, &info);
	}
	mutex_unlock(&cn->lock);
	if (!READ_ONCE(cn->dying))
		queue_delayed_work(system_power_efficient_wq, &cn->expiry_work,
				   HZ);
}

/*
 * Namespace exit: the hooks are gone, no netlink command can run and the
 * workers have stopped, so every entry is unpublished and freed.
 */
void cbu_bcache_destroy(struct cbu_net *cn)
{
	struct cbu_bce *bce, *tmp;

	mutex_lock(&cn->lock);
	list_for_each_entry_safe(bce, tmp, &cn->entries_list, list)
		cbu_bce_remove_locked(cn, bce);
	mutex_unlock(&cn->lock);
	rhashtable_destroy(&cn->bcache);
}
