/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The binding cache: one entry per (HoA, CN) with the keys the agent
 * installed and, once a BU has been accepted, the binding to a CoA.
 *
 * Lifetime: an entry is published in the namespace's rhashtable and list
 * under the namespace mutex.  The packet path finds it under RCU and uses
 * it until the end of its RCU section; nothing else keeps a pointer to it
 * (work items copy its key and look it up again).  Removal unpublishes it
 * under the mutex and frees it, keys wiped, after an RCU grace period.
 *
 * The keys live in the entry (@keys, 128 octets of chaining values, where
 * a second object of 432 octets held them until 2026-12-07).  KEY_SET with
 * NLM_F_REPLACE rewrites them in place, under @lock with BH disabled,
 * inside @keys_seq's write section, and under cn->lock; the packet path
 * never reads them in place but copies them out with cbu_bce_keys_get(),
 * retrying while a write was under way, and wipes its copy: a MAC is
 * checked under the old keys or the new ones, never a mix.  (KEY_DEL, under
 * cn->lock, reads them in place for the tomb's fingerprint: no writer can
 * run.)  The binding (@b) changes under @lock, taken from softirq (BU, BC,
 * BA) and, with BH disabled, from process context (netlink, expiry);
 * @b.state is also read without it (the output gate's fast path), so it is
 * written with WRITE_ONCE(); @b.packets and @b.bytes are atomic, counted
 * by the gate without it.
 */
#ifndef _CBU_BCACHE_H
#define _CBU_BCACHE_H

#include <linux/in6.h>
#include <linux/netlink.h>
#include <linux/rhashtable.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/string.h>

#include "hmac.h"
#include "netns.h"

struct cbu_bce_key {
	struct in6_addr hoa;
	struct in6_addr cn;
};

struct cbu_bce_keys {
	struct cbu_hmac_key k_bu;
	struct cbu_hmac_key k_ba;
};

/*
 * The binding.  Times are the low 32 bits of jiffies, compared with
 * time_after32() and the like: the longest a time stays in use (a
 * lifetime, 262,140 s at most) is far below the 2^31 jiffies the
 * comparison allows at any HZ Linux has (cbu_bcache_module_init()).
 *
 * The role's fields share storage: a correspondent's are the BC gate's and
 * its traffic counters, a mobile node's the peer.  The role is fixed for
 * an entry's life, and every reader and writer is one role's: BU, BC, the
 * gate and cbu_binding_tick()'s BC timeout a correspondent's (input.c
 * checks the role first), BA a mobile node's, the snapshot by role.
 */
struct cbu_binding {
	struct in6_addr coa;
	union {
		struct {			/* CBU_ROLE_CN */
			u32 bound_at;		/* jiffies of the unconfirmed BU */
			u32 unconfirmed;	/* packets sent since then */
			/* Sent to the CoA (the gate: no lock, atomic). */
			atomic64_t packets;
			atomic64_t bytes;
		};
		/*
		 * CBU_ROLE_MN: the source of the BA that bound, where the
		 * correspondent is; another address than its own (the
		 * entry's CN) when it is a mobile CN away from home (draft
		 * section 4).
		 */
		struct in6_addr peer;
	};
	u32 expires;			/* jiffies */
	u16 seq;
	u8 state;			/* enum cbu_bce_state */
	bool has_seq;			/* @seq holds an accepted Seq# */
};

/*
 * 256 octets where the spinlock and the seqcount are 4 each (no lock
 * debugging): 16 a page, no slab leftover (design/performance.md, item 5).
 * In the order the BU path reads it: a forged BU touches the first three
 * cache lines alone (the lookup, @role, @keys_seq, @keys); a valid one the
 * binding in the fourth too.
 */
struct cbu_bce {
	struct rhash_head node;
	struct cbu_bce_key key;
	u8 role;			/* enum cbu_role */
	bool xfrm_gone;			/* unpublished: cn->xfrm_lock (xfrm.c) */
	/*
	 * What netlink set, in seconds up to 262,140, kept as the BA carries
	 * it: LT_EN and the most LT_BA grants in 4-second units, and the
	 * seconds of each above a multiple of 4 beside (@lt_en_sub,
	 * @max_lifetime_sub), so that netlink reports what it was given.
	 * Under @lock: cbu_bce_lt_en() and cbu_bce_max_lifetime() put them
	 * together.
	 */
	u16 lt_en;			/* 4-second units */
	spinlock_t lock;		/* protects @b, and @keys' writers */
	seqcount_spinlock_t keys_seq;	/* @keys' rewrites */
	u32 reqid;
	struct cbu_bce_keys keys;	/* cbu_bce_keys_get(); see the top */
	struct cbu_binding b;
	/*
	 * One or the other, never both.  @xfrm_node is on cn->xfrm_pending
	 * while the entry is marked (xfrm.c), under cn->xfrm_lock; @rcu is
	 * call_rcu()'s from cbu_bce_remove_locked() on.  Before that call,
	 * under cn->lock, cbu_xfrm_forget() takes the entry off the list and
	 * sets @xfrm_gone, both under cn->xfrm_lock, and from then on no one
	 * touches @xfrm_node: cbu_xfrm_sync(), from a reader that found the
	 * entry before it went, tests @xfrm_gone under that lock before the
	 * node; the worker reaches entries through the list alone, takes each
	 * off under the lock and copies its key before letting go; no other
	 * code reads the node.
	 */
	union {
		struct list_head xfrm_node;
		struct rcu_head rcu;
	};
	u32 updates;			/* BUs or BAs taken; under @lock */
	u16 max_lifetime;		/* 4-second units, 0: the namespace's */
	u8 lt_en_sub : 2;		/* seconds */
	u8 max_lifetime_sub : 2;	/* seconds */
};

/* LT_EN in seconds, as netlink set it or 4 times the last BA's. */
static inline u32 cbu_bce_lt_en(const struct cbu_bce *bce)
{
	lockdep_assert_held(&bce->lock);
	return bce->lt_en * 4 + bce->lt_en_sub;
}

/* The most LT_BA grants, seconds, as netlink set it; 0: the namespace's. */
static inline u32 cbu_bce_max_lifetime(const struct cbu_bce *bce)
{
	lockdep_assert_held(&bce->lock);
	return bce->max_lifetime * 4 + bce->max_lifetime_sub;
}

/*
 * Set from seconds, at most CBU_LIFETIME_MAX (netlink's policy); under
 * @lock, or before the entry is published.
 */
static inline void cbu_bce_set_lt_en(struct cbu_bce *bce, u32 s)
{
	bce->lt_en = s / 4;
	bce->lt_en_sub = s % 4;
}

static inline void cbu_bce_set_max_lifetime(struct cbu_bce *bce, u32 s)
{
	bce->max_lifetime = s / 4;
	bce->max_lifetime_sub = s % 4;
}

/* What KEY_SET installs. */
struct cbu_bce_cfg {
	struct cbu_bce_key key;
	u8 role;
	u8 k_bu[CBU_KEY_LEN];
	u8 k_ba[CBU_KEY_LEN];
	u32 lt_en;
	u32 max_lifetime;
	u32 reqid;
	bool has_lt_en, has_max_lifetime, has_reqid;
};

int cbu_bcache_module_init(void);
void cbu_bcache_module_exit(void);
int cbu_bcache_init(struct cbu_net *cn);
void cbu_bcache_destroy(struct cbu_net *cn);

struct cbu_bce *cbu_bce_lookup(struct cbu_net *cn,
			       const struct in6_addr *hoa,
			       const struct in6_addr *cnaddr);

/*
 * Copy @len octets of @bce's keys at @from out to @out, whole: as they were
 * before a rewrite by KEY_SET or after it, never a mix.  Context: any;
 * @bce alive (RCU or cn->lock); never under @bce->lock.
 */
static inline void __cbu_bce_keys_copy(const struct cbu_bce *bce, void *out,
				       const void *from, size_t len)
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&bce->keys_seq);
		memcpy(out, from, len);
	} while (read_seqcount_retry(&bce->keys_seq, seq));
}

/* Both keys (the BU path: k_BU, and k_BA for its BA); the caller wipes. */
static inline void cbu_bce_keys_get(const struct cbu_bce *bce,
				    struct cbu_bce_keys *out)
{
	__cbu_bce_keys_copy(bce, out, &bce->keys, sizeof(*out));
}

/* k_BA alone (BA and BC): half the copy; the caller wipes. */
static inline void cbu_bce_k_ba_get(const struct cbu_bce *bce,
				    struct cbu_hmac_key *out)
{
	__cbu_bce_keys_copy(bce, out, &bce->keys.k_ba, sizeof(*out));
}

/*
 * What is left of a deleted entry: its last Seq#, for an entry made again
 * with the same keys (bcache.c).  On cn->tombs, under cn->lock.
 */
struct cbu_tomb {
	struct list_head list;
	struct cbu_bce_key key;
	u64 keys_fp;			/* cbu_keys_fp() of its keys */
	u16 seq;
};

#define CBU_TOMBS_MAX	256

int cbu_bce_set(struct cbu_net *cn, const struct cbu_bce_cfg *cfg,
		bool create, bool replace, bool excl,
		struct netlink_ext_ack *extack);
int cbu_bce_del(struct cbu_net *cn, const struct cbu_bce_key *key);
int cbu_bce_unbind(struct cbu_net *cn, const struct cbu_bce_key *key);

/*
 * A snapshot of an entry for netlink and events, taken under its lock.  Of
 * @b's role fields, a correspondent's have @b.bound_at and @b.unconfirmed
 * (its counters are @packets and @bytes, 0 for a mobile node), a mobile
 * node's @b.peer.
 */
struct cbu_bce_info {
	struct cbu_bce_key key;
	u8 role;
	u32 lt_en;			/* seconds */
	u32 max_lifetime;		/* seconds */
	u32 reqid;
	struct cbu_binding b;
	u32 lifetime_left;		/* seconds */
	u64 packets, bytes, updates;
};

void cbu_bce_snapshot(struct cbu_bce *bce, struct cbu_bce_info *info);

void cbu_expiry_work(struct work_struct *work);
void cbu_bcache_sync_cn(struct cbu_net *cn, const struct in6_addr *cnaddr);

/*
 * The binding's state machine, free of packets and locks so that KUnit can
 * drive it with any clock: @now and @bc_timeout in jiffies, @now their low
 * 32 bits (they wrap).  The caller holds the entry's lock.
 */
enum cbu_bu_result {
	CBU_BU_STALE,		/* Seq# not after the last accepted one */
	CBU_BU_CREATED,		/* bound from KEYED */
	CBU_BU_REFRESHED,	/* same CoA, still bound */
	CBU_BU_MOVED,		/* bound to another CoA */
	CBU_BU_DELETED,		/* lifetime 0 ended a binding */
	CBU_BU_NOTHING,		/* lifetime 0 and nothing bound */
};

enum cbu_bu_result cbu_binding_bu(struct cbu_binding *b, u16 seq, u16 lt_ba,
				  const struct in6_addr *coa, u32 now);
bool cbu_binding_bc(struct cbu_binding *b, u16 seq,
		    const struct in6_addr *coa);
bool cbu_binding_ba(struct cbu_binding *b, u16 seq, u16 lt_ba,
		    const struct in6_addr *coa, const struct in6_addr *peer,
		    u32 now);

enum cbu_gate {
	CBU_GATE_OTHER,		/* not bound: not ours to count */
	CBU_GATE_PASS,		/* counted, goes to the CoA */
	CBU_GATE_STOP,		/* this packet crossed the threshold */
	CBU_GATE_DROP,		/* stopped earlier */
};

enum cbu_gate cbu_binding_gate(struct cbu_binding *b, u32 now, u32 segs,
			       u32 bc_packets, u32 bc_timeout);
enum cbu_event cbu_binding_tick(struct cbu_binding *b, u32 now,
				u32 bc_timeout, u8 role);

#endif /* _CBU_BCACHE_H */
