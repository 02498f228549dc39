/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Definitions shared by the files of cbu.ko.
 */
#ifndef _CBU_H
#define _CBU_H

#include <linux/cbu.h>

/* What CBU_CMD_VERSION_GET reports: the capabilities compiled in. */
#define CBU_FEATURES	0ULL

#endif /* _CBU_H */
