// SPDX-License-Identifier: GPL-2.0
/*
 * cbuctl map: this node as an HMIPv6 mobility anchor point (draft section
 * 5; CBU_CMD_MAP_SET, _DEL and _GET).  cbu.ko hands local BUs to the MAP's
 * address, from a domain interface with a home address option in the RCoA
 * prefix, up to cbu-agent on the "mh" group, and drops those from
 * elsewhere (counter map_outside).  cbu-agent sets it; this is for the
 * operator who looks, and for tests.
 *
 * JSON of "show": {"address":"2001:db8:9::1","rcoa_prefix":"2001:db8:9::",
 * "rcoa_prefix_len":64,"interfaces":["eth1","eth2"],"tunnel":null}, or {}
 * when no map is set.  An interface gone from the namespace shows as
 * "if" and its index, as ip(8) shows it.
 *
 * cbuctl map binding: the map's bindings, RCoA to LCoA (CBU_CMD_MAP_BIND,
 * _UNBIND, _BINDING_GET), which the agent makes after its checks and
 * cbu.ko holds every packet of the tunnel to.  JSON of "binding show": an
 * array of {"rcoa":R,"lcoa":L,"hoa":H,"lifetime":SECONDS_LEFT}, with -s
 * also "packets" and "bytes".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>

#include "cbuctl.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: cbuctl map set address ADDR rcoa-prefix PREFIX/LEN\n"
		"                      interface IF [ interface IF ... ] [ tunnel IF ]\n"
		"       cbuctl map del\n"
		"       cbuctl [ -j [ -p ] ] map [ show ]\n"
		"       cbuctl map binding { add | del | show | help } ...\n"
		"       cbuctl map help\n"
		"Where: ADDR       := the MAP's IPv6 address, where local BUs go\n"
		"       PREFIX/LEN := the RCoA prefix, host bits clear, LEN 1..128\n"
		"       IF         := a network interface: after \"interface\" one of\n"
		"                     the domain's (1 to %d), where local BUs come\n"
		"                     in; after \"tunnel\" the tunnel to the LCoAs\n"
		"set   makes this node the domain's MAP, replacing any map set:\n"
		"      local BUs to ADDR with a CBU signature go to cbu-agent.\n"
		"del   stops it.\n"
		"show  prints the map, or nothing when none is set.\n"
		"binding  the map's bindings: \"cbuctl map binding help\".\n",
		CBU_MAP_INTERFACES_MAX);
}

static const struct arg_name map_args[] = {
	{ CBU_A_MAP_ADDRESS, "address" },
	{ CBU_A_MAP_RCOA_PREFIX, "rcoa-prefix" },
	{ CBU_A_MAP_RCOA_PREFIX_LEN, "rcoa-prefix" },
	{ CBU_A_MAP_TUNNEL, "tunnel" },
	{ CBU_A_MAP_INTERFACE, "interface" },
	{ 0, NULL },
};

/* @name's ifindex in this namespace. */
static int arg_ifindex(const char *what, const char *kw, const char *name,
		       uint32_t *ifindex)
{
	*ifindex = if_nametoindex(name);
	if (!*ifindex) {
		errorf("%s: %s \"%s\": no such network interface", what, kw,
		       name);
		return EXIT_USAGE;
	}
	return 0;
}

static int map_set(int argc, char **argv)
{
	const char *what = "map set", *val;
	bool has_addr = false, has_prefix = false, has_tunnel = false;
	struct cbu_map m = { .n_ifs = 0 };
	struct cbu_genl_err err;
	struct cbu_genl g;
	int ret;

	for (; argc > 0; argc--, argv++) {
		if (is(argv[0], "address")) {
			if (has_addr)
				return arg_dup(what, argv[0]);
			ret = arg_next(what, &argc, &argv, &val);
			if (!ret)
				ret = arg_addr(what, "ADDR", val, &m.address);
			has_addr = true;
		} else if (is(argv[0], "rcoa-prefix")) {
			if (has_prefix)
				return arg_dup(what, argv[0]);
			ret = arg_next(what, &argc, &argv, &val);
			if (!ret)
				ret = arg_prefix(what, val, &m.rcoa_prefix,
						 &m.rcoa_len);
			has_prefix = true;
		} else if (is(argv[0], "interface")) {
			if (m.n_ifs == CBU_MAP_INTERFACES_MAX) {
				errorf("%s: at most %d domain interfaces", what,
				       CBU_MAP_INTERFACES_MAX);
				return EXIT_USAGE;
			}
			ret = arg_next(what, &argc, &argv, &val);
			if (!ret)
				ret = arg_ifindex(what, "interface", val,
						  &m.ifindex[m.n_ifs++]);
		} else if (is(argv[0], "tunnel")) {
			if (has_tunnel)
				return arg_dup(what, argv[0]);
			ret = arg_next(what, &argc, &argv, &val);
			if (!ret)
				ret = arg_ifindex(what, "tunnel", val, &m.tunnel);
			has_tunnel = true;
		} else {
			return arg_unknown(what, argv[0], "map");
		}
		if (ret)
			return ret;
	}
	if (!has_addr || !has_prefix || !m.n_ifs) {
		errorf("%s: needs address ADDR, rcoa-prefix PREFIX/LEN and at least one interface IF",
		       what);
		return EXIT_USAGE;
	}
	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	ret = cbu_map_set(&g, &m, &err);
	cbu_genl_close(&g);
	if (ret < 0) {
		report_genl_err_arg(what, ret, &err, CBU_A_MAP, map_args);
		return EXIT_FAILURE;
	}
	return 0;
}

static int map_del(int argc, char **argv)
{
	struct cbu_genl_err err;
	struct cbu_genl g;
	int ret;

	if (argc > 0) {
		errorf("map del: unexpected \"%s\"", argv[0]);
		return EXIT_USAGE;
	}
	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	ret = cbu_map_del(&g, &err);
	cbu_genl_close(&g);
	if (ret < 0) {
		report_genl_err("map del", ret, &err);
		return EXIT_FAILURE;
	}
	return 0;
}

/* The interface's name, or "if" and its index once it is gone. */
static const char *ifname(uint32_t ifindex, char buf[IF_NAMESIZE + 4])
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE + 4, "if%u", ifindex);
	return buf;
}

static int map_show(int argc, char **argv)
{
	char addr[INET6_ADDRSTRLEN], name[IF_NAMESIZE + 4];
	struct cbu_genl_err err;
	struct cbu_genl g;
	struct cbu_map m;
	unsigned int i;
	int ret;

	if (argc > 0) {
		errorf("map show: unexpected \"%s\"", argv[0]);
		return EXIT_USAGE;
	}
	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	ret = cbu_map_get(&g, &m, &err);
	cbu_genl_close(&g);
	if (ret == -EPROTO) {
		errorf("map show: cbu.ko's reply lacks an attribute");
		return EXIT_FAILURE;
	}
	if (ret < 0) {
		report_genl_err("map show", ret, &err);
		return EXIT_FAILURE;
	}
	new_json_obj(stdout, json, pretty);
	if (m.set) {
		inet_ntop(AF_INET6, &m.address, addr, sizeof(addr));
		print_string(PRINT_ANY, "address", "address %s", addr);
		inet_ntop(AF_INET6, &m.rcoa_prefix, addr, sizeof(addr));
		print_string(PRINT_ANY, "rcoa_prefix", " rcoa-prefix %s", addr);
		print_uint(PRINT_ANY, "rcoa_prefix_len", "/%u", m.rcoa_len);
		open_json_array(PRINT_JSON, "interfaces");
		for (i = 0; i < m.n_ifs; i++)
			print_string(PRINT_ANY, NULL, " interface %s",
				     ifname(m.ifindex[i], name));
		close_json_array(PRINT_JSON, NULL);
		if (m.tunnel)
			print_string(PRINT_ANY, "tunnel", " tunnel %s",
				     ifname(m.tunnel, name));
		else
			print_null(PRINT_JSON, "tunnel", NULL);
		print_nl();
	}
	delete_json_obj();
	return 0;
}

static void binding_usage(FILE *fp)
{
	fprintf(fp,
		"Usage: cbuctl map binding add RCOA lcoa LCOA hoa HOA lifetime SEC\n"
		"       cbuctl map binding del RCOA\n"
		"       cbuctl [ -j [ -p ] ] [ -s ] map binding [ show [ RCOA ] ]\n"
		"       cbuctl map binding help\n"
		"Where: RCOA := a regional care-of address, inside the map's RCoA\n"
		"               prefix\n"
		"       LCOA := the on-link care-of address it goes to, outside it\n"
		"       HOA  := the home address of the mobile node that holds it\n"
		"       SEC  := seconds, 1..262140; the binding goes after them\n"
		"add   binds RCOA to LCOA, or moves or refreshes its binding: packets\n"
		"      of the map's tunnel must match it, both ways.\n"
		"del   removes it.\n"
		"show  prints the bindings and the seconds left of each; with -s\n"
		"      also the packets and bytes that passed.\n");
}

static const struct arg_name binding_args[] = {
	{ CBU_A_MAP_BINDING_RCOA, "RCOA" },
	{ CBU_A_MAP_BINDING_LCOA, "lcoa" },
	{ CBU_A_MAP_BINDING_HOA, "hoa" },
	{ CBU_A_MAP_BINDING_LIFETIME, "lifetime" },
	{ 0, NULL },
};

static int binding_add(int argc, char **argv)
{
	const char *what = "map binding add", *val;
	bool has_lcoa = false, has_hoa = false, has_lifetime = false;
	struct cbu_map_binding mb = { .lifetime = 0 };
	struct cbu_genl_err err;
	struct cbu_genl g;
	int ret;

	if (argc < 1) {
		errorf("%s: needs RCOA", what);
		return EXIT_USAGE;
	}
	ret = arg_addr(what, "RCOA", argv[0], &mb.rcoa);
	if (ret)
		return ret;
	for (argc--, argv++; argc > 0; argc--, argv++) {
		if (is(argv[0], "lcoa")) {
			if (has_lcoa)
				return arg_dup(what, argv[0]);
			ret = arg_next(what, &argc, &argv, &val);
			if (!ret)
				ret = arg_addr(what, "LCOA", val, &mb.lcoa);
			has_lcoa = true;
		} else if (is(argv[0], "hoa")) {
			if (has_hoa)
				return arg_dup(what, argv[0]);
			ret = arg_next(what, &argc, &argv, &val);
			if (!ret)
				ret = arg_addr(what, "HOA", val, &mb.hoa);
			has_hoa = true;
		} else if (is(argv[0], "lifetime")) {
			if (has_lifetime)
				return arg_dup(what, argv[0]);
			ret = arg_u32(what, &argc, &argv, &mb.lifetime);
			has_lifetime = true;
		} else {
			return arg_unknown(what, argv[0], "map binding");
		}
		if (ret)
			return ret;
	}
	if (!has_lcoa || !has_hoa || !has_lifetime) {
		errorf("%s: needs lcoa LCOA, hoa HOA and lifetime SEC", what);
		return EXIT_USAGE;
	}
	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	ret = cbu_map_bind(&g, &mb, &err);
	cbu_genl_close(&g);
	if (ret < 0) {
		report_genl_err_arg(what, ret, &err, CBU_A_MAP_BINDING,
				    binding_args);
		return EXIT_FAILURE;
	}
	return 0;
}

static int binding_del(int argc, char **argv)
{
	const char *what = "map binding del";
	struct cbu_genl_err err;
	struct in6_addr rcoa;
	struct cbu_genl g;
	int ret;

	if (argc != 1) {
		errorf("%s: needs RCOA", what);
		return EXIT_USAGE;
	}
	if (arg_addr(what, "RCOA", argv[0], &rcoa))
		return EXIT_USAGE;
	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	ret = cbu_map_unbind(&g, &rcoa, &err);
	cbu_genl_close(&g);
	if (ret < 0) {
		report_genl_err(what, ret, &err);
		return EXIT_FAILURE;
	}
	return 0;
}

static void print_addr(const char *key, const char *fmt,
		       const struct in6_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, buf, sizeof(buf));
	print_string(PRINT_ANY, key, fmt, buf);
}

/* One binding; @event: as a monitor line (no counters). */
void print_map_binding(const struct cbu_map_binding *mb, bool event)
{
	print_addr("rcoa", event ? "rcoa %s" : "%s", &mb->rcoa);
	print_addr("lcoa", " lcoa %s", &mb->lcoa);
	print_addr("hoa", " hoa %s", &mb->hoa);
	if (!event)
		print_uint(PRINT_ANY, "lifetime", " lifetime %u", mb->lifetime);
	if (show_stats && !event) {
		print_nl();
		print_u64(PRINT_ANY, "packets", "    packets %llu",
			  (unsigned long long)mb->packets);
		print_u64(PRINT_ANY, "bytes", " bytes %llu",
			  (unsigned long long)mb->bytes);
	}
}

static int collect(const struct cbu_map_binding *mb, void *arg)
{
	return vec_push(arg, mb, sizeof(*mb));
}

static int binding_show(int argc, char **argv)
{
	const char *what = "map binding show";
	struct vec l = { .v = NULL };
	struct cbu_genl_err err;
	struct in6_addr rcoa;
	struct cbu_genl g;
	int ret, tries;
	size_t i;

	if (argc > 1) {
		errorf("%s: RCOA, or nothing", what);
		return EXIT_USAGE;
	}
	if (argc == 1 && arg_addr(what, "RCOA", argv[0], &rcoa))
		return EXIT_USAGE;
	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	if (argc == 1) {
		l.v = calloc(1, sizeof(struct cbu_map_binding));
		if (!l.v) {
			ret = -ENOMEM;
		} else {
			ret = cbu_map_binding_get(&g, &rcoa, l.v, &err);
			l.n = !ret;
		}
	} else {
		for (tries = 0; tries < DUMP_TRIES; tries++) {
			l.n = 0;
			ret = cbu_map_binding_dump(&g, collect, &l, &err);
			if (ret != -EAGAIN)
				break;
		}
	}
	cbu_genl_close(&g);

	if (ret == -EAGAIN)
		errorf("%s: the bindings kept changing during the dump", what);
	else if (ret == -EPROTO)
		errorf("%s: cbu.ko's reply lacks an attribute", what);
	else if (ret < 0)
		report_genl_err_arg(what, ret, &err, CBU_A_MAP_BINDING,
				    binding_args);
	if (ret < 0) {
		free(l.v);
		return EXIT_FAILURE;
	}
	new_json_array(stdout, json, pretty);
	for (i = 0; i < l.n; i++) {
		open_json_object(NULL);
		print_map_binding((const struct cbu_map_binding *)l.v + i,
				  false);
		close_json_object();
		print_nl();
	}
	delete_json_obj();
	free(l.v);
	return 0;
}

static int do_map_binding(int argc, char **argv)
{
	if (argc < 1)
		return binding_show(0, NULL);
	if (is(argv[0], "help")) {
		binding_usage(stdout);
		return 0;
	}
	if (is(argv[0], "add"))
		return binding_add(argc - 1, argv + 1);
	if (is(argv[0], "del"))
		return binding_del(argc - 1, argv + 1);
	if (is(argv[0], "show"))
		return binding_show(argc - 1, argv + 1);
	errorf("map binding: unknown command \"%s\", try \"cbuctl map binding help\"",
	       argv[0]);
	return EXIT_USAGE;
}

int do_map(int argc, char **argv)
{
	if (argc < 1)
		return map_show(0, NULL);
	if (is(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (is(argv[0], "set"))
		return map_set(argc - 1, argv + 1);
	if (is(argv[0], "del"))
		return map_del(argc - 1, argv + 1);
	if (is(argv[0], "show"))
		return map_show(argc - 1, argv + 1);
	if (is(argv[0], "binding"))
		return do_map_binding(argc - 1, argv + 1);
	errorf("map: unknown command \"%s\", try \"cbuctl map help\"",
	       argv[0]);
	return EXIT_USAGE;
}
