/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whole IPv6 packets carrying a Mobility Header, for senders that must
 * choose every header: a Home Address destination option (RFC 6275 6.3)
 * before the MH, or a source address the sender does not own (a home
 * agent speaking for a home address).  Sent on a raw IPPROTO_RAW socket,
 * which takes the IPv6 header as given (IPV6_HDRINCL).
 */
#ifndef _CBU_PKT_H
#define _CBU_PKT_H

#include <stddef.h>
#include <stdint.h>

#include "msg.h"

/* IPv6 header + destination options with the HAO + the largest MH. */
#define CBU_PKT_MAX	(40 + 24 + CBU_MH_MAX_LEN)

/*
 * Build the packet in @buf: IPv6 header from @src to @dst (hop limit 64),
 * then, with @hoa, a destination options header holding the Home Address
 * option, then the MH of @mh_len octets, whose checksum is computed here
 * over the right pseudo-header (the HoA as source when there is one).
 * Returns the packet's length or -EMSGSIZE.
 */
int cbu_pkt_build(uint8_t *buf, size_t size, const uint8_t src[16],
		  const uint8_t dst[16], const uint8_t *hoa,
		  const uint8_t *mh, size_t mh_len);

/* Open a raw socket for cbu_pkt_send(); -errno on failure. */
int cbu_pkt_socket(void);
/* Send a packet built by cbu_pkt_build(); 0 or -errno. */
int cbu_pkt_send(int fd, const uint8_t *pkt, size_t len);
/*
 * The same, its route looked up from the packet's source too (an
 * IPV6_PKTINFO of it), so that policy rules by source apply: a mobile
 * node's RCoA goes through its tunnel to the MAP (design/hmip.md item
 * 52).  A source not of this node needs IPV6_FREEBIND on @fd.
 */
int cbu_pkt_send_from(int fd, const uint8_t *pkt, size_t len);

/*
 * The common case, with no header to choose: send the MH of @len octets
 * from @src, an address of ours, to @dst on an IPPROTO_MH raw socket, which
 * sums it (IPV6_CHECKSUM).  0 or -errno.  On a raw socket of another
 * protocol, it sends that protocol's payload the same way.
 */
struct in6_addr;
int cbu_mh_send(int fd, const struct in6_addr *src,
		const struct in6_addr *dst, const uint8_t *mh, size_t len);

#endif /* _CBU_PKT_H */
