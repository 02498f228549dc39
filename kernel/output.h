/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The messages cbu.ko sends itself: BA and BE (correspondent), BC (mobile
 * node).  Softirq-safe; each returns 0 or a negative errno, counted by the
 * caller.
 */
#ifndef _CBU_OUTPUT_H
#define _CBU_OUTPUT_H

#include <linux/in6.h>

#include "hmac.h"

struct net;

struct cbu_ba_args {
	/* The source, MAC_BA's CN: the BU's destination, or a mobile CN's CoA */
	const struct in6_addr *cn;
	const struct in6_addr *coa;	/* destination */
	const struct in6_addr *hoa;
	const struct in6_addr *cn_hoa;	/* a mobile CN's, or NULL */
	u8 status;
	u16 seq;
	u16 lifetime;			/* LT_BA, 4-second units */
	u16 lt_en;			/* 4-second units */
};

int cbu_send_ba(struct net *net, const struct cbu_ba_args *a,
		const struct cbu_hmac_key *k_ba);
int cbu_send_be(struct net *net, const struct in6_addr *src,
		const struct in6_addr *dst, const struct in6_addr *hoa,
		u8 status);
int cbu_send_bc(struct net *net, const struct in6_addr *coa,
		const struct in6_addr *cn, const struct in6_addr *hoa,
		u16 seq, const struct cbu_hmac_key *k_ba);

#endif /* _CBU_OUTPUT_H */
