#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - run cbu's kselftests and print TAP 13 as kselftest's runner does:
# each test's output as "# " lines, then "ok N selftests: cbu: NAME", with
# "# SKIP" for exit 4 and "not ok ... # exit=N" (or "# TIMEOUT") otherwise,
# followed by the test's first "FAIL:" line if it printed one.
#
# On a kernel with kmemleak (the test kernel), what boot left is cleared
# first, and after each test kmemleak scans: a test after which it reports
# an object fails, with the report.
#
# Usage: run.sh [TEST...]   (default: TEST_PROGS of the Makefile)
# Environment: CBU_TIMEOUT_SCALE multiplies the timeout of ./settings (a
# kernel with its checkers on is slower); CBU_STAMP=1 stamps each line of
# a test's output with the seconds since it started; CBU_PROFILE=N traces
# each test's bash (xtrace, each command stamped with $EPOCHREALTIME) and
# prints after it the N lines of it that took longest
# (tools/testing/trace-profile).

HERE=$(cd "$(dirname "$0")" && pwd)
timeout=$(sed -n 's/^timeout=//p' "$HERE/settings" 2>/dev/null)
: "${timeout:=300}"
timeout=$((timeout * ${CBU_TIMEOUT_SCALE:-1}))
kmemleak=/sys/kernel/debug/kmemleak

if [ $# -gt 0 ]; then
	tests=("$@")
else
	read -r -a tests <<<"$(make -s -C "$HERE" list)"
fi

# leaks SCANS: kmemleak's report after SCANS scans; cleared for the next
# test.  A scan reports what no reference reaches and is older than 5 s:
# what a test left in its last seconds is reported by the next test's
# scan (with its allocation's backtrace), by a second scan after the
# last.  A scan takes seconds on the test kernel: one a test.
leaks() {
	local i
	[ -w "$kmemleak" ] || return 0
	for ((i = 0; i < $1; i++)); do
		echo scan >"$kmemleak"
	done
	cat "$kmemleak"
	echo clear >"$kmemleak"
}

# In vm-run's guest, an empty nftables table keeps netfilter's IPv6
# PRE_ROUTING and LOCAL_OUT hooks in use for the whole run, so that cbu's
# hooks coming and going (with a namespace's first and last entry, at
# rmmod) never flip the kernel's static keys for them.  Each flip patches
# live kernel text with int3, and QEMU's TCG with two vCPUs has been seen
# to run such a stale int3 ("Oops: int3" in rawv6_sendmsg, 6.12, under
# cbu_teardown.sh's traffic; at boot in sched_clock_idle_wakeup_event):
# an emulator's fault, which real CPUs do not have.
if [ -n "${CBU_VM:-}" ] && command -v nft >/dev/null; then
	nft -f - <<'NFT' || echo "# run.sh: cannot pin the IPv6 hooks (nft)"
table ip6 cbu_vm_pin {
	chain pre { type filter hook prerouting priority 0; policy accept; }
	chain out { type filter hook output priority 0; policy accept; }
}
NFT
	# The same for receive timestamps (netstamp_needed_key, patched in
	# netif_rx_internal() and __netif_receive_skb_core()): scapy's
	# sniffers turn them on and off; one socket asking for them for the
	# whole run keeps the key on.  Seen: "Fatal exception in interrupt"
	# at a half-patched jump in netif_rx_internal (6.12, cbu_ipv6.sh).
	/usr/bin/python3 -c 'import socket, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
# SO_TIMESTAMPNS is 35 on x86; the Python of Debian 12 lacks the name.
s.setsockopt(socket.SOL_SOCKET, getattr(socket, "SO_TIMESTAMPNS", 35), 1)
time.sleep(1 << 30)' &
	pin_pid=$!
	trap 'kill "$pin_pid" 2>/dev/null' EXIT
fi

# prefix: each line of a test's output as a KTAP comment; with
# CBU_STAMP=1, after the seconds since the test started ("# [  12] ..."),
# to find where a slow host spends its time.
prefix() {
	local l s0=$SECONDS
	if [ -z "${CBU_STAMP:-}" ]; then
		sed -u 's/^/# /'
		return
	fi
	while IFS= read -r l; do
		printf '# [%4d] %s\n' $((SECONDS - s0)) "$l"
	done
}

# CBU_PROFILE: BASH_ENV is read by every non-interactive bash, the test
# and the scripts it runs, each of which appends to its own trace.
profile=
if [ -n "${CBU_PROFILE:-}" ]; then
	profile=$(mktemp -d)
	cat >"$profile/env" <<'EOF_PROFILE'
exec {BASH_XTRACEFD}>>"$CBU_TRACE_DIR/${0##*/}.trace"
PS4='+ $EPOCHREALTIME $BASHPID ${BASH_SOURCE[-1]##*/} $LINENO ${BASH_LINENO[*]}: '
set -x
EOF_PROFILE
	export BASH_ENV=$profile/env CBU_TRACE_DIR=$profile
fi

echo "TAP version 13"
echo "1..${#tests[@]}"
[ -w "$kmemleak" ] && echo clear >"$kmemleak"
# Each test's output, for the first failed check: it goes on the result
# line, where a summary that keeps only the result lines still shows it.
log=$(mktemp)
n=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	echo "# selftests: cbu: $t"
	start=$(date +%s)
	timeout -k 10 "$timeout" "$HERE/$t" 2>&1 | prefix | tee "$log"
	rc=${PIPESTATUS[0]}
	first=$(sed -nE '/^# (\[ *[0-9]+\] )?FAIL: /{s/^# (\[ *[0-9]+\] )?//p;q}' \
		"$log" | cut -c 1-158)
	echo "# $t: $(($(date +%s) - start)) s"
	if [ -n "$profile" ]; then
		"${CBU_TOP:-$HERE/..}/tools/testing/trace-profile" \
			"$profile/$t.trace" \
			"$CBU_PROFILE" 2>&1 | sed 's/^/# profile: /'
		rm -f "$profile"/*.trace
	fi
	leak=$(leaks $((n < ${#tests[@]} ? 1 : 2)))
	if [ -n "$leak" ]; then
		echo "# kmemleak after $t:"
		head -n 60 <<<"$leak" | sed 's/^/#   /' 
		[ "$rc" -eq 0 ] || [ "$rc" -eq 4 ] && rc=leak
	fi
	case $rc in
	0) echo "ok $n selftests: cbu: $t" ;;
	4) echo "ok $n selftests: cbu: $t # SKIP" ;;
	leak) echo "not ok $n selftests: cbu: $t # kmemleak" ;;
	124) echo "not ok $n selftests: cbu: $t # TIMEOUT ${timeout} seconds${first:+; first $first}" ;;
	*) echo "not ok $n selftests: cbu: $t # exit=$rc${first:+; first $first}" ;;
	esac
done
rm -rf "$log" ${profile:+"$profile"}
