// SPDX-License-Identifier: GPL-2.0
/*
 * mh-send - a test tool: build BUs, BAs, BCs or any MH with cbu's encoder
 * and send them as whole IPv6 packets (tools/lib/pkt.c), so that the
 * selftests can check what goes on the wire against dissectors nobody here
 * wrote, and load the receive path.
 *
 *   mh-send SRC DST bu HOA SEQ LIFETIME KEY [COUNT [STEP]]
 *       BU from SRC (the CoA) with a HAO; COUNT of them, Seq# SEQ, then
 *       SEQ + STEP (default 1), ...
 *   mh-send SRC DST bu-race HOA SEQ LIFETIME KEY COUNT SRC2
 *       COUNT BUs from SRC and SRC2 (two CoAs) at once, from two threads
 *       on CPUs 0 and 1 that take their Seq# from one counter: nearly
 *       every BU moves the binding, and the moves meet on both CPUs
 *   mh-send SRC DST bu-hoas HOA N SEQ LIFETIME KEY
 *       one BU for each of the N home addresses HOA, HOA + 1, ...
 *   mh-send SRC DST ba SEQ LIFETIME LT_EN KEY
 *       BA from SRC (the CN) to DST (the CoA)
 *   mh-send SRC DST bc HOA SEQ KEY [COUNT]
 *       BC from SRC (the CoA), HAO
 *   mh-send SRC DST raw HEX [COUNT [badsum]]
 *       the MH HEX as given, its checksum filled in (wrong, with badsum)
 *   mh-send SRC DST packet HEX [COUNT]
 *       the whole IPv6 packet HEX as given (a captured one: a replay),
 *       header and checksum untouched; its source and destination must
 *       be SRC and DST
 *   mh-send SRC DST raw-srcs HEX N [COUNT]
 *       the MH HEX from N sources, SRC, SRC + 1, ... (their last 16
 *       bits counted up), in turn, COUNT rounds (default 1)
 *   mh-send SRC DST data HOA [COUNT]
 *       packets with a Home Address option and no upper layer
 *   mh-send SRC DST hmip-bu RCOA HOA HA SEQ LIFETIME [COUNT [nosig]]
 *       local BU (HMIPv6, M and A flags) from SRC (the LCoA) to DST (the
 *       MAP), its HAO the RCoA, with the options of wire-format.md 9.7:
 *       HoA, NONCE, HA, SIG, CERT (nonce, signature and certificate are
 *       filler: cbu.ko checks their presence and form, the agent the
 *       rest); with nosig, RFC 5380's own, without any CBU option
 *   mh-send SRC DST map-ba HOA SEQ LIFETIME
 *       BA from SRC (the MAP) to DST (the LCoA) with HoA, NONCE and a
 *       filler Binding Authorization Data: a MAP's, for the MN's agent
 *
 * KEY is k_BU or k_BA as 64 hex digits (a test key, so argv is fine here).
 * The first MH sent is printed in hex on stdout.
 */
#define _GNU_SOURCE		/* sched_setaffinity() */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "kernel/mh.h"
#include "lib/crypto.h"
#include "lib/msg.h"
#include "lib/pkt.h"

static void die(const char *what)
{
	fprintf(stderr, "mh-send: %s\n", what);
	exit(1);
}

static void addr(const char *s, uint8_t out[16])
{
	if (inet_pton(AF_INET6, s, out) != 1)
		die("bad IPv6 address");
}

static uint16_t num16(const char *s)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > 0xffff)
		die("bad 16-bit number");
	return (uint16_t)v;
}

static void key(const char *s, uint8_t out[CBU_KEY_LEN])
{
	size_t n;

	if (sodium_hex2bin(out, CBU_KEY_LEN, s, strlen(s), NULL, &n, NULL) ||
	    n != CBU_KEY_LEN)
		die("bad key: 64 hex digits");
}

static unsigned long num(const char *s, unsigned long max)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || v > max)
		die("bad number");
	return v;
}

struct sender {
	uint8_t src[16], dst[16];
	int fd;
	bool printed, badsum;
};

/*
 * Send @mh (of @len octets, checksum filled in here, or its complement
 * with s->badsum) after a HAO of @hao.
 */
static void send_mh(struct sender *s, const uint8_t *hao, const uint8_t *mh,
		    size_t len, bool no_upper)
{
	uint8_t pkt[CBU_PKT_MAX];
	int plen, i;

	plen = cbu_pkt_build(pkt, sizeof(pkt), s->src, s->dst, hao, mh, len);
	if (plen < 0)
		die("packet too large");
	if (no_upper)
		pkt[40] = CBU_IPPROTO_NONE;	/* the HAO header's next header */
	if (s->badsum)
		pkt[plen - len + 4] ^= 0xff;
	if (cbu_pkt_send(s->fd, pkt, (size_t)plen) < 0)
		die(strerror(errno));
	if (s->printed)
		return;
	/* The MH as sent, checksum included. */
	for (i = plen - (int)len; i < plen; i++)
		printf("%02x", pkt[i]);
	printf("\n");
	s->printed = true;
}

static void send_msg(struct sender *s, const uint8_t *hao,
		     const struct cbu_msg *m)
{
	uint8_t mh[CBU_MH_MAX_LEN];
	const char *why;
	int len;

	len = cbu_msg_encode(m, mh, sizeof(mh), &why);
	if (len < 0)
		die(why);
	send_mh(s, hao, mh, (size_t)len, false);
}

/* Filler of a test: a pattern, never a key. */
static void filler(uint8_t *p, size_t len, uint8_t seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i);
}

static void send_hmip_bu(struct sender *s, const uint8_t rcoa[16],
			 const uint8_t hoa[16], const uint8_t ha[16],
			 uint16_t seq, uint16_t lifetime, bool sig)
{
	/* RFC 5380's: the fixed part and PadN(2), 16 octets. */
	uint8_t mh[16] = { CBU_IPPROTO_NONE, 1, CBU_MH_BU };
	struct cbu_msg m;

	if (!sig) {
		cbu_put_be16(mh + 6, seq);
		cbu_put_be16(mh + 8, CBU_BU_F_A | CBU_BU_F_M);
		cbu_put_be16(mh + 10, lifetime);
		mh[12] = 1;	/* PadN */
		mh[13] = 2;
		send_mh(s, rcoa, mh, sizeof(mh), false);
		return;
	}
	cbu_msg_init(&m, CBU_MH_BU, 0);
	m.seq = seq;
	m.lifetime = lifetime;
	m.flags = CBU_BU_F_A | CBU_BU_F_M;
	m.has_hoa = true;
	memcpy(m.hoa, hoa, sizeof(m.hoa));
	m.has_nonce = true;
	filler(m.nonce, sizeof(m.nonce), 0x10);
	m.has_ha = true;
	memcpy(m.ha, ha, sizeof(m.ha));
	m.has_sig = true;
	filler(m.sig, sizeof(m.sig), 0x40);
	m.cert_len = 64;
	filler(m.cert, m.cert_len, 0xc0);
	send_msg(s, rcoa, &m);
}

static void send_bu(struct sender *s, const uint8_t hoa[16], uint16_t seq,
		    uint16_t lifetime, const uint8_t k[CBU_KEY_LEN])
{
	struct cbu_msg m;

	cbu_msg_init(&m, CBU_MH_BU, 0);
	m.seq = seq;
	m.lifetime = lifetime;
	m.flags = CBU_BU_F_A;
	m.has_auth = true;
	cbu_mac_bu(m.auth, k, hoa, s->src, m.seq, m.lifetime);
	send_msg(s, hoa, &m);
}

/* bu-race: two senders, one Seq# counter. */
struct racer {
	struct sender s;
	const uint8_t *hoa, *k;
	uint16_t lifetime;
	int cpu;
	atomic_ulong *next;
	unsigned long last;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	cpu_set_t set;
	unsigned long n;

	CPU_ZERO(&set);
	CPU_SET(r->cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);	/* best effort */
	while ((n = atomic_fetch_add(r->next, 1)) < r->last)
		send_bu(&r->s, r->hoa, (uint16_t)n, r->lifetime, r->k);
	return NULL;
}

int main(int argc, char **argv)
{
	uint8_t hoa[16], k[CBU_KEY_LEN], mh[CBU_MH_MAX_LEN];
	struct sender s = { .printed = false };
	unsigned long count = 1, step = 1, i;
	const char *mode;
	struct cbu_msg m;
	uint32_t low;
	uint16_t seq;
	size_t n;

	if (argc < 4 || cbu_crypto_init())
		die("usage: mh-send SRC DST { bu | bu-race | bu-hoas | ba | bc | raw | packet | raw-srcs | data | hmip-bu | map-ba } ...");
	addr(argv[1], s.src);
	addr(argv[2], s.dst);
	mode = argv[3];
	s.fd = cbu_pkt_socket();
	if (s.fd < 0)
		die(strerror(-s.fd));

	if (!strcmp(mode, "bu") && argc >= 8 && argc <= 10) {
		addr(argv[4], hoa);
		seq = num16(argv[5]);
		key(argv[7], k);
		if (argc > 8)
			count = num(argv[8], ULONG_MAX);
		if (argc > 9)
			step = num(argv[9], 0xffff);
		for (i = 0; i < count; i++, seq += step)
			send_bu(&s, hoa, seq, num16(argv[6]), k);
	} else if (!strcmp(mode, "bu-race") && argc == 10) {
		struct racer r[2];
		atomic_ulong next;
		pthread_t t;
		int j;

		addr(argv[4], hoa);
		key(argv[7], k);
		atomic_init(&next, num16(argv[5]));
		for (j = 0; j < 2; j++) {
			r[j].s = s;
			r[j].s.printed = true;
			if (j) {
				addr(argv[9], r[j].s.src);
				r[j].s.fd = cbu_pkt_socket();
				if (r[j].s.fd < 0)
					die(strerror(-r[j].s.fd));
			}
			r[j].hoa = hoa;
			r[j].k = k;
			r[j].lifetime = num16(argv[6]);
			r[j].cpu = j;
			r[j].next = &next;
			r[j].last = num16(argv[5]) + num(argv[8], 0x7fff);
		}
		if (pthread_create(&t, NULL, race, &r[1]))
			die("pthread_create");
		race(&r[0]);
		pthread_join(t, NULL);
		close(r[1].s.fd);
	} else if (!strcmp(mode, "bu-hoas") && argc == 9) {
		addr(argv[4], hoa);
		count = num(argv[5], UINT32_MAX);
		key(argv[8], k);
		memcpy(&low, hoa + 12, 4);
		for (i = 0; i < count; i++) {
			uint32_t v = htonl(ntohl(low) + (uint32_t)i);

			memcpy(hoa + 12, &v, 4);
			send_bu(&s, hoa, num16(argv[6]), num16(argv[7]), k);
		}
	} else if (!strcmp(mode, "ba") && argc == 8) {
		key(argv[7], k);
		cbu_msg_init(&m, CBU_MH_BA, 0);
		m.status = CBU_BA_ACCEPTED;
		m.seq = num16(argv[4]);
		m.lifetime = num16(argv[5]);
		m.has_lt_en = true;
		m.lt_en = num16(argv[6]);
		m.has_auth = true;
		cbu_mac_ba(m.auth, k, s.dst, s.src, m.seq, m.lifetime, m.lt_en);
		send_msg(&s, NULL, &m);
	} else if (!strcmp(mode, "bc") && (argc == 7 || argc == 8)) {
		addr(argv[4], hoa);
		key(argv[6], k);
		seq = num16(argv[5]);
		if (argc > 7)
			count = num(argv[7], ULONG_MAX);
		cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_BC);
		m.body.bc.seq = htons(seq);
		m.body.bc.flag = CBU_BC_CONFIRM;
		m.has_auth = true;
		cbu_mac_bc(m.auth, k, hoa, s.src, seq, CBU_BC_CONFIRM);
		for (i = 0; i < count; i++)
			send_msg(&s, hoa, &m);
	} else if (!strcmp(mode, "raw") && argc >= 5 && argc <= 7) {
		if (sodium_hex2bin(mh, sizeof(mh), argv[4], strlen(argv[4]),
				   NULL, &n, NULL) || n < 8)
			die("bad MH: hex, 8 octets at least");
		if (argc > 5)
			count = num(argv[5], ULONG_MAX);
		if (argc > 6) {
			if (strcmp(argv[6], "badsum"))
				die("raw: badsum or nothing");
			s.badsum = true;
		}
		for (i = 0; i < count; i++)
			send_mh(&s, NULL, mh, n, false);
	} else if (!strcmp(mode, "packet") && (argc == 5 || argc == 6)) {
		uint8_t pkt[CBU_PKT_MAX];

		if (sodium_hex2bin(pkt, sizeof(pkt), argv[4], strlen(argv[4]),
				   NULL, &n, NULL) || n < 40 ||
		    (pkt[0] >> 4) != 6 || n != 40 + (size_t)(pkt[4] << 8 | pkt[5]))
			die("bad packet: hex, an IPv6 header and its payload length");
		if (memcmp(pkt + 8, s.src, 16) || memcmp(pkt + 24, s.dst, 16))
			die("the packet's source and destination are not SRC and DST");
		if (argc > 5)
			count = num(argv[5], ULONG_MAX);
		for (i = 0; i < count; i++)
			if (cbu_pkt_send(s.fd, pkt, n) < 0)
				die(strerror(errno));
	} else if (!strcmp(mode, "raw-srcs") && (argc == 6 || argc == 7)) {
		unsigned long j, nsrc = num(argv[5], 0xffff);
		uint16_t base = (uint16_t)(s.src[14] << 8 | s.src[15]);

		if (sodium_hex2bin(mh, sizeof(mh), argv[4], strlen(argv[4]),
				   NULL, &n, NULL) || n < 8)
			die("bad MH: hex, 8 octets at least");
		if (argc > 6)
			count = num(argv[6], ULONG_MAX);
		for (i = 0; i < count; i++) {
			for (j = 0; j < nsrc; j++) {
				uint16_t v = (uint16_t)(base + j);

				s.src[14] = (uint8_t)(v >> 8);
				s.src[15] = (uint8_t)v;
				send_mh(&s, NULL, mh, n, false);
			}
		}
	} else if (!strcmp(mode, "hmip-bu") && argc >= 9 && argc <= 11) {
		uint8_t rcoa[16], ha[16];

		addr(argv[4], rcoa);
		addr(argv[5], hoa);
		addr(argv[6], ha);
		if (argc > 9)
			count = num(argv[9], ULONG_MAX);
		if (argc > 10 && strcmp(argv[10], "nosig"))
			die("hmip-bu: nosig or nothing");
		for (i = 0, seq = num16(argv[7]); i < count; i++, seq++)
			send_hmip_bu(&s, rcoa, hoa, ha, seq, num16(argv[8]),
				     argc <= 10);
	} else if (!strcmp(mode, "map-ba") && argc == 7) {
		cbu_msg_init(&m, CBU_MH_BA, 0);
		m.status = CBU_BA_ACCEPTED;
		m.seq = num16(argv[5]);
		m.lifetime = num16(argv[6]);
		m.has_hoa = true;
		addr(argv[4], m.hoa);
		m.has_nonce = true;
		filler(m.nonce, sizeof(m.nonce), 0x10);
		m.has_auth = true;
		filler(m.auth, sizeof(m.auth), 0x80);
		send_msg(&s, NULL, &m);
	} else if (!strcmp(mode, "data") && (argc == 5 || argc == 6)) {
		addr(argv[4], hoa);
		if (argc > 5)
			count = num(argv[5], ULONG_MAX);
		/* Eight octets after a header that says nothing follows. */
		memset(mh, 0, 8);
		for (i = 0; i < count; i++)
			send_mh(&s, hoa, mh, 8, true);
	} else {
		die("usage: mh-send SRC DST { bu | bu-race | bu-hoas | ba | bc | raw | packet | raw-srcs | data | hmip-bu | map-ba } ...");
	}
	sodium_memzero(k, sizeof(k));
	close(s.fd);
	return 0;
}
