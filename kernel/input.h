/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The receive path: what the netfilter hook found in a packet, and the
 * handlers of the messages cbu.ko answers itself.
 */
#ifndef _CBU_INPUT_H
#define _CBU_INPUT_H

#include <linux/in6.h>
#include <linux/skbuff.h>

struct cbu_net;

/*
 * The addresses are copies (@src, @dst, @hoa_buf), not pointers into the
 * packet: the receive path pulls headers into the linear area, which may
 * move them.
 */
struct cbu_rx {
	struct cbu_net *cn;
	struct net *net;
	struct sk_buff *skb;
	int iif;			/* ifindex it came in on */
	const struct in6_addr *saddr;	/* &@src */
	const struct in6_addr *daddr;	/* &@dst */
	const struct in6_addr *hoa;	/* &@hoa_buf, or NULL: no HAO */
	unsigned int off;		/* of the MH (or upper layer) */
	unsigned int len;		/* from @off to the end */
	struct in6_addr src, dst, hoa_buf;
};

/* A Mobility Header; returns a netfilter verdict (NF_STOLEN: consumed). */
unsigned int cbu_input_mh(struct cbu_rx *rx);
/* Any other packet carrying a Home Address option. */
unsigned int cbu_input_hao(struct cbu_rx *rx);
/* LOCAL_OUT: traffic from a correspondent to a home address. */
unsigned int cbu_output_gate(struct cbu_net *cn, struct sk_buff *skb);

#endif /* _CBU_INPUT_H */
