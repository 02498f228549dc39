/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The binding's data path: the xfrm (ESP tunnel) states and policies the
 * agent installs between the correspondent and the care-of address, found
 * by the entry's reqid.  When the binding moves, its data path moves to the
 * new CoA inside the kernel (xfrm_migrate()); when it ends (a BU of
 * lifetime 0, expiry), its data path goes.  Both are done by a work item:
 * xfrm_migrate() allocates with GFP_KERNEL and may sleep, the packet path
 * may not.
 */
#ifndef _CBU_XFRM_H
#define _CBU_XFRM_H

#include "bcache.h"

void cbu_xfrm_init(struct cbu_net *cn);
/* @bce's binding moved or ended: its data path must follow; any context. */
void cbu_xfrm_sync(struct cbu_net *cn, struct cbu_bce *bce);
/* @bce is being unpublished (cn->lock held): nothing pending for it. */
void cbu_xfrm_forget(struct cbu_net *cn, struct cbu_bce *bce);
/* Namespace exit: nothing more is marked, and the worker is stopped. */
void cbu_xfrm_flush(struct cbu_net *cn);

#endif /* _CBU_XFRM_H */
