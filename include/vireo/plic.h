/* SPDX-License-Identifier: GPL-2.0-only */
/** Host driver for the RISC-V PLIC (RISC-V PLIC specification v1.0.0). */
#ifndef VIREO_PLIC_H
#define VIREO_PLIC_H

#include <vireo/irq.h>
#include <vireo/percpu.h>

struct plic {
	uintptr_t base;
	unsigned int source_count;
	int context[VIREO_MAX_CPUS]; /**< S-mode context of each logical cpu, -1 if none */
};

/** irqchip operations for a struct plic. */
extern const struct irqchip plic_irqchip;

/** Masks every source on every known context. */
void plic_init(struct plic *p);

#endif
