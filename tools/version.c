// SPDX-License-Identifier: GPL-2.0
/*
 * cbuctl version: the versions of cbuctl and of the cbu.ko serving this
 * network namespace, and the module's features.
 *
 * JSON: {"cbuctl":"0.1.0","module":{"version":"0.1.0","genl_version":1,
 *        "features":[...]}}
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/cbu.h>

#include "cbuctl.h"
#include "lib/names.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: cbuctl version\n"
		"Prints the versions of cbuctl and of cbu.ko, and the\n"
		"features cbu.ko offers, in the current network namespace.\n");
}

static void print_features(uint64_t features)
{
	char unknown[16];
	unsigned int bit;

	print_string(PRINT_FP, NULL, "%s", " features ");
	open_json_array(PRINT_JSON, "features");
	if (!features)
		print_string(PRINT_FP, NULL, "%s", "none");
	for (bit = 0; bit < 64; bit++) {
		const char *name;

		if (!(features & (1ULL << bit)))
			continue;
		name = cbu_feature_name(bit);
		if (!name) {
			snprintf(unknown, sizeof(unknown), "bit%u", bit);
			name = unknown;
		}
		print_string(PRINT_ANY, NULL, "%s ", name);
	}
	close_json_array(PRINT_JSON, NULL);
	print_nl();
}

int do_version(int argc, char **argv)
{
	struct cbu_genl_err err;
	struct cbu_version v;
	struct cbu_genl g;
	int ret;

	if (argc > 0) {
		if (is(argv[0], "help")) {
			usage(stdout);
			return 0;
		}
		errorf("version: unexpected \"%s\"", argv[0]);
		usage(stderr);
		return EXIT_USAGE;
	}

	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	ret = cbu_genl_version_get(&g, &v, &err);
	cbu_genl_close(&g);
	if (ret == -EPROTO) {
		errorf("version: cbu.ko's reply lacks an attribute");
		return EXIT_FAILURE;
	}
	if (ret < 0) {
		report_genl_err("version", ret, &err);
		return EXIT_FAILURE;
	}

	new_json_obj(stdout, json, pretty);
	print_string(PRINT_ANY, "cbuctl", "cbuctl %s\n", CBU_VERSION);
	open_json_object("module");
	print_string(PRINT_ANY, "version", "cbu.ko %s", v.version);
	print_uint(PRINT_ANY, "genl_version", " genl-version %u",
		   v.genl_version);
	print_features(v.features);
	close_json_object();
	delete_json_obj();
	return 0;
}
