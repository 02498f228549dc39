#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by cbu's kselftests.  Source it; it expects bash.
# shellcheck disable=SC2034  # variables used by the tests that source this
#
# Environment (set by tools/testing/run-tests, or by hand):
#   CBU_KO   the cbu.ko built for the running kernel
#   CBUCTL   the cbuctl to test (default: tools/cbuctl of this checkout)
#   MH_SEND  the MH sender of tools/testing (default: its ASan build)
#   CBUCTL_SAN  the sanitizer build of cbuctl, if any: cbu_ctl.sh, the
#            command line's own test, runs it instead of CBUCTL.  Every
#            other script calls cbuctl hundreds of times to set up and
#            to poll, and ASan's start costs each call ten times the
#            call itself under QEMU's TCG (165 ms against 13 ms).

# Kselftest exit codes.
ksft_pass=0
ksft_fail=1
ksft_skip=4

# The cbu tree: this folder's parent, or CBU_TOP when the folder was
# copied into a kernel tree's tools/testing/selftests/cbu.
TOP=${CBU_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
: "${CBUCTL:=$TOP/tools/cbuctl}"
: "${CBU_KO:=$TOP/kernel/cbu.ko}"
: "${MH_SEND:=$TOP/build/san/bin/mh-send}"
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

# --- end to end with cbu-agent ------------------------------------------------
#
# For the tests that run agents (cbu_agent.sh, cbu_resilience.sh): they use
# $tmp (NAME.conf, NAME.log), $CBU_AGENT and $CBUCTL, and ro_state,
# registered and ping_from also $mn (the mobile node's namespace) and $HOA.

# link NS1 DEV1 ADDR1 NS2 DEV2 ADDR2 (an empty ADDR: none yet)
link() {
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4"
	[ -n "$3" ] && ip -n "$1" addr add "$3/64" dev "$2" nodad
	[ -n "$6" ] && ip -n "$4" addr add "$6/64" dev "$5" nodad
	ip -n "$1" link set "$2" up
	ip -n "$4" link set "$5" up
}

AGENT_PIDS=()
# agents_stop: SIGTERM to every agent; an exit status but 0 is reported.
agents_stop() {
	local pid rc
	for pid in "${AGENT_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${AGENT_PIDS[@]}"; do
		rc=0
		wait "$pid" 2>/dev/null || rc=$?
		[ "$rc" -eq 0 ] || fail "agent $pid exited $rc"
	done
	AGENT_PIDS=()
}

# agent_start NAME NS: cbu-agent with $tmp/NAME.conf, logging to NAME.log.
# shellcheck disable=SC2154	# $tmp is the test's
agent_start() {
	ip netns exec "$2" "$CBU_AGENT" -f -c "$tmp/$1.conf" \
		>"$tmp/$1.log" 2>&1 &
	AGENT_PIDS+=($!)
	busywait 20000 "$CBUCTL" -n "$2" agent status >/dev/null 2>&1 ||
		{ cat "$tmp/$1.log"; fail "$1: agent did not start"; exit 1; }
}
# Agents by the dozen run $CBU_AGENT_RELEASE (the same code without
# sanitizers: many ASan processes do not fit the VM's memory), if there is
# one.  agent_many NAME NS: start one with $tmp/NAME.conf in NS, logging to
# NAME.log, not waited for; agents_many_stop: SIGTERM to each, and how many
# did not exit 0 in $MANY_FAILED (agent_test_cleanup stops them too).
MANY_PIDS=()
agent_many() {
	[ -x "${CBU_AGENT_RELEASE:-}" ] || CBU_AGENT_RELEASE=$CBU_AGENT
	ip netns exec "$2" "$CBU_AGENT_RELEASE" -f -c "$tmp/$1.conf" \
		>"$tmp/$1.log" 2>&1 &
	MANY_PIDS+=($!)
}
agents_many_stop() {
	local pid
	MANY_FAILED=0
	for pid in "${MANY_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${MANY_PIDS[@]}"; do
		wait "$pid" 2>/dev/null || MANY_FAILED=$((MANY_FAILED + 1))
	done
	MANY_PIDS=()
}
# agent_kill PID: kill -9 one of them (a crash), and forget it.
agent_kill() {
	local pid keep=()
	kill -KILL "$1"
	wait "$1" 2>/dev/null || true
	for pid in "${AGENT_PIDS[@]}"; do
		[ "$pid" = "$1" ] || keep+=("$pid")
	done
	AGENT_PIDS=("${keep[@]}")
}
# jqv: jq for a value, not a document: gojq where it is installed, which
# starts five times faster in the guest (0.1 s against 0.5 s under TCG),
# and the helpers below run hundreds of times a script.  Not for whole
# objects: gojq prints their keys sorted.
if command -v gojq >/dev/null 2>&1; then
	jqv() { gojq "$@"; }
else
	jqv() { jq "$@"; }
fi
# st NS JQ: a field of `cbuctl -j agent status` in NS.
st() {
	"$CBUCTL" -n "$1" -j agent status | jqv -r "$2"
}
# shellcheck disable=SC2154	# $mn is the test's
ro_state() {
	"$CBUCTL" -n "$mn" -j ro show | jqv -r ".[] | select(.cn == \"$1\") | .state"
}
is_state() { [ "$(ro_state "$1")" == "$2" ]; }
registered() { [ "$(st "$mn" .mobile_node.registered)" == true ]; }
# nft counters: count NS NAME RULE... adds a counted rule; counted NS NAME.
nft_count() {
	local ns=$1 name=$2
	shift 2
	ip netns exec "$ns" nft add table inet cbu 2>/dev/null || true
	ip netns exec "$ns" nft add chain inet cbu pre \
		'{ type filter hook prerouting priority -400; }' 2>/dev/null || true
	ip netns exec "$ns" nft add counter inet cbu "$name"
	ip netns exec "$ns" nft add rule inet cbu pre "$@" counter name "$name"
}
counted() {
	ip netns exec "$1" nft -j list counter inet cbu "$2" |
		jqv '.nftables[] | select(.counter) | .counter.packets'
}
# ping_from NS COUNT: NS pings the HoA, and every ping is answered.
ping_from() {
	local out
	out=$(ip netns exec "$1" busybox ping -6 -q -c "$2" -i 0.2 -W 2 \
		"$HOA" 2>&1) || true
	grep -q "$2 packets transmitted, $2 packets received" <<<"$out"
}

# drop_once NS NAME MATCH...: drop the first packet MATCH takes (nft, in a
# dynamic set that remembers it, before cbu.ko's hook); dropped NS NAME.
drop_once() {
	local ns=$1 name=$2
	shift 2
	ip netns exec "$ns" nft add table inet loss 2>/dev/null || true
	ip netns exec "$ns" nft add chain inet loss pre \
		'{ type filter hook prerouting priority -450; }' 2>/dev/null ||
		true
	ip netns exec "$ns" nft add set inet loss "$name" \
		'{ type inet_proto; flags dynamic; }'
	ip netns exec "$ns" nft add counter inet loss "$name"
	ip netns exec "$ns" nft add rule inet loss pre "$@" \
		meta l4proto "@$name" accept
	ip netns exec "$ns" nft add rule inet loss pre "$@" \
		add "@$name" '{ meta l4proto }' counter name "$name" drop
}
dropped() {
	ip netns exec "$1" nft -j list counter inet loss "$2" |
		jqv '.nftables[] | select(.counter) | .counter.packets'
}
mh_is() {	# mh_is TYPE [SUBTYPE]: nft match of a Mobility Header
	echo meta l4proto 135 @th,16,8 "$1" ${2:+@th,48,8 "$2"}
}

# bridge_add NS ADDR: a bridge br0 in NS, with ADDR/64 on it, up.
bridge_add() {
	ip -n "$1" link add br0 type bridge
	ip -n "$1" addr add "$2/64" dev br0 nodad
	ip -n "$1" link set br0 up
}

# bridged VAR CORE PORT DEV ADDR GW: a new namespace (its name in VAR) on
# CORE's br0 through port PORT; its end DEV has ADDR/64 and a default route
# through GW.
bridged() {
	local ns=''
	setup_ns ns
	ip link add "$4" netns "$ns" type veth peer name "$3" netns "$2"
	ip -n "$2" link set "$3" master br0 up
	ip -n "$ns" addr add "$5/64" dev "$4" nodad
	ip -n "$ns" link set "$4" up
	ip -n "$ns" route add default via "$6"
	printf -v "$1" '%s' "$ns"
}

# agent_pki HA_PREFIX CN_ADDR: in $tmp, a CA (ca.key, ca.pub), the home
# agent's key and certificate for HA_PREFIX (ha.key, ha.cert) and the
# correspondent's for CN_ADDR (cn.key, cn.cert), all with `cbuctl cert`.
agent_pki() {
	local who
	"$CBUCTL" cert genkey out "$tmp/ca.key"
	"$CBUCTL" cert pubkey key "$tmp/ca.key" out "$tmp/ca.pub"
	for who in ha cn; do
		"$CBUCTL" cert genkey out "$tmp/$who.key"
		"$CBUCTL" cert pubkey key "$tmp/$who.key" out "$tmp/$who.pub"
	done
	"$CBUCTL" cert issue ha "$1" pubkey "$tmp/ha.pub" key "$tmp/ca.key" \
		out "$tmp/ha.cert"
	"$CBUCTL" cert issue cn "$2" pubkey "$tmp/cn.pub" key "$tmp/ca.key" \
		out "$tmp/cn.cert"
}

# agent_secret NAME: a fresh k_HA secret, $tmp/NAME.secret, mode 0600.
agent_secret() {
	head -c 32 /dev/urandom | base64 >"$tmp/$1.secret"
	chmod 600 "$tmp/$1.secret"
}

# The configurations' common parts, on stdout; a test appends its own.
# conf_ha ADDR PREFIX LINK: [ca] and [home-agent] with agent_pki's files.
conf_ha() {
	printf '[ca]\npublic-key = %s\n[home-agent]\naddress = %s\n' \
		"$tmp/ca.pub" "$1"
	printf 'home-prefix = %s\nhome-link = %s\n' "$2" "$3"
	printf 'certificate = %s\nprivate-key = %s\n' "$tmp/ha.cert" \
		"$tmp/ha.key"
}
# conf_cn ADDR: [ca] and [correspondent].
conf_cn() {
	printf '[ca]\npublic-key = %s\n[correspondent]\naddress = %s\n' \
		"$tmp/ca.pub" "$1"
	printf 'certificate = %s\nprivate-key = %s\n' "$tmp/cn.cert" \
		"$tmp/cn.key"
}
# conf_mn HOA HA SECRET: [mobile-node] without its interfaces.
conf_mn() {
	printf '[mobile-node]\nhome-address = %s\nhome-agent = %s\n' "$1" "$2"
	printf 'secret = %s\n' "$3"
}
# confs_home HOA HA PREFIX LINK IFACE...: $tmp/mn.conf for a mobile node
# on interfaces IFACE... (lifetime 120 s) and $tmp/ha.conf for its home
# agent on LINK, both logging at debug level, with a fresh secret.
confs_home() {
	local hoa=$1 ha=$2 prefix=$3 link=$4 i
	shift 4
	agent_secret mn
	{
		conf_debug
		conf_mn "$hoa" "$ha" "$tmp/mn.secret"
		for i in "$@"; do
			echo "interface = $i"
		done
		echo "lifetime = 120"
	} >"$tmp/mn.conf"
	{
		conf_debug
		conf_ha "$ha" "$prefix" "$link"
		echo "mobile-node = $hoa $tmp/mn.secret"
	} >"$tmp/ha.conf"
}

# conf_debug: [agent] logging at debug level.
conf_debug() {
	printf '[agent]\nlog-level = debug\n'
}

# agents_clean NAME...: no sanitizer report in $tmp/NAME.log.
agents_clean() {
	local a
	for a in "$@"; do
		if grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error' \
			"$tmp/$a.log"; then
			fail "$a: sanitizer report"; cat "$tmp/$a.log"
		else
			pass "$a: clean exit"
		fi
	done
}

# agent_test_init [CMD...]: what a test with agents needs, or a skip: root,
# ip, jq, nft, base64 and CMD..., cbuctl and the agent, veth and ESP for IPv6;
# then a kernel-log mark and cbu.ko loaded.  agent_test_cleanup undoes it.
agent_test_init() {
	require_root
	require_cmd ip jq nft base64 "$@"
	[ -x "$CBUCTL" ] || skip "no cbuctl at $CBUCTL"
	[ -x "$CBU_AGENT" ] || skip "no cbu-agent at $CBU_AGENT"
	modprobe -q veth 2>/dev/null || true
	modprobe -q esp6 2>/dev/null || skip "no ESP for IPv6 (esp6)"
	modprobe -q xfrm_user 2>/dev/null || true
	dmesg_mark
	cbu_load
}
agent_test_cleanup() {
	set +e
	agents_many_stop
	agents_stop
	cleanup_ns
	cbu_unload 2>/dev/null
	rm -rf "$tmp"
}
