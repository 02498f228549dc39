// SPDX-License-Identifier: GPL-2.0
/*
 * The binding cache (see bcache.h for lifetime and locking rules).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <net/ipv6.h>

#include "bcache.h"
#include "mh.h"
#include "netlink.h"
#include "xfrm.h"

/*
 * Entries, keys inside, have a cache of their own: /proc/slabinfo shows it
 * (with slab_nomerge), and kmem_cache_destroy() at unload complains of any
 * that leaked.  They are charged to the memory cgroup of the task that
 * asked (KEY_NEW: always process context): a user namespace can create
 * network namespaces and fill them.
 */
static struct kmem_cache *cbu_bce_cache __read_mostly;
static siphash_key_t cbu_fp_key __read_mostly;

/*
 * Idempotent: on 6.1 KUnit runs a module's suites before its init, so the
 * cache suite makes the caches itself (tests/bcache_kunit.c).
 */
int cbu_bcache_module_init(void)
{
	/*
	 * The binding's times are jiffies' low 32 bits (bcache.h): the
	 * longest lifetime (LT_BA 0xffff: 262,140 s) and the longest BC
	 * timeout must stay below 2^31 jiffies.  They do at any HZ up to
	 * 8,192 (262,140 s is 3.0 days; 2^31 jiffies are 24.8 days at
	 * HZ=1000, 99.4 at Debian's 250).
	 */
	BUILD_BUG_ON((u64)U16_MAX * 4 * HZ > S32_MAX);
	BUILD_BUG_ON((u64)CBU_BC_TIMEOUT_MAX_MS * HZ / MSEC_PER_SEC > S32_MAX);
	/*
	 * An entry in 256 octets, 16 a page, where the locks are 4 octets
	 * each: lock debugging (the test kernel's) and PREEMPT_RT make them
	 * larger.
	 */
	BUILD_BUG_ON(!IS_ENABLED(CONFIG_LOCKDEP) &&
		     !IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC) &&
		     !IS_ENABLED(CONFIG_DEBUG_SPINLOCK) &&
		     !IS_ENABLED(CONFIG_PREEMPT_RT) &&
		     sizeof(struct cbu_bce) > 256);

	if (cbu_bce_cache)
		return 0;
	get_random_bytes(&cbu_fp_key, sizeof(cbu_fp_key));
	cbu_bce_cache = KMEM_CACHE(cbu_bce, SLAB_ACCOUNT);
	if (!cbu_bce_cache)
		return -ENOMEM;
	return 0;
}

/* After rcu_barrier(): no entry is left in flight. */
void cbu_bcache_module_exit(void)
{
	kmem_cache_destroy(cbu_bce_cache);
}

/* No reader is left: the entry goes, its keys wiped. */
static void cbu_bce_free(struct cbu_bce *bce)
{
	memzero_explicit(&bce->keys, sizeof(bce->keys));
	kmem_cache_free(cbu_bce_cache, bce);
}

static const struct rhashtable_params cbu_bce_params = {
	.key_len = sizeof(struct cbu_bce_key),
	.key_offset = offsetof(struct cbu_bce, key),
	.head_offset = offsetof(struct cbu_bce, node),
	.automatic_shrinking = true,
};

int cbu_bcache_init(struct cbu_net *cn)
{
	INIT_LIST_HEAD(&cn->tombs);
	cn->n_tombs = 0;
	atomic_set(&cn->entries, 0);
	return rhashtable_init(&cn->bcache, &cbu_bce_params);
}

static void cbu_bce_free_rcu(struct rcu_head *rcu)
{
	cbu_bce_free(container_of(rcu, struct cbu_bce, rcu));
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

static void cbu_bce_keys_make(struct cbu_bce_keys *keys,
			      const struct cbu_bce_cfg *cfg)
{
	cbu_hmac_setkey(&keys->k_bu, cfg->k_bu, CBU_KEY_LEN);
	cbu_hmac_setkey(&keys->k_ba, cfg->k_ba, CBU_KEY_LEN);
}

/*
 * Equal keys have equal chaining values, so equal fingerprints; other keys
 * other ones (but for a 2^-64 chance); a fingerprint tells nothing of them.
 */
static u64 cbu_keys_fp(const struct cbu_bce_keys *keys)
{
	return siphash(keys, sizeof(*keys), &cbu_fp_key);
}

/*
 * Sequence numbers across a deletion.  A BU or BA is replayable for as long
 * as its keys are installed, and its Seq# is all that tells it is old: an
 * entry deleted and made again with the same keys (KEY_DEL, KEY_NEW) takes
 * the last Seq# its namesake accepted, not a clean slate.  The last
 * CBU_TOMBS_MAX deleted entries of a namespace that had accepted one are
 * remembered, by (HoA, CN) and a keyed fingerprint of their keys' chaining
 * values, taken at the deletion (never the keys).  New keys start afresh:
 * nothing signed under them can be old.
 */
static struct cbu_tomb *cbu_tomb_find(struct cbu_net *cn,
				      const struct cbu_bce_key *key)
{
	struct cbu_tomb *t;

	lockdep_assert_held(&cn->lock);
	list_for_each_entry(t, &cn->tombs, list)
		if (!memcmp(&t->key, key, sizeof(*key)))
			return t;
	return NULL;
}

static void cbu_tomb_free(struct cbu_net *cn, struct cbu_tomb *t)
{
	lockdep_assert_held(&cn->lock);
	list_del(&t->list);
	cn->n_tombs--;
	kfree(t);
}

/* Keep @t, filled, as the newest; the oldest goes past the limit. */
static void cbu_tomb_add(struct cbu_net *cn, struct cbu_tomb *t)
{
	struct cbu_tomb *old = cbu_tomb_find(cn, &t->key);

	if (old)
		cbu_tomb_free(cn, old);
	if (cn->n_tombs == CBU_TOMBS_MAX)
		cbu_tomb_free(cn, list_last_entry(&cn->tombs, struct cbu_tomb,
						  list));
	list_add(&t->list, &cn->tombs);
	cn->n_tombs++;
}

static struct cbu_bce *cbu_bce_find_locked(struct cbu_net *cn,
					   const struct cbu_bce_key *key)
{
	lockdep_assert_held(&cn->lock);
	return rhashtable_lookup_fast(&cn->bcache, key, cbu_bce_params);
}

/*
 * Unpublish, free after a grace period.  Caller holds cn->lock.  The
 * pending list lets go of @bce before call_rcu() takes @bce->rcu, the
 * storage of @bce->xfrm_node (bcache.h).
 */
static void cbu_bce_remove_locked(struct cbu_net *cn, struct cbu_bce *bce)
{
	lockdep_assert_held(&cn->lock);
	rhashtable_remove_fast(&cn->bcache, &bce->node, cbu_bce_params);
	cbu_xfrm_forget(cn, bce);
	atomic_dec(&cn->entries);
	WRITE_ONCE(cn->gen, cn->gen + 1);
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
	struct cbu_bce_keys keys;
	struct cbu_tomb *tomb;
	struct cbu_bce *bce;
	int ret;

	cbu_bce_keys_make(&keys, cfg);
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
		spin_lock_bh(&bce->lock);
		write_seqcount_begin(&bce->keys_seq);
		bce->keys = keys;
		write_seqcount_end(&bce->keys_seq);
		if (cfg->has_lt_en)
			cbu_bce_set_lt_en(bce, cfg->lt_en);
		if (cfg->has_max_lifetime)
			cbu_bce_set_max_lifetime(bce, cfg->max_lifetime);
		if (cfg->has_reqid)
			WRITE_ONCE(bce->reqid, cfg->reqid);
		spin_unlock_bh(&bce->lock);
		mutex_unlock(&cn->lock);
		memzero_explicit(&keys, sizeof(keys));
		return 0;
	}

	if (!create) {
		NL_SET_ERR_MSG_MOD(extack, "no such binding cache entry");
		ret = -ENOENT;
		goto err_unlock;
	}
	if (atomic_read(&cn->entries) >= READ_ONCE(cn->params.capacity)) {
		if (cbu_capacity_limit(cn) == CBU_USERNS_CAPACITY_MAX &&
		    READ_ONCE(cn->params.capacity) >= CBU_USERNS_CAPACITY_MAX)
			NL_SET_ERR_MSG_MOD(extack,
					   "binding cache full: a namespace owned by a non-initial user namespace holds at most "
					   __stringify(CBU_USERNS_CAPACITY_MAX) " entries");
		else
			NL_SET_ERR_MSG_MOD(extack,
					   "binding cache full: raise its capacity");
		ret = -ENOSPC;
		goto err_unlock;
	}

	/* A correspondent answers stale BUs: at a per-source rate. */
	if (cfg->role == CBU_ROLE_CN) {
		ret = cbu_limiter_make(cn, CBU_LIMIT_BA);
		if (ret)
			goto err_unlock;
	}
	/* The first entry of a namespace brings its hooks. */
	ret = cbu_hooks_want(cn);
	if (ret) {
		NL_SET_ERR_MSG_MOD(extack, "cannot register the netfilter hooks");
		goto err_unlock;
	}
	bce = kmem_cache_zalloc(cbu_bce_cache, GFP_KERNEL);
	if (!bce) {
		ret = -ENOMEM;
		goto err_idle;
	}
	bce->key = cfg->key;
	bce->role = cfg->role;
	bce->reqid = cfg->reqid;
	spin_lock_init(&bce->lock);
	seqcount_spinlock_init(&bce->keys_seq, &bce->lock);
	INIT_LIST_HEAD(&bce->xfrm_node);
	cbu_bce_set_lt_en(bce, cfg->lt_en);
	cbu_bce_set_max_lifetime(bce, cfg->max_lifetime);
	bce->b.state = CBU_BCE_KEYED;
	bce->keys = keys;
	tomb = cbu_tomb_find(cn, &cfg->key);
	if (tomb && tomb->keys_fp == cbu_keys_fp(&keys)) {
		bce->b.seq = tomb->seq;
		bce->b.has_seq = true;
	}

	ret = rhashtable_insert_fast(&cn->bcache, &bce->node, cbu_bce_params);
	if (ret) {
		cbu_bce_free(bce);
		goto err_idle;
	}
	atomic_inc(&cn->entries);
	WRITE_ONCE(cn->gen, cn->gen + 1);
	cbu_expiry_kick(cn);
	if (tomb)
		cbu_tomb_free(cn, tomb);
	mutex_unlock(&cn->lock);
	memzero_explicit(&keys, sizeof(keys));
	return 0;

err_idle:
	cbu_hooks_idle(cn);
err_unlock:
	mutex_unlock(&cn->lock);
	memzero_explicit(&keys, sizeof(keys));
	return ret;
}

/*
 * Delete an entry, its keys and its binding; its last Seq# stays behind
 * (cbu_tomb_add()).  On error nothing changed.  Context: process.
 */
int cbu_bce_del(struct cbu_net *cn, const struct cbu_bce_key *key)
{
	struct cbu_bce_info info;
	struct cbu_tomb *tomb;
	struct cbu_bce *bce;

	tomb = kzalloc(sizeof(*tomb), GFP_KERNEL_ACCOUNT);
	if (!tomb)
		return -ENOMEM;
	mutex_lock(&cn->lock);
	bce = cbu_bce_find_locked(cn, key);
	if (!bce) {
		mutex_unlock(&cn->lock);
		kfree(tomb);
		return -ENOENT;
	}
	cbu_bce_snapshot(bce, &info);
	if (info.b.has_seq) {
		tomb->key = *key;
		/* In place: every writer of the keys holds cn->lock. */
		tomb->keys_fp = cbu_keys_fp(&bce->keys);
		tomb->seq = info.b.seq;
		cbu_tomb_add(cn, tomb);
		tomb = NULL;
	}
	cbu_bce_remove_locked(cn, bce);
	/* The last one takes the hooks with it. */
	cbu_hooks_idle(cn);
	mutex_unlock(&cn->lock);
	kfree(tomb);
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
	WRITE_ONCE(bce->b.state, CBU_BCE_KEYED);
	spin_unlock_bh(&bce->lock);
	cbu_bce_snapshot(bce, &info);
	mutex_unlock(&cn->lock);
	if (was_bound)
		cbu_event(cn, CBU_EVENT_DELETED, &info);
	return 0;
}

void cbu_bce_snapshot(struct cbu_bce *bce, struct cbu_bce_info *info)
{
	const struct cbu_binding *b = &bce->b;
	u32 now = jiffies;

	memset(info, 0, sizeof(*info));
	info->key = bce->key;
	info->role = bce->role;
	spin_lock_bh(&bce->lock);
	info->lt_en = cbu_bce_lt_en(bce);
	info->max_lifetime = cbu_bce_max_lifetime(bce);
	info->reqid = bce->reqid;
	info->updates = bce->updates;
	info->b.coa = b->coa;
	if (bce->role == CBU_ROLE_CN) {
		info->b.bound_at = b->bound_at;
		info->b.unconfirmed = b->unconfirmed;
	} else {
		info->b.peer = b->peer;
	}
	info->b.expires = b->expires;
	info->b.seq = b->seq;
	info->b.state = b->state;
	info->b.has_seq = b->has_seq;
	spin_unlock_bh(&bce->lock);
	if (info->b.state != CBU_BCE_KEYED &&
	    time_before32(now, info->b.expires))
		info->lifetime_left = jiffies_to_msecs(info->b.expires - now) /
				      MSEC_PER_SEC;
	if (bce->role == CBU_ROLE_CN) {
		info->packets = atomic64_read(&b->packets);
		info->bytes = atomic64_read(&b->bytes);
	}
}

/**
 * cbu_binding_bu - apply an authenticated BU (correspondent)
 * @b: the binding
 * @seq: its Seq#
 * @lt_ba: the lifetime granted, 4-second units; 0 deletes
 * @coa: its source, the care-of address
 * @now: jiffies, the low 32 bits
 *
 * The Seq# must come after the last one accepted, modulo 2^16 (RFC 6275
 * 9.5.1), which is kept across bindings while the keys live.  A new or
 * moved CoA must be confirmed by a BC again; a refresh of a confirmed CoA
 * stays confirmed.
 */
enum cbu_bu_result cbu_binding_bu(struct cbu_binding *b, u16 seq, u16 lt_ba,
				  const struct in6_addr *coa, u32 now)
{
	bool bound = b->state != CBU_BCE_KEYED;
	bool same = bound && ipv6_addr_equal(&b->coa, coa);

	if (b->has_seq && !cbu_seq_after(seq, b->seq))
		return CBU_BU_STALE;
	b->seq = seq;
	b->has_seq = true;

	if (!lt_ba) {
		WRITE_ONCE(b->state, CBU_BCE_KEYED);
		return bound ? CBU_BU_DELETED : CBU_BU_NOTHING;
	}
	b->expires = now + (u32)lt_ba * 4 * HZ;
	if (same && b->state == CBU_BCE_CONFIRMED)
		return CBU_BU_REFRESHED;
	b->coa = *coa;
	WRITE_ONCE(b->state, CBU_BCE_UNCONFIRMED);
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
	WRITE_ONCE(b->state, CBU_BCE_CONFIRMED);
	return true;
}

/*
 * Mobile node: an accepting BA from @peer binds @coa, newest Seq# only.
 * So an older BA, from where a mobile CN used to be, never takes the
 * binding back there.
 */
bool cbu_binding_ba(struct cbu_binding *b, u16 seq, u16 lt_ba,
		    const struct in6_addr *coa, const struct in6_addr *peer,
		    u32 now)
{
	if (b->has_seq && !cbu_seq_after(seq, b->seq))
		return false;
	b->seq = seq;
	b->has_seq = true;
	b->coa = *coa;
	b->peer = *peer;
	WRITE_ONCE(b->state, lt_ba ? CBU_BCE_CONFIRMED : CBU_BCE_KEYED);
	b->expires = now + (u32)lt_ba * 4 * HZ;
	return true;
}

/*
 * Draft section 3: "If the CN can not receive the proper BC after a certain
 * amount of traffics, e.g 10 packets or 10 seconds, the traffic between CN
 * and the new CoA will be stopped."  @bc_packets packets pass, the next
 * one stops the binding; so does any packet after @bc_timeout.  Packets
 * are counted as they leave: a GSO packet of @segs segments counts @segs,
 * and one that would take the count past @bc_packets stops the binding.
 */
enum cbu_gate cbu_binding_gate(struct cbu_binding *b, u32 now, u32 segs,
			       u32 bc_packets, u32 bc_timeout)
{
	switch (b->state) {
	case CBU_BCE_CONFIRMED:
		return CBU_GATE_PASS;
	case CBU_BCE_STOPPED:
		return CBU_GATE_DROP;
	case CBU_BCE_UNCONFIRMED:
		if (segs > bc_packets - min(b->unconfirmed, bc_packets) ||
		    !time_before32(now, b->bound_at + bc_timeout)) {
			WRITE_ONCE(b->state, CBU_BCE_STOPPED);
			return CBU_GATE_STOP;
		}
		b->unconfirmed += segs;
		return CBU_GATE_PASS;
	default:
		return CBU_GATE_OTHER;
	}
}

/*
 * Time passing: a binding whose lifetime ran out goes back to KEYED; an
 * unconfirmed one past the BC timeout stops, traffic or not.
 */
enum cbu_event cbu_binding_tick(struct cbu_binding *b, u32 now,
				u32 bc_timeout, u8 role)
{
	if (b->state == CBU_BCE_KEYED)
		return 0;
	if (!time_before32(now, b->expires)) {
		WRITE_ONCE(b->state, CBU_BCE_KEYED);
		return CBU_EVENT_EXPIRED;
	}
	if (b->state == CBU_BCE_UNCONFIRMED && role == CBU_ROLE_CN &&
	    !time_before32(now, b->bound_at + bc_timeout)) {
		WRITE_ONCE(b->state, CBU_BCE_STOPPED);
		return CBU_EVENT_BC_TIMEOUT;
	}
	return 0;
}

/* One entry's tick; in the expiry walk's RCU read-side section. */
static void cbu_bce_tick(struct cbu_net *cn, struct cbu_bce *bce,
			 u32 timeout)
{
	struct cbu_bce_info info;
	enum cbu_event ev;

	spin_lock_bh(&bce->lock);
	ev = cbu_binding_tick(&bce->b, (u32)jiffies, timeout, bce->role);
	spin_unlock_bh(&bce->lock);
	if (!ev)
		return;
	if (ev == CBU_EVENT_EXPIRED) {
		cbu_stat_inc(cn, CBU_STAT_EXPIRED);
		cbu_xfrm_sync(cn, bce);
	} else {
		cbu_stat_inc(cn, CBU_STAT_BC_TIMEOUT);
	}
	cbu_bce_snapshot(bce, &info);
	cbu_event(cn, ev, &info);
}

/*
 * Expiry and BC timeouts, every second while the namespace lives.
 *
 * The walk takes no lock across entries, so its length (the size of the
 * cache) stalls nobody: the table is walked under RCU with an rhashtable
 * walker (which survives resizes and concurrent changes, at worst showing
 * an entry twice: a tick is idempotent), each binding changes under its own
 * spinlock for a few instructions, and every CBU_EXPIRY_BATCH entries the
 * walk leaves RCU and may sleep.
 */
#define CBU_EXPIRY_BATCH	256

/* @fn on every entry, walked as the comment above says. */
static void cbu_bcache_walk(struct cbu_net *cn,
			    void (*fn)(struct cbu_net *cn, struct cbu_bce *bce,
				       const void *arg),
			    const void *arg)
{
	struct rhashtable_iter iter;
	struct cbu_bce *bce;
	unsigned int n = 0;

	rhashtable_walk_enter(&cn->bcache, &iter);
	rhashtable_walk_start(&iter);
	while ((bce = rhashtable_walk_next(&iter))) {
		if (IS_ERR(bce)) {
			if (PTR_ERR(bce) == -EAGAIN)
				continue;	/* resized: walked again */
			break;
		}
		fn(cn, bce, arg);
		if (++n % CBU_EXPIRY_BATCH == 0) {
			rhashtable_walk_stop(&iter);
			cond_resched();
			rhashtable_walk_start(&iter);
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
}

static void cbu_bce_tick_walk(struct cbu_net *cn, struct cbu_bce *bce,
			      const void *timeout)
{
	cbu_bce_tick(cn, bce, *(const u32 *)timeout);
}

void cbu_expiry_work(struct work_struct *work)
{
	struct cbu_net *cn = container_of(to_delayed_work(work),
					  struct cbu_net, expiry_work);
	u32 timeout;

	if (!atomic_read(&cn->entries))
		return;		/* the next entry queues the work again */
	timeout = msecs_to_jiffies(READ_ONCE(cn->params.bc_timeout_ms));
	cbu_bcache_walk(cn, cbu_bce_tick_walk, &timeout);
	if (!READ_ONCE(cn->dying))
		queue_delayed_work(system_power_efficient_wq, &cn->expiry_work,
				   HZ);
}

static void cbu_bce_sync_walk(struct cbu_net *cn, struct cbu_bce *bce,
			      const void *cnaddr)
{
	if (bce->role == CBU_ROLE_CN && ipv6_addr_equal(&bce->key.cn, cnaddr))
		cbu_xfrm_sync(cn, bce);
}

/**
 * cbu_bcache_sync_cn - have the data paths of @cnaddr's entries follow
 * @cn: the namespace
 * @cnaddr: a correspondent address: a mobile correspondent's own home
 *	address, whose care-of address, the local end, changed
 *
 * Context: process, under cn->lock (no entry goes meanwhile).  Marks the
 * entries (any HoA, @cnaddr) pending for the xfrm worker (xfrm.c).
 */
void cbu_bcache_sync_cn(struct cbu_net *cn, const struct in6_addr *cnaddr)
{
	lockdep_assert_held(&cn->lock);
	cbu_bcache_walk(cn, cbu_bce_sync_walk, cnaddr);
}

/* At namespace exit: nothing can reach the entry any more. */
static void cbu_bce_free_now(void *ptr, void *arg)
{
	cbu_bce_free(ptr);
}

/*
 * Namespace exit: the hooks are gone and a grace period has passed since,
 * no netlink command can run and the workers have stopped, so every entry
 * is freed at once, keys wiped.
 */
void cbu_bcache_destroy(struct cbu_net *cn)
{
	struct cbu_tomb *t, *tt;

	mutex_lock(&cn->lock);
	list_for_each_entry_safe(t, tt, &cn->tombs, list)
		cbu_tomb_free(cn, t);
	mutex_unlock(&cn->lock);
	rhashtable_free_and_destroy(&cn->bcache, cbu_bce_free_now, NULL);
	atomic_set(&cn->entries, 0);
}
