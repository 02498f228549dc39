/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CBU Mobility Header parser and MAC inputs, shared by cbu.ko and the
 * userspace library (tools/lib/), so that both read the wire the same way:
 * one parser, fuzzed in userspace and tested by KUnit in the kernel.
 *
 * It depends on nothing but fixed-width types, memcpy() and errno values,
 * which tools/lib/kcompat.h supplies outside the kernel.
 */
#ifndef _CBU_MH_H
#define _CBU_MH_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include "lib/kcompat.h"
#endif

#include <linux/cbu_mh.h>

/**
 * struct cbu_mh_info - what cbu_mh_parse() found in a Mobility Header
 * @len: length of the MH in octets (8 * (hdrlen + 1))
 * @type: &enum cbu_mh_type
 * @subtype: &enum cbu_subtype for %CBU_MH_EXP, 0 otherwise
 * @body: the fixed part after struct cbu_mh (type 5, 6, 7) or after
 *	struct cbu_mh_exp (type 11)
 * @body_len: its length
 * @auth: the Binding Authorization Data (%CBU_MAC_LEN octets), or NULL
 * @auth_off: offset of the Binding Authorization Data option in the MH
 * @hoa: value of a %CBU_OPT_HOA option, or NULL
 * @cn_hoa: value of a %CBU_OPT_CN_HOA option, or NULL
 * @sig: value of a %CBU_OPT_SIG option, or NULL
 * @nonce: value of a %CBU_OPT_NONCE option (N_MAP), or NULL
 * @dh: value of a %CBU_OPT_DH option (g^a, g^b), or NULL
 * @ha: value of a %CBU_OPT_HA option (the MN's home agent), or NULL
 * @lt_en: value of a %CBU_OPT_LT_EN option, valid if @has_lt_en
 * @has_lt_en: a %CBU_OPT_LT_EN option was present
 * @cert_len: octets of certificate data in %CBU_OPT_CERT options, in order
 * @n_cert_opts: number of %CBU_OPT_CERT options
 *
 * All pointers point into the buffer given to cbu_mh_parse().
 */
struct cbu_mh_info {
	u16		len;
	u8		type;
	u8		subtype;
	const u8	*body;
	u16		body_len;
	const u8	*auth;
	u16		auth_off;
	const u8	*hoa;
	const u8	*cn_hoa;
	const u8	*sig;
	const u8	*nonce;
	const u8	*dh;
	const u8	*ha;
	u16		lt_en;
	bool		has_lt_en;
	u16		cert_len;
	u16		n_cert_opts;
};

int cbu_mh_parse(const u8 *mh, size_t len, struct cbu_mh_info *info,
		 const char **why);
int cbu_mh_check(const struct cbu_mh_info *info, const char **why);
size_t cbu_mh_cert_copy(const u8 *mh, const struct cbu_mh_info *info,
			u8 *out, size_t out_len);
size_t cbu_mh_hdr_len(u8 type);
size_t cbu_mh_body_len(u8 type, u8 subtype);

/*
 * Builders of the messages the kernel sends itself, laid out exactly as the
 * userspace encoder lays them out (tools/lib/msg.c; a unit test compares
 * the two).  The checksum is left zero; the MAC field is left for the
 * caller to fill at the offset returned in @auth_off.
 */
#define CBU_BA_LEN	64	/* with LT_EN and HoA options */
#define CBU_BA_CN_LEN	80	/* and a CN HoA option: from a mobile CN */
#define CBU_BE_LEN	24
#define CBU_BC_LEN	40

size_t cbu_mh_build_ba(u8 buf[CBU_BA_CN_LEN], u8 status, u16 seq,
		       u16 lifetime, u16 lt_en, const u8 *hoa,
		       const u8 *cn_hoa, size_t *auth_off);
size_t cbu_mh_build_be(u8 buf[CBU_BE_LEN], u8 status, const u8 *hoa);
size_t cbu_mh_build_bc(u8 buf[CBU_BC_LEN], u16 seq, size_t *auth_off);

/*
 * The destination options header carrying a Home Address option (RFC 6275
 * 6.3), as cbu sends it: next header, length, PadN(4), HAO (type, length,
 * address) = 24 octets, the option at 8n+6.
 */
#define CBU_HAO_HDR_LEN	24

void cbu_hao_build(u8 buf[CBU_HAO_HDR_LEN], u8 nexthdr, const u8 *hoa);
int cbu_dstopts_parse(const u8 *hdr, size_t len, int max_count,
		      const u8 **hao, const char **why);

/* RFC 6275 9.5.1: is @seq after @last, modulo 2^16? */
static inline bool cbu_seq_after(u16 seq, u16 last)
{
	return (s16)(seq - last) > 0;
}

static inline u16 cbu_get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline void cbu_put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline u64 cbu_get_be64(const u8 *p)
{
	u64 v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static inline void cbu_put_be64(u8 *p, u64 v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		p[i] = v & 0xff;
		v >>= 8;
	}
}

/*
 * The MAC inputs, byte for byte as the draft concatenates them: addresses
 * as 16 octets, Seq# and lifetimes as their 2-octet wire values, Flag as
 * one octet.
 */
#define CBU_MAC_BU_IN_LEN	(2 * CBU_ADDR_LEN + 2 + 2)
#define CBU_MAC_BA_IN_LEN	(2 * CBU_ADDR_LEN + 2 + 2 + 2)
#define CBU_MAC_BC_IN_LEN	(2 * CBU_ADDR_LEN + 2 + 1)
#define CBU_MAC_EXCH0_RK_IN_LEN	(CBU_ADDR_LEN + CBU_NONCE_LEN)
#define CBU_MAC_EXCH1_RK_IN_LEN	(CBU_ADDR_LEN + 2 * CBU_NONCE_LEN + 2)

/* MAC_BU = prf(k_BU, HoA | CoA | Seq# | LT_BU) */
void cbu_mac_bu_input(u8 out[CBU_MAC_BU_IN_LEN], const u8 *hoa,
		      const u8 *coa, u16 seq, u16 lt_bu);
/* MAC_BA = prf(k_BA, CoA | CN | Seq# | LT_BA | LT_EN) */
void cbu_mac_ba_input(u8 out[CBU_MAC_BA_IN_LEN], const u8 *coa,
		      const u8 *cn, u16 seq, u16 lt_ba, u16 lt_en);
/* MAC_BC = prf(k_BA, HoA | CoA | Seq# | Flag) */
void cbu_mac_bc_input(u8 out[CBU_MAC_BC_IN_LEN], const u8 *hoa,
		      const u8 *coa, u16 seq, u8 flag);
/* MAC_EXCH0' = prf(k_EN, HoA | N1') */
void cbu_mac_exch0_rk_input(u8 out[CBU_MAC_EXCH0_RK_IN_LEN], const u8 *hoa,
			    const u8 *n1);
/* MAC_EXCH1' = prf(k_EN, CN | N1' | N2' | LT_EN) */
void cbu_mac_exch1_rk_input(u8 out[CBU_MAC_EXCH1_RK_IN_LEN], const u8 *cn,
			    const u8 *n1, const u8 *n2, u16 lt_en);

#endif /* _CBU_MH_H */
