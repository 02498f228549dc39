// SPDX-License-Identifier: GPL-2.0
/*
 * cbu-ike-load - the load of the strongSwan baseline: COUNT IKE SAs of one
 * connection initiated through a charon's VICI socket, at most WINDOW at a
 * time, each initiation asynchronous (timeout -1: charon answers as soon as
 * the IKE_SA_INIT request is out), completion seen in the "ike-updown"
 * events.  swanctl is not used: its log relay costs the initiator 2-3 ms an
 * SA, which is not IKE's cost.
 *
 *   cbu-ike-load SOCKET IKE COUNT [ window N ] [ child NAME ]
 *
 * Without "child", the IKE SA alone is initiated (childless, RFC 6023).
 * Prints "established N failed N in NS ns"; exits 0 if all COUNT came up,
 * 3 if some went down instead or nothing happened for 60 s, 1 on an error.
 *
 * The VICI wire format: bench/vici.h.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "bench/vici.h"
#include "bench/util.h"

#define EXIT_INCOMPLETE	3
#define IDLE_MS		60000

/* The largest packet charon sends us: an ike-updown event, a few kB. */
#define VICI_MAX	65536

struct vici_buf {
	uint8_t b[1024];
	size_t len;
};

static void put(struct vici_buf *v, const void *p, size_t n)
{
	if (v->len + n > sizeof(v->b))
		die("request too long");
	memcpy(v->b + v->len, p, n);
	v->len += n;
}

static void put_name(struct vici_buf *v, const char *name)
{
	uint8_t n = (uint8_t)strlen(name);

	put(v, &n, 1);
	put(v, name, n);
}

static void put_kv(struct vici_buf *v, const char *key, const char *value)
{
	uint8_t t = VICI_KEY_VALUE, len[2];
	size_t n = strlen(value);

	put(v, &t, 1);
	put_name(v, key);
	len[0] = (uint8_t)(n >> 8);
	len[1] = (uint8_t)n;
	put(v, len, 2);
	put(v, value, n);
}

/* Start a packet: room for the length, the type, the name. */
static void packet_start(struct vici_buf *v, uint8_t type, const char *name)
{
	v->len = 4;
	put(v, &type, 1);
	put_name(v, name);
}

static void packet_send(int fd, struct vici_buf *v)
{
	uint32_t n = (uint32_t)v->len - 4;
	size_t off = 0;
	ssize_t w;

	v->b[0] = (uint8_t)(n >> 24);
	v->b[1] = (uint8_t)(n >> 16);
	v->b[2] = (uint8_t)(n >> 8);
	v->b[3] = (uint8_t)n;
	while (off < v->len) {
		w = write(fd, v->b + off, v->len - off);
		if (w < 0 && errno != EINTR)
			die(strerror(errno));
		if (w > 0)
			off += (size_t)w;
	}
}

static void read_full(int fd, uint8_t *p, size_t n)
{
	ssize_t r;

	while (n) {
		r = read(fd, p, n);
		if (r == 0)
			die("charon closed the VICI socket");
		if (r < 0) {
			if (errno == EINTR)
				continue;
			die(strerror(errno));
		}
		p += r;
		n -= (size_t)r;
	}
}

/* One packet into @p: its length, or dies. */
static size_t packet_read(int fd, uint8_t *p)
{
	uint8_t h[4];
	uint32_t n;

	read_full(fd, h, 4);
	n = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 |
	    (uint32_t)h[2] << 8 | h[3];
	if (n < 1 || n > VICI_MAX)
		die("bad VICI packet length");
	read_full(fd, p, n);
	return n;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	unsigned long count, window = 8, sent = 0, up = 0, down = 0, acked = 0;
	const char *child = NULL;
	struct vici_buf req;
	uint64_t t0, t1, idle_since;
	uint8_t *pkt;
	char val[64];
	int fd, i;

	if (argc < 4)
		die("usage: cbu-ike-load SOCKET IKE COUNT [ window N ] [ child NAME ]");
	count = strtoul(argv[3], NULL, 0);
	for (i = 4; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "window"))
			window = strtoul(argv[i + 1], NULL, 0);
		else if (!strcmp(argv[i], "child"))
			child = argv[i + 1];
		else
			die("bad argument");
	}
	if (i != argc || !count || !window)
		die("bad argument");
	if (strlen(argv[1]) >= sizeof(sun.sun_path))
		die("socket path too long");
	strcpy(sun.sun_path, argv[1]);
	pkt = malloc(VICI_MAX);
	if (!pkt)
		die("out of memory");

	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)))
		die(strerror(errno));

	packet_start(&req, VICI_EVENT_REGISTER, "ike-updown");
	packet_send(fd, &req);
	packet_read(fd, pkt);
	if (pkt[0] != VICI_EVENT_CONFIRM)
		die("charon refused the ike-updown registration");

	/* One request, sent again and again: timeout -1 is "do not wait". */
	packet_start(&req, VICI_CMD_REQUEST, "initiate");
	put_kv(&req, "ike", argv[2]);
	if (child)
		put_kv(&req, "child", child);
	put_kv(&req, "timeout", "-1");
	put_kv(&req, "init-limits", "no");
	put_kv(&req, "loglevel", "-1");

	t0 = now_ns();
	idle_since = t0;
	while (up + down < count) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		const uint8_t *body;
		size_t n, len;

		/* Only one command at a time: VICI answers them in order. */
		if (sent < count && sent - up - down < window && sent == acked) {
			packet_send(fd, &req);
			sent++;
		}
		if (poll(&pfd, 1, 1000) <= 0) {
			if (now_ns() - idle_since > IDLE_MS * 1000000ULL)
				break;
			continue;
		}
		n = packet_read(fd, pkt);
		body = vici_body(pkt, n, &len);
		if (!body)
			die("bad VICI packet");
		switch (pkt[0]) {
		case VICI_CMD_RESPONSE:
			acked++;
			if (!vici_get(body, len, "success", val, sizeof(val)) ||
			    strcmp(val, "yes")) {
				if (!vici_get(body, len, "errmsg", val,
					     sizeof(val)))
					strcpy(val, "?");
				fprintf(stderr, "cbu-ike-load: initiate: %s\n",
					val);
				down++;
			}
			break;
		case VICI_CMD_UNKNOWN:
			die("charon does not know \"initiate\"");
			break;
		case VICI_EVENT:
			/* "up = yes" when established; absent when it went. */
			if (vici_get(body, len, "up", val, sizeof(val)) &&
			    !strcmp(val, "yes"))
				up++;
			else
				down++;
			idle_since = now_ns();
			break;
		default:
			break;
		}
	}
	t1 = now_ns();
	printf("established %lu failed %lu in %llu ns\n", up, down,
	       (unsigned long long)(t1 - t0));
	free(pkt);
	close(fd);
	return up == count ? 0 : EXIT_INCOMPLETE;
}
