/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Encoder and strict decoder of every CBU message (Documentation/
 * wire-format.md), for cbu-agent and cbuctl.  The decoder validates the
 * Mobility Header with the module's own parser (kernel/mh.c), then the
 * rules of the message: which options it needs and which it may not have.
 *
 * Encoding produces the MH with a zero checksum; cbu_mh_set_checksum()
 * fills it once the IPv6 source and destination are known (the home
 * address as source when a Home Address option goes with it).
 */
#ifndef _CBU_MSG_H
#define _CBU_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/cbu_mh.h>

#include "crypto.h"

/* The largest sealed body: KEYS. */
#define CBU_SEALED_MAX		CBU_SEALED_LEN(sizeof(struct cbu_keys_pt))
/* Room for a certificate chain's worth of CBU_OPT_CERT data. */
#define CBU_CERT_MAX		1024

/**
 * struct cbu_msg - a CBU message
 * @type: &enum cbu_mh_type
 * @subtype: &enum cbu_subtype when @type is %CBU_MH_EXP
 * @seq: BU, BA: Seq#
 * @flags: BU: %CBU_BU_F_*; BA: %CBU_BA_F_*
 * @lifetime: BU: LT_BU; BA: LT_BA (4-second units)
 * @status: BA: &enum cbu_ba_status; BE: &enum cbu_be_status
 * @be_hoa: BE: the home address
 * @body: type 11: the fixed body, byte-exact as on the wire
 * @has_auth: the Binding Authorization Data option (BU, BA, BC)
 * @auth: its MAC
 * @has_lt_en: a %CBU_OPT_LT_EN option (BA)
 * @lt_en: LT_EN
 * @has_hoa: a %CBU_OPT_HOA option (BA to a CoA, HMIPv6 BU)
 * @hoa: the home address it carries
 * @has_cn_hoa: a %CBU_OPT_CN_HOA option (BA from a mobile CN, draft
 *	section 4)
 * @cn_hoa: the mobile CN's home address
 * @has_nonce: a %CBU_OPT_NONCE option (HMIPv6 BU, a MAP's BA)
 * @nonce: N_MAP
 * @has_ha: a %CBU_OPT_HA option (HMIPv6 BU)
 * @ha: the mobile node's home agent
 * @has_dh: a %CBU_OPT_DH option (entry HMIPv6 BU: g^a; its BA: g^b)
 * @dh: the X25519 public value
 * @has_sig: a %CBU_OPT_SIG option (HMIPv6 BU: SIG_MN; a MAP's BA: SIG_MAP)
 * @sig: the signature
 * @cert_len: octets of certificate in %CBU_OPT_CERT options (EXCH0, EXCH1,
 *	REP_Cert, HMIPv6 BU, a MAP's signed BA), 0 if none
 * @cert: the certificate, reassembled
 * @wire_len: decode: the MH's length as received; cbu_msg_seal(): the
 *	length the MH will have (its first octets are the associated data)
 */
struct cbu_msg {
	uint8_t		type;
	uint8_t		subtype;
	uint16_t	wire_len;
	uint16_t	seq;
	uint16_t	flags;
	uint16_t	lifetime;
	uint8_t		status;
	uint8_t		be_hoa[CBU_ADDR_LEN];
	union {
		struct cbu_cookie0	cookie0;
		struct cbu_cookie1	cookie1;
		struct cbu_exch0	exch0;
		struct cbu_exch1	exch1;
		struct cbu_bc		bc;
		struct cbu_exch0_rk	exch0_rk;
		struct cbu_exch1_rk	exch1_rk;
		struct cbu_test		test;
		struct cbu_alive	alive;
		struct cbu_fwd		fwd;
		/* REQ, REP, REQ_KEY, NEWKEY, KEYS: see cbu_msg_seal() */
		uint8_t			sealed[CBU_SEALED_MAX];
	} body;
	bool		has_auth;
	uint8_t		auth[CBU_MAC_LEN];
	bool		has_lt_en;
	uint16_t	lt_en;
	bool		has_hoa;
	uint8_t		hoa[CBU_ADDR_LEN];
	bool		has_cn_hoa;
	uint8_t		cn_hoa[CBU_ADDR_LEN];
	bool		has_nonce;
	uint8_t		nonce[CBU_NONCE_LEN];
	bool		has_ha;
	uint8_t		ha[CBU_ADDR_LEN];
	bool		has_dh;
	uint8_t		dh[CBU_DH_LEN];
	bool		has_sig;
	uint8_t		sig[CBU_SIG_LEN];
	uint16_t	cert_len;
	uint8_t		cert[CBU_CERT_MAX];
};

/* The addresses of the IPv6 pseudo-header (RFC 6275 6.1.1). */
struct cbu_pseudo {
	uint8_t	src[CBU_ADDR_LEN];	/* the HoA if a HAO goes with the MH */
	uint8_t	dst[CBU_ADDR_LEN];
};

/* Start a message of the given kind: everything else zero. */
void cbu_msg_init(struct cbu_msg *m, uint8_t type, uint8_t subtype);

/* "BU", "EXCH0'", ...: the draft's name of a message. */
const char *cbu_msg_name(uint8_t type, uint8_t subtype, uint16_t flags);

/*
 * Encode @m into @buf.  Returns the MH's length, -EINVAL for a message
 * that breaks its rules (e.g. a BU without its MAC; @why says which), or
 * -EMSGSIZE if it does not fit @size or the MH limit.
 */
int cbu_msg_encode(const struct cbu_msg *m, uint8_t *buf, size_t size,
		   const char **why);

/*
 * Decode exactly one MH of @len octets.  With @ph the checksum is
 * verified first.  Returns 0, -EPROTONOSUPPORT for a message that is not
 * CBU's (an MH type CBU does not handle: a Binding Error, status 2, is the
 * answer; or a BU or BA of Return Routability), or -EBADMSG; @why then
 * says what was wrong.  On failure @m is zeroed.
 */
int cbu_msg_decode(struct cbu_msg *m, const uint8_t *buf, size_t len,
		   const struct cbu_pseudo *ph, const char **why);

/* RFC 6275 6.1.1 checksum over the pseudo-header and the MH. */
void cbu_mh_set_checksum(uint8_t *mh, size_t len, const struct cbu_pseudo *ph);
bool cbu_mh_checksum_ok(const uint8_t *mh, size_t len,
			const struct cbu_pseudo *ph);

/* Is this type 11 subtype's body e(k, m)? Then its plaintext length. */
size_t cbu_msg_sealed_pt_len(uint8_t subtype);

/*
 * e(k, m) for REQ, REP, REQ_KEY, NEWKEY and KEYS: seal the plaintext
 * structure (struct cbu_req_pt...) into @m's body under @key, with the
 * message's first 8 octets (checksum zero) as associated data; open it
 * again.  Open returns 0 or -EBADMSG (wrong key, or anything altered).
 */
int cbu_msg_seal(struct cbu_msg *m, const void *pt, size_t pt_len,
		 const uint8_t key[CBU_KEY_LEN]);
int cbu_msg_open(const struct cbu_msg *m, void *pt, size_t pt_len,
		 const uint8_t key[CBU_KEY_LEN]);

/* The signed inputs. */
#define CBU_SIG_HA_IN_LEN	(2 * CBU_ADDR_LEN + CBU_DH_LEN + \
				 2 * CBU_NONCE_LEN + 8)
/* wire-format.md 9.7: SIG_MN 118 octets, SIG_MAP 150, MAC_LBA 86. */
#define CBU_SIG_MN_IN_LEN	(4 * CBU_ADDR_LEN + 6 + CBU_NONCE_LEN + \
				 CBU_DH_LEN)
#define CBU_SIG_MAP_IN_LEN	(4 * CBU_ADDR_LEN + 6 + CBU_NONCE_LEN + \
				 2 * CBU_DH_LEN)
#define CBU_MAC_LBA_IN_LEN	(4 * CBU_ADDR_LEN + 6 + CBU_NONCE_LEN)

/* SIG_HA = Sig(SK_HA, HoA | CN | g^x | N1 | N2 | TS) */
void cbu_sig_ha_input(uint8_t out[CBU_SIG_HA_IN_LEN], const uint8_t *hoa,
		      const uint8_t *cn, const struct cbu_exch0 *e);
/*
 * A home agent's EXCH0 once COOKIE1 came (C0, C1 and N1 already in @e):
 * suite 1, a fresh N2, TS now, g^x (its secret to @x) and SIG_HA under
 * @key.
 */
void cbu_exch0_sign(struct cbu_exch0 *e, const uint8_t *hoa,
		    const uint8_t *cn, uint8_t x[CBU_KEY_LEN],
		    const struct cbu_sign_key *key);
/*
 * SIG_CN = Sig(SK_CN, CN | HoA | g^y | EXCH0), EXCH0 the whole MH of the
 * EXCH0 answered with its checksum field zero.  Returns the input's length
 * or -EMSGSIZE.
 */
int cbu_sig_cn_input(uint8_t *out, size_t size, const uint8_t *cn,
		     const uint8_t *hoa, const uint8_t gy[CBU_DH_LEN],
		     const uint8_t *exch0, size_t exch0_len);
/**
 * struct cbu_hmip - the fields a local BU's SIG_MN and a MAP's SIG_MAP and
 *	MAC_LBA cover (wire-format.md 9.7)
 * @lcoa: the MN's on-link care-of address (the BU's source, the BA's
 *	destination)
 * @map: the MAP's address
 * @hoa: the MN's home address (the HoA option)
 * @rcoa: the regional care-of address (the BU's Home Address option)
 * @seq: Seq#
 * @flags: BU: its 16 flag bits; BA: its 8
 * @status: BA: &enum cbu_ba_status
 * @lifetime: LT_BU or LT_BA, 4-second units
 * @n_map: BU: the N_MAP it was signed with (zero on first contact); BA:
 *	the N_MAP' it hands out
 * @ga: the BU's g^a, or zero without one
 * @gb: the BA's g^b, or zero without one
 */
struct cbu_hmip {
	uint8_t		lcoa[CBU_ADDR_LEN];
	uint8_t		map[CBU_ADDR_LEN];
	uint8_t		hoa[CBU_ADDR_LEN];
	uint8_t		rcoa[CBU_ADDR_LEN];
	uint16_t	seq;
	uint16_t	flags;
	uint8_t		status;
	uint16_t	lifetime;
	uint8_t		n_map[CBU_NONCE_LEN];
	uint8_t		ga[CBU_DH_LEN];
	uint8_t		gb[CBU_DH_LEN];
};

/*
 * SIG_MN = Sig(SK_MN, LCoA | MAP | HoA | RCoA | Seq# | Flags | LT_BU | N_MAP
 * | g^a): the draft's four addresses, then what the MAP acts on.
 */
void cbu_sig_mn_input(uint8_t out[CBU_SIG_MN_IN_LEN], const struct cbu_hmip *f);
/*
 * SIG_MAP = Sig(SK_MAP, MAP | LCoA | HoA | RCoA | Seq# | Status | Flags |
 * LT_BA | N_MAP' | g^a | g^b), Status and Flags one octet each.
 */
void cbu_sig_map_input(uint8_t out[CBU_SIG_MAP_IN_LEN],
		       const struct cbu_hmip *f);
/*
 * MAC_LBA = prf(k_LBA, LCoA | MAP | HoA | RCoA | Seq# | Status | Flags |
 * LT_BA | N_MAP')[0..16): unlike MAC_BA it covers Status and Flags.
 */
void cbu_mac_lba_input(uint8_t out[CBU_MAC_LBA_IN_LEN],
		       const struct cbu_hmip *f);
void cbu_mac_lba(uint8_t out[CBU_MAC_LEN], const uint8_t k_lba[CBU_KEY_LEN],
		 const struct cbu_hmip *f);
bool cbu_mac_lba_ok(const uint8_t mac[CBU_MAC_LEN],
		    const uint8_t k_lba[CBU_KEY_LEN], const struct cbu_hmip *f);

/*
 * HMIPv6 (wire-format.md 4.21, 4.21a).  The local BU of @f, from @f->lcoa
 * to @f->map with a Home Address option of @f->rcoa: HoA, N_MAP, the home
 * agent @ha, g^a if @dh, SIG_MN under @key, and @cert (Cert_MN).
 */
void cbu_hmip_bu_make(struct cbu_msg *m, const struct cbu_hmip *f,
		      const uint8_t ha[CBU_ADDR_LEN], bool dh,
		      const struct cbu_sign_key *key,
		      const uint8_t cert[CBU_CERT_LEN]);
/* A MAP's BA of @f, signed (g^b if @dh) with @key and @cert (Cert_MAP). */
void cbu_hmip_ba_sign(struct cbu_msg *m, const struct cbu_hmip *f, bool dh,
		      const struct cbu_sign_key *key,
		      const uint8_t cert[CBU_CERT_LEN]);
/* A MAP's BA of @f, MAC'd under @k_lba. */
void cbu_hmip_ba_mac(struct cbu_msg *m, const struct cbu_hmip *f,
		     const uint8_t k_lba[CBU_KEY_LEN]);
/*
 * The fields of a local BU @m received from @lcoa at @map, its Home Address
 * option @rcoa; of a MAP's BA @m (from @map to @lcoa), with the g^a of the
 * BU it answers.
 */
void cbu_hmip_from_bu(struct cbu_hmip *f, const struct cbu_msg *m,
		      const uint8_t *lcoa, const uint8_t *map,
		      const uint8_t *rcoa);
void cbu_hmip_from_ba(struct cbu_hmip *f, const struct cbu_msg *m,
		      const uint8_t *map, const uint8_t *lcoa,
		      const uint8_t *rcoa, const uint8_t ga[CBU_DH_LEN]);

#endif /* _CBU_MSG_H */
