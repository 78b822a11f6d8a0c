/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Saving and restoring a guest's floating-point registers (F and D extensions: f0-f31 and
 * fcsr). The hypervisor is built without F/D, so only this file may use FP instructions; the
 * caller sets sstatus.FS to a non-Off value first (Priv. spec 3.1.6.6).
 */
#include <arch/fp.h>

	.option push
	.option arch, +d
	.section .text

	.global arch_fp_save
	.align 2
arch_fp_save:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, (\n * 8)(a0)
	.endr
	frcsr	t0
	sd	t0, FP_FCSR(a0)
	ret

	.global arch_fp_load
	.align 2
arch_fp_load:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, (\n * 8)(a0)
	.endr
	ld	t0, FP_FCSR(a0)
	fscsr	t0
	ret
	.option pop
