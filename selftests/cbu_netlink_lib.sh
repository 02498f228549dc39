#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cbu-agent's plain netlink library (tools/lib/xfrm.c, tools/lib/rtnl.c)
# through build/san/bin/xfrm-test, checked with iproute2, which nobody here
# wrote: ESP tunnel states and policies carry a ping between addresses
# that exist only behind the tunnel; a migrate moves both sides to new
# outer addresses and the ping follows; refusals come back with the
# kernel's errno and change nothing; flush-reqid leaves nothing of its
# reqid; addresses, routes, proxy neighbours, sysctls and address
# notifications do what iproute2 says they do.  No module needed.
#
#        a                                       b
#   a0 2001:db8:1::1/64 ----------------- b0 2001:db8:1::2/64   (before)
#   a1 2001:db8:2::1/64 ----------------- b1 2001:db8:2::2/64   (after)
#   lo 2001:db8:a::1/128                  lo 2001:db8:b::1/128
#      inner addresses: a::/64 <-> b::/64 only through ESP, reqid 42

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

XFRM_TEST=${XFRM_TEST:-$TOP/build/san/bin/xfrm-test}
A_OLD=2001:db8:1::1
B_OLD=2001:db8:1::2
A_NEW=2001:db8:2::1
B_NEW=2001:db8:2::2
A_IN=2001:db8:a::1
B_IN=2001:db8:b::1
A_NET=2001:db8:a::/64
B_NET=2001:db8:b::/64
REQID=42
OTHER=43		# a reqid flush-reqid 42 must leave alone
K_AB=0101010101010101010101010101010101010101	# a -> b, SPI 0x100
K_BA=0202020202020202020202020202020202020202	# b -> a, SPI 0x200
K_X=0303030303030303030303030303030303030303

tmp=$(mktemp -d)
watch_pid=
cleanup() {
	set +e
	[ -n "$watch_pid" ] && kill "$watch_pid" 2>/dev/null
	cleanup_ns
	rm -rf "$tmp"
}
trap cleanup EXIT

require_root
require_cmd ip jq busybox
[ -x "$XFRM_TEST" ] || skip "no xfrm-test at $XFRM_TEST"
modprobe -q veth 2>/dev/null || true
modprobe -q esp6 2>/dev/null || skip "no ESP for IPv6 (esp6)"
dmesg_mark

xt() {	# xt NS ARGS...: xfrm-test in NS
	local ns=$1
	shift
	ip netns exec "$ns" "$XFRM_TEST" "$@"
}

# refused WHAT ERRNO NS ARGS...: xfrm-test exits 1 naming ERRNO.
refused() {
	local what=$1 errno=$2 ns=$3 out rc=0
	shift 3
	out=$(xt "$ns" "$@" 2>&1) || rc=$?
	echo "  $out"
	check_eq "$what" "1 $errno" \
		"$rc $(sed -n 's/^xfrm-test: [a-z-]*: \(E[A-Z0-9]*\) (.*/\1/p' <<<"$out")"
}

# One line of ip's text: iproute2 6.1 has no JSON for xfrm.
sa_show() {	# sa_show NS DST SPI [-s]
	ip -n "$1" ${4:+"$4"} xfrm state get dst "$2" proto esp spi "$3" \
		2>/dev/null | tr -s ' \t\n' ' '
}
sa_packets() {	# sa_packets NS DST SPI: packets the state carried
	sa_show "$1" "$2" "$3" -s |
		sed -n 's/.* \([0-9]*\)(packets) .*/\1/p'
}
# has WHAT HAYSTACK NEEDLE
has() {
	if [[ $2 == *"$3"* ]]; then
		pass "$1"
	else
		fail "$1: no '$3' in '$2'"
	fi
}
n_states() { ip -n "$1" xfrm state list | grep -c '^src' || true; }
n_policies() { ip -n "$1" xfrm policy list | grep -c '^src' || true; }
tmpl_of() {	# tmpl_of NS DIR SRC DST: the policy's template addresses
	ip -n "$1" xfrm policy get dir "$2" src "$3" dst "$4" |
		sed -n 's/^[[:space:]]*tmpl src \([^ ]*\) dst \([^ ]*\).*/\1>\2/p'
}
ping_in() {	# ping_in: a's inner address to b's
	ip netns exec "$a" busybox ping -6 -c 3 -W 2 -I "$A_IN" "$B_IN" \
		>/dev/null 2>&1
}
link_rx() {	# link_rx NS DEV: packets DEV received
	ip -n "$1" -j -s link show "$2" | jqv '.[0].stats64.rx.packets'
}

a='' b=''
setup_ns a b
ip link add a0 netns "$a" type veth peer name b0 netns "$b"
ip link add a1 netns "$a" type veth peer name b1 netns "$b"
for l in "$a a0" "$a a1" "$b b0" "$b b1"; do
	read -r ns dev <<<"$l"
	ip -n "$ns" link set "$dev" up
done

# 1. Addresses: added by the library, seen by ip, listed by the library.
xt "$a" addr-add "$A_OLD/64" a0 nodad
xt "$b" addr-add "$B_OLD/64" b0 nodad
xt "$a" addr-add "$A_IN/128" lo
xt "$b" addr-add "$B_IN/128" lo
check_eq "addr-add: prefix and nodad" "64 true" \
	"$(ip -n "$a" -j -6 addr show dev a0 |
	   jqv -r ".[0].addr_info[] | select(.local == \"$A_OLD\") |
		  \"\(.prefixlen) \(.nodad)\"")"
check_eq "addr-add on lo" "128" \
	"$(ip -n "$b" -j -6 addr show dev lo |
	   jqv -r ".[0].addr_info[] | select(.local == \"$B_IN\") | .prefixlen")"
# Global ones only: a0's link-local address is not listed.
check_eq "list-addr: the global addresses" "$A_OLD/64 dev a0" \
	"$(xt "$a" list-addr a0 | cut -d' ' -f1-3)"
refused "addr-add twice" EEXIST "$a" addr-add "$A_OLD/64" a0 nodad
refused "addr-del with another prefix length" EADDRNOTAVAIL "$a" \
	addr-del "$A_OLD/60" a0

# 2. Routes to the inner prefixes (the tunnel's states are found after the
# route lookup of the inner destination).
xt "$a" route-add "$B_NET" via "$B_OLD" dev a0 metric 10
xt "$b" route-add "$A_NET" via "$A_OLD" dev b0 metric 10
check_eq "route-add: gateway, device, metric" "$B_OLD a0 10" \
	"$(ip -n "$a" -j -6 route show "$B_NET" |
	   jqv -r '.[0] | "\(.gateway) \(.dev) \(.metric)"')"
refused "route-add twice" EEXIST "$a" route-add "$B_NET" via "$B_OLD" \
	dev a0 metric 10

# 3. The data path: ESP tunnel states and policies of reqid 42.
tunnel() {	# tunnel NS SELF PEER: the states and policies of one side
	local ns=$1 self=$2 peer=$3 s_net p_net k_out k_in spi_out spi_in
	if [ "$ns" = "$a" ]; then
		s_net=$A_NET p_net=$B_NET k_out=$K_AB k_in=$K_BA
		spi_out=0x100 spi_in=0x200
	else
		s_net=$B_NET p_net=$A_NET k_out=$K_BA k_in=$K_AB
		spi_out=0x200 spi_in=0x100
	fi
	xt "$ns" sa-add "$self" "$peer" "$spi_out" "$REQID" "$k_out" \
		"$s_net" "$p_net"
	xt "$ns" sa-add "$peer" "$self" "$spi_in" "$REQID" "$k_in" \
		"$p_net" "$s_net"
	xt "$ns" policy-add out "$s_net" "$p_net" "$self" "$peer" "$REQID" 10
	xt "$ns" policy-add in "$p_net" "$s_net" "$peer" "$self" "$REQID" 10
}
tunnel "$a" "$A_OLD" "$B_OLD"
tunnel "$b" "$B_OLD" "$A_OLD"

sa=$(sa_show "$a" "$B_OLD" 0x100)
has "sa-add: outer addresses" "$sa" "src $A_OLD dst $B_OLD "
has "sa-add: ESP, SPI, reqid, tunnel mode" "$sa" \
	"proto esp spi 0x00000100 reqid $REQID mode tunnel"
has "sa-add: replay window 32 by default" "$sa" "replay-window 32"
has "sa-add: AEAD, key and ICV" "$sa" "aead rfc4106(gcm(aes)) 0x$K_AB 128"
has "sa-add: selector" "$sa" "sel src $A_NET dst $B_NET "
check_eq "policy-add: out template" "$A_OLD>$B_OLD" \
	"$(tmpl_of "$a" out "$A_NET" "$B_NET")"
check_eq "policy-add: in template" "$B_OLD>$A_OLD" \
	"$(tmpl_of "$a" in "$B_NET" "$A_NET")"
has "policy-add: ESP, reqid, tunnel, priority" \
	"$(ip -n "$a" xfrm policy get dir out src "$A_NET" dst "$B_NET" |
	   tr -s ' \t\n' ' ')" "priority 10 ptype main tmpl src $A_OLD dst $B_OLD proto esp reqid $REQID mode tunnel"

if ping_in; then
	pass "the inner addresses answer through ESP"
else
	fail "no answer between the inner addresses"
fi
check_eq "ESP carried the requests (a's out state)" 3 \
	"$(sa_packets "$a" "$B_OLD" 0x100)"
check_eq "ESP carried the replies (b's out state)" 3 \
	"$(sa_packets "$b" "$A_OLD" 0x200)"
got=$(xt "$a" sa-get "$B_OLD" 0x100)
check_eq "sa-get: the state, its packets as iproute2 counts them" \
	"spi 0x00000100 reqid $REQID mode tunnel packets $(sa_packets "$a" "$B_OLD" 0x100) expires 0" \
	"$got"
refused "sa-get of no state" ESRCH "$a" sa-get "$B_OLD" 0x999

# 4. Refusals: the kernel's errno, and nothing changed.
before_sa=$(ip -n "$a" xfrm state list)
before_pol=$(ip -n "$a" xfrm policy list)
refused "16-octet key refused by the kernel" EINVAL "$a" \
	sa-add "$A_OLD" "$B_OLD" 0x300 "$REQID" "${K_X:0:32}" "$A_NET" "$B_NET"
refused "duplicate SA refused" EEXIST "$a" \
	sa-add "$A_OLD" "$B_OLD" 0x100 "$REQID" "$K_X" "$A_NET" "$B_NET"
refused "duplicate policy refused" EEXIST "$a" \
	policy-add out "$A_NET" "$B_NET" "$A_OLD" "$B_OLD" "$REQID" 20
refused "migrating a policy that does not exist" ENOENT "$a" \
	migrate out "$A_NET" 2001:db8:c::/64 "$REQID" "$A_OLD" "$B_OLD" \
	"$A_NEW" "$B_NEW"
check_eq "refusals changed no state" "$before_sa" \
	"$(ip -n "$a" xfrm state list)"
check_eq "refusals changed no policy" "$before_pol" \
	"$(ip -n "$a" xfrm policy list)"

# 5. Update and delete, one object at a time (reqid 43, transport mode).
xt "$a" sa-add "$A_OLD" "$B_OLD" 0x300 "$OTHER" "$K_X" "$A_IN" "$B_IN" \
	mode transport replay 16
xt "$a" sa-update "$A_OLD" "$B_OLD" 0x300 "$OTHER" "$K_AB" "$A_IN" "$B_IN" \
	mode transport
sa=$(sa_show "$a" "$B_OLD" 0x300)
has "sa-add: transport mode, replay window" "$sa" \
	"reqid $OTHER mode transport replay-window 16 "
# UPDSA takes only the lifetimes of a valid state: the key stays.
has "sa-update keeps a valid state's key" "$sa" "0x$K_X 128"
has "sa-add: /128 selector by default" "$sa" "sel src $A_IN/128 dst $B_IN/128"
# A hard lifetime: the kernel deletes the state by itself.
xt "$a" sa-add "$A_OLD" "$B_OLD" 0x310 "$OTHER" "$K_X" "$A_IN" "$B_IN" \
	expires 300
has "sa-add: hard lifetime" "$(sa_show "$a" "$B_OLD" 0x310 -s)" \
	"expire add: soft 0(sec), hard 300(sec)"
check_eq "sa-get: hard lifetime" 300 \
	"$(xt "$a" sa-get "$B_OLD" 0x310 | awk '{print $10}')"
xt "$a" sa-del "$B_OLD" 0x310
refused "sa-update of no state" ESRCH "$a" \
	sa-update "$A_OLD" "$B_OLD" 0x301 "$OTHER" "$K_X" "$A_IN" "$B_IN"
xt "$a" sa-del "$B_OLD" 0x300 src "$A_OLD"
check_eq "sa-del" "" "$(sa_show "$a" "$B_OLD" 0x300)"
refused "sa-del of no state" ESRCH "$a" sa-del "$B_OLD" 0x300
xt "$a" policy-update fwd "$B_IN" "$A_IN" :: :: "$OTHER" 5 mode transport
xt "$a" policy-update fwd "$B_IN" "$A_IN" :: :: "$OTHER" 7 mode transport
has "policy-update replaces" \
	"$(ip -n "$a" xfrm policy get dir fwd src "$B_IN/128" dst "$A_IN/128" |
	   tr -s ' \t\n' ' ')" "dir fwd priority 7 "
xt "$a" policy-del fwd "$B_IN" "$A_IN"
check_eq "policy-del" "" "$(ip -n "$a" xfrm policy list dir fwd)"
refused "policy-del of no policy" ENOENT "$a" policy-del fwd "$B_IN" "$A_IN"

# 6. Both sides move to new outer addresses; the states keep SPI and key.
xt "$a" addr-add "$A_NEW/64" a1 nodad
xt "$b" addr-add "$B_NEW/64" b1 nodad
move() {	# move NS SELF_NET PEER_NET SELF_OLD PEER_OLD SELF_NEW PEER_NEW
	xt "$1" migrate out "$2" "$3" "$REQID" "$4" "$5" "$6" "$7"
	xt "$1" migrate in "$3" "$2" "$REQID" "$5" "$4" "$7" "$6"
}
move "$a" "$A_NET" "$B_NET" "$A_OLD" "$B_OLD" "$A_NEW" "$B_NEW"
move "$b" "$B_NET" "$A_NET" "$B_OLD" "$A_OLD" "$B_NEW" "$A_NEW"
check_eq "a: out state moved" "src $A_NEW dst $B_NEW" \
	"$(sa_show "$a" "$B_NEW" 0x100 | cut -d' ' -f1-4)"
check_eq "a: in state moved" "src $B_NEW dst $A_NEW" \
	"$(sa_show "$a" "$A_NEW" 0x200 | cut -d' ' -f1-4)"
check_eq "a: no state left at the old addresses" "" \
	"$(sa_show "$a" "$B_OLD" 0x100)$(sa_show "$a" "$A_OLD" 0x200)"
has "a: the moved state keeps its key" "$(sa_show "$a" "$B_NEW" 0x100)" \
	"0x$K_AB 128"
check_eq "a: out template moved" "$A_NEW>$B_NEW" \
	"$(tmpl_of "$a" out "$A_NET" "$B_NET")"
check_eq "a: in template moved" "$B_NEW>$A_NEW" \
	"$(tmpl_of "$a" in "$B_NET" "$A_NET")"
check_eq "b: out template moved" "$B_NEW>$A_NEW" \
	"$(tmpl_of "$b" out "$B_NET" "$A_NET")"
check_eq "b: in template moved" "$A_NEW>$B_NEW" \
	"$(tmpl_of "$b" in "$A_NET" "$B_NET")"
check_eq "b: states moved" "2" \
	"$(ip -n "$b" xfrm state list | grep -c "^src \($A_NEW dst $B_NEW\|$B_NEW dst $A_NEW\)$" || true)"

# The old path goes away: inner routes through the new, addresses deleted.
xt "$a" route-del "$B_NET" via "$B_OLD" dev a0 metric 10
xt "$b" route-del "$A_NET"
check_eq "route-del" "" \
	"$(ip -n "$a" -6 route show "$B_NET")$(ip -n "$b" -6 route show "$A_NET")"
refused "route-del of no route" ESRCH "$a" route-del "$B_NET"
xt "$a" addr-del "$A_OLD/64" a0
xt "$b" addr-del "$B_OLD/64" b0
check_eq "addr-del" "" \
	"$(ip -n "$a" -j -6 addr show dev a0 |
	   jqv -r ".[0].addr_info[] | select(.local == \"$A_OLD\") | .local")"
xt "$a" route-add "$B_NET" via "$B_NEW" dev a1
xt "$b" route-add "$A_NET" via "$A_NEW" dev b1
before=$(link_rx "$b" b1)
if ping_in; then
	pass "the inner addresses answer through ESP after the move"
else
	fail "no answer between the inner addresses after the move"
fi
after=$(link_rx "$b" b1)
if [ "$after" -ge $((before + 3)) ]; then
	pass "the requests came over the new link ($((after - before)) packets)"
else
	fail "no traffic over the new link ($before -> $after)"
fi
# The copy keeps the counters (and the replay state the peer checks).
check_eq "the moved state carried them too" 6 \
	"$(sa_packets "$a" "$B_NEW" 0x100)"
before_sa=$(ip -n "$a" xfrm state list)
before_pol=$(ip -n "$a" xfrm policy list)
refused "migrate again: no template has the old addresses" ENODATA "$a" \
	migrate out "$A_NET" "$B_NET" "$REQID" "$A_OLD" "$B_OLD" "$A_NEW" \
	"$B_NEW"
check_eq "the refused migrate changed no state" "$before_sa" \
	"$(ip -n "$a" xfrm state list)"
check_eq "the refused migrate changed no policy" "$before_pol" \
	"$(ip -n "$a" xfrm policy list)"

# 7. Proxy neighbour discovery: b answers for an address it does not have.
PROXIED=2001:db8:2::77
xt "$b" conf b1 proxy_ndp 1
xt "$b" conf b1 forwarding 1
check_eq "conf: proxy_ndp and forwarding" "1 1" \
	"$(ip netns exec "$b" sysctl -n net.ipv6.conf.b1.proxy_ndp) $(ip netns exec "$b" sysctl -n net.ipv6.conf.b1.forwarding)"
refused "conf of no interface" ENOENT "$b" conf nosuchdev proxy_ndp 1
xt "$b" proxy-add "$PROXIED" b1
check_eq "proxy-add" "$PROXIED b1" \
	"$(ip -n "$b" -j -6 neigh show proxy | jqv -r '.[] | "\(.dst) \(.dev)"')"
b1_mac=$(ip -n "$b" -j link show b1 | jqv -r '.[0].address')
proxied_mac() {
	ip netns exec "$a" busybox ping -6 -c 1 -W 1 "$PROXIED" \
		>/dev/null 2>&1 || true
	[ "$(ip -n "$a" -j neigh show "$PROXIED" dev a1 |
	     jqv -r '.[0].lladdr // empty')" = "$b1_mac" ]
}
if busywait 10000 proxied_mac; then
	pass "b answers neighbour solicitations for $PROXIED"
else
	fail "no proxy answer for $PROXIED"
fi
xt "$b" proxy-del "$PROXIED" b1
check_eq "proxy-del" "" "$(ip -n "$b" -j -6 neigh show proxy | jqv -r '.[]')"
refused "proxy-del of no entry" ENOENT "$b" proxy-del "$PROXIED" b1

# 8. Address notifications: one added, then removed.
WATCHED=2001:db8:2::55
xt "$a" watch-addr 5 >"$tmp/watch" &
watch_pid=$!
busywait 5000 grep -qx ready "$tmp/watch"
ip -n "$a" addr add "$WATCHED/64" dev a1 nodad
ip -n "$a" addr del "$WATCHED/64" dev a1
busywait 5000 grep -q "^del $WATCHED/" "$tmp/watch" || true
wait "$watch_pid" || fail "watch-addr exited $?"
watch_pid=
check_eq "watch-addr: added, then removed" \
	"new $WATCHED/64 dev a1 del $WATCHED/64 dev a1" \
	"$(grep " $WATCHED/" "$tmp/watch" | cut -d' ' -f1-4 | uniq | xargs)"

# 9. Teardown by reqid: nothing of 42 left, 43 untouched.
xt "$a" sa-add "$A_NEW" "$B_NEW" 0x300 "$OTHER" "$K_X" "$A_IN" "$B_IN" \
	mode transport
xt "$a" policy-add out "$A_IN" 2001:db8:c::1 :: :: "$OTHER" 5 \
	mode transport
check_eq "flush-reqid on a" "deleted 4" "$(xt "$a" flush-reqid "$REQID")"
check_eq "flush-reqid on b" "deleted 4" "$(xt "$b" flush-reqid "$REQID")"
check_eq "b: no state left" "" "$(ip -n "$b" xfrm state list)"
check_eq "b: no policy left" "" "$(ip -n "$b" xfrm policy list)"
check_eq "a: nothing of reqid $REQID left" 0 \
	"$( (ip -n "$a" xfrm state list; ip -n "$a" xfrm policy list) |
	   grep -c "reqid $REQID " || true)"
check_eq "a: reqid $OTHER untouched" "1 1" "$(n_states "$a") $(n_policies "$a")"
check_eq "flush-reqid again" "deleted 0" "$(xt "$a" flush-reqid "$REQID")"
# A range: 42 to 43 takes 43's two, and leaves 44's state.
xt "$a" sa-add "$A_NEW" "$B_NEW" 0x400 $((OTHER + 1)) "$K_X" "$A_IN" "$B_IN" \
	mode transport
check_eq "flush-reqid $REQID $OTHER" "deleted 2" \
	"$(xt "$a" flush-reqid "$REQID" "$OTHER")"
check_eq "a: reqid $((OTHER + 1)) untouched" "1 0" \
	"$(n_states "$a") $(n_policies "$a")"
refused "flush-reqid $OTHER $REQID" EINVAL "$a" flush-reqid "$OTHER" "$REQID"
check_eq "flush-reqid $((OTHER + 1))" "deleted 1" \
	"$(xt "$a" flush-reqid $((OTHER + 1)))"
check_eq "a: nothing left" "" \
	"$(ip -n "$a" xfrm state list; ip -n "$a" xfrm policy list)"
refused "flush-reqid 0" EINVAL "$a" flush-reqid 0

cleanup_ns
check_dmesg "no warning in the kernel log"
exit $RET
