// SPDX-License-Identifier: GPL-2.0
/*
 * cbuctl stats: the namespace's counters (CBU_CMD_STATS_GET) and their
 * reset (CBU_CMD_STATS_RESET).  Counters are named as in lib/names.c.
 *
 * JSON of "show": {"bu_accepted":1,"bu_bad_mac":2,...}, every counter (a
 * program reading it should not have to know which can be left out); the
 * text leaves out those that are zero, unless -s.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbuctl.h"
#include "lib/names.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: cbuctl [ -j [ -p ] ] [ -s ] stats [ show ]\n"
		"       cbuctl stats reset\n"
		"       cbuctl stats help\n"
		"Where: show   prints the counters of cbu.ko in this network\n"
		"              namespace, \"NAME VALUE\" a line: those that are not\n"
		"              zero, or with -s all of them; with -j always all\n"
		"       reset  sets every counter to zero\n");
}

static int stats_show(void)
{
	struct cbu_genl_err err;
	struct cbu_stats st;
	struct cbu_genl g;
	const char *name;
	char num[16];
	unsigned int i;
	int ret;

	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	ret = cbu_stats_get(&g, &st, &err);
	cbu_genl_close(&g);
	if (ret == -EPROTO) {
		errorf("stats show: cbu.ko's reply lacks the counters");
		return EXIT_FAILURE;
	}
	if (ret < 0) {
		report_genl_err("stats show", ret, &err);
		return EXIT_FAILURE;
	}

	new_json_obj(stdout, json, pretty);
	for (i = 0; i < __CBU_STAT_MAX; i++) {
		/* JSON is for programs: every counter, always. */
		if (!st.counter[i] && !show_stats && !json)
			continue;
		name = cbu_stat_name(i);
		if (!name) {
			snprintf(num, sizeof(num), "stat%u", i);
			name = num;
		}
		print_string(PRINT_FP, NULL, "%s ", name);
		print_u64(PRINT_ANY, name, "%llu\n", st.counter[i]);
	}
	delete_json_obj();
	return 0;
}

static int stats_reset(void)
{
	struct cbu_genl_err err;
	struct cbu_genl g;
	int ret;

	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	ret = cbu_stats_reset(&g, &err);
	cbu_genl_close(&g);
	if (ret < 0) {
		report_genl_err("stats reset", ret, &err);
		return EXIT_FAILURE;
	}
	return 0;
}

int do_stats(int argc, char **argv)
{
	if (argc > 1) {
		errorf("stats %s: unexpected \"%s\"", argv[0], argv[1]);
		return EXIT_USAGE;
	}
	if (argc < 1 || is(argv[0], "show"))
		return stats_show();
	if (is(argv[0], "reset"))
		return stats_reset();
	if (is(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	errorf("stats: unknown command \"%s\", try \"cbuctl stats help\"",
	       argv[0]);
	return EXIT_USAGE;
}
