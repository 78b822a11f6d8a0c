/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Per-hart one-shot timer: the Sstc stimecmp CSR when the hart has it and the firmware lets
 * S-mode use it (menvcfg.STCE), else the SBI TIME extension (SBI spec 6).
 */
#include <arch/csr.h>
#include <arch/sbi.h>
#include <arch/trap.h>
#include <vireo/arch/irq.h>
#include <vireo/arch/timer.h>
#include <vireo/percpu.h>
#include <vireo/errno.h>

static bool use_sstc;

uint64_t arch_timer_ticks(void)
{
	return csr_read(CSR_TIME);
}

static void touch_stimecmp(void)
{
	csr_write(CSR_STIMECMP, UINT64_MAX);
}

int arch_timer_probe(void)
{
	unsigned long flags = arch_irq_save();
	use_sstc = arch_trap_probe(touch_stimecmp);
	arch_irq_restore(flags);
	if (!use_sstc && !sbi_has_extension(SBI_EXT_TIME)) {
		return VIREO_ENOTSUP;
	}
	return 0;
}

/* Per hart: the SBI timer was left armed in the past with STIE masked (see below). */
static bool sbi_timer_parked[VIREO_MAX_CPUS];

void arch_timer_set_deadline(uint64_t deadline)
{
	if (use_sstc) {
		csr_write(CSR_STIMECMP, deadline);
		return;
	}
	/*
	 * Disarming through the SBI is a round trip into the firmware; after a timer interrupt
	 * with nothing left to wait for, masking STIE does the same job for free: the pending
	 * STIP stays, unseen, until the next arming clears it (SBI spec 6.1: set_timer clears
	 * the pending timer interrupt) and unmasks again.
	 */
	unsigned int cpu = this_cpu_id();
	if (deadline == UINT64_MAX) {
		csr_clear(CSR_SIE, SIE_STIE);
		sbi_timer_parked[cpu] = true;
		return;
	}
	sbi_set_timer(deadline);
	if (sbi_timer_parked[cpu]) {
		sbi_timer_parked[cpu] = false;
		csr_set(CSR_SIE, SIE_STIE);
	}
}

const char *arch_timer_method(void)
{
	return use_sstc ? "sstc" : "sbi";
}
