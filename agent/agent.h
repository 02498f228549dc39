/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cbu-agent: what its parts share.  One process, one thread (loop.h); the
 * roles (mn.c, ha.c, cn.c, map.c; a mobile correspondent's parts in
 * mcn_mn.c and mcn_ha.c, the mobile node's HMIPv6 part in hm.c) hold
 * their own state, and each describes itself
 * in a struct role_ops: role.c lists them, main.c starts, stops and shows
 * them through it, and io.c hands them the messages and kernel
 * notifications they take.
 */
#ifndef _AGENT_H
#define _AGENT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "lib/cert.h"
#include "lib/family.h"
#include "lib/genl.h"
#include "lib/msg.h"
#include "lib/nd.h"

struct agent {
	struct agent_config cfg;
	struct cbu_genl genl;		/* requests to cbu.ko */
	uint64_t started_ms;
};

extern struct agent agent;

/* A message received, decoded, with the addresses it came with. */
struct rx {
	struct in6_addr src;
	struct in6_addr dst;
	const uint8_t *mh;		/* the MH as received */
	size_t len;
	struct cbu_msg msg;
	/* What cbu.ko hands up: the Home Address option's, if it had one. */
	bool has_hoa;
	struct in6_addr hoa;
};

int io_init(void);
void io_fini(void);
/* Send an MH from @src, which is ours, to @dst; the kernel sums it. */
int io_send(const struct in6_addr *src, const struct in6_addr *dst,
	    const struct cbu_msg *m);
/*
 * Send an MH as a whole packet: from @src even if it is not ours (the home
 * agent speaking for a home address), with a Home Address option for @hoa
 * if not NULL.  Its MH bytes go to @out (if not NULL) for SIG_CN.
 */
int io_send_pkt(const struct in6_addr *src, const struct in6_addr *dst,
		const struct in6_addr *hoa, const struct cbu_msg *m,
		uint8_t *out, size_t *out_len);
/*
 * A packet from @src to @dst that carries nothing (next header 59, No
 * Next Header): through an ESP path, RFC 4303's dummy packet, which the
 * other end decrypts, counts and drops.
 */
int io_send_none(const struct in6_addr *src, const struct in6_addr *dst);
const char *addr_str(const struct in6_addr *a);

/*
 * A counter of `cbuctl agent status`: its JSON key (the field's name), how
 * the text prints it, and where it is in its role's counters.
 */
struct counter {
	const char *json;
	const char *fmt;	/* with one %llu */
	size_t off;
};

#define COUNTER(type, field, fmt) { #field, fmt, offsetof(struct type, field) }
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Print @n counters of @c, uint64_t fields of the struct at @base. */
void print_counters(const void *base, const struct counter *c, size_t n);

/*
 * A Router Advertisement on one of the node's links (ROLE_IO_RA), its MAP
 * options read (lib/nd.h).  @why: why it was refused (RFC 4861 6.1.2: a
 * hop limit not 255, a source not link-local; or malformed), and then
 * @n_maps is 0; NULL if it was taken.
 */
struct ra_rx {
	struct in6_addr src;
	int ifindex;
	const char *why;
	int n_maps;
	struct cbu_nd_map maps[CBU_ND_MAX_MAPS];
};

/*
 * Send a Router Solicitation on @ifindex (to all routers, hop limit 255);
 * 0 or -errno.  Only with ROLE_IO_RA.
 */
int io_send_rs(int ifindex);

/*
 * A message of the raw MH socket that a role takes: of MH type @type and,
 * for CBU_MH_EXP, of subtype @subtype.  A role's list ends with @fn NULL.
 */
struct role_rx {
	uint8_t type;
	uint8_t subtype;
	void (*fn)(struct rx *r);
};

/* What a role asks of io.c's sockets, beyond the raw MH one. */
enum role_io {
	/* RFC 4303 dummy packets (io_send_none()): an IPPROTO_NONE socket */
	ROLE_IO_DUMMY		= 1 << 0,
	/* Its peers' signalling passes by the ESP path of their address. */
	ROLE_IO_BYPASS_IPSEC	= 1 << 1,
	/* Its own passes through its home tunnel: no bypass, for anyone. */
	ROLE_IO_THROUGH_IPSEC	= 1 << 2,
	/*
	 * Router Advertisements and Solicitations: a raw ICMPv6 socket.
	 * Not a role's fixed bit: io.c sets it for a role with an @ra op
	 * whose @ra_wanted holds.
	 */
	ROLE_IO_RA		= 1 << 3,
};

/*
 * A role the agent can hold, one a file, its ops at the file's end; role.c
 * lists them.  All run on the loop's thread; any op but @name and
 * @enabled may be NULL.
 */
struct role_ops {
	const char *name;	/* in `agent status`'s "roles" */
	const bool *enabled;	/* its section is in the configuration */
	/*
	 * Read and check the role's files (keys, certificate, secrets),
	 * keep nothing: `cbu-agent --check`.  0, or -1 having logged why.
	 */
	int (*check)(void);
	/* Start: 0, or -1 having logged why. */
	int (*init)(void);
	/*
	 * Stop, undo what init did and wipe its secrets.  At exit it runs
	 * for every role of the configuration, whether its init ran all
	 * the way, failed half-way or never ran (another role's failed).
	 */
	void (*fini)(void);
	/*
	 * Take a new configuration, now agent.cfg, while running (SIGHUP,
	 * `cbuctl agent reload`); @old is the one it started with or last
	 * took.  The new one passed every role's @check and
	 * config_reloadable(): what differs is what can change without
	 * losing a binding or a path.  0, or -1 having logged why and
	 * changed nothing.  NULL: nothing of the role can change.
	 */
	int (*reload)(const struct agent_config *old);
	/* Its part of `agent status`: a JSON object, with json_print. */
	void (*status)(void);
	unsigned int io;			/* enum role_io */
	/* The MH addressed to this node it takes (the raw MH socket). */
	const struct role_rx *rx;
	/* cbu.ko's notifications of bindings (the events group). */
	void (*event)(const struct cbu_event_info *ev);
	/*
	 * What cbu.ko hands up (the mh group, subscribed to if a role
	 * takes it): MH for a home address, before the stack saw them.
	 */
	void (*kernel_mh)(struct rx *r);
	/* Router Advertisements, if *@ra_wanted (the configuration's). */
	void (*ra)(const struct ra_rx *r);
	const bool *ra_wanted;
};

extern const struct role_ops mn_role, ha_role, cn_role, map_role;

/*
 * Every role the agent knows (role.c), NULL-terminated, in the order
 * `agent status` shows them and the agent stops them.
 */
extern const struct role_ops *const roles[];

/* The first role of the configuration from @it on in roles[], or the NULL. */
const struct role_ops *const *role_enabled_from(const struct role_ops *const *it);

/* @r: each role of the configuration in turn, in the order of roles[]. */
#define for_each_role(r)						\
	for (const struct role_ops *const *r##_it =			\
		role_enabled_from(roles);				\
	     ((r) = *r##_it); r##_it = role_enabled_from(r##_it + 1))

/* The roles' lifecycle (role.c): -1 at the first that fails. */
int roles_check(void);
int roles_init(void);
void roles_fini(void);
int roles_reload(const struct agent_config *old);

/* A node's own credentials: signing key, the CA's key, its certificate. */
struct creds {
	struct cbu_sign_key key;
	uint8_t ca_pub[CBU_PUBKEY_LEN];
	struct cbu_cert cert;
	uint8_t cert_wire[CBU_CERT_LEN];
};

/*
 * Reads @key, the CA key of the configuration and @cert, checked against the
 * CA key and the clock (cbu_cert_verify()); what it is for is the role's to
 * check.  Logs why and returns -1 on failure; wipe with creds_wipe().
 */
int creds_load(struct creds *cr, const char *key, const char *cert);
/*
 * The same, the certificate decoded only: a Cert_MN, whose issuer is the
 * home agent's key, not the CA's (the caller checks what it can).
 */
int creds_read(struct creds *cr, const char *key, const char *cert);
void creds_wipe(struct creds *cr);

/* Reads a 32-octet base64 secret from a file (mode 0600 or stricter). */
int read_secret(const char *path, uint8_t out[32]);

#endif /* _AGENT_H */
