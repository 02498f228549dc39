// SPDX-License-Identifier: GPL-2.0
/*
 * cbuctl agent, cbuctl ro: what cbu-agent holds, asked over its control
 * socket (agent/control.h): one request, one answer, which the agent
 * prints itself in text or JSON.
 *
 *   cbuctl agent status              the roles, their state and counters
 *   cbuctl agent reload              read the configuration again
 *   cbuctl mn show                   the mobile node: CoA, registration
 *   cbuctl ro show                   route optimization, per correspondent
 *   cbuctl ro { start | stop } CN    ask for it, or end it (mobile node)
 *
 * Each takes "socket PATH" last: the agent's control socket ("@NAME":
 * abstract, the default "@cbu-agent" of the current network namespace).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "cbuctl.h"

#define AGENT_SOCKET	"@cbu-agent"
#define AGENT_MAX_MSG	65536
#define AGENT_TIMEOUT_S	10

static void agent_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: cbuctl agent { status | reload } [ socket PATH ]\n"
		"Asks cbu-agent for its roles, their state and counters, or\n"
		"to read its configuration again (as SIGHUP does); a reload it\n"
		"refuses leaves the running configuration, and says why.\n"
		"PATH is its control socket, \"@NAME\" for an abstract one\n"
		"(default %s, the agent of the current network namespace).\n",
		AGENT_SOCKET);
}

static void ro_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: cbuctl ro show [ socket PATH ]\n"
		"       cbuctl ro { start | stop | rekey } CN [ socket PATH ]\n"
		"Route optimization of the mobile node's agent: show it per\n"
		"correspondent, ask for it with CN (the home agent runs the\n"
		"exchange), end it (a BU of lifetime 0 to CN), or renew its\n"
		"k_EN now (REQ_KEY).\n");
}

static void mn_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: cbuctl mn show [ socket PATH ]\n"
		"The mobile node's agent: its home address and agent, its\n"
		"care-of address, its home registration and counters.\n");
}

static int agent_connect(const char *path)
{
	struct timeval tv = { .tv_sec = AGENT_TIMEOUT_S };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t len = strlen(path);
	socklen_t alen;
	int fd;

	if (!len || len >= sizeof(sun.sun_path)) {
		errorf("agent: socket \"%s\": bad name", path);
		return -1;
	}
	memcpy(sun.sun_path, path, len);
	alen = offsetof(struct sockaddr_un, sun_path) + len;
	if (path[0] == '@')
		sun.sun_path[0] = '\0';		/* abstract */
	else
		alen++;				/* and its NUL */
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		errorf("agent: socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, alen) < 0) {
		if (errno == ECONNREFUSED || errno == ENOENT)
			errorf("cbu-agent is not running here (no %s)", path);
		else
			errorf("agent: %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Send the words of @argv, @argc of them, as one request and print the
 * answer.  The words are checked here only for what would break the
 * request; the agent judges the rest.
 */
static int agent_request(const char *path, int argc, char **argv)
{
	char req[1024], *ans;
	size_t used;
	ssize_t n;
	int fd, i, ret = EXIT_FAILURE;

	used = (size_t)snprintf(req, sizeof(req), "%s",
				json ? (pretty ? "pretty" : "json") : "text");
	for (i = 0; i < argc; i++) {
		if (strpbrk(argv[i], " \t\n") || !argv[i][0]) {
			errorf("agent: bad argument \"%s\"", argv[i]);
			return EXIT_USAGE;
		}
		if (used + 1 + strlen(argv[i]) >= sizeof(req)) {
			errorf("agent: request too long");
			return EXIT_USAGE;
		}
		used += (size_t)snprintf(req + used, sizeof(req) - used, " %s",
					 argv[i]);
	}

	fd = agent_connect(path);
	if (fd < 0)
		return EXIT_FAILURE;
	ans = malloc(AGENT_MAX_MSG + 1);
	if (!ans) {
		errorf("agent: out of memory");
		goto out;
	}
	if (send(fd, req, used, MSG_NOSIGNAL) != (ssize_t)used) {
		errorf("agent: send: %s", strerror(errno));
		goto out;
	}
	n = recv(fd, ans, AGENT_MAX_MSG, MSG_TRUNC);
	if (n < 0) {
		errorf("agent: %s", errno == EAGAIN ? "no answer" :
		       strerror(errno));
		goto out;
	}
	if (n > AGENT_MAX_MSG) {
		errorf("agent: answer too long");
		goto out;
	}
	ans[n] = '\0';
	if (!strncmp(ans, "error: ", 7)) {
		errorf("agent: %s", ans + 7);
		goto out;
	}
	fputs(ans, stdout);
	if (n && ans[n - 1] != '\n')
		putchar('\n');
	ret = 0;
out:
	free(ans);
	close(fd);
	return ret;
}

/* Take a trailing "socket PATH" off the arguments. */
static const char *socket_arg(int *argc, char **argv)
{
	if (*argc >= 2 && is(argv[*argc - 2], "socket")) {
		*argc -= 2;
		return argv[*argc + 1];
	}
	return AGENT_SOCKET;
}

int do_agent(int argc, char **argv)
{
	char *words[] = { "agent", "status" };
	const char *path;

	if (argc && is(argv[0], "help")) {
		agent_usage(stdout);
		return 0;
	}
	path = socket_arg(&argc, argv);
	if (argc && is(argv[0], "reload"))
		words[1] = "reload";
	else if (argc && !is(argv[0], "status") && !is(argv[0], "show"))
		return arg_unknown("agent", argv[0], "agent");
	if (argc > 1) {
		errorf("agent %s: unexpected \"%s\"", words[1], argv[1]);
		return EXIT_USAGE;
	}
	return agent_request(path, 2, words);
}

int do_ro(int argc, char **argv)
{
	char *words[3] = { "ro" };
	struct in6_addr cn;
	char what[16];
	const char *path;

	if (argc && is(argv[0], "help")) {
		ro_usage(stdout);
		return 0;
	}
	path = socket_arg(&argc, argv);
	if (!argc || is(argv[0], "show") || is(argv[0], "list")) {
		if (argc > 1) {
			errorf("ro show: unexpected \"%s\"", argv[1]);
			return EXIT_USAGE;
		}
		words[1] = "show";
		return agent_request(path, 2, words);
	}
	if (!is(argv[0], "start") && !is(argv[0], "stop") &&
	    !is(argv[0], "rekey")) {
		return arg_unknown("ro", argv[0], "ro");
	}
	if (argc != 2) {
		errorf("ro %s: %s", argv[0], argc < 2 ? "CN is missing" :
		       "too many arguments");
		ro_usage(stderr);
		return EXIT_USAGE;
	}
	words[1] = is(argv[0], "start") ? "start" :
		   is(argv[0], "stop") ? "stop" : "rekey";
	snprintf(what, sizeof(what), "ro %s", words[1]);
	if (arg_addr(what, "CN", argv[1], &cn))
		return EXIT_USAGE;
	words[2] = argv[1];
	return agent_request(path, 3, words);
}

int do_mn(int argc, char **argv)
{
	char *words[] = { "mn", "show" };
	const char *path;

	if (argc && is(argv[0], "help")) {
		mn_usage(stdout);
		return 0;
	}
	path = socket_arg(&argc, argv);
	if (argc && !is(argv[0], "show"))
		return arg_unknown("mn", argv[0], "mn");
	if (argc > 1) {
		errorf("mn show: unexpected \"%s\"", argv[1]);
		return EXIT_USAGE;
	}
	return agent_request(path, 2, words);
}
