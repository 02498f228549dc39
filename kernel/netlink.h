/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CBU_NETLINK_H
#define _CBU_NETLINK_H

#include <linux/skbuff.h>
#include <net/netlink.h>

#include "cbu.h"

int cbu_genl_init(void);
void cbu_genl_uninit(void);

extern const struct nla_policy cbu_version_get_policy[CBU_A_MAX + 1];

int cbu_nl_version_fill(struct sk_buff *skb, u32 portid, u32 seq);

#endif /* _CBU_NETLINK_H */
