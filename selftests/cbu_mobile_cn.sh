#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two moving nodes (draft section 4, Documentation/design/mobile-cn.md): a
# mobile node asks its home agent for route optimization with a mobile
# correspondent CN_MN, whose own home agent CN_HA answers the exchange for
# it, gives it the keys (KEYS, KEYS_ACK) and forwards the mobile node's BUs
# (FWD) through their tunnel; CN_MN answers with a BA from its care-of
# address.  Then data goes as ESP between the two care-of addresses, the
# home tunnels idle; each node moves alone, then both at once, again and
# again, with a second mobile node bound to CN_MN meanwhile; KEYS, FWD and
# the BA are each lost once; k_EN is renewed through CN_HA under traffic;
# a silent CN_MN is probed (TEST, ALIVE); forged FWD and KEYS are refused
# and counted.
#
#      ha 2001:db8:1::2                              cnha 2001:db8:7::2
#      home agent of 2001:db8:1::/64                 home agent of 2001:db8:7::/64,
#         | ha0                                      and CN_HA (the CN for CN_HoA)
#         | h0 2001:db8:1::1                            | hc0
#         |                                             | k0 2001:db8:7::1
#   +-----+------------------- core --------------------+--------+
#   | a1 2001:db8:10::1  | a2 2001:db8:11::1   | a3 2001:db8:12::1  | a4 2001:db8:13::1
#   |                    |                     |                    |
#  ar1 2001:db8:10::2   ar2 2001:db8:11::2    ar3 2001:db8:12::2   ar4 2001:db8:13::2
#   | acc1 2001:db8:3::1 | acc2 2001:db8:4::1  | acc3 2001:db8:5::1 | acc4 2001:db8:8::1
#   |                    |                     |                    |
#  mn1 2001:db8:3::10   mn2 2001:db8:4::10    cm1 2001:db8:5::10   cm2 2001:db8:8::10
#    (CoA1) \          / (CoA2)          (CN_CoA1) \            / (CN_CoA2)
#            +-- mn --+                              +-- cnmn --+
#      HoA 2001:db8:1::10 (on lo)             CN_HoA 2001:db8:7::10 (on lo)
#
#   ar2 has a link of its own, accb 2001:db8:6::1, to mnb 2001:db8:6::10: a
#   second mobile node of ha (HoA 2001:db8:1::11), which does not move.
#
# mn starts on ar1, cnmn on ar3; the second interface of each has no
# address until the node moves there.  tshark on core shows the order of
# the messages; nft counters on core show what crosses it in the clear,
# and, in cnmn and cnha, what came out of their tunnel (a packet that
# leaves an ESP tunnel passes prerouting again, decrypted).

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

: "${CBU_AGENT:=$TOP/agent/cbu-agent}"

HOA=2001:db8:1::10
HA=2001:db8:1::2
COA1=2001:db8:3::10
COA2=2001:db8:4::10
CN_HOA=2001:db8:7::10
CNHA=2001:db8:7::2
CN_COA1=2001:db8:5::10
CN_COA2=2001:db8:8::10
HOA_B=2001:db8:1::11	# a second mobile node, which does not move
COA_B=2001:db8:6::10
ROUNDS=4	# section 4: moves of each node

# Where each node can be, by position 1 or 2: interface, address, router.
MN_COA=([1]=$COA1 [2]=$COA2)
MN_GW=([1]=2001:db8:3::1 [2]=2001:db8:4::1)
CN_COA=([1]=$CN_COA1 [2]=$CN_COA2)
CN_GW=([1]=2001:db8:5::1 [2]=2001:db8:8::1)

tmp=$(mktemp -d)
BG_PIDS=()
cleanup() {
	set +e
	[ -n "${tshark_pid:-}" ] && kill "$tshark_pid" 2>/dev/null
	for p in "${BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	peer_stop_all
	agent_test_cleanup
}
trap cleanup EXIT

/usr/bin/python3 -c 'import scapy' 2>/dev/null || skip "needs python3-scapy"
[ -x "$MH_SEND" ] || skip "no mh-send at $MH_SEND"
agent_test_init busybox tshark /usr/bin/python3 od

# ms MS: a timeout, scaled as run.sh scales the test's (a kernel with its
# checkers on, QEMU's TCG).
ms() { echo $(($1 * ${CBU_TIMEOUT_SCALE:-1})); }
# check_ge WHAT MIN ACTUAL
check_ge() {
	if [[ $3 =~ ^[0-9]+$ ]] && [ "$3" -ge "$2" ]; then
		pass "$1 ($3)"
	else
		fail "$1: expected at least $2, got '$3'"
	fi
}

# --- the topology --------------------------------------------------------

mn='' ar1='' ar2='' ha='' cnmn='' ar3='' ar4='' cnha='' core='' mnb=''
setup_ns mn ar1 ar2 ha cnmn ar3 ar4 cnha core mnb
link "$core" a1 2001:db8:10::1 "$ar1" core1 2001:db8:10::2
link "$core" a2 2001:db8:11::1 "$ar2" core2 2001:db8:11::2
link "$core" a3 2001:db8:12::1 "$ar3" core3 2001:db8:12::2
link "$core" a4 2001:db8:13::1 "$ar4" core4 2001:db8:13::2
link "$core" h0 2001:db8:1::1 "$ha" ha0 "$HA"
link "$core" k0 2001:db8:7::1 "$cnha" hc0 "$CNHA"
link "$ar1" acc1 2001:db8:3::1 "$mn" mn1 "$COA1"
link "$ar2" acc2 2001:db8:4::1 "$mn" mn2 ""
link "$ar3" acc3 2001:db8:5::1 "$cnmn" cm1 "$CN_COA1"
link "$ar4" acc4 2001:db8:8::1 "$cnmn" cm2 ""
link "$ar2" accb 2001:db8:6::1 "$mnb" mb1 "$COA_B"
for ns in "$core" "$ar1" "$ar2" "$ar3" "$ar4"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.forwarding=1
done
ip -n "$core" route add 2001:db8:3::/64 via 2001:db8:10::2
ip -n "$core" route add 2001:db8:4::/64 via 2001:db8:11::2
ip -n "$core" route add 2001:db8:5::/64 via 2001:db8:12::2
ip -n "$core" route add 2001:db8:8::/64 via 2001:db8:13::2
ip -n "$core" route add 2001:db8:6::/64 via 2001:db8:11::2
for i in 1 2 3 4; do
	ar=ar$i
	ip -n "${!ar}" route add default via "2001:db8:1$((i - 1))::1"
done
ip -n "$ha" route add default via 2001:db8:1::1
ip -n "$cnha" route add default via 2001:db8:7::1
ip -n "$mn" route add default via 2001:db8:3::1
ip -n "$cnmn" route add default via 2001:db8:5::1
ip -n "$mnb" route add default via 2001:db8:6::1
mn_at=1 cn_at=1
coa=$COA1 cn_coa=$CN_COA1

# move NS FROM_DEV FROM_ADDR TO_DEV TO_ADDR TO_GW: make before break.
move() {
	ip -n "$1" addr add "$5/64" dev "$4" nodad
	ip -n "$1" route replace default via "$6"
	ip -n "$1" addr del "$3/64" dev "$2"
}
mn_go() {	# mn_go 1|2: the mobile node to ar1 or ar2
	move "$mn" "mn$mn_at" "${MN_COA[$mn_at]}" "mn$1" "${MN_COA[$1]}" \
		"${MN_GW[$1]}"
	mn_at=$1 coa=${MN_COA[$1]}
}
cn_go() {	# cn_go 1|2: the mobile correspondent to ar3 or ar4
	move "$cnmn" "cm$cn_at" "${CN_COA[$cn_at]}" "cm$1" "${CN_COA[$1]}" \
		"${CN_GW[$1]}"
	cn_at=$1 cn_coa=${CN_COA[$1]}
}

# --- credentials and configurations ----------------------------------------

agent_pki 2001:db8:1::/64 "$CN_HOA"
# CN_HA's own pair: its HA certificate, and the CN certificate for its
# prefix with which it answers for CN_HoA (design item 34).
"$CBUCTL" cert genkey out "$tmp/cnha.key"
"$CBUCTL" cert pubkey key "$tmp/cnha.key" out "$tmp/cnha.pub"
"$CBUCTL" cert issue ha 2001:db8:7::/64 pubkey "$tmp/cnha.pub" \
	key "$tmp/ca.key" out "$tmp/cnha-ha.cert"
"$CBUCTL" cert issue cn 2001:db8:7::/64 pubkey "$tmp/cnha.pub" \
	key "$tmp/ca.key" out "$tmp/cnha-cn.cert"
confs_home "$HOA" "$HA" 2001:db8:1::/64 ha0 mn1 mn2
agent_secret mnb
echo "mobile-node = $HOA_B $tmp/mnb.secret" >>"$tmp/ha.conf"
{
	conf_debug
	conf_mn "$HOA_B" "$HA" "$tmp/mnb.secret"
	printf 'interface = mb1
lifetime = 120
'
} >"$tmp/mnb.conf"
agent_secret cnmn
{
	conf_debug
	conf_mn "$CN_HOA" "$CNHA" "$tmp/cnmn.secret"
	printf 'interface = cm1\ninterface = cm2\nlifetime = 120\n'
	printf 'accept-correspondents = yes\nmax-lifetime = 420\n'
} >"$tmp/cnmn.conf"
{
	conf_debug
	printf '[ca]\npublic-key = %s\n[home-agent]\naddress = %s\n' \
		"$tmp/ca.pub" "$CNHA"
	printf 'home-prefix = 2001:db8:7::/64\nhome-link = hc0\n'
	printf 'certificate = %s\nprivate-key = %s\n' "$tmp/cnha-ha.cert" \
		"$tmp/cnha.key"
	printf 'mobile-node = %s %s\nmobile-cn = %s\n' "$CN_HOA" \
		"$tmp/cnmn.secret" "$CN_HOA"
	printf 'cn-certificate = %s\ncn-private-key = %s\nlt-en = 3600\n' \
		"$tmp/cnha-cn.cert" "$tmp/cnha.key"
} >"$tmp/cnha.conf"

# --- what the tests read ------------------------------------------------------

kst() { "$CBUCTL" -n "$1" -j -s stats | jqv -r ".$2"; }	# kst NS NAME
mcn() { st "$cnmn" ".mobile_node.as_correspondent.$1"; }	# CN_MN's
hcn() { st "$cnha" ".home_agent.mobile_cn.$1"; }		# CN_HA's
ro_f() {	# ro_f JQ: a field of the MN's route optimization with CN_HoA
	"$CBUCTL" -n "$mn" -j ro show |
		jqv -r ".[] | select(.cn == \"$CN_HOA\") | $1 // empty"
}
mn_bind() {	# the MN's entry (HoA, CN_HoA) in its cbu.ko
	"$CBUCTL" -n "$mn" -j binding show "$HOA" "$CN_HOA" 2>/dev/null |
		jqv -r '.[0] | "\(.state) \(.coa) \(.peer_coa)"'
}
cn_bind() {	# CN_MN's entry (HoA, CN_HoA) in its cbu.ko
	"$CBUCTL" -n "$cnmn" -j binding show "$HOA" "$CN_HOA" 2>/dev/null |
		jqv -r '.[0] | "\(.state) \(.coa) \(.seq)"'
}
own() { "$CBUCTL" -n "$cnmn" -j own show | jqv -r '"\(.hoa) \(.coa)"'; }
reg_at() {	# reg_at NS COA: registered at home from COA
	[ "$(st "$1" '"\(.mobile_node.registered) \(.mobile_node.coa)"')" == \
	  "true $2" ]
}
# converged: both registered where they are, CN_MN's own pair follows,
# the MN bound with the CN's care-of address, CN_MN's binding confirmed.
converged() {
	reg_at "$mn" "$coa" && reg_at "$cnmn" "$cn_coa" &&
	[ "$(own)" == "$CN_HOA $cn_coa" ] &&
	[ "$(ro_f '"\(.state) \(.coa) \(.peer_coa)"')" == \
	  "bound $coa $cn_coa" ] &&
	[ "$(cn_bind | cut -d ' ' -f 1,2)" == "confirmed $coa" ]
}
where() {
	echo "mn $(st "$mn" .mobile_node.coa), cnmn $(st "$cnmn" .mobile_node.coa)," \
		"own $(own), ro $(ro_f .state) $(ro_f .coa) $(ro_f .peer_coa)," \
		"cnmn binding $(cn_bind)"
}
# ping_ok NS SRC DST COUNT: every ping answered.
ping_ok() {
	local out
	out=$(ip netns exec "$1" busybox ping -6 -q -I "$2" -c "$4" -i 0.2 \
		-W 2 "$3" 2>&1) || true
	grep -q "$4 packets transmitted, $4 packets received" <<<"$out"
}
mn_pings() { ping_ok "$mn" "$HOA" "$CN_HOA" "$1"; }
cn_pings() { ping_ok "$cnmn" "$CN_HOA" "$HOA" "$1"; }
# bg_ping NAME NS SRC DST SECONDS: in the background, a ping every 100 ms
# (tools/testing/pinger: it goes on through a move, where busybox ping
# would exit), each answered within 1 s or lost; then "SENT LOST GAP_MS"
# in $tmp/NAME.ping.  bg_wait: wait for them all.
bg_ping() {
	ip netns exec "$2" /usr/bin/python3 "$TOP/tools/testing/pinger" \
		"$3" "$4" "$5" 100 >"$tmp/$1.ping" &
	BG_PIDS+=($!)
}
bg_wait() {
	local p
	for p in "${BG_PIDS[@]}"; do
		wait "$p" || true
	done
	BG_PIDS=()
}
logs() {	# logs [LINES]: the end of each agent's log
	tail -n "${1:-30}" "$tmp/mn.log" "$tmp/ha.log" "$tmp/cnha.log" \
		"$tmp/cnmn.log" "$tmp/mnb.log"
}

# On core, for the whole test: what must never cross it in the clear
# (TEST, ALIVE, FWD, KEYS, KEYS_ACK: item 32), the ESP of each home
# tunnel.
# shellcheck disable=SC2046	# mh_is gives words
for s in 12 13 14 15 21; do
	nft_count "$core" "clear_$s" $(mh_is 11 "$s")
done
nft_count "$core" esp_ha_out ip6 saddr "$HA" meta l4proto esp
nft_count "$core" esp_ha_in ip6 daddr "$HA" meta l4proto esp
nft_count "$core" esp_cnha_out ip6 saddr "$CNHA" meta l4proto esp
nft_count "$core" esp_cnha_in ip6 daddr "$CNHA" meta l4proto esp
clear_total() {
	echo $(($(counted "$core" clear_12) + $(counted "$core" clear_13) +
		$(counted "$core" clear_14) + $(counted "$core" clear_15) +
		$(counted "$core" clear_21)))
}
home_esp() {
	echo $(($(counted "$core" esp_ha_out) + $(counted "$core" esp_ha_in) +
		$(counted "$core" esp_cnha_out) + $(counted "$core" esp_cnha_in)))
}
# Out of the tunnels, decrypted: KEYS and FWD at cnmn, KEYS_ACK at cnha.
# shellcheck disable=SC2046
nft_count "$cnmn" keys_in ip6 daddr "$CN_HOA" $(mh_is 11 15)
# shellcheck disable=SC2046
nft_count "$cnmn" fwd_in ip6 daddr "$CN_HOA" $(mh_is 11 14)
# shellcheck disable=SC2046
nft_count "$cnha" ack_in ip6 saddr "$CN_HOA" ip6 daddr "$CNHA" $(mh_is 11 21)
# Pings that cross a home agent (not neighbour discovery).
echo_types='{ echo-request, echo-reply }'
nft_count "$ha" via_ha_to ip6 daddr "$HOA" icmpv6 type "$echo_types"
nft_count "$ha" via_ha_from ip6 saddr "$HOA" icmpv6 type "$echo_types"
nft_count "$cnha" via_cnha_to ip6 daddr "$CN_HOA" icmpv6 type "$echo_types"
nft_count "$cnha" via_cnha_from ip6 saddr "$CN_HOA" icmpv6 type "$echo_types"
via_homes() {
	echo $(($(counted "$ha" via_ha_to) + $(counted "$ha" via_ha_from) +
		$(counted "$cnha" via_cnha_to) + $(counted "$cnha" via_cnha_from)))
}

agent_start ha "$ha"
agent_start cnha "$cnha"
agent_start mn "$mn"
agent_start cnmn "$cnmn"
agent_start mnb "$mnb"

# --- 1. both at home, then the exchange, in order on the wire --------------

if busywait "$(ms 30000)" reg_at "$mn" "$COA1" &&
   busywait "$(ms 30000)" reg_at "$cnmn" "$CN_COA1"; then
	pass "both registered at home, from $COA1 and $CN_COA1"
else
	fail "not registered: mn $(st "$mn" .mobile_node.registered)," \
		"cnmn $(st "$cnmn" .mobile_node.registered)"
	logs; exit 1
fi
check_eq "cnha: CN_MN registered from its CoA" "$CN_COA1" \
	"$(st "$cnha" '.home_agent.mobile_nodes[0].coa')"
check_eq "cnmn: its own pair given to cbu.ko" "$CN_HOA $CN_COA1" "$(own)"
# Before route optimization: HoA <-> CN_HoA through both home tunnels.
if busywait "$(ms 10000)" mn_pings 2 && cn_pings 2; then
	pass "HoA <-> CN_HoA through both home agents"
else
	fail "no traffic between the home addresses before route optimization"
fi
check_ge "and the pings crossed the home agents" 8 "$(via_homes)"

# One line per frame: interface, source, destination, MH type, type 11
# data, SPI.  "Capturing on" comes before every interface is really open:
# a probe ping per link must show up first.
ip netns exec "$core" tshark -l -i h0 -i k0 -i a3 -T fields \
	-e frame.interface_name -e ipv6.src -e ipv6.dst -e mip6.mhtype \
	-e mip6.em.data -e esp.spi \
	-f 'ip6 proto 135 or ip6 proto 60 or ip6 proto 50 or ip6 proto 43 or icmp6' \
	-a "duration:$(ms 300)" >"$tmp/ex.txt" 2>"$tmp/tshark.log" &
tshark_pid=$!
capturing() {
	local dst
	for dst in "$HA" "$CNHA" 2001:db8:12::2; do
		ip netns exec "$core" busybox ping -6 -q -c 1 -W 1 "$dst" \
			>/dev/null 2>&1 || true
	done
	grep -q "^h0	2001:db8:1::1	$HA	" "$tmp/ex.txt" &&
	grep -q "^k0	2001:db8:7::1	$CNHA	" "$tmp/ex.txt" &&
	grep -q "^a3	2001:db8:12::1	2001:db8:12::2	" "$tmp/ex.txt"
}
busywait "$(ms 120000)" capturing ||
	{ cat "$tmp/tshark.log"; fail "tshark did not start"; exit 1; }

cookie0=$(kst "$cnha" mh_to_agent)
"$CBUCTL" -n "$mn" ro start "$CN_HOA" >/dev/null
if busywait "$(ms 30000)" converged; then
	pass "route optimization with the mobile CN: bound at $CN_COA1"
else
	fail "no route optimization: $(where)"; logs
fi
sleep 1
kill -INT "$tshark_pid" 2>/dev/null
wait "$tshark_pid" 2>/dev/null || true
tshark_pid=

/usr/bin/python3 - "$tmp/ex.txt" "$COA1" "$HA" "$HOA" "$CN_HOA" "$CNHA" \
	"$CN_COA1" >"$tmp/seq" <<'PY'
import sys
sub = {1: "REQ", 2: "REP", 3: "COOKIE0", 4: "COOKIE1", 5: "EXCH0",
       6: "EXCH1", 7: "BC", 12: "TEST", 13: "ALIVE", 14: "FWD", 15: "KEYS",
       18: "REG", 19: "REG_ACK", 20: "REP_NAK", 21: "KEYS_ACK"}
path, coa, ha, hoa, cn_hoa, cnha, cn_coa = sys.argv[1:]
esp = {(coa, ha): "ESP>HA", (ha, coa): "ESP>MN",
       (cnha, cn_coa): "ESP>CNMN", (cn_coa, cnha): "ESP>CNHA"}
for line in open(path):
    f = line.rstrip("\n").split("\t") + [""] * 6
    dev, src, dst, mht, data, spi = f[:6]
    src, dst = src.split(",")[-1], dst.split(",")[0]
    if spi:
        name = esp.get((src, dst))
        if not name:
            continue
    elif mht == "11":
        name = sub.get(int(data.replace(":", "")[:2] or "0", 16), "EXP?")
        # Registration refreshes may fall inside the capture.
        if name in ("REG", "REG_ACK"):
            continue
        if name == "BC" and (src, dst) != (coa, cn_coa):
            name = "BC?%s>%s" % (src, dst)
    elif mht == "5":
        name = "BU" if (src, dst) == (coa, cn_hoa) else "BU?%s>%s" % (src, dst)
    elif mht == "6":
        name = "BA" if (src, dst) == (cn_coa, coa) else "BA?%s>%s" % (src, dst)
    elif mht == "0":
        name = "BRR"
    else:
        continue
    print(dev, name)
PY
on() {	# on DEV [mh]: the sequence seen on DEV, or its MH messages only
	awk -v d="$1" -v mh="${2:-}" \
		'$1 == d && !(mh && $2 ~ /^ESP/) { print $2 }' "$tmp/seq" |
		tr '\n' ' '
}
# firsts DEV [mh]: the same, each message at its first appearance only: a
# slow guest makes retransmissions (a REQ, an EXCH0, a BU resent after 1 s),
# which change nothing of the order.
firsts() {
	on "$@" | tr ' ' '\n' | awk 'NF && !seen[$0]++' | tr '\n' ' '
}
# like WHAT REGEX ACTUAL
like() {
	if [[ $3 =~ $2 ]]; then pass "$1"; else fail "$1: got '$3'"; fi
}
check_eq "home link: REQ (ESP), COOKIE0, COOKIE1, EXCH0, EXCH1, REP (ESP)" \
	"ESP>HA COOKIE0 COOKIE1 EXCH0 EXCH1 ESP>MN " "$(firsts h0)"
check_eq "CN_HA's link, in the clear: COOKIE0, COOKIE1, EXCH0, EXCH1, BU" \
	"COOKIE0 COOKIE1 EXCH0 EXCH1 BU " "$(firsts k0 mh)"
# KEYS goes down the tunnel, KEYS_ACK comes back, and only then EXCH1;
# the BU goes down it as FWD.  Resent ones may come between.
resent='(COOKIE0 |COOKIE1 |EXCH0 |ESP>CNMN |ESP>CNHA )*'
like "CN_HA's link: KEYS, KEYS_ACK (ESP) before EXCH1; FWD (ESP) after BU" \
	"^COOKIE0 ${resent}ESP>CNMN ${resent}ESP>CNHA ${resent}EXCH1 (.* )?BU (.* )?ESP>CNMN " \
	"$(on k0)"
check_eq "CN_MN's access link, in the clear: the BA from CN_CoA, the BC to it" \
	"BA BC " "$(firsts a3 mh)"
like "CN_MN's access link: FWD (ESP), then BA and BC" \
	'ESP>CNMN (.* )?BA (.* )?BC ' "$(on a3)"
check_eq "nothing of TEST, ALIVE, FWD, KEYS, KEYS_ACK in the clear on core" \
	0 "$(clear_total)"
check_ge "cnmn: KEYS came out of the tunnel" 1 "$(counted "$cnmn" keys_in)"
check_ge "cnha: KEYS_ACK came out of the tunnel" 1 "$(counted "$cnha" ack_in)"
check_ge "cnmn: FWD came out of the tunnel" 1 "$(counted "$cnmn" fwd_in)"
check_ge "cnha: COOKIE0 and EXCH0 handed up by cbu.ko" 2 \
	$(($(kst "$cnha" mh_to_agent) - cookie0))
check_ge "cnha: the BU handed up by cbu.ko" 1 "$(kst "$cnha" bu_to_agent)"
check_ge "cnmn: the FWD taken by cbu.ko" 1 "$(kst "$cnmn" fwd)"
check_ge "mn: the BA from the peer's CoA taken by cbu.ko" 1 \
	"$(kst "$mn" ba_peer)"
# One EXCH0 worked (repeats are counted apart), one KEYS acknowledged,
# one EXCH1.
check_eq "cnha: one exchange, its KEYS acknowledged, one EXCH1" "1 1 1" \
	"$(st "$cnha" '.home_agent.mobile_cn |
	  "\(.exch0) \(.keys_acked) \(.exch1_sent)"')"
check_ge "cnha: the BU forwarded" 1 "$(hcn fwd)"
check_eq "cnmn: keys installed once, one peer, one path" "1 1 1" \
	"$(st "$cnmn" '.mobile_node.as_correspondent |
	  "\(.keys) \(.peers) \(.paths)"')"
check_eq "mn: its entry confirmed, at CoA1, peer at CN_CoA1" \
	"confirmed $COA1 $CN_COA1" "$(mn_bind)"
check_eq "cnmn: its binding has the Seq# of the MN's last BU" \
	"confirmed $COA1 $(ro_f .seq)" "$(cn_bind)"
echo "# ro show: $("$CBUCTL" -n "$mn" ro show)"

# --- 2. data goes directly between the care-of addresses -----------------

nft_count "$core" ro_11_out ip6 saddr "$COA1" ip6 daddr "$CN_COA1" \
	meta l4proto esp
nft_count "$core" ro_11_in ip6 saddr "$CN_COA1" ip6 daddr "$COA1" \
	meta l4proto esp
homes0=$(via_homes) esp0=$(home_esp)
if mn_pings 5 && cn_pings 5; then
	pass "HoA <-> CN_HoA over the direct path, both ways"
else
	fail "pings not answered over the direct path"
fi
check_ge "ESP CoA1 -> CN_CoA1 on core" 10 "$(counted "$core" ro_11_out)"
check_ge "ESP CN_CoA1 -> CoA1 on core" 10 "$(counted "$core" ro_11_in)"
check_eq "no ping crossed a home agent" "$homes0" "$(via_homes)"
# A registration refresh or a refreshed BU may use a home tunnel meanwhile,
# twenty pings would not fit in that.
d=$(($(home_esp) - esp0))
if [ "$d" -lt 4 ]; then
	pass "the home tunnels' ESP stayed (nearly) flat: $d packets"
else
	fail "the home tunnels carried $d ESP packets during the pings"
fi

# --- 3. CN_MN moves: a BRR from CN_HoA, the MN's BU, FWD, BA from CN_CoA2 ---

brr0=$(mcn brr_sent) brr_mn0=$(st "$mn" .mobile_node.brr)
moves0=$(st "$mn" .mobile_node.peer_moves)
cn_go 2
if busywait "$(ms 30000)" converged; then
	pass "CN_MN moved: the MN follows it to $CN_COA2"
else
	fail "CN_MN moved: $(where)"; logs
fi
echo "# ro show: $("$CBUCTL" -n "$mn" ro show)"
check_eq "cnha: CN_MN registered from its new CoA" "$CN_COA2" \
	"$(st "$cnha" '.home_agent.mobile_nodes[0].coa')"
check_ge "cnmn: BRR sent from CN_HoA" $((brr0 + 1)) "$(mcn brr_sent)"
check_ge "mn: answered a BRR" $((brr_mn0 + 1)) "$(st "$mn" .mobile_node.brr)"
check_ge "mn: the peer's move counted" $((moves0 + 1)) \
	"$(st "$mn" .mobile_node.peer_moves)"
nft_count "$core" ro_12 ip6 saddr "$CN_COA2" ip6 daddr "$COA1" \
	meta l4proto esp
homes0=$(via_homes)
if busywait "$(ms 10000)" mn_pings 3 && cn_pings 3; then
	pass "CN_MN moved: pings both ways"
else
	fail "CN_MN moved: pings not answered"
fi
check_ge "directly from CN_CoA2" 6 "$(counted "$core" ro_12)"
check_eq "still not through a home agent" "$homes0" "$(via_homes)"

# --- 3b. a second mobile node: CN_MN the correspondent of two -------------
#
# mnb, another mobile node of the same home agent, which stays behind ar2,
# asks for route optimization with CN_HoA while the first keeps its own:
# an exchange of its own through CN_HA, keys and a path of its own at
# CN_MN.  In the rounds below CN_MN moves under both.

rob_f() {	# rob_f JQ: a field of mnb's route optimization with CN_HoA
	"$CBUCTL" -n "$mnb" -j ro show |
		jqv -r ".[] | select(.cn == \"$CN_HOA\") | $1 // empty"
}
b_bound() {	# mnb bound with CN_MN where it is now
	[ "$(rob_f '"\(.state) \(.coa) \(.peer_coa)"')" == \
	  "bound $COA_B $cn_coa" ]
}
busywait "$(ms 30000)" reg_at "$mnb" "$COA_B" ||
	fail "mnb did not register: $(st "$mnb" .mobile_node)"
keys0=$(mcn keys) paths0=$(mcn paths)
nft_count "$core" ro_b ip6 saddr "$COA_B" meta l4proto esp
"$CBUCTL" -n "$mnb" ro start "$CN_HOA" >/dev/null
if busywait "$(ms 30000)" b_bound && converged; then
	pass "a second mobile node bound with CN_MN at $cn_coa, the first still"
else
	fail "second mobile node: $(rob_f .state) $(rob_f .peer_coa); $(where)"
	logs
fi
check_eq "cnmn: keys for the second, two peers, a path of its own" \
	"1 2 1" "$(($(mcn keys) - keys0)) $(mcn peers) $(($(mcn paths) - paths0))"
check_eq "cnha: two pairs with acknowledged keys" 2 "$(hcn pairs)"
if busywait "$(ms 10000)" ping_ok "$mnb" "$HOA_B" "$CN_HOA" 3 &&
   ping_ok "$cnmn" "$CN_HOA" "$HOA_B" 3 && mn_pings 2; then
	pass "both mobile nodes <-> CN_HoA, each over its own path"
else
	fail "two mobile nodes: pings not answered"
fi
check_ge "ESP from the second's CoA on core" 3 "$(counted "$core" ro_b)"

# --- 4. both move at once, back and forth, under traffic -------------------
#
# Each round: pings each way for 6 s (bg_ping), both nodes move 1 s in;
# the round is over when everything agrees again and pings are answered.
# Losses are stated, not judged: what is required is convergence.

lost_mn=0 lost_cn=0 sent_mn=0 sent_cn=0 gap_mn=0 gap_cn=0
for ((r = 1; r <= ROUNDS; r++)); do
	bg_ping "mn$r" "$mn" "$HOA" "$CN_HOA" 6
	bg_ping "cn$r" "$cnmn" "$CN_HOA" "$HOA" 6
	sleep 1
	t0=$(date +%s%3N)
	mn_go $((3 - mn_at))
	cn_go $((3 - cn_at))
	if busywait "$(ms 30000)" converged && busywait "$(ms 30000)" b_bound
	then
		echo "# round $r: the test saw it converged (polling) in" \
			"$(($(date +%s%3N) - t0)) ms at" \
			"$coa, $cn_coa; bu-ba $(ro_f .bu_to_ba_ms) ms"
	else
		fail "both moving, round $r: $(where); second $(rob_f .state)" \
			"$(rob_f .peer_coa)"; logs 20
	fi
	bg_wait
	s='' l='' g=''
	read -r s l g <"$tmp/mn$r.ping" || fail "round $r: no count of pings"
	lost_mn=$((lost_mn + ${l:-0})) sent_mn=$((sent_mn + ${s:-0}))
	[ "${g:-0}" -gt "$gap_mn" ] && gap_mn=$g
	s='' l='' g=''
	read -r s l g <"$tmp/cn$r.ping" || fail "round $r: no count of pings"
	lost_cn=$((lost_cn + ${l:-0})) sent_cn=$((sent_cn + ${s:-0}))
	[ "${g:-0}" -gt "$gap_cn" ] && gap_cn=$g
	if busywait "$(ms 10000)" mn_pings 2 && cn_pings 2 &&
	   ping_ok "$mnb" "$HOA_B" "$CN_HOA" 2; then
		pass "both moving, round $r: pings answered at $coa, $cn_coa," \
			"and from the second mobile node"
	else
		fail "both moving, round $r: no traffic after converging"
	fi
done
pass "both moving $ROUNDS times, pings every 100 ms: $lost_mn of $sent_mn lost HoA -> CN_HoA (longest gap $gap_mn ms), $lost_cn of $sent_cn CN_HoA -> HoA (longest gap $gap_cn ms); FWDs sent again after CN_MN's move: $(hcn fwd_again)"

# --- 5. KEYS, FWD and the BA each lost once ---------------------------------
#
# nft drops the first of each (lib.sh's drop_once, before cbu.ko's hook):
# KEYS and FWD as they come out of the tunnel in cnmn, the BA at the MN.
# A fresh exchange each time: ro stop (the BU of lifetime 0 ends the
# binding at CN_MN), ro start.

cn_unbound() { [ "$(cn_bind | cut -d ' ' -f 1)" != confirmed ]; }
# ro_off WHAT: ro stop, and CN_MN's binding goes; ro_on WHAT: ro start,
# which must bind.  The counters are read between the two.
ro_off() {
	"$CBUCTL" -n "$mn" ro stop "$CN_HOA" >/dev/null
	busywait "$(ms 10000)" cn_unbound ||
		fail "$1: CN_MN kept the binding after ro stop: $(cn_bind)"
}
ro_on() {
	"$CBUCTL" -n "$mn" ro start "$CN_HOA" >/dev/null
	if busywait "$(ms 60000)" converged; then
		pass "$1: bound again"
	else
		fail "$1: $(where)"; logs
	fi
}
ro_off "KEYS lost"
# shellcheck disable=SC2046
drop_once "$cnmn" lost_keys ip6 daddr "$CN_HOA" $(mh_is 11 15)
resent0=$(hcn keys_resent) keys0=$(mcn keys)
ro_on "KEYS lost"
check_eq "KEYS lost: dropped once" 1 "$(dropped "$cnmn" lost_keys)"
check_ge "KEYS lost: CN_HA sent it again" $((resent0 + 1)) \
	"$(hcn keys_resent)"
check_eq "KEYS lost: installed once at CN_MN" $((keys0 + 1)) "$(mcn keys)"
ip netns exec "$cnmn" nft delete table inet loss

ro_off "FWD lost"
# shellcheck disable=SC2046
drop_once "$cnmn" lost_fwd ip6 daddr "$CN_HOA" $(mh_is 11 14)
bu0=$(st "$mn" .mobile_node.bu) fwd0=$(hcn fwd)
ro_on "FWD lost"
check_eq "FWD lost: dropped once" 1 "$(dropped "$cnmn" lost_fwd)"
check_ge "FWD lost: the MN sent its BU again" $((bu0 + 2)) \
	"$(st "$mn" .mobile_node.bu)"
check_ge "FWD lost: CN_HA forwarded it again" $((fwd0 + 2)) "$(hcn fwd)"
ip netns exec "$cnmn" nft delete table inet loss

ro_off "BA lost"
# shellcheck disable=SC2046
drop_once "$mn" lost_ba ip6 daddr "$coa" $(mh_is 6)
bu0=$(st "$mn" .mobile_node.bu) fwd0=$(hcn fwd)
ro_on "BA lost"
check_eq "BA lost: dropped once" 1 "$(dropped "$mn" lost_ba)"
check_ge "BA lost: the MN sent its BU again" $((bu0 + 2)) \
	"$(st "$mn" .mobile_node.bu)"
check_ge "BA lost: CN_HA forwarded both" $((fwd0 + 2)) "$(hcn fwd)"
ip netns exec "$mn" nft delete table inet loss
if busywait "$(ms 10000)" mn_pings 2 && cn_pings 2; then
	pass "after the losses: pings both ways"
else
	fail "after the losses: no traffic"
fi
check_eq "KEYS, FWD and the rest never in the clear on core" 0 \
	"$(clear_total)"

# --- 6. a k_EN rekey through CN_HA: KEYS with k_EN-new, then EXCH1' -------
#
# `ro rekey` sends the MN's REQ_KEY now; its home agent's EXCH0' reaches
# CN_HA, which gives k_EN-new to CN_MN in KEYS and answers EXCH1' once it
# is acknowledged (design item 38).  CN_MN listens on k_EN-new before it
# acknowledges; the MN sends under it as soon as NEWKEY comes; CN_MN
# follows once it sees it used.  Under pings both ways, none lost.

spi() {	# spi NS SRC DST: the SPI of the ESP state from SRC to DST
	ip -n "$1" xfrm state list src "$2" dst "$3" proto esp |
		sed -n 's/.* spi \(0x[0-9a-f]*\) .*/\1/p' | sort | tr '\n' ' '
}
rekeys0=$(ro_f '.rekeys // 0') hrk0=$(hcn rekey) hx0=$(hcn exch1_rk_sent)
crk0=$(mcn rekey) sw0=$(($(mcn switch_seen) + $(mcn switch_timeout)))
out_mn0=$(spi "$mn" "$coa" "$cn_coa") out_cn0=$(spi "$cnmn" "$cn_coa" "$coa")
bg_ping rk_mn "$mn" "$HOA" "$CN_HOA" 8
bg_ping rk_cn "$cnmn" "$CN_HOA" "$HOA" 8
sleep 1
check_eq "ro rekey: accepted" rekeying \
	"$("$CBUCTL" -n "$mn" ro rekey "$CN_HOA")"
rekeyed() { [ "$(ro_f '.rekeys // 0')" -gt "$rekeys0" ]; }
switched() {
	[ $(($(mcn switch_seen) + $(mcn switch_timeout))) -gt "$sw0" ]
}
if busywait "$(ms 15000)" rekeyed && busywait "$(ms 10000)" switched; then
	pass "rekey: the MN got NEWKEY, CN_MN sends under k_EN-new (seen" \
		"$(mcn switch_seen), timeout $(mcn switch_timeout))"
else
	fail "rekey: rekeys $(ro_f '.rekeys // 0'), CN_MN switched" \
		"$(mcn switch_seen)/$(mcn switch_timeout)"; logs
fi
bg_wait
check_eq "rekey: CN_HA derived k_EN-new, sent EXCH1' after the KEYS_ACK" \
	"1 1" "$(($(hcn rekey) - hrk0)) $(($(hcn exch1_rk_sent) - hx0))"
check_eq "rekey: CN_MN took the KEYS as a rekey" 1 $(($(mcn rekey) - crk0))
check_eq "rekey: new SAs out of both ends" "yes yes" \
	"$([ "$(spi "$mn" "$coa" "$cn_coa")" != "$out_mn0" ] && echo yes || echo no) $([ "$(spi "$cnmn" "$cn_coa" "$coa")" != "$out_cn0" ] && echo yes || echo no)"
l1='' s1='' l2='' s2=''
read -r s1 l1 _ <"$tmp/rk_mn.ping" || true
read -r s2 l2 _ <"$tmp/rk_cn.ping" || true
check_eq "rekey under pings both ways: none lost (of $s1 and $s2)" "0 0" \
	"${l1:-?} ${l2:-?}"
check_eq "rekey: KEYS and EXCH1' never in the clear on core" 0 \
	"$(clear_total)"

# --- 7. TEST and ALIVE: a silent CN_MN is probed before any public-key work
#
# A REG, KEYS_ACK or ALIVE is a sign of life.  After 10 s of silence,
# CN_HA sends a TEST at the COOKIE0, and holds the EXCH0 (its cookie
# checked) up to 1 s for the ALIVE, sending a TEST if none went in the
# last second (design item 42).  The first two TESTs are lost here: the
# EXCH0 held when the second went is dropped unworked (`not_alive`) a
# second later whatever the timing, the home agent's next EXCH0 brings a
# third TEST, whose ALIVE releases it, and only that one costs a
# signature check.

ro_off "silent CN_MN"
silent() {
	[ "$(st "$cnha" '.home_agent.mobile_cn.nodes[0].silent_ms')" -gt \
	  10500 ]
}
busywait "$(ms 100000)" silent ||
	fail "CN_MN never silent for 10 s: $(st "$cnha" .home_agent.mobile_cn.nodes)"
ip netns exec "$cnmn" nft add table inet loss
ip netns exec "$cnmn" nft add chain inet loss pre \
	'{ type filter hook prerouting priority -450; }'
ip netns exec "$cnmn" nft add counter inet loss lost_test
# shellcheck disable=SC2046
ip netns exec "$cnmn" nft add rule inet loss pre ip6 daddr "$CN_HOA" \
	$(mh_is 11 12) counter name lost_test drop
test0=$(hcn test) alive0=$(hcn alive) na0=$(hcn not_alive)
sig0=$(hcn sig_checks) ex0=$(hcn exch0)
calive0=$(mcn alive)
"$CBUCTL" -n "$mn" ro start "$CN_HOA" >/dev/null
two_lost() { [ "$(dropped "$cnmn" lost_test)" -ge 2 ]; }
busywait "$(ms 20000)" two_lost ||
	fail "silent CN_MN: TESTs dropped: $(dropped "$cnmn" lost_test)"
ip netns exec "$cnmn" nft flush chain inet loss pre
if busywait "$(ms 30000)" converged; then
	pass "silent CN_MN, its first two TESTs lost: bound"
else
	fail "silent CN_MN: $(where)"; logs
fi
check_ge "silent CN_MN: TESTs sent" $((test0 + 3)) "$(hcn test)"
check_ge "silent CN_MN: answered with ALIVE" $((calive0 + 1)) "$(mcn alive)"
check_ge "silent CN_MN: ALIVE taken by CN_HA" $((alive0 + 1)) "$(hcn alive)"
check_ge "silent CN_MN: an EXCH0 without an ALIVE dropped" $((na0 + 1)) \
	"$(hcn not_alive)"
check_eq "silent CN_MN: one exchange worked, one signature checked" "1 1" \
	"$(($(hcn exch0) - ex0)) $(($(hcn sig_checks) - sig0))"
ip netns exec "$cnmn" nft delete table inet loss

# --- 8. forged BU, ALIVE, KEYS_ACK, FWD and KEYS: refused, counted --------
#
# From outside, anything to CN_HoA reaches CN_HA, whose cbu.ko hands type
# 11 up to its agent: an attacker who wants to reach CN_MN directly sits on
# its access link (atk: the access router, with a route to CN_HoA through
# CN_CoA).  A FWD need not come out of the tunnel (item 37): its MAC_BU is
# checked.  A KEYS must (item 32): one in the clear never reaches the
# agent; one through the tunnel (sent by cnha's namespace, not its agent)
# does not open.

ar=ar$((cn_at + 2))
atk=${!ar}
atk_addr=2001:db8:1$((cn_at + 1))::2	# its address on core
peer_start atk "$atk"

# What reaches CN_HA from anywhere, with nothing to open it: a BU to
# CN_HoA for the MN's HoA whose MAC_BU does not verify under the k_BU
# CN_MN acknowledged (no FWD: fwd_bad_mac), and an ALIVE from a node that
# is no mobile correspondent of CN_HA's (alive_bad).  A KEYS_ACK that
# does not open under k_HA, sent through CN_MN's tunnel by its namespace,
# not its agent: keys_ack_bad, no EXCH1.
# hcn_grows WHAT COUNTER FROM: CN_HA's COUNTER passes FROM in time.
hcn_grows() {
	local what=$1 counter=$2 from=$3
	grew() { [ "$(hcn "$counter")" -gt "$from" ]; }
	if busywait "$(ms 5000)" grew; then
		pass "$what: refused, counted ($counter)"
	else
		fail "$what: $counter $(hcn "$counter")"
	fi
}
hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }	# hex N: random

fwd0=$(hcn fwd) fbad0=$(hcn fwd_bad_mac) fwdk0=$(kst "$cnmn" fwd)
out=$(peer atk bu "core$((cn_at + 2))" "$atk_addr" "$CN_HOA" "$HOA" 65000 16 \
	"$(hex 32)" bad-mac wait=1)
check_eq "BU to CN_HoA with a bad MAC_BU: unanswered" null \
	"$(jqv -r .reply <<<"$out")"
hcn_grows "BU to CN_HoA with a bad MAC_BU, at CN_HA" fwd_bad_mac "$fbad0"
check_eq "BU with a bad MAC_BU: no FWD sent, none taken" "$fwd0 $fwdk0" \
	"$(hcn fwd) $(kst "$cnmn" fwd)"

alive0=$(hcn alive) abad0=$(hcn alive_bad)
ip netns exec "$atk" "$MH_SEND" "$atk_addr" "$CNHA" raw \
	"3b020b0000000d01$(hex 16)" >/dev/null
hcn_grows "ALIVE from a node that is no mobile CN" alive_bad "$abad0"
check_eq "that ALIVE: not taken as one" "$alive0" "$(hcn alive)"

# KEYS_ACK: its 8-octet header (hdrlen 12, subtype 21), 96 random octets
# in place of nonce, ciphertext and tag: 104 octets, sealed under no key.
kabad0=$(hcn keys_ack_bad) acked0=$(hcn keys_acked) ex0=$(hcn exch1_sent)
ip netns exec "$cnmn" "$MH_SEND" "$CN_HOA" "$CNHA" raw \
	"3b0c0b0000001501$(hex 96)" >/dev/null
hcn_grows "forged KEYS_ACK through the tunnel" keys_ack_bad "$kabad0"
check_eq "forged KEYS_ACK: nothing acknowledged, no EXCH1" "$acked0 $ex0" \
	"$(hcn keys_acked) $(hcn exch1_sent)"

ip -n "$atk" route add "$CN_HOA/128" via "$cn_coa"
bind0=$(cn_bind) bad0=$(kst "$cnmn" bu_bad_mac) fwdk0=$(kst "$cnmn" fwd)
k_bu=$(hex 32)
out=$(peer atk fwd "acc$((cn_at + 2))" "$CNHA" "$CN_HOA" "$HOA" "$coa" \
	65000 16 "$k_bu" bad-mac wait=1)
check_eq "forged FWD: unanswered" null "$(jqv -r .reply <<<"$out")"
check_eq "forged FWD: taken by cbu.ko, refused for its MAC" "1 1" \
	"$(($(kst "$cnmn" fwd) - fwdk0)) $(($(kst "$cnmn" bu_bad_mac) - bad0))"
check_eq "forged FWD: CN_MN's binding unchanged" "$bind0" "$(cn_bind)"

# KEYS: its 8-octet header (hdrlen 24, subtype 15), 186 random octets in
# place of nonce, ciphertext and tag, PadN 6: 200 octets, well formed,
# sealed under no key CN_MN holds.
keys_hex=3b180b0000000f01$(hex 186)010400000000
bad0=$(mcn keys_bad) keys0=$(mcn keys) in0=$(counted "$cnmn" keys_in)
acked0=$(hcn keys_acked)
ip netns exec "$atk" "$MH_SEND" "$CNHA" "$CN_HOA" raw "$keys_hex" >/dev/null
sleep 1
check_eq "KEYS in the clear, from the access link: never reaches the agent" \
	"$bad0 $keys0" "$(mcn keys_bad) $(mcn keys)"
ip netns exec "$cnha" "$MH_SEND" "$CNHA" "$CN_HOA" raw "$keys_hex" >/dev/null
keys_bad_grew() { [ "$(mcn keys_bad)" -gt "$bad0" ]; }
if busywait "$(ms 5000)" keys_bad_grew; then
	pass "forged KEYS through the tunnel: refused, counted (keys_bad)"
else
	fail "forged KEYS through the tunnel: keys_bad $(mcn keys_bad)," \
		"out of the tunnel $(($(counted "$cnmn" keys_in) - in0))"
fi
check_eq "forged KEYS: no keys installed, binding unchanged" \
	"$keys0 $bind0" "$(mcn keys) $(cn_bind)"
check_eq "forged KEYS: no KEYS_ACK for it" "$acked0" "$(hcn keys_acked)"
peer_stop_all
ip -n "$atk" route del "$CN_HOA/128"
if mn_pings 2 && cn_pings 2; then
	pass "after the forgeries: pings both ways"
else
	fail "after the forgeries: no traffic"
fi

# --- 8b. CN_HA reloaded: a renewed cn certificate taken, a wrong one not ---

"$CBUCTL" cert issue cn 2001:db8:7::/64 pubkey "$tmp/cnha.pub" \
	key "$tmp/ca.key" out "$tmp/cnha-cn2.cert"
cp "$tmp/cnha.conf" "$tmp/cnha.conf.0"
sed "s|^cn-certificate = .*|cn-certificate = $tmp/cnha-ha.cert|" \
	"$tmp/cnha.conf.0" >"$tmp/cnha.conf"
out=$("$CBUCTL" -n "$cnha" agent reload 2>&1) && rc=0 || rc=$?
check_eq "CN_HA reload: an ha certificate as cn-certificate refused" \
	"1 yes" "$rc $(grep -q 'fails --check' <<<"$out" && echo yes ||
		      echo "no: $out")"
sed "s|^cn-certificate = .*|cn-certificate = $tmp/cnha-cn2.cert|" \
	"$tmp/cnha.conf.0" >"$tmp/cnha.conf"
check_eq "CN_HA reload: a renewed cn certificate" reloaded \
	"$("$CBUCTL" -n "$cnha" agent reload 2>&1)"
if grep -q "mobile correspondents: cn certificate $tmp/cnha-cn2.cert" \
	"$tmp/cnha.log"; then
	pass "CN_HA reload: the renewed cn certificate taken"
else
	fail "CN_HA reload: the renewed cn certificate not taken"
fi
ro_off "after the reload"
ro_on "after the reload, an exchange under the renewed certificate"

# --- 9. the agents stop -------------------------------------------------

agents_stop
for ns in mn mnb ha cnmn cnha; do
	check_eq "$ns: its SAs removed on exit" 0 \
		"$(ip -n "${!ns}" xfrm state | grep -c '^src' || true)"
done
check_eq "home agents: home prefixes removed from cbu.ko on exit" "0 0" \
	"$("$CBUCTL" -n "$ha" -j home show | jqv length) $("$CBUCTL" -n "$cnha" -j home show | jqv length)"
check_eq "cnmn: its own pair removed on exit" '{}' \
	"$("$CBUCTL" -n "$cnmn" -j own show)"
agents_clean mn mnb ha cnmn cnha
check_dmesg "no kernel complaints"
exit $RET
