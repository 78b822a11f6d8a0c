/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Assembly for the bench mode: the second hart's entry and the timer benchmark's trap vector.
 */
#include "csr.h"
#include "secondary_entry.h"

#define CSR_INSTRET_NUM 0xc02

	.text
	TK_SECONDARY_ENTRY bench_secondary_entry, bench_secondary_main

/*
 * Installed by the timer benchmark only (bench_timer.c). Its fourth instruction reads instret,
 * so "handler entry" is as close to the first instruction of a guest's handler as it gets.
 * A supervisor timer interrupt is stamped (instret, cycle, time), silenced by clearing
 * sie.STIE and returned from; anything else goes on to the kit's own vector unchanged.
 */
	.global bench_timer_vector
	.align 4
bench_timer_vector:
	addi	sp, sp, -16
	sd	t0, 0(sp)
	sd	t1, 8(sp)
	csrr	t0, CSR_INSTRET_NUM
	la	t1, bench_irq
	sd	t0, 0(t1)
	rdcycle	t0
	sd	t0, 8(t1)
	rdtime	t0
	sd	t0, 16(t1)
	csrr	t0, CSR_SCAUSE
	sd	t0, 24(t1)
	li	t1, 0x8000000000000005	/* interrupt, supervisor timer */
	bne	t0, t1, 2f
	li	t0, 0x20			/* sie.STIE */
	csrc	CSR_SIE, t0
	la	t1, bench_irq
	li	t0, 1
	sd	t0, 32(t1)		/* bench_irq.fired */
	ld	t0, 0(sp)
	ld	t1, 8(sp)
	addi	sp, sp, 16
	sret
2:	ld	t0, 0(sp)
	ld	t1, 8(sp)
	addi	sp, sp, 16
	j	tk_trap_vector
