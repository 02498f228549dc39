// SPDX-License-Identifier: GPL-2.0
/*
 * Keeping a binding's data path where its binding is (see xfrm.h).
 *
 * The agent sets up, for an entry (HoA, CN) with reqid R, ESP tunnel mode
 * states CN -> CoA and CoA -> CN with reqid R, and policies CN <-> HoA
 * (out, in) whose one template names them.  Those are the only xfrm
 * objects cbu.ko touches: a policy by its exact selector and template
 * (reqid, ESP, tunnel, the CN as an endpoint), a state by its addresses,
 * reqid, ESP and tunnel mode.  Other software's states and policies in the
 * same tables (an IKE daemon's, whose reqids also start at 1) are left
 * alone; the key managers are told of every deletion (km_*_notify()), as
 * when `ip xfrm` deletes.
 *
 * On a mobile correspondent (draft section 4) the entries (HoA, own HoA)
 * are carried from its care-of address, not from the CN address: their
 * local end is the own care-of address, and it moves too (OWN_SET marks
 * them).  Their policies are recognised by selector, reqid, ESP and tunnel
 * mode alone, wherever their local end is.
 *
 * Level-triggered: the packet path and the expiry worker only mark an
 * entry pending (one mark per entry, no allocation); the worker reads the
 * binding as it is then and makes the data path follow it from wherever it
 * is, found in the table (the out policy's template).  Moves that race on
 * two CPUs, or that come faster than the worker, end with the data path at
 * the binding's last CoA; a binding that ended has its data path removed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/xfrm.h>

#include "compat.h"
#include "netlink.h"
#include "xfrm.h"

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

/*
 * The policy of (@dir, @src -> @dst) if it is a binding's: one ESP tunnel
 * template of @reqid with the correspondent @cnaddr as its local end (any
 * local end with @cnaddr NULL: a mobile correspondent's own).  Its far end
 * goes to @at, its local end to @local.  Returns it held, or NULL.
 */
static struct xfrm_policy *cbu_policy_get(struct net *net, int dir,
					  const struct in6_addr *src,
					  const struct in6_addr *dst,
					  const struct in6_addr *cnaddr,
					  u32 reqid, struct in6_addr *at,
					  struct in6_addr *local)
{
	const struct in6_addr *l;
	struct xfrm_mark mark = {};
	struct xfrm_selector sel;
	struct xfrm_policy *pol;
	const struct xfrm_tmpl *t;
	bool ours;
	int err;

	cbu_sel(&sel, src, dst);
	pol = xfrm_policy_bysel_ctx(net, &mark, 0, XFRM_POLICY_TYPE_MAIN, dir,
				    &sel, NULL, 0, &err);
	if (!pol)
		return NULL;
	/* xfrm_migrate() rewrites templates under the policy's lock. */
	read_lock_bh(&pol->lock);
	t = &pol->xfrm_vec[0];
	l = dir == XFRM_POLICY_OUT ? &t->saddr.in6 : &t->id.daddr.in6;
	ours = pol->xfrm_nr == 1 && t->reqid == reqid &&
	       t->id.proto == IPPROTO_ESP && t->mode == XFRM_MODE_TUNNEL &&
	       t->encap_family == AF_INET6 &&
	       (!cnaddr || ipv6_addr_equal(l, cnaddr));
	if (ours) {
		*at = dir == XFRM_POLICY_OUT ? t->id.daddr.in6 : t->saddr.in6;
		*local = *l;
	}
	read_unlock_bh(&pol->lock);
	if (!ours) {
		xfrm_pol_put(pol);
		return NULL;
	}
	return pol;
}

static void cbu_policy_delete(struct net *net, int dir,
			      const struct in6_addr *src,
			      const struct in6_addr *dst,
			      const struct in6_addr *cnaddr, u32 reqid)
{
	struct km_event c = { .event = XFRM_MSG_DELPOLICY };
	struct in6_addr at, local;
	struct xfrm_policy *pol;

	pol = cbu_policy_get(net, dir, src, dst, cnaddr, reqid, &at, &local);
	if (!pol)
		return;
	if (!xfrm_policy_delete(pol, dir))
		km_policy_notify(pol, dir, &c);
	xfrm_pol_put(pol);
}

/*
 * Every ESP tunnel state @saddr -> @daddr of @reqid: in the middle of a
 * rekey there are two.  A deleted state is dead and not found again.
 */
static void cbu_states_delete(struct net *net, const struct in6_addr *saddr,
			      const struct in6_addr *daddr, u32 reqid)
{
	struct km_event c = {
		.event = XFRM_MSG_DELSA,
		.data.proto = IPPROTO_ESP,
	};
	xfrm_address_t s = {}, d = {};
	struct xfrm_state *x;
	int err;

	s.in6 = *saddr;
	d.in6 = *daddr;
	for (;;) {
		x = xfrm_stateonly_find(net, 0, 0, &d, &s, AF_INET6,
					XFRM_MODE_TUNNEL, IPPROTO_ESP, reqid);
		if (!x)
			return;
		err = xfrm_state_delete(x);
		if (!err)
			km_state_notify(x, &c);
		xfrm_state_put(x);
		if (err)
			return;
	}
}

/*
 * The data path of (HoA, CN) between @local and @at goes, all of it and
 * only it.  @own: a mobile correspondent's entry, whatever its local end.
 */
static void cbu_xfrm_remove(struct net *net, const struct cbu_bce_key *key,
			    u32 reqid, bool own, const struct in6_addr *local,
			    const struct in6_addr *at)
{
	const struct in6_addr *cnaddr = own ? NULL : &key->cn;

	cbu_policy_delete(net, XFRM_POLICY_OUT, &key->cn, &key->hoa, cnaddr,
			  reqid);
	cbu_policy_delete(net, XFRM_POLICY_IN, &key->hoa, &key->cn, cnaddr,
			  reqid);
	cbu_states_delete(net, local, at, reqid);
	cbu_states_delete(net, at, local, reqid);
}

/* Both ends, (@old_l, @old) to (@new_l, @new); a fixed CN's stays put. */
static int cbu_xfrm_move(struct net *net, const struct cbu_bce_key *key,
			 u32 reqid, const struct in6_addr *old_l,
			 const struct in6_addr *old,
			 const struct in6_addr *new_l,
			 const struct in6_addr *new)
{
	struct xfrm_selector sel;
	struct xfrm_migrate m;
	int ret;

	/* Out: CN -> HoA, carried from the local end to the CoA. */
	cbu_sel(&sel, &key->cn, &key->hoa);
	cbu_mig(&m, reqid, old_l, old, new_l, new);
	ret = cbu_xfrm_migrate_call(&sel, XFRM_POLICY_OUT, &m, net);
	if (ret)
		return ret;

	/* In: HoA -> CN, carried from the CoA to the local end. */
	cbu_sel(&sel, &key->hoa, &key->cn);
	cbu_mig(&m, reqid, old, old_l, new, new_l);
	return cbu_xfrm_migrate_call(&sel, XFRM_POLICY_IN, &m, net);
}

/*
 * Where an entry's data path should start: a mobile correspondent's own
 * care-of address for (HoA, own HoA), else the CN address.  @own: which.
 */
static void cbu_xfrm_local(struct cbu_net *cn, const struct cbu_bce_key *key,
			   struct in6_addr *local, bool *own)
{
	const struct cbu_own *o;

	rcu_read_lock();
	o = rcu_dereference(cn->own);
	*own = o && ipv6_addr_equal(&o->hoa, &key->cn);
	*local = *own ? o->coa : key->cn;
	rcu_read_unlock();
}

/* Make the data path of (HoA, CN) follow its binding as it is now. */
static void cbu_xfrm_follow(struct cbu_net *cn, const struct cbu_bce_key *key)
{
	struct in6_addr at, local, want;
	struct xfrm_policy *pol;
	struct cbu_bce_info bi;
	struct cbu_bce *bce;
	bool bound, own;
	int ret;

	rcu_read_lock();
	bce = cbu_bce_lookup(cn, &key->hoa, &key->cn);
	if (bce)
		cbu_bce_snapshot(bce, &bi);
	rcu_read_unlock();
	if (!bce || !bi.reqid)
		return;
	bound = bi.b.state != CBU_BCE_KEYED;
	cbu_xfrm_local(cn, key, &want, &own);

	/* Where the data path is: the ends of the out policy. */
	pol = cbu_policy_get(cn->net, XFRM_POLICY_OUT, &key->cn, &key->hoa,
			     own ? NULL : &key->cn, bi.reqid, &at, &local);
	if (pol)
		xfrm_pol_put(pol);

	if (!bound) {
		/* Without a policy, the states at the last CoA, if any. */
		cbu_xfrm_remove(cn->net, key, bi.reqid, own,
				pol ? &local : &want, pol ? &at : &bi.b.coa);
		return;
	}
	if (!pol || (ipv6_addr_equal(&at, &bi.b.coa) &&
		     ipv6_addr_equal(&local, &want)))
		return;
	ret = cbu_xfrm_move(cn->net, key, bi.reqid, &local, &at, &want,
			    &bi.b.coa);
	if (!ret) {
		cbu_stat_inc(cn, CBU_STAT_MIGRATED);
		return;
	}
	cbu_stat_inc(cn, CBU_STAT_MIGRATE_FAILED);
	pr_debug("moving reqid %u to %pI6c failed: %d\n", bi.reqid,
		 &bi.b.coa, ret);
	cbu_event(cn, CBU_EVENT_MIGRATE_FAILED, &bi);
}

static void cbu_xfrm_work(struct work_struct *work)
{
	struct cbu_net *cn = container_of(work, struct cbu_net, xfrm_work);
	struct cbu_bce_key key;
	struct cbu_bce *bce;

	for (;;) {
		/*
		 * The entry may be freed once off the list and unlocked:
		 * its key is copied, and it is looked up again.  One at a
		 * time and nothing kept: an entry off the list is not
		 * touched here again, so an rcu_head may take @xfrm_node's
		 * place (bcache.h).
		 */
		spin_lock_bh(&cn->xfrm_lock);
		bce = list_first_entry_or_null(&cn->xfrm_pending,
					       struct cbu_bce, xfrm_node);
		if (bce) {
			list_del_init(&bce->xfrm_node);
			key = bce->key;
		}
		spin_unlock_bh(&cn->xfrm_lock);
		if (!bce)
			return;
		cbu_xfrm_follow(cn, &key);
		cond_resched();
	}
}

void cbu_xfrm_init(struct cbu_net *cn)
{
	spin_lock_init(&cn->xfrm_lock);
	INIT_LIST_HEAD(&cn->xfrm_pending);
	INIT_WORK(&cn->xfrm_work, cbu_xfrm_work);
}

/**
 * cbu_xfrm_sync - have the data path of @bce follow its binding
 * @cn: the namespace
 * @bce: the entry, whose binding moved or ended
 *
 * Context: any (softirq from the packet path); @bce alive (RCU or
 * cn->lock).  Marks @bce pending once, however often it is called before
 * the worker comes; nothing is queued once the namespace is dying, nor
 * for an entry cbu_xfrm_forget() took off: a reader under RCU may still
 * hold one that KEY_DEL has just unpublished, and on the list it would
 * outlive its grace period.  Such an entry's @xfrm_node is its rcu_head
 * (bcache.h), so @xfrm_gone is tested first and the node not read at all.
 */
void cbu_xfrm_sync(struct cbu_net *cn, struct cbu_bce *bce)
{
	if (!READ_ONCE(bce->reqid))
		return;
	spin_lock_bh(&cn->xfrm_lock);
	if (!READ_ONCE(cn->dying) && !bce->xfrm_gone &&
	    list_empty(&bce->xfrm_node)) {
		list_add_tail(&bce->xfrm_node, &cn->xfrm_pending);
		/* Under the lock: cbu_xfrm_flush() cannot come in between. */
		queue_work(system_unbound_wq, &cn->xfrm_work);
	}
	spin_unlock_bh(&cn->xfrm_lock);
}

/*
 * @bce is being unpublished: off the pending list, and kept off it (a
 * cbu_xfrm_sync() from a reader that found it before it went adds
 * nothing).  The last use of @bce->xfrm_node: call_rcu() may reuse it
 * after.  Caller holds cn->lock.
 */
void cbu_xfrm_forget(struct cbu_net *cn, struct cbu_bce *bce)
{
	spin_lock_bh(&cn->xfrm_lock);
	list_del_init(&bce->xfrm_node);
	bce->xfrm_gone = true;
	spin_unlock_bh(&cn->xfrm_lock);
}

/*
 * Namespace exit, after the hooks are gone: nothing is marked from here
 * on, and the worker is stopped.  Entries still marked go with the cache.
 */
void cbu_xfrm_flush(struct cbu_net *cn)
{
	spin_lock_bh(&cn->xfrm_lock);
	WRITE_ONCE(cn->dying, true);
	spin_unlock_bh(&cn->xfrm_lock);
	cancel_work_sync(&cn->xfrm_work);
}
