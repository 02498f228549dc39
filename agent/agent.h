/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cbu-agent: what its parts share.  One process, one thread (loop.h); the
 * roles (mn.c, ha.c, cn.c) hold their own state and get the messages and
 * kernel notifications for them from io.c.
 */
#ifndef _AGENT_H
#define _AGENT_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "lib/cert.h"
#include "lib/family.h"
#include "lib/genl.h"
#include "lib/msg.h"

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
 * Roles: each returns 0 from init, or -1 when it cannot start.  Check
 * reads and checks the role's files (keys, certificate, secrets) and
 * keeps nothing: `cbu-agent --check`.
 */
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

/* Each role's part of `cbuctl agent status`, printed with json_print. */
void mn_status(void);
void ha_status(void);
void cn_status(void);

int mn_check(void);
int mn_init(void);
void mn_fini(void);
void mn_rx(struct rx *r);
void mn_ba(struct rx *r);	/* a BA cbu.ko passed up */
void mn_brr(struct rx *r);	/* a Binding Refresh Request */
void mn_event(const struct cbu_event_info *ev);
void mn_addr_changed(void);

int ha_check(void);
int ha_init(void);
void ha_fini(void);
void ha_rx(struct rx *r);
void ha_mh(struct rx *r);	/* handed up by cbu.ko: for a home address */

int cn_check(void);
int cn_init(void);
void cn_fini(void);
void cn_rx(struct rx *r);
void cn_event(const struct cbu_event_info *ev);

/* A node's own credentials: signing key, the CA's key, its certificate. */
struct creds {
	uint8_t seed[CBU_SEED_LEN];
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
void creds_wipe(struct creds *cr);

/* Reads a 32-octet base64 secret from a file (mode 0600 or stricter). */
int read_secret(const char *path, uint8_t out[32]);

/*
 * The ESP key and SPI both ends derive from a key, a label and @ctx
 * (@ctx_len octets, at most 32: the home tunnel's Ni | Nr; none for
 * route optimization, whose k_EN is new for every path).
 */
void esp_derive(const uint8_t key[32], const char *label,
		const uint8_t *ctx, size_t ctx_len, uint8_t aead[20],
		uint32_t *spi);

#endif /* _AGENT_H */
