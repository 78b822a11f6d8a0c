/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one trap vector. sscratch tells where the trap came from: 0 while the hypervisor runs,
 * the vCPU register block while a guest runs (vcpu_entry.S).
 * - From the hypervisor: the full register frame is saved on the current thread's stack, so
 *   arch_trap_handle() may switch threads and resume this frame later.
 * - From a guest: the guest's registers go to its register block and vcpu_exit returns to
 *   the hypervisor code that entered the guest.
 * stvec is in Direct mode; the vector must be 4-byte aligned (Priv. spec 4.1.2), hence
 * .align 2 (compressed code may leave labels on 2-byte boundaries).
 */
#include <arch/csr.h>
#include <arch/trap.h>
#include <arch/vcpu_regs.h>

	.section .text
	.global trap_entry
	.align 2
trap_entry:
	csrrw	sp, CSR_SSCRATCH, sp
	bnez	sp, guest_trap
	csrrw	sp, CSR_SSCRATCH, sp
	addi	sp, sp, -TF_SIZE
	sd	x1, 1*8(sp)
	sd	x3, 3*8(sp)
	sd	x4, 4*8(sp)
	sd	x5, 5*8(sp)
	sd	x6, 6*8(sp)
	sd	x7, 7*8(sp)
	sd	x8, 8*8(sp)
	sd	x9, 9*8(sp)
	sd	x10, 10*8(sp)
	sd	x11, 11*8(sp)
	sd	x12, 12*8(sp)
	sd	x13, 13*8(sp)
	sd	x14, 14*8(sp)
	sd	x15, 15*8(sp)
	sd	x16, 16*8(sp)
	sd	x17, 17*8(sp)
	sd	x18, 18*8(sp)
	sd	x19, 19*8(sp)
	sd	x20, 20*8(sp)
	sd	x21, 21*8(sp)
	sd	x22, 22*8(sp)
	sd	x23, 23*8(sp)
	sd	x24, 24*8(sp)
	sd	x25, 25*8(sp)
	sd	x26, 26*8(sp)
	sd	x27, 27*8(sp)
	sd	x28, 28*8(sp)
	sd	x29, 29*8(sp)
	sd	x30, 30*8(sp)
	sd	x31, 31*8(sp)
	addi	t0, sp, TF_SIZE
	sd	t0, 2*8(sp)
	csrr	t0, CSR_SEPC
	sd	t0, TF_SEPC(sp)
	csrr	t0, CSR_SSTATUS
	sd	t0, TF_SSTATUS(sp)
	csrr	t0, CSR_SCAUSE
	sd	t0, TF_SCAUSE(sp)
	csrr	t0, CSR_STVAL
	sd	t0, TF_STVAL(sp)

	mv	a0, sp
	call	arch_trap_handle

	/* Restore sepc/sstatus from the frame: the handler may have changed threads. */
	ld	t0, TF_SEPC(sp)
	csrw	CSR_SEPC, t0
	ld	t0, TF_SSTATUS(sp)
	csrw	CSR_SSTATUS, t0
	ld	x1, 1*8(sp)
	ld	x3, 3*8(sp)
	ld	x4, 4*8(sp)
	ld	x5, 5*8(sp)
	ld	x6, 6*8(sp)
	ld	x7, 7*8(sp)
	ld	x8, 8*8(sp)
	ld	x9, 9*8(sp)
	ld	x10, 10*8(sp)
	ld	x11, 11*8(sp)
	ld	x12, 12*8(sp)
	ld	x13, 13*8(sp)
	ld	x14, 14*8(sp)
	ld	x15, 15*8(sp)
	ld	x16, 16*8(sp)
	ld	x17, 17*8(sp)
	ld	x18, 18*8(sp)
	ld	x19, 19*8(sp)
	ld	x20, 20*8(sp)
	ld	x21, 21*8(sp)
	ld	x22, 22*8(sp)
	ld	x23, 23*8(sp)
	ld	x24, 24*8(sp)
	ld	x25, 25*8(sp)
	ld	x26, 26*8(sp)
	ld	x27, 27*8(sp)
	ld	x28, 28*8(sp)
	ld	x29, 29*8(sp)
	ld	x30, 30*8(sp)
	ld	x31, 31*8(sp)
	addi	sp, sp, TF_SIZE
	sret

	/* sp = the vCPU register block, sscratch = the guest's sp. */
guest_trap:
	sd	x1, VR_X(1)(sp)
	sd	x3, VR_X(3)(sp)
	sd	x4, VR_X(4)(sp)
	sd	x5, VR_X(5)(sp)
	sd	x6, VR_X(6)(sp)
	sd	x7, VR_X(7)(sp)
	sd	x8, VR_X(8)(sp)
	sd	x9, VR_X(9)(sp)
	sd	x10, VR_X(10)(sp)
	sd	x11, VR_X(11)(sp)
	sd	x12, VR_X(12)(sp)
	sd	x13, VR_X(13)(sp)
	sd	x14, VR_X(14)(sp)
	sd	x15, VR_X(15)(sp)
	sd	x16, VR_X(16)(sp)
	sd	x17, VR_X(17)(sp)
	sd	x18, VR_X(18)(sp)
	sd	x19, VR_X(19)(sp)
	sd	x20, VR_X(20)(sp)
	sd	x21, VR_X(21)(sp)
	sd	x22, VR_X(22)(sp)
	sd	x23, VR_X(23)(sp)
	sd	x24, VR_X(24)(sp)
	sd	x25, VR_X(25)(sp)
	sd	x26, VR_X(26)(sp)
	sd	x27, VR_X(27)(sp)
	sd	x28, VR_X(28)(sp)
	sd	x29, VR_X(29)(sp)
	sd	x30, VR_X(30)(sp)
	sd	x31, VR_X(31)(sp)
	csrrw	t0, CSR_SSCRATCH, zero
	sd	t0, VR_X(2)(sp)
	j	vcpu_exit
