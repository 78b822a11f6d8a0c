/* SPDX-License-Identifier: GPL-2.0-only */
/** Host (unit test) build of the irq contract: a plain flag, one "hart". */
#ifndef ARCH_HOST_IRQ_IMPL_H
#define ARCH_HOST_IRQ_IMPL_H

#include <vireo/types.h>

extern bool host_irq_on;

static inline unsigned long arch_irq_save(void)
{
	unsigned long was = host_irq_on;
	host_irq_on = false;
	return was;
}

static inline void arch_irq_restore(unsigned long flags)
{
	host_irq_on = flags != 0;
}

static inline void arch_irq_enable(void)
{
	host_irq_on = true;
}

static inline void arch_irq_disable(void)
{
	host_irq_on = false;
}

static inline bool arch_irq_enabled(void)
{
	return host_irq_on;
}

#endif
