#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - run cbu's kselftests and print TAP 13 as kselftest's runner does:
# each test's output as "# " lines, then "ok N selftests: cbu: NAME", with
# "# SKIP" for exit 4 and "not ok ... # exit=N" (or "# TIMEOUT") otherwise.
#
# Usage: run.sh [TEST...]   (default: TEST_PROGS of the Makefile)

HERE=$(cd "$(dirname "$0")" && pwd)
timeout=$(sed -n 's/^timeout=//p' "$HERE/settings" 2>/dev/null)
: "${timeout:=300}"

if [ $# -gt 0 ]; then
	tests=("$@")
else
	read -r -a tests <<<"$(make -s -C "$HERE" list)"
fi

echo "TAP version 13"
echo "1..${#tests[@]}"
n=0
for t in "${tests[@]}"; do
	n=$((n + 1))
	echo "# selftests: cbu: $t"
	timeout -k 10 "$timeout" "$HERE/$t" 2>&1 | sed -u 's/^/# /'
	rc=${PIPESTATUS[0]}
	case $rc in
	0) echo "ok $n selftests: cbu: $t" ;;
	4) echo "ok $n selftests: cbu: $t # SKIP" ;;
	124) echo "not ok $n selftests: cbu: $t # TIMEOUT ${timeout} seconds" ;;
	*) echo "not ok $n selftests: cbu: $t # exit=$rc" ;;
	esac
done
