/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * RISC-V PLIC (PLIC spec v1.0.0, chapter 3 memory map): priorities at 0x0, enables at
 * 0x2000 + 0x80 * context, threshold and claim/complete at 0x200000 + 0x1000 * context.
 */
#include <vireo/errno.h>
#include <vireo/plic.h>

#define PLIC_PRIORITY(irq)    (0x0U + 4U * (irq))
#define PLIC_ENABLE(ctx, irq) (0x2000U + 0x80U * (ctx) + 4U * ((irq) / 32U))
#define PLIC_THRESHOLD(ctx)   (0x200000U + 0x1000U * (ctx))
#define PLIC_CLAIM(ctx)       (0x200004U + 0x1000U * (ctx))

static volatile uint32_t *reg(const struct plic *p, uint32_t off)
{
	return (volatile uint32_t *)(p->base + off);
}

void plic_init(struct plic *p)
{
	for (unsigned int cpu = 0; cpu < VIREO_MAX_CPUS; cpu++) {
		if (p->context[cpu] < 0) {
			continue;
		}
		unsigned int ctx = (unsigned int)p->context[cpu];
		for (unsigned int w = 0; w <= p->source_count / 32; w++) {
			*reg(p, PLIC_ENABLE(ctx, w * 32)) = 0;
		}
	}
}

static int plic_enable(void *chip, unsigned int irq, unsigned int cpu)
{
	struct plic *p = chip;

	if (irq == 0 || irq > p->source_count || cpu >= VIREO_MAX_CPUS || p->context[cpu] < 0) {
		return VIREO_EINVAL;
	}
	unsigned int ctx = (unsigned int)p->context[cpu];
	*reg(p, PLIC_PRIORITY(irq)) = 1;
	*reg(p, PLIC_ENABLE(ctx, irq)) |= 1U << (irq % 32);
	return 0;
}

static unsigned int plic_claim(void *chip, unsigned int cpu)
{
	struct plic *p = chip;
	if (cpu >= VIREO_MAX_CPUS || p->context[cpu] < 0) {
		return 0;
	}
	return *reg(p, PLIC_CLAIM((unsigned int)p->context[cpu]));
}

static void plic_complete(void *chip, unsigned int irq, unsigned int cpu)
{
	struct plic *p = chip;
	if (cpu < VIREO_MAX_CPUS && p->context[cpu] >= 0) {
		*reg(p, PLIC_CLAIM((unsigned int)p->context[cpu])) = irq;
	}
}

static void plic_cpu_init(void *chip, unsigned int cpu)
{
	struct plic *p = chip;
	if (cpu < VIREO_MAX_CPUS && p->context[cpu] >= 0) {
		/* Threshold 0: every source with priority >= 1 reaches this hart. */
		*reg(p, PLIC_THRESHOLD((unsigned int)p->context[cpu])) = 0;
	}
}

const struct irqchip plic_irqchip = {
    .name = "PLIC",
    .enable = plic_enable,
    .claim = plic_claim,
    .complete = plic_complete,
    .cpu_init = plic_cpu_init,
};
