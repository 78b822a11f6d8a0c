/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * The part of a RISC-V vCPU that the world switch (vcpu_entry.S, trap_entry.S) reads and
 * writes. While a guest runs, sscratch points at this structure; in the hypervisor sscratch
 * is 0, which is how trap_entry tells a guest trap from a hypervisor one.
 */
#ifndef ARCH_RISCV_VCPU_REGS_H
#define ARCH_RISCV_VCPU_REGS_H

/* Byte offsets used by the assembly. */
#define VR_X(n)    ((n)*8)  /* guest x1..x31 (x0 slot unused) */
#define VR_SEPC    (32 * 8) /* guest pc */
#define VR_SSTATUS (33 * 8) /* sstatus to enter with / found at exit */
#define VR_HSTATUS (34 * 8) /* hstatus to enter with / found at exit */
#define VR_SCAUSE  (35 * 8) /* exit: scause */
#define VR_STVAL   (36 * 8) /* exit: stval */
#define VR_HTVAL   (37 * 8) /* exit: htval (guest physical address >> 2) */
#define VR_HTINST  (38 * 8) /* exit: htinst */
#define VR_HOST_SP (39 * 8) /* hypervisor stack while the guest runs */
#define VR_HOST_TP (40 * 8) /* hypervisor per-cpu pointer while the guest runs */
#define VR_HOST_RA (41 * 8) /* return address into arch_vcpu_run_regs' caller */
#define VR_HOST_S0 (42 * 8) /* the caller's s0 and s1 */
#define VR_HOST_S1 (43 * 8)
#define VR_SIZE    (44 * 8)

#ifndef __ASSEMBLY__
#include <vireo/types.h>

struct arch_vcpu_regs {
	unsigned long x[32];
	unsigned long sepc;
	unsigned long sstatus;
	unsigned long hstatus;
	unsigned long scause;
	unsigned long stval;
	unsigned long htval;
	unsigned long htinst;
	unsigned long host_sp;
	unsigned long host_tp;
	unsigned long host_ra;
	unsigned long host_s0;
	unsigned long host_s1;
};

_Static_assert(sizeof(struct arch_vcpu_regs) == VR_SIZE, "vcpu register layout");

/* The switch leaves the f registers to the guest: the hypervisor must not use them. */
#ifdef __riscv_flen
#error "the hypervisor is built without F/D: vcpu_enter does not save f registers"
#endif

/**
 * Enters the guest described by regs (interrupts masked) and returns when it traps to the
 * hypervisor, with the exit registers filled in. Host interrupts that arrive meanwhile end
 * the run too; they stay pending and are taken when the caller unmasks.
 *
 * The world switch (vcpu_entry.S) keeps ra, sp, tp, s0 and s1 in the register block: every
 * other integer register comes back holding a guest value, and this call says so to the
 * compiler. It then keeps across the call, in s0/s1 or on its stack, only what the caller
 * needs, instead of the switch saving and restoring all twelve callee-saved registers on every
 * exit. gp comes back holding the guest's: nothing in the hypervisor uses it (the image is not
 * linker-relaxed; vireo.ld refuses a __global_pointer$). The f registers are the guest's too
 * (the check above).
 */
static inline void arch_vcpu_run_regs(struct arch_vcpu_regs *regs)
{
	register struct arch_vcpu_regs *a0 __asm__("a0") = regs;
	__asm__ volatile("call vcpu_enter"
	                 : "+r"(a0)
	                 :
	                 : "ra", "t0", "t1", "t2", "a1", "a2", "a3", "a4", "a5", "a6", "a7", "s2",
	                   "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5",
	                   "t6", "memory");
}
#endif

#endif
