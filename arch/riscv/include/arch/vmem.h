/* SPDX-License-Identifier: GPL-2.0-only */
/** Reading guest memory through the guest's own translation (HLV/HLVX, Priv. spec 8.3). */
#ifndef ARCH_RISCV_VMEM_H
#define ARCH_RISCV_VMEM_H

#include <vireo/types.h>

/**
 * Reads the 64-bit word at guest-virtual address va of the vCPU loaded on this hart, as the
 * guest would (VS-stage then G-stage translation). Returns 0, or VIREO_EFAULT if the access
 * faults. Interrupts masked.
 */
int vmem_read_guest_va(unsigned long va, unsigned long *value);

/**
 * Reads the whole instruction at guest-virtual va with execute permission (HLVX): 32 bits, or
 * a compressed instruction's 16 in the low half. 0, or VIREO_EFAULT. Interrupts masked.
 */
int vmem_fetch_guest_insn32(unsigned long va, uint32_t *insn);

#endif
