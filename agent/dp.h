/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The data paths the agent sets up through the kernel's xfrm, both ESP in
 * tunnel mode (Documentation/agent.md):
 *
 *   route optimization  CN <-> CoA, inner HoA <-> CN, keyed from k_EN;
 *                       on the CN found by cbu.ko by its reqid, which moves
 *                       it when a BU comes from a new CoA
 *   home tunnel         HA <-> CoA, inner HoA <-> anything, keyed from k_HA
 *                       and the nonces of the registration that made it
 *
 * Both ends derive the same keys and SPIs from the shared key and the
 * direction (esp_derive()).  Policies of route optimization take precedence
 * over the home tunnel's (priority).
 *
 * And, through rtnetlink, what a home agent and a MAP forward by: proxy
 * ND entries, and the MAP's ip6ip6 device and routes (dp_map_*()).
 */
#ifndef _AGENT_DP_H
#define _AGENT_DP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#define DP_PRIO_RO	100
#define DP_PRIO_HOME	1000

int dp_init(void);
void dp_fini(void);

/*
 * A route-optimization path between @local (an outer address of ours) and
 * @remote, carrying @hoa <-> @cn, its states and policies of @reqid.
 * @cn_side: we are the correspondent (outer local = CN, remote = CoA);
 * otherwise the mobile node (local = CoA, remote = CN).
 */
struct dp_ro {
	bool cn_side;
	struct in6_addr local, remote, hoa, cn;
	uint32_t reqid;
};

/*
 * Both directions keyed from @k_en, states deleted by the kernel
 * @lifetime seconds later (0: never).  All or nothing.
 */
int dp_ro_add(const struct dp_ro *ro, const uint8_t k_en[32],
	      uint32_t lifetime);
/*
 * The k_EN rekey, one state at a time (the policies stay): add the state
 * of direction @out (otherwise in) keyed from @k_en, delete it, or read
 * how many packets it carried.  A state is named by its SPI, derived from
 * the key: -ESRCH if there is none.
 */
int dp_ro_state_add(const struct dp_ro *ro, bool out, const uint8_t k_en[32],
		    uint32_t lifetime);
int dp_ro_state_del(const struct dp_ro *ro, bool out, const uint8_t k_en[32]);
int dp_ro_state_packets(const struct dp_ro *ro, bool out,
			const uint8_t k_en[32], uint64_t *packets);
/*
 * An end of the mobile node's ESP path moved: its own (a new care-of
 * address), the correspondent's (a mobile correspondent's new care-of
 * address), or both.  @ro is the path where it is; it goes to @local and
 * @remote (XFRM_MSG_MIGRATE of both policies and their states).
 */
int dp_ro_move(const struct dp_ro *ro, const struct in6_addr *local,
	       const struct in6_addr *remote);

/*
 * The home tunnel.  @ha_side: we are the home agent (outer local = HA,
 * remote = CoA); otherwise the mobile node.  Keyed from @k_ha and the
 * nonces @ni_nr (Ni | Nr) of the registration that makes it: never twice
 * the same keys, so that no packet of an earlier tunnel authenticates in
 * this one (Documentation/wire-format.md §9.5).  Replaces what was there.
 */
int dp_home_set(bool ha_side, const struct in6_addr *local,
		const struct in6_addr *remote, const struct in6_addr *hoa,
		const uint8_t k_ha[32], const uint8_t ni_nr[32],
		uint32_t reqid);

/*
 * The states of reqids @first to @last that xfrm holds, one call each:
 * what an agent killed before us set up.  @sel_src, @sel_dst: the inner
 * addresses they carry (a prefix length 0 leaves them all zero).
 */
struct dp_state {
	uint32_t reqid;
	struct in6_addr src, dst;		/* outer */
	struct in6_addr sel_src, sel_dst;
	uint8_t sel_src_len, sel_dst_len;
};

int dp_states(uint32_t first, uint32_t last,
	      void (*cb)(const struct dp_state *st, void *arg), void *arg);

/* Remove every state and policy of @reqid. */
int dp_flush(uint32_t reqid);
/*
 * Every state and policy of the reqids @first to @last: a role's whole
 * range, left by an instance that was killed.
 */
int dp_flush_range(uint32_t first, uint32_t last);

/* A home agent or a MAP forwards, and proxies ND on @link. */
int dp_router_setup(const char *link);
/* Proxy ND for @addr on @link (a home address, an RCoA). */
int dp_proxy(const char *link, const struct in6_addr *addr, bool on);

/*
 * The MAP's forwarding (Documentation/design/hmip.md item 54): one ip6ip6
 * device in collect_md mode, and per binding a route "RCoA/128 encap ip6
 * src MAP dst LCoA hoplimit 64 dev TUNNEL" that cbu.ko's checks hold to
 * its binding.
 *
 * dp_map_tunnel() makes the device @name when missing, takes it as it is
 * when it is one such (a killed agent's), refuses any other device of
 * that name (-EEXIST), and sets it up: its ifindex, or -errno.
 */
int dp_map_tunnel(const char *name);
/* Delete it, and with it its routes. */
void dp_map_tunnel_del(int ifindex);
/* Route @rcoa through @tunnel to @lcoa from @map (added or replaced). */
int dp_map_route(int tunnel, const struct in6_addr *rcoa,
		 const struct in6_addr *map, const struct in6_addr *lcoa);
/* Delete @rcoa's route; none is not an error. */
void dp_map_route_del(int tunnel, const struct in6_addr *rcoa);
/*
 * Each /128 route through @tunnel with ip6 encap, handed to @cb (which
 * must not change routes: the dump is in progress).  0, a non-zero
 * return of @cb, or -errno (-EAGAIN: the routes changed, list again).
 */
int dp_map_routes(int tunnel,
		  int (*cb)(const struct in6_addr *rcoa,
			    const struct in6_addr *lcoa, void *arg),
		  void *arg);
/*
 * The mobile node's way to its MAP (design/hmip.md item 52): an ip6ip6
 * device DP_HM_TUNNEL from the LCoA to the MAP, the RCoA/128 on it
 * (nodad), and "ip -6 rule from RCoA lookup DP_HM_TABLE" whose default
 * route goes through it: whatever leaves from the RCoA (REG, BUs to
 * correspondents, the ESP paths' outer headers) goes through the tunnel;
 * the local BUs, from the LCoA, go outside it.
 *
 * dp_hm_up() makes it all (all or nothing): the device's ifindex, or
 * -errno.  dp_hm_move() moves the device's local end to @lcoa (one
 * RTM_NEWLINK).  dp_hm_down() removes it all.  dp_hm_flush() removes what
 * a killed agent left: the device if it is an ip6tnl one (another of that
 * name: -EEXIST), every rule of DP_HM_TABLE.
 */
#define DP_HM_TUNNEL	"cbu-hm0"
#define DP_HM_TABLE	0x30000

int dp_hm_up(const struct in6_addr *lcoa, const struct in6_addr *map,
	     const struct in6_addr *rcoa);
int dp_hm_move(int ifindex, const struct in6_addr *lcoa,
	       const struct in6_addr *map);
void dp_hm_down(int ifindex, const struct in6_addr *rcoa);
int dp_hm_flush(void);

/* Make @addr/128 an address of the loopback (the MN's home address). */
int dp_lo_addr(const struct in6_addr *addr, bool on);

#endif /* _AGENT_DP_H */
