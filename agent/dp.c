// SPDX-License-Identifier: GPL-2.0
/*
 * The data paths (see dp.h), through plain NETLINK_XFRM and rtnetlink.
 *
 * Every path is a pair of ESP tunnel mode states sharing a reqid and the
 * policies naming them; both ends derive keys and SPIs alike, so nothing
 * about the data path crosses the wire.  The label of a key says which
 * way it carries ("mn>cn": from the mobile node to the correspondent).
 *
 *                      out policy            in policy           fwd
 *   RO, mobile node    HoA -> CN             CN -> HoA
 *   RO, correspondent  CN -> HoA             HoA -> CN
 *   home, mobile node  HoA -> any            any -> HoA
 *   home, home agent   any -> HoA            HoA -> any          HoA -> any
 *
 * The correspondent's RO policies are exactly those cbu.ko migrates when a
 * binding moves (kernel/xfrm.c); the mobile node moves its own with
 * dp_ro_move(), its end or a mobile correspondent's.
 */
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include <linux/if_addr.h>
#include <sodium.h>

#include "agent.h"
#include "dp.h"
#include "lib/rtnl.h"
#include "lib/xfrm.h"
#include "log.h"

static struct {
	struct cbu_xfrm x;
	struct cbu_rtnl r;
	bool open;
} dp;

int dp_init(void)
{
	int ret;

	ret = cbu_xfrm_open(&dp.x);
	if (ret) {
		log_err("NETLINK_XFRM: %s", strerror(-ret));
		return ret;
	}
	ret = cbu_rtnl_open(&dp.r);
	if (ret) {
		log_err("rtnetlink: %s", strerror(-ret));
		cbu_xfrm_close(&dp.x);
		return ret;
	}
	dp.open = true;
	return 0;
}

void dp_fini(void)
{
	if (!dp.open)
		return;
	cbu_rtnl_close(&dp.r);
	cbu_xfrm_close(&dp.x);
	dp.open = false;
}

static void sel_set(struct cbu_xfrm_sel *s, const struct in6_addr *src,
		    uint8_t src_len, const struct in6_addr *dst,
		    uint8_t dst_len)
{
	static const struct in6_addr any;

	memset(s, 0, sizeof(*s));
	s->src = src ? *src : any;
	s->dst = dst ? *dst : any;
	s->src_len = src_len;
	s->dst_len = dst_len;
}

static void log_fail(const char *what, int ret, const struct cbu_nl_err *err)
{
	log_err("xfrm: %s: %s%s%s", what, strerror(-ret),
		err->msg[0] ? ": " : "", err->msg);
}

/*
 * What a state is keyed from: a key, the label of its direction and, for
 * the home tunnel, the nonces of the registration that made it.
 */
struct keying {
	const uint8_t *key;
	const char *label;
	const uint8_t *ctx;
	size_t ctx_len;
};

/*
 * The state carrying @sel from @src to @dst (outer), keyed from @k,
 * deleted by the kernel @lifetime seconds after (0: never).  Its SPI is
 * ours to receive on when @dst is local, the peer's otherwise: both ends
 * derive the same one.
 */
static int state_add(const struct in6_addr *src, const struct in6_addr *dst,
		     const struct cbu_xfrm_sel *sel, const struct keying *k,
		     uint32_t reqid, uint32_t lifetime)
{
	struct cbu_xfrm_sa sa;
	struct cbu_nl_err err;
	int ret;

	memset(&sa, 0, sizeof(sa));
	sa.src = *src;
	sa.dst = *dst;
	sa.reqid = reqid;
	sa.mode = XFRM_MODE_TUNNEL;
	sa.sel = *sel;
	sa.key_len = CBU_XFRM_KEY_LEN;
	sa.hard_add_expires = lifetime;
	cbu_esp_derive(k->key, k->label, k->ctx, k->ctx_len, sa.key, &sa.spi);
	ret = cbu_xfrm_sa_add(&dp.x, &sa, &err);
	if (ret == -EEXIST)	/* ours from before, or the same keys again */
		ret = cbu_xfrm_sa_update(&dp.x, &sa, &err);
	sodium_memzero(&sa, sizeof(sa));
	if (ret)
		log_fail("state", ret, &err);
	return ret;
}

/*
 * One direction: its state (state_add()) and the policy of @dir naming it
 * (and of @dir2 as well, if not 0: the home agent's forwarding).
 */
static int one_way(const struct in6_addr *src, const struct in6_addr *dst,
		   const struct cbu_xfrm_sel *sel, uint8_t dir, uint8_t dir2,
		   uint32_t prio, const struct keying *k, uint32_t reqid,
		   uint32_t lifetime)
{
	struct cbu_xfrm_policy p;
	struct cbu_nl_err err;
	int ret;

	ret = state_add(src, dst, sel, k, reqid, lifetime);
	if (ret)
		return ret;

	memset(&p, 0, sizeof(p));
	p.sel = *sel;
	p.priority = prio;
	p.mode = XFRM_MODE_TUNNEL;
	p.tmpl_src = *src;
	p.tmpl_dst = *dst;
	p.reqid = reqid;
	p.dir = dir;
	ret = cbu_xfrm_policy_update(&dp.x, &p, &err);
	if (!ret && dir2) {
		p.dir = dir2;
		ret = cbu_xfrm_policy_update(&dp.x, &p, &err);
	}
	if (ret)
		log_fail("policy", ret, &err);
	return ret;
}

/* One direction of a route-optimization path, as both ends see it. */
struct ro_way {
	struct in6_addr src, dst;	/* outer */
	struct cbu_xfrm_sel sel;
	const char *label;
};

static void ro_way(const struct dp_ro *ro, bool out, struct ro_way *w)
{
	/* The mobile node's out and the correspondent's in go to the CN. */
	bool to_cn = ro->cn_side != out;

	w->src = out ? ro->local : ro->remote;
	w->dst = out ? ro->remote : ro->local;
	if (to_cn)
		sel_set(&w->sel, &ro->hoa, 128, &ro->cn, 128);
	else
		sel_set(&w->sel, &ro->cn, 128, &ro->hoa, 128);
	w->label = to_cn ? "mn>cn" : "cn>mn";
}

int dp_ro_add(const struct dp_ro *ro, const uint8_t k_en[32],
	      uint32_t lifetime)
{
	struct ro_way out, in;
	struct keying ko = { k_en, NULL, NULL, 0 }, ki = ko;
	int ret;

	ro_way(ro, true, &out);
	ro_way(ro, false, &in);
	ko.label = out.label;
	ki.label = in.label;
	ret = one_way(&out.src, &out.dst, &out.sel, XFRM_POLICY_OUT, 0,
		      DP_PRIO_RO, &ko, ro->reqid, lifetime);
	if (!ret)
		ret = one_way(&in.src, &in.dst, &in.sel, XFRM_POLICY_IN, 0,
			      DP_PRIO_RO, &ki, ro->reqid, lifetime);
	if (ret)
		dp_flush(ro->reqid);	/* not half a path */
	return ret;
}

int dp_ro_state_add(const struct dp_ro *ro, bool out, const uint8_t k_en[32],
		    uint32_t lifetime)
{
	struct ro_way w;
	struct keying k = { k_en, NULL, NULL, 0 };

	ro_way(ro, out, &w);
	k.label = w.label;
	return state_add(&w.src, &w.dst, &w.sel, &k, ro->reqid, lifetime);
}

/* The SPI of the state of @ro's direction @out keyed from @k_en. */
static uint32_t ro_spi(const struct dp_ro *ro, bool out,
		       const uint8_t k_en[32], struct ro_way *w)
{
	uint8_t key[CBU_XFRM_KEY_LEN];
	uint32_t spi;

	ro_way(ro, out, w);
	cbu_esp_derive(k_en, w->label, NULL, 0, key, &spi);
	sodium_memzero(key, sizeof(key));
	return spi;
}

int dp_ro_state_del(const struct dp_ro *ro, bool out, const uint8_t k_en[32])
{
	struct cbu_nl_err err;
	struct ro_way w;
	uint32_t spi;
	int ret;

	spi = ro_spi(ro, out, k_en, &w);
	ret = cbu_xfrm_sa_del(&dp.x, &w.dst, spi, IPPROTO_ESP, &w.src, &err);
	if (ret && ret != -ESRCH)
		log_fail("state removal", ret, &err);
	return ret;
}

int dp_ro_state_packets(const struct dp_ro *ro, bool out,
			const uint8_t k_en[32], uint64_t *packets)
{
	struct cbu_xfrm_sa_info info;
	struct cbu_nl_err err;
	struct ro_way w;
	uint32_t spi;
	int ret;

	spi = ro_spi(ro, out, k_en, &w);
	ret = cbu_xfrm_sa_get(&dp.x, &w.dst, spi, &info, &err);
	if (!ret)
		*packets = info.packets;
	else if (ret != -ESRCH)
		log_fail("state", ret, &err);
	return ret;
}

int dp_ro_move(const struct dp_ro *ro, const struct in6_addr *local,
	       const struct in6_addr *remote)
{
	struct dp_ro to = *ro;
	struct cbu_xfrm_migrate m;
	struct ro_way old, new;
	struct cbu_nl_err err;
	int ret = 0, out;

	to.local = *local;
	to.remote = *remote;
	memset(&m, 0, sizeof(m));
	m.mode = XFRM_MODE_TUNNEL;
	m.reqid = ro->reqid;
	for (out = 1; out >= 0 && !ret; out--) {
		ro_way(ro, out, &old);
		ro_way(&to, out, &new);
		m.dir = out ? XFRM_POLICY_OUT : XFRM_POLICY_IN;
		m.sel = old.sel;
		m.old_src = old.src;
		m.old_dst = old.dst;
		m.new_src = new.src;
		m.new_dst = new.dst;
		ret = cbu_xfrm_migrate(&dp.x, &m, &err);
		if (ret)
			log_fail(out ? "migrate out" : "migrate in", ret, &err);
	}
	return ret;
}

int dp_home_set(bool ha_side, const struct in6_addr *local,
		const struct in6_addr *remote, const struct in6_addr *hoa,
		const uint8_t k_ha[32], const uint8_t ni_nr[32],
		uint32_t reqid)
{
	struct keying to = { k_ha, "home ha>mn", ni_nr, 32 };
	struct keying from = { k_ha, "home mn>ha", ni_nr, 32 };
	struct cbu_xfrm_sel from_mn, to_mn;
	int ret;

	/*
	 * The states' outer addresses or keys change: the old ones go.
	 * Traffic between the two calls falls on no policy and goes out
	 * plain on the mobile node's side for a moment; its home address
	 * is reachable only through the tunnel, so nothing answers it.
	 */
	dp_flush(reqid);
	sel_set(&from_mn, hoa, 128, NULL, 0);
	sel_set(&to_mn, NULL, 0, hoa, 128);
	if (ha_side) {
		ret = one_way(local, remote, &to_mn, XFRM_POLICY_OUT, 0,
			      DP_PRIO_HOME, &to, reqid, 0);
		if (!ret)
			ret = one_way(remote, local, &from_mn, XFRM_POLICY_IN,
				      XFRM_POLICY_FWD, DP_PRIO_HOME, &from,
				      reqid, 0);
	} else {
		ret = one_way(local, remote, &from_mn, XFRM_POLICY_OUT, 0,
			      DP_PRIO_HOME, &from, reqid, 0);
		if (!ret)
			ret = one_way(remote, local, &to_mn, XFRM_POLICY_IN, 0,
				      DP_PRIO_HOME, &to, reqid, 0);
	}
	if (ret)
		dp_flush(reqid);
	return ret;
}

struct states_walk {
	uint32_t first, last;
	void (*cb)(const struct dp_state *st, void *arg);
	void *arg;
};

static int on_state(const struct cbu_xfrm_sa_info *s, void *arg)
{
	const struct states_walk *w = arg;
	struct dp_state st;

	if (s->family != AF_INET6 || s->sel.family != AF_INET6 ||
	    s->reqid < w->first || s->reqid > w->last)
		return 0;
	memset(&st, 0, sizeof(st));
	st.reqid = s->reqid;
	memcpy(&st.src, &s->src.in6, 16);
	memcpy(&st.dst, &s->dst.in6, 16);
	memcpy(&st.sel_src, &s->sel.saddr.in6, 16);
	memcpy(&st.sel_dst, &s->sel.daddr.in6, 16);
	st.sel_src_len = s->sel.prefixlen_s;
	st.sel_dst_len = s->sel.prefixlen_d;
	w->cb(&st, w->arg);
	return 0;
}

int dp_states(uint32_t first, uint32_t last,
	      void (*cb)(const struct dp_state *st, void *arg), void *arg)
{
	struct states_walk w = { first, last, cb, arg };
	struct cbu_nl_err err;
	int ret;

	do {
		ret = cbu_xfrm_sa_dump(&dp.x, on_state, &w, &err);
	} while (ret == -EAGAIN);
	if (ret)
		log_fail("state dump", ret, &err);
	return ret;
}

int dp_flush(uint32_t reqid)
{
	return dp_flush_range(reqid, reqid);
}

int dp_flush_range(uint32_t first, uint32_t last)
{
	struct cbu_nl_err err;
	int ret;

	ret = cbu_xfrm_flush_reqids(&dp.x, first, last, &err);
	if (ret < 0) {
		log_fail("flush", ret, &err);
		return ret;
	}
	return 0;
}

int dp_router_setup(const char *link)
{
	int ret;

	/*
	 * A home agent or a MAP forwards, and answers on @link for the
	 * addresses of its mobile nodes (home addresses, RCoAs).
	 */
	ret = cbu_ipv6_conf_set("all", "forwarding", 1);
	if (!ret)
		ret = cbu_ipv6_conf_set(link, "proxy_ndp", 1);
	if (ret)
		log_err("link %s: cannot set forwarding and proxy_ndp: %s",
			link, strerror(-ret));
	return ret;
}

int dp_proxy(const char *link, const struct in6_addr *addr, bool on)
{
	struct cbu_nl_err err;
	int ifindex, ret;

	ifindex = (int)if_nametoindex(link);
	if (!ifindex) {
		log_err("link %s: no such interface", link);
		return -ENODEV;
	}
	if (on)
		ret = cbu_rtnl_proxy_add(&dp.r, addr, ifindex, &err);
	else
		ret = cbu_rtnl_proxy_del(&dp.r, addr, ifindex, &err);
	if (ret == -ENOENT && !on)
		ret = 0;
	if (ret)
		log_err("proxy ND for %s on %s: %s %s", addr_str(addr), link,
			strerror(-ret), err.msg);
	return ret;
}

int dp_map_tunnel(const char *name)
{
	struct cbu_rtnl_link l;
	struct cbu_nl_err err;
	int ifindex, ret;

	ifindex = (int)if_nametoindex(name);
	if (!ifindex) {
		ret = cbu_rtnl_ip6tnl_md_add(&dp.r, name, &err);
		if (ret) {
			/* One collect_md ip6tnl a namespace: EEXIST. */
			log_err("tunnel %s: cannot make it: %s %s", name,
				strerror(-ret), err.msg);
			return ret;
		}
		ifindex = (int)if_nametoindex(name);
		if (!ifindex)
			return -ENODEV;
	}
	ret = cbu_rtnl_link_get(&dp.r, ifindex, &l, &err);
	if (ret) {
		log_err("tunnel %s: %s %s", name, strerror(-ret), err.msg);
		return ret;
	}
	if (strcmp(l.kind, "ip6tnl") || !l.collect_md ||
	    l.proto != IPPROTO_IPV6) {
		log_err("tunnel %s exists and is not an ip6tnl device in ip6ip6 external mode",
			name);
		return -EEXIST;
	}
	if (!l.up) {
		ret = cbu_rtnl_link_up(&dp.r, ifindex, &err);
		if (ret) {
			log_err("tunnel %s: cannot set it up: %s %s", name,
				strerror(-ret), err.msg);
			return ret;
		}
	}
	return ifindex;
}

void dp_map_tunnel_del(int ifindex)
{
	struct cbu_nl_err err;
	int ret;

	ret = cbu_rtnl_link_del(&dp.r, ifindex, &err);
	if (ret && ret != -ENODEV)
		log_err("tunnel %d: cannot delete it: %s %s", ifindex,
			strerror(-ret), err.msg);
}

int dp_map_route(int tunnel, const struct in6_addr *rcoa,
		 const struct in6_addr *map, const struct in6_addr *lcoa)
{
	struct cbu_route rt = {
		.dst = *rcoa, .dst_len = 128, .oif = tunnel,
		.has_encap = true, .encap_src = *map, .encap_dst = *lcoa,
		.encap_hoplimit = 64,
	};
	struct cbu_nl_err err;
	int ret;

	ret = cbu_rtnl_route_replace(&dp.r, &rt, &err);
	if (ret)
		log_err("route %s to %s: %s %s", addr_str(rcoa),
			addr_str(lcoa), strerror(-ret), err.msg);
	return ret;
}

void dp_map_route_del(int tunnel, const struct in6_addr *rcoa)
{
	struct cbu_route rt = { .dst = *rcoa, .dst_len = 128, .oif = tunnel };
	struct cbu_nl_err err;
	int ret;

	ret = cbu_rtnl_route_del(&dp.r, &rt, &err);
	if (ret && ret != -ESRCH)
		log_err("route %s: cannot delete it: %s %s", addr_str(rcoa),
			strerror(-ret), err.msg);
}

struct map_routes_walk {
	int (*cb)(const struct in6_addr *rcoa, const struct in6_addr *lcoa,
		  void *arg);
	void *arg;
};

static int on_map_route(const struct cbu_route *rt, void *arg)
{
	const struct map_routes_walk *w = arg;

	if (rt->dst_len != 128 || !rt->has_encap)
		return 0;
	return w->cb(&rt->dst, &rt->encap_dst, w->arg);
}

int dp_map_routes(int tunnel,
		  int (*cb)(const struct in6_addr *rcoa,
			    const struct in6_addr *lcoa, void *arg),
		  void *arg)
{
	struct map_routes_walk w = { cb, arg };
	struct cbu_nl_err err;
	int ret;

	ret = cbu_rtnl_route_list(&dp.r, tunnel, on_map_route, &w, &err);
	if (ret < 0)
		log_err("routes of tunnel %d: %s %s", tunnel, strerror(-ret),
			err.msg);
	return ret;
}

/* --- the mobile node's tunnel to its MAP --- */

static int hm_rule(const struct in6_addr *rcoa, bool on)
{
	struct cbu_rule ru = { .table = DP_HM_TABLE };
	struct cbu_nl_err err;
	int ret;

	if (rcoa) {
		ru.src = *rcoa;
		ru.src_len = 128;
	}
	ret = on ? cbu_rtnl_rule_add(&dp.r, &ru, &err) :
		   cbu_rtnl_rule_del(&dp.r, &ru, &err);
	if (ret && !(on && ret == -EEXIST) && !(!on && ret == -ENOENT))
		log_err("rule from %s lookup %#x: %s %s",
			rcoa ? addr_str(rcoa) : "all", DP_HM_TABLE,
			strerror(-ret), err.msg);
	return ret == -EEXIST && on ? 0 : ret;
}

int dp_hm_flush(void)
{
	struct cbu_rtnl_link l;
	struct cbu_nl_err err;
	int ifindex, ret, i;

	/* A rule a deletion at a time; a bound for safety. */
	for (i = 0; i < 64 && !hm_rule(NULL, false); i++)
		;
	ifindex = (int)if_nametoindex(DP_HM_TUNNEL);
	if (!ifindex)
		return 0;
	ret = cbu_rtnl_link_get(&dp.r, ifindex, &l, &err);
	if (ret)
		return ret == -ENODEV ? 0 : ret;
	if (strcmp(l.kind, "ip6tnl") || l.collect_md) {
		log_err("%s exists and is not an ip6tnl device of ours",
			DP_HM_TUNNEL);
		return -EEXIST;
	}
	ret = cbu_rtnl_link_del(&dp.r, ifindex, &err);
	if (ret && ret != -ENODEV) {
		log_err("%s: cannot delete it: %s %s", DP_HM_TUNNEL,
			strerror(-ret), err.msg);
		return ret;
	}
	return 0;
}

int dp_hm_up(const struct in6_addr *lcoa, const struct in6_addr *map,
	     const struct in6_addr *rcoa)
{
	struct cbu_route rt = { .dst_len = 0, .table = DP_HM_TABLE };
	struct cbu_nl_err err;
	const char *what;
	int ifindex, ret;

	what = "make it";
	ret = cbu_rtnl_ip6tnl_add(&dp.r, DP_HM_TUNNEL, lcoa, map, &err);
	if (ret)
		goto err;
	ifindex = (int)if_nametoindex(DP_HM_TUNNEL);
	if (!ifindex) {
		ret = -ENODEV;
		goto err;
	}
	what = "set it up";
	ret = cbu_rtnl_link_up(&dp.r, ifindex, &err);
	if (ret)
		goto err_link;
	what = "add the RCoA";
	ret = cbu_rtnl_addr_add(&dp.r, ifindex, rcoa, 128, IFA_F_NODAD, &err);
	if (ret)
		goto err_link;
	what = "route through it";
	rt.oif = ifindex;
	ret = cbu_rtnl_route_replace(&dp.r, &rt, &err);
	if (ret)
		goto err_link;
	ret = hm_rule(rcoa, true);
	if (ret)
		goto err_link;
	return ifindex;

err_link:
	cbu_rtnl_link_del(&dp.r, ifindex, NULL);
err:
	log_err("%s (%s to %s): cannot %s: %s %s", DP_HM_TUNNEL,
		addr_str(lcoa), addr_str(map), what, strerror(-ret), err.msg);
	return ret;
}

int dp_hm_move(int ifindex, const struct in6_addr *lcoa,
	       const struct in6_addr *map)
{
	struct cbu_nl_err err;
	int ret;

	ret = cbu_rtnl_ip6tnl_change(&dp.r, ifindex, lcoa, map, &err);
	if (ret)
		log_err("%s: cannot move it to %s: %s %s", DP_HM_TUNNEL,
			addr_str(lcoa), strerror(-ret), err.msg);
	return ret;
}

void dp_hm_down(int ifindex, const struct in6_addr *rcoa)
{
	struct cbu_nl_err err;
	int ret;

	hm_rule(rcoa, false);
	/* Its address and the route of DP_HM_TABLE go with it. */
	ret = cbu_rtnl_link_del(&dp.r, ifindex, &err);
	if (ret && ret != -ENODEV)
		log_err("%s: cannot delete it: %s %s", DP_HM_TUNNEL,
			strerror(-ret), err.msg);
}

int dp_lo_addr(const struct in6_addr *addr, bool on)
{
	struct cbu_nl_err err;
	int ret, lo;

	lo = (int)if_nametoindex("lo");
	if (!lo)
		return -ENODEV;
	if (on)
		ret = cbu_rtnl_addr_add(&dp.r, lo, addr, 128, IFA_F_NODAD,
					&err);
	else
		ret = cbu_rtnl_addr_del(&dp.r, lo, addr, 128, &err);
	if (ret && ret != -EEXIST && !(ret == -EADDRNOTAVAIL && !on))
		log_err("home address %s on lo: %s %s", addr_str(addr),
			strerror(-ret), err.msg);
	return ret;
}
