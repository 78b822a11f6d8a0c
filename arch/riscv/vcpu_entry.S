/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entering a guest. vcpu_enter is called from arch_vcpu_run_regs() (arch/vcpu_regs.h), which
 * tells the compiler that every integer register but sp, gp, tp, s0 and s1 is clobbered: so
 * only the return address, sp, tp, s0 and s1 are kept, in the register block. It points sscratch at the block and
 * srets into VS-mode (hstatus.SPV = 1, sstatus.SPP = 1: Priv. spec 8.6.4). The guest's next
 * trap lands in trap_entry, which saves the guest's registers and returns from here
 * (vcpu_exit).
 */
#include <arch/csr.h>
#include <arch/vcpu_regs.h>

	.section .text
	.global vcpu_enter
	.align 2
vcpu_enter:
	sd	ra, VR_HOST_RA(a0)
	sd	sp, VR_HOST_SP(a0)
	sd	tp, VR_HOST_TP(a0)
	sd	s0, VR_HOST_S0(a0)
	sd	s1, VR_HOST_S1(a0)

	ld	t0, VR_SSTATUS(a0)
	csrw	CSR_SSTATUS, t0
	ld	t0, VR_HSTATUS(a0)
	csrw	CSR_HSTATUS, t0
	ld	t0, VR_SEPC(a0)
	csrw	CSR_SEPC, t0
	csrw	CSR_SSCRATCH, a0

	ld	x1, VR_X(1)(a0)
	ld	x2, VR_X(2)(a0)
	ld	x3, VR_X(3)(a0)
	ld	x4, VR_X(4)(a0)
	ld	x5, VR_X(5)(a0)
	ld	x6, VR_X(6)(a0)
	ld	x7, VR_X(7)(a0)
	ld	x8, VR_X(8)(a0)
	ld	x9, VR_X(9)(a0)
	ld	x11, VR_X(11)(a0)
	ld	x12, VR_X(12)(a0)
	ld	x13, VR_X(13)(a0)
	ld	x14, VR_X(14)(a0)
	ld	x15, VR_X(15)(a0)
	ld	x16, VR_X(16)(a0)
	ld	x17, VR_X(17)(a0)
	ld	x18, VR_X(18)(a0)
	ld	x19, VR_X(19)(a0)
	ld	x20, VR_X(20)(a0)
	ld	x21, VR_X(21)(a0)
	ld	x22, VR_X(22)(a0)
	ld	x23, VR_X(23)(a0)
	ld	x24, VR_X(24)(a0)
	ld	x25, VR_X(25)(a0)
	ld	x26, VR_X(26)(a0)
	ld	x27, VR_X(27)(a0)
	ld	x28, VR_X(28)(a0)
	ld	x29, VR_X(29)(a0)
	ld	x30, VR_X(30)(a0)
	ld	x31, VR_X(31)(a0)
	ld	x10, VR_X(10)(a0)
	sret

	/*
	 * Reached from trap_entry with sp = the register block, the guest's x1..x31 saved and
	 * sscratch back to 0. Record the exit CSRs and return to arch_vcpu_run_regs().
	 */
	.global vcpu_exit
	.align 2
vcpu_exit:
	csrr	t0, CSR_SEPC
	sd	t0, VR_SEPC(sp)
	csrr	t0, CSR_SSTATUS
	sd	t0, VR_SSTATUS(sp)
	csrr	t0, CSR_HSTATUS
	sd	t0, VR_HSTATUS(sp)
	/* The guest trap left hstatus.SPV = 1. Any sret the hypervisor executes later (returning
	 * from an interrupt on another thread's frame) must stay in HS-mode: clear it now. */
	li	t1, HSTATUS_SPV
	csrc	CSR_HSTATUS, t1
	csrr	t0, CSR_SCAUSE
	sd	t0, VR_SCAUSE(sp)
	/* stval, htval and htinst are read in C by the exits that use them (arch/riscv/vcpu.c
	 * fault_csrs()): an SBI call, the most frequent exit, needs none of them. */
	ld	ra, VR_HOST_RA(sp)
	ld	s0, VR_HOST_S0(sp)
	ld	s1, VR_HOST_S1(sp)
	ld	tp, VR_HOST_TP(sp)
	ld	sp, VR_HOST_SP(sp)
	ret
