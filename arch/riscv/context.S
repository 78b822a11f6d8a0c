/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Thread switch: only callee-saved registers (psABI: ra, sp, s0-s11) need saving, because
 * arch_context_switch is an ordinary call for the compiler.
 */
#include <arch/context_impl.h>

	.section .text
	.global arch_context_switch
	.align 2
arch_context_switch:
	sd	ra, CTX_RA(a0)
	sd	sp, CTX_SP(a0)
	sd	s0, CTX_S0+0*8(a0)
	sd	s1, CTX_S0+1*8(a0)
	sd	s2, CTX_S0+2*8(a0)
	sd	s3, CTX_S0+3*8(a0)
	sd	s4, CTX_S0+4*8(a0)
	sd	s5, CTX_S0+5*8(a0)
	sd	s6, CTX_S0+6*8(a0)
	sd	s7, CTX_S0+7*8(a0)
	sd	s8, CTX_S0+8*8(a0)
	sd	s9, CTX_S0+9*8(a0)
	sd	s10, CTX_S0+10*8(a0)
	sd	s11, CTX_S0+11*8(a0)
	ld	ra, CTX_RA(a1)
	ld	sp, CTX_SP(a1)
	ld	s0, CTX_S0+0*8(a1)
	ld	s1, CTX_S0+1*8(a1)
	ld	s2, CTX_S0+2*8(a1)
	ld	s3, CTX_S0+3*8(a1)
	ld	s4, CTX_S0+4*8(a1)
	ld	s5, CTX_S0+5*8(a1)
	ld	s6, CTX_S0+6*8(a1)
	ld	s7, CTX_S0+7*8(a1)
	ld	s8, CTX_S0+8*8(a1)
	ld	s9, CTX_S0+9*8(a1)
	ld	s10, CTX_S0+10*8(a1)
	ld	s11, CTX_S0+11*8(a1)
	ret

	/* First run of a new thread: s0 holds the entry function (arch_context_init). */
	.global arch_context_trampoline
	.align 2
arch_context_trampoline:
	mv	a0, zero
	jalr	s0
1:	wfi
	j	1b
