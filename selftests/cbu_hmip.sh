#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# HMIPv6 (draft section 5): a MAP binds a mobile node's regional care-of
# address to its on-link one on a local BU it checks through the
# certificate the node's home agent issued, and refuses every redirect.
# hmip-send plays the mobile node, right or broken on purpose; the home
# agents are cbu-agent's, answering the MAP's REQ_Cert.  The MAP forwards
# the RCoA's traffic to the LCoA bound (cbu-map0, a route and proxy ND per
# binding) and keeps forwarding it when its agent is killed; the next agent
# takes it all back.  Eight more mobile nodes enter at once, each kept
# apart (its binding, route and proxy entry to its own LCoA), taken back
# across the kill, left alone by the first node's expiry and unbinding.
# The mobile node's end of the tunnel is made by hand here (hm0), as its
# agent makes it.
#
#        2001:db8:a1::/64      2001:db8:f0::/64 (RCoAs; map0 on core0)
#   mn ---------------- map ------------------ core ------ ha   2001:db8:1::2
#   2001:db8:a1::10  dom1|  2001:db8:f0::1  2001:db8:f0::2 |     home agent of
#   2001:db8:a2::10  dom2|                               |     2001:db8:1::/64
#   (both on mn's two links to the MAP's domain)         +---- ha2  2001:db8:2::2
#                                                               2001:db8:2::/64
#
#   The mobile node: HoA 2001:db8:1::10, RCoA 2001:db8:f0::a:10, Cert_MN
#   from ha.  ha2 is a home agent too, for another prefix, with its own
#   key: a Cert_MN it issued cannot move a node of ha's.

# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

: "${CBU_AGENT:=$TOP/agent/cbu-agent}"
HMIP_SEND=${HMIP_SEND:-$TOP/build/san/bin/hmip-send}

HOA=2001:db8:1::10
HA=2001:db8:1::2
HA2=2001:db8:2::2
MAP=2001:db8:f0::1
RCOA=2001:db8:f0::a:10
LCOA1=2001:db8:a1::10
LCOA2=2001:db8:a2::10
CORE=2001:db8:f0::2
SCALE=${CBU_TIMEOUT_SCALE:-1}

tmp=$(mktemp -d)
cleanup() {
	set +e
	agent_test_cleanup
}
trap cleanup EXIT

[ -x "$HMIP_SEND" ] || skip "no hmip-send at $HMIP_SEND"
agent_test_init od busybox
modprobe -q ip6_tunnel 2>/dev/null || skip "no ip6_tunnel"

# --- the topology --------------------------------------------------------

mn='' map='' core='' ha='' ha2=''
setup_ns mn map core ha ha2
link "$map" dom1 2001:db8:a1::1 "$mn" mn1 "$LCOA1"
link "$map" dom2 2001:db8:a2::1 "$mn" mn2 "$LCOA2"
link "$map" core0 "$MAP" "$core" m0 2001:db8:f0::2
link "$core" h0 2001:db8:1::1 "$ha" ha0 "$HA"
link "$core" h2 2001:db8:2::1 "$ha2" ha20 "$HA2"
for ns in "$core" "$map"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.forwarding=1
done
ip -n "$map" route add default via 2001:db8:f0::2
ip -n "$core" route add 2001:db8:a1::/64 via "$MAP"
ip -n "$core" route add 2001:db8:a2::/64 via "$MAP"
ip -n "$ha" route add default via 2001:db8:1::1
ip -n "$ha2" route add default via 2001:db8:2::1
ip -n "$mn" route add default via 2001:db8:a1::1

# --- credentials -----------------------------------------------------------

ctl() { "$CBUCTL" "$@" >/dev/null; }
agent_pki 2001:db8:1::/64 2001:db8:9::9
for who in map ha2 mn mn2; do
	ctl cert genkey out "$tmp/$who.key"
	ctl cert pubkey key "$tmp/$who.key" out "$tmp/$who.pub"
done
ctl cert issue map 2001:db8:f0::/64 pubkey "$tmp/map.pub" key "$tmp/ca.key" \
	out "$tmp/map.cert"
ctl cert issue ha 2001:db8:2::/64 pubkey "$tmp/ha2.pub" key "$tmp/ca.key" \
	out "$tmp/ha2.cert"
ctl cert issue mn "$HOA" pubkey "$tmp/mn.pub" key "$tmp/ha.key" \
	issuer "$tmp/ha.cert" out "$tmp/mn.cert"
# Refused certificates: expired; for another HoA of the same home agent;
# issued with ha2's key for ha's HoA (through a Cert_HA of ha2's key for
# ha's prefix, which ha2 never shows: it serves 2001:db8:2::/64).
ctl cert issue ha 2001:db8:1::/64 pubkey "$tmp/ha.pub" key "$tmp/ca.key" \
	from 2020-01-01 days 3650 out "$tmp/ha-2020.cert"
ctl cert issue mn "$HOA" pubkey "$tmp/mn.pub" key "$tmp/ha.key" \
	issuer "$tmp/ha-2020.cert" from 2020-01-01 days 1 \
	out "$tmp/mn-expired.cert"
ctl cert issue mn 2001:db8:1::11 pubkey "$tmp/mn2.pub" key "$tmp/ha.key" \
	issuer "$tmp/ha.cert" out "$tmp/mn2.cert"
ctl cert issue ha 2001:db8:1::/64 pubkey "$tmp/ha2.pub" key "$tmp/ca.key" \
	out "$tmp/ha2-wide.cert"
ctl cert issue mn "$HOA" pubkey "$tmp/mn.pub" key "$tmp/ha2.key" \
	issuer "$tmp/ha2-wide.cert" out "$tmp/mn-ha2.cert"
# Part 3b's mobile nodes of ha, 2001:db8:1::101 to ::108: a key and a
# Cert_MN each.
MANY=8
for i in $(seq "$MANY"); do
	ctl cert genkey out "$tmp/many$i.key"
	ctl cert pubkey key "$tmp/many$i.key" out "$tmp/many$i.pub"
	ctl cert issue mn "2001:db8:1::10$i" pubkey "$tmp/many$i.pub" \
		key "$tmp/ha.key" issuer "$tmp/ha.cert" out "$tmp/many$i.cert"
done
export CBU_CA_PUB=$tmp/ca.pub

agent_secret mn
{
	conf_debug
	conf_ha "$HA" 2001:db8:1::/64 ha0
	echo "mobile-node = $HOA $tmp/mn.secret"
} >"$tmp/ha.conf"
{
	conf_debug
	printf '[ca]\npublic-key = %s\n[home-agent]\naddress = %s\n' \
		"$tmp/ca.pub" "$HA2"
	printf 'home-prefix = 2001:db8:2::/64\nhome-link = ha20\n'
	printf 'certificate = %s\nprivate-key = %s\n' "$tmp/ha2.cert" \
		"$tmp/ha2.key"
	echo "mobile-node = 2001:db8:2::10 $tmp/mn.secret"
} >"$tmp/ha2.conf"
{
	conf_debug
	printf '[ca]\npublic-key = %s\n[map]\naddress = %s\nlink = core0\n' \
		"$tmp/ca.pub" "$MAP"
	printf 'interface = dom1\ninterface = dom2\n'
	printf 'certificate = %s\nprivate-key = %s\n' "$tmp/map.cert" \
		"$tmp/map.key"
	echo "max-lifetime = 120"
} >"$tmp/map.conf"
agent_start ha "$ha"
agent_start ha2 "$ha2"
# A device named as the MAP's tunnel that is not one: no start, and the
# device left as it was.
ip -n "$map" link add cbu-map0 type ip6tnl mode ip6ip6 remote 2001:db8:a1::99
out=$(ip netns exec "$map" timeout 60 "$CBU_AGENT" -f -c "$tmp/map.conf" 2>&1)
rc=$?
check_eq "cbu-map0 not external: the MAP does not start, and says why" \
	"1 1" "$((rc != 0)) $(grep -c 'tunnel cbu-map0 exists and is not an ip6tnl device in ip6ip6 external mode' <<<"$out")"
check_eq "... the device left as it was, no map in cbu.ko" "1 false" \
	"$(ip -n "$map" link show cbu-map0 | grep -c cbu-map0) \
$("$CBUCTL" -n "$map" -j map show | jqv 'has("address")')"
ip -n "$map" link del cbu-map0
agent_start map "$map"
map_pid=${AGENT_PIDS[-1]}

mstat() { st "$map" ".map.$1"; }
# bu LCOA [ARGS...]: one local BU of the mobile node from LCOA; its BA.
bu() {
	local lcoa=$1
	shift
	ip netns exec "$mn" "$HMIP_SEND" "$lcoa" "$MAP" "$RCOA" "$HOA" "$HA" \
		"$tmp/mn.cert" "$tmp/mn.key" "$@" 2>&1
}
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p"; }
# other_mn SEQ [ARGS...]: another mobile node of ha (2001:db8:1::11) asks
# for the RCoA from the first LCoA: a BU with g^a and ARGS, then one with
# the N_MAP its answer brought (Seq# SEQ + 1); that one's BA.
other_mn() {
	local seq=$1 out
	shift
	out=$(ip netns exec "$mn" "$HMIP_SEND" "$LCOA1" "$MAP" "$RCOA" \
		2001:db8:1::11 "$HA" "$tmp/mn2.cert" "$tmp/mn2.key" \
		seq "$seq" dh "$@" wait 1500 2>&1)
	ip netns exec "$mn" "$HMIP_SEND" "$LCOA1" "$MAP" "$RCOA" \
		2001:db8:1::11 "$HA" "$tmp/mn2.cert" "$tmp/mn2.key" \
		seq $((seq + 1)) dh nonce "$(echo "$out" | field nonce)" \
		wait 1500 2>&1
}
# brief: a BA's line without the fields named.
brief() { sed -E "s/ ($1)=[^ ]*//g"; }

# The forwarding state: cbu.ko's binding of the RCoA (without its
# lifetime), the LCoA its route encapsulates to, its proxy entries.
kbinding() {
	"$CBUCTL" -n "$map" map binding show "$RCOA" 2>&1 |
		sed 's/ lifetime [0-9]*$//'
}
route_lcoa() {
	ip -n "$map" -6 route show "$RCOA/128" dev cbu-map0 2>/dev/null |
		grep -o ' dst [^ ]*' | cut -d' ' -f3
}
proxied() { ip -n "$map" -6 neigh show proxy dev core0 | grep -c "^$RCOA "; }
# mn_at LCOA DEV: the mobile node's side at LCOA on DEV (its agent's
# cbu-hm0, design item 52):
# hm0 from LCOA to the MAP, the RCoA on it, the core through it; its
# default route through the access router of LCOA's link.
mn_at() {
	local ar=${1%::10}::1 dev=$2
	ip -n "$mn" link del hm0 2>/dev/null || true
	ip -n "$mn" link add hm0 type ip6tnl mode ip6ip6 local "$1" \
		remote "$MAP"
	ip -n "$mn" link set hm0 up
	ip -n "$mn" addr add "$RCOA/128" dev hm0 nodad
	ip -n "$mn" route add "$CORE/128" dev hm0 src "$RCOA"
	ip -n "$mn" route replace default via "$ar" dev "$dev"
}
# pings FROM COUNT: the core to the RCoA, or the mobile node from it to the
# core; how many were answered.
pings() {
	local out
	if [ "$1" = mn ]; then
		out=$(ip netns exec "$mn" busybox ping -6 -q -c "$2" -i 0.1 \
			-W 1 -I "$RCOA" "$CORE" 2>&1) || true
	else
		out=$(ip netns exec "$core" busybox ping -6 -q -c "$2" -i 0.1 \
			-W 1 "$RCOA" 2>&1) || true
	fi
	sed -n 's/.* \([0-9]*\) packets received.*/\1/p' <<<"$out"
}

check_eq "the MAP's tunnel: ip6tnl, external, up" "ip6tnl true 1" \
	"$(ip -n "$map" -d -j link show cbu-map0 |
		jqv -r '.[0].linkinfo | "\(.info_kind) \(.info_data.external)"') \
$(ip -n "$map" link show cbu-map0 up | grep -c cbu-map0)"
check_eq "cbu.ko's map names it as its tunnel" cbu-map0 \
	"$("$CBUCTL" -n "$map" -j map show | jqv -r .tunnel)"

# --- 1. entry: 138, then the signed BA that makes k_LBA --------------------

out=$(bu "$LCOA1" seq 1 dh)
check_eq "first contact (no N_MAP): 138, signed by the MAP, for Seq# 1" \
	"status=138 seq=1 auth=sig ok=1" \
	"$(echo "$out" | brief 'lifetime|nonce')"
nonce=$(echo "$out" | field nonce)
out=$(bu "$LCOA1" seq 2 dh nonce "$nonce" save "$tmp/bu2.pkt")
check_eq "the BU again with N_MAP and g^a: accepted, signed, lifetime 30" \
	"status=0 seq=2 lifetime=30 auth=sig ok=1" \
	"$(echo "$out" | brief 'nonce|klba')"
klba=$(echo "$out" | field klba)
nonce=$(echo "$out" | field nonce)
if [ ${#klba} = 64 ]; then
	pass "k_LBA made"
else
	fail "no k_LBA: $out"
fi
check_eq "REQ_Cert once, REP_Cert once, the BU held meanwhile" "1 1 1" \
	"$(mstat req_cert) $(mstat rep_cert) $(mstat held)"
check_eq "map: one binding, one entry" "1 1" \
	"$(mstat bindings) $(mstat entries)"
check_eq "forwarded: cbu.ko's binding, the route to the LCoA, proxy ND" \
	"$RCOA lcoa $LCOA1 hoa $HOA|$LCOA1|1" \
	"$(kbinding)|$(route_lcoa)|$(proxied)"
mn_at "$LCOA1" mn1
check_eq "the core's pings to the RCoA answered at the first LCoA" 3 \
	"$(pings core 3)"
check_eq "the mobile node's from the RCoA answered" 3 "$(pings mn 3)"

# --- 2. a local move: MAC'd under k_LBA, no REQ_Cert --------------------------

out=$(bu "$LCOA2" seq 3 nonce "$nonce" klba "$klba")
check_eq "move to the second LCoA: accepted, MAC'd under k_LBA" \
	"status=0 seq=3 lifetime=30 auth=mac ok=1" \
	"$(echo "$out" | brief nonce)"
nonce=$(echo "$out" | field nonce)
check_eq "map: moved once, Cert_HA from the cache, no new REQ_Cert" "1 1" \
	"$(mstat moved) $(mstat req_cert)"
check_eq "moved in cbu.ko and in the route; one proxy entry still" \
	"$RCOA lcoa $LCOA2 hoa $HOA|$LCOA2|1" \
	"$(kbinding)|$(route_lcoa)|$(proxied)"
mn_at "$LCOA2" mn2
check_eq "the core's pings follow to the second LCoA" 3 "$(pings core 3)"
check_eq "the mobile node's from the RCoA answered there" 3 "$(pings mn 3)"

# --- 3. what the MAP refuses: nothing bound, each counted ----------------------

# refused WHAT COUNTER HMIP-SEND-ARGS...: no BA that binds, COUNTER + 1.
refused() {
	local what=$1 counter=$2 n0 b0 out
	shift 2
	n0=$(mstat "$counter") b0=$(mstat moved)
	out=$(ip netns exec "$mn" "$HMIP_SEND" "$@" wait 1500 2>&1)
	case "$out" in
	status=0*) fail "$what: bound: $out" ;;
	*) check_eq "$what: refused, counted $counter" \
		"1 $b0" "$(($(mstat "$counter") - n0)) $(mstat moved)" ;;
	esac
}
s=4
refused "forged SIG_MN" bad_sig "$LCOA1" "$MAP" "$RCOA" "$HOA" "$HA" \
	"$tmp/mn.cert" "$tmp/mn.key" seq $((s++)) nonce "$nonce" break sig
refused "HoA not Cert_MN's subject" hoa_mismatch "$LCOA1" "$MAP" "$RCOA" \
	"$HOA" "$HA" "$tmp/mn2.cert" "$tmp/mn2.key" seq $((s++)) \
	nonce "$nonce"
refused "expired Cert_MN" expired_cert "$LCOA1" "$MAP" "$RCOA" "$HOA" \
	"$HA" "$tmp/mn-expired.cert" "$tmp/mn.key" seq $((s++)) nonce "$nonce"
refused "Cert_MN of another home agent" wrong_prefix "$LCOA1" "$MAP" \
	"$RCOA" "$HOA" "$HA2" "$tmp/mn-ha2.cert" "$tmp/mn.key" seq $((s++)) \
	nonce "$nonce"
refused "a wrong N_MAP" bad_nonce "$LCOA1" "$MAP" "$RCOA" "$HOA" "$HA" \
	"$tmp/mn.cert" "$tmp/mn.key" seq $((s++)) nonce "$(printf '%032x' 7)"
refused "the MAP's own address as RCoA" bad_rcoa "$LCOA1" "$MAP" "$MAP" \
	"$HOA" "$HA" "$tmp/mn.cert" "$tmp/mn.key" seq $((s++)) nonce "$nonce"
# Outside the RCoA prefix, cbu.ko drops it before the agent sees it.
o0=$("$CBUCTL" -n "$map" -j stats | jqv .map_outside)
ip netns exec "$mn" "$HMIP_SEND" "$LCOA1" "$MAP" 2001:db8:f1::a:10 "$HOA" \
	"$HA" "$tmp/mn.cert" "$tmp/mn.key" seq $((s++)) nonce "$nonce" \
	wait 500 >/dev/null 2>&1 || true
check_eq "an RCoA outside the MAP's prefix: dropped by cbu.ko (map_outside)" \
	1 "$(($("$CBUCTL" -n "$map" -j stats | jqv .map_outside) - o0))"
refused "g^a of low order" bad_dh "$LCOA1" "$MAP" "$RCOA" "$HOA" "$HA" \
	"$tmp/mn.cert" "$tmp/mn.key" seq $((s++)) nonce "$nonce" break dh
# The BU of section 1 replayed from the first LCoA after the move: its
# Seq# is behind the record's.
st0=$(mstat seq_stale)
out=$(bu "$LCOA1" replay "$tmp/bu2.pkt" klba "$klba" wait 1500)
check_eq "BU replayed after the move: 135, signed over its g^a" \
	"status=135 auth=sig ok=1 1" \
	"$(echo "$out" | brief 'seq|lifetime|nonce') $(($(mstat seq_stale) - st0))"
# Another mobile node of the same home agent, for this RCoA: 134.
out=$(other_mn 1 nonce "$nonce")
check_eq "another mobile node's BU for the RCoA: 134, signed" \
	"status=134 auth=sig ok=1 1" \
	"$(echo "$out" | brief 'seq|lifetime|nonce') $(mstat rcoa_taken)"
check_eq "after every refusal: one binding, moved once" "1 1" \
	"$(mstat bindings) $(mstat moved)"
check_eq "after every refusal: still forwarded to the second LCoA" \
	"$RCOA lcoa $LCOA2 hoa $HOA|$LCOA2|1" \
	"$(kbinding)|$(route_lcoa)|$(proxied)"

# --- 3b. eight more mobile nodes, entering at once ----------------------------

# Node I (HoA 2001:db8:1::10I) enters from its own LCoA on mn's first
# link, 2001:db8:a1::10I, for RCoA 2001:db8:f0::b:I: all eight at the same
# moment, a 138 and then the BU with N_MAP and g^a each.  The MAP keeps
# them apart: a binding, a route to the right LCoA and a proxy entry each;
# Cert_HA still from the cache; the first node's binding untouched.  They
# stay bound through part 4's kill (taken back with the rest) and part
# 5's expiry and part 6's unbinding of the first node's, which leave them
# alone, to part 7's clean stop.
many() {
	local i=$1
	shift
	ip netns exec "$mn" "$HMIP_SEND" "2001:db8:a1::10$i" "$MAP" \
		"2001:db8:f0::b:$i" "2001:db8:1::10$i" "$HA" \
		"$tmp/many$i.cert" "$tmp/many$i.key" "$@" 2>&1
}
for i in $(seq "$MANY"); do
	ip -n "$mn" addr add "2001:db8:a1::10$i/64" dev mn1 nodad
done
req0=$(mstat req_cert)
pids=()
for i in $(seq "$MANY"); do
	(
		out=$(many "$i" seq 1 dh)
		many "$i" seq 2 dh nonce "$(echo "$out" | field nonce)" \
			>"$tmp/many$i.out"
	) &
	pids+=($!)
done
wait "${pids[@]}"
ok=$(cat "$tmp"/many*.out | grep -c \
	'^status=0 seq=2 lifetime=30 nonce=[0-9a-f]* auth=sig ok=1 klba=[0-9a-f]\{64\}')
check_eq "eight nodes at once: each accepted, signed, a k_LBA made" "$MANY" "$ok"
[ "$ok" = "$MANY" ] || sed 's/^/# /' "$tmp"/many*.out
# many_fwd: each of the eight RCoAs with the LCoA of cbu.ko's binding and
# the LCoA of its route, and how many proxy entries they have.
many_fwd() {
	local i rcoa
	for i in $(seq "$MANY"); do
		rcoa=2001:db8:f0::b:$i
		printf '%s %s %s, ' "$rcoa" \
			"$("$CBUCTL" -n "$map" -j map binding show "$rcoa" 2>/dev/null |
				jqv -r '.[0].lcoa // "none"')" \
			"$(ip -n "$map" -6 route show "$rcoa/128" dev cbu-map0 |
				grep -o ' dst [^ ]*' | cut -d' ' -f3)"
	done
	ip -n "$map" -6 neigh show proxy dev core0 | grep -c '^2001:db8:f0::b:'
}
many_want=$(for i in $(seq "$MANY"); do
	printf '2001:db8:f0::b:%s 2001:db8:a1::10%s 2001:db8:a1::10%s, ' \
		"$i" "$i" "$i"
done; echo "$MANY")
check_eq "each RCoA bound, routed and proxied to its own LCoA" \
	"$many_want" "$(many_fwd)"
check_eq "map: nine bindings; no REQ_Cert (Cert_HA cached); the first node's at LCoA2" \
	"$((MANY + 1)) $req0 $RCOA lcoa $LCOA2 hoa $HOA" \
	"$(mstat bindings) $(mstat req_cert) $(kbinding)"

# --- 4. the MAP's agent killed under traffic, and started again -------------

# A route no binding holds, as a dead agent may leave one: the next agent
# deletes it.
ip -n "$map" route add 2001:db8:f0::dead/128 encap ip6 src "$MAP" \
	dst "$LCOA1" dev cbu-map0
ip netns exec "$core" busybox ping -6 -q -c 40 -i 0.1 -W 2 "$RCOA" \
	>"$tmp/ping.out" 2>&1 &
ping_pid=$!
sleep 1
agent_kill "$map_pid"
sleep 1
cp "$tmp/map.conf" "$tmp/map2.conf"
agent_start map2 "$map"
wait "$ping_pid"
check_eq "the core's 40 pings across the kill and the restart: none lost" \
	40 "$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' "$tmp/ping.out")"
check_eq "taken back: the binding, its route and proxy entry" \
	"$RCOA lcoa $LCOA2 hoa $HOA|$LCOA2|1" \
	"$(kbinding)|$(route_lcoa)|$(proxied)"
check_eq "the stale route deleted, and counted" "1 0" \
	"$(mstat stale_routes) \
$(ip -n "$map" -6 route show 2001:db8:f0::dead/128 | wc -l)"
check_eq "the restarted MAP: nine bindings taken back, no fwd-errors" \
	"$((MANY + 1)) $((MANY + 1)) 0" \
	"$(mstat taken_back) $(mstat bindings) $(mstat fwd_errors)"
check_eq "the eight nodes' bindings, routes and proxy entries as they were" \
	"$many_want" "$(many_fwd)"
# The taken-back binding holds the RCoA: another mobile node gets 134.
out=$(other_mn 3)
check_eq "after the restart, another mobile node's BU for the RCoA: 134" \
	"status=134 auth=sig ok=1 1 $LCOA2" \
	"$(echo "$out" | brief 'seq|lifetime|nonce') $(mstat rcoa_taken) $(route_lcoa)"
# The mobile node's next local BU: its N_MAP is of the killed agent's
# s_MAP (and its k_LBA gone): 138, signed; then it enters again.
out=$(bu "$LCOA2" seq 20 nonce "$nonce" klba "$klba")
check_eq "the mobile node's next BU: 138, signed" \
	"status=138 seq=20 auth=sig ok=1" \
	"$(echo "$out" | brief 'lifetime|nonce')"
nonce=$(echo "$out" | field nonce)
out=$(bu "$LCOA2" seq 21 dh nonce "$nonce")
check_eq "it enters again: accepted, signed, a new k_LBA" \
	"status=0 seq=21 lifetime=30 auth=sig ok=1" \
	"$(echo "$out" | brief 'nonce|klba')"
klba=$(echo "$out" | field klba)
nonce=$(echo "$out" | field nonce)
check_eq "refreshed in place: nothing moved, no new proxy entry" \
	"1 0 $LCOA2 1" \
	"$(mstat refreshed) $(mstat moved) $(route_lcoa) $(proxied)"
check_eq "the core's pings still answered" 3 "$(pings core 3)"

# --- 5. expiry: cbu.ko's binding ends, the route and proxy entry go -----------

out=$(bu "$LCOA2" seq 22 lifetime 1 nonce "$nonce" klba "$klba")
check_eq "a BU for 4 s: accepted, MAC'd" "status=0 lifetime=1 auth=mac ok=1" \
	"$(echo "$out" | brief 'seq|nonce')"
nonce=$(echo "$out" | field nonce)
no_route() { [ -z "$(route_lcoa)" ]; }
if busywait $((12000 * SCALE)) no_route; then
	pass "expired: the route gone"
else
	fail "expired: the route still there: $(route_lcoa)"
fi
check_eq "expired: no binding in cbu.ko nor the agent, no proxy entry; the eight's left" \
	"1 $MANY 0 1" \
	"$("$CBUCTL" -n "$map" -j stats | jqv .map_expired) $(mstat bindings) \
$(proxied) $(mstat expired)"
check_eq "expired: the core's pings not carried" 0 "$(pings core 1)"

# --- 6. deregistration ---------------------------------------------------------------

out=$(bu "$LCOA2" seq 23 nonce "$nonce" klba "$klba")
check_eq "bound again (MAC'd: the record keeps k_LBA)" \
	"status=0 lifetime=30 auth=mac ok=1 $LCOA2 1" \
	"$(echo "$out" | brief 'seq|nonce') $(route_lcoa) $(proxied)"
nonce=$(echo "$out" | field nonce)
out=$(bu "$LCOA2" seq 40 lifetime 0 nonce "$nonce" klba "$klba")
check_eq "lifetime 0: accepted, MAC'd; the eight's bindings left" \
	"status=0 lifetime=0 auth=mac ok=1 $MANY 1" \
	"$(echo "$out" | brief 'seq|nonce') $(mstat bindings) $(mstat unbound)"
check_eq "unbound: no binding in cbu.ko, no route, no proxy entry" \
	"|0" "$(route_lcoa)|$(proxied)"
"$CBUCTL" -n "$map" map binding show "$RCOA" >/dev/null 2>&1 &&
	fail "unbound: cbu.ko still has the binding"

# --- 7. a clean stop removes the MAP's forwarding ------------------------------------

out=$(bu "$LCOA2" seq 41 nonce "$nonce" klba "$klba")
check_eq "bound once more before the stop" "$LCOA2 1" \
	"$(route_lcoa) $(proxied)"
agents_stop
check_eq "stopped: no cbu-map0, no proxy entry, no map in cbu.ko" \
	"0 0 false" \
	"$(ip -n "$map" link show cbu-map0 2>/dev/null | wc -l) \
$(ip -n "$map" -6 neigh show proxy dev core0 | wc -l) \
$("$CBUCTL" -n "$map" -j map show | jqv 'has("address")')"
agents_clean map map2 ha ha2
check_dmesg "no kernel complaints"
exit $RET
