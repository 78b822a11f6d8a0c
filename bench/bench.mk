# SPDX-License-Identifier: GPL-2.0-only
# make bench: the test kit's bench mode directly on QEMU and under Vireo (bench/bench.py,
# docs/benchmarks.md). BENCH_ARGS passes options, e.g. BENCH_ARGS='--reps 7'.
BENCH_ARGS ?=

.PHONY: bench
bench: all $(TESTKIT_BIN)
	$(PYTHON) bench/bench.py $(BENCH_ARGS)
