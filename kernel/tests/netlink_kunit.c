// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite cbu_netlink: the replies and policies of the cbu genetlink
 * family, checked without a socket.
 */
#include <kunit/test.h>
#include <net/genetlink.h>

#include "../netlink.h"

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

static struct kunit_case cbu_netlink_cases[] = {
	KUNIT_CASE(cbu_nl_version_reply),
	KUNIT_CASE(cbu_nl_version_reply_no_room),
	KUNIT_CASE(cbu_nl_version_get_policy_refuses),
	{}
};

static struct kunit_suite cbu_netlink_suite = {
	.name = "cbu_netlink",
	.test_cases = cbu_netlink_cases,
};

kunit_test_suite(cbu_netlink_suite);
