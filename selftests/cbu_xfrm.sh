#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The binding's data path: ESP tunnel mode states and policies between the
# correspondent and the care-of address, as the agent installs them (here
# with `ip xfrm`), carry the CN's traffic to the home address directly to
# the CoA.  A BU from a new CoA moves the CN's states and policies there
# inside the kernel (xfrm_migrate() from a work item, no userspace round
# trip); a BU with lifetime 0 removes them.  On a mobile correspondent
# (draft section 4) both ends move: the MN's CoA with its FWDs, the
# correspondent's own care-of address with cbuctl own set.
#
#        mn                        r                       cn
#   mn0 2001:db8:3::10 ---- 2001:db8:3::1
#   mn1 2001:db8:4::10 ---- 2001:db8:4::1
#                           2001:db8:2::1 ---- cn0 2001:db8:2::20
#   lo  2001:db8:1::10 (the home address, reached only through ESP)

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

HOA=2001:db8:1::10
COA1=2001:db8:3::10
COA2=2001:db8:4::10
CN=2001:db8:2::20
K_BU=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
K_BA=ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100
REQID=42
AEAD_OUT=0x0101010101010101010101010101010101010101
AEAD_IN=0x0202020202020202020202020202020202020202

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
modprobe -q esp6 2>/dev/null || skip "no ESP for IPv6 (esp6)"
dmesg_mark
cbu_load

mn='' r='' cn=''
setup_ns mn r cn
ip link add mn0 netns "$mn" type veth peer name r0 netns "$r"
ip link add mn1 netns "$mn" type veth peer name r1 netns "$r"
ip link add cn0 netns "$cn" type veth peer name r2 netns "$r"
ip -n "$mn" addr add "$COA1/64" dev mn0 nodad
ip -n "$mn" addr add "$COA2/64" dev mn1 nodad
ip -n "$mn" addr add "$HOA/128" dev lo
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
ip -n "$r" route add unreachable 2001:db8:1::/64

# xfrm_sa NS SRC DST SPI KEY SEL_SRC SEL_DST: one ESP tunnel state.
xfrm_sa() {
	ip -n "$1" xfrm state add src "$2" dst "$3" proto esp spi "$4" \
		reqid "$REQID" mode tunnel aead 'rfc4106(gcm(aes))' "$5" 128 \
		sel src "$6" dst "$7"
}
# xfrm_pol NS DIR SEL_SRC SEL_DST TMPL_SRC TMPL_DST
xfrm_pol() {
	ip -n "$1" xfrm policy add src "$3/128" dst "$4/128" dir "$2" \
		tmpl src "$5" dst "$6" proto esp reqid "$REQID" mode tunnel
}
# The data path between cn and mn at COA, on mn's side.
mn_data_path() {
	local coa=$1
	ip -n "$mn" xfrm state flush
	ip -n "$mn" xfrm policy flush
	xfrm_sa "$mn" "$CN" "$coa" 0x100 "$AEAD_OUT" "$CN" "$HOA"
	xfrm_sa "$mn" "$coa" "$CN" 0x200 "$AEAD_IN" "$HOA" "$CN"
	xfrm_pol "$mn" in "$CN" "$HOA" "$CN" "$coa"
	xfrm_pol "$mn" out "$HOA" "$CN" "$coa" "$CN"
}

# The agent's part, by hand: keys with the reqid, states and policies.
b64key() { xxd -r -p <<<"$1" | base64; }
b64key "$K_BU" >"$tmp/k_bu"
b64key "$K_BA" >"$tmp/k_ba"
cbuctl -n "$cn" key add "$HOA" "$CN" role cn k-bu "$tmp/k_bu" \
	k-ba "$tmp/k_ba" lt-en 1024 reqid "$REQID"
xfrm_sa "$cn" "$CN" "$COA1" 0x100 "$AEAD_OUT" "$CN" "$HOA"
xfrm_sa "$cn" "$COA1" "$CN" 0x200 "$AEAD_IN" "$HOA" "$CN"
xfrm_pol "$cn" out "$CN" "$HOA" "$CN" "$COA1"
xfrm_pol "$cn" in "$HOA" "$CN" "$COA1" "$CN"
mn_data_path "$COA1"

# The independent mobile node, in mn's namespace.
peer_start mn "$mn"
binding() {
	cbuctl -n "$cn" -j binding show "$HOA" "$CN" | jqv -r ".[0].$1 // empty"
}
state_is() {	# state_is STATE: for busywait, evaluated at every try
	[ "$(binding state)" = "$1" ]
}
stat() {
	cbuctl -n "$cn" -j -s stats | jqv -r ".$1"
}
# The outer addresses of cn's states, "src>dst" by SPI.
cn_sa() {
	ip -n "$cn" xfrm state get src "$2" dst "$3" proto esp spi "$1" \
		>/dev/null 2>&1 && echo "$2>$3"
}
ping_hoa() {
	ip netns exec "$cn" busybox ping -6 -c 3 -W 2 "$HOA" >/dev/null 2>&1
}
link_rx() {	# packets r received from mn on DEV
	ip -n "$r" -j -s link show "$1" | jqv '.[0].stats64.rx.packets'
}

# 1. Bound and confirmed at COA1: the home address answers through ESP.
out=$(peer mn bu mn0 "$COA1" "$CN" "$HOA" 1 64 "$K_BU" "kba=$K_BA")
check_eq "BU from COA1 accepted" 0 "$(jqv -r .status <<<"$out")"
peer mn bc mn0 "$COA1" "$CN" "$HOA" 1 "$K_BA" >/dev/null
busywait 5000 state_is confirmed || true
check_eq "confirmed at COA1" "confirmed $COA1" \
	"$(binding state) $(binding coa)"
if ping_hoa; then
	pass "HoA answers through ESP to COA1"
else
	fail "HoA does not answer through ESP to COA1"
fi

# 2. The mobile node moves: one BU, and the CN's data path follows it.
before=$(link_rx r1)
out=$(peer mn bu mn1 "$COA2" "$CN" "$HOA" 2 64 "$K_BU" "kba=$K_BA")
check_eq "BU from COA2 accepted" 0 "$(jqv -r .status <<<"$out")"
stat_is() { [ "$(stat "$1")" = "$2" ]; }
if busywait 5000 stat_is migrated 1; then
	pass "data path migrated in the kernel"
else
	fail "no migration: migrated=$(stat migrated) failed=$(stat migrate_failed)"
fi
check_eq "out state follows to COA2" "$CN>$COA2" "$(cn_sa 0x100 "$CN" "$COA2")"
check_eq "in state follows from COA2" "$COA2>$CN" "$(cn_sa 0x200 "$COA2" "$CN")"
check_eq "out policy template to COA2" 1 \
	"$(ip -n "$cn" xfrm policy list dir out | grep -c "tmpl src $CN dst $COA2" || true)"
check_eq "in policy template from COA2" 1 \
	"$(ip -n "$cn" xfrm policy list dir in | grep -c "tmpl src $COA2 dst $CN" || true)"
# The mobile node's own side moves with it (the agent's work).
mn_data_path "$COA2"
ip -n "$mn" route replace 2001:db8:2::/64 via 2001:db8:4::1 dev mn1
peer mn bc mn1 "$COA2" "$CN" "$HOA" 2 "$K_BA" >/dev/null
busywait 5000 state_is confirmed || true
if ping_hoa; then
	pass "HoA answers through ESP at COA2"
else
	fail "HoA does not answer through ESP at COA2"
fi
after=$(link_rx r1)
if [ "$after" -ge $((before + 3)) ]; then
	pass "replies came in over the COA2 link ($((after - before)) packets)"
else
	fail "no traffic over the COA2 link ($before -> $after)"
fi

# 3. Lifetime 0: the binding ends and so does its data path.
out=$(peer mn bu mn1 "$COA2" "$CN" "$HOA" 3 0 "$K_BU" "kba=$K_BA")
check_eq "BU lifetime 0 accepted" 0 "$(jqv -r .status <<<"$out")"
no_states() { [ -z "$(ip -n "$cn" xfrm state list)" ]; }
if busywait 5000 no_states; then
	pass "states removed"
else
	fail "states left: $(ip -n "$cn" xfrm state list | grep -c '^src')"
fi
check_eq "policies removed" "" "$(ip -n "$cn" xfrm policy list)"

# 4. Only the binding's own objects go.  Another key manager's states and
# policies in the same tables with the same reqid (an IKE daemon's reqids
# also start at 1) survive the binding's deletion and its expiry; every
# deletion of ours is told to the key managers (`ip xfrm monitor`).
OTHER=2001:db8:2::99
others() {
	# Tunnel SAs to another peer; a transport SA and a marked tunnel SA
	# between the very same addresses as ours; their policies.
	ip -n "$cn" xfrm state add src "$CN" dst "$OTHER" proto esp spi 0x900 		reqid "$REQID" mode tunnel aead 'rfc4106(gcm(aes))' "$AEAD_OUT" 128
	ip -n "$cn" xfrm state add src "$OTHER" dst "$CN" proto esp spi 0x901 		reqid "$REQID" mode tunnel aead 'rfc4106(gcm(aes))' "$AEAD_IN" 128
	ip -n "$cn" xfrm state add src "$CN" dst "$COA1" proto esp spi 0x902 		reqid "$REQID" mode transport aead 'rfc4106(gcm(aes))' "$AEAD_OUT" 128
	ip -n "$cn" xfrm state add src "$CN" dst "$COA1" proto esp spi 0x903 		reqid "$REQID" mode tunnel mark 7 aead 'rfc4106(gcm(aes))' "$AEAD_OUT" 128
	ip -n "$cn" xfrm policy add src 2001:db8:9::/64 dst "$CN/128" dir in 		tmpl src "$OTHER" dst "$CN" proto esp reqid "$REQID" mode tunnel
	ip -n "$cn" xfrm policy add src "$CN/128" dst 2001:db8:9::/64 dir out 		tmpl src "$CN" dst "$OTHER" proto esp reqid "$REQID" mode tunnel
}
others_left() {
	echo "$(ip -n "$cn" xfrm state list | grep -c '^src') $(ip -n "$cn" xfrm policy list | grep -c '^src')"
}
ours_at_coa1() {
	xfrm_sa "$cn" "$CN" "$COA1" 0x100 "$AEAD_OUT" "$CN" "$HOA"
	xfrm_sa "$cn" "$COA1" "$CN" 0x200 "$AEAD_IN" "$HOA" "$CN"
	xfrm_pol "$cn" out "$CN" "$HOA" "$CN" "$COA1"
	xfrm_pol "$cn" in "$HOA" "$CN" "$COA1" "$CN"
}
ours_gone() {
	! ip -n "$cn" xfrm state list | grep -qE 'spi 0x0000010[0-9]|spi 0x0000020[0-9]' &&
	! ip -n "$cn" xfrm policy list | grep -q "dst $HOA/128"
}
others
check_eq "the other owner's objects" "4 2" "$(others_left)"
ip netns exec "$cn" ip -o xfrm monitor >"$tmp/monitor" 2>&1 &
monitor=$!
ours_at_coa1
out=$(peer mn bu mn0 "$COA1" "$CN" "$HOA" 4 64 "$K_BU" "kba=$K_BA")
check_eq "bound at COA1 again" 0 "$(jqv -r .status <<<"$out")"
out=$(peer mn bu mn0 "$COA1" "$CN" "$HOA" 5 0 "$K_BU" "kba=$K_BA")
check_eq "deleted by lifetime 0" 0 "$(jqv -r .status <<<"$out")"
if busywait 5000 ours_gone; then
	pass "deletion: the binding's states and policies removed"
else
	fail "deletion: ours left: $(ip -n "$cn" xfrm state list | grep -c '^src') states"
fi
check_eq "deletion: the other owner's objects kept" "4 2" "$(others_left)"
told() { [ "$(grep -cE '^Deleted (src|src )' "$tmp/monitor")" -ge 4 ]; }
if busywait 3000 told; then
	pass "deletion: key managers told (4 deletions)"
else
	fail "deletion: key managers told of $(grep -c '^Deleted' "$tmp/monitor") deletions"
	cat "$tmp/monitor"
fi
kill "$monitor" 2>/dev/null || true
wait "$monitor" 2>/dev/null || true

# The same at expiry: a lifetime of 4 s (1 unit) runs out.
ours_at_coa1
out=$(peer mn bu mn0 "$COA1" "$CN" "$HOA" 6 1 "$K_BU" "kba=$K_BA")
check_eq "bound for 4 s" "0 1" "$(jqv -r '"\(.status) \(.lifetime)"' <<<"$out")"
expired() { [ "$(stat expired)" -ge 1 ]; }
busywait 10000 expired || true
if busywait 5000 ours_gone; then
	pass "expiry: the binding's states and policies removed"
else
	fail "expiry: ours left"
fi
check_eq "expiry: the other owner's objects kept" "4 2" "$(others_left)"
ip -n "$cn" xfrm state flush
ip -n "$cn" xfrm policy flush

# 5. Moves in order.  Bursts of BUs from COA1 and COA2, sent from both
# CPUs at once with Seq#s from one counter (so that nearly every one moves
# the binding), are handled on both CPUs at once; wherever the binding
# ends, the data path ends there too, every time.
tmpl_dst() {
	ip -n "$cn" xfrm policy list dir out |
		sed -n "s/.*tmpl src $CN dst \([0-9a-f:]*\).*/\1/p"
}
settled() { [ "$(tmpl_dst)" = "$(binding coa)" ]; }
if [ "$(nproc)" -lt 2 ] || [ ! -x "$MH_SEND" ]; then
	echo "# moves in order: needs two CPUs and $MH_SEND"
else
	ours_at_coa1
	seq=100
	out=$(peer mn bu mn0 "$COA1" "$CN" "$HOA" "$seq" 64 "$K_BU" "kba=$K_BA")
	agree=0
	for round in 1 2 3 4 5; do
		ip netns exec "$mn" "$MH_SEND" "$COA1" "$CN" bu-race "$HOA" \
			$((seq + 1)) 64 "$K_BU" 500 "$COA2" >/dev/null
		seq=$((seq + 501))
		busywait 10000 settled || true
		at=$(tmpl_dst)
		if [ "$at" = "$(binding coa)" ] &&
		   [ "$(cn_sa 0x100 "$CN" "$at")" = "$CN>$at" ] &&
		   [ "$(cn_sa 0x200 "$at" "$CN")" = "$at>$CN" ]; then
			agree=$((agree + 1))
		else
			echo "# round $round: binding at $(binding coa), policy at $at"
			ip -n "$cn" xfrm state list | grep '^src' | sed 's/^/# /'
		fi
	done
	check_eq "moves in order: data path and binding agree, 5 of 5" 5 "$agree"
	echo "# $(stat bu_accepted) BUs taken, data path moved $(stat migrated) times, failed $(stat migrate_failed)"
fi

# 6. A mobile correspondent (draft section 4): cn as CN_MN, home address
# CN_HOA, care-of address $CN, then CN_COA2.  Its data path runs from its
# care-of address; a FWD from a new CoA moves the far end, a new own
# care-of address (cbuctl own set) the local end, lifetime 0 removes it.
CN_HOA=2001:db8:7::1
CN_COA2=2001:db8:2::21
REQID=43
ip -n "$cn" xfrm state flush
ip -n "$cn" xfrm policy flush
ip -n "$cn" addr add "$CN_HOA/128" dev lo
ip -n "$cn" addr add "$CN_COA2/64" dev cn0 nodad
ip -n "$r" route add "$CN_HOA/128" via "$CN" dev r2
ip -n "$mn" route add "$CN_HOA/128" via 2001:db8:3::1 dev mn0
cbuctl -n "$cn" key add "$HOA" "$CN_HOA" role cn k-bu "$tmp/k_bu" \
	k-ba "$tmp/k_ba" lt-en 1024 reqid "$REQID"
cbuctl -n "$cn" own set "$CN_HOA" coa "$CN"
xfrm_sa "$cn" "$CN" "$COA1" 0x300 "$AEAD_OUT" "$CN_HOA" "$HOA"
xfrm_sa "$cn" "$COA1" "$CN" 0x400 "$AEAD_IN" "$HOA" "$CN_HOA"
xfrm_pol "$cn" out "$CN_HOA" "$HOA" "$CN" "$COA1"
xfrm_pol "$cn" in "$HOA" "$CN_HOA" "$COA1" "$CN"
mcn_tmpl() {	# the out policy's template, "src>dst"
	ip -n "$cn" xfrm policy list src "$CN_HOA/128" dir out |
		sed -n "s/.*tmpl src \([0-9a-f:]*\) dst \([0-9a-f:]*\).*/\1>\2/p"
}
mcn_at() {	# mcn_at LOCAL FAR: policies and both states there
	[ "$(mcn_tmpl)" = "$1>$2" ] &&
	[ "$(cn_sa 0x300 "$1" "$2")" = "$1>$2" ] &&
	[ "$(cn_sa 0x400 "$2" "$1")" = "$2>$1" ] &&
	ip -n "$cn" xfrm policy list dst "$CN_HOA/128" dir in |
		grep -q "tmpl src $2 dst $1"
}
fwd() {		# fwd COA SEQ LIFETIME
	peer mn fwd mn0 "$COA1" "$CN_HOA" "$HOA" "$1" "$2" "$3" "$K_BU" \
		"kba=$K_BA" wait=0 >/dev/null
}
fwd "$COA1" 10 64
mcn_bound() {	# mcn_bound COA
	[ "$(cbuctl -n "$cn" -j binding show "$HOA" "$CN_HOA" |
	     jqv -r '.[0].coa // empty')" = "$1" ]
}
busywait 5000 mcn_bound "$COA1" || true
check_eq "mobile CN: bound at COA1, the path in place" true \
	"$(mcn_bound "$COA1" && mcn_at "$CN" "$COA1" && echo true)"
migrated=$(stat migrated)
fwd "$COA2" 11 64
if busywait 5000 mcn_at "$CN" "$COA2"; then
	pass "mobile CN: the MN moved, the far end followed"
else
	fail "mobile CN: the path is at $(mcn_tmpl)"
fi
cbuctl -n "$cn" own set "$CN_HOA" coa "$CN_COA2"
if busywait 5000 mcn_at "$CN_COA2" "$COA2"; then
	pass "mobile CN: it moved itself, the local end followed"
else
	fail "mobile CN: the path is at $(mcn_tmpl)"
fi
check_eq "mobile CN: two migrations" $((migrated + 2)) "$(stat migrated)"
fwd "$COA2" 12 0
mcn_gone() {
	[ -z "$(ip -n "$cn" xfrm policy list)" ] &&
	[ -z "$(ip -n "$cn" xfrm state list)" ]
}
if busywait 5000 mcn_gone; then
	pass "mobile CN: lifetime 0, the path removed from its own CoA"
else
	fail "mobile CN: left: $(mcn_tmpl)"
fi

peer_stop_all
cleanup_ns
cbu_unload
check_dmesg "no warning in the kernel log"
exit $RET
