/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cbuctl: the ip-style command line of cbu.  One file per object; each
 * object's do_*() gets the arguments after its name.
 */
#ifndef _CBUCTL_H
#define _CBUCTL_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/family.h"
#include "lib/genl.h"
#include "lib/json_print.h"

/* Exit statuses: 0 done, 1 the operation failed, 2 bad usage. */
#define EXIT_USAGE	2

extern bool json;		/* -j */
extern bool pretty;		/* -p */
extern bool show_stats;		/* -s */
extern bool timestamp;		/* -t */

/* Exact keyword matching, as in iproute2's strcmp-based commands. */
static inline bool is(const char *arg, const char *keyword)
{
	return arg && !__builtin_strcmp(arg, keyword);
}

void __attribute__((format(printf, 1, 2))) errorf(const char *fmt, ...);
/* Report a failed kernel request: errno text and the kernel's own reason. */
void report_genl_err(const char *what, int ret, const struct cbu_genl_err *e);

/* The command-line argument an attribute of a request came from. */
struct arg_name {
	int type;		/* attribute type inside the request's nest */
	const char *name;	/* e.g. "lt-en"; the table ends with NULL */
};

/*
 * report_genl_err(), naming the argument the kernel refused when it points
 * at an attribute of the nest @nest: "key add: lt-en: integer out of
 * range, valid 0..262140 (Numerical result out of range)".
 */
void report_genl_err_arg(const char *what, int ret,
			 const struct cbu_genl_err *e, int nest,
			 const struct arg_name *names);
/* Open the family, explaining in one line why when it cannot be opened. */
int ctl_genl_open(struct cbu_genl *g);

/*
 * Argument parsing shared by the objects.  @what names the command in
 * messages ("key add").  Each returns 0, or prints why and returns
 * EXIT_USAGE.
 */
/* Step from keyword **@argv to its argument, stored in *@val. */
int arg_next(const char *what, int *argc, char ***argv, const char **val);
/* The same for a decimal 0..UINT32_MAX. */
int arg_u32(const char *what, int *argc, char ***argv, uint32_t *val);
/* @s as an IPv6 address; @name is its place in the grammar ("HOA"). */
int arg_addr(const char *what, const char *name, const char *s,
	     struct in6_addr *addr);
/* @s as PREFIX/LEN; host bits must be clear. */
int arg_prefix(const char *what, const char *s, struct in6_addr *prefix,
	       uint8_t *len);
int arg_dup(const char *what, const char *kw);
int arg_unknown(const char *what, const char *arg, const char *object);

/*
 * A growable array: the replies of a dump, collected before they are
 * printed (a dump the kernel flags as inconsistent is read again).
 */
struct vec {
	void *v;
	size_t n, size;
};

/* Append the @len octets of @item to @l: 0 or -ENOMEM. */
int vec_push(struct vec *l, const void *item, size_t len);

/* How often a dump the kernel flagged inconsistent is started again. */
#define DUMP_TRIES	5

/* Print a binding cache entry (binding.c); @event: as a monitor line. */
void print_binding(const struct cbu_binding_info *b, bool event);
/* Print a map binding (map.c); @event: as a monitor line. */
void print_map_binding(const struct cbu_map_binding *mb, bool event);

int do_version(int argc, char **argv);
int do_cert(int argc, char **argv);
int do_key(int argc, char **argv);
int do_binding(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_param(int argc, char **argv);
int do_home(int argc, char **argv);
int do_own(int argc, char **argv);
int do_map(int argc, char **argv);
int do_monitor(int argc, char **argv);
int do_agent(int argc, char **argv);
int do_ro(int argc, char **argv);
int do_mn(int argc, char **argv);

#endif /* _CBUCTL_H */
