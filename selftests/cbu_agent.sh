#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cbu-agent end to end: a mobile node registers at home, asks its home
# agent for route optimization with a correspondent, gets it, and keeps it
# across a move to another access router with one BU.  Certificates are
# issued with `cbuctl cert`; the wire is watched with tshark and nft
# counters; the correspondent's refusals are shown with exch-send, which
# plays a home agent's part right or broken on purpose.
#
#                       +------ core ------+---------------+----------+
#            2001:db8:10::1|   2001:db8:11::1|   2001:db8:2::1|          |2001:db8:1::1
#                          |                 |                |          |  (home link)
#       2001:db8:10::2  ar1          ar2  2001:db8:11::2     cn          ha 2001:db8:1::2
#       2001:db8:3::1 |                 | 2001:db8:4::1   2001:db8:2::20  home agent of
#                     |                 |                 correspondent  2001:db8:1::/64
#             mn1 2001:db8:3::10   mn2 2001:db8:4::10
#                      \             /
#                           mn          HoA 2001:db8:1::10 (on lo)
#
#   core also reaches "legacy" 2001:db8:6::30, a Mobile IPv6 node without
#   CBU (the scapy peer answers Binding Error status 2), and "rogue"
#   2001:db8:9::10, where exch-send plays home agent.  The cn's agent
#   holds two roles: correspondent, and home agent of 2001:db8:7::/64 on a
#   link of its own (home7).

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

: "${CBU_AGENT:=$TOP/agent/cbu-agent}"
EXCH_SEND=${EXCH_SEND:-$TOP/build/san/bin/exch-send}

HOA=2001:db8:1::10
HA=2001:db8:1::2
COA1=2001:db8:3::10
COA2=2001:db8:4::10
CN=2001:db8:2::20
LEGACY=2001:db8:6::30
ROGUE=2001:db8:9::10

tmp=$(mktemp -d)
cleanup() {
	set +e
	[ -n "${tshark_pid:-}" ] && kill "$tshark_pid" 2>/dev/null
	peer_stop_all
	agent_test_cleanup
}
trap cleanup EXIT

/usr/bin/python3 -c 'import scapy' 2>/dev/null || skip "needs python3-scapy"
[ -x "$EXCH_SEND" ] || skip "no exch-send at $EXCH_SEND"
agent_test_init busybox tshark /usr/bin/python3 setpriv

# --- the topology --------------------------------------------------------

mn='' ar1='' ar2='' core='' ha='' cn='' legacy='' rogue=''
setup_ns mn ar1 ar2 core ha cn legacy rogue
link "$core" a1 2001:db8:10::1 "$ar1" core1 2001:db8:10::2
link "$core" a2 2001:db8:11::1 "$ar2" core2 2001:db8:11::2
link "$core" c0 2001:db8:2::1 "$cn" cn0 "$CN"
link "$core" h0 2001:db8:1::1 "$ha" ha0 "$HA"
link "$core" l0 2001:db8:6::1 "$legacy" lg0 "$LEGACY"
link "$core" r0 2001:db8:9::1 "$rogue" rg0 "$ROGUE"
link "$ar1" acc1 2001:db8:3::1 "$mn" mn1 "$COA1"
link "$ar2" acc2 2001:db8:4::1 "$mn" mn2 ""
for ns in "$core" "$ar1" "$ar2"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.forwarding=1
done
ip -n "$core" route add 2001:db8:3::/64 via 2001:db8:10::2
ip -n "$core" route add 2001:db8:4::/64 via 2001:db8:11::2
ip -n "$ar1" route add default via 2001:db8:10::1
ip -n "$ar2" route add default via 2001:db8:11::1
ip -n "$ha" route add default via 2001:db8:1::1
ip -n "$cn" route add default via 2001:db8:2::1
ip -n "$legacy" route add default via 2001:db8:6::1
ip -n "$rogue" route add default via 2001:db8:9::1
ip -n "$mn" route add default via 2001:db8:3::1

# --- credentials -----------------------------------------------------------

ctl() { "$CBUCTL" "$@"; }
agent_pki 2001:db8:1::/64 "$CN"
ctl cert genkey out "$tmp/rogue.key"
ctl cert pubkey key "$tmp/rogue.key" out "$tmp/rogue.pub"
# The CN's node is a home agent too, for a prefix of its own.
ctl cert issue ha 2001:db8:7::/64 pubkey "$tmp/cn.pub" key "$tmp/ca.key" \
	out "$tmp/cn-ha.cert"
ip -n "$cn" link add home7 type veth peer name home7p
ip -n "$cn" link set home7 up
# The rogue's: right, for another prefix, expired.
ctl cert issue ha 2001:db8:9::/64 pubkey "$tmp/rogue.pub" key "$tmp/ca.key" \
	out "$tmp/rogue.cert"
ctl cert issue ha 2001:db8:1::/64 pubkey "$tmp/rogue.pub" key "$tmp/ca.key" \
	out "$tmp/rogue-prefix.cert"
ctl cert issue ha 2001:db8:9::/64 pubkey "$tmp/rogue.pub" key "$tmp/ca.key" \
	from 2020-01-01 until 2020-06-01 out "$tmp/rogue-expired.cert"
# And as a correspondent: right, from another CA, for another address,
# expired.
ctl cert genkey out "$tmp/other-ca.key"
ctl cert issue cn "$ROGUE" pubkey "$tmp/rogue.pub" key "$tmp/ca.key" \
	out "$tmp/rogue-cn.cert"
ctl cert issue cn "$ROGUE" pubkey "$tmp/rogue.pub" key "$tmp/other-ca.key" \
	out "$tmp/rogue-cn-ca.cert"
ctl cert issue cn 2001:db8:9::99 pubkey "$tmp/rogue.pub" key "$tmp/ca.key" \
	out "$tmp/rogue-cn-prefix.cert"
ctl cert issue cn "$ROGUE" pubkey "$tmp/rogue.pub" key "$tmp/ca.key" \
	from 2020-01-01 until 2020-06-01 out "$tmp/rogue-cn-expired.cert"
# k_HA, shared by the mobile node and its home agent.
confs_home "$HOA" "$HA" 2001:db8:1::/64 ha0 mn1 mn2
{
	conf_debug
	conf_cn "$CN"
	printf '[home-agent]\naddress = 2001:db8:7::1\n'
	printf 'home-prefix = 2001:db8:7::/64\nhome-link = home7\n'
	printf 'certificate = %s\nprivate-key = %s\n' "$tmp/cn-ha.cert" \
		"$tmp/cn.key"
} >"$tmp/cn.conf"

ping_hoa() { ping_from "$cn" "$1"; }

agent_start ha "$ha"
agent_start cn "$cn"
agent_start mn "$mn"
check_eq "cn: one agent, two roles" "home-agent correspondent" \
	"$(st "$cn" '.roles | join(" ")')"
check_eq "cn: its home prefix served by cbu.ko" "2001:db8:7::/64" \
	"$("$CBUCTL" -n "$cn" -j home show |
	   jqv -r '.[] | .prefix + "/" + (.prefix_len | tostring)')"

# --- 1. home registration: the HoA works through the home agent -----------

if busywait 15000 registered; then
	pass "mn registered at home from $COA1"
else
	fail "mn did not register"; cat "$tmp/mn.log" "$tmp/ha.log"; exit 1
fi
check_eq "ha: registration seen" "$COA1" \
	"$(st "$ha" '.home_agent.mobile_nodes[0].coa')"
check_eq "ha: proxy ND for the HoA on the home link" 1 \
	"$(ip -n "$ha" -6 neigh show proxy dev ha0 | grep -c "$HOA")"
# Not neighbour discovery: the core probes the proxied HoA now and then.
nft_count "$ha" via_ha ip6 daddr "$HOA" \
	icmpv6 type != '{ nd-neighbor-solicit, nd-neighbor-advert }'
nft_count "$mn" esp_from_ha ip6 saddr "$HA" meta l4proto esp
if ping_hoa 3; then
	pass "HoA answers ping through the home tunnel"
else
	fail "HoA does not answer ping before route optimization"
fi
check_eq "ping crossed the home agent" true \
	"$([ "$(counted "$ha" via_ha)" -ge 3 ] && echo true)"
check_eq "and reached the CoA as ESP from the home agent" true \
	"$([ "$(counted "$mn" esp_from_ha)" -ge 3 ] && echo true)"

# --- 2. the exchange, in order on the wire ---------------------------------

# One line per frame, written as it is seen: interface, source,
# destination, what it is.  "Capturing on" comes before every interface
# is really open, so a probe ping per link must show up first.
ip netns exec "$core" tshark -l -i h0 -i c0 -T fields \
	-e frame.interface_name -e ipv6.src -e ipv6.dst -e mip6.mhtype \
	-e mip6.em.data -e esp.spi \
	-f 'ip6 proto 135 or ip6 proto 60 or ip6 proto 50 or ip6 proto 43 or icmp6' \
	-a duration:300 >"$tmp/ex.txt" 2>"$tmp/tshark.log" &
tshark_pid=$!
capturing() {
	ip netns exec "$core" busybox ping -6 -q -c 1 -W 1 "$HA" >/dev/null 2>&1
	ip netns exec "$core" busybox ping -6 -q -c 1 -W 1 "$CN" >/dev/null 2>&1
	grep -q "^h0	2001:db8:1::1	$HA	" "$tmp/ex.txt" &&
		grep -q "^c0	2001:db8:2::1	$CN	" "$tmp/ex.txt"
}
busywait 120000 capturing ||
	{ cat "$tmp/tshark.log"; fail "tshark did not start"; exit 1; }

"$CBUCTL" -n "$mn" ro start "$CN" >/dev/null
if busywait 30000 is_state "$CN" bound; then
	pass "route optimization with the CN: bound"
else
	fail "no route optimization: $(ro_state "$CN")"
	cat "$tmp/mn.log" "$tmp/ha.log" "$tmp/cn.log"
fi
sleep 1
kill -INT "$tshark_pid" 2>/dev/null
wait "$tshark_pid" 2>/dev/null || true
tshark_pid=

/usr/bin/python3 - "$tmp/ex.txt" "$COA1" "$HA" "$HOA" "$CN" \
	>"$tmp/seq" <<'PY'
import sys
sub = {1: "REQ", 2: "REP", 3: "COOKIE0", 4: "COOKIE1", 5: "EXCH0",
       6: "EXCH1", 7: "BC", 18: "REG", 19: "REG_ACK", 20: "REP_NAK"}
path, coa, ha, hoa, cn = sys.argv[1:]
for line in open(path):
    f = line.rstrip("\n").split("\t") + [""] * 6
    dev, src, dst, mht, data, spi = f[:6]
    src, dst = src.split(",")[-1], dst.split(",")[0]
    if spi:
        # ESP between the CoA and the home agent carries REQ and REP.
        if (src, dst) == (coa, ha):
            name = "ESP>HA"
        elif (src, dst) == (ha, coa):
            name = "ESP>MN"
        else:
            continue
    elif mht == "11":
        name = sub.get(int(data.replace(":", "")[:2] or "0", 16), "EXP?")
        # A registration refresh may fall inside the capture; it is
        # not part of the exchange.
        if name in ("REG", "REG_ACK"):
            continue
    elif mht == "5":
        name = "BU"
    elif mht == "6":
        name = "BA"
    else:
        continue
    print(dev, name)
PY
home=$(awk '$1 == "h0" {print $2}' "$tmp/seq" | tr '\n' ' ')
cnl=$(awk '$1 == "c0" {print $2}' "$tmp/seq" | tr '\n' ' ')
check_eq "home link: REQ (ESP), COOKIE0, COOKIE1, EXCH0, EXCH1, REP (ESP)" \
	"ESP>HA COOKIE0 COOKIE1 EXCH0 EXCH1 ESP>MN " "$home"
check_eq "CN's link: COOKIE0, COOKIE1, EXCH0, EXCH1, BU, BA, BC" \
	"COOKIE0 COOKIE1 EXCH0 EXCH1 BU BA BC " "$cnl"

check_eq "cn: keys installed for the HoA, bound at the CoA" \
	"confirmed $COA1" \
	"$("$CBUCTL" -n "$cn" -j binding show "$HOA" "$CN" |
	   jqv -r '.[0].state + " " + .[0].coa')"
check_eq "mn: binding confirmed in its kernel" "confirmed $COA1" \
	"$("$CBUCTL" -n "$mn" -j binding show "$HOA" "$CN" |
	   jqv -r '.[0].state + " " + .[0].coa')"
check_eq "cn: one exchange, one path" "1 1 1" \
	"$(st "$cn" '.correspondent | "\(.exch0) \(.exch1_sent) \(.paths)"')"

# --- 3. the CN's traffic now goes to the CoA directly ----------------------

before=$(counted "$ha" via_ha)
nft_count "$mn" esp_from_cn ip6 saddr "$CN" ip6 daddr "$COA1" \
	meta l4proto esp
if ping_hoa 5; then
	pass "HoA answers ping over the optimized route"
else
	fail "HoA does not answer ping after route optimization"
fi
check_eq "no longer crosses the home agent" "$before" \
	"$(counted "$ha" via_ha)"
check_eq "reaches the CoA as ESP from the CN" true \
	"$([ "$(counted "$mn" esp_from_cn)" -ge 5 ] && echo true)"

# --- 4. a move to ar2: one BU, traffic follows --------------------------------
#
# The new address, its default route and the old address's end in one
# `ip -batch`, as SLAAC brings an address and its route: the agent reads
# them together, and sends its REG and BU once, by the new route.

bu_before=$(st "$mn" .mobile_node.bu)
reg_before=$(st "$mn" .mobile_node.reg)
nft_count "$mn" esp_from_cn2 ip6 saddr "$CN" ip6 daddr "$COA2" \
	meta l4proto esp
ip -n "$mn" -batch - <<EOF
addr add $COA2/64 dev mn2 nodad
route replace default via 2001:db8:4::1
addr del $COA1/64 dev mn1
EOF
moved() {
	[ "$("$CBUCTL" -n "$cn" -j binding show "$HOA" "$CN" |
	     jqv -r '.[0].state + " " + .[0].coa')" == "confirmed $COA2" ] &&
	is_state "$CN" bound
}
if busywait 20000 moved; then
	pass "moved: the CN's binding names $COA2"
else
	fail "the binding did not follow the move"
	cat "$tmp/mn.log"
fi
check_eq "one BU and one REG for the move" "1 1" \
	"$(($(st "$mn" .mobile_node.bu) - bu_before)) $(($(st "$mn" .mobile_node.reg) - reg_before))"
check_eq "re-registered at home from the new CoA" "$COA2" \
	"$(st "$ha" '.home_agent.mobile_nodes[0].coa')"
if busywait 10000 ping_hoa 3; then
	pass "HoA answers ping after the move"
else
	fail "no traffic after the move"
fi
check_eq "directly to the new CoA" true \
	"$([ "$(counted "$mn" esp_from_cn2)" -ge 3 ] && echo true)"
check_eq "still not through the home agent" "$before" \
	"$(counted "$ha" via_ha)"

# --- 4b. back to ar1, break before make: the address before the route ------
#
# ar2's link goes down, taking the CoA and the default route with it; the
# address on ar1's link comes first, so the REG and the BU go nowhere; the
# default route, a moment later, sends them again at once.

bound_at() {	# bound_at COA: the CN's binding names COA, the MN is bound
	[ "$("$CBUCTL" -n "$cn" -j binding show "$HOA" "$CN" |
	     jqv -r '.[0].state + " " + .[0].coa')" == "confirmed $1" ] &&
	is_state "$CN" bound
}
ip -n "$mn" link set mn2 down
ip -n "$mn" addr add "$COA1/64" dev mn1 nodad
busywait 5000 grep -q "care-of address $COA1" "$tmp/mn.log" ||
	fail "mn: did not see $COA1"
sleep 0.5
ip -n "$mn" route replace default via 2001:db8:3::1
if busywait 20000 bound_at "$COA1"; then
	pass "break before make: the binding follows to $COA1"
else
	fail "break before make: the binding stayed at $(ro_state "$CN")"
	tail -n 20 "$tmp/mn.log"
fi
check_eq "the default route sent the REG and the BU again" true \
	"$(grep -q 'a default route: 2 messages sent again' "$tmp/mn.log" &&
	   echo true)"
if busywait 10000 ping_hoa 2; then
	pass "HoA answers ping at $COA1 again"
else
	fail "no traffic after the move back"
fi

# --- 5. what the CN refuses: no key installed, counted -----------------------

rstat() { st "$cn" ".correspondent.$1"; }
rogue_keys() {
	"$CBUCTL" -n "$cn" -j binding show | jqv "[.[] | select(.hoa == \"$ROGUE\")] | length"
}
exch() {	# exch CERT [break WHAT]: exit status of exch-send
	local rc=0
	ip netns exec "$rogue" "$EXCH_SEND" "$ROGUE" "$CN" "$1" \
		"$tmp/rogue.key" "${@:2}" wait 1500 >"$tmp/exch.out" 2>&1 || rc=$?
	echo "$rc"
}
sig0=$(rstat sig_checks)
check_eq "bad cookie: no EXCH1" 3 "$(exch "$tmp/rogue.cert" break cookie)"
check_eq "bad cookie: counted" 1 "$(rstat bad_cookie)"
check_eq "bad cookie: no public-key operation" "$sig0" "$(rstat sig_checks)"
check_eq "bad SIG_HA: no EXCH1" 3 "$(exch "$tmp/rogue.cert" break sig)"
check_eq "bad SIG_HA: counted" 1 "$(rstat bad_sig)"
# The draft's TS, to trace a flood back: logged with the Cert_HA it came with.
check_eq "bad SIG_HA: logged with its TS and Cert_HA" 1 \
	"$(grep -cE "EXCH0 from $ROGUE: SIG_HA does not verify; TS [0-9]+ \([-+][0-9]+ s\), Cert_HA 2001:db8:9::/64 key [0-9a-f]{16}$" \
	   "$tmp/cn.log" || true)"
check_eq "wrong-prefix Cert_HA: no EXCH1" 3 "$(exch "$tmp/rogue-prefix.cert")"
check_eq "wrong-prefix Cert_HA: counted" 1 "$(rstat wrong_prefix)"
check_eq "expired Cert_HA: no EXCH1" 3 "$(exch "$tmp/rogue-expired.cert")"
check_eq "expired Cert_HA: counted" 1 "$(rstat expired_cert)"
check_eq "no key installed for any of them" 0 "$(rogue_keys)"
# The same exchange done right is answered: the refusals were the breakage.
check_eq "the same, right: EXCH1" 0 "$(exch "$tmp/rogue.cert")"
check_eq "and its keys installed" 1 "$(rogue_keys)"

# --- 6. a correspondent that does not speak CBU ------------------------------

peer_start legacy "$legacy"
peer legacy legacy lg0 "$LEGACY" >/dev/null
"$CBUCTL" -n "$mn" ro start "$LEGACY" >/dev/null
if busywait 20000 is_state "$LEGACY" no-cbu; then
	pass "Binding Error status 2: recorded as not speaking CBU"
else
	fail "legacy CN: $(ro_state "$LEGACY")"
fi
check_eq "ha: counted" 1 "$(st "$ha" .home_agent.no_cbu)"
check_eq "legacy: answered the COOKIE0" 1 \
	"$(peer legacy legacy-count | jqv -r .answered)"
if ping_from "$legacy" 2; then
	pass "its traffic stays on the home tunnel"
else
	fail "legacy CN cannot reach the HoA"
fi

# --- 6b. what the home agent refuses: nothing installed, the MN told ------
#
# exch-answer plays the correspondent at the rogue's address: the MN asks
# for route optimization with it, its home agent runs the exchange, and
# the EXCH1 comes back broken.  The home agent waits one retransmission
# interval for a right answer, then sends a REP_NAK with the reason.

EXCH_ANSWER=${EXCH_SEND%/*}/exch-answer
hstat() { st "$ha" ".home_agent.$1"; }
ro_reason() {
	"$CBUCTL" -n "$mn" -j ro show |
		jqv -r ".[] | select(.cn == \"$ROGUE\") | .reason"
}
# refused WHAT REASON COUNTER CERT [break HOW]
refused() {
	local what=$1 reason=$2 counter=$3 cert=$4 n0 naks0 pid
	n0=$(hstat "$counter")
	naks0=$(st "$mn" .mobile_node.nak)
	ip netns exec "$rogue" "$EXCH_ANSWER" "$ROGUE" "$cert" \
		"$tmp/rogue.key" "${@:5}" for 20000 >"$tmp/answer.out" 2>&1 &
	pid=$!
	sleep 0.3
	"$CBUCTL" -n "$mn" ro start "$ROGUE" >/dev/null
	if busywait 20000 is_state "$ROGUE" failed; then
		check_eq "$what: REP_NAK, reason $reason" "$reason" \
			"$(ro_reason)"
	else
		fail "$what: $(ro_state "$ROGUE")"
		tail -n 10 "$tmp/ha.log" "$tmp/answer.out"
	fi
	check_eq "$what: counted at the home agent, and one REP_NAK" \
		"1 1" "$(($(hstat "$counter") - n0)) $(($(st "$mn" .mobile_node.nak) - naks0))"
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null || true
}
naks0=$(st "$mn" .mobile_node.nak_cert)
ros0=$(hstat route_optimizations)
refused "Cert_CN from another CA" certificate bad_cert "$tmp/rogue-cn-ca.cert"
refused "Cert_CN for another address" certificate wrong_prefix \
	"$tmp/rogue-cn-prefix.cert"
refused "expired Cert_CN" certificate expired_cert \
	"$tmp/rogue-cn-expired.cert"
check_eq "mn: three counted as certificate refusals" 3 \
	"$(($(st "$mn" .mobile_node.nak_cert) - naks0))"
refused "bad SIG_CN" signature bad_sig "$tmp/rogue-cn.cert" break sig
refused "g^y of low order" signature bad_dh "$tmp/rogue-cn.cert" break dh
refused "bad C1" cookie bad_cookie "$tmp/rogue-cn.cert" break cookie
check_eq "mn: two signature and one cookie refusal counted" "2 1" \
	"$(st "$mn" .mobile_node.nak_sig) $(st "$mn" .mobile_node.nak_cookie)"
check_eq "nothing installed: no keys for the rogue at the mobile node" 0 \
	"$("$CBUCTL" -n "$mn" -j binding show | jqv "[.[] | select(.cn == \"$ROGUE\")] | length")"
check_eq "nothing installed: no state for it in xfrm" 0 \
	"$(ip -n "$mn" xfrm state | grep -c "$ROGUE" || true)"
check_eq "nothing installed: no route optimization kept at the home agent" \
	"$ros0" "$(hstat route_optimizations)"
# A broken answer first, the right one next: someone on the path cannot
# end the exchange by answering first.
rep0=$(hstat rep)
sig0=$(hstat bad_sig)
ip netns exec "$rogue" "$EXCH_ANSWER" "$ROGUE" "$tmp/rogue-cn.cert" \
	"$tmp/rogue.key" break sig then-right for 20000 >"$tmp/answer.out" 2>&1 &
answer_pid=$!
sleep 0.3
"$CBUCTL" -n "$mn" ro start "$ROGUE" >/dev/null
if busywait 20000 is_state "$ROGUE" binding; then
	pass "a refused answer, then the right one: REP, keys at the MN"
else
	fail "refused then right: $(ro_state "$ROGUE") $(ro_reason)"
	tail -n 10 "$tmp/ha.log" "$tmp/answer.out"
fi
check_eq "refused then right: one refusal, one REP" "1 1" \
	"$(($(hstat bad_sig) - sig0)) $(($(hstat rep) - rep0))"
kill "$answer_pid" 2>/dev/null
wait "$answer_pid" 2>/dev/null || true
"$CBUCTL" -n "$mn" ro stop "$ROGUE" >/dev/null

# --- 6c. REQ_Cert: the home agent's certificate, rate-limited ------------
#
# A MAP asks a mobile node's home agent for Cert_HA (draft section 5).
# Anyone may ask, and the answer is 160 octets for 8: the home agent
# answers a source once a second (burst 2), and 16 a second in all.  The
# rogue plays the MAP; REQ_Cert reaches the home agent's address, inside
# its home prefix, through cbu.ko's hand-up.

REQ_CERT=3b000b0000001001
rq0=$(hstat req_cert) rp0=$(hstat rep_cert) rl0=$(hstat req_cert_limited)
ip netns exec "$rogue" tshark -l -i rg0 -T fields -e ipv6.src \
	-e mip6.em.data -f 'ip6 proto 135' -a duration:60 \
	>"$tmp/repcert.txt" 2>"$tmp/tshark.log" &
tshark_pid=$!
# Capturing once the rogue's own REQ_Cert shows (tshark opens late).
req_cert_seen() {
	ip netns exec "$rogue" "$MH_SEND" "$ROGUE" 2001:db8:9::1 raw \
		"$REQ_CERT" >/dev/null 2>&1
	grep -q "^$ROGUE	" "$tmp/repcert.txt"
}
busywait 60000 req_cert_seen ||
	{ cat "$tmp/tshark.log"; fail "tshark did not start"; exit 1; }
ip netns exec "$rogue" "$MH_SEND" "$ROGUE" "$HA" raw "$REQ_CERT" >/dev/null
if busywait 5000 grep -q "^$HA	" "$tmp/repcert.txt"; then
	pass "REQ_Cert: a REP_Cert comes back from the home agent's address"
else
	fail "REQ_Cert: no REP_Cert"
	tail -n 5 "$tmp/ha.log"
fi
sleep 0.5
kill -INT "$tshark_pid" 2>/dev/null
wait "$tshark_pid" 2>/dev/null || true
tshark_pid=
# The body: subtype 17, version 1, one CERT option of 145 octets holding
# exactly the home agent's certificate.
cert_hex=$(sed '/^-----/d' "$tmp/ha.cert" | base64 -d | od -An -v -tx1 |
	   tr -d ' \n')
check_eq "REP_Cert: one CERT option carrying Cert_HA" \
	"1101129103${cert_hex}0103000000" \
	"$(awk -F'\t' -v ha="$HA" '$1 == ha {print $2; exit}' \
	   "$tmp/repcert.txt" | tr -d ':')"
# A burst of 10 from one source: the burst of 2, the rest limited.  Then
# 40 sources at once, 4 each (addresses of the rogue's): 2 each would
# pass, but at most 16 and 16 a second more in all.
sleep 2
ip netns exec "$rogue" "$MH_SEND" "$ROGUE" "$HA" raw "$REQ_CERT" 10 >/dev/null
busywait 5000 test "$(hstat req_cert)" -ge "$((rq0 + 11))" || true
check_eq "a burst of 10: 2 answered, 8 limited" "2 8" \
	"$(($(hstat rep_cert) - rp0 - 1)) $(($(hstat req_cert_limited) - rl0))"
rp1=$(hstat rep_cert) rq1=$(hstat req_cert)
for i in $(seq 1 40); do
	echo "addr add 2001:db8:9::1:$(printf %x "$i")/64 dev rg0 nodad"
done | ip -n "$rogue" -batch -
t0=$(date +%s%N)
ip netns exec "$rogue" "$MH_SEND" 2001:db8:9::1:1 "$HA" raw-srcs \
	"$REQ_CERT" 40 4 >/dev/null
busywait 5000 test "$(hstat req_cert)" -ge "$((rq1 + 160))" || true
ms=$((($(date +%s%N) - t0) / 1000000))
answered=$(($(hstat rep_cert) - rp1))
if [ "$answered" -ge 16 ] && [ "$answered" -le $((16 + 16 * (ms + 999) / 1000)) ]
then
	pass "160 from 40 sources within $ms ms: $answered answered"
else
	fail "160 from 40 sources within $ms ms: $answered answered, want 16 to 16 + 16/s"
fi
check_eq "all counted" "160" "$(($(hstat req_cert) - rq1))"
for i in $(seq 1 40); do
	echo "addr del 2001:db8:9::1:$(printf %x "$i")/64 dev rg0"
done | ip -n "$rogue" -batch -

# --- 7. reload, control socket and shutdown -----------------------------------

# Reload without loss: mobile nodes added and removed, certificates
# renewed, while pings go through the home tunnel (from core) and over the
# optimized path (from cn); files that fail --check, or change what cannot
# change live, are refused and the running configuration stays.
sas() { ip -n "$1" xfrm state | grep -E '^src|proto esp' | paste - - | sort; }
mns() { st "$ha" '[.home_agent.mobile_nodes[] | "\(.hoa) \(.registered) \(.coa)"] | join(", ")'; }
ha_sas=$(sas "$ha")
cn_sas=$(sas "$cn")
mns0=$(mns)
cn_binding() {
	"$CBUCTL" -n "$cn" -j binding show "$HOA" "$CN" |
		jqv -r '.[0].state + " " + .[0].coa'
}
binding0=$(cn_binding)
for ns in core cn; do
	ip netns exec "${!ns}" busybox ping -6 -q -c 80 -i 0.1 -W 2 "$HOA" \
		>"$tmp/ping-$ns" 2>&1 &
	eval "ping_$ns=\$!"
done
agent_secret mn7
cp "$tmp/ha.conf" "$tmp/ha.conf.0"
echo "mobile-node = 2001:db8:1::11 $tmp/mn7.secret" >>"$tmp/ha.conf"
check_eq "reload: cbuctl agent reload" reloaded \
	"$("$CBUCTL" -n "$ha" agent reload 2>&1)"
check_eq "reload: a mobile node added, the first kept as it was" \
	"$mns0, 2001:db8:1::11 false null" "$(mns)"
cp "$tmp/ha.conf" "$tmp/ha.conf.1"
echo "bogus = 1" >>"$tmp/ha.conf"
out=$("$CBUCTL" -n "$ha" agent reload 2>&1) && rc=0 || rc=$?
check_eq "reload: a file that does not parse is refused" "1 yes" \
	"$rc $(grep -q 'unknown key "bogus"' <<<"$out" && echo yes || echo "no: $out")"
{ cat "$tmp/ha.conf.1"; echo "mobile-node = 2001:db8:1::12 $tmp/none"; } \
	>"$tmp/ha.conf"
out=$("$CBUCTL" -n "$ha" agent reload 2>&1) && rc=0 || rc=$?
check_eq "reload: a file that fails --check is refused" "1 yes" \
	"$rc $(grep -q 'fails --check' <<<"$out" && echo yes || echo "no: $out")"
sed 's/^home-link = .*/home-link = lo/' "$tmp/ha.conf.1" >"$tmp/ha.conf"
out=$("$CBUCTL" -n "$ha" agent reload 2>&1) && rc=0 || rc=$?
check_eq "reload: a change that needs a restart is refused, naming the key" \
	"1 yes" "$rc $(grep -q '\[home-agent\] home-link changed' <<<"$out" &&
		echo yes || echo "no: $out")"
check_eq "reload: after three refusals, the running configuration stays" \
	"$mns0, 2001:db8:1::11 false null" "$(mns)"
# Back to the one mobile node, with a renewed certificate: SIGHUP.
ctl cert issue ha 2001:db8:1::/64 pubkey "$tmp/ha.pub" key "$tmp/ca.key" \
	out "$tmp/ha-renewed.cert"
sed "s|^certificate = .*|certificate = $tmp/ha-renewed.cert|" \
	"$tmp/ha.conf.0" >"$tmp/ha.conf"
kill -HUP "${AGENT_PIDS[0]}"
if busywait 10000 grep -q "certificate $tmp/ha-renewed.cert" "$tmp/ha.log"
then
	pass "SIGHUP: the home agent reloaded, its certificate renewed"
else
	fail "SIGHUP: no reload"; tail -n 20 "$tmp/ha.log"
fi
check_eq "reload: the mobile node removed, the first kept as it was" \
	"$mns0" "$(mns)"
ctl cert issue cn "$CN" pubkey "$tmp/cn.pub" key "$tmp/ca.key" \
	out "$tmp/cn-renewed.cert"
sed -i "s|^certificate = $tmp/cn.cert|certificate = $tmp/cn-renewed.cert|" \
	"$tmp/cn.conf"
kill -HUP "${AGENT_PIDS[1]}"
if busywait 10000 grep -q "correspondent reloaded" "$tmp/cn.log"; then
	pass "SIGHUP: the correspondent reloaded, its certificate renewed"
else
	fail "SIGHUP: no reload at the correspondent"; tail -n 20 "$tmp/cn.log"
fi
# The first certificate again: the CN's cache of Cert_HA is tested below.
cp "$tmp/ha.conf.0" "$tmp/ha.conf"
check_eq "reload: the home agent's first certificate back" reloaded \
	"$("$CBUCTL" -n "$ha" agent reload 2>&1)"
for ns in core cn; do
	pid=ping_$ns
	wait "${!pid}" || true
	check_eq "reload: no ping from $ns lost" yes \
		"$(grep -q '80 packets transmitted, 80 packets received' \
			"$tmp/ping-$ns" && echo yes || echo "no: $(<"$tmp/ping-$ns")")"
done
check_eq "reload: the home agent's SAs unchanged" "$ha_sas" "$(sas "$ha")"
check_eq "reload: the correspondent's SAs unchanged" "$cn_sas" "$(sas "$cn")"
check_eq "reload: the correspondent's binding unchanged" "$binding0" \
	"$(cn_binding)"
check_fail "ro start: not an address" "$CBUCTL" -n "$mn" ro start nowhere
out=$(ip netns exec "$mn" setpriv --reuid=65534 --regid=65534 \
	--clear-groups "$CBUCTL" agent status 2>&1) && rc=0 || rc=$?
check_eq "control: refused to a user other than root" "1 yes" \
	"$rc $(grep -q "root's" <<<"$out" && echo yes || echo "no: $out")"
check_fail "ro stop: no such CN" "$CBUCTL" -n "$mn" ro stop 2001:db8:77::1
"$CBUCTL" -n "$mn" ro stop "$CN" >/dev/null
# The mobile node's BU of lifetime 0 ends the binding; the CN's agent then
# removes its keys and frees its slot.
unbound() {
	! "$CBUCTL" -n "$cn" binding show "$HOA" "$CN" >/dev/null 2>&1
}
if busywait 10000 unbound; then
	pass "ro stop: the CN dropped the binding and its keys"
else
	fail "ro stop: the CN kept the binding"
fi

# --- 7b. REP, BA and BC each lost once: every one recovered -----------------
#
# nft drops the first of each, which a set then remembers: the REP (inside
# the home tunnel, at the MN), the BA (at the MN), the BC (at the CN).  The
# REQ goes again and the home agent answers with the REP it kept; the BU
# goes again with a new Seq#; the CN's binding stops for want of a BC, and
# its agent asks for a BU (BRR), whose BC gets through.

# shellcheck disable=SC2046	# mh_is gives words
drop_once "$mn" rep ip6 saddr "$HA" ip6 daddr "$HOA" $(mh_is 11 2)
# shellcheck disable=SC2046
drop_once "$mn" ba ip6 saddr "$CN" $(mh_is 6)
# shellcheck disable=SC2046
drop_once "$cn" bc ip6 daddr "$CN" $(mh_is 11 7)
"$CBUCTL" -n "$cn" param set bc-timeout 2000
brr_cn=$(st "$cn" .correspondent.brr)
brr_mn=$(st "$mn" .mobile_node.brr)
sig0=$(rstat sig_checks)
hits0=$(rstat cert_cache_hits)
"$CBUCTL" -n "$mn" ro start "$CN" >/dev/null
confirmed_at_cn() {
	[ "$("$CBUCTL" -n "$cn" -j binding show "$HOA" "$CN" |
	     jqv -r '.[0].state')" == confirmed ]
}
if busywait 60000 confirmed_at_cn && is_state "$CN" bound; then
	pass "loss: bound, and confirmed at the CN"
else
	fail "loss: $(ro_state "$CN"), CN $("$CBUCTL" -n "$cn" binding show)"
	tail -n 30 "$tmp/mn.log" "$tmp/ha.log" "$tmp/cn.log"
fi
check_eq "cert cache: the home agent's certificate known, only SIG_HA verified" \
	"1 1" "$(($(rstat sig_checks) - sig0)) $(($(rstat cert_cache_hits) - hits0))"
check_eq "loss: one REP, one BA, one BC dropped" "1 1 1" \
	"$(dropped "$mn" rep) $(dropped "$mn" ba) $(dropped "$cn" bc)"
check_eq "loss: the CN asked for a BU once, the MN answered" "1 1" \
	"$(($(st "$cn" .correspondent.brr) - brr_cn)) $(($(st "$mn" .mobile_node.brr) - brr_mn))"
if busywait 10000 ping_hoa 2; then
	pass "loss: the HoA answers over the optimized route"
else
	fail "loss: the HoA does not answer"
fi
ip netns exec "$mn" nft delete table inet loss
ip netns exec "$cn" nft delete table inet loss
"$CBUCTL" -n "$cn" param set bc-timeout 10000

# --- 7c. the CN's agent killed and restarted: cbu.ko kept the binding -------

cn_pid=${AGENT_PIDS[1]}
kill -KILL "$cn_pid"
wait "$cn_pid" 2>/dev/null || true
check_eq "cn killed: cbu.ko keeps the binding" "confirmed" \
	"$("$CBUCTL" -n "$cn" -j binding show "$HOA" "$CN" | jqv -r '.[0].state')"
if ping_hoa 3; then
	pass "cn killed: the HoA still answers over the optimized route"
else
	fail "cn killed: traffic stopped with the agent"
fi
agent_start cn "$cn"
# agent_start appended it: keep the order ha, cn, mn.
AGENT_PIDS=("${AGENT_PIDS[0]}" "${AGENT_PIDS[3]}" "${AGENT_PIDS[2]}")
# Two entries: the HoA's, and the one exch-send got in section 5.
check_eq "cn restarted: both entries resumed from cbu.ko" "2 2" \
	"$(st "$cn" .correspondent.resumed) $(st "$cn" .correspondent.peers)"
"$CBUCTL" -n "$mn" ro stop "$CN" >/dev/null
"$CBUCTL" -n "$mn" ro start "$CN" >/dev/null
if busywait 30000 is_state "$CN" bound && busywait 10000 ping_hoa 2; then
	pass "cn restarted: a new exchange binds, the HoA answers"
else
	fail "cn restarted: $(ro_state "$CN")"
	tail -n 20 "$tmp/cn.log"
fi
check_eq "cn restarted: the same slots, and only the new path's states" \
	"2 2" "$(st "$cn" .correspondent.peers) $(ip -n "$cn" xfrm state |
	       grep -c '^src' || true)"

# --- 8. the mobile node's agent stops: its CN and home agent are told -------

"$CBUCTL" -n "$mn" ro start "$CN" >/dev/null
if ! busywait 30000 is_state "$CN" bound; then
	fail "ro start after ro stop: $(ro_state "$CN")"
	tail -n 30 "$tmp/mn.log" "$tmp/ha.log" "$tmp/cn.log"
fi
mn_pid=${AGENT_PIDS[2]}
kill -TERM "$mn_pid"
rc=0
wait "$mn_pid" 2>/dev/null || rc=$?
check_eq "mn: exit status on SIGTERM" 0 "$rc"
AGENT_PIDS=("${AGENT_PIDS[@]:0:2}")
if busywait 10000 unbound; then
	pass "mn exit: the CN dropped the binding (BU lifetime 0)"
else
	fail "mn exit: the CN kept the binding"
fi
ha_unregistered() {
	[ "$(st "$ha" '.home_agent.mobile_nodes[0].registered')" == false ]
}
if busywait 10000 ha_unregistered; then
	pass "mn exit: deregistered at the home agent (REG lifetime 0)"
else
	fail "mn exit: still registered at the home agent"
fi
check_eq "ha: the home tunnel went with the registration" 0 \
	"$(ip -n "$ha" xfrm state | grep -c '^src' || true)"
check_eq "mn: home address removed" 0 \
	"$(ip -n "$mn" -6 addr show dev lo | grep -c "$HOA" || true)"

# --- 9. the mobile node's agent restarts; the others remember it ---------
#
# Its home agent moved on from z to a k_HA-next and keeps the last Seq#;
# after a kill -9 (no BU of lifetime 0) its CN keeps the binding's Seq#.
# A restarted agent knows neither: REG and BU come back with status 135,
# the agent catches up and carries on.

# recovers WHAT: the MN registers, binds with the CN, and the HoA answers.
recovers() {
	if busywait 60000 registered; then
		pass "$1: registered at home again"
	else
		fail "$1: not registered"
		tail -n 20 "$tmp/mn.log" "$tmp/ha.log"
	fi
	"$CBUCTL" -n "$mn" ro start "$CN" >/dev/null
	if busywait 60000 is_state "$CN" bound; then
		pass "$1: bound with the CN again"
	else
		fail "$1: $(ro_state "$CN")"
		tail -n 20 "$tmp/mn.log" "$tmp/ha.log" "$tmp/cn.log"
	fi
	if busywait 10000 ping_hoa 2; then
		pass "$1: the HoA answers"
	else
		fail "$1: the HoA does not answer"
	fi
}
resyncs=$(st "$ha" .home_agent.reg_stale)
agent_start mn "$mn"
recovers "mn restarted"
check_eq "ha: the stale REG was answered" true \
	"$([ "$(st "$ha" .home_agent.reg_stale)" -gt "$resyncs" ] && echo true)"
# The CN forgot this HoA when the agent's last BU ended the binding.
check_eq "mn: caught up with the Seq# of the HA" true \
	"$([ "$(st "$mn" .mobile_node.seq_resync)" -ge 1 ] && echo true)"

mn_pid=${AGENT_PIDS[2]}
kill -KILL "$mn_pid"
wait "$mn_pid" 2>/dev/null || true
AGENT_PIDS=("${AGENT_PIDS[@]:0:2}")
agent_start mn "$mn"
recovers "mn killed (-9) and restarted"
# No goodbye this time: the CN kept the binding, and its Seq#.
check_eq "mn: caught up with the Seq# of the HA and the CN" true \
	"$([ "$(st "$mn" .mobile_node.seq_resync)" -ge 2 ] && echo true)"

agents_stop
check_eq "mn: home tunnel and paths removed on exit" 0 \
	"$(ip -n "$mn" xfrm state | grep -c '^src' || true)"
check_eq "ha: home tunnel removed on exit" 0 \
	"$(ip -n "$ha" xfrm state | grep -c '^src' || true)"
check_eq "ha: home prefix removed from cbu.ko on exit" 0 \
	"$("$CBUCTL" -n "$ha" -j home show | jqv length)"
check_eq "cn: its home prefix removed too" 0 \
	"$("$CBUCTL" -n "$cn" -j home show | jqv length)"
agents_clean mn ha cn
check_dmesg "no kernel complaints"
exit $RET
