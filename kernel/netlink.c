// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "cbu" (Documentation/netlink/specs/cbu.yaml).
 *
 * Every operation carries its own policy, naming only the attributes it
 * takes, and is validated strictly (any other attribute, the read-only
 * ones of a dump among them, is refused): structural rules (lengths,
 * ranges) live in the policies, rules spanning attributes in
 * cbu_nl_bce_cfg_parse(), cbu_nl_map_parse() and cbu_nl_mb_parse() (with
 * cbu_mb_check()), and every refusal says
 * why in the extended ack.  Every operation but the version query needs CAP_NET_ADMIN in the
 * caller's network namespace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "bcache.h"
#include "map.h"
#include "netlink.h"
#include "netns.h"

static struct genl_family cbu_genl_family;

/*
 * Whether the family is registered, for the senders of events and handed-up
 * messages: the hooks and workers, which go on in every namespace after
 * the family is unregistered at unload, until the namespaces' state goes.
 * They read it under RCU; cbu_genl_uninit() clears it and waits a grace
 * period before the family, its id and its multicast groups (which
 * another family may then take) go.
 */
static bool cbu_genl_live;

/*
 * CBU_CMD_VERSION_GET takes no attribute.  Under strict validation an
 * NLA_UNSPEC entry is "Unsupported attribute", so this policy refuses all.
 */
const struct nla_policy cbu_version_get_policy[CBU_A_MAX + 1] = {
};

/*
 * Ranges wider than the s16 of NLA_POLICY_RANGE(); not const, as 6.1's
 * struct nla_policy points to them without it.
 */
static struct netlink_range_validation cbu_lifetime_range = {
	.max = CBU_LIFETIME_MAX,
};

static struct netlink_range_validation cbu_max_lifetime_range = {
	.min = 4,
	.max = CBU_LIFETIME_MAX,
};

static struct netlink_range_validation cbu_mb_lifetime_range = {
	.min = 1,
	.max = CBU_LIFETIME_MAX,
};

static struct netlink_range_validation cbu_bc_packets_range = {
	.min = 1,
	.max = 1000000,
};

static struct netlink_range_validation cbu_bc_timeout_range = {
	.min = 100,
	.max = CBU_BC_TIMEOUT_MAX_MS,
};

static struct netlink_range_validation cbu_capacity_range = {
	.min = 1,
	.max = CBU_CAPACITY_MAX,
};

/*
 * Each operation's policy names what it takes and nothing else: strict
 * validation refuses any other attribute ("Unsupported attribute"), the
 * read-only ones of a dump among them.
 */

/* KEY_NEW, KEY_SET: an entry's keys and settings. */
const struct nla_policy cbu_bce_cfg_policy[CBU_A_BCE_MAX + 1] = {
	[CBU_A_BCE_HOA] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[CBU_A_BCE_CN] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[CBU_A_BCE_ROLE] = NLA_POLICY_RANGE(NLA_U8, CBU_ROLE_CN, CBU_ROLE_MN),
	[CBU_A_BCE_K_BU] = NLA_POLICY_EXACT_LEN(CBU_KEY_LEN),
	[CBU_A_BCE_K_BA] = NLA_POLICY_EXACT_LEN(CBU_KEY_LEN),
	[CBU_A_BCE_LT_EN] = NLA_POLICY_FULL_RANGE(NLA_U32, &cbu_lifetime_range),
	[CBU_A_BCE_MAX_LIFETIME] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &cbu_lifetime_range),
	[CBU_A_BCE_REQID] = { .type = NLA_U32 },
};

/* KEY_DEL, BINDING_GET, BINDING_DEL: which entry. */
const struct nla_policy cbu_bce_key_policy[CBU_A_BCE_MAX + 1] = {
	[CBU_A_BCE_HOA] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[CBU_A_BCE_CN] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};

const struct nla_policy cbu_param_policy[CBU_A_PARAM_MAX + 1] = {
	[CBU_A_PARAM_BC_PACKETS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &cbu_bc_packets_range),
	[CBU_A_PARAM_BC_TIMEOUT] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &cbu_bc_timeout_range),
	[CBU_A_PARAM_CAPACITY] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &cbu_capacity_range),
	[CBU_A_PARAM_MAX_LIFETIME] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &cbu_max_lifetime_range),
	[CBU_A_PARAM_EVENT_RATE] = NLA_POLICY_MAX(NLA_U32, 10000),
};

const struct nla_policy cbu_home_policy[CBU_A_HOME_MAX + 1] = {
	[CBU_A_HOME_PREFIX] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[CBU_A_HOME_PREFIX_LEN] = NLA_POLICY_RANGE(NLA_U8, 1, 128),
};

static const struct nla_policy cbu_bce_cfg_nest_policy[CBU_A_MAX + 1] = {
	[CBU_A_BINDING] = NLA_POLICY_NESTED(cbu_bce_cfg_policy),
};

static const struct nla_policy cbu_bce_key_nest_policy[CBU_A_MAX + 1] = {
	[CBU_A_BINDING] = NLA_POLICY_NESTED(cbu_bce_key_policy),
};

static const struct nla_policy cbu_param_nest_policy[CBU_A_MAX + 1] = {
	[CBU_A_PARAMS] = NLA_POLICY_NESTED(cbu_param_policy),
};

static const struct nla_policy cbu_own_policy[CBU_A_OWN_MAX + 1] = {
	[CBU_A_OWN_HOA] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[CBU_A_OWN_COA] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};

static const struct nla_policy cbu_own_nest_policy[CBU_A_MAX + 1] = {
	[CBU_A_OWN] = NLA_POLICY_NESTED(cbu_own_policy),
};

static const struct nla_policy cbu_home_nest_policy[CBU_A_MAX + 1] = {
	[CBU_A_HOME] = NLA_POLICY_NESTED(cbu_home_policy),
};

/* MAP_SET; CBU_A_MAP_INTERFACE comes once per domain interface. */
const struct nla_policy cbu_map_policy[CBU_A_MAP_MAX + 1] = {
	[CBU_A_MAP_ADDRESS] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[CBU_A_MAP_RCOA_PREFIX] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[CBU_A_MAP_RCOA_PREFIX_LEN] = NLA_POLICY_RANGE(NLA_U8, 1, 128),
	[CBU_A_MAP_TUNNEL] = { .type = NLA_U32 },
	[CBU_A_MAP_INTERFACE] = NLA_POLICY_MIN(NLA_U32, 1),
};

static const struct nla_policy cbu_map_nest_policy[CBU_A_MAX + 1] = {
	[CBU_A_MAP] = NLA_POLICY_NESTED(cbu_map_policy),
};

/* MAP_BIND: a binding, all of it. */
const struct nla_policy cbu_mb_policy[CBU_A_MAP_BINDING_MAX + 1] = {
	[CBU_A_MAP_BINDING_RCOA] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[CBU_A_MAP_BINDING_LCOA] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[CBU_A_MAP_BINDING_HOA] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[CBU_A_MAP_BINDING_LIFETIME] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &cbu_mb_lifetime_range),
};

/* MAP_UNBIND, MAP_BINDING_GET: which binding. */
const struct nla_policy cbu_mb_key_policy[CBU_A_MAP_BINDING_MAX + 1] = {
	[CBU_A_MAP_BINDING_RCOA] = NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
};

static const struct nla_policy cbu_mb_nest_policy[CBU_A_MAX + 1] = {
	[CBU_A_MAP_BINDING] = NLA_POLICY_NESTED(cbu_mb_policy),
};

static const struct nla_policy cbu_mb_key_nest_policy[CBU_A_MAX + 1] = {
	[CBU_A_MAP_BINDING] = NLA_POLICY_NESTED(cbu_mb_key_policy),
};

/* HoA and CN must be unicast addresses a node can have. */
static bool cbu_addr_ok(const struct in6_addr *a)
{
	int type = ipv6_addr_type(a);

	return !(type & (IPV6_ADDR_MULTICAST | IPV6_ADDR_LOOPBACK)) &&
	       type != IPV6_ADDR_ANY && !ipv6_addr_v4mapped(a);
}

/* Parse the (HoA, CN) key of a nested CBU_A_BINDING. */
static int cbu_nl_bce_key(struct nlattr **tb, struct cbu_bce_key *key,
			  const struct nlattr *nest,
			  struct netlink_ext_ack *extack)
{
	if (!tb[CBU_A_BCE_HOA]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CBU_A_BCE_HOA);
		NL_SET_ERR_MSG_MOD(extack, "missing home address");
		return -EINVAL;
	}
	if (!tb[CBU_A_BCE_CN]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CBU_A_BCE_CN);
		NL_SET_ERR_MSG_MOD(extack, "missing correspondent address");
		return -EINVAL;
	}
	nla_memcpy(&key->hoa, tb[CBU_A_BCE_HOA], sizeof(key->hoa));
	nla_memcpy(&key->cn, tb[CBU_A_BCE_CN], sizeof(key->cn));
	if (!cbu_addr_ok(&key->hoa)) {
		NL_SET_ERR_MSG_MOD(extack, "home address must be unicast");
		NL_SET_BAD_ATTR(extack, tb[CBU_A_BCE_HOA]);
		return -EINVAL;
	}
	if (!cbu_addr_ok(&key->cn)) {
		NL_SET_ERR_MSG_MOD(extack, "correspondent address must be unicast");
		NL_SET_BAD_ATTR(extack, tb[CBU_A_BCE_CN]);
		return -EINVAL;
	}
	if (ipv6_addr_equal(&key->hoa, &key->cn)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "home and correspondent addresses are equal");
		return -EINVAL;
	}
	return 0;
}

/**
 * cbu_nl_bce_cfg_parse - the rules of KEY_SET spanning its attributes
 * @tb: the parsed CBU_A_BINDING nest
 * @cfg: filled on success
 * @nest: the nest, to point at a missing attribute
 * @extack: why not
 *
 * Both roles need k_BA; a correspondent also needs k_BU.  Secrets in @cfg
 * are the caller's to wipe.
 */
int cbu_nl_bce_cfg_parse(struct nlattr **tb, struct cbu_bce_cfg *cfg,
			 const struct nlattr *nest,
			 struct netlink_ext_ack *extack)
{
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	ret = cbu_nl_bce_key(tb, &cfg->key, nest, extack);
	if (ret)
		return ret;
	if (!tb[CBU_A_BCE_ROLE]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CBU_A_BCE_ROLE);
		NL_SET_ERR_MSG_MOD(extack, "missing role");
		return -EINVAL;
	}
	cfg->role = nla_get_u8(tb[CBU_A_BCE_ROLE]);
	if (!tb[CBU_A_BCE_K_BA]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CBU_A_BCE_K_BA);
		NL_SET_ERR_MSG_MOD(extack, "missing k_BA");
		return -EINVAL;
	}
	if (cfg->role == CBU_ROLE_CN && !tb[CBU_A_BCE_K_BU]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CBU_A_BCE_K_BU);
		NL_SET_ERR_MSG_MOD(extack, "a correspondent needs k_BU");
		return -EINVAL;
	}
	if (cfg->role == CBU_ROLE_MN && tb[CBU_A_BCE_K_BU]) {
		NL_SET_ERR_MSG_MOD(extack, "a mobile node's kernel has no use for k_BU");
		NL_SET_BAD_ATTR(extack, tb[CBU_A_BCE_K_BU]);
		return -EINVAL;
	}
	nla_memcpy(cfg->k_ba, tb[CBU_A_BCE_K_BA], CBU_KEY_LEN);
	if (tb[CBU_A_BCE_K_BU])
		nla_memcpy(cfg->k_bu, tb[CBU_A_BCE_K_BU], CBU_KEY_LEN);
	if (tb[CBU_A_BCE_LT_EN]) {
		cfg->lt_en = nla_get_u32(tb[CBU_A_BCE_LT_EN]);
		cfg->has_lt_en = true;
	}
	if (tb[CBU_A_BCE_MAX_LIFETIME]) {
		cfg->max_lifetime = nla_get_u32(tb[CBU_A_BCE_MAX_LIFETIME]);
		cfg->has_max_lifetime = true;
	}
	if (tb[CBU_A_BCE_REQID]) {
		cfg->reqid = nla_get_u32(tb[CBU_A_BCE_REQID]);
		cfg->has_reqid = true;
	}
	return 0;
}

/* The CBU_A_BINDING nest of a request, parsed with @policy. */
static int cbu_nl_binding(struct genl_info *info, struct nlattr **tb,
			  const struct nla_policy *policy)
{
	struct nlattr *nest = info->attrs[CBU_A_BINDING];

	if (GENL_REQ_ATTR_CHECK(info, CBU_A_BINDING))
		return -EINVAL;
	return nla_parse_nested(tb, CBU_A_BCE_MAX, nest, policy, info->extack);
}

/*
 * KEY_NEW and KEY_SET: genetlink refuses the rtnetlink-style NLM_F_CREATE,
 * NLM_F_REPLACE and NLM_F_EXCL flags of new families, so creating and
 * replacing are two commands.
 */
static int cbu_nl_key_change(struct genl_info *info, bool create)
{
	struct cbu_net *cn = cbu_net(genl_info_net(info));
	struct nlattr *tb[CBU_A_BCE_MAX + 1];
	struct cbu_bce_cfg cfg;
	int ret;

	ret = cbu_nl_binding(info, tb, cbu_bce_cfg_policy);
	if (ret)
		return ret;
	ret = cbu_nl_bce_cfg_parse(tb, &cfg, info->attrs[CBU_A_BINDING],
				   info->extack);
	if (!ret)
		ret = cbu_bce_set(cn, &cfg, create, !create, create,
				  info->extack);
	memzero_explicit(&cfg, sizeof(cfg));
	return ret;
}

static int cbu_nl_key_new_doit(struct sk_buff *skb, struct genl_info *info)
{
	return cbu_nl_key_change(info, true);
}

static int cbu_nl_key_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	return cbu_nl_key_change(info, false);
}

/* The (HoA, CN) a KEY_DEL, BINDING_DEL or BINDING_GET names. */
static int cbu_nl_req_key(struct genl_info *info, struct cbu_bce_key *key)
{
	struct nlattr *tb[CBU_A_BCE_MAX + 1];
	int ret;

	ret = cbu_nl_binding(info, tb, cbu_bce_key_policy);
	if (ret)
		return ret;
	return cbu_nl_bce_key(tb, key, info->attrs[CBU_A_BINDING],
			      info->extack);
}

static int cbu_nl_entry_op(struct genl_info *info,
			   int (*op)(struct cbu_net *cn,
				     const struct cbu_bce_key *key))
{
	struct cbu_bce_key key;
	int ret;

	ret = cbu_nl_req_key(info, &key);
	if (ret)
		return ret;
	ret = op(cbu_net(genl_info_net(info)), &key);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_MOD(info->extack, "no such binding cache entry");
	return ret;
}

static int cbu_nl_key_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return cbu_nl_entry_op(info, cbu_bce_del);
}

static int cbu_nl_binding_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return cbu_nl_entry_op(info, cbu_bce_unbind);
}

/* The CBU_A_BINDING nest describing an entry; never its keys. */
int cbu_nl_fill_binding(struct sk_buff *skb, const struct cbu_bce_info *bi)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, CBU_A_BINDING);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_in6_addr(skb, CBU_A_BCE_HOA, &bi->key.hoa) ||
	    nla_put_in6_addr(skb, CBU_A_BCE_CN, &bi->key.cn) ||
	    nla_put_u8(skb, CBU_A_BCE_ROLE, bi->role) ||
	    nla_put_u32(skb, CBU_A_BCE_LT_EN, bi->lt_en) ||
	    nla_put_u32(skb, CBU_A_BCE_MAX_LIFETIME, bi->max_lifetime) ||
	    nla_put_u32(skb, CBU_A_BCE_REQID, bi->reqid) ||
	    nla_put_u8(skb, CBU_A_BCE_STATE, bi->b.state) ||
	    nla_put_u64_64bit(skb, CBU_A_BCE_PACKETS, bi->packets,
			      CBU_A_BCE_PAD) ||
	    nla_put_u64_64bit(skb, CBU_A_BCE_BYTES, bi->bytes, CBU_A_BCE_PAD) ||
	    nla_put_u64_64bit(skb, CBU_A_BCE_UPDATES, bi->updates,
			      CBU_A_BCE_PAD))
		goto err_cancel;
	if (bi->b.has_seq && nla_put_u16(skb, CBU_A_BCE_SEQ, bi->b.seq))
		goto err_cancel;
	/* A mobile node's entry counts no unconfirmed packets: 0. */
	if (bi->b.state != CBU_BCE_KEYED &&
	    (nla_put_in6_addr(skb, CBU_A_BCE_COA, &bi->b.coa) ||
	     nla_put_u32(skb, CBU_A_BCE_LIFETIME, bi->lifetime_left) ||
	     nla_put_u32(skb, CBU_A_BCE_UNCONFIRMED,
			 bi->role == CBU_ROLE_CN ? bi->b.unconfirmed : 0)))
		goto err_cancel;
	/* A mobile node's correspondent away from home: where it is. */
	if (bi->role == CBU_ROLE_MN && bi->b.state != CBU_BCE_KEYED &&
	    !ipv6_addr_equal(&bi->b.peer, &bi->key.cn) &&
	    nla_put_in6_addr(skb, CBU_A_BCE_PEER_COA, &bi->b.peer))
		goto err_cancel;
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int cbu_nl_binding_msg(struct sk_buff *skb, u32 portid, u32 seq,
			      int flags, u8 cmd, const struct cbu_bce_info *bi)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &cbu_genl_family, flags, cmd);
	if (!hdr)
		return -EMSGSIZE;
	if (cbu_nl_fill_binding(skb, bi)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int cbu_nl_binding_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cbu_net *cn = cbu_net(genl_info_net(info));
	struct cbu_bce_info bi;
	struct cbu_bce_key key;
	struct cbu_bce *bce;
	struct sk_buff *msg;
	int ret;

	ret = cbu_nl_req_key(info, &key);
	if (ret)
		return ret;

	rcu_read_lock();
	bce = cbu_bce_lookup(cn, &key.hoa, &key.cn);
	if (bce)
		cbu_bce_snapshot(bce, &bi);
	rcu_read_unlock();
	if (!bce) {
		NL_SET_ERR_MSG_MOD(info->extack, "no such binding cache entry");
		return -ENOENT;
	}

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = cbu_nl_binding_msg(msg, info->snd_portid, info->snd_seq, 0,
				 CBU_CMD_BINDING_GET, &bi);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/*
 * The dumps of an rhashtable (the binding cache, the map's bindings) walk
 * it with a walker kept across their rounds (cb->args[0]): every object
 * once, O(n) in all, no lock held; objects are read under RCU.  One that
 * does not fit in a round's skb is peeked at again in the next.  The
 * table may change meanwhile: an object added or removed may be missed,
 * or after a resize shown twice, and a generation, bumped at every change
 * of the set (cn->gen, cn->mb_gen), makes genl_dump_check_consistent()
 * flag such a dump (NLM_F_DUMP_INTR).
 */
static int cbu_nl_rht_dump_start(struct netlink_callback *cb,
				 struct rhashtable *ht)
{
	struct rhashtable_iter *iter;

	iter = kmalloc(sizeof(*iter), GFP_KERNEL);
	if (!iter)
		return -ENOMEM;
	rhashtable_walk_enter(ht, iter);
	cb->args[0] = (unsigned long)iter;
	return 0;
}

static int cbu_nl_rht_dump_done(struct netlink_callback *cb)
{
	struct rhashtable_iter *iter = (struct rhashtable_iter *)cb->args[0];

	if (iter) {
		rhashtable_walk_exit(iter);
		kfree(iter);
	}
	return 0;
}

/*
 * One round: a message @cmd per object, its nest put by @fill (which
 * snapshots the object; nothing added on failure).
 */
static int cbu_nl_rht_dumpit(struct sk_buff *skb, struct netlink_callback *cb,
			     unsigned int gen, u8 cmd,
			     int (*fill)(struct sk_buff *skb, void *obj))
{
	struct rhashtable_iter *iter = (struct rhashtable_iter *)cb->args[0];
	void *obj, *hdr;

	cb->seq = gen;
	rhashtable_walk_start(iter);
	for (obj = rhashtable_walk_peek(iter); obj;
	     obj = rhashtable_walk_next(iter)) {
		if (IS_ERR(obj)) {
			if (PTR_ERR(obj) == -EAGAIN)
				continue;	/* resized: from the start */
			break;
		}
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &cbu_genl_family,
				  NLM_F_MULTI, cmd);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (fill(skb, obj)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	rhashtable_walk_stop(iter);
	/* Empty means done; otherwise the next round peeks where this ended. */
	return skb->len;
}

static int cbu_nl_binding_dump_start(struct netlink_callback *cb)
{
	struct cbu_net *cn = cbu_net(sock_net(cb->skb->sk));

	return cbu_nl_rht_dump_start(cb, &cn->bcache);
}

static int cbu_nl_bce_fill(struct sk_buff *skb, void *obj)
{
	struct cbu_bce_info bi;

	cbu_bce_snapshot(obj, &bi);
	return cbu_nl_fill_binding(skb, &bi);
}

static int cbu_nl_binding_get_dumpit(struct sk_buff *skb,
				     struct netlink_callback *cb)
{
	return cbu_nl_rht_dumpit(skb, cb,
				 READ_ONCE(cbu_net(sock_net(skb->sk))->gen),
				 CBU_CMD_BINDING_GET, cbu_nl_bce_fill);
}

static int cbu_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cbu_net *cn = cbu_net(genl_info_net(info));
	u64 stats[__CBU_STAT_MAX];
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	int i;

	cbu_stats_read(cn, stats);
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, info->snd_portid, info->snd_seq,
			  &cbu_genl_family, 0, CBU_CMD_STATS_GET);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(msg, CBU_A_STATS);
	if (!nest)
		goto err_free;
	for (i = 0; i < __CBU_STAT_MAX; i++)
		if (nla_put_u64_64bit(msg, CBU_A_STAT(i), stats[i],
				      CBU_A_STAT_PAD))
			goto err_free;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int cbu_nl_stats_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	cbu_stats_reset(cbu_net(genl_info_net(info)));
	return 0;
}

static int cbu_nl_param_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cbu_net *cn = cbu_net(genl_info_net(info));
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, info->snd_portid, info->snd_seq,
			  &cbu_genl_family, 0, CBU_CMD_PARAM_GET);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(msg, CBU_A_PARAMS);
	if (!nest)
		goto err_free;
	if (nla_put_u32(msg, CBU_A_PARAM_BC_PACKETS,
			READ_ONCE(cn->params.bc_packets)) ||
	    nla_put_u32(msg, CBU_A_PARAM_BC_TIMEOUT,
			READ_ONCE(cn->params.bc_timeout_ms)) ||
	    nla_put_u32(msg, CBU_A_PARAM_CAPACITY,
			READ_ONCE(cn->params.capacity)) ||
	    nla_put_u32(msg, CBU_A_PARAM_MAX_LIFETIME,
			READ_ONCE(cn->params.max_lifetime)) ||
	    nla_put_u32(msg, CBU_A_PARAM_EVENT_RATE,
			READ_ONCE(cn->params.event_rate)) ||
	    nla_put_u32(msg, CBU_A_PARAM_ENTRIES, atomic_read(&cn->entries)))
		goto err_free;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int cbu_nl_param_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cbu_net *cn = cbu_net(genl_info_net(info));
	struct nlattr *tb[CBU_A_PARAM_MAX + 1];
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, CBU_A_PARAMS))
		return -EINVAL;
	ret = nla_parse_nested(tb, CBU_A_PARAM_MAX, info->attrs[CBU_A_PARAMS],
			       cbu_param_policy, info->extack);
	if (ret)
		return ret;

	mutex_lock(&cn->lock);
	/* Check everything before changing anything. */
	if (tb[CBU_A_PARAM_CAPACITY] &&
	    nla_get_u32(tb[CBU_A_PARAM_CAPACITY]) > cbu_capacity_limit(cn)) {
		mutex_unlock(&cn->lock);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "a namespace owned by a non-initial user namespace holds at most "
				   __stringify(CBU_USERNS_CAPACITY_MAX) " entries");
		NL_SET_BAD_ATTR(info->extack, tb[CBU_A_PARAM_CAPACITY]);
		return -EPERM;
	}
	if (tb[CBU_A_PARAM_CAPACITY] &&
	    nla_get_u32(tb[CBU_A_PARAM_CAPACITY]) <
	    (u32)atomic_read(&cn->entries)) {
		mutex_unlock(&cn->lock);
		NL_SET_ERR_MSG_MOD(info->extack, "capacity below the entries in the cache");
		NL_SET_BAD_ATTR(info->extack, tb[CBU_A_PARAM_CAPACITY]);
		return -EBUSY;
	}
	if (tb[CBU_A_PARAM_CAPACITY] &&
	    nla_get_u32(tb[CBU_A_PARAM_CAPACITY]) < cn->n_mb) {
		mutex_unlock(&cn->lock);
		NL_SET_ERR_MSG_MOD(info->extack, "capacity below the map's bindings");
		NL_SET_BAD_ATTR(info->extack, tb[CBU_A_PARAM_CAPACITY]);
		return -EBUSY;
	}
	if (tb[CBU_A_PARAM_BC_PACKETS])
		WRITE_ONCE(cn->params.bc_packets,
			   nla_get_u32(tb[CBU_A_PARAM_BC_PACKETS]));
	if (tb[CBU_A_PARAM_BC_TIMEOUT])
		WRITE_ONCE(cn->params.bc_timeout_ms,
			   nla_get_u32(tb[CBU_A_PARAM_BC_TIMEOUT]));
	if (tb[CBU_A_PARAM_CAPACITY])
		WRITE_ONCE(cn->params.capacity,
			   nla_get_u32(tb[CBU_A_PARAM_CAPACITY]));
	if (tb[CBU_A_PARAM_MAX_LIFETIME])
		WRITE_ONCE(cn->params.max_lifetime,
			   nla_get_u32(tb[CBU_A_PARAM_MAX_LIFETIME]));
	if (tb[CBU_A_PARAM_EVENT_RATE]) {
		WRITE_ONCE(cn->params.event_rate,
			   nla_get_u32(tb[CBU_A_PARAM_EVENT_RATE]));
		WRITE_ONCE(cn->event_rs.burst,
			   nla_get_u32(tb[CBU_A_PARAM_EVENT_RATE]));
	}
	mutex_unlock(&cn->lock);
	return 0;
}

static int cbu_nl_home_parse(struct genl_info *info, struct in6_addr *prefix,
			     u8 *len)
{
	struct nlattr *tb[CBU_A_HOME_MAX + 1];
	struct nlattr *nest = info->attrs[CBU_A_HOME];
	struct in6_addr raw;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, CBU_A_HOME))
		return -EINVAL;
	ret = nla_parse_nested(tb, CBU_A_HOME_MAX, nest, cbu_home_policy,
			       info->extack);
	if (ret)
		return ret;
	if (!tb[CBU_A_HOME_PREFIX] || !tb[CBU_A_HOME_PREFIX_LEN]) {
		NL_SET_ERR_ATTR_MISS(info->extack, nest,
				     tb[CBU_A_HOME_PREFIX] ?
				     CBU_A_HOME_PREFIX_LEN : CBU_A_HOME_PREFIX);
		NL_SET_ERR_MSG_MOD(info->extack, "missing prefix or length");
		return -EINVAL;
	}
	raw = nla_get_in6_addr(tb[CBU_A_HOME_PREFIX]);
	*len = nla_get_u8(tb[CBU_A_HOME_PREFIX_LEN]);
	/* ipv6_addr_prefix() clears its output first: not in place. */
	ipv6_addr_prefix(prefix, &raw, *len);
	if (!cbu_addr_ok(prefix)) {
		NL_SET_ERR_MSG_MOD(info->extack, "home prefix must be unicast");
		NL_SET_BAD_ATTR(info->extack, tb[CBU_A_HOME_PREFIX]);
		return -EINVAL;
	}
	return 0;
}

/*
 * A namespace that hands messages up (a home prefix, a map) needs the
 * per-source limiter of the mh group and the hooks.  Under cn->lock; on
 * failure the caller leaves the hooks as cbu_hooks_idle() finds them.
 */
static int cbu_nl_hand_up_want(struct cbu_net *cn,
			       struct netlink_ext_ack *extack)
{
	int ret;

	lockdep_assert_held(&cn->lock);
	ret = cbu_limiter_make(cn, CBU_LIMIT_MH);
	if (ret)
		return ret;
	ret = cbu_hooks_want(cn);
	if (ret)
		NL_SET_ERR_MSG_MOD(extack, "cannot register the netfilter hooks");
	return ret;
}

/* Home prefixes are few: the set is copied whole and swapped under RCU. */
static int cbu_nl_home_change(struct genl_info *info, bool add)
{
	struct cbu_net *cn = cbu_net(genl_info_net(info));
	struct cbu_homes *old, *new;
	struct in6_addr prefix;
	unsigned int i, n, found;
	u8 len;
	int ret;

	ret = cbu_nl_home_parse(info, &prefix, &len);
	if (ret)
		return ret;

	mutex_lock(&cn->lock);
	old = rcu_dereference_protected(cn->homes, lockdep_is_held(&cn->lock));
	n = old ? old->n : 0;
	for (found = 0; found < n; found++)
		if (old->p[found].len == len &&
		    ipv6_addr_equal(&old->p[found].prefix, &prefix))
			break;
	if (add && found < n) {
		NL_SET_ERR_MSG_MOD(info->extack, "home prefix served already");
		ret = -EEXIST;
		goto out_unlock;
	}
	if (!add && found == n) {
		NL_SET_ERR_MSG_MOD(info->extack, "home prefix not served");
		ret = -ENOENT;
		goto out_unlock;
	}
	if (add && n == CBU_HOMES_MAX) {
		NL_SET_ERR_MSG_MOD(info->extack, "too many home prefixes");
		ret = -ENOSPC;
		goto out_unlock;
	}
	/* Served prefixes get messages handed up: at a per-source rate. */
	if (add) {
		ret = cbu_nl_hand_up_want(cn, info->extack);
		if (ret)
			goto out_unlock;
	}

	new = kzalloc(struct_size(new, p, add ? n + 1 : n - 1),
		      GFP_KERNEL_ACCOUNT);
	if (!new) {
		ret = -ENOMEM;
		goto out_idle;
	}
	for (i = 0; i < n; i++)
		if (i != found)
			new->p[new->n++] = old->p[i];
	if (add) {
		new->p[new->n].prefix = prefix;
		new->p[new->n].len = len;
		new->n++;
	}
	rcu_assign_pointer(cn->homes, new);
	if (old)
		kfree_rcu(old, rcu);
out_idle:
	/* Unless the namespace still holds something, the hooks go. */
	cbu_hooks_idle(cn);
out_unlock:
	mutex_unlock(&cn->lock);
	return ret;
}

static int cbu_nl_home_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	return cbu_nl_home_change(info, true);
}

static int cbu_nl_home_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	return cbu_nl_home_change(info, false);
}

static int cbu_nl_home_get_dumpit(struct sk_buff *skb,
				  struct netlink_callback *cb)
{
	struct cbu_net *cn = cbu_net(sock_net(skb->sk));
	const struct cbu_homes *homes;
	unsigned long i;
	struct nlattr *nest;
	void *hdr;

	rcu_read_lock();
	homes = rcu_dereference(cn->homes);
	for (i = cb->args[0]; homes && i < homes->n; i++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &cbu_genl_family,
				  NLM_F_MULTI, CBU_CMD_HOME_GET);
		if (!hdr)
			break;
		nest = nla_nest_start(skb, CBU_A_HOME);
		if (!nest ||
		    nla_put_in6_addr(skb, CBU_A_HOME_PREFIX,
				     &homes->p[i].prefix) ||
		    nla_put_u8(skb, CBU_A_HOME_PREFIX_LEN, homes->p[i].len)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		nla_nest_end(skb, nest);
		genlmsg_end(skb, hdr);
	}
	rcu_read_unlock();
	cb->args[0] = i;
	return skb->len;
}

/*
 * OWN_SET: a mobile node that takes correspondents (draft section 4) gives
 * its home address and, at each move, its care-of address; without a
 * care-of address, the pair goes.  Replaced whole under RCU.
 */
static int cbu_nl_own_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cbu_net *cn = cbu_net(genl_info_net(info));
	struct nlattr *tb[CBU_A_OWN_MAX + 1];
	struct nlattr *nest = info->attrs[CBU_A_OWN];
	struct cbu_own *old, *new = NULL;
	struct in6_addr hoa;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, CBU_A_OWN))
		return -EINVAL;
	ret = nla_parse_nested(tb, CBU_A_OWN_MAX, nest, cbu_own_policy,
			       info->extack);
	if (ret)
		return ret;
	if (!tb[CBU_A_OWN_HOA]) {
		NL_SET_ERR_ATTR_MISS(info->extack, nest, CBU_A_OWN_HOA);
		NL_SET_ERR_MSG_MOD(info->extack, "missing home address");
		return -EINVAL;
	}
	hoa = nla_get_in6_addr(tb[CBU_A_OWN_HOA]);
	if (tb[CBU_A_OWN_COA]) {
		new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
		if (!new)
			return -ENOMEM;
		new->hoa = hoa;
		new->coa = nla_get_in6_addr(tb[CBU_A_OWN_COA]);
		if (!cbu_addr_ok(&new->hoa) || !cbu_addr_ok(&new->coa)) {
			NL_SET_ERR_MSG_MOD(info->extack,
					   "addresses must be unicast");
			kfree(new);
			return -EINVAL;
		}
		if (ipv6_addr_equal(&new->hoa, &new->coa)) {
			NL_SET_ERR_MSG_MOD(info->extack,
					   "home and care-of addresses are equal");
			kfree(new);
			return -EINVAL;
		}
	}

	mutex_lock(&cn->lock);
	old = rcu_dereference_protected(cn->own, lockdep_is_held(&cn->lock));
	/* Forgetting names the address forgotten: no clearing by mistake. */
	if (!new && (!old || !ipv6_addr_equal(&old->hoa, &hoa))) {
		mutex_unlock(&cn->lock);
		NL_SET_ERR_MSG_MOD(info->extack,
				   "not this node's own home address");
		return -ENOENT;
	}
	rcu_assign_pointer(cn->own, new);
	/* A new care-of address: the paths of (HoA, own HoA) start there. */
	if (new && (!old || !ipv6_addr_equal(&old->coa, &new->coa)))
		cbu_bcache_sync_cn(cn, &new->hoa);
	mutex_unlock(&cn->lock);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
}

static int cbu_nl_own_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cbu_net *cn = cbu_net(genl_info_net(info));
	const struct cbu_own *own;
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, info->snd_portid, info->snd_seq,
			  &cbu_genl_family, 0, CBU_CMD_OWN_GET);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(msg, CBU_A_OWN);
	if (!nest)
		goto err_free;
	rcu_read_lock();
	own = rcu_dereference(cn->own);
	if (own && (nla_put_in6_addr(msg, CBU_A_OWN_HOA, &own->hoa) ||
		    nla_put_in6_addr(msg, CBU_A_OWN_COA, &own->coa))) {
		rcu_read_unlock();
		goto err_free;
	}
	rcu_read_unlock();
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* Does @net have a device of @ifindex now?  Context: process. */
static bool cbu_nl_dev_exists(struct net *net, u32 ifindex)
{
	bool found;

	if (ifindex > INT_MAX)
		return false;
	rcu_read_lock();
	found = dev_get_by_index_rcu(net, ifindex);
	rcu_read_unlock();
	return found;
}

/**
 * cbu_nl_map_parse - MAP_SET's CBU_A_MAP nest, checked whole
 * @net: the namespace whose devices the ifindexes name
 * @nest: the nest
 * @map: filled on success (all of it: the caller's to publish)
 * @extack: why not
 *
 * The policy has checked each attribute; here go the rules spanning them:
 * the address, the prefix and its length, and 1 to
 * %CBU_MAP_INTERFACES_MAX domain interfaces are required; the addresses
 * unicast; each interface named once, existing in @net; a tunnel, if not
 * 0, existing and not a domain interface.
 *
 * Return: 0, or a negative errno with @extack set.
 */
int cbu_nl_map_parse(struct net *net, const struct nlattr *nest,
		     struct cbu_map *map, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CBU_A_MAP_MAX + 1];
	const struct nlattr *a;
	unsigned int n = 0;
	struct in6_addr raw;
	int rem, ret;
	u32 ifindex;

	memset(map, 0, sizeof(*map));
	ret = nla_parse_nested(tb, CBU_A_MAP_MAX, nest, cbu_map_policy, extack);
	if (ret)
		return ret;
	if (!tb[CBU_A_MAP_ADDRESS]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CBU_A_MAP_ADDRESS);
		NL_SET_ERR_MSG_MOD(extack, "missing map address");
		return -EINVAL;
	}
	if (!tb[CBU_A_MAP_RCOA_PREFIX] || !tb[CBU_A_MAP_RCOA_PREFIX_LEN]) {
		NL_SET_ERR_ATTR_MISS(extack, nest,
				     tb[CBU_A_MAP_RCOA_PREFIX] ?
				     CBU_A_MAP_RCOA_PREFIX_LEN :
				     CBU_A_MAP_RCOA_PREFIX);
		NL_SET_ERR_MSG_MOD(extack, "missing RCoA prefix or length");
		return -EINVAL;
	}
	if (!tb[CBU_A_MAP_INTERFACE]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CBU_A_MAP_INTERFACE);
		NL_SET_ERR_MSG_MOD(extack, "missing domain interface");
		return -EINVAL;
	}
	map->addr = nla_get_in6_addr(tb[CBU_A_MAP_ADDRESS]);
	if (!cbu_addr_ok(&map->addr)) {
		NL_SET_ERR_MSG_MOD(extack, "map address must be unicast");
		NL_SET_BAD_ATTR(extack, tb[CBU_A_MAP_ADDRESS]);
		return -EINVAL;
	}
	raw = nla_get_in6_addr(tb[CBU_A_MAP_RCOA_PREFIX]);
	map->rcoa_len = nla_get_u8(tb[CBU_A_MAP_RCOA_PREFIX_LEN]);
	/* ipv6_addr_prefix() clears its output first: not in place. */
	ipv6_addr_prefix(&map->rcoa, &raw, map->rcoa_len);
	if (!cbu_addr_ok(&map->rcoa)) {
		NL_SET_ERR_MSG_MOD(extack, "RCoA prefix must be unicast");
		NL_SET_BAD_ATTR(extack, tb[CBU_A_MAP_RCOA_PREFIX]);
		return -EINVAL;
	}

	/* The count first: a long list is refused before any lookup. */
	nla_for_each_nested(a, nest, rem)
		if (nla_type(a) == CBU_A_MAP_INTERFACE &&
		    ++n > CBU_MAP_INTERFACES_MAX) {
			NL_SET_ERR_MSG_MOD(extack, "at most "
					   __stringify(CBU_MAP_INTERFACES_MAX)
					   " domain interfaces");
			NL_SET_BAD_ATTR(extack, a);
			return -E2BIG;
		}
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != CBU_A_MAP_INTERFACE)
			continue;
		ifindex = nla_get_u32(a);
		if (cbu_map_domain(map, ifindex)) {
			NL_SET_ERR_MSG_MOD(extack, "domain interface named twice");
			NL_SET_BAD_ATTR(extack, a);
			return -EINVAL;
		}
		if (!cbu_nl_dev_exists(net, ifindex)) {
			NL_SET_ERR_MSG_MOD(extack, "no such domain interface");
			NL_SET_BAD_ATTR(extack, a);
			return -ENODEV;
		}
		map->ifindex[map->n_ifs++] = ifindex;
	}
	if (tb[CBU_A_MAP_TUNNEL]) {
		ifindex = nla_get_u32(tb[CBU_A_MAP_TUNNEL]);
		if (ifindex && !cbu_nl_dev_exists(net, ifindex)) {
			NL_SET_ERR_MSG_MOD(extack, "no such tunnel device");
			NL_SET_BAD_ATTR(extack, tb[CBU_A_MAP_TUNNEL]);
			return -ENODEV;
		}
		if (ifindex && cbu_map_domain(map, ifindex)) {
			NL_SET_ERR_MSG_MOD(extack,
					   "the tunnel is not a domain interface");
			NL_SET_BAD_ATTR(extack, tb[CBU_A_MAP_TUNNEL]);
			return -EINVAL;
		}
		map->tunnel = ifindex;
	}
	return 0;
}

/*
 * MAP_SET: the map is checked whole, then replaces the one before under
 * RCU; a refusal changes nothing.  Local BUs are handed up at each
 * source's rate (the MH limiter) and need the hooks.
 */
static int cbu_nl_map_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cbu_net *cn = cbu_net(genl_info_net(info));
	struct cbu_map *old, *new;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, CBU_A_MAP))
		return -EINVAL;
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return -ENOMEM;
	ret = cbu_nl_map_parse(genl_info_net(info), info->attrs[CBU_A_MAP],
			       new, info->extack);
	if (ret)
		goto err_free;

	mutex_lock(&cn->lock);
	old = rcu_dereference_protected(cn->map, lockdep_is_held(&cn->lock));
	/* Bindings are checked against the prefix when made: it stays. */
	if (cn->n_mb && (old->rcoa_len != new->rcoa_len ||
			 !ipv6_addr_equal(&old->rcoa, &new->rcoa))) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the map has bindings: its RCoA prefix cannot change");
		ret = -EBUSY;
		goto err_unlock;
	}
	ret = cbu_nl_hand_up_want(cn, info->extack);
	if (ret)
		goto err_idle;
	ret = new->tunnel ? cbu_map_hook_want(cn) : 0;
	if (ret) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "cannot register the netfilter hooks");
		goto err_idle;
	}
	rcu_assign_pointer(cn->map, new);
	/* Without a tunnel there is nothing to check on the way out. */
	cbu_map_hook_idle(cn);
	mutex_unlock(&cn->lock);
	/* A hook may still read the old one: after a grace period. */
	if (old)
		kfree_rcu(old, rcu);
	return 0;

err_idle:
	cbu_hooks_idle(cn);
	cbu_map_hook_idle(cn);
err_unlock:
	mutex_unlock(&cn->lock);
err_free:
	kfree(new);
	return ret;
}

static int cbu_nl_map_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cbu_net *cn = cbu_net(genl_info_net(info));
	struct cbu_map *old;

	mutex_lock(&cn->lock);
	old = rcu_dereference_protected(cn->map, lockdep_is_held(&cn->lock));
	if (!old) {
		mutex_unlock(&cn->lock);
		NL_SET_ERR_MSG_MOD(info->extack, "no map set");
		return -ENOENT;
	}
	RCU_INIT_POINTER(cn->map, NULL);
	/* Its bindings go with it, and its hook; the others unless needed. */
	cbu_mb_flush(cn);
	cbu_map_hook_idle(cn);
	cbu_hooks_idle(cn);
	mutex_unlock(&cn->lock);
	kfree_rcu(old, rcu);
	return 0;
}

/* The CBU_A_MAP nest of @map; nothing added on failure. */
int cbu_nl_fill_map(struct sk_buff *skb, const struct cbu_map *map)
{
	struct nlattr *nest;
	unsigned int i;

	nest = nla_nest_start(skb, CBU_A_MAP);
	if (!nest)
		return -EMSGSIZE;
	if (map &&
	    (nla_put_in6_addr(skb, CBU_A_MAP_ADDRESS, &map->addr) ||
	     nla_put_in6_addr(skb, CBU_A_MAP_RCOA_PREFIX, &map->rcoa) ||
	     nla_put_u8(skb, CBU_A_MAP_RCOA_PREFIX_LEN, map->rcoa_len) ||
	     nla_put_u32(skb, CBU_A_MAP_TUNNEL, map->tunnel)))
		goto err_cancel;
	for (i = 0; map && i < map->n_ifs; i++)
		if (nla_put_u32(skb, CBU_A_MAP_INTERFACE, map->ifindex[i]))
			goto err_cancel;
	nla_nest_end(skb, nest);
	return 0;

err_cancel:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

static int cbu_nl_map_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cbu_net *cn = cbu_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, info->snd_portid, info->snd_seq,
			  &cbu_genl_family, 0, CBU_CMD_MAP_GET);
	if (!hdr)
		goto err_free;
	rcu_read_lock();
	ret = cbu_nl_fill_map(msg, rcu_dereference(cn->map));
	rcu_read_unlock();
	if (ret)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

/* An address of a binding: required, unicast.  @extack's attribute says which. */
static int cbu_nl_mb_addr(struct nlattr **tb, int type,
			  const struct nlattr *nest, struct in6_addr *a,
			  struct netlink_ext_ack *extack)
{
	if (!tb[type]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, type);
		NL_SET_ERR_MSG_MOD(extack, "missing RCoA, LCoA or home address");
		return -EINVAL;
	}
	*a = nla_get_in6_addr(tb[type]);
	if (!cbu_addr_ok(a)) {
		NL_SET_ERR_MSG_MOD(extack, "address must be unicast");
		NL_SET_BAD_ATTR(extack, tb[type]);
		return -EINVAL;
	}
	return 0;
}

/**
 * cbu_nl_mb_parse - MAP_BIND's, MAP_UNBIND's or MAP_BINDING_GET's nest
 * @nest: the CBU_A_MAP_BINDING nest
 * @key_only: only the RCoA is taken (unbind, get)
 * @cfg: filled on success
 * @extack: why not
 *
 * The policy has checked each attribute; here go the required ones and
 * unicast addresses.  The rules against the map (cbu_mb_check()) need
 * cn->lock and come in cbu_mb_bind().
 */
int cbu_nl_mb_parse(const struct nlattr *nest, bool key_only,
		    struct cbu_mb_cfg *cfg, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CBU_A_MAP_BINDING_MAX + 1];
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	ret = nla_parse_nested(tb, CBU_A_MAP_BINDING_MAX, nest,
			       key_only ? cbu_mb_key_policy : cbu_mb_policy,
			       extack);
	if (ret)
		return ret;
	ret = cbu_nl_mb_addr(tb, CBU_A_MAP_BINDING_RCOA, nest, &cfg->rcoa,
			     extack);
	if (ret || key_only)
		return ret;
	ret = cbu_nl_mb_addr(tb, CBU_A_MAP_BINDING_LCOA, nest, &cfg->lcoa,
			     extack);
	if (ret)
		return ret;
	ret = cbu_nl_mb_addr(tb, CBU_A_MAP_BINDING_HOA, nest, &cfg->hoa,
			     extack);
	if (ret)
		return ret;
	if (!tb[CBU_A_MAP_BINDING_LIFETIME]) {
		NL_SET_ERR_ATTR_MISS(extack, nest, CBU_A_MAP_BINDING_LIFETIME);
		NL_SET_ERR_MSG_MOD(extack, "missing lifetime");
		return -EINVAL;
	}
	cfg->lifetime = nla_get_u32(tb[CBU_A_MAP_BINDING_LIFETIME]);
	cfg->nla_rcoa = tb[CBU_A_MAP_BINDING_RCOA];
	cfg->nla_lcoa = tb[CBU_A_MAP_BINDING_LCOA];
	return 0;
}

/* The CBU_A_MAP_BINDING nest of a request. */
static int cbu_nl_mb_req(struct genl_info *info, bool key_only,
			 struct cbu_mb_cfg *cfg)
{
	if (GENL_REQ_ATTR_CHECK(info, CBU_A_MAP_BINDING))
		return -EINVAL;
	return cbu_nl_mb_parse(info->attrs[CBU_A_MAP_BINDING], key_only, cfg,
			       info->extack);
}

/*
 * MAP_BIND: the agent, after its checks, binds an RCoA or moves it; the
 * rules against the map are checked under cn->lock, with the map as it
 * is then.  A refusal changes nothing.
 */
static int cbu_nl_map_bind_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cbu_mb_cfg cfg;
	int ret;

	ret = cbu_nl_mb_req(info, false, &cfg);
	if (ret)
		return ret;
	return cbu_mb_bind(cbu_net(genl_info_net(info)), &cfg, info->extack);
}

static int cbu_nl_map_unbind_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct cbu_mb_cfg cfg;
	int ret;

	ret = cbu_nl_mb_req(info, true, &cfg);
	if (ret)
		return ret;
	ret = cbu_mb_unbind(cbu_net(genl_info_net(info)), &cfg.rcoa);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_MOD(info->extack, "no such map binding");
	return ret;
}

/* The CBU_A_MAP_BINDING nest of @mi; nothing added on failure. */
int cbu_nl_fill_mb(struct sk_buff *skb, const struct cbu_mb_info *mi)
{
	struct nlattr *nest;

	nest = nla_nest_start(skb, CBU_A_MAP_BINDING);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_in6_addr(skb, CBU_A_MAP_BINDING_RCOA, &mi->rcoa) ||
	    nla_put_in6_addr(skb, CBU_A_MAP_BINDING_LCOA, &mi->lcoa) ||
	    nla_put_in6_addr(skb, CBU_A_MAP_BINDING_HOA, &mi->hoa) ||
	    nla_put_u32(skb, CBU_A_MAP_BINDING_LIFETIME, mi->lifetime_left) ||
	    nla_put_u64_64bit(skb, CBU_A_MAP_BINDING_PACKETS, mi->packets,
			      CBU_A_MAP_BINDING_PAD) ||
	    nla_put_u64_64bit(skb, CBU_A_MAP_BINDING_BYTES, mi->bytes,
			      CBU_A_MAP_BINDING_PAD)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int cbu_nl_map_binding_get_doit(struct sk_buff *skb,
				       struct genl_info *info)
{
	struct cbu_net *cn = cbu_net(genl_info_net(info));
	struct cbu_mb_info mi;
	struct cbu_mb_cfg cfg;
	struct sk_buff *msg;
	struct cbu_mb *mb;
	void *hdr;
	int ret;

	ret = cbu_nl_mb_req(info, true, &cfg);
	if (ret)
		return ret;
	rcu_read_lock();
	mb = cbu_mb_lookup(cn, &cfg.rcoa);
	if (mb)
		cbu_mb_snapshot(mb, &mi);
	rcu_read_unlock();
	if (!mb) {
		NL_SET_ERR_MSG_MOD(info->extack, "no such map binding");
		return -ENOENT;
	}

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, info->snd_portid, info->snd_seq,
			  &cbu_genl_family, 0, CBU_CMD_MAP_BINDING_GET);
	if (!hdr || cbu_nl_fill_mb(msg, &mi)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int cbu_nl_map_binding_dump_start(struct netlink_callback *cb)
{
	struct cbu_net *cn = cbu_net(sock_net(cb->skb->sk));

	return cbu_nl_rht_dump_start(cb, &cn->map_bindings);
}

static int cbu_nl_mb_fill(struct sk_buff *skb, void *obj)
{
	struct cbu_mb_info mi;

	cbu_mb_snapshot(obj, &mi);
	return cbu_nl_fill_mb(skb, &mi);
}

static int cbu_nl_map_binding_get_dumpit(struct sk_buff *skb,
					 struct netlink_callback *cb)
{
	return cbu_nl_rht_dumpit(skb, cb,
				 READ_ONCE(cbu_net(sock_net(skb->sk))->mb_gen),
				 CBU_CMD_MAP_BINDING_GET, cbu_nl_mb_fill);
}

int cbu_nl_version_fill(struct sk_buff *skb, u32 portid, u32 seq)
{
	void *hdr;

	hdr = genlmsg_put(skb, portid, seq, &cbu_genl_family, 0,
			  CBU_CMD_VERSION_GET);
	if (!hdr)
		return -EMSGSIZE;

	if (nla_put_string(skb, CBU_A_VERSION, CBU_VERSION) ||
	    nla_put_u64_64bit(skb, CBU_A_FEATURES, CBU_FEATURES, CBU_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}

	genlmsg_end(skb, hdr);
	return 0;
}

static int cbu_nl_version_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	int ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	ret = cbu_nl_version_fill(msg, info->snd_portid, info->snd_seq);
	if (ret < 0) {
		nlmsg_free(msg);
		return ret;
	}

	return genlmsg_reply(msg, info);
}

enum cbu_mcgrp {
	CBU_MCGRP_EVENTS_ID,
	CBU_MCGRP_MH_ID,
};

static const struct genl_multicast_group cbu_mcgrps[] = {
	/* Events name home addresses; MH carry key exchanges: admin only. */
	[CBU_MCGRP_EVENTS_ID] = { .name = CBU_MCGRP_EVENTS,
				  .flags = GENL_MCAST_CAP_NET_ADMIN },
	[CBU_MCGRP_MH_ID] = { .name = CBU_MCGRP_MH,
			      .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/*
 * An event on the events group: @ev and the nest @fill puts for @obj.
 * Context: any (atomic allocation); nothing is built without a listener.
 */
static void cbu_event_send(struct cbu_net *cn, enum cbu_event ev,
			   int (*fill)(struct sk_buff *skb, const void *obj),
			   const void *obj)
{
	struct sk_buff *msg;
	void *hdr;

	rcu_read_lock();
	if (!READ_ONCE(cbu_genl_live) ||
	    !genl_has_listeners(&cbu_genl_family, cn->net, CBU_MCGRP_EVENTS_ID))
		goto out;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_ATOMIC);
	if (!msg)
		goto out;
	hdr = genlmsg_put(msg, 0, 0, &cbu_genl_family, 0, CBU_CMD_EVENT);
	if (!hdr || nla_put_u8(msg, CBU_A_EVENT, ev) || fill(msg, obj)) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&cbu_genl_family, cn->net, msg, 0,
				CBU_MCGRP_EVENTS_ID, GFP_ATOMIC);
out:
	rcu_read_unlock();
}

static int cbu_event_fill_bce(struct sk_buff *skb, const void *obj)
{
	return cbu_nl_fill_binding(skb, obj);
}

static int cbu_event_fill_mb(struct sk_buff *skb, const void *obj)
{
	return cbu_nl_fill_mb(skb, obj);
}

/**
 * cbu_event - tell the events group about an entry
 * @cn: its namespace
 * @ev: what happened
 * @bi: the entry, as it is now
 *
 * Context: any (atomic allocation); nothing is built without a listener.
 */
void cbu_event(struct cbu_net *cn, enum cbu_event ev,
	       const struct cbu_bce_info *bi)
{
	cbu_event_send(cn, ev, cbu_event_fill_bce, bi);
}

/**
 * cbu_event_map - tell the events group about a map binding
 * @cn: its namespace
 * @ev: what happened (CBU_EVENT_MAP_EXPIRED)
 * @mi: the binding, as it was
 *
 * Context: any (atomic allocation); nothing is built without a listener.
 */
void cbu_event_map(struct cbu_net *cn, enum cbu_event ev,
		   const struct cbu_mb_info *mi)
{
	cbu_event_send(cn, ev, cbu_event_fill_mb, mi);
}

/**
 * cbu_nl_mh_recv - hand an MH for a served home address to the agent
 * @cn: the namespace
 * @src: the packet's source
 * @dst: its destination, a served home address
 * @hoa: the address of its Home Address option, or NULL
 * @skb: the packet
 * @off: offset of the MH in @skb
 * @len: length of the MH
 *
 * Context: softirq, in the hook's RCU read-side section.  Return: 0 if
 * the mh group has a listener and the message went out, a negative errno
 * otherwise.
 */
int cbu_nl_mh_recv(struct cbu_net *cn, const struct in6_addr *src,
		   const struct in6_addr *dst, const struct in6_addr *hoa,
		   const struct sk_buff *skb, unsigned int off,
		   unsigned int len)
{
	struct nlattr *nest, *data;
	struct sk_buff *msg;
	void *hdr;

	if (!READ_ONCE(cbu_genl_live) ||
	    !genl_has_listeners(&cbu_genl_family, cn->net, CBU_MCGRP_MH_ID))
		return -ENOENT;
	msg = genlmsg_new(nla_total_size(len) + 3 * nla_total_size(16) +
			  NLA_HDRLEN, GFP_ATOMIC);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put(msg, 0, 0, &cbu_genl_family, 0, CBU_CMD_MH_RECV);
	if (!hdr)
		goto err_free;
	nest = nla_nest_start(msg, CBU_A_MH);
	if (!nest || nla_put_in6_addr(msg, CBU_A_MH_SRC, src) ||
	    nla_put_in6_addr(msg, CBU_A_MH_DST, dst) ||
	    (hoa && nla_put_in6_addr(msg, CBU_A_MH_HOA, hoa)))
		goto err_free;
	data = nla_reserve(msg, CBU_A_MH_DATA, len);
	if (!data || skb_copy_bits(skb, off, nla_data(data), len))
		goto err_free;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_multicast_netns(&cbu_genl_family, cn->net, msg, 0,
				       CBU_MCGRP_MH_ID, GFP_ATOMIC);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static const struct genl_ops cbu_genl_ops[] = {
	{
		.cmd = CBU_CMD_VERSION_GET,
		.doit = cbu_nl_version_get_doit,
		.policy = cbu_version_get_policy,
		.maxattr = CBU_A_MAX,
	},
	{
		.cmd = CBU_CMD_KEY_NEW,
		.doit = cbu_nl_key_new_doit,
		.policy = cbu_bce_cfg_nest_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_KEY_SET,
		.doit = cbu_nl_key_set_doit,
		.policy = cbu_bce_cfg_nest_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_KEY_DEL,
		.doit = cbu_nl_key_del_doit,
		.policy = cbu_bce_key_nest_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_BINDING_GET,
		.doit = cbu_nl_binding_get_doit,
		.start = cbu_nl_binding_dump_start,
		.dumpit = cbu_nl_binding_get_dumpit,
		.done = cbu_nl_rht_dump_done,
		.policy = cbu_bce_key_nest_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_BINDING_DEL,
		.doit = cbu_nl_binding_del_doit,
		.policy = cbu_bce_key_nest_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_STATS_GET,
		.doit = cbu_nl_stats_get_doit,
		.policy = cbu_version_get_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_STATS_RESET,
		.doit = cbu_nl_stats_reset_doit,
		.policy = cbu_version_get_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_PARAM_GET,
		.doit = cbu_nl_param_get_doit,
		.policy = cbu_version_get_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_PARAM_SET,
		.doit = cbu_nl_param_set_doit,
		.policy = cbu_param_nest_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_HOME_ADD,
		.doit = cbu_nl_home_add_doit,
		.policy = cbu_home_nest_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_HOME_DEL,
		.doit = cbu_nl_home_del_doit,
		.policy = cbu_home_nest_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_HOME_GET,
		.dumpit = cbu_nl_home_get_dumpit,
		.policy = cbu_version_get_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_OWN_SET,
		.doit = cbu_nl_own_set_doit,
		.policy = cbu_own_nest_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_OWN_GET,
		.doit = cbu_nl_own_get_doit,
		.policy = cbu_version_get_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_MAP_SET,
		.doit = cbu_nl_map_set_doit,
		.policy = cbu_map_nest_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_MAP_DEL,
		.doit = cbu_nl_map_del_doit,
		.policy = cbu_version_get_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_MAP_GET,
		.doit = cbu_nl_map_get_doit,
		.policy = cbu_version_get_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_MAP_BIND,
		.doit = cbu_nl_map_bind_doit,
		.policy = cbu_mb_nest_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_MAP_UNBIND,
		.doit = cbu_nl_map_unbind_doit,
		.policy = cbu_mb_key_nest_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = CBU_CMD_MAP_BINDING_GET,
		.doit = cbu_nl_map_binding_get_doit,
		.start = cbu_nl_map_binding_dump_start,
		.dumpit = cbu_nl_map_binding_get_dumpit,
		.done = cbu_nl_rht_dump_done,
		.policy = cbu_mb_key_nest_policy,
		.maxattr = CBU_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family cbu_genl_family __ro_after_init = {
	.name = CBU_GENL_NAME,
	.version = CBU_GENL_VERSION,
	.maxattr = CBU_A_MAX,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = cbu_genl_ops,
	.n_ops = ARRAY_SIZE(cbu_genl_ops),
	.mcgrps = cbu_mcgrps,
	.n_mcgrps = ARRAY_SIZE(cbu_mcgrps),
};

int __init cbu_genl_init(void)
{
	int ret;

	ret = genl_register_family(&cbu_genl_family);
	if (!ret)
		WRITE_ONCE(cbu_genl_live, true);
	return ret;
}

void cbu_genl_uninit(void)
{
	WRITE_ONCE(cbu_genl_live, false);
	synchronize_rcu();
	genl_unregister_family(&cbu_genl_family);
}
