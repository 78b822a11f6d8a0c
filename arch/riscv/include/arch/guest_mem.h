/* SPDX-License-Identifier: GPL-2.0-only */
/** RISC-V guest memory inside the arch (arch/riscv/guest_mem.c). */
#ifndef ARCH_RISCV_GUEST_MEM_H
#define ARCH_RISCV_GUEST_MEM_H

struct guest;

/** HFENCE.GVMA x0, x0: all G-stage translations of every VMID on this hart (Priv. 8.3.2). */
static inline void hfence_gvma_all(void)
{
	__asm__ volatile(".insn r 0x73, 0x0, 0x31, x0, x0, x0" ::: "memory");
}

/**
 * Before this hart enters a vCPU of g (interrupts masked): the G-stage fences it owes, for
 * flushes it could not confirm in time and for a VMID shared with the guest that ran here last.
 */
void guest_mem_enter(const struct guest *g);

#endif
