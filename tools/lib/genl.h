/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Generic netlink transport to cbu.ko for cbu-agent and cbuctl (libnl-3).
 *
 * Requests carry NETLINK_EXT_ACK, so a refusal comes back with the kernel's
 * reason (e.g. "Unsupported attribute") in struct cbu_genl_err.
 */
#ifndef _CBU_GENL_H
#define _CBU_GENL_H

#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <netlink/genl/genl.h>
#include <netlink/msg.h>

struct cbu_genl {
	struct nl_sock *sk;
	int family;		/* resolved family id */
};

/* The most levels of nesting cbu_genl_err can name an attribute through. */
#define CBU_GENL_ERR_DEPTH	2

/* What the kernel said when it refused a request. */
struct cbu_genl_err {
	int error;		/* negative errno, 0 if none */
	char msg[256];		/* extended ack message, "" if none */
	int bad_attr;		/* offset of the offending attribute, -1 if none */
	/*
	 * The offending attribute as types from the top level down, e.g.
	 * { CBU_A_BINDING, CBU_A_BCE_LT_EN }; bad_depth 0 if not known.
	 */
	int bad_type[CBU_GENL_ERR_DEPTH];
	int bad_depth;
	/* The valid range of an integer attribute, when the kernel sent it. */
	bool has_range;
	bool range_signed;	/* min and max hold int64_t values */
	uint64_t min, max;
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
 * Send @msg (consumed, and wiped: a request may carry keys) and receive
 * until the ack or the end of a dump, calling @cb for every reply message.
 * Returns 0 or a negative errno; on a kernel refusal @err (may be NULL)
 * holds its errno and message.  A dump the kernel flagged inconsistent
 * (NLM_F_DUMP_INTR: the set changed under it) is read to its end and
 * then reported as -EAGAIN: the caller may start it again.
 */
int cbu_genl_transact(struct cbu_genl *g, struct nl_msg *msg,
		      nl_recvmsg_msg_cb_t cb, void *arg,
		      struct cbu_genl_err *err);

/*
 * Dump @cmd (a request without attributes, NLM_F_DUMP): @cb is called for
 * every message of the dump.  Returns as cbu_genl_transact().
 */
int cbu_genl_dump(struct cbu_genl *g, uint8_t cmd, nl_recvmsg_msg_cb_t cb,
		  void *arg, struct cbu_genl_err *err);

/* The genetlink command of a message @cb got. */
uint8_t cbu_genl_cmd(struct nl_msg *msg);

/* IPv6 addresses as 16-octet attributes. */
int cbu_nla_put_in6(struct nl_msg *msg, int type, const struct in6_addr *a);
/* 0, or -EPROTO if @nla does not hold exactly 16 octets. */
int cbu_nla_get_in6(const struct nlattr *nla, struct in6_addr *a);

/*
 * Notifications.  Join the family's multicast group @group (CBU_MCGRP_*):
 * 0, -ENOENT if the family has no such group, -EPERM without CAP_NET_ADMIN,
 * or another negative errno.  Subscribe before cbu_genl_notify_init().
 */
int cbu_genl_subscribe(struct cbu_genl *g, const char *group);

/*
 * Make @g a notification socket: @cb gets every notification.  It turns
 * sequence checking off (notifications carry sequence 0) and makes the
 * socket non-blocking, so use it for nothing else afterwards: requests go
 * through a socket of their own.
 */
int cbu_genl_notify_init(struct cbu_genl *g, nl_recvmsg_msg_cb_t cb,
			 void *arg);
/* The socket's fd, to poll for notifications. */
int cbu_genl_fd(const struct cbu_genl *g);
/*
 * Hand every queued notification to the callback.  Returns 0 once none is
 * left, -ENOBUFS if some were lost (the receive buffer overran; the socket
 * goes on working), or another negative errno.
 */
int cbu_genl_notify_read(struct cbu_genl *g);
/*
 * Receive notifications until *@stop is set or an error occurs (as
 * cbu_genl_notify_read()).  The signals that set *@stop must be blocked by
 * the caller and not in @sigmask, the mask in force while waiting (ppoll),
 * so that no signal is lost between checking *@stop and waiting.
 */
int cbu_genl_listen(struct cbu_genl *g, const sigset_t *sigmask,
		    volatile sig_atomic_t *stop);

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
