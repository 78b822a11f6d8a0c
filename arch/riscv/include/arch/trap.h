/* SPDX-License-Identifier: GPL-2.0-only */
/** The register frame trap.S saves on the interrupted thread's stack. */
#ifndef ARCH_RISCV_TRAP_H
#define ARCH_RISCV_TRAP_H

/* Offsets used by trap.S: x1..x31 at 8*n, then the CSRs. */
#define TF_SEPC    (32 * 8)
#define TF_SSTATUS (33 * 8)
#define TF_SCAUSE  (34 * 8)
#define TF_STVAL   (35 * 8)
#define TF_SIZE    (36 * 8)

#ifndef __ASSEMBLY__
#include <vireo/types.h>

struct trap_frame {
	unsigned long x[32]; /* x[0] unused; x[2] is the interrupted sp */
	unsigned long sepc;
	unsigned long sstatus;
	unsigned long scause;
	unsigned long stval;
};

_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "trap frame layout");
_Static_assert(TF_SIZE % 16 == 0, "stack alignment");

/** Called by trap.S for every trap taken in HS-mode. */
void arch_trap_handle(struct trap_frame *tf);

/**
 * Runs fn() with any exception on this hart turned into a false return, so that optional CSRs
 * can be probed and guest memory read without trusting it. fn must fault only on 4-byte
 * instructions (they are skipped). Interrupts must be masked.
 */
bool arch_trap_probe(void (*fn)(void));

#endif

/*
 * Guarded instructions, for hot paths that touch memory that may fault (guest memory through
 * HLV/HLVX): a 4-byte instruction whose address is listed in the .guarded_insns table is
 * skipped when it raises an exception, and the trap sets t6 (x31) to 1. The asm clears t6
 * itself right before the instruction (so nothing the compiler puts in between can disturb
 * it) and the code tests it after, so a fault costs nothing until it happens:
 *
 *	register unsigned long fault __asm__("t6");
 *	__asm__ volatile("li %1, 0\n1: <insn>\n" GUARDED_INSN("1b")
 *	                 : "=&r"(out), "=&r"(fault) : ...);
 *
 * A skipped load leaves its destination unwritten.
 */
#define GUARDED_FAULT_REG 31
#define GUARDED_INSN(label) \
	".pushsection .guarded_insns, \"a\"\n.balign 8\n.dword " label "\n.popsection\n"

#endif
