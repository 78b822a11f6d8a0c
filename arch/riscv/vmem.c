/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Guest-virtual reads with HLV.D (Priv. spec 8.3: hypervisor virtual-machine load
 * instructions), guarded (arch/trap.h) so a bad guest pointer is an error code. The encodings
 * are written with .insn so no assembler H-extension support is needed. The instruction fetch
 * for emulated accesses is inline in arch/vmem.h.
 */
#include <arch/trap.h>
#include <arch/vmem.h>
#include <vireo/arch/irq.h>
#include <vireo/errno.h>

int vmem_read_guest_va(unsigned long va, unsigned long *value)
{
	register unsigned long fault __asm__("t6");
	unsigned long v = 0;

	if (va & 7) {
		return VIREO_EFAULT;
	}
	unsigned long flags = arch_irq_save();
	/* HLV.D rd, (rs1): funct7 0110110, rs2 00000, funct3 100, opcode SYSTEM. */
	__asm__ volatile("li %1, 0\n1: .insn r 0x73, 0x4, 0x36, %0, %2, x0\n" GUARDED_INSN("1b")
	                 : "+&r"(v), "=&r"(fault)
	                 : "r"(va)
	                 : "memory");
	arch_irq_restore(flags);
	*value = fault ? 0 : v;
	return fault ? VIREO_EFAULT : 0;
}
