// SPDX-License-Identifier: GPL-2.0
/*
 * Sending BA, BE and BC from the kernel: the MH is built by the code shared
 * with userspace (mh.c), signed here, wrapped in an IPv6 header (and, for a
 * BC, a Home Address option) and sent through the normal output path, so
 * that routing, xfrm policies and netfilter all apply.
 */
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/xfrm.h>

#include "mh.h"
#include "output.h"

static int cbu_xmit(struct net *net, const struct in6_addr *src,
		    const struct in6_addr *dst, const struct in6_addr *hoa,
		    const u8 *mh, unsigned int len)
{
	unsigned int ext = hoa ? CBU_HAO_HDR_LEN : 0;
	struct flowi6 fl6 = {
		.flowi6_proto = IPPROTO_MH,
		.daddr = *dst,
		.saddr = *src,
	};
	struct dst_entry *route;
	struct ipv6hdr *ip6h;
	struct sk_buff *skb;
	struct cbu_mh *h;
	int err;

	route = ip6_route_output(net, NULL, &fl6);
	if (route->error) {
		err = route->error;
		dst_release(route);
		return err;
	}
	route = xfrm_lookup(net, route, flowi6_to_flowi(&fl6), NULL, 0);
	if (IS_ERR(route))
		return PTR_ERR(route);

	skb = alloc_skb(LL_MAX_HEADER + sizeof(*ip6h) + ext + len, GFP_ATOMIC);
	if (!skb) {
		dst_release(route);
		return -ENOMEM;
	}
	skb_reserve(skb, LL_MAX_HEADER);
	skb_reset_network_header(skb);
	ip6h = skb_put(skb, sizeof(*ip6h));
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(ext + len);
	ip6h->nexthdr = hoa ? NEXTHDR_DEST : IPPROTO_MH;
	ip6h->hop_limit = ip6_dst_hoplimit(route);
	ip6h->saddr = *src;
	ip6h->daddr = *dst;
	if (hoa)
		cbu_hao_build(skb_put(skb, CBU_HAO_HDR_LEN), IPPROTO_MH,
			      hoa->s6_addr);
	h = skb_put_data(skb, mh, len);
	/* RFC 6275 6.1.1: with a HAO, the home address is the source. */
	h->checksum = csum_ipv6_magic(hoa ?: src, dst, len, IPPROTO_MH,
				      csum_partial(h, len, 0));

	skb->protocol = htons(ETH_P_IPV6);
	skb->ip_summed = CHECKSUM_NONE;
	skb_dst_set(skb, route);
	/* net_xmit_eval() reads its argument twice: never pass it a call. */
	err = ip6_local_out(net, NULL, skb);
	return net_xmit_eval(err);
}

int cbu_send_ba(struct net *net, const struct cbu_ba_args *a,
		const struct cbu_hmac_key *k_ba)
{
	u8 mh[CBU_BA_CN_LEN], in[CBU_MAC_BA_IN_LEN];
	size_t len, auth;

	len = cbu_mh_build_ba(mh, a->status, a->seq, a->lifetime, a->lt_en,
			      a->hoa->s6_addr,
			      a->cn_hoa ? a->cn_hoa->s6_addr : NULL, &auth);
	/* MAC_BA = prf(k_BA, CoA | CN | Seq# | LT_BA | LT_EN) */
	cbu_mac_ba_input(in, a->coa->s6_addr, a->cn->s6_addr, a->seq,
			 a->lifetime, a->lt_en);
	cbu_mac(mh + auth, k_ba, in, sizeof(in));
	return cbu_xmit(net, a->cn, a->coa, NULL, mh, len);
}

int cbu_send_be(struct net *net, const struct in6_addr *src,
		const struct in6_addr *dst, const struct in6_addr *hoa,
		u8 status)
{
	u8 mh[CBU_BE_LEN];
	size_t len;

	len = cbu_mh_build_be(mh, status, hoa->s6_addr);
	return cbu_xmit(net, src, dst, NULL, mh, len);
}

int cbu_send_bc(struct net *net, const struct in6_addr *coa,
		const struct in6_addr *cn, const struct in6_addr *hoa,
		u16 seq, const struct cbu_hmac_key *k_ba)
{
	u8 mh[CBU_BC_LEN], in[CBU_MAC_BC_IN_LEN];
	size_t len, auth;

	len = cbu_mh_build_bc(mh, seq, &auth);
	/* MAC_BC = prf(k_BA, HoA | CoA | Seq# | Flag) */
	cbu_mac_bc_input(in, hoa->s6_addr, coa->s6_addr, seq, CBU_BC_CONFIRM);
	cbu_mac(mh + auth, k_ba, in, sizeof(in));
	return cbu_xmit(net, coa, cn, hoa, mh, len);
}
