// SPDX-License-Identifier: GPL-2.0
/*
 * The netfilter hooks, registered in a network namespace while it holds
 * cbu state (netns.c):
 *
 * PRE_ROUTING, before the stack handles a Home Address option (which it
 * discards without an xfrm state) and before forwarding: Mobility Headers,
 * directly or behind hop-by-hop, routing and destination options headers,
 * go to the receive path (input.c); other packets with a Home Address
 * option are checked against the binding cache.  Packets with neither are
 * accepted at the first header.
 *
 * Before all that, a packet the map's tunnel decapsulated is checked against
 * the map's bindings (map.c).
 *
 * LOCAL_OUT: a correspondent's traffic to a home address passes the gate of
 * unconfirmed bindings before xfrm carries it to the care-of address.
 *
 * POST_ROUTING, registered apart, only while a map with a tunnel is set: a
 * packet routed into the map's tunnel is checked against its bindings
 * (map.c).  With it, IPv4's PRE_ROUTING and POST_ROUTING drop IPv4 over
 * that tunnel, which no binding covers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <net/ipv6.h>

#include "hook.h"
#include "input.h"
#include "map.h"
#include "mh.h"
#include "netns.h"

/*
 * The most extension headers before the Mobility Header: 8 are walked, a
 * ninth is not (CBU's own packets have one, a destination options header).
 */
#define CBU_MAX_EXTHDRS	8

enum cbu_walk {
	CBU_WALK_MH,		/* a Mobility Header at the offset */
	CBU_WALK_FRAG,		/* a fragment header at the offset */
	CBU_WALK_UPPER,		/* another upper layer, ESP, AH or none */
	CBU_WALK_DISCARD,	/* the stack discards the packet */
	CBU_WALK_TRANSIT,	/* not at its destination yet */
	CBU_WALK_TOO_MANY,	/* more than CBU_MAX_EXTHDRS */
};

/*
 * The extension headers, walked as the stack will walk them (RFC 8200
 * section 4, net/ipv6/exthdrs.c), so that cbu acts on nothing the stack
 * would not deliver to this node as it is:
 *
 * - hop-by-hop options only first (4.3); ip6_rcv_core() has already
 *   checked those, before PRE_ROUTING;
 * - a routing header with segments left means this node is not yet the
 *   destination (4.4): a type 2 header is swapped by the stack and
 *   delivered after routing, a type 0 one discarded, others forwarded.
 *   With none left, a type 2 header the stack did not process itself is
 *   discarded, and the RPL and segment routing headers (types 3 and 4)
 *   belong to machinery with settings of its own: cbu leaves all those to
 *   the stack.  cbu never sends a routing header (wire-format.md 2.4);
 * - destination options as ip6_parse_tlv() checks them, under the
 *   namespace's limits (cbu_dstopts_parse()), and one Home Address option
 *   in the whole packet, a unicast address (ipv6_dest_hao()).
 *
 * Each header is pulled into the linear area, as the stack pulls it next.
 * The home address, if any, is copied into @rx.
 */
static enum cbu_walk cbu_walk(struct sk_buff *skb, struct net *net,
			      struct cbu_rx *rx, unsigned int *offp)
{
	unsigned int off = skb_network_offset(skb) + sizeof(struct ipv6hdr);
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;
	const struct ipv6_rt_hdr *rt;
	unsigned int len;
	const char *why;
	const u8 *h, *a;
	int n;

	for (n = 0; ; n++) {
		*offp = off;
		switch (nexthdr) {
		case IPPROTO_MH:
			return CBU_WALK_MH;
		case NEXTHDR_FRAGMENT:
			return CBU_WALK_FRAG;
		case NEXTHDR_HOP:
			if (n)
				return CBU_WALK_DISCARD;
			break;
		case NEXTHDR_ROUTING:
		case NEXTHDR_DEST:
			break;
		default:
			return CBU_WALK_UPPER;
		}
		if (n == CBU_MAX_EXTHDRS)
			return CBU_WALK_TOO_MANY;
		if (!pskb_may_pull(skb, off + 8))
			return CBU_WALK_DISCARD;
		len = ipv6_optlen((const struct ipv6_opt_hdr *)(skb->data + off));
		if (!pskb_may_pull(skb, off + len))
			return CBU_WALK_DISCARD;
		h = skb->data + off;

		if (nexthdr == NEXTHDR_ROUTING) {
			rt = (const struct ipv6_rt_hdr *)h;
			if (rt->segments_left ||
			    rt->type == IPV6_SRCRT_TYPE_3 ||
			    rt->type == IPV6_SRCRT_TYPE_4)
				return CBU_WALK_TRANSIT;
			if (rt->type == IPV6_SRCRT_TYPE_2)
				return CBU_WALK_DISCARD;
		} else if (nexthdr == NEXTHDR_DEST) {
			/* An int, as the stack compares it (ipv6_destopt_rcv()) */
			if ((int)len > READ_ONCE(net->ipv6.sysctl.max_dst_opts_len) ||
			    cbu_dstopts_parse(h, len,
					      READ_ONCE(net->ipv6.sysctl.max_dst_opts_cnt),
					      &a, &why))
				return CBU_WALK_DISCARD;
			if (a) {
				if (rx->hoa)
					return CBU_WALK_DISCARD;
				memcpy(&rx->hoa_buf, a, sizeof(rx->hoa_buf));
				if (!(ipv6_addr_type(&rx->hoa_buf) &
				      IPV6_ADDR_UNICAST))
					return CBU_WALK_DISCARD;
				rx->hoa = &rx->hoa_buf;
			}
		}
		nexthdr = h[0];
		off += len;
	}
}

/* The fragment header at @off carries the first part of a Mobility Header. */
static bool cbu_frag_mh(const struct sk_buff *skb, unsigned int off)
{
	struct frag_hdr buf;
	const struct frag_hdr *fh;

	fh = skb_header_pointer(skb, off, sizeof(buf), &buf);
	return fh && fh->nexthdr == IPPROTO_MH &&
	       !(fh->frag_off & htons(IP6_OFFSET));
}

/* Is @dev the map's tunnel?  In the hook's RCU read-side section. */
static bool cbu_map_tunnel(struct cbu_net *cn, const struct net_device *dev)
{
	const struct cbu_map *map = rcu_dereference(cn->map);

	return map && map->tunnel && dev && map->tunnel == dev->ifindex;
}

static unsigned int cbu_pre_routing(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct cbu_rx rx;
	enum cbu_walk walk;
	unsigned int off;

	rx.cn = cbu_net(state->net);
	if (cbu_map_tunnel(rx.cn, state->in) &&
	    cbu_map_rx(rx.cn, skb) != NF_ACCEPT)
		return NF_DROP;

	switch (ipv6_hdr(skb)->nexthdr) {
	case IPPROTO_MH:
	case NEXTHDR_HOP:
	case NEXTHDR_ROUTING:
	case NEXTHDR_DEST:
		break;
	default:
		return NF_ACCEPT;
	}

	rx.net = state->net;
	rx.skb = skb;
	rx.iif = state->in ? state->in->ifindex : 0;
	rx.hoa = NULL;
	walk = cbu_walk(skb, state->net, &rx, &off);

	/* After the walk: it may have moved the headers. */
	rx.src = ipv6_hdr(skb)->saddr;
	rx.dst = ipv6_hdr(skb)->daddr;
	rx.saddr = &rx.src;
	rx.daddr = &rx.dst;
	rx.off = off;
	rx.len = skb->len > off ? skb->len - off : 0;

	switch (walk) {
	case CBU_WALK_MH:
		/*
		 * Reassembled by conntrack (nf_defrag_ipv6), it is what an
		 * unfragmented one would be without it: the stack's.
		 */
		if (!IP6CB(skb)->frag_max_size)
			return cbu_input_mh(&rx);
		fallthrough;
	case CBU_WALK_FRAG:
		if (walk == CBU_WALK_MH || cbu_frag_mh(skb, off))
			cbu_stat_inc(rx.cn, CBU_STAT_FRAGMENT);
		fallthrough;
	case CBU_WALK_UPPER:
		return rx.hoa ? cbu_input_hao(&rx) : NF_ACCEPT;
	case CBU_WALK_TRANSIT:
		cbu_stat_inc(rx.cn, CBU_STAT_TRANSIT);
		return NF_ACCEPT;
	case CBU_WALK_TOO_MANY:
		cbu_stat_inc(rx.cn, CBU_STAT_HDR_SKIPPED);
		return NF_ACCEPT;
	default:
		cbu_stat_inc(rx.cn, CBU_STAT_HDR_DISCARD);
		return NF_ACCEPT;
	}
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

static unsigned int cbu_post_routing(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	struct cbu_net *cn = cbu_net(state->net);

	if (!cbu_map_tunnel(cn, state->out))
		return NF_ACCEPT;
	return cbu_map_tx(cn, skb);
}

/*
 * IPv4 over the map's tunnel (an ip6tnl device that is not in ip6ip6 mode
 * decapsulates it too): no binding vouches for it, either way.
 */
static unsigned int cbu_map_ipv4_in(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct cbu_net *cn = cbu_net(state->net);

	if (!cbu_map_tunnel(cn, state->in))
		return NF_ACCEPT;
	cbu_stat_inc(cn, CBU_STAT_MAP_SPOOFED);
	return NF_DROP;
}

static unsigned int cbu_map_ipv4_out(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	struct cbu_net *cn = cbu_net(state->net);

	if (!cbu_map_tunnel(cn, state->out))
		return NF_ACCEPT;
	cbu_stat_inc(cn, CBU_STAT_MAP_UNBOUND);
	return NF_DROP;
}

static const struct nf_hook_ops cbu_map_nf_ops[] = {
	{
		.hook = cbu_post_routing,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_POST_ROUTING,
		/* After filtering and source NAT: what really leaves. */
		.priority = NF_IP6_PRI_NAT_SRC + 1,
	},
	{
		.hook = cbu_map_ipv4_in,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_RAW + 1,
	},
	{
		.hook = cbu_map_ipv4_out,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_POST_ROUTING,
		.priority = NF_IP_PRI_NAT_SRC + 1,
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

int cbu_map_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, cbu_map_nf_ops,
				     ARRAY_SIZE(cbu_map_nf_ops));
}

void cbu_map_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, cbu_map_nf_ops, ARRAY_SIZE(cbu_map_nf_ops));
}
