# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# demo-lib.sh - what the demos (tools/demo, tools/demo-mobile-cn,
# tools/demo-hmip) share: showing commands, waiting, veth links, nft
# counters, pings through a move, and the wire as cbu's Wireshark
# dissector shows it.  Sourced after TOP, CBUCTL,
# CBU_AGENT, CBU_KO and NS (the namespaces, each "demo-NAME") are set.

tmp=$(mktemp -d)
pids=()
cap_pids=()

say() { printf '\n== %s\n' "$*"; }
# run NS CMD...: show and run a command in NS ("-" for none).
run() {
	local ns=$1
	shift
	if [ "$ns" == - ]; then
		printf '$ %s\n' "$*"
		"$@"
	else
		printf '[%s]$ %s\n' "${ns#demo-}" "$*"
		ip netns exec "$ns" "$@"
	fi
}
ctl() { local ns=$1; shift; run "$ns" cbuctl "$@"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# wait_for MS CMD...: until CMD succeeds, or MS pass.
wait_for() {
	local end=$(($(now_ms) + $1))
	shift
	until "$@"; do
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.1
	done
}

cleanup() {
	local p ns
	for p in "${pids[@]}" "${cap_pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	for ns in "${NS[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	rmmod cbu 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# cbuctl by name, as an operator would type it.
mkdir "$tmp/bin"
ln -s "$CBUCTL" "$tmp/bin/cbuctl"
ln -s "$CBU_AGENT" "$tmp/bin/cbu-agent"
PATH=$tmp/bin:$PATH

# demo_start: cbu.ko and what the namespaces need; the namespaces.
demo_start() {
	local ns
	say "This guest runs Debian's kernel $(uname -r) under QEMU (TCG)"
	run - insmod "$CBU_KO"
	modprobe -q veth
	modprobe -q esp6
	modprobe -q xfrm_user 2>/dev/null || true
	for ns in "${NS[@]}"; do
		ip netns add "$ns"
		ip -n "$ns" link set lo up
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0
	done
}

link() {	# link NS1 DEV1 ADDR1 NS2 DEV2 ADDR2 (an empty ADDR: none)
	ip link add "$2" netns "$1" type veth peer name "$5" netns "$4"
	[ -z "$3" ] || ip -n "$1" addr add "$3/64" dev "$2" nodad
	[ -z "$6" ] || ip -n "$4" addr add "$6/64" dev "$5" nodad
	ip -n "$1" link set "$2" up
	ip -n "$4" link set "$5" up
}

# nft counters: count NS NAME RULE... adds one of what comes in (before
# ESP is taken off), count_out one of what goes out (before ESP is put
# on); counted NS NAME reads it.
count() { counter_add pre prerouting "$@"; }
count_out() { counter_add out output "$@"; }
counter_add() {	# counter_add CHAIN HOOK NS NAME RULE...
	local chain=$1 hook=$2 ns=$3 name=$4
	shift 4
	ip netns exec "$ns" nft add table inet demo 2>/dev/null || true
	ip netns exec "$ns" nft add chain inet demo "$chain" \
		"{ type filter hook $hook priority -400; }" 2>/dev/null || true
	ip netns exec "$ns" nft add counter inet demo "$name"
	ip netns exec "$ns" nft add rule inet demo "$chain" "$@" \
		counter name "$name"
}
counted() {	# counted NS NAME
	ip netns exec "$1" nft -j list counter inet demo "$2" |
		jq '.nftables[] | select(.counter) | .counter.packets'
}
# probe NAME NS SRC DST SECONDS INTERVAL_MS: echo requests from SRC to DST
# in NS through a move (tools/testing/pinger), "SENT LOST GAP_MS" in
# $tmp/NAME.probe at the end.
probe() {
	ip netns exec "$2" /usr/bin/python3 "$TOP/tools/testing/pinger" \
		"$3" "$4" "$5" "$6" >"$tmp/$1.probe"
}

# wire_start NS...: every MH out of and into each NS, in clear (NFLOG sees
# it before ESP on the way out, after it on the way in), read at the end
# by wire_show with cbu's Wireshark dissector.  Without dumpcap and tshark,
# no capture.
wire_start() {
	local ns
	if command -v dumpcap >/dev/null && command -v tshark >/dev/null &&
	   modprobe -q nfnetlink_log 2>/dev/null; then
		for ns in "$@"; do
			ip netns exec "$ns" nft -f - <<NFT
table inet wire {
	chain pre { type filter hook prerouting priority -500;
		meta l4proto 135 log prefix "${ns#demo-} in" group 7 queue-threshold 1; }
	chain out { type filter hook output priority -500;
		meta l4proto 135 log prefix "${ns#demo-} out" group 7 queue-threshold 1; }
}
NFT
			ip netns exec "$ns" dumpcap -q -i nflog:7 -w "$tmp/$ns.pcapng" \
				>/dev/null 2>&1 &
			cap_pids+=($!)
			# dumpcap writes its file once it is bound to NFLOG.
			wait_for 60000 test -s "$tmp/$ns.pcapng" || true
		done
	fi
}

# wire_show NS...: what wire_start captured in each NS, merged.
wire_show() {
	local p ns f=()
	if [ ${#cap_pids[@]} -gt 0 ]; then
		say "On the wire, as Wireshark shows it with tools/wireshark/cbu.lua"
		echo "(where it was logged, source, destination, message; what goes"
		echo "in a home tunnel in clear)"
		for p in "${cap_pids[@]}"; do
			kill -INT "$p" 2>/dev/null || true
			wait "$p" 2>/dev/null || true
		done
		cap_pids=()
		for ns in "$@"; do
			f+=("$tmp/$ns.pcapng")
		done
		mergecap -w "$tmp/wire.pcapng" "${f[@]}"
		tshark -X "lua_script:$TOP/tools/wireshark/cbu.lua" \
			-r "$tmp/wire.pcapng" -T fields -E occurrence=a -E aggregator=, \
			-e nflog.prefix -e ipv6.src -e ipv6.dst -e _ws.col.Info \
			-e _ws.malformed -e _ws.expert.severity \
			>"$tmp/wire.txt" 2>/dev/null || true
		awk -F'\t' '{ printf "  %-7s %-15s -> %-15s %s\n", $1, $2, $3, $4 }' \
			"$tmp/wire.txt"
		# Malformed, or an expert info of warning (6291456) or worse.
		echo "$(wc -l <"$tmp/wire.txt") Mobility Headers, $(awk -F'\t' '{
			bad = $5 != ""
			n = split($6, sev, ",")
			for (i = 1; i <= n; i++)
				if (sev[i] + 0 >= 6291456)
					bad = 1
			if (bad)
				print
		}' "$tmp/wire.txt" | wc -l) malformed or with a warning"
	fi
}
