/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * RISC-V implementation of the cpu contract. The tp register holds this hart's per-cpu block
 * while in the hypervisor; the psABI reserves tp for thread pointers, so the compiler never
 * allocates it.
 */
#ifndef ARCH_RISCV_CPU_IMPL_H
#define ARCH_RISCV_CPU_IMPL_H

static inline void arch_cpu_relax(void)
{
	/* Zihintpause "pause", encoded as a FENCE hint so it is a no-op where unsupported. */
	__asm__ volatile(".insn i 0x0f, 0, x0, x0, 0x010" ::: "memory");
}

static inline void arch_cpu_wait_for_interrupt(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

static inline struct percpu *arch_cpu_this(void)
{
	struct percpu *p;
	__asm__ volatile("mv %0, tp" : "=r"(p));
	return p;
}

static inline void arch_cpu_set_this(struct percpu *cpu)
{
	__asm__ volatile("mv tp, %0" : : "r"(cpu) : "memory");
}

#endif
