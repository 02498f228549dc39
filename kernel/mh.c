// SPDX-License-Identifier: GPL-2.0
/*
 * The CBU Mobility Header parser (see mh.h), shared by cbu.ko and the
 * userspace library.  It reads a linear buffer holding exactly one Mobility
 * Header and never reads outside it: every access is checked against the
 * length first.  It allocates nothing, sleeps never, and keeps no state.
 */
#include "mh.h"

/* The fixed body of every CBU message, after its struct cbu_mh(_exp). */
static const u16 cbu_exp_body_len[__CBU_SUB_MAX] = {
	[CBU_SUB_REQ]		= CBU_SEALED_LEN(sizeof(struct cbu_req_pt)),
	[CBU_SUB_REP]		= CBU_SEALED_LEN(sizeof(struct cbu_rep_pt)),
	[CBU_SUB_COOKIE0]	= sizeof(struct cbu_cookie0),
	[CBU_SUB_COOKIE1]	= sizeof(struct cbu_cookie1),
	[CBU_SUB_EXCH0]		= sizeof(struct cbu_exch0),
	[CBU_SUB_EXCH1]		= sizeof(struct cbu_exch1),
	[CBU_SUB_BC]		= sizeof(struct cbu_bc),
	[CBU_SUB_REQ_KEY]	= CBU_SEALED_LEN(sizeof(struct cbu_req_key_pt)),
	[CBU_SUB_EXCH0_RK]	= sizeof(struct cbu_exch0_rk),
	[CBU_SUB_EXCH1_RK]	= sizeof(struct cbu_exch1_rk),
	[CBU_SUB_NEWKEY]	= CBU_SEALED_LEN(sizeof(struct cbu_newkey_pt)),
	[CBU_SUB_TEST]		= sizeof(struct cbu_test),
	[CBU_SUB_ALIVE]		= sizeof(struct cbu_alive),
	[CBU_SUB_FWD]		= sizeof(struct cbu_fwd),
	[CBU_SUB_KEYS]		= CBU_SEALED_LEN(sizeof(struct cbu_keys_pt)),
	[CBU_SUB_REQ_CERT]	= 0,
	[CBU_SUB_REP_CERT]	= 0,
	[CBU_SUB_REG]		= CBU_SEALED_LEN(sizeof(struct cbu_reg_pt)),
	[CBU_SUB_REG_ACK]	= CBU_SEALED_LEN(sizeof(struct cbu_reg_ack_pt)),
	[CBU_SUB_REP_NAK]	= CBU_SEALED_LEN(sizeof(struct cbu_rep_nak_pt)),
	[CBU_SUB_KEYS_ACK]	= CBU_SEALED_LEN(sizeof(struct cbu_keys_ack_pt)),
};

/**
 * cbu_mh_hdr_len - length of the header before a message's body
 * @type: MH type
 *
 * Return: sizeof(struct cbu_mh) for types 0, 5, 6, 7, sizeof(struct
 * cbu_mh_exp) for type 11 (its subtype and version octets), 0 for a type
 * CBU does not handle.
 */
size_t cbu_mh_hdr_len(u8 type)
{
	switch (type) {
	case CBU_MH_BRR:
	case CBU_MH_BU:
	case CBU_MH_BA:
	case CBU_MH_BE:
		return sizeof(struct cbu_mh);
	case CBU_MH_EXP:
		return sizeof(struct cbu_mh_exp);
	default:
		return 0;
	}
}

/**
 * cbu_mh_body_len - length of a message's fixed body
 * @type: MH type
 * @subtype: CBU subtype for %CBU_MH_EXP
 *
 * Return: octets after struct cbu_mh (types 0, 5, 6, 7) or struct cbu_mh_exp
 * (type 11), or 0 for an unknown message (REQ_Cert's body is empty too:
 * callers tell them apart by type and subtype first).
 */
size_t cbu_mh_body_len(u8 type, u8 subtype)
{
	switch (type) {
	case CBU_MH_BRR:
		return sizeof(struct cbu_mh_brr) - sizeof(struct cbu_mh);
	case CBU_MH_BU:
		return sizeof(struct cbu_mh_bu) - sizeof(struct cbu_mh);
	case CBU_MH_BA:
		return sizeof(struct cbu_mh_ba) - sizeof(struct cbu_mh);
	case CBU_MH_BE:
		return sizeof(struct cbu_mh_be) - sizeof(struct cbu_mh);
	case CBU_MH_EXP:
		if (subtype == 0 || subtype >= __CBU_SUB_MAX)
			return 0;
		return cbu_exp_body_len[subtype];
	default:
		return 0;
	}
}

static inline int reject(const char **why, const char *msg)
{
	*why = msg;
	return -EBADMSG;
}

/* One CBU mobility option: value checks and duplicate detection. */
static int cbu_mh_parse_cbu_opt(const u8 *opt, struct cbu_mh_info *info,
				const char **why)
{
	const u8 *val = opt + sizeof(struct cbu_opt);
	u8 vlen;

	if (opt[1] < 1)
		return reject(why, "CBU option without a code");
	vlen = opt[1] - 1;

	switch (opt[2]) {
	case CBU_OPT_LT_EN:
		if (vlen != 2)
			return reject(why, "bad LT_EN option length");
		if (info->has_lt_en)
			return reject(why, "duplicate LT_EN option");
		info->lt_en = cbu_get_be16(val);
		info->has_lt_en = true;
		break;
	case CBU_OPT_HOA:
		if (vlen != CBU_ADDR_LEN)
			return reject(why, "bad home address option length");
		if (info->hoa)
			return reject(why, "duplicate home address option");
		info->hoa = val;
		break;
	case CBU_OPT_CN_HOA:
		if (vlen != CBU_ADDR_LEN)
			return reject(why, "bad CN home address option length");
		if (info->cn_hoa)
			return reject(why, "duplicate CN home address option");
		info->cn_hoa = val;
		break;
	case CBU_OPT_SIG:
		if (vlen != CBU_SIG_LEN)
			return reject(why, "bad signature option length");
		if (info->sig)
			return reject(why, "duplicate signature option");
		info->sig = val;
		break;
	case CBU_OPT_NONCE:
		if (vlen != CBU_NONCE_LEN)
			return reject(why, "bad nonce option length");
		if (info->nonce)
			return reject(why, "duplicate nonce option");
		info->nonce = val;
		break;
	case CBU_OPT_DH:
		if (vlen != CBU_DH_LEN)
			return reject(why, "bad DH option length");
		if (info->dh)
			return reject(why, "duplicate DH option");
		info->dh = val;
		break;
	case CBU_OPT_HA:
		if (vlen != CBU_ADDR_LEN)
			return reject(why, "bad home agent option length");
		if (info->ha)
			return reject(why, "duplicate home agent option");
		info->ha = val;
		break;
	case CBU_OPT_CERT:
		if (vlen == 0)
			return reject(why, "empty certificate option");
		info->cert_len += vlen;
		info->n_cert_opts++;
		break;
	default:
		/* Unknown codes are skipped, as unknown options are. */
		break;
	}
	return 0;
}

static int __cbu_mh_parse(const u8 *mh, size_t len, struct cbu_mh_info *info,
			  const char **why)
{
	const struct cbu_mh *h = (const struct cbu_mh *)mh;
	size_t hdr, off;
	int ret;

	if (len < sizeof(struct cbu_mh_exp))
		return reject(why, "truncated: shorter than a Mobility Header");
	if (CBU_MH_LEN(h->hdrlen) > len)
		return reject(why, "truncated: shorter than its length field");
	if (CBU_MH_LEN(h->hdrlen) < len)
		return reject(why, "overlong: data after the Mobility Header");
	if (h->payload_proto != CBU_IPPROTO_NONE)
		return reject(why, "payload proto is not 59 (no next header)");

	info->len = len;
	info->type = h->type;
	hdr = cbu_mh_hdr_len(h->type);
	if (!hdr) {
		*why = "unrecognised MH type";
		return -EPROTONOSUPPORT;
	}
	if (h->type == CBU_MH_EXP) {
		if (mh[7] != CBU_WIRE_VERSION)
			return reject(why, "unsupported CBU version");
		if (mh[6] == 0 || mh[6] >= __CBU_SUB_MAX)
			return reject(why, "unknown CBU subtype");
		info->subtype = mh[6];
	}

	info->body = mh + hdr;
	info->body_len = cbu_mh_body_len(h->type, info->subtype);
	if (hdr + info->body_len > len)
		return reject(why, "bad length field: too short for the message");

	for (off = hdr + info->body_len; off < len; ) {
		const u8 *opt = mh + off;

		if (opt[0] == CBU_MOPT_PAD1) {
			off++;
			continue;
		}
		if (off + sizeof(struct cbu_mopt) > len)
			return reject(why, "truncated mobility option");
		if (off + sizeof(struct cbu_mopt) + opt[1] > len)
			return reject(why, "mobility option overruns the message");
		if (info->auth && opt[0] != CBU_MOPT_PADN)
			return reject(why, "option after Binding Authorization Data");

		switch (opt[0]) {
		case CBU_MOPT_PADN:
			break;
		case CBU_MOPT_AUTH:
			if (opt[1] == CBU_MOPT_AUTH_RR_LEN &&
			    (h->type == CBU_MH_BU || h->type == CBU_MH_BA)) {
				*why = "Return Routability's authenticator: not a CBU message";
				return -EPROTONOSUPPORT;
			}
			if (opt[1] != CBU_MAC_LEN)
				return reject(why, "bad Binding Authorization Data length");
			if (off % CBU_MOPT_AUTH_ALIGN_N != CBU_MOPT_AUTH_ALIGN_K)
				return reject(why, "Binding Authorization Data not at 8n+2");
			info->auth = opt + sizeof(struct cbu_mopt);
			info->auth_off = off;
			break;
		case CBU_MOPT_CBU:
			ret = cbu_mh_parse_cbu_opt(opt, info, why);
			if (ret)
				return ret;
			break;
		default:
			break;
		}
		off += sizeof(struct cbu_mopt) + opt[1];
	}
	return 0;
}

/**
 * cbu_mh_parse - validate a Mobility Header and locate its parts
 * @mh: the MH, from its Payload Proto field
 * @len: octets at @mh: exactly the MH, nothing after it
 * @info: filled on success
 * @why: set to a reason on failure (a string constant)
 *
 * Checks the length field against @len, the payload proto, the type (and
 * for type 11 the version and subtype), that the fixed body fits, and the
 * mobility options: each fits, the Binding Authorization Data option has
 * the right length, sits at 8n+2 and is followed by padding only, and CBU
 * options have valid lengths and appear once (certificate parts excepted).
 * Unrecognised options and CBU option codes are skipped (RFC 6275 6.2.1).
 * The checksum is the caller's: it needs the IPv6 pseudo-header.
 *
 * Return: 0, -EPROTONOSUPPORT for a message that is not CBU's: an MH type
 * CBU does not handle (the caller may answer with a Binding Error, status
 * 2), or a BU or BA authenticated for RFC 6275's Return Routability (a
 * Binding Authorization Data option of %CBU_MOPT_AUTH_RR_LEN octets), or
 * -EBADMSG.  A BU or BA without any Binding Authorization Data parses:
 * the caller tells (a home registration is not CBU's; an HMIPv6 BU is).
 */
int cbu_mh_parse(const u8 *mh, size_t len, struct cbu_mh_info *info,
		 const char **why)
{
	int ret;

	memset(info, 0, sizeof(*info));
	*why = NULL;
	ret = __cbu_mh_parse(mh, len, info, why);
	/* A caller that ignores the error still finds nothing to use. */
	if (ret)
		memset(info, 0, sizeof(*info));
	return ret;
}

/* Which options each message must and may carry (wire-format.md 3.5). */
#define CBU_HAS_AUTH	0x01
#define CBU_HAS_LT_EN	0x02
#define CBU_HAS_HOA	0x04
#define CBU_HAS_SIG	0x08
#define CBU_HAS_CERT	0x10
#define CBU_HAS_CN_HOA	0x20
#define CBU_HAS_NONCE	0x40
#define CBU_HAS_DH	0x80
#define CBU_HAS_HA	0x100

static const char *const cbu_opt_missing[] = {
	"missing its Binding Authorization Data option",
	"missing its LT_EN option",
	"missing its home address option",
	"missing its signature option",
	"missing its certificate",
	"missing its CN home address option",
	"missing its nonce option",
	"missing its DH option",
	"missing its home agent option",
};

static const char *const cbu_opt_unexpected[] = {
	"unexpected Binding Authorization Data option",
	"unexpected LT_EN option",
	"unexpected home address option",
	"unexpected signature option",
	"unexpected certificate",
	"unexpected CN home address option",
	"unexpected nonce option",
	"unexpected DH option",
	"unexpected home agent option",
};

/**
 * cbu_mh_check - the per-message rules, over a parsed MH
 * @info: what cbu_mh_parse() found
 * @why: set to a reason when a rule is broken
 *
 * The one rule set of Documentation/wire-format.md section 3.5, for
 * cbu.ko's receive path, the userspace decoder, and the encoder (which
 * checks what it wrote): the options each message must and may carry, the
 * crypto suite of EXCH0 and EXCH1, the flag octet of BC and TEST.
 *
 * Return: 0 or -EBADMSG.
 */
int cbu_mh_check(const struct cbu_mh_info *info, const char **why)
{
	unsigned int need = 0, may = 0, have, i;

	have = (info->auth ? CBU_HAS_AUTH : 0) |
	       (info->has_lt_en ? CBU_HAS_LT_EN : 0) |
	       (info->hoa ? CBU_HAS_HOA : 0) | (info->sig ? CBU_HAS_SIG : 0) |
	       (info->cert_len ? CBU_HAS_CERT : 0) |
	       (info->cn_hoa ? CBU_HAS_CN_HOA : 0) |
	       (info->nonce ? CBU_HAS_NONCE : 0) | (info->dh ? CBU_HAS_DH : 0) |
	       (info->ha ? CBU_HAS_HA : 0);

	switch (info->type) {
	case CBU_MH_BU:
		if (cbu_get_be16(info->body + 2) & CBU_BU_F_M) {
			/* wire-format.md 9.7: signed, g^a on entry. */
			need = CBU_HAS_HOA | CBU_HAS_NONCE | CBU_HAS_HA |
			       CBU_HAS_SIG | CBU_HAS_CERT;
			may = need | CBU_HAS_DH;
		} else {
			need = CBU_HAS_AUTH;
			may = need;
		}
		break;
	case CBU_MH_BA:
		if (info->nonce) {
			/* A MAP's: MAC'd, or signed (g^b if it makes a key). */
			need = CBU_HAS_HOA | CBU_HAS_NONCE;
			if (info->auth) {
				need |= CBU_HAS_AUTH;
				may = need;
			} else {
				need |= CBU_HAS_SIG | CBU_HAS_CERT;
				may = need | CBU_HAS_DH;
			}
		} else {
			need = CBU_HAS_AUTH | CBU_HAS_LT_EN;
			may = need | CBU_HAS_HOA | CBU_HAS_CN_HOA;
		}
		break;
	case CBU_MH_EXP:
		switch (info->subtype) {
		case CBU_SUB_BC:
			need = CBU_HAS_AUTH;
			may = need;
			if (info->body[2] != CBU_BC_CONFIRM)
				return reject(why, "unknown BC flag");
			break;
		case CBU_SUB_EXCH0:
		case CBU_SUB_EXCH1:
			if (info->body[0] != CBU_SUITE_1)
				return reject(why, "unsupported crypto suite");
			fallthrough;
		case CBU_SUB_REP_CERT:
			need = CBU_HAS_CERT;
			may = need;
			break;
		case CBU_SUB_TEST:
			if (info->body[0] != CBU_TEST_FLAG)
				return reject(why, "unknown TEST flag");
			break;
		}
		break;
	}

	for (i = 0; i < ARRAY_SIZE(cbu_opt_missing); i++) {
		if ((need & (1u << i)) && !(have & (1u << i)))
			return reject(why, cbu_opt_missing[i]);
		if ((have & (1u << i)) && !(may & (1u << i)))
			return reject(why, cbu_opt_unexpected[i]);
	}
	return 0;
}

/**
 * cbu_mh_cert_copy - reassemble the certificate of a parsed MH
 * @mh: the MH given to cbu_mh_parse()
 * @info: what it returned
 * @out: buffer for the certificate
 * @out_len: its size
 *
 * Return: the octets copied: @info->cert_len, or 0 if @out is too small or
 * the MH carries no certificate.
 */
size_t cbu_mh_cert_copy(const u8 *mh, const struct cbu_mh_info *info,
			u8 *out, size_t out_len)
{
	size_t off, n = 0;

	if (!info->cert_len || info->cert_len > out_len)
		return 0;
	off = (info->body - mh) + info->body_len;
	while (off < info->len) {
		const u8 *opt = mh + off;

		if (opt[0] == CBU_MOPT_PAD1) {
			off++;
			continue;
		}
		if (opt[0] == CBU_MOPT_CBU && opt[2] == CBU_OPT_CERT) {
			memcpy(out + n, opt + sizeof(struct cbu_opt), opt[1] - 1);
			n += opt[1] - 1;
		}
		off += sizeof(struct cbu_mopt) + opt[1];
	}
	return n;
}

void cbu_mac_bu_input(u8 out[CBU_MAC_BU_IN_LEN], const u8 *hoa,
		      const u8 *coa, u16 seq, u16 lt_bu)
{
	memcpy(out, hoa, CBU_ADDR_LEN);
	memcpy(out + CBU_ADDR_LEN, coa, CBU_ADDR_LEN);
	cbu_put_be16(out + 2 * CBU_ADDR_LEN, seq);
	cbu_put_be16(out + 2 * CBU_ADDR_LEN + 2, lt_bu);
}

void cbu_mac_ba_input(u8 out[CBU_MAC_BA_IN_LEN], const u8 *coa,
		      const u8 *cn, u16 seq, u16 lt_ba, u16 lt_en)
{
	memcpy(out, coa, CBU_ADDR_LEN);
	memcpy(out + CBU_ADDR_LEN, cn, CBU_ADDR_LEN);
	cbu_put_be16(out + 2 * CBU_ADDR_LEN, seq);
	cbu_put_be16(out + 2 * CBU_ADDR_LEN + 2, lt_ba);
	cbu_put_be16(out + 2 * CBU_ADDR_LEN + 4, lt_en);
}

void cbu_mac_bc_input(u8 out[CBU_MAC_BC_IN_LEN], const u8 *hoa,
		      const u8 *coa, u16 seq, u8 flag)
{
	memcpy(out, hoa, CBU_ADDR_LEN);
	memcpy(out + CBU_ADDR_LEN, coa, CBU_ADDR_LEN);
	cbu_put_be16(out + 2 * CBU_ADDR_LEN, seq);
	out[2 * CBU_ADDR_LEN + 2] = flag;
}

void cbu_mac_exch0_rk_input(u8 out[CBU_MAC_EXCH0_RK_IN_LEN], const u8 *hoa,
			    const u8 *n1)
{
	memcpy(out, hoa, CBU_ADDR_LEN);
	memcpy(out + CBU_ADDR_LEN, n1, CBU_NONCE_LEN);
}

void cbu_mac_exch1_rk_input(u8 out[CBU_MAC_EXCH1_RK_IN_LEN], const u8 *cn,
			    const u8 *n1, const u8 *n2, u16 lt_en)
{
	memcpy(out, cn, CBU_ADDR_LEN);
	memcpy(out + CBU_ADDR_LEN, n1, CBU_NONCE_LEN);
	memcpy(out + CBU_ADDR_LEN + CBU_NONCE_LEN, n2, CBU_NONCE_LEN);
	cbu_put_be16(out + CBU_ADDR_LEN + 2 * CBU_NONCE_LEN, lt_en);
}

static void cbu_put_padn(u8 *p, size_t n)
{
	p[0] = CBU_MOPT_PADN;
	p[1] = (u8)(n - 2);
	memset(p + 2, 0, n - 2);
}

static void cbu_put_mh(u8 *buf, size_t len, u8 type)
{
	memset(buf, 0, len);
	buf[0] = CBU_IPPROTO_NONE;
	buf[1] = (u8)(len / 8 - 1);
	buf[2] = type;
}

/*
 * BA: header, Status, Flags, Seq#, Lifetime (12); LT_EN option (5); HoA
 * option (19); PadN 6 to reach 8n+2; Binding Authorization Data (18);
 * PadN 4 to end on 64.  From a mobile CN (@cn_hoa set, draft section 4):
 * its CN HoA option (19) after the HoA, PadN 3, the authenticator, PadN 4,
 * 80 octets.
 */
size_t cbu_mh_build_ba(u8 buf[CBU_BA_CN_LEN], u8 status, u16 seq,
		       u16 lifetime, u16 lt_en, const u8 *hoa,
		       const u8 *cn_hoa, size_t *auth_off)
{
	size_t len = cn_hoa ? CBU_BA_CN_LEN : CBU_BA_LEN, off = 36, pad = 6;

	cbu_put_mh(buf, len, CBU_MH_BA);
	buf[6] = status;
	cbu_put_be16(buf + 8, seq);
	cbu_put_be16(buf + 10, lifetime);
	buf[12] = CBU_MOPT_CBU;
	buf[13] = 3;
	buf[14] = CBU_OPT_LT_EN;
	cbu_put_be16(buf + 15, lt_en);
	buf[17] = CBU_MOPT_CBU;
	buf[18] = 1 + CBU_ADDR_LEN;
	buf[19] = CBU_OPT_HOA;
	memcpy(buf + 20, hoa, CBU_ADDR_LEN);
	if (cn_hoa) {
		buf[36] = CBU_MOPT_CBU;
		buf[37] = 1 + CBU_ADDR_LEN;
		buf[38] = CBU_OPT_CN_HOA;
		memcpy(buf + 39, cn_hoa, CBU_ADDR_LEN);
		off = 55;
		pad = 3;
	}
	/* The authenticator's option at 8n+2 (RFC 6275 6.2.7). */
	cbu_put_padn(buf + off, pad);
	off += pad;
	buf[off] = CBU_MOPT_AUTH;
	buf[off + 1] = CBU_MAC_LEN;
	*auth_off = off + 2;
	cbu_put_padn(buf + off + 2 + CBU_MAC_LEN, 4);
	return len;
}

/* BE: header, Status, Reserved, Home Address (24). */
size_t cbu_mh_build_be(u8 buf[CBU_BE_LEN], u8 status, const u8 *hoa)
{
	cbu_put_mh(buf, CBU_BE_LEN, CBU_MH_BE);
	buf[6] = status;
	memcpy(buf + 8, hoa, CBU_ADDR_LEN);
	return CBU_BE_LEN;
}

/*
 * BC: type 11 header (8), Seq#, Flag, reserved (4); PadN 6; Binding
 * Authorization Data (18); PadN 4 to end on 40.
 */
size_t cbu_mh_build_bc(u8 buf[CBU_BC_LEN], u16 seq, size_t *auth_off)
{
	cbu_put_mh(buf, CBU_BC_LEN, CBU_MH_EXP);
	buf[6] = CBU_SUB_BC;
	buf[7] = CBU_WIRE_VERSION;
	cbu_put_be16(buf + 8, seq);
	buf[10] = CBU_BC_CONFIRM;
	cbu_put_padn(buf + 12, 6);
	buf[18] = CBU_MOPT_AUTH;
	buf[19] = CBU_MAC_LEN;
	cbu_put_padn(buf + 36, 4);
	*auth_off = 20;
	return CBU_BC_LEN;
}

void cbu_hao_build(u8 buf[CBU_HAO_HDR_LEN], u8 nexthdr, const u8 *hoa)
{
	memset(buf, 0, CBU_HAO_HDR_LEN);
	buf[0] = nexthdr;
	buf[1] = CBU_HAO_HDR_LEN / 8 - 1;
	buf[2] = CBU_MOPT_PADN;		/* IPv6 PadN has the same code */
	buf[3] = 2;
	buf[6] = CBU_IPV6_TLV_HAO;
	buf[7] = CBU_ADDR_LEN;
	memcpy(buf + 8, hoa, CBU_ADDR_LEN);
}

/**
 * cbu_dstopts_parse - a destination options header, checked as the stack
 *	checks it, and its Home Address option
 * @hdr: the header, from its next header octet
 * @len: its length, 8 * (hdr[1] + 1)
 * @max_count: the most options other than padding (the namespace's
 *	net.ipv6.max_dst_opts_number; negative: that many, and no unknown
 *	option at all)
 * @hao: set to the home address (16 octets inside @hdr), or NULL
 * @why: set when the stack would discard the packet
 *
 * The rules of RFC 8200 section 4.2 as net/ipv6/exthdrs.c applies them
 * (ip6_parse_tlv(), ipv6_dest_hao()): options fit the header; a run of
 * padding is at most 7 octets and PadN carries zeroes (RFC 4942 2.1.9.5);
 * at most |@max_count| other options; an unknown option whose two high
 * bits are not 00 means "discard the packet"; the Home Address option is
 * 16 octets, and there is one at most.  The stack also discards a second
 * HAO in another header, and one that is not a unicast address: the
 * caller knows about other headers and address types.
 *
 * Return: 0 when the stack would go on past this header, -EBADMSG when it
 * would discard the packet.
 */
int cbu_dstopts_parse(const u8 *hdr, size_t len, int max_count,
		      const u8 **hao, const char **why)
{
	bool unknown_ok = max_count >= 0;
	unsigned int max = unknown_ok ? (unsigned int)max_count :
					0u - (unsigned int)max_count;
	unsigned int pad = 0, count = 0;
	const u8 *found = NULL;
	size_t off = 2, i, olen;

	*hao = NULL;
	*why = NULL;
	if (len < 8 || len != 8 * ((size_t)hdr[1] + 1))
		return reject(why, "bad destination options length");
	while (off < len) {
		if (hdr[off] == CBU_IPV6_TLV_PAD1) {
			if (++pad > 7)
				return reject(why, "more than 7 octets of padding");
			off++;
			continue;
		}
		if (off + 2 > len || off + 2 + hdr[off + 1] > len)
			return reject(why, "destination option overruns its header");
		olen = 2 + hdr[off + 1];
		if (hdr[off] == CBU_IPV6_TLV_PADN) {
			pad += olen;
			if (pad > 7)
				return reject(why, "more than 7 octets of padding");
			for (i = 2; i < olen; i++)
				if (hdr[off + i])
					return reject(why, "PadN that is not zeroes");
			off += olen;
			continue;
		}
		pad = 0;
		if (++count > max)
			return reject(why, "too many destination options");
		if (hdr[off] == CBU_IPV6_TLV_HAO) {
			if (hdr[off + 1] != CBU_ADDR_LEN)
				return reject(why, "bad Home Address option length");
			if (found)
				return reject(why, "two Home Address options");
			found = hdr + off + 2;
		} else if (!unknown_ok || (hdr[off] & 0xc0)) {
			return reject(why, "unknown option that says discard");
		}
		off += olen;
	}
	*hao = found;
	return 0;
}
