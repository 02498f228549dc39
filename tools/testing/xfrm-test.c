// SPDX-License-Identifier: GPL-2.0
/*
 * xfrm-test - a test tool: every function of tools/lib/xfrm.c and
 * tools/lib/rtnl.c from the command line, so that the selftests can check
 * what they do with iproute2, which nobody here wrote.
 *
 * One subcommand per function (see usage()).  Success prints nothing
 * unless the subcommand lists something; a refusal prints the kernel's
 * errno by name and its message, e.g.
 *   xfrm-test: sa-add: EEXIST (File exists)
 * and exits 1; bad usage exits 2.  KEYHEX is a test key in hex (so argv
 * is fine here).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/if_addr.h>
#include <sodium.h>

#include "lib/rtnl.h"
#include "lib/xfrm.h"

static const char *cmd = "xfrm-test";

static void usage(void)
{
	fprintf(stderr,
		"Usage: xfrm-test COMMAND ARGS...\n"
		"  sa-add | sa-update SRC DST SPI REQID KEYHEX SELSRC[/LEN] SELDST[/LEN]\n"
		"                     [ mode MODE ] [ replay N ] [ expires SECONDS ]\n"
		"  sa-del DST SPI [ src SRC ]\n"
		"  sa-get DST SPI\n"
		"  policy-add | policy-update DIR SELSRC[/LEN] SELDST[/LEN] TMPLSRC TMPLDST\n"
		"                     REQID PRIO [ mode MODE ] [ proto N ]\n"
		"  policy-del DIR SELSRC[/LEN] SELDST[/LEN] [ proto N ]\n"
		"  migrate DIR SELSRC[/LEN] SELDST[/LEN] REQID OLDSRC OLDDST NEWSRC NEWDST\n"
		"                     [ mode MODE ] [ proto N ]\n"
		"  flush-reqid REQID [LAST]\n"
		"  proxy-add | proxy-del ADDR DEV\n"
		"  conf DEV KEY VALUE\n"
		"  addr-add ADDR/LEN DEV [ nodad ]\n"
		"  addr-del ADDR/LEN DEV\n"
		"  route-add | route-del PREFIX/LEN [ via GW ] [ dev DEV ] [ metric N ]\n"
		"  watch-addr SECONDS\n"
		"  list-addr DEV\n"
		"Where: DIR := in | out | fwd\n"
		"       MODE := tunnel | transport (default tunnel)\n"
		"       KEYHEX := %d octets in hex for %s (16 key, 4 salt)\n"
		"       SELSRC, SELDST without /LEN are /128; proto N is the\n"
		"       selector's upper-layer protocol (default 0: any)\n",
		CBU_XFRM_KEY_LEN, CBU_XFRM_AEAD);
	exit(2);
}

static void bad(const char *what, const char *arg)
{
	fprintf(stderr, "xfrm-test: %s: %s: bad %s\n", cmd, arg, what);
	exit(2);
}

/* A refusal: errno by name, its text, and what the kernel said. */
static int report(int ret, const struct cbu_nl_err *err)
{
	const char *name;

	if (ret >= 0)
		return 0;
	name = strerrorname_np(-ret);
	fprintf(stderr, "xfrm-test: %s: %s (%s)", cmd, name ? name : "?",
		strerror(-ret));
	if (err && err->msg[0])
		fprintf(stderr, ": %s", err->msg);
	fprintf(stderr, "\n");
	return 1;
}

static void addr(const char *s, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1)
		bad("IPv6 address", s);
}

static unsigned long num(const char *s, unsigned long max)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || end == s || *end || v > max || s[0] == '-')
		bad("number", s);
	return v;
}

/* ADDR/LEN; ADDR alone is /@def_len, or refused if @def_len < 0. */
static void prefix(const char *s, struct in6_addr *a, uint8_t *len,
		   int def_len)
{
	char buf[INET6_ADDRSTRLEN + 8];
	char *slash;

	if (strlen(s) >= sizeof(buf))
		bad("prefix", s);
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash) {
		*slash = '\0';
		*len = (uint8_t)num(slash + 1, 128);
	} else if (def_len >= 0) {
		*len = (uint8_t)def_len;
	} else {
		bad("prefix (ADDR/LEN)", s);
	}
	addr(buf, a);
}

static int ifindex(const char *dev)
{
	unsigned int i = if_nametoindex(dev);

	if (!i) {
		fprintf(stderr, "xfrm-test: %s: %s: no such interface\n", cmd,
			dev);
		exit(1);
	}
	return (int)i;
}

static uint8_t dir(const char *s)
{
	if (!strcmp(s, "in"))
		return XFRM_POLICY_IN;
	if (!strcmp(s, "out"))
		return XFRM_POLICY_OUT;
	if (!strcmp(s, "fwd"))
		return XFRM_POLICY_FWD;
	bad("direction", s);
	return 0;
}

static uint8_t mode(const char *s)
{
	if (!strcmp(s, "tunnel"))
		return XFRM_MODE_TUNNEL;
	if (!strcmp(s, "transport"))
		return XFRM_MODE_TRANSPORT;
	bad("mode", s);
	return 0;
}

static void key(const char *s, struct cbu_xfrm_sa *sa)
{
	size_t n;

	if (!strncmp(s, "0x", 2))
		s += 2;
	if (sodium_hex2bin(sa->key, sizeof(sa->key), s, strlen(s), NULL, &n,
			   NULL) || n == 0)
		bad("key (at most 36 octets in hex)", "KEYHEX");
	sa->key_len = n;
}

/* The options after the fixed arguments: KEYWORD VALUE pairs. */
enum {
	OPT_MODE = 1, OPT_PROTO = 2, OPT_REPLAY = 4, OPT_SRC = 8,
	OPT_EXPIRES = 16,
};

struct opts {
	uint8_t mode;
	uint8_t proto;
	unsigned long replay;
	unsigned long expires;
	bool has_src;
	struct in6_addr src;
};

static void options(int argc, char **argv, struct opts *o, unsigned int ok)
{
	int i;

	o->mode = XFRM_MODE_TUNNEL;
	for (i = 0; i < argc; i += 2) {
		if (i + 1 >= argc)
			usage();
		if ((ok & OPT_MODE) && !strcmp(argv[i], "mode")) {
			o->mode = mode(argv[i + 1]);
		} else if ((ok & OPT_PROTO) && !strcmp(argv[i], "proto")) {
			o->proto = (uint8_t)num(argv[i + 1], 255);
		} else if ((ok & OPT_REPLAY) && !strcmp(argv[i], "replay")) {
			o->replay = num(argv[i + 1], 255);
		} else if ((ok & OPT_EXPIRES) && !strcmp(argv[i], "expires")) {
			o->expires = num(argv[i + 1], UINT32_MAX);
		} else if ((ok & OPT_SRC) && !strcmp(argv[i], "src")) {
			addr(argv[i + 1], &o->src);
			o->has_src = true;
		} else {
			usage();
		}
	}
}

static int do_sa(struct cbu_xfrm *x, int argc, char **argv, bool update)
{
	struct cbu_xfrm_sa sa = { 0 };
	struct cbu_nl_err err;
	struct opts o = { 0 };
	int ret;

	if (argc < 7)
		usage();
	addr(argv[0], &sa.src);
	addr(argv[1], &sa.dst);
	sa.spi = (uint32_t)num(argv[2], UINT32_MAX);
	sa.reqid = (uint32_t)num(argv[3], UINT32_MAX);
	key(argv[4], &sa);
	prefix(argv[5], &sa.sel.src, &sa.sel.src_len, 128);
	prefix(argv[6], &sa.sel.dst, &sa.sel.dst_len, 128);
	options(argc - 7, argv + 7, &o, OPT_MODE | OPT_REPLAY | OPT_EXPIRES);
	sa.mode = o.mode;
	sa.replay_window = (uint8_t)o.replay;
	sa.hard_add_expires = o.expires;

	ret = update ? cbu_xfrm_sa_update(x, &sa, &err) :
		       cbu_xfrm_sa_add(x, &sa, &err);
	sodium_memzero(&sa, sizeof(sa));
	return report(ret, &err);
}

static int do_sa_del(struct cbu_xfrm *x, int argc, char **argv)
{
	struct cbu_nl_err err;
	struct opts o = { 0 };
	struct in6_addr dst;
	uint32_t spi;

	if (argc < 2)
		usage();
	addr(argv[0], &dst);
	spi = (uint32_t)num(argv[1], UINT32_MAX);
	options(argc - 2, argv + 2, &o, OPT_SRC);
	return report(cbu_xfrm_sa_del(x, &dst, spi, IPPROTO_ESP,
				      o.has_src ? &o.src : NULL, &err), &err);
}

/* One line: what names the state, and its counters and lifetime. */
static int do_sa_get(struct cbu_xfrm *x, int argc, char **argv)
{
	struct cbu_xfrm_sa_info s;
	struct cbu_nl_err err;
	struct in6_addr dst;
	uint32_t spi;
	int ret;

	if (argc != 2)
		usage();
	addr(argv[0], &dst);
	spi = (uint32_t)num(argv[1], UINT32_MAX);
	ret = cbu_xfrm_sa_get(x, &dst, spi, &s, &err);
	if (ret)
		return report(ret, &err);
	printf("spi 0x%08x reqid %u mode %s packets %llu expires %llu\n",
	       s.spi, s.reqid,
	       s.mode == XFRM_MODE_TUNNEL ? "tunnel" : "transport",
	       (unsigned long long)s.packets,
	       (unsigned long long)s.hard_add_expires);
	return 0;
}

static int do_policy(struct cbu_xfrm *x, int argc, char **argv, bool update)
{
	struct cbu_xfrm_policy p = { 0 };
	struct cbu_nl_err err;
	struct opts o = { 0 };

	if (argc < 7)
		usage();
	p.dir = dir(argv[0]);
	prefix(argv[1], &p.sel.src, &p.sel.src_len, 128);
	prefix(argv[2], &p.sel.dst, &p.sel.dst_len, 128);
	addr(argv[3], &p.tmpl_src);
	addr(argv[4], &p.tmpl_dst);
	p.reqid = (uint32_t)num(argv[5], UINT32_MAX);
	p.priority = (uint32_t)num(argv[6], UINT32_MAX);
	options(argc - 7, argv + 7, &o, OPT_MODE | OPT_PROTO);
	p.mode = o.mode;
	p.sel.proto = o.proto;
	return report(update ? cbu_xfrm_policy_update(x, &p, &err) :
			       cbu_xfrm_policy_add(x, &p, &err), &err);
}

static int do_policy_del(struct cbu_xfrm *x, int argc, char **argv)
{
	struct cbu_xfrm_sel sel = { 0 };
	struct cbu_nl_err err;
	struct opts o = { 0 };
	uint8_t d;

	if (argc < 3)
		usage();
	d = dir(argv[0]);
	prefix(argv[1], &sel.src, &sel.src_len, 128);
	prefix(argv[2], &sel.dst, &sel.dst_len, 128);
	options(argc - 3, argv + 3, &o, OPT_PROTO);
	sel.proto = o.proto;
	return report(cbu_xfrm_policy_del(x, d, &sel, &err), &err);
}

static int do_migrate(struct cbu_xfrm *x, int argc, char **argv)
{
	struct cbu_xfrm_migrate m = { 0 };
	struct cbu_nl_err err;
	struct opts o = { 0 };

	if (argc < 8)
		usage();
	m.dir = dir(argv[0]);
	prefix(argv[1], &m.sel.src, &m.sel.src_len, 128);
	prefix(argv[2], &m.sel.dst, &m.sel.dst_len, 128);
	m.reqid = (uint32_t)num(argv[3], UINT32_MAX);
	addr(argv[4], &m.old_src);
	addr(argv[5], &m.old_dst);
	addr(argv[6], &m.new_src);
	addr(argv[7], &m.new_dst);
	options(argc - 8, argv + 8, &o, OPT_MODE | OPT_PROTO);
	m.mode = o.mode;
	m.sel.proto = o.proto;
	return report(cbu_xfrm_migrate(x, &m, &err), &err);
}

static int do_flush(struct cbu_xfrm *x, int argc, char **argv)
{
	struct cbu_nl_err err;
	int ret;

	if (argc == 1)
		ret = cbu_xfrm_flush_reqid(x,
					   (uint32_t)num(argv[0], UINT32_MAX),
					   &err);
	else if (argc == 2)
		ret = cbu_xfrm_flush_reqids(x,
					    (uint32_t)num(argv[0], UINT32_MAX),
					    (uint32_t)num(argv[1], UINT32_MAX),
					    &err);
	else
		usage();
	if (ret < 0)
		return report(ret, &err);
	printf("deleted %d\n", ret);
	return 0;
}

static int do_proxy(struct cbu_rtnl *r, int argc, char **argv, bool add)
{
	struct cbu_nl_err err;
	struct in6_addr a;
	int i;

	if (argc != 2)
		usage();
	addr(argv[0], &a);
	i = ifindex(argv[1]);
	return report(add ? cbu_rtnl_proxy_add(r, &a, i, &err) :
			    cbu_rtnl_proxy_del(r, &a, i, &err), &err);
}

static int do_conf(int argc, char **argv)
{
	if (argc != 3)
		usage();
	return report(cbu_ipv6_conf_set(argv[0], argv[1],
					(int)num(argv[2], INT32_MAX)), NULL);
}

static int do_addr(struct cbu_rtnl *r, int argc, char **argv, bool add)
{
	struct cbu_nl_err err;
	struct in6_addr a;
	uint32_t flags = 0;
	uint8_t len;
	int i;

	if (argc < 2 || argc > 3 || (argc == 3 && (!add ||
						   strcmp(argv[2], "nodad"))))
		usage();
	prefix(argv[0], &a, &len, -1);
	i = ifindex(argv[1]);
	if (argc == 3)
		flags |= IFA_F_NODAD;
	return report(add ? cbu_rtnl_addr_add(r, i, &a, len, flags, &err) :
			    cbu_rtnl_addr_del(r, i, &a, len, &err), &err);
}

static int do_route(struct cbu_rtnl *r, int argc, char **argv, bool add)
{
	struct cbu_route rt = { 0 };
	struct cbu_nl_err err;
	int i;

	if (argc < 1 || argc % 2 != 1)
		usage();
	prefix(argv[0], &rt.dst, &rt.dst_len, -1);
	for (i = 1; i < argc; i += 2) {
		if (!strcmp(argv[i], "via")) {
			addr(argv[i + 1], &rt.gw);
			rt.has_gw = true;
		} else if (!strcmp(argv[i], "dev")) {
			rt.oif = ifindex(argv[i + 1]);
		} else if (!strcmp(argv[i], "metric")) {
			rt.metric = (uint32_t)num(argv[i + 1], UINT32_MAX);
		} else {
			usage();
		}
	}
	return report(add ? cbu_rtnl_route_add(r, &rt, &err) :
			    cbu_rtnl_route_del(r, &rt, &err), &err);
}

/* One line per address: "[new|del] ADDR/LEN dev NAME flags 0xN". */
static int print_addr(const struct cbu_rtnl_addr *a, void *arg)
{
	char s[INET6_ADDRSTRLEN], name[IF_NAMESIZE];
	bool event = *(const bool *)arg;

	inet_ntop(AF_INET6, &a->addr, s, sizeof(s));
	if (!if_indextoname((unsigned int)a->ifindex, name))
		snprintf(name, sizeof(name), "%d", a->ifindex);
	if (event)
		printf("%s ", a->removed ? "del" : "new");
	printf("%s/%u dev %s flags 0x%x\n", s, a->prefixlen, name, a->flags);
	return 0;
}

static int do_list_addr(struct cbu_rtnl *r, int argc, char **argv)
{
	struct cbu_nl_err err;
	bool event = false;

	if (argc != 1)
		usage();
	return report(cbu_rtnl_addr_list(r, ifindex(argv[0]), print_addr,
					 &event, &err), &err);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * Print every address event for SECONDS.  "ready" comes first, once
 * subscribed: what happens after it is reported.
 */
static int do_watch(int argc, char **argv)
{
	struct cbu_rtnl mon;
	struct pollfd pfd;
	bool event = true;
	long long end;
	int ret, left;

	if (argc != 1)
		usage();
	end = now_ms() + 1000LL * (long long)num(argv[0], 3600);
	ret = cbu_rtnl_monitor_open(&mon);
	if (ret)
		return report(ret, NULL);
	printf("ready\n");
	pfd.fd = cbu_rtnl_fd(&mon);
	pfd.events = POLLIN;
	while (!ret && (left = (int)(end - now_ms())) > 0) {
		if (poll(&pfd, 1, left) < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		ret = cbu_rtnl_addr_read(&mon, print_addr, &event);
		if (ret == -ENOBUFS) {
			printf("lost\n");
			ret = 0;
		}
	}
	cbu_rtnl_close(&mon);
	return report(ret, NULL);
}

int main(int argc, char **argv)
{
	struct cbu_xfrm x;
	struct cbu_rtnl r;
	const char *c;
	int ret;

	if (argc < 2 || sodium_init() < 0)
		usage();
	/* Line by line: the selftests read the output of watch-addr live. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	c = argv[1];
	cmd = c;
	argc -= 2;
	argv += 2;

	if (!strncmp(c, "sa-", 3) || !strncmp(c, "policy-", 7) ||
	    !strcmp(c, "migrate") || !strcmp(c, "flush-reqid")) {
		ret = cbu_xfrm_open(&x);
		if (ret)
			return report(ret, NULL);
		if (!strcmp(c, "sa-add"))
			ret = do_sa(&x, argc, argv, false);
		else if (!strcmp(c, "sa-update"))
			ret = do_sa(&x, argc, argv, true);
		else if (!strcmp(c, "sa-del"))
			ret = do_sa_del(&x, argc, argv);
		else if (!strcmp(c, "sa-get"))
			ret = do_sa_get(&x, argc, argv);
		else if (!strcmp(c, "policy-add"))
			ret = do_policy(&x, argc, argv, false);
		else if (!strcmp(c, "policy-update"))
			ret = do_policy(&x, argc, argv, true);
		else if (!strcmp(c, "policy-del"))
			ret = do_policy_del(&x, argc, argv);
		else if (!strcmp(c, "migrate"))
			ret = do_migrate(&x, argc, argv);
		else if (!strcmp(c, "flush-reqid"))
			ret = do_flush(&x, argc, argv);
		else
			usage();
		cbu_xfrm_close(&x);
		return ret;
	}

	if (!strcmp(c, "conf"))
		return do_conf(argc, argv);
	if (!strcmp(c, "watch-addr"))
		return do_watch(argc, argv);

	ret = cbu_rtnl_open(&r);
	if (ret)
		return report(ret, NULL);
	if (!strcmp(c, "proxy-add"))
		ret = do_proxy(&r, argc, argv, true);
	else if (!strcmp(c, "proxy-del"))
		ret = do_proxy(&r, argc, argv, false);
	else if (!strcmp(c, "addr-add"))
		ret = do_addr(&r, argc, argv, true);
	else if (!strcmp(c, "addr-del"))
		ret = do_addr(&r, argc, argv, false);
	else if (!strcmp(c, "route-add"))
		ret = do_route(&r, argc, argv, true);
	else if (!strcmp(c, "route-del"))
		ret = do_route(&r, argc, argv, false);
	else if (!strcmp(c, "list-addr"))
		ret = do_list_addr(&r, argc, argv);
	else
		usage();
	cbu_rtnl_close(&r);
	return ret;
}
