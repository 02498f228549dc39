// SPDX-License-Identifier: GPL-2.0
/*
 * What exch-send and exch-answer share (see exch.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel/mh.h"
#include "lib/pkt.h"
#include "exch.h"

void exch_die(const char *what)
{
	fprintf(stderr, "%s: %s\n", exch_prog, what);
	exit(1);
}

uint64_t exch_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void exch_send(int fd, const struct in6_addr *src, const struct in6_addr *dst,
	       const struct cbu_msg *m)
{
	uint8_t buf[CBU_MH_MAX_LEN];
	const char *why;
	int len, ret;

	len = cbu_msg_encode(m, buf, sizeof(buf), &why);
	if (len < 0)
		exch_die(why);
	ret = cbu_mh_send(fd, src, dst, buf, (size_t)len);
	if (ret)
		exch_die(strerror(-ret));
}
