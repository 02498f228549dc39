/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Definitions shared by the files of cbu.ko.
 */
#ifndef _CBU_H
#define _CBU_H

#include <linux/cbu.h>

#include <linux/bits.h>

/* What CBU_CMD_VERSION_GET reports: the capabilities compiled in. */
#define CBU_FEATURES	(BIT_ULL(CBU_F_BINDING_CACHE) | BIT_ULL(CBU_F_EVENTS) | \
			 BIT_ULL(CBU_F_XFRM_MIGRATE) | BIT_ULL(CBU_F_HOME) | \
			 BIT_ULL(CBU_F_MOBILE_CN) | BIT_ULL(CBU_F_MAP) | \
			 BIT_ULL(CBU_F_MAP_BINDINGS))

#endif /* _CBU_H */
