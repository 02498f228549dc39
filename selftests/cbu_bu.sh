#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cbu.ko on a correspondent: keys installed with cbuctl, binding updates
# from an independent sender (scapy and Python's hmac, selftests/cbu_peer.py)
# verified in the kernel, the BA answered from the kernel and checked by the
# sender, the BC confirming the binding, and every kind of bad BU refused as
# specified, counted, and changing nothing.
#
#        mn                        r                       cn
#   mn0 2001:db8:3::10 ---- 2001:db8:3::1
#   mn1 2001:db8:4::10 ---- 2001:db8:4::1
#                           2001:db8:2::1 ---- cn0 2001:db8:2::20
#   HoA 2001:db8:1::10 (mn's home address; its home network is elsewhere)

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

HOA=2001:db8:1::10
HOA2=2001:db8:1::11	# a home address the CN has no keys for
COA1=2001:db8:3::10
COA2=2001:db8:4::10
CN=2001:db8:2::20
K_BU=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
K_BA=ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100

tmp=$(mktemp -d)
cleanup() {
	set +e
	peer_stop_all
	cleanup_ns
	cbu_unload 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

require_root
require_cmd ip jq /usr/bin/python3 xxd
/usr/bin/python3 -c 'import scapy' 2>/dev/null || skip "needs python3-scapy"
[ -x "$CBUCTL" ] || skip "no cbuctl at $CBUCTL"
modprobe -q veth 2>/dev/null || true
dmesg_mark
cbu_load

mn='' r='' cn=''
setup_ns mn r cn
ip link add mn0 netns "$mn" type veth peer name r0 netns "$r"
ip link add mn1 netns "$mn" type veth peer name r1 netns "$r"
ip link add cn0 netns "$cn" type veth peer name r2 netns "$r"
ip -n "$mn" addr add "$COA1/64" dev mn0 nodad
ip -n "$mn" addr add "$COA2/64" dev mn1 nodad
ip -n "$r" addr add 2001:db8:3::1/64 dev r0 nodad
ip -n "$r" addr add 2001:db8:4::1/64 dev r1 nodad
ip -n "$r" addr add 2001:db8:2::1/64 dev r2 nodad
ip -n "$cn" addr add "$CN/64" dev cn0 nodad
for l in "$mn mn0" "$mn mn1" "$r r0" "$r r1" "$r r2" "$cn cn0"; do
	read -r ns dev <<<"$l"
	ip -n "$ns" link set "$dev" up
done
ip netns exec "$r" sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$mn" route add 2001:db8:2::/64 via 2001:db8:3::1 dev mn0
ip -n "$cn" route add default via 2001:db8:2::1
# The home network is not modelled: traffic to it goes nowhere.
ip -n "$r" route add unreachable 2001:db8:1::/64

# Keys on the correspondent, as the agent would install them.
b64key() { xxd -r -p <<<"$1" | base64; }
b64key "$K_BU" >"$tmp/k_bu"
b64key "$K_BA" >"$tmp/k_ba"
cbuctl -n "$cn" key add "$HOA" "$CN" role cn k-bu "$tmp/k_bu" \
	k-ba "$tmp/k_ba" lt-en 1024 max-lifetime 300
# The BC timeout out of the way (section 9 tests it): on the test kernel
# under TCG the checks between a BU and its BC can take longer than the
# default 10 s, and the gate of section 4 counts packets, not seconds.
cbuctl -n "$cn" param set bc-timeout 3600000

# The independent mobile node, in mn's namespace.
peer_start mn "$mn"

binding() {	# binding FIELD: a field of the entry, as cbuctl shows it
	cbuctl -n "$cn" -j binding show "$HOA" "$CN" | jqv -r ".[0].$1 // empty"
}
state_is() {	# state_is STATE: for busywait, evaluated at every try
	[ "$(binding state)" = "$1" ]
}
stat() {	# stat NAME
	cbuctl -n "$cn" -j -s stats | jqv -r ".$1"
}

# 1. A valid BU binds the CoA; the kernel answers with a BA the sender
#    can verify with k_BA, carrying LT_EN and the HoA.
out=$(peer mn bu mn0 "$COA1" "$CN" "$HOA" 100 64 "$K_BU" "kba=$K_BA")
echo "# BU 100: $out"
check_eq "BU: BA came back" ba "$(jqv -r .reply <<<"$out")"
check_eq "BA: status accepted" 0 "$(jqv -r .status <<<"$out")"
check_eq "BA: sequence" 100 "$(jqv -r .seq <<<"$out")"
check_eq "BA: lifetime granted" 64 "$(jqv -r .lifetime <<<"$out")"
check_eq "BA: LT_EN" 256 "$(jqv -r .lt_en <<<"$out")"
check_eq "BA: home address" "$HOA" "$(jqv -r .hoa <<<"$out")"
check_eq "BA: MAC_BA verifies" true "$(jqv -r .mac_ok <<<"$out")"
check_eq "BA: checksum verifies" true "$(jqv -r .csum_ok <<<"$out")"
check_eq "BA: from the CN to the CoA" "$CN $COA1" \
	"$(jqv -r '.src + " " + .dst' <<<"$out")"
check_eq "binding: state" unconfirmed "$(binding state)"
check_eq "binding: CoA" "$COA1" "$(binding coa)"
check_eq "binding: Seq#" 100 "$(binding seq)"
check_eq "stats: BU accepted" 1 "$(stat bu_accepted)"
check_eq "stats: BA sent" 1 "$(stat ba_sent)"

# 2. The BC confirms it.
peer mn bc mn0 "$COA1" "$CN" "$HOA" 100 "$K_BA" >/dev/null
busywait 5000 state_is confirmed || true
check_eq "BC: binding confirmed" confirmed "$(binding state)"
check_eq "stats: BC accepted" 1 "$(stat bc_accepted)"

# 3. Refusals: each counted, none changes the binding.
refused() {	# refused WHAT COUNTER WANT_REPLY PEER-ARGS...
	local what=$1 counter=$2 want=$3 before after out
	shift 3
	before=$(stat "$counter")
	out=$(peer mn "$@")
	after=$(stat "$counter")
	check_eq "$what: counted in $counter" "$((before + 1))" "$after"
	check_eq "$what: answer" "$want" "$(jqv -r .reply <<<"$out")"
	check_eq "$what: binding unchanged" "confirmed $COA1 100" \
		"$(binding state) $(binding coa) $(binding seq)"
	LAST=$out
}
refused "forged MAC" bu_bad_mac null \
	bu mn0 "$COA2" "$CN" "$HOA" 101 64 "$K_BU" bad-mac wait=1
refused "replayed Seq#" bu_seq_window ba \
	bu mn0 "$COA1" "$CN" "$HOA" 100 64 "$K_BU" "kba=$K_BA"
check_eq "replayed Seq#: BA status 135" 135 "$(jqv -r .status <<<"$LAST")"
check_eq "replayed Seq#: BA carries the last Seq#" 100 \
	"$(jqv -r .seq <<<"$LAST")"
check_eq "replayed Seq#: BA 135 verifies" true "$(jqv -r .mac_ok <<<"$LAST")"
refused "Seq# out of window" bu_seq_window ba \
	bu mn0 "$COA1" "$CN" "$HOA" $((100 + 40000)) 16 "$K_BU" "kba=$K_BA"
check_eq "out of window: BA status 135" 135 "$(jqv -r .status <<<"$LAST")"
refused "truncated MH (not provably CBU's)" not_cbu null \
	bu mn0 "$COA2" "$CN" "$HOA" 102 64 "$K_BU" trunc wait=1
refused "bad checksum" bad_checksum null \
	bu mn0 "$COA2" "$CN" "$HOA" 103 64 "$K_BU" bad-csum wait=1
refused "BC with a forged MAC" bc_bad_mac null \
	bc mn0 "$COA1" "$CN" "$HOA" 100 "$K_BA" bad-mac wait=0
refused "unknown home address" bu_no_keys be \
	bu mn0 "$COA1" "$CN" "$HOA2" 104 64 "$K_BU"
check_eq "unknown HoA: Binding Error status 1" 1 "$(jqv -r .status <<<"$LAST")"
check_eq "unknown HoA: BE names the HoA" "$HOA2" "$(jqv -r .hoa <<<"$LAST")"

# 4. A move: the new CoA is unconfirmed, and traffic to the home address
#    stops after 10 packets without a BC (draft section 3).
out=$(peer mn bu mn1 "$COA2" "$CN" "$HOA" 105 64 "$K_BU" "kba=$K_BA")
check_eq "move: BA accepted" 0 "$(jqv -r .status <<<"$out")"
check_eq "move: BA to the new CoA" "$COA2" "$(jqv -r .dst <<<"$out")"
check_eq "move: unconfirmed again" "unconfirmed $COA2" \
	"$(binding state) $(binding coa)"
tmo=$(stat bc_timeout)
# 15 datagrams, each on its own (a refused one ends no loop).
ip netns exec "$cn" /usr/bin/python3 - "$HOA" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for i in range(15):
    try:
        s.sendto(b"cbu", (sys.argv[1], 9))
    except OSError:
        pass
PY
check_eq "gate: binding stopped" stopped "$(binding state)"
check_eq "gate: 10 packets went out" 10 "$(binding unconfirmed)"
check_eq "gate: one BC timeout" $((tmo + 1)) "$(stat bc_timeout)"
check_eq "gate: the other 5 stopped" 5 "$(stat tx_stopped)"
# A late BC for the move lets traffic flow again.
peer mn bc mn1 "$COA2" "$CN" "$HOA" 105 "$K_BA" >/dev/null
busywait 5000 state_is confirmed || true
check_eq "late BC: confirmed" confirmed "$(binding state)"

# 5. Lifetime 0 deletes the binding, keeps the keys.
out=$(peer mn bu mn1 "$COA2" "$CN" "$HOA" 106 0 "$K_BU" "kba=$K_BA")
check_eq "delete: BA accepted" 0 "$(jqv -r .status <<<"$out")"
check_eq "delete: BA lifetime 0" 0 "$(jqv -r .lifetime <<<"$out")"
check_eq "delete: back to keyed" keyed "$(binding state)"
check_eq "stats: BU deleted" 1 "$(stat bu_deleted)"

# 6. Expiry: a binding of 4 seconds goes back to keyed by itself.
peer mn bu mn0 "$COA1" "$CN" "$HOA" 107 1 "$K_BU" "kba=$K_BA" >/dev/null
check_eq "short binding made" unconfirmed "$(binding state)"
if busywait 9000 state_is keyed; then
	pass "expiry: binding gone after its lifetime"
else
	fail "expiry: binding still $(binding state)"
fi
check_eq "stats: expired" 1 "$(stat expired)"

# 7. Standard Mobile IPv6 is left alone (RFC 6275): a Return Routability
#    BU (12-octet authenticator) and a home registration (H flag, none)
#    are not taken, answered or counted as refusals: the stack has them,
#    counted in not_cbu.  The state of the binding does not change.
others=$(($(stat malformed) + $(stat bu_no_keys) + $(stat bu_bad_mac)))
not_cbu=$(stat not_cbu)
out=$(peer mn bu mn0 "$COA1" "$CN" "$HOA" 108 16 "$K_BU" rr wait=1)
check_eq "RFC 6275 RR BU: no answer from cbu" null "$(jqv -r .reply <<<"$out")"
check_eq "RFC 6275 RR BU: left to the stack, counted" $((not_cbu + 1)) \
	"$(stat not_cbu)"
out=$(peer mn bu mn0 "$COA1" "$CN" "$HOA" 109 16 "$K_BU" home wait=1)
check_eq "home registration BU: left to the stack, counted" \
	$((not_cbu + 2)) "$(stat not_cbu)"
check_eq "standard Mobile IPv6: no refusal counted" "$others" \
	$(($(stat malformed) + $(stat bu_no_keys) + $(stat bu_bad_mac)))
check_eq "standard Mobile IPv6: the binding unchanged" keyed "$(binding state)"

# 8. A BU without a Home Address option comes from the home address
#    (RFC 6275 9.5.1): the mobile node is home, the binding goes.
ip -n "$mn" addr add "$HOA/128" dev mn0 nodad
ip -n "$r" route replace "$HOA/128" via "$COA1" dev r0
peer mn bu mn0 "$COA1" "$CN" "$HOA" 110 16 "$K_BU" "kba=$K_BA" >/dev/null
check_eq "bound again" unconfirmed "$(binding state)"
out=$(peer mn bu mn0 "$HOA" "$CN" "$HOA" 111 16 "$K_BU" no-hao "kba=$K_BA")
check_eq "from home: BA accepted" 0 "$(jqv -r .status <<<"$out")"
check_eq "from home: BA lifetime 0" 0 "$(jqv -r .lifetime <<<"$out")"
check_eq "from home: BA verifies" true "$(jqv -r .mac_ok <<<"$out")"
check_eq "from home: the binding deleted" keyed "$(binding state)"
check_eq "from home: counted" 1 "$(stat bu_no_hao)"

# 9. Time: an unconfirmed binding stops at the BC timeout with no traffic
#    (draft section 3: "e.g 10 packets or 10 seconds"), and a BC still
#    confirms it.
cbuctl -n "$cn" param set bc-timeout 1000
tmo=$(stat bc_timeout)
out=$(peer mn bu mn0 "$COA1" "$CN" "$HOA" 112 16 "$K_BU" "kba=$K_BA")
check_eq "timeout: BA accepted" 0 "$(jqv -r .status <<<"$out")"
if busywait 9000 state_is stopped; then
	pass "timeout: stopped with no traffic"
else
	fail "timeout: binding still $(binding state)"
fi
check_eq "timeout: counted" $((tmo + 1)) "$(stat bc_timeout)"
peer mn bc mn0 "$COA1" "$CN" "$HOA" 112 "$K_BA" >/dev/null
busywait 5000 state_is confirmed || true
check_eq "timeout: a late BC confirms" confirmed "$(binding state)"

# 10. A mobile correspondent (draft section 4): cn stands as CN_MN, its
#     home address CN_HOA elsewhere, its care-of address $CN.  Its home
#     agent forwards the BU to CN_HOA as a FWD (here the peer sends it, as
#     it need not come through the tunnel); the kernel checks it as that
#     BU, and the BA goes from CN_CoA naming CN_HoA.
CN_HOA=2001:db8:7::1
cbuctl -n "$cn" param set bc-timeout 3600000
ip -n "$cn" addr add "$CN_HOA/128" dev lo
ip -n "$r" route add "$CN_HOA/128" via "$CN" dev r2
ip -n "$mn" route add "$CN_HOA/128" via 2001:db8:3::1 dev mn0
cbuctl -n "$cn" key add "$HOA" "$CN_HOA" role cn k-bu "$tmp/k_bu" \
	k-ba "$tmp/k_ba" lt-en 1024 max-lifetime 300
mcn() {		# mcn FIELD: of the entry (HoA, CN_HoA)
	cbuctl -n "$cn" -j binding show "$HOA" "$CN_HOA" |
		jqv -r ".[0].$1 // empty"
}
fwd() {		# fwd SEQ [flag...]: a FWD of the BU from COA1
	local seq=$1
	shift
	peer mn fwd mn0 "$COA1" "$CN_HOA" "$HOA" "$COA1" "$seq" 16 "$K_BU" \
		"kba=$K_BA" "$@"
}
check_eq "own: none yet" '{}' "$(cbuctl -n "$cn" -j own show)"
out=$(fwd 300 wait=1)
check_eq "FWD with no own addresses: unanswered" null "$(jqv -r .reply <<<"$out")"
check_eq "FWD with no own addresses: counted" 1 "$(stat fwd_not_own)"
check_eq "own: refused equal" \
	"cbuctl: own set: cbu: home and care-of addresses are equal (Invalid argument)" \
	"$(cbuctl -n "$cn" own set "$CN_HOA" coa "$CN_HOA" 2>&1)"
cbuctl -n "$cn" own set "$CN_HOA" coa "$CN"
check_eq "own: set" "hoa $CN_HOA coa $CN" "$(cbuctl -n "$cn" own show)"
out=$(fwd 301)
echo "# FWD 301: $out"
check_eq "FWD: BA from CN_CoA to the CoA" "ba $CN $COA1" \
	"$(jqv -r '.reply + " " + .src + " " + .dst' <<<"$out")"
check_eq "FWD: BA accepted, Seq#, lifetime" "0 301 16" \
	"$(jqv -r '"\(.status) \(.seq) \(.lifetime)"' <<<"$out")"
check_eq "FWD: BA names HoA and CN_HoA, 80 octets" "$HOA $CN_HOA 80" \
	"$(jqv -r '"\(.hoa) \(.cn_hoa) \(.len)"' <<<"$out")"
check_eq "FWD: MAC_BA over CN_CoA verifies" true "$(jqv -r .mac_ok <<<"$out")"
check_eq "FWD: BA checksum verifies" true "$(jqv -r .csum_ok <<<"$out")"
check_eq "FWD: bound at the CoA" "unconfirmed $COA1 301" \
	"$(mcn state) $(mcn coa) $(mcn seq)"
check_eq "FWD: counted" 1 "$(stat fwd)"
peer mn bc mn0 "$COA1" "$CN" "$HOA" 301 "$K_BA" >/dev/null
mcn_is() { [ "$(mcn state)" = "$1" ]; }
busywait 5000 mcn_is confirmed || true
check_eq "BC to CN_CoA confirms (HoA, CN_HoA)" confirmed "$(mcn state)"
bad=$(stat bu_bad_mac)
out=$(fwd 302 bad-mac wait=1)
check_eq "forged FWD: unanswered" null "$(jqv -r .reply <<<"$out")"
check_eq "forged FWD: counted" $((bad + 1)) "$(stat bu_bad_mac)"
out=$(fwd 301)
check_eq "replayed FWD: BA 135 with the last Seq#" "135 301" \
	"$(jqv -r '"\(.status) \(.seq)"' <<<"$out")"
check_eq "refused FWDs: binding unchanged" "confirmed $COA1 301" \
	"$(mcn state) $(mcn coa) $(mcn seq)"
mal=$(stat malformed)
out=$(peer mn fwd mn0 "$COA1" "$CN_HOA" "$HOA" ff02::1 304 16 "$K_BU" \
	"kba=$K_BA" wait=1)
check_eq "FWD naming a multicast CoA: unanswered, malformed" \
	"null $((mal + 1))" "$(jqv -r .reply <<<"$out") $(stat malformed)"
check_eq "own: del with another address refused" \
	"cbuctl: own del: cbu: not this node's own home address (No such file or directory)" \
	"$(cbuctl -n "$cn" own del "$CN" 2>&1)"
cbuctl -n "$cn" own del "$CN_HOA"
out=$(fwd 303 wait=1)
check_eq "FWD after own del: unanswered, counted" "null 2" \
	"$(jqv -r .reply <<<"$out") $(stat fwd_not_own)"

peer_stop_all

cleanup_ns
cbu_unload
check_dmesg "no warning in the kernel log"
exit $RET
