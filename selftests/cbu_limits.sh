#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What a user or a remote peer can make cbu.ko hold or do is bounded:
#  1. an unprivileged user, root in a user namespace of its own
#     (unshare -Urn), gets at most 4096 entries there, with a clear error;
#  2. entries and keys are charged to the memory cgroup of whoever added
#     them, and its limit holds;
#  3. a stream of replayed BUs from one source earns BA 135 answers only at
#     that source's rate (ba_limited);
#  4. type-11 messages for a served home address: a wrong checksum is
#     dropped (bad_checksum) and one source gets only its rate
#     (mh_limited), before anything is handed up.
#
#   peer 2001:db8:3::10 -- veth -- 2001:db8:2::20 node (cbu; home agent of
#                                  2001:db8:1::/64, CN of 2001:db8:5::1)

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

# Without sanitizers: an ASan process is too big for a 4 MiB cgroup.
CBUCTL_RELEASE=${CBUCTL_RELEASE:-$TOP/tools/cbuctl}
CN=2001:db8:2::20
PEER=2001:db8:3::10
HOA=2001:db8:5::1
K_BU=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
K_BA=ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100
tmp=$(mktemp -d)
chmod 755 "$tmp"
cg=''
cleanup() {
	set +e
	cleanup_ns
	[ -n "$cg" ] && rmdir "$cg" 2>/dev/null
	cbu_unload 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

require_root
require_cmd ip jq xxd unshare setpriv
[ -x "$CBUCTL" ] || skip "no cbuctl at $CBUCTL"
[ -x "$MH_SEND" ] || skip "no mh-send at $MH_SEND"
modprobe -q veth 2>/dev/null || true
dmesg_mark
cbu_load

stat() {	# stat NS COUNTER
	cbuctl -n "$1" -j -s stats | jqv -r ".$2"
}

# 1. An unprivileged user in a network namespace of its own.
mkdir "$tmp/user"
head -c 32 /dev/urandom | base64 >"$tmp/user/k"
chmod 600 "$tmp/user/k"
chown -R nobody: "$tmp/user"
for i in $(seq 1 4097); do
	printf 'key add 2001:db8:1::%x %s role cn k-bu %s k-ba %s\n' \
		"$i" "$CN" "$tmp/user/k" "$tmp/user/k"
done >"$tmp/user/batch"
chown nobody: "$tmp/user/batch"
as_user() {	# as_user CMD...: as nobody, root of a new user and net ns
	setpriv --reuid=nobody --regid=nogroup --clear-groups \
		unshare -Urn sh -c "$*"
}
as_user true 2>/dev/null || skip "unprivileged user namespaces are off"
out=$(as_user "$CBUCTL -j param show" | jqv -r .capacity)
check_eq "user namespace: capacity 4096 by default" 4096 "$out"
out=$(as_user "$CBUCTL param set capacity 4097; $CBUCTL -j param show" 2>&1) || true
check_eq "user namespace: capacity 4097 refused, why" \
	"a namespace owned by a non-initial user namespace holds at most 4096 entries" \
	"$(grep -o 'a namespace owned[^(]*entries' <<<"$out" | head -n 1)"
check_eq "user namespace: capacity unchanged" 4096 \
	"$(tail -n 1 <<<"$out" | jqv -r .capacity)"
out=$(as_user "$CBUCTL -b $tmp/user/batch; echo rc=\$?; $CBUCTL -j param show" 2>&1) || true
check_eq "user namespace: entry 4097 refused, why" \
	"binding cache full: a namespace owned by a non-initial user namespace holds at most 4096 entries" \
	"$(grep -o 'binding cache full[^(]*entries' <<<"$out" | head -n 1)"
check_eq "user namespace: 4096 entries held" 4096 \
	"$(tail -n 1 <<<"$out" | jqv -r .entries)"

check_dmesg "user namespace: no splat in the kernel log"

# 2. The memory cgroup of whoever adds entries pays for them.  At its
# limit the cgroup's own tasks are killed (the memory cgroup's OOM report
# goes to the kernel log): nothing else may show there.
cgroot=/sys/fs/cgroup
if ! grep -q cgroup2 /proc/mounts; then
	mount -t cgroup2 none "$cgroot" 2>/dev/null || true
fi
if [ -x "$CBUCTL_RELEASE" ] && [ -w "$cgroot/cgroup.subtree_control" ] &&
   echo +memory >"$cgroot/cgroup.subtree_control" 2>/dev/null; then
	big=''
	setup_ns big
	cbuctl -n "$big" param set capacity 100000
	head -c 32 /dev/urandom | base64 >"$tmp/k"
	chmod 600 "$tmp/k"
	for i in $(seq 1 20000); do
		printf 'key add 2001:db8:1::%x %s role cn k-bu %s k-ba %s\n' \
			"$i" "$CN" "$tmp/k" "$tmp/k"
	done >"$tmp/batch"
	cg=$cgroot/cbu-limits-$$
	mkdir "$cg"
	echo 4M >"$cg/memory.max"
	# An entry, its keys inside, takes about 350 octets of slab with its
	# share of the hash table (650 until 2026-12-07, keys apart): 20,000
	# do not fit in 4 MiB.  cbuctl runs once outside the cgroup first: a page
	# is charged to the cgroup that first reads it, and with cbuctl's
	# own text charged to it, reclaim evicts that text at each new
	# entry and cbuctl faults it back, forever, instead of the OOM
	# kill (seen on 6.12).  The timeout makes such a livelock a failure.
	"$CBUCTL_RELEASE" -n "$big" param show >/dev/null
	rc=0
	timeout 120 sh -c "echo \$\$ >$cg/cgroup.procs && exec $CBUCTL_RELEASE -n $big -b $tmp/batch" \
		>"$tmp/cg.out" 2>&1 || rc=$?
	[ "$rc" -eq 124 ] && fail "memory cgroup: cbuctl still adding entries after 120 s"
	n=$(cbuctl -n "$big" -j param show | jqv .entries)
	slab=$(awk '$1 == "slab" {print $2}' "$cg/memory.stat")
	events=$(awk '$1 == "max" || $1 == "oom" {s += $2} END {print s + 0}' \
		"$cg/memory.events")
	# An entry's own object, as the slab cache has it.
	obj=$(awk '$1 == "cbu_bce" {print $4}' /proc/slabinfo)
	echo "# $n entries in 4 MiB; the cgroup's slab: $slab octets; entry objects of $obj; limit hit $events times"
	if [ "$n" -gt 0 ] && [ "$n" -lt 20000 ] && [ "$events" -gt 0 ]; then
		pass "memory cgroup: its limit stopped the entries ($n of 20000)"
	else
		fail "memory cgroup: $n of 20000 entries, limit hit $events times"
	fi
	if [ "$slab" -ge $((n * ${obj:-1000000})) ]; then
		pass "memory cgroup: the entries are charged to it"
	else
		fail "memory cgroup: $slab octets of slab for $n entries"
	fi
	cleanup_ns
	busywait 10000 rmdir "$cg" 2>/dev/null || true
	cg=''
	bad=$(dmesg | tail -n +"$((DMESG_MARK + 1))" |
		grep -E 'BUG:|WARNING:|Oops|KASAN:|UBSAN:|possible (recursive|circular) locking|suspicious RCU|unreferenced object' ||
		true)
	check_eq "memory cgroup: nothing but its OOM report in the kernel log" "" "$bad"
	dmesg_mark
else
	echo "# memory cgroup: no cgroup2 with the memory controller here"
fi

# The node, for 3 and 4.
node='' peer=''
setup_ns node peer
ip link add n0 netns "$node" type veth peer name p0 netns "$peer"
ip -n "$node" addr add "$CN/64" dev n0 nodad
ip -n "$peer" addr add "$PEER/64" dev p0 nodad
ip -n "$node" link set n0 up
ip -n "$peer" link set p0 up
ip -6 -n "$node" route add default dev n0
ip -n "$peer" route add 2001:db8:2::/64 dev p0
xxd -r -p <<<"$K_BU" | base64 >"$tmp/k_bu"
xxd -r -p <<<"$K_BA" | base64 >"$tmp/k_ba"
cbuctl -n "$node" key add "$HOA" "$CN" role cn k-bu "$tmp/k_bu" \
	k-ba "$tmp/k_ba" lt-en 1024
ip -n "$peer" route add 2001:db8:1::/64 via "$CN" dev p0 onlink
send() { ip netns exec "$peer" "$MH_SEND" "$PEER" "$@" >/dev/null; }
# timed_send ARGS...: send, and set $secs to the whole seconds it took.
timed_send() {
	local t0
	t0=$(date +%s%N)
	send "$@"
	secs=$((($(date +%s%N) - t0) / 1000000000 + 1))
}

# 3. Replayed BUs: each is counted; BA 135 only at the source's rate.
send "$CN" bu "$HOA" 7 10 "$K_BU"
check_eq "the BU binds" 1 "$(stat "$node" bu_accepted)"
sent=$(stat "$node" ba_sent)
timed_send "$CN" bu "$HOA" 7 10 "$K_BU" 200 0
check_eq "200 replays counted" 200 "$(stat "$node" bu_seq_window)"
answered=$(($(stat "$node" ba_sent) - sent))
limited=$(stat "$node" ba_limited)
echo "# 200 replays in $secs s: $answered BA 135 sent, $limited not ($(stat "$node" tx_errors) not sent)"
check_eq "every replay answered or limited" 200 $((answered + limited))
# A burst of 8, then 4 a second.
if [ "$answered" -ge 8 ] && [ "$answered" -le $((8 + 4 * secs)) ]; then
	pass "replays answered at the source's rate ($answered of 200)"
else
	fail "replays answered: $answered of 200 in $secs s"
fi

# 4. Type 11 for a served home address, from one source.
cbuctl -n "$node" home add 2001:db8:1::/64
MH11=3b020b0000000001$(printf '0%.0s' $(seq 1 32))
send 2001:db8:1::1 raw "$MH11" 10 badsum
check_eq "type 11, wrong checksum: dropped" 10 "$(stat "$node" bad_checksum)"
timed_send 2001:db8:1::1 raw "$MH11" 2000
limited=$(stat "$node" mh_limited)
echo "# 2000 type-11 messages from one source in $secs s: $limited over its rate"
# A burst of 64, then 32 a second.
if [ "$limited" -ge $((2000 - 64 - 32 * secs)) ] &&
   [ "$limited" -le $((2000 - 64)) ]; then
	pass "type 11 flood from one source: limited ($limited of 2000)"
else
	fail "type 11 flood from one source: $limited of 2000 limited in $secs s"
fi
# Another source still has its whole allowance.
before=$limited
ip -n "$peer" addr add 2001:db8:3::11/64 dev p0 nodad
ip netns exec "$peer" "$MH_SEND" 2001:db8:3::11 2001:db8:1::1 raw "$MH11" \
	20 >/dev/null
check_eq "another source: not limited" "$before" "$(stat "$node" mh_limited)"

cleanup_ns
cbu_unload
check_dmesg "no splat in the kernel log"
exit $RET
