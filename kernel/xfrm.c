// SPDX-License-Identifier: GPL-2.0
/*
 * Moving and removing a binding's data path (see xfrm.h).
 *
 * The agent sets up, for an entry (HoA, CN) with reqid R, ESP tunnel mode
 * states CN -> CoA and CoA -> CN with reqid R, and policies CN <-> HoA
 * (out, in) whose templates name them.  A move rewrites the outer addresses
 * of both states and both templates; a removal deletes them.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <net/xfrm.h>

#include "compat.h"
#include "netlink.h"
#include "xfrm.h"

enum cbu_xfrm_op {
	CBU_XFRM_MIGRATE,
	CBU_XFRM_REMOVE,
};

struct cbu_xfrm_job {
	struct list_head list;
	enum cbu_xfrm_op op;
	struct cbu_bce_key key;
	u32 reqid;
	struct in6_addr old;	/* CoA the data path leaves, or has */
	struct in6_addr new;	/* CoA it goes to */
};

static void cbu_sel(struct xfrm_selector *sel, const struct in6_addr *src,
		    const struct in6_addr *dst)
{
	memset(sel, 0, sizeof(*sel));
	sel->family = AF_INET6;
	sel->prefixlen_s = 128;
	sel->prefixlen_d = 128;
	memcpy(&sel->saddr.in6, src, sizeof(*src));
	memcpy(&sel->daddr.in6, dst, sizeof(*dst));
}

static void cbu_mig(struct xfrm_migrate *m, u32 reqid,
		    const struct in6_addr *old_src, const struct in6_addr *old_dst,
		    const struct in6_addr *new_src, const struct in6_addr *new_dst)
{
	memset(m, 0, sizeof(*m));
	memcpy(&m->old_saddr.in6, old_src, sizeof(*old_src));
	memcpy(&m->old_daddr.in6, old_dst, sizeof(*old_dst));
	memcpy(&m->new_saddr.in6, new_src, sizeof(*new_src));
	memcpy(&m->new_daddr.in6, new_dst, sizeof(*new_dst));
	m->proto = IPPROTO_ESP;
	m->mode = XFRM_MODE_TUNNEL;
	m->reqid = reqid;
	m->old_family = AF_INET6;
	m->new_family = AF_INET6;
}

static int cbu_xfrm_do_migrate(struct net *net, const struct cbu_xfrm_job *j)
{
	const struct in6_addr *hoa = &j->key.hoa, *cnaddr = &j->key.cn;
	struct xfrm_selector sel;
	struct xfrm_migrate m;
	int ret;

	/* Out: CN -> HoA, carried CN -> CoA. */
	cbu_sel(&sel, cnaddr, hoa);
	cbu_mig(&m, j->reqid, cnaddr, &j->old, cnaddr, &j->new);
	ret = cbu_xfrm_migrate_call(&sel, XFRM_POLICY_OUT, &m, net);
	if (ret)
		return ret;

	/* In: HoA -> CN, carried CoA -> CN. */
	cbu_sel(&sel, hoa, cnaddr);
	cbu_mig(&m, j->reqid, &j->old, cnaddr, &j->new, cnaddr);
	return cbu_xfrm_migrate_call(&sel, XFRM_POLICY_IN, &m, net);
}

struct cbu_state_list {
	struct xfrm_state *x[8];
	unsigned int n;
	u32 reqid;
};

/* Called under the state table's lock: collect, delete later. */
static int cbu_collect_state(struct xfrm_state *x, int count, void *arg)
{
	struct cbu_state_list *l = arg;

	if (x->props.reqid != l->reqid || x->props.family != AF_INET6)
		return 0;
	if (l->n == ARRAY_SIZE(l->x))
		return -ENOBUFS;
	xfrm_state_hold(x);
	l->x[l->n++] = x;
	return 0;
}

static int cbu_xfrm_do_remove(struct net *net, const struct cbu_xfrm_job *j)
{
	const struct in6_addr *hoa = &j->key.hoa, *cnaddr = &j->key.cn;
	struct xfrm_state_walk walk;
	struct cbu_state_list l = { .reqid = j->reqid };
	struct xfrm_mark mark = {};
	struct xfrm_selector sel;
	struct xfrm_policy *pol;
	unsigned int i;
	int err, ret;

	cbu_sel(&sel, cnaddr, hoa);
	pol = xfrm_policy_bysel_ctx(net, &mark, 0, XFRM_POLICY_TYPE_MAIN,
				    XFRM_POLICY_OUT, &sel, NULL, 1, &err);
	if (pol)
		xfrm_pol_put(pol);
	cbu_sel(&sel, hoa, cnaddr);
	pol = xfrm_policy_bysel_ctx(net, &mark, 0, XFRM_POLICY_TYPE_MAIN,
				    XFRM_POLICY_IN, &sel, NULL, 1, &err);
	if (pol)
		xfrm_pol_put(pol);

	xfrm_state_walk_init(&walk, IPPROTO_ESP, NULL);
	ret = xfrm_state_walk(net, &walk, cbu_collect_state, &l);
	xfrm_state_walk_done(&walk, net);
	for (i = 0; i < l.n; i++) {
		xfrm_state_delete(l.x[i]);
		xfrm_state_put(l.x[i]);
	}
	return ret;
}

static void cbu_xfrm_work(struct work_struct *work)
{
	struct cbu_net *cn = container_of(work, struct cbu_net, migrate_work);
	struct cbu_xfrm_job *j;
	struct cbu_bce_info info;
	struct cbu_bce *bce;
	int ret;

	for (;;) {
		spin_lock_bh(&cn->migrate_lock);
		j = list_first_entry_or_null(&cn->migrate_list,
					     struct cbu_xfrm_job, list);
		if (j)
			list_del(&j->list);
		spin_unlock_bh(&cn->migrate_lock);
		if (!j)
			return;

		if (j->op == CBU_XFRM_REMOVE) {
			cbu_xfrm_do_remove(cn->net, j);
			kfree(j);
			continue;
		}

		ret = cbu_xfrm_do_migrate(cn->net, j);
		if (!ret) {
			cbu_stat_inc(cn, CBU_STAT_MIGRATED);
			kfree(j);
			continue;
		}
		cbu_stat_inc(cn, CBU_STAT_MIGRATE_FAILED);
		pr_debug("moving reqid %u to %pI6c failed: %d\n", j->reqid,
			 &j->new, ret);
		rcu_read_lock();
		bce = cbu_bce_lookup(cn, &j->key.hoa, &j->key.cn);
		if (bce)
			cbu_bce_snapshot(bce, &info);
		rcu_read_unlock();
		if (bce)
			cbu_event(cn, CBU_EVENT_MIGRATE_FAILED, &info);
		kfree(j);
	}
}

void cbu_xfrm_init(struct cbu_net *cn)
{
	spin_lock_init(&cn->migrate_lock);
	INIT_LIST_HEAD(&cn->migrate_list);
	INIT_WORK(&cn->migrate_work, cbu_xfrm_work);
}

static void cbu_xfrm_queue(struct cbu_net *cn, struct cbu_xfrm_job *j)
{
	spin_lock_bh(&cn->migrate_lock);
	if (READ_ONCE(cn->dying)) {
		spin_unlock_bh(&cn->migrate_lock);
		kfree(j);
		return;
	}
	list_add_tail(&j->list, &cn->migrate_list);
	spin_unlock_bh(&cn->migrate_lock);
	queue_work(system_unbound_wq, &cn->migrate_work);
}

void cbu_xfrm_migrate(struct cbu_net *cn, struct cbu_bce *bce,
		      const struct in6_addr *old, const struct in6_addr *new)
{
	u32 reqid = READ_ONCE(bce->reqid);
	struct cbu_xfrm_job *j;

	if (!reqid)
		return;
	j = kzalloc(sizeof(*j), GFP_ATOMIC);
	if (!j) {
		cbu_stat_inc(cn, CBU_STAT_MIGRATE_FAILED);
		return;
	}
	j->op = CBU_XFRM_MIGRATE;
	j->key = bce->key;
	j->reqid = reqid;
	j->old = *old;
	j->new = *new;
	cbu_xfrm_queue(cn, j);
}

void cbu_xfrm_remove(struct cbu_net *cn, const struct cbu_bce_info *info)
{
	struct cbu_xfrm_job *j;

	if (!info->reqid)
		return;
	j = kzalloc(sizeof(*j), GFP_ATOMIC);
	if (!j)
		return;
	j->op = CBU_XFRM_REMOVE;
	j->key = info->key;
	j->reqid = info->reqid;
	j->old = info->b.coa;
	cbu_xfrm_queue(cn, j);
}

void cbu_xfrm_flush(struct cbu_net *cn)
{
	struct cbu_xfrm_job *j, *tmp;
	LIST_HEAD(pending);

	/* cn->dying is set: nothing new is queued after this. */
	cancel_work_sync(&cn->migrate_work);
	spin_lock_bh(&cn->migrate_lock);
	list_splice_init(&cn->migrate_list, &pending);
	spin_unlock_bh(&cn->migrate_lock);
	list_for_each_entry_safe(j, tmp, &pending, list)
		kfree(j);
}
