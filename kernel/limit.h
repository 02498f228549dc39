/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-source limits on the work a remote peer can make cbu.ko do: messages
 * handed up to the agent, and the BAs that answer BUs out of sequence.
 */
#ifndef _CBU_LIMIT_H
#define _CBU_LIMIT_H

#include <linux/in6.h>
#include <linux/rcupdate.h>
#include <linux/spinlock.h>
#include <linux/types.h>

struct cbu_net;

enum cbu_limit_kind {
	CBU_LIMIT_MH,		/* type-11 and BE messages handed to the agent */
	CBU_LIMIT_BA,		/* BA 135 answers to stale or replayed BUs */
	__CBU_LIMIT_MAX,
};

/*
 * A token bucket for each of the last sources seen: a set-associative
 * table, CBU_LIMIT_SETS sets of CBU_LIMIT_WAYS sources, the set chosen by a
 * keyed hash (siphash, key drawn at load) so that nobody can aim at a
 * victim's set.  Each source has its own bucket: a flood from one source
 * takes one way and cannot spend another source's tokens.  A new source
 * takes the least recently seen way of its set, with a full bucket.
 */
#define CBU_LIMIT_SETS		32
#define CBU_LIMIT_WAYS		4

struct cbu_limit_way {
	struct in6_addr src;
	u32 tokens;		/* in 1/HZ of a message */
	unsigned long stamp;	/* jiffies of the last refill */
};

struct cbu_limit_set {
	spinlock_t lock;		/* protects @way */
	struct cbu_limit_way way[CBU_LIMIT_WAYS];
};

struct cbu_limiter {
	struct rcu_head rcu;
	struct cbu_limit_set set[CBU_LIMIT_SETS];
};

void cbu_limit_module_init(void);
/*
 * Made when a namespace first needs one (a home prefix, a correspondent's
 * entry), so that others pay nothing.  Context: process, cn->lock held.
 */
int cbu_limiter_make(struct cbu_net *cn, enum cbu_limit_kind kind);
/* Namespace exit, after the hooks are gone. */
void cbu_limiters_free(struct cbu_net *cn);
/* May @src have one more of @kind?  Context: softirq, under RCU. */
bool cbu_limit_allow(struct cbu_net *cn, enum cbu_limit_kind kind,
		     const struct in6_addr *src);

#endif /* _CBU_LIMIT_H */
