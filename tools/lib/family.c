// SPDX-License-Identifier: GPL-2.0
/*
 * Requests and replies of the cbu family (see family.h).
 *
 * Parsers read attributes by walking them, never by index into a table
 * sized by this build's enums: an attribute is read only once its length
 * is the one its type has, and attributes this build does not know are
 * skipped, so a newer module's replies still parse.
 */
#include <errno.h>
#include <string.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <sodium.h>

#include "family.h"

/* Copy @a's payload of exactly @len octets into @v. */
static int get_fixed(const struct nlattr *a, void *v, size_t len)
{
	if (nla_len(a) != (int)len)
		return -EPROTO;
	memcpy(v, nla_data(a), len);
	return 0;
}

/* The top-level attribute @type of a reply or notification, or NULL. */
static const struct nlattr *top_attr(const struct nlmsghdr *nlh, int type)
{
	const struct genlmsghdr *gnlh;

	if (!genlmsg_valid_hdr((struct nlmsghdr *)nlh, 0))
		return NULL;
	gnlh = nlmsg_data(nlh);
	return nla_find(genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0),
			type);
}

static uint8_t msg_cmd(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *gnlh = nlmsg_data(nlh);

	return genlmsg_valid_hdr((struct nlmsghdr *)nlh, 0) ? gnlh->cmd : 0;
}

int cbu_binding_parse(const struct nlattr *nest, struct cbu_binding_info *b)
{
	const unsigned int need = CBU_HAS(CBU_A_BCE_HOA) |
				  CBU_HAS(CBU_A_BCE_CN) |
				  CBU_HAS(CBU_A_BCE_ROLE) |
				  CBU_HAS(CBU_A_BCE_STATE);
	const struct nlattr *a;
	int rem, ret;

	memset(b, 0, sizeof(*b));
	nla_for_each_nested(a, nest, rem) {
		int type = nla_type(a);

		switch (type) {
		case CBU_A_BCE_HOA:
			ret = cbu_nla_get_in6(a, &b->hoa);
			break;
		case CBU_A_BCE_CN:
			ret = cbu_nla_get_in6(a, &b->cn);
			break;
		case CBU_A_BCE_COA:
			ret = cbu_nla_get_in6(a, &b->coa);
			break;
		case CBU_A_BCE_PEER_COA:
			ret = cbu_nla_get_in6(a, &b->peer_coa);
			break;
		case CBU_A_BCE_ROLE:
			ret = get_fixed(a, &b->role, sizeof(b->role));
			break;
		case CBU_A_BCE_STATE:
			ret = get_fixed(a, &b->state, sizeof(b->state));
			break;
		case CBU_A_BCE_SEQ:
			ret = get_fixed(a, &b->seq, sizeof(b->seq));
			break;
		case CBU_A_BCE_LIFETIME:
			ret = get_fixed(a, &b->lifetime, sizeof(b->lifetime));
			break;
		case CBU_A_BCE_LT_EN:
			ret = get_fixed(a, &b->lt_en, sizeof(b->lt_en));
			break;
		case CBU_A_BCE_MAX_LIFETIME:
			ret = get_fixed(a, &b->max_lifetime,
					sizeof(b->max_lifetime));
			break;
		case CBU_A_BCE_REQID:
			ret = get_fixed(a, &b->reqid, sizeof(b->reqid));
			break;
		case CBU_A_BCE_UNCONFIRMED:
			ret = get_fixed(a, &b->unconfirmed,
					sizeof(b->unconfirmed));
			break;
		case CBU_A_BCE_PACKETS:
			ret = get_fixed(a, &b->packets, sizeof(b->packets));
			break;
		case CBU_A_BCE_BYTES:
			ret = get_fixed(a, &b->bytes, sizeof(b->bytes));
			break;
		case CBU_A_BCE_UPDATES:
			ret = get_fixed(a, &b->updates, sizeof(b->updates));
			break;
		default:
			/* Keys are never sent back; padding and newer attributes. */
			continue;
		}
		if (ret)
			return ret;
		b->has |= CBU_HAS(type);
	}
	if (rem > 0 || (b->has & need) != need)
		return -EPROTO;
	return 0;
}

/* Open the CBU_A_BINDING nest of a request and put its (HoA, CN) key. */
static struct nlattr *put_binding_key(struct nl_msg *msg,
				      const struct in6_addr *hoa,
				      const struct in6_addr *cn)
{
	struct nlattr *nest = nla_nest_start(msg, CBU_A_BINDING);

	if (!nest || cbu_nla_put_in6(msg, CBU_A_BCE_HOA, hoa) ||
	    cbu_nla_put_in6(msg, CBU_A_BCE_CN, cn))
		return NULL;
	return nest;
}

/* A request carrying only an entry's (HoA, CN). */
static int binding_key_request(struct cbu_genl *g, uint8_t cmd,
			       const struct in6_addr *hoa,
			       const struct in6_addr *cn,
			       nl_recvmsg_msg_cb_t cb, void *arg,
			       struct cbu_genl_err *err)
{
	struct nlattr *nest;
	struct nl_msg *msg;

	msg = cbu_genl_msg(g, cmd, 0);
	if (!msg)
		return -ENOMEM;
	nest = put_binding_key(msg, hoa, cn);
	if (!nest) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return cbu_genl_transact(g, msg, cb, arg, err);
}

static int key_change(struct cbu_genl *g, uint8_t cmd,
		      const struct cbu_key_cfg *cfg, struct cbu_genl_err *err)
{
	struct nlattr *nest;
	struct nl_msg *msg;

	msg = cbu_genl_msg(g, cmd, 0);
	if (!msg)
		return -ENOMEM;
	nest = put_binding_key(msg, &cfg->hoa, &cfg->cn);
	if (!nest || nla_put_u8(msg, CBU_A_BCE_ROLE, cfg->role) ||
	    (cfg->has_k_bu &&
	     nla_put(msg, CBU_A_BCE_K_BU, CBU_KEY_LEN, cfg->k_bu)) ||
	    nla_put(msg, CBU_A_BCE_K_BA, CBU_KEY_LEN, cfg->k_ba) ||
	    ((cfg->has & CBU_HAS(CBU_A_BCE_LT_EN)) &&
	     nla_put_u32(msg, CBU_A_BCE_LT_EN, cfg->lt_en)) ||
	    ((cfg->has & CBU_HAS(CBU_A_BCE_MAX_LIFETIME)) &&
	     nla_put_u32(msg, CBU_A_BCE_MAX_LIFETIME, cfg->max_lifetime)) ||
	    ((cfg->has & CBU_HAS(CBU_A_BCE_REQID)) &&
	     nla_put_u32(msg, CBU_A_BCE_REQID, cfg->reqid))) {
		/* The keys may be in it already. */
		sodium_memzero(nlmsg_hdr(msg), nlmsg_hdr(msg)->nlmsg_len);
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return cbu_genl_transact(g, msg, NULL, NULL, err);
}

int cbu_key_new(struct cbu_genl *g, const struct cbu_key_cfg *cfg,
		struct cbu_genl_err *err)
{
	return key_change(g, CBU_CMD_KEY_NEW, cfg, err);
}

int cbu_key_set(struct cbu_genl *g, const struct cbu_key_cfg *cfg,
		struct cbu_genl_err *err)
{
	return key_change(g, CBU_CMD_KEY_SET, cfg, err);
}

int cbu_key_del(struct cbu_genl *g, const struct in6_addr *hoa,
		const struct in6_addr *cn, struct cbu_genl_err *err)
{
	return binding_key_request(g, CBU_CMD_KEY_DEL, hoa, cn, NULL, NULL,
				   err);
}

int cbu_binding_del(struct cbu_genl *g, const struct in6_addr *hoa,
		    const struct in6_addr *cn, struct cbu_genl_err *err)
{
	return binding_key_request(g, CBU_CMD_BINDING_DEL, hoa, cn, NULL, NULL,
				   err);
}

struct binding_reply {
	struct cbu_binding_info *b;
	int ret;			/* -EPROTO until a good reply came */
};

static int on_binding(struct nl_msg *msg, void *arg)
{
	const struct nlattr *a = top_attr(nlmsg_hdr(msg), CBU_A_BINDING);
	struct binding_reply *r = arg;

	if (a && !cbu_binding_parse(a, r->b))
		r->ret = 0;
	return NL_OK;
}

int cbu_binding_get(struct cbu_genl *g, const struct in6_addr *hoa,
		    const struct in6_addr *cn, struct cbu_binding_info *b,
		    struct cbu_genl_err *err)
{
	struct binding_reply r = { .b = b, .ret = -EPROTO };
	int ret;

	ret = binding_key_request(g, CBU_CMD_BINDING_GET, hoa, cn, on_binding,
				  &r, err);
	return ret ? ret : r.ret;
}

/* Reads the whole dump whatever happens: the socket must be left clean. */
struct dump_walk {
	int (*binding_fn)(const struct cbu_binding_info *b, void *arg);
	int (*home_fn)(const struct cbu_home *h, void *arg);
	int (*mb_fn)(const struct cbu_map_binding *mb, void *arg);
	void *arg;
	int ret;
};

static int on_binding_dump(struct nl_msg *msg, void *arg)
{
	const struct nlattr *a = top_attr(nlmsg_hdr(msg), CBU_A_BINDING);
	struct dump_walk *w = arg;
	struct cbu_binding_info b;

	if (w->ret)
		return NL_OK;
	if (!a || cbu_binding_parse(a, &b))
		w->ret = -EPROTO;
	else
		w->ret = w->binding_fn(&b, w->arg);
	return NL_OK;
}

int cbu_binding_dump(struct cbu_genl *g,
		     int (*fn)(const struct cbu_binding_info *b, void *arg),
		     void *arg, struct cbu_genl_err *err)
{
	struct dump_walk w = { .binding_fn = fn, .arg = arg };
	int ret;

	ret = cbu_genl_dump(g, CBU_CMD_BINDING_GET, on_binding_dump, &w, err);
	return ret ? ret : w.ret;
}

struct stats_reply {
	struct cbu_stats *st;
	int ret;
};

static int on_stats(struct nl_msg *msg, void *arg)
{
	const struct nlattr *nest = top_attr(nlmsg_hdr(msg), CBU_A_STATS);
	struct stats_reply *r = arg;
	const struct nlattr *a;
	uint64_t v;
	int rem;

	if (!nest)
		return NL_OK;
	/* Counter N is attribute CBU_A_STAT(N); padding is skipped. */
	nla_for_each_nested(a, nest, rem) {
		int type = nla_type(a);

		if (type < CBU_A_STAT(0) || type > CBU_A_STAT_MAX)
			continue;
		if (get_fixed(a, &v, sizeof(v)))
			return NL_OK;
		r->st->counter[type - CBU_A_STAT(0)] = v;
	}
	if (rem <= 0)
		r->ret = 0;
	return NL_OK;
}

/*
 * A request without attributes and its one reply, which @fn parses into
 * @arg, leaving there its verdict, *@parsed (-EPROTO until one parses).
 */
static int get_one(struct cbu_genl *g, uint8_t cmd, nl_recvmsg_msg_cb_t fn,
		   void *arg, const int *parsed, struct cbu_genl_err *err)
{
	struct nl_msg *msg;
	int ret;

	msg = cbu_genl_msg(g, cmd, 0);
	if (!msg)
		return -ENOMEM;
	ret = cbu_genl_transact(g, msg, fn, arg, err);
	return ret ? ret : *parsed;
}

int cbu_stats_get(struct cbu_genl *g, struct cbu_stats *st,
		  struct cbu_genl_err *err)
{
	struct stats_reply r = { .st = st, .ret = -EPROTO };

	memset(st, 0, sizeof(*st));
	return get_one(g, CBU_CMD_STATS_GET, on_stats, &r, &r.ret, err);
}

/* A request without attributes and without a reply. */
static int simple_request(struct cbu_genl *g, uint8_t cmd,
			  struct cbu_genl_err *err)
{
	struct nl_msg *msg = cbu_genl_msg(g, cmd, 0);

	if (!msg)
		return -ENOMEM;
	return cbu_genl_transact(g, msg, NULL, NULL, err);
}

int cbu_stats_reset(struct cbu_genl *g, struct cbu_genl_err *err)
{
	return simple_request(g, CBU_CMD_STATS_RESET, err);
}

uint32_t *cbu_param_field(struct cbu_param_info *p, int type)
{
	switch (type) {
	case CBU_A_PARAM_BC_PACKETS:
		return &p->bc_packets;
	case CBU_A_PARAM_BC_TIMEOUT:
		return &p->bc_timeout;
	case CBU_A_PARAM_CAPACITY:
		return &p->capacity;
	case CBU_A_PARAM_MAX_LIFETIME:
		return &p->max_lifetime;
	case CBU_A_PARAM_EVENT_RATE:
		return &p->event_rate;
	case CBU_A_PARAM_ENTRIES:
		return &p->entries;
	default:
		return NULL;
	}
}

struct param_reply {
	struct cbu_param_info *p;
	int ret;
};

static int on_params(struct nl_msg *msg, void *arg)
{
	const struct nlattr *nest = top_attr(nlmsg_hdr(msg), CBU_A_PARAMS);
	struct param_reply *r = arg;
	const struct nlattr *a;
	uint32_t *field;
	int rem;

	if (!nest)
		return NL_OK;
	nla_for_each_nested(a, nest, rem) {
		field = cbu_param_field(r->p, nla_type(a));
		if (!field)
			continue;
		if (get_fixed(a, field, sizeof(*field)))
			return NL_OK;
		r->p->has |= CBU_HAS(nla_type(a));
	}
	if (rem <= 0)
		r->ret = 0;
	return NL_OK;
}

int cbu_param_get(struct cbu_genl *g, struct cbu_param_info *p,
		  struct cbu_genl_err *err)
{
	struct param_reply r = { .p = p, .ret = -EPROTO };

	memset(p, 0, sizeof(*p));
	return get_one(g, CBU_CMD_PARAM_GET, on_params, &r, &r.ret, err);
}

int cbu_param_set(struct cbu_genl *g, const struct cbu_param_info *p,
		  struct cbu_genl_err *err)
{
	struct cbu_param_info copy = *p;	/* cbu_param_field() is not const */
	struct nlattr *nest;
	struct nl_msg *msg;
	int type;

	msg = cbu_genl_msg(g, CBU_CMD_PARAM_SET, 0);
	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, CBU_A_PARAMS);
	if (!nest)
		goto err_free;
	for (type = 1; type <= CBU_A_PARAM_MAX; type++) {
		if (!(p->has & CBU_HAS(type)) ||
		    type == CBU_A_PARAM_ENTRIES || !cbu_param_field(&copy, type))
			continue;
		if (nla_put_u32(msg, type, *cbu_param_field(&copy, type)))
			goto err_free;
	}
	nla_nest_end(msg, nest);
	return cbu_genl_transact(g, msg, NULL, NULL, err);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int home_request(struct cbu_genl *g, uint8_t cmd,
			const struct cbu_home *h, struct cbu_genl_err *err)
{
	struct nlattr *nest;
	struct nl_msg *msg;

	msg = cbu_genl_msg(g, cmd, 0);
	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, CBU_A_HOME);
	if (!nest || cbu_nla_put_in6(msg, CBU_A_HOME_PREFIX, &h->prefix) ||
	    nla_put_u8(msg, CBU_A_HOME_PREFIX_LEN, h->len)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return cbu_genl_transact(g, msg, NULL, NULL, err);
}

int cbu_home_add(struct cbu_genl *g, const struct cbu_home *h,
		 struct cbu_genl_err *err)
{
	return home_request(g, CBU_CMD_HOME_ADD, h, err);
}

int cbu_home_del(struct cbu_genl *g, const struct cbu_home *h,
		 struct cbu_genl_err *err)
{
	return home_request(g, CBU_CMD_HOME_DEL, h, err);
}

static int home_parse(const struct nlattr *nest, struct cbu_home *h)
{
	const struct nlattr *a;
	unsigned int has = 0;
	int rem, ret;

	memset(h, 0, sizeof(*h));
	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case CBU_A_HOME_PREFIX:
			ret = cbu_nla_get_in6(a, &h->prefix);
			break;
		case CBU_A_HOME_PREFIX_LEN:
			ret = get_fixed(a, &h->len, sizeof(h->len));
			break;
		default:
			continue;
		}
		if (ret)
			return ret;
		has |= CBU_HAS(nla_type(a));
	}
	if (rem > 0 || has != (CBU_HAS(CBU_A_HOME_PREFIX) |
				CBU_HAS(CBU_A_HOME_PREFIX_LEN)) ||
	    h->len > 128)
		return -EPROTO;
	return 0;
}

static int on_home_dump(struct nl_msg *msg, void *arg)
{
	const struct nlattr *a = top_attr(nlmsg_hdr(msg), CBU_A_HOME);
	struct dump_walk *w = arg;
	struct cbu_home h;

	if (w->ret)
		return NL_OK;
	if (!a || home_parse(a, &h))
		w->ret = -EPROTO;
	else
		w->ret = w->home_fn(&h, w->arg);
	return NL_OK;
}

int cbu_home_dump(struct cbu_genl *g,
		  int (*fn)(const struct cbu_home *h, void *arg), void *arg,
		  struct cbu_genl_err *err)
{
	struct dump_walk w = { .home_fn = fn, .arg = arg };
	int ret;

	ret = cbu_genl_dump(g, CBU_CMD_HOME_GET, on_home_dump, &w, err);
	return ret ? ret : w.ret;
}

int cbu_own_set(struct cbu_genl *g, const struct cbu_own *o,
		struct cbu_genl_err *err)
{
	struct nlattr *nest;
	struct nl_msg *msg;

	msg = cbu_genl_msg(g, CBU_CMD_OWN_SET, 0);
	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, CBU_A_OWN);
	if (!nest || cbu_nla_put_in6(msg, CBU_A_OWN_HOA, &o->hoa) ||
	    (o->has_coa && cbu_nla_put_in6(msg, CBU_A_OWN_COA, &o->coa))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return cbu_genl_transact(g, msg, NULL, NULL, err);
}

struct own_reply {
	struct cbu_own *o;
	int ret;
};

/* An empty nest: none set.  Both addresses or neither. */
static int on_own(struct nl_msg *msg, void *arg)
{
	const struct nlattr *nest = top_attr(nlmsg_hdr(msg), CBU_A_OWN);
	struct own_reply *r = arg;
	const struct nlattr *a;
	unsigned int has = 0;
	int rem;

	if (!nest)
		return NL_OK;
	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case CBU_A_OWN_HOA:
			if (cbu_nla_get_in6(a, &r->o->hoa))
				return NL_OK;
			break;
		case CBU_A_OWN_COA:
			if (cbu_nla_get_in6(a, &r->o->coa))
				return NL_OK;
			break;
		default:
			continue;
		}
		has |= CBU_HAS(nla_type(a));
	}
	if (rem > 0 || (has && has != (CBU_HAS(CBU_A_OWN_HOA) |
				       CBU_HAS(CBU_A_OWN_COA))))
		return NL_OK;
	r->o->has_coa = has != 0;
	r->ret = 0;
	return NL_OK;
}

int cbu_own_get(struct cbu_genl *g, struct cbu_own *o,
		struct cbu_genl_err *err)
{
	struct own_reply r = { .o = o, .ret = -EPROTO };

	memset(o, 0, sizeof(*o));
	return get_one(g, CBU_CMD_OWN_GET, on_own, &r, &r.ret, err);
}

int cbu_map_set(struct cbu_genl *g, const struct cbu_map *m,
		struct cbu_genl_err *err)
{
	struct nlattr *nest;
	struct nl_msg *msg;
	unsigned int i;

	msg = cbu_genl_msg(g, CBU_CMD_MAP_SET, 0);
	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, CBU_A_MAP);
	if (!nest || cbu_nla_put_in6(msg, CBU_A_MAP_ADDRESS, &m->address) ||
	    cbu_nla_put_in6(msg, CBU_A_MAP_RCOA_PREFIX, &m->rcoa_prefix) ||
	    nla_put_u8(msg, CBU_A_MAP_RCOA_PREFIX_LEN, m->rcoa_len) ||
	    nla_put_u32(msg, CBU_A_MAP_TUNNEL, m->tunnel))
		goto err_free;
	for (i = 0; i < m->n_ifs && i < CBU_MAP_INTERFACES_MAX; i++)
		if (nla_put_u32(msg, CBU_A_MAP_INTERFACE, m->ifindex[i]))
			goto err_free;
	nla_nest_end(msg, nest);
	return cbu_genl_transact(g, msg, NULL, NULL, err);

err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

int cbu_map_del(struct cbu_genl *g, struct cbu_genl_err *err)
{
	struct nl_msg *msg;

	msg = cbu_genl_msg(g, CBU_CMD_MAP_DEL, 0);
	if (!msg)
		return -ENOMEM;
	return cbu_genl_transact(g, msg, NULL, NULL, err);
}

/* An empty nest: none set.  Otherwise all but the tunnel are required. */
int cbu_map_parse(const struct nlattr *nest, struct cbu_map *m)
{
	const unsigned int need = CBU_HAS(CBU_A_MAP_ADDRESS) |
				  CBU_HAS(CBU_A_MAP_RCOA_PREFIX) |
				  CBU_HAS(CBU_A_MAP_RCOA_PREFIX_LEN) |
				  CBU_HAS(CBU_A_MAP_INTERFACE);
	const struct nlattr *a;
	unsigned int has = 0;
	int rem, ret;

	memset(m, 0, sizeof(*m));
	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case CBU_A_MAP_ADDRESS:
			ret = cbu_nla_get_in6(a, &m->address);
			break;
		case CBU_A_MAP_RCOA_PREFIX:
			ret = cbu_nla_get_in6(a, &m->rcoa_prefix);
			break;
		case CBU_A_MAP_RCOA_PREFIX_LEN:
			ret = get_fixed(a, &m->rcoa_len, sizeof(m->rcoa_len));
			break;
		case CBU_A_MAP_TUNNEL:
			ret = get_fixed(a, &m->tunnel, sizeof(m->tunnel));
			break;
		case CBU_A_MAP_INTERFACE:
			ret = m->n_ifs < CBU_MAP_INTERFACES_MAX ?
			      get_fixed(a, &m->ifindex[m->n_ifs++],
					sizeof(m->ifindex[0])) : -EPROTO;
			break;
		default:
			continue;
		}
		if (ret)
			return ret;
		has |= CBU_HAS(nla_type(a));
	}
	if (rem > 0 || (has && (has & need) != need) || m->rcoa_len > 128)
		return -EPROTO;
	m->set = has != 0;
	return 0;
}

struct map_reply {
	struct cbu_map *m;
	int ret;
};

static int on_map(struct nl_msg *msg, void *arg)
{
	const struct nlattr *nest = top_attr(nlmsg_hdr(msg), CBU_A_MAP);
	struct map_reply *r = arg;

	if (nest)
		r->ret = cbu_map_parse(nest, r->m);
	return NL_OK;
}

int cbu_map_get(struct cbu_genl *g, struct cbu_map *m,
		struct cbu_genl_err *err)
{
	struct map_reply r = { .m = m, .ret = -EPROTO };

	memset(m, 0, sizeof(*m));
	return get_one(g, CBU_CMD_MAP_GET, on_map, &r, &r.ret, err);
}

int cbu_map_bind(struct cbu_genl *g, const struct cbu_map_binding *mb,
		 struct cbu_genl_err *err)
{
	struct nlattr *nest;
	struct nl_msg *msg;

	msg = cbu_genl_msg(g, CBU_CMD_MAP_BIND, 0);
	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, CBU_A_MAP_BINDING);
	if (!nest || cbu_nla_put_in6(msg, CBU_A_MAP_BINDING_RCOA, &mb->rcoa) ||
	    cbu_nla_put_in6(msg, CBU_A_MAP_BINDING_LCOA, &mb->lcoa) ||
	    cbu_nla_put_in6(msg, CBU_A_MAP_BINDING_HOA, &mb->hoa) ||
	    nla_put_u32(msg, CBU_A_MAP_BINDING_LIFETIME, mb->lifetime)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return cbu_genl_transact(g, msg, NULL, NULL, err);
}

/* A request carrying only an RCoA. */
static int map_key_request(struct cbu_genl *g, uint8_t cmd,
			   const struct in6_addr *rcoa, nl_recvmsg_msg_cb_t cb,
			   void *arg, struct cbu_genl_err *err)
{
	struct nlattr *nest;
	struct nl_msg *msg;

	msg = cbu_genl_msg(g, cmd, 0);
	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, CBU_A_MAP_BINDING);
	if (!nest || cbu_nla_put_in6(msg, CBU_A_MAP_BINDING_RCOA, rcoa)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return cbu_genl_transact(g, msg, cb, arg, err);
}

int cbu_map_unbind(struct cbu_genl *g, const struct in6_addr *rcoa,
		   struct cbu_genl_err *err)
{
	return map_key_request(g, CBU_CMD_MAP_UNBIND, rcoa, NULL, NULL, err);
}

int cbu_map_binding_parse(const struct nlattr *nest,
			  struct cbu_map_binding *mb)
{
	const unsigned int need = CBU_HAS(CBU_A_MAP_BINDING_RCOA) |
				  CBU_HAS(CBU_A_MAP_BINDING_LCOA) |
				  CBU_HAS(CBU_A_MAP_BINDING_HOA);
	const struct nlattr *a;
	unsigned int has = 0;
	int rem, ret;

	memset(mb, 0, sizeof(*mb));
	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case CBU_A_MAP_BINDING_RCOA:
			ret = cbu_nla_get_in6(a, &mb->rcoa);
			break;
		case CBU_A_MAP_BINDING_LCOA:
			ret = cbu_nla_get_in6(a, &mb->lcoa);
			break;
		case CBU_A_MAP_BINDING_HOA:
			ret = cbu_nla_get_in6(a, &mb->hoa);
			break;
		case CBU_A_MAP_BINDING_LIFETIME:
			ret = get_fixed(a, &mb->lifetime, sizeof(mb->lifetime));
			break;
		case CBU_A_MAP_BINDING_PACKETS:
			ret = get_fixed(a, &mb->packets, sizeof(mb->packets));
			break;
		case CBU_A_MAP_BINDING_BYTES:
			ret = get_fixed(a, &mb->bytes, sizeof(mb->bytes));
			break;
		default:
			continue;
		}
		if (ret)
			return ret;
		has |= CBU_HAS(nla_type(a));
	}
	if (rem > 0 || (has & need) != need)
		return -EPROTO;
	return 0;
}

struct mb_reply {
	struct cbu_map_binding *mb;
	int ret;
};

static int on_map_binding(struct nl_msg *msg, void *arg)
{
	const struct nlattr *a = top_attr(nlmsg_hdr(msg), CBU_A_MAP_BINDING);
	struct mb_reply *r = arg;

	if (a && !cbu_map_binding_parse(a, r->mb))
		r->ret = 0;
	return NL_OK;
}

int cbu_map_binding_get(struct cbu_genl *g, const struct in6_addr *rcoa,
			struct cbu_map_binding *mb, struct cbu_genl_err *err)
{
	struct mb_reply r = { .mb = mb, .ret = -EPROTO };
	int ret;

	ret = map_key_request(g, CBU_CMD_MAP_BINDING_GET, rcoa, on_map_binding,
			      &r, err);
	return ret ? ret : r.ret;
}

static int on_map_binding_dump(struct nl_msg *msg, void *arg)
{
	const struct nlattr *a = top_attr(nlmsg_hdr(msg), CBU_A_MAP_BINDING);
	struct dump_walk *w = arg;
	struct cbu_map_binding mb;

	if (w->ret)
		return NL_OK;
	if (!a || cbu_map_binding_parse(a, &mb))
		w->ret = -EPROTO;
	else
		w->ret = w->mb_fn(&mb, w->arg);
	return NL_OK;
}

int cbu_map_binding_dump(struct cbu_genl *g,
			 int (*fn)(const struct cbu_map_binding *mb,
				   void *arg),
			 void *arg, struct cbu_genl_err *err)
{
	struct dump_walk w = { .mb_fn = fn, .arg = arg };
	int ret;

	ret = cbu_genl_dump(g, CBU_CMD_MAP_BINDING_GET, on_map_binding_dump,
			    &w, err);
	return ret ? ret : w.ret;
}

int cbu_event_parse(const struct nlmsghdr *nlh, struct cbu_event_info *ev)
{
	const struct nlattr *a;

	memset(ev, 0, sizeof(*ev));
	if (msg_cmd(nlh) != CBU_CMD_EVENT)
		return -EPROTO;
	a = top_attr(nlh, CBU_A_EVENT);
	if (!a || get_fixed(a, &ev->event, sizeof(ev->event)))
		return -EPROTO;
	a = top_attr(nlh, CBU_A_MAP_BINDING);
	if (a) {
		ev->is_map = true;
		return cbu_map_binding_parse(a, &ev->mb);
	}
	a = top_attr(nlh, CBU_A_BINDING);
	if (!a)
		return -EPROTO;
	return cbu_binding_parse(a, &ev->b);
}

int cbu_mh_recv_parse(const struct nlmsghdr *nlh, struct cbu_mh_recv *m)
{
	const unsigned int need = CBU_HAS(CBU_A_MH_SRC) | CBU_HAS(CBU_A_MH_DST) |
				  CBU_HAS(CBU_A_MH_DATA);
	const struct nlattr *nest, *a;
	unsigned int has = 0;
	int rem, ret;

	memset(m, 0, sizeof(*m));
	if (msg_cmd(nlh) != CBU_CMD_MH_RECV)
		return -EPROTO;
	nest = top_attr(nlh, CBU_A_MH);
	if (!nest)
		return -EPROTO;
	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case CBU_A_MH_SRC:
			ret = cbu_nla_get_in6(a, &m->src);
			break;
		case CBU_A_MH_DST:
			ret = cbu_nla_get_in6(a, &m->dst);
			break;
		case CBU_A_MH_HOA:
			ret = cbu_nla_get_in6(a, &m->hoa);
			m->has_hoa = !ret;
			break;
		case CBU_A_MH_DATA:
			m->data = nla_data(a);
			m->len = (size_t)nla_len(a);
			ret = 0;
			break;
		default:
			continue;
		}
		if (ret)
			return ret;
		has |= CBU_HAS(nla_type(a));
	}
	if (rem > 0 || (has & need) != need)
		return -EPROTO;
	return 0;
}
