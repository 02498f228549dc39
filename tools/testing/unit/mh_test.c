// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/mh.c, the Mobility Header parser cbu.ko and userspace share:
 * valid messages are located field by field, and every malformation is
 * refused with its own reason and no partial result.
 */
#include "kernel/mh.h"
#include "kernel/tests/mh_samples.h"
#include "ktest.h"

static int parse(const u8 *p, size_t len, struct cbu_mh_info *info,
		 const char **why)
{
	return cbu_mh_parse(p, len, info, why);
}

/* Parse a modified copy of @base; expect -EBADMSG and @reason. */
static void expect_reject(const u8 *base, size_t len, size_t at, u8 val,
			  const char *reason)
{
	struct cbu_mh_info info;
	const char *why;
	u8 buf[256];

	memcpy(buf, base, len);
	if (at < len)
		buf[at] = val;
	EXPECT(parse(buf, len, &info, &why) == -EBADMSG);
	if (!why || strcmp(why, reason)) {
		printf("# wanted \"%s\", got \"%s\"\n", reason,
		       why ? why : "(none)");
		EXPECT(0);
	}
	/* Nothing half-parsed is left for a careless caller. */
	EXPECT(info.auth == NULL && info.hoa == NULL);
}

TEST(bu_located)
{
	struct cbu_mh_info info;
	const char *why;

	ASSERT(parse(cbu_sample_bu, sizeof(cbu_sample_bu), &info, &why) == 0);
	EXPECT(info.type == CBU_MH_BU && info.len == 40);
	EXPECT(info.body == cbu_sample_bu + 6 && info.body_len == 6);
	EXPECT(cbu_get_be16(info.body) == 0x1234);
	EXPECT(info.auth == cbu_sample_bu + 20 && info.auth_off == 18);
	EXPECT(!info.has_lt_en && !info.hoa && !info.cert_len);
}

TEST(ba_options_located)
{
	struct cbu_mh_info info;
	const char *why;

	ASSERT(parse(cbu_sample_ba, sizeof(cbu_sample_ba), &info, &why) == 0);
	EXPECT(info.has_lt_en && info.lt_en == 0x0102);
	EXPECT(info.hoa == cbu_sample_ba + 20 && info.hoa[15] == 0x42);
	EXPECT(info.auth_off == 42);
}

/* wire-format.md 9.7: a MAP's BA, and the rules its options follow. */
TEST(map_ba_rules)
{
	struct cbu_mh_info info;
	const char *why;
	u8 buf[72];

	ASSERT(parse(cbu_sample_map_ba, sizeof(buf), &info, &why) == 0);
	EXPECT(info.hoa == cbu_sample_map_ba + 15);
	EXPECT(info.nonce == cbu_sample_map_ba + 34 && info.nonce[0] == 0xa0);
	EXPECT(info.auth_off == 50 && !info.dh && !info.ha && !info.sig);
	EXPECT(cbu_mh_check(&info, &why) == 0);

	/* Without its NONCE it is a CN's BA, which needs LT_EN. */
	memcpy(buf, cbu_sample_map_ba, sizeof(buf));
	buf[31] = CBU_MOPT_PADN;
	ASSERT(parse(buf, sizeof(buf), &info, &why) == 0);
	EXPECT(cbu_mh_check(&info, &why) == -EBADMSG);
	EXPECT_STREQ(why, "missing its LT_EN option");

	/* Neither MAC nor signature. */
	memcpy(buf, cbu_sample_map_ba, sizeof(buf));
	buf[50] = CBU_MOPT_PADN;
	ASSERT(parse(buf, sizeof(buf), &info, &why) == 0);
	EXPECT(cbu_mh_check(&info, &why) == -EBADMSG);
	EXPECT_STREQ(why, "missing its signature option");

	/* The HoA option made a second NONCE, a DH of 16, an HA. */
	memcpy(buf, cbu_sample_map_ba, sizeof(buf));
	buf[14] = CBU_OPT_NONCE;
	EXPECT(parse(buf, sizeof(buf), &info, &why) == -EBADMSG);
	EXPECT_STREQ(why, "duplicate nonce option");
	buf[14] = CBU_OPT_DH;
	EXPECT(parse(buf, sizeof(buf), &info, &why) == -EBADMSG);
	EXPECT_STREQ(why, "bad DH option length");
	buf[14] = CBU_OPT_HA;
	ASSERT(parse(buf, sizeof(buf), &info, &why) == 0);
	EXPECT(info.ha == buf + 15);
	EXPECT(cbu_mh_check(&info, &why) == -EBADMSG);
	EXPECT_STREQ(why, "missing its home address option");

	/* A NONCE option of 15 octets. */
	memcpy(buf, cbu_sample_map_ba, sizeof(buf));
	buf[32] = 16;
	buf[49] = CBU_MOPT_PAD1;
	EXPECT(parse(buf, sizeof(buf), &info, &why) == -EBADMSG);
	EXPECT_STREQ(why, "bad nonce option length");
}

TEST(truncated_and_overlong)
{
	struct cbu_mh_info info;
	const char *why;
	u8 buf[48] = { 0 };

	EXPECT(parse(cbu_sample_bu, 7, &info, &why) == -EBADMSG);
	EXPECT_STREQ(why, "truncated: shorter than a Mobility Header");
	EXPECT(parse(cbu_sample_bu, 32, &info, &why) == -EBADMSG);
	EXPECT_STREQ(why, "truncated: shorter than its length field");
	memcpy(buf, cbu_sample_bu, sizeof(cbu_sample_bu));
	EXPECT(parse(buf, sizeof(buf), &info, &why) == -EBADMSG);
	EXPECT_STREQ(why, "overlong: data after the Mobility Header");
}

TEST(bad_length_field)
{
	/* A BE needs 24 octets: claiming 8 leaves no room for its body. */
	static const u8 be[8] = { 59, 0, CBU_MH_BE, 0, 0, 0, 1, 0 };

	expect_reject(be, sizeof(be), 99, 0,
		      "bad length field: too short for the message");
	expect_reject(cbu_sample_bu, sizeof(cbu_sample_bu), 1, 3,
		      "overlong: data after the Mobility Header");
	expect_reject(cbu_sample_bu, sizeof(cbu_sample_bu), 1, 5,
		      "truncated: shorter than its length field");
}

TEST(header_fields)
{
	static const u8 exp[16] = { 59, 1, CBU_MH_EXP, 0, 0, 0,
				    CBU_SUB_COOKIE0, CBU_WIRE_VERSION,
				    1, 2, 3, 4, 5, 6, 7, 8 };
	struct cbu_mh_info info;
	const char *why;
	u8 buf[40];

	expect_reject(cbu_sample_bu, sizeof(cbu_sample_bu), 0, 6,
		      "payload proto is not 59 (no next header)");
	expect_reject(exp, sizeof(exp), 7, 2, "unsupported CBU version");
	expect_reject(exp, sizeof(exp), 6, 0, "unknown CBU subtype");
	expect_reject(exp, sizeof(exp), 6, __CBU_SUB_MAX, "unknown CBU subtype");

	ASSERT(parse(exp, sizeof(exp), &info, &why) == 0);
	EXPECT(info.subtype == CBU_SUB_COOKIE0 && info.body == exp + 8);

	/* Types CBU does not handle get their own error: answer with BE 2. */
	memcpy(buf, cbu_sample_bu, sizeof(cbu_sample_bu));
	buf[2] = 1;	/* HoTI */
	EXPECT(parse(buf, sizeof(buf), &info, &why) == -EPROTONOSUPPORT);
	EXPECT_STREQ(why, "unrecognised MH type");
}

TEST(option_alignment_and_order)
{
	struct cbu_mh_info info;
	const char *why;
	u8 buf[40];

	/* BAD moved to 8n+3 (PadN one longer, trailing PadN one shorter). */
	memcpy(buf, cbu_sample_bu, sizeof(cbu_sample_bu));
	buf[13] = 5;
	memmove(buf + 19, buf + 18, 18);
	buf[37] = CBU_MOPT_PAD1;
	buf[38] = CBU_MOPT_PAD1;
	buf[39] = CBU_MOPT_PAD1;
	expect_reject(buf, sizeof(buf), 99, 0,
		      "Binding Authorization Data not at 8n+2");

	/* An option after the BAD: the trailing PadN becomes an LT_EN. */
	memcpy(buf, cbu_sample_bu, sizeof(cbu_sample_bu));
	buf[36] = CBU_MOPT_CBU;
	buf[37] = 2;
	buf[38] = CBU_OPT_LT_EN;
	expect_reject(buf, sizeof(buf), 99, 0,
		      "option after Binding Authorization Data");

	expect_reject(cbu_sample_bu, sizeof(cbu_sample_bu), 19, 15,
		      "bad Binding Authorization Data length");

	/* Return Routability's 12-octet authenticator: not CBU's at all. */
	memcpy(buf, cbu_sample_bu, sizeof(cbu_sample_bu));
	buf[19] = CBU_MOPT_AUTH_RR_LEN;
	EXPECT(parse(buf, sizeof(cbu_sample_bu), &info, &why) ==
	       -EPROTONOSUPPORT);
	EXPECT(why && !strcmp(why,
			      "Return Routability's authenticator: not a CBU message"));
	expect_reject(cbu_sample_bu, sizeof(cbu_sample_bu), 37, 3,
		      "mobility option overruns the message");
	/* The last octet starts an option with no room for its length. */
	memcpy(buf, cbu_sample_bu, sizeof(cbu_sample_bu));
	buf[37] = 1;
	buf[39] = CBU_MOPT_PADN;
	expect_reject(buf, sizeof(buf), 99, 0, "truncated mobility option");
}

TEST(cbu_option_rules)
{
	expect_reject(cbu_sample_ba, sizeof(cbu_sample_ba), 13, 4, "bad LT_EN option length");
	expect_reject(cbu_sample_ba, sizeof(cbu_sample_ba), 18, 16, "bad home address option length");
	expect_reject(cbu_sample_ba, sizeof(cbu_sample_ba), 19, CBU_OPT_LT_EN,
		      "bad LT_EN option length");
	/* The HoA option relabelled LT_EN twice over: a duplicate. */
	{
		u8 buf[64];

		memcpy(buf, cbu_sample_ba, sizeof(cbu_sample_ba));
		memcpy(buf + 17, (const u8[]){ CBU_MOPT_CBU, 3, CBU_OPT_LT_EN,
					       0, 1, CBU_MOPT_PADN, 12 }, 7);
		memset(buf + 24, 0, 12);
		expect_reject(buf, sizeof(buf), 99, 0, "duplicate LT_EN option");
	}
	expect_reject(cbu_sample_ba, sizeof(cbu_sample_ba), 13, 0, "CBU option without a code");
	/* The HoA option relabelled as a CN HoA is fine; shortened it is not. */
	{
		struct cbu_mh_info info;
		const char *why;
		u8 buf[64];

		memcpy(buf, cbu_sample_ba, sizeof(cbu_sample_ba));
		buf[19] = CBU_OPT_CN_HOA;
		ASSERT(parse(buf, sizeof(buf), &info, &why) == 0);
		EXPECT(info.cn_hoa == buf + 20 && !info.hoa);
		buf[18] = 16;
		buf[35] = CBU_MOPT_PAD1;
		expect_reject(buf, sizeof(buf), 99, 0,
			      "bad CN home address option length");
	}
}

TEST(unknown_options_and_codes_skipped)
{
	struct cbu_mh_info info;
	const char *why;
	u8 buf[64];

	memcpy(buf, cbu_sample_ba, sizeof(cbu_sample_ba));
	buf[12] = 2;		/* LT_EN's option becomes Binding Refresh Advice */
	buf[19] = 99;		/* an unknown CBU code */
	ASSERT(parse(buf, sizeof(buf), &info, &why) == 0);
	EXPECT(!info.has_lt_en && !info.hoa && info.auth);
}

TEST(certificate_parts_reassembled)
{
	u8 buf[32] = {
		59, 3, CBU_MH_EXP, 0, 0, 0, CBU_SUB_REP_CERT, CBU_WIRE_VERSION,
		CBU_MOPT_CBU, 4, CBU_OPT_CERT, 'a', 'b', 'c',
		CBU_MOPT_PAD1,
		CBU_MOPT_CBU, 3, CBU_OPT_CERT, 'd', 'e',
		CBU_MOPT_PADN, 10,
	};
	struct cbu_mh_info info;
	const char *why;
	u8 out[8];

	ASSERT(parse(buf, sizeof(buf), &info, &why) == 0);
	EXPECT(info.cert_len == 5 && info.n_cert_opts == 2);
	EXPECT(cbu_mh_cert_copy(buf, &info, out, sizeof(out)) == 5);
	EXPECT(!memcmp(out, "abcde", 5));
	EXPECT(cbu_mh_cert_copy(buf, &info, out, 4) == 0);
	buf[9] = 1;		/* a CERT option with no data */
	buf[10] = CBU_OPT_CERT;
	buf[11] = CBU_MOPT_PADN;
	buf[12] = 1;
	expect_reject(buf, sizeof(buf), 99, 0, "empty certificate option");
}

TEST(mac_inputs)
{
	u8 a[16], b[16], out[64];
	int i;

	for (i = 0; i < 16; i++) {
		a[i] = (u8)i;
		b[i] = (u8)(0xf0 | i);
	}
	cbu_mac_bu_input(out, a, b, 0x0102, 0x0304);
	EXPECT(!memcmp(out, a, 16) && !memcmp(out + 16, b, 16));
	EXPECT(out[32] == 1 && out[33] == 2 && out[34] == 3 && out[35] == 4);
	cbu_mac_ba_input(out, a, b, 0xfffe, 0, 0xabcd);
	EXPECT(out[32] == 0xff && out[33] == 0xfe && out[34] == 0 &&
	       out[35] == 0 && out[36] == 0xab && out[37] == 0xcd);
	cbu_mac_bc_input(out, a, b, 7, CBU_BC_CONFIRM);
	EXPECT(out[33] == 7 && out[34] == CBU_BC_CONFIRM);
}

KTEST_MAIN()
