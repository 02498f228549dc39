// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket (see control.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "lib/json_print.h"
#include "log.h"
#include "loop.h"

#define CONTROL_MAX_MSG		65536
#define CONTROL_MAX_CMDS	32
#define CONTROL_MAX_WORDS	32

struct command {
	const char *object;
	const char *verb;
	control_fn fn;
	bool list;		/* answers a JSON array, not an object */
};

struct conn {
	struct loop_fd lfd;
	bool refused;			/* not root: refused once it asks */
};

static struct {
	struct loop_fd listen;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	struct command cmds[CONTROL_MAX_CMDS];
	unsigned int n_cmds;
	FILE *out;		/* the answer being printed */
	bool failed;
	char err[512];		/* the answer instead, when it failed */
} ctl = { .listen.fd = -1 };

static void add_command(const char *object, const char *verb, control_fn fn,
			bool list)
{
	if (ctl.n_cmds == CONTROL_MAX_CMDS) {
		log_err("control: too many commands");
		return;
	}
	ctl.cmds[ctl.n_cmds++] = (struct command){ object, verb, fn, list };
}

void control_register(const char *object, const char *verb, control_fn fn)
{
	add_command(object, verb, fn, false);
}

void control_register_list(const char *object, const char *verb,
			   control_fn fn)
{
	add_command(object, verb, fn, true);
}

void control_error(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (ctl.failed)		/* the first reason is the one to tell */
		return;
	ctl.failed = true;
	n = snprintf(ctl.err, sizeof(ctl.err), "error: ");
	va_start(ap, fmt);
	vsnprintf(ctl.err + n, sizeof(ctl.err) - n, fmt, ap);
	va_end(ap);
}

/* Run one request; returns the answer (malloc'ed) and its length. */
static char *control_run(char *req, size_t *len)
{
	char *words[CONTROL_MAX_WORDS], *w, *buf = NULL;
	size_t size = 0;
	int n = 0;
	unsigned int i;
	bool json_mode, pretty, found = false;

	for (w = strtok(req, " \t\n"); w && n < CONTROL_MAX_WORDS;
	     w = strtok(NULL, " \t\n"))
		words[n++] = w;

	ctl.out = open_memstream(&buf, &size);
	if (!ctl.out)
		return NULL;
	ctl.failed = false;
	if (n < 2 || (strcmp(words[0], "json") && strcmp(words[0], "text") &&
		      strcmp(words[0], "pretty"))) {
		control_error("bad request");
		goto out;
	}
	json_mode = strcmp(words[0], "text");
	pretty = !strcmp(words[0], "pretty");
	for (i = 0; i < ctl.n_cmds && !found; i++) {
		const struct command *c = &ctl.cmds[i];

		if (strcmp(c->object, words[1]))
			continue;
		if (c->verb && (n < 3 || strcmp(c->verb, words[2])))
			continue;
		found = true;
		if (c->list)
			new_json_array(ctl.out, json_mode, pretty);
		else
			new_json_obj(ctl.out, json_mode, pretty);
		c->fn(n - 1, words + 1);
		delete_json_obj();
	}
	if (!found)
		control_error("unknown command \"%s%s%s\"", words[1],
			      n > 2 ? " " : "", n > 2 ? words[2] : "");
out:
	fclose(ctl.out);
	ctl.out = NULL;
	if (ctl.failed) {
		/* The reason replaces whatever was printed before it. */
		free(buf);
		buf = strdup(ctl.err);
		size = buf ? strlen(buf) : 0;
	}
	*len = size;
	return buf;
}

static void conn_close(struct conn *c)
{
	loop_del(&c->lfd);
	close(c->lfd.fd);
	free(c);
}

static void conn_cb(struct loop_fd *lfd, uint32_t events)
{
	struct conn *c = (struct conn *)lfd;
	char *req, *ans;
	ssize_t n;
	size_t len;

	if (events & (EPOLLHUP | EPOLLERR)) {
		conn_close(c);
		return;
	}
	req = malloc(CONTROL_MAX_MSG + 1);
	if (!req) {
		conn_close(c);
		return;
	}
	n = recv(lfd->fd, req, CONTROL_MAX_MSG, 0);
	if (n <= 0) {
		free(req);
		conn_close(c);
		return;
	}
	req[n] = '\0';
	if (c->refused) {
		/*
		 * Answered once its request is read: a close with unread
		 * data would reach the client as a reset, not as this.
		 */
		static const char no[] = "error: the control socket is root's";

		free(req);
		send(lfd->fd, no, sizeof(no) - 1, MSG_NOSIGNAL);
		conn_close(c);
		return;
	}
	ans = control_run(req, &len);
	free(req);
	if (!ans || send(lfd->fd, ans, len, MSG_NOSIGNAL) < 0) {
		free(ans);
		conn_close(c);
		return;
	}
	free(ans);
}

static void listen_cb(struct loop_fd *lfd, uint32_t events)
{
	struct ucred cred;
	socklen_t clen = sizeof(cred);
	struct conn *c;
	int fd;

	(void)events;
	fd = accept4(lfd->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	/* Root only, whatever the socket's path or namespace. */
	c->refused = getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &clen) ||
		     cred.uid != 0;
	c->lfd.fd = fd;
	c->lfd.cb = conn_cb;
	if (loop_add(&c->lfd, EPOLLIN)) {
		close(fd);
		free(c);
	}
}

int control_open(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	socklen_t slen;
	char dir[sizeof(sun.sun_path)];
	int fd, ret;

	if (strlen(path) < 2 || strlen(path) >= sizeof(sun.sun_path)) {
		log_err("control socket \"%s\": bad path", path);
		return -EINVAL;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	strcpy(sun.sun_path, path);
	if (path[0] == '@') {
		sun.sun_path[0] = '\0';
		slen = offsetof(struct sockaddr_un, sun_path) + strlen(path);
	} else {
		strcpy(dir, path);
		if (mkdir(dirname(dir), 0700) && errno != EEXIST) {
			ret = -errno;
			goto err_close;
		}
		unlink(path);
		slen = sizeof(sun);
	}
	if (bind(fd, (struct sockaddr *)&sun, slen) ||
	    (path[0] != '@' && chmod(path, 0600)) || listen(fd, 8)) {
		ret = -errno;
		goto err_close;
	}
	ctl.listen.fd = fd;
	ctl.listen.cb = listen_cb;
	ret = loop_add(&ctl.listen, EPOLLIN);
	if (ret)
		goto err_close;
	strcpy(ctl.path, path);
	return 0;

err_close:
	log_err("control socket %s: %s", path, strerror(-ret));
	close(fd);
	return ret;
}

void control_close(void)
{
	if (ctl.listen.fd < 0)
		return;
	loop_del(&ctl.listen);
	close(ctl.listen.fd);
	ctl.listen.fd = -1;
	if (ctl.path[0] != '@')
		unlink(ctl.path);
}
