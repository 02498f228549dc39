/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CBU_NETLINK_H
#define _CBU_NETLINK_H

#include <linux/in6.h>
#include <linux/skbuff.h>
#include <net/netlink.h>

#include "cbu.h"

struct cbu_bce_cfg;
struct cbu_bce_info;
struct cbu_map;
struct cbu_mb_cfg;
struct cbu_mb_info;
struct cbu_net;

int cbu_genl_init(void);
void cbu_genl_uninit(void);

/* Policies and parsers, visible to the KUnit suites. */
extern const struct nla_policy cbu_version_get_policy[CBU_A_MAX + 1];
extern const struct nla_policy cbu_bce_cfg_policy[CBU_A_BCE_MAX + 1];
extern const struct nla_policy cbu_bce_key_policy[CBU_A_BCE_MAX + 1];
extern const struct nla_policy cbu_param_policy[CBU_A_PARAM_MAX + 1];
extern const struct nla_policy cbu_home_policy[CBU_A_HOME_MAX + 1];
extern const struct nla_policy cbu_map_policy[CBU_A_MAP_MAX + 1];
extern const struct nla_policy cbu_mb_policy[CBU_A_MAP_BINDING_MAX + 1];
extern const struct nla_policy cbu_mb_key_policy[CBU_A_MAP_BINDING_MAX + 1];

int cbu_nl_version_fill(struct sk_buff *skb, u32 portid, u32 seq);
int cbu_nl_bce_cfg_parse(struct nlattr **tb, struct cbu_bce_cfg *cfg,
			 const struct nlattr *nest,
			 struct netlink_ext_ack *extack);
int cbu_nl_fill_binding(struct sk_buff *skb, const struct cbu_bce_info *bi);
int cbu_nl_map_parse(struct net *net, const struct nlattr *nest,
		     struct cbu_map *map, struct netlink_ext_ack *extack);
int cbu_nl_fill_map(struct sk_buff *skb, const struct cbu_map *map);
int cbu_nl_mb_parse(const struct nlattr *nest, bool key_only,
		    struct cbu_mb_cfg *cfg, struct netlink_ext_ack *extack);
int cbu_nl_fill_mb(struct sk_buff *skb, const struct cbu_mb_info *mi);

void cbu_event(struct cbu_net *cn, enum cbu_event ev,
	       const struct cbu_bce_info *bi);
void cbu_event_map(struct cbu_net *cn, enum cbu_event ev,
		   const struct cbu_mb_info *mi);
int cbu_nl_mh_recv(struct cbu_net *cn, const struct in6_addr *src,
		   const struct in6_addr *dst, const struct in6_addr *hoa,
		   const struct sk_buff *skb, unsigned int off,
		   unsigned int len);

#endif /* _CBU_NETLINK_H */
