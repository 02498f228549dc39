// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite cbu_netlink: the replies and policies of the cbu genetlink
 * family, checked without a socket.
 */
#include <kunit/test.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <net/ipv6.h>

#include "../bcache.h"
#include "../netlink.h"
#include "../netns.h"

/*
 * Replies are parsed as userspace does, without strict validation: on
 * architectures without efficient unaligned access a u64 attribute is
 * preceded by a CBU_A_PAD attribute.
 */
static const struct nla_policy reply_policy[CBU_A_MAX + 1] = {
	[CBU_A_VERSION] = { .type = NLA_NUL_STRING },
	[CBU_A_FEATURES] = { .type = NLA_U64 },
};

static void cbu_nl_version_reply(struct kunit *test)
{
	struct nlattr *tb[CBU_A_MAX + 1];
	struct genlmsghdr *gnlh;
	struct nlmsghdr *nlh;
	struct sk_buff *skb;

	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);

	KUNIT_ASSERT_EQ(test, cbu_nl_version_fill(skb, 4242, 7), 0);

	nlh = nlmsg_hdr(skb);
	KUNIT_EXPECT_EQ(test, nlh->nlmsg_len, skb->len);
	KUNIT_EXPECT_EQ(test, nlh->nlmsg_pid, 4242U);
	KUNIT_EXPECT_EQ(test, nlh->nlmsg_seq, 7U);
	gnlh = nlmsg_data(nlh);
	KUNIT_EXPECT_EQ(test, gnlh->cmd, CBU_CMD_VERSION_GET);
	KUNIT_EXPECT_EQ(test, gnlh->version, CBU_GENL_VERSION);

	KUNIT_ASSERT_EQ(test, nlmsg_parse_deprecated(nlh, GENL_HDRLEN, tb,
						     CBU_A_MAX, reply_policy,
						     NULL), 0);
	KUNIT_ASSERT_NOT_NULL(test, tb[CBU_A_VERSION]);
	KUNIT_EXPECT_STREQ(test, (char *)nla_data(tb[CBU_A_VERSION]),
			   CBU_VERSION);
	KUNIT_ASSERT_NOT_NULL(test, tb[CBU_A_FEATURES]);
	KUNIT_EXPECT_EQ(test, nla_get_u64(tb[CBU_A_FEATURES]), CBU_FEATURES);
	/* Only defined bits are ever reported. */
	KUNIT_EXPECT_EQ(test, CBU_FEATURES & ~CBU_FEATURES_ALL, 0ULL);

	nlmsg_free(skb);
}

/* A reply that does not fit leaves the message as it was. */
static void cbu_nl_version_reply_no_room(struct kunit *test)
{
	unsigned int room, filler;
	struct sk_buff *skb;

	skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);

	/* Leave room for the headers but not for the attributes. */
	room = NLMSG_HDRLEN + GENL_HDRLEN + 8;
	KUNIT_ASSERT_GT(test, skb_tailroom(skb), (int)room);
	filler = skb_tailroom(skb) - room;
	skb_put_zero(skb, filler);

	KUNIT_EXPECT_EQ(test, cbu_nl_version_fill(skb, 1, 1), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, skb->len, filler);

	kfree_skb(skb);
}

/* VERSION_GET refuses every attribute, known or not. */
static void cbu_nl_version_get_policy_refuses(struct kunit *test)
{
	struct nlattr *tb[CBU_A_MAX + 1];
	struct netlink_ext_ack extack = {};
	struct sk_buff *skb;
	int type;

	for (type = CBU_A_UNSPEC + 1; type <= CBU_A_MAX; type++) {
		skb = alloc_skb(64, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		KUNIT_ASSERT_EQ(test, nla_put_u64_64bit(skb, type, 1,
							CBU_A_PAD), 0);
		KUNIT_EXPECT_EQ(test,
				nla_parse(tb, CBU_A_MAX,
					  (struct nlattr *)skb->data, skb->len,
					  cbu_version_get_policy, &extack),
				-EINVAL);
		KUNIT_EXPECT_NOT_NULL(test, extack._msg);
		kfree_skb(skb);
	}

	/* An empty request is valid. */
	KUNIT_EXPECT_EQ(test, nla_parse(tb, CBU_A_MAX, NULL, 0,
					cbu_version_get_policy, NULL), 0);
}

/* A CBU_A_BINDING nest for KEY_SET, to be spoilt by each case. */
struct bce_msg {
	u8 hoa[16], cn[16];
	int role;		/* -1: leave out */
	int kbu_len, kba_len;	/* -1: leave out */
	bool coa;		/* add a read-only attribute */
	u32 lt_en;
};

static const struct bce_msg good_cn = {
	.hoa = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x10 },
	.cn = { 0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0x20 },
	.role = CBU_ROLE_CN, .kbu_len = CBU_KEY_LEN, .kba_len = CBU_KEY_LEN,
	.lt_en = 1024,
};

static struct sk_buff *bce_skb(struct kunit *test, const struct bce_msg *m)
{
	u8 key[CBU_KEY_LEN + 1] = { 0 };
	struct sk_buff *skb;
	struct nlattr *nest;

	skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	nest = nla_nest_start(skb, CBU_A_BINDING);
	KUNIT_ASSERT_NOT_NULL(test, nest);
	KUNIT_ASSERT_EQ(test, nla_put(skb, CBU_A_BCE_HOA, 16, m->hoa), 0);
	KUNIT_ASSERT_EQ(test, nla_put(skb, CBU_A_BCE_CN, 16, m->cn), 0);
	if (m->role >= 0)
		KUNIT_ASSERT_EQ(test, nla_put_u8(skb, CBU_A_BCE_ROLE, m->role),
				0);
	if (m->kbu_len >= 0)
		KUNIT_ASSERT_EQ(test, nla_put(skb, CBU_A_BCE_K_BU, m->kbu_len,
					      key), 0);
	if (m->kba_len >= 0)
		KUNIT_ASSERT_EQ(test, nla_put(skb, CBU_A_BCE_K_BA, m->kba_len,
					      key), 0);
	if (m->coa)
		KUNIT_ASSERT_EQ(test, nla_put(skb, CBU_A_BCE_COA, 16, m->hoa),
				0);
	KUNIT_ASSERT_EQ(test, nla_put_u32(skb, CBU_A_BCE_LT_EN, m->lt_en), 0);
	nla_nest_end(skb, nest);
	return skb;
}

/* Policy first, then the rules across attributes, as KEY_SET runs them. */
static int bce_parse(struct kunit *test, const struct bce_msg *m,
		     const char **msg)
{
	struct netlink_ext_ack extack = {};
	struct nlattr *tb[CBU_A_BCE_MAX + 1];
	struct cbu_bce_cfg cfg;
	struct sk_buff *skb = bce_skb(test, m);
	struct nlattr *nest = (struct nlattr *)skb->data;
	int ret;

	ret = nla_parse_nested(tb, CBU_A_BCE_MAX, nest, cbu_bce_cfg_policy,
			       &extack);
	if (!ret)
		ret = cbu_nl_bce_cfg_parse(tb, &cfg, nest, &extack);
	*msg = extack._msg;
	kfree_skb(skb);
	return ret;
}

enum bce_spoil {
	SPOIL_NONE, SPOIL_MN_OK, SPOIL_KBU_LEN, SPOIL_KBA_LONG, SPOIL_ROLE,
	SPOIL_COA, SPOIL_LT_EN, SPOIL_NO_ROLE, SPOIL_NO_KBA, SPOIL_CN_NO_KBU,
	SPOIL_MN_KBU, SPOIL_MULTICAST, SPOIL_UNSPEC, SPOIL_SAME,
};

struct bce_case {
	const char *desc;
	enum bce_spoil spoil;
	const char *msg;	/* NULL: accepted; "": any reason */
};

static void bce_spoil(struct bce_msg *m, enum bce_spoil how)
{
	switch (how) {
	case SPOIL_NONE:
		break;
	case SPOIL_MN_OK:
		m->role = CBU_ROLE_MN;
		m->kbu_len = -1;
		break;
	case SPOIL_KBU_LEN:
		m->kbu_len = 31;
		break;
	case SPOIL_KBA_LONG:
		m->kba_len = 33;
		break;
	case SPOIL_ROLE:
		m->role = 3;
		break;
	case SPOIL_COA:
		m->coa = true;
		break;
	case SPOIL_LT_EN:
		m->lt_en = 0xffff * 4 + 1;
		break;
	case SPOIL_NO_ROLE:
		m->role = -1;
		break;
	case SPOIL_NO_KBA:
		m->kba_len = -1;
		break;
	case SPOIL_CN_NO_KBU:
		m->kbu_len = -1;
		break;
	case SPOIL_MN_KBU:
		m->role = CBU_ROLE_MN;
		break;
	case SPOIL_MULTICAST:
		m->hoa[0] = 0xff;
		break;
	case SPOIL_UNSPEC:
		memset(m->cn, 0, sizeof(m->cn));
		break;
	case SPOIL_SAME:
		memcpy(m->cn, m->hoa, sizeof(m->cn));
		break;
	}
}

static const struct bce_case bce_cases[] = {
	{ "correspondent keys", SPOIL_NONE, NULL },
	{ "mobile node keys", SPOIL_MN_OK, NULL },
	{ "k_BU of 31 octets", SPOIL_KBU_LEN, "" },
	{ "k_BA of 33 octets", SPOIL_KBA_LONG, "" },
	{ "role 3", SPOIL_ROLE, "" },
	{ "read-only CoA", SPOIL_COA, "Unsupported attribute" },
	{ "LT_EN past 16 bits", SPOIL_LT_EN, "" },
	{ "no role", SPOIL_NO_ROLE, "missing role" },
	{ "no k_BA", SPOIL_NO_KBA, "missing k_BA" },
	{ "correspondent without k_BU", SPOIL_CN_NO_KBU,
	  "a correspondent needs k_BU" },
	{ "mobile node with k_BU", SPOIL_MN_KBU,
	  "a mobile node's kernel has no use for k_BU" },
	{ "multicast HoA", SPOIL_MULTICAST, "home address must be unicast" },
	{ "unspecified CN", SPOIL_UNSPEC,
	  "correspondent address must be unicast" },
	{ "HoA equal to CN", SPOIL_SAME,
	  "home and correspondent addresses are equal" },
};

static void bce_case_desc(const struct bce_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bce, bce_cases, bce_case_desc);

/* Every refusal is an error with a reason; acceptance is 0. */
static void cbu_nl_key_set_rules(struct kunit *test)
{
	const struct bce_case *c = test->param_value;
	struct bce_msg m = good_cn;
	const char *msg = NULL;
	int ret;

	bce_spoil(&m, c->spoil);
	ret = bce_parse(test, &m, &msg);
	if (!c->msg) {
		KUNIT_EXPECT_EQ(test, ret, 0);
		return;
	}
	KUNIT_EXPECT_LT(test, ret, 0);
	KUNIT_ASSERT_NOT_NULL(test, msg);
	if (*c->msg)
		KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(msg, c->msg),
					  "message \"%s\"", msg);
}

/*
 * KEY_DEL, BINDING_GET and BINDING_DEL name an entry and take nothing
 * else: keys sent there are refused, not ignored.
 */
static int key_parse(struct kunit *test, int extra, const char **msg)
{
	struct netlink_ext_ack extack = {};
	struct nlattr *tb[CBU_A_BCE_MAX + 1];
	u8 a[CBU_KEY_LEN] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct sk_buff *skb;
	struct nlattr *nest;
	int ret;

	skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	nest = nla_nest_start(skb, CBU_A_BINDING);
	KUNIT_ASSERT_NOT_NULL(test, nest);
	KUNIT_ASSERT_EQ(test, nla_put(skb, CBU_A_BCE_HOA, 16, a), 0);
	a[15] = 2;
	KUNIT_ASSERT_EQ(test, nla_put(skb, CBU_A_BCE_CN, 16, a), 0);
	if (extra)
		KUNIT_ASSERT_EQ(test, nla_put(skb, extra, CBU_KEY_LEN, a), 0);
	nla_nest_end(skb, nest);
	ret = nla_parse_nested(tb, CBU_A_BCE_MAX, nest, cbu_bce_key_policy,
			       &extack);
	*msg = extack._msg;
	kfree_skb(skb);
	return ret;
}

static void cbu_nl_key_policy(struct kunit *test)
{
	const char *msg = NULL;

	KUNIT_EXPECT_EQ(test, key_parse(test, 0, &msg), 0);
	KUNIT_EXPECT_LT(test, key_parse(test, CBU_A_BCE_K_BA, &msg), 0);
	KUNIT_EXPECT_STREQ(test, msg, "Unsupported attribute");
	KUNIT_EXPECT_LT(test, key_parse(test, CBU_A_BCE_K_BU, &msg), 0);
	KUNIT_EXPECT_STREQ(test, msg, "Unsupported attribute");
}

/* Parameters: ranges and the read-only count. */
static void cbu_nl_param_policy(struct kunit *test)
{
	static const struct {
		int type;
		u32 value;
		bool ok;
	} cases[] = {
		{ CBU_A_PARAM_BC_PACKETS, 0, false },
		{ CBU_A_PARAM_BC_PACKETS, 10, true },
		{ CBU_A_PARAM_BC_TIMEOUT, 99, false },
		{ CBU_A_PARAM_BC_TIMEOUT, 10000, true },
		{ CBU_A_PARAM_CAPACITY, 0, false },
		{ CBU_A_PARAM_CAPACITY, 1 << 24, true },
		{ CBU_A_PARAM_CAPACITY, (1 << 24) + 1, false },
		{ CBU_A_PARAM_MAX_LIFETIME, 3, false },
		{ CBU_A_PARAM_MAX_LIFETIME, 0xffff * 4, true },
		{ CBU_A_PARAM_EVENT_RATE, 10001, false },
		{ CBU_A_PARAM_ENTRIES, 1, false },
	};
	struct nlattr *tb[CBU_A_PARAM_MAX + 1];
	struct netlink_ext_ack extack = {};
	struct sk_buff *skb;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		skb = alloc_skb(64, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, skb);
		KUNIT_ASSERT_EQ(test, nla_put_u32(skb, cases[i].type,
						  cases[i].value), 0);
		ret = nla_parse(tb, CBU_A_PARAM_MAX,
				(struct nlattr *)skb->data, skb->len,
				cbu_param_policy, &extack);
		KUNIT_EXPECT_EQ_MSG(test, ret == 0, cases[i].ok,
				    "attribute %d value %u", cases[i].type,
				    cases[i].value);
		kfree_skb(skb);
	}
}

/*
 * MAP_SET's nest, whole: a valid map, then one spoiled at a time.  The
 * ifindexes are of the initial namespace, whose loopback device is the
 * one that surely exists; NOIF is one that surely does not.
 */
#define NOIF	0x7ffffff0

enum map_spoil {
	MAP_OK,
	MAP_NO_ADDR,
	MAP_NO_PREFIX,
	MAP_NO_LEN,
	MAP_NO_IF,
	MAP_ADDR_MCAST,
	MAP_ADDR_SHORT,
	MAP_PREFIX_MCAST,
	MAP_LEN_0,
	MAP_LEN_129,
	MAP_IF_0,
	MAP_IF_TWICE,
	MAP_IF_GONE,
	MAP_IF_9,
	MAP_TUNNEL_GONE,
	MAP_TUNNEL_DOMAIN,
	MAP_UNKNOWN,
};

/* Refused by the policy, its own errno and message. */
#define POLICY	1
/* NL_SET_ERR_MSG_MOD()'s message. */
#define MSG(s)	KBUILD_MODNAME ": " s

static const struct map_case {
	enum map_spoil spoil;
	const char *desc;
	int ret;		/* or POLICY */
	const char *msg;	/* NULL: the policy's own */
} map_cases[] = {
	{ MAP_OK, "valid", 0, NULL },
	{ MAP_NO_ADDR, "no address", -EINVAL, MSG("missing map address") },
	{ MAP_NO_PREFIX, "no prefix", -EINVAL, MSG("missing RCoA prefix or length") },
	{ MAP_NO_LEN, "no length", -EINVAL, MSG("missing RCoA prefix or length") },
	{ MAP_NO_IF, "no interface", -EINVAL, MSG("missing domain interface") },
	{ MAP_ADDR_MCAST, "multicast address", -EINVAL,
	  MSG("map address must be unicast") },
	{ MAP_ADDR_SHORT, "15-octet address", POLICY, NULL },
	{ MAP_PREFIX_MCAST, "multicast prefix", -EINVAL,
	  MSG("RCoA prefix must be unicast") },
	{ MAP_LEN_0, "length 0", POLICY, NULL },
	{ MAP_LEN_129, "length 129", POLICY, NULL },
	{ MAP_IF_0, "ifindex 0", POLICY, NULL },
	{ MAP_IF_TWICE, "interface twice", -EINVAL,
	  MSG("domain interface named twice") },
	{ MAP_IF_GONE, "no such interface", -ENODEV, MSG("no such domain interface") },
	{ MAP_IF_9, "nine interfaces", -E2BIG, MSG("at most 8 domain interfaces") },
	{ MAP_TUNNEL_GONE, "no such tunnel", -ENODEV, MSG("no such tunnel device") },
	{ MAP_TUNNEL_DOMAIN, "tunnel a domain interface", -EINVAL,
	  MSG("the tunnel is not a domain interface") },
	{ MAP_UNKNOWN, "unknown attribute", POLICY, NULL },
};

static void map_case_desc(const struct map_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(map, map_cases, map_case_desc);

static struct nlattr *map_msg(struct kunit *test, struct sk_buff *skb,
			      enum map_spoil spoil)
{
	struct in6_addr addr = { .s6_addr = { 0x20, 0x01, 0x0d, 0xb8, 0, 9,
					      [15] = 1 } };
	struct in6_addr prefix = { .s6_addr = { 0x20, 0x01, 0x0d, 0xb8, 0, 9,
						[15] = 0xff } };
	u32 lo = init_net.loopback_dev->ifindex;
	struct nlattr *nest;
	u8 len = 64;
	int i, n_ifs = 1;

	if (spoil == MAP_ADDR_MCAST)
		addr.s6_addr[0] = 0xff;
	if (spoil == MAP_PREFIX_MCAST)
		prefix.s6_addr[0] = 0xff;
	if (spoil == MAP_LEN_0)
		len = 0;
	if (spoil == MAP_LEN_129)
		len = 129;
	if (spoil == MAP_NO_IF)
		n_ifs = 0;
	if (spoil == MAP_IF_TWICE)
		n_ifs = 2;
	if (spoil == MAP_IF_9)
		n_ifs = 9;

	nest = nla_nest_start(skb, CBU_A_MAP);
	KUNIT_ASSERT_NOT_NULL(test, nest);
	if (spoil != MAP_NO_ADDR)
		KUNIT_ASSERT_EQ(test, nla_put(skb, CBU_A_MAP_ADDRESS,
					      spoil == MAP_ADDR_SHORT ? 15 : 16,
					      &addr), 0);
	if (spoil != MAP_NO_PREFIX)
		KUNIT_ASSERT_EQ(test, nla_put_in6_addr(skb, CBU_A_MAP_RCOA_PREFIX,
						       &prefix), 0);
	if (spoil != MAP_NO_LEN)
		KUNIT_ASSERT_EQ(test, nla_put_u8(skb, CBU_A_MAP_RCOA_PREFIX_LEN,
						 len), 0);
	for (i = 0; i < n_ifs; i++)
		KUNIT_ASSERT_EQ(test, nla_put_u32(skb, CBU_A_MAP_INTERFACE,
						  spoil == MAP_IF_0 ? 0 :
						  spoil == MAP_IF_GONE ? NOIF :
						  spoil == MAP_IF_9 ? NOIF + i :
						  lo), 0);
	if (spoil == MAP_TUNNEL_GONE || spoil == MAP_TUNNEL_DOMAIN)
		KUNIT_ASSERT_EQ(test, nla_put_u32(skb, CBU_A_MAP_TUNNEL,
						  spoil == MAP_TUNNEL_GONE ?
						  NOIF : lo), 0);
	if (spoil == MAP_UNKNOWN)
		KUNIT_ASSERT_EQ(test, nla_put_u32(skb, CBU_A_MAP_MAX + 1, 1), 0);
	nla_nest_end(skb, nest);
	return nest;
}

static void cbu_nl_map_rules(struct kunit *test)
{
	const struct map_case *c = test->param_value;
	struct netlink_ext_ack extack = {};
	struct in6_addr want = { .s6_addr = { 0x20, 0x01, 0x0d, 0xb8, 0, 9 } };
	struct cbu_map map;
	struct sk_buff *skb;
	struct nlattr *nest;
	int ret;

	skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	nest = map_msg(test, skb, c->spoil);
	ret = cbu_nl_map_parse(&init_net, nest, &map, &extack);
	if (c->ret == POLICY)
		KUNIT_EXPECT_LT(test, ret, 0);
	else
		KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (c->ret)
		KUNIT_EXPECT_NOT_NULL(test, extack._msg);
	if (c->msg && extack._msg)
		KUNIT_EXPECT_STREQ(test, extack._msg, c->msg);
	if (!c->ret && !ret) {
		/* Host bits cleared; the loopback device the one domain. */
		KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&map.rcoa, &want));
		KUNIT_EXPECT_EQ(test, map.rcoa_len, 64);
		KUNIT_EXPECT_EQ(test, map.n_ifs, 1);
		KUNIT_EXPECT_EQ(test, map.ifindex[0],
				init_net.loopback_dev->ifindex);
		KUNIT_EXPECT_EQ(test, map.tunnel, 0);
		KUNIT_EXPECT_TRUE(test, cbu_map_domain(&map, map.ifindex[0]));
		KUNIT_EXPECT_FALSE(test, cbu_map_domain(&map, NOIF));
	}
	kfree_skb(skb);
}

/* What MAP_GET replies parses back into the map it came from. */
static void cbu_nl_map_round_trip(struct kunit *test)
{
	struct netlink_ext_ack extack = {};
	struct cbu_map map, back;
	struct sk_buff *skb;
	struct nlattr *nest;

	skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	nest = map_msg(test, skb, MAP_OK);
	KUNIT_ASSERT_EQ(test, cbu_nl_map_parse(&init_net, nest, &map, &extack),
			0);
	kfree_skb(skb);

	skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, cbu_nl_fill_map(skb, &map), 0);
	nest = (struct nlattr *)skb->data;
	KUNIT_ASSERT_EQ(test, cbu_nl_map_parse(&init_net, nest, &back, &extack),
			0);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&back.addr, &map.addr));
	KUNIT_EXPECT_TRUE(test, ipv6_addr_equal(&back.rcoa, &map.rcoa));
	KUNIT_EXPECT_EQ(test, back.rcoa_len, map.rcoa_len);
	KUNIT_EXPECT_EQ(test, back.n_ifs, map.n_ifs);
	KUNIT_EXPECT_EQ(test, back.ifindex[0], map.ifindex[0]);
	KUNIT_EXPECT_EQ(test, back.tunnel, map.tunnel);
	kfree_skb(skb);

	/* No map: an empty nest. */
	skb = alloc_skb(NLMSG_GOODSIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, cbu_nl_fill_map(skb, NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_len((struct nlattr *)skb->data), 0);
	kfree_skb(skb);
}

static struct kunit_case cbu_netlink_cases[] = {
	KUNIT_CASE(cbu_nl_version_reply),
	KUNIT_CASE(cbu_nl_version_reply_no_room),
	KUNIT_CASE(cbu_nl_version_get_policy_refuses),
	KUNIT_CASE_PARAM(cbu_nl_key_set_rules, bce_gen_params),
	KUNIT_CASE(cbu_nl_key_policy),
	KUNIT_CASE(cbu_nl_param_policy),
	KUNIT_CASE_PARAM(cbu_nl_map_rules, map_gen_params),
	KUNIT_CASE(cbu_nl_map_round_trip),
	{}
};

static struct kunit_suite cbu_netlink_suite = {
	.name = "cbu_netlink",
	.test_cases = cbu_netlink_cases,
};

kunit_test_suite(cbu_netlink_suite);
