// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the parsers of rtnetlink messages (tools/lib/rtnl.c)
 * that cbu-agent runs on the kernel's replies and notifications:
 * addresses, routes (with their ip6 encap) and links (with their ip6tnl
 * data).  The input's first octet picks the message type, the rest is the
 * fixed header and the attributes.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/rtnetlink.h>

#include "lib/rtnl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static union {
		struct nlmsghdr nlh;
		uint8_t raw[65536];
	} buf;
	static const uint16_t types[] = { RTM_NEWADDR, RTM_DELADDR,
					  RTM_NEWROUTE, RTM_DELROUTE,
					  RTM_NEWLINK };
	struct nlmsghdr *nlh = &buf.nlh;
	struct cbu_rtnl_route_ev ev;
	struct cbu_rtnl_addr a;
	struct cbu_rtnl_link l;
	struct cbu_route rt;
	uint32_t table;

	if (size < 1 || size - 1 > sizeof(buf) - NLMSG_HDRLEN)
		return 0;
	memset(nlh, 0, NLMSG_HDRLEN);
	nlh->nlmsg_len = (uint32_t)(NLMSG_HDRLEN + size - 1);
	nlh->nlmsg_type = types[data[0] % (sizeof(types) / sizeof(types[0]))];
	memcpy(NLMSG_DATA(nlh), data + 1, size - 1);

	if (!cbu_rtnl_addr_parse(nlh, &a) && a.prefixlen > 128)
		abort();
	cbu_rtnl_route_ev_parse(nlh, &ev);
	if (!cbu_rtnl_route_parse(nlh, &rt, &table) &&
	    (rt.dst_len > 128 || rt.oif < 0))
		abort();
	if (!cbu_rtnl_link_parse(nlh, &l) &&
	    (l.ifindex <= 0 || strnlen(l.kind, sizeof(l.kind)) ==
	     sizeof(l.kind)))
		abort();	/* the kind is a string, always ended */
	return 0;
}
