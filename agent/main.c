// SPDX-License-Identifier: GPL-2.0
/*
 * cbu-agent - the signalling daemon of cbu (Documentation/agent.md).
 *
 * It refuses to run unless its configuration parses, libsodium
 * initialises and cbu.ko answers in this network namespace with the
 * generic netlink version it was built for.  Then it holds the roles the
 * configuration names (mobile node, home agent, correspondent) in one
 * thread until SIGTERM or SIGINT; SIGHUP, or `cbuctl agent reload`, reads
 * the configuration again (reload()).  On the way out a mobile node
 * deregisters from its home agent and its correspondents and removes its
 * paths; a home agent removes its tunnels, proxies and home prefix; a
 * correspondent leaves its bindings and ESP paths to cbu.ko, which serves
 * them on its own.  Every secret it held is wiped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <linux/cbu.h>
#include <sodium.h>

#include "agent.h"
#include "control.h"
#include "dp.h"
#include "lib/json_print.h"
#include "log.h"
#include "loop.h"
#include "notify.h"

struct agent agent;

static const char *config_path = CFG_DEFAULT_PATH;
static bool foreground;

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: cbu-agent [ -c FILE ] [ --check ] [ -f ] [ -V ] [ -h ]\n"
		"Where: -c, --config FILE  the configuration (default %s)\n"
		"       --check            check the configuration, its files and cbu.ko; exit\n"
		"       -f, --foreground   log to stderr, whatever the configuration says\n"
		"       -V, --version      print the version and exit\n"
		"       -h, --help         this help\n",
		CFG_DEFAULT_PATH);
}

/* cbu.ko must speak the generic netlink version this agent was built for. */
static int check_kernel(void)
{
	struct cbu_genl_err err;
	struct cbu_version v;
	int ret;

	ret = cbu_genl_open(&agent.genl);
	if (ret == -ENOENT) {
		log_err("cbu.ko is not loaded in this network namespace");
		return ret;
	}
	if (ret < 0) {
		log_err("cannot open generic netlink: %s", strerror(-ret));
		return ret;
	}
	ret = cbu_genl_version_get(&agent.genl, &v, &err);
	if (ret < 0) {
		log_err("cbu.ko did not answer the version query: %s%s%s",
			strerror(-ret), err.msg[0] ? ": " : "", err.msg);
		return ret;
	}
	if (v.genl_version != CBU_GENL_VERSION) {
		log_err("cbu.ko %s speaks genl version %u, this agent %u",
			v.version, v.genl_version, CBU_GENL_VERSION);
		return -EPROTO;
	}
	log_info("cbu.ko %s, genl version %u", v.version, v.genl_version);
	return 0;
}

/*
 * Read the configuration again and take what can change without losing
 * a binding or a path (config_reloadable()): the file must pass the
 * checks of --check, with the same code; then each role takes its part.
 * On any refusal the running configuration stays, whole, and @why says
 * why.  Large: not on the stack.
 */
static int reload(char *why, size_t len)
{
	static struct agent_config new, old;
	int ret = -1;

	if (config_load(&new, config_path, why, len))
		goto out;
	if (config_reloadable(&agent.cfg, &new, why, len))
		goto out;
	old = agent.cfg;
	agent.cfg = new;
	if (roles_check()) {
		agent.cfg = old;
		snprintf(why, len, "%s fails --check (the log says why)",
			 config_path);
		goto out;
	}
	if (roles_reload(&old)) {
		agent.cfg = old;
		snprintf(why, len, "a role could not take %s (the log says why)",
			 config_path);
		goto out;
	}
	log_setup(agent.cfg.log_syslog && !foreground, agent.cfg.log_level);
	log_info("%s reloaded", config_path);
	ret = 0;
out:
	if (ret)
		log_err("reload refused, the running configuration stays: %s",
			why);
	sodium_memzero(&new, sizeof(new));
	sodium_memzero(&old, sizeof(old));
	return ret;
}

/* What systemd is told around a reload (sd_notify(3), RELOADING=1). */
static int reload_notified(char *why, size_t len)
{
	int ret;

	notifyf("RELOADING=1\nMONOTONIC_USEC=%llu\nSTATUS=reloading",
		log_now_ms() * 1000);
	ret = reload(why, len);
	notify(ret ? "READY=1\nSTATUS=running; the last reload was refused" :
		     "READY=1\nSTATUS=running");
	return ret;
}

static int agent_reload(int argc, char **argv)
{
	char why[512];

	(void)argc;
	(void)argv;
	if (reload_notified(why, sizeof(why))) {
		control_error("%s", why);
		return -1;
	}
	print_bool(PRINT_JSON, "reloaded", NULL, true);
	print_string(PRINT_FP, NULL, "%s", "reloaded\n");
	return 0;
}

static struct loop_fd sig_lfd = { .fd = -1 };

static void sig_cb(struct loop_fd *lfd, uint32_t events)
{
	struct signalfd_siginfo si;

	(void)events;
	if (read(lfd->fd, &si, sizeof(si)) != sizeof(si))
		return;
	if (si.ssi_signo == SIGHUP) {
		char why[512];

		log_info("SIGHUP: reloading %s", config_path);
		reload_notified(why, sizeof(why));
		return;
	}
	log_info("%s, exiting", strsignal((int)si.ssi_signo));
	loop_stop();
}

static int signals_init(void)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
		return -errno;
	/* A control client that goes away must not kill us. */
	signal(SIGPIPE, SIG_IGN);
	sig_lfd.fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sig_lfd.fd < 0)
		return -errno;
	sig_lfd.cb = sig_cb;
	return loop_add(&sig_lfd, EPOLLIN);
}

void print_counters(const void *base, const struct counter *c, size_t n)
{
	const uint8_t *b = base;
	uint64_t v;
	size_t i;

	for (i = 0; i < n; i++) {
		memcpy(&v, b + c[i].off, sizeof(v));
		print_u64(PRINT_ANY, c[i].json, c[i].fmt, v);
	}
}

static int agent_status(int argc, char **argv)
{
	uint64_t up = (loop_now_ms() - agent.started_ms) / 1000;
	const struct role_ops *r;

	(void)argc;
	(void)argv;
	print_string(PRINT_ANY, "version", "cbu-agent %s", CBU_VERSION);
	print_u64(PRINT_ANY, "pid", " pid %llu", (unsigned long long)getpid());
	print_u64(PRINT_ANY, "uptime", " up %llus\n", up);
	open_json_array(PRINT_JSON, "roles");
	for_each_role(r)
		print_string(PRINT_JSON, NULL, NULL, r->name);
	close_json_array(PRINT_JSON, NULL);
	for_each_role(r)
		if (r->status)
			r->status();
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check", no_argument, NULL, 'C' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	bool check_only = false;
	char err[512];
	int opt, ret = 1;

	while ((opt = getopt_long(argc, argv, "c:fVh", longopts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			config_path = optarg;
			break;
		case 'C':
			check_only = true;
			break;
		case 'f':
			foreground = true;
			break;
		case 'V':
			printf("cbu-agent %s\n", CBU_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "cbu-agent: unexpected argument \"%s\"\n",
			argv[optind]);
		usage(stderr);
		return 2;
	}

	log_setup(false, LOG_INFO);
	if (config_load(&agent.cfg, config_path, err, sizeof(err))) {
		log_err("%s", err);
		return 1;
	}
	log_setup(agent.cfg.log_syslog && !foreground && !check_only,
		  agent.cfg.log_level);
	if (sodium_init() < 0) {
		log_err("libsodium failed to initialise");
		return 1;
	}
	if (check_only) {
		/* The files first: they can be checked without cbu.ko. */
		if (!roles_check() && check_kernel() >= 0)
			ret = 0;
		goto out_genl;
	}
	if (check_kernel() < 0)
		goto out_genl;

	if (loop_init())
		goto out_genl;
	agent.started_ms = loop_now_ms();
	if (signals_init()) {
		log_err("signals: %m");
		goto out_loop;
	}
	if (control_open(agent.cfg.control))
		goto out_sig;
	control_register("agent", "status", agent_status);
	control_register("agent", "reload", agent_reload);
	if (dp_init())
		goto out_control;
	if (io_init())
		goto out_dp;
	if (roles_init()) {
		notify("STATUS=a role failed to start: see the log");
		goto out_roles;
	}

	log_info("running");
	/* systemd (Type=notify): cbu.ko answered and every role started. */
	if (notify("READY=1\nSTATUS=running") < 0)
		log_warn("cannot notify systemd ($NOTIFY_SOCKET)");
	ret = loop_run() < 0;
	notify("STOPPING=1\nSTATUS=stopping");

out_roles:
	roles_fini();
	io_fini();
out_dp:
	dp_fini();
out_control:
	control_close();
out_sig:
	if (sig_lfd.fd >= 0) {
		loop_del(&sig_lfd);
		close(sig_lfd.fd);
	}
out_loop:
	loop_fini();
out_genl:
	cbu_genl_close(&agent.genl);
	sodium_memzero(&agent, sizeof(agent));
	return ret;
}
