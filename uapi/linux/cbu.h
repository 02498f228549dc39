/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * cbu: Certificate-based Binding Update for Mobile IPv6
 * (draft-qiu-mip6-certificated-binding-update-03).
 *
 * The generic netlink family "cbu" between cbu.ko and its userspace
 * (cbu-agent, cbuctl).  Documentation/netlink/specs/cbu.yaml is the
 * specification of this family; this header follows it.
 *
 * The family is netnsok: every network namespace has its own state, and
 * every command that changes state needs CAP_NET_ADMIN in the user
 * namespace owning the caller's network namespace.
 */
#ifndef _UAPI_LINUX_CBU_H
#define _UAPI_LINUX_CBU_H

#define CBU_GENL_NAME		"cbu"
#define CBU_GENL_VERSION	1

/* Multicast groups. */
#define CBU_MCGRP_EVENTS	"events"	/* enum cbu_event notifications */
#define CBU_MCGRP_MH		"mh"		/* MH handed to the agent */

/**
 * enum cbu_cmd - commands of the cbu family
 * @CBU_CMD_VERSION_GET: reply with %CBU_A_VERSION and %CBU_A_FEATURES;
 *	unprivileged, takes no attribute.
 * @CBU_CMD_KEY_NEW: install the keys of a new binding cache entry;
 *	-EEXIST if (HOA, CN) has one.  %CBU_A_BINDING with HOA, CN, ROLE,
 *	K_BU (role cn), K_BA; optional LT_EN, MAX_LIFETIME, REQID.  Keys are
 *	never readable back.
 * @CBU_CMD_KEY_SET: replace the keys (and settings) of an existing entry,
 *	keeping its binding; -ENOENT if there is none.  Same attributes.
 * @CBU_CMD_KEY_DEL: delete an entry, its keys and its binding: HOA, CN.
 * @CBU_CMD_BINDING_GET: one entry (HOA, CN) or, as a dump, all of them.
 * @CBU_CMD_BINDING_DEL: drop an entry's binding (its CoA), keep its keys.
 * @CBU_CMD_STATS_GET: the namespace's counters (%CBU_A_STATS).
 * @CBU_CMD_STATS_RESET: zero them.
 * @CBU_CMD_PARAM_GET: the namespace's parameters (%CBU_A_PARAMS).
 * @CBU_CMD_PARAM_SET: change some of them.
 * @CBU_CMD_EVENT: a notification on %CBU_MCGRP_EVENTS: %CBU_A_EVENT and
 *	the entry's %CBU_A_BINDING.
 * @CBU_CMD_HOME_ADD: serve a home prefix (%CBU_A_HOME): CBU messages to
 *	its addresses go to the agent, not on (the home agent's role).
 * @CBU_CMD_HOME_DEL: stop serving it.
 * @CBU_CMD_HOME_GET: dump the prefixes served.
 * @CBU_CMD_MH_RECV: a notification on %CBU_MCGRP_MH: an MH for a served
 *	home address (%CBU_A_MH).
 * @CBU_CMD_OWN_SET: this node is a mobile node that takes correspondents
 *	(draft section 4): its home address and its care-of address
 *	(%CBU_A_OWN with HOA and COA); without COA, forget them.
 * @CBU_CMD_OWN_GET: reply with %CBU_A_OWN, empty when none is set.
 * @CBU_CMD_MAP_SET: this node is an HMIPv6 mobility anchor point: its
 *	address, RCoA prefix and domain interfaces (%CBU_A_MAP), replacing
 *	any set before.  Local BUs to the address from a domain interface
 *	go to the agent on %CBU_MCGRP_MH.
 * @CBU_CMD_MAP_DEL: stop being one; -ENOENT if no map is set.
 * @CBU_CMD_MAP_GET: reply with %CBU_A_MAP, empty when no map is set.
 * @CBU_CMD_MAP_BIND: bind an RCoA to an LCoA (%CBU_A_MAP_BINDING with
 *	RCOA, LCOA, HOA, LIFETIME), or move an RCoA bound already; needs a
 *	map, the RCoA inside its RCoA prefix and the LCoA outside it.
 *	Packets of the map's tunnel must match the bindings (map_spoofed,
 *	map_unbound).
 * @CBU_CMD_MAP_UNBIND: remove the binding of an RCoA (RCOA); -ENOENT if
 *	there is none.
 * @CBU_CMD_MAP_BINDING_GET: one binding (RCOA) or, as a dump, all of
 *	them, with the seconds left and their packets and bytes.
 */
enum cbu_cmd {
	CBU_CMD_UNSPEC,
	CBU_CMD_VERSION_GET,
	CBU_CMD_KEY_NEW,
	CBU_CMD_KEY_SET,
	CBU_CMD_KEY_DEL,
	CBU_CMD_BINDING_GET,
	CBU_CMD_BINDING_DEL,
	CBU_CMD_STATS_GET,
	CBU_CMD_STATS_RESET,
	CBU_CMD_PARAM_GET,
	CBU_CMD_PARAM_SET,
	CBU_CMD_EVENT,
	CBU_CMD_HOME_ADD,
	CBU_CMD_HOME_DEL,
	CBU_CMD_HOME_GET,
	CBU_CMD_MH_RECV,
	CBU_CMD_OWN_SET,
	CBU_CMD_OWN_GET,
	CBU_CMD_MAP_SET,
	CBU_CMD_MAP_DEL,
	CBU_CMD_MAP_GET,
	CBU_CMD_MAP_BIND,
	CBU_CMD_MAP_UNBIND,
	CBU_CMD_MAP_BINDING_GET,

	/* private: */
	__CBU_CMD_MAX,
	CBU_CMD_MAX = __CBU_CMD_MAX - 1
};

/**
 * enum cbu_attr - top-level attributes of the cbu family
 * @CBU_A_VERSION: NUL-terminated string, the version of cbu.ko.
 * @CBU_A_FEATURES: u64, bitmask of &enum cbu_feature the module offers.
 * @CBU_A_PAD: padding for 64-bit attributes; never sent by userspace.
 * @CBU_A_BINDING: nested &enum cbu_bce_attr: one binding cache entry.
 * @CBU_A_STATS: nested, one u64 per &enum cbu_stat (attribute type
 *	CBU_A_STAT(counter)).
 * @CBU_A_PARAMS: nested &enum cbu_param_attr.
 * @CBU_A_EVENT: u8, &enum cbu_event.
 * @CBU_A_HOME: nested &enum cbu_home_attr: a home prefix.
 * @CBU_A_MH: nested &enum cbu_mh_attr: a Mobility Header and its addresses.
 * @CBU_A_OWN: nested &enum cbu_own_attr: this node's own home address and
 *	care-of address, as a mobile correspondent.
 * @CBU_A_MAP: nested &enum cbu_map_attr: this node's mobility anchor
 *	point (HMIPv6).
 * @CBU_A_MAP_BINDING: nested &enum cbu_map_binding_attr: one of the
 *	map's bindings, RCoA to LCoA.
 */
enum cbu_attr {
	CBU_A_UNSPEC,
	CBU_A_VERSION,
	CBU_A_FEATURES,
	CBU_A_PAD,
	CBU_A_BINDING,
	CBU_A_STATS,
	CBU_A_PARAMS,
	CBU_A_EVENT,
	CBU_A_HOME,
	CBU_A_MH,
	CBU_A_OWN,
	CBU_A_MAP,
	CBU_A_MAP_BINDING,

	/* private: */
	__CBU_A_MAX,
	CBU_A_MAX = __CBU_A_MAX - 1
};

/**
 * enum cbu_role - what an entry's keys are for
 * @CBU_ROLE_CN: this node is the correspondent: verify BU (k_BU) and BC
 *	(k_BA), answer with BA (k_BA), move the data path to the CoA.
 * @CBU_ROLE_MN: this node is the mobile node: verify BA (k_BA) and answer
 *	with BC (k_BA).
 */
enum cbu_role {
	CBU_ROLE_CN = 1,
	CBU_ROLE_MN = 2,
};

/**
 * enum cbu_bce_state - state of an entry's binding
 * @CBU_BCE_KEYED: keys, no binding yet (or no longer)
 * @CBU_BCE_UNCONFIRMED: a BU was accepted, its BC has not come: traffic
 *	flows to the CoA until the BC threshold (draft section 3)
 * @CBU_BCE_CONFIRMED: the BC came (CN); the BA was verified and the BC
 *	sent (MN)
 * @CBU_BCE_STOPPED: no BC within the threshold: traffic to the CoA stopped
 */
enum cbu_bce_state {
	CBU_BCE_KEYED,
	CBU_BCE_UNCONFIRMED,
	CBU_BCE_CONFIRMED,
	CBU_BCE_STOPPED,
};

/**
 * enum cbu_bce_attr - attributes of a binding cache entry
 * @CBU_A_BCE_HOA: 16 octets: the mobile node's home address (key)
 * @CBU_A_BCE_CN: 16 octets: the correspondent's address, this node's own
 *	on a CN (key)
 * @CBU_A_BCE_ROLE: u8, &enum cbu_role
 * @CBU_A_BCE_K_BU: 32 octets, k_BU; write-only (CN)
 * @CBU_A_BCE_K_BA: 32 octets, k_BA; write-only
 * @CBU_A_BCE_LT_EN: u32, LT_EN in seconds (sent in BA; 0..262140); of a
 *	mobile node's entry, the last BA's
 * @CBU_A_BCE_MAX_LIFETIME: u32, the most LT_BA grants, seconds (0: the
 *	namespace's %CBU_A_PARAM_MAX_LIFETIME)
 * @CBU_A_BCE_REQID: u32, reqid of the xfrm states carrying this binding's
 *	data; a BU from a new CoA moves them there (0: none)
 * @CBU_A_BCE_COA: 16 octets: the care-of address bound (read-only)
 * @CBU_A_BCE_STATE: u8, &enum cbu_bce_state (read-only)
 * @CBU_A_BCE_SEQ: u16, the last Seq# accepted (read-only)
 * @CBU_A_BCE_LIFETIME: u32, seconds left of the binding (read-only)
 * @CBU_A_BCE_PACKETS: u64, packets sent through the binding (read-only)
 * @CBU_A_BCE_BYTES: u64, their octets (read-only)
 * @CBU_A_BCE_UNCONFIRMED: u32, packets sent since the unconfirmed BU
 * @CBU_A_BCE_UPDATES: u64, BUs (CN) or BAs (MN) accepted (read-only)
 * @CBU_A_BCE_PAD: padding
 * @CBU_A_BCE_PEER_COA: 16 octets: of a bound mobile node's entry whose
 *	correspondent is itself away from home (draft section 4), the
 *	source of its last BA, the correspondent's care-of address
 *	(read-only)
 */
enum cbu_bce_attr {
	CBU_A_BCE_UNSPEC,
	CBU_A_BCE_HOA,
	CBU_A_BCE_CN,
	CBU_A_BCE_ROLE,
	CBU_A_BCE_K_BU,
	CBU_A_BCE_K_BA,
	CBU_A_BCE_LT_EN,
	CBU_A_BCE_MAX_LIFETIME,
	CBU_A_BCE_REQID,
	CBU_A_BCE_COA,
	CBU_A_BCE_STATE,
	CBU_A_BCE_SEQ,
	CBU_A_BCE_LIFETIME,
	CBU_A_BCE_PACKETS,
	CBU_A_BCE_BYTES,
	CBU_A_BCE_UNCONFIRMED,
	CBU_A_BCE_UPDATES,
	CBU_A_BCE_PAD,
	CBU_A_BCE_PEER_COA,

	/* private: */
	__CBU_A_BCE_MAX,
	CBU_A_BCE_MAX = __CBU_A_BCE_MAX - 1
};

/**
 * enum cbu_stat - per-namespace counters (%CBU_A_STATS)
 *
 * Every outcome of the receive path has its own counter.
 */
enum cbu_stat {
	CBU_STAT_BU_ACCEPTED,		/* binding created or updated */
	CBU_STAT_BU_DELETED,		/* lifetime 0: binding removed */
	CBU_STAT_BU_BAD_MAC,		/* MAC_BU wrong: dropped silently */
	CBU_STAT_BU_SEQ_WINDOW,		/* replayed or out of window: BA 135 */
	CBU_STAT_BU_NO_KEYS,		/* no entry for (HoA, CN): BE 1 */
	CBU_STAT_BU_NO_HAO,		/* BU without HAO: from home, binding ends */
	CBU_STAT_MALFORMED,		/* MH refused by the parser */
	CBU_STAT_BAD_CHECKSUM,		/* MH checksum wrong */
	CBU_STAT_BA_SENT,
	CBU_STAT_BE_SENT,
	CBU_STAT_BC_ACCEPTED,		/* binding confirmed */
	CBU_STAT_BC_BAD_MAC,
	CBU_STAT_BC_STALE,		/* no such binding or another Seq# */
	CBU_STAT_BA_ACCEPTED,		/* MN: BA verified */
	CBU_STAT_BA_BAD_MAC,
	CBU_STAT_BA_STALE,		/* MN: no entry, or not the Seq# sent */
	CBU_STAT_BC_SENT,		/* MN */
	CBU_STAT_BC_TIMEOUT,		/* no BC within the threshold */
	CBU_STAT_TX_STOPPED,		/* packets dropped: binding stopped */
	CBU_STAT_HAO_DROPPED,		/* HoA claimed without a binding */
	CBU_STAT_EXPIRED,		/* bindings whose lifetime ran out */
	CBU_STAT_MH_TO_AGENT,		/* MH for a served HoA handed up */
	CBU_STAT_MIGRATED,		/* data path moved to a new CoA */
	CBU_STAT_MIGRATE_FAILED,
	CBU_STAT_TX_ERRORS,		/* BA, BE or BC not sent */
	CBU_STAT_MH_LIMITED,		/* MH for a served HoA over its source's limit */
	CBU_STAT_BA_LIMITED,		/* BA 135 not sent: over the source's limit */
	CBU_STAT_NOT_CBU,		/* MH of standard Mobile IPv6: to the stack */
	CBU_STAT_TRANSIT,		/* MH not for this node yet: to the stack */
	CBU_STAT_HDR_DISCARD,		/* headers the stack discards: left to it */
	CBU_STAT_HDR_SKIPPED,		/* over 8 extension headers: not walked */
	CBU_STAT_FRAGMENT,		/* fragmented MH: to the stack */
	CBU_STAT_MH_TO_SOCKET,		/* CBU MH to this node, a MAP's BA: its socket */
	CBU_STAT_BA_PEER,		/* MN: of the BAs verified, from a mobile CN's CoA */
	CBU_STAT_BU_TO_AGENT,		/* CBU BU for a served HoA handed up */
	CBU_STAT_FWD,			/* FWD to the own HoA taken as a BU */
	CBU_STAT_FWD_NOT_OWN,		/* FWD with no own addresses set: dropped */
	CBU_STAT_MAP_BU,		/* local BU to the map handed up */
	CBU_STAT_MAP_OUTSIDE,		/* local BU from outside the domain: dropped */
	CBU_STAT_MAP_SPOOFED,		/* from the map's tunnel, not from its RCoA's LCoA */
	CBU_STAT_MAP_UNBOUND,		/* into the map's tunnel, not to a bound RCoA's LCoA */
	CBU_STAT_MAP_EXPIRED,		/* map bindings whose lifetime ran out */

	/* private: */
	__CBU_STAT_MAX,
};

/*
 * In the %CBU_A_STATS nest, counter N (&enum cbu_stat) is the u64 attribute
 * CBU_A_STAT(N); %CBU_A_STAT_PAD pads them where 64-bit values need it.
 */
#define CBU_A_STAT_PAD		1
#define CBU_A_STAT(n)		((n) + 2)
#define CBU_A_STAT_MAX		CBU_A_STAT(__CBU_STAT_MAX - 1)

/**
 * enum cbu_param_attr - per-namespace parameters (%CBU_A_PARAMS)
 * @CBU_A_PARAM_BC_PACKETS: u32, packets to an unconfirmed CoA before
 *	traffic stops (default 10)
 * @CBU_A_PARAM_BC_TIMEOUT: u32, milliseconds an unconfirmed binding may
 *	carry traffic (default 10000)
 * @CBU_A_PARAM_CAPACITY: u32, the most entries (default 65536)
 * @CBU_A_PARAM_MAX_LIFETIME: u32, seconds: the most any LT_BA grants
 *	(default 420, RFC 6275 MAX_RR_BINDING_LIFETIME)
 * @CBU_A_PARAM_EVENT_RATE: u32, MAC failure events per second at most
 *	(default 10; 0: none)
 * @CBU_A_PARAM_ENTRIES: u32, entries now (read-only)
 */
enum cbu_param_attr {
	CBU_A_PARAM_UNSPEC,
	CBU_A_PARAM_BC_PACKETS,
	CBU_A_PARAM_BC_TIMEOUT,
	CBU_A_PARAM_CAPACITY,
	CBU_A_PARAM_MAX_LIFETIME,
	CBU_A_PARAM_EVENT_RATE,
	CBU_A_PARAM_ENTRIES,

	/* private: */
	__CBU_A_PARAM_MAX,
	CBU_A_PARAM_MAX = __CBU_A_PARAM_MAX - 1
};

/**
 * enum cbu_event - what %CBU_CMD_EVENT reports (%CBU_A_EVENT)
 *
 * Every event but %CBU_EVENT_MAP_EXPIRED carries the entry's
 * %CBU_A_BINDING; that one carries the map binding's %CBU_A_MAP_BINDING.
 */
enum cbu_event {
	CBU_EVENT_CREATED = 1,	/* a BU bound a CoA to an entry */
	CBU_EVENT_UPDATED,	/* a BU moved, renewed it */
	CBU_EVENT_CONFIRMED,	/* BC (CN) / BA verified, BC sent (MN) */
	CBU_EVENT_EXPIRED,	/* the binding's lifetime ran out */
	CBU_EVENT_DELETED,	/* BU with lifetime 0, or by command */
	CBU_EVENT_BC_TIMEOUT,	/* traffic stopped: no BC */
	CBU_EVENT_MAC_FAILURE,	/* a BU, BC or BA failed its MAC (rate-limited) */
	CBU_EVENT_MIGRATE_FAILED, /* the data path could not follow the CoA */
	CBU_EVENT_MAP_EXPIRED,	/* a map binding's lifetime ran out: it is gone */
	__CBU_EVENT_MAX,
};

/**
 * enum cbu_home_attr - a home prefix served (%CBU_A_HOME)
 * @CBU_A_HOME_PREFIX: 16 octets
 * @CBU_A_HOME_PREFIX_LEN: u8, 0..128
 */
enum cbu_home_attr {
	CBU_A_HOME_UNSPEC,
	CBU_A_HOME_PREFIX,
	CBU_A_HOME_PREFIX_LEN,

	/* private: */
	__CBU_A_HOME_MAX,
	CBU_A_HOME_MAX = __CBU_A_HOME_MAX - 1
};

/**
 * enum cbu_mh_attr - an MH handed to the agent (%CBU_A_MH)
 * @CBU_A_MH_SRC: 16 octets, the IPv6 source
 * @CBU_A_MH_DST: 16 octets, the IPv6 destination (a served home address)
 * @CBU_A_MH_HOA: 16 octets, a Home Address option's address, if any
 * @CBU_A_MH_DATA: the MH, from its payload proto octet
 */
enum cbu_mh_attr {
	CBU_A_MH_UNSPEC,
	CBU_A_MH_SRC,
	CBU_A_MH_DST,
	CBU_A_MH_HOA,
	CBU_A_MH_DATA,

	/* private: */
	__CBU_A_MH_MAX,
	CBU_A_MH_MAX = __CBU_A_MH_MAX - 1
};

/**
 * enum cbu_own_attr - a mobile correspondent's own addresses (%CBU_A_OWN)
 * @CBU_A_OWN_HOA: 16 octets: its home address; a FWD to it is taken as a
 *	BU for the entries (HoA, it), answered from the care-of address
 * @CBU_A_OWN_COA: 16 octets: its care-of address; a BC to it is for the
 *	entries (HoA, its home address)
 */
enum cbu_own_attr {
	CBU_A_OWN_UNSPEC,
	CBU_A_OWN_HOA,
	CBU_A_OWN_COA,

	/* private: */
	__CBU_A_OWN_MAX,
	CBU_A_OWN_MAX = __CBU_A_OWN_MAX - 1
};

/**
 * enum cbu_map_attr - a mobility anchor point (HMIPv6, %CBU_A_MAP)
 * @CBU_A_MAP_ADDRESS: 16 octets: the MAP's address, where local BUs go
 * @CBU_A_MAP_RCOA_PREFIX: 16 octets: the prefix of the regional care-of
 *	addresses; host bits are cleared
 * @CBU_A_MAP_RCOA_PREFIX_LEN: u8, 1..128
 * @CBU_A_MAP_TUNNEL: u32, ifindex of the tunnel device to the mobile
 *	nodes' LCoAs (0: none yet)
 * @CBU_A_MAP_INTERFACE: u32, ifindex of a domain interface, where local
 *	BUs may come in; one attribute per interface, 1 to
 *	%CBU_MAP_INTERFACES_MAX of them, each once
 */
enum cbu_map_attr {
	CBU_A_MAP_UNSPEC,
	CBU_A_MAP_ADDRESS,
	CBU_A_MAP_RCOA_PREFIX,
	CBU_A_MAP_RCOA_PREFIX_LEN,
	CBU_A_MAP_TUNNEL,
	CBU_A_MAP_INTERFACE,

	/* private: */
	__CBU_A_MAP_MAX,
	CBU_A_MAP_MAX = __CBU_A_MAP_MAX - 1
};

#define CBU_MAP_INTERFACES_MAX	8

/**
 * enum cbu_map_binding_attr - a binding of the map (%CBU_A_MAP_BINDING)
 * @CBU_A_MAP_BINDING_RCOA: 16 octets: the regional care-of address, inside
 *	the map's RCoA prefix (key)
 * @CBU_A_MAP_BINDING_LCOA: 16 octets: the on-link care-of address it is
 *	bound to, outside the RCoA prefix
 * @CBU_A_MAP_BINDING_HOA: 16 octets: the home address of the mobile node
 *	that holds the RCoA
 * @CBU_A_MAP_BINDING_LIFETIME: u32, seconds: the binding's lifetime (bind,
 *	1..262140); the seconds left of it (get)
 * @CBU_A_MAP_BINDING_PACKETS: u64, packets of the tunnel that passed the
 *	checks for this binding, both ways (read-only)
 * @CBU_A_MAP_BINDING_BYTES: u64, their octets, inner packets (read-only)
 * @CBU_A_MAP_BINDING_PAD: padding
 */
enum cbu_map_binding_attr {
	CBU_A_MAP_BINDING_UNSPEC,
	CBU_A_MAP_BINDING_RCOA,
	CBU_A_MAP_BINDING_LCOA,
	CBU_A_MAP_BINDING_HOA,
	CBU_A_MAP_BINDING_LIFETIME,
	CBU_A_MAP_BINDING_PACKETS,
	CBU_A_MAP_BINDING_BYTES,
	CBU_A_MAP_BINDING_PAD,

	/* private: */
	__CBU_A_MAP_BINDING_MAX,
	CBU_A_MAP_BINDING_MAX = __CBU_A_MAP_BINDING_MAX - 1
};

/**
 * enum cbu_feature - bits of %CBU_A_FEATURES
 *
 * One bit per capability that userspace may probe before using it; a bit is
 * defined when the capability lands, never reused.
 */
enum cbu_feature {
	CBU_F_BINDING_CACHE,	/* keys, BU/BA/BC in the kernel, the cache */
	CBU_F_EVENTS,		/* the events multicast group */
	CBU_F_XFRM_MIGRATE,	/* BU moves the binding's xfrm states */
	CBU_F_HOME,		/* home prefixes and the mh group */
	CBU_F_MOBILE_CN,	/* own addresses, FWD and its BA (section 4) */
	CBU_F_MAP,		/* the map object, local BUs handed up (HMIPv6) */
	CBU_F_MAP_BINDINGS,	/* the map's bindings and the tunnel's checks */

	/* private: */
	__CBU_F_COUNT,
};

#define CBU_FEATURES_ALL	((1ULL << __CBU_F_COUNT) - 1)

#endif /* _UAPI_LINUX_CBU_H */
