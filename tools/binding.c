// SPDX-License-Identifier: GPL-2.0
/*
 * cbuctl binding: show the binding cache (CBU_CMD_BINDING_GET, one entry or
 * the dump) and drop bindings (CBU_CMD_BINDING_DEL).
 *
 * JSON of "show", an array of: {"hoa":"2001:db8:1::10","cn":"2001:db8:2::20",
 *   "role":"cn","state":"confirmed","coa":"2001:db8:3::10","seq":4660,
 *   "lifetime":240,"lt_en":1024,"max_lifetime":0,"reqid":0,
 *   "unconfirmed":0} and with -s "packets", "bytes", "updates".  "coa",
 *   "lifetime" and "unconfirmed" only while bound, "seq" once a BU was
 *   accepted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbuctl.h"
#include "lib/names.h"

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: cbuctl [ -j [ -p ] ] [ -s ] binding [ show [ HOA CN ] ]\n"
		"       cbuctl binding del HOA CN\n"
		"       cbuctl binding help\n"
		"Where: HOA  := the mobile node's home address (IPv6)\n"
		"       CN   := the correspondent's address (IPv6)\n"
		"show  lists the entries of the binding cache, one a line, or\n"
		"      the entry of (HOA, CN): role, state (keyed, unconfirmed,\n"
		"      confirmed, stopped), the care-of address bound, the last\n"
		"      Seq# accepted, the seconds left of the binding, LT_EN;\n"
		"      with -s also packets and bytes sent through the binding\n"
		"      and the BUs (cn) or BAs (mn) accepted.\n"
		"del   drops the binding of (HOA, CN) and keeps its keys.\n");
}

static const struct arg_name binding_args[] = {
	{ CBU_A_BCE_HOA, "HOA" },
	{ CBU_A_BCE_CN, "CN" },
	{ 0, NULL },
};

static void print_addr(enum output_type t, const char *key, const char *fmt,
		       const struct in6_addr *a)
{
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, buf, sizeof(buf));
	print_string(t, key, fmt, buf);
}

/* A name from names.c, or the number for a value this build lacks. */
static void print_name(enum output_type t, const char *key, const char *fmt,
		       const char *name, unsigned int value)
{
	char num[16];

	if (!name) {
		snprintf(num, sizeof(num), "%u", value);
		name = num;
	}
	print_string(t, key, fmt, name);
}

/*
 * One entry.  As a list line: "HOA cn CN role R state S [coa A]
 * [peer-coa P] [seq N] [lifetime N] lt-en N [max-lifetime N] [reqid N]
 * [unconfirmed N]"; as an event (@event): "hoa H cn C state S [coa A]
 * [peer-coa P] [seq N]".  JSON carries
 * every field either way.
 */
void print_binding(const struct cbu_binding_info *b, bool event)
{
	const enum output_type list_only = event ? PRINT_JSON : PRINT_ANY;

	print_addr(PRINT_ANY, "hoa", event ? "hoa %s" : "%s", &b->hoa);
	print_addr(PRINT_ANY, "cn", " cn %s", &b->cn);
	print_name(list_only, "role", " role %s", cbu_role_name(b->role),
		   b->role);
	print_name(PRINT_ANY, "state", " state %s", cbu_state_name(b->state),
		   b->state);
	if (b->has & CBU_HAS(CBU_A_BCE_COA))
		print_addr(PRINT_ANY, "coa", " coa %s", &b->coa);
	if (b->has & CBU_HAS(CBU_A_BCE_PEER_COA))
		print_addr(PRINT_ANY, "peer_coa", " peer-coa %s", &b->peer_coa);
	if (b->has & CBU_HAS(CBU_A_BCE_SEQ))
		print_uint(PRINT_ANY, "seq", " seq %u", b->seq);
	if (b->has & CBU_HAS(CBU_A_BCE_LIFETIME))
		print_uint(list_only, "lifetime", " lifetime %u", b->lifetime);
	print_uint(list_only, "lt_en", " lt-en %u", b->lt_en);
	/* Text shows the settings and counts that are not their default. */
	print_uint(PRINT_JSON, "max_lifetime", NULL, b->max_lifetime);
	if (b->max_lifetime && !event)
		print_uint(PRINT_FP, NULL, " max-lifetime %u", b->max_lifetime);
	print_uint(PRINT_JSON, "reqid", NULL, b->reqid);
	if (b->reqid && !event)
		print_uint(PRINT_FP, NULL, " reqid %u", b->reqid);
	if (b->has & CBU_HAS(CBU_A_BCE_UNCONFIRMED)) {
		print_uint(PRINT_JSON, "unconfirmed", NULL, b->unconfirmed);
		if (!event && (b->state == CBU_BCE_UNCONFIRMED ||
			       b->state == CBU_BCE_STOPPED))
			print_uint(PRINT_FP, NULL, " unconfirmed %u",
				   b->unconfirmed);
	}
	if (show_stats && !event) {
		print_nl();
		print_u64(PRINT_ANY, "packets", "    packets %llu", b->packets);
		print_u64(PRINT_ANY, "bytes", " bytes %llu", b->bytes);
		print_u64(PRINT_ANY, "updates", " updates %llu", b->updates);
	}
}

static int collect(const struct cbu_binding_info *b, void *arg)
{
	return vec_push(arg, b, sizeof(*b));
}

static void print_list(const struct vec *l)
{
	const struct cbu_binding_info *v = l->v;
	size_t i;

	new_json_array(stdout, json, pretty);
	for (i = 0; i < l->n; i++) {
		open_json_object(NULL);
		print_binding(&v[i], false);
		close_json_object();
		print_nl();
	}
	delete_json_obj();
}

static int binding_show(int argc, char **argv)
{
	const char *what = "binding show";
	struct vec l = { .v = NULL };
	struct in6_addr hoa, cn;
	struct cbu_genl_err err;
	struct cbu_genl g;
	int ret, tries;

	if (argc == 1 || argc > 2) {
		errorf("%s: HOA and CN, or nothing", what);
		return EXIT_USAGE;
	}
	if (argc == 2 && (arg_addr(what, "HOA", argv[0], &hoa) ||
			  arg_addr(what, "CN", argv[1], &cn)))
		return EXIT_USAGE;

	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	if (argc == 2) {
		l.v = calloc(1, sizeof(struct cbu_binding_info));
		if (!l.v) {
			ret = -ENOMEM;
		} else {
			ret = cbu_binding_get(&g, &hoa, &cn, l.v, &err);
			l.n = !ret;
		}
	} else {
		for (tries = 0; tries < DUMP_TRIES; tries++) {
			l.n = 0;
			ret = cbu_binding_dump(&g, collect, &l, &err);
			if (ret != -EAGAIN)
				break;
		}
	}
	cbu_genl_close(&g);

	if (ret == -EAGAIN)
		errorf("%s: the binding cache kept changing during the dump",
		       what);
	else if (ret == -EPROTO)
		errorf("%s: cbu.ko's reply lacks an attribute", what);
	else if (ret < 0)
		report_genl_err_arg(what, ret, &err, CBU_A_BINDING,
				    binding_args);
	else
		print_list(&l);
	free(l.v);
	return ret < 0 ? EXIT_FAILURE : 0;
}

static int binding_del(int argc, char **argv)
{
	const char *what = "binding del";
	struct in6_addr hoa, cn;
	struct cbu_genl_err err;
	struct cbu_genl g;
	int ret;

	if (argc != 2) {
		errorf("%s: needs HOA and CN", what);
		return EXIT_USAGE;
	}
	if (arg_addr(what, "HOA", argv[0], &hoa) ||
	    arg_addr(what, "CN", argv[1], &cn))
		return EXIT_USAGE;
	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	ret = cbu_binding_del(&g, &hoa, &cn, &err);
	cbu_genl_close(&g);
	if (ret < 0) {
		report_genl_err_arg(what, ret, &err, CBU_A_BINDING,
				    binding_args);
		return EXIT_FAILURE;
	}
	return 0;
}

int do_binding(int argc, char **argv)
{
	if (argc < 1)
		return binding_show(0, NULL);
	if (is(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (is(argv[0], "show"))
		return binding_show(argc - 1, argv + 1);
	if (is(argv[0], "del"))
		return binding_del(argc - 1, argv + 1);
	errorf("binding: unknown command \"%s\", try \"cbuctl binding help\"",
	       argv[0]);
	return EXIT_USAGE;
}
