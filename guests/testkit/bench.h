/* SPDX-License-Identifier: GPL-2.0-only */
/** The bench mode's shared declarations (bench.c): counters, result lines, the second hart. */
#ifndef TESTKIT_BENCH_H
#define TESTKIT_BENCH_H

#include "testkit.h"

/** One reading of the three counters a guest may read (cycle, time, instret). */
struct bench_counters {
	uint64_t instret;
	uint64_t cycles;
	uint64_t time;
};

static inline uint64_t rdinstret(void)
{
	uint64_t v;

	__asm__ volatile("rdinstret %0" : "=r"(v) : : "memory");
	return v;
}

static inline uint64_t rdcycle(void)
{
	uint64_t v;

	__asm__ volatile("rdcycle %0" : "=r"(v) : : "memory");
	return v;
}

/** instret, then cycle, then time; zeros for counters the platform does not let us read. */
void bench_read(struct bench_counters *c);

/** True if both instret and cycle can be read (probed once at start). */
bool bench_counters_readable(void);

/** @end - @start, counter by counter. */
struct bench_counters bench_delta(const struct bench_counters *start,
                                  const struct bench_counters *end);

/**
 * Prints "BENCH <name> iters=<n> instret=<x> cycles=<x> time_ns=<x>", each per operation
 * (@total / @iters, one decimal), followed by @extra (may be NULL or "").
 */
void bench_report(const char *name, uint64_t iters, const struct bench_counters *total,
                  const char *extra);
/** Prints "BENCH <name> skip <reason>". */
void bench_skip(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** @value / @div with one decimal, as "12.3", into @buf. */
void bench_fmt_div(char *buf, size_t size, uint64_t value, uint64_t div);
/** Nanoseconds in @ticks of the time CSR, times ten (one decimal place kept). */
uint64_t bench_ns10_from_ticks(uint64_t ticks);

/** Fault-probed reads of a CSR the platform may refuse: false if reading it trapped. */
bool bench_can_read_stimecmp(void);
/** True if the riscv,isa string names multi-letter extension @ext (e.g. "sstc"). */
bool bench_isa_has(const char *ext);

/** The second hart's job: runs on tk_harts[1], then the hart stops itself. */
typedef void (*bench_secondary_fn)(struct tk_hart *h);
/** Starts tk_harts[1] running @fn; false (and a reason) if it did not start within 5 s. */
bool bench_secondary_start(bench_secondary_fn fn, char *why, size_t why_size);
/** Waits (5 s at most) until tk_harts[1] is STOPPED again. */
bool bench_secondary_wait_stopped(char *why, size_t why_size);

/** SBI IPI send_ipi to one hart. */
long bench_send_ipi(uint64_t hartid);

/** Entry of a hart started by bench_secondary_start (bench_entry.S); a1 = its struct tk_hart. */
void bench_secondary_entry(void);
void bench_secondary_main(struct tk_hart *h) __attribute__((noreturn));

/** The kit's own trap vector (entry.S). */
void tk_trap_vector(void);

/** The timer benchmark's trap vector (bench_entry.S) and what it records at entry. */
void bench_timer_vector(void);
struct bench_irq_stamp {
	volatile uint64_t instret, cycles, time, scause, fired;
};
extern struct bench_irq_stamp bench_irq;

/* The benchmarks, in the order they run. */
void bench_sbi_probe(void);
void bench_mmio_read(void);
void bench_timer_irq(void);
void bench_timer_irq_sbi(void);
void bench_ipi_rtt(void);
void bench_vcpu_switch(void);
void bench_stage2_fault(void);
void bench_blk_read(void);

#endif
