/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The binding's data path: the xfrm (ESP tunnel) states and policies the
 * agent installs between the correspondent and the care-of address, found
 * by the entry's reqid.  A BU from a new CoA moves them there inside the
 * kernel (xfrm_migrate()); expiry removes them.  Both run from a work item:
 * xfrm_migrate() allocates with GFP_KERNEL and may sleep, the packet path
 * may not.
 */
#ifndef _CBU_XFRM_H
#define _CBU_XFRM_H

#include "bcache.h"

void cbu_xfrm_init(struct cbu_net *cn);
/* Queue the move of @bce's data path from @old to @new; softirq-safe. */
void cbu_xfrm_migrate(struct cbu_net *cn, struct cbu_bce *bce,
		      const struct in6_addr *old, const struct in6_addr *new);
/* Queue the removal of an ended binding's data path; softirq-safe. */
void cbu_xfrm_remove(struct cbu_net *cn, const struct cbu_bce_info *info);
/* Namespace exit: no more work, and none pending. */
void cbu_xfrm_flush(struct cbu_net *cn);

#endif /* _CBU_XFRM_H */
