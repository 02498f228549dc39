#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate kernel/tests/kat_vectors.h, cbu's known-answer vectors.

The expected values come from Python's hashlib and hmac, never from cbu's C
code or libsodium, so that the userspace tests (tools/testing/unit/
crypto_test.c) and the kernel's KUnit suites check their crypto against an
implementation they do not share.  The published vectors (RFC 4231,
RFC 7748, RFC 8032, draft-irtf-cfrg-xchacha-03) are copied as data; those
the standard library can recompute (HMAC-SHA256) are asserted here.

    python3 kernel/tests/gen_kat.py > kernel/tests/kat_vectors.h
    python3 kernel/tests/gen_kat.py --check kernel/tests/kat_vectors.h

--check exits 1 if the file differs from what would be generated, so that
the header cannot go stale (tools/testing/unit/kat_fresh_test.sh).

Inputs are fixed: 32-octet values are SHA-256("cbu kat " + label), 16-octet
values its first 16 octets, addresses from the documentation prefix
2001:db8::/32, plus all-zero and all-0xff edge values.
"""

import argparse
import difflib
import hashlib
import hmac
import ipaddress
import struct
import sys

ADDR = 16
NONCE = 16
KEY = 32
MAC = 16
COOKIE = 8


def h(label, n=KEY):
    """A fixed pseudo-random value: SHA-256("cbu kat " + label)[0:n]."""
    assert n <= 32
    return hashlib.sha256(b"cbu kat " + label.encode()).digest()[:n]


def addr(text):
    return ipaddress.IPv6Address(text).packed


def be16(v):
    return struct.pack(">H", v)


def prf(key, msg):
    return hmac.new(key, msg, hashlib.sha256).digest()


def mac(key, msg):
    return prf(key, msg)[:MAC]


ZERO_ADDR = bytes(ADDR)
FF_ADDR = b"\xff" * ADDR
ZERO_KEY = bytes(KEY)
FF_KEY = b"\xff" * KEY
ZERO_NONCE = bytes(NONCE)
FF_NONCE = b"\xff" * NONCE

HOA = addr("2001:db8:1::100")
HOA2 = addr("2001:db8:1::101")
COA = addr("2001:db8:2::200")
COA2 = addr("2001:db8:3::1")
CN = addr("2001:db8:cafe::1")
CN2 = addr("2001:db8:cafe:1::2")
CN_COA = addr("2001:db8:4::40")     # a mobile CN's care-of address


# ---------------------------------------------------------------------------
# cbu's own vectors.  Each kind is a list of dicts whose keys are the C
# struct's fields, in order; "desc" is a comment for humans and KUnit.
# Seq# and lifetimes with different high and low octets catch a swapped
# byte order; 0 and 65535 are the edges.

def mac_bu(desc, key, hoa, coa, seq, lt):
    inp = hoa + coa + be16(seq) + be16(lt)
    return dict(desc=desc, key=key, hoa=hoa, coa=coa, seq=seq, lt=lt,
                input=inp, mac=mac(key, inp))


MAC_BU = [
    mac_bu("typical: Seq# 0x1234, LT_BU 0x0100 (1024 s)",
           h("k_BU 0"), HOA, COA, 0x1234, 0x0100),
    mac_bu("Seq# 0, LT_BU 0 (deregistration)",
           h("k_BU 1"), HOA2, COA2, 0, 0),
    mac_bu("Seq# 65535, LT_BU 65535, all-0xff addresses and key",
           FF_KEY, FF_ADDR, FF_ADDR, 0xffff, 0xffff),
    mac_bu("Seq# 0, LT_BU 65535, all-zero addresses and key",
           ZERO_KEY, ZERO_ADDR, ZERO_ADDR, 0, 0xffff),
    mac_bu("CoA = HoA, Seq# 0x8001, LT_BU 0x00ff",
           h("k_BU 4"), HOA, HOA, 0x8001, 0x00ff),
]


def mac_ba(desc, key, coa, cn, seq, lt_ba, lt_en):
    inp = coa + cn + be16(seq) + be16(lt_ba) + be16(lt_en)
    return dict(desc=desc, key=key, coa=coa, cn=cn, seq=seq, lt_ba=lt_ba,
                lt_en=lt_en, input=inp, mac=mac(key, inp))


MAC_BA = [
    mac_ba("typical: Seq# 0x1234, LT_BA 0x0100, LT_EN 0x0384",
           h("k_BA 0"), COA, CN, 0x1234, 0x0100, 0x0384),
    mac_ba("Seq# 0, LT_BA 0, LT_EN 0",
           h("k_BA 1"), COA2, CN2, 0, 0, 0),
    mac_ba("Seq# 65535, LT_BA 65535, LT_EN 65535, all-0xff",
           FF_KEY, FF_ADDR, FF_ADDR, 0xffff, 0xffff, 0xffff),
    mac_ba("all-zero addresses and key, LT_BA 0xff00, LT_EN 0x0001",
           ZERO_KEY, ZERO_ADDR, ZERO_ADDR, 0x00ff, 0xff00, 0x0001),
    mac_ba("Seq# 0x8001, LT_BA 0x0102, LT_EN 0x0304",
           h("k_BA 4"), COA, CN, 0x8001, 0x0102, 0x0304),
    # Draft section 4: the BA of a mobile CN is from its care-of address,
    # and MAC_BA has CN_CoA where a fixed CN has its address.
    mac_ba("from a mobile CN: CN_CoA in CN's place",
           h("k_BA 5"), COA, CN_COA, 0x0042, 0x0040, 0x0384),
]


def mac_bc(desc, key, hoa, coa, seq, flag):
    inp = hoa + coa + be16(seq) + bytes([flag])
    return dict(desc=desc, key=key, hoa=hoa, coa=coa, seq=seq, flag=flag,
                input=inp, mac=mac(key, inp))


MAC_BC = [
    mac_bc("typical: Seq# 0x1234, Flag 1", h("k_BA 0"), HOA, COA, 0x1234, 1),
    mac_bc("Seq# 0, Flag 1", h("k_BA 1"), HOA2, COA2, 0, 1),
    mac_bc("Seq# 65535, Flag 0xff, all-0xff",
           FF_KEY, FF_ADDR, FF_ADDR, 0xffff, 0xff),
    mac_bc("Flag 0, all-zero addresses and key",
           ZERO_KEY, ZERO_ADDR, ZERO_ADDR, 0, 0),
    mac_bc("Seq# 0x8001, Flag 1", h("k_BA 4"), HOA, COA2, 0x8001, 1),
]


def mac_exch0_rk(desc, key, hoa, n1):
    inp = hoa + n1
    return dict(desc=desc, key=key, hoa=hoa, n1=n1, input=inp,
                mac=mac(key, inp))


MAC_EXCH0_RK = [
    mac_exch0_rk("typical", h("k_EN 0"), HOA, h("N1' 0", NONCE)),
    mac_exch0_rk("another HoA and N1'", h("k_EN 1"), HOA2, h("N1' 1", NONCE)),
    mac_exch0_rk("all-0xff", FF_KEY, FF_ADDR, FF_NONCE),
    mac_exch0_rk("all-zero", ZERO_KEY, ZERO_ADDR, ZERO_NONCE),
]


def mac_exch1_rk(desc, key, cn, n1, n2, lt_en):
    inp = cn + n1 + n2 + be16(lt_en)
    return dict(desc=desc, key=key, cn=cn, n1=n1, n2=n2, lt_en=lt_en,
                input=inp, mac=mac(key, inp))


MAC_EXCH1_RK = [
    mac_exch1_rk("typical: LT_EN 0x0384", h("k_EN 0"), CN,
                 h("N1' 0", NONCE), h("N2' 0", NONCE), 0x0384),
    mac_exch1_rk("LT_EN 0", h("k_EN 1"), CN2,
                 h("N1' 1", NONCE), h("N2' 1", NONCE), 0),
    mac_exch1_rk("LT_EN 65535, all-0xff",
                 FF_KEY, FF_ADDR, FF_NONCE, FF_NONCE, 0xffff),
    mac_exch1_rk("all-zero", ZERO_KEY, ZERO_ADDR, ZERO_NONCE, ZERO_NONCE, 0),
    mac_exch1_rk("N1' = N2', LT_EN 0x0102", h("k_EN 4"), CN,
                 h("N1' 4", NONCE), h("N1' 4", NONCE), 0x0102),
]


def kdf(desc, k_dh, n0, n1, n2, z, n1_rk, n2_rk):
    k_master = prf(k_dh, n1 + n2)
    return dict(desc=desc, k_dh=k_dh, n0=n0, n1=n1, n2=n2, z=z,
                n1_rk=n1_rk, n2_rk=n2_rk, k_master=k_master,
                k_bu=prf(k_master, n1 + n2 + b"\x00"),
                k_ba=prf(k_master, n1 + n2 + b"\x01"),
                k_en=prf(k_master, n1 + n2 + b"\x02"),
                k_ha_next=prf(z, n0 + n1),
                k_en_new=prf(k_master, n1_rk + n2_rk + b"\x02"))


KDF = [
    kdf("typical", h("k_DH 0"), h("N0 0", NONCE), h("N1 0", NONCE),
        h("N2 0", NONCE), h("z 0"), h("N1' 0", NONCE), h("N2' 0", NONCE)),
    kdf("all-zero", ZERO_KEY, ZERO_NONCE, ZERO_NONCE, ZERO_NONCE, ZERO_KEY,
        ZERO_NONCE, ZERO_NONCE),
    # Rekeying with the first exchange's nonces must give k_EN back:
    # k_EN-new and k_EN are the same prf with index 2.
    kdf("N1' = N1, N2' = N2: k_EN-new = k_EN", h("k_DH 2"), h("N0 2", NONCE),
        h("N1 2", NONCE), h("N2 2", NONCE), h("z 2"), h("N1 2", NONCE),
        h("N2 2", NONCE)),
    kdf("all-0xff", FF_KEY, FF_NONCE, FF_NONCE, FF_NONCE, FF_KEY, FF_NONCE,
        FF_NONCE),
]
assert KDF[2]["k_en_new"] == KDF[2]["k_en"]


def cookie(desc, s, hoa, cn, n1):
    c0 = prf(s, b"cbu C0" + hoa + cn)[:COOKIE]
    c1 = prf(s, b"cbu C1" + cn + hoa + c0 + n1)[:COOKIE]
    return dict(desc=desc, s=s, hoa=hoa, cn=cn, n1=n1, c0=c0, c1=c1)


COOKIES = [
    cookie("typical", h("cookie secret 0"), HOA, CN, h("N1 0", NONCE)),
    cookie("all-zero", ZERO_KEY, ZERO_ADDR, ZERO_ADDR, ZERO_NONCE),
    cookie("all-0xff", FF_KEY, FF_ADDR, FF_ADDR, FF_NONCE),
    # The addresses swapped: the cookie binds their roles, not the pair.
    cookie("HoA and CN swapped", h("cookie secret 0"), CN, HOA,
           h("N1 0", NONCE)),
]
assert COOKIES[3]["c0"] != COOKIES[0]["c0"]


# HMIPv6 (wire-format.md 9.7): the local BU's and a MAP's BA's inputs.
LCOA = addr("2001:db8:a1::10")
LCOA2 = addr("2001:db8:a2::10")
MAP = addr("2001:db8:f0::1")
RCOA = addr("2001:db8:f0::a:10")
ZERO_DH = bytes(KEY)


def sig_mn(desc, lcoa, map_, hoa, rcoa, seq, flags, lt, n_map, ga):
    inp = (lcoa + map_ + hoa + rcoa + be16(seq) + be16(flags) + be16(lt) +
           n_map + ga)
    return dict(desc=desc, lcoa=lcoa, map=map_, hoa=hoa, rcoa=rcoa, seq=seq,
                flags=flags, lt=lt, n_map=n_map, ga=ga, input=inp)


SIG_MN = [
    sig_mn("entry: g^a, Seq# 0x1234, M and A, LT_BU 0x0069",
           LCOA, MAP, HOA, RCOA, 0x1234, 0x8800, 0x0069,
           h("N_MAP 0", NONCE), h("g^a 0")),
    sig_mn("a local move: no g^a (zeros), Seq# 0x8001",
           LCOA2, MAP, HOA, RCOA, 0x8001, 0x8800, 0x0102,
           h("N_MAP 1", NONCE), ZERO_DH),
    sig_mn("first contact: N_MAP zero, lifetime 0",
           LCOA, MAP, HOA2, RCOA, 0, 0x0800, 0, ZERO_NONCE, h("g^a 2")),
    sig_mn("all-0xff", FF_ADDR, FF_ADDR, FF_ADDR, FF_ADDR, 0xffff, 0xffff,
           0xffff, FF_NONCE, FF_KEY),
]


def sig_map(desc, map_, lcoa, hoa, rcoa, seq, status, flags, lt, n_map, ga,
            gb):
    inp = (map_ + lcoa + hoa + rcoa + be16(seq) + bytes([status, flags]) +
           be16(lt) + n_map + ga + gb)
    return dict(desc=desc, map=map_, lcoa=lcoa, hoa=hoa, rcoa=rcoa, seq=seq,
                status=status, flags=flags, lt=lt, n_map=n_map, ga=ga, gb=gb,
                input=inp)


SIG_MAP = [
    sig_map("accepted, g^b: a key is made", MAP, LCOA, HOA, RCOA, 0x1234, 0,
            0, 0x0069, h("N_MAP 2", NONCE), h("g^a 0"), h("g^b 0")),
    sig_map("135 to a BU with g^a: g^b zero", MAP, LCOA2, HOA, RCOA, 0x8001,
            135, 0, 0, h("N_MAP 3", NONCE), h("g^a 1"), ZERO_DH),
    sig_map("134, flags 0x80", MAP, LCOA, HOA2, RCOA, 0x0102, 134, 0x80,
            0x0201, h("N_MAP 4", NONCE), h("g^a 2"), ZERO_DH),
    sig_map("all-0xff", FF_ADDR, FF_ADDR, FF_ADDR, FF_ADDR, 0xffff, 0xff,
            0xff, 0xffff, FF_NONCE, FF_KEY, FF_KEY),
]


def mac_lba(desc, key, lcoa, map_, hoa, rcoa, seq, status, flags, lt,
            n_map):
    inp = (lcoa + map_ + hoa + rcoa + be16(seq) + bytes([status, flags]) +
           be16(lt) + n_map)
    return dict(desc=desc, key=key, lcoa=lcoa, map=map_, hoa=hoa, rcoa=rcoa,
                seq=seq, status=status, flags=flags, lt=lt, n_map=n_map,
                input=inp, mac=mac(key, inp))


MAC_LBA = [
    mac_lba("accepted, Seq# 0x1234, LT_BA 0x0069", h("k_LBA 0"), LCOA, MAP,
            HOA, RCOA, 0x1234, 0, 0, 0x0069, h("N_MAP 5", NONCE)),
    mac_lba("135 MAC'd, Seq# 0x8001", h("k_LBA 1"), LCOA2, MAP, HOA, RCOA,
            0x8001, 135, 0, 0, h("N_MAP 6", NONCE)),
    mac_lba("status 0xff, flags 0xff, all-0xff", FF_KEY, FF_ADDR, FF_ADDR,
            FF_ADDR, FF_ADDR, 0xffff, 0xff, 0xff, 0xffff, FF_NONCE),
    mac_lba("all-zero", ZERO_KEY, ZERO_ADDR, ZERO_ADDR, ZERO_ADDR, ZERO_ADDR,
            0, 0, 0, 0, ZERO_NONCE),
]
# The status and flags octets are MAC'd: changing either changes the MAC.
assert mac_lba("", h("k_LBA 0"), LCOA, MAP, HOA, RCOA, 0x1234, 135, 0,
               0x0069, h("N_MAP 5", NONCE))["mac"] != MAC_LBA[0]["mac"]


def hmip_kdf(desc, s_map, hoa, rcoa, k_dh, ga, gb):
    n_map = prf(s_map, b"cbu N_MAP" + hoa + rcoa)[:NONCE]
    return dict(desc=desc, s_map=s_map, hoa=hoa, rcoa=rcoa, n_map=n_map,
                k_dh=k_dh, ga=ga, gb=gb, k_lba=prf(k_dh, n_map + ga + gb))


HMIP_KDF = [
    hmip_kdf("typical", h("s_MAP 0"), HOA, RCOA, h("k_DH 10"), h("g^a 0"),
             h("g^b 0")),
    hmip_kdf("another HoA, same RCoA", h("s_MAP 0"), HOA2, RCOA,
             h("k_DH 11"), h("g^a 1"), h("g^b 1")),
    hmip_kdf("all-zero", ZERO_KEY, ZERO_ADDR, ZERO_ADDR, ZERO_KEY, ZERO_DH,
             ZERO_DH),
    hmip_kdf("all-0xff", FF_KEY, FF_ADDR, FF_ADDR, FF_KEY, FF_KEY, FF_KEY),
]
assert HMIP_KDF[0]["n_map"] != HMIP_KDF[1]["n_map"]


# ---------------------------------------------------------------------------
# Published vectors, copied from the documents.

def x(hexstr):
    return bytes.fromhex("".join(hexstr.split()))


# RFC 4231 section 4.2, 4.3 and 4.5: test cases 1, 2 and 4.
RFC4231 = [
    dict(desc="RFC 4231 4.2 test case 1", test_case=1,
         key=b"\x0b" * 20, data=b"Hi There",
         mac=x("b0344c61d8db38535ca8afceaf0bf12b"
               "881dc200c9833da726e9376c2e32cff7")),
    dict(desc="RFC 4231 4.3 test case 2 (key shorter than the output)",
         test_case=2, key=b"Jefe", data=b"what do ya want for nothing?",
         mac=x("5bdcc146bf60754e6a042426089575c7"
               "5a003f089d2739839dec58b964ec3843")),
    dict(desc="RFC 4231 4.5 test case 4", test_case=4,
         key=bytes(range(1, 26)), data=b"\xcd" * 50,
         mac=x("82558a389a443c0ea4cc819899f2083a"
               "85f0faa3e578f8077a2e3ff46729665b")),
]
for _v in RFC4231:
    assert prf(_v["key"], _v["data"]) == _v["mac"], _v["desc"]

# RFC 7748 section 5.2: the two single-step X25519 vectors.
RFC7748_X25519 = [
    dict(desc="RFC 7748 5.2 vector 1",
         scalar=x("a546e36bf0527c9d3b16154b82465edd"
                  "62144c0ac1fc5a18506a2244ba449ac4"),
         u=x("e6db6867583030db3594c1a424b15f7c"
             "726624ec26b3353b10a903a6d0ab1c4c"),
         out=x("c3da55379de9c6908e94ea4df28d084f"
               "32eccf03491c71f754b4075577a28552")),
    # The input u has its top bit set: X25519 must mask it, not reject it.
    dict(desc="RFC 7748 5.2 vector 2",
         scalar=x("4b66e9d4d1b4673c5ad22691957d6af5"
                  "c11b6421e0ea01d42ca4169e7918ba0d"),
         u=x("e5210f12786811d3f4b7959d0538ae2c"
             "31dbe7106fc03c3efc4cd549c715a493"),
         out=x("95cbde9476e8907d7aade45cb4b873f8"
               "8b595a68799fa152e6f8f7647aac7957")),
]

# RFC 7748 section 6.1: the Diffie-Hellman example.
RFC7748_DH = dict(
    desc="RFC 7748 6.1",
    alice_priv=x("77076d0a7318a57d3c16c17251b26645"
                 "df4c2f87ebc0992ab177fba51db92c2a"),
    alice_pub=x("8520f0098930a754748b7ddcb43ef75a"
                "0dbf3a0d26381af4eba4a98eaa9b4e6a"),
    bob_priv=x("5dab087e624a8a4b79e17f8b83800ee6"
               "6f3bb1292618b6fd1c2f8b27ff88e0eb"),
    bob_pub=x("de9edb7d7b7dc1b4d35b61c2ece43537"
              "3f8343c85b78674dadfc7e146f882b4f"),
    shared=x("4a5d9d5ba4ce2de1728e3bf480350f25"
             "e07e21c947d19e3376f09b3c1e161742"),
)

# RFC 8032 section 7.1: Ed25519 TEST 1 and TEST 2.  key_id is not from
# the RFC: it is cbu's issuer key id, SHA-256(public key)[0:8].
RFC8032 = [
    dict(desc="RFC 8032 7.1 TEST 1 (empty message)", test=1,
         seed=x("9d61b19deffd5a60ba844af492ec2cc4"
                "4449c5697b326919703bac031cae7f60"),
         pub=x("d75a980182b10ab7d54bfed3c964073a"
               "0ee172f3daa62325af021a68f707511a"),
         msg=b"",
         sig=x("e5564300c360ac729086e2cc806e828a"
               "84877f1eb8e5d974d873e06522490155"
               "5fb8821590a33bacc61e39701cf9b46b"
               "d25bf5f0595bbe24655141438e7a100b")),
    dict(desc="RFC 8032 7.1 TEST 2", test=2,
         seed=x("4ccd089b28ff96da9db6c346ec114e0f"
                "5b8a319f35aba624da8cf6ed4fb8a6fb"),
         pub=x("3d4017c3e843895a92b70aa74d1b7ebc"
               "9c982ccf2ec4968cc0cd55f12af4660c"),
         msg=x("72"),
         sig=x("92a009a9f0d4cab8720e820b5f642540"
               "a2b27b5416503f8fb3762223ebdb69da"
               "085ac1e43e15996e458f3613d0f11d8c"
               "387b2eaeb4302aeeb00d291612bb0c00")),
]
for _v in RFC8032:
    _v["key_id"] = hashlib.sha256(_v["pub"]).digest()[:8]

# draft-irtf-cfrg-xchacha-03 appendix A.3.1: AEAD_XChaCha20_Poly1305.
XCHACHA = dict(
    desc="draft-irtf-cfrg-xchacha-03 A.3.1",
    key=bytes(range(0x80, 0xa0)),
    nonce=bytes(range(0x40, 0x58)),
    aad=x("50515253c0c1c2c3c4c5c6c7"),
    pt=(b"Ladies and Gentlemen of the class of '99: If I could offer you "
        b"only one tip for the future, sunscreen would be it."),
    ct=x("bd6d179d3e83d43b9576579493c0e939"
         "572a1700252bfaccbed2902c21396cbb"
         "731c7f1b0b4aa6440bf3a82f4eda7e39"
         "ae64c6708c54c216cb96b72e1213b452"
         "2f8c9ba40db5d945b11b69b982c1bb9e"
         "3f3fac2bc369488f76b2383565d3fff9"
         "21f9664c97637da9768812f615c68b13"
         "b52e"),
    tag=x("c0875924c1c7987947deafd8780acf49"),
)
assert len(XCHACHA["pt"]) == len(XCHACHA["ct"]) == 114


# ---------------------------------------------------------------------------
# C output.  A struct is a list of (field, type, length); the same list
# declares the struct and prints its initialisers.

MAC_BU_T = [("key", "u8", KEY), ("hoa", "u8", ADDR), ("coa", "u8", ADDR),
            ("seq", "u16", 0), ("lt", "u16", 0),
            ("input", "u8", 2 * ADDR + 4), ("mac", "u8", MAC)]
MAC_BA_T = [("key", "u8", KEY), ("coa", "u8", ADDR), ("cn", "u8", ADDR),
            ("seq", "u16", 0), ("lt_ba", "u16", 0), ("lt_en", "u16", 0),
            ("input", "u8", 2 * ADDR + 6), ("mac", "u8", MAC)]
MAC_BC_T = [("key", "u8", KEY), ("hoa", "u8", ADDR), ("coa", "u8", ADDR),
            ("seq", "u16", 0), ("flag", "u8", 0),
            ("input", "u8", 2 * ADDR + 3), ("mac", "u8", MAC)]
MAC_EXCH0_RK_T = [("key", "u8", KEY), ("hoa", "u8", ADDR),
                  ("n1", "u8", NONCE), ("input", "u8", ADDR + NONCE),
                  ("mac", "u8", MAC)]
MAC_EXCH1_RK_T = [("key", "u8", KEY), ("cn", "u8", ADDR),
                  ("n1", "u8", NONCE), ("n2", "u8", NONCE),
                  ("lt_en", "u16", 0),
                  ("input", "u8", ADDR + 2 * NONCE + 2), ("mac", "u8", MAC)]
KDF_T = [("k_dh", "u8", KEY), ("n0", "u8", NONCE), ("n1", "u8", NONCE),
         ("n2", "u8", NONCE), ("z", "u8", KEY), ("n1_rk", "u8", NONCE),
         ("n2_rk", "u8", NONCE), ("k_master", "u8", KEY),
         ("k_bu", "u8", KEY), ("k_ba", "u8", KEY), ("k_en", "u8", KEY),
         ("k_ha_next", "u8", KEY), ("k_en_new", "u8", KEY)]
COOKIE_T = [("s", "u8", KEY), ("hoa", "u8", ADDR), ("cn", "u8", ADDR),
            ("n1", "u8", NONCE), ("c0", "u8", COOKIE), ("c1", "u8", COOKIE)]
SIG_MN_T = [("lcoa", "u8", ADDR), ("map", "u8", ADDR), ("hoa", "u8", ADDR),
            ("rcoa", "u8", ADDR), ("seq", "u16", 0), ("flags", "u16", 0),
            ("lt", "u16", 0), ("n_map", "u8", NONCE), ("ga", "u8", KEY),
            ("input", "u8", 4 * ADDR + 6 + NONCE + KEY)]
SIG_MAP_T = [("map", "u8", ADDR), ("lcoa", "u8", ADDR), ("hoa", "u8", ADDR),
             ("rcoa", "u8", ADDR), ("seq", "u16", 0), ("status", "u8", 0),
             ("flags", "u8", 0), ("lt", "u16", 0), ("n_map", "u8", NONCE),
             ("ga", "u8", KEY), ("gb", "u8", KEY),
             ("input", "u8", 4 * ADDR + 6 + NONCE + 2 * KEY)]
MAC_LBA_T = [("key", "u8", KEY), ("lcoa", "u8", ADDR), ("map", "u8", ADDR),
             ("hoa", "u8", ADDR), ("rcoa", "u8", ADDR), ("seq", "u16", 0),
             ("status", "u8", 0), ("flags", "u8", 0), ("lt", "u16", 0),
             ("n_map", "u8", NONCE), ("input", "u8", 4 * ADDR + 6 + NONCE),
             ("mac", "u8", MAC)]
HMIP_KDF_T = [("s_map", "u8", KEY), ("hoa", "u8", ADDR), ("rcoa", "u8", ADDR),
              ("n_map", "u8", NONCE), ("k_dh", "u8", KEY), ("ga", "u8", KEY),
              ("gb", "u8", KEY), ("k_lba", "u8", KEY)]
RFC4231_T = [("test_case", "u8", 0), ("key", "u8", 25), ("key_len", "u8", 0),
             ("data", "u8", 50), ("data_len", "u8", 0), ("mac", "u8", 32)]
RFC7748_X25519_T = [("scalar", "u8", 32), ("u", "u8", 32), ("out", "u8", 32)]
RFC7748_DH_T = [("alice_priv", "u8", 32), ("alice_pub", "u8", 32),
                ("bob_priv", "u8", 32), ("bob_pub", "u8", 32),
                ("shared", "u8", 32)]
RFC8032_T = [("test", "u8", 0), ("seed", "u8", 32), ("pub", "u8", 32),
             ("msg", "u8", 1), ("msg_len", "u8", 0), ("sig", "u8", 64),
             ("key_id", "u8", 8)]
XCHACHA_T = [("key", "u8", 32), ("nonce", "u8", 24), ("aad", "u8", 12),
             ("pt", "u8", 114), ("ct", "u8", 114), ("tag", "u8", 16)]

for _v in RFC4231:
    _v["key_len"] = len(_v["key"])
    _v["data_len"] = len(_v["data"])
for _v in RFC8032:
    _v["msg_len"] = len(_v["msg"])


def c_struct(name, fields, comment):
    if len(comment) == 1:
        out = [f"/* {comment[0]} */"]
    else:
        out = ["/*"] + [f" * {line}".rstrip() for line in comment] + [" */"]
    out.append(f"struct {name} {{")
    out.append("\tconst char\t*desc;")
    for field, ctype, n in fields:
        out.append(f"\t{ctype}\t{field}[{n}];" if n else
                   f"\t{ctype}\t{field};")
    out.append("};")
    return out


def c_bytes(b, depth):
    tabs = "\t" * depth
    return [tabs + " ".join(f"0x{c:02x}," for c in b[i:i + 8])
            for i in range(0, len(b), 8)]


def c_value(v, fields, depth):
    tabs = "\t" * depth
    out = [tabs + "{", f"{tabs}\t.desc = \"{v['desc']}\","]
    for field, ctype, n in fields:
        val = v[field]
        if n:
            assert len(val) <= n, (field, len(val), n)
            if not val:
                continue	# zero-initialised; C89 has no empty braces
            out.append(f"{tabs}\t.{field} = {{")
            out += c_bytes(val, depth + 2)
            out.append(f"{tabs}\t}},")
        elif ctype == "u16":
            out.append(f"{tabs}\t.{field} = 0x{val:04x},")
        else:
            out.append(f"{tabs}\t.{field} = {val},")
    out.append(tabs + "},")
    return out


def c_array(name, vectors, fields):
    macro = name.upper() + "_COUNT"
    decl = f"static const struct {name} {name}[] CBU_KAT_UNUSED = {{"
    if len(decl.expandtabs()) > 80:
        decl = (f"static const struct {name}\n"
                f"\t{name}[] CBU_KAT_UNUSED = {{")
    out = [f"#define {macro}\t{len(vectors)}", ""] + decl.split("\n")
    for v in vectors:
        out += c_value(v, fields, 1)
    out.append("};")
    return out


def c_single(name, v, fields):
    decl = f"static const struct {name} {name} CBU_KAT_UNUSED = {{"
    if len(decl.expandtabs()) > 80:
        decl = f"static const struct {name}\n\t{name} CBU_KAT_UNUSED = {{"
    body = c_value(v, fields, 0)
    return decl.split("\n") + body[1:-1] + ["};"]


HEADER = """\
/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cbu known-answer vectors.  GENERATED by kernel/tests/gen_kat.py with
 * Python's hashlib and hmac, independently of cbu's C code and of
 * libsodium; do not edit.  Regenerate with
 *
 *	cd kernel/tests && python3 gen_kat.py > kat_vectors.h
 *
 * (the same as python3 kernel/tests/gen_kat.py > this file, from the
 * repository root; checkpatch refuses a file naming its own path).  The
 * unit tests fail while this file differs from what the script generates
 * (gen_kat.py --check, tools/testing/unit/kat_fresh_test.sh).
 *
 * One file for the userspace tests (tools/testing/unit/crypto_test.c) and
 * the kernel's KUnit suites, so that both sides are pinned to the same
 * bytes.  Include it after u8 and u16 are defined (<linux/types.h> in the
 * kernel, tools/lib/kcompat.h in userspace).
 *
 * cbu_kat_mac_*: MAC = HMAC-SHA256(key, input)[0..16), input being the
 * draft's concatenation (addresses 16 octets, Seq# and lifetimes 2 octets
 * big-endian, Flag 1 octet); cbu_kat_kdf: the key schedule; cbu_kat_cookie:
 * C0 = HMAC-SHA256(s, "cbu C0" | HoA | CN)[0..8),
 * C1 = HMAC-SHA256(s, "cbu C1" | CN | HoA | C0 | N1)[0..8).  Their inputs
 * are SHA-256("cbu kat " + label), addresses in 2001:db8::/32, and all-zero
 * and all-0xff edge values.  The rfc* and xchacha vectors are copied from
 * the documents named above each.
 */
#ifndef _CBU_KAT_VECTORS_H
#define _CBU_KAT_VECTORS_H

/*
 * A suite that includes this file uses only some of the vectors; W=1 builds
 * with -Wunused-const-variable=2, which also reports a header's unused
 * statics.  Userspace's -Wall (level 1) spares headers.
 */
#ifdef __KERNEL__
#define CBU_KAT_UNUSED	__maybe_unused
#else
#define CBU_KAT_UNUSED
#endif
"""


def generate():
    out = HEADER.splitlines()

    def section(name, vectors, fields, comment, single=False):
        out.append("")
        out.extend(c_struct(name, fields, comment))
        out.append("")
        if single:
            out.extend(c_single(name, vectors, fields))
        else:
            out.extend(c_array(name, vectors, fields))

    section("cbu_kat_mac_bu", MAC_BU, MAC_BU_T,
            ["MAC_BU = prf(k_BU, HoA | CoA | Seq# | LT_BU)[0..16)"])
    section("cbu_kat_mac_ba", MAC_BA, MAC_BA_T,
            ["MAC_BA = prf(k_BA, CoA | CN | Seq# | LT_BA | LT_EN)[0..16)"])
    section("cbu_kat_mac_bc", MAC_BC, MAC_BC_T,
            ["MAC_BC = prf(k_BA, HoA | CoA | Seq# | Flag)[0..16)"])
    section("cbu_kat_mac_exch0_rk", MAC_EXCH0_RK, MAC_EXCH0_RK_T,
            ["MAC_EXCH0' = prf(k_EN, HoA | N1')[0..16)"])
    section("cbu_kat_mac_exch1_rk", MAC_EXCH1_RK, MAC_EXCH1_RK_T,
            ["MAC_EXCH1' = prf(k_EN, CN | N1' | N2' | LT_EN)[0..16)"])
    section("cbu_kat_kdf", KDF, KDF_T, [
        "The key schedule, i one octet:",
        "  k_master = prf(k_DH, N1 | N2)",
        "  k_BU, k_BA, k_EN = prf(k_master, N1 | N2 | i), i = 0, 1, 2",
        "  k_HA-next = prf(z, N0 | N1)",
        "  k_EN-new = prf(k_master, N1' | N2' | 2)  (n1_rk, n2_rk)",
    ])
    section("cbu_kat_cookie", COOKIES, COOKIE_T, [
        "Stateless cookies under the secret s:",
        "  C0 = prf(s, \"cbu C0\" | HoA | CN)[0..8)",
        "  C1 = prf(s, \"cbu C1\" | CN | HoA | C0 | N1)[0..8)",
    ])
    section("cbu_kat_sig_mn", SIG_MN, SIG_MN_T, [
        "SIG_MN's input (wire-format.md 9.7), flags 2 octets, g^a zero",
        "in a BU without one:",
        "  LCoA | MAP | HoA | RCoA | Seq# | Flags | LT_BU | N_MAP | g^a",
    ])
    section("cbu_kat_sig_map", SIG_MAP, SIG_MAP_T, [
        "SIG_MAP's input, Status and Flags one octet each, g^b zero in a",
        "signed 134 or 135:",
        "  MAP | LCoA | HoA | RCoA | Seq# | Status | Flags | LT_BA | N_MAP'",
        "  | g^a | g^b",
    ])
    section("cbu_kat_mac_lba", MAC_LBA, MAC_LBA_T, [
        "MAC_LBA = prf(k_LBA, LCoA | MAP | HoA | RCoA | Seq# | Status |",
        "              Flags | LT_BA | N_MAP')[0..16)",
    ])
    section("cbu_kat_hmip_kdf", HMIP_KDF, HMIP_KDF_T, [
        "A MAP's nonce and the key of its BAs:",
        "  N_MAP = prf(s_MAP, \"cbu N_MAP\" | HoA | RCoA)[0..16)",
        "  k_LBA = prf(k_DH, N_MAP | g^a | g^b)",
    ])
    section("cbu_kat_rfc4231", RFC4231, RFC4231_T, [
        "RFC 4231 (HMAC-SHA-256 test cases 1, 2, 4), sections 4.2, 4.3, 4.5;",
        "gen_kat.py recomputes them with Python's hmac.  key and data are",
        "key_len and data_len octets long.",
    ])
    section("cbu_kat_rfc7748_x25519", RFC7748_X25519, RFC7748_X25519_T, [
        "RFC 7748 section 5.2: X25519(scalar, u) = out, one step each.",
    ])
    section("cbu_kat_rfc7748_dh", RFC7748_DH, RFC7748_DH_T, [
        "RFC 7748 section 6.1: Diffie-Hellman, X25519(a, 9), X25519(b, 9)",
        "and the shared secret K.",
    ], single=True)
    section("cbu_kat_rfc8032", RFC8032, RFC8032_T, [
        "RFC 8032 section 7.1: Ed25519 TEST 1 and TEST 2; the private key is",
        "the 32-octet seed, msg is msg_len octets long.  key_id (not in the",
        "RFC) is cbu's issuer key id, SHA-256(pub)[0..8), from hashlib.",
    ])
    section("cbu_kat_xchacha", XCHACHA, XCHACHA_T, [
        "draft-irtf-cfrg-xchacha-03 appendix A.3.1: AEAD_XChaCha20_Poly1305",
        "with the IETF construction, as libsodium's",
        "crypto_aead_xchacha20poly1305_ietf_*.",
    ], single=True)
    out += ["", "#endif /* _CBU_KAT_VECTORS_H */"]
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(
        description="Generate cbu's known-answer vectors (kat_vectors.h).")
    ap.add_argument("--check", metavar="FILE",
                    help="exit 1 if FILE differs from what would be "
                    "generated")
    args = ap.parse_args()
    text = generate()
    if not args.check:
        sys.stdout.write(text)
        return 0
    try:
        with open(args.check, encoding="utf-8") as f:
            have = f.read()
    except OSError as e:
        print(f"gen_kat.py: {e}", file=sys.stderr)
        return 1
    if have == text:
        return 0
    sys.stderr.writelines(difflib.unified_diff(
        have.splitlines(True), text.splitlines(True), args.check,
        "gen_kat.py"))
    print(f"gen_kat.py: {args.check} is stale: run "
          "python3 kernel/tests/gen_kat.py > kernel/tests/kat_vectors.h",
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
