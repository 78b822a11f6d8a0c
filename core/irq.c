/* SPDX-License-Identifier: GPL-2.0-only */
/** Host external interrupt dispatch over the registered irqchip. */
#include <vireo/errno.h>
#include <vireo/irq.h>
#include <vireo/log.h>
#include <vireo/percpu.h>

struct irq_slot {
	irq_handler_fn handler;
	void *arg;
};

static const struct irqchip *chip;
static void *chip_data;
static struct irq_slot slots[IRQ_MAX];

void irq_set_chip(const struct irqchip *c, void *data)
{
	chip = c;
	chip_data = data;
}

bool irq_has_chip(void)
{
	return chip != NULL;
}

int irq_attach(unsigned int irq, unsigned int cpu, irq_handler_fn handler, void *arg)
{
	if (!chip) {
		return VIREO_ENOTSUP;
	}
	if (irq == 0 || irq >= IRQ_MAX) {
		return VIREO_EINVAL;
	}
	if (slots[irq].handler) {
		return VIREO_EBUSY;
	}
	slots[irq].arg = arg;
	__atomic_store_n(&slots[irq].handler, handler, __ATOMIC_RELEASE);
	return chip->enable(chip_data, irq, cpu);
}

void irq_cpu_init(void)
{
	if (chip && chip->cpu_init) {
		chip->cpu_init(chip_data, this_cpu()->id);
	}
}

void irq_handle_external(void)
{
	struct percpu *cpu = this_cpu();
	unsigned int irq;

	if (!chip) {
		return;
	}
	while ((irq = chip->claim(chip_data, cpu->id)) != 0) {
		cpu->ext_irqs++;
		if (irq < IRQ_MAX && slots[irq].handler) {
			slots[irq].handler(irq, slots[irq].arg);
		} else {
			log_warn("irq: interrupt %u has no handler", irq);
		}
		chip->complete(chip_data, irq, cpu->id);
	}
}
