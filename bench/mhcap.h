/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mobility Headers as they arrive on a link, read from a packet socket
 * (AF_PACKET) before the stack sees them: what the benchmarks must time
 * even when the stack would drop it (a Return Routability BU's Home Address
 * option or BA's type 2 routing header without an xfrm state to match,
 * NOTES "Linux facts"), and a BA for cbu.ko, which takes it.
 */
#ifndef _CBU_BENCH_MHCAP_H
#define _CBU_BENCH_MHCAP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One Mobility Header received, pointing into the caller's buffer. */
struct mhcap {
	struct in6_addr src;	/* of the IPv6 header */
	struct in6_addr dst;
	bool has_hoa;		/* a Home Address option */
	struct in6_addr hoa;
	bool has_rh2;		/* a type 2 routing header */
	struct in6_addr rh2;	/* its home address */
	const uint8_t *mh;
	size_t len;		/* of the MH, checksum verified */
	uint64_t ns;		/* CLOCK_MONOTONIC when read */
};

/* A packet socket for the IPv6 packets @ifname receives; fd or -errno. */
int mhcap_open(const char *ifname);

/*
 * Read one packet into @buf (the socket does not block): 1 and @m filled if
 * it carried a Mobility Header with a right checksum, 0 if it did not,
 * -EAGAIN if nothing was queued, another -errno on an error.
 */
int mhcap_read(int fd, uint8_t *buf, size_t size, struct mhcap *m);

/*
 * The IPv6 packet of @n octets at @buf: 1 and @m filled (but for @m->ns)
 * if it carries a Mobility Header, whole and with a right checksum, after
 * hop-by-hop, routing and destination options headers; 0 if not.
 */
int mhcap_parse(const uint8_t *buf, size_t n, struct mhcap *m);

uint64_t mhcap_now_ns(void);

#endif /* _CBU_BENCH_MHCAP_H */
