/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink transport to cbu.ko for cbu-agent and cbuctl (libnl-3).
 *
 * Requests carry NETLINK_EXT_ACK, so a refusal comes back with the kernel's
 * reason (e.g. "Unsupported attribute") in struct cbu_genl_err.
 */
#ifndef _CBU_GENL_H
#define _CBU_GENL_H

#include <stddef.h>
#include <stdint.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

struct cbu_genl {
	struct nl_sock *sk;
	int family;		/* resolved family id */
};

/* What the kernel said when it refused a request. */
struct cbu_genl_err {
	int error;		/* negative errno, 0 if none */
	char msg[256];		/* extended ack message, "" if none */
	int bad_attr;		/* offset of the offending attribute, -1 if none */
};

/*
 * Connect and resolve the "cbu" family in the caller's network namespace.
 * Returns 0, -ENOENT when the family is not registered (cbu.ko not loaded),
 * or another negative errno.
 */
int cbu_genl_open(struct cbu_genl *g);
void cbu_genl_close(struct cbu_genl *g);

/* A request for @cmd with @flags (NLM_F_DUMP...); NULL on ENOMEM. */
struct nl_msg *cbu_genl_msg(const struct cbu_genl *g, uint8_t cmd, int flags);

/*
 * Send @msg (consumed) and receive until the ack or the end of a dump,
 * calling @cb for every reply message.  Returns 0 or a negative errno; on a
 * kernel refusal @err (may be NULL) holds its errno and message.
 */
int cbu_genl_transact(struct cbu_genl *g, struct nl_msg *msg,
		      nl_recvmsg_msg_cb_t cb, void *arg,
		      struct cbu_genl_err *err);

/* The reply of CBU_CMD_VERSION_GET. */
struct cbu_version {
	char version[64];	/* cbu.ko's version */
	unsigned int genl_version;	/* the family's version */
	uint64_t features;	/* enum cbu_feature bits */
};

/*
 * Ask cbu.ko for its version and features.  Returns 0, a negative errno
 * from the kernel (with @err filled), or -EPROTO for a reply lacking an
 * attribute.
 */
int cbu_genl_version_get(struct cbu_genl *g, struct cbu_version *v,
			 struct cbu_genl_err *err);

#endif /* _CBU_GENL_H */
