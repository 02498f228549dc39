// SPDX-License-Identifier: GPL-2.0
/*
 * cbu-ro-load - the load of the correspondent's key exchange benchmark:
 * many home agents' halves of the draft's section 3 exchange against one
 * CN agent, COUNT complete exchanges
 *
 *   COOKIE0 -> COOKIE1 -> EXCH0 (SIG_HA, Cert_HA) -> EXCH1 (SIG_CN checked,
 *   k_DH and the session keys derived)
 *
 * from distinct home addresses PREFIX::FIRST, PREFIX::FIRST+1, ... (HOAS of
 * them, default 1000, then the same again; FIRST defaults to 1), at most
 * WINDOW (default 8) under way at once.
 *
 *   cbu-ro-load CN PREFIX COUNT CA_PUB HA_CERT HA_KEY
 *               [ hoas N ] [ first N ] [ window N ] [ timeout MS ]
 *
 * The home addresses need not be this node's: packets are built whole
 * (IPPROTO_RAW), and the answers to them arrive on a raw MH socket once
 * PREFIX is a local route (`ip -6 route add local PREFIX dev lo`).  Cert_CN
 * is checked against CA_PUB once; later EXCH1s must carry the same octets
 * (the load spends its CPU on what every exchange needs).  An exchange not
 * done in TIMEOUT ms (default 5000) counts as failed.
 *
 * Prints "exchanges N failed N in NS ns"; exits 0 if all COUNT completed,
 * 3 if some failed, 1 on an error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "kernel/mh.h"
#include "lib/armor.h"
#include "lib/cert.h"
#include "lib/crypto.h"
#include "lib/msg.h"
#include "lib/pkt.h"
#include "bench/util.h"

#define EXIT_INCOMPLETE	3
#define MAX_WINDOW	256

enum ex_state { EX_FREE, EX_COOKIE0, EX_EXCH0 };

/* One exchange under way, for one home address. */
struct ex {
	enum ex_state state;
	struct in6_addr hoa;
	uint8_t c0[CBU_COOKIE_LEN];
	uint8_t x[CBU_KEY_LEN];		/* the DH secret of g^x */
	struct cbu_exch0 e;		/* as sent: N1, N2 for the keys */
	uint8_t exch0[CBU_MH_MAX_LEN];	/* its MH, for SIG_CN */
	size_t exch0_len;
	uint64_t started_ms;
};

static struct {
	int mh_fd, raw_fd;
	struct in6_addr cn;
	struct cbu_sign_key key;
	uint8_t ca_pub[CBU_PUBKEY_LEN];
	uint8_t ha_cert[CBU_CERT_LEN];
	uint8_t cn_cert[CBU_CERT_LEN];	/* Cert_CN once checked */
	uint8_t cn_pub[CBU_PUBKEY_LEN];
	bool has_cn_cert;
	struct ex ex[MAX_WINDOW];
	unsigned long done, failed;
} ld;

/* Send @m from @hoa, which is not ours; its MH octets to @out if given. */
static void send_from(const struct in6_addr *hoa, const struct cbu_msg *m,
		      uint8_t *out, size_t *out_len)
{
	uint8_t mh[CBU_MH_MAX_LEN], pkt[CBU_PKT_MAX];
	const char *why;
	int len, plen, ret;

	len = cbu_msg_encode(m, mh, sizeof(mh), &why);
	if (len < 0)
		die(why);
	plen = cbu_pkt_build(pkt, sizeof(pkt), hoa->s6_addr, ld.cn.s6_addr,
			     NULL, mh, (size_t)len);
	if (plen < 0)
		die("cannot build");
	ret = cbu_pkt_send(ld.raw_fd, pkt, (size_t)plen);
	if (ret && ret != -ENOBUFS)
		die(strerror(-ret));
	if (out) {
		memcpy(out, mh, (size_t)len);
		*out_len = (size_t)len;
	}
}

/* COOKIE0 = {Src=HoA, Des=CN, C0}: a C0 of our own, nothing to check. */
static void ex_start(struct ex *x, const struct in6_addr *hoa)
{
	struct cbu_msg m;

	memset(x, 0, sizeof(*x));
	x->hoa = *hoa;
	x->state = EX_COOKIE0;
	x->started_ms = now_ns() / 1000000;
	cbu_random(x->c0, CBU_COOKIE_LEN);
	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_COOKIE0);
	memcpy(m.body.cookie0.c0, x->c0, CBU_COOKIE_LEN);
	send_from(hoa, &m, NULL, NULL);
}

static void ex_end(struct ex *x, bool ok)
{
	if (ok)
		ld.done++;
	else
		ld.failed++;
	sodium_memzero(x, sizeof(*x));
}

/* COOKIE1 = {Src=CN, Des=HoA, C0, C1, N1}: EXCH0, signed. */
static void on_cookie1(struct ex *x, const struct cbu_msg *r)
{
	struct cbu_msg m;

	if (x->state != EX_COOKIE0 ||
	    memcmp(r->body.cookie1.c0, x->c0, CBU_COOKIE_LEN))
		return;
	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_EXCH0);
	memcpy(m.body.exch0.c0, x->c0, CBU_COOKIE_LEN);
	memcpy(m.body.exch0.c1, r->body.cookie1.c1, CBU_COOKIE_LEN);
	memcpy(m.body.exch0.n1, r->body.cookie1.n1, CBU_NONCE_LEN);
	cbu_exch0_sign(&m.body.exch0, x->hoa.s6_addr, ld.cn.s6_addr, x->x,
		       &ld.key);
	m.cert_len = CBU_CERT_LEN;
	memcpy(m.cert, ld.ha_cert, CBU_CERT_LEN);
	x->e = m.body.exch0;
	send_from(&x->hoa, &m, x->exch0, &x->exch0_len);
	x->state = EX_EXCH0;
}

/* Cert_CN: checked the first time, the same octets expected after. */
static bool cert_cn_ok(const struct cbu_msg *r)
{
	struct cbu_cert c;
	const char *why = NULL;

	if (r->cert_len != CBU_CERT_LEN)
		return false;
	if (ld.has_cn_cert)
		return !memcmp(r->cert, ld.cn_cert, CBU_CERT_LEN);
	if (cbu_cert_decode(&c, r->cert, r->cert_len, &why) ||
	    cbu_cert_verify_cn(&c, ld.ca_pub, ld.cn.s6_addr,
			       (uint64_t)time(NULL), &why)) {
		fprintf(stderr, "cbu-ro-load: Cert_CN: %s\n", why);
		return false;
	}
	memcpy(ld.cn_cert, r->cert, CBU_CERT_LEN);
	memcpy(ld.cn_pub, c.public_key, CBU_PUBKEY_LEN);
	ld.has_cn_cert = true;
	return true;
}

/*
 * EXCH1 = {Src=CN, Des=HoA, C0, C1, g^y, SIG_CN, Cert_CN}: done once
 * SIG_CN verifies and the keys are derived, as the home agent does.
 */
static void on_exch1(struct ex *x, const struct cbu_msg *r)
{
	const struct cbu_exch1 *e = &r->body.exch1;
	uint8_t in[CBU_MH_MAX_LEN + 64], k_dh[CBU_KEY_LEN];
	uint8_t k_master[CBU_KEY_LEN];
	struct cbu_session_keys keys;
	int n;

	if (x->state != EX_EXCH0 || memcmp(e->c0, x->c0, CBU_COOKIE_LEN) ||
	    memcmp(e->c1, x->e.c1, CBU_COOKIE_LEN))
		return;
	n = cbu_sig_cn_input(in, sizeof(in), ld.cn.s6_addr, x->hoa.s6_addr,
			     e->gy, x->exch0, x->exch0_len);
	if (!cert_cn_ok(r) || n < 0 ||
	    !cbu_verify(e->sig, in, (size_t)n, ld.cn_pub) ||
	    cbu_dh_shared(k_dh, x->x, e->gy)) {
		ex_end(x, false);
		return;
	}
	cbu_kdf_master(k_master, k_dh, x->e.n1, x->e.n2);
	cbu_kdf_session(&keys, k_master, x->e.n1, x->e.n2);
	sodium_memzero(k_dh, sizeof(k_dh));
	sodium_memzero(k_master, sizeof(k_master));
	sodium_memzero(&keys, sizeof(keys));
	ex_end(x, true);
}

static struct ex *ex_find(const struct in6_addr *hoa, unsigned int window)
{
	unsigned int i;

	for (i = 0; i < window; i++)
		if (ld.ex[i].state != EX_FREE &&
		    !memcmp(&ld.ex[i].hoa, hoa, sizeof(*hoa)))
			return &ld.ex[i];
	return NULL;
}

/* Everything queued on the MH socket. */
static void receive(unsigned int window)
{
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf;
	uint8_t buf[CBU_MH_MAX_LEN];
	struct sockaddr_in6 from;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = {
		.msg_name = &from, .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &cbuf,
	};
	struct in6_addr dst;
	struct cmsghdr *c;
	struct cbu_msg r;
	const char *why;
	struct ex *x;
	ssize_t n;

	for (;;) {
		mh.msg_namelen = sizeof(from);
		mh.msg_controllen = sizeof(cbuf);
		n = recvmsg(ld.mh_fd, &mh, MSG_DONTWAIT);
		if (n < 0)
			return;
		memset(&dst, 0, sizeof(dst));
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			struct in6_pktinfo pi;

			if (c->cmsg_level != IPPROTO_IPV6 ||
			    c->cmsg_type != IPV6_PKTINFO)
				continue;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			dst = pi.ipi6_addr;
		}
		if (memcmp(&from.sin6_addr, &ld.cn, sizeof(ld.cn)) ||
		    cbu_msg_decode(&r, buf, (size_t)n, NULL, &why) ||
		    r.type != CBU_MH_EXP)
			continue;
		x = ex_find(&dst, window);
		if (!x)
			continue;
		if (r.subtype == CBU_SUB_COOKIE1)
			on_cookie1(x, &r);
		else if (r.subtype == CBU_SUB_EXCH1)
			on_exch1(x, &r);
	}
}

static void read_creds(const char *ca, const char *cert, const char *key)
{
	uint8_t seed[CBU_SEED_LEN];
	const char *why = NULL;
	size_t len;

	if (cbu_armor_read_file(ca, CBU_ARMOR_PUBLIC_KEY, ld.ca_pub,
				sizeof(ld.ca_pub), &len, &why) ||
	    len != CBU_PUBKEY_LEN)
		die(why ? why : "not a public key");
	if (cbu_armor_read_file(cert, CBU_ARMOR_CERT, ld.ha_cert,
				sizeof(ld.ha_cert), &len, &why) ||
	    len != CBU_CERT_LEN)
		die(why ? why : "not a certificate");
	if (cbu_armor_read_file(key, CBU_ARMOR_PRIVATE_KEY, seed,
				sizeof(seed), &len, &why) ||
	    len != CBU_SEED_LEN)
		die(why ? why : "not a private key");
	cbu_sign_key_init(&ld.key, seed);
	sodium_memzero(seed, sizeof(seed));
}

int main(int argc, char **argv)
{
	unsigned long count, hoas = 1000, first = 1, started = 0;
	unsigned long timeout_ms = 5000;
	unsigned int window = 8, i;
	struct in6_addr prefix, hoa;
	uint64_t t0, t1, now_ms;
	int one = 1, a;

	if (argc < 7 || cbu_crypto_init())
		die("usage: cbu-ro-load CN PREFIX COUNT CA_PUB HA_CERT HA_KEY [ hoas N ] [ first N ] [ window N ] [ timeout MS ]");
	if (inet_pton(AF_INET6, argv[1], &ld.cn) != 1 ||
	    inet_pton(AF_INET6, argv[2], &prefix) != 1)
		die("bad IPv6 address");
	count = strtoul(argv[3], NULL, 0);
	read_creds(argv[4], argv[5], argv[6]);
	for (a = 7; a + 1 < argc; a += 2) {
		if (!strcmp(argv[a], "hoas"))
			hoas = strtoul(argv[a + 1], NULL, 0);
		else if (!strcmp(argv[a], "first"))
			first = strtoul(argv[a + 1], NULL, 0);
		else if (!strcmp(argv[a], "window"))
			window = (unsigned int)strtoul(argv[a + 1], NULL, 0);
		else if (!strcmp(argv[a], "timeout"))
			timeout_ms = strtoul(argv[a + 1], NULL, 0);
		else
			die("bad argument");
	}
	/* Two exchanges under way never share a home address. */
	if (a != argc || !count || !window || window > MAX_WINDOW ||
	    hoas < window || first + hoas > 0x10000 || !timeout_ms)
		die("bad argument");

	ld.mh_fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_MH);
	if (ld.mh_fd < 0)
		die(strerror(errno));
	setsockopt(ld.mh_fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one));
	ld.raw_fd = cbu_pkt_socket();
	if (ld.raw_fd < 0)
		die(strerror(-ld.raw_fd));

	t0 = now_ns();
	while (ld.done + ld.failed < count) {
		struct pollfd pfd = { .fd = ld.mh_fd, .events = POLLIN };

		now_ms = now_ns() / 1000000;
		for (i = 0; i < window; i++) {
			struct ex *x = &ld.ex[i];

			if (x->state != EX_FREE &&
			    now_ms - x->started_ms > timeout_ms)
				ex_end(x, false);
			if (x->state != EX_FREE || started >= count)
				continue;
			hoa = prefix;
			cbu_put_be16(hoa.s6_addr + 14,
				     (uint16_t)(first + started % hoas));
			started++;
			ex_start(x, &hoa);
		}
		if (poll(&pfd, 1, 100) > 0)
			receive(window);
	}
	t1 = now_ns();
	printf("exchanges %lu failed %lu in %llu ns\n", ld.done, ld.failed,
	       (unsigned long long)(t1 - t0));
	sodium_memzero(&ld.key, sizeof(ld.key));
	close(ld.mh_fd);
	close(ld.raw_fd);
	return ld.failed ? EXIT_INCOMPLETE : 0;
}
