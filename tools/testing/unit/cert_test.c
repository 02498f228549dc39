// SPDX-License-Identifier: GPL-2.0
/*
 * cbu_cert and cbu_armor: the codec round-trips, a signature binds every
 * signed octet, each structural rule is refused with its errno and a
 * reason, and the checks a CN, an HA and a MAP make accept exactly what
 * they should.  The armour decoder is strict; the file helpers never
 * overwrite a private key.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/armor.h"
#include "lib/cert.h"
#include "lib/crypto.h"
#include "ktest.h"

#define T0		1700000000ULL	/* 2023-11-14T22:13:20Z */
#define YEAR		(365 * 86400ULL)

static struct cbu_sign_key ca_key, ha_key, mn_key, cn_key, x_key;
static uint8_t ca_pub[CBU_PUBKEY_LEN], ha_pub[CBU_PUBKEY_LEN];
static uint8_t mn_pub[CBU_PUBKEY_LEN], cn_pub[CBU_PUBKEY_LEN];
static uint8_t x_pub[CBU_PUBKEY_LEN];

static void addr(uint8_t a[CBU_ADDR_LEN], const char *s)
{
	if (inet_pton(AF_INET6, s, a) != 1)
		abort();
}

/* A key from a seed of @fill octets; its public key to @pub. */
static void key(struct cbu_sign_key *k, uint8_t pub[CBU_PUBKEY_LEN],
		uint8_t fill)
{
	uint8_t seed[CBU_SEED_LEN];

	memset(seed, fill, sizeof(seed));
	cbu_sign_key_init(k, seed);
	cbu_sign_pubkey(pub, seed);
}

static void keys(void)
{
	key(&ca_key, ca_pub, 0xca);
	key(&ha_key, ha_pub, 0x4a);
	key(&mn_key, mn_pub, 0x33);
	key(&cn_key, cn_pub, 0xc7);
	key(&x_key, x_pub, 0x99);
}

/* A certificate valid over [T0, T0 + YEAR], signed by @signer. */
static void make(struct cbu_cert *c, uint8_t kind, const char *subject,
		 unsigned int plen, const uint8_t *pub,
		 const struct cbu_sign_key *signer)
{
	memset(c, 0, sizeof(*c));
	c->version = CBU_CERT_VERSION;
	c->suite = CBU_SUITE_1;
	c->kind = kind;
	c->prefix_len = (uint8_t)plen;
	c->valid_from = T0;
	c->valid_until = T0 + YEAR;
	addr(c->subject, subject);
	memcpy(c->public_key, pub, CBU_PUBKEY_LEN);
	cbu_cert_sign(c, signer);
}

static void make_ha(struct cbu_cert *c)
{
	make(c, CBU_CERT_HA, "2001:db8:1::", 64, ha_pub, &ca_key);
}

static void make_mn(struct cbu_cert *c, const char *hoa,
		    const struct cbu_sign_key *signer)
{
	make(c, CBU_CERT_MN, hoa, 128, mn_pub, signer);
}

/* The wire form of a valid HA certificate. */
static void ha_wire(uint8_t w[CBU_CERT_LEN])
{
	struct cbu_cert c;

	make_ha(&c);
	cbu_cert_encode(w, &c);
}

/* Decode @w (@len octets, in a heap copy of that exact size so that ASan
 * catches any read past it); expect @err and, on failure, a reason. */
static bool decodes_as(const uint8_t *w, size_t len, int err)
{
	uint8_t *copy = malloc(len ? len : 1);
	const char *why = NULL;
	struct cbu_cert c;
	int ret;

	memcpy(copy, w, len);
	ret = cbu_cert_decode(&c, copy, len, &why);
	free(copy);
	if (ret != err)
		printf("# decode: %d, expected %d (%s)\n", ret, err,
		       why ? why : "no reason");
	return ret == err && (err == 0 || why != NULL);
}

TEST(crypto_init)
{
	ASSERT(cbu_crypto_init() == 0);
	keys();
}

TEST(cert_layout)
{
	EXPECT(sizeof(struct cbu_cert_wire) == CBU_CERT_LEN);
	EXPECT(CBU_CERT_LEN == CBU_CERT_SIGNED_LEN + CBU_SIG_LEN);
}

TEST(cert_encode_decode_round_trip)
{
	uint8_t w[CBU_CERT_LEN], w2[CBU_CERT_LEN];
	struct cbu_cert c, d;
	const char *why = NULL;

	make_ha(&c);
	c.valid_from = 0x0102030405060708ULL;
	c.valid_until = 0x1112131415161718ULL;
	cbu_cert_encode(w, &c);
	/* Integers are big-endian at their uapi offsets. */
	EXPECT(w[0] == CBU_CERT_VERSION && w[1] == CBU_SUITE_1);
	EXPECT(w[2] == CBU_CERT_HA && w[3] == 64);
	EXPECT(w[8] == 0x01 && w[15] == 0x08 && w[16] == 0x11 && w[23] == 0x18);
	EXPECT(!memcmp(w + 24, c.subject, CBU_ADDR_LEN));
	EXPECT(!memcmp(w + 40, ha_pub, CBU_PUBKEY_LEN));
	EXPECT(!memcmp(w + 72, c.issuer, CBU_KEYID_LEN));
	EXPECT(!memcmp(w + 80, c.signature, CBU_SIG_LEN));

	ASSERT(cbu_cert_decode(&d, w, sizeof(w), &why) == 0);
	EXPECT(!memcmp(&c, &d, sizeof(c)));
	cbu_cert_encode(w2, &d);
	EXPECT(!memcmp(w, w2, sizeof(w)));
}

TEST(cert_sign_verify)
{
	struct cbu_cert c;
	uint8_t id[CBU_KEYID_LEN];
	const char *why = NULL;

	make_ha(&c);
	cbu_key_id(id, ca_pub);
	EXPECT(!memcmp(c.issuer, id, sizeof(id)));
	EXPECT(cbu_cert_verify(&c, ca_pub, T0 + 1, &why) == 0);
	EXPECT(cbu_cert_verify(&c, ca_pub, T0, &why) == 0);
	EXPECT(cbu_cert_verify(&c, ca_pub, T0 + YEAR, &why) == 0);
}

TEST(cert_tampered_signed_part)
{
	uint8_t w[CBU_CERT_LEN], t[CBU_CERT_LEN];
	unsigned int i, b, verified = 0;
	struct cbu_cert c;

	ha_wire(w);
	for (i = 0; i < CBU_CERT_SIGNED_LEN; i++) {
		for (b = 0; b < 8; b++) {
			const char *why = NULL;
			int ret;

			memcpy(t, w, sizeof(t));
			t[i] ^= (uint8_t)(1 << b);
			ret = cbu_cert_decode(&c, t, sizeof(t), &why);
			if (ret) {
				/* Refused before any signature check. */
				EXPECT(ret == -EBADMSG ||
				       ret == -EPROTONOSUPPORT);
				EXPECT(why != NULL);
				continue;
			}
			why = NULL;
			ret = cbu_cert_verify(&c, ca_pub, T0 + 1, &why);
			if (ret != -EKEYREJECTED)
				printf("# octet %u bit %u: %d\n", i, b, ret);
			EXPECT(ret == -EKEYREJECTED);
			EXPECT(why != NULL);
			verified++;
		}
	}
	/* Most flips decode, so the signature really is what refuses them. */
	EXPECT(verified > CBU_CERT_SIGNED_LEN * 8 / 2);
}

TEST(cert_tampered_signature)
{
	uint8_t w[CBU_CERT_LEN], t[CBU_CERT_LEN];
	struct cbu_cert c;
	unsigned int i;

	ha_wire(w);
	for (i = CBU_CERT_SIGNED_LEN; i < CBU_CERT_LEN; i++) {
		const char *why = NULL;

		memcpy(t, w, sizeof(t));
		t[i] ^= 0x01;
		ASSERT(cbu_cert_decode(&c, t, sizeof(t), &why) == 0);
		EXPECT(cbu_cert_verify(&c, ca_pub, T0 + 1, &why) ==
		       -EKEYREJECTED);
		EXPECT(why && !strcmp(why, "bad signature"));
	}
}

TEST(cert_wrong_issuer_key)
{
	struct cbu_cert c;
	const char *why = NULL;

	make_ha(&c);
	EXPECT(cbu_cert_verify(&c, x_pub, T0 + 1, &why) == -EKEYREJECTED);
	EXPECT(why != NULL);

	/* The right key id but a signature by another key. */
	make_ha(&c);
	{
		uint8_t issuer[CBU_KEYID_LEN];

		memcpy(issuer, c.issuer, sizeof(issuer));
		cbu_cert_sign(&c, &x_key);
		memcpy(c.issuer, issuer, sizeof(issuer));
	}
	why = NULL;
	EXPECT(cbu_cert_verify(&c, ca_pub, T0 + 1, &why) == -EKEYREJECTED);
	EXPECT(why && !strcmp(why, "bad signature"));
}

TEST(cert_expired)
{
	struct cbu_cert c;
	const char *why = NULL;

	make_ha(&c);
	EXPECT(cbu_cert_verify(&c, ca_pub, T0 + YEAR + 1, &why) ==
	       -EKEYEXPIRED);
	EXPECT(why && !strcmp(why, "expired"));
}

TEST(cert_not_yet_valid)
{
	struct cbu_cert c;
	const char *why = NULL;

	make_ha(&c);
	EXPECT(cbu_cert_verify(&c, ca_pub, T0 - 1, &why) == -EKEYEXPIRED);
	EXPECT(why && !strcmp(why, "not yet valid"));
}

TEST(cert_covers)
{
	uint8_t a[CBU_ADDR_LEN];
	struct cbu_cert c;

	make(&c, CBU_CERT_HA, "2001:db8:1:10::", 60, ha_pub, &ca_key);
	addr(a, "2001:db8:1:1f::1");
	EXPECT(cbu_cert_covers(&c, a));
	addr(a, "2001:db8:1:20::1");
	EXPECT(!cbu_cert_covers(&c, a));
	addr(a, "2001:db8:1:10::");
	EXPECT(cbu_cert_covers(&c, a));

	make(&c, CBU_CERT_CN, "2001:db8:9::9", 128, cn_pub, &ca_key);
	addr(a, "2001:db8:9::9");
	EXPECT(cbu_cert_covers(&c, a));
	addr(a, "2001:db8:9::8");
	EXPECT(!cbu_cert_covers(&c, a));

	make(&c, CBU_CERT_HA, "::", 0, ha_pub, &ca_key);
	EXPECT(cbu_cert_covers(&c, a));
}

TEST(cert_ha_for_hoa)
{
	uint8_t hoa[CBU_ADDR_LEN];
	struct cbu_cert c;
	const char *why = NULL;

	make_ha(&c);
	addr(hoa, "2001:db8:1::77");
	EXPECT(cbu_cert_verify_ha_for_hoa(NULL, &c, ca_pub, hoa, T0 + 1, &why) == 0);

	addr(hoa, "2001:db8:2::77");
	EXPECT(cbu_cert_verify_ha_for_hoa(NULL, &c, ca_pub, hoa, T0 + 1, &why) ==
	       -EADDRNOTAVAIL);
	EXPECT(why && !strcmp(why,
			      "home address outside the certificate's prefix"));

	/* A CN certificate is no HA certificate, whatever it covers. */
	make(&c, CBU_CERT_CN, "2001:db8:1::", 64, ha_pub, &ca_key);
	addr(hoa, "2001:db8:1::77");
	why = NULL;
	EXPECT(cbu_cert_verify_ha_for_hoa(NULL, &c, ca_pub, hoa, T0 + 1, &why) ==
	       -EKEYREJECTED);
	EXPECT(why != NULL);

	/* Signed by the wrong CA, expired: the underlying reasons. */
	make(&c, CBU_CERT_HA, "2001:db8:1::", 64, ha_pub, &x_key);
	EXPECT(cbu_cert_verify_ha_for_hoa(NULL, &c, ca_pub, hoa, T0 + 1, &why) ==
	       -EKEYREJECTED);
	make_ha(&c);
	EXPECT(cbu_cert_verify_ha_for_hoa(NULL, &c, ca_pub, hoa, T0 + 2 * YEAR,
					  &why) == -EKEYEXPIRED);
}

/* The cache spares the signature, never the other checks. */
TEST(cert_cache)
{
	struct cbu_cert_cache cc;
	uint8_t hoa[CBU_ADDR_LEN];
	struct cbu_cert c, other, forged;
	const char *why = NULL;

	EXPECT(cbu_cert_cache_init(&cc, 2) == 0);
	make_ha(&c);
	addr(hoa, "2001:db8:1::77");
	EXPECT(cbu_cert_verify_ha_for_hoa(&cc, &c, ca_pub, hoa, T0 + 1,
					  &why) == 0);
	EXPECT(cc.misses == 1 && cc.hits == 0 && cc.n == 1);
	EXPECT(cbu_cert_verify_ha_for_hoa(&cc, &c, ca_pub, hoa, T0 + 2,
					  &why) == 0);
	EXPECT(cc.misses == 1 && cc.hits == 1);

	/* Known, but the prefix, the time and the issuer still count. */
	addr(hoa, "2001:db8:2::77");
	EXPECT(cbu_cert_verify_ha_for_hoa(&cc, &c, ca_pub, hoa, T0 + 1,
					  &why) == -EADDRNOTAVAIL);
	addr(hoa, "2001:db8:1::77");
	EXPECT(cbu_cert_verify_ha_for_hoa(&cc, &c, ca_pub, hoa,
					  T0 + 2 * YEAR, &why) == -EKEYEXPIRED);
	EXPECT(cbu_cert_verify_cached(&cc, &c, x_pub, T0 + 1, &why) ==
	       -EKEYREJECTED);
	EXPECT(cc.hits == 3);

	/* A bit changed: another certificate, verified, refused, not kept. */
	forged = c;
	forged.valid_until++;
	EXPECT(cbu_cert_verify_cached(&cc, &forged, ca_pub, T0 + 1, &why) ==
	       -EKEYREJECTED);
	EXPECT(cc.n == 1 && cc.misses == 3);
	EXPECT(cbu_cert_verify_cached(&cc, &forged, ca_pub, T0 + 1, &why) ==
	       -EKEYREJECTED);
	EXPECT(cc.misses == 4);

	/* Full: the least recently used goes. */
	make(&other, CBU_CERT_HA, "2001:db8:5::", 64, ha_pub, &ca_key);
	EXPECT(cbu_cert_verify_cached(&cc, &other, ca_pub, T0 + 1, &why) == 0);
	EXPECT(cc.n == 2);
	make(&forged, CBU_CERT_HA, "2001:db8:6::", 64, ha_pub, &ca_key);
	EXPECT(cbu_cert_verify_cached(&cc, &c, ca_pub, T0 + 1, &why) == 0);
	EXPECT(cbu_cert_verify_cached(&cc, &forged, ca_pub, T0 + 1, &why) ==
	       0);
	EXPECT(cc.n == 2 && cc.misses == 6);
	/* c was used last but one: still there; other went. */
	EXPECT(cbu_cert_verify_cached(&cc, &c, ca_pub, T0 + 1, &why) == 0);
	EXPECT(cc.misses == 6);
	EXPECT(cbu_cert_verify_cached(&cc, &other, ca_pub, T0 + 1, &why) == 0);
	EXPECT(cc.misses == 7);
	cbu_cert_cache_free(&cc);

	/* No cache: every verification done. */
	EXPECT(cbu_cert_cache_init(&cc, 0) == 0);
	EXPECT(cbu_cert_verify_cached(&cc, &c, ca_pub, T0 + 1, &why) == 0);
	EXPECT(cc.misses == 0 && cc.hits == 0 && cc.e == NULL);
	cbu_cert_cache_free(&cc);
}

TEST(cert_mn_against_ha)
{
	struct cbu_cert ha, mn;
	const char *why = NULL;

	make_ha(&ha);
	make_mn(&mn, "2001:db8:1::77", &ha_key);
	EXPECT(cbu_cert_verify_mn(&mn, &ha, T0 + 1, &why) == 0);
}

/* A MAP's certificate, as a mobile node checks it (wire-format.md 9.7). */
TEST(cert_map)
{
	uint8_t map_addr[CBU_ADDR_LEN], rcoa[CBU_ADDR_LEN], out[CBU_ADDR_LEN];
	struct cbu_cert map, ha;
	const char *why = NULL;

	ASSERT(inet_pton(AF_INET6, "2001:db8:f0::1", map_addr) == 1);
	ASSERT(inet_pton(AF_INET6, "2001:db8:f0::a:10", rcoa) == 1);
	ASSERT(inet_pton(AF_INET6, "2001:db8:f1::a:10", out) == 1);
	make(&map, CBU_CERT_MAP, "2001:db8:f0::", 64, mn_pub, &ca_key);
	EXPECT(!strcmp(cbu_cert_kind_name(map.kind), "map"));
	EXPECT(cbu_cert_verify_map(NULL, &map, ca_pub, map_addr, rcoa, T0 + 1,
				   &why) == 0);
	EXPECT(cbu_cert_verify_map(NULL, &map, ca_pub, map_addr, out, T0 + 1,
				   &why) == -EADDRNOTAVAIL);
	EXPECT(why && !strcmp(why, "RCoA outside the certificate's prefix"));
	EXPECT(cbu_cert_verify_map(NULL, &map, ca_pub, out, rcoa, T0 + 1,
				   &why) == -EADDRNOTAVAIL);
	EXPECT(why && !strcmp(why, "MAP address outside the certificate's prefix"));
	EXPECT(cbu_cert_verify_map(NULL, &map, ca_pub, map_addr, rcoa,
				   T0 + YEAR + 1, &why) == -EKEYEXPIRED);
	/* Not the CA's; not of kind MAP, though the CA's and covering. */
	make(&map, CBU_CERT_MAP, "2001:db8:f0::", 64, mn_pub, &x_key);
	EXPECT(cbu_cert_verify_map(NULL, &map, ca_pub, map_addr, rcoa, T0 + 1,
				   &why) == -EKEYREJECTED);
	make(&ha, CBU_CERT_HA, "2001:db8:f0::", 64, mn_pub, &ca_key);
	EXPECT(cbu_cert_verify_map(NULL, &ha, ca_pub, map_addr, rcoa, T0 + 1,
				   &why) == -EKEYREJECTED);
	EXPECT(why && !strcmp(why, "not a MAP certificate"));
	/* Nor does a MAP certificate pass as an HA's. */
	make(&map, CBU_CERT_MAP, "2001:db8:f0::", 64, mn_pub, &ca_key);
	EXPECT(cbu_cert_verify_ha_for_hoa(NULL, &map, ca_pub, rcoa, T0 + 1,
					  &why) == -EKEYREJECTED);
}

/* A mobile node's check of its MAP's BAs: signed, then MAC'd (9.7). */
TEST(hmip_ba_verify)
{
	uint8_t w[CBU_CERT_LEN], k[CBU_KEY_LEN], k2[CBU_KEY_LEN];
	struct cbu_hmip f, g;
	struct cbu_cert map;
	struct cbu_msg m;
	const char *why = NULL;

	memset(&f, 0, sizeof(f));
	addr(f.map, "2001:db8:f0::1");
	addr(f.lcoa, "2001:db8:a1::10");
	addr(f.hoa, "2001:db8:1::10");
	addr(f.rcoa, "2001:db8:f0::a:10");
	f.seq = 7;
	f.lifetime = 30;
	memset(f.ga, 0x11, sizeof(f.ga));
	memset(f.gb, 0x22, sizeof(f.gb));
	make(&map, CBU_CERT_MAP, "2001:db8:f0::", 64, x_pub, &ca_key);
	cbu_cert_encode(w, &map);
	cbu_hmip_ba_sign(&m, &f, true, &x_key, w);
	/* What the mobile node reads back: g^a its own, the rest the BA's. */
	cbu_hmip_from_ba(&g, &m, f.map, f.lcoa, f.rcoa, f.ga);
	EXPECT(cbu_hmip_ba_verify(&m, &g, NULL, ca_pub, T0 + 1, &why) == 0);
	/* Another g^a (not our BU's), a Cert_MAP not the CA's, expired. */
	g.ga[0] ^= 1;
	EXPECT(cbu_hmip_ba_verify(&m, &g, NULL, ca_pub, T0 + 1, &why) ==
	       -EBADMSG);
	EXPECT(why && !strcmp(why, "SIG_MAP does not verify"));
	g.ga[0] ^= 1;
	EXPECT(cbu_hmip_ba_verify(&m, &g, NULL, x_pub, T0 + 1, &why) ==
	       -EKEYREJECTED);
	EXPECT(cbu_hmip_ba_verify(&m, &g, NULL, ca_pub, T0 + YEAR + 1, &why) ==
	       -EKEYEXPIRED);
	/* An RCoA outside Cert_MAP's prefix. */
	addr(g.rcoa, "2001:db8:f1::a:10");
	EXPECT(cbu_hmip_ba_verify(&m, &g, NULL, ca_pub, T0 + 1, &why) ==
	       -EADDRNOTAVAIL);
	/* MAC'd: under k_LBA only. */
	memset(k, 3, sizeof(k));
	memset(k2, 4, sizeof(k2));
	cbu_hmip_ba_mac(&m, &f, k);
	cbu_hmip_from_ba(&g, &m, f.map, f.lcoa, f.rcoa, f.ga);
	EXPECT(cbu_hmip_ba_verify(&m, &g, k, ca_pub, T0 + 1, &why) == 0);
	EXPECT(cbu_hmip_ba_verify(&m, &g, k2, ca_pub, T0 + 1, &why) ==
	       -EBADMSG);
	EXPECT(cbu_hmip_ba_verify(&m, &g, NULL, ca_pub, T0 + 1, &why) ==
	       -ENOKEY);
	g.seq++;
	EXPECT(cbu_hmip_ba_verify(&m, &g, k, ca_pub, T0 + 1, &why) ==
	       -EBADMSG);
	/* Neither. */
	cbu_msg_init(&m, CBU_MH_BA, 0);
	EXPECT(cbu_hmip_ba_verify(&m, &g, k, ca_pub, T0 + 1, &why) ==
	       -EBADMSG);
}

/* A MAP's check of Cert_MN through its cache: one signature, then hits. */
TEST(cert_mn_cached)
{
	struct cbu_cert ha, mn, other;
	struct cbu_cert_cache cc;
	const char *why = NULL;

	make_ha(&ha);
	make_mn(&mn, "2001:db8:1::77", &ha_key);
	ASSERT(cbu_cert_cache_init(&cc, 4) == 0);
	EXPECT(cbu_cert_verify_mn_cached(&cc, &mn, &ha, T0 + 1, &why) == 0);
	EXPECT(cbu_cert_verify_mn_cached(&cc, &mn, &ha, T0 + 2, &why) == 0);
	EXPECT(cc.misses == 1 && cc.hits == 1);
	/* Cached or not, the rest is checked on every use. */
	EXPECT(cbu_cert_verify_mn_cached(&cc, &mn, &ha, T0 + YEAR + 1, &why) ==
	       -EKEYEXPIRED);
	make_mn(&other, "2001:db8:1::77", &x_key);
	EXPECT(cbu_cert_verify_mn_cached(&cc, &other, &ha, T0 + 1, &why) ==
	       -EKEYREJECTED);
	cbu_cert_cache_free(&cc);
}

TEST(cert_mn_hoa_outside_ha_prefix)
{
	struct cbu_cert ha, mn;
	const char *why = NULL;

	make_ha(&ha);
	make_mn(&mn, "2001:db8:2::77", &ha_key);
	EXPECT(cbu_cert_verify_mn(&mn, &ha, T0 + 1, &why) == -EADDRNOTAVAIL);
	EXPECT(why && !strcmp(why,
			      "home address outside the HA certificate's prefix"));
}

TEST(cert_mn_not_signed_by_ha)
{
	struct cbu_cert ha, mn;
	const char *why = NULL;

	make_ha(&ha);
	/* Issued by the CA itself, or by some other key: neither is the HA. */
	make_mn(&mn, "2001:db8:1::77", &ca_key);
	EXPECT(cbu_cert_verify_mn(&mn, &ha, T0 + 1, &why) == -EKEYREJECTED);
	EXPECT(why != NULL);
	make_mn(&mn, "2001:db8:1::77", &x_key);
	why = NULL;
	EXPECT(cbu_cert_verify_mn(&mn, &ha, T0 + 1, &why) == -EKEYREJECTED);
	EXPECT(why != NULL);
}

TEST(cert_mn_windows)
{
	struct cbu_cert ha, mn;
	const char *why = NULL;

	make_ha(&ha);
	make_mn(&mn, "2001:db8:1::77", &ha_key);
	EXPECT(cbu_cert_verify_mn(&mn, &ha, T0 + YEAR + 1, &why) ==
	       -EKEYEXPIRED);

	/* MN still valid, HA expired: refused, with the HA named. */
	make(&mn, CBU_CERT_MN, "2001:db8:1::77", 128, mn_pub, &ha_key);
	ha.valid_until = T0 + 10;
	why = NULL;
	EXPECT(cbu_cert_verify_mn(&mn, &ha, T0 + 11, &why) == -EKEYEXPIRED);
	EXPECT(why && !strcmp(why, "HA certificate expired"));
}

TEST(cert_mn_kinds)
{
	struct cbu_cert ha, mn, cn;
	const char *why = NULL;

	make_ha(&ha);
	make(&cn, CBU_CERT_CN, "2001:db8:1::", 64, ha_pub, &ca_key);
	make_mn(&mn, "2001:db8:1::77", &ha_key);
	EXPECT(cbu_cert_verify_mn(&mn, &cn, T0 + 1, &why) == -EKEYREJECTED);
	EXPECT(cbu_cert_verify_mn(&ha, &ha, T0 + 1, &why) == -EKEYREJECTED);
}

TEST(cert_cn)
{
	uint8_t a[CBU_ADDR_LEN];
	struct cbu_cert cn, ha;
	const char *why = NULL;

	make(&cn, CBU_CERT_CN, "2001:db8:9::9", 128, cn_pub, &ca_key);
	addr(a, "2001:db8:9::9");
	EXPECT(cbu_cert_verify_cn(&cn, ca_pub, a, T0 + 1, &why) == 0);
	addr(a, "2001:db8:9::a");
	EXPECT(cbu_cert_verify_cn(&cn, ca_pub, a, T0 + 1, &why) ==
	       -EADDRNOTAVAIL);
	EXPECT(why != NULL);
	make_ha(&ha);
	addr(a, "2001:db8:1::1");
	EXPECT(cbu_cert_verify_cn(&ha, ca_pub, a, T0 + 1, &why) ==
	       -EKEYREJECTED);
	EXPECT(cbu_cert_verify_cn(&cn, x_pub, a, T0 + 1, &why) ==
	       -EKEYREJECTED);
}

TEST(cert_decode_truncated_and_overlong)
{
	uint8_t w[CBU_CERT_LEN + 1];

	ha_wire(w);
	w[CBU_CERT_LEN] = 0;
	EXPECT(decodes_as(w, CBU_CERT_LEN, 0));
	EXPECT(decodes_as(w, CBU_CERT_LEN - 1, -EBADMSG));
	EXPECT(decodes_as(w, CBU_CERT_LEN + 1, -EBADMSG));
	EXPECT(decodes_as(w, 0, -EBADMSG));
	EXPECT(decodes_as(w, 1, -EBADMSG));
}

TEST(cert_decode_bad_version_and_suite)
{
	uint8_t w[CBU_CERT_LEN];

	ha_wire(w);
	w[0] = CBU_CERT_VERSION + 1;
	EXPECT(decodes_as(w, sizeof(w), -EPROTONOSUPPORT));
	w[0] = 0;
	EXPECT(decodes_as(w, sizeof(w), -EPROTONOSUPPORT));
	ha_wire(w);
	w[1] = CBU_SUITE_1 + 1;
	EXPECT(decodes_as(w, sizeof(w), -EPROTONOSUPPORT));
	w[1] = 0;
	EXPECT(decodes_as(w, sizeof(w), -EPROTONOSUPPORT));
}

TEST(cert_decode_unknown_kind)
{
	uint8_t w[CBU_CERT_LEN];

	ha_wire(w);
	w[2] = 0;
	EXPECT(decodes_as(w, sizeof(w), -EBADMSG));
	w[2] = CBU_CERT_MAP + 1;
	EXPECT(decodes_as(w, sizeof(w), -EBADMSG));
	w[2] = 0xff;
	EXPECT(decodes_as(w, sizeof(w), -EBADMSG));
}

TEST(cert_decode_prefix_len)
{
	uint8_t w[CBU_CERT_LEN];

	ha_wire(w);
	w[3] = 129;
	EXPECT(decodes_as(w, sizeof(w), -EBADMSG));
	w[3] = 255;
	EXPECT(decodes_as(w, sizeof(w), -EBADMSG));
	w[3] = 128;
	EXPECT(decodes_as(w, sizeof(w), 0));
	/* An MN certificate names one address. */
	w[2] = CBU_CERT_MN;
	EXPECT(decodes_as(w, sizeof(w), 0));
	w[3] = 64;
	EXPECT(decodes_as(w, sizeof(w), -EBADMSG));
}

TEST(cert_decode_host_bits)
{
	uint8_t w[CBU_CERT_LEN];

	ha_wire(w);		/* 2001:db8:1::/64 */
	w[24 + 15] = 1;
	EXPECT(decodes_as(w, sizeof(w), -EBADMSG));
	ha_wire(w);
	w[24 + 8] = 0x80;	/* the first host bit */
	EXPECT(decodes_as(w, sizeof(w), -EBADMSG));
	w[3] = 65;		/* now a prefix bit */
	EXPECT(decodes_as(w, sizeof(w), 0));
	w[3] = 60;		/* bits 60..63 are zero in 2001:db8:1:: */
	w[24 + 8] = 0;
	EXPECT(decodes_as(w, sizeof(w), 0));
	w[24 + 7] = 0x08;	/* bit 60 */
	EXPECT(decodes_as(w, sizeof(w), -EBADMSG));
	w[3] = 0;
	EXPECT(decodes_as(w, sizeof(w), -EBADMSG));
}

TEST(cert_decode_reserved)
{
	uint8_t w[CBU_CERT_LEN];
	unsigned int i;

	for (i = 4; i < 8; i++) {
		ha_wire(w);
		w[i] = 0x01;
		EXPECT(decodes_as(w, sizeof(w), -EBADMSG));
	}
}

TEST(cert_decode_window_order)
{
	uint8_t w[CBU_CERT_LEN];
	struct cbu_cert c;

	make_ha(&c);
	c.valid_from = c.valid_until + 1;
	cbu_cert_encode(w, &c);
	EXPECT(decodes_as(w, sizeof(w), -EBADMSG));
	c.valid_from = c.valid_until;
	cbu_cert_encode(w, &c);
	EXPECT(decodes_as(w, sizeof(w), 0));
}

TEST(cert_check_refuses_before_signing)
{
	struct cbu_cert c;
	const char *why = NULL;

	make_ha(&c);
	EXPECT(cbu_cert_check(&c, &why) == 0);
	c.prefix_len = 129;
	EXPECT(cbu_cert_check(&c, &why) == -EBADMSG && why);
	/* verify() runs the same rules: no signature makes it well formed. */
	EXPECT(cbu_cert_verify(&c, ca_pub, T0 + 1, &why) == -EBADMSG);
}

/* Armour */

static int armor(const char *label, const uint8_t *d, size_t n, char *out,
		 size_t size)
{
	return cbu_armor_encode(label, d, n, out, size);
}

static int dearmor(const char *text, const char *label, uint8_t *out,
		   size_t size, size_t *len, const char **why)
{
	*why = NULL;
	return cbu_armor_decode(text, strlen(text), label, out, size, len, why);
}

TEST(armor_round_trip)
{
	static const size_t lens[] = { 1, 2, 3, 32, 47, 48, 49, 95, 96, 97,
				       144, 1000 };
	uint8_t data[1000], back[1000];
	char text[2000];
	unsigned int i;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7 + 3);
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		const char *why = NULL, *line;
		size_t len = 0;
		int n;

		n = armor(CBU_ARMOR_CERT, data, lens[i], text, sizeof(text));
		ASSERT(n > 0);
		EXPECT((size_t)n == strlen(text));
		EXPECT((size_t)n == cbu_armor_encoded_len(CBU_ARMOR_CERT,
							  lens[i]));
		EXPECT(!strncmp(text, "-----BEGIN CBU CERTIFICATE-----\n", 32));
		EXPECT(!strcmp(text + n - 30, "-----END CBU CERTIFICATE-----\n"));
		/* Every body line is 64 characters but the last. */
		for (line = strchr(text, '\n') + 1; strncmp(line, "-----", 5);
		     line = strchr(line, '\n') + 1) {
			size_t l = (size_t)(strchr(line, '\n') - line);

			EXPECT(l <= 64 && l % 4 == 0);
			if (l < 64)
				EXPECT(!strncmp(line + l + 1, "-----END", 8));
		}
		EXPECT(cbu_armor_decode(text, (size_t)n, CBU_ARMOR_CERT, back,
					lens[i], &len, &why) == 0);
		EXPECT(len == lens[i] && !memcmp(back, data, len));
	}
}

TEST(armor_known_text)
{
	static const uint8_t d[] = { 'c', 'b', 'u' };
	char text[128];

	ASSERT(armor(CBU_ARMOR_PUBLIC_KEY, d, 3, text, sizeof(text)) > 0);
	EXPECT_STREQ(text, "-----BEGIN CBU PUBLIC KEY-----\nY2J1\n"
		     "-----END CBU PUBLIC KEY-----\n");
}

TEST(armor_encode_limits)
{
	uint8_t d[32] = { 0 };
	char text[256];
	size_t need = cbu_armor_encoded_len(CBU_ARMOR_PRIVATE_KEY, 32);

	EXPECT(armor(CBU_ARMOR_PRIVATE_KEY, d, 32, text, need) == -EMSGSIZE);
	EXPECT(armor(CBU_ARMOR_PRIVATE_KEY, d, 32, text, need + 1) ==
	       (int)need);
	EXPECT(armor("lower", d, 32, text, sizeof(text)) == -EINVAL);
	EXPECT(armor("", d, 32, text, sizeof(text)) == -EINVAL);
	EXPECT(armor(CBU_ARMOR_CERT, d, 0, text, sizeof(text)) == -EINVAL);
}

TEST(armor_whitespace_and_crlf)
{
	uint8_t out[8];
	const char *why;
	size_t len;

	EXPECT(dearmor("\n  -----BEGIN CBU PUBLIC KEY-----\nY2J1\n"
		       "-----END CBU PUBLIC KEY-----\n\n \t", CBU_ARMOR_PUBLIC_KEY,
		       out, sizeof(out), &len, &why) == 0);
	EXPECT(len == 3 && !memcmp(out, "cbu", 3));
	EXPECT(dearmor("-----BEGIN CBU PUBLIC KEY-----\r\nY2J1\r\n"
		       "-----END CBU PUBLIC KEY-----", CBU_ARMOR_PUBLIC_KEY,
		       out, sizeof(out), &len, &why) == 0);
	EXPECT(len == 3);
}

/*
 * @text must be refused with @err and a reason (@reason if not NULL), and
 * @out wiped.
 */
static bool refused_why(const char *text, const char *label, int err,
			const char *reason)
{
	uint8_t out[64];
	const char *why;
	size_t len = 12345;
	unsigned int i;
	int ret;

	memset(out, 0xee, sizeof(out));
	ret = dearmor(text, label, out, sizeof(out), &len, &why);
	if (ret != err)
		printf("# armour: %d, expected %d (%s)\n", ret, err,
		       why ? why : "no reason");
	for (i = 0; i < sizeof(out); i++) {
		if (out[i])
			return false;
	}
	if (reason && why && strcmp(why, reason))
		printf("# armour: \"%s\", expected \"%s\"\n", why, reason);
	return ret == err && why && len == 12345 &&
	       (!reason || !strcmp(why, reason));
}

static bool refused(const char *text, const char *label, int err)
{
	return refused_why(text, label, err, NULL);
}

#define PK_BEGIN	"-----BEGIN CBU PUBLIC KEY-----\n"
#define PK_END		"-----END CBU PUBLIC KEY-----\n"

TEST(armor_wrong_label)
{
	EXPECT(refused_why(PK_BEGIN "Y2J1\n" PK_END, CBU_ARMOR_PRIVATE_KEY,
			   -EBADMSG, "the armour's label is not the one expected"));
	EXPECT(refused(PK_BEGIN "Y2J1\n-----END CBU PRIVATE KEY-----\n",
		       CBU_ARMOR_PUBLIC_KEY, -EBADMSG));
	EXPECT(refused("-----BEGIN PUBLIC KEY-----\nY2J1\n"
		       "-----END PUBLIC KEY-----\n", CBU_ARMOR_PUBLIC_KEY,
		       -EBADMSG));
	EXPECT(refused("-----BEGIN CBU PUBLIC KEY----\nY2J1\n" PK_END,
		       CBU_ARMOR_PUBLIC_KEY, -EBADMSG));
}

TEST(armor_bad_base64)
{
	EXPECT(refused_why(PK_BEGIN "Y2J*\n" PK_END, CBU_ARMOR_PUBLIC_KEY,
			   -EBADMSG, "invalid base64 character"));
	EXPECT(refused(PK_BEGIN "Y2J\n" PK_END, CBU_ARMOR_PUBLIC_KEY,
		       -EBADMSG));
	EXPECT(refused(PK_BEGIN "Y2J1=\n" PK_END, CBU_ARMOR_PUBLIC_KEY,
		       -EBADMSG));
	EXPECT(refused(PK_BEGIN "Y2=1\n" PK_END, CBU_ARMOR_PUBLIC_KEY,
		       -EBADMSG));
	EXPECT(refused(PK_BEGIN "Y2 J1\n" PK_END, CBU_ARMOR_PUBLIC_KEY,
		       -EBADMSG));
	/* "AB==" leaves non-zero padding bits: not canonical. */
	EXPECT(refused(PK_BEGIN "AB==\n" PK_END, CBU_ARMOR_PUBLIC_KEY,
		       -EBADMSG));
	EXPECT(refused(PK_BEGIN "====\n" PK_END, CBU_ARMOR_PUBLIC_KEY,
		       -EBADMSG));
	EXPECT(refused(PK_BEGIN "Y2J1\n\nY2J1\n" PK_END, CBU_ARMOR_PUBLIC_KEY,
		       -EBADMSG));
	EXPECT(refused(PK_BEGIN PK_END, CBU_ARMOR_PUBLIC_KEY, -EBADMSG));
}

TEST(armor_two_blocks)
{
	EXPECT(refused_why(PK_BEGIN "Y2J1\n" PK_END PK_BEGIN "Y2J1\n" PK_END,
			   CBU_ARMOR_PUBLIC_KEY, -EBADMSG,
			   "more than one armoured block"));
	EXPECT(refused(PK_BEGIN "Y2J1\n" PK_BEGIN "Y2J1\n" PK_END,
		       CBU_ARMOR_PUBLIC_KEY, -EBADMSG));
}

TEST(armor_trailing_and_leading_garbage)
{
	EXPECT(refused_why(PK_BEGIN "Y2J1\n" PK_END "x\n", CBU_ARMOR_PUBLIC_KEY,
			   -EBADMSG, "text after the END line"));
	EXPECT(refused(PK_BEGIN "Y2J1\n-----END CBU PUBLIC KEY-----x\n",
		       CBU_ARMOR_PUBLIC_KEY, -EBADMSG));
	EXPECT(refused("comment\n" PK_BEGIN "Y2J1\n" PK_END,
		       CBU_ARMOR_PUBLIC_KEY, -EBADMSG));
	EXPECT(refused(PK_BEGIN "Y2J1\n# comment\n" PK_END,
		       CBU_ARMOR_PUBLIC_KEY, -EBADMSG));
}

TEST(armor_missing_end)
{
	EXPECT(refused_why(PK_BEGIN "Y2J1\n", CBU_ARMOR_PUBLIC_KEY, -EBADMSG,
			   "no END line"));
	EXPECT(refused(PK_BEGIN "Y2J1", CBU_ARMOR_PUBLIC_KEY, -EBADMSG));
	EXPECT(refused(PK_BEGIN, CBU_ARMOR_PUBLIC_KEY, -EBADMSG));
	EXPECT(refused("-----BEGIN CBU PUBLIC KEY-----", CBU_ARMOR_PUBLIC_KEY,
		       -EBADMSG));
	EXPECT(refused("", CBU_ARMOR_PUBLIC_KEY, -EBADMSG));
	EXPECT(refused(" \n\t", CBU_ARMOR_PUBLIC_KEY, -EBADMSG));
}

TEST(armor_too_long_for_the_buffer)
{
	uint8_t data[65] = { 1 };
	char text[256];

	ASSERT(armor(CBU_ARMOR_PUBLIC_KEY, data, sizeof(data), text,
		     sizeof(text)) > 0);
	EXPECT(refused_why(text, CBU_ARMOR_PUBLIC_KEY, -EMSGSIZE,
			   "armoured data longer than expected"));
}

TEST(armor_embedded_nul)
{
	static const char text[] = PK_BEGIN "Y2\0J1\n" PK_END;
	uint8_t out[8];
	const char *why = NULL;
	size_t len;

	EXPECT(cbu_armor_decode(text, sizeof(text) - 1, CBU_ARMOR_PUBLIC_KEY,
				out, sizeof(out), &len, &why) == -EBADMSG);
	EXPECT(why != NULL);
}

/* Files */

static char dir[] = "/tmp/cbu-cert-test.XXXXXX";

static void path_in_dir(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
}

TEST(file_private_key_excl_and_mode)
{
	char path[64], *buf = NULL;
	struct stat st;
	size_t len = 0;

	ASSERT(mkdtemp(dir));
	path_in_dir(path, sizeof(path), "k");
	ASSERT(cbu_file_write(path, "one", 3, 0600, CBU_FILE_EXCL) == 0);
	ASSERT(stat(path, &st) == 0);
	EXPECT((st.st_mode & 0777) == 0600);
	/* Never overwritten; the old contents stay. */
	EXPECT(cbu_file_write(path, "two", 3, 0600, CBU_FILE_EXCL) == -EEXIST);
	ASSERT(cbu_file_read(path, &buf, &len) == 0);
	EXPECT(len == 3 && !memcmp(buf, "one", 3) && buf[3] == '\0');
	cbu_file_free(buf, len);
	unlink(path);
}

TEST(file_replace_public)
{
	char path[64], *buf = NULL;
	size_t len = 0;

	path_in_dir(path, sizeof(path), "p");
	ASSERT(cbu_file_write(path, "one", 3, 0644, 0) == 0);
	ASSERT(cbu_file_write(path, "three", 5, 0644, 0) == 0);
	ASSERT(cbu_file_read(path, &buf, &len) == 0);
	EXPECT(len == 5 && !memcmp(buf, "three", 5));
	cbu_file_free(buf, len);
	unlink(path);
	/* No temporary file left behind. */
	EXPECT(rmdir(dir) == 0);
}

TEST(file_read_errors)
{
	static char big[CBU_FILE_MAX + 1];
	char path[64], *buf = NULL;
	size_t len = 0;
	const char *why = NULL;
	uint8_t out[32];

	ASSERT(mkdtemp(strcpy(dir, "/tmp/cbu-cert-test.XXXXXX")));
	path_in_dir(path, sizeof(path), "none");
	EXPECT(cbu_file_read(path, &buf, &len) == -ENOENT);
	EXPECT(cbu_armor_read_file(path, CBU_ARMOR_PUBLIC_KEY, out,
				   sizeof(out), &len, &why) == -ENOENT && why);

	path_in_dir(path, sizeof(path), "big");
	memset(big, ' ', sizeof(big));
	ASSERT(cbu_file_write(path, big, CBU_FILE_MAX, 0644, 0) == 0);
	EXPECT(cbu_file_read(path, &buf, &len) == 0 && len == CBU_FILE_MAX);
	cbu_file_free(buf, len);
	ASSERT(cbu_file_write(path, big, sizeof(big), 0644, 0) == 0);
	EXPECT(cbu_file_read(path, &buf, &len) == -EFBIG);
	unlink(path);

	EXPECT(cbu_file_read(dir, &buf, &len) == -EISDIR);
	rmdir(dir);
}

KTEST_MAIN()
