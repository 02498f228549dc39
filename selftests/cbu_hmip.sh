#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# HMIPv6 (draft section 5) end to end: a MAP binds a mobile node's
# regional care-of address (RCoA) to its on-link one (LCoA) on a local BU
# it checks through the certificate the node's home agent issued, and
# refuses every redirect.  All agents are cbu-agent's; hmip-send plays the
# other nodes of the MAP's domain and the attacker.
#
#  1. Entry: the node (`[mobile-node] map = ADDRESS`) sends a local BU with
#     g^a, gets a 138 and sends it again with the MAP's N_MAP; the MAP asks
#     the home agent for Cert_HA (REQ_Cert, REP_Cert) and answers with a
#     signed BA that makes k_LBA; the node registers at home from the
#     RCoA, through cbu-hm0 to the MAP.  The MAP's cbu-map0 (ip6tnl,
#     external; a device of that name that is not one refused at start),
#     and per binding cbu.ko's binding, a route to the LCoA and a proxy ND
#     entry.
#  2. Route optimization with the CN from the RCoA.
#  3. Two local moves (ar1 -> ar2 -> ar1) under the CN's pings: a local BU
#     and its MAC'd BA each; the home agent and the CN hear nothing.  The
#     wire at the MAP (dumpcap, tshark): the entry in order, M flag set,
#     REQ_Cert once; in the moves only the local BUs and BAs on the domain
#     links, no MH on the core, the CN's ESP tunnelled to each LCoA in
#     turn; the losses counted and stated.
#  4. Attacks from ar1's side, nothing bound, each counted: every BU the
#     node sent, replayed; a forged SIG_MN; a Cert_MN for another HoA; an
#     expired one; one a rogue home agent issued; a wrong N_MAP; the MAP's
#     own address as RCoA; an RCoA outside the MAP's prefix; g^a of low
#     order.
#  5. Eight more nodes enter at once, each kept apart; one's binding
#     expires, one unbinds, the others are left alone.
#  6. A clean stop of the node unbinds at the MAP; its restart enters again
#     past the MAP's Seq# (135), Cert_HA from the MAP's cache.
#  7. The MAP's agent killed under traffic and started again: no ping lost,
#     every binding taken back, a stale route deleted; another node asking
#     for the RCoA gets a 134; the node's next BU a signed 138, and it
#     enters again.
#  8. A clean stop of the MAP removes its forwarding; a MAP that does not
#     answer: map-failed, a plain move.
#  9. An RCoA another node holds: a 134, and a random RCoA.
# 10. `map = discover`: the MAP from the access routers' RAs: entering, a
#     local move, leaving; malformed RAs, another router's, a jumbo one.
# 11. A MAP that grants 12 s: the node refreshes at 3/4 of the grant and
#     stays bound past its end.
#
#   The MAP's domain: two access routers, each on its own link to the MAP.
#   The node moves between mn1 (ar1's link) and mn2 (ar2's); "others", on
#   a link of ar1's, holds the attacker and the other nodes hmip-send plays:
#
#          2001:db8:a1::/64           2001:db8:b1::/64
#      mn1 ----------------- ar1 ----------------- dom1
#      ::10 (LCoA1)     ::1 mn0 map0 ::2           ::1
#   mn                   ::1 o0 |
#      mn2 ---------+           | 2001:db8:a3::/64                map
#      ::10 (LCoA2) |    others o1  ::66 the attacker; ::11 another
#                   |               node of ha's; ::101 to ::108 eight more
#                   +------- ar2 ----------------- dom2
#                       ::1 mn0 map0 ::2           ::1
#          2001:db8:a2::/64           2001:db8:b2::/64
#          (a jumbo link, MTU 9000)
#
#   The core (the ARs' default route is the MAP, the core's to the
#   access links too):
#
#          2001:db8:f0::/64 (RCoAs)
#   map core0 ------------ m0 core ------------ ha   2001:db8:1::2, home
#   2001:db8:f0::1          ::2    |                 agent of 2001:db8:1::/64
#                                  +----------- cn   2001:db8:2::20,
#                                  |                 correspondent
#                                  +----------- ha2  2001:db8:3::2, home
#                                                    agent of 2001:db8:3::/64
#
#   The mobile node: HoA 2001:db8:1::10 (on lo), RCoA 2001:db8:f0::10 (the
#   MAP's /64 and the LCoA's interface identifier), Cert_MN from ha.  ha2
#   is a home agent too, with its own key: a Cert_MN it issued cannot move
#   a node of ha's.

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

: "${CBU_AGENT:=$TOP/agent/cbu-agent}"
HMIP_SEND=${HMIP_SEND:-$TOP/build/san/bin/hmip-send}
RA_SEND=${RA_SEND:-$TOP/build/san/bin/ra-send}
MH_SEND=${MH_SEND:-$TOP/build/san/bin/mh-send}

HOA=2001:db8:1::10
HA=2001:db8:1::2
CN=2001:db8:2::20
MAP=2001:db8:f0::1
RCOA=2001:db8:f0::10
LCOA1=2001:db8:a1::10
LCOA2=2001:db8:a2::10
HA2=2001:db8:3::2
ATK=2001:db8:a3::66
SCALE=${CBU_TIMEOUT_SCALE:-1}

tmp=$(mktemp -d)
cleanup() {
	set +e
	[ -n "${ping_pid:-}" ] && kill "$ping_pid" 2>/dev/null
	[ -n "${cap_pid:-}" ] && kill "$cap_pid" 2>/dev/null
	[ -n "${tshark_pid:-}" ] && kill "$tshark_pid" 2>/dev/null
	[ -n "${bus_pid:-}" ] && kill "$bus_pid" 2>/dev/null
	agent_test_cleanup
}
trap cleanup EXIT

[ -x "$HMIP_SEND" ] || skip "no hmip-send at $HMIP_SEND"
[ -x "$RA_SEND" ] || skip "no ra-send at $RA_SEND"
[ -x "$MH_SEND" ] || skip "no mh-send at $MH_SEND"
agent_test_init busybox dumpcap tshark
modprobe -q ip6_tunnel 2>/dev/null || skip "no ip6_tunnel"

# --- the topology --------------------------------------------------------

mn='' ar1='' ar2='' others='' map='' core='' ha='' ha2='' cn=''
setup_ns mn ar1 ar2 others map core ha ha2 cn
link "$ar1" mn0 2001:db8:a1::1 "$mn" mn1 "$LCOA1"
link "$ar1" o0 2001:db8:a3::1 "$others" o1 "$ATK"
link "$ar2" mn0 2001:db8:a2::1 "$mn" mn2 ""
# A jumbo link: part 10's RA of over 3000 octets comes whole.
ip -n "$ar2" link set mn0 mtu 9000
ip -n "$mn" link set mn2 mtu 9000
# The MAP's domain interfaces ([map] interface) face the access routers.
link "$map" dom1 2001:db8:b1::1 "$ar1" map0 2001:db8:b1::2
link "$map" dom2 2001:db8:b2::1 "$ar2" map0 2001:db8:b2::2
link "$map" core0 "$MAP" "$core" m0 2001:db8:f0::2
link "$core" h0 2001:db8:1::1 "$ha" ha0 "$HA"
link "$core" c0 2001:db8:2::1 "$cn" cn0 "$CN"
link "$core" h2 2001:db8:3::1 "$ha2" ha20 "$HA2"
for ns in "$ar1" "$ar2" "$core" "$map"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.forwarding=1
done
ip -n "$ar1" route add default via 2001:db8:b1::1
ip -n "$ar2" route add default via 2001:db8:b2::1
ip -n "$map" route add 2001:db8:a1::/64 via 2001:db8:b1::2
ip -n "$map" route add 2001:db8:a2::/64 via 2001:db8:b2::2
ip -n "$map" route add 2001:db8:a3::/64 via 2001:db8:b1::2
ip -n "$map" route add default via 2001:db8:f0::2
ip -n "$core" route add 2001:db8:a1::/64 via "$MAP"
ip -n "$core" route add 2001:db8:a2::/64 via "$MAP"
ip -n "$core" route add 2001:db8:a3::/64 via "$MAP"
ip -n "$ha" route add default via 2001:db8:1::1
ip -n "$cn" route add default via 2001:db8:2::1
ip -n "$ha2" route add default via 2001:db8:3::1
ip -n "$others" route add default via 2001:db8:a3::1
ip -n "$mn" route add default via 2001:db8:a1::1

# --- credentials and configurations -------------------------------------------

ctl() { "$CBUCTL" "$@" >/dev/null; }
agent_pki 2001:db8:1::/64 "$CN"
for who in map mn mn2 ha2 atk; do
	ctl cert genkey out "$tmp/$who.key"
	ctl cert pubkey key "$tmp/$who.key" out "$tmp/$who.pub"
done
ctl cert issue map 2001:db8:f0::/64 pubkey "$tmp/map.pub" key "$tmp/ca.key" \
	out "$tmp/map.cert"
ctl cert issue ha 2001:db8:3::/64 pubkey "$tmp/ha2.pub" key "$tmp/ca.key" \
	out "$tmp/ha2.cert"
ctl cert issue mn "$HOA" pubkey "$tmp/mn.pub" key "$tmp/ha.key" \
	issuer "$tmp/ha.cert" out "$tmp/mn.cert"
# Another mobile node of the same home agent (hmip-send plays it).
ctl cert issue mn 2001:db8:1::11 pubkey "$tmp/mn2.pub" key "$tmp/ha.key" \
	issuer "$tmp/ha.cert" out "$tmp/mn2.cert"
# The attacker's certificates for the node's HoA, all refused: an expired
# one (the node's old key, leaked); one ha2 issued to the attacker's key,
# through a Cert_HA of ha2's key for ha's prefix, which ha2 never shows (it
# serves 2001:db8:3::/64).
ctl cert issue ha 2001:db8:1::/64 pubkey "$tmp/ha.pub" key "$tmp/ca.key" \
	from 2020-01-01 days 3650 out "$tmp/ha-2020.cert"
ctl cert issue mn "$HOA" pubkey "$tmp/mn.pub" key "$tmp/ha.key" \
	issuer "$tmp/ha-2020.cert" from 2020-01-01 days 1 \
	out "$tmp/mn-expired.cert"
ctl cert issue ha 2001:db8:1::/64 pubkey "$tmp/ha2.pub" key "$tmp/ca.key" \
	out "$tmp/ha2-wide.cert"
ctl cert issue mn "$HOA" pubkey "$tmp/atk.pub" key "$tmp/ha2.key" \
	issuer "$tmp/ha2-wide.cert" out "$tmp/mn-ha2.cert"
# Part 4's mobile nodes of ha, 2001:db8:1::101 to ::108: a key and a
# Cert_MN each.
MANY=8
for i in $(seq "$MANY"); do
	ctl cert genkey out "$tmp/many$i.key"
	ctl cert pubkey key "$tmp/many$i.key" out "$tmp/many$i.pub"
	ctl cert issue mn "2001:db8:1::10$i" pubkey "$tmp/many$i.pub" \
		key "$tmp/ha.key" issuer "$tmp/ha.cert" out "$tmp/many$i.cert"
done
export CBU_CA_PUB=$tmp/ca.pub

confs_home "$HOA" "$HA" 2001:db8:1::/64 ha0 mn1 mn2
{
	printf '[ca]\npublic-key = %s\n' "$tmp/ca.pub"
	echo "map = $MAP"
	printf 'certificate = %s\nprivate-key = %s\n' "$tmp/mn.cert" \
		"$tmp/mn.key"
} >"$tmp/mn-map.part"
# [ca] before the [mobile-node] section confs_home wrote, the MAP's keys
# after it; lifetime 400 s: no refresh (at 300 s) among the moves' BUs.
{
	head -n 2 "$tmp/mn-map.part"
	sed "s/^lifetime = 120$/lifetime = 400/" "$tmp/mn.conf"
	tail -n +3 "$tmp/mn-map.part"
} >"$tmp/mn2.conf"
mv "$tmp/mn2.conf" "$tmp/mn.conf"
{
	conf_debug
	conf_cn "$CN"
} >"$tmp/cn.conf"
{
	conf_debug
	printf '[ca]\npublic-key = %s\n[home-agent]\naddress = %s\n' \
		"$tmp/ca.pub" "$HA2"
	printf 'home-prefix = 2001:db8:3::/64\nhome-link = ha20\n'
	printf 'certificate = %s\nprivate-key = %s\n' "$tmp/ha2.cert" \
		"$tmp/ha2.key"
	echo "mobile-node = 2001:db8:3::10 $tmp/mn.secret"
} >"$tmp/ha2.conf"
{
	conf_debug
	printf '[ca]\npublic-key = %s\n[map]\naddress = %s\nlink = core0\n' \
		"$tmp/ca.pub" "$MAP"
	printf 'interface = dom1\ninterface = dom2\n'
	printf 'certificate = %s\nprivate-key = %s\n' "$tmp/map.cert" \
		"$tmp/map.key"
	echo "max-lifetime = 420"
} >"$tmp/map.conf"

agent_start ha "$ha"
agent_start ha2 "$ha2"
agent_start cn "$cn"
# A device named as the MAP's tunnel that is not one: no start, and the
# device left as it was.
ip -n "$map" link add cbu-map0 type ip6tnl mode ip6ip6 remote 2001:db8:b1::99
out=$(ip netns exec "$map" timeout 60 "$CBU_AGENT" -f -c "$tmp/map.conf" 2>&1) ||
	rc=$?
check_eq "cbu-map0 not external: the MAP does not start, and says why" \
	"1 1" "$((${rc:-0} != 0)) $(grep -c 'tunnel cbu-map0 exists and is not an ip6tnl device in ip6ip6 external mode' <<<"$out")"
check_eq "... the device left as it was, no map in cbu.ko" "1 false" \
	"$(ip -n "$map" link show cbu-map0 | grep -c cbu-map0) \
$("$CBUCTL" -n "$map" -j map show | jqv 'has("address")')"
ip -n "$map" link del cbu-map0
agent_start map "$map"
map_pid=${AGENT_PIDS[-1]}
check_eq "the MAP's tunnel: ip6tnl, external, up; cbu.ko's map names it" \
	"ip6tnl true 1 cbu-map0" \
	"$(ip -n "$map" -d -j link show cbu-map0 |
		jqv -r '.[0].linkinfo | "\(.info_kind) \(.info_data.external)"') \
$(ip -n "$map" link show cbu-map0 up | grep -c cbu-map0) \
$("$CBUCTL" -n "$map" -j map show | jqv -r .tunnel)"

# agent_term PID NAME: SIGTERM to one agent, its exit 0, and forget it.
agent_term() {
	local pid keep=() rc=0
	kill -TERM "$1"
	wait "$1" || rc=$?
	[ "$rc" -eq 0 ] || fail "$2 exited $rc"
	for pid in "${AGENT_PIDS[@]}"; do
		[ "$pid" = "$1" ] || keep+=("$pid")
	done
	AGENT_PIDS=("${keep[@]}")
}
hstat() { st "$mn" ".mobile_node.map.$1"; }
mstat() { st "$map" ".map.$1"; }
ha_coa() { st "$ha" '.home_agent.mobile_nodes[0].coa'; }
cn_coa() {
	"$CBUCTL" -n "$cn" -j binding show "$HOA" "$CN" |
		jqv -r '.[0].state + " " + .[0].coa'
}
map_lcoa() {
	"$CBUCTL" -n "$map" -j map binding show "$RCOA" 2>/dev/null |
		jqv -r '.[0].lcoa // empty'
}
# fwd [RCOA]: the MAP's forwarding of RCOA (the node's by default): the
# LCoA of cbu.ko's binding, the LCoA its route encapsulates to, and how
# many proxy ND entries it has on core0.
fwd() {
	local rcoa=${1:-$RCOA} b r
	b=$("$CBUCTL" -n "$map" -j map binding show "$rcoa" 2>/dev/null |
		jqv -r '.[0].lcoa // empty')
	r=$(ip -n "$map" -6 route show "$rcoa/128" dev cbu-map0 2>/dev/null |
		grep -o ' dst [^ ]*' | cut -d' ' -f3)
	echo "${b:-none} ${r:-none} $(ip -n "$map" -6 neigh show proxy dev core0 |
		grep -c "^$rcoa " || true)"
}
# within MS WHAT CHECK...: WHAT holds within MS ms, or the end of the
# node's log (the agent $node).
node=mn
within() {
	local ms=$1 what=$2
	shift 2
	if busywait $((ms * SCALE)) "$@"; then
		pass "$what"
	else
		fail "$what: not within $ms ms"
		tail -n 20 "$tmp/$node.log"
	fi
}
tunnel() {
	ip -n "$mn" -d link show cbu-hm0 2>/dev/null |
		grep -o 'ip6ip6 remote [^ ]* local [^ ]*' || true
}

# --- 1. entry: 138, the BU again, REQ_Cert, the signed BA ----------------------

# The wire at the MAP from the entry to the end of part 3: its domain
# links and its link to the core, one dumpcap for the three (a start of
# dumpcap or tshark costs seconds under emulation), read once after.
ip netns exec "$map" dumpcap -q -i dom1 -i dom2 -i core0 \
	-w "$tmp/wire.pcapng" 2>"$tmp/dumpcap.log" &
cap_pid=$!
busywait $((30000 * SCALE)) grep -q '^File:' "$tmp/dumpcap.log" ||
	{ cat "$tmp/dumpcap.log"; fail "dumpcap did not start"; exit 1; }
agent_start mn "$mn"
mn_pid=${AGENT_PIDS[-1]}
at_rcoa() {
	[ "$(st "$mn" .mobile_node.registered)" = true ] &&
		[ "$(st "$mn" .mobile_node.coa)" = "$RCOA" ]
}
if busywait $((20000 * SCALE)) at_rcoa; then
	pass "entered the MAP, registered at home from the RCoA"
else
	fail "did not register from the RCoA"
	tail -n 30 "$tmp/mn.log" "$tmp/map.log"
	exit 1
fi
check_eq "mn: bound at the MAP from LCoA1; one entry, one 138, no failure" \
	"bound $RCOA $LCOA1 1 1 0 0" \
	"$(hstat state) $(hstat rcoa) $(hstat lcoa) $(hstat entries) \
$(hstat map_138) $(hstat map_failed) $(hstat map_ba_bad)"
check_eq "map: REQ_Cert, REP_Cert, the BU held; one entry, one binding" \
	"1 1 1 1 1" \
	"$(mstat req_cert) $(mstat rep_cert) $(mstat held) $(mstat entries) \
$(mstat bindings)"
check_eq "map: the RCoA forwarded to LCoA1: cbu.ko's binding, route, proxy ND" \
	"$LCOA1 $LCOA1 1" "$(fwd)"
check_eq "ha: the CoA is the RCoA" "$RCOA" "$(ha_coa)"
check_eq "mn: cbu-hm0 from LCoA1 to the MAP, the RCoA on it" \
	"ip6ip6 remote $MAP local $LCOA1|1" \
	"$(tunnel)|$(ip -n "$mn" -6 addr show dev cbu-hm0 | grep -c "$RCOA/128")"
check_eq "mn: the RCoA's rule, its table's default through cbu-hm0" \
	"1 1" \
	"$(ip -n "$mn" -6 rule show | grep -c "from $RCOA lookup 196608") \
$(ip -n "$mn" -6 route show table 196608 | grep -c '^default dev cbu-hm0')"
if busywait $((10000 * SCALE)) ping_from "$cn" 3; then
	pass "the HoA answers the CN through the home tunnel (from the RCoA)"
else
	fail "no traffic through the home tunnel"
fi

# --- 2. route optimization from the RCoA ---------------------------------------

"$CBUCTL" -n "$mn" ro start "$CN" >/dev/null
if busywait $((20000 * SCALE)) is_state "$CN" bound; then
	pass "route-optimized with the CN"
else
	fail "no route optimization: $(ro_state "$CN")"
	tail -n 30 "$tmp/mn.log" "$tmp/cn.log"
fi
check_eq "cn: the binding names the RCoA" "confirmed $RCOA" "$(cn_coa)"
nft_count "$mn" esp_rcoa ip6 saddr "$CN" ip6 daddr "$RCOA" meta l4proto esp
nft_count "$ha" via_ha ip6 daddr "$HOA" \
	icmpv6 type != '{ nd-neighbor-solicit, nd-neighbor-advert }'
if busywait $((10000 * SCALE)) ping_from "$cn" 3; then
	pass "the HoA answers the CN over the optimized path"
else
	fail "no traffic over the optimized path"
fi
check_eq "as ESP from the CN to the RCoA, through the MAP's tunnel" true \
	"$([ "$(counted "$mn" esp_rcoa)" -ge 3 ] && echo true)"

# --- 3. local moves: LCoA1 -> LCoA2 -> LCoA1 -----------------------------------

# What the home agent and the correspondent see of the moves: MH at ha
# and cn, those that come out of a tunnel included.
nft_count "$ha" mh_ha meta l4proto 135
nft_count "$cn" mh_cn meta l4proto 135
via_ha0=$(counted "$ha" via_ha)
ba0=$(hstat map_ba)
rcvd() { sed -n 's/.* \([0-9]*\) packets received.*/\1/p' "$tmp/ping.out"; }
# The moves' part of the capture starts here (the guest's clock, which
# stamps dumpcap's frames too).
t0=$(date +%s.%N)
# 20 pings a second from the CN to the HoA across both moves.
ip netns exec "$cn" busybox ping -6 -q -c 200 -i 0.05 -W 2 "$HOA" \
	>"$tmp/ping.out" 2>&1 &
ping_pid=$!
sleep 2
# local_move LCOA DEV AR OLD OLDDEV: the LCoA moves to DEV, its default
# route to the access router's address AR there, the old LCoA goes; the
# mobile node's local BU is answered, the MAP forwards to LCOA.
local_move() {
	local lcoa=$1 dev=$2 ar=$3 old=$4 olddev=$5 moves
	moves=$(hstat local_moves)
	ip -n "$mn" addr add "$lcoa/64" dev "$dev" nodad
	ip -n "$mn" route replace default via "$ar" dev "$dev"
	ip -n "$mn" addr del "$old/64" dev "$olddev"
	moved_to() {
		[ "$(hstat lcoa) $(hstat state)" = "$1 bound" ] &&
			[ "$(hstat local_moves)" -gt "$moves" ] &&
			[ "$(map_lcoa)" = "$1" ]
	}
	if busywait $((10000 * SCALE)) moved_to "$lcoa"; then
		pass "local move to $lcoa: bound there, $(hstat local_bu_ba_ms) ms BU to BA"
	else
		fail "local move to $lcoa: $(hstat lcoa) $(hstat state), MAP at $(map_lcoa)"
		tail -n 20 "$tmp/mn.log"
	fi
}
local_move "$LCOA2" mn2 2001:db8:a2::1 "$LCOA1" mn1
sleep 2
local_move "$LCOA1" mn1 2001:db8:a1::1 "$LCOA2" mn2
wait "$ping_pid"
ping_pid=''
got=$(rcvd)
if [ "${got:-0}" -ge 190 ]; then
	pass "the CN's 200 pings across two local moves: $((200 - got)) lost"
else
	fail "the CN's 200 pings across two local moves: $((200 - ${got:-0})) lost"
fi
kill -INT "$cap_pid"
wait "$cap_pid" 2>/dev/null || true
cap_pid=''
# One tshark pass, cbu's dissector naming its subtypes and options (a
# column, which resolves the codes): every MH, every ESP frame (in the
# MAP's tunnel on the domain links: outer, inner address) and anything to
# or from the home agent, by link and time.  A second takes the node's
# BUs whole, the entry's and the moves', for the replay below.  They take
# seconds under emulation: in the background while the counters and
# bindings are checked.
tshark -n -X "lua_script:$TOP/tools/wireshark/cbu.lua" \
	-r "$tmp/wire.pcapng" -Y "mipv6 or esp or ipv6.addr == $HA" \
	-o 'gui.column.format:"opts","%Cus:cbu.opt.code:0:R"' \
	-T fields -E separator='|' -e frame.interface_name \
	-e frame.time_epoch -e ipv6.src -e ipv6.dst -e mip6.mhtype \
	-e mip6.bu.seqnr -e mip6.bu.m_flag -e mip6.bu.a_flag \
	-e mip6.bu.lifetime -e mip6.ba.status -e mip6.ba.seqnr -e _ws.col.opts \
	-e cbu.subtype >"$tmp/wire.raw" 2>"$tmp/tshark.log" &
tshark_pid=$!
# The frames as captured, less their Ethernet header: the IPv6 packets.
tshark -n -r "$tmp/wire.pcapng" -T ek -x \
	-Y "mip6.bu.m_flag == 1 && ipv6.dst == $MAP" \
	2>"$tmp/tshark-bu.log" |
	sed -n 's/.*"frame_raw":"[0-9a-f]\{28\}\([0-9a-f]*\)".*/\1/p' \
	>"$tmp/bus.hex" &
bus_pid=$!
check_eq "two local moves, two BAs taken, no failure" "$((ba0 + 2)) 0" \
	"$(hstat map_ba) $(hstat map_failed)"
check_eq "the home agent and the CN heard no MH; no ping crossed the HA" \
	"0 0 $via_ha0" \
	"$(counted "$ha" mh_ha) $(counted "$cn" mh_cn) $(counted "$ha" via_ha)"
check_eq "their bindings keep the RCoA" "$RCOA|confirmed $RCOA" \
	"$(ha_coa)|$(cn_coa)"
check_eq "map: moved twice, one entry still; forwarded to LCoA1 again" \
	"2 1 $LCOA1 $LCOA1 1" "$(mstat moved) $(mstat entries) $(fwd)"
check_eq "mn: cbu-hm0 from LCoA1 again" "ip6ip6 remote $MAP local $LCOA1" \
	"$(tunnel)"
wait "$tshark_pid" || cat "$tmp/tshark.log"
tshark_pid=''
# dumpcap writes the three links' frames as it reads them: by time.
sort -t '|' -k2,2g "$tmp/wire.raw" >"$tmp/wire.txt"
# The Mobility Headers, for a reader: link, seconds from the moves' start
# (the entry's before it).
awk -F'|' -v t0="$t0" '$5 != "" {
		printf "# wire: %s %7.3f %s > %s ", $1, $2 - t0, $3, $4 }
	$5 == 5 { printf "BU Seq# %s M %s A %s lifetime %s options %s\n",
		$6, $7, $8, $9, $12 }
	$5 == 6 { printf "BA status %s Seq# %s options %s\n", $10, $11, $12 }
	$5 != "" && $5 != 5 && $5 != 6 { printf "MH type %s %s\n", $5,
		$13 == "" ? "" : "cbu subtype " $13 }' \
	"$tmp/wire.txt"
# wire_entry: what the entry is made of, in its order, each the first
# after the one before it; and how many REQ_Cert, REP_Cert and 138.
wire_entry() {
	awk -F'|' -v t0="$t0" -v map="$MAP" -v ha="$HA" -v rcoa="$RCOA" \
		-v l1="$LCOA1" '
	BEGIN { split("dom1 BU M|dom1 BA 138|dom1 BU M|core0 REQ_Cert MAP>HA|" \
		"core0 REP_Cert HA>MAP|dom1 BA 0|core0 REG RCoA>HA", want, "|") }
	$2 >= t0 || $5 == "" { next }
	{ e = "" }
	$5 == 5 && $7 == 1 && $3 == l1 && $4 == map { e = $1 " BU M" }
	$5 == 6 && $3 == map && $4 == l1 { e = $1 " BA " $10; b138 += $10 == 138 }
	$13 == 16 { e = $1 " REQ_Cert " ($3 == map && $4 == ha ? "MAP>HA" : "?"); req++ }
	$13 == 17 { e = $1 " REP_Cert " ($3 == ha && $4 == map ? "HA>MAP" : "?"); rep++ }
	$13 == 18 && $3 == rcoa && $4 == ha { e = $1 " REG RCoA>HA" }
	e != "" && e == want[n + 1] { got = got (n++ ? ", " : "") e }
	END { printf "%s; REQ_Cert %d, REP_Cert %d, 138 %d", got, req, rep, b138 }' \
		"$tmp/wire.txt"
}
check_eq "wire: the entry, BU and 138, the BU again, REQ_Cert/REP_Cert, the BA, REG" \
	"dom1 BU M, dom1 BA 138, dom1 BU M, core0 REQ_Cert MAP>HA, \
core0 REP_Cert HA>MAP, dom1 BA 0, core0 REG RCoA>HA; REQ_Cert 1, REP_Cert 1, \
138 1" "$(wire_entry)"
# wire_mh: the domain links' MH in the moves, in order, each BA with "Seq#
# of the BU" when it answers the BU before it.  A BU's link is left out:
# local_move adds the new LCoA before it moves the default route, so the
# node's BU may leave by the link it is leaving; the BA goes to the
# LCoA's link.
wire_mh() {
	awk -F'|' -v t0="$t0" '$2 >= t0 && $5 != "" && $1 != "core0" {
		if ($5 == 5) { seq = $6; m = "BU " $3 ">" $4 " M " $7 }
		else if ($5 == 6) m = $1 " BA " $3 ">" $4 " " $10 \
			($11 == seq ? " Seq# of the BU" : " Seq# " $11)
		else m = $1 " MH " $5 " " $3 ">" $4
		printf "%s%s", n++ ? ", " : "", m }' "$tmp/wire.txt"
}
check_eq "wire: on the MAP's domain links, one BU (M flag) and its BA per move" \
	"BU $LCOA2>$MAP M 1, dom2 BA $MAP>$LCOA2 0 Seq# of the BU, \
BU $LCOA1>$MAP M 1, dom1 BA $MAP>$LCOA1 0 Seq# of the BU" "$(wire_mh)"
# wire_core: on core0 in the moves, MH frames and frames to or from the
# home agent; the CN's ESP to the RCoA and back.
wire_core() {
	awk -F'|' -v t0="$t0" -v ha="$HA" -v cn="$CN" -v rcoa="$RCOA" '
	$1 == "core0" && $2 >= t0 {
		mh += $5 != ""
		h += $3 == ha || $4 == ha
		to += $3 == cn && $4 == rcoa && $5 == ""
		back += $3 == rcoa && $4 == cn && $5 == "" }
	END { printf "%d %d %d %d", mh, h, (to > 0), (back > 0) }' \
		"$tmp/wire.txt"
}
check_eq "wire: on the MAP's core link no MH, nothing of the home agent's; the CN's ESP both ways" \
	"0 0 1 1" "$(wire_core)"
# The CN's ESP tunnelled by the MAP: to LCoA2 on dom2, to LCoA1 on dom1
# after the last BA, and to an LCoA after the node's BU from another
# (lost, but in the moment before local_move deletes the old address).
wire_esp() {
	awk -F'|' -v t0="$t0" -v map="$MAP" -v cn="$CN" -v rcoa="$RCOA" \
		-v l1="$LCOA1" -v l2="$LCOA2" '
	BEGIN { at = l1 }
	$2 < t0 { next }
	$5 == 5 { at = $3 }
	$5 == 6 && $1 == "dom1" { back = 1 }
	$5 == "" && $1 != "core0" && $3 == map "," cn {
		split($4, d, ",")
		if (d[2] != rcoa) next
		if ($1 == "dom2" && d[1] == l2) at2++
		if ($1 == "dom1" && d[1] == l1 && back) at1++
		if (d[1] != at) lost++ }
	END { printf "%d %d %d", at2, at1, lost }' "$tmp/wire.txt"
}
read -r at2 at1 lost <<<"$(wire_esp)"
if [ "$at2" -gt 0 ] && [ "$at1" -gt 0 ]; then
	pass "wire: the CN's ESP followed: $at2 tunnelled to LCoA2 on dom2, $at1 to LCoA1 on dom1 after; $lost to an LCoA left"
else
	fail "wire: the CN's ESP did not follow: $at2 to LCoA2 on dom2, $at1 to LCoA1 on dom1 after"
fi

# --- 4. attacks from ar1's side: nothing bound, each counted -------------------

# Every BU of the node's, as the MAP received them, sent again from ar1 (an
# attacker on the domain's side, its source the BU's): the entry's two
# (the first without N_MAP, the second with g^a), the older move's from
# LCoA2, the newer one's from LCoA1 with the Seq# the MAP holds.  Each is
# refused (seq-stale, or bad-nonce for the BU without N_MAP), nothing
# moves, and the MAP's answers find no BU of the node's in flight.
wait "$bus_pid" || cat "$tmp/tshark-bu.log"
bus_pid=''
refused() { echo $(($(mstat seq_stale) + $(mstat bad_nonce))); }
refused0=$(refused)
ba1=$(hstat map_ba)
replayed=0
while read -r hex; do
	# The packet's source, octets 8 to 23: inet_pton's full form.
	src=$(cut -c17-48 <<<"$hex" | sed 's/..../&:/g; s/:$//')
	ip netns exec "$ar1" "$MH_SEND" "$src" "$MAP" packet "$hex"
	replayed=$((replayed + 1))
done <"$tmp/bus.hex"
refused_all() { [ "$(refused)" -ge $((refused0 + replayed)) ]; }
busywait $((5000 * SCALE)) refused_all || true
check_eq "replay: the node's BUs again from ar1, each refused; still at LCoA1" \
	"$replayed refused, 2 moves, at $LCOA1, $ba1 BAs at the node" \
	"$(($(refused) - refused0)) refused, $(mstat moved) moves, at $(map_lcoa), \
$(hstat map_ba) BAs at the node"
check_eq "replay: the entry's two BUs and both moves' captured and replayed" \
	true "$([ "$replayed" -ge 4 ] && echo true)"

# The attacker, at 2001:db8:a3::66 on ar1's other link, aims at the node's
# RCoA.  What it needs it can have: the node's Seq# (on the wire: it goes
# past it), its Cert_MN (sent in clear) and a valid N_MAP, which the MAP
# gives whoever asks (in the 138 to a BU without one, which binds nothing).
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p"; }
# brief: a BA's line without the fields named.
brief() { sed -E "s/ ($1)=[^ ]*//g"; }
# atk ARGS...: hmip-send from the attacker's address; its output.
atk() {
	ip netns exec "$others" "$HMIP_SEND" "$ATK" "$MAP" "$@" 2>&1 || true
}
seq=$(awk -F'|' '$5 == 5 { s = $6 } END { print s }' "$tmp/wire.txt")
out=$(atk "$RCOA" "$HOA" "$HA" "$tmp/mn.cert" "$tmp/atk.key" \
	seq $((seq + 10)) wait 1500)
nonce=$(echo "$out" | field nonce)
check_eq "attacker: a BU without N_MAP gets a 138 with one, MAC'd for the node" \
	"status=138 auth=mac ok=0 32" \
	"$(echo "$out" | brief 'seq|lifetime|nonce') ${#nonce}"
# attack WHAT COUNTER ARGS...: the attacker's BU (hmip-send's arguments
# from RCOA on): no BA that binds, COUNTER one more, the node's binding
# as it was.
attack() {
	local what=$1 counter=$2 n0 out
	shift 2
	n0=$(mstat "$counter")
	out=$(atk "$@" wait 1500)
	case "$out" in
	status=0*) fail "$what: bound: $out" ;;
	*) check_eq "$what: refused, counted $counter; nothing moved" \
		"1 2 $LCOA1 $LCOA1 1" \
		"$(($(mstat "$counter") - n0)) $(mstat moved) $(fwd)" ;;
	esac
}
req0=$(mstat req_cert)
s=$((seq + 20))
attack "forged SIG_MN (the node's Cert_MN, the attacker's key)" bad_sig \
	"$RCOA" "$HOA" "$HA" "$tmp/mn.cert" "$tmp/atk.key" seq $((s++)) \
	nonce "$nonce"
attack "a Cert_MN for another HoA (another node's of ha, with its key)" \
	hoa_mismatch "$RCOA" "$HOA" "$HA" "$tmp/mn2.cert" "$tmp/mn2.key" \
	seq $((s++)) nonce "$nonce"
attack "an expired Cert_MN (the node's, its old key leaked)" expired_cert \
	"$RCOA" "$HOA" "$HA" "$tmp/mn-expired.cert" "$tmp/mn.key" \
	seq $((s++)) nonce "$nonce"
attack "a Cert_MN for the HoA from a rogue home agent (ha2)" wrong_prefix \
	"$RCOA" "$HOA" "$HA2" "$tmp/mn-ha2.cert" "$tmp/atk.key" seq $((s++)) \
	nonce "$nonce"
attack "a wrong N_MAP" bad_nonce "$RCOA" "$HOA" "$HA" "$tmp/mn.cert" \
	"$tmp/atk.key" seq $((s++)) nonce "$(printf '%032x' 7)"
attack "the MAP's own address as RCoA" bad_rcoa "$MAP" "$HOA" "$HA" \
	"$tmp/mn.cert" "$tmp/atk.key" seq $((s++)) nonce "$nonce"
# g^a of low order, under the node's own key: the exchange is refused.
attack "g^a of low order" bad_dh "$RCOA" "$HOA" "$HA" "$tmp/mn.cert" \
	"$tmp/mn.key" seq $((s++)) nonce "$nonce" break dh
# Outside the RCoA prefix, cbu.ko drops it before the agent sees it.
o0=$("$CBUCTL" -n "$map" -j stats | jqv .map_outside)
atk 2001:db8:f1::a:10 "$HOA" "$HA" "$tmp/mn.cert" "$tmp/atk.key" \
	seq $((s++)) nonce "$nonce" wait 500 >/dev/null
check_eq "an RCoA outside the MAP's prefix: dropped by cbu.ko (map_outside)" \
	1 "$(($("$CBUCTL" -n "$map" -j stats | jqv .map_outside) - o0))"
check_eq "after every attack: one binding, moved twice; one REQ_Cert, ha2's" \
	"1 2 $((req0 + 1))" "$(mstat bindings) $(mstat moved) $(mstat req_cert)"
check_eq "the node: bound at LCoA1, no BA refused, no failure" \
	"bound $LCOA1 0 0" \
	"$(hstat state) $(hstat lcoa) $(hstat map_ba_bad) $(hstat map_failed)"
if busywait $((10000 * SCALE)) ping_from "$cn" 3; then
	pass "the HoA still answers the CN"
else
	fail "no traffic after the attacks"
fi

# --- 5. eight more mobile nodes, entering at once --------------------------------

# Node I (HoA 2001:db8:1::10I) enters from its own LCoA on ar1's other
# link, 2001:db8:a3::10I, for RCoA 2001:db8:f0::b:I: all eight at the same
# moment, a 138 and then the BU with N_MAP and g^a each (a binding of 120
# s).  The MAP keeps them apart: a binding, a route to the right LCoA and
# a proxy entry each; Cert_HA from the cache; the node's binding
# untouched.  Node 8's binding expires and is made again, node 7 unbinds;
# the others are left alone, and go on through part 7's kill.
many() {
	local i=$1
	shift
	ip netns exec "$others" "$HMIP_SEND" "2001:db8:a3::10$i" "$MAP" \
		"2001:db8:f0::b:$i" "2001:db8:1::10$i" "$HA" \
		"$tmp/many$i.cert" "$tmp/many$i.key" "$@" 2>&1 || true
}
for i in $(seq "$MANY"); do
	ip -n "$others" addr add "2001:db8:a3::10$i/64" dev o1 nodad
done
req0=$(mstat req_cert)
pids=()
for i in $(seq "$MANY"); do
	(
		out=$(many "$i" seq 1 dh)
		many "$i" seq 2 dh nonce "$(echo "$out" | field nonce)" \
			>"$tmp/many$i.out"
	) &
	pids+=($!)
done
wait "${pids[@]}"
ok=$(cat "$tmp"/many*.out | grep -c \
	'^status=0 seq=2 lifetime=30 nonce=[0-9a-f]* auth=sig ok=1 klba=[0-9a-f]\{64\}' ||
	true)
check_eq "eight nodes at once: each accepted, signed, a k_LBA made" "$MANY" "$ok"
[ "$ok" = "$MANY" ] || sed 's/^/# /' "$tmp"/many*.out
# many_fwd I...: fwd of each node I's RCoA, and its LCoA.
many_fwd() {
	local i
	for i in "$@"; do
		printf '%s: %s, ' "$i" "$(fwd "2001:db8:f0::b:$i")"
	done
}
# many_want I...: what many_fwd says of nodes I... bound.
many_want() {
	local i
	for i in "$@"; do
		printf '%s: 2001:db8:a3::10%s 2001:db8:a3::10%s 1, ' "$i" "$i" "$i"
	done
}
all=$(seq -s ' ' "$MANY")
# shellcheck disable=SC2086	# $all: the nodes' numbers
check_eq "each RCoA bound, routed and proxied to its own LCoA" \
	"$(many_want $all)" "$(many_fwd $all)"
check_eq "map: nine bindings; no REQ_Cert (Cert_HA cached); the node's at LCoA1" \
	"$((MANY + 1)) $req0 $LCOA1 $LCOA1 1" \
	"$(mstat bindings) $(mstat req_cert) $(fwd)"

# Node 8: a BU for 4 s, MAC'd; cbu.ko's binding expires, the route and
# proxy entry go; the record keeps k_LBA, and a MAC'd BU binds again.
n8=$(field nonce <"$tmp/many8.out") k8=$(field klba <"$tmp/many8.out")
out=$(many 8 seq 3 lifetime 1 nonce "$n8" klba "$k8")
check_eq "node 8: a BU for 4 s, accepted, MAC'd" \
	"status=0 lifetime=1 auth=mac ok=1" "$(echo "$out" | brief 'seq|nonce')"
n8=$(echo "$out" | field nonce)
expired8() { [ "$(fwd 2001:db8:f0::b:8)" = "none none 0" ]; }
if busywait $((12000 * SCALE)) expired8; then
	pass "node 8 expired: no binding in cbu.ko, no route, no proxy entry"
else
	fail "node 8 not expired: $(fwd 2001:db8:f0::b:8)"
fi
check_eq "node 8 expired: counted in cbu.ko and the agent; eight bindings left" \
	"1 1 $MANY" \
	"$("$CBUCTL" -n "$map" -j stats | jqv .map_expired) $(mstat expired) \
$(mstat bindings)"
out=$(many 8 seq 4 nonce "$n8" klba "$k8")
check_eq "node 8 bound again, MAC'd: the record kept k_LBA" \
	"status=0 lifetime=30 auth=mac ok=1 $(many_want 8)" \
	"$(echo "$out" | brief 'seq|nonce') $(many_fwd 8)"
# Node 7: lifetime 0.
n7=$(field nonce <"$tmp/many7.out") k7=$(field klba <"$tmp/many7.out")
out=$(many 7 seq 3 lifetime 0 nonce "$n7" klba "$k7")
check_eq "node 7: lifetime 0 accepted, MAC'd; unbound: no binding, route nor proxy entry" \
	"status=0 lifetime=0 auth=mac ok=1 1 7: none none 0, " \
	"$(echo "$out" | brief 'seq|nonce') $(mstat unbound) $(many_fwd 7)"
kept="1 2 3 4 5 6 8"
# shellcheck disable=SC2086	# $kept: the nodes' numbers
check_eq "the others left alone, the node's binding too" \
	"$(many_want $kept)$LCOA1 $LCOA1 1" "$(many_fwd $kept)$(fwd)"

# --- 6. a clean stop unbinds at the MAP; a restart enters again ------------------

agent_term "$mn_pid" mn
unbound() { [ "$(fwd)" = "none none 0" ]; }
if busywait $((5000 * SCALE)) unbound; then
	pass "stopped: the MAP unbound the RCoA (its lifetime-0 BU)"
else
	fail "stopped: the MAP still binds the RCoA"
fi
check_eq "stopped: no cbu-hm0, no rule left" "0 0" \
	"$(ip -n "$mn" link show cbu-hm0 2>/dev/null | wc -l) \
$(ip -n "$mn" -6 rule show | grep -c 'lookup 196608')"
mv "$tmp/mn.log" "$tmp/mn1.log"
hits0=$(mstat cert_cache_hits) req0=$(mstat req_cert)
agent_start mn "$mn"
mn_pid=${AGENT_PIDS[-1]}
within 20000 "restarted: registered from the RCoA again" at_rcoa
check_eq "restarted: one entry; the MAP's Seq# taken from its 135" \
	"1 1" \
	"$(hstat entries) $(grep -c 'MAP .* has Seq#' "$tmp/mn.log")"
check_eq "restarted: no REQ_Cert, Cert_HA from the MAP's cache" \
	"$req0 true" "$(mstat req_cert) $([ "$(mstat cert_cache_hits)" -gt "$hits0" ] &&
		echo true)"

# --- 7. the MAP's agent killed under traffic, and started again ------------------

# cbu.ko, the route and the proxy entries carry on without the agent: the
# core's pings to the RCoA across the kill and the restart, none lost.  The
# new agent takes every binding back without k_LBA, with a new s_MAP, and
# deletes a route no binding holds (as a dead agent may leave one).  The
# node's next local BU gets a 138 it cannot MAC, signed; the node enters
# again with g^a (REQ_Cert again at the new agent), from LCoA2.
ip -n "$map" route add 2001:db8:f0::dead/128 encap ip6 src "$MAP" \
	dst "$LCOA1" dev cbu-map0
ip netns exec "$core" busybox ping -6 -q -c 40 -i 0.1 -W 2 "$RCOA" \
	>"$tmp/ping.out" 2>&1 &
ping_pid=$!
sleep 1
agent_kill "$map_pid"
sleep 1
cp "$tmp/map.conf" "$tmp/map2.conf"
agent_start map2 "$map"
map_pid=${AGENT_PIDS[-1]}
wait "$ping_pid" || true
ping_pid=''
check_eq "the core's 40 pings to the RCoA across the kill and the restart: none lost" \
	40 "$(rcvd)"
check_eq "map2: the node's binding and the seven others taken back, no fwd-errors" \
	"$MANY $MANY 0 $LCOA1 $LCOA1 1" \
	"$(mstat taken_back) $(mstat bindings) $(mstat fwd_errors) $(fwd)"
# shellcheck disable=SC2086	# $kept: the nodes' numbers
check_eq "map2: the seven others' bindings, routes and proxy entries as they were" \
	"$(many_want $kept)" "$(many_fwd $kept)"
check_eq "map2: the stale route deleted, and counted" "1 0" \
	"$(mstat stale_routes) \
$(ip -n "$map" -6 route show 2001:db8:f0::dead/128 | wc -l)"
# The taken-back binding holds the RCoA: another mobile node of ha's
# (2001:db8:1::11, from 2001:db8:a3::11) asking for it gets a signed 134.
ip -n "$others" addr add 2001:db8:a3::11/64 dev o1 nodad
other_at() {
	ip netns exec "$others" "$HMIP_SEND" 2001:db8:a3::11 "$MAP" "$RCOA" \
		2001:db8:1::11 "$HA" "$tmp/mn2.cert" "$tmp/mn2.key" "$@" \
		wait 1500 2>&1 || true
}
out=$(other_at seq 1 dh)
out=$(other_at seq 2 dh nonce "$(echo "$out" | field nonce)")
check_eq "map2: another node's BU for the RCoA: 134, signed; still at LCoA1" \
	"status=134 auth=sig ok=1 1 $LCOA1 $LCOA1 1" \
	"$(echo "$out" | brief 'seq|lifetime|nonce') $(mstat rcoa_taken) $(fwd)"
local_move "$LCOA2" mn2 2001:db8:a2::1 "$LCOA1" mn1
check_eq "a signed 138: entered again with g^a, a new k_LBA; no failure" \
	"2 2 0 1" \
	"$(hstat entries) $(hstat map_138) $(hstat map_failed) \
$(grep -c 'lost our key: entering again' "$tmp/mn.log")"
check_eq "map2: REQ_Cert again, one entry, moved" "1 1 1" \
	"$(mstat req_cert) $(mstat entries) $(mstat moved)"
check_eq "the home agent's binding untouched: the RCoA" "$RCOA" "$(ha_coa)"

# --- 8. a MAP stopped, then not answering: map-failed, a plain move ----------------

# A clean stop of the MAP's agent, eight bindings in place, removes all of
# its forwarding.
agent_term "$map_pid" map2
check_eq "map2 stopped: no cbu-map0, no proxy entry, no map in cbu.ko" \
	"0 0 false" \
	"$(ip -n "$map" link show cbu-map0 2>/dev/null | wc -l) \
$(ip -n "$map" -6 neigh show proxy dev core0 | wc -l) \
$("$CBUCTL" -n "$map" -j map show | jqv 'has("address")')"
ip -n "$mn" addr add "$LCOA1/64" dev mn1 nodad
ip -n "$mn" route replace default via 2001:db8:a1::1 dev mn1
ip -n "$mn" addr del "$LCOA2/64" dev mn2
plain() {
	[ "$(hstat map_failed)" = 1 ] &&
		[ "$(st "$mn" .mobile_node.coa)" = "$LCOA1" ] &&
		[ "$(ha_coa)" = "$LCOA1" ]
}
if busywait $((20000 * SCALE)) plain; then
	pass "no BA: map-failed, registered from LCoA1 itself"
else
	fail "no plain move: $(hstat map_failed) $(st "$mn" .mobile_node.coa)"
	tail -n 20 "$tmp/mn.log"
fi
check_eq "map-failed: the MAP left, cbu-hm0 gone" "off 0" \
	"$(hstat state) $(ip -n "$mn" link show cbu-hm0 2>/dev/null | wc -l)"
if busywait $((10000 * SCALE)) ping_from "$cn" 3; then
	pass "the HoA answers the CN at LCoA1"
else
	fail "no traffic after the plain move"
fi

# --- 9. the RCoA another node's: 134, a random one -------------------------------

# A new MAP agent; another mobile node of ha takes the RCoA first; the
# node started again asks for it, gets a signed 134, and enters with a
# random RCoA of the MAP's /64.
agent_term "$mn_pid" mn
mv "$tmp/mn.log" "$tmp/mn2.log"
cp "$tmp/map.conf" "$tmp/map3.conf"
agent_start map3 "$map"
map_pid=${AGENT_PIDS[-1]}
other() {
	CBU_CA_PUB=$tmp/ca.pub ip netns exec "$mn" "$HMIP_SEND" "$LCOA1" \
		"$MAP" "$RCOA" 2001:db8:1::11 "$HA" "$tmp/mn2.cert" \
		"$tmp/mn2.key" "$@" 2>&1
}
nonce=$(other seq 1 dh | sed -n 's/.* nonce=\([^ ]*\).*/\1/p')
check_eq "the other node binds the RCoA" "status=0" \
	"$(other seq 2 dh nonce "$nonce" | cut -d' ' -f1)"
agent_start mn "$mn"
mn_pid=${AGENT_PIDS[-1]}
at_random() {
	local r
	r=$(hstat rcoa)
	[ "$(hstat state)" = bound ] && [ "$r" != "$RCOA" ] &&
		[ "$(st "$mn" .mobile_node.coa)" = "$r" ] &&
		[ "$(st "$mn" .mobile_node.registered)" = true ]
}
within 20000 "134: bound and registered from a random RCoA" at_random
check_eq "its RCoA on the MAP's /64, forwarded to LCoA1; one 134 at map3" \
	"2001:db8:f0: $LCOA1 1 0" \
	"$(hstat rcoa | cut -d: -f1-3): $("$CBUCTL" -n "$map" -j map binding show \
	"$(hstat rcoa)" | jqv -r '.[0].lcoa') $(mstat rcoa_taken) \
$(hstat map_failed)"

# --- 10. map = discover: the MAP from RAs; entering, a local move, leaving ---------

# A new MAP agent (the RCoA free again), the node started with `map =
# discover` at LCoA1; the access routers (ra-send in ar1's and ar2's
# namespaces, on their links to the node) speak when the test says.
agent_term "$mn_pid" mn
agent_term "$map_pid" map3
cp "$tmp/map.conf" "$tmp/map4.conf"
agent_start map4 "$map"
map_pid=${AGENT_PIDS[-1]}
sed "s/^map = .*/map = discover/" "$tmp/mn.conf" >"$tmp/mnd.conf"
# ra NS ARGS...: ra-send ARGS in the access router NS.
ra() {
	local ns=$1
	shift
	ip netns exec "$ns" "$RA_SEND" "$@"
}
plain_at() {
	[ "$(st "$mn" .mobile_node.coa)" = "$1" ] &&
		[ "$(st "$mn" .mobile_node.registered)" = true ] &&
		[ "$(ha_coa)" = "$1" ]
}
agent_start mnd "$mn"
node=mnd
within 20000 "discover: no RA answered the RS, registered from LCoA1" \
	plain_at "$LCOA1"
check_eq "discover: one RS, no MAP, off" "discover 1 0 off null" \
	"$(hstat mode) $(hstat rs) $(hstat ra) $(hstat state) $(hstat map)"
ra "$ar1" mn0 map "$MAP" 7 600
within 20000 "discover: an RA names the MAP, entered, registered from the RCoA" \
	at_rcoa
check_eq "discover: the MAP discovered, bound from LCoA1, one entry" \
	"$MAP discovered bound $LCOA1 1 1 0" \
	"$(hstat map) $(hstat source) $(hstat state) $(hstat lcoa) \
$(hstat entries) $(hstat ra) $(hstat ra_bad)"
check_eq "map4: the RCoA forwarded to LCoA1" "$LCOA1" "$(map_lcoa)"
# The next link's router names the same MAP: the move there is local,
# no RS.
ra "$ar2" mn0 map 2001:db8:f0::99 0 600 map "$MAP" 5 600
local_move "$LCOA2" mn2 2001:db8:a2::1 "$LCOA1" mn1
check_eq "discover: a local move, no RS, the home agent's CoA the RCoA" \
	"2 1 1 $RCOA" \
	"$(hstat ra) $(hstat rs) $(hstat local_moves) $(ha_coa)"
# Refused whole, each counted: a malformed MAP option (length 2), and
# an RA from off the link (hop limit 254); each would be a leaving.
ra "$ar2" mn0 bad
ra "$ar2" mn0 hoplimit 254
ra_bad2() { [ "$(hstat ra_bad)" = 2 ]; }
busywait $((5000 * SCALE)) ra_bad2 || true
check_eq "discover: a malformed RA and one of hop limit 254: ra-bad, still bound" \
	"2 2 bound 0 $LCOA2" \
	"$(hstat ra_bad) $(hstat ra) $(hstat state) $(hstat leaves) $(map_lcoa)"
# A second router on the link (another link-local source) whose RA names
# no MAP: the first one's option stands, nothing changes.
ip -n "$ar2" addr add fe80::2/64 dev mn0 nodad
ra "$ar2" mn0 from fe80::2
ra3() { [ "$(hstat ra)" = 3 ]; }
busywait $((5000 * SCALE)) ra3 || true
# (gone again, or it would be the first router's source as well)
ip -n "$ar2" addr del fe80::2/64 dev mn0
check_eq "discover: a second router's RA without the option: still bound" \
	"3 bound 0 $LCOA2" \
	"$(hstat ra) $(hstat state) $(hstat leaves) $(map_lcoa)"
# The first router's RA without the option: none names a MAP, leaving.
ra "$ar2" mn0
within 20000 "discover: no MAP option, left: registered from LCoA2" \
	plain_at "$LCOA2"
within 5000 "discover: its lifetime-0 BU unbound the RCoA at the MAP" unbound
check_eq "discover: leaves 1, off, no failure; no cbu-hm0, no rule" \
	"1 off 0 0 0" \
	"$(hstat leaves) $(hstat state) $(hstat map_failed) \
$(ip -n "$mn" link show cbu-hm0 2>/dev/null | wc -l) \
$(ip -n "$mn" -6 rule show | grep -c 'lookup 196608')"
# A MAP option of 5 s (the entry takes about 2 s under emulation), after
# 3000 octets of options the node skips (ar2's link to the node is a
# jumbo link): entering again; the end of its valid lifetime, leaving
# again.
ra "$ar2" mn0 pad 3000 map "$MAP" 7 5
within 20000 "discover: an option of 5 s, entered again from LCoA2" at_rcoa
left_again() { [ "$(hstat leaves)" = 2 ] && plain_at "$LCOA2"; }
within 15000 "discover: its valid lifetime ended, left: at LCoA2 again" \
	left_again
within 5000 "discover: unbound at the MAP again" unbound

# --- 11. a MAP's grant of 12 s: the refresh at 3/4 of it --------------------------

# A MAP agent whose max-lifetime is 12 s grants that (3 units of 4 s) to
# the node's 400 s; the node, entering again from LCoA2 at ar2's RA,
# refreshes at 3/4 of the grant, 9 s, with 3 s left: a BU from the same
# LCoA, its BA MAC'd (no entry), and the binding outlives the first grant.
# now: the guest's clock in ms, in $now (no process started).
now() { now=${EPOCHREALTIME//[!0-9]/}; now=$((now / 1000)); }
now
t9=$now
agent_term "$map_pid" map4
sed "s/^max-lifetime = .*/max-lifetime = 12/" "$tmp/map.conf" \
	>"$tmp/map5.conf"
agent_start map5 "$map"
ra "$ar2" mn0 map "$MAP" 7 600
# The binding's seconds left at the MAP (cbu.ko's, rounded up).
left() {
	"$CBUCTL" -n "$map" -j map binding show "$RCOA" 2>/dev/null |
		jqv -r '.[0].lifetime // empty'
}
bound_at_lcoa2() {
	[ "$(hstat state)" = bound ] && [ "$(map_lcoa)" = "$LCOA2" ]
}
within 20000 "grant of 12 s: an RA names the MAP, bound from LCoA2" \
	bound_at_lcoa2
# look: the seconds left at the MAP in $l, read between $lt0 and $lt1 (ms);
# cbu.ko rounds up, so the binding ends in (lt0 + l - 1 s, lt1 + l s].
look() {
	now; lt0=$now
	l=$(left)
	now; lt1=$now
}
look
grant=${l:-0}
end_lo=$((lt0 + (grant - 1) * 1000)) end_hi=$((lt1 + grant * 1000))
ba9=$(hstat map_ba)
entries9=$(hstat entries)
refreshed9=$(mstat refreshed)
check_eq "grant of 12 s: map5 bound the RCoA for 12 s (11 or 12 left)" true \
	"$([ "$grant" -ge 11 ] && [ "$grant" -le 12 ] && echo true)"
# renewed: the binding at the MAP has 3 s more left than at the last look
# ($before; each look before it narrows the first grant's end; the
# refresh came between $prev, that look's start, and the end of this
# one).  (A BU of the entry sent again while the first was held would
# renew it by a second.)
before=$grant prev=$lt0
renewed() {
	look
	if [ "${l:-0}" -ge $((before + 3)) ]; then
		return 0
	fi
	before=${l:-0} prev=$lt0
	if [ "$before" -gt 0 ]; then
		[ $((lt0 + (l - 1) * 1000)) -gt "$end_lo" ] &&
			end_lo=$((lt0 + (l - 1) * 1000))
		[ $((lt1 + l * 1000)) -lt "$end_hi" ] && end_hi=$((lt1 + l * 1000))
	fi
	return 1
}
within 15000 "grant of 12 s: the binding renewed at the MAP" renewed
# What the first grant had left at the refresh: between end_lo - lt1 and
# end_hi - prev.  At 3/4 of 12 s, 3 s (less the BU's way to the MAP);
# at 1/2, 6 s; none, the binding gone.
lo=$((end_lo - lt1)) hi=$((end_hi - prev))
mid=$(((lo + hi) / 2))
if [ "$mid" -ge 2000 ] && [ "$mid" -le 4000 ] && [ "${l:-0}" -ge 11 ]; then
	pass "grant of 12 s: refreshed at about 3/4 of it: $mid ms left ($lo to $hi), then $l s"
else
	fail "grant of 12 s: not refreshed at 3/4 of it: $mid ms left ($lo to $hi), then '$l' s"
fi
check_eq "grant of 12 s: the MAP counted one refresh" 1 \
	"$(($(mstat refreshed) - refreshed9))"
check_eq "grant of 12 s: the refresh's BA taken at the node; no entry, no failure" \
	"true $entries9 0" \
	"$([ "$(hstat map_ba)" -gt "$ba9" ] && echo true) $(hstat entries) \
$(hstat map_failed)"
# Past the first grant's end, and cbu.ko's expiry (each second) and the
# MAP's tick (each second) after it: still bound.
past_grant() { now; [ "$now" -gt $((end_hi + 2000)) ]; }
busywait $((20000 * SCALE)) past_grant || true
check_eq "grant of 12 s: bound past its end at the MAP and the node, none expired" \
	"$LCOA2 1 0 1 bound 0" \
	"$(map_lcoa) $(mstat bindings) $(mstat expired) $(mstat entries) \
$(hstat state) $(hstat map_failed)"
now
echo "# part 11: $(((now - t9) / 1000)) s"

agents_stop
agents_clean ha ha2 cn map map2 map3 map4 map5 mn mn1 mn2 mnd
check_dmesg "no kernel complaints"
exit $RET
