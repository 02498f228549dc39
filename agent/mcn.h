/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A mobile node that accepts correspondents (mcn_mn.c, draft section 4),
 * and what it needs of the mobile node's role (mn.c): its k_HA, to open
 * KEYS and seal KEYS_ACK.  Each call does nothing without
 * `accept-correspondents`.
 */
#ifndef _AGENT_MCN_H
#define _AGENT_MCN_H

#include "agent.h"

/* mn.c: open a message of our home agent; 0 if it opened. */
int mn_ha_open(const struct cbu_msg *m, void *pt, size_t len);
/* mn.c: seal @pt under k_HA in use, send it to our home agent from the HoA. */
void mn_ha_send(uint8_t subtype, const void *pt, size_t len);

int mcn_mn_init(void);
void mcn_mn_fini(void);
void mcn_mn_status(void);
void mcn_mn_keys(struct rx *r);
void mcn_mn_test(struct rx *r);
void mcn_mn_event(const struct cbu_event_info *ev);
/* Our care-of address, new or the first. */
void mcn_mn_coa(const struct in6_addr *coa);
/* The home agent accepted a REG (@moved: from a new care-of address). */
void mcn_mn_registered(bool moved);

#endif /* _AGENT_MCN_H */
