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

void arch_timer_set_deadline(uint64_t deadline)
{
	if (use_sstc) {
		csr_write(CSR_STIMECMP, deadline);
	} else {
		sbi_set_timer(deadline);
	}
}

const char *arch_timer_method(void)
{
	return use_sstc ? "sstc" : "sbi";
}
