// SPDX-License-Identifier: GPL-2.0
/*
 * mh-pcap - a test tool: every message cbu puts on the wire, built by
 * cbu's encoder (tools/lib/msg.c) into whole IPv6 packets
 * (tools/lib/pkt.c), written to a pcap file, so that
 * tools/testing/unit/dissector_test.sh can check what Wireshark's
 * dissectors and tools/wireshark/cbu.lua make of them.  No socket, no
 * privilege.
 *
 *   mh-pcap FILE          one packet per message, in this order:
 *       1 BU, 2 BA (LT_EN, HoA, CN HoA), 3 BE, 4 BRR, 5 HMIPv6 BU,
 *       then type 11 subtype S in packet 5 + S (REQ in 6 ... KEYS_ACK in 26),
 *       27 a MAP's signed BA (DH, SIG, CERT), 28 its MAC'd BA
 *   mh-pcap FILE broken   messages each wrong in one way (see broken[])
 *
 * Field values (the test expects exactly these): pat(SEED) is the octets
 * SEED, SEED + 1, ... (mod 256).  Seq# 4660, lifetime 64, LT_BA 60, LT_EN
 * 1024; N_MAP pat(0x20) (BU) and pat(0x30) (BA), g^a pat(0x40), g^b
 * pat(0x60); C0 pat(0xc0), C1 pat(0xc8), N1 pat(0x10), N2 pat(0x20), N3
 * pat(0x30), g^x pat(0x40), g^y pat(0x60), signatures pat(0x80), MACs in
 * bodies pat(0xe0), MACs in options pat(0xa0) (BU), pat(0xb0) (BA),
 * pat(0xd0) (BC), TS 1700000000; sealed bodies pat(0) (nonce, ciphertext
 * and tag are only octets to a dissector); the certificate: version 1,
 * suite 1, kind HA, 2001:db8:1::/64, valid 1700000000 to 1800000000,
 * public key pat(0x50), issuer pat(0x11), signature pat(0x70).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/mh.h"
#include "lib/msg.h"
#include "lib/pkt.h"

#define LINKTYPE_RAW	101	/* packets start with the IP header */

static const char *const hoa_s = "2001:db8:1::10", *const coa_s = "2001:db8:2::10";
static const char *const cn_s = "2001:db8:3::20", *const cn_hoa_s = "2001:db8:7::1";
static const char *const ha_s = "2001:db8:1::2";
static uint8_t hoa[16], coa[16], cn[16], cn_hoa[16], ha[16];

static FILE *out;
static unsigned int frames;

static void die(const char *what)
{
	fprintf(stderr, "mh-pcap: %s\n", what);
	exit(1);
}

static void pat(void *p, size_t len, uint8_t seed)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (uint8_t)(seed + i);
}

static void put32(uint32_t v)
{
	if (fwrite(&v, 4, 1, out) != 1)
		die("write");
}

static void put_be64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

/* One pcap record: the packet from @src to @dst, a HAO of @h if given. */
static void record(const uint8_t *src, const uint8_t *dst, const uint8_t *h,
		   const uint8_t *mh, size_t len, bool badsum)
{
	uint8_t pkt[CBU_PKT_MAX];
	int plen;

	plen = cbu_pkt_build(pkt, sizeof(pkt), src, dst, h, mh, len);
	if (plen < 0)
		die("packet too large");
	if (badsum)
		pkt[plen - len + 4] ^= 0x55;
	frames++;
	put32(frames);			/* seconds: the frame number */
	put32(0);
	put32((uint32_t)plen);
	put32((uint32_t)plen);
	if (fwrite(pkt, (size_t)plen, 1, out) != 1)
		die("write");
}

static void emit(const uint8_t *src, const uint8_t *dst, const uint8_t *h,
		 const struct cbu_msg *m)
{
	uint8_t mh[CBU_MH_MAX_LEN];
	const char *why;
	int len;

	len = cbu_msg_encode(m, mh, sizeof(mh), &why);
	if (len < 0) {
		fprintf(stderr, "mh-pcap: %s: %s\n",
			cbu_msg_name(m->type, m->subtype, m->flags), why);
		exit(1);
	}
	record(src, dst, h, mh, (size_t)len, false);
}

static void cert(struct cbu_msg *m)
{
	struct cbu_cert_wire c;

	memset(&c, 0, sizeof(c));
	c.version = CBU_CERT_VERSION;
	c.suite = CBU_SUITE_1;
	c.kind = CBU_CERT_HA;
	c.prefix_len = 64;
	put_be64(c.valid_from, 1700000000);
	put_be64(c.valid_until, 1800000000);
	memcpy(c.subject, hoa, 8);
	pat(c.public_key, sizeof(c.public_key), 0x50);
	pat(c.issuer, sizeof(c.issuer), 0x11);
	pat(c.signature, sizeof(c.signature), 0x70);
	m->cert_len = sizeof(c);
	memcpy(m->cert, &c, sizeof(c));
}

/* Who sends each subtype to whom (wire-format.md 1.4), and its HAO. */
static void endpoints(uint8_t sub, const uint8_t **src, const uint8_t **dst,
		      const uint8_t **h)
{
	*h = NULL;
	switch (sub) {
	case CBU_SUB_REQ: case CBU_SUB_REQ_KEY:
		*src = hoa, *dst = ha;
		break;
	case CBU_SUB_REP: case CBU_SUB_NEWKEY: case CBU_SUB_REP_NAK:
		*src = ha, *dst = hoa;
		break;
	case CBU_SUB_COOKIE1: case CBU_SUB_EXCH1: case CBU_SUB_EXCH1_RK:
		*src = cn, *dst = hoa;
		break;
	case CBU_SUB_BC:
		*src = coa, *dst = cn, *h = hoa;
		break;
	case CBU_SUB_REG:
		*src = coa, *dst = ha;
		break;
	case CBU_SUB_REG_ACK: case CBU_SUB_REP_CERT:
		*src = ha, *dst = coa;
		break;
	case CBU_SUB_REQ_CERT:
		*src = coa, *dst = ha;
		break;
	case CBU_SUB_TEST: case CBU_SUB_FWD: case CBU_SUB_KEYS:
		*src = ha, *dst = cn;
		break;
	case CBU_SUB_ALIVE: case CBU_SUB_KEYS_ACK:
		*src = cn, *dst = ha;
		break;
	default:	/* COOKIE0, EXCH0, EXCH0': the HA as the HoA */
		*src = hoa, *dst = cn;
	}
}

static void every_message(void)
{
	const uint8_t *src, *dst, *h;
	struct cbu_msg m;
	uint8_t sub;

	cbu_msg_init(&m, CBU_MH_BU, 0);
	m.seq = 4660;
	m.lifetime = 64;
	m.flags = CBU_BU_F_A;
	m.has_auth = true;
	pat(m.auth, sizeof(m.auth), 0xa0);
	emit(coa, cn, hoa, &m);

	cbu_msg_init(&m, CBU_MH_BA, 0);
	m.seq = 4660;
	m.lifetime = 60;
	m.has_lt_en = true;
	m.lt_en = 1024;
	m.has_hoa = true;
	memcpy(m.hoa, hoa, 16);
	m.has_cn_hoa = true;
	memcpy(m.cn_hoa, cn_hoa, 16);
	m.has_auth = true;
	pat(m.auth, sizeof(m.auth), 0xb0);
	emit(cn, coa, NULL, &m);

	cbu_msg_init(&m, CBU_MH_BE, 0);
	m.status = CBU_BE_UNKNOWN_MH_TYPE;
	memcpy(m.be_hoa, hoa, 16);
	emit(cn, coa, NULL, &m);

	cbu_msg_init(&m, CBU_MH_BRR, 0);
	emit(cn, coa, NULL, &m);

	/* HMIPv6 BU: LCoA (coa) to MAP (ha), HAO = RCoA (cn_hoa). */
	cbu_msg_init(&m, CBU_MH_BU, 0);
	m.seq = 4660;
	m.lifetime = 64;
	m.flags = CBU_BU_F_A | CBU_BU_F_M;
	m.has_hoa = true;
	memcpy(m.hoa, hoa, 16);
	m.has_nonce = true;
	pat(m.nonce, sizeof(m.nonce), 0x20);
	m.has_ha = true;
	memcpy(m.ha, cn, 16);
	m.has_dh = true;
	pat(m.dh, sizeof(m.dh), 0x40);
	m.has_sig = true;
	pat(m.sig, sizeof(m.sig), 0x80);
	cert(&m);
	emit(coa, ha, cn_hoa, &m);

	for (sub = CBU_SUB_REQ; sub < __CBU_SUB_MAX; sub++) {
		cbu_msg_init(&m, CBU_MH_EXP, sub);
		endpoints(sub, &src, &dst, &h);
		if (cbu_msg_sealed_pt_len(sub)) {
			pat(m.body.sealed, cbu_mh_body_len(CBU_MH_EXP, sub), 0);
			emit(src, dst, h, &m);
			continue;
		}
		switch (sub) {
		case CBU_SUB_COOKIE0:
			pat(m.body.cookie0.c0, 8, 0xc0);
			break;
		case CBU_SUB_COOKIE1:
			pat(m.body.cookie1.c0, 8, 0xc0);
			pat(m.body.cookie1.c1, 8, 0xc8);
			pat(m.body.cookie1.n1, 16, 0x10);
			break;
		case CBU_SUB_EXCH0:
			m.body.exch0.suite = CBU_SUITE_1;
			pat(m.body.exch0.c0, 8, 0xc0);
			pat(m.body.exch0.c1, 8, 0xc8);
			pat(m.body.exch0.n1, 16, 0x10);
			pat(m.body.exch0.n2, 16, 0x20);
			put_be64(m.body.exch0.ts, 1700000000);
			pat(m.body.exch0.gx, 32, 0x40);
			pat(m.body.exch0.sig, 64, 0x80);
			cert(&m);
			break;
		case CBU_SUB_EXCH1:
			m.body.exch1.suite = CBU_SUITE_1;
			pat(m.body.exch1.c0, 8, 0xc0);
			pat(m.body.exch1.c1, 8, 0xc8);
			pat(m.body.exch1.gy, 32, 0x60);
			pat(m.body.exch1.sig, 64, 0x80);
			cert(&m);
			break;
		case CBU_SUB_BC:
			m.body.bc.seq = htons(4660);
			m.body.bc.flag = CBU_BC_CONFIRM;
			m.has_auth = true;
			pat(m.auth, sizeof(m.auth), 0xd0);
			break;
		case CBU_SUB_EXCH0_RK:
			pat(m.body.exch0_rk.n1, 16, 0x10);
			pat(m.body.exch0_rk.mac, 16, 0xe0);
			break;
		case CBU_SUB_EXCH1_RK:
			pat(m.body.exch1_rk.n1, 16, 0x10);
			pat(m.body.exch1_rk.n2, 16, 0x20);
			pat(m.body.exch1_rk.mac, 16, 0xe0);
			m.body.exch1_rk.lt_en = htons(1024);
			break;
		case CBU_SUB_TEST:
			m.body.test.flag = CBU_TEST_FLAG;
			break;
		case CBU_SUB_ALIVE:
			pat(m.body.alive.n3, 16, 0x30);
			break;
		case CBU_SUB_FWD:
			memcpy(m.body.fwd.hoa, hoa, 16);
			memcpy(m.body.fwd.coa, coa, 16);
			pat(m.body.fwd.mac, 16, 0xe0);
			m.body.fwd.seq = htons(4660);
			m.body.fwd.lifetime = htons(64);
			break;
		case CBU_SUB_REP_CERT:
			cert(&m);
			break;
		}
		emit(src, dst, h, &m);
	}

	/* A MAP's BA to that BU, signed: g^b, SIG_MAP and Cert_MAP. */
	cbu_msg_init(&m, CBU_MH_BA, 0);
	m.status = CBU_BA_ACCEPTED;
	m.seq = 4660;
	m.lifetime = 60;
	m.has_hoa = true;
	memcpy(m.hoa, hoa, 16);
	m.has_nonce = true;
	pat(m.nonce, sizeof(m.nonce), 0x30);
	m.has_dh = true;
	pat(m.dh, sizeof(m.dh), 0x60);
	m.has_sig = true;
	pat(m.sig, sizeof(m.sig), 0x80);
	cert(&m);
	emit(ha, coa, NULL, &m);

	/* A later BA from the MAP: MAC_LBA. */
	m.has_dh = false;
	m.has_sig = false;
	m.cert_len = 0;
	m.has_auth = true;
	pat(m.auth, sizeof(m.auth), 0xb0);
	emit(ha, coa, NULL, &m);
}

/*
 * Each wrong in one way, a MH as hex (checksum filled in); the expert
 * info cbu.lua must give is in the comment.
 */
static const struct {
	const char *hex;
	bool badsum;
} broken[] = {
	/* 1: COOKIE0 of version 2: cbu.bad_version */
	{ "3b010b000000030211223344556677 88", false },
	/* 2: subtype 42: cbu.bad_subtype */
	{ "3b010b0000002a010000000000000000", false },
	/* 3: EXCH1' in 16 octets (needs 60): cbu.short */
	{ "3b010b0000000a010000000000000000", false },
	/* 4: COOKIE0, a HoA option of 4 octets: cbu.bad_option */
	{ "3b020b0000000301c0c1c2c3c4c5c6c7" "1205020000000000", false },
	/* 5: COOKIE1, an option running past the MH: cbu.bad_option */
	{ "3b050b0000000401" "c0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
	  "101112131415161718191a1b1c1d1e1f" "1220030000000000", false },
	/* 6: COOKIE0 with a wrong checksum: cbu.bad_checksum */
	{ "3b010b0000000301c0c1c2c3c4c5c6c7", true },
	/* 7: BC without its MAC: cbu.rule */
	{ "3b010b000000070112340100" "01020000", false },
	/* 8: BA with a HoA option of 2 octets (cbu_mopt): cbu.bad_option */
	{ "3b020600000000001234003c" "1203020000" "01050000000000", false },
	/* 9: COOKIE0 whose hdrlen says 32 octets, in 16: malformed */
	{ "3b030b0000000301c0c1c2c3c4c5c6c7", false },
	/* 10: COOKIE0 whose hdrlen says 16 octets, in 24: cbu.bad_hdrlen */
	{ "3b010b0000000301c0c1c2c3c4c5c6c7" "0000000000000000", false },
};

static void broken_messages(void)
{
	uint8_t mh[CBU_MH_MAX_LEN];
	size_t i, n;
	char hex[CBU_MH_MAX_LEN * 2 + 1];
	const char *s;

	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		/* The hex may hold spaces, for reading. */
		for (n = 0, s = broken[i].hex; *s && n < sizeof(hex) - 1; s++)
			if (*s != ' ')
				hex[n++] = *s;
		hex[n] = 0;
		for (n = 0; hex[2 * n] && n < sizeof(mh); n++)
			if (sscanf(hex + 2 * n, "%2hhx", &mh[n]) != 1)
				die("bad hex");
		record(hoa, cn, NULL, mh, n, broken[i].badsum);
	}
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "broken")))
		die("usage: mh-pcap FILE [broken]");
	if (inet_pton(AF_INET6, hoa_s, hoa) != 1 ||
	    inet_pton(AF_INET6, coa_s, coa) != 1 ||
	    inet_pton(AF_INET6, cn_s, cn) != 1 ||
	    inet_pton(AF_INET6, cn_hoa_s, cn_hoa) != 1 ||
	    inet_pton(AF_INET6, ha_s, ha) != 1)
		die("bad address");
	out = fopen(argv[1], "wb");
	if (!out)
		die("cannot write the file");
	/* pcap: magic, version 2.4, zone, accuracy, snaplen, link type. */
	put32(0xa1b2c3d4);
	put32(2 | 4 << 16);
	put32(0);
	put32(0);
	put32(65535);
	put32(LINKTYPE_RAW);
	if (argc == 3)
		broken_messages();
	else
		every_message();
	if (fclose(out))
		die("write");
	return 0;
}
