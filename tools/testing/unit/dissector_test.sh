#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dissector_test.sh - tools/wireshark/cbu.lua in tshark, on every message
# cbu's encoder builds (build/san/bin/mh-pcap writes them, one pcap
# packet each): every field the dissector shows must have the value the
# encoder was given, BU/BA/BE/BRR must still be Wireshark's own mipv6 with
# cbu's option 18 codes inside, nothing may be malformed or a Lua error;
# then messages broken on purpose must each get their expert info, and
# still no Lua error.  Prints KTAP.  Argument: a cbuctl (unused, as
# run-tests passes one to every shell test).

set -uo pipefail

cd "$(dirname "$0")/../../.." || exit 1
TOP=$PWD
MH_PCAP=${MH_PCAP:-$TOP/build/san/bin/mh-pcap}
LUA=$TOP/tools/wireshark/cbu.lua

HOA=2001:db8:1::10
COA=2001:db8:2::10
CN_HOA=2001:db8:7::1
CN=2001:db8:3::20

# pat SEED LEN: the octets SEED, SEED + 1, ... in hex (mh-pcap's pattern).
pat() {
	local i out=''
	for ((i = 0; i < $2; i++)); do
		out+=$(printf '%02x' $((($1 + i) % 256)))
	done
	echo "$out"
}

CERT="cbu.cert.version=1 cbu.cert.suite=1 cbu.cert.kind=1
	cbu.cert.prefix_len=64 cbu.cert.subject=2001:db8:1::
	cbu.cert.valid_from=1700000000 cbu.cert.valid_until=1800000000
	cbu.cert.public_key=$(pat 0x50 32) cbu.cert.issuer=$(pat 0x11 8)
	cbu.cert.signature=$(pat 0x70 64)"
# sealed PT_LEN: a sealed body of pattern 0 (nonce, ciphertext, tag).
sealed() {
	echo "cbu.sealed.nonce=$(pat 0 24) cbu.sealed.ciphertext=$(pat 24 "$1")
		cbu.sealed.tag=$(pat $((24 + $1)) 16) cbu.sealed.pt_len=$1
		cbu.opt.code="
}
# type11 SUBTYPE NAME: what every cbu message shows.
type11() {
	echo "mip6.mhtype=11 cbu.subtype=$1 cbu.version=1
		cbu.checksum.status=good _ws.col.Info=CBU~$2"
}

# One case a packet: its name, then FIELD=VALUE (an empty VALUE: absent;
# several occurrences joined with commas; "~" stands for a space).
cases=(
	"BU (Wireshark's mipv6)|mip6.mhtype=5 mip6.bu.seqnr=4660
		mip6.bu.lifetime=64 mip6.bu.a_flag=1 mip6.bu.m_flag=0
		mip6.bad.auth=$(pat 0xa0 16)
		ipv6.opt.mipv6.home_address=$HOA cbu.subtype= cbu.opt.code="
	"BA, with cbu's LT_EN, HoA and CN HoA options|mip6.mhtype=6
		mip6.ba.status=0 mip6.ba.seqnr=4660 mip6.ba.lifetime=60
		cbu.opt.type=18,18,18 cbu.opt.len=3,17,17 cbu.opt.code=1,2,5
		cbu.opt.lt_en=1024 cbu.opt.hoa=$HOA cbu.opt.cn_hoa=$CN_HOA
		mip6.bad.auth=$(pat 0xb0 16) cbu.subtype="
	"BE (Wireshark's mipv6)|mip6.mhtype=7 mip6.be.status=2
		mip6.be.haddr=$HOA cbu.subtype="
	"BRR (Wireshark's mipv6)|mip6.mhtype=0 cbu.subtype="
	"HMIPv6 BU: HoA, NONCE, HA, DH, SIG, CERT options|mip6.mhtype=5
		mip6.bu.m_flag=1 mip6.bu.seqnr=4660
		cbu.opt.code=2,6,8,7,4,3 cbu.opt.hoa=$HOA
		cbu.opt.nonce=$(pat 0x20 16) cbu.opt.ha=$CN
		cbu.opt.dh=$(pat 0x40 32) cbu.opt.sig=$(pat 0x80 64)
		ipv6.opt.mipv6.home_address=$CN_HOA $CERT"
	"REQ|$(type11 1 REQ) $(sealed 64)"
	"REP|$(type11 2 REP) $(sealed 144)"
	"COOKIE0|$(type11 3 COOKIE0) cbu.c0=$(pat 0xc0 8) cbu.opt.code="
	"COOKIE1|$(type11 4 COOKIE1) cbu.c0=$(pat 0xc0 8) cbu.c1=$(pat 0xc8 8)
		cbu.n1=$(pat 0x10 16)"
	"EXCH0|$(type11 5 EXCH0) cbu.suite=1 cbu.reserved=00000000000000,00000000
		cbu.c0=$(pat 0xc0 8) cbu.c1=$(pat 0xc8 8) cbu.n1=$(pat 0x10 16)
		cbu.n2=$(pat 0x20 16) cbu.ts=1700000000 cbu.gx=$(pat 0x40 32)
		cbu.sig=$(pat 0x80 64) cbu.opt.code=3 cbu.opt.len=145,3
		cbu.opt.pad=5 $CERT"
	"EXCH1|$(type11 6 EXCH1) cbu.suite=1 cbu.c0=$(pat 0xc0 8)
		cbu.c1=$(pat 0xc8 8) cbu.gy=$(pat 0x60 32) cbu.sig=$(pat 0x80 64)
		cbu.opt.code=3 $CERT"
	"BC|$(type11 7 BC) cbu.seq=4660 cbu.bc.flag=1 cbu.opt.type=1,5,1
		cbu.opt.pad=6,4 cbu.opt.auth=$(pat 0xd0 16)
		ipv6.opt.mipv6.home_address=$HOA"
	"REQ_KEY|$(type11 8 REQ_KEY) $(sealed 65) cbu.opt.pad=7"
	"EXCH0'|$(type11 9 "EXCH0'") cbu.n1=$(pat 0x10 16)
		cbu.mac=$(pat 0xe0 16)"
	"EXCH1'|$(type11 10 "EXCH1'") cbu.n1=$(pat 0x10 16)
		cbu.n2=$(pat 0x20 16) cbu.mac=$(pat 0xe0 16) cbu.lt_en=1024"
	"NEWKEY|$(type11 11 NEWKEY) $(sealed 50) cbu.opt.pad=6"
	"TEST|$(type11 12 TEST) cbu.test.flag=1 cbu.opt.pad=6"
	"ALIVE|$(type11 13 ALIVE) cbu.n3=$(pat 0x30 16)"
	"FWD|$(type11 14 FWD) cbu.hoa=$HOA cbu.coa=$COA cbu.mac=$(pat 0xe0 16)
		cbu.seq=4660 cbu.lifetime=64"
	"KEYS|$(type11 15 KEYS) $(sealed 146)"
	"REQ_Cert|$(type11 16 REQ_Cert) cbu.opt.code= cbu.sealed.nonce="
	"REP_Cert|$(type11 17 REP_Cert) cbu.opt.code=3 $CERT"
	"REG|$(type11 18 REG) $(sealed 56)"
	"REG_ACK|$(type11 19 REG_ACK) $(sealed 56)"
	"REP_NAK|$(type11 20 REP_NAK) $(sealed 40)"
	"KEYS_ACK|$(type11 21 KEYS_ACK) $(sealed 56)"
	"A MAP's signed BA|mip6.mhtype=6 mip6.ba.status=0 mip6.ba.seqnr=4660
		cbu.opt.code=2,6,7,4,3 cbu.opt.hoa=$HOA
		cbu.opt.nonce=$(pat 0x30 16) cbu.opt.dh=$(pat 0x60 32)
		cbu.opt.sig=$(pat 0x80 64) mip6.bad.auth= $CERT"
	"A MAP's MAC'd BA|mip6.mhtype=6 mip6.ba.status=0 cbu.opt.code=2,6
		cbu.opt.nonce=$(pat 0x30 16) mip6.bad.auth=$(pat 0xb0 16)
		cbu.opt.dh= cbu.opt.sig="
)
# mh-pcap broken: the expert info each packet must get (a message's
# start) and whether it is marked malformed.
broken=(
	"version 2|Version 2: cbu speaks version 1|no"
	"unknown subtype|Unknown cbu subtype|no"
	"fixed body cut short|EXCH1' needs 52 octets of fixed body, has 8|yes"
	"HoA option of 4 octets|HoA with a value of 4 octets (want 16)|yes"
	"option past the MH|Option 18 of length 32 runs past the MH|yes"
	"wrong checksum|Bad MH checksum|no"
	"BC without its MAC|BC without its Binding Authorization Data option|no"
	"HoA option of 2 octets in a BA|HoA with a value of 2 octets (want 16)|yes"
	"hdrlen past the packet|Malformed Packet (Exception occurred)|yes"
	"hdrlen short of the packet|Header length says 16 octets, the packet has 24|yes"
)

echo "KTAP version 1"
echo "1..$((${#cases[@]} + ${#broken[@]} + 3))"
n=0
skip_all() {
	local i
	for ((i = n + 1; i <= ${#cases[@]} + ${#broken[@]} + 3; i++)); do
		echo "ok $i dissector # SKIP $1"
	done
	exit 0
}
command -v tshark >/dev/null || skip_all "no tshark: make deps"
[ -x "$MH_PCAP" ] || skip_all "no $MH_PCAP: make unit-build"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$MH_PCAP" "$tmp/all.pcap" || exit 1
"$MH_PCAP" "$tmp/broken.pcap" broken || exit 1
ts() { tshark -X "lua_script:$LUA" -r "$@" 2>"$tmp/tshark.err"; }

result() {	# result OK NAME [DIAGNOSTICS, shown on failure]
	n=$((n + 1))
	if [ "$1" == 1 ]; then
		echo "ok $n $2"
	else
		[ -n "${3:-}" ] && while IFS= read -r l; do
			echo "# $l"
		done <<<"$3"
		echo "not ok $n $2"
		bad=1
	fi
}
bad=0

# Every field any case names, in one tshark run: FRAME<TAB>FIELD...
mapfile -t names < <(printf '%s\n' "${cases[@]}" | cut -d'|' -f2 |
	tr -s '[:space:]' '\n' | sed -n 's/=.*//p' | sort -u)
args=()
for f in "${names[@]}"; do
	args+=(-e "$f")
done
ts "$tmp/all.pcap" -T fields -E occurrence=a -E aggregator=, \
	-e frame.number "${args[@]}" >"$tmp/fields"
got() {	# got FRAME FIELD
	local i
	for i in "${!names[@]}"; do
		if [ "${names[i]}" == "$2" ]; then
			awk -F'\t' -v f="$1" -v c=$((i + 2)) \
				'$1 == f { print $c }' "$tmp/fields"
			return
		fi
	done
}

for i in "${!cases[@]}"; do
	frame=$((i + 1))
	name=${cases[i]%%|*}
	diag='' ok=1
	for kv in ${cases[i]#*|}; do
		f=${kv%%=*} want=${kv#*=}
		want=${want//\~/ }
		have=$(got "$frame" "$f")
		if [ "$have" != "$want" ]; then
			diag+="$f: want '$want', got '$have'"$'\n'
			ok=0
		fi
	done
	result "$ok" "fields of $name" "${diag%$'\n'}"
done

# Nothing marked, nothing raised, on what cbu's encoder writes.
ts "$tmp/all.pcap" -V >"$tmp/all.txt"
errs=$(ts "$tmp/all.pcap" -Y '_ws.malformed || _ws.expert' -T fields \
	-e frame.number -e _ws.expert.message)
result "$([ -z "$errs" ] && echo 1)" "no malformed packet, no expert info" \
	"$errs"
lua=$(grep -i -e 'lua error' -e 'malformed' "$tmp/all.txt" "$tmp/tshark.err")
result "$([ -z "$lua" ] && echo 1)" "no Lua error" "$lua"
# Without the dissector a type 11 message is Wireshark's opaque data.
plain=$(tshark -r "$tmp/all.pcap" -Y 'frame.number == 6' -T fields \
	-e mip6.mhtype -e mip6.em.data 2>/dev/null)
result "$([ "$plain" == "11	0101$(pat 0 104)" ] && echo 1)" \
	"type 11 is opaque to Wireshark alone" "$plain"

# The broken messages: each its expert info, malformed or not.
ts "$tmp/broken.pcap" -T fields -E occurrence=a -E aggregator='|' \
	-e frame.number -e _ws.expert.message -e _ws.malformed \
	>"$tmp/broken.fields"
ts "$tmp/broken.pcap" -V >"$tmp/broken.txt"
lua=$(grep -i 'lua error' "$tmp/broken.txt" "$tmp/tshark.err")
for i in "${!broken[@]}"; do
	IFS='|' read -r name msg malformed <<<"${broken[i]}"
	line=$(awk -F'\t' -v f=$((i + 1)) '$1 == f' "$tmp/broken.fields")
	IFS=$'\t' read -r _ msgs mark <<<"$line"
	ok=1
	[[ "|$msgs|" == *"|$msg|"* ]] || ok=0
	[ "$malformed" == yes ] && [ -z "$mark" ] && ok=0
	[ "$malformed" == no ] && [ -n "$mark" ] && ok=0
	[ -n "$lua" ] && ok=0
	result "$ok" "broken: $name" "got: $line${lua:+$'\n'$lua}"
done
exit "$bad"
