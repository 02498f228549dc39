/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel definitions the code shared with cbu.ko (kernel/mh.c)
 * needs when it is compiled into userspace.  Nothing here has behaviour.
 */
#ifndef _CBU_KCOMPAT_H
#define _CBU_KCOMPAT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/types.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef int16_t s16;
typedef uint32_t u32;
typedef uint64_t u64;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef fallthrough
#define fallthrough	__attribute__((__fallthrough__))
#endif

#endif /* _CBU_KCOMPAT_H */
