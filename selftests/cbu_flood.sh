#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A home agent under a flood of type-11 messages for its home prefix (from
# one source, checksums right: what a remote attacker can send at will):
# cbu.ko hands up only that source's rate, so the agent's socket does not
# fill and the mobile node still registers, sets up route optimization and
# gets its traffic direct, in the usual time.  The counters show the flood
# dropped (mh_limited).
#
#                  ha 2001:db8:1::2, home agent of 2001:db8:1::/64
#                   | ha0
#                   | h0 2001:db8:1::1
#    mn ---------- core ---------- cn 2001:db8:2::20
#    mn1 2001:db8:3::10 | c0 2001:db8:2::1
#                       | a0 2001:db8:6::1
#                   att 2001:db8:6::66 (the flood)

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

: "${CBU_AGENT:=$TOP/agent/cbu-agent}"

HOA=2001:db8:1::10
HA=2001:db8:1::2
COA=2001:db8:3::10
CN=2001:db8:2::20
ATT=2001:db8:6::66
# Type 11, subtype 1 (REQ), 24 octets of nothing the agent can open.
MH11=3b020b0000000001$(printf '0%.0s' $(seq 1 32))

tmp=$(mktemp -d)
flood_pids=()
cleanup() {
	set +e
	for p in "${flood_pids[@]}"; do kill "$p" 2>/dev/null; done
	agent_test_cleanup
}
trap cleanup EXIT

agent_test_init busybox
[ -x "$MH_SEND" ] || skip "no mh-send at $MH_SEND"

mn='' core='' ha='' cn='' att=''
setup_ns mn core ha cn att
link "$core" acc 2001:db8:3::1 "$mn" mn1 "$COA"
link "$core" c0 2001:db8:2::1 "$cn" cn0 "$CN"
link "$core" h0 2001:db8:1::1 "$ha" ha0 "$HA"
link "$core" a0 2001:db8:6::1 "$att" at0 "$ATT"
ip netns exec "$core" sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$ha" route add default via 2001:db8:1::1
ip -n "$cn" route add default via 2001:db8:2::1
ip -n "$mn" route add default via 2001:db8:3::1
ip -n "$att" route add default via 2001:db8:6::1

agent_pki 2001:db8:1::/64 "$CN"
agent_secret mn
{
	conf_mn "$HOA" "$HA" "$tmp/mn.secret"
	printf 'interface = mn1\nlifetime = 120\n'
} >"$tmp/mn.conf"
{
	conf_ha "$HA" 2001:db8:1::/64 ha0
	echo "mobile-node = $HOA $tmp/mn.secret"
} >"$tmp/ha.conf"
conf_cn "$CN" >"$tmp/cn.conf"

agent_start ha "$ha"
agent_start cn "$cn"

# The flood: at the home agent's address and at the home address, from
# one source, on both CPUs, before the mobile node starts and until the end.
for dst in "$HA" "$HOA"; do
	ip netns exec "$att" "$MH_SEND" "$ATT" "$dst" raw "$MH11" 100000000 \
		>/dev/null 2>&1 &
	flood_pids+=($!)
done
flooding() { [ "$("$CBUCTL" -n "$ha" -j -s stats | jqv .mh_limited)" -gt 100 ]; }
busywait 10000 flooding || true

start=$(date +%s)
agent_start mn "$mn"
if busywait 30000 registered; then
	pass "mn registered at home under the flood ($(($(date +%s) - start)) s)"
else
	fail "mn did not register under the flood"
	tail -n 20 "$tmp/mn.log" "$tmp/ha.log"; exit 1
fi
start=$(date +%s)
"$CBUCTL" -n "$mn" ro start "$CN" >/dev/null
if busywait 30000 is_state "$CN" bound; then
	pass "bound with the CN under the flood ($(($(date +%s) - start)) s)"
else
	fail "not bound under the flood: $(ro_state "$CN")"
	tail -n 20 "$tmp/mn.log" "$tmp/ha.log" "$tmp/cn.log"; exit 1
fi
if ping_from "$cn" 3; then
	pass "the HoA answers the CN"
else
	fail "the HoA does not answer the CN"
fi

s=$("$CBUCTL" -n "$ha" -j -s stats)
limited=$(jqv .mh_limited <<<"$s")
handed=$(jqv .mh_to_agent <<<"$s")
echo "# home agent: $limited flood messages dropped, $handed handed up"
if [ "$limited" -gt "$handed" ]; then
	pass "the flood was dropped before the agent"
else
	fail "dropped $limited, handed up $handed"
fi

for p in "${flood_pids[@]}"; do kill "$p" 2>/dev/null || true; done
wait "${flood_pids[@]}" 2>/dev/null || true
flood_pids=()
agents_stop
agents_clean mn ha cn
cleanup_ns
cbu_unload
check_dmesg "no splat in the kernel log"
exit $RET
