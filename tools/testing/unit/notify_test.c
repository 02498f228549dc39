// SPDX-License-Identifier: GPL-2.0
/*
 * cbu-agent's sd_notify(3): what reaches $NOTIFY_SOCKET, a path or an
 * abstract name, and nothing without it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "agent/notify.h"
#include "ktest.h"

/* A datagram socket bound to @name ("@x" abstract, else a path). */
static int listener(const char *name)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	socklen_t slen;
	int fd;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	strcpy(sun.sun_path, name);
	if (name[0] == '@') {
		sun.sun_path[0] = '\0';
		slen = offsetof(struct sockaddr_un, sun_path) + strlen(name);
	} else {
		unlink(name);
		slen = sizeof(sun);
	}
	if (bind(fd, (struct sockaddr *)&sun, slen)) {
		close(fd);
		return -1;
	}
	return fd;
}

static ssize_t received(int fd, char *buf, size_t size)
{
	ssize_t n = recv(fd, buf, size - 1, MSG_DONTWAIT);

	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* notify(@state) with $NOTIFY_SOCKET @name: did @state arrive whole? */
static bool arrives(int fd, const char *name, const char *state)
{
	char buf[256];
	bool ok;

	setenv("NOTIFY_SOCKET", name, 1);
	ok = notify(state) == 1 && received(fd, buf, sizeof(buf)) > 0 &&
	     !strcmp(buf, state);
	unsetenv("NOTIFY_SOCKET");
	return ok;
}

TEST(abstract_socket)
{
	char name[64], buf[256];
	int fd;

	snprintf(name, sizeof(name), "@cbu-notify-test-%d", (int)getpid());
	fd = listener(name);
	ASSERT(fd >= 0);
	EXPECT(arrives(fd, name, "READY=1\nSTATUS=running"));
	setenv("NOTIFY_SOCKET", name, 1);
	EXPECT(notifyf("STATUS=%u mobile nodes", 3u) == 1);
	received(fd, buf, sizeof(buf));
	EXPECT_STREQ(buf, "STATUS=3 mobile nodes");
	close(fd);
	unsetenv("NOTIFY_SOCKET");
}

TEST(path_socket)
{
	char path[] = "/tmp/cbu-notify-XXXXXX", sock[64];
	int fd;

	ASSERT(mkdtemp(path));
	snprintf(sock, sizeof(sock), "%s/notify", path);
	fd = listener(sock);
	ASSERT(fd >= 0);
	EXPECT(arrives(fd, sock, "STOPPING=1"));
	close(fd);
	unlink(sock);
	rmdir(path);
}

TEST(nowhere_to_send)
{
	unsetenv("NOTIFY_SOCKET");
	EXPECT(notify("READY=1") == 0);
	setenv("NOTIFY_SOCKET", "", 1);
	EXPECT(notify("READY=1") == 0);
	/* Neither a path nor an abstract name: refused, not sent. */
	setenv("NOTIFY_SOCKET", "vsock:2:1234", 1);
	EXPECT(notify("READY=1") < 0);
	/* Nobody listening: an error, which the agent only logs. */
	setenv("NOTIFY_SOCKET", "@cbu-notify-test-nobody", 1);
	EXPECT(notify("READY=1") < 0);
	unsetenv("NOTIFY_SOCKET");
}

KTEST_MAIN()
