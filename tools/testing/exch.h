/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What exch-send (a home agent's part) and exch-answer (a correspondent's)
 * share: both play one end of the draft's section 3 exchange for the
 * selftests, right or broken on purpose.
 */
#ifndef _CBU_TESTING_EXCH_H
#define _CBU_TESTING_EXCH_H

#include <netinet/in.h>
#include <stdint.h>

#include "lib/msg.h"

/* The tool's name, for its errors. */
extern const char *exch_prog;

/* Print "PROG: @what" on stderr and exit 1. */
void __attribute__((noreturn)) exch_die(const char *what);
uint64_t exch_now_ms(void);
/* Encode @m and send it from @src to @dst on the raw MH socket @fd. */
void exch_send(int fd, const struct in6_addr *src, const struct in6_addr *dst,
	       const struct cbu_msg *m);

#endif /* _CBU_TESTING_EXCH_H */
