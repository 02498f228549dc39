/* SPDX-License-Identifier: ((GPL-2.0 WITH Linux-syscall-note) OR MIT) */
/*
 * cbu: the wire format of the Certificate-based Binding Update protocol
 * (draft-qiu-mip6-certificated-binding-update-03) on the IPv6 Mobility
 * Header (RFC 6275 section 6.1).  Documentation/wire-format.md describes
 * every message; this header is the one definition kernel, agent and cbuctl
 * share.  All integers are big-endian; every structure is byte-aligned
 * (arrays of __u8 or __be16) so that it may be read in place from a packet.
 *
 * BU, BA and BE are RFC 6275 types 5, 6 and 7, byte-exact.  BU and BA carry
 * their MAC in the Binding Authorization Data option (the last option) and
 * any other CBU field in CBU mobility options (the RFC 5096 experimental
 * option).  Every other CBU message is an RFC 5096 experimental Mobility
 * Header (type 11) whose data starts with a subtype and a version octet.
 */
#ifndef _UAPI_LINUX_CBU_MH_H
#define _UAPI_LINUX_CBU_MH_H

#include <linux/types.h>

/* IPv6 next-header values involved. */
#define CBU_IPPROTO_MH		135	/* Mobility Header */
#define CBU_IPPROTO_NONE	59	/* MH payload proto: no next header */
#define CBU_IPPROTO_DSTOPTS	60	/* carries the Home Address option */

/* Sizes of the crypto suite 1 values (Documentation/wire-format.md). */
#define CBU_ADDR_LEN		16	/* an IPv6 address */
#define CBU_NONCE_LEN		16	/* N0, N1, N2, N0', N1', N2', N3, N */
#define CBU_COOKIE_LEN		8	/* C0, C1 */
#define CBU_KEY_LEN		32	/* k_BU, k_BA, k_EN, k_HA, k_master... */
#define CBU_MAC_LEN		16	/* HMAC-SHA256 truncated to 128 bits */
#define CBU_DH_LEN		32	/* X25519 public value g^x, g^y */
#define CBU_PUBKEY_LEN		32	/* Ed25519 public key */
#define CBU_SIG_LEN		64	/* Ed25519 signature */
#define CBU_KEYID_LEN		8	/* issuer key id: SHA-256(key)[0..8) */
#define CBU_AEAD_NONCE_LEN	24	/* XChaCha20-Poly1305 nonce */
#define CBU_AEAD_TAG_LEN	16	/* Poly1305 tag */

/* The version octet of every type 11 CBU message. */
#define CBU_WIRE_VERSION	1

/* Crypto suites (NOTES: suite 1 is the only one). */
#define CBU_SUITE_1		1	/* Ed25519, X25519, HMAC-SHA256 */

/* RFC 6275: the largest MH is bounded by its 8-bit length field. */
#define CBU_MH_MAX_LEN		(8 * 256)

/**
 * struct cbu_mh - the Mobility Header's fixed part (RFC 6275 6.1.1)
 * @payload_proto: %CBU_IPPROTO_NONE
 * @hdrlen: length of the MH in 8-octet units, not counting the first 8
 * @type: &enum cbu_mh_type
 * @reserved: zero
 * @checksum: over the IPv6 pseudo-header (RFC 6275 6.1.1) and the MH
 */
struct cbu_mh {
	__u8	payload_proto;
	__u8	hdrlen;
	__u8	type;
	__u8	reserved;
	__sum16	checksum;
};

#define CBU_MH_LEN(hdrlen)	(((unsigned int)(hdrlen) + 1) * 8)

enum cbu_mh_type {
	CBU_MH_BRR = 0,		/* Binding Refresh Request */
	CBU_MH_BU = 5,		/* Binding Update */
	CBU_MH_BA = 6,		/* Binding Acknowledgment */
	CBU_MH_BE = 7,		/* Binding Error */
	CBU_MH_EXP = 11,	/* Experimental Mobility Header (RFC 5096) */
};

/**
 * struct cbu_mh_brr - Binding Refresh Request (RFC 6275 6.1.2)
 * @reserved: zero
 *
 * A correspondent asks the mobile node for a BU: cbu's CN sends it when a
 * binding stopped for want of a BC.  It carries no authentication; all it
 * can cause is a BU, which is.
 */
struct cbu_mh_brr {
	struct cbu_mh	mh;
	__be16	reserved;
};

/**
 * struct cbu_mh_bu - Binding Update (RFC 6275 6.1.7); options follow
 * @seq: Seq#
 * @flags: %CBU_BU_F_*
 * @lifetime: LT_BU in units of 4 seconds; 0 deletes the binding
 */
struct cbu_mh_bu {
	struct cbu_mh	mh;
	__be16	seq;
	__be16	flags;
	__be16	lifetime;
};

#define CBU_BU_F_A	0x8000	/* acknowledge */
#define CBU_BU_F_H	0x4000	/* home registration */
#define CBU_BU_F_L	0x2000	/* link-local address compatibility */
#define CBU_BU_F_K	0x1000	/* key management mobility capability */
#define CBU_BU_F_M	0x0800	/* MAP registration (RFC 5380) */

/**
 * struct cbu_mh_ba - Binding Acknowledgment (RFC 6275 6.1.8)
 * @status: &enum cbu_ba_status
 * @flags: %CBU_BA_F_*
 * @seq: Seq# of the BU acknowledged (the last accepted one on status 135)
 * @lifetime: LT_BA, granted lifetime in units of 4 seconds
 */
struct cbu_mh_ba {
	struct cbu_mh	mh;
	__u8	status;
	__u8	flags;
	__be16	seq;
	__be16	lifetime;
};

#define CBU_BA_F_K	0x80

enum cbu_ba_status {
	CBU_BA_ACCEPTED = 0,
	CBU_BA_UNSPECIFIED = 128,
	CBU_BA_PROHIBITED = 129,
	CBU_BA_INSUFFICIENT_RESOURCES = 130,
	CBU_BA_DAD_FAILED = 134,	/* a MAP: the RCoA is another's */
	CBU_BA_SEQ_OUT_OF_WINDOW = 135,
	CBU_BA_EXPIRED_NONCES = 138,	/* a MAP: sign again with its N_MAP */
};

/**
 * struct cbu_mh_be - Binding Error (RFC 6275 6.1.9)
 * @status: &enum cbu_be_status
 * @reserved: zero
 * @home_addr: the home address of the offending packet's HAO, or zero
 */
struct cbu_mh_be {
	struct cbu_mh	mh;
	__u8	status;
	__u8	reserved;
	__u8	home_addr[CBU_ADDR_LEN];
};

enum cbu_be_status {
	CBU_BE_UNKNOWN_BINDING = 1,	/* HAO without a binding */
	CBU_BE_UNKNOWN_MH_TYPE = 2,	/* peer does not speak CBU */
};

/**
 * struct cbu_mh_exp - experimental MH (RFC 5096) carrying a CBU message
 * @subtype: &enum cbu_subtype
 * @version: %CBU_WIRE_VERSION
 *
 * The subtype's fixed body follows, then mobility options up to the end.
 */
struct cbu_mh_exp {
	struct cbu_mh	mh;
	__u8	subtype;
	__u8	version;
};

/* The CBU messages carried in type 11, in the draft's order. */
enum cbu_subtype {
	CBU_SUB_REQ = 1,	/* MN -> HA: e(k_HA, HoA, CoA, CN, N0) */
	CBU_SUB_REP = 2,	/* HA -> MN: e(k_HA, N0, keys, k_HA-next) */
	CBU_SUB_COOKIE0 = 3,	/* HA (as HoA) -> CN: C0 */
	CBU_SUB_COOKIE1 = 4,	/* CN -> HoA (HA): C0, C1, N1 */
	CBU_SUB_EXCH0 = 5,	/* HA (as HoA) -> CN: signed g^x, Cert_HA */
	CBU_SUB_EXCH1 = 6,	/* CN -> HoA (HA): signed g^y, Cert_CN */
	CBU_SUB_BC = 7,		/* MN (CoA) -> CN: binding confirmation */
	CBU_SUB_REQ_KEY = 8,	/* MN -> HA: rekey k_EN */
	CBU_SUB_EXCH0_RK = 9,	/* EXCH0': HA (as HoA) -> CN: N1', MAC */
	CBU_SUB_EXCH1_RK = 10,	/* EXCH1': CN -> HoA: N1', N2', LT_EN, MAC */
	CBU_SUB_NEWKEY = 11,	/* HA -> MN: e(k_HA, N0', k_EN-new, LT_EN) */
	CBU_SUB_TEST = 12,	/* CN_HA -> CN_CoA: is CN_MN alive? */
	CBU_SUB_ALIVE = 13,	/* CN_CoA -> CN_HA: N3 */
	CBU_SUB_FWD = 14,	/* CN_HA -> CN_CoA: a forwarded BU */
	CBU_SUB_KEYS = 15,	/* CN_HA -> CN_CoA: e(k_CN, keys...) */
	CBU_SUB_REQ_CERT = 16,	/* MAP -> HA: send Cert_HA */
	CBU_SUB_REP_CERT = 17,	/* HA -> MAP: Cert_HA */
	/* cbu's own, for what the draft leaves to "IPsec" and does not say: */
	CBU_SUB_REG = 18,	/* MN (CoA) -> HA: home registration */
	CBU_SUB_REG_ACK = 19,	/* HA -> MN (CoA): its answer */
	CBU_SUB_REP_NAK = 20,	/* HA -> MN: no route optimization with CN */
	CBU_SUB_KEYS_ACK = 21,	/* CN_MN -> CN_HA: KEYS installed, or not */
	__CBU_SUB_MAX,
};

/*
 * The fixed bodies of the type 11 messages, after struct cbu_mh_exp.
 * Encrypted bodies (e(k, m): XChaCha20-Poly1305, the 8 octets of struct
 * cbu_mh_exp with a zero checksum as associated data) are the nonce, then
 * the ciphertext of the plaintext structure named, then the tag.
 */

/* Plaintext of REQ: e(k_HA, HoA, CoA, CN, N0). */
struct cbu_req_pt {
	__u8	hoa[CBU_ADDR_LEN];
	__u8	coa[CBU_ADDR_LEN];
	__u8	cn[CBU_ADDR_LEN];
	__u8	n0[CBU_NONCE_LEN];
};

/* Plaintext of REP: e(k_HA, N0, k_BU, k_BA, k_EN, k_HA-next). */
struct cbu_rep_pt {
	__u8	n0[CBU_NONCE_LEN];
	__u8	k_bu[CBU_KEY_LEN];
	__u8	k_ba[CBU_KEY_LEN];
	__u8	k_en[CBU_KEY_LEN];
	__u8	k_ha_next[CBU_KEY_LEN];
};

/* Plaintext of REQ_KEY: e(k_HA, HoA, CoA, CN, N0', REQKEN). */
struct cbu_req_key_pt {
	__u8	hoa[CBU_ADDR_LEN];
	__u8	coa[CBU_ADDR_LEN];
	__u8	cn[CBU_ADDR_LEN];
	__u8	n0[CBU_NONCE_LEN];
	__u8	reqken;		/* CBU_REQKEN */
};

#define CBU_REQKEN		1

/* Plaintext of NEWKEY: e(k_HA, N0', k_EN-new, LT_EN). */
struct cbu_newkey_pt {
	__u8	n0[CBU_NONCE_LEN];
	__u8	k_en[CBU_KEY_LEN];
	__be16	lt_en;
};

/* Plaintext of KEYS: e(k_CN, HoA, CN_HoA, N, k_BU, k_BA, k_EN, LT_EN). */
struct cbu_keys_pt {
	__u8	hoa[CBU_ADDR_LEN];
	__u8	cn_hoa[CBU_ADDR_LEN];
	__u8	n[CBU_NONCE_LEN];
	__u8	k_bu[CBU_KEY_LEN];
	__u8	k_ba[CBU_KEY_LEN];
	__u8	k_en[CBU_KEY_LEN];
	__be16	lt_en;
};

/*
 * Plaintext of KEYS_ACK: e(k_CN, HoA, CN_HoA, N, status).  CN_MN's answer
 * to the KEYS of that N, through its tunnel: status 0 (CBU_BA_ACCEPTED)
 * when the keys are installed, CBU_BA_INSUFFICIENT_RESOURCES (130) when
 * its kernel or xfrm refused them.  k_CN is CN_MN's k_HA (wire-format.md
 * 9.6).
 */
struct cbu_keys_ack_pt {
	__u8	hoa[CBU_ADDR_LEN];
	__u8	cn_hoa[CBU_ADDR_LEN];
	__u8	n[CBU_NONCE_LEN];
	__u8	status;		/* enum cbu_ba_status: 0 or 130 */
	__u8	reserved[7];
};

/*
 * Plaintext of REG: e(k_HA, HoA, CoA, Seq#, lifetime, Ni).  The mobile
 * node binds its CoA at its home agent, which then tunnels the HoA's
 * traffic to it under ESP keyed from k_HA, Ni and the Nr of the REG_ACK;
 * a REG under the k_HA-next of a REP is also how the HA learns that the
 * MN switched to it (draft section 3).
 */
struct cbu_reg_pt {
	__u8	hoa[CBU_ADDR_LEN];
	__u8	coa[CBU_ADDR_LEN];
	__be16	seq;
	__be16	lifetime;	/* 4-second units; 0 deregisters */
	__u8	reserved[4];
	__u8	ni[CBU_NONCE_LEN];	/* the same in every copy of a Seq# */
};

/*
 * Plaintext of REG_ACK: e(k_HA, HoA, Seq#, status, lifetime granted, Ni,
 * Nr).  Ni and Nr name the home tunnel's SAs in force: the REG's Ni and a
 * fresh Nr when this REG made new ones, those of the SAs kept otherwise.
 */
struct cbu_reg_ack_pt {
	__u8	hoa[CBU_ADDR_LEN];
	__be16	seq;
	__u8	status;		/* enum cbu_ba_status */
	__u8	reserved;
	__be16	lifetime;
	__u8	reserved2[2];
	__u8	ni[CBU_NONCE_LEN];
	__u8	nr[CBU_NONCE_LEN];
};

/* Plaintext of REP_NAK: e(k_HA, N0, CN, reason). */
struct cbu_rep_nak_pt {
	__u8	n0[CBU_NONCE_LEN];
	__u8	cn[CBU_ADDR_LEN];
	__u8	reason;		/* enum cbu_nak_reason */
	__u8	reserved[7];
};

/*
 * Why.  An answer the home agent refuses does not end the exchange at once
 * (someone on the path could answer first): it ends one retransmission
 * interval later unless a right answer came meanwhile, with the reason of
 * the last refusal.  A receiver takes an unknown reason as CBU_NAK_FAILED.
 */
enum cbu_nak_reason {
	CBU_NAK_NO_CBU = 1,	/* the CN answered Binding Error status 2 */
	CBU_NAK_FAILED = 2,	/* no answer that could be taken, in time */
	/* Cert_CN refused: not the CA's, expired, or not covering the CN */
	CBU_NAK_CERT = 3,
	CBU_NAK_SIG = 4,	/* SIG_CN does not verify, or g^y refused */
	CBU_NAK_COOKIE = 5,	/* EXCH1 with our C0 but not the CN's C1 */
	__CBU_NAK_MAX
};

#define CBU_SEALED_LEN(pt)	(CBU_AEAD_NONCE_LEN + (pt) + CBU_AEAD_TAG_LEN)

/* COOKIE0 = {Src=HoA, Des=CN, C0} */
struct cbu_cookie0 {
	__u8	c0[CBU_COOKIE_LEN];
};

/* COOKIE1 = {Src=CN, Des=HoA, C0, C1, N1} */
struct cbu_cookie1 {
	__u8	c0[CBU_COOKIE_LEN];
	__u8	c1[CBU_COOKIE_LEN];
	__u8	n1[CBU_NONCE_LEN];
};

/*
 * EXCH0 = {Src=HoA, Des=CN, C0, C1, N1, N2, g^x, TS, SIG_HA, Cert_HA}
 * SIG_HA = Sig(SK_HA, HoA | CN | g^x | N1 | N2 | TS); Cert_HA follows in
 * CBU_OPT_CERT options.
 */
struct cbu_exch0 {
	__u8	suite;		/* CBU_SUITE_1 */
	__u8	reserved[7];
	__u8	c0[CBU_COOKIE_LEN];
	__u8	c1[CBU_COOKIE_LEN];
	__u8	n1[CBU_NONCE_LEN];
	__u8	n2[CBU_NONCE_LEN];
	__u8	ts[8];		/* seconds since the epoch, big-endian */
	__u8	gx[CBU_DH_LEN];
	__u8	sig[CBU_SIG_LEN];
};

/*
 * EXCH1 = {Src=CN, Des=HoA, C0, C1, g^y, SIG_CN, Cert_CN}
 * SIG_CN = Sig(SK_CN, CN | HoA | g^y | EXCH0), EXCH0 being the whole MH of
 * the EXCH0 answered with its checksum field zero; Cert_CN follows in
 * CBU_OPT_CERT options.
 */
struct cbu_exch1 {
	__u8	suite;		/* CBU_SUITE_1 */
	__u8	reserved[7];
	__u8	c0[CBU_COOKIE_LEN];
	__u8	c1[CBU_COOKIE_LEN];
	__u8	gy[CBU_DH_LEN];
	__u8	sig[CBU_SIG_LEN];
};

/*
 * BC = {Src=CoA, Des=CN, HoA, Seq#, Flag, MAC_BC}: HoA in the Home Address
 * option, MAC_BC in the Binding Authorization Data option.
 */
struct cbu_bc {
	__be16	seq;
	__u8	flag;		/* CBU_BC_CONFIRM */
	__u8	reserved;
};

#define CBU_BC_CONFIRM		1

/* EXCH0' = {Src=HoA, Des=CN, N1', MAC_EXCH0'} */
struct cbu_exch0_rk {
	__u8	n1[CBU_NONCE_LEN];
	__u8	mac[CBU_MAC_LEN];
};

/* EXCH1' = {Src=CN, Des=HoA, N1', N2', LT_EN, MAC_EXCH1'} */
struct cbu_exch1_rk {
	__u8	n1[CBU_NONCE_LEN];
	__u8	n2[CBU_NONCE_LEN];
	__u8	mac[CBU_MAC_LEN];
	__be16	lt_en;
	__u8	reserved[2];
};

/* TEST = {Src=CN_HA, Des=CN_CoA, test_flag} */
struct cbu_test {
	__u8	flag;		/* CBU_TEST_FLAG */
	__u8	reserved;
};

#define CBU_TEST_FLAG		1

/* ALIVE = {Src=CN_CoA, Des=CN_HA, N3} */
struct cbu_alive {
	__u8	n3[CBU_NONCE_LEN];
};

/*
 * FWD = {Src=CoA, Des=CN_CoA, HoA, Seq#, LT_BU, MAC_BU}.  It travels in
 * the tunnel from CN_HA, so cbu carries the CoA MAC_BU covers explicitly
 * rather than trusting the inner source address.
 */
struct cbu_fwd {
	__u8	hoa[CBU_ADDR_LEN];
	__u8	coa[CBU_ADDR_LEN];
	__u8	mac[CBU_MAC_LEN];
	__be16	seq;
	__be16	lifetime;
};

/*
 * REQ_Cert = {Src=MAP, Des=HA, request_cert}: no body beyond the subtype.
 * REP_Cert = {Src=HA, Des=MAP, Cert_HA}: Cert_HA in CBU_OPT_CERT options.
 */

/* Mobility options (RFC 6275 6.2). */
struct cbu_mopt {
	__u8	type;
	__u8	len;		/* of the data, not counting these 2 octets */
};

enum cbu_mopt_type {
	CBU_MOPT_PAD1 = 0,
	CBU_MOPT_PADN = 1,
	CBU_MOPT_BRA = 2,	/* Binding Refresh Advice */
	CBU_MOPT_ALT_COA = 3,	/* Alternate Care-of Address */
	CBU_MOPT_NONCE_IDX = 4,	/* Nonce Indices */
	CBU_MOPT_AUTH = 5,	/* Binding Authorization Data: the MAC */
	CBU_MOPT_CBU = 18,	/* Experimental Mobility Option (RFC 5096) */
};

/*
 * The Binding Authorization Data option sits at 8n+2 and is the last.  Of
 * RFC 6275's Return Routability it has 12 octets (96 bits of HMAC-SHA1);
 * of CBU, CBU_MAC_LEN: its length tells the two apart.
 */
#define CBU_MOPT_AUTH_RR_LEN	12
#define CBU_MOPT_AUTH_ALIGN_N	8
#define CBU_MOPT_AUTH_ALIGN_K	2

/*
 * A CBU mobility option: the experimental option whose data starts with
 * a code (&enum cbu_opt_code); the code's value follows.
 */
struct cbu_opt {
	__u8	type;		/* CBU_MOPT_CBU */
	__u8	len;
	__u8	code;
};

enum cbu_opt_code {
	CBU_OPT_LT_EN = 1,	/* __be16: LT_EN, units of 4 seconds (BA) */
	CBU_OPT_HOA = 2,	/* 16 octets: the MN's HoA (BA, HMIPv6 BU) */
	CBU_OPT_CERT = 3,	/* a certificate, or the next part of one */
	CBU_OPT_SIG = 4,	/* 64 octets: SIG_MN, SIG_MAP */
	CBU_OPT_CN_HOA = 5,	/* 16 octets: a mobile CN's HoA (its BA) */
	CBU_OPT_NONCE = 6,	/* 16 octets: N_MAP (HMIPv6 BU, a MAP's BA) */
	CBU_OPT_DH = 7,		/* 32 octets: g^a, g^b (entry BU, its BA) */
	CBU_OPT_HA = 8,		/* 16 octets: the MN's HA (HMIPv6 BU) */
	__CBU_OPT_MAX,
};

/* IPv6 options (RFC 8200 4.2); the Home Address one (RFC 6275 6.3) at 8n+6. */
#define CBU_IPV6_TLV_PAD1	0
#define CBU_IPV6_TLV_PADN	1
#define CBU_IPV6_TLV_HAO	201
struct cbu_hao {
	__u8	type;		/* CBU_IPV6_TLV_HAO */
	__u8	len;		/* 16 */
	__u8	addr[CBU_ADDR_LEN];
};

/*
 * A certificate (Documentation/wire-format.md): 144 octets, the signature
 * covering the 80 before it.  Cert_HA names a home link prefix, Cert_CN an
 * address (or a mobile CN's home prefix), Cert_MN a home address, Cert_MAP
 * the prefix of the regional care-of addresses a MAP hands out.
 */
struct cbu_cert_wire {
	__u8	version;	/* CBU_CERT_VERSION */
	__u8	suite;		/* CBU_SUITE_1 */
	__u8	kind;		/* enum cbu_cert_kind */
	__u8	prefix_len;	/* 0..128; 128 for a single address */
	__u8	reserved[4];
	__u8	valid_from[8];	/* seconds since the epoch, big-endian */
	__u8	valid_until[8];
	__u8	subject[CBU_ADDR_LEN];
	__u8	public_key[CBU_PUBKEY_LEN];
	__u8	issuer[CBU_KEYID_LEN];
	__u8	signature[CBU_SIG_LEN];
};

#define CBU_CERT_VERSION	1
#define CBU_CERT_LEN		144
#define CBU_CERT_SIGNED_LEN	80

enum cbu_cert_kind {
	CBU_CERT_HA = 1,	/* home link: HLSP, issued by the CA */
	CBU_CERT_CN = 2,	/* correspondent, issued by the CA */
	CBU_CERT_MN = 3,	/* mobile node's HoA, issued by its HA */
	CBU_CERT_MAP = 4,	/* a MAP's RCoA prefix, issued by the CA */
};

#endif /* _UAPI_LINUX_CBU_MH_H */
