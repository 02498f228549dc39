// SPDX-License-Identifier: GPL-2.0
/*
 * cbuctl - configure and inspect cbu, the Certificate-based Binding Update
 * for Mobile IPv6.
 *
 *   cbuctl [ OPTIONS ] OBJECT { COMMAND | help }
 */
#define _GNU_SOURCE
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

static const struct object {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} objects[] = {
	{ "version", do_version, "versions of cbuctl and cbu.ko" },
	{ "cert", do_cert, "keys and certificates (the offline CA)" },
};

static void usage(FILE *fp)
{
	size_t i;

	fprintf(fp,
		"Usage: cbuctl [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"where  OBJECT := {");
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		fprintf(fp, "%s %s", i ? " |" : "", objects[i].name);
	fprintf(fp,
		" }\n"
		"       OPTIONS := { -V | -j | -p | -n NETNS | -h }\n"
		"Where: -V        print cbuctl's version and exit\n"
		"       -j        JSON output\n"
		"       -p        pretty JSON (with -j)\n"
		"       -n NETNS  run in network namespace NETNS (ip netns)\n"
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

void report_genl_err(const char *what, int ret, const struct cbu_genl_err *e)
{
	if (e && e->msg[0])
		errorf("%s: %s (%s)", what, e->msg, strerror(-ret));
	else
		errorf("%s: %s", what, strerror(-ret));
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

int main(int argc, char **argv)
{
	const char *netns = NULL;
	size_t i;
	int opt;

	while ((opt = getopt(argc, argv, "+Vjpn:h")) != -1) {
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
		case 'n':
			netns = optarg;
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

	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++) {
		if (is(argv[0], objects[i].name))
			return objects[i].fn(argc - 1, argv + 1);
	}
	errorf("object \"%s\" is unknown, try \"cbuctl help\"", argv[0]);
	return EXIT_USAGE;
}
