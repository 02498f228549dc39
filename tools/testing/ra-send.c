// SPDX-License-Identifier: GPL-2.0
/*
 * ra-send - a test tool: a Router Advertisement with MAP options (RFC
 * 5380, tools/lib/nd.h), right or broken on purpose, for a mobile node
 * with `[mobile-node] map = discover` (design/hmip.md item 51).
 *
 *   ra-send IFNAME [ from LINK-LOCAL ] [ hoplimit N ] [ pad OCTETS ]
 *           [ map ADDRESS PREF LIFETIME ]... [ bad ]
 *
 * Sends one RA (router lifetime 0: no default route, no prefix) from the
 * interface's link-local address (or LINK-LOCAL, another of its own: a
 * second router on the link) to ff02::1 on IFNAME, hop limit N
 * (default 255), with a MAP option of Dist 1, the R flag, Pref PREF and
 * valid lifetime LIFETIME seconds for each "map"; "pad" first adds
 * OCTETS (a multiple of 8) of options of an experimental type (253, RFC
 * 4727), which a receiver skips (RFC 4861 4.6): a long RA; "bad" adds a
 * MAP option of length 2 (malformed).  Exits 0 if it went, 1 on an error.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/nd.h"

static void usage(void)
{
	fprintf(stderr, "Usage: ra-send IFNAME [ from LINK-LOCAL ] [ hoplimit N ]\n"
		"               [ pad OCTETS ] [ map ADDRESS PREF LIFETIME ]... [ bad ]\n");
	exit(1);
}

static unsigned long number(const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || !*s || v > max) {
		fprintf(stderr, "ra-send: \"%s\" is not a number up to %lu\n",
			s, max);
		exit(1);
	}
	return v;
}

int main(int argc, char **argv)
{
	static uint8_t ra[65535];	/* IPv6's largest payload */
	struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
	struct sockaddr_in6 from = { .sin6_family = AF_INET6 };
	size_t len = CBU_ND_RA_LEN;
	int fd, hops = 255, i, maps = 0;
	unsigned int ifindex;

	if (argc < 2)
		usage();
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex) {
		fprintf(stderr, "ra-send: %s: %m\n", argv[1]);
		return 1;
	}
	memset(ra, 0, sizeof(ra));
	ra[0] = CBU_ND_RA;
	ra[4] = 64;		/* cur hop limit; router lifetime 0 */
	for (i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "from") && i + 1 < argc) {
			if (inet_pton(AF_INET6, argv[++i], &from.sin6_addr) != 1) {
				fprintf(stderr, "ra-send: %s: not an IPv6 address\n",
					argv[i]);
				return 1;
			}
			from.sin6_scope_id = ifindex;
		} else if (!strcmp(argv[i], "hoplimit") && i + 1 < argc) {
			hops = (int)number(argv[++i], 255);
		} else if (!strcmp(argv[i], "pad") && i + 1 < argc) {
			unsigned long pad = number(argv[++i], 32768);

			if (pad % 8 || len + pad > sizeof(ra) - 256)
				usage();
			while (pad) {
				size_t o = pad > 255 * 8 ? 255 * 8 : pad;

				ra[len] = 253;
				ra[len + 1] = (uint8_t)(o / 8);
				len += o;
				pad -= o;
			}
		} else if (!strcmp(argv[i], "map") && i + 3 < argc &&
			   maps < CBU_ND_MAX_MAPS) {
			struct cbu_nd_map m = { .dist = 1, .r = true };

			if (inet_pton(AF_INET6, argv[i + 1], m.addr) != 1) {
				fprintf(stderr, "ra-send: %s: not an IPv6 address\n",
					argv[i + 1]);
				return 1;
			}
			m.pref = (uint8_t)number(argv[i + 2], 15);
			m.valid = (uint32_t)number(argv[i + 3], UINT32_MAX);
			cbu_nd_map_put(ra + len, &m);
			len += CBU_ND_OPT_MAP_LEN;
			maps++;
			i += 3;
		} else if (!strcmp(argv[i], "bad")) {
			ra[len] = CBU_ND_OPT_MAP;
			ra[len + 1] = 2;
			len += 16;
			if (i + 1 != argc)
				usage();
		} else {
			usage();
		}
	}
	fd = socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6);
	if (fd < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
		       sizeof(hops)) < 0 ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex,
		       sizeof(ifindex)) < 0) {
		fprintf(stderr, "ra-send: raw ICMPv6 socket: %m\n");
		return 1;
	}
	if (from.sin6_scope_id &&
	    bind(fd, (struct sockaddr *)&from, sizeof(from)) < 0) {
		fprintf(stderr, "ra-send: from %s: %m\n", argv[1]);
		return 1;
	}
	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	to.sin6_scope_id = ifindex;
	if (sendto(fd, ra, len, 0, (struct sockaddr *)&to, sizeof(to)) < 0) {
		fprintf(stderr, "ra-send: %s: %m\n", argv[1]);
		return 1;
	}
	close(fd);
	return 0;
}
