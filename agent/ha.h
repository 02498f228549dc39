/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the home agent's role (ha.c) shares with its part for the mobile
 * correspondents it serves (mcn_ha.c, draft section 4): its mobile nodes
 * and their k_HA.
 */
#ifndef _AGENT_HA_H
#define _AGENT_HA_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "agent.h"
#include "loop.h"

/*
 * A mobile node of the configuration, in a slot of ha.mns that keeps its
 * place (and its reqid) from its start, or the reload that added it, to
 * the reload that removes it: exchanges and route optimizations point to
 * it.
 */
struct ha_mn {
	bool used;				/* a free slot otherwise */
	struct in6_addr hoa;
	uint8_t z[CBU_KEY_LEN];
	uint8_t k_ha[CBU_KEY_LEN];		/* in use: answers go under it */
	uint8_t k_next[CBU_KEY_LEN];		/* offered in every REP */
	bool has_next;
	bool registered;
	struct in6_addr coa;
	bool has_seq;
	uint16_t seq;				/* of the last REG accepted */
	struct in6_addr reg_coa;		/* its CoA */
	struct cbu_reg_ack_pt ack;		/* and its answer, to resend */
	struct timer life;			/* registration lifetime */
	uint32_t reqid;				/* the home tunnel */
	uint8_t tun_key[CBU_KEY_LEN];		/* the k_HA it is keyed from */
	uint8_t tun_nonces[2 * CBU_NONCE_LEN];	/* and the Ni | Nr */
	uint64_t reg_count;
	/* As a mobile correspondent (mcn_ha.c): */
	uint64_t seen_ms;			/* REG, KEYS_ACK or ALIVE last */
	uint64_t test_ms;			/* our last TEST to it */
	bool resumed;				/* from xfrm, no REG yet */
	int brr_tries;
	struct timer brr;			/* asks for that REG */
};

struct ha_mn *ha_mn_by_hoa(const struct in6_addr *hoa);

enum ha_key { HA_KEY_NONE, HA_KEY_CUR, HA_KEY_NEXT };

/*
 * Open a message of @mn sealed under its k_HA in use or the k_HA-next it
 * was offered.  Which one opened it, or HA_KEY_NONE.
 */
enum ha_key ha_open(struct ha_mn *mn, const struct cbu_msg *m, void *pt,
		    size_t len);

/*
 * The mobile correspondents (mcn_ha.c): a home agent answers COOKIE0,
 * EXCH0 and BUs for their home addresses, gives them the keys (KEYS,
 * KEYS_ACK) and forwards BUs to them (FWD).  All do nothing when the
 * configuration names none.
 */
int mcn_ha_check(void);
int mcn_ha_init(void);
void mcn_ha_fini(void);
void mcn_ha_status(void);
/*
 * A reload: the `cn` credentials of the new configuration read into @cr
 * (-1 having logged why; nothing read without mobile-cn), then taken
 * (the caller wipes @cr after either).
 */
int mcn_ha_reload_load(struct creds *cr);
void mcn_ha_reload_take(const struct creds *cr);
/* What cbu.ko handed up for a home address: true if it was for us. */
bool mcn_ha_mh(struct rx *r);
/* KEYS_ACK and ALIVE, to our address. */
void mcn_ha_keys_ack(struct rx *r);
void mcn_ha_alive(struct rx *r);
/* @mn registered from a new care-of address. */
void mcn_ha_moved(struct ha_mn *mn);
/* @mn ends (a reload removed it, exit): what it had with us goes. */
void mcn_ha_mn_end(const struct ha_mn *mn);

#endif /* _AGENT_HA_H */
