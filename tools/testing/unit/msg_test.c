// SPDX-License-Identifier: GPL-2.0
/*
 * Every CBU message survives encode -> decode unchanged, its checksum
 * verifies over the right pseudo-header and nothing else, sealed bodies
 * open only with their key and untouched, and messages that break their
 * rules are refused in both directions.  The sizes on the wire are printed
 * as diagnostics (they go into the documentation).
 */
#include <arpa/inet.h>
#include <stdlib.h>

#include <sodium.h>

#include "kernel/mh.h"
#include "lib/crypto.h"
#include "lib/msg.h"
#include "ktest.h"

static const uint8_t hoa[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x10 };
static const uint8_t coa[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 2, [15] = 0x10 };
static const uint8_t cn[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 3, [15] = 0x20 };

/* Fill a buffer with a recognisable pattern. */
static void fill(void *p, size_t len, uint8_t seed)
{
	uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (uint8_t)(seed + 7 * i);
}

struct kind {
	const char *name;
	uint8_t type, subtype;
	uint16_t flags;
};

static const struct kind kinds[] = {
	{ "BU", CBU_MH_BU, 0, CBU_BU_F_A },
	{ "HMIPv6 BU", CBU_MH_BU, 0, CBU_BU_F_A | CBU_BU_F_M },
	{ "BA", CBU_MH_BA, 0, 0 },
	{ "BE", CBU_MH_BE, 0, 0 },
	{ "REQ", CBU_MH_EXP, CBU_SUB_REQ, 0 },
	{ "REP", CBU_MH_EXP, CBU_SUB_REP, 0 },
	{ "COOKIE0", CBU_MH_EXP, CBU_SUB_COOKIE0, 0 },
	{ "COOKIE1", CBU_MH_EXP, CBU_SUB_COOKIE1, 0 },
	{ "EXCH0", CBU_MH_EXP, CBU_SUB_EXCH0, 0 },
	{ "EXCH1", CBU_MH_EXP, CBU_SUB_EXCH1, 0 },
	{ "BC", CBU_MH_EXP, CBU_SUB_BC, 0 },
	{ "REQ_KEY", CBU_MH_EXP, CBU_SUB_REQ_KEY, 0 },
	{ "EXCH0'", CBU_MH_EXP, CBU_SUB_EXCH0_RK, 0 },
	{ "EXCH1'", CBU_MH_EXP, CBU_SUB_EXCH1_RK, 0 },
	{ "NEWKEY", CBU_MH_EXP, CBU_SUB_NEWKEY, 0 },
	{ "TEST", CBU_MH_EXP, CBU_SUB_TEST, 0 },
	{ "ALIVE", CBU_MH_EXP, CBU_SUB_ALIVE, 0 },
	{ "FWD", CBU_MH_EXP, CBU_SUB_FWD, 0 },
	{ "KEYS", CBU_MH_EXP, CBU_SUB_KEYS, 0 },
	{ "REQ_Cert", CBU_MH_EXP, CBU_SUB_REQ_CERT, 0 },
	{ "REP_Cert", CBU_MH_EXP, CBU_SUB_REP_CERT, 0 },
	{ "REG", CBU_MH_EXP, CBU_SUB_REG, 0 },
	{ "REG_ACK", CBU_MH_EXP, CBU_SUB_REG_ACK, 0 },
	{ "REP_NAK", CBU_MH_EXP, CBU_SUB_REP_NAK, 0 },
	{ "KEYS_ACK", CBU_MH_EXP, CBU_SUB_KEYS_ACK, 0 },
	{ "BRR", CBU_MH_BRR, 0, 0 },
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

static uint8_t key[CBU_KEY_LEN];

/* A valid message of each kind, with every field it has set. */
static void sample(struct cbu_msg *m, const struct kind *k)
{
	uint8_t pt[CBU_SEALED_MAX];

	cbu_msg_init(m, k->type, k->subtype);
	m->flags = k->flags;
	switch (k->type) {
	case CBU_MH_BU:
		m->seq = 0xbeef;
		m->lifetime = 0x0102;
		if (k->flags & CBU_BU_F_M) {
			m->has_hoa = true;
			memcpy(m->hoa, hoa, 16);
			m->has_nonce = true;
			fill(m->nonce, sizeof(m->nonce), 6);
			m->has_ha = true;
			memcpy(m->ha, cn, 16);
			m->has_dh = true;
			fill(m->dh, sizeof(m->dh), 7);
			m->has_sig = true;
			fill(m->sig, sizeof(m->sig), 3);
			m->cert_len = CBU_CERT_LEN;
			fill(m->cert, m->cert_len, 5);
		} else {
			m->has_auth = true;
			fill(m->auth, sizeof(m->auth), 1);
		}
		return;
	case CBU_MH_BA:
		m->status = CBU_BA_ACCEPTED;
		m->seq = 0xbeef;
		m->lifetime = 0x0203;
		m->has_lt_en = true;
		m->lt_en = 0x0304;
		m->has_hoa = true;
		memcpy(m->hoa, hoa, 16);
		m->has_cn_hoa = true;
		memcpy(m->cn_hoa, cn, 16);
		m->has_auth = true;
		fill(m->auth, sizeof(m->auth), 2);
		return;
	case CBU_MH_BE:
		m->status = CBU_BE_UNKNOWN_MH_TYPE;
		memcpy(m->be_hoa, hoa, 16);
		return;
	}

	if (cbu_msg_sealed_pt_len(k->subtype)) {
		fill(pt, cbu_msg_sealed_pt_len(k->subtype), k->subtype);
		cbu_msg_seal(m, pt, cbu_msg_sealed_pt_len(k->subtype), key);
		return;
	}
	fill(&m->body, cbu_mh_body_len(k->type, k->subtype), k->subtype);
	switch (k->subtype) {
	case CBU_SUB_EXCH0:
	case CBU_SUB_EXCH1:
		m->body.exch0.suite = CBU_SUITE_1;
		m->cert_len = CBU_CERT_LEN;
		fill(m->cert, m->cert_len, 9);
		break;
	case CBU_SUB_REP_CERT:
		m->cert_len = CBU_CERT_LEN;
		fill(m->cert, m->cert_len, 11);
		break;
	case CBU_SUB_BC:
		m->body.bc.flag = CBU_BC_CONFIRM;
		m->has_auth = true;
		fill(m->auth, sizeof(m->auth), 4);
		break;
	case CBU_SUB_TEST:
		m->body.test.flag = CBU_TEST_FLAG;
		break;
	}
}

TEST(round_trip_every_message)
{
	struct cbu_pseudo ph;
	struct cbu_msg m, d;
	uint8_t buf[CBU_MH_MAX_LEN];
	const char *why;
	size_t i;
	int len;

	memcpy(ph.src, hoa, 16);
	memcpy(ph.dst, cn, 16);
	for (i = 0; i < N_KINDS; i++) {
		sample(&m, &kinds[i]);
		len = cbu_msg_encode(&m, buf, sizeof(buf), &why);
		if (len < 0) {
			printf("# %s: encode: %s\n", kinds[i].name, why);
			EXPECT(len > 0);
			continue;
		}
		EXPECT(len % 8 == 0);
		EXPECT(buf[1] == len / 8 - 1);
		cbu_mh_set_checksum(buf, (size_t)len, &ph);
		printf("# %-9s %3d octets\n", kinds[i].name, len);

		if (cbu_msg_decode(&d, buf, (size_t)len, &ph, &why)) {
			printf("# %s: decode: %s\n", kinds[i].name, why);
			EXPECT(0);
			continue;
		}
		EXPECT_STREQ(cbu_msg_name(d.type, d.subtype, d.flags),
			     kinds[i].name);
		/* The sender's wire_len is the sealer's; compare the rest. */
		m.wire_len = d.wire_len;
		if (memcmp(&m, &d, sizeof(m))) {
			printf("# %s: decoded message differs\n", kinds[i].name);
			EXPECT(0);
		}
	}
}

TEST(checksum_covers_pseudo_header_and_every_octet)
{
	struct cbu_pseudo ph, other;
	uint8_t buf[CBU_MH_MAX_LEN];
	struct cbu_msg m, d;
	const char *why;
	int len, i;

	memcpy(ph.src, hoa, 16);
	memcpy(ph.dst, cn, 16);
	sample(&m, &kinds[0]);
	len = cbu_msg_encode(&m, buf, sizeof(buf), &why);
	ASSERT(len > 0);
	cbu_mh_set_checksum(buf, (size_t)len, &ph);
	EXPECT(cbu_mh_checksum_ok(buf, (size_t)len, &ph));

	/* With a HAO the HoA is the source: the CoA must not verify. */
	other = ph;
	memcpy(other.src, coa, 16);
	EXPECT(!cbu_mh_checksum_ok(buf, (size_t)len, &other));
	EXPECT(cbu_msg_decode(&d, buf, (size_t)len, &other, &why) == -EBADMSG);
	EXPECT(why && !strcmp(why, "bad checksum"));

	for (i = 0; i < len; i++) {
		buf[i] ^= 0x01;
		EXPECT(!cbu_mh_checksum_ok(buf, (size_t)len, &ph));
		buf[i] ^= 0x01;
	}
}

/* The RFC 1071 example bytes, as an MH-sized sanity check of the sum. */
TEST(checksum_of_known_packet)
{
	/*
	 * A BU (type 5) from 2001:db8::1 to 2001:db8::2, Seq# 1, A flag,
	 * lifetime 1, PadN(6), BAD of 16 zero octets, PadN(4); checksum
	 * computed by hand with the RFC 1071 fold.
	 */
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	uint8_t mh[40] = {
		59, 4, 5, 0, 0, 0, 0, 1, 0x80, 0, 0, 1,
		1, 4, 0, 0, 0, 0,
		5, 16, [36] = 1, [37] = 2,
	};
	struct cbu_pseudo ph;
	uint32_t sum = 0;
	int i;

	memcpy(ph.src, src, 16);
	memcpy(ph.dst, dst, 16);
	/* Independent sum: pseudo-header words then the MH's. */
	for (i = 0; i < 16; i += 2)
		sum += (uint32_t)(src[i] << 8 | src[i + 1]) +
		       (uint32_t)(dst[i] << 8 | dst[i + 1]);
	sum += 40 + 135;
	for (i = 0; i < 40; i += 2)
		sum += (uint32_t)(mh[i] << 8 | mh[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	cbu_mh_set_checksum(mh, sizeof(mh), &ph);
	EXPECT(cbu_get_be16(mh + 4) == (uint16_t)~sum);
	EXPECT(cbu_mh_checksum_ok(mh, sizeof(mh), &ph));
}

TEST(sealed_bodies_open_only_with_their_key)
{
	uint8_t buf[CBU_MH_MAX_LEN], pt[CBU_SEALED_MAX], out[CBU_SEALED_MAX];
	uint8_t wrong[CBU_KEY_LEN];
	struct cbu_msg m, d;
	const char *why;
	size_t i, ptl;
	int len;

	memcpy(wrong, key, sizeof(wrong));
	wrong[0] ^= 1;
	for (i = 0; i < N_KINDS; i++) {
		if (kinds[i].type != CBU_MH_EXP)
			continue;
		ptl = cbu_msg_sealed_pt_len(kinds[i].subtype);
		if (!ptl)
			continue;
		sample(&m, &kinds[i]);
		fill(pt, ptl, kinds[i].subtype);
		len = cbu_msg_encode(&m, buf, sizeof(buf), &why);
		ASSERT(len > 0);
		EXPECT(len == m.wire_len);
		ASSERT(!cbu_msg_decode(&d, buf, (size_t)len, NULL, &why));
		EXPECT(!cbu_msg_open(&d, out, ptl, key));
		EXPECT(!memcmp(out, pt, ptl));
		EXPECT(cbu_msg_open(&d, out, ptl, wrong) == -EBADMSG);
		/* A plaintext of the wrong size is a caller's error. */
		EXPECT(cbu_msg_open(&d, out, ptl - 1, key) == -EINVAL);

		/* The header is authenticated: change the subtype's... */
		d.subtype = d.subtype == CBU_SUB_REQ ? CBU_SUB_REP : CBU_SUB_REQ;
		EXPECT(cbu_msg_open(&d, out, cbu_msg_sealed_pt_len(d.subtype),
				    key) != 0);
		/* ... and every octet of the body. */
		ASSERT(!cbu_msg_decode(&d, buf, (size_t)len, NULL, &why));
		d.body.sealed[CBU_SEALED_LEN(ptl) - 1] ^= 0x80;
		EXPECT(cbu_msg_open(&d, out, ptl, key) == -EBADMSG);
		d.body.sealed[0] ^= 0x01;
		d.body.sealed[CBU_SEALED_LEN(ptl) - 1] ^= 0x80;
		EXPECT(cbu_msg_open(&d, out, ptl, key) == -EBADMSG);
	}
}

TEST(encoder_refuses_broken_messages)
{
	uint8_t buf[CBU_MH_MAX_LEN];
	struct cbu_msg m;
	const char *why;

	sample(&m, &kinds[0]);
	m.has_auth = false;
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);
	EXPECT(why && strstr(why, "Binding Authorization Data"));

	sample(&m, &kinds[2]);	/* BA */
	m.has_lt_en = false;
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);

	sample(&m, &kinds[6]);	/* COOKIE0 */
	m.has_auth = true;
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);
	EXPECT(why && strstr(why, "unexpected"));

	sample(&m, &kinds[8]);	/* EXCH0 */
	m.body.exch0.suite = 2;
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);
	EXPECT(why && strstr(why, "suite"));
	m.body.exch0.suite = CBU_SUITE_1;
	m.cert_len = 0;
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);

	sample(&m, &kinds[1]);	/* HMIPv6 BU */
	m.has_sig = false;
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);
	sample(&m, &kinds[1]);
	m.has_nonce = false;
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);
	EXPECT(why && !strcmp(why, "missing its nonce option"));
	sample(&m, &kinds[1]);
	m.has_ha = false;
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);
	EXPECT(why && !strcmp(why, "missing its home agent option"));
	sample(&m, &kinds[1]);	/* signed: a MAC has no place */
	m.has_auth = true;
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);
	sample(&m, &kinds[0]);	/* a CN's BU carries neither NONCE nor DH */
	m.has_nonce = true;
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);
	EXPECT(why && !strcmp(why, "unexpected nonce option"));
	sample(&m, &kinds[2]);	/* a CN's BA, with a DH */
	m.has_dh = true;
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);
	EXPECT(why && !strcmp(why, "unexpected DH option"));

	sample(&m, &kinds[10]);	/* BC */
	m.body.bc.flag = 2;
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);
	EXPECT(why && !strcmp(why, "unknown BC flag"));

	sample(&m, &kinds[15]);	/* TEST */
	m.body.test.flag = 0;
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);

	sample(&m, &kinds[0]);	/* a CN's HoA belongs in a BA only */
	m.has_cn_hoa = true;
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);

	sample(&m, &kinds[0]);
	EXPECT(cbu_msg_encode(&m, buf, 39, &why) == -EMSGSIZE);

	cbu_msg_init(&m, CBU_MH_EXP, 200);
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);
	cbu_msg_init(&m, 3, 0);
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);
}

/* A long certificate is split over CERT options and put back together. */
TEST(certificate_split_across_options)
{
	uint8_t buf[CBU_MH_MAX_LEN];
	struct cbu_msg m, d;
	const char *why;
	int len;

	sample(&m, &kinds[20]);	/* REP_Cert */
	m.cert_len = 600;
	fill(m.cert, m.cert_len, 77);
	len = cbu_msg_encode(&m, buf, sizeof(buf), &why);
	ASSERT(len > 0);
	ASSERT(!cbu_msg_decode(&d, buf, (size_t)len, NULL, &why));
	EXPECT(d.cert_len == 600);
	EXPECT(!memcmp(d.cert, m.cert, 600));
}

/* The decoder applies the same rules: build the bytes by hand. */
TEST(decoder_refuses_rule_breakers)
{
	uint8_t buf[CBU_MH_MAX_LEN];
	struct cbu_msg m, d;
	const char *why;
	int len;

	/* A BU whose BAD option became padding: no MAC. */
	sample(&m, &kinds[0]);
	len = cbu_msg_encode(&m, buf, sizeof(buf), &why);
	ASSERT(len == 40);
	ASSERT(buf[18] == CBU_MOPT_AUTH);
	buf[18] = CBU_MOPT_PADN;
	EXPECT(cbu_msg_decode(&d, buf, (size_t)len, NULL, &why) == -EBADMSG);
	EXPECT(why && strstr(why, "missing"));
	/* ... and the message was not half-filled. */
	EXPECT(d.type == 0 && !d.has_auth);

	/* EXCH0 with a suite this code does not know. */
	sample(&m, &kinds[8]);
	len = cbu_msg_encode(&m, buf, sizeof(buf), &why);
	ASSERT(len > 0);
	buf[8] = 9;
	EXPECT(cbu_msg_decode(&d, buf, (size_t)len, NULL, &why) == -EBADMSG);
	EXPECT(why && strstr(why, "suite"));
}

TEST(signed_inputs)
{
	uint8_t in[CBU_SIG_HA_IN_LEN], cnin[256], mn[CBU_SIG_MN_IN_LEN];
	uint8_t exch0[64], map[CBU_SIG_MAP_IN_LEN];
	struct cbu_exch0 e;
	struct cbu_hmip f;

	fill(&e, sizeof(e), 1);
	cbu_sig_ha_input(in, hoa, cn, &e);
	EXPECT(!memcmp(in, hoa, 16));
	EXPECT(!memcmp(in + 16, cn, 16));
	EXPECT(!memcmp(in + 32, e.gx, 32));
	EXPECT(!memcmp(in + 64, e.n1, 16));
	EXPECT(!memcmp(in + 80, e.n2, 16));
	EXPECT(!memcmp(in + 96, e.ts, 8));

	fill(exch0, sizeof(exch0), 2);
	EXPECT(cbu_sig_cn_input(cnin, sizeof(cnin), cn, hoa, e.gx, exch0,
				sizeof(exch0)) == 64 + 64);
	EXPECT(!memcmp(cnin, cn, 16));
	EXPECT(!memcmp(cnin + 16, hoa, 16));
	EXPECT(cnin[64 + 4] == 0 && cnin[64 + 5] == 0);
	EXPECT(!memcmp(cnin + 64 + 6, exch0 + 6, sizeof(exch0) - 6));
	EXPECT(cbu_sig_cn_input(cnin, 100, cn, hoa, e.gx, exch0,
				sizeof(exch0)) == -EMSGSIZE);

	/* The draft's four addresses first (the rest: crypto_test's KATs). */
	memset(&f, 0, sizeof(f));
	memcpy(f.lcoa, coa, 16);
	memcpy(f.map, cn, 16);
	memcpy(f.hoa, hoa, 16);
	memcpy(f.rcoa, cn, 16);
	cbu_sig_mn_input(mn, &f);
	EXPECT(!memcmp(mn, coa, 16) && !memcmp(mn + 16, cn, 16));
	EXPECT(!memcmp(mn + 32, hoa, 16) && !memcmp(mn + 48, cn, 16));
	/* SIG_MAP names the MAP first, as SIG_CN names its signer. */
	cbu_sig_map_input(map, &f);
	EXPECT(!memcmp(map, cn, 16) && !memcmp(map + 16, coa, 16));
}

/*
 * The kernel builds BA, BE and BC itself (kernel/mh.c): byte for byte what
 * the userspace encoder makes of the same fields, MAC slot included.
 */
TEST(kernel_builders_match_encoder)
{
	uint8_t kbuf[CBU_BA_CN_LEN], ubuf[CBU_MH_MAX_LEN];
	struct cbu_msg m;
	const char *why;
	size_t klen, auth;
	int ulen;

	cbu_msg_init(&m, CBU_MH_BA, 0);
	m.status = CBU_BA_SEQ_OUT_OF_WINDOW;
	m.seq = 0xfffe;
	m.lifetime = 300;
	m.has_lt_en = true;
	m.lt_en = 0x0102;
	m.has_hoa = true;
	memcpy(m.hoa, hoa, 16);
	m.has_auth = true;
	fill(m.auth, CBU_MAC_LEN, 9);
	/* Then from a mobile CN: its CN HoA option too (draft section 4). */
	for (int with_cn = 0; with_cn < 2; with_cn++) {
		size_t want = with_cn ? CBU_BA_CN_LEN : CBU_BA_LEN;

		m.has_cn_hoa = with_cn;
		memcpy(m.cn_hoa, cn, 16);
		ulen = cbu_msg_encode(&m, ubuf, sizeof(ubuf), &why);
		klen = cbu_mh_build_ba(kbuf, m.status, m.seq, m.lifetime,
				       m.lt_en, hoa, with_cn ? cn : NULL, &auth);
		ASSERT(ulen == (int)want && klen == want);
		EXPECT(auth == (with_cn ? 60u : 44u));
		memcpy(kbuf + auth, m.auth, CBU_MAC_LEN);
		EXPECT(!memcmp(kbuf, ubuf, want));
	}

	cbu_msg_init(&m, CBU_MH_BE, 0);
	m.status = CBU_BE_UNKNOWN_BINDING;
	memcpy(m.be_hoa, hoa, 16);
	ulen = cbu_msg_encode(&m, ubuf, sizeof(ubuf), &why);
	klen = cbu_mh_build_be(kbuf, m.status, hoa);
	ASSERT(ulen == CBU_BE_LEN && klen == CBU_BE_LEN);
	EXPECT(!memcmp(kbuf, ubuf, CBU_BE_LEN));

	cbu_msg_init(&m, CBU_MH_EXP, CBU_SUB_BC);
	m.body.bc.seq = htons(0x1234);
	m.body.bc.flag = CBU_BC_CONFIRM;
	m.has_auth = true;
	fill(m.auth, CBU_MAC_LEN, 5);
	ulen = cbu_msg_encode(&m, ubuf, sizeof(ubuf), &why);
	klen = cbu_mh_build_bc(kbuf, 0x1234, &auth);
	ASSERT(ulen == CBU_BC_LEN && klen == CBU_BC_LEN);
	memcpy(kbuf + auth, m.auth, CBU_MAC_LEN);
	EXPECT(!memcmp(kbuf, ubuf, CBU_BC_LEN));
}

/* The HAO header the kernel and pkt.c write, read back by the parser. */
TEST(hao_header_round_trip)
{
	uint8_t h[CBU_HAO_HDR_LEN];
	const uint8_t *got;
	const char *why;

	cbu_hao_build(h, CBU_IPPROTO_MH, hoa);
	ASSERT(!cbu_dstopts_parse(h, sizeof(h), 8, &got, &why));
	EXPECT(got == h + 8 && !memcmp(got, hoa, 16));
	/* The option sits at 8n+6, its address at 8n (RFC 6275 6.3). */
	EXPECT(h[6] == CBU_IPV6_TLV_HAO && h[7] == 16);
	/* net.ipv6.max_dst_opts_number < 0: no unknown option, HAO fine. */
	EXPECT(!cbu_dstopts_parse(h, sizeof(h), -8, &got, &why) && got);

	h[7] = 15;
	EXPECT(cbu_dstopts_parse(h, sizeof(h), 8, &got, &why) && why && !got);
	h[7] = 16;
	h[1] = 0;	/* length field says 8 */
	EXPECT(cbu_dstopts_parse(h, sizeof(h), 8, &got, &why) && why && !got);
	h[1] = 2;
	h[3] = 21;	/* the PadN runs past the header */
	EXPECT(cbu_dstopts_parse(h, sizeof(h), 8, &got, &why) && why && !got);
}

/*
 * Destination options as net/ipv6/exthdrs.c's ip6_parse_tlv() takes them:
 * each case a 16-octet header, the stack's verdict, and the HAO found.
 */
TEST(dstopts_rules_of_the_stack)
{
	static const struct {
		const char *what;
		int max;
		uint8_t h[16];
		bool ok, hao;
	} c[] = {
		{ "PadN 6, an option, PadN 6", 8,
		  { 59, 1, 1, 4, 0, 0, 0, 0, 0x1e, 0, 1, 4, 0, 0, 0, 0 }, true, false },
		{ "PadN 6, then PadN 8: a run of 14", 8,
		  { 59, 1, 1, 4, 0, 0, 0, 0, 1, 6, 0, 0, 0, 0, 0, 0 }, false, false },
		{ "eight Pad1: padding over 7 octets", 8,
		  { 59, 1, 1, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, false, false },
		{ "PadN that is not zeroes", 8,
		  { 59, 1, 1, 4, 0, 0, 0, 9, 1, 6, 0, 0, 0, 0, 0, 0 }, false, false },
		{ "unknown option, action 00: skipped", 8,
		  { 59, 1, 0x1e, 4, 1, 2, 3, 4, 0x1e, 6, 1, 2, 3, 4, 5, 6 }, true, false },
		{ "unknown option, action 00, no unknown allowed", -8,
		  { 59, 1, 0x1e, 4, 1, 2, 3, 4, 1, 6, 0, 0, 0, 0, 0, 0 }, false, false },
		{ "unknown option, action 01: discard", 8,
		  { 59, 1, 0x5e, 4, 1, 2, 3, 4, 1, 6, 0, 0, 0, 0, 0, 0 }, false, false },
		{ "unknown option, action 10: discard, ICMP", 8,
		  { 59, 1, 0x9e, 4, 1, 2, 3, 4, 1, 6, 0, 0, 0, 0, 0, 0 }, false, false },
		{ "unknown option, action 11: discard, ICMP", 8,
		  { 59, 1, 0xde, 4, 1, 2, 3, 4, 1, 6, 0, 0, 0, 0, 0, 0 }, false, false },
		{ "seven options, one allowed", 1,
		  { 59, 1, 0x1e, 0, 0x1e, 0, 0x1e, 0, 0x1e, 0, 0x1e, 0, 0x1e, 0,
		    0x1e, 0 }, false, false },
		{ "seven options, seven allowed", 7,
		  { 59, 1, 0x1e, 0, 0x1e, 0, 0x1e, 0, 0x1e, 0, 0x1e, 0, 0x1e, 0,
		    0x1e, 0 }, true, false },
		{ "an option overruns the header", 8,
		  { 59, 1, 1, 4, 0, 0, 0, 0, 0x1e, 7, 0, 0, 0, 0, 0, 0 }, false, false },
	};
	const uint8_t *got;
	const char *why;
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		int ret = cbu_dstopts_parse(c[i].h, sizeof(c[i].h), c[i].max,
					    &got, &why);

		if ((ret == 0) != c[i].ok || !got != !c[i].hao ||
		    (!ret && why) || (ret && !why))
			fprintf(stderr, "  case: %s: ret %d (%s)\n", c[i].what,
				ret, why ?: "");
		EXPECT((ret == 0) == c[i].ok);
		EXPECT(!got == !c[i].hao);
	}
}

/* Two HAOs in one header: the stack discards the packet (ipv6_dest_hao). */
TEST(dstopts_two_haos)
{
	uint8_t h[48] = { 59, 5, 1, 2, 0, 0 };
	const uint8_t *got;
	const char *why;

	h[6] = CBU_IPV6_TLV_HAO;
	h[7] = 16;
	memcpy(h + 8, hoa, 16);
	h[24] = 1;
	h[25] = 4;
	h[30] = CBU_IPV6_TLV_HAO;
	h[31] = 16;
	memcpy(h + 32, hoa, 16);
	EXPECT(cbu_dstopts_parse(h, sizeof(h), 8, &got, &why) && !got);
	EXPECT(why && strstr(why, "two Home Address"));
	/* The second one padded away: one HAO, fine. */
	h[30] = 1;
	h[31] = 16;
	memset(h + 32, 0, 16);
	EXPECT(cbu_dstopts_parse(h, sizeof(h), 8, &got, &why));	/* PadN 18 > 7 */
	h[24] = 0x1e;
	h[25] = 22;
	EXPECT(!cbu_dstopts_parse(h, sizeof(h), 8, &got, &why) && got == h + 8);
}

/*
 * The per-message rules (wire-format.md 3.5) are the parser's, so cbu.ko
 * applies them too: a BU with a CBU home address option is refused by
 * cbu_mh_check() as by the decoder.
 */
TEST(rules_shared_with_the_kernel)
{
	struct cbu_mh_info info;
	struct cbu_msg m, d;
	uint8_t buf[256];
	const char *why;
	int len;

	cbu_msg_init(&m, CBU_MH_BU, 0);
	m.seq = 7;
	m.lifetime = 4;
	m.has_auth = true;
	len = cbu_msg_encode(&m, buf, sizeof(buf), &why);
	ASSERT(len > 0);
	ASSERT(!cbu_mh_parse(buf, (size_t)len, &info, &why));
	EXPECT(!cbu_mh_check(&info, &why));

	/* The encoder refuses what the receivers refuse, with their reason. */
	m.has_hoa = true;
	memcpy(m.hoa, hoa, 16);
	EXPECT(cbu_msg_encode(&m, buf, sizeof(buf), &why) == -EINVAL);
	EXPECT(why && !strcmp(why, "unexpected home address option"));
	/* Written by hand, a BU with a CBU HoA option: both refuse it. */
	memset(buf, 0, 64);
	buf[0] = CBU_IPPROTO_NONE;
	buf[1] = 7;			/* 64 octets */
	buf[2] = CBU_MH_BU;
	buf[7] = 7;			/* Seq# */
	buf[11] = 4;			/* lifetime */
	buf[12] = CBU_MOPT_CBU;
	buf[13] = 17;
	buf[14] = CBU_OPT_HOA;
	memcpy(buf + 15, hoa, 16);
	buf[31] = CBU_MOPT_PADN;	/* to 8n+2 */
	buf[32] = 1;
	buf[34] = CBU_MOPT_AUTH;
	buf[35] = CBU_MAC_LEN;
	buf[52] = CBU_MOPT_PADN;
	buf[53] = 10;
	ASSERT(!cbu_mh_parse(buf, 64, &info, &why));
	EXPECT(info.hoa && info.auth);
	EXPECT(cbu_mh_check(&info, &why) == -EBADMSG);
	EXPECT(why && !strcmp(why, "unexpected home address option"));
	EXPECT(cbu_msg_decode(&d, buf, 64, NULL, &why) == -EBADMSG);
}

int main(void)
{
	if (cbu_crypto_init())
		return 1;
	cbu_random(key, sizeof(key));
	return ktest_main();
}
