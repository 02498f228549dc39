#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SCALE (default 10,000) binding cache entries in one network namespace:
# all of them are dumped, the namespace is deleted with them in it, and the
# module unloads
# with nothing leaked (its slab caches empty, no complaint from
# kmem_cache_destroy(), nothing in the kernel log).
#
# Then EXPIRE (default 20,000; 100,000 for the measurement in
# Documentation/kernel.md) bindings expire at once, while a probe
# entry's BUs are answered and its keys replaced: the expiry walk holds no
# lock across entries, so neither waits on it (their longest latencies
# during the walk are printed, against the same measured idle).
#
#   big (no links: the entries need none)
#   mn 2001:db8:3::10 -- veth -- 2001:db8:2::20 cn (the expiry)

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

N=${SCALE:-10000}
EXPIRE=${EXPIRE:-20000}
CN=2001:db8:2::20
COA=2001:db8:3::10
K_BU=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
K_BA=ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100
tmp=$(mktemp -d)
cleanup() {
	set +e
	cleanup_ns
	cbu_unload 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

require_root
require_cmd ip jq
[ -x "$CBUCTL" ] || skip "no cbuctl at $CBUCTL"
[ -r /proc/slabinfo ] || skip "no /proc/slabinfo"
dmesg_mark
cbu_load

# Active objects of one of the module's slab caches (vm-run boots with
# slab_nomerge, so they are not folded into kmalloc's).  Shrinking first
# returns what the per-CPU slabs hold, which slabinfo counts as active.
slab_objs() {
	[ -w "/sys/kernel/slab/$1/shrink" ] && echo 1 >"/sys/kernel/slab/$1/shrink"
	awk -v c="$1" '$1 == c {print $2; f = 1} END {if (!f) print 0}' \
		/proc/slabinfo
}

big=''
setup_ns big
head -c 32 /dev/urandom | base64 >"$tmp/k_bu"
head -c 32 /dev/urandom | base64 >"$tmp/k_ba"
cbuctl -n "$big" param set capacity $((N + 10))
for i in $(seq 1 "$N"); do
	printf 'key add 2001:db8:1::%x %s role cn k-bu %s k-ba %s lt-en 600\n' \
		"$i" "$CN" "$tmp/k_bu" "$tmp/k_ba"
done >"$tmp/batch"
start=$(date +%s)
cbuctl -n "$big" -b "$tmp/batch"
echo "# $N entries added in $(( $(date +%s) - start )) s"

check_eq "entries counted" "$N" "$(cbuctl -n "$big" -j param show | jqv .entries)"
check_eq "entries dumped" "$N" "$(cbuctl -n "$big" -j binding show | jqv length)"
check_eq "every entry dumped once" "$N" \
	"$(cbuctl -n "$big" -j binding show | jqv '[.[].hoa] | unique | length')"
objs=$(slab_objs cbu_bce)
if [ "$objs" -ge "$N" ]; then
	pass "cbu_bce slab holds the entries ($objs objects)"
else
	fail "cbu_bce slab holds $objs objects for $N entries"
fi

# Past the capacity: refused, and the cache is as it was.
cbuctl -n "$big" param set capacity "$N"
if cbuctl -n "$big" key add 2001:db8:1::ffff "$CN" role cn \
	k-bu "$tmp/k_bu" k-ba "$tmp/k_ba" 2>"$tmp/err"; then
	fail "capacity: entry $((N + 1)) accepted"
else
	check_eq "capacity: clear refusal" \
		"binding cache full: raise its capacity" \
		"$(grep -o 'binding cache full[^(]*' "$tmp/err" | sed 's/ *$//')"
fi
check_eq "capacity: nothing added" "$N" \
	"$(cbuctl -n "$big" -j param show | jqv .entries)"

# The namespace goes with its entries in it.
cleanup_ns
empty() { [ "$(slab_objs cbu_bce)" = 0 ]; }
if busywait 20000 empty; then
	pass "entries, keys inside, freed with the namespace"
else
	fail "left after the namespace: $(slab_objs cbu_bce) entries"
fi

# 2. EXPIRE bindings expire at once.
if [ ! -x "$MH_SEND" ]; then
	echo "# expiry: no mh-send at $MH_SEND"
else
	mn='' cn=''
	setup_ns mn cn
	ip link add m0 netns "$mn" type veth peer name c0 netns "$cn"
	ip -n "$mn" addr add "$COA/64" dev m0 nodad
	ip -n "$cn" addr add "$CN/64" dev c0 nodad
	ip -n "$mn" link set m0 up
	ip -n "$cn" link set c0 up
	ip -n "$cn" route add 2001:db8:1::/48 via "$COA" dev c0 onlink
	ip -n "$mn" route add 2001:db8:2::/64 dev m0
	xxd -r -p <<<"$K_BU" | base64 >"$tmp/k_bu"
	xxd -r -p <<<"$K_BA" | base64 >"$tmp/k_ba"
	cbuctl -n "$cn" param set capacity $((EXPIRE + 10))
	# The entries 2001:db8:1::1:0 + i, and the probe 2001:db8:2:1::1.
	for i in $(seq 0 $((EXPIRE - 1))); do
		printf 'key add 2001:db8:1::%x:%x %s role cn k-bu %s k-ba %s\n' \
			$((1 + i / 65536)) $((i % 65536)) "$CN" "$tmp/k_bu" \
			"$tmp/k_ba"
	done >"$tmp/batch"
	PROBE=2001:db8:1:1::1
	echo "key add $PROBE $CN role cn k-bu $tmp/k_bu k-ba $tmp/k_ba" >>"$tmp/batch"
	start=$(date +%s)
	cbuctl -n "$cn" -b "$tmp/batch"
	echo "# $((EXPIRE + 1)) entries added in $(( $(date +%s) - start )) s"
	stat() { cbuctl -n "$cn" -j -s stats | jqv -r ".$1"; }
	# probe SEQ: one BU of the probe, and its keys replaced (KEY_SET
	# takes the namespace's mutex); prints the two latencies in ms.
	probe() {
		local t0 t1 t2
		t0=$(date +%s%N)
		ip netns exec "$mn" "$MH_SEND" "$COA" "$CN" bu "$PROBE" "$1" \
			100 "$K_BU" >/dev/null
		t1=$(date +%s%N)
		cbuctl -n "$cn" key replace "$PROBE" "$CN" role cn k-bu "$tmp/k_bu" \
			k-ba "$tmp/k_ba"
		t2=$(date +%s%N)
		echo "$(((t1 - t0) / 1000000)) $(((t2 - t1) / 1000000))"
	}
	# probes FROM N: the longest of N probes from Seq# FROM, "BU KEY_SET".
	probes() {
		local i
		for i in $(seq "$1" $(($1 + $2 - 1))); do
			probe "$i"
		done | awk '{ if ($1 > b) b = $1; if ($2 > k) k = $2 }
			    END { print b + 0, k + 0 }'
	}
	idle=$(probes 1 20)
	# Every entry bound for 4 s (one unit): they expire together, the
	# first ones while the last are still being sent (counted from
	# before the first BU).
	before=$(stat expired)
	start=$(date +%s)
	ip netns exec "$mn" "$MH_SEND" "$COA" "$CN" bu-hoas 2001:db8:1::1:0 \
		"$EXPIRE" 1 1 "$K_BU" >/dev/null
	echo "# $EXPIRE BUs sent in $(( $(date +%s) - start )) s; $(stat bu_accepted) accepted"
	# The walk's length: from the first expiry seen to the last.
	some_expired() { [ "$(stat expired)" -gt "$before" ]; }
	busywait 60000 some_expired || true
	t0=$(date +%s%N)
	probes 100 20 >"$tmp/busy" &
	prober=$!
	all_expired() { [ $(($(stat expired) - before)) -ge "$EXPIRE" ]; }
	if busywait 60000 all_expired; then
		pass "$EXPIRE bindings expired"
	else
		fail "expired: $(($(stat expired) - before)) of $EXPIRE"
	fi
	walk=$((($(date +%s%N) - t0) / 1000000))
	wait "$prober"
	busy=$(cat "$tmp/busy")
	echo "# longest latency (ms), BU and KEY_SET: idle $idle, while $EXPIRE expire $busy"
	echo "# the walk took about $walk ms: $((walk * 256 / EXPIRE)) ms a batch of 256 under RCU, no lock held across entries"
	check_eq "the probe's BUs all taken" 119 \
		"$(cbuctl -n "$cn" -j binding show "$PROBE" "$CN" | jqv .[0].seq)"
	cleanup_ns
fi

cbu_unload
if cbu_loaded; then
	fail "cbu.ko still loaded"
else
	pass "cbu.ko unloaded"
fi
check_dmesg "no warning or leak report in the kernel log"
exit $RET
