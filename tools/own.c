// SPDX-License-Identifier: GPL-2.0
/*
 * cbuctl own: this node's own home address and care-of address, for a
 * mobile node that takes correspondents (draft section 4; CBU_CMD_OWN_SET
 * and _GET).  cbu.ko takes a FWD to the home address as the BU it carries,
 * answers it from the care-of address, and takes a BC to the care-of
 * address for the home address.  cbu-agent sets them; this is for the
 * operator who looks, and for tests.
 *
 * JSON of "show": {"hoa":"2001:db8:7::1","coa":"2001:db8:2::20"}, or {}.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "cbuctl.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: cbuctl own set HOA coa COA\n"
		"       cbuctl own del HOA\n"
		"       cbuctl [ -j [ -p ] ] own [ show ]\n"
		"       cbuctl own help\n"
		"Where: HOA, COA := IPv6 addresses, this node's home address and\n"
		"                   its care-of address\n"
		"set   gives cbu.ko both, or a new care-of address after a move:\n"
		"      forwarded BUs (FWD) to HOA are answered from COA.\n"
		"del   forgets them; HOA must be the one set.\n"
		"show  prints them, or nothing when none is set.\n");
}

static const struct arg_name own_args[] = {
	{ CBU_A_OWN_HOA, "HOA" },
	{ CBU_A_OWN_COA, "COA" },
	{ 0, NULL },
};

static int own_change(const char *what, bool set, int argc, char **argv)
{
	struct cbu_own o = { .has_coa = set };
	struct cbu_genl_err err;
	struct cbu_genl g;
	int ret;

	if (argc < 1) {
		errorf("%s: needs HOA", what);
		return EXIT_USAGE;
	}
	ret = arg_addr(what, "HOA", argv[0], &o.hoa);
	if (ret)
		return ret;
	argc--, argv++;
	if (set) {
		const char *val;

		if (argc < 1 || !is(argv[0], "coa")) {
			errorf("%s: needs coa COA", what);
			return EXIT_USAGE;
		}
		ret = arg_next(what, &argc, &argv, &val);
		if (!ret)
			ret = arg_addr(what, "COA", val, &o.coa);
		if (ret)
			return ret;
		argc--, argv++;
	}
	if (argc > 0)
		return arg_unknown(what, argv[0], "own");
	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	ret = cbu_own_set(&g, &o, &err);
	cbu_genl_close(&g);
	if (ret < 0) {
		report_genl_err_arg(what, ret, &err, CBU_A_OWN, own_args);
		return EXIT_FAILURE;
	}
	return 0;
}

static int own_show(int argc, char **argv)
{
	char hoa[INET6_ADDRSTRLEN], coa[INET6_ADDRSTRLEN];
	struct cbu_genl_err err;
	struct cbu_genl g;
	struct cbu_own o;
	int ret;

	if (argc > 0) {
		errorf("own show: unexpected \"%s\"", argv[0]);
		return EXIT_USAGE;
	}
	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	ret = cbu_own_get(&g, &o, &err);
	cbu_genl_close(&g);
	if (ret == -EPROTO) {
		errorf("own show: cbu.ko's reply lacks an attribute");
		return EXIT_FAILURE;
	}
	if (ret < 0) {
		report_genl_err("own show", ret, &err);
		return EXIT_FAILURE;
	}
	new_json_obj(stdout, json, pretty);
	if (o.has_coa) {
		inet_ntop(AF_INET6, &o.hoa, hoa, sizeof(hoa));
		inet_ntop(AF_INET6, &o.coa, coa, sizeof(coa));
		print_string(PRINT_ANY, "hoa", "hoa %s", hoa);
		print_string(PRINT_ANY, "coa", " coa %s", coa);
		print_nl();
	}
	delete_json_obj();
	return 0;
}

int do_own(int argc, char **argv)
{
	if (argc < 1)
		return own_show(0, NULL);
	if (is(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (is(argv[0], "set"))
		return own_change("own set", true, argc - 1, argv + 1);
	if (is(argv[0], "del"))
		return own_change("own del", false, argc - 1, argv + 1);
	if (is(argv[0], "show"))
		return own_show(argc - 1, argv + 1);
	errorf("own: unknown command \"%s\", try \"cbuctl own help\"",
	       argv[0]);
	return EXIT_USAGE;
}
