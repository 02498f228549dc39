#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""An independent CBU peer for the selftests: scapy builds and sends the
packets, Python's hmac computes the MACs and this file decodes the answers,
so that no line of cbu's own encoder, decoder or crypto is involved on this
side of the wire.

Run in a network namespace as a coprocess: it reads one command per line on
stdin and answers each with one JSON line on stdout.

  bu  IFACE SRC DST HOA SEQ LIFETIME K_BU [flag...]   a BU from SRC (a CoA)
  bc  IFACE SRC DST HOA SEQ K_BA [flag...]            a BC from SRC (a CoA)
  ba  IFACE SRC DST HOA SEQ LIFETIME LT_EN K_BA [flag...]
                                                      a BA from SRC (a CN)
  fwd IFACE SRC DST HOA COA SEQ LIFETIME K_BU [flag...]
                                                      a FWD from SRC (CN_HA)
                                                      to DST (CN_HoA)
  cookie1 IFACE SRC DST                               a COOKIE1 from SRC
  udp IFACE SRC DST HOA                               a UDP datagram from
                                                      SRC with a HAO for HOA
  legacy IFACE ADDR      from now on, answer every CBU message (MH type 11)
                         to ADDR with a Binding Error, status 2, as a
                         Mobile IPv6 node without CBU does (RFC 6275 9.2)
  legacy-count           how many such answers were sent
  quit

Flags: bad-mac (flip a MAC bit), bad-csum (flip a checksum bit), trunc
(cut the last 8 octets of the MH, IPv6 length kept consistent), no-ack
(BU without the A flag), wait=SECONDS (how long to wait for an answer,
default 3; 0 sends and returns at once), cn-hoa=ADDR (a BA from a mobile
CN: SRC is its care-of address, ADDR its home address, draft section 4).  K_* are 64 hex digits.
Standard Mobile IPv6 BUs, for the tests that cbu leaves them alone: rr
(Return Routability's: Nonce Indices and a 12-octet Binding Authorization
Data, RFC 6275 6.1.7), home (a home registration: H flag, no
authenticator); and no-hao (no Home Address option: sent from the home
address, SRC = HOA, RFC 6275 9.5.1).

The extension headers of a BU, for the tests of RFC 8200's rules:
ext=H[,H...] replaces the one destination options header with a HAO by
these, in order: hao (destination options with the HAO), hao-opt:TT (the
same, and an unknown option of type TT in hex), pad (destination options,
PadN only), hop (hop-by-hop, PadN only), rh0:N and rh2:N (a routing header
of type 0, naming DST, or of type 2, naming HOA, with N segments left).
frag sends the BU in two fragments after them; hoa-opt puts a CBU home
address option in the BU (wire-format.md 3.5 forbids it); big pads the BU
with two unknown mobility options to 552 octets.  The checksum and MAC are
computed as cbu computes them: the HoA of the (first) HAO as source.

The answer names what came back: {"reply": "ba"|"be"|"bc"|null, ...}
with its fields, "mac_ok" (recomputed with the key of the command: K_BU's
partner key must be given as kba=HEX for a BU) and "csum_ok".
"""

import hashlib
import hmac
import ipaddress
import json
import socket
import struct
import sys
import threading

# scapy's own modules, not scapy.all: every layer scapy has takes seconds
# to load under QEMU's TCG, and the peer needs IPv6's (Ether's with them).
from scapy.config import conf  # noqa: E402
from scapy.sendrecv import AsyncSniffer  # noqa: E402
from scapy.layers.inet6 import (  # noqa: E402
    HAO, IPv6, IPv6ExtHdrDestOpt, MIP6MH_BU, MIP6MH_Generic, MIP6OptUnknown,
)

conf.verb = 0

MH, DSTOPTS = 135, 60
FLAGS = ("bad-mac", "bad-csum", "trunc", "no-ack", "rr", "home", "no-hao",
         "frag", "hoa-opt", "big")
HOP, ROUTING, FRAGMENT = 0, 43, 44


def a16(addr):
    return ipaddress.IPv6Address(addr).packed


def mac(key, data):
    return hmac.new(key, data, hashlib.sha256).digest()[:16]


def padn(n):
    return MIP6OptUnknown(otype=1, odata=b"\0" * (n - 2))


def csum(src, dst, mh):
    """RFC 6275 6.1.1 over a pseudo-header, computed here from scratch."""
    data = src + dst + struct.pack(">I", len(mh)) + b"\0\0\0" + bytes([MH])
    data += mh
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(">%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def walk_options(mh, start):
    """(type, data) of each mobility option after the fixed part."""
    opts, off = [], start
    while off < len(mh):
        if mh[off] == 0:
            off += 1
            continue
        t, ln = mh[off], mh[off + 1]
        opts.append((t, bytes(mh[off + 2:off + 2 + ln])))
        off += 2 + ln
    return opts


def decode(pkt, kba, cn_side):
    """Decode a BA, BE or BC; check its checksum and (BA, BC) its MAC."""
    ip = pkt[IPv6]
    raw = bytes(ip)
    nh, off, hoa = raw[6], 40, None
    while nh == DSTOPTS:
        ln = (raw[off + 1] + 1) * 8
        o = off + 2
        while o < off + ln:
            if raw[o] == 0:
                o += 1
                continue
            if raw[o] == 201:
                hoa = raw[o + 2:o + 18]
            o += 2 + raw[o + 1]
        nh, off = raw[off], off + ln
    if nh != MH:
        return None
    mh = raw[off:]
    src, dst = a16(ip.src), a16(ip.dst)
    out = {"src": ip.src, "dst": ip.dst,
           "csum_ok": csum(hoa or src, dst, mh) == 0}
    mhtype = mh[2]
    if mhtype == 6:
        status, seq, lt = mh[6], *struct.unpack(">HH", mh[8:12])
        out.update(reply="ba", status=status, seq=seq, lifetime=lt)
        lt_en = auth = None
        for t, d in walk_options(mh, 12):
            if t == 18 and d[0] == 1:
                lt_en = struct.unpack(">H", d[1:3])[0]
            elif t == 18 and d[0] == 2:
                out["hoa"] = str(ipaddress.IPv6Address(d[1:17]))
            elif t == 18 and d[0] == 5:
                out["cn_hoa"] = str(ipaddress.IPv6Address(d[1:17]))
                out["len"] = len(mh)
            elif t == 5:
                auth = d
        out["lt_en"] = lt_en
        if auth is not None and lt_en is not None and kba:
            want = mac(kba, dst + src + struct.pack(">HHH", seq, lt, lt_en))
            out["mac_ok"] = hmac.compare_digest(want, auth)
    elif mhtype == 7:
        out.update(reply="be", status=mh[6],
                   hoa=str(ipaddress.IPv6Address(mh[8:24])))
    elif mhtype == 11 and mh[6] == 7:
        seq, flag = struct.unpack(">HB", mh[8:11])
        out.update(reply="bc", seq=seq, flag=flag)
        if hoa:
            out["hoa"] = str(ipaddress.IPv6Address(hoa))
        auth = [d for t, d in walk_options(mh, 12) if t == 5]
        if auth and kba and hoa:
            want = mac(kba, hoa + src + struct.pack(">HB", seq, flag))
            out["mac_ok"] = hmac.compare_digest(want, auth[0])
    else:
        out.update(reply="mh%d" % mhtype)
    return out


def send(raw):
    """Send a whole IPv6 packet as built, bit for bit (IPPROTO_RAW)."""
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
    try:
        s.sendto(raw, (str(ipaddress.IPv6Address(raw[24:40])), 0))
    finally:
        s.close()


def exchange(iface, raw, kba, wait, want):
    """Send @raw and wait for the first MH of a type in @want."""
    raws = raw if isinstance(raw, list) else [raw]
    if wait <= 0:
        for r in raws:
            send(r)
        return {"reply": None}
    started = threading.Event()
    got = []

    def match(p):
        if IPv6 not in p:
            return False
        d = decode(p, kba, False)
        if d and d["reply"] in want:
            got.append(d)
            return True
        return False

    sn = AsyncSniffer(iface=iface, filter="ip6", lfilter=match, count=1,
                      timeout=wait, store=False,
                      started_callback=started.set)
    sn.start()
    started.wait(10)
    for r in raws:
        send(r)
    sn.join()
    return got[0] if got else {"reply": None}


def finish(pkt, flags):
    """Build the packet and apply the damage flags to its bytes."""
    raw = bytearray(bytes(pkt))
    nh, off = raw[6], 40
    while nh == DSTOPTS:
        nh, off = raw[off], off + (raw[off + 1] + 1) * 8
    if "bad-csum" in flags:
        raw[off + 5] ^= 0x01
    if "trunc" in flags:
        raw = raw[:-8]
        struct.pack_into(">H", raw, 4, len(raw) - 40)
    return bytes(raw)


def ext_headers(tokens, dst, hoa, last):
    """The raw extension headers named by @tokens, the last one's next
    header @last; and the first header's type."""
    hdrs = []
    for tok in tokens:
        name, _, arg = tok.partition(":")
        if name == "hao":
            hdrs.append((DSTOPTS, bytes([1, 2, 0, 0, 0xC9, 16]) + a16(hoa)))
        elif name == "hao-opt":
            hdrs.append((DSTOPTS, bytes([1, 2, 0, 0, 0xC9, 16]) + a16(hoa) +
                         bytes([int(arg, 16), 6]) + bytes(6)))
        elif name == "pad":
            hdrs.append((DSTOPTS, bytes([1, 4, 0, 0, 0, 0])))
        elif name == "hop":
            hdrs.append((HOP, bytes([1, 4, 0, 0, 0, 0])))
        elif name in ("rh0", "rh2"):
            addr = a16(dst) if name == "rh0" else a16(hoa)
            hdrs.append((ROUTING, bytes([int(name[2]), int(arg)]) + bytes(4) +
                         addr))
        else:
            raise ValueError("unknown header %s" % tok)
    raw = b""
    for i, (_, body) in enumerate(hdrs):
        nh = hdrs[i + 1][0] if i + 1 < len(hdrs) else last
        raw += bytes([nh, (len(body) + 2) // 8 - 1]) + body
    return (hdrs[0][0] if hdrs else last), raw


def bu_raw(src, dst, hoa, seq, lt, kbu, flags):
    """A CBU BU built octet by octet, with the headers of ext= (see above)."""
    tokens = [t for t in flags.get("ext", "hao").split(",") if t]
    with_hao = any(t.split(":")[0] in ("hao", "hao-opt") for t in tokens)
    m = mac(kbu, a16(hoa) + a16(src) + struct.pack(">HH", seq, lt))
    if "bad-mac" in flags:
        m = bytes([m[0] ^ 0x80]) + m[1:]
    bits = 0 if "no-ack" in flags else 0x8000
    opts = b""
    if "hoa-opt" in flags:		# CBU option, code 2, and PadN 1 to 8n+2
        opts += bytes([18, 17, 2]) + a16(hoa) + bytes([1, 1, 0])
    else:
        opts += bytes([1, 4, 0, 0, 0, 0])
    if "big" in flags:			# two unknown options of 256 octets
        opts += (bytes([0x7F, 254]) + bytes(254)) * 2
    opts += bytes([5, 16]) + m
    pad = (-(12 + len(opts))) % 8	# PadN to a multiple of 8 (always 4)
    opts += bytes([1, pad - 2]) + bytes(pad - 2)
    mh = bytearray(struct.pack(">BBBBHHHH", 59, 0, 5, 0, 0, seq, bits, lt) +
                   opts)
    mh[1] = len(mh) // 8 - 1
    sum_src = a16(hoa) if with_hao else a16(src)
    struct.pack_into(">H", mh, 4, csum(sum_src, a16(dst), bytes(mh)))
    if "bad-csum" in flags:
        mh[5] ^= 0x01
    mh = bytes(mh)
    last = FRAGMENT if "frag" in flags else MH
    first, ext = ext_headers(tokens, dst, hoa, last)

    def ip6(nh, payload):
        return (struct.pack(">IHBB", 6 << 28, len(payload), nh, 64) +
                a16(src) + a16(dst) + payload)
    if "frag" not in flags:
        return ip6(first, ext + mh)
    # Two fragments: the first 16 octets of the MH, then the rest.
    ident = 0x0cb0cb0
    f1 = struct.pack(">BBHI", MH, 0, 0 | 1, ident) + mh[:16]
    f2 = struct.pack(">BBHI", MH, 0, 16, ident) + mh[16:]
    return [ip6(first, ext + f1), ip6(first, ext + f2)]


def cmd_bu(args, flags):
    iface, src, dst, hoa, seq, lt, kbu = args[:7]
    seq, lt, kbu = int(seq), int(lt), bytes.fromhex(kbu)
    kba = bytes.fromhex(flags["kba"]) if "kba" in flags else None
    if any(f in flags for f in ("ext", "frag", "hoa-opt", "big")):
        return exchange(iface, bu_raw(src, dst, hoa, seq, lt, kbu, flags),
                        kba, flags["wait"], ("ba", "be"))
    m = mac(kbu, a16(hoa) + a16(src) + struct.pack(">HH", seq, lt))
    if "bad-mac" in flags:
        m = bytes([m[0] ^ 0x80]) + m[1:]
    opts = [padn(6), MIP6OptUnknown(otype=5, odata=m), padn(4)]
    bits = 0 if "no-ack" in flags else "A"
    if "rr" in flags:
        # Nonce Indices at 12 (2n), the 12-octet BAD at 18 (8n+2): 32.
        opts = [MIP6OptUnknown(otype=4, odata=b"\x00\x01\x00\x02"),
                MIP6OptUnknown(otype=5, odata=m[:12])]
    elif "home" in flags:
        bits, opts = "AH", [padn(4)]
    bu = MIP6MH_BU(seq=seq, mhtime=lt, autopad=0, flags=bits, options=opts)
    if "no-hao" in flags:
        pkt = IPv6(src=src, dst=dst) / bu
    else:
        pkt = (IPv6(src=src, dst=dst) /
               IPv6ExtHdrDestOpt(options=[HAO(hoa=hoa)]) / bu)
    return exchange(iface, finish(pkt, flags), kba, flags["wait"],
                    ("ba", "be"))


def cmd_bc(args, flags):
    iface, src, dst, hoa, seq, kba = args[:6]
    seq, kba = int(seq), bytes.fromhex(kba)
    m = mac(kba, a16(hoa) + a16(src) + struct.pack(">HB", seq, 1))
    if "bad-mac" in flags:
        m = bytes([m[0] ^ 0x80]) + m[1:]
    # type 11 header's subtype, version; Seq#, Flag, reserved; PadN 6;
    # BAD; PadN 4 (the layout of Documentation/wire-format.md).
    body = (bytes([7, 1]) + struct.pack(">HBB", seq, 1, 0) +
            bytes([1, 4, 0, 0, 0, 0, 5, 16]) + m + bytes([1, 2, 0, 0]))
    bc = MIP6MH_Generic(mhtype=11, len=4, msg=body)
    pkt = (IPv6(src=src, dst=dst) /
           IPv6ExtHdrDestOpt(options=[HAO(hoa=hoa)]) / bc)
    send(finish(pkt, flags))
    return {"reply": None}


def cmd_ba(args, flags):
    iface, src, dst, hoa, seq, lt, lt_en, kba = args[:8]
    seq, lt, lt_en = int(seq), int(lt), int(lt_en)
    kba = bytes.fromhex(kba)
    m = mac(kba, a16(dst) + a16(src) + struct.pack(">HHH", seq, lt, lt_en))
    if "bad-mac" in flags:
        m = bytes([m[0] ^ 0x80]) + m[1:]
    # MAC_BA does not cover the status (status=N): anyone can change it.
    body = (struct.pack(">BBHH", int(flags.get("status", 0)), 0, seq, lt) +
            bytes([18, 3, 1]) + struct.pack(">H", lt_en) +
            bytes([18, 17, 2]) + a16(hoa))
    if "cn-hoa" in flags:
        # A mobile CN at SRC, its CoA (draft section 4): its home address
        # in a CN HoA option (code 5), PadN 3, 80 octets in all.
        body += bytes([18, 17, 5]) + a16(flags["cn-hoa"]) + bytes([1, 1, 0])
    else:
        body += bytes([1, 4, 0, 0, 0, 0])
    body += bytes([5, 16]) + m + bytes([1, 2, 0, 0])
    ba = MIP6MH_Generic(mhtype=6, len=(len(body) + 6) // 8 - 1, msg=body)
    pkt = IPv6(src=src, dst=dst) / ba
    return exchange(iface, finish(pkt, flags), kba, flags["wait"], ("bc",))


def cmd_fwd(args, flags):
    """FWD = {HoA, CoA, MAC_BU, Seq#, LT_BU} (wire-format.md 4.17), from
    SRC (standing in for CN_HA) to DST (CN_HoA); the BA comes from CN_CoA
    to COA."""
    iface, src, dst, hoa, coa, seq, lt, kbu = args[:8]
    seq, lt, kbu = int(seq), int(lt), bytes.fromhex(kbu)
    kba = bytes.fromhex(flags["kba"]) if "kba" in flags else None
    m = mac(kbu, a16(hoa) + a16(coa) + struct.pack(">HH", seq, lt))
    if "bad-mac" in flags:
        m = bytes([m[0] ^ 0x80]) + m[1:]
    # type 11 header's subtype, version; the fixed body; PadN 4: 64.
    body = (bytes([14, 1]) + a16(hoa) + a16(coa) + m +
            struct.pack(">HH", seq, lt) + bytes([1, 2, 0, 0]))
    fwd = MIP6MH_Generic(mhtype=11, len=7, msg=body)
    pkt = IPv6(src=src, dst=dst) / fwd
    return exchange(iface, finish(pkt, flags), kba, flags["wait"],
                    ("ba", "be"))


def cmd_cookie1(args, flags):
    iface, src, dst = args[:3]
    # subtype 4, version 1; C0, C1 (8 each), N1 (16): 40 octets in all.
    body = bytes([4, 1]) + bytes(range(1, 33))
    pkt = IPv6(src=src, dst=dst) / MIP6MH_Generic(mhtype=11, len=4, msg=body)
    send(finish(pkt, flags))
    return {"reply": None}


def cmd_udp(args, flags):
    iface, src, dst, hoa = args[:4]
    from scapy.layers.inet import UDP
    pkt = (IPv6(src=src, dst=dst) /
           IPv6ExtHdrDestOpt(options=[HAO(hoa=hoa)]) /
           UDP(sport=4242, dport=9) / b"cbu")
    send(finish(pkt, flags))
    return {"reply": None}


LEGACY = {"sniffer": None, "answered": 0}


def cmd_legacy(args, flags):
    iface, addr = args[:2]
    from scapy.layers.inet6 import MIP6MH_BE
    started = threading.Event()

    def answer(p):
        if IPv6 not in p or p[IPv6].dst != addr:
            return
        d = p[IPv6]
        nh, raw = d.nh, bytes(d.payload)
        while nh == DSTOPTS and len(raw) >= 8:
            nh, raw = raw[0], raw[(raw[1] + 1) * 8:]
        if nh != MH or len(raw) < 6 or raw[2] != 11:
            return
        # Status 2, unrecognized MH type; the Home Address field is the
        # offending packet's source (no HAO here).
        be = IPv6(src=addr, dst=d.src) / MIP6MH_BE(status=2, ha=d.src)
        send(bytes(be))
        LEGACY["answered"] += 1

    sn = AsyncSniffer(iface=iface, filter="ip6", prn=answer, store=False,
                      started_callback=started.set)
    sn.start()
    started.wait(10)
    LEGACY["sniffer"] = sn
    return {"reply": None}


def cmd_legacy_count(args, flags):
    return {"answered": LEGACY["answered"]}


def main():
    cmds = {"bu": cmd_bu, "bc": cmd_bc, "ba": cmd_ba, "fwd": cmd_fwd,
            "cookie1": cmd_cookie1,
            "udp": cmd_udp, "legacy": cmd_legacy,
            "legacy-count": cmd_legacy_count}
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "quit":
            break
        args = [w for w in words[1:] if "=" not in w and w not in FLAGS]
        flags = {w: True for w in words[1:] if w in FLAGS}
        flags.update(w.split("=", 1) for w in words[1:] if "=" in w)
        flags["wait"] = float(flags.get("wait", 3))
        try:
            out = cmds[words[0]](args, flags)
        except Exception as e:  # noqa: BLE001 - reported to the test
            out = {"error": "%s: %s" % (type(e).__name__, e)}
        print(json.dumps(out), flush=True)
    if LEGACY["sniffer"]:
        LEGACY["sniffer"].stop()


if __name__ == "__main__":
    main()
