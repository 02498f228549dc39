/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The mobile node's HMIPv6 part (hm.c, draft section 5, design/hmip.md
 * items 51, 52), and what it needs of the mobile node's role (mn.c): a
 * move to a new care-of address.  Each call does nothing without
 * `[mobile-node] map`.
 */
#ifndef _AGENT_HM_H
#define _AGENT_HM_H

#include "agent.h"

/*
 * mn.c: a move to @coa (or the first care-of address): REG from it, a BU
 * to each correspondent, the ESP paths moved.  Nothing if it is the CoA.
 */
void mn_coa_set(const struct in6_addr *coa);

int hm_check(void);
int hm_init(void);
/* At exit, after the mobile node's lifetime-0 REG and BUs went. */
void hm_fini(void);
/*
 * The on-link care-of address is @lcoa, on @ifindex, now (NULL: none).
 * True if the MAP's part takes it: the CoA is the RCoA (now, or once the
 * MAP's BA verifies, then it calls mn_coa_set()), or, with `map =
 * discover`, it calls mn_coa_set() once it knows (an RS answered or
 * not); false, the CoA is @lcoa (no MAP, or one left).
 */
bool hm_lcoa(const struct in6_addr *lcoa, int ifindex);
/* A default route came: a local BU waiting goes again now. */
void hm_route_added(void);
/* A Router Advertisement on an interface (`map = discover`). */
void hm_ra(const struct ra_rx *r);
/* A BA from the MAP (its CBU nonce option), on the raw MH socket. */
void hm_ba(struct rx *r);
/* Its part of `agent status`, inside "mobile_node": "map". */
void hm_status(void);

#endif /* _AGENT_HM_H */
