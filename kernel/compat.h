/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel APIs cbu uses that differ between its targets, 6.1 and 6.12:
 * one place for every version check.
 */
#ifndef _CBU_COMPAT_H
#define _CBU_COMPAT_H

#include <linux/version.h>
#include <net/xfrm.h>

/* xfrm_migrate() took an extended ack from 6.3 on. */
static inline int cbu_xfrm_migrate_call(const struct xfrm_selector *sel,
					u8 dir, struct xfrm_migrate *m,
					struct net *net)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 3, 0)
	return xfrm_migrate(sel, dir, XFRM_POLICY_TYPE_MAIN, m, 1, NULL, net,
			    NULL, 0);
#else
	return xfrm_migrate(sel, dir, XFRM_POLICY_TYPE_MAIN, m, 1, NULL, net,
			    NULL, 0, NULL);
#endif
}

#endif /* _CBU_COMPAT_H */
