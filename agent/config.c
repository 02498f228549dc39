// SPDX-License-Identifier: GPL-2.0
/*
 * cbu-agent's configuration file (see config.h).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "config.h"
#include "lib/armor.h"
#include "lib/cert.h"
#include "log.h"

/* The control socket's name goes into a sockaddr_un (control_open()). */
#define CONTROL_MAX	(sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

enum section { S_NONE, S_AGENT, S_CA, S_MN, S_HA, S_CN, S_MAP };

struct parser {
	struct agent_config *cfg;
	const char *name;
	unsigned int line;
	enum section sec;
	uint64_t seen;		/* keys seen in this section, one bit each */
	unsigned int opened;	/* sections seen, one bit each */
	char *err;
	size_t err_len;
};

static int fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;
	int n;

	/* Line 0: a rule about the whole file, checked at its end. */
	if (p->line)
		n = snprintf(p->err, p->err_len, "%s:%u: ", p->name, p->line);
	else
		n = snprintf(p->err, p->err_len, "%s: ", p->name);
	if (n < 0 || (size_t)n >= p->err_len)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->err + n, p->err_len - n, fmt, ap);
	va_end(ap);
	return -1;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int get_addr(struct parser *p, const char *key, const char *v,
		    struct in6_addr *a)
{
	if (inet_pton(AF_INET6, v, a) != 1)
		return fail(p, "%s: \"%s\" is not an IPv6 address", key, v);
	if (IN6_IS_ADDR_MULTICAST(a) || IN6_IS_ADDR_UNSPECIFIED(a) ||
	    IN6_IS_ADDR_LOOPBACK(a))
		return fail(p, "%s: %s is not a unicast address", key, v);
	return 0;
}

static int get_prefix(struct parser *p, const char *key, const char *v,
		      struct in6_addr *a, uint8_t *len)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long l;

	if (strlen(v) >= sizeof(buf))
		return fail(p, "%s: \"%s\" is not PREFIX/LEN", key, v);
	strcpy(buf, v);
	slash = strchr(buf, '/');
	if (!slash)
		return fail(p, "%s: \"%s\" is not PREFIX/LEN", key, v);
	*slash = '\0';
	/* strtoul() would take " 64" and "+64". */
	errno = 0;
	l = strtoul(slash + 1, &end, 10);
	if (!isdigit((unsigned char)slash[1]) || errno || *end || l < 1 ||
	    l > 128)
		return fail(p, "%s: prefix length must be 1 to 128", key);
	if (get_addr(p, key, buf, a))
		return -1;
	*len = (uint8_t)l;
	return 0;
}

static int get_u32(struct parser *p, const char *key, const char *v,
		   uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long l;
	char *end;

	errno = 0;
	l = strtoul(v, &end, 10);
	if (!isdigit((unsigned char)*v) || errno || *end || l < min || l > max)
		return fail(p, "%s: \"%s\" is not a number from %u to %u", key,
			    v, min, max);
	*out = (uint32_t)l;
	return 0;
}

/* A lifetime: 4 s to 65535 units of 4 s, as the BU and BA carry it. */
static int get_lifetime(struct parser *p, const char *key, const char *v,
			uint32_t *out)
{
	return get_u32(p, key, v, 4, 0xffff * 4, out);
}

/* Exact words, as log-level takes them: "Yes" is refused, not guessed. */
static int get_bool(struct parser *p, const char *key, const char *v,
		    bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*out = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*out = false;
	else
		return fail(p, "%s: \"%s\" is not yes or no", key, v);
	return 0;
}

static int get_str(struct parser *p, const char *key, const char *v,
		   char *out, size_t size)
{
	if (!*v)
		return fail(p, "%s: empty value", key);
	if (strlen(v) >= size)
		return fail(p, "%s: value longer than %zu characters", key,
			    size - 1);
	strcpy(out, v);
	return 0;
}

/*
 * A name the kernel would take for a network device (dev_valid_name()):
 * the agent looks interfaces up by name and skips those it cannot find, so
 * a name that can never exist would be ignored without a word.
 */
static int get_ifname(struct parser *p, const char *key, const char *v,
		      char out[IF_NAMESIZE])
{
	const char *c;

	if (get_str(p, key, v, out, IF_NAMESIZE))
		return -1;
	for (c = v; *c; c++)
		if (*c == '/' || *c == ':' || isspace((unsigned char)*c))
			break;
	if (*c || !strcmp(v, ".") || !strcmp(v, ".."))
		return fail(p, "%s: \"%s\" is not an interface name", key, v);
	return 0;
}

/*
 * Each key of each section: its bit in @seen (for "at most once") and
 * whether it may repeat.
 */
struct key {
	enum section sec;
	const char *name;
	bool repeat;
};

static const struct key keys[] = {
	{ S_AGENT, "log-level", false },
	{ S_AGENT, "log-target", false },
	{ S_AGENT, "control", false },
	{ S_CA, "public-key", false },
	{ S_MN, "home-address", false },
	{ S_MN, "home-agent", false },
	{ S_MN, "secret", false },
	{ S_MN, "interface", true },
	{ S_MN, "lifetime", false },
	{ S_MN, "correspondent", true },
	{ S_MN, "accept-correspondents", false },
	{ S_MN, "max-lifetime", false },
	{ S_MN, "map", false },
	{ S_MN, "rcoa", false },
	{ S_MN, "certificate", false },
	{ S_MN, "private-key", false },
	{ S_HA, "address", false },
	{ S_HA, "home-prefix", false },
	{ S_HA, "home-link", false },
	{ S_HA, "certificate", false },
	{ S_HA, "private-key", false },
	{ S_HA, "mobile-node", true },
	{ S_HA, "mobile-cn", true },
	{ S_HA, "cn-certificate", false },
	{ S_HA, "cn-private-key", false },
	{ S_HA, "lt-en", false },
	{ S_CN, "address", false },
	{ S_CN, "certificate", false },
	{ S_CN, "private-key", false },
	{ S_CN, "lt-en", false },
	{ S_CN, "max-lifetime", false },
	{ S_CN, "cert-cache", false },
	{ S_MAP, "address", false },
	{ S_MAP, "link", false },
	{ S_MAP, "rcoa-prefix", false },
	{ S_MAP, "interface", true },
	{ S_MAP, "certificate", false },
	{ S_MAP, "private-key", false },
	{ S_MAP, "max-lifetime", false },
	{ S_MAP, "max-bindings", false },
	{ S_MAP, "cert-cache", false },
	{ S_MAP, "tunnel", false },
};
_Static_assert(sizeof(keys) / sizeof(keys[0]) <=
	       sizeof(((struct parser *)0)->seen) * CHAR_BIT,
	       "struct parser's seen has a bit per key");

/*
 * mobile-cn = HOA.  Whether HOA is one of the mobile-node lines, which may
 * come after it, is a rule on the whole file (check()).
 */
static int set_mobile_cn(struct parser *p, const char *k, const char *v)
{
	struct agent_config *c = p->cfg;
	struct in6_addr *a;
	unsigned int i;

	/* Each is a mobile node, so the mobile-node limit holds first. */
	if (c->ha.n_mcns == CFG_MAX_MNS)
		return fail(p, "more than %d mobile correspondents",
			    CFG_MAX_MNS);
	a = &c->ha.mcns[c->ha.n_mcns];
	if (get_addr(p, k, v, a))
		return -1;
	for (i = 0; i < c->ha.n_mcns; i++)
		if (!memcmp(&c->ha.mcns[i], a, sizeof(*a)))
			return fail(p, "mobile-cn: %s given twice", v);
	c->ha.n_mcns++;
	return 0;
}

/* [mobile-node] map = no | discover | ADDRESS */
static int get_mn_map(struct parser *p, const char *k, const char *v)
{
	struct agent_config *c = p->cfg;

	c->mn.has_map = false;
	c->mn.map_discover = false;
	memset(&c->mn.map, 0, sizeof(c->mn.map));
	if (!strcmp(v, "no"))
		return 0;
	if (!strcmp(v, "discover")) {
		c->mn.has_map = true;
		c->mn.map_discover = true;
		return 0;
	}
	if (get_addr(p, k, v, &c->mn.map))
		return -1;
	c->mn.has_map = true;
	return 0;
}

static int set_map(struct parser *p, const char *k, const char *v)
{
	struct agent_config *c = p->cfg;

	if (!strcmp(k, "address"))
		return get_addr(p, k, v, &c->map.address);
	if (!strcmp(k, "link"))
		return get_ifname(p, k, v, c->map.link);
	if (!strcmp(k, "rcoa-prefix"))
		return get_prefix(p, k, v, &c->map.rcoa_prefix,
				  &c->map.rcoa_prefix_len);
	if (!strcmp(k, "interface")) {
		if (c->map.n_interfaces == CFG_MAX_IFACES)
			return fail(p, "more than %d interfaces",
				    CFG_MAX_IFACES);
		if (get_ifname(p, k, v, c->map.interfaces[c->map.n_interfaces]))
			return -1;
		c->map.n_interfaces++;
		return 0;
	}
	if (!strcmp(k, "certificate"))
		return get_str(p, k, v, c->map.certificate,
			       sizeof(c->map.certificate));
	if (!strcmp(k, "private-key"))
		return get_str(p, k, v, c->map.private_key,
			       sizeof(c->map.private_key));
	/* A lifetime of 65535 units of 4 s; also how often s_MAP changes. */
	if (!strcmp(k, "max-lifetime"))
		return get_lifetime(p, k, v, &c->map.max_lifetime);
	if (!strcmp(k, "max-bindings"))
		return get_u32(p, k, v, 1, CFG_MAX_MAP_BINDINGS,
			       &c->map.max_bindings);
	if (!strcmp(k, "tunnel"))
		return get_ifname(p, k, v, c->map.tunnel);
	return get_u32(p, k, v, 1, CFG_MAX_CERT_CACHE, &c->map.cert_cache);
}

static int set(struct parser *p, const char *k, char *v)
{
	struct agent_config *c = p->cfg;
	struct cfg_mn_entry *mn;
	unsigned int i;
	uint64_t bit;
	char *w;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].sec == p->sec && !strcmp(keys[i].name, k))
			break;
	if (i == sizeof(keys) / sizeof(keys[0]))
		return fail(p, "unknown key \"%s\" in this section", k);
	bit = (uint64_t)1 << i;
	if ((p->seen & bit) && !keys[i].repeat)
		return fail(p, "%s given twice", k);
	p->seen |= bit;

	switch (p->sec) {
	case S_AGENT:
		if (!strcmp(k, "log-level")) {
			c->log_level = log_level_parse(v);
			if (c->log_level < 0)
				return fail(p, "log-level: one of error, warning, info, debug");
			return 0;
		}
		if (!strcmp(k, "log-target")) {
			if (strcmp(v, "stderr") && strcmp(v, "syslog"))
				return fail(p, "log-target: stderr or syslog");
			c->log_syslog = !strcmp(v, "syslog");
			return 0;
		}
		if (get_str(p, k, v, c->control, sizeof(c->control)))
			return -1;
		/* What control_open() would refuse, --check must too. */
		if (strlen(v) < 2 || strlen(v) > CONTROL_MAX)
			return fail(p, "control: must be 2 to %zu characters",
				    CONTROL_MAX);
		return 0;
	case S_CA:
		return get_str(p, k, v, c->ca_public_key,
			       sizeof(c->ca_public_key));
	case S_MN:
		if (!strcmp(k, "home-address"))
			return get_addr(p, k, v, &c->mn.hoa);
		if (!strcmp(k, "home-agent"))
			return get_addr(p, k, v, &c->mn.ha);
		if (!strcmp(k, "secret"))
			return get_str(p, k, v, c->mn.secret,
				       sizeof(c->mn.secret));
		if (!strcmp(k, "interface")) {
			if (c->mn.n_interfaces == CFG_MAX_IFACES)
				return fail(p, "more than %d interfaces",
					    CFG_MAX_IFACES);
			if (get_ifname(p, k, v,
				       c->mn.interfaces[c->mn.n_interfaces]))
				return -1;
			c->mn.n_interfaces++;
			return 0;
		}
		if (!strcmp(k, "lifetime"))
			return get_lifetime(p, k, v, &c->mn.lifetime);
		if (!strcmp(k, "accept-correspondents"))
			return get_bool(p, k, v, &c->mn.accept_cns);
		/* Kept without accept-correspondents: it costs nothing. */
		if (!strcmp(k, "max-lifetime"))
			return get_lifetime(p, k, v, &c->mn.max_lifetime);
		if (!strcmp(k, "map"))
			return get_mn_map(p, k, v);
		if (!strcmp(k, "rcoa")) {
			c->mn.has_rcoa = true;
			return get_addr(p, k, v, &c->mn.rcoa);
		}
		if (!strcmp(k, "certificate"))
			return get_str(p, k, v, c->mn.certificate,
				       sizeof(c->mn.certificate));
		if (!strcmp(k, "private-key"))
			return get_str(p, k, v, c->mn.private_key,
				       sizeof(c->mn.private_key));
		if (c->mn.n_cns == CFG_MAX_CNS)
			return fail(p, "more than %d correspondents",
				    CFG_MAX_CNS);
		if (get_addr(p, k, v, &c->mn.cns[c->mn.n_cns]))
			return -1;
		c->mn.n_cns++;
		return 0;
	case S_HA:
		if (!strcmp(k, "address"))
			return get_addr(p, k, v, &c->ha.address);
		if (!strcmp(k, "home-prefix"))
			return get_prefix(p, k, v, &c->ha.prefix,
					  &c->ha.prefix_len);
		if (!strcmp(k, "home-link"))
			return get_ifname(p, k, v, c->ha.home_link);
		if (!strcmp(k, "certificate"))
			return get_str(p, k, v, c->ha.certificate,
				       sizeof(c->ha.certificate));
		if (!strcmp(k, "private-key"))
			return get_str(p, k, v, c->ha.private_key,
				       sizeof(c->ha.private_key));
		if (!strcmp(k, "cn-certificate"))
			return get_str(p, k, v, c->ha.cn_certificate,
				       sizeof(c->ha.cn_certificate));
		if (!strcmp(k, "cn-private-key"))
			return get_str(p, k, v, c->ha.cn_private_key,
				       sizeof(c->ha.cn_private_key));
		if (!strcmp(k, "lt-en"))
			return get_lifetime(p, k, v, &c->ha.lt_en);
		if (!strcmp(k, "mobile-cn"))
			return set_mobile_cn(p, k, v);
		/* mobile-node = HOA SECRET-FILE */
		if (c->ha.n_mns == CFG_MAX_MNS)
			return fail(p, "more than %d mobile nodes", CFG_MAX_MNS);
		w = strpbrk(v, " \t");
		if (!w)
			return fail(p, "mobile-node: HOME-ADDRESS SECRET-FILE");
		*w++ = '\0';
		mn = &c->ha.mns[c->ha.n_mns];
		if (get_addr(p, k, v, &mn->hoa) ||
		    get_str(p, k, trim(w), mn->secret, sizeof(mn->secret)))
			return -1;
		/* The home agent would only ever use the first one's secret. */
		for (i = 0; i < c->ha.n_mns; i++)
			if (!memcmp(&c->ha.mns[i].hoa, &mn->hoa,
				    sizeof(mn->hoa)))
				return fail(p, "mobile-node: %s given twice",
					    v);
		c->ha.n_mns++;
		return 0;
	case S_CN:
		if (!strcmp(k, "address"))
			return get_addr(p, k, v, &c->cn.address);
		if (!strcmp(k, "certificate"))
			return get_str(p, k, v, c->cn.certificate,
				       sizeof(c->cn.certificate));
		if (!strcmp(k, "private-key"))
			return get_str(p, k, v, c->cn.private_key,
				       sizeof(c->cn.private_key));
		if (!strcmp(k, "lt-en"))
			return get_lifetime(p, k, v, &c->cn.lt_en);
		if (!strcmp(k, "cert-cache"))
			return get_u32(p, k, v, 0, CFG_MAX_CERT_CACHE,
				       &c->cn.cert_cache);
		return get_lifetime(p, k, v, &c->cn.max_lifetime);
	case S_MAP:
		return set_map(p, k, v);
	default:
		return fail(p, "key outside a section");
	}
}

static int section(struct parser *p, char *name)
{
	static const struct {
		const char *name;
		enum section sec;
	} secs[] = {
		{ "agent", S_AGENT }, { "ca", S_CA },
		{ "mobile-node", S_MN }, { "home-agent", S_HA },
		{ "correspondent", S_CN }, { "map", S_MAP },
	};
	size_t i;

	for (i = 0; i < sizeof(secs) / sizeof(secs[0]); i++) {
		if (strcmp(name, secs[i].name))
			continue;
		if (p->opened & (1u << secs[i].sec))
			return fail(p, "section [%s] given twice", name);
		p->opened |= 1u << secs[i].sec;
		p->sec = secs[i].sec;
		p->seen = 0;
		if (p->sec == S_MN)
			p->cfg->mn.enabled = true;
		else if (p->sec == S_HA)
			p->cfg->ha.enabled = true;
		else if (p->sec == S_CN)
			p->cfg->cn.enabled = true;
		else if (p->sec == S_MAP)
			p->cfg->map.enabled = true;
		return 0;
	}
	return fail(p, "unknown section [%s]", name);
}

static bool ha_serves(const struct agent_config *c, const struct in6_addr *a)
{
	unsigned int i;

	for (i = 0; i < c->ha.n_mns; i++)
		if (!memcmp(&c->ha.mns[i].hoa, a, sizeof(*a)))
			return true;
	return false;
}

/* [home-agent]'s mobile correspondents (draft section 4), once all is read. */
static int check_mobile_cns(struct parser *p)
{
	struct agent_config *c = p->cfg;
	char buf[INET6_ADDRSTRLEN];
	unsigned int i;

	for (i = 0; i < c->ha.n_mcns; i++) {
		inet_ntop(AF_INET6, &c->ha.mcns[i], buf, sizeof(buf));
		if (!ha_serves(c, &c->ha.mcns[i]))
			return fail(p, "mobile-cn %s is not a mobile-node of this home agent",
				    buf);
		/* BUs to it come to this home agent only inside the prefix. */
		if (!cbu_prefix_covers(c->ha.prefix.s6_addr, c->ha.prefix_len,
				       c->ha.mcns[i].s6_addr))
			return fail(p, "mobile-cn %s is outside [home-agent] home-prefix",
				    buf);
	}
	if (c->ha.n_mcns && (!*c->ha.cn_certificate || !*c->ha.cn_private_key))
		return fail(p, "[home-agent] mobile-cn needs cn-certificate and cn-private-key");
	if (!c->ha.n_mcns && *c->ha.cn_certificate)
		return fail(p, "[home-agent] cn-certificate without a mobile-cn");
	if (!c->ha.n_mcns && *c->ha.cn_private_key)
		return fail(p, "[home-agent] cn-private-key without a mobile-cn");
	/*
	 * One agent would be a correspondent twice over: for its own
	 * address and for the mobile correspondents it serves, with one
	 * slot table, certificate and lt-en for both.
	 */
	if (c->ha.n_mcns && c->cn.enabled)
		return fail(p, "mobile-cn and [correspondent] in one agent are not supported");
	return 0;
}

/* [map], once all is read (design/hmip.md, "Configuration"). */
static int check_map(struct parser *p)
{
	struct agent_config *c = p->cfg;
	unsigned int i;

	if (!c->map.enabled)
		return 0;
	if (IN6_IS_ADDR_UNSPECIFIED(&c->map.address) || !*c->map.link ||
	    !c->map.n_interfaces || !*c->map.certificate ||
	    !*c->map.private_key)
		return fail(p, "[map] needs address, link, interface, certificate and private-key");
	if (!c->map.rcoa_prefix_len) {
		c->map.rcoa_prefix = c->map.address;
		c->map.rcoa_prefix_len = 64;
		memset(c->map.rcoa_prefix.s6_addr + 8, 0, 8);
		/* As rcoa-prefix would refuse it written out: ::/64. */
		if (IN6_IS_ADDR_UNSPECIFIED(&c->map.rcoa_prefix))
			return fail(p, "[map] address's /64 is ::/64: give an rcoa-prefix");
	}
	if (!cbu_prefix_covers(c->map.rcoa_prefix.s6_addr,
			       c->map.rcoa_prefix_len, c->map.address.s6_addr))
		return fail(p, "[map] address is outside its rcoa-prefix");
	/* An RCoA must never be a home address this node serves. */
	if (c->ha.enabled &&
	    (cbu_prefix_covers(c->ha.prefix.s6_addr, c->ha.prefix_len,
			       c->map.rcoa_prefix.s6_addr) ||
	     cbu_prefix_covers(c->map.rcoa_prefix.s6_addr,
			       c->map.rcoa_prefix_len, c->ha.prefix.s6_addr)))
		return fail(p, "[map] rcoa-prefix overlaps [home-agent] home-prefix");
	/* The tunnel is a device of its own, made by the agent. */
	if (!strcmp(c->map.tunnel, c->map.link))
		return fail(p, "[map] tunnel cannot be its link");
	for (i = 0; i < c->map.n_interfaces; i++)
		if (!strcmp(c->map.tunnel, c->map.interfaces[i]))
			return fail(p, "[map] tunnel cannot be one of its interfaces");
	/* A MAP forwards for mobile nodes; it is not one. */
	if (c->mn.enabled)
		return fail(p, "[map] and [mobile-node] in one agent are not supported");
	return 0;
}

/* [mobile-node]'s MAP keys, once all is read (design/hmip.md item 51). */
static int check_mn_map(struct parser *p)
{
	const struct agent_config *c = p->cfg;

	if (!c->mn.has_map) {
		if (c->mn.has_rcoa || *c->mn.certificate ||
		    *c->mn.private_key)
			return fail(p, "[mobile-node] rcoa, certificate and private-key go with map");
		return 0;
	}
	if (!*c->mn.certificate || !*c->mn.private_key)
		return fail(p, "[mobile-node] map needs certificate and private-key");
	/*
	 * Discovered, the MAP is not known yet: an rcoa is taken where it
	 * is on the MAP's /64 (hm.c), and cannot be the home address.
	 */
	if (c->mn.map_discover) {
		if (c->mn.has_rcoa && !memcmp(&c->mn.rcoa, &c->mn.hoa, 16))
			return fail(p, "[mobile-node] rcoa cannot be the home address");
		return 0;
	}
	/* get_addr() refused the unspecified and multicast addresses. */
	if (!memcmp(&c->mn.map, &c->mn.hoa, 16) ||
	    !memcmp(&c->mn.map, &c->mn.ha, 16))
		return fail(p, "[mobile-node] map: not a MAP's unicast address");
	if (c->mn.has_rcoa &&
	    (!memcmp(&c->mn.rcoa, &c->mn.map, 16) ||
	     !memcmp(&c->mn.rcoa, &c->mn.hoa, 16) ||
	     !cbu_prefix_covers(c->mn.map.s6_addr, 64, c->mn.rcoa.s6_addr)))
		return fail(p, "[mobile-node] rcoa must be another address of the MAP's /64");
	return 0;
}

static int check(struct parser *p)
{
	struct agent_config *c = p->cfg;

	p->line = 0;
	if (c->mn.enabled && (IN6_IS_ADDR_UNSPECIFIED(&c->mn.hoa) ||
			      IN6_IS_ADDR_UNSPECIFIED(&c->mn.ha) ||
			      !*c->mn.secret || !c->mn.n_interfaces))
		return fail(p, "[mobile-node] needs home-address, home-agent, secret and interface");
	if (check_mn_map(p))
		return -1;
	if (c->ha.enabled && (IN6_IS_ADDR_UNSPECIFIED(&c->ha.address) ||
			      !c->ha.prefix_len || !*c->ha.home_link ||
			      !*c->ha.certificate || !*c->ha.private_key))
		return fail(p, "[home-agent] needs address, home-prefix, home-link, certificate and private-key");
	if (c->cn.enabled && (IN6_IS_ADDR_UNSPECIFIED(&c->cn.address) ||
			      !*c->cn.certificate || !*c->cn.private_key))
		return fail(p, "[correspondent] needs address, certificate and private-key");
	/* cbu.ko hands a home prefix's CBU messages to the home agent. */
	if (c->ha.enabled && c->cn.enabled &&
	    cbu_prefix_covers(c->ha.prefix.s6_addr, c->ha.prefix_len,
			      c->cn.address.s6_addr))
		return fail(p, "[correspondent] address is inside [home-agent] home-prefix: its messages would go to the home agent");
	if (check_mobile_cns(p))
		return -1;
	if (check_map(p))
		return -1;
	if ((c->ha.enabled || c->cn.enabled || c->map.enabled ||
	     c->mn.has_map) &&
	    !*c->ca_public_key)
		return fail(p, "[ca] public-key is needed to check certificates");
	if (!c->mn.enabled && !c->ha.enabled && !c->cn.enabled &&
	    !c->map.enabled)
		return fail(p, "no role: add [mobile-node], [home-agent], [correspondent] or [map]");
	return 0;
}

static int parse(struct agent_config *cfg, const char *text, size_t len,
		 const char *name, char *err, size_t err_len)
{
	struct parser p = {
		.cfg = cfg, .name = name, .err = err, .err_len = err_len,
	};
	const char *end = text + len;
	char line[1024], *s, *eq;
	size_t n;

	memset(cfg, 0, sizeof(*cfg));
	cfg->log_level = LOG_INFO;
	strcpy(cfg->control, CFG_DEFAULT_CONTROL);
	cfg->mn.lifetime = 256;
	cfg->mn.max_lifetime = 420;
	cfg->ha.lt_en = 3600;
	cfg->cn.lt_en = 3600;
	cfg->cn.max_lifetime = 420;
	cfg->cn.cert_cache = 64;
	cfg->map.max_lifetime = 420;
	cfg->map.max_bindings = 4096;
	cfg->map.cert_cache = 64;
	strcpy(cfg->map.tunnel, "cbu-map0");

	while (text < end) {
		const char *nl = memchr(text, '\n', (size_t)(end - text));

		n = (size_t)((nl ? nl : end) - text);
		p.line++;
		if (n >= sizeof(line))
			return fail(&p, "line longer than %zu characters",
				    sizeof(line) - 1);
		memcpy(line, text, n);
		line[n] = '\0';
		text += n + (nl ? 1 : 0);
		if (memchr(line, '\0', n))
			return fail(&p, "NUL character");

		s = trim(line);
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');

			if (!close || *trim(close + 1))
				return fail(&p, "bad section header");
			*close = '\0';
			if (section(&p, trim(s + 1)))
				return -1;
			continue;
		}
		eq = strchr(s, '=');
		if (!eq)
			return fail(&p, "expected \"key = value\"");
		*eq = '\0';
		if (p.sec == S_NONE)
			return fail(&p, "key outside a section");
		if (set(&p, trim(s), trim(eq + 1)))
			return -1;
	}
	return check(&p);
}

int config_parse(struct agent_config *cfg, const char *text, size_t len,
		 const char *name, char *err, size_t err_len)
{
	if (!parse(cfg, text, len, name, err, err_len))
		return 0;
	/* Nothing half-parsed is left for a caller to use by mistake. */
	memset(cfg, 0, sizeof(*cfg));
	return -1;
}

int config_load(struct agent_config *cfg, const char *path, char *err,
		size_t err_len)
{
	char *text;
	size_t len;
	int ret;

	ret = cbu_file_read(path, &text, &len);
	if (ret) {
		snprintf(err, err_len, "%s: %s", path, strerror(-ret));
		return -1;
	}
	ret = config_parse(cfg, text, len, path, err, err_len);
	cbu_file_free(text, len);
	return ret;
}

/* The same mobile correspondents, in any order (each is given once). */
static bool same_mcns(const struct agent_config *old,
		      const struct agent_config *new)
{
	unsigned int i, j;

	if (old->ha.n_mcns != new->ha.n_mcns)
		return false;
	for (i = 0; i < old->ha.n_mcns; i++) {
		for (j = 0; j < new->ha.n_mcns; j++)
			if (!memcmp(&old->ha.mcns[i], &new->ha.mcns[j],
				    sizeof(struct in6_addr)))
				break;
		if (j == new->ha.n_mcns)
			return false;
	}
	return true;
}

/*
 * A reload applies what a running agent can change without losing a
 * binding or a path (config.h); anything else names its key and changes
 * nothing.
 */
int config_reloadable(const struct agent_config *old,
		      const struct agent_config *new, char *err,
		      size_t err_len)
{
	const char *key = NULL;
	unsigned int i, j;

#define DIFFER(field)	memcmp(&old->field, &new->field, sizeof(old->field))
	if (strcmp(old->control, new->control))
		key = "[agent] control";
	else if (old->mn.enabled != new->mn.enabled)
		key = "[mobile-node]";
	else if (old->ha.enabled != new->ha.enabled)
		key = "[home-agent]";
	else if (old->cn.enabled != new->cn.enabled)
		key = "[correspondent]";
	else if (old->map.enabled != new->map.enabled)
		key = "[map]";
	/* The mobile node's section is its registration: all of it. */
	else if (DIFFER(mn.hoa))
		key = "[mobile-node] home-address";
	else if (DIFFER(mn.ha))
		key = "[mobile-node] home-agent";
	else if (DIFFER(mn.secret))
		key = "[mobile-node] secret";
	else if (old->mn.n_interfaces != new->mn.n_interfaces ||
		 DIFFER(mn.interfaces))
		key = "[mobile-node] interface";
	else if (DIFFER(mn.lifetime))
		key = "[mobile-node] lifetime";
	else if (old->mn.n_cns != new->mn.n_cns || DIFFER(mn.cns))
		key = "[mobile-node] correspondent";
	else if (DIFFER(mn.accept_cns))
		key = "[mobile-node] accept-correspondents";
	else if (DIFFER(mn.max_lifetime))
		key = "[mobile-node] max-lifetime";
	else if (DIFFER(mn.has_map) || DIFFER(mn.map_discover) ||
		 DIFFER(mn.map))
		key = "[mobile-node] map";
	else if (DIFFER(mn.has_rcoa) || DIFFER(mn.rcoa))
		key = "[mobile-node] rcoa";
	else if (DIFFER(mn.certificate))
		key = "[mobile-node] certificate";
	else if (DIFFER(mn.private_key))
		key = "[mobile-node] private-key";
	else if (DIFFER(ha.address))
		key = "[home-agent] address";
	else if (DIFFER(ha.prefix) || DIFFER(ha.prefix_len))
		key = "[home-agent] home-prefix";
	else if (DIFFER(ha.home_link))
		key = "[home-agent] home-link";
	else if (!same_mcns(old, new))
		key = "[home-agent] mobile-cn";
	else if (DIFFER(ha.lt_en))
		key = "[home-agent] lt-en";
	else if (DIFFER(cn.address))
		key = "[correspondent] address";
	else if (DIFFER(cn.lt_en))
		key = "[correspondent] lt-en";
	else if (DIFFER(cn.max_lifetime))
		key = "[correspondent] max-lifetime";
	else if (DIFFER(cn.cert_cache))
		key = "[correspondent] cert-cache";
	/* [map]: its certificate and key only. */
	else if (DIFFER(map.address) || DIFFER(map.link) ||
		 DIFFER(map.rcoa_prefix) || DIFFER(map.rcoa_prefix_len) ||
		 DIFFER(map.interfaces) || DIFFER(map.n_interfaces) ||
		 DIFFER(map.max_lifetime) || DIFFER(map.max_bindings) ||
		 DIFFER(map.cert_cache) || DIFFER(map.tunnel))
		key = "[map]";
#undef DIFFER
	if (key) {
		snprintf(err, err_len, "%s changed: restart cbu-agent to apply it",
			 key);
		return -1;
	}
	/* A mobile node kept keeps its z: its secret is read once. */
	for (i = 0; i < old->ha.n_mns; i++)
		for (j = 0; j < new->ha.n_mns; j++)
			if (!memcmp(&old->ha.mns[i].hoa, &new->ha.mns[j].hoa,
				    sizeof(struct in6_addr)) &&
			    strcmp(old->ha.mns[i].secret,
				   new->ha.mns[j].secret)) {
				snprintf(err, err_len,
					 "[home-agent] mobile-node: the secret of a mobile node kept changed: remove it, reload, add it");
				return -1;
			}
	return 0;
}
