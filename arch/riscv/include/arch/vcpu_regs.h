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
#define VR_SIZE    (41 * 8)

/* Callee-saved frame arch_vcpu_run keeps on the hypervisor stack: ra, s0-s11. */
#define VR_HOST_FRAME (14 * 8)

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
};

_Static_assert(sizeof(struct arch_vcpu_regs) == VR_SIZE, "vcpu register layout");

/**
 * Enters the guest described by regs (interrupts masked) and returns when it traps to the
 * hypervisor, with the exit registers filled in. Host interrupts that arrive meanwhile end
 * the run too; they stay pending and are taken when the caller unmasks.
 */
void arch_vcpu_run_regs(struct arch_vcpu_regs *regs);
#endif

#endif
