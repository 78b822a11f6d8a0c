/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Arch contract: masking this hart's interrupts. Implemented as static inlines by
 * <arch/irq_impl.h> of the architecture being built:
 *   unsigned long arch_irq_save(void);       mask, return the previous state
 *   void arch_irq_restore(unsigned long);    restore a state from arch_irq_save
 *   void arch_irq_enable(void);
 *   void arch_irq_disable(void);
 *   bool arch_irq_enabled(void);
 * Callable from any context.
 */
#ifndef VIREO_ARCH_IRQ_H
#define VIREO_ARCH_IRQ_H

#include <vireo/types.h>
#include <arch/irq_impl.h>

#endif
