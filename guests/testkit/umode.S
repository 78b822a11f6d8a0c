/* SPDX-License-Identifier: GPL-2.0-only */
/* Entering U-mode for the umode test (tests_umode.c). */
	.section .text

	/* tk_user_enter(code): sret to `code` in U-mode (sstatus.SPP = 0, SPIE = 0). */
	.global tk_user_enter
	.align 2
tk_user_enter:
	csrw	sepc, a0
	li	t0, (1 << 8) | (1 << 5)
	csrc	sstatus, t0
	sret

	/*
	 * User code: a load from the test device at 0x100000 (an emulated access under a
	 * hypervisor: the guest leaves and re-enters), then a read of sstatus, which must trap
	 * as an illegal instruction in U-mode. The breakpoints return control to the test.
	 */
	.global tk_user_code
	.align 2
tk_user_code:
	li	t0, 0x100000
	lw	t1, 0(t0)
	csrr	t2, sstatus
	ebreak
	ebreak
