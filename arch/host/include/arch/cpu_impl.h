/* SPDX-License-Identifier: GPL-2.0-only */
/** Host (unit test) build of the cpu contract. */
#ifndef ARCH_HOST_CPU_IMPL_H
#define ARCH_HOST_CPU_IMPL_H

extern struct percpu *host_this_cpu;

static inline void arch_cpu_relax(void)
{
}

static inline void arch_cpu_wait_for_interrupt(void)
{
}

static inline struct percpu *arch_cpu_this(void)
{
	return host_this_cpu;
}

static inline void arch_cpu_set_this(struct percpu *cpu)
{
	host_this_cpu = cpu;
}

#endif
