#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cbu.ko in its other roles: on a mobile node it verifies the correspondent's
# BA and answers with the BC itself, also a mobile correspondent's from its
# care-of address; on a home agent it hands the CBU messages sent to a home
# address it serves, BUs included, to the agent (the mh group) instead of
# forwarding them; on a correspondent it drops packets that claim
# a home address from anywhere but its bound care-of address.  The other
# side is the independent scapy peer (selftests/cbu_peer.py).
#
#        mn                      r                      cn
#   mn0 2001:db8:3::10 --- 2001:db8:3::1
#                          2001:db8:2::1 --- cn0 2001:db8:2::20
#                          2001:db8:5::1 --- ha0 2001:db8:5::2   ha
#   home prefix 2001:db8:1::/64, routed to ha; HoA 2001:db8:1::10

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

HOA=2001:db8:1::10
COA=2001:db8:3::10
CN=2001:db8:2::20
K_BU=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
K_BA=ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100

tmp=$(mktemp -d)
cleanup() {
	set +e
	[ -n "${MON_PID:-}" ] && kill "$MON_PID" 2>/dev/null
	[ -n "${EV_PID:-}" ] && kill "$EV_PID" 2>/dev/null
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

mn='' r='' cn='' ha=''
setup_ns mn r cn ha
ip link add mn0 netns "$mn" type veth peer name r0 netns "$r"
ip link add cn0 netns "$cn" type veth peer name r1 netns "$r"
ip link add ha0 netns "$ha" type veth peer name r2 netns "$r"
ip -n "$mn" addr add "$COA/64" dev mn0 nodad
ip -n "$r" addr add 2001:db8:3::1/64 dev r0 nodad
ip -n "$r" addr add 2001:db8:2::1/64 dev r1 nodad
ip -n "$r" addr add 2001:db8:5::1/64 dev r2 nodad
ip -n "$cn" addr add "$CN/64" dev cn0 nodad
ip -n "$ha" addr add 2001:db8:5::2/64 dev ha0 nodad
for l in "$mn mn0" "$r r0" "$r r1" "$r r2" "$cn cn0" "$ha ha0"; do
	read -r ns dev <<<"$l"
	ip -n "$ns" link set "$dev" up
done
ip netns exec "$r" sysctl -qw net.ipv6.conf.all.forwarding=1
ip netns exec "$ha" sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$mn" route add default via 2001:db8:3::1
ip -n "$cn" route add default via 2001:db8:2::1
ip -n "$ha" route add default via 2001:db8:5::1
ip -n "$r" route add 2001:db8:1::/64 via 2001:db8:5::2
ip -n "$ha" route add unreachable 2001:db8:1::/64

b64key() { xxd -r -p <<<"$1" | base64; }
b64key "$K_BU" >"$tmp/k_bu"
b64key "$K_BA" >"$tmp/k_ba"

# Independent peers: one in cn's namespace, one in mn's.
peer_start cn "$cn"
peer_start mn "$mn"
stat() {	# stat NS NAME
	cbuctl -n "$1" -j -s stats | jqv -r ".$2"
}

# 1. Mobile node: the BA is verified in mn's kernel and answered with a BC
#    the correspondent can verify.
cbuctl -n "$mn" key add "$HOA" "$CN" role mn k-ba "$tmp/k_ba" lt-en 60
out=$(peer cn ba cn0 "$CN" "$COA" "$HOA" 7 16 256 "$K_BA")
echo "# BA 7: $out"
check_eq "mn: BC came back" bc "$(jqv -r .reply <<<"$out")"
check_eq "mn: BC Seq# is the BA's" 7 "$(jqv -r .seq <<<"$out")"
check_eq "mn: BC flag" 1 "$(jqv -r .flag <<<"$out")"
check_eq "mn: BC home address option" "$HOA" "$(jqv -r .hoa <<<"$out")"
check_eq "mn: MAC_BC verifies" true "$(jqv -r .mac_ok <<<"$out")"
check_eq "mn: BC checksum verifies" true "$(jqv -r .csum_ok <<<"$out")"
check_eq "mn: BC from the CoA to the CN" "$COA $CN" \
	"$(jqv -r '.src + " " + .dst' <<<"$out")"
check_eq "mn: binding confirmed at the CoA" "confirmed $COA" \
	"$(cbuctl -n "$mn" -j binding show "$HOA" "$CN" |
	   jqv -r '.[0].state + " " + .[0].coa')"
check_eq "mn: the entry keeps the BA's LT_EN (256 x 4 s)" 1024 \
	"$(cbuctl -n "$mn" -j binding show "$HOA" "$CN" | jqv -r '.[0].lt_en')"
check_eq "mn: counted" "1 1" \
	"$(stat "$mn" ba_accepted) $(stat "$mn" bc_sent)"
out=$(peer cn ba cn0 "$CN" "$COA" "$HOA" 8 16 256 "$K_BA" bad-mac wait=1)
check_eq "mn: forged BA unanswered" null "$(jqv -r .reply <<<"$out")"
check_eq "mn: forged BA counted" 1 "$(stat "$mn" ba_bad_mac)"
out=$(peer cn ba cn0 "$CN" "$COA" "$HOA" 7 16 256 "$K_BA" wait=1)
check_eq "mn: replayed BA unanswered" null "$(jqv -r .reply <<<"$out")"
check_eq "mn: replayed BA counted" 1 "$(stat "$mn" ba_stale)"
# MAC_BA covers neither the status nor the flags: the kernel acts only on
# an acceptance of a binding with a lifetime.  A genuine refusal turned into
# an acceptance (lifetime 0), or any other status, changes nothing here.
out=$(peer cn ba cn0 "$CN" "$COA" "$HOA" 9 0 256 "$K_BA" wait=1)
check_eq "mn: acceptance of lifetime 0 unanswered" null "$(jqv -r .reply <<<"$out")"
out=$(peer cn ba cn0 "$CN" "$COA" "$HOA" 10 16 256 "$K_BA" status=135 wait=1)
check_eq "mn: status 135 unanswered" null "$(jqv -r .reply <<<"$out")"
check_eq "mn: still confirmed at the CoA, Seq# 7" "confirmed $COA 7" \
	"$(cbuctl -n "$mn" -j binding show "$HOA" "$CN" |
	   jqv -r '.[0].state + " " + .[0].coa + " " + (.[0].seq | tostring)')"
check_eq "mn: neither accepted" "1 1" \
	"$(stat "$mn" ba_accepted) $(stat "$mn" bc_sent)"

# 1b. Mobile node, mobile correspondent (draft section 4): the BA comes
#     from the correspondent's care-of address and names its home address
#     in a CN HoA option; the BC goes back to that care-of address, and a
#     newer Seq# from another one follows the correspondent.
CN_HOA=2001:db8:7::1		# the mobile CN's home address, elsewhere
CN_COA2=2001:db8:2::21		# where it moves
ip -n "$cn" addr add "$CN_COA2/64" dev cn0 nodad
K_BA2=5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a
b64key "$K_BA2" >"$tmp/k_ba2"
cbuctl -n "$mn" key add "$HOA" "$CN_HOA" role mn k-ba "$tmp/k_ba2" lt-en 60
"$CBUCTL" -n "$mn" -j monitor events >"$tmp/ev" 2>&1 &
EV_PID=$!
busywait 10000 cbu_subscribed "$mn" "$(cbu_group_mask events)" ||
	fail "mobile CN: monitor did not subscribe"
mcn() {		# mcn FIELD: of the entry (HoA, CN_HoA)
	cbuctl -n "$mn" -j binding show "$HOA" "$CN_HOA" |
		jqv -r ".[0].$1 // \"none\""
}
out=$(peer cn ba cn0 "$CN" "$COA" "$HOA" 20 16 256 "$K_BA2" "cn-hoa=$CN_HOA")
echo "# BA 20 from CN_CoA: $out"
check_eq "mobile CN: BC came back" bc "$(jqv -r .reply <<<"$out")"
check_eq "mobile CN: MAC_BC verifies" true "$(jqv -r .mac_ok <<<"$out")"
check_eq "mobile CN: BC from the CoA to the CN's CoA" "$COA $CN" \
	"$(jqv -r '.src + " " + .dst' <<<"$out")"
check_eq "mobile CN: bound, the CN's CoA recorded" "confirmed $COA $CN" \
	"$(mcn state) $(mcn coa) $(mcn peer_coa)"
check_eq "mobile CN: counted" "2 1" \
	"$(stat "$mn" ba_accepted) $(stat "$mn" ba_peer)"
check_eq "fixed CN: no peer-coa" none \
	"$(cbuctl -n "$mn" -j binding show "$HOA" "$CN" |
	   jqv -r '.[0].peer_coa // "none"')"
check_eq "mobile CN: shown as peer-coa" "peer-coa $CN" \
	"$(cbuctl -n "$mn" binding show "$HOA" "$CN_HOA" |
	   grep -o "peer-coa [0-9a-f:]*")"
# The correspondent moved: a newer Seq# from its new CoA.
out=$(peer cn ba cn0 "$CN_COA2" "$COA" "$HOA" 21 16 256 "$K_BA2" \
	"cn-hoa=$CN_HOA")
check_eq "mobile CN moved: BC to its new CoA" "$COA $CN_COA2" \
	"$(jqv -r '.src + " " + .dst' <<<"$out")"
check_eq "mobile CN moved: followed" "$CN_COA2 21" \
	"$(mcn peer_coa) $(mcn seq)"
evs() {		# evs: the confirmed events' CN and peer CoA, so far
	jqv -r 'select(.event == "confirmed") | .cn + " " + (.peer_coa // "none")' \
		"$tmp/ev" | tr '\n' ' '
}
evs_are() { [ "$(evs)" = "$1" ]; }
want="$CN_HOA $CN $CN_HOA $CN_COA2 "
busywait 5000 evs_are "$want" || true
check_eq "mobile CN: the confirmed events carry the peer's CoA" "$want" "$(evs)"
# Refused, each unanswered, counted, and the path where it was.
refused() {	# refused WHAT COUNTER SEQ K_BA CN_HOA [flag]
	local before out
	before=$(stat "$mn" "$2")
	out=$(peer cn ba cn0 "$CN" "$COA" "$HOA" "$3" 16 256 "$4" \
		"cn-hoa=$5" ${6:+"$6"} wait=1)
	check_eq "mobile CN: $1: unanswered" null "$(jqv -r .reply <<<"$out")"
	check_eq "mobile CN: $1: counted in $2" $((before + 1)) \
		"$(stat "$mn" "$2")"
}
refused "old BA from its old CoA" ba_stale 20 "$K_BA2" "$CN_HOA"
refused "BA naming an unknown CN HoA" ba_stale 22 "$K_BA2" 2001:db8:7::2
refused "forged BA" ba_bad_mac 23 "$K_BA2" "$CN_HOA" bad-mac
# The CN HoA option is not under MAC_BA, but k_BA is the pair's: a BA of
# the fixed CN's pair (its k_BA) that names the mobile CN fails.
refused "another pair's BA naming it" ba_bad_mac 24 "$K_BA" "$CN_HOA"
check_eq "mobile CN: nothing moved" "$CN_COA2 21 2" \
	"$(mcn peer_coa) $(mcn seq) $(stat "$mn" ba_peer)"
kill "$EV_PID" 2>/dev/null
wait "$EV_PID" 2>/dev/null || true
EV_PID=

# 2. Home agent: a COOKIE1 to a served home address goes to the agent.
cbuctl -n "$ha" home add 2001:db8:1::/64
# The binary itself, so that $! is the monitor and not a subshell.
"$CBUCTL" -n "$ha" -t monitor mh >"$tmp/mh" 2>&1 &
MON_PID=$!
busywait 10000 cbu_subscribed "$ha" "$(cbu_group_mask mh)" ||
	fail "ha: monitor did not subscribe"
handed_up() {	# handed_up WHAT PATTERN: a line on the mh group, in time
	if busywait 5000 grep -q "$2" "$tmp/mh"; then
		pass "ha: $1"
	else
		fail "ha: $1: nothing on the mh group"
	fi
}
peer cn cookie1 cn0 "$CN" "$HOA" >/dev/null
handed_up "COOKIE1 handed to the agent" '] mh '
check_eq "ha: what the agent got, after the time (-t)" \
	"mh src $CN dst $HOA len 40 type 11 subtype 4" \
	"$(head -n 1 "$tmp/mh" | sed -E 's/^\[[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{6}Z\] //')"
# -t's time is the wall clock's, within a few seconds of now.
stamp=$(head -n 1 "$tmp/mh" | sed -E 's/^\[([^].]*)\..*/\1/')
age=$(($(date -u +%s) - $(date -u -d "$stamp" +%s)))
check_eq "ha: -t, the time it came" true \
	"$([ "$age" -ge 0 ] && [ "$age" -lt 30 ] && echo true || echo "no: $stamp")"
check_eq "ha: counted" 1 "$(stat "$ha" mh_to_agent)"
# A BU to a served home address, that of a mobile correspondent (draft
# section 4): CBU's goes up too, for the agent to forward as FWD; those of
# standard Mobile IPv6 (Return Routability's, a home registration) go on
# to the node as they came.
MN2_HOA=2001:db8:9::10
peer mn bu mn0 "$COA" "$HOA" "$MN2_HOA" 5 16 "$K_BU" wait=0 >/dev/null
handed_up "CBU's BU to a served home address handed up" '] mh .* type 5$'
check_eq "ha: the BU as the agent got it" \
	"mh src $COA dst $HOA hoa $MN2_HOA len 40 type 5" \
	"$(grep '] mh .* type 5$' "$tmp/mh" | sed -E 's/^\[[^]]*\] //')"
check_eq "ha: BU counted" 1 "$(stat "$ha" bu_to_agent)"
not_cbu=$(stat "$ha" not_cbu)
peer mn bu mn0 "$COA" "$HOA" "$MN2_HOA" 6 16 "$K_BU" rr wait=0 >/dev/null
peer mn bu mn0 "$COA" "$HOA" "$MN2_HOA" 7 16 "$K_BU" home wait=0 >/dev/null
both_passed() { [ "$(stat "$ha" not_cbu)" = $((not_cbu + 2)) ]; }
busywait 5000 both_passed || true
check_eq "ha: standard BUs to it left to the stack" $((not_cbu + 2)) \
	"$(stat "$ha" not_cbu)"
check_eq "ha: neither handed up" "1 1" \
	"$(grep -c '] mh .* type 5$' "$tmp/mh") $(stat "$ha" bu_to_agent)"
kill "$MON_PID"
wait "$MON_PID" 2>/dev/null || true
MON_PID=
# With nobody listening, the home agent forwards as before.
peer cn cookie1 cn0 "$CN" "$HOA" >/dev/null
check_eq "ha: no listener, not handed up" 1 "$(stat "$ha" mh_to_agent)"

# 3. Correspondent: a packet claiming the HoA from elsewhere is dropped.
cbuctl -n "$cn" key add "$HOA" "$CN" role cn k-bu "$tmp/k_bu" \
	k-ba "$tmp/k_ba" lt-en 1024
out=$(peer mn bu mn0 "$COA" "$CN" "$HOA" 1 16 "$K_BU" "kba=$K_BA")
check_eq "cn: bound" 0 "$(jqv -r .status <<<"$out")"
peer mn udp mn0 2001:db8:3::99 "$CN" "$HOA" >/dev/null
dropped() { [ "$(stat "$cn" hao_dropped)" != 0 ]; }
busywait 3000 dropped || true
check_eq "cn: HoA claimed from another address dropped" 1 \
	"$(stat "$cn" hao_dropped)"
peer mn udp mn0 "$COA" "$CN" "$HOA" >/dev/null
check_eq "cn: HoA from its CoA not dropped by cbu" 1 \
	"$(stat "$cn" hao_dropped)"

peer_stop_all
cleanup_ns
cbu_unload
check_dmesg "no warning in the kernel log"
exit $RET
