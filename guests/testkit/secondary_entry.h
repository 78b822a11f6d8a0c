/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The entry of a second hart started with SBI HSM hart_start (SBI spec v2.0 9.1: a0 = hart id,
 * a1 = opaque, which the kit makes the hart's struct tk_hart): masks interrupts, installs the
 * kit's trap vector, takes the per-hart pointer (tp) and the stack from the struct, and calls
 * main(struct tk_hart *), which does not return. Each mode names its own main. Assembly only.
 */
#ifndef TESTKIT_SECONDARY_ENTRY_H
#define TESTKIT_SECONDARY_ENTRY_H

#ifdef __ASSEMBLY__
/* clang-format off */
.macro TK_SECONDARY_ENTRY name, main
	.global \name
	.align 2
\name:
	csrw	CSR_SIE, zero
	csrci	CSR_SSTATUS, SSTATUS_SIE
	la	t0, tk_trap_vector
	csrw	CSR_STVEC, t0
	mv	tp, a1
	ld	sp, 0(a1)		/* tk_hart.stack_top */
	mv	s0, zero
	mv	a0, a1
	call	\main
1:	wfi
	j	1b
.endm
/* clang-format on */
#endif

#endif
