// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hooks, registered in every network namespace:
 *
 * PRE_ROUTING, before the stack handles a Home Address option (which it
 * discards without an xfrm state) and before forwarding: Mobility Headers,
 * directly or behind hop-by-hop, routing and destination options headers,
 * go to the receive path (input.c); other packets with a Home Address
 * option are checked against the binding cache.  Packets with neither are
 * accepted at the first header.
 *
 * LOCAL_OUT: a correspondent's traffic to a home address passes the gate of
 * unconfirmed bindings before xfrm carries it to the care-of address.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv6.h>
#include <net/ipv6.h>

#include "hook.h"
#include "input.h"
#include "mh.h"
#include "netns.h"

/* Extension headers walked before giving up: more is not CBU's. */
#define CBU_MAX_EXTHDRS	8
/* A destination options header longer than this carries no CBU HAO. */
#define CBU_DSTOPTS_MAX	64

static unsigned int cbu_pre_routing(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	struct in6_addr hoa_buf;
	struct cbu_rx rx = {
		.cn = cbu_net(state->net),
		.net = state->net,
		.skb = skb,
		.saddr = &ip6h->saddr,
		.daddr = &ip6h->daddr,
	};
	unsigned int off, hdrlen;
	u8 nexthdr = ip6h->nexthdr;
	u8 buf[CBU_DSTOPTS_MAX];
	const u8 *h, *hao;
	const char *why;
	int n;

	switch (nexthdr) {
	case IPPROTO_MH:
	case NEXTHDR_HOP:
	case NEXTHDR_ROUTING:
	case NEXTHDR_DEST:
		break;
	default:
		return NF_ACCEPT;
	}

	off = skb_network_offset(skb) + sizeof(*ip6h);
	for (n = 0; n < CBU_MAX_EXTHDRS; n++) {
		switch (nexthdr) {
		case IPPROTO_MH:
			rx.off = off;
			rx.len = skb->len > off ? skb->len - off : 0;
			return cbu_input_mh(&rx);
		case NEXTHDR_HOP:
		case NEXTHDR_ROUTING:
		case NEXTHDR_DEST:
			h = skb_header_pointer(skb, off, 2, buf);
			if (!h)
				return NF_ACCEPT;
			hdrlen = ipv6_optlen((const struct ipv6_opt_hdr *)h);
			if (nexthdr == NEXTHDR_DEST && hdrlen <= sizeof(buf)) {
				h = skb_header_pointer(skb, off, hdrlen, buf);
				if (!h)
					return NF_ACCEPT;
				hao = cbu_dstopts_hao(h, hdrlen, &why);
				if (hao) {
					memcpy(&hoa_buf, hao, sizeof(hoa_buf));
					rx.hoa = &hoa_buf;
				}
			}
			nexthdr = h[0];
			off += hdrlen;
			break;
		default:
			if (!rx.hoa)
				return NF_ACCEPT;
			rx.off = off;
			rx.len = skb->len > off ? skb->len - off : 0;
			return cbu_input_hao(&rx);
		}
	}
	return NF_ACCEPT;
}

static unsigned int cbu_local_out(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	struct cbu_net *cn = cbu_net(state->net);

	/* Most namespaces hold no binding at all: one read and out. */
	if (!atomic_read(&cn->entries))
		return NF_ACCEPT;
	return cbu_output_gate(cn, skb);
}

static const struct nf_hook_ops cbu_nf_ops[] = {
	{
		.hook = cbu_pre_routing,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		/* Before conntrack: a BU is an answer, not a connection. */
		.priority = NF_IP6_PRI_RAW + 1,
	},
	{
		.hook = cbu_local_out,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP6_PRI_FILTER + 1,
	},
};

int cbu_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, cbu_nf_ops, ARRAY_SIZE(cbu_nf_ops));
}

void cbu_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, cbu_nf_ops, ARRAY_SIZE(cbu_nf_ops));
}
