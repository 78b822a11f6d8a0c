/* SPDX-License-Identifier: GPL-2.0-only */
/** Reading guest memory through the guest's own translation (HLV/HLVX, Priv. spec 8.3). */
#ifndef ARCH_RISCV_VMEM_H
#define ARCH_RISCV_VMEM_H

#include <arch/trap.h>
#include <vireo/errno.h>
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
 *
 * Inline, with guarded loads (arch/trap.h): this is the hot path of every emulated access. A
 * 4-byte-aligned address takes one HLVX.WU (the word cannot cross a page); otherwise the
 * first parcel tells whether a second, possibly on the next page, follows.
 */
static inline int vmem_fetch_guest_insn32(unsigned long va, uint32_t *insn)
{
	register unsigned long fault __asm__("t6");
	unsigned long lo, hi = 0;

	if ((va & 3) == 0) {
		/* HLVX.WU rd, (rs1): funct7 0110100, rs2 00011. */
		__asm__ volatile(
		    "li %1, 0\n1: .insn r 0x73, 0x4, 0x34, %0, %2, x3\n" GUARDED_INSN("1b")
		    : "=&r"(lo), "=&r"(fault)
		    : "r"(va)
		    : "memory");
		if ((lo & 3) != 3) {
			lo &= 0xffff;
		}
	} else {
		/* HLVX.HU rd, (rs1): funct7 0110010, rs2 00011. */
		__asm__ volatile(
		    "li %1, 0\n1: .insn r 0x73, 0x4, 0x32, %0, %2, x3\n" GUARDED_INSN("1b")
		    : "=&r"(lo), "=&r"(fault)
		    : "r"(va)
		    : "memory");
		if (fault == 0 && (lo & 3) == 3) {
			__asm__ volatile(
			    "li %1, 0\n1: .insn r 0x73, 0x4, 0x32, %0, %2, x3\n" GUARDED_INSN("1b")
			    : "=&r"(hi), "=&r"(fault)
			    : "r"(va + 2)
			    : "memory");
		}
		lo = (lo & 0xffff) | ((hi & 0xffff) << 16);
	}
	*insn = (uint32_t)lo;
	return fault ? VIREO_EFAULT : 0;
}

#endif
