// SPDX-License-Identifier: GPL-2.0
/*
 * cbu-agent's configuration parser (agent/config.c): every key of every
 * section lands in its field, the defaults hold, repeated keys keep their
 * order up to their limit, and each kind of bad input is refused with the
 * exact message naming file and line and leaves the configuration zeroed.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <syslog.h>
#include <unistd.h>

#include "agent/config.h"
#include "ktest.h"

/* The smallest valid file for each role. */
#define MN_OK	"[mobile-node]\n"				\
		"home-address = 2001:db8:1::10\n"		\
		"home-agent = 2001:db8:1::1\n"			\
		"secret = /etc/cbu/mn.secret\n"			\
		"interface = eth0\n"
#define CA_OK	"[ca]\n"					\
		"public-key = /etc/cbu/ca.pub\n"
#define HA_OK	"[home-agent]\n"				\
		"address = 2001:db8:1::1\n"			\
		"home-prefix = 2001:db8:1::/64\n"		\
		"home-link = eth1\n"				\
		"certificate = /etc/cbu/ha.crt\n"		\
		"private-key = /etc/cbu/ha.key\n"
#define CN_OK	"[correspondent]\n"				\
		"address = 2001:db8:3::20\n"			\
		"certificate = /etc/cbu/cn.crt\n"		\
		"private-key = /etc/cbu/cn.key\n"
/* A home agent's mobile correspondent (draft section 4), after HA_OK. */
#define MCN_OK	"mobile-node = 2001:db8:1::10 /etc/cbu/mn.secret\n"	\
		"mobile-cn = 2001:db8:1::10\n"			\
		"cn-certificate = /etc/cbu/mcn.crt\n"		\
		"cn-private-key = /etc/cbu/mcn.key\n"

/* Large (the HA's table of MNs): not on the stack. */
static struct agent_config cfg;
static char err[512];
/* Generated files: 257 mobile-node lines, one over cbu_file_read()'s cap. */
static char big[80 * 1024];

static int parse_len(const char *text, size_t len)
{
	memset(err, 0, sizeof(err));
	/* Garbage first: the parser must set every field itself. */
	memset(&cfg, 0x5a, sizeof(cfg));
	return config_parse(&cfg, text, len, "t.conf", err, sizeof(err));
}

static int parse(const char *text)
{
	return parse_len(text, strlen(text));
}

static bool zeroed(const void *p, size_t len)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

static bool addr_is(const struct in6_addr *a, const char *s)
{
	struct in6_addr want;

	if (inet_pton(AF_INET6, s, &want) != 1)
		abort();
	return !memcmp(a, &want, sizeof(want));
}

/* Refused, with exactly @want, and nothing left in cfg. */
#define EXPECT_BAD(text, want)	expect_bad(__LINE__, text, strlen(text), want)
#define EXPECT_BAD_LEN(text, len, want) expect_bad(__LINE__, text, len, want)

static void expect_bad(int line, const char *text, size_t len,
		       const char *want)
{
	int ret = parse_len(text, len);

	if (ret != -1) {
		printf("# %s:%d: accepted, expected \"%s\"\n", __FILE__, line,
		       want);
		ktest_failed = true;
		return;
	}
	if (strcmp(err, want)) {
		printf("# %s:%d: error \"%s\", expected \"%s\"\n", __FILE__,
		       line, err, want);
		ktest_failed = true;
	}
	if (!zeroed(&cfg, sizeof(cfg))) {
		printf("# %s:%d: configuration not zeroed after \"%s\"\n",
		       __FILE__, line, err);
		ktest_failed = true;
	}
}

#define EXPECT_GOOD(text)	expect_good(__LINE__, text)

static bool expect_good(int line, const char *text)
{
	if (!parse(text))
		return true;
	printf("# %s:%d: refused: %s\n", __FILE__, line, err);
	ktest_failed = true;
	return false;
}

/* Append to big[]; abort() rather than truncate a test's input. */
static size_t big_len;

static void big_reset(void)
{
	big_len = 0;
	big[0] = '\0';
}

static void big_add(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void big_add(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(big + big_len, sizeof(big) - big_len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(big) - big_len)
		abort();
	big_len += (size_t)n;
}

TEST(every_key_of_every_section)
{
	ASSERT(EXPECT_GOOD(
		"[agent]\n"
		"log-level = debug\n"
		"log-target = syslog\n"
		"control = /run/cbu/agent.sock\n"
		"[ca]\n"
		"public-key = /etc/cbu/ca.pub\n"
		"[mobile-node]\n"
		"home-address = 2001:db8:1::10\n"
		"home-agent = 2001:db8:1::1\n"
		"secret = /etc/cbu/mn.secret\n"
		"interface = wlan0\n"
		"interface = eth0\n"
		"lifetime = 120\n"
		"correspondent = 2001:db8:3::20\n"
		"correspondent = 2001:db8:4::20\n"
		"accept-correspondents = yes\n"
		"max-lifetime = 300\n"
		"[home-agent]\n"
		"address = 2001:db8:1::1\n"
		"home-prefix = 2001:db8:1::/64\n"
		"home-link = ha0\n"
		"certificate = /etc/cbu/ha.crt\n"
		"private-key = /etc/cbu/ha.key\n"
		"mobile-node = 2001:db8:1::10 /etc/cbu/mn10.secret\n"
		"mobile-node = 2001:db8:1::11 /etc/cbu/mn11.secret\n"
		"[correspondent]\n"
		"address = 2001:db8:3::20\n"
		"certificate = /etc/cbu/cn.crt\n"
		"private-key = /etc/cbu/cn.key\n"
		"lt-en = 7200\n"
		"max-lifetime = 600\n"
		"cert-cache = 0\n"));

	EXPECT(cfg.log_level == LOG_DEBUG);
	EXPECT(cfg.log_syslog);
	EXPECT_STREQ(cfg.control, "/run/cbu/agent.sock");
	EXPECT_STREQ(cfg.ca_public_key, "/etc/cbu/ca.pub");

	EXPECT(cfg.mn.enabled);
	EXPECT(addr_is(&cfg.mn.hoa, "2001:db8:1::10"));
	EXPECT(addr_is(&cfg.mn.ha, "2001:db8:1::1"));
	EXPECT_STREQ(cfg.mn.secret, "/etc/cbu/mn.secret");
	EXPECT(cfg.mn.n_interfaces == 2);
	EXPECT_STREQ(cfg.mn.interfaces[0], "wlan0");
	EXPECT_STREQ(cfg.mn.interfaces[1], "eth0");
	EXPECT(cfg.mn.lifetime == 120);
	EXPECT(cfg.mn.n_cns == 2);
	EXPECT(addr_is(&cfg.mn.cns[0], "2001:db8:3::20"));
	EXPECT(addr_is(&cfg.mn.cns[1], "2001:db8:4::20"));
	EXPECT(cfg.mn.accept_cns);
	EXPECT(cfg.mn.max_lifetime == 300);

	EXPECT(cfg.ha.enabled);
	EXPECT(addr_is(&cfg.ha.address, "2001:db8:1::1"));
	EXPECT(addr_is(&cfg.ha.prefix, "2001:db8:1::"));
	EXPECT(cfg.ha.prefix_len == 64);
	EXPECT_STREQ(cfg.ha.home_link, "ha0");
	EXPECT_STREQ(cfg.ha.certificate, "/etc/cbu/ha.crt");
	EXPECT_STREQ(cfg.ha.private_key, "/etc/cbu/ha.key");
	EXPECT(cfg.ha.n_mns == 2);
	EXPECT(addr_is(&cfg.ha.mns[0].hoa, "2001:db8:1::10"));
	EXPECT_STREQ(cfg.ha.mns[0].secret, "/etc/cbu/mn10.secret");
	EXPECT(addr_is(&cfg.ha.mns[1].hoa, "2001:db8:1::11"));
	EXPECT_STREQ(cfg.ha.mns[1].secret, "/etc/cbu/mn11.secret");

	EXPECT(cfg.cn.enabled);
	EXPECT(addr_is(&cfg.cn.address, "2001:db8:3::20"));
	EXPECT_STREQ(cfg.cn.certificate, "/etc/cbu/cn.crt");
	EXPECT_STREQ(cfg.cn.private_key, "/etc/cbu/cn.key");
	EXPECT(cfg.cn.lt_en == 7200);
	EXPECT(cfg.cn.max_lifetime == 600);
	EXPECT(cfg.cn.cert_cache == 0);

	/* mobile-cn excludes [correspondent]: its keys in a file of their own. */
	ASSERT(EXPECT_GOOD(
		"[ca]\n"
		"public-key = /etc/cbu/ca.pub\n"
		"[home-agent]\n"
		"address = 2001:db8:1::1\n"
		"home-prefix = 2001:db8:1::/64\n"
		"home-link = ha0\n"
		"certificate = /etc/cbu/ha.crt\n"
		"private-key = /etc/cbu/ha.key\n"
		"mobile-node = 2001:db8:1::10 /etc/cbu/mn10.secret\n"
		"mobile-node = 2001:db8:1::11 /etc/cbu/mn11.secret\n"
		"mobile-node = 2001:db8:1::12 /etc/cbu/mn12.secret\n"
		"mobile-cn = 2001:db8:1::12\n"
		"mobile-cn = 2001:db8:1::10\n"
		"cn-certificate = /etc/cbu/mcn.crt\n"
		"cn-private-key = /etc/cbu/mcn.key\n"
		"lt-en = 1800\n"));
	EXPECT(cfg.ha.n_mns == 3);
	EXPECT(cfg.ha.n_mcns == 2);
	EXPECT(addr_is(&cfg.ha.mcns[0], "2001:db8:1::12"));
	EXPECT(addr_is(&cfg.ha.mcns[1], "2001:db8:1::10"));
	EXPECT_STREQ(cfg.ha.cn_certificate, "/etc/cbu/mcn.crt");
	EXPECT_STREQ(cfg.ha.cn_private_key, "/etc/cbu/mcn.key");
	EXPECT(cfg.ha.lt_en == 1800);
	EXPECT(!cfg.cn.enabled);
}

TEST(defaults)
{
	ASSERT(EXPECT_GOOD(MN_OK));
	EXPECT(cfg.log_level == LOG_INFO);
	EXPECT(!cfg.log_syslog);
	EXPECT_STREQ(cfg.control, CFG_DEFAULT_CONTROL);
	EXPECT_STREQ(cfg.control, "@cbu-agent");
	EXPECT_STREQ(cfg.ca_public_key, "");
	EXPECT(cfg.mn.enabled && !cfg.ha.enabled && !cfg.cn.enabled);
	EXPECT(cfg.mn.lifetime == 256);
	EXPECT(cfg.mn.n_interfaces == 1);
	EXPECT(cfg.mn.n_cns == 0);
	EXPECT(!cfg.mn.accept_cns);
	EXPECT(cfg.mn.max_lifetime == 420);
	/*
	 * The other roles' fields are zero, not the 0x5a put there first,
	 * apart from their defaults.
	 */
	EXPECT(cfg.ha.lt_en == 3600);
	cfg.ha.lt_en = 0;
	EXPECT(zeroed(&cfg.ha, sizeof(cfg.ha)));
	EXPECT(cfg.cn.lt_en == 3600);
	EXPECT(cfg.cn.max_lifetime == 420);

	ASSERT(EXPECT_GOOD(CA_OK CN_OK));
	EXPECT(cfg.cn.lt_en == 3600);
	EXPECT(cfg.cn.max_lifetime == 420);
	EXPECT(cfg.cn.cert_cache == 64);
	EXPECT(!cfg.mn.enabled && !cfg.ha.enabled && cfg.cn.enabled);
	EXPECT(cfg.mn.lifetime == 256);
	EXPECT(cfg.mn.max_lifetime == 420);
	EXPECT(cfg.ha.lt_en == 3600);
	/* Apart from those defaults, a role not held is all zero. */
	cfg.mn.lifetime = 0;
	cfg.mn.max_lifetime = 0;
	cfg.ha.lt_en = 0;
	EXPECT(zeroed(&cfg.mn, sizeof(cfg.mn)));
	EXPECT(zeroed(&cfg.ha, sizeof(cfg.ha)));

	ASSERT(EXPECT_GOOD(CA_OK HA_OK));
	EXPECT(cfg.ha.n_mns == 0);
	EXPECT(cfg.ha.n_mcns == 0);
	EXPECT_STREQ(cfg.ha.cn_certificate, "");
	EXPECT_STREQ(cfg.ha.cn_private_key, "");
	EXPECT(cfg.ha.lt_en == 3600);
	EXPECT(!cfg.mn.enabled && cfg.ha.enabled && !cfg.cn.enabled);
}

TEST(log_settings)
{
	static const struct {
		const char *name;
		int level;
	} levels[] = {
		{ "error", LOG_ERR }, { "warning", LOG_WARNING },
		{ "info", LOG_INFO }, { "debug", LOG_DEBUG },
	};
	char text[256];
	size_t i;

	for (i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		snprintf(text, sizeof(text), "[agent]\nlog-level = %s\n" MN_OK,
			 levels[i].name);
		if (EXPECT_GOOD(text))
			EXPECT(cfg.log_level == levels[i].level);
	}
	if (EXPECT_GOOD("[agent]\nlog-target = stderr\n" MN_OK))
		EXPECT(!cfg.log_syslog);
	if (EXPECT_GOOD("[agent]\nlog-target = syslog\n" MN_OK))
		EXPECT(cfg.log_syslog);
	if (EXPECT_GOOD("[agent]\ncontrol = @other\n" MN_OK))
		EXPECT_STREQ(cfg.control, "@other");

	EXPECT_BAD("[agent]\nlog-level = verbose\n",
		   "t.conf:2: log-level: one of error, warning, info, debug");
	EXPECT_BAD("[agent]\nlog-level = DEBUG\n",
		   "t.conf:2: log-level: one of error, warning, info, debug");
	EXPECT_BAD("[agent]\nlog-level =\n",
		   "t.conf:2: log-level: one of error, warning, info, debug");
	EXPECT_BAD("[agent]\nlog-target = file\n",
		   "t.conf:2: log-target: stderr or syslog");
	EXPECT_BAD("[agent]\ncontrol =\n", "t.conf:2: control: empty value");
}

/* The control socket's name must fit a sockaddr_un, as control_open() says. */
TEST(control_socket_name)
{
	char name[CFG_PATH_MAX + 1];

	if (EXPECT_GOOD("[agent]\ncontrol = @a\n" MN_OK))
		EXPECT_STREQ(cfg.control, "@a");
	memset(name, 'c', sizeof(name));
	name[0] = '/';
	name[107] = '\0';
	big_reset();
	big_add("[agent]\ncontrol = %s\n" MN_OK, name);
	if (EXPECT_GOOD(big))
		EXPECT_STREQ(cfg.control, name);

	name[107] = 'c';
	name[108] = '\0';
	big_reset();
	big_add("[agent]\ncontrol = %s\n" MN_OK, name);
	EXPECT_BAD(big, "t.conf:2: control: must be 2 to 107 characters");
	EXPECT_BAD("[agent]\ncontrol = @\n",
		   "t.conf:2: control: must be 2 to 107 characters");
	memset(name, 'c', sizeof(name));
	name[CFG_PATH_MAX] = '\0';
	big_reset();
	big_add("[agent]\ncontrol = %s\n" MN_OK, name);
	EXPECT_BAD(big, "t.conf:2: control: value longer than 255 characters");
}

TEST(repeated_keys_to_their_limit)
{
	unsigned int i;

	big_reset();
	big_add(MN_OK);
	for (i = 1; i < CFG_MAX_IFACES; i++)
		big_add("interface = eth%u\n", i);
	for (i = 0; i < CFG_MAX_CNS; i++)
		big_add("correspondent = 2001:db8:3::%x\n", i + 1);
	big_add(CA_OK HA_OK);
	for (i = 0; i < CFG_MAX_MNS; i++)
		big_add("mobile-node = 2001:db8:1::%x /s/%u\n", i + 1, i);
	/* Every mobile node served also a mobile correspondent. */
	for (i = 0; i < CFG_MAX_MNS; i++)
		big_add("mobile-cn = 2001:db8:1::%x\n", CFG_MAX_MNS - i);
	big_add("cn-certificate = /c\ncn-private-key = /k\n");
	ASSERT(EXPECT_GOOD(big));
	ASSERT(cfg.mn.n_interfaces == CFG_MAX_IFACES);
	ASSERT(cfg.mn.n_cns == CFG_MAX_CNS);
	ASSERT(cfg.ha.n_mns == CFG_MAX_MNS);
	ASSERT(cfg.ha.n_mcns == CFG_MAX_MNS);
	/* In the order given. */
	EXPECT_STREQ(cfg.mn.interfaces[0], "eth0");
	EXPECT_STREQ(cfg.mn.interfaces[CFG_MAX_IFACES - 1], "eth7");
	EXPECT(addr_is(&cfg.mn.cns[0], "2001:db8:3::1"));
	EXPECT(addr_is(&cfg.mn.cns[CFG_MAX_CNS - 1], "2001:db8:3::40"));
	EXPECT(addr_is(&cfg.ha.mns[0].hoa, "2001:db8:1::1"));
	EXPECT_STREQ(cfg.ha.mns[0].secret, "/s/0");
	EXPECT(addr_is(&cfg.ha.mns[CFG_MAX_MNS - 1].hoa, "2001:db8:1::100"));
	EXPECT_STREQ(cfg.ha.mns[CFG_MAX_MNS - 1].secret, "/s/255");
	EXPECT(addr_is(&cfg.ha.mcns[0], "2001:db8:1::100"));
	EXPECT(addr_is(&cfg.ha.mcns[CFG_MAX_MNS - 1], "2001:db8:1::1"));

	/* One more of each: lines 5 + 8, 5 + 1 + 64, 2 + 6 + 256. */
	big_reset();
	big_add(MN_OK);
	for (i = 1; i <= CFG_MAX_IFACES; i++)
		big_add("interface = eth%u\n", i);
	EXPECT_BAD(big, "t.conf:13: more than 8 interfaces");

	big_reset();
	big_add(MN_OK);
	for (i = 0; i <= CFG_MAX_CNS; i++)
		big_add("correspondent = 2001:db8:3::%x\n", i + 1);
	EXPECT_BAD(big, "t.conf:70: more than 64 correspondents");

	big_reset();
	big_add(CA_OK HA_OK);
	for (i = 0; i <= CFG_MAX_MNS; i++)
		big_add("mobile-node = 2001:db8:1::%x /s/%u\n", i + 1, i);
	EXPECT_BAD(big, "t.conf:265: more than 256 mobile nodes");

	big_reset();
	big_add(CA_OK HA_OK);
	for (i = 0; i <= CFG_MAX_MNS; i++)
		big_add("mobile-cn = 2001:db8:1::%x\n", i + 1);
	EXPECT_BAD(big, "t.conf:265: more than 256 mobile correspondents");
}

TEST(mobile_node_entries)
{
	if (EXPECT_GOOD(CA_OK HA_OK
			"mobile-node =  2001:db8:1::10 \t /etc/cbu/a b.secret \n")) {
		EXPECT(cfg.ha.n_mns == 1);
		EXPECT(addr_is(&cfg.ha.mns[0].hoa, "2001:db8:1::10"));
		/* The path is the rest of the line, inner spaces and all. */
		EXPECT_STREQ(cfg.ha.mns[0].secret, "/etc/cbu/a b.secret");
	}
	if (EXPECT_GOOD(CA_OK HA_OK "mobile-node = 2001:db8:1::10\t/s\n"))
		EXPECT_STREQ(cfg.ha.mns[0].secret, "/s");

	EXPECT_BAD(CA_OK HA_OK "mobile-node = 2001:db8:1::10\n",
		   "t.conf:9: mobile-node: HOME-ADDRESS SECRET-FILE");
	EXPECT_BAD(CA_OK HA_OK "mobile-node = /etc/cbu/mn.secret\n",
		   "t.conf:9: mobile-node: HOME-ADDRESS SECRET-FILE");
	EXPECT_BAD(CA_OK HA_OK "mobile-node = mn1 /s\n",
		   "t.conf:9: mobile-node: \"mn1\" is not an IPv6 address");
	EXPECT_BAD(CA_OK HA_OK "mobile-node = ff02::1 /s\n",
		   "t.conf:9: mobile-node: ff02::1 is not a unicast address");
	/* The same home address, however it is spelt: one secret only. */
	EXPECT_BAD(CA_OK HA_OK
		   "mobile-node = 2001:db8:1::10 /a\n"
		   "mobile-node = 2001:db8:1:0:0::10 /b\n",
		   "t.conf:10: mobile-node: 2001:db8:1:0:0::10 given twice");
}

/* Draft section 4: a mobile node that is also a correspondent. */
TEST(accept_correspondents)
{
	static const char *const yes[] = { "yes", "true", "1" };
	static const char *const no[] = { "no", "false", "0" };
	static const char *const bad[] = {
		"Yes", "NO", "on", "2", "01", "y", "yes please", "",
	};
	char text[256], want[256];
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		snprintf(text, sizeof(text),
			 MN_OK "accept-correspondents = %s\n", yes[i]);
		if (EXPECT_GOOD(text))
			EXPECT(cfg.mn.accept_cns);
	}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		snprintf(text, sizeof(text),
			 MN_OK "accept-correspondents = %s\n", no[i]);
		if (EXPECT_GOOD(text))
			EXPECT(!cfg.mn.accept_cns);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text),
			 "[mobile-node]\naccept-correspondents = %s\n", bad[i]);
		snprintf(want, sizeof(want),
			 "t.conf:2: accept-correspondents: \"%s\" is not yes or no",
			 bad[i]);
		EXPECT_BAD(text, want);
	}
	/* max-lifetime means something only with it, but is taken alone. */
	if (EXPECT_GOOD(MN_OK "max-lifetime = 120\n")) {
		EXPECT(!cfg.mn.accept_cns);
		EXPECT(cfg.mn.max_lifetime == 120);
	}
	/* Keys of [mobile-node] only. */
	EXPECT_BAD(CA_OK HA_OK "accept-correspondents = yes\n",
		   "t.conf:9: unknown key \"accept-correspondents\" in this section");
	EXPECT_BAD(CA_OK CN_OK "accept-correspondents = yes\n",
		   "t.conf:7: unknown key \"accept-correspondents\" in this section");
}

/* Draft section 4: the mobile correspondents a home agent serves. */
TEST(mobile_cn_entries)
{
	/* Before its mobile-node line: a rule on the whole file. */
	if (EXPECT_GOOD(CA_OK HA_OK "mobile-cn = 2001:db8:1::11\n"
			"cn-private-key = /k\ncn-certificate = /c\n"
			"mobile-node = 2001:db8:1::11 /s\n")) {
		EXPECT(cfg.ha.n_mcns == 1);
		EXPECT(addr_is(&cfg.ha.mcns[0], "2001:db8:1::11"));
		EXPECT(cfg.ha.lt_en == 3600);
	}
	/* Spelt otherwise than its mobile-node line: the same address. */
	if (EXPECT_GOOD(CA_OK HA_OK "mobile-node = 2001:db8:1::10 /s\n"
			"mobile-cn = 2001:db8:1:0:0:0:0:10\n"
			"cn-certificate = /c\ncn-private-key = /k\n"))
		EXPECT(addr_is(&cfg.ha.mcns[0], "2001:db8:1::10"));
	/* With a mobile node of its own. */
	if (EXPECT_GOOD(CA_OK HA_OK MCN_OK MN_OK "accept-correspondents = yes\n"))
		EXPECT(cfg.ha.n_mcns == 1 && cfg.mn.accept_cns);

	EXPECT_BAD(CA_OK HA_OK "mobile-node = 2001:db8:1::10 /s\n"
		   "mobile-cn = 2001:db8:1::12\n"
		   "cn-certificate = /c\ncn-private-key = /k\n",
		   "t.conf: mobile-cn 2001:db8:1::12 is not a mobile-node of this home agent");
	EXPECT_BAD(CA_OK HA_OK "mobile-cn = 2001:db8:1::10\n"
		   "cn-certificate = /c\ncn-private-key = /k\n",
		   "t.conf: mobile-cn 2001:db8:1::10 is not a mobile-node of this home agent");
	/* A mobile node of another section is not one of this home agent. */
	EXPECT_BAD(CA_OK HA_OK "mobile-cn = 2001:db8:1::10\n"
		   "cn-certificate = /c\ncn-private-key = /k\n" MN_OK,
		   "t.conf: mobile-cn 2001:db8:1::10 is not a mobile-node of this home agent");
	EXPECT_BAD(CA_OK HA_OK MCN_OK "mobile-cn = 2001:db8:1:0::10\n",
		   "t.conf:13: mobile-cn: 2001:db8:1:0::10 given twice");
	/* Its BUs would never reach this home agent. */
	EXPECT_BAD(CA_OK HA_OK "mobile-node = 2001:db8:5::10 /s\n"
		   "mobile-cn = 2001:db8:5::10\n"
		   "cn-certificate = /c\ncn-private-key = /k\n",
		   "t.conf: mobile-cn 2001:db8:5::10 is outside [home-agent] home-prefix");

	/* cn-certificate and cn-private-key: both with mobile-cn, or none. */
	EXPECT_BAD(CA_OK HA_OK "mobile-node = 2001:db8:1::10 /s\n"
		   "mobile-cn = 2001:db8:1::10\n",
		   "t.conf: [home-agent] mobile-cn needs cn-certificate and cn-private-key");
	EXPECT_BAD(CA_OK HA_OK "mobile-node = 2001:db8:1::10 /s\n"
		   "mobile-cn = 2001:db8:1::10\ncn-certificate = /c\n",
		   "t.conf: [home-agent] mobile-cn needs cn-certificate and cn-private-key");
	EXPECT_BAD(CA_OK HA_OK "mobile-node = 2001:db8:1::10 /s\n"
		   "mobile-cn = 2001:db8:1::10\ncn-private-key = /k\n",
		   "t.conf: [home-agent] mobile-cn needs cn-certificate and cn-private-key");
	EXPECT_BAD(CA_OK HA_OK "mobile-node = 2001:db8:1::10 /s\n"
		   "cn-certificate = /c\ncn-private-key = /k\n",
		   "t.conf: [home-agent] cn-certificate without a mobile-cn");
	EXPECT_BAD(CA_OK HA_OK "cn-private-key = /k\n",
		   "t.conf: [home-agent] cn-private-key without a mobile-cn");
	/* lt-en alone is harmless, as max-lifetime of a mobile node is. */
	if (EXPECT_GOOD(CA_OK HA_OK "lt-en = 600\n"))
		EXPECT(cfg.ha.lt_en == 600 && !cfg.ha.n_mcns);

	/* One correspondent per agent: its own, or its mobile nodes'. */
	EXPECT_BAD(CA_OK HA_OK MCN_OK CN_OK,
		   "t.conf: mobile-cn and [correspondent] in one agent are not supported");
	EXPECT_BAD(CN_OK CA_OK HA_OK MCN_OK,
		   "t.conf: mobile-cn and [correspondent] in one agent are not supported");
	/* Without mobile-cn, as before. */
	EXPECT_GOOD(CA_OK HA_OK "mobile-node = 2001:db8:1::10 /s\n" CN_OK);

	/* Keys of [home-agent] only. */
	EXPECT_BAD(MN_OK "mobile-cn = 2001:db8:1::10\n",
		   "t.conf:6: unknown key \"mobile-cn\" in this section");
	EXPECT_BAD(CA_OK CN_OK "cn-certificate = /c\n",
		   "t.conf:7: unknown key \"cn-certificate\" in this section");
}

TEST(comments_blank_lines_and_whitespace)
{
	if (EXPECT_GOOD("# cbu-agent.conf\n"
			"; also a comment\n"
			"\n"
			"   \t \n"
			"  # indented comment\n"
			"[ agent ]  \n"
			"\tlog-level\t=\tdebug \t\n"
			"control=@a=b\n"
			"[mobile-node]\n"
			"home-address = 2001:db8:1::10\n"
			"home-agent = 2001:db8:1::1\n"
			"secret = /etc/cbu/mn.secret # not a comment\n"
			"interface = eth0")) {
		EXPECT(cfg.log_level == LOG_DEBUG);
		/* Only the first '=' splits. */
		EXPECT_STREQ(cfg.control, "@a=b");
		/* A '#' starts a comment only at the start of a line. */
		EXPECT_STREQ(cfg.mn.secret, "/etc/cbu/mn.secret # not a comment");
		/* The last line needs no newline. */
		EXPECT_STREQ(cfg.mn.interfaces[0], "eth0");
	}
	/* CRLF line ends, as a file edited on Windows has. */
	if (EXPECT_GOOD("[agent]\r\nlog-level = warning\r\n\r\n"
			"[mobile-node]\r\n"
			"home-address = 2001:db8:1::10\r\n"
			"home-agent = 2001:db8:1::1\r\n"
			"secret = /etc/cbu/mn.secret\r\n"
			"interface = eth0\r\n")) {
		EXPECT(cfg.log_level == LOG_WARNING);
		EXPECT_STREQ(cfg.mn.secret, "/etc/cbu/mn.secret");
		EXPECT_STREQ(cfg.mn.interfaces[0], "eth0");
	}
	EXPECT_BAD("[agent]\nlog-level = debug # chatty\n",
		   "t.conf:2: log-level: one of error, warning, info, debug");
	EXPECT_BAD("[mobile-node]\nlifetime = 60 # s\n",
		   "t.conf:2: lifetime: \"60 # s\" is not a number from 4 to 262140");
}

TEST(bad_syntax)
{
	static const char nul[] = "[agent]\nlog-level = de\0bug\n";

	EXPECT_BAD("[agent]\n[roaming]\n", "t.conf:2: unknown section [roaming]");
	EXPECT_BAD("[Agent]\n", "t.conf:1: unknown section [Agent]");
	EXPECT_BAD("[]\n", "t.conf:1: unknown section []");
	EXPECT_BAD("[agent\n", "t.conf:1: bad section header");
	EXPECT_BAD("[agent] # roles\n", "t.conf:1: bad section header");
	EXPECT_BAD("[agent]]\n", "t.conf:1: bad section header");
	EXPECT_BAD(MN_OK "[agent]\n[mobile-node]\n",
		   "t.conf:7: section [mobile-node] given twice");
	EXPECT_BAD("\n# first\nlog-level = debug\n",
		   "t.conf:3: key outside a section");
	EXPECT_BAD("[agent]\nlog-level debug\n",
		   "t.conf:2: expected \"key = value\"");
	EXPECT_BAD("log-level\n", "t.conf:1: expected \"key = value\"");
	EXPECT_BAD("[agent]\nloglevel = debug\n",
		   "t.conf:2: unknown key \"loglevel\" in this section");
	EXPECT_BAD("[agent]\n = debug\n",
		   "t.conf:2: unknown key \"\" in this section");
	/* A key of another section. */
	EXPECT_BAD("[ca]\nlifetime = 60\n",
		   "t.conf:2: unknown key \"lifetime\" in this section");
	EXPECT_BAD("[home-agent]\ninterface = eth0\n",
		   "t.conf:2: unknown key \"interface\" in this section");
	EXPECT_BAD("[correspondent]\nhome-prefix = 2001:db8::/64\n",
		   "t.conf:2: unknown key \"home-prefix\" in this section");
	EXPECT_BAD_LEN(nul, sizeof(nul) - 1, "t.conf:2: NUL character");
}

TEST(line_length)
{
	/* 1023 characters are a line; 1024 are too many. */
	big_reset();
	big_add("#%01022d\n" MN_OK, 0);
	EXPECT_GOOD(big);
	big_reset();
	big_add(MN_OK "#%01023d\n", 0);
	EXPECT_BAD(big, "t.conf:6: line longer than 1023 characters");
	/* Even without a newline. */
	big_reset();
	big_add(MN_OK "#%01023d", 0);
	EXPECT_BAD(big, "t.conf:6: line longer than 1023 characters");
}

TEST(bad_addresses)
{
	static const struct {
		const char *value, *err;
	} bad[] = {
		{ "mn", "\"mn\" is not an IPv6 address" },
		{ "192.0.2.1", "\"192.0.2.1\" is not an IPv6 address" },
		{ "2001:db8::1::2", "\"2001:db8::1::2\" is not an IPv6 address" },
		{ "2001:db8::1/128", "\"2001:db8::1/128\" is not an IPv6 address" },
		{ "fe80::1%eth0", "\"fe80::1%eth0\" is not an IPv6 address" },
		{ "2001:db8::1 2001:db8::2",
		  "\"2001:db8::1 2001:db8::2\" is not an IPv6 address" },
		{ "", "\"\" is not an IPv6 address" },
		{ "::", ":: is not a unicast address" },
		{ "::1", "::1 is not a unicast address" },
		{ "ff02::1", "ff02::1 is not a unicast address" },
	};
	static const char *const where[] = {
		"[mobile-node]\nhome-address", "[mobile-node]\nhome-agent",
		"[mobile-node]\ncorrespondent", "[home-agent]\naddress",
		"[correspondent]\naddress", "[home-agent]\nmobile-cn",
	};
	char text[256], want[256];
	size_t i, j;

	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		for (j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
			snprintf(text, sizeof(text), "%s = %s\n", where[i],
				 bad[j].value);
			snprintf(want, sizeof(want), "t.conf:2: %s: %s",
				 strchr(where[i], '\n') + 1, bad[j].err);
			EXPECT_BAD(text, want);
		}
	}
}

TEST(bad_prefixes)
{
	static const struct {
		const char *value, *err;
	} bad[] = {
		{ "2001:db8:1::", "\"2001:db8:1::\" is not PREFIX/LEN" },
		{ "2001:db8:1::/0", "prefix length must be 1 to 128" },
		{ "2001:db8:1::/129", "prefix length must be 1 to 128" },
		{ "2001:db8:1::/1000000000000000000000",
		  "prefix length must be 1 to 128" },
		{ "2001:db8:1::/-64", "prefix length must be 1 to 128" },
		{ "2001:db8:1::/+64", "prefix length must be 1 to 128" },
		{ "2001:db8:1::/ 64", "prefix length must be 1 to 128" },
		{ "2001:db8:1::/64/64", "prefix length must be 1 to 128" },
		{ "2001:db8:1::/0x40", "prefix length must be 1 to 128" },
		{ "2001:db8:1::/", "prefix length must be 1 to 128" },
		{ "home/64", "\"home\" is not an IPv6 address" },
		{ "/64", "\"\" is not an IPv6 address" },
		{ "ff00::/8", "ff00:: is not a unicast address" },
		{ "::/64", ":: is not a unicast address" },
		/* 53 characters is the most a PREFIX/LEN can take. */
		{ "2001:0db8:0001:0000:0000:0000:0000:0000/00000000000064",
		  "\"2001:0db8:0001:0000:0000:0000:0000:0000/00000000000064\" is not PREFIX/LEN" },
	};
	char text[256], want[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "[home-agent]\nhome-prefix = %s\n",
			 bad[i].value);
		snprintf(want, sizeof(want), "t.conf:2: home-prefix: %s",
			 bad[i].err);
		EXPECT_BAD(text, want);
	}

	/* Both ends of the range; host bits are the kernel's to clear. */
	if (EXPECT_GOOD(CA_OK HA_OK))
		EXPECT(cfg.ha.prefix_len == 64);
	if (EXPECT_GOOD(CA_OK
			"[home-agent]\n"
			"address = 2001:db8:1::1\n"
			"home-prefix = 2001:db8:1::1/128\n"
			"home-link = eth1\n"
			"certificate = /c\n"
			"private-key = /k\n")) {
		EXPECT(cfg.ha.prefix_len == 128);
		EXPECT(addr_is(&cfg.ha.prefix, "2001:db8:1::1"));
	}
	if (EXPECT_GOOD(CA_OK
			"[home-agent]\n"
			"address = 2001:db8:1::1\n"
			"home-prefix = 2000::/1\n"
			"home-link = eth1\n"
			"certificate = /c\n"
			"private-key = /k\n")) {
		EXPECT(cfg.ha.prefix_len == 1);
		EXPECT(addr_is(&cfg.ha.prefix, "2000::"));
	}
	/* The longest text a PREFIX/LEN may have (53 characters). */
	if (EXPECT_GOOD(CA_OK
			"[home-agent]\n"
			"address = 2001:db8:1::1\n"
			"home-prefix = 2001:0db8:0001:0000:0000:0000:0000:0000/0000000000064\n"
			"home-link = eth1\n"
			"certificate = /c\n"
			"private-key = /k\n")) {
		EXPECT(cfg.ha.prefix_len == 64);
		EXPECT(addr_is(&cfg.ha.prefix, "2001:db8:1::"));
	}
}

TEST(bad_numbers)
{
	static const char *const bad[] = {
		"0", "3", "262141", "4294967300", "18446744073709551616",
		"-1", "+120", "12a", "0x10", "1e3", "", "sixty",
	};
	static const char *const where[] = {
		"[mobile-node]\nlifetime", "[correspondent]\nlt-en",
		"[correspondent]\nmax-lifetime", "[mobile-node]\nmax-lifetime",
		"[home-agent]\nlt-en",
	};
	char text[256], want[256];
	size_t i, j;

	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		for (j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
			snprintf(text, sizeof(text), "%s = %s\n", where[i],
				 bad[j]);
			snprintf(want, sizeof(want),
				 "t.conf:2: %s: \"%s\" is not a number from 4 to 262140",
				 strchr(where[i], '\n') + 1, bad[j]);
			EXPECT_BAD(text, want);
		}
	}

	/* Both ends of the range: 4 s to 65535 units of 4 s. */
	if (EXPECT_GOOD(MN_OK "lifetime = 4\n"))
		EXPECT(cfg.mn.lifetime == 4);
	if (EXPECT_GOOD(MN_OK "lifetime = 262140\n"))
		EXPECT(cfg.mn.lifetime == 262140);
	if (EXPECT_GOOD(MN_OK "lifetime = 0060\n"))
		EXPECT(cfg.mn.lifetime == 60);
	if (EXPECT_GOOD(CA_OK CN_OK "lt-en = 4\nmax-lifetime = 262140\n")) {
		EXPECT(cfg.cn.lt_en == 4);
		EXPECT(cfg.cn.max_lifetime == 262140);
	}
	/* The same range, taken from the same parser, for draft section 4. */
	if (EXPECT_GOOD(MN_OK "max-lifetime = 4\n"))
		EXPECT(cfg.mn.max_lifetime == 4);
	if (EXPECT_GOOD(MN_OK "max-lifetime = 262140\n"))
		EXPECT(cfg.mn.max_lifetime == 262140);
	if (EXPECT_GOOD(CA_OK HA_OK MCN_OK "lt-en = 4\n"))
		EXPECT(cfg.ha.lt_en == 4);
	if (EXPECT_GOOD(CA_OK HA_OK MCN_OK "lt-en = 262140\n"))
		EXPECT(cfg.ha.lt_en == 262140);

	/* The certificate cache: 0 (none) to 65536 entries. */
	if (EXPECT_GOOD(CA_OK CN_OK "cert-cache = 65536\n"))
		EXPECT(cfg.cn.cert_cache == 65536);
	for (j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
		if (!strcmp(bad[j], "0") || !strcmp(bad[j], "3"))
			continue;
		snprintf(text, sizeof(text), "[correspondent]\ncert-cache = %s\n",
			 bad[j]);
		snprintf(want, sizeof(want),
			 "t.conf:2: cert-cache: \"%s\" is not a number from 0 to 65536",
			 bad[j]);
		EXPECT_BAD(text, want);
	}
	EXPECT_BAD("[correspondent]\ncert-cache = 65537\n",
		   "t.conf:2: cert-cache: \"65537\" is not a number from 0 to 65536");
}

TEST(bad_strings)
{
	char path[CFG_PATH_MAX + 1];

	memset(path, 'p', sizeof(path));
	path[0] = '/';

	/* CFG_PATH_MAX - 1 characters fit, CFG_PATH_MAX do not. */
	path[CFG_PATH_MAX - 1] = '\0';
	big_reset();
	big_add(MN_OK "[ca]\npublic-key = %s\n", path);
	if (EXPECT_GOOD(big))
		EXPECT_STREQ(cfg.ca_public_key, path);
	path[CFG_PATH_MAX - 1] = 'p';
	path[CFG_PATH_MAX] = '\0';
	big_reset();
	big_add("[mobile-node]\nsecret = %s\n", path);
	EXPECT_BAD(big, "t.conf:2: secret: value longer than 255 characters");
	big_reset();
	big_add("[ca]\npublic-key = %s\n", path);
	EXPECT_BAD(big, "t.conf:2: public-key: value longer than 255 characters");
	big_reset();
	big_add("[correspondent]\ncertificate = %s\n", path);
	EXPECT_BAD(big, "t.conf:2: certificate: value longer than 255 characters");
	big_reset();
	big_add("[home-agent]\nprivate-key = %s\n", path);
	EXPECT_BAD(big, "t.conf:2: private-key: value longer than 255 characters");
	big_reset();
	big_add("[home-agent]\nmobile-node = 2001:db8:1::10 %s\n", path);
	EXPECT_BAD(big, "t.conf:2: mobile-node: value longer than 255 characters");
	big_reset();
	big_add("[home-agent]\ncn-certificate = %s\n", path);
	EXPECT_BAD(big, "t.conf:2: cn-certificate: value longer than 255 characters");
	big_reset();
	big_add("[home-agent]\ncn-private-key = %s\n", path);
	EXPECT_BAD(big, "t.conf:2: cn-private-key: value longer than 255 characters");

	EXPECT_BAD("[mobile-node]\nsecret =\n", "t.conf:2: secret: empty value");
	EXPECT_BAD("[ca]\npublic-key = \t\n", "t.conf:2: public-key: empty value");
	EXPECT_BAD("[home-agent]\ncertificate =\n",
		   "t.conf:2: certificate: empty value");
	EXPECT_BAD("[correspondent]\nprivate-key =\n",
		   "t.conf:2: private-key: empty value");
	EXPECT_BAD("[home-agent]\ncn-certificate =\n",
		   "t.conf:2: cn-certificate: empty value");
	EXPECT_BAD("[home-agent]\ncn-private-key =\n",
		   "t.conf:2: cn-private-key: empty value");
}

TEST(interface_names)
{
	static const char *const bad[] = {
		"eth0 eth1", "eth0\teth1", "a/b", "eth0:1", ".", "..",
	};
	char text[256], want[256];
	size_t i;

	/* IF_NAMESIZE - 1 characters fit. */
	if (EXPECT_GOOD(MN_OK "interface = abcdefghijklmno\n"))
		EXPECT_STREQ(cfg.mn.interfaces[1], "abcdefghijklmno");
	if (EXPECT_GOOD(MN_OK "interface = eth0.100\ninterface = ...\n")) {
		EXPECT_STREQ(cfg.mn.interfaces[1], "eth0.100");
		EXPECT_STREQ(cfg.mn.interfaces[2], "...");
	}
	EXPECT_BAD("[mobile-node]\ninterface = abcdefghijklmnop\n",
		   "t.conf:2: interface: value longer than 15 characters");
	EXPECT_BAD("[home-agent]\nhome-link = abcdefghijklmnop\n",
		   "t.conf:2: home-link: value longer than 15 characters");
	EXPECT_BAD("[mobile-node]\ninterface =\n",
		   "t.conf:2: interface: empty value");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "[mobile-node]\ninterface = %s\n",
			 bad[i]);
		snprintf(want, sizeof(want),
			 "t.conf:2: interface: \"%s\" is not an interface name",
			 bad[i]);
		EXPECT_BAD(text, want);
		snprintf(text, sizeof(text), "[home-agent]\nhome-link = %s\n",
			 bad[i]);
		snprintf(want, sizeof(want),
			 "t.conf:2: home-link: \"%s\" is not an interface name",
			 bad[i]);
		EXPECT_BAD(text, want);
	}
}

TEST(singular_keys_once)
{
	static const char *const once[] = {
		"[agent]\nlog-level = info\nlog-level = info\n",
		"[agent]\nlog-target = stderr\nlog-target = stderr\n",
		"[agent]\ncontrol = @a\ncontrol = @a\n",
		"[ca]\npublic-key = /a\npublic-key = /a\n",
		"[mobile-node]\nhome-address = 2001:db8::1\nhome-address = 2001:db8::1\n",
		"[mobile-node]\nhome-agent = 2001:db8::1\nhome-agent = 2001:db8::1\n",
		"[mobile-node]\nsecret = /a\nsecret = /b\n",
		"[mobile-node]\nlifetime = 60\nlifetime = 60\n",
		"[home-agent]\naddress = 2001:db8::1\naddress = 2001:db8::1\n",
		"[home-agent]\nhome-prefix = 2001:db8::/64\nhome-prefix = 2001:db8::/64\n",
		"[home-agent]\nhome-link = a\nhome-link = a\n",
		"[home-agent]\ncertificate = /a\ncertificate = /a\n",
		"[home-agent]\nprivate-key = /a\nprivate-key = /a\n",
		"[correspondent]\naddress = 2001:db8::1\naddress = 2001:db8::1\n",
		"[correspondent]\ncertificate = /a\ncertificate = /a\n",
		"[correspondent]\nprivate-key = /a\nprivate-key = /a\n",
		"[correspondent]\nlt-en = 60\nlt-en = 60\n",
		"[correspondent]\nmax-lifetime = 60\nmax-lifetime = 60\n",
		"[mobile-node]\naccept-correspondents = yes\naccept-correspondents = yes\n",
		"[mobile-node]\nmax-lifetime = 60\nmax-lifetime = 60\n",
		"[home-agent]\ncn-certificate = /a\ncn-certificate = /a\n",
		"[home-agent]\ncn-private-key = /a\ncn-private-key = /a\n",
		"[home-agent]\nlt-en = 60\nlt-en = 60\n",
	};
	char want[128];
	const char *key;
	size_t i;

	for (i = 0; i < sizeof(once) / sizeof(once[0]); i++) {
		key = strchr(once[i], '\n') + 1;
		snprintf(want, sizeof(want), "t.conf:3: %.*s given twice",
			 (int)(strchr(key, ' ') - key), key);
		EXPECT_BAD(once[i], want);
	}
	/* The same key name in two sections is two keys. */
	EXPECT_GOOD(CA_OK HA_OK CN_OK);
	/* Only the key name counts, not what sits around the '='. */
	EXPECT_BAD("[agent]\nlog-level = info\n  log-level=debug\n",
		   "t.conf:3: log-level given twice");
}

TEST(roles)
{
	EXPECT_BAD("", "t.conf: no role: add [mobile-node], [home-agent], [correspondent] or [map]");
	EXPECT_BAD("# nothing\n\n",
		   "t.conf: no role: add [mobile-node], [home-agent], [correspondent] or [map]");
	EXPECT_BAD("[agent]\nlog-level = debug\n" CA_OK,
		   "t.conf: no role: add [mobile-node], [home-agent], [correspondent] or [map]");

	EXPECT_BAD("[mobile-node]\n",
		   "t.conf: [mobile-node] needs home-address, home-agent, secret and interface");
	EXPECT_BAD("[mobile-node]\nhome-address = 2001:db8:1::10\n"
		   "home-agent = 2001:db8:1::1\nsecret = /s\n",
		   "t.conf: [mobile-node] needs home-address, home-agent, secret and interface");
	EXPECT_BAD("[mobile-node]\nhome-address = 2001:db8:1::10\n"
		   "secret = /s\ninterface = eth0\n",
		   "t.conf: [mobile-node] needs home-address, home-agent, secret and interface");
	EXPECT_BAD("[mobile-node]\nhome-agent = 2001:db8:1::1\n"
		   "secret = /s\ninterface = eth0\n",
		   "t.conf: [mobile-node] needs home-address, home-agent, secret and interface");
	EXPECT_BAD("[mobile-node]\nhome-address = 2001:db8:1::10\n"
		   "home-agent = 2001:db8:1::1\ninterface = eth0\n",
		   "t.conf: [mobile-node] needs home-address, home-agent, secret and interface");

	EXPECT_BAD(CA_OK "[home-agent]\naddress = 2001:db8:1::1\n"
		   "home-link = eth1\ncertificate = /c\nprivate-key = /k\n",
		   "t.conf: [home-agent] needs address, home-prefix, home-link, certificate and private-key");
	EXPECT_BAD(CA_OK "[home-agent]\nhome-prefix = 2001:db8:1::/64\n"
		   "home-link = eth1\ncertificate = /c\nprivate-key = /k\n",
		   "t.conf: [home-agent] needs address, home-prefix, home-link, certificate and private-key");
	EXPECT_BAD(CA_OK "[home-agent]\naddress = 2001:db8:1::1\n"
		   "home-prefix = 2001:db8:1::/64\ncertificate = /c\n"
		   "private-key = /k\n",
		   "t.conf: [home-agent] needs address, home-prefix, home-link, certificate and private-key");
	EXPECT_BAD(CA_OK "[home-agent]\naddress = 2001:db8:1::1\n"
		   "home-prefix = 2001:db8:1::/64\nhome-link = eth1\n"
		   "private-key = /k\n",
		   "t.conf: [home-agent] needs address, home-prefix, home-link, certificate and private-key");
	EXPECT_BAD(CA_OK "[home-agent]\naddress = 2001:db8:1::1\n"
		   "home-prefix = 2001:db8:1::/64\nhome-link = eth1\n"
		   "certificate = /c\n",
		   "t.conf: [home-agent] needs address, home-prefix, home-link, certificate and private-key");

	EXPECT_BAD(CA_OK "[correspondent]\ncertificate = /c\nprivate-key = /k\n",
		   "t.conf: [correspondent] needs address, certificate and private-key");
	EXPECT_BAD(CA_OK "[correspondent]\naddress = 2001:db8:3::20\n"
		   "private-key = /k\n",
		   "t.conf: [correspondent] needs address, certificate and private-key");
	EXPECT_BAD(CA_OK "[correspondent]\naddress = 2001:db8:3::20\n"
		   "certificate = /c\n",
		   "t.conf: [correspondent] needs address, certificate and private-key");

	/* Certificates are checked against the CA: HA and CN need it. */
	EXPECT_BAD(HA_OK, "t.conf: [ca] public-key is needed to check certificates");
	EXPECT_BAD(CN_OK "[ca]\n",
		   "t.conf: [ca] public-key is needed to check certificates");
	EXPECT_BAD(MN_OK CN_OK,
		   "t.conf: [ca] public-key is needed to check certificates");

	/* A correspondent inside the home prefix would never hear a COOKIE0. */
	EXPECT_BAD(CA_OK HA_OK "[correspondent]\naddress = 2001:db8:1::20\n"
		   "certificate = /c\nprivate-key = /k\n",
		   "t.conf: [correspondent] address is inside [home-agent] home-prefix: its messages would go to the home agent");
	EXPECT_BAD(CA_OK "[home-agent]\naddress = 2001:db8:1::1\n"
		   "home-prefix = 2001:db8:1::/63\nhome-link = eth1\n"
		   "certificate = /c\nprivate-key = /k\n"
		   "[correspondent]\naddress = 2001:db8:1:1::20\n"
		   "certificate = /c\nprivate-key = /k\n",
		   "t.conf: [correspondent] address is inside [home-agent] home-prefix: its messages would go to the home agent");
	/* Just outside: the bits past /63 do not count, the 63rd does. */
	EXPECT_GOOD(CA_OK "[home-agent]\naddress = 2001:db8:1::1\n"
		    "home-prefix = 2001:db8:1::/63\nhome-link = eth1\n"
		    "certificate = /c\nprivate-key = /k\n"
		    "[correspondent]\naddress = 2001:db8:1:2::20\n"
		    "certificate = /c\nprivate-key = /k\n");

	/* Every combination of roles; the order of sections is free. */
	if (EXPECT_GOOD(CN_OK MN_OK CA_OK))
		EXPECT(cfg.mn.enabled && !cfg.ha.enabled && cfg.cn.enabled);
	if (EXPECT_GOOD(HA_OK CA_OK MN_OK))
		EXPECT(cfg.mn.enabled && cfg.ha.enabled && !cfg.cn.enabled);
	if (EXPECT_GOOD(CA_OK HA_OK CN_OK MN_OK))
		EXPECT(cfg.mn.enabled && cfg.ha.enabled && cfg.cn.enabled);
	/* The mobile node alone checks no certificate. */
	if (EXPECT_GOOD(MN_OK))
		EXPECT(!*cfg.ca_public_key);
}

TEST(no_state_left_behind)
{
	/* A failure on the last line, after every field was set. */
	EXPECT_BAD("[agent]\nlog-level = debug\nlog-target = syslog\n"
		   "control = @x\n" CA_OK MN_OK "correspondent = 2001:db8:3::1\n"
		   HA_OK "mobile-node = 2001:db8:1::10 /s\n" CN_OK
		   "lt-en = 60\nmax-lifetime = 4\n[bogus]\n",
		   "t.conf:26: unknown section [bogus]");
	/* A repeated key refused half-way through its own line. */
	EXPECT_BAD(MN_OK "interface = eth1\ninterface = a b\n",
		   "t.conf:7: interface: \"a b\" is not an interface name");
	EXPECT_BAD(MN_OK "correspondent = 2001:db8:3::1\ncorrespondent = x\n",
		   "t.conf:7: correspondent: \"x\" is not an IPv6 address");
	EXPECT_BAD(CA_OK HA_OK "mobile-node = 2001:db8:1::10 /s\n"
		   "mobile-node = 2001:db8:1::11\n",
		   "t.conf:10: mobile-node: HOME-ADDRESS SECRET-FILE");

	/* A parse starts from nothing: no role or entry of the last one. */
	ASSERT(EXPECT_GOOD(CA_OK HA_OK "mobile-node = 2001:db8:1::10 /s\n"
			   CN_OK));
	ASSERT(EXPECT_GOOD(MN_OK));
	EXPECT(!cfg.ha.enabled && !cfg.cn.enabled);
	EXPECT(cfg.ha.n_mns == 0);
	EXPECT(cfg.ha.lt_en == 3600);
	cfg.ha.lt_en = 0;
	EXPECT(zeroed(&cfg.ha, sizeof(cfg.ha)));
	/* Nor a mobile correspondent of the last home agent. */
	ASSERT(EXPECT_GOOD(CA_OK HA_OK MCN_OK));
	ASSERT(EXPECT_GOOD(CA_OK HA_OK));
	EXPECT(cfg.ha.n_mcns == 0);
	EXPECT(zeroed(cfg.ha.mcns, sizeof(cfg.ha.mcns)));
	EXPECT_STREQ(cfg.ha.cn_certificate, "");
}

TEST(error_buffer)
{
	static const char text[] = "[agent]\nfoo = bar\n";
	char small[12];

	/* Cut short, but always a string. */
	memset(small, 'x', sizeof(small));
	EXPECT(config_parse(&cfg, text, strlen(text), "t.conf", small,
			    sizeof(small)) == -1);
	EXPECT_STREQ(small, "t.conf:2: u");
	memset(small, 'x', sizeof(small));
	EXPECT(config_parse(&cfg, text, strlen(text), "/etc/cbu/cbu-agent.conf",
			    small, sizeof(small)) == -1);
	EXPECT_STREQ(small, "/etc/cbu/cb");
	/* Nowhere to write the reason: still refused. */
	EXPECT(config_parse(&cfg, text, strlen(text), "t.conf", NULL, 0) == -1);
	EXPECT(zeroed(&cfg, sizeof(cfg)));
	/* Not NUL-terminated: only @len octets are read. */
	EXPECT(config_parse(&cfg, MN_OK "interface = eth1\n",
			    strlen(MN_OK "interface = eth"), "t.conf", err,
			    sizeof(err)) == 0);
	EXPECT(cfg.mn.n_interfaces == 2);
	EXPECT_STREQ(cfg.mn.interfaces[1], "eth");
}

TEST(load_from_file)
{
	char dir[] = "/tmp/cbu-config-test.XXXXXX", path[64];
	static const char text[] = MN_OK "lifetime = 60\n";
	int fd;

	ASSERT(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cbu-agent.conf", dir);

	EXPECT(config_load(&cfg, path, err, sizeof(err)) == -1);
	big_reset();
	big_add("%s: No such file or directory", path);
	EXPECT_STREQ(err, big);

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ASSERT(fd >= 0);
	EXPECT(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	if (!config_load(&cfg, path, err, sizeof(err)))
		EXPECT(cfg.mn.lifetime == 60);
	else
		EXPECT_STREQ(err, "");

	/* Messages name the file as given. */
	fd = open(path, O_WRONLY | O_APPEND);
	ASSERT(fd >= 0);
	EXPECT(write(fd, "mtu = 1280\n", 11) == 11);
	close(fd);
	EXPECT(config_load(&cfg, path, err, sizeof(err)) == -1);
	big_reset();
	big_add("%s:7: unknown key \"mtu\" in this section", path);
	EXPECT_STREQ(err, big);
	EXPECT(zeroed(&cfg, sizeof(cfg)));

	/* Larger than cbu_file_read() takes (64 KiB). */
	fd = open(path, O_WRONLY | O_TRUNC);
	ASSERT(fd >= 0);
	memset(big, '#', sizeof(big));
	EXPECT(write(fd, big, 65537) == 65537);
	close(fd);
	EXPECT(config_load(&cfg, path, err, sizeof(err)) == -1);
	big_reset();
	big_add("%s: File too large", path);
	EXPECT_STREQ(err, big);

	unlink(path);
	rmdir(dir);
}

static struct agent_config running;

/* Could an agent running "running" take @text on reload?  The reason in err. */
static int reloadable(const char *text)
{
	if (parse(text))
		return -2;
	return config_reloadable(&running, &cfg, err, sizeof(err));
}

#define HA_MN1	"mobile-node = 2001:db8:1::10 /etc/cbu/mn1.secret\n"
#define HA_MN2	"mobile-node = 2001:db8:1::11 /etc/cbu/mn2.secret\n"

#define MAP_OK	"[map]\n"						\
		"address = 2001:db8:f0::1\n"			\
		"link = core0\n"					\
		"interface = ar1\n"				\
		"interface = ar2\n"				\
		"certificate = /etc/cbu/map.crt\n"		\
		"private-key = /etc/cbu/map.key\n"

/* [map] (design/hmip.md): its keys, defaults and rules. */
TEST(map_section)
{
	ASSERT(EXPECT_GOOD(CA_OK MAP_OK));
	EXPECT(cfg.map.enabled && addr_is(&cfg.map.address, "2001:db8:f0::1"));
	EXPECT(!strcmp(cfg.map.link, "core0") && cfg.map.n_interfaces == 2 &&
	       !strcmp(cfg.map.interfaces[1], "ar2"));
	/*
	 * Defaults: the address's /64, 420 s, 4096 records, 64 Cert_HAs,
	 * tunnel cbu-map0.
	 */
	EXPECT(addr_is(&cfg.map.rcoa_prefix, "2001:db8:f0::") &&
	       cfg.map.rcoa_prefix_len == 64);
	EXPECT(cfg.map.max_lifetime == 420 && cfg.map.max_bindings == 4096 &&
	       cfg.map.cert_cache == 64 && !strcmp(cfg.map.tunnel, "cbu-map0"));
	ASSERT(EXPECT_GOOD(CA_OK MAP_OK "rcoa-prefix = 2001:db8:f0::/48\n"
			   "max-lifetime = 64\nmax-bindings = 10\n"
			   "cert-cache = 1\ntunnel = map9\n"));
	EXPECT(cfg.map.rcoa_prefix_len == 48 && cfg.map.max_lifetime == 64 &&
	       cfg.map.max_bindings == 10 && cfg.map.cert_cache == 1 &&
	       !strcmp(cfg.map.tunnel, "map9"));
	/* A MAP and a home agent on one node, their prefixes apart. */
	EXPECT_GOOD(CA_OK MAP_OK HA_OK);

	EXPECT_BAD(MAP_OK, "t.conf: [ca] public-key is needed to check certificates");
	EXPECT_BAD(CA_OK "[map]\naddress = 2001:db8:f0::1\nlink = l\n"
		   "certificate = /c\nprivate-key = /k\n",
		   "t.conf: [map] needs address, link, interface, certificate and private-key");
	EXPECT_BAD(CA_OK MAP_OK "rcoa-prefix = 2001:db8:f1::/64\n",
		   "t.conf: [map] address is outside its rcoa-prefix");
	/* Found by fuzz_config: a default it would refuse written out. */
	EXPECT_BAD(CA_OK "[map]\naddress = ::2f1\nlink = l\ninterface = i\n"
		   "certificate = /c\nprivate-key = /k\n",
		   "t.conf: [map] address's /64 is ::/64: give an rcoa-prefix");
	EXPECT_GOOD(CA_OK "[map]\naddress = ::2f1\nlink = l\ninterface = i\n"
		    "certificate = /c\nprivate-key = /k\n"
		    "rcoa-prefix = ::2f0/120\n");
	EXPECT_BAD(CA_OK MAP_OK "rcoa-prefix = 2001:db8::/32\n" HA_OK,
		   "t.conf: [map] rcoa-prefix overlaps [home-agent] home-prefix");
	EXPECT_BAD(CA_OK MAP_OK MN_OK,
		   "t.conf: [map] and [mobile-node] in one agent are not supported");
	EXPECT_BAD(CA_OK MAP_OK "max-bindings = 0\n",
		   "t.conf:10: max-bindings: \"0\" is not a number from 1 to 65536");
	EXPECT_BAD(CA_OK MAP_OK "cert-cache = 65537\n",
		   "t.conf:10: cert-cache: \"65537\" is not a number from 1 to 65536");
	EXPECT_BAD(CA_OK MAP_OK "max-lifetime = 3\n",
		   "t.conf:10: max-lifetime: \"3\" is not a number from 4 to 262140");
	EXPECT_BAD(CA_OK MAP_OK "tunnel = core0\n",
		   "t.conf: [map] tunnel cannot be its link");
	EXPECT_BAD(CA_OK MAP_OK "tunnel = ar2\n",
		   "t.conf: [map] tunnel cannot be one of its interfaces");
	EXPECT_BAD(CA_OK MAP_OK "tunnel = a/b\n",
		   "t.conf:10: tunnel: \"a/b\" is not an interface name");
	EXPECT_BAD(CA_OK MAP_OK "tunnel = x\ntunnel = y\n",
		   "t.conf:11: tunnel given twice");
	EXPECT_BAD(CA_OK MAP_OK "interface = a\ninterface = b\n"
		   "interface = c\ninterface = d\ninterface = e\n"
		   "interface = f\ninterface = g\n",
		   "t.conf:16: more than 8 interfaces");
	EXPECT_BAD(CA_OK MAP_OK "link = x\n", "t.conf:10: link given twice");
	EXPECT_BAD(CA_OK MAP_OK MAP_OK, "t.conf:10: section [map] given twice");
}

#define MN_MAP	"map = 2001:db8:f0::1\n"				\
		"certificate = /etc/cbu/mn.crt\n"			\
		"private-key = /etc/cbu/mn.key\n"

TEST(mobile_node_map)
{
	ASSERT(EXPECT_GOOD(MN_OK));
	EXPECT(!cfg.mn.has_map && !cfg.mn.has_rcoa && !*cfg.mn.certificate);
	ASSERT(EXPECT_GOOD(MN_OK "map = no\n"));
	EXPECT(!cfg.mn.has_map);
	ASSERT(EXPECT_GOOD(CA_OK MN_OK MN_MAP));
	EXPECT(cfg.mn.has_map && addr_is(&cfg.mn.map, "2001:db8:f0::1") &&
	       !cfg.mn.has_rcoa &&
	       !strcmp(cfg.mn.certificate, "/etc/cbu/mn.crt") &&
	       !strcmp(cfg.mn.private_key, "/etc/cbu/mn.key"));
	ASSERT(EXPECT_GOOD(CA_OK MN_OK MN_MAP "rcoa = 2001:db8:f0::a:10\n"));
	EXPECT(cfg.mn.has_rcoa && addr_is(&cfg.mn.rcoa, "2001:db8:f0::a:10"));

	/* Discovered (RAs' MAP options): no address, an rcoa allowed. */
	ASSERT(EXPECT_GOOD(CA_OK MN_OK "map = discover\n"
			   "certificate = /c\nprivate-key = /k\n"));
	EXPECT(cfg.mn.has_map && cfg.mn.map_discover &&
	       IN6_IS_ADDR_UNSPECIFIED(&cfg.mn.map) && !cfg.mn.has_rcoa);
	ASSERT(EXPECT_GOOD(CA_OK MN_OK "map = discover\n"
			   "certificate = /c\nprivate-key = /k\n"
			   "rcoa = 2001:db8:f7::10\n"));
	EXPECT(cfg.mn.map_discover && cfg.mn.has_rcoa &&
	       addr_is(&cfg.mn.rcoa, "2001:db8:f7::10"));
	EXPECT_BAD(CA_OK MN_OK "map = discover\ncertificate = /c\n",
		   "t.conf: [mobile-node] map needs certificate and private-key");
	EXPECT_BAD(MN_OK "map = discover\ncertificate = /c\n"
		   "private-key = /k\n",
		   "t.conf: [ca] public-key is needed to check certificates");
	EXPECT_BAD(CA_OK MN_OK "map = discover\ncertificate = /c\n"
		   "private-key = /k\nrcoa = 2001:db8:1::10\n",
		   "t.conf: [mobile-node] rcoa cannot be the home address");
	EXPECT_BAD(CA_OK MN_OK "map = Discover\n",
		   "t.conf:8: map: \"Discover\" is not an IPv6 address");
	/* The last of no, discover, ADDRESS decides nothing: one map key. */
	EXPECT_BAD(CA_OK MN_OK "map = discover\nmap = no\n",
		   "t.conf:9: map given twice");
	EXPECT_BAD(CA_OK MN_OK "map = somewhere\n",
		   "t.conf:8: map: \"somewhere\" is not an IPv6 address");
	EXPECT_BAD(MN_OK MN_MAP,
		   "t.conf: [ca] public-key is needed to check certificates");
	EXPECT_BAD(CA_OK MN_OK "map = 2001:db8:f0::1\ncertificate = /c\n",
		   "t.conf: [mobile-node] map needs certificate and private-key");
	EXPECT_BAD(CA_OK MN_OK "certificate = /c\nprivate-key = /k\n",
		   "t.conf: [mobile-node] rcoa, certificate and private-key go with map");
	EXPECT_BAD(CA_OK MN_OK "map = no\nrcoa = 2001:db8:f0::a:10\n",
		   "t.conf: [mobile-node] rcoa, certificate and private-key go with map");
	EXPECT_BAD(CA_OK MN_OK "map = ff02::1\ncertificate = /c\n"
		   "private-key = /k\n",
		   "t.conf:8: map: ff02::1 is not a unicast address");
	EXPECT_BAD(CA_OK MN_OK "map = 2001:db8:1::1\ncertificate = /c\n"
		   "private-key = /k\n",
		   "t.conf: [mobile-node] map: not a MAP's unicast address");
	EXPECT_BAD(CA_OK MN_OK MN_MAP "rcoa = 2001:db8:f1::a:10\n",
		   "t.conf: [mobile-node] rcoa must be another address of the MAP's /64");
	EXPECT_BAD(CA_OK MN_OK MN_MAP "rcoa = 2001:db8:f0::1\n",
		   "t.conf: [mobile-node] rcoa must be another address of the MAP's /64");
	EXPECT_BAD(CA_OK MN_OK MN_MAP "map = 2001:db8:f0::2\n",
		   "t.conf:11: map given twice");
	/* The MAP keys are the mobile node's only. */
	EXPECT_BAD(CA_OK HA_OK "map = 2001:db8:f0::1\n",
		   "t.conf:9: unknown key \"map\" in this section");
}

TEST(reload_mobile_node_map)
{
	ASSERT(!parse(CA_OK MN_OK MN_MAP));
	running = cfg;
	EXPECT(!reloadable(CA_OK MN_OK MN_MAP));
	EXPECT(reloadable(CA_OK MN_OK "map = 2001:db8:f0::2\n"
			  "certificate = /etc/cbu/mn.crt\n"
			  "private-key = /etc/cbu/mn.key\n") == -1);
	EXPECT(!strcmp(err, "[mobile-node] map changed: restart cbu-agent to apply it"));
	EXPECT(reloadable(CA_OK MN_OK "map = discover\n"
			  "certificate = /etc/cbu/mn.crt\n"
			  "private-key = /etc/cbu/mn.key\n") == -1);
	EXPECT(!strcmp(err, "[mobile-node] map changed: restart cbu-agent to apply it"));
	EXPECT(reloadable(CA_OK MN_OK MN_MAP "rcoa = 2001:db8:f0::9\n") == -1);
	EXPECT(!strcmp(err, "[mobile-node] rcoa changed: restart cbu-agent to apply it"));
	EXPECT(reloadable(CA_OK MN_OK) == -1);
}

TEST(reload_map)
{
	ASSERT(!parse(CA_OK MAP_OK));
	running = cfg;
	EXPECT(!reloadable(CA_OK "[map]\naddress = 2001:db8:f0::1\n"
			   "link = core0\ninterface = ar1\ninterface = ar2\n"
			   "certificate = /etc/cbu/map2.crt\n"
			   "private-key = /etc/cbu/map2.key\n"));
	EXPECT(reloadable(CA_OK MAP_OK "max-bindings = 5\n") == -1);
	EXPECT(!strcmp(err, "[map] changed: restart cbu-agent to apply it"));
	EXPECT(reloadable(CA_OK MAP_OK "interface = ar3\n") == -1);
	EXPECT(reloadable(CA_OK MAP_OK "tunnel = map9\n") == -1);
	EXPECT(reloadable(CA_OK CN_OK) == -1);
}

TEST(reload_what_can_change)
{
	ASSERT(!parse("[agent]\nlog-level = info\n" CA_OK HA_OK HA_MN1 CN_OK));
	running = cfg;
	/* Mobile nodes added, removed; renewed files; the log. */
	EXPECT(!reloadable("[agent]\nlog-level = debug\n" CA_OK HA_OK HA_MN2
			   CN_OK));
	EXPECT(!reloadable(CA_OK HA_OK HA_MN2 HA_MN1 CN_OK));
	EXPECT(!reloadable("[ca]\npublic-key = /etc/cbu/ca2.pub\n" HA_OK HA_MN1
			   "[correspondent]\naddress = 2001:db8:3::20\n"
			   "certificate = /etc/cbu/cn2.crt\n"
			   "private-key = /etc/cbu/cn2.key\n"));
}

TEST(reload_what_cannot_change_is_named)
{
	ASSERT(!parse(CA_OK HA_OK HA_MN1 CN_OK));
	running = cfg;
	EXPECT(reloadable(CA_OK HA_OK HA_MN1) == -1);
	EXPECT_STREQ(err, "[correspondent] changed: restart cbu-agent to apply it");
	EXPECT(reloadable(CA_OK HA_OK HA_MN1 CN_OK MN_OK) == -1);
	EXPECT_STREQ(err, "[mobile-node] changed: restart cbu-agent to apply it");
	EXPECT(reloadable(CA_OK "[home-agent]\naddress = 2001:db8:1::1\n"
			  "home-prefix = 2001:db8:1::/56\nhome-link = eth1\n"
			  "certificate = /etc/cbu/ha.crt\n"
			  "private-key = /etc/cbu/ha.key\n" HA_MN1 CN_OK) == -1);
	EXPECT_STREQ(err, "[home-agent] home-prefix changed: restart cbu-agent to apply it");
	EXPECT(reloadable(CA_OK HA_OK HA_MN1 CN_OK "lt-en = 60\n") == -1);
	EXPECT_STREQ(err, "[correspondent] lt-en changed: restart cbu-agent to apply it");
	EXPECT(reloadable("[agent]\ncontrol = @other\n" CA_OK HA_OK HA_MN1
			  CN_OK) == -1);
	EXPECT_STREQ(err, "[agent] control changed: restart cbu-agent to apply it");
	EXPECT(reloadable(CA_OK HA_OK
			  "mobile-node = 2001:db8:1::10 /etc/cbu/other\n"
			  CN_OK) == -1);
	EXPECT(strstr(err, "secret of a mobile node kept changed") != NULL);

	ASSERT(!parse(MN_OK));
	running = cfg;
	EXPECT(reloadable(MN_OK "lifetime = 60\n") == -1);
	EXPECT_STREQ(err, "[mobile-node] lifetime changed: restart cbu-agent to apply it");
	EXPECT(reloadable(MN_OK "interface = eth1\n") == -1);
	EXPECT_STREQ(err, "[mobile-node] interface changed: restart cbu-agent to apply it");
	EXPECT(reloadable(MN_OK "accept-correspondents = yes\n") == -1);
	EXPECT_STREQ(err, "[mobile-node] accept-correspondents changed: restart cbu-agent to apply it");
	/* The default, written out, is no change. */
	EXPECT(!reloadable(MN_OK "accept-correspondents = no\nmax-lifetime = 420\n"));
	EXPECT(reloadable(MN_OK "max-lifetime = 60\n") == -1);
	EXPECT_STREQ(err, "[mobile-node] max-lifetime changed: restart cbu-agent to apply it");

	ASSERT(!parse(MN_OK "accept-correspondents = yes\n"));
	running = cfg;
	EXPECT(reloadable(MN_OK) == -1);
	EXPECT_STREQ(err, "[mobile-node] accept-correspondents changed: restart cbu-agent to apply it");
}

/* Draft section 4: a home agent's mobile correspondents. */
#define MCN_FILES	"cn-certificate = /etc/cbu/mcn.crt\n"	\
			"cn-private-key = /etc/cbu/mcn.key\n"
#define MCN1		"mobile-cn = 2001:db8:1::10\n"
#define MCN2		"mobile-cn = 2001:db8:1::11\n"

TEST(reload_mobile_cn)
{
	ASSERT(!parse(CA_OK HA_OK HA_MN1 HA_MN2 MCN1 MCN2 MCN_FILES));
	running = cfg;
	/* The same set in another order; a mobile node moved. */
	EXPECT(!reloadable(CA_OK HA_OK HA_MN2 HA_MN1 MCN2 MCN1 MCN_FILES));
	/* Renewed, as certificate and private-key are. */
	EXPECT(!reloadable(CA_OK HA_OK HA_MN1 HA_MN2 MCN1 MCN2
			   "cn-certificate = /etc/cbu/mcn2.crt\n"
			   "cn-private-key = /etc/cbu/mcn2.key\n"));
	/* A mobile node that is not a mobile correspondent, added. */
	EXPECT(!reloadable(CA_OK HA_OK HA_MN1 HA_MN2
			   "mobile-node = 2001:db8:1::12 /etc/cbu/mn3.secret\n"
			   MCN1 MCN2 MCN_FILES));
	/* The default lt-en, written out, is no change. */
	EXPECT(!reloadable(CA_OK HA_OK HA_MN1 HA_MN2 MCN1 MCN2 MCN_FILES
			   "lt-en = 3600\n"));

	/* One removed, one added, one replaced, all removed. */
	EXPECT(reloadable(CA_OK HA_OK HA_MN1 HA_MN2 MCN1 MCN_FILES) == -1);
	EXPECT_STREQ(err, "[home-agent] mobile-cn changed: restart cbu-agent to apply it");
	EXPECT(reloadable(CA_OK HA_OK HA_MN1 HA_MN2
			  "mobile-node = 2001:db8:1::12 /etc/cbu/mn3.secret\n"
			  MCN1 MCN2 "mobile-cn = 2001:db8:1::12\n"
			  MCN_FILES) == -1);
	EXPECT_STREQ(err, "[home-agent] mobile-cn changed: restart cbu-agent to apply it");
	EXPECT(reloadable(CA_OK HA_OK HA_MN1 HA_MN2
			  "mobile-node = 2001:db8:1::12 /etc/cbu/mn3.secret\n"
			  MCN1 "mobile-cn = 2001:db8:1::12\n"
			  MCN_FILES) == -1);
	EXPECT_STREQ(err, "[home-agent] mobile-cn changed: restart cbu-agent to apply it");
	EXPECT(reloadable(CA_OK HA_OK HA_MN1 HA_MN2) == -1);
	EXPECT_STREQ(err, "[home-agent] mobile-cn changed: restart cbu-agent to apply it");
	/* A mobile correspondent's mobile node cannot go without it. */
	EXPECT(reloadable(CA_OK HA_OK HA_MN1 MCN1 MCN2 MCN_FILES) == -2);
	EXPECT_STREQ(err, "t.conf: mobile-cn 2001:db8:1::11 is not a mobile-node of this home agent");
	EXPECT(reloadable(CA_OK HA_OK HA_MN1 HA_MN2 MCN1 MCN2 MCN_FILES
			  "lt-en = 60\n") == -1);
	EXPECT_STREQ(err, "[home-agent] lt-en changed: restart cbu-agent to apply it");

	/* None running: one added is a change too. */
	ASSERT(!parse(CA_OK HA_OK HA_MN1 HA_MN2));
	running = cfg;
	EXPECT(reloadable(CA_OK HA_OK HA_MN1 HA_MN2 MCN1 MCN_FILES) == -1);
	EXPECT_STREQ(err, "[home-agent] mobile-cn changed: restart cbu-agent to apply it");
	EXPECT(reloadable(CA_OK HA_OK HA_MN1 HA_MN2 "lt-en = 60\n") == -1);
	EXPECT_STREQ(err, "[home-agent] lt-en changed: restart cbu-agent to apply it");
}

static void key_failed(const struct role_config *r, const struct cfg_key *k,
		       const char *why)
{
	printf("# [%s]%s%s: %s\n", r->section, k ? " " : "", k ? k->name : "",
	       why);
	ktest_failed = true;
}

/* role_configs[] holds to what the parser and the reload rule take of it. */
TEST(sections_table)
{
	const struct role_config *r, *s;
	const struct cfg_key *k, *l;
	bool roles = false;

	for_each_section(r) {
		/* struct cfg_parser's bits: one a section, one a key. */
		if (r - role_configs >= 32 || r->n_keys > 64)
			key_failed(r, NULL, "more than the parser's bits");
		for (s = role_configs; s < r; s++)
			if (!strcmp(s->section, r->section))
				key_failed(r, NULL, "section given twice");
		/* [agent] and [ca] first: config_reloadable()'s order. */
		if (r->enabled)
			roles = true;
		else if (roles || r->needs_ca || r->check || r->reload_rule)
			key_failed(r, NULL, "not a role, after one or as one");
		for_each_key(k, r) {
			for (l = r->keys; l < k; l++)
				if (!strcmp(k->name, l->name))
					key_failed(r, k, "key given twice");
			if (!k->get || !k->size)
				key_failed(r, k, "no getter or no field");
			if (k->n_max ? !k->plural || k->def : k->unique)
				key_failed(r, k, "list or not");
			/* A default would make it optional. */
			if (k->required && k->def)
				key_failed(r, k, "required with a default");
		}
	}
	EXPECT(roles);
}

/*
 * Every octet a file can set is a key's field or a role's flag: a reload
 * compares them all.
 */
TEST(every_field_a_key)
{
	static const char *const files[] = {
		"[agent]\nlog-level = debug\nlog-target = syslog\n"
		CA_OK CN_OK MN_OK "correspondent = 2001:db8:3::1\n"
		"accept-correspondents = yes\n",
		CA_OK HA_OK MCN_OK MAP_OK "rcoa-prefix = 2001:db8:f0::/60\n",
		CA_OK MN_OK MN_MAP "rcoa = 2001:db8:f0::a:10\n",
		CA_OK MN_OK "map = discover\ncertificate = /c\n"
		"private-key = /k\n",
	};
	static bool keyed[sizeof(struct agent_config)];
	const struct role_config *r;
	const struct cfg_key *k;
	size_t i, j;

	for_each_section(r) {
		if (r->enabled)
			keyed[r->enabled] = true;
		for_each_key(k, r) {
			memset(keyed + k->off, 1,
			       (k->n_max ? k->n_max : 1) * k->size);
			if (k->n_max)
				memset(keyed + k->count, 1,
				       sizeof(unsigned int));
		}
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		ASSERT(EXPECT_GOOD(files[i]));
		for (j = 0; j < sizeof(cfg); j++)
			if (((unsigned char *)&cfg)[j] && !keyed[j]) {
				printf("# file %zu: octet %zu of no key\n", i,
				       j);
				ktest_failed = true;
			}
	}
}

/* Each key of each section changed alone: refused unless it may reload. */
TEST(reload_every_key)
{
	static struct agent_config changed;
	const struct role_config *r;
	const struct cfg_key *k;
	char want[256];
	bool *held;
	int ret;

	ASSERT(!parse(CA_OK MN_OK));
	running = cfg;
	for_each_section(r) {
		for_each_key(k, r) {
			changed = running;
			/* A list one entry longer, any other field one bit. */
			if (k->n_max)
				(*(unsigned int *)((char *)&changed +
						   k->count))++;
			else
				((char *)&changed)[k->off + k->size - 1] ^= 1;
			snprintf(want, sizeof(want),
				 "[%s]%s%s changed: restart cbu-agent to apply it",
				 r->section, r->whole ? "" : " ",
				 r->whole ? "" : k->name);
			ret = config_reloadable(&running, &changed, err,
						sizeof(err));
			if (k->reload ? ret : ret != -1 || strcmp(err, want))
				key_failed(r, k, ret ? err : "taken");
		}
		if (!r->enabled)
			continue;
		changed = running;
		held = (bool *)((char *)&changed + r->enabled);
		*held = !*held;
		snprintf(want, sizeof(want),
			 "[%s] changed: restart cbu-agent to apply it",
			 r->section);
		EXPECT(config_reloadable(&running, &changed, err,
					 sizeof(err)) == -1);
		EXPECT_STREQ(err, want);
	}
}

KTEST_MAIN()
