// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink transport to cbu.ko (see genl.h).
 *
 * libnl-3.7 has no extended-ack support: the socket option is set on its
 * fd and the TLVs after struct nlmsgerr are read here, as the kernel's
 * ovpn-cli selftest client does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/cbu.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <sodium.h>

#include "genl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* libnl reports its own NLE_* codes; callers get an errno. */
static int nlerr_to_errno(int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_AF_NOSUPPORT:
	case NLE_PROTO_MISMATCH:
		return -EPROTONOSUPPORT;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_MSG_TRUNC:
		return -EMSGSIZE;
	default:
		return -EIO;
	}
}

int cbu_genl_open(struct cbu_genl *g)
{
	int one = 1;
	int ret;

	g->sk = nl_socket_alloc();
	if (!g->sk)
		return -ENOMEM;

	ret = genl_connect(g->sk);
	if (ret < 0) {
		ret = nlerr_to_errno(ret);
		goto err_free;
	}

	/* Best effort: without it errors still arrive, only without text. */
	setsockopt(nl_socket_get_fd(g->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(g->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));

	g->family = genl_ctrl_resolve(g->sk, CBU_GENL_NAME);
	if (g->family < 0) {
		ret = nlerr_to_errno(g->family);
		goto err_free;
	}
	return 0;

err_free:
	nl_socket_free(g->sk);
	g->sk = NULL;
	return ret;
}

void cbu_genl_close(struct cbu_genl *g)
{
	nl_socket_free(g->sk);
	g->sk = NULL;
}

struct nl_msg *cbu_genl_msg(const struct cbu_genl *g, uint8_t cmd, int flags)
{
	struct nl_msg *msg;

	msg = nlmsg_alloc();
	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, g->family, 0, flags,
			 cmd, CBU_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

struct transact {
	struct cbu_genl_err *err;
	struct nl_msg *req;
	int error;
	int done;
	bool intr;
};

/* The range of NLMSGERR_ATTR_POLICY (what NL_SET_ERR_MSG_ATTR_POL sent). */
static void parse_policy(const struct nlattr *nest, struct cbu_genl_err *out)
{
	bool has_min = false, has_max = false, is_signed = false;
	const struct nlattr *a;
	uint64_t v;
	int rem;

	nla_for_each_nested(a, nest, rem) {
		if (nla_len(a) != sizeof(uint64_t))
			continue;
		memcpy(&v, nla_data(a), sizeof(v));
		switch (nla_type(a)) {
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_S:
			is_signed = true;
			/* fall through */
		case NL_POLICY_TYPE_ATTR_MIN_VALUE_U:
			out->min = v;
			has_min = true;
			break;
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_S:
			is_signed = true;
			/* fall through */
		case NL_POLICY_TYPE_ATTR_MAX_VALUE_U:
			out->max = v;
			has_max = true;
			break;
		default:
			break;
		}
	}
	out->has_range = has_min && has_max;
	out->range_signed = is_signed;
}

/*
 * Name the attribute at offset @off of the request @req by its types, the
 * top level's first.  Only attributes we built are walked, so nesting is
 * known by position, not by NLA_F_NESTED (libnl does not set it).
 */
static void resolve_bad_attr(const struct nl_msg *req, int off,
			     struct cbu_genl_err *out)
{
	const struct nlmsghdr *nlh = nlmsg_hdr((struct nl_msg *)req);
	const char *base = (const char *)nlh;
	const struct nlattr *a;
	const int hdrs = (int)(NLMSG_HDRLEN + GENL_HDRLEN);
	int depth = 0, rem;
	const char *start;
	int len;

	start = base + hdrs;
	len = (int)nlh->nlmsg_len - hdrs;
	if (off < hdrs || off >= (int)nlh->nlmsg_len)
		return;
	while (depth < CBU_GENL_ERR_DEPTH) {
		const struct nlattr *found = NULL;

		nla_for_each_attr(a, (struct nlattr *)start, len, rem) {
			int a_off = (int)((const char *)a - base);

			if (off >= a_off && off < a_off + (int)a->nla_len) {
				found = a;
				break;
			}
		}
		if (!found)
			return;
		out->bad_type[depth++] = nla_type(found);
		out->bad_depth = depth;
		if ((const char *)found - base == off)
			return;
		start = nla_data(found);
		len = nla_len(found);
	}
	/* Deeper than we name: say nothing rather than something wrong. */
	out->bad_depth = 0;
}

/* The extended-ack TLVs that follow struct nlmsgerr (NLM_F_ACK_TLVS). */
static void parse_ext_ack(const struct nlmsgerr *e, struct cbu_genl_err *out)
{
	const struct nlmsghdr *nlh;
	const struct nlattr *a;
	size_t off, len;
	int rem;

	nlh = (const struct nlmsghdr *)((const char *)e - NLMSG_HDRLEN);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;

	/* With NLM_F_CAPPED only the header of the request is echoed. */
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (nlh->nlmsg_len < NLMSG_HDRLEN + off)
		return;
	len = nlh->nlmsg_len - NLMSG_HDRLEN - off;

	a = (const struct nlattr *)((const char *)e + off);
	nla_for_each_attr(a, a, (int)len, rem) {
		switch (nla_type(a)) {
		case NLMSGERR_ATTR_MSG:
			if (nla_len(a) > 0) {
				size_t n = (size_t)nla_len(a);

				if (n >= sizeof(out->msg))
					n = sizeof(out->msg) - 1;
				memcpy(out->msg, nla_data(a), n);
				out->msg[n] = '\0';
			}
			break;
		case NLMSGERR_ATTR_OFFS:
			if (nla_len(a) == sizeof(uint32_t))
				out->bad_attr = (int)nla_get_u32((struct nlattr *)a);
			break;
		case NLMSGERR_ATTR_POLICY:
			parse_policy(a, out);
			break;
		default:
			break;
		}
	}
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct transact *t = arg;

	(void)nla;
	t->error = e->error;
	t->done = 1;
	if (t->err) {
		t->err->error = e->error;
		parse_ext_ack(e, t->err);
		if (t->err->bad_attr >= 0)
			resolve_bad_attr(t->req, t->err->bad_attr, t->err);
	}
	return NL_STOP;
}

/* NLMSG_DONE, or the ack of a request that got no data back. */
static int on_done(struct nl_msg *msg, void *arg)
{
	const struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct transact *t = arg;
	int error;

	t->done = 1;
	/* A dump that failed half-way says so in its NLMSG_DONE. */
	if (nlh->nlmsg_type == NLMSG_DONE &&
	    nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(error))) {
		memcpy(&error, NLMSG_DATA(nlh), sizeof(error));
		if (error < 0) {
			t->error = error;
			if (t->err)
				t->err->error = error;
		}
	}
	return NL_STOP;
}

/* Go on reading: the whole dump must be consumed before it can restart. */
static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct transact *t = arg;

	(void)msg;
	t->intr = true;
	return NL_OK;
}

static void msg_free_wiped(struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	sodium_memzero(nlh, nlh->nlmsg_len);
	nlmsg_free(msg);
}

int cbu_genl_transact(struct cbu_genl *g, struct nl_msg *msg,
		      nl_recvmsg_msg_cb_t cb, void *arg,
		      struct cbu_genl_err *err)
{
	struct transact t = { .err = err, .req = msg };
	struct nl_cb *nlcb;
	int ret;

	if (err) {
		memset(err, 0, sizeof(*err));
		err->bad_attr = -1;
	}

	nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nlcb) {
		msg_free_wiped(msg);
		return -ENOMEM;
	}
	if (cb)
		nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, cb, arg);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &t);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &t);
	nl_cb_set(nlcb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr, &t);
	nl_cb_err(nlcb, NL_CB_CUSTOM, on_error, &t);

	ret = nl_send_auto(g->sk, msg);
	if (ret < 0) {
		ret = nlerr_to_errno(ret);
		goto out;
	}

	while (!t.done) {
		ret = nl_recvmsgs(g->sk, nlcb);
		if (ret < 0 && !t.done) {
			ret = nlerr_to_errno(ret);
			goto out;
		}
	}
	ret = t.error;
	if (!ret && t.intr)
		ret = -EAGAIN;
out:
	/* The request is kept until here to name a refused attribute. */
	msg_free_wiped(msg);
	nl_cb_put(nlcb);
	return ret;
}

int cbu_genl_dump(struct cbu_genl *g, uint8_t cmd, nl_recvmsg_msg_cb_t cb,
		  void *arg, struct cbu_genl_err *err)
{
	struct nl_msg *msg;

	msg = cbu_genl_msg(g, cmd, NLM_F_DUMP);
	if (!msg)
		return -ENOMEM;
	return cbu_genl_transact(g, msg, cb, arg, err);
}

uint8_t cbu_genl_cmd(struct nl_msg *msg)
{
	const struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));

	return gnlh->cmd;
}

int cbu_nla_put_in6(struct nl_msg *msg, int type, const struct in6_addr *a)
{
	return nla_put(msg, type, sizeof(*a), a) < 0 ? -EMSGSIZE : 0;
}

int cbu_nla_get_in6(const struct nlattr *nla, struct in6_addr *a)
{
	if (nla_len(nla) != (int)sizeof(*a))
		return -EPROTO;
	memcpy(a, nla_data(nla), sizeof(*a));
	return 0;
}

int cbu_genl_subscribe(struct cbu_genl *g, const char *group)
{
	int id, ret;

	id = genl_ctrl_resolve_grp(g->sk, CBU_GENL_NAME, group);
	if (id < 0)
		return nlerr_to_errno(id);
	ret = nl_socket_add_membership(g->sk, id);
	return ret < 0 ? nlerr_to_errno(ret) : 0;
}

/* Room for a burst of notifications before the kernel drops some. */
#define CBU_NOTIFY_RCVBUF	(1 << 20)

int cbu_genl_notify_init(struct cbu_genl *g, nl_recvmsg_msg_cb_t cb,
			 void *arg)
{
	int ret;

	nl_socket_disable_seq_check(g->sk);
	ret = nl_socket_modify_cb(g->sk, NL_CB_VALID, NL_CB_CUSTOM, cb, arg);
	if (ret < 0)
		return nlerr_to_errno(ret);
	ret = nl_socket_set_nonblocking(g->sk);
	if (ret < 0)
		return nlerr_to_errno(ret);
	/* Best effort: a larger buffer loses fewer notifications in bursts. */
	nl_socket_set_buffer_size(g->sk, CBU_NOTIFY_RCVBUF, 0);
	return 0;
}

int cbu_genl_fd(const struct cbu_genl *g)
{
	return nl_socket_get_fd(g->sk);
}

int cbu_genl_notify_read(struct cbu_genl *g)
{
	int ret;

	for (;;) {
		ret = nl_recvmsgs_default(g->sk);
		if (ret >= 0)
			continue;
		if (ret == -NLE_AGAIN)
			return 0;
		/* libnl reports ENOBUFS, an overrun, as NLE_NOMEM. */
		if (ret == -NLE_NOMEM)
			return -ENOBUFS;
		return nlerr_to_errno(ret);
	}
}

int cbu_genl_listen(struct cbu_genl *g, const sigset_t *sigmask,
		    volatile sig_atomic_t *stop)
{
	struct pollfd pfd = { .fd = cbu_genl_fd(g), .events = POLLIN };
	int ret;

	while (!*stop) {
		ret = ppoll(&pfd, 1, NULL, sigmask);
		if (ret < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		ret = cbu_genl_notify_read(g);
		if (ret < 0)
			return ret;
	}
	return 0;
}

struct version_reply {
	struct cbu_version *v;
	bool got_version, got_features;
};

static int parse_version(struct nl_msg *msg, void *arg)
{
	static struct nla_policy policy[CBU_A_MAX + 1] = {
		[CBU_A_VERSION] = { .type = NLA_STRING },
		[CBU_A_FEATURES] = { .type = NLA_U64 },
	};
	struct genlmsghdr *gnlh = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *tb[CBU_A_MAX + 1];
	struct version_reply *r = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CBU_A_MAX, policy) < 0)
		return NL_SKIP;
	r->v->genl_version = gnlh->version;
	if (tb[CBU_A_VERSION]) {
		nla_strlcpy(r->v->version, tb[CBU_A_VERSION],
			    sizeof(r->v->version));
		r->got_version = true;
	}
	if (tb[CBU_A_FEATURES]) {
		r->v->features = nla_get_u64(tb[CBU_A_FEATURES]);
		r->got_features = true;
	}
	return NL_OK;
}

int cbu_genl_version_get(struct cbu_genl *g, struct cbu_version *v,
			 struct cbu_genl_err *err)
{
	struct version_reply r = { .v = v };
	struct nl_msg *msg;
	int ret;

	memset(v, 0, sizeof(*v));
	msg = cbu_genl_msg(g, CBU_CMD_VERSION_GET, 0);
	if (!msg)
		return -ENOMEM;
	ret = cbu_genl_transact(g, msg, parse_version, &r, err);
	if (ret < 0)
		return ret;
	if (!r.got_version || !r.got_features)
		return -EPROTO;
	return 0;
}
