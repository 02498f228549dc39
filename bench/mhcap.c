// SPDX-License-Identifier: GPL-2.0
/*
 * Mobility Headers off a packet socket (see mhcap.h).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench/mhcap.h"
#include "kernel/mh.h"
#include "lib/msg.h"

#define IPV6_HDR_LEN	40
#define NEXTHDR_HOP	0
#define NEXTHDR_ROUTING	43
#define RH2_LEN		24	/* RFC 6275 6.4: one address */

uint64_t mhcap_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int mhcap_open(const char *ifname)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETH_P_IPV6),
	};
	int fd;

	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (!sll.sll_ifindex)
		return -ENODEV;
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    htons(ETH_P_IPV6));
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* Walk the extension headers to the MH: its offset, or 0 if none. */
static size_t find_mh(const uint8_t *p, size_t n, struct mhcap *m)
{
	uint8_t next = p[6];
	size_t off = IPV6_HDR_LEN, hl;
	const char *why;
	const uint8_t *hoa;

	while (off + 8 <= n) {
		switch (next) {
		case CBU_IPPROTO_MH:
			return off;
		case NEXTHDR_HOP:
		case NEXTHDR_ROUTING:
		case CBU_IPPROTO_DSTOPTS:
			hl = 8 * ((size_t)p[off + 1] + 1);
			if (off + hl > n)
				return 0;
			if (next == CBU_IPPROTO_DSTOPTS) {
				if (cbu_dstopts_parse(p + off, hl, 8, &hoa, &why))
					return 0;
				if (hoa) {
					memcpy(&m->hoa, hoa, 16);
					m->has_hoa = true;
				}
			}
			/* Type 2, one address, segments left 1. */
			if (next == NEXTHDR_ROUTING && hl == RH2_LEN &&
			    p[off + 2] == 2) {
				memcpy(&m->rh2, p + off + 8, 16);
				m->has_rh2 = true;
			}
			next = p[off];
			off += hl;
			break;
		default:
			return 0;
		}
	}
	return 0;
}

int mhcap_parse(const uint8_t *buf, size_t n, struct mhcap *m)
{
	struct cbu_pseudo ph;
	size_t off, plen;

	memset(m, 0, sizeof(*m));
	if (n < IPV6_HDR_LEN || (buf[0] >> 4) != 6)
		return 0;
	plen = IPV6_HDR_LEN + cbu_get_be16(buf + 4);
	if (plen > n)
		return 0;
	memcpy(&m->src, buf + 8, 16);
	memcpy(&m->dst, buf + 24, 16);
	off = find_mh(buf, plen, m);
	if (!off || plen - off < 8 || CBU_MH_LEN(buf[off + 1]) != plen - off)
		return 0;
	m->mh = buf + off;
	m->len = plen - off;
	/* RFC 6275 6.1.1: the home address stands in the pseudo-header. */
	memcpy(ph.src, m->has_hoa ? &m->hoa : &m->src, 16);
	memcpy(ph.dst, m->has_rh2 ? &m->rh2 : &m->dst, 16);
	return cbu_mh_checksum_ok(m->mh, m->len, &ph) ? 1 : 0;
}

int mhcap_read(int fd, uint8_t *buf, size_t size, struct mhcap *m)
{
	struct sockaddr_ll sll;
	socklen_t sl = sizeof(sll);
	uint64_t now;
	ssize_t n;
	int ret;

	memset(m, 0, sizeof(*m));
	n = recvfrom(fd, buf, size, 0, (struct sockaddr *)&sll, &sl);
	if (n < 0)
		return -errno;
	now = mhcap_now_ns();
	if (sll.sll_pkttype == PACKET_OUTGOING)
		return 0;
	ret = mhcap_parse(buf, (size_t)n, m);
	m->ns = now;
	return ret;
}
