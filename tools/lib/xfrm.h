/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The binding's data path as cbu-agent installs it over plain NETLINK_XFRM
 * (Documentation/kernel.md, "The data path"): ESP states keyed with
 * rfc4106(gcm(aes)) and the policies whose templates name them by reqid,
 * which cbu.ko then moves with xfrm_migrate().  IPv6 only.
 *
 * Every request asks for an ack and returns 0 or the negative errno the
 * kernel answered, with its extended-ack message in @err (may be NULL);
 * the few refusals made here before asking the kernel are -EINVAL.  Every
 * buffer that held a key is wiped, the kernel's replies included (a state
 * dump carries keys).
 */
#ifndef _CBU_XFRM_H
#define _CBU_XFRM_H

#include <netinet/in.h>		/* before the uapi headers: struct in6_addr */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/xfrm.h>

#include "rtnl.h"		/* the transport: struct cbu_nl */

#define CBU_XFRM_AEAD		"rfc4106(gcm(aes))"
/* AES-128 key and the 4-octet salt (RFC 4106 section 8.1). */
#define CBU_XFRM_KEY_LEN	20
/* The longest key sent: AES-256 and salt.  The kernel judges the length. */
#define CBU_XFRM_KEY_MAX	36
#define CBU_XFRM_ICV_BITS	128
#define CBU_XFRM_REPLAY_WINDOW	32
/* The most templates a policy has: the kernel's XFRM_MAX_DEPTH, not uapi. */
#define CBU_XFRM_MAX_TMPL	6

struct cbu_xfrm {
	struct cbu_nl nl;
};

/* Open NETLINK_XFRM in the caller's network namespace: 0 or -errno. */
int cbu_xfrm_open(struct cbu_xfrm *x);
void cbu_xfrm_close(struct cbu_xfrm *x);

/*
 * An IPv6 traffic selector.  The kernel keeps addresses as given (it does
 * not clear the bits past the prefix length) and finds a policy to delete
 * or migrate by an exact match: use the same selector throughout.
 */
struct cbu_xfrm_sel {
	struct in6_addr src;
	struct in6_addr dst;
	uint8_t src_len;
	uint8_t dst_len;
	uint8_t proto;		/* upper-layer protocol, 0: any */
};

/*
 * An ESP state.  The caller wipes @key (sodium_memzero) when done with
 * the struct.
 */
struct cbu_xfrm_sa {
	struct in6_addr src;	/* outer source (tunnel) or the host's */
	struct in6_addr dst;	/* outer destination */
	uint32_t spi;		/* host order, not 0 */
	uint32_t reqid;
	uint8_t mode;		/* XFRM_MODE_TUNNEL or XFRM_MODE_TRANSPORT */
	uint8_t replay_window;	/* 0: CBU_XFRM_REPLAY_WINDOW; the kernel
				 * caps it at 32 */
	struct cbu_xfrm_sel sel;
	size_t key_len;		/* CBU_XFRM_KEY_LEN; at most
				 * CBU_XFRM_KEY_MAX, the rest is the
				 * kernel's to refuse (-EINVAL) */
	uint8_t key[CBU_XFRM_KEY_MAX];
	uint64_t hard_add_expires;	/* seconds after it is added that the
					 * kernel deletes it; 0: never */
};

/* A new state: -EEXIST if (dst, spi, ESP) has one. */
int cbu_xfrm_sa_add(struct cbu_xfrm *x, const struct cbu_xfrm_sa *sa,
		    struct cbu_nl_err *err);
/*
 * XFRM_MSG_UPDSA on the state (dst, spi, ESP): -ESRCH if there is none.
 * Beware: it replaces only a larval state (an ACQUIRE's).  Of a valid one
 * the kernel takes the lifetimes alone and keeps its key, mode, selector
 * and replay window, and still answers 0 (xfrm_state_update()).  To rekey
 * or change a valid state, add one with a new SPI and delete the old.
 */
int cbu_xfrm_sa_update(struct cbu_xfrm *x, const struct cbu_xfrm_sa *sa,
		       struct cbu_nl_err *err);
/*
 * Delete the state (@dst, @spi, @proto): -ESRCH if there is none.  @src
 * (may be NULL) is sent as XFRMA_SRCADDR; the kernel needs it only for
 * protocols without an SPI.
 */
int cbu_xfrm_sa_del(struct cbu_xfrm *x, const struct in6_addr *dst,
		    uint32_t spi, uint8_t proto, const struct in6_addr *src,
		    struct cbu_nl_err *err);

/* A policy allowing @sel through one ESP template. */
struct cbu_xfrm_policy {
	uint8_t dir;		/* XFRM_POLICY_IN, _OUT or _FWD */
	struct cbu_xfrm_sel sel;
	uint32_t priority;	/* lower wins */
	uint8_t mode;		/* XFRM_MODE_TUNNEL or XFRM_MODE_TRANSPORT */
	struct in6_addr tmpl_src;	/* tunnel endpoints; transport */
	struct in6_addr tmpl_dst;	/* mode takes the packet's */
	uint32_t reqid;		/* of the states the template names */
};

/* A new policy: -EEXIST if (@sel, @dir) has one. */
int cbu_xfrm_policy_add(struct cbu_xfrm *x, const struct cbu_xfrm_policy *p,
			struct cbu_nl_err *err);
/* Add the policy, or replace the one of (@sel, @dir). */
int cbu_xfrm_policy_update(struct cbu_xfrm *x,
			   const struct cbu_xfrm_policy *p,
			   struct cbu_nl_err *err);
/* Delete the policy of (@sel, @dir): -ENOENT if there is none. */
int cbu_xfrm_policy_del(struct cbu_xfrm *x, uint8_t dir,
			const struct cbu_xfrm_sel *sel,
			struct cbu_nl_err *err);

/*
 * Move the policy of (@sel, @dir) and the state it uses from outer
 * addresses (old_src, old_dst) to (new_src, new_dst), as cbu.ko does on
 * the CN: the template of @reqid and @mode with the old addresses gets the
 * new ones, and the ESP state of @reqid with the old addresses is replaced
 * by a copy (same SPI and key) with the new ones.  A state is
 * moved only if there is one; the policy must exist (-ENOENT).  A node
 * moves both directions with two calls (out, then in).
 */
struct cbu_xfrm_migrate {
	uint8_t dir;
	struct cbu_xfrm_sel sel;
	uint8_t mode;
	uint32_t reqid;
	struct in6_addr old_src;
	struct in6_addr old_dst;
	struct in6_addr new_src;
	struct in6_addr new_dst;
};

int cbu_xfrm_migrate(struct cbu_xfrm *x, const struct cbu_xfrm_migrate *m,
		     struct cbu_nl_err *err);

/*
 * Teardown: delete every policy one of whose templates has @reqid, then
 * every state of @reqid, of any family.  Returns how many were deleted
 * (those gone meanwhile are not counted, nor an error) or a negative
 * errno; -EINVAL for @reqid 0, which names no binding.  Larval ESP states
 * (an ACQUIRE's, SPI 0 yet) cannot be named to DELSA and are left to
 * expire (net.core.xfrm_acq_expires).
 */
int cbu_xfrm_flush_reqid(struct cbu_xfrm *x, uint32_t reqid,
			 struct cbu_nl_err *err);
/* The same for every reqid from @first to @last; -EINVAL for none. */
int cbu_xfrm_flush_reqids(struct cbu_xfrm *x, uint32_t first, uint32_t last,
			  struct cbu_nl_err *err);

/* What names a state for deletion, as an XFRM_MSG_GETSA dump gives it. */
struct cbu_xfrm_sa_info {
	uint16_t family;	/* of the outer addresses */
	xfrm_address_t src;
	xfrm_address_t dst;
	uint32_t spi;		/* host order */
	uint8_t proto;
	uint8_t mode;
	uint32_t reqid;
	struct xfrm_mark mark;	/* {0, 0}: none */
	uint32_t if_id;
	struct xfrm_selector sel;
	uint64_t packets;	/* carried so far (curlft) */
	uint64_t hard_add_expires;	/* seconds, 0: never */
};

/*
 * What the kernel says of the ESP state (@dst, @spi): -ESRCH if there is
 * none.  The reply holds the key; it is wiped, and not copied out.
 */
int cbu_xfrm_sa_get(struct cbu_xfrm *x, const struct in6_addr *dst,
		    uint32_t spi, struct cbu_xfrm_sa_info *info,
		    struct cbu_nl_err *err);

/*
 * Every state of the namespace, to @cb (no key copied out); a non-zero
 * return of @cb stops the calls and is returned.  -EAGAIN: the table
 * changed under the dump, dump again.
 */
int cbu_xfrm_sa_dump(struct cbu_xfrm *x,
		     int (*cb)(const struct cbu_xfrm_sa_info *s, void *arg),
		     void *arg, struct cbu_nl_err *err);

/* A policy as an XFRM_MSG_GETPOLICY dump gives it. */
struct cbu_xfrm_policy_info {
	struct xfrm_selector sel;
	uint8_t dir;
	uint8_t type;		/* XFRM_POLICY_TYPE_MAIN unless said */
	uint32_t index;
	uint32_t priority;
	struct xfrm_mark mark;
	uint32_t if_id;
	unsigned int ntmpl;
	struct xfrm_user_tmpl tmpl[CBU_XFRM_MAX_TMPL];
};

/*
 * Parse one message of a state or policy dump (XFRM_MSG_NEWSA,
 * XFRM_MSG_NEWPOLICY) of nlmsg_len readable octets: 0 or -EPROTO.  No key
 * is copied out.
 */
int cbu_xfrm_sa_parse(const struct nlmsghdr *nlh, struct cbu_xfrm_sa_info *s);
int cbu_xfrm_policy_parse(const struct nlmsghdr *nlh,
			  struct cbu_xfrm_policy_info *p);

#endif /* _CBU_XFRM_H */
