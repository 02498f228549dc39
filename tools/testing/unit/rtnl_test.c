// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink without libnl (tools/lib/rtnl.c): nested attributes as the
 * request builders put them, and the parsers of what the kernel answers,
 * routes with ip6 encap (the MAP's) and links with ip6tnl data, read back
 * from messages laid out as the kernel lays them out; the mobile node's
 * tunnel and rule requests (design/hmip.md item 52).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <linux/fib_rules.h>
#include <linux/if_link.h>
#include <linux/if_tunnel.h>
#include <linux/ip6_tunnel.h>
#include <linux/lwtunnel.h>
#include <linux/rtnetlink.h>

#include "ktest.h"
#include "lib/rtnl.h"

union msgbuf {
	struct nlmsghdr nlh;
	uint8_t b[1024];
};

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;

	inet_pton(AF_INET6, s, &a);
	return a;
}

/*
 * The route the MAP makes, as the kernel dumps it: RTA_ENCAP's nest
 * first, RTA_ENCAP_TYPE after it (lwtunnel_fill_encap()), unless
 * @type_first.  @encap_type: LWTUNNEL_ENCAP_*.
 */
static struct nlmsghdr *route_msg(union msgbuf *buf, uint16_t encap_type,
				  bool type_first)
{
	struct in6_addr dst = a6("2001:db8:f0::a:10");
	struct in6_addr ldst = a6("2001:db8:a1::10");
	struct in6_addr lsrc = a6("2001:db8:f0::1");
	uint8_t hop = 64;
	struct cbu_nl_req req;
	struct rtmsg *rtm;
	size_t nest;

	rtm = cbu_nl_req_init(&req, buf, sizeof(*buf), RTM_NEWROUTE, 0,
			      sizeof(*rtm));
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = 128;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_type = RTN_UNICAST;
	cbu_nl_put_u32(&req, RTA_TABLE, RT_TABLE_MAIN);
	cbu_nl_put(&req, RTA_DST, &dst, sizeof(dst));
	cbu_nl_put_u32(&req, RTA_OIF, 7);
	if (type_first)
		cbu_nl_put(&req, RTA_ENCAP_TYPE, &encap_type,
			   sizeof(encap_type));
	nest = cbu_nl_nest_start(&req, RTA_ENCAP);
	cbu_nl_put(&req, LWTUNNEL_IP6_DST, &ldst, sizeof(ldst));
	cbu_nl_put(&req, LWTUNNEL_IP6_SRC, &lsrc, sizeof(lsrc));
	cbu_nl_put(&req, LWTUNNEL_IP6_HOPLIMIT, &hop, sizeof(hop));
	cbu_nl_nest_end(&req, nest);
	if (!type_first)
		cbu_nl_put(&req, RTA_ENCAP_TYPE, &encap_type,
			   sizeof(encap_type));
	cbu_nl_put_u32(&req, RTA_PRIORITY, 1024);
	return req.overflow ? NULL : req.nlh;
}

TEST(route_with_ip6_encap)
{
	struct in6_addr want_dst = a6("2001:db8:f0::a:10");
	struct in6_addr want_ldst = a6("2001:db8:a1::10");
	struct in6_addr want_lsrc = a6("2001:db8:f0::1");
	union msgbuf buf;
	struct nlmsghdr *nlh;
	struct cbu_route rt;
	uint32_t table;
	int order;

	for (order = 0; order < 2; order++) {
		nlh = route_msg(&buf, LWTUNNEL_ENCAP_IP6, order);
		ASSERT(nlh);
		ASSERT(!cbu_rtnl_route_parse(nlh, &rt, &table));
		EXPECT(table == RT_TABLE_MAIN && rt.table == RT_TABLE_MAIN &&
		       rt.dst_len == 128 &&
		       rt.oif == 7 && rt.metric == 1024 && !rt.has_gw);
		EXPECT(!memcmp(&rt.dst, &want_dst, 16));
		EXPECT(rt.has_encap && rt.encap_hoplimit == 64);
		EXPECT(!memcmp(&rt.encap_dst, &want_ldst, 16));
		EXPECT(!memcmp(&rt.encap_src, &want_lsrc, 16));
	}
	/* Another encap type (MPLS, seg6...) is not ours to read. */
	nlh = route_msg(&buf, LWTUNNEL_ENCAP_MPLS, false);
	ASSERT(!cbu_rtnl_route_parse(nlh, &rt, &table));
	EXPECT(!rt.has_encap);
}

TEST(route_malformed)
{
	union msgbuf buf;
	struct nlmsghdr *nlh;
	struct cbu_route rt;
	struct nlattr *a;
	uint32_t table;

	nlh = route_msg(&buf, LWTUNNEL_ENCAP_IP6, false);
	ASSERT(nlh);
	/* An address of 15 octets. */
	a = (struct nlattr *)((uint8_t *)NLMSG_DATA(nlh) +
			      NLMSG_ALIGN(sizeof(struct rtmsg)) + 8);
	ASSERT(cbu_nl_attr_type(a) == RTA_DST);
	a->nla_len--;
	EXPECT(cbu_rtnl_route_parse(nlh, &rt, &table) == -EPROTO);
	a->nla_len++;
	/* Cut inside the last attribute. */
	nlh->nlmsg_len -= 2;
	EXPECT(cbu_rtnl_route_parse(nlh, &rt, &table) == -EPROTO);
	nlh->nlmsg_len += 2;
	ASSERT(!cbu_rtnl_route_parse(nlh, &rt, &table));
	/* Not IPv6: skipped, not an error; no route message: refused. */
	((struct rtmsg *)NLMSG_DATA(nlh))->rtm_family = AF_INET;
	EXPECT(cbu_rtnl_route_parse(nlh, &rt, &table) == -EAFNOSUPPORT);
	nlh->nlmsg_type = RTM_NEWADDR;
	EXPECT(cbu_rtnl_route_parse(nlh, &rt, &table) == -EPROTO);
	nlh->nlmsg_len = NLMSG_LENGTH(4);
	nlh->nlmsg_type = RTM_NEWROUTE;
	EXPECT(cbu_rtnl_route_parse(nlh, &rt, &table) == -EPROTO);
}

/* A link as RTM_GETLINK answers, with IFLA_LINKINFO of @kind. */
static struct nlmsghdr *link_msg(union msgbuf *buf, const char *kind,
				 bool md, uint8_t proto)
{
	struct cbu_nl_req req;
	struct ifinfomsg *ifi;
	size_t info, data;

	ifi = cbu_nl_req_init(&req, buf, sizeof(*buf), RTM_NEWLINK, 0,
			      sizeof(*ifi));
	ifi->ifi_index = 9;
	ifi->ifi_flags = IFF_UP;
	cbu_nl_put(&req, IFLA_IFNAME, "cbu-map0", 9);
	info = cbu_nl_nest_start(&req, IFLA_LINKINFO);
	cbu_nl_put(&req, IFLA_INFO_KIND, kind, strlen(kind) + 1);
	data = cbu_nl_nest_start(&req, IFLA_INFO_DATA);
	cbu_nl_put_u32(&req, IFLA_IPTUN_LINK, 0);
	cbu_nl_put(&req, IFLA_IPTUN_PROTO, &proto, 1);
	if (md)
		cbu_nl_put(&req, IFLA_IPTUN_COLLECT_METADATA, NULL, 0);
	cbu_nl_nest_end(&req, data);
	cbu_nl_nest_end(&req, info);
	cbu_nl_put_u32(&req, IFLA_MTU, 1452);
	return req.overflow ? NULL : req.nlh;
}

TEST(link_ip6tnl)
{
	union msgbuf buf;
	struct cbu_rtnl_link l;
	struct nlmsghdr *nlh;

	nlh = link_msg(&buf, "ip6tnl", true, IPPROTO_IPV6);
	ASSERT(nlh);
	ASSERT(!cbu_rtnl_link_parse(nlh, &l));
	EXPECT(l.ifindex == 9 && l.up && !strcmp(l.kind, "ip6tnl") &&
	       l.collect_md && l.proto == IPPROTO_IPV6);
	nlh = link_msg(&buf, "ip6tnl", false, 0);
	ASSERT(!cbu_rtnl_link_parse(nlh, &l));
	EXPECT(!l.collect_md && l.proto == 0);
	/* Another kind's data is not read as ip6tnl's. */
	nlh = link_msg(&buf, "vxlan", true, IPPROTO_IPV6);
	ASSERT(!cbu_rtnl_link_parse(nlh, &l));
	EXPECT(!strcmp(l.kind, "vxlan") && !l.collect_md && !l.proto);
	/* A kind too long for the struct is cut, still a string. */
	nlh = link_msg(&buf, "averyveryverylongkind", false, 0);
	ASSERT(!cbu_rtnl_link_parse(nlh, &l));
	EXPECT(!strcmp(l.kind, "averyveryverylo"));
	/* A nest whose length overruns the message. */
	nlh = link_msg(&buf, "ip6tnl", true, IPPROTO_IPV6);
	nlh->nlmsg_len -= 8;		/* IFLA_MTU */
	nlh->nlmsg_len -= 4;		/* into the nest */
	EXPECT(cbu_rtnl_link_parse(nlh, &l) == -EPROTO);
}

/* The mobile node's tunnel: its change request reads back as it was put. */
TEST(ip6tnl_request)
{
	struct in6_addr local = a6("2001:db8:a1::10");
	struct in6_addr remote = a6("2001:db8:f0::1");
	const struct nlattr *at, *info = NULL;
	union msgbuf buf;
	struct cbu_rtnl_link l;
	struct cbu_nl_req req;
	size_t len, rem;
	bool named = false;

	cbu_rtnl_ip6tnl_req(&req, &buf, sizeof(buf), NULL, 12, &local,
			    &remote);
	ASSERT(!req.overflow);
	EXPECT(req.nlh->nlmsg_type == RTM_NEWLINK &&
	       !(req.nlh->nlmsg_flags & NLM_F_CREATE));
	ASSERT(!cbu_rtnl_link_parse(req.nlh, &l));
	EXPECT(l.ifindex == 12 && !strcmp(l.kind, "ip6tnl") &&
	       !l.collect_md && l.proto == IPPROTO_IPV6 &&
	       !memcmp(&l.local, &local, 16) && !memcmp(&l.remote, &remote, 16));
	/* A new one: named, created exclusively; what it carries besides. */
	cbu_rtnl_ip6tnl_req(&req, &buf, sizeof(buf), "cbu-hm0", 0, &local,
			    &remote);
	ASSERT(!req.overflow);
	EXPECT(req.nlh->nlmsg_flags == (NLM_F_CREATE | NLM_F_EXCL));
	at = cbu_nl_attrs(req.nlh, sizeof(struct ifinfomsg), &len);
	ASSERT(at);
	cbu_nl_for_each_attr(at, at, len, rem) {
		if (cbu_nl_attr_type(at) == IFLA_IFNAME)
			named = !strcmp(cbu_nl_attr_data(at), "cbu-hm0");
		if (cbu_nl_attr_type(at) == IFLA_LINKINFO)
			info = at;
	}
	EXPECT(named && info && !rem);
	if (info) {
		const struct nlattr *i, *d;
		size_t irem, drem;
		uint32_t flags = 0;
		uint8_t ttl = 0;

		cbu_nl_for_each_attr(i, cbu_nl_attr_data(info),
				     cbu_nl_attr_len(info), irem) {
			if (cbu_nl_attr_type(i) != IFLA_INFO_DATA)
				continue;
			cbu_nl_for_each_attr(d, cbu_nl_attr_data(i),
					     cbu_nl_attr_len(i), drem) {
				if (cbu_nl_attr_type(d) == IFLA_IPTUN_FLAGS)
					cbu_nl_attr_get(d, &flags, 4);
				if (cbu_nl_attr_type(d) == IFLA_IPTUN_TTL)
					cbu_nl_attr_get(d, &ttl, 1);
			}
		}
		EXPECT(flags == IP6_TNL_F_IGN_ENCAP_LIMIT && ttl == 64);
	}
	/* No name, or one too long: refused before it is sent. */
	cbu_rtnl_ip6tnl_req(&req, &buf, sizeof(buf), "", 0, &local, &remote);
	EXPECT(req.overflow);
	cbu_rtnl_ip6tnl_req(&req, &buf, sizeof(buf), "a-name-far-too-long", 0,
			    &local, &remote);
	EXPECT(req.overflow);
	cbu_rtnl_ip6tnl_req(&req, &buf, sizeof(buf), NULL, -1, &local,
			    &remote);
	EXPECT(req.overflow);
}

TEST(rule_request)
{
	struct cbu_rule ru = {
		.src = a6("2001:db8:f0::a:10"), .src_len = 128,
		.table = 0x30000,
	};
	const struct fib_rule_hdr *frh;
	const struct nlattr *at;
	struct in6_addr src;
	union msgbuf buf;
	struct cbu_nl_req req;
	uint32_t table = 0, prio = 0;
	size_t len, rem;

	cbu_rtnl_rule_req(&req, &buf, sizeof(buf), RTM_NEWRULE, &ru);
	ASSERT(!req.overflow);
	EXPECT(req.nlh->nlmsg_flags == (NLM_F_CREATE | NLM_F_EXCL));
	frh = NLMSG_DATA(req.nlh);
	/* Above 255: the header's table unspecified, the attribute's rules. */
	EXPECT(frh->family == AF_INET6 && frh->src_len == 128 &&
	       frh->action == FR_ACT_TO_TBL && frh->table == RT_TABLE_UNSPEC);
	memset(&src, 0, sizeof(src));
	at = cbu_nl_attrs(req.nlh, sizeof(*frh), &len);
	ASSERT(at);
	cbu_nl_for_each_attr(at, at, len, rem) {
		switch (cbu_nl_attr_type(at)) {
		case FRA_SRC:
			EXPECT(!cbu_nl_attr_get(at, &src, sizeof(src)));
			break;
		case FRA_TABLE:
			EXPECT(!cbu_nl_attr_get(at, &table, sizeof(table)));
			break;
		case FRA_PRIORITY:
			EXPECT(!cbu_nl_attr_get(at, &prio, sizeof(prio)));
			break;
		}
	}
	EXPECT(!rem && !memcmp(&src, &ru.src, 16) && table == 0x30000 &&
	       prio == 0);
	/* A deletion by table alone, with a priority; small tables fit. */
	ru.src_len = 0;
	ru.table = 100;
	ru.priority = 7;
	cbu_rtnl_rule_req(&req, &buf, sizeof(buf), RTM_DELRULE, &ru);
	ASSERT(!req.overflow);
	frh = NLMSG_DATA(req.nlh);
	EXPECT(req.nlh->nlmsg_flags == 0 && frh->table == 100 &&
	       frh->src_len == 0);
	at = cbu_nl_attrs(req.nlh, sizeof(*frh), &len);
	cbu_nl_for_each_attr(at, at, len, rem)
		EXPECT(cbu_nl_attr_type(at) != FRA_SRC);
	/* No table, or a source prefix longer than 128: refused. */
	ru.table = 0;
	cbu_rtnl_rule_req(&req, &buf, sizeof(buf), RTM_NEWRULE, &ru);
	EXPECT(req.overflow);
	ru.table = 1;
	ru.src_len = 129;
	cbu_rtnl_rule_req(&req, &buf, sizeof(buf), RTM_NEWRULE, &ru);
	EXPECT(req.overflow);
}

TEST(nest_overflow)
{
	union msgbuf buf;
	struct cbu_nl_req req;
	size_t nest;

	/* Room for the header and little else: the nest marks it. */
	cbu_nl_req_init(&req, &buf, NLMSG_SPACE(sizeof(struct rtmsg)) + 8,
			RTM_NEWROUTE, 0, sizeof(struct rtmsg));
	nest = cbu_nl_nest_start(&req, RTA_ENCAP);
	EXPECT(nest && !req.overflow);
	cbu_nl_put(&req, LWTUNNEL_IP6_DST, "0123456789abcdef", 16);
	EXPECT(req.overflow);
	cbu_nl_nest_end(&req, nest);
	EXPECT(req.overflow);
	EXPECT(cbu_nl_nest_start(&req, RTA_ENCAP) == 0);
}

KTEST_MAIN()
