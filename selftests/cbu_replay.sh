#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Replays on the home path (issue 13 item 2, wire-format.md §9.5): a rogue
# router between the core and the home agent captures the ESP packets the
# mobile node sends through its home tunnel, the REQ of a route
# optimization and the REQ_KEYs of its k_EN rekeys among them, and sends
# them all again after the mobile node moved twice.  Each registration
# from a new CoA makes the home tunnel's SAs anew, keyed from k_HA and the
# REG's and REG_ACK's nonces, so no captured packet finds an SA to open
# it: the home agent's agent sees none of them, the correspondent's k_EN
# stays, and no ping across the replay is lost.
#
#                  ha 2001:db8:1::2, home agent of 2001:db8:1::/64
#                   | ha0
#                   | r1 2001:db8:1::1
#                 rogue (forwards, captures, replays)
#                   | r0 2001:db8:5::2
#                   | h0 2001:db8:5::1
#    mn ---------- core ---------- cn 2001:db8:2::20
#    mn1 2001:db8:3::10, ::11, ::12   c0 2001:db8:2::1
#        acc 2001:db8:3::1
#
#    mn's home address 2001:db8:1::10 (on lo); the CN grants k_EN 60 s
#    (LT_EN): the mobile node's own rekeys come 45 s apart, and the two the
#    rogue captures are asked for with `cbuctl ro rekey`.

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

: "${CBU_AGENT:=$TOP/agent/cbu-agent}"

HOA=2001:db8:1::10
HA=2001:db8:1::2
COA1=2001:db8:3::10
COA2=2001:db8:3::11
COA3=2001:db8:3::12
CN=2001:db8:2::20
LT_EN=60

tmp=$(mktemp -d)
cleanup() {
	set +e
	[ -n "${ping_pid:-}" ] && kill "$ping_pid" 2>/dev/null
	[ -n "${rogue_pid:-}" ] && kill "$rogue_pid" 2>/dev/null
	agent_test_cleanup
}
trap cleanup EXIT

/usr/bin/python3 -c 'import scapy' 2>/dev/null || skip "needs python3-scapy"
agent_test_init busybox /usr/bin/python3

# --- the topology and the agents --------------------------------------------

mn='' core='' rogue='' ha='' cn=''
setup_ns mn core rogue ha cn
link "$core" acc 2001:db8:3::1 "$mn" mn1 "$COA1"
link "$core" c0 2001:db8:2::1 "$cn" cn0 "$CN"
link "$core" h0 2001:db8:5::1 "$rogue" r0 2001:db8:5::2
link "$rogue" r1 2001:db8:1::1 "$ha" ha0 "$HA"
ip netns exec "$core" sysctl -qw net.ipv6.conf.all.forwarding=1
ip netns exec "$rogue" sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$core" route add 2001:db8:1::/64 via 2001:db8:5::2
ip -n "$rogue" route add default via 2001:db8:5::1
ip -n "$ha" route add default via 2001:db8:1::1
ip -n "$cn" route add default via 2001:db8:2::1
ip -n "$mn" route add default via 2001:db8:3::1

agent_pki 2001:db8:1::/64 "$CN"
confs_home "$HOA" "$HA" 2001:db8:1::/64 ha0 mn1
{
	conf_debug
	conf_cn "$CN"
	echo "lt-en = $LT_EN"
} >"$tmp/cn.conf"

# The rogue: "rogue.py IFACE DST OUT" keeps every ESP packet to DST that
# leaves by IFACE (OUT.ready once it listens: scapy takes seconds to load
# in the emulator); on SIGUSR2 it stops, and writes to OUT how many it has
# of each IPv6 payload length (in the tunnel a REQ is 188 octets, a
# REQ_KEY 196), then OUT.stopped; on SIGUSR1 it sends them all out again,
# as they were, and writes how many to OUT.sent.
cat >"$tmp/rogue.py" <<'EOF'
import collections, signal, sys
from scapy.sendrecv import AsyncSniffer, sendp
from scapy.layers.inet6 import IPv6

iface, dst, out = sys.argv[1:4]
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1, signal.SIGUSR2})
s = AsyncSniffer(iface=iface, store=True,
                 lfilter=lambda p: IPv6 in p and p[IPv6].nh == 50 and
                 p[IPv6].dst == dst)
s.start()
open(out + ".ready", "w").close()
signal.sigwait({signal.SIGUSR2})
pkts = s.stop()
with open(out, "w") as f:
    for plen, n in sorted(collections.Counter(
            p[IPv6].plen for p in pkts).items()):
        print(plen, n, file=f)
open(out + ".stopped", "w").close()
signal.sigwait({signal.SIGUSR1})
sendp(pkts, iface=iface, verbose=False)
with open(out + ".sent", "w") as f:
    print(len(pkts), file=f)
EOF

agent_start ha "$ha"
agent_start cn "$cn"
agent_start mn "$mn"
if busywait 15000 registered; then
	pass "mn registered at home, through the rogue"
else
	fail "mn did not register"; cat "$tmp/mn.log" "$tmp/ha.log"; exit 1
fi

# --- helpers ---------------------------------------------------------------

# spis NS REQID: the SPIs of NS's ESP states of REQID, sorted.
spis() {
	ip -n "$1" xfrm state | awk -v r="$2" '
		/proto esp spi/ { q = $6; sub(/\(.*/, "", q)
				  if (q == r) print $4 }' |
		sort | tr '\n' ' '
}
# The CN's route optimization (slot 0), the home agent's home tunnel.
cn_spis() { spis "$cn" $((0x10000)); }
ha_spis() { spis "$ha" $((0x20000)); }
mn_rekeys() { "$CBUCTL" -n "$mn" -j ro show | jqv '.[0].rekeys // 0'; }
rekeys_at_least() { [ "$(mn_rekeys)" -ge "$1" ]; }
ro_coa() { "$CBUCTL" -n "$mn" -j ro show | jqv -r '.[0].coa'; }
# at COA: registered at home from COA, and bound with the CN there.
at() {
	[ "$(st "$ha" '.home_agent.mobile_nodes[0].coa')" = "$1" ] &&
		registered && is_state "$CN" bound && [ "$(ro_coa)" = "$1" ]
}
# move FROM TO: the mobile node's CoA changes on mn1.
move() {
	ip -n "$mn" addr add "$2/64" dev mn1 nodad
	ip -n "$mn" addr del "$1/64" dev mn1
	if busywait 20000 at "$2"; then
		pass "moved to $2: registered and bound there"
	else
		fail "move to $2: $(ro_state "$CN") at $(ro_coa)"
		tail -n 30 "$tmp/mn.log" "$tmp/ha.log"; exit 1
	fi
}
# xfrm_stat NS NAME: a counter of /proc/net/xfrm_stat in NS (0 without it).
xfrm_stat() {
	# shellcheck disable=SC2016	# awk's fields
	ip netns exec "$1" awk -v n="$2" '$1 == n { print $2; f = 1 }
		END { if (!f) print 0 }' /proc/net/xfrm_stat 2>/dev/null || echo 0
}
# What the replay could move: the home agent's REQs, REQ_KEYs, refusals
# and NEWKEYs, and the correspondent's rekeys.
counts() {
	echo "$(st "$ha" .home_agent.req) $(st "$ha" .home_agent.req_key)" \
		"$(st "$ha" .home_agent.req_bad) $(st "$ha" .home_agent.newkey)" \
		"$(st "$cn" .correspondent.rekey)"
}

# --- 1. captured: the REQ, then REQ_KEYs after a move -------------------------
#
# The rogue captures from before the exchange: the REQ goes through the
# tunnel keyed from z.  The move to COA2 registers under the k_HA-next of
# the REP; two rekeys follow, their REQ_KEYs under that k_HA in the
# tunnel from COA2, with ESP sequence numbers 1 and 2.

ip netns exec "$rogue" /usr/bin/python3 "$tmp/rogue.py" r1 "$HA" \
	"$tmp/cap" 2>"$tmp/rogue.err" &
rogue_pid=$!
busywait 60000 test -e "$tmp/cap.ready" ||
	{ cat "$tmp/rogue.err"; fail "the rogue did not start"; exit 1; }

"$CBUCTL" -n "$mn" ro start "$CN" >/dev/null
if busywait 30000 is_state "$CN" bound; then
	pass "bound with the CN"
else
	fail "not bound: $(ro_state "$CN")"
	tail -n 30 "$tmp/mn.log" "$tmp/ha.log" "$tmp/cn.log"; exit 1
fi
move "$COA1" "$COA2"
for n in 1 2; do
	"$CBUCTL" -n "$mn" ro rekey "$CN" >/dev/null
	busywait 20000 rekeys_at_least "$n" || break
done
if rekeys_at_least 2; then
	pass "two rekeys from $COA2"
else
	fail "$(mn_rekeys) rekeys"; tail -n 30 "$tmp/mn.log"; exit 1
fi

# --- 2. right after: a second move, new SAs though k_HA did not change -------
#
# The mobile node's next rekey is 45 s away: until then it sends nothing
# in its new tunnel, and every change of the CN's k_EN is the replay's.

kill -USR2 "$rogue_pid"
k_switch=$(st "$ha" .home_agent.k_ha_switch)
ha_before=$(ha_spis)
move "$COA2" "$COA3"
busywait 10000 test -e "$tmp/cap.stopped" ||
	{ cat "$tmp/rogue.err"; fail "the rogue did not stop"; exit 1; }
sed 's/^/# captured: payload length, packets: /' "$tmp/cap"
req=$(awk '$1 == 188 { print $2 }' "$tmp/cap")
req_key=$(awk '$1 == 196 { print $2 }' "$tmp/cap")
if [ "${req:-0}" -ge 1 ] && [ "${req_key:-0}" -ge 2 ]; then
	pass "the rogue captured the REQ and the REQ_KEYs in the tunnel"
else
	fail "captured ${req:-0} REQ, ${req_key:-0} REQ_KEY"
	cat "$tmp/rogue.err"; exit 1
fi
check_eq "ha: the move changed no k_HA" "$k_switch" \
	"$(st "$ha" .home_agent.k_ha_switch)"
ha_after=$(ha_spis)
check_eq "ha: the move made new home tunnel SPIs" "2 2 yes" \
	"$(wc -w <<<"$ha_before") $(wc -w <<<"$ha_after") $(
		[ -z "$(comm -12 <(tr ' ' '\n' <<<"$ha_before" | sort) \
			<(tr ' ' '\n' <<<"$ha_after" | sort) | tr -d '\n')" ] &&
		echo yes)"

# --- 3. the replay, under traffic --------------------------------------------
#
# The CN pings the HoA for 8 s, and the rogue replays all it captured half
# a second in.  Before §9.5 the new tunnel had the old one's key and SPI,
# and a fresh replay window: the older REQ_KEY opened (its N0' not the
# last one's), and the CN sent under a k_EN-new the mobile node never got
# 5 s later (min(5 s, LT_EN/8)), inside the pings.

c_before=$(counts)
cn_before=$(cn_spis)
nostates=$(xfrm_stat "$ha" XfrmInNoStates)
ip netns exec "$cn" busybox ping -6 -i 0.05 -W 1 -c 160 "$HOA" \
	>"$tmp/ping.out" 2>&1 &
ping_pid=$!
sleep 0.5
kill -USR1 "$rogue_pid"
busywait 20000 test -e "$tmp/cap.sent" || cat "$tmp/rogue.err"
sent=$(cat "$tmp/cap.sent" 2>/dev/null || true)
echo "# replayed ${sent:-no} packets"
wait "$rogue_pid" || true
rogue_pid=
wait "$ping_pid" || true
ping_pid=
c_after=$(counts)
check_eq "ha, cn: no REQ, REQ_KEY, refusal, NEWKEY or rekey from the replay" \
	"$c_before" "$c_after"
check_eq "cn: k_EN unchanged (its SPIs)" "$cn_before" "$(cn_spis)"
lost=$(sed -n 's/^\([0-9]*\) packets transmitted, \([0-9]*\) packets received.*/\1 \2/p' \
	"$tmp/ping.out" | awk '{ print $1 - $2 }')
check_eq "no ping lost across the replay" 0 "${lost:-none}"
if [ -e /proc/net/xfrm_stat ]; then
	check_eq "ha: every replayed packet found no SA" "${sent:-none}" \
		$(($(xfrm_stat "$ha" XfrmInNoStates) - nostates))
fi
check_eq "mn: bound, no rekey failed" "bound 0" \
	"$(ro_state "$CN") $(st "$mn" .mobile_node.rekey_failed)"

agents_stop
agents_clean mn ha cn
check_dmesg "no kernel complaints"
exit $RET
