#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cbu on the wire, against dissectors.
#
# 1. cbu's encoder against dissectors no one here wrote: a BU (with a Home
#    Address option) and a BA built by tools/lib/msg.c cross a veth, and
#    tshark (Wireshark's mip6 dissector) must report Binding Update and
#    Binding Acknowledgement with the sequence, lifetime, flags, home
#    address and Binding Authorization Data we sent; scapy recomputes the
#    checksums (RFC 6275: the home address in the pseudo-header) and
#    Python's hmac the MACs.  cbu's own dissector (tools/wireshark/cbu.lua)
#    must find the BA's LT_EN option.  No module needed.
#
#   mn (CoA 2001:db8:2::10, HoA 2001:db8:1::10)      cn (2001:db8:2::20)
#   veth-mn --------------------------------------------- veth-cn
#                                                  tshark captures here
#
# 2. What `make demo` (tools/demo) puts on the wire, read with cbu.lua:
#    its three agents register (REG, REG_ACK), run route optimization (REQ
#    and REP in the home tunnel, COOKIE0, COOKIE1, EXCH0 and EXCH1 between
#    home agent and correspondent, BU, BA, BC) and deregister (BU and REG
#    of lifetime 0).  NFLOG keeps every MH in the mobile node's and the
#    home agent's namespaces as sent (output) and as received
#    (prerouting, after ESP): every message in clear.  Each must show its
#    fields with the values of the exchange (cookies and nonces echoed,
#    the certificates' subjects, Seq# of BU, BA and BC), and no packet may
#    be malformed or draw a warning.
#
#   mn (HoA 2001:db8:1::100) -- core -- cn 2001:db8:2::2
#   mn1 2001:db8:3::10          |
#                               ha 2001:db8:1::2 (home link ha0)

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

: "${CBU_AGENT:=$TOP/agent/cbu-agent}"
LUA=$TOP/tools/wireshark/cbu.lua
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
cap_pids=()
cleanup() {
	set +e
	[ -n "${tshark_pid:-}" ] && kill "$tshark_pid" 2>/dev/null
	for p in "${cap_pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	agent_test_cleanup
}
trap cleanup EXIT

require_root
require_cmd ip tshark dumpcap mergecap nft jq base64 /usr/bin/python3
[ -x "$MH_SEND" ] || skip "no mh-send at $MH_SEND"
[ -x "$CBUCTL" ] || skip "no cbuctl at $CBUCTL"
[ -x "$CBU_AGENT" ] || skip "no cbu-agent at $CBU_AGENT"
[ -f "$CBU_KO" ] || skip "no module at $CBU_KO"
modprobe -q esp6 2>/dev/null || skip "no ESP for IPv6 (esp6)"
modprobe -q xfrm_user 2>/dev/null || true
modprobe -q nfnetlink_log 2>/dev/null || true
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
tshark -X "lua_script:$LUA" -r "$tmp/cap.pcapng" -T pdml \
	>"$tmp/cap.pdml" 2>/dev/null
/usr/bin/python3 - "$tmp/cap.pdml" >"$tmp/fields" <<'PY'
import sys
import xml.etree.ElementTree as ET
want = ("mip6.mhtype", "mip6.bu.seqnr", "mip6.bu.lifetime", "mip6.bu.a_flag",
        "ipv6.opt.mipv6.home_address", "mip6.bad.auth", "mip6.ba.status",
        "mip6.ba.seqnr", "mip6.ba.lifetime", "mip6.csum", "cbu.opt.code",
        "cbu.opt.lt_en")
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
check_eq "BA: cbu.lua finds its LT_EN option" 1 "$(field 2 cbu.opt.code)"
check_eq "BA: LT_EN, by cbu.lua" "$LT_EN" "$(field 2 cbu.opt.lt_en)"
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
from scapy.utils import rdpcap
from scapy.compat import raw
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


# --- 2. the demo's messages, through cbu.lua ------------------------------

cleanup_ns
HOA=2001:db8:1::100
HA=2001:db8:1::2
CN=2001:db8:2::2
COA=2001:db8:3::10
mn='' core='' ha='' cn=''
setup_ns mn core ha cn
link "$core" c0 2001:db8:2::1 "$cn" cn0 "$CN"
link "$core" h0 2001:db8:1::1 "$ha" ha0 "$HA"
link "$core" m0 2001:db8:3::1 "$mn" mn1 "$COA"
ip netns exec "$core" sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$ha" route add default via 2001:db8:1::1
ip -n "$cn" route add default via 2001:db8:2::1
ip -n "$mn" route add default via 2001:db8:3::1
agent_pki 2001:db8:1::/64 "$CN"
confs_home "$HOA" "$HA" 2001:db8:1::/64 ha0 mn1
{ conf_debug; conf_cn "$CN"; } >"$tmp/cn.conf"

# NFLOG group 7: every MH out of or into the namespace, in clear, each
# sent to dumpcap at once (the kernel's default keeps a queue).
for ns in "$mn" "$ha"; do
	ip netns exec "$ns" nft -f - <<'NFT'
table inet wire {
	chain pre { type filter hook prerouting priority -500; meta l4proto 135 log group 7 queue-threshold 1; }
	chain out { type filter hook output priority -500; meta l4proto 135 log group 7 queue-threshold 1; }
}
NFT
done
for who in mn ha; do
	ns=${!who}
	ip netns exec "$ns" dumpcap -q -i nflog:7 -w "$tmp/$who.pcapng" \
		>"$tmp/$who.dumpcap" 2>&1 &
	cap_pids+=($!)
done
# dumpcap writes its file once NFLOG is bound; a probe (a BRR to the
# core) from each namespace until both files are there flushes them.
capturing() {
	ip netns exec "$mn" "$MH_SEND" "$COA" 2001:db8:3::1 raw \
		3b00000000000000 >/dev/null
	ip netns exec "$ha" "$MH_SEND" "$HA" 2001:db8:1::1 raw \
		3b00000000000000 >/dev/null
	[ -s "$tmp/mn.pcapng" ] && [ -s "$tmp/ha.pcapng" ]
}
busywait 120000 capturing ||
	{ cat "$tmp/mn.dumpcap" "$tmp/ha.dumpcap"; fail "dumpcap did not start"; exit 1; }

dmesg_mark
cbu_load
agent_start ha "$ha"
agent_start cn "$cn"
agent_start mn "$mn"
busywait 30000 registered ||
	{ cat "$tmp/mn.log" "$tmp/ha.log"; fail "mn did not register"; exit 1; }
"$CBUCTL" -n "$mn" ro start "$CN" >/dev/null
if busywait 60000 is_state "$CN" bound; then
	pass "demo: route optimization with the CN"
else
	fail "demo: no route optimization: $(ro_state "$CN")"
	cat "$tmp/mn.log" "$tmp/ha.log" "$tmp/cn.log"
fi
# As the demo ends: the mobile node first, which deregisters.
mn_pid=${AGENT_PIDS[2]}
kill -TERM "$mn_pid"
rc=0
wait "$mn_pid" || rc=$?
check_eq "demo: mn agent exits 0" 0 "$rc"
AGENT_PIDS=("${AGENT_PIDS[@]:0:2}")
busywait 10000 sh -c "! '$CBUCTL' -n '$cn' binding show $HOA $CN \
	>/dev/null 2>&1" || true
sleep 1
for p in "${cap_pids[@]}"; do
	kill -INT "$p" 2>/dev/null
	wait "$p" 2>/dev/null
done
cap_pids=()
agents_stop
agents_clean ha cn mn
check_dmesg "demo"

mergecap -w "$tmp/demo.pcapng" "$tmp/mn.pcapng" "$tmp/ha.pcapng"
demo_fields=(ipv6.src ipv6.dst mip6.mhtype cbu.subtype cbu.version
	cbu.checksum.status cbu.sealed.pt_len cbu.c0 cbu.c1 cbu.n1 cbu.ts
	cbu.suite cbu.cert.kind cbu.cert.subject cbu.cert.prefix_len
	cbu.opt.code cbu.opt.hoa cbu.opt.lt_en cbu.seq cbu.bc.flag
	cbu.opt.auth mip6.bu.seqnr mip6.bu.lifetime mip6.ba.status
	mip6.ba.seqnr mip6.ba.lifetime ipv6.opt.mipv6.home_address
	mip6.bad.auth _ws.malformed _ws.expert.severity _ws.expert.message
	_ws.col.Info)
args=()
for f in "${demo_fields[@]}"; do
	args+=(-e "$f")
done
tshark -X "lua_script:$LUA" -r "$tmp/demo.pcapng" -T fields \
	-E occurrence=a -E aggregator='|' "${args[@]}" \
	>"$tmp/demo.fields" 2>"$tmp/demo.err"
# KIND.FIELD=VALUE for the first packet of each kind (several, the same
# packet as sent and as received), and every packet's troubles.
/usr/bin/python3 - "$tmp/demo.fields" "${demo_fields[@]}" \
	>"$tmp/demo.kinds" <<'PY'
import sys
names = sys.argv[2:]
sub = {1: "REQ", 2: "REP", 3: "COOKIE0", 4: "COOKIE1", 5: "EXCH0",
       6: "EXCH1", 7: "BC", 18: "REG", 19: "REG_ACK"}
seen = set()
for n, line in enumerate(open(sys.argv[1]), 1):
    f = dict(zip(names, line.rstrip("\n").split("\t")))
    if f["_ws.malformed"] or any(int(s) >= 6291456 for s in
                                 f["_ws.expert.severity"].split("|") if s):
        print("trouble=%d %s %s" % (n, f["_ws.col.Info"],
                                    f["_ws.expert.message"]))
    t = f["mip6.mhtype"]
    if t == "11":
        kind = sub.get(int(f["cbu.subtype"] or 0), "other")
    elif t == "5":
        kind = "BU" if f["mip6.bu.lifetime"] != "0" else "BU0"
    elif t == "6":
        kind = "BA"
    else:
        kind = "other"
    if kind in seen:
        continue
    seen.add(kind)
    for k in names:
        print("%s.%s=%s" % (kind, k, f[k]))
PY
kind() {	# kind KIND FIELD
	sed -n "s/^$1\.$2=//p" "$tmp/demo.kinds" | head -n 1
}
hexlen() {	# hexlen KIND FIELD: octets of a bytes field
	local v
	v=$(kind "$1" "$2")
	echo $((${#v} / 2))
}

for k in REG REG_ACK REQ REP COOKIE0 COOKIE1 EXCH0 EXCH1 BC; do
	check_eq "demo $k: on the wire, version 1" 1 "$(kind "$k" cbu.version)"
	check_eq "demo $k: checksum good" good \
		"$(kind "$k" cbu.checksum.status)"
done
check_eq "demo REG: CoA to HA" "$COA $HA" \
	"$(kind REG ipv6.src) $(kind REG ipv6.dst)"
check_eq "demo REG: sealed, 56 octets" 56 "$(kind REG cbu.sealed.pt_len)"
check_eq "demo REG_ACK: HA to CoA" "$HA $COA" \
	"$(kind REG_ACK ipv6.src) $(kind REG_ACK ipv6.dst)"
check_eq "demo REG_ACK: sealed, 56 octets" 56 \
	"$(kind REG_ACK cbu.sealed.pt_len)"
check_eq "demo REQ: HoA to HA (in clear inside the tunnel)" "$HOA $HA" \
	"$(kind REQ ipv6.src) $(kind REQ ipv6.dst)"
check_eq "demo REQ: sealed, 64 octets" 64 "$(kind REQ cbu.sealed.pt_len)"
check_eq "demo REP: HA to HoA" "$HA $HOA" \
	"$(kind REP ipv6.src) $(kind REP ipv6.dst)"
check_eq "demo REP: sealed, 144 octets" 144 "$(kind REP cbu.sealed.pt_len)"
check_eq "demo COOKIE0: HoA (the HA) to CN" "$HOA $CN" \
	"$(kind COOKIE0 ipv6.src) $(kind COOKIE0 ipv6.dst)"
check_eq "demo COOKIE0: C0 of 8 octets" 8 "$(hexlen COOKIE0 cbu.c0)"
check_eq "demo COOKIE1: CN to HoA" "$CN $HOA" \
	"$(kind COOKIE1 ipv6.src) $(kind COOKIE1 ipv6.dst)"
check_eq "demo COOKIE1: echoes C0" "$(kind COOKIE0 cbu.c0)" \
	"$(kind COOKIE1 cbu.c0)"
check_eq "demo COOKIE1: C1 and N1" "8 16" \
	"$(hexlen COOKIE1 cbu.c1) $(hexlen COOKIE1 cbu.n1)"
check_eq "demo EXCH0: HoA (the HA) to CN" "$HOA $CN" \
	"$(kind EXCH0 ipv6.src) $(kind EXCH0 ipv6.dst)"
check_eq "demo EXCH0: suite 1" 1 "$(kind EXCH0 cbu.suite)"
check_eq "demo EXCH0: echoes C0, C1, N1" \
	"$(kind COOKIE1 cbu.c0) $(kind COOKIE1 cbu.c1) $(kind COOKIE1 cbu.n1)" \
	"$(kind EXCH0 cbu.c0) $(kind EXCH0 cbu.c1) $(kind EXCH0 cbu.n1)"
ts=$(kind EXCH0 cbu.ts)
check_eq "demo EXCH0: TS of this run" 1 \
	"$([ $((${ts:-0} - $(date +%s))) -le 60 ] &&
	   [ $(($(date +%s) - ${ts:-0})) -le 600 ] && echo 1)"
check_eq "demo EXCH0: CERT option, Cert_HA for the home prefix" \
	"3 1 2001:db8:1:: 64" \
	"$(kind EXCH0 cbu.opt.code) $(kind EXCH0 cbu.cert.kind) $(kind EXCH0 cbu.cert.subject) $(kind EXCH0 cbu.cert.prefix_len)"
check_eq "demo EXCH1: CN to HoA" "$CN $HOA" \
	"$(kind EXCH1 ipv6.src) $(kind EXCH1 ipv6.dst)"
check_eq "demo EXCH1: suite 1, echoes C0 and C1" \
	"1 $(kind COOKIE1 cbu.c0) $(kind COOKIE1 cbu.c1)" \
	"$(kind EXCH1 cbu.suite) $(kind EXCH1 cbu.c0) $(kind EXCH1 cbu.c1)"
check_eq "demo EXCH1: CERT option, Cert_CN for the CN" "3 2 $CN 128" \
	"$(kind EXCH1 cbu.opt.code) $(kind EXCH1 cbu.cert.kind) $(kind EXCH1 cbu.cert.subject) $(kind EXCH1 cbu.cert.prefix_len)"
check_eq "demo BU: CoA to CN, HAO the HoA" "$COA $CN $HOA" \
	"$(kind BU ipv6.src) $(kind BU ipv6.dst) $(kind BU ipv6.opt.mipv6.home_address)"
check_eq "demo BU: MAC of 16 octets" 16 "$(hexlen BU mip6.bad.auth)"
seq=$(kind BU mip6.bu.seqnr)
check_eq "demo BA: CN to CoA, accepted, the BU's Seq#" "$CN $COA 0 $seq" \
	"$(kind BA ipv6.src) $(kind BA ipv6.dst) $(kind BA mip6.ba.status) $(kind BA mip6.ba.seqnr)"
check_eq "demo BA: cbu.lua finds LT_EN and HoA options" "1|2 $HOA" \
	"$(kind BA cbu.opt.code) $(kind BA cbu.opt.hoa)"
check_eq "demo BA: LT_EN set" 1 "$([ "$(kind BA cbu.opt.lt_en)" -gt 0 ] &&
	echo 1)"
check_eq "demo BC: CoA to CN, HAO the HoA" "$COA $CN $HOA" \
	"$(kind BC ipv6.src) $(kind BC ipv6.dst) $(kind BC ipv6.opt.mipv6.home_address)"
check_eq "demo BC: the BU's Seq#, confirm flag, MAC of 16 octets" \
	"$seq 1 16" \
	"$(kind BC cbu.seq) $(kind BC cbu.bc.flag) $(hexlen BC cbu.opt.auth)"
check_eq "demo: deregistration BU of lifetime 0" "$COA $CN 0" \
	"$(kind BU0 ipv6.src) $(kind BU0 ipv6.dst) $(kind BU0 mip6.bu.lifetime)"
check_eq "demo: packets decoded" 1 "$([ "$(wc -l <"$tmp/demo.fields")" -ge 12 ] &&
	echo 1)"
trouble=$(sed -n 's/^trouble=//p' "$tmp/demo.kinds")
check_eq "demo: nothing malformed, no warning" "" "$trouble"
lua=$(grep -i 'lua' "$tmp/demo.err" || true)
check_eq "demo: no Lua error" "" "$lua"
# What was captured, for a failure's reader.
[ "$RET" -eq 0 ] || awk -F'\t' '{ print "capture:", NR, $1, $2, $NF }' \
	"$tmp/demo.fields"

exit $RET
