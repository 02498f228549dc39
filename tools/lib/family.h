/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The requests and replies of the cbu family (uapi/linux/cbu.h), for
 * cbuctl and cbu-agent alike: one struct per reply or notification, filled
 * by a parse function that checks every attribute's length before reading
 * it, and one function per request.  Nothing here prints.
 *
 * Every request function returns 0 or a negative errno, with the kernel's
 * reason in @err (may be NULL) when it refused; -EPROTO means a reply the
 * parser could not make sense of.
 */
#ifndef _CBU_FAMILY_H
#define _CBU_FAMILY_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/cbu.h>
#include <linux/cbu_mh.h>	/* CBU_KEY_LEN */

#include "genl.h"

/* Bit of attribute @attr in a struct's @has mask. */
#define CBU_HAS(attr)	(1U << (attr))

/* A binding cache entry (CBU_A_BINDING) as BINDING_GET and events give it. */
struct cbu_binding_info {
	unsigned int has;		/* CBU_HAS(CBU_A_BCE_*) of those sent */
	struct in6_addr hoa;
	struct in6_addr cn;
	uint8_t role;			/* enum cbu_role */
	uint8_t state;			/* enum cbu_bce_state */
	struct in6_addr coa;		/* bound entries only */
	struct in6_addr peer_coa;	/* a mobile node's, CN away from home */
	uint16_t seq;
	uint32_t lifetime;		/* seconds left; bound entries only */
	uint32_t lt_en;
	uint32_t max_lifetime;
	uint32_t reqid;
	uint32_t unconfirmed;		/* bound entries only */
	uint64_t packets;
	uint64_t bytes;
	uint64_t updates;
};

/*
 * Parse the payload of a CBU_A_BINDING nest.  HoA, CN, role and state are
 * required; attributes this build does not know are skipped.
 */
int cbu_binding_parse(const struct nlattr *nest, struct cbu_binding_info *b);

/*
 * What CBU_CMD_KEY_NEW and _SET install.  @k_bu is sent only if @has_k_bu; the
 * optional u32s only if their CBU_HAS(CBU_A_BCE_*) bit is in @has.  The
 * caller wipes the keys (sodium_memzero) when done with the struct.
 */
struct cbu_key_cfg {
	unsigned int has;		/* CBU_HAS() of LT_EN, MAX_LIFETIME, REQID */
	struct in6_addr hoa;
	struct in6_addr cn;
	uint8_t role;			/* enum cbu_role */
	bool has_k_bu;
	uint8_t k_bu[CBU_KEY_LEN];
	uint8_t k_ba[CBU_KEY_LEN];
	uint32_t lt_en;
	uint32_t max_lifetime;
	uint32_t reqid;
};

/* KEY_NEW: a new entry; -EEXIST if (HoA, CN) has one. */
int cbu_key_new(struct cbu_genl *g, const struct cbu_key_cfg *cfg,
		struct cbu_genl_err *err);
/* KEY_SET: replace an entry's keys and settings; -ENOENT if it has none. */
int cbu_key_set(struct cbu_genl *g, const struct cbu_key_cfg *cfg,
		struct cbu_genl_err *err);
int cbu_key_del(struct cbu_genl *g, const struct in6_addr *hoa,
		const struct in6_addr *cn, struct cbu_genl_err *err);

int cbu_binding_get(struct cbu_genl *g, const struct in6_addr *hoa,
		    const struct in6_addr *cn, struct cbu_binding_info *b,
		    struct cbu_genl_err *err);
/*
 * Every entry, in the kernel's order, each handed to @fn; a non-zero return
 * of @fn ends the walk (the dump is still read to its end) and is returned.
 * -EAGAIN: the set of entries changed during the dump; what @fn got may be
 * inconsistent, dump again.
 */
int cbu_binding_dump(struct cbu_genl *g,
		     int (*fn)(const struct cbu_binding_info *b, void *arg),
		     void *arg, struct cbu_genl_err *err);
int cbu_binding_del(struct cbu_genl *g, const struct in6_addr *hoa,
		    const struct in6_addr *cn, struct cbu_genl_err *err);

/* CBU_A_STATS: counters the kernel did not send read 0. */
struct cbu_stats {
	uint64_t counter[__CBU_STAT_MAX];	/* by enum cbu_stat */
};

int cbu_stats_get(struct cbu_genl *g, struct cbu_stats *st,
		  struct cbu_genl_err *err);
int cbu_stats_reset(struct cbu_genl *g, struct cbu_genl_err *err);

/* CBU_A_PARAMS. */
struct cbu_param_info {
	unsigned int has;		/* CBU_HAS(CBU_A_PARAM_*) */
	uint32_t bc_packets;
	uint32_t bc_timeout;		/* milliseconds */
	uint32_t capacity;
	uint32_t max_lifetime;		/* seconds */
	uint32_t event_rate;
	uint32_t entries;		/* read-only */
};

/* The member of @p that attribute @type (CBU_A_PARAM_*) fills, or NULL. */
uint32_t *cbu_param_field(struct cbu_param_info *p, int type);

int cbu_param_get(struct cbu_genl *g, struct cbu_param_info *p,
		  struct cbu_genl_err *err);
/* Set the parameters whose bit is in @p->has. */
int cbu_param_set(struct cbu_genl *g, const struct cbu_param_info *p,
		  struct cbu_genl_err *err);

/* CBU_A_HOME: a home prefix served. */
struct cbu_home {
	struct in6_addr prefix;
	uint8_t len;
};

int cbu_home_add(struct cbu_genl *g, const struct cbu_home *h,
		 struct cbu_genl_err *err);
int cbu_home_del(struct cbu_genl *g, const struct cbu_home *h,
		 struct cbu_genl_err *err);
/* As cbu_binding_dump(), for the prefixes served. */
int cbu_home_dump(struct cbu_genl *g,
		  int (*fn)(const struct cbu_home *h, void *arg), void *arg,
		  struct cbu_genl_err *err);

/*
 * CBU_A_OWN: a mobile correspondent's own addresses (draft section 4).
 * @has_coa false: forget them (set), none set (get).
 */
struct cbu_own {
	struct in6_addr hoa;
	struct in6_addr coa;
	bool has_coa;
};

int cbu_own_set(struct cbu_genl *g, const struct cbu_own *o,
		struct cbu_genl_err *err);
int cbu_own_get(struct cbu_genl *g, struct cbu_own *o,
		struct cbu_genl_err *err);

/*
 * CBU_A_MAP: an HMIPv6 mobility anchor point.  @set false: none is set
 * (get).  Ifindexes of this namespace; @tunnel 0: none.
 */
struct cbu_map {
	struct in6_addr address;
	struct in6_addr rcoa_prefix;
	uint8_t rcoa_len;
	uint32_t tunnel;
	unsigned int n_ifs;
	uint32_t ifindex[CBU_MAP_INTERFACES_MAX];
	bool set;
};

int cbu_map_set(struct cbu_genl *g, const struct cbu_map *m,
		struct cbu_genl_err *err);
int cbu_map_del(struct cbu_genl *g, struct cbu_genl_err *err);
int cbu_map_get(struct cbu_genl *g, struct cbu_map *m,
		struct cbu_genl_err *err);
/* A CBU_A_MAP nest: 0, or -EPROTO for one that breaks its rules. */
int cbu_map_parse(const struct nlattr *nest, struct cbu_map *m);

/*
 * CBU_A_MAP_BINDING: a binding of the map, RCoA to LCoA.  @lifetime:
 * seconds granted (bind), seconds left (get, events).  The counters are
 * read-only.
 */
struct cbu_map_binding {
	struct in6_addr rcoa;
	struct in6_addr lcoa;
	struct in6_addr hoa;
	uint32_t lifetime;
	uint64_t packets;
	uint64_t bytes;
};

/* MAP_BIND: bind, move or refresh @mb->rcoa. */
int cbu_map_bind(struct cbu_genl *g, const struct cbu_map_binding *mb,
		 struct cbu_genl_err *err);
int cbu_map_unbind(struct cbu_genl *g, const struct in6_addr *rcoa,
		   struct cbu_genl_err *err);
int cbu_map_binding_get(struct cbu_genl *g, const struct in6_addr *rcoa,
			struct cbu_map_binding *mb, struct cbu_genl_err *err);
/* As cbu_binding_dump(), for the map's bindings. */
int cbu_map_binding_dump(struct cbu_genl *g,
			 int (*fn)(const struct cbu_map_binding *mb,
				   void *arg),
			 void *arg, struct cbu_genl_err *err);
/* A CBU_A_MAP_BINDING nest: the three addresses are required. */
int cbu_map_binding_parse(const struct nlattr *nest,
			  struct cbu_map_binding *mb);

/*
 * A CBU_CMD_EVENT notification: an entry's (@b), or with @is_map a map
 * binding's (@mb; CBU_EVENT_MAP_EXPIRED).
 */
struct cbu_event_info {
	uint8_t event;			/* enum cbu_event */
	bool is_map;
	struct cbu_binding_info b;
	struct cbu_map_binding mb;
};

/* A CBU_CMD_MH_RECV notification; @data points into the message. */
struct cbu_mh_recv {
	struct in6_addr src;
	struct in6_addr dst;
	bool has_hoa;
	struct in6_addr hoa;
	const uint8_t *data;		/* the MH, from its payload proto */
	size_t len;
};

/* Parse a notification; the genetlink command must be the right one. */
int cbu_event_parse(const struct nlmsghdr *nlh, struct cbu_event_info *ev);
int cbu_mh_recv_parse(const struct nlmsghdr *nlh, struct cbu_mh_recv *m);

#endif /* _CBU_FAMILY_H */
