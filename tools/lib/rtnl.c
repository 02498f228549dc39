// SPDX-License-Identifier: GPL-2.0
/*
 * Plain netlink: the transport shared with xfrm.c, and rtnetlink (see
 * rtnl.h).
 *
 * Replies are matched to their request by sequence number and port, and
 * taken only from the kernel (sender port 0).  The receive buffer is wiped
 * after every datagram: xfrm dumps carry keys.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/fib_rules.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/if_tunnel.h>
#include <linux/ip6_tunnel.h>
#include <linux/lwtunnel.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <sodium.h>

#include "rtnl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/*
 * Larger than any datagram the kernel sends: a dump's are at most 32 KiB
 * (netlink_recvmsg() caps max_recvmsg_len there).
 */
#define CBU_NL_BUF_LEN		(64 * 1024)
/* Room for a burst of address notifications before the kernel drops some. */
#define CBU_NL_NOTIFY_RCVBUF	(1 << 20)

int cbu_nl_open(struct cbu_nl *nl, int protocol)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	socklen_t sa_len = sizeof(sa);
	int one = 1;
	int ret;

	memset(nl, 0, sizeof(*nl));
	nl->fd = -1;
	nl->buf = malloc(CBU_NL_BUF_LEN);
	if (!nl->buf)
		return -ENOMEM;
	nl->buf_len = CBU_NL_BUF_LEN;

	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
	if (nl->fd < 0) {
		ret = -errno;
		goto err_free;
	}
	/*
	 * Best effort: without EXT_ACK errors come without text; without
	 * CAP_ACK an error echoes the request (the buffer is wiped anyway).
	 */
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));

	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(nl->fd, (struct sockaddr *)&sa, &sa_len) < 0) {
		ret = -errno;
		goto err_close;
	}
	if (sa_len != sizeof(sa) || sa.nl_family != AF_NETLINK) {
		ret = -EPROTO;
		goto err_close;
	}
	nl->port = sa.nl_pid;
	return 0;

err_close:
	close(nl->fd);
	nl->fd = -1;
err_free:
	free(nl->buf);
	nl->buf = NULL;
	return ret;
}

void cbu_nl_close(struct cbu_nl *nl)
{
	if (!nl->buf)
		return;
	close(nl->fd);
	nl->fd = -1;
	sodium_memzero(nl->buf, nl->buf_len);
	free(nl->buf);
	nl->buf = NULL;
}

void *cbu_nl_req_init(struct cbu_nl_req *req, void *buf, size_t cap,
		      uint16_t type, uint16_t flags, size_t hdr_len)
{
	struct nlmsghdr *nlh = buf;

	req->nlh = nlh;
	req->cap = cap;
	req->overflow = cap < NLMSG_SPACE(hdr_len);
	if (req->overflow)
		return NULL;
	memset(buf, 0, NLMSG_SPACE(hdr_len));
	nlh->nlmsg_len = NLMSG_LENGTH(hdr_len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	return NLMSG_DATA(nlh);
}

void cbu_nl_put(struct cbu_nl_req *req, uint16_t type, const void *data,
		size_t len)
{
	size_t off, need;
	struct nlattr *a;

	if (req->overflow)
		return;
	off = NLMSG_ALIGN(req->nlh->nlmsg_len);
	need = NLA_HDRLEN + len;
	if (len > UINT16_MAX - NLA_HDRLEN || off + NLA_ALIGN(need) > req->cap) {
		req->overflow = true;
		return;
	}
	a = (struct nlattr *)((uint8_t *)req->nlh + off);
	a->nla_len = (uint16_t)need;
	a->nla_type = type;
	if (len)
		memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	/* The padding too: the buffer may hold an earlier request's bytes. */
	memset((uint8_t *)a + need, 0, NLA_ALIGN(need) - need);
	req->nlh->nlmsg_len = (uint32_t)(off + NLA_ALIGN(need));
}

void cbu_nl_put_u32(struct cbu_nl_req *req, uint16_t type, uint32_t v)
{
	cbu_nl_put(req, type, &v, sizeof(v));
}

size_t cbu_nl_nest_start(struct cbu_nl_req *req, uint16_t type)
{
	size_t off;

	if (req->overflow)
		return 0;
	off = NLMSG_ALIGN(req->nlh->nlmsg_len);
	cbu_nl_put(req, type | NLA_F_NESTED, NULL, 0);
	return req->overflow ? 0 : off;
}

void cbu_nl_nest_end(struct cbu_nl_req *req, size_t start)
{
	struct nlattr *a;
	size_t len;

	if (req->overflow || !start)
		return;
	len = req->nlh->nlmsg_len - start;
	if (len > UINT16_MAX) {
		req->overflow = true;
		return;
	}
	a = (struct nlattr *)((uint8_t *)req->nlh + start);
	a->nla_len = (uint16_t)len;
}

int cbu_nl_attr_get(const struct nlattr *a, void *v, size_t len)
{
	if (cbu_nl_attr_len(a) != len)
		return -EPROTO;
	memcpy(v, cbu_nl_attr_data(a), len);
	return 0;
}

const struct nlattr *cbu_nl_attrs(const struct nlmsghdr *nlh, size_t hdr_len,
				  size_t *len)
{
	size_t off = NLMSG_SPACE(hdr_len);

	if (nlh->nlmsg_len < NLMSG_LENGTH(hdr_len))
		return NULL;
	*len = nlh->nlmsg_len > off ? nlh->nlmsg_len - off : 0;
	return (const struct nlattr *)((const uint8_t *)nlh + off);
}

void cbu_nl_err_init(struct cbu_nl_err *err)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
	err->bad_attr = -1;
}

/*
 * The extended-ack TLVs of an NLMSG_ERROR or NLMSG_DONE @m, @off octets
 * into its payload.
 */
static void parse_ext_ack(const struct nlmsghdr *m, size_t off,
			  struct cbu_nl_err *err)
{
	const struct nlattr *a;
	size_t len, rem, n;
	uint32_t u;

	if (!err || !(m->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    m->nlmsg_len < NLMSG_HDRLEN + off)
		return;
	len = m->nlmsg_len - NLMSG_HDRLEN - off;
	cbu_nl_for_each_attr(a, (const struct nlattr *)
			     ((const uint8_t *)NLMSG_DATA(m) + off), len, rem) {
		switch (cbu_nl_attr_type(a)) {
		case NLMSGERR_ATTR_MSG:
			n = strnlen(cbu_nl_attr_data(a), cbu_nl_attr_len(a));
			if (n >= sizeof(err->msg))
				n = sizeof(err->msg) - 1;
			memcpy(err->msg, cbu_nl_attr_data(a), n);
			err->msg[n] = '\0';
			break;
		case NLMSGERR_ATTR_OFFS:
			if (!cbu_nl_attr_get(a, &u, sizeof(u)) && u <= INT32_MAX)
				err->bad_attr = (int)u;
			break;
		default:
			break;
		}
	}
}

/* An NLMSG_ERROR: 0 for an ack, else the kernel's negative errno. */
static int parse_error(const struct nlmsghdr *m, struct cbu_nl_err *err)
{
	const struct nlmsgerr *e = NLMSG_DATA(m);
	size_t off = sizeof(*e);

	if (m->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return -EPROTO;
	/* Unless capped, the request follows, padded, then the TLVs. */
	if (!(m->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN)
			return -EPROTO;
		off += NLMSG_ALIGN(e->msg.nlmsg_len - NLMSG_HDRLEN);
	}
	if (err) {
		err->error = e->error;
		parse_ext_ack(m, off, err);
	}
	return e->error > 0 ? -EPROTO : e->error;
}

/* NLMSG_DONE: a dump that failed half-way says so here. */
static int parse_done(const struct nlmsghdr *m, struct cbu_nl_err *err)
{
	int error;

	if (m->nlmsg_len < NLMSG_LENGTH(sizeof(error)))
		return 0;
	memcpy(&error, NLMSG_DATA(m), sizeof(error));
	if (error >= 0)
		return 0;
	if (err) {
		err->error = error;
		parse_ext_ack(m, NLMSG_ALIGN(sizeof(error)), err);
	}
	return error;
}

/* The messages of a datagram, walked with bounds checks as attributes. */
static bool msg_ok(const struct nlmsghdr *m, size_t rem)
{
	return rem >= sizeof(*m) && m->nlmsg_len >= sizeof(*m) &&
	       m->nlmsg_len <= rem;
}

static struct nlmsghdr *msg_next(struct nlmsghdr *m, size_t *rem)
{
	size_t step = NLMSG_ALIGN(m->nlmsg_len);

	if (step > *rem)
		step = *rem;
	*rem -= step;
	return (struct nlmsghdr *)((uint8_t *)m + step);
}

/*
 * One datagram into nl->buf: its length, 0 for one to ignore (not from
 * the kernel), or -errno.
 */
static ssize_t nl_recv(struct cbu_nl *nl, int flags)
{
	struct sockaddr_nl sa;
	struct iovec iov = { .iov_base = nl->buf, .iov_len = nl->buf_len };
	struct msghdr mh = {
		.msg_name = &sa,
		.msg_namelen = sizeof(sa),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	do {
		n = recvmsg(nl->fd, &mh, flags);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (mh.msg_flags & MSG_TRUNC) {
		sodium_memzero(nl->buf, nl->buf_len);
		return -EMSGSIZE;
	}
	if (mh.msg_namelen != sizeof(sa) || sa.nl_family != AF_NETLINK ||
	    sa.nl_pid != 0) {
		sodium_memzero(nl->buf, (size_t)n);
		return 0;
	}
	return n;
}

int cbu_nl_transact(struct cbu_nl *nl, struct cbu_nl_req *req, cbu_nl_cb cb,
		    void *arg, struct cbu_nl_err *err)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct nlmsghdr *h = req->nlh, *m;
	bool dump, done = false, intr = false;
	int ret = 0, cb_ret = 0;
	uint32_t seq;
	size_t rem;
	ssize_t n;

	cbu_nl_err_init(err);
	if (req->overflow) {
		ret = -EMSGSIZE;
		goto out;
	}
	/* NLM_F_DUMP is two bits; NLM_F_EXCL alone shares one of them. */
	dump = (h->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	h->nlmsg_flags |= NLM_F_REQUEST | (dump ? 0 : NLM_F_ACK);
	/* Notifications carry sequence 0: never use it. */
	seq = ++nl->seq ? nl->seq : ++nl->seq;
	h->nlmsg_seq = seq;
	h->nlmsg_pid = nl->port;

	do {
		n = sendto(nl->fd, h, h->nlmsg_len, 0,
			   (struct sockaddr *)&kernel, sizeof(kernel));
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		ret = -errno;
		goto out;
	}
	if ((size_t)n != h->nlmsg_len) {
		ret = -EIO;
		goto out;
	}

	while (!done) {
		n = nl_recv(nl, 0);
		if (n < 0) {
			ret = (int)n;
			goto out;
		}
		rem = (size_t)n;
		for (m = (struct nlmsghdr *)nl->buf; !done && msg_ok(m, rem);
		     m = msg_next(m, &rem)) {
			/* Late replies to an earlier request are not ours. */
			if (m->nlmsg_seq != seq || m->nlmsg_pid != nl->port)
				continue;
			if (m->nlmsg_flags & NLM_F_DUMP_INTR)
				intr = true;
			switch (m->nlmsg_type) {
			case NLMSG_NOOP:
			case NLMSG_OVERRUN:
				break;
			case NLMSG_ERROR:
				ret = parse_error(m, err);
				done = true;
				break;
			case NLMSG_DONE:
				ret = parse_done(m, err);
				done = true;
				break;
			default:
				if (cb && !cb_ret)
					cb_ret = cb(m, arg);
				break;
			}
		}
		sodium_memzero(nl->buf, (size_t)n);
	}
	if (!ret)
		ret = cb_ret;
	if (!ret && intr)
		ret = -EAGAIN;
out:
	/* It may have carried a key. */
	sodium_memzero(req->nlh, req->cap);
	return ret;
}

/* --- rtnetlink --- */

/* A request refused before it was sent. */
static int refuse(struct cbu_nl_err *err)
{
	cbu_nl_err_init(err);
	return -EINVAL;
}

/* Requests are small: a fixed header and a few addresses. */
union rtnl_buf {
	struct nlmsghdr nlh;
	uint8_t b[512];
};

int cbu_rtnl_open(struct cbu_rtnl *r)
{
	return cbu_nl_open(&r->nl, NETLINK_ROUTE);
}

void cbu_rtnl_close(struct cbu_rtnl *r)
{
	cbu_nl_close(&r->nl);
}

static int proxy_request(struct cbu_rtnl *r, uint16_t type, uint16_t flags,
			 const struct in6_addr *addr, int ifindex,
			 struct cbu_nl_err *err)
{
	union rtnl_buf buf;
	struct cbu_nl_req req;
	struct ndmsg *nd;

	/* Index 0 would be a proxy entry for every interface. */
	if (ifindex <= 0)
		return refuse(err);
	nd = cbu_nl_req_init(&req, &buf, sizeof(buf), type, flags,
			     sizeof(*nd));
	if (nd) {
		nd->ndm_family = AF_INET6;
		nd->ndm_ifindex = ifindex;
		nd->ndm_state = NUD_PERMANENT;
		nd->ndm_flags = NTF_PROXY;
	}
	cbu_nl_put(&req, NDA_DST, addr, sizeof(*addr));
	return cbu_nl_transact(&r->nl, &req, NULL, NULL, err);
}

int cbu_rtnl_proxy_add(struct cbu_rtnl *r, const struct in6_addr *addr,
		       int ifindex, struct cbu_nl_err *err)
{
	return proxy_request(r, RTM_NEWNEIGH, NLM_F_CREATE | NLM_F_EXCL, addr,
			     ifindex, err);
}

int cbu_rtnl_proxy_del(struct cbu_rtnl *r, const struct in6_addr *addr,
		       int ifindex, struct cbu_nl_err *err)
{
	return proxy_request(r, RTM_DELNEIGH, 0, addr, ifindex, err);
}

/* A name that is one path component of at most @max - 1 characters. */
static bool path_name_ok(const char *s, size_t max)
{
	size_t len = strnlen(s, max);

	return len > 0 && len < max && !strchr(s, '/') && strcmp(s, ".") &&
	       strcmp(s, "..");
}

int cbu_ipv6_conf_set(const char *dev, const char *key, int value)
{
	char path[128], val[16];
	int fd, len, ret = 0;
	ssize_t n;

	if (!path_name_ok(dev, IFNAMSIZ) || !path_name_ok(key, 64))
		return -EINVAL;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", dev,
		 key);
	len = snprintf(val, sizeof(val), "%d", value);

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/*
	 * One write is parsed whole.  What it returns is not always the
	 * count: a handler's positive return becomes it (writing a
	 * device's forwarding answers 1, addrconf_sysctl_forward()).
	 */
	n = write(fd, val, (size_t)len);
	if (n < 0)
		ret = -errno;
	else if (n == 0)
		ret = -EIO;
	close(fd);
	return ret;
}

static int addr_request(struct cbu_rtnl *r, uint16_t type, uint16_t flags,
			int ifindex, const struct in6_addr *addr,
			uint8_t prefixlen, uint32_t ifa_flags,
			struct cbu_nl_err *err)
{
	union rtnl_buf buf;
	struct cbu_nl_req req;
	struct ifaddrmsg *ifa;

	if (ifindex <= 0)
		return refuse(err);
	ifa = cbu_nl_req_init(&req, &buf, sizeof(buf), type, flags,
			      sizeof(*ifa));
	if (ifa) {
		ifa->ifa_family = AF_INET6;
		ifa->ifa_prefixlen = prefixlen;
		ifa->ifa_flags = (uint8_t)ifa_flags;
		ifa->ifa_scope = RT_SCOPE_UNIVERSE;
		ifa->ifa_index = (uint32_t)ifindex;
	}
	cbu_nl_put(&req, IFA_ADDRESS, addr, sizeof(*addr));
	/* The flags above the first eight bits exist only as IFA_FLAGS. */
	if (type == RTM_NEWADDR)
		cbu_nl_put_u32(&req, IFA_FLAGS, ifa_flags);
	return cbu_nl_transact(&r->nl, &req, NULL, NULL, err);
}

int cbu_rtnl_addr_add(struct cbu_rtnl *r, int ifindex,
		      const struct in6_addr *addr, uint8_t prefixlen,
		      uint32_t flags, struct cbu_nl_err *err)
{
	return addr_request(r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, ifindex,
			    addr, prefixlen, flags, err);
}

int cbu_rtnl_addr_del(struct cbu_rtnl *r, int ifindex,
		      const struct in6_addr *addr, uint8_t prefixlen,
		      struct cbu_nl_err *err)
{
	return addr_request(r, RTM_DELADDR, 0, ifindex, addr, prefixlen, 0,
			    err);
}

static int route_request(struct cbu_rtnl *r, uint16_t type, uint16_t flags,
			 const struct cbu_route *rt, struct cbu_nl_err *err)
{
	union rtnl_buf buf;
	struct cbu_nl_req req;
	struct rtmsg *rtm;

	if (rt->oif < 0)
		return refuse(err);
	rtm = cbu_nl_req_init(&req, &buf, sizeof(buf), type, flags,
			      sizeof(*rtm));
	if (rtm) {
		rtm->rtm_family = AF_INET6;
		rtm->rtm_dst_len = rt->dst_len;
		rtm->rtm_table = rt->table && rt->table < 256 ?
				 (uint8_t)rt->table : RT_TABLE_MAIN;
		/*
		 * As iproute2: a new route is a static unicast one; a
		 * deletion leaves protocol and type open so that they match
		 * any.
		 */
		if (type == RTM_NEWROUTE) {
			rtm->rtm_protocol = RTPROT_STATIC;
			rtm->rtm_scope = RT_SCOPE_UNIVERSE;
			rtm->rtm_type = RTN_UNICAST;
		} else {
			rtm->rtm_scope = RT_SCOPE_NOWHERE;
		}
	}
	cbu_nl_put(&req, RTA_DST, &rt->dst, sizeof(rt->dst));
	if (rt->has_gw)
		cbu_nl_put(&req, RTA_GATEWAY, &rt->gw, sizeof(rt->gw));
	if (rt->oif)
		cbu_nl_put_u32(&req, RTA_OIF, (uint32_t)rt->oif);
	if (rt->metric)
		cbu_nl_put_u32(&req, RTA_PRIORITY, rt->metric);
	/* A table above 255 fits only the attribute, which then rules. */
	if (rt->table)
		cbu_nl_put_u32(&req, RTA_TABLE, rt->table);
	if (rt->has_encap && type == RTM_NEWROUTE) {
		uint16_t encap_type = LWTUNNEL_ENCAP_IP6;
		size_t nest;

		nest = cbu_nl_nest_start(&req, RTA_ENCAP);
		cbu_nl_put(&req, LWTUNNEL_IP6_DST, &rt->encap_dst,
			   sizeof(rt->encap_dst));
		cbu_nl_put(&req, LWTUNNEL_IP6_SRC, &rt->encap_src,
			   sizeof(rt->encap_src));
		if (rt->encap_hoplimit)
			cbu_nl_put(&req, LWTUNNEL_IP6_HOPLIMIT,
				   &rt->encap_hoplimit,
				   sizeof(rt->encap_hoplimit));
		cbu_nl_nest_end(&req, nest);
		cbu_nl_put(&req, RTA_ENCAP_TYPE, &encap_type,
			   sizeof(encap_type));
	}
	return cbu_nl_transact(&r->nl, &req, NULL, NULL, err);
}

int cbu_rtnl_route_replace(struct cbu_rtnl *r, const struct cbu_route *rt,
			   struct cbu_nl_err *err)
{
	return route_request(r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE,
			     rt, err);
}

int cbu_rtnl_route_add(struct cbu_rtnl *r, const struct cbu_route *rt,
		       struct cbu_nl_err *err)
{
	return route_request(r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, rt,
			     err);
}

int cbu_rtnl_route_del(struct cbu_rtnl *r, const struct cbu_route *rt,
		       struct cbu_nl_err *err)
{
	return route_request(r, RTM_DELROUTE, 0, rt, err);
}

/* The attributes of an lwtunnel encap of type ip6 (RTA_ENCAP's payload). */
static int encap_ip6_parse(const struct nlattr *nest, struct cbu_route *rt)
{
	const struct nlattr *at;
	size_t rem;
	int ret;

	rt->has_encap = true;
	cbu_nl_for_each_attr(at, cbu_nl_attr_data(nest),
			     cbu_nl_attr_len(nest), rem) {
		switch (cbu_nl_attr_type(at)) {
		case LWTUNNEL_IP6_DST:
			ret = cbu_nl_attr_get(at, &rt->encap_dst,
					      sizeof(rt->encap_dst));
			break;
		case LWTUNNEL_IP6_SRC:
			ret = cbu_nl_attr_get(at, &rt->encap_src,
					      sizeof(rt->encap_src));
			break;
		case LWTUNNEL_IP6_HOPLIMIT:
			ret = cbu_nl_attr_get(at, &rt->encap_hoplimit,
					      sizeof(rt->encap_hoplimit));
			break;
		default:
			continue;
		}
		if (ret)
			return ret;
	}
	return rem ? -EPROTO : 0;
}

int cbu_rtnl_route_parse(const struct nlmsghdr *nlh, struct cbu_route *rt,
			 uint32_t *table)
{
	const struct nlattr *attrs, *at, *encap = NULL;
	const struct rtmsg *rtm;
	uint16_t encap_type = 0;
	uint32_t oif = 0;
	size_t len, rem;
	int ret;

	memset(rt, 0, sizeof(*rt));
	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return -EPROTO;
	attrs = cbu_nl_attrs(nlh, sizeof(*rtm), &len);
	if (!attrs)
		return -EPROTO;
	rtm = NLMSG_DATA(nlh);
	if (rtm->rtm_family != AF_INET6)
		return -EAFNOSUPPORT;
	if (rtm->rtm_dst_len > 128)
		return -EPROTO;
	rt->dst_len = rtm->rtm_dst_len;
	*table = rtm->rtm_table;
	cbu_nl_for_each_attr(at, attrs, len, rem) {
		switch (cbu_nl_attr_type(at)) {
		case RTA_DST:
			ret = cbu_nl_attr_get(at, &rt->dst, sizeof(rt->dst));
			break;
		case RTA_GATEWAY:
			ret = cbu_nl_attr_get(at, &rt->gw, sizeof(rt->gw));
			rt->has_gw = true;
			break;
		case RTA_OIF:
			ret = cbu_nl_attr_get(at, &oif, sizeof(oif));
			break;
		case RTA_PRIORITY:
			ret = cbu_nl_attr_get(at, &rt->metric,
					      sizeof(rt->metric));
			break;
		case RTA_TABLE:
			ret = cbu_nl_attr_get(at, table, sizeof(*table));
			break;
		case RTA_ENCAP_TYPE:
			ret = cbu_nl_attr_get(at, &encap_type,
					      sizeof(encap_type));
			break;
		case RTA_ENCAP:
			encap = at;
			ret = 0;
			break;
		default:
			continue;
		}
		if (ret)
			return ret;
	}
	if (rem || oif > INT32_MAX)
		return -EPROTO;
	rt->oif = (int)oif;
	rt->table = *table;
	/* The kernel puts the type after the nest: read it once both are. */
	if (encap && encap_type == LWTUNNEL_ENCAP_IP6)
		return encap_ip6_parse(encap, rt);
	return 0;
}

struct route_walk {
	int oif;
	int (*fn)(const struct cbu_route *rt, void *arg);
	void *arg;
};

static int on_route(const struct nlmsghdr *nlh, void *arg)
{
	const struct rtmsg *rtm = NLMSG_DATA(nlh);
	struct route_walk *w = arg;
	struct cbu_route rt;
	uint32_t table;
	int ret;

	ret = cbu_rtnl_route_parse(nlh, &rt, &table);
	if (ret == -EAFNOSUPPORT)
		return 0;
	if (ret)
		return ret;
	if (table != RT_TABLE_MAIN || rtm->rtm_type != RTN_UNICAST ||
	    rt.oif != w->oif)
		return 0;
	return w->fn(&rt, w->arg);
}

int cbu_rtnl_route_list(struct cbu_rtnl *r, int oif,
			int (*fn)(const struct cbu_route *rt, void *arg),
			void *arg, struct cbu_nl_err *err)
{
	struct route_walk w = { .oif = oif, .fn = fn, .arg = arg };
	union rtnl_buf buf;
	struct cbu_nl_req req;
	struct rtmsg *rtm;

	if (oif <= 0)
		return refuse(err);
	rtm = cbu_nl_req_init(&req, &buf, sizeof(buf), RTM_GETROUTE,
			      NLM_F_DUMP, sizeof(*rtm));
	if (rtm)
		rtm->rtm_family = AF_INET6;
	return cbu_nl_transact(&r->nl, &req, on_route, &w, err);
}

/* --- links --- */

int cbu_rtnl_ip6tnl_md_add(struct cbu_rtnl *r, const char *name,
			   struct cbu_nl_err *err)
{
	static const char kind[] = "ip6tnl";
	uint8_t proto = IPPROTO_IPV6;
	size_t info, data, n = strlen(name);
	union rtnl_buf buf;
	struct cbu_nl_req req;

	if (!n || n >= IF_NAMESIZE)
		return refuse(err);
	cbu_nl_req_init(&req, &buf, sizeof(buf), RTM_NEWLINK,
			NLM_F_CREATE | NLM_F_EXCL, sizeof(struct ifinfomsg));
	cbu_nl_put(&req, IFLA_IFNAME, name, n + 1);
	info = cbu_nl_nest_start(&req, IFLA_LINKINFO);
	cbu_nl_put(&req, IFLA_INFO_KIND, kind, sizeof(kind));
	data = cbu_nl_nest_start(&req, IFLA_INFO_DATA);
	cbu_nl_put(&req, IFLA_IPTUN_PROTO, &proto, sizeof(proto));
	cbu_nl_put(&req, IFLA_IPTUN_COLLECT_METADATA, NULL, 0);
	cbu_nl_nest_end(&req, data);
	cbu_nl_nest_end(&req, info);
	return cbu_nl_transact(&r->nl, &req, NULL, NULL, err);
}

void cbu_rtnl_ip6tnl_req(struct cbu_nl_req *req, void *buf, size_t cap,
			 const char *name, int ifindex,
			 const struct in6_addr *local,
			 const struct in6_addr *remote)
{
	static const char kind[] = "ip6tnl";
	uint8_t proto = IPPROTO_IPV6, hoplimit = 64;
	uint32_t flags = IP6_TNL_F_IGN_ENCAP_LIMIT;
	struct ifinfomsg *ifi;
	size_t info, data, n = name ? strlen(name) : 0;

	ifi = cbu_nl_req_init(req, buf, cap, RTM_NEWLINK,
			      ifindex ? 0 : NLM_F_CREATE | NLM_F_EXCL,
			      sizeof(*ifi));
	if (ifi) {
		ifi->ifi_family = AF_UNSPEC;
		ifi->ifi_index = ifindex;
	}
	if (ifindex < 0 || (!ifindex && (!n || n >= IF_NAMESIZE))) {
		req->overflow = true;
		return;
	}
	if (!ifindex)
		cbu_nl_put(req, IFLA_IFNAME, name, n + 1);
	info = cbu_nl_nest_start(req, IFLA_LINKINFO);
	cbu_nl_put(req, IFLA_INFO_KIND, kind, sizeof(kind));
	data = cbu_nl_nest_start(req, IFLA_INFO_DATA);
	cbu_nl_put(req, IFLA_IPTUN_LOCAL, local, sizeof(*local));
	cbu_nl_put(req, IFLA_IPTUN_REMOTE, remote, sizeof(*remote));
	cbu_nl_put(req, IFLA_IPTUN_TTL, &hoplimit, sizeof(hoplimit));
	cbu_nl_put_u32(req, IFLA_IPTUN_FLAGS, flags);
	cbu_nl_put(req, IFLA_IPTUN_PROTO, &proto, sizeof(proto));
	cbu_nl_nest_end(req, data);
	cbu_nl_nest_end(req, info);
}

int cbu_rtnl_ip6tnl_add(struct cbu_rtnl *r, const char *name,
			const struct in6_addr *local,
			const struct in6_addr *remote, struct cbu_nl_err *err)
{
	union rtnl_buf buf;
	struct cbu_nl_req req;

	if (!name || !*name || strlen(name) >= IF_NAMESIZE)
		return refuse(err);
	cbu_rtnl_ip6tnl_req(&req, &buf, sizeof(buf), name, 0, local, remote);
	return cbu_nl_transact(&r->nl, &req, NULL, NULL, err);
}

int cbu_rtnl_ip6tnl_change(struct cbu_rtnl *r, int ifindex,
			   const struct in6_addr *local,
			   const struct in6_addr *remote,
			   struct cbu_nl_err *err)
{
	union rtnl_buf buf;
	struct cbu_nl_req req;

	if (ifindex <= 0)
		return refuse(err);
	cbu_rtnl_ip6tnl_req(&req, &buf, sizeof(buf), NULL, ifindex, local,
			    remote);
	return cbu_nl_transact(&r->nl, &req, NULL, NULL, err);
}

static int link_info_parse(const struct nlattr *nest, struct cbu_rtnl_link *l)
{
	const struct nlattr *at, *data = NULL, *d;
	size_t rem, drem, n;

	cbu_nl_for_each_attr(at, cbu_nl_attr_data(nest),
			     cbu_nl_attr_len(nest), rem) {
		switch (cbu_nl_attr_type(at)) {
		case IFLA_INFO_KIND:
			n = cbu_nl_attr_len(at);
			if (n >= sizeof(l->kind))
				n = sizeof(l->kind) - 1;
			memcpy(l->kind, cbu_nl_attr_data(at), n);
			l->kind[n] = 0;
			break;
		case IFLA_INFO_DATA:
			data = at;
			break;
		}
	}
	if (rem)
		return -EPROTO;
	if (!data || strcmp(l->kind, "ip6tnl"))
		return 0;
	cbu_nl_for_each_attr(d, cbu_nl_attr_data(data), cbu_nl_attr_len(data),
			     drem) {
		switch (cbu_nl_attr_type(d)) {
		case IFLA_IPTUN_COLLECT_METADATA:
			l->collect_md = true;
			break;
		case IFLA_IPTUN_PROTO:
			if (cbu_nl_attr_get(d, &l->proto, sizeof(l->proto)))
				return -EPROTO;
			break;
		case IFLA_IPTUN_LOCAL:
			if (cbu_nl_attr_get(d, &l->local, sizeof(l->local)))
				return -EPROTO;
			break;
		case IFLA_IPTUN_REMOTE:
			if (cbu_nl_attr_get(d, &l->remote, sizeof(l->remote)))
				return -EPROTO;
			break;
		}
	}
	return drem ? -EPROTO : 0;
}

int cbu_rtnl_link_parse(const struct nlmsghdr *nlh, struct cbu_rtnl_link *l)
{
	const struct ifinfomsg *ifi;
	const struct nlattr *attrs, *at;
	size_t len, rem;
	int ret;

	memset(l, 0, sizeof(*l));
	if (nlh->nlmsg_type != RTM_NEWLINK)
		return -EPROTO;
	attrs = cbu_nl_attrs(nlh, sizeof(*ifi), &len);
	if (!attrs)
		return -EPROTO;
	ifi = NLMSG_DATA(nlh);
	if (ifi->ifi_index <= 0)
		return -EPROTO;
	l->ifindex = ifi->ifi_index;
	l->up = ifi->ifi_flags & IFF_UP;
	cbu_nl_for_each_attr(at, attrs, len, rem) {
		if (cbu_nl_attr_type(at) != IFLA_LINKINFO)
			continue;
		ret = link_info_parse(at, l);
		if (ret)
			return ret;
	}
	return rem ? -EPROTO : 0;
}

static int on_link(const struct nlmsghdr *nlh, void *arg)
{
	struct cbu_rtnl_link *l = arg;
	int want = l->ifindex, ret;

	ret = cbu_rtnl_link_parse(nlh, l);
	if (!ret && l->ifindex != want)
		ret = -EPROTO;
	return ret;
}

int cbu_rtnl_link_get(struct cbu_rtnl *r, int ifindex,
		      struct cbu_rtnl_link *l, struct cbu_nl_err *err)
{
	union rtnl_buf buf;
	struct cbu_nl_req req;
	struct ifinfomsg *ifi;

	memset(l, 0, sizeof(*l));
	if (ifindex <= 0)
		return refuse(err);
	l->ifindex = ifindex;
	ifi = cbu_nl_req_init(&req, &buf, sizeof(buf), RTM_GETLINK, 0,
			      sizeof(*ifi));
	if (ifi) {
		ifi->ifi_family = AF_UNSPEC;
		ifi->ifi_index = ifindex;
	}
	return cbu_nl_transact(&r->nl, &req, on_link, l, err);
}

static int link_request(struct cbu_rtnl *r, uint16_t type, int ifindex,
			unsigned int flags, unsigned int change,
			struct cbu_nl_err *err)
{
	union rtnl_buf buf;
	struct cbu_nl_req req;
	struct ifinfomsg *ifi;

	if (ifindex <= 0)
		return refuse(err);
	ifi = cbu_nl_req_init(&req, &buf, sizeof(buf), type, 0, sizeof(*ifi));
	if (ifi) {
		ifi->ifi_family = AF_UNSPEC;
		ifi->ifi_index = ifindex;
		ifi->ifi_flags = flags;
		ifi->ifi_change = change;
	}
	return cbu_nl_transact(&r->nl, &req, NULL, NULL, err);
}

int cbu_rtnl_link_up(struct cbu_rtnl *r, int ifindex, struct cbu_nl_err *err)
{
	return link_request(r, RTM_NEWLINK, ifindex, IFF_UP, IFF_UP, err);
}

int cbu_rtnl_link_del(struct cbu_rtnl *r, int ifindex, struct cbu_nl_err *err)
{
	return link_request(r, RTM_DELLINK, ifindex, 0, 0, err);
}

/* --- rules --- */

void cbu_rtnl_rule_req(struct cbu_nl_req *req, void *buf, size_t cap,
		       uint16_t type, const struct cbu_rule *ru)
{
	struct fib_rule_hdr *frh;

	frh = cbu_nl_req_init(req, buf, cap, type,
			      type == RTM_NEWRULE ?
			      NLM_F_CREATE | NLM_F_EXCL : 0, sizeof(*frh));
	if (ru->src_len > 128 || !ru->table) {
		req->overflow = true;
		return;
	}
	if (frh) {
		frh->family = AF_INET6;
		frh->src_len = ru->src_len;
		frh->action = FR_ACT_TO_TBL;
		/* The table in the attribute: it may be above 255. */
		frh->table = ru->table < 256 ? (uint8_t)ru->table :
			     RT_TABLE_UNSPEC;
	}
	if (ru->src_len)
		cbu_nl_put(req, FRA_SRC, &ru->src, sizeof(ru->src));
	cbu_nl_put_u32(req, FRA_TABLE, ru->table);
	if (ru->priority)
		cbu_nl_put_u32(req, FRA_PRIORITY, ru->priority);
}

static int rule_request(struct cbu_rtnl *r, uint16_t type,
			const struct cbu_rule *ru, struct cbu_nl_err *err)
{
	union rtnl_buf buf;
	struct cbu_nl_req req;

	if (ru->src_len > 128 || !ru->table)
		return refuse(err);
	cbu_rtnl_rule_req(&req, &buf, sizeof(buf), type, ru);
	return cbu_nl_transact(&r->nl, &req, NULL, NULL, err);
}

int cbu_rtnl_rule_add(struct cbu_rtnl *r, const struct cbu_rule *ru,
		      struct cbu_nl_err *err)
{
	return rule_request(r, RTM_NEWRULE, ru, err);
}

int cbu_rtnl_rule_del(struct cbu_rtnl *r, const struct cbu_rule *ru,
		      struct cbu_nl_err *err)
{
	return rule_request(r, RTM_DELRULE, ru, err);
}

int cbu_rtnl_addr_parse(const struct nlmsghdr *nlh, struct cbu_rtnl_addr *a)
{
	const struct ifaddrmsg *ifa;
	const struct nlattr *attrs, *at;
	bool has_addr = false, has_local = false;
	struct in6_addr local = IN6ADDR_ANY_INIT;
	size_t len, rem;
	int ret;

	memset(a, 0, sizeof(*a));
	if (nlh->nlmsg_type != RTM_NEWADDR && nlh->nlmsg_type != RTM_DELADDR)
		return -EPROTO;
	attrs = cbu_nl_attrs(nlh, sizeof(*ifa), &len);
	if (!attrs)
		return -EPROTO;
	ifa = NLMSG_DATA(nlh);
	if (ifa->ifa_family != AF_INET6)
		return -EAFNOSUPPORT;
	if (ifa->ifa_prefixlen > 128 || ifa->ifa_index > INT32_MAX)
		return -EPROTO;
	a->ifindex = (int)ifa->ifa_index;
	a->prefixlen = ifa->ifa_prefixlen;
	a->scope = ifa->ifa_scope;
	a->flags = ifa->ifa_flags;
	a->removed = nlh->nlmsg_type == RTM_DELADDR;

	cbu_nl_for_each_attr(at, attrs, len, rem) {
		switch (cbu_nl_attr_type(at)) {
		case IFA_ADDRESS:
			ret = cbu_nl_attr_get(at, &a->addr, sizeof(a->addr));
			has_addr = true;
			break;
		case IFA_LOCAL:
			ret = cbu_nl_attr_get(at, &local, sizeof(local));
			has_local = true;
			break;
		case IFA_FLAGS:
			ret = cbu_nl_attr_get(at, &a->flags, sizeof(a->flags));
			break;
		default:
			continue;
		}
		if (ret)
			return ret;
	}
	if (rem)
		return -EPROTO;
	/* With a peer, IFA_ADDRESS is the peer's and IFA_LOCAL ours. */
	if (has_local)
		a->addr = local;
	else if (!has_addr)
		return -EPROTO;
	return 0;
}

struct addr_walk {
	int ifindex;
	int (*fn)(const struct cbu_rtnl_addr *a, void *arg);
	void *arg;
};

static int on_addr(const struct nlmsghdr *nlh, void *arg)
{
	struct addr_walk *w = arg;
	struct cbu_rtnl_addr a;
	int ret;

	ret = cbu_rtnl_addr_parse(nlh, &a);
	if (ret == -EAFNOSUPPORT)
		return 0;
	if (ret)
		return ret;
	if ((w->ifindex && a.ifindex != w->ifindex) ||
	    a.scope != RT_SCOPE_UNIVERSE)
		return 0;
	return w->fn(&a, w->arg);
}

int cbu_rtnl_addr_list(struct cbu_rtnl *r, int ifindex,
		       int (*fn)(const struct cbu_rtnl_addr *a, void *arg),
		       void *arg, struct cbu_nl_err *err)
{
	struct addr_walk w = { .ifindex = ifindex, .fn = fn, .arg = arg };
	union rtnl_buf buf;
	struct cbu_nl_req req;
	struct ifaddrmsg *ifa;

	if (ifindex < 0)
		return refuse(err);
	ifa = cbu_nl_req_init(&req, &buf, sizeof(buf), RTM_GETADDR,
			      NLM_F_DUMP, sizeof(*ifa));
	if (ifa) {
		ifa->ifa_family = AF_INET6;
		/* A filter only under strict checking: filtered here too. */
		ifa->ifa_index = (uint32_t)ifindex;
	}
	return cbu_nl_transact(&r->nl, &req, on_addr, &w, err);
}

int cbu_rtnl_monitor_open(struct cbu_rtnl *r)
{
	int group = RTNLGRP_IPV6_IFADDR, size = CBU_NL_NOTIFY_RCVBUF;
	int ret;

	ret = cbu_rtnl_open(r);
	if (ret)
		return ret;
	if (setsockopt(r->nl.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group)) < 0) {
		ret = -errno;
		cbu_rtnl_close(r);
		return ret;
	}
	/* Best effort: a larger buffer loses fewer notifications. */
	setsockopt(r->nl.fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return 0;
}

int cbu_rtnl_monitor_routes(struct cbu_rtnl *r)
{
	int group = RTNLGRP_IPV6_ROUTE;

	if (setsockopt(r->nl.fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group,
		       sizeof(group)) < 0)
		return -errno;
	return 0;
}

int cbu_rtnl_route_ev_parse(const struct nlmsghdr *nlh,
			    struct cbu_rtnl_route_ev *ev)
{
	const struct rtmsg *rtm;

	memset(ev, 0, sizeof(*ev));
	if ((nlh->nlmsg_type != RTM_NEWROUTE &&
	     nlh->nlmsg_type != RTM_DELROUTE) ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
		return -EPROTO;
	rtm = NLMSG_DATA(nlh);
	if (rtm->rtm_family != AF_INET6)
		return -EAFNOSUPPORT;
	if (rtm->rtm_dst_len > 128)
		return -EPROTO;
	ev->removed = nlh->nlmsg_type == RTM_DELROUTE;
	ev->dst_len = rtm->rtm_dst_len;
	ev->table = rtm->rtm_table;
	ev->type = rtm->rtm_type;
	return 0;
}

int cbu_rtnl_fd(const struct cbu_rtnl *r)
{
	return r->nl.fd;
}

int cbu_rtnl_addr_read(struct cbu_rtnl *r,
		       int (*fn)(const struct cbu_rtnl_addr *a, void *arg),
		       void *arg)
{
	return cbu_rtnl_event_read(r, fn, NULL, arg);
}

int cbu_rtnl_event_read(struct cbu_rtnl *r,
			int (*addr_fn)(const struct cbu_rtnl_addr *a,
				       void *arg),
			int (*route_fn)(const struct cbu_rtnl_route_ev *ev,
					void *arg),
			void *arg)
{
	struct cbu_rtnl_route_ev ev;
	struct cbu_rtnl_addr a;
	struct nlmsghdr *m;
	size_t rem;
	ssize_t n;
	int ret;

	for (;;) {
		n = nl_recv(&r->nl, MSG_DONTWAIT);
		if (n == -EAGAIN || n == -EWOULDBLOCK)
			return 0;
		if (n < 0)
			return (int)n;
		ret = 0;
		rem = (size_t)n;
		for (m = (struct nlmsghdr *)r->nl.buf; !ret && msg_ok(m, rem);
		     m = msg_next(m, &rem)) {
			if (route_fn && !cbu_rtnl_route_ev_parse(m, &ev)) {
				ret = route_fn(&ev, arg);
				continue;
			}
			/* Malformed or not IPv6: not an address event. */
			if (cbu_rtnl_addr_parse(m, &a))
				continue;
			ret = addr_fn(&a, arg);
		}
		sodium_memzero(r->nl.buf, (size_t)n);
		if (ret)
			return ret;
	}
}
