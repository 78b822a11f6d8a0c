#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs every unit-test binary given, prints each one's cmocka report and a total line.
set -u
passed=0; failed=0; bad_bins=()
for bin in "$@"; do
	out=$("$bin" 2>&1); rc=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n1)
	passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
	if [ $rc -ne 0 ] || [ -z "$p" ]; then
		bad_bins+=("$(basename "$bin") (exit $rc)")
		[ -z "$f" ] && failed=$((failed + 1))
	fi
done
echo "unit: $passed passed, $failed failed"
if [ ${#bad_bins[@]} -ne 0 ]; then
	echo "unit: failing binaries: ${bad_bins[*]}" >&2
	exit 1
fi
