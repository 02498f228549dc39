#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cbu.ko on an HMIPv6 mobility anchor point (draft section 5; design
# hmip.md items 53 and 54), part 1: the map object and the hand-up.  A
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
#      mn                         map                          core
#   mn0 2001:db8:5::10 ---- d0 2001:db8:5::1
#   (the LCoA)              (domain interface; dm0, a dummy, another)
#                           c0 2001:db8:9::1 (the MAP) ---- core0 2001:db8:9::2
#   RCoA prefix 2001:db8:9::/64, RCoA 2001:db8:9::100; tn0 (dummy) the tunnel
#   HoA 2001:db8:1::10, HA 2001:db8:1::1

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

LCOA=2001:db8:5::10
MAP=2001:db8:9::1
CORE=2001:db8:9::2
RCOA=2001:db8:9::100
HOA=2001:db8:1::10
HA=2001:db8:1::1

tmp=$(mktemp -d)
cleanup() {
	set +e
	[ -n "${MON_PID:-}" ] && kill "$MON_PID" 2>/dev/null
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
	cbuctl -n "$ns" -j stats | jq -r "[${q%,}] | map(tostring) | join(\" \")"
}
show() { cbuctl -n "$map" -j map show; }
# local_bu NS SRC RCOA [COUNT [nosig]]: local BUs to the MAP; prints the MH
local_bu() {
	local ns=$1 src=$2 rcoa=$3
	shift 3
	ip netns exec "$ns" "$MH_SEND" "$src" "$MAP" hmip-bu "$rcoa" "$HOA" \
		"$HA" 1 100 "$@"
}
# counted NS COUNTER VALUE: the counter reaches VALUE (the hook is
# synchronous, but the packet crosses a veth first)
# counted WHAT NS VALUES COUNTER...: the counters reach VALUES (the hook
# is synchronous, but the packet crosses a veth first)
counted() {
	local what=$1 ns=$2 want=$3 got
	shift 3
	got=$(stats "$ns" "$@")
	if [ "$got" != "$want" ]; then
		sleep 0.3
		got=$(stats "$ns" "$@")
	fi
	check_eq "$what ($*)" "$want" "$got"
}

check_eq "feature map offered" map \
	"$(cbuctl -j version | jq -r '.module.features[] | select(. == "map")')"

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
check_eq "the map kept" tn0 "$(show | jq -r .tunnel)"
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

# 7. A namespace deleted with its map; the module unloaded with one.
# (Not setup_ns's: cleanup_ns would find it gone.)
gone=gone-$(mktemp -u XXXXXX)
ip netns add "$gone"
ip -n "$gone" link add g0 type dummy
cbuctl -n "$gone" map set address "$MAP" rcoa-prefix 2001:db8:9::/64 \
	interface g0
ip netns del "$gone"
cbuctl -n "$map" map set "${OK_ARGS[@]}" interface d0 tunnel tn0
local_bu "$mn" "$LCOA" "$RCOA" >/dev/null
cleanup_ns
if cbu_unload; then
	pass "rmmod with a map set"
else
	fail "rmmod with a map set"
fi
check_dmesg "no warning in the kernel log"
exit $RET
