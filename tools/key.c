// SPDX-License-Identifier: GPL-2.0
/*
 * cbuctl key: install, replace and delete the keys of binding cache
 * entries (CBU_CMD_KEY_NEW, _SET and _DEL).
 *
 * Keys are read from files or standard input only, in base64 as WireGuard
 * keys are written, so none ends up in shell history or ps(1); every buffer
 * that held one is wiped on every path.  The kernel never gives them back.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cbuctl.h"
#include "lib/armor.h"
#include "lib/names.h"

/* A 32-octet key in padded base64: 44 characters. */
#define KEY_B64_LEN	sodium_base64_ENCODED_LEN(CBU_KEY_LEN, \
				sodium_base64_VARIANT_ORIGINAL)

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: cbuctl key { add | change | replace } HOA CN role { cn | mn }\n"
		"                  [ k-bu FILE ] k-ba FILE [ lt-en SECONDS ]\n"
		"                  [ max-lifetime SECONDS ] [ reqid N ]\n"
		"       cbuctl key del HOA CN\n"
		"       cbuctl key help\n"
		"Where: HOA      := the mobile node's home address (IPv6)\n"
		"       CN       := the correspondent's address (IPv6)\n"
		"       role     := cn: this node is the correspondent; needs k-bu\n"
		"                   mn: this node is the mobile node; no k-bu\n"
		"       FILE     := a file holding a %u-octet key in base64 (%zu\n"
		"                   characters, as WireGuard keys), or \"-\" for\n"
		"                   standard input (one key at most)\n"
		"       lt-en    := LT_EN the BA announces, seconds, 0..262140\n"
		"       max-lifetime := the most lifetime a BA grants, seconds;\n"
		"                   0 for the namespace's (cbuctl param)\n"
		"       reqid    := reqid of the xfrm states carrying the binding's\n"
		"                   traffic, moved to a new care-of address (0: none)\n"
		"add      installs the keys of a new entry; fails if it exists.\n"
		"change   replaces the keys and the settings given of an existing\n"
		"         entry, keeping its binding; fails if there is none.\n"
		"replace  adds, or changes an existing entry (as ip route).\n"
		"del      deletes an entry, its keys and its binding.\n",
		CBU_KEY_LEN, (size_t)KEY_B64_LEN - 1);
}

/* The arguments a KEY_SET attribute comes from, for the kernel's errors. */
static const struct arg_name key_args[] = {
	{ CBU_A_BCE_HOA, "HOA" },
	{ CBU_A_BCE_CN, "CN" },
	{ CBU_A_BCE_ROLE, "role" },
	{ CBU_A_BCE_K_BU, "k-bu" },
	{ CBU_A_BCE_K_BA, "k-ba" },
	{ CBU_A_BCE_LT_EN, "lt-en" },
	{ CBU_A_BCE_MAX_LIFETIME, "max-lifetime" },
	{ CBU_A_BCE_REQID, "reqid" },
	{ 0, NULL },
};

static const char *display(const char *path)
{
	return strcmp(path, "-") ? path : "standard input";
}

/*
 * The key in the file @path ("-": standard input) into @key: base64 with
 * whitespace around it and nothing else.  0, or EXIT_FAILURE with why.
 */
static int read_key(const char *what, const char *kw, const char *path,
		    uint8_t key[CBU_KEY_LEN])
{
	/* Room to tell a longer key from garbage, and say how long it is. */
	uint8_t bin[2 * CBU_KEY_LEN];
	size_t len, start, end, n = 0;
	char *text;
	int ret;

	ret = cbu_file_read(path, &text, &len);
	if (ret) {
		errorf("%s: %s %s: %s", what, kw, display(path), strerror(-ret));
		return EXIT_FAILURE;
	}
	for (start = 0; start < len && isspace((unsigned char)text[start]);
	     start++)
		;
	for (end = len; end > start && isspace((unsigned char)text[end - 1]);
	     end--)
		;
	ret = EXIT_FAILURE;
	if (end == start)
		errorf("%s: %s %s: empty, expected a base64 key", what, kw,
		       display(path));
	else if (end - start > sodium_base64_ENCODED_LEN(sizeof(bin),
			sodium_base64_VARIANT_ORIGINAL) - 1)
		errorf("%s: %s %s: a key is %u octets in %zu base64 characters, not %zu",
		       what, kw, display(path), CBU_KEY_LEN,
		       (size_t)KEY_B64_LEN - 1, end - start);
	else if (sodium_base642bin(bin, sizeof(bin), text + start, end - start,
				   NULL, &n, NULL,
				   sodium_base64_VARIANT_ORIGINAL))
		errorf("%s: %s %s: not base64 (a key is %u octets in %zu base64 characters)",
		       what, kw, display(path), CBU_KEY_LEN,
		       (size_t)KEY_B64_LEN - 1);
	else if (n != CBU_KEY_LEN)
		errorf("%s: %s %s: a key is %u octets, this one %zu", what, kw,
		       display(path), CBU_KEY_LEN, n);
	else
		ret = 0;
	if (!ret)
		memcpy(key, bin, CBU_KEY_LEN);
	sodium_memzero(bin, sizeof(bin));
	cbu_file_free(text, len);
	return ret;
}

/* HOA CN, the first two arguments of every command. */
static int parse_pair(const char *what, int *argc, char ***argv,
		      struct in6_addr *hoa, struct in6_addr *cn)
{
	int ret;

	if (*argc < 2) {
		errorf("%s: needs HOA and CN", what);
		return EXIT_USAGE;
	}
	ret = arg_addr(what, "HOA", (*argv)[0], hoa);
	if (!ret)
		ret = arg_addr(what, "CN", (*argv)[1], cn);
	*argc -= 2;
	*argv += 2;
	return ret;
}

struct key_args {
	struct cbu_key_cfg cfg;
	bool has_role;
	const char *k_bu, *k_ba;
};

/* The grammar of add, replace and set: 0 or EXIT_USAGE. */
static int parse_key_set(const char *what, int argc, char **argv,
			 struct key_args *a)
{
	struct cbu_key_cfg *cfg = &a->cfg;
	const char *role;
	unsigned int bit, r;
	uint32_t *val;
	int ret;

	ret = parse_pair(what, &argc, &argv, &cfg->hoa, &cfg->cn);
	if (ret)
		return ret;
	for (; argc > 0; argc--, argv++) {
		if (is(*argv, "role")) {
			if (a->has_role)
				return arg_dup(what, *argv);
			ret = arg_next(what, &argc, &argv, &role);
			if (ret)
				return ret;
			if (cbu_role_parse(role, &r)) {
				errorf("%s: role \"%s\" is neither cn nor mn",
				       what, role);
				return EXIT_USAGE;
			}
			cfg->role = (uint8_t)r;
			a->has_role = true;
			continue;
		}
		if (is(*argv, "k-bu") || is(*argv, "k-ba")) {
			const char **path = is(*argv, "k-bu") ? &a->k_bu :
								 &a->k_ba;

			if (*path)
				return arg_dup(what, *argv);
			ret = arg_next(what, &argc, &argv, path);
			if (ret)
				return ret;
			continue;
		}
		if (is(*argv, "lt-en")) {
			bit = CBU_HAS(CBU_A_BCE_LT_EN);
			val = &cfg->lt_en;
		} else if (is(*argv, "max-lifetime")) {
			bit = CBU_HAS(CBU_A_BCE_MAX_LIFETIME);
			val = &cfg->max_lifetime;
		} else if (is(*argv, "reqid")) {
			bit = CBU_HAS(CBU_A_BCE_REQID);
			val = &cfg->reqid;
		} else {
			return arg_unknown(what, *argv, "key");
		}
		if (cfg->has & bit)
			return arg_dup(what, *argv);
		ret = arg_u32(what, &argc, &argv, val);
		if (ret)
			return ret;
		cfg->has |= bit;
	}
	if (!a->has_role) {
		errorf("%s: needs role { cn | mn }", what);
		return EXIT_USAGE;
	}
	if (!a->k_ba) {
		errorf("%s: needs k-ba FILE", what);
		return EXIT_USAGE;
	}
	if (a->k_bu && !strcmp(a->k_bu, "-") && !strcmp(a->k_ba, "-")) {
		errorf("%s: only one key can come from standard input", what);
		return EXIT_USAGE;
	}
	return 0;
}

/*
 * "replace": change, or create if there is nothing to change.  Another
 * writer may create or delete the entry in between; a few rounds settle it.
 */
#define KEY_SET_TRIES	3

static int key_new_or_set(struct cbu_genl *g, const struct cbu_key_cfg *cfg,
			  struct cbu_genl_err *err)
{
	int ret = -EAGAIN, i;

	for (i = 0; i < KEY_SET_TRIES; i++) {
		ret = cbu_key_set(g, cfg, err);
		if (ret != -ENOENT)
			break;
		ret = cbu_key_new(g, cfg, err);
		if (ret != -EEXIST)
			break;
	}
	return ret;
}

enum key_op {
	KEY_ADD,		/* KEY_NEW */
	KEY_CHANGE,		/* KEY_SET */
	KEY_REPLACE,		/* KEY_SET, or KEY_NEW if there is none */
};

static int key_set(const char *what, enum key_op op, int argc, char **argv)
{
	struct key_args a = { .k_bu = NULL };
	struct cbu_genl_err err;
	struct cbu_genl g;
	int ret;

	ret = parse_key_set(what, argc, argv, &a);
	if (ret)
		return ret;
	/* The kernel refuses these too; saying so here is clearer. */
	if (a.cfg.role == CBU_ROLE_CN && !a.k_bu) {
		errorf("%s: role cn needs k-bu: a correspondent verifies BUs with k_BU",
		       what);
		return EXIT_FAILURE;
	}
	if (a.cfg.role == CBU_ROLE_MN && a.k_bu) {
		errorf("%s: role mn takes no k-bu: a mobile node's kernel has no use for k_BU",
		       what);
		return EXIT_FAILURE;
	}

	ret = read_key(what, "k-ba", a.k_ba, a.cfg.k_ba);
	if (!ret && a.k_bu) {
		ret = read_key(what, "k-bu", a.k_bu, a.cfg.k_bu);
		a.cfg.has_k_bu = true;
	}
	if (ret)
		goto out;

	ret = EXIT_FAILURE;
	if (ctl_genl_open(&g) < 0)
		goto out;
	switch (op) {
	case KEY_ADD:
		ret = cbu_key_new(&g, &a.cfg, &err);
		break;
	case KEY_CHANGE:
		ret = cbu_key_set(&g, &a.cfg, &err);
		break;
	case KEY_REPLACE:
		ret = key_new_or_set(&g, &a.cfg, &err);
		break;
	}
	cbu_genl_close(&g);
	if (ret < 0) {
		report_genl_err_arg(what, ret, &err, CBU_A_BINDING, key_args);
		ret = EXIT_FAILURE;
	}
out:
	sodium_memzero(&a.cfg, sizeof(a.cfg));
	return ret;
}

static int key_del(int argc, char **argv)
{
	const char *what = "key del";
	struct in6_addr hoa, cn;
	struct cbu_genl_err err;
	struct cbu_genl g;
	int ret;

	ret = parse_pair(what, &argc, &argv, &hoa, &cn);
	if (ret)
		return ret;
	if (argc > 0)
		return arg_unknown(what, *argv, "key");
	if (ctl_genl_open(&g) < 0)
		return EXIT_FAILURE;
	ret = cbu_key_del(&g, &hoa, &cn, &err);
	cbu_genl_close(&g);
	if (ret < 0) {
		report_genl_err_arg(what, ret, &err, CBU_A_BINDING, key_args);
		return EXIT_FAILURE;
	}
	return 0;
}

int do_key(int argc, char **argv)
{
	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (is(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (is(argv[0], "add"))
		return key_set("key add", KEY_ADD, argc - 1, argv + 1);
	if (is(argv[0], "change"))
		return key_set("key change", KEY_CHANGE, argc - 1, argv + 1);
	if (is(argv[0], "replace"))
		return key_set("key replace", KEY_REPLACE, argc - 1, argv + 1);
	if (is(argv[0], "del"))
		return key_del(argc - 1, argv + 1);
	errorf("key: unknown command \"%s\", try \"cbuctl key help\"", argv[0]);
	return EXIT_USAGE;
}
