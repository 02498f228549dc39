// SPDX-License-Identifier: GPL-2.0
/*
 * cbu-agent's configuration file (see config.h): one table, role_configs[],
 * of the sections and their keys, that the parser, the defaults, the rules
 * on the whole file and the reload rule walk.  A role is added with its
 * struct in struct agent_config (config.h), its table of keys and its line
 * of role_configs[] here, and its struct role_ops (role.c).
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

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* The control socket's name goes into a sockaddr_un (control_open()). */
#define CONTROL_MAX	(sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

struct cfg_parser {
	struct agent_config *cfg;
	const char *name;
	unsigned int line;
	const struct role_config *sec;	/* NULL before the first */
	unsigned int opened;		/* sections seen, one bit each */
	uint64_t seen[32];		/* keys seen, by section, a bit each */
	char *err;
	size_t err_len;
};

static int fail(struct cfg_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(struct cfg_parser *p, const char *fmt, ...)
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

static int get_addr(struct cfg_parser *p, const struct cfg_key *k, char *v,
		    void *field)
{
	struct in6_addr *a = field;

	if (inet_pton(AF_INET6, v, a) != 1)
		return fail(p, "%s: \"%s\" is not an IPv6 address", k->name, v);
	if (IN6_IS_ADDR_MULTICAST(a) || IN6_IS_ADDR_UNSPECIFIED(a) ||
	    IN6_IS_ADDR_LOOPBACK(a))
		return fail(p, "%s: %s is not a unicast address", k->name, v);
	return 0;
}

/* PREFIX/LEN: the address, then its length in the octet after it. */
static int get_prefix(struct cfg_parser *p, const struct cfg_key *k, char *v,
		      void *field)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long l;

	if (strlen(v) >= sizeof(buf))
		return fail(p, "%s: \"%s\" is not PREFIX/LEN", k->name, v);
	strcpy(buf, v);
	slash = strchr(buf, '/');
	if (!slash)
		return fail(p, "%s: \"%s\" is not PREFIX/LEN", k->name, v);
	*slash = '\0';
	/* strtoul() would take " 64" and "+64". */
	errno = 0;
	l = strtoul(slash + 1, &end, 10);
	if (!isdigit((unsigned char)slash[1]) || errno || *end || l < 1 ||
	    l > 128)
		return fail(p, "%s: prefix length must be 1 to 128", k->name);
	if (get_addr(p, k, buf, field))
		return -1;
	*((uint8_t *)field + sizeof(struct in6_addr)) = (uint8_t)l;
	return 0;
}

static int get_u32(struct cfg_parser *p, const struct cfg_key *k, char *v,
		   void *field)
{
	unsigned long l;
	char *end;

	errno = 0;
	l = strtoul(v, &end, 10);
	if (!isdigit((unsigned char)*v) || errno || *end || l < k->min ||
	    l > k->max)
		return fail(p, "%s: \"%s\" is not a number from %u to %u",
			    k->name, v, k->min, k->max);
	*(uint32_t *)field = (uint32_t)l;
	return 0;
}

/* Exact words, as log-level takes them: "Yes" is refused, not guessed. */
static int get_bool(struct cfg_parser *p, const struct cfg_key *k, char *v,
		    void *field)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*(bool *)field = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*(bool *)field = false;
	else
		return fail(p, "%s: \"%s\" is not yes or no", k->name, v);
	return 0;
}

static int copy_str(struct cfg_parser *p, const struct cfg_key *k,
		    const char *v, char *out, size_t size)
{
	if (!*v)
		return fail(p, "%s: empty value", k->name);
	if (strlen(v) >= size)
		return fail(p, "%s: value longer than %zu characters",
			    k->name, size - 1);
	strcpy(out, v);
	return 0;
}

static int get_str(struct cfg_parser *p, const struct cfg_key *k, char *v,
		   void *field)
{
	return copy_str(p, k, v, field, k->size);
}

/*
 * A name the kernel would take for a network device (dev_valid_name()):
 * the agent looks interfaces up by name and skips those it cannot find, so
 * a name that can never exist would be ignored without a word.
 */
static int get_ifname(struct cfg_parser *p, const struct cfg_key *k, char *v,
		      void *field)
{
	const char *c;

	if (get_str(p, k, v, field))
		return -1;
	for (c = v; *c; c++)
		if (*c == '/' || *c == ':' || isspace((unsigned char)*c))
			break;
	if (*c || !strcmp(v, ".") || !strcmp(v, ".."))
		return fail(p, "%s: \"%s\" is not an interface name", k->name,
			    v);
	return 0;
}

static int get_log_level(struct cfg_parser *p, const struct cfg_key *k,
			 char *v, void *field)
{
	int *level = field;

	*level = log_level_parse(v);
	if (*level < 0)
		return fail(p, "%s: one of error, warning, info, debug",
			    k->name);
	return 0;
}

static int get_log_target(struct cfg_parser *p, const struct cfg_key *k,
			  char *v, void *field)
{
	if (strcmp(v, "stderr") && strcmp(v, "syslog"))
		return fail(p, "%s: stderr or syslog", k->name);
	*(bool *)field = !strcmp(v, "syslog");
	return 0;
}

static int get_control(struct cfg_parser *p, const struct cfg_key *k,
		       char *v, void *field)
{
	if (get_str(p, k, v, field))
		return -1;
	/* What control_open() would refuse, --check must too. */
	if (strlen(v) < 2 || strlen(v) > CONTROL_MAX)
		return fail(p, "%s: must be 2 to %zu characters", k->name,
			    CONTROL_MAX);
	return 0;
}

/* [home-agent] mobile-node = HOA SECRET-FILE, the path all the rest */
static int get_ha_mn(struct cfg_parser *p, const struct cfg_key *k, char *v,
		     void *field)
{
	struct cfg_mn_entry *mn = field;
	char *w = strpbrk(v, " \t");

	if (!w)
		return fail(p, "%s: HOME-ADDRESS SECRET-FILE", k->name);
	*w++ = '\0';
	if (get_addr(p, k, v, &mn->hoa))
		return -1;
	return copy_str(p, k, trim(w), mn->secret, sizeof(mn->secret));
}

/* [mobile-node] map = no | discover | ADDRESS */
static int get_mn_map(struct cfg_parser *p, const struct cfg_key *k, char *v,
		      void *field)
{
	if (!strcmp(v, "no"))
		return 0;
	p->cfg->mn.has_map = true;
	if (!strcmp(v, "discover")) {
		p->cfg->mn.map_discover = true;
		return 0;
	}
	return get_addr(p, k, v, field);
}

static int get_mn_rcoa(struct cfg_parser *p, const struct cfg_key *k,
		       char *v, void *field)
{
	p->cfg->mn.has_rcoa = true;
	return get_addr(p, k, v, field);
}

/* [mobile-node]'s MAP keys, once all is read (design/hmip.md item 51). */
static int check_mn(struct cfg_parser *p)
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

static bool ha_serves(const struct agent_config *c, const struct in6_addr *a)
{
	unsigned int i;

	for (i = 0; i < c->ha.n_mns; i++)
		if (!memcmp(&c->ha.mns[i].hoa, a, sizeof(*a)))
			return true;
	return false;
}

/* [home-agent]'s mobile correspondents (draft section 4), once all is read. */
static int check_ha(struct cfg_parser *p)
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

/* A mobile node kept keeps its z: its secret is read once. */
static const char *ha_reload_rule(const struct agent_config *old,
				  const struct agent_config *new)
{
	unsigned int i, j;

	for (i = 0; i < old->ha.n_mns; i++)
		for (j = 0; j < new->ha.n_mns; j++)
			if (!memcmp(&old->ha.mns[i].hoa, &new->ha.mns[j].hoa,
				    sizeof(struct in6_addr)) &&
			    strcmp(old->ha.mns[i].secret,
				   new->ha.mns[j].secret))
				return "[home-agent] mobile-node: the secret of a mobile node kept changed: remove it, reload, add it";
	return NULL;
}

/* cbu.ko hands a home prefix's CBU messages to the home agent. */
static int check_cn(struct cfg_parser *p)
{
	const struct agent_config *c = p->cfg;

	if (c->ha.enabled &&
	    cbu_prefix_covers(c->ha.prefix.s6_addr, c->ha.prefix_len,
			      c->cn.address.s6_addr))
		return fail(p, "[correspondent] address is inside [home-agent] home-prefix: its messages would go to the home agent");
	return 0;
}

/* [map], once all is read (design/hmip.md, "Configuration"). */
static int check_map(struct cfg_parser *p)
{
	struct agent_config *c = p->cfg;
	unsigned int i;

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

#define OFF(f)		offsetof(struct agent_config, f)
#define SIZE(f)		sizeof(((struct agent_config *)0)->f)
#define AT(f)		.off = OFF(f), .size = SIZE(f)
/* A key held in the fields @f to @l, next to each other (config.h). */
#define SPAN(f, l)	.off = OFF(f), .size = OFF(l) + SIZE(l) - OFF(f)
#define LIST(f, n, what)						\
	.off = OFF(f), .size = SIZE(f[0]), .count = OFF(n),		\
	.n_max = ARRAY_SIZE(((struct agent_config *)0)->f), .plural = what
/* A lifetime: 4 s to 65535 units of 4 s, as the BU and BA carry it. */
#define LIFETIME	.min = 4, .max = 0xffff * 4
#define KEYS(t)		.keys = t, .n_keys = ARRAY_SIZE(t)

static const struct cfg_key agent_keys[] = {
	{ "log-level", get_log_level, AT(log_level), .def = "info",
	  .reload = true },
	{ "log-target", get_log_target, AT(log_syslog), .reload = true },
	{ "control", get_control, AT(control), .def = CFG_DEFAULT_CONTROL },
};

static const struct cfg_key ca_keys[] = {
	{ "public-key", get_str, AT(ca_public_key), .reload = true },
};

/* The mobile node's section is its registration: none of it reloads. */
static const struct cfg_key mn_keys[] = {
	{ "home-address", get_addr, AT(mn.hoa), .required = true },
	{ "home-agent", get_addr, AT(mn.ha), .required = true },
	{ "secret", get_str, AT(mn.secret), .required = true },
	{ "interface", get_ifname,
	  LIST(mn.interfaces, mn.n_interfaces, "interfaces"),
	  .required = true },
	{ "lifetime", get_u32, AT(mn.lifetime), LIFETIME, .def = "256" },
	{ "correspondent", get_addr, LIST(mn.cns, mn.n_cns, "correspondents") },
	{ "accept-correspondents", get_bool, AT(mn.accept_cns) },
	/* Taken without accept-correspondents: it costs nothing. */
	{ "max-lifetime", get_u32, AT(mn.max_lifetime), LIFETIME,
	  .def = "420" },
	{ "map", get_mn_map, SPAN(mn.map, mn.map_discover) },
	{ "rcoa", get_mn_rcoa, SPAN(mn.rcoa, mn.has_rcoa) },
	{ "certificate", get_str, AT(mn.certificate) },
	{ "private-key", get_str, AT(mn.private_key) },
};

static const struct cfg_key ha_keys[] = {
	{ "address", get_addr, AT(ha.address), .required = true },
	{ "home-prefix", get_prefix, SPAN(ha.prefix, ha.prefix_len),
	  .required = true },
	{ "home-link", get_ifname, AT(ha.home_link), .required = true },
	{ "certificate", get_str, AT(ha.certificate), .required = true,
	  .reload = true },
	{ "private-key", get_str, AT(ha.private_key), .required = true,
	  .reload = true },
	/* The home agent would only ever use the first one's secret. */
	{ "mobile-node", get_ha_mn, LIST(ha.mns, ha.n_mns, "mobile nodes"),
	  .unique = true, .reload = true },
	/*
	 * Each a mobile node's, so under the mobile-node limit; which one's
	 * is a rule on the whole file, its line may come after (check_ha()).
	 */
	{ "mobile-cn", get_addr,
	  LIST(ha.mcns, ha.n_mcns, "mobile correspondents"), .unique = true },
	{ "cn-certificate", get_str, AT(ha.cn_certificate), .reload = true },
	{ "cn-private-key", get_str, AT(ha.cn_private_key), .reload = true },
	{ "lt-en", get_u32, AT(ha.lt_en), LIFETIME, .def = "3600" },
};

static const struct cfg_key cn_keys[] = {
	{ "address", get_addr, AT(cn.address), .required = true },
	{ "certificate", get_str, AT(cn.certificate), .required = true,
	  .reload = true },
	{ "private-key", get_str, AT(cn.private_key), .required = true,
	  .reload = true },
	{ "lt-en", get_u32, AT(cn.lt_en), LIFETIME, .def = "3600" },
	{ "max-lifetime", get_u32, AT(cn.max_lifetime), LIFETIME,
	  .def = "420" },
	{ "cert-cache", get_u32, AT(cn.cert_cache), .min = 0,
	  .max = CFG_MAX_CERT_CACHE, .def = "64" },
};

static const struct cfg_key map_keys[] = {
	{ "address", get_addr, AT(map.address), .required = true },
	{ "link", get_ifname, AT(map.link), .required = true },
	/* Without it, the address's /64 (check_map()). */
	{ "rcoa-prefix", get_prefix,
	  SPAN(map.rcoa_prefix, map.rcoa_prefix_len) },
	{ "interface", get_ifname,
	  LIST(map.interfaces, map.n_interfaces, "interfaces"),
	  .required = true },
	{ "certificate", get_str, AT(map.certificate), .required = true,
	  .reload = true },
	{ "private-key", get_str, AT(map.private_key), .required = true,
	  .reload = true },
	/* Also how often s_MAP changes. */
	{ "max-lifetime", get_u32, AT(map.max_lifetime), LIFETIME,
	  .def = "420" },
	{ "max-bindings", get_u32, AT(map.max_bindings), .min = 1,
	  .max = CFG_MAX_MAP_BINDINGS, .def = "4096" },
	{ "cert-cache", get_u32, AT(map.cert_cache), .min = 1,
	  .max = CFG_MAX_CERT_CACHE, .def = "64" },
	{ "tunnel", get_ifname, AT(map.tunnel), .def = "cbu-map0" },
};

/*
 * [agent] and [ca] first (config_reloadable()); then the roles, in the
 * order "no role: add ..." names them and check() takes them.
 */
const struct role_config role_configs[] = {
	{ "agent", KEYS(agent_keys) },
	{ "ca", KEYS(ca_keys) },
	{ "mobile-node", KEYS(mn_keys), .enabled = OFF(mn.enabled),
	  .needs_ca = OFF(mn.has_map), .check = check_mn },
	{ "home-agent", KEYS(ha_keys), .enabled = OFF(ha.enabled),
	  .needs_ca = OFF(ha.enabled), .check = check_ha,
	  .reload_rule = ha_reload_rule },
	{ "correspondent", KEYS(cn_keys), .enabled = OFF(cn.enabled),
	  .needs_ca = OFF(cn.enabled), .check = check_cn },
	/* Only its certificate and key reload: a change names the section. */
	{ "map", KEYS(map_keys), .enabled = OFF(map.enabled),
	  .needs_ca = OFF(map.enabled), .check = check_map, .whole = true },
	{ NULL }
};

static bool flag(const struct agent_config *c, size_t off)
{
	return *(const bool *)((const char *)c + off);
}

/* Whether @c holds the role @r: never [agent] or [ca]. */
static bool held(const struct agent_config *c, const struct role_config *r)
{
	return r->enabled && flag(c, r->enabled);
}

static uint64_t key_bit(const struct role_config *r, const struct cfg_key *k)
{
	return (uint64_t)1 << (k - r->keys);
}

static unsigned int count(const struct agent_config *c,
			  const struct cfg_key *k)
{
	return *(const unsigned int *)((const char *)c + k->count);
}

/* Word @i of @n in the list in @buf: "a", "a or b", "a, b or c". */
static void list_add(char *buf, size_t size, unsigned int i, unsigned int n,
		     const char *conj, const char *word)
{
	size_t len = strlen(buf);

	snprintf(buf + len, size - len, "%s%s",
		 !i ? "" : i + 1 < n ? ", " : conj, word);
}

static int section(struct cfg_parser *p, const char *name)
{
	const struct role_config *r;
	unsigned int bit;

	for_each_section(r) {
		if (strcmp(name, r->section))
			continue;
		bit = 1u << (r - role_configs);
		if (p->opened & bit)
			return fail(p, "section [%s] given twice", name);
		p->opened |= bit;
		p->sec = r;
		if (r->enabled)
			*(bool *)((char *)p->cfg + r->enabled) = true;
		return 0;
	}
	return fail(p, "unknown section [%s]", name);
}

static int set(struct cfg_parser *p, const char *name, char *v)
{
	const struct role_config *r = p->sec;
	uint64_t *seen = &p->seen[r - role_configs];
	const struct cfg_key *k;
	char *base, *field;
	unsigned int *n, i;

	for_each_key(k, r)
		if (!strcmp(k->name, name))
			break;
	if (k == r->keys + r->n_keys)
		return fail(p, "unknown key \"%s\" in this section", name);
	if ((*seen & key_bit(r, k)) && !k->n_max)
		return fail(p, "%s given twice", name);
	*seen |= key_bit(r, k);

	base = (char *)p->cfg + k->off;
	if (!k->n_max)
		return k->get(p, k, v, base);
	n = (unsigned int *)((char *)p->cfg + k->count);
	if (*n == k->n_max)
		return fail(p, "more than %u %s", k->n_max, k->plural);
	field = base + *n * k->size;
	if (k->get(p, k, v, field))
		return -1;
	for (i = 0; k->unique && i < *n; i++)
		if (!memcmp(base + i * k->size, field, sizeof(struct in6_addr)))
			return fail(p, "%s: %s given twice", name, v);
	(*n)++;
	return 0;
}

/* A role's required keys: all named if one is missing. */
static int check_required(struct cfg_parser *p, const struct role_config *r)
{
	const struct cfg_key *k;
	unsigned int i = 0, n = 0;
	bool missing = false;
	char keys[256] = "";

	for_each_key(k, r) {
		n += k->required;
		missing |= k->required &&
			   !(p->seen[r - role_configs] & key_bit(r, k));
	}
	if (!missing)
		return 0;
	for_each_key(k, r)
		if (k->required)
			list_add(keys, sizeof(keys), i++, n, " and ", k->name);
	return fail(p, "[%s] needs %s", r->section, keys);
}

static int check(struct cfg_parser *p)
{
	const struct role_config *r;
	const struct agent_config *c = p->cfg;
	unsigned int i = 0, n = 0;
	char roles[256] = "", word[64];

	p->line = 0;
	for_each_section(r)
		if (held(c, r) &&
		    (check_required(p, r) || (r->check && r->check(p))))
			return -1;
	for_each_section(r)
		if (r->needs_ca && flag(c, r->needs_ca) && !*c->ca_public_key)
			return fail(p, "[ca] public-key is needed to check certificates");
	for_each_section(r) {
		if (held(c, r))
			return 0;
		n += !!r->enabled;
	}
	for_each_section(r) {
		if (!r->enabled)
			continue;
		snprintf(word, sizeof(word), "[%s]", r->section);
		list_add(roles, sizeof(roles), i++, n, " or ", word);
	}
	return fail(p, "no role: add %s", roles);
}

static int parse(struct agent_config *cfg, const char *text, size_t len,
		 const char *name, char *err, size_t err_len)
{
	struct cfg_parser p = {
		.cfg = cfg, .name = name, .err = err, .err_len = err_len,
	};
	const char *end = text + len;
	char line[1024], *s, *eq;
	const struct role_config *r;
	const struct cfg_key *k;
	size_t n;

	memset(cfg, 0, sizeof(*cfg));
	/* Defaults, every role's held or not, read as the file gives them. */
	for_each_section(r)
		for_each_key(k, r)
			if (k->def &&
			    k->get(&p, k, strcpy(line, k->def),
				   (char *)cfg + k->off))
				return -1;

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
		if (!p.sec)
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

static bool same(const struct cfg_key *k, const struct agent_config *old,
		 const struct agent_config *new)
{
	const char *a = (const char *)old + k->off;
	const char *b = (const char *)new + k->off;
	unsigned int n = k->n_max ? count(old, k) : 1, i, j;

	if (k->n_max && n != count(new, k))
		return false;
	if (!k->unique)
		return !memcmp(a, b, n * k->size);
	/* Each entry given once: the same set, in any order. */
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++)
			if (!memcmp(a + i * k->size, b + j * k->size, k->size))
				break;
		if (j == n)
			return false;
	}
	return true;
}

static const struct cfg_key *key_changed(const struct role_config *r,
					 const struct agent_config *old,
					 const struct agent_config *new)
{
	const struct cfg_key *k;

	for_each_key(k, r)
		if (!k->reload && !same(k, old, new))
			return k;
	return NULL;
}

static int restart(char *err, size_t err_len, const struct role_config *r,
		   const struct cfg_key *k)
{
	snprintf(err, err_len, "[%s]%s%s changed: restart cbu-agent to apply it",
		 r->section, k ? " " : "", k ? k->name : "");
	return -1;
}

/*
 * A reload applies what a running agent can change without losing a
 * binding or a path (config.h); anything else names its key and changes
 * nothing.  [agent] and [ca], at the head of the table, come first, with
 * which roles are held; then the roles' keys; then their own rules.
 */
int config_reloadable(const struct agent_config *old,
		      const struct agent_config *new, char *err,
		      size_t err_len)
{
	const struct role_config *r;
	const struct cfg_key *k;
	const char *why;

	for_each_section(r) {
		if (held(old, r) != held(new, r))
			return restart(err, err_len, r, NULL);
		if (!r->enabled && (k = key_changed(r, old, new)))
			return restart(err, err_len, r, k);
	}
	for_each_section(r)
		if (r->enabled && (k = key_changed(r, old, new)))
			return restart(err, err_len, r, r->whole ? NULL : k);
	for_each_section(r)
		if (r->reload_rule && (why = r->reload_rule(old, new))) {
			snprintf(err, err_len, "%s", why);
			return -1;
		}
	return 0;
}
