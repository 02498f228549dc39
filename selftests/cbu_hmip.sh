#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# HMIPv6 (draft section 5): a MAP binds a mobile node's regional care-of
# address to its on-link one on a local BU it checks through the
# certificate the node's home agent issued, and refuses every redirect.
# hmip-send plays the mobile node, right or broken on purpose; the home
# agents are cbu-agent's, answering the MAP's REQ_Cert.
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

tmp=$(mktemp -d)
cleanup() {
	set +e
	agent_test_cleanup
}
trap cleanup EXIT

[ -x "$HMIP_SEND" ] || skip "no hmip-send at $HMIP_SEND"
agent_test_init od

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
agent_start map "$map"

mstat() { st "$map" ".map.$1"; }
# bu LCOA [ARGS...]: one local BU of the mobile node from LCOA; its BA.
bu() {
	local lcoa=$1
	shift
	ip netns exec "$mn" "$HMIP_SEND" "$lcoa" "$MAP" "$RCOA" "$HOA" "$HA" \
		"$tmp/mn.cert" "$tmp/mn.key" "$@" 2>&1
}
field() { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p"; }
# brief: a BA's line without the fields named.
brief() { sed -E "s/ ($1)=[^ ]*//g"; }

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

# --- 2. a local move: MAC'd under k_LBA, no REQ_Cert --------------------------

out=$(bu "$LCOA2" seq 3 nonce "$nonce" klba "$klba")
check_eq "move to the second LCoA: accepted, MAC'd under k_LBA" \
	"status=0 seq=3 lifetime=30 auth=mac ok=1" \
	"$(echo "$out" | brief nonce)"
nonce=$(echo "$out" | field nonce)
check_eq "map: moved once, Cert_HA from the cache, no new REQ_Cert" "1 1" \
	"$(mstat moved) $(mstat req_cert)"

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
o0=$("$CBUCTL" -n "$map" -j stats | jq .map_outside)
ip netns exec "$mn" "$HMIP_SEND" "$LCOA1" "$MAP" 2001:db8:f1::a:10 "$HOA" \
	"$HA" "$tmp/mn.cert" "$tmp/mn.key" seq $((s++)) nonce "$nonce" \
	wait 500 >/dev/null 2>&1 || true
check_eq "an RCoA outside the MAP's prefix: dropped by cbu.ko (map_outside)" \
	1 "$(($("$CBUCTL" -n "$map" -j stats | jq .map_outside) - o0))"
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
out=$(ip netns exec "$mn" "$HMIP_SEND" "$LCOA1" "$MAP" "$RCOA" \
	2001:db8:1::11 "$HA" "$tmp/mn2.cert" "$tmp/mn2.key" seq 1 dh \
	nonce "$nonce" wait 1500 2>&1)
n2=$(echo "$out" | field nonce)
out=$(ip netns exec "$mn" "$HMIP_SEND" "$LCOA1" "$MAP" "$RCOA" \
	2001:db8:1::11 "$HA" "$tmp/mn2.cert" "$tmp/mn2.key" seq 2 dh \
	nonce "$n2" wait 1500 2>&1)
check_eq "another mobile node's BU for the RCoA: 134, signed" \
	"status=134 auth=sig ok=1 1" \
	"$(echo "$out" | brief 'seq|lifetime|nonce') $(mstat rcoa_taken)"
check_eq "after every refusal: one binding, moved once" "1 1" \
	"$(mstat bindings) $(mstat moved)"

# --- 4. deregistration -------------------------------------------------------------

out=$(bu "$LCOA2" seq 40 lifetime 0 nonce "$nonce" klba "$klba")
check_eq "lifetime 0: accepted, MAC'd; no binding left" \
	"status=0 lifetime=0 auth=mac ok=1 0 1" \
	"$(echo "$out" | brief 'seq|nonce') $(mstat bindings) $(mstat unbound)"

agents_stop
agents_clean map ha ha2
check_dmesg "no kernel complaints"
exit $RET
