#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# completion_test.sh CBUCTL - tools/completion/cbuctl, sourced in bash with
# bash-completion as an interactive shell has it: COMP_WORDS and
# COMP_CWORD set by hand, COMPREPLY compared with what it must be.
# Network namespace names come from a fake `ip` first on PATH.  Prints
# KTAP.

set -uo pipefail

cd "$(dirname "$0")/../../.." || exit 1
TOP=$PWD
CBUCTL=$(realpath "${1:-tools/cbuctl}")
BASH_COMPLETION=/usr/share/bash-completion/bash_completion

cases=(
	# words (the last is the one completed) | the completions, sorted
	"cbuctl ''|agent binding cert help home key map mn monitor own param ro stats version"
	"cbuctl -|-V -b -h -j -n -p -s -t"
	"cbuctl -j -p b|binding"
	"cbuctl key ''|add change del help replace"
	"cbuctl key add 2001:db8:1::10 2001:db8:2::20 ''|k-ba k-bu lt-en max-lifetime reqid role"
	"cbuctl key add 2001:db8:1::10 2001:db8:2::20 role ''|cn mn"
	"cbuctl key add 2001:db8:1::10 2001:db8:2::20 role cn k-bu ''|dir/ k_ba.key k_bu.key"
	"cbuctl key add 2001:db8:1::10 2001:db8:2::20 role cn k-bu k_bu.key ''|k-ba lt-en max-lifetime reqid"
	"cbuctl param set bc-packets 10 ''|bc-timeout capacity event-rate max-lifetime"
	"cbuctl param set bc-timeout ''|"
	"cbuctl monitor ''|all events help mh"
	"cbuctl cert ''|genkey help issue pubkey show verify"
	"cbuctl cert show k_b|k_ba.key k_bu.key"
	"cbuctl ro st|start stop"
	"cbuctl -n ''|blue red-1"
	"cbuctl -n r|red-1"
	"cbuctl -n blue binding ''|del help show"
	"cbuctl -b k_bu|k_bu.key"
	"cbuctl map ''|binding del help set show"
	"cbuctl map binding ''|add del help show"
	"cbuctl map set ''|address interface rcoa-prefix tunnel"
	"cbuctl map set interface ''|d0 lo"
	"cbuctl -n blue map set interface ''|b0 lo"
	"cbuctl map set interface d0 ''|address interface rcoa-prefix tunnel"
	"cbuctl map set interface d0 tunnel d|d0"
	"cbuctl map set tunnel d0 ''|address interface rcoa-prefix"
)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/files/dir"
touch "$tmp/files/k_ba.key" "$tmp/files/k_bu.key"
ln -s "$CBUCTL" "$tmp/bin/cbuctl"
# `ip netns list` as iproute2 prints it, ids and all; `ip -o link show`
# (in namespace blue with -n blue), a veth's peer after its name.
cat >"$tmp/bin/ip" <<'FAKE'
#!/bin/sh
[ "$1 $2" = "netns list" ] && printf 'red-1 (id: 0)\nblue\n'
[ "$1 $2 $3" = "-o link show" ] &&
	printf '1: lo: <LOOPBACK,UP> mtu 65536\n2: d0@if3: <UP> mtu 1500\n'
[ "$1 $2 $3 $4 $5" = "-n blue -o link show" ] &&
	printf '1: lo: <LOOPBACK,UP> mtu 65536\n4: b0: <UP> mtu 1500\n'
exit 0
FAKE
chmod +x "$tmp/bin/ip"

echo "KTAP version 1"
echo "1..${#cases[@]}"
if [ ! -r "$BASH_COMPLETION" ]; then
	for i in "${!cases[@]}"; do
		echo "ok $((i + 1)) completion # SKIP no bash-completion: make deps"
	done
	exit 0
fi

bad=0
for i in "${!cases[@]}"; do
	words=${cases[i]%%|*}
	want=${cases[i]#*|}
	got=$(cd "$tmp/files" && PATH=$tmp/bin:$PATH bash --norc -c '
		. "$1"; . "$2"
		eval "COMP_WORDS=($3)"
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="${COMP_WORDS[*]}"; COMP_POINT=${#COMP_LINE}
		COMPREPLY=()
		_cbuctl cbuctl "${COMP_WORDS[COMP_CWORD]}" \
			"${COMP_WORDS[COMP_CWORD - 1]}"
		# compgen -f gives a folder without its slash; a shell adds it.
		for w in "${COMPREPLY[@]}"; do
			[ -d "$w" ] && w=$w/
			printf "%s\n" "$w"
		done | sort | tr "\n" " "' _ "$BASH_COMPLETION" \
		"$TOP/tools/completion/cbuctl" "$words" 2>&1)
	got=${got% }
	name="complete ${words//\'\'/\"\"}"
	if [ "$got" = "$want" ]; then
		echo "ok $((i + 1)) $name"
	else
		echo "# want: $want"
		echo "# got:  $got"
		echo "not ok $((i + 1)) $name"
		bad=1
	fi
done
exit "$bad"
