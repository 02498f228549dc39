/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cbuctl: the ip-style command line of cbu.  One file per object; each
 * object's do_*() gets the arguments after its name.
 */
#ifndef _CBUCTL_H
#define _CBUCTL_H

#include <stdbool.h>

#include "lib/genl.h"
#include "lib/json_print.h"

/* Exit statuses: 0 done, 1 the operation failed, 2 bad usage. */
#define EXIT_USAGE	2

extern bool json;		/* -j */
extern bool pretty;		/* -p */

/* Exact keyword matching, as in iproute2's strcmp-based commands. */
static inline bool is(const char *arg, const char *keyword)
{
	return arg && !__builtin_strcmp(arg, keyword);
}

void __attribute__((format(printf, 1, 2))) errorf(const char *fmt, ...);
/* Report a failed kernel request: errno text and the kernel's own reason. */
void report_genl_err(const char *what, int ret, const struct cbu_genl_err *e);
/* Open the family, explaining in one line why when it cannot be opened. */
int ctl_genl_open(struct cbu_genl *g);

int do_version(int argc, char **argv);
int do_cert(int argc, char **argv);

#endif /* _CBUCTL_H */
