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
# for its version with `cbuctl -n`.

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

cleanup() {
	set +e
	cleanup_ns
	cbu_unload 2>/dev/null
}
trap cleanup EXIT

require_root
require_cmd ip jq busybox
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
		"$(jq -r .module.version <<<"$out")"
	check_eq "$ns: genl version" 1 "$(jq -r .module.genl_version <<<"$out")"
	check_eq "$ns: features" \
		'["binding_cache","events","xfrm_migrate","home"]' \
		"$(jq -c .module.features <<<"$out")"
	check_eq "$ns: cbuctl version" "$(cat "$TOP/VERSION")" \
		"$(jq -r .cbuctl <<<"$out")"
done

# The text form carries the same facts.
out=$(cbuctl -n "$ns2" version)
check_eq "text output" "cbuctl $(cat "$TOP/VERSION")
cbu.ko $modver genl-version 1 features binding_cache events xfrm_migrate home " "$out"

# Bad usage is refused with a clear error and its own exit status.
set +e
cbuctl -n "no-such-ns-$$" version >/dev/null 2>&1
check_eq "unknown netns: exit status" 1 "$?"
cbuctl version extra >/dev/null 2>&1
check_eq "extra argument: exit status" 2 "$?"
cbuctl frobnicate >/dev/null 2>&1
check_eq "unknown object: exit status" 2 "$?"
set -e

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
