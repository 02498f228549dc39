// SPDX-License-Identifier: GPL-2.0
/*
 * cbu-flood - the load of the receive-path benchmark: COUNT binding updates
 * from SRC (a care-of address, with a Home Address option for HOA) to DST,
 * built once with cbu's encoder and sent as fast as one core can with
 * sendmmsg() on a raw IPv6 socket.
 *
 *   cbu-flood SRC DST HOA KEY COUNT { forged | valid | udp } [ FIRST_SEQ ]
 *
 * forged: every MAC is wrong (what an attacker without k_BU sends);
 * valid: MAC_BU under KEY (64 hex digits), Seq# counting up from
 * FIRST_SEQ; udp: plain UDP datagrams of the same size, no Mobile IPv6 at
 * all (HOA and KEY unused), the load of the forwarding benchmark.  Prints
 * "sent N in NS ns".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "lib/crypto.h"
#include "lib/msg.h"
#include "kernel/mh.h"
#include "lib/pkt.h"
#include "bench/util.h"

#define BATCH	64
#define PKT_LEN	(40 + CBU_HAO_HDR_LEN + 40)

/* An IPv6 packet of PKT_LEN octets: a UDP datagram from @src to @dst. */
static void build_udp(uint8_t *p, const uint8_t *src, const uint8_t *dst,
		      unsigned long i)
{
	const uint16_t ulen = PKT_LEN - 40;
	uint32_t sum = IPPROTO_UDP + ulen;
	unsigned int k;

	memset(p, 0, PKT_LEN);
	p[0] = 0x60;
	p[4] = ulen >> 8;
	p[5] = ulen & 0xff;
	p[6] = IPPROTO_UDP;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	p[40] = 0x9c;			/* source port 40000 + i % 256 */
	p[41] = 0x40 + (i & 0xff);
	p[42] = 0x00;			/* destination port 9 (discard) */
	p[43] = 0x09;
	p[44] = ulen >> 8;
	p[45] = ulen & 0xff;
	/* The checksum over the pseudo-header (addresses, length, next
	 * header) and the datagram: correct, as a host would send it.
	 */
	for (k = 8; k < PKT_LEN; k += 2)
		sum += (uint32_t)p[k] << 8 | p[k + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	p[46] = sum ? sum >> 8 : 0xff;
	p[47] = sum ? sum & 0xff : 0xff;
}

int main(int argc, char **argv)
{
	uint8_t src[16], dst[16], hoa[16], key[CBU_KEY_LEN], mh[64];
	uint8_t *pkts;
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	unsigned long count, sent = 0, i;
	unsigned long long t0, t1;
	uint16_t seq = 1;
	struct cbu_msg m;
	const char *why;
	size_t n;
	bool forged, udp;
	int fd, len, plen;

	if (argc < 7 || cbu_crypto_init())
		die("usage: cbu-flood SRC DST HOA KEY COUNT forged|valid|udp [SEQ]");
	if (inet_pton(AF_INET6, argv[1], src) != 1 ||
	    inet_pton(AF_INET6, argv[2], dst) != 1 ||
	    inet_pton(AF_INET6, argv[3], hoa) != 1)
		die("bad address");
	if (sodium_hex2bin(key, sizeof(key), argv[4], strlen(argv[4]), NULL,
			   &n, NULL) || n != sizeof(key))
		die("bad key");
	count = strtoul(argv[5], NULL, 0);
	forged = !strcmp(argv[6], "forged");
	udp = !strcmp(argv[6], "udp");
	if (!forged && !udp && strcmp(argv[6], "valid"))
		die("forged, valid or udp");
	if (argc > 7)
		seq = (uint16_t)strtoul(argv[7], NULL, 0);

	fd = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
	if (fd < 0)
		die(strerror(errno));
	memcpy(&to.sin6_addr, dst, 16);

	/* Built before the clock starts: only the sending is timed. */
	pkts = calloc(count, PKT_LEN);
	if (!pkts)
		die("out of memory");
	for (i = 0; i < count; i++) {
		if (udp) {
			build_udp(pkts + i * PKT_LEN, src, dst, i);
			continue;
		}
		cbu_msg_init(&m, CBU_MH_BU, 0);
		m.seq = seq++;
		m.flags = CBU_BU_F_A;
		m.lifetime = 64;
		m.has_auth = true;
		cbu_mac_bu(m.auth, key, hoa, src, m.seq, m.lifetime);
		if (forged)
			m.auth[0] ^= 0x80;
		len = cbu_msg_encode(&m, mh, sizeof(mh), &why);
		plen = cbu_pkt_build(pkts + i * PKT_LEN, PKT_LEN, src, dst, hoa,
				     mh, (size_t)len);
		if (len < 0 || plen != PKT_LEN)
			die("cannot build");
	}

	t0 = now_ns();
	while (sent < count) {
		unsigned int b = count - sent < BATCH ? count - sent : BATCH;
		int r;

		for (i = 0; i < b; i++) {
			iov[i] = (struct iovec){ pkts + (sent + i) * PKT_LEN,
						 PKT_LEN };
			msgs[i] = (struct mmsghdr){ .msg_hdr = {
				.msg_name = &to, .msg_namelen = sizeof(to),
				.msg_iov = &iov[i], .msg_iovlen = 1 } };
		}
		r = sendmmsg(fd, msgs, b, 0);
		if (r < 0) {
			if (errno != ENOBUFS)
				die(strerror(errno));
			continue;
		}
		sent += (unsigned long)r;
	}
	t1 = now_ns();
	sodium_memzero(key, sizeof(key));
	printf("sent %lu in %llu ns\n", sent, t1 - t0);
	free(pkts);
	close(fd);
	return 0;
}
