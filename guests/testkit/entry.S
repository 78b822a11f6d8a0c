/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Entry, trap vector and small assembly helpers of the test kit.
 *
 * The boot protocol (SBI spec v2.0, 9.1 for hart_start; the same for the boot hart): S-mode
 * (or VS-mode under a hypervisor), satp = Bare, sstatus.SIE = 0, a0 = hart id, a1 = the device
 * tree for the boot hart or the opaque value for harts started with hart_start.
 * tp always points at the hart's struct tk_hart; nothing else uses tp.
 */
#include "csr.h"
#include "secondary_entry.h"

#define BOOT_STACK_SIZE 16384
#define FRAME_SIZE      (36 * 8)
#define F_SEPC          (32 * 8)
#define F_SSTATUS       (33 * 8)
#define F_SCAUSE        (34 * 8)
#define F_STVAL         (35 * 8)

	.section .text.entry, "ax"
	.global _start
_start:
	csrw	CSR_SIE, zero
	csrci	CSR_SSTATUS, SSTATUS_SIE
	la	t0, tk_trap_vector
	csrw	CSR_STVEC, t0
	mv	s1, a0
	mv	s2, a1
	/* Clear .bss: loaded as a flat binary, nothing else will. */
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	la	sp, tk_boot_stack_top
	la	tp, tk_harts		/* slot 0 is the boot hart */
	mv	s0, zero
	mv	a0, s1
	mv	a1, s2
	call	tk_main
3:	wfi
	j	3b

	.text
	TK_SECONDARY_ENTRY tk_secondary_entry, tk_secondary_main

/*
 * Direct-mode trap vector (stvec MODE = 0 needs 4-byte alignment). Every trap comes from
 * S-mode on the current stack, so the frame goes right below the interrupted sp.
 */
	.global tk_trap_vector
	.align 4
tk_trap_vector:
	addi	sp, sp, -FRAME_SIZE
	sd	x1, 1*8(sp)
	sd	x3, 3*8(sp)
	sd	x4, 4*8(sp)
	sd	x5, 5*8(sp)
	addi	t0, sp, FRAME_SIZE
	sd	t0, 2*8(sp)
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
	csrr	t0, CSR_SEPC
	sd	t0, F_SEPC(sp)
	csrr	t0, CSR_SSTATUS
	sd	t0, F_SSTATUS(sp)
	csrr	t0, CSR_SCAUSE
	sd	t0, F_SCAUSE(sp)
	csrr	t0, CSR_STVAL
	sd	t0, F_STVAL(sp)
	mv	a0, sp
	call	tk_trap
	/* The handler may have moved sepc past a probed access. */
	ld	t0, F_SEPC(sp)
	csrw	CSR_SEPC, t0
	ld	t0, F_SSTATUS(sp)
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
	addi	sp, sp, FRAME_SIZE
	sret

/* int tk_ctx_save(struct tk_ctx *ctx): ra, sp, s0-s11 at offsets 0, 8, 16.. */
	.global tk_ctx_save
tk_ctx_save:
	sd	ra, 0(a0)
	sd	sp, 8(a0)
	sd	s0, 16(a0)
	sd	s1, 24(a0)
	sd	s2, 32(a0)
	sd	s3, 40(a0)
	sd	s4, 48(a0)
	sd	s5, 56(a0)
	sd	s6, 64(a0)
	sd	s7, 72(a0)
	sd	s8, 80(a0)
	sd	s9, 88(a0)
	sd	s10, 96(a0)
	sd	s11, 104(a0)
	li	a0, 0
	ret

/* void tk_ctx_restore(struct tk_ctx *ctx, int value): tk_ctx_save returns value (never 0). */
	.global tk_ctx_restore
tk_ctx_restore:
	ld	ra, 0(a0)
	ld	sp, 8(a0)
	ld	s0, 16(a0)
	ld	s1, 24(a0)
	ld	s2, 32(a0)
	ld	s3, 40(a0)
	ld	s4, 48(a0)
	ld	s5, 56(a0)
	ld	s6, 64(a0)
	ld	s7, 72(a0)
	ld	s8, 80(a0)
	ld	s9, 88(a0)
	ld	s10, 96(a0)
	ld	s11, 104(a0)
	mv	a0, a1
	bnez	a0, 5f
	li	a0, 1
5:	ret

/*
 * Fault probes. Each is one plain (uncompressed) access; when it faults, the trap handler
 * records the cause and resumes after it (load/store) or at ra (fetch).
 */
	.option push
	.option norvc
	.global tk_probe_load
tk_probe_load:
	mv	t0, a0
	li	a0, 0
	ld	a0, 0(t0)
	ret

	.global tk_probe_store
tk_probe_store:
	sd	a1, 0(a0)
	ret

	.global tk_probe_fetch
tk_probe_fetch:
	mv	t1, ra
	jalr	ra, 0(a0)		/* a fault resumes at ra, the next instruction */
	mv	ra, t1
	ret
	.option pop

	.section .bss.stack, "aw", @nobits
	.align 4
tk_boot_stack:
	.space	BOOT_STACK_SIZE
	.global tk_boot_stack_top
tk_boot_stack_top:
