/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry points. OpenSBI enters _start in HS-mode with a0 = hart id and a1 = the device tree
 * (SBI spec 9: hart_start and the boot protocol), satp = Bare, interrupts off. Only one hart
 * enters here; the others stay stopped in the firmware until smp_init() starts them at
 * _secondary_start with a1 = their per-cpu block.
 */
#include <arch/csr.h>

#define BOOT_STACK_SIZE 16384

	.section .text.entry, "ax"
	.global _start
_start:
	csrw	CSR_SIE, zero
	csrci	CSR_SSTATUS, SSTATUS_SIE
	la	t0, trap_entry
	csrw	CSR_STVEC, t0
	/* trap_entry reads sscratch = 0 as "trap from the hypervisor": set it before any trap. */
	csrw	CSR_SSCRATCH, zero

	/* Clear .bss: boot_main() relies on zeroed globals. */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	la	sp, boot_stack_top
	mv	tp, zero
	mv	s0, zero
	call	boot_main
	/* boot_main never returns; stop here if it ever does. */
3:	wfi
	j	3b

	.global _secondary_start
	.align 2
_secondary_start:
	csrw	CSR_SIE, zero
	csrci	CSR_SSTATUS, SSTATUS_SIE
	la	t0, trap_entry
	csrw	CSR_STVEC, t0
	csrw	CSR_SSCRATCH, zero
	mv	tp, a1
	ld	sp, 0(a1)		/* percpu->boot_stack_top */
	mv	s0, zero
	mv	a0, a1
	call	smp_secondary_main
4:	wfi
	j	4b

	.section .bss.stack, "aw", @nobits
	.align 4
	.global boot_stack
boot_stack:
	.space	BOOT_STACK_SIZE
	.global boot_stack_top
boot_stack_top:
