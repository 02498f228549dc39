// SPDX-License-Identifier: GPL-2.0
/*
 * cbuctl cert: the offline CA's tool.  Creates Ed25519 keys, issues Cert_HA
 * and Cert_CN (signed by the CA) and Cert_MN (signed by an HA), shows and
 * verifies certificates.  Needs neither cbu.ko nor privileges.
 *
 * Private keys are read from files or standard input only: no argument
 * carries key material, so none ends up in shell history or ps(1).
 *
 * JSON of "show": {"kind":"ha","subject":"2001:db8:1::","prefix_len":64,
 *   "public_key":"<base64>","valid_from":N,"valid_until":N,
 *   "issuer":"<16 hex digits>","version":1,"suite":1}
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cbuctl.h"
#include "lib/armor.h"
#include "lib/cert.h"
#include "lib/crypto.h"

#define SECS_PER_DAY		86400ULL
#define DEFAULT_DAYS		365
/* "2001:db8::/128" at its longest, and a ISO-8601 date of a 64-bit time. */
#define SUBJECT_STR_LEN		(INET6_ADDRSTRLEN + 4)
#define TIME_STR_LEN		40
/* The armour of the largest object written here, a certificate. */
#define ARMOR_BUF_LEN		512

static void usage(FILE *fp)
{
	fprintf(fp,
		"Usage: cbuctl cert genkey [ out FILE ]\n"
		"       cbuctl cert pubkey [ key FILE ] [ out FILE ]\n"
		"       cbuctl cert issue SUBJECT pubkey FILE key FILE [ issuer CERTFILE ]\n"
		"                         [ from TIME ] [ { days N | until TIME } ] [ out FILE ]\n"
		"       cbuctl [ -j [ -p ] ] cert show [ FILE ]\n"
		"       cbuctl [ -j [ -p ] ] cert verify FILE\n"
		"                          { ca PUBFILE | issuer CERTFILE [ ca PUBFILE ] }\n"
		"                          [ address ADDR ] [ at TIME ]\n"
		"       cbuctl cert help\n"
		"Where: SUBJECT  := { ha PREFIX/LEN | cn ADDR[/LEN] | mn ADDR |\n"
		"                     map PREFIX/LEN }\n"
		"       FILE     := a file, or \"-\" for standard input or output;\n"
		"                   keys and certificates are read from standard\n"
		"                   input and written to standard output by default\n"
		"       TIME     := { SECONDS | YYYY-MM-DD | YYYY-MM-DDTHH:MM:SSZ }\n"
		"                   seconds since the epoch or an ISO-8601 UTC time\n"
		"       N        := days of validity, 1 or more (default %u)\n"
		"genkey  makes a private key, written mode 0600; never overwrites.\n"
		"pubkey  prints the public key of a private key.\n"
		"issue   signs the public key in \"pubkey\" with the private key in\n"
		"        \"key\": the CA's for ha, cn and map; for mn the HA's, whose\n"
		"        certificate \"issuer\" must contain the home address.\n"
		"        \"from\" defaults to now; an mn certificate never outlives\n"
		"        its issuer's.\n"
		"show    prints every field of a certificate.\n"
		"verify  checks a certificate: ha, cn and map against the CA's public\n"
		"        key, mn against its HA's certificate (and that against the\n"
		"        CA's key if \"ca\" is also given); \"address\" must be\n"
		"        covered.  Prints \"ok\" and exits 0, or exits 1; with -j\n"
		"        {\"valid\":true} or {\"valid\":false,\"reason\":...}.\n",
		DEFAULT_DAYS);
}

static int missing_arg(const char *kw)
{
	errorf("cert: \"%s\" needs an argument", kw);
	return EXIT_USAGE;
}

static int dup_arg(const char *kw)
{
	errorf("cert: \"%s\" given twice", kw);
	return EXIT_USAGE;
}

static int unknown_arg(const char *cmd, const char *arg)
{
	errorf("cert %s: unknown argument \"%s\", try \"cbuctl cert help\"",
	       cmd, arg);
	return EXIT_USAGE;
}

/* Take the argument of keyword *argv into @dst; usage errors return. */
#define KW_ARG(dst)						\
	do {							\
		if (dst)					\
			return dup_arg(*argv);			\
		if (argc < 2)					\
			return missing_arg(*argv);		\
		argc--;						\
		argv++;						\
		(dst) = *argv;					\
	} while (0)

static const char *display(const char *path)
{
	return strcmp(path, "-") ? path : "standard input";
}

/* 0..max from decimal digits only: no sign, no spaces, no base prefix. */
static int parse_u64(const char *s, uint64_t max, uint64_t *v)
{
	uint64_t r = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (r > (max - (uint64_t)(*s - '0')) / 10)
			return -1;
		r = r * 10 + (uint64_t)(*s - '0');
	}
	*v = r;
	return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Two digits at @s, or -1. */
static int two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* SECONDS, YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC). */
static int parse_time(const char *s, uint64_t *t)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
				     30, 31 };
	size_t len = strlen(s);
	int y1, y2, mo, d, h = 0, mi = 0, sec = 0, dim;
	int64_t y, days;

	if (len != 10 && len != 20)
		return parse_u64(s, UINT64_MAX, t);
	y1 = two_digits(s);
	y2 = two_digits(s + 2);
	mo = two_digits(s + 5);
	d = two_digits(s + 8);
	if (y1 < 0 || y2 < 0 || mo < 0 || d < 0 || s[4] != '-' || s[7] != '-')
		return parse_u64(s, UINT64_MAX, t);
	if (len == 20) {
		h = two_digits(s + 11);
		mi = two_digits(s + 14);
		sec = two_digits(s + 17);
		if (s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
		    s[19] != 'Z' || h < 0 || mi < 0 || sec < 0)
			return -1;
	}
	y = y1 * 100 + y2;
	if (y < 1970 || mo < 1 || mo > 12 || h > 23 || mi > 59 || sec > 59)
		return -1;
	dim = mdays[mo - 1] + (mo == 2 && leap(y));
	if (d < 1 || d > dim)
		return -1;
	days = days_from_civil(y, mo, d);
	*t = (uint64_t)days * SECS_PER_DAY +
	     (uint64_t)(h * 3600 + mi * 60 + sec);
	return 0;
}

static void format_time(char *buf, size_t size, uint64_t t)
{
	int64_t y;
	int m, d;
	uint64_t s = t % SECS_PER_DAY;

	civil_from_days((int64_t)(t / SECS_PER_DAY), &y, &m, &d);
	snprintf(buf, size, "%04lld-%02d-%02dT%02u:%02u:%02uZ", (long long)y, m,
		 d, (unsigned int)(s / 3600), (unsigned int)(s / 60 % 60),
		 (unsigned int)(s % 60));
}

/* ADDR, or ADDR/LEN when @len is not NULL (LEN then defaults to @dflt). */
static int parse_addr(const char *arg, uint8_t addr[CBU_ADDR_LEN],
		      unsigned int *len, unsigned int dflt)
{
	char buf[INET6_ADDRSTRLEN];
	const char *slash = strchr(arg, '/');
	size_t alen = slash ? (size_t)(slash - arg) : strlen(arg);
	uint64_t plen = dflt;

	if (slash && !len)
		return -1;
	if (alen >= sizeof(buf))
		return -1;
	memcpy(buf, arg, alen);
	buf[alen] = '\0';
	if (inet_pton(AF_INET6, buf, addr) != 1)
		return -1;
	if (slash && parse_u64(slash + 1, 128, &plen) < 0)
		return -1;
	if (len)
		*len = (unsigned int)plen;
	return 0;
}

static void format_subject(char *buf, size_t size, const uint8_t *addr,
			   unsigned int plen)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, addr, a, sizeof(a));
	snprintf(buf, size, "%s/%u", a, plen);
}

static void mask_prefix(uint8_t addr[CBU_ADDR_LEN], unsigned int plen)
{
	unsigned int i;

	for (i = plen; i < 128; i++)
		addr[i / 8] &= (uint8_t)~(0x80 >> (i % 8));
}

static int read_seed(const char *path, uint8_t seed[CBU_SEED_LEN])
{
	const char *why;
	size_t len;

	if (cbu_armor_read_file(path, CBU_ARMOR_PRIVATE_KEY, seed,
				CBU_SEED_LEN, &len, &why) < 0) {
		errorf("%s: %s", display(path), why);
		return -1;
	}
	if (len != CBU_SEED_LEN) {
		sodium_memzero(seed, CBU_SEED_LEN);
		errorf("%s: a private key is %u octets, this one %zu",
		       display(path), CBU_SEED_LEN, len);
		return -1;
	}
	return 0;
}

static int read_pubkey(const char *path, uint8_t pub[CBU_PUBKEY_LEN])
{
	const char *why;
	size_t len;

	if (cbu_armor_read_file(path, CBU_ARMOR_PUBLIC_KEY, pub,
				CBU_PUBKEY_LEN, &len, &why) < 0) {
		errorf("%s: %s", display(path), why);
		return -1;
	}
	if (len != CBU_PUBKEY_LEN) {
		errorf("%s: a public key is %u octets, this one %zu",
		       display(path), CBU_PUBKEY_LEN, len);
		return -1;
	}
	return 0;
}

static int read_cert(const char *path, struct cbu_cert *c)
{
	/* One octet more, so that cbu_cert_decode() names an overlong one. */
	uint8_t buf[CBU_CERT_LEN + 1];
	const char *why;
	size_t len;

	if (cbu_armor_read_file(path, CBU_ARMOR_CERT, buf, sizeof(buf), &len,
				&why) < 0 ||
	    cbu_cert_decode(c, buf, len, &why) < 0) {
		errorf("%s: %s", display(path), why);
		return -1;
	}
	return 0;
}

/* Armour @data and write it to @path (NULL: standard output). */
static int write_armored(const char *path, const char *label,
			 const uint8_t *data, size_t len, mode_t mode,
			 unsigned int flags)
{
	char buf[ARMOR_BUF_LEN];
	int n, err;

	n = cbu_armor_encode(label, data, len, buf, sizeof(buf));
	if (n < 0) {
		errorf("cannot armour the %s: %s", label, strerror(-n));
		return -1;
	}
	err = cbu_file_write(path ? path : "-", buf, (size_t)n, mode, flags);
	sodium_memzero(buf, sizeof(buf));
	if (err == -EEXIST)
		errorf("%s: exists; refusing to overwrite a private key", path);
	else if (err < 0)
		errorf("cannot write %s: %s",
		       path && strcmp(path, "-") ? path : "standard output",
		       strerror(-err));
	return err < 0 ? -1 : 0;
}

static bool to_stdout(const char *out)
{
	return !out || !strcmp(out, "-");
}

static int do_genkey(int argc, char **argv)
{
	uint8_t seed[CBU_SEED_LEN], pub[CBU_PUBKEY_LEN];
	const char *out = NULL;
	struct stat st;
	int ret;

	for (; argc > 0; argc--, argv++) {
		if (is(*argv, "out")) {
			KW_ARG(out);
		} else if (is(*argv, "help")) {
			usage(stdout);
			return 0;
		} else {
			return unknown_arg("genkey", *argv);
		}
	}

	/* As `wg genkey`: a key redirected into a readable file is a leak. */
	if (to_stdout(out) && !fstat(STDOUT_FILENO, &st) &&
	    S_ISREG(st.st_mode) && (st.st_mode & (S_IRWXG | S_IRWXO)))
		errorf("warning: writing a private key to a file others can read; consider umask 077");

	cbu_sign_keypair(pub, seed);
	ret = write_armored(out, CBU_ARMOR_PRIVATE_KEY, seed, sizeof(seed),
			    0600, CBU_FILE_EXCL);
	sodium_memzero(seed, sizeof(seed));
	return ret ? EXIT_FAILURE : 0;
}

static int do_pubkey(int argc, char **argv)
{
	uint8_t seed[CBU_SEED_LEN], pub[CBU_PUBKEY_LEN];
	const char *key = NULL, *out = NULL;

	for (; argc > 0; argc--, argv++) {
		if (is(*argv, "key")) {
			KW_ARG(key);
		} else if (is(*argv, "out")) {
			KW_ARG(out);
		} else if (is(*argv, "help")) {
			usage(stdout);
			return 0;
		} else {
			return unknown_arg("pubkey", *argv);
		}
	}

	if (read_seed(key ? key : "-", seed) < 0)
		return EXIT_FAILURE;
	cbu_sign_pubkey(pub, seed);
	sodium_memzero(seed, sizeof(seed));
	if (write_armored(out, CBU_ARMOR_PUBLIC_KEY, pub, sizeof(pub), 0644, 0))
		return EXIT_FAILURE;
	return 0;
}

struct issue_args {
	uint8_t kind;
	const char *subject, *pubkey, *key, *issuer, *out;
	const char *from, *days, *until;
	uint8_t addr[CBU_ADDR_LEN];
	unsigned int plen;
	uint64_t ndays;
	uint64_t valid_from, valid_until;
};

/* valid_until from a day count, or -1 if it does not fit 64 bits. */
static int add_days(uint64_t from, uint64_t days, uint64_t *until)
{
	if (days > (UINT64_MAX - from) / SECS_PER_DAY)
		return -1;
	*until = from + days * SECS_PER_DAY;
	return 0;
}

/* SUBJECT into @a->addr and @a->plen. */
static int parse_subject(struct issue_args *a)
{
	char good[SUBJECT_STR_LEN];
	uint8_t masked[CBU_ADDR_LEN];

	switch (a->kind) {
	case CBU_CERT_HA:
	case CBU_CERT_MAP:
		if (!strchr(a->subject, '/') ||
		    parse_addr(a->subject, a->addr, &a->plen, 128) < 0) {
			errorf("cert issue: \"%s\" is not an IPv6 PREFIX/LEN",
			       a->subject);
			return -1;
		}
		break;
	case CBU_CERT_CN:
		if (parse_addr(a->subject, a->addr, &a->plen, 128) < 0) {
			errorf("cert issue: \"%s\" is not an IPv6 ADDR[/LEN]",
			       a->subject);
			return -1;
		}
		break;
	default:
		a->plen = 128;
		if (parse_addr(a->subject, a->addr, NULL, 128) < 0) {
			errorf("cert issue: \"%s\" is not an IPv6 address (a home address has no /LEN)",
			       a->subject);
			return -1;
		}
	}
	/* The decoder refuses host bits: say so now, with the fix. */
	memcpy(masked, a->addr, sizeof(masked));
	mask_prefix(masked, a->plen);
	if (memcmp(masked, a->addr, sizeof(masked))) {
		format_subject(good, sizeof(good), masked, a->plen);
		errorf("cert issue: \"%s\" has host bits set; did you mean %s?",
		       a->subject, good);
		return -1;
	}
	return 0;
}

/* from, days and until into @a->valid_from and @a->valid_until. */
static int parse_window(struct issue_args *a)
{
	if (a->from && parse_time(a->from, &a->valid_from) < 0) {
		errorf("cert issue: invalid TIME \"%s\"", a->from);
		return -1;
	}
	if (!a->from)
		a->valid_from = (uint64_t)time(NULL);
	if (a->days && a->until) {
		errorf("cert issue: \"days\" or \"until\", not both");
		return -1;
	}
	a->ndays = DEFAULT_DAYS;
	if (a->days && (parse_u64(a->days, UINT64_MAX, &a->ndays) < 0 ||
			!a->ndays)) {
		errorf("cert issue: invalid number of days \"%s\"", a->days);
		return -1;
	}
	if (a->until) {
		if (parse_time(a->until, &a->valid_until) < 0) {
			errorf("cert issue: invalid TIME \"%s\"", a->until);
			return -1;
		}
		if (a->valid_until < a->valid_from) {
			errorf("cert issue: \"until\" is before \"from\"");
			return -1;
		}
	}
	if (!a->until && add_days(a->valid_from, a->ndays, &a->valid_until)) {
		errorf("cert issue: \"days\" goes beyond 64-bit time");
		return -1;
	}
	return 0;
}

/*
 * The grammar and every check that needs no file: 0, EXIT_USAGE, or -1
 * when "help" was asked for (and printed).
 */
static int issue_parse(struct issue_args *a, int argc, char **argv)
{
	int n_stdin;

	for (; argc > 0; argc--, argv++) {
		const char *kw = *argv;

		if (is(kw, "ha") || is(kw, "cn") || is(kw, "mn") ||
		    is(kw, "map")) {
			if (a->subject) {
				errorf("cert issue: one subject only (ha, cn, mn or map)");
				return EXIT_USAGE;
			}
			KW_ARG(a->subject);
			a->kind = is(kw, "ha") ? CBU_CERT_HA :
				  is(kw, "cn") ? CBU_CERT_CN :
				  is(kw, "mn") ? CBU_CERT_MN : CBU_CERT_MAP;
		} else if (is(kw, "pubkey")) {
			KW_ARG(a->pubkey);
		} else if (is(kw, "key")) {
			KW_ARG(a->key);
		} else if (is(kw, "issuer")) {
			KW_ARG(a->issuer);
		} else if (is(kw, "from")) {
			KW_ARG(a->from);
		} else if (is(kw, "days")) {
			KW_ARG(a->days);
		} else if (is(kw, "until")) {
			KW_ARG(a->until);
		} else if (is(kw, "out")) {
			KW_ARG(a->out);
		} else if (is(kw, "help")) {
			usage(stdout);
			return -1;
		} else {
			return unknown_arg("issue", kw);
		}
	}

	if (!a->subject || !a->pubkey || !a->key) {
		errorf("cert issue: needs { ha | cn | mn | map } SUBJECT, pubkey FILE and key FILE");
		return EXIT_USAGE;
	}
	if (a->kind == CBU_CERT_MN && !a->issuer) {
		errorf("cert issue: mn needs \"issuer\", the HA's certificate");
		return EXIT_USAGE;
	}
	if (a->kind != CBU_CERT_MN && a->issuer) {
		errorf("cert issue: \"issuer\" is for mn only; the CA signs ha, cn and map");
		return EXIT_USAGE;
	}
	n_stdin = !strcmp(a->pubkey, "-") + !strcmp(a->key, "-") +
		  (a->issuer && !strcmp(a->issuer, "-"));
	if (n_stdin > 1) {
		errorf("cert issue: only one of pubkey, key and issuer can be standard input");
		return EXIT_USAGE;
	}

	if (parse_subject(a) < 0 || parse_window(a) < 0)
		return EXIT_USAGE;
	return 0;
}

/*
 * An MN certificate lies within its HA certificate's window: defaults are
 * pulled in, explicit times that stick out are refused.
 */
static int mn_window(struct issue_args *a, const struct cbu_cert *ha)
{
	char t[TIME_STR_LEN];
	bool clamped = false;

	if (a->valid_from < ha->valid_from) {
		if (a->from) {
			format_time(t, sizeof(t), ha->valid_from);
			errorf("cert issue: \"from\" is before the HA certificate's start, %s",
			       t);
			return -1;
		}
		a->valid_from = ha->valid_from;
		if (!a->until && add_days(a->valid_from, a->ndays,
					  &a->valid_until) < 0)
			a->valid_until = UINT64_MAX;
	}
	format_time(t, sizeof(t), ha->valid_until);
	if (a->valid_until > ha->valid_until) {
		if (a->days || a->until) {
			errorf("cert issue: an MN certificate cannot outlive its HA certificate (valid until %s)",
			       t);
			return -1;
		}
		a->valid_until = ha->valid_until;
		clamped = true;
	}
	if (a->valid_from > a->valid_until) {
		errorf("cert issue: the window asked for lies outside the HA certificate's, which ends %s",
		       t);
		return -1;
	}
	if (clamped)
		errorf("note: validity ends with the HA certificate's, %s", t);
	return 0;
}

static int do_issue(int argc, char **argv)
{
	struct issue_args a = { 0 };
	uint8_t seed[CBU_SEED_LEN], wire[CBU_CERT_LEN];
	struct cbu_sign_key key;
	char sub[SUBJECT_STR_LEN];
	struct cbu_cert c = { 0 }, ha = { 0 };
	const char *why;
	int ret;

	ret = issue_parse(&a, argc, argv);
	if (ret)
		return ret < 0 ? 0 : ret;

	if (read_pubkey(a.pubkey, c.public_key) < 0)
		return EXIT_FAILURE;
	if (a.kind == CBU_CERT_MN) {
		if (read_cert(a.issuer, &ha) < 0)
			return EXIT_FAILURE;
		if (ha.kind != CBU_CERT_HA) {
			errorf("%s: not an HA certificate", display(a.issuer));
			return EXIT_FAILURE;
		}
		if (!cbu_cert_covers(&ha, a.addr)) {
			format_subject(sub, sizeof(sub), ha.subject,
				       ha.prefix_len);
			errorf("cert issue: home address %s is outside the HA certificate's prefix %s",
			       a.subject, sub);
			return EXIT_FAILURE;
		}
		if (mn_window(&a, &ha) < 0)
			return EXIT_FAILURE;
	}

	if (read_seed(a.key, seed) < 0)
		return EXIT_FAILURE;
	cbu_sign_key_init(&key, seed);
	sodium_memzero(seed, sizeof(seed));
	if (a.kind == CBU_CERT_MN) {
		if (sodium_memcmp(cbu_sign_key_pub(&key), ha.public_key,
				  CBU_PUBKEY_LEN)) {
			sodium_memzero(&key, sizeof(key));
			errorf("%s: not the key of the issuer certificate %s",
			       display(a.key), display(a.issuer));
			return EXIT_FAILURE;
		}
	}

	c.version = CBU_CERT_VERSION;
	c.suite = CBU_SUITE_1;
	c.kind = a.kind;
	c.prefix_len = (uint8_t)a.plen;
	c.valid_from = a.valid_from;
	c.valid_until = a.valid_until;
	memcpy(c.subject, a.addr, sizeof(c.subject));
	if (cbu_cert_check(&c, &why) < 0) {
		sodium_memzero(&key, sizeof(key));
		errorf("cert issue: %s", why);
		return EXIT_FAILURE;
	}
	cbu_cert_sign(&c, &key);
	sodium_memzero(&key, sizeof(key));

	cbu_cert_encode(wire, &c);
	if (write_armored(a.out, CBU_ARMOR_CERT, wire, sizeof(wire), 0644, 0))
		return EXIT_FAILURE;
	return 0;
}

static void print_cert(const struct cbu_cert *c)
{
	char a[INET6_ADDRSTRLEN], t[TIME_STR_LEN];
	char b64[sodium_base64_ENCODED_LEN(CBU_PUBKEY_LEN,
					   sodium_base64_VARIANT_ORIGINAL)];
	char hex[2 * CBU_KEYID_LEN + 1];

	inet_ntop(AF_INET6, c->subject, a, sizeof(a));
	sodium_bin2base64(b64, sizeof(b64), c->public_key, CBU_PUBKEY_LEN,
			  sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2hex(hex, sizeof(hex), c->issuer, CBU_KEYID_LEN);

	new_json_obj(stdout, json, pretty);
	print_string(PRINT_ANY, "kind", "kind %s\n",
		     cbu_cert_kind_name(c->kind));
	print_string(PRINT_ANY, "subject", "subject %s", a);
	print_uint(PRINT_ANY, "prefix_len", "/%u\n", c->prefix_len);
	print_string(PRINT_ANY, "public_key", "public_key %s\n", b64);
	format_time(t, sizeof(t), c->valid_from);
	print_string(PRINT_FP, NULL, "valid_from %s", t);
	print_u64(PRINT_ANY, "valid_from", " (%llu)\n", c->valid_from);
	format_time(t, sizeof(t), c->valid_until);
	print_string(PRINT_FP, NULL, "valid_until %s", t);
	print_u64(PRINT_ANY, "valid_until", " (%llu)\n", c->valid_until);
	print_string(PRINT_ANY, "issuer", "issuer %s\n", hex);
	print_uint(PRINT_ANY, "version", "version %u", c->version);
	print_uint(PRINT_ANY, "suite", " suite %u\n", c->suite);
	delete_json_obj();
}

static int do_show(int argc, char **argv)
{
	const char *file = "-";
	struct cbu_cert c;

	if (argc > 0) {
		if (is(argv[0], "help")) {
			usage(stdout);
			return 0;
		}
		file = argv[0];
	}
	if (argc > 1)
		return unknown_arg("show", argv[1]);
	if (read_cert(file, &c) < 0)
		return EXIT_FAILURE;
	print_cert(&c);
	return fflush(stdout) ? EXIT_FAILURE : 0;
}

/*
 * Verify @c as the arguments ask: 0; 1 if a file could not be read (that
 * has been reported); or a negative errno with *why.
 */
static int verify_cert(const struct cbu_cert *c, const char *ca_file,
		       const char *issuer_file, const uint8_t *addr,
		       uint64_t now, const char **why)
{
	uint8_t ca[CBU_PUBKEY_LEN];
	struct cbu_cert ha;
	int err;

	if (ca_file && read_pubkey(ca_file, ca) < 0)
		return 1;
	if (c->kind != CBU_CERT_MN) {
		if (!addr)
			return cbu_cert_verify(c, ca, now, why);
		if (c->kind == CBU_CERT_HA)
			return cbu_cert_verify_ha_for_hoa(NULL, c, ca, addr, now,
							  why);
		if (c->kind == CBU_CERT_MAP)
			return cbu_cert_verify_map(NULL, c, ca, addr, addr,
						   now, why);
		return cbu_cert_verify_cn(c, ca, addr, now, why);
	}

	if (read_cert(issuer_file, &ha) < 0)
		return 1;
	if (ca_file) {
		if (ha.kind != CBU_CERT_HA) {
			*why = "issuer certificate is not an HA certificate";
			return -EKEYREJECTED;
		}
		err = cbu_cert_verify(&ha, ca, now, why);
		if (err) {
			/* Say which of the two certificates failed. */
			*why = err == -EKEYEXPIRED ?
			       "HA certificate outside its validity window" :
			       "HA certificate not valid under the CA key";
			return err;
		}
	}
	err = cbu_cert_verify_mn(c, &ha, now, why);
	if (!err && addr && !cbu_cert_covers(c, addr)) {
		*why = "not the certificate's home address";
		err = -EADDRNOTAVAIL;
	}
	return err;
}

static int do_verify(int argc, char **argv)
{
	const char *file, *ca = NULL, *issuer = NULL, *address = NULL;
	const char *at = NULL, *why = NULL;
	uint8_t addr[CBU_ADDR_LEN];
	struct cbu_cert c;
	uint64_t now;
	int n_stdin, err;

	if (argc < 1) {
		errorf("cert verify: needs FILE");
		return EXIT_USAGE;
	}
	if (is(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	file = argv[0];
	for (argc--, argv++; argc > 0; argc--, argv++) {
		if (is(*argv, "ca"))
			KW_ARG(ca);
		else if (is(*argv, "issuer"))
			KW_ARG(issuer);
		else if (is(*argv, "address"))
			KW_ARG(address);
		else if (is(*argv, "at"))
			KW_ARG(at);
		else
			return unknown_arg("verify", *argv);
	}
	if (!ca && !issuer) {
		errorf("cert verify: needs \"ca\" (for ha, cn, map) or \"issuer\" (for mn)");
		return EXIT_USAGE;
	}
	n_stdin = !strcmp(file, "-") + (ca && !strcmp(ca, "-")) +
		  (issuer && !strcmp(issuer, "-"));
	if (n_stdin > 1) {
		errorf("cert verify: only one file can be standard input");
		return EXIT_USAGE;
	}
	if (address && parse_addr(address, addr, NULL, 128) < 0) {
		errorf("cert verify: \"%s\" is not an IPv6 address", address);
		return EXIT_USAGE;
	}
	if (at && parse_time(at, &now) < 0) {
		errorf("cert verify: invalid TIME \"%s\"", at);
		return EXIT_USAGE;
	}
	if (!at)
		now = (uint64_t)time(NULL);

	if (read_cert(file, &c) < 0)
		return EXIT_FAILURE;
	if (c.kind == CBU_CERT_MN && !issuer) {
		errorf("cert verify: an mn certificate needs \"issuer\", its HA's certificate");
		return EXIT_USAGE;
	}
	if (c.kind != CBU_CERT_MN && (issuer || !ca)) {
		errorf("cert verify: a %s certificate is verified with \"ca\" only",
		       cbu_cert_kind_name(c.kind));
		return EXIT_USAGE;
	}

	err = verify_cert(&c, ca, issuer, address ? addr : NULL, now, &why);
	if (err > 0)
		return EXIT_FAILURE;	/* a file we could not read: said */
	if (err)
		errorf("%s: %s", display(file), why);
	/* -j: {"valid":true} or {"valid":false,"reason":"..."}, always. */
	if (json) {
		new_json_obj(stdout, json, pretty);
		print_bool(PRINT_JSON, "valid", NULL, !err);
		if (err)
			print_string(PRINT_JSON, "reason", NULL, why);
		delete_json_obj();
	} else if (!err) {
		puts("ok");
	}
	if (fflush(stdout))
		return EXIT_FAILURE;
	return err ? EXIT_FAILURE : 0;
}

int do_cert(int argc, char **argv)
{
	if (cbu_crypto_init() < 0) {
		errorf("cert: cannot initialise libsodium");
		return EXIT_FAILURE;
	}
	if (argc < 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (is(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (is(argv[0], "genkey"))
		return do_genkey(argc - 1, argv + 1);
	if (is(argv[0], "pubkey"))
		return do_pubkey(argc - 1, argv + 1);
	if (is(argv[0], "issue"))
		return do_issue(argc - 1, argv + 1);
	if (is(argv[0], "show"))
		return do_show(argc - 1, argv + 1);
	if (is(argv[0], "verify"))
		return do_verify(argc - 1, argv + 1);
	errorf("cert: unknown command \"%s\", try \"cbuctl cert help\"",
	       argv[0]);
	return EXIT_USAGE;
}
