#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kat_fresh_test.sh - kernel/tests/kat_vectors.h is what gen_kat.py
# generates: a hand edit or a changed generator left unregenerated would
# otherwise pin the userspace and KUnit tests to vectors nobody can
# reproduce.  Prints KTAP.

set -uo pipefail

cd "$(dirname "$0")/../../.." || exit 1

echo "KTAP version 1"
echo "1..1"
if ! command -v python3 >/dev/null; then
	echo "ok 1 kat_vectors_fresh # SKIP no python3"
	exit 0
fi
if out=$(python3 kernel/tests/gen_kat.py \
	--check kernel/tests/kat_vectors.h 2>&1); then
	echo "ok 1 kat_vectors_fresh"
else
	while IFS= read -r line; do
		echo "# $line"
	done <<<"$out"
	echo "not ok 1 kat_vectors_fresh"
	exit 1
fi
