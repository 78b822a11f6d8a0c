#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs the libFuzzer harnesses built in $FUZZ_BUILD/bin, default build/fuzz (docs/testing.md,
# "Fuzzing").
#
#   run.sh fuzz SECONDS NAME...  fuzz each harness for SECONDS, new inputs kept in
#                                build/fuzz/<name>/corpus, crashes in build/fuzz/<name>/
#   run.sh smoke RUNS NAME...    each committed seed once, then RUNS fuzzing iterations with a
#                                fixed seed; fails if any harness crashes
#
# Seeds come from tests/fuzz/corpus/<name>/, the dictionary from tests/fuzz/<name>.dict.
set -u
mode=$1; amount=$2; shift 2
out=${FUZZ_BUILD:-build/fuzz}
bin_dir=$out/bin
failed=()

# The last libFuzzer status line ("#1234 NEW cov: 56 ft: 78 corp: 9/10b ... exec/s: 11").
status_line() {
	grep -E '^#[0-9]+' "$1" | tail -n1
}

# The reproducer path libFuzzer printed, if any.
artifact() {
	sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$1" | tail -n1
}

# Seconds since the epoch with a fraction, for the timing column only.
now() {
	date +%s.%N
}

for name in "$@"; do
	bin=$bin_dir/$name
	seeds=tests/fuzz/corpus/$name
	dict=()
	[ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
	if [ ! -x "$bin" ] || [ ! -d "$seeds" ]; then
		echo "fuzz: $name: missing $bin or $seeds" >&2
		failed+=("$name")
		continue
	fi
	if [ "$mode" = smoke ]; then
		work=$out/smoke/$name
	else
		work=$out/$name
	fi
	rm -rf "$work/new" && mkdir -p "$work/corpus" "$work/new"
	log=$work/$mode.log
	start=$(now)
	if [ "$mode" = smoke ]; then
		# New inputs go to a scratch directory, never into the committed corpus.
		"$bin" -runs="$amount" -seed=1 -artifact_prefix="$work/" "${dict[@]}" \
			"$work/new" "$seeds" >"$log" 2>&1
		rc=$?
	else
		echo "fuzz: $name for ${amount}s (log $log)"
		"$bin" -max_total_time="$amount" -use_value_profile=1 -print_final_stats=1 \
			-artifact_prefix="$work/" "${dict[@]}" "$work/corpus" "$seeds" >"$log" 2>&1 &
		pid=$!
		# Check every second (a run ends on time), report progress every 10.
		ticks=0
		while kill -0 "$pid" 2>/dev/null; do
			sleep 1
			ticks=$((ticks + 1))
			if [ $((ticks % 10)) -eq 0 ] && kill -0 "$pid" 2>/dev/null; then
				echo "  $name: $(status_line "$log")"
			fi
		done
		wait "$pid"
		rc=$?
	fi
	secs=$(awk -v a="$start" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
	seed_count=$(find "$seeds" -type f | wc -l)
	if [ $rc -ne 0 ]; then
		failed+=("$name")
		echo "fuzz: $name FAILED after ${secs}s (exit $rc); reproducer: $(artifact "$log")"
		echo "  reproduce: $bin $(artifact "$log")"
		grep -E '(^==[0-9]+==ERROR|^SUMMARY|runtime error|invariant violated)' "$log" | head -n3 | sed 's/^/  /'
	else
		echo "fuzz: $name ok, $seed_count seeds, ${secs}s: $(status_line "$log")"
	fi
done

if [ ${#failed[@]} -ne 0 ]; then
	echo "fuzz: failing harnesses: ${failed[*]} (inputs in $out/)" >&2
	exit 1
fi
echo "fuzz: $# harnesses, none crashed"
