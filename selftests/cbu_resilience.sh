#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Keeping a route optimization alive (draft section 3): k_EN runs out and
# is renewed (REQ_KEY, EXCH0', EXCH1', NEWKEY) under continuous traffic,
# with the packets lost counted; a NEWKEY lost once; an EXCH1' lost once;
# the home agent's agent killed and restarted: the kernel keeps its
# tunnel, the agent takes its registrations back from xfrm, and the mobile
# node re-registers and runs the exchange again; the correspondent's agent
# killed and restarted; the home agent's again, with the new exchange
# stalled until k_EN has ended.
#
#                  ha 2001:db8:1::2, home agent of 2001:db8:1::/64
#                   | ha0
#                   | h0 2001:db8:1::1
#    mn ---------- core ---------- cn 2001:db8:2::20
#    mn1 2001:db8:3::10   c0 2001:db8:2::1
#        acc 2001:db8:3::1
#
#    mn's home address 2001:db8:1::10 (on lo); the CN grants k_EN 12 s
#    (LT_EN), so the mobile node asks for a new one every 9 s.

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

: "${CBU_AGENT:=$TOP/agent/cbu-agent}"

HOA=2001:db8:1::10
HA=2001:db8:1::2
COA=2001:db8:3::10
CN=2001:db8:2::20
LT_EN=12

tmp=$(mktemp -d)
cleanup() {
	set +e
	[ -n "${ping_pid:-}" ] && kill "$ping_pid" 2>/dev/null
	agent_test_cleanup
}
trap cleanup EXIT

agent_test_init busybox

# --- the topology and the agents --------------------------------------------

mn='' core='' ha='' cn=''
setup_ns mn core ha cn
link "$core" acc 2001:db8:3::1 "$mn" mn1 "$COA"
link "$core" c0 2001:db8:2::1 "$cn" cn0 "$CN"
link "$core" h0 2001:db8:1::1 "$ha" ha0 "$HA"
ip netns exec "$core" sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$ha" route add default via 2001:db8:1::1
ip -n "$cn" route add default via 2001:db8:2::1
ip -n "$mn" route add default via 2001:db8:3::1

agent_pki 2001:db8:1::/64 "$CN"
agent_secret mn
{
	conf_debug
	conf_mn "$HOA" "$HA" "$tmp/mn.secret"
	printf 'interface = mn1\nlifetime = 120\n'
} >"$tmp/mn.conf"
{
	conf_debug
	conf_ha "$HA" 2001:db8:1::/64 ha0
	echo "mobile-node = $HOA $tmp/mn.secret"
} >"$tmp/ha.conf"
{
	conf_debug
	conf_cn "$CN"
	echo "lt-en = $LT_EN"
} >"$tmp/cn.conf"

agent_start ha "$ha"
agent_start cn "$cn"
agent_start mn "$mn"
if busywait 15000 registered; then
	pass "mn registered at home"
else
	fail "mn did not register"; cat "$tmp/mn.log" "$tmp/ha.log"; exit 1
fi
"$CBUCTL" -n "$mn" ro start "$CN" >/dev/null
if busywait 30000 is_state "$CN" bound; then
	pass "bound with the CN"
else
	fail "not bound: $(ro_state "$CN")"
	tail -n 30 "$tmp/mn.log" "$tmp/ha.log" "$tmp/cn.log"; exit 1
fi
check_eq "mn: LT_EN from the CN's BA" "$LT_EN" \
	"$("$CBUCTL" -n "$mn" -j ro show | jqv '.[0].lt_en')"
# The route optimization's two states on each side; the home tunnel's none.
lifetimes() { ip -n "$1" -s xfrm state | grep -c "expire add: soft 0(sec), hard $LT_EN(sec)"; }
check_eq "mn and cn: the ESP states die with k_EN" "2 2" \
	"$(lifetimes "$mn") $(lifetimes "$cn")"

# --- helpers ---------------------------------------------------------------

# spis NS: the SPIs of the route optimization's ESP states in NS (its
# reqid has the RO's: not the home tunnel's), sorted.
spis() {
	ip -n "$1" xfrm state | awk -v hoa="$HOA" -v cn="$CN" '
		/^src/ { s = $2; d = $4 }
		/proto esp spi/ { spi = $4 }
		/sel src/ { if (($3 == hoa "/128" && $5 == cn "/128") ||
				($3 == cn "/128" && $5 == hoa "/128")) print spi }' |
		sort | tr '\n' ' '
}
# traffic_start SECONDS: the CN pings the HoA every 50 ms, in the background.
traffic_start() {
	ip netns exec "$cn" busybox ping -6 -i 0.05 -W 1 \
		-c $(($1 * 20)) "$HOA" >"$tmp/ping.out" 2>&1 &
	ping_pid=$!
	ping_t0=$(cut -d " " -f 1 /proc/uptime)
}
# traffic_gaps: the sequence numbers that got no answer, when sent.
traffic_gaps() {
	awk -v t0="$ping_t0" '/seq=/ { sub(/.*seq=/, ""); got[$1 + 0] = 1 }
		/packets transmitted/ { n = $1 }
		END { for (i = 0; i < n; i++) if (!(i in got))
			printf "seq %d at +%.2f s\n", i, i * 0.05 }' "$tmp/ping.out"
}
# traffic_wait: wait for it (not in a subshell: the ping is our child);
# traffic_lost: then "LOST SENT".
traffic_wait() {
	wait "$ping_pid" || true
	ping_pid=
}
traffic_lost() {
	sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) packets received.*/\1 \2/p' \
		"$tmp/ping.out" | awk '{ print $1 - $2, $1 }'
	grep -q 'packets transmitted' "$tmp/ping.out" ||
		sed 's/^/ping: /' "$tmp/ping.out" >&2
}
mn_rekeys() { "$CBUCTL" -n "$mn" -j ro show | jqv '.[0].rekeys // 0'; }
rekeys_at_least() { [ "$(mn_rekeys)" -ge "$1" ]; }
# rekeys_under_traffic SECONDS N WHAT: traffic for SECONDS while the mobile
# node's rekeys reach N; every ping must be answered.
rekeys_under_traffic() {
	local lost sent
	traffic_start "$1"
	if busywait $(($1 * 1000 + 20000)) rekeys_at_least "$2"; then
		pass "$3: k_EN renewed ($2 in all)"
	else
		fail "$3: $(mn_rekeys) rekeys"
		tail -n 30 "$tmp/mn.log" "$tmp/ha.log" "$tmp/cn.log"
	fi
	traffic_wait
	read -r lost sent <<<"$(traffic_lost)"
	echo "# $3: $lost of $sent pings lost"
	[ "$lost" = 0 ] || traffic_gaps
	check_eq "$3: no ping lost" 0 "$lost"
}

# The counters of all three, once no rekey is half done (one comes every
# 9 s: read them between two), in one read of each agent.
counts() {
	echo "$(mn_rekeys)" \
		"$(st "$ha" '"\(.home_agent.req_key) \(.home_agent.newkey)"')" \
		"$(st "$cn" '.correspondent | "\(.rekey) \(.switch_seen) \(.switch_timeout)"')"
}
# settled: they agree, and read the same twice in a row (the three reads
# take a while: a rekey that runs between two of them would make one
# reading agree with itself); they stay in $settled_counts.  settle: wait
# for that, from a fresh reading, up to 20 s: two rekeys' time, so that a
# host slow enough to have a rekey under most readings still meets a
# quiet one.
settled() {
	local c prev=$settled_counts
	# A rekey half done at the CN (k_EN-new's inbound state beside the
	# old pair, until it sees it in use): no reading until it is done.
	if [ "$(wc -w <<<"$(spis "$cn")")" -ne 2 ]; then
		settled_counts=
		return 1
	fi
	settled_counts=$(counts)
	read -r -a c <<<"$settled_counts"
	[ "$settled_counts" = "$prev" ] &&
		[ "${c[0]}" = "${c[2]}" ] && [ "${c[0]}" = "${c[3]}" ] &&
		[ "${c[3]}" = $((c[4] + c[5])) ]
}
settle() {
	settled_counts=
	busywait 20000 settled ||
		fail "the counters did not settle: $settled_counts"
}
# rekey_losing NS NAME WHAT MATCH...: the next rekey, under traffic,
# while nft in NS drops the first packet MATCH finds; every ping must still
# be answered.  The counters after it are in $settled_counts.
rekey_losing() {
	local ns=$1 name=$2 what=$3
	shift 3
	drop_once "$ns" "$name" "$@"
	rekeys_under_traffic 12 $(($(mn_rekeys) + 1)) "$what"
	settle
	check_eq "$what: dropped once" 1 "$(dropped "$ns" "$name")"
	ip netns exec "$ns" nft delete table inet loss
}

# --- 1. k_EN renewed under continuous traffic --------------------------------
#
# The CN pings the HoA every 50 ms for 24 s: two rekeys at least.  The CN
# answers EXCH0' listening on k_EN-new already; the mobile node sends under
# it as soon as NEWKEY comes (an ESP dummy packet shows it at once); the CN
# sends under it once it has seen it in use.  No packet should be lost.

spis_before=$(spis "$cn")
rekeys_under_traffic 24 2 "rekey"
settle
read -r r rq nk crk seen tmo <<<"$settled_counts"
check_eq "ha: a NEWKEY for each REQ_KEY" "$r $r" "$rq $nk"
check_eq "cn: each rekey switched on seeing k_EN-new in use" "$r $r 0" \
	"$crk $seen $tmo"
spis_after=$(spis "$cn")
check_eq "cn: one state each way, new SPIs" "2 yes" \
	"$(wc -w <<<"$spis_after") $([ "$spis_after" != "$spis_before" ] && echo yes)"
"$CBUCTL" -n "$mn" -j ro show | jq -c '.[0]' | sed 's/^/# mn: /'

# --- 2. a NEWKEY lost once: REQ_KEY again, the kept NEWKEY again -------------

# From one settled reading: a rekey (one every 9 s) may run meanwhile.
settle
read -r n req_key newkey _ <<<"$settled_counts"
# shellcheck disable=SC2046	# mh_is gives words
rekey_losing "$mn" newkey "newkey lost" \
	ip6 saddr "$HA" ip6 daddr "$HOA" $(mh_is 11 11)
read -r r rq nk crk seen tmo <<<"$settled_counts"
d=$((r - n))
check_eq "newkey lost: one REQ_KEY more than NEWKEYs made (one sent twice)" \
	"$((d + 1)) $d" "$((rq - req_key)) $((nk - newkey))"
check_eq "newkey lost: the CN still switched on seeing k_EN-new" "$crk 0" \
	"$seen $tmo"

# --- 3. an EXCH1' lost once: EXCH0' again, the kept EXCH1' again ------------
#
# The home agent sends EXCH0' again (same N1'); the CN, already listening
# on k_EN-new, sends the same EXCH1' again and derives nothing new.  Its
# wait to see k_EN-new in use starts again with it.

resent=$(st "$cn" .correspondent.rekey_resent)
bad=$(st "$cn" .correspondent.rekey_bad)
# shellcheck disable=SC2046	# mh_is gives words
rekey_losing "$ha" exch1rk "exch1' lost" \
	ip6 saddr "$CN" ip6 daddr "$HOA" $(mh_is 11 10)
read -r r rq nk crk seen tmo <<<"$settled_counts"
check_eq "exch1' lost: the same EXCH1' again, no MAC refused" "1 0" \
	"$(($(st "$cn" .correspondent.rekey_resent) - resent)) $(($(st "$cn" .correspondent.rekey_bad) - bad))"
check_eq "exch1' lost: one k_EN-new per rekey, each seen in use" \
	"$r $r $r 0" "$nk $crk $seen $tmo"

# --- 4. the home agent's agent killed, and restarted --------------------------
#
# The kernel keeps the home tunnel and the proxy ND entry: the HoA stays
# reachable through the home agent.  The restarted agent takes the
# registration back from xfrm and asks the mobile node for a new one (BRR);
# it lost k_HA-next, so the mobile node falls back to z.  Its next REQ_KEY
# finds no keys at the home agent (REP_NAK), and a full exchange runs; the
# old path carries the traffic meanwhile (make before break): the CN's
# pings are counted across it.

# Right after a rekey, so the next REQ_KEY comes once the mobile node has
# registered again (it would go unanswered while the home agent is down).
check_eq "ha: killed after a rekey" true \
	"$(busywait 20000 rekeys_at_least $(($(mn_rekeys) + 1)) && echo true)"
agent_kill "${AGENT_PIDS[0]}"
if busywait 5000 ping_from "$core" 2; then
	pass "ha killed: the home tunnel still carries the HoA's traffic"
else
	fail "ha killed: the HoA does not answer through the home agent"
fi
if ping_from "$cn" 2; then
	pass "ha killed: the optimized route still works"
else
	fail "ha killed: the optimized route stopped"
fi
fails=$(st "$mn" .mobile_node.rekey_failed)
n=$(mn_rekeys)
agent_start ha "$ha"
ha_pid=${AGENT_PIDS[-1]}
traffic_start 15
check_eq "ha restarted: the registration taken back from xfrm" \
	"1 $COA" "$(st "$ha" .home_agent.resumed) $(st "$ha" '.home_agent.mobile_nodes[0].coa')"
z_reg() { grep -q "back to z for the home agent" "$tmp/mn.log"; }
if busywait 30000 z_reg && busywait 10000 registered; then
	pass "ha restarted: the mobile node registered again, under z"
else
	fail "ha restarted: no new registration"
	tail -n 30 "$tmp/mn.log" "$tmp/ha.log"
fi
rekey_failed() { [ "$(st "$mn" .mobile_node.rekey_failed)" -gt "$fails" ]; }
# Refused by the home agent itself (REP_NAK), not merely unanswered.
ha_refused() { [ "$(st "$ha" .home_agent.rekey_unknown)" -ge 1 ]; }
if busywait 30000 ha_refused && busywait 30000 rekey_failed; then
	pass "ha restarted: REQ_KEY refused (no keys at the home agent)"
else
	fail "ha restarted: REQ_KEY not refused"
fi
if busywait 30000 is_state "$CN" bound && busywait 10000 ping_from "$cn" 2; then
	pass "ha restarted: a full exchange, bound again, the HoA answers"
else
	fail "ha restarted: $(ro_state "$CN")"
	tail -n 30 "$tmp/mn.log" "$tmp/ha.log" "$tmp/cn.log"
fi
traffic_wait
read -r lost sent <<<"$(traffic_lost)"
echo "# ha restarted: $lost of $sent pings lost"
traffic_gaps
check_eq "ha restarted: the rekey after it works" true \
	"$(busywait 20000 rekeys_at_least $((n + 1)) && echo true)"

# --- 5. the correspondent's agent killed, and restarted ---------------------
#
# cbu.ko keeps the binding and xfrm the ESP path; the restarted agent takes
# the entry back, without its k_EN or k_master (cbu.ko never gives a key
# back).  The next EXCH0' finds no k_EN there; the mobile node's rekey runs
# out with k_EN, and a full exchange brings new keys.

agent_kill "${AGENT_PIDS[0]}"
if ping_from "$cn" 2; then
	pass "cn killed: the optimized route still works"
else
	fail "cn killed: the optimized route stopped"
fi
agent_start cn "$cn"
check_eq "cn restarted: the entry taken back from cbu.ko" 1 \
	"$(st "$cn" .correspondent.resumed)"
fails=$(st "$mn" .mobile_node.rekey_failed)
unknown() { [ "$(st "$cn" .correspondent.rekey_unknown)" -ge 1 ]; }
if busywait 30000 unknown && busywait 30000 rekey_failed; then
	pass "cn restarted: EXCH0' without k_EN, the rekey given up"
else
	fail "cn restarted: $(st "$cn" .correspondent.rekey_unknown) EXCH0' unknown"
fi
if busywait 30000 is_state "$CN" bound && busywait 10000 ping_from "$cn" 2; then
	pass "cn restarted: a full exchange, bound again, the HoA answers"
else
	fail "cn restarted: $(ro_state "$CN")"
	tail -n 30 "$tmp/mn.log" "$tmp/ha.log" "$tmp/cn.log"
fi
n=$(mn_rekeys)
check_eq "cn restarted: the rekey after it works" true \
	"$(busywait 20000 rekeys_at_least $((n + 1)) && echo true)"

# --- 6. the home agent restarted again; the new exchange outlives k_EN -----
#
# The REQ_KEY is refused as in 4, but no EXCH1 reaches the home agent for
# a while (nft drops them there).  The old path carries the traffic while
# k_EN lives, then goes; the HoA answers through the home agent until the
# exchange, its EXCH0 resent, completes.

ends() { grep -c "ended: the home tunnel until new keys" "$tmp/mn.log" || true; }
ended() { [ "$(ends)" -gt "$ends" ]; }
path_kept() { [ -n "$(spis "$mn")" ]; }

agent_kill "$ha_pid"
ip netns exec "$ha" nft add table inet stall
ip netns exec "$ha" nft add chain inet stall pre \
	'{ type filter hook prerouting priority -450; }'
# shellcheck disable=SC2046	# mh_is gives words
ip netns exec "$ha" nft add rule inet stall pre \
	ip6 saddr "$CN" ip6 daddr "$HOA" $(mh_is 11 6) counter drop
fails=$(st "$mn" .mobile_node.rekey_failed)
ends=$(ends)
agent_start ha "$ha"
if busywait 30000 ha_refused && busywait 5000 rekey_failed && path_kept; then
	pass "stalled: REQ_KEY refused, the old path kept"
else
	fail "stalled: $(st "$mn" .mobile_node.rekey_failed) rekeys failed, SPIs '$(spis "$mn")'"
	tail -n 40 "$tmp/mn.log"
fi
# The stall ends as soon as one ping has gone through the home agent: it
# gives the exchange up 15 s after its first EXCH0 (resent at 1, 3 and
# 7 s), and k_EN ends about 3 s after it (the rekey starts at 3/4 of
# LT_EN), which leaves the test some 12 s, less on a slow host.
went=
busywait "$((LT_EN * 1000))" ended && ! path_kept &&
	busywait 3000 ping_from "$cn" 1 && went=1
stalled=$(ip netns exec "$ha" nft -j list chain inet stall pre |
	jqv '[.nftables[] | select(.rule) | .rule.expr[] | select(.counter) |
	     .counter.packets] | add')
ip netns exec "$ha" nft delete table inet stall
if [ -n "$went" ]; then
	pass "stalled: k_EN ended, the path went, the HoA answers through the HA"
else
	fail "stalled: SPIs '$(spis "$mn")', $(ro_state "$CN")"
	tail -n 20 "$tmp/mn.log"
fi
if [ "${stalled:-0}" -ge 1 ] && busywait 30000 is_state "$CN" bound &&
	busywait 10000 ping_from "$cn" 2; then
	pass "stalled: EXCH1 dropped ($stalled), then bound again, the HoA answers"
else
	fail "stalled: $(ro_state "$CN") after $stalled EXCH1 dropped"
	tail -n 30 "$tmp/mn.log" "$tmp/ha.log" "$tmp/cn.log"
fi

agents_stop
agents_clean mn ha cn
check_dmesg "no kernel complaints"
exit $RET
