/* SPDX-License-Identifier: GPL-2.0-only */
/**
 * Arch contract: running guests. struct arch_vcpu and struct arch_guest come from
 * <arch/vcpu_impl.h>. All arch_vcpu_* calls run on the vCPU's own thread unless noted.
 */
#ifndef VIREO_ARCH_VCPU_H
#define VIREO_ARCH_VCPU_H

#include <vireo/types.h>
#include <arch/vcpu_impl.h>

struct guest;
struct vcpu;

/** What the core must do after arch_vcpu_run() returns. */
enum vcpu_exit {
	VCPU_EXIT_CONTINUE, /**< handled; enter the guest again (after taking host interrupts) */
	VCPU_EXIT_WFI,      /**< the guest waits for an interrupt */
	VCPU_EXIT_HSM_STOP, /**< the guest stopped this hart (SBI HSM) */
	VCPU_EXIT_SHUTDOWN, /**< the guest asked to power off */
	VCPU_EXIT_REBOOT,   /**< the guest asked to reboot */
	VCPU_EXIT_FATAL,    /**< unrecoverable: the guest must be halted (reason in the arch log) */
	VCPU_EXIT_RETRY,    /**< the instruction runs again later: a device is busy for a while */
};

/** Stage-2 setup of a new guest (VMID, empty tables). 0 or VIREO_E*. Thread context. */
int arch_guest_init(struct guest *g);
/**
 * Frees the stage-2 tables and the VMID. Every vCPU thread has ended, and arch_guest_flush()
 * or arch_guest_flush_done() has said that no CPU holds translations of g any more.
 */
void arch_guest_destroy(struct guest *g);
/** Maps host memory [hpa, hpa+size) at guest-physical gpa as RAM (read/write/execute). */
int arch_guest_map_ram(struct guest *g, gpaddr_t gpa, paddr_t hpa, uint64_t size);
/** Removes [gpa, gpa+size) from g's stage-2 tables (no TLB flush: see arch_guest_flush). */
int arch_guest_unmap_ram(struct guest *g, gpaddr_t gpa, uint64_t size);
/**
 * Drops g's stage-2 translations cached on every CPU, with a bounded wait (about a second).
 * True when every CPU has confirmed; then the table pages unmapping left over are freed too.
 * False when some CPU could not confirm in time: it still drops them before it next enters
 * any guest, and until arch_guest_flush_done(g) nothing g's translations may reach (its RAM,
 * its tables, its VMID) may be reused. Thread context; none of g's vCPUs in the guest.
 */
bool arch_guest_flush(struct guest *g);
/** True once every CPU has dropped what g's last arch_guest_flush() asked it to. Any thread. */
bool arch_guest_flush_done(const struct guest *g);
/** Drops this hart's cached stage-2 translation of gpa (after mapping it). */
void arch_guest_flush_local(struct guest *g, gpaddr_t gpa);
/** Host-physical address of guest-physical gpa, or VIREO_ENOENT (any thread). */
int arch_guest_translate(const struct guest *g, gpaddr_t gpa, paddr_t *hpa);

/** Puts a vCPU in its reset state, to start at pc with the boot registers (a0, a1). */
void arch_vcpu_reset(struct vcpu *v, unsigned long pc, unsigned long arg0, unsigned long arg1);
/**
 * Runs the guest until something needs the core, with interrupts masked; handles SBI calls,
 * emulated accesses and guest faults itself. Host interrupts that arrive while the guest runs
 * end the run with VCPU_EXIT_CONTINUE and are taken when the caller unmasks.
 */
enum vcpu_exit arch_vcpu_run(struct vcpu *v);
/** True if a virtual interrupt is pending and enabled for the vCPU (ends a WFI wait). */
bool arch_vcpu_irq_pending(struct vcpu *v);
/** Clock time (clock_now() base) at which the vCPU's timer fires, or UINT64_MAX. */
nsec_t arch_vcpu_timer_deadline(struct vcpu *v);
/** Raises the vCPU's virtual software interrupt (SBI IPI); any thread. */
void arch_vcpu_raise_ipi(struct vcpu *v);
/**
 * Sets the level of the vCPU's virtual supervisor external interrupt (its context of the
 * guest's interrupt controller); any thread. Takes effect at the vCPU's next entry: the caller
 * kicks the vCPU (vcpu_kick) when the level rises.
 */
void arch_vcpu_set_external(struct vcpu *v, bool level);
/** The vCPU thread is ending: drops timers and the hart's hold on the vCPU's state. */
void arch_vcpu_release(struct vcpu *v);
/** Saves the vCPU's CSRs if this hart holds them, so another thread can read them. */
void arch_vcpu_sync(struct vcpu *v);
/** Prints the vCPU's registers (`vcpu dumpreg`). */
void arch_vcpu_dump(struct vcpu *v);

#endif
