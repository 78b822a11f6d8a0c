/* SPDX-License-Identifier: GPL-2.0-only */
/** RISC-V implementation of the irq contract: sstatus.SIE masks every S-level interrupt. */
#ifndef ARCH_RISCV_IRQ_IMPL_H
#define ARCH_RISCV_IRQ_IMPL_H

#include <vireo/types.h>
#include <arch/csr.h>

static inline unsigned long arch_irq_save(void)
{
	return csr_read_clear(CSR_SSTATUS, SSTATUS_SIE) & SSTATUS_SIE;
}

static inline void arch_irq_restore(unsigned long flags)
{
	if (flags & SSTATUS_SIE) {
		csr_set(CSR_SSTATUS, SSTATUS_SIE);
	}
}

static inline void arch_irq_enable(void)
{
	csr_set(CSR_SSTATUS, SSTATUS_SIE);
}

static inline void arch_irq_disable(void)
{
	csr_clear(CSR_SSTATUS, SSTATUS_SIE);
}

static inline bool arch_irq_enabled(void)
{
	return (csr_read(CSR_SSTATUS) & SSTATUS_SIE) != 0;
}

#endif
