/* SPDX-License-Identifier: GPL-2.0-only */
/** Dispatch of traps taken by the hypervisor in HS-mode (Priv. spec 4.1.8 scause). */
#include <arch/csr.h>
#include <arch/hext.h>
#include <arch/trap.h>
#include <vireo/arch/cpu_setup.h>
#include <vireo/irq.h>
#include <vireo/log.h>
#include <vireo/percpu.h>
#include <vireo/sched.h>
#include <vireo/smp.h>
#include <vireo/timer.h>

/* Set while arch_trap_probe() runs on some hart; the trap records a fault and skips. */
static volatile bool arch_probe_active[VIREO_MAX_CPUS];
static volatile bool arch_probe_faulted[VIREO_MAX_CPUS];

/* The addresses GUARDED_INSN() listed (arch/trap.h), from the linker script. */
extern const unsigned long __guarded_insns_start[], __guarded_insns_end[];

static bool guarded(unsigned long pc)
{
	for (const unsigned long *p = __guarded_insns_start; p < __guarded_insns_end; p++) {
		if (*p == pc) {
			return true;
		}
	}
	return false;
}

bool arch_trap_probe(void (*fn)(void))
{
	unsigned int slot = this_cpu_id();
	arch_probe_faulted[slot] = false;
	arch_probe_active[slot] = true;
	fn();
	arch_probe_active[slot] = false;
	return !arch_probe_faulted[slot];
}

static void handle_interrupt(unsigned long code)
{
	switch (code) {
	case IRQ_S_TIMER:
		timer_handle_irq();
		break;
	case IRQ_S_SOFT:
		csr_clear(CSR_SIP, SIP_SSIP);
		smp_handle_ipi();
		break;
	case IRQ_S_EXT:
		irq_handle_external();
		break;
	default:
		log_warn("trap: unexpected interrupt %lu, masking it", code);
		csr_clear(CSR_SIE, 1UL << code);
		break;
	}
}

static void dump_frame(const struct trap_frame *tf)
{
	static const char *const names[32] = {
	    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
	    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
	    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
	};
	for (unsigned int i = 1; i < 32; i += 2) {
		log_err("  %-4s %016lx  %-4s %016lx", names[i], tf->x[i],
		        i + 1 < 32 ? names[i + 1] : "", i + 1 < 32 ? tf->x[i + 1] : 0UL);
	}
}

void arch_trap_handle(struct trap_frame *tf)
{
	unsigned long cause = tf->scause;

	if (cause & SCAUSE_INTERRUPT) {
		sched_irq_enter();
		handle_interrupt(cause & ~SCAUSE_INTERRUPT);
		sched_irq_exit();
		return;
	}

	if (guarded(tf->sepc)) {
		tf->x[GUARDED_FAULT_REG] = 1;
		tf->sepc += 4;
		return;
	}
	unsigned int slot = this_cpu_id();
	if (arch_probe_active[slot]) {
		arch_probe_faulted[slot] = true;
		/* Skip the probed instruction: CSR accesses and HLV/HLVX are always 4 bytes. */
		tf->sepc += 4;
		return;
	}

	/* An exception in HS-mode is a hypervisor bug: report everything and stop. */
	log_err("trap: unexpected exception %lu in hypervisor at pc %016lx, stval %016lx", cause,
	        tf->sepc, tf->stval);
	dump_frame(tf);
	panic("unexpected exception in hypervisor");
}

void arch_cpu_init_traps(bool external)
{
	/* sscratch is 0 while the hypervisor runs; guest entry will keep its stack there. */
	csr_write(CSR_SSCRATCH, 0);
	hext_hart_init();
	csr_set(CSR_SIE, SIE_SSIE | SIE_STIE | (external ? SIE_SEIE : 0));
}
