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
	uint8_t exch0[64];
	struct cbu_exch0 e;

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

	cbu_sig_mn_input(mn, coa, cn, hoa, coa);
	EXPECT(!memcmp(mn + 32, hoa, 16));
}

/*
 * The kernel builds BA, BE and BC itself (kernel/mh.c): byte for byte what
 * the userspace encoder makes of the same fields, MAC slot included.
 */
TEST(kernel_builders_match_encoder)
{
	uint8_t kbuf[CBU_BA_LEN], ubuf[CBU_MH_MAX_LEN];
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
	ulen = cbu_msg_encode(&m, ubuf, sizeof(ubuf), &why);
	klen = cbu_mh_build_ba(kbuf, m.status, m.seq, m.lifetime, m.lt_en, hoa,
			       &auth);
	ASSERT(ulen == CBU_BA_LEN && klen == CBU_BA_LEN);
	memcpy(kbuf + auth, m.auth, CBU_MAC_LEN);
	EXPECT(!memcmp(kbuf, ubuf, CBU_BA_LEN));

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
	got = cbu_dstopts_hao(h, sizeof(h), &why);
	ASSERT(got);
	EXPECT(got == h + 8 && !memcmp(got, hoa, 16));
	/* The option sits at 8n+6, its address at 8n (RFC 6275 6.3). */
	EXPECT(h[6] == CBU_IPV6_TLV_HAO && h[7] == 16);

	h[7] = 15;
	EXPECT(!cbu_dstopts_hao(h, sizeof(h), &why) && why);
	h[7] = 16;
	h[1] = 0;	/* length field says 8 */
	EXPECT(!cbu_dstopts_hao(h, sizeof(h), &why) && why);
	h[1] = 2;
	h[3] = 21;	/* the PadN runs past the header */
	EXPECT(!cbu_dstopts_hao(h, sizeof(h), &why) && why);
}

int main(void)
{
	if (cbu_crypto_init())
		return 1;
	cbu_random(key, sizeof(key));
	return ktest_main();
}
