// SPDX-License-Identifier: GPL-2.0
/*
 * hmip-send - a test tool: play a mobile node's part towards an HMIPv6 MAP
 * (draft section 5, wire-format.md 4.21 and 9.7), right or broken on
 * purpose, so that the selftests can show what a MAP binds and refuses
 * before cbu-agent's mobile node speaks HMIPv6.
 *
 *   hmip-send LCOA MAP RCOA HOA HA CERT KEY [ seq N ] [ lifetime N ]
 *             [ nonce HEX ] [ dh ] [ klba HEX ] [ break { sig | dh } ]
 *             [ wait MS ]
 *
 * Sends one local BU from LCOA to MAP with a Home Address option of RCOA:
 * HoA, N_MAP (nonce, default zero), the home agent HA, g^a (dh: a fresh
 * one), SIG_MN under KEY, CERT (Cert_MN; both armoured, as `cbuctl cert`
 * writes them).  "break sig" flips a bit of SIG_MN; "break dh" sends g^a
 * of low order (zero).  (A packet captured is sent again by `mh-send
 * packet`.)  Then it waits MS milliseconds (default 3000) for the MAP's BA
 * to LCOA naming HOA (others may be played at once in the namespace) and
 * prints it as "status=S seq=N lifetime=N nonce=HEX auth=sig|mac ok=0|1", with
 * "klba=HEX" when it made a key: ok=1 when SIG_MAP verifies under the CA
 * key ($CBU_CA_PUB, armoured) and a MAP certificate covering MAP and RCOA,
 * or MAC_LBA under "klba HEX".  Exits 0 if a BA came, 3 if none, 1 on an
 * error.
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

#define EXIT_NO_BA	3

static void __attribute__((noreturn)) die(const char *what)
{
	fprintf(stderr, "hmip-send: %s\n", what);
	exit(1);
}

/*
 * recvfrom() that also gives the packet's destination address (@to); -1
 * without one.
 */
static ssize_t recv_to(int fd, uint8_t *buf, size_t size,
		       struct sockaddr_in6 *from, struct in6_addr *to)
{
	union {
		struct cmsghdr align;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} c;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr mh = {
		.msg_name = from, .msg_namelen = sizeof(*from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = c.b, .msg_controllen = sizeof(c.b),
	};
	struct cmsghdr *cm;
	ssize_t n;

	n = recvmsg(fd, &mh, 0);
	if (n < 0)
		return n;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level == IPPROTO_IPV6 &&
		    cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			*to = pi.ipi6_addr;
			return n;
		}
	}
	return -1;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void addr(const char *s, uint8_t out[16])
{
	if (inet_pton(AF_INET6, s, out) != 1)
		die("bad IPv6 address");
}

static bool hex(const char *s, uint8_t *out, size_t len)
{
	size_t n;

	if (sodium_hex2bin(out, len, s, strlen(s), NULL, &n, NULL) ||
	    n != len)
		die("bad hex value");
	return true;
}

static void print_hex(const char *name, const uint8_t *b, size_t len)
{
	size_t i;

	printf(" %s=", name);
	for (i = 0; i < len; i++)
		printf("%02x", b[i]);
}

static void read_armor(const char *path, const char *label, uint8_t *out,
		       size_t want)
{
	const char *why = NULL;
	size_t len;

	if (cbu_armor_read_file(path, label, out, want, &len, &why) ||
	    len != want)
		die(why ? why : "wrong length");
}

/* The BA's authentication: SIG_MAP and Cert_MAP, or MAC_LBA. */
static bool ba_ok(const struct cbu_msg *m, const struct cbu_hmip *f,
		  const uint8_t *klba)
{
	uint8_t ca[CBU_PUBKEY_LEN];
	const char *ca_path = getenv("CBU_CA_PUB"), *why;

	if (!m->has_auth && !ca_path)
		return false;
	if (m->has_auth)
		memset(ca, 0, sizeof(ca));
	else
		read_armor(ca_path, CBU_ARMOR_PUBLIC_KEY, ca, sizeof(ca));
	return !cbu_hmip_ba_verify(m, f, klba, ca, (uint64_t)time(NULL), &why);
}

int main(int argc, char **argv)
{
	uint8_t seed[CBU_SEED_LEN], cert[CBU_CERT_LEN], ha[16], a[CBU_KEY_LEN];
	uint8_t klba[CBU_KEY_LEN], k_dh[CBU_KEY_LEN], pkt[CBU_PKT_MAX];
	uint8_t buf[CBU_MH_MAX_LEN], mh[CBU_MH_MAX_LEN];
	const char *brk = NULL, *why;
	struct cbu_sign_key key;
	bool dh = false, has_klba = false;
	struct pollfd pfd = { .events = POLLIN };
	struct cbu_hmip f, g;
	struct cbu_msg m;
	uint64_t end;
	int i, len, plen, wait = 3000, sfd, one = 1;

	if (argc < 8 || cbu_crypto_init())
		die("usage: hmip-send LCOA MAP RCOA HOA HA CERT KEY [...]");
	memset(&f, 0, sizeof(f));
	addr(argv[1], f.lcoa);
	addr(argv[2], f.map);
	addr(argv[3], f.rcoa);
	addr(argv[4], f.hoa);
	addr(argv[5], ha);
	read_armor(argv[6], CBU_ARMOR_CERT, cert, sizeof(cert));
	read_armor(argv[7], CBU_ARMOR_PRIVATE_KEY, seed, sizeof(seed));
	f.flags = CBU_BU_F_A;
	f.lifetime = 30;
	for (i = 8; i < argc; i += 2) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(k, "dh")) {
			dh = true;
			i--;
			continue;
		}
		if (!v)
			die("a keyword without its value");
		if (!strcmp(k, "seq"))
			f.seq = (uint16_t)strtoul(v, NULL, 0);
		else if (!strcmp(k, "lifetime"))
			f.lifetime = (uint16_t)strtoul(v, NULL, 0);
		else if (!strcmp(k, "nonce"))
			hex(v, f.n_map, sizeof(f.n_map));
		else if (!strcmp(k, "klba"))
			has_klba = hex(v, klba, sizeof(klba));
		else if (!strcmp(k, "break"))
			brk = v;
		else if (!strcmp(k, "wait"))
			wait = atoi(v);
		else
			die("unknown keyword");
	}
	if (dh)
		cbu_dh_keypair(f.ga, a);
	if (brk && !strcmp(brk, "dh")) {
		memset(f.ga, 0, sizeof(f.ga));
		dh = true;
	}
	cbu_sign_key_init(&key, seed);
	sodium_memzero(seed, sizeof(seed));
	cbu_hmip_bu_make(&m, &f, ha, dh, &key, cert);
	sodium_memzero(&key, sizeof(key));
	if (brk && !strcmp(brk, "sig"))
		m.sig[7] ^= 0x10;
	len = cbu_msg_encode(&m, mh, sizeof(mh), &why);
	if (len < 0)
		die(why);
	plen = cbu_pkt_build(pkt, sizeof(pkt), f.lcoa, f.map, f.rcoa, mh,
			     (size_t)len);
	if (plen < 0)
		die("packet too large");
	/*
	 * The BA comes to the LCoA: a raw MH socket sees it first, and sees
	 * those to the other LCoAs of the namespace too (other mobile nodes
	 * played at once): ours is the one to our LCoA naming our HoA.
	 */
	pfd.fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, CBU_IPPROTO_MH);
	sfd = cbu_pkt_socket();
	if (pfd.fd < 0 || sfd < 0 ||
	    setsockopt(pfd.fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one,
		       sizeof(one)))
		die("socket");
	if (cbu_pkt_send(sfd, pkt, (size_t)plen) < 0)
		die(strerror(errno));

	end = now_ms() + (uint64_t)wait;
	while (now_ms() < end) {
		struct sockaddr_in6 sa;
		struct in6_addr to;
		ssize_t n;

		if (poll(&pfd, 1, (int)(end - now_ms())) <= 0)
			continue;
		n = recv_to(pfd.fd, buf, sizeof(buf), &sa, &to);
		if (n <= 0 || memcmp(&sa.sin6_addr, f.map, 16) ||
		    memcmp(&to, f.lcoa, 16))
			continue;
		if (cbu_msg_decode(&m, buf, (size_t)n, NULL, &why) ||
		    m.type != CBU_MH_BA || !m.has_nonce || !m.has_hoa ||
		    memcmp(m.hoa, f.hoa, CBU_ADDR_LEN))
			continue;
		cbu_hmip_from_ba(&g, &m, f.map, f.lcoa, f.rcoa, f.ga);
		printf("status=%u seq=%u lifetime=%u", m.status, m.seq,
		       m.lifetime);
		print_hex("nonce", m.nonce, sizeof(m.nonce));
		printf(" auth=%s ok=%d", m.has_auth ? "mac" : "sig",
		       ba_ok(&m, &g, has_klba ? klba : NULL));
		if (m.has_dh && dh && !cbu_dh_shared(k_dh, a, m.dh)) {
			cbu_kdf_lba(klba, k_dh, f.n_map, f.ga, m.dh);
			print_hex("klba", klba, sizeof(klba));
		}
		printf("\n");
		return 0;
	}
	printf("no BA\n");
	return EXIT_NO_BA;
}
