/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Timer interrupt latency: how late, after its deadline, a supervisor timer interrupt reaches
 * the first instructions of the guest's trap vector.
 *
 * Method, per sample: arm the timer TIMER_LEAD_US ahead (Sstc stimecmp or SBI set_timer),
 * enable sie.STIE and sstatus.SIE, and spin reading instret, cycle and time. The trap vector
 * (bench_timer_vector) stamps the three counters in its first instructions.
 *  - time_ns: handler time - deadline. Directly observable; its resolution is one tick of the
 *    time CSR (100 ns at QEMU virt's 10 MHz).
 *  - instret, cycles: handler counter - the counter at the deadline, which no instruction can
 *    read exactly. The spin loop supplies it: its first sample that saw time >= deadline if
 *    the loop kept running past the deadline, else its last sample (which saw time < deadline).
 *    The error is at most one spin iteration (printed as spin=, instructions per iteration).
 * "early" counts interrupts taken before their deadline (a bug if non-zero), "seen_due" the
 * samples where the loop saw the deadline pass before the interrupt arrived.
 */
#include "bench.h"
#include "csr.h"
#include "sbi.h"

#define CSR_STIMECMP  0x14d
#define TIMER_WARMUP  5
#define TIMER_ITERS   100
#define TIMER_LEAD_US 50
#define TIMER_WAIT_MS 1000

struct bench_irq_stamp bench_irq;

struct sample {
	uint64_t instret, cycles, time;
};

struct timer_stats {
	struct bench_counters total;
	uint64_t spin_instret, spin_iters;
	unsigned int early, seen_due, lost;
};

static void arm(bool sstc, uint64_t deadline)
{
	if (sstc) {
		csr_write(CSR_STIMECMP, deadline);
	} else {
		sbi_set_timer(deadline);
	}
}

static void one_sample(bool sstc, struct timer_stats *st)
{
	struct sample last, due = {0, 0, 0};
	bool due_seen = false;
	uint64_t iters = 0;

	bench_irq.fired = 0;
	csr_write(CSR_SIE, SIP_STIP);
	uint64_t deadline = rdtime() + tk_ticks_from_us(TIMER_LEAD_US);
	uint64_t giveup = deadline + tk_ticks_from_us(TIMER_WAIT_MS * 1000);

	arm(sstc, deadline);
	last = (struct sample){rdinstret(), rdcycle(), rdtime()};
	uint64_t first_instret = last.instret;

	irq_enable();
	while (!bench_irq.fired) {
		struct sample s = {rdinstret(), rdcycle(), rdtime()};

		if (!due_seen) {
			if (s.time >= deadline) {
				due = s;
				due_seen = true;
			} else {
				last = s;
				iters++;
			}
		}
		if (s.time > giveup) {
			break;
		}
	}
	irq_disable();
	if (!bench_irq.fired) {
		st->lost++;
		return;
	}
	const struct sample *ref = due_seen ? &due : &last;

	st->seen_due += due_seen;
	st->total.instret += bench_irq.instret - ref->instret;
	st->total.cycles += bench_irq.cycles - ref->cycles;
	if (bench_irq.time < deadline) {
		st->early++;
	} else {
		st->total.time += bench_irq.time - deadline;
	}
	st->spin_instret += last.instret - first_instret;
	st->spin_iters += iters;
}

static void run(const char *name, bool sstc)
{
	struct timer_stats st = {0};
	char extra[128], spin[32];

	csr_write(CSR_STVEC, (uintptr_t)bench_timer_vector);
	for (unsigned int i = 0; i < TIMER_WARMUP; i++) {
		one_sample(sstc, &st);
	}
	st = (struct timer_stats){0};
	for (unsigned int i = 0; i < TIMER_ITERS; i++) {
		one_sample(sstc, &st);
	}
	csr_write(CSR_SIE, 0);
	if (sstc) {
		csr_write(CSR_STIMECMP, UINT64_MAX);
	}
	csr_write(CSR_STVEC, (uintptr_t)tk_trap_vector);
	if (st.lost != 0) {
		tk_printf("BENCH %s fail %u of %u timer interrupts not taken within 1 s\n", name,
		          st.lost, TIMER_ITERS);
		return;
	}
	bench_fmt_div(spin, sizeof(spin), st.spin_instret, st.spin_iters);
	tk_snprintf(extra, sizeof(extra), "via=%s spin=%s early=%u seen_due=%u",
	            sstc ? "sstc" : "sbi", spin, st.early, st.seen_due);
	bench_report(name, TIMER_ITERS, &st.total, extra);
}

static bool use_sstc(void)
{
	return bench_isa_has("sstc") && bench_can_read_stimecmp();
}

void bench_timer_irq(void)
{
	if (!bench_counters_readable()) {
		bench_skip("timer_irq", "instret or cycle not readable");
		return;
	}
	run("timer_irq", use_sstc());
}

void bench_timer_irq_sbi(void)
{
	if (!bench_counters_readable()) {
		bench_skip("timer_irq_sbi", "instret or cycle not readable");
		return;
	}
	run("timer_irq_sbi", false);
}
