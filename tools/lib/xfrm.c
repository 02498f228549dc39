// SPDX-License-Identifier: GPL-2.0
/*
 * ESP states and policies over plain NETLINK_XFRM (see xfrm.h).
 *
 * What the kernel does not default for us, and iproute2 does: lifetime
 * limits of 0 mean "expire at once" (a state with a hard packet limit of 0
 * dies on its first packet), so every limit is XFRM_INF; and a template
 * whose algorithm masks are 0 matches no state (xfrm_state_ok() checks the
 * state's algorithm against them), so they are all ones ("any").
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "xfrm.h"

/* An SA request: fixed header, AEAD with its key, selector. */
union xfrm_buf {
	struct nlmsghdr nlh;
	uint8_t b[1024];
};

int cbu_xfrm_open(struct cbu_xfrm *x)
{
	return cbu_nl_open(&x->nl, NETLINK_XFRM);
}

void cbu_xfrm_close(struct cbu_xfrm *x)
{
	cbu_nl_close(&x->nl);
}

static void in6_to_xfrm(xfrm_address_t *xa, const struct in6_addr *a)
{
	memset(xa, 0, sizeof(*xa));
	memcpy(&xa->in6, a, sizeof(*a));
}

/* Every field the kernel compares is set: selectors are matched whole. */
static void sel_fill(struct xfrm_selector *s, const struct cbu_xfrm_sel *sel)
{
	memset(s, 0, sizeof(*s));
	in6_to_xfrm(&s->saddr, &sel->src);
	in6_to_xfrm(&s->daddr, &sel->dst);
	s->prefixlen_s = sel->src_len;
	s->prefixlen_d = sel->dst_len;
	s->proto = sel->proto;
	s->family = AF_INET6;
}

static void lifetime_inf(struct xfrm_lifetime_cfg *lft)
{
	memset(lft, 0, sizeof(*lft));
	lft->soft_byte_limit = XFRM_INF;
	lft->hard_byte_limit = XFRM_INF;
	lft->soft_packet_limit = XFRM_INF;
	lft->hard_packet_limit = XFRM_INF;
}

/* A request refused before it was sent. */
static int refuse(struct cbu_nl_err *err)
{
	cbu_nl_err_init(err);
	return -EINVAL;
}

static bool mode_ok(uint8_t mode)
{
	return mode == XFRM_MODE_TUNNEL || mode == XFRM_MODE_TRANSPORT;
}

static int sa_request(struct cbu_xfrm *x, uint16_t type,
		      const struct cbu_xfrm_sa *sa, struct cbu_nl_err *err)
{
	union {
		struct xfrm_algo_aead alg;
		uint8_t b[sizeof(struct xfrm_algo_aead) + CBU_XFRM_KEY_MAX];
	} aead;
	struct xfrm_usersa_info *p;
	struct cbu_nl_req req;
	union xfrm_buf buf;

	if (!sa->spi || !mode_ok(sa->mode) || sa->key_len > CBU_XFRM_KEY_MAX)
		return refuse(err);

	/* Flags 0: NEWSA refuses an existing state, UPDSA a missing one. */
	p = cbu_nl_req_init(&req, &buf, sizeof(buf), type, 0, sizeof(*p));
	if (p) {
		sel_fill(&p->sel, &sa->sel);
		in6_to_xfrm(&p->id.daddr, &sa->dst);
		p->id.spi = htonl(sa->spi);
		p->id.proto = IPPROTO_ESP;
		in6_to_xfrm(&p->saddr, &sa->src);
		lifetime_inf(&p->lft);
		p->lft.hard_add_expires_seconds = sa->hard_add_expires;
		p->reqid = sa->reqid;
		p->family = AF_INET6;
		p->mode = sa->mode;
		p->replay_window = sa->replay_window ? sa->replay_window :
						       CBU_XFRM_REPLAY_WINDOW;
	}

	memset(&aead, 0, sizeof(aead));
	strcpy(aead.alg.alg_name, CBU_XFRM_AEAD);
	aead.alg.alg_key_len = (unsigned int)(sa->key_len * 8);
	aead.alg.alg_icv_len = CBU_XFRM_ICV_BITS;
	memcpy(aead.b + sizeof(aead.alg), sa->key, sa->key_len);
	cbu_nl_put(&req, XFRMA_ALG_AEAD, &aead,
		   sizeof(aead.alg) + sa->key_len);
	sodium_memzero(&aead, sizeof(aead));

	/* Wipes buf. */
	return cbu_nl_transact(&x->nl, &req, NULL, NULL, err);
}

int cbu_xfrm_sa_add(struct cbu_xfrm *x, const struct cbu_xfrm_sa *sa,
		    struct cbu_nl_err *err)
{
	return sa_request(x, XFRM_MSG_NEWSA, sa, err);
}

int cbu_xfrm_sa_update(struct cbu_xfrm *x, const struct cbu_xfrm_sa *sa,
		       struct cbu_nl_err *err)
{
	return sa_request(x, XFRM_MSG_UPDSA, sa, err);
}

/* DELSA by (dst, spi, proto) of any family, with what names it fully. */
static int sa_delete(struct cbu_xfrm *x, uint16_t family,
		     const xfrm_address_t *dst, uint32_t spi, uint8_t proto,
		     const xfrm_address_t *src, const struct xfrm_mark *mark,
		     struct cbu_nl_err *err)
{
	struct xfrm_usersa_id *id;
	struct cbu_nl_req req;
	union xfrm_buf buf;

	id = cbu_nl_req_init(&req, &buf, sizeof(buf), XFRM_MSG_DELSA, 0,
			     sizeof(*id));
	if (id) {
		id->daddr = *dst;
		id->spi = htonl(spi);
		id->family = family;
		id->proto = proto;
	}
	if (src)
		cbu_nl_put(&req, XFRMA_SRCADDR, src, sizeof(*src));
	/* A marked state is found only with its mark. */
	if (mark && (mark->v || mark->m))
		cbu_nl_put(&req, XFRMA_MARK, mark, sizeof(*mark));
	return cbu_nl_transact(&x->nl, &req, NULL, NULL, err);
}

int cbu_xfrm_sa_del(struct cbu_xfrm *x, const struct in6_addr *dst,
		    uint32_t spi, uint8_t proto, const struct in6_addr *src,
		    struct cbu_nl_err *err)
{
	xfrm_address_t d, s;

	in6_to_xfrm(&d, dst);
	if (src)
		in6_to_xfrm(&s, src);
	return sa_delete(x, AF_INET6, &d, spi, proto, src ? &s : NULL, NULL,
			 err);
}

static int on_sa_get(const struct nlmsghdr *nlh, void *arg)
{
	return cbu_xfrm_sa_parse(nlh, arg);
}

int cbu_xfrm_sa_get(struct cbu_xfrm *x, const struct in6_addr *dst,
		    uint32_t spi, struct cbu_xfrm_sa_info *info,
		    struct cbu_nl_err *err)
{
	struct xfrm_usersa_id *id;
	struct cbu_nl_req req;
	union xfrm_buf buf;
	int ret;

	memset(info, 0, sizeof(*info));
	id = cbu_nl_req_init(&req, &buf, sizeof(buf), XFRM_MSG_GETSA, 0,
			     sizeof(*id));
	if (id) {
		in6_to_xfrm(&id->daddr, dst);
		id->spi = htonl(spi);
		id->family = AF_INET6;
		id->proto = IPPROTO_ESP;
	}
	ret = cbu_nl_transact(&x->nl, &req, on_sa_get, info, err);
	if (!ret && !info->spi)
		ret = -EPROTO;		/* acked, but no state came */
	return ret;
}

static int policy_request(struct cbu_xfrm *x, uint16_t type,
			  const struct cbu_xfrm_policy *pol,
			  struct cbu_nl_err *err)
{
	struct xfrm_userpolicy_info *p;
	struct xfrm_user_tmpl t;
	struct cbu_nl_req req;
	union xfrm_buf buf;

	if (!mode_ok(pol->mode))
		return refuse(err);

	p = cbu_nl_req_init(&req, &buf, sizeof(buf), type, 0, sizeof(*p));
	if (p) {
		sel_fill(&p->sel, &pol->sel);
		lifetime_inf(&p->lft);
		p->priority = pol->priority;
		p->dir = pol->dir;
		p->action = XFRM_POLICY_ALLOW;
		p->share = XFRM_SHARE_ANY;
	}

	memset(&t, 0, sizeof(t));
	t.id.proto = IPPROTO_ESP;
	t.family = AF_INET6;
	t.mode = pol->mode;
	t.reqid = pol->reqid;
	/* Transport mode takes its addresses from the packet. */
	if (pol->mode == XFRM_MODE_TUNNEL) {
		in6_to_xfrm(&t.saddr, &pol->tmpl_src);
		in6_to_xfrm(&t.id.daddr, &pol->tmpl_dst);
	}
	t.aalgos = ~0U;
	t.ealgos = ~0U;
	t.calgos = ~0U;
	cbu_nl_put(&req, XFRMA_TMPL, &t, sizeof(t));
	return cbu_nl_transact(&x->nl, &req, NULL, NULL, err);
}

int cbu_xfrm_policy_add(struct cbu_xfrm *x, const struct cbu_xfrm_policy *p,
			struct cbu_nl_err *err)
{
	return policy_request(x, XFRM_MSG_NEWPOLICY, p, err);
}

int cbu_xfrm_policy_update(struct cbu_xfrm *x,
			   const struct cbu_xfrm_policy *p,
			   struct cbu_nl_err *err)
{
	return policy_request(x, XFRM_MSG_UPDPOLICY, p, err);
}

int cbu_xfrm_policy_del(struct cbu_xfrm *x, uint8_t dir,
			const struct cbu_xfrm_sel *sel,
			struct cbu_nl_err *err)
{
	struct xfrm_userpolicy_id *id;
	struct cbu_nl_req req;
	union xfrm_buf buf;

	id = cbu_nl_req_init(&req, &buf, sizeof(buf), XFRM_MSG_DELPOLICY, 0,
			     sizeof(*id));
	if (id) {
		sel_fill(&id->sel, sel);
		id->dir = dir;
	}
	return cbu_nl_transact(&x->nl, &req, NULL, NULL, err);
}

int cbu_xfrm_migrate(struct cbu_xfrm *x, const struct cbu_xfrm_migrate *m,
		     struct cbu_nl_err *err)
{
	struct xfrm_userpolicy_id *id;
	struct xfrm_user_migrate um;
	struct cbu_nl_req req;
	union xfrm_buf buf;

	if (!mode_ok(m->mode))
		return refuse(err);

	id = cbu_nl_req_init(&req, &buf, sizeof(buf), XFRM_MSG_MIGRATE, 0,
			     sizeof(*id));
	if (id) {
		sel_fill(&id->sel, &m->sel);
		id->dir = m->dir;
	}
	memset(&um, 0, sizeof(um));
	in6_to_xfrm(&um.old_saddr, &m->old_src);
	in6_to_xfrm(&um.old_daddr, &m->old_dst);
	in6_to_xfrm(&um.new_saddr, &m->new_src);
	in6_to_xfrm(&um.new_daddr, &m->new_dst);
	um.proto = IPPROTO_ESP;
	um.mode = m->mode;
	um.reqid = m->reqid;
	um.old_family = AF_INET6;
	um.new_family = AF_INET6;
	cbu_nl_put(&req, XFRMA_MIGRATE, &um, sizeof(um));
	return cbu_nl_transact(&x->nl, &req, NULL, NULL, err);
}

int cbu_xfrm_sa_parse(const struct nlmsghdr *nlh, struct cbu_xfrm_sa_info *s)
{
	struct xfrm_usersa_info p;
	const struct nlattr *attrs, *a;
	size_t len, rem;
	int ret;

	memset(s, 0, sizeof(*s));
	if (nlh->nlmsg_type != XFRM_MSG_NEWSA)
		return -EPROTO;
	attrs = cbu_nl_attrs(nlh, sizeof(p), &len);
	if (!attrs)
		return -EPROTO;
	/* Copied out: a message in a datagram is only 4-octet aligned. */
	memcpy(&p, NLMSG_DATA(nlh), sizeof(p));
	s->family = p.family;
	s->src = p.saddr;
	s->dst = p.id.daddr;
	s->spi = ntohl(p.id.spi);
	s->proto = p.id.proto;
	s->mode = p.mode;
	s->reqid = p.reqid;
	s->sel = p.sel;
	s->packets = p.curlft.packets;
	s->hard_add_expires = p.lft.hard_add_expires_seconds;

	/* XFRMA_ALG_* hold the keys: never read here. */
	cbu_nl_for_each_attr(a, attrs, len, rem) {
		switch (cbu_nl_attr_type(a)) {
		case XFRMA_MARK:
			ret = cbu_nl_attr_get(a, &s->mark, sizeof(s->mark));
			break;
		case XFRMA_IF_ID:
			ret = cbu_nl_attr_get(a, &s->if_id, sizeof(s->if_id));
			break;
		default:
			continue;
		}
		if (ret)
			return ret;
	}
	return rem ? -EPROTO : 0;
}

int cbu_xfrm_policy_parse(const struct nlmsghdr *nlh,
			  struct cbu_xfrm_policy_info *p)
{
	struct xfrm_userpolicy_type upt;
	struct xfrm_userpolicy_info u;
	const struct nlattr *attrs, *a;
	size_t len, rem, n;
	int ret;

	memset(p, 0, sizeof(*p));
	if (nlh->nlmsg_type != XFRM_MSG_NEWPOLICY)
		return -EPROTO;
	attrs = cbu_nl_attrs(nlh, sizeof(u), &len);
	if (!attrs)
		return -EPROTO;
	memcpy(&u, NLMSG_DATA(nlh), sizeof(u));
	p->sel = u.sel;
	p->dir = u.dir;
	p->index = u.index;
	p->priority = u.priority;
	p->type = XFRM_POLICY_TYPE_MAIN;

	cbu_nl_for_each_attr(a, attrs, len, rem) {
		switch (cbu_nl_attr_type(a)) {
		case XFRMA_TMPL:
			n = cbu_nl_attr_len(a);
			if (n % sizeof(p->tmpl[0]) ||
			    n / sizeof(p->tmpl[0]) > CBU_XFRM_MAX_TMPL)
				return -EPROTO;
			memcpy(p->tmpl, cbu_nl_attr_data(a), n);
			p->ntmpl = (unsigned int)(n / sizeof(p->tmpl[0]));
			ret = 0;
			break;
		case XFRMA_POLICY_TYPE:
			ret = cbu_nl_attr_get(a, &upt, sizeof(upt));
			if (!ret)
				p->type = upt.type;
			break;
		case XFRMA_MARK:
			ret = cbu_nl_attr_get(a, &p->mark, sizeof(p->mark));
			break;
		case XFRMA_IF_ID:
			ret = cbu_nl_attr_get(a, &p->if_id, sizeof(p->if_id));
			break;
		default:
			continue;
		}
		if (ret)
			return ret;
	}
	return rem ? -EPROTO : 0;
}

/*
 * What a dump found to delete, collected first: no request can go out on
 * the socket before the dump has been read to its end.
 */
struct flush_list {
	uint32_t first, last;	/* the reqids to flush */
	struct cbu_xfrm_sa_info *sa;
	size_t nsa, capsa;
	struct cbu_xfrm_policy_info *pol;
	size_t npol, cappol;
};

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t ncap = *cap ? *cap * 2 : 16;
	void *nv;

	if (n < *cap)
		return 0;
	nv = reallocarray(*v, ncap, size);
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = ncap;
	return 0;
}

static int on_sa(const struct nlmsghdr *nlh, void *arg)
{
	struct flush_list *l = arg;
	struct cbu_xfrm_sa_info s;
	int ret;

	ret = cbu_xfrm_sa_parse(nlh, &s);
	if (ret)
		return ret;
	/*
	 * DELSA finds an ESP, AH or IPComp state by SPI, and a larval one
	 * (an ACQUIRE's) has none yet; other protocols go by address.
	 */
	if (s.reqid < l->first || s.reqid > l->last ||
	    (!s.spi && (s.proto == IPPROTO_ESP || s.proto == IPPROTO_AH ||
			s.proto == IPPROTO_COMP)))
		return 0;
	ret = grow((void **)&l->sa, &l->capsa, l->nsa, sizeof(*l->sa));
	if (ret)
		return ret;
	l->sa[l->nsa++] = s;
	return 0;
}

static int on_policy(const struct nlmsghdr *nlh, void *arg)
{
	struct flush_list *l = arg;
	struct cbu_xfrm_policy_info p;
	unsigned int i;
	int ret;

	ret = cbu_xfrm_policy_parse(nlh, &p);
	if (ret)
		return ret;
	/* Socket policies (dir past FWD) belong to their sockets. */
	if (p.dir >= XFRM_POLICY_MAX)
		return 0;
	for (i = 0; i < p.ntmpl; i++)
		if (p.tmpl[i].reqid >= l->first && p.tmpl[i].reqid <= l->last)
			break;
	if (i == p.ntmpl)
		return 0;
	ret = grow((void **)&l->pol, &l->cappol, l->npol, sizeof(*l->pol));
	if (ret)
		return ret;
	l->pol[l->npol++] = p;
	return 0;
}

static int dump(struct cbu_xfrm *x, uint16_t type, cbu_nl_cb cb,
		struct flush_list *l, struct cbu_nl_err *err)
{
	struct cbu_nl_req req;
	union xfrm_buf buf;

	/*
	 * No fixed header: the kernel parses attributes (filters) right
	 * after the netlink header of a dump request.
	 */
	cbu_nl_req_init(&req, &buf, sizeof(buf), type, NLM_F_DUMP, 0);
	return cbu_nl_transact(&x->nl, &req, cb, l, err);
}

struct sa_walk {
	int (*cb)(const struct cbu_xfrm_sa_info *s, void *arg);
	void *arg;
};

static int on_sa_walk(const struct nlmsghdr *nlh, void *arg)
{
	struct sa_walk *w = arg;
	struct cbu_xfrm_sa_info s;
	int ret;

	ret = cbu_xfrm_sa_parse(nlh, &s);
	return ret ? ret : w->cb(&s, w->arg);
}

int cbu_xfrm_sa_dump(struct cbu_xfrm *x,
		     int (*cb)(const struct cbu_xfrm_sa_info *s, void *arg),
		     void *arg, struct cbu_nl_err *err)
{
	struct sa_walk w = { .cb = cb, .arg = arg };
	struct cbu_nl_req req;
	union xfrm_buf buf;

	cbu_nl_req_init(&req, &buf, sizeof(buf), XFRM_MSG_GETSA, NLM_F_DUMP, 0);
	return cbu_nl_transact(&x->nl, &req, on_sa_walk, &w, err);
}

/* By index: exact whatever the selector, with what else names it. */
static int policy_delete(struct cbu_xfrm *x,
			 const struct cbu_xfrm_policy_info *p,
			 struct cbu_nl_err *err)
{
	struct xfrm_userpolicy_type upt = { .type = p->type };
	struct xfrm_userpolicy_id *id;
	struct cbu_nl_req req;
	union xfrm_buf buf;

	id = cbu_nl_req_init(&req, &buf, sizeof(buf), XFRM_MSG_DELPOLICY, 0,
			     sizeof(*id));
	if (id) {
		id->sel = p->sel;
		id->index = p->index;
		id->dir = p->dir;
	}
	if (p->type != XFRM_POLICY_TYPE_MAIN)
		cbu_nl_put(&req, XFRMA_POLICY_TYPE, &upt, sizeof(upt));
	if (p->mark.v || p->mark.m)
		cbu_nl_put(&req, XFRMA_MARK, &p->mark, sizeof(p->mark));
	if (p->if_id)
		cbu_nl_put_u32(&req, XFRMA_IF_ID, p->if_id);
	return cbu_nl_transact(&x->nl, &req, NULL, NULL, err);
}

/* Dumps interrupted by concurrent changes are retried this many times. */
#define FLUSH_ROUNDS	8

int cbu_xfrm_flush_reqid(struct cbu_xfrm *x, uint32_t reqid,
			 struct cbu_nl_err *err)
{
	return cbu_xfrm_flush_reqids(x, reqid, reqid, err);
}

int cbu_xfrm_flush_reqids(struct cbu_xfrm *x, uint32_t first, uint32_t last,
			  struct cbu_nl_err *err)
{
	struct flush_list l = { .first = first, .last = last };
	int deleted = 0, round, ret;
	int dump_pol, dump_sa;
	size_t i;

	if (!first || last < first)
		return refuse(err);

	for (round = 0; round < FLUSH_ROUNDS; round++) {
		l.nsa = 0;
		l.npol = 0;
		/*
		 * Policies first: with them gone no new ACQUIRE can ask for
		 * a state of this reqid.  An interrupted dump (-EAGAIN) still
		 * gave real entries: delete those, then look again.
		 */
		dump_pol = dump(x, XFRM_MSG_GETPOLICY, on_policy, &l, err);
		if (dump_pol && dump_pol != -EAGAIN) {
			ret = dump_pol;
			goto out;
		}
		for (i = 0; i < l.npol; i++) {
			ret = policy_delete(x, &l.pol[i], err);
			if (ret == -ENOENT)
				continue;
			if (ret)
				goto out;
			deleted++;
		}

		dump_sa = dump(x, XFRM_MSG_GETSA, on_sa, &l, err);
		if (dump_sa && dump_sa != -EAGAIN) {
			ret = dump_sa;
			goto out;
		}
		for (i = 0; i < l.nsa; i++) {
			ret = sa_delete(x, l.sa[i].family, &l.sa[i].dst,
					l.sa[i].spi, l.sa[i].proto,
					&l.sa[i].src, &l.sa[i].mark, err);
			if (ret == -ESRCH)
				continue;
			if (ret)
				goto out;
			deleted++;
		}
		if (!dump_pol && !dump_sa) {
			ret = deleted;
			goto out;
		}
	}
	ret = -EAGAIN;
out:
	/* What a skipped deletion (-ENOENT) left is no refusal. */
	if (ret >= 0)
		cbu_nl_err_init(err);
	free(l.sa);
	free(l.pol);
	return ret;
}
