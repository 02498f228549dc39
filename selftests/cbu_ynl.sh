#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own YNL client drives cbu.ko from its spec alone
# (Documentation/netlink/specs/cbu.yaml) and sees what cbuctl -j sees:
# version-get, a dump of binding-get, stats-get with every counter by
# name, an entry made with key-new that cbuctl then shows, the own pair,
# the map (its interfaces a multi-attr) and a map binding both ways.  The
# client is tools/net/ynl/cli.py of Debian's linux-source-6.12 (CBU_YNL;
# run-tests gives it, tools/testing/ynl-cli --print-path finds or extracts
# it).
#
#   ns
#   lo  2001:db8:2::20 (the correspondent), 2001:db8:3::10 (a CoA)
#
# Bad BUs from the CoA to the correspondent make counters other than
# zero, so that names and values are compared, not zeros.

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

SPEC=$TOP/Documentation/netlink/specs/cbu.yaml
HOA=2001:db8:1::10
CN=2001:db8:2::20
COA=2001:db8:3::10

tmp=$(mktemp -d)
cleanup() {
	set +e
	cleanup_ns
	cbu_unload 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

require_root
require_cmd ip jq
[ -x "$CBUCTL" ] || skip "no cbuctl at $CBUCTL"
[ -f "$CBU_KO" ] || skip "no module at $CBU_KO"
[ -x "$MH_SEND" ] || skip "no mh-send at $MH_SEND"
[ -n "${CBU_YNL:-}" ] || skip "no YNL client: CBU_YNL (tools/testing/ynl-cli)"
[ -f "$CBU_YNL" ] || { fail "no YNL client at $CBU_YNL"; exit 1; }
/usr/bin/python3 -c 'import yaml, jsonschema' 2>/dev/null ||
	skip "needs python3-yaml and python3-jsonschema (make deps)"

dmesg_mark
cbu_load
ns=''
setup_ns ns
ip -n "$ns" link set lo up
ip -n "$ns" addr add "$CN/128" dev lo nodad
ip -n "$ns" addr add "$COA/128" dev lo nodad

ctl() { "$CBUCTL" -n "$ns" "$@"; }
# ynl ARGS: the client on the spec.  The first call has it check the spec
# against the kernel's schema as it loads it; the others do not check it
# again (under TCG the check is about half of each call's 4 to 8 s).
SCHEMA=$(dirname "$CBU_YNL")/../../../Documentation/netlink/genetlink-legacy.yaml
ynl_schema=(--schema "$SCHEMA")
ynl() {
	ip netns exec "$ns" /usr/bin/python3 "$CBU_YNL" --spec "$SPEC" \
		"${ynl_schema[@]}" --output-json "$@"
}

# --- version-get ------------------------------------------------------------

check_eq "version-get: the version cbuctl reports" \
	"$(ctl -j version | jq -r .module.version)" \
	"$(ynl --do version-get | jq -r .version)"
ynl_schema=(--no-schema)
check_eq "version-get: the features, by name from the spec's enum" \
	"$(ctl -j version | jq -c '.module.features | sort')" \
	"$(ynl --do version-get | jq -c '[.features[] | gsub("-"; "_")] | sort')"

# --- binding-get, after keys from cbuctl ------------------------------------

head -c 32 /dev/urandom | base64 >"$tmp/k_bu"
head -c 32 /dev/urandom | base64 >"$tmp/k_ba"
ctl key add "$HOA" "$CN" role cn k-bu "$tmp/k_bu" k-ba "$tmp/k_ba" \
	lt-en 1024 reqid 7
ctl key add 2001:db8:1::11 2001:db8:2::21 role mn k-ba "$tmp/k_ba"
# Both as (hoa cn role state lt_en reqid), sorted: the spec's names with
# "-" are cbuctl's with "_".
norm='[.[] | [.hoa, .cn, .role, .state, (.lt_en // 0), (.reqid // 0)]] | sort'
check_eq "binding-get dump: the entries cbuctl shows" \
	"$(ctl -j binding show | jq -c "$norm")" \
	"$(ynl --dump binding-get |
	   jq -c '[.[] | .binding | with_entries(.key |= gsub("-"; "_"))]' |
	   jq -c "$norm")"

# --- stats-get, with counters that are not zero -----------------------------

# Three BUs under a key that is not k_BU, one from an address without
# keys: bu_bad_mac 3, bu_no_keys 1.
bad=$(printf '%064x' 1)
ip netns exec "$ns" "$MH_SEND" "$COA" "$CN" bu "$HOA" 1 16 "$bad" 3 >/dev/null
ip netns exec "$ns" "$MH_SEND" "$COA" "$CN" bu 2001:db8:1::99 1 16 "$bad" \
	>/dev/null
counted() { [ "$(ctl -j stats | jq '.bu_bad_mac + .bu_no_keys')" = 4 ]; }
busywait 5000 counted || fail "the bad BUs were not counted"
check_eq "stats-get: every counter, by name, as cbuctl -j stats" \
	"$(ctl -j stats | jq -cS .)" \
	"$(ynl --do stats-get |
	   jq -cS '.stats | with_entries(.key |= gsub("-"; "_"))')"
check_eq "stats-get: the bad BUs among them" "3 1" \
	"$(ynl --do stats-get | jq -r '.stats | "\(."bu-bad-mac") \(."bu-no-keys")"')"

# --- key-new from YNL, seen by cbuctl ---------------------------------------

# Binary attributes go in as hex: the 6.12 client reads display-hint
# only on output.
hex6() { /usr/bin/python3 -c 'import ipaddress, sys
print(ipaddress.ip_address(sys.argv[1]).packed.hex())' "$1"; }
hoa=$(hex6 2001:db8:1::12)
cn=$(hex6 "$CN")
kbu=$(head -c 32 /dev/urandom | xxd -p -c 32)
kba=$(head -c 32 /dev/urandom | xxd -p -c 32)
ynl --do key-new --json "{\"binding\": {\"hoa\": \"$hoa\",
	\"cn\": \"$cn\", \"role\": \"cn\", \"k-bu\": \"$kbu\",
	\"k-ba\": \"$kba\", \"lt-en\": 512}}" >/dev/null
check_eq "key-new from YNL: the entry cbuctl shows" \
	'{"hoa":"2001:db8:1::12","cn":"2001:db8:2::20","role":"cn","state":"keyed","lt_en":512}' \
	"$(ctl -j binding show 2001:db8:1::12 "$CN" |
	   jq -c '.[0] | {hoa, cn, role, state, lt_en}')"
if ynl --do key-new --json "{\"binding\": {\"hoa\": \"$hoa\",
	\"cn\": \"$cn\", \"role\": \"cn\", \"k-bu\": \"$kbu\",
	\"k-ba\": \"$kba\"}}" >"$tmp/again" 2>&1; then
	fail "key-new of an existing entry: accepted"
elif grep -q -- '-17\|File exists\|EEXIST' "$tmp/again"; then
	pass "key-new of an existing entry: refused, EEXIST"
else
	fail "key-new of an existing entry: $(cat "$tmp/again")"
fi

# --- own-set and own-get (draft section 4) ---------------------------------

ynl --do own-set --json "{\"own\": {\"hoa\": \"$(hex6 2001:db8:7::1)\",
	\"coa\": \"$cn\"}}" >/dev/null
check_eq "own-set from YNL: what cbuctl shows" \
	"{\"hoa\":\"2001:db8:7::1\",\"coa\":\"$CN\"}" \
	"$(ctl -j own show | jq -c .)"
ctl own set 2001:db8:7::1 coa "$COA"
check_eq "own-get: what cbuctl set, by the spec's names" \
	"2001:db8:7::1 $COA" \
	"$(ynl --do own-get | jq -r '.own | "\(.hoa) \(.coa)"')"
ctl own del 2001:db8:7::1
check_eq "own-get: none, an empty nest" '{}' \
	"$(ynl --do own-get | jq -c '.own // {}')"

# --- map-set and map-get (HMIPv6): interface, a multi-attr ------------------

# 2001:db8:9::1 and 2001:db8:9:: in hex, as hex6 would give them.
ynl --do map-set --json '{"map": {"address": "20010db8000900000000000000000001",
	"rcoa-prefix": "20010db8000900000000000000000000", "rcoa-prefix-len": 64,
	"interface": [1]}}' >/dev/null
check_eq "map-set from YNL: what cbuctl shows" \
	'{"address":"2001:db8:9::1","rcoa_prefix":"2001:db8:9::","rcoa_prefix_len":64,"interfaces":["lo"],"tunnel":null}' \
	"$(ctl -j map show | jq -c .)"
check_eq "map-get: the map, by the spec's names" \
	"2001:db8:9::1 2001:db8:9:: 64 [1] 0" \
	"$(ynl --do map-get | jq -r '.map | "\(.address) \(."rcoa-prefix") \(."rcoa-prefix-len") \(.interface | tojson) \(.tunnel)"')"

# --- map-bind, map-binding-get (a dump) and map-unbind ----------------------

ynl --do map-bind --json "{\"map-binding\": {\"rcoa\": \"$(hex6 2001:db8:9::100)\",
	\"lcoa\": \"$(hex6 2001:db8:5::10)\", \"hoa\": \"$(hex6 "$HOA")\",
	\"lifetime\": 60}}" >/dev/null
check_eq "map-bind from YNL: what cbuctl shows" \
	"[{\"rcoa\":\"2001:db8:9::100\",\"lcoa\":\"2001:db8:5::10\",\"hoa\":\"$HOA\",\"packets\":0,\"bytes\":0}]" \
	"$(ctl -j -s map binding show | jq -c 'map(del(.lifetime))')"
check_eq "map-binding-get dump: the binding, by the spec's names" \
	"2001:db8:9::100 2001:db8:5::10 $HOA 0 0" \
	"$(ynl --dump map-binding-get | jq -r '.[0]."map-binding" |
	   "\(.rcoa) \(.lcoa) \(.hoa) \(.packets) \(.bytes)"')"
ynl --do map-unbind --json \
	"{\"map-binding\": {\"rcoa\": \"$(hex6 2001:db8:9::100)\"}}" >/dev/null
check_eq "map-unbind from YNL: none left" "[]" "$(ctl -j map binding show)"
ctl map del
check_eq "map-get: none, an empty nest" '{}' \
	"$(ynl --do map-get | jq -c '.map // {}')"

check_dmesg "no warning in the kernel log"
