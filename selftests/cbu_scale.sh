#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 10,000 binding cache entries in one network namespace: all of them are
# dumped, the namespace is deleted with them in it, and the module unloads
# with nothing leaked (its slab caches empty, no complaint from
# kmem_cache_destroy(), nothing in the kernel log).
#
#   big (no links: the entries need none)

set -e
# shellcheck source=selftests/lib.sh
source "$(dirname "$0")/lib.sh"

N=10000
CN=2001:db8:2::20
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
[ -r /proc/slabinfo ] || skip "no /proc/slabinfo"
dmesg_mark
cbu_load

# Active objects of one of the module's slab caches (vm-run boots with
# slab_nomerge, so they are not folded into kmalloc's).  Shrinking first
# returns what the per-CPU slabs hold, which slabinfo counts as active.
slab_objs() {
	[ -w "/sys/kernel/slab/$1/shrink" ] && echo 1 >"/sys/kernel/slab/$1/shrink"
	awk -v c="$1" '$1 == c {print $2; f = 1} END {if (!f) print 0}' \
		/proc/slabinfo
}

big=''
setup_ns big
head -c 32 /dev/urandom | base64 >"$tmp/k_bu"
head -c 32 /dev/urandom | base64 >"$tmp/k_ba"
cbuctl -n "$big" param set capacity $((N + 10))
for i in $(seq 1 $N); do
	printf 'key add 2001:db8:1::%x %s role cn k-bu %s k-ba %s lt-en 600\n' \
		"$i" "$CN" "$tmp/k_bu" "$tmp/k_ba"
done >"$tmp/batch"
start=$(date +%s)
cbuctl -n "$big" -b "$tmp/batch"
echo "# $N entries added in $(( $(date +%s) - start )) s"

check_eq "entries counted" "$N" "$(cbuctl -n "$big" -j param show | jq .entries)"
check_eq "entries dumped" "$N" "$(cbuctl -n "$big" -j binding show | jq length)"
check_eq "every entry dumped once" "$N" \
	"$(cbuctl -n "$big" -j binding show | jq '[.[].hoa] | unique | length')"
objs=$(slab_objs cbu_bce)
if [ "$objs" -ge "$N" ]; then
	pass "cbu_bce slab holds the entries ($objs objects)"
else
	fail "cbu_bce slab holds $objs objects for $N entries"
fi

# Past the capacity: refused, and the cache is as it was.
cbuctl -n "$big" param set capacity "$N"
if cbuctl -n "$big" key add 2001:db8:1::ffff "$CN" role cn \
	k-bu "$tmp/k_bu" k-ba "$tmp/k_ba" 2>"$tmp/err"; then
	fail "capacity: entry $((N + 1)) accepted"
else
	check_eq "capacity: clear refusal" \
		"binding cache full: raise its capacity" \
		"$(grep -o 'binding cache full[^(]*' "$tmp/err" | sed 's/ *$//')"
fi
check_eq "capacity: nothing added" "$N" \
	"$(cbuctl -n "$big" -j param show | jq .entries)"

# The namespace goes with its 10,000 entries in it.
cleanup_ns
empty() { [ "$(slab_objs cbu_bce)" = 0 ] && [ "$(slab_objs cbu_bce_keys)" = 0 ]; }
if busywait 20000 empty; then
	pass "entries and keys freed with the namespace"
else
	fail "left after the namespace: $(slab_objs cbu_bce) entries, $(slab_objs cbu_bce_keys) keys"
fi

cbu_unload
if cbu_loaded; then
	fail "cbu.ko still loaded"
else
	pass "cbu.ko unloaded"
fi
check_dmesg "no warning or leak report in the kernel log"
exit $RET
