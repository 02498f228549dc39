// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for config_parse(), cbu-agent's configuration file
 * parser (agent/config.c), fed from memory.  A refusal must come with a
 * "NAME:" reason and a zeroed configuration; an acceptance must hold to
 * the limits config.h states, and the configuration printed back as a
 * file must parse to the same octets.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/config.h"
#include "agent/log.h"
#include "lib/cert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Large (the HA's table of MNs): not on the stack. */
static struct agent_config cfg, again;
static __typeof__(((struct agent_config *)0)->ha) ha;
static char text[128 * 1024];
static size_t text_len;

/* memcmp() against zeros: a loop over 80 KiB would halve the speed. */
static bool zeroed(const void *p, size_t len)
{
	static const struct agent_config zero;

	if (len > sizeof(zero))
		abort();
	return !memcmp(p, &zero, len);
}

/* A string field: terminated inside its array, never empty when set. */
static void check_str(const char *s, size_t size, bool required)
{
	if (strnlen(s, size) == size || (required && !*s))
		abort();
}

/* What the kernel's dev_valid_name() would take. */
static void check_ifname(const char *s)
{
	check_str(s, IF_NAMESIZE, true);
	if (strpbrk(s, "/: \t\n\v\f\r") || !strcmp(s, ".") ||
	    !strcmp(s, ".."))
		abort();
}

static void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text + text_len, sizeof(text) - text_len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(text) - text_len)
		abort();
	text_len += (size_t)n;
}

static const char *addr(const struct in6_addr *a)
{
	static char buf[INET6_ADDRSTRLEN];

	return inet_ntop(AF_INET6, a, buf, sizeof(buf));
}

/* @c as a configuration file: every field, defaults included. */
static void print_config(const struct agent_config *c)
{
	unsigned int i;

	text_len = 0;
	out("[agent]\nlog-level = %s\nlog-target = %s\ncontrol = %s\n",
	    log_level_name(c->log_level),
	    c->log_syslog ? "syslog" : "stderr", c->control);
	if (*c->ca_public_key)
		out("[ca]\npublic-key = %s\n", c->ca_public_key);
	if (c->mn.enabled) {
		out("[mobile-node]\nhome-address = %s\n", addr(&c->mn.hoa));
		out("home-agent = %s\n", addr(&c->mn.ha));
		out("secret = %s\nlifetime = %u\n", c->mn.secret,
		    c->mn.lifetime);
		for (i = 0; i < c->mn.n_interfaces; i++)
			out("interface = %s\n", c->mn.interfaces[i]);
		for (i = 0; i < c->mn.n_cns; i++)
			out("correspondent = %s\n", addr(&c->mn.cns[i]));
		out("accept-correspondents = %s\nmax-lifetime = %u\n",
		    c->mn.accept_cns ? "yes" : "no", c->mn.max_lifetime);
		if (c->mn.has_map) {
			out("map = %s\n", c->mn.map_discover ? "discover" :
			    addr(&c->mn.map));
			out("certificate = %s\nprivate-key = %s\n",
			    c->mn.certificate, c->mn.private_key);
		} else {
			out("map = no\n");
		}
		if (c->mn.has_rcoa)
			out("rcoa = %s\n", addr(&c->mn.rcoa));
	}
	if (c->ha.enabled) {
		out("[home-agent]\naddress = %s\n", addr(&c->ha.address));
		out("home-prefix = %s/%u\n", addr(&c->ha.prefix),
		    c->ha.prefix_len);
		out("home-link = %s\ncertificate = %s\nprivate-key = %s\n",
		    c->ha.home_link, c->ha.certificate, c->ha.private_key);
		for (i = 0; i < c->ha.n_mns; i++)
			out("mobile-node = %s %s\n", addr(&c->ha.mns[i].hoa),
			    c->ha.mns[i].secret);
		for (i = 0; i < c->ha.n_mcns; i++)
			out("mobile-cn = %s\n", addr(&c->ha.mcns[i]));
		if (c->ha.n_mcns)
			out("cn-certificate = %s\ncn-private-key = %s\n",
			    c->ha.cn_certificate, c->ha.cn_private_key);
		out("lt-en = %u\n", c->ha.lt_en);
	}
	if (c->cn.enabled) {
		out("[correspondent]\naddress = %s\n", addr(&c->cn.address));
		out("certificate = %s\nprivate-key = %s\n", c->cn.certificate,
		    c->cn.private_key);
		out("lt-en = %u\nmax-lifetime = %u\ncert-cache = %u\n",
		    c->cn.lt_en, c->cn.max_lifetime, c->cn.cert_cache);
	}
	if (c->map.enabled) {
		out("[map]\naddress = %s\n", addr(&c->map.address));
		out("rcoa-prefix = %s/%u\n", addr(&c->map.rcoa_prefix),
		    c->map.rcoa_prefix_len);
		out("link = %s\ncertificate = %s\nprivate-key = %s\n",
		    c->map.link, c->map.certificate, c->map.private_key);
		for (i = 0; i < c->map.n_interfaces; i++)
			out("interface = %s\n", c->map.interfaces[i]);
		out("max-lifetime = %u\nmax-bindings = %u\ncert-cache = %u\n",
		    c->map.max_lifetime, c->map.max_bindings,
		    c->map.cert_cache);
		out("tunnel = %s\n", c->map.tunnel);
	}
}

static void check_accepted(const struct agent_config *c)
{
	__typeof__(((struct agent_config *)0)->mn) mn = c->mn;
	__typeof__(((struct agent_config *)0)->cn) cn = c->cn;
	__typeof__(((struct agent_config *)0)->map) map = c->map;
	unsigned int i, j;

	if (log_level_parse(log_level_name(c->log_level)) != c->log_level)
		abort();
	check_str(c->control, sizeof(c->control), true);
	if (strlen(c->control) < 2 || strlen(c->control) > 107)
		abort();
	check_str(c->ca_public_key, sizeof(c->ca_public_key), false);
	if (!c->mn.enabled && !c->ha.enabled && !c->cn.enabled &&
	    !c->map.enabled)
		abort();
	if ((c->ha.enabled || c->cn.enabled || c->map.enabled) &&
	    !*c->ca_public_key)
		abort();
	if (c->mn.enabled) {
		check_str(c->mn.secret, sizeof(c->mn.secret), true);
		if (!c->mn.n_interfaces ||
		    c->mn.n_interfaces > CFG_MAX_IFACES ||
		    c->mn.n_cns > CFG_MAX_CNS ||
		    c->mn.lifetime < 4 || c->mn.lifetime > 0xffff * 4 ||
		    c->mn.max_lifetime < 4 || c->mn.max_lifetime > 0xffff * 4)
			abort();
		for (i = 0; i < c->mn.n_interfaces; i++)
			check_ifname(c->mn.interfaces[i]);
		/* A MAP: Cert_MN, its key, the CA's; an RCoA on its /64. */
		check_str(c->mn.certificate, sizeof(c->mn.certificate),
			  c->mn.has_map);
		check_str(c->mn.private_key, sizeof(c->mn.private_key),
			  c->mn.has_map);
		if (c->mn.has_map ? !*c->ca_public_key :
		    c->mn.has_rcoa || *c->mn.certificate ||
		    *c->mn.private_key)
			abort();
		/* Discovered: no address yet, the rcoa checked against it. */
		if (c->mn.map_discover ?
		    !c->mn.has_map || !IN6_IS_ADDR_UNSPECIFIED(&c->mn.map) :
		    c->mn.has_rcoa &&
		    !cbu_prefix_covers(c->mn.map.s6_addr, 64,
				       c->mn.rcoa.s6_addr))
			abort();
	} else {
		/* A role not held: its defaults, nothing else. */
		if (mn.lifetime != 256 || mn.max_lifetime != 420)
			abort();
		mn.lifetime = 0;
		mn.max_lifetime = 0;
		if (!zeroed(&mn, sizeof(mn)))
			abort();
	}
	if (c->ha.enabled) {
		check_ifname(c->ha.home_link);
		check_str(c->ha.certificate, sizeof(c->ha.certificate), true);
		check_str(c->ha.private_key, sizeof(c->ha.private_key), true);
		if (c->ha.prefix_len < 1 || c->ha.prefix_len > 128 ||
		    c->ha.n_mns > CFG_MAX_MNS)
			abort();
		for (i = 0; i < c->ha.n_mns; i++) {
			check_str(c->ha.mns[i].secret, CFG_PATH_MAX, true);
			/* Each home address once. */
			for (j = 0; j < i; j++)
				if (!memcmp(&c->ha.mns[i].hoa, &c->ha.mns[j].hoa,
					    sizeof(struct in6_addr)))
					abort();
		}
		if (c->ha.lt_en < 4 || c->ha.lt_en > 0xffff * 4 ||
		    c->ha.n_mcns > CFG_MAX_MNS)
			abort();
		/* Mobile correspondents: served, in the prefix, each once. */
		for (i = 0; i < c->ha.n_mcns; i++) {
			for (j = 0; j < c->ha.n_mns; j++)
				if (!memcmp(&c->ha.mcns[i], &c->ha.mns[j].hoa,
					    sizeof(struct in6_addr)))
					break;
			if (j == c->ha.n_mns ||
			    !cbu_prefix_covers(c->ha.prefix.s6_addr,
					       c->ha.prefix_len,
					       c->ha.mcns[i].s6_addr))
				abort();
			for (j = 0; j < i; j++)
				if (!memcmp(&c->ha.mcns[i], &c->ha.mcns[j],
					    sizeof(struct in6_addr)))
					abort();
		}
		check_str(c->ha.cn_certificate, sizeof(c->ha.cn_certificate),
			  c->ha.n_mcns);
		check_str(c->ha.cn_private_key, sizeof(c->ha.cn_private_key),
			  c->ha.n_mcns);
		if (!c->ha.n_mcns &&
		    (*c->ha.cn_certificate || *c->ha.cn_private_key))
			abort();
		if (c->ha.n_mcns && c->cn.enabled)
			abort();
	} else {
		/* Its default, nothing else (a static copy: 80 KiB). */
		ha = c->ha;
		if (ha.lt_en != 3600)
			abort();
		ha.lt_en = 0;
		if (!zeroed(&ha, sizeof(ha)))
			abort();
	}
	if (c->cn.enabled) {
		check_str(c->cn.certificate, sizeof(c->cn.certificate), true);
		check_str(c->cn.private_key, sizeof(c->cn.private_key), true);
		if (c->cn.lt_en < 4 || c->cn.lt_en > 0xffff * 4 ||
		    c->cn.max_lifetime < 4 || c->cn.max_lifetime > 0xffff * 4 ||
		    c->cn.cert_cache > CFG_MAX_CERT_CACHE)
			abort();
	} else {
		if (cn.lt_en != 3600 || cn.max_lifetime != 420 ||
		    cn.cert_cache != 64)
			abort();
		cn.lt_en = 0;
		cn.max_lifetime = 0;
		cn.cert_cache = 0;
		if (!zeroed(&cn, sizeof(cn)))
			abort();
	}
	if (c->map.enabled) {
		check_ifname(c->map.link);
		check_str(c->map.certificate, sizeof(c->map.certificate), true);
		check_str(c->map.private_key, sizeof(c->map.private_key), true);
		if (!c->map.n_interfaces ||
		    c->map.n_interfaces > CFG_MAX_IFACES ||
		    c->map.rcoa_prefix_len < 1 || c->map.rcoa_prefix_len > 128 ||
		    !cbu_prefix_covers(c->map.rcoa_prefix.s6_addr,
				       c->map.rcoa_prefix_len,
				       c->map.address.s6_addr) ||
		    c->map.max_lifetime < 4 || c->map.max_lifetime > 0xffff * 4 ||
		    c->map.max_bindings < 1 ||
		    c->map.max_bindings > CFG_MAX_MAP_BINDINGS ||
		    c->map.cert_cache < 1 ||
		    c->map.cert_cache > CFG_MAX_CERT_CACHE || c->mn.enabled)
			abort();
		for (i = 0; i < c->map.n_interfaces; i++) {
			check_ifname(c->map.interfaces[i]);
			if (!strcmp(c->map.interfaces[i], c->map.tunnel))
				abort();
		}
		/* The tunnel: a device of its own, and an address's /64 not ::. */
		check_ifname(c->map.tunnel);
		if (!strcmp(c->map.tunnel, c->map.link) ||
		    IN6_IS_ADDR_UNSPECIFIED(&c->map.rcoa_prefix))
			abort();
	} else {
		if (map.max_lifetime != 420 || map.max_bindings != 4096 ||
		    map.cert_cache != 64 || strcmp(map.tunnel, "cbu-map0"))
			abort();
		map.max_lifetime = 0;
		map.max_bindings = 0;
		map.cert_cache = 0;
		memset(map.tunnel, 0, sizeof(map.tunnel));
		if (!zeroed(&map, sizeof(map)))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];

	memset(err, 0, sizeof(err));
	if (config_parse(&cfg, (const char *)data, size, "f.conf", err,
			 sizeof(err))) {
		if (strncmp(err, "f.conf:", 7) || strlen(err) <= 8 ||
		    !zeroed(&cfg, sizeof(cfg)))
			abort();
		return 0;
	}
	check_accepted(&cfg);

	print_config(&cfg);
	if (config_parse(&again, text, text_len, "again.conf", err,
			 sizeof(err))) {
		fprintf(stderr, "printed back, refused: %s\n%s", err, text);
		abort();
	}
	if (memcmp(&cfg, &again, sizeof(cfg))) {
		fprintf(stderr, "printed back, parsed differently:\n%s", text);
		abort();
	}
	return 0;
}
