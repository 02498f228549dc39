// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for kernel/mh.c, the Mobility Header parser the module
 * shares with userspace:
 *   cbu_mh_parse  valid messages located, malformed ones refused, each
 *                 with its reason and no partial result
 *   cbu_mh_mac    the MAC input concatenations against the known-answer
 *                 vectors of kat_vectors.h (computed with Python's hmac)
 */
#include <kunit/test.h>

#include "../mh.h"
#include "kat_vectors.h"
#include "mh_samples.h"

/* KUNIT_EXPECT_MEMEQ arrived in 6.2; 6.1 is a target. */
static void expect_bytes_eq(struct kunit *test, const u8 *got, const u8 *want,
			    size_t len)
{
	KUNIT_EXPECT_EQ_MSG(test, memcmp(got, want, len), 0,
			    "got %*phN, want %*phN", (int)len, got, (int)len,
			    want);
}

static void cbu_mh_parse_bu(struct kunit *test)
{
	struct cbu_mh_info info;
	const char *why;

	KUNIT_ASSERT_EQ(test, cbu_mh_parse(cbu_sample_bu, sizeof(cbu_sample_bu), &info, &why), 0);
	KUNIT_EXPECT_EQ(test, info.type, CBU_MH_BU);
	KUNIT_EXPECT_EQ(test, info.len, 40);
	KUNIT_EXPECT_PTR_EQ(test, info.body, cbu_sample_bu + 6);
	KUNIT_EXPECT_EQ(test, cbu_get_be16(info.body), 0x1234);
	KUNIT_EXPECT_EQ(test, cbu_get_be16(info.body + 4), 0x10);
	KUNIT_EXPECT_PTR_EQ(test, info.auth, cbu_sample_bu + 20);
	KUNIT_EXPECT_EQ(test, info.auth_off, 18);
}

/* One octet of the BU changed, or its length cut: refused, and why. */
struct mh_bad_case {
	const char *desc;
	size_t len;
	int at;
	u8 val;
	int err;
	const char *why;
};

static const struct mh_bad_case mh_bad_cases[] = {
	{ "shorter than a header", 7, -1, 0, -EBADMSG,
	  "truncated: shorter than a Mobility Header" },
	{ "cut short", 32, -1, 0, -EBADMSG,
	  "truncated: shorter than its length field" },
	{ "length field too small", 40, 1, 3, -EBADMSG,
	  "overlong: data after the Mobility Header" },
	{ "payload proto", 40, 0, 6, -EBADMSG,
	  "payload proto is not 59 (no next header)" },
	{ "MH type CBU does not handle", 40, 2, 1, -EPROTONOSUPPORT,
	  "unrecognised MH type" },
	{ "BAD length", 40, 19, 15, -EBADMSG,
	  "bad Binding Authorization Data length" },
	{ "Return Routability's BAD", 40, 19, CBU_MOPT_AUTH_RR_LEN,
	  -EPROTONOSUPPORT,
	  "Return Routability's authenticator: not a CBU message" },
	{ "option overruns", 40, 37, 3, -EBADMSG,
	  "mobility option overruns the message" },
	{ "option after BAD", 40, 36, CBU_MOPT_AUTH, -EBADMSG,
	  "option after Binding Authorization Data" },
	{ "BAD not at 8n+2", 40, 13, 5, -EBADMSG,
	  "Binding Authorization Data not at 8n+2" },
};

static void mh_bad_desc(const struct mh_bad_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mh_bad, mh_bad_cases, mh_bad_desc);

static void cbu_mh_parse_refuses(struct kunit *test)
{
	const struct mh_bad_case *c = test->param_value;
	struct cbu_mh_info info;
	const char *why;
	u8 buf[40];

	memcpy(buf, cbu_sample_bu, sizeof(buf));
	if (c->at >= 0)
		buf[c->at] = c->val;
	/* "BAD not at 8n+2": the PadN grows by one, the BAD moves down. */
	if (c->at == 13) {
		memmove(buf + 19, cbu_sample_bu + 18, 18);
		buf[37] = CBU_MOPT_PAD1;
	}
	KUNIT_EXPECT_EQ(test, cbu_mh_parse(buf, c->len, &info, &why), c->err);
	KUNIT_ASSERT_NOT_NULL(test, why);
	KUNIT_EXPECT_STREQ(test, why, c->why);
	KUNIT_EXPECT_NULL(test, info.auth);
	KUNIT_EXPECT_NULL(test, info.body);
}

static void cbu_mh_parse_exp(struct kunit *test)
{
	u8 buf[16] = { 59, 1, CBU_MH_EXP, 0, 0, 0, CBU_SUB_COOKIE0,
		       CBU_WIRE_VERSION, 1, 2, 3, 4, 5, 6, 7, 8 };
	struct cbu_mh_info info;
	const char *why;

	KUNIT_ASSERT_EQ(test, cbu_mh_parse(buf, 16, &info, &why), 0);
	KUNIT_EXPECT_EQ(test, info.subtype, CBU_SUB_COOKIE0);
	KUNIT_EXPECT_EQ(test, info.body_len, sizeof(struct cbu_cookie0));

	buf[7] = CBU_WIRE_VERSION + 1;
	KUNIT_EXPECT_EQ(test, cbu_mh_parse(buf, 16, &info, &why), -EBADMSG);
	KUNIT_EXPECT_STREQ(test, why, "unsupported CBU version");
	buf[7] = CBU_WIRE_VERSION;
	buf[6] = __CBU_SUB_MAX;
	KUNIT_EXPECT_EQ(test, cbu_mh_parse(buf, 16, &info, &why), -EBADMSG);
	KUNIT_EXPECT_STREQ(test, why, "unknown CBU subtype");
}

/* The rules of wire-format.md 3.5 in the kernel: the decoder's own. */
static void cbu_mh_check_rules(struct kunit *test)
{
	u8 bu[64] = { 59, 7, CBU_MH_BU, 0, 0, 0, 0, 7, 0, 0, 0, 4,
		      CBU_MOPT_CBU, 17, CBU_OPT_HOA };
	struct cbu_mh_info info;
	const char *why;
	u8 ba[64];

	KUNIT_ASSERT_EQ(test, cbu_mh_parse(cbu_sample_bu, sizeof(cbu_sample_bu), &info, &why), 0);
	KUNIT_EXPECT_EQ(test, cbu_mh_check(&info, &why), 0);
	KUNIT_ASSERT_EQ(test, cbu_mh_parse(cbu_sample_ba, sizeof(cbu_sample_ba), &info, &why), 0);
	KUNIT_EXPECT_EQ(test, cbu_mh_check(&info, &why), 0);

	/* A BU with a CBU home address option: parses, breaks a rule. */
	bu[31] = CBU_MOPT_PADN;
	bu[32] = 1;
	bu[34] = CBU_MOPT_AUTH;
	bu[35] = CBU_MAC_LEN;
	bu[52] = CBU_MOPT_PADN;
	bu[53] = 10;
	KUNIT_ASSERT_EQ(test, cbu_mh_parse(bu, sizeof(bu), &info, &why), 0);
	KUNIT_EXPECT_EQ(test, cbu_mh_check(&info, &why), -EBADMSG);
	KUNIT_EXPECT_STREQ(test, why, "unexpected home address option");

	/* A BA without its LT_EN option: the option turned into PadN. */
	memcpy(ba, cbu_sample_ba, sizeof(ba));
	KUNIT_ASSERT_EQ(test, ba[12], CBU_MOPT_CBU);
	KUNIT_ASSERT_EQ(test, ba[14], CBU_OPT_LT_EN);
	ba[12] = CBU_MOPT_PADN;
	KUNIT_ASSERT_EQ(test, cbu_mh_parse(ba, sizeof(ba), &info, &why), 0);
	KUNIT_EXPECT_EQ(test, cbu_mh_check(&info, &why), -EBADMSG);
	KUNIT_EXPECT_STREQ(test, why, "missing its LT_EN option");
}

/* wire-format.md 9.7: a MAP's BA, MAC'd or signed, never with LT_EN. */
static void cbu_mh_check_map_ba(struct kunit *test)
{
	struct cbu_mh_info info;
	const char *why;
	u8 ba[72];

	memcpy(ba, cbu_sample_map_ba, sizeof(ba));
	KUNIT_ASSERT_EQ(test, cbu_mh_parse(ba, sizeof(ba), &info, &why), 0);
	KUNIT_EXPECT_PTR_EQ(test, info.nonce, (const u8 *)ba + 34);
	KUNIT_EXPECT_EQ(test, info.auth_off, 50);
	KUNIT_EXPECT_EQ(test, cbu_mh_check(&info, &why), 0);

	/* Its MAC made padding: a signature is then required. */
	ba[50] = CBU_MOPT_PADN;
	KUNIT_ASSERT_EQ(test, cbu_mh_parse(ba, sizeof(ba), &info, &why), 0);
	KUNIT_EXPECT_EQ(test, cbu_mh_check(&info, &why), -EBADMSG);
	KUNIT_EXPECT_STREQ(test, why, "missing its signature option");

	/* Its HoA option made a second NONCE. */
	memcpy(ba, cbu_sample_map_ba, sizeof(ba));
	ba[14] = CBU_OPT_NONCE;
	KUNIT_EXPECT_EQ(test, cbu_mh_parse(ba, sizeof(ba), &info, &why),
			-EBADMSG);
	KUNIT_EXPECT_STREQ(test, why, "duplicate nonce option");
	KUNIT_EXPECT_NULL(test, info.nonce);
}

/* Destination options as the stack takes them (ip6_parse_tlv()). */
static void cbu_mh_dstopts(struct kunit *test)
{
	u8 h[CBU_HAO_HDR_LEN];
	static const u8 hoa[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1 };
	const char *why;
	const u8 *a;

	cbu_hao_build(h, CBU_IPPROTO_MH, hoa);
	KUNIT_EXPECT_EQ(test, cbu_dstopts_parse(h, sizeof(h), 8, &a, &why), 0);
	KUNIT_EXPECT_PTR_EQ(test, a, (const u8 *)h + 8);
	/* The PadN becomes an unknown option that says "discard". */
	h[2] = 0x5e;
	KUNIT_EXPECT_EQ(test, cbu_dstopts_parse(h, sizeof(h), 8, &a, &why), -EBADMSG);
	KUNIT_EXPECT_NULL(test, a);
	KUNIT_EXPECT_STREQ(test, why, "unknown option that says discard");
	/* Action 00: skipped, unless no unknown option is allowed. */
	h[2] = 0x1e;
	KUNIT_EXPECT_EQ(test, cbu_dstopts_parse(h, sizeof(h), 8, &a, &why), 0);
	KUNIT_EXPECT_EQ(test, cbu_dstopts_parse(h, sizeof(h), -8, &a, &why), -EBADMSG);
	KUNIT_EXPECT_EQ(test, cbu_dstopts_parse(h, sizeof(h), 1, &a, &why), -EBADMSG);
	KUNIT_EXPECT_STREQ(test, why, "too many destination options");
	/* PadN that is not zeroes. */
	h[2] = CBU_IPV6_TLV_PADN;
	h[4] = 1;
	KUNIT_EXPECT_EQ(test, cbu_dstopts_parse(h, sizeof(h), 8, &a, &why), -EBADMSG);
	KUNIT_EXPECT_STREQ(test, why, "PadN that is not zeroes");
}

/*
 * The BAs the kernel builds parse back under the same rules: the fixed
 * CN's (64 octets) and the mobile CN's with its CN HoA option (80, draft
 * section 4), the authenticator where @auth_off says, at 8n+2 + 2.
 */
static void cbu_mh_build_ba_forms(struct kunit *test)
{
	static const u8 hoa[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1 };
	static const u8 cn_hoa[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 7, [15] = 7 };
	u8 buf[CBU_BA_CN_LEN];
	struct cbu_mh_info info;
	const char *why;
	size_t len, auth;

	len = cbu_mh_build_ba(buf, CBU_BA_ACCEPTED, 0x1234, 16, 256, hoa,
			      NULL, &auth);
	KUNIT_ASSERT_EQ(test, len, (size_t)CBU_BA_LEN);
	KUNIT_EXPECT_EQ(test, auth, (size_t)44);
	KUNIT_ASSERT_EQ(test, cbu_mh_parse(buf, len, &info, &why), 0);
	KUNIT_EXPECT_EQ(test, cbu_mh_check(&info, &why), 0);
	KUNIT_EXPECT_PTR_EQ(test, info.auth, (const u8 *)buf + auth);
	KUNIT_EXPECT_PTR_EQ(test, info.hoa, (const u8 *)buf + 20);
	KUNIT_EXPECT_NULL(test, info.cn_hoa);
	KUNIT_EXPECT_EQ(test, info.lt_en, 256);

	len = cbu_mh_build_ba(buf, CBU_BA_SEQ_OUT_OF_WINDOW, 0xfffe, 0, 1,
			      hoa, cn_hoa, &auth);
	KUNIT_ASSERT_EQ(test, len, (size_t)CBU_BA_CN_LEN);
	KUNIT_EXPECT_EQ(test, auth, (size_t)60);
	KUNIT_EXPECT_EQ(test, buf[1], CBU_BA_CN_LEN / 8 - 1);
	KUNIT_ASSERT_EQ(test, cbu_mh_parse(buf, len, &info, &why), 0);
	KUNIT_EXPECT_EQ(test, cbu_mh_check(&info, &why), 0);
	KUNIT_EXPECT_PTR_EQ(test, info.auth, (const u8 *)buf + auth);
	KUNIT_EXPECT_PTR_EQ(test, info.hoa, (const u8 *)buf + 20);
	KUNIT_EXPECT_PTR_EQ(test, info.cn_hoa, (const u8 *)buf + 39);
	KUNIT_EXPECT_EQ(test, info.body[0], CBU_BA_SEQ_OUT_OF_WINDOW);
	KUNIT_EXPECT_EQ(test, info.lt_en, 1);
	expect_bytes_eq(test, info.cn_hoa, cn_hoa, sizeof(cn_hoa));
}

/* KEYS_ACK (ours, wire-format.md 4.26): a sealed body of 96, no options. */
static void cbu_mh_parse_keys_ack(struct kunit *test)
{
	u8 buf[104] = { 59, 12, CBU_MH_EXP, 0, 0, 0, CBU_SUB_KEYS_ACK,
			CBU_WIRE_VERSION };
	struct cbu_mh_info info;
	const char *why;

	KUNIT_EXPECT_EQ(test, cbu_mh_body_len(CBU_MH_EXP, CBU_SUB_KEYS_ACK),
			(size_t)96);
	KUNIT_ASSERT_EQ(test, cbu_mh_parse(buf, sizeof(buf), &info, &why), 0);
	KUNIT_EXPECT_EQ(test, cbu_mh_check(&info, &why), 0);
	KUNIT_EXPECT_EQ(test, info.body_len, 96);
	/* One octet short of its body. */
	buf[1] = 11;
	KUNIT_EXPECT_EQ(test, cbu_mh_parse(buf, 96, &info, &why), -EBADMSG);
}

static struct kunit_case cbu_mh_parse_cases[] = {
	KUNIT_CASE(cbu_mh_parse_bu),
	KUNIT_CASE_PARAM(cbu_mh_parse_refuses, mh_bad_gen_params),
	KUNIT_CASE(cbu_mh_parse_exp),
	KUNIT_CASE(cbu_mh_check_rules),
	KUNIT_CASE(cbu_mh_check_map_ba),
	KUNIT_CASE(cbu_mh_dstopts),
	KUNIT_CASE(cbu_mh_build_ba_forms),
	KUNIT_CASE(cbu_mh_parse_keys_ack),
	{}
};

static struct kunit_suite cbu_mh_parse_suite = {
	.name = "cbu_mh_parse",
	.test_cases = cbu_mh_parse_cases,
};

static void mac_bu_desc(const struct cbu_kat_mac_bu *v, char *desc)
{
	strscpy(desc, v->desc, KUNIT_PARAM_DESC_SIZE);
}

static void mac_ba_desc(const struct cbu_kat_mac_ba *v, char *desc)
{
	strscpy(desc, v->desc, KUNIT_PARAM_DESC_SIZE);
}

static void mac_bc_desc(const struct cbu_kat_mac_bc *v, char *desc)
{
	strscpy(desc, v->desc, KUNIT_PARAM_DESC_SIZE);
}

static void mac_exch0_rk_desc(const struct cbu_kat_mac_exch0_rk *v, char *desc)
{
	strscpy(desc, v->desc, KUNIT_PARAM_DESC_SIZE);
}

static void mac_exch1_rk_desc(const struct cbu_kat_mac_exch1_rk *v, char *desc)
{
	strscpy(desc, v->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(mac_bu, cbu_kat_mac_bu, mac_bu_desc);
KUNIT_ARRAY_PARAM(mac_ba, cbu_kat_mac_ba, mac_ba_desc);
KUNIT_ARRAY_PARAM(mac_bc, cbu_kat_mac_bc, mac_bc_desc);
KUNIT_ARRAY_PARAM(mac_exch0_rk, cbu_kat_mac_exch0_rk, mac_exch0_rk_desc);
KUNIT_ARRAY_PARAM(mac_exch1_rk, cbu_kat_mac_exch1_rk, mac_exch1_rk_desc);

static void cbu_mh_mac_bu_input(struct kunit *test)
{
	const struct cbu_kat_mac_bu *v = test->param_value;
	u8 in[CBU_MAC_BU_IN_LEN];

	cbu_mac_bu_input(in, v->hoa, v->coa, v->seq, v->lt);
	expect_bytes_eq(test, in, v->input, sizeof(in));
}

static void cbu_mh_mac_ba_input(struct kunit *test)
{
	const struct cbu_kat_mac_ba *v = test->param_value;
	u8 in[CBU_MAC_BA_IN_LEN];

	cbu_mac_ba_input(in, v->coa, v->cn, v->seq, v->lt_ba, v->lt_en);
	expect_bytes_eq(test, in, v->input, sizeof(in));
}

static void cbu_mh_mac_bc_input(struct kunit *test)
{
	const struct cbu_kat_mac_bc *v = test->param_value;
	u8 in[CBU_MAC_BC_IN_LEN];

	cbu_mac_bc_input(in, v->hoa, v->coa, v->seq, v->flag);
	expect_bytes_eq(test, in, v->input, sizeof(in));
}

static void cbu_mh_mac_exch0_rk_input(struct kunit *test)
{
	const struct cbu_kat_mac_exch0_rk *v = test->param_value;
	u8 in[CBU_MAC_EXCH0_RK_IN_LEN];

	cbu_mac_exch0_rk_input(in, v->hoa, v->n1);
	expect_bytes_eq(test, in, v->input, sizeof(in));
}

static void cbu_mh_mac_exch1_rk_input(struct kunit *test)
{
	const struct cbu_kat_mac_exch1_rk *v = test->param_value;
	u8 in[CBU_MAC_EXCH1_RK_IN_LEN];

	cbu_mac_exch1_rk_input(in, v->cn, v->n1, v->n2, v->lt_en);
	expect_bytes_eq(test, in, v->input, sizeof(in));
}

static struct kunit_case cbu_mh_mac_cases[] = {
	KUNIT_CASE_PARAM(cbu_mh_mac_bu_input, mac_bu_gen_params),
	KUNIT_CASE_PARAM(cbu_mh_mac_ba_input, mac_ba_gen_params),
	KUNIT_CASE_PARAM(cbu_mh_mac_bc_input, mac_bc_gen_params),
	KUNIT_CASE_PARAM(cbu_mh_mac_exch0_rk_input, mac_exch0_rk_gen_params),
	KUNIT_CASE_PARAM(cbu_mh_mac_exch1_rk_input, mac_exch1_rk_gen_params),
	{}
};

static struct kunit_suite cbu_mh_mac_suite = {
	.name = "cbu_mh_mac",
	.test_cases = cbu_mh_mac_cases,
};

kunit_test_suites(&cbu_mh_parse_suite, &cbu_mh_mac_suite);
