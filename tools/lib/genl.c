// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink transport to cbu.ko (see genl.h).
 *
 * libnl-3.7 has no extended-ack support: the socket option is set on its
 * fd and the TLVs after struct nlmsgerr are read here, as the kernel's
 * ovpn-cli selftest client does.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/cbu.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>

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
	int error;
	int done;
};

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
	}
	return NL_STOP;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct transact *t = arg;

	(void)msg;
	t->done = 1;
	return NL_STOP;
}

int cbu_genl_transact(struct cbu_genl *g, struct nl_msg *msg,
		      nl_recvmsg_msg_cb_t cb, void *arg,
		      struct cbu_genl_err *err)
{
	struct transact t = { .err = err };
	struct nl_cb *nlcb;
	int ret;

	if (err) {
		err->error = 0;
		err->msg[0] = '\0';
		err->bad_attr = -1;
	}

	nlcb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!nlcb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	if (cb)
		nl_cb_set(nlcb, NL_CB_VALID, NL_CB_CUSTOM, cb, arg);
	nl_cb_set(nlcb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, &t);
	nl_cb_set(nlcb, NL_CB_ACK, NL_CB_CUSTOM, on_done, &t);
	nl_cb_err(nlcb, NL_CB_CUSTOM, on_error, &t);

	ret = nl_send_auto(g->sk, msg);
	nlmsg_free(msg);
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
out:
	nl_cb_put(nlcb);
	return ret;
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
