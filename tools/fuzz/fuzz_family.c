// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the parsers of the cbu family's replies and
 * notifications (tools/lib/family.c), which cbuctl and cbu-agent run on
 * whatever the kernel, or anyone able to send on the multicast groups,
 * hands them.  The input's first octet picks the genetlink command, the
 * rest is the attributes.
 */
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>

#include "lib/family.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static union {
		struct nlmsghdr nlh;
		uint8_t raw[65536];
	} buf;
	static const uint8_t cmds[] = { CBU_CMD_EVENT, CBU_CMD_MH_RECV,
					CBU_CMD_BINDING_GET, CBU_CMD_MAP_GET };
	struct nlmsghdr *nlh = &buf.nlh;
	struct cbu_binding_info b;
	struct cbu_event_info ev;
	struct genlmsghdr *gnlh;
	struct cbu_mh_recv m;
	struct cbu_map_binding mb;
	struct cbu_map map;
	const struct nlattr *a;
	uint8_t *attrs;

	if (size < 1 || size - 1 > sizeof(buf) - NLMSG_HDRLEN - GENL_HDRLEN)
		return 0;
	memset(nlh, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + size - 1;
	gnlh = nlmsg_data(nlh);
	gnlh->cmd = cmds[data[0] % sizeof(cmds)];
	gnlh->version = CBU_GENL_VERSION;
	attrs = (uint8_t *)gnlh + GENL_HDRLEN;
	memcpy(attrs, data + 1, size - 1);

	if (!cbu_mh_recv_parse(nlh, &m) &&
	    (m.data < attrs || m.data + m.len > attrs + size - 1))
		abort();	/* the MH must lie inside the message */
	cbu_event_parse(nlh, &ev);
	a = nla_find((struct nlattr *)attrs, (int)size - 1, CBU_A_BINDING);
	if (a)
		cbu_binding_parse(a, &b);
	a = nla_find((struct nlattr *)attrs, (int)size - 1, CBU_A_MAP);
	if (a && !cbu_map_parse(a, &map) &&
	    (map.n_ifs > CBU_MAP_INTERFACES_MAX || (map.set && !map.n_ifs)))
		abort();	/* no more interfaces than the struct holds */
	a = nla_find((struct nlattr *)attrs, (int)size - 1, CBU_A_MAP_BINDING);
	if (a)
		cbu_map_binding_parse(a, &mb);
	return 0;
}
