// SPDX-License-Identifier: GPL-2.0
/*
 * cbuctl home: the home prefixes this node serves as a home agent
 * (CBU_CMD_HOME_ADD, _DEL, and the dump of _GET).  CBU messages to their
 * addresses go to cbu-agent through the "mh" group instead of on.
 *
 * JSON of "show": [{"prefix":"2001:db8:1::","prefix_len":64},...]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cbuctl.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: cbuctl home { add | del } PREFIX/LEN\n"
		"       cbuctl [ -j [ -p ] ] home [ show ]\n"
		"       cbuctl home help\n"
		"Where: PREFIX/LEN := an IPv6 prefix, host bits clear, LEN 1..128\n"
		"add   serves the prefix: CBU messages to its addresses go to\n"
		"      cbu-agent (see \"cbuctl monitor mh\") instead of on.\n"
		"del   stops serving it.\n"
		"show  lists the prefixes served, one a line.\n");
}

static const struct arg_name home_args[] = {
	{ CBU_A_HOME_PREFIX, "PREFIX" },
	{ CBU_A_HOME_PREFIX_LEN, "LEN" },
	{ 0, NULL },
};

static int home_change(const char *what, bool add, int argc, char **argv)
{
	struct cbu_genl_err err;
	struct cbu_home h;
	struct cbu_genl g;
	int ret;

	if (argc != 1) {
		errorf("%s: needs PREFIX/LEN", what);
		return EXIT_USAGE;
	}
	ret = arg_prefix(what, argv[0], &h.prefix, &h.len);
	if (ret)
		return ret;
	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	ret = add ? cbu_home_add(&g, &h, &err) : cbu_home_del(&g, &h, &err);
	cbu_genl_close(&g);
	if (ret < 0) {
		report_genl_err_arg(what, ret, &err, CBU_A_HOME, home_args);
		return EXIT_FAILURE;
	}
	return 0;
}

static int collect(const struct cbu_home *h, void *arg)
{
	return vec_push(arg, h, sizeof(*h));
}

static void print_list(const struct vec *l)
{
	const struct cbu_home *v = l->v;
	char buf[INET6_ADDRSTRLEN];
	size_t i;

	new_json_array(stdout, json, pretty);
	for (i = 0; i < l->n; i++) {
		inet_ntop(AF_INET6, &v[i].prefix, buf, sizeof(buf));
		open_json_object(NULL);
		print_string(PRINT_ANY, "prefix", "%s", buf);
		print_uint(PRINT_ANY, "prefix_len", "/%u", v[i].len);
		close_json_object();
		print_nl();
	}
	delete_json_obj();
}

static int home_show(int argc, char **argv)
{
	struct vec l = { .v = NULL };
	struct cbu_genl_err err;
	struct cbu_genl g;
	int ret;

	if (argc > 0) {
		errorf("home show: unexpected \"%s\"", argv[0]);
		return EXIT_USAGE;
	}
	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	ret = cbu_home_dump(&g, collect, &l, &err);
	cbu_genl_close(&g);
	if (ret == -EPROTO)
		errorf("home show: cbu.ko's reply lacks an attribute");
	else if (ret < 0)
		report_genl_err("home show", ret, &err);
	else
		print_list(&l);
	free(l.v);
	return ret < 0 ? EXIT_FAILURE : 0;
}

int do_home(int argc, char **argv)
{
	if (argc < 1)
		return home_show(0, NULL);
	if (is(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (is(argv[0], "add"))
		return home_change("home add", true, argc - 1, argv + 1);
	if (is(argv[0], "del"))
		return home_change("home del", false, argc - 1, argv + 1);
	if (is(argv[0], "show"))
		return home_show(argc - 1, argv + 1);
	errorf("home: unknown command \"%s\", try \"cbuctl home help\"",
	       argv[0]);
	return EXIT_USAGE;
}
