#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# cbuctl cert, end to end on the host: an offline CA issues an HA and a CN
# certificate, the HA issues an MN certificate, and every command's output,
# exit status and file it writes (or must not write) is checked.
#
#   CA (ca.key) --signs--> Cert_HA 2001:db8:1::/64 (ha.key)
#               \--signs--> Cert_CN 2001:db8:9::9  (cn.key)
#   HA (ha.key) --signs--> Cert_MN 2001:db8:1::77  (mn.key)
#
# Usage: cert_cli_test.sh CBUCTL     (prints KTAP; exit 0, 1, or 4 to skip)

set -u

CBUCTL=${1:-}
if [ -z "$CBUCTL" ] || [ ! -x "$CBUCTL" ]; then
	echo "usage: cert_cli_test.sh CBUCTL (an executable cbuctl)" >&2
	exit 2
fi
CBUCTL=$(cd "$(dirname "$CBUCTL")" && pwd)/$(basename "$CBUCTL")
if ! command -v jq >/dev/null; then
	printf 'KTAP version 1\n1..0 # SKIP jq is not installed\n'
	exit 4
fi

tmp=$(mktemp -d /tmp/cbu-cert-cli.XXXXXX)
cleanup() {
	rm -rf "$tmp"
}
trap cleanup EXIT
cd "$tmp" || exit 1
umask 022

# Fixed times, so that no result depends on today's date.
T2025=1735689600	# 2025-01-01T00:00:00Z
T2026=1767225600	# 2026-01-01T00:00:00Z

c() {
	"$CBUCTL" "$@"
}

# expect_rc STATUS COMMAND...: run COMMAND, fail unless it exits STATUS.
expect_rc() {
	local want=$1 rc=0
	shift
	"$@" || rc=$?
	if [ "$rc" != "$want" ]; then
		echo "exit status $rc, expected $want: $*"
		return 1
	fi
}

# b64 FILE: the base64 body of an armoured file, on one line.
b64() {
	sed '1d;$d' "$1" | tr -d '\n'
}

setup() {
	c cert genkey out ca.key &&
	c cert pubkey key ca.key out ca.pub &&
	c cert genkey out ha.key &&
	c cert pubkey key ha.key out ha.pub &&
	c cert genkey out cn.key &&
	c cert pubkey key cn.key out cn.pub &&
	c cert genkey out mn.key &&
	c cert pubkey key mn.key out mn.pub &&
	c cert genkey out other.key &&
	c cert pubkey key other.key out other.pub &&
	c cert issue ha 2001:db8:1::/64 pubkey ha.pub key ca.key \
		from 2025-01-01 days 3650 out ha.crt &&
	c cert issue cn 2001:db8:9::9 pubkey cn.pub key ca.key \
		from "$T2025" until 2030-01-01T00:00:00Z out cn.crt &&
	c cert issue mn 2001:db8:1::77 pubkey mn.pub key ha.key \
		issuer ha.crt from 2025-01-01 days 365 out mn.crt &&
	# A second HA for the same prefix, with its own key.
	c cert issue ha 2001:db8:1::/64 pubkey other.pub key ca.key \
		from 2025-01-01 days 3650 out other-ha.crt
}

test_genkey_mode_0600() {
	[ "$(stat -c %a ca.key)" = 600 ]
	head -n1 ca.key | grep -qx -- '-----BEGIN CBU PRIVATE KEY-----'
	[ "$(b64 ca.key | base64 -d | wc -c)" = 32 ]
}

test_genkey_refuses_to_overwrite() {
	cp ca.key saved.key
	expect_rc 1 c cert genkey out ca.key 2>err
	grep -q 'refusing to overwrite' err
	cmp ca.key saved.key
}

test_genkey_stdout_warns_if_readable() {
	c cert genkey >open.key 2>err
	grep -q warning err
	(umask 077 && c cert genkey >closed.key 2>err2)
	[ ! -s err2 ]
	[ "$(b64 closed.key | base64 -d | wc -c)" = 32 ]
}

test_genkeys_differ() {
	[ -s ca.key ] && [ -s ha.key ] && ! cmp -s ca.key ha.key
}

test_pubkey_file_and_stdin() {
	c cert pubkey key ca.key >a.pub
	c cert pubkey <ca.key >b.pub
	c cert pubkey key - <ca.key >c.pub
	cmp a.pub ca.pub
	cmp b.pub ca.pub
	cmp c.pub ca.pub
	head -n1 ca.pub | grep -qx -- '-----BEGIN CBU PUBLIC KEY-----'
	[ "$(b64 ca.pub | base64 -d | wc -c)" = 32 ]
	[ "$(stat -c %a ca.pub)" = 644 ]
}

test_pubkey_rejects_public_key_as_private() {
	expect_rc 1 c cert pubkey key ca.pub 2>err
	grep -q label err
}

test_issue_ha() {
	head -n1 ha.crt | grep -qx -- '-----BEGIN CBU CERTIFICATE-----'
	[ "$(b64 ha.crt | base64 -d | wc -c)" = 144 ]
	c cert verify ha.crt ca ca.pub at 2026-01-01 >out
	[ "$(cat out)" = ok ]
}

test_issue_cn_address_and_prefix() {
	c cert verify cn.crt ca ca.pub address 2001:db8:9::9 at "$T2026" >out
	[ "$(cat out)" = ok ]
	c cert issue cn 2001:db8:a::/48 pubkey cn.pub key ca.key \
		from 2025-01-01 days 30 >cnp.crt
	c cert verify cnp.crt ca ca.pub address 2001:db8:a:ff::1 \
		at 2025-01-15 >/dev/null
	expect_rc 1 c cert verify cnp.crt ca ca.pub address 2001:db8:b::1 \
		at 2025-01-15 2>/dev/null
}

test_issue_mn() {
	c cert verify mn.crt issuer ha.crt at 2025-06-01 >out
	[ "$(cat out)" = ok ]
	c cert verify mn.crt issuer ha.crt ca ca.pub \
		address 2001:db8:1::77 at 2025-06-01 >out
	[ "$(cat out)" = ok ]
}

test_issue_mn_clamped_to_ha() {
	# Default length (365 days) beyond the HA's end: pulled in, with a note.
	c cert issue ha 2001:db8:5::/64 pubkey ha.pub key ca.key \
		from 2025-01-01 days 10 out short-ha.crt
	c cert issue mn 2001:db8:5::1 pubkey mn.pub key ha.key \
		issuer short-ha.crt from 2025-01-02 out short-mn.crt 2>err
	grep -q note err
	# 2025-01-01 + 10 days, the HA's end.
	c -j cert show short-mn.crt >short-mn.json
	jq_file short-mn.json '.valid_until == 1736553600'
	c -j cert show short-ha.crt >short-ha.json
	jq_file short-ha.json '.valid_until == 1736553600'
	# Asked for explicitly: refused, nothing written.
	expect_rc 1 c cert issue mn 2001:db8:5::2 pubkey mn.pub key ha.key \
		issuer short-ha.crt from 2025-01-02 days 30 out long-mn.crt \
		2>err
	grep -q outlive err
	[ ! -e long-mn.crt ]
}

test_issue_mn_wrong_key() {
	expect_rc 1 c cert issue mn 2001:db8:1::78 pubkey mn.pub key ca.key \
		issuer ha.crt out bad-mn.crt 2>err
	grep -q 'not the key of the issuer' err
	[ ! -e bad-mn.crt ]
}

test_issue_mn_hoa_outside_prefix() {
	expect_rc 1 c cert issue mn 2001:db8:2::1 pubkey mn.pub key ha.key \
		issuer ha.crt out bad-mn.crt 2>err
	grep -q outside err
	[ ! -e bad-mn.crt ]
}

test_issue_replaces_public_output() {
	c cert issue cn 2001:db8:9::9 pubkey cn.pub key ca.key out re.crt
	c cert issue cn 2001:db8:9::10 pubkey cn.pub key ca.key out re.crt
	c -j cert show re.crt >re.json
	jq_file re.json '.subject == "2001:db8:9::10"'
	[ "$(find . -name 're.crt.*' | wc -l)" = 0 ]
}

test_show_text() {
	c cert show ha.crt >out
	grep -qx 'kind ha' out
	grep -qx 'subject 2001:db8:1::/64' out
	grep -qx "public_key $(b64 ha.pub)" out
	grep -qx "valid_from 2025-01-01T00:00:00Z ($T2025)" out
	grep -qx 'valid_until 2034-12-30T00:00:00Z (2051049600)' out
	grep -qx 'version 1 suite 1' out
	c cert show <mn.crt >out
	grep -qx 'kind mn' out
	grep -qx 'subject 2001:db8:1::77/128' out
}

# jq 1.6 -e exits 0 on empty input: feed it files known not to be empty.
jq_file() {
	local file=$1
	shift
	[ -s "$file" ] && jq -e "$@" "$file" >/dev/null
}

# shellcheck disable=SC2016 # $pub and $id are jq's variables
test_show_json() {
	local id
	id=$(b64 ca.pub | base64 -d | sha256sum | cut -c1-16)
	c -j cert show ha.crt >ha.json
	jq_file ha.json --arg pub "$(b64 ha.pub)" --arg id "$id" \
		'.kind == "ha" and .subject == "2001:db8:1::" and
		 .prefix_len == 64 and .public_key == $pub and
		 .valid_from == 1735689600 and .valid_until == 2051049600 and
		 .issuer == $id and .version == 1 and .suite == 1 and
		 (keys | length) == 9'
	c -j -p cert show cn.crt >cn.json
	jq_file cn.json '.kind == "cn" and .prefix_len == 128 and
		.valid_until == 1893456000'
	id=$(b64 ha.pub | base64 -d | sha256sum | cut -c1-16)
	c -j cert show mn.crt >mn.json
	jq_file mn.json --arg id "$id" '.kind == "mn" and .issuer == $id'
}

test_show_rejects_garbage() {
	echo hello >garbage
	expect_rc 1 c cert show garbage 2>/dev/null
	expect_rc 1 c cert show ha.pub 2>/dev/null
	expect_rc 1 c cert show missing.crt 2>/dev/null
	cat ha.crt ha.crt >two.crt
	expect_rc 1 c cert show two.crt 2>err
	grep -q 'more than one' err
}

test_verify_stdin() {
	c cert verify - ca ca.pub at 2026-01-01 <ha.crt >out
	[ "$(cat out)" = ok ]
}

test_verify_expired() {
	expect_rc 1 c cert verify ha.crt ca ca.pub at 2035-01-01 >out 2>err
	grep -q expired err
	[ ! -s out ]
}

test_verify_json() {
	c -j cert verify ha.crt ca ca.pub at 2026-01-01 >out
	[ "$(cat out)" = '{"valid":true}' ]
	expect_rc 1 c -j cert verify ha.crt ca ca.pub at 2035-01-01 >out 2>err
	[ "$(jq -r .valid out)" = false ]
	jq -r .reason out | grep -q expired
	grep -q expired err
}

test_verify_not_yet_valid() {
	expect_rc 1 c cert verify ha.crt ca ca.pub at 2024-12-31T23:59:59Z \
		2>err
	grep -q 'not yet valid' err
}

test_verify_wrong_ca() {
	expect_rc 1 c cert verify ha.crt ca other.pub at 2026-01-01 2>err
	grep -q 'another key' err
}

test_verify_address_outside_prefix() {
	expect_rc 1 c cert verify ha.crt ca ca.pub address 2001:db8:2::1 \
		at 2026-01-01 2>err
	grep -q outside err
	c cert verify ha.crt ca ca.pub address 2001:db8:1::ffff \
		at 2026-01-01 >/dev/null
}

test_verify_mn_wrong_issuer() {
	expect_rc 1 c cert verify mn.crt issuer other-ha.crt at 2025-06-01 \
		2>/dev/null
	# The HA certificate itself checked against the wrong CA.
	expect_rc 1 c cert verify mn.crt issuer ha.crt ca other.pub \
		at 2025-06-01 2>err
	grep -q 'HA certificate' err
	expect_rc 1 c cert verify mn.crt issuer ha.crt address 2001:db8:1::78 \
		at 2025-06-01 2>/dev/null
}

# A MAP's certificate (HMIPv6): the CA's, a prefix holding the MAP and its
# RCoAs; it signs nothing, and only the CA issues it.
test_issue_map() {
	c cert issue map 2001:db8:f0::/64 pubkey other.pub key ca.key \
		from 2025-01-01 days 365 out map.crt
	c -j cert show map.crt >map.json
	jq_file map.json '.kind == "map" and .subject == "2001:db8:f0::" and
		.prefix_len == 64'
	c cert verify map.crt ca ca.pub address 2001:db8:f0::1 \
		at 2025-06-01 >out
	grep -qx ok out
	expect_rc 1 c cert verify map.crt ca ca.pub address 2001:db8:f1::1 \
		at 2025-06-01 2>err
	grep -q 'outside the certificate' err
	expect_rc 1 c cert verify map.crt ca other.pub at 2025-06-01 \
		2>/dev/null
	expect_rc 2 c cert issue map 2001:db8:f0::1 pubkey other.pub \
		key ca.key 2>err
	grep -q 'PREFIX/LEN' err
	expect_rc 2 c cert issue map 2001:db8:f0::/64 pubkey other.pub \
		key ha.key issuer ha.crt 2>err
	grep -q 'CA signs ha, cn and map' err
	# An MN certificate cannot name a MAP certificate as its issuer.
	expect_rc 1 c cert issue mn 2001:db8:f0::5 pubkey mn.pub key other.key \
		issuer map.crt 2>err
	grep -q 'not an HA certificate' err
}

test_verify_tampered() {
	awk 'NR == 2 { c = substr($0, 20, 1); r = (c == "A") ? "B" : "A";
		$0 = substr($0, 1, 19) r substr($0, 21) } { print }' \
		ha.crt >tampered.crt
	if cmp -s ha.crt tampered.crt; then
		return 1
	fi
	expect_rc 1 c cert verify tampered.crt ca ca.pub at 2026-01-01 \
		2>/dev/null
}

test_bad_usage_exits_2() {
	expect_rc 2 c cert 2>/dev/null
	expect_rc 2 c cert frobnicate 2>/dev/null
	expect_rc 2 c cert genkey outfile x.key 2>/dev/null
	expect_rc 2 c cert genkey out 2>/dev/null
	expect_rc 2 c cert genkey out a.key out b.key 2>/dev/null
	expect_rc 2 c cert pubkey key 2>/dev/null
	expect_rc 2 c cert issue ha 2001:db8::/64 pubkey ha.pub 2>/dev/null
	expect_rc 2 c cert issue ha 2001:db8:: pubkey ha.pub key ca.key \
		2>/dev/null
	expect_rc 2 c cert issue ha 2001:db8::1/64 pubkey ha.pub key ca.key \
		2>err
	grep -q 'did you mean 2001:db8::/64' err
	expect_rc 2 c cert issue ha 2001:db8::/129 pubkey ha.pub key ca.key \
		2>/dev/null
	expect_rc 2 c cert issue cn 10.0.0.1 pubkey cn.pub key ca.key \
		2>/dev/null
	expect_rc 2 c cert issue mn 2001:db8:1::77 pubkey mn.pub key ha.key \
		2>/dev/null
	expect_rc 2 c cert issue mn 2001:db8:1::77/128 pubkey mn.pub \
		key ha.key issuer ha.crt 2>/dev/null
	expect_rc 2 c cert issue ha 2001:db8::/64 pubkey ha.pub key ca.key \
		issuer ha.crt 2>/dev/null
	expect_rc 2 c cert issue ha 2001:db8::/64 cn 2001:db8::1 \
		pubkey ha.pub key ca.key 2>/dev/null
	expect_rc 2 c cert issue ha 2001:db8::/64 pubkey ha.pub key ca.key \
		days 10 until 2030-01-01 2>/dev/null
	expect_rc 2 c cert issue ha 2001:db8::/64 pubkey ha.pub key ca.key \
		days 0 2>/dev/null
	expect_rc 2 c cert issue ha 2001:db8::/64 pubkey ha.pub key ca.key \
		from 2025-02-30 2>/dev/null
	expect_rc 2 c cert issue ha 2001:db8::/64 pubkey ha.pub key ca.key \
		from 2030-01-01 until 2025-01-01 2>/dev/null
	expect_rc 2 c cert issue ha 2001:db8::/64 pubkey - key - \
		2>/dev/null </dev/null
	expect_rc 2 c cert verify 2>/dev/null
	expect_rc 2 c cert verify ha.crt 2>/dev/null
	expect_rc 2 c cert verify ha.crt ca ca.pub at yesterday 2>/dev/null
	expect_rc 2 c cert verify ha.crt ca ca.pub address 2001:db8::/64 \
		2>/dev/null
	expect_rc 2 c cert verify ha.crt issuer ha.crt 2>/dev/null
	expect_rc 2 c cert verify mn.crt ca ca.pub 2>/dev/null
	expect_rc 2 c cert show ha.crt extra 2>/dev/null
	# Keywords match exactly: no abbreviations.
	expect_rc 2 c cert gen 2>/dev/null
	expect_rc 2 c cert issue ha 2001:db8::/64 pub ha.pub key ca.key \
		2>/dev/null
	# Nothing was written by any of them.
	[ ! -e x.key ] && [ ! -e a.key ] && [ ! -e b.key ]
}

test_help_exits_0() {
	c cert help | grep -q '^Usage: cbuctl cert genkey'
	c cert help | grep -q '^Where:'
	c cert issue help >/dev/null
	c help | grep -q cert
}

test_private_key_never_on_argv() {
	local key
	key=$(b64 ca.key)
	# There is no argument that takes key material: a key in its place is
	# an unknown argument, or a file name that does not exist.
	expect_rc 2 c cert pubkey "$key" 2>/dev/null
	expect_rc 2 c cert genkey "$key" 2>/dev/null
	expect_rc 1 c cert pubkey key "$key" >out 2>/dev/null
	[ ! -s out ]
	expect_rc 1 c cert issue cn 2001:db8:9::9 pubkey cn.pub key "$key" \
		out argv.crt 2>/dev/null
	[ ! -e argv.crt ]
	! c cert help | grep -qiE 'base64|seed'
}

tests=(
	genkey_mode_0600
	genkey_refuses_to_overwrite
	genkey_stdout_warns_if_readable
	genkeys_differ
	pubkey_file_and_stdin
	pubkey_rejects_public_key_as_private
	issue_ha
	issue_cn_address_and_prefix
	issue_mn
	issue_mn_clamped_to_ha
	issue_mn_wrong_key
	issue_mn_hoa_outside_prefix
	issue_map
	issue_replaces_public_output
	show_text
	show_json
	show_rejects_garbage
	verify_stdin
	verify_expired
	verify_not_yet_valid
	verify_wrong_ca
	verify_json
	verify_address_outside_prefix
	verify_mn_wrong_issuer
	verify_tampered
	bad_usage_exits_2
	help_exits_0
	private_key_never_on_argv
)

echo "KTAP version 1"
echo "1..$((${#tests[@]} + 1))"
failed=0
if (set -e; setup) >setup.log 2>&1; then
	echo "ok 1 setup"
else
	sed 's/^/# /' setup.log
	echo "not ok 1 setup"
	failed=1
fi
n=1
for t in "${tests[@]}"; do
	n=$((n + 1))
	# Each test in its own subshell with errexit: its first failing
	# command fails it.  Not in an "if", which would switch errexit off.
	(set -e; "test_$t") >"test.log" 2>&1
	rc=$?
	if [ "$rc" = 0 ]; then
		echo "ok $n $t"
	else
		sed 's/^/# /' test.log
		echo "not ok $n $t"
		failed=1
	fi
done
exit "$failed"
