// SPDX-License-Identifier: GPL-2.0
/*
 * cbu-move - move a mobile node to another access link and time what its
 * agent does about it: from the moment the new care-of address exists to
 * the BA that reaches it.
 *
 *   cbu-move IFACE COA/LEN GW [ from OLDIFACE OLDCOA/LEN ] [ ba-from CN ]
 *            [ timeout MS ]
 *
 * In this order, over rtnetlink: the default route is replaced by one via
 * GW (a link-local router address: usable before IFACE has an address) on
 * IFACE; OLDCOA goes from OLDIFACE; then, the clock started, COA comes on
 * IFACE (no DAD).  The agent sees the address, sends its BU, and the BA
 * (from CN, if given) is read off IFACE as it arrives (mhcap.h), before
 * cbu.ko takes it.  Prints "ba_us=N"; exits 3 if no BA came within
 * TIMEOUT ms (default 10000), 1 on an error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/mhcap.h"
#include "kernel/mh.h"
#include "lib/rtnl.h"

#define EXIT_NO_BA	3

static void die(const char *what, int err)
{
	fprintf(stderr, "cbu-move: %s%s%s\n", what, err ? ": " : "",
		err ? strerror(-err) : "");
	exit(1);
}

/* ADDR/LEN */
static void parse_prefix(const char *s, struct in6_addr *a, uint8_t *len)
{
	char buf[INET6_ADDRSTRLEN + 4], *slash;
	unsigned long l;

	if (strlen(s) >= sizeof(buf))
		die("bad ADDR/LEN", 0);
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		die("bad ADDR/LEN", 0);
	*slash = '\0';
	l = strtoul(slash + 1, NULL, 10);
	if (inet_pton(AF_INET6, buf, a) != 1 || l > 128)
		die("bad ADDR/LEN", 0);
	*len = (uint8_t)l;
}

static int ifindex(const char *name)
{
	int i = (int)if_nametoindex(name);

	if (!i)
		die(name, -ENODEV);
	return i;
}

int main(int argc, char **argv)
{
	struct in6_addr coa, old, from;
	struct cbu_route rt = { .dst_len = 0 };
	const char *old_if = NULL;
	bool has_from = false;
	uint8_t len, old_len = 0, buf[2048];
	unsigned long timeout_ms = 10000;
	struct cbu_rtnl r;
	struct mhcap c;
	uint64_t t0, end;
	int cap, ret, i, oif;

	if (argc < 4)
		die("usage: cbu-move IFACE COA/LEN GW [ from OLDIFACE OLDCOA/LEN ] [ ba-from CN ] [ timeout MS ]",
		    0);
	oif = ifindex(argv[1]);
	parse_prefix(argv[2], &coa, &len);
	if (inet_pton(AF_INET6, argv[3], &rt.gw) != 1)
		die("bad GW", 0);
	for (i = 4; i < argc; i += 2) {
		if (!strcmp(argv[i], "from") && i + 2 < argc) {
			old_if = argv[i + 1];
			parse_prefix(argv[i + 2], &old, &old_len);
			i++;
		} else if (!strcmp(argv[i], "ba-from") && i + 1 < argc &&
			   inet_pton(AF_INET6, argv[i + 1], &from) == 1) {
			has_from = true;
		} else if (!strcmp(argv[i], "timeout") && i + 1 < argc) {
			timeout_ms = strtoul(argv[i + 1], NULL, 0);
		} else {
			die("bad argument", 0);
		}
	}

	cap = mhcap_open(argv[1]);
	if (cap < 0)
		die(argv[1], cap);
	ret = cbu_rtnl_open(&r);
	if (ret)
		die("rtnetlink", ret);

	/* The route first: nothing the agent sends then goes nowhere. */
	ret = cbu_rtnl_route_del(&r, &rt, NULL);
	if (ret && ret != -ESRCH)
		die("default route", ret);
	rt.has_gw = true;
	rt.oif = oif;
	ret = cbu_rtnl_route_add(&r, &rt, NULL);
	if (ret)
		die("default route", ret);
	if (old_if) {
		ret = cbu_rtnl_addr_del(&r, ifindex(old_if), &old, old_len,
					NULL);
		if (ret)
			die("old care-of address", ret);
	}
	while (mhcap_read(cap, buf, sizeof(buf), &c) != -EAGAIN)
		;

	t0 = mhcap_now_ns();
	ret = cbu_rtnl_addr_add(&r, oif, &coa, len, IFA_F_NODAD, NULL);
	if (ret)
		die("care-of address", ret);
	cbu_rtnl_close(&r);

	end = t0 + timeout_ms * 1000000ULL;
	while (mhcap_now_ns() < end) {
		struct pollfd pfd = { .fd = cap, .events = POLLIN };

		if (poll(&pfd, 1, 100) <= 0)
			continue;
		while ((ret = mhcap_read(cap, buf, sizeof(buf), &c)) >= 0) {
			if (ret != 1 || c.mh[2] != CBU_MH_BA ||
			    memcmp(&c.dst, &coa, 16) ||
			    (has_from && memcmp(&c.src, &from, 16)))
				continue;
			printf("ba_us=%llu\n",
			       (unsigned long long)(c.ns - t0) / 1000);
			return 0;
		}
	}
	printf("no BA within %lu ms\n", timeout_ms);
	return EXIT_NO_BA;
}
