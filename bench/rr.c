// SPDX-License-Identifier: GPL-2.0
/*
 * cbu-rr - Mobile IPv6's Return Routability (RFC 6275 5.2, 6.1.3-6.1.6),
 * both halves, as the handover benchmark's baseline: the message sequence
 * a mobile node runs with a correspondent after a move, timed over the
 * same paths as cbu's BU.
 *
 *   cbu-rr cn ADDR IFACE
 *	The correspondent at ADDR: answers HoTI with HoT and CoTI with CoT
 *	(keygen tokens from Kcn and its nonces), checks a BU's Binding
 *	Authorization Data and answers with a BA carrying its own, until
 *	killed.
 *   cbu-rr mn HOA COA CN IFACE [ count N ]
 *	The mobile node at COA on IFACE: N times (default 1)
 *	  full:    HoTI (from HOA, so through the home tunnel) and CoTI
 *		   (from COA, direct) at once, HoT and CoT back, then BU/BA;
 *	  care-of: CoTI/CoT alone, the home keygen token kept from the full
 *		   run (RFC 6275 5.2.7 lets it be reused), then BU/BA;
 *	printing "rr full_us=N coa_us=N" for each, and their parts: when
 *	HoT and CoT came and the BU/BA of the full run (hot_us, cot_us,
 *	bu_ba_us), the same of the care-of run (coa_cot_us, coa_bu_ba_us).
 *
 *   home keygen token    = First(64, HMAC_SHA1(Kcn, HoA | nonce | 0))
 *   care-of keygen token = First(64, HMAC_SHA1(Kcn, CoA | nonce | 1))
 *   Kbm = SHA1(home keygen token | care-of keygen token)
 *   Authenticator = First(96, HMAC_SHA1(Kbm, CoA | CN | MH Data)),
 *   MH Data the MH up to the authenticator, its checksum taken as zero
 *
 * The BU carries a Home Address option and the BA a type 2 routing header,
 * as RFC 6275 has them.  Linux drops both without an xfrm state to match
 * (NOTES "Linux facts"), so each half reads them off a packet socket
 * (mhcap.h) before the stack does; HoT (out of the home tunnel) and CoT
 * reach the mobile node's raw MH socket as any MH does.
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

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "bench/mhcap.h"
#include "kernel/mh.h"
#include "lib/crypto.h"
#include "lib/msg.h"
#include "lib/pkt.h"

#define EXIT_TIMEOUT	3

/* RFC 6275 6.1: the Return Routability messages. */
enum rr_type {
	RR_HOTI = 1,
	RR_COTI = 2,
	RR_HOT = 3,
	RR_COT = 4,
};

#define RR_COOKIE_LEN	8
#define RR_TOKEN_LEN	8
#define RR_NONCE_LEN	8
#define RR_KCN_LEN	20
#define RR_KBM_LEN	SHA_DIGEST_LENGTH
#define RR_AUTH_LEN	12		/* First(96, ...) */
#define RR_NONCES	8
#define RR_NONCE_PERIOD	30		/* seconds a nonce index is handed out */
#define RR_INIT_LEN	16		/* HoTI, CoTI */
#define RR_TEST_LEN	24		/* HoT, CoT */
#define RR_BIND_LEN	32		/* BU, BA with their options */
#define RR_LIFETIME	60		/* 4-second units asked and granted */
#define RR_WAIT_MS	5000
#define RH2_LEN		24

static void die(const char *what)
{
	fprintf(stderr, "cbu-rr: %s\n", what);
	exit(1);
}

static void mh_init(uint8_t *mh, size_t len, uint8_t type)
{
	memset(mh, 0, len);
	mh[0] = CBU_IPPROTO_NONE;
	mh[1] = (uint8_t)(len / 8 - 1);
	mh[2] = type;
}

/* First(64, HMAC_SHA1(Kcn, addr | nonce | which)) */
static void keygen_token(uint8_t out[RR_TOKEN_LEN],
			 const uint8_t kcn[RR_KCN_LEN], const uint8_t *addr,
			 const uint8_t nonce[RR_NONCE_LEN], uint8_t which)
{
	uint8_t in[16 + RR_NONCE_LEN + 1], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	memcpy(in, addr, 16);
	memcpy(in + 16, nonce, RR_NONCE_LEN);
	in[16 + RR_NONCE_LEN] = which;
	HMAC(EVP_sha1(), kcn, RR_KCN_LEN, in, sizeof(in), md, &mdlen);
	memcpy(out, md, RR_TOKEN_LEN);
	OPENSSL_cleanse(md, sizeof(md));
}

/* Kbm = SHA1(home keygen token | care-of keygen token) */
static void kbm_derive(uint8_t kbm[RR_KBM_LEN], const uint8_t *home,
		       const uint8_t *careof)
{
	uint8_t in[2 * RR_TOKEN_LEN];

	memcpy(in, home, RR_TOKEN_LEN);
	memcpy(in + RR_TOKEN_LEN, careof, RR_TOKEN_LEN);
	SHA1(in, sizeof(in), kbm);
	OPENSSL_cleanse(in, sizeof(in));
}

/*
 * The authenticator of a BU or BA of RR_BIND_LEN octets whose Binding
 * Authorization Data ends it: over CoA | CN | the MH before the
 * authenticator, the checksum as zero.
 */
static void bind_auth(uint8_t out[RR_AUTH_LEN], const uint8_t kbm[RR_KBM_LEN],
		      const uint8_t *coa, const uint8_t *cn, const uint8_t *mh)
{
	uint8_t in[32 + RR_BIND_LEN - RR_AUTH_LEN], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	memcpy(in, coa, 16);
	memcpy(in + 16, cn, 16);
	memcpy(in + 32, mh, RR_BIND_LEN - RR_AUTH_LEN);
	in[32 + 4] = 0;
	in[32 + 5] = 0;
	HMAC(EVP_sha1(), kbm, RR_KBM_LEN, in, sizeof(in), md, &mdlen);
	memcpy(out, md, RR_AUTH_LEN);
	OPENSSL_cleanse(md, sizeof(md));
}

/* Options of a BU or BA: at 12, then the authenticator's at 18 (8n+2). */
#define OPT_OFF		12
#define AUTH_OPT_OFF	18

static void send_pkt(int fd, const uint8_t *pkt, int len)
{
	int ret;

	if (len < 0)
		die("cannot build");
	ret = cbu_pkt_send(fd, pkt, (size_t)len);
	if (ret && ret != -ENOBUFS)
		die(strerror(-ret));
}

/* --- the correspondent ---------------------------------------------------- */

static struct {
	struct in6_addr addr;
	uint8_t kcn[RR_KCN_LEN];
	uint8_t nonce[RR_NONCES][RR_NONCE_LEN];
	uint64_t started;
	int raw;
	unsigned long hot, cot, ba, bad;
} cn;

static uint16_t cn_nonce_index(void)
{
	return (uint16_t)((time(NULL) - (time_t)cn.started) / RR_NONCE_PERIOD %
			  RR_NONCES);
}

/* HoTI or CoTI: HoT or CoT to where it came from, the same cookie. */
static void cn_test(const struct mhcap *c)
{
	uint8_t mh[RR_TEST_LEN], pkt[40 + RR_TEST_LEN];
	bool home = c->mh[2] == RR_HOTI;
	uint16_t idx = cn_nonce_index();

	if (c->len != RR_INIT_LEN)
		return;
	mh_init(mh, sizeof(mh), home ? RR_HOT : RR_COT);
	cbu_put_be16(mh + 6, idx);
	memcpy(mh + 8, c->mh + 8, RR_COOKIE_LEN);
	keygen_token(mh + 16, cn.kcn, c->src.s6_addr, cn.nonce[idx],
		     home ? 0 : 1);
	send_pkt(cn.raw, pkt, cbu_pkt_build(pkt, sizeof(pkt), cn.addr.s6_addr,
					    c->src.s6_addr, NULL, mh,
					    sizeof(mh)));
	if (home)
		cn.hot++;
	else
		cn.cot++;
}

/* BU from CoA with the HoA: check it, answer with a BA to CoA (RH2 HoA). */
static void cn_bu(const struct mhcap *c)
{
	uint8_t home[RR_TOKEN_LEN], careof[RR_TOKEN_LEN], kbm[RR_KBM_LEN];
	uint8_t auth[RR_AUTH_LEN], mh[RR_BIND_LEN];
	uint8_t pkt[40 + RH2_LEN + RR_BIND_LEN], *p = pkt;
	const uint8_t *bu = c->mh;
	uint16_t hidx, cidx;
	struct cbu_pseudo ph;

	if (!c->has_hoa || c->len != RR_BIND_LEN ||
	    bu[OPT_OFF] != CBU_MOPT_NONCE_IDX || bu[OPT_OFF + 1] != 4 ||
	    bu[AUTH_OPT_OFF] != CBU_MOPT_AUTH ||
	    bu[AUTH_OPT_OFF + 1] != RR_AUTH_LEN)
		return;
	hidx = cbu_get_be16(bu + OPT_OFF + 2);
	cidx = cbu_get_be16(bu + OPT_OFF + 4);
	if (hidx >= RR_NONCES || cidx >= RR_NONCES)
		return;
	keygen_token(home, cn.kcn, c->hoa.s6_addr, cn.nonce[hidx], 0);
	keygen_token(careof, cn.kcn, c->src.s6_addr, cn.nonce[cidx], 1);
	kbm_derive(kbm, home, careof);
	bind_auth(auth, kbm, c->src.s6_addr, cn.addr.s6_addr, bu);
	if (CRYPTO_memcmp(auth, bu + AUTH_OPT_OFF + 2, RR_AUTH_LEN)) {
		cn.bad++;
		OPENSSL_cleanse(kbm, sizeof(kbm));
		return;
	}

	/* BA: status 0, the BU's Seq#, PadN(4), then the authenticator. */
	mh_init(mh, sizeof(mh), CBU_MH_BA);
	memcpy(mh + 8, bu + 6, 2);
	cbu_put_be16(mh + 10, RR_LIFETIME);
	mh[OPT_OFF] = CBU_MOPT_PADN;
	mh[OPT_OFF + 1] = 4;
	mh[AUTH_OPT_OFF] = CBU_MOPT_AUTH;
	mh[AUTH_OPT_OFF + 1] = RR_AUTH_LEN;
	bind_auth(mh + AUTH_OPT_OFF + 2, kbm, c->src.s6_addr,
		  cn.addr.s6_addr, mh);
	OPENSSL_cleanse(kbm, sizeof(kbm));

	/* IPv6 to the CoA, the type 2 routing header naming the HoA. */
	memset(pkt, 0, 40 + RH2_LEN);
	p[0] = 0x60;
	cbu_put_be16(p + 4, RH2_LEN + RR_BIND_LEN);
	p[6] = 43;
	p[7] = 64;
	memcpy(p + 8, &cn.addr, 16);
	memcpy(p + 24, &c->src, 16);
	p += 40;
	p[0] = CBU_IPPROTO_MH;
	p[1] = 2;
	p[2] = 2;
	p[3] = 1;
	memcpy(p + 8, &c->hoa, 16);
	p += RH2_LEN;
	memcpy(ph.src, &cn.addr, 16);
	memcpy(ph.dst, &c->hoa, 16);
	cbu_mh_set_checksum(mh, sizeof(mh), &ph);
	memcpy(p, mh, sizeof(mh));
	send_pkt(cn.raw, pkt, (int)sizeof(pkt));
	cn.ba++;
}

static int run_cn(int argc, char **argv)
{
	uint8_t buf[2048];
	struct pollfd pfd[2];
	struct mhcap c;
	int cap, mhfd, r;

	if (argc != 4 || inet_pton(AF_INET6, argv[2], &cn.addr) != 1)
		die("usage: cbu-rr cn ADDR IFACE");
	cap = mhcap_open(argv[3]);
	if (cap < 0)
		die(strerror(-cap));
	cn.raw = cbu_pkt_socket();
	if (cn.raw < 0)
		die(strerror(-cn.raw));
	/* Listening, so that the stack does not answer MH as unknown. */
	mhfd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK, CBU_IPPROTO_MH);
	if (mhfd < 0)
		die(strerror(errno));
	cbu_random(cn.kcn, sizeof(cn.kcn));
	cbu_random(&cn.nonce[0][0], sizeof(cn.nonce));
	cn.started = (uint64_t)time(NULL);
	/* OpenSSL's first use loads its providers: not in the first HoT. */
	keygen_token(buf, cn.kcn, cn.addr.s6_addr, cn.nonce[0], 0);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("cbu-rr: correspondent %s ready\n", argv[2]);

	pfd[0] = (struct pollfd){ .fd = cap, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = mhfd, .events = POLLIN };
	for (;;) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			die(strerror(errno));
		while (recv(mhfd, buf, sizeof(buf), 0) > 0)
			;
		while ((r = mhcap_read(cap, buf, sizeof(buf), &c)) >= 0) {
			if (!r || memcmp(&c.dst, &cn.addr, 16))
				continue;
			if (c.mh[2] == RR_HOTI || c.mh[2] == RR_COTI)
				cn_test(&c);
			else if (c.mh[2] == CBU_MH_BU)
				cn_bu(&c);
		}
	}
	return 0;
}

/* --- the mobile node ------------------------------------------------------ */

static struct {
	struct in6_addr hoa, coa, cn;
	int mh, raw, cap;
	uint16_t seq;
	/* The home keygen token and its nonce index, for the care-of run. */
	uint8_t home[RR_TOKEN_LEN];
	uint16_t home_idx;
} mn;

/* HoTI from the HoA (the home tunnel takes it) or CoTI from the CoA. */
static void mn_init_send(bool home, const uint8_t cookie[RR_COOKIE_LEN])
{
	uint8_t mh[RR_INIT_LEN];
	int ret;

	mh_init(mh, sizeof(mh), home ? RR_HOTI : RR_COTI);
	memcpy(mh + 8, cookie, RR_COOKIE_LEN);
	ret = cbu_mh_send(mn.mh, home ? &mn.hoa : &mn.coa, &mn.cn, mh,
			  sizeof(mh));
	if (ret)
		die(strerror(-ret));
}

/*
 * Wait for HoT (if @home) and CoT answering our cookies; their tokens and
 * nonce indices to @tok and @idx, when they came to @at ([0] home, [1]
 * care-of).  0 or -1.
 */
static int mn_wait_tests(bool home, const uint8_t cookies[2][RR_COOKIE_LEN],
			 uint8_t tok[2][RR_TOKEN_LEN], uint16_t idx[2],
			 uint64_t at[2])
{
	uint64_t end = mhcap_now_ns() + RR_WAIT_MS * 1000000ULL;
	bool need[2] = { home, true };
	struct pollfd pfd = { .fd = mn.mh, .events = POLLIN };
	struct sockaddr_in6 from;
	socklen_t sl;
	uint8_t buf[256];
	ssize_t n;
	int w;

	while (need[0] || need[1]) {
		uint64_t now = mhcap_now_ns();

		if (now >= end)
			return -1;
		if (poll(&pfd, 1, (int)((end - now) / 1000000) + 1) <= 0)
			continue;
		sl = sizeof(from);
		n = recvfrom(mn.mh, buf, sizeof(buf), MSG_DONTWAIT,
			     (struct sockaddr *)&from, &sl);
		if (n != RR_TEST_LEN || memcmp(&from.sin6_addr, &mn.cn, 16) ||
		    (buf[2] != RR_HOT && buf[2] != RR_COT))
			continue;
		w = buf[2] == RR_HOT ? 0 : 1;
		if (!need[w] || memcmp(buf + 8, cookies[w], RR_COOKIE_LEN))
			continue;
		idx[w] = cbu_get_be16(buf + 6);
		memcpy(tok[w], buf + 16, RR_TOKEN_LEN);
		at[w] = mhcap_now_ns();
		need[w] = false;
	}
	return 0;
}

/* BU with Nonce Indices and its authenticator; wait for the BA.  0/-1. */
static int mn_bind(const uint8_t kbm[RR_KBM_LEN], const uint16_t idx[2])
{
	uint8_t mh[RR_BIND_LEN], pkt[CBU_PKT_MAX], buf[2048];
	uint8_t auth[RR_AUTH_LEN];
	uint64_t end = mhcap_now_ns() + RR_WAIT_MS * 1000000ULL;
	struct pollfd pfd = { .fd = mn.cap, .events = POLLIN };
	struct mhcap c;
	int r;

	mh_init(mh, sizeof(mh), CBU_MH_BU);
	cbu_put_be16(mh + 6, ++mn.seq);
	cbu_put_be16(mh + 8, CBU_BU_F_A);
	cbu_put_be16(mh + 10, RR_LIFETIME);
	mh[OPT_OFF] = CBU_MOPT_NONCE_IDX;
	mh[OPT_OFF + 1] = 4;
	cbu_put_be16(mh + OPT_OFF + 2, idx[0]);
	cbu_put_be16(mh + OPT_OFF + 4, idx[1]);
	mh[AUTH_OPT_OFF] = CBU_MOPT_AUTH;
	mh[AUTH_OPT_OFF + 1] = RR_AUTH_LEN;
	bind_auth(mh + AUTH_OPT_OFF + 2, kbm, mn.coa.s6_addr, mn.cn.s6_addr,
		  mh);
	send_pkt(mn.raw, pkt, cbu_pkt_build(pkt, sizeof(pkt), mn.coa.s6_addr,
					    mn.cn.s6_addr, mn.hoa.s6_addr, mh,
					    sizeof(mh)));

	while (mhcap_now_ns() < end) {
		if (poll(&pfd, 1, 100) <= 0)
			continue;
		while ((r = mhcap_read(mn.cap, buf, sizeof(buf), &c)) >= 0) {
			if (!r || c.mh[2] != CBU_MH_BA || c.len != RR_BIND_LEN ||
			    memcmp(&c.src, &mn.cn, 16) ||
			    memcmp(&c.dst, &mn.coa, 16) ||
			    cbu_get_be16(c.mh + 8) != mn.seq || c.mh[6] != 0)
				continue;
			bind_auth(auth, kbm, mn.coa.s6_addr, mn.cn.s6_addr,
				  c.mh);
			if (!CRYPTO_memcmp(auth, c.mh + AUTH_OPT_OFF + 2,
					   RR_AUTH_LEN))
				return 0;
		}
	}
	return -1;
}

/*
 * One Return Routability procedure and its BU/BA: microseconds from the
 * first message to the BA, or -1; to @parts, from the first message to
 * HoT (0 without it) and to CoT, and from the BU to the BA.
 */
static long mn_run(bool home, long parts[3])
{
	uint8_t cookies[2][RR_COOKIE_LEN], tok[2][RR_TOKEN_LEN];
	uint8_t kbm[RR_KBM_LEN];
	uint64_t t0, t1, at[2] = { 0, 0 };
	uint16_t idx[2];
	int ret;

	cbu_random(&cookies[0][0], sizeof(cookies));
	t0 = mhcap_now_ns();
	if (home)
		mn_init_send(true, cookies[0]);
	mn_init_send(false, cookies[1]);
	if (mn_wait_tests(home, cookies, tok, idx, at))
		return -1;
	parts[0] = home ? (long)((at[0] - t0) / 1000) : 0;
	parts[1] = (long)((at[1] - t0) / 1000);
	if (home) {
		memcpy(mn.home, tok[0], RR_TOKEN_LEN);
		mn.home_idx = idx[0];
	}
	idx[0] = mn.home_idx;
	kbm_derive(kbm, mn.home, tok[1]);
	t1 = mhcap_now_ns();
	ret = mn_bind(kbm, idx);
	OPENSSL_cleanse(kbm, sizeof(kbm));
	if (ret)
		return -1;
	parts[2] = (long)((mhcap_now_ns() - t1) / 1000);
	return (long)((mhcap_now_ns() - t0) / 1000);
}

static int run_mn(int argc, char **argv)
{
	uint8_t tok[2][RR_TOKEN_LEN], kbm[RR_KBM_LEN], auth[RR_AUTH_LEN];
	uint8_t mh[RR_BIND_LEN] = { 0 };
	unsigned long count = 1, i;
	long full, coa, fp[3], cp[3];

	if ((argc != 6 && argc != 8) ||
	    inet_pton(AF_INET6, argv[2], &mn.hoa) != 1 ||
	    inet_pton(AF_INET6, argv[3], &mn.coa) != 1 ||
	    inet_pton(AF_INET6, argv[4], &mn.cn) != 1)
		die("usage: cbu-rr mn HOA COA CN IFACE [ count N ]");
	if (argc == 8) {
		if (strcmp(argv[6], "count"))
			die("bad argument");
		count = strtoul(argv[7], NULL, 0);
	}
	mn.cap = mhcap_open(argv[5]);
	if (mn.cap < 0)
		die(strerror(-mn.cap));
	mn.raw = cbu_pkt_socket();
	if (mn.raw < 0)
		die(strerror(-mn.raw));
	mn.mh = socket(AF_INET6, SOCK_RAW, CBU_IPPROTO_MH);
	if (mn.mh < 0)
		die(strerror(errno));
	cbu_random((uint8_t *)&mn.seq, sizeof(mn.seq));
	/*
	 * OpenSSL loads its configuration and providers on first use, tens
	 * of milliseconds under TCG: before the clock, not in RR's time.
	 */
	memset(tok, 0, sizeof(tok));
	kbm_derive(kbm, tok[0], tok[1]);
	bind_auth(auth, kbm, mn.hoa.s6_addr, mn.cn.s6_addr, mh);

	for (i = 0; i < count; i++) {
		full = mn_run(true, fp);
		coa = full < 0 ? -1 : mn_run(false, cp);
		if (full < 0 || coa < 0) {
			printf("rr: no answer within %d ms\n", RR_WAIT_MS);
			return EXIT_TIMEOUT;
		}
		printf("rr full_us=%ld coa_us=%ld hot_us=%ld cot_us=%ld bu_ba_us=%ld coa_cot_us=%ld coa_bu_ba_us=%ld\n",
		       full, coa, fp[0], fp[1], fp[2], cp[1], cp[2]);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (cbu_crypto_init())
		die("libsodium");
	if (argc > 1 && !strcmp(argv[1], "cn"))
		return run_cn(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "mn"))
		return run_mn(argc, argv);
	die("usage: cbu-rr { cn ADDR IFACE | mn HOA COA CN IFACE [ count N ] }");
	return 1;
}
