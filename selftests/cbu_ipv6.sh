#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cbu.ko keeps IPv6's own rules: it acts on a BU only when RFC 8200 and
# the stack would deliver it to this node as it is.  Each BU below carries
# a valid MAC and checksum (selftests/cbu_peer.py, ext=...), so only its
# extension headers decide: hop-by-hop not first, a routing header with
# segments left (type 0 and 2) or a type 2 one the stack did not process,
# an unknown destination option that says "discard", two Home Address
# options, more than 8 extension headers are left to the stack, counted,
# and bind nothing; fragments never bind, whether or not conntrack's
# defragmentation is loaded in the namespace; a BU with a CBU home address
# option (wire-format.md 3.5) is malformed in the kernel as in userspace; a
# BU of 552 octets (the protocol allows 2048) is CBU's.
#
#        mn                        r                       cn
#   mn0 2001:db8:3::10 ---- 2001:db8:3::1
#                           2001:db8:2::1 ---- cn0 2001:db8:2::20
#   HoA 2001:db8:1::10 (mn's home address; its home network is elsewhere)

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

HOA=2001:db8:1::10
COA=2001:db8:3::10
CN=2001:db8:2::20
K_BU=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
K_BA=ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100

tmp=$(mktemp -d)
cleanup() {
	set +e
	peer_stop_all
	cleanup_ns
	cbu_unload 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

require_root
require_cmd ip jq nft /usr/bin/python3 xxd
/usr/bin/python3 -c 'import scapy' 2>/dev/null || skip "needs python3-scapy"
[ -x "$CBUCTL" ] || skip "no cbuctl at $CBUCTL"
modprobe -q veth 2>/dev/null || true
dmesg_mark
cbu_load

mn='' r='' cn=''
setup_ns mn r cn
ip link add mn0 netns "$mn" type veth peer name r0 netns "$r"
ip link add cn0 netns "$cn" type veth peer name r2 netns "$r"
ip -n "$mn" addr add "$COA/64" dev mn0 nodad
ip -n "$r" addr add 2001:db8:3::1/64 dev r0 nodad
ip -n "$r" addr add 2001:db8:2::1/64 dev r2 nodad
ip -n "$cn" addr add "$CN/64" dev cn0 nodad
for l in "$mn mn0" "$r r0" "$r r2" "$cn cn0"; do
	read -r ns dev <<<"$l"
	ip -n "$ns" link set "$dev" up
done
ip netns exec "$r" sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$mn" route add 2001:db8:2::/64 via 2001:db8:3::1 dev mn0
ip -n "$cn" route add default via 2001:db8:2::1
ip -n "$r" route add unreachable 2001:db8:1::/64

b64key() { xxd -r -p <<<"$1" | base64; }
b64key "$K_BU" >"$tmp/k_bu"
b64key "$K_BA" >"$tmp/k_ba"
cbuctl -n "$cn" key add "$HOA" "$CN" role cn k-bu "$tmp/k_bu" \
	k-ba "$tmp/k_ba" lt-en 1024 max-lifetime 300

peer_start mn "$mn"

seq=100

# bound EXT [FLAGS...]: a BU with these headers binds and is answered.
bound() {
	local ext=$1 out
	shift
	seq=$((seq + 1))
	out=$(peer mn bu mn0 "$COA" "$CN" "$HOA" $seq 16 "$K_BU" \
		"kba=$K_BA" "ext=$ext" "$@")
	check_eq "$ext${*:+ $*}: BA, status 0" "ba 0 true" \
		"$(jqv -r '"\(.reply) \(.status) \(.mac_ok)"' <<<"$out")"
}

# left EXT COUNTER [FLAGS...]: a BU with these headers is left to the
# stack: COUNTER up by one, and none of the counters of what cbu does
# with a BU (bound, deleted, BA or BE sent) moved.
left() {
	local ext=$1 counter=$2 before want
	local q="[.bu_accepted, .bu_deleted, .ba_sent, .be_sent, .$counter]"
	shift 2
	before=$(cbuctl -n "$cn" -j -s stats | jq -c "$q")
	seq=$((seq + 1))
	peer mn bu mn0 "$COA" "$CN" "$HOA" $seq 16 "$K_BU" "kba=$K_BA" \
		"ext=$ext" wait=0 "$@" >/dev/null
	want=$(jq -c '.[4] += 1' <<<"$before")
	busywait 3000 stats_are "$q" "$want" || true
	check_eq "$ext${*:+ $*}: nothing bound or sent, counted in $counter" \
		"$want" "$(cbuctl -n "$cn" -j -s stats | jq -c "$q")"
}
stats_are() {	# stats_are QUERY WANT: for busywait
	[ "$(cbuctl -n "$cn" -j -s stats | jq -c "$1")" = "$2" ]
}

# The builder's own BU, with the usual header, binds.
bound hao
bound hop,hao			# hop-by-hop first: fine (RFC 8200 4.3)
bound rh0:0,hao			# no segments left: the header is ignored
bound hao-opt:1e		# unknown option, action 00: skipped
bound pad,pad,pad,pad,pad,pad,pad,hao	# 8 extension headers
bound hao big			# 552 octets: CBU's (up to 2048)

left hao,hop hdr_discard	# hop-by-hop not first
left rh0:1,hao transit		# segments left: not here yet
left rh2:1,hao transit
left rh2:0,hao hdr_discard	# type 2 the stack did not process
left hao-opt:5e hdr_discard	# unknown option: discard
left hao-opt:9e hdr_discard	# discard, ICMP
left hao-opt:de hdr_discard	# discard, ICMP unless multicast
left hao,hao hdr_discard	# two Home Address options
left pad,pad,pad,pad,pad,pad,pad,pad,hao hdr_skipped	# 9 of them
# net.ipv6.max_dst_opts_number below 0: no unknown option at all.
ip netns exec "$cn" sysctl -qw net.ipv6.max_dst_opts_number=-8
left hao-opt:1e hdr_discard
bound hao
ip netns exec "$cn" sysctl -qw net.ipv6.max_dst_opts_number=8

# The per-message rules are the kernel's too (wire-format.md 3.5).
left hao malformed hoa-opt

# Fragments, without and with conntrack's defragmentation.
left hao fragment frag
ip netns exec "$cn" nft -f - <<EOF
table ip6 ct_on {
	chain pre { type filter hook prerouting priority 0; ct state new accept; }
}
EOF
check_eq "conntrack's defragmentation loaded" 1 \
	"$(ip netns exec "$cn" nft list tables | grep -c ct_on)"
left hao fragment frag
bound hao

peer_stop_all
cleanup_ns
cbu_unload
check_dmesg "no warning in the kernel log"
exit $RET
