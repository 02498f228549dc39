// SPDX-License-Identifier: GPL-2.0
/*
 * Encoder and strict decoder of every CBU message (see msg.h).
 *
 * The layout of the options is fixed by the encoder: CBU options first
 * (LT_EN, HoA, CN HoA, SIG, then the certificate in as many CERT options as it
 * needs), then, if the message has a MAC, padding to 8n+2 and the Binding
 * Authorization Data option, then padding to a multiple of 8 octets.  The
 * decoder accepts any order the RFC allows and checks what the message
 * must and may carry.
 */
#include <errno.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "crypto.h"
#include "kernel/mh.h"
#include "msg.h"

/* The most certificate octets one CBU option carries (len counts code). */
#define CERT_CHUNK	(255 - 1)

void cbu_msg_init(struct cbu_msg *m, uint8_t type, uint8_t subtype)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	m->subtype = type == CBU_MH_EXP ? subtype : 0;
}

const char *cbu_msg_name(uint8_t type, uint8_t subtype, uint16_t flags)
{
	static const char *const sub[__CBU_SUB_MAX] = {
		[CBU_SUB_REQ] = "REQ",
		[CBU_SUB_REP] = "REP",
		[CBU_SUB_COOKIE0] = "COOKIE0",
		[CBU_SUB_COOKIE1] = "COOKIE1",
		[CBU_SUB_EXCH0] = "EXCH0",
		[CBU_SUB_EXCH1] = "EXCH1",
		[CBU_SUB_BC] = "BC",
		[CBU_SUB_REQ_KEY] = "REQ_KEY",
		[CBU_SUB_EXCH0_RK] = "EXCH0'",
		[CBU_SUB_EXCH1_RK] = "EXCH1'",
		[CBU_SUB_NEWKEY] = "NEWKEY",
		[CBU_SUB_TEST] = "TEST",
		[CBU_SUB_ALIVE] = "ALIVE",
		[CBU_SUB_FWD] = "FWD",
		[CBU_SUB_KEYS] = "KEYS",
		[CBU_SUB_REQ_CERT] = "REQ_Cert",
		[CBU_SUB_REP_CERT] = "REP_Cert",
		[CBU_SUB_REG] = "REG",
		[CBU_SUB_REG_ACK] = "REG_ACK",
		[CBU_SUB_REP_NAK] = "REP_NAK",
		[CBU_SUB_KEYS_ACK] = "KEYS_ACK",
	};

	switch (type) {
	case CBU_MH_BRR:
		return "BRR";
	case CBU_MH_BU:
		return flags & CBU_BU_F_M ? "HMIPv6 BU" : "BU";
	case CBU_MH_BA:
		return "BA";
	case CBU_MH_BE:
		return "BE";
	case CBU_MH_EXP:
		if (subtype > 0 && subtype < __CBU_SUB_MAX && sub[subtype])
			return sub[subtype];
		return "unknown CBU message";
	default:
		return "unknown MH type";
	}
}

/* Pad1 for one octet, PadN for more (RFC 6275 6.2.2, 6.2.3). */
static void put_pad(uint8_t *p, size_t n)
{
	if (n == 0)
		return;
	if (n == 1) {
		p[0] = CBU_MOPT_PAD1;
		return;
	}
	p[0] = CBU_MOPT_PADN;
	p[1] = (uint8_t)(n - 2);
	memset(p + 2, 0, n - 2);
}

struct writer {
	uint8_t *buf;
	size_t size;
	size_t off;
	bool overflow;
};

static uint8_t *w_take(struct writer *w, size_t n)
{
	uint8_t *p;

	if (w->overflow || n > w->size - w->off ||
	    w->off + n > CBU_MH_MAX_LEN) {
		w->overflow = true;
		return NULL;
	}
	p = w->buf + w->off;
	w->off += n;
	return p;
}

static void w_cbu_opt(struct writer *w, uint8_t code, const uint8_t *val,
		      size_t len)
{
	uint8_t *p = w_take(w, sizeof(struct cbu_opt) + len);

	if (!p)
		return;
	p[0] = CBU_MOPT_CBU;
	p[1] = (uint8_t)(1 + len);
	p[2] = code;
	memcpy(p + 3, val, len);
}

static void w_pad_to(struct writer *w, size_t n, size_t k)
{
	size_t pad = (k + n - w->off % n) % n;
	uint8_t *p = w_take(w, pad);

	if (p)
		put_pad(p, pad);
}

int cbu_msg_encode(const struct cbu_msg *m, uint8_t *buf, size_t size,
		   const char **why)
{
	struct writer w = { .buf = buf, .size = size };
	struct cbu_mh_info info;
	size_t hdr, body_len, off;
	uint8_t *p;
	int ret;

	*why = NULL;
	if (m->type == CBU_MH_BA && m->flags > 0xff) {
		*why = "BA flags are 8 bits";
		return -EINVAL;
	}

	hdr = cbu_mh_hdr_len(m->type);
	if (!hdr) {
		*why = "not a CBU message type";
		return -EINVAL;
	}
	if (m->type == CBU_MH_EXP &&
	    (m->subtype == 0 || m->subtype >= __CBU_SUB_MAX)) {
		*why = "unknown CBU subtype";
		return -EINVAL;
	}
	body_len = cbu_mh_body_len(m->type, m->subtype);

	p = w_take(&w, hdr + body_len);
	if (!p)
		goto toobig;
	memset(p, 0, hdr + body_len);
	p[0] = CBU_IPPROTO_NONE;
	p[2] = m->type;
	if (m->type == CBU_MH_EXP) {
		p[6] = m->subtype;
		p[7] = CBU_WIRE_VERSION;
	}
	p += hdr;
	switch (m->type) {
	case CBU_MH_BU:
		cbu_put_be16(p, m->seq);
		cbu_put_be16(p + 2, m->flags);
		cbu_put_be16(p + 4, m->lifetime);
		break;
	case CBU_MH_BA:
		p[0] = m->status;
		p[1] = (uint8_t)m->flags;
		cbu_put_be16(p + 2, m->seq);
		cbu_put_be16(p + 4, m->lifetime);
		break;
	case CBU_MH_BE:
		p[0] = m->status;
		memcpy(p + 2, m->be_hoa, CBU_ADDR_LEN);
		break;
	default:
		memcpy(p, &m->body, body_len);
		break;
	}

	if (m->has_lt_en) {
		uint8_t v[2];

		cbu_put_be16(v, m->lt_en);
		w_cbu_opt(&w, CBU_OPT_LT_EN, v, sizeof(v));
	}
	if (m->has_hoa)
		w_cbu_opt(&w, CBU_OPT_HOA, m->hoa, CBU_ADDR_LEN);
	if (m->has_cn_hoa)
		w_cbu_opt(&w, CBU_OPT_CN_HOA, m->cn_hoa, CBU_ADDR_LEN);
	if (m->has_nonce)
		w_cbu_opt(&w, CBU_OPT_NONCE, m->nonce, CBU_NONCE_LEN);
	if (m->has_ha)
		w_cbu_opt(&w, CBU_OPT_HA, m->ha, CBU_ADDR_LEN);
	if (m->has_dh)
		w_cbu_opt(&w, CBU_OPT_DH, m->dh, CBU_DH_LEN);
	if (m->has_sig)
		w_cbu_opt(&w, CBU_OPT_SIG, m->sig, CBU_SIG_LEN);
	if (m->cert_len > CBU_CERT_MAX) {
		*why = "certificate too large";
		return -EINVAL;
	}
	for (off = 0; off < m->cert_len; off += CERT_CHUNK) {
		size_t n = m->cert_len - off;

		w_cbu_opt(&w, CBU_OPT_CERT, m->cert + off,
			  n > CERT_CHUNK ? CERT_CHUNK : n);
	}
	if (m->has_auth) {
		w_pad_to(&w, CBU_MOPT_AUTH_ALIGN_N, CBU_MOPT_AUTH_ALIGN_K);
		p = w_take(&w, sizeof(struct cbu_mopt) + CBU_MAC_LEN);
		if (p) {
			p[0] = CBU_MOPT_AUTH;
			p[1] = CBU_MAC_LEN;
			memcpy(p + 2, m->auth, CBU_MAC_LEN);
		}
	}
	w_pad_to(&w, 8, 0);
	if (w.overflow)
		goto toobig;

	buf[1] = (uint8_t)(w.off / 8 - 1);

	/* What it wrote must pass the rules the receivers apply. */
	ret = cbu_mh_parse(buf, w.off, &info, why);
	if (!ret)
		ret = cbu_mh_check(&info, why);
	if (ret) {
		memset(buf, 0, w.off);
		return -EINVAL;
	}
	return (int)w.off;

toobig:
	*why = "message does not fit";
	return -EMSGSIZE;
}

/* Ones' complement sum of 16-bit big-endian words (RFC 1071). */
static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t mh_csum(const uint8_t *mh, size_t len,
			const struct cbu_pseudo *ph)
{
	uint32_t sum = 0;

	sum = sum16(ph->src, CBU_ADDR_LEN, sum);
	sum = sum16(ph->dst, CBU_ADDR_LEN, sum);
	sum += (uint32_t)(len >> 16) + (uint32_t)(len & 0xffff);
	sum += CBU_IPPROTO_MH;
	sum = sum16(mh, len, sum);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void cbu_mh_set_checksum(uint8_t *mh, size_t len, const struct cbu_pseudo *ph)
{
	mh[4] = 0;
	mh[5] = 0;
	cbu_put_be16(mh + 4, mh_csum(mh, len, ph));
}

bool cbu_mh_checksum_ok(const uint8_t *mh, size_t len,
			const struct cbu_pseudo *ph)
{
	return mh_csum(mh, len, ph) == 0;
}

int cbu_msg_decode(struct cbu_msg *m, const uint8_t *buf, size_t len,
		   const struct cbu_pseudo *ph, const char **why)
{
	struct cbu_mh_info info;
	int ret;

	memset(m, 0, sizeof(*m));
	*why = NULL;

	ret = cbu_mh_parse(buf, len, &info, why);
	if (ret)
		return ret;
	if (ph && !cbu_mh_checksum_ok(buf, len, ph)) {
		*why = "bad checksum";
		return -EBADMSG;
	}

	m->type = info.type;
	m->subtype = info.subtype;
	m->wire_len = info.len;
	switch (info.type) {
	case CBU_MH_BU:
		m->seq = cbu_get_be16(info.body);
		m->flags = cbu_get_be16(info.body + 2);
		m->lifetime = cbu_get_be16(info.body + 4);
		break;
	case CBU_MH_BA:
		m->status = info.body[0];
		m->flags = info.body[1];
		m->seq = cbu_get_be16(info.body + 2);
		m->lifetime = cbu_get_be16(info.body + 4);
		break;
	case CBU_MH_BE:
		m->status = info.body[0];
		memcpy(m->be_hoa, info.body + 2, CBU_ADDR_LEN);
		break;
	default:
		memcpy(&m->body, info.body, info.body_len);
		break;
	}

	if (info.auth) {
		m->has_auth = true;
		memcpy(m->auth, info.auth, CBU_MAC_LEN);
	}
	if (info.has_lt_en) {
		m->has_lt_en = true;
		m->lt_en = info.lt_en;
	}
	if (info.hoa) {
		m->has_hoa = true;
		memcpy(m->hoa, info.hoa, CBU_ADDR_LEN);
	}
	if (info.cn_hoa) {
		m->has_cn_hoa = true;
		memcpy(m->cn_hoa, info.cn_hoa, CBU_ADDR_LEN);
	}
	if (info.nonce) {
		m->has_nonce = true;
		memcpy(m->nonce, info.nonce, CBU_NONCE_LEN);
	}
	if (info.ha) {
		m->has_ha = true;
		memcpy(m->ha, info.ha, CBU_ADDR_LEN);
	}
	if (info.dh) {
		m->has_dh = true;
		memcpy(m->dh, info.dh, CBU_DH_LEN);
	}
	if (info.sig) {
		m->has_sig = true;
		memcpy(m->sig, info.sig, CBU_SIG_LEN);
	}
	if (info.cert_len) {
		if (info.cert_len > CBU_CERT_MAX) {
			ret = -EBADMSG;
			*why = "certificate too large";
			goto err;
		}
		m->cert_len = (uint16_t)cbu_mh_cert_copy(buf, &info, m->cert,
							 sizeof(m->cert));
	}

	ret = cbu_mh_check(&info, why);
	if (ret)
		goto err;
	return 0;

err:
	memset(m, 0, sizeof(*m));
	return ret;
}

size_t cbu_msg_sealed_pt_len(uint8_t subtype)
{
	switch (subtype) {
	case CBU_SUB_REQ:
		return sizeof(struct cbu_req_pt);
	case CBU_SUB_REP:
		return sizeof(struct cbu_rep_pt);
	case CBU_SUB_REQ_KEY:
		return sizeof(struct cbu_req_key_pt);
	case CBU_SUB_NEWKEY:
		return sizeof(struct cbu_newkey_pt);
	case CBU_SUB_KEYS:
		return sizeof(struct cbu_keys_pt);
	case CBU_SUB_REG:
		return sizeof(struct cbu_reg_pt);
	case CBU_SUB_REG_ACK:
		return sizeof(struct cbu_reg_ack_pt);
	case CBU_SUB_REP_NAK:
		return sizeof(struct cbu_rep_nak_pt);
	case CBU_SUB_KEYS_ACK:
		return sizeof(struct cbu_keys_ack_pt);
	default:
		return 0;
	}
}

/* The associated data: the MH's first 8 octets with a zero checksum. */
static void sealed_aad(uint8_t aad[8], uint8_t subtype, uint16_t wire_len)
{
	aad[0] = CBU_IPPROTO_NONE;
	aad[1] = (uint8_t)(wire_len / 8 - 1);
	aad[2] = CBU_MH_EXP;
	aad[3] = 0;
	aad[4] = 0;
	aad[5] = 0;
	aad[6] = subtype;
	aad[7] = CBU_WIRE_VERSION;
}

int cbu_msg_seal(struct cbu_msg *m, const void *pt, size_t pt_len,
		 const uint8_t key[CBU_KEY_LEN])
{
	size_t want = cbu_msg_sealed_pt_len(m->subtype);
	uint8_t aad[8];

	if (m->type != CBU_MH_EXP || !want || pt_len != want)
		return -EINVAL;
	/* A sealed message has no options: its length is its body's. */
	m->wire_len = (uint16_t)((sizeof(struct cbu_mh_exp) +
				  CBU_SEALED_LEN(want) + 7) & ~7u);
	sealed_aad(aad, m->subtype, m->wire_len);
	cbu_seal(m->body.sealed, pt, pt_len, aad, sizeof(aad), key);
	return 0;
}

int cbu_msg_open(const struct cbu_msg *m, void *pt, size_t pt_len,
		 const uint8_t key[CBU_KEY_LEN])
{
	size_t want = cbu_msg_sealed_pt_len(m->subtype);
	uint8_t aad[8];

	if (m->type != CBU_MH_EXP || !want || pt_len != want)
		return -EINVAL;
	sealed_aad(aad, m->subtype, m->wire_len);
	return cbu_open(pt, m->body.sealed, CBU_SEALED_LEN(want), aad,
			sizeof(aad), key);
}

void cbu_sig_ha_input(uint8_t out[CBU_SIG_HA_IN_LEN], const uint8_t *hoa,
		      const uint8_t *cn, const struct cbu_exch0 *e)
{
	uint8_t *p = out;

	memcpy(p, hoa, CBU_ADDR_LEN);
	p += CBU_ADDR_LEN;
	memcpy(p, cn, CBU_ADDR_LEN);
	p += CBU_ADDR_LEN;
	memcpy(p, e->gx, CBU_DH_LEN);
	p += CBU_DH_LEN;
	memcpy(p, e->n1, CBU_NONCE_LEN);
	p += CBU_NONCE_LEN;
	memcpy(p, e->n2, CBU_NONCE_LEN);
	p += CBU_NONCE_LEN;
	memcpy(p, e->ts, sizeof(e->ts));
}

void cbu_exch0_sign(struct cbu_exch0 *e, const uint8_t *hoa,
		    const uint8_t *cn, uint8_t x[CBU_KEY_LEN],
		    const struct cbu_sign_key *key)
{
	uint8_t in[CBU_SIG_HA_IN_LEN];

	e->suite = CBU_SUITE_1;
	cbu_random(e->n2, CBU_NONCE_LEN);
	cbu_put_be64(e->ts, (uint64_t)time(NULL));
	cbu_dh_keypair(e->gx, x);
	cbu_sig_ha_input(in, hoa, cn, e);
	cbu_sign(e->sig, in, sizeof(in), key);
}

int cbu_sig_cn_input(uint8_t *out, size_t size, const uint8_t *cn,
		     const uint8_t *hoa, const uint8_t gy[CBU_DH_LEN],
		     const uint8_t *exch0, size_t exch0_len)
{
	size_t head = 2 * CBU_ADDR_LEN + CBU_DH_LEN;

	if (exch0_len < sizeof(struct cbu_mh) || size < head ||
	    exch0_len > size - head)
		return -EMSGSIZE;
	memcpy(out, cn, CBU_ADDR_LEN);
	memcpy(out + CBU_ADDR_LEN, hoa, CBU_ADDR_LEN);
	memcpy(out + 2 * CBU_ADDR_LEN, gy, CBU_DH_LEN);
	memcpy(out + head, exch0, exch0_len);
	/* The checksum depends on the addresses, not the exchange. */
	out[head + 4] = 0;
	out[head + 5] = 0;
	return (int)(head + exch0_len);
}

static uint8_t *put_addrs(uint8_t *p, const uint8_t *a, const uint8_t *b,
			  const uint8_t *c, const uint8_t *d)
{
	memcpy(p, a, CBU_ADDR_LEN);
	memcpy(p + CBU_ADDR_LEN, b, CBU_ADDR_LEN);
	memcpy(p + 2 * CBU_ADDR_LEN, c, CBU_ADDR_LEN);
	memcpy(p + 3 * CBU_ADDR_LEN, d, CBU_ADDR_LEN);
	return p + 4 * CBU_ADDR_LEN;
}

/* Seq# | Status | Flags | LT_BA | N_MAP': a MAP's BA, signed or MAC'd. */
static uint8_t *put_ba_fields(uint8_t *p, const struct cbu_hmip *f)
{
	cbu_put_be16(p, f->seq);
	p[2] = f->status;
	p[3] = (uint8_t)f->flags;
	cbu_put_be16(p + 4, f->lifetime);
	memcpy(p + 6, f->n_map, CBU_NONCE_LEN);
	return p + 6 + CBU_NONCE_LEN;
}

void cbu_sig_mn_input(uint8_t out[CBU_SIG_MN_IN_LEN], const struct cbu_hmip *f)
{
	uint8_t *p = put_addrs(out, f->lcoa, f->map, f->hoa, f->rcoa);

	cbu_put_be16(p, f->seq);
	cbu_put_be16(p + 2, f->flags);
	cbu_put_be16(p + 4, f->lifetime);
	memcpy(p + 6, f->n_map, CBU_NONCE_LEN);
	memcpy(p + 6 + CBU_NONCE_LEN, f->ga, CBU_DH_LEN);
}

void cbu_sig_map_input(uint8_t out[CBU_SIG_MAP_IN_LEN],
		       const struct cbu_hmip *f)
{
	uint8_t *p = put_addrs(out, f->map, f->lcoa, f->hoa, f->rcoa);

	p = put_ba_fields(p, f);
	memcpy(p, f->ga, CBU_DH_LEN);
	memcpy(p + CBU_DH_LEN, f->gb, CBU_DH_LEN);
}

void cbu_mac_lba_input(uint8_t out[CBU_MAC_LBA_IN_LEN],
		       const struct cbu_hmip *f)
{
	put_ba_fields(put_addrs(out, f->lcoa, f->map, f->hoa, f->rcoa), f);
}

void cbu_mac_lba(uint8_t out[CBU_MAC_LEN], const uint8_t k_lba[CBU_KEY_LEN],
		 const struct cbu_hmip *f)
{
	uint8_t in[CBU_MAC_LBA_IN_LEN];

	cbu_mac_lba_input(in, f);
	cbu_mac(out, k_lba, in, sizeof(in));
}

bool cbu_mac_lba_ok(const uint8_t mac[CBU_MAC_LEN],
		    const uint8_t k_lba[CBU_KEY_LEN], const struct cbu_hmip *f)
{
	uint8_t in[CBU_MAC_LBA_IN_LEN];

	cbu_mac_lba_input(in, f);
	return cbu_mac_ok(mac, k_lba, in, sizeof(in));
}

void cbu_hmip_bu_make(struct cbu_msg *m, const struct cbu_hmip *f,
		      const uint8_t ha[CBU_ADDR_LEN], bool dh,
		      const struct cbu_sign_key *key,
		      const uint8_t cert[CBU_CERT_LEN])
{
	uint8_t in[CBU_SIG_MN_IN_LEN];
	struct cbu_hmip g = *f;

	if (!dh)
		memset(g.ga, 0, sizeof(g.ga));
	cbu_msg_init(m, CBU_MH_BU, 0);
	m->seq = g.seq;
	m->flags = g.flags | CBU_BU_F_M;
	g.flags = m->flags;
	m->lifetime = g.lifetime;
	m->has_hoa = true;
	memcpy(m->hoa, g.hoa, CBU_ADDR_LEN);
	m->has_nonce = true;
	memcpy(m->nonce, g.n_map, CBU_NONCE_LEN);
	m->has_ha = true;
	memcpy(m->ha, ha, CBU_ADDR_LEN);
	m->has_dh = dh;
	if (dh)
		memcpy(m->dh, g.ga, CBU_DH_LEN);
	cbu_sig_mn_input(in, &g);
	m->has_sig = true;
	cbu_sign(m->sig, in, sizeof(in), key);
	m->cert_len = CBU_CERT_LEN;
	memcpy(m->cert, cert, CBU_CERT_LEN);
}

static void hmip_ba_init(struct cbu_msg *m, const struct cbu_hmip *f)
{
	cbu_msg_init(m, CBU_MH_BA, 0);
	m->status = f->status;
	m->flags = (uint8_t)f->flags;
	m->seq = f->seq;
	m->lifetime = f->lifetime;
	m->has_hoa = true;
	memcpy(m->hoa, f->hoa, CBU_ADDR_LEN);
	m->has_nonce = true;
	memcpy(m->nonce, f->n_map, CBU_NONCE_LEN);
}

void cbu_hmip_ba_sign(struct cbu_msg *m, const struct cbu_hmip *f, bool dh,
		      const struct cbu_sign_key *key,
		      const uint8_t cert[CBU_CERT_LEN])
{
	uint8_t in[CBU_SIG_MAP_IN_LEN];
	struct cbu_hmip g = *f;

	if (!dh)
		memset(g.gb, 0, sizeof(g.gb));
	hmip_ba_init(m, &g);
	m->has_dh = dh;
	if (dh)
		memcpy(m->dh, g.gb, CBU_DH_LEN);
	cbu_sig_map_input(in, &g);
	m->has_sig = true;
	cbu_sign(m->sig, in, sizeof(in), key);
	m->cert_len = CBU_CERT_LEN;
	memcpy(m->cert, cert, CBU_CERT_LEN);
}

void cbu_hmip_ba_mac(struct cbu_msg *m, const struct cbu_hmip *f,
		     const uint8_t k_lba[CBU_KEY_LEN])
{
	hmip_ba_init(m, f);
	m->has_auth = true;
	cbu_mac_lba(m->auth, k_lba, f);
}

static void hmip_addrs(struct cbu_hmip *f, const uint8_t *lcoa,
		       const uint8_t *map, const uint8_t *hoa,
		       const uint8_t *rcoa)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->lcoa, lcoa, CBU_ADDR_LEN);
	memcpy(f->map, map, CBU_ADDR_LEN);
	memcpy(f->hoa, hoa, CBU_ADDR_LEN);
	memcpy(f->rcoa, rcoa, CBU_ADDR_LEN);
}

void cbu_hmip_from_bu(struct cbu_hmip *f, const struct cbu_msg *m,
		      const uint8_t *lcoa, const uint8_t *map,
		      const uint8_t *rcoa)
{
	hmip_addrs(f, lcoa, map, m->hoa, rcoa);
	f->seq = m->seq;
	f->flags = m->flags;
	f->lifetime = m->lifetime;
	memcpy(f->n_map, m->nonce, CBU_NONCE_LEN);
	if (m->has_dh)
		memcpy(f->ga, m->dh, CBU_DH_LEN);
}

void cbu_hmip_from_ba(struct cbu_hmip *f, const struct cbu_msg *m,
		      const uint8_t *map, const uint8_t *lcoa,
		      const uint8_t *rcoa, const uint8_t ga[CBU_DH_LEN])
{
	hmip_addrs(f, lcoa, map, m->hoa, rcoa);
	f->seq = m->seq;
	f->status = m->status;
	f->flags = m->flags;
	f->lifetime = m->lifetime;
	memcpy(f->n_map, m->nonce, CBU_NONCE_LEN);
	memcpy(f->ga, ga, CBU_DH_LEN);
	if (m->has_dh)
		memcpy(f->gb, m->dh, CBU_DH_LEN);
}
