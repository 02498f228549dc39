// SPDX-License-Identifier: GPL-2.0
/*
 * Names of the cbu family's enum values (see names.h), one table per enum,
 * indexed by its values.
 */
#include <stddef.h>
#include <string.h>

#include "names.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

const char *const cbu_stat_names[] = {
	[CBU_STAT_BU_ACCEPTED] = "bu_accepted",
	[CBU_STAT_BU_DELETED] = "bu_deleted",
	[CBU_STAT_BU_BAD_MAC] = "bu_bad_mac",
	[CBU_STAT_BU_SEQ_WINDOW] = "bu_seq_window",
	[CBU_STAT_BU_NO_KEYS] = "bu_no_keys",
	[CBU_STAT_BU_NO_HAO] = "bu_no_hao",
	[CBU_STAT_MALFORMED] = "malformed",
	[CBU_STAT_BAD_CHECKSUM] = "bad_checksum",
	[CBU_STAT_BA_SENT] = "ba_sent",
	[CBU_STAT_BE_SENT] = "be_sent",
	[CBU_STAT_BC_ACCEPTED] = "bc_accepted",
	[CBU_STAT_BC_BAD_MAC] = "bc_bad_mac",
	[CBU_STAT_BC_STALE] = "bc_stale",
	[CBU_STAT_BA_ACCEPTED] = "ba_accepted",
	[CBU_STAT_BA_BAD_MAC] = "ba_bad_mac",
	[CBU_STAT_BA_STALE] = "ba_stale",
	[CBU_STAT_BC_SENT] = "bc_sent",
	[CBU_STAT_BC_TIMEOUT] = "bc_timeout",
	[CBU_STAT_TX_STOPPED] = "tx_stopped",
	[CBU_STAT_HAO_DROPPED] = "hao_dropped",
	[CBU_STAT_EXPIRED] = "expired",
	[CBU_STAT_MH_TO_AGENT] = "mh_to_agent",
	[CBU_STAT_MIGRATED] = "migrated",
	[CBU_STAT_MIGRATE_FAILED] = "migrate_failed",
	[CBU_STAT_TX_ERRORS] = "tx_errors",
	[CBU_STAT_MH_LIMITED] = "mh_limited",
	[CBU_STAT_BA_LIMITED] = "ba_limited",
	[CBU_STAT_NOT_CBU] = "not_cbu",
	[CBU_STAT_TRANSIT] = "transit",
	[CBU_STAT_HDR_DISCARD] = "hdr_discard",
	[CBU_STAT_HDR_SKIPPED] = "hdr_skipped",
	[CBU_STAT_FRAGMENT] = "fragment",
	[CBU_STAT_MH_TO_SOCKET] = "mh_to_socket",
	[CBU_STAT_BA_PEER] = "ba_peer",
	[CBU_STAT_BU_TO_AGENT] = "bu_to_agent",
	[CBU_STAT_FWD] = "fwd",
	[CBU_STAT_FWD_NOT_OWN] = "fwd_not_own",
	[CBU_STAT_MAP_BU] = "map_bu",
	[CBU_STAT_MAP_OUTSIDE] = "map_outside",
	[CBU_STAT_MAP_SPOOFED] = "map_spoofed",
	[CBU_STAT_MAP_UNBOUND] = "map_unbound",
	[CBU_STAT_MAP_EXPIRED] = "map_expired",
};

/*
 * The table takes its size from its last entry, so a counter appended to
 * the enum without a name here fails the build.
 */
_Static_assert(ARRAY_SIZE(cbu_stat_names) == __CBU_STAT_MAX,
	       "one name per enum cbu_stat counter");

static const char *const state_names[] = {
	[CBU_BCE_KEYED] = "keyed",
	[CBU_BCE_UNCONFIRMED] = "unconfirmed",
	[CBU_BCE_CONFIRMED] = "confirmed",
	[CBU_BCE_STOPPED] = "stopped",
};

static const char *const role_names[] = {
	[CBU_ROLE_CN] = "cn",
	[CBU_ROLE_MN] = "mn",
};

static const char *const event_names[] = {
	[CBU_EVENT_CREATED] = "created",
	[CBU_EVENT_UPDATED] = "updated",
	[CBU_EVENT_CONFIRMED] = "confirmed",
	[CBU_EVENT_EXPIRED] = "expired",
	[CBU_EVENT_DELETED] = "deleted",
	[CBU_EVENT_BC_TIMEOUT] = "bc_timeout",
	[CBU_EVENT_MAC_FAILURE] = "mac_failure",
	[CBU_EVENT_MIGRATE_FAILED] = "migrate_failed",
	[CBU_EVENT_MAP_EXPIRED] = "map_expired",
};

_Static_assert(ARRAY_SIZE(event_names) == __CBU_EVENT_MAX,
	       "one name per enum cbu_event");

static const char *lookup(const char *const *names, size_t n, unsigned int v)
{
	return v < n ? names[v] : NULL;
}

const char *cbu_stat_name(unsigned int stat)
{
	return lookup(cbu_stat_names, ARRAY_SIZE(cbu_stat_names), stat);
}

const char *cbu_state_name(unsigned int state)
{
	return lookup(state_names, ARRAY_SIZE(state_names), state);
}

const char *cbu_role_name(unsigned int role)
{
	return lookup(role_names, ARRAY_SIZE(role_names), role);
}

const char *cbu_event_name(unsigned int event)
{
	return lookup(event_names, ARRAY_SIZE(event_names), event);
}

static const char *const feature_names[] = {
	[CBU_F_BINDING_CACHE] = "binding_cache",
	[CBU_F_EVENTS] = "events",
	[CBU_F_XFRM_MIGRATE] = "xfrm_migrate",
	[CBU_F_HOME] = "home",
	[CBU_F_MOBILE_CN] = "mobile_cn",
	[CBU_F_MAP] = "map",
	[CBU_F_MAP_BINDINGS] = "map_bindings",
};

_Static_assert(ARRAY_SIZE(feature_names) == __CBU_F_COUNT,
	       "a name for every enum cbu_feature bit");

const char *cbu_feature_name(unsigned int bit)
{
	return lookup(feature_names, ARRAY_SIZE(feature_names), bit);
}

int cbu_role_parse(const char *name, unsigned int *role)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(role_names); i++) {
		if (role_names[i] && !strcmp(name, role_names[i])) {
			*role = i;
			return 0;
		}
	}
	return -1;
}
