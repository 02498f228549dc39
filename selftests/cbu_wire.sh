#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cbu's encoder against dissectors no one here wrote: a BU (with a Home
# Address option) and a BA built by tools/lib/msg.c cross a veth, and
# tshark (Wireshark's mip6 dissector) must report Binding Update and
# Binding Acknowledgement with the sequence, lifetime, flags, home address
# and Binding Authorization Data we sent; scapy recomputes the checksums
# (RFC 6275: the home address in the pseudo-header) and Python's hmac the
# MACs.  No module needed.
#
#   mn (CoA 2001:db8:2::10, HoA 2001:db8:1::10)      cn (2001:db8:2::20)
#   veth-mn --------------------------------------------- veth-cn
#                                                  tshark captures here

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

MH_SEND=${MH_SEND:-$TOP/build/san/bin/mh-send}
COA=2001:db8:2::10
HOA=2001:db8:1::10
CN=2001:db8:2::20
K_BU=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
K_BA=f0e0d0c0b0a090807060504030201000ffeeddccbbaa99887766554433221100
SEQ=4660	# 0x1234
LT_BU=64	# 256 s
LT_BA=60
LT_EN=1024

tmp=$(mktemp -d)
cleanup() {
	set +e
	[ -n "${tshark_pid:-}" ] && kill "$tshark_pid" 2>/dev/null
	cleanup_ns
	rm -rf "$tmp"
}
trap cleanup EXIT

require_root
require_cmd ip tshark /usr/bin/python3
[ -x "$MH_SEND" ] || skip "no mh-send at $MH_SEND"
/usr/bin/python3 -c 'import scapy' 2>/dev/null || skip "needs python3-scapy"
modprobe -q veth 2>/dev/null || true

mn='' cn=''
setup_ns mn cn
ip link add veth-mn netns "$mn" type veth peer name veth-cn netns "$cn"
ip -n "$mn" addr add "$COA/64" dev veth-mn nodad
ip -n "$cn" addr add "$CN/64" dev veth-cn nodad
ip -n "$mn" link set veth-mn up
ip -n "$cn" link set veth-cn up

# Only MH, directly or behind destination options; stop after both.
ip netns exec "$cn" tshark -q -i veth-cn -w "$tmp/cap.pcapng" \
	-f 'ip6 proto 135 or ip6 proto 60' -a packets:2 -a duration:120 \
	>"$tmp/tshark.log" 2>&1 &
tshark_pid=$!
busywait 90000 grep -q "Capturing on" "$tmp/tshark.log" ||
	{ cat "$tmp/tshark.log"; fail "tshark did not start"; exit $RET; }
# Neighbour discovery first, so that both MH go out at once.
busywait 5000 ip netns exec "$mn" busybox ping -6 -c 1 -W 1 "$CN" >/dev/null

bu_hex=$(ip netns exec "$mn" "$MH_SEND" "$COA" "$CN" bu "$HOA" "$SEQ" \
	"$LT_BU" "$K_BU")
ba_hex=$(ip netns exec "$cn" "$MH_SEND" "$CN" "$COA" ba "$SEQ" "$LT_BA" \
	"$LT_EN" "$K_BA")
wait "$tshark_pid" || true
tshark_pid=

# One tshark pass (it is slow to start under emulation): PDML has every
# field's value and the name Wireshark shows for it.
tshark -r "$tmp/cap.pcapng" -T pdml >"$tmp/cap.pdml" 2>/dev/null
/usr/bin/python3 - "$tmp/cap.pdml" >"$tmp/fields" <<'PY'
import sys
import xml.etree.ElementTree as ET
want = ("mip6.mhtype", "mip6.bu.seqnr", "mip6.bu.lifetime", "mip6.bu.a_flag",
        "ipv6.opt.mipv6.home_address", "mip6.bad.auth", "mip6.ba.status",
        "mip6.ba.seqnr", "mip6.ba.lifetime", "mip6.csum")
for n, pkt in enumerate(ET.parse(sys.argv[1]).getroot().iter("packet"), 1):
    for f in pkt.iter("field"):
        name = f.get("name")
        if name in want:
            print("p%d.%s=%s" % (n, name, f.get("show")))
        if name == "mip6.mhtype":
            print("p%d.mhtype.showname=%s" % (n, f.get("showname")))
        if name == "_ws.malformed" or (name == "_ws.expert.severity" and
                                       f.get("show") in ("8388608", "Error")):
            print("p%d.malformed=%s" % (n, f.get("showname")))
PY
cat "$tmp/fields"
field() {	# field PACKET NAME
	sed -n "s/^p$1\.$2=//p" "$tmp/fields" | head -n 1
}

# The MACs, computed independently with Python's hmac.
read -r mac_bu mac_ba < <(/usr/bin/python3 - "$HOA" "$COA" "$CN" <<PY
import hmac, hashlib, ipaddress, struct, sys
hoa, coa, cn = (ipaddress.IPv6Address(a).packed for a in sys.argv[1:4])
bu = hmac.new(bytes.fromhex("$K_BU"), hoa + coa + struct.pack(">HH", $SEQ, $LT_BU), hashlib.sha256).digest()[:16]
ba = hmac.new(bytes.fromhex("$K_BA"), coa + cn + struct.pack(">HHH", $SEQ, $LT_BA, $LT_EN), hashlib.sha256).digest()[:16]
print(bu.hex(), ba.hex())
PY
)

check_eq "BU: MH type" 5 "$(field 1 mip6.mhtype)"
check_eq "BU: tshark's name" "Mobility Header Type: Binding Update (5)" \
	"$(field 1 mhtype.showname)"
check_eq "BU: sequence" "$SEQ" "$(field 1 mip6.bu.seqnr)"
check_eq "BU: lifetime" "$LT_BU" "$(field 1 mip6.bu.lifetime)"
check_eq "BU: A flag" 1 "$(field 1 mip6.bu.a_flag)"
check_eq "BU: home address option" "$HOA" \
	"$(field 1 ipv6.opt.mipv6.home_address)"
check_eq "BU: Binding Authorization Data" "$mac_bu" \
	"$(field 1 mip6.bad.auth | tr -d :)"
check_eq "BU: checksum field as sent" "0x${bu_hex:8:4}" "$(field 1 mip6.csum)"

check_eq "BA: MH type" 6 "$(field 2 mip6.mhtype)"
check_eq "BA: tshark's name" \
	"Mobility Header Type: Binding Acknowledgement (6)" \
	"$(field 2 mhtype.showname)"
check_eq "BA: status" 0 "$(field 2 mip6.ba.status)"
check_eq "BA: sequence" "$SEQ" "$(field 2 mip6.ba.seqnr)"
check_eq "BA: lifetime" "$LT_BA" "$(field 2 mip6.ba.lifetime)"
check_eq "BA: Binding Authorization Data" "$mac_ba" \
	"$(field 2 mip6.bad.auth | tr -d :)"
check_eq "BA: checksum field as sent" "0x${ba_hex:8:4}" "$(field 2 mip6.csum)"
if grep -q '\.malformed=' "$tmp/fields"; then
	fail "tshark reports a malformed packet"
else
	pass "tshark reports nothing malformed"
fi

# scapy recomputes each MH checksum; with a HAO the HoA is the source.
# scapy only finds a HAO that is alone in its header (it pads on output,
# not in its option list), so the padding we sent is dropped first.
if out=$(/usr/bin/python3 - "$tmp/cap.pcapng" <<'PY' 2>&1
import sys
from scapy.all import rdpcap, raw
from scapy.layers.inet6 import (IPv6, IPv6ExtHdrDestOpt, HAO, MIP6MH_BU,
                                MIP6MH_BA)
bad = 0
for p in rdpcap(sys.argv[1]):
    ip = p[IPv6]
    for cls in (MIP6MH_BU, MIP6MH_BA):
        if cls in ip:
            sent = ip[cls].cksum
            q = ip.copy()
            if IPv6ExtHdrDestOpt in q:
                d = q[IPv6ExtHdrDestOpt]
                d.options = [o for o in d.options if isinstance(o, HAO)]
                del d.len
            del q[cls].cksum
            good = IPv6(raw(q))[cls].cksum
            print("%s checksum sent 0x%04x, scapy 0x%04x" % (cls.__name__, sent, good))
            bad += sent != good
sys.exit(1 if bad else 0)
PY
); then
	echo "$out"
	pass "scapy agrees with both checksums"
else
	echo "$out"
	fail "scapy disagrees with a checksum"
fi

exit $RET
