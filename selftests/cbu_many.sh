#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A hundred mobile nodes against one home agent and one correspondent, at
# once: each registers at home, asks for route optimization with the CN,
# and all are bound; then every home address answers the CN directly, none
# through the home agent.
#
#    mn1 .. mn100 (a netns and a cbu-agent each)
#      CoA 2001:db8:3::1:N, HoA 2001:db8:1::1:N
#        |  (one bridge)
#       core 2001:db8:3::1 ---- cn 2001:db8:2::20
#        |
#       ha 2001:db8:1::2, home agent of 2001:db8:1::/64, all hundred
#
# The home agent's and the correspondent's agents are the sanitized build
# the other tests run; the hundred mobile nodes run $CBU_AGENT_RELEASE
# (the same code without sanitizers: a hundred ASan processes do not fit
# the VM's memory), if there is one.

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

: "${CBU_AGENT:=$TOP/agent/cbu-agent}"
N=${CBU_MANY:-100}

HA=2001:db8:1::2
CN=2001:db8:2::20

tmp=$(mktemp -d)
trap agent_test_cleanup EXIT
modprobe -q bridge 2>/dev/null || true
agent_test_init busybox

hoa() { printf '2001:db8:1::1:%x' "$1"; }
coa() { printf '2001:db8:3::1:%x' "$1"; }

# --- the topology ------------------------------------------------------------

core='' ha='' cn=''
setup_ns core ha cn
link "$core" c0 2001:db8:2::1 "$cn" cn0 "$CN"
link "$core" h0 2001:db8:1::1 "$ha" ha0 "$HA"
bridge_add "$core" 2001:db8:3::1
ip netns exec "$core" sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$ha" route add default via 2001:db8:1::1
ip -n "$cn" route add default via 2001:db8:2::1
MNS=()
m=''
for i in $(seq 1 "$N"); do
	bridged m "$core" "p$i" mn1 "$(coa "$i")" 2001:db8:3::1
	MNS+=("$m")
done

# --- credentials and configuration ------------------------------------------

agent_pki 2001:db8:1::/64 "$CN"
conf_ha "$HA" 2001:db8:1::/64 ha0 >"$tmp/ha.conf"
for i in $(seq 1 "$N"); do
	agent_secret "mn$i"
	echo "mobile-node = $(hoa "$i") $tmp/mn$i.secret" >>"$tmp/ha.conf"
	{
		conf_mn "$(hoa "$i")" "$HA" "$tmp/mn$i.secret"
		printf 'interface = mn1\nlifetime = 300\ncorrespondent = %s\n' \
			"$CN"
	} >"$tmp/mn$i.conf"
done
conf_cn "$CN" >"$tmp/cn.conf"

# --- all at once --------------------------------------------------------------

agent_start ha "$ha"
agent_start cn "$cn"
start=$(date +%s%N)
for i in $(seq 1 "$N"); do
	agent_many "mn$i" "${MNS[$((i - 1))]}"
done

registered_all() {
	local n
	# A busy agent may not answer at once: that is "not yet".
	n=$(st "$ha" '[.home_agent.mobile_nodes[] | select(.registered)] | length') ||
		return 1
	[ "${n:-0}" -eq "$N" ]
}
if busywait 120000 registered_all; then
	pass "$N mobile nodes registered at the home agent"
else
	fail "registered: $(st "$ha" '[.home_agent.mobile_nodes[] | select(.registered)] | length') of $N"
fi

# Each asked for route optimization with the CN as it registered (the
# configuration names it): all must end bound, confirmed at the CN.
confirmed() {
	"$CBUCTL" -n "$cn" -j binding show |
		jqv '[.[] | select(.state == "confirmed")] | length'
}
confirmed_all() { [ "$(confirmed)" -eq "$N" ]; }
if busywait 240000 confirmed_all; then
	pass "$N bindings confirmed at the CN"
else
	fail "confirmed at the CN: $(confirmed) of $N"
	tail -n 20 "$tmp/ha.log" "$tmp/cn.log"
fi
echo "# $N route optimizations in $((($(date +%s%N) - start) / 1000000)) ms from the agents' start"
bound=0
for i in $(seq 1 "$N"); do
	s=$("$CBUCTL" -n "${MNS[$((i - 1))]}" -j ro show | jqv -r '.[0].state')
	if [ "$s" == bound ]; then
		bound=$((bound + 1))
	else
		echo "# mn$i: $s"
	fi
done
check_eq "every mobile node bound" "$N" "$bound"
check_eq "ha: one exchange each, none failed" "$N 0 0" \
	"$(st "$ha" .home_agent.rep) $(st "$ha" .home_agent.timeouts) $(st "$ha" .home_agent.nak)"
check_eq "cn: a peer and an ESP path each" "$N $N" \
	"$(st "$cn" .correspondent.peers) $(st "$cn" .correspondent.paths)"

# Every home address answers the CN, and not through the home agent.
ip netns exec "$ha" nft add table inet cbu
ip netns exec "$ha" nft add chain inet cbu pre \
	'{ type filter hook prerouting priority -400; }'
ip netns exec "$ha" nft add counter inet cbu via_ha
ip netns exec "$ha" nft add rule inet cbu pre ip6 daddr 2001:db8:1::/64 \
	icmpv6 type != '{ nd-neighbor-solicit, nd-neighbor-advert }' \
	counter name via_ha
answered=0
for i in $(seq 1 "$N"); do
	if ip netns exec "$cn" busybox ping -6 -q -c 1 -W 2 "$(hoa "$i")" \
		>/dev/null 2>&1; then
		answered=$((answered + 1))
	else
		echo "# $(hoa "$i") did not answer"
	fi
done
check_eq "every home address answers the CN" "$N" "$answered"
check_eq "none through the home agent" 0 \
	"$(ip netns exec "$ha" nft -j list counter inet cbu via_ha |
	   jqv '.nftables[] | select(.counter) | .counter.packets')"

agents_many_stop
check_eq "the mobile nodes' agents exit cleanly" 0 "$MANY_FAILED"
unbound_all() { [ "$("$CBUCTL" -n "$cn" -j binding show | jqv length)" -eq 0 ]; }
if busywait 30000 unbound_all; then
	pass "the CN freed every binding and slot they ended"
else
	fail "the CN still holds $("$CBUCTL" -n "$cn" -j binding show | jqv length) entries"
fi
check_eq "cn: no peer and no ESP state left" "0 0" \
	"$(st "$cn" .correspondent.peers) $(ip -n "$cn" xfrm state | grep -c '^src' || true)"

agents_stop
agents_clean ha cn
check_dmesg "no kernel complaints"
exit $RET
