#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cbu.ko loads, its generic netlink family answers in every network
# namespace, and it unloads without a trace in the kernel log.
#
#   ns1                     ns2 (router)                  ns3
#   veth12 ---------------- veth21      veth23 ----------- veth32
#   2001:db8:12::1/64       2001:db8:12::2/64
#                                       2001:db8:23::2/64  2001:db8:23::3/64
#
# ns1 and ns3 route to each other through ns2; each namespace asks cbu.ko
# for its version with `cbuctl -n`.  ns2 has netfilter hooks only while it
# holds an entry or a home prefix.

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

TMPDIR_BASIC=$(mktemp -d)
cleanup() {
	set +e
	cleanup_ns
	cbu_unload 2>/dev/null
	rm -rf "$TMPDIR_BASIC"
}
trap cleanup EXIT

require_root
require_cmd ip jq busybox xxd
[ -x "$CBUCTL" ] || skip "no cbuctl at $CBUCTL"
[ -f "$CBU_KO" ] || skip "no module at $CBU_KO"

dmesg_mark
modprobe -q veth 2>/dev/null || true

cbu_load
check_eq "module is live" live "$(cat /sys/module/cbu/initstate)"

ns1='' ns2='' ns3=''
setup_ns ns1 ns2 ns3
ip link add veth12 netns "$ns1" type veth peer name veth21 netns "$ns2"
ip link add veth23 netns "$ns2" type veth peer name veth32 netns "$ns3"
ip -n "$ns1" addr add 2001:db8:12::1/64 dev veth12 nodad
ip -n "$ns2" addr add 2001:db8:12::2/64 dev veth21 nodad
ip -n "$ns2" addr add 2001:db8:23::2/64 dev veth23 nodad
ip -n "$ns3" addr add 2001:db8:23::3/64 dev veth32 nodad
ip -n "$ns1" link set veth12 up
ip -n "$ns2" link set veth21 up
ip -n "$ns2" link set veth23 up
ip -n "$ns3" link set veth32 up
ip netns exec "$ns2" sysctl -qw net.ipv6.conf.all.forwarding=1
ip -n "$ns1" route add 2001:db8:23::/64 via 2001:db8:12::2
ip -n "$ns3" route add 2001:db8:12::/64 via 2001:db8:23::2

if busywait 5000 ip netns exec "$ns1" busybox ping -6 -c 1 -W 1 \
	2001:db8:23::3 >/dev/null; then
	pass "ns1 reaches ns3 through ns2"
else
	fail "ns1 does not reach ns3 through ns2"
fi

modver=$(cat /sys/module/cbu/version)
for ns in "$ns1" "$ns2" "$ns3"; do
	if ! out=$(cbuctl -n "$ns" -j version); then
		fail "cbuctl -n $ns version failed"
		continue
	fi
	check_eq "$ns: module version" "$modver" \
		"$(jqv -r .module.version <<<"$out")"
	check_eq "$ns: genl version" 1 "$(jqv -r .module.genl_version <<<"$out")"
	check_eq "$ns: features" \
		'["binding_cache","events","xfrm_migrate","home","mobile_cn","map","map_bindings"]' \
		"$(jq -c .module.features <<<"$out")"
	check_eq "$ns: cbuctl version" "$(cat "$TOP/VERSION")" \
		"$(jqv -r .cbuctl <<<"$out")"
done

# The text form carries the same facts.
out=$(cbuctl -n "$ns2" version)
check_eq "text output" "cbuctl $(cat "$TOP/VERSION")
cbu.ko $modver genl-version 1 features binding_cache events xfrm_migrate home mobile_cn map map_bindings " "$out"

# Bad usage is refused with a clear error and its own exit status.
set +e
cbuctl -n "no-such-ns-$$" version >/dev/null 2>&1
check_eq "unknown netns: exit status" 1 "$?"
cbuctl version extra >/dev/null 2>&1
check_eq "extra argument: exit status" 2 "$?"
cbuctl frobnicate >/dev/null 2>&1
check_eq "unknown object: exit status" 2 "$?"
set -e

# A namespace pays for cbu only while it holds cbu state: its netfilter
# hooks come with its first entry or home prefix and go with the last.
# Seen two ways: the hooks as nftables lists them (where the kernel has
# nfnetlink_hook: 6.12, not Debian's 6.1), and a BU for an unknown
# (HoA, CN) pair, which only the hook counts.  Expiry, stopped while the
# cache was empty, works again for the next entry.
K=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
modprobe -q nfnetlink_hook 2>/dev/null || true
if [ -d /sys/module/nfnetlink_hook ] && command -v nft >/dev/null; then
	hooks() {
		ip netns exec "$ns2" nft list hooks ip6 | grep -c '\[cbu\]' || true
	}
else
	echo "# no nfnetlink_hook: the hooks seen by their effect only"
	hooks() { echo -; }
fi
stat2() { cbuctl -n "$ns2" -j -s stats | jqv ".$1"; }
# bu HOA SEQ: a BU from ns1 to ns2 for HOA, lifetime 4 s, under $K.
bu() {
	ip netns exec "$ns1" "$MH_SEND" 2001:db8:12::1 2001:db8:12::2 bu \
		"$1" "$2" 1 "$K" >/dev/null
}
if [ ! -x "$MH_SEND" ]; then
	echo "# hooks on demand: no mh-send at $MH_SEND"
else
	xxd -r -p <<<"$K" | base64 >"$TMPDIR_BASIC/k"
	key() {
		cbuctl -n "$ns2" key "$1" 2001:db8:1::1 2001:db8:12::2 \
			${2:+role cn k-bu "$TMPDIR_BASIC/k" k-ba "$TMPDIR_BASIC/k"}
	}
	h=$(hooks)
	[ "$h" = - ] || check_eq "no state: no hook" 0 "$h"
	bu 2001:db8:1::2 1
	check_eq "no state: a BU for an unknown pair not seen" 0 \
		"$(stat2 bu_no_keys)"
	key add cn
	h=$(hooks)
	[ "$h" = - ] || check_eq "an entry: the hooks" 2 "$h"
	bu 2001:db8:1::2 1
	check_eq "an entry: a BU for an unknown pair seen" 1 \
		"$(stat2 bu_no_keys)"
	bu 2001:db8:1::1 1
	check_eq "an entry: its BU taken" 1 "$(stat2 bu_accepted)"
	expired() { [ "$(stat2 expired)" -ge "$1" ]; }
	busywait 15000 expired 1 || true
	check_eq "an entry: its binding expires" 1 "$(stat2 expired)"

	key del
	h=$(hooks)
	[ "$h" = - ] || check_eq "last entry deleted: no hook" 0 "$h"
	bu 2001:db8:1::2 2
	check_eq "last entry deleted: a BU for an unknown pair not seen" 1 \
		"$(stat2 bu_no_keys)"

	cbuctl -n "$ns2" home add 2001:db8:7::/64
	h=$(hooks)
	[ "$h" = - ] || check_eq "a home prefix: the hooks" 2 "$h"
	bu 2001:db8:1::2 3
	check_eq "a home prefix: a BU for an unknown pair seen" 2 \
		"$(stat2 bu_no_keys)"
	cbuctl -n "$ns2" home del 2001:db8:7::/64
	h=$(hooks)
	[ "$h" = - ] || check_eq "home prefix removed: no hook" 0 "$h"

	key add cn
	bu 2001:db8:1::1 2
	check_eq "again: the BU taken" 2 "$(stat2 bu_accepted)"
	busywait 15000 expired 2 || true
	check_eq "again: the binding expires" 2 "$(stat2 expired)"
fi

cleanup_ns
cbu_unload
if cbu_loaded; then
	fail "cbu.ko still loaded after rmmod"
else
	pass "cbu.ko unloaded"
fi

set +e
err=$(cbuctl version 2>&1 >/dev/null)
rc=$?
set -e
check_eq "version without the module: exit status" 1 "$rc"
check_eq "version without the module: message" \
	'cbuctl: cbu.ko is not loaded (no generic netlink family "cbu")' "$err"

check_dmesg "no warning in the kernel log"
exit $RET
