// SPDX-License-Identifier: GPL-2.0
/*
 * exch-send - a test tool: play a home agent's part of the draft's
 * section 3 exchange towards a correspondent, right or broken on purpose,
 * so that the selftests can show what a CN refuses without having to
 * break cbu-agent.
 *
 *   exch-send HOA CN CERT KEY [ break { sig | cookie } ] [ wait MS ]
 *
 * From HOA (an address of this namespace, which the answers reach) it
 * sends COOKIE0 to CN, waits for COOKIE1, then sends EXCH0 signed with
 * the private key in KEY and carrying the certificate in CERT (both
 * armoured, as `cbuctl cert` writes them), and waits MS milliseconds
 * (default 2000) for EXCH1.  "break sig" flips a bit of SIG_HA, "break
 * cookie" one of C1.  It prints each message received and exits 0 if
 * EXCH1 came, 3 if it did not, 1 on an error.
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

#define EXIT_NO_EXCH1	3

const char *exch_prog = "exch-send";

/* Wait up to @ms for a CBU message of @subtype from @from; 0 or -1. */
static int wait_for(int fd, const struct in6_addr *from, uint8_t subtype,
		    int ms, struct cbu_msg *m)
{
	uint64_t end = exch_now_ms() + (uint64_t)ms;
	uint8_t buf[CBU_MH_MAX_LEN];
	struct sockaddr_in6 sa;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	socklen_t sl;
	const char *why;
	uint64_t now;
	ssize_t n;

	while ((now = exch_now_ms()) < end) {
		if (poll(&pfd, 1, (int)(end - now)) <= 0)
			continue;
		sl = sizeof(sa);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&sa,
			     &sl);
		if (n < 0 || memcmp(&sa.sin6_addr, from, 16))
			continue;
		if (cbu_msg_decode(m, buf, (size_t)n, NULL, &why)) {
			printf("malformed: %s\n", why);
			continue;
		}
		printf("%s\n", cbu_msg_name(m->type, m->subtype, m->flags));
		if (m->type == CBU_MH_EXP && m->subtype == subtype)
			return 0;
	}
	return -1;
}

int main(int argc, char **argv)
{
	uint8_t cert[CBU_CERT_LEN], seed[CBU_SEED_LEN], x[CBU_KEY_LEN];
	uint8_t c0[CBU_COOKIE_LEN];
	struct cbu_sign_key key;
	struct in6_addr hoa, cn;
	const char *brk = NULL, *why = NULL;
	struct cbu_msg m, r;
	struct cbu_exch0 *e;
	int i, fd, wait_ms = 2000;
	size_t len;

	if (argc < 5 || cbu_crypto_init())
		exch_die("usage: exch-send HOA CN CERT KEY [ break { sig | cookie } ] [ wait MS ]");
	if (inet_pton(AF_INET6, argv[1], &hoa) != 1 ||
	    inet_pton(AF_INET6, argv[2], &cn) != 1)
		exch_die("bad IPv6 address");
	for (i = 5; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "break") &&
		    (!strcmp(argv[i + 1], "sig") ||
		     !strcmp(argv[i + 1], "cookie")))
			brk = argv[i + 1];
		else if (!strcmp(argv[i], "wait"))
			wait_ms = atoi(argv[i + 1]);
		else
			exch_die("bad argument");
	}
	if (i != argc || wait_ms <= 0)
		exch_die("bad argument");
	if (cbu_armor_read_file(argv[3], CBU_ARMOR_CERT, cert, sizeof(cert),
				&len, &why) || len != CBU_CERT_LEN)
		exch_die(why ? why : "not a certificate");
	if (cbu_armor_read_file(argv[4], CBU_ARMOR_PRIVATE_KEY, seed,
				sizeof(seed), &len, &why) ||
	    len != CBU_SEED_LEN)
		exch_die(why ? why : "not a private key");

	fd = socket(AF_INET6, SOCK_RAW, IPPROTO_MH);
	if (fd < 0)
		exch_die(strerror(errno));

	/* COOKIE0 = {Src=HoA, Des=CN, C0}: any C0 will do here. */
	cbu_random(c0, sizeof(c0));
	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_COOKIE0);
	memcpy(m.body.cookie0.c0, c0, CBU_COOKIE_LEN);
	exch_send(fd, &hoa, &cn, &m);
	if (wait_for(fd, &cn, CBU_SUB_COOKIE1, 2000, &r))
		exch_die("no COOKIE1");
	if (memcmp(r.body.cookie1.c0, c0, CBU_COOKIE_LEN))
		exch_die("COOKIE1 does not echo C0");

	/* EXCH0, signed as cbu-agent's home agent signs it. */
	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_EXCH0);
	e = &m.body.exch0;
	memcpy(e->c0, c0, CBU_COOKIE_LEN);
	memcpy(e->c1, r.body.cookie1.c1, CBU_COOKIE_LEN);
	memcpy(e->n1, r.body.cookie1.n1, CBU_NONCE_LEN);
	cbu_sign_key_init(&key, seed);
	sodium_memzero(seed, sizeof(seed));
	cbu_exch0_sign(e, hoa.s6_addr, cn.s6_addr, x, &key);
	sodium_memzero(&key, sizeof(key));
	sodium_memzero(x, sizeof(x));
	if (brk && !strcmp(brk, "sig"))
		e->sig[7] ^= 0x10;
	if (brk && !strcmp(brk, "cookie"))
		e->c1[3] ^= 0x01;
	m.cert_len = CBU_CERT_LEN;
	memcpy(m.cert, cert, CBU_CERT_LEN);
	exch_send(fd, &hoa, &cn, &m);

	if (wait_for(fd, &cn, CBU_SUB_EXCH1, wait_ms, &r)) {
		printf("no EXCH1\n");
		close(fd);
		return EXIT_NO_EXCH1;
	}
	close(fd);
	return 0;
}
