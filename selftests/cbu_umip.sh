#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Interoperability with UMIP (mip6d, tools/testing/interop/), a Mobile IPv6
# implementation nobody here wrote, while cbu.ko holds CBU entries in every
# namespace involved (so that its hooks are registered there):
#
#  a. a UMIP mobile node registers with a UMIP home agent and does Return
#     Routability and route optimization with a UMIP correspondent, through
#     r and at cn: the binding caches of mip6d (its `bc` and `bul` on the
#     virtual terminal), the packets on the wire (BU with a 12-octet
#     Binding Authorization Data, BA, a type 2 routing header and a Home
#     Address option on the data), cbu.ko's counters (what it handed
#     back: not_cbu, transit, mh_to_socket; nothing dropped);
#  b. cbu-agent's home agent asks the UMIP correspondent for CBU (COOKIE0)
#     on behalf of its mobile node: mip6d answers with a Binding Error,
#     status 2, and the mobile node records the CN as not speaking CBU.
#
#   umn (UMIP MN)                                       uha (UMIP HA)
#   mn0 CoA from r's RAs -- r3 2001:db8:3::1   r1 2001:db8:1::1 -- ha0 2001:db8:1::2
#   HoA 2001:db8:1::10        (RAs)  \         /       home link 2001:db8:1::/64
#                                     [   r   ]
#   cmn (cbu-agent MN)               /    |    \
#   mn1 2001:db8:4::10 -- r4 2001:db8:4::1 |    r5 2001:db8:5::1 -- ha5 2001:db8:5::2
#   HoA 2001:db8:5::10                     |           cha (cbu-agent HA, 2001:db8:5::/64)
#                                 r2 2001:db8:2::1
#                                          |
#                                  cn0 2001:db8:2::20  cn (UMIP CN)
#
#   cbu.ko holds a correspondent entry for 2001:db8:9::10 (nobody's home
#   address) in umn, r, uha and cn.

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

: "${CBU_AGENT:=$TOP/agent/cbu-agent}"
: "${CBU_MIP6D:=}"

HOA=2001:db8:1::10
HA=2001:db8:1::2
CN=2001:db8:2::20
CHOA=2001:db8:5::10
CHA=2001:db8:5::2
COA2=2001:db8:4::10
NOBODY=2001:db8:9::10

tmp=$(mktemp -d)
PIDS=()
cleanup() {
	set +e
	local pid
	for pid in "${PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	agent_test_cleanup
}
trap cleanup EXIT

# run-tests names the mip6d it built: one missing then is a failure.  Run
# by hand without CBU_MIP6D, the test is skipped.
[ -n "$CBU_MIP6D" ] ||
	skip "no UMIP mip6d: set CBU_MIP6D=\$(tools/testing/interop/build-umip)"
[ -x "$CBU_MIP6D" ] || { echo "FAIL: no mip6d at CBU_MIP6D=$CBU_MIP6D"; exit 1; }
agent_test_init busybox dumpcap tshark /usr/bin/python3
modprobe -q ip6_tunnel 2>/dev/null || true
modprobe -q mip6 2>/dev/null || grep -q ' mip6_mh_filter' /proc/kallsyms ||
	skip "no Mobile IPv6 in this kernel (IPV6_MIP6)"

# --- the topology ----------------------------------------------------------

umn='' r='' uha='' cn='' cmn='' cha=''
setup_ns umn r uha cn cmn cha
link "$r" r1 2001:db8:1::1 "$uha" ha0 "$HA"
link "$r" r2 2001:db8:2::1 "$cn" cn0 "$CN"
link "$r" r3 2001:db8:3::1 "$umn" mn0 ""
link "$r" r4 2001:db8:4::1 "$cmn" mn1 "$COA2"
link "$r" r5 2001:db8:5::1 "$cha" ha5 "$CHA"
for ns in "$r" "$uha" "$cha"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.forwarding=1
done
ip -n "$uha" route add default via 2001:db8:1::1
ip -n "$cn" route add default via 2001:db8:2::1
ip -n "$cmn" route add default via 2001:db8:4::1
ip -n "$cha" route add default via 2001:db8:5::1

# cbu.ko's hooks in every namespace UMIP uses: an entry each.
head -c 32 /dev/urandom | base64 >"$tmp/k"
for ns in "$umn" "$r" "$uha" "$cn"; do
	"$CBUCTL" -n "$ns" key add "$NOBODY" "$CN" role cn k-bu "$tmp/k" \
		k-ba "$tmp/k" lt-en 1024 max-lifetime 300
done

# ra NS DEV PREFIX [HA]: Router Advertisements on DEV every 0.5 s, with
# PREFIX for autoconfiguration; with HA, as that home agent (H flag, the
# prefix with R and the full address), which mip6d's home agent needs to
# know its home prefix.  UMIP has no RA daemon of its own.  $tmp/ra-DEV
# appears once the first is sent.
ra() {
	ip netns exec "$1" /usr/bin/python3 - "$2" "$3" "${4:-}" "$tmp/ra-$2" \
		<<'PY' &
import socket, struct, sys, time
dev, prefix, ha, ready = sys.argv[1:5]
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, dev.encode())
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
idx = socket.if_nametoindex(dev)
with open(f"/sys/class/net/{dev}/address") as f:
    mac = bytes.fromhex(f.read().strip().replace(":", ""))
h = 0x20 if ha else 0
ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, h, 1800, 0, 0)
ra += struct.pack("!BB6s", 1, 1, mac)                  # source link-layer
ra += struct.pack("!BBHI", 7, 1, 0, 1000)              # interval, ms
ra += struct.pack("!BBBBIII16s", 3, 4, 64, 0xc0 | h, 86400, 14400, 0,
                  socket.inet_pton(socket.AF_INET6, ha or prefix))
if ha:
    ra += struct.pack("!BBHHH", 8, 1, 0, 0, 1800)      # home agent info
while True:
    s.sendto(ra, ("ff02::1", 0, 0, idx))
    if ready:
        open(ready, "w").close()
        ready = None
    time.sleep(0.5)
PY
	PIDS+=($!)
}

# umip_addr ADDR: ADDR as mip6d prints it (every group, in short hex);
# std_addr: back.
umip_addr() {
	/usr/bin/python3 -c 'import ipaddress, sys
print(":".join("%x" % int(g, 16) for g in
      ipaddress.ip_address(sys.argv[1]).exploded.split(":")))' "$1"
}
std_addr() {
	/usr/bin/python3 -c 'import ipaddress, sys
print(ipaddress.ip_address(sys.argv[1]))' "$1"
}

# vt NS COMMAND: what mip6d in NS answers on its virtual terminal, without
# its colours and the NUL it ends with.  mip6d takes what one read brings as one command line: the
# command goes alone, and "quit" once its answer ends with the prompt.
vt() {
	ip netns exec "$1" /usr/bin/python3 - "$2" <<'PY' 2>/dev/null |
import socket, sys
s = socket.create_connection(("localhost", 7777), timeout=5)
out = b""
def prompts(n):
    global out
    while out.count(b"mip6d> ") < n:
        data = s.recv(65536)
        if not data:
            break
        out += data
prompts(1)
s.sendall(sys.argv[1].encode() + b"\n")
prompts(2)
s.sendall(b"quit\n")
sys.stdout.write(out.decode(errors="replace"))
PY
		tr -d '\000' | sed 's/\x1b\[[0-9;]*m//g'
}

# The wire: r's links to the UMIP mobile node and correspondent.
ip netns exec "$r" dumpcap -q -i r3 -i r2 -w "$tmp/wire.pcapng" \
	2>"$tmp/dumpcap.log" &
PIDS+=($!)
busywait 30000 grep -q '^File:' "$tmp/dumpcap.log" ||
	{ cat "$tmp/dumpcap.log"; fail "dumpcap did not start"; exit 1; }

ra "$r" r3 2001:db8:3::
ra "$uha" ha0 2001:db8:1:: "$HA"

# --- a. UMIP: home registration, Return Routability, route optimization -----

cat >"$tmp/cn.conf" <<EOF
NodeConfig CN;
DebugLevel 10;
DoRouteOptimizationCN enabled;
EOF
cat >"$tmp/ha.conf" <<EOF
NodeConfig HA;
DebugLevel 10;
Interface "ha0";
UseMnHaIPsec disabled;
DefaultBindingAclPolicy allow;
EOF
cat >"$tmp/mn.conf" <<EOF
NodeConfig MN;
DebugLevel 10;
DoRouteOptimizationMN enabled;
UseCnBuAck enabled;
UseMnHaIPsec disabled;
KeyMngMobCapability disabled;
Interface "mn0";
MnHomeLink "mn0" {
	HomeAgentAddress $HA;
	HomeAddress $HOA/64;
}
EOF
mip6d() {	# mip6d NAME NS
	ip netns exec "$2" "$CBU_MIP6D" -c "$tmp/$1.conf" >"$tmp/$1.log" 2>&1 &
	PIDS+=($!)
}
started() { vt "$1" help | grep -q .; }
start_mip6d() {	# start_mip6d NAME NS
	mip6d "$@"
	busywait 20000 started "$2" || { fail "mip6d did not start in $2"; exit 1; }
}
# mip6d's home agent knows its home prefix only from the RAs on its link
# (no log line says when), and answers a BU that comes first with status
# 132, Not Home Subnet, after which mip6d's mobile node gives up: the
# mobile node starts once the home agent runs and two RAs have gone out
# since (seen on 6.1, 2026-12-06, and likely CI's failure there).
start_mip6d cn "$cn"
start_mip6d ha "$uha"
busywait 20000 test -e "$tmp/ra-ha0" || { fail "no RA on ha0"; exit 1; }
sleep 1
start_mip6d mn "$umn"

# On 6.12 mip6d's `proto mh type 5 dir in` sub-policy (a BU with a Home
# Address option) matches no BU: the home agent's kernel drops them all
# (XfrmInNoPols), where 6.1 delivers them.  A policy without the MH type,
# beside mip6d's own, lets them in; why the type no longer matches was
# not traced in the kernel.
if [ "$(uname -r | awk -F. '{print $1 * 1000 + $2}')" -gt 6001 ]; then
	for ns in "$cn" "$uha" "$umn"; do
		ip -n "$ns" xfrm policy add src ::/0 dst ::/0 proto 135 dir in \
			ptype sub priority 9 \
			tmpl src :: dst :: proto hao mode ro level use \
			tmpl src :: dst :: proto route2 mode ro level use
	done
fi

U_HOA=$(umip_addr "$HOA")
# bce_coa NS STATUS: the care-of address of the HoA's entry in the binding
# cache of mip6d in NS, if the entry has that status.
bce_coa() {
	vt "$1" bc | grep -A1 "hoa $U_HOA status $2" |
		sed -n 's/^ coa \([^ ]*\) .*/\1/p'
}
bce_is() { [ -n "$(bce_coa "$@")" ]; }
# expect_bce WHAT NS STATUS LOG...: the entry comes within 60 s (CI's
# slowest hosts run the guest 2.6 times slower than ours).
expect_bce() {
	local what=$1 ns=$2 status=$3
	shift 3
	if busywait 60000 bce_is "$ns" "$status"; then
		pass "umip: $what"
	else
		fail "umip: not $what"
		echo "# mip6d's binding cache:"
		vt "$ns" bc
		tail -n 30 "$@"
	fi
}
expect_bce "registered with the home agent" "$uha" registered \
	"$tmp/mn.log" "$tmp/ha.log"
u_coa=$(bce_coa "$uha" registered)
coa=$(std_addr "${u_coa:-::}")

# Traffic from the CN reaches the mobile node through the home agent's
# tunnel, and the mobile node starts route optimization with the CN.
ping_umn() {
	ip netns exec "$cn" busybox ping -6 -q -c "$1" -i 0.2 -W 2 "$HOA" 2>&1 |
		grep -q "$1 packets transmitted, $1 packets received"
}
busywait 20000 ping_umn 1 || fail "umip: HoA unreachable through the home agent"
# mip6d starts Return Routability on the CN's tunnelled traffic: a ping
# every second until the CN has the binding, as a user's traffic would.
ip netns exec "$cn" busybox ping -6 -q -i 1 -W 1 "$HOA" >/dev/null 2>&1 &
rr_ping=$!
PIDS+=("$rr_ping")
expect_bce "route-optimized at the correspondent" "$cn" cached \
	"$tmp/mn.log" "$tmp/cn.log"
kill "$rr_ping" 2>/dev/null || true
wait "$rr_ping" 2>/dev/null || true
check_eq "umip: the CN's binding names the CoA" "$u_coa" \
	"$(bce_coa "$cn" cached)"
check_eq "umip: the mobile node's binding update list has the CN" 1 \
	"$(vt "$umn" bul | grep -c "^CN address *$(umip_addr "$CN")\$")"
ping_umn 3 || fail "umip: HoA unreachable after route optimization"
ip netns exec "$umn" busybox ping -6 -q -c 2 -i 0.2 -W 2 -I "$HOA" "$CN" \
	>/dev/null 2>&1 || fail "umip: the CN unreachable from the HoA"

# --- b. cbu-agent's home agent, UMIP's correspondent: Binding Error 2 ------

agent_pki 2001:db8:5::/64 "$CN"
agent_secret mn
{
	conf_mn "$CHOA" "$CHA" "$tmp/mn.secret"
	printf 'interface = mn1\nlifetime = 120\n'
} >"$tmp/cmn.conf"
{
	conf_ha "$CHA" 2001:db8:5::/64 ha5
	echo "mobile-node = $CHOA $tmp/mn.secret"
} >"$tmp/cha.conf"
agent_start cha "$cha"
agent_start cmn "$cmn"
mn=$cmn
if busywait 20000 registered; then
	pass "cbu-agent: the mobile node registered at home"
else
	fail "cbu-agent: no registration"; cat "$tmp/cmn.log" "$tmp/cha.log"
fi
"$CBUCTL" -n "$cmn" ro start "$CN" >/dev/null
if busywait 20000 is_state "$CN" no-cbu; then
	pass "cbu-agent: UMIP's Binding Error status 2 recorded: no CBU"
else
	fail "cbu-agent: the UMIP CN: $(ro_state "$CN")"
	tail -n 20 "$tmp/cha.log" "$tmp/cn.log"
fi
check_eq "cbu-agent: the home agent counted it" 1 \
	"$(st "$cha" .home_agent.no_cbu)"
check_eq "umip: the CN sent the Binding Errors" 1 \
	"$(vt "$cn" stats | sed -n '/^Output/,$p' |
	   awk '$2 == "BE" {print ($1 >= 1)}')"

# --- the wire, the counters ------------------------------------------------

sleep 0.5
kill -INT "${PIDS[0]}"
wait "${PIDS[0]}" 2>/dev/null || true
tshark -n -r "$tmp/wire.pcapng" -Y 'mipv6 or icmpv6.type == 128 or icmpv6.type == 129' -T fields \
	-E separator=';' -e frame.interface_name -e ipv6.src -e ipv6.dst \
	-e mip6.mhtype -e mip6.bad.auth -e mip6.ba.status -e mip6.be.status \
	-e ipv6.routing.type -e ipv6.opt.mipv6.home_address \
	>"$tmp/wire.txt" 2>"$tmp/tshark.log" || cat "$tmp/tshark.log"
wire_ok=true
seen() {	# seen WHAT REGEX: a frame's fields match REGEX
	if grep -qE "$2" "$tmp/wire.txt"; then
		pass "wire: $1"
	else
		fail "wire: $1"
		wire_ok=false
	fi
}
C=$CN
A='([0-9a-f]{24}|[0-9a-f:]{35})'	# 12 octets
seen "HoTI from the HoA, through the home agent" "^r2;$HOA;$C;1;"
seen "CoTI from the CoA" "^r2;$coa;$C;2;"
seen "HoT to the HoA" "^r2;$C;$HOA;3;"
seen "CoT to the CoA" "^r2;$C;$coa;4;"
seen "BU from the CoA with a 12-octet Binding Authorization Data" \
	"^r2;$coa;$C;5;$A;"
seen "BA status 0 with its Binding Authorization Data, to the CoA" \
	"^r2;$C;$coa;6;$A;0;"
seen "the CN's data to the HoA in a type 2 routing header" \
	"^r3;$C;$coa;;;;;2;"
seen "the MN's data from the CoA with a Home Address option" \
	"^r3;$coa;$C;;;;;;$HOA\$"
seen "Binding Error status 2 to cbu-agent's HoA" "^r2;$C;$CHOA;7;;;2;"
$wire_ok || { echo "# the wire:"; head -n 60 "$tmp/wire.txt"; }

for ns in "$umn" "$r" "$uha" "$cn"; do
	"$CBUCTL" -n "$ns" -j stats >"$tmp/stats"
	name=${ns%-*}
	# not_cbu: standard MH handed back; transit: MH for elsewhere and
	# packets with a routing header still to process (the BAs and data
	# to the care-of address, in a type 2 routing header); mh_to_socket:
	# cbu-agent's COOKIE0 to the CN, left to mip6d's socket.
	check_eq "cbu.ko in $name: nothing but what it handed back counted" \
		"" "$(jqv -r 'to_entries[] | select(.value != 0 and
		   .key != "not_cbu" and .key != "transit" and
		   .key != "mh_to_socket") |
		   "\(.key)=\(.value)"' "$tmp/stats" | tr '\n' ' ')"
	got=$(jqv -r '.not_cbu // 0' "$tmp/stats")
	case $name in
	umn) want=2 ;;	# HoT and CoT (the BAs come in a routing header)
	uha) want=1 ;;	# the home registration's BU
	cn) want=1 ;;	# Return Routability's BU
	*) want=0 ;;	# r forwards, its hooks see nothing of its own
	esac
	check_eq "cbu.ko in $name: standard BUs and BAs handed back" true \
		"$([ "$got" -ge "$want" ] && echo true || echo "false ($got)")"
done

agents_stop
agents_clean cmn cha
check_dmesg "no kernel complaints"
exit $RET
