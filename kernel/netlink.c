// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink family "cbu" (Documentation/netlink/specs/cbu.yaml).
 *
 * Every operation carries its own policy and is validated strictly: unknown
 * attributes and reserved header bytes are refused by the genetlink core
 * before a handler runs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>

#include "cbu.h"
#include "netlink.h"

static struct genl_family cbu_genl_family;

/*
 * CBU_CMD_VERSION_GET takes no attribute.  Under strict validation an
 * NLA_UNSPEC entry is "Unsupported attribute", so this policy refuses all.
 */
const struct nla_policy cbu_version_get_policy[CBU_A_MAX + 1] = {
};

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

static const struct genl_ops cbu_genl_ops[] = {
	{
		.cmd = CBU_CMD_VERSION_GET,
		.doit = cbu_nl_version_get_doit,
		.policy = cbu_version_get_policy,
		.maxattr = CBU_A_MAX,
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
};

int __init cbu_genl_init(void)
{
	return genl_register_family(&cbu_genl_family);
}

void cbu_genl_uninit(void)
{
	genl_unregister_family(&cbu_genl_family);
}
