// SPDX-License-Identifier: GPL-2.0
/*
 * cbu-agent - the signalling daemon of cbu.
 *
 * This first cut establishes the daemon's contract with the kernel: it
 * refuses to run unless cbu.ko answers in this network namespace with the
 * generic netlink version it was built for and libsodium initialises, then
 * runs until SIGTERM or SIGINT and exits cleanly.  The MN, HA and CN roles
 * (the draft's section 3 exchange) are built on this loop.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <linux/cbu.h>
#include <sodium.h>

#include "lib/genl.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: cbu-agent [ -V ] [ -h ] [ --check ]\n"
		"Where: -V, --version  print the version and exit\n"
		"       --check        check that cbu.ko is compatible and exit\n"
		"       -h, --help     this help\n");
}

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	va_list ap;

	fputs("cbu-agent: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* cbu.ko must speak the generic netlink version this agent was built for. */
static int check_kernel(void)
{
	struct cbu_genl_err err;
	struct cbu_version v;
	struct cbu_genl g;
	int ret;

	ret = cbu_genl_open(&g);
	if (ret == -ENOENT) {
		logf_("cbu.ko is not loaded in this network namespace");
		return ret;
	}
	if (ret < 0) {
		logf_("cannot open generic netlink: %s", strerror(-ret));
		return ret;
	}
	ret = cbu_genl_version_get(&g, &v, &err);
	cbu_genl_close(&g);
	if (ret < 0) {
		logf_("cbu.ko did not answer the version query: %s%s%s",
		      strerror(-ret), err.msg[0] ? ": " : "", err.msg);
		return ret;
	}
	if (v.genl_version != CBU_GENL_VERSION) {
		logf_("cbu.ko %s speaks genl version %u, this agent %u",
		      v.version, v.genl_version, CBU_GENL_VERSION);
		return -EPROTO;
	}
	logf_("cbu.ko %s, genl version %u, features 0x%llx", v.version,
	      v.genl_version, (unsigned long long)v.features);
	return 0;
}

/* Block until SIGTERM or SIGINT. */
static int wait_for_signal(void)
{
	struct signalfd_siginfo si;
	sigset_t mask;
	ssize_t n;
	int fd;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	fd = signalfd(-1, &mask, SFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		n = read(fd, &si, sizeof(si));
	} while (n < 0 && errno == EINTR);
	close(fd);
	if (n != sizeof(si))
		return -EIO;
	logf_("%s, exiting", strsignal((int)si.ssi_signo));
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "version", no_argument, NULL, 'V' },
		{ "check", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool check_only = false;
	int opt;

	while ((opt = getopt_long(argc, argv, "Vh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'V':
			printf("cbu-agent %s\n", CBU_VERSION);
			return 0;
		case 'C':
			check_only = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		logf_("unexpected argument \"%s\"", argv[optind]);
		usage(stderr);
		return 2;
	}

	if (sodium_init() < 0) {
		logf_("libsodium failed to initialise");
		return 1;
	}
	if (check_kernel() < 0)
		return 1;
	if (check_only)
		return 0;

	logf_("running");
	return wait_for_signal() < 0 ? 1 : 0;
}
