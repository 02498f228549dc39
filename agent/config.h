/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cbu-agent's configuration file (Documentation/agent.md): INI sections,
 * one per role the node holds, "key = value" lines, "#" comments.  The
 * parser is strict: an unknown section or key, a bad value, a repeated key
 * that may appear once, or a role missing what it needs is an error naming
 * the file and line.  Secrets are not read here, only their file names.
 */
#ifndef _AGENT_CONFIG_H
#define _AGENT_CONFIG_H

#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFG_MAX_CNS	64
#define CFG_MAX_MNS	256
#define CFG_MAX_CERT_CACHE	65536
#define CFG_PATH_MAX	256
#define CFG_MAX_IFACES	8
#define CFG_MAX_MAP_BINDINGS	65536

struct cfg_mn_entry {
	struct in6_addr hoa;
	char secret[CFG_PATH_MAX];
};

struct agent_config {
	/* [agent] */
	int log_level;
	bool log_syslog;
	char control[CFG_PATH_MAX];	/* "@name": abstract, per netns */

	/* [ca] */
	char ca_public_key[CFG_PATH_MAX];

	/* [mobile-node] */
	struct {
		bool enabled;
		struct in6_addr hoa;
		struct in6_addr ha;
		char secret[CFG_PATH_MAX];
		/* Where care-of addresses come from, in order of preference. */
		char interfaces[CFG_MAX_IFACES][IF_NAMESIZE];
		unsigned int n_interfaces;
		uint32_t lifetime;		/* seconds asked for a binding */
		struct in6_addr cns[CFG_MAX_CNS];
		unsigned int n_cns;
		/*
		 * Draft section 4: serve as a correspondent while moving
		 * (Documentation/design/mobile-cn.md), granting bindings of
		 * at most max_lifetime seconds.
		 */
		bool accept_cns;
		uint32_t max_lifetime;		/* seconds */
		/*
		 * HMIPv6 (draft section 5, design/hmip.md items 49, 51): the
		 * MAP every care-of address is under, if @has_map, or, with
		 * @map_discover too, the one each link's RAs name (@map
		 * unspecified); the RCoA to ask for, if @has_rcoa (else from
		 * the MAP's /64 and the LCoA's interface identifier);
		 * Cert_MN and its key.  The fields of one key follow each
		 * other without padding: a reload compares them as one.
		 */
		struct in6_addr map;
		bool has_map;
		bool map_discover;
		struct in6_addr rcoa;
		bool has_rcoa;
		char certificate[CFG_PATH_MAX];
		char private_key[CFG_PATH_MAX];
	} mn;

	/* [home-agent] */
	struct {
		bool enabled;
		struct in6_addr address;
		struct in6_addr prefix;
		uint8_t prefix_len;
		char home_link[IF_NAMESIZE];
		char certificate[CFG_PATH_MAX];
		char private_key[CFG_PATH_MAX];
		struct cfg_mn_entry mns[CFG_MAX_MNS];
		unsigned int n_mns;
		/*
		 * Draft section 4: mobile nodes served that are also
		 * correspondents, each the home address of one of mns[]; this
		 * home agent is their CN_HA and runs the CN exchange for them
		 * with the cn certificate below, announcing lt_en.
		 */
		struct in6_addr mcns[CFG_MAX_MNS];
		unsigned int n_mcns;
		char cn_certificate[CFG_PATH_MAX];
		char cn_private_key[CFG_PATH_MAX];
		uint32_t lt_en;			/* seconds */
	} ha;

	/* [correspondent] */
	struct {
		bool enabled;
		struct in6_addr address;
		char certificate[CFG_PATH_MAX];
		char private_key[CFG_PATH_MAX];
		uint32_t lt_en;			/* seconds */
		uint32_t max_lifetime;		/* seconds */
		uint32_t cert_cache;		/* Cert_HA kept verified */
	} cn;

	/* [map]: an HMIPv6 MAP (draft section 5, design/hmip.md) */
	struct {
		bool enabled;
		struct in6_addr address;
		char link[IF_NAMESIZE];		/* the RCoA prefix's */
		struct in6_addr rcoa_prefix;
		uint8_t rcoa_prefix_len;
		/* Towards the domain's access routers. */
		char interfaces[CFG_MAX_IFACES][IF_NAMESIZE];
		unsigned int n_interfaces;
		char certificate[CFG_PATH_MAX];	/* kind map, the CA's */
		char private_key[CFG_PATH_MAX];
		uint32_t max_lifetime;		/* seconds; also s_MAP's period */
		uint32_t max_bindings;		/* records, one per RCoA */
		uint32_t cert_cache;		/* Cert_HAs kept verified */
		/* The collect_md ip6ip6 device the MAP forwards through. */
		char tunnel[IF_NAMESIZE];
	} map;
};

struct cfg_parser;

/*
 * A key of a section.  Its value is read by @get into its field, at @off
 * in struct agent_config, of @size octets: a reload compares those.  A
 * key that may repeat is a list of up to @n_max entries of @size octets
 * at @off, their number the unsigned int at @count; with @unique, each
 * entry is named by the address it starts with, may appear once, and
 * the list is compared as a set.
 */
struct cfg_key {
	const char *name;
	int (*get)(struct cfg_parser *p, const struct cfg_key *k, char *v,
		   void *field);
	size_t off, size;
	uint32_t min, max;	/* a number's range */
	size_t count;
	unsigned int n_max;
	const char *plural;	/* of an entry: "more than 8 interfaces" */
	const char *def;	/* the default, as the file would give it */
	bool required;		/* its section is refused without it */
	bool unique;
	bool reload;		/* a running agent takes a change of it */
};

/*
 * A section: [agent] and [ca] first, then one a role.  A role's section
 * sets its bool at @enabled; it needs [ca]'s public-key when the bool at
 * @needs_ca is set; @check holds its rules on the whole file, run once
 * its required keys are there.  A reload may change its keys marked so
 * and what @reload_rule (NULL: none) lets through; a refusal names the
 * key, or the section alone if @whole.
 */
struct role_config {
	const char *section;
	const struct cfg_key *keys;
	size_t n_keys;
	size_t enabled, needs_ca;	/* 0: not a role */
	int (*check)(struct cfg_parser *p);
	const char *(*reload_rule)(const struct agent_config *old,
				   const struct agent_config *new);
	bool whole;
};

/* Every section, in this order, up to one with @section NULL. */
extern const struct role_config role_configs[];

#define for_each_section(r)	for ((r) = role_configs; (r)->section; (r)++)
#define for_each_key(k, r)						\
	for ((k) = (r)->keys; (k) < (r)->keys + (r)->n_keys; (k)++)

#define CFG_DEFAULT_PATH	"/etc/cbu/cbu-agent.conf"
#define CFG_DEFAULT_CONTROL	"@cbu-agent"

/*
 * Parse @len octets of @text, from @name (for messages).  Returns 0, or -1
 * with the reason in @err ("NAME:LINE: ...", or "NAME: ..." for a rule on
 * the whole file such as a role's required keys) and @cfg zeroed.
 */
int config_parse(struct agent_config *cfg, const char *text, size_t len,
		 const char *name, char *err, size_t err_len);
/* Read and parse the file @path. */
int config_load(struct agent_config *cfg, const char *path, char *err,
		size_t err_len);

/*
 * Whether a running agent of @old can take @new (SIGHUP, `cbuctl agent
 * reload`) without losing a binding or a path: mobile nodes of a home
 * agent added and removed, certificates (cn-certificate too), private keys
 * and the CA key renewed (the MAP's too), the log level and target.  A
 * role added or
 * removed, an address, the home prefix or link, the control socket, a
 * mobile node's section, the set of mobile-cn, the home agent's lt-en or
 * the secret file of a mobile node kept cannot: -1 with the key in @err.
 */
int config_reloadable(const struct agent_config *old,
		      const struct agent_config *new, char *err,
		      size_t err_len);

#endif /* _AGENT_CONFIG_H */
