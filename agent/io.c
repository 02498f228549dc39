// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's sockets: a raw IPPROTO_MH socket for the messages addressed to
 * this node (the kernel verifies and fills their checksums), a raw
 * IPPROTO_RAW socket for whole packets (a source that is not ours, a Home
 * Address option), and a generic netlink socket on the events and mh
 * groups of cbu.ko.  Everything received is decoded once here and handed to
 * the role it is for.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/xfrm.h>
#include <sodium.h>

#include "agent.h"
#include "lib/armor.h"
#include "lib/crypto.h"
#include "lib/pkt.h"
#include "log.h"
#include "loop.h"

static struct {
	struct loop_fd mh;		/* raw IPPROTO_MH */
	int raw;			/* raw IPPROTO_RAW, send only */
	int none;			/* raw IPPROTO_NONE, send only */
	struct cbu_genl notify;		/* events and mh groups */
	struct loop_fd notify_lfd;
	struct loop_fd nd;		/* raw ICMPv6, RAs in, RSs out */
	unsigned int roles;		/* enum role_io: what the roles ask */
	bool kernel_mh;			/* a role takes what cbu.ko hands up */
	/* Aligned: the MH parser reads the 16-bit fields where they are. */
	uint8_t buf[CBU_MH_MAX_LEN] __attribute__((aligned(8)));
	/* An RA is as long as its link's MTU allows: up to IPv6's 65535. */
	uint8_t nd_buf[65535] __attribute__((aligned(8)));
} io = { .mh.fd = -1, .raw = -1, .none = -1, .nd.fd = -1 };

const char *addr_str(const struct in6_addr *a)
{
	static char bufs[4][INET6_ADDRSTRLEN];
	static unsigned int next;
	char *b = bufs[next++ % 4];

	return inet_ntop(AF_INET6, a, b, INET6_ADDRSTRLEN);
}

/* What came with a datagram of a raw socket. */
struct recv6 {
	struct sockaddr_in6 from;
	struct in6_addr dst;		/* IPV6_PKTINFO's */
	int ifindex;
	int hoplimit;			/* IPV6_HOPLIMIT's, -1 without */
	bool trunc;
};

/* One datagram into @buf: its length, or -1 when drained. */
static ssize_t recv6(int fd, uint8_t *buf, size_t size, struct recv6 *rv)
{
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
			  CMSG_SPACE(sizeof(int))];
	} cbuf;
	struct iovec iov = { buf, size };
	struct msghdr mh = {
		.msg_name = &rv->from, .msg_namelen = sizeof(rv->from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct in6_pktinfo pi;
	struct cmsghdr *c;
	ssize_t n;

	memset(rv, 0, sizeof(*rv));
	rv->hoplimit = -1;
	n = recvmsg(fd, &mh, 0);
	if (n < 0)
		return -1;
	rv->trunc = mh.msg_flags & MSG_TRUNC;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_PKTINFO) {
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			rv->dst = pi.ipi6_addr;
			rv->ifindex = (int)pi.ipi6_ifindex;
		} else if (c->cmsg_type == IPV6_HOPLIMIT) {
			memcpy(&rv->hoplimit, CMSG_DATA(c),
			       sizeof(rv->hoplimit));
		}
	}
	return n;
}

/* Each datagram waiting on @fd, in @buf of @size, to @one. */
static void recv6_drain(int fd, uint8_t *buf, size_t size,
			void (*one)(const struct recv6 *rv, size_t n))
{
	struct recv6 rv;
	ssize_t n;

	while ((n = recv6(fd, buf, size, &rv)) >= 0)
		one(&rv, (size_t)n);
}

/* To every role of the configuration that takes it (its role_rx list). */
static void dispatch(struct rx *r)
{
	const struct cbu_msg *m = &r->msg;
	const struct role_ops *role;
	const struct role_rx *e;

	log_debug("%s from %s to %s", cbu_msg_name(m->type, m->subtype,
						   m->flags),
		  addr_str(&r->src), addr_str(&r->dst));
	for_each_role(role) {
		for (e = role->rx; e && e->fn; e++) {
			if (e->type == m->type &&
			    (m->type != CBU_MH_EXP || e->subtype == m->subtype))
				e->fn(r);
		}
	}
}

/* One MH of the raw MH socket, @n octets in io.buf. */
static void mh_one(const struct recv6 *rv, size_t n)
{
	const char *why;
	struct rx r;

	memset(&r, 0, sizeof(r));
	r.src = rv->from.sin6_addr;
	r.dst = rv->dst;
	r.mh = io.buf;
	r.len = n;
	/* The kernel checked the sum of what reaches a raw MH socket. */
	if (cbu_msg_decode(&r.msg, io.buf, n, NULL, &why)) {
		log_info_rl("malformed MH from %s: %s", addr_str(&r.src), why);
		return;
	}
	dispatch(&r);
}

static void mh_cb(struct loop_fd *lfd, uint32_t events)
{
	(void)events;
	recv6_drain(lfd->fd, io.buf, sizeof(io.buf), mh_one);
}

static int notify_cb(struct nl_msg *nmsg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(nmsg);
	const struct role_ops *role;
	struct cbu_event_info ev;
	struct cbu_mh_recv m;
	struct cbu_pseudo ph;
	const char *why;
	struct rx r;

	(void)arg;
	if (!cbu_event_parse(nlh, &ev)) {
		for_each_role(role)
			if (role->event)
				role->event(&ev);
		return NL_OK;
	}
	if (cbu_mh_recv_parse(nlh, &m) || !io.kernel_mh)
		return NL_OK;
	memset(&r, 0, sizeof(r));
	r.src = m.src;
	r.dst = m.dst;
	r.mh = m.data;
	r.len = m.len;
	r.has_hoa = m.has_hoa;
	if (m.has_hoa)
		r.hoa = m.hoa;
	/* Handed up before the stack looked at it: the sum is ours to check. */
	memcpy(ph.src, m.has_hoa ? &m.hoa : &m.src, 16);
	memcpy(ph.dst, &m.dst, 16);
	if (cbu_msg_decode(&r.msg, m.data, m.len, &ph, &why)) {
		log_info_rl("malformed MH for %s from %s: %s", addr_str(&m.dst),
			    addr_str(&m.src), why);
		return NL_OK;
	}
	for_each_role(role)
		if (role->kernel_mh)
			role->kernel_mh(&r);
	return NL_OK;
}

static void notify_lfd_cb(struct loop_fd *lfd, uint32_t events)
{
	int ret;

	(void)lfd;
	(void)events;
	ret = cbu_genl_notify_read(&io.notify);
	if (ret == -ENOBUFS)
		log_warn("cbu.ko notifications lost: the receive buffer overran");
	else if (ret < 0)
		log_err("cbu.ko notifications: %s", strerror(-ret));
}

/*
 * Router Advertisements, for the roles that take them.  RFC 4861 6.1.2:
 * one whose hop limit is not 255 came from off the link, one whose
 * source is not link-local is no router's; both are refused, as a
 * malformed one is, and the role counts them.  The kernel checked the
 * sum (a raw ICMPv6 socket's).
 */
static void nd_one(const struct recv6 *rv, size_t n)
{
	const struct role_ops *role;
	struct ra_rx r;

	memset(&r, 0, sizeof(r));
	r.src = rv->from.sin6_addr;
	r.ifindex = rv->ifindex;
	if (rv->hoplimit != 255)
		r.why = "a hop limit not 255";
	else if (!IN6_IS_ADDR_LINKLOCAL(&r.src))
		r.why = "a source not link-local";
	else if (rv->trunc)
		r.why = "too long";
	else
		r.n_maps = cbu_nd_ra_maps(io.nd_buf, n, r.maps, &r.why);
	if (r.n_maps < 0)
		r.n_maps = 0;
	log_debug("RA from %s on %d%s%s", addr_str(&r.src), r.ifindex,
		  r.why ? ": " : "", r.why ? r.why : "");
	for_each_role(role)
		if (role->ra && *role->ra_wanted)
			role->ra(&r);
}

static void nd_cb(struct loop_fd *lfd, uint32_t events)
{
	(void)events;
	recv6_drain(lfd->fd, io.nd_buf, sizeof(io.nd_buf), nd_one);
}

static int nd_open(void)
{
	struct icmp6_filter f;
	int one = 1, hops = 255;

	io.nd.fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			  IPPROTO_ICMPV6);
	if (io.nd.fd < 0)
		return -errno;
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ND_ROUTER_ADVERT, &f);
	if (setsockopt(io.nd.fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f,
		       sizeof(f)) < 0 ||
	    setsockopt(io.nd.fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
		       sizeof(one)) < 0 ||
	    setsockopt(io.nd.fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one,
		       sizeof(one)) < 0 ||
	    setsockopt(io.nd.fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
		       sizeof(hops)) < 0)
		return -errno;
	io.nd.cb = nd_cb;
	return loop_add(&io.nd, EPOLLIN);
}

int io_send_rs(int ifindex)
{
	uint8_t rs[CBU_ND_RS_LEN];
	struct sockaddr_in6 to = {
		.sin6_family = AF_INET6,
		.sin6_scope_id = (uint32_t)ifindex,
	};
	int len;

	if (io.nd.fd < 0)
		return -ENOTCONN;
	len = cbu_nd_rs_build(rs, sizeof(rs));
	if (len < 0)
		return len;
	/* ff02::2, all routers; hop limit 255 (IPV6_MULTICAST_HOPS). */
	to.sin6_addr.s6_addr[0] = 0xff;
	to.sin6_addr.s6_addr[1] = 0x02;
	to.sin6_addr.s6_addr[15] = 0x02;
	if (sendto(io.nd.fd, rs, (size_t)len, 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0) {
		int err = errno;

		log_warn("sending an RS on %d: %s", ifindex, strerror(err));
		return -err;
	}
	log_debug("sent an RS on %d", ifindex);
	return 0;
}

/*
 * A correspondent's signalling with a home address must pass the ESP path
 * of that same home address: a new exchange, or a rekey, while a binding
 * holds (ROLE_IO_BYPASS_IPSEC).  As IKE daemons do, the sockets get
 * policies of their own that let their packets through in the clear, in
 * and out: a socket's policy wins over the SPD's.  Not for a mobile node
 * (ROLE_IO_THROUGH_IPSEC): its REQs must go through its home tunnel, and a
 * policy without a template refuses what comes in through a tunnel (the
 * REP).
 */
static int bypass_ipsec(int fd)
{
	struct xfrm_userpolicy_info p;
	uint8_t dir;

	for (dir = XFRM_POLICY_IN; dir <= XFRM_POLICY_OUT; dir++) {
		memset(&p, 0, sizeof(p));
		p.sel.family = AF_INET6;
		p.lft.soft_byte_limit = XFRM_INF;
		p.lft.hard_byte_limit = XFRM_INF;
		p.lft.soft_packet_limit = XFRM_INF;
		p.lft.hard_packet_limit = XFRM_INF;
		p.dir = dir;
		p.action = XFRM_POLICY_ALLOW;
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_XFRM_POLICY, &p,
			       sizeof(p)) < 0)
			return -errno;
	}
	return 0;
}

int io_init(void)
{
	const struct role_ops *role;
	int one = 1, ret;

	io.roles = 0;
	io.kernel_mh = false;
	for_each_role(role) {
		io.roles |= role->io;
		if (role->kernel_mh)
			io.kernel_mh = true;
		if (role->ra && *role->ra_wanted)
			io.roles |= ROLE_IO_RA;
	}

	io.mh.fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			  IPPROTO_MH);
	if (io.mh.fd < 0) {
		log_err("raw MH socket: %m");
		return -errno;
	}
	setsockopt(io.mh.fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
	io.mh.cb = mh_cb;
	ret = loop_add(&io.mh, EPOLLIN);
	if (ret)
		goto err;

	io.raw = cbu_pkt_socket();
	if (io.raw < 0) {
		ret = io.raw;
		log_err("raw IPv6 socket: %s", strerror(-ret));
		goto err;
	}
	if (io.roles & ROLE_IO_DUMMY) {
		io.none = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC,
				 IPPROTO_NONE);
		if (io.none < 0) {
			ret = -errno;
			log_err("raw IPv6 socket (No Next Header): %m");
			goto err;
		}
	}
	if (io.roles & ROLE_IO_RA) {
		ret = nd_open();
		if (ret) {
			log_err("raw ICMPv6 socket (RAs): %s", strerror(-ret));
			goto err;
		}
	}
	if ((io.roles & ROLE_IO_BYPASS_IPSEC) &&
	    !(io.roles & ROLE_IO_THROUGH_IPSEC)) {
		ret = bypass_ipsec(io.mh.fd);
		if (!ret)
			ret = bypass_ipsec(io.raw);
		if (ret) {
			log_err("IPsec bypass for the signalling: %s",
				strerror(-ret));
			goto err;
		}
	}

	ret = cbu_genl_open(&io.notify);
	if (ret) {
		log_err("cbu.ko: %s", ret == -ENOENT ? "not loaded" :
		       strerror(-ret));
		goto err;
	}
	ret = cbu_genl_subscribe(&io.notify, CBU_MCGRP_EVENTS);
	if (!ret && io.kernel_mh)
		ret = cbu_genl_subscribe(&io.notify, CBU_MCGRP_MH);
	if (!ret)
		ret = cbu_genl_notify_init(&io.notify, notify_cb, NULL);
	if (ret) {
		log_err("cbu.ko notifications: %s", strerror(-ret));
		goto err;
	}
	io.notify_lfd.fd = cbu_genl_fd(&io.notify);
	io.notify_lfd.cb = notify_lfd_cb;
	ret = loop_add(&io.notify_lfd, EPOLLIN);
	if (ret)
		goto err;
	return 0;

err:
	io_fini();
	return ret;
}

void io_fini(void)
{
	if (io.mh.fd >= 0) {
		loop_del(&io.mh);
		close(io.mh.fd);
		io.mh.fd = -1;
	}
	if (io.nd.fd >= 0) {
		loop_del(&io.nd);
		close(io.nd.fd);
		io.nd.fd = -1;
	}
	if (io.raw >= 0) {
		close(io.raw);
		io.raw = -1;
	}
	if (io.none >= 0) {
		close(io.none);
		io.none = -1;
	}
	if (io.notify.sk) {
		loop_del(&io.notify_lfd);
		cbu_genl_close(&io.notify);
	}
}

int io_send(const struct in6_addr *src, const struct in6_addr *dst,
	    const struct cbu_msg *m)
{
	uint8_t buf[CBU_MH_MAX_LEN];
	const char *why;
	int len, ret;

	len = cbu_msg_encode(m, buf, sizeof(buf), &why);
	if (len < 0) {
		log_err("cannot encode %s: %s",
			cbu_msg_name(m->type, m->subtype, m->flags), why);
		return len;
	}
	ret = cbu_mh_send(io.mh.fd, src, dst, buf, (size_t)len);
	if (ret) {
		log_warn("sending %s to %s: %s",
			 cbu_msg_name(m->type, m->subtype, m->flags),
			 addr_str(dst), strerror(-ret));
		return ret;
	}
	log_debug("sent %s from %s to %s",
		  cbu_msg_name(m->type, m->subtype, m->flags), addr_str(src),
		  addr_str(dst));
	return 0;
}

int io_send_pkt(const struct in6_addr *src, const struct in6_addr *dst,
		const struct in6_addr *hoa, const struct cbu_msg *m,
		uint8_t *out, size_t *out_len)
{
	uint8_t mh[CBU_MH_MAX_LEN], pkt[CBU_PKT_MAX];
	const char *why;
	int len, plen, ret;

	len = cbu_msg_encode(m, mh, sizeof(mh), &why);
	if (len < 0) {
		log_err("cannot encode %s: %s",
			cbu_msg_name(m->type, m->subtype, m->flags), why);
		return len;
	}
	plen = cbu_pkt_build(pkt, sizeof(pkt), src->s6_addr, dst->s6_addr,
			     hoa ? hoa->s6_addr : NULL, mh, (size_t)len);
	if (plen < 0)
		return plen;
	if (out) {
		/* The MH as sent, checksum and all (EXCH0 for SIG_CN). */
		memcpy(out, pkt + plen - len, (size_t)len);
		*out_len = (size_t)len;
	}
	/*
	 * A mobile node sends from its own addresses, and by their routes:
	 * from an RCoA through its tunnel to the MAP (design/hmip.md item
	 * 52).  The other roles speak for addresses not theirs.
	 */
	if (io.roles & ROLE_IO_THROUGH_IPSEC)
		ret = cbu_pkt_send_from(io.raw, pkt, (size_t)plen);
	else
		ret = cbu_pkt_send(io.raw, pkt, (size_t)plen);
	if (ret)
		log_warn("sending %s to %s: %s",
			 cbu_msg_name(m->type, m->subtype, m->flags),
			 addr_str(dst), strerror(-ret));
	else
		log_debug("sent %s from %s to %s",
			  cbu_msg_name(m->type, m->subtype, m->flags),
			  addr_str(src), addr_str(dst));
	return ret;
}

int io_send_none(const struct in6_addr *src, const struct in6_addr *dst)
{
	int ret;

	/*
	 * From an address of ours, chosen (IPV6_PKTINFO), as any packet of
	 * the flow: the SPD sees the source and sends it through ESP.
	 */
	ret = cbu_mh_send(io.none, src, dst, NULL, 0);
	if (ret)
		log_warn("sending a dummy packet to %s: %s", addr_str(dst),
			 strerror(-ret));
	else
		log_debug("sent a dummy packet from %s to %s", addr_str(src),
			  addr_str(dst));
	return ret;
}

/* A secret nobody but its owner may read, as ssh asks of its keys. */
static int private_file_ok(const char *path)
{
	struct stat st;

	if (stat(path, &st)) {
		log_err("%s: %m", path);
		return -errno;
	}
	if (st.st_mode & 077) {
		log_err("%s: readable by others (mode %03o): chmod 600 it",
			path, (unsigned int)(st.st_mode & 0777));
		return -EPERM;
	}
	return 0;
}

int creds_read(struct creds *cr, const char *key, const char *cert)
{
	const char *ca = agent.cfg.ca_public_key, *why = NULL;
	uint8_t seed[CBU_SEED_LEN];
	size_t len;
	int ret;

	if (private_file_ok(key))
		goto err;
	ret = cbu_armor_read_file(key, CBU_ARMOR_PRIVATE_KEY, seed,
				  sizeof(seed), &len, &why);
	if (!ret && len != CBU_SEED_LEN)
		ret = -EINVAL, why = "not 32 octets";
	if (!ret)
		cbu_sign_key_init(&cr->key, seed);
	sodium_memzero(seed, sizeof(seed));
	if (ret) {
		log_err("%s: %s", key, why);
		goto err;
	}
	ret = cbu_armor_read_file(ca, CBU_ARMOR_PUBLIC_KEY, cr->ca_pub,
				  sizeof(cr->ca_pub), &len, &why);
	if (!ret && len != CBU_PUBKEY_LEN)
		ret = -EINVAL, why = "not 32 octets";
	if (ret) {
		log_err("%s: %s", ca, why);
		goto err;
	}
	ret = cbu_armor_read_file(cert, CBU_ARMOR_CERT, cr->cert_wire,
				  sizeof(cr->cert_wire), &len, &why);
	if (!ret)
		ret = cbu_cert_decode(&cr->cert, cr->cert_wire, len, &why);
	if (ret) {
		log_err("%s: %s", cert, why);
		goto err;
	}
	return 0;
err:
	creds_wipe(cr);
	return -1;
}

int creds_load(struct creds *cr, const char *key, const char *cert)
{
	const char *why = NULL;

	if (creds_read(cr, key, cert))
		return -1;
	if (cbu_cert_verify(&cr->cert, cr->ca_pub, (uint64_t)time(NULL),
			    &why)) {
		log_err("%s: %s", cert, why);
		creds_wipe(cr);
		return -1;
	}
	return 0;
}

void creds_wipe(struct creds *cr)
{
	sodium_memzero(cr, sizeof(*cr));
}

int read_secret(const char *path, uint8_t out[32])
{
	size_t len, bin_len = 0;
	const char *why;
	char *text;
	int ret;

	ret = private_file_ok(path);
	if (ret)
		return ret;
	ret = cbu_file_read(path, &text, &len);
	if (ret) {
		log_err("%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = sodium_base642bin(out, 32, text, len, " \t\r\n", &bin_len, NULL,
				sodium_base64_VARIANT_ORIGINAL);
	cbu_file_free(text, len);
	if (ret || bin_len != 32) {
		why = ret ? "not base64" : "not 32 octets";
		sodium_memzero(out, 32);
		log_err("%s: the secret is %s", path, why);
		return -EINVAL;
	}
	return 0;
}
