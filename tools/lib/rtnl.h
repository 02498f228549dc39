/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Plain netlink for cbu-agent: the transport it shares with xfrm.h, and the
 * rtnetlink requests it makes of the host (proxy neighbours, addresses,
 * routes, address notifications).  IPv6 only.
 *
 * No libnl: requests are the kernel's uapi structs and attributes built in
 * a caller's buffer.  Every request asks for an ack and returns 0 or the
 * negative errno the kernel answered, with its extended-ack message in
 * @err (may be NULL).  Parsers are separate functions that check every
 * length before they read; nothing here prints.
 */
#ifndef _CBU_RTNL_H
#define _CBU_RTNL_H

#include <netinet/in.h>		/* before the uapi headers: struct in6_addr */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

/* --- The transport: one socket of one netlink protocol. --- */

struct cbu_nl {
	int fd;
	uint32_t port;		/* our port id, as the kernel bound it */
	uint32_t seq;		/* of the last request */
	uint8_t *buf;		/* receive buffer, wiped after every read */
	size_t buf_len;
};

/* What the kernel said when it refused a request. */
struct cbu_nl_err {
	int error;		/* negative errno, 0 if none */
	char msg[256];		/* extended ack message, "" if none */
	int bad_attr;		/* offset of the refused attribute in the
				 * request, -1 if not said */
};

/*
 * A request being built in a caller's buffer (aligned for struct nlmsghdr,
 * e.g. a union with one).  Putting what does not fit marks it overflowed,
 * and cbu_nl_transact() then refuses it with -EMSGSIZE: builders need not
 * check every put.
 */
struct cbu_nl_req {
	struct nlmsghdr *nlh;
	size_t cap;
	bool overflow;
};

/* No refusal yet: error 0, no message, no attribute (@err may be NULL). */
void cbu_nl_err_init(struct cbu_nl_err *err);

/*
 * Open a socket of netlink @protocol (NETLINK_ROUTE, NETLINK_XFRM) in the
 * caller's network namespace, with extended acks on and acks capped (an
 * error never echoes a request back: it may carry a key).  0 or -errno.
 */
int cbu_nl_open(struct cbu_nl *nl, int protocol);
/* Close it; a closed or zeroed struct may be closed again. */
void cbu_nl_close(struct cbu_nl *nl);

/*
 * Start a request of @type with @flags (NLM_F_CREATE, NLM_F_DUMP...) in
 * @buf of @cap octets, followed by a zeroed fixed header of @hdr_len
 * octets, which is returned (NULL if it does not fit; @req overflows).
 */
void *cbu_nl_req_init(struct cbu_nl_req *req, void *buf, size_t cap,
		      uint16_t type, uint16_t flags, size_t hdr_len);
/* Append attribute @type with @len octets of @data. */
void cbu_nl_put(struct cbu_nl_req *req, uint16_t type, const void *data,
		size_t len);
void cbu_nl_put_u32(struct cbu_nl_req *req, uint16_t type, uint32_t v);
/*
 * A nested attribute of @type: put its attributes between these two; the
 * start returns what the end takes (0 once the request overflowed).
 */
size_t cbu_nl_nest_start(struct cbu_nl_req *req, uint16_t type);
void cbu_nl_nest_end(struct cbu_nl_req *req, size_t start);

/* Called for every reply of a request; a non-zero return is kept. */
typedef int (*cbu_nl_cb)(const struct nlmsghdr *nlh, void *arg);

/*
 * Send @req (NLM_F_REQUEST added, and NLM_F_ACK unless it is a dump) and
 * read until its ack or the end of its dump, calling @cb (may be NULL) for
 * every reply.  The first non-zero return of @cb stops the calls but not
 * the reading (the socket is left clean) and is returned.  Returns 0, the
 * kernel's negative errno (and what it said in @err), -EAGAIN for a dump
 * the kernel flagged inconsistent (NLM_F_DUMP_INTR: the set changed under
 * it; dump again), -EMSGSIZE for an overflowed request, or another
 * negative errno.  The request buffer is wiped afterwards.
 */
int cbu_nl_transact(struct cbu_nl *nl, struct cbu_nl_req *req, cbu_nl_cb cb,
		    void *arg, struct cbu_nl_err *err);

/*
 * Attributes, walked with bounds checks: after the loop, @rem is 0 unless
 * the last attribute was malformed.
 */
static inline bool cbu_nl_attr_ok(const struct nlattr *a, size_t rem)
{
	return rem >= sizeof(*a) && a->nla_len >= sizeof(*a) &&
	       a->nla_len <= rem;
}

static inline const struct nlattr *cbu_nl_attr_next(const struct nlattr *a,
						    size_t *rem)
{
	size_t step = NLA_ALIGN(a->nla_len);

	if (step > *rem)
		step = *rem;
	*rem -= step;
	return (const struct nlattr *)((const uint8_t *)a + step);
}

#define cbu_nl_for_each_attr(a, head, len, rem)				\
	for ((a) = (head), (rem) = (len); cbu_nl_attr_ok((a), (rem));	\
	     (a) = cbu_nl_attr_next((a), &(rem)))

static inline int cbu_nl_attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

static inline size_t cbu_nl_attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static inline const void *cbu_nl_attr_data(const struct nlattr *a)
{
	return (const uint8_t *)a + NLA_HDRLEN;
}

/* Copy @a's payload of exactly @len octets into @v: 0 or -EPROTO. */
int cbu_nl_attr_get(const struct nlattr *a, void *v, size_t len);

/*
 * The attributes of @nlh after its fixed header of @hdr_len octets, their
 * length in *@len; NULL if @nlh is too short to hold the header.
 */
const struct nlattr *cbu_nl_attrs(const struct nlmsghdr *nlh, size_t hdr_len,
				  size_t *len);

/* --- rtnetlink. --- */

struct cbu_rtnl {
	struct cbu_nl nl;
};

int cbu_rtnl_open(struct cbu_rtnl *r);
void cbu_rtnl_close(struct cbu_rtnl *r);

/*
 * Proxy neighbour discovery for @addr on @ifindex (`ip -6 neigh add proxy
 * ADDR dev DEV`): the host answers neighbour solicitations for it.  Adding
 * one that exists succeeds (the kernel does not refuse it); deleting one
 * that does not is -ENOENT.  The interface also needs proxy_ndp set.
 */
int cbu_rtnl_proxy_add(struct cbu_rtnl *r, const struct in6_addr *addr,
		       int ifindex, struct cbu_nl_err *err);
int cbu_rtnl_proxy_del(struct cbu_rtnl *r, const struct in6_addr *addr,
		       int ifindex, struct cbu_nl_err *err);

/*
 * Write @value to /proc/sys/net/ipv6/conf/@dev/@key (proxy_ndp,
 * forwarding...; @dev may be "all" or "default").  0, -EINVAL for a name
 * that is not one (empty, too long, or with a '/'), or -errno of the
 * write (-ENOENT: no such interface or setting).
 */
int cbu_ipv6_conf_set(const char *dev, const char *key, int value);

/*
 * An IPv6 address on @ifindex, permanent, with IFA_F_* @flags (e.g.
 * IFA_F_NODAD).  Adding one that exists is -EEXIST; deleting needs the
 * prefix length it has (-EADDRNOTAVAIL otherwise).
 */
int cbu_rtnl_addr_add(struct cbu_rtnl *r, int ifindex,
		      const struct in6_addr *addr, uint8_t prefixlen,
		      uint32_t flags, struct cbu_nl_err *err);
int cbu_rtnl_addr_del(struct cbu_rtnl *r, int ifindex,
		      const struct in6_addr *addr, uint8_t prefixlen,
		      struct cbu_nl_err *err);

/*
 * A unicast route, in the main table or in @table.  @has_encap: lightweight tunnel
 * metadata of type ip6 (`encap ip6 src ENCAP_SRC dst ENCAP_DST hoplimit
 * ENCAP_HOPLIMIT`), for a device in collect_md mode to send it by.
 */
struct cbu_route {
	struct in6_addr dst;
	uint8_t dst_len;
	bool has_gw;
	struct in6_addr gw;
	int oif;		/* 0: none (then a gateway is needed) */
	uint32_t metric;	/* 0: the kernel's default (1024) */
	uint32_t table;		/* 0: the main one (RT_TABLE_MAIN) */
	bool has_encap;
	struct in6_addr encap_src, encap_dst;
	uint8_t encap_hoplimit;
};

/*
 * Add a route (-EEXIST if one to the same prefix with the same metric is
 * there), add or replace it (`ip route replace`), or delete the one
 * matching @rt: its prefix, and its gateway, interface and metric where
 * given.
 */
int cbu_rtnl_route_add(struct cbu_rtnl *r, const struct cbu_route *rt,
		       struct cbu_nl_err *err);
int cbu_rtnl_route_replace(struct cbu_rtnl *r, const struct cbu_route *rt,
			   struct cbu_nl_err *err);
int cbu_rtnl_route_del(struct cbu_rtnl *r, const struct cbu_route *rt,
		       struct cbu_nl_err *err);

/*
 * Parse an RTM_NEWROUTE message of nlmsg_len readable octets into @rt
 * (its encap read when of type ip6) and its table into *@table (and
 * @rt->table): 0,
 * -EAFNOSUPPORT for a route not IPv6, or -EPROTO for a malformed one.
 */
int cbu_rtnl_route_parse(const struct nlmsghdr *nlh, struct cbu_route *rt,
			 uint32_t *table);
/*
 * Every IPv6 unicast route of the main table through @oif, handed to
 * @fn; a non-zero return of @fn ends the walk and is returned.  -EAGAIN:
 * the routes changed during the dump, list again.
 */
int cbu_rtnl_route_list(struct cbu_rtnl *r, int oif,
			int (*fn)(const struct cbu_route *rt, void *arg),
			void *arg, struct cbu_nl_err *err);

/*
 * An ip6tnl device in collect_md ("external") mode carrying IPv6 only
 * (`ip link add NAME type ip6tnl mode ip6ip6 external`): the one device
 * through which a sender sets each packet's outer addresses by route.
 * -EEXIST if @name is taken.
 */
int cbu_rtnl_ip6tnl_md_add(struct cbu_rtnl *r, const char *name,
			   struct cbu_nl_err *err);
/*
 * A plain ip6ip6 tunnel from @local to @remote (`ip link add NAME type
 * ip6tnl mode ip6ip6 local LOCAL remote REMOTE hoplimit 64 encaplimit
 * none`): a mobile node's to its MAP (design/hmip.md item 52).  Change
 * its ends in place (one RTM_NEWLINK; the kernel resets what is not
 * given, so the request says it all again).  -EEXIST if @name is taken,
 * or if another such tunnel has the same ends.
 */
int cbu_rtnl_ip6tnl_add(struct cbu_rtnl *r, const char *name,
			const struct in6_addr *local,
			const struct in6_addr *remote, struct cbu_nl_err *err);
int cbu_rtnl_ip6tnl_change(struct cbu_rtnl *r, int ifindex,
			   const struct in6_addr *local,
			   const struct in6_addr *remote,
			   struct cbu_nl_err *err);
/*
 * The request they send, built in @buf (@cap octets): a new device @name
 * when @ifindex is 0, else a change of @ifindex.  The request overflows
 * (cbu_nl_transact() refuses it) for a bad name.
 */
void cbu_rtnl_ip6tnl_req(struct cbu_nl_req *req, void *buf, size_t cap,
			 const char *name, int ifindex,
			 const struct in6_addr *local,
			 const struct in6_addr *remote);

/* What cbu_rtnl_link_get() reads of a device. */
struct cbu_rtnl_link {
	int ifindex;
	bool up;			/* IFF_UP */
	char kind[16];			/* IFLA_INFO_KIND, "" if none */
	bool collect_md;		/* ip6tnl: IFLA_IPTUN_COLLECT_METADATA */
	uint8_t proto;			/* ip6tnl: IFLA_IPTUN_PROTO */
	struct in6_addr local, remote;	/* ip6tnl: its ends, :: if none */
};
/* A device by index: 0, or -ENODEV. */
int cbu_rtnl_link_get(struct cbu_rtnl *r, int ifindex,
		      struct cbu_rtnl_link *l, struct cbu_nl_err *err);
/* Parse an RTM_NEWLINK message: 0, or -EPROTO for a malformed one. */
int cbu_rtnl_link_parse(const struct nlmsghdr *nlh, struct cbu_rtnl_link *l);
/* Set a device up (`ip link set DEV up`). */
int cbu_rtnl_link_up(struct cbu_rtnl *r, int ifindex, struct cbu_nl_err *err);
/* Delete a device (`ip link del DEV`), with its addresses and routes. */
int cbu_rtnl_link_del(struct cbu_rtnl *r, int ifindex, struct cbu_nl_err *err);

/*
 * A policy routing rule (`ip -6 rule add from SRC/SRC_LEN lookup TABLE
 * [priority PRIORITY]`).  Adding one that exists is -EEXIST; deleting
 * takes the first that matches what is given (@src_len 0: any source;
 * @priority 0: any), -ENOENT if none.
 */
struct cbu_rule {
	struct in6_addr src;
	uint8_t src_len;
	uint32_t table;			/* not 0 */
	uint32_t priority;		/* 0: the kernel's choice */
};

int cbu_rtnl_rule_add(struct cbu_rtnl *r, const struct cbu_rule *ru,
		      struct cbu_nl_err *err);
int cbu_rtnl_rule_del(struct cbu_rtnl *r, const struct cbu_rule *ru,
		      struct cbu_nl_err *err);
/* The request they send (@type RTM_NEWRULE or RTM_DELRULE) in @buf. */
void cbu_rtnl_rule_req(struct cbu_nl_req *req, void *buf, size_t cap,
		       uint16_t type, const struct cbu_rule *ru);

/* An IPv6 address as RTM_NEWADDR / RTM_DELADDR carry it. */
struct cbu_rtnl_addr {
	int ifindex;
	struct in6_addr addr;
	uint8_t prefixlen;
	uint8_t scope;		/* RT_SCOPE_*: UNIVERSE for global ones */
	uint32_t flags;		/* IFA_F_* (IFA_FLAGS when sent) */
	bool removed;		/* RTM_DELADDR; else added or changed */
};

/*
 * Parse an RTM_NEWADDR or RTM_DELADDR message of nlmsg_len readable
 * octets: 0, -EAFNOSUPPORT for one not about IPv6 (to be skipped), or
 * -EPROTO for a malformed one.
 */
int cbu_rtnl_addr_parse(const struct nlmsghdr *nlh, struct cbu_rtnl_addr *a);

/*
 * Every global IPv6 address of @ifindex (0: of every interface), handed
 * to @fn; a non-zero return of @fn ends the walk and is returned.
 * -EAGAIN: the addresses changed during the dump, list again.
 */
int cbu_rtnl_addr_list(struct cbu_rtnl *r, int ifindex,
		       int (*fn)(const struct cbu_rtnl_addr *a, void *arg),
		       void *arg, struct cbu_nl_err *err);

/*
 * Address notifications.  Open @r as a socket subscribed to
 * RTNLGRP_IPV6_IFADDR, then poll cbu_rtnl_fd() and call
 * cbu_rtnl_addr_read() when it is readable: @fn gets every queued
 * notification (a new address is reported again when its flags change,
 * e.g. at the end of DAD).  Returns 0 once none is left, -ENOBUFS if some
 * were lost (the receive buffer overran; the socket goes on working: list
 * the addresses again), or a non-zero return of @fn, which stops the
 * reading (the kernel sends one notification a datagram: what is still
 * queued stays for the next call).  Use such a socket for nothing else.
 */
int cbu_rtnl_monitor_open(struct cbu_rtnl *r);
int cbu_rtnl_fd(const struct cbu_rtnl *r);
int cbu_rtnl_addr_read(struct cbu_rtnl *r,
		       int (*fn)(const struct cbu_rtnl_addr *a, void *arg),
		       void *arg);

/* What an IPv6 route notification says in its header. */
struct cbu_rtnl_route_ev {
	bool removed;			/* RTM_DELROUTE */
	uint8_t dst_len;		/* 0: a default route */
	uint8_t table;			/* RT_TABLE_MAIN, ... */
	uint8_t type;			/* RTN_UNICAST, ... */
};

/* 0, -EAFNOSUPPORT for a route not IPv6, -EPROTO for no route message. */
int cbu_rtnl_route_ev_parse(const struct nlmsghdr *nlh,
			    struct cbu_rtnl_route_ev *ev);
/* Subscribe a monitor socket to RTNLGRP_IPV6_ROUTE as well. */
int cbu_rtnl_monitor_routes(struct cbu_rtnl *r);
/*
 * cbu_rtnl_addr_read(), with the route notifications going to @route_fn
 * (NULL: skipped); a non-zero return of either stops the reading.
 */
int cbu_rtnl_event_read(struct cbu_rtnl *r,
			int (*addr_fn)(const struct cbu_rtnl_addr *a,
				       void *arg),
			int (*route_fn)(const struct cbu_rtnl_route_ev *ev,
					void *arg),
			void *arg);

#endif /* _CBU_RTNL_H */
