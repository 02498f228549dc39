// SPDX-License-Identifier: GPL-2.0
/*
 * exch-answer - a test tool: play a correspondent's part of the draft's
 * section 3 exchange towards a home agent, right or broken on purpose, so
 * that the selftests can show what a home agent refuses without having to
 * break cbu-agent.  The companion of exch-send, which plays the home agent.
 *
 *   exch-answer CN CERT KEY [ break { sig | cookie | dh | c0 } ]
 *               [ then-right ] [ for MS ]
 *
 * For MS milliseconds (default 10000) it answers, from CN (an address of
 * this namespace), each COOKIE0 with a COOKIE1 and each EXCH0 with an
 * EXCH1 signed with the private key in KEY and carrying the certificate in
 * CERT (both armoured, as `cbuctl cert` writes them).  "break sig" flips a
 * bit of SIG_CN, "break cookie" one of C1, "break c0" one of C0, "break dh"
 * sends a g^y of low order (signed, so only the DH check refuses it).
 * "then-right" follows each broken EXCH1 with the right one, 200 ms later,
 * as a genuine CN answers after someone on the path answered first.  It
 * prints each message received and sent, and exits 0, or 1 on an error.
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
#include "lib/crypto.h"
#include "lib/msg.h"
#include "lib/pkt.h"
#include "exch.h"

const char *exch_prog = "exch-answer";

static struct {
	struct in6_addr cn;
	uint8_t cert[CBU_CERT_LEN];
	struct cbu_sign_key key;
	const char *brk;
	bool then_right;
} a;

static void answer(int fd, const struct in6_addr *to, const struct cbu_msg *m)
{
	exch_send(fd, &a.cn, to, m);
	printf("sent %s\n", cbu_msg_name(m->type, m->subtype, m->flags));
	fflush(stdout);
}

/*
 * EXCH1 = {Src=CN, Des=HoA, C0, C1, g^y, SIG_CN, Cert_CN} for the EXCH0
 * @mh of @len octets from @hoa, broken as asked if @broken.
 */
static void exch1(int fd, const struct in6_addr *hoa,
		  const struct cbu_exch0 *e, const uint8_t *mh, size_t len,
		  bool broken)
{
	uint8_t sig_in[CBU_MH_MAX_LEN + 64], y[CBU_KEY_LEN];
	struct cbu_msg m;
	int n;

	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_EXCH1);
	m.body.exch1.suite = CBU_SUITE_1;
	memcpy(m.body.exch1.c0, e->c0, CBU_COOKIE_LEN);
	memcpy(m.body.exch1.c1, e->c1, CBU_COOKIE_LEN);
	cbu_dh_keypair(m.body.exch1.gy, y);
	sodium_memzero(y, sizeof(y));
	if (broken && !strcmp(a.brk, "dh"))
		/* The identity: of low order (RFC 7748 6.1's check). */
		memset(m.body.exch1.gy, 0, CBU_DH_LEN);
	if (broken && !strcmp(a.brk, "cookie"))
		m.body.exch1.c1[3] ^= 0x01;
	if (broken && !strcmp(a.brk, "c0"))
		m.body.exch1.c0[3] ^= 0x01;
	n = cbu_sig_cn_input(sig_in, sizeof(sig_in), a.cn.s6_addr,
			     hoa->s6_addr, m.body.exch1.gy, mh, len);
	if (n < 0)
		exch_die("EXCH0 too long to sign");
	cbu_sign(m.body.exch1.sig, sig_in, (size_t)n, &a.key);
	if (broken && !strcmp(a.brk, "sig"))
		m.body.exch1.sig[7] ^= 0x10;
	m.cert_len = CBU_CERT_LEN;
	memcpy(m.cert, a.cert, CBU_CERT_LEN);
	answer(fd, hoa, &m);
}

int main(int argc, char **argv)
{
	uint8_t buf[CBU_MH_MAX_LEN];
	char from[INET6_ADDRSTRLEN];
	struct pollfd pfd = { .events = POLLIN };
	uint8_t seed[CBU_SEED_LEN];
	struct sockaddr_in6 sa;
	const char *why = NULL;
	uint64_t end, now;
	int i, for_ms = 10000;
	struct cbu_msg m, r;
	socklen_t sl;
	size_t len;
	ssize_t n;

	if (argc < 4 || cbu_crypto_init())
		exch_die("usage: exch-answer CN CERT KEY [ break { sig | cookie | dh | c0 } ] [ then-right ] [ for MS ]");
	if (inet_pton(AF_INET6, argv[1], &a.cn) != 1)
		exch_die("bad IPv6 address");
	for (i = 4; i < argc; i++) {
		if (!strcmp(argv[i], "break") && i + 1 < argc &&
		    (!strcmp(argv[i + 1], "sig") ||
		     !strcmp(argv[i + 1], "cookie") ||
		     !strcmp(argv[i + 1], "dh") ||
		     !strcmp(argv[i + 1], "c0")))
			a.brk = argv[++i];
		else if (!strcmp(argv[i], "then-right"))
			a.then_right = true;
		else if (!strcmp(argv[i], "for") && i + 1 < argc)
			for_ms = atoi(argv[++i]);
		else
			exch_die("bad argument");
	}
	if (for_ms <= 0 || (a.then_right && !a.brk))
		exch_die("bad argument");
	if (cbu_armor_read_file(argv[2], CBU_ARMOR_CERT, a.cert,
				sizeof(a.cert), &len, &why) ||
	    len != CBU_CERT_LEN)
		exch_die(why ? why : "not a certificate");
	if (cbu_armor_read_file(argv[3], CBU_ARMOR_PRIVATE_KEY, seed,
				sizeof(seed), &len, &why) ||
	    len != CBU_SEED_LEN)
		exch_die(why ? why : "not a private key");
	cbu_sign_key_init(&a.key, seed);
	sodium_memzero(seed, sizeof(seed));

	pfd.fd = socket(AF_INET6, SOCK_RAW, IPPROTO_MH);
	if (pfd.fd < 0)
		exch_die(strerror(errno));
	end = exch_now_ms() + (uint64_t)for_ms;
	while ((now = exch_now_ms()) < end) {
		if (poll(&pfd, 1, (int)(end - now)) <= 0)
			continue;
		sl = sizeof(sa);
		n = recvfrom(pfd.fd, buf, sizeof(buf), 0,
			     (struct sockaddr *)&sa, &sl);
		if (n < 0 || cbu_msg_decode(&r, buf, (size_t)n, NULL, &why) ||
		    r.type != CBU_MH_EXP)
			continue;
		printf("%s from %s\n", cbu_msg_name(r.type, r.subtype, r.flags),
		       inet_ntop(AF_INET6, &sa.sin6_addr, from, sizeof(from)));
		if (r.subtype == CBU_SUB_COOKIE0) {
			/* Stateless enough for a test: C1 is random. */
			cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_COOKIE1);
			memcpy(m.body.cookie1.c0, r.body.cookie0.c0,
			       CBU_COOKIE_LEN);
			cbu_random(m.body.cookie1.c1, CBU_COOKIE_LEN);
			cbu_random(m.body.cookie1.n1, CBU_NONCE_LEN);
			answer(pfd.fd, &sa.sin6_addr, &m);
		} else if (r.subtype == CBU_SUB_EXCH0) {
			exch1(pfd.fd, &sa.sin6_addr, &r.body.exch0, buf,
			      (size_t)n, !!a.brk);
			if (a.then_right) {
				usleep(200000);
				exch1(pfd.fd, &sa.sin6_addr, &r.body.exch0,
				      buf, (size_t)n, false);
			}
		}
	}
	sodium_memzero(&a.key, sizeof(a.key));
	close(pfd.fd);
	return 0;
}
