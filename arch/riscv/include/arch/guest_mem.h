/* SPDX-License-Identifier: GPL-2.0-only */
/** RISC-V guest memory inside the arch (arch/riscv/guest_mem.c). */
#ifndef ARCH_RISCV_GUEST_MEM_H
#define ARCH_RISCV_GUEST_MEM_H

struct guest;

/**
 * Before this hart enters a vCPU of g (interrupts masked): the G-stage fences it owes, for
 * flushes it could not confirm in time and for a VMID shared with the guest that ran here last.
 */
void guest_mem_enter(const struct guest *g);

#endif
