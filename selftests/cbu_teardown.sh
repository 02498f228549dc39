#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Teardown under traffic: cbu.ko is unloaded, and a correspondent's network
# namespace deleted, again and again while BUs, BCs, FWDs, packets with a
# Home Address option and the correspondent's own traffic to the home
# addresses flood it, on both CPUs.  A hook still running on one CPU while
# the other frees what it reads, or work queued after the worker was
# stopped, shows in the kernel log (KASAN, lockdep, debug objects on the
# test kernel); nothing may leak (the caches empty, kmemleak after the
# script).
#
#   flood 2001:db8:3::10 -- veth -- 2001:db8:2::20 node (cbu: keys for
#   (the CoAs, sending)                      2001:db8:1::1..4 as CN)

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-8}
CN=2001:db8:2::20
COA=2001:db8:3::10
HOAS=(2001:db8:1::1 2001:db8:1::2 2001:db8:1::3 2001:db8:1::4)
K_BU=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
K_BA=ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100
# A Mobility Header of type 11 with 8 octets of nothing: load only.
MH_RAW=3b000b0000000000
# The node is a mobile correspondent too: its own pair (HoA CN, CoA
# OWN_COA) is what a FWD is checked against.  A FWD (11/14) for HOAS[1]
# whose MAC_BU never verifies: cbu.ko reads the own pair and the keys
# under RCU for each, while both are freed.
OWN_COA=2001:db8:2::21
FWD_RAW=3b070b0000000e01$(printf '%s' 20010db8000100000000000000000002 \
	20010db8000300000000000000000010 00112233445566778899aabbccddeeff \
	0001001001020000)
tmp=$(mktemp -d)
pids=()

stop_flood() {
	local p
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	pids=()
}

cleanup() {
	set +e
	stop_flood
	cleanup_ns
	cbu_unload 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

require_root
require_cmd ip xxd jq
[ -x "$CBUCTL" ] || skip "no cbuctl at $CBUCTL"
[ -x "$MH_SEND" ] || skip "no mh-send at $MH_SEND"
[ "$(nproc)" -ge 2 ] || skip "needs two CPUs"
modprobe -q veth 2>/dev/null || true
dmesg_mark
cbu_load

xxd -r -p <<<"$K_BU" | base64 >"$tmp/k_bu"
xxd -r -p <<<"$K_BA" | base64 >"$tmp/k_ba"

flood=''
setup_ns flood

# node_up NS N: NS as the correspondent, linked to flood (by its veth flN:
# a deleted namespace's veth goes some time after), keys for HOAS.
node_up() {
	local ns=$1 fl=fl$2 hoa
	ip link add cn0 netns "$ns" type veth peer name "$fl" netns "$flood"
	ip -n "$ns" addr add "$CN/64" dev cn0 nodad
	ip -n "$ns" addr add "$OWN_COA/64" dev cn0 nodad
	ip -n "$ns" link set cn0 up
	ip -n "$flood" addr add "$COA/64" dev "$fl" nodad
	ip -n "$flood" link set "$fl" up
	ip -n "$ns" route add 2001:db8:1::/64 via "$COA" dev cn0 onlink
	ip -n "$flood" route replace 2001:db8:2::/64 dev "$fl"
	for hoa in "${HOAS[@]}"; do
		cbuctl -n "$ns" key add "$hoa" "$CN" role cn k-bu "$tmp/k_bu" \
			k-ba "$tmp/k_ba" lt-en 1024
	done
	cbuctl -n "$ns" own set "$CN" coa "$OWN_COA"
}

# flood_start NS: every kind of packet the hooks take, from both sides.
# The senders run at nice 19: they take every cycle the rest leaves, on
# both CPUs, but the teardown itself (rmmod, netns cleanup, RCU and the
# kernel's workers) is not starved by the six of them, whose share of a
# slow guest would otherwise decide how long each round takes.
flood() {
	ip netns exec "$1" nice -n 19 "$MH_SEND" "${@:2}" >/dev/null 2>&1 &
	pids+=($!)
}
flood_start() {
	local ns=$1 hoa
	for hoa in "${HOAS[@]:0:2}"; do
		flood "$flood" "$COA" "$CN" bu "$hoa" 1 100 "$K_BU" 100000000
	done
	flood "$flood" "$COA" "$CN" bc "${HOAS[2]}" 1 "$K_BA" 100000000
	flood "$flood" "$COA" "$CN" data "${HOAS[3]}" 100000000
	flood "$flood" "$COA" "$CN" raw "$FWD_RAW" 100000000
	# The correspondent's own traffic to the home addresses (LOCAL_OUT).
	flood "$ns" "$CN" "${HOAS[0]}" raw "$MH_RAW" 100000000
}

bound() {
	cbuctl -n "$1" -j binding show "${HOAS[0]}" "$CN" 2>/dev/null |
		grep -q '"coa"'
}
fwd_taken() { [ "$(cbuctl -n "$1" -j -s stats | jqv .fwd)" -gt 0 ]; }

# 1. rmmod while the flood goes on, ROUNDS times.
node=''
setup_ns node
unloaded=0 fwds=0 wait_ms=$((5000 * ${CBU_TIMEOUT_SCALE:-1}))
for r in $(seq 1 "$ROUNDS"); do
	cbu_loaded || insmod "$CBU_KO"
	ip -n "$node" link del cn0 2>/dev/null || true
	node_up "$node" "$r"
	flood_start "$node"
	# Six senders at nice 19 start slowly on the debug kernel.
	busywait "$wait_ms" bound "$node" || true
	busywait "$wait_ms" fwd_taken "$node" && fwds=$((fwds + 1))
	sleep 0.3
	rmmod cbu && unloaded=$((unloaded + 1))
	stop_flood
done
check_eq "unloaded under traffic, every round" "$ROUNDS" "$unloaded"
check_eq "FWDs checked against the own pair before each rmmod" "$ROUNDS" "$fwds"

# 2. The correspondent's namespace deleted while the flood goes on.
cbu_load
deleted=0
for r in $(seq 1 "$ROUNDS"); do
	node=''
	setup_ns node
	node_up "$node" $((ROUNDS + r))
	flood_start "$node"
	busywait 5000 bound "$node" || true
	sleep 0.3
	ip netns del "$node" && deleted=$((deleted + 1))
	stop_flood
done
check_eq "namespaces deleted under traffic, every round" "$ROUNDS" "$deleted"

# Nothing left behind: the caches empty once RCU has run.
slab_objs() {
	[ -w "/sys/kernel/slab/$1/shrink" ] && echo 1 >"/sys/kernel/slab/$1/shrink"
	awk -v c="$1" '$1 == c {print $2; f = 1} END {if (!f) print 0}' \
		/proc/slabinfo
}
# (the keys inside them)
empty() { [ "$(slab_objs cbu_bce)" = 0 ]; }
if busywait 20000 empty; then
	pass "every entry and its keys freed"
else
	fail "left: $(slab_objs cbu_bce) entries"
fi
cbu_unload
check_dmesg "no splat in the kernel log"
exit $RET
