#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cbu.ko on an HMIPv6 mobility anchor point (draft section 5; design
# hmip.md items 53 and 54).  Part 1: the map object and the hand-up.  A
# local BU (M flag) with CBU's signature option to the MAP's address, from
# a domain interface, its HAO in the RCoA prefix, goes to the agent on the
# mh group (map_bu, at its source's rate); one from another interface or
# with its HAO outside the prefix is dropped (map_outside); RFC 5380's own,
# without the signature, goes on to the stack (not_cbu); a MAP's BA (its
# CBU nonce option) is left to the socket (mh_to_socket).  cbuctl map
# refuses bad input, changing nothing; the map goes with its namespace and
# with the module.  The local BUs come from mh-send (cbu's encoder): cbu.ko
# checks the options' presence and form, not the signature (the agent's).
#
# Part 2: the bindings (RCoA -> LCoA) and the checks of the map's tunnel,
# with the agent's data path made by hand: cbu-map0, an ip6tnl device in
# collect_md mode, and a route "RCoA/128 encap ip6 dst LCoA dev cbu-map0";
# the mobile node's ip6ip6 tunnel hm0 (LCoA -> MAP) carries the RCoA.
# Traffic follows a rebind; a packet from the tunnel whose outer source is
# not the LCoA bound for its inner source (map_spoofed) and one routed
# into the tunnel to an RCoA not bound there (a stale route: map_unbound)
# are dropped, as is IPv4 over the tunnel; a binding expires with an
# event (map_expired); unbind; bad input refused with its reason and no
# change; the map deleted, a namespace deleted and the module unloaded
# with bindings, under traffic.
#
#      mn                         map                          core
#   mn0 2001:db8:5::10 ---- d0 2001:db8:5::1
#   (the LCoA; ::11 the next) (domain interface; dm0, a dummy, another)
#                           c0 2001:db8:9::1 (the MAP) ---- core0 2001:db8:9::2
#   hm0 (ip6ip6 LCoA->MAP)  cbu-map0 (ip6tnl external)
#   RCoA prefix 2001:db8:9::/64, RCoA 2001:db8:9::100 (on hm0); tn0 (dummy)
#   the tunnel of part 1; HoA 2001:db8:1::10, HA 2001:db8:1::1

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

LCOA=2001:db8:5::10
LCOA2=2001:db8:5::11
RCOA2=2001:db8:9::200
MAP=2001:db8:9::1
CORE=2001:db8:9::2
RCOA=2001:db8:9::100
HOA=2001:db8:1::10
HA=2001:db8:1::1

tmp=$(mktemp -d)
cleanup() {
	set +e
	[ -n "${MON_PID:-}" ] && kill "$MON_PID" 2>/dev/null
	[ -n "${PING_PID:-}" ] && kill "$PING_PID" 2>/dev/null
	[ -n "${gone:-}" ] && ip netns del "$gone" 2>/dev/null
	cleanup_ns
	cbu_unload 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

require_root
require_cmd ip jq
[ -x "$CBUCTL" ] || skip "no cbuctl at $CBUCTL"
[ -x "$MH_SEND" ] || skip "no mh-send at $MH_SEND"
modprobe -q veth 2>/dev/null || true
modprobe -q dummy 2>/dev/null || true
dmesg_mark
cbu_load

mn='' map='' core=''
setup_ns mn map core
link "$mn" mn0 "$LCOA" "$map" d0 2001:db8:5::1
link "$map" c0 "$MAP" "$core" core0 "$CORE"
ip -n "$map" link add dm0 type dummy
ip -n "$map" link add tn0 type dummy
ip -n "$mn" route add default via 2001:db8:5::1
ip netns exec "$map" sysctl -qw net.ipv6.conf.all.forwarding=1

# Each program started costs a good part of a second under QEMU's TCG:
# counters are read together, one cbuctl and one jq.
stats() {	# stats NS COUNTER...: their values, space-separated
	local ns=$1 q
	shift
	q=$(printf '.%s,' "$@")
	cbuctl -n "$ns" -j stats | jqv -r "[${q%,}] | map(tostring) | join(\" \")"
}
show() { cbuctl -n "$map" -j map show; }
# local_bu NS SRC RCOA [COUNT [nosig]]: local BUs to the MAP; prints the MH
local_bu() {
	local ns=$1 src=$2 rcoa=$3
	shift 3
	ip netns exec "$ns" "$MH_SEND" "$src" "$MAP" hmip-bu "$rcoa" "$HOA" \
		"$HA" 1 100 "$@"
}
# counted WHAT NS VALUES COUNTER...: the counters reach VALUES within 3 s
# (the hook is synchronous, but the packet crosses a veth first; after
# cbu_roles.sh in the same guest the first BU was counted later than the
# single 0.3 s retry this allowed until 2026-12-07, on both kernels)
counted() {
	local what=$1 ns=$2 want=$3 got=''
	shift 3
	reached() { got=$(stats "$ns" "$@"); [ "$got" = "$want" ]; }
	busywait $((3000 * ${CBU_TIMEOUT_SCALE:-1})) reached "$@" || true
	check_eq "$what ($*)" "$want" "$got"
}

check_eq "feature map offered" map \
	"$(cbuctl -j version | jqv -r '.module.features[] | select(. == "map")')"

# 1. Without a map, today's behaviour: a local BU is RFC 5380's, not ours
# (a home prefix elsewhere only makes the hooks run).
cbuctl -n "$map" home add 2001:db8:77::/64
local_bu "$mn" "$LCOA" "$RCOA" >/dev/null
counted "no map: a signed local BU left to the stack, not up, not dropped" \
	"$map" "1 0 0" not_cbu map_bu map_outside
cbuctl -n "$map" home del 2001:db8:77::/64

# 2. Bad input is refused, with the reason, and changes nothing.
refused() {	# refused WHAT STATUS MESSAGE ARGS...: map set ARGS refused
	local what=$1 want=$2 msg=$3 out st=0
	shift 3
	out=$("$CBUCTL" -n "$map" map set "$@" 2>&1) || st=$?
	if [ "$st" = "$want" ] && [[ $out == *"$msg"* ]]; then
		pass "refused: $what"
	else
		fail "refused: $what: status $st, \"$out\""
	fi
}
OK_ARGS=(address "$MAP" rcoa-prefix 2001:db8:9::/64)
refused "no interface" 2 "at least one interface" "${OK_ARGS[@]}"
refused "no such interface" 2 'interface "nosuch": no such network interface' \
	"${OK_ARGS[@]}" interface nosuch
NINE=()
for _ in 1 2 3 4 5 6 7 8 9; do NINE+=(interface d0); done
refused "nine interfaces" 2 "at most 8 domain interfaces" "${OK_ARGS[@]}" \
	"${NINE[@]}"
refused "multicast address" 1 "address: cbu: map address must be unicast" \
	address ff02::1 rcoa-prefix 2001:db8:9::/64 interface d0
refused "multicast prefix" 1 "RCoA prefix must be unicast" address "$MAP" \
	rcoa-prefix ff00::/8 interface d0
refused "an interface twice" 1 "interface: cbu: domain interface named twice" \
	"${OK_ARGS[@]}" interface d0 interface d0
refused "tunnel a domain interface" 1 \
	"tunnel: cbu: the tunnel is not a domain interface" \
	"${OK_ARGS[@]}" interface d0 tunnel d0
out=$("$CBUCTL" -n "$map" map del 2>&1) && st=0 || st=$?
check_eq "del without a map refused" \
	"1 cbuctl: map del: cbu: no map set (No such file or directory)" \
	"$st $out"
check_eq "nothing set by the refusals" "{}" "$(show)"

# 3. Set, show, replace.
cbuctl -n "$map" map set "${OK_ARGS[@]}" interface d0 interface dm0 tunnel tn0
check_eq "map show -j" \
	"{\"address\":\"$MAP\",\"rcoa_prefix\":\"2001:db8:9::\",\"rcoa_prefix_len\":64,\"interfaces\":[\"d0\",\"dm0\"],\"tunnel\":\"tn0\"}" \
	"$(show)"
check_eq "map show" \
	"address $MAP rcoa-prefix 2001:db8:9::/64 interface d0 interface dm0 tunnel tn0" \
	"$(cbuctl -n "$map" map show)"
refused "a bad replacement" 1 "RCoA prefix must be unicast" address "$MAP" \
	rcoa-prefix ff00::/8 interface d0
check_eq "the map kept" tn0 "$(show | jqv -r .tunnel)"
cbuctl -n "$map" map set "${OK_ARGS[@]}" interface d0
check_eq "replaced" '["d0"] null' "$(show | jq -c '.interfaces, .tunnel' | tr '\n' ' ' | sed 's/ $//')"

# 4. The hand-up, seen by a listener on the mh group.
"$CBUCTL" -n "$map" monitor mh >"$tmp/mh" 2>&1 &
MON_PID=$!
busywait 10000 cbu_subscribed "$map" "$(cbu_group_mask mh)" ||
	fail "monitor did not subscribe"
hex=$(local_bu "$mn" "$LCOA" "$RCOA")
busywait 3000 grep -q '^mh ' "$tmp/mh" || true
check_eq "what the agent got" \
	"mh src $LCOA dst $MAP hoa $RCOA len $((${#hex} / 2)) type 5" \
	"$(head -n 1 "$tmp/mh")"

counted "local BU from the domain handed up" "$map" "1 0 1" \
	map_bu map_outside not_cbu
# RFC 5380's own (no CBU option) goes to the stack, not up.
local_bu "$mn" "$LCOA" "$RCOA" 1 nosig >/dev/null
# From the domain, the HAO outside the RCoA prefix; from the core side.
local_bu "$mn" "$LCOA" 2001:db8:8::100 >/dev/null
local_bu "$core" "$CORE" "$RCOA" >/dev/null
counted "without SIG left to the stack; outside prefix, from core dropped" \
	"$map" "1 2 2" map_bu map_outside not_cbu
check_eq "none of them handed up" 1 "$(grep -c '^mh ' "$tmp/mh")"

# The MH limiter: 64 at once, then 32 a second, per source.
local_bu "$mn" "$LCOA" "$RCOA" 200 >/dev/null
sleep 0.3
read -r up limited < <(stats "$map" map_bu mh_limited)
up=$((up - 1))
check_eq "burst of 200: each handed up or limited" 200 $((up + limited))
check_eq "burst of 200: 64 and a second's refill at most handed up" true \
	"$([ "$up" -ge 64 ] && [ "$up" -le 96 ] && echo true || echo "no: $up")"
kill "$MON_PID"
wait "$MON_PID" 2>/dev/null || true
MON_PID=

# 5. A MAP's BA (a CBU nonce option) is the MN's agent's: left to the socket.
ip netns exec "$core" "$MH_SEND" "$CORE" "$MAP" map-ba "$HOA" 1 100 >/dev/null
counted "a MAP's BA left to the socket, not a correspondent's" "$map" \
	"1 0 0" mh_to_socket ba_stale malformed

# 6. Del: no map, today's behaviour again (and no hook: nothing counted).
cbuctl -n "$map" map del
check_eq "deleted" "{}" "$(show)"
before=$(cbuctl -n "$map" -j stats)
local_bu "$mn" "$LCOA" "$RCOA" >/dev/null
local_bu "$core" "$CORE" "$RCOA" >/dev/null
sleep 0.2
check_eq "after del, nothing counted" "$before" "$(cbuctl -n "$map" -j stats)"

# Part 2.  7. Binding refused without a map; then the data path by hand.
bind() { cbuctl -n "$map" map binding add "$1" lcoa "$2" hoa "$HOA" lifetime "${3:-60}"; }
bindings() { cbuctl -n "$map" -j -s map binding show; }
brefused() {	# brefused WHAT MESSAGE ARGS...: map binding ARGS refused
	local what=$1 msg=$2 out st=0
	shift 2
	out=$("$CBUCTL" -n "$map" map binding "$@" 2>&1) || st=$?
	if [ "$st" = 1 ] && [[ $out == *"$msg"* ]]; then
		pass "refused: $what"
	else
		fail "refused: $what: status $st, \"$out\""
	fi
}
brefused "bind without a map" "cbu: no map set" \
	add "$RCOA" lcoa "$LCOA" hoa "$HOA" lifetime 60
# The mobile node's side: hm0 from LCOA (mn_at), the RCoA on it, the core
# through it.  The MAP's: cbu-map0 and a route per binding (route_to).
mn_at() {
	ip -n "$mn" link del hm0 2>/dev/null || true
	ip -n "$mn" link add hm0 type ip6tnl mode ip6ip6 local "$1" remote "$MAP"
	ip -n "$mn" link set hm0 up
	ip -n "$mn" addr add "$RCOA/128" dev hm0 nodad
	ip -n "$mn" route add "$CORE/128" dev hm0 src "$RCOA"
}
route_to() {
	ip -n "$map" route replace "$RCOA/128" encap ip6 src "$MAP" dst "$1" \
		hoplimit 64 dev cbu-map0
}
# pings FROM COUNT: FROM (mn: from the RCoA to the core; core: to the
# RCoA) sends COUNT pings; prints how many were answered.
pings() {
	local out
	if [ "$1" = mn ]; then
		out=$(ip netns exec "$mn" busybox ping -6 -q -c "$2" -i 0.1 -W 1 \
			-I "$RCOA" "$CORE" 2>&1) || true
	else
		out=$(ip netns exec "$core" busybox ping -6 -q -c "$2" -i 0.1 \
			-W 1 "$RCOA" 2>&1) || true
	fi
	sed -n 's/.* \([0-9]*\) packets received.*/\1/p' <<<"$out"
}
ip -n "$mn" addr add "$LCOA2/64" dev mn0 nodad
mn_at "$LCOA"
# "mode any": it takes IPv4 too, which the checks must drop (the agent's,
# in ip6ip6 mode, would not even decapsulate it).
ip -n "$map" link add cbu-map0 type ip6tnl mode any external
ip -n "$map" link set cbu-map0 up
ip -n "$core" route add "$RCOA/128" via "$MAP"
cbuctl -n "$map" map set "${OK_ARGS[@]}" interface d0 tunnel cbu-map0
cbuctl -n "$map" stats reset

# 8. Bad input refused, with the reason, changing nothing.
brefused "RCoA outside the RCoA prefix" \
	"add: RCOA: cbu: RCoA outside the map's RCoA prefix" \
	add 2001:db8:8::100 lcoa "$LCOA" hoa "$HOA" lifetime 60
brefused "LCoA inside the RCoA prefix" \
	"add: lcoa: cbu: LCoA inside the map's RCoA prefix" \
	add "$RCOA" lcoa 2001:db8:9::5 hoa "$HOA" lifetime 60
brefused "the MAP's address as RCoA" \
	"add: RCOA: cbu: RCoA is the map's own address" \
	add "$MAP" lcoa "$LCOA" hoa "$HOA" lifetime 60
brefused "lifetime 0" "lifetime: " \
	add "$RCOA" lcoa "$LCOA" hoa "$HOA" lifetime 0
brefused "multicast LCoA" "lcoa: cbu: address must be unicast" \
	add "$RCOA" lcoa ff02::1 hoa "$HOA" lifetime 60
brefused "unbind of nothing" "cbu: no such map binding" del "$RCOA"
check_eq "nothing bound by the refusals" "[]" "$(bindings)"

# 9. A stale route (no binding): nothing into the tunnel; nothing out of
# it from an RCoA not bound.
route_to "$LCOA"
check_eq "no binding: the core's pings not carried" 0 "$(pings core 1)"
check_eq "no binding: the mobile node's not let in" 0 "$(pings mn 1)"
counted "dropped by the checks" "$map" "1 1" map_unbound map_spoofed

# 10. Bound: both ways, counted per binding.
bind "$RCOA" "$LCOA"
check_eq "bound: the mobile node's pings answered" 3 "$(pings mn 3)"
check_eq "binding show -s -j" \
	"[{\"rcoa\":\"$RCOA\",\"lcoa\":\"$LCOA\",\"hoa\":\"$HOA\",\"packets\":6,\"bytes\":624}]" \
	"$(bindings | jq -c 'map(del(.lifetime))')"
check_eq "lifetime: seconds left" true \
	"$(bindings | jqv '.[0].lifetime | . > 50 and . <= 60')"
check_eq "binding show RCOA" "$RCOA lcoa $LCOA hoa $HOA" \
	"$(cbuctl -n "$map" map binding show "$RCOA" | sed 's/ lifetime [0-9]*$//')"
out=$("$CBUCTL" -n "$map" map set address "$MAP" rcoa-prefix 2001:db8:8::/64 \
	interface d0 tunnel cbu-map0 2>&1) && st=0 || st=$?
check_eq "the RCoA prefix kept while bound" \
	"1 cbuctl: map set: cbu: the map has bindings: its RCoA prefix cannot change (Device or resource busy)" \
	"$st $out"

# 11. A move: the binding first, then the route (as the agent does).  In
# between, the route is stale and the mobile node's old LCoA not bound.
bind "$RCOA" "$LCOA2"
check_eq "moved, the route not yet: the core's pings not carried" 0 \
	"$(pings core 1)"
check_eq "moved, from the old LCoA: not let in (a spoofed outer source)" 0 \
	"$(pings mn 1)"
counted "dropped by the checks" "$map" "2 2" map_unbound map_spoofed
mn_at "$LCOA2"
route_to "$LCOA2"
check_eq "traffic follows the rebind" 3 "$(pings mn 3)"
check_eq "the core reaches the RCoA at its new LCoA" 2 "$(pings core 2)"
check_eq "one binding, its counters kept" "1 $LCOA2 16" \
	"$(bindings | jqv -r '"\(length) \(.[0].lcoa) \(.[0].packets)"')"

# 12. Expiry: the binding goes, an event says so, counted.
"$CBUCTL" -n "$map" monitor events >"$tmp/ev" 2>&1 &
MON_PID=$!
busywait 10000 cbu_subscribed "$map" "$(cbu_group_mask events)" ||
	fail "monitor did not subscribe"
bind "$RCOA2" "$LCOA" 1
busywait 5000 grep -q '^map_expired ' "$tmp/ev" || true
check_eq "the event" "map_expired rcoa $RCOA2 lcoa $LCOA hoa $HOA" \
	"$(head -n 1 "$tmp/ev")"
check_eq "expired, counted; the other kept" "1 [\"$RCOA\"]" \
	"$(stats "$map" map_expired) $(bindings | jq -c 'map(.rcoa)')"
kill "$MON_PID"
wait "$MON_PID" 2>/dev/null || true
MON_PID=

# 13. Unbind: the route carries nothing again.
cbuctl -n "$map" map binding del "$RCOA"
check_eq "unbound" "[]" "$(bindings)"
check_eq "unbound: neither way" "0 0" "$(pings core 1) $(pings mn 1)"
counted "dropped by the checks" "$map" "3 3" map_unbound map_spoofed
# IPv4 over the tunnel (cbu-map0 is in "any" mode): no binding covers it.
ip -n "$mn" link add hm4 type ip6tnl mode ipip6 local "$LCOA" remote "$MAP"
ip -n "$mn" addr add 192.0.2.10/32 dev hm4
ip -n "$mn" link set hm4 up
ip -n "$mn" route add 198.51.100.0/24 dev hm4
ip netns exec "$mn" busybox ping -4 -q -c 1 -W 1 198.51.100.2 \
	>/dev/null 2>&1 || true
counted "IPv4 from the tunnel dropped" "$map" "3 4" map_unbound map_spoofed

# 14. The map deleted with bindings: they go with it, and the checks.
bind "$RCOA" "$LCOA2"
cbuctl -n "$map" map del
cbuctl -n "$map" map set "${OK_ARGS[@]}" interface d0 tunnel cbu-map0
check_eq "bindings gone with the map" "[]" "$(bindings)"
cbuctl -n "$map" map del
check_eq "no map, no checks: the stale route carries" 2 "$(pings core 2)"

# 15. A namespace deleted with its map and bindings; the module unloaded
# and a namespace deleted with bindings under traffic.  (Not setup_ns's:
# cleanup_ns would find it gone.)
gone=gone-$(mktemp -u XXXXXX)
ip netns add "$gone"
ip -n "$gone" link add g0 type dummy
ip -n "$gone" link add g1 type ip6tnl external
cbuctl -n "$gone" map set address "$MAP" rcoa-prefix 2001:db8:9::/64 \
	interface g0 tunnel g1
cbuctl -n "$gone" map binding add "$RCOA" lcoa "$LCOA" hoa "$HOA" lifetime 60
ip netns del "$gone"
traffic() {	# traffic: 1.5 s of pings from the mobile node, in the background
	ip netns exec "$mn" busybox ping -6 -q -c 30 -i 0.05 -W 1 -I "$RCOA" \
		"$CORE" >/dev/null 2>&1 &
	PING_PID=$!
	sleep 0.5
}
cbuctl -n "$map" map set "${OK_ARGS[@]}" interface d0 tunnel cbu-map0
bind "$RCOA" "$LCOA2"
traffic
if cbu_unload; then
	pass "rmmod with bindings, under traffic"
else
	fail "rmmod with bindings, under traffic"
fi
wait "$PING_PID" || true
cbu_load
cbuctl -n "$map" map set "${OK_ARGS[@]}" interface d0 tunnel cbu-map0
bind "$RCOA" "$LCOA2"
traffic
ip netns del "$map"
wait "$PING_PID" || true
cleanup_ns || true	# the map's namespace is gone already
if cbu_unload; then
	pass "rmmod after a namespace deleted with bindings, under traffic"
else
	fail "rmmod after a namespace deleted with bindings, under traffic"
fi
check_dmesg "no warning in the kernel log"
exit $RET
