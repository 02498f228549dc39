// SPDX-License-Identifier: GPL-2.0
/*
 * cbuctl monitor: print the notifications of cbu.ko's multicast groups as
 * they come, one line each, until SIGINT or SIGTERM.
 *
 *   events  "EVENT hoa H cn C state S [coa A] [peer-coa P] [seq N]"
 *           JSON: {"event":"created", and the keys of binding show};
 *           a map binding's "map_expired rcoa R lcoa L hoa H",
 *           JSON: {"event":"map_expired","rcoa":R,"lcoa":L,"hoa":H}
 *   mh      "mh src S dst D [hoa H] len N type T [subtype U]"
 *           JSON: {"mh":{"src":S,"dst":D,"hoa":H,"len":N,"type":T,
 *                  "subtype":U}}
 *
 * With -j every line is a JSON object of its own; with -t each line starts
 * with the time it was received, "[2026-12-06T14:05:01.123456Z] " (as
 * `ip -ts monitor`), in JSON a "timestamp" key.  Output is flushed after
 * each, so a pipe sees it at once.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <linux/cbu_mh.h>

#include "cbuctl.h"
#include "lib/names.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: cbuctl [ -j ] [ -t ] monitor [ events | mh | all ]\n"
		"       cbuctl monitor help\n"
		"Where: events  changes of bindings: created, updated, confirmed,\n"
		"               expired, deleted, bc_timeout, mac_failure,\n"
		"               migrate_failed; of the map's bindings,\n"
		"               map_expired (the default)\n"
		"       mh      mobility headers for served home addresses (cbuctl\n"
		"               home); while anyone listens, cbu.ko hands them up\n"
		"               instead of passing them on: this changes what the\n"
		"               node does (a home agent's cbu-agent is such a\n"
		"               listener), so it is never joined unasked\n"
		"       all     both\n"
		"Prints a line per notification, with -j a JSON object a line,\n"
		"with -t each after the time it came, until interrupted (SIGINT,\n"
		"SIGTERM).\n");
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void print_addr(const char *key, const char *fmt,
		       const struct in6_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, buf, sizeof(buf));
	print_string(PRINT_ANY, key, fmt, buf);
}

/* -t: the wall clock's time now, to the microsecond, in UTC. */
static void print_timestamp(void)
{
	char buf[64];
	struct timeval tv;
	struct tm tm;
	size_t n;

	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	n = strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, sizeof(buf) - n, ".%06ldZ", (long)tv.tv_usec);
	print_string(PRINT_FP, NULL, "[%s] ", buf);
	print_string(PRINT_JSON, "timestamp", NULL, buf);
}

static void print_event(const struct cbu_event_info *ev)
{
	const char *name = cbu_event_name(ev->event);
	char num[16];

	if (!name) {
		snprintf(num, sizeof(num), "%u", ev->event);
		name = num;
	}
	print_string(PRINT_ANY, "event", "%s ", name);
	if (ev->is_map)
		print_map_binding(&ev->mb, true);
	else
		print_binding(&ev->b, true);
}

static void print_mh(const struct cbu_mh_recv *m)
{
	const struct cbu_mh *mh = (const struct cbu_mh *)m->data;
	const struct cbu_mh_exp *exp = (const struct cbu_mh_exp *)m->data;

	print_string(PRINT_FP, NULL, "%s", "mh");
	open_json_object("mh");
	print_addr("src", " src %s", &m->src);
	print_addr("dst", " dst %s", &m->dst);
	if (m->has_hoa)
		print_addr("hoa", " hoa %s", &m->hoa);
	print_uint(PRINT_ANY, "len", " len %u", (unsigned int)m->len);
	if (m->len >= sizeof(*mh))
		print_uint(PRINT_ANY, "type", " type %u", mh->type);
	if (m->len >= sizeof(*exp) && mh->type == CBU_MH_EXP)
		print_uint(PRINT_ANY, "subtype", " subtype %u", exp->subtype);
	close_json_object();
}

struct monitor {
	int family;
	int error;		/* writing the output failed */
};

static int on_notification(struct nl_msg *msg, void *arg)
{
	const struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct monitor *mon = arg;
	struct cbu_event_info ev;
	struct cbu_mh_recv m;
	int ret;

	if (nlh->nlmsg_type != mon->family)
		return NL_SKIP;
	switch (cbu_genl_cmd(msg)) {
	case CBU_CMD_EVENT:
		ret = cbu_event_parse(nlh, &ev);
		break;
	case CBU_CMD_MH_RECV:
		ret = cbu_mh_recv_parse(nlh, &m);
		break;
	default:
		return NL_SKIP;
	}
	if (ret) {
		errorf("monitor: a notification from cbu.ko lacks an attribute");
		return NL_SKIP;
	}

	new_json_obj(stdout, json, false);
	if (timestamp)
		print_timestamp();
	if (cbu_genl_cmd(msg) == CBU_CMD_EVENT)
		print_event(&ev);
	else
		print_mh(&m);
	print_nl();
	delete_json_obj();
	if (ferror(stdout)) {
		mon->error = errno ? errno : EIO;
		stop = 1;
	}
	return NL_OK;
}

static int subscribe(struct cbu_genl *g, const char *group)
{
	int ret = cbu_genl_subscribe(g, group);

	if (ret == -ENOENT)
		errorf("monitor: cbu.ko has no multicast group \"%s\"", group);
	else if (ret < 0)
		errorf("monitor: cannot join the multicast group \"%s\": %s",
		       group, strerror(-ret));
	return ret;
}

int do_monitor(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	bool events = true, mh = false;
	struct monitor mon = { 0 };
	sigset_t block, waitmask;
	struct cbu_genl g;
	int ret;

	if (argc > 1) {
		errorf("monitor: unexpected \"%s\"", argv[1]);
		return EXIT_USAGE;
	}
	if (argc == 1) {
		if (is(argv[0], "help")) {
			usage(stdout);
			return 0;
		} else if (is(argv[0], "events")) {
			mh = false;
		} else if (is(argv[0], "mh")) {
			events = false;
			mh = true;
		} else if (is(argv[0], "all")) {
			mh = true;
		} else {
			errorf("monitor: unknown group \"%s\", try \"cbuctl monitor help\"",
			       argv[0]);
			return EXIT_USAGE;
		}
	}

	/*
	 * The signals stay blocked but while waiting (ppoll), so one that
	 * comes between checking the flag and waiting is not lost.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &waitmask);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	mon.family = g.family;
	ret = 0;
	if (events)
		ret = subscribe(&g, CBU_MCGRP_EVENTS);
	if (!ret && mh)
		ret = subscribe(&g, CBU_MCGRP_MH);
	if (!ret) {
		ret = cbu_genl_notify_init(&g, on_notification, &mon);
		if (ret < 0)
			errorf("monitor: %s", strerror(-ret));
	}
	if (!ret) {
		/* An overrun loses notifications, not the socket: go on. */
		while ((ret = cbu_genl_listen(&g, &waitmask, &stop)) == -ENOBUFS)
			errorf("monitor: notifications lost: the receive buffer overran");
		if (ret < 0)
			errorf("monitor: receiving: %s", strerror(-ret));
	}
	cbu_genl_close(&g);
	if (!ret && mon.error) {
		errorf("monitor: writing: %s", strerror(mon.error));
		ret = -mon.error;
	}
	return ret < 0 ? EXIT_FAILURE : 0;
}
