#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# One mobile node, eight correspondents at once (issue 13): route
# optimization started with all eight back to back, two moves while the
# exchanges run, then every k_EN rekeyed.  The k_HA ratchet must keep the
# mobile node and its home agent in step through the overlapping REQs,
# REPs, REGs and REQ_KEYs (Documentation/wire-format.md §9.4): every path
# bound, no REP_NAK, no fallback to z, every rekey done, and the traffic
# of every correspondent direct to the CoA.
#
#                  ha 2001:db8:1::2, home agent of 2001:db8:1::/64
#                   | ha0
#                   | h0 2001:db8:1::1
#    mn ---------- core ---------- br0 2001:db8:2::1 (a bridge)
#    mn1 2001:db8:3::10 (a1 2001:db8:3::1)      |
#    mn2 2001:db8:4::10 (a2 2001:db8:4::1)    cn1 .. cn8, 2001:db8:2::21..28
#
#    mn's home address 2001:db8:1::10 (on lo); the correspondents grant
#    k_EN LT_EN seconds, so the mobile node rekeys each at 3/4 of it.

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

: "${CBU_AGENT:=$TOP/agent/cbu-agent}"
N=${CBU_CNS:-8}
LT_EN=${CBU_LT_EN:-20}

HOA=2001:db8:1::10
HA=2001:db8:1::2
COA1=2001:db8:3::10
COA2=2001:db8:4::10

tmp=$(mktemp -d)
trap agent_test_cleanup EXIT
modprobe -q bridge 2>/dev/null || true
agent_test_init busybox

cn_addr() { printf '2001:db8:2::%x' $((0x20 + $1)); }

# --- the topology ------------------------------------------------------------

mn='' core='' ha='' c=''
setup_ns mn core ha
link "$core" a1 2001:db8:3::1 "$mn" mn1 "$COA1"
link "$core" a2 2001:db8:4::1 "$mn" mn2 ""
link "$core" h0 2001:db8:1::1 "$ha" ha0 "$HA"
bridge_add "$core" 2001:db8:2::1
ip netns exec "$core" sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$ha" route add default via 2001:db8:1::1
ip -n "$mn" route add default via 2001:db8:3::1
CNS=()
for i in $(seq 1 "$N"); do
	bridged c "$core" "c$i" cn0 "$(cn_addr "$i")" 2001:db8:2::1
	CNS+=("$c")
done

# --- credentials and configuration -------------------------------------------

agent_pki 2001:db8:1::/64 "$(cn_addr 1)"
confs_home "$HOA" "$HA" 2001:db8:1::/64 ha0 mn1 mn2
for i in $(seq 1 "$N"); do
	"$CBUCTL" cert issue cn "$(cn_addr "$i")" pubkey "$tmp/cn.pub" \
		key "$tmp/ca.key" out "$tmp/cn$i.cert"
	{
		conf_cn "$(cn_addr "$i")" | sed "s|$tmp/cn.cert|$tmp/cn$i.cert|"
		echo "lt-en = $LT_EN"
	} >"$tmp/cn$i.conf"
done

agent_start ha "$ha"
for i in $(seq 1 "$N"); do
	agent_many "cn$i" "${CNS[$((i - 1))]}"
done
for i in $(seq 1 "$N"); do
	busywait 20000 "$CBUCTL" -n "${CNS[$((i - 1))]}" agent status \
		>/dev/null 2>&1 || { cat "$tmp/cn$i.log"; fail "cn$i: no agent"; exit 1; }
done
agent_start mn "$mn"
if busywait 20000 registered; then
	pass "mn registered at home"
else
	fail "mn did not register"; cat "$tmp/mn.log" "$tmp/ha.log"; exit 1
fi

# --- eight at once, and two moves while they run ------------------------------

nft_count "$ha" via_ha ip6 daddr "$HOA" \
	icmpv6 type != '{ nd-neighbor-solicit, nd-neighbor-advert }'
start=$(date +%s%N)
for i in $(seq 1 "$N"); do
	"$CBUCTL" -n "$mn" ro start "$(cn_addr "$i")" >/dev/null
done
# Move to mn2's link, then back to mn1's, while the REPs come.
ip -n "$mn" addr add "$COA2/64" dev mn2 nodad
ip -n "$mn" route replace default via 2001:db8:4::1
ip -n "$mn" addr del "$COA1/64" dev mn1
busywait 5000 grep -q "care-of address $COA2" "$tmp/mn.log" ||
	fail "mn: did not see $COA2"
sleep 0.3
ip -n "$mn" addr add "$COA1/64" dev mn1 nodad
ip -n "$mn" route replace default via 2001:db8:3::1
ip -n "$mn" addr del "$COA2/64" dev mn2
moves=$(st "$mn" .mobile_node.moves)

bound_all() {
	[ "$("$CBUCTL" -n "$mn" -j ro show |
	     jqv '[.[] | select(.state == "bound" and .coa == "'"$COA1"'")] | length')" \
		-eq "$N" ]
}
if busywait 60000 bound_all; then
	pass "all $N bound at $COA1"
else
	fail "bound: $("$CBUCTL" -n "$mn" -j ro show | jq -c '[.[] | .state + " " + (.coa // "-")]')"
	tail -n 40 "$tmp/mn.log" "$tmp/ha.log"
fi
echo "# $N route optimizations and 2 moves in $((($(date +%s%N) - start) / 1000000)) ms"
check_eq "mn: two moves" 2 "$moves"
confirmed_at() {	# confirmed_at I: cn I's binding names COA1, confirmed
	[ "$("$CBUCTL" -n "${CNS[$(($1 - 1))]}" -j binding show "$HOA" \
	     "$(cn_addr "$1")" | jqv -r '.[0].state + " " + .[0].coa')" == \
	  "confirmed $COA1" ]
}
ok=0
for i in $(seq 1 "$N"); do
	busywait 10000 confirmed_at "$i" && ok=$((ok + 1))
done
check_eq "every CN's binding confirmed at $COA1" "$N" "$ok"

# --- every k_EN renewed --------------------------------------------------------

rekeyed_all() {
	[ "$("$CBUCTL" -n "$mn" -j ro show |
	     jqv '[.[] | select((.rekeys // 0) >= 1)] | length')" -eq "$N" ]
}
if busywait $((LT_EN * 1000 + 30000)) rekeyed_all; then
	pass "every k_EN renewed"
else
	fail "rekeyed: $("$CBUCTL" -n "$mn" -j ro show | jq -c '[.[] | .rekeys // 0]')"
	tail -n 40 "$tmp/mn.log" "$tmp/ha.log"
fi
# --- the ratchet held: no refusal, no REP_NAK, no fallback to z ----------------

check_eq "mn: no REP_NAK, no failed rekey, no fallback to z" "0 0 0" \
	"$(st "$mn" '.mobile_node | "\(.nak) \(.rekey_failed) \(.z_fallback)"')"
check_eq "ha: no REP_NAK, no exchange timed out" "0 0" \
	"$(st "$ha" '.home_agent | "\(.nak) \(.timeouts)"')"
check_eq "ha: one REP each, and a NEWKEY each at least" "$N true" \
	"$(st "$ha" .home_agent.rep) $([ "$(st "$ha" .home_agent.newkey)" -ge "$N" ] &&
				       echo true)"
check_eq "ha: every REG, REQ and REQ_KEY opened (the ends in step)" "0 0" \
	"$(st "$ha" '.home_agent | "\(.reg_bad) \(.req_bad)"')"
# The home agent follows a switch with the mobile node's next REG (a move,
# a refresh), so it may be one behind.
sw_mn=$(st "$mn" .mobile_node.k_ha_switch)
sw_ha=$(st "$ha" .home_agent.k_ha_switch)
echo "# k_HA switches: mn $sw_mn, ha $sw_ha"
check_eq "k_HA: the home agent at most one switch behind" true \
	"$([ $((sw_mn - sw_ha)) -ge 0 ] && [ $((sw_mn - sw_ha)) -le 1 ] &&
	   echo true)"

# --- traffic: every correspondent direct to the CoA -------------------------------

before=$(counted "$ha" via_ha)
answered=0
for i in $(seq 1 "$N"); do
	if busywait 5000 ping_from "${CNS[$((i - 1))]}" 2; then
		answered=$((answered + 1))
	else
		echo "# cn$i: the HoA did not answer"
	fi
done
check_eq "every CN reaches the HoA" "$N" "$answered"
check_eq "none through the home agent" "$before" "$(counted "$ha" via_ha)"

agents_many_stop
check_eq "the correspondents' agents exit cleanly" 0 "$MANY_FAILED"
agents_stop
agents_clean mn ha
check_dmesg "no kernel complaints"
exit $RET
