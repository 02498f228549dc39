// SPDX-License-Identifier: GPL-2.0
/*
 * sd_notify(3) by hand (see notify.h): the protocol is one datagram of
 * text, and libsystemd is not worth a dependency for it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"

int notify(const char *state)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *path = getenv("NOTIFY_SOCKET");
	socklen_t slen;
	size_t len;
	ssize_t n;
	int fd;

	if (!path || !*path)
		return 0;
	len = strlen(path);
	/* A path or an abstract name; systemd also knows vsock, we do not. */
	if ((path[0] != '/' && path[0] != '@') || len < 2 ||
	    len >= sizeof(sun.sun_path))
		return -EAFNOSUPPORT;
	memcpy(sun.sun_path, path, len);
	if (path[0] == '@') {
		sun.sun_path[0] = '\0';
		slen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	} else {
		slen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
				   len + 1);
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	n = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
		   (struct sockaddr *)&sun, slen);
	if (n < 0)
		n = -errno;
	close(fd);
	return n < 0 ? (int)n : 1;
}

int notifyf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return notify(buf);
}
