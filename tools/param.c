// SPDX-License-Identifier: GPL-2.0
/*
 * cbuctl param: the namespace's parameters (CBU_CMD_PARAM_GET, _SET).
 * The kernel holds the valid ranges; a value outside one is refused with
 * the range it allows.
 *
 * JSON of "show": {"bc_packets":10,"bc_timeout":10000,"capacity":65536,
 *   "max_lifetime":420,"event_rate":10,"entries":0}
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbuctl.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: cbuctl [ -j [ -p ] ] param [ show ]\n"
		"       cbuctl param set [ bc-packets N ] [ bc-timeout MS ] [ capacity N ]\n"
		"                        [ max-lifetime SECONDS ] [ event-rate N ]\n"
		"       cbuctl param help\n"
		"Where: bc-packets    packets sent to an unconfirmed care-of address\n"
		"                     before its traffic stops (default 10)\n"
		"       bc-timeout    milliseconds an unconfirmed binding may carry\n"
		"                     traffic (default 10000)\n"
		"       capacity      the most entries of the binding cache (default\n"
		"                     65536); not below the entries it holds\n"
		"       max-lifetime  the most lifetime a BA grants, seconds\n"
		"                     (default 420)\n"
		"       event-rate    MAC failure events a second at most, 0 for\n"
		"                     none (default 10)\n"
		"show  also prints \"entries\", the entries in the binding cache.\n");
}

/* Keywords of "set", their attributes and how "show" names them. */
static const struct param_name {
	int type;
	const char *kw;		/* the grammar's and the text output's */
	const char *key;	/* JSON */
} params[] = {
	{ CBU_A_PARAM_BC_PACKETS, "bc-packets", "bc_packets" },
	{ CBU_A_PARAM_BC_TIMEOUT, "bc-timeout", "bc_timeout" },
	{ CBU_A_PARAM_CAPACITY, "capacity", "capacity" },
	{ CBU_A_PARAM_MAX_LIFETIME, "max-lifetime", "max_lifetime" },
	{ CBU_A_PARAM_EVENT_RATE, "event-rate", "event_rate" },
	{ CBU_A_PARAM_ENTRIES, "entries", "entries" },
};

#define N_PARAMS	(sizeof(params) / sizeof(params[0]))

static const struct arg_name param_args[] = {
	{ CBU_A_PARAM_BC_PACKETS, "bc-packets" },
	{ CBU_A_PARAM_BC_TIMEOUT, "bc-timeout" },
	{ CBU_A_PARAM_CAPACITY, "capacity" },
	{ CBU_A_PARAM_MAX_LIFETIME, "max-lifetime" },
	{ CBU_A_PARAM_EVENT_RATE, "event-rate" },
	{ 0, NULL },
};

static int param_show(void)
{
	struct cbu_param_info p;
	struct cbu_genl_err err;
	struct cbu_genl g;
	size_t i;
	int ret;

	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	ret = cbu_param_get(&g, &p, &err);
	cbu_genl_close(&g);
	if (ret == -EPROTO) {
		errorf("param show: cbu.ko's reply lacks the parameters");
		return EXIT_FAILURE;
	}
	if (ret < 0) {
		report_genl_err("param show", ret, &err);
		return EXIT_FAILURE;
	}

	new_json_obj(stdout, json, pretty);
	for (i = 0; i < N_PARAMS; i++) {
		if (!(p.has & CBU_HAS(params[i].type)))
			continue;
		print_string(PRINT_FP, NULL, i ? " %s" : "%s", params[i].kw);
		print_uint(PRINT_ANY, params[i].key, " %u",
			   *cbu_param_field(&p, params[i].type));
	}
	print_nl();
	delete_json_obj();
	return 0;
}

static int param_set(int argc, char **argv)
{
	const char *what = "param set";
	struct cbu_param_info p = { .has = 0 };
	struct cbu_genl_err err;
	struct cbu_genl g;
	size_t i;
	int ret;

	for (; argc > 0; argc--, argv++) {
		for (i = 0; i < N_PARAMS; i++)
			if (params[i].type != CBU_A_PARAM_ENTRIES &&
			    is(*argv, params[i].kw))
				break;
		if (i == N_PARAMS)
			return arg_unknown(what, *argv, "param");
		if (p.has & CBU_HAS(params[i].type))
			return arg_dup(what, *argv);
		ret = arg_u32(what, &argc, &argv,
			       cbu_param_field(&p, params[i].type));
		if (ret)
			return ret;
		p.has |= CBU_HAS(params[i].type);
	}
	if (!p.has) {
		errorf("%s: nothing to set, try \"cbuctl param help\"", what);
		return EXIT_USAGE;
	}

	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	ret = cbu_param_set(&g, &p, &err);
	cbu_genl_close(&g);
	if (ret < 0) {
		report_genl_err_arg(what, ret, &err, CBU_A_PARAMS, param_args);
		return EXIT_FAILURE;
	}
	return 0;
}

int do_param(int argc, char **argv)
{
	if (argc < 1)
		return param_show();
	if (is(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (is(argv[0], "show")) {
		if (argc > 1) {
			errorf("param show: unexpected \"%s\"", argv[1]);
			return EXIT_USAGE;
		}
		return param_show();
	}
	if (is(argv[0], "set"))
		return param_set(argc - 1, argv + 1);
	errorf("param: unknown command \"%s\", try \"cbuctl param help\"",
	       argv[0]);
	return EXIT_USAGE;
}
