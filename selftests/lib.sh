#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by cbu's kselftests.  Source it; it expects bash.
# shellcheck disable=SC2034  # variables used by the tests that source this
#
# Environment (set by tools/testing/run-tests, or by hand):
#   CBU_KO   the cbu.ko built for the running kernel
#   CBUCTL   the cbuctl to test (default: tools/cbuctl of this checkout)

# Kselftest exit codes.
ksft_pass=0
ksft_fail=1
ksft_skip=4

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${CBUCTL:=$TOP/tools/cbuctl}"
: "${CBU_KO:=$TOP/kernel/cbu.ko}"
: "${WAIT_TIMEOUT:=10}"

NS_LIST=()
PEER_PIDS=()
RET=0

skip() {
	echo "SKIP: $*"
	exit $ksft_skip
}

# Tests end with the result of every check they made.
fail() {
	echo "FAIL: $*"
	RET=$ksft_fail
}

pass() {
	echo "PASS: $*"
}

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
	if [ "$2" == "$3" ]; then
		pass "$1"
	else
		fail "$1: expected '$2', got '$3'"
	fi
}

# check_fail WHAT COMMAND...: the command must exit non-zero.
check_fail() {
	local what=$1
	shift
	if "$@" >/dev/null 2>&1; then
		fail "$what: succeeded"
	else
		pass "$what"
	fi
}

require_root() {
	[ "$(id -u)" -eq 0 ] || skip "needs root"
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || skip "needs $c"
	done
}

# busywait TIMEOUT_MS COMMAND...: retry COMMAND until it succeeds.
busywait() {
	local timeout=$1 start now
	shift
	start=$(date +%s%3N)
	while true; do
		"$@" && return 0
		now=$(date +%s%3N)
		[ $((now - start)) -gt "$timeout" ] && return 1
		sleep 0.05
	done
}

# setup_ns VAR...: create a network namespace with a unique name for each
# VAR, store its name in VAR, bring lo up.  cleanup_ns removes them.
setup_ns() {
	local var name
	for var in "$@"; do
		name="$var-$(mktemp -u XXXXXX)"
		ip netns add "$name" || return 1
		ip -n "$name" link set lo up
		ip netns exec "$name" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0
		NS_LIST+=("$name")
		printf -v "$var" '%s' "$name"
	done
}

cleanup_ns() {
	local ns
	for ns in "${NS_LIST[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	NS_LIST=()
}

# The kernel log is checked for splats from the point a test starts.
DMESG_MARK=
dmesg_mark() {
	DMESG_MARK=$(dmesg | wc -l)
}

# check_dmesg WHAT: nothing alarming was logged since dmesg_mark.
check_dmesg() {
	local bad
	bad=$(dmesg | tail -n +"$((DMESG_MARK + 1))" |
		grep -E 'BUG:|WARNING:|Oops|general protection|KASAN:|UBSAN:|possible (recursive|circular) locking|suspicious RCU|Call Trace:|unreferenced object|Objects remaining' ||
		true)
	if [ -n "$bad" ]; then
		fail "$1: kernel log:"
		printf '%s\n' "$bad"
	else
		pass "$1"
	fi
}

cbu_loaded() {
	[ -d /sys/module/cbu ]
}

# cbu_load: insmod the module under test (after unloading any other).
cbu_load() {
	[ -f "$CBU_KO" ] || skip "no module at $CBU_KO"
	if cbu_loaded; then
		rmmod cbu || return 1
	fi
	insmod "$CBU_KO"
}

cbu_unload() {
	cbu_loaded && rmmod cbu
}

cbuctl() {
	"$CBUCTL" "$@"
}

# cbu_group_mask GROUP...: the cbu family's multicast groups as a mask of
# /proc/net/netlink's Groups column: group N is bit N - 1, and only the
# first 32 are shown.
cbu_group_mask() {
	local group id mask=0
	for group in "$@"; do
		id=$(genl ctrl get name cbu |
			sed -n "s/.*ID-\(0x[0-9a-f]*\)  name: $group .*/\1/p")
		[ -n "$id" ] && [ $((id)) -le 32 ] || return 1
		mask=$((mask | 1 << (id - 1)))
	done
	echo "$mask"
}

# cbu_subscribed NS MASK: a generic netlink socket of NS joined the groups
# of MASK (for busywait after starting `cbuctl monitor`).
cbu_subscribed() {
	local eth groups rest
	# Columns: sk Eth Pid Groups ...
	while read -r _ eth _ groups rest; do
		[[ $eth == 16 && $groups =~ ^[0-9a-f]{8}$ ]] || continue
		(((16#$groups & $2) == $2)) && return 0
	done < <(ip netns exec "$1" cat /proc/net/netlink)
	return 1
}

# peer_start NAME NS: start the independent peer (selftests/cbu_peer.py) in
# network namespace NS; `peer NAME COMMAND...` sends it one command and
# prints its one-line JSON answer; peer_stop_all ends every peer.
peer_start() {
	local name=$1 ns=$2 dir fdin fdout
	dir=$(mktemp -d)
	mkfifo "$dir/in" "$dir/out"
	ip netns exec "$ns" /usr/bin/python3 "$TOP/selftests/cbu_peer.py" \
		<"$dir/in" >"$dir/out" &
	PEER_PIDS+=($!)
	# The peer opens "in" then "out": open them in that order too.
	exec {fdin}>"$dir/in"
	exec {fdout}<"$dir/out"
	rm -rf "$dir"
	printf -v "PEER_IN_$name" '%s' "$fdin"
	printf -v "PEER_OUT_$name" '%s' "$fdout"
}

peer() {
	local in="PEER_IN_$1" out="PEER_OUT_$1" reply
	shift
	echo "$*" >&"${!in}"
	read -r reply <&"${!out}"
	echo "$reply"
}

peer_stop_all() {
	local v fd
	for v in ${!PEER_IN_*}; do
		fd=${!v}
		{ echo quit >&"$fd"; } 2>/dev/null
		exec {fd}>&-
	done
	for v in ${!PEER_OUT_*}; do
		fd=${!v}
		exec {fd}<&-
	done
	unset "${!PEER_IN_@}" "${!PEER_OUT_@}"
	[ ${#PEER_PIDS[@]} -gt 0 ] && wait "${PEER_PIDS[@]}" 2>/dev/null
	PEER_PIDS=()
	return 0
}
