# SPDX-License-Identifier: GPL-2.0-only
# make bench: microbenchmarks, Linux boot, footprint and scale, directly on QEMU and under
# Vireo (bench/bench.py, docs/benchmarks.md). BENCH_ARGS passes options, e.g.
# BENCH_ARGS='--reps 7' or BENCH_ARGS='--only micro,linux'.
# make bench-plot: build/bench/bench.png from build/bench/results.json (gnuplot).
# make bench-profile: where one microbenchmark's instructions go under Vireo, by function
# (bench/profile.py); PROFILE_ARGS passes options, e.g. PROFILE_ARGS='--bench sbi_probe --path'.
BENCH_ARGS ?=
PROFILE_ARGS ?=
BENCH_OUT  ?= build/bench

.PHONY: bench bench-plot bench-profile
bench: all $(TESTKIT_BIN) $(LINUX_IMAGE) $(LINUX_INITRAMFS)
	$(PYTHON) bench/bench.py $(BENCH_ARGS)

bench-plot: | deps
	$(PYTHON) bench/plot.py $(BENCH_OUT)/results.json $(BENCH_OUT)/bench.png

bench-profile: all $(TESTKIT_BIN)
	$(PYTHON) bench/profile.py $(PROFILE_ARGS)
