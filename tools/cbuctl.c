// SPDX-License-Identifier: GPL-2.0
/*
 * cbuctl - configure and inspect cbu, the Certificate-based Binding Update
 * for Mobile IPv6.
 *
 *   cbuctl [ OPTIONS ] OBJECT { COMMAND | help }
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/cbu.h>

#include "cbuctl.h"

bool json;
bool pretty;
bool show_stats;
bool timestamp;

static const struct object {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} objects[] = {
	{ "version", do_version, "versions of cbuctl and cbu.ko" },
	{ "cert", do_cert, "keys and certificates (the offline CA)" },
	{ "key", do_key, "install and delete binding keys" },
	{ "binding", do_binding, "the binding cache" },
	{ "stats", do_stats, "counters of cbu.ko" },
	{ "param", do_param, "parameters of cbu.ko" },
	{ "home", do_home, "home prefixes served (home agent)" },
	{ "own", do_own, "own addresses (mobile node taking correspondents)" },
	{ "map", do_map, "mobility anchor point (HMIPv6)" },
	{ "monitor", do_monitor, "watch events and mobility headers" },
	{ "agent", do_agent, "cbu-agent's roles, state and counters" },
	{ "ro", do_ro, "route optimization held by cbu-agent (mobile node)" },
	{ "mn", do_mn, "the mobile node held by cbu-agent" },
};

static void usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
		"Usage: cbuctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"where  OBJECT := {");
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		fprintf(fp, "%s%s %s", i ? " |" : "", i && !(i % 5) ?
			"\n                 " : "", objects[i].name);
	fprintf(fp,
		" }\n"
		"       OPTIONS := { -V | -j | -p | -s | -t | -n NETNS | -b FILE | -h }\n"
		"Where: -V        print cbuctl's version and exit\n"
		"       -j        JSON output\n"
		"       -p        pretty JSON (with -j)\n"
		"       -s        show statistics\n"
		"       -t        timestamp each line of monitor\n"
		"       -n NETNS  run in network namespace NETNS (ip netns)\n"
		"       -b FILE   run the commands of FILE (\"-\": stdin), one\n"
		"                 \"OBJECT COMMAND ...\" a line, stopping at the\n"
		"                 first that fails\n"
		"       -h        this help\n"
		"Objects:\n");
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		fprintf(fp, "       %-10s %s\n", objects[i].name,
			objects[i].summary);
}

void errorf(const char *fmt, ...)
{
	va_list ap;

	fputs("cbuctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void report_genl_err_arg(const char *what, int ret,
			 const struct cbu_genl_err *e, int nest,
			 const struct arg_name *names)
{
	const char *arg = NULL;
	char range[64] = "";

	if (e && names && e->bad_depth == 2 && e->bad_type[0] == nest) {
		for (; names->name; names++) {
			if (names->type == e->bad_type[1]) {
				arg = names->name;
				break;
			}
		}
	}
	if (e && e->has_range && e->range_signed)
		snprintf(range, sizeof(range), ", valid %lld..%lld",
			 (long long)e->min, (long long)e->max);
	else if (e && e->has_range)
		snprintf(range, sizeof(range), ", valid %llu..%llu",
			 (unsigned long long)e->min,
			 (unsigned long long)e->max);

	if (e && e->msg[0])
		errorf("%s: %s%s%s%s (%s)", what, arg ? arg : "",
		       arg ? ": " : "", e->msg, range, strerror(-ret));
	else
		errorf("%s: %s%s%s%s", what, arg ? arg : "", arg ? ": " : "",
		       strerror(-ret), range);
}

void report_genl_err(const char *what, int ret, const struct cbu_genl_err *e)
{
	report_genl_err_arg(what, ret, e, 0, NULL);
}

int arg_next(const char *what, int *argc, char ***argv, const char **val)
{
	if (*argc < 2) {
		errorf("%s: \"%s\" needs an argument", what, **argv);
		return EXIT_USAGE;
	}
	(*argc)--;
	(*argv)++;
	*val = **argv;
	return 0;
}

/* Decimal digits only: no sign, no spaces, no base prefix. */
int arg_u32(const char *what, int *argc, char ***argv, uint32_t *val)
{
	const char *kw = **argv, *s, *p;
	uint64_t v = 0;
	int ret;

	ret = arg_next(what, argc, argv, &s);
	if (ret)
		return ret;
	for (p = s; *p >= '0' && *p <= '9' && v <= UINT32_MAX; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	if (!*s || *p || v > UINT32_MAX) {
		errorf("%s: %s \"%s\" is not a number 0..%u", what, kw, s,
		       UINT32_MAX);
		return EXIT_USAGE;
	}
	*val = (uint32_t)v;
	return 0;
}

int arg_addr(const char *what, const char *name, const char *s,
	     struct in6_addr *addr)
{
	if (inet_pton(AF_INET6, s, addr) != 1) {
		errorf("%s: %s \"%s\" is not an IPv6 address", what, name, s);
		return EXIT_USAGE;
	}
	return 0;
}

int arg_prefix(const char *what, const char *s, struct in6_addr *prefix,
	       uint8_t *len)
{
	char buf[INET6_ADDRSTRLEN + 8], shown[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/'), *p;
	struct in6_addr masked;
	unsigned int n = 0, i;

	if (!slash || (size_t)(slash - s) >= INET6_ADDRSTRLEN || !slash[1])
		goto bad;
	for (p = slash + 1; *p >= '0' && *p <= '9' && n <= 128; p++)
		n = n * 10 + (unsigned int)(*p - '0');
	if (*p || n > 128)
		goto bad;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	if (inet_pton(AF_INET6, buf, prefix) != 1)
		goto bad;
	*len = (uint8_t)n;

	masked = *prefix;
	for (i = 0; i < 16; i++) {
		if (n >= 8 * (i + 1))
			continue;
		masked.s6_addr[i] &= n > 8 * i ?
			(uint8_t)(0xff << (8 - (n - 8 * i))) : 0;
	}
	if (memcmp(&masked, prefix, sizeof(masked))) {
		inet_ntop(AF_INET6, &masked, shown, sizeof(shown));
		errorf("%s: \"%s\" has host bits set; did you mean %s/%u?",
		       what, s, shown, n);
		return EXIT_USAGE;
	}
	return 0;

bad:
	errorf("%s: \"%s\" is not an IPv6 PREFIX/LEN", what, s);
	return EXIT_USAGE;
}

int vec_push(struct vec *l, const void *item, size_t len)
{
	void *v;

	if (l->n == l->size) {
		v = reallocarray(l->v, l->size ? 2 * l->size : 16, len);
		if (!v)
			return -ENOMEM;
		l->v = v;
		l->size = l->size ? 2 * l->size : 16;
	}
	memcpy((char *)l->v + l->n++ * len, item, len);
	return 0;
}

int arg_dup(const char *what, const char *kw)
{
	errorf("%s: \"%s\" given twice", what, kw);
	return EXIT_USAGE;
}

int arg_unknown(const char *what, const char *arg, const char *object)
{
	errorf("%s: unknown argument \"%s\", try \"cbuctl %s help\"", what,
	       arg, object);
	return EXIT_USAGE;
}

int ctl_genl_open(struct cbu_genl *g)
{
	int ret;

	ret = cbu_genl_open(g);
	if (ret == -ENOENT)
		errorf("cbu.ko is not loaded (no generic netlink family \"%s\")",
		       CBU_GENL_NAME);
	else if (ret < 0)
		errorf("cannot open generic netlink: %s", strerror(-ret));
	return ret;
}

/* Enter the named network namespace, as `ip -n NETNS` does. */
static int netns_switch(const char *name)
{
	char path[PATH_MAX];
	int fd, ret;

	if (!*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, "..")) {
		errorf("invalid network namespace name \"%s\"", name);
		return -1;
	}
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errorf("cannot open network namespace \"%s\": %s", name,
		       strerror(errno));
		return -1;
	}
	ret = setns(fd, CLONE_NEWNET);
	if (ret < 0)
		errorf("setting the network namespace \"%s\" failed: %s", name,
		       strerror(errno));
	close(fd);
	return ret;
}

static int run_object(int argc, char **argv)
{
	size_t i;

	if (is(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		if (is(argv[0], objects[i].name))
			return objects[i].fn(argc - 1, argv + 1);
	}
	errorf("object \"%s\" is unknown, try \"cbuctl help\"", argv[0]);
	return EXIT_USAGE;
}

/*
 * -b FILE: one command a line, words split at blanks, "#" to the end of a
 * line a comment.  The first command that fails ends the batch with its
 * status, naming its line, as `ip -batch` does.
 */
static int run_batch(const char *path)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL, *argv[64], *p;
	unsigned long lineno = 0;
	size_t cap = 0;
	int argc, ret = 0;

	if (!fp) {
		errorf("cannot open batch file \"%s\": %s", path,
		       strerror(errno));
		return EXIT_FAILURE;
	}
	while (getline(&line, &cap, fp) >= 0) {
		lineno++;
		p = strchr(line, '#');
		if (p)
			*p = '\0';
		argc = 0;
		for (p = strtok(line, " \t\r\n"); p;
		     p = strtok(NULL, " \t\r\n")) {
			if (argc == (int)(sizeof(argv) / sizeof(argv[0]) - 1)) {
				errorf("%s:%lu: too many words", path, lineno);
				ret = EXIT_USAGE;
				goto out;
			}
			argv[argc++] = p;
		}
		argv[argc] = NULL;
		if (!argc)
			continue;
		optind = 1;
		ret = run_object(argc, argv);
		if (ret) {
			errorf("%s:%lu: command failed", path, lineno);
			goto out;
		}
	}
out:
	free(line);
	if (fp != stdin)
		fclose(fp);
	return ret;
}

int main(int argc, char **argv)
{
	const char *netns = NULL, *batch = NULL;
	int opt;

	while ((opt = getopt(argc, argv, "+Vjpstn:b:h")) != -1) {
		switch (opt) {
		case 'V':
			printf("cbuctl %s\n", CBU_VERSION);
			return 0;
		case 'j':
			json = true;
			break;
		case 'p':
			pretty = true;
			break;
		case 's':
			show_stats = true;
			break;
		case 't':
			timestamp = true;
			break;
		case 'n':
			netns = optarg;
			break;
		case 'b':
			batch = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;

	if (batch) {
		if (argc) {
			errorf("-b takes its commands from the file alone");
			return EXIT_USAGE;
		}
		if (netns && netns_switch(netns) < 0)
			return EXIT_FAILURE;
		return run_batch(batch);
	}
	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (is(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (netns && netns_switch(netns) < 0)
		return EXIT_FAILURE;
	return run_object(argc, argv);
}
