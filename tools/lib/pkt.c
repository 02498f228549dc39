// SPDX-License-Identifier: GPL-2.0
/*
 * Whole IPv6 packets carrying a Mobility Header (see pkt.h).
 */
#define _GNU_SOURCE		/* struct in6_pktinfo (RFC 3542) */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel/mh.h"
#include "pkt.h"

#define IPV6_HDR_LEN	40

int cbu_pkt_build(uint8_t *buf, size_t size, const uint8_t src[16],
		  const uint8_t dst[16], const uint8_t *hoa,
		  const uint8_t *mh, size_t mh_len)
{
	size_t ext = hoa ? CBU_HAO_HDR_LEN : 0;
	size_t len = IPV6_HDR_LEN + ext + mh_len;
	struct cbu_pseudo ph;
	uint8_t *p;

	if (len > size || ext + mh_len > 0xffff)
		return -EMSGSIZE;

	memset(buf, 0, IPV6_HDR_LEN + ext);
	buf[0] = 0x60;			/* version 6 */
	cbu_put_be16(buf + 4, (uint16_t)(ext + mh_len));
	buf[6] = hoa ? CBU_IPPROTO_DSTOPTS : CBU_IPPROTO_MH;
	buf[7] = 64;
	memcpy(buf + 8, src, 16);
	memcpy(buf + 24, dst, 16);

	p = buf + IPV6_HDR_LEN;
	if (hoa) {
		cbu_hao_build(p, CBU_IPPROTO_MH, hoa);
		p += CBU_HAO_HDR_LEN;
	}
	memcpy(p, mh, mh_len);

	memcpy(ph.src, hoa ? hoa : src, 16);
	memcpy(ph.dst, dst, 16);
	cbu_mh_set_checksum(p, mh_len, &ph);
	return (int)len;
}

int cbu_pkt_socket(void)
{
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);

	return fd < 0 ? -errno : fd;
}

int cbu_pkt_send(int fd, const uint8_t *pkt, size_t len)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6 };

	if (len < IPV6_HDR_LEN)
		return -EINVAL;
	/* With IPPROTO_RAW the header is ours; the address picks a route. */
	memcpy(&sin6.sin6_addr, pkt + 24, 16);
	if (sendto(fd, pkt, len, 0, (struct sockaddr *)&sin6,
		   sizeof(sin6)) < 0)
		return -errno;
	return 0;
}

int cbu_pkt_send_from(int fd, const uint8_t *pkt, size_t len)
{
	struct in6_addr src, dst;

	if (len < IPV6_HDR_LEN)
		return -EINVAL;
	memcpy(&src, pkt + 8, 16);
	memcpy(&dst, pkt + 24, 16);
	/* An MH's sendmsg(): with IPPROTO_RAW the header goes as it is. */
	return cbu_mh_send(fd, &src, &dst, pkt, len);
}

int cbu_mh_send(int fd, const struct in6_addr *src,
		const struct in6_addr *dst, const uint8_t *mh, size_t len)
{
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf;
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_addr = *dst };
	struct in6_pktinfo pi = { .ipi6_addr = *src };
	struct iovec iov = { (void *)mh, len };
	struct msghdr msg = {
		.msg_name = &to, .msg_namelen = sizeof(to),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;

	memset(&cbuf, 0, sizeof(cbuf));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	if (sendmsg(fd, &msg, 0) < 0)
		return -errno;
	return 0;
}
