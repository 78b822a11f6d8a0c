/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Host external interrupts: an interrupt controller driver (PLIC today) registers itself as the
 * irqchip; device drivers attach handlers to its interrupt numbers.
 */
#ifndef VIREO_IRQ_H
#define VIREO_IRQ_H

#include <vireo/types.h>

#define IRQ_MAX 1024

typedef void (*irq_handler_fn)(unsigned int irq, void *arg);

struct irqchip {
	const char *name;
	/** Routes irq to logical cpu `cpu` and unmasks it. */
	int (*enable)(void *chip, unsigned int irq, unsigned int cpu);
	/** Claims the highest pending irq for this hart; 0 if none. */
	unsigned int (*claim)(void *chip, unsigned int cpu);
	void (*complete)(void *chip, unsigned int irq, unsigned int cpu);
	/** Per-hart setup (thresholds), run on each hart at bring-up. */
	void (*cpu_init)(void *chip, unsigned int cpu);
};

void irq_set_chip(const struct irqchip *chip, void *data);
bool irq_has_chip(void);

/** Attaches handler to irq and enables it on logical cpu `cpu`. */
int irq_attach(unsigned int irq, unsigned int cpu, irq_handler_fn handler, void *arg);

/** Per-hart irqchip setup. */
void irq_cpu_init(void);

/** External interrupt entry: claims, dispatches and completes until nothing is pending. */
void irq_handle_external(void);

#endif
