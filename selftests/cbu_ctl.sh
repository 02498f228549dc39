#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cbuctl against cbu.ko: every command of key, binding, stats, param, home
# and monitor in a fresh network namespace, checked through `cbuctl -j`.
# key add (KEY_NEW) refuses an existing entry, key change (KEY_SET) a
# missing one, key replace does either (as ip route); every refusal exits
# 1 with a clear message and changes nothing; a dump of more entries than
# one message holds; an unprivileged user is refused everything but version.
#
#   ns
#   lo (up), no other link: cbuctl talks to cbu.ko only
#
# No packet goes on the wire, so no binding is ever made here: entries stay
# "keyed" and the monitor sees no event; it is checked to subscribe, print
# nothing and end cleanly on SIGTERM and SIGINT.  Only before `stats
# reset` do two BUs go over lo (mh-send), for a home address without keys,
# so that there are counts to reset.

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"
CBUCTL=${CBUCTL_SAN:-$CBUCTL}

HOA=2001:db8:1::10
CN=2001:db8:2::20
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
# One entry per HoA 2001:db8:100::N; more than a dump message carries.
N_ENTRIES=300

tmp=$(mktemp -d)
monitor_pid=
cleanup() {
	set +e
	[ -n "$monitor_pid" ] && kill "$monitor_pid" 2>/dev/null
	cleanup_ns
	cbu_unload 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

require_root
require_cmd ip jq setpriv genl base64
[ -x "$CBUCTL" ] || skip "no cbuctl at $CBUCTL"
[ -x "$MH_SEND" ] || skip "no mh-send at $MH_SEND"
[ -f "$CBU_KO" ] || skip "no module at $CBU_KO"

# check_ok WHAT COMMAND...: the command must succeed.
check_ok() {
	local what=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$what"
	else
		fail "$what: $out"
	fi
}

# check_err WHAT STATUS MESSAGE COMMAND...: the command must exit STATUS
# and print exactly MESSAGE on standard error.
check_err() {
	local what=$1 status=$2 msg=$3 out rc
	shift 3
	out=$("$@" 2>&1 >/dev/null) && rc=0 || rc=$?
	check_eq "$what: exit status" "$status" "$rc"
	check_eq "$what: message" "$msg" "$out"
}

ctl() {
	cbuctl -n "$ns" "$@"
}

# Everything a refusal must leave alone.
state() {
	ctl -j -s binding show || echo "binding show failed"
	ctl -j param show || echo "param show failed"
	ctl -j home show || echo "home show failed"
}

# check_refused WHAT MESSAGE COMMAND...: exit 1, MESSAGE, no change.
check_refused() {
	local what=$1 msg=$2 before
	shift 2
	before=$(state)
	check_err "$what" 1 "$msg" "$@"
	check_eq "$what: nothing changed" "$before" "$(state)"
}

# The groups of cbu's family joined in $ns, as a mask (the monitor is the
# only member).
groups_joined() {
	local eth groups all=0
	while read -r _ eth _ groups _; do
		[[ $eth == 16 && $groups =~ ^[0-9a-f]{8}$ ]] || continue
		all=$((all | (16#$groups & (events | mh))))
	done < <(ip netns exec "$ns" cat /proc/net/netlink)
	echo "$all"
}

# check_monitor WHAT SIGNAL MASK ARGS...: the monitor starts, joins the
# groups of MASK and no other of cbu's, prints nothing and exits 0 on
# SIGNAL.
check_monitor() {
	local what=$1 sig=$2 mask=$3 rc
	shift 3
	"$CBUCTL" -n "$ns" "$@" >"$tmp/mon.out" 2>"$tmp/mon.err" &
	monitor_pid=$!
	if busywait 10000 cbu_subscribed "$ns" "$mask"; then
		pass "$what: subscribed"
	else
		fail "$what: not subscribed"
	fi
	check_eq "$what: those groups only" "$mask" "$(groups_joined)"
	kill -"$sig" "$monitor_pid"
	wait "$monitor_pid" && rc=0 || rc=$?
	monitor_pid=
	check_eq "$what: exit status on SIG$sig" 0 "$rc"
	check_eq "$what: output" "" "$(cat "$tmp/mon.out")"
	check_eq "$what: errors" "" "$(cat "$tmp/mon.err")"
}

dmesg_mark
cbu_load

ns=''
setup_ns ns

# Keys as WireGuard writes them: base64 of 32 octets and a newline.
head -c 32 /dev/urandom | base64 >"$tmp/k_bu"
head -c 32 /dev/urandom | base64 >"$tmp/k_ba"
head -c 16 /dev/urandom | base64 >"$tmp/short"
head -c 48 /dev/urandom | base64 >"$tmp/long"
echo "not a key" >"$tmp/garbage"
# Surrounding whitespace is allowed.
printf '  \n\t%s  \n\n' "$(cat "$tmp/k_ba")" >"$tmp/k_ba_spaced"

# An empty cache prints nothing, as a list.
check_eq "empty: text" "" "$(ctl binding show)"
check_eq "empty: JSON" "[]" "$(ctl -j binding show)"

## key add: KEY_NEW, the entry must not exist
check_ok "key add (cn)" ctl key add "$HOA" "$CN" role cn k-bu "$tmp/k_bu" \
	k-ba "$tmp/k_ba" lt-en 1024
entry='{"hoa":"2001:db8:1::10","cn":"2001:db8:2::20","role":"cn","state":"keyed","lt_en":1024,"max_lifetime":0,"reqid":0}'
check_eq "key add: the entry" "[$entry]" "$(ctl -j binding show)"
check_eq "key add: the entry, text" \
	"2001:db8:1::10 cn 2001:db8:2::20 role cn state keyed lt-en 1024" \
	"$(ctl binding show)"
check_eq "binding show -s" \
	"[${entry%\}},\"packets\":0,\"bytes\":0,\"updates\":0}]" \
	"$(ctl -j -s binding show)"
check_eq "binding show -s, text" \
	"2001:db8:1::10 cn 2001:db8:2::20 role cn state keyed lt-en 1024
    packets 0 bytes 0 updates 0" "$(ctl -s binding show)"
check_eq "binding show HOA CN" "[$entry]" \
	"$(ctl -j binding show "$HOA" "$CN")"
check_refused "key add of an existing entry" \
	"cbuctl: key add: cbu: binding cache entry exists (File exists)" \
	ctl key add "$HOA" "$CN" role cn k-bu "$tmp/k_bu" k-ba "$tmp/k_ba"

## key change: KEY_SET, the entry must exist
check_refused "key change of a missing entry" \
	"cbuctl: key change: cbu: no such binding cache entry (No such file or directory)" \
	ctl key change 2001:db8:1::11 "$CN" role cn k-bu "$tmp/k_bu" \
	k-ba "$tmp/k_ba"
check_ok "key change" ctl key change "$HOA" "$CN" role cn \
	k-bu "$tmp/k_ba" k-ba "$tmp/k_bu" lt-en 2048 max-lifetime 300 reqid 5
check_eq "key change: the settings changed" "2048 300 5" \
	"$(ctl -j binding show "$HOA" "$CN" |
		jqv -r '.[0] | "\(.lt_en) \(.max_lifetime) \(.reqid)"')"
check_eq "key change: text shows what is not default" \
	"2001:db8:1::10 cn 2001:db8:2::20 role cn state keyed lt-en 2048 max-lifetime 300 reqid 5" \
	"$(ctl binding show "$HOA" "$CN")"
check_refused "key change with another role" \
	"cbuctl: key change: cbu: cannot change the role of an entry (Invalid argument)" \
	ctl key change "$HOA" "$CN" role mn k-ba "$tmp/k_ba"

## key replace: KEY_SET, or KEY_NEW if there is none; k-ba from standard input
check_ok "key replace of a new entry (mn, stdin)" ctl key replace 2001:db8:1::11 \
	"$CN" role mn k-ba - <"$tmp/k_ba"
check_eq "key replace: created" \
	'{"hoa":"2001:db8:1::11","cn":"2001:db8:2::20","role":"mn","state":"keyed","lt_en":0,"max_lifetime":0,"reqid":0}' \
	"$(ctl -j binding show 2001:db8:1::11 "$CN" | jq -c '.[0]')"
check_ok "key replace of an existing entry" ctl key replace 2001:db8:1::11 "$CN" \
	role mn k-ba "$tmp/k_ba_spaced" lt-en 60
check_eq "key replace: replaced" 60 \
	"$(ctl -j binding show 2001:db8:1::11 "$CN" | jqv '.[0].lt_en')"
check_eq "two entries" 2 "$(ctl -j binding show | jqv length)"

## refusals: exit 1, a message, no change
check_refused "role cn without k-bu" \
	"cbuctl: key add: role cn needs k-bu: a correspondent verifies BUs with k_BU" \
	ctl key add 2001:db8:1::12 "$CN" role cn k-ba "$tmp/k_ba"
check_refused "role mn with k-bu" \
	"cbuctl: key add: role mn takes no k-bu: a mobile node's kernel has no use for k_BU" \
	ctl key add 2001:db8:1::12 "$CN" role mn k-bu "$tmp/k_bu" \
	k-ba "$tmp/k_ba"
check_refused "key of 16 octets" \
	"cbuctl: key add: k-ba $tmp/short: a key is 32 octets, this one 16" \
	ctl key add 2001:db8:1::12 "$CN" role mn k-ba "$tmp/short"
check_refused "key of 48 octets" \
	"cbuctl: key add: k-bu $tmp/long: a key is 32 octets, this one 48" \
	ctl key add 2001:db8:1::12 "$CN" role cn k-bu "$tmp/long" \
	k-ba "$tmp/k_ba"
check_refused "key that is not base64" \
	"cbuctl: key add: k-ba $tmp/garbage: not base64 (a key is 32 octets in 44 base64 characters)" \
	ctl key add 2001:db8:1::12 "$CN" role mn k-ba "$tmp/garbage"
check_refused "key file missing" \
	"cbuctl: key add: k-ba $tmp/none: No such file or directory" \
	ctl key add 2001:db8:1::12 "$CN" role mn k-ba "$tmp/none"
check_refused "key from an empty standard input" \
	"cbuctl: key add: k-ba standard input: empty, expected a base64 key" \
	ctl key add 2001:db8:1::12 "$CN" role mn k-ba - </dev/null
check_refused "multicast HoA" \
	"cbuctl: key add: HOA: cbu: home address must be unicast (Invalid argument)" \
	ctl key add ff02::1 "$CN" role mn k-ba "$tmp/k_ba"
check_refused "HoA equal to CN" \
	"cbuctl: key add: cbu: home and correspondent addresses are equal (Invalid argument)" \
	ctl key add "$CN" "$CN" role mn k-ba "$tmp/k_ba"
check_refused "lt-en above 262140" \
	"cbuctl: key add: lt-en: integer out of range, valid 0..262140 (Numerical result out of range)" \
	ctl key add 2001:db8:1::12 "$CN" role mn k-ba "$tmp/k_ba" lt-en 262141
check_refused "max-lifetime above 262140" \
	"cbuctl: key replace: max-lifetime: integer out of range, valid 0..262140 (Numerical result out of range)" \
	ctl key replace "$HOA" "$CN" role cn k-bu "$tmp/k_bu" k-ba "$tmp/k_ba" \
	max-lifetime 262141

## bad usage: exit 2, nothing sent
check_err "unknown keyword" 2 \
	'cbuctl: key add: unknown argument "frob", try "cbuctl key help"' \
	ctl key add "$HOA" "$CN" role cn frob 1
check_err "no k-ba" 2 "cbuctl: key add: needs k-ba FILE" \
	ctl key add 2001:db8:1::12 "$CN" role mn
check_err "no role" 2 "cbuctl: key add: needs role { cn | mn }" \
	ctl key add 2001:db8:1::12 "$CN" k-ba "$tmp/k_ba"
check_err "unknown role" 2 \
	'cbuctl: key add: role "ha" is neither cn nor mn' \
	ctl key add 2001:db8:1::12 "$CN" role ha k-ba "$tmp/k_ba"
check_err "HoA not an address" 2 \
	'cbuctl: key add: HOA "2001:db8::1::2" is not an IPv6 address' \
	ctl key add 2001:db8::1::2 "$CN" role mn k-ba "$tmp/k_ba"
check_err "lt-en not a number" 2 \
	'cbuctl: key add: lt-en "-1" is not a number 0..4294967295' \
	ctl key add 2001:db8:1::12 "$CN" role mn k-ba "$tmp/k_ba" lt-en -1
check_err "two keys from standard input" 2 \
	"cbuctl: key add: only one key can come from standard input" \
	ctl key add 2001:db8:1::12 "$CN" role cn k-bu - k-ba -
check_err "unknown key command" 2 \
	'cbuctl: key: unknown command "new", try "cbuctl key help"' \
	ctl key new "$HOA" "$CN"
check_eq "still two entries" 2 "$(ctl -j binding show | jqv length)"

## binding show and del of one entry
check_err "binding show of a missing entry" 1 \
	"cbuctl: binding show: cbu: no such binding cache entry (No such file or directory)" \
	ctl binding show 2001:db8:1::99 "$CN"
check_err "binding show with HOA only" 2 \
	"cbuctl: binding show: HOA and CN, or nothing" ctl binding show "$HOA"
check_ok "binding del keeps the keys" ctl binding del "$HOA" "$CN"
check_eq "binding del: entry still there, keyed" keyed \
	"$(ctl -j binding show "$HOA" "$CN" | jqv -r '.[0].state')"
check_refused "binding del of a missing entry" \
	"cbuctl: binding del: cbu: no such binding cache entry (No such file or directory)" \
	ctl binding del 2001:db8:1::99 "$CN"

## key del
check_ok "key del" ctl key del 2001:db8:1::11 "$CN"
check_err "key del: gone" 1 \
	"cbuctl: binding show: cbu: no such binding cache entry (No such file or directory)" \
	ctl binding show 2001:db8:1::11 "$CN"
check_refused "key del of a missing entry" \
	"cbuctl: key del: cbu: no such binding cache entry (No such file or directory)" \
	ctl key del 2001:db8:1::11 "$CN"

## a dump in several parts
# The entries come from one batch (-b): under ASan and TCG, each start of
# cbuctl costs a third of a second; a command at a time is checked above.
for i in $(seq 1 "$N_ENTRIES"); do
	echo "key add 2001:db8:100::$(printf %x "$i") $CN role mn k-ba $tmp/k_ba"
done >"$tmp/batch"
if ctl -b "$tmp/batch"; then
	pass "$N_ENTRIES entries added (batch)"
else
	fail "$N_ENTRIES entries added (batch)"
fi
dump=$(ctl -j binding show) || true
check_eq "dump: every entry" $((N_ENTRIES + 1)) "$(jqv length <<<"$dump")"
check_eq "dump: each once" $((N_ENTRIES + 1)) \
	"$(jqv '[.[].hoa] | unique | length' <<<"$dump")"
check_eq "dump: text, a line each" $((N_ENTRIES + 1)) \
	"$(ctl binding show | wc -l)"
check_eq "dump: -s, two lines each" $((2 * (N_ENTRIES + 1))) \
	"$(ctl -s binding show | wc -l)"
check_eq "param entries" $((N_ENTRIES + 1)) \
	"$(ctl -j param show | jqv .entries)"

## param
entries=$((N_ENTRIES + 1))
check_eq "param show: defaults" \
	"{\"bc_packets\":10,\"bc_timeout\":10000,\"capacity\":65536,\"max_lifetime\":420,\"event_rate\":10,\"entries\":$entries}" \
	"$(ctl -j param show)"
check_eq "param show: text" \
	"bc-packets 10 bc-timeout 10000 capacity 65536 max-lifetime 420 event-rate 10 entries $entries" \
	"$(ctl param)"
check_ok "param set" ctl param set bc-packets 5 bc-timeout 2000 \
	capacity 1000 max-lifetime 300 event-rate 0
params="{\"bc_packets\":5,\"bc_timeout\":2000,\"capacity\":1000,\"max_lifetime\":300,\"event_rate\":0,\"entries\":$entries}"
check_eq "param set: changed" "$params" "$(ctl -j param show)"
check_refused "capacity below the entries" \
	"cbuctl: param set: capacity: cbu: capacity below the entries in the cache (Device or resource busy)" \
	ctl param set capacity 10
check_refused "bc-packets 0" \
	"cbuctl: param set: bc-packets: integer out of range, valid 1..1000000 (Numerical result out of range)" \
	ctl param set bc-packets 0
check_refused "bc-timeout 99" \
	"cbuctl: param set: bc-timeout: integer out of range, valid 100..3600000 (Numerical result out of range)" \
	ctl param set bc-timeout 99
check_refused "capacity above 2^24" \
	"cbuctl: param set: capacity: integer out of range, valid 1..16777216 (Numerical result out of range)" \
	ctl param set capacity 16777217
check_refused "max-lifetime 3" \
	"cbuctl: param set: max-lifetime: integer out of range, valid 4..262140 (Numerical result out of range)" \
	ctl param set max-lifetime 3
check_refused "event-rate 10001, with a valid bc-packets" \
	"cbuctl: param set: event-rate: integer out of range, valid 0..10000 (Numerical result out of range)" \
	ctl param set bc-packets 7 event-rate 10001
check_err "param set of nothing" 2 \
	'cbuctl: param set: nothing to set, try "cbuctl param help"' \
	ctl param set
check_err "param set of entries" 2 \
	'cbuctl: param set: unknown argument "entries", try "cbuctl param help"' \
	ctl param set entries 1
check_eq "param: unchanged" "$params" "$(ctl -j param show)"
check_ok "capacity at the entries" ctl param set capacity "$entries"
check_refused "key add into a full cache" \
	"cbuctl: key add: cbu: binding cache full: raise its capacity (No space left on device)" \
	ctl key add 2001:db8:1::12 "$CN" role mn k-ba "$tmp/k_ba"

## stats: nothing crossed the wire, so every counter is zero
names='["bu_accepted","bu_deleted","bu_bad_mac","bu_seq_window","bu_no_keys","bu_no_hao","malformed","bad_checksum","ba_sent","be_sent","bc_accepted","bc_bad_mac","bc_stale","ba_accepted","ba_bad_mac","ba_stale","bc_sent","bc_timeout","tx_stopped","hao_dropped","expired","mh_to_agent","migrated","migrate_failed","tx_errors","mh_limited","ba_limited","not_cbu","transit","hdr_discard","hdr_skipped","fragment","mh_to_socket","ba_peer","bu_to_agent","fwd","fwd_not_own","map_bu","map_outside","map_spoofed","map_unbound","map_expired"]'
check_eq "stats: text, only counters not zero" "" "$(ctl stats show)"
check_eq "stats -j: every counter, in order, even without -s" "$names" \
	"$(ctl -j stats | jq -c keys_unsorted)"
check_eq "stats -s: every counter, in order" "$names" \
	"$(ctl -j -s stats | jq -c keys_unsorted)"
check_eq "stats -s: all zero" 0 \
	"$(ctl -j -s stats show | jqv '[.[]] | add')"
check_eq "stats -s: text, NAME VALUE a line" \
	"$(jqv -r '.[] + " 0"' <<<"$names")" "$(ctl -s stats)"
# Counts first, so that a reset that did nothing cannot pass: two BUs for
# a home address without keys, over lo (bu_no_keys 2).
ip -n "$ns" addr add "$CN/128" dev lo nodad
ip -n "$ns" addr add 2001:db8:3::10/128 dev lo nodad
ip netns exec "$ns" "$MH_SEND" 2001:db8:3::10 "$CN" bu 2001:db8:1::99 1 16 \
	"$(printf '%064x' 1)" 2 >/dev/null
counted() { [ "$(ctl -j stats | jqv .bu_no_keys)" = 2 ]; }
busywait 5000 counted || fail "stats: the two BUs were not counted"
check_eq "stats: text, what was counted" "bu_no_keys 2" \
	"$(ctl stats | grep '^bu_no_keys ')"
check_ok "stats reset" ctl stats reset
check_eq "stats after reset: all zero" 0 "$(ctl -j stats | jqv '[.[]] | add')"
check_eq "stats after reset: text, nothing" "" "$(ctl stats)"
ip -n "$ns" addr del "$CN/128" dev lo
ip -n "$ns" addr del 2001:db8:3::10/128 dev lo
check_err "stats with an extra argument" 2 \
	"cbuctl: stats show: unexpected \"all\"" ctl stats show all

## home
check_eq "home show: none" "[]" "$(ctl -j home show)"
check_ok "home add /64" ctl home add 2001:db8:1::/64
check_ok "home add /48" ctl home add 2001:db8:5::/48
check_eq "home show" \
	'[{"prefix":"2001:db8:1::","prefix_len":64},{"prefix":"2001:db8:5::","prefix_len":48}]' \
	"$(ctl -j home show)"
check_eq "home show: text" "2001:db8:1::/64
2001:db8:5::/48" "$(ctl home)"
check_refused "home add twice" \
	"cbuctl: home add: cbu: home prefix served already (File exists)" \
	ctl home add 2001:db8:1::/64
check_refused "home add of a multicast prefix" \
	"cbuctl: home add: PREFIX: cbu: home prefix must be unicast (Invalid argument)" \
	ctl home add ff02::/16
check_err "home add with host bits" 2 \
	'cbuctl: home add: "2001:db8:1::1/64" has host bits set; did you mean 2001:db8:1::/64?' \
	ctl home add 2001:db8:1::1/64
check_err "home add without LEN" 2 \
	'cbuctl: home add: "2001:db8:1::" is not an IPv6 PREFIX/LEN' \
	ctl home add 2001:db8:1::
check_ok "home del" ctl home del 2001:db8:1::/64
check_refused "home del of a prefix not served" \
	"cbuctl: home del: cbu: home prefix not served (No such file or directory)" \
	ctl home del 2001:db8:1::/64
check_eq "home show after del" \
	'[{"prefix":"2001:db8:5::","prefix_len":48}]' "$(ctl -j home show)"

## monitor
if mask=$(cbu_group_mask events mh) && events=$(cbu_group_mask events) &&
	mh=$(cbu_group_mask mh); then
	# Events only unless asked: joining mh changes what the node does.
	check_monitor "monitor" TERM "$events" monitor
	check_monitor "monitor all, SIGINT" INT "$mask" monitor all
	check_monitor "monitor -j events" TERM "$events" -j monitor events
	check_monitor "monitor mh" TERM "$mh" monitor mh
else
	fail "monitor: cannot find the multicast groups' ids below 32"
fi
check_err "monitor of an unknown group" 2 \
	'cbuctl: monitor: unknown group "bc", try "cbuctl monitor help"' \
	ctl monitor bc

## an unprivileged user: refused, but for version
nobody() {
	ip netns exec "$ns" "${NOBODY[@]}" "$CBUCTL" "$@"
}
check_refused "unprivileged key add" \
	"cbuctl: key add: Operation not permitted" \
	nobody key add 2001:db8:1::13 "$CN" role mn k-ba - <"$tmp/k_ba"
check_err "unprivileged monitor" 1 \
	'cbuctl: monitor: cannot join the multicast group "events": Operation not permitted' \
	ip netns exec "$ns" timeout 10 "${NOBODY[@]}" "$CBUCTL" monitor
if out=$(nobody -j version); then
	check_eq "unprivileged version" "$(cat /sys/module/cbu/version)" \
		"$(jqv -r .module.version <<<"$out")"
else
	fail "unprivileged version failed"
fi

cleanup_ns
cbu_unload
check_dmesg "no warning in the kernel log"
exit $RET
