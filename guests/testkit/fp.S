/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * FP register patterns for the fp test (tests_fp.c). Only this file uses F/D instructions;
 * the caller turns sstatus.FS on first.
 */
	.option push
	.option arch, +d
	.section .text

	/* tk_fp_fill(seed): f<n> = seed + n * 0x0101010101010101 (bit patterns, via fmv.d.x). */
	.global tk_fp_fill
	.align 2
tk_fp_fill:
	li	t1, 0x0101010101010101
	mv	t0, a0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fmv.d.x	f\n, t0
	add	t0, t0, t1
	.endr
	ret

	/* tk_fp_check(seed): how many of f0-f31 no longer hold their tk_fp_fill pattern. */
	.global tk_fp_check
	.align 2
tk_fp_check:
	li	t1, 0x0101010101010101
	mv	t0, a0
	li	a0, 0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fmv.x.d	t2, f\n
	beq	t2, t0, 1f
	addi	a0, a0, 1
1:	add	t0, t0, t1
	.endr
	ret
	.option pop
